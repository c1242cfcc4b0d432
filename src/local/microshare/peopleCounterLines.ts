import { Salt, objectIdHex } from "./hash.js";
import { type OccupancyModel, SLOT_MS, SLOTS_PER_DAY } from "./occupancy.js";
import type { LocationTags, Room } from "./topology.js";

export const PEOPLE_COUNTER_AGG_RECTYPE = "io.microshare.peoplecounter.unpacked.event.agg";
export const PEOPLE_COUNTER_GLOBAL_TAGS = ["Microshare", "simulated", "people"] as const;
/** Daily totals reset at UTC midnight; a real site would use its own zone and reset hour. */
const TIMEZONE = "Etc/UTC";

/** One element of the ground truth: the group's tags and the line exactly as a view returns it. */
export interface PeopleCounterGroupLine {
  tags: readonly string[];
  line: Record<string, unknown>;
}

/** The 24-hex record id of a people-counter line, unique per (room, period). */
export function peopleCounterRecordId(seed: number, room: Room, slot: number): string {
  return objectIdHex((slot * SLOT_MS) / 1000, seed, Salt.record, room.index, slot);
}

/**
 * The aggregated line of one room for the 15-minute period starting at `slot * 15 min`.
 * `change` is the period's delta and `daily_total` the running total since UTC midnight,
 * including this period; count = max(0, in − out), traffic = in + out, raw_count = in − out.
 */
export function peopleCounterLine(
  seed: number,
  model: OccupancyModel,
  room: Room,
  slot: number,
): Record<string, unknown> {
  const c = model.counts(room, slot);
  const timeMs = slot * SLOT_MS;
  const dayStartMs = Math.floor(slot / SLOTS_PER_DAY) * SLOTS_PER_DAY * SLOT_MS;
  const time = new Date(timeMs).toISOString();
  const totalCount = Math.max(0, c.cumIn - c.cumOut);
  const device: LocationTags = room.tags;
  return {
    time,
    record: peopleCounterRecordId(seed, room, slot),
    change: {
      in: c.in,
      out: c.out,
      count: Math.max(0, c.in - c.out),
      traffic: c.in + c.out,
      raw_count: c.in - c.out,
      elapsed: { minutes: 15 },
      missing_records: 0,
      num_devices: 1,
    },
    daily_total: {
      in: c.cumIn,
      out: c.cumOut,
      count: totalCount,
      traffic: c.cumIn + c.cumOut,
      raw_count: c.cumIn - c.cumOut,
      date: time.slice(0, 10),
      hour: new Date(timeMs).getUTCHours(),
      percent_capacity: Math.round((100 * totalCount) / room.capacity),
      reset_time: new Date(dayStartMs).toISOString(),
      timezone: TIMEZONE,
    },
    meta: {
      capacity: room.capacity,
      device: [...device],
      global: [...PEOPLE_COUNTER_GLOBAL_TAGS],
      reset_hour: 0,
      tag_depth: 3,
      timezone: TIMEZONE,
    },
  };
}
