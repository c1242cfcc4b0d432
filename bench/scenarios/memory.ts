import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import { peakRssOf } from "../processes.js";
import { rate, round, type ScenarioResult } from "../results.js";
import { World } from "../world.js";

export interface MemoryOptions {
  /** Buildings of the reference run and of the large run (7 days, `rooms` rooms each). */
  readonly smallBuildings: number;
  readonly largeBuildings: number;
  readonly days: number;
  readonly rooms: number;
}

interface MemoryRun {
  readonly events: number;
  readonly wallSeconds: number;
  readonly peakRssMb: number;
  readonly hubsPeakRssMb: number;
}

async function backfill(buildings: number, options: MemoryOptions): Promise<MemoryRun> {
  const world = await World.start({
    scenario: "memory",
    buildings,
    days: options.days,
    roomsPerBuilding: options.rooms,
    latencyMs: 0,
    hubs: ["hub1"],
  });
  try {
    const run = await runPipelineOnce({ env: world.pipelineEnv(), timeoutInMs: 1_800_000 });
    expectSettled("memory", run);
    return {
      events: await world.eventsOnEveryHub(),
      wallSeconds: run.wallSeconds,
      peakRssMb: run.peakRssMb,
      hubsPeakRssMb: await peakRssOf(world.hubsService.pid),
    };
  } finally {
    await world.close();
  }
}

/**
 * Peak RSS of a large back-fill and its growth over a small one: memory must be bounded by what
 * is in flight (windows × concurrency), not by the size of the back-fill.
 */
export async function memory(options: MemoryOptions): Promise<ScenarioResult> {
  const small = await backfill(options.smallBuildings, options);
  const large = await backfill(options.largeBuildings, options);
  return {
    name: "memory",
    events: large.events,
    wallSeconds: round(large.wallSeconds),
    eventsPerSecond: rate(large.events, large.wallSeconds),
    peakRssMb: round(large.peakRssMb, 0),
    smallEvents: small.events,
    smallPeakRssMb: round(small.peakRssMb, 0),
    growthPercent: round((100 * (large.peakRssMb - small.peakRssMb)) / small.peakRssMb, 1),
    hubsProcessPeakRssMb: round(large.hubsPeakRssMb, 0),
  };
}
