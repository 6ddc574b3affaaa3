/* test_topic.c - the deliberation topic state machine: every state × action pair against a
 * literal expectation list written from topic.h (not from topic.c), the guarded outcomes
 * (support below / at the threshold, close_vote passing / failing), every role × action, the
 * majority rule, ratings and the disclosure validators (kinds, periods, amounts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/topic.h"

#define ST(x) TOPIC_STATUS_##x
#define AC(x) TOPIC_ACTION_##x

/* A pair that is allowed, with its outcomes: `to_low` below the support threshold / a failing
 * tally, `to_high` at the threshold / a passing tally (equal for unguarded actions). */
struct expect {
    enum topic_status from;
    enum topic_action action;
    enum topic_status to_low, to_high;
};

#define MV(f, a, t) {ST(f), AC(a), ST(t), ST(t)}

static const struct expect expected[] = {
    {ST(PROPOSED), AC(SUPPORT), ST(PROPOSED), ST(SECONDED)},
    MV(PROPOSED, REJECT, REJECTED),
    MV(PROPOSED, WITHDRAW, WITHDRAWN),
    MV(SECONDED, SUPPORT, SECONDED),
    MV(SECONDED, ACCEPT, AGENDA),
    MV(SECONDED, REJECT, REJECTED),
    MV(SECONDED, WITHDRAW, WITHDRAWN),
    MV(AGENDA, REJECT, REJECTED),
    MV(AGENDA, MEET, VOTING),
    MV(VOTING, VOTE, VOTING),
    {ST(VOTING), AC(CLOSE_VOTE), ST(FAILED), ST(PASSED)},
    MV(PASSED, PUBLISH, PUBLISHED),
    MV(PUBLISHED, PROGRESS, EXECUTING),
    MV(EXECUTING, PROGRESS, EXECUTING),
    MV(EXECUTING, COMPLETE, DONE),
    MV(DONE, EVALUATE, DONE),
    /* FAILED, REJECTED, WITHDRAWN: nothing; PROPOSE: nowhere (creation) */
};
#define N_EXPECTED (sizeof expected / sizeof expected[0])

static const struct expect *find(enum topic_status s, enum topic_action a)
{
    for (size_t i = 0; i < N_EXPECTED; i++)
        if (expected[i].from == s && expected[i].action == a)
            return &expected[i];
    return NULL;
}

static void check_state(enum topic_status s)
{
    for (int a = 0; a < TOPIC_ACTION__COUNT; a++) {
        const struct expect *e = find(s, (enum topic_action)a);
        /* low: 2 supports of a threshold of 3, a failing tally; high: 3 of 3, passing */
        for (int high = 0; high < 2; high++) {
            enum topic_status to = (enum topic_status)99;
            int rc = topic_transition(s, (enum topic_action)a, high ? 3 : 2, 3, high, &to);
            if ((e != NULL) != (rc == 0) || (!e && rc != -GG_ECONFLICT))
                fail_msg("%s × %s: rc %d, expected %s", topic_status_id(s),
                         topic_action_id((enum topic_action)a), rc, e ? "0" : "-GG_ECONFLICT");
            if (!e) {
                assert_int_equal(to, 99); /* *to untouched on refusal */
                continue;
            }
            enum topic_status want = high ? e->to_high : e->to_low;
            if (to != want)
                fail_msg("%s × %s (%s): got %s, want %s", topic_status_id(s),
                         topic_action_id((enum topic_action)a), high ? "high" : "low",
                         topic_status_id(to), topic_status_id(want));
        }
    }
}

static void test_proposed(void **st) { (void)st; check_state(ST(PROPOSED)); }
static void test_seconded(void **st) { (void)st; check_state(ST(SECONDED)); }
static void test_agenda(void **st) { (void)st; check_state(ST(AGENDA)); }
static void test_voting(void **st) { (void)st; check_state(ST(VOTING)); }
static void test_passed(void **st) { (void)st; check_state(ST(PASSED)); }
static void test_failed(void **st) { (void)st; check_state(ST(FAILED)); }
static void test_published(void **st) { (void)st; check_state(ST(PUBLISHED)); }
static void test_executing(void **st) { (void)st; check_state(ST(EXECUTING)); }
static void test_done(void **st) { (void)st; check_state(ST(DONE)); }
static void test_rejected(void **st) { (void)st; check_state(ST(REJECTED)); }
static void test_withdrawn(void **st) { (void)st; check_state(ST(WITHDRAWN)); }

