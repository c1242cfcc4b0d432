import { filter, map, pipe, type OperatorFunction } from "rxjs";
import type { MarkedLine } from "./markedLine.js";
import type { SourceLine } from "./sourceLine.js";

/** The lines to send: neither repeated within the unit nor delivered before. */
export function newLines(): OperatorFunction<MarkedLine, SourceLine> {
  return pipe(
    filter((marked) => marked.seen === "new"),
    map((marked) => marked.line),
  );
}
