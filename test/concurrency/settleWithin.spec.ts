import { expect } from "chai";
import { settleWithin } from "../../src/concurrency/settleWithin.js";

describe("settleWithin", () => {
  it("is true for work that settles in time, fulfilled or rejected", async () => {
    expect(await settleWithin(Promise.resolve("done"), 1000)).to.equal(true);
    expect(await settleWithin(Promise.reject(new Error("peer said no")), 1000)).to.equal(true);
  });

  it("is false for work that never settles, and ends at the bound instead of waiting", async () => {
    const never = new Promise<never>(() => undefined);
    expect(await settleWithin(never, 20)).to.equal(false);
  });

  it("swallows a rejection that comes after the bound", async () => {
    let reject: (error: Error) => void = () => undefined;
    const late = new Promise<never>((_, r) => (reject = r));
    expect(await settleWithin(late, 10)).to.equal(false);
    reject(new Error("too late"));
    // An unhandled rejection would fail the run (mocha reports it); give it a turn to surface.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
