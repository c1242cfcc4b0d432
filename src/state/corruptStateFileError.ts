/**
 * A state file exists but cannot be read. Never reset silently: an empty watermark file would
 * re-send a day of data, an empty DLQ file would lose undelivered batches. The message names
 * the file and what the operator can do about it.
 */
export class CorruptStateFileError extends Error {
  override readonly name = "CorruptStateFileError";

  constructor(
    readonly path: string,
    readonly reason: string,
    recoveryHint: string,
    options?: { cause?: unknown },
  ) {
    super(`State file ${path} is corrupt: ${reason}. ${recoveryHint}`, options);
  }
}
