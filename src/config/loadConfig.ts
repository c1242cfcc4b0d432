import type { Config, MicroshareCredentials, StateConfig } from "./config.js";
import { ConfigError, type ConfigProblem } from "./configError.js";
import { EnvReader } from "./envReader.js";
import {
  parseChoice,
  parseDataContext,
  parseDuration,
  parseHttpUrl,
  parseInteger,
  atLeast,
  InvalidValue,
} from "./valueParsers.js";
import { parseLogLevel } from "./logLevel.js";
import { readHubs } from "./readHubs.js";
import { quotedValueWarnings } from "./quotedValues.js";
import { describeUnknown, unknownVariables } from "./unknownVariables.js";

export const DEFAULT_MICROSHARE_URLS = {
  authUrl: "https://auth.microshare.io",
  apiUrl: "https://api.microshare.io",
  appUrl: "https://app.microshare.io",
} as const;

/**
 * Validates the environment (already merged with `.env` by the caller) into a typed Config.
 * Throws ConfigError listing every problem; nothing starts half-configured. Variable names of
 * the old Python forwarder keep their meaning; every other variable has a default.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const { config, problems } = readConfig(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The configuration with every problem found, invalid values replaced by their defaults: what
 * `validate` needs to also say what each pipeline would still lack once the values are fixed.
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): {
  readonly config: Config;
  readonly problems: readonly ConfigProblem[];
} {
  const r = new EnvReader(env);
  const warnings: string[] = [...unknownVariables(env).map(describeUnknown), ...quotedValueWarnings(env)];
  const int = (min: number, max?: number) => (raw: string) =>
    parseInteger(raw, max === undefined ? { min } : { min, max });

  const microshare = {
    authUrl: r.read(
      "MICROSHARE_AUTH_URL",
      parseHttpUrl,
      DEFAULT_MICROSHARE_URLS.authUrl,
      DEFAULT_MICROSHARE_URLS.authUrl,
    ),
    apiUrl: r.read(
      "MICROSHARE_API_URL",
      parseHttpUrl,
      DEFAULT_MICROSHARE_URLS.apiUrl,
      DEFAULT_MICROSHARE_URLS.apiUrl,
    ),
    appUrl: r.read(
      "MICROSHARE_APP_URL",
      parseHttpUrl,
      DEFAULT_MICROSHARE_URLS.appUrl,
      DEFAULT_MICROSHARE_URLS.appUrl,
    ),
    authMethod: r.read(
      "MICROSHARE_AUTH_METHOD",
      (raw) => parseChoice(raw, ["password", "web-login"] as const),
      "password" as const,
      "password",
    ),
    credentials: readCredentials(r),
    identity: r.raw("MICROSHARE_IDENTITY")?.trim(),
    requestTimeoutInMs: r.read("MICROSHARE_REQUEST_TIMEOUT", atLeast(1), 60_000, "60s"),
    concurrency: r.read("MICROSHARE_CONCURRENCY", int(1, 64), 4, "4"),
    requestsPerSecond: r.read("MICROSHARE_REQUESTS_PER_SECOND", int(0, 10_000), 0, "10"),
    viewLimit: r.read("MICROSHARE_VIEW_LIMIT", int(1), 999, "999"),
    perPage: r.read("MICROSHARE_PAGE_SIZE", int(1, 10_000), 999, "999"),
    maxPages: r.read("MICROSHARE_MAX_PAGES", int(1), 1000, "1000"),
    minWindowInMs: r.read("MICROSHARE_MIN_WINDOW", parseDuration, 60_000, "1m"),
    maxWindowInMs: r.read("MICROSHARE_MAX_WINDOW", atLeast(60_000), 7 * 86_400_000, "7d"),
    maxRetries: r.read("MICROSHARE_MAX_RETRIES", int(0, 20), 5, "5"),
    retryDelayInMs: r.read("MICROSHARE_RETRY_DELAY", parseDuration, 1000, "1s"),
    maxRetryDelayInMs: r.read("MICROSHARE_MAX_RETRY_DELAY", parseDuration, 30_000, "30s"),
  };

  const peopleCounter = {
    clusterId: r.raw("MICROSHARE_PC_DEVICE_CLUSTER_ID")?.trim(),
    viewId: r.raw("MICROSHARE_PC_DASHBOARD_VIEW_ID")?.trim(),
    dataContext: r.read("MICROSHARE_PC_DATA_CONTEXT", parseDataContext, '["people"]', '["people"]'),
  };

  const snapshot = {
    // The old forwarder read snapshot buildings from the people-counter cluster.
    clusterId: (
      r.raw("MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID") ?? r.raw("MICROSHARE_PC_DEVICE_CLUSTER_ID")
    )?.trim(),
    viewId: r.raw("MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID")?.trim(),
    dataContext: readSnapshotDataContext(r),
    category: r.string("MICROSHARE_SNAPSHOT_CATEGORY", "space"),
    metric: r.string("MICROSHARE_SNAPSHOT_METRIC", "occupancy"),
    // Not trimmed: the prefix usually ends in a space ("ACME ").
    locationPrefix: env["MICROSHARE_LOCATION_PREFIX"] ?? "",
    mode: r.read(
      "SNAPSHOT_EVENT_MODE",
      (raw) => parseChoice(raw, ["response", "line"] as const),
      "response" as const,
      "response",
    ),
  };

  const hubs = readHubs(r, warnings);

  const delivery = {
    maxRetries: r.read("EVENT_HUB_MAX_RETRIES", int(0, 20), 3, "3"),
    retryDelayInMs: r.read("EVENT_HUB_RETRY_DELAY", parseDuration, 500, "500ms"),
    maxRetryDelayInMs: r.read("EVENT_HUB_MAX_RETRY_DELAY", parseDuration, 10_000, "10s"),
    timeoutInMs: r.read("EVENT_HUB_TIMEOUT", atLeast(1), 10_000, "10s"),
    batchMaxEvents: r.read("EVENT_HUB_BATCH_MAX_EVENTS", int(1, 100_000), 1000, "1000"),
    batchMaxWaitInMs: r.read("EVENT_HUB_BATCH_MAX_WAIT", parseDuration, 200, "200ms"),
    breakerThreshold: r.read("EVENT_HUB_BREAKER_THRESHOLD", int(1, 1000), 3, "3"),
    breakerCooldownInMs: r.read("EVENT_HUB_BREAKER_COOLDOWN", parseDuration, 60_000, "60s"),
    maxLagWindows: r.read("EVENT_HUB_MAX_LAG", int(0, 1000), 4, "4"),
  };

  const windows = {
    windowLengthInMs: r.optional("WINDOW_LENGTH", atLeast(1000), "24h"),
    initialLookbackInMs: r.optional("INITIAL_LOOKBACK", parseDuration, "24h"),
    settleDelayInMs: r.optional("SETTLE_DELAY", parseDuration, "5m"),
    lateLookbackInMs: r.optional("LATE_LOOKBACK", parseDuration, "1h"),
  };

  const state = readState(r);
  const runtime = {
    leaseTtlInMs: r.read("LEASE_TTL", atLeast(1000), 60_000, "60s"),
    scheduleEveryInMs: r.optional("SCHEDULE_EVERY", atLeast(1000), "15m"),
  };
  const dlq = { maxAttempts: r.read("DLQ_MAX_ATTEMPTS", int(1, 1000), 5, "5") };
  const metrics = {
    port: r.optional("METRICS_PORT", int(0, 65_535), "9464"),
    host: r.string("METRICS_HOST", "127.0.0.1"),
    pushgatewayUrl: r.optional("PUSHGATEWAY_URL", parseHttpUrl, "http://pushgateway:9091"),
  };
  const logging = {
    level: r.read("LOG_LEVEL", parseLogLevel, "info", "info (or the old forwarder's WARNING)"),
    format: r.optional("LOG_FORMAT", (raw) => parseChoice(raw, ["json", "text"] as const), "json"),
  };

  const config: Config = {
    microshare,
    peopleCounter,
    snapshot,
    hubs,
    delivery,
    windows,
    state,
    dlq,
    runtime,
    metrics,
    logging,
    warnings,
  };
  return { config, problems: r.problems };
}

/**
 * MICROSHARE_SNAPSHOT_DATA_CONTEXT, or the earlier forwarder release's MICROSHARE_DATA_CONTEXT
 * (a company name, used as `["<it>","occupancy","room"]`). Both set is refused: one would be
 * silently ignored.
 */
