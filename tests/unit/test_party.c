/* test_party.c - the party organisation's pure rules: the chain of party org kinds, meeting
 * frequencies, months, and the 三会一课 compliance check on hand-built years with known gaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/time.h"
#include "core/party.h"

static void test_chain(void **state)
{
    (void)state;
    assert_true(party_child_ok(false, 0, PARTY_WORKING_COMMITTEE));
    assert_true(party_child_ok(false, 0, PARTY_COMMITTEE));
    assert_false(party_child_ok(false, 0, PARTY_BRANCH));
    assert_true(party_child_ok(true, PARTY_WORKING_COMMITTEE, PARTY_GENERAL_BRANCH));
    assert_true(party_child_ok(true, PARTY_COMMITTEE, PARTY_BRANCH)); /* skipping 党总支 */
    assert_true(party_child_ok(true, PARTY_GENERAL_BRANCH, PARTY_BRANCH));
    assert_true(party_child_ok(true, PARTY_BRANCH, PARTY_GROUP));
    assert_true(party_child_ok(true, PARTY_GROUP, PARTY_HOUSEHOLD));
    assert_true(party_child_ok(true, PARTY_BRANCH, PARTY_HOUSEHOLD));
    assert_false(party_child_ok(true, PARTY_GENERAL_BRANCH, PARTY_HOUSEHOLD));
    assert_false(party_child_ok(true, PARTY_GROUP, PARTY_BRANCH)); /* upwards */
    assert_false(party_child_ok(true, PARTY_BRANCH, PARTY_BRANCH));
    assert_false(party_child_ok(true, PARTY_HOUSEHOLD, PARTY_HOUSEHOLD));
    assert_false(party_child_ok(true, PARTY_WORKING_COMMITTEE, PARTY_COMMITTEE));
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(party_kind_from_id("branch"), PARTY_BRANCH);
    assert_int_equal(party_kind_from_id("党员中心户"), PARTY_HOUSEHOLD);
    assert_int_equal(party_kind_from_id("nope"), -1);
    assert_string_equal(meeting_kind_zh(MEETING_ASSEMBLY), "支部党员大会");
    assert_int_equal(meeting_kind_from_id("party_lecture"), MEETING_LECTURE);
    assert_int_equal(attendance_from_id("请假"), ATTEND_EXCUSED);
    assert_int_equal(cover_level_from_id("street"), COVER_STREET);
    assert_int_equal(member_kind_from_id("in_service"), MEMBER_IN_SERVICE);
    assert_int_equal(meeting_default_months(MEETING_ASSEMBLY), 3);
    assert_int_equal(meeting_default_months(MEETING_COMMITTEE), 1);
    assert_int_equal(meeting_default_months(MEETING_GROUP), 1);
    assert_int_equal(meeting_default_months(MEETING_LECTURE), 3);
}

static void test_intervals_and_months(void **state)
{
    (void)state;
    int iv[MEETING_KIND__COUNT];
    assert_true(party_intervals_parse("3,1,1,3", iv));
    assert_int_equal(iv[0], 3);
    assert_int_equal(iv[1], 1);
    assert_true(party_intervals_parse("6,0,2,12", iv));
    assert_int_equal(iv[1], 0);
    assert_false(party_intervals_parse("5,1,1,3", iv)); /* 5 does not divide a year */
    assert_false(party_intervals_parse("3,1,1", iv));
    assert_false(party_intervals_parse("3,1,1,3,", iv));
    assert_false(party_intervals_parse("3,1,1,x", iv));
    assert_false(party_intervals_parse("", iv));
    assert_int_equal(iv[0], 6); /* unchanged by a failed parse */
    int m;
    assert_true(party_month_parse("2026-01", &m));
    assert_int_equal(m, 2026 * 12);
    assert_false(party_month_parse("2026-13", &m));
    assert_false(party_month_parse("2026-1", &m));
    char t[8];
    party_month_format(2026 * 12 + 11, t);
    assert_string_equal(t, "2026-12");
    assert_int_equal(party_month_of_day(gg_days_from_civil(2026, 3, 31)), 2026 * 12 + 2);
}

#define M(y, mo) ((y) * 12 + (mo) - 1)

