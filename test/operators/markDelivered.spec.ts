import { expect } from "chai";
import { firstValueFrom, from, toArray } from "rxjs";
import { markDelivered } from "../../src/operators/markDelivered.js";
import type { MarkedLine } from "../../src/operators/markedLine.js";
import { markRepeats } from "../../src/operators/markRepeats.js";
import { newLines } from "../../src/operators/newLines.js";
import type { SourceLine } from "../../src/operators/sourceLine.js";
import { tallyLines } from "../../src/operators/tallyLines.js";

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

describe("markDelivered", () => {
  it("marks already delivered lines, keeps order, and the tally counts the duplicates", async () => {
    const store = deliveredSet(["b", "d"]);
    const marked = await firstValueFrom(
      from(["a", "b", "c", "d", "e"].map(line)).pipe(
        markRepeats(),
        markDelivered({ store, pipeline: "p", location: "L", chunkSize: 2 }),
        toArray(),
      ),
    );
    const sent = await firstValueFrom(from(marked).pipe(newLines(), toArray()));
    const tally = await firstValueFrom(from(marked).pipe(tallyLines()));
    expect(sent.map((l) => l.key)).to.deep.equal(["a", "c", "e"]);
    expect(tally.duplicates).to.equal(2);
    expect(tally.delivered).to.deep.equal(["a", "c", "e"]);
    expect(store.calls).to.deep.equal([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("looks up only lines not repeated within the unit, and a repeat is neither sent nor a duplicate", async () => {
    const store = deliveredSet(["b"]);
    const marked = await firstValueFrom(
      from(["a", "b", "a", "c"].map(line)).pipe(
        markRepeats(),
        markDelivered({ store, pipeline: "p", location: "L" }),
        toArray(),
      ),
    );
    expect(marked.map((m: MarkedLine) => `${m.line.key}:${m.seen}`)).to.deep.equal([
      "a:new",
      "b:delivered",
      "a:repeated",
      "c:new",
    ]);
    expect(store.calls).to.deep.equal([["a", "b", "c"]]);
    const tally = await firstValueFrom(from(marked).pipe(tallyLines()));
    expect(tally).to.deep.equal({ fetched: 4, duplicates: 1, delivered: ["a", "c"] });
  });

  it("propagates a store failure instead of passing lines through unchecked", async () => {
    const store = { deliveredAmong: () => Promise.reject(new Error("redis down")) };
    let error: unknown;
    await firstValueFrom(
      from([line("a")]).pipe(
        markRepeats(),
        markDelivered({ store, pipeline: "p", location: "L" }),
        toArray(),
      ),
    ).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.equal("redis down");
  });
});
