import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** What `microshare_pipeline_build_info` says: this build's version and the Node.js it runs on. */
export interface BuildInfo {
  readonly version: string;
  readonly nodeVersion: string;
}

/**
 * The version from the nearest package.json named microshare-pipeline above this module: the
 * source (src/observability), the bundle (dist/) and the Functions package all sit below one.
 */
export function buildInfo(from: string = import.meta.url): BuildInfo {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
        if (pkg.name === "microshare-pipeline" && typeof pkg.version === "string")
          return { version: pkg.version, nodeVersion: process.version };
      } catch {
        // Not ours or unreadable: keep looking further up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return { version: "unknown", nodeVersion: process.version };
    dir = parent;
  }
}
