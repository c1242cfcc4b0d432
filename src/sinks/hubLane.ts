import { PIPELINE_FAILURE } from "../model/failure.js";
import { concatMap, defer, finalize, type OperatorFunction, reduce } from "rxjs";
import type { HubPlacement } from "./deliverySequence.js";
import type { DeliveryConfig } from "../config/config.js";
import type { HubConfig } from "../config/hubConfig.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { Logger } from "../observability/logger.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import { CircuitBreaker } from "./circuitBreaker.js";
import { producerFactory } from "./createProducer.js";
import { hubLaggingError, hubPausedError, isBatchSpecific, oversizedEventError } from "./deadLetters.js";
import { deadLetterBatch, type DeadLetterTarget } from "./deadLetterBatch.js";
import {
  addSettledBatch,
  emptyHubSettlement,
  type DeliveryContext,
  type HubSettlement,
  type SettledBatch,
} from "./deliveryReport.js";
import { eventBatcher } from "./eventBatcher.js";
import { settledBatch, type BatchDone } from "./settledBatch.js";
import type { EventGroup } from "./eventGroup.js";
import { fullBatchesInFlight } from "./fullBatchesInFlight.js";
import { HubProducer } from "./hubProducer.js";
import type { RetryPolicy } from "./retryPolicy.js";
import { linkedSignal } from "../abort/linkedSignal.js";
import { toDeliveryError } from "./toDeliveryError.js";

export interface HubLaneOptions {
  readonly hub: HubConfig;
  readonly delivery: DeliveryConfig;
  readonly dlq: DeadLetterQueue;
  readonly logger: Logger;
  readonly onBatchSettled: ((batch: SettledBatch) => void) | undefined;
  readonly now: () => number;
  /** Fires on the sink's `close()`: backoff waits end and tries in flight fail (then go to the DLQ). */
  readonly abortSignal: AbortSignal;
}

/** Why a delivery's work stopped without a DLQ write: its subscriber went away. */
class DeliveryCancelled extends Error {
  override readonly name = "DeliveryCancelled";
}

/** One shared reason: every delivery's teardown aborts with it, so none builds an Error (and a stack). */
const DELIVERY_UNSUBSCRIBED = new DeliveryCancelled("delivery unsubscribed");

/**
 * One hub's independent lane: its own producer, breaker, batching and queue. Nothing here waits
 * on another hub, so a stalled or failing hub delays only its own batches.
 */
export class HubLane {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  private readonly producer: HubProducer;
  private readonly policy: RetryPolicy;
  private readonly deadLetters: DeadLetterTarget;

  constructor(private readonly options: HubLaneOptions) {
    this.name = options.hub.name;
    const d = options.delivery;
    this.producer = new HubProducer({
      hub: this.name,
      createClient: producerFactory(options.hub, d),
      batchMaxEvents: d.batchMaxEvents,
      fullBatchesInFlight: fullBatchesInFlight(d),
      timeoutInMs: d.timeoutInMs,
      abortSignal: options.abortSignal,
    });
    this.policy = {
      maxRetries: Math.max(0, d.maxRetries),
      retryDelayInMs: d.retryDelayInMs,
      maxRetryDelayInMs: d.maxRetryDelayInMs,
      timeoutInMs: d.timeoutInMs,
    };
    this.deadLetters = {
      hub: this.name,
      dlq: options.dlq,
      logger: options.logger,
      settle: (batch) => this.settle(batch),
    };
    this.breaker = new CircuitBreaker({
      hub: this.name,
      threshold: d.breakerThreshold,
      cooldownInMs: d.breakerCooldownInMs,
      now: options.now,
    });
  }

  /**
   * Batches and settles this hub's copy of the events; emits one `HubSettlement` after the input
   * completed and every batch is acknowledged or in the DLQ. Groups are settled one after the
   * other (`concatMap`): a location's batches reach its partition in order, and a DLQ write is
   * durable before the next batch starts. Unsubscribing aborts tries in flight without DLQ writes.
   * A `placement` (see `DeliverySequence`) makes the first send wait for the hub's earlier units
   * of the location, or spills every batch to the DLQ at once.
   */
  deliver(
    context: DeliveryContext,
    placement?: HubPlacement,
  ): OperatorFunction<OutboundEvent, HubSettlement> {
    return (events) =>
      defer(() => {
        const cancel = new AbortController();
        const linked = linkedSignal(this.options.abortSignal, cancel.signal);
        const abortSignal = linked.abortSignal;
        const turn = placement?.kind === "queued" ? placement.turn : undefined;
        const settleGroup = (group: EventGroup): Promise<SettledBatch[]> =>
          placement?.kind === "spilled"
            ? this.spill(context, group, placement)
            : this.settleGroup(context, group, abortSignal, cancel.signal);
        return events.pipe(
          eventBatcher({
            maxEvents: this.options.delivery.batchMaxEvents,
            maxWaitInMs: this.options.delivery.batchMaxWaitInMs,
          }),
          concatMap((group) =>
            defer(async () => {
              if (turn !== undefined) await turn;
              // Unsubscribed while waiting for the turn: nothing of this delivery may be sent.
              if (cancel.signal.aborted) throw cancel.signal.reason;
              return settleGroup(group);
            }),
          ),
          reduce(
            (settlement, batches) => batches.reduce(addSettledBatch, settlement),
            emptyHubSettlement(this.name),
          ),
          finalize(() => {
            cancel.abort(DELIVERY_UNSUBSCRIBED);
            linked.dispose();
            if (placement?.kind === "queued") placement.done();
          }),
        );
      });
  }

