/* topics.c - issue 6: deliberation and disclosure (议事协商, 三会一评, 四议两公开; DESIGN
 * section 9): proposing a topic, acting on it (support, accept, reject, withdraw, meet, vote,
 * close_vote, publish, progress, complete, evaluate), reading and listing topics, and
 * publishing and reading disclosures (公开栏). Each write is one job on the single writer:
 * the topic row (version-guarded), its per-user row where there is one, a timeline step and an
 * audit entry, all or nothing.
 *
 * Not here: the state machine and who may ever act (core/topic.c), SQL and the place rule
 * (store), JSON (http/h_topics.c). */
#include "app/internal.h"

#include "base/buf.h"
#include "base/utf8.h"
#include "core/scope.h"
#include "core/topic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int db_error(int rc, struct gg_error *err)
{
    if (rc == -GG_ENOMEM)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    return gg_error_set(err, rc, NULL, "数据库暂不可用");
}

static bool is_resident(enum role r)
{
    return r == ROLE_RESIDENT || r == ROLE_MEMBER;
}

/* Is the actor "of" the place at path: a resident or member whose own scope lies in it. */
static bool lives_in(const struct actor *who, const char *path)
{
    return is_resident(who->role) && scope_covers(path, who->scope_path);
}

static int64_t support_threshold(struct store *s)
{
    char *v = NULL;
    int64_t t = GG_TOPIC_THRESHOLD_DEFAULT;
    if (s->ops->setting_get(s, "topics.support_threshold", &v) == 0 && v && *v) {
        long x = strtol(v, NULL, 10);
        if (x >= 1 && x <= GG_TOPIC_THRESHOLD_MAX)
            t = x;
    }
    free(v);
    return t;
}

static int note_and_audit(struct store *s, const struct actor *who, const struct topic *t,
                          enum topic_action act, enum topic_status from, const char *note,
                          int64_t now)
{
    struct topic_note n;
    memset(&n, 0, sizeof n);
    n.topic_id = t->id;
    n.at = now;
    n.actor_id = who->user_id;
    n.action = act;
    n.from_status = from;
    n.to_status = t->status;
    if (note)
        gg_strlcpy(n.note, note, sizeof n.note);
    int rc = s->ops->topic_note_insert(s, &n);
    if (rc)
        return rc;
    char action[48], detail[160];
    snprintf(action, sizeof action, "topic.%s", topic_action_id(act));
    snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"org_id\":%lld}",
             topic_status_id(from), topic_status_id(t->status), (long long)t->org_id);
    return app_audit(s, who, now, action, "topic", t->id, detail);
}

/* ---- the view ---- */

void app_topic_view_release(struct topic_view *v)
{
    if (!v)
        return;
    free(v->notes);
    free(v->attendees);
    free(v->minutes);
    v->notes = NULL;
    v->attendees = NULL;
    v->minutes = NULL;
    v->n_notes = v->n_attendees = 0;
}

static int fill_view(struct app *a, struct store *s, const struct actor *who, struct topic_view *v)
{
    app_org_name(a, v->t.org_id, v->org_name, sizeof v->org_name);
    app_user_name(a, s, v->t.proposer_id, v->proposer_name, sizeof v->proposer_name);
    int rc = s->ops->topic_mine(s, v->t.id, who->user_id, &v->mine);
    if (!rc)
        rc = s->ops->topic_notes(s, v->t.id, &v->notes, &v->n_notes);
    if (!rc)
        rc = s->ops->topic_attendees(s, v->t.id, &v->attendees, &v->n_attendees);
    if (!rc)
        rc = s->ops->topic_minutes(s, v->t.id, &v->minutes);
    if (rc)
        app_topic_view_release(v);
    return rc;
}

static int read_view(struct app *a, const struct actor *who, int64_t id, struct topic_view *out,
                     struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->topic_get(s, id, &sc, &out->t);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "议题不存在");
    if (!rc)
        rc = fill_view(a, s, who, out);
    return rc ? db_error(rc, err) : 0;
}

int app_topic_get(struct app *a, const struct actor *who, int64_t id, struct topic_view *out,
                  struct gg_error *err)
{
    return read_view(a, who, id, out, err);
}

/* ---- propose ---- */

/* The org a topic or disclosure hangs on: exists (422), of an allowed kind (422), and the
 * actor's place: inside the subtree of staff-like roles, containing the scope of residents
 * (403). */
