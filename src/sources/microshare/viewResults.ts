import { concat, defer, map, mergeMap, of, reduce, type Observable } from "rxjs";
import {
  formatWindow,
  inclusiveEndIso,
  splitWindowInto,
  windowLengthInMs,
  type TimeWindow,
} from "../../model/timeWindow.js";
import { VIEW_FILL } from "../../model/viewFill.js";
import { allPages } from "./allPages.js";
import { annotateFailure, type FailureHints } from "./annotateFailure.js";
import { malformed, parseEnvelope } from "./envelope.js";
import { normaliseExtendedJson } from "./extendedJson.js";
import type { MicroshareClient } from "./microshareClient.js";

/** A dashboard view and its fixed parameters (everything but loc1, from, to, page). */
export interface ViewQuery {
  readonly viewId: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface ViewQueryOptions {
  readonly location: string;
  readonly window: TimeWindow;
  /** The view returns at most this many lines: reaching it means older lines may be missing. */
  readonly viewLimit: number;
  readonly perPage: number;
  readonly maxPages: number;
  /** Windows are not split below this length; a still-full response is emitted with `truncated`. */
  readonly minWindowInMs: number;
}

/** One location group of a view response: `data._id.tags` and its time-ordered `line`. */
export interface ViewGroup {
  readonly tags: readonly string[];
  readonly lines: readonly Readonly<Record<string, unknown>>[];
}

export interface ViewResult {
  readonly location: string;
  readonly window: TimeWindow;
  readonly groups: readonly ViewGroup[];
  readonly lineCount: number;
  /** True when the response was still full at the minimum window: lines may be missing. */
  readonly truncated: boolean;
}

/**
 * Reads a view for one location and window, all pages, and emits complete results. A view
 * keeps only its `viewLimit` most recent lines and silently drops older ones, so a full
 * response is discarded and the window is read again in shorter windows, recursively, down to
 * `minWindowInMs`. How many: as many as the full response's density says are needed to stay
 * under the limit (its lines span from the oldest it holds to the window's end), at least two.
 * Each emitted result is bounded by the view limit: memory does not grow with the window.
 */
export function viewResults$(
  client: MicroshareClient,
  query: ViewQuery,
  options: ViewQueryOptions,
): Observable<ViewResult> {
  return readWindow(client, query, options, options.window);
}

function readWindow(
  client: MicroshareClient,
  query: ViewQuery,
  options: ViewQueryOptions,
  window: TimeWindow,
): Observable<ViewResult> {
  return readAllPages(client, query, options, window).pipe(
    mergeMap((result) => {
      if (result.lineCount < options.viewLimit) return of(result);
      const pieces = splitCount(result, window, options);
      if (pieces < 2) return of({ ...result, truncated: true });
      return concat(
        ...splitWindowInto(window, pieces).map((piece) =>
          defer(() => readWindow(client, query, options, piece)),
        ),
      );
    }),
  );
}

/**
 * Into how many windows a full response's window is read again. The response holds the most
 * recent lines, so from the oldest of them to the window's end it is complete: that span's
 * density, over the whole window, says how many lines there are, and so how many windows of
 * VIEW_FILL × the limit cover them (halves when the lines carry no time). Never below
 * MICROSHARE_MIN_WINDOW, nor below 1 ms (MICROSHARE_MIN_WINDOW=0ms is valid): fewer than two
 * means it cannot be split. At most MAX_SPLIT: the estimate assumes lines are spread evenly, and
 * a window whose lines all sit at its end (a building that came online an hour ago) would
 * otherwise fan out into hundreds of empty calls; a piece still full splits again by its own.
 */
function splitCount(result: ViewResult, window: TimeWindow, options: ViewQueryOptions): number {
  const length = windowLengthInMs(window);
  const most = Math.floor(length / Math.max(1, options.minWindowInMs));
  const oldest = oldestLineTime(result.groups);
  let pieces = 2;
  if (oldest !== undefined && oldest > window.from.getTime() && oldest < window.to.getTime()) {
    const estimated = (result.lineCount * length) / (window.to.getTime() - oldest);
    pieces = Math.max(2, Math.ceil(estimated / (VIEW_FILL * options.viewLimit)));
  }
  return Math.min(pieces, most, MAX_SPLIT);
}

const MAX_SPLIT = 16;

function oldestLineTime(groups: readonly ViewGroup[]): number | undefined {
  let oldest: number | undefined;
  for (const group of groups)
    for (const line of group.lines) {
      const time = typeof line.time === "string" ? Date.parse(line.time) : Number.NaN;
      if (!Number.isNaN(time) && (oldest === undefined || time < oldest)) oldest = time;
    }
  return oldest;
}

function readAllPages(
  client: MicroshareClient,
  query: ViewQuery,
  options: ViewQueryOptions,
  window: TimeWindow,
): Observable<ViewResult> {
  const endpoint = "GET /share (view)";
  const params = {
    id: query.viewId,
    ...query.params,
    loc1: options.location,
    from: window.from.toISOString(),
    to: inclusiveEndIso(window),
    perPage: String(options.perPage),
  };
  const where = { endpoint, viewId: query.viewId, location: options.location, window: formatWindow(window) };
  return allPages((page) => {
    const context = { ...where, page };
    return client
      .getJson$(
        "/share/io.microshare.fm.master.agg/",
        { ...params, page: String(page) },
        endpoint,
        (body) => ({
          ...parseEnvelope(body, context),
          groups: parseGroups(body, context),
        }),
      )
      .pipe(annotateFailure(context, viewHints(query.viewId)));
  }, options.maxPages).pipe(
    annotateFailure(where),
    reduce((groups: ViewGroup[], page) => groups.concat(page.groups), []),
    map((groups) => ({
      location: options.location,
      window,
      groups,
      lineCount: groups.reduce((n, g) => n + g.lines.length, 0),
      truncated: false,
    })),
  );
}

function viewHints(viewId: string): FailureHints {
  return {
    "not-found": `check the dashboard view id "${viewId}" (MICROSHARE_PC_DASHBOARD_VIEW_ID or MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID)`,
    "view-template":
      "check MICROSHARE_PC_DATA_CONTEXT or MICROSHARE_SNAPSHOT_DATA_CONTEXT (one JSON array) and the view parameters",
  };
}

function parseGroups(body: unknown, context: Readonly<Record<string, string | number>>): ViewGroup[] {
  const objs = (body as { objs: unknown[] }).objs;
  return objs.map((obj) => {
    const data = (obj as { data?: unknown } | null)?.data;
    if (data === null || typeof data !== "object")
      throw malformed('a view group has no "data" object', context);
    const { _id, line } = data as { _id?: { tags?: unknown }; line?: unknown };
    if (!Array.isArray(line)) throw malformed('a view group\'s "line" is not an array', context);
    const tags = Array.isArray(_id?.tags) ? _id.tags.filter((t): t is string => typeof t === "string") : [];
    const lines = line.map((l) => {
      if (l === null || typeof l !== "object" || Array.isArray(l))
        throw malformed("a view line is not an object", context);
      return normaliseExtendedJson(l) as Record<string, unknown>;
    });
    return { tags, lines };
  });
}
