import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { lastValueFrom, type Observable } from "rxjs";
import winston from "winston";
import type { DeliveryConfig } from "../../src/config/config.js";
import type { SasHubConfig } from "../../src/config/hubConfig.js";
import { LocalEventHubs, type LocalEventHubsOptions } from "../../src/local/eventhubs/localEventHubs.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import { timeWindow } from "../../src/model/timeWindow.js";
import { createRedisState } from "../../src/state/redisState.js";
import type { DeadLetterEntry, DeadLetterQueue } from "../../src/dlq/deadLetterQueue.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";
import {
  FanOutSink,
  type DeliveryContext,
  type DeliveryReport,
  type FanOutSinkOptions,
} from "../../src/sinks/fanOutSink.js";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Fast settings: a failing batch settles in well under a second (a stalled one in ~2 s). */
export const FAST_DELIVERY: DeliveryConfig = {
  maxRetries: 1,
  retryDelayInMs: 20,
  maxRetryDelayInMs: 100,
  timeoutInMs: 1000,
  batchMaxEvents: 100,
  batchMaxWaitInMs: 20,
  breakerThreshold: 2,
  breakerCooldownInMs: 500,
  maxLagWindows: 4,
};

export const CONTEXT: DeliveryContext = {
  pipeline: "peoplecounter",
  location: "building-7",
  window: timeWindow("2024-05-01T10:00:00.000Z", "2024-05-01T10:15:00.000Z"),
};

/** `count` small events of one location with distinct ids and bodies. */
export function makeEvents(
  count: number,
  options: { location?: string; prefix?: string; padding?: number } = {},
): OutboundEvent[] {
  const location = options.location ?? CONTEXT.location;
  const prefix = options.prefix ?? "evt";
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${location}-${i}`,
    partitionKey: location,
    time: new Date(Date.UTC(2024, 4, 1, 10, 0, i % 60)),
    body: {
      seq: i,
      room: `r${i % 7}`,
      count: i * 3,
      ...(options.padding ? { pad: "x".repeat(options.padding) } : {}),
    },
    properties: {
      recType: "io.microshare.peoplecounter.unpacked",
      pipeline: CONTEXT.pipeline,
      location,
      seq: i,
    },
  }));
}

export interface CapturedLog {
  readonly level: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/**
 * One test's world: a local Event Hubs endpoint on an ephemeral port, a real Redis DLQ under a
 * unique key prefix, captured logs, and every sink, connection and key cleaned up afterwards.
 */
export class SinkTestWorld {
  readonly keyPrefix = `test:sinks:${randomUUID()}:`;
  readonly logs: CapturedLog[] = [];
  readonly logger = winston.createLogger({
    level: "debug",
    format: winston.format.json(),
    transports: [
      new winston.transports.Stream({
        stream: new Writable({
          write: (chunk: Buffer, _encoding, callback) => {
            this.logs.push(JSON.parse(chunk.toString()) as CapturedLog);
            callback();
          },
        }),
      }),
    ],
  });
  private readonly sinks: FanOutSink[] = [];
  private readonly stores: RedisStateStore[] = [];
  private endpoint: LocalEventHubs | undefined;
  readonly dlq: DeadLetterQueue;

  constructor() {
    const state = createRedisState({ url: REDIS_URL, keyPrefix: this.keyPrefix });
    this.stores.push(state.store);
    this.dlq = state.dlq;
  }

  async start(options: LocalEventHubsOptions): Promise<LocalEventHubs> {
    this.endpoint = await LocalEventHubs.start(options);
    return this.endpoint;
  }

  get hubs(): LocalEventHubs {
    if (!this.endpoint) throw new Error("start() the endpoint first");
    return this.endpoint;
  }

  hubConfig(hub: string, overrides: Partial<Pick<SasHubConfig, "name" | "paused">> = {}): SasHubConfig {
    const connectionString = this.hubs.connectionString(hub);
    return {
      auth: "sas",
      name: overrides.name ?? hub,
      paused: overrides.paused ?? false,
      connectionString,
      eventHubName: hub,
      endpoint: `sb://127.0.0.1:${this.hubs.port}`,
    };
  }

  /** A hub config pointing at a hub the endpoint does not serve (attach refused, amqp:not-found). */
  unknownHubConfig(name: string): SasHubConfig {
    const known = this.hubs.hubs[0] ?? "";
    const connectionString = this.hubs
      .connectionString(known)
      .replace(`EntityPath=${known}`, `EntityPath=${name}`);
    return {
      auth: "sas",
      name,
      paused: false,
      connectionString,
      eventHubName: name,
      endpoint: `sb://127.0.0.1:${this.hubs.port}`,
    };
  }

  sink(options: Partial<FanOutSinkOptions> & Pick<FanOutSinkOptions, "hubs">): FanOutSink {
    const sink = new FanOutSink({ delivery: FAST_DELIVERY, dlq: this.dlq, logger: this.logger, ...options });
    this.sinks.push(sink);
    return sink;
  }

  /** Every queued DLQ entry of a hub, oldest first. */
  async deadLetters(hub: string, pipeline = CONTEXT.pipeline): Promise<DeadLetterEntry[]> {
    const records = await this.dlq.list(pipeline, hub);
    return records.map((record) => {
      if (record.state !== "ok") throw new Error(`corrupt DLQ entry: ${record.reason}`);
      return record.entry;
    });
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.sinks.splice(0).map((sink) => sink.close()));
    await this.endpoint?.close();
    await Promise.all(this.stores.splice(0).map((store) => store.close()));
    const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      const keys = await admin.keys(`${this.keyPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
    } finally {
      await admin.quit();
    }
    this.logger.close();
  }
}

/** Runs one delivery to its single report. */
export function deliverAll(
  sink: FanOutSink,
  events: Observable<OutboundEvent>,
  context: DeliveryContext = CONTEXT,
): Promise<DeliveryReport> {
  return lastValueFrom(events.pipe(sink.deliver(context)));
}

/** The settlement of one hub in a report (fails the test when missing). */
export function hubOf(report: DeliveryReport, hub: string): DeliveryReport["hubs"][number] {
  const settlement = report.hubs.find((h) => h.hub === hub);
  if (!settlement) throw new Error(`report has no hub '${hub}'`);
  return settlement;
}

export function idsOf(events: readonly { id: string }[]): string[] {
  return events.map((e) => e.id);
}

/**
 * Resolves once `condition` holds, checking after every turn of the event loop (no fixed sleep):
 * for counters of the endpoint that have no waiter of their own. Mocha's timeout bounds it.
 */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
