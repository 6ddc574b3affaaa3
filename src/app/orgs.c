/* orgs.c - the organisation tree (区—街道—社区—网格—楼栋—单元 and departments): kind rules,
 * GeoJSON boundaries, FeatureCollection import (all or nothing), and location → grid.
 * GeoJSON text is turned into core/geo shapes here; the geometry itself is core/geo.c. */
#include "app/internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* May a node of kind `child` sit under a node of kind `parent`? */
static bool kind_allowed(enum org_kind parent, enum org_kind child)
{
    switch (child) {
    case ORG_DISTRICT:
        return parent == ORG_CITY;
    case ORG_STREET:
        return parent == ORG_DISTRICT;
    case ORG_COMMUNITY:
        return parent == ORG_STREET;
    case ORG_GRID:
        return parent == ORG_COMMUNITY || parent == ORG_GRID;
    case ORG_BUILDING:
        return parent == ORG_GRID;
    case ORG_UNIT:
        return parent == ORG_BUILDING;
    case ORG_DEPARTMENT:
        return parent == ORG_CITY || parent == ORG_DISTRICT || parent == ORG_STREET;
    default:
        return false;
    }
}

/* ---- GeoJSON ---- */

static int ring_from_json(const json_t *arr, struct geo_ring *r)
{
    size_t n = json_array_size(arr);
    if (!json_is_array(arr) || n < 4 || n > 100000)
        return -1;
    r->xy = malloc(2 * n * sizeof(double));
    if (!r->xy)
        return -1;
    r->n_pts = n;
    for (size_t i = 0; i < n; i++) {
        const json_t *pt = json_array_get(arr, i);
        if (!json_is_array(pt) || json_array_size(pt) < 2 || !json_is_number(json_array_get(pt, 0)) ||
            !json_is_number(json_array_get(pt, 1)))
            return -1;
        r->xy[2 * i] = json_number_value(json_array_get(pt, 0));
        r->xy[2 * i + 1] = json_number_value(json_array_get(pt, 1));
    }
    return 0;
}

static int polygon_from_json(const json_t *rings, struct geo_polygon *p)
{
    size_t n = json_array_size(rings);
    if (!json_is_array(rings) || n < 1 || n > 1000)
        return -1;
    p->rings = calloc(n, sizeof *p->rings);
    if (!p->rings)
        return -1;
    p->n_rings = n;
    for (size_t i = 0; i < n; i++)
        if (ring_from_json(json_array_get(rings, i), &p->rings[i]))
            return -1;
    return 0;
}

static int shape_from_json(const json_t *g, struct geo_shape *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    const char *type = json_string_value(json_object_get(g, "type"));
    const json_t *coords = json_object_get(g, "coordinates");
    int bad = 0;
    if (!json_is_object(g) || !type || !json_is_array(coords)) {
        bad = 1;
    } else if (strcmp(type, "Polygon") == 0) {
        out->polys = calloc(1, sizeof *out->polys);
        out->n_polys = out->polys ? 1 : 0;
        bad = !out->polys || polygon_from_json(coords, &out->polys[0]);
    } else if (strcmp(type, "MultiPolygon") == 0) {
        size_t n = json_array_size(coords);
        out->polys = n && n <= 1000 ? calloc(n, sizeof *out->polys) : NULL;
        out->n_polys = out->polys ? n : 0;
        bad = !out->polys;
        for (size_t i = 0; !bad && i < n; i++)
            bad = polygon_from_json(json_array_get(coords, i), &out->polys[i]);
    } else {
        bad = 1;
    }
    char msg[200] = "";
    if (!bad && geo_shape_validate(out, msg, sizeof msg))
        bad = 2;
    if (bad) {
        geo_shape_release(out);
        return gg_error_set(err, GG_EINVAL, "boundary", "%s",
                            bad == 2 ? msg : "boundary 应为 GeoJSON Polygon 或 MultiPolygon");
    }
    geo_shape_bbox(out);
    return 0;
}

int app_geojson_to_shape(const char *text, struct geo_shape *out, struct gg_error *err)
{
    json_error_t je;
    json_t *g = json_loads(text, 0, &je);
    if (!g)
        return gg_error_set(err, GG_EINVAL, "boundary", "boundary 不是有效的 JSON");
    int rc = shape_from_json(g, out, err);
    json_decref(g);
    return rc;
}

