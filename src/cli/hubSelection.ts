import type { Config } from "../config/config.js";
import { UsageError } from "./usageError.js";

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
