import { editDistance } from "./editDistance.js";
import type { HubConfig } from "./hubConfig.js";
import { jsonErrorPosition } from "./jsonErrorPosition.js";
import { InvalidValue } from "./valueParsers.js";

/**
 * Parses EVENT_HUB_CONNECTION_STRINGS: a JSON array whose items are connection strings or
 * `{name?, connectionString, paused?}` / `{name?, fullyQualifiedNamespace, eventHubName, paused?}`
 * objects. The old forwarder died for 48 minutes on a malformed array, so every error names the
 * position (line, column, item number) and what to change; secrets never appear in messages.
 * An empty array is valid here: with EVENT_HUB_CONNECTION_STRING it means "the primary hub only"
 * (the old forwarder's way to pause its client hub); `readHubs` refuses it when nothing else is set.
 */
export function parseHubList(raw: string): HubConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidValue(describeJsonError(raw));
  }
  if (!Array.isArray(parsed)) {
    throw new InvalidValue(`must be a JSON array (got ${typeName(parsed)}); wrap the value in [ ]`);
  }
  const hubs = parsed.map((item: unknown, index) => parseHubItem(item, index + 1));
  const seen = new Set<string>();
  for (const hub of hubs) {
    if (seen.has(hub.name)) {
      throw new InvalidValue(`two hubs are named "${hub.name}"; give each item a distinct "name"`);
    }
    seen.add(hub.name);
  }
  return hubs;
}

/** Parses one connection string (EVENT_HUB_CONNECTION_STRING, or an item of the list). */
export function parseConnectionString(connectionString: string, name?: string, paused = false): HubConfig {
  const fields = new Map<string, string>();
  for (const part of connectionString.trim().split(";")) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw new InvalidValue(`has a part without "key=value" (${redactPart(part)})`);
    fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const endpoint = fields.get("endpoint");
  if (endpoint === undefined || !/^sb:\/\/[^/\s]+\/?$/.test(endpoint)) {
    throw new InvalidValue('has no valid "Endpoint=sb://<namespace>.servicebus.windows.net/"');
  }
  if (!fields.has("sharedaccesskey") && !fields.has("sharedaccesssignature")) {
    throw new InvalidValue(
      'has no "SharedAccessKey=" (copy the whole string from the portal\'s Shared access policies)',
    );
  }
  if (fields.has("sharedaccesskey") && !fields.has("sharedaccesskeyname")) {
    throw new InvalidValue('has a SharedAccessKey but no "SharedAccessKeyName="');
  }
  const eventHubName = fields.get("entitypath");
  if (eventHubName === undefined || eventHubName === "") {
    throw new InvalidValue(
      'has no "EntityPath=<hub name>"; use the hub-level connection string, or append ";EntityPath=<hub name>"',
    );
  }
  return {
    auth: "sas",
    name: name ?? eventHubName,
    paused,
    connectionString: connectionString.trim(),
    eventHubName,
    endpoint,
  };
}

function parseHubItem(item: unknown, position: number): HubConfig {
  const where = `item ${position}`;
  try {
    if (typeof item === "string") return parseConnectionString(item);
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new InvalidValue(`is ${typeName(item)}; use a connection string or {"name", "connectionString"}`);
    }
    const obj = item as Record<string, unknown>;
    rejectUnknownKeys(obj);
    const name = optionalString(obj, "name");
    if (name !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
      throw new InvalidValue(`"name" must be 1-64 letters, digits, ".", "_" or "-"`);
    }
    const paused = obj.paused ?? false;
    if (typeof paused !== "boolean") throw new InvalidValue(`"paused" must be true or false`);
    if (typeof obj.connectionString === "string")
      return parseConnectionString(obj.connectionString, name, paused);
    const namespace = optionalString(obj, "fullyQualifiedNamespace");
    const hubName = optionalString(obj, "eventHubName");
    if (namespace !== undefined && hubName !== undefined) {
      return {
        auth: "entra-id",
        name: name ?? hubName,
        paused,
        fullyQualifiedNamespace: namespace,
        eventHubName: hubName,
      };
    }
    throw new InvalidValue(
      `needs "connectionString", or "fullyQualifiedNamespace" and "eventHubName" for Entra ID`,
    );
  } catch (error) {
    if (error instanceof InvalidValue) throw new InvalidValue(`${where} ${error.message}`);
    throw error;
  }
}

const HUB_KEYS = ["name", "connectionString", "paused", "fullyQualifiedNamespace", "eventHubName"];

/**
 * A misspelt key would otherwise be dropped without a word, and `"pasued": true` would leave a
 * hub the operator meant to pause receiving.
 */
function rejectUnknownKeys(obj: Record<string, unknown>): void {
  const unknown = Object.keys(obj).filter((key) => !HUB_KEYS.includes(key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    // One slip in a short key, two in a long one: "note" is not a misspelt "name".
    const allowed = key.length >= 8 ? 2 : 1;
    const near = HUB_KEYS.find((known) => editDistance(key.toLowerCase(), known.toLowerCase()) <= allowed);
    return near === undefined ? `"${key}"` : `"${key}" (did you mean "${near}"?)`;
  });
  throw new InvalidValue(
    `has unknown key${unknown.length === 1 ? "" : "s"} ${described.join(", ")}; the keys are ${HUB_KEYS.map((k) => `"${k}"`).join(", ")}`,
  );
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    throw new InvalidValue(`"${key}" must be a non-empty string`);
  return value.trim();
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** Keys are shown, values never: a malformed part may be half of a key. */
function redactPart(part: string): string {
  return part.length > 12 ? `${part.slice(0, 4)}…` : "…";
}

/** Where the JSON breaks, as position, line and column, plus what was expected there. */
function describeJsonError(raw: string): string {
  const found = jsonErrorPosition(raw);
  if (found === undefined) return "is not valid JSON";
  const before = raw.slice(0, found.offset);
  const line = before.split("\n").length;
  const column = found.offset - before.lastIndexOf("\n");
  return (
    `is not valid JSON: at position ${found.offset} (line ${line}, column ${column}) expected ${found.expected}; ` +
    "in .env, quote the whole value with single quotes: EVENT_HUB_CONNECTION_STRINGS='[\"Endpoint=…\"]'"
  );
}
