import { expect } from "chai";
import { CliWorld, parseJson } from "./cliWorld.js";
import { eachTest } from "../support/eachTest.js";

interface StatusJson {
  stateStore: { kind: string; description: string };
  pipelines: {
    pipeline: string;
    locations: { location: string; watermark: string; lagSeconds: number }[];
    lastTick: { events: number; hubs: Record<string, { acknowledged: number; deadLettered: number }> } | null;
    counters: Record<string, number>;
    hubs: { hub: string; paused: boolean; dlq: { queued: number; inFlight: number; parked: number } }[];
  }[];
  breakers: string;
}

describe("cli status", function () {
  this.timeout(120_000);
  const world = eachTest(
    () => CliWorld.start(),
    (w) => w.close(),
  );

  it("--json matches what a `pipeline --once` run did: watermarks, lag, last tick, counters, DLQ depth", async () => {
    const once = await world().runPeopleCounterOnce({ EVENT_HUB_PAUSED: "b" });
    expect(once.code, once.stderr).to.equal(3);
    const delivered = world().received("a").length;
    expect(delivered).to.be.greaterThan(0);

    const run = await world().run(["status", "--name", "peoplecounter", "--json"], { EVENT_HUB_PAUSED: "b" });
    expect(run.code, run.stderr).to.equal(0);
    const status = parseJson<StatusJson>(run);
    expect(status.stateStore.kind).to.equal("redis");
    expect(status.stateStore.description).to.include("127.0.0.1:6379");
    expect(status.pipelines).to.have.length(1);
    const pc = status.pipelines[0];
    expect(pc?.locations.map((l) => l.location)).to.deep.equal([...world().sim.buildings].sort());
    for (const l of pc?.locations ?? []) {
      // Windows end at now − settle delay (5 min), cut at whole hours: the lag is 5 min to 1 h 5 min.
      expect(l.lagSeconds).to.be.within(5 * 60 - 5, 65 * 60 + 60);
      expect(Date.parse(l.watermark) + l.lagSeconds * 1000).to.be.closeTo(Date.now(), 60_000);
    }
    expect(pc?.lastTick?.events).to.equal(delivered);
    expect(pc?.lastTick?.hubs).to.deep.equal({
      a: { acknowledged: delivered, deadLettered: 0 },
      b: { acknowledged: 0, deadLettered: delivered },
    });
    expect(pc?.counters).to.include({
      ticks: 1,
      events: delivered,
      eventsAcknowledged: delivered,
      eventsDeadLettered: delivered,
    });
    const b = pc?.hubs.find((h) => h.hub === "b");
    expect(b?.paused).to.equal(true);
    const list = parseJson<{ hubs: { depth: { queued: number } }[] }>(
      await world().run(["dlq", "list", "--name", "peoplecounter", "--hub", "b", "--json"]),
    );
    expect(b?.dlq).to.deep.equal({ queued: list.hubs[0]?.depth.queued, inFlight: 0, parked: 0 });
    expect(b?.dlq.queued).to.be.greaterThan(0);
    expect(status.breakers).to.include("running pipeline process");
  });

  it("prints a readable report of every pipeline on a non-terminal", async () => {
    const run = await world().run(["status"]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include("state store: redis: redis://127.0.0.1:6379");
    for (const name of ["peoplecounter", "snapshot", "doorway"]) expect(run.stdout).to.include(`\n${name}\n`);
    expect(run.stdout).to.include("no watermarks yet").and.include("last tick: none recorded");
  });

  it("bad configuration exits 78 naming the variable; an unknown pipeline exits 2", async () => {
    const bad = await world().run(["status"], { EVENT_HUB_TIMEOUT: "soon" });
    expect(bad.code).to.equal(78);
    expect(bad.stderr).to.include("EVENT_HUB_TIMEOUT");
    const list = await world().run(["status"], {
      EVENT_HUB_CONNECTION_STRINGS:
        '["Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=abc;EntityPath=h",',
    });
    expect(list.code).to.equal(78);
    expect(list.stderr).to.include("EVENT_HUB_CONNECTION_STRINGS");
    const unknown = await world().run(["status", "--name", "nope"]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown pipeline "nope"');
  });
});
