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
#include <sodium.h>
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

#define STAT_BUCKET_DAYS 32

/* the 32-day bucket of a day (floor division), as sqlite_stats.c */
static int64_t bucket_of(int64_t day)
{
    return day >= 0 ? day / STAT_BUCKET_DAYS : -((-day + STAT_BUCKET_DAYS - 1) / STAT_BUCKET_DAYS);
}

/* ---- the counters, gathered in a write transaction (pg_internal.h) ---- */

#define BUF_ROWS 512 /* rows per table before they are sent anyway */
#define BUF_HASH 1024

struct daily_row {
    int64_t org_id, day;
    int64_t v[STAT__COUNT];
};
struct cat_row {
    int64_t org_id, day; /* day, or the 32-day bucket in stat_cat32 */
    char code[GG_CODE_SZ];
    int64_t n;
};
struct pg_statbuf {
    int nd, nc, nb;
    struct daily_row d[BUF_ROWS];
    struct cat_row c[BUF_ROWS], b[BUF_ROWS];
    short hd[BUF_HASH], hc[BUF_HASH], hb[BUF_HASH]; /* index + 1 into d, c, b; 0 = free */
};
_Static_assert(STAT__COUNT + 2 <= PG_MAX_ARGS, "stat_daily's columns fit one statement");

static size_t key_hash(int64_t org_id, int64_t day, const char *code)
{
    uint64_t h = (uint64_t)org_id * 0x9E3779B97F4A7C15ULL ^ (uint64_t)day * 0xC2B2AE3D27D4EB4FULL;
    for (const char *p = code; p && *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29)) & (BUF_HASH - 1);
}

/* the row of (org_id, day, code) in rows[0..*n), added (zeroed) when new */
static struct cat_row *cat_slot(struct cat_row *rows, int *n, short *hash, int64_t org_id,
                                int64_t day, const char *code)
{
    size_t i = key_hash(org_id, day, code);
    for (;; i = (i + 1) & (BUF_HASH - 1)) {
        if (!hash[i]) {
            struct cat_row *r = &rows[(*n)++];
            memset(r, 0, sizeof *r);
            r->org_id = org_id;
            r->day = day;
            gg_strlcpy(r->code, code, sizeof r->code);
            hash[i] = (short)*n;
            return r;
        }
        struct cat_row *r = &rows[hash[i] - 1];
        if (r->org_id == org_id && r->day == day && strcmp(r->code, code) == 0)
            return r;
    }
}

static struct daily_row *daily_slot(struct pg_statbuf *sb, int64_t org_id, int64_t day)
{
    size_t i = key_hash(org_id, day, NULL);
    for (;; i = (i + 1) & (BUF_HASH - 1)) {
        if (!sb->hd[i]) {
            struct daily_row *r = &sb->d[sb->nd++];
            memset(r, 0, sizeof *r);
            r->org_id = org_id;
            r->day = day;
            sb->hd[i] = (short)sb->nd;
            return r;
        }
        struct daily_row *r = &sb->d[sb->hd[i] - 1];
        if (r->org_id == org_id && r->day == day)
            return r;
    }
}

static struct pg_statbuf *statbuf(struct store_pg *q)
{
    if (!q->stats)
        q->stats = calloc(1, sizeof *q->stats);
    return q->stats;
}

void pg_stats_drop(struct store_pg *q)
{
    if (q->stats) {
        q->stats->nd = q->stats->nc = q->stats->nb = 0;
        memset(q->stats->hd, 0, sizeof q->stats->hd);
        memset(q->stats->hc, 0, sizeof q->stats->hc);
        memset(q->stats->hb, 0, sizeof q->stats->hb);
    }
    q->stats_n = 0;
}

/* "{a,b,…}" of n numbers taken every `stride` int64s from first */
static int int_array(struct gg_buf *b, const int64_t *first, size_t stride, int n)
{
    int rc = gg_buf_puts(b, "{");
    for (int i = 0; !rc && i < n; i++)
        rc = gg_buf_printf(b, i ? ",%lld" : "%lld", (long long)first[(size_t)i * stride]);
    return rc ? rc : gg_buf_puts(b, "}");
}

