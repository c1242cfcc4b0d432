import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import type { AtomicJsonFile } from "./atomicJsonFile.js";
import {
  cacheFile,
  countersFile,
  lastTickFile,
  leasesFile,
  resumeFile,
  locationFile,
  locationsDirectory,
  type CacheFile,
  type CountersFile,
  type LastTickFile,
  type LeasesFile,
  type LocationFile,
  type ResumeFile,
} from "./fileStateFiles.js";
import { getOwn, setOwn } from "./jsonGuards.js";
import { jsonFileNames } from "./safeFileName.js";
import { checkCounterDeltas, checkSettlement, checkTime, checkTtl, leaseOf } from "./stateArguments.js";
import { StateStoreError } from "./stateStoreError.js";
import type { Lease, StateStore, WindowSettlement } from "./stateStore.js";

export interface FileStateStoreOptions {
  /** Created if missing. */
  readonly directory: string;
}

/**
 * The embedded store for one process without Redis: JSON files in one directory, each written
 * atomically (see AtomicJsonFile). The lease is real (owner, fence, expiry in `leases.json`) but
 * protects only against holders in this process or processes that take turns, since file writes
 * of two processes are not serialised against each other.
 */
export class FileStateStore implements StateStore {
  readonly kind = "file";
  readonly description: string;
  readonly directory: string;
  private readonly cache: AtomicJsonFile<CacheFile>;
  private readonly countersFile: AtomicJsonFile<CountersFile>;
  private readonly lastTicks: AtomicJsonFile<LastTickFile>;
  private readonly leases: AtomicJsonFile<LeasesFile>;
  private readonly resumePoints: AtomicJsonFile<ResumeFile>;
  private ready: Promise<void> | undefined;
  private closed = false;

  constructor(options: FileStateStoreOptions) {
    this.directory = resolve(options.directory);
    this.description = this.directory;
    this.cache = cacheFile(this.directory);
    this.countersFile = countersFile(this.directory);
    this.lastTicks = lastTickFile(this.directory);
    this.leases = leasesFile(this.directory);
    this.resumePoints = resumeFile(this.directory);
  }

  async watermarks(pipeline: string): Promise<ReadonlyMap<string, Date>> {
    const watermarks = new Map<string, Date>();
    for (const location of await this.locations(pipeline)) {
      const { watermark } = await locationFile(this.directory, pipeline, location).read();
      if (watermark !== null) watermarks.set(location, new Date(watermark));
    }
    return watermarks;
  }

  async densities(pipeline: string): Promise<ReadonlyMap<string, number>> {
    const densities = new Map<string, number>();
    for (const location of await this.locations(pipeline)) {
      const { linesPerHour } = await locationFile(this.directory, pipeline, location).read();
      if (linesPerHour !== undefined) densities.set(location, linesPerHour);
    }
    return densities;
  }

  async settleWindow(settlement: WindowSettlement): Promise<"committed" | "fenced"> {
    checkSettlement(settlement);
    await this.open();
    const write = (): Promise<"committed"> =>
      locationFile(this.directory, settlement.pipeline, settlement.location).update((draft) => {
        settle(draft, settlement);
        return { result: "committed" as const, write: true };
      });
    const { fence } = settlement;
    if (fence === undefined) return write();
    // The fence check and the write happen while no lease change can run (leases queue held).
    return this.leases.exclusive(async () =>
      holds(await this.leases.read(), fence, Date.now()) ? write() : "fenced",
    );
  }

  async deliveredAmong(
    pipeline: string,
    location: string,
    ids: readonly string[],
  ): Promise<ReadonlySet<string>> {
    await this.open();
    const { delivered } = await locationFile(this.directory, pipeline, location).read();
    const now = Date.now();
    return new Set(ids.filter((id) => (getOwn(delivered, id) ?? -Infinity) >= now));
  }

  async pruneDelivered(pipeline: string, before: Date): Promise<number> {
    checkTime("before", before);
    const limit = before.getTime();
    let removed = 0;
    for (const location of await this.locations(pipeline)) {
      removed += await locationFile(this.directory, pipeline, location).update((draft) => {
        let count = 0;
        for (const [id, keepUntil] of Object.entries(draft.delivered)) {
          if (keepUntil < limit) {
            delete draft.delivered[id];
            count += 1;
          }
        }
        return { result: count, write: count > 0 };
      });
    }
    return removed;
  }

  async getCached(key: string): Promise<string | undefined> {
    await this.open();
    const cached = getOwn(await this.cache.read(), key);
    return cached !== undefined && Date.parse(cached.expiresAt) > Date.now() ? cached.value : undefined;
  }

  async setCached(key: string, value: string, expiresAt: Date): Promise<void> {
    checkTime("expiresAt", expiresAt);
    await this.open();
    await this.cache.update((draft) => {
      const now = Date.now();
      for (const [k, v] of Object.entries(draft)) if (Date.parse(v.expiresAt) <= now) delete draft[k];
      setOwn(draft, key, { value, expiresAt: expiresAt.toISOString() });
      return { result: undefined, write: true };
    });
  }

