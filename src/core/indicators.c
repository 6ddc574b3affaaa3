/* indicators.c - stage counters of an event, indicators from counters, ranking score, stars and
 * the surge rule. The definitions are written up in docs/indicators.md; change both together.
 * Not here: where counters are stored or summed (store/), scope checks (app/). */
#include "core/indicators.h"

#include <math.h>
#include <stdlib.h>

#include "core/party.h"
#include "core/workflow.h"

static const char *const metric_ids[] = {
#define XX(n, id) id,
    GG_STAT_METRIC_MAP(XX)
#undef XX
};

static const char *const indicator_ids[] = {
#define XX(n, id) id,
    GG_INDICATOR_MAP(XX)
#undef XX
};

static const char *const participation_ids[] = {
#define XX(n, id) id,
    GG_PARTICIPATION_MAP(XX)
#undef XX
};

const char *stat_metric_id(enum stat_metric m)
{
    return (unsigned)m < STAT__COUNT ? metric_ids[m] : "?";
}

const char *indicator_id(enum indicator i)
{
    return (unsigned)i < IND__COUNT ? indicator_ids[i] : "?";
}

const char *participation_id(enum participation_indicator i)
{
    return (unsigned)i < PART__COUNT ? participation_ids[i] : "?";
}

int64_t stat_day(int64_t t)
{
    int64_t d = t / 86400;
    if (t % 86400 < 0)
        d--;
    return d;
}

static void put(struct stat_fact *out, size_t *n, enum stat_metric m, int64_t day, int64_t v)
{
    if (*n >= STAT_MAX_FACTS)
        return; /* cannot happen: at most ~25 facts per event */
    out[*n].metric = m;
    out[*n].day = day;
    out[*n].n = v;
    (*n)++;
}

bool stat_color_moves(const struct event *e)
{
    return !e->suspended && (e->status == EVENT_STATUS_REPORTED ||
                             e->status == EVENT_STATUS_REGISTERED ||
                             e->status == EVENT_STATUS_DISPATCHED ||
                             e->status == EVENT_STATUS_IN_PROGRESS);
}

void stat_color_mark(struct event *e, int64_t now)
{
    if (!stat_color_moves(e)) {
        e->recolor_at = 0;
        return;
    }
    e->color_mark = workflow_color(e->status, false, 0, e->handle_due_at, e->yellow_at, 0, now);
    e->recolor_at = e->color_mark == COLOR_GREEN    ? e->yellow_at
                    : e->color_mark == COLOR_YELLOW ? e->handle_due_at
                                                    : 0;
}

