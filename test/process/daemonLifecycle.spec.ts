import { expect } from "chai";
import { startCli, waitFor, type RunningChild } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

const DAEMON = ["pipeline", "--name", "peoplecounter"];

describe("pipeline daemons", function () {
  this.timeout(60_000);
  let world: ProcessWorld;
  const children: RunningChild[] = [];
  afterEach(async () => {
    for (const c of children.splice(0))
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await world.close();
  });

  it("runs ticks in one of two instances; when the leader dies the standby takes over and nothing is lost", async () => {
    world = await ProcessWorld.start(["a"], { latencyMs: 20 });
    const env = world.env({ LEASE_TTL: "2s", SCHEDULE_EVERY: "1s", LOG_LEVEL: "info" });
    const first = startCli(DAEMON, env);
    children.push(first);
    await waitFor(() => first.output().includes("windows over 3 locations"), "the first daemon's first tick");
    const second = startCli(DAEMON, env);
    children.push(second);
    await waitFor(() => second.output().includes("standing by"), "the second daemon to stand by");
    const beforeKill = world.hubs.received("a").length;
    expect(second.output()).to.not.include("windows over 3 locations");

    first.child.kill("SIGKILL");
    const killedAt = Date.now();
    await waitFor(
      () => second.output().includes("windows over 3 locations"),
      "the standby's first tick",
      10_000,
    );
    // It took over within about one lease TTL (2 s) plus one attempt interval and a tick.
    expect(Date.now() - killedAt).to.be.below(8_000);

    const marks = await world.store.watermarks("peoplecounter");
    const until = Math.min(...[...marks.values()].map((d) => d.getTime()));
    const delivered = world.delivered("a");
    for (const line of world.linesBefore(until)) expect(delivered).to.include(line);
    // Only a tick the leader had not settled can be read again; in steady state there is none.
    expect(delivered.length - new Set(delivered).size).to.be.at.most(3 * 24);
    expect(beforeKill).to.be.greaterThan(0);
    expect(await world.watermarkViolations("peoplecounter")).to.deep.equal([]);
  });

  it("drains on SIGTERM: the windows in flight settle and commit, then the process exits", async () => {
    world = await ProcessWorld.start(["a"], { latencyMs: 150 });
    const daemon = startCli(DAEMON, world.env({ LOG_LEVEL: "info" }));
    children.push(daemon);
    await waitFor(() => world.hubs.received("a").length > 0, "the first batches");
    daemon.child.kill("SIGTERM");
    const code = await daemon.exited;
    expect(daemon.output()).to.include("finishing in-flight batches");
    expect(code, daemon.output()).to.equal(0);
    // The log ends by saying how the process ended, not with the signal's line.
    const lastLine = daemon.output().trim().split("\n").at(-1) ?? "";
    expect(lastLine).to.include("peoplecounter: stopped (exit 0): in-flight batches settled");
    // The windows in flight when the signal came settled and committed: every location moved
    // past the start recorded for it (now − 13 h), and nothing behind a watermark is missing.
    const marks = await world.store.watermarks("peoplecounter");
    expect(marks.size).to.equal(3);
    for (const mark of marks.values())
      expect(mark.getTime()).to.be.above(Date.now() - 13 * 3_600_000 + 60_000);
    expect(await world.watermarkViolations("peoplecounter")).to.deep.equal([]);
  });

  it("drains a long back-fill tick: no new window starts, the ones in flight settle, and it exits", async () => {
    // 36 hour-long windows read one at a time at 200 ms each: the whole tick would take over 7 s.
    world = await ProcessWorld.start(["a"], { latencyMs: 200 });
    const env = world.env({ LOG_LEVEL: "info", WINDOW_LENGTH: "1h", MICROSHARE_CONCURRENCY: "1" });
    const daemon = startCli(DAEMON, env);
    children.push(daemon);
    await waitFor(() => world.hubs.received("a").length > 0, "the first window delivered");
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited, daemon.output()).to.equal(0);
    const marks = await world.store.watermarks("peoplecounter");
    // Part of the back-fill settled, the rest is left for the next start (a drain that ran the
    // whole tick would have moved every watermark to the present); nothing was lost. (No time
    // budget: on a busy machine the exit's time says more about the machine than the drain.)
    expect(Math.max(...[...marks.values()].map((d) => d.getTime()))).to.be.below(Date.now() - 3_600_000);
    expect(await world.watermarkViolations("peoplecounter")).to.deep.equal([]);
  });

  it("stops at once on a second signal, and the next run re-reads what was not settled", async () => {
    world = await ProcessWorld.start(["a"], { latencyMs: 300 });
    const daemon = startCli(DAEMON, world.env({ LOG_LEVEL: "info" }));
    children.push(daemon);
    // One window per building at least (two before 13:00 UTC, when the 13 h lookback crosses
    // midnight): three calls, all in flight at once for 300 ms.
    await waitFor(() => world.sim.requestCount("view") >= 3, "view calls in flight");
    daemon.child.kill("SIGTERM");
    await waitFor(() => daemon.output().includes("finishing in-flight batches"), "the drain to start");
    daemon.child.kill("SIGTERM");
    expect(await daemon.exited).to.equal(1);
    expect(daemon.output()).to.include("stopping now (second SIGTERM)");
    expect(daemon.output()).to.include(
      "peoplecounter: stopped (exit 1); state store and hub connections closed",
    );
    expect(await world.watermarkViolations("peoplecounter")).to.deep.equal([]);
    world.sim.configure({ latencyMs: 0 });
    const rerun = startCli(["pipeline", "--name", "peoplecounter", "--once"], world.env());
    children.push(rerun);
    // The stopped daemon released its lease on the way out, so the re-run may tick at once.
    expect(await rerun.exited, rerun.output()).to.equal(0);
    const marks = await world.store.watermarks("peoplecounter");
    const until = Math.min(...[...marks.values()].map((d) => d.getTime()));
    const delivered = new Set(world.delivered("a"));
    for (const line of world.linesBefore(until)) expect(delivered.has(line), line).to.equal(true);
  });
});
