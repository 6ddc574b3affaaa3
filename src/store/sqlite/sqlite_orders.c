/* sqlite_orders.c - issue 6: service orders (点单—下单—接单—评单) with the order scope rule of
 * store.h applied in SQL, the points ledger (one row per deed, its source key UNIQUE) with the
 * per-user account that never goes below zero (a CHECK and a guarded UPDATE), the points store's
 * items and stock, and redemptions.
 *
 * Not here: the state machine (core/service.c), who may act (app/service.c, app/points.c), or
 * the transaction: every write runs inside the caller's transaction, so an order's change, its
 * ledger entry and its audit entry commit or roll back together. */
#include "store/sqlite/sqlite_internal.h"

#include "core/scope.h"

#include <stdlib.h>
#include <string.h>

/* ---- service orders ---- */

#define ORDER_COLS                                                                                 \
    "id, version, status, category_code, title, description, address, community_id,"             \
    " community_path, district_id, asker_id, publisher_id, claimer_id, reviewer_id, reward,"     \
    " deadline_at, asked_at, published_at, claimed_at, completed_at, rated_at, reviewed_at,"     \
    " closed_at, rating, rating_comment, review_rating, review_comment, completion_note,"        \
    " updated_at"

/* The effective status (core/service.c's service_effective) in SQL; ?5 is now. */
#define ORDER_EFFECTIVE_SQL "(CASE WHEN status = 1 AND deadline_at > 0 AND deadline_at <= ?5" \
                            " THEN 7 ELSE status END)"

/* The scope rule of store.h. ?1 the family (0 system, 1 wide, 2 member, 3 own, else nothing),
 * ?2 the scope path and ?3 its upper bound, ?4 the user. */
#define ORDER_SCOPE_SQL                                                                            \
    "(CASE ?1 WHEN 0 THEN 1"                                                                       \
    " WHEN 1 THEN community_path >= ?2 AND community_path < ?3"                                    \
    " WHEN 2 THEN asker_id = ?4 OR claimer_id = ?4 OR (" ORDER_EFFECTIVE_SQL " = 1"               \
    "  AND community_path >= ?2 AND community_path < ?3)"                                          \
    " WHEN 3 THEN asker_id = ?4 ELSE 0 END)"

static int family_of(const struct store_scope *scope)
{
    if (!scope)
        return 0;
    switch (scope->role) {
    case ROLE_ADMIN:
    case ROLE_COMMAND:
    case ROLE_LEADER:
    case ROLE_STAFF:
        return 1;
    case ROLE_MEMBER:
        return 2;
    case ROLE_RESIDENT:
    case ROLE_GRID_OFFICER:
    case ROLE_HANDLER:
        return 3;
    default:
        return -1;
    }
}

/* Binds ?1..?5; upper[GG_PATH_SZ] must live until the statement is done. */
static void bind_scope(sqlite3_stmt *st, const struct store_scope *scope, int64_t now, char *upper)
{
    sqlite3_bind_int(st, 1, family_of(scope));
    upper[0] = '\0';
    if (scope) {
        sqlite_db_bind_subtree(st, 2, scope->path, upper);
        sqlite3_bind_int64(st, 4, scope->user_id);
    }
    sqlite3_bind_int64(st, 5, now);
}

