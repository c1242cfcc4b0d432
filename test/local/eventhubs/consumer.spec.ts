import {
  EventHubConsumerClient,
  EventHubProducerClient,
  earliestEventPosition,
  latestEventPosition,
  type EventPosition,
  type ReceivedEventData,
} from "@azure/event-hubs";
import { expect } from "chai";
import { LocalEventHubs } from "../../../src/local/eventhubs/localEventHubs.js";

function retryOptions(): { maxRetries: number; retryDelayInMs: number; timeoutInMs: number } {
  return { maxRetries: 1, retryDelayInMs: 50, timeoutInMs: 1500 };
}

interface Reading {
  events: ReceivedEventData[];
  /** Resolves once `count` events were read. */
  atLeast(count: number): Promise<void>;
  /** Resolves once every partition reported an empty wait, i.e. its receiver link is attached and idle. */
  allPartitionsIdle: Promise<void>;
  close(): Promise<void>;
}

/** Subscribes to every partition and collects what arrives; the waits are driven by the callbacks. */
function read(client: EventHubConsumerClient, startPosition: EventPosition, partitionCount: number): Reading {
  const events: ReceivedEventData[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const idlePartitions = new Set<string>();
  let markIdle: () => void = () => undefined;
  const allPartitionsIdle = new Promise<void>((resolve) => (markIdle = resolve));
  const errors: unknown[] = [];
  const subscription = client.subscribe(
    {
      processEvents: async (batch, context) => {
        if (batch.length === 0) {
          idlePartitions.add(context.partitionId);
          if (idlePartitions.size === partitionCount) markIdle();
        }
        events.push(...batch);
        for (const waiter of [...waiters]) {
          if (events.length >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      },
      processError: async (error) => {
        errors.push(error);
      },
    },
    { startPosition, maxWaitTimeInSeconds: 0.2, maxBatchSize: 100 },
  );
  return {
    events,
    atLeast: (count) =>
      events.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    allPartitionsIdle,
    close: async () => {
      await subscription.close();
      expect(errors).to.deep.equal([]);
    },
  };
}

describe("LocalEventHubs consumers (real EventHubConsumerClient)", () => {
  let hubs: LocalEventHubs;
  let producer: EventHubProducerClient;
  let consumer: EventHubConsumerClient;

  beforeEach(async () => {
    hubs = await LocalEventHubs.start({ hubs: ["hub-a"], partitionCount: 2 });
    producer = new EventHubProducerClient(hubs.connectionString("hub-a"), { retryOptions: retryOptions() });
    consumer = new EventHubConsumerClient("$default", hubs.connectionString("hub-a"), {
      retryOptions: retryOptions(),
    });
  });

  afterEach(async () => {
    await consumer.close();
    await producer.close();
    await hubs.close();
  });

  it("reads every stored event back from the start, with system annotations and properties", async () => {
    await producer.sendBatch(
      Array.from({ length: 150 }, (_, i) => ({ body: { i }, messageId: `m-${i}`, properties: { n: i } })),
      { partitionKey: "loc-1" },
    );
    await producer.sendBatch([{ body: "other partition" }], {
      partitionId: hubs.received("hub-a")[0]?.partitionId === "0" ? "1" : "0",
    });

    const reading = read(consumer, earliestEventPosition, 2);
    await reading.atLeast(151);
    await reading.close();

    expect(reading.events).to.have.length(151);
    const keyed = reading.events.filter((event) => event.partitionKey === "loc-1");
    expect(keyed.map((event) => event.body)).to.deep.equal(Array.from({ length: 150 }, (_, i) => ({ i })));
    const stored = hubs.received("hub-a");
    const first = keyed[0];
    expect(first?.messageId).to.equal("m-0");
    expect(first?.properties).to.deep.equal({ n: 0 });
    expect(first?.sequenceNumber).to.equal(0);
    expect(first?.offset).to.equal(stored[0]?.offset);
    expect(first?.enqueuedTimeUtc.getTime()).to.equal(stored[0]?.enqueuedTime.getTime());
    expect(keyed.map((event) => event.sequenceNumber)).to.deep.equal(keyed.map((_, i) => i));
    expect(reading.events.map((event) => event.body)).to.deep.include("other partition");
  });

  it("from latest, delivers only events sent after the subscription started", async () => {
    await producer.sendBatch([{ body: "old-1" }, { body: "old-2" }]);
    await producer.sendBatch([{ body: "old-3" }]);

    const reading = read(consumer, latestEventPosition, 2);
    await reading.allPartitionsIdle;
    await producer.sendBatch([{ body: "new-1" }]);
    await producer.sendBatch([{ body: "new-2" }]);
    await reading.atLeast(2);
    await reading.close();

    expect(reading.events.map((event) => event.body).sort()).to.deep.equal(["new-1", "new-2"]);
  });

  it("from a sequence number, delivers the events after it (the form the SDK uses to resume)", async () => {
    await producer.sendBatch(
      Array.from({ length: 5 }, (_, i) => ({ body: i })),
      { partitionId: "1" },
    );

    const reading = read(consumer, { sequenceNumber: 2 }, 2);
    await reading.atLeast(2);
    await reading.allPartitionsIdle;
    await reading.close();

    expect(reading.events.map((event) => event.body)).to.deep.equal([3, 4]);
  });
});
