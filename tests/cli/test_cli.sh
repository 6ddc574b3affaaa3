#!/usr/bin/env bash
# test_cli.sh - the gridgov command line end to end: init, the password policy, user add, gen,
# audit verify (intact, then tampered), backup, usage errors, serve answering /healthz and
# stopping on SIGTERM. Usage: test_cli.sh path/to/gridgov
set -euo pipefail

GG=${1:?usage: test_cli.sh path/to/gridgov}
GG=$(cd "$(dirname "$GG")" && pwd)/$(basename "$GG")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgov-cli.XXXXXX")
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
# the default catalog, wherever the test runs from
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GRIDGOV_CATALOG=${GRIDGOV_CATALOG:-$SRC/data/catalog.tsv}
cd "$TMP"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
DB=$TMP/city.db

# --version and --help
"$GG" --version | grep -q '^gridgov ' || fail "--version"
"$GG" --help | grep -q 'audit verify' || fail "--help lists commands"
"$GG" init --help | grep -q -- '--db' || fail "init --help"
ok "version and help"

# init: a weak password is refused, nothing half-done; a good one creates admin
set +e
"$GG" init --db "$DB" --admin-password short 2>err.txt
rc=$?
set -e
[ $rc -ne 0 ] || fail "weak admin password accepted"
[ $rc -ne 2 ] || fail "weak password is not a usage error"
[ "$(wc -l <err.txt)" -ge 1 ] || fail "no error message for a weak password"
ok "weak admin password refused (exit $rc): $(head -1 err.txt)"
GRIDGOV_ADMIN_PASSWORD='Chief#2024city' "$GG" init --db "$DB" >out.txt
grep -q 'initialised' out.txt || fail "init output: $(cat out.txt)"
ok "init"

# user add: needs an existing scope; a weak password is refused
"$GG" user add --db "$DB" --username wgy0001 --role grid_officer --scope 220100 \
    --password 'Wangge#2024x' >out.txt
grep -q 'created user wgy0001' out.txt || fail "user add: $(cat out.txt)"
set +e
"$GG" user add --db "$DB" --username wgy0002 --role grid_officer --scope 220100 \
    --password 'abc' 2>/dev/null
rc1=$?
"$GG" user add --db "$DB" --username wgy0003 --role grid_officer --scope nosuchorg \
    --password 'Wangge#2024x' 2>/dev/null
rc2=$?
"$GG" user add --db "$DB" --username wgy0004 --role chief --scope 220100 2>/dev/null
rc3=$?
set -e
[ $rc1 -eq 1 ] || fail "user add with a weak password: exit $rc1"
[ $rc2 -eq 1 ] || fail "user add with an unknown scope: exit $rc2"
[ $rc3 -eq 2 ] || fail "user add with an unknown role: exit $rc3"
ok "user add"

# gen: synthetic grids, then 500 events into them
"$GG" gen --db "$DB" --grids 50 --seed 7 2>gen.txt || fail "gen --grids: $(cat gen.txt)"
"$GG" gen --db "$DB" --events 500 --seed 7 >out.txt 2>gen.txt || fail "gen: $(cat gen.txt)"
grep -q 'generated 500 events' out.txt || fail "gen output: $(cat out.txt)"
ok "gen 500 events"

# audit verify: intact
"$GG" audit verify --db "$DB" >out.txt || fail "audit verify on a fresh db"
grep -Eq '^audit chain intact: [0-9]+ entries$' out.txt || fail "audit output: $(cat out.txt)"
ok "$(cat out.txt)"

# backup: the copy verifies too (taken before tampering)
"$GG" backup --db "$DB" --to "$TMP/backup.db" >/dev/null || fail "backup"
[ -s "$TMP/backup.db" ] || fail "backup file is empty"
"$GG" audit verify --db "$TMP/backup.db" | grep -q 'audit chain intact' || fail "backup verify"
ok "backup verifies"

# tamper with entry 3: verify exits 1 and names it
if command -v sqlite3 >/dev/null; then
    sqlite3 "$DB" "UPDATE audit SET detail='x' WHERE id=3"
    set +e
    "$GG" audit verify --db "$DB" >out.txt 2>err.txt
    rc=$?
    set -e
    [ $rc -eq 1 ] || fail "tampered audit verify exit $rc"
    grep -q 'entry 3' err.txt || fail "tampered entry not named: $(cat err.txt)"
    ok "tampering detected: $(head -1 err.txt)"
else
    echo "skip - sqlite3 CLI not installed: tamper check"
fi

# usage errors exit 2
set +e
"$GG" frobnicate 2>/dev/null; rc1=$?
"$GG" init --db "$DB" --bogus 2>/dev/null; rc2=$?
"$GG" audit 2>/dev/null; rc3=$?
"$GG" 2>/dev/null; rc4=$?
set -e
[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] && [ $rc4 -eq 2 ] ||
    fail "usage errors exit $rc1 $rc2 $rc3 $rc4, want 2"
ok "usage errors exit 2"

# serve on a free port: /healthz answers, SIGTERM stops it cleanly
"$GG" serve --db "$TMP/backup.db" --listen 127.0.0.1:0 >serve.txt 2>serve.err &
SERVER_PID=$!
URL=
for _ in $(seq 1 100); do
    URL=$(grep -o 'http://[0-9.]*:[0-9]*/' serve.txt 2>/dev/null | head -1 || true)
    [ -n "$URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "serve exited: $(cat serve.err)"
    sleep 0.1
done
[ -n "$URL" ] || fail "serve printed no URL"
body=$(curl -fsS "${URL}healthz") || fail "healthz did not answer"
echo "$body" | grep -q 'ok' || fail "healthz said: $body"
kill -TERM "$SERVER_PID"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=
[ $rc -eq 0 ] || fail "serve exit $rc after SIGTERM: $(tail -3 serve.err)"
ok "serve answered ${URL}healthz and stopped on SIGTERM"

echo "all CLI tests passed"
