import type { HubReplayOutcome } from "../../dlq/replayHub.js";
import { table } from "./table.js";

/** The summary `dlq replay` prints on a terminal: one row per hub, then why entries remain. */
export function formatReplay(
  pipeline: string,
  dryRun: boolean,
  outcomes: readonly HubReplayOutcome[],
): string[] {
  if (outcomes.length === 0) return [`${pipeline}: no dead letters to replay`];
  const lines = [`${dryRun ? "dry run: would replay" : "replayed"} dead letters of ${pipeline}`];
  const rows = outcomes.map((o) =>
    dryRun
      ? [
          o.hub,
          String(o.wouldReplay?.entries ?? 0),
          String(o.wouldReplay?.events ?? 0),
          String(o.before.parked),
        ]
      : [
          o.hub,
          String(o.replay?.replayedEntries ?? 0),
          String(o.replay?.replayedEvents ?? 0),
          String((o.replay?.requeued ?? 0) + (o.replay?.parked ?? 0)),
          String(o.after.queued + o.after.inFlight),
          String(o.after.parked),
        ],
  );
  const headers = dryRun
    ? ["hub", "entries", "events", "parked (not replayed)"]
    : ["hub", "entries", "events", "failed", "remaining", "parked"];
  lines.push(...table(headers, rows, "  "));
  for (const o of outcomes) {
    if (o.remainingBecause !== undefined && o.remainingBecause !== "dry run")
      lines.push(`  ${o.hub}: entries remain: ${o.remainingBecause}`);
    if (o.replay !== undefined && o.replay.recovered > 0)
      lines.push(
        `  ${o.hub}: ${o.replay.recovered} in-flight entries of an interrupted replay were recovered first`,
      );
    if (o.after.parked > 0)
      lines.push(
        `  ${o.hub}: ${o.after.parked} parked entries are not replayed (DLQ_MAX_ATTEMPTS failed replays, or unreadable); ` +
          `inspect with \`dlq show --name ${pipeline} --hub ${o.hub} --which parked\`, ` +
          `then \`dlq unpark --name ${pipeline} --hub ${o.hub}\` queues them again`,
      );
  }
  return lines;
}
