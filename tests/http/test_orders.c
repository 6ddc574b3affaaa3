/* test_orders.c - issue 6 over real HTTP: service orders (点单—下单—接单—评单) end to end,
 * every illegal transition (409), role and scope boundaries (a member of community A never sees
 * community B's orders), bad input, expiry, one winner among concurrent claims; points (a deed
 * pays once, also under parallel requests; the 啄木鸟 clue reward; statements, leaderboard) and
 * the points store (stock and points move together; concurrent redemptions of the last item). */
#include "harness.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/time.h"

static struct h_city C;
static int64_t C2; /* a second community under the same street */
static char *t_r1, *t_r2, *t_r3, *t_m1, *t_m2, *t_m3, *t_sc, *t_sc2, *t_ss, *t_go, *t_cmd;
static int64_t u_r1, u_m1, u_m2, u_m3;

#define N_RACE 6
static char *t_race[N_RACE];
static int64_t u_race[N_RACE];

static void city(void)
{
    if (C.district)
        return;
    h_city_build(&C, "SV");
    C2 = h_org(h_admin(), C.street, "community", "SVC2", "SV二社区", NULL, NULL);
    t_r1 = h_user_token("sv_r1", "resident", C.grid_a, &u_r1);
    t_r2 = h_user_token("sv_r2", "resident", C.community, NULL);
    t_r3 = h_user_token("sv_r3", "resident", C2, NULL);
    t_m1 = h_user_token("sv_m1", "member", C.community, &u_m1);
    t_m2 = h_user_token("sv_m2", "member", C.community, &u_m2);
    t_m3 = h_user_token("sv_m3", "member", C2, &u_m3);
    t_sc = h_user_token("sv_sc", "staff", C.community, NULL);
    t_sc2 = h_user_token("sv_sc2", "staff", C2, NULL);
    t_ss = h_user_token("sv_ss", "staff", C.street, NULL);
    t_go = h_user_token("sv_go", "grid_officer", C.grid_a, NULL);
    t_cmd = h_user_token("sv_cmd", "command", C.district, NULL);
    for (int i = 0; i < N_RACE; i++) {
        char name[32];
        snprintf(name, sizeof name, "sv_race%d", i);
        t_race[i] = h_user_token(name, "member", C.community, &u_race[i]);
    }
}

static int teardown(void **state)
{
    char **all[] = {&t_r1, &t_r2, &t_r3, &t_m1, &t_m2, &t_m3, &t_sc, &t_sc2, &t_ss, &t_go, &t_cmd};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(*all[i]);
    for (int i = 0; i < N_RACE; i++)
        free(t_race[i]);
    return h_stop(state);
}

static const char *in_secs(int64_t secs)
{
    static __thread char buf[GG_RFC3339_LEN];
    gg_time_format(gg_time_now() + secs, buf);
    return buf;
}

