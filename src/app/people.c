/* people.c - issue 6: the population registry's use cases (人、户、房): people, households and
 * houses, created, changed and deleted by the registry roles inside their subtree, each write
 * one transaction with its audit entry; reads scoped in SQL; id and phone numbers sealed on the
 * way in (pii.c) and masked on the way out unless a `pii` role asks to reveal one person, which
 * is itself audited.
 *
 * Not here: the rules of id numbers, masks and roles (core/people.c), SQL (store), the bulk
 * import (people_import.c). */
#include "app/internal.h"

#include "base/buf.h"
#include "base/utf8.h"
#include "core/scope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared checks ---- */

static int forbid_write(const struct actor *who, struct gg_error *err)
{
    if (people_may_write(who->role))
        return 0;
    return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能维护人口信息", role_zh(who->role));
}

/* The org a row hangs on: exists (422), of a registry kind (422), inside the writer's scope
 * (403). */
static int check_org(struct store *s, const struct actor *who, int64_t org_id, struct org *o,
                     struct gg_error *err)
{
    int rc = s->ops->org_get(s, org_id, o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "org_id", "组织 %lld 不存在", (long long)org_id);
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    if (!people_org_kind_ok(o->kind))
        return gg_error_set(err, GG_EINVAL, "org_id", "人、户、房只能登记在社区、网格、楼栋或单元（%s 是%s）",
                            o->name, org_kind_zh(o->kind));
    if (!scope_covers(who->scope_path, o->path))
        return gg_error_set(err, GG_EFORBIDDEN, "org_id", "组织不在管辖范围内");
    return 0;
}

static int check_room(const char *s, const char *field, struct gg_error *err)
{
    return app_check_text(s, GG_MAX_ROOM, field, false, err);
}

static void copy_opt(char *dst, size_t sz, const char *src)
{
    if (src)
        gg_strlcpy(dst, src, sz);
}

static int db_error(int rc, struct gg_error *err)
{
    return gg_error_set(err, rc, NULL, "数据库暂不可用");
}

/* ---- people ---- */

/* Fills the view: decrypts, masks unless reveal, names the org. */
static int view_of(struct app *a, const struct person *p, bool reveal, struct person_view *v)
{
    memset(v, 0, sizeof *v);
    v->p = *p;
    v->revealed = reveal;
    char clear[GG_SEALED_MAX];
    int rc = app_pii_open(a, &p->id_sealed, clear, sizeof clear);
    if (!rc) {
        if (reveal || !clear[0])
            gg_strlcpy(v->p.id_number, clear, sizeof v->p.id_number);
        else
            mask_id_number(clear, v->p.id_number, sizeof v->p.id_number);
        rc = app_pii_open(a, &p->phone_sealed, clear, sizeof clear);
    }
    if (!rc) {
        if (reveal || !clear[0])
            gg_strlcpy(v->p.phone, clear, sizeof v->p.phone);
        else
            mask_phone(clear, v->p.phone, sizeof v->p.phone);
    }
    sodium_memzero(clear, sizeof clear);
    if (rc) { /* a value that does not open: never show anything of it */
        gg_strlcpy(v->p.id_number, p->id_sealed.len ? "******" : "", sizeof v->p.id_number);
        gg_strlcpy(v->p.phone, p->phone_sealed.len ? "******" : "", sizeof v->p.phone);
    }
    memset(&v->p.id_sealed, 0, sizeof v->p.id_sealed);
    memset(&v->p.phone_sealed, 0, sizeof v->p.phone_sealed);
    app_org_name(a, p->org_id, v->org_name, sizeof v->org_name);
    return 0;
}

int app_person_validate_id(const char *id, char norm[GG_ID_NUMBER_LEN + 1], struct gg_error *err)
{
    enum id_problem pb = resident_id_validate(id, strlen(id));
    if (pb != ID_OK)
        return gg_error_set(err, GG_EINVAL, "id_number", "%s", resident_id_problem_zh(pb));
    resident_id_normalise(id, norm);
    return 0;
}

