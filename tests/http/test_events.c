/* test_events.c - the event workflow over real HTTP (API.md POST/GET /events, actions;
 * DESIGN sections 1, 4 and 5): intake per source, auto-dispatch, excluded matters, the
 * command-centre queue, deadlines, every action, illegal transitions, roles, scope, concurrent
 * actions, list filters and paging, duplicates.
 *
 * One city (prefix "EV") and one set of users for the whole file; every test uses its own
 * description token or its own spot on the map, so that the tests do not see each other. */
#include "harness.h"

#include "app/app.h"
#include "base/time.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct h_city C;
static char *t_cmd, *t_cmd_root, *t_leader, *t_staff_c, *t_staff_s, *t_go_a, *t_go_b, *t_h_cg,
    *t_h_ga, *t_r1, *t_r2, *t_member;
static int64_t r1_id, r2_id, go_a_id;

static void city(void)
{
    if (C.district)
        return;
    h_city_build(&C, "EV");
    t_cmd = h_user_token("ev_cmd", "command", C.district, NULL);
    t_cmd_root = h_user_token("ev_cmd_root", "command", h_root_id(), NULL);
    t_leader = h_user_token("ev_leader", "leader", C.district, NULL);
    t_staff_c = h_user_token("ev_staff_c", "staff", C.community, NULL);
    t_staff_s = h_user_token("ev_staff_s", "staff", C.street, NULL);
    t_go_a = h_user_token("ev_go_a", "grid_officer", C.grid_a, &go_a_id);
    t_go_b = h_user_token("ev_go_b", "grid_officer", C.grid_b, NULL);
    t_h_cg = h_user_token("ev_h_cg", "handler", C.dept_cg, NULL);
    t_h_ga = h_user_token("ev_h_ga", "handler", C.dept_ga, NULL);
    t_r1 = h_user_token("ev_r1", "resident", C.community, &r1_id);
    t_r2 = h_user_token("ev_r2", "resident", C.community, &r2_id);
    t_member = h_user_token("ev_member", "member", C.community, NULL);
}

static int teardown(void **state)
{
    char **toks[] = {&t_cmd,  &t_cmd_root, &t_leader, &t_staff_c, &t_staff_s, &t_go_a,
                     &t_go_b, &t_h_cg,     &t_h_ga,   &t_r1,      &t_r2,      &t_member};
    for (size_t i = 0; i < sizeof toks / sizeof toks[0]; i++) {
        free(*toks[i]);
        *toks[i] = NULL;
    }
    return h_stop(state);
}

/* ---- helpers ---- */

static json_t *ev_body(const char *category, double lat, double lon, const char *source,
                       const char *description)
{
    return json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", category, "description",
                     description, "lat", lat, "lon", lon, "source", source);
}

static json_t *post_event(const char *tok, json_t *body, long *st)
{
    return h_post("/api/v1/events", tok, body, st);
}

static json_t *get_ev(const char *tok, int64_t id)
{
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)id), tok, &st);
    H_STATUS(st, 200);
    return j;
}

static int64_t get_int(const char *tok, int64_t id, const char *key)
{
    json_t *j = get_ev(tok, id);
    int64_t v = h_int(j, key);
    json_decref(j);
    return v;
}

static void expect_status(json_t *j, const char *want)
{
    const char *s = h_str(j, "status");
    if (strcmp(s, want) != 0)
        fail_msg("status \"%s\", want \"%s\"\n%s", s, want, h_last());
}

/* registered (auto-dispatch only chose the assignee) or dispatched (auto-dispatch dispatched) */
static void expect_routed(json_t *j)
{
    const char *s = h_str(j, "status");
    if (strcmp(s, "registered") != 0 && strcmp(s, "dispatched") != 0)
        fail_msg("status \"%s\", want registered or dispatched\n%s", s, h_last());
}

/* an action that must answer 200; returns the event */
static json_t *act_ok(const char *tok, int64_t id, const char *action, json_t *extra)
{
    long st = 0;
    json_t *j = h_act_with(tok, id, action, extra, &st);
    H_STATUS(st, 200);
    (void)h_int(j, "id");
    return j;
}

/* an action that must fail with `want` and the error shape */
static void act_fails(const char *tok, int64_t id, const char *action, json_t *extra, long want)
{
    long st = 0;
    json_t *j = h_act_with(tok, id, action, extra, &st);
    H_STATUS(st, want);
    h_check_error(j, NULL);
    json_decref(j);
}

/* brings a routed event to dispatched (a command dispatch when auto-dispatch left it
 * registered) */
static void ensure_dispatched(int64_t id)
{
    json_t *j = get_ev(t_cmd, id);
    if (strcmp(h_str(j, "status"), "registered") == 0) {
        json_decref(j);
        j = act_ok(t_cmd, id, "dispatch", NULL);
    }
    expect_status(j, "dispatched");
    json_decref(j);
}

/* a grid-A patrol event by the grid officer, brought to dispatched */
static int64_t patrol_a(const char *category, double dlat, const char *desc)
{
    int64_t id = h_event_id(t_go_a, category, H_A_LAT + dlat, H_A_LON, "patrol", desc);
    ensure_dispatched(id);
    return id;
}

static time_t parse_time(const char *s)
{
    struct tm tm = {0};
    const char *e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!e || *e)
        fail_msg("\"%s\" is not RFC 3339 UTC\n%s", s, h_last());
    return timegm(&tm);
}

static const char *rfc3339(time_t t)
{
    static char b[4][32];
    static int n;
    char *p = b[n++ & 3];
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(p, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return p;
}

static bool timeline_has(json_t *ev, const char *action)
{
    json_t *tl = h_obj(ev, "timeline");
    size_t i;
    json_t *v;
    json_array_foreach(tl, i, v)
    {
        if (strcmp(h_str(v, "action"), action) == 0)
            return true;
    }
    return false;
}

static size_t timeline_count(json_t *ev, const char *action)
{
    json_t *tl = h_obj(ev, "timeline");
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(tl, i, v)
    {
        if (strcmp(h_str(v, "action"), action) == 0)
            n++;
    }
    return n;
}

static json_t *timeline_last(json_t *ev, const char *action)
{
    json_t *tl = h_obj(ev, "timeline");
    json_t *last = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(tl, i, v)
    {
        if (strcmp(h_str(v, "action"), action) == 0)
            last = v;
    }
    if (!last)
        fail_msg("no \"%s\" in the timeline\n%s", action, h_last());
    return last;
}

static bool ids_has(json_t *arr, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_integer(v) && json_integer_value(v) == id)
            return true;
    }
    return false;
}

/* ---- intake ---- */

static void test_intake_app_waits(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_r1, "0101", H_A_LAT, H_A_LON, "app", "EV-IN1 门口有垃圾");
    int64_t id = h_int(e, "id");
    expect_status(e, "reported");
    assert_string_equal(h_str(e, "source"), "app");
    assert_string_equal(h_str(e, "category_code"), "0101");
    assert_int_equal(h_int(e, "grid_id"), C.grid_a);
    assert_int_equal(h_int(e, "reporter_id"), r1_id);
    (void)h_str(e, "accept_due_at");
    (void)h_str(e, "color");
    json_decref(e);
    e = get_ev(t_r1, id);
    expect_status(e, "reported");
    assert_string_equal(h_str(e, "description"), "EV-IN1 门口有垃圾");
    assert_true(timeline_has(e, "report") || json_array_size(h_obj(e, "timeline")) >= 1);
    json_decref(e);
}

