/**
 * Maps a partition key to a partition index the way Event Hubs does, so that a buffered producer
 * (which maps keys client-side) and a plain producer (which lets the service map them) agree.
 * Ported from `@azure/event-hubs` `impl/partitionKeyToIdMapper.js` (MIT): Bob Jenkins' lookup3
 * `hashlittle2`, folded to a signed 16-bit value.
 */
export function mapPartitionKeyToIndex(partitionKey: string, partitionCount: number): number {
  const { b, c } = lookup3(Buffer.from(partitionKey, "utf8"));
  const hashed = new Int16Array([c ^ b])[0] ?? 0;
  return Math.abs(hashed % partitionCount);
}

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function lookup3(data: Buffer): { b: number; c: number } {
  let a = (0xdeadbeef + data.length) | 0;
  let b = a;
  let c = a;
  let index = 0;
  let size = data.length;
  const byteAt = (i: number): number => data[index + i] ?? 0;
  while (size > 12) {
    a = (a + data.readUInt32LE(index)) | 0;
    b = (b + data.readUInt32LE(index + 4)) | 0;
    c = (c + data.readUInt32LE(index + 8)) | 0;
    a = (a - c) | 0;
    a ^= rotate(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotate(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotate(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rotate(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotate(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotate(b, 4);
    b = (b + a) | 0;
    index += 12;
    size -= 12;
  }
  if (size === 0) return { b: b >>> 0, c: c >>> 0 };
  // The tail: bytes 9–12 go to c, 5–8 to b, 1–4 to a, little-endian, as in lookup3's switch.
  for (let i = size - 1; i >= 0; i--) {
    const shifted = byteAt(i) << ((i % 4) * 8);
    if (i >= 8) c = (c + shifted) | 0;
    else if (i >= 4) b = (b + shifted) | 0;
    else a = (a + shifted) | 0;
  }
  c ^= b;
  c = (c - rotate(b, 14)) | 0;
  a ^= c;
  a = (a - rotate(c, 11)) | 0;
  b ^= a;
  b = (b - rotate(a, 25)) | 0;
  c ^= b;
  c = (c - rotate(b, 16)) | 0;
  a ^= c;
  a = (a - rotate(c, 4)) | 0;
  b ^= a;
  b = (b - rotate(a, 14)) | 0;
  c ^= b;
  c = (c - rotate(b, 24)) | 0;
  return { b: b >>> 0, c: c >>> 0 };
}
