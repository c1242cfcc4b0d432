import type { DeliveryConfig } from "../config/config.js";

/** The most full batches one hub may have in flight, whatever the breaker's threshold. */
const MAX_FULL_BATCHES_IN_FLIGHT = 8;

/**
 * Full batches one hub may have being packed or sent at once: two, or the breaker's threshold
 * if higher (at most 8). Each costs about three times its size while in flight (the encoded
 * events, the batch message, the socket's copy): with one per location read at once (6 by
 * default), a 1M-event back-fill peaked at 191-221 MB; with 2-3 per hub at 169-192 MB, and took
 * as long (2026-12-03). As many as the threshold, so that a hub that stalls fails that many
 * batches in one round of tries and its breaker opens after that round (the waiting batches
 * then go to the DLQ untried, and those let in as the first ones failed end their try: a
 * stalled hub's back-fill takes 44 s; with 2 in flight where the threshold is 3, 87 s).
 * Two full batches in flight still keep a remote hub busy (2 MB a round trip is more than a
 * namespace's ingress), and small batches (steady ticks) are hardly held back.
 */
export function fullBatchesInFlight(delivery: DeliveryConfig): number {
  return Math.min(MAX_FULL_BATCHES_IN_FLIGHT, Math.max(2, delivery.breakerThreshold));
}