static int64_t ask(const char *tok, const char *cat, const char *title)
{
    long s = 0;
    json_t *j = h_post("/api/v1/service-orders", tok,
                       json_pack("{s:s, s:s, s:s}", "category_code", cat, "title", title,
                                 "description", "需要帮助"),
                       &s);
    H_STATUS(s, 201);
    assert_string_equal(h_str(j, "status"), "asked");
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

/* POST /service-orders/{id}/actions; extra (stolen) merged into the body */
static json_t *act(const char *tok, int64_t id, const char *action, json_t *extra, long *s)
{
    json_t *b = extra ? extra : json_object();
    json_object_set_new(b, "action", json_string(action));
    return h_post(h_path("/api/v1/service-orders/%lld/actions", (long long)id), tok, b, s);
}

static void act_expect(const char *tok, int64_t id, const char *action, json_t *extra, long want,
                       const char *status_after)
{
    long s = 0;
    json_t *j = act(tok, id, action, extra, &s);
    H_STATUS(s, want);
    if (want >= 400)
        h_check_error(j, NULL);
    else if (status_after)
        assert_string_equal(h_str(j, "status"), status_after);
    json_decref(j);
}

static int64_t published(const char *asker, int reward, int64_t secs)
{
    int64_t id = ask(asker, "1203", "帮忙取快递");
    act_expect(t_sc, id, "publish",
               json_pack("{s:i, s:s}", "reward", reward, "deadline_at", in_secs(secs)), 200,
               "published");
    return id;
}

static json_t *account(const char *tok)
{
    long s = 0;
    json_t *j = h_get("/api/v1/points/me", tok, &s);
    H_STATUS(s, 200);
    return j;
}

static int64_t balance(const char *tok)
{
    json_t *j = account(tok);
    int64_t b = h_int(j, "balance");
    json_decref(j);
    return b;
}

static long get_status(const char *path, const char *tok)
{
    long s = 0;
    json_decref(h_get(path, tok, &s));
    return s;
}

/* ---- service orders ---- */

static void test_order_end_to_end(void **state)
{
    (void)state;
    city();
    int64_t before = balance(t_m1);
    int64_t id = ask(t_r1, "1201", "想要一套儿童绘本");
    const char *one = h_path("/api/v1/service-orders/%lld", (long long)id);
    /* not yet published: members do not see it */
    assert_int_equal(get_status(one, t_m1), 404);
    long s = 0;
    json_t *j = h_get(one, t_r1, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "category_name"), "微心愿");
    assert_string_equal(h_str(j, "community_name"), "SV社区"); /* the asker's grid's community */
    json_decref(j);

    act_expect(t_sc, id, "publish",
               json_pack("{s:i, s:s}", "reward", 20, "deadline_at", in_secs(7 * 86400)), 200,
               "published");
    j = h_get("/api/v1/service-orders?status=published", t_m1, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, id));
    json_decref(j);
    /* a member of another community never sees it */
    j = h_get("/api/v1/service-orders", t_m3, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);
    assert_int_equal(get_status(one, t_m3), 404);
    act_expect(t_m3, id, "claim", NULL, 404, NULL);

    act_expect(t_m1, id, "claim", NULL, 200, "claimed");
    act_expect(t_m2, id, "claim", NULL, 409, NULL);
    /* another member cannot see a claimed order that is not theirs */
    act_expect(t_m2, id, "complete", json_pack("{s:s}", "note", "x"), 404, NULL);
    j = act(t_m1, id, "complete", json_pack("{s:s}", "note", "绘本已送到"), &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "status"), "completed");
    assert_string_equal(h_str(j, "completion_note"), "绘本已送到");
    json_decref(j);
    /* the claimer still sees it once it left the published list */
    j = h_get("/api/v1/service-orders?mine=claimed", t_m1, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, id));
    json_decref(j);

    act_expect(t_r2, id, "rate", json_pack("{s:i}", "rating", 5), 404, NULL);
    assert_int_equal(balance(t_m1), before); /* nothing paid before the rating */
    act_expect(t_r1, id, "rate", json_pack("{s:i, s:s}", "rating", 5, "note", "非常感谢"), 200,
               "rated");
    assert_int_equal(balance(t_m1), before + 20);
    j = h_get("/api/v1/points/statement", t_m1, &s);
    H_STATUS(s, 200);
    json_t *first = json_array_get(h_items(j), 0);
    char key[64];
    snprintf(key, sizeof key, "service_order:%lld", (long long)id);
    assert_string_equal(h_str(first, "source_key"), key);
    assert_int_equal(h_int(first, "amount"), 20);
    assert_string_equal(h_str(first, "source"), "service_order");
    json_decref(j);

    /* 评价 by the street: community staff may not */
    act_expect(t_sc, id, "review", json_pack("{s:i}", "rating", 4), 403, NULL);
    j = act(t_ss, id, "review", json_pack("{s:i, s:s}", "rating", 4, "note", "服务及时"), &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "status"), "reviewed");
    assert_int_equal(h_int(j, "review_rating"), 4);
    assert_int_equal(h_int(j, "rating"), 5);
    json_decref(j);
    act_expect(t_ss, id, "review", json_pack("{s:i}", "rating", 4), 409, NULL);

    /* every write audited */
    j = h_get(h_path("/api/v1/audit?object_type=service_order&object_id=%lld", (long long)id),
              h_admin(), &s);
    H_STATUS(s, 200);
    const char *want[] = {"service_order.ask",      "service_order.publish",
                          "service_order.claim",    "service_order.complete",
                          "service_order.rate",     "service_order.review"};
    json_t *items = h_items(j);
    assert_int_equal(json_array_size(items), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(h_str(json_array_get(items, i), "action"), want[i]);
    json_decref(j);
}

