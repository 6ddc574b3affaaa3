/* test_workflow.c - every state × action × suspended × rated against a literal expectation list
 * written from workflow.h (not from workflow.c), every role × action, and the deadline colours. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/workflow.h"

/* ---- the expected state machine ---- */

enum susp_rule { NOT_SUSP, ONLY_SUSP, EITHER };

struct expect {
    enum event_status from;
    enum event_action action;
    enum event_status to;
    enum susp_rule susp;
    bool unrated; /* allowed only when not yet rated */
    bool set_suspended, clear_suspended, rework, closes;
};

#define ST(x) EVENT_STATUS_##x
#define AC(x) EVENT_ACTION_##x
/* plain move */
#define MV(f, a, t) {ST(f), AC(a), ST(t), NOT_SUSP, false, false, false, false, false}

static const struct expect expected[] = {
    MV(REPORTED, REGISTER, REGISTERED),
    MV(REPORTED, REJECT, REJECTED),
    MV(REGISTERED, REJECT, REJECTED),
    MV(REGISTERED, DISPATCH, DISPATCHED),
    MV(DISPATCHED, DISPATCH, DISPATCHED),
    MV(DISPATCHED, SIGN, IN_PROGRESS),
    MV(DISPATCHED, RETURN, REGISTERED),
    MV(IN_PROGRESS, RETURN, REGISTERED),
    MV(IN_PROGRESS, HANDLE, HANDLED),
    {ST(HANDLED), AC(VERIFY_OK), ST(CLOSED), NOT_SUSP, false, false, false, false, true},
    {ST(HANDLED), AC(VERIFY_FAIL), ST(DISPATCHED), NOT_SUSP, false, false, false, true, false},
    MV(REGISTERED, ESCALATE, REGISTERED),
    MV(DISPATCHED, ESCALATE, REGISTERED),
    MV(IN_PROGRESS, ESCALATE, REGISTERED),
    MV(REGISTERED, AUTO_ESCALATE, REGISTERED),
    MV(DISPATCHED, AUTO_ESCALATE, REGISTERED),
    MV(IN_PROGRESS, AUTO_ESCALATE, REGISTERED),
    {ST(REPORTED), AC(SELF_HANDLE), ST(CLOSED), NOT_SUSP, false, false, false, false, true},
    {ST(REGISTERED), AC(SELF_HANDLE), ST(CLOSED), NOT_SUSP, false, false, false, false, true},
    {ST(DISPATCHED), AC(SELF_HANDLE), ST(CLOSED), NOT_SUSP, false, false, false, false, true},
    {ST(IN_PROGRESS), AC(SELF_HANDLE), ST(CLOSED), NOT_SUSP, false, false, false, false, true},
    /* supervise: any open state, also while suspended */
    {ST(REPORTED), AC(SUPERVISE), ST(REPORTED), EITHER, false, false, false, false, false},
    {ST(REGISTERED), AC(SUPERVISE), ST(REGISTERED), EITHER, false, false, false, false, false},
    {ST(DISPATCHED), AC(SUPERVISE), ST(DISPATCHED), EITHER, false, false, false, false, false},
    {ST(IN_PROGRESS), AC(SUPERVISE), ST(IN_PROGRESS), EITHER, false, false, false, false, false},
    {ST(HANDLED), AC(SUPERVISE), ST(HANDLED), EITHER, false, false, false, false, false},
    MV(REPORTED, WHISTLE, REPORTED),
    MV(REGISTERED, WHISTLE, REGISTERED),
    MV(DISPATCHED, WHISTLE, DISPATCHED),
    MV(IN_PROGRESS, WHISTLE, IN_PROGRESS),
    MV(HANDLED, WHISTLE, HANDLED),
    MV(REPORTED, REPORT_IN, REPORTED),
    MV(REGISTERED, REPORT_IN, REGISTERED),
    MV(DISPATCHED, REPORT_IN, DISPATCHED),
    MV(IN_PROGRESS, REPORT_IN, IN_PROGRESS),
    MV(HANDLED, REPORT_IN, HANDLED),
    {ST(REGISTERED), AC(SUSPEND), ST(REGISTERED), NOT_SUSP, false, true, false, false, false},
    {ST(DISPATCHED), AC(SUSPEND), ST(DISPATCHED), NOT_SUSP, false, true, false, false, false},
    {ST(IN_PROGRESS), AC(SUSPEND), ST(IN_PROGRESS), NOT_SUSP, false, true, false, false, false},
    /* resume: "suspended → same, not suspended", whatever the state */
    {ST(REPORTED), AC(RESUME), ST(REPORTED), ONLY_SUSP, false, false, true, false, false},
    {ST(REGISTERED), AC(RESUME), ST(REGISTERED), ONLY_SUSP, false, false, true, false, false},
    {ST(DISPATCHED), AC(RESUME), ST(DISPATCHED), ONLY_SUSP, false, false, true, false, false},
    {ST(IN_PROGRESS), AC(RESUME), ST(IN_PROGRESS), ONLY_SUSP, false, false, true, false, false},
    {ST(HANDLED), AC(RESUME), ST(HANDLED), ONLY_SUSP, false, false, true, false, false},
    {ST(CLOSED), AC(RESUME), ST(CLOSED), ONLY_SUSP, false, false, true, false, false},
    {ST(REJECTED), AC(RESUME), ST(REJECTED), ONLY_SUSP, false, false, true, false, false},
    {ST(MERGED), AC(RESUME), ST(MERGED), ONLY_SUSP, false, false, true, false, false},
    MV(REGISTERED, EXTEND, REGISTERED),
    MV(DISPATCHED, EXTEND, DISPATCHED),
    MV(IN_PROGRESS, EXTEND, IN_PROGRESS),
    MV(REPORTED, MERGE, MERGED),
    MV(REGISTERED, MERGE, MERGED),
    {ST(CLOSED), AC(RATE), ST(CLOSED), NOT_SUSP, true, false, false, false, false},
    /* REPORT: nowhere. */
};

