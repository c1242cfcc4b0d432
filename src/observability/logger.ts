import winston from "winston";
import { redact, redactValue } from "./redact.js";

/**
 * One winston root logger for the process; components take a child (`logger.child({component})`).
 * JSON when stdout is not a terminal or LOG_FORMAT=json (what log shippers read), readable text on
 * a terminal. Every message and metadata value is redacted before it is written.
 */
const redactFormat = winston.format((info) => {
  info.message = typeof info.message === "string" ? redact(info.message) : redactValue(info.message);
  for (const key of Object.keys(info)) {
    if (key !== "level" && key !== "message") info[key] = redactValue(info[key]);
  }
  return info;
});

function wantsJson(): boolean {
  const format = process.env.LOG_FORMAT?.toLowerCase();
  if (format === "json") return true;
  if (format === "text") return false;
  return !process.stdout.isTTY;
}

const textFormat = winston.format.printf(({ level, message, timestamp, component, ...meta }) => {
  const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : "";
  const who = typeof component === "string" ? ` [${component}]` : "";
  return `${String(timestamp)} ${level}${who} ${String(message)}${rest}`;
});

export const logger = winston.createLogger({
  level: process.env.LOG_LEVEL?.toLowerCase() ?? "info",
  format: winston.format.combine(
    redactFormat(),
    winston.format.timestamp(),
    wantsJson() ? winston.format.json() : winston.format.combine(winston.format.colorize(), textFormat),
  ),
  // Logs go to stderr so that stdout stays for command output a script can read (--json).
  transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
});

/** A child logger tagged with the component name. */
export function componentLogger(component: string): winston.Logger {
  return logger.child({ component });
}

export type Logger = winston.Logger;
