/* test_service.c - the service-order state machine: every state × action against a literal
 * expectation list written from service.h, every role × action, the expiry rule and the name
 * tables; and the points rules (source keys, costs, never below zero). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/points.h"
#include "core/service.h"

#define ST(x) SERVICE_STATUS_##x
#define AC(x) SERVICE_ACTION_##x

struct expect {
    enum service_status from;
    enum service_action action;
    enum service_status to;
};

/* the allowed moves, as service.h states them; every other pair is a 409 */
static const struct expect allowed[] = {
    {ST(ASKED), AC(PUBLISH), ST(PUBLISHED)},     {ST(ASKED), AC(CANCEL), ST(CANCELLED)},
    {ST(PUBLISHED), AC(CLAIM), ST(CLAIMED)},     {ST(PUBLISHED), AC(CANCEL), ST(CANCELLED)},
    {ST(PUBLISHED), AC(EXPIRE), ST(EXPIRED)},    {ST(CLAIMED), AC(COMPLETE), ST(COMPLETED)},
    {ST(COMPLETED), AC(RATE), ST(RATED)},        {ST(RATED), AC(REVIEW), ST(REVIEWED)},
};

static const struct expect *find(enum service_status s, enum service_action a)
{
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (allowed[i].from == s && allowed[i].action == a)
            return &allowed[i];
    return NULL;
}

static void test_every_state_action(void **state)
{
    (void)state;
    int n_ok = 0;
    for (int s = 0; s < SERVICE_STATUS__COUNT; s++) {
        for (int a = 0; a < SERVICE_ACTION__COUNT; a++) {
            enum service_status to = SERVICE_STATUS__COUNT;
            int rc = service_transition((enum service_status)s, (enum service_action)a, &to);
            const struct expect *e = find((enum service_status)s, (enum service_action)a);
            if (e) {
                if (rc != 0 || to != e->to)
                    fail_msg("%s × %s: rc %d to %s, want %s", service_status_id(s),
                             service_action_id(a), rc, service_status_id(to),
                             service_status_id(e->to));
                n_ok++;
            } else if (rc != -GG_ECONFLICT) {
                fail_msg("%s × %s: rc %d, want 409", service_status_id(s), service_action_id(a),
                         rc);
            } else {
                assert_int_equal(to, SERVICE_STATUS__COUNT); /* *to untouched on refusal */
            }
        }
    }
    assert_int_equal(n_ok, (int)(sizeof allowed / sizeof allowed[0]));
    /* out of range */
    enum service_status to;
    assert_int_equal(service_transition(SERVICE_STATUS__COUNT, AC(CLAIM), &to), -GG_ECONFLICT);
    assert_int_equal(service_transition(ST(PUBLISHED), SERVICE_ACTION__COUNT, &to), -GG_ECONFLICT);
    assert_int_equal(service_transition((enum service_status)-1, AC(CLAIM), &to), -GG_ECONFLICT);
}

static void test_terminal_states_take_nothing(void **state)
{
    (void)state;
    const enum service_status terminal[] = {ST(CANCELLED), ST(EXPIRED), ST(REVIEWED)};
    for (size_t i = 0; i < 3; i++)
        for (int a = 0; a < SERVICE_ACTION__COUNT; a++) {
            enum service_status to;
            assert_int_equal(service_transition(terminal[i], (enum service_action)a, &to),
                             -GG_ECONFLICT);
        }
}

#define RB(r) (1u << ROLE_##r)
static void test_roles(void **state)
{
    (void)state;
    const unsigned want[SERVICE_ACTION__COUNT] = {
        [AC(PUBLISH)] = RB(ADMIN) | RB(STAFF),
        [AC(CLAIM)] = RB(MEMBER),
        [AC(COMPLETE)] = RB(MEMBER),
        [AC(RATE)] = RB(RESIDENT) | RB(MEMBER) | RB(GRID_OFFICER),
        [AC(REVIEW)] = RB(ADMIN) | RB(STAFF),
        [AC(CANCEL)] = RB(ADMIN) | RB(STAFF) | RB(RESIDENT) | RB(MEMBER) | RB(GRID_OFFICER),
        [AC(ASK)] = RB(RESIDENT) | RB(MEMBER),
        [AC(EXPIRE)] = 0,
    };
    for (int a = 0; a < SERVICE_ACTION__COUNT; a++)
        for (int r = 0; r < ROLE__COUNT; r++) {
            bool w = (want[a] >> r) & 1u;
            if (service_role_may((enum role)r, (enum service_action)a) != w)
                fail_msg("role %s × %s: got %d, want %d", role_id((enum role)r),
                         service_action_id(a), !w, w);
        }
    assert_false(service_role_may(ROLE__COUNT, AC(CLAIM)));
    assert_false(service_role_may(ROLE_MEMBER, SERVICE_ACTION__COUNT));
}

