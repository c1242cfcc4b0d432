import { expect } from "chai";
import { lastValueFrom } from "rxjs";
import type { FaultRule } from "../../../src/local/microshare/microshareSimulator.js";
import {
  collect,
  failureOf,
  HOUR_WINDOW,
  lineKeys,
  PC_CLUSTER_RECTYPE,
  peopleCounterQuery,
  truthKeys,
  useHarness,
} from "./sourceTestKit.js";

describe("MicroshareSource retries", () => {
  const h = useHarness();

  const viewStarts = () => h.sim.requests.filter((r) => r.endpoint === "view").map((r) => r.startedAt);
  const viewStatuses = () => h.sim.requests.filter((r) => r.endpoint === "view").map((r) => r.status);
  const readHour = (overrides = {}) =>
    collect(h.source(overrides).viewResults$(peopleCounterQuery(h.sim), "Building A", HOUR_WINDOW));

  it("waits at least Retry-After before repeating a throttled request", async () => {
    await h.start({ faults: [{ endpoint: "view", status: 429, retryAfterSeconds: 1, onCalls: [1] }] });
    const results = await readHour({ maxRetryDelayInMs: 5000 });
    expect(viewStatuses()).to.deep.equal([429, 200]);
    const [first, second] = viewStarts();
    expect((second ?? 0) - (first ?? 0)).to.be.at.least(1000);
    expect(lineKeys(results)).to.have.members(truthKeys(h.sim, "Building A", HOUR_WINDOW));
  });

  it("caps a Retry-After longer than maxRetryDelayInMs", async () => {
    await h.start({ faults: [{ endpoint: "view", status: 429, retryAfterSeconds: 3600, onCalls: [1] }] });
    await readHour({ maxRetryDelayInMs: 50 });
    const [first, second] = viewStarts();
    expect(viewStatuses()).to.deep.equal([429, 200]);
    expect((second ?? 0) - (first ?? 0)).to.be.within(49, 1000);
  });

  it("backs off exponentially on a 429 without Retry-After", async () => {
    await h.start({ faults: [{ endpoint: "view", status: 429, onCalls: [1, 2, 3] }] });
    await readHour({ retryDelayInMs: 40, maxRetryDelayInMs: 1000 });
    expect(viewStatuses()).to.deep.equal([429, 429, 429, 200]);
    const starts = viewStarts();
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // Equal jitter: retry n waits between half and all of 40 ms × 2^(n−1).
    expect(gaps[0]).to.be.at.least(20);
    expect(gaps[1]).to.be.at.least(40);
    expect(gaps[2]).to.be.at.least(80);
    const retries = h.warnings().filter((m) => m.startsWith("retrying in"));
    expect(retries).to.have.length(3);
    expect(retries[2]).to.contain("attempt 3/5").and.to.contain("HTTP 429");
  });

  for (const fault of [
    { status: 500, what: "500" },
    { status: 502, what: "502" },
    { status: 503, what: "503 (an outage, not the template error)" },
    { status: 504, what: "504" },
  ]) {
    it(`retries a ${fault.what} and then succeeds`, async () => {
      await h.start({ faults: [{ endpoint: "view", status: fault.status, onCalls: [1, 2] }] });
      const results = await readHour();
      expect(viewStatuses()).to.deep.equal([fault.status, fault.status, 200]);
      expect(lineKeys(results)).to.have.members(truthKeys(h.sim, "Building A", HOUR_WINDOW));
    });
  }

  it("retries a failing login and the device cluster alike", async () => {
    const faults: FaultRule[] = [
      { endpoint: "token", status: 503, onCalls: [1] },
      { endpoint: "device", status: 502, onCalls: [1] },
    ];
    const sim = await h.start({ faults });
    const locations = await lastValueFrom(
      h.source().locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    expect(locations).to.have.length(3);
    expect(sim.requests.map((r) => `${r.endpoint} ${r.status}`)).to.deep.equal([
      "token 503",
      "token 200",
      "device 502",
      "device 200",
    ]);
  });

  it("gives up after maxRetries with the error's code and status", async () => {
    await h.start({ faults: [{ endpoint: "view", status: 502, rate: 1 }] });
    const error = await failureOf(
      h.source({ maxRetries: 2 }).viewResults$(peopleCounterQuery(h.sim), "Building A", HOUR_WINDOW),
    );
    expect(error.code).to.equal("server");
    expect(error.status).to.equal(502);
    expect(error.context).to.include({ location: "Building A", page: 1 });
    expect(viewStatuses()).to.deep.equal([502, 502, 502]);
  });

  it("times out a request that takes longer than requestTimeoutInMs and retries it", async () => {
    const sim = await h.start();
    const source = h.source({ requestTimeoutInMs: 100, maxRetries: 1 });
    await lastValueFrom(
      source.locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    sim.configure({ latencyMs: 1000 });
    const error = await failureOf(source.viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW));
    expect(error.code).to.equal("timeout");
    expect(error.message).to.contain("MICROSHARE_REQUEST_TIMEOUT");
    expect(sim.requestCount("view")).to.equal(2);
  });

  it("retries a refused connection as a network error, then gives up with its code", async () => {
    const sim = await h.start();
    // A port that was just listening and is now closed: connections are refused.
    const dead = await h.startSpare();
    const deadUrl = dead.url;
    await dead.close();
    const error = await failureOf(
      h
        .source({ apiUrl: deadUrl, maxRetries: 2 })
        .viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW),
    );
    expect(error.code).to.equal("network");
    expect(error.message).to.contain("ECONNREFUSED");
    expect(h.warnings().filter((m) => m.startsWith("retrying in"))).to.have.length(2);
    expect(sim.requestCount("token")).to.equal(1);
  });

  it("does not retry a 404 and names the view id to fix", async () => {
    const sim = await h.start();
    const query = { ...peopleCounterQuery(sim), viewId: "0123456789abcdef01234567" };
    const error = await failureOf(h.source().viewResults$(query, "Building A", HOUR_WINDOW));
    expect(error.code).to.equal("not-found");
    expect(error.retryable).to.equal(false);
    expect(error.message).to.contain("0123456789abcdef01234567").and.to.contain("DASHBOARD_VIEW_ID");
    expect(sim.requestCount("view")).to.equal(1);
  });

  it("does not retry a 404 for the device cluster and names the cluster id to fix", async () => {
    const sim = await h.start();
    const error = await failureOf(
      h.source().locations$({ packedRecType: PC_CLUSTER_RECTYPE, clusterId: "nope", locationPrefix: "" }),
    );
    expect(error.code).to.equal("not-found");
    expect(error.message).to.contain('"nope"').and.to.contain("DEVICE_CLUSTER_ID");
    expect(sim.requestCount("device")).to.equal(1);
  });

  it("does not retry the template 503 for a missing placeholder, and names it", async () => {
    const sim = await h.start();
    const query = peopleCounterQuery(sim);
    const { field6: _dropped, ...params } = query.params;
    const error = await failureOf(h.source().viewResults$({ ...query, params }, "Building A", HOUR_WINDOW));
    expect(error.code).to.equal("view-template");
    expect(error.status).to.equal(503);
    expect(error.message).to.contain('"field6"');
    expect(sim.requestCount("view")).to.equal(1);
  });

  it("does not retry the template 503 for a dataContext that is not a JSON array, and names it", async () => {
    const sim = await h.start();
    const error = await failureOf(
      h.source().viewResults$(peopleCounterQuery(sim, { dataContext: "people" }), "Building A", HOUR_WINDOW),
    );
    expect(error.code).to.equal("view-template");
    expect(error.message).to.contain('"dataContext"').and.to.contain("DATA_CONTEXT");
    expect(sim.requestCount("view")).to.equal(1);
  });
});
