/* pg_party.c - issue 6: the party organisation (党组织, 党员, 双报到, 三级包保, 三会一课) and
 * key tasks (重点任务, 民生实事) on PostgreSQL, the same contract as sqlite_party.c (store.h).
 *
 * Every read with a scope applies it in SQL: the reading roles see rows whose org_path lies in
 * their subtree (an index range [path, upper)); tasks are also visible to their own responsible
 * leader; every other role sees nothing. Party orgs form their own tree too (party_path), so
 * "this branch and the groups under it" is a range as well. Writes that could break a unique
 * rule or miss their parent row are guarded in SQL (ON CONFLICT DO NOTHING, INSERT … SELECT
 * from the parent) so that the answer is an error code and the caller's transaction survives.
 *
 * Not here: validation, roles that may write, the compliance rule (app/party.c, core/). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* A subtree as a range: keep it alive while the statement's arguments are. "" = everything. */
struct range {
    char path[GG_PATH_SZ];
    char upper[GG_PATH_SZ];
};

static void range_of(const char *path, struct range *r)
{
    gg_strlcpy(r->path, path ? path : "", sizeof r->path);
    if (r->path[0])
        scope_upper_bound(r->path, r->upper, sizeof r->upper);
    else
        gg_strlcpy(r->upper, "\x7f", sizeof r->upper);
}

/* The subtree a scoped read covers: the narrower of the scope (when its role may read) and the
 * filter; false when nothing is visible. */
static bool visible(const struct store_scope *scope, bool (*may)(enum role), const char *filter,
                    struct range *r)
{
    const char *sp = "";
    if (scope) {
        if (!may(scope->role))
            return false;
        sp = scope->path;
    }
    if (!filter || !*filter) {
        range_of(sp, r);
        return true;
    }
    if (scope_covers(sp, filter)) {
        range_of(filter, r);
        return true;
    }
    if (scope_covers(filter, sp)) {
        range_of(sp, r);
        return true;
    }
    return false;
}

/* A range nothing lies in ([x, x)); not range_of("\x7f"), whose upper bound "\x80" is not
 * UTF-8 and so an error on PostgreSQL. */
static void range_none(struct range *r)
{
    gg_strlcpy(r->path, "\x7f", sizeof r->path);
    gg_strlcpy(r->upper, "\x7f", sizeof r->upper);
}

static void range_args(struct pg_args *a, const struct range *r)
{
    pg_arg_text(a, r->path);
    pg_arg_text(a, r->upper);
}

/* One row or -GG_ENOTFOUND. */
static int get_one(struct store_pg *q, const char *sql, const struct pg_args *a,
                   void (*read)(const PGresult *, int, void *, void *), void *out, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        read(r, 0, out, NULL);
    PQclear(r);
    return rc;
}