static void test_intake_patrol_sensor_register(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_go_a, "0101", H_A_LAT, H_A_LON, "patrol", "EV-IN2 巡查发现");
    expect_routed(e);
    assert_string_equal(h_str(e, "source"), "patrol");
    assert_int_equal(h_int(e, "assignee_org_id"), C.grid_a);
    (void)h_str(e, "registered_at");
    json_decref(e);

    long st = 0;
    json_t *b = ev_body("0101", H_A_LAT, H_A_LON, "sensor", "EV-IN3 物联感知");
    json_object_set_new(b, "device_id", json_string("CAM-0042"));
    e = post_event(t_cmd, b, &st);
    H_STATUS(st, 201);
    expect_routed(e);
    assert_string_equal(h_str(e, "source"), "sensor");
    assert_string_equal(h_str(e, "device_id"), "CAM-0042");
    assert_int_equal(h_int(e, "assignee_org_id"), C.grid_a);
    json_decref(e);

    /* a sensor report needs its device */
    e = post_event(t_cmd, ev_body("0101", H_A_LAT, H_A_LON, "sensor", "EV-IN4 无设备"), &st);
    H_STATUS(st, 422);
    h_check_error(e, "device_id");
    json_decref(e);
    b = ev_body("0101", H_A_LAT, H_A_LON, "sensor", "EV-IN4 空设备");
    json_object_set_new(b, "device_id", json_string(""));
    e = post_event(t_cmd, b, &st);
    H_STATUS(st, 422);
    h_check_error(e, "device_id");
    json_decref(e);

    /* the other channels exist */
    static const char *srcs[] = {"hotline", "visit", "walkin"};
    for (size_t i = 0; i < 3; i++) {
        e = post_event(t_cmd, ev_body("0101", H_A_LAT, H_A_LON, srcs[i], "EV-IN5 其他渠道"), &st);
        H_STATUS(st, 201);
        assert_string_equal(h_str(e, "source"), srcs[i]);
        json_decref(e);
    }
}

static void test_intake_invalid(void **state)
{
    (void)state;
    city();
    long st = 0;
    json_t *e = post_event(t_go_a, ev_body("0101", H_A_LAT, H_A_LON, "fax", "EV-IV"), &st);
    H_STATUS(st, 422);
    h_check_error(e, "source");
    json_decref(e);
    e = post_event(t_go_a, ev_body("9999", H_A_LAT, H_A_LON, "patrol", "EV-IV"), &st);
    H_STATUS(st, 422);
    h_check_error(e, "category_code");
    json_decref(e);
    e = post_event(t_go_a, ev_body("0101", 91.0, H_A_LON, "patrol", "EV-IV"), &st);
    H_STATUS(st, 422);
    h_check_error(e, "lat");
    json_decref(e);
    e = post_event(t_go_a, ev_body("0101", H_A_LAT, -180.5, "patrol", "EV-IV"), &st);
    H_STATUS(st, 422);
    h_check_error(e, "lon");
    json_decref(e);
    e = post_event(t_go_a,
                   json_pack("{s:s, s:f, s:f, s:s}", "description", "EV-IV", "lat", H_A_LAT, "lon",
                             H_A_LON, "source", "patrol"),
                   &st);
    H_STATUS(st, 422);
    h_check_error(e, "category_code");
    json_decref(e);
    e = post_event(t_go_a,
                   json_pack("{s:s, s:s, s:s, s:f, s:s}", "category_code", "0101", "description",
                             "EV-IV", "lat", "39.9", "lon", H_A_LON, "source", "patrol"),
                   &st);
    H_STATUS(st, 422);
    h_check_error(e, "lat");
    json_decref(e);
    /* nothing was written */
    json_t *l = h_get("/api/v1/events?q=EV-IV", h_admin(), &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(l)), 0);
    json_decref(l);
}

/* ---- auto-dispatch ---- */

static void route_case(const char *tok, const char *cat, double lat, double lon, int64_t want_org,
                       const char *want_level)
{
    json_t *e = h_event(tok, cat, lat, lon, "patrol", "EV-RT 自动派单");
    expect_routed(e);
    if (h_int(e, "assignee_org_id") != want_org)
        fail_msg("category %s: assignee %lld, want %lld\n%s", cat,
                 (long long)h_int(e, "assignee_org_id"), (long long)want_org, h_last());
    if (want_level)
        assert_string_equal(h_str(e, "level"), want_level);
    json_decref(e);
}

static void test_auto_dispatch(void **state)
{
    (void)state;
    city();
    route_case(t_go_a, "0101", H_A_LAT, H_A_LON, C.grid_a, "grid"); /* 暴露垃圾: grid */
    route_case(t_go_b, "0101", H_B_LAT, H_B_LON, C.grid_b, "grid");
    route_case(t_go_a, "0103", H_A_LAT, H_A_LON, C.community, "community"); /* 道路不洁 */
    route_case(t_go_a, "0703", H_A_LAT, H_A_LON, C.street, "street");       /* 路灯不亮 */
    route_case(t_go_a, "0403", H_A_LAT, H_A_LON, C.dept_cg, NULL); /* 占道经营: 城管 */
    route_case(t_go_b, "0901", H_B_LAT, H_B_LON, C.dept_ga, NULL); /* 治安隐患: 公安 */

    /* a resident's report is routed when it is registered */
    json_t *e = h_event(t_r1, "0403", H_A_LAT, H_A_LON, "app", "EV-RT 占道经营");
    int64_t id = h_int(e, "id");
    expect_status(e, "reported");
    json_decref(e);
    e = act_ok(t_staff_c, id, "register", NULL);
    expect_routed(e);
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_cg);
    json_decref(e);
    /* and the department's handler now sees it */
    e = get_ev(t_h_cg, id);
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_cg);
    json_decref(e);

    /* a department nearer to the grid wins over the district's */
    int64_t near =
        h_org(h_admin(), C.street, "department", "EV-CG-S", "街道城管中队", NULL, "城管");
    route_case(t_go_a, "0403", H_A_LAT, H_A_LON, near, NULL);
}

static void test_excluded_matter(void **state)
{
    (void)state;
    city();
    long st = 0;
    json_t *cats = h_get("/api/v1/categories", t_r1, &st);
    H_STATUS(st, 200);
    json_t *arr = json_is_array(cats) ? cats : h_items(cats);
    const char *guidance = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(h_str(v, "code"), "1304") == 0) {
            assert_string_equal(h_str(v, "list"), "excluded");
            guidance = h_str(v, "guidance");
        }
    }
    if (!guidance || !*guidance)
        fail_msg("category 1304 or its guidance is missing\n%s", h_last());
    const char *toks[] = {t_r1, t_go_a};
    const char *srcs[] = {"app", "patrol"};
    for (int k = 0; k < 2; k++) {
        json_t *e =
            post_event(toks[k], ev_body("1304", H_A_LAT, H_A_LON, srcs[k], "EV-EX 刑事"), &st);
        H_STATUS(st, 422);
        h_check_error(e, "category_code");
        const char *msg = h_str(h_obj(e, "error"), "message");
        if (!strstr(msg, guidance))
            fail_msg("the message does not carry the guidance \"%s\"\n%s", guidance, h_last());
        json_decref(e);
    }
    json_decref(cats);
    json_t *l = h_get("/api/v1/events?q=EV-EX", h_admin(), &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(l)), 0);
    json_decref(l);
}

static void test_outside_every_grid(void **state)
{
    (void)state;
    city();
    long st = 0;
    json_t *b = ev_body("0101", 30.123, 100.456, "sensor", "EV-OUT 网格外");
    json_object_set_new(b, "device_id", json_string("CAM-OUT"));
    json_t *e = post_event(t_cmd_root, b, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(e, "id");
    assert_true(h_is_null(e, "grid_id"));
    assert_true(h_is_null(e, "assignee_org_id")); /* the command-centre queue */
    assert_string_equal(h_str(e, "status"), "registered");
    json_decref(e);
    /* the root-scoped command centre sees it in its queue, a grid officer does not */
    json_t *l = h_get("/api/v1/events?q=EV-OUT", t_cmd_root, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(l, id));
    json_decref(l);
    l = h_get("/api/v1/events?q=EV-OUT", t_go_a, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(l, id));
    json_decref(l);
    json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)id), t_go_a, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* the command centre dispatches it by hand */
    e = act_ok(t_cmd_root, id, "dispatch", json_pack("{s:I}", "org_id", (json_int_t)C.dept_cg));
    expect_status(e, "dispatched");
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_cg);
    json_decref(e);
}

