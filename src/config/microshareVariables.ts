import type { VariableSpec } from "./variableSpec.js";

/** The Microshare login, hosts, views and request tuning (the old forwarder's names kept). */
export const MICROSHARE_VARIABLES: readonly VariableSpec[] = [
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
    name: "MICROSHARE_MAX_WINDOW",
    unsetMeans: "7d",
    shown: "`7d`",
    meaning:
      "longest window one view call covers when the people counter sizes its windows from each building's density (WINDOW_LENGTH unset)",
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
];