static int check_place(struct app *a, struct store *s, const struct actor *who, int64_t org_id,
                       bool (*kind_ok)(enum org_kind), const char *kinds_zh, struct org *o,
                       struct gg_error *err)
{
    if (org_id <= 0)
        return gg_error_set(err, GG_EINVAL, "org_id", "org_id 不能为空");
    int rc = app_org_cached(a, s, org_id, o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "org_id", "组织 %lld 不存在", (long long)org_id);
    if (rc)
        return db_error(rc, err);
    if (!kind_ok(o->kind))
        return gg_error_set(err, GG_EINVAL, "org_id", "只能在%s发布（%s 是%s）", kinds_zh, o->name,
                            org_kind_zh(o->kind));
    bool ok = is_resident(who->role) ? scope_covers(o->path, who->scope_path)
                                     : scope_covers(who->scope_path, o->path);
    if (!ok)
        return gg_error_set(err, GG_EFORBIDDEN, "org_id", "不在您所在或管辖的范围内");
    return 0;
}

struct create_job {
    const struct actor *who;
    const struct topic_input *in;
    int64_t now;
    struct topic t;
};

static int create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct create_job *j = ctx;
    struct org o;
    int rc = check_place(a, s, j->who, j->in->org_id, topic_org_kind_ok, "社区或网格", &o, err);
    if (rc)
        return rc;
    struct topic *t = &j->t;
    memset(t, 0, sizeof *t);
    t->org_id = o.id;
    gg_strlcpy(t->org_path, o.path, sizeof t->org_path);
    t->district_id = o.district_id;
    t->status = TOPIC_STATUS_PROPOSED;
    gg_strlcpy(t->title, j->in->title, sizeof t->title);
    if (j->in->body)
        gg_strlcpy(t->body, j->in->body, sizeof t->body);
    t->proposer_id = j->who->user_id;
    t->threshold = j->in->threshold ? j->in->threshold : support_threshold(s);
    t->created_at = t->updated_at = j->now;
    rc = s->ops->topic_insert(s, t);
    if (!rc)
        rc = note_and_audit(s, j->who, t, TOPIC_ACTION_PROPOSE, TOPIC_STATUS_PROPOSED, NULL,
                            j->now);
    return rc ? db_error(rc, err) : 0;
}

int app_topic_create(struct app *a, const struct actor *who, const struct topic_input *in,
                     int64_t now, struct topic_view *out, struct gg_error *err)
{
    if (!topic_role_may(who->role, TOPIC_ACTION_PROPOSE))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能提出议题", role_zh(who->role));
    int rc = app_check_text(in->title, GG_MAX_TITLE, "title", true, err);
    if (!rc)
        rc = app_check_text(in->body, GG_MAX_TOPIC_BODY, "body", false, err);
    if (rc)
        return rc;
    if (in->threshold) {
        if (who->role != ROLE_ADMIN && who->role != ROLE_STAFF)
            return gg_error_set(err, GG_EFORBIDDEN, "threshold", "只有工作人员可以设定附议门槛");
        if (in->threshold < 1 || in->threshold > GG_TOPIC_THRESHOLD_MAX)
            return gg_error_set(err, GG_EINVAL, "threshold", "附议门槛应为 1 到 %d",
                                GG_TOPIC_THRESHOLD_MAX);
    }
    struct create_job j = {.who = who, .in = in, .now = now};
    rc = app_write(a, create_job, &j, err);
    if (rc || !out)
        return rc;
    return read_view(a, who, j.t.id, out, err);
}

/* ---- actions ---- */

struct act_job {
    const struct actor *who;
    const struct topic_act_input *in;
    int64_t id, now;
    struct topic t;
};

static int check_attendees(struct store *s, const struct topic *t,
                           const struct topic_act_input *in, struct gg_error *err)
{
    if (in->n_attendees == 0 || in->n_attendees > GG_MAX_ATTENDEES)
        return gg_error_set(err, GG_EINVAL, "attendees", "参会人员应为 1 到 %d 人",
                            GG_MAX_ATTENDEES);
    for (size_t i = 0; i < in->n_attendees; i++) {
        for (size_t k = 0; k < i; k++)
            if (in->attendees[k] == in->attendees[i])
                return gg_error_set(err, GG_EINVAL, "attendees", "参会人员 %lld 重复",
                                    (long long)in->attendees[i]);
        struct user u;
        int rc = s->ops->user_get(s, in->attendees[i], &u);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "attendees", "用户 %lld 不存在",
                                (long long)in->attendees[i]);
        if (rc)
            return db_error(rc, err);
        /* an attendee belongs to the place: lives or works in it, or above it */
        if (!scope_covers(t->org_path, u.scope_path) && !scope_covers(u.scope_path, t->org_path))
            return gg_error_set(err, GG_EINVAL, "attendees", "用户 %s 不属于本议题所在的社区或网格",
                                u.username);
    }
    return 0;
}

