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
      readonly hubs: readonly {
        readonly hub: string;
        readonly acknowledged: number;
        readonly deadLettered: number;
      }[];
    }
  | {
      readonly state: "failed";
      readonly unit: WorkUnit;
      readonly error: { readonly name: string; readonly message: string };
    };
