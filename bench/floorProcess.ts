import type { FloorArgs, FloorResult } from "./floor.js";
import { runMeasured, tsNode } from "./processes.js";

/** Runs `floor.ts` in its own process and returns what it measured. */
export async function runFloor(args: FloorArgs): Promise<FloorResult> {
  const result = await runMeasured(tsNode("bench/floor.ts").concat(JSON.stringify(args)), {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" },
    timeoutInMs: 600_000,
  });
  if (result.code !== 0)
    throw new Error(`floor exited with ${String(result.code)}: ${result.stderr.slice(-2000)}`);
  const line = result.stdout.trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(line) as FloorResult;
}
