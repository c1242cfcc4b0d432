import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { ALERTS, requireBinary } from "./prometheusServer.js";

const TESTS = fileURLToPath(new URL("../../deploy/prometheus/alerts.test.yml", import.meta.url));

function promtool(...args: string[]): { code: number | null; output: string } {
  requireBinary("promtool");
  const run = spawnSync("promtool", args, { encoding: "utf8", timeout: 60_000 });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the shipped alert rules (deploy/prometheus), checked by Prometheus's promtool", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "alerts-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("promtool check rules: five valid rules", () => {
    const run = promtool("check", "rules", ALERTS);
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.include("SUCCESS: 6 rules found");
  });

  it("promtool test rules: each alert fires on its recorded bad series and stays quiet on the healthy one", () => {
    const run = promtool("test", "rules", TESTS);
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.include("SUCCESS");
  });

  it("the rule tests would catch a wrong threshold (a lag alert at 5 h misses the 4 h 20 min lag)", () => {
    writeFileSync(join(dir, "alerts.yml"), readFileSync(ALERTS, "utf8").replace("> 3 * 3600", "> 5 * 3600"));
    copyFileSync(TESTS, join(dir, "alerts.test.yml"));
    const run = promtool("test", "rules", join(dir, "alerts.test.yml"));
    expect(run.code, run.output).to.not.equal(0);
    expect(run.output).to.match(/FAILED[\s\S]*MicrosharePipelineWatermarkLagging/);
  });
});
