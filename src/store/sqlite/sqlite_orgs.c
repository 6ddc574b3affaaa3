/* sqlite_orgs.c - the organisation tree in SQLite: insert computes the materialised path,
 * depth and district from the parent; reads, lists with a cursor, and the boundary text.
 * Not here: deciding where a point falls (core/geo) or who may edit the tree (app/). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ORG_COLS                                                                                   \
    "id, parent_id, kind, code, name, path, depth, district_id, households, department_kind,"      \
    " boundary IS NOT NULL, created_at, updated_at"

static void read_org(sqlite3_stmt *st, struct org *o)
{
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    o->parent_id = sqlite3_column_int64(st, 1);
    o->kind = (enum org_kind)sqlite3_column_int(st, 2);
    sqlite_db_col_text(st, 3, o->code, sizeof o->code);
    sqlite_db_col_text(st, 4, o->name, sizeof o->name);
    sqlite_db_col_text(st, 5, o->path, sizeof o->path);
    o->depth = sqlite3_column_int(st, 6);
    o->district_id = sqlite3_column_int64(st, 7);
    o->households = sqlite3_column_int(st, 8);
    sqlite_db_col_text(st, 9, o->department_kind, sizeof o->department_kind);
    o->has_boundary = sqlite3_column_int(st, 10) != 0;
    o->created_at = sqlite3_column_int64(st, 11);
    o->updated_at = sqlite3_column_int64(st, 12);
}

/* Runs a statement bound by the caller that returns at most one org. */
static int one_org(struct store_sqlite *q, sqlite3_stmt *st, struct org *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_org(st, out);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

static void org_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    read_org(st, row);
}

/* Collects every row of a bound statement into a heap array. */
static int many_orgs(struct store_sqlite *q, sqlite3_stmt *st, struct org **items, size_t *n,
                     const char *what)
{
    return sqlite_db_collect(q, st, sizeof **items, org_row, NULL, (void **)items, n, what);
}

int sqlite_orgs_get(struct store *s, int64_t id, struct org *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORG_GET, "SELECT " ORG_COLS " FROM orgs WHERE id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return one_org(q, st, out, "org_get");
}

int sqlite_orgs_get_by_code(struct store *s, const char *code, struct org *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_ORG_GET_BY_CODE, "SELECT " ORG_COLS " FROM orgs WHERE code = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, code);
    return one_org(q, st, out, "org_get_by_code");
}

/* Inserts with an empty path, then sets the path once the id is known; the caller's
 * transaction makes the pair atomic. */
int sqlite_orgs_insert(struct store *s, struct org *o, const char *boundary, struct gg_error *err)
{
    struct store_sqlite *q = sq_of(s);
    struct org parent;
    char path[GG_PATH_SZ];
    int depth = 0;
    int64_t district = 0;
    sqlite3_stmt *st = NULL;
    int rc;

    if (o->parent_id != 0) {
        rc = sqlite_orgs_get(s, o->parent_id, &parent);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_ENOTFOUND, "parent_id", "parent org %lld not found",
                                (long long)o->parent_id);
        if (rc)
            return gg_error_set(err, rc, "", "cannot read the parent org");
        depth = parent.depth + 1;
        district = parent.district_id;
    }
    rc = sqlite_db_stmt(q, SQ_ORG_INSERT,
                        "INSERT INTO orgs(parent_id, kind, code, name, path, depth, district_id,"
                        " households, department_kind, boundary, created_at, updated_at)"
                        " VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                        &st);
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");
    sqlite3_bind_int64(st, 1, o->parent_id);
    sqlite3_bind_int(st, 2, (int)o->kind);
    sqlite_db_bind_text(st, 3, o->code);
    sqlite_db_bind_text(st, 4, o->name);
    sqlite3_bind_int(st, 5, depth);
    sqlite3_bind_int64(st, 6, district);
    sqlite3_bind_int(st, 7, o->households);
    sqlite_db_bind_text(st, 8, o->department_kind);
    if (boundary)
        sqlite_db_bind_text(st, 9, boundary);
    else
        sqlite3_bind_null(st, 9);
    sqlite3_bind_int64(st, 10, o->created_at);
    sqlite3_bind_int64(st, 11, o->updated_at);
    rc = sqlite_db_run(q, st, "org_insert");
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "org code already exists");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");

    int64_t id = sqlite3_last_insert_rowid(q->db);
    int len = o->parent_id ? snprintf(path, sizeof path, "%s%lld/", parent.path, (long long)id)
                           : snprintf(path, sizeof path, "/%lld/", (long long)id);
    if (len < 0 || (size_t)len >= sizeof path)
        return gg_error_set(err, GG_EINVAL, "parent_id", "the org tree is too deep");
    if (o->kind == ORG_DISTRICT)
        district = id;
    rc = sqlite_db_stmt(q, SQ_ORG_SET_PATH,
                        "UPDATE orgs SET path = ?2, district_id = ?3 WHERE id = ?1", &st);
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");
    sqlite3_bind_int64(st, 1, id);
    sqlite_db_bind_text(st, 2, path);
    sqlite3_bind_int64(st, 3, district);
    rc = sqlite_db_run(q, st, "org_set_path");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the org");

    o->id = id;
    gg_strlcpy(o->path, path, sizeof o->path);
    o->depth = depth;
    o->district_id = district;
    o->has_boundary = boundary != NULL;
    return 0;
}

