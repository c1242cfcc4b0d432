import { expect } from "chai";
import { addOutcome, emptySummary, exitCodeOf } from "../../src/engine/tickSummary.js";
import { EXIT } from "../../src/model/exitCodes.js";
import type { WorkUnit } from "../../src/engine/pipelineDefinition.js";
import { timeWindow } from "../../src/model/timeWindow.js";

const unit = (location: string): WorkUnit => ({
  pipeline: "p",
  location,
  window: timeWindow(0, 1000),
  advancesWatermark: true,
});

describe("tick summary", () => {
  const base = emptySummary("p", new Date(0), ["a", "b"]);

  it("adds settled outcomes per hub", () => {
    const s = addOutcome(base, {
      state: "settled",
      unit: unit("X"),
      fetched: 5,
      duplicates: 1,
      events: 4,
      hubs: [
        { hub: "a", acknowledged: 4, deadLettered: 0, batches: 1, errors: [] },
        { hub: "b", acknowledged: 0, deadLettered: 4, batches: 1, errors: [] },
      ],
    });
    expect(s.hubs).to.deep.equal({
      a: { acknowledged: 4, deadLettered: 0 },
      b: { acknowledged: 0, deadLettered: 4 },
    });
    expect([s.fetched, s.duplicatesSkipped, s.events, s.windows.settled]).to.deep.equal([5, 1, 4, 1]);
    expect(exitCodeOf(s)).to.equal(EXIT.deadLettered);
  });

  it("keeps the first error of a failed location and exits with the location code", () => {
    let s = addOutcome(base, {
      state: "failed",
      unit: unit("X"),
      error: { name: "MicroshareError", message: "boom" },
    });
    s = addOutcome(s, { state: "failed", unit: unit("X"), error: { name: "Skipped", message: "later" } });
    expect(s.failedLocations).to.deep.equal({ X: "MicroshareError: boom" });
    expect(s.windows.failed).to.equal(2);
    expect(exitCodeOf(s)).to.equal(EXIT.locationsFailed);
  });

  it("exits 0 only when every event was acknowledged, 1 when the tick could not run", () => {
    expect(exitCodeOf(base)).to.equal(0);
    expect(exitCodeOf({ ...base, error: "auth failed" })).to.equal(EXIT.failure);
  });
});
