import { expect } from "chai";
import { timeWindow } from "../../src/model/timeWindow.js";
import type { Lease, StateStore, WindowSettlement } from "../../src/state/stateStore.js";
import { waitUntil } from "./waitUntil.js";

/** One test's state: `open` gives a new store instance on it (the first on empty state). */
export interface StateStoreHarness {
  open(): Promise<StateStore>;
  /** Closes every opened store and deletes the state. */
  cleanup(): Promise<void>;
}

const P = "peoplecounter";
const HOUR = 3_600_000;

function settlement(overrides: Partial<WindowSettlement> = {}): WindowSettlement {
  return {
    pipeline: P,
    location: "building-1",
    window: timeWindow("2024-05-01T12:00:00Z", "2024-05-01T12:15:00Z"),
    delivered: [],
    deliveredUntil: new Date(Date.now() + HOUR),
    ...overrides,
  };
}

/** Registers the StateStore contract: every implementation must pass all of it. */
export function stateStoreContract(makeHarness: () => StateStoreHarness): void {
  let harness: StateStoreHarness;
  let store: StateStore;

  beforeEach(async () => {
    harness = makeHarness();
    store = await harness.open();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  async function expiredLease(owner: string): Promise<Lease> {
    const lease = await store.acquireLease(P, owner, 50);
    expect(lease, "lease should be free").to.not.equal(undefined);
    let probe: Lease | undefined;
    await waitUntil(
      async () => (probe = await store.acquireLease(P, "probe", 60_000)) !== undefined,
      "lease expired",
    );
    await store.releaseLease(probe!);
    return lease!;
  }

  describe("watermarks", () => {
    it("starts with no watermark and records the end of a settled window", async () => {
      expect((await store.watermarks(P)).size).to.equal(0);
      expect(await store.settleWindow(settlement())).to.equal("committed");
      expect((await store.watermarks(P)).get("building-1")?.toISOString()).to.equal(
        "2024-05-01T12:15:00.000Z",
      );
    });

    it("never moves a watermark backwards, but still records the earlier window's ids", async () => {
      await store.settleWindow(
        settlement({ window: timeWindow("2024-05-01T12:15:00Z", "2024-05-01T12:30:00Z") }),
      );
      await store.settleWindow(settlement({ delivered: ["late-id"] }));
      expect((await store.watermarks(P)).get("building-1")?.toISOString()).to.equal(
        "2024-05-01T12:30:00.000Z",
      );
      expect([...(await store.deliveredAmong(P, "building-1", ["late-id"]))]).to.deep.equal(["late-id"]);
      await store.settleWindow(
        settlement({ window: timeWindow("2024-05-01T12:30:00Z", "2024-05-01T12:45:00Z") }),
      );
      expect((await store.watermarks(P)).get("building-1")?.toISOString()).to.equal(
        "2024-05-01T12:45:00.000Z",
      );
    });

    it("records ids without moving the watermark when advanceWatermark is false", async () => {
      await store.settleWindow(
        settlement({ window: timeWindow("2024-05-01T12:00:00Z", "2024-05-01T12:15:00Z") }),
      );
      await store.settleWindow(
        settlement({
          window: timeWindow("2024-05-01T12:15:00Z", "2024-05-03T00:00:00Z"),
          delivered: ["range-id"],
          advanceWatermark: false,
        }),
      );
      expect((await store.watermarks(P)).get("building-1")?.toISOString()).to.equal(
        "2024-05-01T12:15:00.000Z",
      );
      expect([...(await store.deliveredAmong(P, "building-1", ["range-id"]))]).to.deep.equal(["range-id"]);
      await store.settleWindow(settlement({ location: "building-9", advanceWatermark: false }));
      expect((await store.watermarks(P)).has("building-9")).to.equal(false);
    });

    it("keeps locations and pipelines independent", async () => {
      await store.settleWindow(settlement({ location: "building-2" }));
      await store.settleWindow(settlement({ pipeline: "snapshot", location: "building-3" }));
      expect([...(await store.watermarks(P)).keys()]).to.deep.equal(["building-2"]);
      expect([...(await store.watermarks("snapshot")).keys()]).to.deep.equal(["building-3"]);
    });
  });

  describe("density estimates", () => {
    it("are kept with the watermark, per location, across instances; a settlement without one leaves it", async () => {
      expect((await store.densities(P)).size).to.equal(0);
      await store.settleWindow(settlement({ delivered: ["id-1"], linesPerHour: 12.5 }));
      await store.settleWindow(settlement({ location: "building-2", linesPerHour: 0 }));
      await store.settleWindow(
        settlement({ window: timeWindow("2024-05-01T12:15:00Z", "2024-05-01T12:30:00Z") }),
      );
      const again = await harness.open();
      expect(Object.fromEntries(await again.densities(P))).to.deep.equal({
        "building-1": 12.5,
        "building-2": 0,
      });
      expect((await again.densities("snapshot")).size).to.equal(0);
    });

    it("is written with the window or not at all: a stale fence writes none, a bad value is refused", async () => {
      const stale = await expiredLease("instance-a");
      await store.acquireLease(P, "instance-b", 60_000);
      expect(await store.settleWindow(settlement({ linesPerHour: 7, fence: stale }))).to.equal("fenced");
      for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY])
        await store.settleWindow(settlement({ linesPerHour: bad })).then(
          () => expect.fail(`linesPerHour ${bad} was accepted`),
          (error: unknown) => expect(String(error)).to.include("linesPerHour"),
        );
      expect((await store.densities(P)).size).to.equal(0);
      expect((await store.watermarks(P)).size).to.equal(0);
    });
  });

  describe("fenced settlement", () => {
    it("commits with the current lease", async () => {
      const lease = await store.acquireLease(P, "instance-a", 60_000);
      expect(await store.settleWindow(settlement({ delivered: ["id-1"], fence: lease! }))).to.equal(
        "committed",
      );
      expect((await store.watermarks(P)).has("building-1")).to.equal(true);
    });

    it("writes nothing, neither ids nor watermark, with a stale fence", async () => {
      const stale = await expiredLease("instance-a");
      const current = await store.acquireLease(P, "instance-b", 60_000);
      expect(current?.fence).to.be.greaterThan(stale.fence);
      const result = await store.settleWindow(settlement({ delivered: ["id-1", "id-2"], fence: stale }));
      expect(result).to.equal("fenced");
      expect((await store.watermarks(P)).size).to.equal(0);
      expect((await store.deliveredAmong(P, "building-1", ["id-1", "id-2"])).size).to.equal(0);
    });

    it("refuses a released lease and a forged fence number", async () => {
      const lease = await store.acquireLease(P, "instance-a", 60_000);
      expect(
        await store.settleWindow(settlement({ fence: { ...lease!, fence: lease!.fence + 1 } })),
      ).to.equal("fenced");
      await store.releaseLease(lease!);
      expect(await store.settleWindow(settlement({ delivered: ["x"], fence: lease! }))).to.equal("fenced");
      expect((await store.watermarks(P)).size).to.equal(0);
    });
  });

  describe("lease", () => {
    it("blocks another owner while live and grows the fence with every new holder", async () => {
      const a = await store.acquireLease(P, "instance-a", 60_000);
      expect(a?.owner).to.equal("instance-a");
      expect(a!.expiresAt.getTime()).to.be.greaterThan(Date.now() + 50_000);
      expect(await store.acquireLease(P, "instance-b", 60_000)).to.equal(undefined);
      await store.releaseLease(a!);
      const b = await store.acquireLease(P, "instance-b", 60_000);
      expect(b!.fence).to.be.greaterThan(a!.fence);
      await store.releaseLease(b!);
      const c = await store.acquireLease(P, "instance-a", 60_000);
      expect(c!.fence).to.be.greaterThan(b!.fence);
    });

    it("lets another owner take over an expired lease", async () => {
      const a = await store.acquireLease(P, "instance-a", 50);
      let b: Lease | undefined;
      await waitUntil(
        async () => (b = await store.acquireLease(P, "instance-b", 60_000)) !== undefined,
        "a expired",
      );
      expect(b!.fence).to.be.greaterThan(a!.fence);
      expect(await store.acquireLease(P, "instance-a", 60_000)).to.equal(undefined);
    });

    it("renews for the same owner with the same fence and a later expiry", async () => {
      const first = await store.acquireLease(P, "instance-a", 30_000);
      const renewed = await store.acquireLease(P, "instance-a", 60_000);
      expect(renewed!.fence).to.equal(first!.fence);
      expect(renewed!.expiresAt.getTime()).to.be.greaterThan(first!.expiresAt.getTime());
      expect(await store.settleWindow(settlement({ fence: first! }))).to.equal("committed");
    });

    it("ignores a release by a holder that lost the lease", async () => {
      const stale = await expiredLease("instance-a");
      const current = await store.acquireLease(P, "instance-b", 60_000);
      await store.releaseLease(stale);
      expect(await store.acquireLease(P, "instance-c", 60_000)).to.equal(undefined);
      expect(await store.settleWindow(settlement({ fence: current! }))).to.equal("committed");
    });

    it("keeps leases of different pipelines apart", async () => {
      expect(await store.acquireLease(P, "instance-a", 60_000)).to.not.equal(undefined);
      expect(await store.acquireLease("snapshot", "instance-b", 60_000)).to.not.equal(undefined);
    });
  });

  describe("delivered ids", () => {
    it("returns those already delivered for the location, in the order asked", async () => {
      await store.settleWindow(settlement({ delivered: ["a", "b", "c"] }));
      const found = await store.deliveredAmong(P, "building-1", ["z", "c", "a", "y"]);
      expect([...found]).to.deep.equal(["c", "a"]);
      expect((await store.deliveredAmong(P, "building-2", ["a"])).size).to.equal(0);
      expect((await store.deliveredAmong(P, "building-1", [])).size).to.equal(0);
    });

    it("ignores ids whose keep-until has passed", async () => {
      await store.settleWindow(
        settlement({ delivered: ["old"], deliveredUntil: new Date(Date.now() - 1000) }),
      );
      await store.settleWindow(settlement({ delivered: ["new"] }));
      expect([...(await store.deliveredAmong(P, "building-1", ["old", "new"]))]).to.deep.equal(["new"]);
    });

    it("keeps the later keep-until when an id is recorded twice", async () => {
      await store.settleWindow(
        settlement({ delivered: ["twice"], deliveredUntil: new Date(Date.now() + 2 * HOUR) }),
      );
      await store.settleWindow(
        settlement({ delivered: ["twice"], deliveredUntil: new Date(Date.now() + HOUR) }),
      );
      expect(await store.pruneDelivered(P, new Date(Date.now() + 1.5 * HOUR))).to.equal(0);
      expect((await store.deliveredAmong(P, "building-1", ["twice"])).size).to.equal(1);
    });

    it("prunes ids kept until before the given time, across locations, and counts them", async () => {
      const soon = new Date(Date.now() + HOUR);
      const later = new Date(Date.now() + 3 * HOUR);
      await store.settleWindow(settlement({ delivered: ["a1", "a2"], deliveredUntil: soon }));
      await store.settleWindow(
        settlement({ location: "building-2", delivered: ["b1"], deliveredUntil: soon }),
      );
      await store.settleWindow(
        settlement({ location: "building-2", delivered: ["b2"], deliveredUntil: later }),
      );
      expect(await store.pruneDelivered(P, new Date(Date.now() + 2 * HOUR))).to.equal(3);
      expect([...(await store.deliveredAmong(P, "building-2", ["b1", "b2"]))]).to.deep.equal(["b2"]);
      expect(await store.pruneDelivered(P, new Date(Date.now() + 2 * HOUR))).to.equal(0);
      expect((await store.watermarks(P)).size).to.equal(2);
    });
  });

  describe("cached values", () => {
    it("returns a value until it expires, then undefined", async () => {
      await store.setCached("token", "abc", new Date(Date.now() + 60_000));
      expect(await store.getCached("token")).to.equal("abc");
      await store.setCached("short", "xyz", new Date(Date.now() + 50));
      expect(await store.getCached("short")).to.equal("xyz");
      await waitUntil(async () => (await store.getCached("short")) === undefined, "the value expired");
      expect(await store.getCached("token")).to.equal("abc");
    });

    it("overwrites, deletes, and treats a past expiry as absent", async () => {
      await store.setCached("token", "one", new Date(Date.now() + 60_000));
      await store.setCached("token", "two", new Date(Date.now() + 60_000));
      expect(await store.getCached("token")).to.equal("two");
      await store.deleteCached("token");
      expect(await store.getCached("token")).to.equal(undefined);
      await store.setCached("token", "stale", new Date(Date.now() - 1000));
      expect(await store.getCached("token")).to.equal(undefined);
      await store.deleteCached("never-set");
    });
  });

  describe("counters and last tick", () => {
    it("adds deltas per pipeline", async () => {
      expect(await store.counters(P)).to.deep.equal({});
      await store.incrementCounters(P, { fetched: 10, sent: 7 });
      await store.incrementCounters(P, { fetched: 5, duplicates: 3 });
      await store.incrementCounters("snapshot", { fetched: 1 });
      expect(await store.counters(P)).to.deep.equal({ fetched: 15, sent: 7, duplicates: 3 });
      expect(await store.counters("snapshot")).to.deep.equal({ fetched: 1 });
    });

    it("refuses a non-integer delta without writing", async () => {
      let error: unknown;
      await store.incrementCounters(P, { ok: 1, bad: 0.5 }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
      expect(await store.counters(P)).to.deep.equal({});
    });

    it("round-trips the last tick summary as JSON", async () => {
      expect(await store.lastTick(P)).to.equal(undefined);
      const summary = {
        at: "2024-05-01T12:15:00.000Z",
        events: 42,
        hubs: [{ name: "hub-a", ok: true }],
        note: null,
      };
      await store.setLastTick(P, summary);
      expect(await store.lastTick(P)).to.deep.equal(summary);
      expect(await store.lastTick("snapshot")).to.equal(undefined);
    });
  });

  describe("resume point", () => {
    it("keeps a resume point per pipeline across instances, and clears it", async () => {
      expect(await store.resumeFrom(P)).to.equal(undefined);
      const at = new Date("2025-11-14T12:00:04.000Z");
      await store.setResumeFrom(P, at);
      const reopened = await harness.open();
      expect((await reopened.resumeFrom(P))?.toISOString()).to.equal(at.toISOString());
      expect(await reopened.resumeFrom("snapshot")).to.equal(undefined);
      await reopened.setResumeFrom(P, undefined);
      expect(await store.resumeFrom(P)).to.equal(undefined);
    });

    it("refuses an invalid date without writing", async () => {
      let error: unknown;
      await store.setResumeFrom(P, new Date(Number.NaN)).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
      expect(await store.resumeFrom(P)).to.equal(undefined);
    });
  });

  describe("concurrency and durability", () => {
    it("lands 100 concurrent settlements of different locations", async () => {
      const lease = await store.acquireLease(P, "instance-a", 60_000);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.settleWindow(
            settlement({ location: `building-${i}`, delivered: [`id-${i}`], fence: lease! }),
          ),
        ),
      );
      expect(results.every((r) => r === "committed")).to.equal(true);
      const watermarks = await store.watermarks(P);
      expect(watermarks.size).to.equal(100);
      expect((await store.deliveredAmong(P, "building-99", ["id-99"])).size).to.equal(1);
    });

    it("sums 50 concurrent counter increments", async () => {
      await Promise.all(Array.from({ length: 50 }, () => store.incrementCounters(P, { sent: 1, bytes: 10 })));
      expect(await store.counters(P)).to.deep.equal({ sent: 50, bytes: 500 });
    });

    it("keeps state for a new instance, and close is idempotent", async () => {
      await store.settleWindow(settlement({ delivered: ["kept"] }));
      await store.incrementCounters(P, { sent: 2 });
      const lease = await store.acquireLease(P, "instance-a", 60_000);
      await store.close();
      await store.close();
      const reopened = await harness.open();
      expect((await reopened.watermarks(P)).get("building-1")?.toISOString()).to.equal(
        "2024-05-01T12:15:00.000Z",
      );
      expect((await reopened.deliveredAmong(P, "building-1", ["kept"])).size).to.equal(1);
      expect(await reopened.counters(P)).to.deep.equal({ sent: 2 });
      expect(await reopened.acquireLease(P, "instance-b", 60_000)).to.equal(undefined);
      expect(await reopened.settleWindow(settlement({ fence: lease! }))).to.equal("committed");
    });
  });
}
