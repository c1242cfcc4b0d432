import { expect } from "chai";
import { from } from "rxjs";
import { deliverAll, FAST_DELIVERY, hubOf, makeEvents, SinkTestWorld } from "./sinkTestHarness.js";
import { eachTest } from "../support/eachTest.js";

// Speed is measured by `npm run bench`, never asserted here; this checks completeness at volume.
describe("FanOutSink (volume, local endpoint)", () => {
  const world = eachTest(
    () => new SinkTestWorld(),
    (w) => w.cleanup(),
  );

  for (const batchMaxEvents of [100, 1000]) {
    it(`delivers 10k small events to 2 hubs completely and exactly once (batchMaxEvents ${batchMaxEvents})`, async function () {
      this.timeout(60_000);
      await world().start({ hubs: ["a", "b"] });
      const sink = world().sink({
        hubs: [world().hubConfig("a"), world().hubConfig("b")],
        delivery: { ...FAST_DELIVERY, batchMaxEvents, timeoutInMs: 10_000 },
      });
      const report = await deliverAll(sink, from(makeEvents(10_000)));
      for (const hub of ["a", "b"]) {
        expect(hubOf(report, hub)).to.deep.include({ acknowledged: 10_000, deadLettered: 0 });
        const ids = world()
          .hubs.received(hub)
          .map((e) => e.messageId);
        expect(new Set(ids).size).to.equal(10_000);
      }
    });
  }
});
