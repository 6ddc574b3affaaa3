/* test_visit.c - visit rules: defaults, parsing (good and bad text), the shortest interval of a
 * subject's tags, and the ok / due / overdue boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/visit.h"

#define BIT(t) (1u << VISIT_TAG_##t)
#define DAY 86400

static void test_defaults(void **state)
{
    (void)state;
    struct visit_rules r;
    visit_rules_default(&r);
    assert_int_equal(r.days[VISIT_TAG_ELDERLY_ALONE], 7);
    assert_int_equal(r.days[VISIT_TAG_SERIOUS_ILLNESS], 30);
    for (int t = 0; t < VISIT_TAG__COUNT; t++) {
        assert_true(r.days[t] >= 1 && r.days[t] <= VISIT_MAX_INTERVAL_DAYS);
        assert_int_equal(visit_tag_from_id(visit_tag_id(t)), t);
        assert_true(strlen(visit_tag_zh(t)) > 0);
    }
    assert_int_equal(visit_tag_from_id("student"), -1);
}

static void test_parse(void **state)
{
    (void)state;
    struct visit_rules r;
    assert_int_equal(visit_rules_parse("elderly_alone=3, veteran = 60", &r), 0);
    assert_int_equal(r.days[VISIT_TAG_ELDERLY_ALONE], 3);
    assert_int_equal(r.days[VISIT_TAG_VETERAN], 60);
    assert_int_equal(r.days[VISIT_TAG_SERIOUS_ILLNESS], 30); /* untouched: the default */
    assert_int_equal(visit_rules_parse("", &r), 0);
    assert_int_equal(r.days[VISIT_TAG_ELDERLY_ALONE], 7);
    assert_int_equal(visit_rules_parse(NULL, &r), 0);
    assert_int_equal(visit_rules_parse("elderly_alone=3,", &r), 0);
    r.days[0] = 99;
    static const char *const bad[] = {"elderly_alone",     "elderly_alone=0", "elderly_alone=366",
                                      "elderly_alone=x",   "student=7",       "=7",
                                      "elderly_alone=7;veteran=1",            "elderly_alone=7 8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (visit_rules_parse(bad[i], &r) != -GG_EINVAL)
            fail_msg("\"%s\" was accepted", bad[i]);
    assert_int_equal(r.days[0], 99); /* untouched on failure */
}

static void test_interval(void **state)
{
    (void)state;
    struct visit_rules r;
    visit_rules_default(&r);
    assert_int_equal(visit_interval_days(&r, 0), 0);
    assert_int_equal(visit_interval_days(&r, BIT(SERIOUS_ILLNESS)), 30);
    assert_int_equal(visit_interval_days(&r, BIT(SERIOUS_ILLNESS) | BIT(ELDERLY_ALONE)), 7);
    assert_int_equal(visit_interval_days(&r, BIT(VETERAN) | BIT(CORRECTIONS)), 14);
    assert_int_equal(visit_interval_days(&r, 1u << 31), 0); /* unknown bits are ignored */
}

static void test_state(void **state)
{
    (void)state;
    int64_t due = -1;
    const int64_t last = 1000 * DAY;
    assert_int_equal(visit_state_at(last, 7, last, &due), VISIT_STATE_OK);
    assert_int_equal(due, last + 7 * DAY);
    assert_int_equal(visit_state_at(last, 7, last + 5 * DAY - 1, &due), VISIT_STATE_OK);
    assert_int_equal(visit_state_at(last, 7, last + 5 * DAY, &due), VISIT_STATE_DUE);
    assert_int_equal(visit_state_at(last, 7, last + 7 * DAY, &due), VISIT_STATE_DUE);
    assert_int_equal(visit_state_at(last, 7, last + 7 * DAY + 1, &due), VISIT_STATE_OVERDUE);
    /* a one-day interval: due from the visit on */
    assert_int_equal(visit_state_at(last, 1, last, &due), VISIT_STATE_DUE);
    assert_int_equal(visit_state_at(last, 0, last + 400 * DAY, &due), VISIT_STATE_OK);
    assert_int_equal(due, 0);
    assert_string_equal(visit_state_id(VISIT_STATE_OVERDUE), "overdue");
    assert_string_equal(visit_state_id(VISIT_STATE__COUNT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_interval),
        cmocka_unit_test(test_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
