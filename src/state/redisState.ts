import { RedisDeadLetterQueue } from "../dlq/redisDeadLetterQueue.js";
import { RedisConnection, type RedisConnectionOptions } from "./redisConnection.js";
import { DEFAULT_KEY_PREFIX, RedisKeys } from "./redisKeys.js";
import { RedisStateStore } from "./redisStateStore.js";

export interface RedisStateOptions extends RedisConnectionOptions {
  /** Prefix of every key. Default "msp:". */
  readonly keyPrefix?: string;
}

/** Redis store and DLQ over one connection (which connects on first use). */
export function createRedisState(options: RedisStateOptions): {
  readonly store: RedisStateStore;
  readonly dlq: RedisDeadLetterQueue;
} {
  const connection = new RedisConnection(options);
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  return { store: new RedisStateStore(connection, keys), dlq: new RedisDeadLetterQueue(connection, keys) };
}
