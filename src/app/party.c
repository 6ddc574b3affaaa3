/* party.c - issue 6: the party organisation's use cases (党建): party orgs linked to org nodes,
 * party members, report-ins (双报到) with service willingness, cover links (三级包保) and the
 * lookup of who covers a node, the meetings of 三会一课 with attendance and minutes, and the
 * compliance check of those meetings against their required frequencies.
 *
 * Each write is one transaction (app_write) with its audit entry; reads are scoped in SQL.
 * Not here: the rules (core/party.c), SQL (store/sqlite/sqlite_party.c). */
#include "app/internal.h"

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "base/utf8.h"
#include "core/people.h"
#include "core/scope.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTING_MEETING_MONTHS "party.meeting_months"

static int db_error(int rc, struct gg_error *err)
{
    if (rc == -GG_ENOMEM)
        return gg_error_set(err, rc, NULL, "内存不足");
    return gg_error_set(err, rc, NULL, "数据库暂不可用");
}

static int forbid_write(const struct actor *who, struct gg_error *err)
{
    if (party_may_write(who->role))
        return 0;
    return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能维护党组织信息", role_zh(who->role));
}

static int forbid_read(const struct actor *who, struct gg_error *err)
{
    if (party_may_read(who->role))
        return 0;
    return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能查看党组织信息", role_zh(who->role));
}

static struct store *reader(struct app *a, struct gg_error *err)
{
    struct store *s = app_store_for_read(a);
    if (!s)
        gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    return s;
}

/* An org node a row is placed on: exists (422 field), inside the writer's scope (403). */
static int place(struct store *s, const struct actor *who, int64_t org_id, const char *field,
                 struct org *o, struct gg_error *err)
{
    if (org_id <= 0)
        return gg_error_set(err, GG_EINVAL, field, "%s 不能为空", field);
    int rc = s->ops->org_get(s, org_id, o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, field, "组织 %lld 不存在", (long long)org_id);
    if (rc)
        return db_error(rc, err);
    if (!scope_covers(who->scope_path, o->path))
        return gg_error_set(err, GG_EFORBIDDEN, field, "组织不在管辖范围内");
    return 0;
}

/* A list asks for one more than it shows: the extra row means there is a next page. */
static int page_limit(int limit)
{
    return (limit <= 0 ? 50 : limit > 500 ? 500 : limit) + 1;
}

#define TRIM_PAGE(items, n, limit, next, idfield)                                                  \
    do {                                                                                           \
        int lim_ = page_limit(limit) - 1;                                                          \
        if (*(n) > (size_t)lim_) {                                                                 \
            *(n) = (size_t)lim_;                                                                   \
            *(next) = (*(items))[lim_ - 1].idfield;                                                \
        }                                                                                          \
    } while (0)

static int audit_json(struct store *s, const struct actor *who, int64_t now, const char *action,
                      const char *type, int64_t id, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static int audit_json(struct store *s, const struct actor *who, int64_t now, const char *action,
                      const char *type, int64_t id, const char *fmt, ...)
{
    char detail[GG_NOTE_SZ];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    int rc = app_audit(s, who, now, action, type, id, detail);
    return rc;
}

/* ---- party orgs ---- */

struct porg_job {
    const struct actor *who;
    const struct party_org_input *in;
    int64_t now;
    struct party_org p;
};

static int porg_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct porg_job *j = ctx;
    const struct party_org_input *in = j->in;
    struct party_org *p = &j->p;
    memset(p, 0, sizeof *p);
    int rc = app_check_text(in->name, GG_MAX_NAME, "name", true, err);
    if (rc)
        return rc;
    if (in->kind < 0 || in->kind >= PARTY_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "党组织类型无效");
    struct org o;
    rc = place(s, j->who, in->org_id, "org_id", &o, err);
    if (rc)
        return rc;
    struct party_org parent;
    memset(&parent, 0, sizeof parent);
    if (in->parent_id) {
        struct store_scope sc;
        app_scope_of(j->who, &sc);
        rc = s->ops->party_org_get(s, in->parent_id, &sc, &parent);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "parent_id", "上级党组织 %lld 不存在",
                                (long long)in->parent_id);
        if (rc)
            return db_error(rc, err);
        /* a party org leads a node within its parent's node */
        if (!scope_covers(parent.org_path, o.path))
            return gg_error_set(err, GG_EINVAL, "org_id", "党组织所在的组织节点须在上级党组织的范围内");
    }
    if (!party_child_ok(in->parent_id != 0, parent.kind, (enum party_kind)in->kind))
        return gg_error_set(err, GG_EINVAL, "kind", "%s不能设在%s之下",
                            party_kind_zh((enum party_kind)in->kind),
                            in->parent_id ? party_kind_zh(parent.kind) : "顶层");
    if (in->secretary_user_id) {
        struct user u;
        rc = s->ops->user_get(s, in->secretary_user_id, &u);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "secretary_user_id", "用户不存在");
        if (rc)
            return db_error(rc, err);
    }
    p->parent_id = in->parent_id;
    p->kind = (enum party_kind)in->kind;
    gg_strlcpy(p->name, in->name, sizeof p->name);
    p->org_id = o.id;
    gg_strlcpy(p->org_path, o.path, sizeof p->org_path);
    p->district_id = o.district_id;
    p->secretary_user_id = in->secretary_user_id;
    p->created_at = j->now;
    rc = s->ops->party_org_insert(s, p);
    if (rc)
        return db_error(rc, err);
    return audit_json(s, j->who, j->now, "party_org.create", "party_org", p->id,
                      "{\"kind\":\"%s\",\"org_id\":%lld,\"parent_id\":%lld}",
                      party_kind_id(p->kind), (long long)p->org_id, (long long)p->parent_id);
}

