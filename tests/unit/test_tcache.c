/* test_tcache.c - the small TTL cache of base/: hits, misses, replacement, expiry, clear, and
 * the rule that a value read before a clear() is never stored after it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/tcache.h"

struct val {
    int64_t n;
    char s[16];
};

static void test_hit_miss(void **st)
{
    (void)st;
    struct gg_tcache *c = gg_tcache_new(100, sizeof(struct val), 60000);
    assert_non_null(c);
    struct val v = {42, "hello"}, out = {0};
    assert_false(gg_tcache_get(c, "k1", 2, &out));
    gg_tcache_put(c, "k1", 2, &v, gg_tcache_gen(c));
    assert_true(gg_tcache_get(c, "k1", 2, &out));
    assert_int_equal(out.n, 42);
    assert_string_equal(out.s, "hello");
    /* a key that is a prefix of another is a different key */
    assert_false(gg_tcache_get(c, "k", 1, &out));
    assert_false(gg_tcache_get(c, "k1x", 3, &out));
    /* put replaces */
    v.n = 7;
    gg_tcache_put(c, "k1", 2, &v, gg_tcache_gen(c));
    assert_true(gg_tcache_get(c, "k1", 2, &out));
    assert_int_equal(out.n, 7);
    gg_tcache_del(c, "k1", 2);
    assert_false(gg_tcache_get(c, "k1", 2, &out));
    /* keys longer than GG_TCACHE_KEY and empty keys are never cached */
    char big[GG_TCACHE_KEY + 1];
    memset(big, 'x', sizeof big);
    gg_tcache_put(c, big, sizeof big, &v, gg_tcache_gen(c));
    assert_false(gg_tcache_get(c, big, sizeof big, &out));
    gg_tcache_put(c, "", 0, &v, gg_tcache_gen(c));
    assert_false(gg_tcache_get(c, "", 0, &out));
    gg_tcache_free(c);
}

static void test_many_keys(void **st)
{
    (void)st;
    /* direct-mapped: with more keys than slots some are evicted, but a hit is always the value
     * put for that very key */
    struct gg_tcache *c = gg_tcache_new(64, sizeof(int64_t), 60000);
    for (int64_t k = 0; k < 1000; k++)
        gg_tcache_put(c, &k, sizeof k, &k, gg_tcache_gen(c));
    int hits = 0;
    for (int64_t k = 0; k < 1000; k++) {
        int64_t out = -1;
        if (gg_tcache_get(c, &k, sizeof k, &out)) {
            assert_int_equal(out, k);
            hits++;
        }
    }
    assert_true(hits > 0 && hits <= 64);
    gg_tcache_free(c);
}

static void test_expiry(void **st)
{
    (void)st;
    struct gg_tcache *c = gg_tcache_new(16, sizeof(int), 30);
    int v = 1, out = 0;
    gg_tcache_put(c, "a", 1, &v, gg_tcache_gen(c));
    assert_true(gg_tcache_get(c, "a", 1, &out));
    struct timespec ts = {0, 60 * 1000 * 1000};
    nanosleep(&ts, NULL);
    assert_false(gg_tcache_get(c, "a", 1, &out));
    gg_tcache_free(c);
}

static void test_clear_and_generation(void **st)
{
    (void)st;
    struct gg_tcache *c = gg_tcache_new(16, sizeof(int), 60000);
    int v = 1, out = 0;
    gg_tcache_put(c, "a", 1, &v, gg_tcache_gen(c));
    gg_tcache_clear(c);
    assert_false(gg_tcache_get(c, "a", 1, &out));
    /* a value read from the source before a clear is not stored after it */
    uint64_t before = gg_tcache_gen(c);
    gg_tcache_clear(c);
    gg_tcache_put(c, "b", 1, &v, before);
    assert_false(gg_tcache_get(c, "b", 1, &out));
    gg_tcache_put(c, "b", 1, &v, gg_tcache_gen(c));
    assert_true(gg_tcache_get(c, "b", 1, &out));
    gg_tcache_free(c);
    gg_tcache_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_miss),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_clear_and_generation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
