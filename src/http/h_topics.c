/* h_topics.c - issue 6: deliberation and disclosure over HTTP: /topics (propose, list, read),
 * /topics/{id}/actions and its three shorthands (/supports, /votes, /ratings), /disclosures
 * and the public board /board (the newest resolutions and disclosures of the caller's place).
 *
 * Decodes bodies and queries into the app's inputs and encodes the answers. Who may do what,
 * places, states and the audit are app/'s. */
#include "http/http_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "core/topic.h"

/* ---- encoders ---- */

static void set(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

static json_t *jyuan(int64_t fen)
{
    return json_real((double)fen / 100.0);
}

/* the fields of a list item */
static json_t *json_topic(const struct topic *t)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    set(o, "id", json_integer(t->id));
    set(o, "version", json_integer(t->version));
    set(o, "org_id", json_integer(t->org_id));
    set(o, "status", json_string(topic_status_id(t->status)));
    set(o, "status_name", json_string(topic_status_zh(t->status)));
    set(o, "title", json_string(t->title));
    set(o, "body", jstr_or_null(t->body));
    set(o, "proposer_id", json_integer(t->proposer_id));
    set(o, "threshold", json_integer(t->threshold));
    set(o, "supports", json_integer(t->supports));
    bool tallied = t->status != TOPIC_STATUS_VOTING && t->n_attendees > 0;
    set(o, "tally",
        t->n_attendees ? json_pack("{s:I, s:I, s:I, s:I, s:o}", "attendees",
                                   (json_int_t)t->n_attendees, "for", (json_int_t)t->votes_for,
                                   "against", (json_int_t)t->votes_against, "abstain",
                                   (json_int_t)t->votes_abstain, "passed",
                                   tallied ? json_boolean(topic_vote_passes(t->votes_for,
                                                                            t->n_attendees))
                                           : json_null())
                       : NULL);
    set(o, "rating",
        json_pack("{s:I, s:o}", "count", (json_int_t)t->ratings, "average",
                  t->ratings ? json_real(round(100.0 * (double)t->rating_sum / (double)t->ratings) /
                                         100.0)
                             : json_null()));
    set(o, "meeting_at", jtime(t->meeting_at));
    set(o, "published_at", jtime(t->published_at));
    set(o, "created_at", jtime(t->created_at));
    set(o, "updated_at", jtime(t->updated_at));
    return o;
}

static json_t *json_topic_view(const struct topic_view *v)
{
    json_t *o = json_topic(&v->t);
    if (!o)
        return NULL;
    set(o, "org_name", jstr_or_null(v->org_name));
    set(o, "proposer_name", jstr_or_null(v->proposer_name));
    json_t *att = json_array();
    for (size_t i = 0; att && i < v->n_attendees; i++)
        json_array_append_new(att, json_integer(v->attendees[i]));
    set(o, "meeting",
        v->t.meeting_at ? json_pack("{s:o, s:o, s:o, s:o}", "at", jtime(v->t.meeting_at), "place",
                                    jstr_or_null(v->t.meeting_place), "attendees",
                                    att ? att : json_array(), "minutes",
                                    jstr_or_null(v->minutes ? v->minutes : ""))
                        : (json_decref(att), NULL));
    set(o, "mine",
        json_pack("{s:b, s:o, s:o, s:b}", "supported", v->mine.supported, "vote",
                  v->mine.vote >= 0 ? json_string(vote_choice_id((enum vote_choice)v->mine.vote))
                                    : json_null(),
                  "rating", v->mine.rating ? json_integer(v->mine.rating) : json_null(),
                  "attendee", v->mine.attendee));
    json_t *tl = json_array();
    for (size_t i = 0; tl && i < v->n_notes; i++) {
        const struct topic_note *n = &v->notes[i];
        json_array_append_new(
            tl, json_pack("{s:I, s:s, s:s, s:o, s:I, s:s, s:s, s:o}", "id", (json_int_t)n->id,
                          "action", topic_action_id(n->action), "action_name",
                          topic_action_zh(n->action), "at", jtime(n->at), "actor_id",
                          (json_int_t)n->actor_id, "from_status", topic_status_id(n->from_status),
                          "to_status", topic_status_id(n->to_status), "note",
                          jstr_or_null(n->note)));
    }
    set(o, "timeline", tl);
    return o;
}

