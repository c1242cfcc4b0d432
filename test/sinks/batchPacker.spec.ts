import { EventHubProducerClient } from "@azure/event-hubs";
import { expect } from "chai";
import { LocalEventHubs } from "../../src/local/eventhubs/localEventHubs.js";
import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import { packBatch, toEventData } from "../../src/sinks/batchPacker.js";
import { makeEvents } from "./sinkTestHarness.js";

describe("packBatch", () => {
  let hubs: LocalEventHubs;
  let producer: EventHubProducerClient;

  before(async () => {
    hubs = await LocalEventHubs.start({ hubs: ["a"] });
    producer = new EventHubProducerClient(hubs.connectionString("a"), { retryOptions: { maxRetries: 0 } });
  });
  after(async () => {
    await producer.close();
    await hubs.close();
  });

  /** `event` whose body, when read (packBatch reads it once, to encode), runs `onRead` first. */
  function onBodyRead(event: OutboundEvent, onRead: () => void): OutboundEvent {
    const body = event.body;
    return Object.defineProperty({ ...event }, "body", {
      get: () => {
        onRead();
        return body;
      },
    });
  }

  it("fills one batch in slices: work queued on the event loop meanwhile runs before it ends", async () => {
    const events = makeEvents(1000);
    let queuedWorkRan = false;
    let ranBeforeLastEvent: boolean | undefined;
    events[0] = onBodyRead(events[0]!, () => setImmediate(() => (queuedWorkRan = true)));
    events[999] = onBodyRead(events[999]!, () => (ranBeforeLastEvent = queuedWorkRan));

    const packed = await packBatch(producer, events, { partitionKey: "building-7", maxEvents: 1000 });

    expect(packed.events).to.have.length(1000);
    expect(packed.consumed).to.equal(1000);
    expect(packed.batch.count).to.equal(1000);
    // Encoding 1000 events in one go would have kept the response or request queued behind
    // it waiting until the end.
    expect(ranBeforeLastEvent).to.equal(true);
  });

  it("writes the body exactly as the SDK writes an object body, serialised once for every hub", async () => {
    const [event] = makeEvents(1);
    const ours = await producer.createBatch({ partitionKey: "building-7" });
    const sdks = await producer.createBatch({ partitionKey: "building-7" });
    const data = toEventData(event!);
    expect(ours.tryAdd(data)).to.equal(true);
    expect(sdks.tryAdd({ ...data, body: event!.body })).to.equal(true);
    expect(ours.sizeInBytes).to.equal(sdks.sizeInBytes);
    // A second hub's lane gets the same bytes, not a second serialisation.
    expect(toEventData(event!).body).to.equal(data.body);

    await producer.sendBatch(ours);
    const [received] = await hubs.waitForEvents("a", 1);
    expect(received?.body).to.deep.equal(event!.body);
    expect(received?.messageId).to.equal(event!.id);
  });

  it("still stops at maxEvents and at the first event that does not fit", async () => {
    const events = makeEvents(300, { padding: 5000 });
    const packed = await packBatch(producer, events, { partitionKey: "building-7", maxEvents: 250 });
    // ~5 kB each: a 1 MiB batch holds fewer than 250 of them.
    expect(packed.events.length).to.be.greaterThan(150).and.lessThan(250);
    expect(packed.consumed).to.equal(packed.events.length);
    expect(packed.oversized).to.deep.equal([]);

    const few = await packBatch(producer, makeEvents(300), { partitionKey: "building-7", maxEvents: 250 });
    expect(few.events).to.have.length(250);
  });
});
