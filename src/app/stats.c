/* stats.c - command-centre analysis (DESIGN section 11, docs/indicators.md): the counters kept
 * in every event write's transaction, summary, indicators, trend, ranking with stars, hotspots
 * and surge warnings for any org subtree and period, and the rebuild of the counters.
 *
 * How a period is answered exactly: the whole UTC days inside [from, to) come from the daily
 * counters (stat_daily, stat_cat: one row per ancestor org × day × metric), the partial days at
 * either end from a scan of the events reported in them, both through core's stat_facts(), so
 * they cannot disagree. Colours of open events move with time: each event carries a colour
 * mark (core stat_color_mark) counted like any fact; the sweep moves marks as events cross their
 * yellow and red moments (app_stats_recolor, which also sends the yellow warnings), and the
 * summary corrects, from a partial index, the few marks that are stale at query time.
 *
 * Scope: a caller reads the stats of an org within its own subtree (else 404, as for any single
 * object it cannot see); roles without analysis rights (handler, member, resident) get 403. */
#include "app/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "core/geo.h"
#include "core/indicators.h"
#include "core/party.h"
#include "core/scope.h"
#include "core/statlog.h"
#include "core/task.h"
#include "core/visit.h"

#define DAY 86400
#define UNBOUNDED ((int64_t)1 << 50) /* "to" when none is given */
#define MAX_TREND_DAYS 731
#define MAX_RANK_CHILDREN 1000
#define HOTSPOT_POINTS 200000 /* most recent events clustered for repeated locations */
#define HOTSPOT_RADIUS_M 50.0
#define HOTSPOT_TOP 10
#define DEFAULT_STARS "60,70,80,90"

/* ---- the write hook: counters ----
 *
 * On the writer, app_stats_apply only notes deltas (in a->spend). At the end of each group
 * commit they are summed per key and either written as one record of the counter log
 * (core/statlog.h, one appended row) or, when a fold is due, added to the counters together
 * with every record of the log (which the fold removes), in that commit. A fold is due about
 * once a second (GRIDGOV_STATS_FOLD_MS, 0 = every group), at the first group after a start
 * (records a stopped server left), when a stats read asked for one (app_stats_fold_log), and at
 * a clean stop. So intake writes one row per group instead of a random leaf of every counter
 * table per ancestor, and no delta is ever held only in memory: a crash loses nothing. */

static int push_delta(struct stat_pending *p, int64_t org_id, int64_t day, const int64_t *vec)
{
    if (p->nd == p->capd) {
        size_t cap = p->capd ? p->capd * 2 : 256;
        struct stat_delta *nd = realloc(p->d, cap * sizeof *nd);
        if (!nd)
            return -GG_ENOMEM;
        p->d = nd;
        p->capd = cap;
    }
    struct stat_delta *d = &p->d[p->nd++];
    d->org_id = org_id;
    d->day = day;
    memcpy(d->v, vec, sizeof d->v);
    return 0;
}

static int push_cat(struct stat_pending *p, int64_t org_id, int64_t day, const char *code,
                    int64_t n)
{
    if (p->nc == p->capc) {
        size_t cap = p->capc ? p->capc * 2 : 256;
        struct stat_cat_delta *nc = realloc(p->c, cap * sizeof *nc);
        if (!nc)
            return -GG_ENOMEM;
        p->c = nc;
        p->capc = cap;
    }
    struct stat_cat_delta *c = &p->c[p->nc++];
    memset(c, 0, sizeof *c);
    c->org_id = org_id;
    c->day = day;
    gg_strlcpy(c->code, code, sizeof c->code);
    c->n = n;
    return 0;
}

static int note_delta(struct app *a, struct store *s, int64_t org_id, int64_t day,
                      const int64_t *vec)
{
    if (!app_in_writer())
        return s->ops->stat_add(s, org_id, day, vec);
    return push_delta(&a->spend, org_id, day, vec);
}

static int note_cat(struct app *a, struct store *s, int64_t org_id, int64_t day,
                    const char *code)
{
    if (!app_in_writer())
        return s->ops->stat_cat_add(s, org_id, day, code, 1);
    return push_cat(&a->spend, org_id, day, code, 1);
}

struct stat_mark app_stats_mark(struct app *a)
{
    return (struct stat_mark){a->spend.nd, a->spend.nc};
}

void app_stats_undo(struct app *a, struct stat_mark m)
{
    if (m.nd < a->spend.nd)
        a->spend.nd = m.nd;
    if (m.nc < a->spend.nc)
        a->spend.nc = m.nc;
}

void app_stats_pending_free(struct app *a)
{
    free(a->spend.d);
    free(a->spend.c);
    memset(&a->spend, 0, sizeof a->spend);
}

static int by_org_day(const void *x, const void *y)
{
    const struct stat_delta *a = x, *b = y;
    if (a->org_id != b->org_id)
        return a->org_id < b->org_id ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

static int by_org_day_code(const void *x, const void *y)
{
    const struct stat_cat_delta *a = x, *b = y;
    if (a->org_id != b->org_id)
        return a->org_id < b->org_id ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* Sorts the pending deltas and sums those of one key into one row; rows that sum to nothing
 * go. */
static void compact(struct stat_pending *p)
{
    size_t out = 0;
    if (p->nd > 1)
        qsort(p->d, p->nd, sizeof *p->d, by_org_day);
    for (size_t i = 0; i < p->nd;) {
        struct stat_delta sum = p->d[i];
        size_t j = i + 1;
        for (; j < p->nd && p->d[j].org_id == sum.org_id && p->d[j].day == sum.day; j++)
            for (int k = 0; k < STAT__COUNT; k++)
                sum.v[k] += p->d[j].v[k];
        bool zero = true;
        for (int k = 0; k < STAT__COUNT && zero; k++)
            zero = sum.v[k] == 0;
        if (!zero)
            p->d[out++] = sum;
        i = j;
    }
    p->nd = out;
    out = 0;
    if (p->nc > 1)
        qsort(p->c, p->nc, sizeof *p->c, by_org_day_code);
    for (size_t i = 0; i < p->nc;) {
        struct stat_cat_delta sum = p->c[i];
        size_t j = i + 1;
        for (; j < p->nc && by_org_day_code(&p->c[j], &sum) == 0; j++)
            sum.n += p->c[j].n;
        if (sum.n)
            p->c[out++] = sum;
        i = j;
    }
    p->nc = out;
}

/* the pending deltas into the counters, one upsert per key; the pending set is emptied */
static int flush(struct stat_pending *p, struct store *s)
{
    int rc = 0;
    compact(p);
    for (size_t i = 0; !rc && i < p->nd; i++)
        rc = s->ops->stat_add(s, p->d[i].org_id, p->d[i].day, p->d[i].v);
    for (size_t i = 0; !rc && i < p->nc; i++)
        rc = s->ops->stat_cat_add(s, p->c[i].org_id, p->c[i].day, p->c[i].code, p->c[i].n);
    p->nd = p->nc = 0;
    return rc;
}

/* the pending deltas as one record of the counter log; the pending set is emptied */
static int log_record(struct stat_pending *p, struct store *s, bool *logged)
{
    compact(p);
    *logged = p->nd || p->nc;
    if (!*logged)
        return 0;
    size_t cap = statlog_bound(p->nd, p->nc);
    unsigned char *rec = malloc(cap);
    int rc = -GG_ENOMEM;
    if (rec) {
        size_t len = statlog_encode(p->d, p->nd, p->c, p->nc, rec, cap);
        rc = len ? s->ops->stat_log_add(s, rec, len) : -GG_EINVAL;
        free(rec);
    }
    p->nd = p->nc = 0;
    return rc;
}

static int fold_daily(void *ctx, const struct stat_delta *d)
{
    return push_delta(ctx, d->org_id, d->day, d->v);
}

static int fold_cat(void *ctx, const struct stat_cat_delta *c)
{
    return push_cat(ctx, c->org_id, c->day, c->code, c->n);
}

struct fold_ctx {
    struct stat_pending *p;
    bool dropped; /* a record did not decode */
};

static int fold_record(void *ctx, const void *rec, size_t len)
{
    struct fold_ctx *f = ctx;
    struct stat_mark m = {f->p->nd, f->p->nc};
    int rc = statlog_decode(rec, len, fold_daily, fold_cat, f->p);
    if (rc == -GG_EINVAL) {
        /* not ours (another format): dropped whole, and, since its deltas are unknown, the
         * counters rebuilt from the events at the next start */
        gg_errlog("stats: a counter-log record of %zu bytes does not decode; dropped, the"
                  " counters will be rebuilt at the next start",
                  len);
        f->p->nd = m.nd;
        f->p->nc = m.nc;
        f->dropped = true;
        return 0;
    }
    return rc;
}

int app_stats_group_end(struct app *a, struct store *s, int64_t now_ms, bool *folded)
{
    struct stat_pending *p = &a->spend;
    *folded = a->stats_fold_ms <= 0 || a->stats_fold_wanted ||
              (a->stats_log_dirty && now_ms - a->stats_last_fold_ms >= a->stats_fold_ms);
    if (!*folded) {
        bool logged = false;
        int rc = log_record(p, s, &logged);
        a->stats_log_dirty |= logged; /* if its commit fails, the next fold finds nothing */
        return rc;
    }
    if (!a->stats_log_dirty && !a->stats_fold_wanted) /* folding every group: no log */
        return flush(p, s);
    struct fold_ctx f = {p, false};
    int rc = s->ops->stat_log_take(s, fold_record, &f);
    if (!rc && f.dropped)
        rc = s->ops->setting_set(s, "stats.version", "");
    if (rc) {
        p->nd = p->nc = 0;
        return rc;
    }
    return flush(p, s);
}

void app_stats_folded(struct app *a, int64_t now_ms)
{
    a->stats_log_dirty = false;
    a->stats_fold_wanted = false;
    a->stats_last_fold_ms = now_ms;
}

static int fold_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)s, (void)ctx, (void)err;
    a->stats_fold_wanted = true; /* this group folds */
    return 0;
}

