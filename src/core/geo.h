/* geo.h - point-in-polygon for GeoJSON-shaped polygons (holes, multipolygons) and a spatial
 * index that places a point in the deepest grid containing it.
 *
 * Coordinates are WGS84 degrees and treated as planar (grids are small). Points are stored as
 * (lon, lat) pairs like GeoJSON. No I/O and no JSON: app/ converts GeoJSON into these structs. */
#ifndef GG_CORE_GEO_H
#define GG_CORE_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct geo_ring {
    double *xy;   /* lon0, lat0, lon1, lat1, … ; closing point may or may not repeat the first */
    size_t n_pts; /* number of points (xy holds 2 * n_pts doubles) */
};

struct geo_polygon {
    struct geo_ring *rings; /* rings[0] is the outer ring, the rest are holes */
    size_t n_rings;
};

struct geo_shape {
    struct geo_polygon *polys; /* a Polygon has one, a MultiPolygon several */
    size_t n_polys;
    double min_lon, min_lat, max_lon, max_lat; /* filled by geo_shape_bbox() */
};

/* Frees everything the shape owns (rings, polygons) and zeroes it. NULL-safe. */
void geo_shape_release(struct geo_shape *s);
/* Computes and stores the bounding box. */
void geo_shape_bbox(struct geo_shape *s);
/* Validates a shape: every ring has ≥ 4 points when closed (≥ 3 distinct), coordinates within
 * lon [-180,180] and lat [-90,90], finite. Returns 0 or -GG_EINVAL with a message in msg[msz]. */
int geo_shape_validate(const struct geo_shape *s, char *msg, size_t msz);
/* True when (lat, lon) lies inside the shape: inside an outer ring and outside its holes.
 * Points exactly on an edge count as inside. */
bool geo_shape_contains(const struct geo_shape *s, double lat, double lon);
/* Area-weighted centroid of the first polygon's outer ring (for demo data and maps). */
void geo_shape_centroid(const struct geo_shape *s, double *lat, double *lon);

/* Great-circle distance in metres (haversine). */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);
bool geo_latlon_valid(double lat, double lon);

/* ---- spatial index ----
 * Build once (add shapes, then build), then query from many threads without locks: the index
 * is immutable after geo_index_build(). To change grids, build a new index and swap it. */
struct geo_index;

struct geo_index *geo_index_new(void);
void geo_index_free(struct geo_index *ix); /* NULL-safe; frees the shapes it took */
/* Takes ownership of *shape (the caller's struct is zeroed). depth is the org depth: when
 * grids nest, the deepest containing one wins; ties go to the smaller bbox area. */
int geo_index_add(struct geo_index *ix, int64_t id, int depth, struct geo_shape *shape);
int geo_index_build(struct geo_index *ix);
/* Returns the id of the deepest shape containing the point, or 0 when none does. */
int64_t geo_index_locate(const struct geo_index *ix, double lat, double lon);
size_t geo_index_count(const struct geo_index *ix);

#endif
