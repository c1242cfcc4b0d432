import { connect, defer, identity, map, zip, type Observable } from "rxjs";
import { timeWindow } from "../model/timeWindow.js";
import { markDelivered } from "../operators/markDelivered.js";
import { markRepeats } from "../operators/markRepeats.js";
import { newLines } from "../operators/newLines.js";
import { tallyLines, type LineTally } from "../operators/tallyLines.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { Lease, StateStore } from "../state/stateStore.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "./pipelineDefinition.js";
import type { UnitOutcome } from "./unitOutcome.js";
import type { DeliverySequence } from "../sinks/deliverySequence.js";
import type { DeliveryReport } from "../sinks/deliveryReport.js";
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

/** A unit whose every event every hub acknowledged or holds in its DLQ, not yet committed. */
export interface DeliveredUnit extends LineTally {
  readonly unit: WorkUnit;
  readonly report: DeliveryReport;
}

/**
 * The path of one unit (location × window), read to delivered:
 *
 *   read → mark repeats → mark already delivered → [tally the lines | new lines → the pipeline's
 *   event operators → fan-out delivery] → the unit with its tally and delivery report
 *
 * It emits once the sink reported that EVERY hub either acknowledged or dead-lettered every
 * batch (`commitUnit` then records it); what the commit needs (ids, counts, truncation) is
 * counted from the lines themselves. An error anywhere leaves nothing committed, so the window
 * is read again (at-least-once, never at-most-once). `read` is the unit's lines when they are
 * already being read (read-ahead); by default they are read on subscribe. `sequence` orders the
 * location's units on every hub.
 */
export function deliverUnit(
  definition: PipelineDefinition,
  context: PipelineContext,
  deps: UnitDependencies,
  unit: WorkUnit,
  read: Observable<SourceLine> = defer(() => definition.lines(context, unit)),
  sequence?: DeliverySequence,
): Observable<DeliveredUnit> {
  const { pipeline, location, window } = unit;
  return read.pipe(
    markRepeats(),
    deps.dedupe
      ? markDelivered({ store: deps.store, pipeline: deps.dedupeScope ?? pipeline, location })
      : identity,
    connect((lines) =>
      zip(
        lines.pipe(tallyLines()),
        lines.pipe(
          newLines(),
          definition.events(context),
          deps.sink.deliver({ pipeline, location, window }, sequence),
        ),
      ),
    ),
    map(([tally, report]): DeliveredUnit => ({ unit, ...tally, report })),
  );
}

/**
 * Commits a delivered unit: its delivered ids and, when `advanceTo` is given, the watermark up to
 * that window's end (the unit's own, or a later one whose ids were committed before), together.
 * Refused when the lease is no longer ours (`LeaseLostError`).
 */
export async function commitUnit(
  definition: PipelineDefinition,
  deps: UnitDependencies,
  delivered: DeliveredUnit,
  advanceTo: WorkUnit | undefined,
  linesPerHour?: number,
): Promise<UnitOutcome> {
  const { unit, report } = delivered;
  const scoped = deps.dedupeScope !== undefined && deps.dedupeScope !== unit.pipeline;
  const settle = (window: WorkUnit["window"], keys: readonly string[], advance: boolean) =>
    deps.store.settleWindow({
      pipeline: deps.dedupeScope ?? unit.pipeline,
      location: unit.location,
      window,
      delivered: keys,
      // Kept for the lookback (plus a margin) from whichever is later, the window or now:
      // after a long stop the first tick re-reads a lookback of time whose ids must still be known.
      deliveredUntil: new Date(
        Math.max(Date.now(), window.to.getTime()) +
          definition.windows.lateLookbackInMs +
          deps.deliveredMarginInMs,
      ),
      // A scope has no watermark and no lease of its own to fence with; the pipeline's lease,
      // still renewed around this run, stops it if another instance takes over.
      advanceWatermark: advance && !scoped,
      // Kept with the watermark, so not in a one-hub back-fill's scope, which has none.
      ...(linesPerHour === undefined || scoped
        ? {}
        : { linesPerHour: Math.round(linesPerHour * 1000) / 1000 }),
      ...(deps.lease === undefined || scoped ? {} : { fence: deps.lease }),
    });
  const advance = advanceTo !== undefined && unit.advancesWatermark;
  // The stores move a watermark to the settled window's end: one atomic call records this unit's
  // ids and moves the watermark past the later units that were committed before it.
  const window = advance ? timeWindow(unit.window.from, advanceTo.window.to) : unit.window;
  const settled = await settle(window, delivered.delivered, advance);
  if (settled === "fenced") throw new LeaseLostError(unit.pipeline);
  return {
    state: "settled",
    unit,
    fetched: delivered.fetched,
    duplicates: delivered.duplicates,
    events: report.events,
    hubs: report.hubs,
    ...(delivered.incomplete === undefined ? {} : { incomplete: delivered.incomplete }),
  };
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
