/**
 * Resolves on the event loop's next check phase (setImmediate), after pending I/O callbacks
 * and every queued microtask. Long CPU work (packing a thousand events, processing a page)
 * awaits this between slices, so that a Microshare response or a freed request slot is served
 * within a slice's time instead of after the whole job: one thread both waits on the network
 * and does the work.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
