import { concatMap, defer, map, of, toArray, type Observable, type OperatorFunction } from "rxjs";
import { loadConfig } from "../../src/config/loadConfig.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "../../src/engine/pipelineDefinition.js";
import type { UnitSink } from "../../src/engine/unitSink.js";
import { HOUR } from "../../src/model/time.js";
import { timeWindow } from "../../src/model/timeWindow.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import type { SourceLine } from "../../src/operators/sourceLine.js";
import type { DeliveryContext, DeliveryReport } from "../../src/sinks/deliveryReport.js";
import { DeliverySequence } from "../../src/sinks/deliverySequence.js";
import { captureLogger, type LogRecord } from "../sources/microshare/sourceTestKit.js";

/**
 * Stand-ins for the engine's specs: a pipeline definition whose lines a test chooses, and sinks
 * of our own. The state store behind them is always the real Redis.
 */
export const START = Date.UTC(2026, 0, 5, 0, 0, 0);

/** `count` hour-long units of one location from START. */
export function hourUnits(count: number, location = "L", pipeline = "p"): WorkUnit[] {
  return Array.from({ length: count }, (_, i) => ({
    pipeline,
    location,
    window: timeWindow(START + i * HOUR, START + (i + 1) * HOUR),
    advancesWatermark: true,
  }));
}

export function lineOf(key: string, location: string, time: Date, incomplete?: string): SourceLine {
  return {
    key,
    location,
    tags: [location],
    time,
    line: {},
    ...(incomplete === undefined ? {} : { incomplete }),
  };
}

/** Lines become events one to one, the line's key as the event id. */
export const linesAsEvents: OperatorFunction<SourceLine, OutboundEvent> = map((line) => ({
  id: line.key,
  partitionKey: line.location,
  time: line.time,
  body: {},
  properties: { recType: "r", pipeline: "p", location: line.location },
}));

/** Hourly windows, no settle delay, an hour of lookback; the test gives locations and lines. */
export function standInDefinition(
  lines: (unit: WorkUnit) => Observable<SourceLine>,
  locations: readonly string[] = ["L"],
): PipelineDefinition {
  return {
    name: "p",
    recType: "r",
    description: "",
    schedule: { everyInMs: HOUR, offsetInMs: 0 },
    windows: { lengthInMs: HOUR, settleDelayInMs: 0, lateLookbackInMs: HOUR, initialLookbackInMs: HOUR },
    requires: () => [],
    locations: () => of(locations.map((name) => ({ name, clusterName: name }))),
    lines: (_context, unit) => lines(unit),
    events: () => linesAsEvents,
  };
}

/** The embedded defaults' configuration and a logger the test reads; no source (the definition reads). */
export function standInContext(records: LogRecord[] = []): PipelineContext {
  return { config: loadConfig({}), logger: captureLogger(records) } as unknown as PipelineContext;
}

/** Every hub acknowledged every event of a delivery. */
export function acknowledgedReport(
  context: DeliveryContext,
  hubNames: readonly string[],
  events: number,
): DeliveryReport {
  return {
    context,
    events,
    hubs: hubNames.map((hub) => ({ hub, acknowledged: events, deadLettered: 0, batches: 1, errors: [] })),
  };
}

/**
 * Acknowledges every event on every hub once `gate` (if set) lets the delivery through, and
 * records each delivery: its window's start and the event ids, in the order deliveries began.
 */
export class AcknowledgingSink implements UnitSink {
  readonly deliveries: { readonly location: string; readonly from: number; readonly ids: string[] }[] = [];
  /** Told when a delivery begins, before it waits for its gate. */
  onDelivery: (context: DeliveryContext) => void = () => undefined;
  gate: Promise<void> = Promise.resolve();
  failWith: Error | undefined;

  constructor(readonly hubNames: readonly string[] = ["only"]) {}

  sequence(): DeliverySequence {
    return new DeliverySequence(this.hubNames, 4);
  }

  deliver(
    context: DeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, DeliveryReport> {
    return (events) =>
      defer(() => {
        const placed = sequence?.place();
        return events.pipe(
          toArray(),
          concatMap(async (all) => {
            this.deliveries.push({
              location: context.location,
              from: context.window.from.getTime(),
              ids: all.map((e) => e.id),
            });
            this.onDelivery(context);
            try {
              for (const placement of placed?.values() ?? [])
                if (placement.kind === "queued") await placement.turn;
              await this.gate;
              if (this.failWith !== undefined) throw this.failWith;
              return acknowledgedReport(context, this.hubNames, all.length);
            } finally {
              for (const placement of placed?.values() ?? [])
                if (placement.kind === "queued") placement.done();
            }
          }),
        );
      });
  }
}
