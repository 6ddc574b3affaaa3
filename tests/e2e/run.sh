#!/usr/bin/env bash
# Browser end-to-end tests of the console: tests/e2e/run.sh /path/to/gridgov
# Installs what is missing (setup.sh), builds web/dist when stale (scripts/web.sh), then runs
# console.test.mjs, which starts its own gridgov on a fresh database and a free port and always
# stops it. Screenshots go to $GRIDGOV_SCREENSHOTS (default tests/e2e/out/screenshots).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-${GRIDGOV_BIN:-}}"
if [ -z "$bin" ] || [ ! -x "$bin" ]; then echo "usage: tests/e2e/run.sh /path/to/gridgov (or GRIDGOV_BIN)" >&2; exit 2; fi
export GRIDGOV_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
export GRIDGOV_WEB="${GRIDGOV_WEB:-$root/web/dist}"
export GRIDGOV_SCREENSHOTS="${GRIDGOV_SCREENSHOTS:-$here/out/screenshots}"
bash "$here/setup.sh"
bash "$root/scripts/web.sh"
cd "$here"
start=$(date +%s)
set +e
node --test --test-concurrency=1 --test-reporter=spec console.test.mjs
rc=$?
set -e
echo "e2e: finished in $(( $(date +%s) - start )) s (exit $rc); screenshots in $GRIDGOV_SCREENSHOTS"
exit $rc