int sqlite_orgs_update(struct store *s, const struct org *o, const char *boundary,
                       struct gg_error *err)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORG_UPDATE,
                            "UPDATE orgs SET code = ?2, name = ?3, households = ?4,"
                            " department_kind = ?5, boundary = coalesce(?6, boundary),"
                            " updated_at = ?7 WHERE id = ?1",
                            &st);
    if (rc)
        return gg_error_set(err, rc, "", "cannot update the org");
    sqlite3_bind_int64(st, 1, o->id);
    sqlite_db_bind_text(st, 2, o->code);
    sqlite_db_bind_text(st, 3, o->name);
    sqlite3_bind_int(st, 4, o->households);
    sqlite_db_bind_text(st, 5, o->department_kind);
    if (boundary)
        sqlite_db_bind_text(st, 6, boundary);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, o->updated_at);
    rc = sqlite_db_run(q, st, "org_update");
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "code", "org code already exists");
    if (rc)
        return gg_error_set(err, rc, "", "cannot update the org");
    if (sqlite3_changes(q->db) == 0)
        return gg_error_set(err, GG_ENOTFOUND, "id", "org not found");
    return 0;
}

int sqlite_orgs_boundary(struct store *s, int64_t id, char **geojson)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORG_BOUNDARY, "SELECT boundary FROM orgs WHERE id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        char *v = NULL;
        rc = 0;
        if (t) {
            v = strdup((const char *)t);
            if (!v)
                rc = -GG_ENOMEM;
        }
        if (!rc)
            *geojson = v;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "org_boundary");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_orgs_list(struct store *s, const struct org_filter *f, struct org **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    char sql[512];
    char upper[GG_PATH_SZ];
    sqlite3_stmt *st = NULL;
    int bind = 0;
    int64_t ints[3];
    int int_idx[3];
    int n_ints = 0;
    int path_idx = 0;

    size_t len =
        (size_t)snprintf(sql, sizeof sql, "SELECT " ORG_COLS " FROM orgs WHERE id > ?%d", ++bind);
    ints[n_ints] = f->after_id;
    int_idx[n_ints++] = bind;
    if (f->parent_id) {
        len += (size_t)snprintf(sql + len, sizeof sql - len, " AND parent_id = ?%d", ++bind);
        ints[n_ints] = f->parent_id;
        int_idx[n_ints++] = bind;
    }
    if (f->kind >= 0) {
        len += (size_t)snprintf(sql + len, sizeof sql - len, " AND kind = ?%d", ++bind);
        ints[n_ints] = f->kind;
        int_idx[n_ints++] = bind;
    }
    if (f->scope_path[0]) {
        path_idx = bind + 1;
        len += (size_t)snprintf(sql + len, sizeof sql - len, " AND path >= ?%d AND path < ?%d",
                                bind + 1, bind + 2);
        bind += 2;
        scope_upper_bound(f->scope_path, upper, sizeof upper);
    }
    snprintf(sql + len, sizeof sql - len, " ORDER BY id LIMIT ?%d", ++bind);

    int rc = sqlite_db_prepare(q, sql, &st);
    if (rc)
        return rc;
    for (int i = 0; i < n_ints; i++)
        sqlite3_bind_int64(st, int_idx[i], ints[i]);
    if (path_idx) {
        sqlite_db_bind_text(st, path_idx, f->scope_path);
        sqlite_db_bind_text(st, path_idx + 1, upper);
    }
    sqlite3_bind_int(st, bind, sqlite_db_limit(f->limit, 100, 1000));
    rc = many_orgs(q, st, items, n, "org_list");
    sqlite3_finalize(st);
    return rc;
}

/* An uncached statement, because fn may call back into the store while we iterate. */
int sqlite_orgs_grids_each(struct store *s,
                           int (*fn)(void *ctx, const struct org *grid, const char *geojson),
                           void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    struct org o;
    int rc = sqlite_db_prepare(q,
                               "SELECT " ORG_COLS ", boundary FROM orgs"
                               " WHERE kind = ?1 AND boundary IS NOT NULL ORDER BY id",
                               &st);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, ORG_GRID);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_org(st, &o);
        const unsigned char *g = sqlite3_column_text(st, 13);
        int r = fn(ctx, &o, g ? (const char *)g : "");
        if (r) {
            sqlite3_finalize(st);
            return r;
        }
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "org_grids_each");
    sqlite3_finalize(st);
    return rc;
}

int sqlite_orgs_departments(struct store *s, struct org **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORG_DEPARTMENTS,
                            "SELECT " ORG_COLS " FROM orgs WHERE kind = ?1 ORDER BY id", &st);
    if (rc)
        return rc;
    sqlite3_bind_int(st, 1, ORG_DEPARTMENT);
    return many_orgs(q, st, items, n, "org_departments");
}

int sqlite_orgs_count(struct store *s, int64_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORG_COUNT, "SELECT count(*) FROM orgs", &st);
    return rc ? rc : sqlite_db_int64(q, st, n, "org_count");
}
