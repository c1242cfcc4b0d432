import { expect } from "chai";
import { startCli, waitFor, type RunningChild } from "./childProcess.js";
import { OwnRedis } from "./ownRedis.js";
import { ProcessWorld } from "./processWorld.js";

const ONCE = ["pipeline", "--name", "peoplecounter", "--once"];
const REPLAY_B = ["dlq", "replay", "--name", "peoplecounter", "--hub", "b"];

/**
 * `dlq replay` when Redis dies under it: the hub has acknowledged an entry the store can no
 * longer remove. The command must end, say where the entries are, and lose none of them.
 */
describe("dlq replay through a Redis outage", function () {
  this.timeout(90_000);
  let world: ProcessWorld;
  let redis: OwnRedis;
  const children: RunningChild[] = [];
  before(async () => {
    world = await ProcessWorld.start(["a", "b"]);
    redis = await OwnRedis.start();
  });
  after(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill("SIGKILL");
    // A failed test may leave hub b slow: its held transfers would hold the stand-in's close.
    world.hubs.setFault("b", undefined);
    await redis.close();
    await world.close();
  });

  function env(bPaused: boolean): Record<string, string> {
    return world.env({
      REDIS_URL: redis.url,
      EVENT_HUB_TIMEOUT: "10s",
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
        { name: "a", connectionString: world.hubs.connectionString("a") },
        { name: "b", connectionString: world.hubs.connectionString("b"), paused: bPaused },
      ]),
    });
  }

  function run(args: readonly string[], environment: Record<string, string>): RunningChild {
    const child = startCli(args, environment);
    children.push(child);
    return child;
  }

  it("stops with the store's error and where the entries are, without a stack; the next replay delivers every line", async () => {
    const startedAt = Date.now();
    const once = run(ONCE, env(true));
    expect(await once.exited, once.output()).to.equal(3);

    // The hub answers each transfer after 5 s: Redis goes down while the first is unanswered
    // (killing it takes far less, even on a busy machine), so the hub acknowledges an entry that
    // the store can no longer remove.
    world.hubs.setFault("b", { kind: "slow", delayInMs: 5000 });
    const replay = run(REPLAY_B, env(false));
    await waitFor(() => world.hubs.stats("b").mostTransfersDelayed >= 1, "the replay's first transfer");
    await redis.down();
    const code = await replay.exited;
    const output = replay.output();
    expect(code, output).to.equal(1);
    expect(output).to.include("dlq replay stopped: the state store stopped answering. No entry was lost");
    expect(output).to.match(/error: State store redis:\/\/127\.0\.0\.1:\d+: .* failed/);
    expect(output, "no stack trace").to.not.match(/\n\s+at /);

    await redis.up();
    world.hubs.setFault("b", undefined);
    const again = run(REPLAY_B, env(false));
    expect(await again.exited, again.output()).to.equal(0);
    // Every line of the run reached b; the entry acknowledged before the outage came twice.
    const onB = world.delivered("b");
    expect(world.runMismatch(onB, startedAt)).to.deep.equal([]);
    expect(onB.length, "the acknowledged entry sent again").to.be.above(new Set(onB).size);
    expect(world.runMismatch(world.delivered("a"), startedAt)).to.deep.equal([]);
  });
});
