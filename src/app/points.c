/* points.c - the points use cases (积分制管理, 积分超市, DESIGN section 7): posting to the ledger
 * (every entry with its unique source key, audited), the 啄木鸟 clue reward hook for events,
 * manual awards (volunteer hours, meeting attendance), accounts, statements, the community
 * leaderboard, and the points store: items, stock and redemptions, where stock and points move
 * in one transaction or not at all.
 *
 * Not here: the rules (core/points.c), service orders paying their reward (service.c calls
 * app_points_post), SQL (store). */
#include "app/internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool covers(const struct actor *who, const char *path)
{
    return who->role == ROLE_ADMIN || (path[0] && scope_covers(who->scope_path, path));
}

static bool reads_others(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF;
}

int app_points_post(struct store *s, const struct actor *who, int64_t user_id, int64_t amount,
                    enum points_source source, const char *key, const char *reason, int64_t now,
                    struct points_entry *out)
{
    struct points_entry e = {0};
    e.user_id = user_id;
    e.amount = amount;
    e.source = source;
    gg_strlcpy(e.source_key, key, sizeof e.source_key);
    gg_strlcpy(e.reason, reason ? reason : "", sizeof e.reason);
    e.at = now;
    e.actor_id = who ? who->user_id : 0;
    int rc = s->ops->points_post(s, &e);
    if (rc)
        return rc;
    char detail[200];
    snprintf(detail, sizeof detail,
             "{\"user_id\":%lld,\"amount\":%lld,\"balance\":%lld,\"source_key\":\"%s\"}",
             (long long)user_id, (long long)amount, (long long)e.balance_after, e.source_key);
    rc = app_audit(s, who, now, amount >= 0 ? "points.credit" : "points.debit", "points", e.id,
                   detail);
    if (!rc && out)
        *out = e;
    return rc;
}

/* ---- the 啄木鸟 clue reward ---- */

struct clue_ctx {
    const struct event *e;
    int64_t now;
};

static int clue_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    (void)err;
    struct clue_ctx *c = p;
    char key[POINTS_KEY_SZ], reason[POINTS_REASON_SZ];
    points_key_of_id(POINTS_SOURCE_EVENT_CLUE, c->e->id, key);
    snprintf(reason, sizeof reason, "随手拍线索核实（事件 %lld）", (long long)c->e->id);
    return app_points_post(s, NULL, c->e->reporter_id, POINTS_CLUE_REWARD,
                           POINTS_SOURCE_EVENT_CLUE, key, reason, c->now, NULL);
}

int app_points_event_closed(struct app *a, struct store *s, const struct event *before,
                            const struct event *after, int64_t now)
{
    if (!before || before->status == EVENT_STATUS_CLOSED || after->status != EVENT_STATUS_CLOSED ||
        after->source != SOURCE_APP || !after->reporter_id)
        return 0;
    struct user u;
    int rc = s->ops->user_get(s, after->reporter_id, &u);
    if (rc == -GG_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (u.role != ROLE_RESIDENT && u.role != ROLE_MEMBER)
        return 0;
    /* its own savepoint: a reward already paid undoes only the attempt, not the event write */
    struct clue_ctx c = {after, now};
    struct gg_error err = {0};
    rc = app_write(a, clue_job, &c, &err);
    return rc == -GG_ECONFLICT ? 0 : rc;
}

/* ---- accounts, statements, awards, leaderboard ---- */

/* The user whose points the actor asks about: itself, or one within its scope (staff and up). */
static int points_subject(struct store *s, const struct actor *who, int64_t user_id,
                          struct gg_error *err)
{
    if (!user_id || user_id == who->user_id)
        return 0;
    struct user u;
    int rc = s->ops->user_get(s, user_id, &u);
    if (rc == -GG_ENOTFOUND || (rc == 0 && (!reads_others(who->role) || !covers(who, u.scope_path))))
        return gg_error_set(err, GG_ENOTFOUND, "user_id", "用户不存在");
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取用户失败");
    return 0;
}

int app_points_account(struct app *a, const struct actor *who, int64_t user_id,
                       struct points_account *out, struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = points_subject(s, who, user_id, err);
    if (rc)
        return rc;
    rc = s->ops->points_account(s, user_id ? user_id : who->user_id, out);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取积分失败");
    return 0;
}

int app_points_statement(struct app *a, const struct actor *who, int64_t user_id,
                         int64_t before_id, int limit, struct points_entry **items, size_t *n,
                         int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = points_subject(s, who, user_id, err);
    if (rc)
        return rc;
    rc = s->ops->points_entries(s, user_id ? user_id : who->user_id, before_id, limit + 1, items,
                                n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取积分明细失败");
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}

struct award_ctx {
    const struct actor *who;
    const struct points_award_input *in;
    const char *key;
    int64_t now;
    struct points_entry *out;
};

static int award_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct award_ctx *c = p;
    int rc = app_points_post(s, c->who, c->in->user_id, c->in->amount, c->in->source, c->key,
                             c->in->reason, c->now, c->out);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "ref", "这项积分已经发放过");
    return rc;
}

