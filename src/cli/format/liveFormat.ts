import type { LiveStatus } from "../../runtime/liveStatus.js";
import { formatTime } from "./durations.js";
import { table } from "./table.js";

/** `status`'s live section: what only the running daemon knows (breakers, leadership, tick). */
export function formatLive(live: LiveStatus): string[] {
  const lines = ["", `live (daemon pid ${live.pid}, ${formatTime(live.generatedAt)})`];
  if (!live.stateStore.answers)
    lines.push(
      `  the daemon's state store does not answer (${live.stateStore.error ?? "failed"}): its watermarks and DLQ depths are ${live.stateStore.lastReadAt === null ? "unknown" : `as of ${formatTime(live.stateStore.lastReadAt)}`}`,
    );
  lines.push(
    ...table(
      ["pipeline", "leader", "tick in progress"],
      live.pipelines.map((p) => [
        p.pipeline,
        p.leader ? "yes" : "no",
        p.tick === undefined
          ? "-"
          : `${p.tick.doneWindows}/${p.tick.plannedWindows} windows, ${p.tick.events} events`,
      ]),
      "  ",
    ),
  );
  lines.push(
    ...table(
      ["hub", "breaker", "paused"],
      live.hubs.map((h) => [
        h.hub,
        h.breaker.state === "open"
          ? `open until ${formatTime(new Date(h.breaker.until).toISOString())}`
          : h.breaker.state,
        h.paused ? "yes" : "no",
      ]),
      "  ",
    ),
  );
  return lines;
}
