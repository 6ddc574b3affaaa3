/* test_indicators.c - the stage counters of events in each state, indicators with known answers
 * (null when the denominator is 0), the ranking score, stars and the surge rule; issue 6 item 8:
 * the participation indicators, their weights in the unit score, the months judged for meeting
 * compliance and the cadre evaluation score. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/time.h"
#include "core/indicators.h"

#define DAY 86400
#define H 3600
#define T0 ((int64_t)20000 * DAY) /* a day start */

static void sum_facts(const struct event *e, int64_t c[STAT__COUNT])
{
    struct stat_fact f[STAT_MAX_FACTS];
    size_t n = stat_facts(e, f);
    for (size_t i = 0; i < n; i++)
        c[f[i].metric] += f[i].n;
}

static struct event base(void)
{
    struct event e;
    memset(&e, 0, sizeof e);
    e.reported_at = T0 + 10 * H;
    e.source = SOURCE_PATROL;
    e.status = EVENT_STATUS_REPORTED;
    e.handle_due_at = T0 + 12 * H;
    e.yellow_at = T0 + 11 * H;
    return e;
}

/* The colour mark follows the colour at the write's or the sweep's time, says when it next
 * changes, is counted as an open_* fact, and stays as it is while suspended. */
static void test_mark(void **st)
{
    (void)st;
    struct event e = base();
    e.status = EVENT_STATUS_DISPATCHED;
    e.registered_at = e.reported_at;
    stat_color_mark(&e, T0 + 10 * H + 60);
    assert_int_equal(e.color_mark, COLOR_GREEN);
    assert_int_equal(e.recolor_at, e.yellow_at);
    int64_t c[STAT__COUNT] = {0};
    sum_facts(&e, c);
    assert_int_equal(c[STAT_OPEN_GREEN], 1);
    assert_int_equal(c[STAT_OPEN_YELLOW] + c[STAT_OPEN_RED] + c[STAT_FIXED_GREEN], 0);
    /* at the yellow moment itself: yellow, next change at the deadline */
    stat_color_mark(&e, e.yellow_at);
    assert_int_equal(e.color_mark, COLOR_YELLOW);
    assert_int_equal(e.recolor_at, e.handle_due_at);
    memset(c, 0, sizeof c);
    sum_facts(&e, c);
    assert_int_equal(c[STAT_OPEN_YELLOW], 1);
    assert_int_equal(c[STAT_OPEN_GREEN], 0);
    /* past the deadline: red for good */
    stat_color_mark(&e, e.handle_due_at + 1);
    assert_int_equal(e.color_mark, COLOR_RED);
    assert_int_equal(e.recolor_at, 0);
    /* an extension (a new deadline) makes it green again */
    e.handle_due_at += 10 * H;
    e.yellow_at += 8 * H;
    stat_color_mark(&e, T0 + 13 * H);
    assert_int_equal(e.color_mark, COLOR_GREEN);
    assert_int_equal(e.recolor_at, e.yellow_at);
    /* suspended: the mark stays, nothing to recolour, not an open_* fact */
    e.suspended = true;
    e.suspended_at = T0 + 13 * H;
    stat_color_mark(&e, T0 + 100 * H);
    assert_int_equal(e.color_mark, COLOR_GREEN);
    assert_int_equal(e.recolor_at, 0);
    memset(c, 0, sizeof c);
    sum_facts(&e, c);
    assert_int_equal(c[STAT_OPEN_GREEN] + c[STAT_OPEN_YELLOW] + c[STAT_OPEN_RED], 0);
    assert_int_equal(c[STAT_FIXED_GREEN], 1);
    /* closed: no mark counted at all */
    e.suspended = false;
    e.status = EVENT_STATUS_CLOSED;
    e.handled_at = e.closed_at = T0 + 14 * H;
    stat_color_mark(&e, T0 + 14 * H);
    assert_int_equal(e.recolor_at, 0);
    memset(c, 0, sizeof c);
    sum_facts(&e, c);
    assert_int_equal(c[STAT_OPEN_GREEN] + c[STAT_OPEN_YELLOW] + c[STAT_OPEN_RED], 0);
}

