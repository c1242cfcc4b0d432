import { expect } from "chai";
import { concatMap, defer, lastValueFrom, NEVER, of, type OperatorFunction, throwError, toArray } from "rxjs";
import type { PipelineDefinition } from "../../src/engine/pipelineDefinition.js";
import { processLocation } from "../../src/engine/processLocation.js";
import type { UnitSink } from "../../src/engine/unitSink.js";
import { Slots } from "../../src/concurrency/slots.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import type { DeliveryContext, DeliveryReport } from "../../src/sinks/deliveryReport.js";
import { DeliverySequence } from "../../src/sinks/deliverySequence.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";
import { RedisTestState } from "../state/redisTestHarness.js";
import { waitUntil } from "../state/waitUntil.js";
import { acknowledgedReport, hourUnits, lineOf, standInContext, standInDefinition } from "./engineTestKit.js";

const units = hourUnits(3);
const keysOf = (i: number): string[] => [`w${i}-a`, `w${i}-b`];

/** Two lines per window; `failRead` makes that window's read fail. */
function definition(failRead?: number): PipelineDefinition {
  return standInDefinition((unit) => {
    const i = units.indexOf(unit);
    if (i === failRead) return throwError(() => new Error(`view down for window ${i}`));
    return of(...keysOf(i).map((key) => lineOf(key, "L", unit.window.from)));
  });
}

/**
 * A sink of our own with two hubs: "fast" settles at once, "slow" holds window 0 until `release`
 * (or fails it with `fail`), and the sequence spills what slow cannot hold (maxLag 0).
 */
class TwoHubSink implements UnitSink {
  readonly hubNames = ["fast", "slow"];
  readonly delivered: number[] = [];
  private settleSlow: (error?: Error) => void = () => undefined;
  private readonly slowGate = new Promise<Error | undefined>((resolve) => (this.settleSlow = resolve));

  release(): void {
    this.settleSlow();
  }

  fail(error: Error): void {
    this.settleSlow(error);
  }

  sequence(): DeliverySequence {
    return new DeliverySequence(this.hubNames, 0);
  }

  deliver(
    context: DeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, DeliveryReport> {
    return (events) =>
      defer(() => {
        const placed = sequence?.place();
        const index = units.findIndex((u) => u.window.from.getTime() === context.window.from.getTime());
        return events.pipe(
          toArray(),
          concatMap(async (all) => {
            this.delivered.push(index);
            const fast = placed?.get("fast");
            if (fast?.kind === "queued") fast.done();
            const slow = placed?.get("slow");
            try {
              if (slow?.kind === "queued") {
                await slow.turn;
                const error = await this.slowGate;
                if (error !== undefined) throw error;
              }
            } finally {
              if (slow?.kind === "queued") slow.done();
            }
            return acknowledgedReport(context, this.hubNames, all.length);
          }),
        );
      });
  }
}

describe("processLocation", () => {
  let redis: RedisTestState;
  let store: RedisStateStore;
  const context = standInContext();

  beforeEach(() => {
    redis = new RedisTestState();
    store = redis.open().store;
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  function run(sink: UnitSink, failRead?: number) {
    return lastValueFrom(
      processLocation(
        definition(failRead),
        context,
        { store, sink, dedupe: true, deliveredMarginInMs: 0 },
        units,
        NEVER,
        new Slots(1),
      ).pipe(toArray()),
    );
  }

  async function recorded(i: number): Promise<number> {
    return (await store.deliveredAmong("p", "L", keysOf(i))).size;
  }

  it("commits later windows' ids while an earlier one is held, then moves the watermark over all of them at once", async () => {
    const sink = new TwoHubSink();
    const outcomes = run(sink);
    // Windows 1 and 2 were spilled on slow (held 1 > maxLag 0) and settled; window 0 is held.
    await waitUntil(async () => (await recorded(2)) === 2, "window 2's ids are recorded", 15_000);
    expect(await recorded(1)).to.equal(2);
    expect(await recorded(0)).to.equal(0);
    expect((await store.watermarks("p")).get("L")).to.equal(undefined);

    sink.release();
    const done = await outcomes;
    expect(done.map((o) => o.state)).to.deep.equal(["settled", "settled", "settled"]);
    expect(await recorded(0)).to.equal(2);
    expect((await store.watermarks("p")).get("L")).to.deep.equal(units[2]?.window.to);
  });

  it("holds the watermark before a window whose delivery failed; the windows after it keep their ids", async () => {
    const sink = new TwoHubSink();
    const outcomes = run(sink);
    await waitUntil(async () => (await recorded(2)) === 2, "window 2's ids are recorded", 15_000);
    sink.fail(new Error("DLQ write failed"));
    const done = await outcomes;
    const states = done.map((o) => `${units.indexOf(o.unit)}:${o.state}`).sort();
    expect(states).to.deep.equal(["0:failed", "1:settled", "2:settled"]);
    expect(await recorded(0)).to.equal(0);
    expect((await store.watermarks("p")).get("L")).to.equal(undefined);
  });

  it("a window whose read fails stops the location: nothing after it is delivered, and the watermark stays before it", async () => {
    const sink = new TwoHubSink();
    sink.release();
    const done = await run(sink, 1);
    expect(done.map((o) => `${units.indexOf(o.unit)}:${o.state}`).sort()).to.deep.equal([
      "0:settled",
      "1:failed",
      "2:failed",
    ]);
    expect(sink.delivered).to.deep.equal([0]);
    expect(await recorded(2)).to.equal(0);
    expect((await store.watermarks("p")).get("L")).to.deep.equal(units[0]?.window.to);
  });
});
