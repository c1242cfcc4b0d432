import {
  catchError,
  finalize,
  takeWhile,
  concat,
  EMPTY,
  ignoreElements,
  concatMap,
  defer,
  forkJoin,
  from,
  map,
  mergeMap,
  of,
  reduce,
  tap,
  type Observable,
} from "rxjs";
import { timeWindow, type TimeWindow } from "../model/timeWindow.js";
import type { Location } from "../sources/microshare/deviceLocations.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "./pipelineDefinition.js";
import type { SourceLine } from "../operators/sourceLine.js";
import { LeaseLostError, processUnit, type UnitDependencies } from "./processUnit.js";
import { ReadAhead } from "./readAhead.js";
import { addOutcome, emptySummary, type TickSummary } from "./tickSummary.js";
import type { UnitOutcome } from "./unitOutcome.js";
import { cutWindows, planWindows } from "./windowPlanner.js";

export interface TickOptions {
  /** The tick's "now" (ms). */
  readonly now: number;
  /** Re-read this range for every location instead of planning from watermarks (--from/--to). */
  readonly range?: TimeWindow;
  /**
   * Cut the range at each location's watermark (a back-fill of one hub): what lies after it is
   * the normal ticks' to send, to every hub, the new one included; sending it now would send it twice.
   */
  readonly rangeUpToWatermark?: boolean;
  /**
   * Locations processed at once. Default: twice the Microshare concurrency, so that while some
   * locations deliver and settle, others keep every request slot busy (the request limiter
   * still caps calls in flight at MICROSHARE_CONCURRENCY).
   */
  readonly locationConcurrency?: number;
  readonly onProgress?: (progress: TickProgress) => void;
  /**
   * Emits to drain: no new unit starts, units in flight finish and settle, and the tick ends
   * with what it settled (the rest is read on the next start). A back-fill tick can run for
   * minutes; without this a SIGTERM would wait for all of it or cut it mid-send.
   */
  readonly stop$?: Observable<unknown>;
}

export interface TickProgress {
  readonly plannedWindows: number;
  readonly doneWindows: number;
  readonly events: number;
}

/**
 * One tick of a pipeline: discover locations, plan each location's windows from its watermark,
 * then read → dedupe → deliver → settle every unit. A location's windows run oldest first and
 * its chain stops at its first failure (its watermark cannot pass a window that did not settle);
 * other locations carry on. Emits one summary; never errors (a tick that cannot run at all
 * reports `error`), except when the lease was lost, which must stop the process.
 */
export function runTick(
  definition: PipelineDefinition,
  context: PipelineContext,
  deps: Omit<UnitDependencies, "deliveredMarginInMs">,
  options: TickOptions,
): Observable<TickSummary> {
  return defer(() => {
    let stopping = false;
    const stopWatch = options.stop$?.subscribe(() => (stopping = true));
    const startedAt = new Date(options.now);
    let summary = emptySummary(definition.name, startedAt, deps.sink.hubNames);
    const unitDeps: UnitDependencies = { ...deps, deliveredMarginInMs: 24 * 3_600_000 };
    const incomplete: Record<string, string> = {};
    const tickContext: PipelineContext = {
      ...context,
      onIncomplete: (unit, reason) => {
        incomplete[unit.location] ??= reason;
        context.onIncomplete?.(unit, reason);
      },
    };
    return forkJoin([
      definition.locations(context),
      from(deps.store.watermarks(definition.name)),
      from(deps.store.resumeFrom(definition.name)),
    ]).pipe(
      concatMap(([locations, watermarks, resumeFrom]) => {
        const plans = locations.map((location) => ({
          location,
          units: planUnits(definition, location, watermarks.get(location.name), resumeFrom, options),
        }));
        const planned = plans.reduce((n, p) => n + p.units.length, 0);
        summary = { ...summary, locations: locations.length, windows: { ...summary.windows, planned } };
        return from(plans).pipe(
          mergeMap(
            ({ location, units }) =>
              concat(
                recordStart(deps, definition.name, watermarks.get(location.name), units, options),
                processLocation(definition, tickContext, unitDeps, units, () => stopping),
              ),
            options.locationConcurrency ?? 2 * context.config.microshare.concurrency,
          ),
          reduce((s, outcome) => {
            const next = addOutcome(s, outcome);
            options.onProgress?.({
              plannedWindows: planned,
              doneWindows: next.windows.settled + next.windows.failed,
              events: next.events,
            });
            return next;
          }, summary),
        );
      }),
      catchError((error: unknown) => {
        if (error instanceof LeaseLostError) throw error;
        return of({ ...summary, error: describe(error) });
      }),
      map((s) => ({
        ...s,
        finishedAt: new Date().toISOString(),
        ...(Object.keys(incomplete).length > 0 ? { incompleteLocations: { ...incomplete } } : {}),
      })),
      tap((s) => context.logger.debug("tick finished", { summary: s })),
      finalize(() => stopWatch?.unsubscribe()),
    );
  });
}

