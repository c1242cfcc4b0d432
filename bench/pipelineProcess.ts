import { builtCli, type RunResult, runMeasured } from "./processes.js";

export interface PipelineRunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  readonly args?: readonly string[];
  readonly timeoutInMs: number;
  /** The file node runs; default the production entry, BUILT_CLI. */
  readonly entry?: string;
}

/** Exit codes of `--once` that mean "every event settled" (0) or "settled, some in a DLQ" (3). */
export const SETTLED_CODES: readonly number[] = [0, 3];

/** The real CLI, as an operator runs it: one `--once` tick of the people-counter pipeline. */
export function runPipelineOnce(options: PipelineRunOptions): Promise<RunResult> {
  return runMeasured(
    [
      ...builtCli(options.nodeFlags ?? [], options.entry),
      "pipeline",
      "--name",
      "peoplecounter",
      "--once",
      ...(options.args ?? []),
    ],
    { env: options.env, timeoutInMs: options.timeoutInMs },
  );
}

/** Throws with the tail of stderr when the pipeline did not settle. */
export function expectSettled(what: string, result: RunResult, allowed = SETTLED_CODES): void {
  if (result.code !== null && allowed.includes(result.code)) return;
  const tail = result.stderr.split("\n").slice(-30).join("\n");
  throw new Error(`${what}: pipeline exited with ${String(result.code)}\n${tail}`);
}