/* with_items: the detail (items[0..n)); lists leave them out */
static json_t *json_disclosure(const struct disclosure *d, bool with_items,
                               const struct disclosure_item *items, size_t n)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    set(o, "id", json_integer(d->id));
    set(o, "org_id", json_integer(d->org_id));
    set(o, "kind", json_string(disclosure_kind_id(d->kind)));
    set(o, "kind_name", json_string(disclosure_kind_zh(d->kind)));
    set(o, "title", json_string(d->title));
    set(o, "body", jstr_or_null(d->body));
    set(o, "period", json_string(d->period));
    set(o, "total", jyuan(d->total_fen));
    set(o, "item_count", json_integer(d->n_items));
    if (with_items) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n; i++)
            json_array_append_new(a, json_pack("{s:s, s:o}", "label", items[i].label, "amount",
                                               jyuan(items[i].amount_fen)));
        set(o, "items", a);
    }
    set(o, "author_id", json_integer(d->author_id));
    set(o, "published_at", jtime(d->published_at));
    return o;
}

static int reply_obj(struct req *r, struct reply *out, int status, json_t *j)
{
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, status, j);
    return 0;
}

static int reply_view(struct req *r, struct reply *out, int status, struct topic_view *v)
{
    json_t *j = json_topic_view(v);
    app_topic_view_release(v);
    out->cache_control = "no-store";
    return reply_obj(r, out, status, j);
}

/* ---- topics ---- */

int http_topics_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct topic_input in;
    memset(&in, 0, sizeof in);
    int rc = jin_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "title", true, GG_MAX_TITLE, &in.title, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "body", false, GG_MAX_TOPIC_BODY, &in.body, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "threshold", false, 1, GG_TOPIC_THRESHOLD_MAX, &in.threshold, &r->err);
    if (rc < 0)
        return rc;
    struct topic_view v;
    rc = app_topic_create(r->app, &r->actor, &in, r->now, &v, &r->err);
    return rc ? rc : reply_view(r, out, 201, &v);
}

int http_topics_get(struct req *r, struct reply *out)
{
    struct topic_view v;
    int rc = app_topic_get(r->app, &r->actor, r->id, &v, &r->err);
    return rc ? rc : reply_view(r, out, 200, &v);
}

static int query_flag(struct req *r, const char *name, bool *out)
{
    const char *v = req_query(r, name);
    *out = false;
    if (!v || !*v || strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return 0;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = true;
        return 0;
    }
    return gg_error_set(&r->err, GG_EINVAL, name, "%s 应为 true 或 false", name);
}

static int list_topics(struct req *r, const struct topic_query *q, json_t **items,
                       int64_t *next)
{
    struct topic *ts = NULL;
    size_t n = 0;
    int rc = app_topic_list(r->app, &r->actor, q, &ts, &n, next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_topic(&ts[i]));
    free(ts);
    *items = a;
    return a ? 0 : gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
}

int http_topics_list(struct req *r, struct reply *out)
{
    struct topic_query q;
    memset(&q, 0, sizeof q);
    q.status = -1;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &q.org_id);
    if (rc >= 0)
        rc = query_flag(r, "board", &q.board);
    if (rc >= 0)
        rc = query_flag(r, "mine", &q.mine);
    if (rc >= 0)
        rc = req_limit(r, &q.limit);
    if (rc >= 0)
        rc = req_cursor(r, &q.before_id);
    if (rc < 0)
        return rc;
    const char *st = req_query(r, "status");
    if (st && *st && (q.status = topic_status_from_id(st)) < 0)
        return gg_error_set(&r->err, GG_EINVAL, "status", "未知的议题状态 %.40s", st);
    json_t *items = NULL;
    int64_t next = 0;
    rc = list_topics(r, &q, &items, &next);
    if (rc)
        return rc;
    char cur[24];
    return reply_obj(r, out, 200, json_list(items, cursor_text(next, cur)));
}

