/**
 * Every variable the configuration reads, declared once: its name, its default as an operator
 * would write it (`unsetMeans`: setting the variable to this is the same as leaving it unset;
 * a test holds the loader to that), how the README shows the default, and what it means. The
 * README's variable table is generated from this list (`npm run docs:variables`, checked by a
 * test), and a variable with one of the project's prefixes that is not here is reported, with
 * the nearest known name, by `validate`, `config` and every run's start-up.
 */
export interface VariableSpec {
  readonly name: string;
  /** An env value equivalent to leaving the variable unset; absent when no value is (none, per pipeline). */
  readonly unsetMeans?: string;
  /** The default as the README shows it. */
  readonly shown: string;
  readonly meaning: string;
  /** Printed as `<redacted>` by `config`. */
  readonly secret?: true;
}

const PER_PIPELINE = "per pipeline";

export const VARIABLES: readonly VariableSpec[] = [
  { name: "MICROSHARE_USERNAME", shown: "(required to run)", meaning: "Microshare login" },
  { name: "MICROSHARE_PASSWORD", shown: "(required to run)", meaning: "Microshare password", secret: true },
  { name: "MICROSHARE_API_KEY", shown: "(required to run)", meaning: "Microshare API key", secret: true },
  {
    name: "MICROSHARE_IDENTITY",
    shown: "none",
    meaning: "only device clusters whose `owner.org` contains it yield locations",
  },
  {
    name: "MICROSHARE_AUTH_METHOD",
    unsetMeans: "password",
    shown: "`password`",
    meaning: "`password` (OAuth2 password grant) or `web-login` (the old forwarder's method)",
  },
  {
    name: "MICROSHARE_AUTH_URL",
    unsetMeans: "https://auth.microshare.io",
    shown: "`https://auth.microshare.io`",
    meaning: "base URL of the login (e.g. a dev host, or a local simulator)",
  },
  {
    name: "MICROSHARE_API_URL",
    unsetMeans: "https://api.microshare.io",
    shown: "`https://api.microshare.io`",
    meaning: "base URL of the API",
  },
  {
    name: "MICROSHARE_APP_URL",
    unsetMeans: "https://app.microshare.io",
    shown: "`https://app.microshare.io`",
    meaning: "base URL of the web login (`web-login`)",
  },
  {
    name: "MICROSHARE_PC_DEVICE_CLUSTER_ID",
    shown: "(required by `peoplecounter`)",
    meaning: "where buildings come from",
  },
  {
    name: "MICROSHARE_PC_DASHBOARD_VIEW_ID",
    shown: "(required by `peoplecounter`)",
    meaning: "the people-counter view",
  },
  {
    name: "MICROSHARE_PC_DATA_CONTEXT",
    unsetMeans: '["people"]',
    shown: '`["people"]`',
    meaning: "JSON array (a bare word is wrapped)",
  },
  {
    name: "MICROSHARE_SNAPSHOT_DASHBOARD_VIEW_ID",
    shown: "(required by `snapshot`)",
    meaning: "the snapshot view",
  },
  {
    name: "MICROSHARE_SNAPSHOT_DEVICE_CLUSTER_ID",
    shown: "the people-counter cluster",
    meaning: "where snapshot buildings come from",
  },
  {
    name: "MICROSHARE_SNAPSHOT_DATA_CONTEXT",
    unsetMeans: '["space"]',
    shown: '`["space"]`',
    meaning: "JSON array (a bare word is wrapped)",
  },
  {
    name: "MICROSHARE_SNAPSHOT_CATEGORY",
    unsetMeans: "space",
    shown: "`space`",
    meaning: "the snapshot view's category",
  },
  {
    name: "MICROSHARE_SNAPSHOT_METRIC",
    unsetMeans: "occupancy",
    shown: "`occupancy`",
    meaning: "the snapshot view's metric",
  },
  {
    name: "MICROSHARE_DATA_CONTEXT",
    shown: "none",
    meaning:
      'an earlier forwarder release\'s variable: `COMPANY` is read as the snapshot data context `["COMPANY","occupancy","room"]` when `MICROSHARE_SNAPSHOT_DATA_CONTEXT` is unset (both set: exit 78)',
  },
  {
    name: "MICROSHARE_LOCATION_PREFIX",
    shown: "empty",
    meaning: "stripped from cluster building names for snapshot queries (`ACME Dinard` → `Dinard`)",
  },
  {
    name: "SNAPSHOT_EVENT_MODE",
    unsetMeans: "response",
    shown: "`response`",
    meaning: "`response`: one event per building response (old format); `line`: one per line",
  },
  {
    name: "EVENT_HUB_CONNECTION_STRING",
    shown: "none",
    meaning: "the primary hub, always used (as in the old forwarder)",
    secret: true,
  },
  {
    name: "EVENT_HUB_CONNECTION_STRINGS",
    shown: "none",
    meaning:
      'hubs added to the primary: a JSON array of connection strings, `{"name", "connectionString", "paused"}` objects, or `{"name", "fullyQualifiedNamespace", "eventHubName"}` for Microsoft Entra ID; the same hub in both counts once; `[]` with a primary means the primary alone',
    secret: true,
  },
  {
    name: "EVENT_HUB_PAUSED",
    shown: "none",
    meaning: "comma-separated hub names: their batches are spooled to their DLQ for a later replay",
  },
  {
    name: "EVENT_HUB_MAX_RETRIES",
    unsetMeans: "3",
    shown: "`3`",
    meaning: "per-hub send retries (capped, jittered)",
  },
  {
    name: "EVENT_HUB_RETRY_DELAY",
    unsetMeans: "500ms",
    shown: "`500ms`",
    meaning: "first retry delay of a send",
  },
  {
    name: "EVENT_HUB_MAX_RETRY_DELAY",
    unsetMeans: "10s",
    shown: "`10s`",
    meaning: "longest retry delay of a send",
  },
  { name: "EVENT_HUB_TIMEOUT", unsetMeans: "10s", shown: "`10s`", meaning: "per-try timeout of a send" },
  {
    name: "EVENT_HUB_BATCH_MAX_EVENTS",
    unsetMeans: "1000",
    shown: "`1000`",
    meaning: "batches are cut by bytes (the hub's limit), this count, or the idle time below",
  },
  {
    name: "EVENT_HUB_BATCH_MAX_WAIT",
    unsetMeans: "200ms",
    shown: "`200ms`",
    meaning: "idle time that cuts a batch",
  },
  {
    name: "EVENT_HUB_BREAKER_THRESHOLD",
    unsetMeans: "3",
    shown: "`3`",
    meaning: "failed batches in a row that open a hub's circuit",
  },
  {
    name: "EVENT_HUB_BREAKER_COOLDOWN",
    unsetMeans: "60s",
    shown: "`60s`",
    meaning: "how long an open circuit stays open",
  },
  {
    name: "EVENT_HUB_MAX_LAG",
    unsetMeans: "4",
    shown: "`4`",
    meaning:
      "windows of one location a hub may hold unsettled beyond the one the fastest hub is on; later windows go to that hub's DLQ (`HubLagging`) so it never holds the others back",
  },
  {
    name: "REDIS_URL",
    shown: "none (file store)",
    meaning: "`redis://` or `rediss://` (TLS), password in the URL",
    secret: true,
  },
  { name: "REDIS_KEY_PREFIX", unsetMeans: "msp:", shown: "`msp:`", meaning: "prefix of every Redis key" },
  {
    name: "STATE_DIR",
    unsetMeans: ".state",
    shown: "`.state`",
    meaning: "the file store's directory when `REDIS_URL` is unset",
  },
  {
    name: "WINDOW_LENGTH",
    shown: `${PER_PIPELINE} (\`24h\` people counter and snapshot, \`1h\` doorway)`,
    meaning: "longest window one view call covers; an outage becomes many windows of this length",
  },
  {
    name: "SETTLE_DELAY",
    shown: `${PER_PIPELINE} (\`5m\` people counter, \`10m\` snapshot, \`2m\` doorway)`,
    meaning: "windows end this long before now: the newest data is still arriving",
  },
  {
    name: "LATE_LOOKBACK",
    shown: `${PER_PIPELINE} (\`1h\` people counter and doorway, \`6h\` snapshot)`,
    meaning: "re-read this far behind the watermark every tick to catch late lines",
  },
  {
    name: "INITIAL_LOOKBACK",
    shown: `${PER_PIPELINE} (\`24h\` each)`,
    meaning: "a location seen for the first time starts this far back",
  },
  {
    name: "SCHEDULE_EVERY",
    shown: `${PER_PIPELINE} (\`15m\` people counter and doorway, \`1h\` snapshot)`,
    meaning: "tick interval override for daemons",
  },
  {
    name: "LEASE_TTL",
    unsetMeans: "60s",
    shown: "`60s`",
    meaning:
      "lease lifetime: a standby takes over at most this long after the leader died; a `--once` run after a crash waits this long",
  },
  {
    name: "MICROSHARE_CONCURRENCY",
    unsetMeans: "4",
    shown: "`4`",
    meaning: "view calls in flight at once (across locations)",
  },
  {
    name: "MICROSHARE_REQUESTS_PER_SECOND",
    unsetMeans: "0",
    shown: "`0` (off)",
    meaning: "global request rate limit",
  },
  {
    name: "MICROSHARE_VIEW_LIMIT",
    unsetMeans: "999",
    shown: "`999`",
    meaning: "records a view returns at most; must not exceed the view's real limit",
  },
  { name: "MICROSHARE_PAGE_SIZE", unsetMeans: "999", shown: "`999`", meaning: "records per page" },
  {
    name: "MICROSHARE_MAX_PAGES",
    unsetMeans: "1000",
    shown: "`1000`",
    meaning: "paging guard: pages read for one query at most",
  },
  {
    name: "MICROSHARE_MIN_WINDOW",
    unsetMeans: "1m",
    shown: "`1m`",
    meaning: "a full view is split down to windows this short; still full there, the tick says so (exit 5)",
  },
  {
    name: "MICROSHARE_MAX_RETRIES",
    unsetMeans: "5",
    shown: "`5`",
    meaning: "429/5xx/network retries (Retry-After honoured, capped at the max delay)",
  },
  {
    name: "MICROSHARE_RETRY_DELAY",
    unsetMeans: "1s",
    shown: "`1s`",
    meaning: "first retry delay of a request",
  },
  {
    name: "MICROSHARE_MAX_RETRY_DELAY",
    unsetMeans: "30s",
    shown: "`30s`",
    meaning: "longest retry delay of a request",
  },
  {
    name: "MICROSHARE_REQUEST_TIMEOUT",
    unsetMeans: "60s",
    shown: "`60s`",
    meaning: "timeout of one request",
  },
  {
    name: "DLQ_MAX_ATTEMPTS",
    unsetMeans: "5",
    shown: "`5`",
    meaning: "failed replays before an entry is parked (the pipeline's own send retries do not count)",
  },
  {
    name: "METRICS_PORT",
    shown: "off",
    meaning:
      "daemons serve `/metrics`, `/status`, `/live`, `/ready` on this port (one port per instance on a host)",
  },
  {
    name: "PUSHGATEWAY_URL",
    shown: "none",
    meaning:
      "a `--once` run (CronJob, Functions timer) pushes its metrics to this Prometheus Pushgateway when it ends (job `microshare-pipeline`, grouped by pipeline)",
    secret: true,
  },
  {
    name: "METRICS_HOST",
    unsetMeans: "127.0.0.1",
    shown: "`127.0.0.1`",
    meaning: "the address the metrics server binds",
  },
  {
    name: "LOG_LEVEL",
    unsetMeans: "info",
    shown: "`info`",
    meaning:
      "from the environment or `.env`; winston's level names or the old forwarder's Python ones (`DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL` = `error`)",
  },
  {
    name: "LOG_FORMAT",
    shown: "JSON unless stderr is a terminal",
    meaning: "`json` or `text`",
  },
];

/** The prefixes of the project's variables: a name with one of them that is not declared is reported. */
export const PROJECT_PREFIXES = [
  "MICROSHARE_",
  "EVENT_HUB_",
  "REDIS_",
  "STATE_",
  "SNAPSHOT_",
  "WINDOW_",
  "SETTLE_",
  "LATE_",
  "INITIAL_",
  "SCHEDULE_",
  "LEASE_",
  "DLQ_",
  "METRICS_",
  "PUSHGATEWAY_",
  "LOG_",
] as const;
