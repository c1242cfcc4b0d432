import { readdir } from "node:fs/promises";

/**
 * Pipeline, location and hub names become file names: everything but letters, digits, "_" and
 * "-" is percent-encoded, so "../x" or "a/b" can never escape the state directory and decoding
 * is exact.
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

/** The decoded names of the `<name>.json` files in `directory` (temp files skipped); none when it is missing. */
export async function jsonFileNames(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith(".json") && !n.startsWith("."))
    .map((n) => decodeFileName(n.slice(0, -5)));
}
