/* calendar.c - the work calendar and deadline arithmetic: due times on continuous, working-hour
 * and working-day clocks, elapsed clock time, the three-colour warning and the shift of a due
 * time after a suspension (挂账).
 *
 * Arithmetic walks whole local days (one step per day, never per second), so spans of thousands
 * of hours cost microseconds. Local dates are days since the epoch at the calendar's fixed UTC
 * offset. Not for time zones with DST and not a clock: every moment comes in as an argument. */
#include "core/calendar.h"
#include "base/error.h"
#include "base/time.h"

#include <math.h>
#include <string.h>

#define DAY 86400

/* floor division, for moments before the epoch */
static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Local day of t and the second within it. */
static int64_t local_day(const struct work_calendar *cal, int64_t t, int64_t *sec)
{
    int64_t local = t + cal->utc_offset_secs;
    int64_t d = floordiv(local, DAY);
    if (sec)
        *sec = local - d * DAY;
    return d;
}

static int64_t day_start(const struct work_calendar *cal, int64_t d)
{
    return d * DAY - cal->utc_offset_secs;
}

static bool listed(const int64_t *days, size_t n, int64_t d)
{
    for (size_t i = 0; i < n; i++)
        if (days[i] == d)
            return true;
    return false;
}

static bool workday(const struct work_calendar *cal, int64_t d)
{
    if (listed(cal->workdays, cal->n_workdays, d))
        return true;
    if (listed(cal->holidays, cal->n_holidays, d))
        return false;
    int64_t wd = ((d + 4) % 7 + 7) % 7; /* 0 = Sunday; 1970-01-01 was a Thursday */
    return wd != 0 && wd != 6;
}

/* Working seconds of one working day. */
static int64_t day_secs(const struct work_calendar *cal)
{
    int64_t w = 0;
    for (int i = 0; i < cal->n_periods && i < 4; i++)
        if (cal->period_end[i] > cal->period_start[i])
            w += cal->period_end[i] - cal->period_start[i];
    return w;
}

/* Working seconds within [s0, s1) of a working day (seconds after local midnight). */
static int64_t overlap(const struct work_calendar *cal, int64_t s0, int64_t s1)
{
    int64_t w = 0;
    for (int i = 0; i < cal->n_periods && i < 4; i++) {
        int64_t a = s0 > cal->period_start[i] ? s0 : cal->period_start[i];
        int64_t b = s1 < cal->period_end[i] ? s1 : cal->period_end[i];
        if (b > a)
            w += b - a;
    }
    return w;
}

static int add_day(int64_t *days, size_t *n, int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -GG_EINVAL;
    int64_t z = gg_days_from_civil(y, m, d);
    int ry, rm, rd;
    gg_civil_from_days(z, &ry, &rm, &rd);
    if (ry != y || rm != m || rd != d) /* e.g. 2026-02-30 */
        return -GG_EINVAL;
    if (listed(days, *n, z))
        return 0;
    if (*n >= CAL_MAX_DAYS)
        return -GG_ETOOLARGE;
    days[(*n)++] = z;
    return 0;
}

int calendar_add_holiday(struct work_calendar *cal, int y, int m, int d)
{
    return add_day(cal->holidays, &cal->n_holidays, y, m, d);
}

int calendar_add_workday(struct work_calendar *cal, int y, int m, int d)
{
    return add_day(cal->workdays, &cal->n_workdays, y, m, d);
}

/* A run of holidays: y-m-d and the following days, `n` in all (may cross a month end). */
static void add_run(struct work_calendar *cal, int y, int m, int d, int n)
{
    int64_t z = gg_days_from_civil(y, m, d);
    for (int i = 0; i < n; i++) {
        int ry, rm, rd;
        gg_civil_from_days(z + i, &ry, &rm, &rd);
        calendar_add_holiday(cal, ry, rm, rd);
    }
}

