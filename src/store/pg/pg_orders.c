/* pg_orders.c - issue 6: service orders (点单—下单—接单—评单) with the order scope rule of
 * store.h applied in SQL, the points ledger (one row per deed, its source key UNIQUE) with the
 * per-user account that never goes below zero, the points store's items and stock, and
 * redemptions, on PostgreSQL (the contract of sqlite_orders.c).
 *
 * A used source key or an account that cannot pay is found inside the statement (ON CONFLICT
 * DO NOTHING, a guarded SELECT), never by an error that would abort the caller's transaction.
 * Not here: the state machine (core/service.c), who may act (app/service.c, app/points.c), or
 * the transaction (the caller's). */
#include "store/pg/pg_internal.h"

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

/* The effective status (core/service.c's service_effective) in SQL; $5 is now. */
#define ORDER_EFFECTIVE_SQL                                                                        \
    "(CASE WHEN status = 1 AND deadline_at > 0 AND deadline_at <= $5::bigint"                     \
    " THEN 7 ELSE status END)"

/* The scope rule of store.h. $1 the family (0 system, 1 wide, 2 member, 3 own, else nothing),
 * $2 the scope path and $3 its upper bound, $4 the user. */
#define ORDER_SCOPE_SQL                                                                            \
    "(CASE $1::int WHEN 0 THEN true"                                                               \
    " WHEN 1 THEN community_path >= $2::text AND community_path < $3::text"                       \
    " WHEN 2 THEN asker_id = $4::bigint OR claimer_id = $4::bigint OR (" ORDER_EFFECTIVE_SQL      \
    " = 1 AND community_path >= $2::text AND community_path < $3::text)"                          \
    " WHEN 3 THEN asker_id = $4::bigint ELSE false END)"

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

/* adds $1..$5; upper[GG_PATH_SZ] must live until the statement is done */
static void scope_args(struct pg_args *a, const struct store_scope *scope, int64_t now,
                       char *upper)
{
    pg_arg_int(a, family_of(scope));
    upper[0] = '\0';
    if (scope) {
        scope_upper_bound(scope->path, upper, GG_PATH_SZ);
        pg_arg_text(a, scope->path);
    } else {
        pg_arg_text(a, "");
    }
    pg_arg_text(a, upper);
    pg_arg_int(a, scope ? scope->user_id : 0);
    pg_arg_int(a, now);
}

static void read_order(const PGresult *r, int row, void *out, void *ctx)
{
    struct service_order *o = out;
    int64_t now = *(const int64_t *)ctx;
    memset(o, 0, sizeof *o);
    o->id = pg_int(r, row, 0);
    o->version = pg_int(r, row, 1);
    o->status = (enum service_status)pg_int(r, row, 2);
    pg_text(r, row, 3, o->category_code, sizeof o->category_code);
    pg_text(r, row, 4, o->title, sizeof o->title);
    pg_text(r, row, 5, o->description, sizeof o->description);
    pg_text(r, row, 6, o->address, sizeof o->address);
    o->community_id = pg_int(r, row, 7);
    pg_text(r, row, 8, o->community_path, sizeof o->community_path);
    o->district_id = pg_int(r, row, 9);
    o->asker_id = pg_int(r, row, 10);
    o->publisher_id = pg_int(r, row, 11);
    o->claimer_id = pg_int(r, row, 12);
    o->reviewer_id = pg_int(r, row, 13);
    o->reward = (int)pg_int(r, row, 14);
    o->deadline_at = pg_int(r, row, 15);
    o->asked_at = pg_int(r, row, 16);
    o->published_at = pg_int(r, row, 17);
    o->claimed_at = pg_int(r, row, 18);
    o->completed_at = pg_int(r, row, 19);
    o->rated_at = pg_int(r, row, 20);
    o->reviewed_at = pg_int(r, row, 21);
    o->closed_at = pg_int(r, row, 22);
    o->rating = (int)pg_int(r, row, 23);
    pg_text(r, row, 24, o->rating_comment, sizeof o->rating_comment);
    o->review_rating = (int)pg_int(r, row, 25);
    pg_text(r, row, 26, o->review_comment, sizeof o->review_comment);
    pg_text(r, row, 27, o->completion_note, sizeof o->completion_note);
    o->updated_at = pg_int(r, row, 28);
    o->status = service_effective(o->status, o->deadline_at, now);
}

