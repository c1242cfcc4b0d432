import { expect } from "chai";
import { timeWindow } from "../../src/model/timeWindow.js";
import { peopleCounter } from "../../src/pipelines/peopleCounter.js";
import { HOUR, MINUTE, PipelineHarness } from "./pipelineHarness.js";

const DAY = 24 * HOUR;

/** Each building's view calls since `since` (an index into the simulator's requests). */
function viewCallsPerBuilding(h: PipelineHarness, since = 0): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const r of h.sim.requests.slice(since))
    if (r.endpoint === "view") calls[r.query.loc1 ?? ""] = (calls[r.query.loc1 ?? ""] ?? 0) + 1;
  return calls;
}

/** Every delivered line once: the delivered list has no repeats and is exactly the simulator's. */
function expectEachLineOnce(h: PipelineHarness, from: number, to: number): void {
  const delivered = h.deliveredPeopleCounterLines("a");
  expect(new Set(delivered).size, "no line twice").to.equal(delivered.length);
  expect(delivered).to.deep.equal(h.expectedPeopleCounterLines(from, to));
}

describe("windows sized from each location's density", () => {
  let h: PipelineHarness;
  afterEach(async () => {
    await h.close();
  });

  it("back-fills a sparse building's 7 days in 3 view calls, sized from its devices before any data", async () => {
    // 3 rooms: 288 lines a day, so about 3 days fit under 90 % of the 999-line limit.
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { buildings: 1, roomsPerFloor: 3, dataStart: new Date(Date.now() - 9 * DAY) },
      env: { INITIAL_LOOKBACK: "7d" },
    });
    const summary = await h.tick(peopleCounter);
    expect(viewCallsPerBuilding(h)).to.deep.equal({ "Building A": 3 });
    expect(summary.windows.planned).to.equal(3);
    expectEachLineOnce(h, h.clock - 7 * DAY, h.clock - 5 * MINUTE);
    // The estimate is stored with the watermark: 3 rooms × 4 lines an hour.
    const densities = await h.runtime.store.densities("peoplecounter");
    expect(densities.get("Building A")).to.be.closeTo(12, 0.5);
  });

  it("after a restart, sizes a 7-day outage's back-fill from the stored estimate (3 calls)", async () => {
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { buildings: 1, roomsPerFloor: 3, dataStart: new Date(Date.now() - 9 * DAY) },
    });
    await h.tick(peopleCounter);
    h.clock += 7 * DAY;
    const since = h.sim.requests.length;
    // A new runtime on the same state: nothing of the first tick's estimate is in memory.
    await h.restart();
    await h.tick(peopleCounter);
    // The 7 days, plus the hour's lookback, in 3 calls.
    expect(viewCallsPerBuilding(h, since)).to.deep.equal({ "Building A": 3 });
    expectEachLineOnce(h, h.clock - 7 * DAY - 6 * HOUR, h.clock - 5 * MINUTE);
  });

  it("splits a dense building's full answer by its density, delivers every line once, and sizes the next back-fill right", async () => {
    // 12 rooms: 1,152 lines a day, over the limit in one day. A stored estimate far too low
    // (a building that grew) makes the first window 3 days long: its answer comes back full.
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: { buildings: 1, roomsPerFloor: 12, dataStart: new Date(Date.now() - 9 * DAY) },
      env: { INITIAL_LOOKBACK: "3d" },
    });
    const start = h.clock - 3 * DAY;
    await h.runtime.store.settleWindow({
      pipeline: "peoplecounter",
      location: "Building A",
      window: timeWindow(start - 1, start),
      delivered: [],
      deliveredUntil: new Date(h.clock + DAY),
      linesPerHour: 1,
    });
    const summary = await h.tick(peopleCounter);
    expect(summary.windows.planned).to.equal(1);
    expect(summary.incompleteLocations).to.equal(undefined);
    // From the watermark less the hour's lookback.
    expectEachLineOnce(h, start - HOUR, h.clock - 5 * MINUTE);
    // One full answer, then 3,504 lines in windows under 899 lines: 1 + 4 calls (halving: 1 + 2 + 4 + 8).
    expect(viewCallsPerBuilding(h)["Building A"]).to.equal(5);
    // The estimate shrank to what the building holds (48 lines an hour): the next outage's
    // windows are sized to it and none comes back full.
    const densities = await h.runtime.store.densities("peoplecounter");
    expect(densities.get("Building A")).to.be.closeTo(48, 2);
    h.clock += 2 * DAY;
    const since = h.sim.requests.length;
    await h.tick(peopleCounter);
    // 2 days and the lookback: 2,352 lines, at most 899 a window: 3 calls.
    expect(viewCallsPerBuilding(h, since)["Building A"]).to.equal(3);
    expectEachLineOnce(h, start - HOUR, h.clock - 5 * MINUTE);
  });

  it("back-fills sparse and dense buildings side by side, every line exactly once", async () => {
    // Building A has 2 rooms, B 12, C 5 (one floor each).
    h = await PipelineHarness.start({
      hubs: ["a"],
      sim: {
        buildings: 3,
        roomsPerFloor: 5,
        roomsPerFloorByBuilding: [2, 12],
        dataStart: new Date(Date.now() - 9 * DAY),
      },
      env: { INITIAL_LOOKBACK: "5d" },
    });
    await h.tick(peopleCounter);
    expectEachLineOnce(h, h.clock - 5 * DAY, h.clock - 5 * MINUTE);
    const calls = viewCallsPerBuilding(h);
    // Sized from their devices to hold at most 899 lines (90 % of the limit): A's 960 lines in
    // 2 calls, B's 5,760 in 7, C's 2,400 in 3; none comes back full. (The fewest that can hold
    // them at 999 a call are 1, 6 and 3: the margin costs A and B one call each.)
    expect(calls).to.deep.equal({ "Building A": 2, "Building B": 7, "Building C": 3 });
  });
});
