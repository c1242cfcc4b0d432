import rhea, { type Message } from "rhea";
import { decodeMessage } from "./rheaInternals.js";

/**
 * The message format `@azure/event-hubs` puts on a batch transfer (`eventHubSender.js`,
 * `format: 0x80013700`): an envelope whose body is one `data` section per event, each holding a
 * whole encoded AMQP message.
 */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

const DATA_SECTION = 0x75;
const SEQUENCE_SECTION = 0x76;

/** One transfer taken apart: its events, the envelope's annotations and its size on the wire. */
export interface DecodedTransfer {
  events: Message[];
  eventCount: number;
  envelope: Message;
  sizeInBytes: number;
}

/** A transfer whose events were counted, not decoded (LocalEventHubsOptions.retainEvents false). */
export interface CountedTransfer {
  events: undefined;
  eventCount: number;
  envelope: Message;
  sizeInBytes: number;
}

/**
 * Decodes what rhea hands the `message` handler. For a non-zero format rhea gives the raw
 * transfer Buffer (`session.js` `Incoming.on_transfer`); for format 0 an already decoded message,
 * which is re-encoded only to learn its size.
 */
export function decodeTransfer(payload: Message | Buffer, format: number | undefined): DecodedTransfer {
  if (Buffer.isBuffer(payload)) {
    const envelope = decodeMessage(payload);
    const events =
      format === BATCH_MESSAGE_FORMAT
        ? sectionBuffers(envelope.body).map((section) => decodeMessage(section))
        : [envelope];
    return { events, eventCount: events.length, envelope, sizeInBytes: payload.length };
  }
  return {
    events: [payload],
    eventCount: 1,
    envelope: payload,
    sizeInBytes: rhea.message.encode(payload).length,
  };
}

/** Like `decodeTransfer`, but only the envelope is decoded: its data sections are counted. */
export function countTransfer(payload: Message | Buffer, format: number | undefined): CountedTransfer {
  const decoded = Buffer.isBuffer(payload) ? undefined : decodeTransfer(payload, format);
  if (decoded !== undefined) return { ...decoded, events: undefined };
  const envelope = decodeMessage(payload as Buffer);
  const eventCount = format === BATCH_MESSAGE_FORMAT ? sectionBuffers(envelope.body).length : 1;
  return { events: undefined, eventCount, envelope, sizeInBytes: (payload as Buffer).length };
}

/** The data sections of a batch envelope: one event is a single Buffer, several an array. */
function sectionBuffers(body: unknown): Buffer[] {
  const content = isSection(body) ? body.content : body;
  const items = Array.isArray(content) ? content : [content];
  return items.filter((item): item is Buffer => Buffer.isBuffer(item));
}

interface Section {
  typecode: number;
  content: unknown;
  multiple?: boolean;
}

function isSection(value: unknown): value is Section {
  return typeof value === "object" && value !== null && "typecode" in value && "content" in value;
}

/**
 * The event body as the SDK's `defaultDataTransformer.decode` would give it: a `data` section is
 * JSON-parsed when it holds JSON text, else left a Buffer; a `value` section is the value itself.
 */
export function decodeBody(body: unknown): unknown {
  if (!isSection(body)) return body;
  if (body.typecode === DATA_SECTION && Buffer.isBuffer(body.content)) {
    try {
      return JSON.parse(body.content.toString("utf8")) as unknown;
    } catch {
      return body.content;
    }
  }
  if (body.typecode === SEQUENCE_SECTION) return body.content;
  return body.content;
}

/** AMQP `message_id` (string, ulong, uuid or binary) as a string. */
export function messageIdToString(messageId: unknown): string | undefined {
  if (messageId === undefined || messageId === null) return undefined;
  if (typeof messageId === "string") return messageId;
  if (Buffer.isBuffer(messageId)) {
    return messageId.length === 16 ? rhea.uuid_to_string(messageId) : messageId.toString("hex");
  }
  return String(messageId);
}
