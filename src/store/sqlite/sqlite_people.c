/* sqlite_people.c - issue 6: the population registry (people, households, houses) on SQLite.
 *
 * Id and phone numbers arrive sealed (ciphertext + blind index, app/pii.c) and are stored as
 * BLOBs; this file never sees them in clear. Every read applies the caller's scope in SQL:
 * the registry roles see rows whose org_path lies in their subtree (an index range), member and
 * resident only their own person record and what hangs on it, everyone else nothing. Lists go
 * along the (org_path, id) index so that a page costs the same for a grid and for the city; the
 * cursor is the last id, whose org_path is looked up again.
 *
 * Not here: validation, encryption, roles that may write (app/people.c). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scope ---- */

enum fam { FAM_NONE, FAM_SYS, FAM_RANGE, FAM_OWN };

static enum fam family(const struct store_scope *scope)
{
    if (!scope)
        return FAM_SYS;
    if (people_may_read(scope->role))
        return FAM_RANGE;
    if (scope->role == ROLE_MEMBER || scope->role == ROLE_RESIDENT)
        return scope->person_id ? FAM_OWN : FAM_NONE;
    return FAM_NONE;
}

/* The subtree a range read covers: the narrower of the scope and the filter's path; false when
 * they do not overlap (nothing to read). */
static bool range_path(const struct store_scope *scope, const char *filter, char out[GG_PATH_SZ])
{
    const char *sp = scope ? scope->path : "";
    if (!filter || !*filter) {
        gg_strlcpy(out, sp, GG_PATH_SZ);
        return true;
    }
    if (scope_covers(sp, filter)) {
        gg_strlcpy(out, filter, GG_PATH_SZ);
        return true;
    }
    if (scope_covers(filter, sp)) {
        gg_strlcpy(out, sp, GG_PATH_SZ);
        return true;
    }
    return false;
}

static void bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

static void bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite_db_bind_text(st, i, v);
}

static void bind_blob(sqlite3_stmt *st, const char *name, const void *p, int n)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i) {
        if (n > 0)
            sqlite3_bind_blob(st, i, p, n, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, i);
    }
}

/* path and upper must stay alive until the statement is done; "" is everything */
static void bind_range(sqlite3_stmt *st, const char *path, char *upper)
{
    if (*path) {
        scope_upper_bound(path, upper, GG_PATH_SZ);
    } else {
        upper[0] = '\x7f';
        upper[1] = '\0';
    }
    bind_text(st, ":sp", path);
    bind_text(st, ":su", upper);
}

/* The cursor: rows after (org_path of :after, :after) in (org_path, id) order. */
#define AFTER_SQL                                                                                  \
    " AND (:after = 0 OR (org_path, id) > ((SELECT org_path FROM %s WHERE id = :after), :after))"

static int updated_one(struct store_sqlite *q, sqlite3_stmt *st, const char *what, bool check_gone,
                       const char *table, int64_t id)
{
    int rc = sqlite_db_run(q, st, what);
    if (rc)
        return rc;
    if (sqlite3_changes(q->db) == 1)
        return 0;
    if (!check_gone)
        return -GG_ENOTFOUND;
    /* no row changed: gone, or someone else's version */
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = ?1", table);
    sqlite3_stmt *chk = NULL;
    rc = sqlite_db_prepare(q, sql, &chk);
    if (rc)
        return rc;
    sqlite3_bind_int64(chk, 1, id);
    rc = sqlite3_step(chk);
    sqlite3_finalize(chk);
    return rc == SQLITE_ROW ? -GG_ECONFLICT : -GG_ENOTFOUND;
}

/* ---- people ---- */

#define PERSON_COLS                                                                                \
    "id, version, org_id, org_path, household_id, name, gender, birth_days, id_sealed, id_blind,"  \
    " phone_sealed, phone_blind, tags, party_member, party_branch, volunteer, relation,"           \
    " created_at, updated_at"

static void read_sealed(sqlite3_stmt *st, int col, struct sealed *out)
{
    memset(out, 0, sizeof *out);
    int n = sqlite3_column_bytes(st, col);
    const void *p = sqlite3_column_blob(st, col);
    if (p && n > 0 && n <= GG_SEALED_MAX) {
        memcpy(out->data, p, (size_t)n);
        out->len = (uint16_t)n;
        int bn = sqlite3_column_bytes(st, col + 1);
        const void *b = sqlite3_column_blob(st, col + 1);
        if (b && bn == GG_BLIND_SZ)
            memcpy(out->blind, b, GG_BLIND_SZ);
    }
}

