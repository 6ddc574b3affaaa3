/* test_topics_api.c - issue 6 over HTTP: deliberation (议事协商, 四议两公开) and the public board
 * (公开栏). The whole topic flow with a known vote outcome, passing and failing; the support
 * threshold (from the setting and per topic); one support, vote and rating per user, also
 * under parallel requests; every illegal transition tried is a 409; role × place (a resident of
 * another community sees nothing and cannot act, a resident cannot accept, only attendees
 * vote); disclosures with items and totals; bad input (422). */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_city C;
static int64_t street2, community2;
static char *staff, *staff2, *leader, *rc2; /* rc2: a resident of community2 */
static int64_t staff_id;
#define N_RES 8
static char *res[N_RES]; /* residents of grid A (community C) */
static int64_t res_id[N_RES];

static void setup(void)
{
    if (staff)
        return;
    h_city_build(&C, "TP-");
    const char *adm = h_admin();
    street2 = h_org(adm, C.district, "street", "TP-S2", "第二街道", NULL, NULL);
    community2 = h_org(adm, street2, "community", "TP-S2C", "第二社区", NULL, NULL);
    staff = h_user_token("tp_staff", "staff", C.community, &staff_id);
    staff2 = h_user_token("tp_staff2", "staff", community2, NULL);
    leader = h_user_token("tp_leader", "leader", C.community, NULL);
    rc2 = h_user_token("tp_rc2", "resident", community2, NULL);
    for (int i = 0; i < N_RES; i++) {
        char name[32];
        snprintf(name, sizeof name, "tp_res%d", i);
        res[i] = h_user_token(name, "resident", C.grid_a, &res_id[i]);
    }
}

static const char *tpath(int64_t id, const char *sub)
{
    return h_path("/api/v1/topics/%lld%s", (long long)id, sub);
}

static json_t *propose(const char *tok, int64_t org, const char *title, int threshold,
                       long *st)
{
    json_t *b = json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)org, "title", title, "body",
                          "小区东门道路积水，建议改造排水管网。");
    if (threshold)
        json_object_set_new(b, "threshold", json_integer(threshold));
    return h_post("/api/v1/topics", tok, b, st);
}

