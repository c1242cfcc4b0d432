import { expect } from "chai";
import { throwError } from "rxjs";
import type { PipelineDefinition } from "../../src/engine/pipelineDefinition.js";
import { DEFAULT_REPLAY_GROUP, replayDeadLetters } from "../../src/dlq/replayDeadLetters.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import { HOUR, MINUTE, PipelineHarness } from "./pipelineHarness.js";

describe("pipeline failures end to end", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("holds the watermark of a location whose view fails while the others advance, then catches up", async () => {
    h = await PipelineHarness.start({ hubs: ["a"] });
    let broken = true;
    // A pipeline composed in the test: people counters, with one building's reads failing.
    const flaky: PipelineDefinition = {
      ...peopleCounter,
      lines: (context, unit) =>
        broken && unit.location === "Building B"
          ? throwError(() => new Error("view unavailable for Building B"))
          : peopleCounter.lines(context, unit),
    };
    const first = await h.tick(flaky);
    expect(Object.keys(first.failedLocations)).to.deep.equal(["Building B"]);
    expect(first.failedLocations["Building B"]).to.match(/view unavailable/);
    // B keeps the starting point recorded before its first read; the others advance.
    const start = new Date(h.clock - 6 * HOUR).toISOString();
    const settled = new Date(h.clock - 5 * MINUTE).toISOString();
    expect(await h.watermarks("peoplecounter")).to.deep.equal({
      "Building A": settled,
      "Building B": start,
      "Building C": settled,
    });

    broken = false;
    h.clock += 15 * MINUTE;
    const second = await h.tick(flaky);
    expect(second.failedLocations).to.deep.equal({});
    expect(Object.keys(await h.watermarks("peoplecounter")).sort()).to.deep.equal([
      "Building A",
      "Building B",
      "Building C",
    ]);
    // Building B resumes from its recorded start (its late-data lookback even reaches an hour
    // before it), not from a later "now − 6 h": nothing is lost, nothing is sent twice.
    const firstStart = h.clock - 15 * MINUTE - 6 * HOUR;
    const expected = [
      ...h.expectedPeopleCounterLines(firstStart, h.clock - 5 * MINUTE),
      ...h
        .expectedPeopleCounterLines(firstStart - HOUR, firstStart)
        .filter((l) => l.startsWith("Building B")),
    ].sort();
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
  });

  it("dead-letters everything for a hub that is down the whole run, keeps the other complete, and replay completes it", async () => {
    h = await PipelineHarness.start({ hubs: ["up", "down"], env: { INITIAL_LOOKBACK: "3h" } });
    h.hubs.setFault("down", { kind: "down" });
    const summary = await h.tick(peopleCounter);
    const expected = h.expectedPeopleCounterLines(h.clock - 3 * HOUR, h.clock - 5 * MINUTE);
    expect(h.deliveredPeopleCounterLines("up")).to.deep.equal(expected);
    expect(h.received("down")).to.have.length(0);
    expect(summary.hubs.down).to.deep.equal({ acknowledged: 0, deadLettered: expected.length });
    // The watermark moved: every batch is either acknowledged or durably dead-lettered.
    expect(Object.keys(await h.watermarks("peoplecounter"))).to.have.length(3);
    const depth = await h.runtime.dlq.depth("peoplecounter", "down");
    expect(depth.queued).to.be.greaterThan(0);

    h.hubs.setFault("down", undefined);
    const replay = await replayDeadLetters(h.runtime.dlq, h.runtime.sink, {
      pipeline: "peoplecounter",
      hub: "down",
      maxAttempts: 5,
    });
    expect(replay.stoppedBecause).to.equal(undefined);
    expect(replay.replayedEvents).to.equal(expected.length);
    expect(h.deliveredPeopleCounterLines("down")).to.deep.equal(expected);
    expect(h.received("up")).to.have.length(expected.length); // replay touched only the failed hub
    expect(await h.runtime.dlq.depth("peoplecounter", "down")).to.deep.equal({
      queued: 0,
      inFlight: 0,
      parked: 0,
    });
  });

  it("recovers an entry a crashed replay left in-flight, and loses nothing", async () => {
    h = await PipelineHarness.start({ hubs: ["a"], env: { INITIAL_LOOKBACK: "2h" } });
    h.hubs.setFault("a", { kind: "down" });
    await h.tick(peopleCounter);
    h.hubs.setFault("a", undefined);
    const expected = h.expectedPeopleCounterLines(h.clock - 2 * HOUR, h.clock - 5 * MINUTE);
    // A replay that died right after moving an entry to in-flight, before sending it.
    const claimed = await h.runtime.dlq.claim("peoplecounter", "a");
    expect(claimed).to.not.equal(undefined);
    expect((await h.runtime.dlq.depth("peoplecounter", "a")).inFlight).to.equal(1);
    const replay = await replayDeadLetters(h.runtime.dlq, h.runtime.sink, {
      pipeline: "peoplecounter",
      hub: "a",
      maxAttempts: 5,
    });
    expect(replay.recovered).to.equal(1);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
    expect(await h.runtime.dlq.depth("peoplecounter", "a")).to.deep.equal({
      queued: 0,
      inFlight: 0,
      parked: 0,
    });
  });

  it("replays entries in groups, so the hub gets full batches rather than one per entry", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      env: { INITIAL_LOOKBACK: "6h", EVENT_HUB_BATCH_MAX_EVENTS: "10", EVENT_HUB_PAUSED: "a" },
    });
    const summary = await h.tick(peopleCounter);
    const entries = (await h.runtime.dlq.depth("peoplecounter", "a")).queued;
    expect(entries).to.be.at.least(15);
    // A sink without the pause and with large batches does the replay.
    const { FanOutSink } = await import("../../src/sinks/fanOutSink.js");
    const hub = { ...h.config.hubs[0]!, paused: false };
    const sink = new FanOutSink({
      hubs: [hub],
      delivery: { ...h.config.delivery, batchMaxEvents: 1000 },
      dlq: h.runtime.dlq,
    });
    try {
      const replay = await replayDeadLetters(h.runtime.dlq, sink, {
        pipeline: "peoplecounter",
        hub: "a",
        maxAttempts: 5,
      });
      expect(replay.replayedEntries).to.equal(entries);
      expect(replay.replayedEvents).to.equal(summary.events);
    } finally {
      await sink.close();
    }
    expect(h.received("a")).to.have.length(summary.events);
    expect(h.hubs.stats("a").transfersAccepted).to.be.below(entries / 2);
  });

  it("claims the next replay group while one is sent, and puts it back untouched when a send fails", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      env: { INITIAL_LOOKBACK: "6h", EVENT_HUB_BATCH_MAX_EVENTS: "10", EVENT_HUB_PAUSED: "a" },
    });
    const summary = await h.tick(peopleCounter);
    const entries = (await h.runtime.dlq.depth("peoplecounter", "a")).queued;
    const group = { maxEntries: 4, maxEvents: 5_000 };
    expect(entries).to.be.at.least(1 + 2 * group.maxEntries + 1);
    const { FanOutSink } = await import("../../src/sinks/fanOutSink.js");
    const sink = new FanOutSink({
      hubs: [{ ...h.config.hubs[0]!, paused: false }],
      delivery: { ...h.config.delivery, batchMaxEvents: 1000 },
      dlq: h.runtime.dlq,
    });
    let sends = 0;
    let inFlightDuringFirstGroup = 0;
    // The real sink, except that from the third send on (the second group) the hub refuses.
    const target = {
      sendToHub: async (hub: string, events: readonly OutboundEvent[]) => {
        sends += 1;
        if (sends === 2) {
          // The next group is claimed while this one is out: wait until it is (or time out).
          const giveUpAt = Date.now() + 5_000;
          while (Date.now() < giveUpAt) {
            inFlightDuringFirstGroup = (await h.runtime.dlq.depth("peoplecounter", "a")).inFlight;
            if (inFlightDuringFirstGroup === 2 * group.maxEntries) break;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
        if (sends >= 3) throw new Error("hub refused the batch");
        await sink.sendToHub(hub, events);
      },
    };
    try {
      const replay = await replayDeadLetters(h.runtime.dlq, target, {
        pipeline: "peoplecounter",
        hub: "a",
        maxAttempts: 5,
        group,
      });
      expect(replay.replayedEntries).to.equal(1 + group.maxEntries);
      expect(replay.requeued).to.equal(1);
      expect(replay.stoppedBecause).to.match(/hub refused the batch/);
    } finally {
      await sink.close();
    }
    expect(inFlightDuringFirstGroup).to.equal(2 * group.maxEntries);
    const depth = await h.runtime.dlq.depth("peoplecounter", "a");
    expect(depth).to.deep.include({ inFlight: 0, queued: entries - 1 - group.maxEntries });
    const left = await h.runtime.dlq.list("peoplecounter", "a", { limit: 1000 });
    const attempts = left.map((r) => (r.state === "ok" ? r.entry.replayAttempts : -1));
    // Only the entry that failed by itself gained an attempt; the group claimed ahead did not.
    expect(attempts.filter((a) => a === 1)).to.have.length(1);
    expect(attempts.filter((a) => a === 0)).to.have.length(left.length - 1);
    // Nothing lost: what arrived and what is left are every event of the tick, once.
    const leftEvents = left.flatMap((r) => (r.state === "ok" ? r.entry.events.map((e) => e.id) : []));
    const arrived = h.received("a").map((e) => e.messageId);
    expect(new Set([...arrived, ...leftEvents]).size).to.equal(summary.events);
    expect(arrived.length + leftEvents.length).to.equal(summary.events);
  });

  it("finds the one poisoned entry of a replay group: only it gains an attempt, its neighbours are delivered", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      env: { INITIAL_LOOKBACK: "3h", EVENT_HUB_BATCH_MAX_EVENTS: "10", EVENT_HUB_PAUSED: "a" },
    });
    const summary = await h.tick(peopleCounter);
    const huge = {
      id: "poison",
      partitionKey: "Building A",
      time: new Date(),
      body: { pad: "x".repeat(1_200_000) },
      properties: { recType: "r", pipeline: "peoplecounter", location: "Building A" },
    };
    await h.runtime.dlq.push({
      pipeline: "peoplecounter",
      hub: "a",
      location: "Building A",
      window: { from: "2025-01-01T00:00:00.000Z", to: "2025-01-01T01:00:00.000Z" },
      events: [huge],
      error: { name: "Test", message: "poison" },
      attempts: 0,
    });
    const { FanOutSink } = await import("../../src/sinks/fanOutSink.js");
    const sink = new FanOutSink({
      hubs: [{ ...h.config.hubs[0]!, paused: false }],
      delivery: h.config.delivery,
      dlq: h.runtime.dlq,
    });
    try {
      const replay = await replayDeadLetters(h.runtime.dlq, sink, {
        pipeline: "peoplecounter",
        hub: "a",
        maxAttempts: 5,
      });
      expect(replay.replayedEvents).to.equal(summary.events);
      expect(replay.requeued).to.equal(1);
      expect(replay.stoppedBecause).to.match(/MessageTooLarge|too large/i);
    } finally {
      await sink.close();
    }
    // Every neighbour arrived; those sent with the failed group before the poison was reached
    // are sent again one by one (at-least-once: at most one group is re-sent).
    const ids = h.received("a").map((e) => e.messageId);
    expect(new Set(ids).size).to.equal(summary.events);
    expect(ids.length - summary.events).to.be.at.most(DEFAULT_REPLAY_GROUP.maxEvents);
    const left = await h.runtime.dlq.list("peoplecounter", "a");
    expect(
      left.map((r) => (r.state === "ok" ? [r.entry.events[0]?.id, r.entry.replayAttempts] : ["corrupt", 0])),
    ).to.deep.equal([["poison", 1]]);
    expect((await h.runtime.dlq.depth("peoplecounter", "a")).inFlight).to.equal(0);
  });

  it("stops a replay at the first failure without burning the other entries' attempts", async () => {
    h = await PipelineHarness.start({ hubs: ["a"], env: { INITIAL_LOOKBACK: "3h" } });
    h.hubs.setFault("a", { kind: "reject", condition: "amqp:unauthorized-access" });
    await h.tick(peopleCounter);
    const before = await h.runtime.dlq.depth("peoplecounter", "a");
    const replay = await replayDeadLetters(h.runtime.dlq, h.runtime.sink, {
      pipeline: "peoplecounter",
      hub: "a",
      maxAttempts: 5,
    });
    expect(replay.requeued).to.equal(1);
    expect(replay.stoppedBecause).to.match(/Unauthorized/i);
    expect(await h.runtime.dlq.depth("peoplecounter", "a")).to.deep.equal(before);
    const entries = await h.runtime.dlq.list("peoplecounter", "a");
    const attempts = entries.map((r) => (r.state === "ok" ? r.entry.replayAttempts : -1));
    expect(attempts.filter((a) => a > attempts[0]!)).to.have.length(1); // only the retried entry gained an attempt
  });

  it("spools a paused hub's batches to its DLQ and sends it nothing", async () => {
    h = await PipelineHarness.start({
      hubs: ["live", "paused"],
      env: { EVENT_HUB_PAUSED: "paused", INITIAL_LOOKBACK: "2h" },
    });
    const summary = await h.tick(peopleCounter);
    expect(summary.hubs.paused!.deadLettered).to.equal(summary.events);
    expect(h.hubs.stats("paused").transfersAccepted + h.hubs.stats("paused").transfersRejected).to.equal(0);
    expect(h.received("live")).to.have.length(summary.events);
  });

  it("reports a tick that cannot run at all (bad credentials) without touching any watermark", async () => {
    h = await PipelineHarness.start({ hubs: ["a"] });
    h.sim.configure({ credentials: { username: "someone-else", password: "x", apiKey: "y" } });
    const summary = await h.tick(peopleCounter);
    expect(summary.error).to.match(/MICROSHARE_USERNAME/);
    expect(await h.watermarks("peoplecounter")).to.deep.equal({});
    expect(h.sim.requestCount("token")).to.equal(1); // an auth failure is not retried
  });
});
