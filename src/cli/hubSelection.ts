import type { Config } from "../config/config.js";
import type { HubConfig } from "../config/hubConfig.js";
import { UsageError } from "./usageError.js";

/**
 * Where a hub is configured, for messages that say what to fix: "EVENT_HUB_CONNECTION_STRINGS
 * item 2" or "EVENT_HUB_CONNECTION_STRING". Items are numbered from 1, as config errors do.
 */
export function hubVariable(config: Config, hub: string): string {
  return configuredHub(config, hub)?.configuredBy ?? "EVENT_HUB_CONNECTION_STRINGS";
}

export function configuredHub(config: Config, hub: string): HubConfig | undefined {
  return config.hubs.find((h) => h.name === hub);
}

/**
 * Hubs a DLQ command may name: the configured ones, plus hubs that still hold dead letters but
 * were removed from the configuration (their entries must stay reachable to inspect or purge).
 */
export function hubsOf(config: Config, withEntries: readonly string[]): string[] {
  const names = config.hubs.map((h) => h.name);
  for (const hub of withEntries) if (!names.includes(hub)) names.push(hub);
  return names;
}

/** `hub` when it is one of `known`; otherwise a UsageError listing the known hubs. */
export function requireKnownHub(hub: string, known: readonly string[]): string {
  if (known.includes(hub)) return hub;
  throw new UsageError(
    `unknown hub "${hub}"; hubs: ${known.length === 0 ? "none configured (EVENT_HUB_CONNECTION_STRINGS)" : known.join(", ")}`,
  );
}
