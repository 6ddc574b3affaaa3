/* tasks.c - issue 6: key tasks and projects (重点任务, 民生实事): owner unit, responsible leader
 * (领题), milestones with due and done dates, monthly progress reports, budget and spend, the
 * blue/yellow/red colour computed on every read (core/task.h), and the sweep that messages a
 * leader once for each milestone that went overdue.
 *
 * Each write is one transaction with its audit entry; reads are scoped in SQL. Not here: the
 * colour rule (core/task.c), SQL (store/sqlite/sqlite_party.c). */
#include "app/internal.h"

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "core/party.h"
#include "core/people.h"
#include "core/scope.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SETTING_WARN_DAYS "task.warn_days"
#define SWEEP_BATCH 500

static int db_error(int rc, struct gg_error *err)
{
    if (rc == -GG_ENOMEM)
        return gg_error_set(err, rc, NULL, "内存不足");
    return gg_error_set(err, rc, NULL, "数据库暂不可用");
}

static int64_t today_of(int64_t now)
{
    return now >= 0 ? now / 86400 : (now - 86399) / 86400;
}

void app_task_view_release(struct task_view *v)
{
    if (!v)
        return;
    free(v->milestones);
    free(v->reports);
    v->milestones = NULL;
    v->reports = NULL;
    v->n_milestones = v->n_reports = 0;
}

void app_task_color_rule(struct store *s, struct task_color_rule *r)
{
    task_color_rule_default(r);
    char *v = NULL;
    if (s->ops->setting_get(s, SETTING_WARN_DAYS, &v) == 0 && v && *v) {
        char *end;
        long d = strtol(v, &end, 10);
        if (!*end && d >= 0 && d <= 365)
            r->warn_days = (int)d;
    }
    free(v);
}

/* Fills a view of t: milestones (and reports when with_reports), colour, names. */
static int view_of(struct app *a, struct store *s, const struct task *t, bool with_reports,
                   int64_t now, struct task_view *v)
{
    memset(v, 0, sizeof *v);
    v->t = *t;
    int rc = s->ops->milestone_list(s, t->id, &v->milestones, &v->n_milestones);
    if (!rc && with_reports)
        rc = s->ops->task_report_list(s, t->id, &v->reports, &v->n_reports);
    if (rc) {
        app_task_view_release(v);
        return rc;
    }
    struct task_milestone_fact facts[TASK_MAX_MILESTONES];
    size_t nf = 0;
    for (size_t i = 0; i < v->n_milestones && nf < TASK_MAX_MILESTONES; i++) {
        facts[nf].due_days = v->milestones[i].due_days;
        facts[nf].done = v->milestones[i].done_days != TASK_NOT_DONE;
        nf++;
    }
    struct task_color_rule rule;
    app_task_color_rule(s, &rule);
    struct task_color_input in = {facts, nf, t->budget, t->spend, t->latest_percent};
    v->color = task_color_of(&in, &rule, today_of(now), v->color_reason, sizeof v->color_reason);
    app_org_name(a, t->org_id, v->org_name, sizeof v->org_name);
    app_user_name(a, s, t->leader_user_id, v->leader_name, sizeof v->leader_name);
    return 0;
}

static int check_leader(struct store *s, int64_t id, struct gg_error *err)
{
    struct user u;
    int rc = s->ops->user_get(s, id, &u);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "leader_user_id", "用户 %lld 不存在", (long long)id);
    if (rc)
        return db_error(rc, err);
    if (u.disabled || !(u.role == ROLE_LEADER || u.role == ROLE_STAFF || u.role == ROLE_COMMAND ||
                        u.role == ROLE_ADMIN))
        return gg_error_set(err, GG_EINVAL, "leader_user_id", "%s 不能领题（须为领导、指挥中心或工作人员）",
                            role_zh(u.role));
    return 0;
}

static int check_milestone(const struct milestone_input *m, int64_t *due, struct gg_error *err)
{
    int rc = app_check_text(m->title, GG_MAX_TASK_TITLE, "milestones.title", true, err);
    if (rc)
        return rc;
    if (!m->due_on || !date_parse(m->due_on, due))
        return gg_error_set(err, GG_EINVAL, "milestones.due_on", "节点到期日应为 YYYY-MM-DD");
    return 0;
}

/* The task for a write: visible (404), and the actor may change it: admin and staff inside
 * their subtree, the leader for `leader_ok` writes (403). */