size_t stat_facts(const struct event *e, struct stat_fact *out)
{
    size_t n = 0;
    int64_t day = stat_day(e->reported_at);
    put(out, &n, STAT_TOTAL, day, 1);
    if ((unsigned)e->status < EVENT_STATUS__COUNT)
        put(out, &n, (enum stat_metric)(STAT_ST_REPORTED + (int)e->status), day, 1);
    if ((unsigned)e->source < SOURCE__COUNT)
        put(out, &n, (enum stat_metric)(STAT_SRC_APP + (int)e->source), day, 1);

    /* colour that no longer changes with time */
    if (!stat_color_moves(e) && e->status != EVENT_STATUS_REJECTED &&
        e->status != EVENT_STATUS_MERGED) {
        enum color c = workflow_color(e->status, e->suspended, e->suspended_at, e->handle_due_at,
                                      e->yellow_at, e->handled_at, 0);
        if (c == COLOR_GREEN)
            put(out, &n, STAT_FIXED_GREEN, day, 1);
        else if (c == COLOR_YELLOW)
            put(out, &n, STAT_FIXED_YELLOW, day, 1);
        else if (c == COLOR_RED)
            put(out, &n, STAT_FIXED_RED, day, 1);
    } else if (stat_color_moves(e)) {
        /* the colour as last marked (by the write or the sweep) */
        if (e->color_mark == COLOR_YELLOW)
            put(out, &n, STAT_OPEN_YELLOW, day, 1);
        else if (e->color_mark == COLOR_RED)
            put(out, &n, STAT_OPEN_RED, day, 1);
        else
            put(out, &n, STAT_OPEN_GREEN, day, 1);
    }

    if (e->status == EVENT_STATUS_MERGED)
        return n; /* a duplicate: counted in total and by status/source only */
    put(out, &n, STAT_RECEIVED, day, 1);
    if (e->status == EVENT_STATUS_REJECTED)
        put(out, &n, STAT_REJECTED, day, 1);
    if (!e->registered_at || e->status == EVENT_STATUS_REJECTED)
        return n;
    put(out, &n, STAT_REGISTERED, day, 1);
    put(out, &n, STAT_DUE_HANDLING, day, 1);
    if (e->handled_at) {
        put(out, &n, STAT_HANDLED, day, 1);
        if (e->handled_at <= e->handle_due_at)
            put(out, &n, STAT_HANDLED_ON_TIME, day, 1);
        int64_t secs = e->handled_at - e->registered_at - e->suspended_secs;
        put(out, &n, STAT_HANDLING_SECS, day, secs > 0 ? secs : 0);
    }
    if (e->status == EVENT_STATUS_CLOSED) {
        put(out, &n, STAT_CLOSED, day, 1);
        if (e->closed_at <= e->handle_due_at)
            put(out, &n, STAT_CLOSED_ON_TIME, day, 1);
        if (e->closing_level == LEVEL_GRID)
            put(out, &n, STAT_CLOSED_GRID, day, 1);
        if (e->closing_level <= LEVEL_COMMUNITY)
            put(out, &n, STAT_CLOSED_COMMUNITY, day, 1);
        put(out, &n, STAT_CLOSED_ON_DAY, stat_day(e->closed_at), 1);
    }
    if (e->rework_count > 0)
        put(out, &n, STAT_REWORKED, day, 1);
    if (e->extension_count > 0)
        put(out, &n, STAT_EXTENDED, day, 1);
    if (e->supervise_count > 0)
        put(out, &n, STAT_SUPERVISED, day, 1);
    if (e->escalation_count > 0)
        put(out, &n, STAT_ESCALATED, day, 1);
    if (e->rating != RATING_NONE) {
        put(out, &n, STAT_RATED, day, 1);
        if (e->rating == RATING_SATISFIED)
            put(out, &n, STAT_SATISFIED, day, 1);
        else if (e->rating == RATING_BASIC)
            put(out, &n, STAT_BASIC, day, 1);
        else
            put(out, &n, STAT_UNSATISFIED, day, 1);
    }
    /* lateness that is settled: handled after the deadline, or suspended after it passed */
    bool late = e->handled_at ? e->handled_at > e->handle_due_at
                              : (e->suspended && e->suspended_at >= e->handle_due_at);
    if (late)
        put(out, &n, STAT_LATE_ON_DUE_DAY, stat_day(e->handle_due_at), 1);
    return n;
}

bool stat_fact_action(enum event_action a, int64_t reported_at, struct stat_fact *out)
{
    if (a != EVENT_ACTION_DISPATCH && a != EVENT_ACTION_RETURN)
        return false;
    out->metric = a == EVENT_ACTION_DISPATCH ? STAT_DISPATCHES : STAT_RETURNS;
    out->day = stat_day(reported_at);
    out->n = 1;
    return true;
}

static void rate(struct indicators *out, enum indicator i, int64_t num, int64_t den)
{
    out->valid[i] = den > 0;
    out->v[i] = den > 0 ? (double)num / (double)den : 0;
}