/* An insert … RETURNING id: no row is `none` (a guarded duplicate or a missing parent). */
static int insert_returning(struct store_pg *q, const char *sql, const struct pg_args *a, int none,
                            int64_t *id, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = none;
    else
        *id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

static int list_limit(int limit)
{
    return pg_db_limit(limit, 50, 1000);
}

/* ---- party orgs ---- */

#define PORG_COLS                                                                                  \
    "p.id, p.parent_id, p.kind, p.name, p.party_path, p.org_id, p.org_path, p.district_id,"        \
    " p.secretary_user_id, p.created_at,"                                                          \
    " (SELECT count(*) FROM party_members m WHERE m.party_org_id = p.id)"

static void read_porg(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct party_org *p = out;
    memset(p, 0, sizeof *p);
    p->id = pg_int(r, row, 0);
    p->parent_id = pg_int(r, row, 1);
    p->kind = (enum party_kind)pg_int(r, row, 2);
    pg_text(r, row, 3, p->name, sizeof p->name);
    pg_text(r, row, 4, p->party_path, sizeof p->party_path);
    p->org_id = pg_int(r, row, 5);
    pg_text(r, row, 6, p->org_path, sizeof p->org_path);
    p->district_id = pg_int(r, row, 7);
    p->secretary_user_id = pg_int(r, row, 8);
    p->created_at = pg_int(r, row, 9);
    p->members = (int)pg_int(r, row, 10);
}

int pg_party_org_insert(struct store *s, struct party_org *p)
{
    struct store_pg *q = pg_of(s);
    char parent_path[GG_PATH_SZ] = "";
    if (p->parent_id) {
        struct party_org par;
        int rc = pg_party_org_get(s, p->parent_id, NULL, &par);
        if (rc)
            return rc;
        gg_strlcpy(parent_path, par.party_path, sizeof parent_path);
    }
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, p->parent_id);
    pg_arg_int(&a, p->kind);
    pg_arg_text(&a, p->name);
    pg_arg_int(&a, p->org_id);
    pg_arg_text(&a, p->org_path);
    pg_arg_int(&a, p->district_id);
    pg_arg_int(&a, p->secretary_user_id);
    pg_arg_int(&a, p->created_at);
    int64_t id = 0;
    int rc = insert_returning(q,
                              "INSERT INTO party_orgs (parent_id, kind, name, org_id, org_path,"
                              " district_id, secretary_user_id, created_at) VALUES ($1, $2, $3,"
                              " $4, $5, $6, $7, $8) RETURNING id",
                              &a, -GG_EIO, &id, "party_org_insert");
    if (rc)
        return rc;
    p->id = id;
    int n = snprintf(p->party_path, sizeof p->party_path, "%s%s%lld/", parent_path,
                     parent_path[0] ? "" : "/", (long long)p->id);
    if (n < 0 || (size_t)n >= sizeof p->party_path)
        return -GG_EINVAL;
    pg_args_init(&a);
    pg_arg_text(&a, p->party_path);
    pg_arg_int(&a, p->id);
    return pg_db_run(q, "UPDATE party_orgs SET party_path = $1 WHERE id = $2", &a, NULL,
                     "party_org_set_path");
}

int pg_party_org_get(struct store *s, int64_t id, const struct store_scope *scope,
                     struct party_org *out)
{
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    range_args(&a, &r);
    return get_one(pg_of(s),
                   "SELECT " PORG_COLS " FROM party_orgs p WHERE p.id = $1"
                   " AND p.org_path >= $2 AND p.org_path < $3",
                   &a, read_porg, out, "party_org_get");
}

int pg_party_org_list(struct store *s, const char *org_path, int kind, int64_t parent_id,
                      const struct store_scope *scope, int64_t after_id, int limit,
                      struct party_org **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    pg_arg_int(&a, kind);
    pg_arg_int(&a, parent_id);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " PORG_COLS " FROM party_orgs p WHERE p.org_path >= $1"
                         " AND p.org_path < $2 AND ($3::integer < 0 OR p.kind = $3::integer)"
                         " AND ($4::bigint = 0 OR p.parent_id = $4::bigint)"
                         " AND p.id > $5::bigint ORDER BY p.id LIMIT $6::integer",
                         &a, sizeof **items, read_porg, NULL, (void **)items, n, "party_org_list");
}

/* ---- party members ---- */

#define MEMBER_COLS                                                                                \
    "id, party_org_id, party_path, org_path, district_id, kind, name, user_id, person_id,"         \
    " joined_days, created_at"

static void read_member(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct party_member *m = out;
    memset(m, 0, sizeof *m);
    m->id = pg_int(r, row, 0);
    m->party_org_id = pg_int(r, row, 1);
    pg_text(r, row, 2, m->party_path, sizeof m->party_path);
    pg_text(r, row, 3, m->org_path, sizeof m->org_path);
    m->district_id = pg_int(r, row, 4);
    m->kind = (enum member_kind)pg_int(r, row, 5);
    pg_text(r, row, 6, m->name, sizeof m->name);
    m->user_id = pg_int(r, row, 7);
    m->person_id = pg_int(r, row, 8);
    m->joined_days = PQgetisnull(r, row, 9) ? INT64_MIN : pg_int(r, row, 9);
    m->created_at = pg_int(r, row, 10);
}

int pg_party_member_insert(struct store *s, struct party_member *m)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, m->party_org_id);
    pg_arg_text(&a, m->party_path);
    pg_arg_text(&a, m->org_path);
    pg_arg_int(&a, m->district_id);
    pg_arg_int(&a, m->kind);
    pg_arg_text(&a, m->name);
    pg_arg_int(&a, m->user_id);
    pg_arg_int(&a, m->person_id);
    if (m->joined_days != INT64_MIN)
        pg_arg_int(&a, m->joined_days);
    else
        pg_arg_null(&a);
    pg_arg_int(&a, m->created_at);
    /* the unique user and person indexes: a second member is a conflict, not an abort */
    return insert_returning(pg_of(s),
                            "INSERT INTO party_members (party_org_id, party_path, org_path,"
                            " district_id, kind, name, user_id, person_id, joined_days,"
                            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                            " ON CONFLICT DO NOTHING RETURNING id",
                            &a, -GG_ECONFLICT, &m->id, "party_member_insert");
}

