/* pg_orgs.c - the organisation tree in PostgreSQL: insert computes the materialised path,
 * depth and district from the parent; reads, lists with a cursor, and the boundary text.
 * Not here: deciding where a point falls (core/geo) or who may edit the tree (app/). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS                                                                                   \
    "id, parent_id, kind, code, name, path, depth, district_id, households, department_kind,"      \
    " boundary IS NOT NULL, created_at, updated_at"

static void read_org(const PGresult *r, int row, struct org *o)
{
    memset(o, 0, sizeof *o);
    o->id = pg_int(r, row, 0);
    o->parent_id = pg_int(r, row, 1);
    o->kind = (enum org_kind)pg_int(r, row, 2);
    pg_text(r, row, 3, o->code, sizeof o->code);
    pg_text(r, row, 4, o->name, sizeof o->name);
    pg_text(r, row, 5, o->path, sizeof o->path);
    o->depth = (int)pg_int(r, row, 6);
    o->district_id = pg_int(r, row, 7);
    o->households = (int)pg_int(r, row, 8);
    pg_text(r, row, 9, o->department_kind, sizeof o->department_kind);
    o->has_boundary = pg_bool(r, row, 10);
    o->created_at = pg_int(r, row, 11);
    o->updated_at = pg_int(r, row, 12);
}

static void org_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    read_org(r, row, out);
}

static int one_org(struct store_pg *q, const char *sql, const struct pg_args *a, struct org *out,
                   const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        read_org(r, 0, out);
    PQclear(r);
    return rc;
}

int pg_orgs_get(struct store *s, int64_t id, struct org *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    return one_org(pg_of(s), "SELECT " ORG_COLS " FROM orgs WHERE id = $1", &a, out, "org_get");
}

int pg_orgs_get_by_code(struct store *s, const char *code, struct org *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, code);
    return one_org(pg_of(s), "SELECT " ORG_COLS " FROM orgs WHERE code = $1", &a, out,
                   "org_get_by_code");
}

/* The id comes from the identity column first (nextval), so that the path, which contains it,
 * is written with the row in one statement. */
int pg_orgs_insert(struct store *s, struct org *o, const char *boundary, struct gg_error *err)
{
    struct store_pg *q = pg_of(s);
    struct org parent;
    char path[GG_PATH_SZ];
    int depth = 0;
    int64_t district = 0;
    PGresult *r = NULL;
    struct pg_args a;
    int rc;

    if (o->parent_id != 0) {
        rc = pg_orgs_get(s, o->parent_id, &parent);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_ENOTFOUND, "parent_id", "parent org %lld not found",
                                (long long)o->parent_id);
        if (rc)
            return gg_error_set(err, rc, "", "cannot read the parent org");
        depth = parent.depth + 1;
        district = parent.district_id;
    }
    rc = pg_db_query(q, "SELECT nextval(pg_get_serial_sequence('orgs', 'id'))", NULL, &r,
                     "org_next_id");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");
    int64_t id = pg_int(r, 0, 0);
    PQclear(r);
    int len = o->parent_id ? snprintf(path, sizeof path, "%s%lld/", parent.path, (long long)id)
                           : snprintf(path, sizeof path, "/%lld/", (long long)id);
    if (len < 0 || (size_t)len >= sizeof path)
        return gg_error_set(err, GG_EINVAL, "parent_id", "the org tree is too deep");
    if (o->kind == ORG_DISTRICT)
        district = id;

    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, o->parent_id);
    pg_arg_int(&a, (int)o->kind);
    pg_arg_text(&a, o->code);
    pg_arg_text(&a, o->name);
    pg_arg_text(&a, path);
    pg_arg_int(&a, depth);
    pg_arg_int(&a, district);
    pg_arg_int(&a, o->households);
    pg_arg_text(&a, o->department_kind);
    if (boundary)
        pg_arg_text(&a, boundary);
    else
        pg_arg_null(&a);
    pg_arg_int(&a, o->created_at);
    pg_arg_int(&a, o->updated_at);
    /* ON CONFLICT: a duplicate code must not abort the caller's transaction */
    int64_t changed = 0;
    rc = pg_db_run(q,
                   "INSERT INTO orgs(id, parent_id, kind, code, name, path, depth, district_id,"
                   " households, department_kind, boundary, created_at, updated_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                   " ON CONFLICT (code) DO NOTHING",
                   &a, &changed, "org_insert");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");
    if (changed == 0)
        return gg_error_set(err, GG_ECONFLICT, "code", "org code already exists");
    o->id = id;
    gg_strlcpy(o->path, path, sizeof o->path);
    o->depth = depth;
    o->district_id = district;
    o->has_boundary = boundary != NULL;
    return 0;
}

