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
    // Starts as the limiter let them go (the request's own clock, not the server's: on a busy
    // machine two requests' transit times differ by more than any tolerance).
    const starts: number[] = [];
    const source = h.source(
      { concurrency: 6, requestsPerSecond: 20 },
      {
        observer: {
          onRequest: (endpoint, _outcome, durationInMs) => {
            if (endpoint.includes("(view)")) starts.push(performance.now() - durationInMs);
          },
        },
      },
    );
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
    expect(sim.requests.filter((r) => r.endpoint === "view")).to.have.length(6);
    expect(starts).to.have.length(6);
    starts.sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    // 20 per second = one start every 50 ms; a timer never fires early (1 ms of rounding aside),
    // only late, so no gap is shorter.
    for (const gap of gaps) expect(gap).to.be.at.least(49);
  });
});
