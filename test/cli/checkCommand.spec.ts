import { expect } from "chai";
import { CliWorld, parseJson, type CliRun } from "./cliWorld.js";
import { eachTest } from "../support/eachTest.js";

interface CheckJson {
  ok: boolean;
  checks: { check: string; verdict: "PASS" | "FAIL" | "SKIP"; detail: string; fix?: string }[];
}

function verdicts(run: CliRun): Record<string, string> {
  return Object.fromEntries(parseJson<CheckJson>(run).checks.map((c) => [c.check, c.verdict]));
}

function failed(run: CliRun, check: string): { detail: string; fix?: string } | undefined {
  return parseJson<CheckJson>(run).checks.find((c) => c.check === check && c.verdict === "FAIL");
}

describe("cli check", function () {
  this.timeout(120_000);
  const world = eachTest(
    () => CliWorld.start(),
    (w) => w.close(),
  );

  it("passes every check against healthy stand-ins (exit 0), one line each", async () => {
    const run = await world().run(["check"]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    for (const line of [
      "PASS state store (redis)",
      "PASS microshare auth",
      "PASS locations peoplecounter: 2: Building A, Building B",
      "PASS view peoplecounter",
      "PASS view snapshot",
      "PASS hub a: 2 partitions",
      "PASS hub b: 2 partitions",
    ])
      expect(run.stdout).to.include(line);
    expect(run.stdout.trim().split("\n").at(-1)).to.equal("all checks passed");
  });

  it("a wrong password fails the login with the variables to fix (exit 1)", async () => {
    const run = await world().run(["check", "--json"], { MICROSHARE_PASSWORD: "wrong-password-123" });
    expect(run.code).to.equal(1);
    expect(failed(run, "microshare auth")?.fix).to.include("MICROSHARE_PASSWORD");
    expect(verdicts(run)).to.include({
      "locations peoplecounter": "SKIP",
      "hub a": "PASS",
      "state store (redis)": "PASS",
    });
  });

  it("an unknown view id fails that pipeline's view naming its variable", async () => {
    const run = await world().run(["check", "--name", "peoplecounter"], {
      MICROSHARE_PC_DASHBOARD_VIEW_ID: "0123456789abcdef01234567",
    });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(/^FAIL view peoplecounter: .*\(check MICROSHARE_PC_DASHBOARD_VIEW_ID\)$/m);
    expect(run.stdout).to.include("PASS locations peoplecounter");
  });

  it("a hub that is down fails its line with the reason and its place in EVENT_HUB_CONNECTION_STRINGS", async () => {
    world().hubs.setFault("b", { kind: "down" });
    const run = await world().run(["check", "--json"]);
    expect(run.code).to.equal(1);
    expect(verdicts(run)).to.include({ "hub a": "PASS", "hub b": "FAIL" });
    const b = failed(run, "hub b");
    expect(b?.detail).to.match(/\w+Error/);
    expect(b?.fix).to.include("EVENT_HUB_CONNECTION_STRINGS item 2");
  });

  it("a hub with a wrong EntityPath fails with MessagingEntityNotFoundError and points at EntityPath", async () => {
    const strings = [
      { name: "a", connectionString: world().connectionString("a") },
      {
        name: "b",
        connectionString: world().connectionString("b").replace("EntityPath=b", "EntityPath=nope"),
      },
    ];
    const run = await world().run(["check"], { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify(strings) });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.match(
      /^FAIL hub b: .*EntityNotFound.*\(check EntityPath in EVENT_HUB_CONNECTION_STRINGS item 2\)$/m,
    );
  });
});
