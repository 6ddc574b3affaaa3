#!/usr/bin/env bash
# test_ledger.sh - the event ledger (台账) end to end: `gridgov gen` makes a city with events,
# `gridgov export events` writes XLSX and CSV, and both are read back independently: the XLSX
# with openpyxl (Debian's python3-openpyxl: headers in Chinese, frozen header row, widths, real
# date-times, one row per event), the CSV with Python's csv module (UTF-8 BOM, same rows).
# Also `gridgov stats rebuild`. Usage: test_ledger.sh path/to/gridgov
set -euo pipefail

GG=${1:?usage: test_ledger.sh path/to/gridgov}
GG=$(cd "$(dirname "$GG")" && pwd)/$(basename "$GG")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgov-ledger.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export GRIDGOV_CATALOG=${GRIDGOV_CATALOG:-$SRC/data/catalog.tsv}
PY=/usr/bin/python3 # Debian's, where python3-openpyxl is installed
cd "$TMP"
fail() { echo "FAIL: $*" >&2; exit 1; }

GRIDGOV_ADMIN_PASSWORD='Ledger#2026pass' "$GG" init --db city.db >/dev/null 2>&1 || fail init
"$GG" gen --db city.db --grids 25 --events 1500 --seed 7 >/dev/null 2>&1 || fail gen
"$GG" export events --db city.db --format xlsx --out city.xlsx 2>/dev/null || fail "export xlsx"
"$GG" export events --db city.db --format csv --out city.csv 2>/dev/null || fail "export csv"
"$GG" export events --db city.db --format pdf --out x 2>/dev/null && fail "pdf accepted"
"$GG" stats rebuild --db city.db 2>&1 | grep -q 'rebuilt the counters of 1500 events' ||
    fail "stats rebuild"

"$PY" - <<'PYEOF' || fail "ledger contents"
import csv, datetime, io, sys
import openpyxl

wb = openpyxl.load_workbook("city.xlsx")
ws = wb.active
head = [c.value for c in ws[1]]
assert ws.title == "事件台账", ws.title
assert head[:4] == ["编号", "状态", "预警颜色", "来源"], head
assert "上报时间" in head and "处置时限" in head and "结案层级" in head and "满意度" in head, head
assert ws.freeze_panes == "A2", ws.freeze_panes
assert ws.max_row == 1501, ws.max_row
assert ws.column_dimensions["G"].width > 30, ws.column_dimensions["G"].width
rep = head.index("上报时间") + 1
ids = []
for row in ws.iter_rows(min_row=2, values_only=True):
    assert isinstance(row[0], (int, float)), row[0]
    ids.append(int(row[0]))
    assert isinstance(row[rep - 1], datetime.datetime), row[rep - 1]
    assert row[1] in ("待受理", "已立案", "已派遣", "处置中", "待核查", "已结案", "不予立案", "已合并"), row[1]
assert len(set(ids)) == 1500 and ids == sorted(ids, reverse=True)

raw = open("city.csv", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), raw[:8]
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
assert rows[0] == head, (rows[0], head)
assert len(rows) == 1501, len(rows)
assert [int(r[0]) for r in rows[1:]] == ids
# the same instant in both: the CSV text is the XLSX date-time, in Beijing time
first = ws.cell(row=2, column=rep).value
assert rows[1][rep - 1] == first.strftime("%Y-%m-%d %H:%M:%S"), (rows[1][rep - 1], first)
print("ok - ledger xlsx and csv read back")
PYEOF
echo "ok - all ledger checks"
