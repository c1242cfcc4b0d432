import { expect } from "chai";
import { firstValueFrom, from, toArray } from "rxjs";
import { dedupeDelivered } from "../../src/operators/dedupeDelivered.js";
import type { SourceLine } from "../../src/operators/sourceLine.js";

const line = (key: string): SourceLine => ({
  key,
  location: "L",
  tags: [],
  time: new Date(0),
  line: { key },
});

/** A delivered set in memory, counting round trips: the operator's only dependency. */
function deliveredSet(keys: string[]) {
  const calls: string[][] = [];
  return {
    calls,
    deliveredAmong: async (_p: string, _l: string, ids: readonly string[]) => {
      calls.push([...ids]);
      return new Set(ids.filter((id) => keys.includes(id)));
    },
  };
}

describe("dedupeDelivered", () => {
  it("drops already delivered lines, keeps order, and counts the duplicates", async () => {
    const store = deliveredSet(["b", "d"]);
    let duplicates = 0;
    const out = await firstValueFrom(
      from(["a", "b", "c", "d", "e"].map(line)).pipe(
        dedupeDelivered({
          store,
          pipeline: "p",
          location: "L",
          onDuplicates: (n) => (duplicates += n),
          chunkSize: 2,
        }),
        toArray(),
      ),
    );
    expect(out.map((l) => l.key)).to.deep.equal(["a", "c", "e"]);
    expect(duplicates).to.equal(2);
    expect(store.calls).to.deep.equal([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("propagates a store failure instead of passing lines through unchecked", async () => {
    const store = { deliveredAmong: () => Promise.reject(new Error("redis down")) };
    let error: unknown;
    await firstValueFrom(
      from([line("a")]).pipe(dedupeDelivered({ store, pipeline: "p", location: "L" }), toArray()),
    ).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal("redis down");
  });
});
