import { catchError, defer, lastValueFrom, map, Observable, of, retry, throwError } from "rxjs";
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
export interface RetryPolicy {
  /** Tries in total (1 + retries). */
  readonly maxAttempts: number;
  /** Base of the exponential backoff. */
  readonly retryDelayInMs: number;
  /** Cap of one backoff wait. */
  readonly maxRetryDelayInMs: number;
  /** Hard limit of one try, link attach included. */
  readonly timeoutInMs: number;
}

export type AttemptOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: number }
  | { readonly ok: false; readonly error: DeliveryError; readonly attempts: number };

/**
 * The wait before retry `retryCount` (1-based): `retryDelayInMs × 2^(retryCount-1)` capped at
 * `maxRetryDelayInMs`, then "equal jitter" (uniform in [cap/2, cap]) so that lanes and processes
 * failing together do not retry in lockstep, while the wait never collapses to zero.
 */
export function backoffDelayInMs(
  retryCount: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.retryDelayInMs * 2 ** Math.max(0, retryCount - 1);
  const capped = Math.min(exponential, policy.maxRetryDelayInMs);
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Upper bound of the time a batch that fails every try spends in `attemptWithRetries`. */
export function worstCaseInMs(policy: RetryPolicy): number {
  let total = policy.maxAttempts * policy.timeoutInMs;
  for (let retryCount = 1; retryCount < policy.maxAttempts; retryCount++) {
    total += Math.min(policy.retryDelayInMs * 2 ** (retryCount - 1), policy.maxRetryDelayInMs);
  }
  return total;
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or `maxAttempts` tries
 * failed. Each try gets its own signal that fires after `timeoutInMs` or when `signal` fires.
 * Before each retry `giveUp` may end it with an error of its own (the hub's breaker opened).
 * Never rejects: the outcome says what happened, with the last error translated and redacted.
 */
export function attemptWithRetries<T>(
  operation: (attemptSignal: AbortSignal, attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  giveUp: () => DeliveryError | undefined = () => undefined,
): Promise<AttemptOutcome<T>> {
  let attempts = 0;
  const oneTry = defer(async () => {
    attempts++;
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(tryTimedOut(policy.timeoutInMs, attempts)),
      policy.timeoutInMs,
    );
    const attemptSignal = AbortSignal.any([signal, timeout.signal]);
    try {
      return await operation(attemptSignal, attempts);
    } catch (error) {
      // An aborted SDK call throws a bare AbortError; the signal's reason says why (timeout or close).
      throw toDeliveryError(attemptSignal.aborted ? attemptSignal.reason : error);
    } finally {
      clearTimeout(timer);
    }
  });
  return lastValueFrom(
    oneTry.pipe(
      retry({
        count: Math.max(0, policy.maxAttempts - 1),
        delay: (error: DeliveryError, retryCount) => {
          if (!error.retryable || signal.aborted) return throwError(() => error);
          const stop = giveUp();
          if (stop !== undefined) return throwError(() => stop);
          return abortableTimer(backoffDelayInMs(retryCount, policy), signal);
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
export function abortableTimer(delayInMs: number, signal: AbortSignal): Observable<void> {
  return new Observable<void>((subscriber) => {
    if (signal.aborted) {
      subscriber.error(signal.reason);
      return undefined;
    }
    const onAbort = (): void => subscriber.error(signal.reason);
    const timer = setTimeout(() => {
      subscriber.next();
      subscriber.complete();
    }, delayInMs);
    signal.addEventListener("abort", onAbort, { once: true });
    return () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    };
  });
}
