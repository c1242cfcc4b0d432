import { expect } from "chai";
import { lastKnownReading } from "../../src/runtime/lastKnownReading.js";

/** A read the test answers by hand: what a store that hangs, fails or answers looks like. */
function controlledRead() {
  const pending: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  return {
    calls: () => pending.length,
    read: () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject })),
    answer: (value: number) => pending.at(-1)?.resolve(value),
    fail: (message: string) => pending.at(-1)?.reject(new Error(message)),
  };
}

describe("lastKnownReading", () => {
  it("gives the fresh value, then the last one, stale, while the store does not answer, with one read in flight", async () => {
    const store = controlledRead();
    const reading = lastKnownReading(store.read, -1, 20);
    const first = reading();
    store.answer(7);
    expect(await first).to.include({ value: 7, fresh: true });

    // The store hangs: both calls answer, stale, and share the one read.
    const [a, b] = await Promise.all([reading(), reading()]);
    expect(store.calls()).to.equal(2);
    for (const r of [a, b]) {
      expect(r).to.include({ value: 7, fresh: false });
      expect(r.error).to.equal("the state store did not answer within 20 ms");
      expect(r.readAt).to.be.instanceOf(Date);
    }
    // Still hanging: no new read is started on top of it.
    await reading();
    expect(store.calls()).to.equal(2);
    // It answers at last: the call waiting on it is fresh.
    const late = reading();
    store.answer(8);
    expect(await late).to.include({ value: 8, fresh: true });
    // The next call starts a new read, which fails: the value stays the last good one.
    const next = reading();
    expect(store.calls()).to.equal(3);
    store.fail("connection closed");
    expect(await next).to.include({ value: 8, fresh: false, error: "connection closed" });
  });

  it("gives the initial value and no time before the store ever answered", async () => {
    const store = controlledRead();
    const r = await lastKnownReading(store.read, -1, 10)();
    expect(r).to.deep.equal({
      value: -1,
      fresh: false,
      readAt: undefined,
      error: "the state store did not answer within 10 ms",
    });
  });
});
