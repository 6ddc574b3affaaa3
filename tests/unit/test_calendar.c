/* test_calendar.c - the work calendar and deadline arithmetic on hand-computed Beijing dates:
 * continuous, working-hour and working-day clocks, the 2025/2026 PRC holidays and make-up
 * working days (调休), elapsed clock time, the three colours, suspension shifts and the yellow
 * moment before and after an extension. Every expected moment below is worked out by hand in
 * the comment next to it; none is computed with the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "base/time.h"
#include "core/calendar.h"

#define H 3600

/* Beijing local time (UTC+8) -> UTC epoch seconds. */
static int64_t bj(int y, int m, int d, int hh, int mm)
{
    return gg_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 - 8 * 3600;
}

static struct work_calendar cal; /* ~8 KB; reset by setup() before every test */

static int setup(void **st)
{
    (void)st;
    calendar_init_default(&cal);
    return 0;
}

static void test_bj_helper(void **st)
{
    (void)st;
    assert_int_equal(bj(1970, 1, 1, 8, 0), 0);
    /* 2025-10-01 00:00 Beijing is 2025-09-30 16:00 UTC */
    int64_t t;
    assert_int_equal(gg_time_parse("2025-09-30T16:00:00Z", &t), 0);
    assert_int_equal(bj(2025, 10, 1, 0, 0), t);
}

static void test_default_calendar(void **st)
{
    (void)st;
    assert_int_equal(cal.utc_offset_secs, 8 * 3600);
    assert_int_equal(cal.n_periods, 2);
    assert_int_equal(cal.period_start[0], 8 * H + 30 * 60);
    assert_int_equal(cal.period_end[0], 12 * H);
    assert_int_equal(cal.period_start[1], 13 * H + 30 * 60);
    assert_int_equal(cal.period_end[1], 17 * H + 30 * 60);
    assert_true(cal.yellow_ratio > 0.7999 && cal.yellow_ratio < 0.8001);
    /* 2025: 1+8+3+5+3+8 = 28 days off, 2026: 3+9+3+5+3+3+7 = 33 */
    assert_int_equal(cal.n_holidays, 61);
    /* 2025: 1/26 2/8 4/27 9/28 10/11; 2026: 1/4 2/14 2/28 5/9 9/20 10/10 */
    assert_int_equal(cal.n_workdays, 11);
}

/* The official schedules (国办发明电〔2024〕12号 for 2025, 〔2025〕7号 for 2026). */
struct run {
    int y, m, d, n;
};

static void test_official_holidays(void **st)
{
    (void)st;
    static const struct run off[] = {
        {2025, 1, 1, 1},  {2025, 1, 28, 8}, {2025, 4, 4, 3},  {2025, 5, 1, 5}, {2025, 5, 31, 3},
        {2025, 10, 1, 8}, {2026, 1, 1, 3},  {2026, 2, 15, 9}, {2026, 4, 4, 3}, {2026, 5, 1, 5},
        {2026, 6, 19, 3}, {2026, 9, 25, 3}, {2026, 10, 1, 7},
    };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        int64_t z = gg_days_from_civil(off[i].y, off[i].m, off[i].d);
        for (int k = 0; k < off[i].n; k++) {
            int y, m, d;
            gg_civil_from_days(z + k, &y, &m, &d);
            /* every hour of a day off is off, from 00:00 to 23:00 local */
            for (int hh = 0; hh < 24; hh += 23)
                assert_false(calendar_is_workday(&cal, bj(y, m, d, hh, 0)));
        }
    }
    static const struct run makeup[] = {
        {2025, 1, 26, 1},  {2025, 2, 8, 1},  {2025, 4, 27, 1},  {2025, 9, 28, 1},
        {2025, 10, 11, 1}, {2026, 1, 4, 1},  {2026, 2, 14, 1},  {2026, 2, 28, 1},
        {2026, 5, 9, 1},   {2026, 9, 20, 1}, {2026, 10, 10, 1},
    };
    for (size_t i = 0; i < sizeof makeup / sizeof makeup[0]; i++) {
        assert_true(calendar_is_workday(&cal, bj(makeup[i].y, makeup[i].m, makeup[i].d, 0, 0)));
        assert_true(calendar_is_workday(&cal, bj(makeup[i].y, makeup[i].m, makeup[i].d, 23, 59)));
    }
}