/* The per-actor rules of an allowed action, and its effect on the topic (before the update). */
static int apply(struct store *s, struct act_job *j, enum topic_status to, struct gg_error *err)
{
    const struct actor *who = j->who;
    const struct topic_act_input *in = j->in;
    struct topic *t = &j->t;
    int rc = 0;
    switch ((enum topic_action)in->action) {
    case TOPIC_ACTION_SUPPORT:
        if (!lives_in(who, t->org_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有本社区/网格的居民可以附议");
        if (t->proposer_id == who->user_id)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "不能附议自己的提议");
        rc = s->ops->topic_support_add(s, t->id, who->user_id, j->now);
        if (rc == -GG_ECONFLICT)
            return gg_error_set(err, GG_ECONFLICT, NULL, "您已附议过该议题");
        t->supports++;
        break;
    case TOPIC_ACTION_WITHDRAW:
        if (t->proposer_id != who->user_id && who->role != ROLE_ADMIN)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有提议人可以撤回");
        break;
    case TOPIC_ACTION_MEET:
        rc = app_check_text(in->minutes, GG_MAX_MINUTES, "minutes", true, err);
        if (!rc)
            rc = app_check_text(in->place, GG_MAX_NAME, "place", false, err);
        if (!rc)
            rc = check_attendees(s, t, in, err);
        if (rc)
            return rc;
        rc = s->ops->topic_meeting_set(s, t->id, in->minutes, in->attendees, in->n_attendees);
        t->n_attendees = (int64_t)in->n_attendees;
        t->meeting_at = in->meeting_at ? in->meeting_at : j->now;
        if (in->place)
            gg_strlcpy(t->meeting_place, in->place, sizeof t->meeting_place);
        break;
    case TOPIC_ACTION_VOTE: {
        if (in->choice < 0 || in->choice >= VOTE__COUNT)
            return gg_error_set(err, GG_EINVAL, "choice", "choice 应为 for、against 或 abstain");
        struct topic_mine m;
        rc = s->ops->topic_mine(s, t->id, who->user_id, &m);
        if (rc)
            break;
        if (!m.attendee)
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有参会人员可以表决");
        rc = s->ops->topic_vote_add(s, t->id, who->user_id, (enum vote_choice)in->choice, j->now);
        if (rc == -GG_ECONFLICT)
            return gg_error_set(err, GG_ECONFLICT, NULL, "您已表决过该议题");
        if (in->choice == VOTE_FOR)
            t->votes_for++;
        else if (in->choice == VOTE_AGAINST)
            t->votes_against++;
        else
            t->votes_abstain++;
        break;
    }
    case TOPIC_ACTION_PUBLISH:
        t->published_at = j->now;
        break;
    case TOPIC_ACTION_PROGRESS:
        if (!in->note || !*in->note)
            return gg_error_set(err, GG_EINVAL, "note", "请填写实施进展");
        break;
    case TOPIC_ACTION_EVALUATE:
        if (!lives_in(who, t->org_path))
            return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有本社区/网格的居民可以评议");
        if (!topic_rating_valid(in->rating))
            return gg_error_set(err, GG_EINVAL, "rating", "评分应为 1 到 5");
        rc = s->ops->topic_rating_add(s, t->id, who->user_id, (int)in->rating, in->note, j->now);
        if (rc == -GG_ECONFLICT)
            return gg_error_set(err, GG_ECONFLICT, NULL, "您已评议过该议题");
        t->ratings++;
        t->rating_sum += in->rating;
        break;
    default:
        break;
    }
    if (rc)
        return db_error(rc, err);
    t->status = to;
    return 0;
}

static int act_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct act_job *j = ctx;
    struct store_scope sc;
    app_scope_of(j->who, &sc);
    struct topic *t = &j->t;
    int rc = s->ops->topic_get(s, j->id, &sc, t);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "议题不存在");
    if (rc)
        return db_error(rc, err);
    enum topic_action act = (enum topic_action)j->in->action;
    enum topic_status from = t->status, to;
    /* the guards need what the action would make of the counts */
    int64_t supports_after = t->supports + (act == TOPIC_ACTION_SUPPORT);
    bool passes = topic_vote_passes(t->votes_for, t->n_attendees);
    if (topic_transition(from, act, supports_after, t->threshold, passes, &to))
        return gg_error_set(err, GG_ECONFLICT, "action", "议题当前状态为“%s”，不能%s",
                            topic_status_zh(from), topic_action_zh(act));
    rc = apply(s, j, to, err);
    if (rc)
        return rc;
    char note[GG_NOTE_SZ];
    const char *text = j->in->note;
    if (act == TOPIC_ACTION_CLOSE_VOTE) {
        snprintf(note, sizeof note, "应到 %lld 人，赞成 %lld，反对 %lld，弃权 %lld：%s%s%s",
                 (long long)t->n_attendees, (long long)t->votes_for, (long long)t->votes_against,
                 (long long)t->votes_abstain, passes ? "通过" : "未通过",
                 text && *text ? "。" : "", text ? text : "");
        text = note;
    }
    t->version++;
    t->updated_at = j->now;
    rc = s->ops->topic_update(s, t);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "version", "议题已被他人修改，请重试");
    if (!rc)
        rc = note_and_audit(s, j->who, t, act, from, text, j->now);
    return rc ? db_error(rc, err) : 0;
}