static void test_illegal_transitions_and_roles(void **state)
{
    (void)state;
    city();
    int64_t id = ask(t_r1, "1202", "代缴水费");
    /* asked: only publish and cancel */
    act_expect(t_m1, id, "claim", NULL, 409, NULL);
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 3), 409, NULL);
    act_expect(t_ss, id, "review", json_pack("{s:i}", "rating", 3), 409, NULL);
    /* roles that may never act: 403 before any state check */
    act_expect(t_r1, id, "publish", NULL, 403, NULL);
    act_expect(t_m1, id, "publish", NULL, 403, NULL);
    act_expect(t_go, id, "publish", NULL, 403, NULL);
    act_expect(t_cmd, id, "claim", NULL, 403, NULL);
    act_expect(t_sc, id, "claim", NULL, 403, NULL);
    act_expect(t_sc, id, "rate", json_pack("{s:i}", "rating", 3), 403, NULL);
    act_expect(t_r1, id, "review", json_pack("{s:i}", "rating", 3), 403, NULL);
    /* staff of another community: outside its scope */
    act_expect(t_sc2, id, "publish",
               json_pack("{s:i, s:s}", "reward", 1, "deadline_at", in_secs(3600)), 404, NULL);
    act_expect(t_sc, id, "publish",
               json_pack("{s:i, s:s}", "reward", 5, "deadline_at", in_secs(3600)), 200,
               "published");
    act_expect(t_sc, id, "publish",
               json_pack("{s:i, s:s}", "reward", 5, "deadline_at", in_secs(3600)), 409, NULL);
    act_expect(t_m1, id, "complete", NULL, 403, NULL); /* not the claimer */
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 3), 409, NULL);
    act_expect(t_m1, id, "claim", NULL, 200, "claimed");
    act_expect(t_m1, id, "claim", NULL, 409, NULL);
    /* claimed: no more cancelling */
    act_expect(t_r1, id, "cancel", NULL, 409, NULL);
    act_expect(t_sc, id, "cancel", NULL, 409, NULL);
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 3), 409, NULL);
    act_expect(t_m1, id, "complete", NULL, 200, "completed");
    act_expect(t_m1, id, "complete", NULL, 409, NULL);
    act_expect(t_ss, id, "review", json_pack("{s:i}", "rating", 3), 409, NULL);
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 3), 200, "rated");
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 3), 409, NULL);
    act_expect(t_r1, id, "cancel", NULL, 409, NULL);

    long s0 = 0;
    /* cancel: the asker before the claim; someone else's order is not theirs to cancel */
    int64_t c1 = ask(t_r1, "1204", "需要陪同就医");
    act_expect(t_r2, c1, "cancel", NULL, 404, NULL); /* r2 cannot even see it */
    act_expect(t_r1, c1, "cancel", json_pack("{s:s}", "note", "已解决"), 200, "cancelled");
    act_expect(t_sc, c1, "publish",
               json_pack("{s:i, s:s}", "reward", 5, "deadline_at", in_secs(3600)), 409, NULL);
    act_expect(t_r1, c1, "cancel", NULL, 409, NULL);
    /* staff cancel a published order; a member cannot claim its own order */
    int64_t c2 = published(t_m2, 3, 3600);
    act_expect(t_m2, c2, "claim", NULL, 403, NULL);
    act_expect(t_sc, c2, "cancel", NULL, 200, "cancelled");
    act_expect(t_m1, c2, "claim", NULL, 409, NULL);
    json_t *j = h_get("/api/v1/service-orders", t_m1, &s0);
    H_STATUS(s0, 200);
    assert_false(h_list_has(j, c2)); /* no longer published: not listed for members */
    json_decref(j);
}

