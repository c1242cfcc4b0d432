import { expect } from "chai";
import { DAY, HOUR, MINUTE } from "../../src/model/time.js";
import { windowLengthInMs } from "../../src/model/timeWindow.js";
import { cutEvenly, DensityEstimate, knownDensity, windowLengthFor } from "../../src/engine/windowSizing.js";

const LIMITS = { viewLimit: 999, minWindowInMs: MINUTE, maxWindowInMs: 7 * DAY };

describe("window sizing", () => {
  it("aims a window at 90 % of the view limit, in whole minutes, within the min and max windows", () => {
    // 12 lines an hour: 899.1 lines take 74 h 55 min.
    expect(windowLengthFor(12, DAY, LIMITS)).to.equal(74 * HOUR + 55 * MINUTE);
    expect(windowLengthFor(0.1, DAY, LIMITS)).to.equal(7 * DAY);
    expect(windowLengthFor(0, DAY, LIMITS)).to.equal(7 * DAY);
    expect(windowLengthFor(10_000_000, DAY, LIMITS)).to.equal(MINUTE);
    expect(windowLengthFor(undefined, DAY, LIMITS)).to.equal(DAY);
    expect(windowLengthFor(undefined, 30 * DAY, LIMITS)).to.equal(7 * DAY);
  });

  it("knows a new location's density from its devices, and prefers a stored estimate", () => {
    expect(knownDensity(undefined, 3, 96)).to.equal(12);
    expect(knownDensity(40, 3, 96)).to.equal(40);
    expect(knownDensity(undefined, undefined, 96)).to.equal(undefined);
    expect(knownDensity(undefined, 0, 96)).to.equal(undefined);
  });

  it("cuts a range into the fewest windows of one length that are no longer than asked", () => {
    const windows = cutEvenly(0, 7 * DAY, 3 * DAY);
    expect(windows.map(windowLengthInMs)).to.deep.equal([56 * HOUR, 56 * HOUR, 56 * HOUR]);
    expect(windows[0]?.from.getTime()).to.equal(0);
    windows.slice(1).forEach((w, i) => expect(w.from).to.deep.equal(windows[i]?.to));
    expect(windows.at(-1)?.to.getTime()).to.equal(7 * DAY);
    expect(cutEvenly(0, 10, 3).map(windowLengthInMs)).to.deep.equal([2, 3, 2, 3]);
    expect(cutEvenly(5, 5, 3)).to.deep.equal([]);
  });

  it("moves the estimate by how much time a window covers, and replaces it after a window fuller than a view answer", () => {
    const estimate = new DensityEstimate(undefined, 999);
    estimate.observe(288, DAY);
    expect(estimate.linesPerHour).to.equal(12);
    // 75 minutes at twice the density move it by 5 %.
    estimate.observe(30, 75 * MINUTE);
    expect(estimate.linesPerHour).to.be.closeTo(12.6, 0.05);
    // A day's evidence counts as much as all before it.
    estimate.observe(0, DAY);
    expect(estimate.linesPerHour).to.be.closeTo(6.3, 0.05);
    // 3,456 lines in 3 days: more than one answer holds, so the old estimate was wrong.
    estimate.observe(3_456, 3 * DAY);
    expect(estimate.linesPerHour).to.equal(48);
    estimate.observe(10, 0);
    expect(estimate.linesPerHour).to.equal(48);
  });

  it("takes the first window's density over a guess from the devices, then averages as before", () => {
    // 12 counters guessed at 48 lines an hour; 3 of them report.
    const estimate = new DensityEstimate(48, 999, true);
    estimate.observe(216, 18 * HOUR);
    expect(estimate.linesPerHour).to.equal(12);
    estimate.observe(0, DAY);
    expect(estimate.linesPerHour).to.equal(6);
  });
});
