import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { bundleCli } from "../../deploy/bundleCli.js";
import { startCli } from "../process/childProcess.js";
import { ProcessWorld } from "../process/processWorld.js";

// The image runs the CLI as one bundled file (deploy/bundleCli.ts). A dependency that reads
// files beside its own modules, or a module esbuild resolves differently, would break only
// there: build the bundle and run it as production does.
describe("the bundled CLI (dist/cli.mjs, what the image runs)", function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;
  let world: ProcessWorld;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-bundle-"));
    bundle = join(dir, "cli.mjs");
    await bundleCli(bundle);
    world = await ProcessWorld.start(["a", "b"]);
  });
  after(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a --once tick: every line the simulator holds reaches both hubs once, exit 0", async () => {
    const child = startCli(["pipeline", "--name", "peoplecounter", "--once"], world.env(), [bundle]);
    const code = await child.exited;
    expect(code, child.output()).to.equal(0);
    const marks = await world.store.watermarks("peoplecounter");
    const until = Math.min(...[...marks.values()].map((d) => d.getTime()));
    const expected = world.linesBefore(until).sort();
    expect(expected.length).to.be.greaterThan(100);
    for (const hub of ["a", "b"]) {
      const delivered = world.delivered(hub).sort();
      expect(delivered, hub).to.deep.equal(expected);
    }
  });

  it("answers --help, list and a refused command line as the source does", async () => {
    const help = startCli(["--help"], world.env(), [bundle]);
    expect(await help.exited).to.equal(0);
    expect(help.output()).to.include("microshare-pipeline pipeline");

    const list = startCli(["list", "--json"], world.env(), [bundle]);
    expect(await list.exited).to.equal(0);
    const names = (JSON.parse(list.output()) as { name: string }[]).map((p) => p.name);
    expect(names).to.deep.equal(["peoplecounter", "snapshot", "doorway"]);

    const refused = startCli(["pipeline", "--bogus"], world.env(), [bundle]);
    expect(await refused.exited).to.equal(2);
    expect(refused.output()).to.include("Missing required argument: name");
  });

  it("exits 78 on a malformed setting, naming the variable", async () => {
    const child = startCli(
      ["pipeline", "--name", "peoplecounter", "--once"],
      world.env({ MICROSHARE_CONCURRENCY: "many" }),
      [bundle],
    );
    expect(await child.exited).to.equal(78);
    expect(child.output()).to.include("MICROSHARE_CONCURRENCY");
  });
});
