import { HUB_VARIABLES } from "./hubVariables.js";
import { MICROSHARE_VARIABLES } from "./microshareVariables.js";
import { OBSERVABILITY_VARIABLES } from "./observabilityVariables.js";
import { STATE_VARIABLES } from "./stateVariables.js";
import type { VariableSpec } from "./variableSpec.js";

export type { VariableSpec } from "./variableSpec.js";

/**
 * Every variable the configuration reads, declared once (one file per area, in the README
 * table's order): its name, its default as an operator would write it (`unsetMeans`: setting the variable to this is the same as leaving it unset;
 * a test holds the loader to that), how the README shows the default, and what it means. The
 * README's variable table is generated from this list (`npm run docs:variables`, checked by a
 * test), and a variable with one of the project's prefixes that is not here is reported, with
 * the nearest known name, by `validate`, `config` and every run's start-up.
 */
export const VARIABLES: readonly VariableSpec[] = [
  ...MICROSHARE_VARIABLES,
  ...HUB_VARIABLES,
  ...STATE_VARIABLES,
  ...OBSERVABILITY_VARIABLES,
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
