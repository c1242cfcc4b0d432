import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { EXIT } from "../../src/model/exitCodes.js";
import { startCli } from "../process/childProcess.js";

const SECRET_KEY = "VALIDATE-SECRET-KEY-7a1";
const GOOD_ENV = [
  "MICROSHARE_USERNAME=me@example.com",
  "MICROSHARE_PASSWORD=validate-secret-password",
  "MICROSHARE_API_KEY=validate-secret-api-key",
  "MICROSHARE_PC_DEVICE_CLUSTER_ID=cluster-1",
  "MICROSHARE_PC_DASHBOARD_VIEW_ID=view-1",
  `EVENT_HUB_CONNECTION_STRING=Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${SECRET_KEY};EntityPath=ingress`,
  "LOG_LEVEL=WARNING",
];

/** `validate` and `config` as an operator runs them: a child process reading a `.env` on disk. */
describe("cli validate and config (offline, from a .env file)", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "validate-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function run(args: string[], lines: readonly string[], env: Record<string, string> = {}) {
    const envFile = join(dir, ".env");
    writeFileSync(envFile, `${lines.join("\n")}\n`);
    const cli = startCli(args, { DOTENV_PATH: envFile, ...env });
    const code = await cli.exited;
    return { code, output: cli.output() };
  }

  it("validate: a good .env passes (exit 0) and says which pipelines can run, with no network", async () => {
    // Microshare and the hub point at hosts that do not resolve here: validate must not try them.
    const { code, output } = await run(["validate"], GOOD_ENV);
    expect(code, output).to.equal(EXIT.ok);
    expect(output).to.include("pipeline peoplecounter: ready");
    expect(output).to.match(/pipeline snapshot: cannot run: MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID/);
    expect(output).to.include("configuration valid");
  });

  it("validate: lists every bad value at once and an unknown variable with its nearest name (exit 78)", async () => {
    const { code, output } = await run(
      ["validate"],
      [
        ...GOOD_ENV,
        "EVENT_HUB_TIMEOUT=10 seconds",
        "MICROSHARE_CONCURRENCY=0",
        // dotenv strips one level of quotes; the inner ones would become part of the view id.
        `MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID="'61a5f0'"`,
        "EVENT_HUB_CONECTION_STRINGS=[]",
      ],
    );
    expect(code, output).to.equal(EXIT.config);
    expect(output).to.match(/FAIL EVENT_HUB_TIMEOUT: .*10 seconds.* is not a duration/);
    expect(output).to.match(/FAIL MICROSHARE_CONCURRENCY: /);
    expect(output).to.include(
      "WARN EVENT_HUB_CONECTION_STRINGS is set but is not a variable of microshare-pipeline (it is ignored); did you mean EVENT_HUB_CONNECTION_STRINGS?",
    );
    expect(output).to.include(
      "WARN MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID's value is wrapped in single quotes",
    );
    // Exactly once: it is also among the start-up's warnings.
    expect(output.split("EVENT_HUB_CONECTION_STRINGS is set").length).to.equal(2);
  });

  it("validate --strict fails on an unknown variable alone; --name fails when that pipeline cannot run", async () => {
    const strict = await run(["validate", "--strict"], [...GOOD_ENV, "MICROSHARE_CONCURENCY=8"]);
    expect(strict.code, strict.output).to.equal(EXIT.config);
    expect(strict.output).to.include("FAIL MICROSHARE_CONCURENCY is set but is not a variable");
    const named = await run(["validate", "--name", "snapshot"], GOOD_ENV);
    expect(named.code, named.output).to.equal(EXIT.config);
    expect(named.output).to.match(/FAIL pipeline snapshot: cannot run/);
  });

  it("a run's start-up warns of an unknown variable too (the typo never passes silently)", async () => {
    // Microshare refuses at once (a closed port), so the run ends quickly after its start-up.
    const { output } = await run(
      ["pipeline", "--name", "peoplecounter", "--once"],
      [...GOOD_ENV, "LOG_LEVEL=warn", "REDIS_URLL=redis://x"],
      {
        MICROSHARE_AUTH_URL: "http://127.0.0.1:1",
        MICROSHARE_MAX_RETRIES: "0",
        STATE_DIR: join(dir, "state"),
      },
    );
    expect(output).to.include("REDIS_URLL is set but is not a variable of microshare-pipeline");
    expect(output).to.include("did you mean REDIS_URL?");
  });

  it("validate: a bad value and what a pipeline still lacks are said in one run; no hub at all fails --name", async () => {
    const noHub = GOOD_ENV.filter((l) => !l.startsWith("EVENT_HUB_CONNECTION_STRING="));
    const { code, output } = await run(["validate", "--name", "peoplecounter"], [...noHub, "LEASE_TTL=soon"]);
    expect(code, output).to.equal(EXIT.config);
    expect(output).to.match(/FAIL LEASE_TTL: /);
    expect(output).to.match(
      /FAIL pipeline peoplecounter: cannot run: EVENT_HUB_CONNECTION_STRINGS no Event Hub is configured/,
    );
    // The missing password of another .env is said as it is, not mangled by the redactor.
    const noPassword = await run(
      ["validate"],
      GOOD_ENV.filter((l) => !l.startsWith("MICROSHARE_PASSWORD=")),
    );
    expect(noPassword.output).to.include(
      "FAIL MICROSHARE_PASSWORD: is missing while the username or API key is set",
    );
  });

  it("config: each variable's value and source (environment over .env over default), secrets redacted", async () => {
    const { code, output } = await run(["config", "--json"], GOOD_ENV, { LOG_LEVEL: "debug" });
    expect(code, output).to.equal(EXIT.ok);
    const shown = JSON.parse(output.slice(output.indexOf("{"))) as {
      valid: boolean;
      problems: unknown[];
      variables: { name: string; value: string | null; source: string }[];
    };
    expect(shown.valid).to.equal(true);
    expect(shown.problems).to.deep.equal([]);
    const of = (name: string) => shown.variables.find((v) => v.name === name);
    // A default that is no value is null, not the README's "none".
    expect(of("PUSHGATEWAY_URL")).to.deep.equal({ name: "PUSHGATEWAY_URL", value: null, source: "default" });
    expect(of("MICROSHARE_USERNAME")).to.deep.equal({
      name: "MICROSHARE_USERNAME",
      value: "me@example.com",
      source: ".env",
    });
    expect(of("LOG_LEVEL")).to.deep.equal({ name: "LOG_LEVEL", value: "debug", source: "environment" });
    expect(of("EVENT_HUB_TIMEOUT")).to.deep.equal({
      name: "EVENT_HUB_TIMEOUT",
      value: "10s",
      source: "default",
    });
    expect(of("MICROSHARE_PASSWORD")?.value).to.equal("<redacted>");
    for (const secret of [SECRET_KEY, "validate-secret-password", "validate-secret-api-key"])
      expect(output).to.not.include(secret);
  });

  it("config: an invalid configuration is still printed, then every problem, exit 78", async () => {
    const { code, output } = await run(["config"], [...GOOD_ENV, "LEASE_TTL=soon"]);
    expect(code, output).to.equal(EXIT.config);
    expect(output).to.match(/LEASE_TTL\s+\.env\s+soon/);
    expect(output).to.match(/LEASE_TTL: .*soon/);
    const json = await run(["config", "--json"], [...GOOD_ENV, "LEASE_TTL=soon"]);
    expect(json.code, json.output).to.equal(EXIT.config);
    const shown = JSON.parse(json.output.slice(json.output.indexOf("{"))) as {
      valid: boolean;
      problems: { variable: string; problem: string }[];
    };
    expect(shown.valid).to.equal(false);
    expect(shown.problems.map((p) => p.variable)).to.deep.equal(["LEASE_TTL"]);
    expect(shown.problems[0]?.problem).to.include("soon");
  });
});
