# lib.sh - sourced by the CLI tests that also run on PostgreSQL (test_migrate.sh, test_copy.sh):
# the gridgov binary as an absolute path in GG, a temporary folder TMP (the working directory),
# a PostgreSQL database name PGDB that cleanup drops if a test made it, fail and ok.
# Usage: . lib.sh NAME path/to/gridgov
GG=${2:?usage: $1 path/to/gridgov}
GG=$(cd "$(dirname "$GG")" && pwd)/$(basename "$GG")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgov-$1.XXXXXX")
PGDB="gg_$1_$$"
cleanup() {
    if [ -n "${GRIDGOV_TEST_PG:-}" ]; then
        psql -qAt "$GRIDGOV_TEST_PG/postgres" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GRIDGOV_CATALOG=${GRIDGOV_CATALOG:-$SRC/data/catalog.tsv}
export GRIDGOV_FILES=$TMP/files
cd "$TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
