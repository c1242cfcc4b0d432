import { MicroshareError } from "./microshareError.js";

/** One page of Microshare's list/view envelope, validated. */
export interface EnvelopePage {
  readonly objs: readonly unknown[];
  readonly currentPage: number | undefined;
  readonly totalPages: number | undefined;
  readonly totalCount: number | undefined;
}

/** Validates `body` as `{meta?, objs: []}`; a wrong shape is reported with `context`, never crashes. */
export function parseEnvelope(
  body: unknown,
  context: Readonly<Record<string, string | number>>,
): EnvelopePage {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw malformed("the response is not a JSON object", context);
  }
  const { objs, meta } = body as { objs?: unknown; meta?: unknown };
  if (!Array.isArray(objs)) throw malformed('the response has no "objs" array', context);
  const m = meta !== null && typeof meta === "object" ? (meta as Record<string, unknown>) : {};
  return {
    objs,
    currentPage: positiveInteger(m.currentPage),
    totalPages: positiveInteger(m.totalPages),
    totalCount: positiveInteger(m.totalCount),
  };
}

export function malformed(what: string, context: Readonly<Record<string, string | number>>): MicroshareError {
  return new MicroshareError("malformed-response", `Microshare sent a malformed response: ${what}`, {
    context,
  });
}

function positiveInteger(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}
