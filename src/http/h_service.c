/* h_service.c - issue 6: service orders (POST/GET /service-orders, GET /service-orders/{id},
 * POST /service-orders/{id}/actions) and their JSON.
 *
 * Decodes and bounds every field; who may ask, publish, claim, complete, rate, review or cancel,
 * the scope rule and the state machine are app/service.c's and core/service.c's, and their
 * -GG_EFORBIDDEN / -GG_ENOTFOUND / -GG_ECONFLICT come back as they are. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "base/utf8.h"

static void put(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

static json_t *json_order(const struct service_order *o, const char *category_name,
                          const char *community_name)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    put(j, "id", json_integer(o->id));
    put(j, "version", json_integer(o->version));
    put(j, "status", json_string(service_status_id(o->status)));
    put(j, "status_name", json_string(service_status_zh(o->status)));
    put(j, "category_code", json_string(o->category_code));
    put(j, "category_name", jstr_or_null(category_name));
    put(j, "title", json_string(o->title));
    put(j, "description", json_string(o->description));
    put(j, "address", json_string(o->address));
    put(j, "community_id", jid(o->community_id));
    put(j, "community_name", jstr_or_null(community_name));
    put(j, "asker_id", jid(o->asker_id));
    put(j, "publisher_id", jid(o->publisher_id));
    put(j, "claimer_id", jid(o->claimer_id));
    put(j, "reviewer_id", jid(o->reviewer_id));
    put(j, "reward", json_integer(o->reward));
    put(j, "deadline_at", jtime(o->deadline_at));
    put(j, "asked_at", jtime(o->asked_at));
    put(j, "published_at", jtime(o->published_at));
    put(j, "claimed_at", jtime(o->claimed_at));
    put(j, "completed_at", jtime(o->completed_at));
    put(j, "rated_at", jtime(o->rated_at));
    put(j, "reviewed_at", jtime(o->reviewed_at));
    put(j, "cancelled_at", jtime(o->closed_at));
    put(j, "rating", o->rating ? json_integer(o->rating) : json_null());
    put(j, "rating_comment", jstr_or_null(o->rating_comment));
    put(j, "review_rating", o->review_rating ? json_integer(o->review_rating) : json_null());
    put(j, "review_comment", jstr_or_null(o->review_comment));
    put(j, "completion_note", jstr_or_null(o->completion_note));
    put(j, "updated_at", jtime(o->updated_at));
    return j;
}

static int reply_view(struct req *r, struct reply *out, int status, struct service_view *v)
{
    json_t *j = json_order(&v->o, v->category_name, v->community_name);
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < v->n_attachments; i++)
        json_array_append_new(ids, json_integer(v->attachment_ids[i]));
    app_service_view_release(v);
    if (!j || !ids) {
        json_decref(j);
        json_decref(ids);
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    }
    put(j, "attachment_ids", ids);
    reply_json(out, status, j);
    return 0;
}

int http_service_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct service_ask_input in = {0};
    int rc = jin_str(b, "category_code", true, GG_MAX_CODE, &in.category_code, &r->err);
    if (!rc)
        rc = jin_str(b, "title", true, SERVICE_MAX_TITLE, &in.title, &r->err);
    if (rc)
        return rc;
    rc = jin_str(b, "description", false, GG_MAX_DESCRIPTION, &in.description, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "address", false, GG_MAX_ADDRESS, &in.address, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "community_id", false, 1, INT64_MAX, &in.community_id, &r->err);
    if (rc < 0)
        return rc;
    struct service_view v;
    rc = app_service_ask(r->app, &r->actor, &in, r->now, &v, &r->err);
    if (rc)
        return rc;
    return reply_view(r, out, 201, &v);
}

int http_service_get(struct req *r, struct reply *out)
{
    struct service_view v;
    int rc = app_service_get(r->app, &r->actor, r->id, r->now, &v, &r->err);
    if (rc)
        return rc;
    return reply_view(r, out, 200, &v);
}

int http_service_list(struct req *r, struct reply *out)
{
    struct service_filter f;
    memset(&f, 0, sizeof f);
    f.status = -1;
    f.now = r->now;
    const char *st = req_query(r, "status");
    if (st && *st) {
        f.status = service_status_from_id(st);
        if (f.status < 0)
            return gg_error_set(&r->err, GG_EINVAL, "status", "参数 status 的取值无效");
    }
    const char *cat = req_query(r, "category");
    if (cat && *cat) {
        size_t n = strlen(cat);
        if (n >= sizeof f.category || !gg_utf8_valid(cat, n))
            return gg_error_set(&r->err, GG_EINVAL, "category", "参数 category 无效");
        memcpy(f.category, cat, n + 1);
    }
    const char *mine = req_query(r, "mine");
    if (mine && *mine) {
        if (strcmp(mine, "asked") == 0)
            f.asker_id = r->actor.user_id;
        else if (strcmp(mine, "claimed") == 0)
            f.claimer_id = r->actor.user_id;
        else
            return gg_error_set(&r->err, GG_EINVAL, "mine", "mine 应为 asked 或 claimed");
    }
    int64_t org_id = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc < 0)
        return rc;
    bool nothing = false;
    if (org_id) {
        struct org o;
        struct gg_error oe = {0};
        rc = app_org_get(r->app, &r->actor, org_id, &o, NULL, NULL, &oe);
        if (rc == -GG_ENOTFOUND) {
            nothing = true; /* lists never reveal */
        } else if (rc) {
            r->err = oe;
            return rc;
        } else {
            memcpy(f.org_path, o.path, sizeof f.org_path);
        }
    }
    rc = req_limit(r, &f.limit);
    if (!rc)
        rc = req_cursor(r, &f.before_id);
    if (rc)
        return rc;
    struct service_order *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    if (!nothing) {
        rc = app_service_list(r->app, &r->actor, &f, &items, &n, &next, &r->err);
        if (rc)
            return rc;
    }
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        struct category c;
        char com[GG_NAME_SZ];
        const char *cname =
            app_category_get(r->app, items[i].category_code, &c) == 0 ? c.name : NULL;
        app_org_name(r->app, items[i].community_id, com, sizeof com);
        json_array_append_new(a, json_order(&items[i], cname, com));
    }
    free(items);
    char cur[24];
    json_t *j = json_list(a, cursor_text(next, cur));
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}

