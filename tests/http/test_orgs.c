/* test_orgs.c - the organisation tree over real HTTP (API.md POST/GET/PATCH /orgs, /orgs/import,
 * /locate; DESIGN section 2): kind rules, codes, boundaries and their validation, holes,
 * MultiPolygons, nested grids, GeoJSON import (all or nothing) and read scope.
 *
 * The tests share one database: codes start with "OR", and every test draws its grids in its
 * own patch of map (longitudes 117.0–117.6), away from each other. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a district > street > community built once for the file */
static int64_t t_district, t_street, t_community;

static void tree(void)
{
    if (t_district)
        return;
    t_district = h_org(h_admin(), h_root_id(), "district", "OR-D", "组织测试区", NULL, NULL);
    t_street = h_org(h_admin(), t_district, "street", "OR-S", "组织测试街道", NULL, NULL);
    t_community = h_org(h_admin(), t_street, "community", "OR-C", "组织测试社区", NULL, NULL);
}

/* POST /orgs with the given fields; boundary is JSON text or NULL */
static json_t *post_org(const char *token, int64_t parent, const char *kind, const char *code,
                        const char *name, const char *boundary, long *st)
{
    json_t *b = json_pack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)parent, "kind", kind,
                          "code", code, "name", name);
    if (boundary) {
        json_t *g = json_loads(boundary, JSON_DECODE_ANY, NULL);
        if (!g)
            fail_msg("bad boundary text in the test: %s", boundary);
        json_object_set_new(b, "boundary", g);
    }
    return h_post("/api/v1/orgs", token, b, st);
}

/* GET /locate: the grid id, 0 when 404 (fails on anything else) */
static int64_t locate(double lat, double lon)
{
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/locate?lat=%.6f&lon=%.6f", lat, lon), h_admin(), &st);
    int64_t id = 0;
    if (st == 404) {
        h_check_error(j, NULL);
    } else {
        H_STATUS(st, 200);
        json_t *g = h_obj(j, "grid");
        id = h_int(g, "id");
        (void)h_str(g, "code");
        (void)h_str(g, "name");
        if (!json_is_array(h_obj(j, "path")))
            fail_msg("path is not an array\n%s", h_last());
    }
    json_decref(j);
    return id;
}

static bool path_has(json_t *path, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach(path, i, v)
    {
        json_t *jid = json_object_get(v, "id");
        if (json_is_integer(jid) && json_integer_value(jid) == id)
            return true;
    }
    return false;
}

static void test_kinds_valid(void **state)
{
    (void)state;
    tree();
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/orgs/%lld", (long long)t_community), h_admin(), &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "id"), t_community);
    assert_string_equal(h_str(j, "kind"), "community");
    assert_string_equal(h_str(j, "code"), "OR-C");
    assert_string_equal(h_str(j, "name"), "组织测试社区");
    assert_int_equal(h_int(j, "parent_id"), t_street);
    json_t *path = h_obj(j, "path");
    /* ancestors, root first: root, district, street */
    assert_true(json_array_size(path) >= 3);
    assert_int_equal(h_int(json_array_get(path, 0), "id"), h_root_id());
    assert_true(path_has(path, t_district));
    assert_true(path_has(path, t_street));
    assert_false(path_has(path, t_community));
    json_decref(j);

    int64_t g = h_org(h_admin(), t_community, "grid", "OR-KG", "网格",
                      h_rect(117.55, 40.30, 117.56, 40.31), NULL);
    int64_t g2 = h_org(h_admin(), g, "grid", "OR-KG2", "三级网格",
                       h_rect(117.552, 40.302, 117.554, 40.304), NULL);
    int64_t b = h_org(h_admin(), g2, "building", "OR-KB", "1号楼", NULL, NULL);
    h_org(h_admin(), b, "unit", "OR-KU", "1单元", NULL, NULL);
    h_org(h_admin(), t_district, "department", "OR-KDEP1", "区城管局", NULL, "城管");
    h_org(h_admin(), t_street, "department", "OR-KDEP2", "街道综合执法队", NULL, "城管");
    h_org(h_admin(), h_root_id(), "department", "OR-KDEP3", "市公安局", NULL, "公安");

    /* the list by parent and kind */
    json_t *l =
        h_get(h_path("/api/v1/orgs?parent_id=%lld", (long long)t_community), h_admin(), &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(l, g));
    assert_false(h_list_has(l, g2)); /* a grandchild */
    json_decref(l);
    l = h_get(h_path("/api/v1/orgs?parent_id=%lld&kind=department", (long long)t_district),
              h_admin(), &st);
    H_STATUS(st, 200);
    json_t *items = h_items(l);
    assert_true(json_array_size(items) >= 1);
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v)
    {
        assert_string_equal(h_str(v, "kind"), "department");
        assert_int_equal(h_int(v, "parent_id"), t_district);
    }
    assert_false(h_list_has(l, t_street));
    json_decref(l);
}

