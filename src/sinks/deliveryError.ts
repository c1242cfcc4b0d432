import type { Failure } from "../model/failure.js";
/**
 * What a failed delivery attempt boils down to, whatever was thrown: a name and code an operator
 * can act on, a redacted message, and whether trying again could help. Produced only by
 * `toDeliveryError` (the one funnel), consumed by the retry loop, the breaker, the DLQ and reports.
 */
export class DeliveryError extends Error {
  override readonly name: string;
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(fields: {
    name: string;
    code?: string | undefined;
    message: string;
    retryable: boolean;
    cause?: unknown;
  }) {
    super(fields.message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = fields.name;
    this.code = fields.code;
    this.retryable = fields.retryable;
  }

  /** The plain `{name, code?, message}` stored in a DLQ entry and listed in a report. */
  toJSON(): Failure {
    return this.code === undefined
      ? { name: this.name, message: this.message }
      : { name: this.name, code: this.code, message: this.message };
  }
}

/** One line for logs and `onBatchSettled`'s `reason`: "name/code: message". */
export function describeFailure(failure: {
  readonly name: string;
  readonly code?: string | undefined;
  readonly message: string;
}): string {
  const code = failure.code === undefined || failure.code === failure.name ? "" : `/${failure.code}`;
  return `${failure.name}${code}: ${failure.message}`;
}
