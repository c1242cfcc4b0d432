import type { DlqHubOverview } from "../../dlq/dlqOverview.js";
import { formatTime } from "./durations.js";
import { table } from "./table.js";

/** `dlq list` on a terminal: one row per hub, then each hub's error reasons with counts. */
export function formatDlqList(pipeline: string, hubs: readonly DlqHubOverview[]): string[] {
  const lines = [`dead letters of ${pipeline}`];
  lines.push(
    ...table(
      ["hub", "queued", "in-flight", "parked", "events", "oldest", "newest"],
      hubs.map((h) => [
        h.hub,
        String(h.depth.queued),
        String(h.depth.inFlight),
        String(h.depth.parked),
        String(h.events),
        formatTime(h.oldest),
        formatTime(h.newest),
      ]),
      "  ",
    ),
  );
  for (const h of hubs) {
    if (h.reasons.length === 0) continue;
    lines.push("", `  ${h.hub}: reasons`);
    for (const r of h.reasons) lines.push(`    ${String(r.count).padStart(5)} × ${r.reason}`);
  }
  if (hubs.every((h) => h.depth.queued + h.depth.inFlight + h.depth.parked === 0))
    lines.push("", "  no dead letters");
  return lines;
}
