import { expect } from "chai";
import type { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import {
  flatten,
  get,
  getView,
  grantToken,
  pcViewParams,
  snapshotViewParams,
  startSim,
  viewUrl,
} from "./simulatorTestKit.js";

interface Current {
  avg: number;
  count: number;
  delta: number;
  first: number;
  last: number;
  max: number;
  min: number;
  range: number;
  sum: number;
}

describe("MicroshareSimulator snapshot view", () => {
  let sim: MicroshareSimulator;
  let token: string;

  beforeEach(async () => {
    ({ sim } = await startSim({ snapshotLocationPrefix: "ACME " }));
    token = await grantToken(sim);
  });
  afterEach(() => sim.close());

  const day = (): Record<string, string> =>
    snapshotViewParams(sim, "Building B", "2025-11-13T00:00:00.000Z", "2025-11-13T23:59:59.999Z");

  it("serves one line per room per hour at :00 with consistent statistics", async () => {
    const body = await getView(sim, token, day());
    expect(body.objs).to.have.length(4);
    let busiest = 0;
    for (const obj of body.objs) {
      expect(obj.data.line).to.have.length(24);
      for (const [i, line] of obj.data.line.entries()) {
        expect(line.time).to.equal(`2025-11-13T${String(i).padStart(2, "0")}:00:00.000Z`);
        const c = line.current as Current;
        expect(c.sum).to.equal(c.avg * c.count);
        expect(c.range).to.equal(c.max - c.min);
        expect(c.delta).to.equal(c.last - c.first);
        expect(c.min).to.be.at.most(Math.min(c.first, c.last));
        busiest = Math.max(busiest, c.max);
        expect(line.meta).to.deep.include({
          agg: { period: { hour: 1 } },
          device: obj.data._id.tags,
          snapshot: { category: "space", metric: "occupancy" },
        });
      }
    }
    expect(busiest).to.be.greaterThan(0);
  });

  it("agrees with the people-counter daily totals of the same room", async () => {
    const snapshot = flatten(await getView(sim, token, day()));
    const people = flatten(
      await getView(
        sim,
        token,
        pcViewParams(sim, "Building B", "2025-11-13T00:00:00.000Z", "2025-11-13T23:59:59.999Z"),
      ),
    );
    for (const { tags, line } of snapshot) {
      const quarter = line.time.replace(":00:00.000Z", ":45:00.000Z");
      const match = people.find((p) => p.line.time === quarter && p.tags.join() === tags.join());
      expect((line.current as Current).last).to.equal((match?.line.daily_total as { count: number }).count);
    }
  });

  it("requires every placeholder, naming the missing one", async () => {
    for (const name of ["ownerOrg", "category", "metric", "field2"]) {
      const params = day();
      delete params[name];
      const res = await get(viewUrl(sim, params), token);
      expect(res.status).to.equal(503);
      expect(res.text).to.equal(`[Error: unresolvable property or identifier: ${name}]`);
    }
  });

  it("expects the bare building name: the prefixed name finds nothing", async () => {
    expect((await getView(sim, token, { ...day(), loc1: "ACME Building B" })).objs).to.have.length(0);
    expect((await getView(sim, token, { ...day(), metric: "temperature" })).objs).to.have.length(0);
  });

  it("agrees with the snapshot ground-truth helper", async () => {
    const served = flatten(await getView(sim, token, day()));
    const truth = sim.snapshotLines(
      "Building B",
      new Date("2025-11-13T00:00:00Z"),
      new Date("2025-11-14T00:00:00Z"),
    );
    expect(served).to.deep.equal(truth);
  });

  it("shows an hour's snapshot only once the hour has ended", async () => {
    const body = await getView(
      sim,
      token,
      snapshotViewParams(sim, "Building A", "2025-11-14T10:00:00.000Z", "2025-11-14T12:59:59.999Z"),
    );
    const times = [...new Set(flatten(body).map((l) => l.line.time))];
    expect(times).to.deep.equal(["2025-11-14T10:00:00.000Z", "2025-11-14T11:00:00.000Z"]);
  });
});
