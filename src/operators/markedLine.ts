import type { SourceLine } from "./sourceLine.js";

/**
 * A line of a unit with what dedupe found out about it. Lines are marked, not dropped, so the
 * unit's tally (lines read, duplicates skipped, ids to record) is counted from the stream itself
 * at its end, and only `new` lines go on to become events.
 */
export interface MarkedLine {
  readonly line: SourceLine;
  /**
   * `new`: sent; `repeated`: its key came earlier in this unit (a server repeating a line across
   * pages); `delivered`: settled in an earlier window (the late-data lookback re-reads it).
   */
  readonly seen: "new" | "repeated" | "delivered";
}
