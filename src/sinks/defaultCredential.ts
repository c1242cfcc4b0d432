import { createRequire } from "node:module";
import type { TokenCredential } from "@azure/identity";

const require = createRequire(import.meta.url);

/**
 * `new DefaultAzureCredential()`, loading @azure/identity only when an Entra ID hub is used:
 * the package costs about 0.3 s and 20 MB at start-up, which every `--once` run under cron
 * would otherwise pay for a feature most deployments do not use. Its CommonJS build is loaded
 * with `require` so that producers can still be created synchronously.
 */
export function defaultAzureCredential(): TokenCredential {
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  return new identity.DefaultAzureCredential();
}
