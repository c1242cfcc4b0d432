/**
 * Every failure of the Microshare source, classified once (`toMicroshareError`) so that retry
 * decisions and operator messages read a `code`, never an axios internals shape.
 */
export type MicroshareErrorCode =
  | "unauthorized" // 401/403: bad credentials, or a token the API no longer accepts
  | "not-found" // 404: unknown view or cluster id (permanent)
  | "view-template" // the permanent 503 "[Error: unresolvable property or identifier: …]"
  | "throttled" // 429
  | "server" // 5xx other than the template error
  | "http" // other unexpected statuses (permanent)
  | "network" // connection refused/reset, DNS, socket hang up
  | "timeout"
  | "malformed-response" // valid JSON of the wrong shape (permanent)
  | "unreadable-body" // a 2xx body cut short, undecodable, or not JSON (a gateway's page): retried
  | "contradictory-page" // a page whose counts say more records than it holds: retried, never read as empty
  | "page-cap"
  | "aborted";

const RETRYABLE: ReadonlySet<MicroshareErrorCode> = new Set([
  "throttled",
  "server",
  "network",
  "timeout",
  "unreadable-body",
  "contradictory-page",
]);

export interface MicroshareErrorDetails {
  readonly status?: number;
  /** Seconds the server asked us to wait (Retry-After), when it said so. */
  readonly retryAfterInMs?: number;
  /** Where it happened: endpoint, location, window, page — whatever the caller knew. */
  readonly context?: Readonly<Record<string, string | number>>;
  readonly cause?: unknown;
}

export class MicroshareError extends Error {
  override readonly name = "MicroshareError";
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterInMs: number | undefined;
  readonly context: Readonly<Record<string, string | number>>;

  constructor(
    readonly code: MicroshareErrorCode,
    message: string,
    details: MicroshareErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.retryable = RETRYABLE.has(code);
    this.status = details.status;
    this.retryAfterInMs = details.retryAfterInMs;
    this.context = details.context ?? {};
  }

  /**
   * The same error with more context (location, window, page) merged in, for reporting, and
   * optionally a hint on what to change appended to its message.
   */
  withContext(extra: Readonly<Record<string, string | number>>, hint?: string): MicroshareError {
    return new MicroshareError(this.code, hint === undefined ? this.message : `${this.message}; ${hint}`, {
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterInMs === undefined ? {} : { retryAfterInMs: this.retryAfterInMs }),
      context: { ...this.context, ...extra },
      cause: this.cause,
    });
  }

  /** Message plus context, one line, for logs and summaries. */
  describe(): string {
    const where = Object.entries(this.context)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    return where === "" ? this.message : `${this.message} (${where})`;
  }
}

export function isMicroshareError(error: unknown): error is MicroshareError {
  return error instanceof Error && error.name === "MicroshareError";
}
