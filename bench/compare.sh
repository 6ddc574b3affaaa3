#!/usr/bin/env bash
# compare.sh OLD_BIN NEW_BIN [ROUNDS]: the HTTP figures of two gridgov builds, run alternately
# against fresh copies of one generated city (GRIDS, default 2000; EVENTS, default 20000), so
# that a busy machine slows both alike: intake, GET /events/{id}, first page of GET /events.
# wrk with 32 connections for DURATION (default 6s) each. Example, against the previous commit:
#   git worktree add /tmp/old HEAD~1 && (cd /tmp/old && make build)
#   bash bench/compare.sh /tmp/old/build/gridgov build/gridgov
# With PG_DB=postgres://… (an initialised database holding a city, e.g. made by gridgov copy)
# both builds serve that database in turn instead (it gains the intake events of each round).
# Every run starts with a 5 s warm-up of reads (connections, caches) that is not measured.
set -euo pipefail
OLD=${1:?usage: compare.sh OLD_BIN NEW_BIN [ROUNDS]}
NEW=${2:?usage: compare.sh OLD_BIN NEW_BIN [ROUNDS]}
ROUNDS=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/gridgov-compare.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export GRIDGOV_ADMIN_PASSWORD=${GRIDGOV_ADMIN_PASSWORD:-'Bench#2026pass'}
box="SELECT min(lat), max(lat), min(lon), max(lon), max(id) FROM events"
if [ -n "${PG_DB:-}" ]; then
  read -r LAT0 LAT1 LON0 LON1 MAXID < <(psql -qAt -F ' ' "$PG_DB" -c "$box")
else
  "$NEW" init --db "$work/base.db" >/dev/null
  "$NEW" gen --db "$work/base.db" --grids "${GRIDS:-2000}" --residents 0 --events "${EVENTS:-20000}" >/dev/null
  read -r LAT0 LAT1 LON0 LON1 MAXID < <(sqlite3 -separator ' ' "$work/base.db" "$box")
fi
export LAT0 LAT1 LON0 LON1 MAXID

one() { # BIN LABEL
  local db="${PG_DB:-$work/run.db}"
  if [ -z "${PG_DB:-}" ]; then
    rm -rf "$work"/run.db*
    cp "$work/base.db" "$work/run.db"
  fi
  local port=$((20000 + RANDOM % 20000))
  "$1" serve --db "$db" --listen 127.0.0.1:$port >"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$GRIDGOV_ADMIN_PASSWORD\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | sed 's/.*"token": *"\([0-9a-f]*\)".*/\1/')
  export TOKEN
  wrk -t2 -c32 -d5s -s "$here/read.lua" "http://127.0.0.1:$port/api/v1/events/1" >/dev/null 2>&1 || true
  for t in "read.lua /api/v1/events/1" "auth.lua /api/v1/events?limit=50" \
           "intake.lua /api/v1/events"; do
    set -- $t
    local out
    out=$(wrk -t2 -c32 -d"${DURATION:-6s}" --latency -s "$here/$1" "http://127.0.0.1:$port$2")
    printf "  %-4s %-26s %10s req/s   p50 %8s   p99 %8s   load %s\n" "$LABEL" "$2" \
      "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
      "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
}
for r in $(seq "$ROUNDS"); do
  echo "round $r"
  LABEL=old one "$OLD"
  LABEL=new one "$NEW"
done
