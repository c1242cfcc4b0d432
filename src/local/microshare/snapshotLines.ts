import { type OccupancyModel } from "./occupancy.js";
import type { Room } from "./topology.js";

export const SNAPSHOT_RECTYPE = "io.microshare.lake.snapshot.hourly";
export const HOUR_MS = 3_600_000;
/** The only (category, metric) pair with data; other pairs return no lines, as an unused metric would. */
export const SNAPSHOT_CATEGORY = "space";
export const SNAPSHOT_METRIC = "occupancy";

/** One element of the ground truth: the group's tags and the line exactly as a view returns it. */
export interface SnapshotGroupLine {
  tags: readonly string[];
  line: Record<string, unknown>;
}

/**
 * The hourly snapshot line of one room for the hour starting at `hour * 1 h`: statistics over
 * the occupancy at the end of each of the hour's four 15-minute periods, so snapshots agree
 * with the people-counter daily totals of the same room.
 */
export function snapshotLine(model: OccupancyModel, room: Room, hour: number): Record<string, unknown> {
  const samples = [0, 1, 2, 3].map((q) => model.occupancyAfter(room, hour * 4 + q));
  const sum = samples.reduce((a, b) => a + b, 0);
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  const first = samples[0] ?? 0;
  const last = samples[samples.length - 1] ?? 0;
  return {
    time: new Date(hour * HOUR_MS).toISOString(),
    current: {
      avg: sum / samples.length,
      count: samples.length,
      delta: last - first,
      first,
      last,
      max,
      min,
      range: max - min,
      sum,
    },
    meta: {
      agg: { period: { hour: 1 } },
      device: [...room.tags],
      snapshot: { category: SNAPSHOT_CATEGORY, metric: SNAPSHOT_METRIC },
    },
  };
}