int pg_party_member_get(struct store *s, int64_t id, const struct store_scope *scope,
                        struct party_member *out)
{
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    range_args(&a, &r);
    return get_one(pg_of(s),
                   "SELECT " MEMBER_COLS " FROM party_members WHERE id = $1"
                   " AND org_path >= $2 AND org_path < $3",
                   &a, read_member, out, "party_member_get");
}

int pg_party_member_by_user(struct store *s, int64_t user_id, struct party_member *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, user_id);
    return get_one(pg_of(s),
                   "SELECT " MEMBER_COLS " FROM party_members WHERE user_id = $1"
                   " AND user_id > 0",
                   &a, read_member, out, "party_member_by_user");
}

int pg_party_member_list(struct store *s, const char *party_path, const struct store_scope *scope,
                         int64_t after_id, int limit, struct party_member **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r, pr;
    if (!visible(scope, party_may_read, NULL, &r))
        return 0;
    range_of(party_path, &pr);
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    range_args(&a, &pr);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " MEMBER_COLS " FROM party_members WHERE org_path >= $1"
                         " AND org_path < $2 AND party_path >= $3 AND party_path < $4"
                         " AND id > $5::bigint ORDER BY id LIMIT $6::integer",
                         &a, sizeof **items, read_member, NULL, (void **)items, n,
                         "party_member_list");
}

/* ---- report-ins (双报到) ---- */

static void read_report_in(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct report_in *x = out;
    memset(x, 0, sizeof *x);
    x->id = pg_int(r, row, 0);
    x->member_id = pg_int(r, row, 1);
    x->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, x->org_path, sizeof x->org_path);
    x->district_id = pg_int(r, row, 4);
    pg_text(r, row, 5, x->skills, sizeof x->skills);
    pg_text(r, row, 6, x->available, sizeof x->available);
    x->at = pg_int(r, row, 7);
    x->recorded_by = pg_int(r, row, 8);
    pg_text(r, row, 9, x->member_name, sizeof x->member_name);
}

int pg_party_report_in_insert(struct store *s, struct report_in *r)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, r->member_id);
    pg_arg_int(&a, r->org_id);
    pg_arg_text(&a, r->org_path);
    pg_arg_int(&a, r->district_id);
    pg_arg_text(&a, r->skills);
    pg_arg_text(&a, r->available);
    pg_arg_int(&a, r->at);
    pg_arg_int(&a, r->recorded_by);
    return insert_returning(pg_of(s),
                            "INSERT INTO report_ins (member_id, org_id, org_path, district_id,"
                            " skills, available, at, recorded_by) VALUES ($1, $2, $3, $4, $5,"
                            " $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
                            &a, -GG_ECONFLICT, &r->id, "report_in_insert");
}

int pg_party_report_in_list(struct store *s, const char *org_path, int64_t member_id,
                            const struct store_scope *scope, int64_t after_id, int limit,
                            struct report_in **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    pg_arg_int(&a, member_id);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT r.id, r.member_id, r.org_id, r.org_path, r.district_id,"
                         " r.skills, r.available, r.at, r.recorded_by, m.name FROM report_ins r"
                         " JOIN party_members m ON m.id = r.member_id WHERE r.org_path >= $1"
                         " AND r.org_path < $2 AND ($3::bigint = 0 OR r.member_id = $3::bigint)"
                         " AND r.id > $4::bigint ORDER BY r.id LIMIT $5::integer",
                         &a, sizeof **items, read_report_in, NULL, (void **)items, n,
                         "report_in_list");
}

/* ---- covers (三级包保) ---- */

#define COVER_COLS                                                                                 \
    "c.id, c.user_id, c.org_id, c.org_path, c.district_id, c.level, c.duty, c.created_at,"         \
    " COALESCE(NULLIF(u.display_name, ''), u.username, '')"
#define COVER_FROM " FROM party_covers c LEFT JOIN users u ON u.id = c.user_id"

