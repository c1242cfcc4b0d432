import type { Config } from "../config/config.js";
import type { LiveState } from "../observability/liveState.js";
import type { PipelineMetrics } from "../observability/pipelineMetrics.js";
import type { StateStore } from "../state/stateStore.js";
import type { PipelineContext } from "./pipelineDefinition.js";
import type { UnitSink } from "./unitSink.js";

/**
 * What the engine runs a pipeline with. The composition root (src/runtime/openRuntime.ts)
 * builds it from the configuration; the engine itself knows no concrete source, sink or store.
 */
export interface EngineRuntime {
  readonly config: Config;
  readonly context: PipelineContext;
  readonly store: StateStore;
  readonly sink: UnitSink;
  readonly metrics: PipelineMetrics;
  /** Leadership and the tick in progress, for the metrics server's `/status`. */
  readonly live: LiveState;
}
