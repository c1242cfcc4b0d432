import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import {
  type TestClock,
  type ViewBody,
  flatten,
  getView,
  grantToken,
  pcViewParams,
  startSim,
} from "./simulatorTestKit.js";

describe("MicroshareSimulator view paging", () => {
  let sim: MicroshareSimulator;
  let token: string;

  beforeEach(async () => {
    ({ sim } = await startSim({ floorsPerBuilding: 3, roomsPerFloor: 4 }));
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  const window = (): Record<string, string> =>
    pcViewParams(sim, "Building C", "2025-11-13T08:00:00.000Z", "2025-11-13T08:59:59.999Z");

  async function allPages(perPage: number): Promise<ViewBody[]> {
    const first = await getView(sim, token, { ...window(), perPage: String(perPage) });
    const pages = [first];
    for (let page = 2; page <= first.meta.totalPages; page++) {
      pages.push(await getView(sim, token, { ...window(), perPage: String(perPage), page: String(page) }));
    }
    return pages;
  }

  it("splits the groups over pages of perPage, each group exactly once", async () => {
    const pages = await allPages(5);
    expect(pages.map((p) => p.meta.currentCount)).to.deep.equal([5, 5, 2]);
    expect(pages.map((p) => p.meta.currentPage)).to.deep.equal([1, 2, 3]);
    const tags = pages.flatMap((p) => p.objs.map((o) => o.data._id.tags.join("|")));
    expect(tags).to.have.length(12);
    expect(new Set(tags).size).to.equal(12);
    expect(pages[0]?.meta).to.include({ totalPages: 3, perPage: 5, totalCount: 12, source: "db" });
    const whole = await getView(sim, token, window());
    expect(pages.flatMap((p) => p.objs)).to.deep.equal(whole.objs);
  });

  it("serves emptyPagesBefore empty pages before the real last page", async () => {
    sim.configure({ emptyPagesBefore: 2 });
    const pages = await allPages(5);
    expect(pages[0]?.meta.totalPages).to.equal(5);
    expect(pages.map((p) => p.objs.length)).to.deep.equal([5, 5, 0, 0, 2]);
    const tags = pages.flatMap((p) => p.objs.map((o) => o.data._id.tags.join("|")));
    expect(new Set(tags).size).to.equal(12);
  });

  it("adds totalCountExtra to totalCount only", async () => {
    sim.configure({ totalCountExtra: 1000 });
    const pages = await allPages(5);
    expect(pages[0]?.meta).to.include({ totalCount: 1012, totalPages: 3 });
    expect(pages.reduce((n, p) => n + p.objs.length, 0)).to.equal(12);
  });

  it("uses perPageDefault when no perPage is given", async () => {
    sim.configure({ perPageDefault: 4 });
    const body = await getView(sim, token, window());
    expect(body.meta).to.include({ perPage: 4, totalPages: 3, currentCount: 4 });
  });
});

describe("MicroshareSimulator late lines", () => {
  let sim: MicroshareSimulator;
  let clock: TestClock;
  let token: string;

  beforeEach(async () => {
    ({ sim, clock } = await startSim({
      floorsPerBuilding: 2,
      roomsPerFloor: 10,
      lateLines: { fraction: 0.5, delayMs: 10 * 60_000 },
    }));
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  const lastHour = (): Record<string, string> =>
    pcViewParams(sim, "Building A", "2025-11-14T11:00:00.000Z", "2025-11-14T11:59:59.999Z");
  const at = (lines: ReturnType<typeof flatten>, time: string): number =>
    lines.filter((l) => l.line.time === time).length;

  it("hides the late fraction until delayMs after the period ends, then shows it", async () => {
    // 12:07: the 11:45 period ended at 12:00, its late lines appear at 12:10.
    const before = flatten(await getView(sim, token, lastHour()));
    expect(at(before, "2025-11-14T11:30:00.000Z")).to.equal(20);
    const early = at(before, "2025-11-14T11:45:00.000Z");
    expect(early).to.be.greaterThan(0).and.lessThan(20);
    const truthBefore = sim.peopleCounterLines(
      "Building A",
      new Date("2025-11-14T11:00Z"),
      new Date("2025-11-14T12:00Z"),
    );
    expect(truthBefore).to.deep.equal(before);

    clock.advance(2 * 60_000);
    expect(at(flatten(await getView(sim, token, lastHour())), "2025-11-14T11:45:00.000Z")).to.equal(early);
    clock.advance(60_000);
    const after = flatten(await getView(sim, token, lastHour()));
    expect(at(after, "2025-11-14T11:45:00.000Z")).to.equal(20);
  });

  it("makes lines visible as soon as their period ends when lateLines is off", async () => {
    sim.configure({ lateLines: { fraction: 0, delayMs: 0 } });
    const lines = flatten(await getView(sim, token, lastHour()));
    expect(at(lines, "2025-11-14T11:45:00.000Z")).to.equal(20);
  });
});
