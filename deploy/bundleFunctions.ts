import { fileURLToPath } from "node:url";
import { bundleEntry } from "./bundleEntry.js";

/**
 * Bundles the Azure Functions entry (src/functions/index.ts and what it imports) into one file,
 * so the app ships one script and @azure/identity instead of 91 MB of node_modules, and each
 * new worker loads one file instead of some 900 modules.
 *
 * `@azure/functions-core` stays outside: it is not an npm package but a module the Functions
 * worker provides at run time, through which `@azure/functions` registers the timers (the
 * library's maintainers recommend marking it external when bundling: azure-functions-nodejs-library#201).
 */
export async function bundleFunctions(outfile: string): Promise<void> {
  await bundleEntry(fileURLToPath(new URL("../src/functions/index.ts", import.meta.url)), outfile, [
    "@azure/functions-core",
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? fileURLToPath(new URL("../dist/functions.mjs", import.meta.url));
  await bundleFunctions(outfile);
}
