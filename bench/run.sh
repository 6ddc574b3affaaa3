#!/usr/bin/env bash
# make bench: every benchmark prints its figures beside a baseline measured in the same run.
#  1. location → grid: spatial index vs a linear scan (bench_locate)
#  2. HTTP on a generated city: intake (POST /events) and reads (GET /events/{id}, first page of
#     GET /events) with wrk, beside GET /healthz (no database work) as the baseline.
#  3. summary and indicators vs a plain SQL GROUP BY, on the generated city and (3b) on a city of
#     BULK_EVENTS events (default 5000000) built by bench_bulk (one INSERT … SELECT) + stats rebuild
#  2b. (issue 3) the same city and the same wrk runs against PostgreSQL: a private, durable
#     cluster (tests/pg/cluster.sh with the settings below, printed), the city copied from the
#     SQLite file (gridgov copy), then `gridgov gen` of PG_GEN_EVENTS more events on each backend
#     and a table of both side by side. The cluster is stopped and removed at the end, also on
#     failure.
# Sizes: GRIDS (default 10000), EVENTS (default 1000000), DURATION (default 10s), CONNS (32),
# BULK_EVENTS (default 5000000; 0 skips 3b), PG (default 1; 0 skips 2b), PG_GEN_EVENTS (20000),
# PG_SHARED_BUFFERS (default 2GB: the 1,000,000-event city is 1.8 GB in PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
GRIDS=${GRIDS:-10000}
EVENTS=${EVENTS:-1000000}
BULK_EVENTS=${BULK_EVENTS:-5000000}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
PG=${PG:-1}
PG_GEN_EVENTS=${PG_GEN_EVENTS:-20000}
BIN=./build/gridgov
work=$(mktemp -d /tmp/gridgov-bench.XXXXXX)
pid=""
pgdir=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pgdir" ] && bash tests/pg/cluster.sh stop "$pgdir"
  rm -rf "$work"
}
trap cleanup EXIT

echo "== 1. location → grid"
./build/bench_locate

echo
echo "== 2. HTTP, SQLite, $GRIDS grids, $EVENTS events (wrk: $CONNS connections, $DURATION)"
export GRIDGOV_ADMIN_PASSWORD='Bench#2026pass'
db="$work/bench.db"
t0=$(date +%s.%N)
$BIN init --db "$db" >/dev/null
$BIN gen --db "$db" --grids "$GRIDS" --residents 0 --events "$EVENTS"
t1=$(date +%s.%N)
# intake posts to random points of the generated events' bounding box
read -r LAT0 LAT1 LON0 LON1 < <(sqlite3 -separator ' ' "$db" \
  "SELECT min(lat), max(lat), min(lon), max(lon) FROM events")
export LAT0 LAT1 LON0 LON1
export MAXID=$(sqlite3 "$db" "SELECT max(id) FROM events")
echo "generated in $(echo "$t1 - $t0" | bc) s; database $(du -h "$db" | cut -f1)"