static void test_deadlines(void **state)
{
    (void)state;
    city();
    /* 0503 燃气泄漏: accept 1 h, handle 2 h, continuous clock; 应急 has no department here */
    json_t *e = h_event(t_go_a, "0503", H_A_LAT, H_A_LON, "patrol", "EV-DL 燃气泄漏");
    time_t rep = parse_time(h_str(e, "reported_at"));
    time_t acc = parse_time(h_str(e, "accept_due_at"));
    time_t han = parse_time(h_str(e, "handle_due_at"));
    assert_string_equal(h_str(e, "color"), "green");
    assert_true(acc > rep);
    assert_true(acc <= rep + 3600 + 60);
    if (han < rep + 7200 - 60 || han > rep + 7200 + 60)
        fail_msg("handle_due_at %lld s after reported_at, want 7200\n%s", (long long)(han - rep),
                 h_last());
    json_decref(e);
    /* a work-hours category: due later than the bare hours would say, never earlier */
    e = h_event(t_go_a, "0101", H_A_LAT, H_A_LON, "patrol", "EV-DL 暴露垃圾");
    rep = parse_time(h_str(e, "reported_at"));
    han = parse_time(h_str(e, "handle_due_at"));
    assert_true(han >= rep + 24 * 3600);
    json_decref(e);
}

/* ---- the workflow ---- */

static void test_happy_path(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_r1, "0101", 39.9012, 116.3012, "app", "EV-HP 楼下垃圾堆");
    int64_t id = h_int(e, "id");
    json_decref(e);
    e = act_ok(t_staff_c, id, "register", NULL);
    expect_routed(e);
    assert_int_equal(h_int(e, "assignee_org_id"), C.grid_a);
    json_decref(e);
    ensure_dispatched(id);
    e = act_ok(t_go_a, id, "sign", NULL);
    expect_status(e, "in_progress");
    (void)h_str(e, "signed_at");
    json_decref(e);
    e = act_ok(t_go_a, id, "handle", json_pack("{s:s}", "note", "已清理完毕"));
    expect_status(e, "handled");
    (void)h_str(e, "handled_at");
    json_decref(e);
    e = act_ok(t_r1, id, "verify_ok", NULL);
    expect_status(e, "closed");
    (void)h_str(e, "closed_at");
    assert_string_equal(h_str(e, "closing_level"), "grid");
    json_decref(e);

    /* rate: the reporter only */
    act_fails(t_cmd, id, "rate", json_pack("{s:s}", "rating", "satisfied"), 403);
    act_fails(t_go_a, id, "rate", json_pack("{s:s}", "rating", "satisfied"), 403);
    act_fails(t_r2, id, "rate", json_pack("{s:s}", "rating", "unsatisfied"), 404);
    long st = 0;
    json_t *j = h_act_with(t_r1, id, "rate", json_pack("{s:s}", "rating", "great"), &st);
    H_STATUS(st, 422);
    h_check_error(j, "rating");
    json_decref(j);
    e = act_ok(t_r1, id, "rate", json_pack("{s:s, s:s}", "rating", "basic", "note", "还行"));
    expect_status(e, "closed");
    assert_string_equal(h_str(e, "rating"), "basic");
    json_decref(e);
    act_fails(t_r1, id, "rate", json_pack("{s:s}", "rating", "satisfied"), 409);

    /* the timeline tells the story, in order */
    e = get_ev(t_cmd, id);
    assert_string_equal(h_str(e, "rating"), "basic");
    json_t *tl = h_obj(e, "timeline");
    const char *want[] = {"register", "sign", "handle", "verify_ok", "rate"};
    size_t w = 0;
    int64_t last_seq = -1;
    size_t i;
    json_t *v;
    json_array_foreach(tl, i, v)
    {
        int64_t seq = h_int(v, "seq");
        assert_true(seq > last_seq);
        last_seq = seq;
        (void)parse_time(h_str(v, "at"));
        (void)h_str(v, "to_status");
        if (w < 5 && strcmp(h_str(v, "action"), want[w]) == 0)
            w++;
    }
    if (w != 5)
        fail_msg("timeline lacks \"%s\" in order\n%s", want[w], h_last());
    json_t *sign = timeline_last(e, "sign");
    assert_string_equal(h_str(sign, "from_status"), "dispatched");
    assert_string_equal(h_str(sign, "to_status"), "in_progress");
    assert_int_equal(h_int(sign, "actor_id"), go_a_id);
    json_t *hd = timeline_last(e, "handle");
    assert_string_equal(h_str(hd, "note"), "已清理完毕");
    json_t *vo = timeline_last(e, "verify_ok");
    assert_int_equal(h_int(vo, "actor_id"), r1_id);
    assert_string_equal(h_str(vo, "to_status"), "closed");
    json_decref(e);
}

static void test_verify_fail_rework(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0105", 0.001, "EV-VF 绿地脏乱");
    json_t *e;
    for (int round = 1; round <= 2; round++) {
        json_decref(act_ok(t_go_a, id, "sign", NULL));
        json_decref(act_ok(t_go_a, id, "handle", NULL));
        e = act_ok(round == 1 ? t_cmd : t_go_a, id, "verify_fail",
                   json_pack("{s:s}", "note", "仍有垃圾"));
        expect_status(e, "dispatched");
        assert_int_equal(h_int(e, "rework_count"), round);
        json_decref(e);
    }
    json_decref(act_ok(t_go_a, id, "sign", NULL));
    json_decref(act_ok(t_go_a, id, "handle", NULL));
    e = act_ok(t_cmd, id, "verify_ok", NULL);
    expect_status(e, "closed");
    assert_int_equal(h_int(e, "rework_count"), 2);
    json_decref(e);
    e = get_ev(t_cmd, id);
    assert_int_equal(timeline_count(e, "verify_fail"), 2);
    json_decref(e);
}

static void test_escalate(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.0015, "EV-ES 上报上级");
    json_t *e = act_ok(t_go_a, id, "escalate", json_pack("{s:s}", "note", "网格解决不了"));
    expect_status(e, "registered");
    assert_int_equal(h_int(e, "assignee_org_id"), C.community);
    assert_string_equal(h_str(e, "level"), "community");
    assert_int_equal(h_int(e, "escalation_count"), 1);
    json_decref(e);
    e = act_ok(t_staff_c, id, "escalate", NULL);
    expect_status(e, "registered");
    assert_int_equal(h_int(e, "assignee_org_id"), C.street);
    assert_string_equal(h_str(e, "level"), "street");
    assert_int_equal(h_int(e, "escalation_count"), 2);
    json_decref(e);
    e = act_ok(t_staff_s, id, "escalate", NULL);
    assert_int_equal(h_int(e, "assignee_org_id"), C.district);
    assert_string_equal(h_str(e, "level"), "district");
    assert_int_equal(h_int(e, "escalation_count"), 3);
    json_decref(e);
    /* nothing above the district */
    act_fails(t_cmd, id, "escalate", NULL, 409);
    e = get_ev(t_cmd, id);
    assert_int_equal(h_int(e, "escalation_count"), 3);
    json_t *last = timeline_last(e, "escalate");
    assert_int_equal(h_int(last, "org_id"), C.district);
    json_decref(e);
    /* the command centre dispatches it down again */
    e = act_ok(t_cmd, id, "dispatch", json_pack("{s:I}", "org_id", (json_int_t)C.dept_cg));
    expect_status(e, "dispatched");
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_cg);
    json_decref(e);
}

