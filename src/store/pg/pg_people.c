/* pg_people.c - issue 6: the population registry (people, households, houses) on PostgreSQL,
 * the same contract as sqlite_people.c (store.h).
 *
 * Sealed id and phone numbers are BYTEA, sent and read as hex text ("\x…"); this file never
 * sees them in clear. Every read applies the caller's scope in SQL: the registry roles see rows
 * whose org_path lies in their subtree (an index range), member and resident only their own
 * person record and what hangs on it, everyone else nothing. Writes that could break a unique
 * rule (an id number's blind index, a household code) are guarded in SQL (ON CONFLICT DO
 * NOTHING, NOT EXISTS) so that a conflict is reported without aborting the caller's
 * transaction.
 *
 * Not here: validation, encryption, roles that may write (app/people.c). */
#include "store/pg/pg_internal.h"

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

/* The narrower of the scope's and the filter's subtree; false when they do not overlap. */
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

/* adds the subtree of path ("" = everything) as two arguments; upper must outlive the call */
static void range_args(struct pg_args *a, const char *path, char upper[GG_PATH_SZ])
{
    if (*path) {
        scope_upper_bound(path, upper, GG_PATH_SZ);
    } else {
        upper[0] = '\x7f';
        upper[1] = '\0';
    }
    pg_arg_text(a, path);
    pg_arg_text(a, upper);
}

