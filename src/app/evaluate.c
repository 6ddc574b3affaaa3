/* evaluate.c - the writes behind two of the command centre's assessments (DESIGN section 11):
 * the department reverse evaluation (部门反向评价: after a whistle, the unit that whistled rates
 * each department that reported in) and property companies (物业企业) with the communities and
 * grids they serve, for the red/black list. Each write is one transaction with its audit entry.
 *
 * Not here: the rankings themselves (app/stats.c, formulas in core/indicators.c), HTTP. */
#include "app/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "core/scope.h"

#define MAX_AREAS 200
#define MAX_HOUSEHOLDS 1000000

/* ---- department reverse evaluation ---- */

struct rate_ctx {
    const struct actor *who;
    int64_t event_id;
    const struct dept_rating_input *in;
    int64_t now;
    struct dept_rating *out;
};

/* True when a user scoped at the caller's unit blew a whistle on the event. */
static int whistled_by_unit(struct store *s, const struct actor *who, int64_t event_id,
                            bool *yes)
{
    *yes = false;
    struct timeline_entry *t = NULL;
    size_t n = 0;
    int rc = s->ops->timeline_list(s, event_id, &t, &n);
    for (size_t i = 0; !rc && !*yes && i < n; i++) {
        if (t[i].action != EVENT_ACTION_WHISTLE || !t[i].actor_id)
            continue;
        struct user u;
        if (s->ops->user_get(s, t[i].actor_id, &u) == 0 && u.scope_org_id == who->scope_org_id)
            *yes = true;
    }
    free(t);
    return rc;
}

static int rate_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct rate_ctx *c = p;
    struct store_scope sc;
    app_scope_of(c->who, &sc);
    struct event e;
    int rc = s->ops->event_get(s, c->event_id, &sc, &e);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "事件不存在");
    if (rc)
        return rc;
    bool unit = false;
    rc = whistled_by_unit(s, c->who, e.id, &unit);
    if (rc)
        return rc;
    if (!unit)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有吹哨单位可以评价报到部门");
    if (e.status != EVENT_STATUS_CLOSED)
        return gg_error_set(err, GG_ECONFLICT, NULL, "事件结案后才能评价报到部门");
    struct whistle *w = NULL;
    size_t nw = 0;
    rc = s->ops->whistle_list(s, e.id, &w, &nw);
    const struct whistle *mine = NULL;
    for (size_t i = 0; !rc && i < nw; i++)
        if (w[i].dept_org_id == c->in->dept_org_id)
            mine = &w[i];
    bool reported = mine && mine->reported_at;
    free(w);
    if (rc)
        return rc;
    if (!mine)
        return gg_error_set(err, GG_EINVAL, "department_id", "该部门未被吹哨");
    if (!reported)
        return gg_error_set(err, GG_EINVAL, "department_id", "该部门未报到，不能评价");
    struct dept_rating *r = c->out;
    memset(r, 0, sizeof *r);
    r->event_id = e.id;
    r->dept_org_id = c->in->dept_org_id;
    r->score = c->in->score;
    gg_strlcpy(r->note, c->in->note ? c->in->note : "", sizeof r->note);
    r->rater_id = c->who->user_id;
    r->rater_org_id = c->who->scope_org_id;
    r->at = c->now;
    rc = s->ops->dept_rating_insert(s, r);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "department_id", "该部门已评价过");
    if (rc)
        return rc;
    char detail[96];
    snprintf(detail, sizeof detail, "{\"department_id\":%lld,\"score\":%d}",
             (long long)r->dept_org_id, r->score);
    return app_audit(s, c->who, c->now, "event.rate_department", "event", e.id, detail);
}

int app_dept_rate(struct app *a, const struct actor *who, int64_t event_id,
                  const struct dept_rating_input *in, int64_t now, struct dept_rating *out,
                  struct gg_error *err)
{
    if (who->role != ROLE_STAFF && who->role != ROLE_LEADER)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权评价报到部门", role_zh(who->role));
    if (in->score < 1 || in->score > 5)
        return gg_error_set(err, GG_EINVAL, "score", "评分应为 1 到 5");
    if (in->dept_org_id <= 0)
        return gg_error_set(err, GG_EINVAL, "department_id", "请指定部门");
    int rc = app_check_text(in->note, GG_MAX_NOTE, "note", false, err);
    if (rc)
        return rc;
    struct rate_ctx c = {who, event_id, in, now, out};
    return app_write(a, rate_job, &c, err);
}