void indicators_compute(const int64_t c[STAT__COUNT], struct indicators *out)
{
    rate(out, IND_REGISTRATION_RATE, c[STAT_REGISTERED], c[STAT_RECEIVED]);
    int64_t ok = c[STAT_DISPATCHES] - c[STAT_RETURNS];
    rate(out, IND_DISPATCH_ACCURACY, ok > 0 ? ok : 0, c[STAT_DISPATCHES]);
    rate(out, IND_HANDLING_RATE, c[STAT_HANDLED], c[STAT_DUE_HANDLING]);
    rate(out, IND_ON_TIME_HANDLING_RATE, c[STAT_HANDLED_ON_TIME], c[STAT_DUE_HANDLING]);
    rate(out, IND_CLOSURE_RATE, c[STAT_CLOSED], c[STAT_DUE_HANDLING]);
    rate(out, IND_ON_TIME_CLOSURE_RATE, c[STAT_CLOSED_ON_TIME], c[STAT_DUE_HANDLING]);
    rate(out, IND_REWORK_RATE, c[STAT_REWORKED], c[STAT_DUE_HANDLING]);
    rate(out, IND_EXTENSION_RATE, c[STAT_EXTENDED], c[STAT_DUE_HANDLING]);
    rate(out, IND_SATISFACTION_RATE, c[STAT_SATISFIED] + c[STAT_BASIC], c[STAT_RATED]);
    rate(out, IND_GRID_RESOLUTION_RATE, c[STAT_CLOSED_GRID], c[STAT_CLOSED]);
    rate(out, IND_COMMUNITY_RESOLUTION_RATE, c[STAT_CLOSED_COMMUNITY], c[STAT_CLOSED]);
    out->valid[IND_MEAN_HANDLING_HOURS] = c[STAT_HANDLED] > 0;
    out->v[IND_MEAN_HANDLING_HOURS] =
        c[STAT_HANDLED] > 0 ? (double)c[STAT_HANDLING_SECS] / 3600.0 / (double)c[STAT_HANDLED]
                            : 0;
}

bool ranking_score(const struct indicators *ind, double *score)
{
    return ranking_score_with(ind, NULL, score);
}

void participation_compute(const struct participation_counts *c, struct participation *out)
{
#define PRATE(i, num, den)                                                                         \
    do {                                                                                           \
        out->valid[i] = (den) > 0;                                                                 \
        out->v[i] = (den) > 0 ? (double)(num) / (double)(den) : 0;                                 \
    } while (0)
    PRATE(PART_SERVICE_COMPLETION_RATE, c->orders_completed, c->orders);
    PRATE(PART_SERVICE_MEAN_RATING, c->rating_sum, c->orders_rated);
    PRATE(PART_VISIT_COMPLIANCE, c->visits_on_time, c->visits_due);
    int64_t met = c->meeting_windows - c->meeting_gaps;
    PRATE(PART_MEETING_COMPLIANCE, met > 0 ? met : 0, c->meeting_windows);
    PRATE(PART_TASK_BLUE_RATE, c->tasks_blue, c->tasks);
    PRATE(PART_TASK_YELLOW_RATE, c->tasks_yellow, c->tasks);
    PRATE(PART_TASK_RED_RATE, c->tasks_red, c->tasks);
#undef PRATE
}

/* A weighted mean over the parts that are defined. */
struct wmean {
    double sum, w;
};

static void wm_add(struct wmean *m, bool valid, double weight, double v)
{
    if (!valid)
        return;
    m->sum += weight * v;
    m->w += weight;
}

static bool wm_score(const struct wmean *m, double *score)
{
    if (m->w <= 0)
        return false;
    *score = 100.0 * m->sum / m->w;
    return true;
}

bool ranking_score_with(const struct indicators *ind, const struct participation *p, double *score)
{
    static const struct {
        enum indicator i;
        double w;
        bool inverse;
    } parts[] = {
        {IND_ON_TIME_HANDLING_RATE, 25, false}, {IND_ON_TIME_CLOSURE_RATE, 25, false},
        {IND_SATISFACTION_RATE, 20, false},     {IND_CLOSURE_RATE, 15, false},
        {IND_REWORK_RATE, 10, true},            {IND_EXTENSION_RATE, 5, true},
    };
    struct wmean m = {0, 0};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        double v = ind->v[parts[k].i];
        wm_add(&m, ind->valid[parts[k].i], parts[k].w, parts[k].inverse ? 1.0 - v : v);
    }
    if (p) {
        wm_add(&m, p->valid[PART_SERVICE_COMPLETION_RATE], 10, p->v[PART_SERVICE_COMPLETION_RATE]);
        wm_add(&m, p->valid[PART_SERVICE_MEAN_RATING], 10,
               (p->v[PART_SERVICE_MEAN_RATING] - 1.0) / 4.0);
        wm_add(&m, p->valid[PART_VISIT_COMPLIANCE], 10, p->v[PART_VISIT_COMPLIANCE]);
        wm_add(&m, p->valid[PART_MEETING_COMPLIANCE], 10, p->v[PART_MEETING_COMPLIANCE]);
        wm_add(&m, p->valid[PART_TASK_BLUE_RATE], 10,
               p->v[PART_TASK_BLUE_RATE] + 0.5 * p->v[PART_TASK_YELLOW_RATE]);
    }
    return wm_score(&m, score);
}

