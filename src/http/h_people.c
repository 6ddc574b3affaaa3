/* h_people.c - issue 6: the population registry over HTTP: /people, /households, /houses
 * (POST, GET list, GET one, PATCH, DELETE) and POST /people/import (a CSV or XLSX body).
 *
 * Decodes bodies and queries into the app's inputs and encodes the answers (the encoders of
 * these three records live here, beside their only users). Who may do what, scopes, masks,
 * encryption and the audit are app/'s. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/people.h"

/* ---- encoders ---- */

static json_t *json_tags(uint32_t mask, bool zh)
{
    json_t *a = json_array();
    for (int t = 0; a && t < TAG__COUNT; t++)
        if (mask & (1u << t))
            json_array_append_new(a, json_string(zh ? person_tag_zh((enum person_tag)t)
                                                    : person_tag_id((enum person_tag)t)));
    return a;
}

static json_t *json_person(const struct person_view *v)
{
    const struct person *p = &v->p;
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(p->id));
    jset(o, "version", json_integer(p->version));
    jset(o, "org_id", json_integer(p->org_id));
    jset(o, "org_name", jstr_or_null(v->org_name));
    jset(o, "household_id", jid(p->household_id));
    jset(o, "name", json_string(p->name));
    jset(o, "gender", json_string(gender_id(p->gender)));
    jset(o, "birth_date", jdate(p->birth_days));
    jset(o, "id_number", jstr_or_null(p->id_number));
    jset(o, "phone", jstr_or_null(p->phone));
    jset(o, "masked", json_boolean(!v->revealed));
    jset(o, "tags", json_tags(p->tags, false));
    jset(o, "tag_names", json_tags(p->tags, true));
    jset(o, "party_member", json_boolean(p->party_member));
    jset(o, "party_branch", jstr_or_null(p->party_branch));
    jset(o, "volunteer", json_boolean(p->volunteer));
    jset(o, "relation", jstr_or_null(p->relation));
    jset(o, "created_at", jtime(p->created_at));
    jset(o, "updated_at", jtime(p->updated_at));
    return o;
}

static json_t *json_household(const struct household *h)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(h->id));
    jset(o, "version", json_integer(h->version));
    jset(o, "org_id", json_integer(h->org_id));
    jset(o, "code", json_string(h->code));
    jset(o, "address", jstr_or_null(h->address));
    jset(o, "building", jstr_or_null(h->building));
    jset(o, "unit", jstr_or_null(h->unit));
    jset(o, "room", jstr_or_null(h->room));
    jset(o, "color", json_string(hh_color_id(h->color)));
    jset(o, "color_name", json_string(hh_color_zh(h->color)));
    jset(o, "house_id", jid(h->house_id));
    jset(o, "members", json_integer(h->members));
    jset(o, "created_at", jtime(h->created_at));
    jset(o, "updated_at", jtime(h->updated_at));
    return o;
}

static json_t *json_house(const struct house *h)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(h->id));
    jset(o, "version", json_integer(h->version));
    jset(o, "org_id", json_integer(h->org_id));
    jset(o, "address", jstr_or_null(h->address));
    jset(o, "building", jstr_or_null(h->building));
    jset(o, "unit", jstr_or_null(h->unit));
    jset(o, "room", jstr_or_null(h->room));
    jset(o, "use", json_string(house_use_id(h->use)));
    jset(o, "use_name", json_string(house_use_zh(h->use)));
    jset(o, "occupancy", json_string(occupancy_id(h->occupancy)));
    jset(o, "area", h->area > 0 ? json_real(h->area) : json_null());
    jset(o, "owner_person_id", jid(h->owner_person_id));
    jset(o, "created_at", jtime(h->created_at));
    jset(o, "updated_at", jtime(h->updated_at));
    return o;
}

/* ---- decoders ---- */

/* 1 when absent; -1 on error; 0 with *out 0/1 */
static int opt_bool(struct req *r, json_t *b, const char *field, int *out)
{
    bool v = false;
    int rc = jin_bool(b, field, false, &v, &r->err);
    if (rc == 0)
        *out = v;
    return rc;
}

