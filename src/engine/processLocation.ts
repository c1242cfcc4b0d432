import {
  catchError,
  concatMap,
  defer,
  EMPTY,
  finalize,
  from,
  map,
  merge,
  mergeMap,
  of,
  takeUntil,
  tap,
  type Observable,
} from "rxjs";
import { fromAbortable } from "../abort/fromAbortable.js";
import type { SourceLine } from "../operators/sourceLine.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "./pipelineDefinition.js";
import {
  commitUnit,
  deliverUnit,
  LeaseLostError,
  type DeliveredUnit,
  type UnitDependencies,
} from "./processUnit.js";
import { ReadAhead } from "./readAhead.js";
import { SettledPrefix } from "./settledPrefix.js";
import type { UnitOutcome } from "./unitOutcome.js";
import { describeError } from "./describeError.js";
import type { Slots } from "../concurrency/slots.js";
import { PIPELINE_FAILURE } from "../model/failure.js";
import { windowLengthInMs } from "../model/timeWindow.js";
import type { DensityEstimate } from "./windowSizing.js";

/** A unit let into delivery (with its lines being read), or skipped, with its place in the location's order. */
type Admitted = { readonly index: number } & (
  | { readonly kind: "admitted"; readonly unit: WorkUnit; readonly read: ReadAhead<SourceLine> }
  | { readonly kind: "skipped"; readonly outcome: UnitOutcome }
);

type Delivered = { readonly index: number } & (
  | { readonly kind: "delivered"; readonly delivered: DeliveredUnit }
  | { readonly kind: "failed"; readonly outcome: UnitOutcome }
);

/**
 * A location's units, oldest first:
 *
 *   admit (in order) → deliver (several at once) → commit (in order of completion, watermark in order)
 *
 * A unit is admitted once the previous one was read in full and the fastest hub is done with the
 * previous one (the sink's DeliverySequence): a slow or stalled hub takes the units at its own
 * pace, or spills them to its DLQ, and never holds a healthy hub back. The next unit's lines are
 * read while the current one is delivered (one window ahead, no more). Each unit's ids are
 * committed as soon as every hub settled it; the watermark moves only over an unbroken run of
 * committed units (`SettledPrefix`). The first failure stops admitting (later units are reported
 * as skipped); units already in flight finish and commit their ids. `stop$` stops admitting
 * too, without reporting the rest (they are read on the next start).
 *
 * `reading` bounds the locations a tick works on at once: a location holds a slot from its first
 * admission until the fastest hub has taken its last unit, not while a slower hub still works
 * through its units, so a stalled hub never keeps the other locations from being read and sent
 * to the healthy hubs (what it holds is bounded by the sink's HubBacklogs).
 */