static void test_expiry(void **state)
{
    (void)state;
    /* published and past the deadline: expired; at the deadline exactly: expired */
    assert_int_equal(service_effective(ST(PUBLISHED), 1000, 999), ST(PUBLISHED));
    assert_int_equal(service_effective(ST(PUBLISHED), 1000, 1000), ST(EXPIRED));
    assert_int_equal(service_effective(ST(PUBLISHED), 1000, 5000), ST(EXPIRED));
    /* no deadline never expires; other states never expire */
    assert_int_equal(service_effective(ST(PUBLISHED), 0, 5000), ST(PUBLISHED));
    for (int s = 0; s < SERVICE_STATUS__COUNT; s++)
        if (s != ST(PUBLISHED))
            assert_int_equal(service_effective((enum service_status)s, 1000, 5000), s);
}

static void test_names(void **state)
{
    (void)state;
    for (int s = 0; s < SERVICE_STATUS__COUNT; s++) {
        assert_int_equal(service_status_from_id(service_status_id(s)), s);
        assert_true(strlen(service_status_zh(s)) > 0);
    }
    for (int a = 0; a < SERVICE_ACTION__COUNT; a++)
        assert_int_equal(service_action_from_id(service_action_id(a)), a);
    assert_int_equal(service_status_from_id("nope"), -1);
    assert_int_equal(service_action_from_id(NULL), -1);
    assert_string_equal(service_status_id(SERVICE_STATUS__COUNT), "");
    assert_int_equal(SERVICE_ACTION__CLIENT_COUNT, AC(ASK));
    assert_string_equal(service_status_zh(ST(PUBLISHED)), "待接单");
}

/* ---- points rules ---- */

static void test_points_keys(void **state)
{
    (void)state;
    char k[POINTS_KEY_SZ];
    assert_int_equal(points_key_of_id(POINTS_SOURCE_SERVICE_ORDER, 17, k), 0);
    assert_string_equal(k, "service_order:17");
    assert_int_equal(points_key_of_id(POINTS_SOURCE_EVENT_CLUE, 42, k), 0);
    assert_string_equal(k, "event_clue:42");
    assert_int_equal(points_key_of_id(POINTS_SOURCE_REDEMPTION, 9, k), 0);
    assert_string_equal(k, "redemption:9");
    assert_int_equal(points_key_of_id(POINTS_SOURCE_SERVICE_ORDER, 0, k), -GG_EINVAL);
    assert_int_equal(points_key_of_id(POINTS_SOURCE_VOLUNTEER, 3, k), -GG_EINVAL);

    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, "2026-05-01_clean", 7, k), 0);
    assert_string_equal(k, "volunteer:2026-05-01_clean:7");
    assert_int_equal(points_key_of_award(POINTS_SOURCE_MEETING, "m.12", 8, k), 0);
    assert_string_equal(k, "meeting:m.12:8");
    /* refs that could forge another key, empty, too long; wrong kinds; bad user */
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, "a:b", 7, k), -GG_EINVAL);
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, "", 7, k), -GG_EINVAL);
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, NULL, 7, k), -GG_EINVAL);
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, "志愿", 7, k), -GG_EINVAL);
    char longref[POINTS_MAX_REF + 2];
    memset(longref, 'x', sizeof longref - 1);
    longref[sizeof longref - 1] = '\0';
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, longref, 7, k), -GG_EINVAL);
    longref[POINTS_MAX_REF] = '\0';
    assert_int_equal(points_key_of_award(POINTS_SOURCE_VOLUNTEER, longref, 7, k), 0);
    assert_int_equal(points_key_of_award(POINTS_SOURCE_SERVICE_ORDER, "x", 7, k), -GG_EINVAL);
    assert_int_equal(points_key_of_award(POINTS_SOURCE_MEETING, "x", 0, k), -GG_EINVAL);

    for (int i = 0; i < POINTS_SOURCE__COUNT; i++)
        assert_int_equal(points_source_from_id(points_source_id(i)), i);
    assert_int_equal(points_source_from_id("gift"), -1);
}

static void test_points_cost(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_int_equal(points_cost(30, 2, &c), 0);
    assert_int_equal(c, 60);
    assert_int_equal(points_cost(POINTS_MAX_PRICE, POINTS_MAX_QUANTITY, &c), 0);
    assert_int_equal(c, (int64_t)POINTS_MAX_PRICE * POINTS_MAX_QUANTITY);
    c = -1;
    assert_int_equal(points_cost(30, 0, &c), -GG_EINVAL);
    assert_int_equal(points_cost(30, -1, &c), -GG_EINVAL);
    assert_int_equal(points_cost(30, POINTS_MAX_QUANTITY + 1, &c), -GG_EINVAL);
    assert_int_equal(points_cost(0, 1, &c), -GG_EINVAL);
    assert_int_equal(points_cost(POINTS_MAX_PRICE + 1, 1, &c), -GG_EINVAL);
    assert_int_equal(c, -1);

    assert_true(points_can_pay(10, 10));
    assert_true(points_can_pay(10, 0));
    assert_false(points_can_pay(9, 10));
    assert_false(points_can_pay(0, 1));
    assert_false(points_can_pay(10, -1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_action),
        cmocka_unit_test(test_terminal_states_take_nothing),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_points_keys),
        cmocka_unit_test(test_points_cost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