static void test_dept_and_property_scores(void **st)
{
    (void)st;
    double sc = -1;
    /* mean rating 4 → 75 (weight 70), 3 of 4 on time → 75 (30): 75 */
    assert_true(dept_score(4, 3, 2, 8, &sc));
    assert_float_equal(sc, 75.0, 1e-9);
    /* only ratings: all 5 → 100; only report-ins: 1 of 2 → 50 */
    assert_true(dept_score(0, 0, 3, 15, &sc));
    assert_float_equal(sc, 100.0, 1e-9);
    assert_true(dept_score(2, 1, 0, 0, &sc));
    assert_float_equal(sc, 50.0, 1e-9);
    assert_false(dept_score(0, 0, 0, 0, &sc));

    double rate = 0;
    assert_false(property_rate(3, 0, &rate));
    assert_true(property_rate(3, 600, &rate));
    assert_float_equal(rate, 5.0, 1e-9);
    /* rate 5 of a cap 50 → 90 (weight 60); 3 of 4 satisfied → 75 (40): 84 */
    assert_true(property_score(true, rate, 50, 4, 3, &sc));
    assert_float_equal(sc, 84.0, 1e-9);
    /* past the cap the rate part is 0, never negative */
    assert_true(property_score(true, 80, 50, 0, 0, &sc));
    assert_float_equal(sc, 0.0, 1e-9);
    assert_false(property_score(false, 0, 50, 0, 0, &sc));
}

static void test_day(void **st)
{
    (void)st;
    assert_int_equal(stat_day(0), 0);
    assert_int_equal(stat_day(DAY - 1), 0);
    assert_int_equal(stat_day(DAY), 1);
    assert_int_equal(stat_day(-1), -1);
    assert_int_equal(stat_day(T0 + 5), 20000);
}

static void test_facts_reported(void **st)
{
    (void)st;
    struct event e = base();
    int64_t c[STAT__COUNT] = {0};
    sum_facts(&e, c);
    assert_int_equal(c[STAT_TOTAL], 1);
    assert_int_equal(c[STAT_ST_REPORTED], 1);
    assert_int_equal(c[STAT_SRC_PATROL], 1);
    assert_int_equal(c[STAT_RECEIVED], 1);
    assert_int_equal(c[STAT_REGISTERED], 0);
    assert_int_equal(c[STAT_DUE_HANDLING], 0);
    /* open and not suspended: the colour moves with time, no fixed colour counter */
    assert_true(stat_color_moves(&e));
    assert_int_equal(c[STAT_FIXED_GREEN] + c[STAT_FIXED_YELLOW] + c[STAT_FIXED_RED], 0);
}

static void test_facts_closed_late(void **st)
{
    (void)st;
    struct event e = base();
    e.status = EVENT_STATUS_CLOSED;
    e.registered_at = T0 + 10 * H;
    e.handled_at = T0 + 13 * H; /* one hour after the deadline */
    e.closed_at = T0 + DAY + 1;  /* closed the next day */
    e.suspended_secs = 1800;
    e.closing_level = LEVEL_COMMUNITY;
    e.rework_count = 1;
    e.rating = RATING_BASIC;
    int64_t c[STAT__COUNT] = {0};
    struct stat_fact f[STAT_MAX_FACTS];
    size_t n = stat_facts(&e, f);
    for (size_t i = 0; i < n; i++) {
        c[f[i].metric] += f[i].n;
        if (f[i].metric == STAT_CLOSED_ON_DAY)
            assert_int_equal(f[i].day, 20001);
        else if (f[i].metric == STAT_LATE_ON_DUE_DAY)
            assert_int_equal(f[i].day, 20000);
        else
            assert_int_equal(f[i].day, 20000);
    }
    assert_int_equal(c[STAT_REGISTERED], 1);
    assert_int_equal(c[STAT_HANDLED], 1);
    assert_int_equal(c[STAT_HANDLED_ON_TIME], 0);
    assert_int_equal(c[STAT_CLOSED], 1);
    assert_int_equal(c[STAT_CLOSED_ON_TIME], 0);
    assert_int_equal(c[STAT_CLOSED_GRID], 0);
    assert_int_equal(c[STAT_CLOSED_COMMUNITY], 1);
    assert_int_equal(c[STAT_REWORKED], 1);
    assert_int_equal(c[STAT_RATED], 1);
    assert_int_equal(c[STAT_BASIC], 1);
    assert_int_equal(c[STAT_HANDLING_SECS], 3 * H - 1800);
    assert_int_equal(c[STAT_FIXED_RED], 1);
    assert_int_equal(c[STAT_LATE_ON_DUE_DAY], 1);
    assert_int_equal(c[STAT_CLOSED_ON_DAY], 1);
}

