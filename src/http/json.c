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

/* a model spelling (NULL → null) */
static void jw_const(struct jw *w, const char *s)
{
    if (s)
        jw_str(w, s);
    else
        jw_lit(w, "null");
}

/* the fields of an event, without the braces (the view adds its own after them) */
static void event_fields(struct jw *w, const struct event *e, const char *category_name,
                         const char *grid_name, const char *assignee_name)
{
    jw_lit(w, "\"id\":");
    jw_int(w, e->id);
    jw_lit(w, ",\"version\":");
    jw_int(w, e->version);
    jw_lit(w, ",\"status\":");
    jw_const(w, event_status_id(e->status));
    jw_lit(w, ",\"status_name\":");
    jw_const(w, event_status_zh(e->status));
    jw_lit(w, ",\"suspended\":");
    jw_bool(w, e->suspended);
    jw_lit(w, ",\"source\":");
    jw_const(w, source_id(e->source));
    jw_lit(w, ",\"category_code\":");
    jw_str(w, e->category_code);
    jw_lit(w, ",\"category_name\":");
    jw_const(w, category_name);
    jw_lit(w, ",\"description\":");
    jw_str(w, e->description);
    jw_lit(w, ",\"address\":");
    jw_str(w, e->address);
    jw_lit(w, ",\"lat\":");
    jw_real(w, e->lat);
    jw_lit(w, ",\"lon\":");
    jw_real(w, e->lon);
    jw_lit(w, ",\"grid_id\":");
    jw_id(w, e->grid_id);
    jw_lit(w, ",\"grid_name\":");
    jw_str_or_null(w, grid_name);
    jw_lit(w, ",\"assignee_org_id\":");
    jw_id(w, e->assignee_org_id);
    jw_lit(w, ",\"assignee_name\":");
    jw_str_or_null(w, assignee_name);
    jw_lit(w, ",\"level\":");
    jw_const(w, level_id(e->level));
    jw_lit(w, ",\"reporter_id\":");
    jw_id(w, e->reporter_id);
    jw_lit(w, ",\"device_id\":");
    jw_str_or_null(w, e->device_id);
    static const char *const times[] = {
        ",\"reported_at\":", ",\"registered_at\":", ",\"dispatched_at\":",
        ",\"signed_at\":",   ",\"handled_at\":",    ",\"closed_at\":",
        ",\"accept_due_at\":", ",\"handle_due_at\":", ",\"updated_at\":"};
    const int64_t at[] = {e->reported_at,   e->registered_at, e->dispatched_at,
                          e->signed_at,     e->handled_at,    e->closed_at,
                          e->accept_due_at, e->handle_due_at, e->updated_at};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        jw_raw(w, times[i], strlen(times[i]));
        jw_time(w, at[i]);
    }
    jw_lit(w, ",\"color\":");
    jw_const(w, color_id(e->color));
    jw_lit(w, ",\"rework_count\":");
    jw_int(w, e->rework_count);
    jw_lit(w, ",\"escalation_count\":");
    jw_int(w, e->escalation_count);
    jw_lit(w, ",\"supervise_count\":");
    jw_int(w, e->supervise_count);
    jw_lit(w, ",\"extension_count\":");
    jw_int(w, e->extension_count);
    jw_lit(w, ",\"extension_hours\":");
    jw_int(w, e->extension_hours);
    jw_lit(w, ",\"closing_level\":");
    jw_const(w, e->status == EVENT_STATUS_CLOSED ? level_id(e->closing_level) : NULL);
    jw_lit(w, ",\"rating\":");
    jw_const(w, rating_id(e->rating));
    jw_lit(w, ",\"rating_comment\":");
    jw_str_or_null(w, e->rating_comment);
    jw_lit(w, ",\"merged_into\":");
    jw_id(w, e->merged_into);
}

void jw_event(struct jw *w, const struct event *e, const char *category_name,
              const char *grid_name, const char *assignee_name)
{
    jw_lit(w, "{");
    event_fields(w, e, category_name, grid_name, assignee_name);
    jw_lit(w, "}");
}

static void id_array(struct jw *w, const int64_t *ids, size_t n)
{
    jw_lit(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            jw_lit(w, ",");
        jw_int(w, ids[i]);
    }
    jw_lit(w, "]");
}

void jw_event_view(struct jw *w, const struct event_view *v)
{
    jw_lit(w, "{");
    event_fields(w, &v->ev, v->category_name, v->grid_name, v->assignee_name);
    jw_lit(w, ",\"timeline\":[");
    for (size_t i = 0; i < v->n_timeline; i++) {
        const struct timeline_entry *t = &v->timeline[i];
        if (i)
            jw_lit(w, ",");
        jw_lit(w, "{\"seq\":");
        jw_int(w, t->seq);
        jw_lit(w, ",\"action\":");
        jw_const(w, event_action_id(t->action));
        jw_lit(w, ",\"actor_id\":");
        jw_id(w, t->actor_id);
        jw_lit(w, ",\"at\":");
        jw_time(w, t->at);
        jw_lit(w, ",\"from_status\":");
        jw_const(w, event_status_id(t->from_status));
        jw_lit(w, ",\"to_status\":");
        jw_const(w, event_status_id(t->to_status));
        jw_lit(w, ",\"org_id\":");
        jw_id(w, t->org_id);
        jw_lit(w, ",\"note\":");
        jw_str_or_null(w, t->note);
        if (v->timeline_actor_names) {
            jw_lit(w, ",\"actor_name\":");
            jw_str_or_null(w, v->timeline_actor_names[i]);
        }
        if (v->timeline_org_names) {
            jw_lit(w, ",\"org_name\":");
            jw_str_or_null(w, v->timeline_org_names[i]);
        }
        jw_lit(w, "}");
    }
    jw_lit(w, "],\"attachment_ids\":");
    id_array(w, v->attachment_ids, v->n_attachments);
    jw_lit(w, ",\"whistles\":[");
    for (size_t i = 0; i < v->n_whistles; i++) {
        const struct whistle *wh = &v->whistles[i];
        if (i)
            jw_lit(w, ",");
        jw_lit(w, "{\"dept_org_id\":");
        jw_int(w, wh->dept_org_id);
        jw_lit(w, ",\"due_at\":");
        jw_time(w, wh->due_at);
        jw_lit(w, ",\"reported_at\":");
        jw_time(w, wh->reported_at);
        jw_lit(w, "}");
    }
    jw_lit(w, "],\"duplicate_ids\":");
    id_array(w, v->duplicate_ids, v->n_duplicates);
    jw_lit(w, ",\"rated\":");
    jw_bool(w, v->rated);
    jw_lit(w, "}");
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
