/* pg_stats.c - the analysis side of the PostgreSQL backend: the daily counters (stat_daily,
 * stat_cat) that app/stats.c keeps in each event write's transaction, their sums, and the exact
 * scans over events that counters cannot answer, with the same SQL shapes as sqlite_stats.c.
 * Not here: what a counter means (core/indicators.c) or who may read it (app/stats.c). Every
 * subtree test is the range "org_path >= prefix AND org_path < upper" (C collation). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "core/indicators.h"
#include "core/scope.h"
#include "core/workflow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* adds the subtree range of path ("" = everything) as two arguments; upper[GG_PATH_SZ] */
static void subtree_args(struct pg_args *a, const char *path, char *upper)
{
    if (!path || !*path) {
        upper[0] = '\x7f';
        upper[1] = '\0';
        pg_arg_text(a, "");
    } else {
        scope_upper_bound(path, upper, GG_PATH_SZ);
        pg_arg_text(a, path);
    }
    pg_arg_text(a, upper);
}

void pg_stats_subtree_args(struct pg_args *a, const char *path, char *upper)
{
    subtree_args(a, path, upper);
}

/* Runs a query and hands each row to row_fn until it returns non-zero (that value is
 * returned). The result is complete in memory first, so callbacks may use the store. */
static int each_row(struct store_pg *q, const char *sql, const struct pg_args *a,
                    int (*row_fn)(const PGresult *r, int row, void *ctx), void *ctx,
                    const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    for (int i = 0; i < PQntuples(r) && !rc; i++)
        rc = row_fn(r, i, ctx);
    PQclear(r);
    return rc;
}

#define COL_NAME(n, id) ", " id
#define COL_SET(n, id) id " = stat_daily." id " + excluded." id ","
#define COL_SUM(n, id) ", coalesce(sum(" id "), 0)"

/* the upsert of every counter ($3, $4, … in metric order), built once per process */
static char add_sql[8192];
static pthread_once_t add_once = PTHREAD_ONCE_INIT;

static void build_add_sql(void)
{
    struct gg_buf b;
    gg_buf_init(&b, sizeof add_sql);
    gg_buf_puts(&b, "INSERT INTO stat_daily(org_id, day" GG_STAT_METRIC_MAP(COL_NAME)
                    ") VALUES ($1, $2");
    for (int i = 0; i < STAT__COUNT; i++)
        gg_buf_printf(&b, ", $%d", 3 + i);
    gg_buf_puts(&b, ") ON CONFLICT (org_id, day) DO UPDATE SET " GG_STAT_METRIC_MAP(COL_SET)
                    " org_id = excluded.org_id");
    gg_strlcpy(add_sql, b.data ? b.data : "", sizeof add_sql);
    gg_buf_release(&b);
}

int pg_stats_add(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, day);
    for (int i = 0; i < STAT__COUNT; i++)
        pg_arg_int(&a, deltas[i]);
    pthread_once(&add_once, build_add_sql);
    return pg_db_send(pg_of(s), add_sql, &a, "stat_add");
}

#define STAT_BUCKET_DAYS 32

/* the 32-day bucket of a day (floor division), as sqlite_stats.c */
static int64_t bucket_of(int64_t day)
{
    return day >= 0 ? day / STAT_BUCKET_DAYS : -((-day + STAT_BUCKET_DAYS - 1) / STAT_BUCKET_DAYS);
}

int pg_stats_cat_add(struct store *s, int64_t org_id, int64_t day, const char *category,
                     int64_t n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, day);
    pg_arg_text(&a, category);
    pg_arg_int(&a, n);
    int rc = pg_db_send(pg_of(s),
                        "INSERT INTO stat_cat(org_id, day, category, n) VALUES ($1, $2, $3, $4)"
                        " ON CONFLICT (org_id, day, category)"
                        " DO UPDATE SET n = stat_cat.n + excluded.n",
                        &a, "stat_cat_add");
    if (rc)
        return rc;
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, bucket_of(day));
    pg_arg_text(&a, category);
    pg_arg_int(&a, n);
    return pg_db_send(pg_of(s),
                      "INSERT INTO stat_cat32(org_id, b, category, n) VALUES ($1, $2, $3, $4)"
                      " ON CONFLICT (org_id, b, category)"
                      " DO UPDATE SET n = stat_cat32.n + excluded.n",
                      &a, "stat_cat32_add");
}

