import { expect } from "chai";
import { CliWorld } from "./cliWorld.js";

/** `status | head -1`: the reader goes away before the command has written everything. */
describe("cli output to a reader that has gone (EPIPE)", function () {
  this.timeout(60_000);
  let world: CliWorld;
  before(async () => {
    world = await CliWorld.start();
  });
  after(async () => {
    await world.close();
  });

  for (const args of [["list"], ["status"], ["dlq", "list", "--name", "peoplecounter"]]) {
    it(`${args.join(" ")} ends quietly with exit 0`, async () => {
      const { child, done } = world.spawn(args);
      // Closed before the first byte: every write the command makes meets EPIPE.
      child.stdout?.destroy();
      const run = await done;
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stderr).to.not.match(/EPIPE|Unhandled|at /);
    });
  }
});
