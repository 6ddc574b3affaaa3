/* test_stats.c - issue 4 over real HTTP: a hand-built scenario with known answers for summary,
 * indicators (null when the denominator is 0), trend, ranking with stars, hotspots and surge
 * warnings; scope checks on every stats endpoint; incremental counters equal a rebuild after a
 * randomised workload; the ledger export (CSV parsed, XLSX shape); the live feed read by a real
 * HTTP client with Last-Event-ID resume and heartbeats; messages; the webhook delivered to a local
 * receiver through failures and retries with its HMAC verified.
 *
 * The scenario is written through app/ with chosen times (the use cases take `now`), 100 days
 * back so that the surge window (the last 63 days) holds only the surge events. */
#include "harness.h"

#include <curl/curl.h>
#include <math.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/internal.h" /* app_reader: the counter log as the store holds it */
#include "base/time.h"
#include "core/indicators.h"

#define H 3600
#define DAYS 86400

struct app *h_app(void);

static struct h_city city;
static int64_t D;  /* the scenario's day (UTC midnight, 100 days ago) */
static int64_t ev[8]; /* E1..E7 */
static char *officer_a; /* grid officer of grid A (token) */
static int64_t officer_a_id;

static void put_category(const char *code, const char *parent, const char *name)
{
    json_t *b = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s}", "code", code, "name", name,
                          "kind", "event", "list", "duty", "handler_level", "grid",
                          "accept_hours", 1, "handle_hours", 10, "clock", "continuous");
    if (parent)
        json_object_set_new(b, "parent_code", json_string(parent));
    long st = 0;
    json_t *j = h_post("/api/v1/categories", h_admin(), b, &st);
    if (st != 200 && st != 201)
        fail_msg("category %s: %ld\n%s", code, st, h_last());
    json_decref(j);
}

static int64_t report(const char *cat, double lat, double lon, enum event_source src, int64_t t)
{
    struct actor sys;
    app_system_actor(h_app(), &sys);
    struct event_input in = {.category_code = cat, .description = "测试事件", .lat = lat,
                             .lon = lon, .source = src};
    struct event_view v;
    struct gg_error err = {0};
    int rc = app_event_report(h_app(), &sys, &in, t, &v, &err);
    if (rc)
        fail_msg("report %s: %d %s", cat, rc, err.message);
    int64_t id = v.ev.id;
    app_event_view_release(&v);
    return id;
}

static int act_full(int64_t id, enum event_action a, int64_t t, int64_t org, enum rating rating,
                    int64_t merge_into)
{
    struct actor sys;
    app_system_actor(h_app(), &sys);
    struct action_input in = {.action = a, .org_id = org, .rating = rating,
                              .merge_into = merge_into};
    struct event_view v;
    struct gg_error err = {0};
    int rc = app_event_act(h_app(), &sys, id, &in, t, &v, &err);
    app_event_view_release(&v);
    if (rc && getenv("GG_TEST_VERBOSE"))
        fprintf(stderr, "act %lld %s: %d %s %s\n", (long long)id, event_action_id(a), rc,
                err.field, err.message);
    return rc;
}

static void act(int64_t id, enum event_action a, int64_t t)
{
    int rc = act_full(id, a, t, 0, RATING_NONE, 0);
    if (rc)
        fail_msg("event %lld %s at +%llds: %d", (long long)id, event_action_id(a),
                 (long long)(t - D), rc);
}

static void rate(int64_t id, enum rating r, int64_t t)
{
    int rc = act_full(id, EVENT_ACTION_RATE, t, 0, r, 0);
    if (rc)
        fail_msg("rate %lld: %d", (long long)id, rc);
}

/* ---- the scenario (see the comment of each event) ---- */
static int setup(void **state)
{
    if (h_start(state))
        return -1;
    h_city_build(&city, "ST");
    put_category("99", NULL, "测试大类");
    put_category("9901", "99", "测试小类");
    put_category("9902", "99", "测试小类二");
    D = (gg_time_now() / DAYS - 100) * DAYS;
    double alat = H_A_LAT, alon = H_A_LON;
    /* E1 grid A: closed on time at grid level, satisfied */
    ev[1] = report("9901", alat, alon, SOURCE_HOTLINE, D + 1 * H);
    act(ev[1], EVENT_ACTION_SIGN, D + 2 * H);
    act(ev[1], EVENT_ACTION_HANDLE, D + 3 * H);
    act(ev[1], EVENT_ACTION_VERIFY_OK, D + 4 * H);
    rate(ev[1], RATING_SATISFIED, D + 5 * H);
    /* E2 grid A: handled late, reworked once, closed late, unsatisfied */
    ev[2] = report("9901", alat, alon, SOURCE_HOTLINE, D + 1 * H);
    act(ev[2], EVENT_ACTION_SIGN, D + 2 * H);
    act(ev[2], EVENT_ACTION_HANDLE, D + 12 * H);
    act(ev[2], EVENT_ACTION_VERIFY_FAIL, D + 13 * H);
    act(ev[2], EVENT_ACTION_SIGN, D + 14 * H);
    act(ev[2], EVENT_ACTION_HANDLE, D + 15 * H);
    act(ev[2], EVENT_ACTION_VERIFY_OK, D + 16 * H);
    rate(ev[2], RATING_UNSATISFIED, D + 17 * H);
    /* E3 grid A, 30 m north: returned, dispatched again, extended, still open (overdue) */
    ev[3] = report("9901", alat + 0.00027, alon, SOURCE_HOTLINE, D + 2 * H);
    act(ev[3], EVENT_ACTION_RETURN, D + 3 * H);
    if (act_full(ev[3], EVENT_ACTION_DISPATCH, D + 4 * H, city.grid_a, RATING_NONE, 0))
        fail_msg("dispatch E3");
    act(ev[3], EVENT_ACTION_EXTEND, D + 5 * H);
    /* E4 grid A, 400 m away: a resident report rejected */
    ev[4] = report("9901", 39.908, 116.302, SOURCE_APP, D + 3 * H);
    act(ev[4], EVENT_ACTION_REJECT, D + 4 * H);
    /* E5 grid B: accepted, handled and closed on time, basic */
    ev[5] = report("9901", H_B_LAT, H_B_LON, SOURCE_APP, D + 5 * H);
    act(ev[5], EVENT_ACTION_REGISTER, D + 6 * H);
    /* E6 grid B: a resident's duplicate, merged into E5 before acceptance */
    ev[6] = report("9901", H_B_LAT, H_B_LON, SOURCE_APP, D + 5 * H);
    if (act_full(ev[6], EVENT_ACTION_MERGE, D + 6 * H + 1800, 0, RATING_NONE, ev[5]))
        fail_msg("merge E6");
    act(ev[5], EVENT_ACTION_SIGN, D + 7 * H);
    act(ev[5], EVENT_ACTION_HANDLE, D + 9 * H);
    act(ev[5], EVENT_ACTION_VERIFY_OK, D + 10 * H);
    rate(ev[5], RATING_BASIC, D + 11 * H);
    /* E7 grid A (next to E4), the next day: supervised, still open (overdue) */
    ev[7] = report("9901", 39.908, 116.302, SOURCE_HOTLINE, D + DAYS + 2 * H);
    act(ev[7], EVENT_ACTION_SUPERVISE, D + DAYS + 3 * H);
    officer_a = h_user_token("st_officer_a", "grid_officer", city.grid_a, &officer_a_id);
    return 0;
}

static int teardown(void **state)
{
    free(officer_a);
    return h_stop(state);
}

static const char *period(const char *base, int64_t org, int64_t from, int64_t to)
{
    char f[GG_RFC3339_LEN], t[GG_RFC3339_LEN];
    gg_time_format(from, f);
    gg_time_format(to, t);
    return h_path("%s?org_id=%lld&from=%s&to=%s", base, (long long)org, f, t);
}

