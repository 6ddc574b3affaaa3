/* h_events.c - POST /events (intake), GET /events/{id}, GET /events (filters and cursor
 * paging) and POST /events/{id}/actions (the workflow).
 *
 * Decodes and bounds every field, spells enums with the model's ids, and encodes events with
 * their timeline. Which action a role may take in which state, routing, deadlines and scope
 * are app/'s and core/'s: their -GG_EFORBIDDEN / -GG_ECONFLICT / -GG_ENOTFOUND come back as
 * they are. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

#define MAX_ATTACHMENTS 32
#define MAX_DEPARTMENTS 64
#define MAX_DEVICE_ID 64

static int reply_view(struct req *r, struct reply *out, int status, struct event_view *v)
{
    struct jw w;
    jw_init(&w);
    jw_event_view(&w, v);
    app_event_view_release(v);
    return jw_reply(r, out, status, &w);
}

int http_events_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct event_input in;
    memset(&in, 0, sizeof in);
    int source = 0;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    int rc = jin_str(b, "category_code", true, GG_MAX_CODE, &in.category_code, &r->err);
    if (!rc)
        rc = jin_str(b, "description", true, GG_MAX_DESCRIPTION, &in.description, &r->err);
    if (!rc)
        rc = jin_num(b, "lat", true, -90, 90, &in.lat, &r->err);
    if (!rc)
        rc = jin_num(b, "lon", true, -180, 180, &in.lon, &r->err);
    if (!rc)
        rc = jin_enum(b, "source", true, source_from_id, SOURCE__COUNT, &source, &r->err);
    if (rc)
        return rc;
    in.source = (enum event_source)source;
    rc = jin_str(b, "address", false, GG_MAX_ADDRESS, &in.address, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_str(b, "device_id", false, MAX_DEVICE_ID, &in.device_id, &r->err);
    if (rc < 0)
        return rc;
    if (in.device_id && strlen(in.device_id) > MAX_DEVICE_ID)
        return gg_error_set(&r->err, GG_EINVAL, "device_id", "device_id 过长");
    rc = jin_ids(b, "attachment_ids", false, &ids, &n_ids, &r->err);
    if (rc < 0)
        return rc;
    if (n_ids > MAX_ATTACHMENTS) {
        free(ids);
        return gg_error_set(&r->err, GG_EINVAL, "attachment_ids", "一个事件最多 %d 张图片",
                            MAX_ATTACHMENTS);
    }
    in.attachment_ids = ids;
    in.n_attachments = n_ids;
    struct event_view v;
    memset(&v, 0, sizeof v);
    rc = app_event_report(r->app, &r->actor, &in, r->now, &v, &r->err);
    free(ids);
    if (rc)
        return rc;
    return reply_view(r, out, 201, &v);
}

int http_events_get(struct req *r, struct reply *out)
{
    struct event_view v;
    memset(&v, 0, sizeof v);
    int rc = app_event_get(r->app, &r->actor, r->id, r->now, &v, &r->err);
    if (rc)
        return rc;
    return reply_view(r, out, 200, &v);
}

/* an enum query parameter: -1 when absent, 422 when unknown */
static int query_enum(struct req *r, const char *name, int (*from_id)(const char *), int max,
                      int *out)
{
    const char *v = req_query(r, name);
    *out = -1;
    if (!v || !*v)
        return 0;
    int x = from_id(v);
    if (x < 0 || x >= max)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 的取值无效", name);
    *out = x;
    return 0;
}

/* a text query parameter copied into dst: valid UTF-8, at most max_cp code points */
static int query_text(struct req *r, const char *name, size_t max_cp, char *dst, size_t sz)
{
    const char *v = req_query(r, name);
    dst[0] = '\0';
    if (!v || !*v)
        return 0;
    size_t n = strlen(v);
    if (!gg_utf8_valid(v, n))
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 含有无效字符", name);
    if (gg_utf8_count(v, n) > max_cp || n >= sz)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 过长", name);
    memcpy(dst, v, n + 1);
    return 0;
}

