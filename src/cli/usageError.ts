/**
 * A command line that cannot be served as given (unknown pipeline or hub, a missing flag, no
 * terminal to confirm on). The entry point prints its message and exits 2 (EXIT.usage).
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
