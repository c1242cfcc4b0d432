import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import { get, grantToken, startSim, type TestClock } from "./simulatorTestKit.js";

interface ShareBody {
  meta: { totalPages: number; totalCount: number; currentCount: number; perPage: number };
  objs: {
    id: string;
    recType: string;
    tstamp: { $date: number };
    createDate: { $date: number };
    tags: string[];
    data: { in: number; out: number; period_start: string };
  }[];
}

const RAW = "io.microshare.peoplecounter.unpacked.event";

describe("MicroshareSimulator share list", () => {
  let sim: MicroshareSimulator;
  let clock: TestClock;
  let token: string;

  beforeEach(async () => {
    ({ sim, clock } = await startSim({
      buildings: 2,
      floorsPerBuilding: 1,
      roomsPerFloor: 3,
      dataStart: new Date("2025-11-14T09:00:00.000Z"),
    }));
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  async function list(params: Record<string, string>, recType = RAW): Promise<ShareBody> {
    const res = await get(`${sim.url}/share/${recType}?${new URLSearchParams(params)}`, token);
    expect(res.status).to.equal(200);
    return JSON.parse(res.text) as ShareBody;
  }

  async function everyPage(params: Record<string, string>): Promise<ShareBody["objs"]> {
    const first = await list({ ...params, page: "1" });
    const objs = [...first.objs];
    for (let page = 2; page <= first.meta.totalPages; page++) {
      objs.push(...(await list({ ...params, page: String(page) })).objs);
    }
    expect(objs).to.have.length(first.meta.totalCount);
    return objs;
  }

  it("lists one raw event per room per 15 minutes, newest first, every record exactly once", async () => {
    // 09:00 → 12:07: periods 09:00 … 11:45 are stored by 12:07 (each event lands within a minute of its period's end).
    const objs = await everyPage({ perPage: "7" });
    expect(objs).to.have.length(6 * 12);
    expect(new Set(objs.map((o) => o.id)).size).to.equal(objs.length);
    const stamps = objs.map((o) => o.tstamp.$date);
    expect(stamps).to.deep.equal([...stamps].sort((a, b) => b - a));
    expect(objs.every((o) => o.recType === RAW && o.createDate.$date === o.tstamp.$date)).to.equal(true);
    expect(stamps.every((s) => s <= clock.ms)).to.equal(true);
    const periods = new Set(objs.map((o) => `${o.tags.join("|")}@${o.data.period_start}`));
    expect(periods.size).to.equal(objs.length);
  });

  it("pages the same records whatever perPage when a period is only partly stored", async () => {
    clock.ms = Date.parse("2025-11-14T12:00:30.000Z");
    const small = await everyPage({ perPage: "4" });
    const large = await everyPage({ perPage: "1000" });
    expect(small.map((o) => o.id)).to.deep.equal(large.map((o) => o.id));
    const perPeriod = new Map<string, number>();
    for (const o of small) perPeriod.set(o.data.period_start, (perPeriod.get(o.data.period_start) ?? 0) + 1);
    expect(perPeriod.get("2025-11-14T11:30:00.000Z")).to.equal(6);
    const partial = perPeriod.get("2025-11-14T11:45:00.000Z") ?? 0;
    expect(partial).to.be.within(1, 5);
    expect(small).to.have.length(6 * 11 + partial);
    const fromMid = await everyPage({ perPage: "3", from: "2025-11-14T10:00:30.000Z" });
    expect(fromMid.map((o) => o.id)).to.deep.equal(
      small.filter((o) => o.tstamp.$date >= Date.parse("2025-11-14T10:00:30.000Z")).map((o) => o.id),
    );
  });

  it("filters on tstamp with from/to, both inclusive", async () => {
    const from = "2025-11-14T10:00:00.000Z";
    const to = "2025-11-14T10:59:59.999Z";
    const objs = await everyPage({ perPage: "5", from, to });
    expect(objs.length).to.be.greaterThan(0);
    expect(
      objs.every((o) => o.tstamp.$date >= Date.parse(from) && o.tstamp.$date <= Date.parse(to)),
    ).to.equal(true);
    const whole = await everyPage({});
    const expected = whole.filter(
      (o) => o.tstamp.$date >= Date.parse(from) && o.tstamp.$date <= Date.parse(to),
    );
    expect(objs.map((o) => o.id)).to.deep.equal(expected.map((o) => o.id));
  });

  it("carries the same in/out as the people-counter change of that room and period", async () => {
    const objs = await everyPage({});
    const sample = objs.find((o) => o.data.in > 0) ?? objs[0];
    const start = new Date(sample?.data.period_start ?? "");
    const truth = sim.peopleCounterLines(sample?.tags[0] ?? "", start, new Date(start.getTime() + 1));
    const line = truth.find((t) => t.tags.join() === sample?.tags.join())?.line.change as {
      in: number;
      out: number;
    };
    expect({ in: sample?.data.in, out: sample?.data.out }).to.deep.equal({ in: line.in, out: line.out });
  });

  it("grows as the clock moves and applies the paging switches", async () => {
    const before = (await list({ perPage: "1000" })).meta.totalCount;
    clock.advance(15 * 60_000);
    const after = (await list({ perPage: "1000" })).meta.totalCount;
    expect(after - before).to.equal(6);
    sim.configure({ totalCountExtra: 50, emptyPagesBefore: 1 });
    const paged = await list({ perPage: "1000" });
    expect(paged.meta).to.include({ totalCount: after + 50, totalPages: 2, currentCount: 0 });
  });

  it("lists nothing for a recType without data, and rejects a bad date", async () => {
    const empty = await list({}, "io.microshare.something.else");
    expect(empty.meta.totalCount).to.equal(0);
    expect(empty.objs).to.have.length(0);
    const bad = await get(`${sim.url}/share/${RAW}?from=yesterday`, token);
    expect(bad.status).to.equal(400);
  });
});
