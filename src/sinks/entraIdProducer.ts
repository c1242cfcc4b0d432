import { ConfigError } from "../config/configError.js";
import type { EntraIdHubConfig } from "../config/hubConfig.js";
import type { ProducerFactory } from "./createProducer.js";

/**
 * Entra ID (DefaultAzureCredential) producers. `@azure/identity` is not a dependency yet, so a
 * hub configured this way is a configuration error today; adding it means returning
 * `() => new EventHubProducerClient(hub.fullyQualifiedNamespace, hub.eventHubName,
 * new DefaultAzureCredential(), { retryOptions: sdkRetryOptions(delivery) })` here.
 */
export function entraIdProducerFactory(hub: EntraIdHubConfig): ProducerFactory {
  throw new ConfigError([
    {
      variable: "EVENT_HUB_CONNECTION_STRINGS",
      problem:
        `hub "${hub.name}" (${hub.fullyQualifiedNamespace}/${hub.eventHubName}) uses Entra ID auth: ` +
        "Entra ID auth needs @azure/identity; not yet supported. Use the hub's SAS connection string for now",
      example:
        '[{"name":"main","connectionString":"Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…;EntityPath=…"}]',
    },
  ]);
}
