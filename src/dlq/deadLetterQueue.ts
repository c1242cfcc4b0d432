import type { Failure } from "../model/failure.js";
import type { OutboundEvent } from "../model/outboundEvent.js";

/**
 * Per pipeline and hub: batches that a hub did not take, kept durably until a replay re-drives
 * them to that hub only. Entries move queue → in-flight while a replay sends them (atomically,
 * so a crash mid-replay leaves them in in-flight, recovered on the next start), and to "parked"
 * after too many attempts or when they cannot be read.
 */
export interface DeadLetterQueue {
  /** Appends an entry to the (pipeline, hub) queue. Resolves once it is durable. */
  push(entry: NewDeadLetter): Promise<DeadLetterEntry>;

  /** Moves the oldest queued entry of (pipeline, hub) to in-flight and returns it; undefined when empty. */
  claim(pipeline: string, hub: string): Promise<ClaimedDeadLetter | undefined>;
  /** The claimed entry was delivered: removes it from in-flight. */
  ack(claimed: ClaimedDeadLetter): Promise<void>;
  /**
   * The claimed entry failed again in a replay: back to the END of the queue with
   * replayAttempts + 1 and `error`, or to parked when replayAttempts reach `maxAttempts` (the
   * pipeline's own send attempts do not count). Returns where it went.
   */
  nack(claimed: ClaimedDeadLetter, error: Failure, maxAttempts: number): Promise<"queued" | "parked">;
  /** Moves every in-flight entry of (pipeline, hub) back to the front of the queue (after a crash). */
  recoverInFlight(pipeline: string, hub: string): Promise<number>;

  /** Reads without changing: the queue (oldest first), in-flight or parked entries. */
  list(pipeline: string, hub: string, options?: ListDeadLettersOptions): Promise<readonly DeadLetterRecord[]>;
  depth(pipeline: string, hub: string): Promise<DeadLetterDepth>;
  /** Hubs that have any entries (queued, in-flight or parked) for the pipeline. */
  hubs(pipeline: string): Promise<readonly string[]>;
  /**
   * Puts parked entries back at the end of the queue with their replay attempts reset, oldest
   * first. Unreadable (corrupt) parked texts stay parked: replaying them is impossible.
   */
  unpark(pipeline: string, hub: string): Promise<UnparkResult>;
  /** Deletes entries; returns how many. */
  purge(pipeline: string, hub: string, which: "queued" | "parked" | "all"): Promise<number>;
}

export interface NewDeadLetter {
  readonly pipeline: string;
  readonly hub: string;
  readonly location: string;
  readonly window: { readonly from: string; readonly to: string };
  readonly events: readonly OutboundEvent[];
  readonly error: Failure;
  /** How many send attempts were made before dead-lettering (0 when spooled for a paused hub). */
  readonly attempts: number;
}

export interface DeadLetterEntry extends NewDeadLetter {
  readonly id: string;
  /** Failed replays since it was written (or last unparked); parking counts these only. */
  readonly replayAttempts: number;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
}

/** A claimed entry keeps the exact stored text so it can be removed from in-flight atomically. */
export interface ClaimedDeadLetter {
  readonly entry: DeadLetterEntry;
  readonly raw: string;
}

/** What `list` returns: a readable entry, or the raw text and reason of one that is corrupt. */
export type DeadLetterRecord =
  | { readonly state: "ok"; readonly entry: DeadLetterEntry }
  | { readonly state: "corrupt"; readonly raw: string; readonly reason: string };

export interface ListDeadLettersOptions {
  readonly which?: "queued" | "in-flight" | "parked";
  readonly offset?: number;
  readonly limit?: number;
}

export interface UnparkResult {
  /** Entries moved back to the queue. */
  readonly requeued: number;
  /** Unreadable texts left parked (inspect them with `dlq show --which parked`). */
  readonly unreadable: number;
}

export interface DeadLetterDepth {
  readonly queued: number;
  readonly inFlight: number;
  readonly parked: number;
}
