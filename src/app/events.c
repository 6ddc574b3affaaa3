/* events.c - the event workflow use cases (DESIGN section 5): intake with auto-dispatch and
 * deadlines, reads with the caller's scope, every action of the state machine, and the overdue
 * sweep. The rules themselves live in core/ (workflow, routing, calendar); this file applies
 * them to stored events, one transaction per use case. */
#include "app/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "core/geo.h"
#include "core/indicators.h"
#include "core/routing.h"
#include "core/scope.h"
#include "core/workflow.h"

#define MAX_ATTACHMENTS 9
#define MAX_DUPLICATES 10
#define MAX_EXTEND_HOURS 720
#define SWEEP_BATCH 200

/* ---- helpers ---- */

/* The ids above the event's grid (grid, community, street, district) for routing and
 * escalation, read along the grid's path (the event's org_path). */
static int route_path_of(struct app *a, struct store *s, const struct event *e,
                         struct route_path *rp)
{
    memset(rp, 0, sizeof *rp);
    if (!e->grid_id)
        return 0;
    struct org *anc = NULL;
    size_t n = 0;
    int rc = app_org_ancestors(a, s, e->org_path, true, &anc, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        switch (anc[i].kind) {
        case ORG_COMMUNITY: rp->community_id = anc[i].id; break;
        case ORG_STREET: rp->street_id = anc[i].id; break;
        case ORG_DISTRICT: rp->district_id = anc[i].id; break;
        default: break;
        }
    }
    rp->grid_id = e->grid_id;
    free(anc);
    return 0;
}

/* Makes org_id the assignee (0 = the command-centre queue) and sets the level it stands for. */
static int set_assignee(struct app *a, struct store *s, struct event *e, int64_t org_id,
                        struct gg_error *err)
{
    if (!org_id) {
        e->assignee_org_id = 0;
        e->assignee_path[0] = '\0';
        e->level = LEVEL_DISTRICT;
        return 0;
    }
    struct org o;
    int rc = app_org_cached(a, s, org_id, &o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "org_id", "派遣对象不存在");
    if (rc)
        return rc;
    if (o.kind == ORG_CITY || o.kind == ORG_BUILDING || o.kind == ORG_UNIT)
        return gg_error_set(err, GG_EINVAL, "org_id", "不能派遣到%s", org_kind_zh(o.kind));
    e->assignee_org_id = o.id;
    gg_strlcpy(e->assignee_path, o.path, sizeof e->assignee_path);
    e->level = level_of_kind(o.kind);
    return 0;
}

/* A fresh handling deadline counted from `start` on the category's clock. */
static void start_deadline(struct app *a, struct event *e, const struct category *c, int64_t start)
{
    e->handle_due_at = calendar_add(&a->cal, c->clock, start, c->handle_hours);
    e->yellow_at = calendar_yellow_at(&a->cal, c->clock, start, e->handle_due_at);
    e->escalate_at = e->handle_due_at;
}

/* Sign-by deadline after a dispatch: the category's accept hours. */
static void start_accept(struct app *a, struct event *e, const struct category *c, int64_t start)
{
    e->accept_due_at = calendar_add(&a->cal, c->clock, start, c->accept_hours);
}

static void timeline_of(struct timeline_entry *t, const struct event *e, int seq,
                        enum event_action act, int64_t actor_id, int64_t at,
                        enum event_status from, int64_t org_id, const char *note)
{
    memset(t, 0, sizeof *t);
    t->event_id = e->id;
    t->seq = seq;
    t->action = act;
    t->actor_id = actor_id;
    t->at = at;
    t->from_status = from;
    t->to_status = e->status;
    t->org_id = org_id;
    gg_strlcpy(t->note, note ? note : "", sizeof t->note);
}

static int add_timeline(struct store *s, const struct event *e, int seq, enum event_action act,
                        int64_t actor_id, int64_t at, enum event_status from, int64_t org_id,
                        const char *note)
{
    struct timeline_entry t;
    timeline_of(&t, e, seq, act, actor_id, at, from, org_id, note);
    return s->ops->timeline_insert(s, &t);
}

static int next_seq(struct store *s, int64_t event_id, int *seq)
{
    struct timeline_entry *items = NULL;
    size_t n = 0;
    int rc = s->ops->timeline_list(s, event_id, &items, &n);
    free(items);
    *seq = (int)n + 1;
    return rc;
}

/* Routes with the catalog rule and the departments that cover the location. */
static int route(struct app *a, struct store *s, const struct category *c, enum event_source src,
                 const struct event *e, struct route_result *out)
{
    struct route_path rp;
    int rc = route_path_of(a, s, e, &rp);
    if (rc)
        return rc;
    struct route_dept *depts = NULL;
    size_t nd = 0;
    rc = app_departments(a, s, &depts, &nd);
    if (rc)
        return rc;
    routing_decide(c, src, &rp, depts, nd, out);
    free(depts);
    return 0;
}

