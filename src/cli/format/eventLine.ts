import type { ReceivedEventData } from "@azure/event-hubs";
import { truncate } from "../../dlq/entryPreview.js";
import { formatTime } from "./durations.js";

/** One received event as `tail` prints it on a line: partition, sequence number, time, id, body cut. */
export function formatEventLine(event: ReceivedEventData, partitionId: string, bodyChars = 200): string {
  return (
    `p${partitionId} #${event.sequenceNumber} ${formatTime(event.enqueuedTimeUtc.toISOString())} ` +
    `id=${messageIdOf(event) ?? "-"} ${truncate(bodyText(event.body), bodyChars)}`
  );
}

/** The same event as one JSON object (`tail --json` prints one per line, NDJSON). */
export function eventRecord(event: ReceivedEventData, partitionId: string): Record<string, unknown> {
  const body: unknown = event.body;
  return {
    partitionId,
    sequenceNumber: event.sequenceNumber,
    offset: event.offset,
    enqueuedTime: event.enqueuedTimeUtc.toISOString(),
    messageId: messageIdOf(event) ?? null,
    partitionKey: event.partitionKey,
    properties: event.properties ?? {},
    body: Buffer.isBuffer(body) ? body.toString("base64") : body,
  };
}

function messageIdOf(event: ReceivedEventData): string | undefined {
  const id = event.messageId;
  if (id === undefined) return undefined;
  return Buffer.isBuffer(id) ? id.toString("hex") : String(id);
}

function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return `<${body.length} bytes>`;
  return typeof body === "string" ? body : JSON.stringify(body);
}
