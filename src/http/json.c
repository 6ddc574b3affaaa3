/* json.c - the JSON codecs of the API: domain structs to json_t, and typed access to request
 * body fields that answers 422 naming the field when a type, range or length is wrong.
 *
 * Field names are the API's snake_case English; enum values use the model's id spellings.
 * Not for business validation (does the category exist, may this role act): app/ does that. */
#include "http/http_int.h"

#include "core/people.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "base/utf8.h"

/* ---- encoders ---- */

json_t *jtime(int64_t t)
{
    if (t == 0)
        return json_null();
    char buf[GG_RFC3339_LEN];
    gg_time_format(t, buf);
    return json_string_nocheck(buf); /* ASCII we just wrote */
}

json_t *jid(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

json_t *jstr_or_null(const char *s)
{
    return (s && s[0]) ? json_string(s) : json_null();
}

/* json_string of a NULL yields NULL, which json_object_set_new refuses: use null instead */
static json_t *jstr(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* an id spelling or label of the model (compiled-in, valid UTF-8): no need to check it */
static json_t *jconst(const char *s)
{
    json_t *j = s ? json_string_nocheck(s) : NULL;
    return j ? j : json_null();
}

void jset(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

json_t *jdate(int64_t days)
{
    if (days == INT64_MIN)
        return json_null();
    char d[11];
    date_format(days, d);
    return json_string(d);
}

json_t *json_event(const struct event *e, const char *category_name, const char *grid_name,
                   const char *assignee_name)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(e->id));
    jset(o, "version", json_integer(e->version));
    jset(o, "status", jconst(event_status_id(e->status)));
    jset(o, "status_name", jconst(event_status_zh(e->status)));
    jset(o, "suspended", json_boolean(e->suspended));
    jset(o, "source", jconst(source_id(e->source)));
    jset(o, "category_code", jstr(e->category_code));
    jset(o, "category_name", jstr(category_name));
    jset(o, "description", jstr(e->description));
    jset(o, "address", jstr(e->address));
    jset(o, "lat", json_real(e->lat));
    jset(o, "lon", json_real(e->lon));
    jset(o, "grid_id", jid(e->grid_id));
    jset(o, "grid_name", jstr_or_null(grid_name));
    jset(o, "assignee_org_id", jid(e->assignee_org_id));
    jset(o, "assignee_name", jstr_or_null(assignee_name));
    jset(o, "level", jconst(level_id(e->level)));
    jset(o, "reporter_id", jid(e->reporter_id));
    jset(o, "device_id", jstr_or_null(e->device_id));
    jset(o, "reported_at", jtime(e->reported_at));
    jset(o, "registered_at", jtime(e->registered_at));
    jset(o, "dispatched_at", jtime(e->dispatched_at));
    jset(o, "signed_at", jtime(e->signed_at));
    jset(o, "handled_at", jtime(e->handled_at));
    jset(o, "closed_at", jtime(e->closed_at));
    jset(o, "accept_due_at", jtime(e->accept_due_at));
    jset(o, "handle_due_at", jtime(e->handle_due_at));
    jset(o, "updated_at", jtime(e->updated_at));
    jset(o, "color", jconst(color_id(e->color)));
    jset(o, "rework_count", json_integer(e->rework_count));
    jset(o, "escalation_count", json_integer(e->escalation_count));
    jset(o, "supervise_count", json_integer(e->supervise_count));
    jset(o, "extension_count", json_integer(e->extension_count));
    jset(o, "extension_hours", json_integer(e->extension_hours));
    jset(o, "closing_level",
        e->status == EVENT_STATUS_CLOSED ? jconst(level_id(e->closing_level)) : json_null());
    jset(o, "rating", jconst(rating_id(e->rating)));
    jset(o, "rating_comment", jstr_or_null(e->rating_comment));
    jset(o, "merged_into", jid(e->merged_into));
    return o;
}

json_t *json_timeline_entry(const struct timeline_entry *t)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "seq", json_integer(t->seq));
    jset(o, "action", jconst(event_action_id(t->action)));
    jset(o, "actor_id", jid(t->actor_id));
    jset(o, "at", jtime(t->at));
    jset(o, "from_status", jconst(event_status_id(t->from_status)));
    jset(o, "to_status", jconst(event_status_id(t->to_status)));
    jset(o, "org_id", jid(t->org_id));
    jset(o, "note", jstr_or_null(t->note));
    return o;
}

static json_t *id_array(const int64_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return a;
}