static void read_order(sqlite3_stmt *st, void *row, void *ctx)
{
    struct service_order *o = row;
    int64_t now = *(const int64_t *)ctx;
    memset(o, 0, sizeof *o);
    o->id = sqlite3_column_int64(st, 0);
    o->version = sqlite3_column_int64(st, 1);
    o->status = (enum service_status)sqlite3_column_int(st, 2);
    sqlite_db_col_text(st, 3, o->category_code, sizeof o->category_code);
    sqlite_db_col_text(st, 4, o->title, sizeof o->title);
    sqlite_db_col_text(st, 5, o->description, sizeof o->description);
    sqlite_db_col_text(st, 6, o->address, sizeof o->address);
    o->community_id = sqlite3_column_int64(st, 7);
    sqlite_db_col_text(st, 8, o->community_path, sizeof o->community_path);
    o->district_id = sqlite3_column_int64(st, 9);
    o->asker_id = sqlite3_column_int64(st, 10);
    o->publisher_id = sqlite3_column_int64(st, 11);
    o->claimer_id = sqlite3_column_int64(st, 12);
    o->reviewer_id = sqlite3_column_int64(st, 13);
    o->reward = sqlite3_column_int(st, 14);
    o->deadline_at = sqlite3_column_int64(st, 15);
    o->asked_at = sqlite3_column_int64(st, 16);
    o->published_at = sqlite3_column_int64(st, 17);
    o->claimed_at = sqlite3_column_int64(st, 18);
    o->completed_at = sqlite3_column_int64(st, 19);
    o->rated_at = sqlite3_column_int64(st, 20);
    o->reviewed_at = sqlite3_column_int64(st, 21);
    o->closed_at = sqlite3_column_int64(st, 22);
    o->rating = sqlite3_column_int(st, 23);
    sqlite_db_col_text(st, 24, o->rating_comment, sizeof o->rating_comment);
    o->review_rating = sqlite3_column_int(st, 25);
    sqlite_db_col_text(st, 26, o->review_comment, sizeof o->review_comment);
    sqlite_db_col_text(st, 27, o->completion_note, sizeof o->completion_note);
    o->updated_at = sqlite3_column_int64(st, 28);
    o->status = service_effective(o->status, o->deadline_at, now);
}

/* ?1 id, ?2 version, then every other column in ORDER_COLS order as ?3..?29 */
static void bind_order(sqlite3_stmt *st, const struct service_order *o)
{
    sqlite3_bind_int64(st, 1, o->id);
    sqlite3_bind_int64(st, 2, o->version);
    sqlite3_bind_int(st, 3, (int)o->status);
    sqlite_db_bind_text(st, 4, o->category_code);
    sqlite_db_bind_text(st, 5, o->title);
    sqlite_db_bind_text(st, 6, o->description);
    sqlite_db_bind_text(st, 7, o->address);
    sqlite3_bind_int64(st, 8, o->community_id);
    sqlite_db_bind_text(st, 9, o->community_path);
    sqlite3_bind_int64(st, 10, o->district_id);
    sqlite3_bind_int64(st, 11, o->asker_id);
    sqlite3_bind_int64(st, 12, o->publisher_id);
    sqlite3_bind_int64(st, 13, o->claimer_id);
    sqlite3_bind_int64(st, 14, o->reviewer_id);
    sqlite3_bind_int(st, 15, o->reward);
    sqlite3_bind_int64(st, 16, o->deadline_at);
    sqlite3_bind_int64(st, 17, o->asked_at);
    sqlite3_bind_int64(st, 18, o->published_at);
    sqlite3_bind_int64(st, 19, o->claimed_at);
    sqlite3_bind_int64(st, 20, o->completed_at);
    sqlite3_bind_int64(st, 21, o->rated_at);
    sqlite3_bind_int64(st, 22, o->reviewed_at);
    sqlite3_bind_int64(st, 23, o->closed_at);
    sqlite3_bind_int(st, 24, o->rating);
    sqlite_db_bind_text(st, 25, o->rating_comment);
    sqlite3_bind_int(st, 26, o->review_rating);
    sqlite_db_bind_text(st, 27, o->review_comment);
    sqlite_db_bind_text(st, 28, o->completion_note);
    sqlite3_bind_int64(st, 29, o->updated_at);
}

int sqlite_orders_insert(struct store *s, struct service_order *o)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORDER_INSERT,
                            "INSERT INTO service_orders(" ORDER_COLS ") VALUES (NULL, 1, ?3, ?4,"
                            " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                            " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
                            &st);
    if (rc)
        return rc;
    bind_order(st, o);
    rc = sqlite_db_run(q, st, "order_insert");
    if (!rc) {
        o->id = sqlite3_last_insert_rowid(q->db);
        o->version = 1;
    }
    return rc;
}