int http_event_filter(struct req *r, struct event_filter *f, bool *nothing)
{
    memset(f, 0, sizeof *f);
    f->now = r->now;
    *nothing = false;
    int rc = query_enum(r, "status", event_status_from_id, EVENT_STATUS__COUNT, &f->status);
    if (!rc)
        rc = query_enum(r, "color", color_from_id, COLOR__COUNT, &f->color);
    if (!rc)
        rc = query_enum(r, "source", source_from_id, SOURCE__COUNT, &f->source);
    if (!rc)
        rc = query_text(r, "category", GG_MAX_CODE, f->category, sizeof f->category);
    if (!rc)
        rc = query_text(r, "q", GG_MAX_NAME, f->q, sizeof f->q);
    if (rc)
        return rc;
    rc = req_query_time(r, "from", &f->from);
    if (rc >= 0)
        rc = req_query_time(r, "to", &f->to);
    if (rc >= 0)
        rc = req_query_int(r, "reporter_id", 1, INT64_MAX, &f->reporter_id);
    int64_t org_id = 0;
    if (rc >= 0)
        rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc < 0)
        return rc;
    if (org_id) {
        /* an org the caller cannot see filters everything out (lists never reveal) */
        struct org o;
        struct gg_error oe = {0};
        rc = app_org_get(r->app, &r->actor, org_id, &o, NULL, NULL, &oe);
        if (rc == -GG_ENOTFOUND) {
            *nothing = true;
        } else if (rc) {
            r->err = oe;
            return rc;
        } else {
            memcpy(f->org_path, o.path, sizeof f->org_path);
        }
    }
    return 0;
}

int http_events_list(struct req *r, struct reply *out)
{
    struct event_filter f;
    bool nothing = false;
    int rc = http_event_filter(r, &f, &nothing);
    if (rc)
        return rc;
    if (nothing) {
        json_t *empty = json_list(json_array(), NULL);
        if (!empty)
            return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
        reply_json(out, 200, empty);
        return 0;
    }
    rc = req_limit(r, &f.limit);
    if (!rc)
        rc = req_cursor(r, &f.before_id);
    if (rc)
        return rc;
    struct event *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_event_list(r->app, &r->actor, &f, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    struct jw w;
    jw_init(&w);
    jw_lit(&w, "{\"items\":[");
    struct category c;
    for (size_t i = 0; i < n; i++) {
        const char *cname =
            app_category_get(r->app, items[i].category_code, &c) == 0 ? c.name : NULL;
        char grid[GG_NAME_SZ], assignee[GG_NAME_SZ];
        app_org_name(r->app, items[i].grid_id, grid, sizeof grid);
        app_org_name(r->app, items[i].assignee_org_id, assignee, sizeof assignee);
        if (i)
            jw_lit(&w, ",");
        jw_event(&w, &items[i], cname, grid, assignee);
    }
    free(items);
    char cur[24];
    jw_lit(&w, "],\"next_cursor\":");
    jw_str_or_null(&w, cursor_text(next, cur));
    jw_lit(&w, "}");
    return jw_reply(r, out, 200, &w);
}

int http_events_act(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct action_input in;
    memset(&in, 0, sizeof in);
    int action = 0, rating = RATING_NONE;
    int64_t org_id = 0, merge_into = 0, extend = 0, version = 0;
    int64_t *depts = NULL;
    size_t n_depts = 0;
    int rc = jin_enum(b, "action", true, event_action_from_id, EVENT_ACTION__CLIENT_COUNT, &action,
                      &r->err);
    if (rc)
        return rc;
    rc = jin_str(b, "note", false, GG_MAX_NOTE, &in.note, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "org_id", false, 1, INT64_MAX, &org_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "merge_into", false, 1, INT64_MAX, &merge_into, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "extend_hours", false, 1, 8760, &extend, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "rating", false, rating_from_id, RATING__COUNT, &rating, &r->err);
    if (rc < 0)
        return rc;
    if (rating == RATING_NONE && json_object_get(b, "rating") &&
        !json_is_null(json_object_get(b, "rating")))
        return gg_error_set(&r->err, GG_EINVAL, "rating",
                            "rating 应为 satisfied、basic 或 unsatisfied");
    /* optimistic concurrency: "version" (as the event shows it) or "expected_version" */
    rc = jin_int(b, "expected_version", false, 1, INT64_MAX, &version, &r->err);
    if (rc == 1)
        rc = jin_int(b, "version", false, 1, INT64_MAX, &version, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_ids(b, "departments", false, &depts, &n_depts, &r->err);
    if (rc < 0)
        return rc;
    if (n_depts > MAX_DEPARTMENTS) {
        free(depts);
        return gg_error_set(&r->err, GG_EINVAL, "departments", "一次最多 %d 个部门",
                            MAX_DEPARTMENTS);
    }
    in.action = (enum event_action)action;
    in.org_id = org_id;
    in.departments = depts;
    in.n_departments = n_depts;
    in.rating = (enum rating)rating;
    in.extend_hours = (int)extend;
    in.merge_into = merge_into;
    in.expected_version = version;
    struct event_view v;
    memset(&v, 0, sizeof v);
    rc = app_event_act(r->app, &r->actor, r->id, &in, r->now, &v, &r->err);
    free(depts);
    if (rc)
        return rc;
    return reply_view(r, out, 200, &v);
}
