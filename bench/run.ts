import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, stopAll } from "./processes.js";
import { formatSummary, newestMainThreadProfile, summariseFile } from "./profileSummary.js";
import { formatTable, formatTargets, type ScenarioResult } from "./results.js";
import { coldStart } from "./scenarios/coldStart.js";
import { isolation } from "./scenarios/isolation.js";
import { latencyBackfill } from "./scenarios/latencyBackfill.js";
import { memory } from "./scenarios/memory.js";
import { replay } from "./scenarios/replay.js";
import { throughput } from "./scenarios/throughput.js";
import { setBenchWindowLength } from "./world.js";
import { setExtraNodeFlags } from "./processes.js";

const USAGE = `npm run bench -- [--json] [--only throughput,latency-backfill,latency-backfill-dense,memory,cold-start,replay,isolation] [--profile]
  sizes (the defaults are the issue's full sizes; the suite takes about 270 s on 2 cores):
  --rooms 3                       rooms per building (one floor); 96 lines per room per day
  --tp-buildings 200 --tp-days 7  throughput (≈ buildings × rooms × days × 96 events: ~400k)
  --lat-buildings 50 --lat-days 3 --latency-ms 100 --concurrency 4
  --dense-buildings 10 --dense-rooms 12   latency-backfill-dense: buildings whose day exceeds the view limit
  --window-length 24h             fixed windows (WINDOW_LENGTH) instead of density-sized ones, to compare
  --node-flags=--max-semi-space-size=16   node flags (space-separated; after "=") added to every pipeline/replay run, to compare
  --mem-small 50 --mem-large 500 --mem-days 7     memory (buildings of the two runs: ~100k and ~1M events)
  --cold-buildings 10             cold start
  --replay-buildings 50 --replay-days 7            (~100k events)
  --iso-buildings 20 --iso-days 3                  isolation (two hubs, one stalled; ~17k events)
  --repeat 3                      latency-backfill runs and replay/floor pairs; the median is reported
  --profile                       throughput/latency runs under node --cpu-prof; prints where the last one's time goes
  a quick run: --tp-buildings 60 --lat-buildings 20 --mem-small 10 --mem-large 50 --replay-buildings 10 --iso-buildings 8`;

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    "node-flags": { type: "string" },
    help: { type: "boolean", default: false },
    rooms: { type: "string", default: "3" },
    "tp-buildings": { type: "string", default: "200" },
    "tp-days": { type: "string", default: "7" },
    "lat-buildings": { type: "string", default: "50" },
    "lat-days": { type: "string", default: "3" },
    "latency-ms": { type: "string", default: "100" },
    "dense-buildings": { type: "string", default: "10" },
    "dense-rooms": { type: "string", default: "12" },
    "window-length": { type: "string" },
    concurrency: { type: "string", default: "4" },
    "mem-small": { type: "string", default: "50" },
    "mem-large": { type: "string", default: "500" },
    "mem-days": { type: "string", default: "7" },
    "cold-buildings": { type: "string", default: "10" },
    "replay-buildings": { type: "string", default: "50" },
    "replay-days": { type: "string", default: "7" },
    "iso-buildings": { type: "string", default: "20" },
    "iso-days": { type: "string", default: "3" },
    repeat: { type: "string", default: "3" },
  },
  strict: true,
});

function int(name: keyof typeof values): number {
  const raw = values[name];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive integer, got "${String(raw)}"`);
  return n;
}

const SCENARIOS = [
  "throughput",
  "latency-backfill",
  "latency-backfill-dense",
  "memory",
  "cold-start",
  "replay",
  "isolation",
] as const;
type ScenarioName = (typeof SCENARIOS)[number];

async function runScenario(name: ScenarioName, profileDir: string | undefined): Promise<ScenarioResult> {
  const rooms = int("rooms");
  switch (name) {
    case "throughput":
      return throughput({ buildings: int("tp-buildings"), days: int("tp-days"), rooms, profileDir });
    case "latency-backfill":
    case "latency-backfill-dense":
      return latencyBackfill({
        name,
        buildings: int(name === "latency-backfill" ? "lat-buildings" : "dense-buildings"),
        days: int("lat-days"),
        rooms: name === "latency-backfill" ? rooms : int("dense-rooms"),
        latencyMs: int("latency-ms"),
        concurrency: int("concurrency"),
        repeat: int("repeat"),
        profileDir,
      });
    case "memory":
      return memory({
        smallBuildings: int("mem-small"),
        largeBuildings: int("mem-large"),
        days: int("mem-days"),
        rooms,
      });
    case "cold-start":
      return coldStart({ buildings: int("cold-buildings"), rooms, repeat: Math.max(5, int("repeat")) });
    case "replay":
      return replay({
        buildings: int("replay-buildings"),
        days: int("replay-days"),
        rooms,
        repeat: int("repeat"),
      });
    case "isolation":
      return isolation({
        buildings: int("iso-buildings"),
        days: int("iso-days"),
        rooms,
        latencyMs: int("latency-ms"),
      });
  }
}

function selected(): ScenarioName[] {
  if (values.only === undefined) return [...SCENARIOS];
  return values.only.split(",").map((raw) => {
    const name = SCENARIOS.find((s) => s === raw.trim());
    if (name === undefined) throw new Error(`unknown scenario "${raw}"; known: ${SCENARIOS.join(", ")}`);
    return name;
  });
}

async function main(): Promise<number> {
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const names = selected();
  setBenchWindowLength(values["window-length"]);
  setExtraNodeFlags(values["node-flags"]);
  // The pipeline runs from its production build; build it so the figures are of this source.
  if (!values.json) console.error("# building (npm run build) …");
  execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const profileDir = values.profile ? await mkdtemp(join(tmpdir(), "microshare-bench-prof-")) : undefined;
  const started = Date.now();
  const results: ScenarioResult[] = [];
  let failed = false;
  for (const name of names) {
    if (!values.json) console.error(`# ${name} …`);
    try {
      const result = await runScenario(name, profileDir);
      results.push(result);
      if (values.json) console.log(JSON.stringify(result));
    } catch (error) {
      failed = true;
      console.error(`# ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!values.json) {
    console.log(`# ${new Date().toISOString()}, nproc ${cpus().length}, node ${process.version}`);
    console.log(formatTable(results));
    console.log(formatTargets(results));
    console.log(`# suite: ${Math.round((Date.now() - started) / 1000)} s`);
  }
  if (profileDir !== undefined) {
    const file = await newestMainThreadProfile(profileDir);
    if (file !== undefined) {
      const out = values.json ? console.error : console.log;
      out(`# ${file}`);
      out(formatSummary(await summariseFile(file)));
    }
  }
  return failed ? 1 : 0;
}

// Children are stopped on every way out: normal end, failure, Ctrl-C.
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  void stopAll().then(() => process.exit(130));
});
main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  })
  .then(async (code) => {
    await stopAll();
    process.exitCode = code;
  });