static void test_bad_input(void **state)
{
    (void)state;
    city();
    long s = 0;
    struct {
        json_t *body;
        const char *field;
    } asks[] = {
        {json_pack("{s:s, s:s}", "category_code", "9999", "title", "x"), "category_code"},
        {json_pack("{s:s, s:s}", "category_code", "0101", "title", "x"), "category_code"},
        {json_pack("{s:s, s:s}", "category_code", "12", "title", "x"), "category_code"},
        {json_pack("{s:s}", "category_code", "1201"), "title"},
        {json_pack("{s:s, s:i}", "category_code", "1201", "title", 5), "title"},
        {json_pack("{s:s, s:s, s:I}", "category_code", "1201", "title", "x", "community_id",
                   (json_int_t)C2),
         "community_id"},
    };
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        json_t *j = h_post("/api/v1/service-orders", t_r1, asks[i].body, &s);
        H_STATUS(s, 422);
        h_check_error(j, asks[i].field);
        json_decref(j);
    }
    char longtitle[3 * 65 + 1] = "";
    for (int i = 0; i < 65; i++)
        strcat(longtitle, "字");
    json_t *j = h_post("/api/v1/service-orders", t_r1,
                       json_pack("{s:s, s:s}", "category_code", "1201", "title", longtitle), &s);
    H_STATUS(s, 422);
    h_check_error(j, "title");
    json_decref(j);
    /* grid officers and staff do not ask */
    j = h_post("/api/v1/service-orders", t_go,
               json_pack("{s:s, s:s}", "category_code", "1201", "title", "x"), &s);
    H_STATUS(s, 403);
    json_decref(j);

    int64_t id = ask(t_r1, "1201", "输入检查");
    act_expect(t_sc, id, "publish", json_pack("{s:i}", "reward", 5), 422, NULL); /* no deadline */
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", -1, "deadline_at",
                                              in_secs(3600)),
               422, NULL);
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", 1001, "deadline_at",
                                              in_secs(3600)),
               422, NULL);
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", 5, "deadline_at",
                                              in_secs(-60)),
               422, NULL);
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", 5, "deadline_at",
                                              in_secs(400 * 86400)),
               422, NULL);
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", 5, "deadline_at", "soon"),
               422, NULL);
    act_expect(t_sc, id, "launch", NULL, 422, NULL);
    act_expect(t_sc, id, "expire", NULL, 422, NULL); /* a system action */
    act_expect(t_sc, id, "publish", json_pack("{s:i, s:s}", "reward", 5, "deadline_at",
                                              in_secs(3600)),
               200, "published");
    act_expect(t_m1, id, "claim", NULL, 200, "claimed");
    act_expect(t_m1, id, "complete", json_pack("{s:[I]}", "attachment_ids", (json_int_t)999999),
               422, NULL);
    act_expect(t_m1, id, "complete", NULL, 200, "completed");
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 6), 422, NULL);
    act_expect(t_r1, id, "rate", json_pack("{s:i}", "rating", 0), 422, NULL);
    act_expect(t_r1, id, "rate", NULL, 422, NULL);
    assert_int_equal(get_status("/api/v1/service-orders?status=nope", t_r1), 422);
    assert_int_equal(get_status("/api/v1/service-orders?mine=all", t_r1), 422);
    assert_int_equal(get_status("/api/v1/service-orders?limit=501", t_r1), 422);
    assert_int_equal(get_status("/api/v1/service-orders/999999", t_r1), 404);
}

static void test_expire(void **state)
{
    (void)state;
    city();
    int64_t id = published(t_r1, 5, 2);
    sleep(3);
    long s = 0;
    json_t *j = h_get(h_path("/api/v1/service-orders/%lld", (long long)id), t_sc, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "status"), "expired");
    json_decref(j);
    /* gone from the members' list, refused when claimed, found by status=expired */
    j = h_get("/api/v1/service-orders", t_m1, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);
    act_expect(t_m1, id, "claim", NULL, 409, NULL);
    act_expect(t_sc, id, "cancel", NULL, 409, NULL);
    j = h_get("/api/v1/service-orders?status=expired", t_sc, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, id));
    json_decref(j);
    j = h_get("/api/v1/service-orders?status=published", t_sc, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);
}

