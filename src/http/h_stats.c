/* h_stats.c - GET /stats/summary, /stats/indicators, /stats/trend, /stats/ranking and
 * /stats/hotspots: query decoding (org, period) and JSON encoding. Counting, scope and roles are
 * app/stats.c's; the formulas core/indicators.c's (docs/indicators.md). */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

static int oom(struct req *r)
{
    return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
}

/* org_id (0 when absent), from, to */
static int query_scope(struct req *r, const char *org_name, int64_t *org_id, int64_t *from,
                       int64_t *to)
{
    *org_id = *from = *to = 0;
    int rc = req_query_int(r, org_name, 1, INT64_MAX, org_id);
    if (rc < 0)
        return rc;
    rc = req_query_time(r, "from", from);
    if (rc < 0)
        return rc;
    rc = req_query_time(r, "to", to);
    return rc < 0 ? rc : 0;
}

/* period=YYYY | YYYY-MM | YYYY-Qn (UTC), as an alternative to from/to */
static int query_period(struct req *r, int64_t *from, int64_t *to)
{
    const char *p = req_query(r, "period");
    if (!p || !*p)
        return 0;
    int y = 0, m = 0, q = 0;
    char tail = 0;
    size_t len = strlen(p);
    if (len == 4 && sscanf(p, "%4d%c", &y, &tail) == 1) {
        *from = gg_days_from_civil(y, 1, 1) * 86400;
        *to = gg_days_from_civil(y + 1, 1, 1) * 86400;
    } else if (len == 7 && p[4] == '-' && p[5] == 'Q' && sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 &&
               q >= 1 && q <= 4) {
        *from = gg_days_from_civil(y, (q - 1) * 3 + 1, 1) * 86400;
        *to = q == 4 ? gg_days_from_civil(y + 1, 1, 1) * 86400
                     : gg_days_from_civil(y, q * 3 + 1, 1) * 86400;
    } else if (len == 7 && p[4] == '-' && sscanf(p, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 &&
               m <= 12) {
        *from = gg_days_from_civil(y, m, 1) * 86400;
        *to = m == 12 ? gg_days_from_civil(y + 1, 1, 1) * 86400
                      : gg_days_from_civil(y, m + 1, 1) * 86400;
    } else {
        return gg_error_set(&r->err, GG_EINVAL, "period",
                            "period 应为 2026、2026-11 或 2026-Q4 这样的年、月或季度");
    }
    if (y < 1970 || y > 9999)
        return gg_error_set(&r->err, GG_EINVAL, "period", "period 年份超出范围");
    return 0;
}

static json_t *jrate(const struct indicators *ind, enum indicator i)
{
    return ind->valid[i] ? json_real(ind->v[i]) : json_null();
}

static json_t *json_indicators(const struct indicators *ind, const int64_t *counts)
{
    json_t *o = json_object();
    for (int i = 0; o && i < IND__COUNT; i++)
        json_object_set_new(o, indicator_id((enum indicator)i), jrate(ind, (enum indicator)i));
    json_t *c = json_object();
    static const enum stat_metric shown[] = {
        STAT_TOTAL,           STAT_RECEIVED,         STAT_REGISTERED,     STAT_REJECTED,
        STAT_DISPATCHES,      STAT_RETURNS,          STAT_DUE_HANDLING,   STAT_HANDLED,
        STAT_HANDLED_ON_TIME, STAT_CLOSED,           STAT_CLOSED_ON_TIME, STAT_REWORKED,
        STAT_EXTENDED,        STAT_RATED,            STAT_SATISFIED,      STAT_BASIC,
        STAT_UNSATISFIED,     STAT_CLOSED_GRID,      STAT_CLOSED_COMMUNITY, STAT_HANDLING_SECS,
        STAT_SUPERVISED,      STAT_ESCALATED,
    };
    for (size_t i = 0; c && i < sizeof shown / sizeof shown[0]; i++)
        json_object_set_new(c, stat_metric_id(shown[i]), json_integer(counts[shown[i]]));
    if (o && c)
        json_object_set_new(o, "counts", c);
    else {
        json_decref(o);
        json_decref(c);
        o = NULL;
    }
    return o;
}

static void add_period(json_t *o, const struct org *org, int64_t from, int64_t to)
{
    json_object_set_new(o, "org", json_org_brief(org));
    json_object_set_new(o, "from", jtime(from));
    json_object_set_new(o, "to", jtime(to));
}

int http_stats_summary(struct req *r, struct reply *out)
{
    int64_t org_id, from, to;
    int rc = query_scope(r, "org_id", &org_id, &from, &to);
    if (rc)
        return rc;
    struct stats_summary s;
    rc = app_stats_summary(r->app, &r->actor, org_id, from, to, r->now, &s, &r->err);
    if (rc)
        return rc;
    json_t *o = json_object(), *st = json_object(), *co = json_object(), *so = json_object(),
           *ca = json_array();
    if (!o || !st || !co || !so || !ca) {
        json_decref(o);
        json_decref(st);
        json_decref(co);
        json_decref(so);
        json_decref(ca);
        app_stats_summary_release(&s);
        return oom(r);
    }
    add_period(o, &s.org, from, to);
    json_object_set_new(o, "total", json_integer(s.total));
    for (int i = 0; i < EVENT_STATUS__COUNT; i++)
        json_object_set_new(st, event_status_id((enum event_status)i), json_integer(s.by_status[i]));
    for (int i = 0; i < COLOR__COUNT; i++)
        json_object_set_new(co, color_id((enum color)i), json_integer(s.by_color[i]));
    for (int i = 0; i < SOURCE__COUNT; i++)
        json_object_set_new(so, source_id((enum event_source)i), json_integer(s.by_source[i]));
    for (size_t i = 0; i < s.n_categories; i++)
        json_array_append_new(ca, json_pack("{s:s, s:s, s:I}", "code", s.by_category[i].code,
                                            "name", s.by_category[i].name, "count",
                                            (json_int_t)s.by_category[i].count));
    json_object_set_new(o, "by_status", st);
    json_object_set_new(o, "by_color", co);
    json_object_set_new(o, "by_source", so);
    json_object_set_new(o, "by_category", ca);
    app_stats_summary_release(&s);
    reply_json(out, 200, o);
    return 0;
}

int http_stats_indicators(struct req *r, struct reply *out)
{
    int64_t org_id, from, to;
    int rc = query_scope(r, "org_id", &org_id, &from, &to);
    if (rc)
        return rc;
    struct stats_indicators s;
    rc = app_stats_indicators(r->app, &r->actor, org_id, from, to, &s, &r->err);
    if (rc)
        return rc;
    json_t *o = json_indicators(&s.ind, s.counts);
    if (!o)
        return oom(r);
    add_period(o, &s.org, from, to);
    reply_json(out, 200, o);
    return 0;
}

int http_stats_trend(struct req *r, struct reply *out)
{
    int64_t org_id, from, to;
    int rc = query_scope(r, "org_id", &org_id, &from, &to);
    if (rc)
        return rc;
    const char *b = req_query(r, "bucket");
    bool weekly = false;
    if (b && *b) {
        if (strcmp(b, "week") == 0)
            weekly = true;
        else if (strcmp(b, "day") != 0)
            return gg_error_set(&r->err, GG_EINVAL, "bucket", "bucket 应为 day 或 week");
    }
    struct trend_point *pts = NULL;
    size_t n = 0;
    rc = app_stats_trend(r->app, &r->actor, org_id, from, to, weekly, r->now, &pts, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:o, s:I, s:I, s:I}", "bucket_start",
                                           jtime(pts[i].bucket_start), "reported",
                                           (json_int_t)pts[i].reported, "closed",
                                           (json_int_t)pts[i].closed, "overdue",
                                           (json_int_t)pts[i].overdue));
    free(pts);
    if (!a)
        return oom(r);
    reply_json(out, 200, a);
    return 0;
}