/* bytes as a BYTEA text value ("\x" + hex) into hex[2 + 2n + 1]; NULL when n is 0 */
static void arg_bytes(struct pg_args *a, const uint8_t *p, size_t n, char *hex)
{
    if (!n) {
        pg_arg_null(a);
        return;
    }
    static const char digits[] = "0123456789abcdef";
    hex[0] = '\\';
    hex[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        hex[2 + 2 * i] = digits[p[i] >> 4];
        hex[3 + 2 * i] = digits[p[i] & 15];
    }
    hex[2 + 2 * n] = '\0';
    pg_arg_text(a, hex);
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* a BYTEA column in hex output format into out[max]; the byte count, 0 for NULL or bad input */
static size_t col_bytes(const PGresult *r, int row, int col, uint8_t *out, size_t max)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    if (v[0] != '\\' || v[1] != 'x')
        return 0;
    v += 2;
    size_t len = strlen(v);
    if (len % 2 || len / 2 > max)
        return 0;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = nibble(v[2 * i]), lo = nibble(v[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return 0;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return len / 2;
}

/* The cursor: rows after (org_path of $n, $n) in (org_path, id) order. */
#define AFTER(table, n)                                                                            \
    " AND ($" n "::bigint = 0 OR (org_path, id) > ((SELECT org_path FROM " table                  \
    " WHERE id = $" n "), $" n "))"

/* No row changed by an update or delete of id: gone (-GG_ENOTFOUND) or someone else's version
 * (-GG_ECONFLICT) when check_sql (SELECT 1 … WHERE id = $1) is given. */
static int changed_one(struct store_pg *q, int64_t changed, const char *check_sql, int64_t id,
                       const char *what)
{
    if (changed == 1)
        return 0;
    if (!check_sql)
        return -GG_ENOTFOUND;
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    int rc = pg_db_query(q, check_sql, &a, &r, what);
    if (rc)
        return rc;
    rc = PQntuples(r) ? -GG_ECONFLICT : -GG_ENOTFOUND;
    PQclear(r);
    return rc;
}

/* One row or -GG_ENOTFOUND. */
static int get_one(struct store_pg *q, const char *sql, const struct pg_args *a,
                   void (*read)(const PGresult *, int, void *, void *), void *out,
                   const char *what)
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

/* Arguments of a scoped get: $1 the id, then $2 $3 the range or $2 the own person. */
static int get_scoped(struct store_pg *q, const char *const sql[3], int64_t id,
                      const struct store_scope *scope,
                      void (*read)(const PGresult *, int, void *, void *), void *out,
                      const char *what)
{
    enum fam f = family(scope);
    if (f == FAM_NONE)
        return -GG_ENOTFOUND;
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    pg_arg_int(&a, id);
    if (f == FAM_RANGE)
        range_args(&a, scope->path, upper);
    else if (f == FAM_OWN)
        pg_arg_int(&a, scope->person_id);
    return get_one(q, sql[f == FAM_SYS ? 0 : f == FAM_RANGE ? 1 : 2], &a, read, out, what);
}

#define RANGE2 " AND org_path >= $2 AND org_path < $3"

/* ---- people ---- */

#define PERSON_COLS                                                                                \
    "id, version, org_id, org_path, household_id, name, gender, birth_days, id_sealed, id_blind,"  \
    " phone_sealed, phone_blind, tags, party_member, party_branch, volunteer, relation,"           \
    " created_at, updated_at"

static void read_sealed(const PGresult *r, int row, int col, struct sealed *out)
{
    memset(out, 0, sizeof *out);
    size_t n = col_bytes(r, row, col, out->data, GG_SEALED_MAX);
    if (!n)
        return;
    out->len = (uint16_t)n;
    uint8_t blind[GG_BLIND_SZ];
    if (col_bytes(r, row, col + 1, blind, GG_BLIND_SZ) == GG_BLIND_SZ)
        memcpy(out->blind, blind, GG_BLIND_SZ);
}

static void read_person(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct person *p = out;
    memset(p, 0, sizeof *p);
    p->id = pg_int(r, row, 0);
    p->version = pg_int(r, row, 1);
    p->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, p->org_path, sizeof p->org_path);
    p->household_id = pg_int(r, row, 4);
    pg_text(r, row, 5, p->name, sizeof p->name);
    p->gender = (enum gender)pg_int(r, row, 6);
    p->birth_days = PQgetisnull(r, row, 7) ? GG_BIRTH_UNKNOWN : pg_int(r, row, 7);
    read_sealed(r, row, 8, &p->id_sealed);
    read_sealed(r, row, 10, &p->phone_sealed);
    p->tags = (uint32_t)pg_int(r, row, 12);
    p->party_member = pg_int(r, row, 13) != 0;
    pg_text(r, row, 14, p->party_branch, sizeof p->party_branch);
    p->volunteer = pg_int(r, row, 15) != 0;
    pg_text(r, row, 16, p->relation, sizeof p->relation);
    p->created_at = pg_int(r, row, 17);
    p->updated_at = pg_int(r, row, 18);
}

/* hex texts of a person's sealed values, alive while its arguments are */
struct person_hex {
    char id[2 + 2 * GG_SEALED_MAX + 1], id_blind[2 + 2 * GG_BLIND_SZ + 1];
    char phone[2 + 2 * GG_SEALED_MAX + 1], phone_blind[2 + 2 * GG_BLIND_SZ + 1];
};

/* $1 org_id … $15 relation, then created_at (insert only) and updated_at */
static void person_args(struct pg_args *a, const struct person *p, bool insert,
                        struct person_hex *hx)
{
    pg_arg_int(a, p->org_id);
    pg_arg_text(a, p->org_path);
    pg_arg_int(a, p->household_id);
    pg_arg_text(a, p->name);
    pg_arg_int(a, p->gender);
    if (p->birth_days == GG_BIRTH_UNKNOWN)
        pg_arg_null(a);
    else
        pg_arg_int(a, p->birth_days);
    arg_bytes(a, p->id_sealed.data, p->id_sealed.len, hx->id);
    arg_bytes(a, p->id_sealed.blind, p->id_sealed.len ? GG_BLIND_SZ : 0, hx->id_blind);
    arg_bytes(a, p->phone_sealed.data, p->phone_sealed.len, hx->phone);
    arg_bytes(a, p->phone_sealed.blind, p->phone_sealed.len ? GG_BLIND_SZ : 0, hx->phone_blind);
    pg_arg_int(a, p->tags);
    pg_arg_int(a, p->party_member);
    pg_arg_text(a, p->party_branch);
    pg_arg_int(a, p->volunteer);
    pg_arg_text(a, p->relation);
    if (insert)
        pg_arg_int(a, p->created_at);
    pg_arg_int(a, p->updated_at);
}

/* Inserts one row with RETURNING id; no row (ON CONFLICT DO NOTHING) is -GG_ECONFLICT. */
static int insert_returning(struct store_pg *q, const char *sql, const struct pg_args *a,
                            int64_t *id, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ECONFLICT;
    else
        *id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_people_person_insert(struct store *s, struct person *p)
{
    struct pg_args a;
    struct person_hex hx;
    pg_args_init(&a);
    person_args(&a, p, true, &hx);
    int64_t id = 0;
    int rc = insert_returning(
        pg_of(s),
        "INSERT INTO people (version, org_id, org_path, household_id, name, gender, birth_days,"
        " id_sealed, id_blind, phone_sealed, phone_blind, tags, party_member, party_branch,"
        " volunteer, relation, created_at, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7,"
        " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT DO NOTHING RETURNING id",
        &a, &id, "person_insert");
    if (rc)
        return rc;
    p->id = id;
    p->version = 1;
    return 0;
}

int pg_people_person_update(struct store *s, const struct person *p)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    struct person_hex hx;
    pg_args_init(&a);
    person_args(&a, p, false, &hx);
    pg_arg_int(&a, p->id);      /* $17 */
    pg_arg_int(&a, p->version); /* $18 */
    int64_t changed = 0;
    /* another person's id number is a conflict, checked here rather than by the unique index
     * so that the caller's transaction survives it */
    int rc = pg_db_run(
        q,
        "UPDATE people SET version = $18, org_id = $1, org_path = $2, household_id = $3,"
        " name = $4, gender = $5, birth_days = $6, id_sealed = $7, id_blind = $8,"
        " phone_sealed = $9, phone_blind = $10, tags = $11, party_member = $12,"
        " party_branch = $13, volunteer = $14, relation = $15, updated_at = $16"
        " WHERE id = $17 AND version = $18 - 1 AND ($8::bytea IS NULL OR NOT EXISTS"
        " (SELECT 1 FROM people o WHERE o.id_blind = $8::bytea AND o.id <> $17))",
        &a, &changed, "person_update");
    if (rc)
        return rc;
    return changed_one(q, changed, "SELECT 1 FROM people WHERE id = $1", p->id, "person_update");
}

int pg_people_person_delete(struct store *s, int64_t id)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    int64_t changed = 0;
    int rc = pg_db_run(q, "DELETE FROM people WHERE id = $1", &a, &changed, "person_delete");
    if (rc)
        return rc;
    return changed_one(q, changed, NULL, id, "person_delete");
}