static void test_self_handle(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_r1, "0406", H_A_LAT, H_A_LON, "app", "EV-SH 乱停车");
    int64_t id = h_int(e, "id");
    json_decref(e);
    /* not the command centre's to self-handle; not the other grid's officer */
    act_fails(t_cmd, id, "self_handle", NULL, 403);
    act_fails(t_go_b, id, "self_handle", NULL, 404);
    e = act_ok(t_go_a, id, "self_handle", json_pack("{s:s}", "note", "已劝离"));
    expect_status(e, "closed");
    assert_string_equal(h_str(e, "closing_level"), "grid");
    json_decref(e);
    act_fails(t_go_a, id, "self_handle", NULL, 409);
    /* the reporter can rate it */
    e = act_ok(t_r1, id, "rate", json_pack("{s:s}", "rating", "satisfied"));
    assert_string_equal(h_str(e, "rating"), "satisfied");
    json_decref(e);
}

static void test_supervise(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.002, "EV-SV 督办");
    json_t *e = act_ok(t_leader, id, "supervise", json_pack("{s:s}", "note", "尽快处理"));
    expect_status(e, "dispatched");
    assert_int_equal(h_int(e, "supervise_count"), 1);
    json_decref(e);
    e = act_ok(t_cmd, id, "supervise", NULL);
    assert_int_equal(h_int(e, "supervise_count"), 2);
    json_decref(e);
    act_fails(t_go_a, id, "supervise", NULL, 403);
    act_fails(t_staff_c, id, "supervise", NULL, 403);
    assert_int_equal(get_int(t_cmd, id, "supervise_count"), 2);
}

static void test_whistle_report_in(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.0025, "EV-WH 吹哨");
    act_fails(t_go_a, id, "whistle", json_pack("{s:[I]}", "departments", (json_int_t)C.dept_cg),
              403);
    json_t *e =
        act_ok(t_cmd, id, "whistle",
               json_pack("{s:[I,I]}", "departments", (json_int_t)C.dept_cg, (json_int_t)C.dept_ga));
    expect_status(e, "dispatched");
    json_t *wh = h_obj(e, "whistles");
    assert_int_equal(json_array_size(wh), 2);
    size_t i;
    json_t *v;
    json_array_foreach(wh, i, v)
    {
        (void)parse_time(h_str(v, "due_at"));
        assert_true(h_is_null(v, "reported_at"));
    }
    json_decref(e);
    /* a grid officer does not report in */
    act_fails(t_go_a, id, "report_in", NULL, 403);
    e = act_ok(t_h_cg, id, "report_in", NULL);
    wh = h_obj(e, "whistles");
    int reported = 0;
    json_array_foreach(wh, i, v)
    {
        int64_t d = h_int(v, "dept_org_id");
        if (d == C.dept_cg) {
            (void)parse_time(h_str(v, "reported_at"));
            reported++;
        } else {
            assert_int_equal(d, C.dept_ga);
            assert_true(h_is_null(v, "reported_at"));
        }
    }
    assert_int_equal(reported, 1);
    json_decref(e);
    e = act_ok(t_h_ga, id, "report_in", NULL);
    wh = h_obj(e, "whistles");
    json_array_foreach(wh, i, v)
    {
        (void)parse_time(h_str(v, "reported_at"));
    }
    json_decref(e);
    e = get_ev(t_cmd, id);
    assert_int_equal(timeline_count(e, "report_in"), 2);
    assert_int_equal(timeline_count(e, "whistle"), 1);
    json_decref(e);
}

static void test_suspend_resume_extend(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.003, "EV-SU 挂账");
    act_fails(t_go_a, id, "suspend", NULL, 403);
    act_fails(t_staff_c, id, "suspend", NULL, 403);
    json_t *e = act_ok(t_cmd, id, "suspend", json_pack("{s:s}", "note", "等待拆迁"));
    expect_status(e, "dispatched");
    assert_true(json_is_true(json_object_get(e, "suspended")));
    json_decref(e);
    /* while suspended: no work, but supervision */
    act_fails(t_go_a, id, "sign", NULL, 409);
    act_fails(t_cmd, id, "suspend", NULL, 409);
    act_fails(t_cmd, id, "extend", NULL, 409);
    json_decref(act_ok(t_leader, id, "supervise", NULL));
    act_fails(t_go_a, id, "resume", NULL, 403);
    e = act_ok(t_cmd, id, "resume", NULL);
    assert_true(json_is_false(json_object_get(e, "suspended")));
    expect_status(e, "dispatched");
    time_t due0 = parse_time(h_str(e, "handle_due_at"));
    json_decref(e);
    act_fails(t_cmd, id, "resume", NULL, 409);
    /* extension */
    act_fails(t_go_a, id, "extend", NULL, 403);
    e = act_ok(t_cmd, id, "extend", json_pack("{s:s}", "note", "需协调"));
    assert_int_equal(h_int(e, "extension_count"), 1);
    assert_true(h_int(e, "extension_hours") > 0);
    time_t due1 = parse_time(h_str(e, "handle_due_at"));
    if (due1 <= due0)
        fail_msg("handle_due_at did not move: %lld -> %lld\n%s", (long long)due0, (long long)due1,
                 h_last());
    json_decref(e);
    /* and work goes on */
    e = act_ok(t_go_a, id, "sign", NULL);
    expect_status(e, "in_progress");
    json_decref(e);
    e = get_ev(t_cmd, id);
    assert_int_equal(timeline_count(e, "suspend"), 1);
    assert_int_equal(timeline_count(e, "resume"), 1);
    assert_int_equal(timeline_count(e, "extend"), 1);
    json_decref(e);
}

static void test_duplicates_and_merge(void **state)
{
    (void)state;
    city();
    /* a spot in grid B used by no other test, category 0106 likewise */
    const double lat = 39.9071, lon = 116.3171;
    int64_t e1 = h_event_id(t_r2, "0106", lat, lon, "app", "EV-DP 废弃沙发");
    json_t *e = h_event(t_r1, "0106", lat + 0.0002, lon, "app", "EV-DP 又一个沙发"); /* ~22 m */
    int64_t e2 = h_int(e, "id");
    json_decref(e);
    e = get_ev(t_cmd, e2);
    if (!ids_has(h_obj(e, "duplicate_ids"), e1))
        fail_msg("event %lld 22 m away is not offered for merging\n%s", (long long)e1, h_last());
    json_decref(e);
    /* too far (~220 m), other category: not offered */
    int64_t e3 = h_event_id(t_r1, "0106", lat + 0.002, lon, "app", "EV-DP 远处沙发");
    e = get_ev(t_cmd, e3);
    assert_false(ids_has(h_obj(e, "duplicate_ids"), e1));
    json_decref(e);
    int64_t e4 = h_event_id(t_r1, "0107", lat, lon, "app", "EV-DP 树挂");
    e = get_ev(t_cmd, e4);
    assert_false(ids_has(h_obj(e, "duplicate_ids"), e1));
    json_decref(e);

    /* merge e2 into e1 */
    act_fails(t_go_b, e2, "merge", json_pack("{s:I}", "merge_into", (json_int_t)e1), 403);
    act_fails(t_r1, e2, "merge", json_pack("{s:I}", "merge_into", (json_int_t)e1), 403);
    e = act_ok(t_cmd, e2, "merge", json_pack("{s:I}", "merge_into", (json_int_t)e1));
    expect_status(e, "merged");
    assert_int_equal(h_int(e, "merged_into"), e1);
    json_decref(e);
    act_fails(t_cmd, e2, "merge", json_pack("{s:I}", "merge_into", (json_int_t)e1), 409);
    act_fails(t_cmd, e2, "register", NULL, 409);
    /* e1 goes on */
    e = get_ev(t_cmd, e1);
    expect_status(e, "reported");
    json_decref(e);
    /* a merged event is no longer offered */
    int64_t e5 = h_event_id(t_r1, "0106", lat + 0.0001, lon, "app", "EV-DP 第三个沙发");
    e = get_ev(t_cmd, e5);
    assert_true(ids_has(h_obj(e, "duplicate_ids"), e1));
    assert_false(ids_has(h_obj(e, "duplicate_ids"), e2));
    json_decref(e);
}

