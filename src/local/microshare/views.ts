import type { Dataset, LineGroup } from "./dataset.js";
import type { Visibility } from "./lineSelection.js";
import { type PagingSwitches, envelope, parsePageRequest, slicePage } from "./pagination.js";
import { PEOPLE_COUNTER_AGG_RECTYPE } from "./peopleCounterLines.js";
import { type SimResponse, jsonResponse, notFound, textResponse } from "./simResponse.js";
import { SNAPSHOT_CATEGORY, SNAPSHOT_METRIC, SNAPSHOT_RECTYPE } from "./snapshotLines.js";

export const VIEW_RECTYPE = "io.microshare.fm.master.agg";

const FIELDS = ["field1", "field2", "field3", "field4", "field5", "field6"];
/** Every placeholder the stored aggregation substitutes; a missing one fails the whole call. */
const PEOPLE_COUNTER_PARAMS = ["recType", "dataContext", ...FIELDS, "loc1", "from", "to"];
const SNAPSHOT_PARAMS = [
  "recType",
  "dataContext",
  ...FIELDS,
  "category",
  "metric",
  "ownerOrg",
  "loc1",
  "from",
  "to",
];

export interface ViewContext {
  dataset: Dataset;
  visibility: Visibility;
  viewLimit: number;
  perPageDefault: number;
  paging: PagingSwitches;
}

/** The live service reports any substitution failure as a 503 with this text (a permanent client error). */
export function unresolvable(name: string): SimResponse {
  return textResponse(503, `[Error: unresolvable property or identifier: ${name}]`);
}

function isJsonArray(raw: string): boolean {
  try {
    return Array.isArray(JSON.parse(raw));
  } catch {
    return false;
  }
}

/** Checks the placeholders; returns the failing name, or the parsed window. */
function validate(
  query: URLSearchParams,
  required: readonly string[],
): string | { fromMs: number; toMs: number } {
  for (const name of required) if (!query.has(name)) return name;
  const contexts = query.getAll("dataContext");
  if (contexts.length !== 1 || !isJsonArray(contexts[0] ?? "")) return "dataContext";
  const fromMs = Date.parse(query.get("from") ?? "");
  if (Number.isNaN(fromMs)) return "from";
  const toMs = Date.parse(query.get("to") ?? "");
  if (Number.isNaN(toMs)) return "to";
  return { fromMs, toMs };
}

function groupObject(group: LineGroup): Record<string, unknown> {
  return { data: { _id: { tags: [...group.tags] }, line: group.lines } };
}

/**
 * `GET /share/io.microshare.fm.master.agg/?id=…`: a dashboard view. Lines of building `loc1`
 * with from <= time <= to that are visible now, only the `viewLimit` most recent, one object per
 * room (sorted by tags) holding its lines in time order; pagination runs over the room groups.
 * A recType (or snapshot category/metric) the view does not match yields no groups, not an error.
 */
export function handleView(query: URLSearchParams, ctx: ViewContext): SimResponse {
  const ids = ctx.dataset.ids;
  const id = query.get("id");
  const kind = id === ids.peopleCounterViewId ? "people" : id === ids.snapshotViewId ? "snapshot" : undefined;
  if (kind === undefined) return notFound();
  const checked = validate(query, kind === "people" ? PEOPLE_COUNTER_PARAMS : SNAPSHOT_PARAMS);
  if (typeof checked === "string") return unresolvable(checked);
  const building = query.get("loc1") ?? "";
  let groups: LineGroup[] = [];
  if (kind === "people" && query.get("recType") === PEOPLE_COUNTER_AGG_RECTYPE) {
    groups = ctx.dataset.peopleCounterGroups(
      building,
      checked.fromMs,
      checked.toMs,
      ctx.visibility,
      ctx.viewLimit,
    );
  } else if (
    kind === "snapshot" &&
    query.get("recType") === SNAPSHOT_RECTYPE &&
    query.get("category") === SNAPSHOT_CATEGORY &&
    query.get("metric") === SNAPSHOT_METRIC
  ) {
    groups = ctx.dataset.snapshotGroups(
      building,
      checked.fromMs,
      checked.toMs,
      ctx.visibility,
      ctx.viewLimit,
    );
  }
  const request = parsePageRequest(query, ctx.perPageDefault);
  const slice = slicePage(groups.length, request, ctx.paging);
  const objs = groups.slice(slice.start, slice.end).map(groupObject);
  return jsonResponse(200, envelope(objs, groups.length, request, slice, ctx.paging));
}