export function processLocation(
  definition: PipelineDefinition,
  context: PipelineContext,
  deps: UnitDependencies,
  units: readonly WorkUnit[],
  stop$: Observable<unknown>,
  reading: Slots,
  density?: DensityEstimate,
): Observable<UnitOutcome> {
  const sequence = deps.sink.sequence();
  let releaseSlot: (() => void) | undefined;
  const prefix = new SettledPrefix(units);
  let failed = false;
  let previousRead: Promise<boolean> = Promise.resolve(true);
  let ahead: { readonly unit: WorkUnit; readonly read: ReadAhead<SourceLine> } | undefined;
  const cancelAhead = (): void => {
    ahead?.read.cancel();
    ahead = undefined;
  };

  const holdSlot = (): Observable<unknown> =>
    fromAbortable((abortSignal) => reading.acquire(abortSignal)).pipe(
      tap((release) => (releaseSlot = release)),
    );

  // Each step is an Observable, so a stop (`takeUntil` below) cancels an admission wherever it
  // waits (a reading slot, the previous read, room on the fastest hub) and starts nothing after.
  const admit = (unit: WorkUnit, index: number): Observable<Admitted> =>
    (index === 0 ? holdSlot() : of(undefined)).pipe(
      concatMap(() => previousRead),
      concatMap((readInFull) => {
        // A unit whose read failed has sent nothing; the ones after it must not be sent either.
        if (!readInFull) failed = true;
        return failed ? of(undefined) : from(sequence.room());
      }),
      map((): Admitted => {
        if (failed) {
          releaseSlot?.();
          cancelAhead();
          prefix.failed(index);
          return { index, kind: "skipped", outcome: skipped(unit) };
        }
        // The current unit's read is started first, so it is ahead of its read-ahead in the
        // request queue.
        const read = ahead?.unit === unit ? ahead.read : readNow(definition, context, unit);
        const next = units[index + 1];
        ahead = next === undefined ? undefined : { unit: next, read: readNow(definition, context, next) };
        previousRead = read.ended;
        return { index, kind: "admitted", unit, read };
      }),
    );

  const deliver = (admitted: Admitted): Observable<Delivered> => {
    if (admitted.kind === "skipped")
      return of({ index: admitted.index, kind: "failed", outcome: admitted.outcome });
    const { unit, read } = admitted;
    const delivery = deliverUnit(definition, context, deps, unit, read.values, sequence).pipe(
      map((delivered): Delivered => ({ index: admitted.index, kind: "delivered", delivered })),
      catchError((error: unknown) => of(failure(admitted.index, unit, error))),
    );
    if (admitted.index < units.length - 1) return delivery;
    // The last unit: the location gives its reading slot back once the fastest hub has taken
    // it (subscribed after the delivery, so the unit is already placed on every hub). Not at the
    // end of the read: with every hub slow, locations would pile up in delivery unbounded.
    return merge(
      delivery,
      defer(() => {
        void sequence.room().then(() => releaseSlot?.());
        return EMPTY;
      }),
    );
  };

  const commit = (result: Delivered): Observable<UnitOutcome> => {
    if (result.kind === "failed") return of(result.outcome);
    const advanceTo = prefix.advanceTo(result.index);
    // What the window held resizes the location's next windows (this tick's are planned; the
    // estimate is stored with this commit for the next tick, and for a restart).
    density?.observe(result.delivered.fetched, windowLengthInMs(result.delivered.unit.window));
    return defer(() => commitUnit(definition, deps, result.delivered, advanceTo, density?.linesPerHour)).pipe(
      map((outcome) => {
        prefix.committed(result.index, advanceTo);
        return outcome;
      }),
      catchError((error: unknown) => {
        const { outcome } = failure(result.index, result.delivered.unit, error);
        return of(outcome);
      }),
    );
  };

  const failure = (index: number, unit: WorkUnit, error: unknown): Delivered & { kind: "failed" } => {
    if (error instanceof LeaseLostError) throw error;
    failed = true;
    prefix.failed(index);
    cancelAhead();
    const message = describeError(error);
    context.logger.warn(`${unit.pipeline}/${unit.location}: window failed, watermark held: ${message}`);
    return {
      index,
      kind: "failed",
      outcome: {
        state: "failed",
        unit,
        error: { name: error instanceof Error ? error.name : "Error", message },
      },
    };
  };

  return from(units).pipe(
    concatMap(admit),
    // Draining: no unit is admitted after a stop; the admitted ones deliver and commit.
    takeUntil(stop$),
    // Admissions over (all admitted, or stopped): a read ahead of a unit not admitted is dropped.
    finalize(cancelAhead),
    // Bounded by admission: a unit waits for room on the fastest hub before it gets here.
    mergeMap(deliver),
    concatMap(commit),
    finalize(() => {
      cancelAhead();
      releaseSlot?.();
    }),
  );
}

function skipped(unit: WorkUnit): UnitOutcome {
  return {
    state: "failed",
    unit,
    error: { name: PIPELINE_FAILURE.skipped, message: "an earlier window of this location failed" },
  };
}

function readNow(
  definition: PipelineDefinition,
  context: PipelineContext,
  unit: WorkUnit,
): ReadAhead<SourceLine> {
  return new ReadAhead(defer(() => definition.lines(context, unit)));
}