void calendar_init_default(struct work_calendar *cal)
{
    memset(cal, 0, sizeof *cal);
    cal->utc_offset_secs = 8 * 3600;
    cal->n_periods = 2;
    cal->period_start[0] = 8 * 3600 + 30 * 60;
    cal->period_end[0] = 12 * 3600;
    cal->period_start[1] = 13 * 3600 + 30 * 60;
    cal->period_end[1] = 17 * 3600 + 30 * 60;
    cal->yellow_ratio = 0.8;

    /* 2025 (国务院办公厅 2024-11 notice) */
    add_run(cal, 2025, 1, 1, 1);  /* 元旦 */
    add_run(cal, 2025, 1, 28, 8); /* 春节 Jan 28 - Feb 4 */
    calendar_add_workday(cal, 2025, 1, 26);
    calendar_add_workday(cal, 2025, 2, 8);
    add_run(cal, 2025, 4, 4, 3); /* 清明 */
    add_run(cal, 2025, 5, 1, 5); /* 劳动节 */
    calendar_add_workday(cal, 2025, 4, 27);
    add_run(cal, 2025, 5, 31, 3); /* 端午 May 31 - Jun 2 */
    add_run(cal, 2025, 10, 1, 8); /* 国庆 + 中秋 */
    calendar_add_workday(cal, 2025, 9, 28);
    calendar_add_workday(cal, 2025, 10, 11);

    /* 2026 */
    add_run(cal, 2026, 1, 1, 3); /* 元旦 */
    calendar_add_workday(cal, 2026, 1, 4);
    add_run(cal, 2026, 2, 15, 9); /* 春节 Feb 15 - 23 */
    calendar_add_workday(cal, 2026, 2, 14);
    calendar_add_workday(cal, 2026, 2, 28);
    add_run(cal, 2026, 4, 4, 3); /* 清明 */
    add_run(cal, 2026, 5, 1, 5); /* 劳动节 */
    calendar_add_workday(cal, 2026, 5, 9);
    add_run(cal, 2026, 6, 19, 3); /* 端午 */
    add_run(cal, 2026, 9, 25, 3); /* 中秋 */
    add_run(cal, 2026, 10, 1, 7); /* 国庆 */
    calendar_add_workday(cal, 2026, 9, 20);
    calendar_add_workday(cal, 2026, 10, 10);
}

bool calendar_is_workday(const struct work_calendar *cal, int64_t t)
{
    return workday(cal, local_day(cal, t, NULL));
}

/* Working seconds between a and b (a < b), one step per local day. */
static int64_t work_between(const struct work_calendar *cal, int64_t a, int64_t b)
{
    int64_t sa, sb;
    int64_t da = local_day(cal, a, &sa), db = local_day(cal, b, &sb);
    if (da == db)
        return workday(cal, da) ? overlap(cal, sa, sb) : 0;
    int64_t w = workday(cal, da) ? overlap(cal, sa, DAY) : 0;
    int64_t full = day_secs(cal);
    for (int64_t d = da + 1; d < db; d++)
        if (workday(cal, d))
            w += full;
    if (workday(cal, db))
        w += overlap(cal, 0, sb);
    return w;
}

/* The moment `secs` working seconds after start. A calendar without working time has no
 * working clock; it then runs continuously rather than never. */
static int64_t add_work_secs(const struct work_calendar *cal, int64_t start, int64_t secs)
{
    int64_t full = day_secs(cal);
    if (secs <= 0)
        return start;
    if (full <= 0)
        return start + secs;
    int64_t s;
    int64_t d = local_day(cal, start, &s);
    for (;; d++, s = 0) {
        if (!workday(cal, d))
            continue;
        if (s == 0 && secs > full) { /* a whole working day that does not end the count */
            secs -= full;
            continue;
        }
        for (int i = 0; i < cal->n_periods && i < 4; i++) {
            int64_t from = s > cal->period_start[i] ? s : cal->period_start[i];
            int64_t avail = cal->period_end[i] - from;
            if (avail <= 0)
                continue;
            if (secs <= avail)
                return day_start(cal, d) + from + secs;
            secs -= avail;
        }
    }
}

/* The end of the last working period of a working day. */
static int64_t last_end(const struct work_calendar *cal)
{
    int64_t e = 0;
    for (int i = 0; i < cal->n_periods && i < 4; i++)
        if (cal->period_end[i] > e)
            e = cal->period_end[i];
    return e;
}

static int64_t first_start(const struct work_calendar *cal)
{
    int64_t s = DAY;
    for (int i = 0; i < cal->n_periods && i < 4; i++)
        if (cal->period_start[i] < s)
            s = cal->period_start[i];
    return s;
}

int64_t calendar_add(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                     int hours)
{
    if (hours <= 0)
        return start;
    switch (clock) {
    case CLOCK_WORK_HOURS:
        return add_work_secs(cal, start, (int64_t)hours * 3600);
    case CLOCK_WORK_DAYS: {
        if (day_secs(cal) <= 0)
            return start + (int64_t)hours * 3600;
        int64_t n = ((int64_t)hours + 23) / 24, s;
        int64_t d = local_day(cal, start, &s);
        if (!(workday(cal, d) && s < first_start(cal)))
            d++; /* the start day does not count */
        for (;; d++)
            if (workday(cal, d) && --n == 0)
                return day_start(cal, d) + last_end(cal);
    }
    case CLOCK_CONTINUOUS:
    default:
        return start + (int64_t)hours * 3600;
    }
}