/* the statements, built once per process: stat_daily's upsert of unnest($1 … $N) */
static char daily_sql[8192];
static pthread_once_t daily_once = PTHREAD_ONCE_INIT;

static void build_daily_sql(void)
{
    struct gg_buf b;
    gg_buf_init(&b, sizeof daily_sql);
    gg_buf_puts(&b, "INSERT INTO stat_daily(org_id, day" GG_STAT_METRIC_MAP(COL_NAME)
                    ") SELECT * FROM unnest($1::bigint[], $2::bigint[]");
    for (int i = 0; i < STAT__COUNT; i++)
        gg_buf_printf(&b, ", $%d::bigint[]", 3 + i);
    gg_buf_puts(&b, ") ON CONFLICT (org_id, day) DO UPDATE SET " GG_STAT_METRIC_MAP(COL_SET)
                    " org_id = excluded.org_id");
    gg_strlcpy(daily_sql, b.data ? b.data : "", sizeof daily_sql);
    gg_buf_release(&b);
}

static int send_cats(struct store_pg *q, const struct cat_row *rows, int n, const char *sql,
                     const char *what)
{
    struct gg_buf col[4];
    struct pg_args a;
    int rc = 0;
    for (int i = 0; i < 4; i++)
        gg_buf_init(&col[i], 0);
    rc = int_array(&col[0], &rows[0].org_id, sizeof rows[0] / sizeof(int64_t), n);
    if (!rc)
        rc = int_array(&col[1], &rows[0].day, sizeof rows[0] / sizeof(int64_t), n);
    if (!rc)
        rc = int_array(&col[3], &rows[0].n, sizeof rows[0] / sizeof(int64_t), n);
    if (!rc)
        rc = gg_buf_puts(&col[2], "{");
    for (int i = 0; !rc && i < n; i++) /* codes are digits and letters; quoted all the same */
        rc = gg_buf_printf(&col[2], i ? ",\"%s\"" : "\"%s\"", rows[i].code);
    if (!rc)
        rc = gg_buf_puts(&col[2], "}");
    if (!rc) {
        pg_args_init(&a);
        for (int i = 0; i < 4; i++)
            pg_arg_text(&a, col[i].data);
        rc = pg_db_send(q, sql, &a, what);
    }
    for (int i = 0; i < 4; i++)
        gg_buf_release(&col[i]);
    return rc;
}

_Static_assert(sizeof(struct cat_row) % sizeof(int64_t) == 0 &&
                   sizeof(struct daily_row) % sizeof(int64_t) == 0,
               "rows are read as int64 strides");

int pg_stats_flush(struct store_pg *q)
{
    struct pg_statbuf *sb = q->stats;
    if (!sb || !q->stats_n)
        return 0;
    q->stats_n = 0; /* before sending: the sends below must not flush again */
    int rc = 0;
    if (sb->nd) {
        pthread_once(&daily_once, build_daily_sql);
        struct gg_buf col[STAT__COUNT + 2];
        struct pg_args a;
        pg_args_init(&a);
        for (int i = 0; i < STAT__COUNT + 2; i++) {
            gg_buf_init(&col[i], 0);
            const int64_t *first = i == 0 ? &sb->d[0].org_id : i == 1 ? &sb->d[0].day
                                                                  : &sb->d[0].v[i - 2];
            if (!rc)
                rc = int_array(&col[i], first, sizeof sb->d[0] / sizeof(int64_t), sb->nd);
            pg_arg_text(&a, col[i].data);
        }
        if (!rc)
            rc = pg_db_send(q, daily_sql, &a, "stat_add");
        for (int i = 0; i < STAT__COUNT + 2; i++)
            gg_buf_release(&col[i]);
    }
    if (!rc && sb->nc)
        rc = send_cats(q, sb->c, sb->nc,
                       "INSERT INTO stat_cat(org_id, day, category, n)"
                       " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
                       " $4::bigint[]) ON CONFLICT (org_id, day, category)"
                       " DO UPDATE SET n = stat_cat.n + excluded.n",
                       "stat_cat_add");
    if (!rc && sb->nb)
        rc = send_cats(q, sb->b, sb->nb,
                       "INSERT INTO stat_cat32(org_id, b, category, n)"
                       " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
                       " $4::bigint[]) ON CONFLICT (org_id, b, category)"
                       " DO UPDATE SET n = stat_cat32.n + excluded.n",
                       "stat_cat32_add");
    pg_stats_drop(q);
    return rc;
}

