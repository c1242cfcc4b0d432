import { openExclusiveState } from "../fileStoreExclusive.js";
import { EXIT } from "../../model/exitCodes.js";
import { hubsOf, requireKnownHub } from "../hubSelection.js";
import { printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";

export interface DlqUnparkArgs {
  readonly name: string;
  readonly hub: string | undefined;
  readonly json: boolean;
}

/**
 * `dlq unpark`: puts a hub's parked dead letters back at the end of its queue with their replay
 * attempts reset, so the next `dlq replay` sends them (every hub with entries unless --hub).
 * Unreadable texts stay parked, and are counted: exit 3 while any remain, 0 otherwise.
 */
export async function dlqUnparkCommand(args: DlqUnparkArgs): Promise<number> {
  const pipeline = requirePipeline(args.name).name;
  const exclusive = await openExclusiveState(pipeline);
  const { state } = exclusive;
  try {
    const withEntries = await state.dlq.hubs(pipeline);
    const hubs =
      args.hub === undefined ? withEntries : [requireKnownHub(args.hub, hubsOf(state.config, withEntries))];
    const results = [];
    for (const hub of hubs) results.push({ hub, ...(await state.dlq.unpark(pipeline, hub)) });
    if (args.json) printJson({ pipeline, hubs: results });
    else if (results.length === 0) printLine(`${pipeline}: no dead letters`);
    else
      for (const r of results)
        printLine(
          `${pipeline} → ${r.hub}: ${r.requeued} parked entr${r.requeued === 1 ? "y" : "ies"} back in the queue` +
            (r.unreadable > 0
              ? `; ${r.unreadable} unreadable stay parked (\`dlq show --which parked\` shows why)`
              : ""),
        );
    return results.some((r) => r.unreadable > 0) ? EXIT.deadLettered : EXIT.ok;
  } finally {
    await exclusive.close();
  }
}

export const registerDlqUnpark: RegisterCommand = (y, setExitCode) =>
  y.command(
    "unpark",
    "Put parked dead letters back in the queue for the next replay (their replay attempts start again)",
    (c) =>
      c
        .option("name", { type: "string", demandOption: true, describe: "pipeline name" })
        .option("hub", { type: "string", describe: "only this hub (default: every hub with entries)" })
        .option("json", { type: "boolean", default: false, describe: "JSON result on stdout" }),
    async (args) => setExitCode(await dlqUnparkCommand({ name: args.name, hub: args.hub, json: args.json })),
  );