#define N_EXPECTED (sizeof expected / sizeof expected[0])

static const struct expect *find(enum event_status s, enum event_action a)
{
    for (size_t i = 0; i < N_EXPECTED; i++)
        if (expected[i].from == s && expected[i].action == a)
            return &expected[i];
    return NULL;
}

static bool allowed(const struct expect *e, bool suspended, bool rated)
{
    if (!e)
        return false;
    if (e->susp == NOT_SUSP && suspended)
        return false;
    if (e->susp == ONLY_SUSP && !suspended)
        return false;
    if (e->unrated && rated)
        return false;
    return true;
}

static void check_state(enum event_status s)
{
    for (int a = 0; a < EVENT_ACTION__COUNT; a++) {
        const struct expect *e = find(s, (enum event_action)a);
        for (int susp = 0; susp < 2; susp++) {
            for (int rated = 0; rated < 2; rated++) {
                struct wf_transition t;
                memset(&t, 0xAB, sizeof t);
                int rc = workflow_transition(s, susp, rated, (enum event_action)a, &t);
                bool ok = allowed(e, susp, rated);
                if (ok != (rc == 0) || (!ok && rc != -GG_ECONFLICT))
                    fail_msg("%s × %s (suspended=%d rated=%d): rc %d, expected %s",
                             event_status_id(s), event_action_id((enum event_action)a), susp,
                             rated, rc, ok ? "0" : "-GG_ECONFLICT");
                if (!ok)
                    continue;
                if (t.to != e->to || t.set_suspended != e->set_suspended ||
                    t.clear_suspended != e->clear_suspended || t.rework != e->rework ||
                    t.closes != e->closes)
                    fail_msg("%s × %s (suspended=%d rated=%d): got to=%s set=%d clear=%d "
                             "rework=%d closes=%d",
                             event_status_id(s), event_action_id((enum event_action)a), susp,
                             rated, event_status_id(t.to), t.set_suspended, t.clear_suspended,
                             t.rework, t.closes);
            }
        }
    }
}

