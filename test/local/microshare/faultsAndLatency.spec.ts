import { expect } from "chai";
import { MicroshareSimulator } from "../../../src/local/microshare/microshareSimulator.js";
import { NOW, get, grantToken, pcViewParams, startSim, viewUrl } from "./simulatorTestKit.js";

describe("MicroshareSimulator faults and latency", () => {
  let sim: MicroshareSimulator;
  let token: string;
  let url: string;

  beforeEach(async () => {
    ({ sim } = await startSim());
    token = await grantToken(sim);
    url = viewUrl(
      sim,
      pcViewParams(sim, "Building A", "2025-11-13T10:00:00.000Z", "2025-11-13T10:59:59.999Z"),
    );
  });
  afterEach(() => sim.close());

  async function statuses(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await get(url, token)).status);
    return out;
  }

  it("fails exactly the listed calls of an endpoint, with Retry-After and the given body", async () => {
    sim.configure({
      faults: [{ endpoint: "view", status: 429, onCalls: [2, 4], retryAfterSeconds: 3, body: "slow down" }],
    });
    const first = await get(url, token);
    const second = await get(url, token);
    expect(first.status).to.equal(200);
    expect(second.status).to.equal(429);
    expect(second.headers.get("retry-after")).to.equal("3");
    expect(second.text).to.equal("slow down");
    expect(await statuses(3)).to.deep.equal([200, 429, 200]);
    expect(sim.requests.filter((r) => r.endpoint === "view").map((r) => r.status)).to.deep.equal([
      200, 429, 200, 429, 200,
    ]);
  });

  it("numbers calls per endpoint, so token calls do not shift view faults", async () => {
    sim.configure({ faults: [{ endpoint: "view", status: 503, onCalls: [1] }] });
    await grantToken(sim);
    expect(await statuses(2)).to.deep.equal([503, 200]);
    expect(sim.requestCount("token")).to.equal(2);
    expect(sim.requestCount("view")).to.equal(2);
  });

  it("fails a seeded, reproducible fraction of calls with rate", async () => {
    sim.configure({ faults: [{ endpoint: "any", status: 502, rate: 0.3 }] });
    const first = await statuses(60);
    const failed = first.filter((s) => s === 502).length;
    expect(failed).to.be.within(8, 30);
    expect(first.filter((s) => s !== 502).every((s) => s === 200)).to.equal(true);

    const twin = await MicroshareSimulator.start({ now: () => NOW });
    try {
      const twinToken = await grantToken(twin);
      twin.resetStats();
      sim.resetStats();
      twin.configure({ faults: [{ endpoint: "any", status: 502, rate: 0.3 }] });
      const twinUrl = url.replace(sim.url, twin.url);
      const again: number[] = [];
      for (let i = 0; i < 60; i++) again.push((await get(twinUrl, twinToken)).status);
      expect(again).to.deep.equal(await statuses(60));
    } finally {
      await twin.close();
    }
  });

  it("faults the token endpoint too", async () => {
    sim.configure({ faults: [{ endpoint: "token", status: 500, onCalls: [2] }] });
    let error: unknown;
    try {
      await grantToken(sim);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("500");
    expect(await grantToken(sim)).to.match(/^[0-9a-f]{64}$/);
  });

  it("adds latencyMs to every response and records start and end times", async () => {
    sim.configure({ latencyMs: 120 });
    const started = performance.now();
    const res = await get(url, token);
    const elapsed = performance.now() - started;
    expect(res.status).to.equal(200);
    expect(elapsed).to.be.at.least(115);
    const record = sim.requests[sim.requests.length - 1];
    expect(record?.endpoint).to.equal("view");
    expect(record?.query.loc1).to.equal("Building A");
    expect((record?.endedAt ?? 0) - (record?.startedAt ?? 0)).to.be.at.least(115);
  });

  it("tracks the peak of concurrent requests per endpoint and overall", async () => {
    sim.configure({ latencyMs: 100 });
    const results = await Promise.all(Array.from({ length: 6 }, () => get(url, token)));
    expect(results.every((r) => r.status === 200)).to.equal(true);
    await get(url, token);
    expect(sim.maxInFlight("view")).to.equal(6);
    expect(sim.maxInFlight()).to.equal(6);
    expect(sim.maxInFlight("token")).to.equal(1);
    sim.resetStats();
    expect(sim.maxInFlight("view")).to.equal(0);
    expect(sim.requests).to.have.length(0);
    expect(sim.requestCount()).to.equal(0);
  });

  it("close is idempotent and ends requests still waiting on latency", async () => {
    sim.configure({ latencyMs: 5_000 });
    const pending = fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(
      () => "answered",
      () => "aborted",
    );
    while (sim.requestCount("view") === 0) await new Promise((r) => setImmediate(r));
    const closing = Promise.all([sim.close(), sim.close()]);
    expect(await pending).to.equal("aborted");
    await closing;
  });
});
