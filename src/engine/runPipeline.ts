import {
  concat,
  concatMap,
  defer,
  exhaustMap,
  filter,
  finalize,
  from,
  map,
  of,
  takeUntil,
  type Observable,
} from "rxjs";
import { EXIT } from "../model/exitCodes.js";
import type { TimeWindow } from "../model/timeWindow.js";
import type { PipelineDefinition } from "./pipelineDefinition.js";
import type { EngineRuntime } from "./engineRuntime.js";
import { withConfiguredSettings } from "./configuredDefinition.js";
import { runTick, type TickProgress } from "./runTick.js";
import { scheduledTicks } from "./schedule.js";
import { exitCodeOf, type TickSummary } from "./tickSummary.js";
import { asLeader, withLease, type LeaseOptions } from "./withLease.js";
import type { Lease } from "../state/stateStore.js";

export interface RunPipelineOptions {
  /** One tick, then complete (cron, CronJob, Functions timer). */
  readonly once: boolean;
  readonly range?: TimeWindow;
  readonly dedupe: boolean;
  /** A back-fill of one hub (`--hub`): its delivered ids kept apart from the pipeline's (see `deliveredScope`). */
  readonly dedupeScope?: string;
  /** This process's identity for the lease. */
  readonly owner: string;
  /** Default: LEASE_TTL (config.runtime.leaseTtlInMs). */
  readonly leaseTtlInMs?: number;
  /** Emits once to stop taking ticks; the tick in flight finishes and settles (graceful drain). */
  readonly stop$: Observable<unknown>;
  readonly onProgress?: (progress: TickProgress) => void;
  /** `--once`: the tick was skipped because another instance holds the lease. */
  readonly onSkipped?: () => void;
  /** Daemon: another instance leads; this one waits as a standby. */
  readonly onStandby?: () => void;
  /** A daemon's state store stopped answering (told once), and answers again. */
  readonly onStoreUnreachable?: (error: unknown) => void;
  readonly onStoreBack?: () => void;
}

/**
 * Runs a pipeline. `--once`: one tick under the lease (skipped if another instance holds it).
 * Daemon: waits to lead (standby), then one tick at once and one per schedule slot, skipping a
 * slot while a tick still runs (exhaustMap). `stop$` ends the tick source, not the tick:
 * in-flight batches settle and commit before the Observable completes. Each summary is stored
 * for `status`.
 */
export function runPipeline(
  declared: PipelineDefinition,
  runtime: EngineRuntime,
  options: RunPipelineOptions,
): Observable<TickSummary> {
  const definition = withConfiguredSettings(declared, runtime.config);
  // Known to /status from the start: a standby that never led shows as "leader: no".
  runtime.live.leading(definition.name, false);
  const lease: LeaseOptions = {
    store: runtime.store,
    pipeline: definition.name,
    owner: options.owner,
    ttlInMs: options.leaseTtlInMs ?? runtime.config.runtime.leaseTtlInMs,
  };
  const tick = (held: Lease): Observable<TickSummary> =>
    runTick(
      definition,
      runtime.context,
      {
        store: runtime.store,
        sink: runtime.sink,
        lease: held,
        dedupe: options.dedupe,
        ...(options.dedupeScope === undefined ? {} : { dedupeScope: options.dedupeScope }),
      },
      {
        now: Date.now(),
        ...(options.range === undefined ? {} : { range: options.range }),
        ...(options.dedupeScope === undefined ? {} : { rangeUpToWatermark: true }),
        onProgress: (progress) => {
          runtime.live.progress(definition.name, progress);
          options.onProgress?.(progress);
        },
        stop$: options.stop$,
      },
    ).pipe(
      concatMap((summary) => {
        runtime.live.tickEnded(definition.name, summary.finishedAt, exitCodeOf(summary));
        return from(record(runtime, summary, options.dedupeScope)).pipe(map(() => summary));
      }),
    );

  // The lease-leader gauge and live state: leading from taking the lease until letting it go (or losing it).
  const leading =
    <T>(work: (held: Lease) => Observable<T>) =>
    (held: Lease): Observable<T> =>
      defer(() => {
        runtime.metrics.leader.set({ pipeline: definition.name }, 1);
        runtime.live.leading(definition.name, true);
        return work(held);
      }).pipe(
        finalize(() => {
          runtime.metrics.leader.set({ pipeline: definition.name }, 0);
          runtime.live.leading(definition.name, false);
        }),
      );

  if (options.once) {
    // A stop request lets the single tick finish and settle; there is no next tick to skip.
    return withLease(lease, leading(tick)).pipe(
      filter((summary): summary is TickSummary => {
        if (summary === undefined) options.onSkipped?.();
        return summary !== undefined;
      }),
    );
  }
  return asLeader(
    lease,
    options.stop$,
    leading((held) => {
      runtime.metrics.schedule.set({ pipeline: definition.name }, definition.schedule.everyInMs / 1000);
      return concat(of(0), scheduledTicks(definition.schedule)).pipe(
        takeUntil(options.stop$),
        exhaustMap(() => tick(held)),
      );
    }),
    {
      ...(options.onStandby === undefined ? {} : { onStandby: options.onStandby }),
      ...(options.onStoreUnreachable === undefined ? {} : { onStoreUnreachable: options.onStoreUnreachable }),
      ...(options.onStoreBack === undefined ? {} : { onStoreBack: options.onStoreBack }),
    },
  );
}

/** The `result` label of the ticks metric: a tick's exit code, in words. */
const TICK_RESULTS: Readonly<Record<number, string>> = {
  [EXIT.ok]: "ok",
  [EXIT.failure]: "failed",
  [EXIT.deadLettered]: "dead-lettered",
  [EXIT.locationsFailed]: "locations-failed",
  [EXIT.incomplete]: "incomplete",
};

/**
 * Bookkeeping after a tick: metrics, the summary and counters for `status`, and pruning of
 * delivered ids past their keep-until time. Everything that mattered is already committed, so a
 * failure here (a Redis failover) is logged and the daemon carries on.
 */
async function record(runtime: EngineRuntime, summary: TickSummary, dedupeScope?: string): Promise<void> {
  try {
    await recordTick(runtime, summary);
    await runtime.store.pruneDelivered(summary.pipeline, new Date());
    if (dedupeScope !== undefined) await runtime.store.pruneDelivered(dedupeScope, new Date());
  } catch (error) {
    runtime.context.logger.warn(
      `${summary.pipeline}: could not record the tick or prune delivered ids (will retry next tick): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

async function recordTick(runtime: EngineRuntime, summary: TickSummary): Promise<void> {
  const code = exitCodeOf(summary);
  runtime.metrics.ticks.inc({ pipeline: summary.pipeline, result: TICK_RESULTS[code] ?? "other" });
  // Every location settled (some events may be in a DLQ, or a window possibly incomplete: those
  // have their own alerts); a tick that failed or held a watermark back is not a success.
  if (code !== EXIT.failure && code !== EXIT.locationsFailed)
    runtime.metrics.lastSuccess.set({ pipeline: summary.pipeline }, Date.parse(summary.finishedAt) / 1000);
  runtime.metrics.linesFetched.inc({ pipeline: summary.pipeline }, summary.fetched);
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
