import { expect } from "chai";
import rhea from "rhea";
import { hubOfAudience, parseLinkAddress } from "../../../src/local/eventhubs/addresses.js";
import { BATCH_MESSAGE_FORMAT, decodeTransfer } from "../../../src/local/eventhubs/batchDecoding.js";
import { isAtOrAfter, parseStartPosition } from "../../../src/local/eventhubs/consumerFilter.js";
import type { ReceivedEvent } from "../../../src/local/eventhubs/localEventHubs.js";
import { mapPartitionKeyToIndex } from "../../../src/local/eventhubs/partitionKeyHash.js";
// The SDK's own key→partition mapping (used by its buffered producer); not exported, so read by path.
import { mapPartitionKeyToId } from "../../../node_modules/@azure/event-hubs/dist/esm/impl/partitionKeyToIdMapper.js";

const SELECTOR = "apache.org:selector-filter:string";

function event(sequenceNumber: number, offset: number, enqueuedMs: number): ReceivedEvent {
  return {
    hub: "h",
    partitionId: "0",
    sequenceNumber,
    offset: String(offset),
    enqueuedTime: new Date(enqueuedMs),
    body: null,
    messageId: undefined,
    partitionKey: undefined,
    applicationProperties: {},
  };
}

describe("consumerFilter", () => {
  it("reads the selector forms the SDK sends (eventPosition.js getEventPositionFilter)", () => {
    expect(parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-offset > '-1'" })).to.deep.equal({
      kind: "after",
      field: "offset",
      value: -1,
      inclusive: false,
    });
    expect(parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-offset > '@latest'" })).to.deep.equal({
      kind: "latest",
    });
    expect(parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-offset >= '120'" })).to.include({
      field: "offset",
      value: 120,
      inclusive: true,
    });
    expect(parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-sequence-number > '7'" })).to.include({
      field: "sequenceNumber",
      value: 7,
      inclusive: false,
    });
    expect(
      parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-enqueued-time > '1700000000000'" }),
    ).to.include({
      field: "enqueuedTime",
      value: 1700000000000,
    });
  });

  it("treats a missing filter as the start and refuses expressions it does not understand", () => {
    expect(parseStartPosition(undefined)).to.include({ field: "offset", value: -1 });
    expect(() => parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-offset < '5'" })).to.throw(
      /unsupported/,
    );
    expect(() => parseStartPosition({ [SELECTOR]: "amqp.annotation.x-opt-offset > 'abc'" })).to.throw(
      /unsupported/,
    );
  });

  it("compares strictly or inclusively on the chosen field", () => {
    const e = event(5, 500, 1000);
    expect(isAtOrAfter(e, { kind: "after", field: "sequenceNumber", value: 5, inclusive: false })).to.equal(
      false,
    );
    expect(isAtOrAfter(e, { kind: "after", field: "sequenceNumber", value: 5, inclusive: true })).to.equal(
      true,
    );
    expect(isAtOrAfter(e, { kind: "after", field: "offset", value: 499, inclusive: false })).to.equal(true);
    expect(isAtOrAfter(e, { kind: "after", field: "enqueuedTime", value: 1000, inclusive: false })).to.equal(
      false,
    );
    expect(isAtOrAfter(e, { kind: "latest" })).to.equal(false);
  });
});

describe("partitionKeyHash", () => {
  it("maps keys exactly as the SDK's own mapper does, for keys of every tail length", () => {
    const keys = Array.from({ length: 60 }, (_, i) => "building-".repeat(1 + (i % 3)).slice(0, i + 1) + i);
    keys.push("", "ü-ñicode-キー", "a".repeat(100));
    for (const count of [1, 2, 4, 7, 32]) {
      for (const key of keys) {
        expect(mapPartitionKeyToIndex(key, count), `${key} / ${count}`).to.equal(
          mapPartitionKeyToId(key, count),
        );
      }
    }
  });
});

describe("addresses", () => {
  it("classifies the SDK's link addresses and token audiences", () => {
    expect(parseLinkAddress("$cbs")).to.deep.equal({ kind: "cbs" });
    expect(parseLinkAddress("$management")).to.deep.equal({ kind: "management" });
    expect(parseLinkAddress("hub-a")).to.deep.equal({ kind: "hub", hub: "hub-a", partitionId: undefined });
    expect(parseLinkAddress("hub-a/Partitions/3")).to.deep.equal({
      kind: "hub",
      hub: "hub-a",
      partitionId: "3",
    });
    expect(parseLinkAddress("hub-a/ConsumerGroups/$default/Partitions/1")).to.deep.equal({
      kind: "consumer",
      hub: "hub-a",
      consumerGroup: "$default",
      partitionId: "1",
    });
    expect(parseLinkAddress("a/b/c").kind).to.equal("unknown");
    expect(hubOfAudience("sb://127.0.0.1:5673/hub-a/Partitions/0")).to.equal("hub-a");
    expect(hubOfAudience("sb://127.0.0.1:5673/hub-a/$management")).to.equal("hub-a");
    expect(hubOfAudience("sb://127.0.0.1:5673/")).to.equal(undefined);
  });
});

describe("batchDecoding", () => {
  it("decodes a batch envelope of one event (a single Buffer) and of several (an array)", () => {
    const encode = (body: string): Buffer =>
      rhea.message.encode({ body: rhea.message.data_section(Buffer.from(JSON.stringify(body))) });
    const one = rhea.message.encode({ body: rhea.message.data_sections([encode("only")]) });
    const three = rhea.message.encode({ body: rhea.message.data_sections(["x", "y", "z"].map(encode)) });

    expect(decodeTransfer(one, BATCH_MESSAGE_FORMAT).events).to.have.length(1);
    const decoded = decodeTransfer(three, BATCH_MESSAGE_FORMAT);
    expect(decoded.events).to.have.length(3);
    expect(decoded.sizeInBytes).to.equal(three.length);
    const plain = decodeTransfer(encode("single"), 0);
    expect(plain.events).to.have.length(1);
  });
});
