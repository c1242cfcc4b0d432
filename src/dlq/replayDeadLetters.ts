import type { OutboundEvent } from "../model/outboundEvent.js";
import { toDeliveryError } from "../sinks/toDeliveryError.js";
import type { ClaimedDeadLetter, DeadLetterQueue } from "./deadLetterQueue.js";

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
  /** How many entries are claimed and sent together. Default DEFAULT_REPLAY_GROUP. */
  readonly group?: { readonly maxEntries: number; readonly maxEvents: number };
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

/** Entries claimed and sent together: enough to fill whole batches, few enough to re-send cheaply. */
export const DEFAULT_REPLAY_GROUP = { maxEntries: 32, maxEvents: 5_000 } as const;

/**
 * Re-drives a hub's dead letters to that hub only, oldest first. After a first single entry has
 * gone through, entries are claimed in groups (each moved atomically to in-flight) and their
 * events sent together, so batches are full, the next group being claimed while one is sent;
 * they are removed only after the hub acknowledged the whole group. A crash mid-replay leaves
 * them in-flight and the next replay recovers them first (at worst one group is sent twice).
 * The first failure stops the replay, each claimed entry going back with one more attempt (or
 * parked): the hub is evidently still unwell, and going on would only burn every entry's
 * attempts. Safe to interrupt and run again.
 */
export async function replayDeadLetters(
  dlq: DeadLetterQueue,
  target: ReplayTarget,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const recovered = await dlq.recoverInFlight(options.pipeline, options.hub);
  let summary: ReplaySummary = { recovered, replayedEntries: 0, replayedEvents: 0, requeued: 0, parked: 0 };
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const group = options.group ?? DEFAULT_REPLAY_GROUP;
  // The next group, claimed while the current one is sent (reading and decoding entries then
  // overlaps the hub's round trips). Claimed means in-flight: every early return puts it back.
  let upcoming: Promise<ClaimedDeadLetter[]> | undefined;
  const claimAhead = (maxEntries: number): Promise<ClaimedDeadLetter[]> => {
    const claiming = claimGroup(dlq, options, maxEntries, group.maxEvents);
    // Awaited (and its error thrown) where it is used; never an unhandled rejection meanwhile.
    claiming.catch(() => undefined);
    return claiming;
  };
  const putBackUpcoming = async (): Promise<void> => {
    if (upcoming === undefined) return;
    await upcoming.catch(() => undefined);
    upcoming = undefined;
    await dlq.recoverInFlight(options.pipeline, options.hub);
  };
  for (;;) {
    if (options.abortSignal?.aborted === true) {
      await putBackUpcoming();
      return { ...summary, stoppedBecause: "interrupted" };
    }
    const handled = summary.replayedEntries + summary.requeued + summary.parked;
    // Slow start: one entry probes the hub; groups follow only once it took one. A hub that is
    // still down thus costs a single entry one attempt, not a whole group.
    const size = summary.replayedEntries === 0 ? 1 : group.maxEntries;
    const claimed = await (upcoming ?? claimAhead(Math.min(size, limit - handled)));
    upcoming = undefined;
    if (claimed.length === 0) break;
    const events = claimed.flatMap((c) => c.entry.events);
    const next = handled + claimed.length;
    if (summary.replayedEntries > 0 && next < limit) {
      upcoming = claimAhead(Math.min(group.maxEntries, limit - next));
    }
    try {
      await target.sendToHub(
        options.hub,
        events,
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      );
    } catch (thrown) {
      // A group fails as a whole; find the entry that fails by itself, so one bad entry (an
      // oversized event) does not cost its neighbours an attempt.
      const onReplayed = (c: ClaimedDeadLetter) => {
        summary = {
          ...summary,
          replayedEntries: summary.replayedEntries + 1,
          replayedEvents: summary.replayedEvents + c.entry.events.length,
        };
      };
      const failed =
        claimed.length === 1
          ? { claimed: claimed[0]!, thrown }
          : await sendOneByOne(dlq, target, options, claimed, onReplayed);
      if (failed === undefined) {
        options.onProgress?.(summary);
        continue;
      }
      const error = toDeliveryError(failed.thrown).toJSON();
      const where = await dlq.nack(failed.claimed, error, options.maxAttempts);
      summary =
        where === "parked"
          ? { ...summary, parked: summary.parked + 1 }
          : { ...summary, requeued: summary.requeued + 1 };
      // The group's entries not tried yet, and the group claimed ahead, go back to the front of
      // the queue, untouched.
      await upcoming?.catch(() => undefined);
      upcoming = undefined;
      await dlq.recoverInFlight(options.pipeline, options.hub);
      options.onProgress?.(summary);
      return {
        ...summary,
        stoppedBecause: `${error.name}${error.code === undefined ? "" : `/${error.code}`}: ${error.message}`,
      };
    }
    await Promise.all(claimed.map((c) => dlq.ack(c)));
    summary = {
      ...summary,
      replayedEntries: summary.replayedEntries + claimed.length,
      replayedEvents: summary.replayedEvents + events.length,
    };
    options.onProgress?.(summary);
  }
  return summary;
}

/** Sends claimed entries one at a time, acking each; returns the first that fails, if one does. */
async function sendOneByOne(
  dlq: DeadLetterQueue,
  target: ReplayTarget,
  options: ReplayOptions,
  claimed: readonly ClaimedDeadLetter[],
  onReplayed: (c: ClaimedDeadLetter) => void,
): Promise<{ claimed: ClaimedDeadLetter; thrown: unknown } | undefined> {
  for (const c of claimed) {
    try {
      await target.sendToHub(
        options.hub,
        c.entry.events,
        options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal },
      );
    } catch (thrown) {
      return { claimed: c, thrown };
    }
    await dlq.ack(c);
    onReplayed(c);
  }
  return undefined;
}

/** Claims up to `maxEntries` entries, stopping early once `maxEvents` events are in hand. */
async function claimGroup(
  dlq: DeadLetterQueue,
  options: ReplayOptions,
  maxEntries: number,
  maxEvents: number,
): Promise<ClaimedDeadLetter[]> {
  const claimed: ClaimedDeadLetter[] = [];
  let events = 0;
  while (claimed.length < maxEntries && events < maxEvents) {
    const next = await dlq.claim(options.pipeline, options.hub);
    if (next === undefined) break;
    claimed.push(next);
    events += next.entry.events.length;
  }
  return claimed;
}
