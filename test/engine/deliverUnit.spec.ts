import { expect } from "chai";
import { firstValueFrom, of, throwError } from "rxjs";
import { commitUnit, deliverUnit, type UnitDependencies } from "../../src/engine/processUnit.js";
import type { RedisStateStore } from "../../src/state/redisStateStore.js";
import { RedisTestState } from "../state/redisTestHarness.js";
import { AcknowledgingSink, hourUnits, lineOf, standInContext, standInDefinition } from "./engineTestKit.js";

const [earlier, unit] = hourUnits(2) as [ReturnType<typeof hourUnits>[0], ReturnType<typeof hourUnits>[0]];
const at = unit.window.from;

describe("deliverUnit and commitUnit (one unit's path, against a real Redis)", () => {
  let redis: RedisTestState;
  let store: RedisStateStore;
  let sink: AcknowledgingSink;
  const deps = (overrides: Partial<UnitDependencies> = {}): UnitDependencies => ({
    store,
    sink,
    dedupe: true,
    deliveredMarginInMs: 0,
    ...overrides,
  });

  beforeEach(async () => {
    redis = new RedisTestState();
    store = redis.open().store;
    sink = new AcknowledgingSink(["a", "b"]);
    // "b" was delivered by an earlier window (the late-data lookback reads it again).
    await store.settleWindow({
      pipeline: "p",
      location: "L",
      window: earlier.window,
      delivered: ["b"],
      deliveredUntil: new Date(Date.now() + 60_000),
      advanceWatermark: true,
    });
  });
  afterEach(async () => {
    await redis.cleanup();
  });

  const read = of(lineOf("a", "L", at), lineOf("b", "L", at), lineOf("a", "L", at), lineOf("c", "L", at));
  const definition = standInDefinition(() => read);

  it("sends only new lines, counts what was read and skipped from the lines themselves, and commits their ids with the watermark", async () => {
    const delivered = await firstValueFrom(deliverUnit(definition, standInContext(), deps(), unit));
    expect(sink.deliveries.map((d) => d.ids)).to.deep.equal([["a", "c"]]);
    expect(delivered).to.include({ fetched: 4, duplicates: 1 });
    expect(delivered.delivered).to.deep.equal(["a", "c"]);
    expect(delivered.report.hubs.map((h) => [h.hub, h.acknowledged])).to.deep.equal([
      ["a", 2],
      ["b", 2],
    ]);

    const outcome = await commitUnit(definition, deps(), delivered, unit);
    expect(outcome).to.deep.include({ state: "settled", fetched: 4, duplicates: 1, events: 2 });
    expect([...(await store.deliveredAmong("p", "L", ["a", "c", "x"]))]).to.deep.equal(["a", "c"]);
    expect((await store.watermarks("p")).get("L")).to.deep.equal(unit.window.to);
  });

  it("a forced re-send (no dedupe) sends lines delivered before again, but a line repeated within the unit once", async () => {
    const delivered = await firstValueFrom(
      deliverUnit(definition, standInContext(), deps({ dedupe: false }), unit),
    );
    expect(sink.deliveries.map((d) => d.ids)).to.deep.equal([["a", "b", "c"]]);
    expect(delivered).to.include({ fetched: 4, duplicates: 0 });
  });

  it("carries a truncated response's reason from its lines to the unit's outcome", async () => {
    const truncated = standInDefinition(() =>
      of(lineOf("x", "L", at, "still full"), lineOf("y", "L", at, "again")),
    );
    const delivered = await firstValueFrom(deliverUnit(truncated, standInContext(), deps(), unit));
    expect(delivered.incomplete).to.equal("still full");
    const outcome = await commitUnit(truncated, deps(), delivered, unit);
    expect(outcome).to.deep.include({ state: "settled", incomplete: "still full" });
  });

  it("a sink that fails, or a read that fails midway, leaves nothing committed", async () => {
    sink.failWith = new Error("DLQ write failed");
    let error: unknown;
    await firstValueFrom(deliverUnit(definition, standInContext(), deps(), unit)).catch(
      (e: unknown) => (error = e),
    );
    expect((error as Error).message).to.equal("DLQ write failed");

    const broken = standInDefinition(() => throwError(() => new Error("view down")));
    sink.failWith = undefined;
    await firstValueFrom(deliverUnit(broken, standInContext(), deps(), unit)).catch(
      (e: unknown) => (error = e),
    );
    expect((error as Error).message).to.equal("view down");
    expect((await store.deliveredAmong("p", "L", ["a", "c"])).size).to.equal(0);
    expect((await store.watermarks("p")).get("L")).to.deep.equal(earlier.window.to);
  });
});
