/* bench_locate.c - location → grid through the spatial index, against a linear scan over the
 * same shapes in the same run (the baseline). A lattice of 10,000 grids (100 × 100, each an
 * irregular pentagon, every tenth with a hole), one million random points. Prints ns/point and
 * the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"
#include "core/geo.h"

#define SIDE 100
#define POINTS 1000000
#define SCAN_POINTS 20000

static uint64_t rng = 88172645463325252ULL;
static double frand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / (double)(1ULL << 53);
}

static void ring(struct geo_ring *r, const double *xy, size_t n)
{
    r->xy = malloc(2 * n * sizeof *r->xy);
    memcpy(r->xy, xy, 2 * n * sizeof *r->xy);
    r->n_pts = n;
}

static void make_shape(struct geo_shape *s, int i, int j, double cell)
{
    double x0 = 125.2 + i * cell, y0 = 43.8 + j * cell;
    double outer[] = {x0, y0, x0 + cell, y0, x0 + cell, y0 + cell * 0.6, x0 + cell * 0.5,
                      y0 + cell, x0, y0 + cell, x0, y0};
    memset(s, 0, sizeof *s);
    s->polys = calloc(1, sizeof *s->polys);
    s->n_polys = 1;
    struct geo_polygon *p = s->polys;
    p->n_rings = (i * SIDE + j) % 10 == 0 ? 2 : 1;
    p->rings = calloc(p->n_rings, sizeof *p->rings);
    ring(&p->rings[0], outer, 6);
    if (p->n_rings == 2) {
        double q = cell * 0.3;
        double hole[] = {x0 + q, y0 + q, x0 + 2 * q, y0 + q, x0 + 2 * q, y0 + 2 * q,
                         x0 + q, y0 + 2 * q, x0 + q, y0 + q};
        ring(&p->rings[1], hole, 5);
    }
    geo_shape_bbox(s);
}

int main(void)
{
    const double cell = 0.004; /* about 330 m × 440 m */
    struct geo_index *ix = geo_index_new();
    struct geo_shape *copies = calloc(SIDE * SIDE, sizeof *copies);
    for (int i = 0; i < SIDE; i++)
        for (int j = 0; j < SIDE; j++) {
            struct geo_shape s;
            make_shape(&s, i, j, cell);
            make_shape(&copies[i * SIDE + j], i, j, cell);
            geo_index_add(ix, (int64_t)(i * SIDE + j) + 1, 4, &s);
        }
    uint64_t t0 = gg_time_mono_ns();
    geo_index_build(ix);
    uint64_t build_ns = gg_time_mono_ns() - t0;

    double *pts = malloc(2 * POINTS * sizeof *pts);
    for (int k = 0; k < POINTS; k++) {
        pts[2 * k] = 43.79 + frand() * (SIDE * cell + 0.02);
        pts[2 * k + 1] = 125.19 + frand() * (SIDE * cell + 0.02);
    }
    int64_t found = 0;
    t0 = gg_time_mono_ns();
    for (int k = 0; k < POINTS; k++)
        found += geo_index_locate(ix, pts[2 * k], pts[2 * k + 1]) != 0;
    double idx_ns = (double)(gg_time_mono_ns() - t0) / POINTS;

    /* baseline: test every shape's bbox then the polygon, deepest-first order is moot here */
    int64_t found_scan = 0, agree = 0;
    t0 = gg_time_mono_ns();
    for (int k = 0; k < SCAN_POINTS; k++) {
        double lat = pts[2 * k], lon = pts[2 * k + 1];
        int64_t id = 0;
        for (int g = 0; g < SIDE * SIDE && !id; g++) {
            const struct geo_shape *s = &copies[g];
            if (lon < s->min_lon || lon > s->max_lon || lat < s->min_lat || lat > s->max_lat)
                continue;
            if (geo_shape_contains(s, lat, lon))
                id = g + 1;
        }
        found_scan += id != 0;
        agree += id == geo_index_locate(ix, lat, lon);
    }
    double scan_ns = (double)(gg_time_mono_ns() - t0) / SCAN_POINTS;

    printf("locate: %d grids (index built in %.1f ms), %d points\n", SIDE * SIDE,
           build_ns / 1e6, POINTS);
    printf("  spatial index   %8.0f ns/point   (%.1f%% of points inside a grid)\n", idx_ns,
           100.0 * found / POINTS);
    printf("  linear scan     %8.0f ns/point   (baseline, %d points)\n", scan_ns, SCAN_POINTS);
    printf("  speed-up        %8.0f x          (answers agree on %lld/%d points)\n",
           scan_ns / idx_ns, (long long)agree, SCAN_POINTS);
    printf("  target < 2000 ns/point: %s\n", idx_ns < 2000 ? "met" : "NOT met");
    for (int g = 0; g < SIDE * SIDE; g++)
        geo_shape_release(&copies[g]);
    free(copies);
    free(pts);
    geo_index_free(ix);
    return agree == SCAN_POINTS ? 0 : 1;
}
