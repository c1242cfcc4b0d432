import { fileURLToPath } from "node:url";
import { bundleEntry } from "./bundleEntry.js";

/**
 * Bundles the CLI (src/cli/main.ts and what it imports) into `dist/cli.mjs`, the file the image
 * runs: start-up goes from about 0.7 s to 0.35 s on this project's 2-core machine.
 */
export async function bundleCli(outfile: string): Promise<void> {
  await bundleEntry(fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)), outfile);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? fileURLToPath(new URL("../dist/cli.mjs", import.meta.url));
  await bundleCli(outfile);
}
