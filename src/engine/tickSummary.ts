import { EXIT } from "../model/exitCodes.js";
import type { UnitOutcome } from "./unitOutcome.js";

/** What one tick did: the figures an operator (and `--once`'s exit code) needs. */
export interface TickSummary {
  readonly pipeline: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly locations: number;
  readonly windows: { readonly planned: number; readonly settled: number; readonly failed: number };
  readonly fetched: number;
  readonly duplicatesSkipped: number;
  readonly events: number;
  readonly hubs: Readonly<Record<string, { readonly acknowledged: number; readonly deadLettered: number }>>;
  /** Locations whose watermark was held back by a failure, with the first error. */
  readonly failedLocations: Readonly<Record<string, string>>;
  /** Windows delivered but possibly incomplete (the view's limit), per location: the first reason. */
  readonly incompleteLocations?: Readonly<Record<string, string>>;
  /** The tick could not run at all (locations unreadable, lease lost …). */
  readonly error?: string;
}

export function emptySummary(pipeline: string, startedAt: Date, hubNames: readonly string[]): TickSummary {
  return {
    pipeline,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    locations: 0,
    windows: { planned: 0, settled: 0, failed: 0 },
    fetched: 0,
    duplicatesSkipped: 0,
    events: 0,
    hubs: Object.fromEntries(hubNames.map((h) => [h, { acknowledged: 0, deadLettered: 0 }])),
    failedLocations: {},
  };
}

/** Folds one unit's outcome into the summary (pure). */
export function addOutcome(summary: TickSummary, outcome: UnitOutcome): TickSummary {
  if (outcome.state === "failed") {
    const location = outcome.unit.location;
    return {
      ...summary,
      windows: { ...summary.windows, failed: summary.windows.failed + 1 },
      failedLocations: {
        ...summary.failedLocations,
        [location]: summary.failedLocations[location] ?? `${outcome.error.name}: ${outcome.error.message}`,
      },
    };
  }
  const hubs = { ...summary.hubs };
  for (const h of outcome.hubs) {
    const before = hubs[h.hub] ?? { acknowledged: 0, deadLettered: 0 };
    hubs[h.hub] = {
      acknowledged: before.acknowledged + h.acknowledged,
      deadLettered: before.deadLettered + h.deadLettered,
    };
  }
  const location = outcome.unit.location;
  const incomplete =
    outcome.incomplete === undefined || summary.incompleteLocations?.[location] !== undefined
      ? {}
      : { incompleteLocations: { ...summary.incompleteLocations, [location]: outcome.incomplete } };
  return {
    ...summary,
    ...incomplete,
    windows: { ...summary.windows, settled: summary.windows.settled + 1 },
    fetched: summary.fetched + outcome.fetched,
    duplicatesSkipped: summary.duplicatesSkipped + outcome.duplicates,
    events: summary.events + outcome.events,
    hubs,
  };
}

/** The exit code of `pipeline --once` for this tick (schedulers read it; see EXIT). */
export function exitCodeOf(summary: TickSummary): number {
  if (summary.error !== undefined) return EXIT.failure;
  if (Object.keys(summary.failedLocations).length > 0) return EXIT.locationsFailed;
  if (Object.keys(summary.incompleteLocations ?? {}).length > 0) return EXIT.incomplete;
  if (Object.values(summary.hubs).some((h) => h.deadLettered > 0)) return EXIT.deadLettered;
  return EXIT.ok;
}

/** The log level a summary deserves: an operator at LOG_LEVEL=warn still sees every problem. */
export function summaryLevel(summary: TickSummary): "error" | "warn" | "info" {
  const code = exitCodeOf(summary);
  if (code === EXIT.failure) return "error";
  return code === EXIT.ok ? "info" : "warn";
}

/**
 * The summary as log fields (under `tick` in JSON logs), so a log shipper filters and charts
 * ticks without parsing the line: pipeline, exit code, events, windows, per-hub outcome.
 */
export function summaryFields(s: TickSummary): Record<string, unknown> {
  return {
    pipeline: s.pipeline,
    exitCode: exitCodeOf(s),
    durationSeconds: (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000,
    locations: s.locations,
    windows: s.windows,
    fetched: s.fetched,
    duplicatesSkipped: s.duplicatesSkipped,
    events: s.events,
    hubs: s.hubs,
    failedLocations: s.failedLocations,
    ...(s.incompleteLocations === undefined ? {} : { incompleteLocations: s.incompleteLocations }),
    ...(s.error === undefined ? {} : { error: s.error }),
  };
}

/** One readable line for logs. */
export function formatSummary(s: TickSummary): string {
  const seconds = (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000;
  const hubs = Object.entries(s.hubs)
    .map(
      ([hub, h]) =>
        `${hub}: ${h.acknowledged} acked${h.deadLettered > 0 ? `, ${h.deadLettered} dead-lettered` : ""}`,
    )
    .join("; ");
  const failed = Object.keys(s.failedLocations);
  return (
    `${s.pipeline}: ${s.windows.settled}/${s.windows.planned} windows over ${s.locations} locations, ` +
    `${s.events} events (${s.fetched} read, ${s.duplicatesSkipped} duplicates skipped) in ${seconds.toFixed(1)} s` +
    (hubs === "" ? "" : ` | ${hubs}`) +
    (failed.length > 0 ? ` | failed locations: ${failed.join(", ")}` : "") +
    (Object.keys(s.incompleteLocations ?? {}).length > 0
      ? ` | possibly incomplete: ${Object.entries(s.incompleteLocations ?? {})
          .map(([location, reason]) => `${location} (${reason})`)
          .join(", ")}`
      : "") +
    (s.error === undefined ? "" : ` | error: ${s.error}`)
  );
}
