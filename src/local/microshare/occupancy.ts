import { Salt, hash, unit } from "./hash.js";
import type { Room } from "./topology.js";

export const SLOT_MS = 15 * 60_000;
export const SLOTS_PER_DAY = 96;
const DAY_MS = 86_400_000;
/** Enough for every room of a large building set over a few days; ~6 MB at most. */
const MAX_CACHED_DAYS = 4096;

/** Columns of a day table, one row per 15-minute slot. */
const IN = 0;
const OUT = 1;
const CUM_IN = 2;
const CUM_OUT = 3;
const WIDTH = 4;

export interface SlotCounts {
  in: number;
  out: number;
  cumIn: number;
  cumOut: number;
}

/** Office-like occupancy fraction at a UTC hour of day: morning arrival, lunch dip, evening departure. */
function officeCurve(hour: number): number {
  if (hour < 7 || hour >= 19.5) return 0;
  if (hour < 9.5) return (hour - 7) / 2.5;
  if (hour < 12) return 1;
  if (hour < 13.5) return 0.6;
  if (hour < 16.5) return 0.95;
  return Math.max(0, (19.5 - hour) / 3) * 0.95;
}

/**
 * Per-room occupancy model. Occupancy follows a seeded target each slot; the in/out of a slot
 * move occupancy to the target plus some churn (people passing both ways), so that
 * `cumIn − cumOut` is the occupancy and never negative. Totals reset at UTC midnight, which
 * is why a slot's daily totals need the day's earlier slots: days are computed whole and cached.
 */
export class OccupancyModel {
  private readonly cache = new Map<number, Int32Array>();

  constructor(private readonly seed: number) {}

  counts(room: Room, slot: number): SlotCounts {
    const table = this.day(room, Math.floor(slot / SLOTS_PER_DAY));
    const row = (slot - Math.floor(slot / SLOTS_PER_DAY) * SLOTS_PER_DAY) * WIDTH;
    return {
      in: table[row + IN] ?? 0,
      out: table[row + OUT] ?? 0,
      cumIn: table[row + CUM_IN] ?? 0,
      cumOut: table[row + CUM_OUT] ?? 0,
    };
  }

  /** People present at the end of a slot. */
  occupancyAfter(room: Room, slot: number): number {
    const c = this.counts(room, slot);
    return c.cumIn - c.cumOut;
  }

  private day(room: Room, day: number): Int32Array {
    // Room indexes stay far below 2^20 and day numbers below 2^31 / 2^20 for millennia.
    const key = day * 1_048_576 + room.index;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const table = this.computeDay(room, day);
    this.cache.set(key, table);
    if (this.cache.size > MAX_CACHED_DAYS) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return table;
  }

  private computeDay(room: Room, day: number): Int32Array {
    const seed = this.seed;
    const table = new Int32Array(SLOTS_PER_DAY * WIDTH);
    const weekday = new Date(day * DAY_MS).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const roomFactor = 0.3 + 0.6 * unit(seed, Salt.roomFactor, room.index, 0);
    const dayFactor = (weekend ? 0.1 : 0.7) + 0.3 * unit(seed, Salt.dayFactor, room.index, day);
    let occupancy = 0;
    let cumIn = 0;
    let cumOut = 0;
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const slot = day * SLOTS_PER_DAY + i;
      const curve = officeCurve((i + 1) / 4);
      const noise = 0.8 + 0.4 * unit(seed, Salt.occupancy, room.index, slot);
      const target = Math.min(
        room.capacity,
        Math.round(room.capacity * roomFactor * dayFactor * curve * noise),
      );
      const churn = curve > 0 ? hash(seed, Salt.churn, room.index, slot) % 4 : 0;
      const delta = target - occupancy;
      const slotIn = Math.max(0, delta) + churn;
      const slotOut = Math.max(0, -delta) + churn;
      occupancy = target;
      cumIn += slotIn;
      cumOut += slotOut;
      const row = i * WIDTH;
      table[row + IN] = slotIn;
      table[row + OUT] = slotOut;
      table[row + CUM_IN] = cumIn;
      table[row + CUM_OUT] = cumOut;
    }
    return table;
  }
}