/* Open events of the same category near e, reported within the window (offered for merging). */
static int find_duplicates(struct app *a, struct store *s, const struct event *e, int64_t now,
                           int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    double r = a->cfg.dup_radius_m;
    double dlat = r / 111320.0;
    double coslat = cos(e->lat * M_PI / 180.0);
    double dlon = r / (111320.0 * (coslat > 0.01 ? coslat : 0.01));
    int64_t since = (e->reported_at ? e->reported_at : now) - (int64_t)a->cfg.dup_window_hours * 3600;
    struct event *near = NULL;
    size_t nn = 0;
    int rc = s->ops->event_nearby(s, e->category_code, e->lat - dlat, e->lat + dlat, e->lon - dlon,
                                  e->lon + dlon, since, e->id, MAX_DUPLICATES, &near, &nn);
    if (rc)
        return rc;
    if (nn) {
        *ids = calloc(nn, sizeof **ids);
        if (!*ids) {
            free(near);
            return -GG_ENOMEM;
        }
        for (size_t i = 0; i < nn; i++)
            if (geo_distance_m(e->lat, e->lon, near[i].lat, near[i].lon) <= r)
                (*ids)[(*n)++] = near[i].id;
    }
    free(near);
    return 0;
}

void app_event_view_release(struct event_view *v)
{
    if (!v)
        return;
    free(v->timeline);
    free(v->timeline_actor_names);
    free(v->timeline_org_names);
    v->timeline_actor_names = NULL;
    v->timeline_org_names = NULL;
    free(v->attachment_ids);
    free(v->whistles);
    free(v->duplicate_ids);
    v->timeline = NULL;
    v->attachment_ids = NULL;
    v->whistles = NULL;
    v->duplicate_ids = NULL;
}

/* Who and where, by name, for each timeline row. */
static int name_timeline(struct app *a, struct store *s, struct event_view *v)
{
    if (!v->n_timeline)
        return 0;
    v->timeline_actor_names = calloc(v->n_timeline, sizeof *v->timeline_actor_names);
    v->timeline_org_names = calloc(v->n_timeline, sizeof *v->timeline_org_names);
    if (!v->timeline_actor_names || !v->timeline_org_names)
        return -GG_ENOMEM;
    for (size_t i = 0; i < v->n_timeline; i++) {
        const struct timeline_entry *t = &v->timeline[i];
        app_org_name(a, t->org_id, v->timeline_org_names[i], GG_NAME_SZ);
        if (!t->actor_id)
            continue;
        app_user_name(a, s, t->actor_id, v->timeline_actor_names[i], GG_NAME_SZ);
    }
    return 0;
}

/* The parts of a view that come from the event itself and the caches: colour, names. */
static void view_names(struct app *a, int64_t now, struct event_view *v)
{
    struct event *e = &v->ev;
    e->color = workflow_color(e->status, e->suspended, e->suspended_at, e->handle_due_at,
                              e->yellow_at, e->handled_at, now);
    struct category c;
    v->category_name[0] = '\0';
    if (app_cat_find(a, e->category_code, &c) == 0)
        gg_strlcpy(v->category_name, c.name, sizeof v->category_name);
    app_org_name(a, e->grid_id, v->grid_name, sizeof v->grid_name);
    app_org_name(a, e->assignee_org_id, v->assignee_name, sizeof v->assignee_name);
    v->rated = e->rating != RATING_NONE;
}

/* Fills the view around an event already read: names, timeline, attachments, whistles,
 * duplicates (lists_read: the three lists came with the event, store event_get_view). */
static int fill_view(struct app *a, struct store *s, int64_t now, struct event_view *v,
                     bool lists_read)
{
    struct event *e = &v->ev;
    view_names(a, now, v);
    int rc = 0;
    if (!lists_read)
        rc = s->ops->timeline_list(s, e->id, &v->timeline, &v->n_timeline);
    if (!rc)
        rc = name_timeline(a, s, v);
    if (!rc && !lists_read)
        rc = s->ops->event_attachments(s, e->id, &v->attachment_ids, &v->n_attachments);
    if (!rc && !lists_read)
        rc = s->ops->whistle_list(s, e->id, &v->whistles, &v->n_whistles);
    if (!rc && (e->status == EVENT_STATUS_REPORTED || e->status == EVENT_STATUS_REGISTERED))
        rc = find_duplicates(a, s, e, now, &v->duplicate_ids, &v->n_duplicates);
    if (rc)
        app_event_view_release(v);
    return rc;
}

/* ---- intake ---- */

struct report_ctx {
    const struct actor *who;
    const struct event_input *in;
    const struct category *cat;
    int64_t now;
    struct event_view *out;
    bool dispatched; /* auto-dispatched at intake */
    struct timeline_entry tl[2]; /* the timeline report_job writes, for the answer */
    int n_tl;
};