int app_party_org_create(struct app *a, const struct actor *who, const struct party_org_input *in,
                         int64_t now, struct party_org *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct porg_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, porg_create_job, &j, err);
    if (!rc && out)
        *out = j.p;
    return rc;
}

int app_party_org_get(struct app *a, const struct actor *who, int64_t id, struct party_org *out,
                      struct gg_error *err)
{
    int rc = forbid_read(who, err);
    if (rc)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "党组织不存在");
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    rc = s->ops->party_org_get(s, id, &sc, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "党组织不存在");
    return rc ? db_error(rc, err) : 0;
}

int app_party_org_list(struct app *a, const struct actor *who, int64_t org_id, int kind,
                       int64_t parent_id, int64_t after_id, int limit, struct party_org **items,
                       size_t *n, int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    int rc = forbid_read(who, err);
    char path[GG_PATH_SZ];
    if (!rc)
        rc = app_org_filter_path(a, who, org_id, path, err);
    if (rc)
        return rc;
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    rc = s->ops->party_org_list(s, path, kind, parent_id, &sc, after_id, page_limit(limit), items,
                                n);
    if (rc)
        return db_error(rc, err);
    TRIM_PAGE(items, n, limit, next_cursor, id);
    return 0;
}

/* ---- party members ---- */

struct member_job {
    const struct actor *who;
    const struct party_member_input *in;
    int64_t now;
    struct party_member m;
};

static int member_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct member_job *j = ctx;
    const struct party_member_input *in = j->in;
    struct party_member *m = &j->m;
    memset(m, 0, sizeof *m);
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    int rc = app_check_text(in->name, GG_MAX_NAME, "name", true, err);
    if (rc)
        return rc;
    if (in->kind < 0 || in->kind >= MEMBER_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "党员类别无效");
    struct party_org po;
    rc = s->ops->party_org_get(s, in->party_org_id, &sc, &po);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "party_org_id", "党组织 %lld 不存在",
                            (long long)in->party_org_id);
    if (rc)
        return db_error(rc, err);
    if (!scope_covers(j->who->scope_path, po.org_path))
        return gg_error_set(err, GG_EFORBIDDEN, "party_org_id", "党组织不在管辖范围内");
    m->joined_days = INT64_MIN;
    if (in->joined_on && *in->joined_on && !date_parse(in->joined_on, &m->joined_days))
        return gg_error_set(err, GG_EINVAL, "joined_on", "入党日期应为 YYYY-MM-DD");
    if (in->user_id) {
        struct user u;
        rc = s->ops->user_get(s, in->user_id, &u);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "user_id", "用户 %lld 不存在", (long long)in->user_id);
        if (rc)
            return db_error(rc, err);
    }
    if (in->person_id) {
        struct person p;
        rc = s->ops->person_get(s, in->person_id, &sc, &p);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "person_id", "人员 %lld 不存在",
                                (long long)in->person_id);
        if (rc)
            return db_error(rc, err);
    }
    m->party_org_id = po.id;
    gg_strlcpy(m->party_path, po.party_path, sizeof m->party_path);
    gg_strlcpy(m->org_path, po.org_path, sizeof m->org_path);
    m->district_id = po.district_id;
    m->kind = (enum member_kind)in->kind;
    gg_strlcpy(m->name, in->name, sizeof m->name);
    m->user_id = in->user_id;
    m->person_id = in->person_id;
    m->created_at = j->now;
    rc = s->ops->party_member_insert(s, m);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, rc, in->user_id ? "user_id" : "person_id",
                            "该账号或人员已登记为党员");
    if (rc)
        return db_error(rc, err);
    return audit_json(s, j->who, j->now, "party_member.create", "party_member", m->id,
                      "{\"party_org_id\":%lld,\"kind\":\"%s\",\"user_id\":%lld,\"person_id\":%lld}",
                      (long long)m->party_org_id, member_kind_id(m->kind), (long long)m->user_id,
                      (long long)m->person_id);
}