static void test_illegal_transitions(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_r1, "0101", H_A_LAT, H_A_LON, "app", "EV-IL 非法流转");
    int64_t id = h_int(e, "id");
    int64_t v0 = h_int(e, "version");
    json_decref(e);
    /* the admin may take every action anywhere: only the state refuses these */
    act_fails(h_admin(), id, "sign", NULL, 409);
    act_fails(h_admin(), id, "handle", NULL, 409);
    act_fails(h_admin(), id, "return", NULL, 409);
    act_fails(h_admin(), id, "escalate", NULL, 409);
    act_fails(t_cmd, id, "dispatch", NULL, 409);
    act_fails(t_cmd, id, "verify_ok", NULL, 409);
    act_fails(t_cmd, id, "verify_fail", NULL, 409);
    act_fails(t_cmd, id, "resume", NULL, 409);
    act_fails(t_cmd, id, "suspend", NULL, 409);
    act_fails(t_r1, id, "rate", json_pack("{s:s}", "rating", "satisfied"), 409);
    assert_int_equal(get_int(t_cmd, id, "version"), v0);
    e = get_ev(t_cmd, id);
    expect_status(e, "reported");
    json_decref(e);
    json_decref(act_ok(t_cmd, id, "register", NULL));
    act_fails(t_cmd, id, "register", NULL, 409);
    /* a stale expected version */
    int64_t v = get_int(t_cmd, id, "version");
    assert_true(v > v0);
    act_fails(t_leader, id, "supervise", json_pack("{s:I}", "expected_version", (json_int_t)v0),
              409);
    assert_int_equal(get_int(t_cmd, id, "supervise_count"), 0);
    e = act_ok(t_leader, id, "supervise", json_pack("{s:I}", "expected_version", (json_int_t)v));
    assert_true(h_int(e, "version") > v);
    json_decref(e);
    /* an unknown action and a missing one */
    long st = 0;
    json_t *j = h_act(t_cmd, id, "teleport", &st);
    H_STATUS(st, 422);
    h_check_error(j, "action");
    json_decref(j);
    j = h_post(h_path("/api/v1/events/%lld/actions", (long long)id), t_cmd,
               json_pack("{s:s}", "note", "no action"), &st);
    H_STATUS(st, 422);
    h_check_error(j, "action");
    json_decref(j);
    /* system actions are not for clients */
    j = h_act(t_cmd, id, "auto_escalate", &st);
    if (st != 422 && st != 403 && st != 409)
        fail_msg("status %ld, want 422, 403 or 409\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
}

static void test_role_not_allowed(void **state)
{
    (void)state;
    city();
    json_t *e = h_event(t_r1, "0101", H_A_LAT, H_A_LON, "app", "EV-RO 角色");
    int64_t id = h_int(e, "id");
    int64_t v0 = h_int(e, "version");
    json_decref(e);
    /* every one of these is allowed in state reported, but not for these roles */
    const char *res_no[] = {"register", "reject", "self_handle", "supervise", "whistle"};
    for (size_t i = 0; i < 5; i++)
        act_fails(t_r1, id, res_no[i], NULL, 403);
    act_fails(t_r1, id, "merge", json_pack("{s:I}", "merge_into", (json_int_t)id), 403);
    const char *go_no[] = {"register", "reject", "supervise", "whistle"};
    for (size_t i = 0; i < 4; i++)
        act_fails(t_go_a, id, go_no[i], NULL, 403);
    act_fails(t_leader, id, "register", NULL, 403);
    act_fails(t_leader, id, "self_handle", NULL, 403);
    act_fails(t_cmd, id, "self_handle", NULL, 403);
    assert_int_equal(get_int(t_cmd, id, "version"), v0);
    json_decref(act_ok(t_cmd, id, "register", NULL));
    ensure_dispatched(id);
    int64_t v1 = get_int(t_cmd, id, "version");
    act_fails(t_r1, id, "sign", NULL, 403);
    act_fails(t_leader, id, "sign", NULL, 403);
    act_fails(t_cmd, id, "sign", NULL, 403);
    act_fails(t_go_a, id, "dispatch", NULL, 403);
    act_fails(t_leader, id, "dispatch", NULL, 403);
    act_fails(t_staff_c, id, "extend", NULL, 403);
    act_fails(t_r1, id, "escalate", NULL, 403);
    assert_int_equal(get_int(t_cmd, id, "version"), v1);
    e = get_ev(t_cmd, id);
    expect_status(e, "dispatched");
    json_decref(e);
}

static void test_invisible_event(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.0035, "EV-NV 不可见");
    const char *outsiders[] = {t_go_b, t_h_cg, t_r2};
    for (size_t i = 0; i < 3; i++) {
        long st = 0;
        json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)id), outsiders[i], &st);
        H_STATUS(st, 404);
        h_check_error(j, NULL);
        json_decref(j);
    }
    act_fails(t_go_b, id, "sign", NULL, 404);
    act_fails(t_h_cg, id, "sign", NULL, 404);
    act_fails(t_go_b, id, "escalate", NULL, 404);
    /* the same answer as an id that does not exist */
    long st = 0;
    json_t *j = h_get("/api/v1/events/987654321", h_admin(), &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    act_fails(h_admin(), 987654321, "register", NULL, 404);
    /* still untouched */
    j = get_ev(t_cmd, id);
    expect_status(j, "dispatched");
    json_decref(j);
}

static void test_resident_sources(void **state)
{
    (void)state;
    city();
    /* residents report through the app (随手拍) only */
    const char *srcs[] = {"patrol", "sensor"};
    for (size_t i = 0; i < 2; i++) {
        long st = 0;
        json_t *b = ev_body("0101", H_A_LAT, H_A_LON, srcs[i], "EV-RS 居民冒充");
        json_object_set_new(b, "device_id", json_string("FAKE-1"));
        json_t *j = post_event(t_r1, b, &st);
        if (st != 403 && st != 422)
            fail_msg("status %ld, want 403 or 422\n%s", st, h_last());
        h_check_error(j, "source");
        json_decref(j);
    }
    long st = 0;
    json_t *l = h_get("/api/v1/events?q=EV-RS", h_admin(), &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(l)), 0);
    json_decref(l);
}

static void test_return_and_redispatch(void **state)
{
    (void)state;
    city();
    /* 0901 治安隐患 goes to 公安 */
    json_t *e = h_event(t_go_b, "0901", H_B_LAT + 0.001, H_B_LON, "patrol", "EV-RE 回退");
    int64_t id = h_int(e, "id");
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_ga);
    json_decref(e);
    ensure_dispatched(id);
    json_decref(act_ok(t_h_ga, id, "sign", NULL));
    e = act_ok(t_h_ga, id, "return", json_pack("{s:s}", "note", "非本部门职责"));
    expect_status(e, "registered");
    json_t *ret = timeline_last(e, "return");
    assert_string_equal(h_str(ret, "from_status"), "in_progress");
    assert_string_equal(h_str(ret, "to_status"), "registered");
    assert_string_equal(h_str(ret, "note"), "非本部门职责");
    json_decref(e);
    e = act_ok(t_cmd, id, "dispatch", json_pack("{s:I}", "org_id", (json_int_t)C.dept_cg));
    expect_status(e, "dispatched");
    assert_int_equal(h_int(e, "assignee_org_id"), C.dept_cg);
    json_decref(e);
    /* the former handler no longer signs it */
    long st = 0;
    json_t *j = h_act(t_h_ga, id, "sign", &st);
    if (st != 403 && st != 404)
        fail_msg("status %ld, want 403 or 404\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    json_decref(act_ok(t_h_cg, id, "sign", NULL));
    e = act_ok(t_h_cg, id, "handle", NULL);
    expect_status(e, "handled");
    json_decref(e);
    /* a dispatched event can be returned before signing too */
    int64_t id2 = h_event_id(t_go_b, "0901", H_B_LAT + 0.0012, H_B_LON, "patrol", "EV-RE 未签回退");
    ensure_dispatched(id2);
    e = act_ok(t_h_ga, id2, "return", NULL);
    expect_status(e, "registered");
    json_decref(e);
}