/* issue 6 item 8: what service orders, visits, meetings and tasks add to a unit's ranking */
static json_t *json_participation(const struct participation_counts *c,
                                  const struct participation *p)
{
    json_t *o = json_object();
    if (!o)
        return json_null();
    static const char *const names[] = {
        "service_orders", "service_completed", "service_rated",   "visits_due",   "visits_on_time",
        "visits_overdue", "party_branches",    "meeting_windows", "meeting_gaps", "tasks",
        "tasks_blue",     "tasks_yellow",      "tasks_red"};
    const int64_t vals[] = {c->orders,     c->orders_completed, c->orders_rated,
                            c->visits_due, c->visits_on_time,   c->visits_due - c->visits_on_time,
                            c->branches,   c->meeting_windows,  c->meeting_gaps,
                            c->tasks,      c->tasks_blue,       c->tasks_yellow,
                            c->tasks_red};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        json_object_set_new(o, names[i], json_integer(vals[i]));
    for (int i = 0; i < PART__COUNT; i++)
        json_object_set_new(o, participation_id((enum participation_indicator)i),
                            p->valid[i] ? json_real(p->v[i]) : json_null());
    return o;
}

/* issue 6 item 8: GET /stats/ranking?kind=cadres (下沉干部评价) */
static int ranking_cadres(struct req *r, struct reply *out, int64_t org_id, int64_t from,
                          int64_t to)
{
    struct cadre_rank_item *items = NULL;
    size_t n = 0;
    int rc = app_stats_cadres(r->app, &r->actor, org_id, from, to, &items, &n, &r->err);
    if (rc)
        return rc;
    double thr[4];
    app_stats_thresholds(r->app, thr);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        const struct rank_cadre_row *c = &items[i].c;
        json_t *it = json_pack(
            "{s:i, s:I, s:s, s:s, s:{s:I, s:s}, s:o, s:I, s:I, s:I, s:o, s:I, s:o, s:I, s:o,"
            " s:I, s:o, s:o}",
            "rank", items[i].rank, "member_id", (json_int_t)c->member_id, "name", c->name, "kind",
            member_kind_id((enum member_kind)c->kind), "party_org", "id",
            (json_int_t)c->party_org_id, "name", c->party_org_name, "user_id",
            c->user_id ? json_integer(c->user_id) : json_null(), "report_ins",
            (json_int_t)c->report_ins, "orders_claimed", (json_int_t)c->claimed, "orders_completed",
            (json_int_t)c->completed, "completion_rate",
            c->claimed ? json_real((double)c->completed / (double)c->claimed) : json_null(),
            "rated", (json_int_t)c->rated, "mean_rating",
            c->rated ? json_real((double)c->rating_sum / (double)c->rated) : json_null(),
            "reviewed", (json_int_t)c->reviewed, "mean_review",
            c->reviewed ? json_real((double)c->review_sum / (double)c->reviewed) : json_null(),
            "points", (json_int_t)c->points, "score",
            items[i].has_score ? json_real(items[i].score) : json_null(), "stars",
            items[i].has_score ? json_integer(items[i].stars) : json_null());
        if (it)
            json_array_append_new(a, it);
    }
    free(items);
    if (!a)
        return oom(r);
    json_t *o =
        json_pack("{s:s, s:I, s:o, s:o, s:[f, f, f, f], s:o}", "kind", "cadres", "org_id",
                  (json_int_t)(org_id ? org_id : r->actor.scope_org_id), "from", jtime(from), "to",
                  jtime(to), "star_thresholds", thr[0], thr[1], thr[2], thr[3], "items", a);
    if (!o)
        return oom(r);
    reply_json(out, 200, o);
    return 0;
}

