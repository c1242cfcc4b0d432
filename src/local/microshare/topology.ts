import { Salt, hash, objectIdHex } from "./hash.js";

export type LocationTags = readonly [building: string, floor: string, room: string];

export interface Room {
  /** Global index across all buildings; part of every hash key so rooms never share data. */
  index: number;
  building: string;
  tags: LocationTags;
  capacity: number;
  deviceId: string;
}

export interface Topology {
  buildings: readonly string[];
  /** Every room, building by building, each building's rooms sorted by tags. */
  rooms: readonly Room[];
  roomsOf(building: string): readonly Room[];
}

export interface SimulatorIds {
  peopleCounterClusterId: string;
  snapshotClusterId: string;
  peopleCounterViewId: string;
  snapshotViewId: string;
}

/** "Building A" … "Building Z", then "Building 27", "Building 28", … */
export function buildingName(index: number): string {
  return index < 26 ? `Building ${String.fromCharCode(65 + index)}` : `Building ${index + 1}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

export function compareTags(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function buildTopology(
  seed: number,
  buildings: number,
  floorsPerBuilding: number,
  roomsPerFloor: number,
  roomsPerFloorByBuilding: readonly number[] = [],
): Topology {
  const names: string[] = [];
  const rooms: Room[] = [];
  const byBuilding = new Map<string, Room[]>();
  const pad = Math.max(2, String(Math.max(roomsPerFloor, ...roomsPerFloorByBuilding)).length);
  let index = 0;
  for (let b = 0; b < buildings; b++) {
    const building = buildingName(b);
    names.push(building);
    const own: Room[] = [];
    const roomsHere = roomsPerFloorByBuilding[b] ?? roomsPerFloor;
    for (let f = 1; f <= floorsPerBuilding; f++) {
      for (let r = 1; r <= roomsHere; r++) {
        const deviceHex = index.toString(16).padStart(8, "0").toUpperCase();
        own.push({
          index,
          building,
          tags: [building, `${ordinal(f)} Floor`, `Room ${f}${String(r).padStart(pad, "0")}`],
          capacity: 10 + (hash(seed, Salt.capacity, index, 0) % 51),
          deviceId: `00-04-A3-0B-${deviceHex.match(/../g)?.join("-") ?? deviceHex}`,
        });
        index++;
      }
    }
    own.sort((x, y) => compareTags(x.tags, y.tags));
    byBuilding.set(building, own);
    rooms.push(...own);
  }
  return { buildings: names, rooms, roomsOf: (building) => byBuilding.get(building) ?? [] };
}

/** Fixed per seed, so a restarted simulator keeps the ids a user pasted into .env. */
export function simulatorIds(seed: number): SimulatorIds {
  const id = (k: number): string => objectIdHex(0x65a00000 + k, seed, Salt.ids, k, 0);
  return {
    peopleCounterClusterId: id(1),
    snapshotClusterId: id(2),
    peopleCounterViewId: id(3),
    snapshotViewId: id(4),
  };
}
