/* h_party.c - issue 6 over HTTP: the party organisation (/party/orgs, /party/members,
 * /party/report-ins, /party/covers, GET /orgs/{id}/covers, /party/meetings,
 * /party/compliance) and key tasks (/tasks, /tasks/{id}/milestones, /tasks/{id}/progress,
 * /task-milestones/{id}/done).
 *
 * Decodes bodies and queries into the app's inputs and encodes the answers; roles, scopes and
 * rules are app/'s and core/'s. Money travels as yuan (元, a number with at most two
 * decimals) and is kept in fen. */
#include "http/http_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/party.h"
#include "core/people.h"
#include "core/task.h"

/* ---- shared ---- */

static json_t *jmonth(int month)
{
    char m[8];
    party_month_format(month, m);
    return json_string(m);
}

static json_t *jyuan(int64_t fen)
{
    return json_real((double)fen / 100.0);
}

/* an enum query parameter: -1 when absent, 422 when unknown */
static int query_enum(struct req *r, const char *name, int (*from_id)(const char *), int *out)
{
    const char *v = req_query(r, name);
    *out = -1;
    if (!v || !*v)
        return 0;
    *out = from_id(v);
    if (*out < 0)
        return gg_error_set(&r->err, GG_EINVAL, name, "%s 的值无效", name);
    return 0;
}

/* money in yuan → fen; 1 when absent */
static int jin_money(json_t *b, const char *field, int64_t *fen, struct gg_error *err)
{
    double v = 0;
    int rc = jin_num(b, field, false, 0, 1e13, &v, err);
    if (rc)
        return rc;
    double f = v * 100.0;
    if (fabs(f - round(f)) > 1e-6)
        return gg_error_set(err, GG_EINVAL, field, "%s 最多两位小数", field);
    *fen = (int64_t)llround(f);
    return 0;
}

/* ---- encoders ---- */

static json_t *json_party_org(const struct party_org *p)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(p->id));
    jset(o, "parent_id", jid(p->parent_id));
    jset(o, "kind", json_string(party_kind_id(p->kind)));
    jset(o, "kind_name", json_string(party_kind_zh(p->kind)));
    jset(o, "name", json_string(p->name));
    jset(o, "org_id", json_integer(p->org_id));
    jset(o, "district_id", jid(p->district_id));
    jset(o, "secretary_user_id", jid(p->secretary_user_id));
    jset(o, "members", json_integer(p->members));
    jset(o, "created_at", jtime(p->created_at));
    return o;
}

static json_t *json_member(const struct party_member *m)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(m->id));
    jset(o, "party_org_id", json_integer(m->party_org_id));
    jset(o, "kind", json_string(member_kind_id(m->kind)));
    jset(o, "kind_name", json_string(member_kind_zh(m->kind)));
    jset(o, "name", json_string(m->name));
    jset(o, "user_id", jid(m->user_id));
    jset(o, "person_id", jid(m->person_id));
    jset(o, "joined_on", jdate(m->joined_days));
    jset(o, "created_at", jtime(m->created_at));
    return o;
}

static json_t *json_report_in(const struct report_in *x)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(x->id));
    jset(o, "member_id", json_integer(x->member_id));
    jset(o, "member_name", json_string(x->member_name));
    jset(o, "org_id", json_integer(x->org_id));
    jset(o, "skills", json_string(x->skills));
    jset(o, "available", json_string(x->available));
    jset(o, "reported_at", jtime(x->at));
    jset(o, "recorded_by", jid(x->recorded_by));
    return o;
}

static json_t *json_cover(const struct cover *c)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(c->id));
    jset(o, "user_id", json_integer(c->user_id));
    jset(o, "user_name", json_string(c->user_name));
    jset(o, "org_id", json_integer(c->org_id));
    jset(o, "level", json_string(cover_level_id(c->level)));
    jset(o, "level_name", json_string(cover_level_zh(c->level)));
    jset(o, "duty", jstr_or_null(c->duty));
    jset(o, "created_at", jtime(c->created_at));
    return o;
}

static json_t *json_meeting(const struct party_meeting *m)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(m->id));
    jset(o, "party_org_id", json_integer(m->party_org_id));
    jset(o, "kind", json_string(meeting_kind_id(m->kind)));
    jset(o, "kind_name", json_string(meeting_kind_zh(m->kind)));
    jset(o, "held_on", jdate(m->held_days));
    jset(o, "title", json_string(m->title));
    jset(o, "present", json_integer(m->present));
    jset(o, "absent", json_integer(m->absent));
    jset(o, "excused", json_integer(m->excused));
    jset(o, "created_by", jid(m->created_by));
    jset(o, "created_at", jtime(m->created_at));
    if (m->minutes)
        jset(o, "minutes", json_string(m->minutes));
    return o;
}

