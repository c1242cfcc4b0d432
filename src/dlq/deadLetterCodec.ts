import type { Failure } from "../model/failure.js";
import { randomUUID } from "node:crypto";
import type { EventProperties, OutboundEvent } from "../model/outboundEvent.js";
import { redact } from "../observability/redact.js";
import type { DeadLetterEntry, DeadLetterRecord, NewDeadLetter } from "./deadLetterQueue.js";
import {
  isFiniteNumber,
  isIsoDate,
  isObject,
  isString,
  parseJson,
  type JsonObject,
} from "../state/jsonGuards.js";

/**
 * How dead letters are stored, shared by the Redis and file queues so both read, write and
 * reject entries identically. An entry is one JSON text; `OutboundEvent.time` is stored as an
 * ISO string and revived as a Date. A stored text that cannot be read is never dropped: it is
 * parked inside a wrapper `{"corrupt": true, "reason", "raw"}` that keeps the original text.
 */
export type DecodedDeadLetter =
  | { readonly state: "ok"; readonly entry: DeadLetterEntry }
  | {
      readonly state: "corrupt";
      readonly raw: string;
      readonly reason: string;
      /** The text to store in parked: the wrapper (a wrapper found again is not wrapped twice). */
      readonly parked: string;
    };

/** A new entry as stored: random id, both timestamps `now`, the error redacted. */
export function newDeadLetterEntry(entry: NewDeadLetter, now: Date): DeadLetterEntry {
  const at = now.toISOString();
  return {
    id: randomUUID(),
    pipeline: entry.pipeline,
    hub: entry.hub,
    location: entry.location,
    window: { from: entry.window.from, to: entry.window.to },
    attempts: entry.attempts,
    replayAttempts: 0,
    firstFailedAt: at,
    lastFailedAt: at,
    error: redactError(entry.error),
    events: entry.events,
  };
}

/** The entry after one more failed replay. */
export function failedAgain(entry: DeadLetterEntry, error: Failure, now: Date): DeadLetterEntry {
  return {
    ...entry,
    replayAttempts: entry.replayAttempts + 1,
    lastFailedAt: now.toISOString(),
    error: redactError(error),
  };
}

/** The entry put back from parked: its replay attempts start again. */
export function unparked(entry: DeadLetterEntry): DeadLetterEntry {
  return { ...entry, replayAttempts: 0 };
}

/** Error texts can echo connection strings or tokens (SDK errors do): never store one. */
export function redactError(error: Failure): Failure {
  const base = { name: redact(error.name), message: redact(error.message) };
  return error.code === undefined ? base : { ...base, code: redact(error.code) };
}

export function encodeDeadLetter(entry: DeadLetterEntry): string {
  return JSON.stringify(entry);
}

/** The parked form of text that is not a readable entry. */
export function corruptWrapper(raw: string, reason: string): string {
  return JSON.stringify({ corrupt: true, reason, raw });
}

/**
 * Reads one stored text. `expected` guards against an entry that sits in the wrong queue
 * (replaying it would send another pipeline's or hub's events to this hub).
 */
export function decodeDeadLetter(
  raw: string,
  expected: { pipeline: string; hub: string },
): DecodedDeadLetter {
  const parsed = parseJson(raw);
  if (!parsed.ok) return corrupt(raw, parsed.reason);
  const value = parsed.value;
  if (isObject(value) && value.corrupt === true && isString(value.raw) && isString(value.reason)) {
    return { state: "corrupt", raw: value.raw, reason: value.reason, parked: raw };
  }
  const entry = readEntry(value);
  if (typeof entry === "string") return corrupt(raw, entry);
  if (entry.pipeline !== expected.pipeline || entry.hub !== expected.hub) {
    return corrupt(raw, `entry belongs to pipeline "${entry.pipeline}" hub "${entry.hub}"`);
  }
  return { state: "ok", entry };
}

/** The public view of a decoded text (what `list` returns). */
export function toRecord(decoded: DecodedDeadLetter): DeadLetterRecord {
  return decoded.state === "ok"
    ? { state: "ok", entry: decoded.entry }
    : { state: "corrupt", raw: decoded.raw, reason: decoded.reason };
}

function corrupt(raw: string, reason: string): DecodedDeadLetter {
  return { state: "corrupt", raw, reason, parked: corruptWrapper(raw, reason) };
}

/** The entry, or why it is not one. */
function readEntry(value: unknown): DeadLetterEntry | string {
  if (!isObject(value)) return "not a JSON object";
  for (const field of ["id", "pipeline", "hub", "location"] as const) {
    if (!isString(value[field])) return `missing or invalid "${field}"`;
  }
  const window = value.window;
  if (!isObject(window) || !isString(window.from) || !isString(window.to))
    return `missing or invalid "window"`;
  if (!isFiniteNumber(value.attempts) || value.attempts < 0) return `missing or invalid "attempts"`;
  // Entries written before replay attempts were counted apart have none: they start at 0.
  const replayAttempts = value.replayAttempts ?? 0;
  if (!isFiniteNumber(replayAttempts) || replayAttempts < 0) return `invalid "replayAttempts"`;
  if (!isIsoDate(value.firstFailedAt)) return `missing or invalid "firstFailedAt"`;
  if (!isIsoDate(value.lastFailedAt)) return `missing or invalid "lastFailedAt"`;
  const error = readError(value.error);
  if (error === undefined) return `missing or invalid "error"`;
  if (!Array.isArray(value.events)) return `missing or invalid "events"`;
  const events: OutboundEvent[] = [];
  for (const [index, item] of (value.events as readonly unknown[]).entries()) {
    const event = readEvent(item);
    if (typeof event === "string") return `events[${index}]: ${event}`;
    events.push(event);
  }
  return {
    id: value.id as string,
    pipeline: value.pipeline as string,
    hub: value.hub as string,
    location: value.location as string,
    window: { from: window.from, to: window.to },
    attempts: value.attempts,
    replayAttempts,
    firstFailedAt: value.firstFailedAt,
    lastFailedAt: value.lastFailedAt,
    error,
    events,
  };
}

function readError(value: unknown): Failure | undefined {
  if (!isObject(value) || !isString(value.name) || !isString(value.message)) return undefined;
  if (value.code === undefined) return { name: value.name, message: value.message };
  return isString(value.code) ? { name: value.name, code: value.code, message: value.message } : undefined;
}

function readEvent(value: unknown): OutboundEvent | string {
  if (!isObject(value)) return "not an object";
  if (!isString(value.id)) return `missing or invalid "id"`;
  if (!isString(value.partitionKey)) return `missing or invalid "partitionKey"`;
  if (!isIsoDate(value.time)) return `missing or invalid "time"`;
  if (!isObject(value.body)) return `missing or invalid "body"`;
  const properties = readProperties(value.properties);
  if (properties === undefined) return `missing or invalid "properties"`;
  return {
    id: value.id,
    partitionKey: value.partitionKey,
    time: new Date(value.time),
    body: value.body,
    properties,
  };
}

function readProperties(value: unknown): EventProperties | undefined {
  if (
    !isObject(value) ||
    !isString(value.recType) ||
    !isString(value.pipeline) ||
    !isString(value.location)
  ) {
    return undefined;
  }
  const scalar = (v: unknown): boolean => ["string", "number", "boolean"].includes(typeof v);
  return Object.values(value).every(scalar) ? (value as JsonObject as EventProperties) : undefined;
}
