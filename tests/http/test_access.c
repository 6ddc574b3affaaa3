/* test_access.c - the scope matrix: for each role, which events it can read (GET by id, lists)
 * and which actions it may take, over one small city with two streets, two grids and two
 * departments. Plus: text with SQL metacharacters is stored and searched verbatim. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_city C;
static int64_t street2, community2, grid_c;
static int64_t ev_a, ev_b, ev_c, ev_cg, ev_ga, ev_res;

enum { T_ADMIN, T_CMD, T_LEADER, T_STAFF_S, T_STAFF_S2, T_GO_A, T_GO_C, T_H_CG, T_H_GA,
       T_MEMBER, T_RES, T_RES2, T__COUNT };
static char *tok[T__COUNT];
static const char *const names[T__COUNT] = {"admin", "command", "leader", "staff S", "staff S2",
                                            "grid officer A", "grid officer C", "handler 城管",
                                            "handler 公安", "member", "resident", "resident 2"};

static int64_t event_at(const char *t, const char *cat, double lat, double lon, const char *src,
                        const char *desc)
{
    return h_event_id(t, cat, lat, lon, src, desc);
}

static void setup_city(void)
{
    if (tok[T_ADMIN])
        return;
    h_city_build(&C, "SC-");
    const char *adm = h_admin();
    street2 = h_org(adm, C.district, "street", "SC-S2", "第二街道", NULL, NULL);
    community2 = h_org(adm, street2, "community", "SC-S2C", "第二社区", NULL, NULL);
    grid_c = h_org(adm, community2, "grid", "SC-S2CG", "丙网格", h_rect(116.32, 39.90, 116.33, 39.91),
                   NULL);
    tok[T_ADMIN] = strdup(adm);
    tok[T_CMD] = h_user_token("sc_cmd", "command", C.district, NULL);
    tok[T_LEADER] = h_user_token("sc_leader", "leader", C.district, NULL);
    tok[T_STAFF_S] = h_user_token("sc_staff1", "staff", C.street, NULL);
    tok[T_STAFF_S2] = h_user_token("sc_staff2", "staff", street2, NULL);
    tok[T_GO_A] = h_user_token("sc_go_a", "grid_officer", C.grid_a, NULL);
    tok[T_GO_C] = h_user_token("sc_go_c", "grid_officer", grid_c, NULL);
    tok[T_H_CG] = h_user_token("sc_h_cg", "handler", C.dept_cg, NULL);
    tok[T_H_GA] = h_user_token("sc_h_ga", "handler", C.dept_ga, NULL);
    tok[T_MEMBER] = h_user_token("sc_member", "member", C.community, NULL);
    tok[T_RES] = h_user_token("sc_res", "resident", C.community, NULL);
    tok[T_RES2] = h_user_token("sc_res2", "resident", C.community, NULL);

    ev_a = event_at(tok[T_GO_A], "0101", H_A_LAT, H_A_LON, "patrol", "SC 甲网格垃圾");
    ev_b = event_at(tok[T_CMD], "0101", H_B_LAT, H_B_LON, "hotline", "SC 乙网格垃圾");
    ev_c = event_at(tok[T_GO_C], "0101", 39.905, 116.325, "patrol", "SC 丙网格垃圾");
    ev_cg = event_at(tok[T_CMD], "0403", H_A_LAT, H_A_LON, "hotline", "SC 占道经营");
    ev_ga = event_at(tok[T_CMD], "0901", H_B_LAT, H_B_LON, "hotline", "SC 治安隐患");
    ev_res = event_at(tok[T_RES], "0101", H_A_LAT, H_A_LON, "app", "SC 居民随手拍");
}

/* 1 = may read, 0 = 404 */
static const int readable[T__COUNT][6] = {
    /*               a  b  c  cg ga res */
    [T_ADMIN] = {1, 1, 1, 1, 1, 1},
    [T_CMD] = {1, 1, 1, 1, 1, 1},
    [T_LEADER] = {1, 1, 1, 1, 1, 1},
    [T_STAFF_S] = {1, 1, 0, 1, 1, 1},  /* its street: grids A and B */
    [T_STAFF_S2] = {0, 0, 1, 0, 0, 0}, /* the other street: grid C only */
    [T_GO_A] = {1, 0, 0, 1, 0, 1},     /* located in grid A */
    [T_GO_C] = {0, 0, 1, 0, 0, 0},
    [T_H_CG] = {0, 0, 0, 1, 0, 0},     /* assigned to its department */
    [T_H_GA] = {0, 0, 0, 0, 1, 0},
    [T_MEMBER] = {0, 0, 0, 0, 0, 0},   /* its own reports only: none */
    [T_RES] = {0, 0, 0, 0, 0, 1},
    [T_RES2] = {0, 0, 0, 0, 0, 0},
};

