import { expect } from "chai";
import { WeightedSlots } from "../../src/concurrency/weightedSlots.js";

/** Lets every settled promise's continuation run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("WeightedSlots", () => {
  it("lets holders in while their weights fit beside what is held, the next one in when weight is released", async () => {
    const budget = new WeightedSlots(100);
    const first = await budget.acquire(60);
    await budget.acquire(40);
    let third = false;
    const waiting = budget.acquire(50).then((release) => ((third = true), release));
    await settle();
    expect(third).to.equal(false);
    expect(budget.inUse).to.equal(100);
    first();
    first(); // a second release frees nothing more
    await waiting;
    expect(third).to.equal(true);
    expect(budget.inUse).to.equal(90);
  });

  it("lets a weight above the size in alone, once nothing is held", async () => {
    const budget = new WeightedSlots(100);
    const small = await budget.acquire(10);
    let large = false;
    const waiting = budget.acquire(500).then((release) => ((large = true), release));
    await settle();
    expect(large).to.equal(false);
    small();
    const release = await waiting;
    expect(budget.inUse).to.equal(500);
    release();
    expect(budget.inUse).to.equal(0);
    // Alone from the start: no wait at all.
    (await budget.acquire(500))();
  });

  it("never lets a later holder overtake an earlier one that waits, even when the later one would fit", async () => {
    const budget = new WeightedSlots(100);
    const held = await budget.acquire(70);
    const order: string[] = [];
    const large = budget.acquire(60).then((release) => (order.push("large"), release));
    const small = budget.acquire(10).then((release) => (order.push("small"), release));
    await settle();
    expect(order).to.deep.equal([]);
    held();
    await Promise.all([large, small]);
    expect(order).to.deep.equal(["large", "small"]);
  });

  it("drops a waiter whose acquire was aborted: it rejects with the reason, and those behind it get in", async () => {
    const budget = new WeightedSlots(100);
    const held = await budget.acquire(50);
    const controller = new AbortController();
    const gaveUp = budget.acquire(80, controller.signal);
    let behind = false;
    const small = budget.acquire(30).then((release) => ((behind = true), release));
    await settle();
    expect(behind).to.equal(false);
    controller.abort(new Error("stopped"));
    const reason = await gaveUp.catch((e: unknown) => e);
    expect((reason as Error).message).to.equal("stopped");
    await small;
    expect(budget.inUse).to.equal(80);
    held();
    expect(budget.inUse).to.equal(30);
  });

  it("rejects at once with an already aborted signal, holding nothing", async () => {
    const budget = new WeightedSlots(100);
    const controller = new AbortController();
    controller.abort(new Error("closed"));
    const reason = await budget.acquire(10, controller.signal).catch((e: unknown) => e);
    expect((reason as Error).message).to.equal("closed");
    expect(budget.inUse).to.equal(0);
  });

  it("counts a weight that is not a finite number as all the slots, and frees them all on release", async () => {
    const slots = new WeightedSlots(2);
    const odd = await slots.acquire(Number.NaN);
    expect(slots.inUse).to.equal(2);
    let next = false;
    const waiting = slots.acquire(1).then((release) => ((next = true), release));
    await settle();
    expect(next).to.equal(false);
    odd();
    await waiting;
    expect(slots.inUse).to.equal(1);
  });

  it("is empty again after fractional weights come and go, so a heavy one gets in alone", async () => {
    const slots = new WeightedSlots(2);
    // Summed and taken away in another order, these leave -1.1e-16 in floating point.
    const [a, b, c] = await Promise.all([0.3, 0.6, 0.1].map((w) => slots.acquire(w)));
    for (const release of [c!, a!, b!]) release();
    expect(slots.inUse).to.equal(0);
    const heavy = await slots.acquire(5);
    heavy();
  });
});