/* Phone numbers are kept as given without spaces; the blind index uses the digits only. */
static int phone_norm(const char *in, char out[GG_MAX_PHONE + 1], struct gg_error *err)
{
    size_t n = strlen(in);
    if (!phone_valid(in, n))
        return gg_error_set(err, GG_EINVAL, "phone", "电话号码应为 7 到 20 位数字（可含 + 和 -）");
    gg_strlcpy(out, in, GG_MAX_PHONE + 1);
    return 0;
}

static void phone_digits(const char *in, char *out, size_t sz)
{
    size_t k = 0;
    for (; *in && k + 1 < sz; in++)
        if (*in >= '0' && *in <= '9')
            out[k++] = *in;
    out[k] = '\0';
}

/* Seals a phone number: the ciphertext of the text as given, the blind index of its digits. */
static int seal_phone(struct app *a, const char *phone, struct sealed *out)
{
    int rc = app_pii_seal(a, 'p', phone, out);
    if (rc || !out->len)
        return rc;
    char d[GG_MAX_PHONE + 1];
    phone_digits(phone, d, sizeof d);
    app_pii_blind(a, 'p', d, strlen(d), out->blind);
    return 0;
}

/* Applies in to p (create: p zeroed first, org_id required); validates every field. The clear
 * id number and phone end up sealed in p. fields gets the names of what changed. */
int app_person_apply(struct app *a, struct store *s, const struct actor *who,
                     const struct person_input *in, bool create, struct person *p,
                     struct gg_buf *fields, struct gg_error *err)
{
    int rc;
#define CHANGED(f) (fields ? gg_buf_printf(fields, "%s%s", fields->len ? "," : "", f) : 0)
    if (create || in->org_id) {
        if (!in->org_id)
            return gg_error_set(err, GG_EINVAL, "org_id", "org_id 不能为空");
        struct org o;
        rc = check_org(s, who, in->org_id, &o, err);
        if (rc)
            return rc;
        p->org_id = o.id;
        gg_strlcpy(p->org_path, o.path, sizeof p->org_path);
        CHANGED("org_id");
    }
    if (create || in->name) {
        rc = app_check_text(in->name, GG_MAX_NAME, "name", true, err);
        if (rc)
            return rc;
        gg_strlcpy(p->name, in->name, sizeof p->name);
        CHANGED("name");
    }
    rc = app_check_text(in->party_branch, GG_MAX_NAME, "party_branch", false, err);
    if (!rc)
        rc = app_check_text(in->relation, GG_MAX_NAME, "relation", false, err);
    if (rc)
        return rc;
    if (in->household_id > 0) {
        struct household h;
        struct store_scope sc;
        app_scope_of(who, &sc);
        rc = s->ops->household_get(s, in->household_id, &sc, &h);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "household_id", "户 %lld 不存在",
                                (long long)in->household_id);
        if (rc)
            return db_error(rc, err);
    }
    if (in->household_id >= 0 && (create || in->household_id != p->household_id)) {
        p->household_id = in->household_id;
        CHANGED("household_id");
    }
    bool id_set = false;
    if (in->id_number) {
        char norm[GG_ID_NUMBER_LEN + 1] = "";
        if (*in->id_number) {
            rc = app_person_validate_id(in->id_number, norm, err);
            if (rc)
                return rc;
            id_set = true;
        }
        rc = app_pii_seal(a, 'i', norm, &p->id_sealed);
        if (rc)
            return gg_error_set(err, rc, "id_number", "无法加密身份证号");
        if (id_set) {
            if (in->birth_date == NULL)
                p->birth_days = resident_id_birth_days(norm);
            if (in->gender < 0)
                p->gender = resident_id_gender(norm);
        }
        sodium_memzero(norm, sizeof norm);
        CHANGED("id_number");
    }
    if (in->birth_date) {
        int64_t d = GG_BIRTH_UNKNOWN;
        if (*in->birth_date && !date_parse(in->birth_date, &d))
            return gg_error_set(err, GG_EINVAL, "birth_date", "出生日期应为 YYYY-MM-DD");
        p->birth_days = d;
        CHANGED("birth_date");
    } else if (create && !id_set) {
        p->birth_days = GG_BIRTH_UNKNOWN;
    }
    if (in->gender >= 0) {
        if (in->gender >= GENDER__COUNT)
            return gg_error_set(err, GG_EINVAL, "gender", "gender 无效");
        p->gender = (enum gender)in->gender;
        CHANGED("gender");
    }
    if (id_set && in->id_number) {
        char norm[GG_ID_NUMBER_LEN + 1];
        resident_id_normalise(in->id_number, norm);
        if (in->birth_date && p->birth_days != resident_id_birth_days(norm))
            return gg_error_set(err, GG_EINVAL, "birth_date", "出生日期与身份证号不一致");
        if (in->gender >= 0 && p->gender != resident_id_gender(norm))
            return gg_error_set(err, GG_EINVAL, "gender", "性别与身份证号不一致");
        sodium_memzero(norm, sizeof norm);
    }
    if (in->phone) {
        char ph[GG_MAX_PHONE + 1] = "";
        if (*in->phone) {
            rc = phone_norm(in->phone, ph, err);
            if (rc)
                return rc;
        }
        rc = seal_phone(a, ph, &p->phone_sealed);
        if (rc)
            return gg_error_set(err, rc, "phone", "无法加密电话号码");
        CHANGED("phone");
    }
    if (in->set_tags) {
        if (in->tags >> TAG__COUNT)
            return gg_error_set(err, GG_EINVAL, "tags", "tags 无效");
        p->tags = in->tags;
        CHANGED("tags");
    }
    if (in->party_member >= 0) {
        p->party_member = in->party_member != 0;
        CHANGED("party_member");
    }
    if (in->volunteer >= 0) {
        p->volunteer = in->volunteer != 0;
        CHANGED("volunteer");
    }
    if (in->party_branch) {
        gg_strlcpy(p->party_branch, in->party_branch, sizeof p->party_branch);
        CHANGED("party_branch");
    }
    if (in->relation) {
        gg_strlcpy(p->relation, in->relation, sizeof p->relation);
        CHANGED("relation");
    }
