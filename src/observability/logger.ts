import winston from "winston";
import { redact, redactValue } from "./redact.js";

/**
 * One winston root logger for the process; components take a child (`logger.child({component})`).
 * JSON when stderr is not a terminal or LOG_FORMAT=json (what log shippers read), readable text on
 * a terminal. Every message and metadata value is redacted before it is written.
 */
const redactFormat = winston.format((info) => {
  info.message = typeof info.message === "string" ? redact(info.message) : redactValue(info.message);
  for (const key of Object.keys(info)) {
    if (key !== "level" && key !== "message") info[key] = redactValue(info[key]);
  }
  return info;
});

export type LogFormat = "json" | "text";

export interface LoggingOptions {
  /** A winston (npm) level name. */
  readonly level: string;
  /** Undefined: JSON unless stderr, where logs go, is a terminal. */
  readonly format: LogFormat | undefined;
}

// `tick` (a tick summary's fields) is left out on a terminal: the message already says it.
const textFormat = winston.format.printf(({ level, message, timestamp, component, tick: _tick, ...meta }) => {
  const rest = Object.keys(meta).length > 0 ? ` ${JSON.stringify(meta)}` : "";
  const who = typeof component === "string" ? ` [${component}]` : "";
  return `${String(timestamp)} ${level}${who} ${String(message)}${rest}`;
});

function formatFor(format: LogFormat | undefined): winston.Logform.Format {
  const json = format === undefined ? !process.stderr.isTTY : format === "json";
  return winston.format.combine(
    redactFormat(),
    winston.format.timestamp(),
    json ? winston.format.json() : winston.format.combine(winston.format.colorize(), textFormat),
  );
}

// Until the configuration is loaded (it may come from `.env`), the environment decides; an
// unknown value there is reported by the configuration, not here.
const startLevel = process.env.LOG_LEVEL?.trim().toLowerCase();
const startFormat = process.env.LOG_FORMAT?.trim().toLowerCase();

export const logger = winston.createLogger({
  level: startLevel !== undefined && startLevel in winston.config.npm.levels ? startLevel : "info",
  format: formatFor(startFormat === "json" || startFormat === "text" ? startFormat : undefined),
  // Logs go to stderr so that stdout stays for command output a script can read (--json).
  transports: [new winston.transports.Console({ stderrLevels: Object.keys(winston.config.npm.levels) })],
});

/**
 * Applies the loaded configuration's LOG_LEVEL and LOG_FORMAT (which may come from `.env`, read
 * after this module was imported). Child loggers follow: they read level and format from the root.
 */
export function configureLogging(options: LoggingOptions): void {
  logger.level = options.level;
  logger.format = formatFor(options.format);
}

/** A child logger tagged with the component name. */
export function componentLogger(component: string): winston.Logger {
  return logger.child({ component });
}

export type Logger = winston.Logger;
