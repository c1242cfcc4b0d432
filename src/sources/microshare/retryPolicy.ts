import { backoffDelayInMs, type RetryOptions } from "../../concurrency/backoff.js";
import type { MicroshareError } from "./microshareError.js";

export type { RetryOptions } from "../../concurrency/backoff.js";

/**
 * Delay before retry number `attempt` (1-based): the server's Retry-After when it sent one
 * (capped at maxRetryDelayInMs, so a hostile header cannot park us for a day), otherwise the
 * shared jittered exponential backoff (`backoffDelayInMs`, the same as the hubs').
 */
export function retryDelayInMs(
  error: MicroshareError,
  attempt: number,
  options: RetryOptions,
  random = Math.random,
): number {
  if (error.retryAfterInMs !== undefined) return Math.min(error.retryAfterInMs, options.maxRetryDelayInMs);
  return backoffDelayInMs(attempt, options, random);
}