static void test_kinds_invalid(void **state)
{
    (void)state;
    tree();
    struct {
        int64_t parent;
        const char *kind;
    } bad[] = {
        {0, "street"},     {0, "community"}, {0, "grid"},   {0, "building"}, {1, "community"},
        {1, "district"},   {1, "grid"},      {2, "grid"},   {2, "street"},   {3, "building"},
        {3, "department"}, {3, "community"}, {0, "planet"}, {0, "网格"},
    };
    int64_t parents[] = {h_root_id(), t_district, t_street, t_community};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char code[32];
        snprintf(code, sizeof code, "OR-BADK-%zu", i);
        long st = 0;
        json_t *j =
            post_org(h_admin(), parents[bad[i].parent], bad[i].kind, code, "错层级", NULL, &st);
        H_STATUS(st, 422);
        h_check_error(j, "kind");
        json_decref(j);
    }
    /* a department under a community, a grid under a department, a unit under a grid */
    int64_t dep = h_org(h_admin(), t_street, "department", "OR-BADK-DEP", "街道部门", NULL, "城管");
    long st = 0;
    json_t *j = post_org(h_admin(), dep, "grid", "OR-BADK-X1", "部门下的网格",
                         h_rect(117.57, 40.30, 117.58, 40.31), &st);
    H_STATUS(st, 422);
    h_check_error(j, "kind");
    json_decref(j);
    int64_t g = h_org(h_admin(), t_community, "grid", "OR-BADK-G", "网格",
                      h_rect(117.58, 40.30, 117.59, 40.31), NULL);
    j = post_org(h_admin(), g, "unit", "OR-BADK-X2", "网格下的单元", NULL, &st);
    H_STATUS(st, 422);
    h_check_error(j, "kind");
    json_decref(j);
    /* nothing was written: the refused codes are still free */
    h_org(h_admin(), t_district, "street", "OR-BADK-0", "后建街道", NULL, NULL);
    h_org(h_admin(), t_street, "community", "OR-BADK-4", "后建社区", NULL, NULL);
}

static void test_parent_and_department_kind(void **state)
{
    (void)state;
    tree();
    long st = 0;
    json_t *j = post_org(h_admin(), 987654321, "district", "OR-NOPARENT", "无上级", NULL, &st);
    H_STATUS(st, 422);
    h_check_error(j, "parent_id");
    json_decref(j);
    /* a department needs its department_kind */
    j = post_org(h_admin(), t_district, "department", "OR-NODK", "无类型部门", NULL, &st);
    H_STATUS(st, 422);
    h_check_error(j, "department_kind");
    json_decref(j);
    /* bad code characters */
    j = post_org(h_admin(), t_district, "street", "OR 空格", "坏编码", NULL, &st);
    H_STATUS(st, 422);
    h_check_error(j, "code");
    json_decref(j);
    j = post_org(h_admin(), t_district, "street", "", "空编码", NULL, &st);
    H_STATUS(st, 422);
    h_check_error(j, "code");
    json_decref(j);
}

