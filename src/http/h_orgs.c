/* h_orgs.c - the organisation tree: POST/GET/PATCH /orgs, POST /orgs/import,
 * GET /orgs/{id}/boundary and GET /locate.
 *
 * Decodes bodies and queries into struct org_input / org_filter and encodes orgs with their
 * ancestor path. Kind rules (which child under which parent), code uniqueness, boundary
 * geometry and who may change the tree are app/'s. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_HOUSEHOLDS 1000000

static json_t *org_with_path(const struct org *o, const struct org *path, size_t n_path)
{
    json_t *j = json_org(o);
    if (j)
        json_object_set_new(j, "path", json_org_path(path, n_path));
    return j;
}

/* The fields of POST and PATCH that both accept; NULL / -1 when absent. */
static int decode_common(struct req *r, json_t *b, struct org_input *in, bool create)
{
    int64_t hh = -1;
    int rc = jin_str(b, "code", create, GG_MAX_CODE, &in->code, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_str(b, "name", create, GG_MAX_NAME, &in->name, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_int(b, "households", false, 0, MAX_HOUSEHOLDS, &hh, &r->err);
    if (rc < 0)
        return rc;
    in->households = (int)hh;
    rc = jin_str(b, "department_kind", false, GG_MAX_NAME, &in->department_kind, &r->err);
    if (rc < 0)
        return rc;
    json_t *bd = json_object_get(b, "boundary");
    if (bd && !json_is_null(bd)) {
        if (!json_is_object(bd))
            return gg_error_set(&r->err, GG_EINVAL, "boundary",
                                "boundary 应为 GeoJSON Polygon 或 MultiPolygon 对象");
        in->boundary = bd;
    }
    return 0;
}

int http_orgs_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct org_input in = {.households = -1};
    int64_t parent = 0;
    int kind = 0;
    int rc = jin_int(b, "parent_id", true, 1, INT64_MAX, &parent, &r->err);
    if (!rc)
        rc = jin_enum(b, "kind", true, org_kind_from_id, ORG_KIND__COUNT, &kind, &r->err);
    if (!rc)
        rc = decode_common(r, b, &in, true);
    if (rc)
        return rc;
    in.parent_id = parent;
    in.kind = (enum org_kind)kind;
    struct org o;
    rc = app_org_create(r->app, &r->actor, &in, r->now, &o, &r->err);
    if (rc)
        return rc;
    struct org *path = NULL;
    size_t n_path = 0;
    struct org again;
    /* the path of the node just made; without it the answer is still the org */
    if (app_org_get(r->app, &r->actor, o.id, &again, &path, &n_path, NULL) != 0) {
        path = NULL;
        n_path = 0;
    }
    json_t *j = org_with_path(&o, path, n_path);
    free(path);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 201, j);
    return 0;
}

int http_orgs_get(struct req *r, struct reply *out)
{
    struct org o;
    struct org *path = NULL;
    size_t n_path = 0;
    int rc = app_org_get(r->app, &r->actor, r->id, &o, &path, &n_path, &r->err);
    if (rc)
        return rc;
    json_t *j = org_with_path(&o, path, n_path);
    free(path);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}

int http_orgs_list(struct req *r, struct reply *out)
{
    struct org_filter f;
    memset(&f, 0, sizeof f);
    f.kind = -1;
    int rc = req_query_int(r, "parent_id", 1, INT64_MAX, &f.parent_id);
    if (rc < 0)
        return rc;
    const char *kind = req_query(r, "kind");
    if (kind && *kind) {
        f.kind = org_kind_from_id(kind);
        if (f.kind < 0)
            return gg_error_set(&r->err, GG_EINVAL, "kind", "kind 的取值无效");
    }
    rc = req_limit(r, &f.limit);
    if (!rc)
        rc = req_cursor(r, &f.after_id);
    if (rc)
        return rc;
    struct org *items = NULL;
    size_t n = 0;
    rc = app_org_list(r->app, &r->actor, &f, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_org(&items[i]));
    char cur[24];
    const char *next = n && n == (size_t)f.limit ? cursor_text(items[n - 1].id, cur) : NULL;
    free(items);
    json_t *j = json_list(a, next);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}

