import {
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from "rxjs";
import type { OutboundEvent } from "../model/outboundEvent.js";
import type { EventGroup } from "./eventGroup.js";

export interface EventBatcherOptions {
  /** A group is cut as soon as it holds this many events. */
  readonly maxEvents: number;
  /** A group is flushed when no event arrived for its partition key for this long. */
  readonly maxWaitInMs: number;
  /** Default `asyncScheduler`; a `TestScheduler` in marble tests. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Groups events per partition key (one open group per key, since a hub batch carries one key),
 * cut at `maxEvents`, flushed after `maxWaitInMs` without a new event for that key, and all
 * flushed, oldest group first, when the input completes. Byte limits are applied later, per hub,
 * with `createBatch`/`tryAdd` (each hub has its own limit). An input error drops the open groups:
 * nothing in them was settled, so the window is re-read.
 *
 * Written as an Observable rather than a `pipe()` of built-ins: a per-key idle timer that is reset
 * on each event plus a count cut has no direct built-in (`bufferTime` cuts on wall-clock ticks).
 */
export function eventBatcher(options: EventBatcherOptions): OperatorFunction<OutboundEvent, EventGroup> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const maxEvents = Math.max(1, options.maxEvents);
  return (source) =>
    new Observable<EventGroup>((subscriber) => {
      const open = new Map<
        string,
        { events: OutboundEvent[]; lastAt: number; timer: Subscription | undefined }
      >();

      // One timer per open group, not one per event: when it fires early (events kept
      // arriving), it re-arms for the time left since the last event.
      const arm = (key: string, delay: number): Subscription =>
        scheduler.schedule(() => {
          const group = open.get(key);
          if (!group) return;
          const idle = scheduler.now() - group.lastAt;
          if (idle >= options.maxWaitInMs) flush(key);
          else group.timer = arm(key, options.maxWaitInMs - idle);
        }, delay);

      const flush = (key: string): void => {
        const group = open.get(key);
        if (!group) return;
        open.delete(key);
        group.timer?.unsubscribe();
        subscriber.next({ partitionKey: key, events: group.events });
      };

      const subscription = source.subscribe({
        next: (event) => {
          const key = event.partitionKey;
          let group = open.get(key);
          if (!group) {
            group = { events: [], lastAt: scheduler.now(), timer: undefined };
            open.set(key, group);
          }
          group.events.push(event);
          group.lastAt = scheduler.now();
          if (group.events.length >= maxEvents) flush(key);
          else group.timer ??= arm(key, options.maxWaitInMs);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          // Map iteration follows insertion order: the group opened first is emitted first.
          for (const key of [...open.keys()]) flush(key);
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        for (const group of open.values()) group.timer?.unsubscribe();
        open.clear();
      };
    });
}
