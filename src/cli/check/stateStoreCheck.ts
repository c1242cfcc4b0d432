import { MINUTE } from "../../model/time.js";
import { randomUUID } from "node:crypto";
import type { StateStore } from "../../state/stateStore.js";
import { fail, messageOf, pass, within, type CheckResult } from "./checkResult.js";

/** Writes a cached value, reads it back and deletes it: proves the store is reachable and writable. */
export async function stateStoreCheck(store: StateStore): Promise<CheckResult> {
  const name = `state store (${store.kind})`;
  const key = `check:${randomUUID()}`;
  const value = randomUUID();
  try {
    await within(
      (async () => {
        await store.setCached(key, value, new Date(Date.now() + MINUTE));
        const read = await store.getCached(key);
        await store.deleteCached(key);
        if (read !== value)
          throw new Error(
            `wrote a cached value but read back ${read === undefined ? "nothing" : "another one"}`,
          );
      })(),
      20_000,
      "the state store",
    );
    return pass(name, `${store.description}: write and read of a cached value`);
  } catch (error) {
    return fail(
      name,
      `${store.description}: ${messageOf(error)}`,
      store.kind === "redis" ? "REDIS_URL" : "STATE_DIR",
    );
  }
}
