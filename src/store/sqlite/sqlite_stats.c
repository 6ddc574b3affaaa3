/* sqlite_stats.c - the analysis side of the SQLite backend: the daily counters (stat_daily,
 * stat_cat) that app/stats.c keeps in each event write's transaction, their sums, and the few
 * exact scans over events that counters cannot answer (partial days, colours of open events,
 * hotspots, surge windows).
 *
 * Not here: what a counter means (core/indicators.c) or who may read it (app/stats.c). Every
 * subtree test is the index range "org_path >= prefix AND org_path < upper". */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/indicators.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* binds ?1/?2 as the subtree range of path ("" = everything) into upper[GG_PATH_SZ] */
static void bind_subtree(sqlite3_stmt *st, int i, const char *path, char *upper)
{
    if (!path || !*path) {
        sqlite_db_bind_text(st, i, "");
        upper[0] = '\x7f';
        upper[1] = '\0';
    } else {
        scope_upper_bound(path, upper, GG_PATH_SZ);
        sqlite_db_bind_text(st, i, path);
    }
    sqlite_db_bind_text(st, i + 1, upper);
}

void sqlite_stats_bind_subtree(sqlite3_stmt *st, int i, const char *path, char *upper)
{
    bind_subtree(st, i, path, upper);
}

/* The column list, "?" list and "c = c + excluded.c" list of the counters, from the X-map. */
#define COL_NAME(n, id) ", " id
#define COL_PARAM(n, id) ", ?"
#define COL_SET(n, id) id " = " id " + excluded." id ","
#define COL_SUM(n, id) ", sum(" id ")"

int sqlite_stats_add(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_ADD,
                            "INSERT INTO stat_daily(org_id, day" GG_STAT_METRIC_MAP(COL_NAME)
                            ") VALUES (?, ?" GG_STAT_METRIC_MAP(COL_PARAM)
                            ") ON CONFLICT(org_id, day) DO UPDATE SET " GG_STAT_METRIC_MAP(COL_SET)
                            " org_id = excluded.org_id",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, day);
    for (int i = 0; i < STAT__COUNT; i++)
        sqlite3_bind_int64(st, 3 + i, deltas[i]);
    return sqlite_db_run(q, st, "stat_add");
}

#define STAT_BUCKET_DAYS 32

/* the 32-day bucket of a day (floor division) */
static int64_t bucket_of(int64_t day)
{
    return day >= 0 ? day / STAT_BUCKET_DAYS : -((-day + STAT_BUCKET_DAYS - 1) / STAT_BUCKET_DAYS);
}

int sqlite_stats_cat_add(struct store *s, int64_t org_id, int64_t day, const char *category,
                         int64_t n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_CAT_ADD,
                            "INSERT INTO stat_cat(org_id, day, category, n) VALUES (?1, ?2, ?3, ?4)"
                            " ON CONFLICT(org_id, day, category) DO UPDATE SET n = n + excluded.n",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, day);
    sqlite_db_bind_text(st, 3, category);
    sqlite3_bind_int64(st, 4, n);
    rc = sqlite_db_run(q, st, "stat_cat_add");
    if (rc)
        return rc;
    rc = sqlite_db_stmt(q, SQ_STAT_CAT32_ADD,
                        "INSERT INTO stat_cat32(org_id, b, category, n) VALUES (?1, ?2, ?3, ?4)"
                        " ON CONFLICT(org_id, b, category) DO UPDATE SET n = n + excluded.n",
                        &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, bucket_of(day));
    sqlite_db_bind_text(st, 3, category);
    sqlite3_bind_int64(st, 4, n);
    return sqlite_db_run(q, st, "stat_cat32_add");
}

int sqlite_stats_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int64_t *counts,
                     size_t n_metrics)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_SUM,
                            "SELECT count(*)" GG_STAT_METRIC_MAP(COL_SUM) " FROM stat_daily"
                            " WHERE org_id = ?1 AND day >= ?2 AND day < ?3",
                            &st);
    if (rc)
        return rc;
    memset(counts, 0, n_metrics * sizeof *counts);
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, day0);
    sqlite3_bind_int64(st, 3, day1);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        for (size_t m = 0; m < n_metrics && m < STAT__COUNT; m++)
            counts[m] = sqlite3_column_int64(st, 1 + (int)m);
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, "stat_sum");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_series(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int metric,
                        int64_t *per_day)
{
    struct store_sqlite *q = sq_of(s);
    if (metric < 0 || metric >= STAT__COUNT)
        return -GG_EINVAL;
    sqlite3_stmt *st = NULL;
    /* the column is one of the fixed metric ids, never input */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT day, %s FROM stat_daily WHERE org_id = ?1 AND day >= ?2 AND day < ?3",
             stat_metric_id((enum stat_metric)metric));
    int rc = sqlite_db_prepare(q, sql, &st);
    if (rc)
        return rc;
    memset(per_day, 0, (size_t)(day1 - day0) * sizeof *per_day);
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, day0);
    sqlite3_bind_int64(st, 3, day1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t d = sqlite3_column_int64(st, 0);
        if (d >= day0 && d < day1)
            per_day[d - day0] += sqlite3_column_int64(st, 1);
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_series");
    sqlite3_finalize(st);
    return rc;
}