int http_stats_ranking(struct req *r, struct reply *out)
{
    int64_t parent_id, from, to;
    int rc = query_scope(r, "parent_id", &parent_id, &from, &to);
    if (!rc)
        rc = query_period(r, &from, &to);
    if (rc)
        return rc;
    /* issue 4: kind=departments (reverse evaluation) and kind=property (red/black list);
     * issue 6: kind=cadres (下沉干部评价) */
    const char *kind = req_query(r, "kind");
    if (kind && *kind && strcmp(kind, "units") != 0) {
        if (strcmp(kind, "departments") == 0)
            return http_ranking_departments(r, out, parent_id, from, to);
        if (strcmp(kind, "property") != 0 && strcmp(kind, "cadres") != 0)
            return gg_error_set(&r->err, GG_EINVAL, "kind",
                                "kind 应为 units、departments、property 或 cadres");
        if (!parent_id && req_query_int(r, "org_id", 1, INT64_MAX, &parent_id) < 0)
            return -GG_EINVAL;
        if (strcmp(kind, "cadres") == 0)
            return ranking_cadres(r, out, parent_id, from, to);
        return http_ranking_property(r, out, parent_id, from, to);
    }
    struct ranking_item *items = NULL;
    size_t n = 0;
    rc = app_stats_ranking(r->app, &r->actor, parent_id, from, to, r->now, &items, &n, &r->err);
    if (rc)
        return rc;
    double thr[4];
    app_stats_thresholds(r->app, thr);
    json_t *o = json_object(), *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *it = json_object();
        json_t *ind = json_indicators(&items[i].ind, items[i].counts);
        if (!it || !ind) {
            json_decref(it);
            json_decref(ind);
            continue;
        }
        json_object_set_new(it, "rank", json_integer(items[i].rank));
        json_object_set_new(it, "org", json_org_brief(&items[i].org));
        json_object_set_new(it, "score",
                            items[i].has_score ? json_real(items[i].score) : json_null());
        json_object_set_new(it, "stars", items[i].has_score ? json_integer(items[i].stars)
                                                            : json_null());
        json_object_set_new(it, "indicators", ind);
        json_object_set_new(it, "participation", json_participation(&items[i].pc, &items[i].part));
        json_array_append_new(a, it);
    }
    free(items);
    if (!o || !a) {
        json_decref(o);
        json_decref(a);
        return oom(r);
    }
    json_object_set_new(o, "parent_id", parent_id ? json_integer(parent_id)
                                                  : json_integer(r->actor.scope_org_id));
    json_object_set_new(o, "from", jtime(from));
    json_object_set_new(o, "to", jtime(to));
    json_object_set_new(o, "star_thresholds",
                        json_pack("[f, f, f, f]", thr[0], thr[1], thr[2], thr[3]));
    json_object_set_new(o, "items", a);
    reply_json(out, 200, o);
    return 0;
}

