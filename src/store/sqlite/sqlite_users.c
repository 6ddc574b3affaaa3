/* sqlite_users.c - the catalog of matters, accounts, login failures (for lockout) and session
 * tokens in SQLite.
 * Not here: password hashing or the lockout policy (app/auth.c), nor who may create accounts. */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdlib.h>
#include <string.h>

/* ---- categories ---- */

#define CAT_COLS                                                                                   \
    "code, parent_code, name, kind, list, handler_level, department_kind, accept_hours,"           \
    " handle_hours, clock, guidance, review_on"

static void read_category(sqlite3_stmt *st, struct category *c)
{
    memset(c, 0, sizeof *c);
    sqlite_db_col_text(st, 0, c->code, sizeof c->code);
    sqlite_db_col_text(st, 1, c->parent_code, sizeof c->parent_code);
    sqlite_db_col_text(st, 2, c->name, sizeof c->name);
    c->kind = (enum cat_kind)sqlite3_column_int(st, 3);
    c->list = (enum cat_list)sqlite3_column_int(st, 4);
    c->handler_level = (enum level)sqlite3_column_int(st, 5);
    sqlite_db_col_text(st, 6, c->department_kind, sizeof c->department_kind);
    c->accept_hours = sqlite3_column_int(st, 7);
    c->handle_hours = sqlite3_column_int(st, 8);
    c->clock = (enum clock_kind)sqlite3_column_int(st, 9);
    sqlite_db_col_text(st, 10, c->guidance, sizeof c->guidance);
    c->review_on = sqlite3_column_int64(st, 11);
}

/* Binds the columns in CAT_COLS order to ?1..?12 (insert and update share the numbering). */
static void bind_category(sqlite3_stmt *st, const struct category *c)
{
    sqlite_db_bind_text(st, 1, c->code);
    sqlite_db_bind_text(st, 2, c->parent_code);
    sqlite_db_bind_text(st, 3, c->name);
    sqlite3_bind_int(st, 4, (int)c->kind);
    sqlite3_bind_int(st, 5, (int)c->list);
    sqlite3_bind_int(st, 6, (int)c->handler_level);
    sqlite_db_bind_text(st, 7, c->department_kind);
    sqlite3_bind_int(st, 8, c->accept_hours);
    sqlite3_bind_int(st, 9, c->handle_hours);
    sqlite3_bind_int(st, 10, (int)c->clock);
    sqlite_db_bind_text(st, 11, c->guidance);
    sqlite3_bind_int64(st, 12, c->review_on);
}

/* Exists-then-insert-or-update rather than INSERT … ON CONFLICT, so that *created is exact;
 * the caller's write transaction makes the pair atomic. */
int sqlite_users_category_upsert(struct store *s, const struct category *c, bool *created)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_CAT_EXISTS, "SELECT 1 FROM categories WHERE code = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, c->code);
    rc = sqlite3_step(st);
    bool exists = rc == SQLITE_ROW;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "category_exists");
    sqlite_db_done(st);
    if (rc)
        return rc;

    if (exists)
        rc = sqlite_db_stmt(q, SQ_CAT_UPDATE,
                            "UPDATE categories SET parent_code = ?2, name = ?3, kind = ?4,"
                            " list = ?5, handler_level = ?6, department_kind = ?7,"
                            " accept_hours = ?8, handle_hours = ?9, clock = ?10, guidance = ?11,"
                            " review_on = ?12 WHERE code = ?1",
                            &st);
    else
        rc = sqlite_db_stmt(q, SQ_CAT_INSERT,
                            "INSERT INTO categories(" CAT_COLS ")"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                            &st);
    if (rc)
        return rc;
    bind_category(st, c);
    rc = sqlite_db_run(q, st, exists ? "category_update" : "category_insert");
    if (rc)
        return rc;
    if (created)
        *created = !exists;
    return 0;
}

int sqlite_users_category_get(struct store *s, const char *code, struct category *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_CAT_GET, "SELECT " CAT_COLS " FROM categories WHERE code = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, code);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_category(st, out);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "category_get");
    }
    sqlite_db_done(st);
    return rc;
}

/* Ordered by code, so that every 大类 comes just before its 小类. */
static void category_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    read_category(st, row);
}

int sqlite_users_category_list(struct store *s, struct category **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_CAT_LIST, "SELECT " CAT_COLS " FROM categories ORDER BY code", &st);
    if (rc)
        return rc;
    return sqlite_db_collect(q, st, sizeof **items, category_row, NULL, (void **)items, n,
                             "category_list");
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "id, username, role, scope_org_id, scope_path, person_id, display_name, disabled, created_at"

static void read_user(sqlite3_stmt *st, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, 0);
    sqlite_db_col_text(st, 1, u->username, sizeof u->username);
    u->role = (enum role)sqlite3_column_int(st, 2);
    u->scope_org_id = sqlite3_column_int64(st, 3);
    sqlite_db_col_text(st, 4, u->scope_path, sizeof u->scope_path);
    u->person_id = sqlite3_column_int64(st, 5);
    sqlite_db_col_text(st, 6, u->display_name, sizeof u->display_name);
    u->disabled = sqlite3_column_int(st, 7) != 0;
    u->created_at = sqlite3_column_int64(st, 8);
}

