/* test_party_api.c - issue 6 items 2 and 7 over HTTP: the party organisation chain (党工委 —
 * 党支部 — 党小组 — 党员中心户) and its rules, party members and report-ins (双报到), cover links
 * (三级包保) and "who covers node X", meetings of 三会一课 with attendance and minutes, the
 * compliance check on a hand-built half year with a known answer, and key tasks (重点任务)
 * with the blue/yellow/red colour rule, monthly reports and the overdue sweep that messages
 * the leader. Role × scope boundaries and bad input (400/403/404/409/422) throughout. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"

static struct h_city C;
static int64_t community2, grid_c;
static char *sstaff, *staff, *staff2, *leader, *resident, *member, *member2, *gofficer;
static int64_t leader_id, leader2_id, member_id_user, resident_id;
static int64_t wc, b1, b2, g1, hh1, pm1, pm2;

static void setup(void)
{
    if (sstaff)
        return;
    h_city_build(&C, "PT-");
    const char *adm = h_admin();
    community2 = h_org(adm, C.street, "community", "PT-C2", "第二社区", NULL, NULL);
    grid_c = h_org(adm, community2, "grid", "PT-C2G", "丙网格", NULL, NULL);
    sstaff = h_user_token("pt_sstaff", "staff", C.street, NULL);
    staff = h_user_token("pt_staff", "staff", C.community, NULL);
    staff2 = h_user_token("pt_staff2", "staff", community2, NULL);
    leader = h_user_token("pt_leader", "leader", C.district, &leader_id);
    free(h_user_token("pt_leader2", "leader", C.community, &leader2_id));
    resident = h_user_token("pt_resident", "resident", C.community, &resident_id);
    member = h_user_token("pt_member", "member", C.community, &member_id_user);
    member2 = h_user_token("pt_member2", "member", C.community, NULL);
    gofficer = h_user_token("pt_go", "grid_officer", C.grid_a, NULL);
}

static int64_t post_id(const char *path, const char *tok, json_t *body, long want)
{
    long st;
    json_t *j = h_post(path, tok, body, &st);
    H_STATUS(st, want);
    int64_t id = want / 100 == 2 ? h_int(j, "id") : 0;
    if (want / 100 != 2)
        h_check_error(j, NULL);
    json_decref(j);
    return id;
}

/* POST expecting an error with this field */
static void post_err(const char *path, const char *tok, json_t *body, long want, const char *field)
{
    long st;
    json_t *j = h_post(path, tok, body, &st);
    H_STATUS(st, want);
    h_check_error(j, field);
    json_decref(j);
}

static int64_t porg(const char *tok, int64_t parent, const char *kind, const char *name,
                    int64_t org, long want)
{
    json_t *b = json_pack("{s:s, s:s, s:I}", "kind", kind, "name", name, "org_id", (json_int_t)org);
    if (parent)
        json_object_set_new(b, "parent_id", json_integer(parent));
    return post_id("/api/v1/party/orgs", tok, b, want);
}