static json_t *json_task(const struct task_view *v)
{
    const struct task *t = &v->t;
    json_t *o = json_object();
    if (!o)
        return NULL;
    jset(o, "id", json_integer(t->id));
    jset(o, "version", json_integer(t->version));
    jset(o, "kind", json_string(task_kind_id(t->kind)));
    jset(o, "kind_name", json_string(task_kind_zh(t->kind)));
    jset(o, "title", json_string(t->title));
    jset(o, "description", jstr_or_null(t->description));
    jset(o, "org_id", json_integer(t->org_id));
    jset(o, "org_name", jstr_or_null(v->org_name));
    jset(o, "leader_user_id", json_integer(t->leader_user_id));
    jset(o, "leader_name", jstr_or_null(v->leader_name));
    jset(o, "budget", jyuan(t->budget));
    jset(o, "spend", jyuan(t->spend));
    jset(o, "progress_percent", t->latest_percent >= 0 ? json_integer(t->latest_percent)
                                                      : json_null());
    jset(o, "color", json_string(task_color_id(v->color)));
    jset(o, "color_name", json_string(task_color_zh(v->color)));
    jset(o, "color_reason", json_string(v->color_reason));
    json_t *ms = json_array();
    for (size_t i = 0; ms && i < v->n_milestones; i++) {
        const struct task_milestone *m = &v->milestones[i];
        json_array_append_new(ms, json_pack("{s:I, s:s, s:o, s:o, s:o}", "id", (json_int_t)m->id,
                                            "title", m->title, "due_on", jdate(m->due_days),
                                            "done_on", jdate(m->done_days), "notified_at",
                                            jtime(m->notified_at)));
    }
    jset(o, "milestones", ms);
    if (v->reports) {
        json_t *rs = json_array();
        for (size_t i = 0; rs && i < v->n_reports; i++) {
            const struct task_report *x = &v->reports[i];
            json_array_append_new(rs, json_pack("{s:I, s:o, s:i, s:s, s:o, s:o}", "id",
                                                (json_int_t)x->id, "month", jmonth(x->month),
                                                "percent", x->percent, "note", x->note,
                                                "reported_by", jid(x->reported_by), "at",
                                                jtime(x->at)));
        }
        jset(o, "reports", rs);
    }
    jset(o, "created_at", jtime(t->created_at));
    jset(o, "updated_at", jtime(t->updated_at));
    return o;
}

/* ---- party orgs ---- */

int http_party_orgs_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct party_org_input in = {0};
    int kind = -1;
    int rc = jin_int(b, "parent_id", false, 1, INT64_MAX, &in.parent_id, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "kind", true, party_kind_from_id, PARTY_KIND__COUNT, &kind, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "name", true, GG_MAX_NAME, &in.name, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "secretary_user_id", false, 1, INT64_MAX, &in.secretary_user_id, &r->err);
    if (rc < 0)
        return rc;
    in.kind = kind;
    struct party_org p;
    rc = app_party_org_create(r->app, &r->actor, &in, r->now, &p, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_party_org(&p));
}

int http_party_orgs_get(struct req *r, struct reply *out)
{
    struct party_org p;
    int rc = app_party_org_get(r->app, &r->actor, r->id, &p, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_party_org(&p));
}

