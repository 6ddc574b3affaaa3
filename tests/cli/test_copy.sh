#!/usr/bin/env bash
# test_copy.sh - `gridgov copy` (issue 3): a generated city copied SQLite → SQLite, and with
# GRIDGOV_TEST_PG also SQLite → PostgreSQL → SQLite; every copy is verified by per-table counts
# and checksums read back from the destination; the audit chain verifies on each copy; ids
# keep growing after the copied ones (new events after the copy); a non-empty destination and
# a source on an older schema are refused. Usage: test_copy.sh path/to/gridgov
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" copy "${1:-}"
export GRIDGOV_ADMIN_PASSWORD=Copy12345pw
count() { sqlite3 "$1" "SELECT count(*) FROM $2"; }

"$GG" init --db a.db >/dev/null 2>&1
"$GG" gen --db a.db --grids 25 --events 200 >/dev/null 2>&1
# the party organisation and key tasks (schema step 4) are not generated: a few rows by hand,
# with the nullable columns (joined_days, done_days) both set and NULL
sqlite3 a.db <<'SQL'
INSERT INTO party_orgs VALUES (1, 0, 0, '街道党工委', '/1/', 1, '/1/', 1, 0, 100),
                              (2, 1, 2, '第一党支部', '/1/2/', 1, '/1/', 1, 0, 101);
INSERT INTO party_members VALUES (1, 2, '/1/2/', '/1/', 1, 0, '张三', 0, 0, 18000, 102),
                                 (2, 2, '/1/2/', '/1/', 1, 1, '李四', 0, 0, NULL, 103);
INSERT INTO report_ins VALUES (1, 1, 1, '/1/', 1, '水电维修', '周末', 104, 1);
INSERT INTO party_covers VALUES (1, 1, 1, '/1/', 1, 0, '包保 "社区"', 105);
INSERT INTO party_meetings VALUES (1, 2, '/1/2/', '/1/', 1, 1, 20000, '支部党员大会',
                                   'line 1
line 2', 1, 106);
INSERT INTO party_attendance VALUES (1, 1, 0, 1), (1, 2, 2, 1);
INSERT INTO tasks VALUES (1, 2, 0, '老旧小区改造', '', 1, '/1/', 1, 1, 500000, 1200, 1, 107, 108);
INSERT INTO task_milestones VALUES (1, 1, 1, '开工', 20010, 20012, 0), (2, 1, 1, '竣工', 20100, NULL, 0);
INSERT INTO task_reports VALUES (1, 1, 1, 202611, 40, '进度正常', 1, 109);
SQL
events=$(count a.db events)
audit=$(count a.db audit)

copy() { # FROM TO EVENTS
    "$GG" copy --from "$1" --to "$2" >out 2>err || { cat err >&2; fail "copy $1 → $2"; }
    grep -q 'counts and checksums verified' out || fail "copy $1 → $2 says it verified"
    grep -q '^copy: events *'"$3"' rows  sha256' err || fail "progress names the events"
}

copy a.db b.db "$events"
[ "$(count b.db events)" = "$events" ] || fail "events in the SQLite copy"
"$GG" audit verify --db b.db | grep -q "intact: $audit entries" || fail "audit chain of the copy"
ok "SQLite → SQLite: $events events, $audit audit entries, verified"

rc=0
"$GG" copy --from a.db --to b.db >/dev/null 2>err || rc=$?
[ "$rc" = 1 ] && grep -q 'already holds data' err || fail "a non-empty destination is refused"
latest=$(sqlite3 a.db "SELECT value FROM settings WHERE key = 'schema_version'")
sqlite3 a.db "UPDATE settings SET value = '1' WHERE key = 'schema_version'"
rc=0
"$GG" copy --from a.db --to c.db >/dev/null 2>err || rc=$?
[ "$rc" = 1 ] && grep -q 'run `gridgov migrate` on it first' err || fail "an old source is refused"
sqlite3 a.db "UPDATE settings SET value = '$latest' WHERE key = 'schema_version'"
ok "non-empty destination and old source refused"

if [ -n "${GRIDGOV_TEST_PG:-}" ]; then
    psql -qAt "$GRIDGOV_TEST_PG/postgres" -c "CREATE DATABASE $PGDB"
    PG="$GRIDGOV_TEST_PG/$PGDB"
    copy a.db "$PG" "$events"
    "$GG" audit verify --db "$PG" | grep -q "intact: $audit entries" || fail "audit chain on PostgreSQL"
    # new rows after the copy take ids after the copied ones
    "$GG" gen --db "$PG" --events 20 >/dev/null 2>&1 || fail "new events after the copy"
    pid=$(psql -qAt "$PG" -c "INSERT INTO party_orgs (kind, name, org_id, org_path)
                              VALUES (2, 'new', 1, '/1/') RETURNING id" | head -1)
    [ "$pid" = 3 ] || fail "a new party org after the copy takes id 3 (got $pid)"
    copy "$PG" d.db $((events + 20))
    [ "$(count d.db events)" = $((events + 20)) ] || fail "events back in SQLite"
    [ "$(sqlite3 d.db "SELECT count(DISTINCT id) FROM events")" = $((events + 20)) ] ||
        fail "distinct ids"
    "$GG" audit verify --db d.db >/dev/null || fail "audit chain after the round trip"
    [ "$(count d.db party_orgs)" = 3 ] && [ "$(count d.db task_milestones)" = 2 ] ||
        fail "party orgs and milestones back in SQLite"
    [ "$(sqlite3 d.db "SELECT count(*) FROM task_milestones WHERE done_days IS NULL")" = 1 ] ||
        fail "a NULL done_days survives the round trip"
    ok "SQLite → PostgreSQL → SQLite: verified both ways, ids continue after the copy"
fi
