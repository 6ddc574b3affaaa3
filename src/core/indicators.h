/* indicators.h - the assessment arithmetic (DESIGN section 11, docs/indicators.md): which 0/1
 * stage counters ("facts") an event contributes, the indicators computed from summed counters,
 * the weighted ranking score and its stars, and the surge rule.
 *
 * Pure functions: no I/O, no clock ("now" is an argument where it matters), no SQL. The same
 * stat_facts() feeds the incremental counters (app/stats.c, as a delta before → after of each
 * write), the exact scan of partial days and `gridgov stats rebuild`, so all three agree by
 * construction; the tests check that they also agree in fact. */
#ifndef GG_CORE_INDICATORS_H
#define GG_CORE_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* Counters. Unless said otherwise a fact is dated by the event's reported day (the "cohort" of
 * events reported in a period), so that every indicator of a period is a sum over its days. */
#define GG_STAT_METRIC_MAP(XX)                                                                     \
    XX(TOTAL, "total")                       /* every event reported */                           \
    XX(ST_REPORTED, "status_reported")       /* current status, one of the 8 */                   \
    XX(ST_REGISTERED, "status_registered")                                                         \
    XX(ST_DISPATCHED, "status_dispatched")                                                         \
    XX(ST_IN_PROGRESS, "status_in_progress")                                                       \
    XX(ST_HANDLED, "status_handled")                                                               \
    XX(ST_CLOSED, "status_closed")                                                                 \
    XX(ST_REJECTED, "status_rejected")                                                             \
    XX(ST_MERGED, "status_merged")                                                                 \
    XX(SRC_APP, "source_app")                                                                      \
    XX(SRC_PATROL, "source_patrol")                                                                \
    XX(SRC_SENSOR, "source_sensor")                                                                \
    XX(SRC_HOTLINE, "source_hotline")                                                              \
    XX(SRC_VISIT, "source_visit")                                                                  \
    XX(SRC_WALKIN, "source_walkin")                                                                \
    XX(FIXED_GREEN, "fixed_green")   /* colour that no longer moves with time: handled, closed */ \
    XX(FIXED_YELLOW, "fixed_yellow") /* or suspended events */                                    \
    XX(FIXED_RED, "fixed_red")                                                                     \
    XX(RECEIVED, "received")               /* not merged into another (duplicates excluded) */    \
    XX(REGISTERED, "registered")           /* received and registered (立案) */                  \
    XX(REJECTED, "rejected")               /* 不予立案 */                                         \
    XX(DISPATCHES, "dispatches")           /* dispatch steps in the timeline, auto included */    \
    XX(RETURNS, "returns")                 /* return steps in the timeline */                     \
    XX(DUE_HANDLING, "due_handling")       /* registered and not merged: must be handled */       \
    XX(HANDLED, "handled")                 /* … and handled (handled_at set) */                   \
    XX(HANDLED_ON_TIME, "handled_on_time") /* … handled_at <= handle_due_at */                    \
    XX(CLOSED, "closed")                   /* status closed */                                    \
    XX(CLOSED_ON_TIME, "closed_on_time")   /* closed_at <= handle_due_at */                       \
    XX(REWORKED, "reworked")               /* due for closing with rework_count > 0 */            \
    XX(EXTENDED, "extended")               /* due for closing with extension_count > 0 */         \
    XX(RATED, "rated")                                                                             \
    XX(SATISFIED, "satisfied")                                                                     \
    XX(BASIC, "basic")                                                                             \
    XX(UNSATISFIED, "unsatisfied")                                                                 \
    XX(CLOSED_GRID, "closed_grid")           /* closed at grid level */                           \
    XX(CLOSED_COMMUNITY, "closed_community") /* closed at grid or community level */              \
    XX(HANDLING_SECS, "handling_secs")       /* sum, over handled events, of handling seconds */  \
    XX(SUPERVISED, "supervised")             /* events supervised at least once */                \
    XX(ESCALATED, "escalated")               /* events escalated at least once */                 \
    XX(CLOSED_ON_DAY, "closed_on_day")       /* dated by closed_at: trend "closed" */             \
    XX(LATE_ON_DUE_DAY, "late_on_due_day")   /* dated by handle_due_at: fixed lateness (trend) */ \
    XX(OPEN_GREEN, "open_green")   /* open, not suspended events by their colour mark */          \
    XX(OPEN_YELLOW, "open_yellow") /* (marks: exact once the sweep has run; app/stats.c */               \
    XX(OPEN_RED, "open_red")       /* corrects marks that are stale at query time) */

enum stat_metric {
#define XX(n, id) STAT_##n,
    GG_STAT_METRIC_MAP(XX)
#undef XX
    STAT__COUNT
};

const char *stat_metric_id(enum stat_metric m);