static void test_is_workday(void **st)
{
    (void)st;
    /* ordinary week: Mon 2025-09-22 and Fri 09-26 work, Sat 09-20 and Sun 09-21 do not */
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 22, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 26, 10, 0)));
    assert_false(calendar_is_workday(&cal, bj(2025, 9, 20, 10, 0)));
    assert_false(calendar_is_workday(&cal, bj(2025, 9, 21, 10, 0)));
    /* make-up Saturday 2025-10-11 and make-up Sunday 2025-09-28 */
    assert_true(calendar_is_workday(&cal, bj(2025, 10, 11, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 28, 10, 0)));
    /* the next weekend is an ordinary one again */
    assert_false(calendar_is_workday(&cal, bj(2025, 10, 12, 10, 0)));
    /* holiday weekdays: Wed 2025-10-01, Wed 2025-10-08; Thu 10-09 works again */
    assert_false(calendar_is_workday(&cal, bj(2025, 10, 1, 10, 0)));
    assert_false(calendar_is_workday(&cal, bj(2025, 10, 8, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2025, 10, 9, 10, 0)));
    /* Spring Festival 2026: Mon 02-23 off, Tue 02-24 works, Sat 02-14 and 02-28 work */
    assert_false(calendar_is_workday(&cal, bj(2026, 2, 23, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2026, 2, 24, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2026, 2, 14, 10, 0)));
    assert_true(calendar_is_workday(&cal, bj(2026, 2, 28, 10, 0)));
    /* the local date decides, not the UTC one: 2025-10-01 00:00 Beijing is still 09-30 in UTC */
    assert_false(calendar_is_workday(&cal, bj(2025, 10, 1, 0, 0)));
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 30, 23, 59)));
    assert_true(calendar_is_workday(&cal, bj(2025, 10, 9, 0, 0)));
    assert_false(calendar_is_workday(&cal, bj(2025, 10, 8, 23, 59)));
}

static void test_continuous_add(void **st)
{
    (void)st;
    int64_t s = bj(2025, 9, 30, 10, 0);
    /* continuous hours ignore holidays and nights */
    assert_int_equal(calendar_add(&cal, CLOCK_CONTINUOUS, s, 48), bj(2025, 10, 2, 10, 0));
    assert_int_equal(calendar_add(&cal, CLOCK_CONTINUOUS, s, 1), bj(2025, 9, 30, 11, 0));
    assert_int_equal(calendar_add(&cal, CLOCK_CONTINUOUS, bj(2025, 9, 20, 23, 30), 2),
                     bj(2025, 9, 21, 1, 30));
    /* hours <= 0 returns start, on every clock */
    for (int c = 0; c < CLOCK__COUNT; c++) {
        assert_int_equal(calendar_add(&cal, (enum clock_kind)c, s, 0), s);
        assert_int_equal(calendar_add(&cal, (enum clock_kind)c, s, -5), s);
    }
}

