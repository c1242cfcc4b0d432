import { expect } from "chai";
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from "../../src/cli/heapGrowth.js";

describe("heapGrowthFlag", () => {
  const ours = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;

  it("bounds heap growth when the operator set none", () => {
    expect(heapGrowthFlag([])).to.equal(ours);
    expect(heapGrowthFlag(["--enable-source-maps", "--trace-warnings", "--no-deprecation"])).to.equal(ours);
  });

  it("keeps the cap under a heap ceiling: a ceiling is a separate setting", () => {
    expect(heapGrowthFlag(["--max-old-space-size=512"])).to.equal(ours);
    expect(heapGrowthFlag(["--max-semi-space-size", "32"])).to.equal(ours);
  });

  it("leaves the growth to the operator's own node flag, in either spelling", () => {
    expect(heapGrowthFlag(["--enable-source-maps", "--heap-growing-percent=0"])).to.equal(undefined);
    expect(heapGrowthFlag(["--heap_growing_percent=50"])).to.equal(undefined);
  });

  it("is not fooled by a flag that merely starts like it", () => {
    expect(heapGrowthFlag(["--heap-growing-percent-extra=1", "--heap-growing"])).to.equal(ours);
  });
});