static void test_facts_merged_rejected(void **st)
{
    (void)st;
    struct event e = base();
    e.status = EVENT_STATUS_MERGED;
    e.registered_at = e.reported_at;
    int64_t c[STAT__COUNT] = {0};
    sum_facts(&e, c);
    assert_int_equal(c[STAT_TOTAL], 1);
    assert_int_equal(c[STAT_ST_MERGED], 1);
    assert_int_equal(c[STAT_RECEIVED], 0);
    assert_int_equal(c[STAT_REGISTERED], 0);
    e.status = EVENT_STATUS_REJECTED;
    e.registered_at = 0;
    memset(c, 0, sizeof c);
    sum_facts(&e, c);
    assert_int_equal(c[STAT_RECEIVED], 1);
    assert_int_equal(c[STAT_REJECTED], 1);
    assert_int_equal(c[STAT_REGISTERED], 0);
    assert_int_equal(c[STAT_FIXED_GREEN] + c[STAT_FIXED_YELLOW] + c[STAT_FIXED_RED], 0);
}

static void test_facts_suspended(void **st)
{
    (void)st;
    struct event e = base();
    e.status = EVENT_STATUS_DISPATCHED;
    e.registered_at = e.reported_at;
    e.suspended = true;
    e.suspended_at = T0 + 11 * H + 30 * 60; /* yellow when suspended */
    assert_false(stat_color_moves(&e));
    int64_t c[STAT__COUNT] = {0};
    sum_facts(&e, c);
    assert_int_equal(c[STAT_FIXED_YELLOW], 1);
    assert_int_equal(c[STAT_LATE_ON_DUE_DAY], 0);
    e.suspended_at = T0 + 12 * H; /* suspended after the deadline: late for good */
    memset(c, 0, sizeof c);
    sum_facts(&e, c);
    assert_int_equal(c[STAT_FIXED_RED], 1);
    assert_int_equal(c[STAT_LATE_ON_DUE_DAY], 1);
}

static void test_action_facts(void **st)
{
    (void)st;
    struct stat_fact f;
    assert_true(stat_fact_action(EVENT_ACTION_DISPATCH, T0 + 5, &f));
    assert_int_equal(f.metric, STAT_DISPATCHES);
    assert_int_equal(f.day, 20000);
    assert_true(stat_fact_action(EVENT_ACTION_RETURN, T0, &f));
    assert_int_equal(f.metric, STAT_RETURNS);
    assert_false(stat_fact_action(EVENT_ACTION_SIGN, T0, &f));
}

/* a set of counts whose indicators are worked out by hand in test_indicators_known (score
 * 58.75 on events alone) */
static void known_events(struct indicators *ind)
{
    int64_t c[STAT__COUNT] = {0};
    c[STAT_RECEIVED] = 10;
    c[STAT_REGISTERED] = 8;
    c[STAT_DISPATCHES] = 8;
    c[STAT_RETURNS] = 2;
    c[STAT_DUE_HANDLING] = 8;
    c[STAT_HANDLED] = 6;
    c[STAT_HANDLED_ON_TIME] = 4;
    c[STAT_CLOSED] = 5;
    c[STAT_CLOSED_ON_TIME] = 3;
    c[STAT_REWORKED] = 1;
    c[STAT_EXTENDED] = 2;
    c[STAT_RATED] = 4;
    c[STAT_SATISFIED] = 2;
    c[STAT_BASIC] = 1;
    c[STAT_UNSATISFIED] = 1;
    c[STAT_CLOSED_GRID] = 2;
    c[STAT_CLOSED_COMMUNITY] = 4;
    c[STAT_HANDLING_SECS] = 6 * 2 * H;
    indicators_compute(c, ind);
}

