/* test_model.c - the name tables: every value's id parses back to itself, unknown ids give -1,
 * every value has a label, and the small helpers (open states, level of an org kind). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/model.h"

/* Checks that ids are distinct, non-empty, round-trip, and that junk is refused. */
#define ROUND_TRIP(N, to_id, from_id)                                                              \
    do {                                                                                           \
        for (int i_ = 0; i_ < (N); i_++) {                                                         \
            const char *s_ = to_id(i_);                                                            \
            assert_non_null(s_);                                                                   \
            assert_true(strlen(s_) > 0);                                                           \
            assert_string_not_equal(s_, "unknown");                                                \
            assert_int_equal(from_id(s_), i_);                                                     \
            for (int j_ = 0; j_ < i_; j_++)                                                        \
                assert_string_not_equal(to_id(j_), s_);                                            \
        }                                                                                          \
        assert_int_equal(from_id("no-such-id"), -1);                                               \
        assert_int_equal(from_id(""), -1);                                                         \
        assert_int_equal(from_id(NULL), -1);                                                       \
        assert_string_equal(to_id(N), "unknown");                                                  \
    } while (0)

#define HAS_LABELS(N, to_zh)                                                                       \
    do {                                                                                           \
        for (int i_ = 0; i_ < (N); i_++) {                                                         \
            assert_non_null(to_zh(i_));                                                            \
            assert_true(strlen(to_zh(i_)) > 0);                                                    \
            assert_string_not_equal(to_zh(i_), "unknown");                                         \
        }                                                                                          \
        assert_string_equal(to_zh(N), "unknown");                                                  \
    } while (0)

static void test_roles(void **st)
{
    (void)st;
    ROUND_TRIP(ROLE__COUNT, role_id, role_from_id);
    HAS_LABELS(ROLE__COUNT, role_zh);
    assert_string_equal(role_id(ROLE_GRID_OFFICER), "grid_officer");
    assert_string_equal(role_zh(ROLE_GRID_OFFICER), "网格员");
    assert_int_equal(role_from_id("ADMIN"), -1); /* case matters */
}

static void test_org_kinds(void **st)
{
    (void)st;
    ROUND_TRIP(ORG_KIND__COUNT, org_kind_id, org_kind_from_id);
    HAS_LABELS(ORG_KIND__COUNT, org_kind_zh);
    assert_string_equal(org_kind_id(ORG_DEPARTMENT), "department");
}

static void test_catalog_enums(void **st)
{
    (void)st;
    ROUND_TRIP(CAT_KIND__COUNT, cat_kind_id, cat_kind_from_id);
    ROUND_TRIP(CAT_LIST__COUNT, cat_list_id, cat_list_from_id);
    ROUND_TRIP(LEVEL__COUNT, level_id, level_from_id);
    ROUND_TRIP(CLOCK__COUNT, clock_id, clock_from_id);
    assert_string_equal(cat_list_id(CAT_LIST_EXCLUDED), "excluded");
    assert_string_equal(level_id(LEVEL_DISTRICT), "district");
    assert_string_equal(clock_id(CLOCK_WORK_DAYS), "work_days");
}

static void test_event_enums(void **st)
{
    (void)st;
    ROUND_TRIP(EVENT_STATUS__COUNT, event_status_id, event_status_from_id);
    HAS_LABELS(EVENT_STATUS__COUNT, event_status_zh);
    ROUND_TRIP(EVENT_ACTION__COUNT, event_action_id, event_action_from_id);
    HAS_LABELS(EVENT_ACTION__COUNT, event_action_zh);
    ROUND_TRIP(SOURCE__COUNT, source_id, source_from_id);
    HAS_LABELS(SOURCE__COUNT, source_zh);
    ROUND_TRIP(COLOR__COUNT, color_id, color_from_id);
    assert_string_equal(color_id(COLOR_NONE), "none");
    assert_string_equal(event_action_id(EVENT_ACTION_VERIFY_FAIL), "verify_fail");
    assert_string_equal(event_action_id(EVENT_ACTION_AUTO_ESCALATE), "auto_escalate");
    assert_string_equal(source_id(SOURCE_WALKIN), "walkin");
    /* the system actions are the last ones, after every client action */
    assert_int_equal(EVENT_ACTION__CLIENT_COUNT, EVENT_ACTION_REPORT);
    assert_true(EVENT_ACTION_AUTO_ESCALATE > EVENT_ACTION__CLIENT_COUNT);
}

static void test_ratings(void **st)
{
    (void)st;
    assert_null(rating_id(RATING_NONE));
    for (int r = RATING_SATISFIED; r < RATING__COUNT; r++) {
        assert_non_null(rating_id(r));
        assert_int_equal(rating_from_id(rating_id(r)), r);
    }
    assert_null(rating_id(RATING__COUNT));
    assert_int_equal(rating_from_id("satisfied"), RATING_SATISFIED);
    assert_int_equal(rating_from_id("basic"), RATING_BASIC);
    assert_int_equal(rating_from_id("unsatisfied"), RATING_UNSATISFIED);
    assert_int_equal(rating_from_id("none"), -1);
    assert_int_equal(rating_from_id(""), -1);
    assert_int_equal(rating_from_id(NULL), -1);
}

static void test_open_states(void **st)
{
    (void)st;
    static const bool open[EVENT_STATUS__COUNT] = {
        [EVENT_STATUS_REPORTED] = true,    [EVENT_STATUS_REGISTERED] = true,
        [EVENT_STATUS_DISPATCHED] = true,  [EVENT_STATUS_IN_PROGRESS] = true,
        [EVENT_STATUS_HANDLED] = true,     [EVENT_STATUS_CLOSED] = false,
        [EVENT_STATUS_REJECTED] = false,   [EVENT_STATUS_MERGED] = false,
    };
    for (int s = 0; s < EVENT_STATUS__COUNT; s++)
        assert_int_equal(event_status_open(s), open[s]);
}

static void test_level_of_kind(void **st)
{
    (void)st;
    static const enum level want[ORG_KIND__COUNT] = {
        [ORG_CITY] = LEVEL_DISTRICT,      [ORG_DISTRICT] = LEVEL_DISTRICT,
        [ORG_STREET] = LEVEL_STREET,      [ORG_COMMUNITY] = LEVEL_COMMUNITY,
        [ORG_GRID] = LEVEL_GRID,          [ORG_BUILDING] = LEVEL_GRID,
        [ORG_UNIT] = LEVEL_GRID,          [ORG_DEPARTMENT] = LEVEL_DISTRICT,
    };
    for (int k = 0; k < ORG_KIND__COUNT; k++)
        assert_int_equal(level_of_kind(k), want[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_org_kinds),
        cmocka_unit_test(test_catalog_enums),
        cmocka_unit_test(test_event_enums),
        cmocka_unit_test(test_ratings),
        cmocka_unit_test(test_open_states),
        cmocka_unit_test(test_level_of_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