int http_party_orgs_list(struct req *r, struct reply *out)
{
    int64_t org_id = 0, parent_id = 0, after = 0;
    int kind = -1, limit = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc >= 0)
        rc = req_query_int(r, "parent_id", 1, INT64_MAX, &parent_id);
    if (rc >= 0)
        rc = query_enum(r, "kind", party_kind_from_id, &kind);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct party_org *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_party_org_list(r->app, &r->actor, org_id, kind, parent_id, after, limit, &items, &n,
                            &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_party_org(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

/* ---- members ---- */

int http_party_members_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct party_member_input in = {0};
    int kind = MEMBER_REGULAR;
    int rc = jin_int(b, "party_org_id", true, 1, INT64_MAX, &in.party_org_id, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "kind", false, member_kind_from_id, MEMBER_KIND__COUNT, &kind, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "name", true, GG_MAX_NAME, &in.name, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "user_id", false, 1, INT64_MAX, &in.user_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "person_id", false, 1, INT64_MAX, &in.person_id, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "joined_on", false, 10, &in.joined_on, &r->err);
    if (rc < 0)
        return rc;
    in.kind = kind;
    struct party_member m;
    rc = app_party_member_create(r->app, &r->actor, &in, r->now, &m, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_member(&m));
}

int http_party_members_get(struct req *r, struct reply *out)
{
    struct party_member m;
    int rc = app_party_member_get(r->app, &r->actor, r->id, &m, &r->err);
    return rc ? rc : reply_object(r, out, 200, json_member(&m));
}

int http_party_members_list(struct req *r, struct reply *out)
{
    int64_t po = 0, after = 0;
    int limit = 0;
    int rc = req_query_int(r, "party_org_id", 1, INT64_MAX, &po);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct party_member *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_party_member_list(r->app, &r->actor, po, after, limit, &items, &n, &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_member(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

/* ---- report-ins ---- */

int http_report_ins_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct report_in_input in = {0};
    int rc = jin_int(b, "member_id", false, 1, INT64_MAX, &in.member_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "skills", false, GG_MAX_SKILLS, &in.skills, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "available", false, GG_MAX_SKILLS, &in.available, &r->err);
    if (rc < 0)
        return rc;
    struct report_in x;
    rc = app_report_in_create(r->app, &r->actor, &in, r->now, &x, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_report_in(&x));
}

int http_report_ins_list(struct req *r, struct reply *out)
{
    int64_t org_id = 0, member_id = 0, after = 0;
    int limit = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc >= 0)
        rc = req_query_int(r, "member_id", 1, INT64_MAX, &member_id);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct report_in *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_report_in_list(r->app, &r->actor, org_id, member_id, after, limit, &items, &n, &next,
                            &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_report_in(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

/* ---- covers ---- */

int http_covers_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct cover_input in = {0};
    int level = -1;
    int rc = jin_int(b, "user_id", true, 1, INT64_MAX, &in.user_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "level", true, cover_level_from_id, COVER_LEVEL__COUNT, &level, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "duty", false, GG_MAX_NAME, &in.duty, &r->err);
    if (rc < 0)
        return rc;
    in.level = level;
    struct cover c;
    rc = app_cover_create(r->app, &r->actor, &in, r->now, &c, &r->err);
    return rc ? rc : reply_object(r, out, 201, json_cover(&c));
}

int http_covers_delete(struct req *r, struct reply *out)
{
    int rc = app_cover_delete(r->app, &r->actor, r->id, r->now, &r->err);
    if (!rc)
        out->status = 204;
    return rc;
}

int http_covers_list(struct req *r, struct reply *out)
{
    int64_t org_id = 0, user_id = 0, after = 0;
    int limit = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc >= 0)
        rc = req_query_int(r, "user_id", 1, INT64_MAX, &user_id);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct cover *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_cover_list(r->app, &r->actor, org_id, user_id, after, limit, &items, &n, &next,
                        &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_cover(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

int http_orgs_covers(struct req *r, struct reply *out)
{
    struct cover *items = NULL;
    size_t n = 0;
    int rc = app_covers_of(r->app, &r->actor, r->id, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_cover(&items[i]));
    free(items);
    return reply_items(r, out, a, 0);
}

/* ---- meetings ---- */

/* [{member_id, status}] → heap array; 1 when absent */
static int decode_attendance(struct req *r, json_t *b, struct meeting_attendance **out,
                             size_t *n)
{
    *out = NULL;
    *n = 0;
    json_t *a = json_object_get(b, "attendance");
    if (!a || json_is_null(a))
        return 1;
    if (!json_is_array(a) || json_array_size(a) > 1000)
        return gg_error_set(&r->err, GG_EINVAL, "attendance",
                            "attendance 应为 [{member_id, status}] 数组（最多 1000 项）");
    size_t k = json_array_size(a);
    if (!k)
        return 0;
    struct meeting_attendance *v = calloc(k, sizeof *v);
    if (!v)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < k; i++) {
        json_t *e = json_array_get(a, i);
        int64_t mid = 0;
        int st = -1;
        int rc = json_is_object(e) ? 0 : gg_error_set(&r->err, GG_EINVAL, "attendance",
                                                       "attendance 的每一项应为对象");
        if (rc >= 0)
            rc = jin_int(e, "member_id", true, 1, INT64_MAX, &mid, &r->err);
        if (rc >= 0)
            rc = jin_enum(e, "status", true, attendance_from_id, ATTEND__COUNT, &st, &r->err);
        if (rc < 0) {
            free(v);
            gg_strlcpy(r->err.field, "attendance", sizeof r->err.field);
            return rc;
        }
        v[i].member_id = mid;
        v[i].status = (enum attendance)st;
    }
    *out = v;
    *n = k;
    return 0;
}

int http_meetings_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct meeting_input in = {0};
    int kind = -1;
    int rc = jin_int(b, "party_org_id", true, 1, INT64_MAX, &in.party_org_id, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "kind", true, meeting_kind_from_id, MEETING_KIND__COUNT, &kind, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "held_on", true, 10, &in.held_on, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "title", false, GG_MAX_NAME, &in.title, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "minutes", false, GG_MAX_MINUTES, &in.minutes, &r->err);
    if (rc < 0)
        return rc;
    in.kind = kind;
    struct meeting_attendance *att = NULL;
    rc = decode_attendance(r, b, &att, &in.n_attendance);
    if (rc < 0)
        return rc;
    in.attendance = att;
    struct party_meeting m;
    rc = app_meeting_create(r->app, &r->actor, &in, r->now, &m, &r->err);
    free(att);
    return rc ? rc : reply_object(r, out, 201, json_meeting(&m));
}

int http_meetings_get(struct req *r, struct reply *out)
{
    struct party_meeting m;
    struct meeting_attendance *att = NULL;
    size_t n = 0;
    int rc = app_meeting_get(r->app, &r->actor, r->id, &m, &att, &n, &r->err);
    if (rc)
        return rc;
    json_t *o = json_meeting(&m);
    free(m.minutes);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s}", "member_id",
                                           (json_int_t)att[i].member_id, "member_name",
                                           att[i].member_name, "status",
                                           attendance_id(att[i].status), "status_name",
                                           attendance_zh(att[i].status)));
    free(att);
    if (o)
        jset(o, "attendance", a);
    else
        json_decref(a);
    return reply_object(r, out, 200, o);
}

int http_meetings_attendance(struct req *r, struct reply *out)
{
    struct meeting_attendance *att = NULL;
    size_t n = 0;
    int rc = decode_attendance(r, req_body(r), &att, &n);
    if (rc == 1)
        return gg_error_set(&r->err, GG_EINVAL, "attendance", "attendance 不能为空");
    if (rc < 0)
        return rc;
    rc = app_meeting_attendance(r->app, &r->actor, r->id, att, n, r->now, &r->err);
    free(att);
    if (rc)
        return rc;
    /* answer with the meeting as it is now */
    return http_meetings_get(r, out);
}

/* "YYYY-MM-DD" query → days; 1 when absent */
static int query_day(struct req *r, const char *name, int64_t *out)
{
    const char *v = req_query(r, name);
    if (!v || !*v)
        return 1;
    if (!date_parse(v, out))
        return gg_error_set(&r->err, GG_EINVAL, name, "%s 应为 YYYY-MM-DD", name);
    return 0;
}

int http_meetings_list(struct req *r, struct reply *out)
{
    int64_t po = 0, after = 0, from = 0, to = 0;
    int kind = -1, limit = 0;
    int rc = req_query_int(r, "party_org_id", 1, INT64_MAX, &po);
    if (rc >= 0)
        rc = query_enum(r, "kind", meeting_kind_from_id, &kind);
    if (rc >= 0)
        rc = query_day(r, "from", &from);
    if (rc >= 0)
        rc = query_day(r, "to", &to);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct party_meeting *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_meeting_list(r->app, &r->actor, po, kind, from, to, after, limit, &items, &n, &next,
                          &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_meeting(&items[i]));
    free(items);
    return reply_items(r, out, a, next);
}

int http_party_compliance(struct req *r, struct reply *out)
{
    int64_t org_id = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc < 0)
        return rc;
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    int m0, m1;
    if (!from || !party_month_parse(from, &m0))
        return gg_error_set(&r->err, GG_EINVAL, "from", "from 应为 YYYY-MM");
    if (!to || !party_month_parse(to, &m1))
        return gg_error_set(&r->err, GG_EINVAL, "to", "to 应为 YYYY-MM（含该月）");
    int iv[MEETING_KIND__COUNT];
    const char *ivs = req_query(r, "intervals");
    if (ivs && *ivs && !party_intervals_parse(ivs, iv))
        return gg_error_set(&r->err, GG_EINVAL, "intervals",
                            "intervals 应为四个整月数（1、2、3、4、6、12 或 0），如 3,1,1,3");
    struct compliance_result res;
    rc = app_party_compliance(r->app, &r->actor, org_id, m0, m1 + 1, ivs && *ivs ? iv : NULL,
                              &res, &r->err);
    if (rc)
        return rc;
    json_t *req_iv = json_object();
    for (int k = 0; req_iv && k < MEETING_KIND__COUNT; k++)
        jset(req_iv, meeting_kind_id((enum meeting_kind)k), json_integer(res.intervals[k]));
    json_t *items = json_array();
    for (size_t i = 0; items && i < res.n; i++) {
        const struct compliance_branch *cb = &res.items[i];
        json_t *gaps = json_array();
        for (size_t g = 0; gaps && g < cb->n_gaps; g++)
            json_array_append_new(
                gaps, json_pack("{s:s, s:s, s:o, s:o}", "kind", meeting_kind_id(cb->gaps[g].kind),
                                "kind_name", meeting_kind_zh(cb->gaps[g].kind), "from",
                                jmonth(cb->gaps[g].month_from), "to",
                                jmonth(cb->gaps[g].month_to - 1)));
        json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:o}", "party_org_id", (json_int_t)cb->org.id,
                              "name", cb->org.name, "org_id", (json_int_t)cb->org.org_id,
                              "missing_count", (json_int_t)cb->n_total, "missing", gaps);
        json_array_append_new(items, o);
    }
    free(res.items);
    json_t *j = json_pack("{s:s, s:s, s:o, s:I, s:I, s:o}", "from", from, "to", to,
                          "required_months", req_iv, "branches_checked",
                          (json_int_t)res.branches_checked, "non_compliant", (json_int_t)res.n,
                          "items", items);
    return reply_object(r, out, 200, j);
}