json_t *json_event_view(const struct event_view *v)
{
    json_t *o = json_event(&v->ev, v->category_name, v->grid_name, v->assignee_name);
    if (!o)
        return NULL;
    json_t *tl = json_array();
    for (size_t i = 0; tl && i < v->n_timeline; i++) {
        json_t *t = json_timeline_entry(&v->timeline[i]);
        if (t && v->timeline_actor_names)
            jset(t, "actor_name", jstr_or_null(v->timeline_actor_names[i]));
        if (t && v->timeline_org_names)
            jset(t, "org_name", jstr_or_null(v->timeline_org_names[i]));
        json_array_append_new(tl, t);
    }
    jset(o, "timeline", tl);
    jset(o, "attachment_ids", id_array(v->attachment_ids, v->n_attachments));
    json_t *wh = json_array();
    for (size_t i = 0; wh && i < v->n_whistles; i++) {
        const struct whistle *w = &v->whistles[i];
        json_t *x = json_object();
        jset(x, "dept_org_id", json_integer(w->dept_org_id));
        jset(x, "due_at", jtime(w->due_at));
        jset(x, "reported_at", jtime(w->reported_at));
        json_array_append_new(wh, x);
    }
    jset(o, "whistles", wh);
    jset(o, "duplicate_ids", id_array(v->duplicate_ids, v->n_duplicates));
    jset(o, "rated", json_boolean(v->rated));
    return o;
}

json_t *json_org(const struct org *o)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    jset(j, "id", json_integer(o->id));
    jset(j, "parent_id", jid(o->parent_id));
    jset(j, "kind", jconst(org_kind_id(o->kind)));
    jset(j, "code", jstr(o->code));
    jset(j, "name", jstr(o->name));
    jset(j, "households", o->households >= 0 ? json_integer(o->households) : json_null());
    jset(j, "department_kind", jstr_or_null(o->department_kind));
    jset(j, "depth", json_integer(o->depth));
    jset(j, "has_boundary", json_boolean(o->has_boundary));
    return j;
}

json_t *json_org_brief(const struct org *o)
{
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)o->id, "code", o->code, "name",
                     o->name, "kind", org_kind_id(o->kind) ? org_kind_id(o->kind) : "");
}

json_t *json_org_path(const struct org *path, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_org_brief(&path[i]));
    return a;
}

json_t *json_user(const struct user *u)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    jset(j, "id", json_integer(u->id));
    jset(j, "username", jstr(u->username));
    jset(j, "role", jconst(role_id(u->role)));
    jset(j, "scope_org_id", jid(u->scope_org_id));
    jset(j, "person_id", jid(u->person_id));
    jset(j, "display_name", jstr_or_null(u->display_name));
    jset(j, "disabled", json_boolean(u->disabled));
    jset(j, "created_at", jtime(u->created_at));
    return j;
}

json_t *json_category(const struct category *c)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    jset(j, "code", jstr(c->code));
    jset(j, "parent_code", jstr_or_null(c->parent_code));
    jset(j, "name", jstr(c->name));
    jset(j, "kind", jconst(cat_kind_id(c->kind)));
    jset(j, "list", jconst(cat_list_id(c->list)));
    jset(j, "handler_level", jconst(level_id(c->handler_level)));
    jset(j, "department_kind", jstr_or_null(c->department_kind));
    jset(j, "accept_hours", json_integer(c->accept_hours));
    jset(j, "handle_hours", json_integer(c->handle_hours));
    jset(j, "clock", jconst(clock_id(c->clock)));
    jset(j, "guidance", jstr_or_null(c->guidance));
    if (c->review_on) {
        char buf[GG_RFC3339_LEN];
        gg_time_format(c->review_on, buf);
        buf[10] = '\0'; /* the date part */
        jset(j, "review_on", json_string(buf));
    } else {
        jset(j, "review_on", json_null());
    }
    return j;
}

json_t *json_attachment(const struct attachment *a)
{
    return json_pack("{s:I, s:s, s:I, s:s, s:o}", "id", (json_int_t)a->id, "sha256", a->sha256,
                     "size", (json_int_t)a->size, "content_type", a->content_type, "created_at",
                     jtime(a->created_at));
}

