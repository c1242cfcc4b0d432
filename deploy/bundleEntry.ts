import { build } from "esbuild";

/**
 * Bundles one entry module and every module it imports into one ESM file. Node then reads and
 * compiles one file instead of resolving and loading some 900 modules: start-up, which every
 * cron run, Functions invocation and container restart pays, roughly halves.
 *
 * `@azure/identity` always stays outside: it is loaded lazily (only with Entra ID) from
 * node_modules, which each deployment keeps for it alone. No minification, names kept: stack
 * traces and error names stay readable, and the linked `.map` maps them back with
 * `--enable-source-maps`.
 */
export async function bundleEntry(entry: string, outfile: string, external: string[] = []): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    keepNames: true,
    sourcemap: "linked",
    sourcesContent: false,
    external: ["@azure/identity", ...external],
    // CommonJS dependencies bundled into ESM still call `require` for Node's own modules.
    banner: {
      js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}
