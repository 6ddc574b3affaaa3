#!/usr/bin/env bash
# test_migrate.sh - schema migrations end to end (issue 3), on SQLite and, when
# GRIDGOV_TEST_PG names a server, on PostgreSQL: a new database gets every step; a database
# left at an older version makes serve (and every other command but migrate) say so in one line
# and exit 1 without touching it; `gridgov migrate` applies the missing step once, records it,
# and a second run has nothing to do; then serve starts. On PostgreSQL also: a refused
# connection, a bad password and a missing database are one line, exit 1, no password shown.
# Usage: test_migrate.sh path/to/gridgov
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" migrate "${1:-}"
export GRIDGOV_ADMIN_PASSWORD=Migrate123pw

# check BACKEND DB SQLCMD: SQLCMD runs one SQL statement on DB and prints the answer
check() {
    local name=$1 db=$2 sql=$3
    "$GG" init --db "$db" >/dev/null 2>&1 || fail "$name: init"
    # every step is applied to a new database: the latest version N, N steps recorded
    local n prev
    n=$($sql "SELECT value FROM settings WHERE key = 'schema_version'")
    [ "$n" -ge 2 ] || fail "$name: a new database is at the latest version (got $n)"
    [ "$($sql "SELECT count(*) FROM schema_migrations")" = "$n" ] || fail "$name: $n steps recorded"
    "$GG" migrate --db "$db" | grep -q "version $n is current, nothing to do" ||
        fail "$name: migrate on a current database"

    # back to version N-1, as a database made by the previous release would be (every step is
    # written to be applied again safely: CREATE … IF NOT EXISTS, DROP … IF EXISTS)
    prev=$((n - 1))
    # a step that adds columns cannot run twice: take it back first (SQLite, step 5)
    if [ "$name" = sqlite ] && [ "$n" = 5 ]; then
        $sql "DROP INDEX events_recolor_cover" >/dev/null
        $sql "ALTER TABLE events DROP COLUMN recolor_at" >/dev/null
        $sql "ALTER TABLE events DROP COLUMN color_mark" >/dev/null
    fi
    $sql "DELETE FROM schema_migrations WHERE version = $n" >/dev/null
    $sql "UPDATE settings SET value = '$prev' WHERE key = 'schema_version'" >/dev/null

    local rc=0
    timeout 20 "$GG" serve --db "$db" --listen 127.0.0.1:0 >out 2>err || rc=$?
    [ "$rc" = 1 ] || fail "$name: serve on an old schema exits 1 (got $rc)"
    grep -q "schema is version $prev, this gridgov needs $n: run \`gridgov migrate" err ||
        fail "$name: serve says what to do: $(cat err)"
    [ "$(grep -vc ' info \| warn ' err)" = 1 ] || fail "$name: one line: $(cat err)"
    grep -q listening out && fail "$name: serve must not listen on an old schema"
    rc=0
    "$GG" audit verify --db "$db" >/dev/null 2>err || rc=$?
    [ "$rc" = 1 ] || fail "$name: audit verify on an old schema exits 1"
    [ "$($sql "SELECT value FROM settings WHERE key = 'schema_version'")" = "$prev" ] ||
        fail "$name: a refused start changes nothing"
    ok "$name: an old schema is refused in one line"

    "$GG" migrate --db "$db" >out 2>/dev/null || fail "$name: migrate"
    grep -q "schema migrated from version $prev to $n" out || fail "$name: migrate says what it did"
    [ "$($sql "SELECT count(*) FROM schema_migrations WHERE version = $n")" = 1 ] ||
        fail "$name: step $n recorded once"
    [ "$($sql "SELECT value FROM settings WHERE key = 'schema_version'")" = "$n" ] ||
        fail "$name: version $n after migrate"
    "$GG" migrate --db "$db" | grep -q 'nothing to do' || fail "$name: second migrate"
    "$GG" audit verify --db "$db" >/dev/null 2>&1 || fail "$name: commands work after migrate"
    ok "$name: migrate applies the missing step once"
}

sqlite_sql() { sqlite3 "$TMP/m.db" "$1"; }
check sqlite "$TMP/m.db" sqlite_sql

if [ -n "${GRIDGOV_TEST_PG:-}" ]; then
    psql -qAt "$GRIDGOV_TEST_PG/postgres" -c "CREATE DATABASE $PGDB"
    pg_sql() { psql -qAt "$GRIDGOV_TEST_PG/$PGDB" -c "$1"; }
    check postgres "$GRIDGOV_TEST_PG/$PGDB" pg_sql

    # connection failures: one line naming where and why, exit 1, never the password
    hostport=${GRIDGOV_TEST_PG##*@}
    one_line() { # DESCRIPTION URL EXPECTED
        local rc=0
        "$GG" audit verify --db "$2" >out 2>err || rc=$?
        [ "$rc" = 1 ] || fail "$1: exit $rc, want 1"
        [ "$(wc -l <err)" = 1 ] || fail "$1: want one line: $(cat err)"
        grep -q "$3" err || fail "$1: '$3' not in: $(cat err)"
        grep -q 'Secret99' err out && fail "$1: the password is shown: $(cat err)"
        ok "$1: $(cat err)"
    }
    one_line "refused connection" "postgres://gridgov:Secret99@127.0.0.1:1/x" "Connection refused"
    one_line "bad password" "postgres://gridgov:Secret99@$hostport/$PGDB" \
        "password authentication failed"
    one_line "missing database" "${GRIDGOV_TEST_PG}/nosuchdb_$$" 'database "nosuchdb'
    one_line "malformed URL" "postgres://gridgov:Secret99@127.0.0.1:notaport/x" "cannot connect"
fi