int app_stats_fold_log(struct app *a, struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    bool any = false;
    int rc = s->ops->stat_log_any(s, &any);
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    return any ? app_write(a, fold_job, NULL, err) : 0;
}

/* Adds (sign × facts of e) plus the timeline steps of this write to every ancestor of e's place.
 * Facts of before and after that are equal cancel out before touching the database. */
int app_stats_apply(struct app *a, struct store *s, const struct event *before,
                    const struct event *after, int n_dispatch, int n_return)
{
    struct stat_fact f[2 * STAT_MAX_FACTS + 2];
    size_t n = 0;
    if (before) {
        n = stat_facts(before, f);
        for (size_t i = 0; i < n; i++)
            f[i].n = -f[i].n;
    }
    n += stat_facts(after, f + n);
    int64_t day = stat_day(after->reported_at);
    if (n_dispatch)
        f[n++] = (struct stat_fact){STAT_DISPATCHES, day, n_dispatch};
    if (n_return)
        f[n++] = (struct stat_fact){STAT_RETURNS, day, n_return};
    /* cancel equal (metric, day) pairs */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && f[i].n; j++)
            if (f[j].n && f[j].metric == f[i].metric && f[j].day == f[i].day) {
                f[i].n += f[j].n;
                f[j].n = 0;
            }
    /* one row per distinct day (the reported day, and maybe the closed and due days) */
    int64_t ids[32];
    size_t n_ids = scope_path_ids(after->org_path, ids, 32);
    int64_t vec[STAT__COUNT];
    for (size_t i = 0; i < n; i++) {
        if (!f[i].n)
            continue;
        int64_t d = f[i].day;
        memset(vec, 0, sizeof vec);
        for (size_t j = i; j < n; j++)
            if (f[j].n && f[j].day == d) {
                vec[f[j].metric] += f[j].n;
                f[j].n = 0;
            }
        for (size_t k = 0; k < n_ids; k++) {
            int rc = note_delta(a, s, ids[k], d, vec);
            if (rc)
                return rc;
        }
    }
    for (size_t k = 0; !before && k < n_ids; k++) {
        int rc = note_cat(a, s, ids[k], day, after->category_code);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- reading counters over a period ---- */

struct cat_acc {
    struct stats_cat_count *items;
    size_t n, cap;
};

static int cat_add(struct cat_acc *c, const char *code, int64_t n)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].code, code) == 0) {
            c->items[i].count += n;
            return 0;
        }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        void *p = realloc(c->items, cap * sizeof *c->items);
        if (!p)
            return -GG_ENOMEM;
        c->items = p;
        c->cap = cap;
    }
    struct stats_cat_count *it = &c->items[c->n++];
    memset(it, 0, sizeof *it);
    gg_strlcpy(it->code, code, sizeof it->code);
    it->count = n;
    return 0;
}

static int cat_cb(void *ctx, const char *code, int64_t n)
{
    return n ? cat_add(ctx, code, n) : 0;
}

struct scan_ctx {
    int64_t *counts;
    struct cat_acc *cats; /* may be NULL */
};

static int scan_cb(void *p, const struct event *e, int n_dispatch, int n_return)
{
    struct scan_ctx *c = p;
    struct stat_fact f[STAT_MAX_FACTS];
    size_t n = stat_facts(e, f);
    for (size_t i = 0; i < n; i++)
        c->counts[f[i].metric] += f[i].n;
    c->counts[STAT_DISPATCHES] += n_dispatch;
    c->counts[STAT_RETURNS] += n_return;
    return c->cats ? cat_add(c->cats, e->category_code, 1) : 0;
}

static void norm_period(int64_t *from, int64_t *to)
{
    if (*from < 0)
        *from = 0;
    if (*to <= 0 || *to > UNBOUNDED)
        *to = UNBOUNDED;
}

/* The cohort counters (facts dated by the reported day) of the node over [from, to): whole
 * days from stat_daily, the partial days at the ends from the events themselves. */
static int node_counts(struct store *s, int64_t org_id, const char *path, int64_t from, int64_t to,
                       int64_t counts[STAT__COUNT], struct cat_acc *cats)
{
    norm_period(&from, &to);
    memset(counts, 0, STAT__COUNT * sizeof *counts);
    if (from >= to)
        return 0;
    int64_t d0 = stat_day(from + DAY - 1), d1 = stat_day(to);
    struct scan_ctx sc = {counts, cats};
    int rc;
    if (d0 >= d1)
        return s->ops->stat_scan(s, path, from, to, false, scan_cb, &sc);
    rc = s->ops->stat_sum(s, org_id, d0, d1, counts, STAT__COUNT);
    if (!rc && cats)
        rc = s->ops->stat_cat_sum(s, org_id, d0, d1, cat_cb, cats);
    if (!rc && from < d0 * DAY)
        rc = s->ops->stat_scan(s, path, from, d0 * DAY, false, scan_cb, &sc);
    if (!rc && d1 * DAY < to)
        rc = s->ops->stat_scan(s, path, d1 * DAY, to, false, scan_cb, &sc);
    return rc;
}

static bool may_analyse(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF ||
           r == ROLE_GRID_OFFICER;
}

