import {
  catchError,
  defer,
  filter,
  finalize,
  from,
  ignoreElements,
  interval,
  merge,
  mergeMap,
  of,
  startWith,
  Subject,
  take,
  takeUntil,
  type Observable,
} from "rxjs";
import type { Lease, StateStore } from "../state/stateStore.js";
import { LeaseLapsedError } from "./leaseLapsedError.js";
import { LeaseLostError } from "./processUnit.js";

export interface LeaseOptions {
  readonly store: StateStore;
  readonly pipeline: string;
  readonly owner: string;
  readonly ttlInMs: number;
}

/**
 * One tick's worth of leadership (`--once`): takes the lease if it is free and runs `work`
 * while renewing it; emits `undefined` without running `work` when another live instance
 * holds it.
 */
export function withLease<T>(
  options: LeaseOptions,
  work: (lease: Lease) => Observable<T>,
): Observable<T | undefined> {
  return from(options.store.acquireLease(options.pipeline, options.owner, options.ttlInMs)).pipe(
    mergeMap((lease) => (lease === undefined ? of(undefined) : holdLease(options, lease, work))),
  );
}

/** What a waiting daemon is told: another instance leads, or the store does not answer / answers again. */
export interface LeaderHooks {
  readonly onStandby?: () => void;
  readonly onStoreUnreachable?: (error: unknown) => void;
  readonly onStoreBack?: () => void;
}

/**
 * A daemon's leadership: tries for the lease every tenth of its TTL until it gets it, then runs
 * `work` while renewing it. A leader that dies right after a renewal leaves a lease that expires
 * one TTL later, so a standby takes over at most 1.1 × TTL after the death (polling every third,
 * as renewals do, made that 1.33 × TTL). A state store that stops answering is waited for, for
 * as long as it takes: work stops when the lease lapses and starts again once the lease is taken
 * again (a lapsed lease of its own is simply re-acquired). `stop$` ends the waiting. Each hook is
 * told once per change.
 */
export function asLeader<T>(
  options: LeaseOptions,
  stop$: Observable<unknown>,
  work: (lease: Lease) => Observable<T>,
  hooks: LeaderHooks = {},
): Observable<T> {
  let toldStandby = false;
  let unreachable = false;
  const lead = (): Observable<T> =>
    interval(standbyPollEvery(options)).pipe(
      startWith(0),
      takeUntil(stop$),
      mergeMap(
        () =>
          options.store.acquireLease(options.pipeline, options.owner, options.ttlInMs).then(
            (lease) => ({ lease, error: undefined }),
            (error: unknown) => ({ lease: undefined, error }),
          ),
        1,
      ),
      filter(({ lease, error }) => {
        if (error !== undefined) {
          if (!unreachable) hooks.onStoreUnreachable?.(error);
          unreachable = true;
          return false;
        }
        if (unreachable) hooks.onStoreBack?.();
        unreachable = false;
        if (lease === undefined && !toldStandby) {
          toldStandby = true;
          hooks.onStandby?.();
        }
        return lease !== undefined;
      }),
      take(1),
      mergeMap(({ lease }) => holdLease(options, lease as Lease, work)),
      catchError((error: unknown) => {
        if (!(error instanceof LeaseLapsedError)) throw error;
        if (!unreachable) hooks.onStoreUnreachable?.(error);
        unreachable = true;
        return lead();
      }),
    );
  return defer(lead);
}

/**
 * Runs `work` while renewing `lease` every third of its TTL. A renewal that finds the lease
 * gone (this process stalled past its TTL and another took over) ends the work with
 * LeaseLostError; the fencing token makes the store refuse any commit still attempted. The
 * lease is released when the work ends, so a standby need not wait for it to expire.
 */
function holdLease<T>(
  options: LeaseOptions,
  lease: Lease,
  work: (lease: Lease) => Observable<T>,
): Observable<T> {
  const done = new Subject<void>();
  let lastExpiry = lease.expiresAt.getTime();
  const renewals = interval(renewEvery(options)).pipe(
    mergeMap(async () => {
      let renewed: Lease | undefined;
      try {
        renewed = await options.store.acquireLease(options.pipeline, options.owner, options.ttlInMs);
      } catch (error) {
        // The store did not answer (a failover): the lease is still ours until it expires, and
        // every commit is fenced anyway. Past its expiry the work stops (a daemon waits for the
        // store and takes the lease again); it was not taken over.
        if (Date.now() < lastExpiry) return;
        throw new LeaseLapsedError(options.pipeline, error);
      }
      if (renewed === undefined || renewed.fence !== lease.fence) throw new LeaseLostError(options.pipeline);
      lastExpiry = renewed.expiresAt.getTime();
    }, 1),
    ignoreElements(),
    takeUntil(done),
  );
  return merge(defer(() => work(lease)).pipe(finalize(() => done.next())), renewals).pipe(
    finalize(() => {
      done.next();
      void options.store.releaseLease(lease).catch(() => undefined);
    }),
  );
}

function renewEvery(options: LeaseOptions): number {
  return Math.max(50, Math.floor(options.ttlInMs / 3));
}

/** One small store call per pipeline every 6 s at the default LEASE_TTL of 60 s. */
function standbyPollEvery(options: LeaseOptions): number {
  return Math.max(50, Math.floor(options.ttlInMs / 10));
}
