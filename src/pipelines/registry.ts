import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { doorwayEvents } from "./doorwayEvents.js";
import { peopleCounter } from "./peopleCounter.js";
import { snapshot } from "./snapshot.js";

/** Every pipeline the CLI knows, by name. A new recType pipeline is added here. */
export const PIPELINES: readonly PipelineDefinition[] = [peopleCounter, snapshot, doorwayEvents];

export function findPipeline(name: string): PipelineDefinition | undefined {
  return PIPELINES.find((p) => p.name === name.toLowerCase());
}
