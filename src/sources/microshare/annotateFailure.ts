import { catchError, throwError, type MonoTypeOperatorFunction } from "rxjs";
import { isMicroshareError, type MicroshareErrorCode } from "./microshareError.js";

/** What an operator should change when a permanent error of that code happens. */
export type FailureHints = Partial<Record<MicroshareErrorCode, string>>;

/**
 * Adds where a failure happened (location, window, page…) to a MicroshareError, and the hint for
 * its code: the HTTP layer only knows the endpoint, while an operator needs to know which
 * location failed and which variable to fix. Other errors pass through unchanged.
 */
export function annotateFailure<T>(
  context: Readonly<Record<string, string | number>>,
  hints: FailureHints = {},
): MonoTypeOperatorFunction<T> {
  return catchError((error: unknown) =>
    throwError(() => (isMicroshareError(error) ? error.withContext(context, hints[error.code]) : error)),
  );
}
