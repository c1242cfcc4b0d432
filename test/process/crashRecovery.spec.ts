import { expect } from "chai";
import { startCli, waitFor } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

const ONCE = ["pipeline", "--name", "peoplecounter", "--once"];
/**
 * Hour-long windows keep units small, so the bound on re-sent lines is tight: when a process
 * dies, at most one unit per location (3 here) is delivered but unsettled, each at most one
 * hour of 6 rooms (24 lines).
 */
const WINDOW = { WINDOW_LENGTH: "1h" };
const LINES_PER_UNIT = 6 * 4;
const UNITS_IN_FLIGHT = 3;

function duplicates(lines: readonly string[]): number {
  return lines.length - new Set(lines).size;
}

describe("pipeline process killed with SIGKILL", function () {
  this.timeout(60_000);
  let world: ProcessWorld;
  afterEach(async () => {
    await world.close();
  });

  it("loses nothing and re-sends at most the unsettled windows, wherever it dies", async () => {
    world = await ProcessWorld.start(["a", "b"], { latencyMs: 40 });
    const kills: Array<{
      point: string;
      when: () => boolean | Promise<boolean>;
      before?: () => void;
      after?: () => void;
    }> = [
      { point: "mid-fetch (first view call in flight)", when: () => world.sim.requestCount("view") >= 1 },
      { point: "mid-send (hub a has some events)", when: () => world.hubs.received("a").length >= 150 },
      {
        point: "between send and commit (hub b stalls, hub a has the batch)",
        before: () => world.hubs.setFault("b", { kind: "stall" }),
        when: () => world.hubs.received("a").length >= world.hubs.received("b").length + 40,
        after: () => world.hubs.setFault("b", undefined),
      },
    ];
    for (const kill of kills) {
      kill.before?.();
      // The previous (killed) process's lease must expire before a new run may tick.
      await waitFor(async () => {
        const probe = await world.store.acquireLease("peoplecounter", "test-probe", 1);
        return probe !== undefined;
      }, "the killed process's lease to expire");
      const run = startCli(ONCE, world.env(WINDOW));
      await waitFor(kill.when, kill.point);
      run.child.kill("SIGKILL");
      expect(await run.exited, kill.point).to.equal("SIGKILL");
      kill.after?.();
      expect(await world.watermarkViolations("peoplecounter"), `after a kill ${kill.point}`).to.deep.equal(
        [],
      );
    }

    await waitFor(
      async () => (await world.store.acquireLease("peoplecounter", "test-probe", 1)) !== undefined,
      "lease expiry",
    );
    const final = startCli(ONCE, world.env(WINDOW));
    expect(await final.exited, final.output()).to.equal(0);
    const marks = await world.store.watermarks("peoplecounter");
    const until = Math.min(...[...marks.values()].map((d) => d.getTime()));
    const expected = new Set(world.linesBefore(until));
    for (const hub of ["a", "b"]) {
      const delivered = world.delivered(hub);
      for (const line of expected) expect(delivered, `${hub} lacks ${line}`).to.include(line);
      expect(duplicates(delivered), `${hub} duplicates`).to.be.at.most(
        kills.length * UNITS_IN_FLIGHT * LINES_PER_UNIT,
      );
    }
    expect(await world.watermarkViolations("peoplecounter")).to.deep.equal([]);
  });
});