static double rate_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_number(v))
        fail_msg("%s is not a number: %s", k, h_last());
    return json_number_value(v);
}

static void test_summary(void **st)
{
    (void)st;
    long s = 0;
    json_t *j = h_get(period("/api/v1/stats/summary", city.community, D, D + 2 * DAYS), h_admin(),
                      &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 7);
    json_t *bs = h_obj(j, "by_status");
    assert_int_equal(h_int(bs, "closed"), 3);
    assert_int_equal(h_int(bs, "dispatched"), 2);
    assert_int_equal(h_int(bs, "rejected"), 1);
    assert_int_equal(h_int(bs, "merged"), 1);
    assert_int_equal(h_int(bs, "reported"), 0);
    json_t *src = h_obj(j, "by_source");
    assert_int_equal(h_int(src, "hotline"), 4);
    assert_int_equal(h_int(src, "app"), 3);
    json_t *co = h_obj(j, "by_color");
    assert_int_equal(h_int(co, "green"), 2);  /* E1, E5 */
    assert_int_equal(h_int(co, "red"), 3);    /* E2 late, E3 and E7 overdue */
    assert_int_equal(h_int(co, "yellow"), 0);
    assert_int_equal(h_int(co, "none"), 2);   /* rejected, merged */
    json_t *cats = h_obj(j, "by_category");
    assert_int_equal(json_array_size(cats), 1);
    assert_string_equal(h_str(json_array_get(cats, 0), "code"), "9901");
    assert_string_equal(h_str(json_array_get(cats, 0), "name"), "测试小类");
    assert_int_equal(h_int(json_array_get(cats, 0), "count"), 7);
    json_decref(j);
    /* one day only, and a period that starts inside a day (the partial day is scanned) */
    j = h_get(period("/api/v1/stats/summary", city.community, D, D + DAYS), h_admin(), &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 6);
    json_decref(j);
    j = h_get(period("/api/v1/stats/summary", city.community, D + H + 1800, D + 2 * DAYS),
              h_admin(), &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 5); /* E1 and E2 came at +1 h */
    json_decref(j);
    /* grid B alone; and a period with nothing */
    j = h_get(period("/api/v1/stats/summary", city.grid_b, D, D + 2 * DAYS), h_admin(), &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 2);
    json_decref(j);
    j = h_get(period("/api/v1/stats/summary", city.community, D - 10 * DAYS, D - 9 * DAYS),
              h_admin(), &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 0);
    json_decref(j);
}

static void test_indicators(void **st)
{
    (void)st;
    long s = 0;
    json_t *j = h_get(period("/api/v1/stats/indicators", city.community, D, D + 2 * DAYS),
                      h_admin(), &s);
    H_STATUS(s, 200);
    assert_float_equal(rate_of(j, "registration_rate"), 5.0 / 6.0, 1e-9);
    /* dispatch steps: E1, E2, E3 (auto), E3 again (manual), E5 (on register), E7: 6; 1 return */
    assert_float_equal(rate_of(j, "dispatch_accuracy"), 5.0 / 6.0, 1e-9);
    assert_float_equal(rate_of(j, "handling_rate"), 0.6, 1e-9);
    assert_float_equal(rate_of(j, "on_time_handling_rate"), 0.4, 1e-9);
    assert_float_equal(rate_of(j, "closure_rate"), 0.6, 1e-9);
    assert_float_equal(rate_of(j, "on_time_closure_rate"), 0.4, 1e-9);
    assert_float_equal(rate_of(j, "rework_rate"), 0.2, 1e-9);
    assert_float_equal(rate_of(j, "extension_rate"), 0.2, 1e-9);
    assert_float_equal(rate_of(j, "satisfaction_rate"), 2.0 / 3.0, 1e-9);
    assert_float_equal(rate_of(j, "grid_resolution_rate"), 1.0, 1e-9);
    assert_float_equal(rate_of(j, "community_resolution_rate"), 1.0, 1e-9);
    assert_float_equal(rate_of(j, "mean_handling_hours"), 19.0 / 3.0, 1e-9);
    json_t *c = h_obj(j, "counts");
    assert_int_equal(h_int(c, "received"), 6);
    assert_int_equal(h_int(c, "dispatches"), 6);
    assert_int_equal(h_int(c, "returns"), 1);
    assert_int_equal(h_int(c, "supervised"), 1);
    json_decref(j);
    /* nothing in the period: every rate is null */
    j = h_get(period("/api/v1/stats/indicators", city.community, D - 10 * DAYS, D - 9 * DAYS),
              h_admin(), &s);
    H_STATUS(s, 200);
    assert_true(json_is_null(json_object_get(j, "registration_rate")));
    assert_true(json_is_null(json_object_get(j, "satisfaction_rate")));
    assert_true(json_is_null(json_object_get(j, "mean_handling_hours")));
    json_decref(j);
    /* grid B: only E5 counts (E6 merged): satisfaction 1, nothing rated unsatisfied */
    j = h_get(period("/api/v1/stats/indicators", city.grid_b, D, D + 2 * DAYS), h_admin(), &s);
    H_STATUS(s, 200);
    assert_float_equal(rate_of(j, "on_time_closure_rate"), 1.0, 1e-9);
    assert_float_equal(rate_of(j, "satisfaction_rate"), 1.0, 1e-9);
    json_decref(j);
}

static void test_trend(void **st)
{
    (void)st;
    long s = 0;
    json_t *j = h_get(h_path("%s&bucket=day", period("/api/v1/stats/trend", city.community, D,
                                                        D + 2 * DAYS)),
                      h_admin(), &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(j), 2);
    json_t *d0 = json_array_get(j, 0), *d1 = json_array_get(j, 1);
    char day[GG_RFC3339_LEN];
    gg_time_format(D, day);
    assert_string_equal(h_str(d0, "bucket_start"), day);
    assert_int_equal(h_int(d0, "reported"), 6);
    assert_int_equal(h_int(d0, "closed"), 3);
    assert_int_equal(h_int(d0, "overdue"), 2); /* E2 handled late, E3 open past its deadline */
    assert_int_equal(h_int(d1, "reported"), 1);
    assert_int_equal(h_int(d1, "closed"), 0);
    assert_int_equal(h_int(d1, "overdue"), 1); /* E7 */
    json_decref(j);
    /* weekly buckets start on a Monday and sum the days */
    j = h_get(h_path("%s&bucket=week", period("/api/v1/stats/trend", city.community, D,
                                                 D + 2 * DAYS)),
              h_admin(), &s);
    H_STATUS(s, 200);
    int64_t reported = 0;
    for (size_t i = 0; i < json_array_size(j); i++) {
        json_t *b = json_array_get(j, i);
        int64_t t = 0;
        assert_int_equal(gg_time_parse(h_str(b, "bucket_start"), &t), 0);
        assert_int_equal(((t / DAYS) % 7 + 7 + 3) % 7, 0); /* Monday */
        reported += h_int(b, "reported");
    }
    assert_int_equal(reported, 7);
    json_decref(j);
    j = h_get(h_path("%s&bucket=month", period("/api/v1/stats/trend", city.community, D,
                                                  D + DAYS)),
              h_admin(), &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = h_get(h_path("/api/v1/stats/trend?org_id=%lld", (long long)city.community), h_admin(), &s);
    H_STATUS(s, 422); /* from and to are required */
    json_decref(j);
}

static json_t *rank_item(json_t *items, int64_t org)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        if (h_int(h_obj(it, "org"), "id") == org)
            return it;
    }
    fail_msg("org %lld not ranked", (long long)org);
    return NULL;
}

