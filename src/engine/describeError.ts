/** An error's own `describe()` when it has one (Microshare and delivery errors), else its message. */
export function describeError(error: unknown): string {
  if (
    error !== null &&
    typeof error === "object" &&
    "describe" in error &&
    typeof error.describe === "function"
  ) {
    return String((error as { describe: () => unknown }).describe());
  }
  return error instanceof Error ? error.message : String(error);
}
