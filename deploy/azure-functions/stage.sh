#!/usr/bin/env bash
# Stages a deployable Azure Functions app in dist/functions-app/ (or $1; dist/ is git-ignored):
# compiled JavaScript, host.json, production dependencies, and a package.json whose "main"
# names the entry point.
# The repository's own package.json is not changed: "main" is set in the staged copy only.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-dist/functions-app}"

rm -rf "$out"
mkdir -p "$out"
npx tsc -p deploy/tsconfig.build.json --outDir "$out/dist"
cp host.json package.json package-lock.json "$out/"
cd "$out"
npm pkg set main=dist/src/functions/index.js
npm ci --omit=dev --no-audit --no-fund
echo "staged in $out: publish it with: cd $out && func azure functionapp publish <APP_NAME> --javascript"
