#!/usr/bin/env bash
# Several servers, one PostgreSQL database (issue 3): two `gridgov serve` processes on their
# own ports against one database. Checks that
#   - an event created through one server is read, listed and acted on through the other;
#   - the live feed of one server streams a change made through the other;
#   - racing actions at one version through the two servers: exactly one wins (200), the
#     other gets 409, and the timeline holds one step;
#   - both servers start their overdue sweep at once on a city with overdue events, and every
#     overdue event is escalated exactly once;
#   - restarting PostgreSQL under a running server: requests fail with 503 meanwhile and
#     succeed again afterwards without restarting gridgov, no acknowledged event lost.
# Needs GRIDGOV_TEST_PG (CTest's pg fixture sets it) and the cluster's data dir in
# GRIDGOV_TEST_PG_DIR for the restart.
set -eu
bin=${1:?usage: test_multi_server.sh path/to/gridgov}
: "${GRIDGOV_TEST_PG:?GRIDGOV_TEST_PG must name a PostgreSQL server}"
work=$(mktemp -d /tmp/gg-multi-XXXXXX)
db="gg_multi_$$"
url="$GRIDGOV_TEST_PG/$db"
pids=()
fail() { echo "FAIL: $*" >&2; exit 1; }
psql_admin() { psql -qAt "$GRIDGOV_TEST_PG/postgres" -c "$1"; }
psql_db() { psql -qAt "$url" -c "$1"; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

export GRIDGOV_ADMIN_PASSWORD=Multi12345pw GRIDGOV_FILES="$work/files"
psql_admin "CREATE DATABASE $db"
"$bin" init --db "$url" >/dev/null 2>&1
"$bin" gen --db "$url" --grids 25 --events 120 >/dev/null 2>&1
overdue=$(psql_db "SELECT count(*) FROM events WHERE status IN (1,2,3) AND suspended = 0
                   AND level < 3 AND escalate_at <= extract(epoch FROM now())")
[ "$overdue" -gt 0 ] || fail "the generated city has no overdue events to sweep"

# two servers, started together so that their first sweeps race
start() { # name → sets port_<name>
  "$bin" serve --db "$url" --listen 127.0.0.1:0 --threads 4 >"$work/$1.out" 2>"$work/$1.err" &
  pids+=($!)
}
start a
start b
for name in a b; do
  for _ in $(seq 100); do
    grep -q listening "$work/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/$name.out")
  [ -n "$port" ] || { cat "$work/$name.err" >&2; fail "server $name did not start"; }
  eval "port_$name=$port"
done
A="http://127.0.0.1:$port_a/api/v1"
B="http://127.0.0.1:$port_b/api/v1"

token=$(curl -sf -X POST "$A/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$GRIDGOV_ADMIN_PASSWORD\"}" | jq -r .token)
[ -n "$token" ] && [ "$token" != null ] || fail "login through server A"
H=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')

# 1. a session made on A is valid on B; an event created through A is read through B
curl -sf "${H[@]}" "$B/me" >/dev/null || fail "A's token refused by B"
sample=$(curl -sf "${H[@]}" "$A/events?limit=1")
lat=$(jq -r '.items[0].lat' <<<"$sample")
lon=$(jq -r '.items[0].lon' <<<"$sample")
cat=$(jq -r '.items[0].category_code' <<<"$sample")
created=$(curl -sf "${H[@]}" -X POST "$A/events" \
  -d "{\"category_code\":\"$cat\",\"description\":\"多服务器 multi-server $$\",\"lat\":$lat,\"lon\":$lon,\"source\":\"hotline\"}")
id=$(jq -r .id <<<"$created")
[ "$id" -gt 0 ] 2>/dev/null || fail "create through A: $created"
got=$(curl -sf "${H[@]}" "$B/events/$id" | jq -r .description)
[ "$got" = "多服务器 multi-server $$" ] || fail "event $id read through B: '$got'"
curl -sf "${H[@]}" "$B/events?q=multi-server%20$$" | jq -e --argjson id "$id" \
  '[.items[].id] | index($id) != null' >/dev/null || fail "event $id not in B's list"

# 2. B's live feed shows a change made through A
feed_cursor=$(psql_db "SELECT coalesce(max(id), 0) FROM feed")
curl -sN --max-time 4 "${H[@]}" "$B/events/stream?last_event_id=$feed_cursor" >"$work/stream" &
stream_pid=$!
sleep 1
curl -sf "${H[@]}" -X POST "$A/events/$id/actions" -d '{"action":"supervise","note":"via A"}' \
  >/dev/null || fail "supervise through A"
wait "$stream_pid" || true
grep -q "\"event_id\":$id" "$work/stream" || { cat "$work/stream" >&2; fail "B's stream missed A's change"; }

# 3. racing actions at one version through A and B: exactly one wins
ids=$(curl -sf "${H[@]}" "$A/events?limit=15" | jq -r '.items[].id')
n=0
for e in $ids; do
  v=$(curl -sf "${H[@]}" "$A/events/$e" | jq -r .version)
  body="{\"action\":\"supervise\",\"note\":\"race\",\"expected_version\":$v}"
  curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X POST "$A/events/$e/actions" -d "$body" >"$work/ra" &
  p1=$!
  curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X POST "$B/events/$e/actions" -d "$body" >"$work/rb" &
  p2=$!
  wait $p1 $p2
  pair="$(cat "$work/ra") $(cat "$work/rb")"
  [ "$pair" = "200 409" ] || [ "$pair" = "409 200" ] || fail "event $e: statuses $pair, want one 200 and one 409"
  races=$(curl -sf "${H[@]}" "$B/events/$e" | jq '[.timeline[] | select(.note == "race")] | length')
  [ "$races" = 1 ] || fail "event $e: $races race steps in the timeline"
  n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n events raced"

# 4. the two sweeps escalated every overdue event exactly once
for _ in $(seq 50); do
  left=$(psql_db "SELECT count(*) FROM events WHERE status IN (1,2,3) AND suspended = 0
                  AND level < 3 AND escalate_at <= extract(epoch FROM now()) - 5")
  [ "$left" = 0 ] && break
  sleep 0.2
done
escalated=$(psql_db "SELECT count(DISTINCT event_id) FROM timeline WHERE note = '超期自动上报'")
twice=$(psql_db "SELECT count(*) FROM (SELECT event_id FROM timeline WHERE note = '超期自动上报'
                 GROUP BY event_id HAVING count(*) > 1) t")
[ "$escalated" -ge "$overdue" ] || fail "$escalated of $overdue overdue events escalated"
[ "$twice" = 0 ] || fail "$twice events escalated twice by the two sweeps"

# 5. PostgreSQL restarts under server A: 503 meanwhile, recovery without restarting gridgov
if [ -n "${GRIDGOV_TEST_PG_DIR:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u gridgov-pg -- "$@"; else "$@"; fi; }
  before=$(psql_db "SELECT count(*) FROM events")
  as_pg "$pgbin/pg_ctl" -D "$GRIDGOV_TEST_PG_DIR/data" -m fast -w stop >/dev/null
  st=$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X POST "$A/events" \
    -d "{\"category_code\":\"$cat\",\"description\":\"during restart\",\"lat\":$lat,\"lon\":$lon,\"source\":\"hotline\"}")
  hz=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_a/healthz")
  as_pg "$pgbin/pg_ctl" -D "$GRIDGOV_TEST_PG_DIR/data" -l "$GRIDGOV_TEST_PG_DIR/server.log" -w start >/dev/null
  [ "$st" = 503 ] || fail "POST /events while the database is down: $st, want 503"
  [ "$hz" = 503 ] || fail "/healthz while the database is down: $hz, want 503"
  ok=""
  for _ in $(seq 50); do
    st=$(curl -s -o "$work/after" -w '%{http_code}' "${H[@]}" -X POST "$A/events" \
      -d "{\"category_code\":\"$cat\",\"description\":\"after restart\",\"lat\":$lat,\"lon\":$lon,\"source\":\"hotline\"}")
    [ "$st" = 201 ] && { ok=1; break; }
    sleep 0.2
  done
  [ -n "$ok" ] || fail "no recovery after the restart (last status $st)"
  after_id=$(jq -r .id "$work/after")
  curl -sf "${H[@]}" "$A/events/$after_id" >/dev/null || fail "event $after_id not readable after recovery"
  after=$(psql_db "SELECT count(*) FROM events")
  [ "$after" -eq $((before + 1)) ] || fail "events before $before, after $after: want exactly one more"
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port_a/healthz")" = 200 ] ||
    fail "/healthz after recovery"
fi
echo "multi-server: created on A read on B, streamed across, $n races one winner each," \
  "$escalated overdue events escalated once by two sweeps${GRIDGOV_TEST_PG_DIR:+, restart recovered}"