static void read_person(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct person *p = row;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    p->version = sqlite3_column_int64(st, 1);
    p->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, p->org_path, sizeof p->org_path);
    p->household_id = sqlite3_column_int64(st, 4);
    sqlite_db_col_text(st, 5, p->name, sizeof p->name);
    p->gender = (enum gender)sqlite3_column_int(st, 6);
    p->birth_days = sqlite3_column_type(st, 7) == SQLITE_NULL ? GG_BIRTH_UNKNOWN
                                                               : sqlite3_column_int64(st, 7);
    read_sealed(st, 8, &p->id_sealed);
    read_sealed(st, 10, &p->phone_sealed);
    p->tags = (uint32_t)sqlite3_column_int64(st, 12);
    p->party_member = sqlite3_column_int(st, 13) != 0;
    sqlite_db_col_text(st, 14, p->party_branch, sizeof p->party_branch);
    p->volunteer = sqlite3_column_int(st, 15) != 0;
    sqlite_db_col_text(st, 16, p->relation, sizeof p->relation);
    p->created_at = sqlite3_column_int64(st, 17);
    p->updated_at = sqlite3_column_int64(st, 18);
}

static void bind_person(sqlite3_stmt *st, const struct person *p)
{
    bind_int(st, ":id", p->id);
    bind_int(st, ":version", p->version);
    bind_int(st, ":org_id", p->org_id);
    bind_text(st, ":org_path", p->org_path);
    bind_int(st, ":household_id", p->household_id);
    bind_text(st, ":name", p->name);
    bind_int(st, ":gender", p->gender);
    if (p->birth_days == GG_BIRTH_UNKNOWN)
        sqlite3_bind_null(st, sqlite3_bind_parameter_index(st, ":birth_days"));
    else
        bind_int(st, ":birth_days", p->birth_days);
    bind_blob(st, ":id_sealed", p->id_sealed.data, p->id_sealed.len);
    bind_blob(st, ":id_blind", p->id_sealed.blind, p->id_sealed.len ? GG_BLIND_SZ : 0);
    bind_blob(st, ":phone_sealed", p->phone_sealed.data, p->phone_sealed.len);
    bind_blob(st, ":phone_blind", p->phone_sealed.blind, p->phone_sealed.len ? GG_BLIND_SZ : 0);
    bind_int(st, ":tags", p->tags);
    bind_int(st, ":party_member", p->party_member);
    bind_text(st, ":party_branch", p->party_branch);
    bind_int(st, ":volunteer", p->volunteer);
    bind_text(st, ":relation", p->relation);
    bind_int(st, ":created_at", p->created_at);
    bind_int(st, ":updated_at", p->updated_at);
}

int sqlite_people_person_insert(struct store *s, struct person *p)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_PERSON_INSERT,
        "INSERT INTO people (version, org_id, org_path, household_id, name, gender, birth_days,"
        " id_sealed, id_blind, phone_sealed, phone_blind, tags, party_member, party_branch,"
        " volunteer, relation, created_at, updated_at) VALUES (1, :org_id, :org_path,"
        " :household_id, :name, :gender, :birth_days, :id_sealed, :id_blind, :phone_sealed,"
        " :phone_blind, :tags, :party_member, :party_branch, :volunteer, :relation, :created_at,"
        " :updated_at)",
        &st);
    if (rc)
        return rc;
    bind_person(st, p);
    rc = sqlite_db_run(q, st, "person_insert");
    if (rc)
        return rc;
    p->id = sqlite3_last_insert_rowid(q->db);
    p->version = 1;
    return 0;
}

int sqlite_people_person_update(struct store *s, const struct person *p)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_PERSON_UPDATE,
        "UPDATE people SET version = :version, org_id = :org_id, org_path = :org_path,"
        " household_id = :household_id, name = :name, gender = :gender,"
        " birth_days = :birth_days, id_sealed = :id_sealed, id_blind = :id_blind,"
        " phone_sealed = :phone_sealed, phone_blind = :phone_blind, tags = :tags,"
        " party_member = :party_member, party_branch = :party_branch, volunteer = :volunteer,"
        " relation = :relation, updated_at = :updated_at"
        " WHERE id = :id AND version = :version - 1",
        &st);
    if (rc)
        return rc;
    bind_person(st, p);
    return updated_one(q, st, "person_update", true, "people", p->id);
}

