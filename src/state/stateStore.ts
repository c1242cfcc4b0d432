import type { TimeWindow } from "../model/timeWindow.js";

/**
 * Durable state of the pipelines: watermarks, the delivered-ids set used for dedupe, the cached
 * Microshare token, counters, last tick results and the lease lock. Two implementations pass
 * one contract suite: Redis (production, several processes) and an embedded file store (one
 * process, no Redis). Every method is safe to call concurrently from one process.
 */
export interface StateStore {
  readonly kind: "redis" | "file";
  /** Human-readable location of the state (Redis URL without password, or directory). */
  readonly description: string;

  /** Watermarks of one pipeline: location → end of the last settled window. */
  watermarks(pipeline: string): Promise<ReadonlyMap<string, Date>>;

  /**
   * How dense each location's data has been (lines per hour, as the engine last estimated it),
   * kept with the watermark so that a restart sizes its windows as well as the last run did.
   */
  densities(pipeline: string): Promise<ReadonlyMap<string, number>>;

  /**
   * Atomically records a settled window of one location: adds `delivered` ids to the dedupe set
   * (kept until `deliveredUntil`, normally event time + lookback + margin) and moves the
   * watermark to `window.to` unless it is already later (a watermark never moves backwards).
   * With a `fence`, the commit is refused (returns "fenced", nothing written) unless the fence
   * still holds the pipeline's lease: a stalled instance cannot overwrite newer state.
   */
  settleWindow(settlement: WindowSettlement): Promise<"committed" | "fenced">;

  /** Of `ids`, those already recorded as delivered for (pipeline, location). Order preserved. */
  deliveredAmong(pipeline: string, location: string, ids: readonly string[]): Promise<ReadonlySet<string>>;

  /** Forgets delivered ids whose keep-until time is before `before` (called once per tick). */
  pruneDelivered(pipeline: string, before: Date): Promise<number>;

  /** Cached values with an expiry (the Microshare token). Undefined when absent or expired. */
  getCached(key: string): Promise<string | undefined>;
  setCached(key: string, value: string, expiresAt: Date): Promise<void>;
  deleteCached(key: string): Promise<void>;

  /** Adds to named counters of a pipeline (events fetched, sent, duplicates skipped …). */
  incrementCounters(pipeline: string, deltas: Readonly<Record<string, number>>): Promise<void>;
  counters(pipeline: string): Promise<Readonly<Record<string, number>>>;

  /**
   * Where a pipeline resumes after a cut-over from another system (`migrate`): no window of it
   * starts earlier, and a location without a watermark starts here instead of now − initial
   * lookback. Undefined when never set.
   */
  resumeFrom(pipeline: string): Promise<Date | undefined>;
  /** Sets (or with undefined, clears) the resume point of a pipeline. */
  setResumeFrom(pipeline: string, at: Date | undefined): Promise<void>;

  /** The last tick's summary (JSON-serialisable) of a pipeline, for `status`. */
  setLastTick(pipeline: string, summary: unknown): Promise<void>;
  lastTick(pipeline: string): Promise<unknown>;

  /**
   * Takes the pipeline's lease for `owner` when it is free or expired, or renews it when `owner`
   * already holds it. Returns the fence (a number that grows with every new holder), or
   * undefined when another owner holds a live lease.
   */
  acquireLease(pipeline: string, owner: string, ttlInMs: number): Promise<Lease | undefined>;
  /** Releases the lease if `lease` still holds it. */
  releaseLease(lease: Lease): Promise<void>;

  /** Idempotent. */
  close(): Promise<void>;
}

export interface WindowSettlement {
  readonly pipeline: string;
  readonly location: string;
  readonly window: TimeWindow;
  readonly delivered: readonly string[];
  readonly deliveredUntil: Date;
  /**
   * False for re-reads of a range on demand (--from/--to): the ids are recorded, the watermark
   * is left alone, because the range may end beyond windows never read. Default true.
   */
  readonly advanceWatermark?: boolean;
  /** The location's density estimate after this window (lines per hour), written with it. */
  readonly linesPerHour?: number;
  readonly fence?: Lease;
}

export interface Lease {
  readonly pipeline: string;
  readonly owner: string;
  readonly fence: number;
  readonly expiresAt: Date;
}