int http_service_act(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct service_action_input in;
    memset(&in, 0, sizeof in);
    int action = 0;
    int64_t reward = 0, rating = 0, version = 0;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    int rc = jin_enum(b, "action", true, service_action_from_id, SERVICE_ACTION__CLIENT_COUNT,
                      &action, &r->err);
    if (rc)
        return rc;
    rc = jin_str(b, "note", false, GG_MAX_NOTE, &in.note, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "reward", false, 0, SERVICE_MAX_REWARD, &reward, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "rating", false, 1, 5, &rating, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "expected_version", false, 1, INT64_MAX, &version, &r->err);
    if (rc < 0)
        return rc;
    const char *deadline = NULL;
    rc = jin_str(b, "deadline_at", false, 40, &deadline, &r->err);
    if (rc < 0)
        return rc;
    if (deadline && gg_time_parse(deadline, &in.deadline_at))
        return gg_error_set(&r->err, GG_EINVAL, "deadline_at",
                            "deadline_at 应为 RFC 3339 时间（如 2026-11-22T08:00:00Z）");
    rc = jin_ids(b, "attachment_ids", false, &ids, &n_ids, &r->err);
    if (rc < 0)
        return rc;
    if (n_ids > SERVICE_MAX_ATTACHMENTS) {
        free(ids);
        return gg_error_set(&r->err, GG_EINVAL, "attachment_ids", "最多 %d 张照片",
                            SERVICE_MAX_ATTACHMENTS);
    }
    in.action = (enum service_action)action;
    in.reward = (int)reward;
    in.rating = (int)rating;
    in.expected_version = version;
    in.attachment_ids = ids;
    in.n_attachments = n_ids;
    struct service_view v;
    rc = app_service_act(r->app, &r->actor, r->id, &in, r->now, &v, &r->err);
    free(ids);
    if (rc)
        return rc;
    return reply_view(r, out, 200, &v);
}
