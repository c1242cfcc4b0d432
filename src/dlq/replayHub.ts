import type { Config } from "../config/config.js";
import { ConfigError } from "../config/configError.js";
import { countReplayable, type ReplayableCount } from "./countReplayable.js";
import { replayDeadLetters, type ReplaySummary, type ReplayTarget } from "./replayDeadLetters.js";
import { componentLogger } from "../observability/logger.js";
import { FanOutSink } from "../sinks/fanOutSink.js";
import type { DeadLetterDepth, DeadLetterQueue } from "./deadLetterQueue.js";
import { configuredHub, hubVariable } from "../config/hubConfig.js";

/** What happened to one hub's dead letters in `dlq replay`. */
export interface HubReplayOutcome {
  readonly hub: string;
  readonly before: DeadLetterDepth;
  readonly after: DeadLetterDepth;
  /** --dry-run: what would have been replayed. */
  readonly wouldReplay?: ReplayableCount;
  readonly replay?: ReplaySummary;
  /** Why queued or in-flight entries remain; absent when the hub's queue drained. */
  readonly remainingBecause?: string;
}

export interface ReplayHubOptions {
  readonly config: Config;
  readonly dlq: DeadLetterQueue;
  readonly pipeline: string;
  readonly hub: string;
  readonly limit: number;
  readonly dryRun: boolean;
  /** Aborted on the first SIGINT: the replay stops after the entry being sent. */
  readonly abortSignal: AbortSignal;
  /** Shows progress (the CLI's bar); told the hub and the entries to replay once they are known. */
  readonly progress?: (hub: string, totalEntries: number) => ReplayProgress;
}

/** Where replay progress goes: `update` after each entry, `done` once (it may be called again). */
export interface ReplayProgress {
  update(progress: ReplaySummary): void;
  done(): void;
}

const NO_PROGRESS: ReplayProgress = { update: () => undefined, done: () => undefined };

/**
 * Replays one hub's dead letters to that hub only, through a sink that holds just that hub (a
 * hub that cannot be served then fails alone). Paused and unconfigured
 * hubs are left alone: sending to a hub the operator paused would undo the pause.
 */
export async function replayHub(options: ReplayHubOptions): Promise<HubReplayOutcome> {
  const { config, dlq, pipeline, hub } = options;
  const before = await dlq.depth(pipeline, hub);
  const skipped = (remainingBecause: string, extra: Partial<HubReplayOutcome> = {}): HubReplayOutcome => ({
    hub,
    before,
    after: before,
    ...extra,
    ...(before.queued + before.inFlight > 0 ? { remainingBecause } : {}),
  });
  const hubConfig = configuredHub(config, hub);
  const blocked =
    hubConfig === undefined
      ? `hub "${hub}" is not configured; add it to EVENT_HUB_CONNECTION_STRINGS to replay`
      : hubConfig.paused
        ? `hub "${hub}" is paused (EVENT_HUB_PAUSED or "paused": true); unpause it to replay`
        : undefined;
  if (options.dryRun) {
    const wouldReplay =
      blocked === undefined
        ? await countReplayable(dlq, pipeline, hub, options.limit)
        : { entries: 0, events: 0, corrupt: 0 };
    return skipped(blocked ?? "dry run", { wouldReplay });
  }
  if (blocked !== undefined || hubConfig === undefined) return skipped(blocked ?? "");
  if (before.queued + before.inFlight === 0)
    return {
      hub,
      before,
      after: before,
      ...(before.parked > 0 ? { remainingBecause: parkedRemain(before.parked) } : {}),
    };

  let sink: FanOutSink;
  try {
    sink = new FanOutSink({
      hubs: [hubConfig],
      delivery: config.delivery,
      dlq,
      logger: componentLogger("replay"),
    });
  } catch (error) {
    if (error instanceof ConfigError) return skipped(error.message);
    throw error;
  }
  // The stop signal is deliberately not passed to the send: an interrupt lets the entry being
  // sent finish (and be acknowledged or put back) instead of cancelling it half-way.
  const target: ReplayTarget = { sendToHub: (name, events) => sink.sendToHub(name, events) };
  const progress =
    options.progress?.(hub, Math.min(options.limit, before.queued + before.inFlight)) ?? NO_PROGRESS;
  try {
    const replay = await replayDeadLetters(dlq, target, {
      pipeline,
      hub,
      maxAttempts: config.dlq.maxAttempts,
      abortSignal: options.abortSignal,
      onProgress: (p) => progress.update(p),
      ...(Number.isFinite(options.limit) ? { limit: options.limit } : {}),
    });
    progress.done();
    const after = await dlq.depth(pipeline, hub);
    const queueLeft = after.queued + after.inFlight > 0;
    return {
      hub,
      before,
      after,
      replay,
      ...(queueLeft
        ? { remainingBecause: reasonRemaining(replay, config, hub, options.limit) }
        : after.parked > 0
          ? { remainingBecause: parkedRemain(after.parked) }
          : {}),
    };
  } finally {
    progress.done();
    await sink.close();
  }
}

function reasonRemaining(replay: ReplaySummary, config: Config, hub: string, limit: number): string {
  const handled = replay.replayedEntries + replay.requeued + replay.parked;
  if (replay.stoppedBecause === "interrupted") return "interrupted; run the replay again to continue";
  if (replay.stoppedBecause !== undefined)
    return `hub still failing: ${replay.stoppedBecause} (check ${hubVariable(config, hub)} and the hub)`;
  if (handled >= limit) return `--limit ${limit} reached`;
  return "entries were added while replaying; run the replay again";
}

/** Parked entries are never replayed by themselves: say so, and how to get them back. */
function parkedRemain(parked: number): string {
  return (
    `${parked} parked entr${parked === 1 ? "y remains" : "ies remain"} (failed DLQ_MAX_ATTEMPTS replays, or unreadable): ` +
    "inspect them with `dlq list` / `dlq show --which parked`, then `dlq unpark` puts them back in the queue"
  );
}
