import type { Failure } from "../model/failure.js";
import { join, resolve } from "node:path";
import { AtomicJsonFile } from "../state/atomicJsonFile.js";
import {
  decodeDeadLetter,
  encodeDeadLetter,
  failedAgain,
  newDeadLetterEntry,
  toRecord,
  unparked,
  type DecodedDeadLetter,
} from "./deadLetterCodec.js";
import type {
  ClaimedDeadLetter,
  DeadLetterDepth,
  DeadLetterEntry,
  DeadLetterQueue,
  DeadLetterRecord,
  ListDeadLettersOptions,
  NewDeadLetter,
  UnparkResult,
} from "./deadLetterQueue.js";
import { isObject } from "../state/jsonGuards.js";
import { encodeFileName, jsonFileNames } from "../state/safeFileName.js";

/**
 * `dlq/<pipeline>/<hub>.json` holds the three lists of one (pipeline, hub) as JSON values, so an
 * operator can read them. Every move between lists is one atomic file write, so an entry is
 * always in exactly one list. `raw` of a claimed entry is the JSON text of its stored value.
 */
interface HubLists {
  queue: unknown[];
  inflight: unknown[];
  parked: unknown[];
}

const LIST_OF = { queued: "queue", "in-flight": "inflight", parked: "parked" } as const;

export interface FileDeadLetterQueueOptions {
  /** The state directory; entries live under `<directory>/dlq`. */
  readonly directory: string;
}

export class FileDeadLetterQueue implements DeadLetterQueue {
  private readonly root: string;

  constructor(options: FileDeadLetterQueueOptions) {
    this.root = join(resolve(options.directory), "dlq");
  }

  async push(entry: NewDeadLetter): Promise<DeadLetterEntry> {
    const stored = newDeadLetterEntry(entry, new Date());
    await this.file(entry.pipeline, entry.hub).update((lists) => {
      lists.queue.push(toStoredValue(encodeDeadLetter(stored)));
      return { result: undefined, write: true };
    });
    return stored;
  }

  claim(pipeline: string, hub: string): Promise<ClaimedDeadLetter | undefined> {
    return this.file(pipeline, hub).update((lists) => {
      let parkedAny = false;
      for (let value = lists.queue.shift(); value !== undefined; value = lists.queue.shift()) {
        const raw = JSON.stringify(value);
        const decoded = decodeDeadLetter(raw, { pipeline, hub });
        if (decoded.state === "ok") {
          lists.inflight.push(value);
          return { result: { entry: decoded.entry, raw }, write: true };
        }
        // Unreadable: parked with its reason (never retried forever, never lost), then the next one.
        lists.parked.push(toStoredValue(decoded.parked));
        parkedAny = true;
      }
      return { result: undefined, write: parkedAny };
    });
  }

  async ack(claimed: ClaimedDeadLetter): Promise<void> {
    await this.file(claimed.entry.pipeline, claimed.entry.hub).update((lists) => {
      // Also looked for in the queue: a recovery may have put it back there, and it was delivered.
      const removed = removeRaw(lists.inflight, claimed.raw) || removeRaw(lists.queue, claimed.raw);
      return { result: undefined, write: removed };
    });
  }

  nack(claimed: ClaimedDeadLetter, error: Failure, maxAttempts: number): Promise<"queued" | "parked"> {
    const next = failedAgain(claimed.entry, error, new Date());
    const destination = next.replayAttempts >= maxAttempts ? "parked" : "queued";
    return this.file(claimed.entry.pipeline, claimed.entry.hub).update((lists) => {
      const removed = removeRaw(lists.inflight, claimed.raw) || removeRaw(lists.queue, claimed.raw);
      // Gone (acked or purged meanwhile): writing it back would resurrect it.
      if (!removed) return { result: destination, write: false };
      (destination === "parked" ? lists.parked : lists.queue).push(toStoredValue(encodeDeadLetter(next)));
      return { result: destination, write: true };
    });
  }

  recoverInFlight(pipeline: string, hub: string): Promise<number> {
    return this.file(pipeline, hub).update((lists) => {
      const moved = lists.inflight.length;
      lists.queue.unshift(...lists.inflight);
      lists.inflight = [];
      return { result: moved, write: moved > 0 };
    });
  }

  async list(
    pipeline: string,
    hub: string,
    options: ListDeadLettersOptions = {},
  ): Promise<readonly DeadLetterRecord[]> {
    const lists = await this.file(pipeline, hub).read();
    const offset = options.offset ?? 0;
    const values = lists[LIST_OF[options.which ?? "queued"]];
    const page = values.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
    return page.map((value) => toRecord(decode(value, pipeline, hub)));
  }

  async depth(pipeline: string, hub: string): Promise<DeadLetterDepth> {
    const lists = await this.file(pipeline, hub).read();
    return { queued: lists.queue.length, inFlight: lists.inflight.length, parked: lists.parked.length };
  }

  async hubs(pipeline: string): Promise<readonly string[]> {
    const hubs = await jsonFileNames(join(this.root, encodeFileName(pipeline)));
    const withEntries: string[] = [];
    for (const hub of hubs) {
      const d = await this.depth(pipeline, hub);
      if (d.queued + d.inFlight + d.parked > 0) withEntries.push(hub);
    }
    return withEntries.sort();
  }

  unpark(pipeline: string, hub: string): Promise<UnparkResult> {
    return this.file(pipeline, hub).update((lists) => {
      const stay: unknown[] = [];
      let requeued = 0;
      for (const value of lists.parked) {
        const decoded = decode(value, pipeline, hub);
        if (decoded.state !== "ok") {
          stay.push(value);
          continue;
        }
        lists.queue.push(toStoredValue(encodeDeadLetter(unparked(decoded.entry))));
        requeued += 1;
      }
      lists.parked = stay;
      return { result: { requeued, unreadable: stay.length }, write: requeued > 0 };
    });
  }

  purge(pipeline: string, hub: string, which: "queued" | "parked" | "all"): Promise<number> {
    return this.file(pipeline, hub).update((lists) => {
      let purged = 0;
      if (which === "queued" || which === "all") purged += lists.queue.splice(0).length;
      if (which === "parked" || which === "all") purged += lists.parked.splice(0).length;
      if (which === "all") purged += lists.inflight.splice(0).length;
      return { result: purged, write: purged > 0 };
    });
  }

  private file(pipeline: string, hub: string): AtomicJsonFile<HubLists> {
    return new AtomicJsonFile<HubLists>({
      path: join(this.root, encodeFileName(pipeline), `${encodeFileName(hub)}.json`),
      empty: () => ({ queue: [], inflight: [], parked: [] }),
      isValid: (v): v is HubLists =>
        isObject(v) && Array.isArray(v.queue) && Array.isArray(v.inflight) && Array.isArray(v.parked),
      recoveryHint:
        "It holds undelivered batches: move it aside and inspect it (do not just delete it); this " +
        "hub's dead letters cannot be replayed until the file is valid JSON again.",
    });
  }
}

function decode(value: unknown, pipeline: string, hub: string): DecodedDeadLetter {
  return decodeDeadLetter(JSON.stringify(value), { pipeline, hub });
}

/** Stored texts are valid JSON here (encoded entries or corrupt wrappers), kept as values for readability. */
function toStoredValue(text: string): unknown {
  return JSON.parse(text) as unknown;
}

function removeRaw(values: unknown[], raw: string): boolean {
  const index = values.findIndex((value) => JSON.stringify(value) === raw);
  if (index >= 0) values.splice(index, 1);
  return index >= 0;
}