/* Validates a geometry and returns its compact text (heap) in *text. */
static int boundary_text(const json_t *g, char **text, struct gg_error *err)
{
    struct geo_shape sh;
    int rc = shape_from_json(g, &sh, err);
    if (rc)
        return rc;
    geo_shape_release(&sh);
    *text = json_dumps(g, JSON_COMPACT);
    return *text ? 0 : gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > GG_MAX_CODE)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

/* Checks the fields of a new node against its parent; fills o. */
static int check_new(struct store *s, const struct org_input *in, struct org *o,
                     struct org *parent, struct gg_error *err)
{
    if ((unsigned)in->kind >= ORG_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "kind 无效");
    if (!in->code || !code_ok(in->code))
        return gg_error_set(err, GG_EINVAL, "code", "code 应为 1 到 32 位字母、数字、- 或 _");
    int rc = app_check_text(in->name, GG_MAX_NAME, "name", true, err);
    if (rc)
        return rc;
    rc = app_check_text(in->department_kind, GG_MAX_NAME, "department_kind", false, err);
    if (rc)
        return rc;
    if (in->parent_id <= 0)
        return gg_error_set(err, GG_EINVAL, "parent_id", "parent_id 不能为空");
    rc = s->ops->org_get(s, in->parent_id, parent);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "parent_id", "上级组织不存在");
    if (rc)
        return rc;
    if (!kind_allowed(parent->kind, in->kind))
        return gg_error_set(err, GG_EINVAL, "kind", "%s 不能设在 %s 之下",
                            org_kind_zh(in->kind), org_kind_zh(parent->kind));
    if (in->boundary && in->kind != ORG_GRID)
        return gg_error_set(err, GG_EINVAL, "boundary", "只有网格可以设置边界");
    if (in->kind == ORG_DEPARTMENT && (!in->department_kind || !*in->department_kind))
        return gg_error_set(err, GG_EINVAL, "department_kind", "职能部门需要 department_kind");
    if (in->households < -1 || in->households > 1000000)
        return gg_error_set(err, GG_EINVAL, "households", "households 超出范围");
    memset(o, 0, sizeof *o);
    o->parent_id = in->parent_id;
    o->kind = in->kind;
    gg_strlcpy(o->code, in->code, sizeof o->code);
    gg_strlcpy(o->name, in->name, sizeof o->name);
    o->households = in->households < 0 ? 0 : in->households;
    gg_strlcpy(o->department_kind, in->department_kind ? in->department_kind : "",
               sizeof o->department_kind);
    o->has_boundary = in->boundary != NULL;
    return 0;
}

struct create_ctx {
    const struct actor *who;
    const struct org_input *in;
    int64_t now;
    struct org *out;
};

static int insert_org(struct store *s, const struct actor *who, const struct org_input *in,
                      int64_t now, struct org *o, struct gg_error *err)
{
    struct org parent;
    int rc = check_new(s, in, o, &parent, err);
    if (rc)
        return rc;
    if (!scope_covers(who->scope_path, parent.path))
        return gg_error_set(err, GG_EFORBIDDEN, "parent_id", "上级组织不在管辖范围内");
    char *text = NULL;
    if (in->boundary) {
        rc = boundary_text(in->boundary, &text, err);
        if (rc)
            return rc;
    }
    o->created_at = o->updated_at = now;
    rc = s->ops->org_insert(s, o, text, err);
    free(text);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "编码 %s 已存在", o->code);
    if (rc)
        return rc;
    char detail[200];
    snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"kind\":\"%s\",\"parent_id\":%lld}",
             o->code, org_kind_id(o->kind), (long long)o->parent_id);
    return app_audit(s, who, now, "org.create", "org", o->id, detail);
}

static int create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct create_ctx *c = ctx;
    int rc = insert_org(s, c->who, c->in, c->now, c->out, err);
    if (!rc)
        app_cache_invalidate_orgs(a);
    return rc;
}

int app_org_create(struct app *a, const struct actor *who, const struct org_input *in,
                   int64_t now, struct org *out, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以维护组织架构");
    struct org o;
    struct create_ctx c = {who, in, now, &o};
    int rc = app_write(a, create_job, &c, err);
    if (!rc && out)
        *out = o;
    return rc;
}

