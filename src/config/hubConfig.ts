import type { Config } from "./config.js";
/** One destination Event Hub. `name` identifies its lane, its DLQ and its metrics. */
export type HubConfig = SasHubConfig | EntraIdHubConfig;

interface HubConfigBase {
  readonly name: string;
  /** A paused hub gets nothing sent; its batches are spooled to its DLQ for a later replay. */
  readonly paused: boolean;
  /** Where it is configured, for messages that say what to fix ("EVENT_HUB_CONNECTION_STRINGS item 2"). */
  readonly configuredBy?: string;
}

export interface SasHubConfig extends HubConfigBase {
  readonly auth: "sas";
  readonly connectionString: string;
  /** The `EntityPath` of the connection string. */
  readonly eventHubName: string;
  readonly endpoint: string;
}

/** Microsoft Entra ID (DefaultAzureCredential) instead of a shared access key. */
export interface EntraIdHubConfig extends HubConfigBase {
  readonly auth: "entra-id";
  readonly fullyQualifiedNamespace: string;
  readonly eventHubName: string;
}

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
