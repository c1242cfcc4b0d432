import type { Failure } from "../model/failure.js";
import type { Logger } from "../observability/logger.js";
import { describeFailure } from "./deliveryError.js";
import type { SettledBatch } from "./deliveryReport.js";
import { toDeliveryError } from "./toDeliveryError.js";

/** What a lane knows when one of its batches has settled (acknowledged, or durably in its DLQ). */
export interface BatchDone {
  readonly outcome: SettledBatch["outcome"];
  readonly events: number;
  readonly bytes: number;
  /** Date.now() when the batch's first try (or its DLQ write) started. */
  readonly started: number;
  readonly error?: Failure;
}

/**
 * The `SettledBatch` of a hub's batch, told to the observability hook. A hook that throws is
 * logged and ignored: observability must not turn a settled batch into a failed delivery.
 */
export function settledBatch(
  hub: string,
  batch: BatchDone,
  onBatchSettled: ((batch: SettledBatch) => void) | undefined,
  logger: Logger,
): SettledBatch {
  const settled: SettledBatch = {
    hub,
    outcome: batch.outcome,
    events: batch.events,
    bytes: batch.bytes,
    durationInMs: Date.now() - batch.started,
    ...(batch.error === undefined ? {} : { error: batch.error }),
  };
  try {
    onBatchSettled?.(settled);
  } catch (error) {
    logger.error("onBatchSettled threw", { hub, error: describeFailure(toDeliveryError(error)) });
  }
  return settled;
}
