import type { WorkUnit } from "./pipelineDefinition.js";

/**
 * How far one location's watermark may move while its units settle out of order. Units are
 * delivered in order, but a slow hub can finish an early unit after later ones: a later unit's
 * ids are committed at once (so a crash re-sends nothing of it), while the watermark only moves
 * over an unbroken run of committed units from the first one, and never past a unit that failed.
 */
export class SettledPrefix {
  /** Index of the first unit the watermark has not passed. */
  private next = 0;
  /** Units committed (ids only) while an earlier one was still in flight. */
  private readonly ahead = new Set<number>();
  /** The first failed unit: the watermark stays before it for the rest of the tick. */
  private failedAt = Number.POSITIVE_INFINITY;

  constructor(private readonly units: readonly WorkUnit[]) {}

  /**
   * The unit up to whose end the watermark moves when unit `index` is committed now: the last
   * of the unbroken run it completes, or undefined when an earlier unit is not committed yet.
   */
  advanceTo(index: number): WorkUnit | undefined {
    if (index !== this.next || index >= this.failedAt) return undefined;
    let last = index;
    while (this.ahead.has(last + 1) && last + 1 < this.failedAt) last++;
    return this.units[last];
  }

  /** Unit `index` was committed; `advanced` says whether the watermark moved with it (`advanceTo`). */
  committed(index: number, advanced: WorkUnit | undefined): void {
    if (advanced === undefined) {
      this.ahead.add(index);
      return;
    }
    const last = this.units.indexOf(advanced);
    for (let i = index + 1; i <= last; i++) this.ahead.delete(i);
    this.next = last + 1;
  }

  /** Unit `index` failed (or was skipped): the watermark never passes it in this tick. */
  failed(index: number): void {
    this.failedAt = Math.min(this.failedAt, index);
  }
}
