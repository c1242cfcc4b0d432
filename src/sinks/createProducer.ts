import { EventHubProducerClient, type RetryOptions } from "@azure/event-hubs";
import type { DeliveryConfig } from "../config/config.js";
import type { HubConfig } from "../config/hubConfig.js";
import { entraIdProducerFactory } from "./entraIdProducer.js";

/** Creates the one long-lived producer of a hub; called lazily, once, on the hub's first use. */
export type ProducerFactory = () => EventHubProducerClient;

/**
 * The factory for a hub's producer. Throws a `ConfigError` at once (not on first send) for a
 * configuration this build cannot serve, so nothing starts half-configured.
 */
export function producerFactory(hub: HubConfig, delivery: DeliveryConfig): ProducerFactory {
  if (hub.auth === "entra-id") return entraIdProducerFactory(hub, delivery);
  const connectionString = hub.connectionString;
  return () => new EventHubProducerClient(connectionString, { retryOptions: sdkRetryOptions(delivery) });
}

/**
 * A FRESH object per client: the SDK writes into the one it is given (`timeoutInMs`, defaults).
 * `maxRetries: 0` because the lane retries each whole try itself (see `retryPolicy.ts`); without
 * it the SDK's defaults (3 retries, 30 s apart, 60 s per try) would hold a batch for 90–330 s.
 */
export function sdkRetryOptions(delivery: DeliveryConfig): RetryOptions {
  return { maxRetries: 0, retryDelayInMs: delivery.retryDelayInMs, timeoutInMs: delivery.timeoutInMs };
}
