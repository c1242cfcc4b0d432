import { expect } from "chai";
import { defer, lastValueFrom, of, Subject } from "rxjs";
import { runTick } from "../../src/engine/runTick.js";
import { exitCodeOf } from "../../src/engine/tickSummary.js";
import { EXIT } from "../../src/model/exitCodes.js";
import { HOUR } from "../../src/model/time.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";
import { RedisTestState } from "../state/redisTestHarness.js";
import { AcknowledgingSink, lineOf, standInContext, standInDefinition, START } from "./engineTestKit.js";

/** The tick's now: each location reads an hour of lookback before its watermark, then three hours. */
const NOW = START + 3 * HOUR;
const twoLines = standInDefinition(
  (unit) =>
    of(
      lineOf(`${unit.location}-${unit.window.from.getTime()}-1`, unit.location, unit.window.from),
      lineOf(`${unit.location}-${unit.window.from.getTime()}-2`, unit.location, unit.window.from),
    ),
  ["L1", "L2"],
);

describe("runTick (plan → process locations → summary, against a real Redis)", () => {
  let redis: RedisTestState;
  let store: RedisStateStore;
  let sink: AcknowledgingSink;

  beforeEach(async () => {
    redis = new RedisTestState();
    store = redis.open().store;
    sink = new AcknowledgingSink(["a", "b"]);
    // Both locations were last settled three hours before now.
    for (const location of ["L1", "L2"])
      await store.settleWindow({
        pipeline: "p",
        location,
        window: { from: new Date(START - HOUR), to: new Date(START) },
        delivered: [],
        deliveredUntil: new Date(NOW + HOUR),
        advanceWatermark: true,
      });
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  const tick = (stop$?: Subject<void>, definition = twoLines) =>
    lastValueFrom(
      runTick(
        definition,
        standInContext(),
        { store, sink, dedupe: true },
        { now: NOW, ...(stop$ ? { stop$ } : {}) },
      ),
    );

  it("plans each location from its watermark, delivers every window and sums what every hub did", async () => {
    const summary = await tick();
    expect(summary).to.deep.include({
      locations: 2,
      windows: { planned: 8, settled: 8, failed: 0 },
      fetched: 16,
      events: 16,
      hubs: { a: { acknowledged: 16, deadLettered: 0 }, b: { acknowledged: 16, deadLettered: 0 } },
    });
    expect(exitCodeOf(summary)).to.equal(EXIT.ok);
    expect((await store.watermarks("p")).get("L2")).to.deep.equal(new Date(NOW));
    // A second tick re-reads the lookback hour and sends nothing twice.
    sink.deliveries.length = 0;
    const again = await tick();
    expect(again).to.deep.include({ fetched: 4, duplicatesSkipped: 4, events: 0 });
  });

  it("a stop that comes while the locations are listed admits no window; the tick ends with nothing moved", async () => {
    const stop$ = new Subject<void>();
    const stopWhileListing = {
      ...twoLines,
      locations: () =>
        defer(() => {
          stop$.next();
          return of([{ name: "L1", clusterName: "L1" }]);
        }),
    };
    const summary = await tick(stop$, stopWhileListing);
    expect(summary.windows).to.deep.equal({ planned: 4, settled: 0, failed: 0 });
    expect(sink.deliveries).to.deep.equal([]);
    expect((await store.watermarks("p")).get("L1")).to.deep.equal(new Date(START));
  });

  it("a stop during a delivery lets the admitted windows settle and admits no more", async () => {
    const stop$ = new Subject<void>();
    let open: () => void = () => undefined;
    sink.gate = new Promise((resolve) => (open = resolve));
    let begun = 0;
    sink.onDelivery = () => {
      begun += 1;
      // Both locations have their first window in delivery: stop, then let them finish.
      if (begun === 2) {
        stop$.next();
        open();
      }
    };
    const summary = await tick(stop$);
    expect(summary.windows).to.deep.equal({ planned: 8, settled: 2, failed: 0 });
    // Each location's first window (the lookback hour) was sent and committed, nothing after it.
    expect(sink.deliveries.map((d) => d.from)).to.deep.equal([START - HOUR, START - HOUR]);
    const idsOf = (from: number) => [`L1-${from}-1`, `L1-${from}-2`];
    expect((await store.deliveredAmong("p", "L1", idsOf(START - HOUR))).size).to.equal(2);
    expect((await store.deliveredAmong("p", "L1", idsOf(START))).size).to.equal(0);
    expect((await store.watermarks("p")).get("L1")).to.deep.equal(new Date(START));
  });

  it("a window whose lines say they may be incomplete is reported per location, with exit code 5", async () => {
    const truncated = standInDefinition(
      (unit) => of(lineOf(`${unit.window.from.getTime()}`, unit.location, unit.window.from, "still full")),
      ["L1"],
    );
    const summary = await tick(undefined, truncated);
    expect(summary.incompleteLocations).to.deep.equal({ L1: "still full" });
    expect(exitCodeOf(summary)).to.equal(EXIT.incomplete);
  });
});
