/* sqlite_party.c - issue 6: the party organisation (党组织, 党员, 双报到, 三级包保, 三会一课) and
 * key tasks (重点任务, 民生实事) on SQLite.
 *
 * Every read with a scope applies it in SQL: the reading roles see rows whose org_path lies in
 * their subtree (an index range [path, upper)); tasks are also visible to their own responsible
 * leader; every other role sees nothing. Party orgs form their own tree too (party_path), so
 * "this branch and the groups under it" is a range as well.
 *
 * Not here: validation, roles that may write, the compliance rule (app/party.c, core/). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static void bint(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

static void btext(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite_db_bind_text(st, i, v);
}

/* A subtree as a range: path and upper must outlive the statement. "" = everything. */
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

static void bind_range(sqlite3_stmt *st, const struct range *r)
{
    btext(st, ":sp", r->path);
    btext(st, ":su", r->upper);
}

#define IN_RANGE(col) " " col " >= :sp AND " col " < :su"

static int one_row(struct store_sqlite *q, sqlite3_stmt *st, void (*read)(sqlite3_stmt *, void *,
                                                                           void *),
                   void *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read(st, out, NULL);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

static int insert_run(struct store_sqlite *q, sqlite3_stmt *st, const char *what, int64_t *id)
{
    int rc = sqlite_db_run(q, st, what);
    if (!rc)
        *id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

static int list_limit(int limit)
{
    return sqlite_db_limit(limit, 50, 1000);
}

/* ---- party orgs ---- */

#define PORG_COLS                                                                                  \
    "p.id, p.parent_id, p.kind, p.name, p.party_path, p.org_id, p.org_path, p.district_id,"       \
    " p.secretary_user_id, p.created_at,"                                                          \
    " (SELECT count(*) FROM party_members m WHERE m.party_org_id = p.id)"

static void read_porg(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct party_org *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->parent_id = sqlite3_column_int64(st, 1);
    p->kind = (enum party_kind)sqlite3_column_int(st, 2);
    sqlite_db_col_text(st, 3, p->name, sizeof p->name);
    sqlite_db_col_text(st, 4, p->party_path, sizeof p->party_path);
    p->org_id = sqlite3_column_int64(st, 5);
    sqlite_db_col_text(st, 6, p->org_path, sizeof p->org_path);
    p->district_id = sqlite3_column_int64(st, 7);
    p->secretary_user_id = sqlite3_column_int64(st, 8);
    p->created_at = sqlite3_column_int64(st, 9);
    p->members = sqlite3_column_int(st, 10);
}

int sqlite_party_org_insert(struct store *s, struct party_org *p)
{
    struct store_sqlite *q = sq_of(s);
    char parent_path[GG_PATH_SZ] = "";
    if (p->parent_id) {
        struct party_org par;
        int rc = sqlite_party_org_get(s, p->parent_id, NULL, &par);
        if (rc)
            return rc;
        gg_strlcpy(parent_path, par.party_path, sizeof parent_path);
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_ORG_INSERT,
                            "INSERT INTO party_orgs (parent_id, kind, name, org_id, org_path,"
                            " district_id, secretary_user_id, created_at) VALUES (:parent_id,"
                            " :kind, :name, :org_id, :org_path, :district_id, :sec, :at)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":parent_id", p->parent_id);
    bint(st, ":kind", p->kind);
    btext(st, ":name", p->name);
    bint(st, ":org_id", p->org_id);
    btext(st, ":org_path", p->org_path);
    bint(st, ":district_id", p->district_id);
    bint(st, ":sec", p->secretary_user_id);
    bint(st, ":at", p->created_at);
    rc = insert_run(q, st, "party_org_insert", &p->id);
    if (rc)
        return rc;
    int n = snprintf(p->party_path, sizeof p->party_path, "%s%s%lld/", parent_path,
                     parent_path[0] ? "" : "/", (long long)p->id);
    if (n < 0 || (size_t)n >= sizeof p->party_path)
        return -GG_EINVAL;
    rc = sqlite_db_stmt(q, SQ_PARTY_ORG_SET_PATH,
                        "UPDATE party_orgs SET party_path = :pp WHERE id = :id", &st);
    if (rc)
        return rc;
    btext(st, ":pp", p->party_path);
    bint(st, ":id", p->id);
    return sqlite_db_run(q, st, "party_org_set_path");
}

int sqlite_party_org_get(struct store *s, int64_t id, const struct store_scope *scope,
                         struct party_org *out)
{
    struct store_sqlite *q = sq_of(s);
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_ORG_GET,
                            "SELECT " PORG_COLS " FROM party_orgs p WHERE p.id = :id AND"
                            IN_RANGE("p.org_path"),
                            &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    bind_range(st, &r);
    return one_row(q, st, read_porg, out, "party_org_get");
}

int sqlite_party_org_list(struct store *s, const char *org_path, int kind, int64_t parent_id,
                          const struct store_scope *scope, int64_t after_id, int limit,
                          struct party_org **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_ORG_LIST,
                            "SELECT " PORG_COLS " FROM party_orgs p WHERE" IN_RANGE("p.org_path")
                            " AND (:kind < 0 OR p.kind = :kind) AND (:parent = 0 OR"
                            " p.parent_id = :parent) AND p.id > :after ORDER BY p.id LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bind_range(st, &r);
    bint(st, ":kind", kind);
    bint(st, ":parent", parent_id);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_porg, NULL, (void **)items, n,
                             "party_org_list");
}

/* ---- party members ---- */

#define MEMBER_COLS                                                                                \
    "id, party_org_id, party_path, org_path, district_id, kind, name, user_id, person_id,"        \
    " joined_days, created_at"

static void read_member(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct party_member *m = row;
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->party_org_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, m->party_path, sizeof m->party_path);
    sqlite_db_col_text(st, 3, m->org_path, sizeof m->org_path);
    m->district_id = sqlite3_column_int64(st, 4);
    m->kind = (enum member_kind)sqlite3_column_int(st, 5);
    sqlite_db_col_text(st, 6, m->name, sizeof m->name);
    m->user_id = sqlite3_column_int64(st, 7);
    m->person_id = sqlite3_column_int64(st, 8);
    m->joined_days = sqlite3_column_type(st, 9) == SQLITE_NULL ? INT64_MIN
                                                                : sqlite3_column_int64(st, 9);
    m->created_at = sqlite3_column_int64(st, 10);
}

int sqlite_party_member_insert(struct store *s, struct party_member *m)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_MEMBER_INSERT,
                            "INSERT INTO party_members (party_org_id, party_path, org_path,"
                            " district_id, kind, name, user_id, person_id, joined_days, created_at)"
                            " VALUES (:po, :pp, :op, :d, :kind, :name, :uid, :pid, :joined, :at)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":po", m->party_org_id);
    btext(st, ":pp", m->party_path);
    btext(st, ":op", m->org_path);
    bint(st, ":d", m->district_id);
    bint(st, ":kind", m->kind);
    btext(st, ":name", m->name);
    bint(st, ":uid", m->user_id);
    bint(st, ":pid", m->person_id);
    if (m->joined_days != INT64_MIN)
        bint(st, ":joined", m->joined_days);
    bint(st, ":at", m->created_at);
    return insert_run(q, st, "party_member_insert", &m->id);
}

