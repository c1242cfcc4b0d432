import { runFloor } from "../floorProcess.js";
import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import { rate, round, type ScenarioResult } from "../results.js";
import { World } from "../world.js";

export interface ThroughputOptions {
  readonly buildings: number;
  readonly days: number;
  readonly rooms: number;
  /** Directory for a `--cpu-prof` profile of the pipeline process; none when undefined. */
  readonly profileDir: string | undefined;
}

const HOURS = 3_600_000;
const SETTLE_DELAY_MS = 5 * 60_000;

/**
 * A 7-day back-fill with no added latency to two hubs, against the floor: the same number of
 * events, pre-built, sent by the SDK alone to the same two hubs.
 */
export async function throughput(options: ThroughputOptions): Promise<ScenarioResult> {
  const hubs = ["hub1", "hub2"];
  const world = await World.start({
    scenario: "throughput",
    buildings: options.buildings,
    days: options.days,
    roomsPerBuilding: options.rooms,
    latencyMs: 0,
    hubs,
  });
  try {
    const startedAt = Date.now();
    const run = await runPipelineOnce({
      env: world.pipelineEnv(),
      timeoutInMs: 900_000,
      ...(options.profileDir === undefined
        ? {}
        : { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`] }),
    });
    expectSettled("throughput", run);
    const totals = await world.hubTotals();
    // What reached every hub (as World.eventsOnEveryHub counts it), from the same answer.
    const events = Math.min(...hubs.map((h) => totals[h]?.eventsAccepted ?? 0));
    // The simulator's own count of the lines in the range the run read: more events on a hub
    // than that are resends (a try that timed out but had reached the hub), fewer are losses.
    const truth = await world.minViewCalls(
      run.spawnedAt - options.days * 24 * HOURS,
      run.spawnedAt - SETTLE_DELAY_MS,
    );
    const sim = await world.simStats();
    await world.restartHubs();
    const floor = await runFloor({
      buildings: options.buildings,
      roomsPerBuilding: options.rooms,
      dataStart: world.dataStart.toISOString(),
      from: startedAt - options.days * 24 * HOURS,
      to: startedAt - SETTLE_DELAY_MS,
      hubs: Object.fromEntries(hubs.map((h) => [h, world.connectionString(h)])),
      events,
    });
    const floorOnHubs = await world.eventsOnEveryHub();
    return {
      name: "throughput",
      events,
      wallSeconds: round(run.wallSeconds),
      eventsPerSecond: rate(events, run.wallSeconds),
      peakRssMb: round(run.peakRssMb, 0),
      hubs: hubs.length,
      viewCalls: sim.view,
      lines: truth.lines,
      eventsPerHub: hubs.map((h) => totals[h]?.eventsAccepted ?? 0).join("/"),
      hubConnections: hubs.map((h) => totals[h]?.connectionsOpened ?? 0).join("/"),
      floorSeconds: round(floor.sendSeconds),
      floorEventsPerSecond: rate(floor.events, floor.sendSeconds),
      floorComplete: floorOnHubs === floor.events,
      ratioToFloor: round(run.wallSeconds / floor.sendSeconds),
    };
  } finally {
    await world.close();
  }
}