static void test_work_hours_lunch(void **st)
{
    (void)st;
    /* Mon 11:00 + 2h: 11:00-12:00, 13:30-14:30 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 11, 0), 2),
                     bj(2025, 9, 22, 14, 30));
    /* Mon 10:00 + 2h ends exactly at the lunch break */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 10, 0), 2),
                     bj(2025, 9, 22, 12, 0));
    /* Mon 08:30 + 7h: 3.5h morning, 3.5h afternoon -> 17:00 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 8, 30), 7),
                     bj(2025, 9, 22, 17, 0));
    /* Mon 16:30 + 2h: 1h Mon, 1h Tue 08:30-09:30 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 16, 30), 2),
                     bj(2025, 9, 23, 9, 30));
}

static void test_work_hours_weekend(void **st)
{
    (void)st;
    /* Fri 2025-09-19 16:30 + 3h: 1h Fri, Sat/Sun off, 2h Mon 09-22 -> 10:30 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 19, 16, 30), 3),
                     bj(2025, 9, 22, 10, 30));
}

static void test_work_hours_national_day(void **st)
{
    (void)st;
    /* Tue 09-30 16:30 + 10h: 1h Sep 30, Oct 1-8 off, 7.5h Oct 9, 1.5h Oct 10 -> 10:00 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 30, 16, 30), 10),
                     bj(2025, 10, 10, 10, 0));
    /* Tue 09-30 08:30 + 8h: 7.5h Sep 30, 0.5h Oct 9 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 30, 8, 30), 8),
                     bj(2025, 10, 9, 9, 0));
    /* make-up Sunday 09-28: Fri 09-26 17:00 + 1h -> 0.5h Fri, 0.5h Sun */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 26, 17, 0), 1),
                     bj(2025, 9, 28, 9, 0));
    /* make-up Saturday 10-11: Fri 10-10 17:00 + 1h */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 10, 17, 0), 1),
                     bj(2025, 10, 11, 9, 0));
    /* Sat 10-11 17:00 + 1h: Sun 10-12 is an ordinary day off -> Mon 10-13 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 11, 17, 0), 1),
                     bj(2025, 10, 13, 9, 0));
    /* 75h = 10 whole working days from Mon 09-22 08:30: 22 23 24 25 26 28 29 30, Oct 9, 10 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 8, 30), 75),
                     bj(2025, 10, 10, 17, 30));
}

static void test_work_hours_spring_festival_2026(void **st)
{
    (void)st;
    /* Fri 2026-02-13 17:00 + 1h -> make-up Sat 02-14 09:00 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2026, 2, 13, 17, 0), 1),
                     bj(2026, 2, 14, 9, 0));
    /* Sat 02-14 17:00 + 1h: Feb 15-23 off -> Tue 02-24 09:00 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2026, 2, 14, 17, 0), 1),
                     bj(2026, 2, 24, 9, 0));
    /* Fri 02-27 17:00 + 1h -> make-up Sat 02-28 09:00 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2026, 2, 27, 17, 0), 1),
                     bj(2026, 2, 28, 9, 0));
    /* Fri 02-13 08:30 + 16h: 7.5h Fri, 7.5h Sat, 1h Tue 02-24 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2026, 2, 13, 8, 30), 16),
                     bj(2026, 2, 24, 9, 30));
}

static void test_work_hours_start_outside(void **st)
{
    (void)st;
    /* before the morning period, in the lunch break, in the evening, on a weekend, holiday */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 7, 0), 1),
                     bj(2025, 9, 22, 9, 30));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 12, 30), 1),
                     bj(2025, 9, 22, 14, 30));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 20, 0), 1),
                     bj(2025, 9, 23, 9, 30));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 20, 10, 0), 1),
                     bj(2025, 9, 22, 9, 30));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 3, 10, 0), 1),
                     bj(2025, 10, 9, 9, 30));
    /* Sun 2025-10-05 23:59 (UTC Sun 15:59) + 8h: Oct 9 7.5h + Oct 10 0.5h */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 5, 23, 59), 8),
                     bj(2025, 10, 10, 9, 0));
}

static void test_work_days_add(void **st)
{
    (void)st;
    /* start before the first period: the start day counts */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 22, 8, 0), 24),
                     bj(2025, 9, 22, 17, 30));
    /* start at 08:30 is not before the first period: Tue */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 22, 8, 30), 24),
                     bj(2025, 9, 23, 17, 30));
    /* start within the day: Tue, Wed */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 22, 10, 0), 48),
                     bj(2025, 9, 24, 17, 30));
    /* 25h rounds up to 2 days; 1h to 1 day */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 22, 10, 0), 25),
                     bj(2025, 9, 24, 17, 30));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 22, 10, 0), 1),
                     bj(2025, 9, 23, 17, 30));
    /* Fri 09-26 10:00 + 3 days: Sun 28 (make-up), Mon 29, Tue 30 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 26, 10, 0), 72),
                     bj(2025, 9, 30, 17, 30));
    /* + 4 days skips the National Day holiday: Oct 9 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 26, 10, 0), 96),
                     bj(2025, 10, 9, 17, 30));
    /* early on a plain Saturday: the day off does not count; Sun 09-28 is the first */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 27, 7, 0), 24),
                     bj(2025, 9, 28, 17, 30));
    /* early on a holiday: Oct 9 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 10, 1, 7, 0), 24),
                     bj(2025, 10, 9, 17, 30));
    /* early on the make-up Saturday 10-11: it counts */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 10, 11, 7, 0), 24),
                     bj(2025, 10, 11, 17, 30));
    /* Spring Festival 2026: Fri 02-13 10:00 + 2 days: Sat 14 (make-up), Tue 24 */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2026, 2, 13, 10, 0), 48),
                     bj(2026, 2, 24, 17, 30));
    /* 00:30 local is 16:30 UTC the day before: still before the first period, counts */
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 23, 0, 30), 24),
                     bj(2025, 9, 23, 17, 30));
}

