import type { VariableSpec } from "./variableSpec.js";

/** The Event Hubs: which hubs, and how batches are sent, retried and isolated. */
export const HUB_VARIABLES: readonly VariableSpec[] = [
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
      'hubs added to the primary: a JSON array of connection strings, `{"name", "connectionString", "paused"}` objects, or `{"name", "fullyQualifiedNamespace", "eventHubName"}` for Microsoft Entra ID (another key is an error that names the one meant); the same hub in both counts once; `[]` with a primary means the primary alone',
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
    meaning:
      "failed batches in a row that open a hub's circuit; also the full batches a hub may have in flight at once (at least 2, at most 8), so that a stalled hub fails that many in one round of tries",
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
];
