import type { OperatorFunction } from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { TimeWindow } from "../model/timeWindow.js";
import type { DeliverySequence } from "../sinks/deliverySequence.js";

/**
 * What the engine needs from a sink (the fan-out sink implements it): consume one unit's
 * events and report, once, how each hub settled them. A report means every event is either
 * acknowledged by the hub or durably in that hub's dead-letter queue.
 */
export interface UnitSink {
  readonly hubNames: readonly string[];
  /** One per location and tick: the order its units take on every hub. */
  sequence(): DeliverySequence;
  deliver(
    context: UnitDeliveryContext,
    sequence?: DeliverySequence,
  ): OperatorFunction<OutboundEvent, UnitDeliveryReport>;
}

export interface UnitDeliveryContext {
  readonly pipeline: string;
  readonly location: string;
  readonly window: TimeWindow;
}

export interface UnitDeliveryReport {
  readonly events: number;
  readonly hubs: readonly {
    readonly hub: string;
    readonly acknowledgedEvents: number;
    readonly deadLetteredEvents: number;
    readonly errors: readonly { readonly name: string; readonly message: string }[];
  }[];
}
