import type { ReplaySummary } from "../dlq/replayDeadLetters.js";
import { printError } from "./output.js";

export interface ReplayProgressOptions {
  /** Plain lines (no terminal) at most this often, plus the last one. Default 2000. */
  readonly plainEveryInMs?: number;
  /** Default: whether stderr is a terminal. */
  readonly tty?: boolean;
}

/**
 * Replay progress on stderr: a single rewritten bar on a terminal (entries done/total, events),
 * plain lines no more often than every `plainEveryInMs` otherwise (log files hate \r).
 * `done()` ends the bar's line.
 */
export function replayProgress(
  hub: string,
  totalEntries: number,
  options: ReplayProgressOptions = {},
): { update(progress: ReplaySummary): void; done(): void } {
  const tty = options.tty ?? process.stderr.isTTY === true;
  const every = options.plainEveryInMs ?? 2000;
  let lastPlain = 0;
  let drawn = false;
  return {
    update: (p) => {
      const handled = p.replayedEntries + p.requeued + p.parked;
      const text =
        `${hub}: ${handled}/${totalEntries} entries, ${p.replayedEvents} events replayed` +
        (p.requeued + p.parked > 0 ? `, ${p.requeued + p.parked} failed` : "");
      if (tty) {
        const width = 24;
        const filled =
          totalEntries === 0 ? width : Math.min(width, Math.round((handled / totalEntries) * width));
        process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}  `);
        drawn = true;
      } else if (Date.now() - lastPlain >= every || handled >= totalEntries) {
        lastPlain = Date.now();
        printError(`replay ${text}`);
      }
    },
    done: () => {
      if (drawn) process.stderr.write("\n");
      drawn = false;
    },
  };
}
