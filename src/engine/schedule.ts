import { defer, repeat, timer, type Observable } from "rxjs";
import type { Schedule } from "./pipelineDefinition.js";

/** Milliseconds from `now` until the next scheduled tick (always > 0). */
export function msUntilNextTick(schedule: Schedule, now: number): number {
  const sinceOffset = now - schedule.offsetInMs;
  const next = (Math.floor(sinceOffset / schedule.everyInMs) + 1) * schedule.everyInMs + schedule.offsetInMs;
  return next - now;
}

/**
 * Emits at every scheduled instant, e.g. :00/:15/:30/:45. Each wait is computed afresh from
 * the clock, so a slow tick or a suspended machine never shifts the schedule.
 */
export function scheduledTicks(schedule: Schedule, clock: () => number = Date.now): Observable<number> {
  return defer(() => timer(msUntilNextTick(schedule, clock()))).pipe(repeat());
}