static void test_expectations_unique(void **st)
{
    (void)st;
    for (size_t i = 0; i < N_EXPECTED; i++)
        for (size_t j = i + 1; j < N_EXPECTED; j++)
            assert_false(expected[i].from == expected[j].from &&
                         expected[i].action == expected[j].action);
    /* a new state or action must be added to the expectations too */
    assert_int_equal(TOPIC_STATUS__COUNT, 11);
    assert_int_equal(TOPIC_ACTION__COUNT, 12);
}

/* The threshold edge: one below stays proposed, exactly at it seconds, above it too. */
static void test_threshold_edges(void **st)
{
    (void)st;
    enum topic_status to;
    assert_int_equal(topic_transition(ST(PROPOSED), AC(SUPPORT), 4, 5, false, &to), 0);
    assert_int_equal(to, ST(PROPOSED));
    assert_int_equal(topic_transition(ST(PROPOSED), AC(SUPPORT), 5, 5, false, &to), 0);
    assert_int_equal(to, ST(SECONDED));
    assert_int_equal(topic_transition(ST(PROPOSED), AC(SUPPORT), 1, 1, false, &to), 0);
    assert_int_equal(to, ST(SECONDED));
}

static void test_happy_path(void **st)
{
    (void)st;
    static const enum topic_action path[] = {AC(SUPPORT), AC(ACCEPT),   AC(MEET),
                                             AC(VOTE),    AC(CLOSE_VOTE), AC(PUBLISH),
                                             AC(PROGRESS), AC(PROGRESS), AC(COMPLETE),
                                             AC(EVALUATE)};
    static const enum topic_status want[] = {ST(SECONDED),  ST(AGENDA),    ST(VOTING),
                                             ST(VOTING),    ST(PASSED),    ST(PUBLISHED),
                                             ST(EXECUTING), ST(EXECUTING), ST(DONE),
                                             ST(DONE)};
    enum topic_status s = ST(PROPOSED);
    for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
        enum topic_status to;
        assert_int_equal(topic_transition(s, path[i], 1, 1, true, &to), 0);
        assert_int_equal(to, want[i]);
        s = to;
    }
}

static void test_out_of_range(void **st)
{
    (void)st;
    enum topic_status to;
    assert_int_equal(topic_transition(TOPIC_STATUS__COUNT, AC(SUPPORT), 0, 1, false, &to),
                     -GG_ECONFLICT);
    assert_int_equal(topic_transition(ST(PROPOSED), TOPIC_ACTION__COUNT, 0, 1, false, &to),
                     -GG_ECONFLICT);
    assert_int_equal(topic_transition((enum topic_status)-1, AC(SUPPORT), 0, 1, false, &to),
                     -GG_ECONFLICT);
    assert_false(topic_role_may(ROLE__COUNT, AC(VOTE)));
    assert_false(topic_role_may(ROLE_ADMIN, TOPIC_ACTION__COUNT));
}

/* ---- roles: one row per action, one column per role in enum order:
 *      a=admin c=command l=leader s=staff g=grid_officer h=handler m=member r=resident ---- */
static const struct {
    enum topic_action a;
    const char *roles; /* 8 characters, '.' = not allowed */
} role_rows[] = {
    {AC(SUPPORT), "......mr"},    {AC(ACCEPT), "a.ls...."},  {AC(REJECT), "a.ls...."},
    {AC(WITHDRAW), "a..sg.mr"},   {AC(MEET), "a..s...."},    {AC(VOTE), "aclsghmr"},
    {AC(CLOSE_VOTE), "a..s...."}, {AC(PUBLISH), "a..s...."}, {AC(PROGRESS), "a..s...."},
    {AC(COMPLETE), "a..s...."},   {AC(EVALUATE), "......mr"}, {AC(PROPOSE), "a..sg.mr"},
};

static void test_roles(void **st)
{
    (void)st;
    assert_int_equal(sizeof role_rows / sizeof role_rows[0], TOPIC_ACTION__COUNT);
    for (size_t i = 0; i < sizeof role_rows / sizeof role_rows[0]; i++) {
        const char *row = role_rows[i].roles;
        assert_int_equal(strlen(row), ROLE__COUNT);
        for (int r = 0; r < ROLE__COUNT; r++) {
            bool want = row[r] != '.';
            if (topic_role_may((enum role)r, role_rows[i].a) != want)
                fail_msg("role %d × %s: want %d", r, topic_action_id(role_rows[i].a), want);
        }
    }
}