int app_party_member_create(struct app *a, const struct actor *who,
                            const struct party_member_input *in, int64_t now,
                            struct party_member *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct member_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, member_create_job, &j, err);
    if (!rc && out)
        *out = j.m;
    return rc;
}

int app_party_member_get(struct app *a, const struct actor *who, int64_t id,
                         struct party_member *out, struct gg_error *err)
{
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc;
    if (who->role == ROLE_MEMBER) { /* a member reads their own record */
        rc = s->ops->party_member_by_user(s, who->user_id, out);
        if (!rc && out->id != id)
            rc = -GG_ENOTFOUND;
    } else {
        struct store_scope sc;
        app_scope_of(who, &sc);
        rc = s->ops->party_member_get(s, id, &sc, out);
    }
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "党员不存在");
    return rc ? db_error(rc, err) : 0;
}

int app_party_member_list(struct app *a, const struct actor *who, int64_t party_org_id,
                          int64_t after_id, int limit, struct party_member **items, size_t *n,
                          int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    int rc = forbid_read(who, err);
    if (rc)
        return rc;
    char ppath[GG_PATH_SZ] = "";
    if (party_org_id) {
        struct party_org po;
        rc = app_party_org_get(a, who, party_org_id, &po, err);
        if (rc)
            return rc;
        gg_strlcpy(ppath, po.party_path, sizeof ppath);
    }
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    rc = s->ops->party_member_list(s, ppath, &sc, after_id, page_limit(limit), items, n);
    if (rc)
        return db_error(rc, err);
    TRIM_PAGE(items, n, limit, next_cursor, id);
    return 0;
}

/* ---- report-ins (双报到) ---- */

struct report_job {
    const struct actor *who;
    const struct report_in_input *in;
    int64_t now;
    struct report_in r;
};

static int report_in_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct report_job *j = ctx;
    const struct report_in_input *in = j->in;
    struct report_in *r = &j->r;
    memset(r, 0, sizeof *r);
    int rc = app_check_text(in->skills, GG_MAX_SKILLS, "skills", false, err);
    if (!rc)
        rc = app_check_text(in->available, GG_MAX_SKILLS, "available", false, err);
    if (rc)
        return rc;
    struct party_member m;
    if (j->who->role == ROLE_MEMBER) {
        rc = s->ops->party_member_by_user(s, j->who->user_id, &m);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "member_id", "您的账号尚未登记为党员，不能报到");
        if (!rc && in->member_id && in->member_id != m.id)
            return gg_error_set(err, GG_EFORBIDDEN, "member_id", "只能为本人报到");
    } else {
        struct store_scope sc;
        app_scope_of(j->who, &sc);
        if (!in->member_id)
            return gg_error_set(err, GG_EINVAL, "member_id", "member_id 不能为空");
        rc = s->ops->party_member_get(s, in->member_id, &sc, &m);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "member_id", "党员 %lld 不存在",
                                (long long)in->member_id);
    }
    if (rc)
        return db_error(rc, err);
    struct org o;
    rc = place(s, j->who, in->org_id, "org_id", &o, err);
    if (rc)
        return rc;
    if (o.kind != ORG_COMMUNITY)
        return gg_error_set(err, GG_EINVAL, "org_id", "双报到只能报到到社区（%s 是%s）", o.name,
                            org_kind_zh(o.kind));
    r->member_id = m.id;
    gg_strlcpy(r->member_name, m.name, sizeof r->member_name);
    r->org_id = o.id;
    gg_strlcpy(r->org_path, o.path, sizeof r->org_path);
    r->district_id = o.district_id;
    gg_strlcpy(r->skills, in->skills ? in->skills : "", sizeof r->skills);
    gg_strlcpy(r->available, in->available ? in->available : "", sizeof r->available);
    r->at = j->now;
    r->recorded_by = j->who->user_id;
    rc = s->ops->report_in_insert(s, r);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, rc, "org_id", "该党员已向这个社区报到");
    if (rc)
        return db_error(rc, err);
    return audit_json(s, j->who, j->now, "report_in.create", "report_in", r->id,
                      "{\"member_id\":%lld,\"org_id\":%lld}", (long long)r->member_id,
                      (long long)r->org_id);
}