int sqlite_users_insert(struct store *s, struct user *u, const char *pw_hash, struct gg_error *err)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_USER_INSERT,
                            "INSERT INTO users(username, pw_hash, role, scope_org_id, scope_path,"
                            " person_id, display_name, disabled, created_at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            &st);
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the user");
    sqlite_db_bind_text(st, 1, u->username);
    sqlite_db_bind_text(st, 2, pw_hash);
    sqlite3_bind_int(st, 3, (int)u->role);
    sqlite3_bind_int64(st, 4, u->scope_org_id);
    sqlite_db_bind_text(st, 5, u->scope_path);
    sqlite3_bind_int64(st, 6, u->person_id);
    sqlite_db_bind_text(st, 7, u->display_name);
    sqlite3_bind_int(st, 8, u->disabled ? 1 : 0);
    sqlite3_bind_int64(st, 9, u->created_at);
    rc = sqlite_db_run(q, st, "user_insert");
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "username", "username already exists");
    if (rc)
        return gg_error_set(err, rc, "", "cannot add the user");
    u->id = sqlite3_last_insert_rowid(q->db);
    return 0;
}

/* Runs a bound statement that returns at most one user row (USER_COLS, then optionally the
 * password hash in the next column when pw_hash is not NULL). */
static int one_user(struct store_sqlite *q, sqlite3_stmt *st, struct user *out, char *pw_hash,
                    const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, out);
        if (pw_hash)
            sqlite_db_col_text(st, 9, pw_hash, 256);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_users_get(struct store *s, int64_t id, struct user *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_USER_GET, "SELECT " USER_COLS " FROM users WHERE id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return one_user(q, st, out, NULL, "user_get");
}

int sqlite_users_get_by_name(struct store *s, const char *username, struct user *out, char *pw_hash)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_USER_GET_BY_NAME,
                            "SELECT " USER_COLS ", pw_hash FROM users WHERE username = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, username);
    return one_user(q, st, out, pw_hash, "user_get_by_name");
}

/* The subtree is the index range [scope_path, upper) as in sqlite_orgs_list(). A NULL
 * scope_path lists everyone (system reads); "" covers nothing, like scope_covers(). */
static void user_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    read_user(st, row);
}

int sqlite_users_list(struct store *s, const char *scope_path, int64_t after_id, int limit,
                      struct user **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    char upper[GG_PATH_SZ];
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_USER_LIST,
                            "SELECT " USER_COLS " FROM users WHERE id > ?1"
                            " AND (?2 IS NULL OR (scope_path >= ?2 AND scope_path < ?3))"
                            " ORDER BY id LIMIT ?4",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, after_id);
    if (scope_path) {
        scope_upper_bound(scope_path, upper, sizeof upper);
        sqlite_db_bind_text(st, 2, scope_path);
        sqlite_db_bind_text(st, 3, upper);
    }
    sqlite3_bind_int(st, 4, sqlite_db_limit(limit, 100, 1000));
    return sqlite_db_collect(q, st, sizeof **items, user_row, NULL, (void **)items, n, "user_list");
}

/* ---- login failures ---- */

int sqlite_users_login_failure_add(struct store *s, const char *username, int64_t at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_LOGIN_FAIL_ADD,
                            "INSERT INTO login_failures(username, at) VALUES (?1, ?2)", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, username);
    sqlite3_bind_int64(st, 2, at);
    return sqlite_db_run(q, st, "login_failure_add");
}

int sqlite_users_login_failure_count(struct store *s, const char *username, int64_t since, int *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_LOGIN_FAIL_COUNT,
                       "SELECT count(*) FROM login_failures WHERE username = ?1 AND at >= ?2", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, username);
    sqlite3_bind_int64(st, 2, since);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *n = sqlite3_column_int(st, 0);
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, "login_failure_count");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_users_login_failure_clear(struct store *s, const char *username)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_LOGIN_FAIL_CLEAR,
                            "DELETE FROM login_failures WHERE username = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, username);
    return sqlite_db_run(q, st, "login_failure_clear");
}

/* ---- session tokens (only their hashes are stored) ---- */

/* An unknown user_id is -GG_ENOTFOUND (foreign key); a duplicate hash -GG_ECONFLICT. */
int sqlite_users_token_insert(struct store *s, const char *token_hash, int64_t user_id,
                              int64_t expires_at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_TOKEN_INSERT,
                       "INSERT INTO tokens(hash, user_id, expires_at) VALUES (?1, ?2, ?3)", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, expires_at);
    return sqlite_db_run(q, st, "token_insert");
}

/* A token is valid while now < expires_at: at expires_at it has expired. */
int sqlite_users_token_get(struct store *s, const char *token_hash, int64_t now, struct user *out,
                           int64_t *expires_at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOKEN_GET,
                            "SELECT u.id, u.username, u.role, u.scope_org_id, u.scope_path,"
                            " u.person_id, u.display_name, u.disabled, u.created_at, t.expires_at"
                            " FROM tokens t JOIN users u ON u.id = t.user_id"
                            " WHERE t.hash = ?1 AND t.expires_at > ?2",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, now);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_user(st, out);
        if (expires_at)
            *expires_at = sqlite3_column_int64(st, 9);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "token_get");
    }
    sqlite_db_done(st);
    return rc;
}

/* Idempotent: deleting an unknown token succeeds (logging out twice is not an error). */
int sqlite_users_token_delete(struct store *s, const char *token_hash)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOKEN_DELETE, "DELETE FROM tokens WHERE hash = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, token_hash);
    return sqlite_db_run(q, st, "token_delete");
}