static int task_for_write(struct store *s, const struct actor *who, int64_t id, bool leader_ok,
                          struct task *t, struct gg_error *err)
{
    struct store_scope sc;
    app_scope_of(who, &sc);
    int rc = s->ops->task_get(s, id, &sc, t);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "任务不存在");
    if (rc)
        return db_error(rc, err);
    if (task_may_write(who->role) && scope_covers(who->scope_path, t->org_path))
        return 0;
    if (leader_ok && t->leader_user_id == who->user_id)
        return 0;
    return gg_error_set(err, GG_EFORBIDDEN, NULL, "无权修改该任务");
}

struct task_job {
    const struct actor *who;
    const struct task_input *in;
    const struct milestone_input *ms;
    const char *done_on;
    const char *note;
    int64_t id;
    int month, percent;
    int64_t spend;
    int64_t now;
    struct task t;
    struct task_view v;
    bool want_view;
};

static int apply(struct store *s, const struct actor *who, const struct task_input *in,
                 bool create, struct task *t, struct gg_error *err)
{
    int rc;
    if (create || in->title) {
        rc = app_check_text(in->title, GG_MAX_TASK_TITLE, "title", true, err);
        if (rc)
            return rc;
        gg_strlcpy(t->title, in->title, sizeof t->title);
    }
    if (in->description) {
        rc = app_check_text(in->description, GG_MAX_DESCRIPTION, "description", false, err);
        if (rc)
            return rc;
        gg_strlcpy(t->description, in->description, sizeof t->description);
    }
    if (in->kind >= 0) {
        if (in->kind >= TASK_KIND__COUNT)
            return gg_error_set(err, GG_EINVAL, "kind", "任务类型无效");
        t->kind = (enum task_kind)in->kind;
    }
    if (create || in->org_id) {
        if (in->org_id <= 0)
            return gg_error_set(err, GG_EINVAL, "org_id", "责任单位 org_id 不能为空");
        struct org o;
        rc = s->ops->org_get(s, in->org_id, &o);
        if (rc == -GG_ENOTFOUND)
            return gg_error_set(err, GG_EINVAL, "org_id", "组织 %lld 不存在", (long long)in->org_id);
        if (rc)
            return db_error(rc, err);
        if (!scope_covers(who->scope_path, o.path))
            return gg_error_set(err, GG_EFORBIDDEN, "org_id", "责任单位不在管辖范围内");
        t->org_id = o.id;
        gg_strlcpy(t->org_path, o.path, sizeof t->org_path);
        t->district_id = o.district_id;
    }
    if (create || in->leader_user_id) {
        if (in->leader_user_id <= 0)
            return gg_error_set(err, GG_EINVAL, "leader_user_id", "领题领导 leader_user_id 不能为空");
        rc = check_leader(s, in->leader_user_id, err);
        if (rc)
            return rc;
        t->leader_user_id = in->leader_user_id;
    }
    if (in->budget >= 0) {
        if (in->budget > TASK_MAX_BUDGET_FEN)
            return gg_error_set(err, GG_EINVAL, "budget", "预算超出范围");
        t->budget = in->budget;
    }
    if (in->spend >= 0) {
        if (in->spend > TASK_MAX_BUDGET_FEN)
            return gg_error_set(err, GG_EINVAL, "spend", "支出超出范围");
        t->spend = in->spend;
    }
    return 0;
}

static int finish_view(struct app *a, struct store *s, struct task_job *j)
{
    if (!j->want_view)
        return 0;
    struct task fresh;
    int rc = s->ops->task_get(s, j->t.id, NULL, &fresh);
    if (!rc)
        rc = view_of(a, s, &fresh, true, j->now, &j->v);
    return rc;
}

static int task_create_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct task_job *j = ctx;
    const struct task_input *in = j->in;
    struct task *t = &j->t;
    memset(t, 0, sizeof *t);
    t->latest_percent = -1;
    int rc = apply(s, j->who, in, true, t, err);
    if (rc)
        return rc;
    if (in->n_milestones > TASK_MAX_MILESTONES)
        return gg_error_set(err, GG_EINVAL, "milestones", "一个任务最多 %d 个节点", TASK_MAX_MILESTONES);
    int64_t due[TASK_MAX_MILESTONES];
    for (size_t i = 0; i < in->n_milestones; i++) {
        rc = check_milestone(&in->milestones[i], &due[i], err);
        if (rc)
            return rc;
    }
    t->created_by = j->who->user_id;
    t->created_at = t->updated_at = j->now;
    rc = s->ops->task_insert(s, t);
    if (rc)
        return db_error(rc, err);
    for (size_t i = 0; i < in->n_milestones; i++) {
        struct task_milestone m;
        memset(&m, 0, sizeof m);
        m.task_id = t->id;
        gg_strlcpy(m.title, in->milestones[i].title, sizeof m.title);
        m.due_days = due[i];
        m.done_days = TASK_NOT_DONE;
        rc = s->ops->milestone_insert(s, &m);
        if (rc)
            return db_error(rc, err);
    }
    char detail[200];
    snprintf(detail, sizeof detail,
             "{\"org_id\":%lld,\"leader_user_id\":%lld,\"milestones\":%zu,\"budget\":%lld}",
             (long long)t->org_id, (long long)t->leader_user_id, in->n_milestones,
             (long long)t->budget);
    rc = app_audit(s, j->who, j->now, "task.create", "task", t->id, detail);
    if (!rc)
        rc = finish_view(a, s, j);
    return rc;
}

