import type { EntryPreview } from "../../dlq/entryPreview.js";
import type { FoundDeadLetter } from "../../dlq/findDeadLetter.js";
import { formatTime } from "./durations.js";

/** `dlq show` on a terminal: the entry's facts, then its first events with cut bodies. */
export function formatEntry(found: FoundDeadLetter, preview: EntryPreview): string[] {
  const where = `${found.which} #${found.index}`;
  if (preview.state === "corrupt") {
    return [
      `corrupt entry (${where}): it cannot be replayed; inspect it, then purge it`,
      `  reason: ${preview.reason}`,
      `  stored text: ${preview.raw}`,
    ];
  }
  const lines = [
    `entry ${preview.id} (${where})`,
    `  pipeline:  ${preview.pipeline}`,
    `  hub:       ${preview.hub}`,
    `  location:  ${preview.location}`,
    `  window:    ${formatTime(preview.window.from)} .. ${formatTime(preview.window.to)}`,
    `  error:     ${preview.error}`,
    `  attempts:  ${preview.attempts} sends by the pipeline, ${preview.replayAttempts} failed replays`,
    `  failed:    first ${formatTime(preview.firstFailedAt)}, last ${formatTime(preview.lastFailedAt)}`,
    `  events:    ${preview.eventCount}${preview.eventCount > preview.events.length ? ` (first ${preview.events.length} shown)` : ""}`,
  ];
  for (const [i, e] of preview.events.entries()) {
    const props = Object.entries(e.properties)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(" ");
    lines.push(
      `  [${i + 1}] id=${e.id} time=${formatTime(e.time)} partitionKey=${e.partitionKey}`,
      `      ${props}`,
      `      ${e.body}`,
    );
  }
  return lines;
}
