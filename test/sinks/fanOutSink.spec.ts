import { expect } from "chai";
import { from, lastValueFrom, Subject, toArray } from "rxjs";
import { FanOutSink } from "../../src/sinks/fanOutSink.js";
import { CONTEXT, deliverAll, FAST_DELIVERY, hubOf, makeEvents, SinkTestWorld } from "./sinkTestHarness.js";
import { eachTest } from "../support/eachTest.js";

describe("FanOutSink (delivery, real SDK against the local endpoint)", () => {
  const world = eachTest(
    () => new SinkTestWorld(),
    (w) => w.cleanup(),
  );

  for (const hubCount of [1, 2, 5]) {
    it(`delivers every event exactly once to each of ${hubCount} hub(s), with body, messageId, partition key and properties`, async () => {
      const names = Array.from({ length: hubCount }, (_, i) => `hub-${i}`);
      await world().start({ hubs: names });
      const sink = world().sink({ hubs: names.map((n) => world().hubConfig(n)) });
      const events = makeEvents(250);

      const report = await deliverAll(sink, from(events));

      expect(report.events).to.equal(250);
      expect(report.context).to.equal(CONTEXT);
      expect(report.hubs.map((h) => h.hub)).to.deep.equal(names);
      for (const name of names) {
        expect(hubOf(report, name)).to.deep.include({
          acknowledged: 250,
          deadLettered: 0,
          errors: [],
        });
        const received = world().hubs.received(name);
        expect(received.map((e) => e.messageId)).to.deep.equal(events.map((e) => e.id));
        expect(received.map((e) => e.body)).to.deep.equal(events.map((e) => e.body));
        expect(new Set(received.map((e) => e.partitionKey))).to.deep.equal(new Set([CONTEXT.location]));
        expect(new Set(received.map((e) => e.partitionId)).size).to.equal(1);
        expect(received[17]?.applicationProperties).to.deep.equal(events[17]?.properties);
        expect(await world().dlq.depth(CONTEXT.pipeline, name)).to.deep.equal({
          queued: 0,
          inFlight: 0,
          parked: 0,
        });
      }
    });
  }

  it("reuses one connection and one sender link per hub across batches and deliveries", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 10 },
    });

    await deliverAll(sink, from(makeEvents(50)));
    await deliverAll(sink, from(makeEvents(30, { prefix: "second" })));

    expect(world().hubs.stats("a")).to.deep.include({
      transfersAccepted: 8,
      eventsAccepted: 80,
      connectionsOpened: 1,
      senderLinksAttached: 1,
    });
  });

  it("cuts batches by bytes under the hub's limit without losing or reordering events", async () => {
    await world().start({ hubs: ["a", "b"], maxMessageSizeInBytes: 16 * 1024 });
    const sink = world().sink({ hubs: [world().hubConfig("a"), world().hubConfig("b")] });
    const events = makeEvents(60, { padding: 1000 }); // ~1.1 KB each: ~13 per 16 KiB batch

    const report = await deliverAll(sink, from(events));

    for (const hub of ["a", "b"]) {
      expect(hubOf(report, hub).acknowledged).to.equal(60);
      expect(hubOf(report, hub).batches).to.be.within(4, 8);
      const stats = world().hubs.stats(hub);
      expect(stats.transfersAccepted).to.equal(hubOf(report, hub).batches);
      expect(stats.transfersRejected).to.equal(0);
      expect(
        world()
          .hubs.received(hub)
          .map((e) => e.messageId),
      ).to.deep.equal(events.map((e) => e.id));
    }
  });

  it("cuts batches at batchMaxEvents", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 10 },
    });

    const report = await deliverAll(sink, from(makeEvents(35)));

    expect(hubOf(report, "a")).to.deep.include({ acknowledged: 35, batches: 4 });
    expect(world().hubs.stats("a").transfersAccepted).to.equal(4);
  });

  it("keeps one open batch per partition key: a batch never mixes locations", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({ hubs: [world().hubConfig("a")] });
    const x = makeEvents(20, { location: "x" });
    const y = makeEvents(20, { location: "y" });
    const interleaved = x.flatMap((event, i) => [event, y[i]!]);

    const report = await deliverAll(sink, from(interleaved));

    expect(hubOf(report, "a")).to.deep.include({ acknowledged: 40, batches: 2 });
    const received = world().hubs.received("a");
    expect(received.filter((e) => e.partitionKey === "x").map((e) => e.messageId)).to.deep.equal(
      x.map((e) => e.id),
    );
    expect(received.filter((e) => e.partitionKey === "y").map((e) => e.messageId)).to.deep.equal(
      y.map((e) => e.id),
    );
  });

  it("flushes an open batch after batchMaxWaitInMs without new events, before the input completes", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({
      hubs: [world().hubConfig("a")],
      delivery: { ...FAST_DELIVERY, batchMaxWaitInMs: 30 },
    });
    const input = new Subject<ReturnType<typeof makeEvents>[number]>();
    const events = makeEvents(6);
    const report = lastValueFrom(input.pipe(sink.deliver(CONTEXT)));

    for (const event of events.slice(0, 3)) input.next(event);
    // Arrives although the input is still open: the idle flush sent the first three.
    await world().hubs.waitForEvents("a", 3, { timeoutInMs: 2000 });
    for (const event of events.slice(3)) input.next(event);
    input.complete();

    expect(hubOf(await report, "a")).to.deep.include({ acknowledged: 6, batches: 2 });
  });

  it("reports an empty input with zero events and zero batches, sending nothing", async () => {
    await world().start({ hubs: ["a"] });
    const sink = world().sink({ hubs: [world().hubConfig("a")] });

    const report = await deliverAll(sink, from([]));

    expect(report.events).to.equal(0);
    expect(report.hubs).to.deep.equal([
      { hub: "a", acknowledged: 0, deadLettered: 0, batches: 0, errors: [] },
    ]);
    expect(world().hubs.stats("a").connectionsOpened).to.equal(0);
  });

  it("emits exactly one report per delivery and calls onBatchSettled once per batch per hub", async () => {
    await world().start({ hubs: ["a", "b"] });
    const settled: { hub: string; outcome: string; events: number; bytes: number }[] = [];
    const sink = world().sink({
      hubs: [world().hubConfig("a"), world().hubConfig("b")],
      delivery: { ...FAST_DELIVERY, batchMaxEvents: 25 },
      onBatchSettled: (e) => settled.push(e),
    });

    const reports = await lastValueFrom(from(makeEvents(100)).pipe(sink.deliver(CONTEXT), toArray()));

    expect(reports).to.have.length(1);
    expect(settled).to.have.length(8);
    expect(settled.filter((s) => s.hub === "a").map((s) => s.events)).to.deep.equal([25, 25, 25, 25]);
    expect(settled.every((s) => s.outcome === "acknowledged" && s.bytes > 0)).to.equal(true);
    expect(
      world().logs.filter((l) => l.level === "debug" && l.message === "delivery settled"),
    ).to.have.length(1);
  });

  it("probes every hub with a properties call: partition ids when reachable, the reason when not", async () => {
    await world().start({ hubs: ["a"], partitionCount: 3 });
    const sink = world().sink({ hubs: [world().hubConfig("a"), world().unknownHubConfig("nope")] });

    const probes = await sink.probe();

    expect(probes[0]).to.deep.equal({ hub: "a", ok: true, partitionIds: ["0", "1", "2"] });
    expect(probes[1]?.ok).to.equal(false);
    expect(probes[1]?.error).to.match(/MessagingEntityNotFoundError/);
    expect(world().hubs.stats("a").transfersAccepted).to.equal(0);
  });

  it("accepts an Entra ID hub without any secret, and connects only on first use", async () => {
    const sink = new FanOutSink({
      hubs: [
        {
          auth: "entra-id",
          name: "e",
          paused: false,
          fullyQualifiedNamespace: "ns.servicebus.windows.net",
          eventHubName: "e",
        },
      ],
      delivery: FAST_DELIVERY,
      dlq: world().dlq,
    });
    expect(sink.hubNames).to.deep.equal(["e"]);
    await sink.close();
  });
});
