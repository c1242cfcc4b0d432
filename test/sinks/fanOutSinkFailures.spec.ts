import { expect } from "chai";
import { from } from "rxjs";
import type { HubFault } from "../../src/local/eventhubs/localEventHubs.js";
import {
  CONTEXT,
  deliverAll,
  FAST_DELIVERY,
  hubOf,
  idsOf,
  makeEvents,
  SinkTestWorld,
} from "./sinkTestHarness.js";
import { eachTest } from "../support/eachTest.js";

interface FailureCase {
  readonly title: string;
  readonly fault: HubFault | "unknown-hub";
  readonly code: RegExp;
  /** Tries made per batch: maxRetries + 1 = 2 when retryable, 1 when not. */
  readonly attempts: number;
  /** Transfers the endpoint refused (undefined: the fault does not count transfers). */
  readonly rejectedTransfers?: number;
  readonly message?: RegExp;
}

const CASES: readonly FailureCase[] = [
  {
    title: "reject amqp:internal-error: retried, then DLQ",
    fault: { kind: "reject", condition: "amqp:internal-error" },
    code: /^InternalServerError$/,
    attempts: 2,
    rejectedTransfers: 2,
  },
  {
    title: "reject com.microsoft:server-busy: retried, then DLQ",
    fault: { kind: "reject", condition: "com.microsoft:server-busy" },
    code: /^ServerBusyError$/,
    attempts: 2,
    rejectedTransfers: 2,
  },
  {
    title: "reject amqp:unauthorized-access: DLQ at once (same key cannot succeed)",
    fault: { kind: "reject", condition: "amqp:unauthorized-access" },
    code: /^UnauthorizedError$/,
    attempts: 1,
    rejectedTransfers: 1,
  },
  {
    title: "reject amqp:link:message-size-exceeded: DLQ at once, no retry",
    fault: { kind: "reject", condition: "amqp:link:message-size-exceeded" },
    code: /^MessageTooLargeError$/,
    attempts: 1,
    rejectedTransfers: 1,
  },
  {
    title: "release: retried (a released message was not acted upon), then DLQ",
    fault: { kind: "release" },
    code: /^SendOperationFailedError$/,
    attempts: 2,
    rejectedTransfers: 2,
  },
  {
    title: "stall: each try times out, then DLQ",
    fault: { kind: "stall" },
    code: /^OperationTimeoutError$/,
    attempts: 2,
    message: /^try 2 got no acknowledgement within timeoutInMs \(1000 ms\)$/,
  },
  {
    title: "drop-link: each try times out (the SDK waits for the settlement), then DLQ",
    fault: { kind: "drop-link" },
    code: /^OperationTimeoutError$/,
    attempts: 2,
  },
  { title: "down: retried, then DLQ", fault: { kind: "down" }, code: /^ConnectionForcedError$/, attempts: 2 },
  {
    title: "unknown hub: DLQ at once",
    fault: "unknown-hub",
    code: /^MessagingEntityNotFoundError$/,
    attempts: 1,
  },
];

