#!/usr/bin/env bash
# Set-up of the browser tests: Debian's Chromium and CJK fonts (for readable screenshots),
# then playwright-core from the committed lockfile. Never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if ! command -v npm >/dev/null 2>&1; then need+=(nodejs npm); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "e2e: installing ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --fetch-timeout=120000 --fetch-retries=5 >&2
  touch "$stamp"
fi
