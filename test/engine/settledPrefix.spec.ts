import { expect } from "chai";
import type { WorkUnit } from "../../src/engine/pipelineDefinition.js";
import { SettledPrefix } from "../../src/engine/settledPrefix.js";
import { timeWindow } from "../../src/model/timeWindow.js";

const HOUR = 3_600_000;
const units: WorkUnit[] = [0, 1, 2, 3].map((i) => ({
  pipeline: "p",
  location: "L",
  window: timeWindow(i * HOUR, (i + 1) * HOUR),
  advancesWatermark: true,
}));

describe("SettledPrefix", () => {
  it("moves the watermark with each unit committed in order", () => {
    const prefix = new SettledPrefix(units);
    for (let i = 0; i < units.length; i++) {
      const to = prefix.advanceTo(i);
      expect(to).to.equal(units[i]);
      prefix.committed(i, to);
    }
  });

  it("holds later units committed first, then moves over all of them with the first", () => {
    const prefix = new SettledPrefix(units);
    expect(prefix.advanceTo(2)).to.equal(undefined);
    prefix.committed(2, undefined);
    expect(prefix.advanceTo(1)).to.equal(undefined);
    prefix.committed(1, undefined);
    const to = prefix.advanceTo(0);
    expect(to).to.equal(units[2]);
    prefix.committed(0, to);
    expect(prefix.advanceTo(3)).to.equal(units[3]);
  });

  it("never moves past a failed unit, even over units committed after it", () => {
    const prefix = new SettledPrefix(units);
    prefix.committed(2, undefined);
    prefix.failed(1);
    expect(prefix.advanceTo(0)).to.equal(units[0]);
    prefix.committed(0, units[0]);
    expect(prefix.advanceTo(3)).to.equal(undefined);
  });
});