static void test_elapsed(void **st)
{
    (void)st;
    int64_t a = bj(2025, 9, 22, 9, 0);
    assert_int_equal(calendar_elapsed(&cal, CLOCK_CONTINUOUS, a, a + 100), 100);
    assert_int_equal(calendar_elapsed(&cal, CLOCK_CONTINUOUS, a, bj(2025, 9, 23, 9, 0)), 24 * H);
    /* Mon 09:00 -> 14:00: 3h + 0.5h */
    assert_int_equal(calendar_elapsed(&cal, CLOCK_WORK_HOURS, a, bj(2025, 9, 22, 14, 0)),
                     3 * H + 30 * 60);
    assert_int_equal(calendar_elapsed(&cal, CLOCK_WORK_DAYS, a, bj(2025, 9, 22, 14, 0)),
                     3 * H + 30 * 60);
    /* a span inside the lunch break or a night is worth nothing on the working clocks */
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 12, 0), bj(2025, 9, 22, 13, 30)),
        0);
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 22, 17, 30), bj(2025, 9, 23, 8, 30)),
        0);
    /* Fri 09-26 16:30 -> Mon 09-29 09:30: 1h Fri, 7.5h make-up Sun, 1h Mon */
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 26, 16, 30), bj(2025, 9, 29, 9, 30)),
        9 * H + 30 * 60);
    /* Sep 30 08:30 -> Oct 9 08:30: one working day */
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 30, 8, 30), bj(2025, 10, 9, 8, 30)),
        7 * H + 30 * 60);
    /* inside the holiday: nothing */
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 2, 9, 0), bj(2025, 10, 3, 10, 0)), 0);
    /* 2026-02-13 08:30 -> 02-25 08:30: Fri 13, Sat 14, Tue 24 = 3 days */
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2026, 2, 13, 8, 30), bj(2026, 2, 25, 8, 30)),
        3 * (7 * H + 30 * 60));
    /* b <= a is 0 on every clock */
    for (int c = 0; c < CLOCK__COUNT; c++) {
        assert_int_equal(calendar_elapsed(&cal, (enum clock_kind)c, a, a), 0);
        assert_int_equal(calendar_elapsed(&cal, (enum clock_kind)c, a + H, a), 0);
        assert_int_equal(calendar_elapsed(&cal, (enum clock_kind)c, bj(2025, 9, 23, 10, 0), a), 0);
    }
}

static void test_color(void **st)
{
    (void)st;
    /* continuous 10h from Mon 08:30, due 18:30; 80 % = 8h -> 16:30 */
    int64_t s = bj(2025, 9, 22, 8, 30), due = bj(2025, 9, 22, 18, 30);
    assert_int_equal(calendar_add(&cal, CLOCK_CONTINUOUS, s, 10), due);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, s - 1), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, s), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, bj(2025, 9, 22, 16, 30)),
                     COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, bj(2025, 9, 22, 16, 30) + 1),
                     COLOR_YELLOW);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, due - 1), COLOR_YELLOW);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, due), COLOR_RED);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, s, due, 0, due + 86400), COLOR_RED);

    /* working hours 10h from Mon 08:30: 7.5h Mon, 2.5h Tue -> due Tue 11:00;
     * 80 % = 8h: 7.5h Mon + 0.5h Tue -> Tue 09:00 */
    due = bj(2025, 9, 23, 11, 0);
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, s, 10), due);
    int64_t y = bj(2025, 9, 23, 9, 0);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 0, y), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 0, y + 1), COLOR_YELLOW);
    /* the night does not count: Mon 23:00 is green (7.5h spent of 10h = 75 %) */
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 0, bj(2025, 9, 22, 23, 0)),
                     COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 0, due - 1), COLOR_YELLOW);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 0, due), COLOR_RED);
    /* suspended time is not spent: with 1h suspended the boundary moves to Tue 10:00 */
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, H, y + 1), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, H, y + H), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, H, y + H + 1), COLOR_YELLOW);
    /* ... but due still turns it red */
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, due, 100 * H, due), COLOR_RED);

    /* working days: Mon 08:00, 1 day -> due Mon 17:30; 80 % of 7.5h = 6h -> 16:00 */
    s = bj(2025, 9, 22, 8, 0);
    due = bj(2025, 9, 22, 17, 30);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_DAYS, s, due, 0, bj(2025, 9, 22, 16, 0)),
                     COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_DAYS, s, due, 0, bj(2025, 9, 22, 16, 0) + 1),
                     COLOR_YELLOW);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_DAYS, s, due, 0, due), COLOR_RED);

    /* start >= due: green before due, red from due */
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, due, due, 0, due - 1), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, due + 10, due, 0, due - 1),
                     COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, CLOCK_CONTINUOUS, due, due, 0, due), COLOR_RED);
}