static void test_duplicate_code(void **state)
{
    (void)state;
    tree();
    int64_t s = h_org(h_admin(), t_district, "street", "OR-DUP", "重复街道", NULL, NULL);
    long st = 0;
    json_t *j = post_org(h_admin(), t_district, "street", "OR-DUP", "另一个街道", NULL, &st);
    H_STATUS(st, 409);
    h_check_error(j, NULL);
    json_decref(j);
    /* also across kinds and parents */
    j = post_org(h_admin(), t_street, "community", "OR-DUP", "同码社区", NULL, &st);
    H_STATUS(st, 409);
    h_check_error(j, NULL);
    json_decref(j);
    /* the first node is unchanged */
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)s), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "name"), "重复街道");
    json_decref(j);
    /* PATCH onto an existing code: 409 */
    int64_t s2 = h_org(h_admin(), t_district, "street", "OR-DUP2", "第二街道", NULL, NULL);
    j = h_patch(h_path("/api/v1/orgs/%lld", (long long)s2), h_admin(),
                json_pack("{s:s}", "code", "OR-DUP"), &st);
    H_STATUS(st, 409);
    h_check_error(j, NULL);
    json_decref(j);
    /* PATCH of the name works */
    j = h_patch(h_path("/api/v1/orgs/%lld", (long long)s2), h_admin(),
                json_pack("{s:s}", "name", "改名街道"), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "name"), "改名街道");
    assert_string_equal(h_str(j, "code"), "OR-DUP2");
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)s2), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "name"), "改名街道");
    json_decref(j);
}

static void test_boundary_on_non_grid(void **state)
{
    (void)state;
    tree();
    long st = 0;
    json_t *j = post_org(h_admin(), t_street, "community", "OR-BNG", "带边界的社区",
                         h_rect(117.0, 40.5, 117.1, 40.6), &st);
    H_STATUS(st, 422);
    h_check_error(j, "boundary");
    json_decref(j);
    j = post_org(h_admin(), t_district, "street", "OR-BNG2", "带边界的街道",
                 h_rect(117.0, 40.5, 117.1, 40.6), &st);
    H_STATUS(st, 422);
    h_check_error(j, "boundary");
    json_decref(j);
    /* the area was not registered as a grid */
    assert_int_equal(locate(40.55, 117.05), 0);
    /* PATCH a boundary onto a community */
    j = h_patch(
        h_path("/api/v1/orgs/%lld", (long long)t_community), h_admin(),
        json_pack("{s:o}", "boundary", json_loads(h_rect(117.0, 40.5, 117.1, 40.6), 0, NULL)), &st);
    H_STATUS(st, 422);
    h_check_error(j, "boundary");
    json_decref(j);
    assert_int_equal(locate(40.55, 117.05), 0);
}

static void test_boundary_invalid(void **state)
{
    (void)state;
    tree();
    static const char *bad[] = {
        "{\"type\":\"Point\",\"coordinates\":[117.0,40.0]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[117.0,40.0],[117.1,40.0],[117.0,40.0]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[]}",
        "{\"type\":\"Polygon\",\"coordinates\":\"117,40\"}",
        "{\"type\":\"Polygon\"}",
        "{\"coordinates\":[[[117.0,40.0],[117.1,40.0],[117.1,40.1],[117.0,40.0]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[117.0,40.0],[117.1,95.0],[117.1,40.1],[117.0,40."
        "0]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[200.0,40.0],[201.0,40.0],[201.0,41.0],[200.0,40."
        "0]]]}",
        "{\"type\":\"Polygon\",\"coordinates\":[[[117.0,40.0],[\"a\",40.0],[117.1,40.1],[117.0,40."
        "0]]]}",
        "{\"type\":\"MultiPolygon\",\"coordinates\":[]}",
        "\"not a geometry\"",
        "42",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char code[32];
        snprintf(code, sizeof code, "OR-BINV-%zu", i);
        long st = 0;
        json_t *j = post_org(h_admin(), t_community, "grid", code, "坏边界网格", bad[i], &st);
        H_STATUS(st, 422);
        h_check_error(j, "boundary");
        json_decref(j);
    }
}

