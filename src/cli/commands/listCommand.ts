import { HOUR, MINUTE } from "../../model/time.js";
import { PIPELINES } from "../../pipelines/registry.js";

function every(ms: number): string {
  return ms % HOUR === 0 ? `every ${ms / HOUR} h` : `every ${ms / MINUTE} min`;
}

/** `list`: the pipelines with recType and schedule (no configuration needed). */
export function listCommand(args: { json: boolean }): number {
  const rows = PIPELINES.map((p) => ({
    name: p.name,
    recType: p.recType,
    schedule: every(p.schedule.everyInMs),
    windowMinutes: p.windows.lengthInMs / MINUTE,
    description: p.description,
  }));
  if (args.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  for (const r of rows)
    console.log(
      `${r.name.padEnd(14)} ${r.schedule.padEnd(14)} ${r.recType}\n${"".padEnd(15)}${r.description}`,
    );
  return 0;
}