static void test_scope_lists(void **state)
{
    (void)state;
    city();
    int64_t mine = ask(t_r1, "1203", "范围检查");
    int64_t other = ask(t_r3, "1203", "二社区的单");
    long s = 0;
    json_t *j = h_get("/api/v1/service-orders", t_r2, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, mine));
    assert_false(h_list_has(j, other));
    json_decref(j);
    assert_int_equal(get_status(h_path("/api/v1/service-orders/%lld", (long long)mine), t_r2),
                     404);
    j = h_get("/api/v1/service-orders", t_sc, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, mine));
    assert_false(h_list_has(j, other));
    json_decref(j);
    j = h_get("/api/v1/service-orders", t_ss, &s); /* the street sees both communities */
    H_STATUS(s, 200);
    assert_true(h_list_has(j, mine));
    assert_true(h_list_has(j, other));
    json_decref(j);
    j = h_get(h_path("/api/v1/service-orders?org_id=%lld", (long long)C2), t_ss, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, mine));
    assert_true(h_list_has(j, other));
    json_decref(j);
    /* an org outside the scope filters everything out */
    j = h_get(h_path("/api/v1/service-orders?org_id=%lld", (long long)C2), t_sc, &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(h_items(j)), 0);
    json_decref(j);
}

/* ---- concurrency ---- */

struct racer {
    pthread_barrier_t *bar;
    const char *method, *path, *tok;
    json_t *body; /* stolen by the request */
    long status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    pthread_barrier_wait(r->bar);
    long st = 0;
    json_decref(h_post(r->path, r->tok, r->body, &st));
    r->status = st;
    return NULL;
}

/* runs n POSTs at once; returns how many answered `ok` and checks the rest answered 409 */
static int race_posts(int n, const char *const *toks, const char *path, json_t *const *bodies,
                      long ok)
{
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, (unsigned)n);
    struct racer r[16];
    pthread_t t[16];
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    for (int i = 0; i < n; i++) {
        r[i] = (struct racer){&bar, "POST", p, toks[i], bodies[i], 0};
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    int wins = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        if (r[i].status == ok)
            wins++;
        else if (r[i].status != 409)
            fail_msg("racer %d: status %ld, want %ld or 409", i, r[i].status, ok);
    }
    pthread_barrier_destroy(&bar);
    return wins;
}

static void test_concurrent_claims(void **state)
{
    (void)state;
    city();
    for (int round = 0; round < 5; round++) {
        int64_t id = published(t_r1, 2, 3600);
        json_t *bodies[N_RACE];
        const char *toks[N_RACE];
        for (int i = 0; i < N_RACE; i++) {
            bodies[i] = json_pack("{s:s}", "action", "claim");
            toks[i] = t_race[i];
        }
        int wins = race_posts(N_RACE, toks,
                              h_path("/api/v1/service-orders/%lld/actions", (long long)id),
                              bodies, 200);
        if (wins != 1)
            fail_msg("round %d: %d claims won, want exactly 1", round, wins);
        long s = 0;
        json_t *j = h_get(h_path("/api/v1/service-orders/%lld", (long long)id), t_sc, &s);
        H_STATUS(s, 200);
        int64_t claimer = h_int(j, "claimer_id");
        json_decref(j);
        bool known = false;
        for (int i = 0; i < N_RACE; i++)
            known = known || claimer == u_race[i];
        assert_true(known);
    }
}

static void test_concurrent_rate_pays_once(void **state)
{
    (void)state;
    city();
    int64_t id = published(t_r1, 7, 3600);
    act_expect(t_m2, id, "claim", NULL, 200, "claimed");
    act_expect(t_m2, id, "complete", NULL, 200, "completed");
    int64_t before = balance(t_m2);
    const char *toks[4] = {t_r1, t_r1, t_r1, t_r1};
    json_t *bodies[4];
    for (int i = 0; i < 4; i++)
        bodies[i] = json_pack("{s:s, s:i}", "action", "rate", "rating", 4);
    int wins = race_posts(4, toks, h_path("/api/v1/service-orders/%lld/actions", (long long)id),
                          bodies, 200);
    assert_int_equal(wins, 1);
    assert_int_equal(balance(t_m2), before + 7);
}

/* ---- points ---- */

