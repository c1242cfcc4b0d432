import type { MalformedKind, MalformedRule } from "./simulatorOptions.js";

export interface RawBody {
  contentType: string;
  body: string;
  /** Announced in Content-Length when it differs from the body: the connection is closed after the body. */
  declaredLength?: number;
  contentEncoding?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The key whose array the "line-not-array" kind turns into an object, per endpoint. */
const ARRAY_KEY: Record<MalformedRule["endpoint"], string> = {
  view: "line",
  device: "devices",
  share: "objs",
};

export function appliesTo(
  rule: MalformedRule | undefined,
  endpoint: string,
  call: number,
): rule is MalformedRule {
  if (!rule || rule.endpoint !== endpoint) return false;
  return rule.onCalls === undefined || rule.onCalls.includes(call);
}

function mapDeep(value: unknown, visit: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapDeep(v, visit));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = visit(k, mapDeep(v, visit));
    return out;
  }
  return value;
}

/**
 * Distorts a successful JSON payload the way a misbehaving gateway or an old record could:
 * an HTML error page with status 200, an envelope without objs, an array turned into an object,
 * ISO dates as Mongo extended JSON ({"$date": ms}), or a body cut in half.
 */
export function malform(kind: MalformedKind, endpoint: MalformedRule["endpoint"], payload: unknown): RawBody {
  const json = (value: unknown): RawBody => ({
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify(value),
  });
  switch (kind) {
    case "not-json":
      return {
        contentType: "text/html; charset=utf-8",
        body: "<html><body><h1>Service temporarily unavailable</h1></body></html>",
      };
    case "missing-objs": {
      const copy = payload && typeof payload === "object" ? { ...payload } : {};
      delete (copy as { objs?: unknown }).objs;
      return json(copy);
    }
    case "line-not-array": {
      const key = ARRAY_KEY[endpoint];
      return json(
        mapDeep(payload, (k, v) => (k === key && Array.isArray(v) ? Object.fromEntries(v.entries()) : v)),
      );
    }
    case "extended-json-dates":
      return json(
        mapDeep(payload, (_k, v) =>
          typeof v === "string" && ISO_DATE.test(v) ? { $date: Date.parse(v) } : v,
        ),
      );
    case "contradictory-count": {
      const copy = payload && typeof payload === "object" ? { ...payload } : {};
      return json({ ...copy, objs: [] });
    }
    case "cut-short": {
      const full = JSON.stringify(payload);
      return {
        contentType: "application/json; charset=utf-8",
        body: full.slice(0, Math.floor(full.length / 2)),
        declaredLength: Buffer.byteLength(full),
      };
    }
    case "broken-gzip":
      return {
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify(payload),
        contentEncoding: "gzip",
      };
    case "truncated-json": {
      const full = JSON.stringify(payload);
      return {
        contentType: "application/json; charset=utf-8",
        body: full.slice(0, Math.floor(full.length / 2)),
      };
    }
  }
}