static void test_polygon_with_hole(void **state)
{
    (void)state;
    tree();
    /* outer 117.00..117.02 × 40.00..40.02 (counter-clockwise), hole 117.005..117.015 ×
     * 40.005..40.015 (clockwise) */
    const char *b = "{\"type\":\"Polygon\",\"coordinates\":["
                    "[[117.00,40.00],[117.02,40.00],[117.02,40.02],[117.00,40.02],[117.00,40.00]],"
                    "[[117.005,40.005],[117.005,40.015],[117.015,40.015],[117.015,40.005],"
                    "[117.005,40.005]]]}";
    int64_t g = h_org(h_admin(), t_community, "grid", "OR-HOLE", "回字网格", b, NULL);
    assert_int_equal(locate(40.002, 117.002), g);   /* in the ring */
    assert_int_equal(locate(40.018, 117.018), g);   /* in the ring, other corner */
    assert_int_equal(locate(40.010, 117.010), 0);   /* in the hole */
    assert_int_equal(locate(40.0075, 117.0125), 0); /* in the hole, off-centre */
    assert_int_equal(locate(40.030, 117.010), 0);   /* outside */
    /* a grid inside the hole takes the hole's points */
    int64_t in = h_org(h_admin(), t_community, "grid", "OR-HOLE-IN", "洞内网格",
                       h_rect(117.006, 40.006, 117.014, 40.014), NULL);
    assert_int_equal(locate(40.010, 117.010), in);
    assert_int_equal(locate(40.002, 117.002), g);
}

static void test_multipolygon(void **state)
{
    (void)state;
    tree();
    const char *b =
        "{\"type\":\"MultiPolygon\",\"coordinates\":["
        "[[[117.10,40.00],[117.11,40.00],[117.11,40.01],[117.10,40.01],[117.10,40.00]]],"
        "[[[117.12,40.00],[117.13,40.00],[117.13,40.01],[117.12,40.01],[117.12,40.00]]]"
        "]}";
    int64_t g = h_org(h_admin(), t_community, "grid", "OR-MULTI", "飞地网格", b, NULL);
    assert_int_equal(locate(40.005, 117.105), g);
    assert_int_equal(locate(40.005, 117.125), g);
    assert_int_equal(locate(40.005, 117.115), 0); /* between the two parts */
    assert_int_equal(locate(40.015, 117.105), 0);
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/orgs/%lld", (long long)g), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "kind"), "grid");
    json_decref(j);
}