static void test_read_matrix(void **state)
{
    (void)state;
    setup_city();
    int64_t ids[6] = {ev_a, ev_b, ev_c, ev_cg, ev_ga, ev_res};
    for (int t = 0; t < T__COUNT; t++) {
        json_t *l = NULL;
        long st = 0;
        l = h_get("/api/v1/events?limit=500&q=SC%20", tok[t], &st);
        H_STATUS(st, 200);
        for (int k = 0; k < 6; k++) {
            json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)ids[k]), tok[t], &st);
            long want = readable[t][k] ? 200 : 404;
            if (st != want)
                fail_msg("%s reading event %d: status %ld, want %ld\n%s", names[t], k, st, want,
                         h_last());
            if (st == 404)
                h_check_error(j, NULL);
            json_decref(j);
            if (h_list_has(l, ids[k]) != (readable[t][k] != 0))
                fail_msg("%s: event %d %s the list", names[t], k,
                         readable[t][k] ? "missing from" : "leaks into");
        }
        json_decref(l);
    }
}

static void expect_act(int t, int64_t id, const char *action, json_t *extra, long want)
{
    long st = 0;
    json_t *j = h_act_with(tok[t], id, action, extra, &st);
    if (st != want)
        fail_msg("%s %s: status %ld, want %ld\n%s", names[t], action, st, want, h_last());
    if (want >= 400)
        h_check_error(j, NULL);
    json_decref(j);
}

static void test_action_matrix(void **state)
{
    (void)state;
    setup_city();
    /* roles that may never take an action: 403 even on an event they can see */
    expect_act(T_LEADER, ev_a, "dispatch", NULL, 403);
    expect_act(T_LEADER, ev_a, "self_handle", NULL, 403);
    expect_act(T_GO_A, ev_res, "register", NULL, 403);
    expect_act(T_RES, ev_res, "register", NULL, 403);
    expect_act(T_RES, ev_res, "supervise", NULL, 403);
    expect_act(T_H_CG, ev_cg, "dispatch", NULL, 403);
    expect_act(T_STAFF_S, ev_a, "suspend", NULL, 403);
    /* scope: a role that may act, on an event outside what it may act on */
    expect_act(T_H_GA, ev_cg, "sign", NULL, 404);  /* not its department: not even visible */
    expect_act(T_STAFF_S2, ev_a, "supervise", NULL, 403); /* staff may not supervise at all */
    expect_act(T_GO_C, ev_a, "self_handle", NULL, 404);
    expect_act(T_STAFF_S2, ev_res, "register", NULL, 404);
    /* dispatching into another street is refused, and the event is unchanged */
    expect_act(T_STAFF_S, ev_res, "register", NULL, 200);
    expect_act(T_STAFF_S, ev_res, "dispatch", json_pack("{s:I}", "org_id", (json_int_t)grid_c),
               403);
    /* what each may do */
    expect_act(T_LEADER, ev_b, "supervise", json_pack("{s:s}", "note", "请加快办理"), 200);
    expect_act(T_H_CG, ev_cg, "sign", NULL, 200);
    expect_act(T_H_CG, ev_cg, "handle", json_pack("{s:s}", "note", "已取缔"), 200);
    expect_act(T_GO_A, ev_cg, "verify_ok", NULL, 200);
    /* the rating belongs to the reporter: the command centre reported ev_cg */
    expect_act(T_GO_A, ev_cg, "rate", json_pack("{s:s}", "rating", "satisfied"), 403);
    expect_act(T_CMD, ev_cg, "rate", json_pack("{s:s}", "rating", "satisfied"), 200);
    expect_act(T_CMD, ev_cg, "rate", json_pack("{s:s}", "rating", "basic"), 409); /* once */
}

