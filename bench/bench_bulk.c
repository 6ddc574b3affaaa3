/* bench_bulk.c - a bulk path for the analysis benchmark: adds N synthetic events (and one
 * dispatch step in the timeline of each registered one) to a database that already has grids
 * (`gridgov init` + `gridgov gen --grids G --events 0`), with one INSERT … SELECT in SQLite,
 * about 100× faster than `gridgov gen` (which reports each event through the use case).
 *
 * What it is and is not: the rows have the shape the use cases write (place = a real grid and
 * its path, category and deadline from the catalog, status, timestamps, colour mark and
 * recolor_at by core stat_color_mark's rule, ratings, reworks, extensions) with a fixed mix of states
 * spread over DAYS days before now; they get no audit entries, feed rows, attachments or
 * messages, and no counters: run `gridgov stats rebuild --db DB` afterwards, so that the
 * counters come from the product's own code. Usage: bench_bulk DB N [DAYS] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/time.h"
#include "core/model.h"

_Static_assert(EVENT_STATUS_CLOSED == 5 && EVENT_STATUS_HANDLED == 4 &&
                   EVENT_STATUS_IN_PROGRESS == 3 && EVENT_STATUS_DISPATCHED == 2 &&
                   EVENT_STATUS_REPORTED == 0 && EVENT_STATUS_REJECTED == 6 &&
                   EVENT_STATUS_MERGED == 7 && EVENT_ACTION_DISPATCH == 2 && ORG_GRID == 4 &&
                   CAT_KIND_EVENT == 0 && CAT_LIST_EXCLUDED == 2 && COLOR_GREEN == 1 &&
                   COLOR_YELLOW == 2 && COLOR_RED == 3,
               "values spelled out in the SQL below");

static const char prep_sql[] =
    "CREATE TEMP TABLE g(k INTEGER PRIMARY KEY, id INTEGER, path TEXT, district_id INTEGER);"
    "INSERT INTO g SELECT row_number() OVER (ORDER BY id) - 1, id, path, district_id"
    " FROM orgs WHERE kind = 4;"
    "CREATE TEMP TABLE c(k INTEGER PRIMARY KEY, code TEXT, hours INTEGER);"
    "INSERT INTO c SELECT row_number() OVER (ORDER BY code) - 1, code, handle_hours"
    " FROM categories WHERE kind = 0 AND length(code) = 4 AND list <> 2;";

/* ?1 = N, ?2 = now, ?3 = span in seconds, ?4 = grids, ?5 = categories.
 * s (0..99) picks the state: 65 % closed, 5 handled, 10 in progress, 8 dispatched,
 * 4 reported, 4 rejected, 4 merged. */
static const char insert_sql[] =
    "WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1),"
    /* deterministic hashes of i (random() would be evaluated again wherever SQLite flattens
     * the CTE, and the run would not be reproducible) */
    " r AS (SELECT i, (i * 2654435761) % 4294967296 AS r1,"
    "  (i * 1103515245 + 12345) % 2147483648 AS r2,"
    "  ((i * 22695477 + 1) % 4294967296) / 4096 AS r3 FROM seq),"
    " x AS (SELECT r.i, r.r1, r.r2, r.r3, g.id AS gid, g.path, g.district_id AS did, c.code,"
    "  c.hours * 3600 AS h, ?2 - (r.r2 % ?3) AS rep, r.r3 % 100 AS s,"
    "  (r.r3 / 100) % 13 AS late, (r.r3 / 1300) % 10 AS rt"
    "  FROM r JOIN g ON g.k = r.r1 % ?4 JOIN c ON c.k = (r.r1 / 65537) % ?5),"
    " y AS (SELECT *, CASE WHEN s < 65 THEN 5 WHEN s < 70 THEN 4 WHEN s < 80 THEN 3"
    "  WHEN s < 88 THEN 2 WHEN s < 92 THEN 0 WHEN s < 96 THEN 6 ELSE 7 END AS st,"
    "  rep + h AS due, rep + h * 8 / 10 AS yel,"
    "  rep + h * (late + 1) / 12 AS hdl FROM x)"
    " INSERT INTO events(version, status, suspended, source, category_code, description,"
    " address, lat, lon, grid_id, org_path, district_id, assignee_org_id, assignee_path, level,"
    " reporter_id, reported_at, registered_at, dispatched_at, signed_at, handled_at, closed_at,"
    " accept_due_at, handle_due_at, yellow_at, escalate_at, extension_hours, extension_count,"
    " rework_count, closing_level, rating, merged_into, updated_at, color_mark, recolor_at)"
    " SELECT 1, st, 0, (r1 / 3) % 6, code, '批量生成的事件（基准测试）', '', 39.9 + (r1 % 100000) / 1e6,"
    " 116.3 + (r2 % 100000) / 1e6, gid, path, did,"
    " CASE WHEN st IN (2, 3, 4, 5) THEN gid ELSE 0 END,"
    " CASE WHEN st IN (2, 3, 4, 5) THEN path ELSE '' END, 0, 1, rep,"
    " CASE WHEN st IN (2, 3, 4, 5) THEN rep ELSE 0 END,"
    " CASE WHEN st IN (2, 3, 4, 5) THEN rep ELSE 0 END,"
    " CASE WHEN st IN (3, 4, 5) THEN rep + 600 ELSE 0 END,"
    " CASE WHEN st IN (4, 5) THEN hdl ELSE 0 END,"
    " CASE WHEN st = 5 THEN hdl + 3600 WHEN st IN (6, 7) THEN rep + 3600 ELSE 0 END,"
    " rep + 3600, due, yel, due,"
    " CASE WHEN s % 23 = 0 AND st IN (2, 3, 4, 5) THEN 24 ELSE 0 END,"
    " CASE WHEN s % 23 = 0 AND st IN (2, 3, 4, 5) THEN 1 ELSE 0 END,"
    " CASE WHEN s % 17 = 0 AND st IN (3, 4, 5) THEN 1 ELSE 0 END,"
    " CASE WHEN st = 5 THEN r1 % 3 ELSE 0 END,"
    " CASE WHEN st = 5 AND rt < 5 THEN 1 WHEN st = 5 AND rt < 8 THEN 2"
    "  WHEN st = 5 AND rt < 9 THEN 3 ELSE 0 END,"
    " 0, ?2,"
    /* core stat_color_mark: the colour at now of an open event, and when it next changes */
    " CASE WHEN st IN (0, 2, 3) THEN (CASE WHEN due <= ?2 THEN 3 WHEN yel <= ?2 THEN 2 ELSE 1 END)"
    "  ELSE 0 END,"
    " CASE WHEN st IN (0, 2, 3) THEN (CASE WHEN due <= ?2 THEN 0 WHEN yel <= ?2 THEN due"
    "  ELSE yel END) ELSE 0 END"
    " FROM y";

