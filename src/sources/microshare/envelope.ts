import { MicroshareError } from "./microshareError.js";

/** One page of Microshare's list/view envelope, validated. */
export interface EnvelopePage {
  readonly objs: readonly unknown[];
  readonly currentPage: number | undefined;
  readonly totalPages: number | undefined;
  readonly totalCount: number | undefined;
  /** Records on this page, as the server counts them (view pages count location groups). */
  readonly currentCount: number | undefined;
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
  const currentCount = positiveInteger(m.currentCount);
  // `totalCount` may count other tenants' records (microshare-api.md §2), but `currentCount` is
  // this page's own: more than `objs` holds means records went missing on the way, and reading
  // the page as it is would move a watermark past them.
  if (currentCount !== undefined && currentCount > objs.length) {
    throw new MicroshareError(
      "contradictory-page",
      `Microshare sent a page that contradicts itself: meta.currentCount is ${currentCount} but objs holds ${objs.length}`,
      { context },
    );
  }
  return {
    objs,
    currentPage: positiveInteger(m.currentPage),
    totalPages: positiveInteger(m.totalPages),
    totalCount: positiveInteger(m.totalCount),
    currentCount,
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
