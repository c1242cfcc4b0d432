import { expect } from "chai";
import { CliWorld } from "./cliWorld.js";

describe("cli --help", function () {
  this.timeout(120_000);
  let world: CliWorld;

  before(async () => {
    world = await CliWorld.start();
  });
  after(async () => {
    await world.close();
  });

  const commands: readonly (readonly [string[], readonly string[]])[] = [
    [
      ["dlq", "list"],
      ["--name", "--hub", "--json"],
    ],
    [
      ["dlq", "show"],
      ["--id", "--index", "--which", "--json"],
    ],
    [
      ["dlq", "replay"],
      ["--hub", "--limit", "--dry-run", "--json"],
    ],
    [
      ["dlq", "purge"],
      ["--which", "--yes"],
    ],
    [["status"], ["--name", "--json"]],
    [["tail"], ["--hub", "--from-start", "--latest", "--limit", "--timeout-seconds", "--json"]],
    [["check"], ["--json"]],
    [["pipeline"], ["--once", "--from"]],
  ];

  for (const [command, flags] of commands) {
    it(`${command.join(" ")} --help lists its options and exits 0`, async () => {
      const run = await world.run([...command, "--help"]);
      expect(run.code, run.stderr).to.equal(0);
      for (const flag of flags) expect(run.stdout).to.include(flag);
    });
  }
});