static void test_chain(void **state)
{
    (void)state;
    setup();
    wc = porg(sstaff, 0, "working_committee", "某街道党工委", C.street, 201);
    b1 = porg(sstaff, wc, "branch", "第一社区党支部", C.community, 201);
    b2 = porg(sstaff, wc, "branch", "第二社区党支部", community2, 201);
    g1 = porg(staff, b1, "group", "第一党小组", C.grid_a, 201);
    hh1 = porg(staff, g1, "party_household", "张家党员中心户", C.grid_a, 201);

    /* the chain rule */
    porg(sstaff, 0, "branch", "顶层支部", C.street, 422);
    porg(staff, hh1, "party_household", "户下户", C.grid_a, 422);
    porg(staff, g1, "branch", "小组下支部", C.grid_a, 422);
    porg(staff, 0, "nonsense", "x", C.community, 422);
    /* the node must lie within the parent's node */
    porg(sstaff, b2, "group", "跨社区小组", C.grid_a, 422);
    /* an org node outside the writer's scope is 403; an unknown one 422 */
    porg(staff, b1, "group", "越界小组", grid_c, 403);
    porg(staff, b1, "group", "无此节点", 999999, 422);
    /* roles that may not write */
    porg(leader, b1, "group", "领导建组", C.grid_b, 403);
    porg(resident, b1, "group", "居民建组", C.grid_b, 403);
    post_err("/api/v1/party/orgs", staff, json_pack("{s:s, s:I}", "kind", "group", "org_id",
                                                   (json_int_t)C.grid_b), 422, "name");

    long st;
    json_t *j = h_get(h_path("/api/v1/party/orgs/%lld", (long long)g1), leader, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "kind"), "group");
    assert_string_equal(h_str(j, "kind_name"), "党小组");
    assert_int_equal(h_int(j, "parent_id"), b1);
    json_decref(j);
    /* another community's staff and residents do not see it */
    j = h_get(h_path("/api/v1/party/orgs/%lld", (long long)b1), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get(h_path("/api/v1/party/orgs/%lld", (long long)b1), resident, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get("/api/v1/party/orgs?kind=branch", staff2, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, b2));
    assert_false(h_list_has(j, b1));
    json_decref(j);
    j = h_get("/api/v1/party/orgs?kind=branch", sstaff, &st);
    assert_true(h_list_has(j, b1) && h_list_has(j, b2));
    json_decref(j);
    j = h_get("/api/v1/party/orgs", resident, &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = h_get("/api/v1/party/orgs?kind=bogus", sstaff, &st);
    H_STATUS(st, 422);
    json_decref(j);
}

static void test_members_and_report_in(void **state)
{
    (void)state;
    setup();
    pm1 = post_id("/api/v1/party/members", staff,
                  json_pack("{s:I, s:s, s:s, s:I, s:s}", "party_org_id", (json_int_t)g1, "name",
                            "李在职", "kind", "in_service", "user_id", (json_int_t)member_id_user,
                            "joined_on", "2001-07-01"),
                  201);
    pm2 = post_id("/api/v1/party/members", staff2,
                  json_pack("{s:I, s:s}", "party_org_id", (json_int_t)b2, "name", "王党员"), 201);
    /* the same account twice; a party org outside the scope; bad kind and date */
    post_err("/api/v1/party/members", staff,
             json_pack("{s:I, s:s, s:I}", "party_org_id", (json_int_t)b1, "name", "重复",
                       "user_id", (json_int_t)member_id_user),
             409, "user_id");
    post_err("/api/v1/party/members", staff2,
             json_pack("{s:I, s:s}", "party_org_id", (json_int_t)b1, "name", "越界"), 422,
             "party_org_id");
    post_err("/api/v1/party/members", staff,
             json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)b1, "name", "x", "kind",
                       "boss"),
             422, "kind");
    post_err("/api/v1/party/members", staff,
             json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)b1, "name", "x",
                       "joined_on", "2001-13-01"),
             422, "joined_on");

    /* a member reports in to their community (双报到) */
    long st;
    json_t *j = h_post("/api/v1/party/report-ins", member,
                       json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)C.community, "skills",
                                 "水电维修、法律咨询", "available", "周末全天"),
                       &st);
    H_STATUS(st, 201);
    assert_int_equal(h_int(j, "member_id"), pm1);
    assert_string_equal(h_str(j, "skills"), "水电维修、法律咨询");
    json_decref(j);
    post_err("/api/v1/party/report-ins", member,
             json_pack("{s:I}", "org_id", (json_int_t)C.community), 409, "org_id");
    post_err("/api/v1/party/report-ins", member, json_pack("{s:I}", "org_id", (json_int_t)C.grid_a),
             422, "org_id");
    post_err("/api/v1/party/report-ins", member,
             json_pack("{s:I}", "org_id", (json_int_t)community2), 403, "org_id");
    post_err("/api/v1/party/report-ins", member2,
             json_pack("{s:I}", "org_id", (json_int_t)C.community), 422, "member_id");
    post_err("/api/v1/party/report-ins", member,
             json_pack("{s:I, s:I}", "org_id", (json_int_t)C.community, "member_id",
                       (json_int_t)pm2),
             403, "member_id");
    post_err("/api/v1/party/report-ins", resident,
             json_pack("{s:I}", "org_id", (json_int_t)C.community), 403, NULL);
    char longs[700];
    memset(longs, 'a', 201);
    longs[201] = '\0';
    post_err("/api/v1/party/report-ins", staff2,
             json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)community2, "member_id",
                       (json_int_t)pm2, "skills", longs),
             422, "skills");
    /* staff record a report-in for a member of their subtree */
    post_id("/api/v1/party/report-ins", staff2,
            json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)community2, "member_id",
                      (json_int_t)pm2, "available", "工作日晚上"),
            201);

    /* lists: the member sees their own; each community's staff their own community */
    j = h_get("/api/v1/party/report-ins", member, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    json_decref(j);
    j = h_get("/api/v1/party/report-ins", staff2, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    assert_int_equal(h_int(json_array_get(h_items(j), 0), "member_id"), pm2);
    json_decref(j);
    j = h_get("/api/v1/party/report-ins", sstaff, &st);
    assert_int_equal(json_array_size(h_items(j)), 2);
    json_decref(j);
    /* members of a branch include its groups' members */
    j = h_get(h_path("/api/v1/party/members?party_org_id=%lld", (long long)b1), sstaff, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, pm1));
    assert_false(h_list_has(j, pm2));
    json_decref(j);
    j = h_get(h_path("/api/v1/party/members/%lld", (long long)pm1), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get(h_path("/api/v1/party/members/%lld", (long long)pm1), member, &st);
    H_STATUS(st, 200); /* their own record */
    assert_string_equal(h_str(j, "kind"), "in_service");
    assert_string_equal(h_str(j, "joined_on"), "2001-07-01");
    json_decref(j);
}

static void test_covers(void **state)
{
    (void)state;
    setup();
    int64_t c_district = post_id("/api/v1/party/covers", h_admin(),
                                 json_pack("{s:I, s:I, s:s, s:s}", "user_id", (json_int_t)leader_id,
                                           "org_id", (json_int_t)C.district, "level", "district",
                                           "duty", "区级包保"),
                                 201);
    int64_t c_comm = post_id("/api/v1/party/covers", sstaff,
                             json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)leader2_id,
                                       "org_id", (json_int_t)C.community, "level", "community"),
                             201);
    post_err("/api/v1/party/covers", sstaff,
             json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)leader2_id, "org_id",
                       (json_int_t)C.community, "level", "street"),
             409, "user_id");
    post_err("/api/v1/party/covers", sstaff,
             json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)resident_id, "org_id",
                       (json_int_t)C.community, "level", "community"),
             422, "user_id");
    post_err("/api/v1/party/covers", sstaff,
             json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)leader_id, "org_id",
                       (json_int_t)C.community, "level", "province"),
             422, "level");
    post_err("/api/v1/party/covers", staff,
             json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)leader_id, "org_id",
                       (json_int_t)C.district, "level", "district"),
             403, "org_id");

    /* who covers grid A: the community's cadre first, then the district's */
    long st;
    json_t *j = h_get(h_path("/api/v1/orgs/%lld/covers", (long long)C.grid_a), leader, &st);
    H_STATUS(st, 200);
    json_t *items = h_items(j);
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(h_int(json_array_get(items, 0), "id"), c_comm);
    assert_int_equal(h_int(json_array_get(items, 1), "id"), c_district);
    assert_string_equal(h_str(json_array_get(items, 1), "level"), "district");
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld/covers", (long long)C.grid_a), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    /* the app function escalation and supervision use (system lookup) */
    struct cover *cv = NULL;
    size_t n = 0;
    struct gg_error err = {0};
    assert_int_equal(app_covers_of(h_app(), NULL, grid_c, &cv, &n, &err), 0);
    assert_int_equal(n, 1); /* only the district's: community 2 has no cadre */
    assert_int_equal(cv[0].user_id, leader_id);
    free(cv);

    /* removal: outside the scope it is not found */
    struct h_resp r = {0};
    assert_int_equal(h_raw("DELETE", h_path("/api/v1/party/covers/%lld", (long long)c_comm), staff2,
                           NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 404);
    h_resp_release(&r);
    assert_int_equal(h_raw("DELETE", h_path("/api/v1/party/covers/%lld", (long long)c_comm), sstaff,
                           NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 204);
    h_resp_release(&r);
    j = h_get(h_path("/api/v1/orgs/%lld/covers", (long long)C.grid_a), leader, &st);
    assert_int_equal(json_array_size(h_items(j)), 1);
    json_decref(j);
}

/* supervision (督办) of an event assigned to grid A reaches the cadre who covers grid A */
static void test_cover_messages(void **state)
{
    (void)state;
    setup();
    post_id("/api/v1/party/covers", staff,
            json_pack("{s:I, s:I, s:s}", "user_id", (json_int_t)leader2_id, "org_id",
                      (json_int_t)C.grid_a, "level", "community"),
            201);
    int64_t ev = h_event_id(gofficer, "0101", H_A_LAT, H_A_LON, "patrol", "PT 包保督办");
    long st;
    json_decref(h_act(leader, ev, "supervise", &st));
    H_STATUS(st, 200);
    char *l2 = h_login("pt_leader2", H_PASSWORD);
    json_t *j = h_get("/api/v1/messages", l2, &st);
    H_STATUS(st, 200);
    bool found = false;
    json_t *m;
    size_t i;
    json_array_foreach(h_items(j), i, m)
    {
        const char *k = json_string_value(json_object_get(m, "kind"));
        if (k && strcmp(k, "supervise") == 0 && json_integer_value(json_object_get(m, "event_id")) == ev)
            found = true;
    }
    assert_true(found);
    json_decref(j);
    /* the district's cadre is not the nearest: no message for them */
    j = h_get("/api/v1/messages", leader, &st);
    json_array_foreach(h_items(j), i, m)
        assert_false(json_integer_value(json_object_get(m, "event_id")) == ev);
    json_decref(j);
    free(l2);
}

static void meeting(int64_t po, const char *kind, const char *day)
{
    post_id("/api/v1/party/meetings", sstaff,
            json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)po, "kind", kind, "held_on",
                      day),
            201);
}