/* ---- tasks ---- */

static int decode_milestone(struct req *r, json_t *e, struct milestone_input *m)
{
    if (!json_is_object(e))
        return gg_error_set(&r->err, GG_EINVAL, "milestones", "节点应为 {title, due_on} 对象");
    int rc = jin_str(e, "title", true, GG_MAX_TASK_TITLE, &m->title, &r->err);
    if (rc >= 0)
        rc = jin_str(e, "due_on", true, 10, &m->due_on, &r->err);
    return rc < 0 ? rc : 0;
}

static int decode_task(struct req *r, struct task_input *in, struct milestone_input **ms)
{
    json_t *b = req_body(r);
    memset(in, 0, sizeof *in);
    in->kind = -1;
    in->budget = in->spend = -1;
    *ms = NULL;
    int rc = jin_enum(b, "kind", false, task_kind_from_id, TASK_KIND__COUNT, &in->kind, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "title", false, GG_MAX_TASK_TITLE, &in->title, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "description", false, GG_MAX_DESCRIPTION, &in->description, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "org_id", false, 1, INT64_MAX, &in->org_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "leader_user_id", false, 1, INT64_MAX, &in->leader_user_id, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "version", false, 1, INT64_MAX, &in->version, &r->err);
    if (rc >= 0)
        rc = jin_money(b, "budget", &in->budget, &r->err);
    if (rc >= 0)
        rc = jin_money(b, "spend", &in->spend, &r->err);
    if (rc < 0)
        return rc;
    json_t *a = json_object_get(b, "milestones");
    if (a && !json_is_null(a)) {
        if (!json_is_array(a) || json_array_size(a) > TASK_MAX_MILESTONES)
            return gg_error_set(&r->err, GG_EINVAL, "milestones", "milestones 应为数组（最多 %d 个）",
                                TASK_MAX_MILESTONES);
        size_t k = json_array_size(a);
        *ms = k ? calloc(k, sizeof **ms) : NULL;
        if (k && !*ms)
            return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
        for (size_t i = 0; i < k; i++) {
            rc = decode_milestone(r, json_array_get(a, i), &(*ms)[i]);
            if (rc < 0) {
                free(*ms);
                *ms = NULL;
                return rc;
            }
        }
        in->milestones = *ms;
        in->n_milestones = k;
    }
    return 0;
}

