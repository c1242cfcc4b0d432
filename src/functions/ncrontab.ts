import { DAY, HOUR, MINUTE, SECOND } from "../model/time.js";
import type { Schedule } from "../engine/pipelineDefinition.js";

/**
 * The Azure Functions NCRONTAB expression (`{second} {minute} {hour} {day} {month} {day-of-week}`,
 * UTC unless WEBSITE_TIME_ZONE says otherwise) that fires at the same instants as `schedule`:
 * every 15 min → `0 *\/15 * * * *`, hourly at :00 → `0 0 * * * *`. Throws for an interval
 * that cron cannot express exactly (one that does not divide a minute, an hour or a day), so a
 * deployment never silently runs on a different rhythm than the daemon.
 */
export function toNcrontab(schedule: Schedule): string {
  const every = schedule.everyInMs;
  const representable =
    Number.isInteger(every) &&
    every > 0 &&
    ((every < MINUTE && every % SECOND === 0 && MINUTE % every === 0) ||
      (every < HOUR && every % MINUTE === 0 && HOUR % every === 0) ||
      (every < DAY && every % HOUR === 0 && DAY % every === 0) ||
      every === DAY);
  if (!representable) {
    throw new Error(
      `a schedule every ${every} ms has no exact NCRONTAB form; use an interval that divides a minute, an hour or a day (e.g. 5m, 15m, 1h)`,
    );
  }
  const offset = ((schedule.offsetInMs % every) + every) % every;
  if (offset % SECOND !== 0)
    throw new Error(`a schedule offset of ${schedule.offsetInMs} ms is not whole seconds`);
  const second = (offset % MINUTE) / SECOND;
  const minute = Math.floor((offset % HOUR) / MINUTE);
  const hour = Math.floor(offset / HOUR);
  if (every < MINUTE) return `${steps(second, every / SECOND, 60)} * * * * *`;
  if (every < HOUR) return `${second} ${steps(minute, every / MINUTE, 60)} * * * *`;
  if (every < DAY) return `${second} ${minute} ${steps(hour, every / HOUR, 24)} * * *`;
  return `${second} ${minute} ${hour} * * *`;
}

/** `*`, `*\/step`, or an explicit list when the steps do not start at 0 (portable across cron dialects). */
function steps(start: number, step: number, range: number): string {
  if (step === 1) return "*";
  if (start === 0) return `*/${step}`;
  const values: number[] = [];
  for (let v = start; v < range; v += step) values.push(v);
  return values.join(",");
}