# 2b, part 1: the same city into PostgreSQL now, before the SQLite server adds intake events
if [ "$PG" != 0 ]; then
  pgdir=$(mktemp -u /tmp/gridgov-bench-pg.XXXXXX) # not under $work: the cluster's own user
  pgport=$((20000 + RANDOM % 20000))
  # a durable cluster (the tests' throwaway settings fsync = off etc. are overridden), with
  # the WAL and buffers sized so that no checkpoint falls into a measurement
  cat >"$work/pg.conf" <<CONF
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
shared_buffers = ${PG_SHARED_BUFFERS:-2GB}
effective_cache_size = 8GB
wal_buffers = 16MB
max_wal_size = 8GB
checkpoint_timeout = 30min
max_connections = 200
random_page_cost = 1.1
CONF
  bash tests/pg/cluster.sh start "$pgdir" "$pgport" "$work/pg.conf" >/dev/null
  pgurl="postgres://gridgov:gridgov-test@127.0.0.1:$pgport"
  PGPASSWORD=gridgov-test psql -qAt "$pgurl/postgres" -c "CREATE DATABASE bench"
  pgdb="$pgurl/bench"
  t0=$(date +%s.%N)
  $BIN copy --from "$db" --to "$pgdb" 2>/dev/null | sed 's/^/  /'
  t1=$(date +%s.%N)
  # as after any bulk load: statistics, visibility map, and a checkpoint now rather than in
  # the middle of a measurement
  PGPASSWORD=gridgov-test psql -qAt "$pgdb" -c "VACUUM ANALYZE" -c "CHECKPOINT" 2>/dev/null
  # and the tables and indexes read into shared_buffers (pg_prewarm, in Debian's server
  # package), as on a server that has been running a while: the 5 s warm-up below touches a
  # fraction of the 1.7 GB, and a first read of a page copies it from the OS cache
  PGPASSWORD=gridgov-test psql -qAt "$pgdb" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
    -c "SELECT sum(pg_prewarm(c.oid::regclass)) FROM pg_class c JOIN pg_namespace n ON
        n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')" >/dev/null
  echo "  PostgreSQL: the city copied in $(echo "$t1 - $t0" | bc) s (then VACUUM ANALYZE, CHECKPOINT, pg_prewarm);" \
       "database $(PGPASSWORD=gridgov-test psql -qAt "$pgdb" -c \
       "SELECT pg_size_pretty(pg_database_size('bench'))")"
fi

run() { # name, lua script, path
  local out
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "bench/$2" "$base$3" 2>&1)
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf "  %-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s\n" "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps"  > "$work/$prefix$1.rps"
  echo "$p50"  > "$work/$prefix$1.p50"
}
# HTTP figures of one backend: serve DB, the wrk runs, the group commit, memory; stops the server
http_section() { # DB
  port=$((20000 + RANDOM % 20000))
  $BIN serve --db "$1" --listen 127.0.0.1:$port >"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  token=$(curl -fs -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$GRIDGOV_ADMIN_PASSWORD\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | sed 's/.*"token": *"\([0-9a-f]*\)".*/\1/')
  export TOKEN=$token
  base="http://127.0.0.1:$port"
  # warm-up, not measured: the HTTP threads open their database connections (PostgreSQL: one
  # per thread, each a backend process and a SCRAM handshake)
  wrk -t2 -c"$CONNS" -d5s -s bench/read.lua "$base/api/v1/events/1" >/dev/null 2>&1 || true
  run healthz auth.lua /healthz
  run "event_by_id" read.lua /api/v1/events/1
  run "event_list_first_page" auth.lua "/api/v1/events?limit=50"
  run "event_list_filtered" auth.lua "/api/v1/events?status=dispatched&color=red&limit=50"
  run intake intake.lua /api/v1/events
  # the group commit during the intake run: mean group size and time per COMMIT (fsync included)
  curl -fs "$base/metrics" | awk '
    /^gridgov_write_commits_total/ {c = $2} /^gridgov_write_jobs_total/ {j = $2}
    /^gridgov_write_commit_seconds_total/ {t = $2}
    END { if (c > 0) printf "  group commit: %d writes in %d commits, %.1f per commit, %.2f ms per COMMIT\n", j, c, j / c, 1000 * t / c }'
  base_rps=$(cat "$work/${prefix}healthz.rps")
  for n in event_by_id event_list_first_page intake; do
    r=$(cat "$work/$prefix$n.rps")
    printf "  ratio %-22s %.2f of the healthz baseline\n" "$n" "$(echo "$r / $base_rps" | bc -l)"
  done
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  echo "  server peak resident memory: $((rss / 1024)) MB"
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [[ "$1" == postgres* ]]; then # the connections this server holds: its pool
    echo "  connections of the server: $(PGPASSWORD=gridgov-test psql -qAt "$pgdb" -c \
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gridgov'")"
  fi
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  pid=""
}
prefix=""
http_section "$db"

