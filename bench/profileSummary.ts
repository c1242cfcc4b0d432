import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The parts of a V8 `.cpuprofile` this summary reads. */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idlePercent: number;
  readonly top: readonly ProfileLine[];
  /** Self time per area: src/engine, src/sinks, node_modules/rhea, (gc), … */
  readonly byArea: readonly { area: string; selfMs: number; percent: number }[];
}

/** Shortens a script URL to what a reader recognises: `src/sinks/hubLane.ts`, `rhea/…`, `node:…`. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const src = url.indexOf("/src/");
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, "");
}

function areaOf(fn: string, url: string): string {
  if (url === "") return fn.startsWith("(") ? fn : "(native)";
  const short = shortUrl(url);
  if (short.startsWith("node:")) return short.split("/")[0] ?? short;
  if (short.startsWith("src/")) return short.split("/").slice(0, 2).join("/");
  if (short.startsWith("@")) return short.split("/").slice(0, 2).join("/");
  return short.split("/")[0] ?? short;
}

/** Self time per function (sample deltas attributed to the sampled node), top `limit`. */
export function summarise(profile: CpuProfile, limit = 25): ProfileSummary {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    if (id === undefined) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, { fn: string; where: string; us: number }>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const fn = functionName === "" ? "(anonymous)" : functionName;
    if (fn === "(idle)") idleUs += us;
    const where = url === "" ? "" : `${shortUrl(url)}:${lineNumber + 1}`;
    const key = `${fn}@${where}`;
    const entry = byFunction.get(key) ?? { fn, where, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const area = areaOf(fn, url);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const pct = (us: number): number => Math.round((1000 * us) / Math.max(1, totalUs)) / 10;
  return {
    totalMs: Math.round(totalUs / 1000),
    idlePercent: pct(idleUs),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, limit)
      .map((e) => ({ fn: e.fn, where: e.where, selfMs: Math.round(e.us / 1000), percent: pct(e.us) })),
    byArea: [...byArea]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), percent: pct(us) })),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [
    `profile: ${summary.totalMs} ms sampled, ${summary.idlePercent}% idle (waiting on I/O)`,
    "self time by area:",
    ...summary.byArea.map(
      (a) => `  ${String(a.percent).padStart(5)}%  ${String(a.selfMs).padStart(7)} ms  ${a.area}`,
    ),
    "top functions by self time:",
    ...summary.top.map(
      (t) => `  ${String(t.percent).padStart(5)}%  ${String(t.selfMs).padStart(7)} ms  ${t.fn}  ${t.where}`,
    ),
  ];
  return lines.join("\n");
}

/**
 * The main thread's profile of the newest process in a directory. Node writes one file per
 * thread (`CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`); thread 0 is the main thread, the
 * others are the TypeScript loader's worker.
 */
export async function newestMainThreadProfile(directory: string): Promise<string | undefined> {
  const files = (await readdir(directory)).filter((f) => /\.0\.\d+\.cpuprofile$/.test(f)).sort();
  const last = files.at(-1);
  return last === undefined ? undefined : join(directory, last);
}

export async function summariseFile(path: string, limit = 25): Promise<ProfileSummary> {
  return summarise(JSON.parse(await readFile(path, "utf8")) as CpuProfile, limit);
}

// `tsx bench/profileSummary.ts FILE_OR_DIR [limit]`: summarise an existing profile.
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "\0")) {
  const target = process.argv[2];
  if (target === undefined) {
    console.error("usage: tsx bench/profileSummary.ts <file.cpuprofile | directory> [limit]");
    process.exit(2);
  }
  const file = target.endsWith(".cpuprofile") ? target : await newestMainThreadProfile(target);
  if (file === undefined) throw new Error(`no .cpuprofile in ${target}`);
  console.log(file);
  console.log(formatSummary(await summariseFile(file, Number(process.argv[3] ?? 25))));
}
