/* geo.c - point-in-polygon (holes, multipolygons, edges count as inside) and the spatial index
 * that places a point in the deepest grid containing it.
 *
 * The index is a uniform grid of buckets laid over the bounding box of all shapes, about one
 * bucket per shape; each bucket lists the shapes whose bbox overlaps it, pre-sorted so that the
 * first shape found to contain the point is the answer (deepest first, then smaller bbox area,
 * then the one added first). After geo_index_build() nothing is written, so any number of
 * threads may call geo_index_locate() without locks. Adding a shape after a build drops the
 * buckets: the index answers 0 until geo_index_build() is called again (and that must not race
 * with readers: build a new index and swap it instead). Not for geodesy: coordinates are
 * treated as planar, which is fine at grid scale. No I/O, no JSON. */
#include "core/geo.h"
#include "base/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tolerance, in degrees, for "on the edge": about 0.1 mm on the ground. */
#define EDGE_EPS 1e-9

void geo_shape_release(struct geo_shape *s)
{
    if (!s)
        return;
    for (size_t p = 0; p < s->n_polys && s->polys; p++) {
        struct geo_polygon *pg = &s->polys[p];
        for (size_t r = 0; r < pg->n_rings && pg->rings; r++)
            free(pg->rings[r].xy);
        free(pg->rings);
    }
    free(s->polys);
    memset(s, 0, sizeof *s);
}

void geo_shape_bbox(struct geo_shape *s)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t p = 0; p < s->n_polys; p++) {
        const struct geo_polygon *pg = &s->polys[p];
        for (size_t r = 0; r < pg->n_rings; r++) {
            const struct geo_ring *rg = &pg->rings[r];
            for (size_t i = 0; i < rg->n_pts; i++) {
                double x = rg->xy[2 * i], y = rg->xy[2 * i + 1];
                x0 = x < x0 ? x : x0;
                x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0;
                y1 = y > y1 ? y : y1;
            }
        }
    }
    if (x0 > x1 || y0 > y1) /* no points at all */
        x0 = y0 = x1 = y1 = 0;
    s->min_lon = x0;
    s->min_lat = y0;
    s->max_lon = x1;
    s->max_lat = y1;
}

static int fail(char *msg, size_t msz, const char *what, size_t p, size_t r)
{
    if (msg && msz)
        snprintf(msg, msz, "polygon %zu ring %zu: %s", p, r, what);
    return -GG_EINVAL;
}

static int check_ring(const struct geo_ring *rg, char *msg, size_t msz, size_t p, size_t r)
{
    if (!rg->xy || rg->n_pts == 0)
        return fail(msg, msz, "ring has no points", p, r);
    for (size_t i = 0; i < rg->n_pts; i++) {
        double x = rg->xy[2 * i], y = rg->xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            return fail(msg, msz, "coordinate is not a finite number", p, r);
        if (!geo_latlon_valid(y, x))
            return fail(msg, msz, "coordinate out of range", p, r);
    }
    size_t n = rg->n_pts;
    const double *xy = rg->xy;
    bool closed = n > 1 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1];
    if (closed && n < 4)
        return fail(msg, msz, "closed ring needs at least 4 points", p, r);
    /* distinct vertices, ignoring the closing repeat and consecutive duplicates */
    size_t m = closed ? n - 1 : n, distinct = 1;
    for (size_t i = 1; i < m; i++)
        if (xy[2 * i] != xy[2 * (i - 1)] || xy[2 * i + 1] != xy[2 * (i - 1) + 1])
            distinct++;
    if (distinct < 3)
        return fail(msg, msz, "ring needs at least 3 distinct points", p, r);
    return 0;
}