static void test_nested_grids(void **state)
{
    (void)state;
    tree();
    int64_t p = h_org(h_admin(), t_community, "grid", "OR-N1", "二级网格",
                      h_rect(117.20, 40.00, 117.30, 40.10), NULL);
    int64_t c = h_org(h_admin(), p, "grid", "OR-N2", "三级网格",
                      h_rect(117.22, 40.02, 117.24, 40.04), NULL);
    int64_t m = h_org(h_admin(), c, "grid", "OR-N3", "微网格",
                      h_rect(117.225, 40.025, 117.23, 40.03), NULL);
    assert_int_equal(locate(40.08, 117.28), p);
    assert_int_equal(locate(40.035, 117.235), c);
    assert_int_equal(locate(40.0275, 117.2275), m);
    /* the answer's grid and path */
    long st = 0;
    json_t *j =
        h_get(h_path("/api/v1/locate?lat=%.6f&lon=%.6f", 40.0275, 117.2275), h_admin(), &st);
    H_STATUS(st, 200);
    json_t *g = h_obj(j, "grid");
    assert_string_equal(h_str(g, "code"), "OR-N3");
    assert_string_equal(h_str(g, "name"), "微网格");
    json_t *path = h_obj(j, "path");
    assert_true(path_has(path, c));
    assert_true(path_has(path, p));
    assert_true(path_has(path, t_community));
    assert_true(path_has(path, t_street));
    assert_true(path_has(path, t_district));
    json_decref(j);
    /* a new, deeper grid created later wins at once */
    int64_t m2 = h_org(h_admin(), c, "grid", "OR-N4", "后建微网格",
                       h_rect(117.235, 40.035, 117.238, 40.038), NULL);
    assert_int_equal(locate(40.036, 117.236), m2);
    /* a boundary moved by PATCH moves the answer */
    j = h_patch(
        h_path("/api/v1/orgs/%lld", (long long)m2), h_admin(),
        json_pack("{s:o}", "boundary", json_loads(h_rect(117.26, 40.06, 117.27, 40.07), 0, NULL)),
        &st);
    H_STATUS(st, 200);
    json_decref(j);
    assert_int_equal(locate(40.036, 117.236), c);
    assert_int_equal(locate(40.065, 117.265), m2);
}

static void test_locate_outside_and_invalid(void **state)
{
    (void)state;
    long st = 0;
    json_t *j = h_get("/api/v1/locate?lat=-33.9&lon=18.4", h_admin(), &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get("/api/v1/locate?lat=95&lon=117", h_admin(), &st);
    H_STATUS(st, 422);
    h_check_error(j, "lat");
    json_decref(j);
    j = h_get("/api/v1/locate?lat=40&lon=181", h_admin(), &st);
    H_STATUS(st, 422);
    h_check_error(j, "lon");
    json_decref(j);
    j = h_get("/api/v1/locate?lat=abc&lon=117", h_admin(), &st);
    if (st != 400 && st != 422)
        fail_msg("status %ld, want 400 or 422\n%s", st, h_last());
    h_check_error(j, "lat");
    json_decref(j);
    j = h_get("/api/v1/locate?lon=117", h_admin(), &st);
    if (st != 400 && st != 422)
        fail_msg("status %ld, want 400 or 422\n%s", st, h_last());
    h_check_error(j, "lat");
    json_decref(j);
    j = h_get("/api/v1/locate?lat=40&lon=117", NULL, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
}

static json_t *feature(const char *code, const char *name, const char *kind,
                       const char *parent_code, int households, const char *geometry)
{
    json_t *props = json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "kind", kind,
                              "parent_code", parent_code);
    if (households >= 0)
        json_object_set_new(props, "households", json_integer(households));
    json_t *g = geometry ? json_loads(geometry, JSON_DECODE_ANY, NULL) : json_null();
    if (!g)
        fail_msg("bad geometry text in the test: %s", geometry);
    return json_pack("{s:s, s:o, s:o}", "type", "Feature", "properties", props, "geometry", g);
}

static json_t *import(json_t *features, const char *token, long *st)
{
    json_t *fc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
    return h_post("/api/v1/orgs/import", token, fc, st);
}

/* the per-feature errors of a failed import: top-level "errors" or error.errors */
static json_t *import_errors(json_t *j)
{
    json_t *e = json_object_get(j, "errors");
    if (!json_is_array(e)) {
        json_t *err = json_object_get(j, "error");
        e = err ? json_object_get(err, "errors") : NULL;
    }
    if (!json_is_array(e))
        fail_msg("no per-feature errors list\n%s", h_last());
    return e;
}

static void test_import_ok_then_update(void **state)
{
    (void)state;
    tree();
    json_t *fs = json_array();
    json_array_append_new(fs, feature("OR-IMP-C", "导入社区", "community", "OR-S", -1, NULL));
    json_array_append_new(fs, feature("OR-IMP-G1", "导入网格一", "grid", "OR-IMP-C", 300,
                                      h_rect(117.40, 40.00, 117.41, 40.01)));
    json_array_append_new(fs, feature("OR-IMP-G2", "导入网格二", "grid", "OR-IMP-C", 250,
                                      h_rect(117.41, 40.00, 117.42, 40.01)));
    long st = 0;
    json_t *j = import(fs, h_admin(), &st);
    if (st != 200 && st != 201)
        fail_msg("status %ld, want 200 or 201\n%s", st, h_last());
    assert_int_equal(h_int(j, "created"), 3);
    assert_int_equal(h_int(j, "updated"), 0);
    json_t *errs = json_object_get(j, "errors");
    assert_true(errs == NULL || (json_is_array(errs) && json_array_size(errs) == 0));
    json_decref(j);

    int64_t g1 = locate(40.005, 117.405);
    int64_t g2 = locate(40.005, 117.415);
    assert_true(g1 > 0);
    assert_true(g2 > 0);
    assert_true(g1 != g2);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)g1), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "code"), "OR-IMP-G1");
    assert_string_equal(h_str(j, "kind"), "grid");
    assert_int_equal(h_int(j, "households"), 300);
    int64_t c = h_int(j, "parent_id");
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)c), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "code"), "OR-IMP-C");
    assert_int_equal(h_int(j, "parent_id"), t_street);
    json_decref(j);

    /* again, with a changed name and households: updates, creates nothing */
    fs = json_array();
    json_array_append_new(fs, feature("OR-IMP-C", "导入社区", "community", "OR-S", -1, NULL));
    json_array_append_new(fs, feature("OR-IMP-G1", "改名网格一", "grid", "OR-IMP-C", 320,
                                      h_rect(117.40, 40.00, 117.41, 40.01)));
    json_array_append_new(fs, feature("OR-IMP-G2", "导入网格二", "grid", "OR-IMP-C", 250,
                                      h_rect(117.41, 40.00, 117.42, 40.01)));
    j = import(fs, h_admin(), &st);
    if (st != 200 && st != 201)
        fail_msg("status %ld, want 200 or 201\n%s", st, h_last());
    assert_int_equal(h_int(j, "created"), 0);
    assert_int_equal(h_int(j, "updated"), 3);
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)g1), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "name"), "改名网格一");
    assert_int_equal(h_int(j, "households"), 320);
    json_decref(j);
    assert_int_equal(locate(40.005, 117.405), g1);
}

