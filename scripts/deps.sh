#!/usr/bin/env bash
# Installs the Debian packages gridgov needs to build, run and test. Idempotent and quick when
# everything is present: it asks dpkg first and calls apt-get only for what is missing.
set -eu
pkgs=(build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
      libsodium-dev libcmocka-dev libcurl4-openssl-dev libxlsxwriter-dev libzip-dev libexpat1-dev
      python3-openpyxl
      sqlite3 curl)
if [ "${1:-}" = "--bench" ]; then pkgs+=(wrk bc); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