#undef CHANGED
    return 0;
}

struct person_job {
    const struct actor *who;
    const struct person_input *in;
    int64_t id;
    int64_t now;
    bool reveal;
    struct person p;
};

static int person_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct person_job *j = ctx;
    struct person *p = &j->p;
    memset(p, 0, sizeof *p);
    int rc = app_person_apply(a, s, j->who, j->in, true, p, NULL, err);
    if (rc)
        return rc;
    p->created_at = p->updated_at = j->now;
    rc = s->ops->person_insert(s, p);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "id_number", "该身份证号已登记");
    if (rc)
        return db_error(rc, err);
    char detail[160];
    snprintf(detail, sizeof detail, "{\"org_id\":%lld,\"household_id\":%lld}",
             (long long)p->org_id, (long long)p->household_id);
    return app_audit(s, j->who, j->now, "person.create", "person", p->id, detail);
}

int app_person_create(struct app *a, const struct actor *who, const struct person_input *in,
                      int64_t now, struct person_view *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (!rc)
        rc = app_pii_require(a, err);
    if (rc)
        return rc;
    struct person_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, person_create_job, &j, err);
    if (!rc && out)
        view_of(a, &j.p, false, out);
    return rc;
}

/* The record as the actor may see it, for a write: 404 outside the scope. */
static int person_for_write(struct store *s, const struct actor *who, int64_t id,
                            struct person *p, struct gg_error *err)
{
    struct store_scope sc;
    app_scope_of(who, &sc);
    int rc = s->ops->person_get(s, id, &sc, p);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "人员不存在");
    return rc ? db_error(rc, err) : 0;
}