struct update_ctx {
    const struct actor *who;
    int64_t id;
    const struct org_input *in;
    int64_t now;
    struct org *out;
};

static int apply_update(struct store *s, const struct actor *who, struct org *o,
                        const struct org_input *in, int64_t now, struct gg_error *err)
{
    if (!scope_covers(who->scope_path, o->path))
        return gg_error_set(err, GG_ENOTFOUND, NULL, "组织不存在");
    int rc = 0;
    if (in->code) {
        if (!code_ok(in->code))
            return gg_error_set(err, GG_EINVAL, "code", "code 应为 1 到 32 位字母、数字、- 或 _");
        gg_strlcpy(o->code, in->code, sizeof o->code);
    }
    if (in->name) {
        rc = app_check_text(in->name, GG_MAX_NAME, "name", true, err);
        if (rc)
            return rc;
        gg_strlcpy(o->name, in->name, sizeof o->name);
    }
    if (in->department_kind) {
        rc = app_check_text(in->department_kind, GG_MAX_NAME, "department_kind", false, err);
        if (rc)
            return rc;
        gg_strlcpy(o->department_kind, in->department_kind, sizeof o->department_kind);
    }
    if (in->households >= 0) {
        if (in->households > 1000000)
            return gg_error_set(err, GG_EINVAL, "households", "households 超出范围");
        o->households = in->households;
    }
    char *text = NULL;
    if (in->boundary) {
        if (o->kind != ORG_GRID)
            return gg_error_set(err, GG_EINVAL, "boundary", "只有网格可以设置边界");
        rc = boundary_text(in->boundary, &text, err);
        if (rc)
            return rc;
        o->has_boundary = true;
    }
    o->updated_at = now;
    rc = s->ops->org_update(s, o, text, err);
    free(text);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "编码 %s 已存在", o->code);
    if (rc)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"boundary\":%s}", o->code,
             in->boundary ? "true" : "false");
    return app_audit(s, who, now, "org.update", "org", o->id, detail);
}

static int update_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct update_ctx *c = ctx;
    int rc = s->ops->org_get(s, c->id, c->out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "组织不存在");
    if (rc)
        return rc;
    rc = apply_update(s, c->who, c->out, c->in, c->now, err);
    if (!rc)
        app_cache_invalidate_orgs(a);
    return rc;
}

int app_org_update(struct app *a, const struct actor *who, int64_t id, const struct org_input *in,
                   int64_t now, struct org *out, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以维护组织架构");
    struct org o;
    struct update_ctx c = {who, id, in, now, &o};
    int rc = app_write(a, update_job, &c, err);
    if (!rc && out)
        *out = o;
    return rc;
}

/* Readable: inside the actor's subtree, or one of its ancestors. */
static bool org_readable(const struct actor *who, const struct org *o)
{
    return scope_covers(who->scope_path, o->path) || scope_covers(o->path, who->scope_path);
}

int app_org_get(struct app *a, const struct actor *who, int64_t id, struct org *out,
                struct org **path, size_t *n_path, struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->org_get(s, id, out);
    if (rc == 0 && !org_readable(who, out))
        rc = -GG_ENOTFOUND;
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "组织不存在");
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    if (path) {
        rc = app_org_ancestors(a, s, out->path, false, path, n_path);
        if (rc)
            return gg_error_set(err, rc, NULL, "数据库暂不可用");
    }
    return 0;
}

int app_org_boundary(struct app *a, const struct actor *who, int64_t id, char **geojson,
                     struct gg_error *err)
{
    struct org o;
    int rc = app_org_get(a, who, id, &o, NULL, NULL, err);
    if (rc)
        return rc;
    struct store *s = app_store_for_read(a);
    rc = s->ops->org_boundary(s, id, geojson);
    return rc ? gg_error_set(err, rc, NULL, "数据库暂不可用") : 0;
}

struct boundaries_ctx {
    const char *prefix;
    struct gg_buf *b;
    int n;
};

