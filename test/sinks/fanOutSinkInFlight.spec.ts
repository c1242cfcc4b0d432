import { expect } from "chai";
import { from } from "rxjs";
import { PIPELINE_FAILURE } from "../../src/model/failure.js";
import { timeWindow } from "../../src/model/timeWindow.js";
import type { DeliveryConfig } from "../../src/config/config.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import type { DeliveryContext, DeliveryReport, FanOutSink } from "../../src/sinks/fanOutSink.js";
import type { HubFault } from "../../src/local/eventhubs/localEventHubs.js";
import { eachTest } from "../support/eachTest.js";
import { deliverAll, FAST_DELIVERY, hubOf, idsOf, makeEvents, SinkTestWorld } from "./sinkTestHarness.js";

/** A hub whose batches hold at most 64 KB: a location's 300 padded events fill four of them. */
const MAX_BATCH_BYTES = 64 * 1024;
const LOCATIONS = ["b1", "b2", "b3", "b4", "b5", "b6"];

function contextOf(location: string): DeliveryContext {
  return {
    pipeline: "peoplecounter",
    location,
    window: timeWindow("2024-05-01T10:00:00.000Z", "2024-05-01T11:00:00.000Z"),
  };
}

/** Six locations' 300 padded events each: four full batches and a part per location. */
function sixLocations(): OutboundEvent[][] {
  return LOCATIONS.map((location) => makeEvents(300, { location, padding: 500 }));
}

/** Each location's events delivered at once, as six locations' units of a tick are. */
function deliverEach(sink: FanOutSink, byLocation: readonly OutboundEvent[][]): Promise<DeliveryReport[]> {
  return Promise.all(byLocation.map((events, i) => deliverAll(sink, from(events), contextOf(LOCATIONS[i]!))));
}

