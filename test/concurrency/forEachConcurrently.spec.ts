import { expect } from "chai";
import { forEachConcurrently } from "../../src/concurrency/forEachConcurrently.js";

/** A promise the test settles by hand. */
function gate(): { promise: Promise<void>; open: () => void; fail: (error: Error) => void } {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe("forEachConcurrently", () => {
  it("runs at most `limit` items at once and every item once", async () => {
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const done = forEachConcurrently([0, 1, 2, 3, 4], 2, async (i) => {
      started.push(i);
      await gates[i]!.promise;
    });
    await Promise.resolve();
    expect(started).to.deep.equal([0, 1]);
    gates[1]!.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([0, 1, 2]);
    for (const g of gates) g.open();
    await done;
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
  });

  it("starts nothing after a failure, waits for the items running, then throws the first error", async () => {
    const gates = Array.from({ length: 4 }, gate);
    const started: number[] = [];
    let finishedAfterFailure = false;
    const done = forEachConcurrently([0, 1, 2, 3], 2, async (i) => {
      started.push(i);
      await gates[i]!.promise;
      if (i === 1) finishedAfterFailure = true;
    }).catch((e: unknown) => e);
    await Promise.resolve();
    gates[0]!.fail(new Error("first"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).to.deep.equal([0, 1]);
    gates[1]!.open();
    const error = await done;
    expect((error as Error).message).to.equal("first");
    expect(finishedAfterFailure).to.equal(true);
    expect(started).to.deep.equal([0, 1]);
  });

  it("does nothing for no items", async () => {
    let calls = 0;
    await forEachConcurrently([], 4, async () => {
      calls += 1;
    });
    expect(calls).to.equal(0);
  });
});
