import { redact } from "../observability/redact.js";
import { DeliveryError } from "./deliveryError.js";
import { PIPELINE_FAILURE } from "../model/failure.js";

/**
 * Errors that trying again with the same client and credentials cannot fix, so the batch goes to
 * the DLQ at once. The SDK marks UnauthorizedError retryable (for credentials rotated while it
 * runs), but this process keeps the key it started with: retrying only delays the DLQ write.
 */
const NEVER_RETRY = new Set([
  "MessageTooLargeError",
  "MessagingEntityNotFoundError",
  "MessagingEntityDisabledError",
  "UnauthorizedError",
  "ArgumentOutOfRangeError",
  "InvalidOperationError",
  "SinkClosedError",
  "ConfigError",
  PIPELINE_FAILURE.oversizedEvent,
]);

/**
 * Errors the SDK does not retry but a later try can fix. `SendOperationFailedError` is what a
 * `released` (or `modified`) disposition becomes: AMQP 1.0 §3.4.4 says a released message was not
 * and will not be acted upon, so sending it again cannot duplicate it.
 */
const ALWAYS_RETRY = new Set(["SendOperationFailedError", "OperationTimeoutError", "TimeoutError"]);

/** Node system error codes of a connection that may work on the next try. */
const TRANSIENT_SYSTEM_CODE =
  /^E(CONNREFUSED|CONNRESET|CONNABORTED|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND)$/;

/**
 * The one funnel from anything thrown (a `MessagingError` with `code`/`retryable`, an
 * `AggregateError` of the SDK's own retries, an abort reason, a system error, a non-Error) to a
 * redacted `DeliveryError`. Decides by `name`/`code`, not `instanceof`: the SDK's error classes
 * come from several packages and versions.
 */
export function toDeliveryError(thrown: unknown): DeliveryError {
  if (thrown instanceof DeliveryError) return thrown;
  if (isAggregate(thrown)) {
    // The SDK's own retry loop (unused here, but other callers may hand one in) throws every
    // attempt's error; the last one is the state the hub is in now.
    const last = toDeliveryError(thrown.errors[thrown.errors.length - 1]);
    return new DeliveryError({
      name: last.name,
      code: last.code,
      message: `after ${thrown.errors.length} tries: ${last.message}`,
      retryable: last.retryable,
      cause: thrown,
    });
  }
  if (!isErrorLike(thrown)) {
    return new DeliveryError({
      name: "Error",
      message: redact(String(thrown)),
      retryable: false,
      cause: thrown,
    });
  }
  const name = thrown.name === "DOMException" || thrown.name === "" ? "Error" : thrown.name;
  const code = typeof thrown.code === "string" ? thrown.code : undefined;
  if (name === "TimeoutError") {
    // AbortSignal.timeout fired: the per-try `timeoutInMs` of this sink, not the SDK's.
    return new DeliveryError({
      name: "OperationTimeoutError",
      code: "OperationTimeoutError",
      message: redact(thrown.message || "no answer within the per-try timeout (timeoutInMs)"),
      retryable: true,
      cause: thrown,
    });
  }
  const key = code ?? name;
  return new DeliveryError({
    name: redact(name),
    code: code === undefined ? undefined : redact(code),
    message: redact(thrown.message || name),
    retryable: decideRetryable(key, name, thrown.retryable),
    cause: thrown,
  });
}

function decideRetryable(key: string, name: string, sdkVerdict: unknown): boolean {
  if (NEVER_RETRY.has(key) || NEVER_RETRY.has(name)) return false;
  if (ALWAYS_RETRY.has(key) || ALWAYS_RETRY.has(name)) return true;
  if (typeof sdkVerdict === "boolean") return sdkVerdict;
  // Anything else unknown (a TypeError, a bug) would fail the same way again.
  return TRANSIENT_SYSTEM_CODE.test(key);
}

interface ErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
  readonly retryable?: unknown;
}

function isErrorLike(value: unknown): value is ErrorLike {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { name?: unknown }).name === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function isAggregate(value: unknown): value is { readonly errors: readonly unknown[] } {
  return (
    isErrorLike(value) &&
    Array.isArray((value as { errors?: unknown }).errors) &&
    (value as unknown as { errors: unknown[] }).errors.length > 0
  );
}
