import { expect } from "chai";
import { CliWorld } from "./cliWorld.js";
import { eachTest } from "../support/eachTest.js";

describe("cli tail", function () {
  this.timeout(120_000);
  const world = eachTest(
    () => CliWorld.start(),
    (w) => w.close(),
  );

  it("--from-start --limit N prints exactly N events, one line each", async () => {
    const once = await world().runPeopleCounterOnce();
    expect(once.code, once.stderr).to.equal(0);
    const run = await world().run([
      "tail",
      "--hub",
      "a",
      "--from-start",
      "--limit",
      "5",
      "--timeout-seconds",
      "20",
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).to.have.length(5);
    const ids = new Set(
      world()
        .received("a")
        .map((e) => e.messageId),
    );
    for (const line of lines) {
      const match = /^p(\d+) #(\d+) \S+ \S+ id=(\S+) \{/.exec(line);
      expect(match, line).to.not.equal(null);
      expect(ids.has(match?.[3])).to.equal(true);
    }
    expect(run.stderr).to.include("5 events (--limit 5 reached)");
  });

  it("--json prints one object per event and stops after the idle timeout", async () => {
    const once = await world().runPeopleCounterOnce();
    expect(once.code, once.stderr).to.equal(0);
    const run = await world().run(["tail", "--hub", "b", "--from-start", "--timeout-seconds", "3", "--json"]);
    expect(run.code, run.stderr).to.equal(0);
    const records = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { messageId: string; sequenceNumber: number; body: { recType: string } });
    expect(records.map((r) => r.messageId).sort()).to.deep.equal(
      world()
        .received("b")
        .map((e) => e.messageId)
        .sort(),
    );
    expect(records[0]?.body.recType).to.equal("io.microshare.peoplecounter.unpacked.event.agg");
    expect(run.stderr).to.match(/no event for 3 s/);
  });

  it("--consumer-group reads as that group, and tail first says what it waits for", async () => {
    await world().runPeopleCounterOnce();
    const run = await world().run([
      "tail",
      "--hub",
      "a",
      "--from-start",
      "--limit",
      "2",
      "--consumer-group",
      "ops-tail",
    ]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout.trim().split("\n")).to.have.length(2);
    expect(world().hubs.consumerGroupsOf("a")).to.deep.equal(["ops-tail"]);
    expect(run.stderr.split("\n")[0]).to.equal(
      "tail a: waiting for every retained event (consumer group ops-tail, all partitions; stops after 2 events or stops after 30 s without one; Ctrl-C stops)",
    );
  });

  it("reads as $default when no group is named", async () => {
    await world().runPeopleCounterOnce();
    const run = await world().run(["tail", "--hub", "a", "--latest", "--timeout-seconds", "1"]);
    expect(run.code, run.stderr).to.equal(0);
    expect(world().hubs.consumerGroupsOf("a")).to.deep.equal(["$default"]);
    expect(run.stderr).to.include("tail a: waiting for events sent from now on (consumer group $default");
  });

  it("--latest prints nothing of what was sent before it started", async () => {
    await world().runPeopleCounterOnce();
    const run = await world().run(["tail", "--hub", "a", "--latest", "--timeout-seconds", "2"]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.equal("");
  });

  it("an unknown hub exits 2 naming the configured hubs", async () => {
    const run = await world().run(["tail", "--hub", "zz"]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('unknown hub "zz"; hubs: a, b');
  });
});
