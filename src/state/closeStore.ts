import { settleWithin } from "../concurrency/settleWithin.js";
import type { Logger } from "../observability/logger.js";
import type { StateStore } from "./stateStore.js";

/** How long closing the state store may take; Redis's QUIT waits for an answer a dead server never sends. */
export const STORE_CLOSE_TIMEOUT_IN_MS = 5000;

/** Closes the store within STORE_CLOSE_TIMEOUT_IN_MS, then abandons it with a warning. */
export async function closeStore(store: StateStore, logger: Logger): Promise<void> {
  if (await settleWithin(store.close(), STORE_CLOSE_TIMEOUT_IN_MS)) return;
  logger.warn(
    `the state store (${store.description}) did not confirm closing within ${STORE_CLOSE_TIMEOUT_IN_MS} ms; abandoned`,
  );
}
