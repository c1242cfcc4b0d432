import { DAY } from "../model/time.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lastValueFrom, NEVER, toArray } from "rxjs";
import { loadConfig } from "../config/loadConfig.js";
import { openRuntime } from "../runtime/openRuntime.js";
import { runPipeline } from "../engine/runPipeline.js";
import { formatSummary, type TickSummary } from "../engine/tickSummary.js";
import { LocalEventHubs } from "../local/eventhubs/localEventHubs.js";
import { MicroshareSimulator } from "../local/microshare/microshareSimulator.js";
import { standInEnvironment } from "../local/standInEnvironment.js";
import { componentLogger } from "../observability/logger.js";
import { peopleCounter } from "../pipelines/peopleCounter.js";
import { snapshot } from "../pipelines/snapshot.js";

const HUBS = ["internal", "client"] as const;

/**
 * `npm run demo`: the whole product on this machine with no accounts and no Docker. Starts the
 * Microshare simulator and the local Event Hubs endpoint in-process, runs `peoplecounter` and
 * `snapshot` once each over the last simulated day with the embedded file store, prints what
 * reached each hub and checks it against the simulator's own data. Exits 0 when every line
 * reached every hub exactly once.
 */
async function runDemo(): Promise<number> {
  const logger = componentLogger("demo");
  const now = Date.now();
  const sim = await MicroshareSimulator.start({
    buildings: 3,
    floorsPerBuilding: 2,
    roomsPerFloor: 2,
    dataStart: new Date(now - 2 * DAY),
  });
  const hubs = await LocalEventHubs.start({ hubs: HUBS });
  const stateDir = await mkdtemp(join(tmpdir(), "microshare-demo-"));
  try {
    const config = loadConfig({
      ...standInEnvironment(sim, hubs),
      STATE_DIR: stateDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    });
    logger.info(
      `Microshare simulator at ${sim.url} (${sim.buildings.join(", ")}); Event Hubs endpoint on port ${hubs.port} (${HUBS.join(", ")}); state in ${stateDir}`,
    );
    const runtime = await openRuntime(config, logger);
    const summaries: TickSummary[] = [];
    try {
      for (const definition of [peopleCounter, snapshot]) {
        const run = runPipeline(definition, runtime, {
          once: true,
          dedupe: true,
          owner: "demo",
          stop$: NEVER,
        });
        for (const summary of await lastValueFrom(run.pipe(toArray()))) {
          summaries.push(summary);
          logger.info(formatSummary(summary));
        }
      }
    } finally {
      await runtime.close();
    }
    return report(sim, hubs, summaries, now);
  } finally {
    await Promise.allSettled([sim.close(), hubs.close(), rm(stateDir, { recursive: true, force: true })]);
  }
}

function report(
  sim: MicroshareSimulator,
  hubs: LocalEventHubs,
  summaries: readonly TickSummary[],
  now: number,
): number {
  const window = {
    from: new Date(now - peopleCounter.windows.initialLookbackInMs),
    to: new Date(now - peopleCounter.windows.settleDelayInMs),
  };
  const expected = sim.buildings.reduce(
    (n, b) => n + sim.peopleCounterLines(b, window.from, window.to).length,
    0,
  );
  let ok = summaries.every((s) => s.error === undefined && Object.keys(s.failedLocations).length === 0);
  console.log("\nWhat reached each hub:");
  for (const hub of HUBS) {
    const received = hubs.received(hub);
    const pc = received.filter((e) => e.applicationProperties.pipeline === "peoplecounter");
    const snap = received.filter((e) => e.applicationProperties.pipeline === "snapshot");
    const distinct = new Set(pc.map((e) => e.messageId)).size;
    const complete = pc.length === expected && distinct === expected;
    ok &&= complete && snap.length > 0;
    console.log(
      `  ${hub.padEnd(9)} peoplecounter ${pc.length} events (${distinct} distinct; simulator holds ${expected}) ${complete ? "OK" : "MISMATCH"}, snapshot ${snap.length} building responses`,
    );
  }
  const sample = hubs.received(HUBS[0]).find((e) => e.applicationProperties.pipeline === "peoplecounter");
  if (sample !== undefined)
    console.log(
      `\nA people-counter event as delivered:\n${JSON.stringify(sample.body, null, 2).slice(0, 1200)}`,
    );
  console.log(
    ok ? "\nDemo OK: every line reached every hub exactly once." : "\nDemo FAILED: see the mismatches above.",
  );
  return ok ? 0 : 1;
}

runDemo().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
