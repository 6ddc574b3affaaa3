/* pg_users.c - the catalog of matters, accounts, login failures (for lockout) and session
 * tokens in PostgreSQL.
 * Not here: password hashing or the lockout policy (app/auth.c), nor who may create accounts. */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdlib.h>
#include <string.h>

/* ---- categories ---- */

#define CAT_COLS                                                                                   \
    "code, parent_code, name, kind, list, handler_level, department_kind, accept_hours,"           \
    " handle_hours, clock, guidance, review_on"

static void read_category(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct category *c = out;
    memset(c, 0, sizeof *c);
    pg_text(r, row, 0, c->code, sizeof c->code);
    pg_text(r, row, 1, c->parent_code, sizeof c->parent_code);
    pg_text(r, row, 2, c->name, sizeof c->name);
    c->kind = (enum cat_kind)pg_int(r, row, 3);
    c->list = (enum cat_list)pg_int(r, row, 4);
    c->handler_level = (enum level)pg_int(r, row, 5);
    pg_text(r, row, 6, c->department_kind, sizeof c->department_kind);
    c->accept_hours = (int)pg_int(r, row, 7);
    c->handle_hours = (int)pg_int(r, row, 8);
    c->clock = (enum clock_kind)pg_int(r, row, 9);
    pg_text(r, row, 10, c->guidance, sizeof c->guidance);
    c->review_on = pg_int(r, row, 11);
}

/* One statement; xmax = 0 tells an inserted row from an updated one, so *created is exact. */
int pg_users_category_upsert(struct store *s, const struct category *c, bool *created)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, c->code);
    pg_arg_text(&a, c->parent_code);
    pg_arg_text(&a, c->name);
    pg_arg_int(&a, (int)c->kind);
    pg_arg_int(&a, (int)c->list);
    pg_arg_int(&a, (int)c->handler_level);
    pg_arg_text(&a, c->department_kind);
    pg_arg_int(&a, c->accept_hours);
    pg_arg_int(&a, c->handle_hours);
    pg_arg_int(&a, (int)c->clock);
    pg_arg_text(&a, c->guidance);
    pg_arg_int(&a, c->review_on);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO categories(" CAT_COLS ")"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                         " ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code,"
                         " name = excluded.name, kind = excluded.kind, list = excluded.list,"
                         " handler_level = excluded.handler_level,"
                         " department_kind = excluded.department_kind,"
                         " accept_hours = excluded.accept_hours,"
                         " handle_hours = excluded.handle_hours, clock = excluded.clock,"
                         " guidance = excluded.guidance, review_on = excluded.review_on"
                         " RETURNING (xmax = 0)",
                         &a, &r, "category_upsert");
    if (rc)
        return rc;
    if (created)
        *created = PQntuples(r) > 0 && pg_bool(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_users_category_get(struct store *s, const char *code, struct category *out)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, code);
    int rc = pg_db_query(pg_of(s), "SELECT " CAT_COLS " FROM categories WHERE code = $1", &a, &r,
                         "category_get");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        read_category(r, 0, out, NULL);
    PQclear(r);
    return rc;
}

/* Ordered by code, so that every 大类 comes just before its 小类. */
int pg_users_category_list(struct store *s, struct category **items, size_t *n)
{
    return pg_db_collect(pg_of(s), "SELECT " CAT_COLS " FROM categories ORDER BY code", NULL,
                         sizeof **items, read_category, NULL, (void **)items, n,
                         "category_list");
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "id, username, role, scope_org_id, scope_path, person_id, display_name, disabled, created_at"

static void read_user(const PGresult *r, int row, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = pg_int(r, row, 0);
    pg_text(r, row, 1, u->username, sizeof u->username);
    u->role = (enum role)pg_int(r, row, 2);
    u->scope_org_id = pg_int(r, row, 3);
    pg_text(r, row, 4, u->scope_path, sizeof u->scope_path);
    u->person_id = pg_int(r, row, 5);
    pg_text(r, row, 6, u->display_name, sizeof u->display_name);
    u->disabled = pg_int(r, row, 7) != 0;
    u->created_at = pg_int(r, row, 8);
}

static void user_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    read_user(r, row, out);
}

int pg_users_insert(struct store *s, struct user *u, const char *pw_hash, struct gg_error *err)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, u->username);
    pg_arg_text(&a, pw_hash);
    pg_arg_int(&a, (int)u->role);
    pg_arg_int(&a, u->scope_org_id);
    pg_arg_text(&a, u->scope_path);
    pg_arg_int(&a, u->person_id);
    pg_arg_text(&a, u->display_name);
    pg_arg_int(&a, u->disabled ? 1 : 0);
    pg_arg_int(&a, u->created_at);
    /* ON CONFLICT: a taken name must not abort the caller's transaction */
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO users(username, pw_hash, role, scope_org_id, scope_path,"
                         " person_id, display_name, disabled, created_at)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                         " ON CONFLICT (username) DO NOTHING RETURNING id",
                         &a, &r, "user_insert");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the user");
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gg_error_set(err, GG_ECONFLICT, "username", "username already exists");
    }
    u->id = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

