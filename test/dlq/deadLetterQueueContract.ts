import { expect } from "chai";
import type { ClaimedDeadLetter, DeadLetterQueue, DeadLetterRecord } from "../../src/dlq/deadLetterQueue.js";
import { registerSecret } from "../../src/observability/redact.js";
import { deadLetter, sampleEvent } from "../state/fixtures.js";

/** One test's DLQ state: `open` gives a new queue instance on it (a restart after the first). */
export interface DeadLetterQueueHarness {
  open(): Promise<DeadLetterQueue>;
  /** Appends unreadable text to the queue; returns the raw text `list` should report. */
  injectUnreadable(pipeline: string, hub: string): Promise<string>;
  /** Appends JSON that lacks required fields; returns the raw text `list` should report. */
  injectIncomplete(pipeline: string, hub: string): Promise<string>;
  cleanup(): Promise<void>;
}

const P = "peoplecounter";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function entries(records: readonly DeadLetterRecord[]): string[] {
  return records.map((r) => (r.state === "ok" ? r.entry.location : `corrupt:${r.reason}`));
}

/** Registers the DeadLetterQueue contract: every implementation must pass all of it. */
export function deadLetterQueueContract(makeHarness: () => DeadLetterQueueHarness): void {
  let harness: DeadLetterQueueHarness;
  let dlq: DeadLetterQueue;

  beforeEach(async () => {
    harness = makeHarness();
    dlq = await harness.open();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  async function claim(hub = "hub-a"): Promise<ClaimedDeadLetter> {
    const claimed = await dlq.claim(P, hub);
    expect(claimed, "an entry to claim").to.not.equal(undefined);
    return claimed!;
  }

  it("stores pushed entries with an id and timestamps, listed oldest first", async () => {
    const before = Date.now();
    const first = await dlq.push(deadLetter({ location: "b1" }));
    await dlq.push(deadLetter({ location: "b2" }));
    await dlq.push(deadLetter({ location: "b3" }));
    expect(first.id).to.match(UUID);
    expect(first.firstFailedAt).to.equal(first.lastFailedAt);
    expect(Date.parse(first.firstFailedAt)).to.be.within(before, Date.now());
    expect(entries(await dlq.list(P, "hub-a"))).to.deep.equal(["b1", "b2", "b3"]);
    expect(entries(await dlq.list(P, "hub-a", { offset: 1, limit: 1 }))).to.deep.equal(["b2"]);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 3, inFlight: 0, parked: 0 });
    expect(await dlq.depth(P, "hub-b")).to.deep.equal({ queued: 0, inFlight: 0, parked: 0 });
  });

  it("claims oldest first into in-flight and acks it away", async () => {
    const first = await dlq.push(deadLetter({ location: "b1" }));
    await dlq.push(deadLetter({ location: "b2" }));
    const claimed = await claim();
    expect(claimed.entry).to.deep.equal(first);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 1, inFlight: 1, parked: 0 });
    expect(entries(await dlq.list(P, "hub-a", { which: "in-flight" }))).to.deep.equal(["b1"]);
    await dlq.ack(claimed);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 1, inFlight: 0, parked: 0 });
    expect((await claim()).entry.location).to.equal("b2");
    expect(await dlq.claim(P, "hub-a")).to.equal(undefined);
  });

  it("revives event times as Dates and keeps the events intact", async () => {
    const events = [sampleEvent(7), sampleEvent(8)];
    await dlq.push(deadLetter({ events }));
    const claimed = await claim();
    expect(claimed.entry.events[0]?.time).to.be.instanceOf(Date);
    expect(claimed.entry.events).to.deep.equal(events);
    const [listed] = await dlq.list(P, "hub-a", { which: "in-flight" });
    expect(listed?.state === "ok" && listed.entry.events[1]?.time.getTime()).to.equal(
      events[1]?.time.getTime(),
    );
  });

  it("nacks to the end of the queue with one more replay attempt and the new error", async () => {
    const pushed = await dlq.push(deadLetter({ location: "b1", attempts: 1 }));
    await dlq.push(deadLetter({ location: "b2" }));
    const claimed = await claim();
    const where = await dlq.nack(claimed, { name: "TimeoutError", message: "took too long" }, 5);
    expect(where).to.equal("queued");
    const listed = await dlq.list(P, "hub-a");
    expect(entries(listed)).to.deep.equal(["b2", "b1"]);
    const again = listed[1]?.state === "ok" ? listed[1].entry : expect.fail("entry not readable");
    expect(again.id).to.equal(pushed.id);
    expect(again.attempts, "the pipeline's own sends, unchanged").to.equal(1);
    expect(again.replayAttempts).to.equal(1);
    expect(again.error).to.deep.equal({ name: "TimeoutError", message: "took too long" });
    expect(again.firstFailedAt).to.equal(pushed.firstFailedAt);
    expect(Date.parse(again.lastFailedAt)).to.be.at.least(Date.parse(pushed.lastFailedAt));
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 2, inFlight: 0, parked: 0 });
  });

  it("parks an entry when its replay attempts reach maxAttempts; the pipeline's own sends do not count", async () => {
    // Four sends by the pipeline already (EVENT_HUB_MAX_RETRIES 3): the first replays still queue it.
    await dlq.push(deadLetter({ attempts: 4 }));
    expect(await dlq.nack(await claim(), { name: "E", message: "first replay" }, 3)).to.equal("queued");
    expect(await dlq.nack(await claim(), { name: "E", message: "second replay" }, 3)).to.equal("queued");
    expect(await dlq.nack(await claim(), { name: "E", message: "third replay" }, 3)).to.equal("parked");
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 0, inFlight: 0, parked: 1 });
    const [parked] = await dlq.list(P, "hub-a", { which: "parked" });
    expect(parked?.state === "ok" && [parked.entry.attempts, parked.entry.replayAttempts]).to.deep.equal([
      4, 3,
    ]);
    expect(await dlq.claim(P, "hub-a")).to.equal(undefined);
  });

  it("unparks parked entries to the end of the queue with their replay attempts reset", async () => {
    await dlq.push(deadLetter({ location: "parked-1" }));
    expect(await dlq.nack(await claim(), { name: "E", message: "x" }, 1)).to.equal("parked");
    await dlq.push(deadLetter({ location: "queued-1" }));
    expect(await dlq.unpark(P, "hub-a")).to.deep.equal({ requeued: 1, unreadable: 0 });
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 2, inFlight: 0, parked: 0 });
    const listed = await dlq.list(P, "hub-a");
    expect(entries(listed)).to.deep.equal(["queued-1", "parked-1"]);
    const back = listed[1]?.state === "ok" ? listed[1].entry : expect.fail("entry not readable");
    expect(back.replayAttempts).to.equal(0);
    expect(back.error.message, "the last error is kept for the record").to.equal("x");
    expect(await dlq.unpark(P, "hub-a")).to.deep.equal({ requeued: 0, unreadable: 0 });
  });

  it("recovers entries a crashed replay left in-flight, in order, at the front of the queue", async () => {
    await dlq.push(deadLetter({ location: "b1" }));
    await dlq.push(deadLetter({ location: "b2" }));
    await dlq.push(deadLetter({ location: "b3" }));
    await claim();
    await claim();
    // The replaying process dies here: the claimed objects are dropped without ack or nack.
    const restarted = await harness.open();
    expect(await restarted.depth(P, "hub-a")).to.deep.equal({ queued: 1, inFlight: 2, parked: 0 });
    expect(await restarted.recoverInFlight(P, "hub-a")).to.equal(2);
    expect(entries(await restarted.list(P, "hub-a"))).to.deep.equal(["b1", "b2", "b3"]);
    expect(await restarted.recoverInFlight(P, "hub-a")).to.equal(0);
    expect((await restarted.claim(P, "hub-a"))?.entry.location).to.equal("b1");
  });

  it("does not send twice: an ack after a recovery removes the entry from the queue", async () => {
    await dlq.push(deadLetter());
    const claimed = await claim();
    await dlq.recoverInFlight(P, "hub-a");
    await dlq.ack(claimed);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 0, inFlight: 0, parked: 0 });
  });

  it("does not resurrect a purged entry on nack", async () => {
    await dlq.push(deadLetter());
    const claimed = await claim();
    expect(await dlq.purge(P, "hub-a", "all")).to.equal(1);
    await dlq.nack(claimed, { name: "E", message: "late failure" }, 5);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 0, inFlight: 0, parked: 0 });
  });

  it("parks unreadable entries with a reason and claims the next readable one", async () => {
    await dlq.push(deadLetter({ location: "b1" }));
    const unreadable = await harness.injectUnreadable(P, "hub-a");
    const incomplete = await harness.injectIncomplete(P, "hub-a");
    await dlq.push(deadLetter({ location: "b2" }));
    expect((await claim()).entry.location).to.equal("b1");
    expect((await claim()).entry.location).to.equal("b2");
    expect(await dlq.claim(P, "hub-a")).to.equal(undefined);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 0, inFlight: 2, parked: 2 });
    const parked = await dlq.list(P, "hub-a", { which: "parked" });
    expect(parked.map((r) => r.state)).to.deep.equal(["corrupt", "corrupt"]);
    expect(parked.map((r) => (r.state === "corrupt" ? r.raw : ""))).to.deep.equal([unreadable, incomplete]);
    for (const record of parked) {
      expect(record.state === "corrupt" ? record.reason.length : 0).to.be.greaterThan(5);
    }
    // Parked stays parked: a recovery and further claims leave the corrupt entries alone.
    await dlq.recoverInFlight(P, "hub-a");
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 2, inFlight: 0, parked: 2 });
    // Unpark cannot replay what cannot be read: those stay parked, counted.
    expect(await dlq.unpark(P, "hub-a")).to.deep.equal({ requeued: 0, unreadable: 2 });
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 2, inFlight: 0, parked: 2 });
  });

  it("lists an unreadable queued entry as corrupt without moving it", async () => {
    const unreadable = await harness.injectUnreadable(P, "hub-a");
    const [record] = await dlq.list(P, "hub-a");
    expect(record).to.deep.include({ state: "corrupt", raw: unreadable });
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 1, inFlight: 0, parked: 0 });
  });

  it("purges queued, parked or all, and says how many", async () => {
    await dlq.push(deadLetter({ attempts: 4 }));
    await dlq.nack(await claim(), { name: "E", message: "x" }, 1);
    await dlq.push(deadLetter());
    await dlq.push(deadLetter());
    await dlq.push(deadLetter());
    await claim();
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 2, inFlight: 1, parked: 1 });
    expect(await dlq.purge(P, "hub-a", "queued")).to.equal(2);
    expect(await dlq.purge(P, "hub-a", "parked")).to.equal(1);
    expect(await dlq.depth(P, "hub-a")).to.deep.equal({ queued: 0, inFlight: 1, parked: 0 });
    expect(await dlq.purge(P, "hub-a", "all")).to.equal(1);
    expect(await dlq.purge(P, "hub-a", "all")).to.equal(0);
  });

  it("lists the hubs of a pipeline that hold entries", async () => {
    await dlq.push(deadLetter({ hub: "hub-c" }));
    await dlq.push(deadLetter({ hub: "hub-a" }));
    await dlq.push(deadLetter({ hub: "hub-b" }));
    await dlq.push(deadLetter({ pipeline: "snapshot", hub: "hub-z" }));
    await dlq.ack(await claim("hub-b"));
    expect(await dlq.hubs(P)).to.deep.equal(["hub-a", "hub-c"]);
    expect(await dlq.hubs("snapshot")).to.deep.equal(["hub-z"]);
    expect(await dlq.hubs("nothing")).to.deep.equal([]);
  });

  it("never stores a secret from an error message", async () => {
    registerSecret("s3cr3t-value");
    const pushed = await dlq.push(
      deadLetter({ error: { name: "E", message: "auth failed for s3cr3t-value" } }),
    );
    expect(pushed.error.message).to.equal("auth failed for [REDACTED]");
    const claimed = await claim();
    expect(claimed.raw).to.not.include("s3cr3t-value");
    const message = "SharedAccessKey=abc123; s3cr3t-value again";
    await dlq.nack(claimed, { name: "E", code: "s3cr3t-value", message }, 5);
    const [record] = await dlq.list(P, "hub-a");
    const entry = record?.state === "ok" ? record.entry : expect.fail("entry not readable");
    expect(JSON.stringify(entry)).to.not.include("s3cr3t-value").and.not.include("abc123");
    expect(entry.error.message).to.equal("SharedAccessKey=[REDACTED]; [REDACTED] again");
  });
}
