import type { DeadLetterQueue, DeadLetterRecord, ListDeadLettersOptions } from "./deadLetterQueue.js";

export type DeadLetterList = NonNullable<ListDeadLettersOptions["which"]>;

export const DEAD_LETTER_LISTS: readonly DeadLetterList[] = ["queued", "in-flight", "parked"];

/**
 * Every record of one list, oldest first, read a page at a time so that a queue of thousands of
 * large entries never sits in memory at once. Reads only; a concurrent replay may make a page
 * boundary skip or repeat an entry, which is acceptable for inspection, never for replay.
 */
export async function* eachDeadLetter(
  dlq: DeadLetterQueue,
  pipeline: string,
  hub: string,
  which: DeadLetterList,
  pageSize = 100,
): AsyncGenerator<DeadLetterRecord> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await dlq.list(pipeline, hub, { which, offset, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
  }
}
