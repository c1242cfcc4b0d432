import { DAY, HOUR, MINUTE } from "../model/time.js";
import { splitWindowInto, timeWindow, type TimeWindow } from "../model/timeWindow.js";
import { VIEW_FILL } from "../model/viewFill.js";

export interface SizingLimits {
  /** Lines a view returns at most (MICROSHARE_VIEW_LIMIT). */
  readonly viewLimit: number;
  /** MICROSHARE_MIN_WINDOW. */
  readonly minWindowInMs: number;
  /** MICROSHARE_MAX_WINDOW. */
  readonly maxWindowInMs: number;
}

/**
 * A location's density as the engine knows it before reading: its stored estimate, else what
 * its devices report at their known rate, else nothing (the pipeline's fixed length applies).
 */
export function knownDensity(
  storedLinesPerHour: number | undefined,
  devices: number | undefined,
  linesPerDevicePerDay: number,
): number | undefined {
  if (storedLinesPerHour !== undefined) return storedLinesPerHour;
  if (devices === undefined || devices <= 0) return undefined;
  return (devices * linesPerDevicePerDay) / 24;
}

/**
 * The window length that holds about VIEW_FILL × the view limit at `linesPerHour`, within
 * [MICROSHARE_MIN_WINDOW, MICROSHARE_MAX_WINDOW], in whole minutes; a location with no lines
 * gets the longest window. `fallbackInMs` when nothing is known of the density.
 */
export function windowLengthFor(
  linesPerHour: number | undefined,
  fallbackInMs: number,
  limits: SizingLimits,
): number {
  const longest = Math.max(limits.maxWindowInMs, limits.minWindowInMs, 1);
  if (linesPerHour === undefined) return Math.min(fallbackInMs, longest);
  const ideal = linesPerHour <= 0 ? longest : ((VIEW_FILL * limits.viewLimit) / linesPerHour) * HOUR;
  const wholeMinutes = ideal >= MINUTE ? Math.floor(ideal / MINUTE) * MINUTE : ideal;
  return Math.max(Math.min(wholeMinutes, longest), limits.minWindowInMs, 1);
}

/**
 * [start, end) in the fewest windows of at most `lengthInMs`, all of one length (to the
 * millisecond): 7 days at a 3-day length are three windows of 2⅓ days, not 3 + 3 + 1, so no
 * window is nearer the limit than it needs to be.
 */
export function cutEvenly(start: number, end: number, lengthInMs: number): TimeWindow[] {
  if (end <= start) return [];
  return splitWindowInto(timeWindow(start, end), Math.ceil((end - start) / lengthInMs));
}

/**
 * A location's density estimate (lines per hour), updated from every window it settles: a
 * moving average weighted by time, in which a day of evidence counts as much as all before it.
 * A 3-day back-fill window mostly replaces the estimate; a 75-minute steady-state window moves
 * it by 5 %, so one odd quarter-hour does not resize the next back-fill. A window that held more
 * lines than one view answer can (it came back full and was split) replaces it outright: the
 * estimate that sized it was wrong. So does the first window after a guess from the devices
 * (`guessed`): a count of counters is not evidence of what they report.
 */
export class DensityEstimate {
  constructor(
    private estimate: number | undefined,
    private readonly viewLimit: number,
    private guessed = false,
  ) {}

  get linesPerHour(): number | undefined {
    return this.estimate;
  }

  observe(lines: number, lengthInMs: number): void {
    if (lengthInMs <= 0) return;
    const observed = lines / (lengthInMs / HOUR);
    const weight =
      this.estimate === undefined || this.guessed || lines >= this.viewLimit
        ? 1
        : lengthInMs / (lengthInMs + DAY);
    this.estimate = weight * observed + (1 - weight) * (this.estimate ?? 0);
    this.guessed = false;
  }
}
