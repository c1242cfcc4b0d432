import { type ChildProcess, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from "../src/cli/productionRuntime.js";

/** The repository root: every child runs from there so `--import tsx` and relative paths resolve. */
export const REPO_ROOT = new URL("..", import.meta.url).pathname;

/** `node --import tsx <file>`: how the bench's own TypeScript children are started. */
export function tsNode(file: string, nodeFlags: readonly string[] = []): string[] {
  return ["node", ...nodeFlags, "--import", "tsx", file];
}

/** The production entry (`npm run build`, as the Dockerfile runs it): what cron and Kubernetes pay. */
export const BUILT_CLI = "dist/cli.mjs";
/** The bundle itself, which BUILT_CLI imports after turning Node's compile cache on. */
export const BUNDLE_WITHOUT_LOADER = "dist/cli-main.mjs";

/**
 * The same code as `BUILT_CLI`, one compiled file per module (`dist/src`). Profiles use it: in
 * the bundle every function sits in one file, and the profile summary could not tell our code
 * from the SDK's.
 */
export const COMPILED_CLI = "dist/src/cli/main.js";

/** `--node-flags` of the bench: added to every pipeline and replay run (experiments). */
let extraNodeFlags: readonly string[] = [];

export function setExtraNodeFlags(value: string | undefined): void {
  extraNodeFlags = value?.split(/\s+/).filter(Boolean) ?? [];
}

/**
 * The CLI's command line as production starts it (src/cli/productionRuntime.ts, the image's ENV
 * and ENTRYPOINT): through env(1) with PRODUCTION_ENV, node with PRODUCTION_NODE_FLAGS, then
 * the scenario's and `--node-flags`' own flags, which win where they repeat one.
 */
export function builtCli(nodeFlags: readonly string[] = [], entry: string = BUILT_CLI): string[] {
  const flags = [...PRODUCTION_NODE_FLAGS, ...nodeFlags, ...extraNodeFlags];
  const profiling = flags.some((flag) => flag.startsWith("--cpu-prof"));
  const env = Object.entries(PRODUCTION_ENV).map(([name, value]) => `${name}=${value}`);
  return ["env", ...env, "node", ...flags, profiling ? COMPILED_CLI : entry];
}

/** Every child still running; `stopAll` ends them (each in its own process group). */
const running = new Set<ChildProcess>();

function startGroup(argv: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error("spawn: empty command line");
  // detached: each child leads its own process group, so stopping it also stops what it started
  // (/usr/bin/time's node) and nothing else.
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** SIGTERM, then SIGKILL after `graceInMs`: a stop that always ends. */
async function stop(child: ChildProcess, graceInMs = 3000): Promise<void> {
  signalGroup(child, "SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    exited(child),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        signalGroup(child, "SIGKILL");
        resolve();
      }, graceInMs);
    }),
  ]);
  clearTimeout(timer);
  await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 1000))]);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

export interface RunResult {
  readonly code: number | null;
  readonly wallSeconds: number;
  /** Wall-clock ms (Date.now) of the spawn and of the exit, to line up with other processes' logs. */
  readonly spawnedAt: number;
  readonly exitedAt: number;
  /** Peak RSS of the measured process, from `/usr/bin/time -v`. */
  readonly peakRssMb: number;
  /** User plus system CPU time of the measured process, from `/usr/bin/time -v`. */
  readonly cpuSeconds: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Killed after this long: a benchmark must end even when the pipeline hangs. */
  readonly timeoutInMs: number;
}

/**
 * Runs a command to completion under `/usr/bin/time -v`, timing it from spawn to exit (so Node's
 * own start-up counts, as it does for an operator) and reading its peak RSS.
 */
export async function runMeasured(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const spawnedAt = Date.now();
  const child = startGroup(["/usr/bin/time", "-v", ...argv], options.env);
  child.stdin?.end();
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => void stop(child), options.timeoutInMs);
  const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
  clearTimeout(timer);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const seconds = (label: string) =>
    Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(stderr)?.[1]);
  return {
    code,
    wallSeconds,
    spawnedAt,
    exitedAt: Date.now(),
    peakRssMb: rss?.[1] === undefined ? Number.NaN : Number(rss[1]) / 1024,
    cpuSeconds: seconds("User") + seconds("System"),
    stdout,
    stderr,
  };
}

/** A long-running child that answers one JSON line per command line on stdin. */
export class Service {
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];
  private stderrTail = "";

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    if (!child.stdout) throw new Error(`${name}: no stdout`);
    this.lines = createInterface({ input: child.stdout });
    this.lines.on("line", (line) => this.pending.shift()?.(line));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
  }

  /** Starts the child and waits for its first line (its "ready" JSON). */
  static async start<T>(
    name: string,
    argv: readonly string[],
    env: NodeJS.ProcessEnv,
  ): Promise<[Service, T]> {
    const service = new Service(name, startGroup(argv, env));
    const ready = await service.nextLine(30_000);
    return [service, JSON.parse(ready) as T];
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async request<T>(command: string, timeoutInMs = 30_000): Promise<T> {
    const answer = this.nextLine(timeoutInMs);
    this.child.stdin?.write(`${command}\n`);
    return JSON.parse(await answer) as T;
  }

  stop(): Promise<void> {
    this.lines.close();
    return stop(this.child);
  }

  private nextLine(timeoutInMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`${this.name}: no answer within ${timeoutInMs} ms; stderr: ${this.stderrTail}`)),
        timeoutInMs,
      );
      const onExit = (): void =>
        reject(new Error(`${this.name} exited (code ${this.child.exitCode}); stderr: ${this.stderrTail}`));
      this.child.once("exit", onExit);
      this.pending.push((line) => {
        clearTimeout(timer);
        this.child.off("exit", onExit);
        resolve(line);
      });
    });
  }
}

/** Peak RSS so far of a running process (VmHWM), in MB; NaN when it cannot be read. */
export async function peakRssOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}
