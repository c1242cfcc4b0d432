import { expect } from "chai";
import { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import {
  NOW,
  flatten,
  get,
  getView,
  grantToken,
  pcViewParams,
  startSim,
  viewUrl,
} from "./simulatorTestKit.js";

interface Counts {
  in: number;
  out: number;
  count: number;
  traffic: number;
  raw_count: number;
}

describe("MicroshareSimulator people-counter view", () => {
  let sim: MicroshareSimulator;
  let token: string;

  beforeEach(async () => {
    ({ sim } = await startSim());
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  const hour = (): Record<string, string> =>
    pcViewParams(sim, "Building A", "2025-11-13T10:00:00.000Z", "2025-11-13T10:59:59.999Z");

  it("answers 503 naming each missing placeholder", async () => {
    for (const name of ["recType", "dataContext", "field1", "field4", "field6", "loc1", "from", "to"]) {
      const params = hour();
      delete params[name];
      const res = await get(viewUrl(sim, params), token);
      expect(res.status, name).to.equal(503);
      expect(res.text).to.equal(`[Error: unresolvable property or identifier: ${name}]`);
    }
  });

  it("answers 503 for a repeated or non-array dataContext", async () => {
    const repeated = new URLSearchParams(hour());
    repeated.delete("dataContext");
    repeated.append("dataContext", "people");
    repeated.append("dataContext", "other");
    const notArray = { ...hour(), dataContext: "people" };
    for (const params of [repeated, new URLSearchParams(notArray)]) {
      const res = await get(viewUrl(sim, params), token);
      expect(res.status).to.equal(503);
      expect(res.text).to.equal("[Error: unresolvable property or identifier: dataContext]");
    }
  });

  it("answers 404 in plain text for an unknown view id", async () => {
    const res = await get(viewUrl(sim, { ...hour(), id: "000000000000000000000000" }), token);
    expect(res.status).to.equal(404);
    expect(res.text).to.equal("io.microshare.utils.NotFoundException: Record not found or inaccessible.");
  });

  it("serves rooms × 4 lines per hour, one group per room sorted by tags, with or without the trailing slash", async () => {
    const body = await getView(sim, token, hour());
    expect(body.objs).to.have.length(4);
    const tags = body.objs.map((o) => o.data._id.tags.join("|"));
    expect(tags).to.deep.equal([...tags].sort());
    for (const obj of body.objs) {
      expect(obj.data.line.map((l) => l.time)).to.deep.equal([
        "2025-11-13T10:00:00.000Z",
        "2025-11-13T10:15:00.000Z",
        "2025-11-13T10:30:00.000Z",
        "2025-11-13T10:45:00.000Z",
      ]);
    }
    const records = body.objs.flatMap((o) => o.data.line.map((l) => l.record));
    expect(new Set(records).size).to.equal(16);
    expect(records.every((r) => typeof r === "string" && /^[0-9a-f]{24}$/.test(r))).to.equal(true);
    const noSlash = await get(
      `${sim.url}/share/io.microshare.fm.master.agg?${new URLSearchParams(hour())}`,
      token,
    );
    expect(JSON.parse(noSlash.text)).to.deep.equal(body);
  });

  it("keeps change and daily_total arithmetic consistent over a whole day", async () => {
    const body = await getView(
      sim,
      token,
      pcViewParams(sim, "Building B", "2025-11-13T00:00:00.000Z", "2025-11-13T23:59:59.999Z"),
    );
    expect(body.objs).to.have.length(4);
    let peopleSeen = 0;
    for (const obj of body.objs) {
      const lines = obj.data.line as unknown as {
        change: Counts;
        daily_total: Counts & { reset_time: string };
      }[];
      expect(lines).to.have.length(96);
      const sum = { in: 0, out: 0 };
      for (const { change, daily_total: total } of lines) {
        sum.in += change.in;
        sum.out += change.out;
        expect(total.in).to.equal(sum.in);
        expect(total.out).to.equal(sum.out);
        for (const c of [change, total]) {
          expect(c.count).to.equal(Math.max(0, c.in - c.out));
          expect(c.traffic).to.equal(c.in + c.out);
          expect(c.raw_count).to.equal(c.in - c.out);
        }
        expect(total.count).to.be.at.least(0);
        expect(total.reset_time).to.equal("2025-11-13T00:00:00.000Z");
      }
      peopleSeen += sum.in;
      expect(sum.in, "everyone leaves by midnight").to.equal(sum.out);
    }
    expect(peopleSeen).to.be.greaterThan(0);
  });

  it("is deterministic: the same seed gives identical bytes, another seed different ones", async () => {
    const params = hour();
    const a = await get(viewUrl(sim, params), token);
    const twin = await MicroshareSimulator.start({ now: () => NOW });
    const other = await MicroshareSimulator.start({ now: () => NOW, seed: 2 });
    try {
      const b = await get(viewUrl(twin, params), await grantToken(twin));
      const otherParams = { ...params, id: other.ids.peopleCounterViewId };
      const c = await get(viewUrl(other, otherParams), await grantToken(other));
      expect(b.text).to.equal(a.text);
      expect(c.status).to.equal(200);
      expect(c.text).to.not.equal(a.text);
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it("returns exactly viewLimit lines, the most recent, when the window holds more", async () => {
    sim.configure({ viewLimit: 10 });
    const body = await getView(sim, token, hour());
    const served = flatten(body);
    expect(served).to.have.length(10);
    const truth = sim.peopleCounterLines(
      "Building A",
      new Date("2025-11-13T10:00:00Z"),
      new Date("2025-11-13T11:00:00Z"),
    );
    expect(truth).to.have.length(16);
    expect(served).to.deep.equal(truth.slice(-10));
    for (const obj of body.objs) {
      const times = obj.data.line.map((l) => l.time);
      expect(times).to.deep.equal([...times].sort());
    }
  });

  it("agrees with the ground-truth helper, which ignores the view limit", async () => {
    const served = flatten(await getView(sim, token, hour()));
    const truth = sim.peopleCounterLines(
      "Building A",
      new Date("2025-11-13T10:00:00Z"),
      new Date("2025-11-13T11:00:00Z"),
    );
    expect(served).to.deep.equal(truth);
  });

  it("shows no line whose period has not ended, nor lines before dataStart", async () => {
    const body = await getView(
      sim,
      token,
      pcViewParams(sim, "Building A", "2025-11-12T00:00:00.000Z", "2025-11-14T23:59:59.999Z"),
    );
    const times = flatten(body).map((l) => l.line.time);
    expect(times[0]).to.equal("2025-11-12T12:00:00.000Z");
    expect(times[times.length - 1]).to.equal("2025-11-14T11:45:00.000Z");
    expect(times).to.have.length(4 * 96 * 2);
  });

  it("serves an unknown building or a recType the view does not match as no groups", async () => {
    expect((await getView(sim, token, { ...hour(), loc1: "Nowhere" })).objs).to.have.length(0);
    expect((await getView(sim, token, { ...hour(), recType: "io.other" })).objs).to.have.length(0);
  });
});
