import type { HubSettlement } from "../sinks/deliveryReport.js";
import type { WorkUnit } from "./pipelineDefinition.js";

/** How one unit (location × window) ended. */
export type UnitOutcome =
  | {
      readonly state: "settled";
      readonly unit: WorkUnit;
      /** Lines read from Microshare. */
      readonly fetched: number;
      /** Lines dropped as already delivered (late-data lookback re-reads). */
      readonly duplicates: number;
      /** Events handed to the sink. */
      readonly events: number;
      /** How each hub settled the unit's events (acknowledged, or in its DLQ). */
      readonly hubs: readonly HubSettlement[];
      /** Why the unit's data may be incomplete (a view still full at the minimum window). */
      readonly incomplete?: string;
    }
  | {
      readonly state: "failed";
      readonly unit: WorkUnit;
      readonly error: { readonly name: string; readonly message: string };
    };
