import type { Failure } from "../model/failure.js";
import type { TimeWindow } from "../model/timeWindow.js";

/** Which delivery a batch belongs to: it names the DLQ entry (pipeline, location, window). */
export interface DeliveryContext {
  readonly pipeline: string;
  readonly location: string;
  readonly window: TimeWindow;
}

/** How one hub settled the events of one delivery. */
export interface HubSettlement {
  readonly hub: string;
  /** Events the hub acknowledged. */
  readonly acknowledged: number;
  /** Events durably written to this hub's DLQ (failed, breaker open, paused, oversized). */
  readonly deadLettered: number;
  readonly batches: number;
  /** Distinct reasons, redacted (at most `MAX_DISTINCT_ERRORS`). */
  readonly errors: readonly Failure[];
}

export interface DeliveryReport {
  readonly context: DeliveryContext;
  readonly events: number;
  readonly hubs: readonly HubSettlement[];
}

/** One settled batch of one hub: acknowledged, or durably in the hub's DLQ. */
export interface SettledBatch {
  readonly hub: string;
  readonly outcome: "acknowledged" | "dead-lettered";
  readonly events: number;
  readonly bytes: number;
  readonly durationInMs: number;
  readonly error?: Failure;
}

/** A flapping hub can fail with many messages; a report lists the first few distinct ones. */
export const MAX_DISTINCT_ERRORS = 10;

export function emptyHubSettlement(hub: string): HubSettlement {
  return { hub, acknowledged: 0, deadLettered: 0, batches: 0, errors: [] };
}

export function addSettledBatch(settlement: HubSettlement, batch: SettledBatch): HubSettlement {
  const acknowledged = batch.outcome === "acknowledged";
  return {
    hub: settlement.hub,
    acknowledged: settlement.acknowledged + (acknowledged ? batch.events : 0),
    deadLettered: settlement.deadLettered + (acknowledged ? 0 : batch.events),
    batches: settlement.batches + 1,
    errors: batch.error === undefined ? settlement.errors : withDistinct(settlement.errors, batch.error),
  };
}

function withDistinct(errors: HubSettlement["errors"], error: Failure): HubSettlement["errors"] {
  if (errors.length >= MAX_DISTINCT_ERRORS) return errors;
  const same = errors.some(
    (e) => e.name === error.name && e.code === error.code && e.message === error.message,
  );
  if (same) return errors;
  const plain = error.code === undefined ? { name: error.name, message: error.message } : { ...error };
  return [...errors, plain];
}

/** True when every hub settled every event (acknowledged or dead-lettered): the watermark may move. */
export function isFullySettled(report: DeliveryReport): boolean {
  return report.hubs.every((hub) => hub.acknowledged + hub.deadLettered === report.events);
}