static int run(struct app *a, write_fn fn, struct task_job *j, struct task_view *out,
               struct gg_error *err)
{
    j->want_view = out != NULL;
    int rc = app_write(a, fn, j, err);
    if (!rc && out)
        *out = j->v;
    else
        app_task_view_release(&j->v);
    return rc;
}

int app_task_create(struct app *a, const struct actor *who, const struct task_input *in,
                    int64_t now, struct task_view *out, struct gg_error *err)
{
    if (!task_may_write(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能创建重点任务", role_zh(who->role));
    struct task_job j = {.who = who, .in = in, .now = now};
    return run(a, task_create_job, &j, out, err);
}

static int task_update_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct task_job *j = ctx;
    struct task *t = &j->t;
    int rc = task_for_write(s, j->who, j->id, false, t, err);
    if (rc)
        return rc;
    if (j->in->version && j->in->version != t->version)
        return gg_error_set(err, GG_ECONFLICT, "version", "记录已被他人修改（版本 %lld，当前 %lld）",
                            (long long)j->in->version, (long long)t->version);
    if (j->in->n_milestones)
        return gg_error_set(err, GG_EINVAL, "milestones", "请用 POST /tasks/{id}/milestones 添加节点");
    rc = apply(s, j->who, j->in, false, t, err);
    if (rc)
        return rc;
    t->version++;
    t->updated_at = j->now;
    rc = s->ops->task_update(s, t);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, rc, "version", "记录已被他人修改");
    if (rc)
        return db_error(rc, err);
    char detail[160];
    snprintf(detail, sizeof detail, "{\"budget\":%lld,\"spend\":%lld,\"leader_user_id\":%lld}",
             (long long)t->budget, (long long)t->spend, (long long)t->leader_user_id);
    rc = app_audit(s, j->who, j->now, "task.update", "task", t->id, detail);
    if (!rc)
        rc = finish_view(a, s, j);
    return rc;
}

int app_task_update(struct app *a, const struct actor *who, int64_t id,
                    const struct task_input *in, int64_t now, struct task_view *out,
                    struct gg_error *err)
{
    if (!task_may_write(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能修改重点任务", role_zh(who->role));
    struct task_job j = {.who = who, .in = in, .id = id, .now = now};
    return run(a, task_update_job, &j, out, err);
}

int app_task_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                 struct task_view *out, struct gg_error *err)
{
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    struct task t;
    int rc = s->ops->task_get(s, id, &sc, &t);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "任务不存在");
    if (!rc)
        rc = view_of(a, s, &t, true, now, out);
    return rc ? db_error(rc, err) : 0;
}

