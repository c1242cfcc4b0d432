import type { OutboundEvent } from "../../src/model/outboundEvent.js";
import type { NewDeadLetter } from "../../src/dlq/deadLetterQueue.js";

export function sampleEvent(n: number, location = "building-1"): OutboundEvent {
  return {
    id: `event-${n}`,
    partitionKey: location,
    time: new Date(Date.UTC(2024, 4, 1, 12, n % 60, 0, 123)),
    body: { count: n, nested: { room: `room-${n}` } },
    properties: { recType: "io.tracknet.peoplecounter", pipeline: "peoplecounter", location, sequence: n },
  };
}

export function deadLetter(overrides: Partial<NewDeadLetter> = {}): NewDeadLetter {
  return {
    pipeline: "peoplecounter",
    hub: "hub-a",
    location: "building-1",
    window: { from: "2024-05-01T12:00:00.000Z", to: "2024-05-01T12:15:00.000Z" },
    events: [sampleEvent(1), sampleEvent(2)],
    error: { name: "ServiceUnavailableError", code: "ServiceUnavailable", message: "hub said no" },
    attempts: 0,
    ...overrides,
  };
}
