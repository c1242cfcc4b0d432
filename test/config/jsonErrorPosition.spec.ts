import { expect } from "chai";
import { jsonErrorPosition } from "../../src/config/jsonErrorPosition.js";

describe("jsonErrorPosition", () => {
  it("finds nothing wrong in valid JSON of every kind", () => {
    for (const text of ['[{"a":[1,-2.5e3,true,false,null,"x\\"y"]}]', " {} ", "[]", '"s"', "0"]) {
      expect(jsonErrorPosition(text), text).to.equal(undefined);
      expect(() => JSON.parse(text)).to.not.throw();
    }
  });

  it("points at the exact offset of the first error", () => {
    expect(jsonErrorPosition('["a" "b"]')).to.deep.equal({ offset: 5, expected: '"," or "]"' });
    expect(jsonErrorPosition('{"a" 1}')?.offset).to.equal(5);
    expect(jsonErrorPosition('["a"')?.offset).to.equal(4);
    expect(jsonErrorPosition("[1] x")?.expected).to.match(/extra text/);
    expect(jsonErrorPosition('["a\nb"]')?.expected).to.match(/raw line breaks/);
  });
});
