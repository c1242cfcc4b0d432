import { readFileSync } from "node:fs";
import { expect } from "chai";
import { EXIT, EXIT_MEANINGS } from "../../src/model/exitCodes.js";

/** The README's exit-code table as code → meaning (rows of `| <code> | <meaning> |`). */
function readmeExitCodes(): Map<number, string> {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const start = readme.indexOf("| exit code |");
  expect(start, "README.md has an exit-code table").to.be.greaterThan(-1);
  const rows = new Map<number, string>();
  for (const line of readme.slice(start).split("\n").slice(2)) {
    const match = /^\|\s*(\d+)\s*\|\s*(.*?)\s*\|$/.exec(line);
    if (match === null) break;
    rows.set(Number(match[1]), match[2] ?? "");
  }
  return rows;
}

describe("exit codes", () => {
  it("the README's table lists every code of src/model/exitCodes.ts, with the same meaning, and no other", () => {
    const documented = readmeExitCodes();
    expect([...documented.keys()]).to.deep.equal(Object.keys(EXIT_MEANINGS).map(Number));
    for (const [code, meaning] of documented)
      expect(meaning, `exit code ${code}`).to.equal(EXIT_MEANINGS[code as keyof typeof EXIT_MEANINGS]);
  });

  it("every named code has a meaning, and no two names share a code", () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(codes.map(String).sort()).to.deep.equal(Object.keys(EXIT_MEANINGS).sort());
  });
});