/* One contribution: `n` added to `metric` on `day` (days since the epoch, UTC). */
struct stat_fact {
    enum stat_metric metric;
    int64_t day;
    int64_t n;
};
#define STAT_MAX_FACTS 32

/* The UTC day of a timestamp (floor division, so negative times are fine). */
int64_t stat_day(int64_t t);

/* The facts of an event in its stored state. The timeline counts (dispatches, returns) are not
 * part of an event's state: the caller adds them (see stat_fact_action). Returns how many were
 * written to out[STAT_MAX_FACTS]. */
size_t stat_facts(const struct event *e, struct stat_fact *out);
/* The fact one timeline step adds (DISPATCHES for DISPATCH, RETURNS for RETURN); false when the
 * action counts nothing. */
bool stat_fact_action(enum event_action a, int64_t reported_at, struct stat_fact *out);
/* True when the colour of the event depends on "now" (open, not suspended): such events are
 * counted by colour at query time, not by a counter. */
bool stat_color_moves(const struct event *e);
/* Sets e->color_mark to the colour of e at `now` and e->recolor_at to the moment that colour
 * next changes (yellow_at while green, handle_due_at while yellow, 0 once red) when the colour
 * moves with time; otherwise leaves the mark as it is and sets recolor_at = 0. Each write calls
 * it with its own time and the sweep with the clock, so the OPEN_* counters follow the marks. */
void stat_color_mark(struct event *e, int64_t now);

/* ---- indicators ---- */
#define GG_INDICATOR_MAP(XX)                                                                       \
    XX(REGISTRATION_RATE, "registration_rate")                                                     \
    XX(DISPATCH_ACCURACY, "dispatch_accuracy")                                                     \
    XX(HANDLING_RATE, "handling_rate")                                                             \
    XX(ON_TIME_HANDLING_RATE, "on_time_handling_rate")                                             \
    XX(CLOSURE_RATE, "closure_rate")                                                               \
    XX(ON_TIME_CLOSURE_RATE, "on_time_closure_rate")                                               \
    XX(REWORK_RATE, "rework_rate")                                                                 \
    XX(EXTENSION_RATE, "extension_rate")                                                           \
    XX(SATISFACTION_RATE, "satisfaction_rate")                                                     \
    XX(GRID_RESOLUTION_RATE, "grid_resolution_rate")                                               \
    XX(COMMUNITY_RESOLUTION_RATE, "community_resolution_rate")                                     \
    XX(MEAN_HANDLING_HOURS, "mean_handling_hours")

enum indicator {
#define XX(n, id) IND_##n,
    GG_INDICATOR_MAP(XX)
#undef XX
    IND__COUNT
};

const char *indicator_id(enum indicator i);

struct indicators {
    double v[IND__COUNT];
    bool valid[IND__COUNT]; /* false: the denominator is 0 (the API shows null) */
};

/* Computes every indicator from summed counters. */
void indicators_compute(const int64_t counts[STAT__COUNT], struct indicators *out);

/* ---- ranking ---- */
/* The weighted score 0..100 of a unit (docs/indicators.md): a weighted mean of on-time handling
 * (25), on-time closure (25), satisfaction (20), closure (15), 1 − rework (10) and
 * 1 − extension (5) over the indicators that are defined; false when none is. */
bool ranking_score(const struct indicators *ind, double *score);
/* Stars 1..5 from ascending thresholds t[0..3] (score >= t[3] → 5, >= t[2] → 4, …, else 1). */
int ranking_stars(double score, const double thresholds[4]);
/* Parses "60,70,80,90" (four ascending numbers 0..100); -1 when malformed. */
int ranking_parse_thresholds(const char *s, double out[4]);

/* ---- participation in the unit ranking (issue 6 item 8, 排名输入) ----
 * What residents, grid officers, the party organisation and the key tasks of a unit's subtree
 * did in the period, counted in store/ and summed per ranked unit by app/stats.c. Each rate is
 * null (valid false) without data, and a null rate drops out of the score with its weight, so a
 * city without participation data ranks exactly as on events alone. */
struct participation_counts {
    /* service orders (点单—下单—接单—评单) published in the period, cancelled ones excluded: how
     * many, how many are completed now (completed, rated or reviewed), how many of those the
     * asker rated (评单) and the sum of those ratings (1..5 each) */
    int64_t orders, orders_completed, orders_rated, rating_sum;
    /* 六必访: visits whose next visit fell due in the period (before now), and how many of those
     * were followed by a visit of the same subject by the due time */
    int64_t visits_due, visits_on_time;
    /* 三会一课: the 党支部 of the subtree, the meeting windows judged over the period's whole
     * months (the compliance check's windows, counted over every branch) and the gaps */
    int64_t branches, meeting_windows, meeting_gaps;
    /* key tasks (重点任务) of the subtree created before the period's end, by colour now */
    int64_t tasks, tasks_blue, tasks_yellow, tasks_red;
};