// The memory of a back-fill is bounded by what is in flight; a hub's batches being packed or sent
// at once are held to two full batches (or the breaker's threshold; FAST_DELIVERY's is 2),
// however many locations deliver at once.
describe("FanOutSink (batches in flight per hub)", () => {
  const world = eachTest(
    () => new SinkTestWorld(),
    (w) => w.cleanup(),
  );

  /** A sink to hub "a" (64 KB batches) with `fault`; its breaker's clock stands still. */
  async function sinkTo(fault: HubFault, delivery: Partial<DeliveryConfig> = {}): Promise<FanOutSink> {
    await world().start({ hubs: ["a"], maxMessageSizeInBytes: MAX_BATCH_BYTES });
    world().hubs.setFault("a", fault);
    const clock = Date.UTC(2024, 4, 1, 12, 0, 0);
    return world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 1000, timeoutInMs: 20_000, ...delivery },
      now: () => clock,
    });
  }

  it("holds a hub's batches in flight to two full ones across six locations, and delivers every event once, in order", async function () {
    this.timeout(60_000);
    // Each transfer is answered after 100 ms: whatever the producer has in flight piles up there.
    const sink = await sinkTo({ kind: "slow", delayInMs: 100 });
    const byLocation = sixLocations();
    const reports = await deliverEach(sink, byLocation);

    for (const report of reports)
      expect(hubOf(report, "a")).to.deep.include({ acknowledged: 300, deadLettered: 0 });
    const stats = world().hubs.stats("a");
    // Six locations at once would have six full batches in flight (one each) without the bound;
    // a location's last, partial batch may share the room with others.
    expect(stats.mostBytesDelayed)
      .to.be.above(MAX_BATCH_BYTES)
      .and.at.most(2 * MAX_BATCH_BYTES);
    expect(stats.mostTransfersDelayed).to.be.within(2, 4);
    expect(stats.transfersAccepted).to.be.at.least(LOCATIONS.length * 4);
    const received = world().hubs.received("a");
    for (const [i, location] of LOCATIONS.entries()) {
      const ids = received.filter((e) => e.partitionKey === location).map((e) => e.messageId);
      expect(ids).to.deep.equal(idsOf(byLocation[i]!));
    }
  });

  it("holds a replay's batches in flight to two full ones too, across its partition keys", async function () {
    this.timeout(60_000);
    const sink = await sinkTo({ kind: "slow", delayInMs: 100 });
    // A replay group spans locations; their keys are sent side by side.
    const events = sixLocations().flat();
    await sink.sendToHub("a", events);

    const stats = world().hubs.stats("a");
    expect(stats.mostBytesDelayed)
      .to.be.above(MAX_BATCH_BYTES)
      .and.at.most(2 * MAX_BATCH_BYTES);
    expect(stats.eventsAccepted).to.equal(events.length);
    expect(
      new Set(
        world()
          .hubs.received("a")
          .map((e) => e.messageId),
      ).size,
    ).to.equal(events.length);
  });

  it("sends a batch that waited for room only if the breaker is still closed: the rest go to the DLQ untried", async function () {
    this.timeout(60_000);
    // One failed batch opens the breaker; the clock stands still, so it stays open.
    const sink = await sinkTo({ kind: "stall" }, { maxRetries: 0, timeoutInMs: 1000, breakerThreshold: 1 });
    const byLocation = sixLocations();
    const reports = await deliverEach(sink, byLocation);

    for (const report of reports)
      expect(hubOf(report, "a")).to.deep.include({ acknowledged: 0, deadLettered: 300 });
    const entries = await world().deadLetters("a");
    // Nothing lost or doubled: every event of every location is in the DLQ once.
    expect(entries.flatMap((e) => idsOf(e.events)).sort()).to.deep.equal(byLocation.flatMap(idsOf).sort());
    // The two batches in flight were tried: the first to time out opened the breaker, and the
    // other's try ended then (or with its own timeout, when both fired at once). Every other
    // batch waited for room and was refused.
    const tried = entries.filter((e) => e.attempts === 1);
    expect(tried).to.have.length(2);
    expect(tried.map((e) => e.error.code)).to.include("OperationTimeoutError");
    const refused = entries.filter((e) => e.attempts === 0);
    expect(refused.length).to.be.at.least(LOCATIONS.length - 2);
    expect(refused.every((e) => e.error.code === PIPELINE_FAILURE.circuitOpen)).to.equal(true);
  });

  it("has as many batches in flight as the breaker's threshold: a stalled hub's breaker opens after one round of tries", async function () {
    this.timeout(60_000);
    const sink = await sinkTo({ kind: "stall" }, { maxRetries: 1, timeoutInMs: 1000, breakerThreshold: 3 });
    const byLocation = sixLocations();
    await deliverEach(sink, byLocation);

    const entries = await world().deadLetters("a");
    expect(entries.flatMap((e) => idsOf(e.events)).sort()).to.deep.equal(byLocation.flatMap(idsOf).sort());
    // Three first batches failed their tries together and opened the breaker; with two in
    // flight, the third failure would have come from a second round of two tries. A batch let
    // in as the first ones failed had its try cut when the breaker opened.
    const failedInFull = entries.filter((e) => e.attempts === 2);
    expect(failedInFull.map((e) => e.location).sort()).to.deep.equal(["b1", "b2", "b3"]);
    const others = entries.filter((e) => e.attempts < 2);
    expect(others.every((e) => e.error.code === PIPELINE_FAILURE.circuitOpen)).to.equal(true);
  });

  it("puts the batches still waiting for room into the DLQ untried when the sink closes: none is lost", async function () {
    this.timeout(60_000);
    const sink = await sinkTo({ kind: "slow", delayInMs: 300 });
    const byLocation = sixLocations();
    const delivering = deliverEach(sink, byLocation);
    // Once what is queued has run, two first batches are in flight (their link is still being
    // attached) and the other four locations wait for room.
    await new Promise((resolve) => setImmediate(resolve));
    await sink.close();
    const reports = await delivering;

    for (const report of reports) {
      const { acknowledged, deadLettered } = hubOf(report, "a");
      expect(acknowledged + deadLettered).to.equal(300);
    }
    const entries = await world().deadLetters("a");
    const received = new Set(
      world()
        .hubs.received("a")
        .map((e) => e.messageId),
    );
    const deadLettered = new Set(entries.flatMap((e) => idsOf(e.events)));
    for (const id of byLocation.flatMap(idsOf))
      expect(received.has(id) || deadLettered.has(id), id).to.equal(true);
    const untried = entries.filter((e) => e.attempts === 0);
    expect(untried.map((e) => e.location).sort()).to.deep.equal(["b3", "b4", "b5", "b6"]);
    expect(untried.every((e) => e.error.name === "SinkClosedError")).to.equal(true);
    // The two in flight were tried, and their try ended with the close.
    const tried = entries.filter((e) => e.attempts > 0);
    expect(tried.map((e) => e.location).sort()).to.deep.equal(["b1", "b2"]);
  });
});