int pg_stats_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int64_t *counts,
                 size_t n_metrics)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, day0);
    pg_arg_int(&a, day1);
    memset(counts, 0, n_metrics * sizeof *counts);
    int rc = pg_db_query(pg_of(s),
                         "SELECT count(*)" GG_STAT_METRIC_MAP(COL_SUM) " FROM stat_daily"
                         " WHERE org_id = $1 AND day >= $2 AND day < $3",
                         &a, &r, "stat_sum");
    if (rc)
        return rc;
    for (size_t m = 0; m < n_metrics && m < STAT__COUNT; m++)
        counts[m] = pg_int(r, 0, 1 + (int)m);
    PQclear(r);
    return 0;
}

int pg_stats_series(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int metric,
                    int64_t *per_day)
{
    if (metric < 0 || metric >= STAT__COUNT)
        return -GG_EINVAL;
    /* the column is one of the fixed metric ids, never input */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT day, %s FROM stat_daily WHERE org_id = $1 AND day >= $2 AND day < $3",
             stat_metric_id((enum stat_metric)metric));
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, day0);
    pg_arg_int(&a, day1);
    int rc = pg_db_query_once(pg_of(s), sql, &a, &r, "stat_series");
    if (rc)
        return rc;
    memset(per_day, 0, (size_t)(day1 - day0) * sizeof *per_day);
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t d = pg_int(r, i, 0);
        if (d >= day0 && d < day1)
            per_day[d - day0] += pg_int(r, i, 1);
    }
    PQclear(r);
    return 0;
}

struct cat_fn {
    int (*fn)(void *ctx, const char *code, int64_t n);
    void *ctx;
};

static int cat_row(const PGresult *r, int row, void *ctx)
{
    struct cat_fn *c = ctx;
    return c->fn(c->ctx, PQgetvalue(r, row, 0), pg_int(r, row, 1));
}

int pg_stats_cat_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1,
                     int (*fn)(void *ctx, const char *code, int64_t n), void *ctx)
{
    struct cat_fn c = {fn, ctx};
    struct pg_args a;
    /* whole buckets [b0, b1) from stat_cat32, the days before and after them from stat_cat */
    int64_t b0 = bucket_of(day0 + STAT_BUCKET_DAYS - 1), b1 = bucket_of(day1);
    if (b0 >= b1)
        b0 = b1 = 0; /* no whole bucket: every day from stat_cat */
    pg_args_init(&a);
    pg_arg_int(&a, org_id);
    pg_arg_int(&a, day0);
    pg_arg_int(&a, day1);
    pg_arg_int(&a, b0);
    pg_arg_int(&a, b1);
    pg_arg_int(&a, b0 < b1 ? b0 * STAT_BUCKET_DAYS : day1);
    pg_arg_int(&a, b0 < b1 ? b1 * STAT_BUCKET_DAYS : day1);
    return each_row(pg_of(s),
                    "SELECT category, sum(n) FROM ("
                    " SELECT category, n FROM stat_cat32 WHERE org_id = $1"
                    " AND b >= $4 AND b < $5"
                    " UNION ALL SELECT category, n FROM stat_cat WHERE org_id = $1"
                    " AND day >= $2 AND day < $6"
                    " UNION ALL SELECT category, n FROM stat_cat WHERE org_id = $1"
                    " AND day >= $7 AND day < $3) u GROUP BY category",
                    &a, cat_row, &c, "stat_cat_sum");
}

_Static_assert(EVENT_ACTION_DISPATCH >= 0 && EVENT_ACTION_RETURN >= 0, "action values");

struct scan_fn {
    int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return);
    void *ctx;
    struct event *e;
};

