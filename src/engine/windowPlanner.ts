import { timeWindow, type TimeWindow } from "../model/timeWindow.js";
import type { WindowSettings } from "./pipelineDefinition.js";

/**
 * The windows one tick reads for one location, oldest first. They start at the watermark minus
 * the late-data lookback (or at now − initial lookback for a new location), end at
 * now − settle delay, and are cut at multiples of the window length (UTC), so that the same
 * hour is the same window on every tick. Empty when there is nothing new to read.
 */
export function planWindows(
  watermark: Date | undefined,
  now: number,
  settings: WindowSettings,
): TimeWindow[] {
  const end = now - settings.settleDelayInMs;
  const start =
    watermark === undefined
      ? now - settings.initialLookbackInMs
      : watermark.getTime() - settings.lateLookbackInMs;
  return cutWindows(start, end, settings.lengthInMs);
}

/** [start, end) cut at multiples of `lengthInMs`. */
export function cutWindows(start: number, end: number, lengthInMs: number): TimeWindow[] {
  const windows: TimeWindow[] = [];
  let from = start;
  while (from < end) {
    const boundary = (Math.floor(from / lengthInMs) + 1) * lengthInMs;
    const to = Math.min(boundary, end);
    windows.push(timeWindow(from, to));
    from = to;
  }
  return windows;
}
