/**
 * Deterministic, allocation-free hashing (MurmurHash3 mixing over four 32-bit words). Every
 * generated value comes from hash(seed, salt, a, b), so any line can be computed on its own
 * without generating the ones before it.
 */

/** Distinguishes the independent random streams drawn from the same (room, period). */
export const Salt = {
  capacity: 1,
  roomFactor: 2,
  dayFactor: 3,
  occupancy: 4,
  churn: 5,
  record: 6,
  lateQuarter: 7,
  lateHour: 8,
  fault: 9,
  eventJitter: 10,
  eventRecord: 11,
  ids: 12,
} as const;

function mixWord(h: number, word: number): number {
  let k = Math.imul(word | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let x = h ^ k;
  x = (x << 13) | (x >>> 19);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

/** A 32-bit unsigned hash of four integers (each taken modulo 2^32). */
export function hash(seed: number, salt: number, a: number, b: number): number {
  let h = mixWord(0x3c6ef372, seed);
  h = mixWord(h, salt);
  h = mixWord(h, a);
  h = mixWord(h, b);
  h ^= 16;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from the same inputs as `hash`. */
export function unit(seed: number, salt: number, a: number, b: number): number {
  return hash(seed, salt, a, b) / 4_294_967_296;
}

export function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** A 24-hex id shaped like a Mongo ObjectId: 8 hex of seconds, then 16 hex from the key. */
export function objectIdHex(seconds: number, seed: number, salt: number, a: number, b: number): string {
  const low = (a & 0xffffff).toString(16).padStart(6, "0");
  const tail = hash(seed, salt, a, b);
  const extra = (hash(seed, salt + 1000, a, b) & 0xff).toString(16).padStart(2, "0");
  return hex8(seconds) + low + hex8(tail) + extra;
}