static void read_cover(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct cover *c = out;
    memset(c, 0, sizeof *c);
    c->id = pg_int(r, row, 0);
    c->user_id = pg_int(r, row, 1);
    c->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, c->org_path, sizeof c->org_path);
    c->district_id = pg_int(r, row, 4);
    c->level = (enum cover_level)pg_int(r, row, 5);
    pg_text(r, row, 6, c->duty, sizeof c->duty);
    c->created_at = pg_int(r, row, 7);
    pg_text(r, row, 8, c->user_name, sizeof c->user_name);
}

int pg_party_cover_insert(struct store *s, struct cover *c)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, c->user_id);
    pg_arg_int(&a, c->org_id);
    pg_arg_text(&a, c->org_path);
    pg_arg_int(&a, c->district_id);
    pg_arg_int(&a, c->level);
    pg_arg_text(&a, c->duty);
    pg_arg_int(&a, c->created_at);
    return insert_returning(pg_of(s),
                            "INSERT INTO party_covers (user_id, org_id, org_path, district_id,"
                            " level, duty, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                            " ON CONFLICT DO NOTHING RETURNING id",
                            &a, -GG_ECONFLICT, &c->id, "cover_insert");
}

int pg_party_cover_delete(struct store *s, int64_t id)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    int64_t changed = 0;
    int rc =
        pg_db_run(pg_of(s), "DELETE FROM party_covers WHERE id = $1", &a, &changed, "cover_delete");
    if (!rc && changed != 1)
        rc = -GG_ENOTFOUND;
    return rc;
}

int pg_party_cover_get(struct store *s, int64_t id, const struct store_scope *scope,
                       struct cover *out)
{
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    range_args(&a, &r);
    return get_one(pg_of(s),
                   "SELECT " COVER_COLS COVER_FROM " WHERE c.id = $1"
                   " AND c.org_path >= $2 AND c.org_path < $3",
                   &a, read_cover, out, "cover_get");
}

int pg_party_cover_list(struct store *s, const char *org_path, int64_t user_id,
                        const struct store_scope *scope, int64_t after_id, int limit,
                        struct cover **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " COVER_COLS COVER_FROM " WHERE c.org_path >= $1"
                         " AND c.org_path < $2 AND ($3::bigint = 0 OR c.user_id = $3::bigint)"
                         " AND c.id > $4::bigint ORDER BY c.id LIMIT $5::integer",
                         &a, sizeof **items, read_cover, NULL, (void **)items, n, "cover_list");
}

int pg_party_cover_for_path(struct store *s, const char *path, struct cover **items, size_t *n)
{
    struct store_pg *q = pg_of(s);
    *items = NULL;
    *n = 0;
    struct cover *all = NULL;
    size_t cnt = 0;
    char prefix[GG_PATH_SZ];
    size_t len = strlen(path);
    int rc = 0;
    /* the node itself, then each ancestor: the prefixes of its path ending at a '/' */
    for (size_t end = len; end > 1 && !rc; end--) {
        if (path[end - 1] != '/' || end >= sizeof prefix)
            continue;
        memcpy(prefix, path, end);
        prefix[end] = '\0';
        struct pg_args a;
        pg_args_init(&a);
        pg_arg_text(&a, prefix);
        struct cover *part = NULL;
        size_t np = 0;
        rc = pg_db_collect(q,
                           "SELECT " COVER_COLS COVER_FROM " WHERE c.org_path = $1"
                           " ORDER BY c.level, c.id LIMIT 100",
                           &a, sizeof *part, read_cover, NULL, (void **)&part, &np,
                           "cover_for_path");
        if (!rc && np) {
            struct cover *grown = realloc(all, (cnt + np) * sizeof *all);
            if (grown) {
                all = grown;
                memcpy(all + cnt, part, np * sizeof *part);
                cnt += np;
            } else {
                rc = -GG_ENOMEM;
            }
        }
        free(part);
    }
    if (rc) {
        free(all);
        return rc;
    }
    *items = all;
    *n = cnt;
    return 0;
}

/* ---- meetings (三会一课) ---- */

#define MEETING_COLS                                                                               \
    "m.id, m.party_org_id, m.party_path, m.org_path, m.district_id, m.kind, m.held_days,"          \
    " m.title, m.created_by, m.created_at,"                                                        \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 0),"       \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 1),"       \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 2)"