static void test_shift_due(void **st)
{
    (void)st;
    /* suspended Fri 2025-09-19 16:00 -> Mon 09-22 10:00: 1.5h Fri + 1.5h Mon = 3h working;
     * due Tue 09-23 11:00 + 3h working: 1h to 12:00, 2h from 13:30 -> 15:30 */
    int64_t from = bj(2025, 9, 19, 16, 0), to = bj(2025, 9, 22, 10, 0);
    assert_int_equal(calendar_shift_due(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 23, 11, 0), from, to),
                     bj(2025, 9, 23, 15, 30));
    /* continuous: 66h of wall time */
    assert_int_equal(calendar_shift_due(&cal, CLOCK_CONTINUOUS, bj(2025, 9, 23, 11, 0), from, to),
                     bj(2025, 9, 23, 11, 0) + 66 * H);
    /* working days: Fri 10:00 -> Mon 10:00 = 6h + 1.5h = one working day; Thu 25 17:30 ->
     * Fri 26 17:30 */
    assert_int_equal(calendar_shift_due(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 25, 17, 30),
                                        bj(2025, 9, 19, 10, 0), bj(2025, 9, 22, 10, 0)),
                     bj(2025, 9, 26, 17, 30));
    /* a suspension lying wholly in the weekend moves nothing on the working clocks */
    from = bj(2025, 9, 20, 10, 0);
    to = bj(2025, 9, 21, 18, 0);
    assert_int_equal(calendar_shift_due(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 23, 11, 0), from, to),
                     bj(2025, 9, 23, 11, 0));
    assert_int_equal(calendar_shift_due(&cal, CLOCK_CONTINUOUS, bj(2025, 9, 23, 11, 0), from, to),
                     bj(2025, 9, 23, 11, 0) + 32 * H);
    /* suspended over the National Day holiday: Sep 30 17:00 -> Oct 9 09:00 = 0.5h + 0.5h;
     * due Oct 9 17:00 + 1h -> Oct 10 09:00 */
    assert_int_equal(calendar_shift_due(&cal, CLOCK_WORK_HOURS, bj(2025, 10, 9, 17, 0),
                                        bj(2025, 9, 30, 17, 0), bj(2025, 10, 9, 9, 0)),
                     bj(2025, 10, 10, 9, 0));
}

/* t is the first yellow second: t-1 green, t yellow. */
static void check_first_yellow(enum clock_kind c, int64_t s, int64_t due, int64_t t)
{
    assert_true(t > s && t < due);
    assert_int_equal(calendar_color(&cal, c, s, due, 0, t - 1), COLOR_GREEN);
    assert_int_equal(calendar_color(&cal, c, s, due, 0, t), COLOR_YELLOW);
}

static void test_yellow_at(void **st)
{
    (void)st;
    int64_t s = bj(2025, 9, 22, 8, 30);
    /* hand values: continuous 10h -> 16:30:01; working hours 10h -> Tue 09:00:01 */
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_CONTINUOUS, s, bj(2025, 9, 22, 18, 30)),
                     bj(2025, 9, 22, 16, 30) + 1);
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s, bj(2025, 9, 23, 11, 0)),
                     bj(2025, 9, 23, 9, 0) + 1);
    /* working hours 5h from Mon 11:59:59: 1s + 4h afternoon = 14401s > 80 % of 18000 at 17:30,
     * so the first yellow second is the end of the period, not 08:30 the next morning */
    int64_t s2 = bj(2025, 9, 22, 11, 59) + 59;
    int64_t due2 = calendar_add(&cal, CLOCK_WORK_HOURS, s2, 5);
    assert_int_equal(due2, bj(2025, 9, 23, 9, 29) + 59);
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s2, due2), bj(2025, 9, 22, 17, 30));
    /* start >= due: due */
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_WORK_HOURS, due2, due2), due2);
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_CONTINUOUS, due2 + 5, due2), due2);

    /* for several clocks, starts and lengths the moment agrees with calendar_color() */
    static const int starts[][5] = {
        {2025, 9, 22, 8, 30}, {2025, 9, 22, 11, 17}, {2025, 9, 26, 16, 45}, {2025, 9, 30, 7, 0},
        {2025, 10, 5, 12, 0}, {2026, 2, 13, 15, 5},  {2026, 2, 22, 23, 0},  {2025, 9, 22, 17, 30},
    };
    static const int hours[] = {1, 4, 10, 24, 37, 72, 200};
    for (int c = 0; c < CLOCK__COUNT; c++)
        for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
            for (size_t k = 0; k < sizeof hours / sizeof hours[0]; k++) {
                int64_t st0 =
                    bj(starts[i][0], starts[i][1], starts[i][2], starts[i][3], starts[i][4]) +
                    (int64_t)(i * 7 % 60); /* odd seconds too */
                int64_t d = calendar_add(&cal, (enum clock_kind)c, st0, hours[k]);
                int64_t t = calendar_yellow_at(&cal, (enum clock_kind)c, st0, d);
                check_first_yellow((enum clock_kind)c, st0, d, t);
            }
}