static void test_reported(void **st) { (void)st; check_state(EVENT_STATUS_REPORTED); }
static void test_registered(void **st) { (void)st; check_state(EVENT_STATUS_REGISTERED); }
static void test_dispatched(void **st) { (void)st; check_state(EVENT_STATUS_DISPATCHED); }
static void test_in_progress(void **st) { (void)st; check_state(EVENT_STATUS_IN_PROGRESS); }
static void test_handled(void **st) { (void)st; check_state(EVENT_STATUS_HANDLED); }
static void test_closed(void **st) { (void)st; check_state(EVENT_STATUS_CLOSED); }
static void test_rejected(void **st) { (void)st; check_state(EVENT_STATUS_REJECTED); }
static void test_merged(void **st) { (void)st; check_state(EVENT_STATUS_MERGED); }

/* The expectation list itself: no duplicate pair, and every state of the enum covered. */
static void test_expectations_unique(void **st)
{
    (void)st;
    for (size_t i = 0; i < N_EXPECTED; i++)
        for (size_t j = i + 1; j < N_EXPECTED; j++)
            assert_false(expected[i].from == expected[j].from &&
                         expected[i].action == expected[j].action);
    assert_int_equal(EVENT_STATUS__COUNT, 8);
    assert_int_equal(EVENT_ACTION__COUNT, 20);
}

/* A few spelled-out paths, so a reader sees the machine at work. */
static void test_happy_path(void **st)
{
    (void)st;
    static const enum event_action path[] = {AC(REGISTER), AC(DISPATCH), AC(SIGN),
                                             AC(HANDLE), AC(VERIFY_FAIL), AC(SIGN),
                                             AC(HANDLE), AC(VERIFY_OK), AC(RATE)};
    static const enum event_status want[] = {ST(REGISTERED), ST(DISPATCHED), ST(IN_PROGRESS),
                                             ST(HANDLED), ST(DISPATCHED), ST(IN_PROGRESS),
                                             ST(HANDLED), ST(CLOSED), ST(CLOSED)};
    enum event_status s = ST(REPORTED);
    for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
        struct wf_transition t;
        assert_int_equal(workflow_transition(s, false, false, path[i], &t), 0);
        assert_int_equal(t.to, want[i]);
        s = t.to;
    }
    struct wf_transition t;
    assert_int_equal(workflow_transition(ST(CLOSED), false, true, AC(RATE), &t), -GG_ECONFLICT);
}

static void test_out_of_range(void **st)
{
    (void)st;
    struct wf_transition t;
    assert_int_equal(workflow_transition(EVENT_STATUS__COUNT, false, false, AC(REGISTER), &t),
                     -GG_ECONFLICT);
    assert_int_equal(workflow_transition(ST(REPORTED), false, false, EVENT_ACTION__COUNT, &t),
                     -GG_ECONFLICT);
    assert_int_equal(workflow_transition((enum event_status)-1, false, false, AC(REGISTER), &t),
                     -GG_ECONFLICT);
    assert_false(workflow_role_may(ROLE__COUNT, AC(RATE)));
    assert_false(workflow_role_may(ROLE_ADMIN, EVENT_ACTION__COUNT));
}

/* ---- roles: one row per action, one column per role in enum order:
 *      a=admin c=command l=leader s=staff g=grid_officer h=handler m=member r=resident ---- */
static const struct {
    enum event_action action;
    const char *roles; /* 8 characters, '-' where not allowed */
} role_rows[] = {
    {AC(REGISTER), "ac-s----"},    {AC(REJECT), "ac-s----"},      {AC(DISPATCH), "ac-s----"},
    {AC(SIGN), "a--sgh--"},        {AC(RETURN), "a--sgh--"},      {AC(HANDLE), "a--sgh--"},
    {AC(VERIFY_OK), "ac-sg--r"},   {AC(VERIFY_FAIL), "ac-sg--r"}, {AC(ESCALATE), "ac-sgh--"},
    {AC(SELF_HANDLE), "a---g---"}, {AC(SUPERVISE), "acl-----"},   {AC(WHISTLE), "ac-s----"},
    {AC(REPORT_IN), "a----h--"},   {AC(SUSPEND), "ac------"},     {AC(RESUME), "ac------"},
    {AC(EXTEND), "ac------"},      {AC(MERGE), "ac-s----"},       {AC(RATE), "aclsghmr"},
    {AC(REPORT), "--------"},      {AC(AUTO_ESCALATE), "--------"},
};