static void test_indicators_known(void **st)
{
    (void)st;
    struct indicators ind;
    known_events(&ind);
    for (int i = 0; i < IND__COUNT; i++)
        assert_true(ind.valid[i]);
    assert_float_equal(ind.v[IND_REGISTRATION_RATE], 0.8, 1e-12);
    assert_float_equal(ind.v[IND_DISPATCH_ACCURACY], 0.75, 1e-12);
    assert_float_equal(ind.v[IND_HANDLING_RATE], 0.75, 1e-12);
    assert_float_equal(ind.v[IND_ON_TIME_HANDLING_RATE], 0.5, 1e-12);
    assert_float_equal(ind.v[IND_CLOSURE_RATE], 0.625, 1e-12);
    assert_float_equal(ind.v[IND_ON_TIME_CLOSURE_RATE], 0.375, 1e-12);
    assert_float_equal(ind.v[IND_REWORK_RATE], 0.125, 1e-12);
    assert_float_equal(ind.v[IND_EXTENSION_RATE], 0.25, 1e-12);
    assert_float_equal(ind.v[IND_SATISFACTION_RATE], 0.75, 1e-12);
    assert_float_equal(ind.v[IND_GRID_RESOLUTION_RATE], 0.4, 1e-12);
    assert_float_equal(ind.v[IND_COMMUNITY_RESOLUTION_RATE], 0.8, 1e-12);
    assert_float_equal(ind.v[IND_MEAN_HANDLING_HOURS], 2.0, 1e-12);
    assert_string_equal(indicator_id(IND_ON_TIME_CLOSURE_RATE), "on_time_closure_rate");

    /* score: 25*.5 + 25*.375 + 20*.75 + 15*.625 + 10*(1-.125) + 5*(1-.25)
     *      = 12.5 + 9.375 + 15 + 9.375 + 8.75 + 3.75 = 58.75 */
    double score = 0;
    assert_true(ranking_score(&ind, &score));
    assert_float_equal(score, 58.75, 1e-9);
}

static void test_indicators_null(void **st)
{
    (void)st;
    int64_t c[STAT__COUNT] = {0};
    struct indicators ind;
    indicators_compute(c, &ind);
    for (int i = 0; i < IND__COUNT; i++)
        assert_false(ind.valid[i]);
    double score = 1;
    assert_false(ranking_score(&ind, &score));
    /* only satisfaction defined: the score is that rate alone */
    c[STAT_RATED] = 4;
    c[STAT_SATISFIED] = 1;
    indicators_compute(c, &ind);
    assert_true(ind.valid[IND_SATISFACTION_RATE]);
    assert_false(ind.valid[IND_CLOSURE_RATE]);
    assert_true(ranking_score(&ind, &score));
    assert_float_equal(score, 25.0, 1e-9);
    /* more returns than dispatches never gives a negative accuracy */
    memset(c, 0, sizeof c);
    c[STAT_DISPATCHES] = 1;
    c[STAT_RETURNS] = 3;
    indicators_compute(c, &ind);
    assert_float_equal(ind.v[IND_DISPATCH_ACCURACY], 0.0, 0);
}

static void test_stars(void **st)
{
    (void)st;
    double t[4];
    assert_int_equal(ranking_parse_thresholds("60,70,80,90", t), 0);
    assert_int_equal(ranking_stars(95, t), 5);
    assert_int_equal(ranking_stars(90, t), 5);
    assert_int_equal(ranking_stars(89.99, t), 4);
    assert_int_equal(ranking_stars(70, t), 3);
    assert_int_equal(ranking_stars(60, t), 2);
    assert_int_equal(ranking_stars(59.9, t), 1);
    assert_int_equal(ranking_stars(0, t), 1);
    assert_int_equal(ranking_parse_thresholds("50, 60, 70, 85", t), 0);
    assert_float_equal(t[3], 85, 0);
    assert_int_equal(ranking_parse_thresholds("90,80,70,60", t), -1);
    assert_int_equal(ranking_parse_thresholds("60,70,80", t), -1);
    assert_int_equal(ranking_parse_thresholds("60,70,80,90,", t), -1);
    assert_int_equal(ranking_parse_thresholds("60,70,80,190", t), -1);
    assert_int_equal(ranking_parse_thresholds("a,b,c,d", t), -1);
    assert_int_equal(ranking_parse_thresholds("", t), -1);
    assert_int_equal(ranking_parse_thresholds(NULL, t), -1);
}

static void test_surge(void **st)
{
    (void)st;
    struct surge s;
    int64_t flat[8] = {2, 2, 2, 2, 2, 2, 2, 2};
    surge_check(5, flat, &s);
    assert_float_equal(s.mean, 2, 1e-12);
    assert_float_equal(s.stddev, 0, 1e-12);
    assert_true(s.warning); /* 5 > 2 + 0 and at least 5 */
    surge_check(4, flat, &s);
    assert_false(s.warning); /* fewer than 5 never warns */
    int64_t var[8] = {1, 3, 1, 3, 1, 3, 1, 3}; /* mean 2, sd 1 */
    surge_check(5, var, &s);
    assert_float_equal(s.stddev, 1, 1e-12);
    assert_false(s.warning); /* 5 is not above 2 + 3 */
    surge_check(6, var, &s);
    assert_true(s.warning);
    int64_t zero[8] = {0};
    surge_check(5, zero, &s);
    assert_true(s.warning);
}

