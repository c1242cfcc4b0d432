import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { fakeClockEnv } from "./fakeClockEnv.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningChild {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code, or the signal name when killed. */
  readonly exited: Promise<number | string>;
}

/** The CLI from its TypeScript source, through tsx (what `npm run cli` runs). */
const FROM_SOURCE: readonly string[] = ["--import", "tsx", "src/cli/main.ts"];

/**
 * Starts the CLI as a real child process (no TTY, stdin closed) with exactly `env`. `entry`
 * is what node runs: the source by default, or a built bundle (`[path/to/cli.mjs]`).
 */
export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  entry: readonly string[] = FROM_SOURCE,
): RunningChild {
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      ...fakeClockEnv(),
      DOTENV_PATH: "/nonexistent",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => output, exited };
}

/** Polls `condition` (an outside process's progress cannot be awaited as an event) until true or timeout. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutInMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