int app_task_list(struct app *a, const struct actor *who, int64_t org_id, int64_t leader_id,
                  int color, int64_t after_id, int limit, int64_t now, struct task_view **items,
                  size_t *n, int64_t *next_cursor, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    if (!task_may_read(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能查看重点任务", role_zh(who->role));
    char path[GG_PATH_SZ] = "";
    if (org_id) {
        struct org o;
        int rc = app_org_get(a, who, org_id, &o, NULL, NULL, err);
        if (rc)
            return rc;
        gg_strlcpy(path, o.path, sizeof path);
    }
    struct store_scope sc;
    struct store *s = app_reader_as(a, who, &sc, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int lim = limit <= 0 ? 50 : limit > 500 ? 500 : limit;
    struct task_view *out = calloc((size_t)lim, sizeof *out);
    if (!out)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    size_t cnt = 0;
    int rc = 0;
    int64_t after = after_id;
    /* a colour filter is applied after computing, so read pages until the page is full and
     * one more row shows that there is a next page */
    while (!rc && !*next_cursor) {
        struct task *ts = NULL;
        size_t nt = 0;
        rc = s->ops->task_list(s, path, leader_id, &sc, after, 200, &ts, &nt);
        if (rc) {
            rc = db_error(rc, err);
            break;
        }
        for (size_t i = 0; !rc && i < nt; i++) {
            after = ts[i].id;
            if (cnt == (size_t)lim) {
                *next_cursor = out[cnt - 1].t.id;
                break;
            }
            struct task_view v;
            rc = view_of(a, s, &ts[i], false, now, &v);
            if (rc) {
                rc = db_error(rc, err);
                break;
            }
            if (color >= 0 && (int)v.color != color) {
                app_task_view_release(&v);
                continue;
            }
            out[cnt++] = v;
        }
        free(ts);
        if (nt < 200 || *next_cursor)
            break;
    }
    if (rc) {
        for (size_t i = 0; i < cnt; i++)
            app_task_view_release(&out[i]);
        free(out);
        return rc;
    }
    *items = out;
    *n = cnt;
    return 0;
}

static int milestone_add_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct task_job *j = ctx;
    int rc = task_for_write(s, j->who, j->id, false, &j->t, err);
    if (rc)
        return rc;
    struct task_milestone m;
    memset(&m, 0, sizeof m);
    rc = check_milestone(j->ms, &m.due_days, err);
    if (rc)
        return rc;
    struct task_milestone *all = NULL;
    size_t n = 0;
    rc = s->ops->milestone_list(s, j->t.id, &all, &n);
    free(all);
    if (rc)
        return db_error(rc, err);
    if (n >= TASK_MAX_MILESTONES)
        return gg_error_set(err, GG_EINVAL, "milestones", "一个任务最多 %d 个节点", TASK_MAX_MILESTONES);
    m.task_id = j->t.id;
    gg_strlcpy(m.title, j->ms->title, sizeof m.title);
    m.done_days = TASK_NOT_DONE;
    rc = s->ops->milestone_insert(s, &m);
    if (rc)
        return db_error(rc, err);
    char detail[80];
    snprintf(detail, sizeof detail, "{\"milestone_id\":%lld}", (long long)m.id);
    rc = app_audit(s, j->who, j->now, "task.milestone_add", "task", j->t.id, detail);
    if (!rc)
        rc = finish_view(a, s, j);
    return rc;
}

int app_task_milestone_add(struct app *a, const struct actor *who, int64_t task_id,
                           const struct milestone_input *in, int64_t now, struct task_view *out,
                           struct gg_error *err)
{
    struct task_job j = {.who = who, .ms = in, .id = task_id, .now = now};
    return run(a, milestone_add_job, &j, out, err);
}

static int milestone_done_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct task_job *j = ctx;
    struct task_milestone m;
    int rc = s->ops->milestone_get(s, j->id, &m);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "节点不存在");
    if (rc)
        return db_error(rc, err);
    rc = task_for_write(s, j->who, m.task_id, true, &j->t, err);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, rc, NULL, "节点不存在");
    if (rc)
        return rc;
    int64_t done = today_of(j->now);
    if (j->done_on && !*j->done_on) {
        done = TASK_NOT_DONE;
    } else if (j->done_on && !date_parse(j->done_on, &done)) {
        return gg_error_set(err, GG_EINVAL, "done_on", "完成日期应为 YYYY-MM-DD");
    } else if (done > today_of(j->now) + 1) {
        return gg_error_set(err, GG_EINVAL, "done_on", "完成日期不能晚于今天");
    }
    if (done != TASK_NOT_DONE && m.done_days != TASK_NOT_DONE)
        return gg_error_set(err, GG_ECONFLICT, NULL, "该节点已完成");
    m.done_days = done;
    rc = s->ops->milestone_update(s, &m);
    if (rc)
        return db_error(rc, err);
    char detail[96];
    snprintf(detail, sizeof detail, "{\"milestone_id\":%lld,\"done\":%s}", (long long)m.id,
             done == TASK_NOT_DONE ? "false" : "true");
    rc = app_audit(s, j->who, j->now, "task.milestone_done", "task", m.task_id, detail);
    if (!rc)
        rc = finish_view(a, s, j);
    return rc;
}

int app_task_milestone_done(struct app *a, const struct actor *who, int64_t milestone_id,
                            const char *done_on, int64_t now, struct task_view *out,
                            struct gg_error *err)
{
    struct task_job j = {.who = who, .done_on = done_on, .id = milestone_id, .now = now};
    return run(a, milestone_done_job, &j, out, err);
}

