import { defer, map, type OperatorFunction } from "rxjs";
import type { MarkedLine } from "./markedLine.js";
import type { SourceLine } from "./sourceLine.js";

/** Marks each line `new`, or `repeated` when its key came earlier in the same subscription. */
export function markRepeats(): OperatorFunction<SourceLine, MarkedLine> {
  return (lines) =>
    defer(() => {
      const seen = new Set<string>();
      return lines.pipe(
        map((line): MarkedLine => {
          if (seen.has(line.key)) return { line, seen: "repeated" };
          seen.add(line.key);
          return { line, seen: "new" };
        }),
      );
    });
}