static int check_attachments(struct store *s, const struct actor *who, const int64_t *ids,
                             size_t n, struct gg_error *err)
{
    for (size_t i = 0; i < n; i++) {
        struct attachment at;
        int rc = s->ops->attachment_get(s, ids[i], &at);
        if (rc == -GG_ENOTFOUND || (rc == 0 && at.uploader_id != who->user_id &&
                                    who->role != ROLE_ADMIN))
            return gg_error_set(err, GG_EINVAL, "attachment_ids", "附件 %lld 不存在",
                                (long long)ids[i]);
        if (rc)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return gg_error_set(err, GG_EINVAL, "attachment_ids", "附件 %lld 重复",
                                    (long long)ids[i]);
    }
    return 0;
}

/* Everything intake decides before writing, from reads only (so that it runs on the request's
 * own thread, not on the single writer): attachments, place, route, deadlines. */
static int prepare_report(struct app *a, struct store *s, struct report_ctx *c,
                          struct gg_error *err)
{
    const struct event_input *in = c->in;
    const struct category *cat = c->cat;
    int rc = check_attachments(s, c->who, in->attachment_ids, in->n_attachments, err);
    if (rc)
        return rc;

    struct event *e = &c->out->ev;
    memset(c->out, 0, sizeof *c->out);
    e->source = in->source;
    gg_strlcpy(e->category_code, cat->code, sizeof e->category_code);
    gg_strlcpy(e->description, in->description, sizeof e->description);
    gg_strlcpy(e->address, in->address ? in->address : "", sizeof e->address);
    gg_strlcpy(e->device_id, in->device_id ? in->device_id : "", sizeof e->device_id);
    e->lat = in->lat;
    e->lon = in->lon;
    e->reporter_id = c->who->user_id;
    e->reported_at = c->now;
    e->updated_at = c->now;

    /* where: the deepest grid, or the root (the command-centre queue) outside every grid */
    e->grid_id = app_locate_id(a, s, in->lat, in->lon);
    struct org place;
    rc = e->grid_id ? app_org_cached(a, s, e->grid_id, &place) : app_root_org(s, &place);
    if (rc)
        return rc;
    gg_strlcpy(e->org_path, place.path, sizeof e->org_path);
    e->district_id = place.district_id;

    struct route_result rr;
    rc = route(a, s, cat, in->source, e, &rr);
    if (rc)
        return rc;
    if (rr.rejected)
        return gg_error_set(err, GG_EINVAL, "category_code", "%s",
                            cat->guidance[0] ? cat->guidance : "该事项不属于受理范围");
    if (rr.auto_register) {
        e->status = EVENT_STATUS_REGISTERED;
        e->registered_at = c->now;
        start_deadline(a, e, cat, c->now);
        rc = set_assignee(a, s, e, rr.assignee_org_id, err);
        if (rc)
            return rc;
        e->level = rr.level;
        if (rr.assignee_org_id) {
            c->dispatched = true;
            e->status = EVENT_STATUS_DISPATCHED;
            e->dispatched_at = c->now;
            start_accept(a, e, cat, c->now);
        }
    } else {
        /* waits for acceptance (受理): the colour runs on the acceptance deadline until then */
        e->status = EVENT_STATUS_REPORTED;
        e->level = rr.level;
        e->accept_due_at = calendar_add(&a->cal, cat->clock, c->now, cat->accept_hours);
        e->handle_due_at = e->accept_due_at;
        e->yellow_at = calendar_yellow_at(&a->cal, cat->clock, c->now, e->handle_due_at);
    }
    stat_color_mark(e, c->now); /* issue 4: the colour the counters hold */
    return 0;
}

/* The write: the event, its first timeline rows, its photos and the audit entry. */
static int report_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct report_ctx *c = p;
    const struct event_input *in = c->in;
    struct event *e = &c->out->ev;
    int rc = s->ops->event_insert(s, e);
    if (rc)
        return rc;
    enum event_status final = e->status;
    e->status = c->dispatched ? EVENT_STATUS_REGISTERED : final;
    timeline_of(&c->tl[0], e, 1, EVENT_ACTION_REPORT, c->who->user_id, c->now,
                EVENT_STATUS_REPORTED, e->grid_id, source_zh(in->source));
    e->status = final;
    c->n_tl = 1;
    if (c->dispatched)
        timeline_of(&c->tl[c->n_tl++], e, 2, EVENT_ACTION_DISPATCH, 0, c->now,
                    EVENT_STATUS_REGISTERED, e->assignee_org_id, "自动派单");
    for (int i = 0; !rc && i < c->n_tl; i++)
        rc = s->ops->timeline_insert(s, &c->tl[i]);
    for (size_t i = 0; !rc && i < in->n_attachments; i++)
        rc = s->ops->event_attach(s, e->id, in->attachment_ids[i]);
    /* issue 4: counters, live feed, messages in this same transaction */
    if (!rc)
        rc = app_event_changed(a, s, c->who, NULL, e, EVENT_ACTION_REPORT, c->now);
    if (rc)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"category\":\"%s\",\"source\":\"%s\",\"status\":\"%s\"}",
             e->category_code, source_id(e->source), event_status_id(e->status));
    return app_audit(s, c->who, c->now, "event.report", "event", e->id, detail);
}

