/**
 * A Functions invocation whose tick failed (exit code 1 or 4 of `pipeline --once`): thrown so the
 * host records the run as failed and alerts can fire. The message is already redacted; there is
 * deliberately no `cause`, because hosts serialise causes and the original may hold a secret.
 */
export class TickFailedError extends Error {
  override readonly name = "TickFailedError";

  constructor(
    readonly pipeline: string,
    /** The `pipeline --once` exit code this outcome maps to (1: tick failed, 4: locations failed). */
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}
