import type { DeadLetterDepth, DeadLetterQueue, DeadLetterRecord } from "./deadLetterQueue.js";
import { DEAD_LETTER_LISTS, eachDeadLetter } from "./eachDeadLetter.js";

/** One hub's dead letters at a glance, for `dlq list`. */
export interface DlqHubOverview {
  readonly hub: string;
  readonly depth: DeadLetterDepth;
  readonly events: number;
  /** Earliest and latest `firstFailedAt` over every list (undefined when empty). */
  readonly oldest: string | undefined;
  readonly newest: string | undefined;
  /** Errors grouped by name, code and message, most frequent first; corrupt entries by their reason. */
  readonly reasons: readonly { readonly reason: string; readonly count: number }[];
}

/** Reads every entry of the hub's three lists (a page at a time) and summarises them. */
export async function dlqOverview(
  dlq: DeadLetterQueue,
  pipeline: string,
  hub: string,
): Promise<DlqHubOverview> {
  const depth = await dlq.depth(pipeline, hub);
  let events = 0;
  let oldest: string | undefined;
  let newest: string | undefined;
  const reasons = new Map<string, number>();
  for (const which of DEAD_LETTER_LISTS) {
    for await (const record of eachDeadLetter(dlq, pipeline, hub, which)) {
      const reason = reasonOf(record);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (record.state !== "ok") continue;
      events += record.entry.events.length;
      const at = record.entry.firstFailedAt;
      if (oldest === undefined || at < oldest) oldest = at;
      if (newest === undefined || at > newest) newest = at;
    }
  }
  return {
    hub,
    depth,
    events,
    oldest,
    newest,
    reasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** "Name/code: message" of the entry's last error, or "corrupt: <reason>". */
export function reasonOf(record: DeadLetterRecord): string {
  if (record.state === "corrupt") return `corrupt entry: ${record.reason}`;
  const { name, code, message } = record.entry.error;
  return `${name}${code === undefined || code === name ? "" : `/${code}`}: ${message}`;
}