int app_report_in_create(struct app *a, const struct actor *who, const struct report_in_input *in,
                         int64_t now, struct report_in *out, struct gg_error *err)
{
    if (who->role != ROLE_MEMBER && !party_may_write(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能登记报到", role_zh(who->role));
    struct report_job j = {.who = who, .in = in, .now = now};
    int rc = app_write(a, report_in_job, &j, err);
    if (!rc && out)
        *out = j.r;
    return rc;
}

int app_report_in_list(struct app *a, const struct actor *who, int64_t org_id, int64_t member_id,
                       int64_t after_id, int limit, struct report_in **items, size_t *n,
                       int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc;
    const struct store_scope *scp = NULL;
    struct store_scope sc;
    char path[GG_PATH_SZ] = "";
    if (who->role == ROLE_MEMBER) {
        struct party_member m;
        rc = s->ops->party_member_by_user(s, who->user_id, &m);
        if (rc == -GG_ENOTFOUND)
            return 0; /* not a registered member: nothing reported */
        if (rc)
            return db_error(rc, err);
        if (member_id && member_id != m.id)
            return 0;
        member_id = m.id;
    } else {
        rc = forbid_read(who, err);
        if (!rc)
            rc = app_org_filter_path(a, who, org_id, path, err);
        if (rc)
            return rc;
        app_scope_of(who, &sc);
        scp = &sc;
    }
    rc = s->ops->report_in_list(s, path, member_id, scp, after_id, page_limit(limit), items, n);
    if (rc)
        return db_error(rc, err);
    TRIM_PAGE(items, n, limit, next_cursor, id);
    return 0;
}

/* ---- covers (三级包保) ---- */

struct cover_job {
    const struct actor *who;
    const struct cover_input *in;
    int64_t id;
    int64_t now;
    struct cover c;
};

static int cover_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct cover_job *j = ctx;
    const struct cover_input *in = j->in;
    struct cover *c = &j->c;
    memset(c, 0, sizeof *c);
    int rc = app_check_text(in->duty, GG_MAX_NAME, "duty", false, err);
    if (rc)
        return rc;
    if (in->level < 0 || in->level >= COVER_LEVEL__COUNT)
        return gg_error_set(err, GG_EINVAL, "level", "包保层级无效");
    struct user u;
    rc = s->ops->user_get(s, in->user_id, &u);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "user_id", "用户 %lld 不存在", (long long)in->user_id);
    if (rc)
        return db_error(rc, err);
    if (!party_may_cover(u.role) || u.disabled)
        return gg_error_set(err, GG_EINVAL, "user_id", "%s 不能承担包保责任", role_zh(u.role));
    struct org o;
    rc = place(s, j->who, in->org_id, "org_id", &o, err);
    if (rc)
        return rc;
    c->user_id = u.id;
    gg_strlcpy(c->user_name, u.display_name[0] ? u.display_name : u.username, sizeof c->user_name);
    c->org_id = o.id;
    gg_strlcpy(c->org_path, o.path, sizeof c->org_path);
    c->district_id = o.district_id;
    c->level = (enum cover_level)in->level;
    gg_strlcpy(c->duty, in->duty ? in->duty : "", sizeof c->duty);
    c->created_at = j->now;
    rc = s->ops->cover_insert(s, c);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, rc, "user_id", "该干部已包保这个节点");
    if (rc)
        return db_error(rc, err);
    return audit_json(s, j->who, j->now, "cover.create", "cover", c->id,
                      "{\"user_id\":%lld,\"org_id\":%lld,\"level\":\"%s\"}", (long long)c->user_id,
                      (long long)c->org_id, cover_level_id(c->level));
}

