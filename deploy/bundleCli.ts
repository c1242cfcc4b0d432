import { build } from "esbuild";
import { fileURLToPath } from "node:url";

/**
 * Bundles the CLI (src/cli/main.ts and every module it imports) into one ESM file. Node then
 * reads and compiles one file instead of resolving and loading some 900 modules: start-up,
 * what every cron run, Functions invocation and container restart pays, goes from about
 * 0.7 s to 0.35 s on this project's 2-core machine.
 *
 * `@azure/identity` stays outside: it is loaded lazily (only with Entra ID) from
 * node_modules, which the image keeps. No minification, names kept: stack traces and
 * error names stay readable, and `cli.mjs.map` maps them back with `--enable-source-maps`.
 */
export async function bundleCli(outfile: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    keepNames: true,
    sourcemap: "linked",
    sourcesContent: false,
    external: ["@azure/identity"],
    // CommonJS dependencies bundled into ESM still call `require` for Node's own modules.
    banner: {
      js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? fileURLToPath(new URL("../dist/cli.mjs", import.meta.url));
  await bundleCli(outfile);
}
