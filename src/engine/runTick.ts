import { DAY } from "../model/time.js";
import {
  catchError,
  concat,
  concatMap,
  defer,
  EMPTY,
  finalize,
  forkJoin,
  from,
  ignoreElements,
  map,
  mergeMap,
  of,
  reduce,
  ReplaySubject,
  take,
  tap,
  type Observable,
} from "rxjs";
import { timeWindow, type TimeWindow } from "../model/timeWindow.js";
import type { Location } from "../sources/microshare/deviceLocations.js";
import type { PipelineContext, PipelineDefinition, WorkUnit } from "./pipelineDefinition.js";
import { Slots } from "../concurrency/slots.js";
import { describeError } from "./describeError.js";
import { processLocation } from "./processLocation.js";
import { LeaseLostError, type UnitDependencies } from "./processUnit.js";
import { addOutcome, emptySummary, type TickSummary } from "./tickSummary.js";
import { cutWindows, planWindows } from "./windowPlanner.js";
import { cutEvenly, DensityEstimate, knownDensity, windowLengthFor } from "./windowSizing.js";

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
   * Locations read at once. Default: the Microshare concurrency plus two, so that while some
   * locations deliver and settle, others keep every request slot busy (the request limiter
   * still caps calls in flight at MICROSHARE_CONCURRENCY). Not more: each location holds up to
   * two windows (the one delivered and the one read ahead), and density-sized windows hold up
   * to 90 % of the view limit; at twice the concurrency a 1M-event back-fill peaked 30 MB
   * higher (251-257 MB against 228 MB) for no faster a back-fill.
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
    // Held from the tick's start: a stop that came while locations were being listed still counts
    // for every location that starts after it.
    const stop$ = new ReplaySubject<void>(1);
    const stopWatch = options.stop$?.pipe(take(1)).subscribe(() => stop$.next());
    const startedAt = new Date(options.now);
    let summary = emptySummary(definition.name, startedAt, deps.sink.hubNames);
    const unitDeps: UnitDependencies = { ...deps, deliveredMarginInMs: DAY };
    const reading = new Slots(options.locationConcurrency ?? context.config.microshare.concurrency + 2);
    return forkJoin([
      definition.locations(context),
      from(deps.store.watermarks(definition.name)),
      from(deps.store.resumeFrom(definition.name)),
      from(deps.store.densities(definition.name)),
    ]).pipe(
      concatMap(([locations, watermarks, resumeFrom, densities]) => {
        const plans = locations.map((location) => {
          const density = densityOf(definition, context, location, densities.get(location.name));
          const sizedLength =
            density?.linesPerHour === undefined
              ? undefined
              : windowLengthFor(
                  density.linesPerHour,
                  definition.windows.lengthInMs,
                  context.config.microshare,
                );
          return {
            location,
            density,
            units: planUnits(
              definition,
              location,
              watermarks.get(location.name),
              resumeFrom,
              options,
              sizedLength,
            ),
          };
        });
        const planned = plans.reduce((n, p) => n + p.units.length, 0);
        summary = { ...summary, locations: locations.length, windows: { ...summary.windows, planned } };
        return from(plans).pipe(
          mergeMap(({ location, units, density }) =>
            concat(
              recordStart(deps, definition.name, watermarks.get(location.name), units, options),
              processLocation(definition, context, unitDeps, units, stop$, reading, density),
            ),
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
        return of({ ...summary, error: describeError(error) });
      }),
      map((s) => ({ ...s, finishedAt: new Date().toISOString() })),
      tap((s) => context.logger.debug("tick finished", { summary: s })),
      finalize(() => stopWatch?.unsubscribe()),
    );
  });
}

/**
 * The location's density estimate, for a pipeline whose windows are sized from it: stored, or
 * from its devices; undefined for fixed windows.
 */
function densityOf(
  definition: PipelineDefinition,
  context: PipelineContext,
  location: Location,
  stored: number | undefined,
): DensityEstimate | undefined {
  const adaptive = definition.windows.adaptive;
  if (adaptive === undefined) return undefined;
  return new DensityEstimate(
    knownDensity(stored, location.devices, adaptive.linesPerDevicePerDay),
    context.config.microshare.viewLimit,
    stored === undefined,
  );
}

function planUnits(
  definition: PipelineDefinition,
  location: Location,
  watermark: Date | undefined,
  resumeFrom: Date | undefined,
  options: TickOptions,
  sizedLengthInMs: number | undefined,
): WorkUnit[] {
  let windows: TimeWindow[];
  if (options.range === undefined) {
    windows = planWindows(watermark, options.now, definition.windows, resumeFrom, sizedLengthInMs);
  } else {
    const from = options.range.from.getTime();
    const to =
      options.rangeUpToWatermark === true && watermark !== undefined
        ? Math.min(options.range.to.getTime(), watermark.getTime())
        : options.range.to.getTime();
    windows =
      sizedLengthInMs === undefined
        ? cutWindows(from, to, definition.windows.lengthInMs)
        : cutEvenly(from, to, sizedLengthInMs);
  }
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