int sqlite_people_person_delete(struct store *s, int64_t id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PERSON_DELETE, "DELETE FROM people WHERE id = :id", &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    return updated_one(q, st, "person_delete", false, "people", id);
}

/* the scope rule of each table, as a WHERE clause */
#define RANGE_SQL " AND org_path >= :sp AND org_path < :su"
#define PERSON_OWN_SQL " AND id = :pid"
#define HH_OWN_SQL " AND id = (SELECT household_id FROM people WHERE id = :pid)"
#define HOUSE_OWN_SQL                                                                              \
    " AND id = (SELECT h.house_id FROM households h JOIN people p ON p.household_id = h.id"     \
    " WHERE p.id = :pid)"

/* Picks and prepares the statement of a family: ids[FAM_SYS..FAM_OWN] are three cache slots. */
static int family_stmt(struct store_sqlite *q, enum fam f, const enum sq_stmt ids[3],
                       const char *const sql[3], sqlite3_stmt **st)
{
    if (f == FAM_NONE)
        return -GG_ENOTFOUND;
    int k = f == FAM_SYS ? 0 : f == FAM_RANGE ? 1 : 2;
    return sqlite_db_stmt(q, ids[k], sql[k], st);
}

static int get_one(struct store_sqlite *q, sqlite3_stmt *st, const struct store_scope *scope,
                   int64_t id, void (*read)(sqlite3_stmt *, void *, void *), void *out,
                   const char *what)
{
    char upper[GG_PATH_SZ];
    bind_int(st, ":id", id);
    bind_int(st, ":pid", scope ? scope->person_id : 0);
    bind_range(st, scope ? scope->path : "", upper);
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

int sqlite_people_person_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct person *out)
{
    static const enum sq_stmt ids[3] = {SQ_PERSON_GET_SYS, SQ_PERSON_GET_RANGE,
                                        SQ_PERSON_GET_OWN};
#define GET "SELECT " PERSON_COLS " FROM people WHERE id = :id"
    static const char *const sql[3] = {GET, GET RANGE_SQL, GET PERSON_OWN_SQL};
#undef GET
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = family_stmt(q, family(scope), ids, sql, &st);
    if (rc)
        return rc;
    return get_one(q, st, scope, id, read_person, out, "person_get");
}

int sqlite_people_person_list(struct store *s, const struct person_filter *f,
                              const struct store_scope *scope, struct person **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
    /* the filters every variant shares */
#define FILTERS                                                                                    \
    " AND (:hh = 0 OR household_id = :hh) AND (:tags = 0 OR (tags & :tags) != 0)"                 \
    " AND (:party < 0 OR party_member = :party) AND (:vol < 0 OR volunteer = :vol)"               \
    " AND (:q = '' OR instr(name, :q) > 0)"
#define SEL "SELECT " PERSON_COLS " FROM people"
    sqlite3_stmt *st = NULL;
    int rc;
    if (fm == FAM_OWN) {
        rc = sqlite_db_stmt(q, SQ_PERSON_LIST_OWN,
                            SEL " WHERE id = :pid" FILTERS " AND (:by_id = 0 OR id_blind = :ib)"
                                " AND (:by_phone = 0 OR phone_blind = :pb) AND id > :after",
                            &st);
    } else if (f->by_id_blind) {
        rc = sqlite_db_stmt(q, SQ_PERSON_LIST_BY_ID,
                            SEL " WHERE id_blind = :ib" RANGE_SQL FILTERS " AND id > :after"
                                " ORDER BY id LIMIT :limit",
                            &st);
    } else if (f->by_phone_blind) {
        rc = sqlite_db_stmt(q, SQ_PERSON_LIST_BY_PHONE,
                            SEL " WHERE phone_blind = :pb" RANGE_SQL FILTERS " AND id > :after"
                                " ORDER BY id LIMIT :limit",
                            &st);
    } else {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 SEL " WHERE 1" RANGE_SQL FILTERS AFTER_SQL " ORDER BY org_path, id LIMIT :limit",
                 "people");
        rc = sqlite_db_stmt(q, SQ_PERSON_LIST_RANGE, sql, &st);
    }
