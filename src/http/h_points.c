/* h_points.c - issue 6: points (GET /points/me, GET /points/statement, POST /points/awards,
 * GET /points/leaderboard), the points store (GET/POST /store/items, GET/PATCH
 * /store/items/{id}, POST /store/items/{id}/redeem) and GET /redemptions, with their JSON.
 *
 * Decoding and bounds only: who may see whose points, manage items or redeem, and the ledger's
 * guarantees (one payment per deed, never below zero) are app/points.c's and the store's. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

static void put(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

static int oom(struct req *r)
{
    return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
}

static int reply_obj(struct req *r, struct reply *out, int status, json_t *j)
{
    if (!j)
        return oom(r);
    reply_json(out, status, j);
    return 0;
}

static json_t *json_account(const struct points_account *acct)
{
    return json_pack("{s:I, s:I, s:I}", "user_id", (json_int_t)acct->user_id, "balance",
                     (json_int_t)acct->balance, "earned", (json_int_t)acct->earned);
}

static json_t *json_entry(const struct points_entry *e)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    put(j, "id", json_integer(e->id));
    put(j, "user_id", json_integer(e->user_id));
    put(j, "amount", json_integer(e->amount));
    put(j, "source", json_string(points_source_id(e->source)));
    put(j, "source_key", json_string(e->source_key));
    put(j, "reason", json_string(e->reason));
    put(j, "balance_after", json_integer(e->balance_after));
    put(j, "at", jtime(e->at));
    put(j, "actor_id", jid(e->actor_id));
    return j;
}

static json_t *json_item(const struct store_item *it)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    put(j, "id", json_integer(it->id));
    put(j, "version", json_integer(it->version));
    put(j, "community_id", json_integer(it->community_id));
    put(j, "name", json_string(it->name));
    put(j, "description", json_string(it->description));
    put(j, "price", json_integer(it->price));
    put(j, "stock", json_integer(it->stock));
    put(j, "active", json_boolean(it->active));
    put(j, "created_at", jtime(it->created_at));
    put(j, "updated_at", jtime(it->updated_at));
    return j;
}

static json_t *json_redemption(const struct redemption *x)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    put(j, "id", json_integer(x->id));
    put(j, "item_id", json_integer(x->item_id));
    put(j, "item_name", json_string(x->item_name));
    put(j, "user_id", json_integer(x->user_id));
    put(j, "community_id", json_integer(x->community_id));
    put(j, "quantity", json_integer(x->quantity));
    put(j, "points", json_integer(x->points));
    put(j, "at", jtime(x->at));
    return j;
}

/* ---- points ---- */

int http_points_me(struct req *r, struct reply *out)
{
    struct points_account acct;
    int rc = app_points_account(r->app, &r->actor, 0, &acct, &r->err);
    if (rc)
        return rc;
    return reply_obj(r, out, 200, json_account(&acct));
}

int http_points_statement(struct req *r, struct reply *out)
{
    int64_t user_id = 0, before = 0;
    int limit;
    int rc = req_query_int(r, "user_id", 1, INT64_MAX, &user_id);
    if (rc < 0)
        return rc;
    rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &before);
    if (rc)
        return rc;
    struct points_account acct;
    rc = app_points_account(r->app, &r->actor, user_id, &acct, &r->err);
    if (rc)
        return rc;
    struct points_entry *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_points_statement(r->app, &r->actor, user_id, before, limit, &items, &n, &next,
                              &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_entry(&items[i]));
    free(items);
    char cur[24];
    json_t *j = json_list(a, cursor_text(next, cur));
    if (j)
        json_object_set_new(j, "account", json_account(&acct));
    return reply_obj(r, out, 200, j);
}

int http_points_award(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct points_award_input in = {0};
    int64_t amount = 0;
    int source = 0;
    int rc = jin_int(b, "user_id", true, 1, INT64_MAX, &in.user_id, &r->err);
    if (!rc)
        rc = jin_enum(b, "source", true, points_source_from_id, POINTS_SOURCE__COUNT, &source,
                      &r->err);
    if (!rc)
        rc = jin_str(b, "ref", true, POINTS_MAX_REF, &in.ref, &r->err);
    if (!rc)
        rc = jin_int(b, "amount", true, 1, POINTS_MAX_AWARD, &amount, &r->err);
    if (!rc)
        rc = jin_str(b, "reason", true, POINTS_MAX_REASON, &in.reason, &r->err);
    if (rc)
        return rc;
    in.source = (enum points_source)source;
    in.amount = (int)amount;
    struct points_entry e;
    rc = app_points_award(r->app, &r->actor, &in, r->now, &e, &r->err);
    if (rc)
        return rc;
    return reply_obj(r, out, 201, json_entry(&e));
}