static int64_t propose_id(const char *tok, int64_t org, const char *title, int threshold)
{
    long st;
    json_t *j = propose(tok, org, title, threshold, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

/* POST /topics/{id}/actions {action} + extra (stolen); returns the status, checks the error
 * shape on failure, and the new status on success when want_status is not NULL */
static long act(const char *tok, int64_t id, const char *action, json_t *extra,
                const char *want_status)
{
    json_t *b = extra ? extra : json_object();
    json_object_set_new(b, "action", json_string(action));
    long st;
    json_t *j = h_post(tpath(id, "/actions"), tok, b, &st);
    if (st != 200)
        h_check_error(j, NULL);
    else if (want_status && strcmp(h_str(j, "status"), want_status) != 0)
        fail_msg("%s: status %s, want %s\n%s", action, h_str(j, "status"), want_status, h_last());
    json_decref(j);
    return st;
}

static long support(const char *tok, int64_t id)
{
    long st;
    json_t *j = h_post(tpath(id, "/supports"), tok, NULL, &st);
    json_decref(j);
    return st;
}

static long vote(const char *tok, int64_t id, const char *choice)
{
    long st;
    json_t *j = h_post(tpath(id, "/votes"), tok, json_pack("{s:s}", "choice", choice), &st);
    json_decref(j);
    return st;
}

static long rate(const char *tok, int64_t id, int stars)
{
    long st;
    json_t *j = h_post(tpath(id, "/ratings"), tok,
                       json_pack("{s:i, s:s}", "rating", stars, "comment", "排水好了"), &st);
    json_decref(j);
    return st;
}

static json_t *get_topic(const char *tok, int64_t id)
{
    long st;
    json_t *j = h_get(tpath(id, ""), tok, &st);
    H_STATUS(st, 200);
    return j;
}

static int64_t topic_int(const char *tok, int64_t id, const char *key)
{
    json_t *j = get_topic(tok, id);
    int64_t v = h_int(j, key);
    json_decref(j);
    return v;
}

static json_t *meet_body(const int64_t *ids, size_t n, const char *minutes)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return json_pack("{s:s, s:o, s:s, s:s}", "action", "meet", "attendees", a, "minutes",
                     minutes, "place", "社区党群服务中心");
}

static bool audit_has(int64_t id, const char *action)
{
    long st;
    json_t *j = h_get(h_path("/api/v1/audit?object_type=topic&object_id=%lld&limit=500",
                             (long long)id),
                      h_admin(), &st);
    H_STATUS(st, 200);
    bool found = false;
    json_t *it;
    size_t i;
    json_array_foreach(h_items(j), i, it) found |= strcmp(h_str(it, "action"), action) == 0;
    json_decref(j);
    return found;
}

static bool board_has_topic(const char *tok, int64_t id)
{
    long st;
    json_t *j = h_get("/api/v1/board", tok, &st);
    H_STATUS(st, 200);
    bool found = false;
    json_t *it;
    size_t i;
    json_array_foreach(h_obj(j, "topics"), i, it) found |= h_int(it, "id") == id;
    json_decref(j);
    return found;
}

/* The whole flow of a resident's proposal whose resolution passes (3 of 5 attendees for). */
static void test_flow_pass(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "topics.support_threshold", "value", "3"),
                       &st);
    H_STATUS(st, 200);
    json_decref(j);

    j = propose(res[0], C.community, "东门排水改造", 0, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    assert_string_equal(h_str(j, "status"), "proposed");
    assert_int_equal(h_int(j, "threshold"), 3); /* from the setting */
    assert_int_equal(h_int(j, "supports"), 0);
    assert_int_equal(h_int(j, "proposer_id"), res_id[0]);
    json_decref(j);

    /* the proposer cannot second itself; a resident of another community cannot see it */
    assert_int_equal(support(res[0], id), 403);
    j = h_get(tpath(id, ""), rc2, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    assert_int_equal(support(rc2, id), 404);
    j = h_get("/api/v1/topics", rc2, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);
    /* staff of another community: not found either */
    assert_int_equal(act(staff2, id, "reject", NULL, NULL), 404);

    /* supports up to the threshold; one per resident */
    assert_int_equal(support(res[1], id), 200);
    assert_int_equal(support(res[1], id), 409);
    assert_int_equal(topic_int(res[0], id, "supports"), 1);
    /* not on the agenda before the threshold */
    assert_int_equal(act(staff, id, "accept", NULL, NULL), 409);
    assert_int_equal(support(res[2], id), 200);
    j = get_topic(res[0], id);
    assert_string_equal(h_str(j, "status"), "proposed");
    json_decref(j);
    assert_int_equal(support(res[3], id), 200);
    j = get_topic(res[3], id);
    assert_string_equal(h_str(j, "status"), "seconded");
    assert_int_equal(h_int(j, "supports"), 3);
    assert_true(json_is_true(json_object_get(h_obj(j, "mine"), "supported")));
    json_decref(j);

    /* only the party organisation takes it onto the agenda */
    assert_int_equal(act(res[1], id, "accept", NULL, NULL), 403);
    assert_int_equal(act(leader, id, "accept", NULL, "agenda"), 200);
    assert_int_equal(act(leader, id, "accept", NULL, NULL), 409);
    assert_int_equal(support(res[4], id), 409); /* supports are closed */
    assert_int_equal(vote(res[1], id, "for"), 409); /* no meeting yet */

    /* the meeting: five attendees, minutes */
    int64_t att[5] = {res_id[1], res_id[2], res_id[3], res_id[4], staff_id};
    assert_int_equal(act(leader, id, "meet", meet_body(att, 5, "议事会纪要：讨论排水方案。"), NULL),
                     403); /* leaders accept, staff hold the meeting */
    assert_int_equal(act(staff, id, "meet", meet_body(att, 5, "议事会纪要：讨论排水方案。"),
                         "voting"),
                     200);
    j = get_topic(res[0], id);
    json_t *m = h_obj(j, "meeting");
    assert_int_equal(json_array_size(h_obj(m, "attendees")), 5);
    assert_string_equal(h_str(m, "minutes"), "议事会纪要：讨论排水方案。");
    assert_true(json_is_false(json_object_get(h_obj(j, "mine"), "attendee")));
    json_decref(j);

    /* votes: only attendees, once each */
    assert_int_equal(vote(res[0], id, "for"), 403);
    assert_int_equal(vote(res[1], id, "for"), 200);
    assert_int_equal(vote(res[1], id, "against"), 409);
    assert_int_equal(vote(res[2], id, "for"), 200);
    assert_int_equal(vote(staff, id, "for"), 200);
    assert_int_equal(vote(res[3], id, "against"), 200);
    /* res[4] does not vote: 3 of 5 attendees for is still a majority */
    assert_int_equal(act(staff, id, "publish", NULL, NULL), 409); /* not before the result */
    assert_int_equal(act(staff, id, "close_vote", NULL, "passed"), 200);
    assert_int_equal(vote(res[4], id, "for"), 409); /* closed */
    j = get_topic(res[1], id);
    json_t *t = h_obj(j, "tally");
    assert_int_equal(h_int(t, "for"), 3);
    assert_int_equal(h_int(t, "against"), 1);
    assert_int_equal(h_int(t, "abstain"), 0);
    assert_int_equal(h_int(t, "attendees"), 5);
    assert_true(json_is_true(json_object_get(t, "passed")));
    assert_string_equal(h_str(h_obj(j, "mine"), "vote"), "for");
    json_decref(j);

    /* published on the board of the place, and only there */
    assert_false(board_has_topic(res[0], id));
    assert_int_equal(act(staff, id, "publish", NULL, "published"), 200);
    assert_true(board_has_topic(res[0], id));
    assert_true(board_has_topic(staff, id));
    assert_false(board_has_topic(rc2, id));
    assert_false(board_has_topic(staff2, id));

    /* executed with progress notes, then evaluated once per resident */
    assert_int_equal(rate(res[1], id, 5), 409); /* not done yet */
    assert_int_equal(act(staff, id, "progress", NULL, NULL), 422);
    assert_int_equal(act(staff, id, "complete", NULL, NULL), 409);
    assert_int_equal(act(staff, id, "progress", json_pack("{s:s}", "note", "施工队已进场"),
                         "executing"),
                     200);
    assert_int_equal(act(staff, id, "progress", json_pack("{s:s}", "note", "管网铺设过半"),
                         "executing"),
                     200);
    assert_int_equal(act(staff, id, "complete", json_pack("{s:s}", "note", "竣工验收"), "done"),
                     200);
    assert_int_equal(rate(res[1], id, 5), 200);
    assert_int_equal(rate(res[2], id, 4), 200);
    assert_int_equal(rate(res[1], id, 1), 409);
    assert_int_equal(rate(staff, id, 3), 403);
    assert_int_equal(rate(rc2, id, 1), 404);
    j = get_topic(res[1], id);
    assert_int_equal(h_int(h_obj(j, "rating"), "count"), 2);
    assert_true(json_real_value(json_object_get(h_obj(j, "rating"), "average")) == 4.5);
    assert_int_equal(h_int(h_obj(j, "mine"), "rating"), 5);
    /* the timeline: propose, 3 supports, accept, meet, 4 votes, close, publish, 2 progress,
     * complete, 2 ratings */
    json_t *tl = h_obj(j, "timeline");
    assert_int_equal(json_array_size(tl), 17);
    assert_string_equal(h_str(json_array_get(tl, 0), "action"), "propose");
    /* the ballot is secret: no vote step carries a choice */
    char *dump = json_dumps(tl, 0);
    assert_null(strstr(dump, "\"against\""));
    free(dump);
    json_decref(j);
    assert_true(audit_has(id, "topic.propose"));
    assert_true(audit_has(id, "topic.close_vote"));
    assert_true(audit_has(id, "topic.evaluate"));
    /* nothing more after done but evaluations */
    assert_int_equal(act(staff, id, "reject", NULL, NULL), 409);
}

/* A staff proposal in a grid with its own threshold whose resolution fails: 2 of 4 attendees
 * for is not a majority. A failed resolution cannot be published. */
static void test_flow_fail(void **state)
{
    (void)state;
    setup();
    int64_t id = propose_id(staff, C.grid_a, "增设电动车充电桩", 1);
    assert_int_equal(topic_int(staff, id, "threshold"), 1);
    assert_int_equal(support(res[0], id), 200);
    assert_int_equal(act(staff, id, "accept", NULL, "agenda"), 200);
    int64_t att[4] = {res_id[0], res_id[1], res_id[2], res_id[3]};
    assert_int_equal(act(staff, id, "meet", meet_body(att, 4, "纪要"), "voting"), 200);
    assert_int_equal(vote(res[0], id, "for"), 200);
    assert_int_equal(vote(res[1], id, "for"), 200);
    assert_int_equal(vote(res[2], id, "abstain"), 200);
    assert_int_equal(act(staff, id, "close_vote", NULL, "failed"), 200);
    json_t *j = get_topic(staff, id);
    assert_true(json_is_false(json_object_get(h_obj(j, "tally"), "passed")));
    json_decref(j);
    assert_int_equal(act(staff, id, "publish", NULL, NULL), 409);
    assert_int_equal(act(staff, id, "progress", json_pack("{s:s}", "note", "x"), NULL), 409);
    assert_false(board_has_topic(res[0], id));
}

/* Reject and withdraw end a topic; only the proposer withdraws. */
static void test_reject_withdraw(void **state)
{
    (void)state;
    setup();
    int64_t a = propose_id(res[0], C.grid_a, "撤回的提议", 0);
    assert_int_equal(act(res[1], a, "withdraw", NULL, NULL), 403);
    assert_int_equal(act(res[0], a, "withdraw", NULL, "withdrawn"), 200);
    assert_int_equal(support(res[1], a), 409);
    assert_int_equal(act(res[0], a, "withdraw", NULL, NULL), 409);
    int64_t b = propose_id(res[0], C.grid_a, "不予采纳的提议", 0);
    assert_int_equal(act(res[0], b, "reject", NULL, NULL), 403);
    assert_int_equal(act(staff, b, "reject", json_pack("{s:s}", "note", "不属于议事范围"),
                         "rejected"),
                     200);
    assert_int_equal(act(staff, b, "accept", NULL, NULL), 409);
    assert_true(audit_has(b, "topic.reject"));
}

/* ---- concurrency: parallel requests of one user count once ---- */

struct racer {
    pthread_barrier_t *bar;
    const char *tok;
    int64_t id;
    int kind; /* 0 support, 1 vote, 2 rate */
    long status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    pthread_barrier_wait(r->bar);
    r->status = r->kind == 0 ? support(r->tok, r->id)
              : r->kind == 1 ? vote(r->tok, r->id, "for")
                             : rate(r->tok, r->id, 3);
    return NULL;
}

/* n parallel requests, toks[i] each; returns how many got 200, fails on anything but 200/409 */
static int race_all(char **toks, int n, int64_t id, int kind)
{
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, (unsigned)n);
    struct racer rs[N_RES];
    pthread_t th[N_RES];
    for (int i = 0; i < n; i++) {
        rs[i] = (struct racer){&bar, toks[i], id, kind, 0};
        assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        if (rs[i].status == 200)
            ok++;
        else if (rs[i].status != 409)
            fail_msg("racer %d (kind %d): status %ld", i, kind, rs[i].status);
    }
    pthread_barrier_destroy(&bar);
    return ok;
}

