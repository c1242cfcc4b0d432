import { PIPELINE_FAILURE, type Failure } from "../model/failure.js";
import type { NewDeadLetter } from "../dlq/deadLetterQueue.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { OversizedEvent } from "./batchPacker.js";
import { DeliveryError } from "./deliveryError.js";
import type { DeliveryContext } from "./deliveryReport.js";

/** The DLQ entry of one batch a hub did not take. */
export function newDeadLetter(
  context: DeliveryContext,
  hub: string,
  events: readonly OutboundEvent[],
  error: Failure,
  attempts: number,
): NewDeadLetter {
  return {
    pipeline: context.pipeline,
    hub,
    location: context.location,
    window: { from: context.window.from.toISOString(), to: context.window.to.toISOString() },
    events,
    error: error.code === undefined ? { name: error.name, message: error.message } : { ...error },
    attempts,
  };
}

/** Why a paused hub's batch is in its DLQ: spooled for a replay after the hub is resumed. */
export function hubPausedError(hub: string): DeliveryError {
  return new DeliveryError({
    name: PIPELINE_FAILURE.hubPaused,
    code: PIPELINE_FAILURE.hubPaused,
    message: `hub '${hub}' is paused by configuration: spooled, not sent; replay its DLQ after resuming it`,
    retryable: false,
  });
}

/**
 * Why a batch of a hub that fell behind is in its DLQ unsent: it already held `backlog` windows
 * of the location (or, `over: "all"`, of all locations) while another hub had finished them.
 */
export function hubLaggingError(
  hub: string,
  location: string,
  behind: { readonly backlog: number; readonly over: "location" | "all" },
): DeliveryError {
  const held =
    behind.over === "location"
      ? `${behind.backlog} windows of location ${location} (EVENT_HUB_MAX_LAG allows 1 + the lag)`
      : `${behind.backlog} windows over all locations (its limit: EVENT_HUB_MAX_LAG + 1 for each location read at once)`;
  return new DeliveryError({
    name: PIPELINE_FAILURE.hubLagging,
    code: PIPELINE_FAILURE.hubLagging,
    message:
      `hub '${hub}' still held ${held} unsettled while another hub had taken them: spooled, not sent, ` +
      `so the other hubs are not held back; replay its DLQ once it keeps up`,
    retryable: false,
  });
}

export function oversizedEventError(hub: string, oversized: OversizedEvent): DeliveryError {
  return new DeliveryError({
    name: PIPELINE_FAILURE.oversizedEvent,
    code: "MessageTooLargeError",
    message:
      `event ${oversized.event.id} is about ${oversized.approximateSizeInBytes} bytes and does not fit ` +
      `into an empty batch of hub '${hub}' (limit ${oversized.maxSizeInBytes} bytes); split it or raise the hub's tier`,
    retryable: false,
  });
}

/** Batch-specific failures say nothing about the hub's health: they do not count for the breaker. */
export function isBatchSpecific(error: Failure): boolean {
  return error.code === "MessageTooLargeError" || error.name === "OversizedEvent";
}
