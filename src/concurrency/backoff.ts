/**
 * How an operation is retried: the same shape for the Microshare source
 * (`MICROSHARE_MAX_RETRIES`, …) and for every hub (`EVENT_HUB_MAX_RETRIES`, …).
 */
export interface RetryOptions {
  /** Retries after the first try: `maxRetries + 1` tries in all. */
  readonly maxRetries: number;
  /** Base of the exponential backoff. */
  readonly retryDelayInMs: number;
  /** Cap of one backoff wait. */
  readonly maxRetryDelayInMs: number;
}

/**
 * The wait before retry `retryCount` (1-based): `retryDelayInMs × 2^(retryCount-1)` capped at
 * `maxRetryDelayInMs`, then "equal jitter" (uniform in [cap/2, cap]) so that locations, lanes and
 * processes failing together do not retry in lockstep, while the wait never collapses to zero.
 */
export function backoffDelayInMs(
  retryCount: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.retryDelayInMs * 2 ** Math.max(0, retryCount - 1);
  const capped = Math.min(exponential, options.maxRetryDelayInMs);
  return Math.round(capped / 2 + random() * (capped / 2));
}
