import type { ConfigProblem } from "./configError.js";
import { InvalidValue } from "./valueParsers.js";

/**
 * Reads variables from an environment, collecting every problem instead of stopping at the
 * first, so `loadConfig` can report them all at once. Empty strings count as unset, because
 * `.env` files often carry `NAME=` placeholders.
 */
export class EnvReader {
  readonly problems: ConfigProblem[] = [];

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === "" ? undefined : value;
  }

  /** Parses `name` with `parse`; records a problem and returns `fallback` when it is invalid. */
  read<T>(name: string, parse: (raw: string) => T, fallback: T, example: string): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    try {
      return parse(raw);
    } catch (error) {
      this.fail(name, error, example);
      return fallback;
    }
  }

  optional<T>(name: string, parse: (raw: string) => T, example: string): T | undefined {
    return this.read<T | undefined>(name, parse, undefined, example);
  }

  string(name: string, fallback: string): string {
    return this.raw(name)?.trim() ?? fallback;
  }

  fail(variable: string, error: unknown, example?: string): void {
    const problem = error instanceof InvalidValue ? error.message : `could not be read (${String(error)})`;
    this.problems.push(example === undefined ? { variable, problem } : { variable, problem, example });
  }
}