static int report_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct task_job *j = ctx;
    int rc = task_for_write(s, j->who, j->id, true, &j->t, err);
    if (rc)
        return rc;
    if (j->percent < 0 || j->percent > 100)
        return gg_error_set(err, GG_EINVAL, "percent", "进度应为 0 到 100");
    rc = app_check_text(j->note, GG_MAX_NOTE, "note", false, err);
    if (rc)
        return rc;
    if (j->month > party_month_of_day(today_of(j->now)))
        return gg_error_set(err, GG_EINVAL, "month", "不能填报未来月份的进展");
    struct task_report r;
    memset(&r, 0, sizeof r);
    r.task_id = j->t.id;
    r.month = j->month;
    r.percent = j->percent;
    gg_strlcpy(r.note, j->note ? j->note : "", sizeof r.note);
    r.reported_by = j->who->user_id;
    r.at = j->now;
    rc = s->ops->task_report_insert(s, &r);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, rc, "month", "该月进展已填报");
    if (rc)
        return db_error(rc, err);
    if (j->spend >= 0) {
        if (j->spend > TASK_MAX_BUDGET_FEN)
            return gg_error_set(err, GG_EINVAL, "spend", "支出超出范围");
        j->t.spend = j->spend;
        j->t.version++;
        j->t.updated_at = j->now;
        rc = s->ops->task_update(s, &j->t);
        if (rc)
            return db_error(rc, err);
    }
    char m[8], detail[120];
    party_month_format(r.month, m);
    snprintf(detail, sizeof detail, "{\"month\":\"%s\",\"percent\":%d,\"spend\":%lld}", m,
             r.percent, (long long)j->t.spend);
    rc = app_audit(s, j->who, j->now, "task.report", "task", j->t.id, detail);
    if (!rc)
        rc = finish_view(a, s, j);
    return rc;
}

int app_task_report(struct app *a, const struct actor *who, int64_t task_id, int month,
                    int percent, const char *note, int64_t spend, int64_t now,
                    struct task_view *out, struct gg_error *err)
{
    struct task_job j = {.who = who, .id = task_id, .month = month, .percent = percent,
                         .note = note, .spend = spend, .now = now};
    return run(a, report_job, &j, out, err);
}

/* ---- the overdue sweep ---- */

/* copies src into dst[sz], cut at a character boundary when it does not fit */
static void utf8_copy(char *dst, size_t sz, const char *src)
{
    size_t n = gg_strlcpy(dst, src, sz);
    if (n < sz)
        return;
    size_t end = sz - 1;
    while (end > 0 && ((unsigned char)dst[end] & 0xC0) == 0x80)
        end--;
    dst[end] = '\0';
}

struct sweep_job {
    int64_t now;
    int notified;
};

static int sweep_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct sweep_job *j = ctx;
    struct task_milestone *ms = NULL;
    size_t n = 0;
    int rc = s->ops->milestone_overdue(s, today_of(j->now), SWEEP_BATCH, &ms, &n);
    if (rc)
        return db_error(rc, err);
    for (size_t i = 0; !rc && i < n; i++) {
        struct task t;
        rc = s->ops->task_get(s, ms[i].task_id, NULL, &t);
        if (rc == -GG_ENOTFOUND) { /* an orphan: nobody to tell */
            rc = 0;
        } else if (!rc && t.leader_user_id) {
            struct message m;
            memset(&m, 0, sizeof m);
            m.user_id = t.leader_user_id;
            m.at = j->now;
            gg_strlcpy(m.kind, "task_overdue", sizeof m.kind);
            char due[11];
            date_format(ms[i].due_days, due);
            char title[GG_TASK_TITLE_SZ + 64], body[2 * GG_TASK_TITLE_SZ + 200];
            snprintf(title, sizeof title, "重点任务节点逾期：%s", t.title);
            snprintf(body, sizeof body, "任务 #%lld「%s」的节点「%s」应于 %s 完成，至今未完成，请督促推进。",
                     (long long)t.id, t.title, ms[i].title, due);
            utf8_copy(m.title, sizeof m.title, title);
            utf8_copy(m.body, sizeof m.body, body);
            rc = app_message_send(s, &m);
            if (!rc)
                j->notified++;
        }
        if (rc)
            break;
        ms[i].notified_at = j->now;
        rc = s->ops->milestone_update(s, &ms[i]);
        if (!rc) {
            char detail[96];
            snprintf(detail, sizeof detail, "{\"milestone_id\":%lld,\"leader_user_id\":%lld}",
                     (long long)ms[i].id, (long long)t.leader_user_id);
            rc = app_audit(s, NULL, j->now, "task.milestone_overdue", "task", ms[i].task_id,
                           detail);
        }
    }
    free(ms);
    return rc ? db_error(rc, err) : 0;
}

int app_task_sweep(struct app *a, int64_t now, int *notified, struct gg_error *err)
{
    struct sweep_job j = {.now = now};
    int rc = app_write(a, sweep_job, &j, err);
    if (notified)
        *notified = rc ? 0 : j.notified;
    return rc;
}