int sqlite_stats_cat_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1,
                         int (*fn)(void *ctx, const char *code, int64_t n), void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* whole buckets [b0, b1) from stat_cat32, the days before and after them from stat_cat */
    int rc = sqlite_db_stmt(q, SQ_STAT_CAT_SUM,
                            "SELECT category, sum(n) FROM ("
                            " SELECT category, n FROM stat_cat32 WHERE org_id = ?1"
                            " AND b >= ?4 AND b < ?5"
                            " UNION ALL SELECT category, n FROM stat_cat WHERE org_id = ?1"
                            " AND day >= ?2 AND day < ?6"
                            " UNION ALL SELECT category, n FROM stat_cat WHERE org_id = ?1"
                            " AND day >= ?7 AND day < ?3) GROUP BY category",
                            &st);
    if (rc)
        return rc;
    int64_t b0 = bucket_of(day0 + STAT_BUCKET_DAYS - 1), b1 = bucket_of(day1);
    if (b0 >= b1)
        b0 = b1 = 0; /* no whole bucket: every day from stat_cat */
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, day0);
    sqlite3_bind_int64(st, 3, day1);
    sqlite3_bind_int64(st, 4, b0);
    sqlite3_bind_int64(st, 5, b1);
    sqlite3_bind_int64(st, 6, b0 < b1 ? b0 * STAT_BUCKET_DAYS : day1);
    sqlite3_bind_int64(st, 7, b0 < b1 ? b1 * STAT_BUCKET_DAYS : day1);
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *code = sqlite3_column_text(st, 0);
        frc = fn(ctx, code ? (const char *)code : "", sqlite3_column_int64(st, 1));
    }
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_cat_sum");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_scan(struct store *s, const char *org_path, int64_t from, int64_t to,
                      bool by_path,
                      int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return),
                      void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* the SQL text is only used the first time this connection prepares it */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT %s,"
             " (SELECT count(*) FROM timeline t WHERE t.event_id = events.id AND t.action = %d),"
             " (SELECT count(*) FROM timeline t WHERE t.event_id = events.id AND t.action = %d)"
             " FROM events WHERE org_path >= ?1 AND org_path < ?2"
             " AND reported_at >= ?3 AND reported_at < ?4 ORDER BY %s",
             sqlite_events_cols, (int)EVENT_ACTION_DISPATCH, (int)EVENT_ACTION_RETURN,
             /* by path: the rebuild walks the org_path index; by time: a period's edges walk
              * the reported_at index */
             by_path ? "org_path, reported_at, id" : "reported_at, id");
    int rc = sqlite_db_stmt(q, by_path ? SQ_STAT_SCAN_PATH : SQ_STAT_SCAN, sql, &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    int ncols = sqlite3_column_count(st);
    struct event *e = malloc(sizeof *e);
    if (!e) {
        sqlite_db_done(st);
        return -GG_ENOMEM;
    }
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite_events_read_row(st, e);
        frc = fn(ctx, e, sqlite3_column_int(st, ncols - 2), sqlite3_column_int(st, ncols - 1));
    }
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_scan");
    sqlite_db_done(st);
    free(e);
    return rc;
}

_Static_assert(EVENT_STATUS_REPORTED == 0 && EVENT_STATUS_IN_PROGRESS == 3 &&
                   COLOR_GREEN == 1 && COLOR_YELLOW == 2 && COLOR_RED == 3,
               "status and colour values are spelled out in SQL");