static int scan_row(const PGresult *r, int row, void *ctx)
{
    struct scan_fn *c = ctx;
    int ncols = PQnfields(r);
    pg_events_read_row(r, row, c->e, 0);
    return c->fn(c->ctx, c->e, (int)pg_int(r, row, ncols - 2), (int)pg_int(r, row, ncols - 1));
}

/* The dispatch and return action values are bound ($5, $6), so both orders are static text. */
#define SCAN_SQL(order)                                                                            \
    "SELECT " PG_EVENT_COLS ","                                                                    \
    " (SELECT count(*) FROM timeline t WHERE t.event_id = events.id AND t.action = $5),"           \
    " (SELECT count(*) FROM timeline t WHERE t.event_id = events.id AND t.action = $6)"            \
    " FROM events WHERE org_path >= $1 AND org_path < $2"                                          \
    " AND reported_at >= $3 AND reported_at < $4 ORDER BY " order

int pg_stats_scan(struct store *s, const char *org_path, int64_t from, int64_t to, bool by_path,
                  int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return),
                  void *ctx)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    struct scan_fn c = {fn, ctx, malloc(sizeof(struct event))};
    if (!c.e)
        return -GG_ENOMEM;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_int(&a, EVENT_ACTION_DISPATCH);
    pg_arg_int(&a, EVENT_ACTION_RETURN);
    int rc = each_row(pg_of(s),
                      by_path ? SCAN_SQL("org_path, reported_at, id") : SCAN_SQL("reported_at, id"),
                      &a, scan_row, &c, "stat_scan");
    free(c.e);
    return rc;
}

_Static_assert(COLOR_NONE == 0 && COLOR_GREEN == 1 && COLOR_YELLOW == 2 && COLOR_RED == 3,
               "colour values are spelled out in SQL");

static int stale_row(const PGresult *r, int row, void *ctx)
{
    int64_t *delta = ctx;
    int64_t mark = pg_int(r, row, 0);
    /* stat_facts() counts a mark other than yellow or red as green */
    if (mark != COLOR_YELLOW && mark != COLOR_RED)
        mark = COLOR_GREEN;
    delta[mark] -= pg_int(r, row, 1);
    delta[COLOR_RED] += pg_int(r, row, 2);
    delta[COLOR_YELLOW] += pg_int(r, row, 3);
    delta[COLOR_GREEN] += pg_int(r, row, 4);
    return 0;
}

int pg_stats_stale_colors(struct store *s, const char *org_path, int64_t from, int64_t to,
                          int64_t now, int64_t delta[COLOR__COUNT])
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_int(&a, now);
    memset(delta, 0, COLOR__COUNT * sizeof *delta);
    /* workflow_color() at $5 of the events whose mark is stale. recolor_at <> 0 only for open,
     * not suspended events (core stat_color_mark), so the covering partial index
     * events_recolor_cover answers it (an index-only scan) */
    return each_row(pg_of(s),
                    "SELECT color_mark, count(*), count(*) FILTER (WHERE handle_due_at <= $5),"
                    " count(*) FILTER (WHERE handle_due_at > $5 AND yellow_at <= $5),"
                    " count(*) FILTER (WHERE handle_due_at > $5 AND yellow_at > $5)"
                    " FROM events WHERE recolor_at <> 0 AND recolor_at <= $5"
                    " AND org_path >= $1 AND org_path < $2"
                    " AND reported_at >= $3 AND reported_at < $4 GROUP BY color_mark",
                    &a, stale_row, delta, "stat_stale_colors");
}

struct pair_fn {
    int (*fn)(void *ctx, int64_t a, int64_t b);
    void *ctx;
};

static int pair_row(const PGresult *r, int row, void *ctx)
{
    struct pair_fn *c = ctx;
    return c->fn(c->ctx, pg_int(r, row, 0), pg_int(r, row, 1));
}