static int version_check(int64_t want, int64_t have, struct gg_error *err)
{
    if (want && want != have)
        return gg_error_set(err, GG_ECONFLICT, "version", "记录已被他人修改（版本 %lld，当前 %lld）",
                            (long long)want, (long long)have);
    return 0;
}

static int person_update_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct person_job *j = ctx;
    struct person *p = &j->p;
    int rc = person_for_write(s, j->who, j->id, p, err);
    if (!rc)
        rc = version_check(j->in->version, p->version, err);
    if (rc)
        return rc;
    struct gg_buf fields;
    gg_buf_init(&fields, 400);
    rc = app_person_apply(a, s, j->who, j->in, false, p, &fields, err);
    if (!rc) {
        p->version++;
        p->updated_at = j->now;
        rc = s->ops->person_update(s, p);
        if (rc == -GG_ECONFLICT)
            rc = gg_error_set(err, GG_ECONFLICT, j->in->id_number ? "id_number" : "version",
                              "%s", j->in->id_number ? "该身份证号已登记" : "记录已被他人修改");
        else if (rc)
            rc = db_error(rc, err);
    }
    if (!rc) {
        char detail[600];
        snprintf(detail, sizeof detail, "{\"fields\":\"%s\"}", fields.data ? fields.data : "");
        rc = app_audit(s, j->who, j->now, "person.update", "person", p->id, detail);
    }
    gg_buf_release(&fields);
    return rc;
}

int app_person_update(struct app *a, const struct actor *who, int64_t id,
                      const struct person_input *in, int64_t now, struct person_view *out,
                      struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (!rc)
        rc = app_pii_require(a, err);
    if (rc)
        return rc;
    struct person_job j = {.who = who, .in = in, .id = id, .now = now};
    rc = app_write(a, person_update_job, &j, err);
    if (!rc && out)
        view_of(a, &j.p, false, out);
    return rc;
}

static int person_delete_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct person_job *j = ctx;
    int rc = person_for_write(s, j->who, j->id, &j->p, err);
    if (rc)
        return rc;
    rc = s->ops->person_delete(s, j->id);
    if (rc)
        return db_error(rc, err);
    char detail[80];
    snprintf(detail, sizeof detail, "{\"org_id\":%lld}", (long long)j->p.org_id);
    return app_audit(s, j->who, j->now, "person.delete", "person", j->id, detail);
}

int app_person_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                      struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct person_job j = {.who = who, .id = id, .now = now};
    return app_write(a, person_delete_job, &j, err);
}

/* An unmasked read is written to the audit trail before the answer leaves. */
static int reveal_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct person_job *j = ctx;
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    int rc = s->ops->person_get(s, j->id, &sc, &j->p);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "人员不存在");
    if (rc)
        return db_error(rc, err);
    return app_audit(s, j->who, j->now, "person.reveal", "person", j->id,
                     "{\"fields\":\"id_number,phone\"}");
}

int app_person_get(struct app *a, const struct actor *who, int64_t id, bool reveal, int64_t now,
                   struct person_view *out, struct gg_error *err)
{
    if (reveal && !people_has_pii(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, "reveal", "%s 无权查看完整的身份证号和电话",
                            role_zh(who->role));
    struct person_job j = {.who = who, .id = id, .now = now, .reveal = reveal};
    int rc;
    if (reveal) {
        rc = app_pii_require(a, err);
        if (!rc)
            rc = app_write(a, reveal_job, &j, err);
    } else {
        struct store_scope sc;
        struct store *s = app_reader_as(a, who, &sc, err);
        if (!s)
            return -GG_EUNAVAILABLE;
        rc = s->ops->person_get(s, id, &sc, &j.p);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_ENOTFOUND, NULL, "人员不存在");
        if (rc)
            return db_error(rc, err);
    }
    if (!rc)
        view_of(a, &j.p, reveal, out);
    return rc;
}