/* every column after id and version, in ORDER_COLS order: $1..$27 */
static void order_args(struct pg_args *a, const struct service_order *o)
{
    pg_arg_int(a, (int)o->status);
    pg_arg_text(a, o->category_code);
    pg_arg_text(a, o->title);
    pg_arg_text(a, o->description);
    pg_arg_text(a, o->address);
    pg_arg_int(a, o->community_id);
    pg_arg_text(a, o->community_path);
    pg_arg_int(a, o->district_id);
    pg_arg_int(a, o->asker_id);
    pg_arg_int(a, o->publisher_id);
    pg_arg_int(a, o->claimer_id);
    pg_arg_int(a, o->reviewer_id);
    pg_arg_int(a, o->reward);
    pg_arg_int(a, o->deadline_at);
    pg_arg_int(a, o->asked_at);
    pg_arg_int(a, o->published_at);
    pg_arg_int(a, o->claimed_at);
    pg_arg_int(a, o->completed_at);
    pg_arg_int(a, o->rated_at);
    pg_arg_int(a, o->reviewed_at);
    pg_arg_int(a, o->closed_at);
    pg_arg_int(a, o->rating);
    pg_arg_text(a, o->rating_comment);
    pg_arg_int(a, o->review_rating);
    pg_arg_text(a, o->review_comment);
    pg_arg_text(a, o->completion_note);
    pg_arg_int(a, o->updated_at);
}

int pg_orders_insert(struct store *s, struct service_order *o)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    order_args(&a, o);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO service_orders(" ORDER_COLS ")"
                         " VALUES (DEFAULT, 1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
                         " $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,"
                         " $25, $26, $27) RETURNING id",
                         &a, &r, "order_insert");
    if (rc)
        return rc;
    o->id = pg_int(r, 0, 0);
    o->version = 1;
    PQclear(r);
    return 0;
}