static void test_ranking(void **st)
{
    (void)st;
    long s = 0;
    char f[GG_RFC3339_LEN], t[GG_RFC3339_LEN];
    gg_time_format(D, f);
    gg_time_format(D + 2 * DAYS, t);
    const char *path = h_path("/api/v1/stats/ranking?parent_id=%lld&from=%s&to=%s",
                              (long long)city.community, f, t);
    json_t *j = h_get(path, h_admin(), &s);
    H_STATUS(s, 200);
    json_t *items = h_obj(j, "items");
    assert_int_equal(json_array_size(items), 2);
    /* B: every rate perfect → 100; A: 25×.25 + 25×.25 + 20×.5 + 15×.5 + 10×.75 + 5×.75 = 41.25 */
    json_t *b = rank_item(items, city.grid_b), *a = rank_item(items, city.grid_a);
    assert_int_equal(h_int(b, "rank"), 1);
    assert_int_equal(h_int(a, "rank"), 2);
    assert_float_equal(rate_of(b, "score"), 100.0, 1e-9);
    assert_float_equal(rate_of(a, "score"), 41.25, 1e-9);
    assert_int_equal(h_int(b, "stars"), 5);
    assert_int_equal(h_int(a, "stars"), 1);
    assert_float_equal(rate_of(h_obj(a, "indicators"), "satisfaction_rate"), 0.5, 1e-9);
    json_decref(j);

    /* thresholds from configuration */
    json_t *r = h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "stats.star_thresholds", "value",
                                 "30,40,50,95"),
                       &s);
    H_STATUS(s, 200);
    json_decref(r);
    j = h_get(path, h_admin(), &s);
    H_STATUS(s, 200);
    items = h_obj(j, "items");
    assert_int_equal(h_int(rank_item(items, city.grid_a), "stars"), 3);
    assert_int_equal(h_int(rank_item(items, city.grid_b), "stars"), 5);
    json_decref(j);
    r = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "stats.star_thresholds", "value", "90,80,70,60"),
               &s);
    H_STATUS(s, 422);
    json_decref(r);
    r = h_post("/api/v1/settings", officer_a,
               json_pack("{s:s, s:s}", "key", "stats.star_thresholds", "value", "1,2,3,4"), &s);
    H_STATUS(s, 403);
    json_decref(r);
    r = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "stats.star_thresholds", "value", "60,70,80,90"),
               &s);
    H_STATUS(s, 200);
    json_decref(r);

    /* period=YYYY-MM: the month of D holds the scenario whenever D is before the 30th */
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld&period=bad", (long long)city.community),
              h_admin(), &s);
    H_STATUS(s, 422);
    json_decref(j);
    int y, m, d;
    gg_civil_from_days(D / DAYS, &y, &m, &d);
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld&period=%04d-%02d",
                     (long long)city.community, y, m),
              h_admin(), &s);
    H_STATUS(s, 200);
    if (d < 30)
        assert_float_equal(rate_of(rank_item(h_obj(j, "items"), city.grid_b), "score"), 100.0,
                           1e-9);
    json_decref(j);
}

static void test_hotspots_and_surge(void **st)
{
    (void)st;
    long s = 0;
    json_t *j = h_get(period("/api/v1/stats/hotspots", city.community, D, D + 2 * DAYS),
                      h_admin(), &s);
    H_STATUS(s, 200);
    json_t *g = h_obj(j, "grids");
    assert_int_equal(json_array_size(g), 2);
    assert_int_equal(h_int(json_array_get(g, 0), "id"), city.grid_a);
    assert_int_equal(h_int(json_array_get(g, 0), "count"), 5);
    assert_int_equal(h_int(json_array_get(g, 1), "count"), 2);
    json_t *p = h_obj(j, "locations");
    assert_int_equal(json_array_size(p), 2); /* grid B's only repeated place is a merged one */
    assert_int_equal(h_int(json_array_get(p, 0), "count"), 3);
    assert_true(fabs(rate_of(json_array_get(p, 0), "lat") - H_A_LAT) < 0.0005);
    assert_int_equal(h_int(json_array_get(p, 1), "count"), 2);
    assert_true(fabs(rate_of(json_array_get(p, 1), "lat") - 39.908) < 1e-9);
    /* the surge window ends at `to`: grid A had 5 of 9901 in its last 7 days and none in the 8
     * weeks before (mean 0, sd 0): a warning; grid B had 1 (the merged duplicate not counted) */
    json_t *sg0 = h_obj(j, "surges");
    assert_int_equal(json_array_size(sg0), 1);
    assert_int_equal(h_int(json_array_get(sg0, 0), "grid_id"), city.grid_a);
    assert_int_equal(h_int(json_array_get(sg0, 0), "last_7_days"), 5);
    assert_float_equal(rate_of(json_array_get(sg0, 0), "weekly_mean"), 0.0, 1e-12);
    json_decref(j);

    /* surge: grid B, 9902: one a week for 8 weeks, then 5 in the last 7 days (mean 1, sd 0);
     * grid A, 9902: 4 in the last 7 days from nothing (fewer than 5: no warning) */
    int64_t now = gg_time_now();
    for (int k = 1; k <= 8; k++)
        report("9902", H_B_LAT + 0.0005 * k, H_B_LON, SOURCE_HOTLINE, now - k * 7 * DAYS - DAYS);
    for (int k = 0; k < 5; k++)
        report("9902", H_B_LAT - 0.001 * k, H_B_LON, SOURCE_HOTLINE, now - DAYS - k * H);
    for (int k = 0; k < 4; k++)
        report("9902", H_A_LAT - 0.001 * k, H_A_LON, SOURCE_HOTLINE, now - DAYS - k * H);
    j = h_get(h_path("/api/v1/stats/hotspots?org_id=%lld", (long long)city.district), h_admin(),
              &s);
    H_STATUS(s, 200);
    json_t *sg = h_obj(j, "surges");
    assert_int_equal(json_array_size(sg), 1);
    json_t *w = json_array_get(sg, 0);
    assert_int_equal(h_int(w, "grid_id"), city.grid_b);
    assert_string_equal(h_str(w, "category_code"), "9902");
    assert_int_equal(h_int(w, "last_7_days"), 5);
    assert_float_equal(rate_of(w, "weekly_mean"), 1.0, 1e-9);
    assert_float_equal(rate_of(w, "weekly_stddev"), 0.0, 1e-9);
    json_decref(j);
    /* one more in the trailing weeks of grid B makes mean 1.125 and sd > 0: 5 is still above */
}

static void test_scope(void **st)
{
    (void)st;
    static const char *const eps[] = {"/api/v1/stats/summary", "/api/v1/stats/indicators",
                                      "/api/v1/stats/trend", "/api/v1/stats/hotspots"};
    char *handler = h_user_token("st_handler", "handler", city.dept_cg, NULL);
    char *resident = h_user_token("st_resident", "resident", city.grid_a, NULL);
    for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
        long s = 0;
        json_t *j = h_get(period(eps[i], city.grid_a, D, D + 2 * DAYS), officer_a, &s);
        H_STATUS(s, 200);
        json_decref(j);
        j = h_get(period(eps[i], city.grid_b, D, D + 2 * DAYS), officer_a, &s);
        H_STATUS(s, 404); /* a sibling grid: not revealed */
        h_check_error(j, NULL);
        json_decref(j);
        j = h_get(period(eps[i], city.community, D, D + 2 * DAYS), officer_a, &s);
        H_STATUS(s, 404); /* an ancestor is outside the subtree too */
        json_decref(j);
        j = h_get(period(eps[i], 99999999, D, D + 2 * DAYS), h_admin(), &s);
        H_STATUS(s, 404);
        json_decref(j);
        j = h_get(period(eps[i], city.grid_a, D, D + 2 * DAYS), handler, &s);
        H_STATUS(s, 403);
        json_decref(j);
        j = h_get(period(eps[i], city.grid_a, D, D + 2 * DAYS), resident, &s);
        H_STATUS(s, 403);
        json_decref(j);
        j = h_get(period(eps[i], city.grid_a, D, D + 2 * DAYS), NULL, &s);
        H_STATUS(s, 401);
        json_decref(j);
        j = h_get(period(eps[i], city.grid_a, D + DAYS, D), h_admin(), &s);
        H_STATUS(s, 422); /* to before from */
        json_decref(j);
    }
    /* the officer's own scope when org_id is absent: grid A only (5 events) */
    long s = 0;
    char f[GG_RFC3339_LEN], t[GG_RFC3339_LEN];
    gg_time_format(D, f);
    gg_time_format(D + 2 * DAYS, t);
    json_t *j = h_get(h_path("/api/v1/stats/summary?from=%s&to=%s", f, t), officer_a, &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "total"), 5);
    json_decref(j);
    /* ranking: the parent must be within the scope */
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld", (long long)city.community), officer_a,
              &s);
    H_STATUS(s, 404);
    json_decref(j);
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld", (long long)city.grid_a), officer_a,
              &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld", (long long)city.community), handler,
              &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_get(h_path("/api/v1/stats/ranking?parent_id=%lld", (long long)city.community), NULL, &s);
    H_STATUS(s, 401);
    json_decref(j);
    free(handler);
    free(resident);
}

