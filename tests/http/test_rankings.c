/* test_rankings.c - issue 6 item 8 over real HTTP: the rankings feed. A hand-built city whose
 * answers are worked out below: service orders, 六必访 visits, 三会一课 meetings and key tasks
 * become participation indicators of the unit ranking (GET /stats/ranking, kind=units) with
 * their weights in the score; the cadre evaluation (下沉干部评价, kind=cadres) with report-ins,
 * orders claimed and completed, ratings, reviews, points, score and stars; scope (a community's
 * staff never sees another community's cadres or orders), roles (403) and the period filter.
 *
 * The city: district > street S > communities C (grids A, B) and C2 (grid G2). The period P is
 * the three whole months before the current one, [M0, M3). Everything with a time of its own is
 * written through app/ with a chosen `now` (the use cases take it); what only needs a date goes
 * over HTTP. The ranking is read at the real time, so task colours use today. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/time.h"

#define DAYS 86400

static struct h_city city;
static int64_t c2, g2; /* the second community and its grid */
static int64_t M0, M3; /* the period: [M0, M3) */
static int q_whole;    /* 1 when M0 starts a quarter (quarterly windows judged) */
static char *admin_t, *sstaff_t, *staff_c_t, *staff_c2_t, *officer_t, *resident_t, *member_t,
    *handler_t;
static int64_t pm_x, pm_y, pm_z, pm_v, pm_w; /* party members */
static char pfrom[GG_RFC3339_LEN], pto[GG_RFC3339_LEN];

static struct actor actor_of(const char *token)
{
    struct actor a;
    struct gg_error err = {0};
    if (app_auth(h_app(), token, gg_time_now(), &a, &err))
        fail_msg("auth: %s", err.message);
    return a;
}

static const char *date_of(int64_t t) /* "YYYY-MM-DD" in a static buffer per call site use */
{
    static char buf[4][16];
    static int k;
    int y, m, d;
    gg_civil_from_days(t / DAYS, &y, &m, &d);
    char *b = buf[k++ % 4];
    snprintf(b, 16, "%04d-%02d-%02d", y, m, d);
    return b;
}

/* ---- service orders through app/ at chosen times ---- */

static int64_t ask(const char *tok, int64_t community, int64_t t)
{
    struct actor a = actor_of(tok);
    struct service_ask_input in = {
        .category_code = "1201", .title = "帮忙买药", .community_id = community};
    struct service_view v;
    struct gg_error err = {0};
    if (app_service_ask(h_app(), &a, &in, t, &v, &err))
        fail_msg("ask: %s %s", err.field, err.message);
    int64_t id = v.o.id;
    app_service_view_release(&v);
    return id;
}

static void act(const char *tok, int64_t id, enum service_action action, int64_t t, int reward,
                int64_t deadline, int rating)
{
    struct actor a = actor_of(tok);
    struct service_action_input in = {.action = action,
                                      .reward = reward,
                                      .deadline_at = deadline,
                                      .rating = rating,
                                      .note = "好"};
    struct service_view v;
    struct gg_error err = {0};
    if (app_service_act(h_app(), &a, id, &in, t, &v, &err))
        fail_msg("order %lld %s: %s %s", (long long)id, service_action_id(action), err.field,
                 err.message);
    app_service_view_release(&v);
}

/* asked, published and claimed on days d, d+1, d+2 after `base`; completed and rated when
 * asked (rating 0: not rated) */
static int64_t order(const char *asker, int64_t community, const char *claimer, int64_t base, int d,
                     int reward, bool complete, int rating)
{
    int64_t t = base + (int64_t)d * DAYS;
    int64_t id = ask(asker, community, t);
    act(sstaff_t, id, SERVICE_ACTION_PUBLISH, t + DAYS, reward, t + 40 * DAYS, 0);
    if (!claimer)
        return id;
    act(claimer, id, SERVICE_ACTION_CLAIM, t + 2 * DAYS, 0, 0, 0);
    if (complete)
        act(claimer, id, SERVICE_ACTION_COMPLETE, t + 3 * DAYS, 0, 0, 0);
    if (rating)
        act(asker, id, SERVICE_ACTION_RATE, t + 4 * DAYS, 0, 0, rating);
    return id;
}