int geo_shape_validate(const struct geo_shape *s, char *msg, size_t msz)
{
    if (msg && msz)
        msg[0] = '\0';
    if (!s || !s->polys || s->n_polys == 0) {
        if (msg && msz)
            snprintf(msg, msz, "shape has no polygons");
        return -GG_EINVAL;
    }
    for (size_t p = 0; p < s->n_polys; p++) {
        const struct geo_polygon *pg = &s->polys[p];
        if (!pg->rings || pg->n_rings == 0)
            return fail(msg, msz, "polygon has no rings", p, 0);
        for (size_t r = 0; r < pg->n_rings; r++) {
            int rc = check_ring(&pg->rings[r], msg, msz, p, r);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Is (x, y) on the segment a-b (within EDGE_EPS)? */
static bool on_segment(double x, double y, double ax, double ay, double bx, double by)
{
    double lo_x = ax < bx ? ax : bx, hi_x = ax < bx ? bx : ax;
    double lo_y = ay < by ? ay : by, hi_y = ay < by ? by : ay;
    if (x < lo_x - EDGE_EPS || x > hi_x + EDGE_EPS || y < lo_y - EDGE_EPS || y > hi_y + EDGE_EPS)
        return false;
    double dx = bx - ax, dy = by - ay;
    double cross = dx * (y - ay) - dy * (x - ax);
    double len = sqrt(dx * dx + dy * dy);
    if (len == 0)
        return fabs(x - ax) <= EDGE_EPS && fabs(y - ay) <= EDGE_EPS;
    return fabs(cross) <= EDGE_EPS * len;
}

/* 1 inside, 0 on the boundary, -1 outside. Works whether or not the ring repeats its first
 * point: the implicit closing edge of a repeated ring has zero length and changes nothing. */
static int ring_test(const struct geo_ring *rg, double x, double y)
{
    size_t n = rg->n_pts;
    const double *xy = rg->xy;
    bool in = false;
    if (n < 3)
        return -1;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
        if (on_segment(x, y, xj, yj, xi, yi))
            return 0;
        if ((yi > y) != (yj > y)) {
            double xc = xi + (y - yi) * (xj - xi) / (yj - yi);
            if (x < xc)
                in = !in;
        }
    }
    return in ? 1 : -1;
}

static bool polygon_contains(const struct geo_polygon *pg, double x, double y)
{
    if (pg->n_rings == 0 || ring_test(&pg->rings[0], x, y) < 0)
        return false;
    for (size_t r = 1; r < pg->n_rings; r++)
        if (ring_test(&pg->rings[r], x, y) > 0) /* a hole's edge is still the polygon's edge */
            return false;
    return true;
}

bool geo_shape_contains(const struct geo_shape *s, double lat, double lon)
{
    if (!s)
        return false;
    for (size_t p = 0; p < s->n_polys; p++)
        if (polygon_contains(&s->polys[p], lon, lat))
            return true;
    return false;
}

void geo_shape_centroid(const struct geo_shape *s, double *lat, double *lon)
{
    *lat = *lon = 0;
    if (!s || s->n_polys == 0 || s->polys[0].n_rings == 0)
        return;
    const struct geo_ring *rg = &s->polys[0].rings[0];
    size_t n = rg->n_pts;
    if (n == 0)
        return;
    /* shift to the first vertex to keep the products small and precise */
    double ox = rg->xy[0], oy = rg->xy[1];
    double a2 = 0, cx = 0, cy = 0, mx = 0, my = 0;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        double xj = rg->xy[2 * j] - ox, yj = rg->xy[2 * j + 1] - oy;
        double xi = rg->xy[2 * i] - ox, yi = rg->xy[2 * i + 1] - oy;
        double c = xj * yi - xi * yj;
        a2 += c;
        cx += (xj + xi) * c;
        cy += (yj + yi) * c;
        mx += xi;
        my += yi;
    }
    if (fabs(a2) < 1e-18) { /* degenerate ring: mean of its vertices */
        *lon = ox + mx / (double)n;
        *lat = oy + my / (double)n;
        return;
    }
    *lon = ox + cx / (3 * a2);
    *lat = oy + cy / (3 * a2);
}

double geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371008.8, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
    double h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2;
    if (h > 1)
        h = 1;
    return 2 * r * asin(sqrt(h));
}

