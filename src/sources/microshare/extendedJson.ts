/**
 * Older Microshare records use Mongo extended JSON: `{"$date": 1495501715141}`,
 * `{"$date": {"$numberLong": "…"}}`, `{"$date": "2017-…Z"}`, `{"$oid": "…"}`. Normalising them
 * to ISO strings and plain ids here means nothing downstream has to know both shapes. The input
 * is not modified; what holds no extended JSON is returned as it is (not copied).
 */
export function normaliseExtendedJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    // Copied only when an element changes: most pages hold no extended JSON at all, and a
    // copy of every line would be work and garbage for nothing.
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const normalised = normaliseExtendedJson(item);
      if (normalised !== item) (out ??= value.slice())[i] = normalised;
    }
    return out ?? value;
  }
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    if (keys[0] === "$oid" && typeof obj.$oid === "string") return obj.$oid;
    if (keys[0] === "$date") {
      const iso = dateToIso(obj.$date);
      if (iso !== undefined) return iso;
    }
  }
  let out: Record<string, unknown> | undefined;
  for (const key of keys) {
    const normalised = normaliseExtendedJson(obj[key]);
    if (normalised !== obj[key]) (out ??= { ...obj })[key] = normalised;
  }
  return out ?? obj;
}

function dateToIso(raw: unknown): string | undefined {
  let ms: number | undefined;
  if (typeof raw === "number") ms = raw;
  else if (typeof raw === "string") ms = Date.parse(raw);
  else if (
    raw !== null &&
    typeof raw === "object" &&
    typeof (raw as { $numberLong?: unknown }).$numberLong === "string"
  ) {
    ms = Number((raw as { $numberLong: string }).$numberLong);
  }
  // Outside the Date range (±8.64e15 ms) toISOString throws: one odd record must not crash a page.
  const date = ms === undefined ? undefined : new Date(ms);
  if (date === undefined || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}