/* ---- incremental counters == rebuild ---- */

static char *snapshot(void)
{
    static const char *const eps[] = {"/api/v1/stats/summary", "/api/v1/stats/indicators"};
    const int64_t orgs[] = {h_root_id(), city.district, city.community, city.grid_a, city.grid_b};
    const int64_t from[] = {0, D - 3 * DAYS, D - 2 * DAYS + 7 * H + 17};
    const int64_t to[] = {0, D + 9 * DAYS, D + 5 * DAYS - 3 * H};
    json_t *all = json_array();
    for (size_t e = 0; e < 2; e++)
        for (size_t o = 0; o < sizeof orgs / sizeof orgs[0]; o++)
            for (size_t p = 0; p < 3; p++) {
                long s = 0;
                const char *path = from[p] ? period(eps[e], orgs[o], from[p], to[p])
                                           : h_path("%s?org_id=%lld", eps[e], (long long)orgs[o]);
                json_t *j = h_get(path, h_admin(), &s);
                H_STATUS(s, 200);
                json_array_append_new(all, j);
            }
    for (size_t o = 0; o < sizeof orgs / sizeof orgs[0]; o++) {
        long s = 0;
        json_t *j = h_get(h_path("%s&bucket=day", period("/api/v1/stats/trend", orgs[o],
                                                         D - 3 * DAYS, D + 9 * DAYS)),
                          h_admin(), &s);
        H_STATUS(s, 200);
        json_array_append_new(all, j);
    }
    char *text = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
    json_decref(all);
    return text;
}

static void test_rebuild_equals_incremental(void **st)
{
    (void)st;
    srand(20261122);
    static const enum event_action acts[] = {
        EVENT_ACTION_REGISTER,  EVENT_ACTION_REJECT,    EVENT_ACTION_DISPATCH,
        EVENT_ACTION_SIGN,      EVENT_ACTION_RETURN,    EVENT_ACTION_HANDLE,
        EVENT_ACTION_VERIFY_OK, EVENT_ACTION_VERIFY_FAIL, EVENT_ACTION_ESCALATE,
        EVENT_ACTION_SELF_HANDLE, EVENT_ACTION_SUPERVISE, EVENT_ACTION_SUSPEND,
        EVENT_ACTION_RESUME,    EVENT_ACTION_EXTEND,    EVENT_ACTION_RATE,
        EVENT_ACTION_MERGE,
    };
    int64_t ids[120];
    int n = 0, applied = 0;
    for (int i = 0; i < 120; i++) {
        int64_t t = D - 2 * DAYS + (int64_t)(rand() % (10 * DAYS));
        bool in_a = rand() % 2;
        double lat = (in_a ? H_A_LAT : H_B_LAT) + (rand() % 100) * 0.00004 - 0.002;
        double lon = (in_a ? H_A_LON : H_B_LON) + (rand() % 100) * 0.00004 - 0.002;
        if (rand() % 10 == 0)
            lon += 1.0; /* outside every grid: counted at the root only */
        ids[n++] = report(rand() % 3 ? "9901" : "9902", lat, lon,
                          rand() % 2 ? SOURCE_HOTLINE : SOURCE_APP, t);
        int steps = rand() % 7;
        for (int k = 0; k < steps; k++) {
            t += (int64_t)(rand() % (14 * H));
            enum event_action a = acts[rand() % (sizeof acts / sizeof acts[0])];
            int64_t org = a == EVENT_ACTION_DISPATCH ? (rand() % 2 ? city.grid_a : city.grid_b) : 0;
            enum rating r = (enum rating)(1 + rand() % 3);
            int64_t into = a == EVENT_ACTION_MERGE && n > 1 ? ids[rand() % (n - 1)] : 0;
            if (act_full(ids[n - 1], a, t, org, r, into) == 0)
                applied++;
        }
    }
    assert_true(applied > 100); /* the workload really moved events through the workflow */
    /* the sweep moves the colour marks (and their counters) of every stale event: a rebuild
     * must agree with that too */
    int swept = 0;
    struct gg_error serr = {0};
    assert_int_equal(app_sweep(h_app(), gg_time_now(), &swept, &serr), 0);
    char *before = snapshot();
    int64_t events = 0;
    struct gg_error err = {0};
    assert_int_equal(app_stats_rebuild(h_app(), gg_time_now(), &events, &err), 0);
    assert_true(events >= 120);
    char *after = snapshot();
    if (strcmp(before, after) != 0)
        fail_msg("incremental counters differ from a rebuild:\nbefore %.2000s\nafter  %.2000s",
                 before, after);
    free(before);
    free(after);
}

/* ---- yellow warnings (黄灯预警) and the colour marks ---- */

static int yellow_messages(int64_t event_id)
{
    long s = 0;
    json_t *j = h_get("/api/v1/messages?limit=500", officer_a, &s);
    H_STATUS(s, 200);
    int n = 0;
    for (size_t i = 0; i < json_array_size(h_items(j)); i++) {
        json_t *m = json_array_get(h_items(j), i);
        if (strcmp(h_str(m, "kind"), "yellow") == 0 && h_int(m, "event_id") == event_id)
            n++;
    }
    json_decref(j);
    return n;
}

static void summary_colors(int64_t now, int64_t out[COLOR__COUNT])
{
    struct actor sys;
    app_system_actor(h_app(), &sys);
    struct stats_summary sum;
    struct gg_error err = {0};
    assert_int_equal(app_stats_summary(h_app(), &sys, city.grid_a, 0, 0, now, &sum, &err), 0);
    memcpy(out, sum.by_color, sizeof sum.by_color);
    app_stats_summary_release(&sum);
}

/* An open event crossing 80 % of its time warns its assignee once per deadline, from the sweep
 * (and the webhook outbox); the summary's colours are exact before and after the sweep. */