int sqlite_orders_update(struct store *s, const struct service_order *o)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_ORDER_UPDATE,
        "UPDATE service_orders SET version = ?2, status = ?3, category_code = ?4, title = ?5,"
        " description = ?6, address = ?7, community_id = ?8, community_path = ?9,"
        " district_id = ?10, asker_id = ?11, publisher_id = ?12, claimer_id = ?13,"
        " reviewer_id = ?14, reward = ?15, deadline_at = ?16, asked_at = ?17, published_at = ?18,"
        " claimed_at = ?19, completed_at = ?20, rated_at = ?21, reviewed_at = ?22,"
        " closed_at = ?23, rating = ?24, rating_comment = ?25, review_rating = ?26,"
        " review_comment = ?27, completion_note = ?28, updated_at = ?29"
        " WHERE id = ?1 AND version = ?2 - 1",
        &st);
    if (rc)
        return rc;
    bind_order(st, o);
    rc = sqlite_db_run(q, st, "order_update");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int sqlite_orders_get(struct store *s, int64_t id, const struct store_scope *scope, int64_t now,
                      struct service_order *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    /* uncached: the list's statement is the cached one; a get is one row by key */
    int rc = sqlite_db_prepare(q,
                               "SELECT " ORDER_COLS " FROM service_orders WHERE id = ?6 AND "
                               ORDER_SCOPE_SQL,
                               &st);
    if (rc)
        return rc;
    bind_scope(st, scope, now, upper);
    sqlite3_bind_int64(st, 6, id);
    struct service_order *items = NULL;
    size_t n = 0;
    rc = sqlite_db_collect(q, st, sizeof *items, read_order, &now, (void **)&items, &n,
                           "order_get");
    sqlite3_finalize(st);
    if (!rc && n == 0)
        rc = -GG_ENOTFOUND;
    if (!rc)
        *out = items[0];
    free(items);
    return rc;
}

int sqlite_orders_list(struct store *s, const struct service_filter *f,
                       const struct store_scope *scope, struct service_order **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ], op_upper[GG_PATH_SZ], cat_upper[GG_CODE_SZ];
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_prepare(
        q,
        "SELECT " ORDER_COLS " FROM service_orders WHERE " ORDER_SCOPE_SQL
        " AND (?6 < 0 OR " ORDER_EFFECTIVE_SQL " = ?6)"
        " AND (?7 = '' OR (category_code >= ?7 AND category_code < ?8))"
        " AND (?9 = '' OR (community_path >= ?9 AND community_path < ?10))"
        " AND (?11 = 0 OR asker_id = ?11) AND (?12 = 0 OR claimer_id = ?12)"
        " AND (?13 = 0 OR id < ?13) ORDER BY id DESC LIMIT ?14",
        &st);
    if (rc)
        return rc;
    bind_scope(st, scope, f->now, upper);
    scope_upper_bound(f->category, cat_upper, sizeof cat_upper);

    sqlite3_bind_int(st, 6, f->status);
    sqlite_db_bind_text(st, 7, f->category);
    sqlite_db_bind_text(st, 8, cat_upper);
    sqlite_db_bind_subtree(st, 9, f->org_path, op_upper);
    sqlite3_bind_int64(st, 11, f->asker_id);
    sqlite3_bind_int64(st, 12, f->claimer_id);
    sqlite3_bind_int64(st, 13, f->before_id);
    sqlite3_bind_int(st, 14, sqlite_db_limit(f->limit, 50, 1000));
    int64_t now = f->now;
    rc = sqlite_db_collect(q, st, sizeof **items, read_order, &now, (void **)items, n,
                           "order_list");
    sqlite3_finalize(st);
    return rc;
}

int sqlite_orders_attach(struct store *s, int64_t order_id, int64_t attachment_id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ORDER_ATTACH,
                            "INSERT INTO service_order_attachments(order_id, attachment_id)"
                            " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, order_id);
    sqlite3_bind_int64(st, 2, attachment_id);
    return sqlite_db_run(q, st, "order_attach");
}

static void read_id(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

int sqlite_orders_attachments(struct store *s, int64_t order_id, int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_ORDER_ATTACHMENTS,
                            "SELECT attachment_id FROM service_order_attachments"
                            " WHERE order_id = ?1 ORDER BY attachment_id",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, order_id);
    return sqlite_db_collect(q, st, sizeof **ids, read_id, NULL, (void **)ids, n,
                             "order_attachments");
}

