import { defer, reduce, type OperatorFunction } from "rxjs";
import type { MarkedLine } from "./markedLine.js";

/** What a unit's settlement needs to know of its lines, counted from the stream at its end. */
export interface LineTally {
  /** Lines read from Microshare, repeats included. */
  readonly fetched: number;
  /** Lines skipped as delivered in an earlier window. */
  readonly duplicates: number;
  /** Keys of the lines sent: recorded as delivered when the unit is committed. */
  readonly delivered: readonly string[];
  /** Why the unit's data may be incomplete (the first reason a line carried), if it may be. */
  readonly incomplete?: string;
}

interface Counting {
  fetched: number;
  duplicates: number;
  readonly delivered: string[];
  incomplete?: string;
}

/** Folds a unit's marked lines into one tally, emitted when the lines complete. */
export function tallyLines(): OperatorFunction<MarkedLine, LineTally> {
  // A fresh accumulator per subscription, added to in place: a back-fill unit holds thousands of
  // lines, and a copy per line would make the tally quadratic.
  return (lines) =>
    defer(() =>
      lines.pipe(
        reduce<MarkedLine, Counting>(
          (tally, { line, seen }) => {
            tally.fetched += 1;
            if (seen === "delivered") tally.duplicates += 1;
            if (seen === "new") tally.delivered.push(line.key);
            if (tally.incomplete === undefined && line.incomplete !== undefined)
              tally.incomplete = line.incomplete;
            return tally;
          },
          { fetched: 0, duplicates: 0, delivered: [] },
        ),
      ),
    );
}
