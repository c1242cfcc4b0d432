import { expect } from "chai";
import { startCli } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

describe("pipeline --metrics", function () {
  this.timeout(30_000);
  let world: ProcessWorld;
  before(async () => {
    world = await ProcessWorld.start(["a"]);
  });
  after(async () => {
    await world.close();
  });

  async function once(extra: string[], env: Record<string, string>) {
    const child = startCli(
      ["pipeline", "--name", "peoplecounter", "--once", ...extra],
      world.env({ LOG_LEVEL: "info", ...env }),
    );
    return { code: await child.exited, output: child.output() };
  }

  it("serves no metrics in a --once run unless asked", async () => {
    const run = await once([], { METRICS_PORT: "0" });
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.not.include("metrics on http://");
  });

  it("serves them on 127.0.0.1 with --metrics", async () => {
    const run = await once(["--metrics"], { METRICS_PORT: "0" });
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.match(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });

  it("refuses --metrics without METRICS_PORT (exit 78)", async () => {
    const run = await once(["--metrics"], {});
    expect(run.code).to.equal(78);
    expect(run.output).to.include("METRICS_PORT: --metrics needs a port to serve on");
  });
});