json_t *json_audit(const struct audit_entry *e)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    jset(j, "id", json_integer(e->id));
    jset(j, "at", jtime(e->at));
    jset(j, "actor_id", jid(e->actor_id));
    jset(j, "action", jstr(e->action));
    jset(j, "object_type", jstr(e->object_type));
    jset(j, "object_id", json_integer(e->object_id));
    jset(j, "detail", jstr(e->detail));
    jset(j, "prev_hash", jstr_or_null(e->prev_hash));
    jset(j, "hash", jstr(e->hash));
    return j;
}

json_t *json_list(json_t *items, const char *next_cursor)
{
    json_t *o = json_object();
    if (!o) {
        json_decref(items);
        return NULL;
    }
    jset(o, "items", items ? items : json_array());
    jset(o, "next_cursor", next_cursor ? json_string(next_cursor) : json_null());
    return o;
}

/* ---- request fields ---- */

static json_t *field_of(json_t *o, const char *field)
{
    json_t *v = o ? json_object_get(o, field) : NULL;
    return (v && !json_is_null(v)) ? v : NULL;
}

static int missing(const char *field, bool required, struct gg_error *err)
{
    if (required)
        return gg_error_set(err, GG_EINVAL, field, "缺少必填字段 %s", field);
    return 1;
}

int jin_str(json_t *o, const char *field, bool required, size_t max_cp, const char **out,
            struct gg_error *err)
{
    json_t *v = field_of(o, field);
    if (!v)
        return missing(field, required, err);
    if (!json_is_string(v))
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为字符串", field);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n || !gg_utf8_valid(s, n))
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 含有无效字符", field);
    if (max_cp && gg_utf8_count(s, n) > max_cp)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 超过 %zu 个字符", field, max_cp);
    *out = s;
    return 0;
}

int jin_copy(json_t *o, const char *field, bool required, size_t max_cp, char *dst, size_t dst_sz,
             struct gg_error *err)
{
    const char *s;
    int rc = jin_str(o, field, required, max_cp, &s, err);
    if (rc)
        return rc;
    if (strlen(s) >= dst_sz)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 过长", field);
    gg_strlcpy(dst, s, dst_sz);
    return 0;
}

int jin_int(json_t *o, const char *field, bool required, int64_t min, int64_t max, int64_t *out,
            struct gg_error *err)
{
    json_t *v = field_of(o, field);
    if (!v)
        return missing(field, required, err);
    int64_t x;
    if (json_is_integer(v)) {
        x = json_integer_value(v);
    } else if (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v) &&
               fabs(json_real_value(v)) < 9e15) {
        x = (int64_t)json_real_value(v);
    } else {
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为整数", field);
    }
    if (x < min || x > max)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 超出范围", field);
    *out = x;
    return 0;
}

int jin_num(json_t *o, const char *field, bool required, double min, double max, double *out,
            struct gg_error *err)
{
    json_t *v = field_of(o, field);
    if (!v)
        return missing(field, required, err);
    if (!json_is_number(v))
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为数字", field);
    double x = json_number_value(v);
    if (!isfinite(x) || x < min || x > max)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 超出范围", field);
    *out = x;
    return 0;
}

int jin_enum(json_t *o, const char *field, bool required, int (*from_id)(const char *), int max,
             int *out, struct gg_error *err)
{
    const char *s;
    int rc = jin_str(o, field, required, 64, &s, err);
    if (rc)
        return rc;
    int x = from_id(s);
    if (x < 0 || x >= max)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 的取值 \"%s\" 无效", field, s);
    *out = x;
    return 0;
}

int jin_bool(json_t *o, const char *field, bool required, bool *out, struct gg_error *err)
{
    json_t *v = field_of(o, field);
    if (!v)
        return missing(field, required, err);
    if (!json_is_boolean(v))
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为布尔值", field);
    *out = json_is_true(v);
    return 0;
}

int jin_ids(json_t *o, const char *field, bool required, int64_t **out, size_t *n,
            struct gg_error *err)
{
    json_t *v = field_of(o, field);
    *out = NULL;
    *n = 0;
    if (!v)
        return missing(field, required, err);
    if (!json_is_array(v))
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为整数数组", field);
    size_t len = json_array_size(v);
    if (len > 1000)
        return gg_error_set(err, GG_EINVAL, field, "字段 %s 元素过多", field);
    if (len == 0)
        return 0;
    int64_t *ids = calloc(len, sizeof *ids);
    if (!ids)
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) <= 0) {
            free(ids);
            return gg_error_set(err, GG_EINVAL, field, "字段 %s 应为正整数数组", field);
        }
        ids[i] = json_integer_value(e);
    }
    *out = ids;
    *n = len;
    return 0;
}