int app_org_filter_path(struct app *a, const struct actor *who, int64_t org_id, char *path,
                        struct gg_error *err)
{
    path[0] = '\0';
    if (!org_id)
        return 0;
    struct org o;
    int rc = app_org_get(a, who, org_id, &o, NULL, NULL, err);
    if (rc)
        return rc;
    gg_strlcpy(path, o.path, GG_PATH_SZ);
    return 0;
}

static bool may_list(const struct actor *who)
{
    return people_may_read(who->role) || who->role == ROLE_MEMBER || who->role == ROLE_RESIDENT;
}

int app_person_list(struct app *a, const struct actor *who, const struct person_query *q,
                    struct person_view **items, size_t *n, int64_t *next_cursor,
                    struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (!may_list(who))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能查看人口信息", role_zh(who->role));
    struct person_filter f;
    memset(&f, 0, sizeof f);
    int rc = app_org_filter_path(a, who, q->org_id, f.org_path, err);
    if (rc)
        return rc;
    f.household_id = q->household_id;
    f.tags = q->tags;
    f.party_member = q->party_member;
    f.volunteer = q->volunteer;
    rc = app_check_text(q->q, GG_MAX_NAME, "q", false, err);
    if (rc)
        return rc;
    copy_opt(f.q, sizeof f.q, q->q);
    if ((q->id_number && *q->id_number) || (q->phone && *q->phone)) {
        rc = app_pii_require(a, err);
        if (rc)
            return rc;
    }
    if (q->id_number && *q->id_number) {
        char norm[GG_ID_NUMBER_LEN + 1];
        rc = app_person_validate_id(q->id_number, norm, err);
        if (rc)
            return rc;
        app_pii_blind(a, 'i', norm, strlen(norm), f.id_blind);
        f.by_id_blind = true;
    }
    if (q->phone && *q->phone) {
        char ph[GG_MAX_PHONE + 1], d[GG_MAX_PHONE + 1];
        rc = phone_norm(q->phone, ph, err);
        if (rc)
            return rc;
        phone_digits(ph, d, sizeof d);
        app_pii_blind(a, 'p', d, strlen(d), f.phone_blind);
        f.by_phone_blind = true;
    }
    f.after_id = q->after_id;
    int limit = q->limit > 0 ? q->limit : 50;
    f.limit = limit + 1;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct person *rows = NULL;
    size_t k = 0;
    rc = s->ops->person_list(s, &f, &sc, &rows, &k);
    if (rc)
        return db_error(rc, err);
    if (k > (size_t)limit) {
        k = (size_t)limit;
        *next_cursor = rows[k - 1].id;
    }
    struct person_view *v = calloc(k ? k : 1, sizeof *v);
    if (!v) {
        free(rows);
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < k; i++)
        view_of(a, &rows[i], false, &v[i]);
    free(rows);
    *items = v;
    *n = k;
    return 0;
}

/* ---- households ---- */