int sqlite_party_member_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct party_member *out)
{
    struct store_sqlite *q = sq_of(s);
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_MEMBER_GET,
                            "SELECT " MEMBER_COLS " FROM party_members WHERE id = :id AND"
                            IN_RANGE("org_path"),
                            &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    bind_range(st, &r);
    return one_row(q, st, read_member, out, "party_member_get");
}

int sqlite_party_member_by_user(struct store *s, int64_t user_id, struct party_member *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_MEMBER_BY_USER,
                            "SELECT " MEMBER_COLS " FROM party_members WHERE user_id = :uid"
                            " AND user_id > 0",
                            &st);
    if (rc)
        return rc;
    bint(st, ":uid", user_id);
    return one_row(q, st, read_member, out, "party_member_by_user");
}

int sqlite_party_member_list(struct store *s, const char *party_path,
                             const struct store_scope *scope, int64_t after_id, int limit,
                             struct party_member **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r, pr;
    if (!visible(scope, party_may_read, NULL, &r))
        return 0;
    range_of(party_path, &pr);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PARTY_MEMBER_LIST,
                            "SELECT " MEMBER_COLS " FROM party_members WHERE" IN_RANGE("org_path")
                            " AND party_path >= :pp AND party_path < :pu AND id > :after"
                            " ORDER BY id LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bind_range(st, &r);
    btext(st, ":pp", pr.path);
    btext(st, ":pu", pr.upper);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_member, NULL, (void **)items, n,
                             "party_member_list");
}

