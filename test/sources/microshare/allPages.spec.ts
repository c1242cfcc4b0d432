import { expect } from "chai";
import { TestScheduler } from "rxjs/testing";
import { allPages } from "../../../src/sources/microshare/allPages.js";
import type { EnvelopePage } from "../../../src/sources/microshare/envelope.js";
import { MicroshareError } from "../../../src/sources/microshare/microshareError.js";

const page = (n: number, totalPages: number | undefined, objs: readonly unknown[] = [n]): EnvelopePage => ({
  objs,
  currentPage: n,
  totalPages,
  totalCount: undefined,
  currentCount: undefined,
});

/** The 1-based `n`th element (page numbers are 1-based). */
function nth<T>(items: readonly T[], n: number): T {
  const item = items[n - 1];
  if (item === undefined) throw new RangeError(`no page ${n}`);
  return item;
}

describe("allPages", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  });

  it("fetches each page only once the previous one arrived, and stops at totalPages", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = [1, 2, 3, 4].map((n) => cold("--(p|)", { p: page(n, 3) }));
      const result = allPages((n) => pages[n - 1] ?? cold<EnvelopePage>("#"), 100);
      expectObservable(result).toBe("--a-b-(c|)", { a: page(1, 3), b: page(2, 3), c: page(3, 3) });
      expectSubscriptions(pages[0]?.subscriptions ?? []).toBe("^-!");
      expectSubscriptions(pages[1]?.subscriptions ?? []).toBe("--^-!");
      expectSubscriptions(pages[2]?.subscriptions ?? []).toBe("----^-!");
      expectSubscriptions(pages[3]?.subscriptions ?? []).toBe([]);
    });
  });

  it("does not take an empty page before totalPages for the end", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = [page(1, 3), page(2, 3, []), page(3, 3)];
      const result = allPages((n) => cold("-(p|)", { p: nth(pages, n) }), 100);
      expectObservable(result).toBe("-ab(c|)", { a: pages[0], b: pages[1], c: pages[2] });
    });
  });

  it("stops at the first empty page when the envelope has no totalPages", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const pages = [page(1, undefined), page(2, undefined, []), page(3, undefined)];
      const fetched: number[] = [];
      const result = allPages((n) => {
        fetched.push(n);
        return cold("-(p|)", { p: nth(pages, n) });
      }, 100);
      expectObservable(result).toBe("-a(b|)", { a: pages[0], b: pages[1] });
      scheduler.flush();
      expect(fetched).to.deep.equal([1, 2]);
    });
  });

  it('fails with "page-cap" at maxPages while the server reports more', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const result = allPages((n) => cold("-(p|)", { p: page(n, 1000) }), 2);
      const error = new MicroshareError(
        "page-cap",
        "stopped after 2 pages (MICROSHARE_MAX_PAGES) while the server reported more (totalPages=1000)",
      );
      expectObservable(result).toBe("-a#", { a: page(1, 1000) }, error);
    });
  });

  it("releases the page in flight on unsubscribe and fetches no further page", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const pages = [1, 2, 3].map((n) => cold("---(p|)", { p: page(n, 3) }));
      const result = allPages((n) => pages[n - 1] ?? cold<EnvelopePage>("#"), 100);
      expectObservable(result, "^----!").toBe("---a-", { a: page(1, 3) });
      expectSubscriptions(pages[1]?.subscriptions ?? []).toBe("---^-!");
      expectSubscriptions(pages[2]?.subscriptions ?? []).toBe([]);
    });
  });
});
