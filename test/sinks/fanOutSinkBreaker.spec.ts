import { expect } from "chai";
import { from } from "rxjs";
import {
  CONTEXT,
  deliverAll,
  FAST_DELIVERY,
  hubOf,
  idsOf,
  makeEvents,
  SinkTestWorld,
  until,
} from "./sinkTestHarness.js";

describe("FanOutSink (circuit breaker per hub)", () => {
  let world: SinkTestWorld;
  let clock: number;
  const delivery = { ...FAST_DELIVERY, batchMaxEvents: 5, breakerThreshold: 2, breakerCooldownInMs: 500 };

  beforeEach(() => {
    world = new SinkTestWorld();
    clock = Date.UTC(2024, 4, 1, 12, 0, 0);
  });

  afterEach(async () => {
    await world.cleanup();
  });

  async function openBreakerOnB() {
    await world.start({ hubs: ["a", "b"] });
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:internal-error" });
    const sink = world.sink({
      hubs: [world.hubConfig("a"), world.hubConfig("b")],
      delivery,
      now: () => clock,
    });
    // Two batches of 5, each failing after 2 tries: the threshold (2) is reached.
    await deliverAll(sink, from(makeEvents(10, { prefix: "first" })));
    return sink;
  }

  it("opens after breakerThreshold failed batches: later batches go to the DLQ without a transfer", async () => {
    const sink = await openBreakerOnB();
    expect(world.hubs.stats("b").transfersRejected).to.equal(4);
    const state = sink.breakerState("b");
    expect(state).to.deep.include({ state: "open", until: new Date(clock + 500) });
    expect(state.state === "open" && state.lastError.code).to.equal("InternalServerError");
    expect(sink.breakerState("a")).to.deep.equal({ state: "closed", consecutiveFailures: 0 });

    const events = makeEvents(5, { prefix: "second" });
    const report = await deliverAll(sink, from(events));

    expect(hubOf(report, "a").acknowledged).to.equal(5);
    expect(hubOf(report, "b")).to.deep.include({ deadLettered: 5 });
    expect(world.hubs.stats("b").transfersRejected).to.equal(4);
    const last = (await world.deadLetters("b")).at(-1);
    expect(idsOf(last?.events ?? [])).to.deep.equal(idsOf(events));
    expect(last).to.deep.include({ attempts: 0 });
    expect(last?.error.name).to.equal("CircuitOpen");
    expect(last?.error.message)
      .to.include(`open since ${new Date(clock).toISOString()}`)
      .and.include("2 consecutive failed batch(es)")
      .and.include("InternalServerError");
  });

  it("closes after a successful probe once the cool-down is over", async () => {
    const sink = await openBreakerOnB();
    world.hubs.setFault("b", undefined);
    clock += 499;
    expect(sink.breakerState("b").state).to.equal("open");
    clock += 1;
    expect(sink.breakerState("b")).to.deep.equal({ state: "half-open" });

    const events = makeEvents(10, { prefix: "after" });
    const report = await deliverAll(sink, from(events));

    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 10, deadLettered: 0 });
    expect(world.hubs.received("b").map((e) => e.messageId)).to.deep.equal(idsOf(events));
    expect(sink.breakerState("b")).to.deep.equal({ state: "closed", consecutiveFailures: 0 });
  });

  it("re-opens when the probe fails: one try only, and the next batch is not tried", async () => {
    const sink = await openBreakerOnB();
    clock += 500;

    const report = await deliverAll(sink, from(makeEvents(10, { prefix: "probe" })));

    expect(hubOf(report, "b")).to.deep.include({ deadLettered: 10, batches: 2 });
    // 4 from opening it, 1 for the probe (no retry), none for the batch after it.
    expect(world.hubs.stats("b").transfersRejected).to.equal(5);
    const entries = await world.deadLetters("b");
    expect(entries.slice(-2).map((e) => [e.error.name, e.attempts])).to.deep.equal([
      ["MessagingError", 1],
      ["CircuitOpen", 0],
    ]);
    expect(sink.breakerState("b")).to.deep.include({ state: "open", until: new Date(clock + 500) });
    expect(world.hubs.stats("a").eventsAccepted).to.equal(20);
    expect(await world.dlq.depth(CONTEXT.pipeline, "a")).to.deep.include({ queued: 0 });
  });

  it("does not count an oversized event against the hub", async () => {
    await world.start({ hubs: ["a"], maxMessageSizeInBytes: 8 * 1024 });
    const sink = world.sink({ hubs: [world.hubConfig("a")], delivery: { ...delivery, breakerThreshold: 1 } });
    const huge = makeEvents(2, { prefix: "huge", padding: 10_000 });

    const report = await deliverAll(sink, from([...huge, ...makeEvents(3)]));

    expect(hubOf(report, "a")).to.deep.include({ acknowledged: 3, deadLettered: 2 });
    expect(sink.breakerState("a")).to.deep.equal({ state: "closed", consecutiveFailures: 0 });
  });

  it("does not stay half-open when a probe's DLQ write throws: a later probe still decides", async () => {
    await world.start({ hubs: ["b"], maxMessageSizeInBytes: 8 * 1024 });
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:internal-error" });
    let dlqDown = false;
    const flakyDlq = Object.create(world.dlq) as typeof world.dlq;
    flakyDlq.push = (entry) =>
      dlqDown ? Promise.reject(new Error("READONLY replica")) : world.dlq.push(entry);
    const sink = world.sink({ hubs: [world.hubConfig("b")], delivery, dlq: flakyDlq, now: () => clock });
    await deliverAll(sink, from(makeEvents(10, { prefix: "first" })));
    expect(sink.breakerState("b").state).to.equal("open");

    // The probe batch starts with an oversized event whose dead-lettering fails.
    world.hubs.setFault("b", undefined);
    clock += 500;
    dlqDown = true;
    const failed = await deliverAll(
      sink,
      from([...makeEvents(1, { prefix: "huge", padding: 10_000 }), ...makeEvents(2)]),
    ).then(
      () => "reported",
      (error: unknown) => String(error),
    );
    expect(failed).to.match(/DeadLetterWriteError/);

    dlqDown = false;
    clock += 500;
    const report = await deliverAll(sink, from(makeEvents(3, { prefix: "later" })));
    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 3, deadLettered: 0 });
    expect(sink.breakerState("b")).to.deep.equal({ state: "closed", consecutiveFailures: 0 });
  });

  it("ends a try in flight when another batch opens the breaker: it goes to the DLQ at once, not after its timeout", async function () {
    // Room for the uncut try to wait out its 30 s timeout: without the cut, the assertions on its
    // DLQ entry are what fail (OperationTimeoutError, not CircuitOpen).
    this.timeout(45_000);
    await world.start({ hubs: ["b"] });
    // A hub that holds the first transfer unanswered (far beyond the try's timeout) ...
    world.hubs.setFault("b", { kind: "slow", delayInMs: 120_000 });
    const sink = world.sink({
      hubs: [world.hubConfig("b")],
      delivery: { ...delivery, maxRetries: 0, timeoutInMs: 30_000, breakerThreshold: 1 },
      now: () => clock,
    });
    const held = makeEvents(5, { location: "held" });
    const holding = deliverAll(sink, from(held), { ...CONTEXT, location: "held" });
    await until(() => world.hubs.stats("b").mostTransfersDelayed === 1);
    // ... then refuses the next one: that failure opens the breaker (threshold 1).
    world.hubs.setFault("b", { kind: "reject", condition: "com.microsoft:server-busy" });
    const refused = makeEvents(5, { location: "refused" });
    await deliverAll(sink, from(refused), { ...CONTEXT, location: "refused" });
    const report = await holding;

    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 0, deadLettered: 5 });
    const entries = await world.deadLetters("b");
    const byLocation = new Map(entries.map((e) => [e.location, e]));
    expect(byLocation.get("refused")?.error.code).to.equal("ServerBusyError");
    // The held batch was tried once; its try ended with the breaker's refusal, which the breaker
    // does not count again (it opened after one failed batch).
    const cut = byLocation.get("held");
    expect(cut).to.deep.include({ attempts: 1 });
    expect(idsOf(cut?.events ?? [])).to.deep.equal(idsOf(held));
    expect(cut?.error.code).to.equal("CircuitOpen");
    expect(cut?.error.message).to.include("after 1 consecutive failed batch(es)");
    expect(entries).to.have.length(2);
  });

  it("ends a backoff wait when another batch opens the breaker: the waiting batch goes to the DLQ without its retry", async function () {
    // Room for the uncut wait (15-30 s) and the retry after it: without the cut, the retry is
    // refused by the hub and its entry says UnauthorizedError after 2 tries.
    this.timeout(45_000);
    await world.start({ hubs: ["b"] });
    // The first batch is refused as busy (retryable): it waits at least 15 s for its retry ...
    world.hubs.setFault("b", { kind: "reject", condition: "com.microsoft:server-busy" });
    const sink = world.sink({
      hubs: [world.hubConfig("b")],
      delivery: {
        ...delivery,
        maxRetries: 1,
        retryDelayInMs: 30_000,
        maxRetryDelayInMs: 30_000,
        breakerThreshold: 1,
      },
      now: () => clock,
    });
    const waiting = makeEvents(5, { location: "waiting" });
    const backingOff = deliverAll(sink, from(waiting), { ...CONTEXT, location: "waiting" });
    await until(() => world.hubs.stats("b").transfersRejected === 1);
    // ... while the next is refused for good (not retried), which opens the breaker.
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    await deliverAll(sink, from(makeEvents(5, { location: "refused" })), { ...CONTEXT, location: "refused" });
    const report = await backingOff;

    expect(hubOf(report, "b")).to.deep.include({ acknowledged: 0, deadLettered: 5 });
    const entries = await world.deadLetters("b");
    const cut = entries.find((e) => e.location === "waiting");
    expect(cut).to.deep.include({ attempts: 1 });
    expect(cut?.error.code).to.equal("CircuitOpen");
    expect(idsOf(cut?.events ?? [])).to.deep.equal(idsOf(waiting));
    expect(entries.find((e) => e.location === "refused")?.error.code).to.equal("UnauthorizedError");
    expect(world.hubs.stats("b").transfersRejected).to.equal(2);
  });
});
