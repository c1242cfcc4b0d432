import { componentLogger } from "../observability/logger.js";
import { closeStore } from "../state/closeStore.js";
import type { Config } from "../config/config.js";
import { createStateStore } from "../state/createStateStore.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { StateStore } from "../state/stateStore.js";
import { bootstrapConfig } from "./bootstrap.js";

/**
 * The configuration plus the state store and DLQ only: what the read-and-manage commands need.
 * Deliberately not the whole runtime (no Microshare client, no producers), so `status` and
 * `dlq list|show|purge` work without Microshare credentials and with hubs this build cannot
 * send to.
 */
export interface CliState {
  readonly config: Config;
  readonly store: StateStore;
  readonly dlq: DeadLetterQueue;
  close(): Promise<void>;
}

export async function openCliState(config: Config = bootstrapConfig()): Promise<CliState> {
  const { store, dlq } = await createStateStore(config.state);
  return { config, store, dlq, close: () => closeStore(store, componentLogger("state")) };
}