static void read_meeting(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct party_meeting *m = out;
    memset(m, 0, sizeof *m);
    m->id = pg_int(r, row, 0);
    m->party_org_id = pg_int(r, row, 1);
    pg_text(r, row, 2, m->party_path, sizeof m->party_path);
    pg_text(r, row, 3, m->org_path, sizeof m->org_path);
    m->district_id = pg_int(r, row, 4);
    m->kind = (enum meeting_kind)pg_int(r, row, 5);
    m->held_days = pg_int(r, row, 6);
    pg_text(r, row, 7, m->title, sizeof m->title);
    m->created_by = pg_int(r, row, 8);
    m->created_at = pg_int(r, row, 9);
    m->present = (int)pg_int(r, row, 10);
    m->absent = (int)pg_int(r, row, 11);
    m->excused = (int)pg_int(r, row, 12);
}

int pg_party_meeting_insert(struct store *s, struct party_meeting *m)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, m->party_org_id);
    pg_arg_text(&a, m->party_path);
    pg_arg_text(&a, m->org_path);
    pg_arg_int(&a, m->district_id);
    pg_arg_int(&a, m->kind);
    pg_arg_int(&a, m->held_days);
    pg_arg_text(&a, m->title);
    pg_arg_text(&a, m->minutes ? m->minutes : "");
    pg_arg_int(&a, m->created_by);
    pg_arg_int(&a, m->created_at);
    return insert_returning(pg_of(s),
                            "INSERT INTO party_meetings (party_org_id, party_path, org_path,"
                            " district_id, kind, held_days, title, minutes, created_by,"
                            " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                            " RETURNING id",
                            &a, -GG_EIO, &m->id, "meeting_insert");
}

int pg_party_meeting_get(struct store *s, int64_t id, const struct store_scope *scope,
                         struct party_meeting *out)
{
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    range_args(&a, &r);
    PGresult *res = NULL;
    int rc = pg_db_query(pg_of(s),
                         "SELECT " MEETING_COLS ", m.minutes FROM party_meetings m"
                         " WHERE m.id = $1 AND m.org_path >= $2 AND m.org_path < $3",
                         &a, &res, "meeting_get");
    if (rc)
        return rc;
    if (PQntuples(res) == 0) {
        rc = -GG_ENOTFOUND;
    } else {
        read_meeting(res, 0, out, NULL);
        out->minutes = strdup(PQgetisnull(res, 0, 13) ? "" : PQgetvalue(res, 0, 13));
        rc = out->minutes ? 0 : -GG_ENOMEM;
    }
    PQclear(res);
    return rc;
}

int pg_party_meeting_list(struct store *s, const char *party_path, int kind, int64_t from_days,
                          int64_t to_days, const struct store_scope *scope, int64_t after_id,
                          int limit, struct party_meeting **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r, pr;
    if (!visible(scope, party_may_read, NULL, &r))
        return 0;
    range_of(party_path, &pr);
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    range_args(&a, &pr);
    pg_arg_int(&a, kind);
    pg_arg_int(&a, from_days);
    pg_arg_int(&a, to_days);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " MEETING_COLS " FROM party_meetings m WHERE m.org_path >= $1"
                         " AND m.org_path < $2 AND m.party_path >= $3 AND m.party_path < $4"
                         " AND ($5::integer < 0 OR m.kind = $5::integer)"
                         " AND ($6::bigint = 0 OR m.held_days >= $6::bigint)"
                         " AND ($7::bigint = 0 OR m.held_days < $7::bigint)"
                         " AND m.id > $8::bigint ORDER BY m.id LIMIT $9::integer",
                         &a, sizeof **items, read_meeting, NULL, (void **)items, n, "meeting_list");
}

int pg_party_attendance_set(struct store *s, int64_t meeting_id, int64_t member_id,
                            enum attendance status)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, meeting_id);
    pg_arg_int(&a, member_id);
    pg_arg_int(&a, status);
    int64_t changed = 0;
    /* the row copies its meeting's district_id; no meeting, no row (-GG_ENOTFOUND) */
    int rc = pg_db_run(pg_of(s),
                       "INSERT INTO party_attendance (meeting_id, member_id, status,"
                       " district_id) SELECT $1::bigint, $2::bigint, $3::integer, district_id"
                       " FROM party_meetings WHERE id = $1::bigint ON CONFLICT (meeting_id,"
                       " member_id) DO UPDATE SET status = excluded.status",
                       &a, &changed, "attendance_set");
    if (!rc && changed != 1)
        rc = -GG_ENOTFOUND;
    return rc;
}