static int apply_household(struct store *s, const struct actor *who,
                           const struct household_input *in, bool create, struct household *h,
                           struct gg_error *err)
{
    int rc;
    if (create || in->org_id) {
        if (!in->org_id)
            return gg_error_set(err, GG_EINVAL, "org_id", "org_id 不能为空");
        struct org o;
        rc = check_org(s, who, in->org_id, &o, err);
        if (rc)
            return rc;
        h->org_id = o.id;
        gg_strlcpy(h->org_path, o.path, sizeof h->org_path);
    }
    if (create || in->code) {
        if (!in->code || !*in->code)
            return gg_error_set(err, GG_EINVAL, "code", "户编号不能为空");
        size_t n = strlen(in->code);
        if (n > GG_MAX_CODE || !gg_utf8_valid(in->code, n))
            return gg_error_set(err, GG_EINVAL, "code", "户编号最多 %d 个字符", GG_MAX_CODE);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)in->code[i] < 0x21 || (unsigned char)in->code[i] > 0x7e)
                return gg_error_set(err, GG_EINVAL, "code", "户编号只能含字母、数字和符号");
        gg_strlcpy(h->code, in->code, sizeof h->code);
    }
    rc = app_check_text(in->address, GG_MAX_ADDRESS, "address", false, err);
    if (!rc)
        rc = check_room(in->building, "building", err);
    if (!rc)
        rc = check_room(in->unit, "unit", err);
    if (!rc)
        rc = check_room(in->room, "room", err);
    if (rc)
        return rc;
    copy_opt(h->address, sizeof h->address, in->address);
    copy_opt(h->building, sizeof h->building, in->building);
    copy_opt(h->unit, sizeof h->unit, in->unit);
    copy_opt(h->room, sizeof h->room, in->room);
    if (in->color >= HH_COLOR__COUNT)
        return gg_error_set(err, GG_EINVAL, "color", "color 应为 green、yellow 或 red");
    if (in->color >= 0)
        h->color = (enum hh_color)in->color;
    if (in->house_id > 0) {
        struct house hs;
        struct store_scope sc;
        app_scope_of(who, &sc);
        rc = s->ops->house_get(s, in->house_id, &sc, &hs);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "house_id", "房屋 %lld 不存在",
                                (long long)in->house_id);
        if (rc)
            return db_error(rc, err);
    }
    if (in->house_id >= 0)
        h->house_id = in->house_id;
    return 0;
}

int app_household_insert(struct store *s, const struct actor *who,
                         const struct household_input *in, int64_t now, bool audit,
                         struct household *h, struct gg_error *err)
{
    memset(h, 0, sizeof *h);
    int rc = apply_household(s, who, in, true, h, err);
    if (rc)
        return rc;
    h->created_at = h->updated_at = now;
    rc = s->ops->household_insert(s, h);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "户编号 %s 已存在", h->code);
    if (rc)
        return db_error(rc, err);
    if (!audit)
        return 0;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"org_id\":%lld,\"color\":\"%s\"}", h->code,
             (long long)h->org_id, hh_color_id(h->color));
    return app_audit(s, who, now, "household.create", "household", h->id, detail);
}

struct hh_job {
    const struct actor *who;
    const struct household_input *in;
    int64_t id, now;
    struct household h;
};

static int hh_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct hh_job *j = ctx;
    return app_household_insert(s, j->who, j->in, j->now, true, &j->h, err);
}

int app_household_create(struct app *a, const struct actor *who, const struct household_input *in,
                         int64_t now, struct household *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct hh_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, hh_create_job, &j, err);
    if (!rc && out)
        *out = j.h;
    return rc;
}

static int hh_for_write(struct store *s, const struct actor *who, int64_t id, struct household *h,
                        struct gg_error *err)
{
    struct store_scope sc;
    app_scope_of(who, &sc);
    int rc = s->ops->household_get(s, id, &sc, h);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "户不存在");
    return rc ? db_error(rc, err) : 0;
}

static int hh_update_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct hh_job *j = ctx;
    struct household *h = &j->h;
    int rc = hh_for_write(s, j->who, j->id, h, err);
    if (!rc)
        rc = version_check(j->in->version, h->version, err);
    if (!rc)
        rc = apply_household(s, j->who, j->in, false, h, err);
    if (rc)
        return rc;
    h->version++;
    h->updated_at = j->now;
    rc = s->ops->household_update(s, h);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "户编号已存在或记录已被他人修改");
    if (rc)
        return db_error(rc, err);
    char detail[160];
    snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"color\":\"%s\"}", h->code,
             hh_color_id(h->color));
    return app_audit(s, j->who, j->now, "household.update", "household", h->id, detail);
}

int app_household_update(struct app *a, const struct actor *who, int64_t id,
                         const struct household_input *in, int64_t now, struct household *out,
                         struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct hh_job j = {.who = who, .in = in, .id = id, .now = now};
    rc = app_write(a, hh_update_job, &j, err);
    if (!rc && out)
        *out = j.h;
    return rc;
}

