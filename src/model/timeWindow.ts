/**
 * A half-open time range [from, to). Microshare views take an inclusive `to`, so the source
 * converts with `inclusiveEndIso`; everywhere else a window ends where the next begins, which
 * makes splitting and watermark arithmetic exact (no 1 ms gaps or overlaps).
 */
export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export function timeWindow(from: Date | number | string, to: Date | number | string): TimeWindow {
  const window = { from: new Date(from), to: new Date(to) };
  if (Number.isNaN(window.from.getTime()) || Number.isNaN(window.to.getTime())) {
    throw new RangeError(`invalid time window: from=${String(from)} to=${String(to)}`);
  }
  if (window.to.getTime() <= window.from.getTime()) {
    throw new RangeError(`empty time window: ${window.from.toISOString()} .. ${window.to.toISOString()}`);
  }
  return window;
}

export function windowLengthInMs(window: TimeWindow): number {
  return window.to.getTime() - window.from.getTime();
}

/** The last millisecond inside the window, as the ISO string Microshare's inclusive `to` expects. */
export function inclusiveEndIso(window: TimeWindow): string {
  return new Date(window.to.getTime() - 1).toISOString();
}

/**
 * Splits a window into `count` windows of one length (to the millisecond), oldest first; fewer
 * when it is shorter than `count` milliseconds.
 */
export function splitWindowInto(window: TimeWindow, count: number): TimeWindow[] {
  const start = window.from.getTime();
  const length = windowLengthInMs(window);
  const pieces = Math.max(1, Math.min(Math.floor(count), length));
  const windows: TimeWindow[] = [];
  for (let i = 0; i < pieces; i++) {
    const from = start + Math.floor((length * i) / pieces);
    const to = i === pieces - 1 ? window.to.getTime() : start + Math.floor((length * (i + 1)) / pieces);
    windows.push(timeWindow(from, to));
  }
  return windows;
}

export function formatWindow(window: TimeWindow): string {
  return `${window.from.toISOString()}..${window.to.toISOString()}`;
}
