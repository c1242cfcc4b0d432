import type { DeadLetterQueue, DeadLetterRecord } from "./deadLetterQueue.js";
import { DEAD_LETTER_LISTS, eachDeadLetter, type DeadLetterList } from "./eachDeadLetter.js";

export type DeadLetterSelector = { readonly id: string } | { readonly index: number };

export interface FoundDeadLetter {
  readonly which: DeadLetterList;
  /** 1-based position in its list (oldest = 1). */
  readonly index: number;
  readonly record: DeadLetterRecord;
}

/**
 * One entry by id (searched in `which`, or in every list when absent) or by 1-based index in
 * `which` (default the queue). Undefined when there is no such entry.
 */
export async function findDeadLetter(
  dlq: DeadLetterQueue,
  pipeline: string,
  hub: string,
  selector: DeadLetterSelector,
  which: DeadLetterList | undefined,
): Promise<FoundDeadLetter | undefined> {
  if ("index" in selector) {
    const list = which ?? "queued";
    const [record] = await dlq.list(pipeline, hub, { which: list, offset: selector.index - 1, limit: 1 });
    return record === undefined ? undefined : { which: list, index: selector.index, record };
  }
  for (const list of which === undefined ? DEAD_LETTER_LISTS : [which]) {
    let index = 0;
    for await (const record of eachDeadLetter(dlq, pipeline, hub, list)) {
      index += 1;
      if (record.state === "ok" && record.entry.id === selector.id) return { which: list, index, record };
    }
  }
  return undefined;
}
