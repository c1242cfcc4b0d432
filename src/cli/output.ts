import { redact } from "../observability/redact.js";

/**
 * Everything a command prints goes through here, redacted: command output (stdout, what a script
 * reads) and messages for the operator (stderr). A secret must never reach either, whatever
 * an SDK error or a stored entry happens to echo.
 */
export function printLine(text: string): void {
  process.stdout.write(`${redact(text)}\n`);
}

/** Pretty JSON on stdout (for `--json`); redacting the text keeps it valid JSON (masks sit inside strings). */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value, null, 2));
}

/** One operator message on stderr. */
export function printError(text: string): void {
  process.stderr.write(`${redact(text)}\n`);
}