/* ---- the points ledger ---- */

/* Atomic on its own: the ledger row is inserted only when the account can take the amount (the
 * INSERT … SELECT finds no row otherwise) and its key is new (UNIQUE), and only then does the
 * account move; the CHECK (balance >= 0) is the second line. */
int sqlite_orders_points_post(struct store *s, struct points_entry *e)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_POINTS_OPEN,
                            "INSERT INTO points_accounts(user_id) VALUES (?1)"
                            " ON CONFLICT DO NOTHING",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, e->user_id);
    rc = sqlite_db_run(q, st, "points_open");
    if (rc)
        return rc;
    rc = sqlite_db_stmt(q, SQ_POINTS_INSERT,
                        "INSERT INTO points_ledger(user_id, amount, source, source_key, reason,"
                        " balance_after, at, actor_id)"
                        " SELECT ?1, ?2, ?3, ?4, ?5, balance + ?2, ?6, ?7 FROM points_accounts"
                        " WHERE user_id = ?1 AND balance + ?2 >= 0 RETURNING id, balance_after",
                        &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, e->user_id);
    sqlite3_bind_int64(st, 2, e->amount);
    sqlite3_bind_int(st, 3, (int)e->source);
    sqlite_db_bind_text(st, 4, e->source_key);
    sqlite_db_bind_text(st, 5, e->reason);
    sqlite3_bind_int64(st, 6, e->at);
    sqlite3_bind_int64(st, 7, e->actor_id);
    bool inserted = false;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        inserted = true;
        e->id = sqlite3_column_int64(st, 0);
        e->balance_after = sqlite3_column_int64(st, 1);
        rc = sqlite3_step(st);
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "points_insert"); /* used key: 409 */
    sqlite_db_done(st);
    if (rc)
        return rc;
    if (!inserted)
        return -GG_EINVAL; /* the balance cannot pay */
    rc = sqlite_db_stmt(q, SQ_POINTS_MOVE,
                        "UPDATE points_accounts SET balance = balance + ?2,"
                        " earned = earned + max(?2, 0) WHERE user_id = ?1",
                        &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, e->user_id);
    sqlite3_bind_int64(st, 2, e->amount);
    return sqlite_db_run(q, st, "points_move");
}

int sqlite_orders_points_account(struct store *s, int64_t user_id, struct points_account *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    out->user_id = user_id;
    int rc = sqlite_db_stmt(q, SQ_POINTS_ACCOUNT,
                            "SELECT balance, earned FROM points_accounts WHERE user_id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->balance = sqlite3_column_int64(st, 0);
        out->earned = sqlite3_column_int64(st, 1);
        rc = SQLITE_DONE;
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "points_account");
    sqlite_db_done(st);
    return rc;
}

static void read_entry(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct points_entry *e = row;
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->user_id = sqlite3_column_int64(st, 1);
    e->amount = sqlite3_column_int64(st, 2);
    e->source = (enum points_source)sqlite3_column_int(st, 3);
    sqlite_db_col_text(st, 4, e->source_key, sizeof e->source_key);
    sqlite_db_col_text(st, 5, e->reason, sizeof e->reason);
    e->balance_after = sqlite3_column_int64(st, 6);
    e->at = sqlite3_column_int64(st, 7);
    e->actor_id = sqlite3_column_int64(st, 8);
}

int sqlite_orders_points_entries(struct store *s, int64_t user_id, int64_t before_id, int limit,
                                 struct points_entry **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_POINTS_ENTRIES,
                            "SELECT id, user_id, amount, source, source_key, reason,"
                            " balance_after, at, actor_id FROM points_ledger"
                            " WHERE user_id = ?1 AND (?2 = 0 OR id < ?2)"
                            " ORDER BY id DESC LIMIT ?3",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int(st, 3, sqlite_db_limit(limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_entry, NULL, (void **)items, n,
                             "points_entries");
}

static void read_rank(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct points_rank *r = row;
    memset(r, 0, sizeof *r);
    r->acct.user_id = sqlite3_column_int64(st, 0);
    r->acct.balance = sqlite3_column_int64(st, 1);
    r->acct.earned = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, r->username, sizeof r->username);
    sqlite_db_col_text(st, 4, r->display_name, sizeof r->display_name);
}