int http_orgs_update(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct org cur;
    struct org *path = NULL;
    size_t n_path = 0;
    int rc = app_org_get(r->app, &r->actor, r->id, &cur, &path, &n_path, &r->err);
    if (rc)
        return rc;
    /* parent and kind never change; the same value (a client sending the object back) is
     * accepted */
    int64_t parent = 0;
    int kind = -1;
    struct org_input in = {.households = -1};
    rc = jin_int(b, "parent_id", false, 0, INT64_MAX, &parent, &r->err);
    if (rc == 0 && parent != cur.parent_id)
        rc = gg_error_set(&r->err, GG_EINVAL, "parent_id", "不能修改上级组织");
    if (rc >= 0) {
        int k = jin_enum(b, "kind", false, org_kind_from_id, ORG_KIND__COUNT, &kind, &r->err);
        if (k == 0 && kind != (int)cur.kind)
            k = gg_error_set(&r->err, GG_EINVAL, "kind", "不能修改组织类型");
        rc = k;
    }
    if (rc >= 0)
        rc = decode_common(r, b, &in, false);
    if (rc < 0)
        goto out;
    struct org o;
    rc = app_org_update(r->app, &r->actor, r->id, &in, r->now, &o, &r->err);
    if (rc)
        goto out;
    json_t *j = org_with_path(&o, path, n_path);
    if (!j) {
        rc = gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
        goto out;
    }
    reply_json(out, 200, j);
    rc = 0;
out:
    free(path);
    return rc;
}

int http_orgs_import(struct req *r, struct reply *out)
{
    int created = 0, updated = 0;
    struct import_error *errors = NULL;
    size_t n_errors = 0;
    int rc = app_org_import(r->app, &r->actor, req_body(r), r->now, &created, &updated, &errors,
                            &n_errors, &r->err);
    json_t *errs = json_array();
    for (size_t i = 0; errs && i < n_errors; i++)
        json_array_append_new(
            errs, json_pack("{s:i, s:s}", "index", errors[i].index, "message", errors[i].message));
    free(errors);
    if (!errs)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    json_t *j;
    int status = 200;
    if (rc) {
        if (n_errors == 0) {
            json_decref(errs);
            return rc;
        }
        /* all or nothing: the error body also carries the per-feature report */
        j = reply_error_body(rc, &r->err);
        status = reply_status_of(rc);
    } else {
        j = json_object();
    }
    if (!j) {
        json_decref(errs);
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    }
    json_object_set_new(j, "created", json_integer(created));
    json_object_set_new(j, "updated", json_integer(updated));
    json_object_set_new(j, "errors", errs);
    reply_json(out, status, j);
    return 0;
}

int http_orgs_boundary(struct req *r, struct reply *out)
{
    char *text = NULL;
    int rc = app_org_boundary(r->app, &r->actor, r->id, &text, &r->err);
    if (rc)
        return rc;
    if (!text)
        return gg_error_set(&r->err, GG_ENOTFOUND, NULL, "该组织没有边界");
    reply_text(out, 200, "application/geo+json", text, strlen(text));
    return 0;
}

int http_orgs_boundaries(struct req *r, struct reply *out)
{
    int64_t parent = 0;
    int rc = req_query_int(r, "parent_id", 1, INT64_MAX, &parent);
    if (rc < 0)
        return rc;
    char *text = NULL;
    size_t len = 0;
    rc = app_org_boundaries(r->app, &r->actor, rc == 1 ? 0 : parent, &text, &len, &r->err);
    if (rc)
        return rc;
    reply_text(out, 200, "application/geo+json", text, len);
    return 0;
}

static int query_coord(struct req *r, const char *name, double min, double max, double *out)
{
    const char *v = req_query(r, name);
    if (!v || !*v)
        return gg_error_set(&r->err, GG_EINVAL, name, "缺少参数 %s", name);
    char *end;
    double x = strtod(v, &end);
    if (*end || end == v || !(x >= min && x <= max))
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 应为 %g 到 %g 之间的数", name, min,
                            max);
    *out = x;
    return 0;
}

int http_locate(struct req *r, struct reply *out)
{
    double lat, lon;
    int rc = query_coord(r, "lat", -90, 90, &lat);
    if (!rc)
        rc = query_coord(r, "lon", -180, 180, &lon);
    if (rc)
        return rc;
    struct org grid;
    struct org *path = NULL;
    size_t n_path = 0;
    rc = app_locate(r->app, lat, lon, &grid, &path, &n_path, &r->err);
    if (rc)
        return rc;
    json_t *j =
        json_pack("{s:o, s:o}", "grid", json_org_brief(&grid), "path", json_org_path(path, n_path));
    free(path);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}
