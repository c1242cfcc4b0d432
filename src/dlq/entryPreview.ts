import type { DeadLetterRecord } from "./deadLetterQueue.js";
import { reasonOf } from "./dlqOverview.js";

export interface PreviewOptions {
  /** Events shown (the first ones). Default 3. */
  readonly events?: number;
  /** Characters of each event body's JSON kept. Default 300. */
  readonly bodyChars?: number;
}

export const DEFAULT_PREVIEW_OPTIONS = { events: 3, bodyChars: 300 } as const;

/** What `dlq show` prints of one event: identity, routing and a cut body. */
export interface EventPreview {
  readonly id: string;
  readonly partitionKey: string;
  readonly time: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
  readonly body: string;
}

export type EntryPreview =
  | {
      readonly state: "ok";
      readonly id: string;
      readonly pipeline: string;
      readonly hub: string;
      readonly location: string;
      readonly window: { readonly from: string; readonly to: string };
      readonly error: string;
      /** The pipeline's own send attempts before it was dead-lettered. */
      readonly attempts: number;
      /** Failed replays since (these park it at DLQ_MAX_ATTEMPTS). */
      readonly replayAttempts: number;
      readonly firstFailedAt: string;
      readonly lastFailedAt: string;
      readonly eventCount: number;
      readonly events: readonly EventPreview[];
    }
  | { readonly state: "corrupt"; readonly reason: string; readonly raw: string };

/**
 * A dead letter cut to a readable size: the first few events with their bodies truncated (an
 * entry may hold a thousand events). The caller still redacts what it prints.
 */
export function previewEntry(record: DeadLetterRecord, options: PreviewOptions = {}): EntryPreview {
  const bodyChars = options.bodyChars ?? DEFAULT_PREVIEW_OPTIONS.bodyChars;
  if (record.state === "corrupt") {
    return { state: "corrupt", reason: reasonOf(record), raw: truncate(record.raw, bodyChars) };
  }
  const e = record.entry;
  return {
    state: "ok",
    id: e.id,
    pipeline: e.pipeline,
    hub: e.hub,
    location: e.location,
    window: e.window,
    error: reasonOf(record),
    attempts: e.attempts,
    replayAttempts: e.replayAttempts,
    firstFailedAt: e.firstFailedAt,
    lastFailedAt: e.lastFailedAt,
    eventCount: e.events.length,
    events: e.events.slice(0, options.events ?? DEFAULT_PREVIEW_OPTIONS.events).map((event) => ({
      id: event.id,
      partitionKey: event.partitionKey,
      time: event.time instanceof Date ? event.time.toISOString() : String(event.time),
      properties: event.properties,
      body: truncate(JSON.stringify(event.body), bodyChars),
    })),
  };
}

/** `text` cut to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}