bool geo_latlon_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 &&
           lon <= 180;
}

/* ---- spatial index ---- */

struct entry {
    int64_t id;
    int depth;
    double area; /* bbox area, for ties between equally deep shapes */
    struct geo_shape shape;
};

struct geo_index {
    struct entry *e;
    size_t n, cap;
    bool built;
    /* buckets: cell (cx, cy) lists items[start[c] .. start[c+1]) */
    double x0, y0, x1, y1, inv_w, inv_h;
    size_t nx, ny;
    size_t *start;
    uint32_t *items;
};

struct geo_index *geo_index_new(void)
{
    return calloc(1, sizeof(struct geo_index));
}

static void drop_buckets(struct geo_index *ix)
{
    free(ix->start);
    free(ix->items);
    ix->start = NULL;
    ix->items = NULL;
    ix->built = false;
}

void geo_index_free(struct geo_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->n; i++)
        geo_shape_release(&ix->e[i].shape);
    free(ix->e);
    drop_buckets(ix);
    free(ix);
}

int geo_index_add(struct geo_index *ix, int64_t id, int depth, struct geo_shape *shape)
{
    if (!ix || !shape || shape->n_polys == 0 || !shape->polys || id == 0)
        return -GG_EINVAL;
    if (ix->n >= UINT32_MAX - 1)
        return -GG_ETOOLARGE;
    if (ix->n == ix->cap) {
        size_t cap = ix->cap ? ix->cap * 2 : 64;
        struct entry *e = realloc(ix->e, cap * sizeof *e);
        if (!e)
            return -GG_ENOMEM;
        ix->e = e;
        ix->cap = cap;
    }
    drop_buckets(ix); /* the index must be built again */
    struct entry *en = &ix->e[ix->n++];
    geo_shape_bbox(shape);
    en->id = id;
    en->depth = depth;
    en->area = (shape->max_lon - shape->min_lon) * (shape->max_lat - shape->min_lat);
    en->shape = *shape;
    memset(shape, 0, sizeof *shape);
    return 0;
}

size_t geo_index_count(const struct geo_index *ix)
{
    return ix ? ix->n : 0;
}

/* Scan order of a bucket: deepest first, then smaller bbox area, then added first; the first
 * containing shape found is the answer. */
struct key {
    int depth;
    double area;
    uint32_t idx;
};

