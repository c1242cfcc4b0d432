import {
  connect,
  count,
  defer,
  map,
  merge,
  type OperatorFunction,
  tap,
  throwError,
  toArray,
  zip,
} from "rxjs";
import type { DeliveryConfig } from "../config/config.js";
import type { HubConfig } from "../config/hubConfig.js";
import type { OutboundEvent } from "../model/outboundEvent.js";
import { formatWindow } from "../model/timeWindow.js";
import { componentLogger, type Logger } from "../observability/logger.js";
import type { DeadLetterQueue } from "../dlq/deadLetterQueue.js";
import type { BreakerState } from "./circuitBreaker.js";
import type { DeliveryContext, DeliveryReport, HubSettlement } from "./deliveryReport.js";
import { describeFailure } from "./deliveryError.js";
import { settleWithin } from "../concurrency/settleWithin.js";
import { DeliverySequence, HubBacklogs } from "./deliverySequence.js";
import { HubLane } from "./hubLane.js";
import { SinkClosedError } from "./sinkClosedError.js";

export type { BreakerState } from "./circuitBreaker.js";
export type { DeliveryContext, DeliveryReport, HubSettlement } from "./deliveryReport.js";

export interface FanOutSinkOptions {
  readonly hubs: readonly HubConfig[];
  readonly delivery: DeliveryConfig;
  readonly dlq: DeadLetterQueue;
  /** Default: the "fan-out-sink" component logger. */
  readonly logger?: Logger;
  /** Observability hook: called once per settled batch per hub. */
  readonly onBatchSettled?: (event: {
    hub: string;
    outcome: "acknowledged" | "dead-lettered";
    events: number;
    bytes: number;
    durationInMs: number;
    reason?: string;
  }) => void;
  /** Clock of the circuit breakers; default `Date.now`. */
  readonly now?: () => number;
  /**
   * How long `close()` waits for each hub's client to close. A hub that accepted the connection
   * and never answers never confirms the close either: after this the client is abandoned with a
   * warning (its socket goes when the process exits). Default: the per-try `timeoutInMs`.
   */
  readonly closeTimeoutInMs?: number;
  /**
   * Units one hub may hold unsettled over all locations (see DeliverySequence); beyond, the next
   * units are spilled to its DLQ. Default: `maxLagWindows + 1` for each of 8 locations at once.
   */
  readonly maxBacklogUnits?: number;
}

export interface HubProbe {
  readonly hub: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly partitionIds?: readonly string[];
}

/**
 * Delivers every event to every configured Event Hub, one independent lane per hub: a failing
 * or stalled hub never delays or fails another, and whatever a hub does not take goes to that
 * hub's DLQ (awaited) before the batch counts as settled.
 */
export class FanOutSink {
  readonly hubNames: readonly string[];
  private readonly lanes: ReadonlyMap<string, HubLane>;
  private readonly logger: Logger;
  private readonly closer = new AbortController();
  private readonly closeTimeoutInMs: number;
  private readonly maxLag: number;
  private readonly backlogs: HubBacklogs;
  private closing: Promise<void> | undefined;

  /** Throws a `ConfigError` for duplicate hub names. */
  constructor(options: FanOutSinkOptions) {
    this.logger = options.logger ?? componentLogger("fan-out-sink");
    this.closeTimeoutInMs = options.closeTimeoutInMs ?? options.delivery.timeoutInMs;
    this.maxLag = options.delivery.maxLagWindows;
    this.backlogs = new HubBacklogs(options.maxBacklogUnits ?? (this.maxLag + 1) * 8);
    const onBatchSettled = options.onBatchSettled;
    const lanes = new Map<string, HubLane>();
    for (const hub of options.hubs) {
      if (lanes.has(hub.name))
        throw new Error(`FanOutSink: two hubs are named '${hub.name}'; hub names must be distinct.`);
      lanes.set(
        hub.name,
        new HubLane({
          hub,
          delivery: options.delivery,
          dlq: options.dlq,
          logger: this.logger,
          now: options.now ?? Date.now,
          abortSignal: this.closer.signal,
          onBatchSettled:
            onBatchSettled &&
            ((batch) =>
              onBatchSettled({
                hub: batch.hub,
                outcome: batch.outcome,
                events: batch.events,
                bytes: batch.bytes,
                durationInMs: batch.durationInMs,
                ...(batch.error === undefined ? {} : { reason: describeFailure(batch.error) }),
              })),
        }),
      );
    }
    this.lanes = lanes;
    this.hubNames = [...lanes.keys()];
  }