static void test_concurrency(void **state)
{
    (void)state;
    setup();
    int64_t id = propose_id(staff, C.community, "并发附议", 100);
    char *same[N_RES];
    for (int i = 0; i < N_RES; i++)
        same[i] = res[1];
    /* one resident, eight parallel supports: exactly one counts */
    assert_int_equal(race_all(same, N_RES, id, 0), 1);
    assert_int_equal(topic_int(staff, id, "supports"), 1);
    /* eight residents in parallel (one has supported already): seven more */
    assert_int_equal(race_all(res, N_RES, id, 0), N_RES - 1);
    assert_int_equal(topic_int(staff, id, "supports"), N_RES);

    /* votes: one attendee voting eight times at once */
    int64_t v = propose_id(staff, C.community, "并发表决", 1);
    assert_int_equal(support(res[0], v), 200);
    assert_int_equal(act(staff, v, "accept", NULL, "agenda"), 200);
    int64_t att[2] = {res_id[1], res_id[2]};
    assert_int_equal(act(staff, v, "meet", meet_body(att, 2, "纪要"), "voting"), 200);
    assert_int_equal(race_all(same, N_RES, v, 1), 1);
    json_t *j = get_topic(staff, v);
    assert_int_equal(h_int(h_obj(j, "tally"), "for"), 1);
    json_decref(j);
    /* 1 of 2 attendees is not a majority */
    assert_int_equal(act(staff, v, "close_vote", NULL, "failed"), 200);

    /* ratings: one resident rating eight times at once on a done topic */
    int64_t r = propose_id(staff, C.community, "并发评议", 1);
    assert_int_equal(support(res[0], r), 200);
    assert_int_equal(act(staff, r, "accept", NULL, NULL), 200);
    int64_t one[1] = {res_id[0]};
    assert_int_equal(act(staff, r, "meet", meet_body(one, 1, "纪要"), NULL), 200);
    assert_int_equal(vote(res[0], r, "for"), 200);
    assert_int_equal(act(staff, r, "close_vote", NULL, "passed"), 200);
    assert_int_equal(act(staff, r, "publish", NULL, NULL), 200);
    assert_int_equal(act(staff, r, "progress", json_pack("{s:s}", "note", "开工"), NULL), 200);
    assert_int_equal(act(staff, r, "complete", NULL, "done"), 200);
    assert_int_equal(race_all(same, N_RES, r, 2), 1);
    j = get_topic(staff, r);
    assert_int_equal(h_int(h_obj(j, "rating"), "count"), 1);
    json_decref(j);
}