/* After an extension, the yellow moment is 80 % of the lengthened clock time (±1 s), and it is
 * the first second calendar_color() shows yellow for the new due. */
static void check_extend(enum clock_kind c, int64_t s, int hours, int more)
{
    int64_t due = calendar_add(&cal, c, s, hours);
    int64_t y = calendar_yellow_at(&cal, c, s, due);
    int64_t nd = calendar_add(&cal, c, due, more);
    int64_t ny = calendar_yellow_extend(&cal, c, due, y, nd);
    int64_t total = calendar_elapsed(&cal, c, s, nd);
    int64_t spent = calendar_elapsed(&cal, c, s, ny);
    assert_in_range(spent * 10, total * 8 - 10, total * 8 + 10);
    assert_true(ny > y && ny < nd);
    check_first_yellow(c, s, nd, ny);
}

static void test_yellow_extend(void **st)
{
    (void)st;
    int64_t s = bj(2025, 9, 22, 8, 30);
    /* continuous 10h + 5h: 80 % of 15h = 12h -> 20:30 (first yellow second 20:30:01) */
    int64_t due = bj(2025, 9, 22, 18, 30), nd = bj(2025, 9, 22, 23, 30);
    int64_t ny =
        calendar_yellow_extend(&cal, CLOCK_CONTINUOUS, due, bj(2025, 9, 22, 16, 30) + 1, nd);
    assert_in_range(ny, bj(2025, 9, 22, 20, 30) - 1, bj(2025, 9, 22, 20, 30) + 1);
    /* working hours 10h + 5h: due Tue 11:00 -> Tue 17:30; 80 % of 15h = 12h: 7.5h Mon, 4.5h
     * Tue (3.5h morning + 1h) -> Tue 14:30 */
    due = bj(2025, 9, 23, 11, 0);
    nd = bj(2025, 9, 23, 17, 30);
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, due, 5), nd);
    ny = calendar_yellow_extend(&cal, CLOCK_WORK_HOURS, due, bj(2025, 9, 23, 9, 0) + 1, nd);
    assert_in_range(ny, bj(2025, 9, 23, 14, 30) - 1, bj(2025, 9, 23, 14, 30) + 1);
    /* working days: Mon 08:00, 2 days -> Tue 17:30, + 1 day -> Wed 17:30; 80 % of 22.5h = 18h
     * = 2 days + 3h -> Wed 11:30 */
    int64_t sd = bj(2025, 9, 22, 8, 0);
    due = calendar_add(&cal, CLOCK_WORK_DAYS, sd, 48);
    assert_int_equal(due, bj(2025, 9, 23, 17, 30));
    nd = calendar_add(&cal, CLOCK_WORK_DAYS, due, 24);
    assert_int_equal(nd, bj(2025, 9, 24, 17, 30));
    ny = calendar_yellow_extend(&cal, CLOCK_WORK_DAYS, due,
                                calendar_yellow_at(&cal, CLOCK_WORK_DAYS, sd, due), nd);
    assert_in_range(ny, bj(2025, 9, 24, 11, 30) - 1, bj(2025, 9, 24, 11, 30) + 1);

    /* several clocks and starts, ratio within ±1 s and agreeing with calendar_color() */
    check_extend(CLOCK_CONTINUOUS, s, 10, 5);
    check_extend(CLOCK_CONTINUOUS, bj(2025, 9, 30, 15, 7) + 13, 37, 48);
    check_extend(CLOCK_WORK_HOURS, s, 10, 5);
    check_extend(CLOCK_WORK_HOURS, bj(2025, 9, 26, 16, 45) + 3, 8, 16);
    check_extend(CLOCK_WORK_HOURS, bj(2026, 2, 13, 10, 0), 20, 30);
    check_extend(CLOCK_WORK_DAYS, sd, 48, 24);
    check_extend(CLOCK_WORK_DAYS, bj(2025, 9, 26, 10, 0), 72, 48);
}

