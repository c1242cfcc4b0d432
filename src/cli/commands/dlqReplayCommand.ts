import { MINUTE } from "../../model/time.js";
import { replayProgress } from "../replayProgress.js";
import { openExclusiveState } from "../fileStoreExclusive.js";
import { EXIT } from "../../model/exitCodes.js";
import { formatReplay } from "../format/replayFormat.js";
import { hubsOf, requireKnownHub } from "../hubSelection.js";
import { printError, printJson, printLine } from "../output.js";
import { requirePipeline } from "../pipelineSelection.js";
import type { RegisterCommand } from "../registerCommand.js";
import { replayHub, type HubReplayOutcome } from "../../dlq/replayHub.js";
import { StateStoreError } from "../../state/stateStoreError.js";
import { watchSignals } from "../shutdown.js";
import { UsageError } from "../usageError.js";

/** An entry leaves the queue only after the hub acknowledged it and the store removed it. */
const STORE_STOPPED_ANSWERING =
  "dlq replay stopped: the state store stopped answering. No entry was lost: those being replayed " +
  "stay in the dead-letter queue (in-flight), and the next `dlq replay` takes them up first, " +
  "sending again any the hub had already acknowledged";

export interface DlqReplayArgs {
  readonly name: string;
  readonly hub: string | undefined;
  readonly limit: number | undefined;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/**
 * `dlq replay`: re-drives dead letters to the hub that failed them only, one hub after another
 * (every hub with entries unless --hub). 0 when every replayed queue drained, 3 when entries
 * remain, 1 on a runtime failure (via the entry point). The first SIGINT stops after the
 * entry being sent; a second one stops at once.
 */
export async function dlqReplayCommand(args: DlqReplayArgs): Promise<number> {
  const pipeline = requirePipeline(args.name).name;
  if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1))
    throw new UsageError(`--limit must be a whole number from 1, got ${String(args.limit)}`);
  const exclusive = await openExclusiveState(pipeline);
  const { state, release } = exclusive;
  const stop = new AbortController();
  const signals = watchSignals(10 * MINUTE, () => {
    printError("interrupted: stopping after the entry being sent (interrupt again to stop now)");
    stop.abort();
  });
  void signals.hard.then(async () => {
    printError("stopped now: the entry being sent stays in-flight and is recovered by the next replay");
    await release().catch(() => undefined);
    // The entry being sent stays in-flight and is recovered by the next replay.
    process.exit(EXIT.interrupted);
  });
  try {
    const withEntries = await state.dlq.hubs(pipeline);
    const hubs =
      args.hub === undefined ? withEntries : [requireKnownHub(args.hub, hubsOf(state.config, withEntries))];
    const outcomes: HubReplayOutcome[] = [];
    let left = args.limit ?? Number.POSITIVE_INFINITY;
    for (const hub of hubs) {
      if (stop.signal.aborted || left <= 0) break;
      const outcome = await replayHub({
        config: state.config,
        dlq: state.dlq,
        pipeline,
        hub,
        limit: left,
        dryRun: args.dryRun,
        abortSignal: stop.signal,
        progress: replayProgress,
      });
      outcomes.push(outcome);
      const r = outcome.replay;
      if (r !== undefined) left -= r.replayedEntries + r.requeued + r.parked;
    }
    // Hubs never reached (interrupted, or the limit used up) still hold their entries.
    const unreached = hubs.filter((h) => !outcomes.some((o) => o.hub === h));
    const drained =
      !args.dryRun && unreached.length === 0 && outcomes.every((o) => o.remainingBecause === undefined);
    if (args.json) printJson({ pipeline, dryRun: args.dryRun, drained, hubs: outcomes, unreached });
    else {
      for (const line of formatReplay(pipeline, args.dryRun, outcomes)) printLine(line);
      if (unreached.length > 0)
        printLine(
          `  not reached (${stop.signal.aborted ? "interrupted" : "--limit"}): ${unreached.join(", ")}`,
        );
    }
    if (args.dryRun) return EXIT.ok;
    // Entries remain (the hub still fails, is paused, --limit stopped it, parked ones): run it again.
    return drained ? EXIT.ok : EXIT.deadLettered;
  } catch (error) {
    // What the operator needs to know besides the store's error: where the entries are.
    if (error instanceof StateStoreError) printError(STORE_STOPPED_ANSWERING);
    throw error;
  } finally {
    signals.dispose();
    await exclusive.close();
  }
}

export const registerDlqReplay: RegisterCommand = (y, setExitCode) =>
  y.command(
    "replay",
    "Re-drive dead letters to the hub that failed them (exit 0 drained, 3 entries remain, 1 failure)",
    (c) =>
      c
        .option("name", { type: "string", demandOption: true, describe: "pipeline name" })
        .option("hub", { type: "string", describe: "only this hub (default: every hub with entries)" })
        .option("limit", { type: "number", describe: "replay at most this many entries in all" })
        .option("dry-run", {
          type: "boolean",
          default: false,
          describe: "only report what would be replayed",
        })
        .option("json", { type: "boolean", default: false, describe: "JSON summary on stdout" }),
    async (args) =>
      setExitCode(
        await dlqReplayCommand({
          name: args.name,
          hub: args.hub,
          limit: args.limit,
          dryRun: args["dry-run"],
          json: args.json,
        }),
      ),
  );