int app_dept_ratings(struct app *a, const struct actor *who, int64_t event_id,
                     struct dept_rating **items, size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct event e;
    int rc = s->ops->event_get(s, event_id, &sc, &e);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "事件不存在");
    if (!rc)
        rc = s->ops->dept_rating_list(s, e.id, items, n);
    return rc ? gg_error_set(err, rc, NULL, "读取部门评价失败") : 0;
}

/* ---- property companies ---- */

void app_property_view_release(struct property_view *v)
{
    if (!v)
        return;
    free(v->areas);
    v->areas = NULL;
    v->n_areas = 0;
}

static bool may_manage(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_STAFF;
}

static bool may_read(enum role r)
{
    return may_manage(r) || r == ROLE_LEADER || r == ROLE_GRID_OFFICER;
}

static bool in_scope(const struct actor *who, const char *path)
{
    return who->role == ROLE_ADMIN || scope_covers(who->scope_path, path);
}

/* The company with its areas within the caller's scope; -GG_ENOTFOUND when it has none there
 * (admins see every company). */
static int load_view(struct store *s, const struct actor *who, int64_t id,
                     struct property_view *out)
{
    memset(out, 0, sizeof *out);
    int rc = s->ops->property_get(s, id, &out->c);
    struct property_area *all = NULL;
    size_t n = 0;
    if (!rc)
        rc = s->ops->property_areas(s, id, &all, &n);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in_scope(who, all[i].org_path)) {
            all[k++] = all[i];
            out->households += all[i].households;
        }
    out->areas = all;
    out->n_areas = k;
    if (!k && who->role != ROLE_ADMIN) {
        app_property_view_release(out);
        return -GG_ENOTFOUND;
    }
    return 0;
}

struct prop_ctx {
    const struct actor *who;
    int64_t id; /* 0 = create */
    const struct property_input *in;
    int64_t now;
    struct property_view *out;
};

/* Checks and resolves the areas of the input into heap rows. */
static int resolve_areas(struct store *s, const struct actor *who, const struct property_input *in,
                         struct property_area **out, struct gg_error *err)
{
    *out = NULL;
    if (in->n_areas > MAX_AREAS)
        return gg_error_set(err, GG_EINVAL, "areas", "服务区域最多 %d 个", MAX_AREAS);
    if (!in->n_areas)
        return 0;
    struct property_area *ar = calloc(in->n_areas, sizeof *ar);
    if (!ar)
        return -GG_ENOMEM;
    int rc = 0;
    for (size_t i = 0; !rc && i < in->n_areas; i++) {
        struct org o;
        rc = s->ops->org_get(s, in->areas[i].org_id, &o);
        if (rc == -GG_ENOTFOUND || (!rc && !in_scope(who, o.path))) {
            rc = gg_error_set(err, GG_EINVAL, "areas", "区域 %lld 不存在",
                              (long long)in->areas[i].org_id);
            break;
        }
        if (rc)
            break;
        if (o.kind != ORG_COMMUNITY && o.kind != ORG_GRID) {
            rc = gg_error_set(err, GG_EINVAL, "areas", "%s 不是社区或网格", o.name);
            break;
        }
        if (in->areas[i].households > MAX_HOUSEHOLDS) {
            rc = gg_error_set(err, GG_EINVAL, "areas", "户数超出范围");
            break;
        }
        ar[i].org_id = o.id;
        gg_strlcpy(ar[i].org_path, o.path, sizeof ar[i].org_path);
        ar[i].households = in->areas[i].households >= 0 ? in->areas[i].households : o.households;
        for (size_t j = 0; !rc && j < i; j++)
            if (scope_covers(ar[j].org_path, o.path) || scope_covers(o.path, ar[j].org_path))
                rc = gg_error_set(err, GG_EINVAL, "areas", "区域重复或相互包含：%s", o.name);
    }
    if (rc)
        free(ar);
    else
        *out = ar;
    return rc;
}

