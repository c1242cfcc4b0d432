/** One line of `check`: what was checked, the verdict, what was seen, and what to change when it failed. */
export interface CheckResult {
  readonly check: string;
  readonly verdict: "PASS" | "FAIL" | "SKIP";
  readonly detail: string;
  /** The variable(s) to look at when it failed. */
  readonly fix?: string;
}

export function pass(check: string, detail: string): CheckResult {
  return { check, verdict: "PASS", detail };
}

export function fail(check: string, detail: string, fix?: string): CheckResult {
  return fix === undefined ? { check, verdict: "FAIL", detail } : { check, verdict: "FAIL", detail, fix };
}

export function skip(check: string, detail: string): CheckResult {
  return { check, verdict: "SKIP", detail };
}

/** Rejects with a clear message when `promise` takes longer than `ms` (a check must never hang). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The message of anything thrown, with a MicroshareError's context when it has one. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const describe = (error as { describe?: unknown }).describe;
    const text = typeof describe === "function" ? String(describe.call(error)) : error.message;
    return `${error.name}: ${text}`;
  }
  return String(error);
}
