import { expect } from "chai";
import { CliWorld, SECRETS, type CliRun, type EnvOverrides } from "./cliWorld.js";

/** A wrong password is a secret too: a failed login must not echo it either. */
const WRONG_PASSWORD = "Wrong-Pw-9a8b7c6d-do-not-print";
const ALL_SECRETS = [...Object.values(SECRETS), WRONG_PASSWORD];

describe("cli: secrets are never printed", function () {
  this.timeout(300_000);
  let world: CliWorld;
  const runs: { label: string; run: CliRun }[] = [];

  before(async () => {
    world = await CliWorld.start();
  });
  after(async () => {
    await world.close();
  });

  async function record(label: string, args: string[], env: EnvOverrides = {}): Promise<CliRun> {
    const run = await world.run(args, env);
    runs.push({ label, run });
    return run;
  }

  it("runs every CLI scenario with known secrets and finds none of them in stdout or stderr", async () => {
    // Debug logging on the busiest runs: payload-level logs must be redacted too.
    const debug = { LOG_LEVEL: "debug" };
    expect(
      (
        await record("pipeline --once, b paused", ["pipeline", "--name", "peoplecounter", "--once"], {
          ...debug,
          EVENT_HUB_PAUSED: "b",
        })
      ).code,
    ).to.equal(3);
    expect((await record("status", ["status"])).code).to.equal(0);
    expect((await record("status --json", ["status", "--json"])).code).to.equal(0);
    expect((await record("dlq list", ["dlq", "list", "--name", "peoplecounter"])).code).to.equal(0);
    expect(
      (await record("dlq list --json", ["dlq", "list", "--name", "peoplecounter", "--json"])).code,
    ).to.equal(0);
    expect(
      (await record("dlq show", ["dlq", "show", "--name", "peoplecounter", "--hub", "b"])).code,
    ).to.equal(0);
    expect(
      (await record("dlq show --json", ["dlq", "show", "--name", "peoplecounter", "--hub", "b", "--json"]))
        .code,
    ).to.equal(0);
    expect(
      (await record("dlq replay --dry-run", ["dlq", "replay", "--name", "peoplecounter", "--dry-run"])).code,
    ).to.equal(0);

    world.hubs.setFault("b", { kind: "down" });
    expect(
      (await record("dlq replay, hub down", ["dlq", "replay", "--name", "peoplecounter"], debug)).code,
    ).to.equal(3);
    expect((await record("check, hub down", ["check"], debug)).code).to.equal(1);
    expect(
      (
        await record("dlq show after a failed replay", [
          "dlq",
          "show",
          "--name",
          "peoplecounter",
          "--hub",
          "b",
          "--index",
          "1000",
        ])
      ).code,
    ).to.equal(2);
    world.hubs.setFault("b", undefined);
    expect(
      (await record("dlq replay, hub up", ["dlq", "replay", "--name", "peoplecounter", "--json"], debug))
        .code,
    ).to.equal(0);

    expect((await record("check, healthy", ["check", "--json"], debug)).code).to.equal(0);
    expect(
      (await record("check, wrong password", ["check"], { ...debug, MICROSHARE_PASSWORD: WRONG_PASSWORD }))
        .code,
    ).to.equal(1);
    expect(
      (await record("tail", ["tail", "--hub", "a", "--from-start", "--limit", "3"], debug)).code,
    ).to.equal(0);
    expect(
      (await record("tail --json", ["tail", "--hub", "b", "--from-start", "--limit", "3", "--json"])).code,
    ).to.equal(0);
    expect(
      (await record("dlq purge without --yes", ["dlq", "purge", "--name", "peoplecounter", "--hub", "a"]))
        .code,
    ).to.equal(0);

    const malformed = `[${JSON.stringify(world.connectionString("a"))}, "Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=${SECRETS.sharedAccessKey}"`;
    expect(
      (
        await record("bad config: malformed hub list", ["status"], {
          EVENT_HUB_CONNECTION_STRINGS: malformed,
        })
      ).code,
    ).to.equal(78);
    const noEntity = JSON.stringify([
      `Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=${SECRETS.sharedAccessKey}`,
    ]);
    expect(
      (
        await record("bad config: hub without EntityPath", ["check"], {
          EVENT_HUB_CONNECTION_STRINGS: noEntity,
        })
      ).code,
    ).to.equal(78);
    expect(
      (
        await record(
          "bad config: password without username",
          ["pipeline", "--name", "peoplecounter", "--once"],
          { MICROSHARE_USERNAME: undefined },
        )
      ).code,
    ).to.equal(78);

    const leaks = runs.flatMap(({ label, run }) =>
      ALL_SECRETS.filter((s) => (run.stdout + run.stderr).includes(s)).map((s) => `${label}: ${s}`),
    );
    expect(leaks).to.deep.equal([]);
    // The runs did print something to look in (a silent CLI would pass this test trivially).
    expect(runs.every(({ run }) => run.stdout.length + run.stderr.length > 0)).to.equal(true);
  });
});
