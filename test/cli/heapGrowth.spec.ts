import { expect } from "chai";
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from "../../src/cli/heapGrowth.js";

describe("heapGrowthFlag", () => {
  const ours = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;

  it("bounds heap growth when the operator set no heap flag", () => {
    expect(heapGrowthFlag([], undefined)).to.equal(ours);
    expect(heapGrowthFlag(["--enable-source-maps"], "--trace-warnings  --no-deprecation")).to.equal(ours);
  });

  it("leaves the heap to the operator's NODE_OPTIONS or node flags, in either spelling", () => {
    expect(heapGrowthFlag([], "--max-old-space-size=512")).to.equal(undefined);
    expect(heapGrowthFlag(["--heap-growing-percent=0"], "--enable-source-maps")).to.equal(undefined);
    expect(heapGrowthFlag(["--max_semi_space_size=32"], undefined)).to.equal(undefined);
    expect(heapGrowthFlag(["--max-heap-size", "300"], "")).to.equal(undefined);
  });

  it("is not fooled by a flag that merely starts like a heap flag", () => {
    expect(heapGrowthFlag(["--max-old-space-size-extra=1"], "--heap-growing")).to.equal(ours);
  });
});