#define HH_OWN2 " AND id = (SELECT household_id FROM people WHERE id = $2)"
#define HOUSE_OWN2                                                                                 \
    " AND id = (SELECT h.house_id FROM households h JOIN people p ON p.household_id = h.id"      \
    " WHERE p.id = $2)"

int pg_people_person_get(struct store *s, int64_t id, const struct store_scope *scope,
                         struct person *out)
{
#define GET "SELECT " PERSON_COLS " FROM people WHERE id = $1"
    static const char *const sql[3] = {GET, GET RANGE2, GET " AND id = $2"};
#undef GET
    return get_scoped(pg_of(s), sql, id, scope, read_person, out, "person_get");
}

int pg_people_person_list(struct store *s, const struct person_filter *f,
                          const struct store_scope *scope, struct person **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
    /* the filters every variant shares: $1 household, $2 tags, $3 party, $4 volunteer, $5 q */
#define FILTERS                                                                                    \
    " AND ($1::bigint = 0 OR household_id = $1) AND ($2::bigint = 0 OR (tags & $2) <> 0)"         \
    " AND ($3::int < 0 OR party_member = $3) AND ($4::int < 0 OR volunteer = $4)"                 \
    " AND ($5::text = '' OR strpos(name, $5) > 0)"
#define SEL "SELECT " PERSON_COLS " FROM people"
    static const char own_sql[] =
        SEL " WHERE id = $7" FILTERS " AND ($8::int = 0 OR id_blind = $9::bytea)"
            " AND ($10::int = 0 OR phone_blind = $11::bytea) AND id > $6";
    static const char by_id_sql[] = SEL " WHERE id_blind = $7::bytea AND org_path >= $8"
                                        " AND org_path < $9" FILTERS " AND id > $6"
                                        " ORDER BY id LIMIT $10";
    static const char by_phone_sql[] = SEL " WHERE phone_blind = $7::bytea AND org_path >= $8"
                                           " AND org_path < $9" FILTERS " AND id > $6"
                                           " ORDER BY id LIMIT $10";
    static const char range_sql[] = SEL " WHERE org_path >= $7 AND org_path < $8" FILTERS AFTER(
        "people", "6") " ORDER BY org_path, id LIMIT $9";
#undef SEL
#undef FILTERS
    struct pg_args a;
    char ib[2 + 2 * GG_BLIND_SZ + 1], pb[2 + 2 * GG_BLIND_SZ + 1];
    int limit = pg_db_limit(f->limit, 50, 1000);
    pg_args_init(&a);
    pg_arg_int(&a, f->household_id);
    pg_arg_int(&a, f->tags);
    pg_arg_int(&a, f->party_member);
    pg_arg_int(&a, f->volunteer);
    pg_arg_text(&a, f->q);
    pg_arg_int(&a, f->after_id);
    const char *sql;
    if (fm == FAM_OWN) {
        sql = own_sql;
        pg_arg_int(&a, scope->person_id);
        pg_arg_int(&a, f->by_id_blind);
        arg_bytes(&a, f->id_blind, GG_BLIND_SZ, ib);
        pg_arg_int(&a, f->by_phone_blind);
        arg_bytes(&a, f->phone_blind, GG_BLIND_SZ, pb);
    } else if (f->by_id_blind || f->by_phone_blind) {
        sql = f->by_id_blind ? by_id_sql : by_phone_sql;
        if (f->by_id_blind)
            arg_bytes(&a, f->id_blind, GG_BLIND_SZ, ib);
        else
            arg_bytes(&a, f->phone_blind, GG_BLIND_SZ, pb);
        range_args(&a, path, upper);
        pg_arg_int(&a, limit);
    } else {
        sql = range_sql;
        range_args(&a, path, upper);
        pg_arg_int(&a, limit);
    }
    return pg_db_collect(pg_of(s), sql, &a, sizeof **items, read_person, NULL, (void **)items, n,
                         "person_list");
}