static int hh_delete_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct hh_job *j = ctx;
    int rc = hh_for_write(s, j->who, j->id, &j->h, err);
    if (rc)
        return rc;
    rc = s->ops->household_delete(s, j->id);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, NULL, "户内还有人员，不能删除");
    if (rc)
        return db_error(rc, err);
    char detail[80];
    snprintf(detail, sizeof detail, "{\"code\":\"%s\"}", j->h.code);
    return app_audit(s, j->who, j->now, "household.delete", "household", j->id, detail);
}

int app_household_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                         struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct hh_job j = {.who = who, .id = id, .now = now};
    return app_write(a, hh_delete_job, &j, err);
}

int app_household_get(struct app *a, const struct actor *who, int64_t id, struct household *out,
                      struct gg_error *err)
{
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->household_get(s, id, &sc, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "户不存在");
    return rc ? db_error(rc, err) : 0;
}

int app_household_list(struct app *a, const struct actor *who, int64_t org_id, int color,
                       int64_t after_id, int limit, struct household **items, size_t *n,
                       int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (!may_list(who))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能查看人口信息", role_zh(who->role));
    struct household_filter f;
    memset(&f, 0, sizeof f);
    int rc = app_org_filter_path(a, who, org_id, f.org_path, err);
    if (rc)
        return rc;
    f.color = color;
    f.after_id = after_id;
    limit = limit > 0 ? limit : 50;
    f.limit = limit + 1;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    rc = s->ops->household_list(s, &f, &sc, items, n);
    if (rc)
        return db_error(rc, err);
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}

/* ---- houses ---- */

static int apply_house(struct store *s, const struct actor *who, const struct house_input *in,
                       bool create, struct house *h, struct gg_error *err)
{
    int rc;
    if (create || in->org_id) {
        if (!in->org_id)
            return gg_error_set(err, GG_EINVAL, "org_id", "org_id 不能为空");
        struct org o;
        rc = check_org(s, who, in->org_id, &o, err);
        if (rc)
            return rc;
        h->org_id = o.id;
        gg_strlcpy(h->org_path, o.path, sizeof h->org_path);
    }
    rc = app_check_text(in->address, GG_MAX_ADDRESS, "address", false, err);
    if (!rc)
        rc = check_room(in->building, "building", err);
    if (!rc)
        rc = check_room(in->unit, "unit", err);
    if (!rc)
        rc = check_room(in->room, "room", err);
    if (rc)
        return rc;
    if (create && (!in->room || !*in->room) && (!in->address || !*in->address))
        return gg_error_set(err, GG_EINVAL, "room", "房屋需要房号或地址");
    copy_opt(h->address, sizeof h->address, in->address);
    copy_opt(h->building, sizeof h->building, in->building);
    copy_opt(h->unit, sizeof h->unit, in->unit);
    copy_opt(h->room, sizeof h->room, in->room);
    if (in->use >= HOUSE_USE__COUNT)
        return gg_error_set(err, GG_EINVAL, "use", "use 应为 residential、commercial 或 vacant");
    if (in->use >= 0)
        h->use = (enum house_use)in->use;
    if (in->occupancy >= OCC__COUNT)
        return gg_error_set(err, GG_EINVAL, "occupancy", "occupancy 应为 owner、tenant 或 none");
    if (in->occupancy >= 0)
        h->occupancy = (enum occupancy)in->occupancy;
    if (in->area > 1e6)
        return gg_error_set(err, GG_EINVAL, "area", "面积超出范围");
    if (in->area >= 0)
        h->area = in->area;
    if (in->owner_person_id > 0) {
        struct person p;
        struct store_scope sc;
        app_scope_of(who, &sc);
        rc = s->ops->person_get(s, in->owner_person_id, &sc, &p);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "owner_person_id", "人员 %lld 不存在",
                                (long long)in->owner_person_id);
        if (rc)
            return db_error(rc, err);
    }
    if (in->owner_person_id >= 0)
        h->owner_person_id = in->owner_person_id;
    return 0;
}