  /** Replay: packs and sends `events` to this hub only; no breaker, no pause, no DLQ. */
  async sendEvents(events: readonly OutboundEvent[], abortSignal?: AbortSignal): Promise<void> {
    const close = this.options.abortSignal;
    // Not AbortSignal.any: the close signal lives as long as the sink (see linkedSignal).
    const linked = abortSignal === undefined ? undefined : linkedSignal(close, abortSignal);
    try {
      await this.producer.sendAll(events, this.policy, linked?.abortSignal ?? close);
    } finally {
      linked?.dispose();
    }
  }

  /** Sends for real now: not paused, and its breaker is not open (both settle batches at once, unsent). */
  isLive(): boolean {
    return !this.options.hub.paused && this.breaker.state.state !== "open";
  }

  probe(): ReturnType<HubProducer["probe"]> {
    return this.producer.probe();
  }

  close(): Promise<void> {
    return this.producer.close();
  }

  private async settleGroup(
    context: DeliveryContext,
    group: EventGroup,
    abortSignal: AbortSignal,
    cancelAbortSignal: AbortSignal,
  ): Promise<SettledBatch[]> {
    const settled: SettledBatch[] = [];
    if (this.options.hub.paused) {
      const paused = hubPausedError(this.name);
      settled.push(await deadLetterBatch(this.deadLetters, context, group.events, paused, 0, Date.now()));
      return settled;
    }
    let rest = group.events;
    while (rest.length > 0) {
      // Room among the hub's batches in flight first, then the breaker: a batch that waited
      // sees what the batches before it told the breaker (they give their room up after that).
      let release: () => void;
      try {
        release = await this.producer.room(rest, abortSignal);
      } catch (error) {
        if (cancelAbortSignal.aborted) throw cancelAbortSignal.reason;
        // The sink closed while the batch waited: it was never tried.
        settled.push(
          await deadLetterBatch(this.deadLetters, context, rest, toDeliveryError(error), 0, Date.now()),
        );
        break;
      }
      const started = Date.now();
      const admission = this.breaker.admit();
      if (admission.kind === "reject") {
        release();
        settled.push(await deadLetterBatch(this.deadLetters, context, rest, admission.error, 0, started));
        break;
      }
      // A batch let through while the breaker was closed ends its try when the breaker opens
      // (not the probe: its own failure is what re-opens it). A cut try is one that gave up
      // waiting, like a timed-out one: its client is replaced (see LINK_INTACT). Those listening
      // to the breaker are the hub's batches in flight and those writing their DLQ entry.
      const cut = admission.kind === "probe" ? undefined : linkedSignal(abortSignal, this.breaker.opens);
      try {
        // The probe after a cool-down is one try: a hub that is still down re-opens at once.
        const policy = admission.kind === "probe" ? { ...this.policy, maxRetries: 0 } : this.policy;
        const outcome = await this.producer.packAndSend(
          rest,
          group.partitionKey,
          policy,
          cut?.abortSignal ?? abortSignal,
        );
        if (cancelAbortSignal.aborted) {
          if (admission.kind === "probe") this.breaker.abandonProbe();
          throw cancelAbortSignal.reason;
        }
        const packed = outcome.packed;
        for (const oversized of packed?.oversized ?? []) {
          const error = oversizedEventError(this.name, oversized);
          settled.push(
            await deadLetterBatch(this.deadLetters, context, [oversized.event], error, 0, started),
          );
        }
        if (outcome.ok) {
          if (outcome.packed.events.length > 0) {
            this.breaker.succeeded();
            settled.push(
              this.settle({
                outcome: "acknowledged",
                events: outcome.packed.events.length,
                bytes: outcome.packed.batch.sizeInBytes,
                started,
              }),
            );
          } else if (admission.kind === "probe") {
            this.breaker.abandonProbe();
          }
          rest = rest.slice(outcome.packed.consumed);
          continue;
        }
        // Never packed (the hub could not even be reached): the whole rest is one dead letter.
        const failed = packed ? packed.events : rest;
        // A too-large batch or a close() says nothing about the hub's health, and a batch whose
        // try ended as the breaker opened (cut, or failing in the same instant: its own error
        // then) was already counted by the failures that opened it.
        const failure = outcome.error.toJSON();
        const openedMeanwhile = cut?.abortSignal.aborted === true;
        if (isBatchSpecific(failure) || this.options.abortSignal.aborted) {
          if (admission.kind === "probe") this.breaker.abandonProbe();
        } else if (failure.code !== PIPELINE_FAILURE.circuitOpen && !openedMeanwhile) {
          this.breaker.failed(failure);
        }
        // The breaker knows; the next batch may go while this one is written to the DLQ.
        release();
        if (failed.length > 0)
          settled.push(
            await deadLetterBatch(
              this.deadLetters,
              context,
              failed,
              outcome.error,
              outcome.attempts,
              started,
            ),
          );
        rest = rest.slice(packed ? packed.consumed : rest.length);
      } catch (error) {
        // Whatever threw (a DLQ write, cancellation), a probe must not leave the breaker
        // half-open for good: every later batch of this hub would be refused until a restart.
        if (admission.kind === "probe") this.breaker.abandonProbe();
        throw error;
      } finally {
        cut?.dispose();
        release();
      }
    }
    return settled;
  }

  /** A hub too far behind the others on this location: the group goes to its DLQ unsent. */
  private async spill(
    context: DeliveryContext,
    group: EventGroup,
    behind: HubPlacement & { kind: "spilled" },
  ): Promise<SettledBatch[]> {
    const error = hubLaggingError(this.name, context.location, behind);
    return [await deadLetterBatch(this.deadLetters, context, group.events, error, 0, Date.now())];
  }

  private settle(batch: BatchDone): SettledBatch {
    return settledBatch(this.name, batch, this.options.onBatchSettled, this.options.logger);
  }
}
