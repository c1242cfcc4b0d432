import { Writable } from "node:stream";
import { peopleCounterViewParams } from "../../../src/pipelines/peopleCounter.js";
import { snapshotViewParams } from "../../../src/pipelines/snapshot.js";
import { expect } from "chai";
import { lastValueFrom, toArray, type Observable } from "rxjs";
import winston from "winston";
import type { MicroshareConfig } from "../../../src/config/config.js";
import { loadConfig } from "../../../src/config/loadConfig.js";
import {
  MicroshareSimulator,
  type SimulatorOptions,
} from "../../../src/local/microshare/microshareSimulator.js";
import { timeWindow, type TimeWindow } from "../../../src/model/timeWindow.js";
import type { Logger } from "../../../src/observability/logger.js";
import type { TokenCache } from "../../../src/sources/microshare/accessToken.js";
import { isMicroshareError, type MicroshareError } from "../../../src/sources/microshare/microshareError.js";
import {
  MicroshareSource,
  type MicroshareSourceOptions,
} from "../../../src/sources/microshare/microshareSource.js";
import type { ViewQuery, ViewResult } from "../../../src/sources/microshare/viewResults.js";

export const HOUR_MS = 3_600_000;

/**
 * The simulator clock, frozen at the last whole hour of the real clock: visible data cannot change
 * during a run, and expiries the simulator reports (web login `exp`) stay meaningful to the
 * source, which judges them by the real clock.
 */
export const SIM_NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;

/** 24 hours of complete data (the simulator starts its data 48 h before its clock). */
export const DAY_WINDOW: TimeWindow = timeWindow(SIM_NOW - 25 * HOUR_MS, SIM_NOW - HOUR_MS);
/** One hour of complete data: four 15-minute lines per room. */
export const HOUR_WINDOW: TimeWindow = timeWindow(SIM_NOW - 3 * HOUR_MS, SIM_NOW - 2 * HOUR_MS);

export const PC_CLUSTER_RECTYPE = "io.microshare.peoplecounter.packed";
export const SNAPSHOT_CLUSTER_RECTYPE = "io.microshare.lake.snapshot.packed";

export interface LogRecord {
  readonly level: string;
  readonly message: string;
}

/** A winston logger that keeps what it is told (so tests can assert warnings and stay quiet). */
export function captureLogger(records: LogRecord[]): Logger {
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: unknown }, _encoding, done) {
      records.push({ level: info.level, message: String(info.message) });
      done();
    },
  });
  return winston.createLogger({ level: "debug", transports: [new winston.transports.Stream({ stream })] });
}

/** The TokenCache interface over a Map: what the state store does, without Redis. */
export class MemoryTokenCache implements TokenCache {
  readonly entries = new Map<string, { value: string; expiresAt: Date }>();
  writes = 0;

  getCached(key: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(key)?.value);
  }

  setCached(key: string, value: string, expiresAt: Date): Promise<void> {
    this.writes += 1;
    this.entries.set(key, { value, expiresAt });
    return Promise.resolve();
  }

  deleteCached(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}

/**
 * A MicroshareConfig as `loadConfig` builds it from the environment, pointed at the simulator,
 * with retry delays short enough for tests (10 ms doubling, capped at 200 ms).
 */
export function testConfig(
  sim: MicroshareSimulator,
  overrides: Partial<MicroshareConfig> = {},
): MicroshareConfig {
  const c = sim.credentials;
  const base = loadConfig({
    MICROSHARE_AUTH_URL: sim.url,
    MICROSHARE_API_URL: sim.url,
    MICROSHARE_APP_URL: sim.url,
    MICROSHARE_USERNAME: c.username,
    MICROSHARE_PASSWORD: c.password,
    MICROSHARE_API_KEY: c.apiKey,
  }).microshare;
  return { ...base, retryDelayInMs: 10, maxRetryDelayInMs: 200, requestTimeoutInMs: 5000, ...overrides };
}

/** Starts simulators and sources for one test and closes them all afterwards (mocha must exit on its own). */
export class SourceHarness {
  readonly logs: LogRecord[] = [];
  private simulator: MicroshareSimulator | undefined;
  private readonly sources: MicroshareSource[] = [];
  private readonly spares: MicroshareSimulator[] = [];

  get sim(): MicroshareSimulator {
    if (this.simulator === undefined) throw new Error("start the simulator first");
    return this.simulator;
  }

  async start(options: SimulatorOptions = {}): Promise<MicroshareSimulator> {
    this.simulator = await MicroshareSimulator.start({ now: () => SIM_NOW, ...options });
    return this.simulator;
  }

  /** Another simulator, closed with the harness unless the test closes it first. */
  async startSpare(options: SimulatorOptions = {}): Promise<MicroshareSimulator> {
    const spare = await MicroshareSimulator.start({ now: () => SIM_NOW, ...options });
    this.spares.push(spare);
    return spare;
  }

  source(
    overrides: Partial<MicroshareConfig> = {},
    extra: Omit<MicroshareSourceOptions, "config" | "logger"> = {},
  ): MicroshareSource {
    const source = new MicroshareSource({
      config: testConfig(this.sim, overrides),
      logger: captureLogger(this.logs),
      ...extra,
    });
    this.sources.push(source);
    return source;
  }

  warnings(): string[] {
    return this.logs.filter((l) => l.level === "warn").map((l) => l.message);
  }

  async close(): Promise<void> {
    for (const source of this.sources.splice(0)) source.close();
    this.logs.length = 0;
    for (const spare of this.spares.splice(0)) await spare.close();
    await this.simulator?.close();
    this.simulator = undefined;
  }
}

/** A harness for the enclosing describe, closed after each test. */
export function useHarness(): SourceHarness {
  const harness = new SourceHarness();
  afterEach(() => harness.close());
  return harness;
}

export function peopleCounterQuery(
  sim: MicroshareSimulator,
  overrides: Record<string, string> = {},
): ViewQuery {
  return {
    viewId: sim.ids.peopleCounterViewId,
    params: { ...peopleCounterViewParams('["people"]'), ...overrides },
  };
}

export function snapshotQuery(sim: MicroshareSimulator): ViewQuery {
  return {
    viewId: sim.ids.snapshotViewId,
    params: snapshotViewParams({ dataContext: '["space"]', category: "space", metric: "occupancy" }),
  };
}

/** (room tags, line time) of every line of the results, in arrival order (duplicates kept). */
export function lineKeys(results: readonly ViewResult[]): string[] {
  return results.flatMap((r) =>
    r.groups.flatMap((g) => g.lines.map((l) => `${g.tags.join("/")}@${String(l.time)}`)),
  );
}

/** The simulator's ground truth for a building and half-open window, as `lineKeys` spells it. */
export function truthKeys(sim: MicroshareSimulator, building: string, window: TimeWindow): string[] {
  return sim
    .peopleCounterLines(building, window.from, window.to)
    .map((l) => `${l.tags.join("/")}@${String(l.line.time)}`);
}

export function collect<T>(source: Observable<T>): Promise<T[]> {
  return lastValueFrom(source.pipe(toArray()));
}

/** The MicroshareError `source` fails with; fails the test if it completes or fails otherwise. */
export async function failureOf(source: Observable<unknown>): Promise<MicroshareError> {
  try {
    await lastValueFrom(source.pipe(toArray()));
  } catch (error) {
    if (isMicroshareError(error)) return error;
    throw error;
  }
  expect.fail("expected the observable to fail with a MicroshareError");
}

/** Polls `condition` until it holds: waits for an event the simulator only exposes as state. */
export async function waitUntil(condition: () => boolean, what: string, timeoutInMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
