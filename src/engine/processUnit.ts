import { concatMap, defer, distinct, map, tap, type Observable } from "rxjs";
import { dedupeDelivered } from "../operators/dedupeDelivered.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { Lease, StateStore } from "../state/stateStore.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "./pipelineDefinition.js";
import type { UnitOutcome } from "./unitOutcome.js";
import type { UnitSink } from "./unitSink.js";

export interface UnitDependencies {
  readonly store: StateStore;
  readonly sink: UnitSink;
  /** When set, the commit is refused unless this lease is still ours. */
  readonly lease?: Lease;
  /** Skip the delivered-set check (a forced re-send). */
  readonly dedupe: boolean;
  /** Extra time delivered ids are remembered beyond the lookback (clock skew, slow ticks). */
  readonly deliveredMarginInMs: number;
  /**
   * Where delivered ids are looked up and recorded: the pipeline itself (default), or, for a
   * back-fill of one hub alone, a scope of that hub's own (`deliveredScope`), so what it sends
   * there is not taken as delivered to the other hubs, and a re-run sends nothing twice to it.
   */
  readonly dedupeScope?: string;
}

/** The delivered-ids scope of a back-fill sent to `hub` only (`pipeline --hub`). */
export function deliveredScope(pipeline: string, hub: string): string {
  return `${pipeline}@${hub}`;
}

/**
 * Reads, dedupes, shapes and delivers one unit, then settles it: the delivered ids and the
 * watermark are committed together, and only after the sink reported that EVERY hub either
 * acknowledged or dead-lettered every batch. An error anywhere before the commit leaves the
 * watermark where it was, so the window is read again (at-least-once, never at-most-once).
 * `read` is the unit's lines when they are already being read (read-ahead); by default they
 * are read on subscribe.
 */
export function processUnit(
  definition: PipelineDefinition,
  context: PipelineContext,
  deps: UnitDependencies,
  unit: WorkUnit,
  read: Observable<SourceLine> = defer(() => definition.lines(context, unit)),
): Observable<UnitOutcome> {
  return defer(() => {
    const keys: string[] = [];
    let fetched = 0;
    let duplicates = 0;
    let lines = read.pipe(
      tap(() => (fetched += 1)),
      // A key seen twice within one unit (a server repeating a line across pages) is sent once.
      distinct((line) => line.key),
    );
    if (deps.dedupe) {
      lines = lines.pipe(
        dedupeDelivered({
          store: deps.store,
          pipeline: deps.dedupeScope ?? unit.pipeline,
          location: unit.location,
          onDuplicates: (n) => (duplicates += n),
        }),
      );
    }
    return lines.pipe(
      tap((line) => keys.push(line.key)),
      definition.events(context),
      deps.sink.deliver({ pipeline: unit.pipeline, location: unit.location, window: unit.window }),
      concatMap(async (report) => {
        const scoped = deps.dedupeScope !== undefined && deps.dedupeScope !== unit.pipeline;
        const settled = await deps.store.settleWindow({
          pipeline: deps.dedupeScope ?? unit.pipeline,
          location: unit.location,
          window: unit.window,
          delivered: keys,
          // Kept for the lookback (plus a margin) from whichever is later, the window or now:
          // after a long stop the first tick re-reads a lookback of time whose ids must still be known.
          deliveredUntil: new Date(
            Math.max(Date.now(), unit.window.to.getTime()) +
              definition.windows.lateLookbackInMs +
              deps.deliveredMarginInMs,
          ),
          // A scope has no watermark and no lease of its own to fence with; the pipeline's lease,
          // still renewed around this run, stops it if another instance takes over.
          advanceWatermark: unit.advancesWatermark && !scoped,
          ...(deps.lease === undefined || scoped ? {} : { fence: deps.lease }),
        });
        if (settled === "fenced") {
          throw new LeaseLostError(unit.pipeline);
        }
        return report;
      }),
      map((report): UnitOutcome => ({
        state: "settled",
        unit,
        fetched,
        duplicates,
        events: report.events,
        hubs: report.hubs.map((h) => ({
          hub: h.hub,
          acknowledged: h.acknowledgedEvents,
          deadLettered: h.deadLetteredEvents,
        })),
      })),
    );
  });
}

/** The lease was taken over by another instance: this one must stop committing. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
  constructor(pipeline: string) {
    super(
      `another instance took over pipeline ${pipeline}'s lease; this instance stopped committing and will not overwrite its state`,
    );
  }
}
