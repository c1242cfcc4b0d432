import { expect } from "chai";
import { Slots } from "../../src/concurrency/slots.js";

describe("Slots", () => {
  it("lets `size` holders in at once, and the next waiter in when one releases, first come first served", async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const first = await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).to.deep.equal([]);
    first();
    first(); // a second release of the same slot frees nothing more
    (await third)();
    await fourth;
    expect(order).to.deep.equal(["third", "fourth"]);
  });

  it("counts a released slot as free when nobody waits", async () => {
    const slots = new Slots(1);
    (await slots.acquire())();
    const again = await slots.acquire();
    expect(again).to.be.a("function");
  });

  it("drops a waiter whose acquire was aborted: it rejects, and the slot goes to the next waiter", async () => {
    const slots = new Slots(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const gaveUp = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort(new Error("stopped"));
    let reason: unknown;
    await gaveUp.catch((e: unknown) => (reason = e));
    expect((reason as Error).message).to.equal("stopped");
    release();
    const third = await next;
    // The slot freed by `third` is free again: nobody holds the aborted one.
    third();
    expect(await slots.acquire()).to.be.a("function");
  });

  it("refuses an acquire whose signal is already aborted, taking no slot", async () => {
    const slots = new Slots(1);
    const controller = new AbortController();
    controller.abort(new Error("too late"));
    let reason: unknown;
    await slots.acquire(controller.signal).catch((e: unknown) => (reason = e));
    expect((reason as Error).message).to.equal("too late");
    expect(await slots.acquire()).to.be.a("function");
  });
});
