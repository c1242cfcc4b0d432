import { expect } from "chai";
import { firstValueFrom, from, of } from "rxjs";
import type { MarkedLine } from "../../src/operators/markedLine.js";
import { tallyLines } from "../../src/operators/tallyLines.js";

const marked = (key: string, seen: MarkedLine["seen"], incomplete?: string): MarkedLine => ({
  line: {
    key,
    location: "L",
    tags: [],
    time: new Date(0),
    line: {},
    ...(incomplete === undefined ? {} : { incomplete }),
  },
  seen,
});

describe("tallyLines", () => {
  it("keeps the first reason a line gave for the unit being incomplete", async () => {
    const tally = await firstValueFrom(
      from([marked("a", "new"), marked("b", "new", "first"), marked("c", "delivered", "second")]).pipe(
        tallyLines(),
      ),
    );
    expect(tally).to.deep.equal({ fetched: 3, duplicates: 1, delivered: ["a", "b"], incomplete: "first" });
  });

  it("gives each subscription its own tally (an operator reused for two units counts each alone)", async () => {
    const tally = tallyLines();
    const first = await firstValueFrom(of(marked("a", "new")).pipe(tally));
    const second = await firstValueFrom(of(marked("b", "new")).pipe(tally));
    expect(first.delivered).to.deep.equal(["a"]);
    expect(second.delivered).to.deep.equal(["b"]);
  });

  it("tallies a unit with no lines as nothing read", async () => {
    expect(await firstValueFrom(from([] as MarkedLine[]).pipe(tallyLines()))).to.deep.equal({
      fetched: 0,
      duplicates: 0,
      delivered: [],
    });
  });
});
