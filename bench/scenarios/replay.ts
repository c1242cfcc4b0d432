import type { HubReplayOutcome } from "../../src/dlq/replayHub.js";
import type { ReplaySummary } from "../../src/dlq/replayDeadLetters.js";
import { runFloor } from "../floorProcess.js";
import { expectSettled, runPipelineOnce } from "../pipelineProcess.js";
import { builtCli, type RunResult, runMeasured } from "../processes.js";
import { snapshotKeys } from "../redisPrefix.js";
import { median, rate, round, samples, type ScenarioResult } from "../results.js";
import { World } from "../world.js";

export interface ReplayOptions {
  readonly buildings: number;
  readonly days: number;
  readonly rooms: number;
  /** Replay and floor pairs; the median pair is reported. */
  readonly repeat: number;
}

const HOURS = 3_600_000;

interface ReplayPair {
  readonly run: RunResult;
  readonly events: number;
  readonly summary: ReplaySummary;
  readonly floorSeconds: number;
}

/** `dlq replay` as the operator runs it: from the production bundle, as a whole process. */
async function replayOnce(world: World, hub: string): Promise<Omit<ReplayPair, "floorSeconds">> {
  const run = await runMeasured(
    builtCli().concat(["dlq", "replay", "--name", "peoplecounter", "--hub", hub, "--json"]),
    { env: world.pipelineEnv(), timeoutInMs: 900_000 },
  );
  if (run.code !== 0) throw new Error(`replay exited with ${String(run.code)}: ${run.stderr.slice(-2000)}`);
  const answer = JSON.parse(run.stdout) as { drained: boolean; hubs: HubReplayOutcome[] };
  const summary = answer.hubs.find((h) => h.hub === hub)?.replay;
  if (summary === undefined || !answer.drained) throw new Error(`replay did not drain: ${run.stdout}`);
  return { run, events: await world.eventsOnEveryHub(), summary };
}

/**
 * Drains a DLQ to one hub: the pipeline fills it with the hub paused (every batch spooled), then
 * `dlq replay` re-drives it, run from the production bundle in its own process. Compared with
 * the floor for the same events to the same hub.
 */
export async function replay(options: ReplayOptions): Promise<ScenarioResult> {
  const hub = "hub1";
  const world = await World.start({
    scenario: "replay",
    buildings: options.buildings,
    days: options.days,
    roomsPerBuilding: options.rooms,
    latencyMs: 0,
    hubs: [hub],
  });
  try {
    const startedAt = Date.now();
    const fill = await runPipelineOnce({
      env: world.pipelineEnv({ EVENT_HUB_PAUSED: hub }),
      timeoutInMs: 900_000,
    });
    // 3: everything settled, some of it (here: all) in a dead-letter queue.
    expectSettled("replay (filling the DLQ)", fill, [3]);
    // Replay and floor alternate, each pair on fresh hubs; the median pair is reported (one
    // run's wall time varies by ±20 % on a shared 2-core machine). The DLQ is copied before the
    // first replay and put back before each further one.
    const restoreQueue = await snapshotKeys(world.redisPrefix, ":dlq");
    const pairs: ReplayPair[] = [];
    for (let i = 0; i < options.repeat; i++) {
      if (i > 0) await restoreQueue();
      await world.restartHubs();
      const replayed = await replayOnce(world, hub);
      await world.restartHubs();
      const floor = await runFloor({
        buildings: options.buildings,
        roomsPerBuilding: options.rooms,
        dataStart: world.dataStart.toISOString(),
        from: startedAt - options.days * 24 * HOURS,
        to: startedAt - 5 * 60_000,
        hubs: { [hub]: world.connectionString(hub) },
        events: replayed.events,
      });
      pairs.push({ ...replayed, floorSeconds: floor.sendSeconds });
    }
    const ratios = pairs.map((p) => p.run.wallSeconds / p.floorSeconds);
    const { run, events, summary, floorSeconds } = pairs[ratios.indexOf(median(ratios))] ?? pairs[0]!;
    return {
      name: "replay",
      events,
      wallSeconds: round(run.wallSeconds),
      eventsPerSecond: rate(events, run.wallSeconds),
      peakRssMb: round(run.peakRssMb, 0),
      entries: summary.replayedEntries,
      fillSeconds: round(fill.wallSeconds),
      stoppedBecause: summary.stoppedBecause ?? "drained",
      floorSeconds: round(floorSeconds),
      ratioToFloor: round(run.wallSeconds / floorSeconds),
      ratioToFloorRuns: samples(ratios),
    };
  } finally {
    await world.close();
  }
}