static void test_participation(void **st)
{
    (void)st;
    struct participation_counts pc = {
        .orders = 4,
        .orders_completed = 3,
        .orders_rated = 2,
        .rating_sum = 9,
        .visits_due = 5,
        .visits_on_time = 4,
        .branches = 2,
        .meeting_windows = 8,
        .meeting_gaps = 2,
        .tasks = 4,
        .tasks_blue = 2,
        .tasks_yellow = 1,
        .tasks_red = 1,
    };
    struct participation p;
    participation_compute(&pc, &p);
    for (int i = 0; i < PART__COUNT; i++)
        assert_true(p.valid[i]);
    assert_float_equal(p.v[PART_SERVICE_COMPLETION_RATE], 0.75, 1e-12);
    assert_float_equal(p.v[PART_SERVICE_MEAN_RATING], 4.5, 1e-12);
    assert_float_equal(p.v[PART_VISIT_COMPLIANCE], 0.8, 1e-12);
    assert_float_equal(p.v[PART_MEETING_COMPLIANCE], 0.75, 1e-12);
    assert_float_equal(p.v[PART_TASK_BLUE_RATE], 0.5, 1e-12);
    assert_float_equal(p.v[PART_TASK_YELLOW_RATE], 0.25, 1e-12);
    assert_float_equal(p.v[PART_TASK_RED_RATE], 0.25, 1e-12);
    assert_string_equal(participation_id(PART_VISIT_COMPLIANCE), "visit_compliance");

    /* participation alone: .75, (4.5 − 1) / 4 = .875, .8, .75, .5 + .25 / 2 = .625, weight 10
     * each: 100 × 3.8 / 5 = 76 */
    int64_t none[STAT__COUNT] = {0};
    struct indicators ind;
    indicators_compute(none, &ind);
    double score = 0;
    assert_true(ranking_score_with(&ind, &p, &score));
    assert_float_equal(score, 76.0, 1e-9);
    /* with the events of test_indicators_known (58.75 over weight 100):
     * (58.75 + 38) / 150 × 100 = 64.5 */
    known_events(&ind);
    assert_true(ranking_score_with(&ind, &p, &score));
    assert_float_equal(score, 64.5, 1e-9);

    /* no participation data: every rate null, the score exactly the events' score */
    struct participation_counts zero = {0};
    participation_compute(&zero, &p);
    for (int i = 0; i < PART__COUNT; i++)
        assert_false(p.valid[i]);
    double with = 0, without = 0;
    assert_true(ranking_score_with(&ind, &p, &with));
    assert_true(ranking_score(&ind, &without));
    assert_true(with == without);
    assert_float_equal(with, 58.75, 1e-9);
    assert_true(ranking_score_with(&ind, NULL, &with));
    assert_true(with == without);
    indicators_compute(none, &ind);
    assert_false(ranking_score_with(&ind, &p, &score));

    /* one part defined: a unit with only visits scores its visit compliance; ratings of 1 are 0
     * and of 5 are 100; branches without a judged window give no compliance */
    struct participation_counts v = {.visits_due = 4, .visits_on_time = 1, .branches = 3};
    participation_compute(&v, &p);
    assert_false(p.valid[PART_MEETING_COMPLIANCE]);
    assert_true(ranking_score_with(&ind, &p, &score));
    assert_float_equal(score, 25.0, 1e-9);
    struct participation_counts r1 = {.orders_rated = 2, .rating_sum = 2};
    participation_compute(&r1, &p);
    assert_true(ranking_score_with(&ind, &p, &score));
    assert_float_equal(score, 0.0, 1e-9);
    struct participation_counts r5 = {.orders_rated = 3, .rating_sum = 15, .orders = 3};
    participation_compute(&r5, &p);
    assert_true(ranking_score_with(&ind, &p, &score));
    assert_float_equal(score, 50.0, 1e-9); /* rating 100, completion 0 */
}

static int64_t at(int y, int m, int d, int h)
{
    return gg_days_from_civil(y, m, d) * DAY + (int64_t)h * H;
}

#define MON(y, m) ((y)*12 + (m)-1)