/* full buffers go out before the next row is gathered */
static int room(struct store_pg *q)
{
    struct pg_statbuf *sb = statbuf(q);
    if (!sb)
        return -GG_ENOMEM;
    if (sb->nd < BUF_ROWS && sb->nc < BUF_ROWS && sb->nb < BUF_ROWS)
        return 0;
    return pg_stats_flush(q);
}

int pg_stats_add(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas)
{
    struct store_pg *q = pg_of(s);
    int rc = room(q);
    if (rc)
        return rc;
    struct daily_row *r = daily_slot(q->stats, org_id, day);
    for (int i = 0; i < STAT__COUNT; i++)
        r->v[i] += deltas[i];
    q->stats_n++;
    return q->in_tx ? 0 : pg_stats_flush(q); /* outside a transaction: at once */
}

int pg_stats_cat_add(struct store *s, int64_t org_id, int64_t day, const char *category,
                     int64_t n)
{
    struct store_pg *q = pg_of(s);
    int rc = room(q);
    if (rc)
        return rc;
    struct pg_statbuf *sb = q->stats;
    cat_slot(sb->c, &sb->nc, sb->hc, org_id, day, category)->n += n;
    cat_slot(sb->b, &sb->nb, sb->hb, org_id, bucket_of(day), category)->n += n;
    q->stats_n++;
    return q->in_tx ? 0 : pg_stats_flush(q);
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
                      "DELETE FROM stat_daily; DELETE FROM stat_cat; DELETE FROM stat_cat32;"
                      " DELETE FROM stat_log",
                      "stat_clear");
}

/* records travel as hex text: encode()/decode() on the server, libsodium's here */
int pg_stats_log_add(struct store *s, const void *rec, size_t len)
{
    char *hex = malloc(2 * len + 1);
    if (!hex)
        return -GG_ENOMEM;
    sodium_bin2hex(hex, 2 * len + 1, rec, len);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, hex);
    int rc = pg_db_send(pg_of(s), "INSERT INTO stat_log(d) VALUES (decode($1, 'hex'))", &a,
                        "stat_log_add");
    free(hex);
    return rc;
}

int pg_stats_log_take(struct store *s, int (*fn)(void *ctx, const void *rec, size_t len),
                      void *ctx)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    int rc = pg_db_query(pg_of(s), "DELETE FROM stat_log RETURNING encode(d, 'hex')", &a, &r,
                         "stat_log_take");
    for (int i = 0; !rc && r && i < PQntuples(r); i++) {
        size_t hexlen = (size_t)PQgetlength(r, i, 0), len = 0;
        unsigned char *rec = malloc(hexlen / 2 + 1);
        if (!rec)
            rc = -GG_ENOMEM;
        else if (sodium_hex2bin(rec, hexlen / 2 + 1, PQgetvalue(r, i, 0), hexlen, NULL, &len,
                                NULL) != 0)
            rc = -GG_EIO;
        else
            rc = fn(ctx, rec, len);
        free(rec);
    }
    PQclear(r);
    return rc;
}

int pg_stats_log_any(struct store *s, bool *any)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    int rc = pg_db_query(pg_of(s), "SELECT EXISTS (SELECT 1 FROM stat_log)", &a, &r,
                         "stat_log_any");
    *any = !rc && pg_bool(r, 0, 0);
    PQclear(r);
    return rc;
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
