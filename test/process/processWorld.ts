import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../../src/local/microshare/microshareSimulator.js";
import type { SimulatorOptions } from "../../src/local/microshare/simulatorOptions.js";
import { standInEnvironment } from "../../src/local/standInEnvironment.js";
import { createRedisState } from "../../src/state/redisState.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const HOUR = 3_600_000;

/**
 * The outside world for CLI child processes: the simulator and the local hubs run in the test
 * process (so the test can inject faults and read what arrived), Redis is real, and `env()` is
 * the complete environment a child gets.
 */
export class ProcessWorld {
  readonly keyPrefix = `test:${randomUUID()}:`;
  readonly dataStart = new Date(Math.floor((Date.now() - 12 * HOUR) / (15 * 60_000)) * 15 * 60_000);
  private readonly state = createRedisState({ url: REDIS_URL, keyPrefix: this.keyPrefix });

  private constructor(
    readonly sim: MicroshareSimulator,
    readonly hubs: LocalEventHubs,
  ) {}

  static async start(
    hubNames: readonly string[],
    sim: Omit<SimulatorOptions, "dataStart"> = {},
  ): Promise<ProcessWorld> {
    const dataStart = new Date(Math.floor((Date.now() - 12 * HOUR) / (15 * 60_000)) * 15 * 60_000);
    const simulator = await MicroshareSimulator.start({
      buildings: 3,
      floorsPerBuilding: 2,
      roomsPerFloor: 3,
      dataStart,
      ...sim,
    });
    const hubs = await LocalEventHubs.start({ hubs: hubNames });
    return new ProcessWorld(simulator, hubs);
  }

  get store() {
    return this.state.store;
  }

  get dlq() {
    return this.state.dlq;
  }

  env(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
    const { sim, hubs } = this;
    return {
      ...standInEnvironment(sim, hubs),
      REDIS_URL,
      REDIS_KEY_PREFIX: this.keyPrefix,
      // Everything the simulator holds is inside the first run's range.
      INITIAL_LOOKBACK: "13h",
      EVENT_HUB_MAX_RETRIES: "1",
      EVENT_HUB_RETRY_DELAY: "20ms",
      EVENT_HUB_TIMEOUT: "1s",
      EVENT_HUB_BATCH_MAX_WAIT: "20ms",
      // A killed process keeps its lease until it expires: keep that short here.
      LEASE_TTL: "2s",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      ...overrides,
    };
  }

  /** "tags|time" of every line the simulator holds before `until`. */
  linesBefore(until: number): string[] {
    return this.sim.buildings
      .flatMap((b) => this.sim.peopleCounterLines(b, this.dataStart, new Date(until)))
      .map((l) => `${l.tags.join("/")}|${String(l.line.time)}`);
  }

  /**
   * What a `--once` run that started at `startedAt` (ms, just before the spawn) must have sent:
   * its tick reads up to its own "now − 5 min", an instant between the spawn and the exit, so
   * the result is what a tick at one of the two ends reads, whichever boundary the run straddled.
   * Returns the delivered set's mismatch against the nearest of the two cuts (empty: correct).
   */
  runMismatch(delivered: readonly string[], startedAt: number, endedAt = Date.now()): string[] {
    const got = new Set(delivered);
    // What a tick at `at` reads: lines before its cut, as far as they are visible then (a line
    // becomes visible when its quarter hour ends).
    const mismatch = (at: number): string[] => {
      const expected = new Set(
        this.sim.buildings
          .flatMap((b) =>
            this.sim.peopleCounterLines(b, this.dataStart, new Date(at - 5 * 60_000), new Date(at)),
          )
          .map((l) => `${l.tags.join("/")}|${String(l.line.time)}`),
      );
      return [
        ...[...expected].filter((l) => !got.has(l)).map((l) => `missing ${l}`),
        ...[...got].filter((l) => !expected.has(l)).map((l) => `unexpected ${l}`),
      ];
    };
    const early = mismatch(startedAt);
    return early.length === 0 ? early : mismatch(endedAt);
  }

  delivered(hub: string): string[] {
    return this.hubs.received(hub).map((e) => {
      const body = e.body as { _location_tags: string[]; time: string };
      return `${body._location_tags.join("/")}|${body.time}`;
    });
  }

  /**
   * The at-least-once invariant: for every location, every line before its watermark is in
   * every hub (acknowledged) or in that hub's dead-letter queue. Returns the violations.
   */
  async watermarkViolations(pipeline: string): Promise<string[]> {
    const marks = await this.store.watermarks(pipeline);
    const violations: string[] = [];
    for (const hub of this.hubs.hubs) {
      const have = new Set(this.delivered(hub));
      for (const record of await this.dlq.list(pipeline, hub, { limit: 100_000 })) {
        if (record.state !== "ok") continue;
        for (const e of record.entry.events) {
          const body = e.body as { _location_tags: string[]; time: string };
          have.add(`${body._location_tags.join("/")}|${body.time}`);
        }
      }
      for (const [location, mark] of marks) {
        for (const line of this.sim.peopleCounterLines(location, this.dataStart, mark)) {
          const key = `${line.tags.join("/")}|${String(line.line.time)}`;
          if (!have.has(key))
            violations.push(`${hub}: ${key} is behind ${location}'s watermark but was never delivered`);
        }
      }
    }
    return violations;
  }

  async close(): Promise<void> {
    await this.store.close();
    await Promise.allSettled([this.sim.close(), this.hubs.close()]);
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await admin.keys(`${this.keyPrefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  }
}