static void test_compliance(void **state)
{
    (void)state;
    int iv[MEETING_KIND__COUNT];
    party_intervals_default(iv);
    /* first half of 2026: assembly in Feb (Q1) only; committee every month but April;
     * group meetings every month; a lecture in Q1 and Q2 */
    struct meeting_fact f[16];
    size_t n = 0;
    f[n++] = (struct meeting_fact){MEETING_ASSEMBLY, M(2026, 2)};
    for (int mo = 1; mo <= 6; mo++) {
        if (mo != 4)
            f[n++] = (struct meeting_fact){MEETING_COMMITTEE, M(2026, mo)};
        f[n++] = (struct meeting_fact){MEETING_GROUP, M(2026, mo)};
    }
    f[n++] = (struct meeting_fact){MEETING_LECTURE, M(2026, 3)};
    f[n++] = (struct meeting_fact){MEETING_LECTURE, M(2026, 6)};
    struct meeting_gap g[8];
    size_t ng, total;
    assert_int_equal(party_compliance(iv, M(2026, 1), M(2026, 7), f, n, g, 8, &ng, &total), 0);
    assert_int_equal(total, 2);
    assert_int_equal(ng, 2);
    assert_int_equal(g[0].kind, MEETING_ASSEMBLY); /* Q2 has no assembly */
    assert_int_equal(g[0].month_from, M(2026, 4));
    assert_int_equal(g[0].month_to, M(2026, 7));
    assert_int_equal(g[1].kind, MEETING_COMMITTEE); /* April */
    assert_int_equal(g[1].month_from, M(2026, 4));
    assert_int_equal(g[1].month_to, M(2026, 5));

    /* a period cut mid-quarter (Feb..May): quarters are not judged, only whole months */
    assert_int_equal(party_compliance(iv, M(2026, 2), M(2026, 6), f, n, g, 8, &ng, &total), 0);
    assert_int_equal(total, 1);
    assert_int_equal(g[0].kind, MEETING_COMMITTEE);

    /* nothing held in a year: 4 + 12 + 12 + 4 gaps; max_gaps caps what is listed */
    assert_int_equal(party_compliance(iv, M(2025, 1), M(2026, 1), NULL, 0, g, 8, &ng, &total), 0);
    assert_int_equal(total, 32);
    assert_int_equal(ng, 8);

    /* meetings outside the period count for nothing; a kind with interval 0 is not required */
    iv[MEETING_COMMITTEE] = 0;
    iv[MEETING_GROUP] = 0;
    struct meeting_fact late = {MEETING_ASSEMBLY, M(2026, 4)};
    assert_int_equal(party_compliance(iv, M(2026, 1), M(2026, 4), &late, 1, g, 8, &ng, &total), 0);
    assert_int_equal(total, 2); /* Q1 assembly and Q1 lecture */

    /* bad periods and intervals */
    assert_int_equal(party_compliance(iv, M(2026, 4), M(2026, 4), f, n, g, 8, &ng, &total), -1);
    iv[0] = 5;
    assert_int_equal(party_compliance(iv, M(2026, 1), M(2026, 4), f, n, g, 8, &ng, &total), -1);
}

/* issue 6 item 8: the windows a period judges (the rankings' meeting compliance) */
static void test_compliance_windows(void **state)
{
    (void)state;
    int iv[MEETING_KIND__COUNT];
    party_intervals_default(iv); /* 3,1,1,3 */
    /* Jan..Jun: 2 quarters × 2 quarterly kinds + 6 months × 2 monthly kinds */
    assert_int_equal(party_compliance_windows(iv, M(2026, 1), M(2026, 7)), 16);
    /* Feb..Jun: only Q2 of the quarters is whole */
    assert_int_equal(party_compliance_windows(iv, M(2026, 2), M(2026, 7)), 2 + 10);
    /* a single month judges the monthly kinds only */
    assert_int_equal(party_compliance_windows(iv, M(2026, 5), M(2026, 6)), 2);
    /* with no meeting held, every window is a gap */
    size_t ng, total;
    assert_int_equal(party_compliance(iv, M(2026, 2), M(2026, 7), NULL, 0, NULL, 0, &ng, &total),
                     0);
    assert_int_equal(total, 12);
    assert_int_equal(ng, 0);
    assert_int_equal(party_compliance_windows(iv, M(2026, 5), M(2026, 5)), -1);
    iv[MEETING_GROUP] = 5;
    assert_int_equal(party_compliance_windows(iv, M(2026, 1), M(2026, 7)), -1);
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(party_meeting_org_ok(PARTY_BRANCH, MEETING_ASSEMBLY));
    assert_true(party_meeting_org_ok(PARTY_GROUP, MEETING_GROUP));
    assert_false(party_meeting_org_ok(PARTY_GROUP, MEETING_LECTURE));
    assert_false(party_meeting_org_ok(PARTY_HOUSEHOLD, MEETING_GROUP));
    assert_false(party_meeting_org_ok(PARTY_GENERAL_BRANCH, MEETING_GROUP));
    assert_true(party_may_read(ROLE_LEADER));
    assert_false(party_may_read(ROLE_RESIDENT));
    assert_false(party_may_read(ROLE_GRID_OFFICER));
    assert_true(party_may_write(ROLE_STAFF));
    assert_false(party_may_write(ROLE_LEADER));
    assert_false(party_may_write(ROLE_MEMBER));
    assert_true(party_may_cover(ROLE_LEADER));
    assert_false(party_may_cover(ROLE_RESIDENT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_intervals_and_months),
        cmocka_unit_test(test_compliance),
        cmocka_unit_test(test_compliance_windows),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
