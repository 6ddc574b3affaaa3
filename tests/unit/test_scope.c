/* test_scope.c - subtree tests, index range bounds and id parsing on materialised paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/scope.h"

static void test_covers(void **st)
{
    (void)st;
    assert_true(scope_covers("/1/", "/1/"));
    assert_true(scope_covers("/1/", "/1/5/"));
    assert_true(scope_covers("/1/5/", "/1/5/23/"));
    assert_true(scope_covers("/1/5/", "/1/5/23/99/"));
    assert_false(scope_covers("/1/5/", "/1/"));
    assert_false(scope_covers("/1/5/", "/1/6/"));
    /* the trailing slash keeps /1/5/ from covering /1/50/ */
    assert_false(scope_covers("/1/5/", "/1/50/"));
    assert_false(scope_covers("/1/5/", "/1/55/23/"));
    assert_false(scope_covers("/2/", "/1/2/"));
    /* an empty scope covers nothing (a user without a scope sees nothing) */
    assert_false(scope_covers("", "/1/"));
    assert_false(scope_covers("", ""));
    assert_false(scope_covers("/1/", ""));
}

static void test_upper_bound(void **st)
{
    (void)st;
    char up[64];
    scope_upper_bound("/1/5/", up, sizeof up);
    assert_string_equal(up, "/1/50");
    /* every path of the subtree is in [prefix, upper), siblings are not */
    static const char *const inside[] = {"/1/5/", "/1/5/23/", "/1/5/999999/1/"};
    static const char *const outside[] = {"/1/50/", "/1/6/", "/1/4/", "/1/", "/1/5", "/2/"};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        assert_true(strcmp(inside[i], "/1/5/") >= 0);
        assert_true(strcmp(inside[i], up) < 0);
    }
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++)
        assert_false(strcmp(outside[i], "/1/5/") >= 0 && strcmp(outside[i], up) < 0);

    scope_upper_bound("/", up, sizeof up);
    assert_string_equal(up, "0");
    scope_upper_bound("", up, sizeof up);
    assert_string_equal(up, "");
}

static void test_path_ids(void **st)
{
    (void)st;
    int64_t ids[8];
    assert_int_equal(scope_path_ids("/1/5/23/", ids, 8), 3);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 5);
    assert_int_equal(ids[2], 23);

    assert_int_equal(scope_path_ids("/9007199254740993/", ids, 8), 1);
    assert_int_equal(ids[0], 9007199254740993LL);

    assert_int_equal(scope_path_ids("", ids, 8), 0);
    assert_int_equal(scope_path_ids("/", ids, 8), 0);
    assert_int_equal(scope_path_ids("/1/2/3/4/", ids, 2), 2); /* capped at max */
    assert_int_equal(ids[1], 2);
    assert_int_equal(scope_path_ids("/1/x/3/", ids, 8), 1);   /* stops at garbage */
    assert_int_equal(scope_path_ids("/1/2/3/", ids, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_upper_bound),
        cmocka_unit_test(test_path_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