static void read_attendance(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct meeting_attendance *x = out;
    memset(x, 0, sizeof *x);
    x->member_id = pg_int(r, row, 0);
    x->status = (enum attendance)pg_int(r, row, 1);
    pg_text(r, row, 2, x->member_name, sizeof x->member_name);
}

int pg_party_attendance_list(struct store *s, int64_t meeting_id, struct meeting_attendance **items,
                             size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, meeting_id);
    return pg_db_collect(pg_of(s),
                         "SELECT a.member_id, a.status, COALESCE(m.name, '') FROM"
                         " party_attendance a LEFT JOIN party_members m ON m.id = a.member_id"
                         " WHERE a.meeting_id = $1 ORDER BY a.member_id",
                         &a, sizeof **items, read_attendance, NULL, (void **)items, n,
                         "attendance_list");
}

int pg_party_meeting_facts(struct store *s, const char *party_path, int64_t from_days,
                           int64_t to_days, int (*fn)(void *ctx, int kind, int64_t held_days),
                           void *ctx)
{
    struct range pr;
    range_of(party_path, &pr);
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &pr);
    pg_arg_int(&a, from_days);
    pg_arg_int(&a, to_days);
    PGresult *res = NULL;
    int rc = pg_db_query(pg_of(s),
                         "SELECT kind, held_days FROM party_meetings WHERE party_path >= $1"
                         " AND party_path < $2 AND held_days >= $3::bigint"
                         " AND held_days < $4::bigint",
                         &a, &res, "meeting_facts");
    if (rc)
        return rc;
    int rows = PQntuples(res);
    for (int i = 0; i < rows && !rc; i++)
        rc = fn(ctx, (int)pg_int(res, i, 0), pg_int(res, i, 1));
    PQclear(res);
    return rc;
}

/* ---- key tasks ---- */

#define TASK_COLS                                                                                  \
    "t.id, t.version, t.kind, t.title, t.description, t.org_id, t.org_path, t.district_id,"        \
    " t.leader_user_id, t.budget, t.spend, t.created_by, t.created_at, t.updated_at,"              \
    " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"                       \
    " ORDER BY r.month DESC LIMIT 1), -1)"

static void read_task(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct task *t = out;
    memset(t, 0, sizeof *t);
    t->id = pg_int(r, row, 0);
    t->version = pg_int(r, row, 1);
    t->kind = (enum task_kind)pg_int(r, row, 2);
    pg_text(r, row, 3, t->title, sizeof t->title);
    pg_text(r, row, 4, t->description, sizeof t->description);
    t->org_id = pg_int(r, row, 5);
    pg_text(r, row, 6, t->org_path, sizeof t->org_path);
    t->district_id = pg_int(r, row, 7);
    t->leader_user_id = pg_int(r, row, 8);
    t->budget = pg_int(r, row, 9);
    t->spend = pg_int(r, row, 10);
    t->created_by = pg_int(r, row, 11);
    t->created_at = pg_int(r, row, 12);
    t->updated_at = pg_int(r, row, 13);
    t->latest_percent = (int)pg_int(r, row, 14);
}

/* $1 kind … $10 spend, then $11 created_by and $12 created_at (insert only), updated_at */
static void task_args(struct pg_args *a, const struct task *t, bool insert)
{
    pg_arg_int(a, t->kind);
    pg_arg_text(a, t->title);
    pg_arg_text(a, t->description);
    pg_arg_int(a, t->org_id);
    pg_arg_text(a, t->org_path);
    pg_arg_int(a, t->district_id);
    pg_arg_int(a, t->leader_user_id);
    pg_arg_int(a, t->budget);
    pg_arg_int(a, t->spend);
    if (insert) {
        pg_arg_int(a, t->created_by);
        pg_arg_int(a, t->created_at);
    }
    pg_arg_int(a, t->updated_at);
}

