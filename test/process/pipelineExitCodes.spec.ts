import { expect } from "chai";
import { startCli } from "./childProcess.js";
import { ProcessWorld } from "./processWorld.js";

const ONCE = ["pipeline", "--name", "peoplecounter", "--once"];

describe("pipeline --once exit codes (README)", function () {
  this.timeout(30_000);
  let world: ProcessWorld;
  before(async () => {
    world = await ProcessWorld.start(["a", "b"]);
  });
  after(async () => {
    await world.close();
  });
  beforeEach(async () => {
    world.hubs.setFault("a", undefined);
    world.hubs.setFault("b", undefined);
    world.sim.configure({ faults: [] });
    world.sim.resetStats();
  });

  async function run(
    env: Record<string, string>,
    args = ONCE,
  ): Promise<{ code: number | string; output: string }> {
    const child = startCli(args, env);
    const code = await child.exited;
    return { code, output: child.output() };
  }

  it("0 when every event was acknowledged by every hub", async () => {
    const { code, output } = await run(world.env({ REDIS_KEY_PREFIX: `${world.keyPrefix}ok:` }));
    expect(code, output).to.equal(0);
  });

  it("3 when some events went to a dead-letter queue", async () => {
    world.hubs.setFault("b", { kind: "reject", condition: "amqp:unauthorized-access" });
    const { code, output } = await run(world.env({ REDIS_KEY_PREFIX: `${world.keyPrefix}dlq:` }));
    expect(code, output).to.equal(3);
  });

  it("4 when a location failed and kept its watermark", async () => {
    world.sim.configure({ faults: [{ endpoint: "view", status: 404, onCalls: [1] }] });
    const { code, output } = await run(
      world.env({ REDIS_KEY_PREFIX: `${world.keyPrefix}loc:`, MICROSHARE_CONCURRENCY: "1" }),
    );
    expect(code, output).to.equal(4);
    expect(output).to.match(/failed locations: Building A/);
  });

  it("4 when view pages keep contradicting themselves: retried, never read as empty, read in full once they are whole", async () => {
    const env = world.env({
      REDIS_KEY_PREFIX: `${world.keyPrefix}contradict:`,
      MICROSHARE_RETRY_DELAY: "10ms",
    });
    world.hubs.clear();
    world.sim.configure({ malformed: { kind: "contradictory-count", endpoint: "view" } });
    try {
      const first = await run(env);
      expect(first.code, first.output).to.equal(4);
      expect(first.output).to.match(/contradicts itself: meta.currentCount is \d+ but objs holds 0/);
      expect(world.delivered("a"), "nothing taken as 'no data'").to.deep.equal([]);
    } finally {
      world.sim.configure({ malformed: { kind: "contradictory-count", endpoint: "view", onCalls: [] } });
    }
    const startedAt = Date.now();
    const second = await run(env);
    expect(second.code, second.output).to.equal(0);
    expect(world.runMismatch(world.delivered("a"), startedAt)).to.deep.equal([]);
    expect(world.runMismatch(world.delivered("b"), startedAt)).to.deep.equal([]);
    expect(world.delivered("a")).to.have.length(new Set(world.delivered("a")).size);
  });

  it("1 when the tick cannot run (wrong password), naming the variables to check", async () => {
    const { code, output } = await run(
      world.env({ REDIS_KEY_PREFIX: `${world.keyPrefix}auth:`, MICROSHARE_PASSWORD: "wrong-password" }),
    );
    expect(code, output).to.equal(1);
    expect(output).to.match(/MICROSHARE_PASSWORD/);
    expect(output).to.not.include("wrong-password");
  });

  it("1 when the password was changed to a wrong one, even while a token from the right one is cached", async () => {
    const prefix = `${world.keyPrefix}cached-token:`;
    const good = await run(world.env({ REDIS_KEY_PREFIX: prefix }));
    expect(good.code, good.output).to.equal(0);
    const logins = world.sim.requestCount("token");
    const { code, output } = await run(
      world.env({ REDIS_KEY_PREFIX: prefix, MICROSHARE_PASSWORD: "wrong-password" }),
    );
    expect(code, output).to.equal(1);
    expect(world.sim.requestCount("token"), "a login was tried, not the cached token").to.be.greaterThan(
      logins,
    );
    expect(output).to.not.include("wrong-password");
  });

  it("75 when another instance holds the lease", async () => {
    const prefix = `${world.keyPrefix}lease:`;
    const { createRedisState } = await import("../../src/state/redisState.js");
    const other = createRedisState({
      url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
      keyPrefix: prefix,
    });
    try {
      expect(await other.store.acquireLease("peoplecounter", "another-host:1", 60_000)).to.not.equal(
        undefined,
      );
      const { code, output } = await run(world.env({ REDIS_KEY_PREFIX: prefix }));
      expect(code, output).to.equal(75);
      expect(output).to.include("another instance holds the lease");
    } finally {
      await other.store.close();
    }
  });

  it("78 for a bad configuration, naming the variable and the position of the error", async () => {
    const { code, output } = await run(
      world.env({
        EVENT_HUB_CONNECTION_STRINGS:
          "['Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=topsecret;EntityPath=h']",
      }),
    );
    expect(code).to.equal(78);
    expect(output).to.match(
      /EVENT_HUB_CONNECTION_STRINGS: is not valid JSON: at position 1 \(line 1, column 2\)/,
    );
    expect(output).to.not.include("topsecret");
  });

  it("78 when a setting the pipeline needs is missing", async () => {
    const { code, output } = await run(world.env({ MICROSHARE_PC_DASHBOARD_VIEW_ID: "" }));
    expect(code).to.equal(78);
    expect(output).to.include("MICROSHARE_PC_DASHBOARD_VIEW_ID: is required by this pipeline");
  });

  it("2 for an unknown pipeline, listing the known ones", async () => {
    const { code, output } = await run(world.env(), ["pipeline", "--name", "peoplecountr", "--once"]);
    expect(code).to.equal(2);
    expect(output).to.include(
      'unknown pipeline "peoplecountr"; known pipelines: peoplecounter, snapshot, doorway',
    );
  });

  it("2 for a refused command line, without running the command it refused", async () => {
    const { code, output } = await run(world.env(), ["pipeline", "--bogus"]);
    expect(code).to.equal(2);
    expect(output).to.include("Missing required argument: name");
    expect(output).to.include("Run with --help for the commands and options.");
    // Before the fix yargs went on to call the handler without --name: a TypeError, exit 1.
    expect(output).to.not.include("TypeError");
    expect(output).to.not.match(/^\s+at /m);
  });

  it("2 for a --from that is not a date", async () => {
    const { code, output } = await run(world.env(), [
      "pipeline",
      "--name",
      "peoplecounter",
      "--from",
      "yesterday",
    ]);
    expect(code).to.equal(2);
    expect(output).to.include('--from "yesterday" is not a date');
  });

  it("1 when the state store does not answer: the store's own error, without a stack", async () => {
    // Nothing listens on port 1: every connection is refused at once.
    const { code, output } = await run(world.env({ REDIS_URL: "redis://ops:s3cret-pw@127.0.0.1:1" }));
    expect(code, output).to.equal(1);
    expect(output).to.match(
      /error: State store redis:\/\/(ops@)?127\.0\.0\.1:1: .* failed: .*Check REDIS_URL/,
    );
    expect(output, "no stack trace").to.not.match(/\n\s+at /);
    expect(output, "no password").to.not.include("s3cret-pw");
  });
});