int pg_orders_update(struct store *s, const struct service_order *o)
{
    struct pg_args a;
    pg_args_init(&a);
    order_args(&a, o);
    pg_arg_int(&a, o->id);      /* $28 */
    pg_arg_int(&a, o->version); /* $29 */
    int64_t changed = 0;
    int rc = pg_db_run(
        pg_of(s),
        "UPDATE service_orders SET version = $29, status = $1, category_code = $2, title = $3,"
        " description = $4, address = $5, community_id = $6, community_path = $7,"
        " district_id = $8, asker_id = $9, publisher_id = $10, claimer_id = $11,"
        " reviewer_id = $12, reward = $13, deadline_at = $14, asked_at = $15, published_at = $16,"
        " claimed_at = $17, completed_at = $18, rated_at = $19, reviewed_at = $20,"
        " closed_at = $21, rating = $22, rating_comment = $23, review_rating = $24,"
        " review_comment = $25, completion_note = $26, updated_at = $27"
        " WHERE id = $28 AND version = $29 - 1",
        &a, &changed, "order_update");
    if (!rc && changed != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int pg_orders_get(struct store *s, int64_t id, const struct store_scope *scope, int64_t now,
                  struct service_order *out)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    scope_args(&a, scope, now, upper);
    pg_arg_int(&a, id);
    struct service_order *items = NULL;
    size_t n = 0;
    int rc = pg_db_collect(pg_of(s),
                           "SELECT " ORDER_COLS " FROM service_orders WHERE id = $6 AND "
                           ORDER_SCOPE_SQL,
                           &a, sizeof *items, read_order, &now, (void **)&items, &n, "order_get");
    if (!rc && n == 0)
        rc = -GG_ENOTFOUND;
    if (!rc)
        *out = items[0];
    free(items);
    return rc;
}

int pg_orders_list(struct store *s, const struct service_filter *f,
                   const struct store_scope *scope, struct service_order **items, size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ], op_upper[GG_PATH_SZ], cat_upper[GG_CODE_SZ];
    pg_args_init(&a);
    scope_args(&a, scope, f->now, upper);
    scope_upper_bound(f->category, cat_upper, sizeof cat_upper);
    scope_upper_bound(f->org_path, op_upper, sizeof op_upper);
    pg_arg_int(&a, f->status);
    pg_arg_text(&a, f->category);
    pg_arg_text(&a, cat_upper);
    pg_arg_text(&a, f->org_path);
    pg_arg_text(&a, op_upper);
    pg_arg_int(&a, f->asker_id);
    pg_arg_int(&a, f->claimer_id);
    pg_arg_int(&a, f->before_id);
    pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    int64_t now = f->now;
    return pg_db_collect(
        pg_of(s),
        "SELECT " ORDER_COLS " FROM service_orders WHERE " ORDER_SCOPE_SQL
        " AND ($6::int < 0 OR " ORDER_EFFECTIVE_SQL " = $6::int)"
        " AND ($7::text = '' OR (category_code >= $7::text AND category_code < $8::text))"
        " AND ($9::text = '' OR (community_path >= $9::text AND community_path < $10::text))"
        " AND ($11::bigint = 0 OR asker_id = $11) AND ($12::bigint = 0 OR claimer_id = $12)"
        " AND ($13::bigint = 0 OR id < $13) ORDER BY id DESC LIMIT $14",
        &a, sizeof **items, read_order, &now, (void **)items, n, "order_list");
}

/* Attaching twice is a no-op; an unknown order or attachment is -GG_ENOTFOUND. */
int pg_orders_attach(struct store *s, int64_t order_id, int64_t attachment_id)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, order_id);
    pg_arg_int(&a, attachment_id);
    return pg_db_insert_checked(pg_of(s),
                                "WITH ok AS (SELECT 1 WHERE EXISTS (SELECT 1 FROM service_orders"
                                " WHERE id = $1) AND EXISTS (SELECT 1 FROM attachments"
                                " WHERE id = $2)),"
                                " ins AS (INSERT INTO service_order_attachments(order_id,"
                                " attachment_id) SELECT $1, $2 FROM ok ON CONFLICT DO NOTHING"
                                " RETURNING 1)"
                                " SELECT (SELECT count(*) FROM ok), (SELECT count(*) FROM ins)",
                                &a, false, "order_attach");
}

int pg_orders_attachments(struct store *s, int64_t order_id, int64_t **ids, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, order_id);
    return pg_ids_collect(pg_of(s),
                          "SELECT attachment_id FROM service_order_attachments"
                          " WHERE order_id = $1 ORDER BY attachment_id",
                          &a, ids, n, "order_attachments");
}

/* ---- the points ledger ---- */

/* The account is opened first (a row to lock); then one statement locks it, inserts the
 * ledger row only when the balance can take the amount and the key is new, and moves the
 * account only when the row went in. The CHECK (balance >= 0) is the second line. */
