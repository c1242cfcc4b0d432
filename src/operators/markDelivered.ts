import { bufferCount, concatMap, from, type OperatorFunction } from "rxjs";
import type { StateStore } from "../state/stateStore.js";
import type { MarkedLine } from "./markedLine.js";

export interface MarkDeliveredOptions {
  readonly store: Pick<StateStore, "deliveredAmong">;
  readonly pipeline: string;
  readonly location: string;
  /** Lines looked up per state-store round trip. Default 500. */
  readonly chunkSize?: number;
}

/**
 * Marks `delivered` the new lines already delivered in an earlier settled window (the late-data
 * lookback re-reads them every tick). Looks keys up in chunks, in order (`concatMap`), so one
 * store round trip serves hundreds of lines and order is kept. A store failure errors the
 * stream: a line is never passed on unchecked.
 */
export function markDelivered(options: MarkDeliveredOptions): OperatorFunction<MarkedLine, MarkedLine> {
  return (lines) =>
    lines.pipe(
      bufferCount(options.chunkSize ?? 500),
      concatMap(async (chunk) => {
        const keys = chunk.filter((l) => l.seen === "new").map((l) => l.line.key);
        if (keys.length === 0) return chunk;
        const delivered = await options.store.deliveredAmong(options.pipeline, options.location, keys);
        if (delivered.size === 0) return chunk;
        return chunk.map((l): MarkedLine =>
          l.seen === "new" && delivered.has(l.line.key) ? { line: l.line, seen: "delivered" } : l,
        );
      }),
      concatMap((chunk) => from(chunk)),
    );
}
