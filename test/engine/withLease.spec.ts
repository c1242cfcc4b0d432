import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { firstValueFrom, lastValueFrom, NEVER, Subject, timer, map, toArray } from "rxjs";
import { asLeader, withLease } from "../../src/engine/withLease.js";
import { createFileState } from "../../src/state/createStateStore.js";
import type { StateStore } from "../../src/state/stateStore.js";

/** A real store whose acquireLease fails the next `failures` calls: a store that blips. */
function blipping(store: StateStore): { store: StateStore; fail(n: number): void; calls(): number } {
  let failures = 0;
  let calls = 0;
  const wrapped = Object.create(store) as StateStore;
  wrapped.acquireLease = (pipeline, owner, ttl) => {
    calls += 1;
    if (failures > 0) {
      failures -= 1;
      return Promise.reject(new Error("store unreachable (failover)"));
    }
    return store.acquireLease(pipeline, owner, ttl);
  };
  return { store: wrapped, fail: (n) => (failures = n), calls: () => calls };
}

describe("lease holding", () => {
  let dir: string;
  let real: StateStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lease-"));
    real = (await createFileState(dir)).store;
  });
  afterEach(async () => {
    await real.close();
    // Retries: the lease release on teardown is fire-and-forget and may still be writing.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
  });

  it("keeps working through a failed renewal while the lease has not expired", async () => {
    const flaky = blipping(real);
    // TTL 3 s, renewals every 1 s: one failed renewal leaves 2 s of lease.
    const run = withLease({ store: flaky.store, pipeline: "p", owner: "me", ttlInMs: 3_000 }, () => {
      flaky.fail(1);
      return timer(2_500).pipe(map(() => "finished"));
    });
    expect(await lastValueFrom(run)).to.equal("finished");
    expect(flaky.calls()).to.be.at.least(3); // acquire, a failed renewal, a good one
  });

  it("a standby keeps polling through store errors and leads once the lease is free", async () => {
    const holder = await real.acquireLease("p", "other", 60_000);
    const flaky = blipping(real);
    flaky.fail(2);
    let standby = false;
    let unreachableTold = 0;
    const led = firstValueFrom(
      asLeader(
        { store: flaky.store, pipeline: "p", owner: "me", ttlInMs: 300 },
        NEVER,
        (lease) => timer(0).pipe(map(() => lease.owner)),
        { onStandby: () => (standby = true), onStoreUnreachable: () => (unreachableTold += 1) },
      ).pipe(toArray()),
    );
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (flaky.calls() >= 4) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    expect(standby).to.equal(true);
    expect(unreachableTold, "told once, not per failed attempt").to.equal(1);
    await real.releaseLease(holder!);
    expect(await led).to.deep.equal(["me"]);
  });

  it("a leader whose lease lapses while the store is away waits, takes the lease again and works on", async () => {
    const flaky = blipping(real);
    const told: string[] = [];
    let round = 0;
    const fences: number[] = [];
    const worked = lastValueFrom(
      asLeader(
        { store: flaky.store, pipeline: "p", owner: "me", ttlInMs: 300 },
        NEVER,
        (lease) => {
          round += 1;
          fences.push(lease.fence);
          // First round: the store goes away for longer than the TTL (renewals every 100 ms
          // fail past the 300 ms expiry), so the lease lapses; the second round ends normally.
          if (round === 1) flaky.fail(8);
          return round === 1 ? NEVER : timer(0).pipe(map(() => "second round"));
        },
        {
          onStandby: () => told.push("standby"),
          onStoreUnreachable: () => told.push("unreachable"),
          onStoreBack: () => told.push("back"),
        },
      ).pipe(toArray()),
    );
    expect(await worked).to.deep.equal(["second round"]);
    expect(told).to.deep.equal(["unreachable", "back"]);
    expect(fences).to.have.length(2);
    expect(fences[1]).to.be.greaterThan(fences[0]!);
  });

  it("a standby stops waiting when told to stop", async () => {
    await real.acquireLease("p", "other", 60_000);
    const stop = new Subject<void>();
    const waiting = lastValueFrom(
      asLeader({ store: real, pipeline: "p", owner: "me", ttlInMs: 300 }, stop, () => timer(0)).pipe(
        toArray(),
      ),
    );
    stop.next();
    expect(await waiting).to.deep.equal([]);
  });
});