int pg_orders_points_post(struct store *s, struct points_entry *e)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, e->user_id);
    int rc = pg_db_run(q,
                       "INSERT INTO points_accounts(user_id) VALUES ($1) ON CONFLICT DO NOTHING",
                       &a, NULL, "points_open");
    if (rc)
        return rc;
    pg_arg_int(&a, e->amount);
    pg_arg_int(&a, (int)e->source);
    pg_arg_text(&a, e->source_key);
    pg_arg_text(&a, e->reason);
    pg_arg_int(&a, e->at);
    pg_arg_int(&a, e->actor_id);
    rc = pg_db_query(
        q,
        "WITH acct AS (SELECT balance FROM points_accounts WHERE user_id = $1::bigint"
        " FOR UPDATE),"
        " ins AS (INSERT INTO points_ledger(user_id, amount, source, source_key, reason,"
        " balance_after, at, actor_id) SELECT $1::bigint, $2::bigint, $3::int, $4::text,"
        " $5::text, balance + $2::bigint, $6::bigint, $7::bigint FROM acct"
        " WHERE balance + $2::bigint >= 0 ON CONFLICT (source_key) DO NOTHING"
        " RETURNING id, balance_after),"
        " mv AS (UPDATE points_accounts SET balance = balance + $2::bigint,"
        " earned = earned + greatest($2::bigint, 0) WHERE user_id = $1::bigint"
        " AND EXISTS (SELECT 1 FROM ins) RETURNING 1)"
        " SELECT (SELECT count(*) FROM acct WHERE balance + $2::bigint >= 0),"
        " (SELECT count(*) FROM ins), (SELECT id FROM ins), (SELECT balance_after FROM ins),"
        " (SELECT count(*) FROM mv)",
        &a, &r, "points_post");
    if (rc)
        return rc;
    if (pg_int(r, 0, 0) == 0) {
        rc = -GG_EINVAL; /* the balance cannot pay */
    } else if (pg_int(r, 0, 1) == 0) {
        rc = -GG_ECONFLICT; /* the key was used: the deed paid already */
    } else {
        e->id = pg_int(r, 0, 2);
        e->balance_after = pg_int(r, 0, 3);
    }
    PQclear(r);
    return rc;
}

int pg_orders_points_account(struct store *s, int64_t user_id, struct points_account *out)
{
    struct pg_args a;
    PGresult *r = NULL;
    memset(out, 0, sizeof *out);
    out->user_id = user_id;
    pg_args_init(&a);
    pg_arg_int(&a, user_id);
    int rc = pg_db_query(pg_of(s), "SELECT balance, earned FROM points_accounts WHERE user_id = $1",
                         &a, &r, "points_account");
    if (rc)
        return rc;
    if (PQntuples(r) > 0) {
        out->balance = pg_int(r, 0, 0);
        out->earned = pg_int(r, 0, 1);
    }
    PQclear(r);
    return 0;
}

static void read_entry(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct points_entry *e = out;
    memset(e, 0, sizeof *e);
    e->id = pg_int(r, row, 0);
    e->user_id = pg_int(r, row, 1);
    e->amount = pg_int(r, row, 2);
    e->source = (enum points_source)pg_int(r, row, 3);
    pg_text(r, row, 4, e->source_key, sizeof e->source_key);
    pg_text(r, row, 5, e->reason, sizeof e->reason);
    e->balance_after = pg_int(r, row, 6);
    e->at = pg_int(r, row, 7);
    e->actor_id = pg_int(r, row, 8);
}

int pg_orders_points_entries(struct store *s, int64_t user_id, int64_t before_id, int limit,
                             struct points_entry **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, before_id);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT id, user_id, amount, source, source_key, reason,"
                         " balance_after, at, actor_id FROM points_ledger"
                         " WHERE user_id = $1 AND ($2::bigint = 0 OR id < $2)"
                         " ORDER BY id DESC LIMIT $3",
                         &a, sizeof **items, read_entry, NULL, (void **)items, n,
                         "points_entries");
}

static void read_rank(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct points_rank *k = out;
    memset(k, 0, sizeof *k);
    k->acct.user_id = pg_int(r, row, 0);
    k->acct.balance = pg_int(r, row, 1);
    k->acct.earned = pg_int(r, row, 2);
    pg_text(r, row, 3, k->username, sizeof k->username);
    pg_text(r, row, 4, k->display_name, sizeof k->display_name);
}