static void test_import_all_or_nothing(void **state)
{
    (void)state;
    tree();
    json_t *fs = json_array();
    /* 0: good community, 1: good grid under it, 2: bad kind, 3: unknown parent,
     * 4: invalid geometry, 5: grid under a street (bad kind for its parent), 6: no code */
    json_array_append_new(fs, feature("OR-IMPX-C", "应回滚社区", "community", "OR-S", -1, NULL));
    json_array_append_new(fs, feature("OR-IMPX-G", "应回滚网格", "grid", "OR-IMPX-C", 100,
                                      h_rect(117.50, 40.00, 117.51, 40.01)));
    json_array_append_new(fs, feature("OR-IMPX-K", "坏类型", "planet", "OR-IMPX-C", -1, NULL));
    json_array_append_new(fs, feature("OR-IMPX-P", "无上级", "grid", "OR-NO-SUCH", -1,
                                      h_rect(117.52, 40.00, 117.53, 40.01)));
    json_array_append_new(fs, feature("OR-IMPX-B", "坏边界", "grid", "OR-IMPX-C", -1,
                                      "{\"type\":\"Point\",\"coordinates\":[117.5,40.0]}"));
    json_array_append_new(fs, feature("OR-IMPX-S", "街道下网格", "grid", "OR-S", -1,
                                      h_rect(117.54, 40.00, 117.55, 40.01)));
    json_array_append_new(fs, json_pack("{s:s, s:{s:s, s:s, s:s}, s:n}", "type", "Feature",
                                        "properties", "name", "无编码", "kind", "grid",
                                        "parent_code", "OR-IMPX-C", "geometry"));
    long st = 0;
    json_t *j = import(fs, h_admin(), &st);
    H_STATUS(st, 422);
    h_check_error(j, NULL);
    json_t *errs = import_errors(j);
    assert_int_equal(json_array_size(errs), 5);
    int want[] = {2, 3, 4, 5, 6};
    for (size_t i = 0; i < 5; i++) {
        json_t *e = json_array_get(errs, i);
        assert_int_equal(h_int(e, "index"), want[i]);
        assert_true(strlen(h_str(e, "message")) > 0);
    }
    json_decref(j);

    /* nothing was written: neither the good community nor the good grid */
    assert_int_equal(locate(40.005, 117.505), 0);
    json_t *l =
        h_get(h_path("/api/v1/orgs?parent_id=%lld&limit=500", (long long)t_street), h_admin(), &st);
    H_STATUS(st, 200);
    size_t i;
    json_t *v;
    json_array_foreach(h_items(l), i, v)
    {
        if (strcmp(h_str(v, "code"), "OR-IMPX-C") == 0)
            fail_msg("OR-IMPX-C was written by a failed import\n%s", h_last());
    }
    json_decref(l);
    /* the good features alone now import as new nodes (created, not updated) */
    fs = json_array();
    json_array_append_new(fs, feature("OR-IMPX-C", "应回滚社区", "community", "OR-S", -1, NULL));
    json_array_append_new(fs, feature("OR-IMPX-G", "应回滚网格", "grid", "OR-IMPX-C", 100,
                                      h_rect(117.50, 40.00, 117.51, 40.01)));
    j = import(fs, h_admin(), &st);
    if (st != 200 && st != 201)
        fail_msg("status %ld, want 200 or 201\n%s", st, h_last());
    assert_int_equal(h_int(j, "created"), 2);
    assert_int_equal(h_int(j, "updated"), 0);
    json_decref(j);
    assert_true(locate(40.005, 117.505) > 0);
}