  /**
   * The order of one location's deliveries on every hub (see DeliverySequence): pass it to each
   * of the location's `deliver` calls, in the units' order, so that hubs take them at their own pace.
   */
  sequence(): DeliverySequence {
    return new DeliverySequence(this.hubNames, this.maxLag, this.backlogs, (hub) => this.lane(hub).isLive());
  }

  /**
   * Consumes a finite stream of events and emits exactly ONE report once the input completed and
   * every batch is settled on every hub. Errors only when the input errors or a DLQ write fails
   * (then nothing is reported as settled, and the window must be re-read). With a `sequence`,
   * each hub takes this delivery after the sequence's earlier ones, or spills it (a hub too far behind).
   */
  deliver(
    context: DeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, DeliveryReport> {
    return (events) =>
      defer(() => {
        if (this.closer.signal.aborted) return throwError(() => new SinkClosedError("deliver"));
        const placements = sequence?.place();
        return events.pipe(
          // Each lane gets every event as it arrives and buffers its own share: a slow lane
          // never holds the input back for the others (no shared backpressure).
          connect((shared) =>
            zip(
              shared.pipe(count()),
              merge(
                ...[...this.lanes.values()].map((lane) =>
                  shared.pipe(lane.deliver(context, placements?.get(lane.name))),
                ),
              ).pipe(toArray()),
            ),
          ),
          map(([eventCount, settlements]) => this.report(context, eventCount, settlements)),
          tap((report) =>
            this.logger.debug("delivery settled", {
              pipeline: context.pipeline,
              location: context.location,
              window: formatWindow(context.window),
              events: report.events,
              hubs: report.hubs.map((h) => ({
                hub: h.hub,
                acknowledged: h.acknowledged,
                deadLettered: h.deadLettered,
              })),
            }),
          ),
        );
      });
  }

  /** DLQ replay: sends `events` to `hub` only, bypassing pause and breaker; no DLQ write. */
  async sendToHub(
    hub: string,
    events: readonly OutboundEvent[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<void> {
    if (this.closer.signal.aborted) throw new SinkClosedError("sendToHub");
    await this.lane(hub).sendEvents(events, options.abortSignal);
  }

  breakerState(hub: string): BreakerState {
    return this.lane(hub).breaker.state;
  }

  /** A properties call on every hub (for `check` and readiness), all at once, each bounded by `timeoutInMs`. */
  async probe(): Promise<readonly HubProbe[]> {
    if (this.closer.signal.aborted) throw new SinkClosedError("probe");
    return Promise.all([...this.lanes.values()].map((lane) => lane.probe()));
  }

  /**
   * Closes every producer, each within `closeTimeoutInMs` (then abandoned, with a warning);
   * idempotent. Backoff waits end, and later calls reject as "closed".
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closer.abort(new SinkClosedError("delivery"));
      await Promise.all(
        [...this.lanes].map(async ([hub, lane]) => {
          if (await settleWithin(lane.close(), this.closeTimeoutInMs)) return;
          this.logger.warn(
            `hub '${hub}' did not confirm closing its connection within ${this.closeTimeoutInMs} ms; abandoned (its connection is dropped when the process exits)`,
            { hub },
          );
        }),
      );
    })();
    return this.closing;
  }

  private lane(hub: string): HubLane {
    const lane = this.lanes.get(hub);
    if (!lane) throw new Error(`FanOutSink has no hub '${hub}'; its hubs are: ${this.hubNames.join(", ")}.`);
    return lane;
  }

  private report(
    context: DeliveryContext,
    events: number,
    settlements: readonly HubSettlement[],
  ): DeliveryReport {
    // Lanes finish in any order; the report lists hubs in configuration order.
    const byHub = new Map(settlements.map((s) => [s.hub, s]));
    const hubs = this.hubNames.flatMap((name) => {
      const settlement = byHub.get(name);
      return settlement ? [settlement] : [];
    });
    return { context, events, hubs };
  }
}