/* The answer to an intake, from what the write itself decided (nothing is read back): the
 * duplicates were found before the write, the timeline is what report_job inserted. */
static int intake_view(struct app *a, struct store *s, struct report_ctx *c)
{
    struct event_view *v = c->out;
    view_names(a, c->now, v);
    v->timeline = calloc((size_t)c->n_tl, sizeof *v->timeline);
    if (!v->timeline)
        return -GG_ENOMEM;
    memcpy(v->timeline, c->tl, (size_t)c->n_tl * sizeof *v->timeline);
    v->n_timeline = (size_t)c->n_tl;
    if (c->in->n_attachments) {
        v->attachment_ids = calloc(c->in->n_attachments, sizeof *v->attachment_ids);
        if (!v->attachment_ids)
            return -GG_ENOMEM;
        memcpy(v->attachment_ids, c->in->attachment_ids,
               c->in->n_attachments * sizeof *v->attachment_ids);
        v->n_attachments = c->in->n_attachments;
    }
    return name_timeline(a, s, v);
}

int app_event_report(struct app *a, const struct actor *who, const struct event_input *in,
                     int64_t now, struct event_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)in->source >= SOURCE__COUNT)
        return gg_error_set(err, GG_EINVAL, "source", "未知的来源");
    if ((who->role == ROLE_RESIDENT || who->role == ROLE_MEMBER) && in->source != SOURCE_APP)
        return gg_error_set(err, GG_EFORBIDDEN, "source", "居民只能通过随手拍上报");
    if (in->source == SOURCE_PATROL && who->role != ROLE_GRID_OFFICER && who->role != ROLE_ADMIN &&
        who->role != ROLE_STAFF)
        return gg_error_set(err, GG_EFORBIDDEN, "source", "巡查上报仅限网格员");
    int rc = app_check_text(in->category_code, GG_MAX_CODE, "category_code", true, err);
    if (!rc)
        rc = app_check_text(in->description, GG_MAX_DESCRIPTION, "description", true, err);
    if (!rc)
        rc = app_check_text(in->address, GG_MAX_ADDRESS, "address", false, err);
    if (!rc)
        rc = app_check_text(in->device_id, 64, "device_id", false, err);
    if (rc)
        return rc;
    if (in->source == SOURCE_SENSOR && (!in->device_id || !*in->device_id))
        return gg_error_set(err, GG_EINVAL, "device_id", "物联感知上报需要设备编号");
    if (!geo_latlon_valid(in->lat, in->lon))
        return gg_error_set(err, GG_EINVAL, "lat", "坐标无效");
    if (in->n_attachments > MAX_ATTACHMENTS)
        return gg_error_set(err, GG_EINVAL, "attachment_ids", "最多 %d 张照片", MAX_ATTACHMENTS);
    struct category cat;
    if (app_cat_find(a, in->category_code, &cat) != 0)
        return gg_error_set(err, GG_EINVAL, "category_code", "事项分类不存在");
    if (cat.kind != CAT_KIND_EVENT)
        return gg_error_set(err, GG_EINVAL, "category_code", "该分类是服务事项，请通过点单提交");
    if (!cat.parent_code[0])
        return gg_error_set(err, GG_EINVAL, "category_code", "请选择具体的小类");
    struct store *rs = app_store_for_read(a);
    if (!rs)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    struct report_ctx c = {.who = who, .in = in, .cat = &cat, .now = now, .out = out};
    rc = prepare_report(a, rs, &c, err);
    if (!rc && (out->ev.status == EVENT_STATUS_REPORTED ||
                out->ev.status == EVENT_STATUS_REGISTERED))
        rc = find_duplicates(a, rs, &out->ev, now, &out->duplicate_ids, &out->n_duplicates);
    if (rc == -GG_ENOMEM || rc == -GG_EIO || rc == -GG_EUNAVAILABLE || rc == -GG_ENOTFOUND) {
        app_event_view_release(out);
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    }
    if (!rc)
        rc = app_write(a, report_job, &c, err);
    if (!rc)
        rc = intake_view(a, rs, &c);
    if (rc)
        app_event_view_release(out);
    return rc;
}

/* ---- reads ---- */

int app_event_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                  struct event_view *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    /* one round trip where the backend can (PostgreSQL), four reads otherwise */
    bool whole = s->ops->event_get_view != NULL;
    int rc = whole ? s->ops->event_get_view(s, id, &sc, &out->ev, &out->timeline,
                                            &out->n_timeline, &out->attachment_ids,
                                            &out->n_attachments, &out->whistles,
                                            &out->n_whistles)
                   : s->ops->event_get(s, id, &sc, &out->ev);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "事件不存在");
    if (!rc)
        rc = fill_view(a, s, now, out, whole);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取事件失败");
    return 0;
}

