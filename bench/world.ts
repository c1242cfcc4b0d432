import type { HubsReady, HubTotals } from "./children/hubsServer.js";
import type { MinViewCalls, SimReady, SimServerArgs, SimStats } from "./children/simServer.js";
import { Service, tsNode } from "./processes.js";
import { deletePrefix, REDIS_URL, uniquePrefix } from "./redisPrefix.js";

export interface WorldOptions {
  readonly scenario: string;
  readonly buildings: number;
  /** Days of data the simulator holds before now (the pipeline reads up to this many). */
  readonly days: number;
  readonly roomsPerBuilding: number;
  readonly latencyMs: number;
  readonly hubs: readonly string[];
}

const HOUR = 3_600_000;

/**
 * One scenario's surroundings: the simulator and the hubs endpoint, each in its own process,
 * and a Redis key prefix of its own. `close()` stops both and deletes the keys.
 */
export class World {
  readonly redisPrefix: string;

  private constructor(
    readonly options: WorldOptions,
    readonly sim: Service,
    readonly simReady: SimReady,
    private hubs: Service,
    private hubsReady: HubsReady,
    /** The simulator's first instant with data. */
    readonly dataStart: Date,
  ) {
    this.redisPrefix = uniquePrefix(options.scenario);
  }

  static async start(options: WorldOptions): Promise<World> {
    // An hour more than asked, so the first (partial) window of a 7-day look-back has data too.
    const dataStart = new Date(Math.floor((Date.now() - options.days * 24 * HOUR) / HOUR) * HOUR - HOUR);
    const simArgs: SimServerArgs = {
      buildings: options.buildings,
      floorsPerBuilding: 1,
      roomsPerFloor: options.roomsPerBuilding,
      dataStart: dataStart.toISOString(),
      latencyMs: options.latencyMs,
    };
    const started: Service[] = [];
    try {
      const [sim, simReady] = await Service.start<SimReady>(
        "simulator",
        standIn(tsNode("bench/children/simServer.ts").concat(JSON.stringify(simArgs))),
        baseEnv(),
      );
      started.push(sim);
      const [hubs, hubsReady] = await startHubs(options.hubs);
      started.push(hubs);
      return new World(options, sim, simReady, hubs, hubsReady, dataStart);
    } catch (error) {
      await Promise.all(started.map((s) => s.stop()));
      throw error;
    }
  }

  /** The pipeline's whole configuration, as the CLI reads it (nothing inherited but PATH/HOME). */
  pipelineEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    const s = this.simReady;
    return {
      ...baseEnv(),
      MICROSHARE_AUTH_URL: s.url,
      MICROSHARE_API_URL: s.url,
      MICROSHARE_APP_URL: s.url,
      MICROSHARE_USERNAME: s.username,
      MICROSHARE_PASSWORD: s.password,
      MICROSHARE_API_KEY: s.apiKey,
      MICROSHARE_PC_DEVICE_CLUSTER_ID: s.clusterId,
      MICROSHARE_PC_DASHBOARD_VIEW_ID: s.viewId,
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify(
        this.options.hubs.map((name) => ({ name, connectionString: this.connectionString(name) })),
      ),
      REDIS_URL,
      REDIS_KEY_PREFIX: this.redisPrefix,
      INITIAL_LOOKBACK: `${this.options.days * 24}h`,
      LOG_LEVEL: "warn",
      // `npm run bench -- --window-length 24h`: fixed windows, to compare with density-sized ones.
      ...(windowLength === undefined ? {} : { WINDOW_LENGTH: windowLength }),
      ...extra,
    };
  }

  get hubsService(): Service {
    return this.hubs;
  }

  /**
   * A fresh hubs process (new port, so connection strings change). The local endpoint slows
   * down with the traffic it has served even after its stores are cleared; a comparison run
   * (the floor) gets a fresh one, as the pipeline did.
   */
  async restartHubs(): Promise<void> {
    await this.hubs.stop();
    [this.hubs, this.hubsReady] = await startHubs(this.options.hubs);
  }

  connectionString(hub: string): string {
    const cs = this.hubsReady.connectionStrings[hub];
    if (cs === undefined) throw new Error(`no hub ${hub}`);
    return cs;
  }

  simStats(): Promise<SimStats> {
    return this.sim.request<SimStats>("stats");
  }

  /** The fewest view calls that hold the simulator's lines of [from, to) (simServer.ts). */
  minViewCalls(from: number, to: number, viewLimit = 999): Promise<MinViewCalls> {
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), viewLimit };
    return this.sim.request<MinViewCalls>(`minViewCalls ${JSON.stringify(range)}`);
  }

  async resetStats(): Promise<void> {
    await Promise.all([this.sim.request("reset"), this.hubs.request("reset")]);
  }

  hubTotals(): Promise<Record<string, HubTotals>> {
    return this.hubs.request<Record<string, HubTotals>>("stats");
  }

  /** Events every hub accepted (the minimum over hubs: what reached ALL of them). */
  async eventsOnEveryHub(): Promise<number> {
    const totals = await this.hubTotals();
    return Math.min(...this.options.hubs.map((h) => totals[h]?.eventsAccepted ?? 0));
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sim.stop(), this.hubs.stop()]);
    await deletePrefix(this.redisPrefix);
  }
}

function startHubs(names: readonly string[]): Promise<[Service, HubsReady]> {
  return Service.start<HubsReady>(
    "hubs",
    standIn(tsNode("bench/children/hubsServer.ts").concat(names.join(","))),
    baseEnv(),
  );
}

/**
 * A stand-in for a remote service (the simulator, the hubs endpoint) runs at a lower CPU
 * priority: in production Microshare and Event Hubs do not share the pipeline's cores, and on a
 * 2-core machine their stand-ins would otherwise delay the measured process whenever both want
 * the CPU. They still get every cycle the pipeline leaves idle.
 */
function standIn(argv: string[]): string[] {
  return ["nice", "-n", "10", ...argv];
}

/** A clean environment: no variable of the developer's shell (or `.env`) leaks into a run. */
let windowLength: string | undefined;

/** WINDOW_LENGTH for every pipeline run of the bench (undefined: density-sized windows). */
export function setBenchWindowLength(value: string | undefined): void {
  windowLength = value;
}

export function baseEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/tmp",
    DOTENV_PATH: "/nonexistent/.env",
    NODE_ENV: "production",
  };
}
