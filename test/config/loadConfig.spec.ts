import { expect } from "chai";
import { ConfigError } from "../../src/config/configError.js";
import { loadConfig } from "../../src/config/loadConfig.js";

const KEY = "c2VjcmV0LWtleS12YWx1ZQ==";
const GOOD_CS = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${KEY};EntityPath=hub1`;
const GOOD_CS2 = GOOD_CS.replace("hub1", "hub2");

/** The old Python forwarder's .env, unchanged. */
const OLD_ENV = {
  MICROSHARE_USERNAME: "ops@example.com",
  MICROSHARE_PASSWORD: "pa55-w0rd-secret",
  MICROSHARE_API_KEY: "11111111-2222-3333-4444-555555555555",
  MICROSHARE_IDENTITY: "ACME",
  MICROSHARE_PC_DEVICE_CLUSTER_ID: "65a0aaaaaaaaaaaaaaaaaaaa",
  MICROSHARE_PC_DASHBOARD_VIEW_ID: "66b0bbbbbbbbbbbbbbbbbbbb",
  MICROSHARE_PC_DATA_CONTEXT: '["people"]',
  MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID: "66c0cccccccccccccccccccc",
  MICROSHARE_SNAPSHOT_DATA_CONTEXT: '["space"]',
  MICROSHARE_SNAPSHOT_CATEGORY: "space",
  MICROSHARE_SNAPSHOT_METRIC: "occupancy",
  MICROSHARE_LOCATION_PREFIX: "ACME ",
  EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS, GOOD_CS2]),
  LOG_LEVEL: "INFO",
};

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig", () => {
  it("accepts the old forwarder's .env unchanged", () => {
    const config = loadConfig(OLD_ENV);
    expect(config.hubs.map((h) => h.name)).to.deep.equal(["hub1", "hub2"]);
    expect(config.microshare.credentials?.username).to.equal("ops@example.com");
    expect(config.snapshot.locationPrefix).to.equal("ACME ");
    expect(config.snapshot.clusterId).to.equal(OLD_ENV.MICROSHARE_PC_DEVICE_CLUSTER_ID);
    expect(config.state).to.deep.equal({ kind: "file", directory: ".state" });
    expect(config.microshare.concurrency).to.equal(4);
  });

  it("accepts a single EVENT_HUB_CONNECTION_STRING", () => {
    const { EVENT_HUB_CONNECTION_STRINGS: _drop, ...rest } = OLD_ENV;
    const config = loadConfig({ ...rest, EVENT_HUB_CONNECTION_STRING: GOOD_CS });
    expect(config.hubs).to.have.length(1);
    expect(config.hubs[0]?.name).to.equal("hub1");
  });

  it("accepts objects with name and paused, and EVENT_HUB_PAUSED", () => {
    const config = loadConfig({
      ...OLD_ENV,
      EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
        { name: "internal", connectionString: GOOD_CS },
        { name: "client", connectionString: GOOD_CS2, paused: true },
        { name: "entra", fullyQualifiedNamespace: "ns.servicebus.windows.net", eventHubName: "hub3" },
      ]),
      EVENT_HUB_PAUSED: "internal",
    });
    expect(config.hubs.map((h) => [h.name, h.paused, h.auth])).to.deep.equal([
      ["internal", true, "sas"],
      ["client", true, "sas"],
      ["entra", false, "entra-id"],
    ]);
  });

  it("sends to the primary EVENT_HUB_CONNECTION_STRING and the list's hubs, as the old forwarder did", () => {
    const primary = GOOD_CS.replace("hub1", "ingress");
    const config = loadConfig({ ...OLD_ENV, EVENT_HUB_CONNECTION_STRING: primary });
    expect(config.hubs.map((h) => h.name)).to.deep.equal(["ingress", "hub1", "hub2"]);
    expect(config.warnings).to.deep.equal([]);
  });

  it("counts the primary once when the list names it too (another policy, same namespace and hub)", () => {
    const samePrimary = GOOD_CS.replace("SharedAccessKeyName=send", "SharedAccessKeyName=other").replace(
      "ns.servicebus",
      "NS.servicebus",
    );
    const config = loadConfig({ ...OLD_ENV, EVENT_HUB_CONNECTION_STRING: samePrimary });
    expect(config.hubs.map((h) => h.name)).to.deep.equal(["hub1", "hub2"]);
    expect(config.hubs[0]?.auth === "sas" && config.hubs[0].connectionString).to.equal(samePrimary);
    expect(config.warnings.join("\n")).to.match(/hub "hub1" is configured twice/);
  });

  it("takes an empty list with a primary as the primary alone (the old 'client hub paused' .env)", () => {
    const config = loadConfig({
      ...OLD_ENV,
      EVENT_HUB_CONNECTION_STRING: GOOD_CS,
      EVENT_HUB_CONNECTION_STRINGS: "[ ]",
    });
    expect(config.hubs.map((h) => h.name)).to.deep.equal(["hub1"]);
  });

  it("refuses two different hubs of one name, and one hub listed twice under two names", () => {
    const otherNamespace = GOOD_CS.replace("ns.servicebus", "other.servicebus");
    expect(
      problemsOf({ ...OLD_ENV, EVENT_HUB_CONNECTION_STRING: otherNamespace }).problems.map((p) => p.problem),
    ).to.satisfy((problems: string[]) =>
      problems.some((p) => /two different hubs are both named "hub1"/.test(p)),
    );
    const renamed = JSON.stringify([{ name: "client", connectionString: GOOD_CS }]);
    const error = problemsOf({
      ...OLD_ENV,
      EVENT_HUB_CONNECTION_STRING: GOOD_CS,
      EVENT_HUB_CONNECTION_STRINGS: renamed,
    });
    expect(error.message).to.match(/lists hub "hub1" twice with different settings/);
    expect(error.message).to.not.contain(KEY);
  });

  it("reads a Redis URL's database number, and a password holding '/' or '@'", () => {
    for (const url of [
      "redis://127.0.0.1:6379",
      "rediss://:p/w@d@cache:6380/2",
      "redis://cache:6379/0?family=6",
    ])
      expect(loadConfig({ ...OLD_ENV, REDIS_URL: url }).state).to.deep.equal({
        kind: "redis",
        url,
        keyPrefix: "msp:",
      });
  });

  it("maps Python's log level names and reads LOG_FORMAT", () => {
    const levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "warn"].map(
      (LOG_LEVEL) => loadConfig({ ...OLD_ENV, LOG_LEVEL }).logging.level,
    );
    expect(levels).to.deep.equal(["debug", "info", "warn", "error", "error", "warn"]);
    expect(loadConfig({ ...OLD_ENV, LOG_FORMAT: "TEXT" }).logging).to.deep.equal({
      level: "info",
      format: "text",
    });
    expect(loadConfig({ ...OLD_ENV, LOG_FORMAT: "" }).logging.format).to.equal(undefined);
  });

  it("reads the earlier release's MICROSHARE_DATA_CONTEXT as the snapshot data context", () => {
    const { MICROSHARE_SNAPSHOT_DATA_CONTEXT: _drop, ...earlier } = OLD_ENV;
    const config = loadConfig({ ...earlier, MICROSHARE_DATA_CONTEXT: "ACME" });
    expect(config.snapshot.dataContext).to.equal('["ACME","occupancy","room"]');
    const both = problemsOf({ ...OLD_ENV, MICROSHARE_DATA_CONTEXT: "ACME" });
    expect(both.problems.map((p) => p.variable)).to.deep.equal(["MICROSHARE_DATA_CONTEXT"]);
    expect(both.message).to.match(/replaces it; remove MICROSHARE_DATA_CONTEXT/);
  });

  it("wraps a bare dataContext word into a JSON array", () => {
    expect(
      loadConfig({ ...OLD_ENV, MICROSHARE_PC_DATA_CONTEXT: "people" }).peopleCounter.dataContext,
    ).to.equal('["people"]');
  });

  it("parses durations with units", () => {
    const config = loadConfig({
      ...OLD_ENV,
      WINDOW_LENGTH: "1h30m",
      SETTLE_DELAY: "90s",
      EVENT_HUB_TIMEOUT: "2500ms",
    });
    expect(config.windows.windowLengthInMs).to.equal(5_400_000);
    expect(config.windows.settleDelayInMs).to.equal(90_000);
    expect(config.delivery.timeoutInMs).to.equal(2500);
  });

  it("reads REDIS_URL with TLS and a password", () => {
    const config = loadConfig({ ...OLD_ENV, REDIS_URL: "rediss://:hunter22@cache.example.com:6380/0" });
    expect(config.state).to.deep.include({
      kind: "redis",
      url: "rediss://:hunter22@cache.example.com:6380/0",
    });
  });

  it("reports every problem at once", () => {
    const error = problemsOf({
      ...OLD_ENV,
      MICROSHARE_CONCURRENCY: "zero",
      WINDOW_LENGTH: "60",
      REDIS_URL: "localhost:6379",
    });
    expect(error.problems.map((p) => p.variable)).to.deep.equal([
      "MICROSHARE_CONCURRENCY",
      "WINDOW_LENGTH",
      "REDIS_URL",
    ]);
    expect(error.exitCode).to.equal(78);
  });

  describe("bad configurations", () => {
    const cases: ReadonlyArray<readonly [string, Record<string, string>, string, RegExp]> = [
      [
        "JSON with single quotes",
        { EVENT_HUB_CONNECTION_STRINGS: `['${GOOD_CS}']` },
        "EVENT_HUB_CONNECTION_STRINGS",
        /position 1 \(line 1, column 2\) expected a double-quoted string/,
      ],
      [
        "JSON with a trailing comma",
        { EVENT_HUB_CONNECTION_STRINGS: `["${GOOD_CS}",]` },
        "EVENT_HUB_CONNECTION_STRINGS",
        /position 1[0-9]* \(line 1, column 1[0-9]*\) expected another item \(JSON does not allow a trailing comma\)/,
      ],
      [
        "JSON across lines, error on line 2",
        { EVENT_HUB_CONNECTION_STRINGS: `[\n"${GOOD_CS}" "x"]` },
        "EVENT_HUB_CONNECTION_STRINGS",
        /line 2/,
      ],
      [
        "an object instead of an array",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify({ cs: GOOD_CS }) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /must be a JSON array/,
      ],
      [
        "a bare connection string in the list variable",
        { EVENT_HUB_CONNECTION_STRINGS: GOOD_CS },
        "EVENT_HUB_CONNECTION_STRINGS",
        /not valid JSON/,
      ],
      [
        "an empty array",
        { EVENT_HUB_CONNECTION_STRINGS: "[]" },
        "EVENT_HUB_CONNECTION_STRINGS",
        /empty array/,
      ],
      [
        "an item without EntityPath",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS, GOOD_CS.replace(";EntityPath=hub1", "")]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /item 2 has no "EntityPath=/,
      ],
      [
        "an item without Endpoint",
        {
          EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
            GOOD_CS.replace("Endpoint=sb://ns.servicebus.windows.net/;", ""),
          ]),
        },
        "EVENT_HUB_CONNECTION_STRINGS",
        /item 1 has no valid "Endpoint/,
      ],
      [
        "an https endpoint",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS.replace("sb://", "https://")]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /Endpoint=sb:/,
      ],
      [
        "an item without SharedAccessKey",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS.replace(`;SharedAccessKey=${KEY}`, "")]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /no "SharedAccessKey="/,
      ],
      [
        "a number item",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS, 42]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /item 2 is a number/,
      ],
      [
        "an object item without connection",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([{ name: "x" }]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /item 1 needs "connectionString"/,
      ],
      [
        "paused not boolean",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([{ connectionString: GOOD_CS, paused: "yes" }]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /"paused" must be true or false/,
      ],
      [
        "a misspelt key in a hub object (it would be dropped: this hub would not be paused)",
        {
          EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([
            { name: "x", connectionString: GOOD_CS, pasued: true, note: "staging" },
          ]),
        },
        "EVENT_HUB_CONNECTION_STRINGS",
        /item 1 has unknown keys "pasued" \(did you mean "paused"\?\), "note"; the keys are "name", "connectionString"/,
      ],
      [
        "duplicate hub names",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([GOOD_CS, GOOD_CS]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /two hubs are named "hub1"/,
      ],
      [
        "a bad hub name",
        { EVENT_HUB_CONNECTION_STRINGS: JSON.stringify([{ name: "my hub!", connectionString: GOOD_CS }]) },
        "EVENT_HUB_CONNECTION_STRINGS",
        /"name" must be/,
      ],
      [
        "single connection string without EntityPath",
        {
          EVENT_HUB_CONNECTION_STRINGS: "",
          EVENT_HUB_CONNECTION_STRING: GOOD_CS.replace(";EntityPath=hub1", ""),
        },
        "EVENT_HUB_CONNECTION_STRING",
        /EntityPath/,
      ],
      [
        "pausing an unknown hub",
        { EVENT_HUB_PAUSED: "nope" },
        "EVENT_HUB_PAUSED",
        /unknown hub\(s\) nope; known: hub1, hub2/,
      ],
      ["password without username", { MICROSHARE_USERNAME: "" }, "MICROSHARE_USERNAME", /is missing/],
      ["API key missing", { MICROSHARE_API_KEY: "" }, "MICROSHARE_API_KEY", /is missing/],
      [
        "dataContext repeated words",
        { MICROSHARE_PC_DATA_CONTEXT: "people,space" },
        "MICROSHARE_PC_DATA_CONTEXT",
        /JSON array/,
      ],
      [
        "dataContext of numbers",
        { MICROSHARE_SNAPSHOT_DATA_CONTEXT: "[1,2]" },
        "MICROSHARE_SNAPSHOT_DATA_CONTEXT",
        /array of strings/,
      ],
      ["non-URL API URL", { MICROSHARE_API_URL: "api.microshare.io" }, "MICROSHARE_API_URL", /not a URL/],
      [
        "ftp auth URL",
        { MICROSHARE_AUTH_URL: "ftp://auth.microshare.io" },
        "MICROSHARE_AUTH_URL",
        /https:\/\//,
      ],
      [
        "unknown auth method",
        { MICROSHARE_AUTH_METHOD: "oauth" },
        "MICROSHARE_AUTH_METHOD",
        /password, web-login/,
      ],
      ["concurrency 0", { MICROSHARE_CONCURRENCY: "0" }, "MICROSHARE_CONCURRENCY", /below the minimum 1/],
      [
        "concurrency too high",
        { MICROSHARE_CONCURRENCY: "1000" },
        "MICROSHARE_CONCURRENCY",
        /above the maximum 64/,
      ],
      ["duration without unit", { WINDOW_LENGTH: "60" }, "WINDOW_LENGTH", /unit/],
      ["duration nonsense", { INITIAL_LOOKBACK: "a day" }, "INITIAL_LOOKBACK", /not a duration/],
      ["redis URL without scheme", { REDIS_URL: "localhost:6379" }, "REDIS_URL", /redis:\/\/ or rediss:\/\//],
      ["bad log level", { LOG_LEVEL: "loud" }, "LOG_LEVEL", /not a log level.*WARNING/],
      [
        "a zero hub timeout (the SDK would wait forever)",
        { EVENT_HUB_TIMEOUT: "0ms" },
        "EVENT_HUB_TIMEOUT",
        /too short; it must be at least 1ms/,
      ],
      [
        "a zero request timeout",
        { MICROSHARE_REQUEST_TIMEOUT: "0s" },
        "MICROSHARE_REQUEST_TIMEOUT",
        /at least 1ms/,
      ],
      ["a zero lease", { LEASE_TTL: "0s" }, "LEASE_TTL", /"0s" is too short; it must be at least 1s/],
      ["a zero window", { WINDOW_LENGTH: "0s" }, "WINDOW_LENGTH", /at least 1s/],
      ["a zero schedule", { SCHEDULE_EVERY: "0s" }, "SCHEDULE_EVERY", /at least 1s/],
      [
        "a Redis database that is not a number",
        { REDIS_URL: "redis://:pw@cache:6379/sessions" },
        "REDIS_URL",
        /names the database "sessions"/,
      ],
      ["bad metrics port", { METRICS_PORT: "99999" }, "METRICS_PORT", /maximum 65535/],
      ["bad snapshot mode", { SNAPSHOT_EVENT_MODE: "all" }, "SNAPSHOT_EVENT_MODE", /response, line/],
    ];

    for (const [title, overrides, variable, message] of cases) {
      it(`rejects ${title}, naming ${variable}`, () => {
        const error = problemsOf({ ...OLD_ENV, ...overrides });
        const problem = error.problems.find((p) => p.variable === variable);
        expect(problem, error.message).to.not.equal(undefined);
        expect(problem?.problem).to.match(message);
        expect(error.message).to.contain(`${variable}:`);
        // Secrets never reach the message, whatever went wrong.
        for (const secret of [KEY, OLD_ENV.MICROSHARE_PASSWORD]) expect(error.message).to.not.contain(secret);
      });
    }

    it("has a corpus of at least 20 bad configurations", () => {
      expect(cases.length).to.be.at.least(20);
    });
  });
});