static int decode_tags(struct req *r, json_t *b, bool *set_tags, uint32_t *mask)
{
    json_t *t = json_object_get(b, "tags");
    if (!t || json_is_null(t))
        return 0;
    if (!json_is_array(t) || json_array_size(t) > TAG__COUNT * 2)
        return gg_error_set(&r->err, GG_EINVAL, "tags", "tags 应为标签数组");
    uint32_t m = 0;
    for (size_t i = 0; i < json_array_size(t); i++) {
        const char *s = json_string_value(json_array_get(t, i));
        int k = s ? person_tag_from_text(s, strlen(s)) : -1;
        if (k < 0)
            return gg_error_set(&r->err, GG_EINVAL, "tags", "未知的标签 %.40s", s ? s : "");
        m |= 1u << k;
    }
    *set_tags = true;
    *mask = m;
    return 0;
}

static int decode_person(struct req *r, struct person_input *in)
{
    json_t *b = req_body(r);
    int64_t org = 0, hh = -1, ver = 0;
    int gender = -1;
    int rc = jin_int(b, "org_id", false, 1, INT64_MAX, &org, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "household_id", false, 0, INT64_MAX, &hh, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "version", false, 1, INT64_MAX, &ver, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "gender", false, gender_from_id, GENDER__COUNT, &gender, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "name", false, GG_MAX_NAME, &in->name, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "birth_date", false, 10, &in->birth_date, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "id_number", false, GG_ID_NUMBER_LEN, &in->id_number, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "phone", false, GG_MAX_PHONE, &in->phone, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "party_branch", false, GG_MAX_NAME, &in->party_branch, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "relation", false, GG_MAX_NAME, &in->relation, &r->err);
    if (rc >= 0)
        rc = opt_bool(r, b, "party_member", &in->party_member);
    if (rc >= 0)
        rc = opt_bool(r, b, "volunteer", &in->volunteer);
    if (rc >= 0)
        rc = decode_tags(r, b, &in->set_tags, &in->tags);
    if (rc < 0)
        return rc;
    in->org_id = org;
    in->household_id = hh;
    in->version = ver;
    in->gender = gender;
    return 0;
}

static void person_input_init(struct person_input *in)
{
    memset(in, 0, sizeof *in);
    in->household_id = -1;
    in->gender = -1;
    in->party_member = -1;
    in->volunteer = -1;
}

/* ---- people ---- */

int http_people_create(struct req *r, struct reply *out)
{
    struct person_input in;
    person_input_init(&in);
    int rc = decode_person(r, &in);
    if (rc)
        return rc;
    if (!in.org_id)
        return gg_error_set(&r->err, GG_EINVAL, "org_id", "org_id 不能为空");
    if (!in.name)
        return gg_error_set(&r->err, GG_EINVAL, "name", "name 不能为空");
    struct person_view v;
    rc = app_person_create(r->app, &r->actor, &in, r->now, &v, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_person(&v));
}

int http_people_get(struct req *r, struct reply *out)
{
    const char *rv = req_query(r, "reveal");
    bool reveal = rv && (strcmp(rv, "true") == 0 || strcmp(rv, "1") == 0);
    if (rv && *rv && !reveal && strcmp(rv, "false") != 0 && strcmp(rv, "0") != 0)
        return gg_error_set(&r->err, GG_EINVAL, "reveal", "reveal 应为 true 或 false");
    struct person_view v;
    int rc = app_person_get(r->app, &r->actor, r->id, reveal, r->now, &v, &r->err);
    if (rc)
        return rc;
    out->cache_control = "no-store";
    return reply_object(r, out, 200, json_person(&v));
}

int http_people_update(struct req *r, struct reply *out)
{
    struct person_input in;
    person_input_init(&in);
    int rc = decode_person(r, &in);
    if (rc)
        return rc;
    struct person_view v;
    rc = app_person_update(r->app, &r->actor, r->id, &in, r->now, &v, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_person(&v));
}

int http_people_delete(struct req *r, struct reply *out)
{
    int rc = app_person_delete(r->app, &r->actor, r->id, r->now, &r->err);
    if (!rc)
        out->status = 204;
    return rc;
}

