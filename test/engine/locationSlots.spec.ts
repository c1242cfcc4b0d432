import { expect } from "chai";
import { concatMap, defer, lastValueFrom, type OperatorFunction, toArray } from "rxjs";
import { withConfiguredSettings } from "../../src/engine/configuredDefinition.js";
import { runTick } from "../../src/engine/runTick.js";
import type { UnitSink } from "../../src/engine/unitSink.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import type { DeliveryContext, DeliveryReport } from "../../src/sinks/deliveryReport.js";
import { DeliverySequence } from "../../src/sinks/deliverySequence.js";
import { HOUR, MINUTE, PipelineHarness } from "../e2e/pipelineHarness.js";
import { acknowledgedReport } from "./engineTestKit.js";

/**
 * A sink of our own that takes `delayInMs` per delivery (every hub slow) and records how many
 * locations it held at once. Only the sink is a stand-in: the simulator, the real Microshare
 * source and a real Redis are behind the tick.
 */
class SlowSink implements UnitSink {
  readonly hubNames = ["only"];
  private readonly active = new Map<string, number>();
  maxLocationsAtOnce = 0;

  constructor(private readonly delayInMs: number) {}

  sequence(): DeliverySequence {
    return new DeliverySequence(this.hubNames, 4);
  }

  deliver(
    context: DeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, DeliveryReport> {
    return (events) =>
      defer(() => {
        const placement = sequence?.place().get("only");
        this.active.set(context.location, (this.active.get(context.location) ?? 0) + 1);
        this.maxLocationsAtOnce = Math.max(this.maxLocationsAtOnce, this.active.size);
        return events.pipe(
          toArray(),
          concatMap(async (all) => {
            if (placement?.kind === "queued") await placement.turn;
            await new Promise((resolve) => setTimeout(resolve, this.delayInMs));
            const left = (this.active.get(context.location) ?? 1) - 1;
            if (left === 0) this.active.delete(context.location);
            else this.active.set(context.location, left);
            if (placement?.kind === "queued") placement.done();
            return acknowledgedReport(context, this.hubNames, all.length);
          }),
        );
      });
  }
}

describe("a tick's location slots", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("with every hub slow, no more locations are in delivery at once than the tick reads: memory stays bounded", async () => {
    h = await PipelineHarness.start({ hubs: ["only"], env: { INITIAL_LOOKBACK: "3h", WINDOW_LENGTH: "1h" } });
    const sink = new SlowSink(50);
    const summary = await lastValueFrom(
      runTick(
        withConfiguredSettings(peopleCounter, h.config),
        h.runtime.context,
        { store: h.runtime.store, sink, dedupe: true },
        { now: h.clock, locationConcurrency: 2 },
      ),
    );
    const expected = h.expectedPeopleCounterLines(h.clock - 3 * HOUR, h.clock - 5 * MINUTE);
    expect(summary.hubs.only).to.deep.equal({ acknowledged: expected.length, deadLettered: 0 });
    expect(summary.windows.failed).to.equal(0);
    expect(summary.windows.settled).to.equal(summary.windows.planned).and.to.be.at.least(9);
    expect(sink.maxLocationsAtOnce).to.equal(2);
  });
});