int pg_orders_points_leaderboard(struct store *s, const char *path, int limit,
                                 struct points_rank **items, size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    scope_upper_bound(path, upper, sizeof upper);
    pg_arg_text(&a, path);
    pg_arg_text(&a, upper);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT a.user_id, a.balance, a.earned, u.username, u.display_name"
                         " FROM points_accounts a JOIN users u ON u.id = a.user_id"
                         " WHERE u.scope_path >= $1 AND u.scope_path < $2 AND a.earned > 0"
                         " ORDER BY a.earned DESC, a.user_id LIMIT $3",
                         &a, sizeof **items, read_rank, NULL, (void **)items, n,
                         "points_leaderboard");
}

/* ---- the points store (积分超市) ---- */

#define ITEM_COLS                                                                                  \
    "id, version, community_id, community_path, name, description, price, stock, active,"        \
    " created_at, updated_at"

static void read_item(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct store_item *it = out;
    memset(it, 0, sizeof *it);
    it->id = pg_int(r, row, 0);
    it->version = pg_int(r, row, 1);
    it->community_id = pg_int(r, row, 2);
    pg_text(r, row, 3, it->community_path, sizeof it->community_path);
    pg_text(r, row, 4, it->name, sizeof it->name);
    pg_text(r, row, 5, it->description, sizeof it->description);
    it->price = pg_int(r, row, 6);
    it->stock = pg_int(r, row, 7);
    it->active = pg_int(r, row, 8) != 0;
    it->created_at = pg_int(r, row, 9);
    it->updated_at = pg_int(r, row, 10);
}

int pg_orders_item_insert(struct store *s, struct store_item *it)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, it->community_id);
    pg_arg_text(&a, it->community_path);
    pg_arg_text(&a, it->name);
    pg_arg_text(&a, it->description);
    pg_arg_int(&a, it->price);
    pg_arg_int(&a, it->stock);
    pg_arg_int(&a, it->active ? 1 : 0);
    pg_arg_int(&a, it->created_at);
    pg_arg_int(&a, it->updated_at);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO store_items(version, community_id, community_path, name,"
                         " description, price, stock, active, created_at, updated_at)"
                         " VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                         &a, &r, "item_insert");
    if (rc)
        return rc;
    it->id = pg_int(r, 0, 0);
    it->version = 1;
    PQclear(r);
    return 0;
}

int pg_orders_item_update(struct store *s, const struct store_item *it)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, it->id);
    pg_arg_int(&a, it->version);
    pg_arg_text(&a, it->name);
    pg_arg_text(&a, it->description);
    pg_arg_int(&a, it->price);
    pg_arg_int(&a, it->stock);
    pg_arg_int(&a, it->active ? 1 : 0);
    pg_arg_int(&a, it->updated_at);
    int64_t changed = 0;
    int rc = pg_db_run(pg_of(s),
                       "UPDATE store_items SET version = $2, name = $3, description = $4,"
                       " price = $5, stock = $6, active = $7, updated_at = $8"
                       " WHERE id = $1 AND version = $2 - 1",
                       &a, &changed, "item_update");
    if (!rc && changed != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int pg_orders_item_get(struct store *s, int64_t id, struct store_item *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    struct store_item *items = NULL;
    size_t n = 0;
    int rc = pg_db_collect(pg_of(s), "SELECT " ITEM_COLS " FROM store_items WHERE id = $1", &a,
                           sizeof *items, read_item, NULL, (void **)&items, &n, "item_get");
    if (!rc && n == 0)
        rc = -GG_ENOTFOUND;
    if (!rc)
        *out = items[0];
    free(items);
    return rc;
}

int pg_orders_item_list(struct store *s, const char *scope_path, bool active_only,
                        int64_t after_id, int limit, struct store_item **items, size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    scope_upper_bound(scope_path, upper, sizeof upper);
    pg_arg_text(&a, scope_path);
    pg_arg_text(&a, upper);
    pg_arg_int(&a, active_only ? 1 : 0);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " ITEM_COLS " FROM store_items"
                         " WHERE ((community_path >= $1::text AND community_path < $2::text)"
                         " OR left($1::text, length(community_path)) = community_path)"
                         " AND ($3::int = 0 OR active <> 0) AND id > $4 ORDER BY id LIMIT $5",
                         &a, sizeof **items, read_item, NULL, (void **)items, n, "item_list");
}