/* ---- report-ins (双报到) ---- */

static void read_report_in(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct report_in *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->member_id = sqlite3_column_int64(st, 1);
    r->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, r->org_path, sizeof r->org_path);
    r->district_id = sqlite3_column_int64(st, 4);
    sqlite_db_col_text(st, 5, r->skills, sizeof r->skills);
    sqlite_db_col_text(st, 6, r->available, sizeof r->available);
    r->at = sqlite3_column_int64(st, 7);
    r->recorded_by = sqlite3_column_int64(st, 8);
    sqlite_db_col_text(st, 9, r->member_name, sizeof r->member_name);
}

int sqlite_party_report_in_insert(struct store *s, struct report_in *r)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_REPORT_IN_INSERT,
                            "INSERT INTO report_ins (member_id, org_id, org_path, district_id,"
                            " skills, available, at, recorded_by) VALUES (:mid, :oid, :op, :d,"
                            " :skills, :avail, :at, :by)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":mid", r->member_id);
    bint(st, ":oid", r->org_id);
    btext(st, ":op", r->org_path);
    bint(st, ":d", r->district_id);
    btext(st, ":skills", r->skills);
    btext(st, ":avail", r->available);
    bint(st, ":at", r->at);
    bint(st, ":by", r->recorded_by);
    return insert_run(q, st, "report_in_insert", &r->id);
}

int sqlite_party_report_in_list(struct store *s, const char *org_path, int64_t member_id,
                                const struct store_scope *scope, int64_t after_id, int limit,
                                struct report_in **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_REPORT_IN_LIST,
                            "SELECT r.id, r.member_id, r.org_id, r.org_path, r.district_id,"
                            " r.skills, r.available, r.at, r.recorded_by, m.name FROM report_ins r"
                            " JOIN party_members m ON m.id = r.member_id WHERE"
                            IN_RANGE("r.org_path") " AND (:mid = 0 OR r.member_id = :mid)"
                            " AND r.id > :after ORDER BY r.id LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bind_range(st, &r);
    bint(st, ":mid", member_id);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_report_in, NULL, (void **)items, n,
                             "report_in_list");
}

/* ---- covers (三级包保) ---- */

#define COVER_COLS                                                                                 \
    "c.id, c.user_id, c.org_id, c.org_path, c.district_id, c.level, c.duty, c.created_at,"        \
    " COALESCE(NULLIF(u.display_name, ''), u.username, '')"
#define COVER_FROM " FROM party_covers c LEFT JOIN users u ON u.id = c.user_id"

static void read_cover(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct cover *c = row;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    c->user_id = sqlite3_column_int64(st, 1);
    c->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, c->org_path, sizeof c->org_path);
    c->district_id = sqlite3_column_int64(st, 4);
    c->level = (enum cover_level)sqlite3_column_int(st, 5);
    sqlite_db_col_text(st, 6, c->duty, sizeof c->duty);
    c->created_at = sqlite3_column_int64(st, 7);
    sqlite_db_col_text(st, 8, c->user_name, sizeof c->user_name);
}