/* Regression: when the new yellow moment falls at the end of a working period, the extension
 * must return that moment (the first yellow second), not the start of the next period. Start Tue
 * 2025-09-30 11:59:59, 4 working hours -> due Sep 30 17:29:59, extended by 1h -> Oct 9 09:29:59.
 * 80 % of 5h = 14400 s; the 14401st working second ends at Sep 30 17:30:00, where
 * calendar_color() already shows yellow. The yellow moment must not slide past the holiday. */
static void test_yellow_extend_at_period_end(void **st)
{
    (void)st;
    int64_t s = bj(2025, 9, 30, 11, 59) + 59;
    int64_t due = calendar_add(&cal, CLOCK_WORK_HOURS, s, 4);
    assert_int_equal(due, bj(2025, 9, 30, 17, 29) + 59);
    int64_t y = calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s, due);
    /* 80 % of 4h = 11520 s: 1 s + 3h12m after 13:30 -> 16:42:00 */
    assert_int_equal(y, bj(2025, 9, 30, 16, 42));
    int64_t nd = calendar_add(&cal, CLOCK_WORK_HOURS, due, 1);
    assert_int_equal(nd, bj(2025, 10, 9, 9, 29) + 59);
    assert_int_equal(calendar_color(&cal, CLOCK_WORK_HOURS, s, nd, 0, bj(2025, 9, 30, 17, 30)),
                     COLOR_YELLOW);
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s, nd), bj(2025, 9, 30, 17, 30));
    int64_t ny = calendar_yellow_extend(&cal, CLOCK_WORK_HOURS, due, y, nd);
    assert_int_equal(ny, bj(2025, 9, 30, 17, 30)); /* not Oct 9 08:30 */
}

/* The same at the lunch break: start Mon 2025-09-22 11:59:59, 10h + 65h = 75h; 80 % = 216000 s.
 * The 216001st working second ends at Oct 9 12:00: 1 s + 4h Mon afternoon + 7 days (Sep 23-30
 * with the make-up Sunday 28) + 3.5h on the morning of Oct 9 = 1 + 14400 + 189000 + 12600. */
static void test_yellow_extend_at_lunch(void **st)
{
    (void)st;
    int64_t s = bj(2025, 9, 22, 11, 59) + 59;
    int64_t due = calendar_add(&cal, CLOCK_WORK_HOURS, s, 10);
    int64_t y = calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s, due);
    int64_t nd = calendar_add(&cal, CLOCK_WORK_HOURS, due, 65);
    assert_int_equal(calendar_yellow_at(&cal, CLOCK_WORK_HOURS, s, nd), bj(2025, 10, 9, 12, 0));
    assert_int_equal(calendar_yellow_extend(&cal, CLOCK_WORK_HOURS, due, y, nd),
                     bj(2025, 10, 9, 12, 0)); /* not 13:30 */
}

static void test_add_holiday_workday(void **st)
{
    (void)st;
    /* an extra holiday on Wed 2025-09-24 */
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 24, 10, 0)));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 23, 17, 0), 1),
                     bj(2025, 9, 24, 9, 0));
    assert_int_equal(calendar_add_holiday(&cal, 2025, 9, 24), 0);
    assert_false(calendar_is_workday(&cal, bj(2025, 9, 24, 10, 0)));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 23, 17, 0), 1),
                     bj(2025, 9, 25, 9, 0));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_DAYS, bj(2025, 9, 23, 10, 0), 24),
                     bj(2025, 9, 25, 17, 30));
    /* an extra make-up day on Sat 2025-09-27 */
    assert_false(calendar_is_workday(&cal, bj(2025, 9, 27, 10, 0)));
    assert_int_equal(calendar_add_workday(&cal, 2025, 9, 27), 0);
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 27, 10, 0)));
    assert_int_equal(calendar_add(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 26, 17, 0), 1),
                     bj(2025, 9, 27, 9, 0));
    assert_int_equal(
        calendar_elapsed(&cal, CLOCK_WORK_HOURS, bj(2025, 9, 26, 17, 30), bj(2025, 9, 27, 17, 30)),
        7 * H + 30 * 60);
    /* adding a day twice is a no-op */
    size_t n = cal.n_holidays;
    assert_int_equal(calendar_add_holiday(&cal, 2025, 9, 24), 0);
    assert_int_equal(cal.n_holidays, n);
    /* invalid dates */
    assert_int_equal(calendar_add_holiday(&cal, 2026, 2, 30), -GG_EINVAL);
    assert_int_equal(calendar_add_holiday(&cal, 2026, 13, 1), -GG_EINVAL);
    assert_int_equal(calendar_add_workday(&cal, 2026, 4, 31), -GG_EINVAL);
    assert_int_equal(cal.n_holidays, n);
}

