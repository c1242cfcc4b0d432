import { redact } from "../observability/redact.js";

/**
 * A state store operation failed (Redis unreachable, timed out, refused the command, or a file
 * could not be written). The message names the store (without password), the operation and
 * what to check; the original error is the `cause`. Callers treat it as retryable at the tick
 * level: nothing was settled, so the window is re-read.
 */
export class StateStoreError extends Error {
  override readonly name = "StateStoreError";

  constructor(
    readonly store: string,
    readonly operation: string,
    cause: unknown,
    hint: string,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(redact(`State store ${store}: ${operation} failed: ${reason}. ${hint}`), { cause });
  }
}