int app_cover_create(struct app *a, const struct actor *who, const struct cover_input *in,
                     int64_t now, struct cover *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct cover_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, cover_create_job, &j, err);
    if (!rc && out)
        *out = j.c;
    return rc;
}

static int cover_delete_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct cover_job *j = ctx;
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    int rc = s->ops->cover_get(s, j->id, &sc, &j->c);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "包保关系不存在");
    if (!rc)
        rc = s->ops->cover_delete(s, j->id);
    if (rc)
        return db_error(rc, err);
    return audit_json(s, j->who, j->now, "cover.delete", "cover", j->id,
                      "{\"user_id\":%lld,\"org_id\":%lld}", (long long)j->c.user_id,
                      (long long)j->c.org_id);
}

int app_cover_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct cover_job j = {.who = who, .id = id, .now = now};
    return app_write(a, cover_delete_job, &j, err);
}

int app_cover_list(struct app *a, const struct actor *who, int64_t org_id, int64_t user_id,
                   int64_t after_id, int limit, struct cover **items, size_t *n,
                   int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    int rc = forbid_read(who, err);
    char path[GG_PATH_SZ];
    if (!rc)
        rc = app_org_filter_path(a, who, org_id, path, err);
    if (rc)
        return rc;
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    rc = s->ops->cover_list(s, path, user_id, &sc, after_id, page_limit(limit), items, n);
    if (rc)
        return db_error(rc, err);
    TRIM_PAGE(items, n, limit, next_cursor, id);
    return 0;
}

int app_covers_of(struct app *a, const struct actor *who, int64_t org_id, struct cover **items,
                  size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    struct org o;
    int rc;
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    if (who) {
        rc = forbid_read(who, err);
        if (!rc)
            rc = app_org_get(a, who, org_id, &o, NULL, NULL, err);
        if (rc)
            return rc;
    } else {
        rc = app_org_cached(a, s, org_id, &o);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, rc, NULL, "组织不存在");
        if (rc)
            return db_error(rc, err);
    }
    rc = s->ops->cover_for_path(s, o.path, items, n);
    return rc ? db_error(rc, err) : 0;
}

/* ---- meetings (三会一课) ---- */

struct meeting_job {
    const struct actor *who;
    const struct meeting_input *in;
    int64_t id;
    const struct meeting_attendance *att;
    size_t n_att;
    int64_t now;
    struct party_meeting m;
};

/* Sets attendance rows, each member within the meeting's party org subtree. */
static int set_attendance(struct store *s, const struct party_meeting *m,
                          const struct meeting_attendance *att, size_t n, struct gg_error *err)
{
    if (n > 1000)
        return gg_error_set(err, GG_EINVAL, "attendance", "一次最多登记 1000 人的出席情况");
    for (size_t i = 0; i < n; i++) {
        struct party_member pm;
        if (att[i].status >= ATTEND__COUNT)
            return gg_error_set(err, GG_EINVAL, "attendance", "出席状态无效");
        int rc = s->ops->party_member_get(s, att[i].member_id, NULL, &pm);
        if (rc == -GG_ENOTFOUND || (!rc && !scope_covers(m->party_path, pm.party_path)))
            return gg_error_set(err, GG_EINVAL, "attendance", "党员 %lld 不属于该党组织",
                                (long long)att[i].member_id);
        if (!rc)
            rc = s->ops->attendance_set(s, m->id, att[i].member_id, att[i].status);
        if (rc)
            return db_error(rc, err);
    }
    return 0;
}