/* ---- households ---- */

#define HH_COLS                                                                                    \
    "id, version, org_id, org_path, code, address, building, unit, room, color, house_id,"        \
    " (SELECT count(*) FROM people p WHERE p.household_id = households.id), created_at,"         \
    " updated_at"

static void read_household(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct household *h = out;
    memset(h, 0, sizeof *h);
    h->id = pg_int(r, row, 0);
    h->version = pg_int(r, row, 1);
    h->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, h->org_path, sizeof h->org_path);
    pg_text(r, row, 4, h->code, sizeof h->code);
    pg_text(r, row, 5, h->address, sizeof h->address);
    pg_text(r, row, 6, h->building, sizeof h->building);
    pg_text(r, row, 7, h->unit, sizeof h->unit);
    pg_text(r, row, 8, h->room, sizeof h->room);
    h->color = (enum hh_color)pg_int(r, row, 9);
    h->house_id = pg_int(r, row, 10);
    h->members = (int)pg_int(r, row, 11);
    h->created_at = pg_int(r, row, 12);
    h->updated_at = pg_int(r, row, 13);
}

/* $1 org_id … $9 house_id, then created_at (insert only) and updated_at */
static void household_args(struct pg_args *a, const struct household *h, bool insert)
{
    pg_arg_int(a, h->org_id);
    pg_arg_text(a, h->org_path);
    pg_arg_text(a, h->code);
    pg_arg_text(a, h->address);
    pg_arg_text(a, h->building);
    pg_arg_text(a, h->unit);
    pg_arg_text(a, h->room);
    pg_arg_int(a, h->color);
    pg_arg_int(a, h->house_id);
    if (insert)
        pg_arg_int(a, h->created_at);
    pg_arg_int(a, h->updated_at);
}

int pg_people_household_insert(struct store *s, struct household *h)
{
    struct pg_args a;
    pg_args_init(&a);
    household_args(&a, h, true);
    int64_t id = 0;
    int rc = insert_returning(pg_of(s),
                              "INSERT INTO households (version, org_id, org_path, code, address,"
                              " building, unit, room, color, house_id, created_at, updated_at)"
                              " VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                              " ON CONFLICT DO NOTHING RETURNING id",
                              &a, &id, "household_insert");
    if (rc)
        return rc;
    h->id = id;
    h->version = 1;
    return 0;
}

