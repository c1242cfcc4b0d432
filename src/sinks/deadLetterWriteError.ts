import { redact } from "../observability/redact.js";

/**
 * A DLQ write failed: the batch is neither acknowledged nor durable anywhere, so the delivery
 * errors and reports nothing as settled (the window is re-read, at-least-once).
 */
export class DeadLetterWriteError extends Error {
  override readonly name = "DeadLetterWriteError";

  constructor(hub: string, events: number, cause: unknown) {
    const reason = redact(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
    super(
      `could not write ${events} event(s) of hub '${hub}' to its dead-letter queue (${reason}); ` +
        "the delivery is not settled, check the state store",
      { cause },
    );
  }
}
