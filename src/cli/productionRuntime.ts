/**
 * How production starts the CLI: `MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
 * node --max-semi-space-size=8 dist/cli.mjs …` (the image's ENV and ENTRYPOINT). Neither can be
 * set from inside the process: V8 sizes its young generation when the isolate starts, and glibc
 * reads its malloc settings before the first allocation. So only the command line and the
 * environment the process starts with carry them (`.env` is read too late).
 *
 * Why (measured side by side with `npm run bench -- --only memory`, 2 cores, 2026-12-03):
 * - A back-fill allocates fast, so V8 grows each of its two semi-spaces to the 16 MB maximum
 *   and keeps them resident. At 8 MB: the 1M-event peak 230-239 → 217-219 MB, wall times
 *   within the noise (94-97 s either way). At 4 MB the scavenges start to cost (a 100k
 *   back-fill 11 → 15 s). Its price: with any `--max-semi-space-size` node loads the bundle
 *   about 50 ms slower (`dist/cli.mjs --version` 0.44 → 0.50 s), once per process.
 * - Every batch sent is encoded into buffers that double up to the batch size (about 1 MB).
 *   glibc raises its mmap threshold to the largest block freed, so after the first batch those
 *   buffers come from the heap, which they fragment and which is rarely returned. Fixed
 *   thresholds of 128 KB keep big buffers in mmap (returned on free) and trim the heap's top:
 *   with the 8 MB semi-spaces, the 1M-event peak 198-222 → 178-188 MB in that pair of series,
 *   wall 93-100 s against 100-101 s; 202, 203 and 212 MB in three later runs with both.
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_TRIM_THRESHOLD_: "131072",
};