int sqlite_orders_points_leaderboard(struct store *s, const char *path, int limit,
                                     struct points_rank **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_POINTS_BOARD,
                            "SELECT a.user_id, a.balance, a.earned, u.username, u.display_name"
                            " FROM points_accounts a JOIN users u ON u.id = a.user_id"
                            " WHERE u.scope_path >= ?1 AND u.scope_path < ?2 AND a.earned > 0"
                            " ORDER BY a.earned DESC, a.user_id LIMIT ?3",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int(st, 3, sqlite_db_limit(limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_rank, NULL, (void **)items, n,
                             "points_leaderboard");
}

/* ---- the points store (积分超市) ---- */

#define ITEM_COLS                                                                                  \
    "id, version, community_id, community_path, name, description, price, stock, active,"        \
    " created_at, updated_at"

static void read_item(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct store_item *it = row;
    memset(it, 0, sizeof *it);
    it->id = sqlite3_column_int64(st, 0);
    it->version = sqlite3_column_int64(st, 1);
    it->community_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, it->community_path, sizeof it->community_path);
    sqlite_db_col_text(st, 4, it->name, sizeof it->name);
    sqlite_db_col_text(st, 5, it->description, sizeof it->description);
    it->price = sqlite3_column_int64(st, 6);
    it->stock = sqlite3_column_int64(st, 7);
    it->active = sqlite3_column_int(st, 8) != 0;
    it->created_at = sqlite3_column_int64(st, 9);
    it->updated_at = sqlite3_column_int64(st, 10);
}

static void bind_item(sqlite3_stmt *st, const struct store_item *it)
{
    sqlite3_bind_int64(st, 1, it->id);
    sqlite3_bind_int64(st, 2, it->version);
    sqlite3_bind_int64(st, 3, it->community_id);
    sqlite_db_bind_text(st, 4, it->community_path);
    sqlite_db_bind_text(st, 5, it->name);
    sqlite_db_bind_text(st, 6, it->description);
    sqlite3_bind_int64(st, 7, it->price);
    sqlite3_bind_int64(st, 8, it->stock);
    sqlite3_bind_int(st, 9, it->active ? 1 : 0);
    sqlite3_bind_int64(st, 10, it->created_at);
    sqlite3_bind_int64(st, 11, it->updated_at);
}

int sqlite_orders_item_insert(struct store *s, struct store_item *it)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ITEM_INSERT,
                            "INSERT INTO store_items(" ITEM_COLS ")"
                            " VALUES (NULL, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                            &st);
    if (rc)
        return rc;
    bind_item(st, it);
    rc = sqlite_db_run(q, st, "item_insert");
    if (!rc) {
        it->id = sqlite3_last_insert_rowid(q->db);
        it->version = 1;
    }
    return rc;
}

int sqlite_orders_item_update(struct store *s, const struct store_item *it)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ITEM_UPDATE,
                            "UPDATE store_items SET version = ?2, name = ?5, description = ?6,"
                            " price = ?7, stock = ?8, active = ?9, updated_at = ?11"
                            " WHERE id = ?1 AND version = ?2 - 1",
                            &st);
    if (rc)
        return rc;
    bind_item(st, it);
    rc = sqlite_db_run(q, st, "item_update");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int sqlite_orders_item_get(struct store *s, int64_t id, struct store_item *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ITEM_GET, "SELECT " ITEM_COLS " FROM store_items WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    struct store_item *items = NULL;
    size_t n = 0;
    rc = sqlite_db_collect(q, st, sizeof *items, read_item, NULL, (void **)&items, &n, "item_get");
    if (!rc && n == 0)
        rc = -GG_ENOTFOUND;
    if (!rc)
        *out = items[0];
    free(items);
    return rc;
}