int http_points_leaderboard(struct req *r, struct reply *out)
{
    int64_t org_id = 0;
    int limit;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc < 0)
        return rc;
    rc = req_limit(r, &limit);
    if (rc)
        return rc;
    struct org com;
    struct points_rank *items = NULL;
    size_t n = 0;
    rc = app_points_leaderboard(r->app, &r->actor, org_id, limit, &com, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *row = json_account(&items[i].acct);
        if (row) {
            put(row, "rank", json_integer((json_int_t)i + 1));
            put(row, "username", json_string(items[i].username));
            put(row, "display_name", jstr_or_null(items[i].display_name));
        }
        json_array_append_new(a, row);
    }
    free(items);
    json_t *j = json_pack("{s:o, s:o}", "community", json_org_brief(&com), "items",
                          a ? a : json_array());
    return reply_obj(r, out, 200, j);
}

/* ---- the points store ---- */

/* name, description, price, stock, active from the body; absent = unchanged (-1 / NULL) */
static int item_fields(struct req *r, json_t *b, bool create, struct store_item_input *in)
{
    in->price = in->stock = -1;
    in->active = create ? 1 : -1;
    int rc = jin_str(b, "name", create, GG_MAX_NAME, &in->name, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "description", false, GG_MAX_NOTE, &in->description, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "price", create, 1, POINTS_MAX_PRICE, &in->price, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "stock", create, 0, POINTS_MAX_STOCK, &in->stock, &r->err);
    bool active = true;
    if (rc >= 0) {
        rc = jin_bool(b, "active", false, &active, &r->err);
        if (rc == 0)
            in->active = active ? 1 : 0;
    }
    return rc < 0 ? rc : 0;
}

int http_store_items_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct store_item_input in = {0};
    int rc = jin_int(b, "community_id", true, 1, INT64_MAX, &in.community_id, &r->err);
    if (!rc)
        rc = item_fields(r, b, true, &in);
    if (rc)
        return rc;
    struct store_item it;
    rc = app_store_item_create(r->app, &r->actor, &in, r->now, &it, &r->err);
    if (rc)
        return rc;
    return reply_obj(r, out, 201, json_item(&it));
}

int http_store_items_update(struct req *r, struct reply *out)
{
    struct store_item_input in = {0};
    int rc = item_fields(r, req_body(r), false, &in);
    if (rc)
        return rc;
    struct store_item it;
    rc = app_store_item_update(r->app, &r->actor, r->id, &in, r->now, &it, &r->err);
    if (rc)
        return rc;
    return reply_obj(r, out, 200, json_item(&it));
}

int http_store_items_get(struct req *r, struct reply *out)
{
    struct store_item it;
    int rc = app_store_item_get(r->app, &r->actor, r->id, &it, &r->err);
    if (rc)
        return rc;
    return reply_obj(r, out, 200, json_item(&it));
}

int http_store_items_list(struct req *r, struct reply *out)
{
    int limit;
    int64_t after = 0;
    int rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &after);
    if (rc)
        return rc;
    const char *all = req_query(r, "all");
    bool active_only = !(all && strcmp(all, "true") == 0);
    struct store_item *items = NULL;
    size_t n = 0;
    rc = app_store_item_list(r->app, &r->actor, active_only, after, limit, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_item(&items[i]));
    char cur[24];
    const char *next = n == (size_t)limit ? cursor_text(items[n - 1].id, cur) : NULL;
    free(items);
    return reply_obj(r, out, 200, json_list(a, next));
}

int http_store_redeem(struct req *r, struct reply *out)
{
    int64_t qty = 1;
    int rc = jin_int(req_body(r), "quantity", false, 1, POINTS_MAX_QUANTITY, &qty, &r->err);
    if (rc < 0)
        return rc;
    struct redemption x;
    int64_t balance = 0;
    rc = app_store_redeem(r->app, &r->actor, r->id, (int)qty, r->now, &x, &balance, &r->err);
    if (rc)
        return rc;
    json_t *j = json_redemption(&x);
    if (j)
        put(j, "balance_after", json_integer(balance));
    return reply_obj(r, out, 201, j);
}

int http_redemptions_list(struct req *r, struct reply *out)
{
    int limit;
    int64_t before = 0;
    int rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &before);
    if (rc)
        return rc;
    struct redemption *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_redemption_list(r->app, &r->actor, before, limit, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_redemption(&items[i]));
    free(items);
    char cur[24];
    return reply_obj(r, out, 200, json_list(a, cursor_text(next, cur)));
}
