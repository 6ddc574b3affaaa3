/* visits.c - home visits (走访, 敲门行动, 六必访, DESIGN section 8): recording a visit, raising an
 * event (source visit) or a service order from it in the same transaction, the visit lists,
 * and each officer's due/overdue list from the latest visit of every subject.
 *
 * Not here: intervals and due states (core/visit.c), SQL (store), the people registry (people,
 * households and their tags are another issue's: a visit names its subject by id and carries
 * the subject's tags as the officer saw them). */
#include "app/internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VISIT_MAX_BACKDATE (366 * 86400)

static bool covers(const struct actor *who, const char *path)
{
    return who->role == ROLE_ADMIN || (path[0] && scope_covers(who->scope_path, path));
}

static bool may_visit(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF || r == ROLE_GRID_OFFICER;
}

static bool may_read(enum role r)
{
    return may_visit(r) || r == ROLE_COMMAND || r == ROLE_LEADER;
}

int app_visit_rules(struct app *a, struct visit_rules *out)
{
    visit_rules_default(out);
    struct store *s = app_store_for_read(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    char *text = NULL;
    int rc = s->ops->setting_get(s, "visits.rules", &text);
    if (!rc && text && visit_rules_parse(text, out))
        visit_rules_default(out); /* validated when set: only a hand-edited value lands here */
    free(text);
    return rc;
}

struct visit_ctx {
    const struct actor *who;
    const struct visit_input *in;
    const struct org *grid;
    int64_t now;
    struct visit *out;
};

static int visit_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    (void)s;
    struct visit_ctx *c = p;
    const struct visit_input *in = c->in;
    struct visit *v = c->out;
    int rc = 0;
    /* what the visit raises joins this transaction: all of it commits, or none */
    if (in->event) {
        struct event_input ein = {0};
        ein.category_code = in->event->category_code;
        ein.description =
            in->event->description && *in->event->description ? in->event->description
                                                                : in->findings;
        ein.lat = in->event->lat;
        ein.lon = in->event->lon;
        ein.source = SOURCE_VISIT;
        struct event_view ev;
        rc = app_event_report(a, c->who, &ein, c->now, &ev, err);
        v->event_id = ev.ev.id;
        app_event_view_release(&ev);
        if (rc)
            return rc;
    }
    if (in->service_order) {
        struct service_ask_input ask = *in->service_order;
        ask.community_id = 0;
        struct org com;
        rc = app_community_of(a, s, c->grid->path, &com);
        if (rc)
            return gg_error_set(err, GG_EINVAL, "grid_id", "该网格不属于任何社区");
        ask.community_id = com.id;
        if (!ask.description || !*ask.description)
            ask.description = in->findings;
        struct service_view sv;
        rc = app_service_ask_for(a, c->who, &ask, c->now, &sv, err);
        v->order_id = sv.o.id;
        app_service_view_release(&sv);
        if (rc)
            return rc;
    }
    rc = s->ops->visit_insert(s, v);
    if (rc)
        return rc;
    char detail[200];
    snprintf(detail, sizeof detail,
             "{\"grid_id\":%lld,\"person_id\":%lld,\"household_id\":%lld,\"event_id\":%lld,"
             "\"order_id\":%lld}",
             (long long)v->grid_id, (long long)v->person_id, (long long)v->household_id,
             (long long)v->event_id, (long long)v->order_id);
    return app_audit(s, c->who, c->now, "visit.record", "visit", v->id, detail);
}

int app_visit_record(struct app *a, const struct actor *who, const struct visit_input *in,
                     int64_t now, struct visit *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!may_visit(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能登记走访", role_zh(who->role));
    if (in->person_id < 0 || in->household_id < 0 || (!in->person_id && !in->household_id))
        return gg_error_set(err, GG_EINVAL, "person_id", "请指定走访的人员或家庭");
    int rc = app_check_text(in->subject_name, GG_MAX_NAME, "subject_name", true, err);
    if (!rc)
        rc = app_check_text(in->findings, VISIT_MAX_FINDINGS, "findings", true, err);
    if (rc)
        return rc;
    if (in->tags >> VISIT_TAG__COUNT)
        return gg_error_set(err, GG_EINVAL, "tags", "未知的走访标签");
    int64_t at = in->at ? in->at : now;
    if (at > now + 300 || at < now - VISIT_MAX_BACKDATE)
        return gg_error_set(err, GG_EINVAL, "at", "走访时间不能晚于现在，也不能早于一年前");
    if (in->event && in->service_order)
        return gg_error_set(err, GG_EINVAL, "raise", "一次走访只能转一个事件或一个服务订单");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct org grid;
    rc = s->ops->org_get(s, in->grid_id ? in->grid_id : who->scope_org_id, &grid);
    if (rc == -GG_ENOTFOUND || (rc == 0 && grid.kind != ORG_GRID))
        return gg_error_set(err, GG_EINVAL, "grid_id", "请指定走访所在的网格");
    if (rc)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    if (!covers(who, grid.path))
        return gg_error_set(err, GG_EFORBIDDEN, "grid_id", "只能登记本网格的走访");
    out->grid_id = grid.id;
    memcpy(out->grid_path, grid.path, sizeof out->grid_path);
    out->officer_id = who->user_id;
    out->person_id = in->person_id;
    out->household_id = in->household_id;
    gg_strlcpy(out->subject_name, in->subject_name, sizeof out->subject_name);
    out->tags = in->tags;
    out->at = at;
    gg_strlcpy(out->findings, in->findings, sizeof out->findings);
    out->created_at = now;
    struct visit_ctx c = {who, in, &grid, now, out};
    return app_write(a, visit_job, &c, err);
}

int app_visit_list(struct app *a, const struct actor *who, int64_t person_id,
                   int64_t household_id, int64_t before_id, int limit, struct visit **items,
                   size_t *n, int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (!may_read(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能查看走访记录", role_zh(who->role));
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->visit_list(s, who->role == ROLE_ADMIN ? "/" : who->scope_path, person_id,
                                household_id, before_id, limit + 1, items, n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取走访记录失败");
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}

static int by_due(const void *x, const void *y)
{
    int64_t a = ((const struct visit_due *)x)->due_at, b = ((const struct visit_due *)y)->due_at;
    return a < b ? -1 : a > b;
}

int app_visit_due(struct app *a, const struct actor *who, int state, int64_t now,
                  struct visit_due **items, size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (!may_read(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能查看走访计划", role_zh(who->role));
    struct visit_rules rules;
    struct store *s = app_store_for_read(a);
    if (!s || app_visit_rules(a, &rules))
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    struct visit *latest = NULL;
    size_t nl = 0;
    int rc = s->ops->visit_latest(s, who->role == ROLE_ADMIN ? "/" : who->scope_path, 10000,
                                  &latest, &nl);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取走访记录失败");
    struct visit_due *out = calloc(nl ? nl : 1, sizeof *out);
    if (!out) {
        free(latest);
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    }
    size_t k = 0;
    for (size_t i = 0; i < nl; i++) {
        struct visit_due d = {.last = latest[i]};
        d.interval_days = visit_interval_days(&rules, latest[i].tags);
        d.state = visit_state_at(latest[i].at, d.interval_days, now, &d.due_at);
        bool want = state < 0 ? d.state != VISIT_STATE_OK : (int)d.state == state;
        if (want && d.interval_days > 0)
            out[k++] = d;
    }
    free(latest);
    qsort(out, k, sizeof *out, by_due);
    *items = out;
    *n = k;
    return 0;
}