/* The org whose stats are asked for: 0 = the caller's scope. 403 for roles without analysis,
 * 404 for an org outside the caller's subtree. */
static int resolve(struct app *a, const struct actor *who, int64_t org_id, struct store **sp,
                   struct org *out, struct gg_error *err)
{
    if (!may_analyse(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权查看统计分析", role_zh(who->role));
    int rc = app_stats_fold_log(a, err);
    if (rc)
        return rc;
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    rc = s->ops->org_get(s, org_id ? org_id : who->scope_org_id, out);
    if (rc == 0 && !scope_covers(who->scope_path, out->path))
        rc = -GG_ENOTFOUND;
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, "org_id", "组织不存在");
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    *sp = s;
    return 0;
}

static int check_period(int64_t from, int64_t to, struct gg_error *err)
{
    if (from < 0 || to < 0 || (to && from >= to))
        return gg_error_set(err, GG_EINVAL, "to", "统计区间无效：to 应晚于 from");
    return 0;
}

/* ---- summary ---- */

static int cat_cmp(const void *x, const void *y)
{
    const struct stats_cat_count *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->code, b->code);
}

void app_stats_summary_release(struct stats_summary *s)
{
    if (!s)
        return;
    free(s->by_category);
    s->by_category = NULL;
    s->n_categories = 0;
}