static int query_bool(struct req *r, const char *name, int *out)
{
    const char *v = req_query(r, name);
    *out = -1;
    if (!v || !*v)
        return 0;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        *out = 0;
    else
        return gg_error_set(&r->err, GG_EINVAL, name, "%s 应为 true 或 false", name);
    return 0;
}

int http_people_list(struct req *r, struct reply *out)
{
    struct person_query q;
    memset(&q, 0, sizeof q);
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &q.org_id);
    if (rc >= 0)
        rc = req_query_int(r, "household_id", 1, INT64_MAX, &q.household_id);
    if (rc >= 0)
        rc = query_bool(r, "party_member", &q.party_member);
    if (rc >= 0)
        rc = query_bool(r, "volunteer", &q.volunteer);
    if (rc >= 0)
        rc = req_limit(r, &q.limit);
    if (rc >= 0)
        rc = req_cursor(r, &q.after_id);
    if (rc < 0)
        return rc;
    const char *tags = req_query(r, "tag");
    if (tags && *tags) {
        size_t at = 0, len = 0;
        if (person_tags_parse(tags, strlen(tags), &q.tags, &at, &len))
            return gg_error_set(&r->err, GG_EINVAL, "tag", "未知的标签 %.*s", (int)len,
                                tags + at);
    }
    q.q = req_query(r, "q");
    q.id_number = req_query(r, "id_number");
    q.phone = req_query(r, "phone");
    struct person_view *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_person_list(r->app, &r->actor, &q, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_person(&items[i]));
    free(items);
    out->cache_control = "no-store";
    return reply_items(r, out, a, next);
}

int http_people_import(struct req *r, struct reply *out)
{
    enum sheet_format fmt = strcmp(r->content_type, "text/csv") == 0 ? SHEET_CSV : SHEET_XLSX;
    struct people_import_result res;
    int rc = app_people_import(r->app, &r->actor, fmt, r->body.data, r->body.len, r->now, NULL,
                               NULL, &res, &r->err);
    json_t *errors = json_array();
    for (size_t i = 0; errors && i < res.n_errors; i++)
        json_array_append_new(errors, json_pack("{s:I, s:s, s:s}", "row", (json_int_t)res.errors[i].row,
                                                "column", res.errors[i].column, "reason",
                                                res.errors[i].reason));
    free(res.errors);
    if (rc && rc != -GG_EINVAL) {
        json_decref(errors);
        return rc;
    }
    json_t *j;
    if (rc) {
        /* the error shape, with the per-row report beside it */
        j = reply_error_body(rc, &r->err);
        if (j) {
            json_object_set_new(j, "errors", errors ? errors : json_array());
            json_object_set_new(j, "error_count", json_integer(res.n_errors_total));
        } else {
            json_decref(errors);
        }
        return reply_object(r, out, 422, j);
    }
    j = json_pack("{s:I, s:I, s:I, s:o}", "rows", (json_int_t)res.rows, "people_created",
                  (json_int_t)res.people_created, "households_created",
                  (json_int_t)res.households_created, "errors", errors ? errors : json_array());
    return reply_object(r, out, 200, j);
}

/* ---- households ---- */

static int decode_household(struct req *r, struct household_input *in)
{
    json_t *b = req_body(r);
    memset(in, 0, sizeof *in);
    in->color = -1;
    int64_t org = 0, house = -1, ver = 0;
    int rc = jin_int(b, "org_id", false, 1, INT64_MAX, &org, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "house_id", false, 0, INT64_MAX, &house, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "version", false, 1, INT64_MAX, &ver, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "color", false, hh_color_from_id, HH_COLOR__COUNT, &in->color, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "code", false, GG_MAX_CODE, &in->code, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "address", false, GG_MAX_ADDRESS, &in->address, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "building", false, GG_MAX_ROOM, &in->building, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "unit", false, GG_MAX_ROOM, &in->unit, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "room", false, GG_MAX_ROOM, &in->room, &r->err);
    if (rc < 0)
        return rc;
    in->org_id = org;
    in->house_id = house;
    in->version = ver;
    return 0;
}

