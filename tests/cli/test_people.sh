#!/usr/bin/env bash
# test_people.sh - issue 6 end to end on the command line: `gridgov init` makes the personal-data
# key file with mode 0600; `gridgov import people` loads a CSV and an XLSX written by openpyxl
# (Debian's python3-openpyxl, an independent writer), refuses a file with broken rows as a whole
# (per-row report on stderr: row, column, reason; nothing written), and never stores an id
# number in clear. Usage: test_people.sh path/to/gridgov
set -euo pipefail

GG=${1:?usage: test_people.sh path/to/gridgov}
GG=$(cd "$(dirname "$GG")" && pwd)/$(basename "$GG")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgov-people.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GRIDGOV_CATALOG=${GRIDGOV_CATALOG:-$SRC/data/catalog.tsv}
PY=/usr/bin/python3
cd "$TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

GRIDGOV_ADMIN_PASSWORD='People#2026pass' "$GG" init --db p.db >/dev/null 2>&1 || fail init
[ "$(stat -c %a p.db.key)" = 600 ] || fail "key file mode $(stat -c %a p.db.key)"
grep -Eq '^[0-9a-f]{64}$' p.db.key || fail "key file content"
root=$(sqlite3 p.db "SELECT code FROM orgs WHERE parent_id = 0")
cat > orgs.geojson <<JSON
{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"T-D","name":"区","kind":"district","parent_code":"$root"},"geometry":null},
{"type":"Feature","properties":{"code":"T-S","name":"街道","kind":"street","parent_code":"T-D"},"geometry":null},
{"type":"Feature","properties":{"code":"T-C","name":"社区","kind":"community","parent_code":"T-S"},"geometry":null},
{"type":"Feature","properties":{"code":"T-G","name":"网格","kind":"grid","parent_code":"T-C"},"geometry":null}]}
JSON
"$GG" import orgs --db p.db orgs.geojson >/dev/null || fail "import orgs"

# broken rows: nothing imported, each reported with row and column
printf 'org_code,姓名,身份证号,手机号,户编号,三色\nT-G,甲,11010519491231002X,13812345678,H1,黄\nT-G,乙,110101199003070012,,H1,\nT-X,丙,,,,\n' > bad.csv
if "$GG" import people --db p.db bad.csv 2> err.txt; then fail "bad file accepted"; fi
grep -q 'row 3, column 身份证号: 身份证号校验码错误' err.txt || fail "no report for row 3: $(cat err.txt)"
grep -q 'row 4, column org_code' err.txt || fail "no report for row 4"
grep -q 'nothing was imported' err.txt || fail "no all-or-nothing notice"
[ "$(sqlite3 p.db 'SELECT count(*) FROM people')" = 0 ] || fail "half imported"

printf 'org_code,姓名,身份证号,手机号,户编号,三色,标签\nT-G,甲,11010519491231002X,13812345678,H1,黄,独居;低保\nT-G,乙,110101199003070011,,H1,,\n' > good.csv
"$GG" import people --db p.db good.csv | grep -q '2 rows, 2 people and 1 households' || fail "csv import"

"$PY" - <<'PYEOF' || fail "write xlsx"
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["org_code", "name", "id_number", "phone", "birth_date", "tags"])
ws.append(["T-G", "表格丙", "440304200002291236", "13700001234", "2000-02-29", "veteran"])
ws.append(["T-G", "表格丁", None, None, None, None])
wb.save("people.xlsx")
PYEOF
"$GG" import people --db p.db people.xlsx | grep -q '2 rows, 2 people' || fail "xlsx import"
[ "$(sqlite3 p.db 'SELECT count(*) FROM people')" = 4 ] || fail "people count"
[ "$(sqlite3 p.db "SELECT color FROM households WHERE code = 'H1'")" = 1 ] || fail "household colour"
# sealed at rest: no clear id or phone number anywhere in the database
sqlite3 p.db 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
if grep -aq -e '11010519491231002X' -e '13812345678' -e '440304200002291236' p.db; then
    fail "a clear number in the database file"
fi
# the same file again: every row is a duplicate id number, nothing more is written
if "$GG" import people --db p.db good.csv 2> err.txt; then fail "duplicates accepted"; fi
grep -q '已登记' err.txt || fail "duplicate not reported"
[ "$(sqlite3 p.db 'SELECT count(*) FROM people')" = 4 ] || fail "duplicates half imported"
"$GG" audit verify --db p.db >/dev/null || fail "audit chain"
echo "ok"
