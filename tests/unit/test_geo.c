/* test_geo.c - point-in-polygon (convex, concave, holes, multipolygons, edges and vertices),
 * validation, centroid, distance and the spatial index (nesting, ties, rebuilds), plus a
 * randomised comparison of the index with a brute-force scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Builds a one-polygon shape from rings given as (x, y) arrays; n[r] points in ring r. */
static struct geo_shape poly(size_t n_rings, const double *const *rings, const size_t *n)
{
    struct geo_shape s = {0};
    s.polys = calloc(1, sizeof *s.polys);
    assert_non_null(s.polys);
    s.n_polys = 1;
    s.polys[0].rings = calloc(n_rings, sizeof *s.polys[0].rings);
    assert_non_null(s.polys[0].rings);
    s.polys[0].n_rings = n_rings;
    for (size_t r = 0; r < n_rings; r++) {
        struct geo_ring *rg = &s.polys[0].rings[r];
        rg->xy = malloc(2 * n[r] * sizeof(double));
        assert_non_null(rg->xy);
        memcpy(rg->xy, rings[r], 2 * n[r] * sizeof(double));
        rg->n_pts = n[r];
    }
    geo_shape_bbox(&s);
    return s;
}

static struct geo_shape rect(double x0, double y0, double x1, double y1)
{
    double r[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
    const double *rings[] = {r};
    size_t n[] = {5};
    return poly(1, rings, n);
}

/* Appends the polygons of b to a (a MultiPolygon); b is consumed. */
static void merge(struct geo_shape *a, struct geo_shape *b)
{
    struct geo_polygon *p = realloc(a->polys, (a->n_polys + b->n_polys) * sizeof *p);
    assert_non_null(p);
    memcpy(p + a->n_polys, b->polys, b->n_polys * sizeof *p);
    a->polys = p;
    a->n_polys += b->n_polys;
    free(b->polys);
    memset(b, 0, sizeof *b);
    geo_shape_bbox(a);
}

static void test_square(void **state)
{
    struct geo_shape s = rect(0, 0, 10, 10);
    assert_true(geo_shape_contains(&s, 5, 5));
    assert_false(geo_shape_contains(&s, 5, 11));
    assert_false(geo_shape_contains(&s, -0.001, 5));
    assert_false(geo_shape_contains(&s, 5, 10.0001));
    /* edges and vertices count as inside */
    assert_true(geo_shape_contains(&s, 5, 10));
    assert_true(geo_shape_contains(&s, 0, 5));
    assert_true(geo_shape_contains(&s, 10, 3));
    assert_true(geo_shape_contains(&s, 0, 0));
    assert_true(geo_shape_contains(&s, 10, 10));
    assert_true(geo_shape_contains(&s, 0, 10));
    assert_true(s.min_lon == 0 && s.min_lat == 0 && s.max_lon == 10 && s.max_lat == 10);
    geo_shape_release(&s);
    assert_null(s.polys);
    geo_shape_release(NULL);
}

static void test_unclosed_ring(void **state)
{
    double r[] = {0, 0, 4, 0, 4, 4, 0, 4}; /* closing point not repeated */
    const double *rings[] = {r};
    size_t n[] = {4};
    struct geo_shape s = poly(1, rings, n);
    assert_int_equal(geo_shape_validate(&s, NULL, 0), 0);
    assert_true(geo_shape_contains(&s, 2, 2));
    assert_true(geo_shape_contains(&s, 2, 0)); /* on the implicit closing edge */
    assert_false(geo_shape_contains(&s, 2, -0.5));
    geo_shape_release(&s);
}

static void test_concave(void **state)
{
    /* a U: the notch between x 3..7 above y 3 is outside */
    double r[] = {0, 0, 10, 0, 10, 10, 7, 10, 7, 3, 3, 3, 3, 10, 0, 10, 0, 0};
    const double *rings[] = {r};
    size_t n[] = {9};
    struct geo_shape s = poly(1, rings, n);
    assert_false(geo_shape_contains(&s, 5, 5));  /* lat 5, lon 5: in the notch */
    assert_false(geo_shape_contains(&s, 9.9, 5)); /* top of the notch */
    assert_true(geo_shape_contains(&s, 8, 1));
    assert_true(geo_shape_contains(&s, 8, 8));
    assert_true(geo_shape_contains(&s, 2, 5));
    assert_true(geo_shape_contains(&s, 3, 5)); /* on the notch's floor */
    assert_true(geo_shape_contains(&s, 6, 3)); /* on the notch's wall */
    assert_true(geo_shape_contains(&s, 3, 3)); /* reflex vertex */
    /* a ray from the notch crosses the right arm twice: still outside */
    assert_false(geo_shape_contains(&s, 7, 5));
    geo_shape_release(&s);
}

static void test_hole(void **state)
{
    double outer[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
    double hole[] = {4, 4, 6, 4, 6, 6, 4, 6, 4, 4};
    const double *rings[] = {outer, hole};
    size_t n[] = {5, 5};
    struct geo_shape s = poly(2, rings, n);
    assert_int_equal(geo_shape_validate(&s, NULL, 0), 0);
    assert_false(geo_shape_contains(&s, 5, 5)); /* in the hole */
    assert_false(geo_shape_contains(&s, 4.5, 5.5));
    assert_true(geo_shape_contains(&s, 2, 2));
    assert_true(geo_shape_contains(&s, 5, 8));
    assert_true(geo_shape_contains(&s, 5, 4)); /* on the hole's edge = the polygon's edge */
    assert_true(geo_shape_contains(&s, 6, 6)); /* the hole's vertex */
    assert_false(geo_shape_contains(&s, 5, 12));
    geo_shape_release(&s);
}

static void test_multipolygon(void **state)
{
    struct geo_shape a = rect(0, 0, 1, 1), b = rect(5, 5, 6, 6);
    merge(&a, &b);
    assert_int_equal(a.n_polys, 2);
    assert_true(geo_shape_contains(&a, 0.5, 0.5));
    assert_true(geo_shape_contains(&a, 5.5, 5.5));
    assert_false(geo_shape_contains(&a, 3, 3)); /* inside the bbox, between the parts */
    assert_true(a.min_lon == 0 && a.max_lon == 6 && a.max_lat == 6);
    assert_int_equal(geo_shape_validate(&a, NULL, 0), 0);
    geo_shape_release(&a);
}

static void test_validate(void **state)
{
    char msg[128];
    struct geo_shape empty = {0};
    assert_int_equal(geo_shape_validate(&empty, msg, sizeof msg), -GG_EINVAL);
    assert_true(strlen(msg) > 0);
    assert_int_equal(geo_shape_validate(NULL, NULL, 0), -GG_EINVAL);

    double tri_closed[] = {0, 0, 1, 0, 0, 0}; /* closed, 3 points */
    double tri_open[] = {0, 0, 1, 0, 0, 1};   /* 3 distinct points, not closed: fine */
    double dup[] = {0, 0, 1, 1, 1, 1, 0, 0};  /* closed, 4 points, only 2 distinct */
    double nan_pt[] = {0, 0, NAN, 0, 1, 1, 0, 0};
    double far_lat[] = {0, 0, 1, 91, 1, 1, 0, 0};
    double far_lon[] = {0, 0, 181, 0, 1, 1, 0, 0};
    double ok[] = {125.3, 43.8, 125.4, 43.8, 125.4, 43.9, 125.3, 43.8};
    struct {
        const double *xy;
        size_t n;
        int rc;
    } cases[] = {
        {tri_closed, 3, -GG_EINVAL}, {tri_open, 3, 0},         {dup, 4, -GG_EINVAL},
        {nan_pt, 4, -GG_EINVAL},     {far_lat, 4, -GG_EINVAL}, {far_lon, 4, -GG_EINVAL},
        {ok, 4, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const double *rings[] = {cases[i].xy};
        size_t n[] = {cases[i].n};
        struct geo_shape s = poly(1, rings, n);
        msg[0] = 'x';
        int rc = geo_shape_validate(&s, msg, sizeof msg);
        assert_int_equal(rc, cases[i].rc);
        if (rc)
            assert_true(strlen(msg) > 0);
        geo_shape_release(&s);
    }
}

static void test_centroid_distance(void **state)
{
    double lat, lon;
    struct geo_shape s = rect(125, 43, 127, 45);
    geo_shape_centroid(&s, &lat, &lon);
    assert_true(fabs(lat - 44) < 1e-9 && fabs(lon - 126) < 1e-9);
    geo_shape_release(&s);
    /* triangle (0,0) (6,0) (0,3): centroid (2, 1) */
    double tri[] = {0, 0, 6, 0, 0, 3, 0, 0};
    const double *rings[] = {tri};
    size_t n[] = {4};
    s = poly(1, rings, n);
    geo_shape_centroid(&s, &lat, &lon);
    assert_true(fabs(lon - 2) < 1e-9 && fabs(lat - 1) < 1e-9);
    geo_shape_release(&s);

    assert_true(geo_distance_m(43.88, 125.32, 43.88, 125.32) == 0);
    double one_deg = geo_distance_m(0, 0, 1, 0);
    assert_true(fabs(one_deg - 111195) < 10);
    /* Beijing - Shanghai, about 1068 km */
    double bs = geo_distance_m(39.9042, 116.4074, 31.2304, 121.4737);
    assert_true(bs > 1060000 && bs < 1075000);
    assert_true(fabs(geo_distance_m(10, 20, 30, 40) - geo_distance_m(30, 40, 10, 20)) < 1e-6);

    assert_true(geo_latlon_valid(43.88, 125.32));
    assert_true(geo_latlon_valid(-90, -180));
    assert_false(geo_latlon_valid(90.1, 0));
    assert_false(geo_latlon_valid(0, -180.5));
    assert_false(geo_latlon_valid(NAN, 0));
    assert_false(geo_latlon_valid(0, INFINITY));
}

static void add_rect(struct geo_index *ix, int64_t id, int depth, double x0, double y0, double x1,
                     double y1)
{
    struct geo_shape s = rect(x0, y0, x1, y1);
    assert_int_equal(geo_index_add(ix, id, depth, &s), 0);
    assert_null(s.polys); /* the index took it */
    assert_int_equal(s.n_polys, 0);
}

static void test_index_nested(void **state)
{
    struct geo_index *ix = geo_index_new();
    assert_non_null(ix);
    /* added shallow-first and deep-first to show order does not matter */
    add_rect(ix, 3, 5, 1, 1, 2, 2);     /* grandchild */
    add_rect(ix, 1, 3, 0, 0, 10, 10);   /* parent */
    add_rect(ix, 2, 4, 0, 0, 5, 5);     /* child */
    add_rect(ix, 4, 3, 10, 0, 20, 10);  /* sibling sharing the edge x = 10 */
    add_rect(ix, 5, 3, 12, 2, 14, 4);   /* same depth as 4 but smaller: wins the tie */
    assert_int_equal(geo_index_count(ix), 5);
    assert_int_equal(geo_index_build(ix), 0);

    assert_int_equal(geo_index_locate(ix, 1.5, 1.5), 3);
    assert_int_equal(geo_index_locate(ix, 1, 1), 3); /* the grandchild's vertex */
    assert_int_equal(geo_index_locate(ix, 3, 3), 2);
    assert_int_equal(geo_index_locate(ix, 5, 2), 2); /* the child's edge */
    assert_int_equal(geo_index_locate(ix, 7, 7), 1);
    assert_int_equal(geo_index_locate(ix, 5, 15), 4);
    assert_int_equal(geo_index_locate(ix, 3, 13), 5);
    /* on the shared edge: equal depth and area, the one added first wins */
    assert_int_equal(geo_index_locate(ix, 8, 10), 1);
    /* outside everything */
    assert_int_equal(geo_index_locate(ix, 5, 25), 0);
    assert_int_equal(geo_index_locate(ix, -1, 5), 0);
    assert_int_equal(geo_index_locate(ix, 11, 5), 0);
    assert_int_equal(geo_index_locate(ix, NAN, 5), 0);
    geo_index_free(ix);
    geo_index_free(NULL);
}

static void test_index_gaps_and_holes(void **state)
{
    struct geo_index *ix = geo_index_new();
    double outer[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
    double hole[] = {4, 4, 6, 4, 6, 6, 4, 6, 4, 4};
    const double *rings[] = {outer, hole};
    size_t n[] = {5, 5};
    struct geo_shape s = poly(2, rings, n);
    assert_int_equal(geo_index_add(ix, 7, 3, &s), 0);
    add_rect(ix, 8, 3, 20, 20, 30, 30); /* leaves a gap inside the overall bbox */
    assert_int_equal(geo_index_build(ix), 0);
    assert_int_equal(geo_index_locate(ix, 5, 5), 0); /* in the hole */
    assert_int_equal(geo_index_locate(ix, 2, 2), 7);
    assert_int_equal(geo_index_locate(ix, 15, 15), 0); /* in the gap */
    assert_int_equal(geo_index_locate(ix, 25, 25), 8);
    assert_int_equal(geo_index_locate(ix, 30, 30), 8); /* the overall bbox's corner */
    geo_index_free(ix);
}

static void test_index_empty_and_rebuild(void **state)
{
    struct geo_index *ix = geo_index_new();
    assert_int_equal(geo_index_locate(ix, 1, 1), 0); /* never built */
    assert_int_equal(geo_index_build(ix), 0);
    assert_int_equal(geo_index_count(ix), 0);
    assert_int_equal(geo_index_locate(ix, 1, 1), 0);

    add_rect(ix, 1, 3, 0, 0, 2, 2);
    assert_int_equal(geo_index_build(ix), 0);
    assert_int_equal(geo_index_locate(ix, 1, 1), 1);
    /* adding after a build needs a new build; until then nothing is found */
    add_rect(ix, 2, 4, 0, 0, 1, 1);
    assert_int_equal(geo_index_locate(ix, 0.5, 0.5), 0);
    assert_int_equal(geo_index_build(ix), 0);
    assert_int_equal(geo_index_locate(ix, 0.5, 0.5), 2);
    assert_int_equal(geo_index_locate(ix, 1.5, 1.5), 1);

    struct geo_shape none = {0};
    assert_int_equal(geo_index_add(ix, 3, 1, &none), -GG_EINVAL);
    struct geo_shape s = rect(0, 0, 1, 1);
    assert_int_equal(geo_index_add(ix, 0, 1, &s), -GG_EINVAL); /* 0 means "none" */
    assert_non_null(s.polys);                                  /* not taken on failure */
    geo_shape_release(&s);
    geo_index_free(ix);
}

/* The single-shape index of a degenerate (zero-width) overall bbox still works. */
static void test_index_one_shape(void **state)
{
    struct geo_index *ix = geo_index_new();
    add_rect(ix, 9, 3, 125.3, 43.8, 125.31, 43.81);
    assert_int_equal(geo_index_build(ix), 0);
    assert_int_equal(geo_index_locate(ix, 43.805, 125.305), 9);
    assert_int_equal(geo_index_locate(ix, 43.805, 125.32), 0);
    geo_index_free(ix);
}

/* Random tiling with nested children: the index must agree with a brute-force scan. */
static void test_index_vs_brute_force(void **state)
{
    struct geo_index *ix = geo_index_new();
    enum { N = 20 };
    struct geo_shape all[N * N + 40];
    int depth[N * N + 40];
    size_t n = 0;
    srand(42);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            all[n] = rect(j, i, j + 1, i + 1);
            depth[n++] = 3;
        }
    for (int k = 0; k < 40; k++) {
        double x = rand() % N + 0.1, y = rand() % N + 0.1;
        all[n] = rect(x, y, x + 0.5, y + 0.5);
        depth[n++] = 4;
    }
    /* copies for the index; keep ours for brute force */
    for (size_t k = 0; k < n; k++) {
        struct geo_shape c = rect(all[k].min_lon, all[k].min_lat, all[k].max_lon, all[k].max_lat);
        assert_int_equal(geo_index_add(ix, (int64_t)k + 1, depth[k], &c), 0);
    }
    assert_int_equal(geo_index_build(ix), 0);
    for (int t = 0; t < 20000; t++) {
        double lon = -1 + (N + 2) * (rand() / (double)RAND_MAX);
        double lat = -1 + (N + 2) * (rand() / (double)RAND_MAX);
        int64_t want = 0;
        int best_depth = -1;
        for (size_t k = 0; k < n; k++)
            if (depth[k] > best_depth && geo_shape_contains(&all[k], lat, lon)) {
                want = (int64_t)k + 1;
                best_depth = depth[k];
            }
        assert_int_equal(geo_index_locate(ix, lat, lon), want);
    }
    for (size_t k = 0; k < n; k++)
        geo_shape_release(&all[k]);
    geo_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_square),
        cmocka_unit_test(test_unclosed_ring),
        cmocka_unit_test(test_concave),
        cmocka_unit_test(test_hole),
        cmocka_unit_test(test_multipolygon),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_centroid_distance),
        cmocka_unit_test(test_index_nested),
        cmocka_unit_test(test_index_gaps_and_holes),
        cmocka_unit_test(test_index_empty_and_rebuild),
        cmocka_unit_test(test_index_one_shape),
        cmocka_unit_test(test_index_vs_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
