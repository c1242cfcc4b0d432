import { concatMap, from, type Observable } from "rxjs";
import { formatWindow, inclusiveEndIso, type TimeWindow } from "../../model/timeWindow.js";
import { allPages } from "./allPages.js";
import { malformed, parseEnvelope } from "./envelope.js";
import { normaliseExtendedJson } from "./extendedJson.js";
import type { MicroshareClient } from "./microshareClient.js";

export interface ShareRecordQuery {
  readonly recType: string;
  readonly window: TimeWindow;
  readonly perPage: number;
  readonly maxPages: number;
}

/** A stored record of the plain share list, extended JSON normalised (`tstamp` an ISO string). */
export interface ShareRecord {
  readonly id: string;
  readonly recType: string;
  readonly tstamp: Date;
  readonly tags: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The plain share list `GET /share/{recType}` for one window, page by page. Microshare documents
 * no time filter for this call, so `from`/`to` are sent (a server that knows them answers less)
 * AND every record is checked against the window here: correctness never depends on the server
 * honouring them. Records without a readable `tstamp` are a malformed response, not a silent drop.
 */
export function shareRecords$(client: MicroshareClient, query: ShareRecordQuery): Observable<ShareRecord> {
  const endpoint = "GET /share (list)";
  const path = `/share/${encodeURIComponent(query.recType)}`;
  const from$ = query.window.from.getTime();
  const to$ = query.window.to.getTime();
  return allPages((page) => {
    const context = { endpoint, recType: query.recType, window: formatWindow(query.window), page };
    return client.getJson$(
      path,
      {
        page: String(page),
        perPage: String(query.perPage),
        from: query.window.from.toISOString(),
        to: inclusiveEndIso(query.window),
      },
      endpoint,
      (body) => ({ ...parseEnvelope(body, context), context }),
    );
  }, query.maxPages).pipe(
    concatMap((page) => from(page.objs.map((obj) => toShareRecord(obj, page.context)))),
    concatMap((record) => {
      const t = record.tstamp.getTime();
      return t >= from$ && t < to$ ? [record] : [];
    }),
  );
}

function toShareRecord(obj: unknown, context: Readonly<Record<string, string | number>>): ShareRecord {
  const record = normaliseExtendedJson(obj) as Record<string, unknown> | null;
  if (record === null || typeof record !== "object")
    throw malformed("a share record is not an object", context);
  const tstamp = typeof record.tstamp === "string" ? Date.parse(record.tstamp) : Number.NaN;
  if (Number.isNaN(tstamp)) throw malformed('a share record has no readable "tstamp"', context);
  const data =
    record.data !== null && typeof record.data === "object" ? (record.data as Record<string, unknown>) : {};
  return {
    id: typeof record.id === "string" ? record.id : "",
    recType: typeof record.recType === "string" ? record.recType : "",
    tstamp: new Date(tstamp),
    tags: Array.isArray(record.tags) ? record.tags.filter((t): t is string => typeof t === "string") : [],
    data,
  };
}