/* SQL metacharacters are data: stored, returned and searched verbatim */
static void test_sql_metacharacters(void **state)
{
    (void)state;
    setup_city();
    const char *evil = "SC'; DROP TABLE events; -- \" % _ \\ 100%满意";
    json_t *body = json_pack("{s:s, s:s, s:f, s:f, s:s, s:s}", "category_code", "0101",
                             "description", evil, "lat", H_A_LAT, "lon", H_A_LON, "source",
                             "hotline", "address", "O'Brien 路 1号");
    long st = 0;
    json_t *e = h_post("/api/v1/events", tok[T_CMD], body, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(e, "id");
    assert_string_equal(h_str(e, "description"), evil);
    assert_string_equal(h_str(e, "address"), "O'Brien 路 1号");
    json_decref(e);
    /* `%` in q is a literal percent sign, not a wildcard */
    json_t *l = h_get("/api/v1/events?limit=500&q=100%25%E6%BB%A1", tok[T_CMD], &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(l, id));
    assert_int_equal(json_array_size(h_items(l)), 1);
    json_decref(l);
    l = h_get("/api/v1/events?limit=500&q=%25_%25", tok[T_CMD], &st); /* "%_%" */
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(l)), 0);
    json_decref(l);
    /* the table is still there */
    e = h_get(h_path("/api/v1/events/%lld", (long long)ev_a), tok[T_CMD], &st);
    H_STATUS(st, 200);
    json_decref(e);
}

/* names for people and places: in lists, in the timeline, in /me */
static void test_names(void **state)
{
    (void)state;
    setup_city();
    long st = 0;
    json_t *e = h_get(h_path("/api/v1/events/%lld", (long long)ev_a), tok[T_CMD], &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(e, "grid_name"), "SC-第一网格");
    json_t *tl = h_obj(e, "timeline");
    json_t *first = json_array_get(tl, 0);
    assert_non_null(first);
    assert_string_equal(h_str(first, "action"), "report");
    assert_string_equal(h_str(first, "actor_name"), "sc_go_a");
    assert_string_equal(h_str(first, "org_name"), "SC-第一网格");
    json_t *second = json_array_get(tl, 1); /* the automatic dispatch, by the system */
    assert_non_null(second);
    assert_true(h_is_null(second, "actor_name"));
    json_decref(e);

    json_t *l = h_get("/api/v1/events?limit=500&q=SC%20%E5%8D%A0%E9%81%93", tok[T_CMD], &st);
    H_STATUS(st, 200); /* "SC 占道": the event routed to 城管 */
    json_t *it = json_array_get(h_items(l), 0);
    assert_non_null(it);
    assert_int_equal(h_int(it, "id"), ev_cg);
    assert_string_equal(h_str(it, "grid_name"), "SC-第一网格");
    assert_string_equal(h_str(it, "assignee_name"), "SC-城管局");
    json_decref(l);

    json_t *me = h_get("/api/v1/me", tok[T_CMD], &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(me, "username"), "sc_cmd");
    assert_non_null(json_object_get(me, "display_name"));
    json_decref(me);
}

/* the map's one request: every grid boundary within the scope, as a FeatureCollection */
static void test_boundaries(void **state)
{
    (void)state;
    setup_city();
    long st = 0;
    json_t *fc = h_get("/api/v1/orgs/boundaries", tok[T_STAFF_S], &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(fc, "type"), "FeatureCollection");
    json_t *fs = h_obj(fc, "features");
    bool a = false, b = false, c = false;
    size_t i;
    json_t *f;
    json_array_foreach(fs, i, f)
    {
        json_t *p = h_obj(f, "properties");
        int64_t id = h_int(p, "id");
        a = a || id == C.grid_a;
        b = b || id == C.grid_b;
        c = c || id == grid_c;
        assert_string_equal(h_str(h_obj(f, "geometry"), "type"), "Polygon");
    }
    assert_true(a && b);
    assert_false(c); /* another street's grid */
    json_decref(fc);
    /* narrowed to the other street: the admin sees grid C only */
    fc = h_get(h_path("/api/v1/orgs/boundaries?parent_id=%lld", (long long)street2), tok[T_ADMIN],
               &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_obj(fc, "features")), 1);
    json_decref(fc);
    /* a parent outside the scope is not found; a bad one is 422 */
    fc = h_get(h_path("/api/v1/orgs/boundaries?parent_id=%lld", (long long)street2),
               tok[T_STAFF_S], &st);
    H_STATUS(st, 404);
    h_check_error(fc, NULL);
    json_decref(fc);
    fc = h_get("/api/v1/orgs/boundaries?parent_id=abc", tok[T_ADMIN], &st);
    H_STATUS(st, 422);
    h_check_error(fc, "parent_id");
    json_decref(fc);
}

static int teardown(void **state)
{
    for (int t = 0; t < T__COUNT; t++)
        free(tok[t]);
    return h_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_matrix),
        cmocka_unit_test(test_action_matrix),
        cmocka_unit_test(test_sql_metacharacters),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_boundaries),
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
