import { createHash, hash } from "node:crypto";

/**
 * The deterministic identity of a record: a hash of recType, location tags, time and record id,
 * so every re-read of the same record gets the same key (dedupe) and the same AMQP messageId
 * (consumers can dedupe too). 32 hex chars = 128 bits: collisions are not a practical concern.
 */
export function lineIdentity(
  recType: string,
  tags: readonly string[],
  time: string,
  recordId: string,
): string {
  // One-shot `hash` (Node ≥ 20.12): the same digest as createHash().update().digest(), without
  // a Hash object per line.
  return hash("sha256", JSON.stringify([recType, tags, time, recordId]), "hex").slice(0, 32);
}

/** The identity of a group of lines (a response-shaped event): a hash of their keys. */
export function groupIdentity(recType: string, keys: readonly string[]): string {
  const hash = createHash("sha256").update(recType);
  for (const key of keys) hash.update("|").update(key);
  return hash.digest("hex").slice(0, 32);
}
