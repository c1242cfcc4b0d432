import type { OutboundEvent } from "../model/outboundEvent.js";

/** Events of one partition key, in arrival order, waiting to be packed into hub batches. */
export interface EventGroup {
  readonly partitionKey: string;
  readonly events: readonly OutboundEvent[];
}