static void test_yellow_warning(void **st)
{
    (void)st;
    int64_t t0 = gg_time_now();
    /* 9901: 10 hours, continuous; a hotline report in grid A goes to grid A's officer */
    int64_t id = report("9901", H_A_LAT, H_A_LON, SOURCE_HOTLINE, t0);
    int n = 0;
    struct gg_error err = {0};
    assert_int_equal(app_sweep(h_app(), t0 + 7 * H, &n, &err), 0);
    assert_int_equal(yellow_messages(id), 0); /* 70 %: still green */

    int64_t t = t0 + 8 * H + 60;           /* past 80 % */
    int64_t before[COLOR__COUNT], after[COLOR__COUNT];
    summary_colors(t, before);             /* the mark is stale: corrected at query time */
    assert_int_equal(app_sweep(h_app(), t, &n, &err), 0);
    summary_colors(t, after);              /* the sweep moved it: the same answer */
    assert_memory_equal(before, after, sizeof before);
    assert_true(after[COLOR_YELLOW] >= 1);
    assert_int_equal(yellow_messages(id), 1);
    /* again: never a second warning for the same deadline (a sweep in the red would escalate
     * it away from grid A: test_sweep_escalates covers that) */
    assert_int_equal(app_sweep(h_app(), t + 60, &n, &err), 0);
    assert_int_equal(app_sweep(h_app(), t0 + 9 * H, &n, &err), 0);
    assert_int_equal(yellow_messages(id), 1);
    long s = 0;
    json_t *j = h_get(h_path("/api/v1/audit?object_type=event&object_id=%lld", (long long)id),
                      h_admin(), &s);
    H_STATUS(s, 200);
    int audited = 0;
    for (size_t i = 0; i < json_array_size(h_items(j)); i++)
        audited += strcmp(h_str(json_array_get(h_items(j), i), "action"),
                          "event.yellow_warning") == 0;
    assert_int_equal(audited, 1);
    json_decref(j);
    /* an extension when already late (10 h more: due at +20 h, yellow at +16 h) makes a new
     * deadline, red → green: crossing its yellow moment warns again */
    act(id, EVENT_ACTION_EXTEND, t0 + 11 * H + 60);
    assert_int_equal(yellow_messages(id), 1);
    assert_int_equal(app_sweep(h_app(), t0 + 15 * H, &n, &err), 0);
    assert_int_equal(yellow_messages(id), 1);
    assert_int_equal(app_sweep(h_app(), t0 + 17 * H, &n, &err), 0);
    assert_int_equal(yellow_messages(id), 2);
    /* handled: out of the sweep's list, no more warnings */
    act(id, EVENT_ACTION_SIGN, t0 + 30 * H + 60);
    act(id, EVENT_ACTION_HANDLE, t0 + 30 * H + 120);
    assert_int_equal(app_sweep(h_app(), t0 + 60 * H, &n, &err), 0);
    assert_int_equal(yellow_messages(id), 2);
}

/* ---- department reverse evaluation (部门反向评价) ---- */

static json_t *rate_dept(const char *tok, int64_t event_id, int64_t dept, int score, long *st)
{
    return h_post(h_path("/api/v1/events/%lld/department_ratings", (long long)event_id), tok,
                  json_pack("{s:I, s:i, s:s}", "department_id", (json_int_t)dept, "score", score,
                            "note", "到场及时"),
                  st);
}

static json_t *ranking_item_for(json_t *list, const char *key, int64_t id)
{
    json_t *items = h_obj(list, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *o = strcmp(key, "org") == 0 ? h_obj(it, "org") : it;
        if (h_int(o, "id") == id)
            return it;
    }
    fail_msg("%lld not ranked: %s", (long long)id, h_last());
    return NULL;
}

