import { bufferCount, concatMap, from, type OperatorFunction } from "rxjs";
import type { StateStore } from "../state/stateStore.js";
import type { SourceLine } from "./sourceLine.js";

export interface DedupeOptions {
  readonly store: Pick<StateStore, "deliveredAmong">;
  readonly pipeline: string;
  readonly location: string;
  /** Told how many lines of each chunk were dropped as already delivered. */
  readonly onDuplicates?: (count: number) => void;
  /** Lines looked up per state-store round trip. Default 500. */
  readonly chunkSize?: number;
}

/**
 * Drops lines already delivered in an earlier settled window (the late-data lookback re-reads
 * them every tick). Looks keys up in chunks, in order (`concatMap`), so one store round trip
 * serves hundreds of lines and order is kept.
 */
export function dedupeDelivered(options: DedupeOptions): OperatorFunction<SourceLine, SourceLine> {
  return (lines) =>
    lines.pipe(
      bufferCount(options.chunkSize ?? 500),
      concatMap(async (chunk) => {
        const delivered = await options.store.deliveredAmong(
          options.pipeline,
          options.location,
          chunk.map((l) => l.key),
        );
        if (delivered.size > 0) options.onDuplicates?.(chunk.filter((l) => delivered.has(l.key)).length);
        return delivered.size === 0 ? chunk : chunk.filter((l) => !delivered.has(l.key));
      }),
      concatMap((chunk) => from(chunk)),
    );
}
