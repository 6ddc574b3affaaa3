/* h_catalog.c - GET /categories and POST /categories (the matter catalog, 事项清单).
 *
 * Decodes a category into struct category with the model's enum spellings; whether the codes
 * nest, the hours make sense and who may change the catalog is app/'s. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/time.h"

int http_categories_list(struct req *r, struct reply *out)
{
    /* optional filters, applied to the cached catalog */
    int kind = -1, list = -1;
    const char *v = req_query(r, "kind");
    if (v && *v)
        kind = cat_kind_from_id(v);
    if (v && *v && kind < 0)
        return gg_error_set(&r->err, GG_EINVAL, "kind", "kind 应为 event 或 service");
    v = req_query(r, "list");
    if (v && *v)
        list = cat_list_from_id(v);
    if (v && *v && list < 0)
        return gg_error_set(&r->err, GG_EINVAL, "list", "list 应为 duty、assist 或 excluded");
    struct category *items = NULL;
    size_t n = 0;
    int rc = app_category_list(r->app, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        if ((kind >= 0 && (int)items[i].kind != kind) || (list >= 0 && (int)items[i].list != list))
            continue;
        json_array_append_new(a, json_category(&items[i]));
    }
    free(items);
    json_t *j = json_list(a, NULL);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}

static int hours(struct req *r, json_t *b, const char *field, bool required, int *out)
{
    int64_t h = 0;
    int rc = jin_int(b, field, required, 0, 8760, &h, &r->err);
    if (rc == 0)
        *out = (int)h;
    return rc < 0 ? rc : 0;
}

int http_categories_put(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct category c;
    memset(&c, 0, sizeof c);
    int kind = 0, list = 0, level = 0, clock = CLOCK_CONTINUOUS;
    int rc = jin_copy(b, "code", true, GG_MAX_CODE, c.code, sizeof c.code, &r->err);
    if (!rc)
        rc = jin_copy(b, "name", true, GG_MAX_NAME, c.name, sizeof c.name, &r->err);
    if (rc)
        return rc;
    rc = jin_copy(b, "parent_code", false, GG_MAX_CODE, c.parent_code, sizeof c.parent_code,
                  &r->err);
    if (rc < 0)
        return rc;
    rc = jin_enum(b, "kind", true, cat_kind_from_id, CAT_KIND__COUNT, &kind, &r->err);
    if (!rc)
        rc = jin_enum(b, "list", true, cat_list_from_id, CAT_LIST__COUNT, &list, &r->err);
    if (!rc)
        rc = jin_enum(b, "handler_level", true, level_from_id, LEVEL__COUNT, &level, &r->err);
    if (rc)
        return rc;
    rc = jin_enum(b, "clock", false, clock_from_id, CLOCK__COUNT, &clock, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_copy(b, "department_kind", false, GG_MAX_NAME, c.department_kind,
                  sizeof c.department_kind, &r->err);
    if (rc < 0)
        return rc;
    rc = hours(r, b, "accept_hours", true, &c.accept_hours);
    if (!rc)
        rc = hours(r, b, "handle_hours", true, &c.handle_hours);
    if (rc)
        return rc;
    rc = jin_copy(b, "guidance", false, GG_MAX_NOTE, c.guidance, sizeof c.guidance, &r->err);
    if (rc < 0)
        return rc;
    const char *review = NULL;
    rc = jin_str(b, "review_on", false, 40, &review, &r->err);
    if (rc < 0)
        return rc;
    if (review && gg_time_parse(review, &c.review_on))
        return gg_error_set(&r->err, GG_EINVAL, "review_on", "review_on 应为日期 YYYY-MM-DD");
    c.kind = (enum cat_kind)kind;
    c.list = (enum cat_list)list;
    c.handler_level = (enum level)level;
    c.clock = (enum clock_kind)clock;
    bool created = false;
    rc = app_category_put(r->app, &r->actor, &c, r->now, &created, &r->err);
    if (rc)
        return rc;
    struct category stored;
    json_t *j = json_category(app_category_get(r->app, c.code, &stored) == 0 ? &stored : &c);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, created ? 201 : 200, j);
    return 0;
}