static void test_majority(void **st)
{
    (void)st;
    assert_true(topic_vote_passes(3, 5));
    assert_false(topic_vote_passes(2, 5));  /* 2 of 5 attendees, even if nobody voted against */
    assert_false(topic_vote_passes(2, 4));  /* a tie is not a majority */
    assert_true(topic_vote_passes(3, 4));
    assert_true(topic_vote_passes(1, 1));
    assert_false(topic_vote_passes(0, 0));
    assert_false(topic_vote_passes(0, 1));
}

static void test_names(void **st)
{
    (void)st;
    for (int s = 0; s < TOPIC_STATUS__COUNT; s++)
        assert_int_equal(topic_status_from_id(topic_status_id((enum topic_status)s)), s);
    for (int a = 0; a < TOPIC_ACTION_PROPOSE; a++)
        assert_int_equal(topic_action_from_id(topic_action_id((enum topic_action)a)), a);
    assert_int_equal(topic_action_from_id("propose"), -1); /* creation is not an action */
    assert_int_equal(topic_action_from_id("nope"), -1);
    assert_int_equal(vote_choice_from_id("abstain"), VOTE_ABSTAIN);
    assert_int_equal(vote_choice_from_id("yes"), -1);
    assert_int_equal(disclosure_kind_from_id("property_fee"), DISCLOSURE_PROPERTY_FEE);
    assert_string_equal(disclosure_kind_zh(DISCLOSURE_PROJECT_FUND), "项目资金");
    assert_string_equal(topic_status_zh(ST(SECONDED)), "附议达标");
}

static void test_ratings_and_places(void **st)
{
    (void)st;
    assert_false(topic_rating_valid(0));
    assert_true(topic_rating_valid(1));
    assert_true(topic_rating_valid(5));
    assert_false(topic_rating_valid(6));
    assert_true(topic_org_kind_ok(ORG_COMMUNITY));
    assert_true(topic_org_kind_ok(ORG_GRID));
    assert_false(topic_org_kind_ok(ORG_STREET));
    assert_false(topic_org_kind_ok(ORG_BUILDING));
    assert_true(disclosure_org_kind_ok(ORG_STREET));
    assert_false(disclosure_org_kind_ok(ORG_DISTRICT));
    assert_false(disclosure_org_kind_ok(ORG_DEPARTMENT));
}

static void test_periods(void **st)
{
    (void)st;
    static const char *good[] = {"2026", "2026-01", "2026-12", "2026-Q1", "2026-Q4"};
    static const char *bad[] = {"", "26", "1999", "2026-13", "2026-00", "2026-Q5", "2026-Q0",
                                "2026-1", "2026/01", "2026-01-01", "20x6"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(disclosure_period_valid(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (disclosure_period_valid(bad[i], strlen(bad[i])))
            fail_msg("period \"%s\" accepted", bad[i]);
}

static void test_amounts(void **st)
{
    (void)st;
    int64_t f = 0;
    assert_true(disclosure_amount_fen(1234.56, &f));
    assert_int_equal(f, 123456);
    assert_true(disclosure_amount_fen(0.1 + 0.2, &f)); /* binary noise is not a third decimal */
    assert_int_equal(f, 30);
    assert_true(disclosure_amount_fen(-20.5, &f));
    assert_int_equal(f, -2050);
    assert_false(disclosure_amount_fen(1.234, &f));
    assert_false(disclosure_amount_fen(1e12, &f));
    assert_false(disclosure_amount_fen(1.0 / 0.0, &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proposed),    cmocka_unit_test(test_seconded),
        cmocka_unit_test(test_agenda),      cmocka_unit_test(test_voting),
        cmocka_unit_test(test_passed),      cmocka_unit_test(test_failed),
        cmocka_unit_test(test_published),   cmocka_unit_test(test_executing),
        cmocka_unit_test(test_done),        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_withdrawn),   cmocka_unit_test(test_expectations_unique),
        cmocka_unit_test(test_threshold_edges), cmocka_unit_test(test_happy_path),
        cmocka_unit_test(test_out_of_range), cmocka_unit_test(test_roles),
        cmocka_unit_test(test_majority),    cmocka_unit_test(test_names),
        cmocka_unit_test(test_ratings_and_places), cmocka_unit_test(test_periods),
        cmocka_unit_test(test_amounts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