static void test_full(void **st)
{
    (void)st;
    /* fill both lists with distinct dates from 2030 on */
    int64_t z = gg_days_from_civil(2030, 1, 1);
    int y, m, d;
    while (cal.n_holidays < CAL_MAX_DAYS) {
        gg_civil_from_days(z++, &y, &m, &d);
        assert_int_equal(calendar_add_holiday(&cal, y, m, d), 0);
    }
    assert_int_equal(cal.n_holidays, CAL_MAX_DAYS);
    /* the rejected day is not listed: Mon 2025-09-22 stays a working day */
    assert_int_equal(calendar_add_holiday(&cal, 2025, 9, 22), -GG_ETOOLARGE);
    assert_int_equal(cal.n_holidays, CAL_MAX_DAYS);
    assert_true(calendar_is_workday(&cal, bj(2025, 9, 22, 10, 0)));
    /* a day already listed is still accepted */
    assert_int_equal(calendar_add_holiday(&cal, 2025, 10, 1), 0);
    assert_int_equal(calendar_add_holiday(&cal, 2030, 1, 1), 0);
    assert_int_equal(cal.n_holidays, CAL_MAX_DAYS);

    z = gg_days_from_civil(2030, 1, 1);
    while (cal.n_workdays < CAL_MAX_DAYS) {
        gg_civil_from_days(z++, &y, &m, &d);
        assert_int_equal(calendar_add_workday(&cal, y, m, d), 0);
    }
    /* the rejected day is not listed: Sat 2025-09-20 stays a day off */
    assert_int_equal(calendar_add_workday(&cal, 2025, 9, 20), -GG_ETOOLARGE);
    assert_int_equal(cal.n_workdays, CAL_MAX_DAYS);
    assert_false(calendar_is_workday(&cal, bj(2025, 9, 20, 10, 0)));
    assert_int_equal(calendar_add_workday(&cal, 2025, 9, 28), 0);
}

/* gg_time_format writes its digits by hand: known answers, and a round trip through
 * gg_time_parse over 1970–2099 */
static void test_time_format(void **state)
{
    (void)state;
    char buf[GG_RFC3339_LEN];
    gg_time_format(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00Z");
    gg_time_format(1795448524, buf);
    assert_string_equal(buf, "2026-11-23T15:42:04Z");
    gg_time_format(951868799, buf); /* leap day */
    assert_string_equal(buf, "2000-02-29T23:59:59Z");
    gg_time_format(253402300799LL, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    gg_time_format(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    for (int64_t t = 0; t < 4102444800LL; t += 86400 * 37 + 3601 * 7 + 59) {
        int64_t back = 0;
        gg_time_format(t, buf);
        assert_int_equal(strlen(buf), GG_RFC3339_LEN - 1);
        assert_int_equal(gg_time_parse(buf, &back), 0);
        assert_int_equal(back, t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_format),
        cmocka_unit_test_setup(test_bj_helper, setup),
        cmocka_unit_test_setup(test_default_calendar, setup),
        cmocka_unit_test_setup(test_official_holidays, setup),
        cmocka_unit_test_setup(test_is_workday, setup),
        cmocka_unit_test_setup(test_continuous_add, setup),
        cmocka_unit_test_setup(test_work_hours_lunch, setup),
        cmocka_unit_test_setup(test_work_hours_weekend, setup),
        cmocka_unit_test_setup(test_work_hours_national_day, setup),
        cmocka_unit_test_setup(test_work_hours_spring_festival_2026, setup),
        cmocka_unit_test_setup(test_work_hours_start_outside, setup),
        cmocka_unit_test_setup(test_work_days_add, setup),
        cmocka_unit_test_setup(test_elapsed, setup),
        cmocka_unit_test_setup(test_color, setup),
        cmocka_unit_test_setup(test_shift_due, setup),
        cmocka_unit_test_setup(test_yellow_at, setup),
        cmocka_unit_test_setup(test_yellow_extend, setup),
        cmocka_unit_test_setup(test_yellow_extend_at_period_end, setup),
        cmocka_unit_test_setup(test_yellow_extend_at_lunch, setup),
        cmocka_unit_test_setup(test_add_holiday_workday, setup),
        cmocka_unit_test_setup(test_full, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
