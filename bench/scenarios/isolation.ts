import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import type { RunResult } from "../processes.js";
import { deletePrefix } from "../redisPrefix.js";
import { rate, round, type ScenarioResult } from "../results.js";
import { World } from "../world.js";

export interface IsolationOptions {
  readonly buildings: number;
  readonly days: number;
  readonly rooms: number;
  readonly latencyMs: number;
}

interface IsolationRun {
  readonly run: RunResult;
  /** Spawn to the healthy hub's last accepted transfer. */
  readonly healthySeconds: number;
  readonly healthyEvents: number;
  /** From the run's summary line: what the stalled hub holds in its DLQ. */
  readonly stalledDeadLettered: number;
}

const HEALTHY = "healthy";
const STALLED = "stalled";

async function backfill(world: World): Promise<IsolationRun> {
  await world.resetStats();
  // The operator's defaults (EVENT_HUB_TIMEOUT, retries, breaker): what a stall costs in production.
  const run = await runPipelineOnce({ env: world.pipelineEnv(), timeoutInMs: 900_000 });
  expectSettled("isolation", run);
  const totals = await world.hubTotals();
  const healthy = totals[HEALTHY];
  if (healthy?.lastAcceptedAt === undefined) throw new Error("isolation: the healthy hub received nothing");
  const deadLettered = new RegExp(`${STALLED}: \\d+ acked, (\\d+) dead-lettered`).exec(run.stderr);
  return {
    run,
    healthySeconds: (healthy.lastAcceptedAt - run.spawnedAt) / 1000,
    healthyEvents: healthy.eventsAccepted,
    stalledDeadLettered: Number(deadLettered?.[1] ?? 0),
  };
}

/**
 * A multi-location back-fill to two hubs, once with both healthy and once with one hub that
 * accepts connections and never answers (the `stall` fault). What counts is the healthy hub's
 * completion (spawn to its last event): a stalled hub must not hold it back (target ratio ≤ 1.5).
 * Nothing may be lost: the healthy hub gets every event both times, and the stalled hub's DLQ
 * holds every event of the second run.
 */
export async function isolation(options: IsolationOptions): Promise<ScenarioResult> {
  const world = await World.start({
    scenario: "isolation",
    buildings: options.buildings,
    days: options.days,
    roomsPerBuilding: options.rooms,
    latencyMs: options.latencyMs,
    hubs: [HEALTHY, STALLED],
  });
  try {
    const alone = await backfill(world);
    await deletePrefix(world.redisPrefix);
    await world.hubsService.request("fault stalled=stall");
    const stalled = await backfill(world);
    await world.hubsService.request("clear-faults");
    return {
      name: "isolation",
      events: stalled.healthyEvents,
      wallSeconds: round(stalled.run.wallSeconds),
      eventsPerSecond: rate(stalled.healthyEvents, stalled.healthySeconds),
      peakRssMb: round(stalled.run.peakRssMb, 0),
      healthyAloneSeconds: round(alone.healthySeconds),
      healthyWithStalledSeconds: round(stalled.healthySeconds),
      ratio: round(stalled.healthySeconds / alone.healthySeconds),
      // The whole run with a stalled hub waits for its tries to time out and its batches to reach its DLQ.
      aloneWallSeconds: round(alone.run.wallSeconds),
      stalledDeadLettered: stalled.stalledDeadLettered,
      // Both 0 when nothing was lost: every event reached the healthy hub, and the stalled hub's DLQ.
      missingOnHealthy: alone.healthyEvents - stalled.healthyEvents,
      missingFromStalledDlq: alone.healthyEvents - stalled.stalledDeadLettered,
    };
  } finally {
    await world.close();
  }
}