#undef SEL
#undef FILTERS
    if (rc)
        return rc;
    bind_range(st, path, upper);
    bind_int(st, ":pid", scope ? scope->person_id : 0);
    bind_int(st, ":hh", f->household_id);
    bind_int(st, ":tags", f->tags);
    bind_int(st, ":party", f->party_member);
    bind_int(st, ":vol", f->volunteer);
    bind_text(st, ":q", f->q);
    bind_int(st, ":by_id", f->by_id_blind);
    bind_int(st, ":by_phone", f->by_phone_blind);
    bind_blob(st, ":ib", f->id_blind, GG_BLIND_SZ);
    bind_blob(st, ":pb", f->phone_blind, GG_BLIND_SZ);
    bind_int(st, ":after", f->after_id);
    bind_int(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_person, NULL, (void **)items, n,
                             "person_list");
}

/* ---- households ---- */

#define HH_COLS                                                                                    \
    "id, version, org_id, org_path, code, address, building, unit, room, color, house_id,"        \
    " (SELECT count(*) FROM people p WHERE p.household_id = households.id), created_at,"         \
    " updated_at"

static void read_household(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct household *h = row;
    memset(h, 0, sizeof *h);
    h->id = sqlite3_column_int64(st, 0);
    h->version = sqlite3_column_int64(st, 1);
    h->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, h->org_path, sizeof h->org_path);
    sqlite_db_col_text(st, 4, h->code, sizeof h->code);
    sqlite_db_col_text(st, 5, h->address, sizeof h->address);
    sqlite_db_col_text(st, 6, h->building, sizeof h->building);
    sqlite_db_col_text(st, 7, h->unit, sizeof h->unit);
    sqlite_db_col_text(st, 8, h->room, sizeof h->room);
    h->color = (enum hh_color)sqlite3_column_int(st, 9);
    h->house_id = sqlite3_column_int64(st, 10);
    h->members = sqlite3_column_int(st, 11);
    h->created_at = sqlite3_column_int64(st, 12);
    h->updated_at = sqlite3_column_int64(st, 13);
}

static void bind_household(sqlite3_stmt *st, const struct household *h)
{
    bind_int(st, ":id", h->id);
    bind_int(st, ":version", h->version);
    bind_int(st, ":org_id", h->org_id);
    bind_text(st, ":org_path", h->org_path);
    bind_text(st, ":code", h->code);
    bind_text(st, ":address", h->address);
    bind_text(st, ":building", h->building);
    bind_text(st, ":unit", h->unit);
    bind_text(st, ":room", h->room);
    bind_int(st, ":color", h->color);
    bind_int(st, ":house_id", h->house_id);
    bind_int(st, ":created_at", h->created_at);
    bind_int(st, ":updated_at", h->updated_at);
}

int sqlite_people_household_insert(struct store *s, struct household *h)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HH_INSERT,
                            "INSERT INTO households (version, org_id, org_path, code, address,"
                            " building, unit, room, color, house_id, created_at, updated_at)"
                            " VALUES (1, :org_id, :org_path, :code, :address, :building, :unit,"
                            " :room, :color, :house_id, :created_at, :updated_at)",
                            &st);
    if (rc)
        return rc;
    bind_household(st, h);
    rc = sqlite_db_run(q, st, "household_insert");
    if (rc)
        return rc;
    h->id = sqlite3_last_insert_rowid(q->db);
    h->version = 1;
    return 0;
}

int sqlite_people_household_update(struct store *s, const struct household *h)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HH_UPDATE,
                            "UPDATE households SET version = :version, org_id = :org_id,"
                            " org_path = :org_path, code = :code, address = :address,"
                            " building = :building, unit = :unit, room = :room, color = :color,"
                            " house_id = :house_id, updated_at = :updated_at"
                            " WHERE id = :id AND version = :version - 1",
                            &st);
    if (rc)
        return rc;
    bind_household(st, h);
    return updated_one(q, st, "household_update", true, "households", h->id);
}

