import { catchError, defer, lastValueFrom, map, Observable, of, retry, throwError } from "rxjs";
import { backoffDelayInMs, type RetryOptions } from "../concurrency/backoff.js";
import { DeliveryError } from "./deliveryError.js";
import { toDeliveryError } from "./toDeliveryError.js";

/**
 * How one batch is tried. The SDK client is built with `maxRetries: 0` and this loop does the
 * retrying, because:
 * - one budget covers the whole try (link attach in `createBatch` + `sendBatch`); the SDK retries
 *   link creation inside each send retry, so its worst case multiplies;
 * - the DLQ entry records how many tries were made, and the breaker's probe is exactly one try on
 *   the same long-lived client (SDK retry options are fixed per client);
 * - a backoff wait ends at once on `close()` or when the delivery is unsubscribed.
 */
export interface RetryPolicy extends RetryOptions {
  /** Hard limit of one try, link attach included. */
  readonly timeoutInMs: number;
}

export { backoffDelayInMs };

export type AttemptOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: DeliveryError; readonly attempts: number };

/** Upper bound of the time a batch that fails every try spends in `attemptWithRetries`. */
export function worstCaseInMs(policy: RetryPolicy): number {
  let total = (policy.maxRetries + 1) * policy.timeoutInMs;
  for (let retryCount = 1; retryCount <= policy.maxRetries; retryCount++) {
    total += Math.min(policy.retryDelayInMs * 2 ** (retryCount - 1), policy.maxRetryDelayInMs);
  }
  return total;
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or `maxRetries + 1` tries
 * failed. Each try gets its own signal that fires after `timeoutInMs` or when `abortSignal` fires.
 * Never rejects: the outcome says what happened, with the last error translated and redacted.
 */
export function attemptWithRetries<T>(
  operation: (attemptAbortSignal: AbortSignal, attempt: number) => Promise<T>,
  policy: RetryPolicy,
  abortSignal: AbortSignal,
): Promise<AttemptOutcome<T>> {
  let attempts = 0;
  const oneTry = defer(async () => {
    attempts++;
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(tryTimedOut(policy.timeoutInMs, attempts)),
      policy.timeoutInMs,
    );
    const attemptAbortSignal = AbortSignal.any([abortSignal, timeout.signal]);
    try {
      return await operation(attemptAbortSignal, attempts);
    } catch (error) {
      // An aborted SDK call throws a bare AbortError; the signal's reason says why (timeout or close).
      throw toDeliveryError(attemptAbortSignal.aborted ? attemptAbortSignal.reason : error);
    } finally {
      clearTimeout(timer);
    }
  });
  return lastValueFrom(
    oneTry.pipe(
      retry({
        count: Math.max(0, policy.maxRetries),
        delay: (error: DeliveryError, retryCount) => {
          if (!error.retryable || abortSignal.aborted) return throwError(() => error);
          return abortableTimer(backoffDelayInMs(retryCount, policy), abortSignal);
        },
      }),
      map((value): AttemptOutcome<T> => ({ ok: true, value, attempts })),
      catchError((error: unknown) =>
        of<AttemptOutcome<T>>({ ok: false, error: toDeliveryError(error), attempts }),
      ),
    ),
  );
}

function tryTimedOut(timeoutInMs: number, attempt: number): DeliveryError {
  return new DeliveryError({
    name: "OperationTimeoutError",
    code: "OperationTimeoutError",
    message: `try ${attempt} got no acknowledgement within timeoutInMs (${timeoutInMs} ms)`,
    retryable: true,
  });
}

/** A one-shot timer that errors with the signal's reason as soon as the signal fires. */
export function abortableTimer(delayInMs: number, abortSignal: AbortSignal): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (abortSignal.aborted) {
      subscriber.error(abortSignal.reason);
      return undefined;
    }
    const onAbort = (): void => subscriber.error(abortSignal.reason);
    const timer = setTimeout(() => {
      subscriber.next();
      subscriber.complete();
    }, delayInMs);
    abortSignal.addEventListener("abort", onAbort, { once: true });
    return () => {
      clearTimeout(timer);
      abortSignal.removeEventListener("abort", onAbort);
    };
  });
}
