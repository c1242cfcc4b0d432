import { spawn } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LocalEventHubs, type ReceivedEvent } from "../../src/local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../../src/local/microshare/microshareSimulator.js";
import { fakeClockEnv } from "../process/fakeClockEnv.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const GOLDEN = fileURLToPath(new URL("./golden/", import.meta.url));
/** tsx's loader by absolute URL: `--import tsx` would be resolved from the operator's directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** One line of a golden ndjson file. */
export interface GoldenEvent {
  readonly hub: "hubA" | "hubB";
  readonly properties: Readonly<Record<string, unknown>>;
  readonly body: Readonly<Record<string, unknown>>;
}

export async function goldenEvents(file: "peoplecounter" | "snapshot"): Promise<GoldenEvent[]> {
  const text = await readFile(join(GOLDEN, `${file}.ndjson`), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as GoldenEvent);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The world of a migrating operator: the simulator as the capture ran it (seed 1, 2 buildings of
 * 2 floors × 2 rooms, data from 2026-11-27), the local endpoint with hubA and hubB, and a
 * working directory holding the old forwarder's `.env` and state files. The CLI runs there as a
 * child process that reads that `.env` itself, as `npm run cli` would in the operator's checkout.
 */
export class OldForwarderWorld {
  private constructor(
    readonly sim: MicroshareSimulator,
    readonly hubs: LocalEventHubs,
    readonly directory: string,
  ) {}

  static async start(options: { dataEnd: string }): Promise<OldForwarderWorld> {
    const sim = await MicroshareSimulator.start({
      seed: 1,
      buildings: 2,
      floorsPerBuilding: 2,
      roomsPerFloor: 2,
      dataStart: new Date("2026-11-27T00:00:00Z"),
      dataEnd: new Date(options.dataEnd),
    });
    const hubs = await LocalEventHubs.start({ hubs: ["hubA", "hubB"], partitionCount: 4 });
    const directory = await mkdtemp(join(tmpdir(), "old-forwarder-"));
    return new OldForwarderWorld(sim, hubs, directory);
  }

  /**
   * The old forwarder's `.env` as the capture used it (compat README's table), plus the only
   * variables it did not have: the Microshare URLs, which it hard-coded (here: the simulator).
   * `overrides` replace lines; a value of undefined drops the variable.
   */
  async writeEnv(overrides: Readonly<Record<string, string | undefined>> = {}): Promise<void> {
    const variables: Record<string, string | undefined> = {
      MICROSHARE_USERNAME: this.sim.credentials.username,
      MICROSHARE_PASSWORD: this.sim.credentials.password,
      MICROSHARE_API_KEY: this.sim.credentials.apiKey,
      MICROSHARE_IDENTITY: "SIMORG",
      MICROSHARE_PC_DEVICE_CLUSTER_ID: this.sim.ids.peopleCounterClusterId,
      MICROSHARE_PC_DASHBOARD_VIEW_ID: this.sim.ids.peopleCounterViewId,
      MICROSHARE_PC_DATA_CONTEXT: '["people"]',
      MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: this.sim.ids.snapshotViewId,
      MICROSHARE_SNAPSHOT_DATA_CONTEXT: '["space"]',
      MICROSHARE_SNAPSHOT_CATEGORY: "space",
      MICROSHARE_SNAPSHOT_METRIC: "occupancy",
      MICROSHARE_LOCATION_PREFIX: "",
      EVENT_HUB_CONNECTION_STRING: this.hubs.connectionString("hubA"),
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([this.hubs.connectionString("hubB")]),
      LOG_LEVEL: "DEBUG",
      MICROSHARE_API_URL: this.sim.url,
      MICROSHARE_APP_URL: this.sim.url,
      MICROSHARE_AUTH_URL: this.sim.url,
      ...overrides,
    };
    const lines = Object.entries(variables)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      // The old .env quoted JSON values with single quotes, as dotenv and python-dotenv read them.
      .map(([name, value]) => (/^[[{]/.test(value) ? `${name}='${value}'` : `${name}=${value}`));
    await writeFile(join(this.directory, ".env"), `${lines.join("\n")}\n`);
  }

  /** Writes an old state file (`peoplecounterstate.json` …) into `old/`, as the old VM held it. */
  async writeOldState(file: string, lastFetchTimestamp: string | null): Promise<string> {
    const dir = join(this.directory, "old");
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, file),
      JSON.stringify({
        last_fetch_timestamp: lastFetchTimestamp,
        last_snapshot_id: null,
        total_snapshots_sent: 768,
        total_duplicates_skipped: 0,
        total_errors: 0,
        last_success_timestamp: lastFetchTimestamp,
        last_error_timestamp: null,
        last_error_message: null,
        devices_tracked: 8,
        total_pages_fetched: 2,
        max_pages_in_single_fetch: 1,
        last_pagination_warning: null,
      }),
    );
    return dir;
  }

  /** The CLI from source, in the operator's directory, with nothing but PATH and HOME set. */
  cli(args: readonly string[]): Promise<CliResult> {
    const child = spawn(
      process.execPath,
      ["--import", TSX_LOADER, join(REPO_ROOT, "src/cli/main.ts"), ...args],
      {
        cwd: this.directory,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...fakeClockEnv() },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  received(hub: "hubA" | "hubB"): readonly ReceivedEvent[] {
    return this.hubs.received(hub);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sim.close(), this.hubs.close()]);
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** A people-counter body's identity: room tags and period. */
export function lineKey(body: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(body._location_tags)}|${String(body.time)}`;
}