int sqlite_people_household_delete(struct store *s, int64_t id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HH_MEMBERS,
                            "SELECT EXISTS (SELECT 1 FROM people WHERE household_id = :id)", &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    rc = sqlite3_step(st);
    int busy = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    rc = rc == SQLITE_ROW ? 0 : sqlite_db_error(q, rc, "household_members");
    sqlite_db_done(st);
    if (rc)
        return rc;
    if (busy)
        return -GG_ECONFLICT;
    rc = sqlite_db_stmt(q, SQ_HH_DELETE, "DELETE FROM households WHERE id = :id", &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    return updated_one(q, st, "household_delete", false, "households", id);
}

int sqlite_people_household_get(struct store *s, int64_t id, const struct store_scope *scope,
                                struct household *out)
{
    static const enum sq_stmt ids[3] = {SQ_HH_GET_SYS, SQ_HH_GET_RANGE, SQ_HH_GET_OWN};
#define GET "SELECT " HH_COLS " FROM households WHERE id = :id"
    static const char *const sql[3] = {GET, GET RANGE_SQL, GET HH_OWN_SQL};
#undef GET
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = family_stmt(q, family(scope), ids, sql, &st);
    if (rc)
        return rc;
    return get_one(q, st, scope, id, read_household, out, "household_get");
}

int sqlite_people_household_get_by_code(struct store *s, const char *code, struct household *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HH_GET_CODE,
                            "SELECT " HH_COLS " FROM households WHERE code = :code", &st);
    if (rc)
        return rc;
    bind_text(st, ":code", code);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_household(st, out, NULL);
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? -GG_ENOTFOUND : sqlite_db_error(q, rc, "household_get_by_code");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_people_household_list(struct store *s, const struct household_filter *f,
                                 const struct store_scope *scope, struct household **items,
                                 size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
#define FILTERS " AND (:color < 0 OR color = :color) AND (:code = '' OR code = :code)"
    sqlite3_stmt *st = NULL;
    int rc;
    if (fm == FAM_OWN) {
        rc = sqlite_db_stmt(q, SQ_HH_LIST_OWN,
                            "SELECT " HH_COLS " FROM households WHERE 1" HH_OWN_SQL FILTERS
                            " AND id > :after",
                            &st);
    } else {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "SELECT " HH_COLS " FROM households WHERE 1" RANGE_SQL FILTERS AFTER_SQL
                 " ORDER BY org_path, id LIMIT :limit",
                 "households");
        rc = sqlite_db_stmt(q, SQ_HH_LIST_RANGE, sql, &st);
    }
#undef FILTERS
    if (rc)
        return rc;
    bind_range(st, path, upper);
    bind_int(st, ":pid", scope ? scope->person_id : 0);
    bind_int(st, ":color", f->color);
    bind_text(st, ":code", f->code);
    bind_int(st, ":after", f->after_id);
    bind_int(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_household, NULL, (void **)items, n,
                             "household_list");
}

/* ---- houses ---- */

#define HOUSE_COLS                                                                                 \
    "id, version, org_id, org_path, address, building, unit, room, use, occupancy, area,"         \
    " owner_person_id, created_at, updated_at"

static void read_house(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct house *h = row;
    memset(h, 0, sizeof *h);
    h->id = sqlite3_column_int64(st, 0);
    h->version = sqlite3_column_int64(st, 1);
    h->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, h->org_path, sizeof h->org_path);
    sqlite_db_col_text(st, 4, h->address, sizeof h->address);
    sqlite_db_col_text(st, 5, h->building, sizeof h->building);
    sqlite_db_col_text(st, 6, h->unit, sizeof h->unit);
    sqlite_db_col_text(st, 7, h->room, sizeof h->room);
    h->use = (enum house_use)sqlite3_column_int(st, 8);
    h->occupancy = (enum occupancy)sqlite3_column_int(st, 9);
    h->area = sqlite3_column_double(st, 10);
    h->owner_person_id = sqlite3_column_int64(st, 11);
    h->created_at = sqlite3_column_int64(st, 12);
    h->updated_at = sqlite3_column_int64(st, 13);
}

