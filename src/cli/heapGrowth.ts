import { setFlagsFromString } from "node:v8";

/**
 * How far V8 may grow the old generation past what the last full GC left alive: 100 % means to
 * twice the live heap. Left to itself V8 picks up to 4× when allocation is fast, and a back-fill
 * allocates fast (a few KB of short-lived strings and buffers per event) while its live heap
 * stays small (about 30 MB: windows in flight, bounded by concurrency). Measured with
 * `npm run bench -- --only memory`: peak RSS of a 1M-event back-fill 255 → about 195 MB, for
 * about 5 % more CPU (garbage collection 15 → 19 % of a throughput profile; wall times within
 * the run-to-run noise).
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * The flag to apply, or undefined when node runs with the operator's own growth
 * (`node --heap-growing-percent=0 dist/cli.mjs` restores V8's; Node refuses the flag in
 * NODE_OPTIONS, so only the command line can carry it). A ceiling such as
 * `NODE_OPTIONS=--max-old-space-size=<MB>` is a separate setting and keeps the cap: without it
 * the heap would again grow toward the ceiling.
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  const given = execArgv
    .map((arg) => arg.split("=")[0]!.replaceAll("_", "-"))
    .some((name) => name === "--heap-growing-percent");
  return given ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Applied at start-up of the CLI only (a long-running process we own), never by the library or
 * the Functions entry, whose host process is not ours to tune. V8 reads this flag at every full
 * GC, so setting it after start takes effect; a V8 that ignored it would only use more memory.
 */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag !== undefined) setFlagsFromString(flag);
}