static void test_roles(void **st)
{
    (void)st;
    size_t n = sizeof role_rows / sizeof role_rows[0];
    assert_int_equal(n, EVENT_ACTION__COUNT);
    assert_int_equal(ROLE__COUNT, 8);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(role_rows[i].action, (enum event_action)i); /* rows in enum order */
        assert_int_equal(strlen(role_rows[i].roles), ROLE__COUNT);
        for (int r = 0; r < ROLE__COUNT; r++) {
            bool want = role_rows[i].roles[r] != '-';
            if (workflow_role_may((enum role)r, role_rows[i].action) != want)
                fail_msg("role %s × %s: expected %s", role_id((enum role)r),
                         event_action_id(role_rows[i].action), want ? "allowed" : "forbidden");
        }
    }
}

/* ---- colours ---- */

#define YELLOW 800
#define DUE 1000

static enum color open_color(enum event_status s, int64_t now)
{
    return workflow_color(s, false, 0, DUE, YELLOW, 0, now);
}

static void test_color_open(void **st)
{
    (void)st;
    static const enum event_status open[] = {ST(REPORTED), ST(REGISTERED), ST(DISPATCHED),
                                             ST(IN_PROGRESS)};
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        assert_int_equal(open_color(open[i], 0), COLOR_GREEN);
        assert_int_equal(open_color(open[i], YELLOW - 1), COLOR_GREEN);
        assert_int_equal(open_color(open[i], YELLOW), COLOR_YELLOW);
        assert_int_equal(open_color(open[i], DUE - 1), COLOR_YELLOW);
        assert_int_equal(open_color(open[i], DUE), COLOR_RED);
        assert_int_equal(open_color(open[i], DUE + 100000), COLOR_RED);
    }
}

static void test_color_suspended(void **st)
{
    (void)st;
    /* suspended at 500: green for ever, however late now is */
    assert_int_equal(workflow_color(ST(DISPATCHED), true, 500, DUE, YELLOW, 0, 5000), COLOR_GREEN);
    /* suspended while yellow: stays yellow */
    assert_int_equal(workflow_color(ST(IN_PROGRESS), true, 900, DUE, YELLOW, 0, 5000),
                     COLOR_YELLOW);
    /* suspended when already overdue: red */
    assert_int_equal(workflow_color(ST(REGISTERED), true, DUE, DUE, YELLOW, 0, 5000), COLOR_RED);
    /* not suspended: suspended_at is ignored */
    assert_int_equal(workflow_color(ST(REGISTERED), false, 500, DUE, YELLOW, 0, 5000), COLOR_RED);
}

static void test_color_done(void **st)
{
    (void)st;
    static const enum event_status done[] = {ST(HANDLED), ST(CLOSED)};
    for (size_t i = 0; i < 2; i++) {
        /* handled on time stays green however late now is */
        assert_int_equal(workflow_color(done[i], false, 0, DUE, YELLOW, 900, 99999), COLOR_GREEN);
        assert_int_equal(workflow_color(done[i], false, 0, DUE, YELLOW, DUE, 99999), COLOR_GREEN);
        assert_int_equal(workflow_color(done[i], false, 0, DUE, YELLOW, DUE + 1, DUE + 1),
                         COLOR_RED);
    }
    static const enum event_status none[] = {ST(REJECTED), ST(MERGED)};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(workflow_color(none[i], false, 0, DUE, YELLOW, 0, 0), COLOR_NONE);
        assert_int_equal(workflow_color(none[i], false, 0, DUE, YELLOW, 0, 99999), COLOR_NONE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expectations_unique),
        cmocka_unit_test(test_reported),
        cmocka_unit_test(test_registered),
        cmocka_unit_test(test_dispatched),
        cmocka_unit_test(test_in_progress),
        cmocka_unit_test(test_handled),
        cmocka_unit_test(test_closed),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_merged),
        cmocka_unit_test(test_happy_path),
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_color_open),
        cmocka_unit_test(test_color_suspended),
        cmocka_unit_test(test_color_done),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
