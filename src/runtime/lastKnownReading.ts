import { settleWithin } from "../concurrency/settleWithin.js";

/** What a bounded read of the state store gives: the value, and whether it is from just now. */
export interface Reading<T> {
  readonly value: T;
  /** False when the store did not answer in time (or failed): `value` is the last one read. */
  readonly fresh: boolean;
  /** When `value` was read; undefined when the store has not answered once. */
  readonly readAt: Date | undefined;
  /** Why the reading is not fresh. */
  readonly error?: string;
}

/**
 * A state-store read for `/metrics` and `/status` that answers within `boundInMs` whatever the
 * store does. With Redis gone a command waits out its timeout and retries (15 s and more), and a
 * scrape that waits with it is a failed scrape: Prometheus would lose every series, not only
 * the ones the store feeds, and `status` would hang. So a slow or failed read gives the last
 * value read, marked stale. Only one read is in flight at a time: scrapes during an outage
 * share it instead of piling commands onto a store that does not answer.
 */
export function lastKnownReading<T>(
  read: () => Promise<T>,
  initial: T,
  boundInMs: number,
): () => Promise<Reading<T>> {
  let last: { value: T; readAt: Date | undefined } = { value: initial, readAt: undefined };
  let lastError: string | undefined;
  let inFlight: Promise<boolean> | undefined;
  const start = (): Promise<boolean> =>
    read().then(
      (value) => {
        last = { value, readAt: new Date() };
        lastError = undefined;
        return true;
      },
      (error: unknown) => {
        lastError = error instanceof Error ? error.message : String(error);
        return false;
      },
    );
  return async () => {
    const attempt = (inFlight ??= start().finally(() => (inFlight = undefined)));
    if (!(await settleWithin(attempt, boundInMs)))
      return { ...last, fresh: false, error: `the state store did not answer within ${boundInMs} ms` };
    return (await attempt)
      ? { ...last, fresh: true }
      : { ...last, fresh: false, error: lastError ?? "failed" };
  };
}
