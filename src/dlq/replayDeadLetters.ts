import type { OutboundEvent } from "../model/outboundEvent.js";
import { toDeliveryError } from "../sinks/toDeliveryError.js";
import type { DeadLetterQueue } from "../state/deadLetterQueue.js";

/** What replay needs from a sink: send to one hub only, throw on failure. */
export interface ReplayTarget {
  sendToHub(
    hub: string,
    events: readonly OutboundEvent[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<void>;
}

export interface ReplayOptions {
  readonly pipeline: string;
  readonly hub: string;
  /** Entries to replay at most (default: all). */
  readonly limit?: number;
  /** After this many failed attempts an entry is parked instead of queued again. */
  readonly maxAttempts: number;
  readonly abortSignal?: AbortSignal;
  readonly onProgress?: (progress: ReplaySummary) => void;
}

export interface ReplaySummary {
  /** In-flight entries found from an interrupted replay and queued again first. */
  readonly recovered: number;
  readonly replayedEntries: number;
  readonly replayedEvents: number;
  /** Entries that failed again and went back to the queue (attempts + 1). */
  readonly requeued: number;
  readonly parked: number;
  /** Why replay stopped before the queue was empty, if it did. */
  readonly stoppedBecause?: string;
}

/**
 * Re-drives a hub's dead letters to that hub only, oldest first. Each entry moves atomically to
 * in-flight before sending and is removed only after the hub acknowledged it, so a crash
 * mid-replay leaves it in-flight, and the next replay recovers it first (at worst one entry is
 * sent twice). The first failure stops the replay: the hub is evidently still unwell, and going
 * on would only burn every entry's attempts. Safe to interrupt and run again.
 */
export async function replayDeadLetters(
  dlq: DeadLetterQueue,
  target: ReplayTarget,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const recovered = await dlq.recoverInFlight(options.pipeline, options.hub);
  let summary: ReplaySummary = { recovered, replayedEntries: 0, replayedEvents: 0, requeued: 0, parked: 0 };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (summary.replayedEntries + summary.requeued + summary.parked < limit) {
    if (options.abortSignal?.aborted === true) return { ...summary, stoppedBecause: "interrupted" };
    const claimed = await dlq.claim(options.pipeline, options.hub);
    if (claimed === undefined) break;
    try {
      await target.sendToHub(
        options.hub,
        claimed.entry.events,
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      );
    } catch (thrown) {
      const error = toDeliveryError(thrown).toJSON();
      const where = await dlq.nack(claimed, error, options.maxAttempts);
      summary =
        where === "parked"
          ? { ...summary, parked: summary.parked + 1 }
          : { ...summary, requeued: summary.requeued + 1 };
      options.onProgress?.(summary);
      return {
        ...summary,
        stoppedBecause: `${error.name}${error.code === undefined ? "" : `/${error.code}`}: ${error.message}`,
      };
    }
    await dlq.ack(claimed);
    summary = {
      ...summary,
      replayedEntries: summary.replayedEntries + 1,
      replayedEvents: summary.replayedEvents + claimed.entry.events.length,
    };
    options.onProgress?.(summary);
  }
  return summary;
}