int sqlite_party_cover_insert(struct store *s, struct cover *c)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_COVER_INSERT,
                            "INSERT INTO party_covers (user_id, org_id, org_path, district_id,"
                            " level, duty, created_at) VALUES (:uid, :oid, :op, :d, :level,"
                            " :duty, :at)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":uid", c->user_id);
    bint(st, ":oid", c->org_id);
    btext(st, ":op", c->org_path);
    bint(st, ":d", c->district_id);
    bint(st, ":level", c->level);
    btext(st, ":duty", c->duty);
    bint(st, ":at", c->created_at);
    return insert_run(q, st, "cover_insert", &c->id);
}

int sqlite_party_cover_delete(struct store *s, int64_t id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_COVER_DELETE, "DELETE FROM party_covers WHERE id = :id", &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    rc = sqlite_db_run(q, st, "cover_delete");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ENOTFOUND;
    return rc;
}

int sqlite_party_cover_get(struct store *s, int64_t id, const struct store_scope *scope,
                           struct cover *out)
{
    struct store_sqlite *q = sq_of(s);
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_COVER_GET,
                            "SELECT " COVER_COLS COVER_FROM " WHERE c.id = :id AND"
                            IN_RANGE("c.org_path"),
                            &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    bind_range(st, &r);
    return one_row(q, st, read_cover, out, "cover_get");
}

int sqlite_party_cover_list(struct store *s, const char *org_path, int64_t user_id,
                            const struct store_scope *scope, int64_t after_id, int limit,
                            struct cover **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r;
    if (!visible(scope, party_may_read, org_path, &r))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_COVER_LIST,
                            "SELECT " COVER_COLS COVER_FROM " WHERE" IN_RANGE("c.org_path")
                            " AND (:uid = 0 OR c.user_id = :uid) AND c.id > :after"
                            " ORDER BY c.id LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bind_range(st, &r);
    bint(st, ":uid", user_id);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_cover, NULL, (void **)items, n,
                             "cover_list");
}

int sqlite_party_cover_for_path(struct store *s, const char *path, struct cover **items,
                                size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct cover *all = NULL;
    size_t cnt = 0, cap = 0;
    char prefix[GG_PATH_SZ];
    size_t len = strlen(path);
    int rc = 0;
    /* the node itself, then each ancestor: the prefixes of its path ending at a '/' */
    for (size_t end = len; end > 1 && !rc; end--) {
        if (path[end - 1] != '/')
            continue;
        if (end >= sizeof prefix)
            continue;
        memcpy(prefix, path, end);
        prefix[end] = '\0';
        sqlite3_stmt *st = NULL;
        rc = sqlite_db_stmt(q, SQ_COVER_AT,
                            "SELECT " COVER_COLS COVER_FROM " WHERE c.org_path = :op"
                            " ORDER BY c.level, c.id LIMIT 100",
                            &st);
        if (rc)
            break;
        btext(st, ":op", prefix);
        struct cover *part = NULL;
        size_t np = 0;
        rc = sqlite_db_collect(q, st, sizeof *part, read_cover, NULL, (void **)&part, &np,
                               "cover_for_path");
        for (size_t i = 0; !rc && i < np; i++) {
            rc = sqlite_db_grow((void **)&all, &cap, cnt, sizeof *all);
            if (!rc)
                all[cnt++] = part[i];
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
    "m.id, m.party_org_id, m.party_path, m.org_path, m.district_id, m.kind, m.held_days,"         \
    " m.title, m.created_by, m.created_at,"                                                        \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 0),"      \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 1),"      \
    " (SELECT count(*) FROM party_attendance a WHERE a.meeting_id = m.id AND a.status = 2)"

static void read_meeting(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct party_meeting *m = row;
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->party_org_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, m->party_path, sizeof m->party_path);
    sqlite_db_col_text(st, 3, m->org_path, sizeof m->org_path);
    m->district_id = sqlite3_column_int64(st, 4);
    m->kind = (enum meeting_kind)sqlite3_column_int(st, 5);
    m->held_days = sqlite3_column_int64(st, 6);
    sqlite_db_col_text(st, 7, m->title, sizeof m->title);
    m->created_by = sqlite3_column_int64(st, 8);
    m->created_at = sqlite3_column_int64(st, 9);
    m->present = sqlite3_column_int(st, 10);
    m->absent = sqlite3_column_int(st, 11);
    m->excused = sqlite3_column_int(st, 12);
}

int sqlite_party_meeting_insert(struct store *s, struct party_meeting *m)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MEETING_INSERT,
                            "INSERT INTO party_meetings (party_org_id, party_path, org_path,"
                            " district_id, kind, held_days, title, minutes, created_by, created_at)"
                            " VALUES (:po, :pp, :op, :d, :kind, :held, :title, :minutes, :by, :at)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":po", m->party_org_id);
    btext(st, ":pp", m->party_path);
    btext(st, ":op", m->org_path);
    bint(st, ":d", m->district_id);
    bint(st, ":kind", m->kind);
    bint(st, ":held", m->held_days);
    btext(st, ":title", m->title);
    btext(st, ":minutes", m->minutes ? m->minutes : "");
    bint(st, ":by", m->created_by);
    bint(st, ":at", m->created_at);
    return insert_run(q, st, "meeting_insert", &m->id);
}

