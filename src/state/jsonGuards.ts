/** Small type guards for values read back from storage (JSON files, Redis strings). */

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === "string";
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

export function isIsoDate(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

/** True when `value` is an object whose every value passes `guard`. */
export function isRecordOf<T>(
  value: unknown,
  guard: (v: unknown) => v is T,
): value is Readonly<Record<string, T>> {
  return isObject(value) && Object.values(value).every((v) => guard(v));
}

/** A guard for records of records (e.g. pipeline → location → value). */
export function recordOf<T>(guard: (v: unknown) => v is T): (v: unknown) => v is Readonly<Record<string, T>> {
  return (v: unknown): v is Readonly<Record<string, T>> => isRecordOf(v, guard);
}

/** Parses JSON without throwing: the value, or the parser's complaint. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * Sets an own property even for keys like "__proto__" (ids, locations and counter names come
 * from outside: a plain assignment would change the prototype instead of storing the value).
 */
export function setOwn<V>(record: Record<string, V>, key: string, value: NoInfer<V>): V {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

/** Reads an own property only (so "__proto__" or "constructor" never return inherited values). */
export function getOwn<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
