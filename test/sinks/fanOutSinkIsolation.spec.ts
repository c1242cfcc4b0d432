import { expect } from "chai";
import { from } from "rxjs";
import { deliverAll, FAST_DELIVERY, hubOf, idsOf, makeEvents, SinkTestWorld } from "./sinkTestHarness.js";
import { eachTest } from "../support/eachTest.js";

describe("FanOutSink (independent lanes and close)", () => {
  const world = eachTest(
    () => new SinkTestWorld(),
    (w) => w.cleanup(),
  );

  it("delivers to a healthy hub while another hub is stalled: no lane waits for another", async () => {
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("b", { kind: "stall" });
    const delivery = { ...FAST_DELIVERY, batchMaxEvents: 10, breakerThreshold: 1 };
    const sink = world().sink({ hubs: [world().hubConfig("a"), world().hubConfig("b")], delivery });
    const events = makeEvents(50);
    const started = Date.now();
    let settledAt: number | undefined;

    const report = deliverAll(sink, from(events)).then((r) => {
      settledAt = Date.now();
      return r;
    });
    await world().hubs.waitForEvents("a", 50);
    const aCompleteAfter = Date.now() - started;

    // All five of a's batches arrived while b's first try was still waiting for its settlement.
    expect(settledAt).to.equal(undefined);
    expect(aCompleteAfter).to.be.below(delivery.timeoutInMs);
    const settled = await report;
    expect((settledAt ?? 0) - started).to.be.at.least(2 * delivery.timeoutInMs);
    expect(hubOf(settled, "a").acknowledged).to.equal(50);
    expect(hubOf(settled, "b").deadLettered).to.equal(50);
    expect((await world().deadLetters("b")).flatMap((e) => idsOf(e.events))).to.deep.equal(idsOf(events));
  });

  it("close() is idempotent; later deliver, sendToHub and probe are refused as closed", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({ hubs: [world().hubConfig("a")] });
    await deliverAll(sink, from(makeEvents(3)));

    await Promise.all([sink.close(), sink.close()]);
    await sink.close();

    const refusals = await Promise.all([
      deliverAll(sink, from(makeEvents(1))).then(() => "delivered", String),
      sink.sendToHub("a", makeEvents(1)).then(() => "sent", String),
      sink.probe().then(() => "probed", String),
    ]);
    for (const refusal of refusals)
      expect(refusal).to.match(/^SinkClosedError: .*the fan-out sink is closed/);
    expect(world().hubs.received("a")).to.have.length(3);
  });

  it("close() during a delivery ends the stalled try at once; its batch goes to the DLQ, nothing is lost", async () => {
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("b", { kind: "stall" });
    const delivery = { ...FAST_DELIVERY, timeoutInMs: 5000 };
    let aSettled: () => void = () => undefined;
    const aAcknowledged = new Promise<void>((resolve) => (aSettled = resolve));
    const sink = world().sink({
      hubs: [world().hubConfig("a"), world().hubConfig("b")],
      delivery,
      onBatchSettled: (batch) => batch.hub === "a" && aSettled(),
    });
    const events = makeEvents(20);
    const report = deliverAll(sink, from(events));
    // Settled, not merely received: a close() racing a's acknowledgement would dead-letter it too.
    await aAcknowledged;

    const closing = Date.now();
    await sink.close();
    const settled = await report;

    expect(Date.now() - closing).to.be.below(delivery.timeoutInMs);
    expect(hubOf(settled, "a").acknowledged).to.equal(20);
    expect(hubOf(settled, "b")).to.deep.include({ deadLettered: 20 });
    const [entry] = await world().deadLetters("b");
    expect(entry?.error.name).to.equal("SinkClosedError");
    expect(idsOf(entry?.events ?? [])).to.deep.equal(idsOf(events));
  });
});
