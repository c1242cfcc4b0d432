import { expect } from "chai";
import { from } from "rxjs";
import { deliverAll, FAST_DELIVERY, hubOf, makeEvents, SinkTestWorld } from "./sinkTestHarness.js";

describe("FanOutSink (throughput, local endpoint)", () => {
  let world: SinkTestWorld;

  beforeEach(() => {
    world = new SinkTestWorld();
  });

  afterEach(async () => {
    await world.cleanup();
  });

  for (const batchMaxEvents of [100, 1000]) {
    it(`delivers 10k small events to 2 hubs completely (batchMaxEvents ${batchMaxEvents}), and reports events/s`, async function () {
      this.timeout(60_000);
      await world.start({ hubs: ["a", "b"] });
      const sink = world.sink({
        hubs: [world.hubConfig("a"), world.hubConfig("b")],
        delivery: { ...FAST_DELIVERY, batchMaxEvents, timeoutInMs: 10_000 },
      });
      const events = makeEvents(10_000);
      // Warm-up: connections and links, so the figure is the steady state.
      await deliverAll(sink, from(makeEvents(10, { prefix: "warm" })));

      const started = process.hrtime.bigint();
      const report = await deliverAll(sink, from(events));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;

      for (const hub of ["a", "b"]) {
        expect(hubOf(report, hub)).to.deep.include({ acknowledgedEvents: 10_000, deadLetteredEvents: 0 });
        expect(world.hubs.received(hub)).to.have.length(10_010);
      }
      const perSecond = Math.round(10_000 / seconds);
      console.log(
        `      10k events × 2 hubs in ${seconds.toFixed(2)} s: ${perSecond} events/s per hub (${2 * perSecond} sends/s)`,
      );
      expect(perSecond).to.be.above(1000);
    });
  }
});
