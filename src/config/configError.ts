/** One invalid or missing setting: which variable, what is wrong, and a value that would work. */
export interface ConfigProblem {
  readonly variable: string;
  readonly problem: string;
  readonly example?: string;
}

/**
 * Thrown when the configuration cannot start the process. Lists every problem at once, so an
 * operator fixes the `.env` in one pass instead of one restart per mistake. The CLI exits 78
 * (EX_CONFIG) on it. Messages never contain the offending value of a secret variable.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly exitCode = 78;

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map(formatProblem).join("\n"),
    );
  }
}

function formatProblem(p: ConfigProblem): string {
  const example = p.example === undefined ? "" : `\n    example: ${p.variable}=${p.example}`;
  return `  - ${p.variable}: ${p.problem}${example}`;
}