static int add_feature(void *p, const struct org *g, const char *geojson)
{
    struct boundaries_ctx *c = p;
    if (!scope_covers(c->prefix, g->path))
        return 0;
    json_t *props = json_pack("{s:I, s:s, s:s, s:I, s:i}", "id", (json_int_t)g->id, "code",
                              g->code, "name", g->name, "parent_id", (json_int_t)g->parent_id,
                              "households", g->households);
    char *pt = props ? json_dumps(props, JSON_COMPACT) : NULL;
    json_decref(props);
    if (!pt)
        return -GG_ENOMEM;
    int rc = gg_buf_printf(c->b, "%s{\"type\":\"Feature\",\"id\":%lld,\"properties\":%s,"
                                 "\"geometry\":%s}",
                           c->n ? "," : "", (long long)g->id, pt, geojson);
    free(pt);
    c->n++;
    return rc ? -GG_ETOOLARGE : 0;
}

int app_org_boundaries(struct app *a, const struct actor *who, int64_t parent_id, char **out,
                       size_t *len, struct gg_error *err)
{
    *out = NULL;
    *len = 0;
    const char *prefix = who->scope_path;
    struct org parent;
    if (parent_id) {
        int rc = app_org_get(a, who, parent_id, &parent, NULL, NULL, err);
        if (rc)
            return rc;
        if (scope_covers(who->scope_path, parent.path))
            prefix = parent.path; /* else an ancestor of the scope: the scope is narrower */
    }
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct gg_buf b;
    gg_buf_init(&b, (size_t)256 << 20);
    struct boundaries_ctx c = {prefix, &b, 0};
    int rc = gg_buf_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
    if (!rc)
        rc = s->ops->org_grids_each(s, add_feature, &c);
    if (!rc)
        rc = gg_buf_puts(&b, "]}");
    if (rc) {
        gg_buf_release(&b);
        return gg_error_set(err, rc == -GG_ETOOLARGE ? GG_ETOOLARGE : GG_EUNAVAILABLE, NULL,
                            "无法读取网格边界");
    }
    *len = b.len;
    *out = gg_buf_detach(&b);
    return *out ? 0 : gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
}

int app_org_list(struct app *a, const struct actor *who, const struct org_filter *f,
                 struct org **items, size_t *n, struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct org_filter g = *f;
    gg_strlcpy(g.scope_path, who->scope_path, sizeof g.scope_path);
    int rc = s->ops->org_list(s, &g, items, n);
    return rc ? gg_error_set(err, rc, NULL, "数据库暂不可用") : 0;
}

/* ---- import ---- */

struct import_ctx {
    const struct actor *who;
    const json_t *features;
    int64_t now;
    int created, updated;
    struct import_error *errors;
    size_t n_errors;
};

static int add_error(struct import_ctx *c, int index, const char *msg)
{
    struct import_error *e = realloc(c->errors, (c->n_errors + 1) * sizeof *e);
    if (!e)
        return -GG_ENOMEM;
    c->errors = e;
    e[c->n_errors].index = index;
    gg_strlcpy(e[c->n_errors].message, msg, sizeof e[c->n_errors].message);
    c->n_errors++;
    return 0;
}

static int import_one(struct store *s, struct import_ctx *c, size_t i, const json_t *f,
                      struct gg_error *err)
{
    const json_t *props = json_object_get(f, "properties");
    const json_t *geom = json_object_get(f, "geometry");
    if (!json_is_object(f) || !json_is_object(props))
        return gg_error_set(err, GG_EINVAL, "properties", "要素缺少 properties");
    const char *code = json_string_value(json_object_get(props, "code"));
    const char *name = json_string_value(json_object_get(props, "name"));
    const char *kind = json_string_value(json_object_get(props, "kind"));
    const char *parent_code = json_string_value(json_object_get(props, "parent_code"));
    const json_t *hh = json_object_get(props, "households");
    if (!code)
        return gg_error_set(err, GG_EINVAL, "code", "缺少 code");
    if (hh && !json_is_integer(hh))
        return gg_error_set(err, GG_EINVAL, "households", "households 应为整数");
    if (json_is_null(geom))
        geom = NULL;
    struct org_input in = {.code = code, .name = name, .boundary = geom,
                           .households = hh ? (int)json_integer_value(hh) : -1,
                           .department_kind =
                               json_string_value(json_object_get(props, "department_kind"))};
    struct org existing;
    int rc = s->ops->org_get_by_code(s, code, &existing);
    if (rc == 0) {
        if (kind && org_kind_from_id(kind) != (int)existing.kind)
            return gg_error_set(err, GG_EINVAL, "kind", "已存在的 %s 类型不同", code);
        in.code = NULL;
        rc = apply_update(s, c->who, &existing, &in, c->now, err);
        if (!rc)
            c->updated++;
        return rc;
    }
    if (rc != -GG_ENOTFOUND)
        return rc;
    int k = kind ? org_kind_from_id(kind) : ORG_GRID;
    if (k < 0)
        return gg_error_set(err, GG_EINVAL, "kind", "kind 无效");
    in.kind = k;
    if (!parent_code)
        return gg_error_set(err, GG_EINVAL, "parent_code", "缺少 parent_code");
    struct org parent;
    rc = s->ops->org_get_by_code(s, parent_code, &parent);
    if (rc)
        return gg_error_set(err, GG_EINVAL, "parent_code", "上级编码 %s 不存在", parent_code);
    in.parent_id = parent.id;
    struct org o;
    rc = insert_org(s, c->who, &in, c->now, &o, err);
    if (!rc)
        c->created++;
    return rc;
}

