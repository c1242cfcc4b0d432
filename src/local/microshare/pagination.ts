export interface EnvelopeMeta {
  totalPages: number;
  currentPage: number;
  perPage: number;
  totalCount: number;
  currentCount: number;
  source: string;
}

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface PageSlice {
  /** Index range [start, end) of the real items this page holds (start === end: an empty page). */
  start: number;
  end: number;
  totalPages: number;
}

export interface PagingSwitches {
  totalCountExtra: number;
  emptyPagesBefore: number;
}

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 ? n : fallback;
}

/** `page` (1-based, default 1) and `perPage` (default `perPageDefault`); junk falls back to the default. */
export function parsePageRequest(query: URLSearchParams, perPageDefault: number): PageRequest {
  return {
    page: positiveInt(query.get("page"), 1),
    perPage: positiveInt(query.get("perPage"), perPageDefault),
  };
}

/**
 * Which real items a page holds. `emptyPagesBefore` empty pages sit just before the real last
 * page (totalPages grows by as many), imitating access filtering that empties a page while
 * later pages still hold the caller's records. Pages past totalPages are empty.
 */
export function slicePage(itemCount: number, request: PageRequest, switches: PagingSwitches): PageSlice {
  const realPages = Math.max(1, Math.ceil(itemCount / request.perPage));
  const extra = Math.max(0, switches.emptyPagesBefore);
  const totalPages = realPages + extra;
  const page = request.page;
  let realPage: number | undefined;
  if (page < realPages) realPage = page;
  else if (page === totalPages) realPage = realPages;
  if (realPage === undefined) return { start: 0, end: 0, totalPages };
  const start = (realPage - 1) * request.perPage;
  return { start, end: Math.min(itemCount, start + request.perPage), totalPages };
}

export function envelope<T>(
  items: readonly T[],
  itemCount: number,
  request: PageRequest,
  slice: PageSlice,
  switches: PagingSwitches,
): { meta: EnvelopeMeta; objs: T[] } {
  return {
    meta: {
      totalPages: slice.totalPages,
      currentPage: request.page,
      perPage: request.perPage,
      totalCount: itemCount + switches.totalCountExtra,
      currentCount: items.length,
      source: "db",
    },
    objs: [...items],
  };
}
