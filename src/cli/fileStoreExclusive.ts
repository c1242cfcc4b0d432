import { MINUTE } from "../model/time.js";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { openCliState, type CliState } from "./cliState.js";
import { UsageError } from "./usageError.js";

/**
 * The embedded file store serves one process: its files are rewritten whole, so a `dlq replay`
 * or `purge` changing a hub's dead letters while the pipeline process also writes them could
 * lose an entry. With the file store, those commands therefore take the pipeline's lease for
 * their duration, and refuse when a running pipeline holds it. (Redis changes every entry
 * atomically: there, replaying while the daemon runs is safe and needs no lease.) Returns the
 * release function.
 */
export async function holdFileStoreExclusive(
  state: CliState,
  pipeline: string,
): Promise<() => Promise<void>> {
  if (state.store.kind !== "file") return async () => undefined;
  const owner = `cli:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Ten minutes: released at the end (or on an interrupt); expires by itself if this process dies.
  const lease = await state.store.acquireLease(pipeline, owner, 10 * MINUTE);
  if (lease === undefined) {
    throw new UsageError(
      `the file store (${state.store.description}) is in use by a running ${pipeline} process: ` +
        "stop it first, or use Redis (REDIS_URL) to change dead letters while the pipeline runs",
    );
  }
  return () => state.store.releaseLease(lease);
}

/**
 * The state for a command that changes a pipeline's dead letters: opened, and held exclusively
 * with the file store (see `holdFileStoreExclusive`). `close` releases and closes, in that order.
 */
export async function openExclusiveState(
  pipeline: string,
): Promise<{ readonly state: CliState; readonly release: () => Promise<void>; close(): Promise<void> }> {
  const state = await openCliState();
  const release = await holdFileStoreExclusive(state, pipeline).catch(async (error: unknown) => {
    await state.close();
    throw error;
  });
  return {
    state,
    release,
    close: async () => {
      await release();
      await state.close();
    },
  };
}
