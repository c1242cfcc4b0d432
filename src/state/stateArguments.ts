import type { Lease, WindowSettlement } from "./stateStore.js";

/**
 * Argument checks shared by both stores, made before anything is written: a bad value must be
 * refused whole, never half-applied (a Lua script that fails midway does not roll back).
 */
export function checkSettlement(settlement: WindowSettlement): void {
  checkTime("window.to", settlement.window.to);
  checkTime("deliveredUntil", settlement.deliveredUntil);
  for (const id of settlement.delivered) {
    if (typeof id !== "string" || id.length === 0)
      throw new TypeError("settleWindow: delivered ids must be non-empty strings");
  }
  const density = settlement.linesPerHour;
  if (density !== undefined && !(Number.isFinite(density) && density >= 0))
    throw new RangeError(`settleWindow: linesPerHour must be a finite number ≥ 0, got ${density}`);
}

export function checkCounterDeltas(deltas: Readonly<Record<string, number>>): void {
  for (const [name, delta] of Object.entries(deltas)) {
    if (!Number.isSafeInteger(delta))
      throw new RangeError(`incrementCounters: "${name}" must be an integer, got ${delta}`);
  }
}

export function checkTtl(ttlInMs: number): void {
  if (!Number.isSafeInteger(ttlInMs) || ttlInMs <= 0)
    throw new RangeError(`lease ttlInMs must be a positive integer, got ${ttlInMs}`);
}

export function checkTime(name: string, time: Date): void {
  if (!(time instanceof Date) || Number.isNaN(time.getTime()))
    throw new RangeError(`${name} must be a valid Date`);
}

/** A lease as returned to its holder; `expiresAt` is measured from before the request, so it never outlives the stored one. */
export function leaseOf(
  pipeline: string,
  owner: string,
  fence: number,
  requestedAt: number,
  ttlInMs: number,
): Lease {
  return { pipeline, owner, fence, expiresAt: new Date(requestedAt + ttlInMs) };
}