int app_topic_act(struct app *a, const struct actor *who, int64_t id,
                  const struct topic_act_input *in, int64_t now, struct topic_view *out,
                  struct gg_error *err)
{
    if (in->action < 0 || in->action >= TOPIC_ACTION_PROPOSE)
        return gg_error_set(err, GG_EINVAL, "action", "未知的议题操作");
    if (!topic_role_may(who->role, (enum topic_action)in->action))
        return gg_error_set(err, GG_EFORBIDDEN, "action", "%s无权执行“%s”", role_zh(who->role),
                            topic_action_zh((enum topic_action)in->action));
    int rc = app_check_text(in->note, GG_MAX_NOTE, "note", false, err);
    if (rc)
        return rc;
    struct act_job j = {.who = who, .in = in, .id = id, .now = now};
    rc = app_write(a, act_job, &j, err);
    if (rc || !out)
        return rc;
    return read_view(a, who, id, out, err);
}

/* An org_id filter as a path ("" = none); an unknown org is 422. The store intersects it with
 * the caller's place, so a path outside it simply lists nothing. */
static int filter_path(struct app *a, int64_t org_id, char path[GG_PATH_SZ], struct gg_error *err)
{
    path[0] = '\0';
    if (!org_id)
        return 0;
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct org o;
    int rc = app_org_cached(a, s, org_id, &o);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "org_id", "组织 %lld 不存在", (long long)org_id);
    if (rc)
        return db_error(rc, err);
    gg_strlcpy(path, o.path, GG_PATH_SZ);
    return 0;
}

int app_topic_list(struct app *a, const struct actor *who, const struct topic_query *q,
                   struct topic **items, size_t *n, int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    struct topic_filter f;
    memset(&f, 0, sizeof f);
    int rc = filter_path(a, q->org_id, f.org_path, err);
    if (rc)
        return rc;
    f.status = q->status;
    f.board = q->board;
    f.proposer_id = q->mine ? who->user_id : 0;
    f.before_id = q->before_id;
    int limit = q->limit > 0 ? q->limit : 50;
    f.limit = limit + 1;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    rc = s->ops->topic_list(s, &f, &sc, items, n);
    if (rc)
        return db_error(rc, err);
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}

/* ---- disclosures ---- */

struct disc_job {
    const struct actor *who;
    const struct disclosure_input *in;
    const struct disclosure_item *items;
    int64_t now;
    struct disclosure d;
};