#define GG_PARTICIPATION_MAP(XX)                                                                   \
    XX(SERVICE_COMPLETION_RATE, "service_completion_rate") /* orders_completed / orders */         \
    XX(SERVICE_MEAN_RATING, "service_mean_rating") /* rating_sum / orders_rated, 1..5 */           \
    XX(VISIT_COMPLIANCE, "visit_compliance") /* visits_on_time / visits_due */                     \
    XX(MEETING_COMPLIANCE, "meeting_compliance") /* (windows - gaps) / windows */                  \
    XX(TASK_BLUE_RATE, "task_blue_rate") /* tasks_blue / tasks */                                  \
    XX(TASK_YELLOW_RATE, "task_yellow_rate") /* tasks_yellow / tasks */                            \
    XX(TASK_RED_RATE, "task_red_rate") /* tasks_red / tasks */

enum participation_indicator {
#define XX(n, id) PART_##n,
    GG_PARTICIPATION_MAP(XX)
#undef XX
    PART__COUNT
};
const char *participation_id(enum participation_indicator i);

struct participation {
    double v[PART__COUNT];
    bool valid[PART__COUNT]; /* false: no data (the API shows null) */
};
void participation_compute(const struct participation_counts *c, struct participation *out);

/* The unit score with participation (docs/indicators.md): the weighted mean of the six event
 * parts of ranking_score and, each with weight 10, the service completion rate, the mean
 * service rating mapped 1 → 0 and 5 → 1, the visit compliance, the meeting compliance and the
 * task colours (blue + ½ yellow share); over the parts that are defined. p NULL: events only
 * (= ranking_score). False when no part is defined. */
bool ranking_score_with(const struct indicators *ind, const struct participation *p,
                        double *score);

/* The whole months of a period judged for meeting compliance: [*m_from, *m_to) (months as
 * year * 12 + month - 1). m_to is the month of min(to, now) (only months that have ended, the
 * current one excluded); m_from the first month that starts at or after `from`, or 12 months
 * before m_to when from is 0 (unbounded), and never more than 60 months before m_to. False when
 * no whole month is left. */
bool participation_months(int64_t from, int64_t to, int64_t now, int *m_from, int *m_to);

/* ---- cadre evaluation (下沉干部评价) ----
 * A party member of kind cadre or in_service who reported in (双报到) to a community of the
 * subtree, over the service orders of the subtree that they claimed in the period. */
struct cadre_counts {
    int64_t report_ins;           /* report-ins to communities of the subtree */
    int64_t claimed, completed;   /* orders claimed in the period; of those, completed now */
    int64_t rated, rating_sum;    /* completed orders the asker rated (评单), sum of 1..5 */
    int64_t reviewed, review_sum; /* orders the street reviewed (评价), sum of 1..5 */
    int64_t points;               /* points earned (positive entries) in the period */
};
/* The score 0..100 (docs/indicators.md): the mean asker rating, 1 → 0 and 5 → 1 (weight 40),
 * the mean street review likewise (20), completed / claimed (25) and completed / max_completed
 * — the most any cadre of the same ranking completed — (15), over the parts that are defined
 * (no rated order, no review, no claim, max_completed 0: that part drops out); false when none
 * is. */
bool cadre_score(const struct cadre_counts *c, int64_t max_completed, double *score);

/* ---- department reverse evaluation (部门反向评价) ---- */
/* The score 0..100 of a department over a period: the mean of the ratings the whistling units
 * gave it, 1 → 0 and 5 → 100 (weight 70), and the share of its whistles reported in by the due
 * time (weight 30), over the parts that are defined; false when neither is. */
bool dept_score(int64_t whistles, int64_t on_time, int64_t ratings, int64_t score_sum,
                double *score);

/* ---- property companies' red and black lists (物业红黑榜) ---- */
/* Complaints per 1,000 households; false when households is 0. */
bool property_rate(int64_t complaints, int64_t households, double *rate);
/* The score 0..100 of a company: 100 − 100 × rate / rate_cap (not below 0; weight 60) and the
 * satisfaction rate of its rated complaints × 100 (weight 40), over the parts defined; false
 * when neither is (no households and no rated complaint). */
bool property_score(bool has_rate, double rate, double rate_cap, int64_t rated, int64_t satisfied,
                    double *score);

/* ---- surge warnings ---- */
struct surge {
    double mean;   /* mean of the 8 trailing weekly counts */
    double stddev; /* their population standard deviation */
    bool warning;  /* last7 > mean + 3 × stddev and last7 >= 5 */
};
/* weeks[0..7]: counts of the 8 seven-day windows before the last 7 days. */
void surge_check(int64_t last7, const int64_t weeks[8], struct surge *out);

#endif
