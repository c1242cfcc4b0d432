import { expect } from "chai";
import { lastValueFrom } from "rxjs";
import {
  collect,
  failureOf,
  HOUR_WINDOW,
  PC_CLUSTER_RECTYPE,
  peopleCounterQuery,
  useHarness,
  waitUntil,
} from "./sourceTestKit.js";

describe("MicroshareSource cancellation", () => {
  const h = useHarness();
  const LATENCY_MS = 10_000;

  /** A source that already holds a token, so that later requests are view calls only. */
  async function loggedInSource(concurrency: number) {
    const sim = await h.start();
    const source = h.source({ concurrency });
    await lastValueFrom(
      source.locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    return { sim, source };
  }

  it("aborts the HTTP request in flight on unsubscribe and frees its limiter slot at once", async () => {
    const { sim, source } = await loggedInSource(1);
    sim.configure({ latencyMs: LATENCY_MS });
    const subscription = source.viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW).subscribe();
    await waitUntil(() => sim.requestCount("view") === 1, "the view call reaches the simulator");
    subscription.unsubscribe();

    const [aborted] = sim.requests.filter((r) => r.endpoint === "view");
    await waitUntil(() => aborted?.endedAt !== 0, "the simulator sees the connection close");
    expect((aborted?.endedAt ?? 0) - (aborted?.startedAt ?? 0)).to.be.below(LATENCY_MS / 2);

    // With concurrency 1, a request that still held the slot would stall this one for 10 s.
    sim.configure({ latencyMs: 0 });
    const started = Date.now();
    const results = await collect(source.viewResults$(peopleCounterQuery(sim), "Building B", HOUR_WINDOW));
    expect(Date.now() - started).to.be.below(LATENCY_MS / 2);
    expect(results[0]?.location).to.equal("Building B");
    // The aborted call was not retried.
    expect(sim.requests.filter((r) => r.endpoint === "view").map((r) => r.query.loc1)).to.deep.equal([
      "Building A",
      "Building B",
    ]);
  });

  it("never sends a request that was cancelled while waiting for a slot", async () => {
    const { sim, source } = await loggedInSource(1);
    sim.configure({ latencyMs: 200 });
    const first = collect(source.viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW));
    const queued = source.viewResults$(peopleCounterQuery(sim), "Building B", HOUR_WINDOW).subscribe();
    await waitUntil(() => sim.requestCount("view") === 1, "the first view call reaches the simulator");
    queued.unsubscribe();
    await first;
    // Had the cancelled waiter kept a place, it would have been sent once the slot freed.
    const third = await collect(source.viewResults$(peopleCounterQuery(sim), "Building C", HOUR_WINDOW));
    expect(third).to.have.length(1);
    expect(sim.requests.filter((r) => r.endpoint === "view").map((r) => r.query.loc1)).to.deep.equal([
      "Building A",
      "Building C",
    ]);
  });

  it("does not fail other callers when the caller that started a shared login cancels", async () => {
    const sim = await h.start({ latencyMs: 300 });
    const source = h.source({ concurrency: 4 });
    const cancelled = source.viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW).subscribe();
    const other = collect(source.viewResults$(peopleCounterQuery(sim), "Building B", HOUR_WINDOW));
    await waitUntil(() => sim.requestCount("token") === 1, "the login reaches the simulator");
    cancelled.unsubscribe();
    const results = await other;
    expect(results[0]?.location).to.equal("Building B");
    expect(sim.requestCount("token")).to.equal(1);
    expect(sim.requests.filter((r) => r.endpoint === "view").map((r) => r.query.loc1)).to.deep.equal([
      "Building B",
    ]);
  });
});

describe("MicroshareSource close", () => {
  const h = useHarness();

  it('fails the calls in flight with "aborted", without retrying, and refuses new ones', async () => {
    const sim = await h.start();
    const source = h.source({ concurrency: 1, maxRetries: 5 });
    await lastValueFrom(
      source.locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    sim.configure({ latencyMs: 10_000 });
    const inFlight = failureOf(source.viewResults$(peopleCounterQuery(sim), "Building A", HOUR_WINDOW));
    const queued = failureOf(source.viewResults$(peopleCounterQuery(sim), "Building B", HOUR_WINDOW));
    await waitUntil(() => sim.requestCount("view") === 1, "the first view call reaches the simulator");
    const closedAt = Date.now();
    source.close();
    const [first, second] = await Promise.all([inFlight, queued]);
    expect(Date.now() - closedAt).to.be.below(1000);
    expect([first.code, second.code]).to.deep.equal(["aborted", "aborted"]);
    expect(second.message).to.contain("closed");
    const after = await failureOf(source.viewResults$(peopleCounterQuery(sim), "Building C", HOUR_WINDOW));
    expect(after.code).to.equal("aborted");
    expect(sim.requests.filter((r) => r.endpoint === "view").map((r) => r.query.loc1)).to.deep.equal([
      "Building A",
    ]);
    source.close();
  });
});
