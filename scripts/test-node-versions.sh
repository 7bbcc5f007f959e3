#!/usr/bin/env bash
# Runs the portable tests (vitest.portable.config.ts: no live systems, no native addon) on Node.js
# 22 and 24, whose binaries come from the npm registry's `node` package (npx -p node@22). With a
# directory argument, each run also writes its JSON report there (node-22.json, node-24.json).
set -uo pipefail
cd "$(dirname "$0")/.."
reports=${1:-}
status=0
for version in 22 24; do
  bin=$(npx -y -p "node@$version" which node | tail -n 1)
  if [ ! -x "$bin" ]; then echo "== Node.js $version could not be installed from the npm registry" >&2; status=1; continue; fi
  echo "== the portable tests on Node.js $("$bin" --version)"
  args=(node_modules/vitest/vitest.mjs run --config vitest.portable.config.ts)
  [ -n "$reports" ] && args+=(--reporter=default --reporter=json "--outputFile.json=$reports/node-$version.json")
  "$bin" "${args[@]}" || status=1
done
exit $status
