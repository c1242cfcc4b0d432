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
});