static void bind_house(sqlite3_stmt *st, const struct house *h)
{
    bind_int(st, ":id", h->id);
    bind_int(st, ":version", h->version);
    bind_int(st, ":org_id", h->org_id);
    bind_text(st, ":org_path", h->org_path);
    bind_text(st, ":address", h->address);
    bind_text(st, ":building", h->building);
    bind_text(st, ":unit", h->unit);
    bind_text(st, ":room", h->room);
    bind_int(st, ":use", h->use);
    bind_int(st, ":occupancy", h->occupancy);
    int i = sqlite3_bind_parameter_index(st, ":area");
    if (i)
        sqlite3_bind_double(st, i, h->area);
    bind_int(st, ":owner", h->owner_person_id);
    bind_int(st, ":created_at", h->created_at);
    bind_int(st, ":updated_at", h->updated_at);
}

int sqlite_people_house_insert(struct store *s, struct house *h)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HOUSE_INSERT,
                            "INSERT INTO houses (version, org_id, org_path, address, building,"
                            " unit, room, use, occupancy, area, owner_person_id, created_at,"
                            " updated_at) VALUES (1, :org_id, :org_path, :address, :building,"
                            " :unit, :room, :use, :occupancy, :area, :owner, :created_at,"
                            " :updated_at)",
                            &st);
    if (rc)
        return rc;
    bind_house(st, h);
    rc = sqlite_db_run(q, st, "house_insert");
    if (rc)
        return rc;
    h->id = sqlite3_last_insert_rowid(q->db);
    h->version = 1;
    return 0;
}

int sqlite_people_house_update(struct store *s, const struct house *h)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_HOUSE_UPDATE,
                            "UPDATE houses SET version = :version, org_id = :org_id,"
                            " org_path = :org_path, address = :address, building = :building,"
                            " unit = :unit, room = :room, use = :use, occupancy = :occupancy,"
                            " area = :area, owner_person_id = :owner, updated_at = :updated_at"
                            " WHERE id = :id AND version = :version - 1",
                            &st);
    if (rc)
        return rc;
    bind_house(st, h);
    return updated_one(q, st, "house_update", true, "houses", h->id);
}

int sqlite_people_house_delete(struct store *s, int64_t id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* households that lived there keep their address and lose the link */
    int rc = sqlite_db_stmt(q, SQ_HOUSE_UNLINK,
                            "UPDATE households SET house_id = 0 WHERE house_id = :id", &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    rc = sqlite_db_run(q, st, "house_unlink");
    if (rc)
        return rc;
    rc = sqlite_db_stmt(q, SQ_HOUSE_DELETE, "DELETE FROM houses WHERE id = :id", &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    return updated_one(q, st, "house_delete", false, "houses", id);
}

int sqlite_people_house_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct house *out)
{
    static const enum sq_stmt ids[3] = {SQ_HOUSE_GET_SYS, SQ_HOUSE_GET_RANGE, SQ_HOUSE_GET_OWN};
#define GET "SELECT " HOUSE_COLS " FROM houses WHERE id = :id"
    static const char *const sql[3] = {GET, GET RANGE_SQL, GET HOUSE_OWN_SQL};
#undef GET
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = family_stmt(q, family(scope), ids, sql, &st);
    if (rc)
        return rc;
    return get_one(q, st, scope, id, read_house, out, "house_get");
}

int sqlite_people_house_list(struct store *s, const struct house_filter *f,
                             const struct store_scope *scope, struct house **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc;
    if (fm == FAM_OWN) {
        rc = sqlite_db_stmt(q, SQ_HOUSE_LIST_OWN,
                            "SELECT " HOUSE_COLS " FROM houses WHERE 1" HOUSE_OWN_SQL
                            " AND (:use < 0 OR use = :use) AND id > :after",
                            &st);
    } else {
        char sql[1024];
        snprintf(sql, sizeof sql,
                 "SELECT " HOUSE_COLS " FROM houses WHERE 1" RANGE_SQL
                 " AND (:use < 0 OR use = :use)" AFTER_SQL " ORDER BY org_path, id LIMIT :limit",
                 "houses");
        rc = sqlite_db_stmt(q, SQ_HOUSE_LIST_RANGE, sql, &st);
    }
    if (rc)
        return rc;
    bind_range(st, path, upper);
    bind_int(st, ":pid", scope ? scope->person_id : 0);
    bind_int(st, ":use", f->use);
    bind_int(st, ":after", f->after_id);
    bind_int(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_house, NULL, (void **)items, n,
                             "house_list");
}
