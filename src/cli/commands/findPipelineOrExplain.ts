import type { PipelineDefinition } from "../../engine/pipelineDefinition.js";
import { findPipeline, PIPELINES } from "../../pipelines/registry.js";

/** The named pipeline, or undefined after telling the user which names exist. */
export function findPipelineOrExplain(name: string): PipelineDefinition | undefined {
  const found = findPipeline(name);
  if (found === undefined) {
    console.error(`unknown pipeline "${name}"; known pipelines: ${PIPELINES.map((p) => p.name).join(", ")}`);
  }
  return found;
}