int http_households_create(struct req *r, struct reply *out)
{
    struct household_input in;
    int rc = decode_household(r, &in);
    if (rc)
        return rc;
    struct household h;
    rc = app_household_create(r->app, &r->actor, &in, r->now, &h, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_household(&h));
}

int http_households_get(struct req *r, struct reply *out)
{
    struct household h;
    int rc = app_household_get(r->app, &r->actor, r->id, &h, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_household(&h));
}

int http_households_update(struct req *r, struct reply *out)
{
    struct household_input in;
    int rc = decode_household(r, &in);
    if (rc)
        return rc;
    struct household h;
    rc = app_household_update(r->app, &r->actor, r->id, &in, r->now, &h, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_household(&h));
}

int http_households_delete(struct req *r, struct reply *out)
{
    int rc = app_household_delete(r->app, &r->actor, r->id, r->now, &r->err);
    if (!rc)
        out->status = 204;
    return rc;
}

int http_households_list(struct req *r, struct reply *out)
{
    int64_t org = 0, after = 0;
    int limit = 0, color = -1;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    const char *c = req_query(r, "color");
    if (c && *c && (color = hh_color_from_id(c)) < 0)
        return gg_error_set(&r->err, GG_EINVAL, "color", "color 应为 green、yellow 或 red");
    struct household *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_household_list(r->app, &r->actor, org, color, after, limit, &items, &n, &next,
                            &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_household(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

/* ---- houses ---- */

static int decode_house(struct req *r, struct house_input *in)
{
    json_t *b = req_body(r);
    memset(in, 0, sizeof *in);
    in->use = in->occupancy = -1;
    in->area = -1;
    int64_t org = 0, owner = -1, ver = 0;
    int rc = jin_int(b, "org_id", false, 1, INT64_MAX, &org, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "owner_person_id", false, 0, INT64_MAX, &owner, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "version", false, 1, INT64_MAX, &ver, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "use", false, house_use_from_id, HOUSE_USE__COUNT, &in->use, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "occupancy", false, occupancy_from_id, OCC__COUNT, &in->occupancy,
                      &r->err);
    if (rc >= 0)
        rc = jin_num(b, "area", false, 0, 1e6, &in->area, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "address", false, GG_MAX_ADDRESS, &in->address, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "building", false, GG_MAX_ROOM, &in->building, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "unit", false, GG_MAX_ROOM, &in->unit, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "room", false, GG_MAX_ROOM, &in->room, &r->err);
    if (rc < 0)
        return rc;
    in->org_id = org;
    in->owner_person_id = owner;
    in->version = ver;
    return 0;
}

int http_houses_create(struct req *r, struct reply *out)
{
    struct house_input in;
    int rc = decode_house(r, &in);
    if (rc)
        return rc;
    struct house h;
    rc = app_house_create(r->app, &r->actor, &in, r->now, &h, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_house(&h));
}

int http_houses_get(struct req *r, struct reply *out)
{
    struct house h;
    int rc = app_house_get(r->app, &r->actor, r->id, &h, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_house(&h));
}

int http_houses_update(struct req *r, struct reply *out)
{
    struct house_input in;
    int rc = decode_house(r, &in);
    if (rc)
        return rc;
    struct house h;
    rc = app_house_update(r->app, &r->actor, r->id, &in, r->now, &h, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_house(&h));
}

int http_houses_delete(struct req *r, struct reply *out)
{
    int rc = app_house_delete(r->app, &r->actor, r->id, r->now, &r->err);
    if (!rc)
        out->status = 204;
    return rc;
}

int http_houses_list(struct req *r, struct reply *out)
{
    int64_t org = 0, after = 0;
    int limit = 0, use = -1;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    const char *u = req_query(r, "use");
    if (u && *u && (use = house_use_from_id(u)) < 0)
        return gg_error_set(&r->err, GG_EINVAL, "use", "use 应为 residential、commercial 或 vacant");
    struct house *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_house_list(r->app, &r->actor, org, use, after, limit, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_house(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}
