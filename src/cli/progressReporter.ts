import type { TickProgress } from "../engine/runTick.js";
import type { Logger } from "../observability/logger.js";

/**
 * Back-fill progress: a single rewritten line on a terminal (windows done/total, events/s),
 * and a plain log line at most every `logEveryInMs` otherwise (log files hate \r).
 */
export function progressReporter(
  pipeline: string,
  logger: Logger,
  logEveryInMs = 10_000,
): (p: TickProgress) => void {
  const startedAt = Date.now();
  let lastLog = 0;
  const tty = process.stderr.isTTY === true;
  return (p) => {
    const seconds = Math.max(0.001, (Date.now() - startedAt) / 1000);
    const rate = Math.round(p.events / seconds);
    const text = `${pipeline}: ${p.doneWindows}/${p.plannedWindows} windows, ${p.events} events, ${rate} events/s`;
    if (tty) {
      const width = 24;
      const filled = p.plannedWindows === 0 ? width : Math.round((p.doneWindows / p.plannedWindows) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}  `);
      if (p.doneWindows >= p.plannedWindows) process.stderr.write("\n");
    } else if (Date.now() - lastLog >= logEveryInMs || p.doneWindows >= p.plannedWindows) {
      lastLog = Date.now();
      logger.info(text);
    }
  };
}
