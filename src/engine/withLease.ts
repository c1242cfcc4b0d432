import {
  defer,
  finalize,
  from,
  interval,
  merge,
  mergeMap,
  of,
  takeUntil,
  type Observable,
  ignoreElements,
  Subject,
} from "rxjs";
import type { Lease, StateStore } from "../state/stateStore.js";
import { LeaseLostError } from "./processUnit.js";

export interface LeaseOptions {
  readonly store: StateStore;
  readonly pipeline: string;
  readonly owner: string;
  readonly ttlInMs: number;
}

/**
 * Runs `work` while holding the pipeline's lease, renewing it every third of its TTL, so that of
 * two instances (a rolling deploy, a standby) only one runs ticks. Emits `undefined` without
 * running `work` when another live instance holds it. A renewal that finds the lease gone ends
 * the work with LeaseLostError; the fencing token passed to `work` makes the store refuse any
 * commit this instance still attempts afterwards.
 */
export function withLease<T>(
  options: LeaseOptions,
  work: (lease: Lease) => Observable<T>,
): Observable<T | undefined> {
  return from(options.store.acquireLease(options.pipeline, options.owner, options.ttlInMs)).pipe(
    mergeMap((lease) => {
      if (lease === undefined) return of(undefined);
      const done = new Subject<void>();
      const renewals = interval(Math.max(50, Math.floor(options.ttlInMs / 3))).pipe(
        mergeMap(async () => {
          const renewed = await options.store.acquireLease(options.pipeline, options.owner, options.ttlInMs);
          if (renewed === undefined || renewed.fence !== lease.fence)
            throw new LeaseLostError(options.pipeline);
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
    }),
  );
}
