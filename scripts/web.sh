#!/usr/bin/env bash
# Builds the web console into web/dist when needed:
#   npm ci         when web/node_modules is missing or package-lock.json changed since the last install;
#   npm run build  when a source (src/, public/, index.html, vite.config.js, the lockfile) is newer than web/dist.
# Prints the bundle size (gzip) after a build. Usage: scripts/web.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v npm >/dev/null 2>&1; then
  echo "web: npm not found, installing Debian's nodejs and npm" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "web: npm ci" >&2
  npm ci --no-audit --no-fund --fetch-timeout=120000 --fetch-retries=5 >&2
  touch "$stamp"
fi

need=0
if [ "${1:-}" = "--force" ] || [ ! -f dist/index.html ]; then
  need=1
elif [ -n "$(find src public index.html vite.config.js package-lock.json scripts -newer dist/index.html -print -quit)" ]; then
  need=1
fi
if [ "$need" = 1 ]; then
  echo "web: npm run build" >&2
  npm run build --silent
  touch dist/index.html
else
  echo "web: web/dist is up to date" >&2
fi