static const char timeline_sql[] =
    "INSERT INTO timeline(event_id, seq, action, actor_id, at, from_status, to_status, org_id,"
    " note) SELECT id, 1, 2, 0, dispatched_at, 1, 2, assignee_org_id, '自动派单' FROM events"
    " WHERE id > ?1 AND dispatched_at <> 0";

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_bulk: %s: %s\n", what, sqlite3_errmsg(db));
    sqlite3_close(db);
    return 1;
}

static int count(sqlite3 *db, const char *sql, long long *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_bulk DB N [DAYS]\n");
        return 2;
    }
    long long n = atoll(argv[2]), days = argc > 3 ? atoll(argv[3]) : 365;
    if (n < 1 || days < 1) {
        fprintf(stderr, "bench_bulk: N and DAYS must be positive\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        return fail(db, "open");
    sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;"
                     " PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;",
                 NULL, NULL, NULL);
    uint64_t t0 = gg_time_mono_ns();
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, prep_sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "prepare");
    long long ng = 0, nc = 0, before = 0;
    if (count(db, "SELECT count(*) FROM temp.g", &ng) || count(db, "SELECT count(*) FROM temp.c", &nc) ||
        count(db, "SELECT coalesce(max(id), 0) FROM events", &before))
        return fail(db, "count");
    if (!ng || !nc) {
        fprintf(stderr, "bench_bulk: the database needs grids and a catalog: gridgov init, then "
                        "gridgov gen --grids N --events 0\n");
        sqlite3_close(db);
        return 1;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "insert (prepare)");
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_int64(st, 2, gg_time_now());
    sqlite3_bind_int64(st, 3, days * 86400);
    sqlite3_bind_int64(st, 4, ng);
    sqlite3_bind_int64(st, 5, nc);
    if (sqlite3_step(st) != SQLITE_DONE)
        return fail(db, "insert");
    sqlite3_finalize(st);
    double t_ev = (double)(gg_time_mono_ns() - t0) / 1e9;
    if (sqlite3_prepare_v2(db, timeline_sql, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "timeline (prepare)");
    sqlite3_bind_int64(st, 1, before);
    if (sqlite3_step(st) != SQLITE_DONE)
        return fail(db, "timeline");
    sqlite3_finalize(st);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, "commit");
    double t_all = (double)(gg_time_mono_ns() - t0) / 1e9;
    printf("bench_bulk: %lld events into %lld grids (%lld categories, %lld days) in %.1f s "
           "(events %.1f s, %.0f/s); now run: gridgov stats rebuild --db %s\n",
           n, ng, nc, days, t_all, t_ev, (double)n / t_ev, argv[1]);
    sqlite3_close(db);
    return 0;
}
