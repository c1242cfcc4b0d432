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

/**
 * Copies every key under `prefix` whose name contains `part` to `<key>:bench-copy` (server
 * side, COPY), and returns a function that copies them back over whatever is there then. Lets
 * a scenario repeat a run that consumes its input (a replay drains its queue) without
 * producing the input again.
 */
export async function snapshotKeys(prefix: string, part: string): Promise<() => Promise<void>> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keys: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, found] = await redis.scan(cursor, "MATCH", `${prefix}*${part}*`, "COUNT", 1000);
      keys.push(...found.filter((k) => !k.endsWith(":bench-copy")));
      cursor = next;
    } while (cursor !== "0");
    for (const key of keys) await redis.copy(key, `${key}:bench-copy`, "REPLACE");
  } finally {
    redis.disconnect();
  }
  return async () => {
    const again = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      for (const key of keys) await again.copy(`${key}:bench-copy`, key, "REPLACE");
    } finally {
      again.disconnect();
    }
  };
}