static void test_meetings_and_compliance(void **state)
{
    (void)state;
    setup();
    char day[16];
    /* branch 1, first half of 2026: one assembly (Feb), committee every month but April,
     * group meetings every month (held by its group), lectures in March and June */
    meeting(b1, "branch_assembly", "2026-02-10");
    for (int m = 1; m <= 6; m++) {
        snprintf(day, sizeof day, "2026-%02d-15", m);
        if (m != 4)
            meeting(b1, "committee_meeting", day);
        meeting(g1, "group_meeting", day);
        /* branch 2 holds everything */
        meeting(b2, "committee_meeting", day);
        meeting(b2, "group_meeting", day);
    }
    meeting(b1, "party_lecture", "2026-03-05");
    meeting(b1, "party_lecture", "2026-06-20");
    meeting(b2, "branch_assembly", "2026-02-11");
    meeting(b2, "branch_assembly", "2026-05-11");
    meeting(b2, "party_lecture", "2026-01-20");
    meeting(b2, "party_lecture", "2026-04-20");
    /* outside the period: counts for nothing */
    meeting(b1, "branch_assembly", "2026-07-02");

    long st;
    json_t *j = h_get("/api/v1/party/compliance?from=2026-01&to=2026-06", sstaff, &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "branches_checked"), 2);
    assert_int_equal(h_int(j, "non_compliant"), 1);
    json_t *it = json_array_get(h_items(j), 0);
    assert_int_equal(h_int(it, "party_org_id"), b1);
    assert_int_equal(h_int(it, "missing_count"), 2);
    json_t *gaps = h_obj(it, "missing");
    assert_string_equal(h_str(json_array_get(gaps, 0), "kind"), "branch_assembly");
    assert_string_equal(h_str(json_array_get(gaps, 0), "from"), "2026-04");
    assert_string_equal(h_str(json_array_get(gaps, 0), "to"), "2026-06");
    assert_string_equal(h_str(json_array_get(gaps, 1), "kind"), "committee_meeting");
    assert_string_equal(h_str(json_array_get(gaps, 1), "from"), "2026-04");
    assert_string_equal(h_str(json_array_get(gaps, 1), "to"), "2026-04");
    assert_int_equal(h_int(h_obj(j, "required_months"), "branch_assembly"), 3);
    json_decref(j);
    /* half-yearly assemblies and lectures: only April's committee meeting is missing */
    j = h_get("/api/v1/party/compliance?from=2026-01&to=2026-06&intervals=6,1,1,6", sstaff, &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(json_array_get(h_items(j), 0), "missing_count"), 1);
    json_decref(j);
    /* the configured frequencies (admin setting) apply when a request names none */
    json_decref(h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "party.meeting_months", "value", "6,1,1,6"),
                       &st));
    H_STATUS(st, 200);
    j = h_get("/api/v1/party/compliance?from=2026-01&to=2026-06", sstaff, &st);
    assert_int_equal(h_int(json_array_get(h_items(j), 0), "missing_count"), 1);
    json_decref(j);
    json_decref(h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "party.meeting_months", "value", "5,1,1,3"),
                       &st));
    H_STATUS(st, 422);
    json_decref(h_post("/api/v1/settings", h_admin(),
                       json_pack("{s:s, s:s}", "key", "party.meeting_months", "value", "3,1,1,3"),
                       &st));
    /* the second community's staff check their own branch only */
    j = h_get("/api/v1/party/compliance?from=2026-01&to=2026-06", staff2, &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "branches_checked"), 1);
    assert_int_equal(h_int(j, "non_compliant"), 0);
    json_decref(j);
    const char *bad[] = {"from=2026-13&to=2026-06", "from=2026-06&to=2026-01",
                         "from=2026-01&to=2026-06&intervals=5,1,1,3", "to=2026-06",
                         "from=2020-01&to=2026-06"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = h_get(h_path("/api/v1/party/compliance?%s", bad[i]), sstaff, &st);
        H_STATUS(st, 422);
        h_check_error(j, NULL);
        json_decref(j);
    }
    j = h_get("/api/v1/party/compliance?from=2026-01&to=2026-06", resident, &st);
    H_STATUS(st, 403);
    json_decref(j);

    /* a meeting with attendance and minutes */
    j = h_post("/api/v1/party/meetings", staff,
               json_pack("{s:I, s:s, s:s, s:s, s:[{s:I, s:s}]}", "party_org_id", (json_int_t)b1,
                         "kind", "branch_assembly", "held_on", "2026-11-02", "minutes",
                         "传达学习会议精神，讨论民生实事项目。", "attendance", "member_id",
                         (json_int_t)pm1, "status", "present"),
               &st);
    H_STATUS(st, 201);
    int64_t mid = h_int(j, "id");
    assert_int_equal(h_int(j, "present"), 1);
    json_decref(j);
    j = h_post(h_path("/api/v1/party/meetings/%lld/attendance", (long long)mid), staff,
               json_pack("{s:[{s:I, s:s}]}", "attendance", "member_id", (json_int_t)pm1, "status",
                         "excused"),
               &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "present"), 0);
    assert_int_equal(h_int(j, "excused"), 1);
    assert_string_equal(h_str(j, "minutes"), "传达学习会议精神，讨论民生实事项目。");
    assert_string_equal(h_str(json_array_get(h_obj(j, "attendance"), 0), "status"), "excused");
    json_decref(j);
    /* a member of another branch; an unknown status; over-long minutes; a future date; a
     * group meeting at a 党工委; a meeting outside the scope */
    post_err(h_path("/api/v1/party/meetings/%lld/attendance", (long long)mid), staff,
             json_pack("{s:[{s:I, s:s}]}", "attendance", "member_id", (json_int_t)pm2, "status",
                       "present"),
             422, "attendance");
    post_err(h_path("/api/v1/party/meetings/%lld/attendance", (long long)mid), staff,
             json_pack("{s:[{s:I, s:s}]}", "attendance", "member_id", (json_int_t)pm1, "status",
                       "asleep"),
             422, "attendance");
    char *longm = malloc(20002);
    memset(longm, 'x', 20001);
    longm[20001] = '\0';
    post_err("/api/v1/party/meetings", staff,
             json_pack("{s:I, s:s, s:s, s:s}", "party_org_id", (json_int_t)b1, "kind",
                       "party_lecture", "held_on", "2026-11-01", "minutes", longm),
             422, "minutes");
    free(longm);
    post_err("/api/v1/party/meetings", staff,
             json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)b1, "kind", "party_lecture",
                       "held_on", "2099-01-01"),
             422, "held_on");
    post_err("/api/v1/party/meetings", sstaff,
             json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)wc, "kind", "group_meeting",
                       "held_on", "2026-11-01"),
             422, "kind");
    post_err("/api/v1/party/meetings", staff2,
             json_pack("{s:I, s:s, s:s}", "party_org_id", (json_int_t)b1, "kind", "party_lecture",
                       "held_on", "2026-11-01"),
             422, "party_org_id");
    j = h_get(h_path("/api/v1/party/meetings/%lld", (long long)mid), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get(h_path("/api/v1/party/meetings?party_org_id=%lld&kind=branch_assembly", (long long)b1),
              leader, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 3);
    json_decref(j);
    struct h_resp r = {0};
    assert_int_equal(h_raw("POST", "/api/v1/party/meetings", staff, "application/json", "{", 1, &r),
                     0);
    assert_int_equal(r.status, 400);
    h_resp_release(&r);
}