static void test_award_pays_once_under_concurrency(void **state)
{
    (void)state;
    city();
    int64_t before = balance(t_m3);
    const char *toks[8];
    json_t *bodies[8];
    for (int i = 0; i < 8; i++) {
        toks[i] = i % 2 ? t_ss : h_admin();
        bodies[i] = json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                              "volunteer", "ref", "2026-11-clean-up", "amount", 12, "reason",
                              "社区清洁 3 小时");
    }
    int wins = race_posts(8, toks, "/api/v1/points/awards", bodies, 201);
    assert_int_equal(wins, 1);
    assert_int_equal(balance(t_m3), before + 12);
    long s = 0;
    json_t *j = h_get(h_path("/api/v1/points/statement?user_id=%lld", (long long)u_m3), t_ss, &s);
    H_STATUS(s, 200);
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(h_items(j), i, e)
    {
        n += strcmp(h_str(e, "source_key"), "volunteer:2026-11-clean-up:" ) > 0 &&
             strstr(h_str(e, "source_key"), "2026-11-clean-up") != NULL;
    }
    assert_int_equal(n, 1);
    assert_int_equal(h_int(h_obj(j, "account"), "balance"), before + 12);
    json_decref(j);

    /* bad awards: role, amount, ref, source, outside scope, a meeting is another deed */
    struct {
        const char *tok;
        json_t *body;
        long want;
    } bad[] = {
        {t_m1, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "volunteer", "ref", "x1", "amount", 1, "reason", "r"), 403},
        {t_ss, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "volunteer", "ref", "x1", "amount", 0, "reason", "r"), 422},
        {t_ss, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "volunteer", "ref", "x1", "amount", -5, "reason", "r"), 422},
        {t_ss, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "volunteer", "ref", "a:b", "amount", 1, "reason", "r"), 422},
        {t_ss, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "service_order", "ref", "x1", "amount", 1, "reason", "r"), 422},
        {t_sc, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "volunteer", "ref", "x1", "amount", 1, "reason", "r"), 422},
        {t_ss, json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)u_m3, "source",
                         "meeting", "ref", "2026-11-clean-up", "amount", 2, "reason", "议事会"),
         201},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        j = h_post("/api/v1/points/awards", bad[k].tok, bad[k].body, &s);
        if (s != bad[k].want)
            fail_msg("award %zu: status %ld, want %ld\n%s", k, s, bad[k].want, h_last());
        if (s >= 400)
            h_check_error(j, NULL);
        json_decref(j);
    }
    assert_int_equal(balance(t_m3), before + 14);
    /* someone else's statement: members and residents never; staff outside scope 404 */
    assert_int_equal(get_status(h_path("/api/v1/points/statement?user_id=%lld", (long long)u_m3),
                                t_m1),
                     404);
    assert_int_equal(get_status(h_path("/api/v1/points/statement?user_id=%lld", (long long)u_m3),
                                t_sc),
                     404);
}

static void test_clue_reward(void **state)
{
    (void)state;
    city();
    int64_t before = balance(t_r1);
    int64_t id = h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "SV 小区门口垃圾");
    long s = 0;
    json_decref(h_act(t_cmd, id, "register", &s));
    H_STATUS(s, 200);
    json_decref(h_act(t_go, id, "sign", &s));
    H_STATUS(s, 200);
    json_decref(h_act(t_go, id, "handle", &s));
    H_STATUS(s, 200);
    assert_int_equal(balance(t_r1), before); /* not yet verified */
    json_decref(h_act(t_go, id, "verify_ok", &s));
    H_STATUS(s, 200);
    assert_int_equal(balance(t_r1), before + 5);
    json_t *j = h_get("/api/v1/points/statement", t_r1, &s);
    H_STATUS(s, 200);
    json_t *first = json_array_get(h_items(j), 0);
    char key[64];
    snprintf(key, sizeof key, "event_clue:%lld", (long long)id);
    assert_string_equal(h_str(first, "source_key"), key);
    assert_string_equal(h_str(first, "source"), "event_clue");
    json_decref(j);
    /* rating the closed event pays nothing more */
    json_decref(h_act_with(t_r1, id, "rate", json_pack("{s:s}", "rating", "satisfied"), &s));
    H_STATUS(s, 200);
    assert_int_equal(balance(t_r1), before + 5);
    /* a grid officer's own patrol report closed on the spot pays nothing */
    json_t *go0 = account(t_go);
    int64_t g0 = h_int(go0, "balance");
    json_decref(go0);
    int64_t p = h_event_id(t_go, "0101", H_A_LAT, H_A_LON, "patrol", "SV 巡查");
    json_decref(h_act(t_go, p, "self_handle", &s));
    H_STATUS(s, 200);
    assert_int_equal(balance(t_go), g0);
}

/* ---- the points store ---- */

