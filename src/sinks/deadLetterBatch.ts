import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { Failure } from "../model/failure.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { Logger } from "../observability/logger.js";
import { approximateSizeInBytes } from "./batchPacker.js";
import { newDeadLetter } from "./deadLetters.js";
import { DeadLetterWriteError } from "./deadLetterWriteError.js";
import { describeFailure, type DeliveryError } from "./deliveryError.js";
import type { DeliveryContext, SettledBatch } from "./deliveryReport.js";
import type { BatchDone } from "./settledBatch.js";

/** Where one hub's failed batches go, and how a batch counts as settled. */
export interface DeadLetterTarget {
  readonly hub: string;
  readonly dlq: DeadLetterQueue;
  readonly logger: Logger;
  readonly settle: (batch: BatchDone) => SettledBatch;
}

/**
 * Durably writes a batch to its hub's DLQ; only then does the batch count as settled. A failed
 * write throws a DeadLetterWriteError: the delivery errors and its window is read again.
 */
export async function deadLetterBatch(
  target: DeadLetterTarget,
  context: DeliveryContext,
  events: readonly OutboundEvent[],
  error: DeliveryError,
  attempts: number,
  started: number,
): Promise<SettledBatch> {
  const failure: Failure = error.toJSON();
  try {
    await target.dlq.push(newDeadLetter(context, target.hub, events, failure, attempts));
  } catch (cause) {
    throw new DeadLetterWriteError(target.hub, events.length, cause);
  }
  target.logger.warn("batch dead-lettered", {
    hub: target.hub,
    pipeline: context.pipeline,
    location: context.location,
    events: events.length,
    attempts,
    reason: describeFailure(failure),
  });
  return target.settle({
    outcome: "dead-lettered",
    events: events.length,
    bytes: approximateSizeInBytes(events),
    started,
    error: failure,
  });
}
