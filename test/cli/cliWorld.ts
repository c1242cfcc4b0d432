import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { LocalEventHubs, type ReceivedEvent } from "../../src/local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../../src/local/microshare/microshareSimulator.js";
import type { SimulatorOptions } from "../../src/local/microshare/simulatorOptions.js";
import { fakeClockEnv } from "../process/fakeClockEnv.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Known secret values every CLI test runs with, so that any test can assert none of them is
 * printed. The local endpoint accepts any SharedAccessKey, so a realistic one is used.
 */
export const SECRETS = {
  password: "Pw-7f3c1e9b-do-not-print",
  apiKey: "ak-5d2e8c1a-9b7f-4e3d-do-not-print",
  sharedAccessKey: "SAKq0b1c2d3e4f5a6b7c8d9eDoNotPrint0123456789=",
} as const;

/** Fast delivery and Microshare failure settings, so failure paths take milliseconds. */
const FAST_ENV = {
  EVENT_HUB_MAX_RETRIES: "1",
  EVENT_HUB_RETRY_DELAY: "20ms",
  EVENT_HUB_MAX_RETRY_DELAY: "100ms",
  EVENT_HUB_TIMEOUT: "1s",
  EVENT_HUB_BATCH_MAX_WAIT: "20ms",
  MICROSHARE_RETRY_DELAY: "10ms",
  MICROSHARE_MAX_RETRY_DELAY: "100ms",
  MICROSHARE_MAX_RETRIES: "1",
  INITIAL_LOOKBACK: "3h",
  LOG_LEVEL: "warn",
};

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export type EnvOverrides = Readonly<Record<string, string | undefined>>;

/**
 * One world per test for CLI child processes: the Microshare simulator and local Event Hubs in
 * THIS process on ephemeral ports, a unique Redis key prefix (keys deleted in `close`), and
 * `run()` spawning `node --import tsx src/cli/main.ts …` at the repository root with an
 * environment built from scratch (no .env, stdin closed, no terminal).
 */
export class CliWorld {
  readonly keyPrefix = `test:cli:${randomUUID()}:`;
  private readonly children = new Set<ChildProcess>();

  private constructor(
    readonly sim: MicroshareSimulator,
    readonly hubs: LocalEventHubs,
    readonly hubNames: readonly string[],
  ) {}

  static async start(options: { hubs?: readonly string[]; sim?: SimulatorOptions } = {}): Promise<CliWorld> {
    const hubNames = options.hubs ?? ["a", "b"];
    const sim = await MicroshareSimulator.start({
      buildings: 2,
      floorsPerBuilding: 1,
      roomsPerFloor: 2,
      credentials: { username: "cli-user@example.com", password: SECRETS.password, apiKey: SECRETS.apiKey },
      ...options.sim,
    });
    const hubs = await LocalEventHubs.start({ hubs: hubNames, partitionCount: 2 });
    return new CliWorld(sim, hubs, hubNames);
  }

  /** A hub's connection string carrying the known secret key. */
  connectionString(hub: string): string {
    return this.hubs
      .connectionString(hub)
      .replace("SharedAccessKey=local-dev-key", `SharedAccessKey=${SECRETS.sharedAccessKey}`);
  }

  /** The complete child environment; an override of `undefined` removes a variable. */
  env(overrides: EnvOverrides = {}): NodeJS.ProcessEnv {
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...fakeClockEnv(),
      DOTENV_PATH: "/nonexistent/.env",
      MICROSHARE_AUTH_URL: this.sim.url,
      MICROSHARE_API_URL: this.sim.url,
      MICROSHARE_APP_URL: this.sim.url,
      MICROSHARE_USERNAME: this.sim.credentials.username,
      MICROSHARE_PASSWORD: SECRETS.password,
      MICROSHARE_API_KEY: SECRETS.apiKey,
      MICROSHARE_PC_DEVICE_CLUSTER_ID: this.sim.ids.peopleCounterClusterId,
      MICROSHARE_PC_DASHBOARD_VIEW_ID: this.sim.ids.peopleCounterViewId,
      MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID: this.sim.ids.snapshotClusterId,
      MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: this.sim.ids.snapshotViewId,
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify(
        this.hubNames.map((name) => ({ name, connectionString: this.connectionString(name) })),
      ),
      REDIS_URL,
      REDIS_KEY_PREFIX: this.keyPrefix,
      ...FAST_ENV,
      ...overrides,
    };
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
    return env;
  }

  /** Starts the CLI as a child; `close()` kills it if the test has not waited for it. */
  spawn(
    args: readonly string[],
    overrides: EnvOverrides = {},
  ): { child: ChildProcess; done: Promise<CliRun> } {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: REPO_ROOT,
      env: this.env(overrides),
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const done = new Promise<CliRun>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal, stdout, stderr });
      });
    });
    return { child, done };
  }

  /** Runs the CLI to completion. */
  run(args: readonly string[], overrides: EnvOverrides = {}): Promise<CliRun> {
    return this.spawn(args, overrides).done;
  }

  /** `pipeline --name peoplecounter --once` with the given overrides (e.g. a paused hub). */
  runPeopleCounterOnce(overrides: EnvOverrides = {}): Promise<CliRun> {
    return this.run(["pipeline", "--name", "peoplecounter", "--once"], overrides);
  }

  received(hub: string): readonly ReceivedEvent[] {
    return this.hubs.received(hub);
  }

  /** A direct Redis connection for assertions on the test's own keys. */
  redis(): Redis {
    return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  }

  async close(): Promise<void> {
    for (const child of this.children) child.kill("SIGKILL");
    await Promise.allSettled([this.sim.close(), this.hubs.close()]);
    const admin = this.redis();
    try {
      const keys = await admin.keys(`${this.keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
    } finally {
      await admin.quit();
    }
  }
}

/** Parses a command's `--json` stdout, failing the test with the output when it is not JSON. */
export function parseJson<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${String(run.code)}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** Every run's output must be free of every known secret. */
export function secretsIn(run: CliRun): string[] {
  const text = run.stdout + run.stderr;
  return Object.values(SECRETS).filter((secret) => text.includes(secret));
}
