import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { PRODUCTION_NODE_FLAGS } from "../../src/cli/productionRuntime.js";

const run = promisify(execFile);

/**
 * Allocates short-lived objects as a back-fill does (with a few thousand alive at a time) and
 * prints the largest young generation V8 grew to, in MB: both semi-spaces (`new_space`).
 */
const YOUNG_GENERATION_PEAK = `
const v8 = require("node:v8");
let alive = [];
let peak = 0;
for (let i = 0; i < 2e6; i++) {
  alive.push({ i, text: "line " + i });
  if (alive.length > 20000) alive = [];
  if (i % 10000 === 0) {
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    peak = Math.max(peak, young.space_size);
  }
}
console.log(peak / 1048576);
`;

describe("PRODUCTION_NODE_FLAGS", () => {
  it("are flags this node accepts, and they hold the young generation at 2 × 8 MB under a back-fill's garbage", async () => {
    const { stdout } = await run(process.execPath, [...PRODUCTION_NODE_FLAGS, "-e", YOUNG_GENERATION_PEAK]);
    const peakMb = Number(stdout.trim());
    expect(peakMb).to.be.greaterThan(0);
    expect(peakMb).to.be.at.most(16);
  });

  it("are also accepted in NODE_OPTIONS, where an operator who cannot change the command sets them", async () => {
    const { stdout } = await run(process.execPath, ["-e", YOUNG_GENERATION_PEAK], {
      env: { ...process.env, NODE_OPTIONS: PRODUCTION_NODE_FLAGS.join(" ") },
    });
    expect(Number(stdout.trim())).to.be.at.most(16);
  });
});