int sqlite_orders_item_list(struct store *s, const char *scope_path, bool active_only,
                            int64_t after_id, int limit, struct store_item **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_ITEM_LIST,
                            "SELECT " ITEM_COLS " FROM store_items"
                            " WHERE ((community_path >= ?1 AND community_path < ?2)"
                            " OR substr(?1, 1, length(community_path)) = community_path)"
                            " AND (?3 = 0 OR active <> 0) AND id > ?4 ORDER BY id LIMIT ?5",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_subtree(st, 1, scope_path, upper);
    sqlite3_bind_int(st, 3, active_only ? 1 : 0);
    sqlite3_bind_int64(st, 4, after_id);
    sqlite3_bind_int(st, 5, sqlite_db_limit(limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_item, NULL, (void **)items, n,
                             "item_list");
}

int sqlite_orders_item_take(struct store *s, int64_t id, int quantity, int64_t now)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ITEM_TAKE,
                            "UPDATE store_items SET stock = stock - ?2, version = version + 1,"
                            " updated_at = ?3 WHERE id = ?1 AND active <> 0 AND stock >= ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, quantity);
    sqlite3_bind_int64(st, 3, now);
    rc = sqlite_db_run(q, st, "item_take");
    if (!rc && sqlite3_changes(q->db) != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int sqlite_orders_redemption_insert(struct store *s, struct redemption *r)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_REDEEM_INSERT,
                            "INSERT INTO redemptions(item_id, user_id, community_id,"
                            " community_path, quantity, points, at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->item_id);
    sqlite3_bind_int64(st, 2, r->user_id);
    sqlite3_bind_int64(st, 3, r->community_id);
    sqlite_db_bind_text(st, 4, r->community_path);
    sqlite3_bind_int(st, 5, r->quantity);
    sqlite3_bind_int64(st, 6, r->points);
    sqlite3_bind_int64(st, 7, r->at);
    rc = sqlite_db_run(q, st, "redemption_insert");
    if (!rc)
        r->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

static void read_redemption(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct redemption *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->item_id = sqlite3_column_int64(st, 1);
    r->user_id = sqlite3_column_int64(st, 2);
    r->community_id = sqlite3_column_int64(st, 3);
    sqlite_db_col_text(st, 4, r->community_path, sizeof r->community_path);
    r->quantity = sqlite3_column_int(st, 5);
    r->points = sqlite3_column_int64(st, 6);
    r->at = sqlite3_column_int64(st, 7);
    sqlite_db_col_text(st, 8, r->item_name, sizeof r->item_name);
}

#define REDEEM_SELECT                                                                              \
    "SELECT r.id, r.item_id, r.user_id, r.community_id, r.community_path, r.quantity, r.points,"  \
    " r.at, i.name FROM redemptions r JOIN store_items i ON i.id = r.item_id"

int sqlite_orders_redemption_list(struct store *s, int64_t user_id, const char *path,
                                  int64_t before_id, int limit, struct redemption **items,
                                  size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    *items = NULL;
    *n = 0;
    int rc = user_id ? sqlite_db_stmt(q, SQ_REDEEM_LIST_USER,
                                      REDEEM_SELECT " WHERE r.user_id = ?1 AND (?2 = 0 OR r.id < ?2)"
                                                    " ORDER BY r.id DESC LIMIT ?3",
                                      &st)
                     : sqlite_db_stmt(q, SQ_REDEEM_LIST_PATH,
                                      REDEEM_SELECT " WHERE r.community_path >= ?4"
                                                    " AND r.community_path < ?5"
                                                    " AND (?2 = 0 OR r.id < ?2)"
                                                    " ORDER BY r.id DESC LIMIT ?3",
                                      &st);
    if (rc)
        return rc;
    if (user_id) {
        sqlite3_bind_int64(st, 1, user_id);
    } else {
        sqlite_db_bind_subtree(st, 4, path, upper);
    }
    sqlite3_bind_int64(st, 2, before_id);
    sqlite3_bind_int(st, 3, sqlite_db_limit(limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_redemption, NULL, (void **)items, n,
                             "redemption_list");
}
