import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createRedisState } from "../../src/state/redisState.js";
import type { RedisDeadLetterQueue } from "../../src/dlq/redisDeadLetterQueue.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * One test's slice of the real Redis: a unique key prefix, an admin client to inspect or
 * corrupt keys, and every opened connection closed (keys deleted) in `cleanup`.
 */
export class RedisTestState {
  readonly keyPrefix = `test:${randomUUID()}:`;
  readonly admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  private readonly opened: RedisStateStore[] = [];

  open(): { store: RedisStateStore; dlq: RedisDeadLetterQueue } {
    const state = createRedisState({ url: REDIS_URL, keyPrefix: this.keyPrefix });
    this.opened.push(state.store);
    return state;
  }

  async keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await this.admin.scan(cursor, "MATCH", `${this.keyPrefix}*`, "COUNT", 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return found.sort();
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.opened.map((store) => store.close()));
    const keys = await this.keys();
    if (keys.length > 0) await this.admin.del(...keys);
    await this.admin.quit();
  }
}