static const char *day_off(int d)
{
    static char buf[4][11];
    static int k;
    time_t t = time(NULL) + (time_t)d * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char *b = buf[k++ % 4];
    strftime(b, 11, "%Y-%m-%d", &tm);
    return b;
}

static json_t *task_get(int64_t id, const char *tok, long want)
{
    long st;
    json_t *j = h_get(h_path("/api/v1/tasks/%lld", (long long)id), tok, &st);
    H_STATUS(st, want);
    return j;
}

static void test_tasks(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *b = json_pack("{s:s, s:s, s:I, s:I, s:f, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
                          "title", "老旧小区加装电梯", "kind", "livelihood", "org_id",
                          (json_int_t)C.community, "leader_user_id", (json_int_t)leader_id,
                          "budget", 1000.0, "milestones", "title", "立项", "due_on", day_off(-10),
                          "title", "施工", "due_on", day_off(3), "title", "验收", "due_on",
                          day_off(60));
    json_t *j = h_post("/api/v1/tasks", staff, b, &st);
    H_STATUS(st, 201);
    int64_t tid = h_int(j, "id");
    assert_string_equal(h_str(j, "color"), "red"); /* 立项 is ten days overdue */
    json_t *ms = h_obj(j, "milestones");
    int64_t m1 = h_int(json_array_get(ms, 0), "id"), m2 = h_int(json_array_get(ms, 1), "id");
    json_decref(j);

    /* the responsible leader marks 立项 done: 施工 due within 7 days → yellow */
    j = h_post(h_path("/api/v1/task-milestones/%lld/done", (long long)m1), leader, json_object(),
               &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "color"), "yellow");
    json_decref(j);
    /* done twice is a conflict; another leader may not */
    post_err(h_path("/api/v1/task-milestones/%lld/done", (long long)m1), leader, json_object(), 409,
             NULL);
    char *l2 = h_login("pt_leader2", H_PASSWORD);
    post_err(h_path("/api/v1/task-milestones/%lld/done", (long long)m2), l2, json_object(), 403,
             NULL);
    free(l2);
    j = h_post(h_path("/api/v1/task-milestones/%lld/done", (long long)m2), staff,
               json_pack("{s:s}", "done_on", day_off(0)), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "color"), "blue");
    int64_t ver = h_int(j, "version");
    json_decref(j);
    /* spending ahead of progress (all the money, 2 of 3 milestones) → yellow */
    j = h_patch(h_path("/api/v1/tasks/%lld", (long long)tid), staff,
                json_pack("{s:f, s:I}", "spend", 1000.0, "version", (json_int_t)ver), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "color"), "yellow");
    assert_non_null(strstr(h_str(j, "color_reason"), "资金"));
    json_decref(j);
    /* a stale version */
    j = h_patch(h_path("/api/v1/tasks/%lld", (long long)tid), staff,
                json_pack("{s:f, s:I}", "spend", 10.0, "version", (json_int_t)ver), &st);
    H_STATUS(st, 409);
    json_decref(j);
    /* the monthly report says 90 %: spending is within 20 points → blue */
    char month[8];
    memcpy(month, day_off(0), 7);
    month[7] = '\0';
    j = h_post(h_path("/api/v1/tasks/%lld/progress", (long long)tid), leader,
               json_pack("{s:s, s:i, s:s}", "month", month, "percent", 90, "note", "主体完工"),
               &st);
    H_STATUS(st, 201);
    assert_string_equal(h_str(j, "color"), "blue");
    assert_int_equal(h_int(j, "progress_percent"), 90);
    assert_int_equal(json_array_size(h_obj(j, "reports")), 1);
    json_decref(j);
    post_err(h_path("/api/v1/tasks/%lld/progress", (long long)tid), leader,
             json_pack("{s:s, s:i}", "month", month, "percent", 95), 409, "month");
    post_err(h_path("/api/v1/tasks/%lld/progress", (long long)tid), leader,
             json_pack("{s:s, s:i}", "month", "2026-10", "percent", 101), 422, "percent");
    post_err(h_path("/api/v1/tasks/%lld/progress", (long long)tid), leader,
             json_pack("{s:s, s:i}", "month", "2099-01", "percent", 10), 422, "month");
    post_err(h_path("/api/v1/tasks/%lld/progress", (long long)tid), leader,
             json_pack("{s:s, s:i}", "month", "2026/10", "percent", 10), 422, "month");

    /* scope: the other community's staff and residents never see it; leaders read it */
    json_decref(task_get(tid, staff2, 404));
    json_decref(task_get(tid, resident, 404));
    json_decref(task_get(tid, leader, 200));
    j = h_patch(h_path("/api/v1/tasks/%lld", (long long)tid), staff2,
                json_pack("{s:s}", "title", "改名"), &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get("/api/v1/tasks", staff2, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, tid));
    json_decref(j);
    j = h_get("/api/v1/tasks?color=blue", sstaff, &st);
    assert_true(h_list_has(j, tid));
    json_decref(j);
    j = h_get("/api/v1/tasks?color=red", sstaff, &st);
    assert_false(h_list_has(j, tid));
    json_decref(j);
    j = h_get("/api/v1/tasks?color=purple", sstaff, &st);
    H_STATUS(st, 422);
    json_decref(j);
    j = h_get("/api/v1/tasks", resident, &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = h_get("/api/v1/tasks", gofficer, &st);
    H_STATUS(st, 403);
    json_decref(j);

    /* bad input */
    post_err("/api/v1/tasks", staff,
             json_pack("{s:I, s:I}", "org_id", (json_int_t)C.community, "leader_user_id",
                       (json_int_t)leader_id),
             422, "title");
    post_err("/api/v1/tasks", staff,
             json_pack("{s:s, s:I, s:I}", "title", "t", "org_id", (json_int_t)C.community,
                       "leader_user_id", (json_int_t)resident_id),
             422, "leader_user_id");
    post_err("/api/v1/tasks", staff,
             json_pack("{s:s, s:I, s:I, s:f}", "title", "t", "org_id", (json_int_t)C.community,
                       "leader_user_id", (json_int_t)leader_id, "budget", -1.0),
             422, "budget");
    post_err("/api/v1/tasks", staff,
             json_pack("{s:s, s:I, s:I, s:f}", "title", "t", "org_id", (json_int_t)C.community,
                       "leader_user_id", (json_int_t)leader_id, "budget", 1.234),
             422, "budget");
    post_err("/api/v1/tasks", staff,
             json_pack("{s:s, s:I, s:I, s:[{s:s, s:s}]}", "title", "t", "org_id",
                       (json_int_t)C.community, "leader_user_id", (json_int_t)leader_id,
                       "milestones", "title", "x", "due_on", "soon"),
             422, "milestones.due_on");
    post_err("/api/v1/tasks", staff,
             json_pack("{s:s, s:I, s:I}", "title", "t", "org_id", (json_int_t)community2,
                       "leader_user_id", (json_int_t)leader_id),
             403, "org_id");
    post_err("/api/v1/tasks", leader,
             json_pack("{s:s, s:I, s:I}", "title", "t", "org_id", (json_int_t)C.community,
                       "leader_user_id", (json_int_t)leader_id),
             403, NULL);
    post_err("/api/v1/task-milestones/999999/done", staff, json_object(), 404, NULL);
}