static int meeting_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct meeting_job *j = ctx;
    const struct meeting_input *in = j->in;
    struct party_meeting *m = &j->m;
    memset(m, 0, sizeof *m);
    int rc = app_check_text(in->title, GG_MAX_NAME, "title", false, err);
    if (!rc)
        rc = app_check_text(in->minutes, GG_MAX_MINUTES, "minutes", false, err);
    if (rc)
        return rc;
    if (in->kind < 0 || in->kind >= MEETING_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "会议类型无效");
    if (!in->held_on || !date_parse(in->held_on, &m->held_days))
        return gg_error_set(err, GG_EINVAL, "held_on", "会议日期应为 YYYY-MM-DD");
    if (m->held_days > (j->now / 86400) + 1)
        return gg_error_set(err, GG_EINVAL, "held_on", "会议日期不能晚于今天");
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    struct party_org po;
    rc = s->ops->party_org_get(s, in->party_org_id, &sc, &po);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "party_org_id", "党组织 %lld 不存在",
                            (long long)in->party_org_id);
    if (rc)
        return db_error(rc, err);
    if (!scope_covers(j->who->scope_path, po.org_path))
        return gg_error_set(err, GG_EFORBIDDEN, "party_org_id", "党组织不在管辖范围内");
    if (!party_meeting_org_ok(po.kind, (enum meeting_kind)in->kind))
        return gg_error_set(err, GG_EINVAL, "kind", "%s不召开%s", party_kind_zh(po.kind),
                            meeting_kind_zh((enum meeting_kind)in->kind));
    m->party_org_id = po.id;
    gg_strlcpy(m->party_path, po.party_path, sizeof m->party_path);
    gg_strlcpy(m->org_path, po.org_path, sizeof m->org_path);
    m->district_id = po.district_id;
    m->kind = (enum meeting_kind)in->kind;
    gg_strlcpy(m->title, in->title && *in->title ? in->title : meeting_kind_zh(m->kind),
               sizeof m->title);
    m->minutes = (char *)in->minutes; /* borrowed for the insert only */
    m->created_by = j->who->user_id;
    m->created_at = j->now;
    rc = s->ops->meeting_insert(s, m);
    m->minutes = NULL;
    if (rc)
        return db_error(rc, err);
    rc = set_attendance(s, m, in->attendance, in->n_attendance, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < in->n_attendance; i++) {
        int st = in->attendance[i].status;
        m->present += st == ATTEND_PRESENT;
        m->absent += st == ATTEND_ABSENT;
        m->excused += st == ATTEND_EXCUSED;
    }
    return audit_json(s, j->who, j->now, "meeting.create", "party_meeting", m->id,
                      "{\"party_org_id\":%lld,\"kind\":\"%s\",\"attendance\":%zu}",
                      (long long)m->party_org_id, meeting_kind_id(m->kind), in->n_attendance);
}

int app_meeting_create(struct app *a, const struct actor *who, const struct meeting_input *in,
                       int64_t now, struct party_meeting *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct meeting_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, meeting_create_job, &j, err);
    if (!rc && out)
        *out = j.m;
    return rc;
}

int app_meeting_get(struct app *a, const struct actor *who, int64_t id, struct party_meeting *out,
                    struct meeting_attendance **attendance, size_t *n_attendance,
                    struct gg_error *err)
{
    *attendance = NULL;
    *n_attendance = 0;
    if (!party_may_read(who->role))
        return gg_error_set(err, GG_ENOTFOUND, NULL, "会议不存在");
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    int rc = s->ops->meeting_get(s, id, &sc, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "会议不存在");
    if (!rc) {
        rc = s->ops->attendance_list(s, id, attendance, n_attendance);
        if (rc) {
            free(out->minutes);
            out->minutes = NULL;
        }
    }
    return rc ? db_error(rc, err) : 0;
}

static int attendance_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct meeting_job *j = ctx;
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    int rc = s->ops->meeting_get(s, j->id, &sc, &j->m);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "会议不存在");
    if (rc)
        return db_error(rc, err);
    free(j->m.minutes);
    j->m.minutes = NULL;
    rc = set_attendance(s, &j->m, j->att, j->n_att, err);
    if (rc)
        return rc;
    return audit_json(s, j->who, j->now, "meeting.attendance", "party_meeting", j->id,
                      "{\"members\":%zu}", j->n_att);
}

int app_meeting_attendance(struct app *a, const struct actor *who, int64_t id,
                           const struct meeting_attendance *items, size_t n, int64_t now,
                           struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct meeting_job j = {.who = who, .id = id, .att = items, .n_att = n, .now = now};
    return app_write(a, attendance_job, &j, err);
}