static int64_t item(const char *tok, int64_t community, const char *name, int price, int stock,
                    long want)
{
    long s = 0;
    json_t *j = h_post("/api/v1/store/items", tok,
                       json_pack("{s:I, s:s, s:i, s:i}", "community_id", (json_int_t)community,
                                 "name", name, "price", price, "stock", stock),
                       &s);
    H_STATUS(s, want);
    int64_t id = want == 201 ? h_int(j, "id") : 0;
    json_decref(j);
    return id;
}

static void award(int64_t user, const char *ref, int amount)
{
    long s = 0;
    json_decref(h_post("/api/v1/points/awards", t_ss,
                       json_pack("{s:I, s:s, s:s, s:i, s:s}", "user_id", (json_int_t)user,
                                 "source", "volunteer", "ref", ref, "amount", amount, "reason",
                                 "志愿服务"),
                       &s));
    H_STATUS(s, 201);
}

static void test_store_and_redemption(void **state)
{
    (void)state;
    city();
    /* managing: staff of the community; not residents, not staff of another community */
    item(t_r1, C.community, "毛巾", 10, 5, 403);
    item(t_sc2, C.community, "毛巾", 10, 5, 403);
    item(t_sc, C.community, "毛巾", 0, 5, 422);
    item(t_sc, C.community, "毛巾", 10, -1, 422);
    item(t_sc, C.grid_a, "毛巾", 10, 5, 422); /* not a community */
    int64_t towel = item(t_sc, C.community, "毛巾", 10, 5, 201);
    int64_t last = item(t_sc, C.community, "保温杯", 10, 1, 201);
    const char *tp = h_path("/api/v1/store/items/%lld", (long long)towel);
    assert_int_equal(get_status(tp, t_r1), 200);
    assert_int_equal(get_status(tp, t_ss), 200);
    assert_int_equal(get_status(tp, t_r3), 404); /* another community */
    long s = 0;
    json_t *j = h_get("/api/v1/store/items", t_r3, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, towel));
    json_decref(j);
    j = h_get("/api/v1/store/items", t_r1, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, towel));
    json_decref(j);
    j = h_patch(tp, t_r1, json_pack("{s:i}", "stock", 9), &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_patch(tp, t_sc, json_pack("{s:i}", "price", -3), &s);
    H_STATUS(s, 422);
    json_decref(j);

    /* three members with 10 points each race for the last cup: one wins */
    const char *toks[3];
    json_t *bodies[3];
    for (int i = 0; i < 3; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "store-seed-%d", i);
        award(u_race[i], ref, 10);
        toks[i] = t_race[i];
        bodies[i] = json_pack("{s:i}", "quantity", 1);
    }
    int64_t b[3];
    for (int i = 0; i < 3; i++)
        b[i] = balance(t_race[i]);
    int wins = race_posts(3, toks, h_path("/api/v1/store/items/%lld/redeem", (long long)last),
                          bodies, 201);
    assert_int_equal(wins, 1);
    int paid = 0;
    for (int i = 0; i < 3; i++) {
        int64_t now = balance(t_race[i]);
        assert_true(now == b[i] || now == b[i] - 10);
        paid += now == b[i] - 10;
    }
    assert_int_equal(paid, 1);
    j = h_get(h_path("/api/v1/store/items/%lld", (long long)last), t_sc, &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "stock"), 0);
    json_decref(j);

    /* short of points: 409, and neither stock nor points move */
    award(u_race[3], "store-seed-3", 5);
    int64_t b3 = balance(t_race[3]);
    const char *rp = h_path("/api/v1/store/items/%lld/redeem", (long long)towel);
    j = h_post(rp, t_race[3], json_pack("{s:i}", "quantity", 1), &s);
    H_STATUS(s, 409);
    h_check_error(j, "quantity");
    json_decref(j);
    assert_int_equal(balance(t_race[3]), b3);
    j = h_get(tp, t_sc, &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(j, "stock"), 5);
    json_decref(j);
    /* more than the stock; bad quantities; another community's resident */
    award(u_race[3], "store-seed-3b", 100);
    j = h_post(rp, t_race[3], json_pack("{s:i}", "quantity", 6), &s);
    H_STATUS(s, 409);
    json_decref(j);
    j = h_post(rp, t_race[3], json_pack("{s:i}", "quantity", 0), &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = h_post(rp, t_r3, json_pack("{s:i}", "quantity", 1), &s);
    H_STATUS(s, 404);
    json_decref(j);
    /* a good one: points and stock move together, the statement shows it */
    j = h_post(rp, t_race[3], json_pack("{s:i}", "quantity", 2), &s);
    H_STATUS(s, 201);
    assert_int_equal(h_int(j, "points"), 20);
    assert_int_equal(h_int(j, "balance_after"), b3 + 100 - 20);
    int64_t rid = h_int(j, "id");
    json_decref(j);
    j = h_get(tp, t_sc, &s);
    assert_int_equal(h_int(j, "stock"), 3);
    json_decref(j);
    j = h_get("/api/v1/redemptions", t_race[3], &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, rid));
    json_decref(j);
    j = h_get("/api/v1/redemptions", t_sc, &s);
    H_STATUS(s, 200);
    assert_true(h_list_has(j, rid));
    json_decref(j);
    j = h_get("/api/v1/redemptions", t_sc2, &s);
    H_STATUS(s, 200);
    assert_false(h_list_has(j, rid));
    json_decref(j);
    /* withdrawn items cannot be redeemed and leave the default list */
    j = h_patch(tp, t_sc, json_pack("{s:b}", "active", 0), &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_post(rp, t_race[3], json_pack("{s:i}", "quantity", 1), &s);
    H_STATUS(s, 409);
    json_decref(j);
    j = h_get("/api/v1/store/items", t_r1, &s);
    assert_false(h_list_has(j, towel));
    json_decref(j);
}

