import { mkdir } from "node:fs/promises";
import type { StateConfig } from "../config/config.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import { FileDeadLetterQueue } from "../dlq/fileDeadLetterQueue.js";
import { FileStateStore } from "./fileStateStore.js";
import { RedisConnection, type RedisConnectionOptions } from "./redisConnection.js";
import { RedisDeadLetterQueue } from "../dlq/redisDeadLetterQueue.js";
import { DEFAULT_KEY_PREFIX, RedisKeys } from "./redisKeys.js";
import { RedisStateStore } from "./redisStateStore.js";
import type { StateStore } from "./stateStore.js";

export interface StateStores {
  readonly store: StateStore;
  /** Shares the store's connection or directory: `store.close()` closes both. */
  readonly dlq: DeadLetterQueue;
}

export interface RedisStateOptions extends RedisConnectionOptions {
  /** Prefix of every key. Default "msp:". */
  readonly keyPrefix?: string;
}

/** The configured store and DLQ. Redis connects on first use; the file store's directory is created now. */
export async function createStateStore(config: StateConfig): Promise<StateStores> {
  if (config.kind === "redis") return createRedisState({ url: config.url, keyPrefix: config.keyPrefix });
  return createFileState(config.directory);
}

/** Redis store and DLQ over one connection. */
export function createRedisState(options: RedisStateOptions): StateStores & {
  readonly store: RedisStateStore;
  readonly dlq: RedisDeadLetterQueue;
} {
  const connection = new RedisConnection(options);
  const keys = new RedisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX);
  return { store: new RedisStateStore(connection, keys), dlq: new RedisDeadLetterQueue(connection, keys) };
}

/** File store and DLQ in one directory (created if missing, so a bad path fails at start-up). */
export async function createFileState(directory: string): Promise<
  StateStores & {
    readonly store: FileStateStore;
    readonly dlq: FileDeadLetterQueue;
  }
> {
  await mkdir(directory, { recursive: true });
  return { store: new FileStateStore({ directory }), dlq: new FileDeadLetterQueue({ directory }) };
}