static int act(struct req *r, struct reply *out, struct topic_act_input *in)
{
    struct topic_view v;
    int rc = app_topic_act(r->app, &r->actor, r->id, in, r->now, &v, &r->err);
    return rc ? rc : reply_view(r, out, 200, &v);
}

static void act_init(struct topic_act_input *in, int action)
{
    memset(in, 0, sizeof *in);
    in->action = action;
    in->choice = -1;
}

int http_topics_act(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    int action = 0;
    int rc = jin_enum(b, "action", true, topic_action_from_id, TOPIC_ACTION_PROPOSE, &action,
                      &r->err);
    if (rc)
        return rc;
    struct topic_act_input in;
    act_init(&in, action);
    int64_t *att = NULL;
    const char *at = NULL;
    rc = jin_str(b, "note", false, GG_MAX_NOTE, &in.note, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "minutes", false, GG_MAX_MINUTES, &in.minutes, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "place", false, GG_MAX_NAME, &in.place, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "meeting_at", false, 40, &at, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "choice", false, vote_choice_from_id, VOTE__COUNT, &in.choice, &r->err);
    if (rc >= 0)
        rc = jin_int(b, "rating", false, 1, 5, &in.rating, &r->err);
    if (rc < 0)
        return rc;
    if (at && gg_time_parse(at, &in.meeting_at))
        return gg_error_set(&r->err, GG_EINVAL, "meeting_at", "meeting_at 应为 RFC 3339 时间");
    json_t *jatt = json_object_get(b, "attendees");
    if (json_is_array(jatt) && json_array_size(jatt) > GG_MAX_ATTENDEES)
        return gg_error_set(&r->err, GG_EINVAL, "attendees", "参会人员最多 %d 人",
                            GG_MAX_ATTENDEES);
    rc = jin_ids(b, "attendees", false, &att, &in.n_attendees, &r->err);
    if (rc < 0)
        return rc;
    in.attendees = att;
    rc = act(r, out, &in);
    free(att);
    return rc;
}

int http_topics_support(struct req *r, struct reply *out)
{
    struct topic_act_input in;
    act_init(&in, TOPIC_ACTION_SUPPORT);
    return act(r, out, &in);
}

int http_topics_vote(struct req *r, struct reply *out)
{
    struct topic_act_input in;
    act_init(&in, TOPIC_ACTION_VOTE);
    int rc = jin_enum(req_body(r), "choice", true, vote_choice_from_id, VOTE__COUNT, &in.choice,
                      &r->err);
    return rc ? rc : act(r, out, &in);
}

int http_topics_rate(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct topic_act_input in;
    act_init(&in, TOPIC_ACTION_EVALUATE);
    int rc = jin_int(b, "rating", true, 1, 5, &in.rating, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "comment", false, GG_MAX_NOTE, &in.note, &r->err);
    if (rc < 0)
        return rc;
    return act(r, out, &in);
}

/* ---- disclosures ---- */

