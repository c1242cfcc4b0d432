import type { EnvReader } from "./envReader.js";
import { parseConnectionString, parseHubList } from "./eventHubConnections.js";
import type { HubConfig } from "./hubConfig.js";
import { InvalidValue } from "./valueParsers.js";

const SAMPLE_CONNECTION_STRING =
  "Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>;EntityPath=<hub>";

/**
 * The old forwarder's rule: EVENT_HUB_CONNECTION_STRING is the primary hub and is always used;
 * the hubs of the EVENT_HUB_CONNECTION_STRINGS array are added to it. The same hub (namespace and
 * EntityPath) listed twice is one hub, so a `.env` that also put the primary into the list keeps
 * working. `[]` with a primary means the primary alone (the old "client hub paused" `.env`).
 */
export function readHubs(r: EnvReader, warnings: string[]): HubConfig[] {
  const sampleList = `'[${JSON.stringify(SAMPLE_CONNECTION_STRING)}]'`;
  const primary = r.read(
    "EVENT_HUB_CONNECTION_STRING",
    (raw) => [parseConnectionString(raw)],
    [],
    SAMPLE_CONNECTION_STRING,
  );
  const list = r.read("EVENT_HUB_CONNECTION_STRINGS", parseHubList, [], sampleList);
  const listed = r.raw("EVENT_HUB_CONNECTION_STRINGS");
  if (
    listed !== undefined &&
    /^\[\s*\]$/.test(listed.trim()) &&
    r.raw("EVENT_HUB_CONNECTION_STRING") === undefined
  ) {
    r.fail(
      "EVENT_HUB_CONNECTION_STRINGS",
      new InvalidValue("is an empty array and EVENT_HUB_CONNECTION_STRING is not set; list at least one hub"),
      sampleList,
    );
  }
  let hubs = mergeHubs(
    r,
    primary.map((h) => ({ ...h, configuredBy: "EVENT_HUB_CONNECTION_STRING" })),
    list.map((h, i) => ({ ...h, configuredBy: `EVENT_HUB_CONNECTION_STRINGS item ${i + 1}` })),
    warnings,
  );
  const paused = r.raw("EVENT_HUB_PAUSED");
  if (paused !== undefined) {
    const names = paused
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    const unknown = names.filter((n) => !hubs.some((h) => h.name === n));
    if (unknown.length > 0) {
      r.fail(
        "EVENT_HUB_PAUSED",
        new InvalidValue(
          `names unknown hub(s) ${unknown.join(", ")}; known: ${hubs.map((h) => h.name).join(", ") || "none"}`,
        ),
        hubs[0]?.name ?? "hub1",
      );
    }
    hubs = hubs.map((h) => (names.includes(h.name) ? { ...h, paused: true } : h));
  }
  return hubs;
}

/** The primary first, then the list; a hub already present (same namespace and hub) is kept once. */
function mergeHubs(
  r: EnvReader,
  primary: readonly HubConfig[],
  list: readonly HubConfig[],
  warnings: string[],
): HubConfig[] {
  const hubs: HubConfig[] = [];
  for (const hub of [...primary, ...list]) {
    const same = hubs.find((h) => hubAddress(h) === hubAddress(hub));
    if (same === undefined) {
      if (hubs.some((h) => h.name === hub.name)) {
        r.fail(
          "EVENT_HUB_CONNECTION_STRINGS",
          new InvalidValue(
            `two different hubs are both named "${hub.name}" (the primary EVENT_HUB_CONNECTION_STRING is named after its EntityPath); give the list item a distinct "name"`,
          ),
          `'[{"name": "client", "connectionString": "Endpoint=…;EntityPath=${hub.eventHubName}"}]'`,
        );
      }
      hubs.push(hub);
    } else if (same.name !== hub.name || same.paused !== hub.paused) {
      r.fail(
        "EVENT_HUB_CONNECTION_STRINGS",
        new InvalidValue(
          `lists hub "${hub.eventHubName}" twice with different settings (names "${same.name}" and "${hub.name}"); keep one entry`,
        ),
      );
    } else {
      warnings.push(
        `hub "${hub.name}" is configured twice (EVENT_HUB_CONNECTION_STRING and EVENT_HUB_CONNECTION_STRINGS); it is used once`,
      );
    }
  }
  return hubs;
}

/** What identifies a hub whatever key or policy name the connection string uses. */
function hubAddress(hub: HubConfig): string {
  const namespace = hub.auth === "sas" ? hub.endpoint : hub.fullyQualifiedNamespace;
  const host = namespace
    .replace(/^sb:\/\//i, "")
    .replace(/\/+$/, "")
    .toLowerCase();
  return `${host}/${hub.eventHubName.toLowerCase()}`;
}
