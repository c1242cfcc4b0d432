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
    const begun = performance.now();
    await collect(
      from(locations).pipe(
        mergeMap((l) => source.viewResults$(peopleCounterQuery(sim), l.name, HOUR_WINDOW)),
      ),
    );
    expect(sim.requests.filter((r) => r.endpoint === "view")).to.have.length(6);
    expect(starts).to.have.length(6);
    starts.sort((a, b) => a - b);
    // 20 per second = one start every 50 ms from the first, which is let go no earlier than
    // `begun`: the k-th request cannot start before begun + k × 50 ms (2 ms of clock rounding
    // aside). A lower bound from a fixed point, not the gap between two measured starts: the
    // hook sees a start only after the token is read, which a busy machine delays by a few ms
    // for one request and not the next, so two starts can look closer than the limiter let them go.
    starts.forEach((start, k) => expect(start - begun, `start ${k}`).to.be.at.least(50 * k - 2));
  });
});
