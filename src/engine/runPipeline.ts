import { concat, concatMap, exhaustMap, filter, from, map, of, takeUntil, type Observable } from "rxjs";
import type { TimeWindow } from "../model/timeWindow.js";
import type { PipelineDefinition } from "./pipelineDefinition.js";
import type { PipelineRuntime } from "./pipelineRuntime.js";
import { withConfiguredWindows } from "./configuredWindows.js";
import { runTick, type TickProgress } from "./runTick.js";
import { scheduledTicks } from "./schedule.js";
import type { TickSummary } from "./tickSummary.js";
import { withLease } from "./withLease.js";

export interface RunPipelineOptions {
  /** One tick, then complete (cron, CronJob, Functions timer). */
  readonly once: boolean;
  readonly range?: TimeWindow;
  readonly dedupe: boolean;
  /** This process's identity for the lease. */
  readonly owner: string;
  readonly leaseTtlInMs: number;
  /** Emits once to stop taking ticks; the tick in flight finishes and settles (graceful drain). */
  readonly stop$: Observable<unknown>;
  readonly onProgress?: (progress: TickProgress) => void;
  /** Told when a tick is skipped because another instance holds the lease. */
  readonly onSkipped?: () => void;
}

/**
 * Runs a pipeline: one tick now, then one per schedule slot, skipping a slot while a tick still
 * runs (exhaustMap). `stop$` ends the tick source, not the tick: in-flight batches settle and
 * commit before the Observable completes. Each summary is stored for `status`.
 */
export function runPipeline(
  declared: PipelineDefinition,
  runtime: PipelineRuntime,
  options: RunPipelineOptions,
): Observable<TickSummary> {
  const definition = withConfiguredWindows(declared, runtime.config);
  const tick = (): Observable<TickSummary> =>
    withLease(
      {
        store: runtime.store,
        pipeline: definition.name,
        owner: options.owner,
        ttlInMs: options.leaseTtlInMs,
      },
      (lease) =>
        runTick(
          definition,
          runtime.context,
          { store: runtime.store, sink: runtime.sink, lease, dedupe: options.dedupe },
          {
            now: Date.now(),
            ...(options.range === undefined ? {} : { range: options.range }),
            ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
          },
        ),
    ).pipe(
      filter((summary): summary is TickSummary => {
        if (summary === undefined) options.onSkipped?.();
        return summary !== undefined;
      }),
      concatMap((summary) => from(record(runtime, summary)).pipe(map(() => summary))),
    );
  // --once: a stop request lets the single tick finish and settle; there is no next tick to skip.
  if (options.once) return tick();
  return concat(of(0), scheduledTicks(definition.schedule)).pipe(
    takeUntil(options.stop$),
    exhaustMap(() => tick()),
  );
}

async function record(runtime: PipelineRuntime, summary: TickSummary): Promise<void> {
  await runtime.store.setLastTick(summary.pipeline, summary);
  const deadLettered = Object.values(summary.hubs).reduce((n, h) => n + h.deadLettered, 0);
  const acknowledged = Object.values(summary.hubs).reduce((n, h) => n + h.acknowledged, 0);
  await runtime.store.incrementCounters(summary.pipeline, {
    ticks: 1,
    linesFetched: summary.fetched,
    duplicatesSkipped: summary.duplicatesSkipped,
    events: summary.events,
    eventsAcknowledged: acknowledged,
    eventsDeadLettered: deadLettered,
    windowsSettled: summary.windows.settled,
    windowsFailed: summary.windows.failed,
  });
}
