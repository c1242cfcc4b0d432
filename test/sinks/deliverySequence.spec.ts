import { expect } from "chai";
import { DeliverySequence, HubBacklogs, type HubPlacement } from "../../src/sinks/deliverySequence.js";

function queued(placement: HubPlacement | undefined): HubPlacement & { kind: "queued" } {
  if (placement?.kind !== "queued")
    throw new Error(`expected a queued placement, got ${JSON.stringify(placement)}`);
  return placement;
}

/** Whether a promise has settled, after the microtasks queued so far ran. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("DeliverySequence", () => {
  it("gives each hub its units one after another: a unit's turn comes when the one before it is done", async () => {
    const sequence = new DeliverySequence(["a", "b"], 4);
    const first = sequence.place();
    const second = sequence.place();
    expect(await isSettled(queued(first.get("b")).turn)).to.equal(true);
    expect(await isSettled(queued(second.get("b")).turn)).to.equal(false);
    queued(first.get("b")).done();
    expect(await isSettled(queued(second.get("b")).turn)).to.equal(true);
  });

  it("a unit that ends before its turn (no events, cancelled) does not let the next one overtake", async () => {
    const sequence = new DeliverySequence(["a"], 4);
    const first = queued(sequence.place().get("a"));
    const second = queued(sequence.place().get("a"));
    const third = queued(sequence.place().get("a"));
    second.done();
    expect(await isSettled(third.turn)).to.equal(false);
    first.done();
    expect(await isSettled(third.turn)).to.equal(true);
  });

  it("has room as soon as the fastest hub is done, while a slower hub still works", async () => {
    const sequence = new DeliverySequence(["a", "b"], 4);
    const first = sequence.place();
    const room = sequence.room();
    expect(await isSettled(room)).to.equal(false);
    queued(first.get("a")).done();
    expect(await isSettled(room)).to.equal(true);
    expect(sequence.backlogOf("b")).to.equal(1);
  });

  it("spills a hub that holds 1 + maxLag units of the location, until it catches up", () => {
    const sequence = new DeliverySequence(["fast", "stuck"], 2);
    const held: HubPlacement[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = sequence.place();
      held.push(queued(placed.get("stuck")));
      queued(placed.get("fast")).done();
    }
    const fourth = sequence.place();
    expect(fourth.get("stuck")).to.deep.equal({ kind: "spilled", backlog: 3, over: "location" });
    expect(fourth.get("fast")?.kind).to.equal("queued");
    queued(held[0]).done();
    expect(sequence.place().get("stuck")?.kind).to.equal("queued");
  });

  it("spills a hub that holds the limit over all locations, whichever location asks", () => {
    const backlogs = new HubBacklogs(2);
    const north = new DeliverySequence(["fast", "stuck"], 10, backlogs);
    const south = new DeliverySequence(["fast", "stuck"], 10, backlogs);
    const one = north.place();
    const two = south.place();
    expect(one.get("stuck")?.kind).to.equal("queued");
    expect(two.get("stuck")?.kind).to.equal("queued");
    expect(north.place().get("stuck")).to.deep.equal({ kind: "spilled", backlog: 2, over: "all" });
    queued(two.get("stuck")).done();
    expect(north.place().get("stuck")?.kind).to.equal("queued");
  });

  it("never spills the only hub: there is no other hub to protect, so its units wait instead", () => {
    const sequence = new DeliverySequence(["only"], 0, new HubBacklogs(1));
    for (let i = 0; i < 5; i++) expect(sequence.place().get("only")?.kind).to.equal("queued");
  });

  it("counts a unit done once, however often done() is called", () => {
    const sequence = new DeliverySequence(["a", "b"], 4);
    const placed = queued(sequence.place().get("a"));
    sequence.place();
    placed.done();
    placed.done();
    expect(sequence.backlogOf("a")).to.equal(1);
  });

  it("a hub that is not live (paused, breaker open) does not pace the others: the healthy one is never spilled behind it", async () => {
    const sequence = new DeliverySequence(["healthy", "paused"], 0, undefined, (hub) => hub !== "paused");
    const first = sequence.place();
    queued(first.get("paused")).done();
    // The paused hub is done at once; room waits for the healthy one.
    const room = sequence.room();
    expect(await isSettled(room)).to.equal(false);
    queued(first.get("healthy")).done();
    expect(await isSettled(room)).to.equal(true);
    expect(sequence.place().get("healthy")?.kind).to.equal("queued");
  });
});