int app_points_award(struct app *a, const struct actor *who, const struct points_award_input *in,
                     int64_t now, struct points_entry *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (who->role != ROLE_ADMIN && who->role != ROLE_STAFF)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能发放积分", role_zh(who->role));
    if (in->source != POINTS_SOURCE_VOLUNTEER && in->source != POINTS_SOURCE_MEETING)
        return gg_error_set(err, GG_EINVAL, "source", "source 应为 volunteer 或 meeting");
    if (in->amount < 1 || in->amount > POINTS_MAX_AWARD)
        return gg_error_set(err, GG_EINVAL, "amount", "积分应在 1 到 %d 之间", POINTS_MAX_AWARD);
    int rc = app_check_text(in->reason, POINTS_MAX_REASON, "reason", true, err);
    if (rc)
        return rc;
    char key[POINTS_KEY_SZ];
    if (points_key_of_award(in->source, in->ref, in->user_id, key))
        return gg_error_set(err, GG_EINVAL, "ref", "ref 应为 1 到 %d 个字母、数字或 _ . -",
                            POINTS_MAX_REF);
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct user u;
    rc = s->ops->user_get(s, in->user_id, &u);
    if (rc == -GG_ENOTFOUND || (rc == 0 && !covers(who, u.scope_path)))
        return gg_error_set(err, GG_EINVAL, "user_id", "用户不存在或不在您的管辖范围内");
    if (rc)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    struct award_ctx c = {who, in, key, now, out};
    return app_write(a, award_job, &c, err);
}

int app_points_leaderboard(struct app *a, const struct actor *who, int64_t org_id, int limit,
                           struct org *community, struct points_rank **items, size_t *n,
                           struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc;
    if (org_id) {
        rc = s->ops->org_get(s, org_id, community);
        /* a community within the caller's scope, or the one the caller lives in */
        if (rc == -GG_ENOTFOUND ||
            (rc == 0 && (community->kind != ORG_COMMUNITY ||
                         (!covers(who, community->path) &&
                          !scope_covers(community->path, who->scope_path)))))
            return gg_error_set(err, GG_ENOTFOUND, "org_id", "社区不存在");
    } else {
        rc = app_community_of(a, s, who->scope_path, community);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "org_id", "请指定社区");
    }
    if (!rc)
        rc = s->ops->points_leaderboard(s, community->path, limit, items, n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取积分榜失败");
    return 0;
}

/* ---- the points store (积分超市) ---- */

static bool may_manage_items(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF;
}

/* an item is visible to those within its community and those whose scope contains it */
static bool item_visible(const struct actor *who, const struct store_item *it)
{
    return covers(who, it->community_path) || scope_covers(it->community_path, who->scope_path);
}