static int disc_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct disc_job *j = ctx;
    struct org o;
    int rc = check_place(a, s, j->who, j->in->org_id, disclosure_org_kind_ok, "街道、社区或网格",
                         &o, err);
    if (rc)
        return rc;
    j->d.org_id = o.id;
    gg_strlcpy(j->d.org_path, o.path, sizeof j->d.org_path);
    j->d.district_id = o.district_id;
    j->d.author_id = j->who->user_id;
    j->d.published_at = j->now;
    rc = s->ops->disclosure_insert(s, &j->d, j->items, j->in->n_items);
    if (rc)
        return db_error(rc, err);
    char detail[200];
    snprintf(detail, sizeof detail, "{\"kind\":\"%s\",\"period\":\"%s\",\"total_fen\":%lld}",
             disclosure_kind_id(j->d.kind), j->d.period, (long long)j->d.total_fen);
    return app_audit(s, j->who, j->now, "disclosure.publish", "disclosure", j->d.id, detail);
}

int app_disclosure_create(struct app *a, const struct actor *who,
                          const struct disclosure_input *in, int64_t now, struct disclosure *out,
                          struct gg_error *err)
{
    if (who->role != ROLE_ADMIN && who->role != ROLE_STAFF)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s不能发布公开信息", role_zh(who->role));
    if (in->kind < 0 || in->kind >= DISCLOSURE_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "kind 无效");
    int rc = app_check_text(in->title, GG_MAX_TITLE, "title", true, err);
    if (!rc)
        rc = app_check_text(in->body, GG_MAX_TOPIC_BODY, "body", false, err);
    if (rc)
        return rc;
    if (!in->period || !disclosure_period_valid(in->period, strlen(in->period)))
        return gg_error_set(err, GG_EINVAL, "period", "期间应为 2026、2026-03 或 2026-Q1 的形式");
    if (in->n_items == 0 || in->n_items > GG_MAX_DISCLOSURE_ITEMS)
        return gg_error_set(err, GG_EINVAL, "items", "公开明细应为 1 到 %d 项",
                            GG_MAX_DISCLOSURE_ITEMS);
    struct disclosure_item *items = calloc(in->n_items, sizeof *items);
    if (!items)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    struct disc_job j = {.who = who, .in = in, .items = items, .now = now};
    struct disclosure *d = &j.d;
    d->kind = (enum disclosure_kind)in->kind;
    gg_strlcpy(d->title, in->title, sizeof d->title);
    if (in->body)
        gg_strlcpy(d->body, in->body, sizeof d->body);
    gg_strlcpy(d->period, in->period, sizeof d->period);
    for (size_t i = 0; i < in->n_items && !rc; i++) {
        rc = app_check_text(in->items[i].label, GG_MAX_NAME, "items", true, err);
        if (!rc && !disclosure_amount_fen(in->items[i].amount, &items[i].amount_fen))
            rc = gg_error_set(err, GG_EINVAL, "items", "第 %zu 项金额无效（元，最多两位小数）",
                              i + 1);
        if (!rc) {
            gg_strlcpy(items[i].label, in->items[i].label, sizeof items[i].label);
            d->total_fen += items[i].amount_fen;
        }
    }
    if (!rc)
        rc = app_write(a, disc_job, &j, err);
    free(items);
    if (!rc && out)
        *out = j.d;
    return rc;
}

int app_disclosure_get(struct app *a, const struct actor *who, int64_t id, struct disclosure *out,
                       struct disclosure_item **items, size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->disclosure_get(s, id, &sc, out);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "公开信息不存在");
    if (!rc)
        rc = s->ops->disclosure_items(s, id, items, n);
    return rc ? db_error(rc, err) : 0;
}

int app_disclosure_list(struct app *a, const struct actor *who, const struct disclosure_query *q,
                        struct disclosure **items, size_t *n, int64_t *next_cursor,
                        struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    struct disclosure_filter f;
    memset(&f, 0, sizeof f);
    int rc = filter_path(a, q->org_id, f.org_path, err);
    if (rc)
        return rc;
    f.kind = q->kind;
    if (q->period && *q->period) {
        if (!disclosure_period_valid(q->period, strlen(q->period)))
            return gg_error_set(err, GG_EINVAL, "period", "期间应为 2026、2026-03 或 2026-Q1 的形式");
        gg_strlcpy(f.period, q->period, sizeof f.period);
    }
    f.before_id = q->before_id;
    int limit = q->limit > 0 ? q->limit : 50;
    f.limit = limit + 1;
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    rc = s->ops->disclosure_list(s, &f, &sc, items, n);
    if (rc)
        return db_error(rc, err);
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}
