import { Salt } from "./hash.js";
import { type Series, type Visibility, selectLines } from "./lineSelection.js";
import { OccupancyModel, SLOT_MS } from "./occupancy.js";
import { peopleCounterLine } from "./peopleCounterLines.js";
import { HOUR_MS, snapshotLine } from "./snapshotLines.js";
import { type SimulatorIds, type Topology, buildTopology, simulatorIds } from "./topology.js";

export const PEOPLE_COUNTER_SERIES: Series = { periodMs: SLOT_MS, lateSalt: Salt.lateQuarter };
export const SNAPSHOT_SERIES: Series = { periodMs: HOUR_MS, lateSalt: Salt.lateHour };

/** One view group: a room's tags and its lines in time order. */
export interface LineGroup {
  tags: readonly string[];
  lines: Record<string, unknown>[];
}

/**
 * The simulated tenant: its buildings and rooms, its ids and its occupancy model. Nothing is
 * generated up front; every query computes the lines it needs from the seed.
 */
export class Dataset {
  readonly topology: Topology;
  readonly ids: SimulatorIds;
  readonly model: OccupancyModel;

  constructor(
    readonly seed: number,
    buildings: number,
    floorsPerBuilding: number,
    roomsPerFloor: number,
    roomsPerFloorByBuilding: readonly number[] = [],
  ) {
    this.topology = buildTopology(seed, buildings, floorsPerBuilding, roomsPerFloor, roomsPerFloorByBuilding);
    this.ids = simulatorIds(seed);
    this.model = new OccupancyModel(seed);
  }

  /** People-counter groups of a building, lines with fromMs <= time <= toMs, at most `limit` (most recent). */
  peopleCounterGroups(
    building: string,
    fromMs: number,
    toMs: number,
    vis: Visibility,
    limit: number,
  ): LineGroup[] {
    const rooms = this.topology.roomsOf(building);
    return selectLines(rooms, PEOPLE_COUNTER_SERIES, vis, fromMs, toMs, limit).map((g) => ({
      tags: g.room.tags,
      lines: g.periods.map((slot) => peopleCounterLine(this.seed, this.model, g.room, slot)),
    }));
  }

  /** Snapshot groups of a building (bare name), lines with fromMs <= time <= toMs, at most `limit`. */
  snapshotGroups(
    building: string,
    fromMs: number,
    toMs: number,
    vis: Visibility,
    limit: number,
  ): LineGroup[] {
    const rooms = this.topology.roomsOf(building);
    return selectLines(rooms, SNAPSHOT_SERIES, vis, fromMs, toMs, limit).map((g) => ({
      tags: g.room.tags,
      lines: g.periods.map((hour) => snapshotLine(this.model, g.room, hour)),
    }));
  }
}

/** Flattens groups into (tags, line) pairs ordered by time, then by tags. */
export function flattenGroups(
  groups: readonly LineGroup[],
): { tags: readonly string[]; line: Record<string, unknown> }[] {
  const flat = groups.flatMap((g, order) => g.lines.map((line) => ({ tags: g.tags, line, order })));
  flat.sort((a, b) => {
    const ta = String(a.line.time);
    const tb = String(b.line.time);
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.order - b.order;
  });
  return flat.map(({ tags, line }) => ({ tags, line }));
}
