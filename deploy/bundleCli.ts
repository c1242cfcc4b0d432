import { writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleEntry } from "./bundleEntry.js";

/**
 * Bundles the CLI (src/cli/main.ts and what it imports) into one file beside `outfile`
 * (`dist/cli-main.mjs`), and writes `outfile` (`dist/cli.mjs`, the file the image runs) as a
 * loader that turns on Node's compile cache before importing it. The bundle is 3 MB of
 * JavaScript; compiling it is a quarter of the start-up that every cron run and container
 * restart pays. With the cache (Node 22.1 and later; `os.tmpdir()/node-compile-cache`, or
 * NODE_COMPILE_CACHE) later starts reuse the compiled code. Node 20 has no such cache and the
 * loader simply imports the bundle; a cache directory that cannot be written is skipped by Node.
 */
export async function bundleCli(outfile: string): Promise<void> {
  const main = join(dirname(outfile), basename(outfile).replace(/\.mjs$/, "") + "-main.mjs");
  await bundleEntry(fileURLToPath(new URL("../src/cli/main.ts", import.meta.url)), main);
  await writeFile(outfile, loader(basename(main)), { mode: 0o755 });
}

function loader(main: string): string {
  return `#!/usr/bin/env node
// Written by deploy/bundleCli.ts: turns on Node's compile cache (where the runtime has one),
// then runs the bundled CLI.
import module from "node:module";
module.enableCompileCache?.();
await import("./${main}");
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? fileURLToPath(new URL("../dist/cli.mjs", import.meta.url));
  await bundleCli(outfile);
}
