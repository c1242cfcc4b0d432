import { expect } from "chai";
import { copyWith } from "../../src/operators/copyWith.js";

describe("copyWith", () => {
  it("gives the record's keys, then the new fields, in the order a spread would", () => {
    const copy = copyWith({ time: "t", record: "r" }, { _location_tags: ["A"], recType: "rt" });
    expect(Object.keys(copy)).to.deep.equal(["time", "record", "_location_tags", "recType"]);
    expect(copy).to.deep.equal({ time: "t", record: "r", _location_tags: ["A"], recType: "rt" });
  });

  it("overwrites a field the record already has at the record's position, and leaves the record as it was", () => {
    const record = { recType: "old", time: "t" };
    const copy = copyWith(record, { recType: "new", id: "x" });
    expect(JSON.stringify(copy)).to.equal('{"recType":"new","time":"t","id":"x"}');
    expect(record).to.deep.equal({ recType: "old", time: "t" });
  });

  it("keeps a record's own __proto__ field as a field with an ordinary prototype", () => {
    const record = JSON.parse('{"a":1,"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = copyWith(record, { b: 2 });
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect((copy as { polluted?: unknown }).polluted).to.equal(undefined);
    expect(JSON.stringify(copy)).to.equal('{"a":1,"__proto__":{"polluted":true},"b":2}');
  });

  it("adds a __proto__ among the new fields as a field too", () => {
    const fields = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = copyWith({ a: 1 }, fields);
    expect(Object.getPrototypeOf(copy)).to.equal(Object.prototype);
    expect(JSON.stringify(copy)).to.equal('{"a":1,"__proto__":{"polluted":true}}');
  });
});
