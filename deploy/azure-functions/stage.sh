#!/usr/bin/env bash
# Stages a deployable Azure Functions app in dist/functions-app/ (or $1; dist/ is git-ignored):
# the entry bundled into one file (deploy/bundleFunctions.ts), host.json, and a package.json
# whose "main" names it. The only node_modules left is @azure/identity (loaded lazily, with
# Entra ID), at the version package-lock.json pins.
# The repository's own package.json is not changed: the staged one is written from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-dist/functions-app}"

rm -rf "$out"
mkdir -p "$out/dist"
npx tsx deploy/bundleFunctions.ts "$out/dist/functions.mjs"
cp host.json package-lock.json "$out/"
# name and version stay: build_info reads them from the package.json nearest the bundle.
node -e '
  const pkg = require("./package.json");
  const staged = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    type: "module",
    main: "dist/functions.mjs",
    engines: pkg.engines,
    dependencies: { "@azure/identity": pkg.dependencies["@azure/identity"] },
  };
  require("node:fs").writeFileSync(process.argv[1], JSON.stringify(staged, null, 2) + "\n");
' "$out/package.json"
cd "$out"
# install, not ci: the copied lock also lists what the bundle already holds; npm prunes those
# and keeps the pinned versions of the rest.
npm install --omit=dev --no-audit --no-fund
echo "staged in $out: publish it with: cd $out && func azure functionapp publish <APP_NAME> --javascript"
