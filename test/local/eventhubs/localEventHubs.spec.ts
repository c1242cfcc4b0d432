import { EventHubProducerClient, type EventData } from "@azure/event-hubs";
import { expect } from "chai";
import rhea, { type EventContext } from "rhea";
import { LocalEventHubs } from "../../../src/local/eventhubs/localEventHubs.js";

/** A fresh object per client: the SDK mutates the retry options it is given. */
function retryOptions(): { maxRetries: number; retryDelayInMs: number; timeoutInMs: number } {
  return { maxRetries: 1, retryDelayInMs: 50, timeoutInMs: 1500 };
}

describe("LocalEventHubs (producer side, real SDK)", () => {
  let hubs: LocalEventHubs | undefined;
  const clients: EventHubProducerClient[] = [];

  async function start(
    options: Partial<Parameters<typeof LocalEventHubs.start>[0]> = {},
  ): Promise<LocalEventHubs> {
    hubs = await LocalEventHubs.start({ hubs: ["hub-a", "hub-b"], ...options });
    return hubs;
  }

  function producer(server: LocalEventHubs, hub: string): EventHubProducerClient {
    const client = new EventHubProducerClient(server.connectionString(hub), { retryOptions: retryOptions() });
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await hubs?.close();
    hubs = undefined;
  });

  it("receives a batch of one event with body, messageId, partition key and properties intact", async () => {
    const server = await start();
    const client = producer(server, "hub-a");

    await client.sendBatch(
      [{ body: { room: "r1", count: 3 }, messageId: "evt-1", properties: { recType: "pc" } }],
      {
        partitionKey: "building-7",
      },
    );

    const [event] = await server.waitForEvents("hub-a", 1);
    expect(event).to.include({
      hub: "hub-a",
      messageId: "evt-1",
      partitionKey: "building-7",
      sequenceNumber: 0,
    });
    expect(event?.body).to.deep.equal({ room: "r1", count: 3 });
    expect(event?.applicationProperties).to.deep.equal({ recType: "pc" });
    expect(event?.enqueuedTime).to.be.instanceOf(Date);
    expect(server.stats("hub-a")).to.deep.equal({
      transfersAccepted: 1,
      transfersRejected: 0,
      eventsAccepted: 1,
      connectionsOpened: 1,
      senderLinksAttached: 1,
      mostTransfersDelayed: 0,
      mostBytesDelayed: 0,
    });
  });

  it("with retainEvents false counts what it accepts without keeping it, and still enforces faults", async () => {
    const server = await start({ retainEvents: false });
    const client = producer(server, "hub-a");
    const events: EventData[] = Array.from({ length: 250 }, (_, i) => ({
      body: { i },
      messageId: `id-${i}`,
    }));
    await client.sendBatch(events, { partitionKey: "location-1" });
    await client.sendBatch([{ body: "one" }]);
    expect(server.stats("hub-a")).to.include({ transfersAccepted: 2, eventsAccepted: 251 });
    expect(server.received("hub-a")).to.deep.equal([]);

    server.setFault("hub-a", { kind: "release" });
    const refused = await client.sendBatch([{ body: "refused" }]).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).to.equal("SendOperationFailedError");
    expect(server.stats("hub-a")).to.include({
      transfersAccepted: 2,
      eventsAccepted: 251,
      transfersRejected: 1,
    });
  });

  it("receives a batch of 1000 events in order with increasing sequence numbers and offsets", async () => {
    const server = await start();
    const client = producer(server, "hub-a");
    const events: EventData[] = Array.from({ length: 1000 }, (_, i) => ({
      body: { i, text: `line ${i}` },
      messageId: `id-${i}`,
      properties: { index: i, pipeline: "peoplecounter" },
    }));

    const started = performance.now();
    await client.sendBatch(events, { partitionKey: "location-1" });
    const elapsedInMs = performance.now() - started;

    const received = await server.waitForEvents("hub-a", 1000);
    expect(received).to.have.length(1000);
    expect(received.map((event) => event.body)).to.deep.equal(events.map((event) => event.body));
    expect(received.map((event) => event.messageId)).to.deep.equal(events.map((event) => event.messageId));
    expect(received.every((event) => event.partitionKey === "location-1")).to.equal(true);
    expect(received.every((event) => event.partitionId === received[0]?.partitionId)).to.equal(true);
    expect(received[999]?.applicationProperties).to.deep.equal({ index: 999, pipeline: "peoplecounter" });
    expect(received.map((event) => event.sequenceNumber)).to.deep.equal(events.map((_, i) => i));
    const offsets = received.map((event) => Number(event.offset));
    expect(offsets.every((offset, i) => i === 0 || offset > (offsets[i - 1] ?? Infinity))).to.equal(true);
    expect(server.stats("hub-a")).to.include({ transfersAccepted: 1, eventsAccepted: 1000 });
    expect(elapsedInMs).to.be.below(5000);
  });

  it("accepts a plain single message (format 0) from another AMQP client", async () => {
    const server = await start();
    const connection = rhea.create_container().connect({ host: "127.0.0.1", port: server.port });
    try {
      const sender = connection.open_sender({ target: { address: "hub-a/Partitions/1" } });
      const settled = new Promise<string>((resolve) => {
        sender.once("accepted", () => resolve("accepted"));
        sender.once("rejected", (context: EventContext) =>
          resolve(`rejected ${String(context.delivery?.remote_state)}`),
        );
      });
      sender.once("sendable", () => {
        sender.send({
          body: rhea.message.data_section(Buffer.from(JSON.stringify({ plain: true }))),
          message_id: "plain-1",
          application_properties: { source: "rhea" },
        });
      });

      expect(await settled).to.equal("accepted");
      expect(server.received("hub-a")).to.deep.equal([
        {
          ...server.received("hub-a")[0],
          partitionId: "1",
          body: { plain: true },
          messageId: "plain-1",
          applicationProperties: { source: "rhea" },
        },
      ]);
    } finally {
      connection.close();
    }
  });

  it("keeps several hubs on one port apart", async () => {
    const server = await start();
    await producer(server, "hub-a").sendBatch([{ body: "for a" }]);
    await producer(server, "hub-b").sendBatch([{ body: "for b1" }, { body: "for b2" }]);

    expect(server.received("hub-a").map((event) => event.body)).to.deep.equal(["for a"]);
    expect(server.received("hub-b").map((event) => event.body)).to.deep.equal(["for b1", "for b2"]);
    expect(server.received("hub-b").every((event) => event.hub === "hub-b")).to.equal(true);
    expect(server.connectionString("hub-b")).to.equal(
      `Endpoint=sb://127.0.0.1:${server.port};SharedAccessKeyName=RootManageSharedAccessKey;` +
        "SharedAccessKey=local-dev-key;UseDevelopmentEmulator=true;EntityPath=hub-b",
    );
  });

  it("answers getEventHubProperties, getPartitionIds and getPartitionProperties", async () => {
    const server = await start({ partitionCount: 3 });
    const client = producer(server, "hub-a");

    const properties = await client.getEventHubProperties();
    expect(properties.name).to.equal("hub-a");
    expect(properties.partitionIds).to.deep.equal(["0", "1", "2"]);
    expect(properties.createdOn).to.be.instanceOf(Date);
    expect(await client.getPartitionIds()).to.deep.equal(["0", "1", "2"]);

    const empty = await client.getPartitionProperties("1");
    expect(empty).to.include({ partitionId: "1", eventHubName: "hub-a", isEmpty: true });
    expect(empty.lastEnqueuedSequenceNumber).to.equal(-1);

    await client.sendBatch([{ body: 1 }, { body: 2 }], { partitionId: "1" });
    const filled = await client.getPartitionProperties("1");
    expect(filled).to.include({ isEmpty: false, beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 1 });
    expect(filled.lastEnqueuedOffset).to.equal(server.received("hub-a")[1]?.offset);
    expect(filled.lastEnqueuedOnUtc.getTime()).to.equal(server.received("hub-a")[1]?.enqueuedTime.getTime());
  });

  it("announces maxMessageSizeInBytes, so createBatch refuses events once the batch is full", async () => {
    const maxMessageSizeInBytes = 64 * 1024;
    const server = await start({ maxMessageSizeInBytes });
    const client = producer(server, "hub-a");

    const batch = await client.createBatch();
    expect(batch.maxSizeInBytes).to.equal(maxMessageSizeInBytes);
    let added = 0;
    while (batch.tryAdd({ body: { i: added, padding: "x".repeat(1000) } })) added++;
    expect(added).to.be.within(50, 64);
    expect(batch.sizeInBytes).to.be.at.most(maxMessageSizeInBytes);

    await client.sendBatch(batch);
    expect((await server.waitForEvents("hub-a", added)).length).to.equal(added);
  });

  it("routes by explicit partitionId, and the same partition key always to the same partition", async () => {
    const server = await start();
    const client = producer(server, "hub-a");

    await client.sendBatch([{ body: "explicit" }], { partitionId: "2" });
    for (let i = 0; i < 3; i++)
      await client.sendBatch([{ body: `keyed-${i}` }], { partitionKey: "building-42" });
    for (let i = 0; i < 4; i++) await client.sendBatch([{ body: `free-${i}` }]);

    const received = await server.waitForEvents("hub-a", 8);
    expect(received[0]).to.include({ body: "explicit", partitionId: "2" });
    const keyed = received.filter((event) => String(event.body).startsWith("keyed"));
    expect(new Set(keyed.map((event) => event.partitionId)).size).to.equal(1);
    expect(keyed.map((event) => event.sequenceNumber)).to.deep.equal(
      keyed.map((_, i) => (keyed[0]?.sequenceNumber ?? 0) + i),
    );
    const free = received.filter((event) => String(event.body).startsWith("free"));
    expect(new Set(free.map((event) => event.partitionId)).size).to.equal(4);
    expect(server.stats("hub-a").senderLinksAttached).to.equal(2);
  });

  it("rejects a transfer above the size limit with MessageTooLargeError, not retried", async () => {
    const server = await start({ maxMessageSizeInBytes: 4096 });
    const client = producer(server, "hub-a");

    const error = await client.sendBatch([{ body: "x".repeat(10_000) }]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).to.include({ name: "MessagingError", code: "MessageTooLargeError", retryable: false });
    expect(server.stats("hub-a")).to.include({ transfersRejected: 1, transfersAccepted: 0 });
    expect(server.received("hub-a")).to.deep.equal([]);
  });

  it("refuses a hub it does not serve with MessagingEntityNotFoundError", async () => {
    const server = await start();
    const connectionString = server.connectionString("hub-a").replace("EntityPath=hub-a", "EntityPath=nope");
    const client = new EventHubProducerClient(connectionString, { retryOptions: retryOptions() });
    clients.push(client);

    const error = await client.sendBatch([{ body: 1 }]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).to.include({
      name: "MessagingError",
      code: "MessagingEntityNotFoundError",
      retryable: false,
    });
  });

  it("rejects waitForEvents on timeout, naming how many events did arrive", async () => {
    const server = await start();
    await producer(server, "hub-a").sendBatch([{ body: 1 }]);

    const error = await server.waitForEvents("hub-a", 2, { timeoutInMs: 50 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message)
      .to.include("accepted 1 of the 2")
      .and.include("50 ms");
  });

  it("forgets events and counters on clear(), for one hub only", async () => {
    const server = await start();
    await producer(server, "hub-a").sendBatch([{ body: 1 }]);
    await producer(server, "hub-b").sendBatch([{ body: 2 }]);

    server.clear("hub-a");

    expect(server.received("hub-a")).to.deep.equal([]);
    expect(server.stats("hub-a").eventsAccepted).to.equal(0);
    expect(server.received("hub-b")).to.have.length(1);
    expect(() => server.received("unknown")).to.throw(/serves no hub 'unknown'/);
  });

  it("closes idempotently, and a closed server refuses connections", async () => {
    const server = await start();
    const client = producer(server, "hub-a");
    await client.sendBatch([{ body: 1 }]);

    await Promise.all([server.close(), server.close()]);
    await server.close();

    const again = new EventHubProducerClient(server.connectionString("hub-a"), {
      retryOptions: { maxRetries: 0, retryDelayInMs: 10, timeoutInMs: 1000 },
    });
    clients.push(again);
    const error = await again.sendBatch([{ body: 2 }]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(Error);
  });

  it("answers a management round trip in a few milliseconds, not Nagle's 40", async () => {
    const server = await start();
    const client = producer(server, "hub-a");
    await client.getPartitionIds();

    const rounds = 20;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await client.getPartitionIds();
    const perCallInMs = (performance.now() - started) / rounds;

    expect(perCallInMs).to.be.below(15);
  });
});