static void test_overdue_sweep(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/tasks", sstaff,
                       json_pack("{s:s, s:I, s:I, s:[{s:s, s:s}]}", "title", "背街小巷整治",
                                 "org_id", (json_int_t)C.street, "leader_user_id",
                                 (json_int_t)leader_id, "milestones", "title", "方案报批",
                                 "due_on", day_off(-1)),
                       &st);
    H_STATUS(st, 201);
    int64_t tid = h_int(j, "id");
    json_decref(j);
    int n = 0;
    struct gg_error err = {0};
    assert_int_equal(app_task_sweep(h_app(), time(NULL), &n, &err), 0);
    assert_true(n >= 1);
    /* once only */
    assert_int_equal(app_task_sweep(h_app(), time(NULL), &n, &err), 0);
    assert_int_equal(n, 0);
    j = h_get("/api/v1/messages", leader, &st);
    H_STATUS(st, 200);
    bool found = false;
    json_t *items = h_items(j), *m;
    size_t i;
    json_array_foreach(items, i, m)
    {
        const char *k = json_string_value(json_object_get(m, "kind"));
        const char *t = json_string_value(json_object_get(m, "title"));
        if (k && strcmp(k, "task_overdue") == 0 && t && strstr(t, "背街小巷整治"))
            found = true;
    }
    assert_true(found);
    json_decref(j);
    j = task_get(tid, sstaff, 200);
    assert_false(h_is_null(json_array_get(h_obj(j, "milestones"), 0), "notified_at"));
    json_decref(j);
    /* pages: two tasks in the street, one a page */
    j = h_get("/api/v1/tasks?limit=1", sstaff, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    assert_false(h_is_null(j, "next_cursor"));
    const char *cur = h_str(j, "next_cursor");
    json_t *j2 = h_get(h_path("/api/v1/tasks?limit=1&cursor=%s", cur), sstaff, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j2, tid));
    assert_true(h_is_null(j2, "next_cursor"));
    json_decref(j2);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_members_and_report_in),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_cover_messages),
        cmocka_unit_test(test_meetings_and_compliance),
        cmocka_unit_test(test_tasks),
        cmocka_unit_test(test_overdue_sweep),
    };
    return cmocka_run_group_tests(tests, h_start, h_stop);
}