function readSnapshotDataContext(r: EnvReader): string {
  const legacy = r.raw("MICROSHARE_DATA_CONTEXT")?.trim();
  if (legacy !== undefined && r.raw("MICROSHARE_SNAPSHOT_DATA_CONTEXT") !== undefined) {
    r.fail(
      "MICROSHARE_DATA_CONTEXT",
      new InvalidValue(
        "is set together with MICROSHARE_SNAPSHOT_DATA_CONTEXT, which replaces it; remove MICROSHARE_DATA_CONTEXT",
      ),
    );
  }
  const fallback = legacy === undefined ? '["space"]' : JSON.stringify([legacy, "occupancy", "room"]);
  return r.read("MICROSHARE_SNAPSHOT_DATA_CONTEXT", parseDataContext, fallback, '["space"]');
}

function readCredentials(r: EnvReader): MicroshareCredentials | undefined {
  const username = r.raw("MICROSHARE_USERNAME")?.trim();
  const password = r.raw("MICROSHARE_PASSWORD");
  const apiKey = r.raw("MICROSHARE_API_KEY")?.trim();
  const given = [username, password, apiKey].filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (username === undefined)
    r.fail(
      "MICROSHARE_USERNAME",
      new InvalidValue("is missing while the password or API key is set"),
      "you@example.com",
    );
  if (password === undefined)
    r.fail(
      "MICROSHARE_PASSWORD",
      new InvalidValue("is missing while the username or API key is set"),
      "<your password>",
    );
  if (apiKey === undefined)
    r.fail(
      "MICROSHARE_API_KEY",
      new InvalidValue("is missing while the username or password is set"),
      "<API key GUID from the Microshare console>",
    );
  if (username === undefined || password === undefined || apiKey === undefined) return undefined;
  return { username, password, apiKey };
}

