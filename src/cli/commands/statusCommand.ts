import { openCliState } from "../cliState.js";
import { formatLive } from "../format/liveFormat.js";
import { fetchLiveView } from "../liveView.js";
import { EXIT } from "../../model/exitCodes.js";
import { BREAKER_NOTE, formatStatus } from "../format/statusFormat.js";
import { printJson, printLine } from "../output.js";
import { selectPipelines } from "../pipelineSelection.js";
import { pipelineStatus, type PipelineStatus } from "../pipelineStatus.js";
import type { RegisterCommand } from "../registerCommand.js";

export interface StatusArgs {
  readonly name: string | undefined;
  readonly json: boolean;
}

/**
 * `status`: watermarks and lag per location, the last tick, DLQ depth per hub and counters, from
 * the state store; and, when a daemon answers on METRICS_HOST:METRICS_PORT, its live view
 * (breakers, leadership, the tick in progress), which lives only in that process.
 */
export async function statusCommand(args: StatusArgs): Promise<number> {
  const definitions = selectPipelines(args.name);
  const state = await openCliState();
  try {
    const now = Date.now();
    const pipelines: PipelineStatus[] = [];
    for (const d of definitions)
      pipelines.push(await pipelineStatus(d.name, state.config, state.store, state.dlq, now));
    const live = await fetchLiveView(state.config);
    if (args.json)
      printJson({
        generatedAt: new Date(now).toISOString(),
        stateStore: { kind: state.store.kind, description: state.store.description },
        pipelines: pipelines.map((p) => ({
          ...p,
          resumeFrom: p.resumeFrom ?? null,
          lastTick: p.lastTick ?? null,
        })),
        live: typeof live === "string" ? null : live,
        ...(typeof live === "string" ? { breakers: `${BREAKER_NOTE}; ${live}` } : {}),
      });
    else {
      // The note that this process has no breakers to show is for when no daemon's live view does.
      for (const line of formatStatus(`${state.store.kind}: ${state.store.description}`, pipelines, now, {
        breakerNote: typeof live === "string",
      }))
        printLine(line);
      if (typeof live === "string") printLine(`\nlive view: ${live}`);
      else for (const line of formatLive(live)) printLine(line);
    }
    return EXIT.ok;
  } finally {
    await state.close();
  }
}

export const registerStatus: RegisterCommand = (y, setExitCode) =>
  y.command(
    "status",
    "Watermarks and lag per location, last tick, DLQ depth per hub, counters, state store",
    (c) =>
      c
        .option("name", { type: "string", describe: "only this pipeline (default: all)" })
        .option("json", { type: "boolean", default: false, describe: "JSON on stdout" }),
    async (args) => setExitCode(await statusCommand({ name: args.name, json: args.json })),
  );