int sqlite_party_meeting_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct party_meeting *out)
{
    struct store_sqlite *q = sq_of(s);
    struct range r;
    if (!visible(scope, party_may_read, NULL, &r))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MEETING_GET,
                            "SELECT " MEETING_COLS ", m.minutes FROM party_meetings m"
                            " WHERE m.id = :id AND" IN_RANGE("m.org_path"),
                            &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    bind_range(st, &r);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_meeting(st, out, NULL);
        const unsigned char *t = sqlite3_column_text(st, 13);
        out->minutes = strdup(t ? (const char *)t : "");
        rc = out->minutes ? 0 : -GG_ENOMEM;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "meeting_get");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_party_meeting_list(struct store *s, const char *party_path, int kind,
                              int64_t from_days, int64_t to_days, const struct store_scope *scope,
                              int64_t after_id, int limit, struct party_meeting **items,
                              size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r, pr;
    if (!visible(scope, party_may_read, NULL, &r))
        return 0;
    range_of(party_path, &pr);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MEETING_LIST,
                            "SELECT " MEETING_COLS " FROM party_meetings m WHERE"
                            IN_RANGE("m.org_path") " AND m.party_path >= :pp AND"
                            " m.party_path < :pu AND (:kind < 0 OR m.kind = :kind) AND"
                            " (:from = 0 OR m.held_days >= :from) AND (:to = 0 OR"
                            " m.held_days < :to) AND m.id > :after ORDER BY m.id LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bind_range(st, &r);
    btext(st, ":pp", pr.path);
    btext(st, ":pu", pr.upper);
    bint(st, ":kind", kind);
    bint(st, ":from", from_days);
    bint(st, ":to", to_days);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_meeting, NULL, (void **)items, n,
                             "meeting_list");
}

int sqlite_party_attendance_set(struct store *s, int64_t meeting_id, int64_t member_id,
                                enum attendance status)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ATTEND_SET,
                            "INSERT INTO party_attendance (meeting_id, member_id, status,"
                            " district_id) VALUES (:mid, :member, :status, (SELECT district_id"
                            " FROM party_meetings WHERE id = :mid)) ON CONFLICT (meeting_id,"
                            " member_id) DO UPDATE SET status = excluded.status",
                            &st);
    if (rc)
        return rc;
    bint(st, ":mid", meeting_id);
    bint(st, ":member", member_id);
    bint(st, ":status", status);
    return sqlite_db_run(q, st, "attendance_set");
}

