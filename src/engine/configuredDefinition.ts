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
      settleDelayInMs: w.settleDelayInMs ?? definition.windows.settleDelayInMs,
      // The default lookback is one window: when only the window length changes, it follows.
      lateLookbackInMs:
        w.lateLookbackInMs ??
        (w.windowLengthInMs === undefined ? definition.windows.lateLookbackInMs : lengthInMs),
      initialLookbackInMs: w.initialLookbackInMs ?? definition.windows.initialLookbackInMs,
    },
  };
}