int http_stats_hotspots(struct req *r, struct reply *out)
{
    int64_t org_id, from, to;
    int rc = query_scope(r, "org_id", &org_id, &from, &to);
    if (rc)
        return rc;
    struct stats_hotspots h;
    rc = app_stats_hotspots(r->app, &r->actor, org_id, from, to, r->now, &h, &r->err);
    if (rc)
        return rc;
    json_t *o = json_object(), *g = json_array(), *p = json_array(), *s = json_array();
    for (size_t i = 0; g && i < h.n_grids; i++)
        json_array_append_new(g, json_pack("{s:I, s:s, s:s, s:I}", "id",
                                           (json_int_t)h.grids[i].grid_id, "code", h.grids[i].code,
                                           "name", h.grids[i].name, "count",
                                           (json_int_t)h.grids[i].count));
    for (size_t i = 0; p && i < h.n_places; i++)
        json_array_append_new(p, json_pack("{s:f, s:f, s:I}", "lat", h.places[i].lat, "lon",
                                           h.places[i].lon, "count",
                                           (json_int_t)h.places[i].count));
    for (size_t i = 0; s && i < h.n_surges; i++) {
        const struct surge_warning *w = &h.surges[i];
        json_array_append_new(s, json_pack("{s:I, s:s, s:s, s:s, s:I, s:f, s:f}", "grid_id",
                                           (json_int_t)w->grid_id, "grid_name", w->grid_name,
                                           "category_code", w->category, "category_name",
                                           w->category_name, "last_7_days", (json_int_t)w->last7,
                                           "weekly_mean", w->mean, "weekly_stddev", w->stddev));
    }
    int64_t until = h.surge_until;
    app_stats_hotspots_release(&h);
    if (!o || !g || !p || !s) {
        json_decref(o);
        json_decref(g);
        json_decref(p);
        json_decref(s);
        return oom(r);
    }
    json_object_set_new(o, "grids", g);
    json_object_set_new(o, "locations", p);
    json_object_set_new(o, "surges", s);
    json_object_set_new(o, "surge_window_end", jtime(until));
    reply_json(out, 200, o);
    return 0;
}

/* ---- messages and settings ---- */

int http_messages_list(struct req *r, struct reply *out)
{
    int limit = 0;
    int64_t cursor = 0;
    int rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &cursor);
    if (rc)
        return rc;
    const char *u = req_query(r, "unread");
    bool unread = u && (strcmp(u, "1") == 0 || strcmp(u, "true") == 0);
    struct message *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_message_list(r->app, &r->actor, unread, cursor, limit, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:o, s:b}", "id",
                                           (json_int_t)items[i].id, "kind", items[i].kind,
                                           "event_id", jid(items[i].event_id), "title",
                                           items[i].title, "body", items[i].body, "at",
                                           jtime(items[i].at), "read_at", jtime(items[i].read_at),
                                           "read", items[i].read_at != 0));
    free(items);
    char cur[24];
    json_t *j = json_list(a, cursor_text(next, cur));
    if (!j)
        return oom(r);
    reply_json(out, 200, j);
    return 0;
}

int http_messages_read(struct req *r, struct reply *out)
{
    int rc = app_message_read(r->app, &r->actor, r->id, r->now, &r->err);
    if (rc)
        return rc;
    reply_json(out, 200, json_pack("{s:I, s:b}", "id", (json_int_t)r->id, "read", 1));
    return 0;
}

int http_settings_put(struct req *r, struct reply *out)
{
    const char *key = NULL, *value = NULL;
    int rc = jin_str(req_body(r), "key", true, 64, &key, &r->err);
    if (rc)
        return rc;
    rc = jin_str(req_body(r), "value", false, 512, &value, &r->err);
    if (rc < 0)
        return rc;
    rc = app_setting_put(r->app, &r->actor, key, value, r->now, &r->err);
    if (rc)
        return rc;
    bool secret = strcmp(key, "webhook.secret") == 0;
    reply_json(out, 200, json_pack("{s:s, s:o}", "key", key, "value",
                                   secret ? json_string("******") : json_string(value ? value : "")));
    return 0;
}