static int reply_task(struct req *r, struct reply *out, int status, struct task_view *v)
{
    json_t *j = json_task(v);
    app_task_view_release(v);
    return reply_object(r, out, status, j);
}

int http_tasks_create(struct req *r, struct reply *out)
{
    struct task_input in;
    struct milestone_input *ms = NULL;
    int rc = decode_task(r, &in, &ms);
    if (rc < 0)
        return rc;
    if (!in.title)
        rc = gg_error_set(&r->err, GG_EINVAL, "title", "title 不能为空");
    else if (!in.org_id)
        rc = gg_error_set(&r->err, GG_EINVAL, "org_id", "org_id 不能为空");
    else if (!in.leader_user_id)
        rc = gg_error_set(&r->err, GG_EINVAL, "leader_user_id", "leader_user_id 不能为空");
    struct task_view v;
    if (!rc)
        rc = app_task_create(r->app, &r->actor, &in, r->now, &v, &r->err);
    free(ms);
    return rc ? rc : reply_task(r, out, 201, &v);
}

int http_tasks_update(struct req *r, struct reply *out)
{
    struct task_input in;
    struct milestone_input *ms = NULL;
    int rc = decode_task(r, &in, &ms);
    if (rc < 0)
        return rc;
    struct task_view v;
    rc = app_task_update(r->app, &r->actor, r->id, &in, r->now, &v, &r->err);
    free(ms);
    return rc ? rc : reply_task(r, out, 200, &v);
}

