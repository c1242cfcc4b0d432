import { spawnSync } from "node:child_process";
import type { TimerFunctionOptions } from "@azure/functions";
import { expect } from "chai";
import { registerPipelineTimers } from "../../src/functions/registerPipelineTimers.js";
import { PIPELINES } from "../../src/pipelines/registry.js";

describe("registerPipelineTimers", () => {
  it("registers one timer per pipeline of the registry, on the pipeline's own schedule", () => {
    const registered = new Map<string, TimerFunctionOptions>();
    registerPipelineTimers((name, options) => registered.set(name, options));

    expect([...registered.keys()].sort()).to.deep.equal(PIPELINES.map((p) => p.name).sort());
    expect(registered.get("peoplecounter")?.schedule).to.equal("0 */15 * * * *");
    expect(registered.get("snapshot")?.schedule).to.equal("0 0 * * * *");
    expect(registered.get("doorway")?.schedule).to.equal("0 */15 * * * *");
    for (const options of registered.values()) expect(options.handler).to.be.a("function");
  });

  it("is what the entry module hands to app.timer (checked in @azure/functions' test mode)", () => {
    // Outside a Functions host, app.timer only reports each registration it skips: enough to
    // prove that loading src/functions/index.ts registers every pipeline and opens nothing.
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "-e", 'await import("./src/functions/index.js")'],
      {
        encoding: "utf8",
        timeout: 15_000,
      },
    );
    expect(run.status).to.equal(0);
    for (const pipeline of PIPELINES) {
      expect(run.stderr).to.include(`register function "${pipeline.name}"`);
    }
  });
});