struct house_job {
    const struct actor *who;
    const struct house_input *in;
    int64_t id, now;
    struct house h;
};

static int house_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct house_job *j = ctx;
    memset(&j->h, 0, sizeof j->h);
    int rc = apply_house(s, j->who, j->in, true, &j->h, err);
    if (rc)
        return rc;
    j->h.created_at = j->h.updated_at = j->now;
    rc = s->ops->house_insert(s, &j->h);
    if (rc)
        return db_error(rc, err);
    char detail[120];
    snprintf(detail, sizeof detail, "{\"org_id\":%lld,\"use\":\"%s\"}", (long long)j->h.org_id,
             house_use_id(j->h.use));
    return app_audit(s, j->who, j->now, "house.create", "house", j->h.id, detail);
}

int app_house_create(struct app *a, const struct actor *who, const struct house_input *in,
                     int64_t now, struct house *out, struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct house_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, house_create_job, &j, err);
    if (!rc && out)
        *out = j.h;
    return rc;
}

static int house_for_write(struct store *s, const struct actor *who, int64_t id, struct house *h,
                           struct gg_error *err)
{
    struct store_scope sc;
    app_scope_of(who, &sc);
    int rc = s->ops->house_get(s, id, &sc, h);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "房屋不存在");
    return rc ? db_error(rc, err) : 0;
}

static int house_update_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct house_job *j = ctx;
    int rc = house_for_write(s, j->who, j->id, &j->h, err);
    if (!rc)
        rc = version_check(j->in->version, j->h.version, err);
    if (!rc)
        rc = apply_house(s, j->who, j->in, false, &j->h, err);
    if (rc)
        return rc;
    j->h.version++;
    j->h.updated_at = j->now;
    rc = s->ops->house_update(s, &j->h);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "version", "记录已被他人修改");
    if (rc)
        return db_error(rc, err);
    char detail[120];
    snprintf(detail, sizeof detail, "{\"use\":\"%s\",\"occupancy\":\"%s\"}",
             house_use_id(j->h.use), occupancy_id(j->h.occupancy));
    return app_audit(s, j->who, j->now, "house.update", "house", j->h.id, detail);
}

int app_house_update(struct app *a, const struct actor *who, int64_t id,
                     const struct house_input *in, int64_t now, struct house *out,
                     struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct house_job j = {.who = who, .in = in, .id = id, .now = now};
    rc = app_write(a, house_update_job, &j, err);
    if (!rc && out)
        *out = j.h;
    return rc;
}

static int house_delete_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct house_job *j = ctx;
    int rc = house_for_write(s, j->who, j->id, &j->h, err);
    if (rc)
        return rc;
    rc = s->ops->house_delete(s, j->id);
    if (rc)
        return db_error(rc, err);
    return app_audit(s, j->who, j->now, "house.delete", "house", j->id, "{}");
}

int app_house_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err)
{
    int rc = forbid_write(who, err);
    if (rc)
        return rc;
    struct house_job j = {.who = who, .id = id, .now = now};
    return app_write(a, house_delete_job, &j, err);
}

int app_house_get(struct app *a, const struct actor *who, int64_t id, struct house *out,
                  struct gg_error *err)
{
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->house_get(s, id, &sc, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "房屋不存在");
    return rc ? db_error(rc, err) : 0;
}

int app_house_list(struct app *a, const struct actor *who, int64_t org_id, int use,
                   int64_t after_id, int limit, struct house **items, size_t *n,
                   int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (!may_list(who))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能查看人口信息", role_zh(who->role));
    struct house_filter f;
    memset(&f, 0, sizeof f);
    int rc = app_org_filter_path(a, who, org_id, f.org_path, err);
    if (rc)
        return rc;
    f.use = use;
    f.after_id = after_id;
    limit = limit > 0 ? limit : 50;
    f.limit = limit + 1;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    rc = s->ops->house_list(s, &f, &sc, items, n);
    if (rc)
        return db_error(rc, err);
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}