static void read_attendance(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct meeting_attendance *a = row;
    memset(a, 0, sizeof *a);
    a->member_id = sqlite3_column_int64(st, 0);
    a->status = (enum attendance)sqlite3_column_int(st, 1);
    sqlite_db_col_text(st, 2, a->member_name, sizeof a->member_name);
}

int sqlite_party_attendance_list(struct store *s, int64_t meeting_id,
                                 struct meeting_attendance **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ATTEND_LIST,
                            "SELECT a.member_id, a.status, COALESCE(m.name, '') FROM"
                            " party_attendance a LEFT JOIN party_members m ON m.id = a.member_id"
                            " WHERE a.meeting_id = :mid ORDER BY a.member_id",
                            &st);
    if (rc)
        return rc;
    bint(st, ":mid", meeting_id);
    return sqlite_db_collect(q, st, sizeof **items, read_attendance, NULL, (void **)items, n,
                             "attendance_list");
}

int sqlite_party_meeting_facts(struct store *s, const char *party_path, int64_t from_days,
                               int64_t to_days, int (*fn)(void *ctx, int kind, int64_t held_days),
                               void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    struct range pr;
    range_of(party_path, &pr);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MEETING_FACTS,
                            "SELECT kind, held_days FROM party_meetings WHERE party_path >= :pp"
                            " AND party_path < :pu AND held_days >= :from AND held_days < :to",
                            &st);
    if (rc)
        return rc;
    btext(st, ":pp", pr.path);
    btext(st, ":pu", pr.upper);
    bint(st, ":from", from_days);
    bint(st, ":to", to_days);
    int ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ret = fn(ctx, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1));
        if (ret)
            break;
    }
    if (!ret && rc != SQLITE_DONE)
        ret = sqlite_db_error(q, rc, "meeting_facts");
    sqlite_db_done(st);
    return ret;
}

/* ---- key tasks ---- */

#define TASK_COLS                                                                                  \
    "t.id, t.version, t.kind, t.title, t.description, t.org_id, t.org_path, t.district_id,"       \
    " t.leader_user_id, t.budget, t.spend, t.created_by, t.created_at, t.updated_at,"              \
    " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"                       \
    " ORDER BY r.month DESC LIMIT 1), -1)"

static void read_task(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct task *t = row;
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    t->version = sqlite3_column_int64(st, 1);
    t->kind = (enum task_kind)sqlite3_column_int(st, 2);
    sqlite_db_col_text(st, 3, t->title, sizeof t->title);
    sqlite_db_col_text(st, 4, t->description, sizeof t->description);
    t->org_id = sqlite3_column_int64(st, 5);
    sqlite_db_col_text(st, 6, t->org_path, sizeof t->org_path);
    t->district_id = sqlite3_column_int64(st, 7);
    t->leader_user_id = sqlite3_column_int64(st, 8);
    t->budget = sqlite3_column_int64(st, 9);
    t->spend = sqlite3_column_int64(st, 10);
    t->created_by = sqlite3_column_int64(st, 11);
    t->created_at = sqlite3_column_int64(st, 12);
    t->updated_at = sqlite3_column_int64(st, 13);
    t->latest_percent = sqlite3_column_int(st, 14);
}

static void bind_task(sqlite3_stmt *st, const struct task *t)
{
    bint(st, ":id", t->id);
    bint(st, ":version", t->version);
    bint(st, ":kind", t->kind);
    btext(st, ":title", t->title);
    btext(st, ":desc", t->description);
    bint(st, ":oid", t->org_id);
    btext(st, ":op", t->org_path);
    bint(st, ":d", t->district_id);
    bint(st, ":leader", t->leader_user_id);
    bint(st, ":budget", t->budget);
    bint(st, ":spend", t->spend);
    bint(st, ":by", t->created_by);
    bint(st, ":created", t->created_at);
    bint(st, ":updated", t->updated_at);
}

