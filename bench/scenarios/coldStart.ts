import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import { BUILT_CLI, BUNDLE_WITHOUT_LOADER, runMeasured, tsNode } from "../processes.js";
import { median, round, samples, type ScenarioResult } from "../results.js";
import { baseEnv, World } from "../world.js";

export interface ColdStartOptions {
  readonly buildings: number;
  readonly rooms: number;
  /** Runs of each entry; the median is reported. */
  readonly repeat: number;
}

/**
 * A cron-style `--once` run with nothing new to fetch, timed as a whole process (Node start
 * included). The first run settles the look-back; the next ones are measured, alternating the
 * production entry (dist/cli.mjs: Node's compile cache on, where the runtime has one) and the
 * bundle without it, side by side. Also the time from spawn to the first Microshare request,
 * which every `--once` pays before any work. Node alone and Node with the TypeScript loader are
 * timed too, to show how much of the start is not ours.
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
    const runs: { entry: number; bundle: number; startup: number }[] = [];
    let events = 0;
    let viewCalls = 0;
    let peakRssMb = 0;
    for (let i = 0; i < options.repeat; i++) {
      const run = await runPipelineOnce({ env, timeoutInMs: 120_000 });
      expectSettled("cold-start", run);
      const sim = await world.simStats();
      events += await world.eventsOnEveryHub();
      viewCalls = sim.view;
      peakRssMb = Math.max(peakRssMb, run.peakRssMb);
      await world.resetStats();
      const bundle = await runPipelineOnce({ env, timeoutInMs: 120_000, entry: BUNDLE_WITHOUT_LOADER });
      expectSettled("cold-start (bundle without the loader)", bundle);
      await world.resetStats();
      runs.push({
        entry: run.wallSeconds,
        bundle: bundle.wallSeconds,
        startup: (sim.firstStartedAt - run.spawnedAt) / 1000,
      });
    }
    const entry = runs.map((r) => r.entry);
    const nodeOnly = await runMeasured(["node", "-e", "0"], { env: baseEnv(), timeoutInMs: 30_000 });
    const withLoader = await runMeasured(tsNode("bench/children/empty.ts"), {
      env: baseEnv(),
      timeoutInMs: 30_000,
    });
    return {
      name: "cold-start",
      events,
      wallSeconds: round(median(entry)),
      eventsPerSecond: 0,
      peakRssMb: round(peakRssMb, 0),
      settlingRunEvents: before,
      viewCalls,
      wallSecondsRuns: samples(entry),
      withoutCompileCacheSeconds: round(median(runs.map((r) => r.bundle))),
      startupSeconds: round(median(runs.map((r) => r.startup))),
      nodeVersion: process.version,
      nodeAloneSeconds: round(nodeOnly.wallSeconds),
      nodeWithTsxSeconds: round(withLoader.wallSeconds),
      entry: `node ${BUILT_CLI}`,
    };
  } finally {
    await world.close();
  }
}