describe("FanOutSink (failures: the failing hub's batches go to its DLQ, the healthy hub is complete)", () => {
  const world = eachTest(
    () => new SinkTestWorld(),
    (w) => w.cleanup(),
  );

  for (const c of CASES) {
    it(c.title, async () => {
      await world().start({ hubs: ["a", "b"] });
      const failing =
        c.fault === "unknown-hub" ? world().unknownHubConfig("missing") : world().hubConfig("b");
      if (c.fault !== "unknown-hub") world().hubs.setFault("b", c.fault);
      const settled: { hub: string; outcome: string; events: number; reason?: string }[] = [];
      const sink = world().sink({
        hubs: [world().hubConfig("a"), failing],
        onBatchSettled: (b) => settled.push(b),
      });
      const events = makeEvents(20);

      const report = await deliverAll(sink, from(events));

      expect(hubOf(report, "a")).to.deep.include({ acknowledged: 20, deadLettered: 0 });
      expect(
        idsOf(
          world()
            .hubs.received("a")
            .map((e) => ({ id: e.messageId ?? "" })),
        ),
      ).to.deep.equal(idsOf(events));
      const settlement = hubOf(report, failing.name);
      expect(settlement).to.deep.include({ acknowledged: 0, deadLettered: 20, batches: 1 });
      expect(settlement.errors).to.have.length(1);
      expect(settlement.errors[0]?.code).to.match(c.code);

      const entries = await world().deadLetters(failing.name);
      expect(entries).to.have.length(1);
      const entry = entries[0]!;
      expect(idsOf(entry.events)).to.deep.equal(idsOf(events));
      expect(entry).to.deep.include({
        pipeline: CONTEXT.pipeline,
        hub: failing.name,
        location: CONTEXT.location,
        window: { from: "2024-05-01T10:00:00.000Z", to: "2024-05-01T10:15:00.000Z" },
        attempts: c.attempts,
      });
      expect(entry.error.code).to.match(c.code);
      if (c.message) expect(entry.error.message).to.match(c.message);
      expect(entry.error.message).to.not.match(/SharedAccessKey=local-dev-key/);
      expect(entry.events[3]?.time).to.be.instanceOf(Date);
      expect(await world().dlq.depth(CONTEXT.pipeline, "a")).to.deep.include({ queued: 0 });
      if (c.rejectedTransfers !== undefined) {
        expect(world().hubs.stats("b")).to.deep.include({
          transfersRejected: c.rejectedTransfers,
          eventsAccepted: 0,
        });
      }
      if (c.fault !== "unknown-hub") expect(world().hubs.received("b")).to.have.length(0);
      const failedBatches = settled.filter((b) => b.hub === failing.name);
      expect(failedBatches.map((b) => [b.outcome, b.events])).to.deep.equal([["dead-lettered", 20]]);
      expect(failedBatches[0]?.reason).to.include(entry.error.message);
      const warning = world().logs.find((l) => l.level === "warn" && l.message === "batch dead-lettered");
      expect(warning).to.deep.include({ hub: failing.name, events: 20, attempts: c.attempts });
    });
  }

  it("one hub down for the whole run: the others complete and the DLQ holds exactly the missed batches", async () => {
    await world().start({ hubs: ["a", "b", "c"] });
    world().hubs.setFault("b", { kind: "down" });
    const sink = world().sink({
      hubs: ["a", "b", "c"].map((h) => world().hubConfig(h)),
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 10, timeoutInMs: 300 },
    });
    const events = makeEvents(45);

    const report = await deliverAll(sink, from(events));

    for (const hub of ["a", "c"]) {
      expect(hubOf(report, hub)).to.deep.include({
        acknowledged: 45,
        deadLettered: 0,
        batches: 5,
      });
    }
    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 0, deadLettered: 45 });
    const entries = await world().deadLetters("b");
    expect(entries.flatMap((e) => idsOf(e.events))).to.deep.equal(idsOf(events));
    expect(entries.map((e) => e.events.length)).to.deep.equal([10, 10, 10, 10, 5]);
    // Two batches tried (threshold 2), then the breaker skips the hub.
    expect(entries.map((e) => e.error.name).slice(2)).to.deep.equal([
      "CircuitOpen",
      "CircuitOpen",
      "CircuitOpen",
    ]);
    expect(world().hubs.received("b")).to.have.length(0);
  });

  it("replaces the client after a try that lost its link, and keeps it after a clean rejection", async () => {
    // @azure/event-hubs 6.0.4 leaks a token-renewal timer when a link is re-created on the same
    // client (see hubProducer.ts); a fresh client per such try avoids it (mocha --no-exit proves it).
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("a", { kind: "drop-link" });
    world().hubs.setFault("b", { kind: "reject", condition: "amqp:internal-error" });
    const sink = world().sink({
      hubs: [world().hubConfig("a"), world().hubConfig("b")],
      delivery: { ...FAST_DELIVERY, timeoutInMs: 300 },
    });

    await deliverAll(sink, from(makeEvents(5)));
    world().hubs.setFault("a", undefined);
    world().hubs.setFault("b", undefined);
    const report = await deliverAll(sink, from(makeEvents(5, { prefix: "later" })));

    expect(hubOf(report, "a").acknowledged).to.equal(5);
    expect(hubOf(report, "b").acknowledged).to.equal(5);
    // a: one connection per failed try (2), then one for the next batch; b: one throughout.
    expect(world().hubs.stats("a").connectionsOpened).to.equal(3);
    expect(world().hubs.stats("b")).to.deep.include({ connectionsOpened: 1, senderLinksAttached: 1 });
  });

  it("a hub that recovers: batches after the recovery are acknowledged", async () => {
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("b", { kind: "reject", condition: "amqp:internal-error" });
    const events = makeEvents(30);
    const sink = world().sink({
      hubs: [world().hubConfig("a"), world().hubConfig("b")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 10, breakerThreshold: 5 },
      // The first batch of b settled in the DLQ: b is back from now on.
      onBatchSettled: (batch) => {
        if (batch.hub === "b" && batch.outcome === "dead-lettered") world().hubs.setFault("b", undefined);
      },
    });

    const report = await deliverAll(sink, from(events));

    expect(hubOf(report, "b")).to.deep.include({
      acknowledged: 20,
      deadLettered: 10,
      batches: 3,
    });
    const entries = await world().deadLetters("b");
    expect(entries.map((e) => idsOf(e.events))).to.deep.equal([idsOf(events.slice(0, 10))]);
    expect(
      world()
        .hubs.received("b")
        .map((e) => e.messageId),
    ).to.deep.equal(idsOf(events.slice(10)));
    expect(sink.breakerState("b")).to.deep.equal({ state: "closed", consecutiveFailures: 0 });
  });

  it("retries a transient rejection and delivers on the second try, without a DLQ entry", async () => {
    await world().start({ hubs: ["a"] });
    world().hubs.setFault("a", { kind: "reject", condition: "com.microsoft:server-busy" });
    const sink = world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, retryDelayInMs: 200, maxRetryDelayInMs: 200 },
    });
    const delivered = deliverAll(sink, from(makeEvents(5)));
    // The first try was refused; clear the fault while the lane waits out its backoff.
    while (world().hubs.stats("a").transfersRejected === 0)
      await new Promise((resolve) => setImmediate(resolve));
    world().hubs.setFault("a", undefined);

    const report = await delivered;

    expect(hubOf(report, "a")).to.deep.include({ acknowledged: 5, deadLettered: 0 });
    expect(world().hubs.stats("a")).to.deep.include({ transfersRejected: 1, transfersAccepted: 1 });
    expect(await world().deadLetters("a")).to.have.length(0);
  });

  it("sends an oversized event to the DLQ with its id, size and the hub's limit, and delivers the rest", async () => {
    await world().start({ hubs: ["a"], maxMessageSizeInBytes: 16 * 1024 });
    const sink = world().sink({ hubs: [world().hubConfig("a")] });
    const events = makeEvents(10);
    const huge = { ...makeEvents(1, { prefix: "huge", padding: 20_000 })[0]! };
    const input = [...events.slice(0, 4), huge, ...events.slice(4)];

    const report = await deliverAll(sink, from(input));

    expect(hubOf(report, "a")).to.deep.include({ acknowledged: 10, deadLettered: 1 });
    expect(
      world()
        .hubs.received("a")
        .map((e) => e.messageId),
    ).to.deep.equal(idsOf(events));
    const [entry] = await world().deadLetters("a");
    expect(idsOf(entry?.events ?? [])).to.deep.equal([huge.id]);
    expect(entry?.error.name).to.equal("OversizedEvent");
    expect(entry?.error.message)
      .to.include(huge.id)
      .and.include("16384 bytes")
      .and.match(/about 2\d{4} bytes/);
    expect(world().hubs.stats("a").transfersRejected).to.equal(0);
  });

  it("spools a paused hub's batches to its DLQ without connecting to it", async () => {
    await world().start({ hubs: ["a", "b"] });
    const sink = world().sink({
      hubs: [world().hubConfig("a"), world().hubConfig("b", { paused: true })],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 10 },
    });
    const events = makeEvents(25);

    const report = await deliverAll(sink, from(events));

    expect(hubOf(report, "a").acknowledged).to.equal(25);
    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 0, deadLettered: 25, batches: 3 });
    const entries = await world().deadLetters("b");
    expect(entries.flatMap((e) => idsOf(e.events))).to.deep.equal(idsOf(events));
    expect(entries.every((e) => e.error.name === "HubPaused" && e.attempts === 0)).to.equal(true);
    expect(world().hubs.stats("b")).to.deep.equal({
      transfersAccepted: 0,
      transfersRejected: 0,
      eventsAccepted: 0,
      connectionsOpened: 0,
      senderLinksAttached: 0,
      mostTransfersDelayed: 0,
      mostBytesDelayed: 0,
    });
  });

  it("sendToHub replays a DLQ entry to that hub only", async () => {
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("b", { kind: "reject", condition: "amqp:internal-error" });
    const sink = world().sink({ hubs: [world().hubConfig("a"), world().hubConfig("b")] });
    const events = makeEvents(15);
    await deliverAll(sink, from(events));
    world().hubs.setFault("b", undefined);
    const acceptedByA = world().hubs.stats("a").eventsAccepted;

    const claimed = await world().dlq.claim(CONTEXT.pipeline, "b");
    if (!claimed) throw new Error("expected a dead letter for b");
    await sink.sendToHub("b", claimed.entry.events);
    await world().dlq.ack(claimed);

    expect(
      world()
        .hubs.received("b")
        .map((e) => e.messageId),
    ).to.deep.equal(idsOf(events));
    expect(world().hubs.received("b")[0]?.partitionKey).to.equal(CONTEXT.location);
    expect(world().hubs.stats("a").eventsAccepted).to.equal(acceptedByA);
    expect(await world().dlq.depth(CONTEXT.pipeline, "b")).to.deep.equal({
      queued: 0,
      inFlight: 0,
      parked: 0,
    });
  });

  it("sendToHub sends many locations' events side by side, each location's in order in its own batches", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 50 },
    });
    const locations = Array.from({ length: 12 }, (_, i) => `building-${i}`);
    // Interleaved, as a replay group of entries from many locations is.
    const perLocation = locations.map((location) => makeEvents(120, { location }));
    const events = perLocation[0]!.flatMap((_, i) => perLocation.map((list) => list[i]!));
    await sink.sendToHub("a", events);

    const received = world().hubs.received("a");
    expect(received).to.have.length(events.length);
    for (const [index, location] of locations.entries()) {
      const mine = received.filter((e) => e.partitionKey === location).map((e) => e.messageId);
      expect(mine, location).to.deep.equal(idsOf(perLocation[index]!));
    }
    // 120 events of a location in batches of at most 50: 3 transfers each, one key per transfer.
    expect(world().hubs.stats("a").transfersAccepted).to.equal(locations.length * 3);
  });

  it("sendToHub rejects with the translated error and bypasses a paused hub", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({ hubs: [world().hubConfig("a", { paused: true })] });
    await sink.sendToHub("a", makeEvents(3));
    expect(world().hubs.received("a")).to.have.length(3);

    world().hubs.setFault("a", { kind: "reject", condition: "amqp:unauthorized-access" });
    const error: unknown = await sink.sendToHub("a", makeEvents(2)).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).to.include({ code: "UnauthorizedError", retryable: false });
    await sink.sendToHub("x", []).then(
      () => expect.fail("an unknown hub must be refused"),
      (e: unknown) => expect(String(e)).to.match(/no hub 'x'/),
    );
  });

  it("fails the delivery, reporting nothing, when a DLQ write fails", async () => {
    await world().start({ hubs: ["a", "b"] });
    world().hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    const failingDlq = Object.create(world().dlq) as SinkTestWorld["dlq"];
    failingDlq.push = () =>
      Promise.reject(new Error("READONLY You can't write against a read only replica."));
    const sink = world().sink({ hubs: [world().hubConfig("a"), world().hubConfig("b")], dlq: failingDlq });

    const outcome = await deliverAll(sink, from(makeEvents(5))).then(
      (report) => ({ report }),
      (error: unknown) => ({ error }),
    );

    expect(outcome).to.not.have.property("report");
    expect(String((outcome as { error: unknown }).error)).to.match(
      /DeadLetterWriteError: could not write 5 event\(s\) of hub 'b'.*READONLY/,
    );
  });
});