static int cmp_keys(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    if (a->depth != b->depth)
        return a->depth > b->depth ? -1 : 1;
    if (a->area != b->area)
        return a->area < b->area ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static size_t cell_of(double v, double v0, double inv, size_t n)
{
    double c = (v - v0) * inv;
    if (!(c > 0))
        return 0;
    if (c >= (double)n)
        return n - 1;
    return (size_t)c;
}

/* Sorts the entries once into scan order, so each bucket (filled in entry order) is sorted. */
static int sort_entries(struct geo_index *ix)
{
    struct key *k = malloc(ix->n * sizeof *k);
    struct entry *e = malloc(ix->n * sizeof *e);
    if (!k || !e) {
        free(k);
        free(e);
        return -GG_ENOMEM;
    }
    for (size_t i = 0; i < ix->n; i++)
        k[i] = (struct key){ix->e[i].depth, ix->e[i].area, (uint32_t)i};
    qsort(k, ix->n, sizeof *k, cmp_keys);
    for (size_t i = 0; i < ix->n; i++)
        e[i] = ix->e[k[i].idx];
    free(ix->e);
    free(k);
    ix->e = e;
    ix->cap = ix->n;
    return 0;
}

int geo_index_build(struct geo_index *ix)
{
    if (!ix)
        return -GG_EINVAL;
    drop_buckets(ix);
    if (ix->n == 0) {
        ix->built = true; /* locate answers 0 */
        return 0;
    }
    int rc = sort_entries(ix);
    if (rc)
        return rc;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < ix->n; i++) {
        const struct geo_shape *s = &ix->e[i].shape;
        x0 = s->min_lon < x0 ? s->min_lon : x0;
        y0 = s->min_lat < y0 ? s->min_lat : y0;
        x1 = s->max_lon > x1 ? s->max_lon : x1;
        y1 = s->max_lat > y1 ? s->max_lat : y1;
    }
    double w = x1 - x0, h = y1 - y0;
    /* about one cell per shape, square-ish cells, at most 2048 a side */
    double cells = (double)ix->n, nx = 1, ny = 1;
    if (w > 0 && h > 0) {
        nx = ceil(sqrt(cells * w / h));
        ny = ceil(cells / nx);
    } else if (w > 0) {
        nx = cells;
    } else if (h > 0) {
        ny = cells;
    }
    ix->nx = (size_t)(nx < 1 ? 1 : nx > 2048 ? 2048 : nx);
    ix->ny = (size_t)(ny < 1 ? 1 : ny > 2048 ? 2048 : ny);
    ix->x0 = x0;
    ix->y0 = y0;
    ix->x1 = x1;
    ix->y1 = y1;
    ix->inv_w = w > 0 ? (double)ix->nx / w : 0;
    ix->inv_h = h > 0 ? (double)ix->ny / h : 0;

    size_t n_cells = ix->nx * ix->ny;
    ix->start = calloc(n_cells + 1, sizeof *ix->start);
    if (!ix->start)
        return -GG_ENOMEM;
    /* pass 1: count per cell (into start[c + 1]); pass 2: fill */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < ix->n; i++) {
            const struct geo_shape *s = &ix->e[i].shape;
            size_t cx0 = cell_of(s->min_lon, x0, ix->inv_w, ix->nx);
            size_t cx1 = cell_of(s->max_lon, x0, ix->inv_w, ix->nx);
            size_t cy0 = cell_of(s->min_lat, y0, ix->inv_h, ix->ny);
            size_t cy1 = cell_of(s->max_lat, y0, ix->inv_h, ix->ny);
            for (size_t cy = cy0; cy <= cy1; cy++)
                for (size_t cx = cx0; cx <= cx1; cx++) {
                    size_t c = cy * ix->nx + cx;
                    if (pass == 0)
                        ix->start[c + 1]++;
                    else
                        ix->items[ix->start[c + 1]++] = (uint32_t)i;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < n_cells; c++)
                ix->start[c + 1] += ix->start[c];
            ix->items = malloc((ix->start[n_cells] ? ix->start[n_cells] : 1) * sizeof *ix->items);
            if (!ix->items) {
                drop_buckets(ix);
                return -GG_ENOMEM;
            }
            /* shift so that start[c + 1] is the fill cursor of cell c, which begins at start[c] */
            memmove(ix->start + 1, ix->start, n_cells * sizeof *ix->start);
            ix->start[0] = 0;
        }
    }
    /* after pass 2, start[c + 1] is the end of cell c == the start of cell c + 1 */
    ix->built = true;
    return 0;
}

int64_t geo_index_locate(const struct geo_index *ix, double lat, double lon)
{
    if (!ix || !ix->built || ix->n == 0)
        return 0;
    if (!(lon >= ix->x0 && lon <= ix->x1 && lat >= ix->y0 && lat <= ix->y1))
        return 0; /* also rejects NaN */
    size_t cx = cell_of(lon, ix->x0, ix->inv_w, ix->nx);
    size_t cy = cell_of(lat, ix->y0, ix->inv_h, ix->ny);
    size_t c = cy * ix->nx + cx;
    for (size_t k = ix->start[c]; k < ix->start[c + 1]; k++) {
        const struct entry *en = &ix->e[ix->items[k]];
        const struct geo_shape *s = &en->shape;
        if (lon < s->min_lon || lon > s->max_lon || lat < s->min_lat || lat > s->max_lat)
            continue;
        if (geo_shape_contains(s, lat, lon))
            return en->id;
    }
    return 0;
}
