import { expect } from "chai";
import type { WindowSettings } from "../../src/engine/pipelineDefinition.js";
import { cutWindows, planWindows } from "../../src/engine/windowPlanner.js";

const H = 3_600_000;
const M = 60_000;
const settings: WindowSettings = {
  lengthInMs: H,
  settleDelayInMs: 5 * M,
  lateLookbackInMs: H,
  initialLookbackInMs: 24 * H,
};
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Date.parse("2025-11-14T10:20:00.000Z");

describe("planWindows", () => {
  it("starts a new location at now − initial lookback and ends at now − settle delay", () => {
    const windows = planWindows(undefined, NOW, settings);
    expect(iso(windows[0]!.from.getTime())).to.equal("2025-11-13T10:20:00.000Z");
    expect(iso(windows.at(-1)!.to.getTime())).to.equal("2025-11-14T10:15:00.000Z");
    expect(windows).to.have.length(25);
  });

  it("cuts at whole hours so the same hour is the same window on every tick", () => {
    const windows = planWindows(undefined, NOW, settings);
    expect(iso(windows[0]!.to.getTime())).to.equal("2025-11-13T11:00:00.000Z");
    expect(iso(windows[1]!.from.getTime())).to.equal("2025-11-13T11:00:00.000Z");
    for (const w of windows.slice(1, -1)) expect(w.to.getTime() - w.from.getTime()).to.equal(H);
  });

  it("covers the range without gaps or overlaps, oldest first", () => {
    const windows = planWindows(new Date(NOW - 30 * H), NOW, settings);
    for (let i = 1; i < windows.length; i++)
      expect(windows[i]!.from.getTime()).to.equal(windows[i - 1]!.to.getTime());
  });

  it("re-reads the late lookback behind the watermark", () => {
    const watermark = new Date("2025-11-14T10:00:00.000Z");
    const windows = planWindows(watermark, NOW, settings);
    expect(windows.map((w) => [iso(w.from.getTime()), iso(w.to.getTime())])).to.deep.equal([
      ["2025-11-14T09:00:00.000Z", "2025-11-14T10:00:00.000Z"],
      ["2025-11-14T10:00:00.000Z", "2025-11-14T10:15:00.000Z"],
    ]);
  });

  it("turns an outage into an orderly back-fill of bounded windows", () => {
    const windows = planWindows(new Date(NOW - 7 * 24 * H), NOW, settings);
    expect(windows.length).to.be.within(7 * 24, 7 * 24 + 2);
    expect(Math.max(...windows.map((w) => w.to.getTime() - w.from.getTime()))).to.be.at.most(H);
  });

  it("plans nothing when the watermark is ahead of now − settle delay − lookback", () => {
    expect(planWindows(new Date(NOW + 2 * H), NOW, settings)).to.deep.equal([]);
  });

  it("starts a first run at the whole second, so the line timed exactly 24 h back is read", () => {
    const windows = planWindows(undefined, NOW + 204, settings);
    expect(iso(windows[0]!.from.getTime())).to.equal("2025-11-13T10:20:00.000Z");
  });

  it("starts a new location at the resume point, however long ago, instead of now − 24 h", () => {
    const resumeFrom = new Date("2025-11-10T12:00:01.000Z");
    const windows = planWindows(undefined, NOW, settings, resumeFrom);
    expect(iso(windows[0]!.from.getTime())).to.equal("2025-11-10T12:00:01.000Z");
    expect(iso(windows.at(-1)!.to.getTime())).to.equal("2025-11-14T10:15:00.000Z");
  });

  it("never re-reads before the resume point, and keeps the lookback after it", () => {
    const resumeFrom = new Date("2025-11-14T09:30:01.000Z");
    const atResume = planWindows(resumeFrom, NOW, settings, resumeFrom);
    expect(iso(atResume[0]!.from.getTime())).to.equal("2025-11-14T09:30:01.000Z");
    const later = planWindows(new Date("2025-11-14T10:15:00.000Z"), NOW + H, settings, resumeFrom);
    expect(iso(later[0]!.from.getTime()), "the lookback, now behind the resume point's reach").to.equal(
      "2025-11-14T09:30:01.000Z",
    );
    const muchLater = planWindows(new Date("2025-11-14T12:15:00.000Z"), NOW + 3 * H, settings, resumeFrom);
    expect(iso(muchLater[0]!.from.getTime())).to.equal("2025-11-14T11:15:00.000Z");
  });
});

describe("cutWindows", () => {
  it("returns nothing for an empty range and one partial window for a short one", () => {
    expect(cutWindows(5, 5, H)).to.deep.equal([]);
    const [only] = cutWindows(H + 10, H + 20, H);
    expect([only!.from.getTime(), only!.to.getTime()]).to.deep.equal([H + 10, H + 20]);
  });
});