/* ---- bad input and places ---- */

static void expect_422(json_t *j, long st, const char *field)
{
    H_STATUS(st, 422);
    h_check_error(j, field);
    json_decref(j);
}

static void test_bad_input(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/topics", res[0], json_pack("{s:I}", "org_id", (json_int_t)C.community),
                       &st);
    expect_422(j, st, "title");
    char longt[400];
    memset(longt, 'x', 101);
    longt[101] = '\0';
    j = propose(res[0], C.community, longt, 0, &st);
    expect_422(j, st, "title");
    j = propose(h_admin(), C.street, "街道层面的议题", 0, &st); /* topics: community or grid */
    expect_422(j, st, "org_id");
    j = propose(staff, C.grid_a, "", 0, &st);
    expect_422(j, st, "title");
    j = propose(res[0], C.community, "门槛", 2, &st); /* residents do not set thresholds */
    H_STATUS(st, 403);
    h_check_error(j, "threshold");
    json_decref(j);
    j = propose(res[0], community2, "别的社区", 0, &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = propose(res[0], C.grid_b, "别的网格", 0, &st); /* residents of grid A, not grid B */
    H_STATUS(st, 403);
    json_decref(j);
    j = propose(rc2, 999999, "不存在", 0, &st);
    expect_422(j, st, "org_id");

    int64_t id = propose_id(staff, C.community, "输入检查", 1);
    j = h_post(tpath(id, "/actions"), staff, json_pack("{s:s}", "action", "propose"), &st);
    expect_422(j, st, "action");
    j = h_post(tpath(id, "/actions"), staff, json_pack("{s:s}", "action", "explode"), &st);
    expect_422(j, st, "action");
    assert_int_equal(support(res[0], id), 200);
    assert_int_equal(act(staff, id, "accept", NULL, NULL), 200);
    /* meeting: minutes required and bounded, attendees distinct, of the place */
    int64_t att[2] = {res_id[0], res_id[1]};
    j = h_post(tpath(id, "/actions"), staff,
               json_pack("{s:s, s:o}", "action", "meet", "attendees",
                         json_pack("[I]", (json_int_t)res_id[0])),
               &st);
    expect_422(j, st, "minutes");
    size_t big = 20001 * 3;
    char *minutes = malloc(big + 1);
    for (size_t i = 0; i < big; i += 3)
        memcpy(minutes + i, "纪", 3);
    minutes[big] = '\0';
    j = h_post(tpath(id, "/actions"), staff, meet_body(att, 2, minutes), &st);
    free(minutes);
    expect_422(j, st, "minutes");
    int64_t dup[2] = {res_id[0], res_id[0]};
    j = h_post(tpath(id, "/actions"), staff, meet_body(dup, 2, "纪要"), &st);
    expect_422(j, st, "attendees");
    int64_t far[1] = {h_user("tp_far", "resident", community2)};
    j = h_post(tpath(id, "/actions"), staff, meet_body(far, 1, "纪要"), &st);
    expect_422(j, st, "attendees");
    int64_t ghost[1] = {987654};
    j = h_post(tpath(id, "/actions"), staff, meet_body(ghost, 1, "纪要"), &st);
    expect_422(j, st, "attendees");
    j = h_post(tpath(id, "/actions"), staff, meet_body(att, 0, "纪要"), &st);
    expect_422(j, st, "attendees");
    /* none of that was half-written: the meeting still works */
    assert_int_equal(act(staff, id, "meet", meet_body(att, 2, "纪要"), "voting"), 200);
    j = h_post(tpath(id, "/votes"), res[0], json_pack("{s:s}", "choice", "yes"), &st);
    expect_422(j, st, "choice");
    j = h_post(tpath(id, "/votes"), res[0], json_object(), &st);
    expect_422(j, st, "choice");
    j = h_post(tpath(id, "/ratings"), res[0], json_pack("{s:i}", "rating", 6), &st);
    expect_422(j, st, "rating");
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "topics.support_threshold", "value", "0"), &st);
    expect_422(j, st, "value");
    j = h_get("/api/v1/topics?status=nope", staff, &st);
    expect_422(j, st, "status");
    assert_int_equal(support(res[0], 999999), 404);
    /* a handler sees no topics at all */
    char *hd = h_user_token("tp_handler", "handler", C.dept_cg, NULL);
    j = h_get(tpath(id, ""), hd, &st);
    H_STATUS(st, 404);
    json_decref(j);
    free(hd);
}

