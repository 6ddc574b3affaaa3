/* test_routing.c - auto-dispatch targets and escalation chains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/error.h"
#include "core/routing.h"

/* district 1 > street 10 > community 100 > grid 1000 */
static const struct route_path full = {.grid_id = 1000, .community_id = 100, .street_id = 10,
                                       .district_id = 1};

static struct category cat(enum cat_list list, enum level lvl, const char *dept_kind)
{
    struct category c;
    memset(&c, 0, sizeof c);
    gg_strlcpy(c.code, "0101", sizeof c.code);
    c.kind = CAT_KIND_EVENT;
    c.list = list;
    c.handler_level = lvl;
    gg_strlcpy(c.department_kind, dept_kind, sizeof c.department_kind);
    return c;
}

static struct route_dept dept(int64_t id, const char *kind, int64_t parent, int depth)
{
    struct route_dept d;
    memset(&d, 0, sizeof d);
    d.id = id;
    gg_strlcpy(d.department_kind, kind, sizeof d.department_kind);
    d.parent_id = parent;
    d.parent_depth = depth;
    return d;
}

static void test_levels(void **st)
{
    (void)st;
    static const struct {
        enum level lvl;
        int64_t id;
    } rows[] = {{LEVEL_GRID, 1000}, {LEVEL_COMMUNITY, 100}, {LEVEL_STREET, 10}, {LEVEL_DISTRICT, 1}};
    for (size_t i = 0; i < 4; i++) {
        struct category c = cat(CAT_LIST_DUTY, rows[i].lvl, "");
        struct route_result r;
        routing_decide(&c, SOURCE_PATROL, &full, NULL, 0, &r);
        assert_false(r.rejected);
        assert_true(r.auto_register);
        assert_int_equal(r.assignee_org_id, rows[i].id);
        assert_int_equal(r.level, rows[i].lvl);
    }
}

static void test_assist_list_routes_like_duty(void **st)
{
    (void)st;
    struct category c = cat(CAT_LIST_ASSIST, LEVEL_COMMUNITY, "");
    struct route_result r;
    routing_decide(&c, SOURCE_HOTLINE, &full, NULL, 0, &r);
    assert_false(r.rejected);
    assert_int_equal(r.assignee_org_id, 100);
    assert_int_equal(r.level, LEVEL_COMMUNITY);
}

static void test_department_nearest(void **st)
{
    (void)st;
    struct route_dept depts[] = {
        dept(501, "城管", 1, 1),     /* district's 城管 */
        dept(502, "城管", 10, 2),    /* street's 城管: nearer, wins */
        dept(503, "公安", 100, 3),   /* wrong kind, even nearer */
        dept(504, "城管", 20, 2),    /* another street: does not cover the grid */
        dept(505, "城管", 9999, 9),  /* unrelated subtree, deep */
    };
    struct category c = cat(CAT_LIST_DUTY, LEVEL_STREET, "城管");
    struct route_result r;
    routing_decide(&c, SOURCE_SENSOR, &full, depts, 5, &r);
    assert_false(r.rejected);
    assert_int_equal(r.assignee_org_id, 502);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    /* order must not matter */
    struct route_dept rev[] = {depts[4], depts[3], depts[2], depts[1], depts[0]};
    routing_decide(&c, SOURCE_SENSOR, &full, rev, 5, &r);
    assert_int_equal(r.assignee_org_id, 502);

    /* only the district's remains */
    routing_decide(&c, SOURCE_SENSOR, &full, depts, 1, &r);
    assert_int_equal(r.assignee_org_id, 501);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    /* 公安 under the community */
    struct category c2 = cat(CAT_LIST_DUTY, LEVEL_STREET, "公安");
    routing_decide(&c2, SOURCE_SENSOR, &full, depts, 5, &r);
    assert_int_equal(r.assignee_org_id, 503);
    assert_int_equal(r.level, LEVEL_DISTRICT);
}

static void test_department_missing_falls_back(void **st)
{
    (void)st;
    struct route_dept depts[] = {dept(504, "城管", 20, 2), dept(503, "公安", 100, 3)};
    struct category c = cat(CAT_LIST_DUTY, LEVEL_STREET, "城管");
    struct route_result r;
    routing_decide(&c, SOURCE_PATROL, &full, depts, 2, &r);
    assert_int_equal(r.assignee_org_id, 10);
    assert_int_equal(r.level, LEVEL_STREET);

    routing_decide(&c, SOURCE_PATROL, &full, NULL, 0, &r);
    assert_int_equal(r.assignee_org_id, 10);
    assert_int_equal(r.level, LEVEL_STREET);
}

