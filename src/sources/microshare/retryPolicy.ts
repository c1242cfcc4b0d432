import type { MicroshareError } from "./microshareError.js";

/** How the source retries transient failures. Defaults match MICROSHARE_MAX_RETRIES etc. */
export interface RetryOptions {
  readonly maxRetries: number;
  readonly retryDelayInMs: number;
  readonly maxRetryDelayInMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): the server's Retry-After when it sent one
 * (capped at maxRetryDelayInMs, so a hostile header cannot park us for a day), otherwise
 * exponential backoff with "equal jitter" (half fixed, half random): concurrent locations spread
 * their retries apart, and no retry fires instantly.
 */
export function retryDelayInMs(
  error: MicroshareError,
  attempt: number,
  options: RetryOptions,
  random = Math.random,
): number {
  if (error.retryAfterInMs !== undefined) return Math.min(error.retryAfterInMs, options.maxRetryDelayInMs);
  const ceiling = Math.min(options.maxRetryDelayInMs, options.retryDelayInMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
