import type { TimerFunctionOptions } from "@azure/functions";
import type { PipelineDefinition } from "../engine/pipelineDefinition.js";
import { PIPELINES } from "../pipelines/registry.js";
import { toNcrontab } from "./ncrontab.js";
import { pipelineTimerHandler } from "./runPipelineOnce.js";

/** `app.timer` from @azure/functions, or a recorder in tests. */
export type RegisterTimer = (name: string, options: TimerFunctionOptions) => void;

/**
 * Registers one timer function per pipeline, named after it, firing on the pipeline's own
 * schedule (peoplecounter every 15 min, snapshot hourly at :00). A pipeline this deployment does
 * not use is switched off with the app setting `AzureWebJobs.<name>.Disabled=true`.
 */
export function registerPipelineTimers(
  register: RegisterTimer,
  pipelines: readonly PipelineDefinition[] = PIPELINES,
): void {
  for (const definition of pipelines) {
    register(definition.name, {
      schedule: toNcrontab(definition.schedule),
      handler: pipelineTimerHandler(definition),
    });
  }
}