bool participation_months(int64_t from, int64_t to, int64_t now, int *m_from, int *m_to)
{
    int64_t end = to > 0 && to < now ? to : now;
    int hi = party_month_of_day(stat_day(end));
    int lo;
    if (from <= 0) {
        lo = hi - 12;
    } else {
        int64_t d = stat_day(from);
        lo = party_month_of_day(d);
        /* a period starting after the 1st, or after midnight, leaves its first month partial */
        if (from % 86400 != 0 || party_month_of_day(d - 1) == lo)
            lo++;
    }
    if (lo < hi - 60)
        lo = hi - 60;
    if (lo < 0)
        lo = 0;
    if (lo >= hi)
        return false;
    *m_from = lo;
    *m_to = hi;
    return true;
}

bool cadre_score(const struct cadre_counts *c, int64_t max_completed, double *score)
{
    struct wmean m = {0, 0};
    if (c->rated > 0)
        wm_add(&m, true, 40, ((double)c->rating_sum / (double)c->rated - 1.0) / 4.0);
    if (c->reviewed > 0)
        wm_add(&m, true, 20, ((double)c->review_sum / (double)c->reviewed - 1.0) / 4.0);
    if (c->claimed > 0)
        wm_add(&m, true, 25, (double)c->completed / (double)c->claimed);
    if (max_completed > 0)
        wm_add(&m, true, 15, (double)c->completed / (double)max_completed);
    return wm_score(&m, score);
}

int ranking_stars(double score, const double t[4])
{
    int stars = 1;
    for (int k = 0; k < 4; k++)
        if (score >= t[k])
            stars = k + 2;
    return stars;
}

int ranking_parse_thresholds(const char *s, double out[4])
{
    double t[4];
    const char *p = s;
    if (!p)
        return -1;
    for (int k = 0; k < 4; k++) {
        char *end;
        t[k] = strtod(p, &end);
        if (end == p || t[k] < 0 || t[k] > 100 || (k > 0 && t[k] < t[k - 1]))
            return -1;
        p = end;
        while (*p == ' ')
            p++;
        if (k < 3) {
            if (*p != ',')
                return -1;
            p++;
        }
    }
    if (*p)
        return -1;
    for (int k = 0; k < 4; k++)
        out[k] = t[k];
    return 0;
}

bool dept_score(int64_t whistles, int64_t on_time, int64_t ratings, int64_t score_sum,
                double *score)
{
    double sum = 0, w = 0;
    if (ratings > 0) {
        double mean = (double)score_sum / (double)ratings;
        sum += 70.0 * (mean - 1.0) / 4.0;
        w += 70.0;
    }
    if (whistles > 0) {
        sum += 30.0 * (double)on_time / (double)whistles;
        w += 30.0;
    }
    if (w <= 0)
        return false;
    *score = 100.0 * sum / w;
    return true;
}

bool property_rate(int64_t complaints, int64_t households, double *rate)
{
    if (households <= 0)
        return false;
    *rate = 1000.0 * (double)complaints / (double)households;
    return true;
}

bool property_score(bool has_rate, double rate, double rate_cap, int64_t rated, int64_t satisfied,
                    double *score)
{
    double sum = 0, w = 0;
    if (has_rate && rate_cap > 0) {
        double part = 1.0 - rate / rate_cap;
        sum += 60.0 * (part > 0 ? part : 0);
        w += 60.0;
    }
    if (rated > 0) {
        sum += 40.0 * (double)satisfied / (double)rated;
        w += 40.0;
    }
    if (w <= 0)
        return false;
    *score = 100.0 * sum / w;
    return true;
}

void surge_check(int64_t last7, const int64_t weeks[8], struct surge *out)
{
    double mean = 0;
    for (int k = 0; k < 8; k++)
        mean += (double)weeks[k];
    mean /= 8.0;
    double var = 0;
    for (int k = 0; k < 8; k++)
        var += ((double)weeks[k] - mean) * ((double)weeks[k] - mean);
    var /= 8.0;
    out->mean = mean;
    out->stddev = sqrt(var);
    out->warning = last7 >= 5 && (double)last7 > mean + 3.0 * out->stddev;
}
