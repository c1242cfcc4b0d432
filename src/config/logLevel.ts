import { InvalidValue } from "./valueParsers.js";

/**
 * The old forwarder's LOG_LEVEL took Python's names; they keep their meaning here, mapped to
 * winston's: CRITICAL and FATAL log errors only (winston has no level above `error`).
 */
const PYTHON_LEVELS: Readonly<Record<string, string>> = {
  critical: "error",
  fatal: "error",
  warning: "warn",
  notset: "debug",
};

const WINSTON_LEVELS = ["error", "warn", "info", "http", "verbose", "debug", "silly"] as const;

/** LOG_LEVEL, case-insensitive: winston's names or Python's (`WARNING`, `CRITICAL` …). */
export function parseLogLevel(raw: string): string {
  const text = raw.trim().toLowerCase();
  const level = PYTHON_LEVELS[text] ?? text;
  if (!(WINSTON_LEVELS as readonly string[]).includes(level)) {
    throw new InvalidValue(
      `"${raw}" is not a log level; use one of ${WINSTON_LEVELS.join(", ")} (or Python's DEBUG, INFO, WARNING, ERROR, CRITICAL)`,
    );
  }
  return level;
}