int pg_party_task_insert(struct store *s, struct task *t)
{
    struct pg_args a;
    pg_args_init(&a);
    task_args(&a, t, true);
    int rc = insert_returning(pg_of(s),
                              "INSERT INTO tasks (version, kind, title, description, org_id,"
                              " org_path, district_id, leader_user_id, budget, spend,"
                              " created_by, created_at, updated_at) VALUES (1, $1, $2, $3, $4,"
                              " $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                              &a, -GG_EIO, &t->id, "task_insert");
    if (!rc)
        t->version = 1;
    return rc;
}

int pg_party_task_update(struct store *s, const struct task *t)
{
    struct pg_args a;
    pg_args_init(&a);
    task_args(&a, t, false);
    pg_arg_int(&a, t->id);      /* $11 */
    pg_arg_int(&a, t->version); /* $12 */
    int64_t changed = 0;
    int rc = pg_db_run(pg_of(s),
                       "UPDATE tasks SET version = $12::bigint, kind = $1, title = $2,"
                       " description = $3, org_id = $4, org_path = $5, district_id = $6,"
                       " leader_user_id = $7, budget = $8, spend = $9, updated_at = $10"
                       " WHERE id = $11 AND version = $12::bigint - 1",
                       &a, &changed, "task_update");
    if (!rc && changed != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int pg_party_task_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct task *out)
{
    struct range r;
    int64_t uid = scope ? scope->user_id : 0;
    if (!visible(scope, task_may_read, NULL, &r)) /* nothing in range; own tasks still */
        range_none(&r);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    range_args(&a, &r);
    pg_arg_int(&a, uid);
    return get_one(pg_of(s),
                   "SELECT " TASK_COLS " FROM tasks t WHERE t.id = $1 AND ((t.org_path >= $2"
                   " AND t.org_path < $3) OR ($4::bigint > 0 AND"
                   " t.leader_user_id = $4::bigint))",
                   &a, read_task, out, "task_get");
}

int pg_party_task_list(struct store *s, const char *org_path, int64_t leader_id,
                       const struct store_scope *scope, int64_t after_id, int limit,
                       struct task **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct range r, fr;
    int64_t uid = scope ? scope->user_id : 0;
    if (!visible(scope, task_may_read, org_path, &r))
        range_none(&r); /* an empty range: only the caller's own tasks */
    range_of(org_path, &fr);
    struct pg_args a;
    pg_args_init(&a);
    range_args(&a, &r);
    range_args(&a, &fr);
    pg_arg_int(&a, uid);
    pg_arg_int(&a, leader_id);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " TASK_COLS " FROM tasks t WHERE ((t.org_path >= $1"
                         " AND t.org_path < $2) OR ($5::bigint > 0 AND"
                         " t.leader_user_id = $5::bigint AND ($3 = '' OR (t.org_path >= $3"
                         " AND t.org_path < $4)))) AND ($6::bigint = 0 OR"
                         " t.leader_user_id = $6::bigint) AND t.id > $7::bigint"
                         " ORDER BY t.id LIMIT $8::integer",
                         &a, sizeof **items, read_task, NULL, (void **)items, n, "task_list");
}

#define MS_COLS "id, task_id, title, due_days, done_days, notified_at"

static void read_milestone(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct task_milestone *m = out;
    memset(m, 0, sizeof *m);
    m->id = pg_int(r, row, 0);
    m->task_id = pg_int(r, row, 1);
    pg_text(r, row, 2, m->title, sizeof m->title);
    m->due_days = pg_int(r, row, 3);
    m->done_days = PQgetisnull(r, row, 4) ? TASK_NOT_DONE : pg_int(r, row, 4);
    m->notified_at = pg_int(r, row, 5);
}

/* $1 task_id or id, $2 title, $3 due_days, $4 done_days (NULL when not done), $5 notified_at */
static void milestone_args(struct pg_args *a, int64_t id, const struct task_milestone *m)
{
    pg_arg_int(a, id);
    pg_arg_text(a, m->title);
    pg_arg_int(a, m->due_days);
    if (m->done_days != TASK_NOT_DONE)
        pg_arg_int(a, m->done_days);
    else
        pg_arg_null(a);
    pg_arg_int(a, m->notified_at);
}

int pg_party_milestone_insert(struct store *s, struct task_milestone *m)
{
    struct pg_args a;
    pg_args_init(&a);
    milestone_args(&a, m->task_id, m);
    /* copies the task's district_id; no task, no row (-GG_ENOTFOUND) */
    return insert_returning(pg_of(s),
                            "INSERT INTO task_milestones (task_id, district_id, title,"
                            " due_days, done_days, notified_at) SELECT $1::bigint, district_id,"
                            " $2::text, $3::bigint, $4::bigint, $5::bigint FROM tasks"
                            " WHERE id = $1::bigint RETURNING id",
                            &a, -GG_ENOTFOUND, &m->id, "milestone_insert");
}

int pg_party_milestone_update(struct store *s, const struct task_milestone *m)
{
    struct pg_args a;
    pg_args_init(&a);
    milestone_args(&a, m->id, m);
    int64_t changed = 0;
    int rc = pg_db_run(pg_of(s),
                       "UPDATE task_milestones SET title = $2, due_days = $3, done_days = $4,"
                       " notified_at = $5 WHERE id = $1",
                       &a, &changed, "milestone_update");
    if (!rc && changed != 1)
        rc = -GG_ENOTFOUND;
    return rc;
}

int pg_party_milestone_get(struct store *s, int64_t id, struct task_milestone *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    return get_one(pg_of(s), "SELECT " MS_COLS " FROM task_milestones WHERE id = $1", &a,
                   read_milestone, out, "milestone_get");
}

int pg_party_milestone_list(struct store *s, int64_t task_id, struct task_milestone **items,
                            size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, task_id);
    return pg_db_collect(pg_of(s),
                         "SELECT " MS_COLS " FROM task_milestones WHERE task_id = $1"
                         " ORDER BY due_days, id",
                         &a, sizeof **items, read_milestone, NULL, (void **)items, n,
                         "milestone_list");
}

int pg_party_milestone_overdue(struct store *s, int64_t today, int limit,
                               struct task_milestone **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, today);
    pg_arg_int(&a, list_limit(limit));
    return pg_db_collect(pg_of(s),
                         "SELECT " MS_COLS " FROM task_milestones WHERE done_days IS NULL AND"
                         " notified_at = 0 AND due_days < $1::bigint ORDER BY due_days, id"
                         " LIMIT $2::integer",
                         &a, sizeof **items, read_milestone, NULL, (void **)items, n,
                         "milestone_overdue");
}

static void read_report(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct task_report *x = out;
    memset(x, 0, sizeof *x);
    x->id = pg_int(r, row, 0);
    x->task_id = pg_int(r, row, 1);
    x->month = (int)pg_int(r, row, 2);
    x->percent = (int)pg_int(r, row, 3);
    pg_text(r, row, 4, x->note, sizeof x->note);
    x->reported_by = pg_int(r, row, 5);
    x->at = pg_int(r, row, 6);
}

int pg_party_task_report_insert(struct store *s, struct task_report *r)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, r->task_id);
    pg_arg_int(&a, r->month);
    pg_arg_int(&a, r->percent);
    pg_arg_text(&a, r->note);
    pg_arg_int(&a, r->reported_by);
    pg_arg_int(&a, r->at);
    PGresult *res = NULL;
    /* (tasks found, the new id or NULL): a second report of the month is a conflict */
    int rc = pg_db_query(pg_of(s),
                         "WITH t AS (SELECT district_id FROM tasks WHERE id = $1::bigint),"
                         " ins AS (INSERT INTO task_reports (task_id, district_id, month,"
                         " percent, note, reported_by, at) SELECT $1::bigint, district_id,"
                         " $2::integer, $3::integer, $4::text, $5::bigint, $6::bigint FROM t"
                         " ON CONFLICT DO NOTHING RETURNING id)"
                         " SELECT (SELECT count(*) FROM t), (SELECT id FROM ins)",
                         &a, &res, "task_report_insert");
    if (rc)
        return rc;
    if (pg_int(res, 0, 0) == 0)
        rc = -GG_ENOTFOUND;
    else if (PQgetisnull(res, 0, 1))
        rc = -GG_ECONFLICT;
    else
        r->id = pg_int(res, 0, 1);
    PQclear(res);
    return rc;
}

int pg_party_task_report_list(struct store *s, int64_t task_id, struct task_report **items,
                              size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, task_id);
    return pg_db_collect(pg_of(s),
                         "SELECT id, task_id, month, percent, note, reported_by, at FROM"
                         " task_reports WHERE task_id = $1 ORDER BY month",
                         &a, sizeof **items, read_report, NULL, (void **)items, n,
                         "task_report_list");
}
