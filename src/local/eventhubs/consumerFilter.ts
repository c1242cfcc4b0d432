import type { ReceivedEvent } from "./hubStore.js";

/**
 * Where a consumer link starts reading. The SDK sends exactly one selector expression
 * (`eventPosition.js` `getEventPositionFilter`), under the filter key
 * `apache.org:selector-filter:string`, of these forms:
 *   amqp.annotation.x-opt-offset > '-1'          earliestEventPosition
 *   amqp.annotation.x-opt-offset > '@latest'     latestEventPosition
 *   amqp.annotation.x-opt-offset >[=] '<offset>'
 *   amqp.annotation.x-opt-sequence-number >[=] '<n>'   (also used on reconnect, from its checkpoint)
 *   amqp.annotation.x-opt-enqueued-time > '<ms since epoch>'
 */
export type StartPosition =
  | { kind: "latest" }
  | { kind: "after"; field: "offset" | "sequenceNumber" | "enqueuedTime"; value: number; inclusive: boolean };

export const SELECTOR_FILTER_KEY = "apache.org:selector-filter:string";

const EXPRESSION =
  /^\s*amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'\s*$/i;

const FIELDS = {
  offset: "offset",
  "sequence-number": "sequenceNumber",
  "enqueued-time": "enqueuedTime",
} as const;

/**
 * Reads the start position from a receiver link's source filter map. No filter means the start
 * of the partition; an expression this server does not understand is an error, so the attach is
 * refused rather than silently reading from the wrong place.
 */
export function parseStartPosition(filter: unknown): StartPosition {
  const expression = selectorExpression(filter);
  if (expression === undefined) return { kind: "after", field: "offset", value: -1, inclusive: false };
  const match = EXPRESSION.exec(expression);
  const [, rawField = "", operator = "", rawValue = ""] = match ?? [];
  const field = FIELDS[rawField.toLowerCase() as keyof typeof FIELDS];
  if (!match || field === undefined) throw new Error(`unsupported selector filter: ${expression}`);
  if (field === "offset" && rawValue === "@latest") return { kind: "latest" };
  const value = Number(rawValue);
  if (!Number.isFinite(value)) throw new Error(`unsupported value in selector filter: ${expression}`);
  return { kind: "after", field, value, inclusive: operator === ">=" };
}

/** Whether an event lies at or past the start position. */
export function isAtOrAfter(event: ReceivedEvent, position: StartPosition): boolean {
  if (position.kind === "latest") return false;
  const actual =
    position.field === "offset"
      ? Number(event.offset)
      : position.field === "sequenceNumber"
        ? event.sequenceNumber
        : event.enqueuedTime.getTime();
  return position.inclusive ? actual >= position.value : actual > position.value;
}

/** The selector text: rhea hands the described filter value over as the bare string (or wrapped). */
function selectorExpression(filter: unknown): string | undefined {
  if (typeof filter !== "object" || filter === null) return undefined;
  const entry: unknown = (filter as Record<string, unknown>)[SELECTOR_FILTER_KEY];
  if (typeof entry === "string") return entry;
  if (typeof entry === "object" && entry !== null && "value" in entry) {
    const { value } = entry as { value: unknown };
    if (typeof value === "string") return value;
  }
  return undefined;
}