int pg_stats_open_overdue(struct store *s, const char *org_path, int64_t due_from,
                          int64_t due_to, int (*fn)(void *ctx, int64_t day, int64_t n),
                          void *ctx)
{
    char upper[GG_PATH_SZ];
    struct pair_fn c = {fn, ctx};
    struct pg_args a;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, due_from > 0 ? due_from : 0);
    pg_arg_int(&a, due_to);
    return each_row(pg_of(s),
                    "SELECT handle_due_at / 86400, count(*) FROM events"
                    " WHERE status IN (1, 2, 3) AND suspended = 0 AND registered_at <> 0"
                    " AND handle_due_at >= $3 AND handle_due_at < $4"
                    " AND org_path >= $1 AND org_path < $2"
                    " GROUP BY handle_due_at / 86400",
                    &a, pair_row, &c, "stat_open_overdue");
}

int pg_stats_clear(struct store *s)
{
    return pg_db_exec(pg_of(s),
                      "DELETE FROM stat_daily; DELETE FROM stat_cat; DELETE FROM stat_cat32",
                      "stat_clear");
}

int pg_stats_grids(struct store *s, const char *org_path, int64_t from, int64_t to,
                   int (*fn)(void *ctx, int64_t grid_id, int64_t n), void *ctx)
{
    char upper[GG_PATH_SZ];
    struct pair_fn c = {fn, ctx};
    struct pg_args a;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    return each_row(pg_of(s),
                    "SELECT grid_id, count(*) AS c FROM events"
                    " WHERE grid_id <> 0 AND org_path >= $1 AND org_path < $2"
                    " AND reported_at >= $3 AND reported_at < $4"
                    " GROUP BY grid_id ORDER BY c DESC, grid_id LIMIT 50",
                    &a, pair_row, &c, "stat_grids");
}

struct point_fn {
    int (*fn)(void *ctx, int64_t id, double lat, double lon, const char *category);
    void *ctx;
};

static int point_row(const PGresult *r, int row, void *ctx)
{
    struct point_fn *c = ctx;
    return c->fn(c->ctx, pg_int(r, row, 0), pg_double(r, row, 1), pg_double(r, row, 2),
                 PQgetvalue(r, row, 3));
}

int pg_stats_points(struct store *s, const char *org_path, int64_t from, int64_t to, int limit,
                    int (*fn)(void *ctx, int64_t id, double lat, double lon,
                              const char *category),
                    void *ctx)
{
    char upper[GG_PATH_SZ];
    struct point_fn c = {fn, ctx};
    struct pg_args a;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_int(&a, limit);
    return each_row(pg_of(s),
                    "SELECT id, lat, lon, category_code FROM events"
                    " WHERE org_path >= $1 AND org_path < $2"
                    " AND reported_at >= $3 AND reported_at < $4 AND status <> 7"
                    " ORDER BY reported_at DESC LIMIT $5",
                    &a, point_row, &c, "stat_points");
}

struct surge_fn {
    int (*fn)(void *ctx, int64_t grid_id, const char *category, int week, int64_t n);
    void *ctx;
};

static int surge_row(const PGresult *r, int row, void *ctx)
{
    struct surge_fn *c = ctx;
    return c->fn(c->ctx, pg_int(r, row, 0), PQgetvalue(r, row, 1), (int)pg_int(r, row, 2),
                 pg_int(r, row, 3));
}

int pg_stats_surge(struct store *s, const char *org_path, int64_t until,
                   int (*fn)(void *ctx, int64_t grid_id, const char *category, int week,
                             int64_t n),
                   void *ctx)
{
    char upper[GG_PATH_SZ];
    struct surge_fn c = {fn, ctx};
    struct pg_args a;
    pg_args_init(&a);
    subtree_args(&a, org_path, upper);
    pg_arg_int(&a, until);
    /* week 0 = (until − 7 d, until], week k = the k-th 7 days before that */
    return each_row(pg_of(s),
                    "SELECT grid_id, category_code, ($3::bigint - 1 - reported_at) / 604800 AS w,"
                    " count(*) FROM events"
                    " WHERE grid_id <> 0 AND org_path >= $1 AND org_path < $2"
                    " AND reported_at >= $3::bigint - 63 * 86400 AND reported_at < $3"
                    " AND status <> 7 GROUP BY grid_id, category_code, w",
                    &a, surge_row, &c, "stat_surge");
}
