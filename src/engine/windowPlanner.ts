import { timeWindow, type TimeWindow } from "../model/timeWindow.js";
import type { WindowSettings } from "./pipelineDefinition.js";
import { cutEvenly } from "./windowSizing.js";

/**
 * The windows one tick reads for one location, oldest first. They start at the watermark minus
 * the late-data lookback (or, for a new location, at now − initial lookback to the whole second,
 * as the old forwarder's first run did), end at now − settle delay, and are cut at multiples of
 * the window length (UTC), so that the same hour is the same window on every tick. A resume
 * point (set by `migrate`) comes first: no window starts before it, and a new location starts
 * there. With `sizedLengthInMs` (the location's density-sized length, windowSizing.ts) the
 * range is cut evenly into windows of at most that length instead. Empty when there is nothing
 * new to read.
 */
export function planWindows(
  watermark: Date | undefined,
  now: number,
  settings: WindowSettings,
  resumeFrom?: Date,
  sizedLengthInMs?: number,
): TimeWindow[] {
  const end = now - settings.settleDelayInMs;
  const floor = resumeFrom?.getTime() ?? Number.NEGATIVE_INFINITY;
  const start =
    watermark === undefined
      ? (resumeFrom?.getTime() ?? wholeSecond(now - settings.initialLookbackInMs))
      : Math.max(watermark.getTime() - settings.lateLookbackInMs, floor);
  return sizedLengthInMs === undefined
    ? cutWindows(start, end, settings.lengthInMs)
    : cutEvenly(start, end, sizedLengthInMs);
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
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