static void test_reject(void **state)
{
    (void)state;
    city();
    int64_t id = h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "EV-RJ 不予立案");
    act_fails(t_go_a, id, "reject", NULL, 403);
    json_t *e = act_ok(t_cmd, id, "reject", json_pack("{s:s}", "note", "重复上报"));
    expect_status(e, "rejected");
    json_decref(e);
    e = get_ev(t_r1, id);
    expect_status(e, "rejected");
    assert_string_equal(h_str(e, "color"), "none");
    assert_string_equal(h_str(timeline_last(e, "reject"), "note"), "重复上报");
    json_decref(e);
    act_fails(t_cmd, id, "register", NULL, 409);
    act_fails(t_cmd, id, "reject", NULL, 409);
    act_fails(t_go_a, id, "self_handle", NULL, 409);
    act_fails(t_r1, id, "rate", json_pack("{s:s}", "rating", "unsatisfied"), 409);
    act_fails(t_cmd, id, "suspend", NULL, 409);
}

static void test_merge_invalid(void **state)
{
    (void)state;
    city();
    int64_t a = h_event_id(t_r1, "0102", 39.9081, 116.3031, "app", "EV-MI 甲");
    int64_t b = h_event_id(t_r1, "0102", 39.9081, 116.3031, "app", "EV-MI 乙");
    long st = 0;
    json_t *j = h_act(t_cmd, b, "merge", &st);
    H_STATUS(st, 422);
    h_check_error(j, "merge_into");
    json_decref(j);
    j = h_act_with(t_cmd, b, "merge", json_pack("{s:I}", "merge_into", (json_int_t)b), &st);
    if (st != 422 && st != 409)
        fail_msg("status %ld, want 422 or 409\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    j = h_act_with(t_cmd, b, "merge", json_pack("{s:I}", "merge_into", (json_int_t)987654321), &st);
    if (st != 422 && st != 404)
        fail_msg("status %ld, want 422 or 404\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    /* not into an event of another district the actor cannot see */
    int64_t d2 = h_org(h_admin(), h_root_id(), "district", "EV-D2", "另一个区", NULL, NULL);
    int64_t s2 = h_org(h_admin(), d2, "street", "EV-D2S", "另一个街道", NULL, NULL);
    int64_t c2 = h_org(h_admin(), s2, "community", "EV-D2C", "另一个社区", NULL, NULL);
    h_org(h_admin(), c2, "grid", "EV-D2G", "另一个网格", h_rect(118.00, 39.00, 118.01, 39.01),
          NULL);
    int64_t far = h_event_id(h_admin(), "0102", 39.005, 118.005, "hotline", "EV-MI 外区");
    j = h_act_with(t_cmd, b, "merge", json_pack("{s:I}", "merge_into", (json_int_t)far), &st);
    if (st != 422 && st != 404 && st != 403)
        fail_msg("status %ld, want 422, 404 or 403\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    /* nor dispatch into an org outside the actor's scope */
    int64_t e = patrol_a("0101", 0.0045, "EV-MI 越权派遣");
    j = h_act_with(t_cmd, e, "dispatch", json_pack("{s:I}", "org_id", (json_int_t)c2), &st);
    if (st != 403 && st != 422 && st != 404)
        fail_msg("status %ld, want 403, 422 or 404\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    j = get_ev(t_cmd, e);
    assert_int_equal(h_int(j, "assignee_org_id"), C.grid_a);
    json_decref(j);
    /* both events untouched */
    j = get_ev(t_cmd, b);
    expect_status(j, "reported");
    json_decref(j);
    j = get_ev(t_cmd, a);
    expect_status(j, "reported");
    json_decref(j);
}

static void test_whistle_invalid(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.004, "EV-WI 吹哨校验");
    long st = 0;
    json_t *j = h_act_with(t_cmd, id, "whistle",
                           json_pack("{s:[I]}", "departments", (json_int_t)C.grid_b), &st);
    H_STATUS(st, 422);
    h_check_error(j, "departments");
    json_decref(j);
    j = h_act_with(t_cmd, id, "whistle", json_pack("{s:[]}", "departments"), &st);
    H_STATUS(st, 422);
    h_check_error(j, "departments");
    json_decref(j);
    j = h_act(t_cmd, id, "whistle", &st);
    H_STATUS(st, 422);
    h_check_error(j, "departments");
    json_decref(j);
    json_decref(
        act_ok(t_cmd, id, "whistle", json_pack("{s:[I]}", "departments", (json_int_t)C.dept_cg)));
    /* the same department twice */
    act_fails(t_cmd, id, "whistle", json_pack("{s:[I]}", "departments", (json_int_t)C.dept_cg),
              409);
    /* a department that was not summoned does not report in */
    j = h_act(t_h_ga, id, "report_in", &st);
    if (st != 403 && st != 404 && st != 409)
        fail_msg("status %ld, want 403, 404 or 409\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    j = get_ev(t_cmd, id);
    assert_int_equal(json_array_size(h_obj(j, "whistles")), 1);
    json_decref(j);
}

/* ---- concurrency ---- */

struct racer {
    pthread_barrier_t *bar;
    const char *tok;
    int64_t id;
    const char *action;
    int64_t version;
    long status;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    pthread_barrier_wait(r->bar);
    long st = 0;
    json_t *j = h_act_with(r->tok, r->id, r->action,
                           json_pack("{s:I}", "expected_version", (json_int_t)r->version), &st);
    json_decref(j);
    r->status = st;
    return NULL;
}

static void race_pair(const char *tok1, const char *tok2, int64_t id, const char *action,
                      int64_t version, int iter)
{
    pthread_barrier_t bar;
    pthread_barrier_init(&bar, NULL, 2);
    struct racer a = {&bar, tok1, id, action, version, 0};
    struct racer b = {&bar, tok2, id, action, version, 0};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&bar);
    bool one_each = (a.status == 200 && b.status == 409) || (a.status == 409 && b.status == 200);
    if (!one_each)
        fail_msg("iteration %d, %s on event %lld at version %lld: statuses %ld and %ld, want one "
                 "200 and one 409",
                 iter, action, (long long)id, (long long)version, a.status, b.status);
}

static void test_concurrent_actions(void **state)
{
    (void)state;
    city();
    for (int i = 0; i < 20; i++) {
        char desc[64];
        snprintf(desc, sizeof desc, "EV-CC 并发 %d", i);
        int64_t id = patrol_a("0107", 0.0001 * i, desc);
        int64_t v = get_int(t_cmd, id, "version");
        /* the same state change twice: one wins */
        race_pair(t_go_a, t_go_a, id, "sign", v, i);
        json_t *e = get_ev(t_cmd, id);
        expect_status(e, "in_progress");
        assert_int_equal(timeline_count(e, "sign"), 1);
        int64_t v2 = h_int(e, "version");
        assert_true(v2 > v);
        json_decref(e);
        /* an in-place action twice at one version: only the version decides */
        race_pair(t_leader, t_cmd, id, "supervise", v2, i);
        e = get_ev(t_cmd, id);
        assert_int_equal(h_int(e, "supervise_count"), 1);
        assert_int_equal(timeline_count(e, "supervise"), 1);
        json_decref(e);
    }
}

/* ---- lists ---- */

/* ids of a list answer at `path` (one page, up to 500) */
static size_t list_ids(const char *tok, const char *path, int64_t *ids, size_t max)
{
    long st = 0;
    json_t *l = h_get(path, tok, &st);
    H_STATUS(st, 200);
    json_t *items = h_items(l);
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(items, i, v)
    {
        if (n < max)
            ids[n++] = h_int(v, "id");
    }
    json_decref(l);
    return n;
}

static bool has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* every item of the list answer has `key` == `want` (string) */
static void all_items(const char *tok, const char *path, const char *key, const char *want)
{
    long st = 0;
    json_t *l = h_get(path, tok, &st);
    H_STATUS(st, 200);
    size_t i;
    json_t *v;
    json_array_foreach(h_items(l), i, v)
    {
        const char *s = h_str(v, key);
        if (strcmp(s, want) != 0)
            fail_msg("item %lld has %s \"%s\", want \"%s\"\n%s", (long long)h_int(v, "id"), key, s,
                     want, h_last());
    }
    json_decref(l);
}

/* The overdue sweep escalates a late event one level at a time: not again until the level above
 * had a period of its own, never above the district; the deadline (and so red) stays. */
static void test_sweep_escalates(void **state)
{
    (void)state;
    city();
    int64_t id = patrol_a("0101", 0.0025, "EV-SW 超期未处置");
    json_t *e = get_ev(t_cmd, id);
    char due[40];
    snprintf(due, sizeof due, "%s", h_str(e, "handle_due_at"));
    assert_string_equal(h_str(e, "level"), "grid");
    json_decref(e);

    int64_t t = gg_time_now() + 60 * 86400; /* long after the deadline */
    static const char *const levels[] = {"community", "street", "district"};
    for (int round = 0; round < 3; round++) {
        int n = 0;
        struct gg_error err = {0};
        assert_int_equal(app_sweep(h_app(), t, &n, &err), 0);
        assert_true(n >= 1);
        e = get_ev(t_cmd, id);
        assert_string_equal(h_str(e, "level"), levels[round]);
        assert_int_equal(h_int(e, "escalation_count"), round + 1);
        assert_string_equal(h_str(e, "handle_due_at"), due); /* a late event stays late */
        json_t *last = timeline_last(e, "auto_escalate");
        assert_true(h_is_null(last, "actor_id")); /* the system */
        json_decref(e);
        /* the same moment again: the level above has its own period first */
        assert_int_equal(app_sweep(h_app(), t, &n, &err), 0);
        e = get_ev(t_cmd, id);
        assert_int_equal(h_int(e, "escalation_count"), round + 1);
        json_decref(e);
        t += 60 * 86400;
    }
    /* at the district it stays */
    int n = 0;
    struct gg_error err = {0};
    assert_int_equal(app_sweep(h_app(), t, &n, &err), 0);
    e = get_ev(t_cmd, id);
    assert_int_equal(h_int(e, "escalation_count"), 3);
    assert_string_equal(h_str(e, "level"), "district");
    json_decref(e);
}

static void test_list_filters(void **state)
{
    (void)state;
    city();
    int64_t fa = h_event_id(t_go_a, "0101", H_A_LAT, H_A_LON, "patrol", "LFTOKEN 路边甲");
    int64_t fb = h_event_id(t_go_b, "0801", H_B_LAT, H_B_LON, "patrol", "LFTOKEN 邻里乙");
    long st = 0;
    json_t *b = ev_body("0102", H_B_LAT, H_B_LON, "sensor", "LFTOKEN 渣土丙");
    json_object_set_new(b, "device_id", json_string("LF-DEV"));
    json_t *e = post_event(t_cmd, b, &st);
    H_STATUS(st, 201);
    int64_t fs = h_int(e, "id");
    json_decref(e);
    int64_t fr = h_event_id(t_r1, "0103", H_A_LAT, H_A_LON, "app", "LFTOKEN 道路丁");
    int64_t ids[600];
    size_t n;

    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&limit=500", ids, 600);
    assert_int_equal(n, 4);
    assert_true(has(ids, n, fa) && has(ids, n, fb) && has(ids, n, fs) && has(ids, n, fr));

    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&status=reported", ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fr));
    all_items(t_cmd, "/api/v1/events?status=reported&limit=500", "status", "reported");

    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&category=01", ids, 600);
    assert_int_equal(n, 3);
    assert_false(has(ids, n, fb));
    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&category=0101", ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fa));
    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&category=08", ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fb));

    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&source=sensor", ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fs));
    all_items(t_cmd, "/api/v1/events?source=sensor&limit=500", "source", "sensor");

    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&org_id=%lld", (long long)C.grid_b), ids,
                 600);
    assert_int_equal(n, 2);
    assert_true(has(ids, n, fb) && has(ids, n, fs));
    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&org_id=%lld", (long long)C.grid_a), ids,
                 600);
    assert_int_equal(n, 2);
    assert_true(has(ids, n, fa) && has(ids, n, fr));
    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&org_id=%lld", (long long)C.community), ids,
                 600);
    assert_int_equal(n, 4);

    all_items(t_cmd, "/api/v1/events?color=green&limit=500", "color", "green");
    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&color=green", ids, 600);
    assert_int_equal(n, 4);
    n = list_ids(t_cmd, "/api/v1/events?q=LFTOKEN&color=red", ids, 600);
    assert_int_equal(n, 0);

    /* the text query: Chinese, URL-encoded ("路边甲") */
    n = list_ids(t_cmd, "/api/v1/events?q=%E8%B7%AF%E8%BE%B9%E7%94%B2", ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fa));
    n = list_ids(t_cmd, "/api/v1/events?q=NOSUCHTOKEN-LF", ids, 600);
    assert_int_equal(n, 0);

    /* the period */
    time_t now = time(NULL);
    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&from=%s", rfc3339(now - 3600)), ids, 600);
    assert_int_equal(n, 4);
    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&from=%s", rfc3339(now + 86400)), ids, 600);
    assert_int_equal(n, 0);
    n = list_ids(t_cmd, h_path("/api/v1/events?q=LFTOKEN&to=%s", rfc3339(now - 86400)), ids, 600);
    assert_int_equal(n, 0);
    n = list_ids(
        t_cmd,
        h_path("/api/v1/events?q=LFTOKEN&from=%s&to=%s", rfc3339(now - 3600), rfc3339(now + 3600)),
        ids, 600);
    assert_int_equal(n, 4);

    /* combined */
    n = list_ids(t_cmd,
                 h_path("/api/v1/events?q=LFTOKEN&category=01&org_id=%lld&source=patrol",
                        (long long)C.grid_a),
                 ids, 600);
    assert_int_equal(n, 1);
    assert_true(has(ids, n, fa));

    /* bad filter values */
    const char *bad[][2] = {{"/api/v1/events?status=flying", "status"},
                            {"/api/v1/events?color=purple", "color"},
                            {"/api/v1/events?source=fax", "source"},
                            {"/api/v1/events?from=yesterday", "from"},
                            {"/api/v1/events?org_id=abc", "org_id"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = h_get(bad[i][0], t_cmd, &st);
        if (st != 400 && st != 422)
            fail_msg("status %ld, want 400 or 422\n%s", st, h_last());
        h_check_error(j, bad[i][1]);
        json_decref(j);
    }
}