int pg_people_household_update(struct store *s, const struct household *h)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    household_args(&a, h, false);
    pg_arg_int(&a, h->id);      /* $11 */
    pg_arg_int(&a, h->version); /* $12 */
    int64_t changed = 0;
    int rc = pg_db_run(q,
                       "UPDATE households SET version = $12, org_id = $1, org_path = $2,"
                       " code = $3, address = $4, building = $5, unit = $6, room = $7,"
                       " color = $8, house_id = $9, updated_at = $10"
                       " WHERE id = $11 AND version = $12 - 1 AND NOT EXISTS"
                       " (SELECT 1 FROM households o WHERE o.code = $3 AND o.id <> $11)",
                       &a, &changed, "household_update");
    if (rc)
        return rc;
    return changed_one(q, changed, "SELECT 1 FROM households WHERE id = $1", h->id,
                       "household_update");
}

int pg_people_household_delete(struct store *s, int64_t id)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    /* a household with members stays (-GG_ECONFLICT); else it goes, if it exists */
    int rc = pg_db_query(q,
                         "WITH busy AS (SELECT EXISTS (SELECT 1 FROM people"
                         " WHERE household_id = $1) AS b),"
                         " del AS (DELETE FROM households WHERE id = $1"
                         " AND NOT (SELECT b FROM busy) RETURNING 1)"
                         " SELECT (SELECT b FROM busy), (SELECT count(*) FROM del)",
                         &a, &r, "household_delete");
    if (rc)
        return rc;
    if (pg_bool(r, 0, 0))
        rc = -GG_ECONFLICT;
    else if (pg_int(r, 0, 1) != 1)
        rc = -GG_ENOTFOUND;
    PQclear(r);
    return rc;
}

int pg_people_household_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct household *out)
{
#define GET "SELECT " HH_COLS " FROM households WHERE id = $1"
    static const char *const sql[3] = {GET, GET RANGE2, GET HH_OWN2};
#undef GET
    return get_scoped(pg_of(s), sql, id, scope, read_household, out, "household_get");
}

int pg_people_household_get_by_code(struct store *s, const char *code, struct household *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, code);
    return get_one(pg_of(s), "SELECT " HH_COLS " FROM households WHERE code = $1", &a,
                   read_household, out, "household_get_by_code");
}

int pg_people_household_list(struct store *s, const struct household_filter *f,
                             const struct store_scope *scope, struct household **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
#define FILTERS " AND ($1::int < 0 OR color = $1) AND ($2::text = '' OR code = $2)"
    static const char own_sql[] = "SELECT " HH_COLS " FROM households"
                                  " WHERE id = (SELECT household_id FROM people WHERE id = $4)"
                                  FILTERS " AND id > $3";
    static const char range_sql[] = "SELECT " HH_COLS " FROM households"
                                    " WHERE org_path >= $4 AND org_path < $5" FILTERS AFTER(
                                        "households", "3") " ORDER BY org_path, id LIMIT $6";
#undef FILTERS
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, f->color);
    pg_arg_text(&a, f->code);
    pg_arg_int(&a, f->after_id);
    if (fm == FAM_OWN) {
        pg_arg_int(&a, scope->person_id);
    } else {
        range_args(&a, path, upper);
        pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    }
    return pg_db_collect(pg_of(s), fm == FAM_OWN ? own_sql : range_sql, &a, sizeof **items,
                         read_household, NULL, (void **)items, n, "household_list");
}

/* ---- houses ---- */

#define HOUSE_COLS                                                                                 \
    "id, version, org_id, org_path, address, building, unit, room, use, occupancy, area,"         \
    " owner_person_id, created_at, updated_at"

static void read_house(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct house *h = out;
    memset(h, 0, sizeof *h);
    h->id = pg_int(r, row, 0);
    h->version = pg_int(r, row, 1);
    h->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, h->org_path, sizeof h->org_path);
    pg_text(r, row, 4, h->address, sizeof h->address);
    pg_text(r, row, 5, h->building, sizeof h->building);
    pg_text(r, row, 6, h->unit, sizeof h->unit);
    pg_text(r, row, 7, h->room, sizeof h->room);
    h->use = (enum house_use)pg_int(r, row, 8);
    h->occupancy = (enum occupancy)pg_int(r, row, 9);
    h->area = pg_double(r, row, 10);
    h->owner_person_id = pg_int(r, row, 11);
    h->created_at = pg_int(r, row, 12);
    h->updated_at = pg_int(r, row, 13);
}

