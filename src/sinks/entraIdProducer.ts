import { EventHubProducerClient } from "@azure/event-hubs";
import type { TokenCredential } from "@azure/identity";
import type { DeliveryConfig } from "../config/config.js";
import type { EntraIdHubConfig } from "../config/hubConfig.js";
import { sdkRetryOptions, type ProducerFactory } from "./createProducer.js";
import { defaultAzureCredential } from "./defaultCredential.js";

/**
 * Producers for a hub reached with Microsoft Entra ID instead of a shared access key, through
 * `DefaultAzureCredential` (environment, workload identity, managed identity, then developer
 * logins). No token is requested until the first send; the identity needs the "Azure Event
 * Hubs Data Sender" role. One credential per hub, shared by the clients that replace each
 * other after a lost link, so its cached token survives the replacement.
 */
export function entraIdProducerFactory(
  hub: EntraIdHubConfig,
  delivery: DeliveryConfig,
  credential: TokenCredential = defaultAzureCredential(),
): ProducerFactory {
  return () =>
    new EventHubProducerClient(hub.fullyQualifiedNamespace, hub.eventHubName, credential, {
      retryOptions: sdkRetryOptions(delivery),
    });
}
