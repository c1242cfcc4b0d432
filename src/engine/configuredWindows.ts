import type { Config } from "../config/config.js";
import type { PipelineDefinition } from "./pipelineDefinition.js";

/** The definition with WINDOW_LENGTH, SETTLE_DELAY, LATE_LOOKBACK and INITIAL_LOOKBACK applied where set. */
export function withConfiguredWindows(definition: PipelineDefinition, config: Config): PipelineDefinition {
  const w = config.windows;
  const lengthInMs = w.windowLengthInMs ?? definition.windows.lengthInMs;
  return {
    ...definition,
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