/* $1 org_id … $10 owner, then created_at (insert only) and updated_at */
static void house_args(struct pg_args *a, const struct house *h, bool insert)
{
    pg_arg_int(a, h->org_id);
    pg_arg_text(a, h->org_path);
    pg_arg_text(a, h->address);
    pg_arg_text(a, h->building);
    pg_arg_text(a, h->unit);
    pg_arg_text(a, h->room);
    pg_arg_int(a, h->use);
    pg_arg_int(a, h->occupancy);
    pg_arg_double(a, h->area);
    pg_arg_int(a, h->owner_person_id);
    if (insert)
        pg_arg_int(a, h->created_at);
    pg_arg_int(a, h->updated_at);
}

int pg_people_house_insert(struct store *s, struct house *h)
{
    struct pg_args a;
    pg_args_init(&a);
    house_args(&a, h, true);
    int64_t id = 0;
    int rc = insert_returning(pg_of(s),
                              "INSERT INTO houses (version, org_id, org_path, address, building,"
                              " unit, room, use, occupancy, area, owner_person_id, created_at,"
                              " updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
                              " $11, $12) RETURNING id",
                              &a, &id, "house_insert");
    if (rc)
        return rc;
    h->id = id;
    h->version = 1;
    return 0;
}

int pg_people_house_update(struct store *s, const struct house *h)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    house_args(&a, h, false);
    pg_arg_int(&a, h->id);      /* $12 */
    pg_arg_int(&a, h->version); /* $13 */
    int64_t changed = 0;
    int rc = pg_db_run(q,
                       "UPDATE houses SET version = $13, org_id = $1, org_path = $2,"
                       " address = $3, building = $4, unit = $5, room = $6, use = $7,"
                       " occupancy = $8, area = $9, owner_person_id = $10, updated_at = $11"
                       " WHERE id = $12 AND version = $13 - 1",
                       &a, &changed, "house_update");
    if (rc)
        return rc;
    return changed_one(q, changed, "SELECT 1 FROM houses WHERE id = $1", h->id, "house_update");
}

int pg_people_house_delete(struct store *s, int64_t id)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    /* households that lived there keep their address and lose the link */
    int rc = pg_db_run(q, "UPDATE households SET house_id = 0 WHERE house_id = $1", &a, NULL,
                       "house_unlink");
    if (rc)
        return rc;
    int64_t changed = 0;
    rc = pg_db_run(q, "DELETE FROM houses WHERE id = $1", &a, &changed, "house_delete");
    if (rc)
        return rc;
    return changed_one(q, changed, NULL, id, "house_delete");
}

int pg_people_house_get(struct store *s, int64_t id, const struct store_scope *scope,
                        struct house *out)
{
#define GET "SELECT " HOUSE_COLS " FROM houses WHERE id = $1"
    static const char *const sql[3] = {GET, GET RANGE2, GET HOUSE_OWN2};
#undef GET
    return get_scoped(pg_of(s), sql, id, scope, read_house, out, "house_get");
}

int pg_people_house_list(struct store *s, const struct house_filter *f,
                         const struct store_scope *scope, struct house **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    enum fam fm = family(scope);
    char path[GG_PATH_SZ], upper[GG_PATH_SZ];
    if (fm == FAM_NONE || !range_path(fm == FAM_SYS ? NULL : scope, f->org_path, path))
        return 0;
    static const char own_sql[] =
        "SELECT " HOUSE_COLS " FROM houses WHERE id = (SELECT h.house_id FROM households h"
        " JOIN people p ON p.household_id = h.id WHERE p.id = $3)"
        " AND ($1::int < 0 OR use = $1) AND id > $2";
    static const char range_sql[] = "SELECT " HOUSE_COLS " FROM houses"
                                    " WHERE org_path >= $3 AND org_path < $4"
                                    " AND ($1::int < 0 OR use = $1)" AFTER("houses", "2")
                                    " ORDER BY org_path, id LIMIT $5";
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, f->use);
    pg_arg_int(&a, f->after_id);
    if (fm == FAM_OWN) {
        pg_arg_int(&a, scope->person_id);
    } else {
        range_args(&a, path, upper);
        pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    }
    return pg_db_collect(pg_of(s), fm == FAM_OWN ? own_sql : range_sql, &a, sizeof **items,
                         read_house, NULL, (void **)items, n, "house_list");
}