static void test_outside_every_grid(void **st)
{
    (void)st;
    /* a point outside every grid knows only the root's district */
    const struct route_path outside = {.district_id = 1};
    struct category c = cat(CAT_LIST_DUTY, LEVEL_GRID, "");
    struct route_result r;
    routing_decide(&c, SOURCE_APP, &outside, NULL, 0, &r);
    assert_false(r.rejected);
    assert_int_equal(r.assignee_org_id, 0);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    c = cat(CAT_LIST_DUTY, LEVEL_COMMUNITY, "");
    routing_decide(&c, SOURCE_APP, &outside, NULL, 0, &r);
    assert_int_equal(r.assignee_org_id, 0);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    /* a district matter still reaches the district */
    c = cat(CAT_LIST_DUTY, LEVEL_DISTRICT, "");
    routing_decide(&c, SOURCE_APP, &outside, NULL, 0, &r);
    assert_int_equal(r.assignee_org_id, 1);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    /* a department under the district covers it */
    struct route_dept depts[] = {dept(501, "城管", 1, 1), dept(502, "城管", 10, 2)};
    c = cat(CAT_LIST_DUTY, LEVEL_GRID, "城管");
    routing_decide(&c, SOURCE_APP, &outside, depts, 2, &r);
    assert_int_equal(r.assignee_org_id, 501);
    assert_int_equal(r.level, LEVEL_DISTRICT);

    /* nothing known at all */
    const struct route_path nothing = {0};
    routing_decide(&c, SOURCE_APP, &nothing, depts, 2, &r);
    assert_int_equal(r.assignee_org_id, 0);
    assert_int_equal(r.level, LEVEL_DISTRICT);
}

static void test_excluded(void **st)
{
    (void)st;
    struct route_dept depts[] = {dept(502, "城管", 10, 2)};
    struct category c = cat(CAT_LIST_EXCLUDED, LEVEL_GRID, "城管");
    struct route_result r;
    routing_decide(&c, SOURCE_PATROL, &full, depts, 1, &r);
    assert_true(r.rejected);
    assert_int_equal(r.assignee_org_id, 0);
}

static void test_auto_register(void **st)
{
    (void)st;
    struct category c = cat(CAT_LIST_DUTY, LEVEL_GRID, "");
    for (int s = 0; s < SOURCE__COUNT; s++) {
        struct route_result r;
        routing_decide(&c, (enum event_source)s, &full, NULL, 0, &r);
        assert_int_equal(r.auto_register, s != SOURCE_APP);
        assert_int_equal(r.assignee_org_id, 1000);
    }
}

static void test_escalate_chain(void **st)
{
    (void)st;
    int64_t id = -1;
    enum level to = LEVEL__COUNT;
    assert_int_equal(routing_escalate(LEVEL_GRID, &full, &id, &to), 0);
    assert_int_equal(id, 100);
    assert_int_equal(to, LEVEL_COMMUNITY);
    assert_int_equal(routing_escalate(LEVEL_COMMUNITY, &full, &id, &to), 0);
    assert_int_equal(id, 10);
    assert_int_equal(to, LEVEL_STREET);
    assert_int_equal(routing_escalate(LEVEL_STREET, &full, &id, &to), 0);
    assert_int_equal(id, 1);
    assert_int_equal(to, LEVEL_DISTRICT);

    id = 77;
    to = LEVEL_GRID;
    assert_int_equal(routing_escalate(LEVEL_DISTRICT, &full, &id, &to), -GG_ECONFLICT);
    assert_int_equal(id, 77); /* untouched on failure */
    assert_int_equal(to, LEVEL_GRID);
    assert_int_equal(routing_escalate(LEVEL__COUNT, &full, &id, &to), -GG_ECONFLICT);
}

static void test_escalate_skips_zero(void **st)
{
    (void)st;
    int64_t id = 0;
    enum level to = LEVEL__COUNT;
    const struct route_path no_community = {.grid_id = 1000, .street_id = 10, .district_id = 1};
    assert_int_equal(routing_escalate(LEVEL_GRID, &no_community, &id, &to), 0);
    assert_int_equal(id, 10);
    assert_int_equal(to, LEVEL_STREET);

    const struct route_path only_district = {.grid_id = 1000, .district_id = 1};
    assert_int_equal(routing_escalate(LEVEL_GRID, &only_district, &id, &to), 0);
    assert_int_equal(id, 1);
    assert_int_equal(to, LEVEL_DISTRICT);
    assert_int_equal(routing_escalate(LEVEL_COMMUNITY, &only_district, &id, &to), 0);
    assert_int_equal(id, 1);
    assert_int_equal(to, LEVEL_DISTRICT);

    const struct route_path none_above = {.grid_id = 1000};
    id = 5;
    assert_int_equal(routing_escalate(LEVEL_GRID, &none_above, &id, &to), -GG_ECONFLICT);
    assert_int_equal(id, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_assist_list_routes_like_duty),
        cmocka_unit_test(test_department_nearest),
        cmocka_unit_test(test_department_missing_falls_back),
        cmocka_unit_test(test_outside_every_grid),
        cmocka_unit_test(test_excluded),
        cmocka_unit_test(test_auto_register),
        cmocka_unit_test(test_escalate_chain),
        cmocka_unit_test(test_escalate_skips_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