static void test_import_not_a_collection_and_admin_only(void **state)
{
    (void)state;
    tree();
    long st = 0;
    json_t *j = h_post("/api/v1/orgs/import", h_admin(),
                       json_pack("{s:s, s:[]}", "type", "Feature", "features"), &st);
    H_STATUS(st, 422);
    h_check_error(j, NULL);
    json_decref(j);
    char *tok = h_user_token("or_imp_staff", "staff", t_street, NULL);
    json_t *fs = json_array();
    json_array_append_new(fs, feature("OR-IMPS-C", "越权社区", "community", "OR-S", -1, NULL));
    j = import(fs, tok, &st);
    H_STATUS(st, 403);
    h_check_error(j, NULL);
    json_decref(j);
    /* and an org write by a non-admin */
    j = post_org(tok, t_street, "community", "OR-IMPS-C2", "越权社区", NULL, &st);
    H_STATUS(st, 403);
    h_check_error(j, NULL);
    json_decref(j);
    free(tok);
}

static void test_scope_street_staff(void **state)
{
    (void)state;
    tree();
    int64_t s1 = h_org(h_admin(), t_district, "street", "OR-SC-S1", "甲街道", NULL, NULL);
    int64_t s2 = h_org(h_admin(), t_district, "street", "OR-SC-S2", "乙街道", NULL, NULL);
    int64_t c1 = h_org(h_admin(), s1, "community", "OR-SC-C1", "甲社区", NULL, NULL);
    int64_t c2 = h_org(h_admin(), s2, "community", "OR-SC-C2", "乙社区", NULL, NULL);
    char *tok = h_user_token("or_scope_staff", "staff", s1, NULL);
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/orgs/%lld", (long long)s1), tok, &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "id"), s1);
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)c1), tok, &st);
    H_STATUS(st, 200);
    json_decref(j);
    /* the sibling street and its subtree: as if they did not exist */
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)s2), tok, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)c2), tok, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* the same answer as for an id that does not exist */
    j = h_get("/api/v1/orgs/987654321", tok, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* lists are filtered */
    j = h_get(h_path("/api/v1/orgs?parent_id=%lld&limit=500", (long long)t_district), tok, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, s2));
    json_decref(j);
    j = h_get("/api/v1/orgs?kind=community&limit=500", tok, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, c1));
    assert_false(h_list_has(j, c2));
    assert_false(h_list_has(j, t_community));
    json_decref(j);
    /* and a PATCH of the other street is refused */
    j = h_patch(h_path("/api/v1/orgs/%lld", (long long)s2), tok,
                json_pack("{s:s}", "name", "被改名"), &st);
    if (st != 403 && st != 404)
        fail_msg("status %ld, want 403 or 404\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get(h_path("/api/v1/orgs/%lld", (long long)s2), h_admin(), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "name"), "乙街道");
    json_decref(j);
    free(tok);
}

