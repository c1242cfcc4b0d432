import type { EventData, EventDataBatch, EventHubProducerClient, OperationOptions } from "@azure/event-hubs";
import { yieldToEventLoop } from "../concurrency/yieldToEventLoop.js";
import type { OutboundEvent } from "../model/outboundEvent.js";

/** Events encoded between two yields to the event loop (about 2-3 ms of CPU). */
const YIELD_EVERY = 100;

/**
 * The AMQP message of an event: `id` → messageId (consumers dedupe on it). The SDK's `EventData`
 * calls the AMQP application properties `properties` (it writes them as `application_properties`).
 *
 * The body goes in as its JSON text (UTF-8): byte for byte what the SDK writes for an object
 * body (`JSON.stringify` into a data section), and what its consumers parse back into the same
 * object. Serialised once per event, not once per hub.
 */
export function toEventData(event: OutboundEvent): EventData {
  return {
    body: jsonBody(event),
    messageId: event.id,
    contentType: "application/json",
    properties: { ...event.properties },
  };
}

/** The JSON text of each event's body, shared by the hub lanes that encode it (weakly held). */
const jsonBodies = new WeakMap<OutboundEvent, Buffer>();

function jsonBody(event: OutboundEvent): Buffer {
  let body = jsonBodies.get(event);
  if (body === undefined) {
    body = Buffer.from(JSON.stringify(event.body), "utf8");
    jsonBodies.set(event, body);
  }
  return body;
}

/** An event that does not fit into an EMPTY batch of the hub: it can never be sent as it is. */
export interface OversizedEvent {
  readonly event: OutboundEvent;
  /** The JSON body and application properties; the AMQP envelope adds a little more. */
  readonly approximateSizeInBytes: number;
  /** The hub's largest batch (`max_message_size` of its link). */
  readonly maxSizeInBytes: number;
}

export interface PackedBatch {
  readonly batch: EventDataBatch;
  /** The events inside `batch`, in order. */
  readonly events: readonly OutboundEvent[];
  /** Events skipped because they fit into no batch; they came before `events`' first event. */
  readonly oversized: readonly OversizedEvent[];
  /** How many of the input events this pack used up (batched + oversized). */
  readonly consumed: number;
}

export interface PackOptions extends OperationOptions {
  readonly partitionKey: string;
  readonly maxEvents: number;
}

/**
 * Fills ONE batch from the front of `events` (all of one partition key): `createBatch` takes the
 * hub's size limit from its link, `tryAdd` decides by encoded bytes, and `maxEvents` caps the
 * count. Stops at the first event that does not fit into a non-empty batch (it starts the next
 * batch); an event that does not fit into the empty batch is reported as oversized, never dropped.
 */
export async function packBatch(
  producer: EventHubProducerClient,
  events: readonly OutboundEvent[],
  options: PackOptions,
): Promise<PackedBatch> {
  const batch = await producer.createBatch({
    partitionKey: options.partitionKey,
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  });
  const taken: OutboundEvent[] = [];
  const oversized: OversizedEvent[] = [];
  let consumed = 0;
  for (const event of events) {
    if (taken.length >= options.maxEvents) break;
    // Encoding costs tens of microseconds an event: a full batch is tens of milliseconds of
    // CPU. Slices keep the event loop free for responses and requests of other units.
    if (consumed > 0 && consumed % YIELD_EVERY === 0) await yieldToEventLoop();
    if (batch.tryAdd(toEventData(event))) {
      taken.push(event);
    } else if (taken.length > 0) {
      break;
    } else {
      oversized.push({
        event,
        approximateSizeInBytes: approximateSizeInBytes([event]),
        maxSizeInBytes: batch.maxSizeInBytes,
      });
    }
    consumed++;
  }
  return { batch, events: taken, oversized, consumed };
}

/** The AMQP sections and type codes around an event's id, properties and body (measured: ~110). */
const AMQP_ENVELOPE_BYTES = 128;

/**
 * About what the batch packed from the front of `events` will weigh (at most `maxEvents` events
 * and `maxBatchBytes`), before packing it, erring high: what a hub's budget of batches in flight
 * is charged. The bodies' JSON is the one `toEventData` uses next (nothing is serialised twice);
 * the properties and id of the first event stand for all (one location, one pipeline).
 */
export function estimatedBatchBytes(
  events: readonly OutboundEvent[],
  maxEvents: number,
  maxBatchBytes: number,
): number {
  const first = events[0];
  if (first === undefined) return 0;
  const envelope =
    Buffer.byteLength(JSON.stringify(first.properties)) + first.id.length + AMQP_ENVELOPE_BYTES;
  let total = 0;
  const count = Math.min(events.length, maxEvents);
  for (let i = 0; i < count && total < maxBatchBytes; i++) total += jsonBody(events[i]!).length + envelope;
  return Math.min(total, maxBatchBytes);
}

/** Bytes of the JSON bodies and properties: what a batch that was never packed would weigh. */
export function approximateSizeInBytes(events: readonly OutboundEvent[]): number {
  let total = 0;
  for (const event of events) {
    total += jsonBody(event).length + Buffer.byteLength(JSON.stringify(event.properties));
  }
  return total;
}
