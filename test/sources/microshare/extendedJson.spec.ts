import { expect } from "chai";
import { normaliseExtendedJson } from "../../../src/sources/microshare/extendedJson.js";

describe("normaliseExtendedJson", () => {
  it("turns every $date shape into an ISO string and $oid into the plain id", () => {
    const ms = Date.parse("2017-05-23T01:08:35.141Z");
    expect(
      normaliseExtendedJson({
        a: { $date: ms },
        b: { $date: { $numberLong: String(ms) } },
        c: { $date: "2017-05-23T01:08:35.141Z" },
        d: { $oid: "5923 8a23" },
      }),
    ).to.deep.equal({
      a: "2017-05-23T01:08:35.141Z",
      b: "2017-05-23T01:08:35.141Z",
      c: "2017-05-23T01:08:35.141Z",
      d: "5923 8a23",
    });
  });

  it("walks nested objects and arrays", () => {
    expect(normaliseExtendedJson([{ x: [{ time: { $date: 0 } }] }])).to.deep.equal([
      { x: [{ time: "1970-01-01T00:00:00.000Z" }] },
    ]);
  });

  it("leaves plain values and look-alikes with other keys untouched", () => {
    const value = { n: 1, s: "s", z: null, t: true, both: { $date: 0, other: 1 }, oid: { $oid: 5 } };
    expect(normaliseExtendedJson(value)).to.deep.equal(value);
  });

  it("leaves an unusable date as it is instead of throwing", () => {
    for (const raw of [
      "not a date",
      1e20,
      Number.POSITIVE_INFINITY,
      { $numberLong: "x" },
      { $numberLong: "99999999999999999" },
    ]) {
      expect(normaliseExtendedJson({ $date: raw }), String(raw)).to.deep.equal({ $date: raw });
    }
  });

  it("never modifies its input, and hands back what needs no change without copying it", () => {
    const plain = { line: [{ time: "2024-05-01T10:00:00Z", count: 3 }], tags: ["a", "b"] };
    expect(normaliseExtendedJson(plain)).to.equal(plain);

    const mixed = { keep: { n: 1 }, rows: [{ t: { $date: 0 } }, { t: "x" }] };
    const snapshot = JSON.parse(JSON.stringify(mixed)) as unknown;
    const out = normaliseExtendedJson(mixed) as typeof mixed;
    expect(mixed).to.deep.equal(snapshot);
    expect(out.rows[0]).to.deep.equal({ t: "1970-01-01T00:00:00.000Z" });
    // Unchanged parts are shared, changed ones are new.
    expect(out.keep).to.equal(mixed.keep);
    expect(out.rows[1]).to.equal(mixed.rows[1]);
    expect(out.rows).to.not.equal(mixed.rows);
  });
});
