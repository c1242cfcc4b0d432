/**
 * Pipeline and hub names become file names: everything but letters, digits, "_" and "-" is
 * percent-encoded, so "../x" or "a/b" can never escape the state directory and decoding is exact.
 */
export function encodeFileName(name: string): string {
  return encodeURIComponent(name).replace(
    /[.!~*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function decodeFileName(encoded: string): string {
  return decodeURIComponent(encoded);
}