int app_stats_summary(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                      int64_t to, int64_t now, struct stats_summary *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_period(from, to, err);
    struct store *s = NULL;
    struct org o;
    if (!rc)
        rc = resolve(a, who, org_id, &s, &o, err);
    if (rc)
        return rc;
    out->org = o;
    int64_t c[STAT__COUNT];
    struct cat_acc cats = {0};
    rc = node_counts(s, o.id, o.path, from, to, c, &cats);
    int64_t stale[COLOR__COUNT] = {0};
    if (!rc) {
        int64_t f = from, t = to;
        norm_period(&f, &t);
        rc = s->ops->stat_stale_colors(s, o.path, f, t, now, stale);
    }
    if (rc) {
        free(cats.items);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    out->total = c[STAT_TOTAL];
    for (int i = 0; i < EVENT_STATUS__COUNT; i++)
        out->by_status[i] = c[STAT_ST_REPORTED + i];
    for (int i = 0; i < SOURCE__COUNT; i++)
        out->by_source[i] = c[STAT_SRC_APP + i];
    /* open events by their marks, corrected for the marks the sweep has not moved yet */
    out->by_color[COLOR_GREEN] = c[STAT_FIXED_GREEN] + c[STAT_OPEN_GREEN] + stale[COLOR_GREEN];
    out->by_color[COLOR_YELLOW] = c[STAT_FIXED_YELLOW] + c[STAT_OPEN_YELLOW] + stale[COLOR_YELLOW];
    out->by_color[COLOR_RED] = c[STAT_FIXED_RED] + c[STAT_OPEN_RED] + stale[COLOR_RED];
    out->by_color[COLOR_NONE] = c[STAT_ST_REJECTED] + c[STAT_ST_MERGED];
    /* drop zero rows (counters that went back to 0), name the rest, largest first */
    size_t k = 0;
    for (size_t i = 0; i < cats.n; i++)
        if (cats.items[i].count)
            cats.items[k++] = cats.items[i];
    cats.n = k;
    for (size_t i = 0; i < cats.n; i++) {
        struct category cat;
        if (app_cat_find(a, cats.items[i].code, &cat) == 0)
            gg_strlcpy(cats.items[i].name, cat.name, sizeof cats.items[i].name);
    }
    if (cats.n)
        qsort(cats.items, cats.n, sizeof *cats.items, cat_cmp);
    out->by_category = cats.items;
    out->n_categories = cats.n;
    return 0;
}

/* ---- indicators ---- */

int app_stats_indicators(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                         int64_t to, struct stats_indicators *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_period(from, to, err);
    struct store *s = NULL;
    if (!rc)
        rc = resolve(a, who, org_id, &s, &out->org, err);
    if (rc)
        return rc;
    rc = node_counts(s, out->org.id, out->org.path, from, to, out->counts, NULL);
    if (rc)
        return gg_error_set(err, rc, NULL, "统计失败");
    indicators_compute(out->counts, &out->ind);
    return 0;
}

/* ---- trend ---- */

struct overdue_ctx {
    int64_t d0, d1;
    int64_t *per_day;
};

static int overdue_cb(void *p, int64_t day, int64_t n)
{
    struct overdue_ctx *c = p;
    if (day >= c->d0 && day < c->d1)
        c->per_day[day - c->d0] += n;
    return 0;
}

int app_stats_trend(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                    int64_t to, bool weekly, int64_t now, struct trend_point **items, size_t *n,
                    struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (!from || !to)
        return gg_error_set(err, GG_EINVAL, from ? "to" : "from", "趋势需要 from 和 to");
    int rc = check_period(from, to, err);
    struct store *s = NULL;
    struct org o;
    if (!rc)
        rc = resolve(a, who, org_id, &s, &o, err);
    if (rc)
        return rc;
    /* whole buckets: days from UTC midnight; weeks from Monday (day 0 was a Thursday) */
    int64_t d0 = stat_day(from), d1 = stat_day(to - 1) + 1;
    int step = weekly ? 7 : 1;
    if (weekly) {
        d0 -= ((d0 % 7) + 7 + 3) % 7;
        int64_t span = d1 - d0;
        d1 = d0 + (span + 6) / 7 * 7;
    }
    if (d1 - d0 > MAX_TREND_DAYS)
        return gg_error_set(err, GG_EINVAL, "to", "趋势区间不能超过 %d 天", MAX_TREND_DAYS);
    size_t nd = (size_t)(d1 - d0);
    int64_t *rep = calloc(nd * 3, sizeof *rep);
    struct trend_point *pts = calloc(nd / (size_t)step + 1, sizeof *pts);
    if (!rep || !pts) {
        free(rep);
        free(pts);
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    }
    int64_t *clo = rep + nd, *ovd = rep + 2 * nd;
    rc = s->ops->stat_series(s, o.id, d0, d1, STAT_TOTAL, rep);
    if (!rc)
        rc = s->ops->stat_series(s, o.id, d0, d1, STAT_CLOSED_ON_DAY, clo);
    if (!rc)
        rc = s->ops->stat_series(s, o.id, d0, d1, STAT_LATE_ON_DUE_DAY, ovd);
    if (!rc) {
        /* open events already past their deadline are overdue on their deadline's day */
        struct overdue_ctx oc = {d0, d1, ovd};
        int64_t until = d1 * DAY < now ? d1 * DAY : now;
        if (until > d0 * DAY)
            rc = s->ops->stat_open_overdue(s, o.path, d0 * DAY, until, overdue_cb, &oc);
    }
    if (rc) {
        free(rep);
        free(pts);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    size_t np = 0;
    for (int64_t d = d0; d < d1; d += step) {
        struct trend_point *p = &pts[np++];
        p->bucket_start = d * DAY;
        for (int k = 0; k < step && d + k < d1; k++) {
            size_t i = (size_t)(d + k - d0);
            p->reported += rep[i];
            p->closed += clo[i];
            p->overdue += ovd[i];
        }
    }
    free(rep);
    *items = pts;
    *n = np;
    return 0;
}

/* ---- ranking ---- */

static int rank_cmp(const void *x, const void *y)
{
    const struct ranking_item *a = x, *b = y;
    if (a->has_score != b->has_score)
        return a->has_score ? -1 : 1;
    if (a->has_score && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->counts[STAT_TOTAL] != b->counts[STAT_TOTAL])
        return a->counts[STAT_TOTAL] > b->counts[STAT_TOTAL] ? -1 : 1;
    return a->org.id < b->org.id ? -1 : a->org.id > b->org.id;
}

int app_stats_thresholds(struct app *a, double t[4])
{
    struct store *s = app_store_for_read(a);
    char *v = NULL;
    if (s)
        s->ops->setting_get(s, "stats.star_thresholds", &v);
    int rc = ranking_parse_thresholds(v ? v : DEFAULT_STARS, t);
    if (rc)
        ranking_parse_thresholds(DEFAULT_STARS, t);
    free(v);
    return 0;
}

/* ---- participation in the unit ranking (issue 6 item 8) ----
 * One aggregate query per source over the parent's subtree (rows per community, grid, branch or
 * task), each row counted for the ranked child whose subtree holds it: the child's id is the
 * path's next segment after the parent's. Rows of the parent itself (a community-level branch
 * when grids are ranked) belong to no child. */

struct kid_index {
    int64_t id;
    size_t i; /* index into the ranking items */
};

static int kid_cmp(const void *x, const void *y)
{
    const struct kid_index *a = x, *b = y;
    return a->id < b->id ? -1 : a->id > b->id;
}

struct kids {
    const char *parent_path;
    size_t plen;
    struct kid_index *ix;
    size_t n;
};

/* the ranking item the row at `path` counts for, or NULL */
static struct ranking_item *kid_of(const struct kids *k, struct ranking_item *items,
                                   const char *path)
{
    if (strncmp(path, k->parent_path, k->plen) != 0)
        return NULL;
    const char *p = path + k->plen;
    char *end;
    long long id = strtoll(p, &end, 10);
    if (end == p || *end != '/')
        return NULL;
    struct kid_index key = {id, 0};
    struct kid_index *hit = bsearch(&key, k->ix, k->n, sizeof *k->ix, kid_cmp);
    return hit ? &items[hit->i] : NULL;
}

static int part_orders(struct store *s, const struct kids *k, struct ranking_item *items,
                       int64_t from, int64_t to)
{
    struct rank_orders_row *rows = NULL;
    size_t n = 0;
    int rc = s->ops->rank_orders(s, k->parent_path, from, to, &rows, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        struct ranking_item *it = kid_of(k, items, rows[i].path);
        if (!it)
            continue;
        it->pc.orders += rows[i].orders;
        it->pc.orders_completed += rows[i].completed;
        it->pc.orders_rated += rows[i].rated;
        it->pc.rating_sum += rows[i].rating_sum;
    }
    free(rows);
    return rc;
}

static int part_visits(struct app *a, struct store *s, const struct kids *k,
                       struct ranking_item *items, int64_t from, int64_t until)
{
    if (until <= from)
        return 0;
    struct visit_rules rules;
    app_visit_rules(a, &rules);
    struct rank_visits_row *rows = NULL;
    size_t n = 0;
    int rc = s->ops->rank_visits(s, k->parent_path, rules.days, from, until, &rows, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        struct ranking_item *it = kid_of(k, items, rows[i].path);
        if (!it)
            continue;
        it->pc.visits_due += rows[i].due;
        it->pc.visits_on_time += rows[i].on_time;
    }
    free(rows);
    return rc;
}

static int part_meetings(struct store *s, const struct kids *k, struct ranking_item *items,
                         int64_t from, int64_t to, int64_t now)
{
    struct rank_branch_row *br = NULL;
    size_t nb = 0;
    int rc = s->ops->rank_branches(s, k->parent_path, &br, &nb);
    int iv[MEETING_KIND__COUNT];
    app_meeting_intervals(s, iv);
    int m0 = 0, m1 = 0;
    bool judged = !rc && nb && participation_months(from, to, now, &m0, &m1);
    int windows = judged ? party_compliance_windows(iv, m0, m1) : 0;
    struct rank_meeting_row *ms = NULL;
    size_t nm = 0;
    struct meeting_fact *facts = NULL;
    if (judged && windows > 0) {
        int64_t d0 = gg_days_from_civil(m0 / 12, m0 % 12 + 1, 1);
        int64_t d1 = gg_days_from_civil(m1 / 12, m1 % 12 + 1, 1);
        rc = s->ops->rank_meetings(s, k->parent_path, d0, d1, &ms, &nm);
        if (!rc && nm && !(facts = calloc(nm, sizeof *facts)))
            rc = -GG_ENOMEM;
    }
    /* rows come by branch id, as the branches do: walk both together */
    size_t j = 0;
    for (size_t i = 0; !rc && i < nb; i++) {
        size_t nf = 0;
        for (; j < nm && ms[j].branch_id < br[i].id; j++)
            ;
        for (; j < nm && ms[j].branch_id == br[i].id; j++) {
            facts[nf].kind = (enum meeting_kind)ms[j].kind;
            facts[nf].month = party_month_of_day(ms[j].held_days);
            nf++;
        }
        struct ranking_item *it = kid_of(k, items, br[i].path);
        if (!it)
            continue;
        it->pc.branches++;
        if (windows <= 0)
            continue;
        size_t ng = 0, total = 0;
        if (party_compliance(iv, m0, m1, facts, nf, NULL, 0, &ng, &total) == 0) {
            it->pc.meeting_windows += windows;
            it->pc.meeting_gaps += (int64_t)total;
        }
    }
    free(br);
    free(ms);
    free(facts);
    return rc;
}

static int part_tasks(struct store *s, const struct kids *k, struct ranking_item *items, int64_t to,
                      int64_t now)
{
    struct task_color_rule rule;
    app_task_color_rule(s, &rule);
    struct rank_task_row *rows = NULL;
    size_t n = 0;
    int rc = s->ops->rank_tasks(s, k->parent_path, to, stat_day(now), rule.warn_days, &rows, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        struct ranking_item *it = kid_of(k, items, rows[i].path);
        if (!it)
            continue;
        struct task_color_counts c = {
            (size_t)rows[i].milestones, (size_t)rows[i].done, (size_t)rows[i].overdue,
            (size_t)rows[i].soon,       rows[i].budget,       rows[i].spend,
            rows[i].latest_percent};
        enum task_color col = task_color_of_counts(&c, &rule, NULL, 0);
        it->pc.tasks++;
        if (col == TASK_RED)
            it->pc.tasks_red++;
        else if (col == TASK_YELLOW)
            it->pc.tasks_yellow++;
        else
            it->pc.tasks_blue++;
    }
    free(rows);
    return rc;
}

/* Fills pc and part of items[0..n) (the children of parent) over [from, to) (normalised). */
static int participation_of(struct app *a, struct store *s, const struct org *parent,
                            struct ranking_item *items, size_t n, int64_t from, int64_t to,
                            int64_t now)
{
    if (!n)
        return 0;
    struct kids k = {parent->path, strlen(parent->path), calloc(n, sizeof *k.ix), n};
    if (!k.ix)
        return -GG_ENOMEM;
    for (size_t i = 0; i < n; i++)
        k.ix[i] = (struct kid_index){items[i].org.id, i};
    qsort(k.ix, n, sizeof *k.ix, kid_cmp);
    int rc = part_orders(s, &k, items, from, to);
    if (!rc)
        rc = part_visits(a, s, &k, items, from, to < now ? to : now);
    if (!rc)
        rc = part_meetings(s, &k, items, from, to, now);
    if (!rc)
        rc = part_tasks(s, &k, items, to, now);
    free(k.ix);
    for (size_t i = 0; !rc && i < n; i++)
        participation_compute(&items[i].pc, &items[i].part);
    return rc;
}

int app_stats_ranking(struct app *a, const struct actor *who, int64_t parent_id, int64_t from,
                      int64_t to, int64_t now, struct ranking_item **items, size_t *n,
                      struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    int rc = check_period(from, to, err);
    struct store *s = NULL;
    struct org parent;
    if (!rc)
        rc = resolve(a, who, parent_id, &s, &parent, err);
    if (rc)
        return rc;
    struct org_filter f = {.parent_id = parent.id, .kind = -1, .limit = MAX_RANK_CHILDREN};
    struct org *kids = NULL;
    size_t nk = 0;
    rc = s->ops->org_list(s, &f, &kids, &nk);
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    double thr[4];
    app_stats_thresholds(a, thr);
    struct ranking_item *out = nk ? calloc(nk, sizeof *out) : NULL;
    if (nk && !out) {
        free(kids);
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    }
    size_t k = 0;
    for (size_t i = 0; i < nk; i++) {
        if (kids[i].kind == ORG_DEPARTMENT || kids[i].kind == ORG_BUILDING ||
            kids[i].kind == ORG_UNIT)
            continue; /* departments are ranked by the reverse evaluation */
        struct ranking_item *it = &out[k];
        it->org = kids[i];
        rc = node_counts(s, kids[i].id, kids[i].path, from, to, it->counts, NULL);
        if (rc)
            break;
        indicators_compute(it->counts, &it->ind);
        k++;
    }
    free(kids);
    if (!rc) {
        int64_t pf = from, pt = to;
        norm_period(&pf, &pt);
        rc = participation_of(a, s, &parent, out, k, pf, pt, now);
    }
    if (rc) {
        free(out);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    for (size_t i = 0; i < k; i++) {
        struct ranking_item *it = &out[i];
        it->has_score = ranking_score_with(&it->ind, &it->part, &it->score);
        it->stars = it->has_score ? ranking_stars(it->score, thr) : 0;
    }
    if (k)
        qsort(out, k, sizeof *out, rank_cmp);
    for (size_t i = 0; i < k; i++)
        out[i].rank = (int)i + 1;
    *items = out;
    *n = k;
    return 0;
}

/* ---- department reverse evaluation ranking ---- */

/* The checks every analysis query starts with: a valid period (normalised), the caller's right
 * to analyse and the org within its scope. */
static int period_query(struct app *a, const struct actor *who, int64_t org_id, int64_t *from,
                        int64_t *to, struct store **s, struct org *o, struct gg_error *err)
{
    int rc = check_period(*from, *to, err);
    if (!rc)
        rc = resolve(a, who, org_id, s, o, err);
    if (!rc)
        norm_period(from, to);
    return rc;
}

static int dept_cmp(const void *x, const void *y)
{
    const struct dept_rank_item *a = x, *b = y;
    if (a->has_score != b->has_score)
        return a->has_score ? -1 : 1;
    if (a->has_score && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->st.whistles != b->st.whistles)
        return a->st.whistles > b->st.whistles ? -1 : 1;
    return a->org.id < b->org.id ? -1 : a->org.id > b->org.id;
}

int app_stats_departments(struct app *a, const struct actor *who, int64_t parent_id,
                          int64_t from, int64_t to, struct dept_rank_item **items, size_t *n,
                          struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    struct store *s = NULL;
    struct org parent;
    int rc = period_query(a, who, parent_id, &from, &to, &s, &parent, err);
    if (rc)
        return rc;
    struct org_filter f = {.kind = ORG_DEPARTMENT, .limit = MAX_RANK_CHILDREN};
    gg_strlcpy(f.scope_path, parent.path, sizeof f.scope_path);
    struct org *depts = NULL;
    size_t nd = 0;
    struct dept_stat *st = NULL;
    size_t ns = 0;
    rc = s->ops->org_list(s, &f, &depts, &nd);
    if (!rc)
        rc = s->ops->dept_stats(s, parent.path, from, to, &st, &ns);
    struct dept_rank_item *out = nd ? calloc(nd, sizeof *out) : NULL;
    if (!rc && nd && !out)
        rc = -GG_ENOMEM;
    if (rc) {
        free(depts);
        free(st);
        free(out);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    double thr[4];
    app_stats_thresholds(a, thr);
    for (size_t i = 0; i < nd; i++) {
        struct dept_rank_item *it = &out[i];
        it->org = depts[i];
        it->st.dept_org_id = depts[i].id;
        for (size_t j = 0; j < ns; j++)
            if (st[j].dept_org_id == depts[i].id)
                it->st = st[j];
        it->has_score = dept_score(it->st.whistles, it->st.on_time, it->st.ratings,
                                   it->st.score_sum, &it->score);
        it->stars = it->has_score ? ranking_stars(it->score, thr) : 0;
    }
    free(depts);
    free(st);
    if (nd)
        qsort(out, nd, sizeof *out, dept_cmp);
    for (size_t i = 0; i < nd; i++)
        out[i].rank = (int)i + 1;
    *items = out;
    *n = nd;
    return 0;
}

/* ---- cadre evaluation (下沉干部评价, issue 6 item 8) ---- */

static bool may_evaluate_cadres(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF;
}

static int cadre_cmp(const void *x, const void *y)
{
    const struct cadre_rank_item *a = x, *b = y;
    if (a->has_score != b->has_score)
        return a->has_score ? -1 : 1;
    if (a->has_score && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->c.completed != b->c.completed)
        return a->c.completed > b->c.completed ? -1 : 1;
    return a->c.member_id < b->c.member_id ? -1 : a->c.member_id > b->c.member_id;
}

int app_stats_cadres(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                     int64_t to, struct cadre_rank_item **items, size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (!may_evaluate_cadres(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权查看下沉干部评价", role_zh(who->role));
    struct store *s = NULL;
    struct org o;
    int rc = period_query(a, who, org_id, &from, &to, &s, &o, err);
    if (rc)
        return rc;
    struct rank_cadre_row *rows = NULL;
    size_t nr = 0;
    rc = s->ops->rank_cadres(s, o.path, from, to, &rows, &nr);
    struct cadre_rank_item *out = nr ? calloc(nr, sizeof *out) : NULL;
    if (!rc && nr && !out)
        rc = -GG_ENOMEM;
    if (rc) {
        free(rows);
        free(out);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    double thr[4];
    app_stats_thresholds(a, thr);
    int64_t max_completed = 0;
    for (size_t i = 0; i < nr; i++)
        if (rows[i].completed > max_completed)
            max_completed = rows[i].completed;
    for (size_t i = 0; i < nr; i++) {
        struct cadre_rank_item *it = &out[i];
        it->c = rows[i];
        struct cadre_counts c = {rows[i].report_ins, rows[i].claimed,    rows[i].completed,
                                 rows[i].rated,      rows[i].rating_sum, rows[i].reviewed,
                                 rows[i].review_sum, rows[i].points};
        it->has_score = cadre_score(&c, max_completed, &it->score);
        it->stars = it->has_score ? ranking_stars(it->score, thr) : 0;
    }
    free(rows);
    if (nr)
        qsort(out, nr, sizeof *out, cadre_cmp);
    for (size_t i = 0; i < nr; i++)
        out[i].rank = (int)i + 1;
    *items = out;
    *n = nr;
    return 0;
}

/* ---- property companies: red and black lists ---- */

#define DEFAULT_PROPERTY_CATEGORIES "0803,1108,0102,1001,1006,1106"
#define DEFAULT_PROPERTY_LIST_SIZE 3
#define DEFAULT_PROPERTY_RATE_CAP 50.0
#define MAX_PROPERTY_CODES 256

static char *setting_or(struct store *s, const char *key, const char *def)
{
    char *v = NULL;
    s->ops->setting_get(s, key, &v);
    if (!v || !*v) {
        free(v);
        v = strdup(def);
    }
    return v;
}

/* The 小类 codes of the setting stats.property_categories: a 大类 code stands for its 小类. */
static size_t property_codes(struct app *a, struct store *s, char (*codes)[GG_CODE_SZ])
{
    char *v = setting_or(s, "stats.property_categories", DEFAULT_PROPERTY_CATEGORIES);
    size_t n = 0;
    struct category *all = NULL;
    size_t na = 0;
    if (v)
        s->ops->category_list(s, &all, &na);
    for (char *tok = v ? strtok(v, ", ") : NULL; tok; tok = strtok(NULL, ", ")) {
        struct category c;
        if (app_cat_find(a, tok, &c) != 0)
            continue;
        for (size_t i = 0; i < na && n < MAX_PROPERTY_CODES; i++)
            if (strcmp(all[i].code, c.code) == 0 ||
                (!c.parent_code[0] && strcmp(all[i].parent_code, c.code) == 0))
                gg_strlcpy(codes[n++], all[i].code, GG_CODE_SZ);
    }
    free(all);
    free(v);
    return n;
}

static int property_cmp(const void *x, const void *y)
{
    const struct property_rank_item *a = x, *b = y;
    if (a->has_score != b->has_score)
        return a->has_score ? -1 : 1;
    if (a->has_score && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->c.id < b->c.id ? -1 : a->c.id > b->c.id;
}

int app_stats_property(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                       int64_t to, struct property_rank_item **items, size_t *n,
                       struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    struct store *s = NULL;
    struct org o;
    int rc = period_query(a, who, org_id, &from, &to, &s, &o, err);
    if (rc)
        return rc;
    char (*codes)[GG_CODE_SZ] = calloc(MAX_PROPERTY_CODES, GG_CODE_SZ);
    struct property_company *cs = NULL;
    size_t nc = 0;
    struct property_area *ar = NULL;
    size_t na = 0;
    struct property_rank_item *out = NULL;
    rc = codes ? 0 : -GG_ENOMEM;
    if (!rc)
        rc = s->ops->property_list(s, &cs, &nc);
    if (!rc)
        rc = s->ops->property_areas(s, 0, &ar, &na);
    if (!rc && nc && !(out = calloc(nc, sizeof *out)))
        rc = -GG_ENOMEM;
    size_t n_codes = rc ? 0 : property_codes(a, s, codes);
    char *cap_s = rc ? NULL : setting_or(s, "stats.property_rate_cap", "50");
    char *size_s = rc ? NULL : setting_or(s, "stats.property_list_size", "3");
    double cap = cap_s ? strtod(cap_s, NULL) : DEFAULT_PROPERTY_RATE_CAP;
    long list_n = size_s ? strtol(size_s, NULL, 10) : DEFAULT_PROPERTY_LIST_SIZE;
    free(cap_s);
    free(size_s);
    if (cap <= 0)
        cap = DEFAULT_PROPERTY_RATE_CAP;
    if (list_n < 0)
        list_n = DEFAULT_PROPERTY_LIST_SIZE;
    size_t k = 0;
    for (size_t i = 0; !rc && i < nc; i++) {
        struct property_rank_item *it = &out[k];
        bool any = false;
        for (size_t j = 0; !rc && j < na; j++) {
            if (ar[j].company_id != cs[i].id || !scope_covers(o.path, ar[j].org_path))
                continue;
            any = true;
            int64_t ev = 0, rated = 0, sat = 0;
            rc = s->ops->property_complaints(s, ar[j].org_path, from, to,
                                             (const char(*)[GG_CODE_SZ])codes, n_codes, &ev,
                                             &rated, &sat);
            it->households += ar[j].households;
            it->complaints += ev;
            it->rated += rated;
            it->satisfied += sat;
        }
        if (!any)
            continue;
        it->c = cs[i];
        it->has_rate = property_rate(it->complaints, it->households, &it->rate);
        it->has_score = property_score(it->has_rate, it->rate, cap, it->rated, it->satisfied,
                                       &it->score);
        k++;
    }
    free(codes);
    free(cs);
    free(ar);
    if (rc) {
        free(out);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    if (k)
        qsort(out, k, sizeof *out, property_cmp);
    /* the first N with a score are the red list, the last N with a score the black list; a
     * company is never on both (with fewer than 2N, the black list is what the red leaves) */
    size_t scored = 0;
    while (scored < k && out[scored].has_score)
        scored++;
    size_t red = (size_t)list_n < scored ? (size_t)list_n : scored;
    for (size_t i = 0; i < k; i++) {
        out[i].rank = (int)i + 1;
        if (i < red)
            out[i].list = 1;
        else if (i < scored && i + (size_t)list_n >= scored)
            out[i].list = -1;
    }
    *items = out;
    *n = k;
    return 0;
}

/* ---- hotspots and surges ---- */

void app_stats_hotspots_release(struct stats_hotspots *h)
{
    if (!h)
        return;
    free(h->grids);
    free(h->places);
    free(h->surges);
    memset(h, 0, sizeof *h);
}

struct grid_acc {
    struct hotspot_grid *items;
    size_t n;
};

static int grid_cb(void *p, int64_t grid_id, int64_t n)
{
    struct grid_acc *g = p;
    if (g->n >= HOTSPOT_TOP)
        return 0;
    g->items[g->n].grid_id = grid_id;
    g->items[g->n].count = n;
    g->n++;
    return 0;
}

/* Repeated locations: each event joins the first cluster whose seed lies within 50 m (a
 * uniform cell hash of ~50 m keeps it near linear), else seeds a new one. */
struct place_acc {
    struct hotspot_place *items;
    size_t n, cap;
    int64_t *cell_head; /* hash of cell → first cluster index + 1 */
    int64_t *next;      /* per cluster: next cluster in the same bucket + 1 */
    size_t n_buckets;
    double cell_deg;
};

static uint64_t cell_hash(int64_t x, int64_t y)
{
    uint64_t h = (uint64_t)x * 0x9E3779B97F4A7C15ull ^ ((uint64_t)y + 0x632BE59BD9B4E019ull);
    h ^= h >> 29;
    return h * 0xBF58476D1CE4E5B9ull;
}

static int place_cb(void *p, int64_t id, double lat, double lon, const char *category)
{
    (void)id;
    (void)category;
    struct place_acc *c = p;
    int64_t cx = (int64_t)floor(lon / c->cell_deg), cy = (int64_t)floor(lat / c->cell_deg);
    for (int64_t dx = -1; dx <= 1; dx++)
        for (int64_t dy = -1; dy <= 1; dy++) {
            size_t b = cell_hash(cx + dx, cy + dy) % c->n_buckets;
            for (int64_t i = c->cell_head[b]; i; i = c->next[i - 1]) {
                struct hotspot_place *pl = &c->items[i - 1];
                if (geo_distance_m(lat, lon, pl->lat, pl->lon) <= HOTSPOT_RADIUS_M) {
                    pl->count++;
                    return 0;
                }
            }
        }
    if (c->n == c->cap)
        return 0; /* cannot happen: cap = the scan limit */
    struct hotspot_place *pl = &c->items[c->n];
    pl->lat = lat;
    pl->lon = lon;
    pl->count = 1;
    size_t b = cell_hash(cx, cy) % c->n_buckets;
    c->next[c->n] = c->cell_head[b];
    c->cell_head[b] = (int64_t)c->n + 1;
    c->n++;
    return 0;
}

static int place_cmp(const void *x, const void *y)
{
    const struct hotspot_place *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->lat != b->lat)
        return a->lat < b->lat ? -1 : 1;
    return a->lon < b->lon ? -1 : a->lon > b->lon;
}

struct surge_row {
    int64_t grid_id;
    char category[GG_CODE_SZ];
    int64_t weeks[9];
};

struct surge_acc {
    struct surge_row *rows;
    size_t n, cap;
};

static int surge_cb(void *p, int64_t grid_id, const char *category, int week, int64_t n)
{
    struct surge_acc *c = p;
    if (week < 0 || week > 8)
        return 0;
    /* rows arrive grouped by (grid, category) */
    if (!c->n || c->rows[c->n - 1].grid_id != grid_id ||
        strcmp(c->rows[c->n - 1].category, category) != 0) {
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            void *q = realloc(c->rows, cap * sizeof *c->rows);
            if (!q)
                return -GG_ENOMEM;
            c->rows = q;
            c->cap = cap;
        }
        struct surge_row *r = &c->rows[c->n++];
        memset(r, 0, sizeof *r);
        r->grid_id = grid_id;
        gg_strlcpy(r->category, category, sizeof r->category);
    }
    c->rows[c->n - 1].weeks[week] += n;
    return 0;
}

int app_stats_hotspots(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                       int64_t to, int64_t now, struct stats_hotspots *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_period(from, to, err);
    struct store *s = NULL;
    struct org o;
    if (!rc)
        rc = resolve(a, who, org_id, &s, &o, err);
    if (rc)
        return rc;
    norm_period(&from, &to);
    struct place_acc pc = {0};
    struct surge_acc sc = {0};
    out->grids = calloc(HOTSPOT_TOP, sizeof *out->grids);
    pc.cap = HOTSPOT_POINTS;
    pc.items = calloc(pc.cap, sizeof *pc.items);
    pc.next = calloc(pc.cap, sizeof *pc.next);
    pc.n_buckets = 65536;
    pc.cell_head = calloc(pc.n_buckets, sizeof *pc.cell_head);
    pc.cell_deg = HOTSPOT_RADIUS_M / 111320.0;
    if (!out->grids || !pc.items || !pc.next || !pc.cell_head) {
        rc = -GG_ENOMEM;
        goto out;
    }
    struct grid_acc gc = {out->grids, 0};
    rc = s->ops->stat_grids(s, o.path, from, to, grid_cb, &gc);
    if (rc)
        goto out;
    out->n_grids = gc.n;
    for (size_t i = 0; i < gc.n; i++) {
        struct org g;
        if (s->ops->org_get(s, gc.items[i].grid_id, &g) == 0) {
            gg_strlcpy(gc.items[i].code, g.code, sizeof gc.items[i].code);
            gg_strlcpy(gc.items[i].name, g.name, sizeof gc.items[i].name);
        }
    }
    rc = s->ops->stat_points(s, o.path, from, to, HOTSPOT_POINTS, place_cb, &pc);
    if (rc)
        goto out;
    if (pc.n)
        qsort(pc.items, pc.n, sizeof *pc.items, place_cmp);
    size_t np = 0;
    while (np < pc.n && np < HOTSPOT_TOP && pc.items[np].count >= 2)
        np++;
    out->places = pc.items;
    out->n_places = np;
    pc.items = NULL;

    /* surges: the 7 days before min(to, now) against the 8 weeks before them */
    int64_t until = to < now ? to : now;
    out->surge_until = until;
    rc = s->ops->stat_surge(s, o.path, until, surge_cb, &sc);
    if (rc)
        goto out;
    for (size_t i = 0; i < sc.n; i++) {
        struct surge sg;
        surge_check(sc.rows[i].weeks[0], sc.rows[i].weeks + 1, &sg);
        if (!sg.warning)
            continue;
        void *q = realloc(out->surges, (out->n_surges + 1) * sizeof *out->surges);
        if (!q) {
            rc = -GG_ENOMEM;
            goto out;
        }
        out->surges = q;
        struct surge_warning *w = &out->surges[out->n_surges++];
        memset(w, 0, sizeof *w);
        w->grid_id = sc.rows[i].grid_id;
        gg_strlcpy(w->category, sc.rows[i].category, sizeof w->category);
        w->last7 = sc.rows[i].weeks[0];
        w->mean = sg.mean;
        w->stddev = sg.stddev;
        struct org g;
        if (s->ops->org_get(s, w->grid_id, &g) == 0)
            gg_strlcpy(w->grid_name, g.name, sizeof w->grid_name);
        struct category cat;
        if (app_cat_find(a, w->category, &cat) == 0)
            gg_strlcpy(w->category_name, cat.name, sizeof w->category_name);
    }
out:
    free(pc.items);
    free(pc.next);
    free(pc.cell_head);
    free(sc.rows);
    if (rc) {
        app_stats_hotspots_release(out);
        return gg_error_set(err, rc, NULL, "统计失败");
    }
    return 0;
}

/* ---- colour marks: the sweep's part ---- */

#define RECOLOR_BATCH 500
#define RECOLOR_MAX_BATCHES 200 /* per sweep: 100,000 events; the rest at the next sweep */

struct recolor_job {
    const int64_t *ids;
    size_t n;
    int64_t now;
    int changed, warned;
};

/* Moves the marks of a batch of events to their colour at `now`, with their counters; an
 * event that turns yellow sends the yellow warning (黄灯预警) once for this deadline. */
static int recolor_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)err;
    struct recolor_job *j = p;
    for (size_t i = 0; i < j->n; i++) {
        struct event e;
        int rc = s->ops->event_get(s, j->ids[i], NULL, &e);
        if (rc == -GG_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        struct event before = e;
        stat_color_mark(&e, j->now);
        if (e.color_mark == before.color_mark && e.recolor_at == before.recolor_at)
            continue;
        rc = s->ops->event_set_mark(s, e.id, (int)e.color_mark, e.recolor_at);
        if (!rc)
            rc = app_stats_apply(a, s, &before, &e, 0, 0);
        if (!rc && before.color_mark != COLOR_YELLOW && e.color_mark == COLOR_YELLOW) {
            rc = app_notify_yellow(a, s, &e, j->now);
            j->warned++;
        }
        if (rc)
            return rc;
        j->changed++;
    }
    return 0;
}

int app_stats_recolor(struct app *a, int64_t now, int *changed, int *warned,
                      struct gg_error *err)
{
    *changed = *warned = 0;
    for (int b = 0; b < RECOLOR_MAX_BATCHES; b++) {
        struct store *s = app_reader(a, err);
        if (!s)
            return -GG_EUNAVAILABLE;
        int64_t *ids = NULL;
        size_t n = 0;
        int rc = s->ops->event_recolor_due(s, now, RECOLOR_BATCH, &ids, &n);
        if (rc) {
            free(ids);
            return gg_error_set(err, rc, NULL, "读取待变色事件失败");
        }
        struct recolor_job j = {ids, n, now, 0, 0};
        if (n)
            rc = app_write(a, recolor_job, &j, err);
        free(ids);
        if (rc)
            return rc;
        *changed += j.changed;
        *warned += j.warned;
        if (n < RECOLOR_BATCH || !j.changed)
            break;
    }
    return 0;
}

int app_stats_settle(struct app *a, int64_t now, long long *changed, struct gg_error *err)
{
    *changed = 0;
    for (;;) {
        int n = 0, warned = 0;
        int rc = app_stats_recolor(a, now, &n, &warned, err);
        if (rc)
            return rc;
        if (n == 0)
            return 0;
        *changed += n;
    }
}

/* ---- rebuild ---- */

/* Accumulates counters for the ancestors of the current event, one level per path depth.
 * Events come ordered by org_path, so every subtree is one contiguous run and a level's
 * accumulator is flushed when the run of its node ends. */
struct cell {
    int64_t day;
    int32_t col; /* metric, or category index */
    int32_t used;
    int64_t n;
};

struct cellmap {
    struct cell *c;
    size_t cap, used;
};

static int cellmap_add(struct cellmap *m, int64_t day, int32_t col, int64_t n)
{
    if ((m->used + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 256;
        struct cell *nc = calloc(ncap, sizeof *nc);
        if (!nc)
            return -GG_ENOMEM;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->c[i].used)
                continue;
            size_t h = cell_hash(m->c[i].day, m->c[i].col) & (ncap - 1);
            while (nc[h].used)
                h = (h + 1) & (ncap - 1);
            nc[h] = m->c[i];
        }
        free(m->c);
        m->c = nc;
        m->cap = ncap;
    }
    size_t h = cell_hash(day, col) & (m->cap - 1);
    while (m->c[h].used && (m->c[h].day != day || m->c[h].col != col))
        h = (h + 1) & (m->cap - 1);
    if (!m->c[h].used) {
        m->c[h].used = 1;
        m->c[h].day = day;
        m->c[h].col = col;
        m->used++;
    }
    m->c[h].n += n;
    return 0;
}

#define MAX_DEPTH 32
#define MAX_CATS 4096

struct rebuild {
    struct store *s;
    int64_t ids[MAX_DEPTH]; /* the current run's node at each depth (0 = none) */
    struct cellmap facts[MAX_DEPTH], cats[MAX_DEPTH];
    char (*codes)[GG_CODE_SZ]; /* interned category codes */
    size_t n_codes;
    int64_t events;
};

static int cell_day_cmp(const void *x, const void *y)
{
    const struct cell *a = x, *b = y;
    if (a->used != b->used)
        return a->used ? -1 : 1;
    return a->day < b->day ? -1 : a->day > b->day;
}

static int flush_level(struct rebuild *r, size_t lvl)
{
    int rc = 0;
    struct cellmap *m = &r->facts[lvl];
    if (m->c) {
        /* the map is emptied below: sort it in place so that each day's cells are adjacent */
        qsort(m->c, m->cap, sizeof *m->c, cell_day_cmp);
        int64_t vec[STAT__COUNT];
        for (size_t i = 0; !rc && i < m->cap && m->c[i].used;) {
            int64_t d = m->c[i].day;
            memset(vec, 0, sizeof vec);
            for (; i < m->cap && m->c[i].used && m->c[i].day == d; i++)
                vec[m->c[i].col] += m->c[i].n;
            rc = r->s->ops->stat_add(r->s, r->ids[lvl], d, vec);
        }
    }
    m = &r->cats[lvl];
    for (size_t i = 0; !rc && i < m->cap; i++)
        if (m->c[i].used && m->c[i].n)
            rc = r->s->ops->stat_cat_add(r->s, r->ids[lvl], m->c[i].day, r->codes[m->c[i].col],
                                         m->c[i].n);
    for (int k = 0; k < 2; k++) {
        struct cellmap *x = k ? &r->cats[lvl] : &r->facts[lvl];
        if (x->c)
            memset(x->c, 0, x->cap * sizeof *x->c);
        x->used = 0;
    }
    r->ids[lvl] = 0;
    return rc;
}

static int rebuild_cb(void *p, const struct event *e, int n_dispatch, int n_return)
{
    struct rebuild *r = p;
    int64_t ids[MAX_DEPTH];
    size_t n = scope_path_ids(e->org_path, ids, MAX_DEPTH);
    /* close the runs that ended: from the first depth where the node differs */
    size_t same = 0;
    while (same < n && r->ids[same] == ids[same])
        same++;
    for (size_t l = MAX_DEPTH; l-- > same;)
        if (r->ids[l]) {
            int rc = flush_level(r, l);
            if (rc)
                return rc;
        }
    for (size_t l = same; l < n; l++)
        r->ids[l] = ids[l];
    int32_t ci = -1;
    for (size_t i = 0; i < r->n_codes; i++)
        if (strcmp(r->codes[i], e->category_code) == 0) {
            ci = (int32_t)i;
            break;
        }
    if (ci < 0) {
        if (r->n_codes >= MAX_CATS)
            return -GG_ETOOLARGE;
        gg_strlcpy(r->codes[r->n_codes], e->category_code, GG_CODE_SZ);
        ci = (int32_t)r->n_codes++;
    }
    struct stat_fact f[STAT_MAX_FACTS];
    size_t nf = stat_facts(e, f);
    int64_t day = stat_day(e->reported_at);
    for (size_t l = 0; l < n; l++) {
        int rc = 0;
        for (size_t i = 0; !rc && i < nf; i++)
            rc = cellmap_add(&r->facts[l], f[i].day, (int32_t)f[i].metric, f[i].n);
        if (!rc && n_dispatch)
            rc = cellmap_add(&r->facts[l], day, STAT_DISPATCHES, n_dispatch);
        if (!rc && n_return)
            rc = cellmap_add(&r->facts[l], day, STAT_RETURNS, n_return);
        if (!rc)
            rc = cellmap_add(&r->cats[l], day, ci, 1);
        if (rc)
            return rc;
    }
    r->events++;
    return 0;
}

struct rebuild_job {
    int64_t events;
    int64_t now;
};

static int rebuild_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct rebuild_job *j = p;
    struct rebuild *r = calloc(1, sizeof *r);
    if (!r)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    r->s = s;
    r->codes = calloc(MAX_CATS, GG_CODE_SZ);
    int rc = r->codes ? s->ops->stat_clear(s) : -GG_ENOMEM;
    if (!rc)
        rc = s->ops->stat_scan(s, "", 0, UNBOUNDED, true, rebuild_cb, r);
    for (size_t l = MAX_DEPTH; !rc && l-- > 0;)
        if (r->ids[l])
            rc = flush_level(r, l);
    if (!rc)
        rc = s->ops->setting_set(s, "stats.version", STATS_VERSION);
    if (!rc) {
        char detail[64];
        snprintf(detail, sizeof detail, "{\"events\":%lld}", (long long)r->events);
        rc = app_audit(s, NULL, j->now, "stats.rebuild", "stats", 0, detail);
    }
    j->events = r->events;
    for (size_t l = 0; l < MAX_DEPTH; l++) {
        free(r->facts[l].c);
        free(r->cats[l].c);
    }
    free(r->codes);
    free(r);
    if (rc)
        return gg_error_set(err, rc, NULL, "重建统计失败");
    /* the scan counted every event as this transaction sees it, the group's earlier writes
     * included: their noted deltas go (stat_clear emptied the counter log too); kept when the
     * rebuild fails, since those writes commit all the same */
    a->spend.nd = a->spend.nc = 0;
    return 0;
}

int app_stats_rebuild(struct app *a, int64_t now, int64_t *events, struct gg_error *err)
{
    struct rebuild_job j = {0, now};
    int rc = app_write(a, rebuild_job, &j, err);
    if (!rc && events)
        *events = j.events;
    return rc;
}

int app_stats_ensure(struct app *a, int64_t now, struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    char *v = NULL;
    int rc = s->ops->setting_get(s, "stats.version", &v);
    bool built = v != NULL && strcmp(v, STATS_VERSION) == 0;
    free(v);
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    if (built)
        return 0;
    gg_info("stats: counters missing, rebuilding them from the events");
    return app_stats_rebuild(a, now, NULL, err);
}