static void visit(int64_t grid, int64_t person, unsigned tags, int64_t t)
{
    struct actor a = actor_of(admin_t);
    struct visit_input in = {.grid_id = grid,
                             .person_id = person,
                             .subject_name = "走访对象",
                             .tags = tags,
                             .at = t,
                             .findings = "一切正常"};
    struct visit v;
    struct gg_error err = {0};
    if (app_visit_record(h_app(), &a, &in, t + 60, &v, &err))
        fail_msg("visit: %s %s", err.field, err.message);
}

static int64_t porg(int64_t parent, const char *kind, const char *name, int64_t org)
{
    json_t *b = json_pack("{s:s, s:s, s:I}", "kind", kind, "name", name, "org_id", (json_int_t)org);
    if (parent)
        json_object_set_new(b, "parent_id", json_integer(parent));
    long st;
    json_t *j = h_post("/api/v1/party/orgs", sstaff_t, b, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

static int64_t pmember(int64_t party_org, const char *kind, const char *name, int64_t user)
{
    json_t *b = json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)party_org, "name", name,
                          "kind", kind);
    if (user)
        json_object_set_new(b, "user_id", json_integer(user));
    long st;
    json_t *j = h_post("/api/v1/party/members", sstaff_t, b, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

static void report_in(int64_t member, int64_t community, int64_t t)
{
    struct actor a = actor_of(sstaff_t);
    struct report_in_input in = {.member_id = member, .org_id = community};
    struct report_in r;
    struct gg_error err = {0};
    if (app_report_in_create(h_app(), &a, &in, t, &r, &err))
        fail_msg("report-in: %s %s", err.field, err.message);
}

static void meeting(int64_t po, const char *kind, int64_t t)
{
    long st;
    json_t *j = h_post("/api/v1/party/meetings", sstaff_t,
                       json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)po, "kind", kind,
                                 "held_on", date_of(t)),
                       &st);
    H_STATUS(st, 201);
    json_decref(j);
}

/* a task created at M0 + 1 day with one milestone due `due_in` days from today */
static void task(int64_t org, int64_t leader, int due_in)
{
    struct actor a = actor_of(sstaff_t);
    struct milestone_input ms = {"节点", date_of(gg_time_now() + (int64_t)due_in * DAYS)};
    struct task_input in = {.kind = TASK_KEY,
                            .title = "重点任务",
                            .org_id = org,
                            .leader_user_id = leader,
                            .budget = -1,
                            .spend = -1,
                            .milestones = &ms,
                            .n_milestones = 1};
    struct task_view v;
    struct gg_error err = {0};
    if (app_task_create(h_app(), &a, &in, M0 + DAYS, &v, &err))
        fail_msg("task: %s %s", err.field, err.message);
    app_task_view_release(&v);
}

