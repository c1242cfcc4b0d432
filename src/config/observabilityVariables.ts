import type { VariableSpec } from "./variableSpec.js";

/** Metrics, the Pushgateway and logs. */
export const OBSERVABILITY_VARIABLES: readonly VariableSpec[] = [
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
