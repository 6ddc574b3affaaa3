/* service.c - the service-order use cases (点单—下单—接单—评单, DESIGN section 6): ask, read and
 * list with the caller's scope, and every action of core/service.c's state machine, each as one
 * transaction with its audit entry; the rated order's reward is paid in the same transaction.
 *
 * Not here: the state table and roles (core/service.c), the ledger (points.c), SQL (store). */
#include "app/internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void app_service_view_release(struct service_view *v)
{
    if (!v)
        return;
    free(v->attachment_ids);
    v->attachment_ids = NULL;
    v->n_attachments = 0;
}

static bool covers(const struct actor *who, const char *path)
{
    return who->role == ROLE_ADMIN || (path[0] && scope_covers(who->scope_path, path));
}

int app_community_of(struct app *a, struct store *s, const char *path, struct org *out)
{
    struct org *anc = NULL;
    size_t n = 0;
    int rc = app_org_ancestors(a, s, path, true, &anc, &n);
    if (rc)
        return rc;
    rc = -GG_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        if (anc[i].kind == ORG_COMMUNITY) {
            *out = anc[i];
            rc = 0;
        }
    }
    free(anc);
    return rc;
}

static int fill_view(struct app *a, struct store *s, struct service_view *v)
{
    struct category c;
    v->category_name[0] = '\0';
    if (app_cat_find(a, v->o.category_code, &c) == 0)
        memcpy(v->category_name, c.name, sizeof v->category_name);
    app_org_name(a, v->o.community_id, v->community_name, sizeof v->community_name);
    return s->ops->order_attachments(s, v->o.id, &v->attachment_ids, &v->n_attachments);
}

static int audit_order(struct store *s, const struct actor *who, int64_t now,
                       enum service_action act, const struct service_order *o,
                       enum service_status from)
{
    char name[48], detail[160];
    snprintf(name, sizeof name, "service_order.%s", service_action_id(act));
    snprintf(detail, sizeof detail,
             "{\"from\":\"%s\",\"to\":\"%s\",\"community_id\":%lld,\"reward\":%d}",
             act == SERVICE_ACTION_ASK ? "" : service_status_id(from),
             service_status_id(o->status), (long long)o->community_id, o->reward);
    return app_audit(s, who, now, name, "service_order", o->id, detail);
}

/* ---- ask (点单) ---- */

struct ask_ctx {
    const struct actor *who;
    struct service_order *o;
    int64_t now;
};

static int ask_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    (void)err;
    struct ask_ctx *c = p;
    int rc = s->ops->order_insert(s, c->o);
    if (!rc)
        rc = audit_order(s, c->who, c->now, SERVICE_ACTION_ASK, c->o, SERVICE_STATUS_ASKED);
    return rc;
}

int app_service_ask(struct app *a, const struct actor *who, const struct service_ask_input *in,
                    int64_t now, struct service_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!service_role_may(who->role, SERVICE_ACTION_ASK))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能点单", role_zh(who->role));
    return app_service_ask_for(a, who, in, now, out, err);
}

int app_service_ask_for(struct app *a, const struct actor *who, const struct service_ask_input *in,
                        int64_t now, struct service_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = app_check_text(in->category_code, GG_MAX_CODE, "category_code", true, err);
    if (!rc)
        rc = app_check_text(in->title, SERVICE_MAX_TITLE, "title", true, err);
    if (!rc)
        rc = app_check_text(in->description, GG_MAX_DESCRIPTION, "description", false, err);
    if (!rc)
        rc = app_check_text(in->address, GG_MAX_ADDRESS, "address", false, err);
    if (rc)
        return rc;
    struct category cat;
    if (app_cat_find(a, in->category_code, &cat) != 0 || cat.kind != CAT_KIND_SERVICE)
        return gg_error_set(err, GG_EINVAL, "category_code", "服务类别不存在");
    if (!cat.parent_code[0])
        return gg_error_set(err, GG_EINVAL, "category_code", "请选择具体的服务类别");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct org com;
    if (in->community_id) {
        rc = s->ops->org_get(s, in->community_id, &com);
        /* the asker's own community (above its scope) or one within its scope */
        if (rc == -GG_ENOTFOUND || (rc == 0 && (com.kind != ORG_COMMUNITY ||
                                                (!scope_covers(com.path, who->scope_path) &&
                                                 !covers(who, com.path)))))
            return gg_error_set(err, GG_EINVAL, "community_id", "社区不存在或不在您的范围内");
    } else {
        rc = app_community_of(a, s, who->scope_path, &com);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "community_id", "请指定社区");
    }
    if (rc)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");

    struct service_order *o = &out->o;
    o->status = SERVICE_STATUS_ASKED;
    memcpy(o->category_code, cat.code, sizeof o->category_code);
    gg_strlcpy(o->title, in->title, sizeof o->title);
    gg_strlcpy(o->description, in->description ? in->description : "", sizeof o->description);
    gg_strlcpy(o->address, in->address ? in->address : "", sizeof o->address);
    o->community_id = com.id;
    memcpy(o->community_path, com.path, sizeof o->community_path);
    o->district_id = com.district_id;
    o->asker_id = who->user_id;
    o->asked_at = now;
    o->updated_at = now;
    struct ask_ctx c = {who, o, now};
    rc = app_write(a, ask_job, &c, err);
    if (!rc)
        rc = fill_view(a, app_store_for_read(a), out);
    if (rc)
        app_service_view_release(out);
    return rc;
}

