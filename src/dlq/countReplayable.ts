import type { DeadLetterQueue } from "./deadLetterQueue.js";
import { eachDeadLetter } from "./eachDeadLetter.js";

export interface ReplayableCount {
  readonly entries: number;
  readonly events: number;
  /** Unreadable entries among them: a replay parks these instead of sending them. */
  readonly corrupt: number;
}

/**
 * What a replay of (pipeline, hub) would take, without changing anything: in-flight entries
 * first (a replay recovers them to the front of the queue), then the queue, up to `limit`.
 */
export async function countReplayable(
  dlq: DeadLetterQueue,
  pipeline: string,
  hub: string,
  limit = Number.POSITIVE_INFINITY,
): Promise<ReplayableCount> {
  let entries = 0;
  let events = 0;
  let corrupt = 0;
  for (const which of ["in-flight", "queued"] as const) {
    for await (const record of eachDeadLetter(dlq, pipeline, hub, which)) {
      if (entries >= limit) return { entries, events, corrupt };
      if (record.state === "ok") {
        entries += 1;
        events += record.entry.events.length;
      } else corrupt += 1;
    }
  }
  return { entries, events, corrupt };
}
