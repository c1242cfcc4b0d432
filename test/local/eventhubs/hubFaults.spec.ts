import { EventHubProducerClient } from "@azure/event-hubs";
import { expect } from "chai";
import { LocalEventHubs } from "../../../src/local/eventhubs/localEventHubs.js";

/** A fresh object per client: the SDK mutates the retry options it is given. */
function retryOptions(): { maxRetries: number; retryDelayInMs: number; timeoutInMs: number } {
  return { maxRetries: 1, retryDelayInMs: 50, timeoutInMs: 1500 };
}

interface ErrorShape {
  name: unknown;
  code: unknown;
  retryable: unknown;
}

/** The errors under the SDK's (possibly nested) AggregateErrors: one per failed try. */
function leaves(error: unknown): ErrorShape[] {
  if (error instanceof AggregateError) return error.errors.flatMap(leaves);
  const { name, code, retryable } = (error ?? {}) as Partial<ErrorShape>;
  return [{ name, code, retryable }];
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected the call to fail"),
    (error: unknown) => error,
  );
}

describe("LocalEventHubs faults (real SDK)", () => {
  let hubs: LocalEventHubs;
  let client: EventHubProducerClient;

  beforeEach(async () => {
    hubs = await LocalEventHubs.start({ hubs: ["hub-a", "hub-b"] });
    client = new EventHubProducerClient(hubs.connectionString("hub-a"), { retryOptions: retryOptions() });
    await client.sendBatch([{ body: "warm-up" }]);
    hubs.clear();
  });

  afterEach(async () => {
    await client.close();
    await hubs.close();
  });

  const retriedRejections: Array<[string, string]> = [
    ["amqp:internal-error", "InternalServerError"],
    ["com.microsoft:server-busy", "ServerBusyError"],
    ["amqp:unauthorized-access", "UnauthorizedError"],
  ];
  for (const [condition, code] of retriedRejections) {
    it(`reject ${condition} → AggregateError of retryable ${code}, one per try`, async () => {
      hubs.setFault("hub-a", { kind: "reject", condition });

      const error = await failureOf(client.sendBatch([{ body: 1 }]));

      expect(error).to.be.instanceOf(AggregateError);
      expect(leaves(error)).to.deep.equal([
        { name: "MessagingError", code, retryable: true },
        { name: "MessagingError", code, retryable: true },
      ]);
      expect(hubs.stats("hub-a")).to.include({ transfersRejected: 2, transfersAccepted: 0 });
    });
  }

  it("reject amqp:link:message-size-exceeded → MessageTooLargeError, not retried", async () => {
    hubs.setFault("hub-a", { kind: "reject", condition: "amqp:link:message-size-exceeded" });

    const error = await failureOf(client.sendBatch([{ body: 1 }]));

    expect(error).to.include({ name: "MessagingError", code: "MessageTooLargeError", retryable: false });
    expect(hubs.stats("hub-a").transfersRejected).to.equal(1);
  });

  it("release → SendOperationFailedError, not retried", async () => {
    hubs.setFault("hub-a", { kind: "release" });

    const error = await failureOf(client.sendBatch([{ body: 1 }]));

    expect(error).to.include({ name: "MessagingError", code: "SendOperationFailedError", retryable: false });
    expect(hubs.stats("hub-a").transfersRejected).to.equal(1);
  });

  it("stall → OperationTimeoutError after timeoutInMs on each try, and nothing stored", async () => {
    hubs.setFault("hub-a", { kind: "stall" });
    const started = performance.now();

    const error = await failureOf(client.sendBatch([{ body: 1 }]));

    expect(leaves(error)).to.deep.equal([
      { name: "MessagingError", code: "OperationTimeoutError", retryable: true },
      { name: "MessagingError", code: "OperationTimeoutError", retryable: true },
    ]);
    expect(performance.now() - started).to.be.within(2 * 1500, 2 * 1500 + 1500);
    expect(hubs.received("hub-a")).to.deep.equal([]);
  });

  it("drop-link → OperationTimeoutError after timeoutInMs, the link closed by the server", async () => {
    // No retry here: each retry re-attaches the dropped link, and @azure/event-hubs 6.0.4 then
    // overwrites the sender's 45-minute token-renewal timer without stopping the old one
    // (`EventHubSender._init`), which would keep mocha alive after every client is closed.
    const once = new EventHubProducerClient(hubs.connectionString("hub-a"), {
      retryOptions: { maxRetries: 0, retryDelayInMs: 50, timeoutInMs: 1500 },
    });
    try {
      hubs.setFault("hub-a", { kind: "drop-link" });
      const started = performance.now();

      const error = await failureOf(once.sendBatch([{ body: 1 }]));

      expect(leaves(error)).to.deep.equal([
        { name: "MessagingError", code: "OperationTimeoutError", retryable: true },
      ]);
      expect(performance.now() - started).to.be.within(1500, 1500 + 1000);
      expect(hubs.stats("hub-a")).to.include({ transfersRejected: 1, senderLinksAttached: 1 });
      expect(hubs.received("hub-a")).to.deep.equal([]);
    } finally {
      await once.close();
    }
  });

  it("down → retryable ConnectionForcedError within a fraction of a second, other hubs unaffected", async () => {
    const other = new EventHubProducerClient(hubs.connectionString("hub-b"), {
      retryOptions: retryOptions(),
    });
    try {
      hubs.setFault("hub-a", { kind: "down" });
      const started = performance.now();

      const error = await failureOf(client.sendBatch([{ body: 1 }]));

      expect(performance.now() - started).to.be.below(1000);
      const failures = leaves(error);
      expect(failures.length).to.be.at.least(2);
      expect(
        failures.every((leaf) => leaf.code === "ConnectionForcedError" && leaf.retryable === true),
      ).to.equal(true);
      const management = await failureOf(client.getPartitionIds());
      expect(leaves(management).every((leaf) => leaf.code === "ConnectionForcedError")).to.equal(true);
      await other.sendBatch([{ body: "b is fine" }]);
      expect(hubs.received("hub-b")).to.have.length(1);
      expect(hubs.received("hub-a")).to.deep.equal([]);
    } finally {
      await other.close();
    }
  });

  it("down closes the hub's open connections; once cleared, the same long-lived producer sends again", async () => {
    expect(hubs.stats("hub-a").connectionsOpened).to.equal(0);

    hubs.setFault("hub-a", { kind: "down" });
    await failureOf(client.sendBatch([{ body: "lost" }]));
    hubs.setFault("hub-a", undefined);
    await client.sendBatch([{ body: "after recovery" }]);

    const [event] = await hubs.waitForEvents("hub-a", 1);
    expect(event?.body).to.equal("after recovery");
    // The connection open before the fault was closed, so the SDK had to dial a new one.
    expect(hubs.stats("hub-a").connectionsOpened).to.equal(1);
    expect(hubs.received("hub-a")).to.have.length(1);
  });

  it("a fault set while a producer is mid-stream applies to the next transfer, and clearing restores it", async () => {
    await client.sendBatch([{ body: "before" }]);
    hubs.setFault("hub-a", { kind: "reject", condition: "com.microsoft:server-busy" });
    await failureOf(client.sendBatch([{ body: "during" }]));
    hubs.setFault("hub-a", undefined);
    await client.sendBatch([{ body: "after" }]);

    expect(hubs.received("hub-a").map((event) => event.body)).to.deep.equal(["before", "after"]);
  });
});