static int check_item_input(const struct store_item_input *in, bool create, struct gg_error *err)
{
    int rc = app_check_text(in->name, GG_MAX_NAME, "name", create, err);
    if (!rc)
        rc = app_check_text(in->description, GG_MAX_NOTE, "description", false, err);
    if (rc)
        return rc;
    if ((create || in->price != -1) && (in->price < 1 || in->price > POINTS_MAX_PRICE))
        return gg_error_set(err, GG_EINVAL, "price", "价格应在 1 到 %d 积分之间", POINTS_MAX_PRICE);
    if ((create || in->stock != -1) && (in->stock < 0 || in->stock > POINTS_MAX_STOCK))
        return gg_error_set(err, GG_EINVAL, "stock", "库存应在 0 到 %d 之间", POINTS_MAX_STOCK);
    return 0;
}

struct item_ctx {
    const struct actor *who;
    const struct store_item_input *in;
    int64_t id; /* 0 = create */
    int64_t now;
    struct store_item *out;
};

static int item_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct item_ctx *c = p;
    const struct store_item_input *in = c->in;
    struct store_item *it = c->out;
    int rc;
    if (c->id) {
        rc = s->ops->item_get(s, c->id, it);
        if (rc == -GG_ENOTFOUND || (rc == 0 && !item_visible(c->who, it)))
            return gg_error_set(err, GG_ENOTFOUND, NULL, "商品不存在");
        if (rc)
            return rc;
        if (!covers(c->who, it->community_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该商品不在您的管辖范围内");
        if (in->name)
            gg_strlcpy(it->name, in->name, sizeof it->name);
        if (in->description)
            gg_strlcpy(it->description, in->description, sizeof it->description);
        if (in->price != -1)
            it->price = in->price;
        if (in->stock != -1)
            it->stock = in->stock;
        if (in->active != -1)
            it->active = in->active != 0;
        it->version++;
        it->updated_at = c->now;
        rc = s->ops->item_update(s, it);
        if (rc == -GG_ECONFLICT)
            return gg_error_set(err, GG_ECONFLICT, NULL, "商品已被他人更新，请刷新后重试");
    } else {
        rc = s->ops->item_insert(s, it);
    }
    if (rc)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail,
             "{\"community_id\":%lld,\"price\":%lld,\"stock\":%lld,\"active\":%s}",
             (long long)it->community_id, (long long)it->price, (long long)it->stock,
             it->active ? "true" : "false");
    return app_audit(s, c->who, c->now, c->id ? "store_item.update" : "store_item.create",
                     "store_item", it->id, detail);
}

