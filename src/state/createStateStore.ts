import { mkdir } from "node:fs/promises";
import type { StateConfig } from "../config/config.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import { FileDeadLetterQueue } from "../dlq/fileDeadLetterQueue.js";
import { FileStateStore } from "./fileStateStore.js";
import type { StateStore } from "./stateStore.js";

export interface StateStores {
  readonly store: StateStore;
  /** Shares the store's connection or directory: `store.close()` closes both. */
  readonly dlq: DeadLetterQueue;
}

/**
 * The configured store and DLQ. Redis connects on first use; the file store's directory is
 * created now. The Redis client (ioredis) is loaded only when Redis is configured: initialising
 * it is about 20 ms of every start, which a run on the file store need not pay.
 */
export async function createStateStore(config: StateConfig): Promise<StateStores> {
  if (config.kind === "redis") {
    const { createRedisState } = await import("./redisState.js");
    return createRedisState({ url: config.url, keyPrefix: config.keyPrefix });
  }
  return createFileState(config.directory);
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