static void test_department_ratings(void **st)
{
    (void)st;
    int64_t t0 = gg_time_now();
    char *street = h_user_token("st_street_staff", "staff", city.street, NULL);
    char *leader = h_user_token("st_street_leader", "leader", city.street, NULL);
    char *comm = h_user_token("st_comm_staff", "staff", city.community, NULL);
    char *cg = h_user_token("st_cg_handler", "handler", city.dept_cg, NULL);
    int64_t id = report("9901", H_A_LAT, H_A_LON, SOURCE_HOTLINE, t0);
    long s = 0;
    json_t *j = h_act_with(street, id, "whistle",
                           json_pack("{s:[I, I]}", "departments", (json_int_t)city.dept_cg,
                                     (json_int_t)city.dept_ga),
                           &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_act(cg, id, "report_in", &s); /* 城管 reports in, 公安 never does */
    H_STATUS(s, 200);
    json_decref(j);
    /* not before the case is closed */
    j = rate_dept(street, id, city.dept_cg, 4, &s);
    H_STATUS(s, 409);
    json_decref(j);
    act(id, EVENT_ACTION_SIGN, t0 + 60);
    act(id, EVENT_ACTION_HANDLE, t0 + 120);
    act(id, EVENT_ACTION_VERIFY_OK, t0 + 180);
    /* only the whistling unit's staff and leaders */
    j = rate_dept(cg, id, city.dept_cg, 4, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = rate_dept(comm, id, city.dept_cg, 4, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = rate_dept(officer_a, id, city.dept_cg, 4, &s);
    H_STATUS(s, 403);
    json_decref(j);
    /* a score out of range; a department that never reported in; one never whistled */
    j = rate_dept(street, id, city.dept_cg, 6, &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = rate_dept(street, id, city.dept_ga, 3, &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = rate_dept(street, id, city.grid_a, 3, &s);
    H_STATUS(s, 422);
    json_decref(j);
    /* once per (event, department) */
    j = rate_dept(street, id, city.dept_cg, 4, &s);
    H_STATUS(s, 201);
    assert_int_equal(h_int(j, "score"), 4);
    assert_int_equal(h_int(j, "rater_org_id"), city.street);
    json_decref(j);
    j = rate_dept(leader, id, city.dept_cg, 5, &s);
    H_STATUS(s, 409);
    json_decref(j);
    j = h_get(h_path("/api/v1/events/%lld/department_ratings", (long long)id), leader, &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    assert_int_equal(h_int(json_array_get(h_items(j), 0), "department_id"), city.dept_cg);
    json_decref(j);
    j = h_get(h_path("/api/v1/audit?object_type=event&object_id=%lld", (long long)id), h_admin(),
              &s);
    int audited = 0;
    for (size_t i = 0; i < json_array_size(h_items(j)); i++)
        audited += strcmp(h_str(json_array_get(h_items(j), i), "action"),
                          "event.rate_department") == 0;
    assert_int_equal(audited, 1);
    json_decref(j);

    /* the ranking: 城管 mean 4 (→ 75, weight 70) and on time (100, weight 30) = 82.5, ★★★★;
     * 公安 never reported in and has no rating: 0, ★ */
    char f[GG_RFC3339_LEN], t[GG_RFC3339_LEN];
    gg_time_format(t0 - 60, f);
    gg_time_format(t0 + H, t);
    j = h_get(h_path("/api/v1/stats/ranking?kind=departments&parent_id=%lld&from=%s&to=%s",
                     (long long)city.district, f, t),
              h_admin(), &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "kind"), "departments");
    json_t *a = ranking_item_for(j, "org", city.dept_cg);
    assert_int_equal(h_int(a, "whistles"), 1);
    assert_int_equal(h_int(a, "reported_in"), 1);
    assert_int_equal(h_int(a, "reported_on_time"), 1);
    assert_int_equal(h_int(a, "ratings"), 1);
    assert_float_equal(rate_of(a, "mean_rating"), 4.0, 1e-9);
    assert_float_equal(rate_of(a, "score"), 82.5, 1e-9);
    assert_int_equal(h_int(a, "stars"), 4);
    assert_int_equal(h_int(a, "rank"), 1);
    json_t *b = ranking_item_for(j, "org", city.dept_ga);
    assert_int_equal(h_int(b, "reported_in"), 0);
    assert_true(h_is_null(b, "mean_rating"));
    assert_float_equal(rate_of(b, "score"), 0.0, 1e-9);
    assert_int_equal(h_int(b, "stars"), 1);
    assert_true(h_int(b, "rank") > 1);
    json_decref(j);
    /* scope: a community's staff cannot rank the district's departments; handlers never */
    j = h_get(h_path("/api/v1/stats/ranking?kind=departments&parent_id=%lld",
                     (long long)city.district),
              comm, &s);
    H_STATUS(s, 404);
    json_decref(j);
    j = h_get("/api/v1/stats/ranking?kind=departments", cg, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_get("/api/v1/stats/ranking?kind=nonsense", h_admin(), &s);
    H_STATUS(s, 422);
    json_decref(j);
    free(street);
    free(leader);
    free(comm);
    free(cg);
}

/* ---- property companies' red and black lists (物业红黑榜) ---- */

static json_t *post_company(const char *tok, const char *name, json_t *areas, long *st)
{
    return h_post("/api/v1/property_companies", tok,
                  json_pack("{s:s, s:o}", "name", name, "areas", areas), st);
}

static void test_property_red_black(void **st)
{
    (void)st;
    int64_t t0 = gg_time_now();
    long s = 0;
    json_t *j = post_company(h_admin(), "甲物业",
                             json_pack("[{s:I, s:i}]", "org_id", (json_int_t)city.grid_a,
                                       "households", 500),
                             &s);
    H_STATUS(s, 201);
    int64_t pa = h_int(j, "id");
    assert_int_equal(h_int(j, "households"), 500);
    json_decref(j);
    j = post_company(h_admin(), "乙物业",
                     json_pack("[{s:I, s:i}]", "org_id", (json_int_t)city.grid_b, "households",
                               1000),
                     &s);
    H_STATUS(s, 201);
    int64_t pb = h_int(j, "id");
    json_decref(j);
    /* refused: a duplicate name, an area another company serves, a street, nested areas, roles */
    j = post_company(h_admin(), "甲物业", json_array(), &s);
    H_STATUS(s, 409);
    json_decref(j);
    j = post_company(h_admin(), "丙物业",
                     json_pack("[{s:I}]", "org_id", (json_int_t)city.grid_a), &s);
    H_STATUS(s, 409);
    json_decref(j);
    j = post_company(h_admin(), "丁物业",
                     json_pack("[{s:I}]", "org_id", (json_int_t)city.street), &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = post_company(h_admin(), "戊物业",
                     json_pack("[{s:I}, {s:I}]", "org_id", (json_int_t)city.community, "org_id",
                               (json_int_t)city.grid_b),
                     &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = post_company(officer_a, "己物业", json_array(), &s);
    H_STATUS(s, 403);
    json_decref(j);
    /* the grid officer of A sees the company of grid A only */
    j = h_get("/api/v1/property_companies", officer_a, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, pa));
    assert_false(h_list_has(j, pb));
    json_decref(j);
    j = h_get(h_path("/api/v1/property_companies/%lld", (long long)pb), officer_a, &s);
    H_STATUS(s, 404);
    json_decref(j);
    j = h_patch(h_path("/api/v1/property_companies/%lld", (long long)pa), h_admin(),
                json_pack("{s:s}", "name", "甲物业服务有限公司"), &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "name"), "甲物业服务有限公司");
    assert_int_equal(json_array_size(h_obj(j, "areas")), 1); /* areas kept */
    json_decref(j);

    /* complaints (1108 物业服务问题, 0803 物业纠纷): 3 in grid A, 1 in grid B (closed, rated
     * satisfied); a 9901 event in grid A is not a property matter */
    for (int k = 0; k < 3; k++)
        report(k ? "1108" : "0803", H_A_LAT, H_A_LON, SOURCE_HOTLINE, t0 + k);
    report("9901", H_A_LAT, H_A_LON, SOURCE_HOTLINE, t0);
    int64_t b1 = report("1108", H_B_LAT, H_B_LON, SOURCE_HOTLINE, t0);
    act(b1, EVENT_ACTION_SIGN, t0 + 60);
    act(b1, EVENT_ACTION_HANDLE, t0 + 120);
    act(b1, EVENT_ACTION_VERIFY_OK, t0 + 180);
    rate(b1, RATING_SATISFIED, t0 + 240);
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "stats.property_list_size", "value", "0"), &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "stats.property_list_size", "value", "1"), &s);
    H_STATUS(s, 200);
    json_decref(j);

    char f[GG_RFC3339_LEN], t[GG_RFC3339_LEN];
    gg_time_format(t0 - 60, f);
    gg_time_format(t0 + H, t);
    j = h_get(h_path("/api/v1/stats/ranking?kind=property&org_id=%lld&from=%s&to=%s",
                     (long long)city.community, f, t),
              h_admin(), &s);
    H_STATUS(s, 200);
    /* B: 1 per 1,000 households (60 × 0.98) and 1 of 1 satisfied (40): 98.8, first, red;
     * A: 6 per 1,000 (60 × 0.88), none rated: 88, last, black */
    json_t *b = ranking_item_for(j, "id", pb);
    assert_int_equal(h_int(b, "rank"), 1);
    assert_int_equal(h_int(b, "complaints"), 1);
    assert_float_equal(rate_of(b, "complaints_per_1000_households"), 1.0, 1e-9);
    assert_float_equal(rate_of(b, "satisfaction_rate"), 1.0, 1e-9);
    assert_float_equal(rate_of(b, "score"), 98.8, 1e-9);
    assert_string_equal(h_str(b, "list"), "red");
    json_t *a = ranking_item_for(j, "id", pa);
    assert_int_equal(h_int(a, "rank"), 2);
    assert_int_equal(h_int(a, "complaints"), 3);
    assert_int_equal(h_int(a, "households"), 500);
    assert_float_equal(rate_of(a, "complaints_per_1000_households"), 6.0, 1e-9);
    assert_true(h_is_null(a, "satisfaction_rate"));
    assert_float_equal(rate_of(a, "score"), 88.0, 1e-9);
    assert_string_equal(h_str(a, "list"), "black");
    assert_int_equal(json_array_size(h_obj(j, "red_list")), 1);
    assert_int_equal(json_integer_value(json_array_get(h_obj(j, "red_list"), 0)), pb);
    assert_int_equal(json_array_size(h_obj(j, "black_list")), 1);
    assert_int_equal(json_integer_value(json_array_get(h_obj(j, "black_list"), 0)), pa);
    json_decref(j);
    /* scope: grid A's officer ranks the companies of grid A only; residents never */
    j = h_get(h_path("/api/v1/stats/ranking?kind=property&from=%s&to=%s", f, t), officer_a, &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(h_obj(j, "items")), 1);
    assert_int_equal(h_int(json_array_get(h_obj(j, "items"), 0), "id"), pa);
    json_decref(j);
    char *res = h_user_token("st_resident_p", "resident", city.grid_a, NULL);
    j = h_get("/api/v1/stats/ranking?kind=property", res, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_get("/api/v1/property_companies", res, &s);
    H_STATUS(s, 403);
    json_decref(j);
    free(res);
}

/* ---- ledger export ---- */

static void test_export(void **st)
{
    (void)st;
    struct h_resp r;
    assert_int_equal(h_raw("GET", h_path("/api/v1/events/export?format=csv&org_id=%lld",
                                         (long long)city.grid_b),
                           h_admin(), NULL, NULL, 0, &r),
                     0);
    H_STATUS(r.status, 200);
    assert_non_null(strstr(r.content_type, "text/csv"));
    assert_true(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0);
    assert_true(strncmp(r.body + 3, "编号,状态,预警颜色,来源", strlen("编号,状态,预警颜色,来源")) ==
                0);
    /* rows: one per event of grid B visible to the admin; every line has 21 fields */
    long s = 0;
    json_t *list = h_get(h_path("/api/v1/events?org_id=%lld&limit=500", (long long)city.grid_b),
                         h_admin(), &s);
    H_STATUS(s, 200);
    size_t want = json_array_size(h_items(list)), lines = 0;
    for (char *p = r.body; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, want + 1);
    char first[32];
    snprintf(first, sizeof first, "\n%lld,", (long long)h_int(json_array_get(h_items(list), 0),
                                                             "id"));
    assert_non_null(strstr(r.body, first)); /* newest first, like the list */
    json_decref(list);
    h_resp_release(&r);

    assert_int_equal(h_raw("GET", "/api/v1/events/export?format=xlsx&status=closed", h_admin(),
                           NULL, NULL, 0, &r),
                     0);
    H_STATUS(r.status, 200);
    assert_non_null(strstr(r.content_type, "spreadsheetml"));
    assert_true(r.len > 4 && memcmp(r.body, "PK\x03\x04", 4) == 0);
    h_resp_release(&r);

    json_t *j = h_get("/api/v1/events/export?format=pdf", h_admin(), &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = h_get("/api/v1/events/export?format=csv", NULL, &s);
    H_STATUS(s, 401);
    json_decref(j);
    /* the officer of grid A exports grid A only */
    assert_int_equal(h_raw("GET", h_path("/api/v1/events/export?format=csv&org_id=%lld",
                                         (long long)city.grid_b),
                           officer_a, NULL, NULL, 0, &r),
                     0);
    H_STATUS(r.status, 200);
    assert_null(strchr(strchr(r.body, '\n') + 1, '\n')); /* header only */
    h_resp_release(&r);
}

/* ---- live feed ---- */

struct sse_read {
    char path[256];
    const char *token;
    char last_id[32];
    long timeout_ms;
    char *data;
    size_t len;
};

static size_t sse_write(char *p, size_t sz, size_t n, void *u)
{
    struct sse_read *r = u;
    char *d = realloc(r->data, r->len + sz * n + 1);
    if (!d)
        return 0;
    memcpy(d + r->len, p, sz * n);
    r->len += sz * n;
    d[r->len] = '\0';
    r->data = d;
    return sz * n;
}

static void *sse_thread(void *arg)
{
    struct sse_read *r = arg;
    CURL *c = curl_easy_init();
    char url[512], auth[256], last[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", (unsigned)h_port(), r->path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", r->token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    if (r->last_id[0]) {
        snprintf(last, sizeof last, "Last-Event-ID: %s", r->last_id);
        h = curl_slist_append(h, last);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sse_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_perform(c); /* ends with a timeout: the stream never ends by itself */
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

/* the feed id of the first "data:" whose event_id is id, or 0 */
static int64_t feed_id_of(const char *data, int64_t id)
{
    char key[48];
    snprintf(key, sizeof key, "\"event_id\":%lld,", (long long)id);
    const char *p = data ? strstr(data, key) : NULL;
    if (!p)
        return 0;
    /* walk back to the "id: N" line of this message */
    const char *q = p;
    while (q > data && strncmp(q, "id: ", 4) != 0)
        q--;
    return strtoll(q + 4, NULL, 10);
}

static void test_stream(void **st)
{
    (void)st;
    char *cmd = h_user_token("st_command", "command", city.district, NULL);
    char *officer_b = h_user_token("st_officer_b", "grid_officer", city.grid_b, NULL);
    struct sse_read all = {.token = cmd, .timeout_ms = 2500};
    struct sse_read bonly = {.token = officer_b, .timeout_ms = 2500};
    snprintf(all.path, sizeof all.path, "/api/v1/events/stream");
    snprintf(bonly.path, sizeof bonly.path, "/api/v1/events/stream");
    pthread_t t1, t2;
    pthread_create(&t1, NULL, sse_thread, &all);
    pthread_create(&t2, NULL, sse_thread, &bonly);
    usleep(400 * 1000);
    int64_t e1 = h_event_id(h_admin(), "9901", H_A_LAT, H_A_LON, "hotline", "直播一");
    int64_t e2 = h_event_id(h_admin(), "9901", H_A_LAT, H_A_LON, "hotline", "直播二");
    long s = 0;
    json_t *j = h_act(h_admin(), e2, "supervise", &s);
    H_STATUS(s, 200);
    json_decref(j);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_non_null(all.data);
    assert_non_null(strstr(all.data, "retry: 3000"));
    assert_non_null(strstr(all.data, ": heartbeat")); /* GRIDGOV_SSE_HEARTBEAT_MS=300 */
    int64_t f1 = feed_id_of(all.data, e1), f2 = feed_id_of(all.data, e2);
    assert_true(f1 > 0 && f2 > f1);
    assert_non_null(strstr(all.data, "\"action\":\"supervise\""));
    /* the officer of grid B sees nothing of grid A */
    assert_int_equal(feed_id_of(bonly.data, e1), 0);
    assert_int_equal(feed_id_of(bonly.data, e2), 0);

    /* resume after e1's row: e2's rows come again, e1's do not */
    struct sse_read again = {.token = cmd, .timeout_ms = 800};
    snprintf(again.path, sizeof again.path, "/api/v1/events/stream");
    snprintf(again.last_id, sizeof again.last_id, "%lld", (long long)f1);
    pthread_create(&t1, NULL, sse_thread, &again);
    pthread_join(t1, NULL);
    assert_non_null(again.data);
    assert_int_equal(feed_id_of(again.data, e1), 0);
    assert_int_equal(feed_id_of(again.data, e2), f2);
    /* ?last_event_id= works the same for clients that cannot set headers */
    struct sse_read q = {.token = cmd, .timeout_ms = 800};
    snprintf(q.path, sizeof q.path, "/api/v1/events/stream?last_event_id=%lld", (long long)(f1 - 1));
    pthread_create(&t1, NULL, sse_thread, &q);
    pthread_join(t1, NULL);
    assert_int_equal(feed_id_of(q.data, e1), f1);
    j = h_get("/api/v1/events/stream?last_event_id=abc", cmd, &s);
    H_STATUS(s, 422);
    json_decref(j);
    free(all.data);
    free(bonly.data);
    free(again.data);
    free(q.data);
    free(cmd);
    free(officer_b);
}

/* ---- messages and the webhook ---- */

struct receiver {
    pthread_mutex_t mu;
    int calls, fail_first;
    char body[8][4096]; /* the delivered bodies, in order */
    char sig[8][128];
    int delivered;
};
static struct receiver recv_state = {.mu = PTHREAD_MUTEX_INITIALIZER};

static enum MHD_Result on_hook(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    struct receiver *r = cls;
    if (!*con_cls) {
        *con_cls = calloc(1, 4096 + sizeof(size_t));
        return MHD_YES;
    }
    char *buf = *con_cls;
    size_t *len = (size_t *)(buf + 4096);
    if (*size) {
        size_t n = *size < 4095 - *len ? *size : 4095 - *len;
        memcpy(buf + *len, data, n);
        *len += n;
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&r->mu);
    r->calls++;
    bool fail = r->calls <= r->fail_first;
    if (!fail && r->delivered < 8) {
        memcpy(r->body[r->delivered], buf, *len + 1);
        const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Gridgov-Signature");
        snprintf(r->sig[r->delivered], sizeof r->sig[0], "%s", sig ? sig : "");
        r->delivered++;
    }
    pthread_mutex_unlock(&r->mu);
    free(buf);
    *con_cls = NULL;
    struct MHD_Response *resp = MHD_create_response_from_buffer(2, (void *)"ok",
                                                                MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret = MHD_queue_response(c, fail ? 500 : 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void test_messages_and_webhook(void **st)
{
    (void)st;
    recv_state.fail_first = 2;
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                                            on_hook, &recv_state, MHD_OPTION_END);
    assert_non_null(d);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/hook", (unsigned)info->port);
    long s = 0;
    json_t *j = h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "webhook.url", "value", url), &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "webhook.secret", "value", "s3cret-key"), &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "value"), "******");
    json_decref(j);
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "webhook.url", "value", "ftp://x"), &s);
    H_STATUS(s, 422);
    json_decref(j);

    /* a hotline report in grid A is auto-dispatched to grid A: its officer gets a message */
    int64_t id = h_event_id(h_admin(), "9901", H_A_LAT, H_A_LON, "hotline", "派单消息");
    j = h_get("/api/v1/messages?unread=1", officer_a, &s);
    H_STATUS(s, 200);
    json_t *items = h_items(j);
    assert_true(json_array_size(items) >= 1);
    json_t *m = json_array_get(items, 0);
    assert_string_equal(h_str(m, "kind"), "assignment");
    assert_int_equal(h_int(m, "event_id"), id);
    int64_t mid = h_int(m, "id");
    json_decref(j);
    /* supervision reaches the officer too */
    j = h_act(h_admin(), id, "supervise", &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_get("/api/v1/messages", officer_a, &s);
    assert_string_equal(h_str(json_array_get(h_items(j), 0), "kind"), "supervise");
    json_decref(j);
    /* mark read; someone else's message is not found */
    j = h_post(h_path("/api/v1/messages/%lld/read", (long long)mid), officer_a, NULL, &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_post(h_path("/api/v1/messages/%lld/read", (long long)mid), h_admin(), NULL, &s);
    H_STATUS(s, 404);
    json_decref(j);
    j = h_get("/api/v1/messages?unread=1", officer_a, &s);
    for (size_t i = 0; i < json_array_size(h_items(j)); i++)
        assert_true(h_int(json_array_get(h_items(j), i), "id") != mid);
    json_decref(j);

    /* the webhook: the first two calls fail (500); both messages (assignment, supervise) are
     * retried with backoff and delivered, each signed */
    for (int i = 0; i < 150; i++) {
        pthread_mutex_lock(&recv_state.mu);
        int n = recv_state.delivered;
        pthread_mutex_unlock(&recv_state.mu);
        if (n >= 2)
            break;
        usleep(100 * 1000);
    }
    pthread_mutex_lock(&recv_state.mu);
    assert_int_equal(recv_state.delivered, 2);
    assert_true(recv_state.calls >= 4);
    bool seen_assignment = false;
    for (int k = 0; k < recv_state.delivered; k++) {
        const char *body = recv_state.body[k];
        char hex[65];
        app_webhook_sign("s3cret-key", body, strlen(body), hex);
        char want[80];
        snprintf(want, sizeof want, "sha256=%s", hex);
        assert_string_equal(recv_state.sig[k], want);
        /* independently of our signer: libsodium's one-shot HMAC over the same bytes (a short
         * key is zero-padded by HMAC, so the 32-byte zero-padded key gives the same MAC) */
        unsigned char key[crypto_auth_hmacsha256_KEYBYTES] = {0};
        memcpy(key, "s3cret-key", 10);
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256(mac, (const unsigned char *)body, strlen(body), key);
        char hex2[65];
        sodium_bin2hex(hex2, sizeof hex2, mac, sizeof mac);
        assert_string_equal(hex, hex2);
        json_error_t je;
        json_t *payload = json_loads(body, 0, &je);
        assert_non_null(payload);
        assert_int_equal(h_int(payload, "event_id"), id);
        assert_int_equal(h_int(payload, "user_id"), officer_a_id);
        if (strcmp(h_str(payload, "kind"), "assignment") == 0)
            seen_assignment = true;
        json_decref(payload);
    }
    assert_true(seen_assignment);
    pthread_mutex_unlock(&recv_state.mu);
    /* no more deliveries to a receiver that is going away */
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "webhook.url", "value", ""), &s);
    H_STATUS(s, 200);
    json_decref(j);
    MHD_stop_daemon(d);
}

static void test_openapi(void **st)
{
    (void)st;
    long s = 0;
    json_t *doc = h_get("/api/openapi.json", NULL, &s);
    H_STATUS(s, 200);
    json_t *paths = h_obj(doc, "paths");
    static const char *const want[] = {"/api/v1/stats/summary", "/api/v1/stats/indicators",
                                       "/api/v1/stats/trend",   "/api/v1/stats/ranking",
                                       "/api/v1/stats/hotspots", "/api/v1/events/export",
                                       "/api/v1/events/stream", "/api/v1/messages",
                                       "/api/v1/messages/{id}/read", "/api/v1/settings",
                                       "/api/v1/events/{id}/department_ratings",
                                       "/api/v1/property_companies",
                                       "/api/v1/property_companies/{id}"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!json_object_get(paths, want[i]))
            fail_msg("%s missing from the OpenAPI document", want[i]);
    json_t *schemas = h_obj(h_obj(doc, "components"), "schemas");
    assert_non_null(json_object_get(schemas, "Indicators"));
    assert_non_null(json_object_get(schemas, "Hotspots"));
    assert_non_null(json_object_get(schemas, "DepartmentRanking"));
    assert_non_null(json_object_get(schemas, "PropertyRanking"));
    json_decref(doc);
}

/* The counter log (app/stats.c): with a fold period of an hour (main), an event's counter
 * deltas wait in stat_log, the counters do not have them, and the next stats read folds the
 * log first, so that it counts the event all the same. */
static bool log_waiting(struct store *s)
{
    bool any = false;
    assert_int_equal(s->ops->stat_log_any(s, &any), 0);
    return any;
}

static int64_t counted_total(struct store *s, int64_t org_id)
{
    int64_t c[STAT__COUNT];
    assert_int_equal(s->ops->stat_sum(s, org_id, 0, (int64_t)1 << 30, c, STAT__COUNT), 0);
    return c[STAT_TOTAL];
}

static int put_junk_record(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a, (void)ctx, (void)err;
    static const unsigned char junk[] = {9, 9, 9};
    return s->ops->stat_log_add(s, junk, sizeof junk);
}

/* total of the community's summary over all time (a stats read: it folds the log first) */
static int64_t summary_total(void)
{
    long s = 0;
    json_t *j = h_get(h_path("/api/v1/stats/summary?org_id=%lld", (long long)city.community),
                      h_admin(), &s);
    H_STATUS(s, 200);
    int64_t total = h_int(j, "total");
    json_decref(j);
    return total;
}

static void test_counter_log(void **st)
{
    (void)st;
    struct gg_error err = {0};
    struct store *db = app_reader(h_app(), &err);
    assert_non_null(db);
    int64_t before = summary_total();
    assert_false(log_waiting(db)); /* the read folded whatever was waiting */
    int64_t counted = counted_total(db, city.community);

    int64_t id = h_event_id(h_admin(), "9901", H_A_LAT, H_A_LON, "hotline", "计数日志");
    assert_true(id > 0);
    assert_true(log_waiting(db));
    assert_int_equal(counted_total(db, city.community), counted);

    assert_int_equal(summary_total(), before + 1);
    assert_false(log_waiting(db));
    assert_int_equal(counted_total(db, city.community), counted + 1);

    /* a record that does not decode is dropped at the fold, the rest still folds, and the
     * counters are marked for a rebuild at the next start */
    assert_int_equal(app_write(h_app(), put_junk_record, NULL, &err), 0);
    assert_true(log_waiting(db));
    assert_int_equal(summary_total(), before + 1);
    assert_false(log_waiting(db));
    char *v = NULL;
    assert_int_equal(db->ops->setting_get(db, "stats.version", &v), 0);
    assert_non_null(v);
    assert_string_equal(v, "");
    free(v);
}

int main(void)
{
    setenv("GRIDGOV_SSE_HEARTBEAT_MS", "300", 1);
    /* every counter this file reads goes through the counter log and a fold asked for by the
     * read (test_counter_log); test_indicators runs with the default period */
    setenv("GRIDGOV_STATS_FOLD_MS", "3600000", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_indicators),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_hotspots_and_surge),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_messages_and_webhook),
        cmocka_unit_test(test_rebuild_equals_incremental),
        cmocka_unit_test(test_yellow_warning),
        cmocka_unit_test(test_department_ratings),
        cmocka_unit_test(test_property_red_black),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_counter_log),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