static void test_leaderboard(void **state)
{
    (void)state;
    city();
    award(u_m1, "board-1", 300);
    long s = 0;
    json_t *j = h_get("/api/v1/points/leaderboard", t_r2, &s);
    H_STATUS(s, 200);
    assert_int_equal(h_int(h_obj(j, "community"), "id"), C.community);
    json_t *items = h_items(j);
    assert_true(json_array_size(items) >= 2);
    json_t *top = json_array_get(items, 0);
    assert_int_equal(h_int(top, "user_id"), u_m1);
    assert_int_equal(h_int(top, "rank"), 1);
    int64_t prev = INT64_MAX;
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e)
    {
        assert_true(h_int(e, "earned") <= prev);
        prev = h_int(e, "earned");
        assert_true(h_int(e, "user_id") != u_m3); /* another community's member */
    }
    json_decref(j);
    assert_int_equal(get_status(h_path("/api/v1/points/leaderboard?org_id=%lld",
                                       (long long)C.community),
                                t_m3),
                     404);
    assert_int_equal(get_status(h_path("/api/v1/points/leaderboard?org_id=%lld", (long long)C2),
                                t_ss),
                     200);
}

static void test_openapi(void **state)
{
    (void)state;
    long s = 0;
    json_t *doc = h_get("/api/openapi.json", NULL, &s);
    H_STATUS(s, 200);
    json_t *paths = h_obj(doc, "paths");
    static const char *const want[] = {
        "/api/v1/service-orders",     "/api/v1/service-orders/{id}",
        "/api/v1/service-orders/{id}/actions", "/api/v1/points/me",
        "/api/v1/points/statement",   "/api/v1/points/awards",
        "/api/v1/points/leaderboard", "/api/v1/store/items",
        "/api/v1/store/items/{id}",   "/api/v1/store/items/{id}/redeem",
        "/api/v1/redemptions"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!json_object_get(paths, want[i]))
            fail_msg("%s missing from the OpenAPI document", want[i]);
    json_t *so = h_obj(h_obj(h_obj(doc, "components"), "schemas"), "ServiceOrder");
    json_t *en = json_object_get(json_object_get(h_obj(so, "properties"), "status"), "enum");
    assert_int_equal(json_array_size(en), 8);
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_end_to_end),
        cmocka_unit_test(test_illegal_transitions_and_roles),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_expire),
        cmocka_unit_test(test_scope_lists),
        cmocka_unit_test(test_concurrent_claims),
        cmocka_unit_test(test_concurrent_rate_pays_once),
        cmocka_unit_test(test_award_pays_once_under_concurrency),
        cmocka_unit_test(test_clue_reward),
        cmocka_unit_test(test_store_and_redemption),
        cmocka_unit_test(test_leaderboard),
        cmocka_unit_test(test_openapi),
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
