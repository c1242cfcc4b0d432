import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { lastValueFrom } from "rxjs";
import type { Config } from "../../src/config/config.js";
import { loadConfig } from "../../src/config/loadConfig.js";
import { withConfiguredSettings } from "../../src/engine/configuredDefinition.js";
import type { PipelineDefinition } from "../../src/engine/pipelineDefinition.js";
import { openRuntime, type PipelineRuntime } from "../../src/runtime/openRuntime.js";
import { runTick, type TickOptions } from "../../src/engine/runTick.js";
import type { TickSummary } from "../../src/engine/tickSummary.js";
import { LocalEventHubs, type ReceivedEvent } from "../../src/local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../../src/local/microshare/microshareSimulator.js";
import type { SimulatorOptions } from "../../src/local/microshare/simulatorOptions.js";
import { standInEnvironment } from "../../src/local/standInEnvironment.js";
import type { StateStore } from "../../src/state/stateStore.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
const START_CLOCK = Math.floor(Date.now() / HOUR) * HOUR + 7 * MINUTE;

/** Fast failure settings so failure paths take milliseconds, not the production seconds. */
const FAST_ENV = {
  EVENT_HUB_MAX_RETRIES: "1",
  EVENT_HUB_RETRY_DELAY: "20ms",
  EVENT_HUB_MAX_RETRY_DELAY: "100ms",
  EVENT_HUB_TIMEOUT: "1s",
  EVENT_HUB_BATCH_MAX_WAIT: "20ms",
  EVENT_HUB_BREAKER_THRESHOLD: "1000",
  MICROSHARE_RETRY_DELAY: "10ms",
  MICROSHARE_MAX_RETRY_DELAY: "100ms",
  MICROSHARE_MAX_RETRIES: "2",
  INITIAL_LOOKBACK: "6h",
};

export interface HarnessOptions {
  readonly hubs?: readonly string[];
  readonly sim?: Omit<SimulatorOptions, "now">;
  readonly env?: Readonly<Record<string, string>>;
  readonly store?: "redis" | "file";
}

/**
 * One end-to-end world per test: the Microshare simulator and the local Event Hubs endpoint on
 * ephemeral ports, a real Redis under a unique key prefix (or a temp directory), and the real
 * runtime built from a config, exactly as the CLI builds it. One clock drives both the
 * simulator and the ticks, so late data and back-fills are exact and need no sleeping.
 */
export class PipelineHarness {
  /**
   * Starts at 7 minutes past the current hour: near real time, because the stores expire
   * delivered ids by the real clock.
   */
  clock = START_CLOCK;
  readonly keyPrefix = `test:${randomUUID()}:`;

  private constructor(
    readonly sim: MicroshareSimulator,
    readonly hubs: LocalEventHubs,
    readonly hubNames: readonly string[],
    readonly config: Config,
    /** Replaced by `restart()`. */
    public runtime: PipelineRuntime,
    private readonly stateDir: string | undefined,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<PipelineHarness> {
    const hubNames = options.hubs ?? ["a", "b"];
    const holder: { harness?: PipelineHarness } = {};
    const startClock = START_CLOCK;
    const sim = await MicroshareSimulator.start({
      buildings: 3,
      floorsPerBuilding: 1,
      roomsPerFloor: 3,
      dataStart: new Date(startClock - 3 * 24 * HOUR),
      ...options.sim,
      now: () => holder.harness?.clock ?? startClock,
    });
    const hubs = await LocalEventHubs.start({ hubs: hubNames });
    const stateDir = options.store === "file" ? await mkdtemp(join(tmpdir(), "e2e-state-")) : undefined;
    const keyPrefix = `test:${randomUUID()}:`;
    const config = loadConfig({
      ...standInEnvironment(sim, hubs),
      ...(stateDir === undefined ? { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix } : { STATE_DIR: stateDir }),
      ...FAST_ENV,
      ...options.env,
    });
    const runtime = await openRuntime(config);
    const harness = new PipelineHarness(sim, hubs, hubNames, config, runtime, stateDir);
    Object.assign(harness, { keyPrefix });
    holder.harness = harness;
    harness.clock = startClock;
    return harness;
  }

  /** One tick of `definition` at the harness clock, with the config's window overrides applied. */
  tick(
    definition: PipelineDefinition,
    options: Partial<TickOptions> & { dedupe?: boolean; store?: StateStore } = {},
  ): Promise<TickSummary> {
    const { dedupe = true, store = this.runtime.store, ...tickOptions } = options;
    return lastValueFrom(
      runTick(
        withConfiguredSettings(definition, this.config),
        this.runtime.context,
        { store, sink: this.runtime.sink, dedupe },
        { now: this.clock, ...tickOptions },
      ),
    );
  }

  received(hub: string, pipeline?: string): readonly ReceivedEvent[] {
    return this.hubs
      .received(hub)
      .filter((e) => pipeline === undefined || e.applicationProperties.pipeline === pipeline);
  }

  /** "tags|time" of every people-counter line the simulator holds in [from, to), all buildings. */
  expectedPeopleCounterLines(from: number, to: number): string[] {
    return this.sim.buildings
      .flatMap((b) => this.sim.peopleCounterLines(b, new Date(from), new Date(to)))
      .map((l) => `${l.tags.join("/")}|${String(l.line.time)}`)
      .sort();
  }

  /** The same identity of what a hub received from the people-counter pipeline. */
  deliveredPeopleCounterLines(hub: string): string[] {
    return this.received(hub, "peoplecounter")
      .map((e) => {
        const body = e.body as { _location_tags: string[]; time: string };
        return `${body._location_tags.join("/")}|${body.time}`;
      })
      .sort();
  }

  /** A new runtime on the same state, as a process restart makes: nothing kept in memory. */
  async restart(): Promise<void> {
    await this.runtime.close();
    this.runtime = await openRuntime(this.config);
  }

  async watermarks(pipeline: string): Promise<Record<string, string>> {
    const marks = await this.runtime.store.watermarks(pipeline);
    return Object.fromEntries([...marks].map(([location, at]) => [location, at.toISOString()]));
  }

  async close(): Promise<void> {
    await this.runtime.close();
    await Promise.allSettled([this.sim.close(), this.hubs.close()]);
    if (this.stateDir !== undefined) await rm(this.stateDir, { recursive: true, force: true });
    if (this.config.state.kind === "redis") {
      const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      const keys = await admin.keys(`${this.keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  }
}