static void test_participation_months(void **st)
{
    (void)st;
    int64_t now = at(2026, 3, 15, 10);
    int m0 = -1, m1 = -1;
    /* unbounded: the 12 whole months before the current one */
    assert_true(participation_months(0, 0, now, &m0, &m1));
    assert_int_equal(m0, MON(2025, 3));
    assert_int_equal(m1, MON(2026, 3));
    /* from the 1st at midnight: that month is whole; "to" past now stops at the current month */
    assert_true(participation_months(at(2026, 1, 1, 0), (int64_t)1 << 50, now, &m0, &m1));
    assert_int_equal(m0, MON(2026, 1));
    assert_int_equal(m1, MON(2026, 3));
    /* from the 2nd, or from 1 a.m.: the first month is partial */
    assert_true(participation_months(at(2026, 1, 2, 0), 0, now, &m0, &m1));
    assert_int_equal(m0, MON(2026, 2));
    assert_true(participation_months(at(2026, 1, 1, 1), 0, now, &m0, &m1));
    assert_int_equal(m0, MON(2026, 2));
    /* period=2026-01: exactly January */
    assert_true(participation_months(at(2026, 1, 1, 0), at(2026, 2, 1, 0), now, &m0, &m1));
    assert_int_equal(m0, MON(2026, 1));
    assert_int_equal(m1, MON(2026, 2));
    /* a "to" in mid-February stops after January */
    assert_true(participation_months(at(2026, 1, 1, 0), at(2026, 2, 10, 0), now, &m0, &m1));
    assert_int_equal(m1, MON(2026, 2));
    /* the current month alone, or a period inside one month: no whole month */
    assert_false(participation_months(at(2026, 3, 1, 0), 0, now, &m0, &m1));
    assert_false(participation_months(at(2026, 1, 5, 0), at(2026, 1, 25, 0), now, &m0, &m1));
    /* at most 60 months */
    assert_true(participation_months(at(2001, 1, 1, 0), 0, now, &m0, &m1));
    assert_int_equal(m1 - m0, 60);
}

static void test_cadre_score(void **st)
{
    (void)st;
    /* rating 4.5 → .875 (40), review 4 → .75 (20), 3 of 4 claims done → .75 (25), 3 of the
     * best 6 → .5 (15): 35 + 15 + 18.75 + 7.5 = 76.25 */
    struct cadre_counts c = {.report_ins = 1,
                             .claimed = 4,
                             .completed = 3,
                             .rated = 2,
                             .rating_sum = 9,
                             .reviewed = 1,
                             .review_sum = 4,
                             .points = 50};
    double score = 0;
    assert_true(cadre_score(&c, 6, &score));
    assert_float_equal(score, 76.25, 1e-9);
    /* no review: (35 + 18.75 + 7.5) / 80 */
    c.reviewed = c.review_sum = 0;
    assert_true(cadre_score(&c, 6, &score));
    assert_float_equal(score, 100.0 * 61.25 / 80.0, 1e-9);
    /* nothing done by anyone: no score */
    struct cadre_counts idle = {.report_ins = 2, .points = 10};
    assert_false(cadre_score(&idle, 0, &score));
    /* nothing done while another cadre completed orders: 0 */
    assert_true(cadre_score(&idle, 3, &score));
    assert_float_equal(score, 0.0, 0);
    /* claimed but not completed: completion 0, activity 0 */
    struct cadre_counts stuck = {.claimed = 2};
    assert_true(cadre_score(&stuck, 0, &score));
    assert_float_equal(score, 0.0, 0);
    /* perfect */
    struct cadre_counts best = {.claimed = 2,
                                .completed = 2,
                                .rated = 2,
                                .rating_sum = 10,
                                .reviewed = 2,
                                .review_sum = 10};
    assert_true(cadre_score(&best, 2, &score));
    assert_float_equal(score, 100.0, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day),
        cmocka_unit_test(test_mark),
        cmocka_unit_test(test_dept_and_property_scores),
        cmocka_unit_test(test_facts_reported),
        cmocka_unit_test(test_facts_closed_late),
        cmocka_unit_test(test_facts_merged_rejected),
        cmocka_unit_test(test_facts_suspended),
        cmocka_unit_test(test_action_facts),
        cmocka_unit_test(test_indicators_known),
        cmocka_unit_test(test_indicators_null),
        cmocka_unit_test(test_stars),
        cmocka_unit_test(test_surge),
        cmocka_unit_test(test_participation),
        cmocka_unit_test(test_participation_months),
        cmocka_unit_test(test_cadre_score),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