  async deleteCached(key: string): Promise<void> {
    await this.open();
    await this.cache.update((draft) => {
      const present = Object.hasOwn(draft, key);
      delete draft[key];
      return { result: undefined, write: present };
    });
  }

  async incrementCounters(pipeline: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    checkCounterDeltas(deltas);
    await this.open();
    await this.countersFile.update((draft) => {
      const counters = getOwn(draft, pipeline) ?? setOwn(draft, pipeline, {});
      for (const [name, delta] of Object.entries(deltas))
        setOwn(counters, name, (getOwn(counters, name) ?? 0) + delta);
      return { result: undefined, write: true };
    });
  }

  async counters(pipeline: string): Promise<Readonly<Record<string, number>>> {
    await this.open();
    return getOwn(await this.countersFile.read(), pipeline) ?? {};
  }

  async resumeFrom(pipeline: string): Promise<Date | undefined> {
    await this.open();
    const stored = getOwn(await this.resumePoints.read(), pipeline);
    return stored === undefined ? undefined : new Date(stored);
  }

  async setResumeFrom(pipeline: string, at: Date | undefined): Promise<void> {
    if (at !== undefined) checkTime("at", at);
    await this.open();
    await this.resumePoints.update((draft) => {
      if (at === undefined) delete draft[pipeline];
      else setOwn(draft, pipeline, at.toISOString());
      return { result: undefined, write: true };
    });
  }

  async setLastTick(pipeline: string, summary: unknown): Promise<void> {
    // Stored as its JSON form so that reading it back gives what the Redis store gives.
    const stored: unknown = summary === undefined ? undefined : JSON.parse(JSON.stringify(summary));
    await this.open();
    await this.lastTicks.update((draft) => {
      setOwn(draft, pipeline, stored);
      return { result: undefined, write: true };
    });
  }

  async lastTick(pipeline: string): Promise<unknown> {
    await this.open();
    return getOwn(await this.lastTicks.read(), pipeline);
  }

  async acquireLease(pipeline: string, owner: string, ttlInMs: number): Promise<Lease | undefined> {
    checkTtl(ttlInMs);
    await this.open();
    return this.leases.update((draft) => {
      const now = Date.now();
      const record = getOwn(draft, pipeline) ?? { fence: 0, holder: null };
      const live = record.holder !== null && Date.parse(record.holder.expiresAt) > now;
      if (live && record.holder?.owner !== owner) return { result: undefined, write: false };
      // A renewal keeps the fence; a new holder (or the same owner after expiry) gets a new one.
      const fence = live ? record.fence : record.fence + 1;
      const lease = leaseOf(pipeline, owner, fence, now, ttlInMs);
      setOwn(draft, pipeline, { fence, holder: { owner, expiresAt: lease.expiresAt.toISOString() } });
      return { result: lease, write: true };
    });
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.open();
    await this.leases.update((draft) => {
      const record = getOwn(draft, lease.pipeline);
      if (record === undefined || !holds(draft, lease, Date.now()))
        return { result: undefined, write: false };
      setOwn(draft, lease.pipeline, { fence: record.fence, holder: null });
      return { result: undefined, write: true };
    });
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private async locations(pipeline: string): Promise<string[]> {
    await this.open();
    return jsonFileNames(locationsDirectory(this.directory, pipeline));
  }

  private open(): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new StateStoreError(this.description, "call", new Error("store is closed"), "Create a new store."),
      );
    }
    this.ready ??= mkdir(this.directory, { recursive: true }).then(() => undefined);
    return this.ready;
  }
}

/** True when `lease` is still the live holder of its pipeline's lease. */
function holds(leases: LeasesFile, lease: Lease, now: number): boolean {
  const record = getOwn(leases, lease.pipeline);
  const holder = record?.holder;
  return (
    holder !== undefined &&
    holder !== null &&
    holder.owner === lease.owner &&
    record?.fence === lease.fence &&
    Date.parse(holder.expiresAt) > now
  );
}

function settle(draft: LocationFile, settlement: WindowSettlement): void {
  const keepUntil = settlement.deliveredUntil.getTime();
  // Like ZADD GT: an id already kept longer keeps its later expiry.
  for (const id of settlement.delivered) {
    setOwn(draft.delivered, id, Math.max(getOwn(draft.delivered, id) ?? keepUntil, keepUntil));
  }
  if (settlement.linesPerHour !== undefined) draft.linesPerHour = settlement.linesPerHour;
  if (settlement.advanceWatermark === false) return;
  const to = settlement.window.to;
  if (draft.watermark === null || Date.parse(draft.watermark) < to.getTime())
    draft.watermark = to.toISOString();
}
