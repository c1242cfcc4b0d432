import { randomUUID } from "node:crypto";
import { InvocationContext, type LogLevel } from "@azure/functions";
import { Redis } from "ioredis";
import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../../src/local/microshare/microshareSimulator.js";
import { closeSharedRuntime } from "../../src/functions/sharedRuntime.js";
import { standInEnvironment } from "../../src/local/standInEnvironment.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** One log call the handler made through the InvocationContext. */
export interface LoggedLine {
  readonly level: LogLevel;
  readonly text: string;
}

/**
 * What a Functions host gives the handler, built for real: the simulator and the local Event
 * Hubs endpoint on ephemeral ports, real Redis under a unique key prefix, and the app settings
 * put in `process.env` (the handler reads them there, as it does on Azure). `close()` restores
 * the environment, closes the shared runtime and deletes the prefix's keys.
 */
export class FunctionsWorld {
  readonly keyPrefix = `test:functions:${randomUUID()}:`;
  readonly logged: LoggedLine[] = [];
  private readonly saved = new Map<string, string | undefined>();

  private constructor(
    readonly sim: MicroshareSimulator,
    readonly hubs: LocalEventHubs,
  ) {}

  static async start(hubNames: readonly string[]): Promise<FunctionsWorld> {
    const sim = await MicroshareSimulator.start({ buildings: 2, floorsPerBuilding: 1, roomsPerFloor: 2 });
    const hubs = await LocalEventHubs.start({ hubs: hubNames });
    const world = new FunctionsWorld(sim, hubs);
    world.setEnv({
      // No developer .env may leak into the test's app settings.
      DOTENV_PATH: `/nonexistent/${randomUUID()}.env`,
      ...standInEnvironment(sim, hubs),
      EVENT_HUB_CONNECTION_STRING: undefined,
      EVENT_HUB_PAUSED: undefined,
      REDIS_URL,
      REDIS_KEY_PREFIX: world.keyPrefix,
      INITIAL_LOOKBACK: "2h",
      EVENT_HUB_BATCH_MAX_WAIT: "20ms",
      MICROSHARE_RETRY_DELAY: "10ms",
      MICROSHARE_MAX_RETRY_DELAY: "100ms",
      MICROSHARE_MAX_RETRIES: "1",
      SCHEDULE_EVERY: undefined,
    });
    return world;
  }

  /** Sets (or, with undefined, removes) app settings, remembering the first value to restore. */
  setEnv(values: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(values)) {
      if (!this.saved.has(name)) this.saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  /** A real InvocationContext whose log calls are recorded. */
  context(functionName: string): InvocationContext {
    return new InvocationContext({
      invocationId: randomUUID(),
      functionName,
      logHandler: (level, ...args) => this.logged.push({ level, text: args.map(String).join(" ") }),
    });
  }

  async close(): Promise<void> {
    await closeSharedRuntime();
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await Promise.allSettled([this.sim.close(), this.hubs.close()]);
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const keys = await admin.keys(`${this.keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
    } finally {
      await admin.quit();
    }
  }
}