/* One guarded statement: two takers of the last piece cannot both succeed. */
int pg_orders_item_take(struct store *s, int64_t id, int quantity, int64_t now)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, quantity);
    pg_arg_int(&a, now);
    int64_t changed = 0;
    int rc = pg_db_run(pg_of(s),
                       "UPDATE store_items SET stock = stock - $2, version = version + 1,"
                       " updated_at = $3 WHERE id = $1 AND active <> 0 AND stock >= $2",
                       &a, &changed, "item_take");
    if (!rc && changed != 1)
        rc = -GG_ECONFLICT;
    return rc;
}

int pg_orders_redemption_insert(struct store *s, struct redemption *rd)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, rd->item_id);
    pg_arg_int(&a, rd->user_id);
    pg_arg_int(&a, rd->community_id);
    pg_arg_text(&a, rd->community_path);
    pg_arg_int(&a, rd->quantity);
    pg_arg_int(&a, rd->points);
    pg_arg_int(&a, rd->at);
    /* the item is checked in the statement: an unknown one must not abort the transaction */
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO redemptions(item_id, user_id, community_id,"
                         " community_path, quantity, points, at)"
                         " SELECT $1::bigint, $2::bigint, $3::bigint, $4::text, $5::int,"
                         " $6::bigint, $7::bigint WHERE EXISTS (SELECT 1 FROM store_items"
                         " WHERE id = $1::bigint) RETURNING id",
                         &a, &r, "redemption_insert");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        rd->id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

static void read_redemption(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct redemption *rd = out;
    memset(rd, 0, sizeof *rd);
    rd->id = pg_int(r, row, 0);
    rd->item_id = pg_int(r, row, 1);
    rd->user_id = pg_int(r, row, 2);
    rd->community_id = pg_int(r, row, 3);
    pg_text(r, row, 4, rd->community_path, sizeof rd->community_path);
    rd->quantity = (int)pg_int(r, row, 5);
    rd->points = pg_int(r, row, 6);
    rd->at = pg_int(r, row, 7);
    pg_text(r, row, 8, rd->item_name, sizeof rd->item_name);
}

#define REDEEM_SELECT                                                                              \
    "SELECT r.id, r.item_id, r.user_id, r.community_id, r.community_path, r.quantity, r.points,"  \
    " r.at, i.name FROM redemptions r JOIN store_items i ON i.id = r.item_id"

int pg_orders_redemption_list(struct store *s, int64_t user_id, const char *path,
                              int64_t before_id, int limit, struct redemption **items, size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    pg_arg_int(&a, before_id);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    if (user_id) {
        pg_arg_int(&a, user_id);
    } else {
        scope_upper_bound(path, upper, sizeof upper);
        pg_arg_text(&a, path);
        pg_arg_text(&a, upper);
    }
    return pg_db_collect(pg_of(s),
                         user_id ? REDEEM_SELECT " WHERE r.user_id = $3"
                                                 " AND ($1::bigint = 0 OR r.id < $1)"
                                                 " ORDER BY r.id DESC LIMIT $2"
                                 : REDEEM_SELECT " WHERE r.community_path >= $3"
                                                 " AND r.community_path < $4"
                                                 " AND ($1::bigint = 0 OR r.id < $1)"
                                                 " ORDER BY r.id DESC LIMIT $2",
                         &a, sizeof **items, read_redemption, NULL, (void **)items, n,
                         "redemption_list");
}