function planUnits(
  definition: PipelineDefinition,
  location: Location,
  watermark: Date | undefined,
  resumeFrom: Date | undefined,
  options: TickOptions,
): WorkUnit[] {
  const windows =
    options.range === undefined
      ? planWindows(watermark, options.now, definition.windows, resumeFrom)
      : cutWindows(
          options.range.from.getTime(),
          options.rangeUpToWatermark === true && watermark !== undefined
            ? Math.min(options.range.to.getTime(), watermark.getTime())
            : options.range.to.getTime(),
          definition.windows.lengthInMs,
        );
  return windows.map((window) => ({
    pipeline: definition.name,
    location: location.name,
    window,
    advancesWatermark: options.range === undefined,
  }));
}

/**
 * A location seen for the first time gets its starting point recorded before anything is read
 * (an empty settlement ending where its first window starts). Without it, a location that
 * fails on its first tick would be planned again from a later "now − initial lookback", and
 * the time in between would never be read.
 */
function recordStart(
  deps: Omit<UnitDependencies, "deliveredMarginInMs">,
  pipeline: string,
  watermark: Date | undefined,
  units: readonly WorkUnit[],
  options: TickOptions,
): Observable<never> {
  const first = units[0];
  if (watermark !== undefined || first === undefined || options.range !== undefined) return EMPTY;
  const start = first.window.from.getTime();
  return from(
    deps.store.settleWindow({
      pipeline,
      location: first.location,
      window: timeWindow(start - 1, start),
      delivered: [],
      deliveredUntil: new Date(start),
      ...(deps.lease === undefined ? {} : { fence: deps.lease }),
    }),
  ).pipe(
    map((result) => {
      if (result === "fenced") throw new LeaseLostError(pipeline);
    }),
    ignoreElements(),
  );
}

/**
 * A location's units, oldest first: each settles before the next is delivered, and the chain
 * stops at the first failure. The next unit's lines are read while the current one is
 * delivered and settled (one window ahead, no more), so a location does not leave its request
 * slot idle during delivery; a read-ahead whose unit will not run (a failure, a stop) is
 * cancelled, aborting its requests.
 */
function processLocation(
  definition: PipelineDefinition,
  context: PipelineContext,
  deps: UnitDependencies,
  units: readonly WorkUnit[],
  stopping: () => boolean,
): Observable<UnitOutcome> {
  let failed = false;
  let ahead: { readonly unit: WorkUnit; readonly read: ReadAhead<SourceLine> } | undefined;
  const cancelAhead = (): void => {
    ahead?.read.cancel();
    ahead = undefined;
  };
  return from(units).pipe(
    takeWhile(() => !stopping()),
    concatMap((unit, index) => {
      if (stopping() || failed) {
        cancelAhead();
        return stopping()
          ? EMPTY
          : of<UnitOutcome>({
              state: "failed",
              unit,
              error: { name: "Skipped", message: "an earlier window of this location failed" },
            });
      }
      // The current unit's read is started first, so it is ahead of its read-ahead in the
      // request queue.
      const current = ahead?.unit === unit ? ahead.read : readNow(definition, context, unit);
      const next = units[index + 1];
      ahead = next === undefined ? undefined : { unit: next, read: readNow(definition, context, next) };
      return processUnit(definition, context, deps, unit, current.values).pipe(
        catchError((error: unknown) => {
          if (error instanceof LeaseLostError) throw error;
          failed = true;
          cancelAhead();
          context.logger.warn(
            `${unit.pipeline}/${unit.location}: window failed, watermark held: ${describe(error)}`,
          );
          const outcome: UnitOutcome = {
            state: "failed",
            unit,
            error: { name: error instanceof Error ? error.name : "Error", message: describe(error) },
          };
          return of(outcome);
        }),
      );
    }),
    finalize(cancelAhead),
  );
}

function readNow(
  definition: PipelineDefinition,
  context: PipelineContext,
  unit: WorkUnit,
): ReadAhead<SourceLine> {
  return new ReadAhead(defer(() => definition.lines(context, unit)));
}

function describe(error: unknown): string {
  if (
    error !== null &&
    typeof error === "object" &&
    "describe" in error &&
    typeof error.describe === "function"
  ) {
    return String((error as { describe: () => unknown }).describe());
  }
  return error instanceof Error ? error.message : String(error);
}