static int setup(void **state)
{
    if (h_start(state))
        return -1;
    h_city_build(&city, "RK");
    admin_t = strdup(h_admin());
    c2 = h_org(admin_t, city.street, "community", "RKC2", "RK第二社区", NULL, NULL);
    g2 = h_org(admin_t, c2, "grid", "RKG2", "RK第三网格", h_rect(116.32, 39.90, 116.33, 39.91),
               NULL);
    sstaff_t = h_user_token("rk_sstaff", "staff", city.street, NULL);
    staff_c_t = h_user_token("rk_staff_c", "staff", city.community, NULL);
    staff_c2_t = h_user_token("rk_staff_c2", "staff", c2, NULL);
    officer_t = h_user_token("rk_officer", "grid_officer", city.grid_a, NULL);
    resident_t = h_user_token("rk_resident", "resident", city.community, NULL);
    char *resident2_t = h_user_token("rk_resident2", "resident", c2, NULL);
    handler_t = h_user_token("rk_handler", "handler", city.dept_cg, NULL);
    int64_t ux, uy, uz, uw, leader;
    char *x_t = h_user_token("rk_x", "member", city.community, &ux);
    char *y_t = h_user_token("rk_y", "member", city.community, &uy);
    char *z_t = h_user_token("rk_z", "member", c2, &uz);
    member_t = h_user_token("rk_w", "member", city.community, &uw);
    free(h_user_token("rk_leader", "leader", city.street, &leader));

    /* the period: the three whole months before the current one */
    int y, m, d;
    gg_civil_from_days(gg_time_now() / DAYS, &y, &m, &d);
    int cur = y * 12 + m - 1, m0 = cur - 3;
    M3 = gg_days_from_civil(cur / 12, cur % 12 + 1, 1) * DAYS;
    M0 = gg_days_from_civil(m0 / 12, m0 % 12 + 1, 1) * DAYS;
    q_whole = m0 % 3 == 0;
    gg_time_format(M0, pfrom);
    gg_time_format(M3, pto);

    /* party: a working committee over two branches, a group under C's branch in grid A */
    int64_t wc = porg(0, "working_committee", "RK街道党工委", city.street);
    int64_t bc = porg(wc, "branch", "RK社区党支部", city.community);
    int64_t bc2 = porg(wc, "branch", "RK第二社区党支部", c2);
    int64_t grp = porg(bc, "group", "RK第一党小组", city.grid_a);
    /* X and Z cadres, Y in service, V a cadre without an account, W a plain member */
    pm_x = pmember(bc, "cadre", "下沉干部甲", ux);
    pm_y = pmember(bc, "in_service", "在职党员乙", uy);
    pm_z = pmember(bc2, "cadre", "下沉干部丙", uz);
    pm_v = pmember(bc, "cadre", "下沉干部丁", 0);
    pm_w = pmember(bc, "member", "普通党员戊", uw);
    int64_t before = M0 - 30 * DAYS;
    report_in(pm_x, city.community, before);
    report_in(pm_x, c2, before);
    report_in(pm_y, city.community, before);
    report_in(pm_z, c2, before);
    report_in(pm_v, city.community, before);
    report_in(pm_w, city.community, before);

    /* service orders. C, published in P: O1 (X, done, rated 5, reviewed 4), O2 (X, done, rated
     * 3), O3 (Y, claimed only), O8 (never claimed, expired); O4 cancelled and O7 never
     * published do not count; O5 (X, done, rated 5) was published before P. C2: O6 (Z, done,
     * rated 4). Rewards: O1 10, O2 20, O5 5, O6 15 points. */
    int64_t o1 = order(resident_t, city.community, x_t, M0, 1, 10, true, 5);
    act(sstaff_t, o1, SERVICE_ACTION_REVIEW, M0 + 6 * DAYS, 0, 0, 4);
    order(resident_t, city.community, x_t, M0, 2, 20, true, 3);
    order(resident_t, city.community, y_t, M0, 3, 5, false, 0);
    int64_t o8 = ask(resident_t, city.community, M0 + DAYS);
    act(sstaff_t, o8, SERVICE_ACTION_PUBLISH, M0 + 2 * DAYS, 5, M0 + 20 * DAYS, 0);
    int64_t o4 = order(resident_t, city.community, NULL, M0, 1, 5, false, 0);
    act(sstaff_t, o4, SERVICE_ACTION_CANCEL, M0 + 3 * DAYS, 0, 0, 0);
    ask(resident_t, city.community, M0 + DAYS);                  /* O7 */
    order(resident_t, city.community, x_t, M0, -26, 5, true, 5); /* O5 */
    order(resident2_t, c2, z_t, M0, 10, 15, true, 4);            /* O6 */
    /* X volunteers in P: 7 more points */
    struct actor sa = actor_of(sstaff_t);
    struct points_award_input pa = {ux, POINTS_SOURCE_VOLUNTEER, "rk-vol-1", 7, "志愿服务"};
    struct points_entry pe;
    struct gg_error err = {0};
    if (app_points_award(h_app(), &sa, &pa, M0 + 50 * DAYS, &pe, &err))
        fail_msg("award: %s", err.message);

    /* 六必访. Grid A: P1 elderly_alone (7 days) visited at +10 (next due +17: visited +15, in
     * time), +15 (due +22: next visit +30, late), +30 (due +37: none since, overdue); P2 veteran
     * (90 days) at +5 falls due after P; P3 carries no tag. Grid B: P4 disabled + elderly_alone
     * (the shorter, 7 days) at +40 (due +47: visited exactly then, in time), +47 (due +54:
     * visited +50, in time), +50 (due +57: overdue). */
    visit(city.grid_a, 9001, 1u << VISIT_TAG_ELDERLY_ALONE, M0 + 10 * DAYS);
    visit(city.grid_a, 9001, 1u << VISIT_TAG_ELDERLY_ALONE, M0 + 15 * DAYS);
    visit(city.grid_a, 9001, 1u << VISIT_TAG_ELDERLY_ALONE, M0 + 30 * DAYS);
    visit(city.grid_a, 9002, 1u << VISIT_TAG_VETERAN, M0 + 5 * DAYS);
    visit(city.grid_a, 9003, 0, M0 + 6 * DAYS);
    unsigned both = (1u << VISIT_TAG_DISABLED) | (1u << VISIT_TAG_ELDERLY_ALONE);
    visit(city.grid_b, 9004, both, M0 + 40 * DAYS);
    visit(city.grid_b, 9004, both, M0 + 47 * DAYS);
    visit(city.grid_b, 9004, both, M0 + 50 * DAYS);

    /* 三会一课 (default frequencies 3,1,1,3). C's branch: a committee meeting every month of P,
     * a group meeting (held by its group) in the first month only, a branch assembly in the
     * first month; C2's branch nothing in P (one committee meeting before P) */
    for (int k = 0; k < 3; k++) {
        int mk = m0 + k;
        meeting(bc, "committee_meeting", gg_days_from_civil(mk / 12, mk % 12 + 1, 10) * DAYS);
    }
    meeting(grp, "group_meeting", M0 + 12 * DAYS);
    meeting(bc, "branch_assembly", M0 + 13 * DAYS);
    meeting(bc2, "committee_meeting", M0 - 10 * DAYS);

    /* key tasks, coloured today: C one red (overdue) and one blue; C2 one yellow */
    task(city.community, leader, -10);
    task(city.community, leader, 60);
    task(c2, leader, 3);

    free(resident2_t);
    free(x_t);
    free(y_t);
    free(z_t);
    return 0;
}

