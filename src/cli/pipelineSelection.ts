import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { findPipeline, PIPELINES } from "../pipelines/registry.js";
import { UsageError } from "./usageError.js";

/** The named pipeline; a UsageError (exit 2) naming the known pipelines otherwise. */
export function requirePipeline(name: string): PipelineDefinition {
  const found = findPipeline(name);
  if (found === undefined)
    throw new UsageError(
      `unknown pipeline "${name}"; known pipelines: ${PIPELINES.map((p) => p.name).join(", ")}`,
    );
  return found;
}

/** The named pipeline, or every pipeline when no name is given. */
export function selectPipelines(name: string | undefined): readonly PipelineDefinition[] {
  return name === undefined ? PIPELINES : [requirePipeline(name)];
}