/* A query returning at most one user row (USER_COLS, then the password hash when pw_hash). */
static int one_user(struct store_pg *q, const char *sql, const struct pg_args *a,
                    struct user *out, char *pw_hash, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = -GG_ENOTFOUND;
    } else {
        read_user(r, 0, out);
        if (pw_hash)
            pg_text(r, 0, 9, pw_hash, 256);
    }
    PQclear(r);
    return rc;
}

int pg_users_get(struct store *s, int64_t id, struct user *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    return one_user(pg_of(s), "SELECT " USER_COLS " FROM users WHERE id = $1", &a, out, NULL,
                    "user_get");
}

int pg_users_get_by_name(struct store *s, const char *username, struct user *out, char *pw_hash)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, username);
    return one_user(pg_of(s), "SELECT " USER_COLS ", pw_hash FROM users WHERE username = $1", &a,
                    out, pw_hash, "user_get_by_name");
}

/* A NULL scope_path lists everyone (system reads); "" covers nothing, like scope_covers(). */
int pg_users_list(struct store *s, const char *scope_path, int64_t after_id, int limit,
                  struct user **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, after_id);
    if (scope_path) {
        scope_upper_bound(scope_path, upper, sizeof upper);
        pg_arg_text(&a, scope_path);
        pg_arg_text(&a, upper);
    } else {
        pg_arg_null(&a);
        pg_arg_null(&a);
    }
    pg_arg_int(&a, pg_db_limit(limit, 100, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " USER_COLS " FROM users WHERE id > $1"
                         " AND ($2::text IS NULL OR (scope_path >= $2 AND scope_path < $3::text))"
                         " ORDER BY id LIMIT $4",
                         &a, sizeof **items, user_row, NULL, (void **)items, n, "user_list");
}

/* ---- login failures ---- */

int pg_users_login_failure_add(struct store *s, const char *username, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, username);
    pg_arg_int(&a, at);
    return pg_db_run(pg_of(s), "INSERT INTO login_failures(username, at) VALUES ($1, $2)", &a,
                     NULL, "login_failure_add");
}

int pg_users_login_failure_count(struct store *s, const char *username, int64_t since, int *n)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, username);
    pg_arg_int(&a, since);
    int rc = pg_db_query(pg_of(s),
                         "SELECT count(*) FROM login_failures WHERE username = $1 AND at >= $2",
                         &a, &r, "login_failure_count");
    if (rc)
        return rc;
    *n = (int)pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_users_login_failure_clear(struct store *s, const char *username)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, username);
    return pg_db_run(pg_of(s), "DELETE FROM login_failures WHERE username = $1", &a, NULL,
                     "login_failure_clear");
}

/* ---- session tokens (only their hashes are stored) ---- */

/* An unknown user_id is -GG_ENOTFOUND; a duplicate hash -GG_ECONFLICT. Both are decided
 * before the insert, so that neither aborts the caller's transaction. */
int pg_users_token_insert(struct store *s, const char *token_hash, int64_t user_id,
                          int64_t expires_at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, token_hash);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, expires_at);
    return pg_db_insert_checked(pg_of(s),
                                "WITH u AS (SELECT id FROM users WHERE id = $2),"
                                " ins AS (INSERT INTO tokens(hash, user_id, expires_at)"
                                " SELECT $1, id, $3 FROM u ON CONFLICT (hash) DO NOTHING"
                                " RETURNING 1)"
                                " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM ins)",
                                &a, true, "token_insert");
}

/* A token is valid while now < expires_at: at expires_at it has expired. */
int pg_users_token_get(struct store *s, const char *token_hash, int64_t now, struct user *out,
                       int64_t *expires_at)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, token_hash);
    pg_arg_int(&a, now);
    int rc = pg_db_query(pg_of(s),
                         "SELECT u.id, u.username, u.role, u.scope_org_id, u.scope_path,"
                         " u.person_id, u.display_name, u.disabled, u.created_at, t.expires_at"
                         " FROM tokens t JOIN users u ON u.id = t.user_id"
                         " WHERE t.hash = $1 AND t.expires_at > $2",
                         &a, &r, "token_get");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = -GG_ENOTFOUND;
    } else {
        read_user(r, 0, out);
        if (expires_at)
            *expires_at = pg_int(r, 0, 9);
    }
    PQclear(r);
    return rc;
}

/* Idempotent: deleting an unknown token succeeds (logging out twice is not an error). */
int pg_users_token_delete(struct store *s, const char *token_hash)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, token_hash);
    return pg_db_run(pg_of(s), "DELETE FROM tokens WHERE hash = $1", &a, NULL, "token_delete");
}
