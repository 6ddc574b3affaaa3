/* test_statlog.c - the counter log's record: round trip, compactness, and every malformed
 * record refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/statlog.h"

struct got {
    struct stat_delta d[8];
    struct stat_cat_delta c[8];
    size_t nd, nc;
};

static int on_daily(void *p, const struct stat_delta *d)
{
    struct got *g = p;
    if (g->nd == 8)
        return -GG_ETOOLARGE;
    g->d[g->nd++] = *d;
    return 0;
}

static int on_cat(void *p, const struct stat_cat_delta *c)
{
    struct got *g = p;
    if (g->nc == 8)
        return -GG_ETOOLARGE;
    g->c[g->nc++] = *c;
    return 0;
}

static void sample(struct stat_delta d[3], struct stat_cat_delta c[2])
{
    memset(d, 0, 3 * sizeof *d);
    memset(c, 0, 2 * sizeof *c);
    d[0] = (struct stat_delta){.org_id = 1, .day = 20415};
    d[0].v[STAT_TOTAL] = 3;
    d[0].v[STAT_ST_REPORTED] = -1; /* a status left */
    d[0].v[STAT_HANDLING_SECS] = (int64_t)1 << 40;
    d[1] = (struct stat_delta){.org_id = 987654321, .day = -3};
    d[1].v[STAT__COUNT - 1] = INT64_MIN;
    d[2] = (struct stat_delta){.org_id = 5, .day = 0}; /* all zero: kept as a row */
    c[0] = (struct stat_cat_delta){.org_id = 1, .day = 20415, .code = "0101", .n = 2};
    c[1] = (struct stat_cat_delta){.org_id = 42, .day = 20416, .code = "ZZ99xy", .n = -1};
}

static void test_round_trip(void **st)
{
    (void)st;
    struct stat_delta d[3];
    struct stat_cat_delta c[2];
    sample(d, c);
    size_t cap = statlog_bound(3, 2);
    unsigned char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n = statlog_encode(d, 3, c, 2, buf, cap);
    assert_true(n > 0 && n <= cap);
    struct got g = {0};
    assert_int_equal(statlog_decode(buf, n, on_daily, on_cat, &g), 0);
    assert_int_equal(g.nd, 3);
    assert_int_equal(g.nc, 2);
    assert_memory_equal(g.d, d, sizeof d);
    for (int i = 0; i < 2; i++) { /* field by field: the struct has padding */
        assert_int_equal(g.c[i].org_id, c[i].org_id);
        assert_int_equal(g.c[i].day, c[i].day);
        assert_string_equal(g.c[i].code, c[i].code);
        assert_int_equal(g.c[i].n, c[i].n);
    }
    /* sparse: a daily row costs its few metrics, not STAT__COUNT of them */
    assert_true(n < 80);
    /* too small a buffer: nothing claimed written */
    assert_int_equal(statlog_encode(d, 3, c, 2, buf, n - 1), 0);
    /* an empty record */
    n = statlog_encode(NULL, 0, NULL, 0, buf, cap);
    memset(&g, 0, sizeof g);
    assert_int_equal(statlog_decode(buf, n, on_daily, on_cat, &g), 0);
    assert_int_equal(g.nd + g.nc, 0);
    free(buf);
}

static void test_malformed(void **st)
{
    (void)st;
    struct stat_delta d[3];
    struct stat_cat_delta c[2];
    sample(d, c);
    unsigned char buf[512], bad[512];
    size_t n = statlog_encode(d, 3, c, 2, buf, sizeof buf);
    assert_true(n > 4);
    struct got g;
    /* every truncation */
    for (size_t cut = 0; cut < n; cut++) {
        memset(&g, 0, sizeof g);
        assert_int_equal(statlog_decode(buf, cut, on_daily, on_cat, &g), -GG_EINVAL);
    }
    /* a byte too many */
    memcpy(bad, buf, n);
    bad[n] = 0;
    memset(&g, 0, sizeof g);
    assert_int_equal(statlog_decode(bad, n + 1, on_daily, on_cat, &g), -GG_EINVAL);
    /* another format, another number of metrics */
    memcpy(bad, buf, n);
    bad[0] = 2;
    assert_int_equal(statlog_decode(bad, n, on_daily, on_cat, &g), -GG_EINVAL);
    memcpy(bad, buf, n);
    bad[1] = STAT__COUNT - 1;
    assert_int_equal(statlog_decode(bad, n, on_daily, on_cat, &g), -GG_EINVAL);
    /* a metric index out of range: record of one row with one metric */
    struct stat_delta one = {.org_id = 1, .day = 1};
    one.v[0] = 1;
    size_t m = statlog_encode(&one, 1, NULL, 0, bad, sizeof bad);
    /* format, count, nd=1, org 1 → 2, day 1 → 2, k=1, metric index at byte 6 */
    assert_int_equal(bad[6], 0);
    bad[6] = STAT__COUNT;
    assert_int_equal(statlog_decode(bad, m, on_daily, on_cat, &g), -GG_EINVAL);
    /* a code with a control character or of length zero */
    struct stat_cat_delta cc = {.org_id = 1, .day = 1, .code = "AB", .n = 1};
    m = statlog_encode(NULL, 0, &cc, 1, bad, sizeof bad);
    /* format, count, nd=0, nc=1, org, day, len=2 at byte 6, 'A' at byte 7 */
    assert_int_equal(bad[6], 2);
    bad[7] = 0x01;
    assert_int_equal(statlog_decode(bad, m, on_daily, on_cat, &g), -GG_EINVAL);
    m = statlog_encode(NULL, 0, &cc, 1, bad, sizeof bad);
    bad[6] = 0;
    assert_int_equal(statlog_decode(bad, m, on_daily, on_cat, &g), -GG_EINVAL);
    /* a varint that never ends */
    memset(bad, 0xff, 20);
    assert_int_equal(statlog_decode(bad, 20, on_daily, on_cat, &g), -GG_EINVAL);
    /* the callback's error stops decoding and is returned */
    memset(&g, 0, sizeof g);
    g.nd = 8;
    assert_int_equal(statlog_decode(buf, n, on_daily, on_cat, &g), -GG_ETOOLARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