static void test_list_paging(void **state)
{
    (void)state;
    city();
    int64_t made[7];
    for (int i = 0; i < 7; i++) {
        char d[64];
        snprintf(d, sizeof d, "PGTOKEN 第%d件", i);
        made[i] = h_event_id(t_go_a, "0108", H_A_LAT + 0.0005 * i, H_A_LON, "patrol", d);
    }
    int seen[7] = {0};
    char cursor[128] = "";
    int pages = 0;
    int64_t prev = INT64_MAX;
    for (;;) {
        long st = 0;
        json_t *l = h_get(cursor[0] ? h_path("/api/v1/events?q=PGTOKEN&limit=3&cursor=%s", cursor)
                                    : "/api/v1/events?q=PGTOKEN&limit=3",
                          t_cmd, &st);
        H_STATUS(st, 200);
        json_t *items = h_items(l);
        assert_true(json_array_size(items) <= 3);
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v)
        {
            int64_t id = h_int(v, "id");
            assert_true(id < prev); /* newest first, never repeated */
            prev = id;
            int k = -1;
            for (int x = 0; x < 7; x++)
                if (made[x] == id)
                    k = x;
            if (k < 0)
                fail_msg("unexpected id %lld\n%s", (long long)id, h_last());
            seen[k]++;
        }
        pages++;
        if (pages == 1) {
            assert_int_equal(json_array_size(items), 3);
            /* an event arriving mid-way shifts nothing */
            h_event_id(t_go_a, "0108", H_A_LAT, H_A_LON + 0.001, "patrol", "PGTOKEN 后来的");
        }
        json_t *nc = json_object_get(l, "next_cursor");
        if (!nc || json_is_null(nc)) {
            json_decref(l);
            break;
        }
        if (!json_is_string(nc))
            fail_msg("next_cursor is neither a string nor null\n%s", h_last());
        snprintf(cursor, sizeof cursor, "%s", json_string_value(nc));
        json_decref(l);
        if (pages > 10)
            fail_msg("paging does not end");
    }
    for (int x = 0; x < 7; x++)
        if (seen[x] != 1)
            fail_msg("event %lld seen %d times", (long long)made[x], seen[x]);
    assert_true(pages >= 3);
    long st = 0;
    /* the default page is 50 */
    json_t *j = h_get("/api/v1/events", t_cmd, &st);
    H_STATUS(st, 200);
    size_t total = json_array_size(h_items(j));
    assert_true(total <= 50);
    if (json_is_string(json_object_get(j, "next_cursor")))
        assert_int_equal(total, 50);
    json_decref(j);
    j = h_get("/api/v1/events?cursor=not-a-cursor", t_cmd, &st);
    if (st != 400 && st != 422)
        fail_msg("status %ld, want 400 or 422\n%s", st, h_last());
    h_check_error(j, "cursor");
    json_decref(j);
    j = h_get("/api/v1/events?limit=501", t_cmd, &st);
    if (st != 422 && st != 400) {
        /* clamping to 500 is the other reading of "max 500" */
        H_STATUS(st, 200);
        assert_true(json_array_size(h_items(j)) <= 500);
    } else {
        h_check_error(j, "limit");
    }
    json_decref(j);
}

