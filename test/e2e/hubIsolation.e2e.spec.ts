import { expect } from "chai";
import { replayDeadLetters } from "../../src/dlq/replayDeadLetters.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import { FanOutSink } from "../../src/sinks/fanOutSink.js";
import type { DeadLetterEntry } from "../../src/dlq/deadLetterQueue.js";
import type { TickSummary } from "../../src/engine/tickSummary.js";
import { HOUR, MINUTE, PipelineHarness } from "./pipelineHarness.js";

/** Six hour-long windows per building; a stalled hub's one try lasts longer than any test. */
const BACKFILL_ENV = {
  INITIAL_LOOKBACK: "6h",
  WINDOW_LENGTH: "1h",
  EVENT_HUB_TIMEOUT: "120s",
  EVENT_HUB_MAX_LAG: "2",
};

async function entriesOf(h: PipelineHarness, hub: string): Promise<DeadLetterEntry[]> {
  const records = await h.runtime.dlq.list("peoplecounter", hub);
  return records.flatMap((r) => (r.state === "ok" ? [r.entry] : []));
}

describe("hub isolation: a stalled hub never holds a healthy one back", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("the healthy hub gets every window while the stalled hub's first try is still waiting; the watermark waits for the stalled hub's DLQ", async () => {
    h = await PipelineHarness.start({ hubs: ["a", "b"], env: BACKFILL_ENV });
    h.hubs.setFault("b", { kind: "stall" });
    const start = h.clock - 6 * HOUR;
    const expected = h.expectedPeopleCounterLines(start, h.clock - 5 * MINUTE);
    let summary: TickSummary | undefined;
    const tick = h.tick(peopleCounter).then((s) => (summary = s));

    // Everything reached a while b has not answered a single try (each would take 120 s).
    await h.hubs.waitForEvents("a", expected.length);
    expect(summary).to.equal(undefined);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
    // No watermark passed b's first window: it is neither acknowledged nor in b's DLQ.
    const recordedStart = new Date(start).toISOString();
    expect(await h.watermarks("peoplecounter")).to.deep.equal({
      "Building A": recordedStart,
      "Building B": recordedStart,
      "Building C": recordedStart,
    });
    // b holds at most 1 + EVENT_HUB_MAX_LAG windows of a building; the rest is in its DLQ, and
    // their ids are recorded at once (a crash now would not send them to a again).
    const spilled = await entriesOf(h, "b");
    expect(spilled.length).to.be.greaterThan(0);
    for (const entry of spilled) {
      expect(entry.error.code).to.equal("HubLagging");
      expect(entry.attempts).to.equal(0);
      const ids = entry.events.map((e) => e.id);
      const recorded = await h.runtime.store.deliveredAmong("peoplecounter", entry.location, ids);
      expect(recorded.size).to.equal(ids.length);
    }
    const spilledWindows = new Set(spilled.map((e) => `${e.location}|${e.window.from}`));
    expect(spilledWindows.size).to.equal(3 * (6 - 3));

    // Closing the sink ends b's tries: its held windows go to its DLQ, and only then do the
    // watermarks move, to the end.
    await h.runtime.sink.close();
    await tick;
    const settled = new Date(h.clock - 5 * MINUTE).toISOString();
    expect(await h.watermarks("peoplecounter")).to.deep.equal({
      "Building A": settled,
      "Building B": settled,
      "Building C": settled,
    });
    expect(summary?.hubs).to.deep.equal({
      a: { acknowledged: expected.length, deadLettered: 0 },
      b: { acknowledged: 0, deadLettered: expected.length },
    });
    expect(h.received("b")).to.have.length(0);

    // Nothing lost: b's DLQ holds every line once, and a replay to b (back to health) sends
    // each line once to b and nothing to a.
    h.hubs.setFault("b", undefined);
    const dead = (await entriesOf(h, "b")).flatMap((e) => e.events.map((event) => event.id));
    expect(new Set(dead).size).to.equal(expected.length);
    expect(dead).to.have.length(expected.length);
    const sink = new FanOutSink({ hubs: h.config.hubs, delivery: h.config.delivery, dlq: h.runtime.dlq });
    try {
      const replay = await replayDeadLetters(h.runtime.dlq, sink, {
        pipeline: "peoplecounter",
        hub: "b",
        maxAttempts: 5,
      });
      expect(replay.stoppedBecause).to.equal(undefined);
    } finally {
      await sink.close();
    }
    expect(h.deliveredPeopleCounterLines("b")).to.deep.equal(expected);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
  });

  it("a slower hub that keeps up within the lag gets every window itself, in order, and nothing is spilled", async () => {
    h = await PipelineHarness.start({
      hubs: ["a", "b"],
      // Several batches per window: were b to start a window before the last one ended, they would interleave.
      env: { ...BACKFILL_ENV, EVENT_HUB_MAX_LAG: "10", EVENT_HUB_BATCH_MAX_EVENTS: "5" },
    });
    // b answers every transfer, late: it falls behind a, but never by more than the lag allows.
    h.hubs.setFault("b", { kind: "slow", delayInMs: 50 });
    const expected = h.expectedPeopleCounterLines(h.clock - 6 * HOUR, h.clock - 5 * MINUTE);
    const summary = await h.tick(peopleCounter);
    expect(summary.hubs.b).to.deep.equal({ acknowledged: expected.length, deadLettered: 0 });
    expect(await entriesOf(h, "b")).to.have.length(0);
    expect(h.deliveredPeopleCounterLines("b")).to.deep.equal(expected);
    // Each building's events reached b in the order they reached a, which never waited: b took
    // every window after the one before, though it ran behind.
    const order = (hub: string, building: string): string[] =>
      h
        .received(hub, "peoplecounter")
        .filter((e) => e.partitionKey === building)
        .map((e) => e.messageId ?? "");
    for (const building of ["Building A", "Building B", "Building C"]) {
      expect(order("b", building)).to.have.length.greaterThan(0);
      expect(order("b", building)).to.deep.equal(order("a", building));
    }
  });

  it("a paused hub, which settles everything at once, never makes a healthy hub look behind: nothing of it is spilled", async () => {
    h = await PipelineHarness.start({
      hubs: ["a", "b"],
      env: { ...BACKFILL_ENV, EVENT_HUB_MAX_LAG: "0", EVENT_HUB_PAUSED: "b" },
    });
    // a answers every transfer late, so it would fall behind b if b counted as the pace.
    h.hubs.setFault("a", { kind: "slow", delayInMs: 30 });
    const expected = h.expectedPeopleCounterLines(h.clock - 6 * HOUR, h.clock - 5 * MINUTE);
    const summary = await h.tick(peopleCounter);
    expect(summary.hubs).to.deep.equal({
      a: { acknowledged: expected.length, deadLettered: 0 },
      b: { acknowledged: 0, deadLettered: expected.length },
    });
    expect(await entriesOf(h, "a")).to.have.length(0);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
  });
});