int http_tasks_get(struct req *r, struct reply *out)
{
    struct task_view v;
    int rc = app_task_get(r->app, &r->actor, r->id, r->now, &v, &r->err);
    return rc ? rc : reply_task(r, out, 200, &v);
}

int http_tasks_list(struct req *r, struct reply *out)
{
    int64_t org_id = 0, leader = 0, after = 0;
    int limit = 0, color = -1;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc >= 0)
        rc = req_query_int(r, "leader_user_id", 1, INT64_MAX, &leader);
    if (rc >= 0) {
        const char *c = req_query(r, "color");
        if (c && *c) {
            for (int k = 0; k < TASK_COLOR__COUNT; k++)
                if (strcmp(c, task_color_id((enum task_color)k)) == 0)
                    color = k;
            if (color < 0)
                rc = gg_error_set(&r->err, GG_EINVAL, "color", "color 应为 blue、yellow 或 red");
        }
    }
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc >= 0)
        rc = req_cursor(r, &after);
    if (rc < 0)
        return rc;
    struct task_view *items = NULL;
    size_t n = 0;
    int64_t next = 0;
    rc = app_task_list(r->app, &r->actor, org_id, leader, color, after, limit, r->now, &items, &n,
                       &next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        if (a)
            json_array_append_new(a, json_task(&items[i]));
        app_task_view_release(&items[i]);
    }
    free(items);
    return reply_items(r, out, a, next);
}

int http_tasks_milestone_add(struct req *r, struct reply *out)
{
    struct milestone_input m = {0};
    int rc = decode_milestone(r, req_body(r), &m);
    if (rc < 0)
        return rc;
    struct task_view v;
    rc = app_task_milestone_add(r->app, &r->actor, r->id, &m, r->now, &v, &r->err);
    return rc ? rc : reply_task(r, out, 201, &v);
}

int http_tasks_progress(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    const char *month = NULL, *note = NULL;
    int64_t pct = 0, spend = -1;
    int rc = jin_str(b, "month", true, 7, &month, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "percent", true, 0, 100, &pct, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "note", false, GG_MAX_NOTE, &note, &r->err);
    if (rc >= 0)
        rc = jin_money(b, "spend", &spend, &r->err);
    if (rc < 0)
        return rc;
    int m;
    if (!party_month_parse(month, &m))
        return gg_error_set(&r->err, GG_EINVAL, "month", "month 应为 YYYY-MM");
    struct task_view v;
    rc = app_task_report(r->app, &r->actor, r->id, m, (int)pct, note, spend, r->now, &v, &r->err);
    return rc ? rc : reply_task(r, out, 201, &v);
}

int http_milestones_done(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    const char *done_on = NULL;
    bool undo = false;
    int rc = jin_str(b, "done_on", false, 10, &done_on, &r->err);
    if (rc >= 0)
        rc = jin_bool(b, "undo", false, &undo, &r->err);
    if (rc < 0)
        return rc;
    struct task_view v;
    rc = app_task_milestone_done(r->app, &r->actor, r->id, undo ? "" : done_on, r->now, &v,
                                 &r->err);
    return rc ? rc : reply_task(r, out, 200, &v);
}
