/* calendar.h - the work calendar and deadline arithmetic (限时办结, 三色预警).
 *
 * A deadline is counted on a clock: continuous hours (紧急工作时), working hours, or working days
 * of a work calendar that knows weekends, public holidays and make-up working days (调休). Local
 * time is Beijing time (UTC+8, no DST): the calendar takes a fixed UTC offset. All times are
 * int64 seconds since the epoch (UTC); nothing here reads a clock. */
#ifndef GG_CORE_CALENDAR_H
#define GG_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define CAL_MAX_DAYS 512

struct work_calendar {
    int utc_offset_secs;      /* 8 * 3600 for Beijing */
    /* working periods of a working day, in seconds after local midnight, e.g. 08:30-12:00
     * and 13:30-17:30 (7.5 hours a day) */
    int n_periods;
    int period_start[4], period_end[4];
    /* local dates as days since epoch */
    int64_t holidays[CAL_MAX_DAYS]; /* days off although a weekday */
    size_t n_holidays;
    int64_t workdays[CAL_MAX_DAYS]; /* make-up working days although a weekend (调休) */
    size_t n_workdays;
    double yellow_ratio; /* colour turns yellow when spent/total > this (default 0.8) */
};

/* Default: UTC+8, 08:30-12:00 and 13:30-17:30, Monday-Friday, yellow at 0.8, and the official
 * PRC public holidays and make-up days for 2025 and 2026 built in. */
void calendar_init_default(struct work_calendar *cal);
/* Adds a holiday or a make-up working day (local date). Returns 0 or -GG_ETOOLARGE when full. */
int calendar_add_holiday(struct work_calendar *cal, int y, int m, int d);
int calendar_add_workday(struct work_calendar *cal, int y, int m, int d);
/* True when the local date containing t is a working day. */
bool calendar_is_workday(const struct work_calendar *cal, int64_t t);

/* The moment that lies `hours` of clock time after start:
 * - CLOCK_CONTINUOUS: start + hours * 3600
 * - CLOCK_WORK_HOURS: counts only seconds inside working periods of working days
 * - CLOCK_WORK_DAYS: hours / 24 rounded up = n working days; due at the end of the last
 *   working period of the n-th working day after the start day (the start day counts when the
 *   start lies before its first period begins)
 * hours <= 0 returns start. */
int64_t calendar_add(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                     int hours);
/* Clock seconds between a and b (0 when b <= a): wall seconds for continuous, working seconds
 * for the other two clocks. */
int64_t calendar_elapsed(const struct work_calendar *cal, enum clock_kind clock, int64_t a,
                         int64_t b);

/* The colour of a deadline at `now`: red when now >= due; yellow when the clock time spent since
 * start (minus suspended clock time) exceeds yellow_ratio of the clock time from start to due;
 * green otherwise. If start >= due it is red once now >= due, else green. */
enum color calendar_color(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                          int64_t due, int64_t suspended_secs, int64_t now);

/* When an event resumes after being suspended from `from` to `to`, its due time moves later by
 * the clock time that passed during the suspension (挂账 time is added back). */
int64_t calendar_shift_due(const struct work_calendar *cal, enum clock_kind clock, int64_t due,
                           int64_t from, int64_t to);

/* The first moment at which calendar_color() turns yellow for a deadline from start to due
 * (ignoring suspension); due when start >= due. */
int64_t calendar_yellow_at(const struct work_calendar *cal, enum clock_kind clock, int64_t start,
                           int64_t due);
/* After an extension moves the due time from old_due to new_due, the new yellow moment: the
 * same ratio of the lengthened time, the start being recovered from old_yellow. */
int64_t calendar_yellow_extend(const struct work_calendar *cal, enum clock_kind clock,
                               int64_t old_due, int64_t old_yellow, int64_t new_due);

#endif