static int teardown(void **state)
{
    free(admin_t);
    free(sstaff_t);
    free(staff_c_t);
    free(staff_c2_t);
    free(officer_t);
    free(resident_t);
    free(member_t);
    free(handler_t);
    return h_stop(state);
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v))
        fail_msg("%s is not a number", key);
    return json_number_value(v);
}

static json_t *item_for(json_t *items, const char *key, int64_t id)
{
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        json_t *k = json_object_get(it, key);
        int64_t v = json_is_object(k) ? h_int(k, "id") : json_integer_value(k);
        if (v == id)
            return it;
    }
    fail_msg("%s %lld not in the ranking", key, (long long)id);
    return NULL;
}

static json_t *ranking(const char *query, const char *tok, long want)
{
    long st;
    json_t *j = h_get(h_path("/api/v1/stats/ranking?%s", query), tok, &st);
    H_STATUS(st, want);
    if (want != 200)
        h_check_error(j, NULL);
    return j;
}

/* ---- the unit ranking ---- */

static void test_units(void **st)
{
    (void)st;
    json_t *j = ranking(h_path("parent_id=%lld&from=%s&to=%s", (long long)city.street, pfrom, pto),
                        admin_t, 200);
    json_t *items = h_obj(j, "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *c = item_for(items, "org", city.community), *d = item_for(items, "org", c2);

    /* C: 4 orders (O1 O2 O3 O8), 2 completed, ratings 5 and 3 */
    json_t *p = h_obj(c, "participation");
    assert_int_equal(h_int(p, "service_orders"), 4);
    assert_int_equal(h_int(p, "service_completed"), 2);
    assert_int_equal(h_int(p, "service_rated"), 2);
    assert_float_equal(num(p, "service_completion_rate"), 0.5, 1e-9);
    assert_float_equal(num(p, "service_mean_rating"), 4.0, 1e-9);
    /* visits: grid A 3 due, 1 in time; grid B 3 due, 2 in time */
    assert_int_equal(h_int(p, "visits_due"), 6);
    assert_int_equal(h_int(p, "visits_on_time"), 3);
    assert_int_equal(h_int(p, "visits_overdue"), 3);
    assert_float_equal(num(p, "visit_compliance"), 0.5, 1e-9);
    /* meetings: 3 committee + 3 group windows (+ one assembly and one lecture window when P
     * starts a quarter); missing: 2 group months (+ the lecture) */
    int windows = 6 + 2 * q_whole, gaps = 2 + q_whole;
    assert_int_equal(h_int(p, "party_branches"), 1);
    assert_int_equal(h_int(p, "meeting_windows"), windows);
    assert_int_equal(h_int(p, "meeting_gaps"), gaps);
    double meet = (double)(windows - gaps) / windows;
    assert_float_equal(num(p, "meeting_compliance"), meet, 1e-9);
    /* tasks: one red, one blue */
    assert_int_equal(h_int(p, "tasks"), 2);
    assert_int_equal(h_int(p, "tasks_red"), 1);
    assert_int_equal(h_int(p, "tasks_blue"), 1);
    assert_float_equal(num(p, "task_red_rate"), 0.5, 1e-9);
    assert_float_equal(num(p, "task_yellow_rate"), 0.0, 1e-9);
    /* no events: the event indicators are null and drop out; each participation part weighs
     * 10: completion .5, rating (4 − 1) / 4 = .75, visits .5, meetings, tasks .5 + 0 */
    assert_true(h_is_null(h_obj(c, "indicators"), "on_time_handling_rate"));
    double want_c = 100.0 * (0.5 + 0.75 + 0.5 + meet + 0.5) / 5;
    assert_float_equal(num(c, "score"), want_c, 1e-9);

    /* C2: O6 done and rated 4; no visits (null, drops out); the branch met nowhere in P (0);
     * one yellow task (.5 × 1): (1 + .75 + 0 + .5) / 4 = 56.25 */
    p = h_obj(d, "participation");
    assert_int_equal(h_int(p, "service_orders"), 1);
    assert_float_equal(num(p, "service_completion_rate"), 1.0, 1e-9);
    assert_int_equal(h_int(p, "visits_due"), 0);
    assert_true(h_is_null(p, "visit_compliance"));
    assert_int_equal(h_int(p, "meeting_gaps"), windows);
    assert_float_equal(num(p, "meeting_compliance"), 0.0, 1e-9);
    assert_int_equal(h_int(p, "tasks_yellow"), 1);
    assert_float_equal(num(p, "task_yellow_rate"), 1.0, 1e-9);
    assert_float_equal(num(d, "score"), 56.25, 1e-9);
    assert_true(want_c > 56.25);
    assert_int_equal(h_int(c, "rank"), 1);
    assert_int_equal(h_int(d, "rank"), 2);
    assert_int_equal(h_int(c, "stars"), 1);
    json_decref(j);

    /* the grids of C: only visits reach a grid (orders, tasks and the branch sit at C) */
    j = ranking(h_path("parent_id=%lld&from=%s&to=%s", (long long)city.community, pfrom, pto),
                staff_c_t, 200);
    items = h_obj(j, "items");
    json_t *a = item_for(items, "org", city.grid_a), *b = item_for(items, "org", city.grid_b);
    assert_float_equal(num(h_obj(a, "participation"), "visit_compliance"), 1.0 / 3, 1e-9);
    assert_float_equal(num(a, "score"), 100.0 / 3, 1e-9);
    assert_float_equal(num(b, "score"), 200.0 / 3, 1e-9);
    assert_int_equal(h_int(b, "rank"), 1);
    assert_int_equal(h_int(h_obj(a, "participation"), "service_orders"), 0);
    assert_true(h_is_null(h_obj(a, "participation"), "service_completion_rate"));
    assert_int_equal(h_int(h_obj(a, "participation"), "party_branches"), 0);
    json_decref(j);

    /* a grid with no data at all: every indicator null, no score, no stars */
    j = ranking(h_path("parent_id=%lld&from=%s&to=%s", (long long)c2, pfrom, pto), admin_t, 200);
    json_t *g = item_for(h_obj(j, "items"), "org", g2);
    assert_true(h_is_null(g, "score"));
    assert_true(h_is_null(g, "stars"));
    assert_true(h_is_null(h_obj(g, "participation"), "meeting_compliance"));
    json_decref(j);

    /* the period filter: a period before P holds only O5, which is done and rated 5; no whole
     * month is left of a period inside the current month (meetings null) */
    char f2[GG_RFC3339_LEN];
    gg_time_format(M0 - 40 * DAYS, f2);
    j = ranking(h_path("parent_id=%lld&from=%s&to=%s", (long long)city.street, f2, pfrom), admin_t,
                200);
    p = h_obj(item_for(h_obj(j, "items"), "org", city.community), "participation");
    assert_int_equal(h_int(p, "service_orders"), 1);
    assert_float_equal(num(p, "service_mean_rating"), 5.0, 1e-9);
    assert_int_equal(h_int(p, "visits_due"), 0);
    json_decref(j);
    j = ranking(h_path("parent_id=%lld&from=%s", (long long)city.street, pto), admin_t, 200);
    p = h_obj(item_for(h_obj(j, "items"), "org", city.community), "participation");
    assert_int_equal(h_int(p, "service_orders"), 0);
    assert_true(h_is_null(p, "meeting_compliance"));
    json_decref(j);
}

/* ---- the cadre evaluation ---- */

static void check_cadre(json_t *it, int64_t reports, int64_t claimed, int64_t completed,
                        int64_t points)
{
    assert_int_equal(h_int(it, "report_ins"), reports);
    assert_int_equal(h_int(it, "orders_claimed"), claimed);
    assert_int_equal(h_int(it, "orders_completed"), completed);
    assert_int_equal(h_int(it, "points"), points);
}

static void test_cadres(void **st)
{
    (void)st;
    json_t *j =
        ranking(h_path("kind=cadres&org_id=%lld&from=%s&to=%s", (long long)city.street, pfrom, pto),
                admin_t, 200);
    assert_string_equal(h_str(j, "kind"), "cadres");
    json_t *items = h_obj(j, "items");
    /* cadres and in-service members only: W (a plain member) is not evaluated */
    assert_int_equal(json_array_size(items), 4);
    /* X: report-ins to C and C2; O1 and O2 claimed and done, ratings 5 and 3 (mean 4 → .75,
     * weight 40), O1 reviewed 4 (.75, 20), completion 1 (25), the most completed (1, 15):
     * 30 + 15 + 25 + 15 = 85, ★★★★; points 10 + 20 + 7 in P (O5's 5 came before) */
    json_t *x = json_array_get(items, 0);
    assert_int_equal(h_int(x, "member_id"), pm_x);
    assert_int_equal(h_int(x, "rank"), 1);
    assert_string_equal(h_str(x, "kind"), "cadre");
    assert_string_equal(h_str(h_obj(x, "party_org"), "name"), "RK社区党支部");
    check_cadre(x, 2, 2, 2, 37);
    assert_float_equal(num(x, "mean_rating"), 4.0, 1e-9);
    assert_float_equal(num(x, "mean_review"), 4.0, 1e-9);
    assert_float_equal(num(x, "completion_rate"), 1.0, 1e-9);
    assert_float_equal(num(x, "score"), 85.0, 1e-9);
    assert_int_equal(h_int(x, "stars"), 4);
    /* Z: O6 done, rated 4 (30 of 40), no review (drops out), completion 1 (25), 1 of the
     * most 2 (7.5 of 15): 62.5 / 80 = 78.125, ★★★ */
    json_t *z = json_array_get(items, 1);
    assert_int_equal(h_int(z, "member_id"), pm_z);
    check_cadre(z, 1, 1, 1, 15);
    assert_true(h_is_null(z, "mean_review"));
    assert_float_equal(num(z, "score"), 78.125, 1e-9);
    assert_int_equal(h_int(z, "stars"), 3);
    /* Y claimed O3 and has not done it (0); V has no account and did nothing (0): by id */
    json_t *y = json_array_get(items, 2), *v = json_array_get(items, 3);
    assert_int_equal(h_int(y, "member_id"), pm_y);
    assert_string_equal(h_str(y, "kind"), "in_service");
    check_cadre(y, 1, 1, 0, 0);
    assert_float_equal(num(y, "score"), 0.0, 0);
    assert_int_equal(h_int(y, "stars"), 1);
    assert_int_equal(h_int(v, "member_id"), pm_v);
    assert_true(h_is_null(v, "user_id"));
    assert_true(h_is_null(v, "completion_rate"));
    assert_true(h_is_null(v, "mean_rating"));
    check_cadre(v, 1, 0, 0, 0);
    json_decref(j);

    /* C's staff: C's cadres with C's orders; Z (C2) is never shown */
    j = ranking(h_path("kind=cadres&from=%s&to=%s", pfrom, pto), staff_c_t, 200);
    items = h_obj(j, "items");
    assert_int_equal(json_array_size(items), 3);
    for (size_t i = 0; i < 3; i++)
        assert_true(h_int(json_array_get(items, i), "member_id") != pm_z);
    check_cadre(item_for(items, "member_id", pm_x), 1, 2, 2, 37);
    json_decref(j);
    /* C2's staff: Z, and X (reported in to C2 too) with none of C's orders: Z alone did the
     * most (1): (30 + 25 + 15) / 80 = 87.5; X has only the activity part: 0 */
    j = ranking(h_path("kind=cadres&from=%s&to=%s", pfrom, pto), staff_c2_t, 200);
    items = h_obj(j, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(h_int(json_array_get(items, 0), "member_id"), pm_z);
    assert_float_equal(num(json_array_get(items, 0), "score"), 87.5, 1e-9);
    x = json_array_get(items, 1);
    check_cadre(x, 1, 0, 0, 37);
    assert_float_equal(num(x, "score"), 0.0, 0);
    json_decref(j);
    /* another community's org is not found for C's staff; the street is above its scope */
    json_decref(ranking(h_path("kind=cadres&org_id=%lld", (long long)c2), staff_c_t, 404));
    json_decref(ranking(h_path("kind=cadres&org_id=%lld", (long long)city.street), staff_c_t, 404));
}

static void test_cadres_period_and_roles(void **st)
{
    (void)st;
    /* before P: only O5 (X, done, rated 5): 40 + 25 + 15 of 80 = 100; points 5 */
    char f2[GG_RFC3339_LEN], t2[GG_RFC3339_LEN];
    gg_time_format(M0 - 40 * DAYS, f2);
    json_t *j =
        ranking(h_path("kind=cadres&org_id=%lld&from=%s&to=%s", (long long)city.street, f2, pfrom),
                admin_t, 200);
    json_t *items = h_obj(j, "items");
    assert_int_equal(json_array_size(items), 4);
    json_t *x = json_array_get(items, 0);
    assert_int_equal(h_int(x, "member_id"), pm_x);
    check_cadre(x, 2, 1, 1, 5);
    assert_float_equal(num(x, "score"), 100.0, 1e-9);
    assert_int_equal(h_int(x, "stars"), 5);
    assert_float_equal(num(json_array_get(items, 1), "score"), 0.0, 0);
    json_decref(j);
    /* a period that ends before anyone reported in lists nobody */
    gg_time_format(M0 - 31 * DAYS, t2);
    j = ranking(h_path("kind=cadres&org_id=%lld&from=%s&to=%s", (long long)city.street, f2, t2),
                admin_t, 200);
    assert_int_equal(json_array_size(h_obj(j, "items")), 0);
    json_decref(j);
    /* period=YYYY-MM */
    int y, m, d;
    gg_civil_from_days(M0 / DAYS, &y, &m, &d);
    j = ranking(h_path("kind=cadres&org_id=%lld&period=%04d-%02d", (long long)city.street, y, m),
                sstaff_t, 200);
    assert_string_equal(h_str(j, "from"), pfrom);
    assert_int_equal(h_int(item_for(h_obj(j, "items"), "member_id", pm_x), "orders_completed"), 2);
    json_decref(j);
    json_decref(ranking("kind=cadres&period=2026-13", admin_t, 422));
    json_decref(ranking("kind=bogus", admin_t, 422));

    /* readers: admin, command, leader, staff; everyone else 403 */
    char *cmd = h_user_token("rk_cmd", "command", city.district, NULL);
    char *ldr = h_login("rk_leader", H_PASSWORD);
    json_decref(ranking("kind=cadres", cmd, 200));
    json_decref(ranking("kind=cadres", ldr, 200));
    json_decref(ranking("kind=cadres", resident_t, 403));
    json_decref(ranking("kind=cadres", member_t, 403));
    json_decref(ranking("kind=cadres", handler_t, 403));
    json_decref(ranking("kind=cadres", officer_t, 403));
    json_decref(ranking("kind=cadres", NULL, 401));
    /* the unit ranking keeps its readers: a grid officer ranks within its grid */
    json_decref(ranking(h_path("parent_id=%lld", (long long)city.grid_a), officer_t, 200));
    json_decref(ranking("parent_id=1", resident_t, 403));
    free(cmd);
    free(ldr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_cadres),
        cmocka_unit_test(test_cadres_period_and_roles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