int http_disclosures_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct disclosure_input in;
    memset(&in, 0, sizeof in);
    int rc = jin_int(b, "org_id", true, 1, INT64_MAX, &in.org_id, &r->err);
    if (rc >= 0)
        rc = jin_enum(b, "kind", true, disclosure_kind_from_id, DISCLOSURE_KIND__COUNT, &in.kind,
                      &r->err);
    if (rc >= 0)
        rc = jin_str(b, "title", true, GG_MAX_TITLE, &in.title, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "body", false, GG_MAX_TOPIC_BODY, &in.body, &r->err);
    if (rc >= 0)
        rc = jin_str(b, "period", true, 7, &in.period, &r->err);
    if (rc < 0)
        return rc;
    json_t *ji = json_object_get(b, "items");
    if (!json_is_array(ji) || json_array_size(ji) == 0 ||
        json_array_size(ji) > GG_MAX_DISCLOSURE_ITEMS)
        return gg_error_set(&r->err, GG_EINVAL, "items", "items 应为 1 到 %d 项 {label, amount}",
                            GG_MAX_DISCLOSURE_ITEMS);
    struct disclosure_item_input items[GG_MAX_DISCLOSURE_ITEMS];
    in.n_items = json_array_size(ji);
    for (size_t i = 0; i < in.n_items; i++) {
        json_t *it = json_array_get(ji, i);
        if (!json_is_object(it))
            return gg_error_set(&r->err, GG_EINVAL, "items", "第 %zu 项应为 {label, amount}", i + 1);
        rc = jin_str(it, "label", true, GG_MAX_NAME, &items[i].label, &r->err);
        if (rc >= 0)
            rc = jin_num(it, "amount", true, -1e12, 1e12, &items[i].amount, &r->err);
        if (rc < 0) {
            char why[sizeof r->err.message];
            gg_strlcpy(why, r->err.message, sizeof why);
            return gg_error_set(&r->err, GG_EINVAL, "items", "第 %zu 项：%s", i + 1, why);
        }
    }
    in.items = items;
    struct disclosure d;
    rc = app_disclosure_create(r->app, &r->actor, &in, r->now, &d, &r->err);
    if (rc)
        return rc;
    struct disclosure_item *its = NULL;
    size_t n = 0;
    rc = app_disclosure_get(r->app, &r->actor, d.id, &d, &its, &n, &r->err);
    if (rc)
        return rc;
    json_t *j = json_disclosure(&d, true, its, n);
    free(its);
    return reply_obj(r, out, 201, j);
}

int http_disclosures_get(struct req *r, struct reply *out)
{
    struct disclosure d;
    struct disclosure_item *its = NULL;
    size_t n = 0;
    int rc = app_disclosure_get(r->app, &r->actor, r->id, &d, &its, &n, &r->err);
    if (rc)
        return rc;
    json_t *j = json_disclosure(&d, true, its, n);
    free(its);
    return reply_obj(r, out, 200, j);
}

static int list_disclosures(struct req *r, const struct disclosure_query *q, json_t **items,
                            int64_t *next)
{
    struct disclosure *ds = NULL;
    size_t n = 0;
    int rc = app_disclosure_list(r->app, &r->actor, q, &ds, &n, next, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_disclosure(&ds[i], false, NULL, 0));
    free(ds);
    *items = a;
    return a ? 0 : gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
}

int http_disclosures_list(struct req *r, struct reply *out)
{
    struct disclosure_query q;
    memset(&q, 0, sizeof q);
    q.kind = -1;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &q.org_id);
    if (rc >= 0)
        rc = req_limit(r, &q.limit);
    if (rc >= 0)
        rc = req_cursor(r, &q.before_id);
    if (rc < 0)
        return rc;
    const char *k = req_query(r, "kind");
    if (k && *k && (q.kind = disclosure_kind_from_id(k)) < 0)
        return gg_error_set(&r->err, GG_EINVAL, "kind", "未知的公开类别 %.40s", k);
    q.period = req_query(r, "period");
    json_t *items = NULL;
    int64_t next = 0;
    rc = list_disclosures(r, &q, &items, &next);
    if (rc)
        return rc;
    char cur[24];
    return reply_obj(r, out, 200, json_list(items, cursor_text(next, cur)));
}

/* The public board (公开栏): the newest published resolutions (with their execution) and the
 * newest disclosures of the caller's place, `limit` of each. */
int http_board(struct req *r, struct reply *out)
{
    struct topic_query tq;
    memset(&tq, 0, sizeof tq);
    tq.status = -1;
    tq.board = true;
    int limit = 0;
    int rc = req_query_int(r, "org_id", 1, INT64_MAX, &tq.org_id);
    if (rc >= 0)
        rc = req_limit(r, &limit);
    if (rc < 0)
        return rc;
    tq.limit = limit;
    struct disclosure_query dq = {.org_id = tq.org_id, .kind = -1, .limit = limit};
    json_t *topics = NULL, *discs = NULL;
    int64_t next = 0;
    rc = list_topics(r, &tq, &topics, &next);
    if (!rc)
        rc = list_disclosures(r, &dq, &discs, &next);
    if (rc) {
        json_decref(topics);
        return rc;
    }
    out->cache_control = "no-store";
    return reply_obj(r, out, 200, json_pack("{s:o, s:o}", "topics", topics, "disclosures", discs));
}
