import { MicroshareSimulator } from "../src/local/microshare/microshareSimulator.js";
import type { OutboundEvent } from "../src/model/outboundEvent.js";
import { lineIdentity } from "../src/operators/lineIdentity.js";
import { PEOPLE_COUNTER_RECTYPE as RECTYPE } from "../src/pipelines/peopleCounter.js";

export interface LayoutArgs {
  readonly buildings: number;
  readonly roomsPerBuilding: number;
  /** The simulator's first instant with data (ISO), as the scenario's world used. */
  readonly dataStart: string;
  /** Read window [from, to) in ms, the one the pipeline read. */
  readonly from: number;
  readonly to: number;
}

/**
 * The events the pipeline would send, built ahead of time from the simulator's ground truth (same
 * seed, same layout) in the pipeline's event shape: same bodies, sizes, ids and properties. The
 * simulator is only used as a data generator here; nothing connects to it.
 */
export async function prebuiltEvents(layout: LayoutArgs): Promise<Map<string, OutboundEvent[]>> {
  const sim = await MicroshareSimulator.start({
    buildings: layout.buildings,
    floorsPerBuilding: 1,
    roomsPerFloor: layout.roomsPerBuilding,
    dataStart: new Date(layout.dataStart),
  });
  try {
    const byBuilding = new Map<string, OutboundEvent[]>();
    for (const building of sim.buildings) {
      const lines = sim.peopleCounterLines(building, new Date(layout.from), new Date(layout.to));
      byBuilding.set(
        building,
        lines.map((l) => {
          const time = String(l.line.time);
          const record = typeof l.line.record === "string" ? l.line.record : time;
          return {
            id: lineIdentity(RECTYPE, l.tags, new Date(time).toISOString(), record),
            partitionKey: building,
            time: new Date(time),
            body: { ...l.line, recType: RECTYPE, _location_tags: l.tags },
            properties: { recType: RECTYPE, pipeline: "peoplecounter", location: building },
          };
        }),
      );
    }
    return byBuilding;
  } finally {
    await sim.close();
  }
}

/** Cuts the per-building lists so that exactly `count` events remain in total (the pipeline's count). */
export function trimTo(byBuilding: Map<string, OutboundEvent[]>, count: number): number {
  let total = [...byBuilding.values()].reduce((n, list) => n + list.length, 0);
  for (const list of [...byBuilding.values()].reverse()) {
    if (total <= count) break;
    const drop = Math.min(list.length, total - count);
    list.splice(0, drop);
    total -= drop;
  }
  return total;
}
