import { expect } from "chai";
import { lastValueFrom, mergeMap, from } from "rxjs";
import { collect, HOUR_WINDOW, PC_CLUSTER_RECTYPE, peopleCounterQuery, useHarness } from "./sourceTestKit.js";

describe("MicroshareSource request limits", () => {
  const h = useHarness();

  it("keeps at most `concurrency` view calls in flight across locations", async () => {
    const sim = await h.start({ buildings: 8, latencyMs: 60 });
    const source = h.source({ concurrency: 3 });
    const locations = await lastValueFrom(
      source.locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    expect(locations).to.have.length(8);
    // The caller merges without a limit: only the source's limiter holds the line.
    const results = await collect(
      from(locations).pipe(
        mergeMap((l) => source.viewResults$(peopleCounterQuery(sim), l.name, HOUR_WINDOW)),
      ),
    );
    expect(results.map((r) => r.location).sort()).to.deep.equal(locations.map((l) => l.name));
    expect(sim.requestCount("view")).to.equal(8);
    expect(sim.maxInFlight("view")).to.equal(3);
  });

  it("spaces request starts at requestsPerSecond", async () => {
    const sim = await h.start({ buildings: 6 });
    const source = h.source({ concurrency: 6, requestsPerSecond: 20 });
    const locations = await lastValueFrom(
      source.locations$({
        packedRecType: PC_CLUSTER_RECTYPE,
        clusterId: sim.ids.peopleCounterClusterId,
        locationPrefix: "",
      }),
    );
    await collect(
      from(locations).pipe(
        mergeMap((l) => source.viewResults$(peopleCounterQuery(sim), l.name, HOUR_WINDOW)),
      ),
    );
    const starts = sim.requests.filter((r) => r.endpoint === "view").map((r) => r.startedAt);
    expect(starts).to.have.length(6);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // 20 per second = one start every 50 ms. Starts are seen at the server, so a gap can shrink
    // by the difference in transit time of two requests: allow 10%.
    for (const gap of gaps) expect(gap).to.be.at.least(45);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).to.be.at.least(5 * 50 - 5);
  });
});
