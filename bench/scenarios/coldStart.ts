import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import { BUILT_CLI, runMeasured, tsNode } from "../processes.js";
import { round, type ScenarioResult } from "../results.js";
import { baseEnv, World } from "../world.js";

export interface ColdStartOptions {
  readonly buildings: number;
  readonly rooms: number;
}

/**
 * A cron-style `--once` run with nothing new to fetch, timed as a whole process (Node start
 * included). The first run settles the look-back; the second is the one measured. Node alone and
 * Node with the TypeScript loader are timed too, to show how much of the start is not ours.
 */
export async function coldStart(options: ColdStartOptions): Promise<ScenarioResult> {
  const world = await World.start({
    scenario: "coldstart",
    buildings: options.buildings,
    days: 1,
    roomsPerBuilding: options.rooms,
    latencyMs: 0,
    hubs: ["hub1", "hub2"],
  });
  try {
    const env = world.pipelineEnv({ INITIAL_LOOKBACK: "3h" });
    expectSettled("cold-start (settling run)", await runPipelineOnce({ env, timeoutInMs: 120_000 }));
    const before = await world.eventsOnEveryHub();
    await world.resetStats();
    const run = await runPipelineOnce({ env, timeoutInMs: 120_000 });
    expectSettled("cold-start", run);
    const sim = await world.simStats();
    const events = await world.eventsOnEveryHub();
    const nodeOnly = await runMeasured(["node", "-e", "0"], { env: baseEnv(), timeoutInMs: 30_000 });
    const withLoader = await runMeasured(tsNode("bench/children/empty.ts"), {
      env: baseEnv(),
      timeoutInMs: 30_000,
    });
    return {
      name: "cold-start",
      events,
      wallSeconds: round(run.wallSeconds),
      eventsPerSecond: 0,
      peakRssMb: round(run.peakRssMb, 0),
      settlingRunEvents: before,
      viewCalls: sim.view,
      nodeAloneSeconds: round(nodeOnly.wallSeconds),
      nodeWithTsxSeconds: round(withLoader.wallSeconds),
      entry: `node ${BUILT_CLI}`,
    };
  } finally {
    await world.close();
  }
}