int64_t calendar_elapsed(const struct work_calendar *cal, enum clock_kind clock, int64_t a,
                         int64_t b)
{
    if (b <= a)
        return 0;
    if (clock == CLOCK_WORK_HOURS || clock == CLOCK_WORK_DAYS)
        return work_between(cal, a, b);
    return b - a;
}

enum color calendar_color(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                          int64_t due, int64_t suspended_secs, int64_t now)
{
    if (now >= due)
        return COLOR_RED;
    if (start >= due)
        return COLOR_GREEN;
    int64_t total = calendar_elapsed(cal, clock, start, due);
    int64_t spent = calendar_elapsed(cal, clock, start, now) - suspended_secs;
    if (total <= 0 || spent <= 0)
        return COLOR_GREEN;
    /* compare in ten-thousandths so that exactly 80 % is not pushed over by rounding */
    double r = cal->yellow_ratio;
    int64_t bp = isfinite(r) ? (int64_t)llround((r < 0 ? 0 : r > 1 ? 1 : r) * 10000) : 8000;
    return spent * 10000 > bp * total ? COLOR_YELLOW : COLOR_GREEN;
}

int64_t calendar_shift_due(const struct work_calendar *cal, enum clock_kind clock, int64_t due,
                           int64_t from, int64_t to)
{
    int64_t secs = calendar_elapsed(cal, clock, from, to);
    if (clock == CLOCK_WORK_HOURS || clock == CLOCK_WORK_DAYS)
        return add_work_secs(cal, due, secs);
    return due + secs;
}

static int64_t ratio_bp(const struct work_calendar *cal)
{
    double r = cal->yellow_ratio;
    return isfinite(r) ? (int64_t)llround((r < 0 ? 0 : r > 1 ? 1 : r) * 10000) : 8000;
}

/* The first second t in (lo, hi] for which pred holds, pred being monotonic (false then true);
 * hi when it never turns. */
static int64_t first_true(int64_t lo, int64_t hi, bool (*pred)(const void *ctx, int64_t t),
                          const void *ctx)
{
    while (lo + 1 < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (pred(ctx, mid))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

struct yellow_ctx {
    const struct work_calendar *cal;
    enum clock_kind clock;
    int64_t start, total, bp;
};

static bool past_ratio(const void *p, int64_t t)
{
    const struct yellow_ctx *c = p;
    return calendar_elapsed(c->cal, c->clock, c->start, t) * 10000 > c->bp * c->total;
}

int64_t calendar_yellow_at(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                           int64_t due)
{
    if (due <= start)
        return due;
    struct yellow_ctx c = {cal, clock, start, calendar_elapsed(cal, clock, start, due),
                           ratio_bp(cal)};
    if (c.total <= 0)
        return due;
    return first_true(start, due, past_ratio, &c);
}

struct before_ctx {
    const struct work_calendar *cal;
    enum clock_kind clock;
    int64_t due, secs;
};

static bool at_most(const void *p, int64_t t)
{
    const struct before_ctx *c = p;
    return calendar_elapsed(c->cal, c->clock, t, c->due) <= c->secs;
}

int64_t calendar_yellow_extend(const struct work_calendar *cal, enum clock_kind clock,
                               int64_t old_due, int64_t old_yellow, int64_t new_due)
{
    int64_t bp = ratio_bp(cal);
    if (bp >= 10000 || new_due <= old_due)
        return old_yellow + (new_due - old_due);
    /* the clock time from start to the old due, recovered from the part after yellow */
    int64_t tail = calendar_elapsed(cal, clock, old_yellow, old_due);
    int64_t total = tail * 10000 / (10000 - bp) + calendar_elapsed(cal, clock, old_due, new_due);
    struct before_ctx c = {cal, clock, new_due, (total * (10000 - bp) + 9999) / 10000};
    if (c.secs <= 0)
        return new_due;
    /* step back until enough clock time lies before the new due, then search */
    int64_t lo = old_yellow, step = 3600;
    while (at_most(&c, lo)) {
        lo -= step;
        if (step < ((int64_t)1 << 32))
            step *= 2;
    }
    return first_true(lo, new_due, at_most, &c);
}
