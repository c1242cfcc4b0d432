import { linkedSignal } from "../abort/linkedSignal.js";
import type { EventHubProducerClient } from "@azure/event-hubs";
import { forEachConcurrently } from "../concurrency/forEachConcurrently.js";
import { WeightedSlots } from "../concurrency/weightedSlots.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import { estimatedBatchBytes, packBatch, type PackedBatch } from "./batchPacker.js";
import type { ProducerFactory } from "./createProducer.js";
import { oversizedEventError } from "./deadLetters.js";
import { describeFailure, type DeliveryError } from "./deliveryError.js";
import type { EventGroup } from "./eventGroup.js";
import { attemptWithRetries, type RetryPolicy } from "./retryPolicy.js";
import { SinkClosedError } from "./sinkClosedError.js";
import { toDeliveryError } from "./toDeliveryError.js";

/** Partition keys whose batches `sendAll` sends at once (a replay group spans many locations). */
const KEYS_IN_FLIGHT = 8;

export type SendOutcome =
  | { readonly ok: true; readonly packed: PackedBatch }
  | {
      readonly ok: false;
      /** The batch of the last try, undefined when no try got as far as packing. */
      readonly packed: PackedBatch | undefined;
      readonly error: DeliveryError;
      readonly attempts: number;
    };

/**
 * Failures after which the hub answered the transfer itself: the link is intact and is reused.
 * After any other failure (a try that timed out, a dropped link or connection) the client is
 * replaced before the next try: @azure/event-hubs 6.0.4 re-creating a sender link on the same
 * client overwrites the link's token-renewal timer loop without stopping it (`_init` assigns
 * `this.authLoop` again), leaking a ref'd 45-minute timer that renews forever and keeps the
 * process alive; closing the client stops the loop it knows about.
 */
const LINK_INTACT = new Set([
  "InternalServerError",
  "ServerBusyError",
  "UnauthorizedError",
  "MessageTooLargeError",
  "SendOperationFailedError",
  "QuotaExceededError",
  "MessagingEntityNotFoundError",
  "SinkClosedError",
]);

export interface HubProducerOptions {
  readonly hub: string;
  readonly createClient: ProducerFactory;
  readonly batchMaxEvents: number;
  /** Full batches the hub may have being packed or sent at once (see `room`). */
  readonly fullBatchesInFlight: number;
  readonly timeoutInMs: number;
  /** Fires on the sink's `close()`. */
  readonly abortSignal: AbortSignal;
}

/**
 * One hub's long-lived producer client: created on first use and reused for every batch and
 * every delivery; replaced only after a try that may have lost its link (see `LINK_INTACT`).
 */
export class HubProducer {
  private client: EventHubProducerClient | undefined;
  private readonly retiring = new Set<Promise<void>>();
  private closed = false;
  /** The hub's largest batch, once a batch was created (its link's `max_message_size`). */
  private maxBatchBytes: number | undefined;
  private readonly inFlight: WeightedSlots;

  constructor(private readonly options: HubProducerOptions) {
    this.inFlight = new WeightedSlots(options.fullBatchesInFlight);
  }

  /**
   * Waits for room among the hub's batches in flight (`fullBatchesInFlight`) for the next
   * batch of `events`, weighed as the share of a full batch it will fill (a whole one until the
   * hub's limit is known, so the first ones are bounded too); resolves with its release, to call
   * once that batch is settled. Rejects with the signal's reason when it fires first. Not part of
   * a try: waiting costs no timeout.
   */
  room(events: readonly OutboundEvent[], abortSignal: AbortSignal): Promise<() => void> {
    const max = this.maxBatchBytes;
    // A link may announce no limit (0): then every batch counts as a full one.
    const weight =
      max === undefined || !(max > 0)
        ? 1
        : estimatedBatchBytes(events, this.options.batchMaxEvents, max) / max;
    return this.inFlight.acquire(weight, abortSignal);
  }