/* ---- reads ---- */

int app_service_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                    struct service_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->order_get(s, id, &sc, now, &out->o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "服务订单不存在");
    if (!rc)
        rc = fill_view(a, s, out);
    if (rc) {
        app_service_view_release(out);
        return gg_error_set(err, -rc, NULL, "读取服务订单失败");
    }
    return 0;
}

int app_service_list(struct app *a, const struct actor *who, struct service_filter *f,
                     struct service_order **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (f->limit < 1 || f->limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int want = f->limit;
    f->limit = want + 1;
    int rc = s->ops->order_list(s, f, &sc, items, n);
    f->limit = want;
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取服务订单失败");
    if (*n > (size_t)want) {
        *n = (size_t)want;
        *next_cursor = (*items)[want - 1].id;
    }
    return 0;
}

/* ---- actions ---- */

struct act_ctx {
    const struct actor *who;
    int64_t id;
    const struct service_action_input *in;
    int64_t now;
    struct service_order *o;
};

static int check_photos(struct store *s, const struct actor *who, const int64_t *ids, size_t n,
                        struct gg_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct attachment at;
        int rc = s->ops->attachment_get(s, ids[i], &at);
        if (rc == -GG_ENOTFOUND || (rc == 0 && at.uploader_id != who->user_id))
            return gg_error_set(err, GG_EINVAL, "attachment_ids", "附件 %lld 不存在",
                                (long long)ids[i]);
        if (rc)
            return rc;
    }
    return 0;
}

