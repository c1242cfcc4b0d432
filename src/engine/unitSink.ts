import type { OperatorFunction } from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { DeliveryContext, DeliveryReport } from "../sinks/deliveryReport.js";
import type { DeliverySequence } from "../sinks/deliverySequence.js";

/**
 * What the engine needs from a sink (the fan-out sink implements it): consume one unit's
 * events and report, once, how each hub settled them (a `DeliveryReport` of `HubSettlement`s,
 * the one settlement type from the sink to the tick summary). A report means every event is
 * either acknowledged by the hub or durably in that hub's dead-letter queue.
 */
export interface UnitSink {
  readonly hubNames: readonly string[];
  /** One per location and tick: the order its units take on every hub. */
  sequence(): DeliverySequence;
  deliver(
    context: DeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, DeliveryReport>;
}
