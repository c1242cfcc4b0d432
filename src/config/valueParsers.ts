import { DAY, HOUR, MINUTE } from "../model/time.js";
/**
 * Parsers for single environment values. Each returns the parsed value or throws an
 * InvalidValue whose message says what is wrong with it (never echoing secrets: callers of
 * secret variables do not pass the raw value into messages).
 */
export class InvalidValue extends Error {
  override readonly name = "InvalidValue";
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: MINUTE,
  h: HOUR,
  d: DAY,
};

/** "90s", "15m", "1h", "1h30m", "500ms", "2d" → milliseconds. A bare number is refused: its unit would be a guess. */
export function parseDuration(raw: string): number {
  const text = raw.trim().toLowerCase();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (text === "" || parts.length === 0 || parts.map((p) => p[0]).join("") !== text) {
    throw new InvalidValue(`"${raw}" is not a duration; use a number with a unit: ms, s, m, h or d`);
  }
  return Math.round(
    parts.reduce(
      (total, [, amount, unit]) => total + Number(amount) * (DURATION_UNITS[unit ?? "ms"] ?? 1),
      0,
    ),
  );
}

/**
 * A duration of at least `minInMs`, for settings where zero means nothing useful or something
 * dangerous (a timeout of 0 waits forever in the SDKs, a window of 0 never advances).
 */
export function atLeast(minInMs: number): (raw: string) => number {
  return (raw) => {
    const value = parseDuration(raw);
    if (value < minInMs)
      throw new InvalidValue(`"${raw}" is too short; it must be at least ${formatDuration(minInMs)}`);
    return value;
  };
}

function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function parseInteger(raw: string, bounds: { min: number; max?: number }): number {
  const text = raw.trim();
  if (!/^-?\d+$/.test(text)) throw new InvalidValue(`"${raw}" is not a whole number`);
  const value = Number(text);
  if (value < bounds.min) throw new InvalidValue(`${value} is below the minimum ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max) {
    throw new InvalidValue(`${value} is above the maximum ${bounds.max}`);
  }
  return value;
}

export function parseHttpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidValue(`"${raw}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidValue(`"${raw}" must start with https:// (or http:// for a local simulator)`);
  }
  return url.toString().replace(/\/+$/, "");
}

export function parseChoice<T extends string>(raw: string, choices: readonly T[]): T {
  const text = raw.trim().toLowerCase();
  const found = choices.find((c) => c === text);
  if (found === undefined) throw new InvalidValue(`"${raw}" is not one of: ${choices.join(", ")}`);
  return found;
}

/**
 * Microshare wants `dataContext` as ONE query parameter holding a JSON array string
 * (`["people"]`); a repeated parameter makes the view fail with a permanent 503. A bare word is
 * accepted and wrapped, because old `.env` files sometimes hold `people`.
 */
export function parseDataContext(raw: string): string {
  const text = raw.trim();
  if (!text.startsWith("[")) {
    if (/^[\w.-]+$/.test(text)) return JSON.stringify([text]);
    throw new InvalidValue(`"${raw}" is not a JSON array of strings`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidValue(`not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((v) => typeof v === "string")) {
    throw new InvalidValue("must be a non-empty JSON array of strings");
  }
  return JSON.stringify(parsed);
}
