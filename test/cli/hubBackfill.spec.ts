import { expect } from "chai";
import { createRedisState } from "../../src/state/redisState.js";
import { CliWorld } from "./cliWorld.js";

/** A hub that joins an existing deployment (the old "client hub", paused and re-enabled). */
describe("pipeline --hub: back-fill one hub alone", function () {
  this.timeout(120_000);
  let world: CliWorld;
  before(async () => {
    world = await CliWorld.start();
  });
  after(async () => {
    await world.close();
  });

  async function watermarks(): Promise<Record<string, string>> {
    const { store } = createRedisState({ url: "redis://127.0.0.1:6379", keyPrefix: world.keyPrefix });
    try {
      const marks = await store.watermarks("peoplecounter");
      return Object.fromEntries([...marks].map(([l, d]) => [l, d.toISOString()]));
    } finally {
      await store.close();
    }
  }

  it("sends the range to the new hub only, moves no watermark, and sends nothing twice when run again", async () => {
    const onlyA = JSON.stringify([{ name: "a", connectionString: world.connectionString("a") }]);
    const first = await world.runPeopleCounterOnce({ EVENT_HUB_CONNECTION_STRINGS: onlyA });
    expect(first.code, first.stderr).to.equal(0);
    const sentToA = world.received("a").map((e) => e.messageId);
    expect(sentToA.length).to.be.greaterThan(0);
    const marks = await watermarks();

    // b joins; the operator back-fills it over the time before it joined.
    const from = new Date(Date.now() - 4 * 3_600_000).toISOString();
    const backfill = ["pipeline", "--name", "peoplecounter", "--hub", "b", "--from", from];
    const run = await world.run(backfill);
    expect(run.code, run.stderr).to.equal(0);
    expect(
      world.received("a").map((e) => e.messageId),
      "a gets nothing more",
    ).to.deep.equal(sentToA);
    // The range reaches back further than a's first run did (4 h against 3 h); it ends at each
    // building's watermark, where the normal ticks take over for every hub.
    const backfilled = world.received("b").map((e) => e.messageId);
    expect(backfilled).to.include.members(sentToA);
    expect(new Set(backfilled).size, "each line once").to.equal(backfilled.length);
    expect(await watermarks(), "a range sent to one hub moves no watermark").to.deep.equal(marks);

    const again = await world.run(backfill);
    expect(again.code, again.stderr).to.equal(0);
    expect(world.received("b"), "a re-run sends nothing twice").to.have.length(backfilled.length);

    // The next normal tick sends what is new to both, and neither hub gets anything twice.
    const next = await world.runPeopleCounterOnce();
    expect(next.code, next.stderr).to.equal(0);
    for (const hub of ["a", "b"]) {
      const ids = world.received(hub).map((e) => e.messageId);
      expect(new Set(ids).size, `${hub}: each line once`).to.equal(ids.length);
    }
  });

  it("refuses a hub that is not configured, and --hub without a range (exit 2)", async () => {
    const unknown = await world.run([
      "pipeline",
      "--name",
      "peoplecounter",
      "--hub",
      "zz",
      "--from",
      "2025-11-01T00:00:00Z",
    ]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/--hub "zz" is not configured; the hubs are a, b/);
    const noRange = await world.run(["pipeline", "--name", "peoplecounter", "--hub", "b"]);
    expect(noRange.code).to.equal(2);
    expect(noRange.stderr).to.match(/--hub back-fills one hub: give the range with --from/);
  });
});