static int prop_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct prop_ctx *c = p;
    struct property_company pc;
    memset(&pc, 0, sizeof pc);
    int rc = 0;
    if (c->id) {
        struct property_view cur;
        rc = load_view(s, c->who, c->id, &cur);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_ENOTFOUND, NULL, "物业企业不存在");
        if (rc)
            return rc;
        pc = cur.c;
        /* every area of the company must be the caller's to change it */
        struct property_area *all = NULL;
        size_t n_all = 0;
        rc = s->ops->property_areas(s, c->id, &all, &n_all);
        bool whole = !rc && n_all == cur.n_areas;
        free(all);
        app_property_view_release(&cur);
        if (rc)
            return rc;
        if (!whole)
            return gg_error_set(err, GG_ENOTFOUND, NULL, "物业企业不存在");
    }
    if (c->in->name)
        gg_strlcpy(pc.name, c->in->name, sizeof pc.name);
    pc.updated_at = c->now;
    if (!c->id)
        pc.created_at = c->now;
    struct property_area *ar = NULL;
    if (c->in->set_areas || !c->id) {
        rc = resolve_areas(s, c->who, c->in, &ar, err);
        if (rc)
            return rc;
    }
    rc = c->id ? s->ops->property_update(s, &pc) : s->ops->property_insert(s, &pc);
    if (rc == -GG_ECONFLICT)
        rc = gg_error_set(err, GG_ECONFLICT, "name", "物业企业名称已存在");
    if (!rc && (c->in->set_areas || !c->id)) {
        rc = s->ops->property_areas_set(s, pc.id, ar, c->in->n_areas);
        if (rc == -GG_ECONFLICT)
            rc = gg_error_set(err, GG_ECONFLICT, "areas", "区域已由其他物业企业服务");
    }
    free(ar);
    if (rc)
        return rc;
    char detail[GG_NAME_SZ + 64];
    snprintf(detail, sizeof detail, "{\"areas\":%zu}", c->in->n_areas);
    rc = app_audit(s, c->who, c->now, c->id ? "property.update" : "property.create", "property",
                   pc.id, detail);
    if (!rc)
        rc = load_view(s, c->who, pc.id, c->out);
    return rc;
}

static int property_write(struct app *a, const struct actor *who, int64_t id,
                          const struct property_input *in, int64_t now, struct property_view *out,
                          struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!may_manage(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权管理物业企业", role_zh(who->role));
    int rc = app_check_text(in->name, GG_MAX_NAME, "name", !id, err);
    if (rc)
        return rc;
    if (in->name && !*in->name)
        return gg_error_set(err, GG_EINVAL, "name", "名称不能为空");
    struct prop_ctx c = {who, id, in, now, out};
    rc = app_write(a, prop_job, &c, err);
    if (rc)
        app_property_view_release(out);
    return rc;
}

int app_property_create(struct app *a, const struct actor *who, const struct property_input *in,
                        int64_t now, struct property_view *out, struct gg_error *err)
{
    return property_write(a, who, 0, in, now, out, err);
}

int app_property_update(struct app *a, const struct actor *who, int64_t id,
                        const struct property_input *in, int64_t now, struct property_view *out,
                        struct gg_error *err)
{
    return property_write(a, who, id, in, now, out, err);
}

int app_property_get(struct app *a, const struct actor *who, int64_t id,
                     struct property_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!may_read(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权查看物业企业", role_zh(who->role));
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = load_view(s, who, id, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "物业企业不存在");
    return rc ? gg_error_set(err, rc, NULL, "读取物业企业失败") : 0;
}

int app_property_list(struct app *a, const struct actor *who, struct property_view **items,
                      size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (!may_read(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s无权查看物业企业", role_zh(who->role));
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct property_company *cs = NULL;
    size_t nc = 0;
    int rc = s->ops->property_list(s, &cs, &nc);
    struct property_view *v = nc ? calloc(nc, sizeof *v) : NULL;
    if (!rc && nc && !v)
        rc = -GG_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; !rc && i < nc; i++) {
        rc = load_view(s, who, cs[i].id, &v[k]);
        if (rc == -GG_ENOTFOUND)
            rc = 0;
        else if (!rc)
            k++;
    }
    free(cs);
    if (rc) {
        for (size_t i = 0; i < k; i++)
            app_property_view_release(&v[i]);
        free(v);
        return gg_error_set(err, rc, NULL, "读取物业企业失败");
    }
    *items = v;
    *n = k;
    return 0;
}
