import type { VariableSpec } from "./variableSpec.js";

const PER_PIPELINE = "per pipeline";

/** Where state lives, how windows are planned, the lease and the dead-letter queues. */
export const STATE_VARIABLES: readonly VariableSpec[] = [
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
    meaning:
      "unset: the people counter's windows are sized from each building's density (up to MICROSHARE_MAX_WINDOW), this length only before anything is known of it; set, and for the other pipelines: every window is this long",
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
    name: "DLQ_MAX_ATTEMPTS",
    unsetMeans: "5",
    shown: "`5`",
    meaning: "failed replays before an entry is parked (the pipeline's own send retries do not count)",
  },
];