int sqlite_stats_stale_colors(struct store *s, const char *org_path, int64_t from, int64_t to,
                              int64_t now, int64_t delta[COLOR__COUNT])
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* workflow_color() at ?5 of the events whose mark is stale. recolor_at <> 0 only for open,
     * not suspended events (core stat_color_mark), so the covering partial index events_recolor_cover
     * answers it alone: no table row is read */
    int rc = sqlite_db_stmt(q, SQ_STAT_STALE_COLORS,
                            "SELECT color_mark, count(*), sum(handle_due_at <= ?5),"
                            " sum(handle_due_at > ?5 AND yellow_at <= ?5),"
                            " sum(handle_due_at > ?5 AND yellow_at > ?5)"
                            " FROM events WHERE recolor_at <> 0 AND recolor_at <= ?5"
                            /* "+": only that index may drive this (the subtree or period
                             * ranges would walk most of the table) */
                            " AND +org_path >= ?1 AND +org_path < ?2"
                            " AND +reported_at >= ?3 AND +reported_at < ?4 GROUP BY color_mark",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_int64(st, 5, now);
    memset(delta, 0, COLOR__COUNT * sizeof *delta);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int mark = sqlite3_column_int(st, 0);
        if (mark < 0 || mark >= COLOR__COUNT)
            mark = COLOR_GREEN;
        /* stat_facts() counts a mark other than yellow or red as green */
        if (mark == COLOR_NONE)
            mark = COLOR_GREEN;
        delta[mark] -= sqlite3_column_int64(st, 1);
        delta[COLOR_RED] += sqlite3_column_int64(st, 2);
        delta[COLOR_YELLOW] += sqlite3_column_int64(st, 3);
        delta[COLOR_GREEN] += sqlite3_column_int64(st, 4);
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_stale_colors");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_open_overdue(struct store *s, const char *org_path, int64_t due_from,
                              int64_t due_to, int (*fn)(void *ctx, int64_t day, int64_t n),
                              void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_OPEN_OVERDUE,
                            "SELECT handle_due_at / 86400, count(*) FROM events"
                            " WHERE status IN (1, 2, 3) AND suspended = 0 AND registered_at <> 0"
                            " AND handle_due_at >= ?3 AND handle_due_at < ?4"
                            " AND org_path >= ?1 AND org_path < ?2"
                            " GROUP BY handle_due_at / 86400",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, due_from > 0 ? due_from : 0);
    sqlite3_bind_int64(st, 4, due_to);
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW)
        frc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_open_overdue");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_clear(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    char *msg = NULL;
    int rc = sqlite3_exec(q->db, "DELETE FROM stat_daily; DELETE FROM stat_cat;"
                                   " DELETE FROM stat_cat32; DELETE FROM stat_log;",
                          NULL, NULL, &msg);
    sqlite3_free(msg);
    return rc == SQLITE_OK ? 0 : sqlite_db_error(q, rc, "stat_clear");
}

int sqlite_stats_log_add(struct store *s, const void *rec, size_t len)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_LOG_ADD, "INSERT INTO stat_log(d) VALUES (?1)", &st);
    if (rc)
        return rc;
    sqlite3_bind_blob(st, 1, rec, (int)len, SQLITE_STATIC);
    return sqlite_db_run(q, st, "stat_log_add");
}

int sqlite_stats_log_take(struct store *s, int (*fn)(void *ctx, const void *rec, size_t len),
                          void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_LOG_TAKE, "DELETE FROM stat_log RETURNING d", &st);
    if (rc)
        return rc;
    int frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (!frc) /* stepped to the end all the same: the rows go only when it completes */
            frc = fn(ctx, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    rc = rc == SQLITE_DONE ? frc : sqlite_db_error(q, rc, "stat_log_take");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_log_any(struct store *s, bool *any)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    int rc = sqlite_db_stmt(q, SQ_STAT_LOG_ANY, "SELECT EXISTS (SELECT 1 FROM stat_log)", &st);
    if (!rc)
        rc = sqlite_db_int64(q, st, &n, "stat_log_any");
    *any = n != 0;
    return rc;
}

int sqlite_stats_grids(struct store *s, const char *org_path, int64_t from, int64_t to,
                       int (*fn)(void *ctx, int64_t grid_id, int64_t n), void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_GRIDS,
                            "SELECT grid_id, count(*) AS c FROM events"
                            " WHERE grid_id <> 0 AND org_path >= ?1 AND org_path < ?2"
                            " AND reported_at >= ?3 AND reported_at < ?4"
                            " GROUP BY grid_id ORDER BY c DESC, grid_id LIMIT 50",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW)
        frc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1));
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_grids");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_points(struct store *s, const char *org_path, int64_t from, int64_t to, int limit,
                        int (*fn)(void *ctx, int64_t id, double lat, double lon,
                                  const char *category),
                        void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_STAT_POINTS,
                            "SELECT id, lat, lon, category_code FROM events"
                            " WHERE org_path >= ?1 AND org_path < ?2"
                            " AND reported_at >= ?3 AND reported_at < ?4 AND status <> 7"
                            " ORDER BY reported_at DESC LIMIT ?5",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_int(st, 5, limit);
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 3);
        frc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
                 sqlite3_column_double(st, 2), c ? (const char *)c : "");
    }
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_points");
    sqlite_db_done(st);
    return rc;
}

int sqlite_stats_surge(struct store *s, const char *org_path, int64_t until,
                       int (*fn)(void *ctx, int64_t grid_id, const char *category, int week,
                                 int64_t n),
                       void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* week 0 = (until − 7 d, until], week k = the k-th 7 days before that */
    int rc = sqlite_db_stmt(q, SQ_STAT_SURGE,
                            "SELECT grid_id, category_code, (?3 - 1 - reported_at) / 604800 AS w,"
                            " count(*) FROM events"
                            " WHERE grid_id <> 0 AND org_path >= ?1 AND org_path < ?2"
                            " AND reported_at >= ?3 - 63 * 86400 AND reported_at < ?3"
                            " AND status <> 7 GROUP BY grid_id, category_code, w",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    bind_subtree(st, 1, org_path, upper);
    sqlite3_bind_int64(st, 3, until);
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_text(st, 1);
        frc = fn(ctx, sqlite3_column_int64(st, 0), c ? (const char *)c : "",
                 sqlite3_column_int(st, 2), sqlite3_column_int64(st, 3));
    }
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "stat_surge");
    sqlite_db_done(st);
    return rc;
}