/* all pages of a list, appended to ids */
static size_t list_all(const char *tok, const char *query, int64_t *ids, size_t max,
                       json_t *check_each(json_t *item, void *ctx), void *ctx)
{
    char cursor[128] = "";
    size_t n = 0;
    for (int pages = 0; pages < 100; pages++) {
        long st = 0;
        json_t *l = h_get(cursor[0] ? h_path("/api/v1/events?limit=500%s&cursor=%s", query, cursor)
                                    : h_path("/api/v1/events?limit=500%s", query),
                          tok, &st);
        H_STATUS(st, 200);
        size_t i;
        json_t *v;
        json_array_foreach(h_items(l), i, v)
        {
            if (n < max)
                ids[n++] = h_int(v, "id");
            if (check_each)
                check_each(v, ctx);
        }
        json_t *nc = json_object_get(l, "next_cursor");
        if (!json_is_string(nc)) {
            json_decref(l);
            break;
        }
        snprintf(cursor, sizeof cursor, "%s", json_string_value(nc));
        json_decref(l);
    }
    return n;
}

static json_t *not_grid_b(json_t *item, void *ctx)
{
    (void)ctx;
    json_t *g = json_object_get(item, "grid_id");
    if (json_is_integer(g) && json_integer_value(g) == C.grid_b)
        fail_msg("grid A's officer sees event %lld of grid B\n%s", (long long)h_int(item, "id"),
                 h_last());
    return item;
}

static json_t *own_only(json_t *item, void *ctx)
{
    int64_t me = *(int64_t *)ctx;
    if (h_int(item, "reporter_id") != me)
        fail_msg("resident %lld sees event %lld reported by %lld\n%s", (long long)me,
                 (long long)h_int(item, "id"), (long long)h_int(item, "reporter_id"), h_last());
    return item;
}

static void test_scope_lists(void **state)
{
    (void)state;
    city();
    int64_t ea = h_event_id(t_go_a, "0101", H_A_LAT, H_A_LON, "patrol", "EV-SC 甲网格");
    int64_t eb = h_event_id(t_go_b, "0101", H_B_LAT, H_B_LON, "patrol", "EV-SC 乙网格");
    int64_t r1e = h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "EV-SC 居民一");
    int64_t r2e = h_event_id(t_r2, "0101", H_A_LAT, H_A_LON, "app", "EV-SC 居民二");
    static int64_t ids[5000];
    size_t n = list_all(t_go_a, "", ids, 5000, not_grid_b, NULL);
    assert_true(has(ids, n, ea));
    assert_false(has(ids, n, eb));
    n = list_all(t_go_b, "", ids, 5000, NULL, NULL);
    assert_true(has(ids, n, eb));
    assert_false(has(ids, n, ea));
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)eb), t_go_a, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* filters cannot widen the scope: an org filter outside it gives nothing of grid B,
     * either as a filtered list or as an error naming org_id */
    int64_t outside[] = {C.grid_b, C.district};
    for (size_t k = 0; k < 2; k++) {
        json_t *l = h_get(h_path("/api/v1/events?limit=500&org_id=%lld", (long long)outside[k]),
                          t_go_a, &st);
        if (st == 200) {
            size_t i;
            json_t *v;
            json_array_foreach(h_items(l), i, v)
            {
                not_grid_b(v, NULL);
            }
            assert_false(h_list_has(l, eb));
        } else {
            if (st != 422 && st != 404 && st != 403)
                fail_msg("status %ld, want 200, 403, 404 or 422\n%s", st, h_last());
            h_check_error(l, "org_id");
        }
        json_decref(l);
    }

    /* residents: their own reports only */
    n = list_all(t_r1, "", ids, 5000, own_only, &r1_id);
    assert_true(has(ids, n, r1e));
    assert_false(has(ids, n, r2e));
    assert_false(has(ids, n, ea));
    n = list_all(t_r2, "", ids, 5000, own_only, &r2_id);
    assert_true(has(ids, n, r2e));
    assert_false(has(ids, n, r1e));
    j = h_get(h_path("/api/v1/events/%lld", (long long)r2e), t_r1, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get(h_path("/api/v1/events/%lld", (long long)ea), t_r1, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* the district's command centre sees both grids */
    n = list_all(t_cmd, "&q=EV-SC", ids, 5000, NULL, NULL);
    assert_int_equal(n, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intake_app_waits),
        cmocka_unit_test(test_intake_patrol_sensor_register),
        cmocka_unit_test(test_intake_invalid),
        cmocka_unit_test(test_auto_dispatch),
        cmocka_unit_test(test_excluded_matter),
        cmocka_unit_test(test_outside_every_grid),
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_happy_path),
        cmocka_unit_test(test_verify_fail_rework),
        cmocka_unit_test(test_escalate),
        cmocka_unit_test(test_self_handle),
        cmocka_unit_test(test_supervise),
        cmocka_unit_test(test_whistle_report_in),
        cmocka_unit_test(test_suspend_resume_extend),
        cmocka_unit_test(test_duplicates_and_merge),
        cmocka_unit_test(test_illegal_transitions),
        cmocka_unit_test(test_role_not_allowed),
        cmocka_unit_test(test_invisible_event),
        cmocka_unit_test(test_resident_sources),
        cmocka_unit_test(test_return_and_redispatch),
        cmocka_unit_test(test_reject),
        cmocka_unit_test(test_merge_invalid),
        cmocka_unit_test(test_whistle_invalid),
        cmocka_unit_test(test_concurrent_actions),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_list_paging),
        cmocka_unit_test(test_scope_lists),
        cmocka_unit_test(test_sweep_escalates), /* last: it escalates every late event */
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
