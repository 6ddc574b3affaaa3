/* h_visits.c - issue 6: home visits (POST/GET /visits, GET /visits/due, GET /visits/rules) and
 * their JSON. Decoding and bounds only: who may record or read visits, and what a visit may
 * raise, are app/visits.c's. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/time.h"

static void put(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

static json_t *json_tags(unsigned tags)
{
    json_t *a = json_array();
    for (int t = 0; a && t < VISIT_TAG__COUNT; t++)
        if ((tags >> t) & 1u)
            json_array_append_new(a, json_string(visit_tag_id((enum visit_tag)t)));
    return a;
}

static json_t *json_visit(struct app *app, const struct visit *v)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    char grid[GG_NAME_SZ];
    app_org_name(app, v->grid_id, grid, sizeof grid);
    put(j, "id", json_integer(v->id));
    put(j, "grid_id", json_integer(v->grid_id));
    put(j, "grid_name", jstr_or_null(grid));
    put(j, "officer_id", json_integer(v->officer_id));
    put(j, "person_id", jid(v->person_id));
    put(j, "household_id", jid(v->household_id));
    put(j, "subject_name", json_string(v->subject_name));
    put(j, "tags", json_tags(v->tags));
    put(j, "at", jtime(v->at));
    put(j, "findings", json_string(v->findings));
    put(j, "event_id", jid(v->event_id));
    put(j, "service_order_id", jid(v->order_id));
    return j;
}

static int oom(struct req *r)
{
    return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
}

/* tags: an array of tag ids */
static int tags_in(struct req *r, json_t *b, unsigned *out)
{
    *out = 0;
    json_t *a = json_object_get(b, "tags");
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a) || json_array_size(a) > VISIT_TAG__COUNT)
        return gg_error_set(&r->err, GG_EINVAL, "tags", "tags 应为标签数组");
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        int t = json_is_string(v) ? visit_tag_from_id(json_string_value(v)) : -1;
        if (t < 0)
            return gg_error_set(&r->err, GG_EINVAL, "tags", "未知的走访标签");
        *out |= 1u << t;
    }
    return 0;
}

int http_visits_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct visit_input in = {0};
    const char *at = NULL;
    int rc = jin_int(b, "grid_id", false, 1, INT64_MAX, &in.grid_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "person_id", false, 1, INT64_MAX, &in.person_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "household_id", false, 1, INT64_MAX, &in.household_id, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "subject_name", true, GG_MAX_NAME, &in.subject_name, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "findings", true, VISIT_MAX_FINDINGS, &in.findings, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "at", false, 40, &at, &r->err);
    if (rc >= 0)
        rc = tags_in(r, b, &in.tags);
    if (rc < 0)
        return rc;
    if (at && gg_time_parse(at, &in.at))
        return gg_error_set(&r->err, GG_EINVAL, "at", "at 应为 RFC 3339 时间");
    /* raise: {"event": {category_code, description?, lat, lon}} or
     *        {"service_order": {category_code, title, description?}} */
    struct visit_raise_event ev = {0};
    struct service_ask_input ask = {0};
    json_t *raise = json_object_get(b, "raise");
    if (raise && !json_is_null(raise)) {
        if (!json_is_object(raise))
            return gg_error_set(&r->err, GG_EINVAL, "raise", "raise 应为对象");
        json_t *e = json_object_get(raise, "event");
        json_t *o = json_object_get(raise, "service_order");
        if (json_is_object(e)) {
            rc = jin_str(e, "category_code", true, GG_MAX_CODE, &ev.category_code, &r->err);
            if (!rc)
                rc = jin_num(e, "lat", true, -90, 90, &ev.lat, &r->err);
            if (!rc)
                rc = jin_num(e, "lon", true, -180, 180, &ev.lon, &r->err);
            if (!rc)
                rc = jin_str(e, "description", false, GG_MAX_DESCRIPTION, &ev.description,
                             &r->err);
            if (rc < 0)
                return rc;
            in.event = &ev;
        }
        if (json_is_object(o)) {
            rc = jin_str(o, "category_code", true, GG_MAX_CODE, &ask.category_code, &r->err);
            if (!rc)
                rc = jin_str(o, "title", true, SERVICE_MAX_TITLE, &ask.title, &r->err);
            if (!rc)
                rc = jin_str(o, "description", false, GG_MAX_DESCRIPTION, &ask.description,
                             &r->err);
            if (rc < 0)
                return rc;
            in.service_order = &ask;
        }
        if (!in.event && !in.service_order)
            return gg_error_set(&r->err, GG_EINVAL, "raise",
                                "raise 应含 event 或 service_order 对象");
    }
    struct visit v;
    rc = app_visit_record(r->app, &r->actor, &in, r->now, &v, &r->err);
    if (rc)
        return rc;
    json_t *j = json_visit(r->app, &v);
    if (!j)
        return oom(r);
    reply_json(out, 201, j);
    return 0;
}

int http_visits_list(struct req *r, struct reply *out)
{
    int64_t person = 0, household = 0, before = 0;
    int limit;
    int rc = req_query_int(r, "person_id", 1, INT64_MAX, &person);
    if (rc >= 0)
        rc = req_query_int(r, "household_id", 1, INT64_MAX, &household);
    if (rc < 0)
        return rc;
    rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &before);
    if (rc)
        return rc;
    struct visit *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_visit_list(r->app, &r->actor, person, household, before, limit, &items, &n, &next,
                        &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_visit(r->app, &items[i]));
    free(items);
    char cur[24];
    json_t *j = json_list(a, cursor_text(next, cur));
    if (!j)
        return oom(r);
    reply_json(out, 200, j);
    return 0;
}

int http_visits_due(struct req *r, struct reply *out)
{
    int state = -1;
    const char *st = req_query(r, "state");
    if (st && *st && strcmp(st, "all") != 0) {
        if (strcmp(st, "due") == 0)
            state = VISIT_STATE_DUE;
        else if (strcmp(st, "overdue") == 0)
            state = VISIT_STATE_OVERDUE;
        else
            return gg_error_set(&r->err, GG_EINVAL, "state", "state 应为 due、overdue 或 all");
    }
    struct visit_due *items = NULL;
    size_t n = 0;
    int rc = app_visit_due(r->app, &r->actor, state, r->now, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *row = json_pack("{s:o, s:i, s:o, s:s}", "last_visit",
                                json_visit(r->app, &items[i].last), "interval_days",
                                items[i].interval_days, "due_at", jtime(items[i].due_at), "state",
                                visit_state_id(items[i].state));
        json_array_append_new(a, row);
    }
    free(items);
    json_t *j = json_list(a, NULL);
    if (!j)
        return oom(r);
    reply_json(out, 200, j);
    return 0;
}

int http_visits_rules(struct req *r, struct reply *out)
{
    struct visit_rules rules;
    if (app_visit_rules(r->app, &rules))
        return gg_error_set(&r->err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    json_t *a = json_array();
    for (int t = 0; a && t < VISIT_TAG__COUNT; t++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:i}", "tag",
                                           visit_tag_id((enum visit_tag)t), "name",
                                           visit_tag_zh((enum visit_tag)t), "interval_days",
                                           rules.days[t]));
    json_t *j = json_list(a, NULL);
    if (!j)
        return oom(r);
    reply_json(out, 200, j);
    return 0;
}
