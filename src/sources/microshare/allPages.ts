import { concat, concatMap, defer, of, type Observable } from "rxjs";
import type { EnvelopePage } from "./envelope.js";
import { MicroshareError } from "./microshareError.js";

/**
 * Fetches pages 1, 2, … one after another, each only once the previous one arrived. Stops at
 * `totalPages`: access filtering can leave a page empty while later pages still hold the
 * caller's records, so an empty page ends the walk only when the envelope has no totalPages
 * (the old forwarder stopped at the first empty page and lost data). A server that never ends
 * hits `maxPages` and fails with "page-cap" instead of looping forever.
 */
export function allPages<P extends EnvelopePage>(
  fetchPage: (page: number) => Observable<P>,
  maxPages: number,
): Observable<P> {
  const from = (page: number): Observable<P> =>
    fetchPage(page).pipe(
      concatMap((envelope) => {
        if (!hasMore(envelope, page)) return of(envelope);
        if (page >= maxPages) {
          throw new MicroshareError(
            "page-cap",
            `stopped after ${maxPages} pages (MICROSHARE_MAX_PAGES) while the server reported more (totalPages=${envelope.totalPages ?? "unknown"})`,
            { context: { page } },
          );
        }
        return concat(
          of(envelope),
          defer(() => from(page + 1)),
        );
      }),
    );
  return defer(() => from(1));
}

function hasMore(envelope: EnvelopePage, page: number): boolean {
  if (envelope.totalPages !== undefined) return page < envelope.totalPages;
  return envelope.objs.length > 0;
}
