/* bench_stats.c - whole-city summary and indicators through the incremental counters (app/stats.c)
 * against a plain SQL GROUP BY over the events table in the same run (the baseline), on a
 * database made by `gridgov gen`. Prints p50 and p99 of each and the ratio, and checks that both
 * count the same events. Usage: bench_stats DB [ITERATIONS] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/time.h"

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *ms, int n, double *p50)
{
    qsort(ms, (size_t)n, sizeof *ms, cmp);
    *p50 = ms[n / 2];
    printf("  %-44s p50 %9.3f ms   p99 %9.3f ms\n", name, ms[n / 2], ms[(n * 99) / 100]);
}

static const char baseline_sql[] =
    "SELECT count(*), sum(status = 5), sum(registered_at <> 0 AND status NOT IN (6, 7)),"
    " sum(handled_at <> 0 AND status NOT IN (6, 7)),"
    " sum(handled_at <> 0 AND handled_at <= handle_due_at AND status NOT IN (6, 7)),"
    " sum(rating IN (1, 2)), sum(rating <> 0) FROM events;"
    "SELECT status, source, count(*) FROM events GROUP BY status, source;"
    "SELECT category_code, count(*) FROM events GROUP BY category_code;";

static int64_t g_total;
static int count_cb(void *ctx, int n, char **v, char **names)
{
    (void)ctx;
    (void)names;
    if (n == 7 && v[0] && !g_total)
        g_total = atoll(v[0]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_stats DB [ITERATIONS]\n");
        return 2;
    }
    int iters = argc > 2 ? atoi(argv[2]) : 50;
    if (iters < 3)
        iters = 3;
    struct app_config cfg = {.db = argv[1]};
    struct app *a = NULL;
    struct gg_error err = {0};
    if (app_open(&cfg, &a, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    if (app_stats_ensure(a, gg_time_now(), &err)) {
        fprintf(stderr, "stats: %s\n", err.message);
        return 1;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    double *ms = calloc((size_t)iters, sizeof *ms);
    double p_sum = 0, p_ind = 0, p_year = 0, p_sql = 0, p_odd = 0;
    int64_t total = 0;
    int64_t now = gg_time_now();
    int64_t year0 = (now / 86400 - 365) * 86400, year1 = (now / 86400 + 1) * 86400;

    for (int i = 0; i < iters; i++) {
        uint64_t t0 = gg_time_mono_ns();
        struct stats_summary s;
        if (app_stats_summary(a, &sys, 0, 0, 0, now, &s, &err)) {
            fprintf(stderr, "summary: %s\n", err.message);
            return 1;
        }
        total = s.total;
        app_stats_summary_release(&s);
        ms[i] = (double)(gg_time_mono_ns() - t0) / 1e6;
    }
    report("summary, whole city, all time (counters)", ms, iters, &p_sum);
    for (int i = 0; i < iters; i++) {
        uint64_t t0 = gg_time_mono_ns();
        struct stats_indicators ind;
        if (app_stats_indicators(a, &sys, 0, 0, 0, &ind, &err)) {
            fprintf(stderr, "indicators: %s\n", err.message);
            return 1;
        }
        ms[i] = (double)(gg_time_mono_ns() - t0) / 1e6;
    }
    report("indicators, whole city, all time (counters)", ms, iters, &p_ind);
    for (int i = 0; i < iters; i++) {
        uint64_t t0 = gg_time_mono_ns();
        struct stats_indicators ind;
        app_stats_indicators(a, &sys, 0, year0, year1, &ind, &err);
        ms[i] = (double)(gg_time_mono_ns() - t0) / 1e6;
        if (i == 0)
            printf("  (last 365 days: %lld events)\n", (long long)ind.counts[STAT_TOTAL]);
    }
    report("indicators, whole city, last 365 days", ms, iters, &p_year);
    for (int i = 0; i < iters; i++) {
        uint64_t t0 = gg_time_mono_ns();
        struct stats_indicators ind;
        /* starts and ends mid-day: the two partial days are scanned from the events */
        app_stats_indicators(a, &sys, 0, year0 + 13 * 3600 + 17, year1 - 5 * 3600, &ind, &err);
        ms[i] = (double)(gg_time_mono_ns() - t0) / 1e6;
    }
    report("indicators, 365 days, unaligned ends", ms, iters, &p_odd);

    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite open failed\n");
        return 1;
    }
    int sql_iters = iters > 5 ? 5 : iters;
    for (int i = 0; i < sql_iters; i++) {
        uint64_t t0 = gg_time_mono_ns();
        g_total = 0;
        if (sqlite3_exec(db, baseline_sql, count_cb, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        ms[i] = (double)(gg_time_mono_ns() - t0) / 1e6;
    }
    report("baseline: plain SQL GROUP BY over events", ms, sql_iters, &p_sql);
    sqlite3_close(db);
    printf("  events counted: counters %lld, SQL %lld%s\n", (long long)total, (long long)g_total,
           total == g_total ? "" : "   MISMATCH");
    printf("  ratio (baseline p50 / counters p50): summary %.0fx, indicators %.0fx\n",
           p_sql / p_sum, p_sql / p_ind);
    free(ms);
    app_close(a);
    return total == g_total ? 0 : 1;
}