static int import_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct import_ctx *c = ctx;
    size_t n = json_array_size(c->features);
    for (size_t i = 0; i < n; i++) {
        struct gg_error fe = {0};
        /* each feature in its own savepoint, so one failure does not poison the rest of the
         * check; the whole import is rolled back below when any failed */
        int rc = s->ops->savepoint(s);
        if (rc)
            return rc;
        rc = import_one(s, c, i, json_array_get(c->features, i), &fe);
        if (!rc && (rc = s->ops->release(s)) != 0) /* a pipelined statement failed */
            gg_error_set(&fe, -rc, NULL, "写入失败");
        if (rc) {
            s->ops->rollback_to(s);
            if (rc == -GG_ENOMEM || rc == -GG_EIO || rc == -GG_EUNAVAILABLE)
                return gg_error_set(err, -rc, NULL, "导入失败");
            char msg[400];
            snprintf(msg, sizeof msg, "%s%s%s", fe.field, fe.field[0] ? ": " : "", fe.message);
            if (add_error(c, (int)i, msg))
                return -GG_ENOMEM;
        }
    }
    if (c->n_errors)
        return gg_error_set(err, GG_EINVAL, "features", "%zu 个要素有错误，未导入任何数据",
                            c->n_errors);
    app_cache_invalidate_orgs(a);
    return 0;
}

int app_org_import(struct app *a, const struct actor *who, const json_t *collection, int64_t now,
                   int *created, int *updated, struct import_error **errors, size_t *n_errors,
                   struct gg_error *err)
{
    *errors = NULL;
    *n_errors = 0;
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以导入组织架构");
    const char *type = json_string_value(json_object_get(collection, "type"));
    const json_t *features = json_object_get(collection, "features");
    if (!type || strcmp(type, "FeatureCollection") != 0 || !json_is_array(features))
        return gg_error_set(err, GG_EINVAL, "type", "应为 GeoJSON FeatureCollection");
    if (json_array_size(features) > 100000)
        return gg_error_set(err, GG_EINVAL, "features", "一次最多导入 100000 个要素");
    struct import_ctx c = {.who = who, .features = features, .now = now};
    int rc = app_write(a, import_job, &c, err);
    *errors = c.errors;
    *n_errors = c.n_errors;
    if (!rc) {
        *created = c.created;
        *updated = c.updated;
    } else {
        *created = *updated = 0;
        app_cache_invalidate_orgs(a); /* the job may have marked caches mid-way */
    }
    return rc;
}

int app_locate(struct app *a, double lat, double lon, struct org *grid, struct org **path,
               size_t *n_path, struct gg_error *err)
{
    if (!isfinite(lat) || lat < -90 || lat > 90)
        return gg_error_set(err, GG_EINVAL, "lat", "纬度应在 -90 到 90 之间");
    if (!isfinite(lon) || lon < -180 || lon > 180)
        return gg_error_set(err, GG_EINVAL, "lon", "经度应在 -180 到 180 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int64_t id = app_locate_id(a, s, lat, lon);
    if (!id)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "该位置不在任何网格内");
    int rc = s->ops->org_get(s, id, grid);
    if (!rc && path)
        rc = app_org_ancestors(a, s, grid->path, false, path, n_path);
    return rc ? gg_error_set(err, rc, NULL, "数据库暂不可用") : 0;
}