int sqlite_party_task_insert(struct store *s, struct task *t)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_INSERT,
                            "INSERT INTO tasks (version, kind, title, description, org_id,"
                            " org_path, district_id, leader_user_id, budget, spend, created_by,"
                            " created_at, updated_at) VALUES (1, :kind, :title, :desc, :oid, :op,"
                            " :d, :leader, :budget, :spend, :by, :created, :updated)",
                            &st);
    if (rc)
        return rc;
    bind_task(st, t);
    rc = insert_run(q, st, "task_insert", &t->id);
    if (!rc)
        t->version = 1;
    return rc;
}

int sqlite_party_task_update(struct store *s, const struct task *t)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_UPDATE,
                            "UPDATE tasks SET version = :version, kind = :kind, title = :title,"
                            " description = :desc, org_id = :oid, org_path = :op,"
                            " district_id = :d, leader_user_id = :leader, budget = :budget,"
                            " spend = :spend, updated_at = :updated WHERE id = :id AND"
                            " version = :version - 1",
                            &st);
    if (rc)
        return rc;
    bind_task(st, t);
    rc = sqlite_db_run(q, st, "task_update");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int sqlite_party_task_get(struct store *s, int64_t id, const struct store_scope *scope,
                          struct task *out)
{
    struct store_sqlite *q = sq_of(s);
    struct range r;
    int64_t uid = scope ? scope->user_id : 0;
    if (!visible(scope, task_may_read, NULL, &r)) /* nothing in range; own tasks still */
        range_of("\x7f", &r);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_GET,
                            "SELECT " TASK_COLS " FROM tasks t WHERE t.id = :id AND ("
                            IN_RANGE("t.org_path") " OR (:uid > 0 AND t.leader_user_id = :uid))",
                            &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    bint(st, ":uid", uid);
    bind_range(st, &r);
    return one_row(q, st, read_task, out, "task_get");
}

int sqlite_party_task_list(struct store *s, const char *org_path, int64_t leader_id,
                           const struct store_scope *scope, int64_t after_id, int limit,
                           struct task **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct range r;
    int64_t uid = scope ? scope->user_id : 0;
    if (!visible(scope, task_may_read, org_path, &r))
        range_of("\x7f", &r); /* an empty range: only the caller's own tasks */
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_LIST,
                            "SELECT " TASK_COLS " FROM tasks t WHERE (" IN_RANGE("t.org_path")
                            " OR (:uid > 0 AND t.leader_user_id = :uid AND (:fp = '' OR"
                            " (t.org_path >= :fp AND t.org_path < :fu)))) AND (:leader = 0 OR"
                            " t.leader_user_id = :leader) AND t.id > :after ORDER BY t.id"
                            " LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    struct range fr;
    range_of(org_path, &fr);
    bind_range(st, &r);
    btext(st, ":fp", fr.path);
    btext(st, ":fu", fr.upper);
    bint(st, ":uid", uid);
    bint(st, ":leader", leader_id);
    bint(st, ":after", after_id);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_task, NULL, (void **)items, n,
                             "task_list");
}

#define MS_COLS "id, task_id, title, due_days, done_days, notified_at"

static void read_milestone(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct task_milestone *m = row;
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->task_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, m->title, sizeof m->title);
    m->due_days = sqlite3_column_int64(st, 3);
    m->done_days = sqlite3_column_type(st, 4) == SQLITE_NULL ? TASK_NOT_DONE
                                                              : sqlite3_column_int64(st, 4);
    m->notified_at = sqlite3_column_int64(st, 5);
}

static void bind_milestone(sqlite3_stmt *st, const struct task_milestone *m)
{
    bint(st, ":id", m->id);
    bint(st, ":tid", m->task_id);
    btext(st, ":title", m->title);
    bint(st, ":due", m->due_days);
    if (m->done_days != TASK_NOT_DONE)
        bint(st, ":done", m->done_days);
    else
        sqlite3_bind_null(st, sqlite3_bind_parameter_index(st, ":done"));
    bint(st, ":notified", m->notified_at);
}