int app_event_list(struct app *a, const struct actor *who, struct event_filter *f,
                   struct event **items, size_t *n, int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (f->limit < 1 || f->limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    if (f->from && f->to && f->from >= f->to)
        return gg_error_set(err, GG_EINVAL, "from", "开始时间应早于结束时间");
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int want = f->limit;
    f->limit = want + 1; /* one more tells whether there is a next page */
    int rc = s->ops->event_list(s, f, &sc, items, n);
    f->limit = want;
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取事件失败");
    if (*n > (size_t)want) {
        *n = (size_t)want;
        *next_cursor = (*items)[want - 1].id;
    }
    return 0;
}

int app_event_counts(struct app *a, int64_t counts[EVENT_STATUS__COUNT])
{
    struct store *s = app_store_for_read(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    return s->ops->event_count_by_status(s, counts);
}

/* ---- actions ---- */

struct act_ctx {
    const struct actor *who;
    int64_t id;
    const struct action_input *in;
    int64_t now;
    struct event_view *out;
};

static bool covers(const struct actor *who, const char *path)
{
    return who->role == ROLE_ADMIN || (path[0] && scope_covers(who->scope_path, path));
}

/* Scope checks beyond visibility: the actor must be the one the action belongs to. */
static int check_actor(struct store *s, const struct actor *who, const struct event *e,
                       enum event_action act, struct gg_error *err)
{
    switch (act) {
    case EVENT_ACTION_RATE:
        if (e->reporter_id != who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有上报人可以评价");
        return 0;
    case EVENT_ACTION_VERIFY_OK:
    case EVENT_ACTION_VERIFY_FAIL:
        if (who->role == ROLE_RESIDENT && e->reporter_id != who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有上报人可以核查");
        if (who->role == ROLE_GRID_OFFICER && !covers(who, e->org_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只能核查本网格的事件");
        return 0;
    case EVENT_ACTION_SIGN:
    case EVENT_ACTION_RETURN:
    case EVENT_ACTION_HANDLE:
    case EVENT_ACTION_ESCALATE:
        if (who->role == ROLE_COMMAND && act == EVENT_ACTION_ESCALATE)
            return 0;
        if (!covers(who, e->assignee_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该事件不在您的办理范围内");
        return 0;
    case EVENT_ACTION_SELF_HANDLE:
        if (!covers(who, e->org_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只能自行处置本网格的事件");
        return 0;
    case EVENT_ACTION_REPORT_IN: {
        struct whistle *w = NULL;
        size_t n = 0;
        int rc = s->ops->whistle_list(s, e->id, &w, &n);
        bool mine = false;
        for (size_t i = 0; !rc && i < n; i++)
            mine = mine || covers(who, w[i].dept_path);
        free(w);
        if (rc)
            return rc;
        if (!mine)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "本部门未被吹哨");
        return 0;
    }
    default:
        /* staff act within their subtree: the event's place or its assignee */
        if (who->role == ROLE_STAFF && !covers(who, e->org_path) && !covers(who, e->assignee_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "该事件不在您的管辖范围内");
        return 0;
    }
}

/* Applies the action's effects on e beyond the state change. Returns the org the action
 * targeted (for the timeline) in *target. */
static int apply(struct app *a, struct store *s, struct act_ctx *c, struct event *e,
                 const struct category *cat, int64_t *target, struct gg_error *err)
{
    const struct action_input *in = c->in;
    int64_t now = c->now;
    int rc = 0;
    *target = 0;
    switch (in->action) {
    case EVENT_ACTION_REGISTER: {
        e->registered_at = now;
        start_deadline(a, e, cat, now);
        struct route_result rr;
        rc = route(a, s, cat, SOURCE_PATROL, e, &rr);
        if (!rc)
            rc = set_assignee(a, s, e, rr.assignee_org_id, err);
        if (rc)
            return rc;
        e->level = rr.level;
        if (rr.assignee_org_id) { /* auto-dispatch on registration */
            e->status = EVENT_STATUS_DISPATCHED;
            e->dispatched_at = now;
            start_accept(a, e, cat, now);
            *target = rr.assignee_org_id;
        }
        return 0;
    }
    case EVENT_ACTION_DISPATCH: {
        int64_t to = in->org_id;
        if (!to) {
            struct route_result rr;
            rc = route(a, s, cat, SOURCE_PATROL, e, &rr);
            if (rc)
                return rc;
            to = rr.assignee_org_id;
            if (!to)
                return gg_error_set(err, GG_EINVAL, "org_id", "无法自动派单，请指定派遣对象");
        }
        rc = set_assignee(a, s, e, to, err);
        if (rc)
            return rc;
        if (!covers(c->who, e->assignee_path))
            return gg_error_set(err, GG_EFORBIDDEN, "org_id", "只能派遣到本辖区内的单位");
        e->dispatched_at = now;
        start_accept(a, e, cat, now);
        *target = to;
        return 0;
    }
    case EVENT_ACTION_SIGN:
        e->signed_at = now;
        return 0;
    case EVENT_ACTION_RETURN:
        *target = e->assignee_org_id;
        return set_assignee(a, s, e, 0, err);
    case EVENT_ACTION_HANDLE:
        e->handled_at = now;
        return 0;
    case EVENT_ACTION_VERIFY_OK:
        e->closed_at = now;
        e->closing_level = e->level;
        return 0;
    case EVENT_ACTION_VERIFY_FAIL:
        e->handled_at = 0;
        e->dispatched_at = now;
        start_accept(a, e, cat, now);
        return 0;
    case EVENT_ACTION_ESCALATE:
    case EVENT_ACTION_AUTO_ESCALATE: {
        struct route_path rp;
        rc = route_path_of(a, s, e, &rp);
        if (rc)
            return rc;
        int64_t up = 0;
        enum level to;
        if (e->assignee_org_id == 0 || routing_escalate(e->level, &rp, &up, &to) != 0)
            return gg_error_set(err, GG_ECONFLICT, NULL, "已在最高层级，无法继续上报");
        rc = set_assignee(a, s, e, up, err);
        if (rc)
            return rc;
        e->level = to;
        e->escalation_count++;
        e->signed_at = 0;
        /* the deadline stays (a late event stays red); the level above gets a period of its
         * own before the sweep escalates it again */
        int64_t next = calendar_add(&a->cal, cat->clock, now, cat->handle_hours);
        e->escalate_at = next > e->handle_due_at ? next : e->handle_due_at;
        *target = up;
        return 0;
    }
    case EVENT_ACTION_SELF_HANDLE:
        if (!e->registered_at)
            e->registered_at = now;
        e->handled_at = now;
        e->closed_at = now;
        e->level = LEVEL_GRID;
        e->closing_level = LEVEL_GRID;
        if (e->grid_id) {
            rc = set_assignee(a, s, e, e->grid_id, err);
            e->level = LEVEL_GRID;
        }
        return rc;
    case EVENT_ACTION_SUPERVISE:
        e->supervise_count++;
        return 0;
    case EVENT_ACTION_WHISTLE: {
        if (in->n_departments == 0 || in->n_departments > 20)
            return gg_error_set(err, GG_EINVAL, "departments", "请选择 1 到 20 个部门");
        for (size_t i = 0; i < in->n_departments; i++) {
            struct org d;
            rc = s->ops->org_get(s, in->departments[i], &d);
            if (rc == -GG_ENOTFOUND || (rc == 0 && d.kind != ORG_DEPARTMENT))
                return gg_error_set(err, GG_EINVAL, "departments", "%lld 不是职能部门",
                                    (long long)in->departments[i]);
            if (rc)
                return rc;
            struct whistle w = {0};
            w.event_id = e->id;
            w.dept_org_id = d.id;
            gg_strlcpy(w.dept_path, d.path, sizeof w.dept_path);
            w.due_at = now + (int64_t)a->cfg.whistle_hours * 3600;
            rc = s->ops->whistle_insert(s, &w);
            if (rc == -GG_ECONFLICT)
                return gg_error_set(err, GG_ECONFLICT, "departments", "%s 已被吹哨", d.name);
            if (rc)
                return rc;
            *target = d.id;
        }
        return 0;
    }
    case EVENT_ACTION_REPORT_IN: {
        struct whistle *w = NULL;
        size_t n = 0;
        rc = s->ops->whistle_list(s, e->id, &w, &n);
        int done = 0;
        for (size_t i = 0; !rc && i < n; i++) {
            if (w[i].reported_at || !covers(c->who, w[i].dept_path))
                continue;
            rc = s->ops->whistle_report_in(s, e->id, w[i].dept_org_id, now);
            *target = w[i].dept_org_id;
            done++;
        }
        free(w);
        if (!rc && !done)
            return gg_error_set(err, GG_ECONFLICT, NULL, "本部门已报到");
        return rc;
    }
    case EVENT_ACTION_SUSPEND:
        e->suspended_at = now;
        return 0;
    case EVENT_ACTION_RESUME: {
        int64_t from = e->suspended_at;
        e->handle_due_at = calendar_shift_due(&a->cal, cat->clock, e->handle_due_at, from, now);
        e->yellow_at = calendar_shift_due(&a->cal, cat->clock, e->yellow_at, from, now);
        e->escalate_at = calendar_shift_due(&a->cal, cat->clock, e->escalate_at, from, now);
        if (e->accept_due_at)
            e->accept_due_at = calendar_shift_due(&a->cal, cat->clock, e->accept_due_at, from, now);
        e->suspended_secs += now > from ? now - from : 0;
        e->suspended_at = 0;
        return 0;
    }
    case EVENT_ACTION_EXTEND: {
        int h = in->extend_hours > 0 ? in->extend_hours : cat->handle_hours;
        if (h > MAX_EXTEND_HOURS)
            return gg_error_set(err, GG_EINVAL, "extend_hours", "延期不能超过 %d 小时",
                                MAX_EXTEND_HOURS);
        int64_t due = calendar_add(&a->cal, cat->clock, e->handle_due_at, h);
        e->yellow_at = calendar_yellow_extend(&a->cal, cat->clock, e->handle_due_at, e->yellow_at,
                                              due);
        e->handle_due_at = due;
        if (e->escalate_at < due)
            e->escalate_at = due;
        e->extension_hours += h;
        e->extension_count++;
        return 0;
    }
    case EVENT_ACTION_MERGE: {
        if (!in->merge_into || in->merge_into == e->id)
            return gg_error_set(err, GG_EINVAL, "merge_into", "请指定要合并到的事件");
        struct store_scope sc;
        app_scope_of(c->who, &sc);
        struct event into;
        rc = s->ops->event_get(s, in->merge_into, &sc, &into);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "merge_into", "要合并到的事件不存在");
        if (rc)
            return rc;
        if (!event_status_open(into.status))
            return gg_error_set(err, GG_EINVAL, "merge_into", "只能合并到未办结的事件");
        e->merged_into = into.id;
        e->closed_at = now;
        *target = 0;
        return 0;
    }
    case EVENT_ACTION_REJECT:
        e->closed_at = now;
        return 0;
    case EVENT_ACTION_RATE:
        if (in->rating <= RATING_NONE || in->rating >= RATING__COUNT)
            return gg_error_set(err, GG_EINVAL, "rating", "请选择满意、基本满意或不满意");
        e->rating = in->rating;
        gg_strlcpy(e->rating_comment, in->note ? in->note : "", sizeof e->rating_comment);
        return 0;
    default:
        return gg_error_set(err, GG_EINVAL, "action", "未知的操作");
    }
}

static int act_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct act_ctx *c = p;
    const struct action_input *in = c->in;
    struct event_view *v = c->out;
    memset(v, 0, sizeof *v);
    struct event *e = &v->ev;
    struct store_scope sc;
    app_scope_of(c->who, &sc);
    int rc = s->ops->event_get(s, c->id, c->who->user_id ? &sc : NULL, e);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "事件不存在");
    if (rc)
        return rc;
    if (in->expected_version && in->expected_version != e->version)
        return gg_error_set(err, GG_ECONFLICT, "expected_version", "事件已被他人更新，请刷新后重试");
    /* issue 3: several servers sweep one database. The event is read here inside the write
     * transaction (after every earlier write committed), so a sweep that read the overdue
     * list before another server's sweep escalated the event sees that it is no longer due
     * and leaves it: each overdue period is escalated exactly once. */
    if (in->action == EVENT_ACTION_AUTO_ESCALATE &&
        (e->escalate_at > c->now || e->suspended || e->level >= LEVEL_DISTRICT))
        return gg_error_set(err, GG_ECONFLICT, "action", "事件已不再超期");
    rc = check_actor(s, c->who, e, in->action, err);
    if (rc)
        return rc;
    struct wf_transition tr;
    if (workflow_transition(e->status, e->suspended, e->rating != RATING_NONE, in->action, &tr))
        return gg_error_set(err, GG_ECONFLICT, "action", "事件当前状态（%s%s）不允许“%s”",
                            event_status_zh(e->status), e->suspended ? "，已挂账" : "",
                            event_action_zh(in->action));
    struct category cat;
    if (app_cat_find(a, e->category_code, &cat) != 0)
        return gg_error_set(err, GG_EINTERNAL, NULL, "事件分类已不存在");

    struct event before = *e; /* issue 4: counters move by facts(after) - facts(before) */
    enum event_status from = e->status;
    e->status = tr.to;
    if (tr.set_suspended)
        e->suspended = true;
    if (tr.clear_suspended)
        e->suspended = false;
    if (tr.rework)
        e->rework_count++;
    int64_t target = 0;
    rc = apply(a, s, c, e, &cat, &target, err);
    if (rc)
        return rc;
    stat_color_mark(e, c->now); /* issue 4: the colour the counters hold */
    e->version++;
    e->updated_at = c->now;
    rc = s->ops->event_update(s, e);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, NULL, "事件已被他人更新，请刷新后重试");
    int seq = 0;
    if (!rc)
        rc = next_seq(s, e->id, &seq);
    if (!rc) {
        /* registration with auto-dispatch reads as two steps in the timeline */
        bool auto_dispatch = in->action == EVENT_ACTION_REGISTER && e->status == EVENT_STATUS_DISPATCHED;
        enum event_status final = e->status;
        if (auto_dispatch)
            e->status = EVENT_STATUS_REGISTERED;
        rc = add_timeline(s, e, seq, in->action, c->who->user_id, c->now, from,
                          auto_dispatch ? 0 : target, in->note);
        e->status = final;
        if (!rc && auto_dispatch)
            rc = add_timeline(s, e, seq + 1, EVENT_ACTION_DISPATCH, 0, c->now,
                              EVENT_STATUS_REGISTERED, target, "自动派单");
    }
    /* issue 4: counters, live feed, messages in this same transaction */
    if (!rc)
        rc = app_event_changed(a, s, c->who->user_id ? c->who : NULL, &before, e, in->action,
                               c->now);
    if (!rc) /* issue 6: a resident's report just closed pays the 啄木鸟 clue reward */
        rc = app_points_event_closed(a, s, &before, e, c->now);
    if (rc)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"action\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"}",
             event_action_id(in->action), event_status_id(from), event_status_id(e->status));
    char name[64];
    snprintf(name, sizeof name, "event.%s", event_action_id(in->action));
    return app_audit(s, c->who->user_id ? c->who : NULL, c->now, name, "event", e->id, detail);
}

int app_event_act(struct app *a, const struct actor *who, int64_t id, const struct action_input *in,
                  int64_t now, struct event_view *out, struct gg_error *err)
{
    struct event_view none; /* out == NULL: the caller wants no view (the sweep) */
    if (!out)
        out = &none;
    bool want_view = out != &none;
    memset(out, 0, sizeof *out);
    if ((unsigned)in->action >= EVENT_ACTION__CLIENT_COUNT && who->user_id)
        return gg_error_set(err, GG_EINVAL, "action", "未知的操作");
    if (who->user_id && !workflow_role_may(who->role, in->action))
        return gg_error_set(err, GG_EFORBIDDEN, "action", "%s无权执行“%s”", role_zh(who->role),
                            event_action_zh(in->action));
    int rc = app_check_text(in->note, GG_MAX_NOTE, "note", false, err);
    if (rc)
        return rc;
    struct act_ctx c = {who, id, in, now, out};
    rc = app_write(a, act_job, &c, err);
    if (!rc && want_view)
        rc = fill_view(a, app_store_for_read(a), now, out, false);
    if (rc || !want_view)
        app_event_view_release(out);
    return rc;
}

/* ---- the overdue sweep ---- */

int app_sweep(struct app *a, int64_t now, int *escalated, struct gg_error *err)
{
    *escalated = 0;
    /* issue 4: colour marks first (yellow warnings, colour counters), then escalations */
    int changed = 0, warned = 0;
    if (app_stats_recolor(a, now, &changed, &warned, err) == 0 && warned > 0)
        gg_info("sweep: %d events turned yellow (warned)", warned);
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = s->ops->event_overdue(s, now, SWEEP_BATCH, &ids, &n);
    if (rc) {
        free(ids);
        return gg_error_set(err, -rc, NULL, "读取超期事件失败");
    }
    struct actor sys;
    app_system_actor(a, &sys);
    for (size_t i = 0; i < n; i++) {
        struct action_input in = {.action = EVENT_ACTION_AUTO_ESCALATE, .note = "超期自动上报"};
        struct gg_error e2 = {0};
        rc = app_event_act(a, &sys, ids[i], &in, now, NULL, &e2);
        if (rc == 0)
            (*escalated)++;
        else if (rc != -GG_ECONFLICT && rc != -GG_ENOTFOUND)
            gg_warn("sweep: event %lld: %s", (long long)ids[i], e2.message);
    }
    free(ids);
    return 0;
}

static void *sweep_main(void *arg)
{
    struct app *a = arg;
    pthread_mutex_lock(&a->smu);
    while (!a->sweep_stopping) {
        pthread_mutex_unlock(&a->smu);
        int n = 0;
        struct gg_error err = {0};
        if (app_sweep(a, gg_time_now(), &n, &err) == 0 && n > 0)
            gg_info("sweep: %d overdue events escalated", n);
        /* issue 6: overdue key-task milestones message their leader once */
        if (app_task_sweep(a, gg_time_now(), &n, &err) == 0 && n > 0)
            gg_info("sweep: %d overdue task milestones reported", n);
        pthread_mutex_lock(&a->smu);
        if (a->sweep_stopping)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += a->cfg.sweep_interval_secs > 0 ? a->cfg.sweep_interval_secs : 60;
        pthread_cond_timedwait(&a->scond, &a->smu, &ts);
    }
    pthread_mutex_unlock(&a->smu);
    return NULL;
}

void app_sweep_start(struct app *a)
{
    if (!a->cfg.sweep || a->sweep_started)
        return;
    if (pthread_create(&a->sweep_thread, NULL, sweep_main, a) == 0)
        a->sweep_started = true;
    else
        gg_warn("could not start the overdue sweep");
}

void app_sweep_stop(struct app *a)
{
    if (!a->sweep_started)
        return;
    pthread_mutex_lock(&a->smu);
    a->sweep_stopping = true;
    pthread_cond_broadcast(&a->scond);
    pthread_mutex_unlock(&a->smu);
    pthread_join(a->sweep_thread, NULL);
    a->sweep_started = false;
}