int pg_orgs_update(struct store *s, const struct org *o, const char *boundary,
                   struct gg_error *err)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, o->code);
    pg_arg_int(&a, o->id);
    /* a code taken by another node is a conflict, checked first so that the update itself
     * cannot fail on the unique index inside the caller's transaction */
    int rc = pg_db_query(q, "SELECT 1 FROM orgs WHERE code = $1 AND id <> $2", &a, &r,
                         "org_code_taken");
    if (rc)
        return gg_error_set(err, rc, "", "cannot update the org");
    bool taken = PQntuples(r) > 0;
    PQclear(r);
    if (taken)
        return gg_error_set(err, GG_ECONFLICT, "code", "org code already exists");
    pg_args_init(&a);
    pg_arg_int(&a, o->id);
    pg_arg_text(&a, o->code);
    pg_arg_text(&a, o->name);
    pg_arg_int(&a, o->households);
    pg_arg_text(&a, o->department_kind);
    if (boundary)
        pg_arg_text(&a, boundary);
    else
        pg_arg_null(&a);
    pg_arg_int(&a, o->updated_at);
    int64_t changed = 0;
    rc = pg_db_run(q,
                   "UPDATE orgs SET code = $2, name = $3, households = $4,"
                   " department_kind = $5, boundary = coalesce($6, boundary),"
                   " updated_at = $7 WHERE id = $1",
                   &a, &changed, "org_update");
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "org code already exists");
    if (rc)
        return gg_error_set(err, rc, "", "cannot update the org");
    if (changed == 0)
        return gg_error_set(err, GG_ENOTFOUND, "id", "org not found");
    return 0;
}

int pg_orgs_boundary(struct store *s, int64_t id, char **geojson)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    int rc = pg_db_query(pg_of(s), "SELECT boundary FROM orgs WHERE id = $1", &a, &r,
                         "org_boundary");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = -GG_ENOTFOUND;
    } else if (PQgetisnull(r, 0, 0)) {
        *geojson = NULL;
    } else {
        char *v = strdup(PQgetvalue(r, 0, 0));
        if (!v)
            rc = -GG_ENOMEM;
        else
            *geojson = v;
    }
    PQclear(r);
    return rc;
}

/* One statement for every filter combination: an unset filter binds a value that matches
 * everything (NULL for the optional ones), so the plan is cached like every other. */
int pg_orgs_list(struct store *s, const struct org_filter *f, struct org **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, f->after_id);
    if (f->parent_id)
        pg_arg_int(&a, f->parent_id);
    else
        pg_arg_null(&a);
    if (f->kind >= 0)
        pg_arg_int(&a, f->kind);
    else
        pg_arg_null(&a);
    if (f->scope_path[0]) {
        scope_upper_bound(f->scope_path, upper, sizeof upper);
        pg_arg_text(&a, f->scope_path);
        pg_arg_text(&a, upper);
    } else {
        pg_arg_null(&a);
        pg_arg_null(&a);
    }
    pg_arg_int(&a, pg_db_limit(f->limit, 100, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " ORG_COLS " FROM orgs WHERE id > $1"
                         " AND ($2::bigint IS NULL OR parent_id = $2)"
                         " AND ($3::int IS NULL OR kind = $3)"
                         " AND ($4::text IS NULL OR (path >= $4 AND path < $5::text))"
                         " ORDER BY id LIMIT $6",
                         &a, sizeof **items, org_row, NULL, (void **)items, n, "org_list");
}

/* The whole result is in memory before fn runs, so fn may call back into the store. */
int pg_orgs_grids_each(struct store *s,
                       int (*fn)(void *ctx, const struct org *grid, const char *geojson),
                       void *ctx)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, ORG_GRID);
    int rc = pg_db_query(pg_of(s),
                         "SELECT " ORG_COLS ", boundary FROM orgs"
                         " WHERE kind = $1 AND boundary IS NOT NULL ORDER BY id",
                         &a, &r, "org_grids_each");
    if (rc)
        return rc;
    struct org o;
    for (int i = 0; i < PQntuples(r) && !rc; i++) {
        read_org(r, i, &o);
        rc = fn(ctx, &o, PQgetvalue(r, i, 13));
    }
    PQclear(r);
    return rc;
}

int pg_orgs_departments(struct store *s, struct org **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, ORG_DEPARTMENT);
    return pg_db_collect(pg_of(s), "SELECT " ORG_COLS " FROM orgs WHERE kind = $1 ORDER BY id",
                         &a, sizeof **items, org_row, NULL, (void **)items, n, "org_departments");
}

int pg_orgs_count(struct store *s, int64_t *n)
{
    PGresult *r = NULL;
    int rc = pg_db_query(pg_of(s), "SELECT count(*) FROM orgs", NULL, &r, "org_count");
    if (rc)
        return rc;
    *n = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}
