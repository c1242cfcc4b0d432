import { expect } from "chai";
import { HOUR, MINUTE, PipelineHarness } from "./pipelineHarness.js";
import { exitCodeOf, formatSummary } from "../../src/engine/tickSummary.js";
import { EXIT } from "../../src/model/exitCodes.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";

describe("peoplecounter end to end", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("delivers every line the simulator holds to every hub exactly once, and advances every watermark", async () => {
    h = await PipelineHarness.start({ hubs: ["a", "b"] });
    const summary = await h.tick(peopleCounter);
    const expected = h.expectedPeopleCounterLines(h.clock - 6 * HOUR, h.clock - 5 * MINUTE);
    expect(expected.length).to.equal(3 * 3 * 24 - 9); // 3 buildings × 3 rooms × 4 per hour × 6 h, less the unfinished 12:00 period
    for (const hub of ["a", "b"]) {
      expect(h.deliveredPeopleCounterLines(hub), hub).to.deep.equal(expected);
      const ids = h.received(hub).map((e) => e.messageId);
      expect(new Set(ids).size, `${hub} has no duplicate messageIds`).to.equal(ids.length);
    }
    expect(summary.hubs).to.deep.equal({
      a: { acknowledged: expected.length, deadLettered: 0 },
      b: { acknowledged: expected.length, deadLettered: 0 },
    });
    const settledUpTo = new Date(h.clock - 5 * MINUTE).toISOString();
    expect(await h.watermarks("peoplecounter")).to.deep.equal({
      "Building A": settledUpTo,
      "Building B": settledUpTo,
      "Building C": settledUpTo,
    });
    const event = h.received("a")[0]!;
    expect(event.partitionKey).to.equal((event.body as { _location_tags: string[] })._location_tags[0]);
    expect(event.applicationProperties).to.include({
      pipeline: "peoplecounter",
      recType: "io.microshare.peoplecounter.unpacked.event.agg",
    });
  });

  it("re-reads the lookback on the next tick and sends only what is new", async () => {
    h = await PipelineHarness.start({ hubs: ["a"] });
    await h.tick(peopleCounter);
    const first = h.received("a").length;
    h.clock += 15 * MINUTE;
    const second = await h.tick(peopleCounter);
    const expected = h.expectedPeopleCounterLines(h.clock - 15 * MINUTE - 6 * HOUR, h.clock - 5 * MINUTE);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(expected);
    expect(second.duplicatesSkipped).to.be.greaterThan(0);
    expect(second.events).to.equal(expected.length - first);
  });

  it("delivers late lines once, on the tick after they appear", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { lateLines: { fraction: 0.3, delayMs: 40 * MINUTE } },
    });
    await h.tick(peopleCounter);
    const before = h.deliveredPeopleCounterLines("a");
    h.clock += 45 * MINUTE;
    await h.tick(peopleCounter);
    const after = h.deliveredPeopleCounterLines("a");
    // Lines that were late at the first tick are there now, once; the lookback found them.
    const firstTickEnd = new Date(h.clock - 45 * MINUTE - 5 * MINUTE).toISOString();
    const lateCaught = after.filter((l) => !before.includes(l) && l.split("|")[1]! < firstTickEnd);
    expect(lateCaught.length).to.be.greaterThan(0);
    expect(after).to.deep.equal(
      h.expectedPeopleCounterLines(h.clock - 45 * MINUTE - 6 * HOUR, h.clock - 5 * MINUTE),
    );
    expect(new Set(after).size).to.equal(after.length);
  });

  it("back-fills an outage as day-long windows at most, oldest first, with WINDOW_LENGTH=24h", async () => {
    h = await PipelineHarness.start({ hubs: ["a"], env: { WINDOW_LENGTH: "24h" } });
    await h.tick(peopleCounter);
    h.clock += 30 * HOUR; // the process was down for 30 hours
    // Only the back-fill tick's calls: the first tick's (two when its lookback crosses midnight)
    // come before them and start later than the back-fill's first window.
    const firstTickRequests = h.sim.requests.length;
    const summary = await h.tick(peopleCounter);
    expect(summary.windows.planned).to.be.within(3 * 2, 3 * 3);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(
      h.expectedPeopleCounterLines(h.clock - 30 * HOUR - 6 * HOUR, h.clock - 5 * MINUTE),
    );
    const viewCalls = h.sim.requests.slice(firstTickRequests).filter((r) => r.endpoint === "view");
    const longest = Math.max(
      ...viewCalls.map((r) => Date.parse(r.query.to!) + 1 - Date.parse(r.query.from!)),
    );
    expect(longest).to.be.at.most(24 * HOUR);
    const starts = viewCalls.filter((r) => r.query.loc1 === "Building A").map((r) => r.query.from!);
    expect(starts).to.deep.equal([...starts].sort());
  });

  it("splits a window fuller than the view limit and still delivers every line", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { viewLimit: 10 },
      env: { MICROSHARE_VIEW_LIMIT: "10", INITIAL_LOOKBACK: "2h" },
    });
    const summary = await h.tick(peopleCounter);
    expect(h.deliveredPeopleCounterLines("a")).to.deep.equal(
      h.expectedPeopleCounterLines(h.clock - 2 * HOUR, h.clock - 5 * MINUTE),
    );
    expect(summary.events).to.equal(3 * 3 * 8 - 9);
  });

  it("reports windows the view's limit may have cut, in the summary and the exit code, and still delivers", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { viewLimit: 10 },
      env: { MICROSHARE_VIEW_LIMIT: "10", MICROSHARE_MIN_WINDOW: "1h", INITIAL_LOOKBACK: "2h" },
    });
    const summary = await h.tick(peopleCounter);
    // 3 rooms × 4 lines = 12 per hour per building: over the limit, and windows cannot split below 1 h.
    expect(Object.keys(summary.incompleteLocations ?? {}).sort()).to.deep.equal([
      "Building A",
      "Building B",
      "Building C",
    ]);
    expect(summary.incompleteLocations?.["Building A"]).to.match(
      /still full \(10 lines\) at MICROSHARE_MIN_WINDOW/,
    );
    expect(exitCodeOf(summary)).to.equal(EXIT.incomplete);
    expect(formatSummary(summary)).to.include("possibly incomplete: Building A");
    expect(summary.events).to.be.greaterThan(0);
  });

  it("a --from/--to re-read sends nothing already delivered and leaves the watermarks alone", async () => {
    h = await PipelineHarness.start({ hubs: ["a"] });
    await h.tick(peopleCounter);
    const marks = await h.watermarks("peoplecounter");
    const count = h.received("a").length;
    const range = { from: new Date(h.clock - 4 * HOUR), to: new Date(h.clock + 2 * HOUR) };
    const deduped = await h.tick(peopleCounter, { range });
    expect(deduped.events).to.equal(0);
    expect(h.received("a").length).to.equal(count);
    const forced = await h.tick(peopleCounter, { range, dedupe: false });
    expect(forced.events).to.equal(h.expectedPeopleCounterLines(range.from.getTime(), h.clock).length);
    expect(await h.watermarks("peoplecounter")).to.deep.equal(marks);
  });
});
