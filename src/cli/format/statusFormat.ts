import { exitCodeOf, formatSummary } from "../../engine/tickSummary.js";
import { asTickSummary, type PipelineStatus } from "../pipelineStatus.js";
import { formatDuration, formatTime } from "./durations.js";
import { table } from "./table.js";

export const BREAKER_NOTE =
  "circuit breakers live inside each running pipeline process; this separate process has none to show " +
  "(see the pipeline's logs, or `check` to probe every hub now)";

/** `status` on a terminal: per pipeline, locations with lag, the last tick, hubs and counters. */
export function formatStatus(
  store: string,
  pipelines: readonly PipelineStatus[],
  now: number,
  options: { readonly breakerNote: boolean } = { breakerNote: true },
): string[] {
  const lines = [`state store: ${store}`];
  for (const p of pipelines) {
    lines.push("", p.pipeline);
    if (p.locations.length === 0) lines.push("  no watermarks yet (the pipeline has not settled a window)");
    else
      lines.push(
        ...table(
          ["location", "watermark", "lag"],
          p.locations.map((l) => [l.location, formatTime(l.watermark), formatDuration(l.lagSeconds * 1000)]),
          "  ",
        ),
      );
    if (p.resumeFrom !== undefined)
      lines.push(`  resumes from ${formatTime(p.resumeFrom)} (set by migrate: nothing before it is read)`);
    const tick = asTickSummary(p.lastTick);
    if (p.lastTick === undefined) lines.push("  last tick: none recorded");
    else if (tick === undefined) lines.push("  last tick: (unreadable record)");
    else
      lines.push(
        `  last tick: ${formatTime(tick.finishedAt)} (${formatDuration(now - Date.parse(tick.finishedAt))} ago), exit code ${exitCodeOf(tick)}`,
        `    ${formatSummary(tick)}`,
      );
    if (p.hubs.length > 0)
      lines.push(
        ...table(
          ["hub", "state", "dlq queued", "in-flight", "parked"],
          p.hubs.map((h) => [
            h.hub,
            !h.configured ? "not configured" : h.paused ? "paused" : "active",
            String(h.dlq.queued),
            String(h.dlq.inFlight),
            String(h.dlq.parked),
          ]),
          "  ",
        ),
      );
    const counters = Object.entries(p.counters);
    lines.push(
      `  counters: ${counters.length === 0 ? "none" : counters.map(([k, v]) => `${k}=${v}`).join(" ")}`,
    );
  }
  if (options.breakerNote) lines.push("", `breakers: ${BREAKER_NOTE}`);
  return lines;
}