/* ---- disclosures and the board ---- */

/* (json_pack's "f" is not used: this system's jansson crashes on it) */
static json_t *item(const char *label, double amount)
{
    json_t *o = json_object();
    json_object_set_new(o, "label", json_string(label));
    json_object_set_new(o, "amount", json_real(amount));
    return o;
}

static json_t *disclosure_body(int64_t org, const char *period)
{
    json_t *items = json_array();
    json_array_append_new(items, item("物业费收入", 120000.5));
    json_array_append_new(items, item("保洁支出", -35000.25));
    json_t *b = json_pack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "kind",
                          "property_fee", "title", "2026年第一季度物业服务费收支", "body",
                          "收支明细如下", "period", period);
    json_object_set_new(b, "items", items);
    return b;
}

static void test_disclosures(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/disclosures", staff, disclosure_body(C.community, "2026-Q1"), &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    assert_true(json_real_value(json_object_get(j, "total")) == 85000.25);
    assert_int_equal(json_array_size(h_obj(j, "items")), 2);
    assert_string_equal(h_str(j, "kind_name"), "物业服务费");
    json_decref(j);
    /* every resident of the place reads it, nobody else */
    j = h_get(h_path("/api/v1/disclosures/%lld", (long long)id), res[5], &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(json_array_get(h_obj(j, "items"), 1), "label"), "保洁支出");
    json_decref(j);
    j = h_get(h_path("/api/v1/disclosures/%lld", (long long)id), rc2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get("/api/v1/disclosures?kind=property_fee&period=2026-Q1", res[5], &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, id));
    json_decref(j);
    j = h_get("/api/v1/disclosures", rc2, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);
    j = h_get("/api/v1/board", res[5], &st);
    H_STATUS(st, 200);
    bool found = false;
    json_t *it;
    size_t i;
    json_array_foreach(h_obj(j, "disclosures"), i, it) found |= h_int(it, "id") == id;
    assert_true(found);
    json_decref(j);
    /* the district's command centre, above it, reads it too */
    char *cmd = h_user_token("tp_cmd", "command", C.district, NULL);
    j = h_get(h_path("/api/v1/disclosures/%lld", (long long)id), cmd, &st);
    H_STATUS(st, 200);
    json_decref(j);
    /* who may publish where */
    j = h_post("/api/v1/disclosures", cmd, disclosure_body(C.community, "2026-Q1"), &st);
    H_STATUS(st, 403);
    json_decref(j);
    free(cmd);
    j = h_post("/api/v1/disclosures", res[0], disclosure_body(C.community, "2026-Q1"), &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = h_post("/api/v1/disclosures", staff2, disclosure_body(C.community, "2026-Q1"), &st);
    H_STATUS(st, 403);
    json_decref(j);
    /* bad input */
    j = h_post("/api/v1/disclosures", staff, disclosure_body(C.community, "2026-13"), &st);
    expect_422(j, st, "period");
    j = h_post("/api/v1/disclosures", staff, disclosure_body(C.street, "2026"), &st);
    H_STATUS(st, 403); /* above staff's community */
    json_decref(j);
    j = h_post("/api/v1/disclosures", h_admin(), disclosure_body(C.district, "2026"), &st);
    expect_422(j, st, "org_id"); /* street, community or grid */
    json_t *b = disclosure_body(C.community, "2026");
    json_object_set_new(b, "items", json_array());
    j = h_post("/api/v1/disclosures", staff, b, &st);
    expect_422(j, st, "items");
    b = disclosure_body(C.community, "2026");
    json_t *one = json_array();
    json_array_append_new(one, item("零头", 1.234));
    json_object_set_new(b, "items", one);
    j = h_post("/api/v1/disclosures", staff, b, &st);
    expect_422(j, st, "items");
    b = disclosure_body(C.community, "2026");
    json_object_set_new(b, "kind", json_string("gossip"));
    j = h_post("/api/v1/disclosures", staff, b, &st);
    expect_422(j, st, "kind");
    /* audited */
    j = h_get(h_path("/api/v1/audit?object_type=disclosure&object_id=%lld", (long long)id),
              h_admin(), &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    json_decref(j);
}

static void test_openapi_lists_topics(void **state)
{
    (void)state;
    long st;
    json_t *doc = h_get("/api/openapi.json", NULL, &st);
    H_STATUS(st, 200);
    json_t *paths = h_obj(doc, "paths");
    assert_non_null(json_object_get(paths, "/api/v1/topics/{id}/actions"));
    assert_non_null(json_object_get(paths, "/api/v1/board"));
    json_t *post = json_object_get(json_object_get(paths, "/api/v1/topics/{id}/votes"), "post");
    assert_non_null(json_object_get(post, "requestBody"));
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_pass),    cmocka_unit_test(test_flow_fail),
        cmocka_unit_test(test_reject_withdraw), cmocka_unit_test(test_concurrency),
        cmocka_unit_test(test_bad_input),    cmocka_unit_test(test_disclosures),
        cmocka_unit_test(test_openapi_lists_topics),
    };
    return cmocka_run_group_tests(tests, h_start, h_stop);
}