int app_meeting_list(struct app *a, const struct actor *who, int64_t party_org_id, int kind,
                     int64_t from_days, int64_t to_days, int64_t after_id, int limit,
                     struct party_meeting **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    int rc = forbid_read(who, err);
    if (rc)
        return rc;
    char ppath[GG_PATH_SZ] = "";
    if (party_org_id) {
        struct party_org po;
        rc = app_party_org_get(a, who, party_org_id, &po, err);
        if (rc)
            return rc;
        gg_strlcpy(ppath, po.party_path, sizeof ppath);
    }
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct store_scope sc;
    app_scope_of(who, &sc);
    rc = s->ops->meeting_list(s, ppath, kind, from_days, to_days, &sc, after_id,
                              page_limit(limit), items, n);
    if (rc)
        return db_error(rc, err);
    TRIM_PAGE(items, n, limit, next_cursor, id);
    return 0;
}

/* ---- compliance ---- */

struct facts {
    struct meeting_fact *f;
    size_t n, cap;
};

static int add_fact(void *ctx, int kind, int64_t held_days)
{
    struct facts *fs = ctx;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 64;
        void *p = realloc(fs->f, cap * sizeof *fs->f);
        if (!p)
            return -GG_ENOMEM;
        fs->f = p;
        fs->cap = cap;
    }
    fs->f[fs->n].kind = (enum meeting_kind)kind;
    fs->f[fs->n].month = party_month_of_day(held_days);
    fs->n++;
    return 0;
}

static void month_start_days(int month, int64_t *days)
{
    *days = gg_days_from_civil(month / 12, month % 12 + 1, 1);
}

void app_meeting_intervals(struct store *s, int out[MEETING_KIND__COUNT])
{
    char *v = NULL;
    party_intervals_default(out);
    if (s->ops->setting_get(s, SETTING_MEETING_MONTHS, &v) == 0 && v && *v &&
        !party_intervals_parse(v, out))
        gg_warn("setting %s is malformed; using the defaults", SETTING_MEETING_MONTHS);
    free(v);
}

int app_party_compliance(struct app *a, const struct actor *who, int64_t org_id, int month_from,
                         int month_to, const int *intervals, struct compliance_result *out,
                         struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = forbid_read(who, err);
    if (rc)
        return rc;
    if (month_to <= month_from)
        return gg_error_set(err, GG_EINVAL, "to", "结束月份须晚于开始月份");
    if (month_to - month_from > 60)
        return gg_error_set(err, GG_EINVAL, "to", "一次最多检查 60 个月");
    char path[GG_PATH_SZ];
    rc = app_org_filter_path(a, who, org_id, path, err);
    if (rc)
        return rc;
    struct store *s = reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    if (intervals)
        memcpy(out->intervals, intervals, sizeof out->intervals);
    else
        app_meeting_intervals(s, out->intervals);
    int64_t d0, d1;
    month_start_days(month_from, &d0);
    month_start_days(month_to, &d1);
    struct store_scope sc;
    app_scope_of(who, &sc);
    struct facts fs = {0};
    size_t cap = 0;
    int64_t after = 0;
    for (;;) {
        struct party_org *br = NULL;
        size_t nb = 0;
        rc = s->ops->party_org_list(s, path, PARTY_BRANCH, 0, &sc, after, 500, &br, &nb);
        if (rc) {
            rc = db_error(rc, err);
            break;
        }
        for (size_t i = 0; !rc && i < nb; i++) {
            fs.n = 0;
            rc = s->ops->meeting_facts(s, br[i].party_path, d0, d1, add_fact, &fs);
            if (rc) {
                rc = db_error(rc, err);
                break;
            }
            struct compliance_branch cb;
            memset(&cb, 0, sizeof cb);
            cb.org = br[i];
            if (party_compliance(out->intervals, month_from, month_to, fs.f, fs.n, cb.gaps,
                                 COMPLIANCE_MAX_GAPS, &cb.n_gaps, &cb.n_total)) {
                rc = gg_error_set(err, GG_EINVAL, "intervals", "会议频次无效");
                break;
            }
            out->branches_checked++;
            if (!cb.n_total)
                continue;
            if (out->n == cap) {
                size_t nc = cap ? cap * 2 : 16;
                void *p = realloc(out->items, nc * sizeof *out->items);
                if (!p) {
                    rc = gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
                    break;
                }
                out->items = p;
                cap = nc;
            }
            out->items[out->n++] = cb;
        }
        if (nb)
            after = br[nb - 1].id;
        free(br);
        if (rc || nb < 500)
            break;
    }
    free(fs.f);
    if (rc) {
        free(out->items);
        out->items = NULL;
        out->n = 0;
    }
    return rc;
}
