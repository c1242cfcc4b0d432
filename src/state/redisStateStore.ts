import type { RedisConnection } from "./redisConnection.js";
import { throwFirstError } from "./redisReplies.js";
import { RedisKeys } from "./redisKeys.js";
import { ACQUIRE_LEASE, PRUNE_DELIVERED, RELEASE_LEASE, SETTLE_WINDOW } from "./redisScripts.js";
import { checkCounterDeltas, checkSettlement, checkTime, checkTtl, leaseOf } from "./stateArguments.js";
import type { Lease, StateStore, WindowSettlement } from "./stateStore.js";

/**
 * The production store (several processes may share it). Watermarks are a hash of epoch-ms per
 * pipeline; delivered ids a sorted set per (pipeline, location) scored by keep-until; the lease
 * a hash {owner, fence} with PX expiry. Settlement, lease and prune steps are Lua scripts (see
 * redisScripts.ts). Closing the store closes the connection it shares with the DLQ.
 */
export class RedisStateStore implements StateStore {
  readonly kind = "redis";
  readonly description: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly keys: RedisKeys,
  ) {
    this.description = connection.description;
  }

  watermarks(pipeline: string): Promise<ReadonlyMap<string, Date>> {
    return this.connection.run("read watermarks", async (redis) => {
      const stored = await redis.hgetall(this.keys.watermarks(pipeline));
      return new Map(Object.entries(stored).map(([location, ms]) => [location, new Date(Number(ms))]));
    });
  }

  densities(pipeline: string): Promise<ReadonlyMap<string, number>> {
    return this.connection.run("read densities", async (redis) => {
      const stored = await redis.hgetall(this.keys.densities(pipeline));
      return new Map(
        Object.entries(stored)
          .map(([location, value]) => [location, Number(value)] as const)
          .filter(([, value]) => Number.isFinite(value) && value >= 0),
      );
    });
  }

  async settleWindow(s: WindowSettlement): Promise<"committed" | "fenced"> {
    checkSettlement(s);
    const fence = s.fence;
    const keys = [
      this.keys.lease(s.pipeline),
      this.keys.watermarks(s.pipeline),
      this.keys.delivered(s.pipeline, s.location),
      this.keys.deliveredLocations(s.pipeline),
      this.keys.densities(s.pipeline),
    ];
    const args = [
      s.location,
      // An empty watermark argument records the ids only (a --from/--to re-read).
      s.advanceWatermark === false ? "" : s.window.to.getTime(),
      s.deliveredUntil.getTime(),
      fence === undefined ? "0" : "1",
      fence?.owner ?? "",
      fence === undefined ? "" : String(fence.fence),
      s.linesPerHour === undefined ? "" : String(s.linesPerHour),
      ...s.delivered,
    ];
    return this.connection.run("settle window", async (redis) =>
      Number(await SETTLE_WINDOW.run(redis, keys, args)) === 1 ? "committed" : "fenced",
    );
  }

  deliveredAmong(pipeline: string, location: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    if (ids.length === 0) return Promise.resolve(new Set());
    return this.connection.run("read delivered ids", async (redis) => {
      const now = Date.now();
      const scores = await redis.zmscore(this.keys.delivered(pipeline, location), ...ids);
      // Kept until its score: an id whose keep-until has passed is as good as pruned.
      return new Set(ids.filter((_id, i) => isLiveScore(scores[i], now)));
    });
  }

  async pruneDelivered(pipeline: string, before: Date): Promise<number> {
    checkTime("before", before);
    return this.connection.run("prune delivered ids", async (redis) => {
      const index = this.keys.deliveredLocations(pipeline);
      let removed = 0;
      for (const location of await redis.smembers(index)) {
        const keys = [this.keys.delivered(pipeline, location), index];
        removed += Number(await PRUNE_DELIVERED.run(redis, keys, [location, before.getTime()]));
      }
      return removed;
    });
  }

  getCached(key: string): Promise<string | undefined> {
    return this.connection.run(
      "read cached value",
      async (redis) => (await redis.get(this.keys.cached(key))) ?? undefined,
    );
  }

  async setCached(key: string, value: string, expiresAt: Date): Promise<void> {
    checkTime("expiresAt", expiresAt);
    return this.connection.run("write cached value", async (redis) => {
      const ttl = expiresAt.getTime() - Date.now();
      // Already expired: storing it (PX must be positive) would be wrong; forgetting it is right.
      if (ttl <= 0) await redis.del(this.keys.cached(key));
      else await redis.set(this.keys.cached(key), value, "PX", ttl);
    });
  }

  deleteCached(key: string): Promise<void> {
    return this.connection.run("delete cached value", async (redis) => {
      await redis.del(this.keys.cached(key));
    });
  }

  async incrementCounters(pipeline: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    checkCounterDeltas(deltas);
    const entries = Object.entries(deltas);
    if (entries.length === 0) return Promise.resolve();
    return this.connection.run("increment counters", async (redis) => {
      const transaction = redis.multi();
      for (const [name, delta] of entries) transaction.hincrby(this.keys.counters(pipeline), name, delta);
      throwFirstError(await transaction.exec());
    });
  }

  counters(pipeline: string): Promise<Readonly<Record<string, number>>> {
    return this.connection.run("read counters", async (redis) => {
      const stored = await redis.hgetall(this.keys.counters(pipeline));
      return Object.fromEntries(Object.entries(stored).map(([name, value]) => [name, Number(value)]));
    });
  }

  async resumeFrom(pipeline: string): Promise<Date | undefined> {
    return this.connection.run("read resume point", async (redis) => {
      const stored = await redis.get(this.keys.resumeFrom(pipeline));
      return stored === null ? undefined : new Date(Number(stored));
    });
  }

  async setResumeFrom(pipeline: string, at: Date | undefined): Promise<void> {
    if (at !== undefined) checkTime("at", at);
    return this.connection.run("write resume point", async (redis) => {
      if (at === undefined) await redis.del(this.keys.resumeFrom(pipeline));
      else await redis.set(this.keys.resumeFrom(pipeline), String(at.getTime()));
    });
  }

  setLastTick(pipeline: string, summary: unknown): Promise<void> {
    return this.connection.run("write last tick", async (redis) => {
      if (summary === undefined) await redis.del(this.keys.lastTick(pipeline));
      else await redis.set(this.keys.lastTick(pipeline), JSON.stringify(summary));
    });
  }

  lastTick(pipeline: string): Promise<unknown> {
    return this.connection.run("read last tick", async (redis) => {
      const stored = await redis.get(this.keys.lastTick(pipeline));
      return stored === null ? undefined : (JSON.parse(stored) as unknown);
    });
  }

  async acquireLease(pipeline: string, owner: string, ttlInMs: number): Promise<Lease | undefined> {
    checkTtl(ttlInMs);
    return this.connection.run("acquire lease", async (redis) => {
      const requestedAt = Date.now();
      const keys = [this.keys.lease(pipeline), this.keys.leaseFence(pipeline)];
      const fence = await ACQUIRE_LEASE.run(redis, keys, [owner, ttlInMs]);
      return fence === null ? undefined : leaseOf(pipeline, owner, Number(fence), requestedAt, ttlInMs);
    });
  }

  releaseLease(lease: Lease): Promise<void> {
    return this.connection.run("release lease", async (redis) => {
      await RELEASE_LEASE.run(redis, [this.keys.lease(lease.pipeline)], [lease.owner, String(lease.fence)]);
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

function isLiveScore(score: unknown, now: number): boolean {
  return score !== null && score !== undefined && Number(score) >= now;
}