int sqlite_party_milestone_insert(struct store *s, struct task_milestone *m)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MILESTONE_INSERT,
                            "INSERT INTO task_milestones (task_id, district_id, title, due_days,"
                            " done_days, notified_at) VALUES (:tid, (SELECT district_id FROM tasks"
                            " WHERE id = :tid), :title, :due, :done, :notified)",
                            &st);
    if (rc)
        return rc;
    bind_milestone(st, m);
    return insert_run(q, st, "milestone_insert", &m->id);
}

int sqlite_party_milestone_update(struct store *s, const struct task_milestone *m)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MILESTONE_UPDATE,
                            "UPDATE task_milestones SET title = :title, due_days = :due,"
                            " done_days = :done, notified_at = :notified WHERE id = :id",
                            &st);
    if (rc)
        return rc;
    bind_milestone(st, m);
    rc = sqlite_db_run(q, st, "milestone_update");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ENOTFOUND;
    return rc;
}

int sqlite_party_milestone_get(struct store *s, int64_t id, struct task_milestone *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MILESTONE_GET,
                            "SELECT " MS_COLS " FROM task_milestones WHERE id = :id", &st);
    if (rc)
        return rc;
    bint(st, ":id", id);
    return one_row(q, st, read_milestone, out, "milestone_get");
}

int sqlite_party_milestone_list(struct store *s, int64_t task_id, struct task_milestone **items,
                                size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MILESTONE_LIST,
                            "SELECT " MS_COLS " FROM task_milestones WHERE task_id = :tid"
                            " ORDER BY due_days, id",
                            &st);
    if (rc)
        return rc;
    bint(st, ":tid", task_id);
    return sqlite_db_collect(q, st, sizeof **items, read_milestone, NULL, (void **)items, n,
                             "milestone_list");
}

int sqlite_party_milestone_overdue(struct store *s, int64_t today, int limit,
                                   struct task_milestone **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MILESTONE_OVERDUE,
                            "SELECT " MS_COLS " FROM task_milestones WHERE done_days IS NULL AND"
                            " notified_at = 0 AND due_days < :today ORDER BY due_days, id"
                            " LIMIT :lim",
                            &st);
    if (rc)
        return rc;
    bint(st, ":today", today);
    bint(st, ":lim", list_limit(limit));
    return sqlite_db_collect(q, st, sizeof **items, read_milestone, NULL, (void **)items, n,
                             "milestone_overdue");
}

static void read_report(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct task_report *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->task_id = sqlite3_column_int64(st, 1);
    r->month = sqlite3_column_int(st, 2);
    r->percent = sqlite3_column_int(st, 3);
    sqlite_db_col_text(st, 4, r->note, sizeof r->note);
    r->reported_by = sqlite3_column_int64(st, 5);
    r->at = sqlite3_column_int64(st, 6);
}

int sqlite_party_task_report_insert(struct store *s, struct task_report *r)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_REPORT_INSERT,
                            "INSERT INTO task_reports (task_id, district_id, month, percent, note,"
                            " reported_by, at) VALUES (:tid, (SELECT district_id FROM tasks WHERE"
                            " id = :tid), :month, :pct, :note, :by, :at)",
                            &st);
    if (rc)
        return rc;
    bint(st, ":tid", r->task_id);
    bint(st, ":month", r->month);
    bint(st, ":pct", r->percent);
    btext(st, ":note", r->note);
    bint(st, ":by", r->reported_by);
    bint(st, ":at", r->at);
    return insert_run(q, st, "task_report_insert", &r->id);
}

int sqlite_party_task_report_list(struct store *s, int64_t task_id, struct task_report **items,
                                  size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TASK_REPORT_LIST,
                            "SELECT id, task_id, month, percent, note, reported_by, at FROM"
                            " task_reports WHERE task_id = :tid ORDER BY month",
                            &st);
    if (rc)
        return rc;
    bint(st, ":tid", task_id);
    return sqlite_db_collect(q, st, sizeof **items, read_report, NULL, (void **)items, n,
                             "task_report_list");
}
