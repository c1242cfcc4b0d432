/**
 * One record read from Microshare, before it becomes an event: the line as the view returned
 * it, the location group it came from and its deterministic identity. Dedupe works on lines
 * (not events) so that response-shaped events (a snapshot response per building) can still be
 * deduplicated line by line when a window is re-read.
 */
export interface SourceLine {
  /** Deterministic identity: the dedupe key and the basis of the event id. */
  readonly key: string;
  /** The location (building) the line was queried for: watermark, partition key. */
  readonly location: string;
  /** The group's `_id.tags` (building, floor, room…). */
  readonly tags: readonly string[];
  readonly time: Date;
  readonly line: Readonly<Record<string, unknown>>;
  /**
   * Set on the lines of a response that may not hold all of its window's lines (a view still
   * full at the minimum window), with the reason: the tick reports it, never silently.
   */
  readonly incomplete?: string;
}