static void test_list_paging(void **state)
{
    (void)state;
    tree();
    int64_t s = h_org(h_admin(), t_district, "street", "OR-PG-S", "分页街道", NULL, NULL);
    int64_t ids[7];
    for (int i = 0; i < 7; i++) {
        char code[32], name[32];
        snprintf(code, sizeof code, "OR-PG-C%d", i);
        snprintf(name, sizeof name, "分页社区%d", i);
        ids[i] = h_org(h_admin(), s, "community", code, name, NULL, NULL);
    }
    int seen[7] = {0};
    char cursor[128] = "";
    int pages = 0;
    for (;;) {
        long st = 0;
        json_t *j = h_get(cursor[0] ? h_path("/api/v1/orgs?parent_id=%lld&limit=3&cursor=%s",
                                             (long long)s, cursor)
                                    : h_path("/api/v1/orgs?parent_id=%lld&limit=3", (long long)s),
                          h_admin(), &st);
        H_STATUS(st, 200);
        json_t *items = h_items(j);
        assert_true(json_array_size(items) <= 3);
        size_t i;
        json_t *v;
        json_array_foreach(items, i, v)
        {
            int64_t id = h_int(v, "id");
            int k = -1;
            for (int x = 0; x < 7; x++)
                if (ids[x] == id)
                    k = x;
            if (k < 0)
                fail_msg("unexpected id %lld\n%s", (long long)id, h_last());
            seen[k]++;
        }
        pages++;
        json_t *nc = json_object_get(j, "next_cursor");
        if (!nc || json_is_null(nc)) {
            json_decref(j);
            break;
        }
        if (!json_is_string(nc))
            fail_msg("next_cursor is neither a string nor null\n%s", h_last());
        snprintf(cursor, sizeof cursor, "%s", json_string_value(nc));
        json_decref(j);
        if (pages > 10)
            fail_msg("paging does not end");
    }
    for (int x = 0; x < 7; x++)
        assert_int_equal(seen[x], 1);
    assert_true(pages >= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_valid),
        cmocka_unit_test(test_kinds_invalid),
        cmocka_unit_test(test_parent_and_department_kind),
        cmocka_unit_test(test_duplicate_code),
        cmocka_unit_test(test_boundary_on_non_grid),
        cmocka_unit_test(test_boundary_invalid),
        cmocka_unit_test(test_polygon_with_hole),
        cmocka_unit_test(test_multipolygon),
        cmocka_unit_test(test_nested_grids),
        cmocka_unit_test(test_locate_outside_and_invalid),
        cmocka_unit_test(test_import_ok_then_update),
        cmocka_unit_test(test_import_all_or_nothing),
        cmocka_unit_test(test_import_not_a_collection_and_admin_only),
        cmocka_unit_test(test_scope_street_staff),
        cmocka_unit_test(test_list_paging),
    };
    return cmocka_run_group_tests(tests, h_start, h_stop);
}
