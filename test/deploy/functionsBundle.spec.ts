import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect } from "chai";
import { bundleFunctions } from "../../deploy/bundleFunctions.js";
import { toNcrontab } from "../../src/functions/ncrontab.js";
import { PIPELINES } from "../../src/pipelines/registry.js";
import { startCli } from "../process/childProcess.js";
import { ProcessWorld } from "../process/processWorld.js";

const WORKER = fileURLToPath(new URL("./functionsWorker/", import.meta.url));
const FUNCTIONS_LIBRARY = pathToFileURL(
  fileURLToPath(new URL("../../node_modules/@azure/functions/dist/azure-functions.js", import.meta.url)),
).href;

// The Functions app ships the entry bundled into one file (deploy/bundleFunctions.ts, what
// deploy/azure-functions/stage.sh stages) with no node_modules but @azure/identity. Build it,
// give it only a stand-in for the worker's built-in `@azure/functions-core`, and check that the
// bundled @azure/functions registers every timer and that an invocation delivers.
describe("the bundled Azure Functions entry (dist/functions.mjs, what stage.sh ships)", function () {
  this.timeout(60_000);
  let app: string;
  let world: ProcessWorld;

  before(async () => {
    app = await mkdtemp(join(tmpdir(), "functions-bundle-"));
    await bundleFunctions(join(app, "dist", "functions.mjs"));
    await writeFile(
      join(app, "package.json"),
      JSON.stringify({ type: "module", main: "dist/functions.mjs" }),
    );
    const core = join(app, "node_modules", "@azure", "functions-core");
    await mkdir(core, { recursive: true });
    await copyFile(join(WORKER, "functionsCore.cjs"), join(core, "index.js"));
    await writeFile(
      join(core, "package.json"),
      JSON.stringify({ name: "@azure/functions-core", main: "index.js" }),
    );
    await copyFile(join(WORKER, "invokeBundle.mjs"), join(app, "invokeBundle.mjs"));
    world = await ProcessWorld.start(["a", "b"]);
  });
  after(async () => {
    await world.close();
    await rm(app, { recursive: true, force: true });
  });

  it("is self-contained: node_modules holds only the worker's module", async () => {
    expect(await readdir(join(app, "node_modules", "@azure"))).to.deep.equal(["functions-core"]);
  });

  it("registers one timer per pipeline on its schedule, and an invocation reaches both hubs", async () => {
    const child = startCli(["peoplecounter", FUNCTIONS_LIBRARY], world.env(), [
      join(app, "invokeBundle.mjs"),
    ]);
    const code = await child.exited;
    expect(code, child.output()).to.equal(0);

    const line = child
      .output()
      .split("\n")
      .find((l) => l.startsWith("registered "));
    const registered = JSON.parse(line?.slice("registered ".length) ?? "[]") as unknown;
    expect(registered).to.deep.equal(
      PIPELINES.map((p) => ({
        name: p.name,
        triggers: [{ type: "timerTrigger", schedule: toNcrontab(p.schedule) }],
      })),
    );
    expect(child.output()).to.include("invoked peoplecounter");
    expect(child.output()).to.include("terminated");

    const a = world.delivered("a").sort();
    expect(a.length).to.be.greaterThan(100);
    expect(world.delivered("b").sort()).to.deep.equal(a);
    expect(new Set(a).size).to.equal(a.length);
  });
});
