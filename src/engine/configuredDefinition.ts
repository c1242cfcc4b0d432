import type { Config } from "../config/config.js";
import type { PipelineDefinition } from "./pipelineDefinition.js";

/**
 * The definition with the operator's overrides applied where set: WINDOW_LENGTH, SETTLE_DELAY,
 * LATE_LOOKBACK, INITIAL_LOOKBACK and SCHEDULE_EVERY.
 */
export function withConfiguredSettings(definition: PipelineDefinition, config: Config): PipelineDefinition {
  const w = config.windows;
  const lengthInMs = w.windowLengthInMs ?? definition.windows.lengthInMs;
  return {
    ...definition,
    schedule:
      config.runtime.scheduleEveryInMs === undefined
        ? definition.schedule
        : { everyInMs: config.runtime.scheduleEveryInMs, offsetInMs: 0 },
    windows: {
      lengthInMs,
      // WINDOW_LENGTH set: the operator asked for windows of that length, every one.
      ...(w.windowLengthInMs === undefined && definition.windows.adaptive !== undefined
        ? { adaptive: definition.windows.adaptive }
        : {}),
      settleDelayInMs: w.settleDelayInMs ?? definition.windows.settleDelayInMs,
      lateLookbackInMs: w.lateLookbackInMs ?? definition.windows.lateLookbackInMs,
      initialLookbackInMs: w.initialLookbackInMs ?? definition.windows.initialLookbackInMs,
    },
  };
}