function readState(r: EnvReader): StateConfig {
  const url = r.raw("REDIS_URL")?.trim();
  const keyPrefix = r.string("REDIS_KEY_PREFIX", "msp:");
  if (url !== undefined) {
    if (!/^rediss?:\/\/[^\s]+$/.test(url)) {
      r.fail(
        "REDIS_URL",
        new InvalidValue("must start with redis:// or rediss:// (TLS)"),
        "rediss://:PASSWORD@my-cache.redis.cache.windows.net:6380/0",
      );
    } else if (!/^\/?(\d+)?$/.test(redisDatabasePath(url))) {
      r.fail(
        "REDIS_URL",
        new InvalidValue(
          `names the database "${redisDatabasePath(url).slice(1)}"; the part after the host must be a database number`,
        ),
        "rediss://:PASSWORD@my-cache.redis.cache.windows.net:6380/0",
      );
    }
    return { kind: "redis", url, keyPrefix };
  }
  return { kind: "file", directory: r.string("STATE_DIR", ".state") };
}

/** The path of a Redis URL ("/0"), without query: what ioredis reads as the database number. */
function redisDatabasePath(url: string): string {
  const afterScheme = url.replace(/^rediss?:\/\//, "");
  // The authority ends at the first "/" after the last "@" (a password may hold "/").
  const at = afterScheme.lastIndexOf("@");
  const slash = afterScheme.indexOf("/", at + 1);
  return slash === -1 ? "" : afterScheme.slice(slash).split("?")[0]!;
}