/* Is the actor the one this action belongs to? (403 otherwise.) */
static int check_actor(struct store *s, const struct actor *who, const struct service_order *o,
                       enum service_action act, struct gg_error *err)
{
    switch (act) {
    case SERVICE_ACTION_PUBLISH:
        if (!covers(who, o->community_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该订单不在您的管辖范围内");
        return 0;
    case SERVICE_ACTION_CLAIM:
        if (o->asker_id == who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "不能接自己点的单");
        if (!covers(who, o->community_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只能接报到社区的订单");
        return 0;
    case SERVICE_ACTION_COMPLETE:
        if (o->claimer_id != who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有接单人可以完成订单");
        return 0;
    case SERVICE_ACTION_RATE:
        if (o->asker_id != who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有点单人可以评单");
        return 0;
    case SERVICE_ACTION_REVIEW: {
        if (!covers(who, o->community_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该订单不在您的管辖范围内");
        if (who->role == ROLE_ADMIN)
            return 0;
        struct org mine;
        int rc = s->ops->org_get(s, who->scope_org_id, &mine);
        if (rc)
            return rc;
        if (mine.kind > ORG_STREET)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "评价由街道工作人员进行");
        return 0;
    }
    case SERVICE_ACTION_CANCEL:
        if (who->role == ROLE_RESIDENT || who->role == ROLE_MEMBER ||
            who->role == ROLE_GRID_OFFICER) {
            if (o->asker_id != who->user_id)
                return gg_error_set(err, GG_EFORBIDDEN, NULL, "只能取消自己点的单");
        } else if (!covers(who, o->community_path)) {
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该订单不在您的管辖范围内");
        }
        return 0;
    default:
        return gg_error_set(err, GG_EINVAL, "action", "未知的操作");
    }
}

/* The action's effects beyond the state change. */
static int apply(struct store *s, struct act_ctx *c, struct service_order *o,
                 struct gg_error *err)
{
    const struct service_action_input *in = c->in;
    int64_t now = c->now;
    const char *note = in->note ? in->note : "";
    switch (in->action) {
    case SERVICE_ACTION_PUBLISH:
        if (in->reward < 0 || in->reward > SERVICE_MAX_REWARD)
            return gg_error_set(err, GG_EINVAL, "reward", "奖励积分应在 0 到 %d 之间",
                                SERVICE_MAX_REWARD);
        if (in->deadline_at <= now ||
            in->deadline_at > now + (int64_t)SERVICE_MAX_DEADLINE_DAYS * 86400)
            return gg_error_set(err, GG_EINVAL, "deadline_at", "截止时间应在现在之后 %d 天以内",
                                SERVICE_MAX_DEADLINE_DAYS);
        o->reward = in->reward;
        o->deadline_at = in->deadline_at;
        o->publisher_id = c->who->user_id;
        o->published_at = now;
        return 0;
    case SERVICE_ACTION_CLAIM:
        o->claimer_id = c->who->user_id;
        o->claimed_at = now;
        return 0;
    case SERVICE_ACTION_COMPLETE: {
        if (in->n_attachments > SERVICE_MAX_ATTACHMENTS)
            return gg_error_set(err, GG_EINVAL, "attachment_ids", "最多 %d 张照片",
                                SERVICE_MAX_ATTACHMENTS);
        int rc = check_photos(s, c->who, in->attachment_ids, in->n_attachments, err);
        for (size_t i = 0; !rc && i < in->n_attachments; i++)
            rc = s->ops->order_attach(s, o->id, in->attachment_ids[i]);
        if (rc)
            return rc;
        gg_strlcpy(o->completion_note, note, sizeof o->completion_note);
        o->completed_at = now;
        return 0;
    }
    case SERVICE_ACTION_RATE:
    case SERVICE_ACTION_REVIEW:
        if (in->rating < 1 || in->rating > 5)
            return gg_error_set(err, GG_EINVAL, "rating", "评分应为 1 到 5");
        if (in->action == SERVICE_ACTION_RATE) {
            o->rating = in->rating;
            gg_strlcpy(o->rating_comment, note, sizeof o->rating_comment);
            o->rated_at = now;
        } else {
            o->review_rating = in->rating;
            gg_strlcpy(o->review_comment, note, sizeof o->review_comment);
            o->reviewer_id = c->who->user_id;
            o->reviewed_at = now;
        }
        return 0;
    case SERVICE_ACTION_CANCEL:
        o->closed_at = now;
        return 0;
    default:
        return gg_error_set(err, GG_EINVAL, "action", "未知的操作");
    }
}

static int act_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)a;
    struct act_ctx *c = p;
    const struct service_action_input *in = c->in;
    struct service_order *o = c->o;
    struct store_scope sc;
    app_scope_of(c->who, &sc);
    /* a member claiming reads its community's orders whatever their state, so that of
     * concurrent claims the losers hear "already claimed" (409), not "no such order" */
    if (in->action == SERVICE_ACTION_CLAIM)
        sc.role = ROLE_STAFF;
    int rc = s->ops->order_get(s, c->id, &sc, c->now, o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "服务订单不存在");
    if (rc)
        return rc;
    if (in->expected_version && in->expected_version != o->version)
        return gg_error_set(err, GG_ECONFLICT, "expected_version", "订单已被他人更新，请刷新后重试");
    rc = check_actor(s, c->who, o, in->action, err);
    if (rc)
        return rc;
    enum service_status from = o->status, to;
    if (service_transition(from, in->action, &to))
        return gg_error_set(err, GG_ECONFLICT, "action", "订单当前状态（%s）不允许“%s”",
                            service_status_zh(from), service_action_zh(in->action));
    o->status = to;
    rc = apply(s, c, o, err);
    if (rc)
        return rc;
    o->version++;
    o->updated_at = c->now;
    rc = s->ops->order_update(s, o);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, NULL, "订单已被他人更新，请刷新后重试");
    if (!rc && in->action == SERVICE_ACTION_RATE && o->reward > 0) {
        /* 评单 pays the claimer, once: the ledger's source key is the order */
        char key[POINTS_KEY_SZ], reason[POINTS_REASON_SZ];
        points_key_of_id(POINTS_SOURCE_SERVICE_ORDER, o->id, key);
        snprintf(reason, sizeof reason, "服务订单 %lld：%.150s", (long long)o->id, o->title);
        rc = app_points_post(s, c->who, o->claimer_id, o->reward, POINTS_SOURCE_SERVICE_ORDER, key,
                             reason, c->now, NULL);
        if (rc == -GG_ECONFLICT)
            return gg_error_set(err, GG_ECONFLICT, NULL, "该订单的积分已发放");
    }
    if (rc)
        return rc;
    return audit_order(s, c->who, c->now, in->action, o, from);
}

int app_service_act(struct app *a, const struct actor *who, int64_t id,
                    const struct service_action_input *in, int64_t now, struct service_view *out,
                    struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)in->action >= SERVICE_ACTION__CLIENT_COUNT)
        return gg_error_set(err, GG_EINVAL, "action", "未知的操作");
    if (!service_role_may(who->role, in->action))
        return gg_error_set(err, GG_EFORBIDDEN, "action", "%s无权执行“%s”", role_zh(who->role),
                            service_action_zh(in->action));
    int rc = app_check_text(in->note, GG_MAX_NOTE, "note", false, err);
    if (rc)
        return rc;
    struct act_ctx c = {who, id, in, now, &out->o};
    rc = app_write(a, act_job, &c, err);
    if (!rc)
        rc = fill_view(a, app_store_for_read(a), out);
    if (rc)
        app_service_view_release(out);
    return rc;
}
