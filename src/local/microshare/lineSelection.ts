import { unit } from "./hash.js";
import type { LateLinesOption } from "./simulatorOptions.js";
import type { Room } from "./topology.js";

/** A series of periodic lines: 15-minute people-counter periods or hourly snapshots. */
export interface Series {
  periodMs: number;
  /** Keeps the late-line draw of one series independent of the other's. */
  lateSalt: number;
}

export interface Visibility {
  seed: number;
  nowMs: number;
  dataStartMs: number;
  dataEndMs: number | undefined;
  lateLines: LateLinesOption | undefined;
}

export interface SelectedGroup {
  room: Room;
  /** Period numbers (period start = n × periodMs), ascending. */
  periods: number[];
}

/** When a line becomes visible: at the end of its period, or `delayMs` later for the late fraction. */
export function visibleFrom(series: Series, vis: Visibility, room: Room, period: number): number {
  const end = (period + 1) * series.periodMs;
  const late = vis.lateLines;
  if (late && late.fraction > 0 && unit(vis.seed, series.lateSalt, room.index, period) < late.fraction) {
    return end + late.delayMs;
  }
  return end;
}

/**
 * The lines of `rooms` whose period starts within [fromMs, toMs] (both inclusive), inside the
 * data range and visible at `vis.nowMs`, keeping only the `limit` most recent (ties at the
 * cut keep the rooms sorted last). Walks periods newest first and stops once the limit is
 * reached, so the cost is O(lines examined), never O(all data). Groups come back in `rooms`
 * order, each with ascending periods; rooms without lines are left out.
 */
export function selectLines(
  rooms: readonly Room[],
  series: Series,
  vis: Visibility,
  fromMs: number,
  toMs: number,
  limit: number,
): SelectedGroup[] {
  const p = series.periodMs;
  const first = Math.max(Math.ceil(fromMs / p), Math.ceil(vis.dataStartMs / p));
  let last = Math.min(Math.floor(toMs / p), Math.floor(vis.nowMs / p) - 1);
  if (vis.dataEndMs !== undefined) last = Math.min(last, Math.ceil(vis.dataEndMs / p) - 1);
  const picked: number[][] = rooms.map(() => []);
  let taken = 0;
  outer: for (let period = last; period >= first; period--) {
    for (let i = rooms.length - 1; i >= 0; i--) {
      const room = rooms[i];
      if (!room) continue;
      if (visibleFrom(series, vis, room, period) > vis.nowMs) continue;
      picked[i]?.push(period);
      if (++taken >= limit) break outer;
    }
  }
  const groups: SelectedGroup[] = [];
  rooms.forEach((room, i) => {
    const periods = picked[i];
    if (periods && periods.length > 0) groups.push({ room, periods: periods.reverse() });
  });
  return groups;
}