  /**
   * Sends ONE batch from the front of `events` (one partition key) with retries. It is packed on
   * the first try that reaches the hub and the same batch is sent again on later tries.
   */
  async packAndSend(
    events: readonly OutboundEvent[],
    partitionKey: string,
    policy: RetryPolicy,
    abortSignal: AbortSignal,
  ): Promise<SendOutcome> {
    let packed: PackedBatch | undefined;
    const outcome = await attemptWithRetries(
      async (attemptAbortSignal) => {
        const client = this.current();
        try {
          packed ??= await packBatch(client, events, {
            partitionKey,
            maxEvents: this.options.batchMaxEvents,
            abortSignal: attemptAbortSignal,
          });
          this.maxBatchBytes = packed.batch.maxSizeInBytes;
          if (packed.events.length > 0)
            await client.sendBatch(packed.batch, { abortSignal: attemptAbortSignal });
          return packed;
        } catch (error) {
          const failure = toDeliveryError(attemptAbortSignal.aborted ? attemptAbortSignal.reason : error);
          if (!LINK_INTACT.has(failure.code ?? failure.name) && !this.closed) {
            // A batch belongs to the client that created it: pack again on the new one.
            packed = undefined;
            this.replace(client);
          }
          throw failure;
        }
      },
      policy,
      abortSignal,
    );
    return outcome.ok
      ? { ok: true, packed: outcome.value }
      : { ok: false, packed, error: outcome.error, attempts: outcome.attempts };
  }

  /** Replay: every event to this hub, as many batches as needed; rejects on the first failure. */
  async sendAll(
    events: readonly OutboundEvent[],
    policy: RetryPolicy,
    abortSignal: AbortSignal,
  ): Promise<void> {
    // One batch carries one partition key. Keys are sent side by side (their round trips
    // overlap), each key's batches in order; the first failure ends it.
    await forEachConcurrently(byPartitionKey(events), KEYS_IN_FLIGHT, async (group) => {
      let rest = group.events;
      while (rest.length > 0) {
        const release = await this.room(rest, abortSignal);
        const outcome = await this.packAndSend(rest, group.partitionKey, policy, abortSignal).finally(
          release,
        );
        if (!outcome.ok) throw outcome.error;
        const oversized = outcome.packed.oversized[0];
        if (oversized) throw oversizedEventError(this.options.hub, oversized);
        rest = rest.slice(outcome.packed.consumed);
      }
    });
  }

  /** A properties call: proves connection, auth and hub name, without sending anything. */
  async probe(): Promise<{ hub: string; ok: boolean; error?: string; partitionIds?: readonly string[] }> {
    // Not AbortSignal.any: every /ready calls this, and the close signal lives as long as the sink.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
      this.options.timeoutInMs,
    );
    const { abortSignal, dispose } = linkedSignal(this.options.abortSignal, timeout.signal);
    try {
      const properties = await this.current().getEventHubProperties({ abortSignal });
      return { hub: this.options.hub, ok: true, partitionIds: properties.partitionIds };
    } catch (error) {
      const failure = toDeliveryError(abortSignal.aborted ? abortSignal.reason : error);
      return { hub: this.options.hub, ok: false, error: describeFailure(failure) };
    } finally {
      clearTimeout(timer);
      dispose();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await Promise.all([client?.close(), ...this.retiring]);
  }

  private current(): EventHubProducerClient {
    if (this.closed) throw new SinkClosedError(`hub '${this.options.hub}'`);
    this.client ??= this.options.createClient();
    return this.client;
  }

  /**
   * Retires a client in the background: closing waits for the peer's answer, which a hub that
   * stalls may never send in time, and the next try must not wait for that. `close()` awaits it.
   */
  private replace(client: EventHubProducerClient): void {
    // Another delivery may have replaced it already; then the current one is kept.
    if (this.client === client) this.client = undefined;
    const closing = client.close().catch(() => undefined);
    this.retiring.add(closing);
    void closing.finally(() => this.retiring.delete(closing));
  }
}

/** Splits events by partition key, keeping each key's order (a replayed entry is normally one key). */
function byPartitionKey(events: readonly OutboundEvent[]): EventGroup[] {
  const groups = new Map<string, OutboundEvent[]>();
  for (const event of events) {
    const group = groups.get(event.partitionKey);
    if (group) group.push(event);
    else groups.set(event.partitionKey, [event]);
  }
  return [...groups].map(([partitionKey, grouped]) => ({ partitionKey, events: grouped }));
}