int app_store_item_create(struct app *a, const struct actor *who,
                          const struct store_item_input *in, int64_t now, struct store_item *out,
                          struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!may_manage_items(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能管理积分超市", role_zh(who->role));
    int rc = check_item_input(in, true, err);
    if (rc)
        return rc;
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct org com;
    rc = s->ops->org_get(s, in->community_id, &com);
    if (rc == -GG_ENOTFOUND || (rc == 0 && com.kind != ORG_COMMUNITY))
        return gg_error_set(err, GG_EINVAL, "community_id", "社区不存在");
    if (rc)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    if (!covers(who, com.path))
        return gg_error_set(err, GG_EFORBIDDEN, "community_id", "该社区不在您的管辖范围内");
    out->community_id = com.id;
    memcpy(out->community_path, com.path, sizeof out->community_path);
    gg_strlcpy(out->name, in->name, sizeof out->name);
    gg_strlcpy(out->description, in->description ? in->description : "", sizeof out->description);
    out->price = in->price;
    out->stock = in->stock;
    out->active = in->active != 0;
    out->created_at = out->updated_at = now;
    struct item_ctx c = {who, in, 0, now, out};
    return app_write(a, item_job, &c, err);
}

int app_store_item_update(struct app *a, const struct actor *who, int64_t id,
                          const struct store_item_input *in, int64_t now, struct store_item *out,
                          struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!may_manage_items(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能管理积分超市", role_zh(who->role));
    int rc = check_item_input(in, false, err);
    if (rc)
        return rc;
    struct item_ctx c = {who, in, id, now, out};
    return app_write(a, item_job, &c, err);
}

int app_store_item_get(struct app *a, const struct actor *who, int64_t id, struct store_item *out,
                       struct gg_error *err)
{
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->item_get(s, id, out);
    if (rc == -GG_ENOTFOUND || (rc == 0 && !item_visible(who, out)))
        return gg_error_set(err, GG_ENOTFOUND, NULL, "商品不存在");
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取商品失败");
    return 0;
}

int app_store_item_list(struct app *a, const struct actor *who, bool active_only,
                        int64_t after_id, int limit, struct store_item **items, size_t *n,
                        struct gg_error *err)
{
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->item_list(s, who->scope_path, active_only, after_id, limit, items, n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取商品失败");
    return 0;
}

struct redeem_ctx {
    const struct actor *who;
    int64_t item_id;
    int quantity;
    int64_t now;
    struct redemption *out;
    int64_t balance;
};

static int redeem_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct redeem_ctx *c = p;
    struct store_item it;
    int rc = s->ops->item_get(s, c->item_id, &it);
    if (rc == -GG_ENOTFOUND || (rc == 0 && !item_visible(c->who, &it)))
        return gg_error_set(err, GG_ENOTFOUND, NULL, "商品不存在");
    if (rc)
        return rc;
    if (!scope_covers(it.community_path, c->who->scope_path))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有本社区的居民和党员可以兑换");
    int64_t cost;
    if (points_cost(it.price, c->quantity, &cost))
        return gg_error_set(err, GG_EINVAL, "quantity", "数量应在 1 到 %d 之间",
                            POINTS_MAX_QUANTITY);
    rc = s->ops->item_take(s, it.id, c->quantity, c->now);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "quantity",
                            it.active ? "库存不足" : "该商品已下架");
    if (rc)
        return rc;
    struct redemption *r = c->out;
    r->item_id = it.id;
    r->user_id = c->who->user_id;
    r->community_id = it.community_id;
    memcpy(r->community_path, it.community_path, sizeof r->community_path);
    r->quantity = c->quantity;
    r->points = cost;
    r->at = c->now;
    memcpy(r->item_name, it.name, sizeof r->item_name);
    rc = s->ops->redemption_insert(s, r);
    if (rc)
        return rc;
    char key[POINTS_KEY_SZ], reason[POINTS_REASON_SZ];
    points_key_of_id(POINTS_SOURCE_REDEMPTION, r->id, key);
    snprintf(reason, sizeof reason, "兑换 %.150s × %d", it.name, c->quantity);
    struct points_entry e;
    rc = app_points_post(s, c->who, c->who->user_id, -cost, POINTS_SOURCE_REDEMPTION, key, reason,
                         c->now, &e);
    if (rc == -GG_EINVAL)
        return gg_error_set(err, GG_ECONFLICT, "quantity", "积分不足");
    if (rc)
        return rc;
    c->balance = e.balance_after;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"item_id\":%lld,\"quantity\":%d,\"points\":%lld}",
             (long long)it.id, c->quantity, (long long)cost);
    return app_audit(s, c->who, c->now, "store_item.redeem", "redemption", r->id, detail);
}

int app_store_redeem(struct app *a, const struct actor *who, int64_t item_id, int quantity,
                     int64_t now, struct redemption *out, int64_t *balance_after,
                     struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (quantity < 1 || quantity > POINTS_MAX_QUANTITY)
        return gg_error_set(err, GG_EINVAL, "quantity", "数量应在 1 到 %d 之间",
                            POINTS_MAX_QUANTITY);
    struct redeem_ctx c = {who, item_id, quantity, now, out, 0};
    int rc = app_write(a, redeem_job, &c, err);
    if (!rc)
        *balance_after = c.balance;
    return rc;
}

int app_redemption_list(struct app *a, const struct actor *who, int64_t before_id, int limit,
                        struct redemption **items, size_t *n, int64_t *next_cursor,
                        struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    bool wide = reads_others(who->role);
    int rc = s->ops->redemption_list(s, wide ? 0 : who->user_id,
                                     who->role == ROLE_ADMIN ? "/" : who->scope_path, before_id,
                                     limit + 1, items, n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取兑换记录失败");
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}