if [ "$PG" != 0 ]; then
  echo
  echo "== 2b. HTTP, PostgreSQL, the same city (wrk: $CONNS connections, $DURATION)"
  PGPASSWORD=gridgov-test psql -qAt -F ' = ' "$pgdb" -c "SELECT name, current_setting(name)
    FROM pg_settings WHERE name IN ('server_version', 'shared_buffers', 'effective_cache_size',
    'synchronous_commit', 'fsync', 'full_page_writes', 'wal_level', 'wal_buffers', 'max_wal_size',
    'checkpoint_timeout', 'commit_delay', 'max_connections') ORDER BY name" | sed 's/^/  setting /'
  prefix="pg_"
  http_section "$pgdb"
  # intake through the use case without HTTP, the same number of events on each backend
  for b in sqlite pg; do
    [ "$b" = sqlite ] && d="$db" || d="$pgdb"
    t0=$(date +%s.%N)
    $BIN gen --db "$d" --events "$PG_GEN_EVENTS" >/dev/null 2>&1
    t1=$(date +%s.%N)
    echo "$PG_GEN_EVENTS / ($t1 - $t0)" | bc -l > "$work/${b}_gen.rps"
  done
  echo
  echo "  side by side (same city, same wrk runs; gridgov gen: $PG_GEN_EVENTS more events each)"
  printf "  %-28s %14s %14s %8s\n" "" "SQLite" "PostgreSQL" "PG/SQLite"
  for n in healthz event_by_id event_list_first_page event_list_filtered intake gen; do
    if [ "$n" = gen ]; then a=$(cat "$work/sqlite_gen.rps"); p=$(cat "$work/pg_gen.rps")
    else a=$(cat "$work/$n.rps"); p=$(cat "$work/pg_$n.rps"); fi
    printf "  %-28s %10.0f /s  %10.0f /s  %8.2f\n" "$n" "$a" "$p" "$(echo "$p / $a" | bc -l)"
  done
  bash tests/pg/cluster.sh stop "$pgdir"
  pgdir=""
fi

# issue 4: analysis and the ledger, on the same generated city (the server was stopped first so
# that the measurements do not share the CPU with it)
echo
echo "== 3. summary and indicators (counters) vs a plain SQL GROUP BY over events"
./build/bench_stats "$db" 50
if [ "$BULK_EVENTS" -gt 0 ]; then
  echo
  echo "== 3b. summary and indicators over $BULK_EVENTS events (bench_bulk + stats rebuild)"
  big="$work/bulk.db"
  $BIN init --db "$big" >/dev/null
  $BIN gen --db "$big" --grids "$GRIDS" --residents 0 --events 0 >/dev/null
  /usr/bin/time -f "  bulk insert: %e s, peak resident %M KB" ./build/bench_bulk "$big" "$BULK_EVENTS" 365
  /usr/bin/time -f "  stats rebuild: %e s, peak resident %M KB" $BIN stats rebuild --db "$big"
  ./build/bench_stats "$big" 50
  rm -f "$big" "$big-wal" "$big-shm"
fi
echo
echo "== 4. ledger export of every event of the city ($EVENTS rows): seconds and peak memory"
for f in csv xlsx; do
  /usr/bin/time -f "  $f: %e s, peak resident %M KB" $BIN export events --db "$db" --format "$f" \
    --out "$work/ledger.$f" 2>&1 | grep -v '^exported'
  echo "  $f: $(du -h "$work/ledger.$f" | cut -f1) written"
done
echo
echo "== 5. stats rebuild"
/usr/bin/time -f "  %e s, peak resident %M KB" $BIN stats rebuild --db "$db" 2>&1
echo
echo "== 6. issue 6: bulk import of people (validate, seal, store) vs reading the CSV alone"
/usr/bin/time -f "  %e s wall, %U s user, %S s system, peak resident %M KB" \
  ./build/bench_import "${PEOPLE:-1000000}" "$work" 2>&1 | grep -v '…'
