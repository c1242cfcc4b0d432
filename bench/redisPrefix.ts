import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = "redis://127.0.0.1:6379";

/** A prefix no other run (or engineer) uses, so a scenario's keys can be deleted wholesale. */
export function uniquePrefix(scenario: string): string {
  return `bench:${scenario}:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, and bounded by the cursor). */
export async function deletePrefix(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}
