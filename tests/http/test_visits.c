/* test_visits.c - issue 6 item 5 over real HTTP: home visits (走访, 六必访) recorded by grid
 * officers, the due and overdue list from the tag rules, scope, raising an event or a service
 * order in the same action (and nothing at all when the raise fails), rules as a setting, and
 * bad input. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

static struct h_city C;
static char *t_ga, *t_gb, *t_sc, *t_res, *t_mem;

static void city(void)
{
    if (C.district)
        return;
    h_city_build(&C, "VI");
    t_ga = h_user_token("vi_ga", "grid_officer", C.grid_a, NULL);
    t_gb = h_user_token("vi_gb", "grid_officer", C.grid_b, NULL);
    t_sc = h_user_token("vi_sc", "staff", C.community, NULL);
    t_res = h_user_token("vi_res", "resident", C.grid_a, NULL);
    t_mem = h_user_token("vi_mem", "member", C.community, NULL);
}

static int teardown(void **state)
{
    free(t_ga);
    free(t_gb);
    free(t_sc);
    free(t_res);
    free(t_mem);
    return h_stop(state);
}

static const char *ago(int64_t secs)
{
    static __thread char buf[GG_RFC3339_LEN];
    gg_time_format(gg_time_now() - secs, buf);
    return buf;
}

/* POST /visits; body stolen; returns the answer */
static json_t *visit(const char *tok, json_t *body, long *s)
{
    return h_post("/api/v1/visits", tok, body, s);
}

static int64_t visit_ok(const char *tok, int64_t person, const char *tag, int64_t secs_ago)
{
    long s = 0;
    json_t *j = visit(tok,
                      json_pack("{s:I, s:s, s:[s], s:s, s:s}", "person_id", (json_int_t)person,
                                "subject_name", "张大爷", "tags", tag, "at", ago(secs_ago),
                                "findings", "身体尚可，家中整洁"),
                      &s);
    H_STATUS(s, 201);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

/* the due row of a person, or NULL */
static json_t *due_row(json_t *list, int64_t person)
{
    size_t i;
    json_t *e;
    json_array_foreach(h_items(list), i, e)
    {
        json_t *last = h_obj(e, "last_visit");
        if (!h_is_null(last, "person_id") && h_int(last, "person_id") == person)
            return e;
    }
    return NULL;
}

static void test_due_lists(void **state)
{
    (void)state;
    city();
    visit_ok(t_ga, 101, "elderly_alone", 6 * 86400);    /* due tomorrow: due */
    visit_ok(t_ga, 102, "serious_illness", 31 * 86400); /* a day late: overdue */
    visit_ok(t_ga, 103, "veteran", 86400);              /* ok */
    visit_ok(t_gb, 201, "elderly_alone", 10 * 86400);   /* grid B, overdue */
    long s = 0;
    json_t *j = h_get("/api/v1/visits/due", t_ga, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(due_row(j, 101), "state"), "due");
    assert_int_equal(h_int(due_row(j, 101), "interval_days"), 7);
    assert_string_equal(h_str(due_row(j, 102), "state"), "overdue");
    assert_null(due_row(j, 103));
    assert_null(due_row(j, 201)); /* another officer's grid */
    /* most urgent first */
    assert_int_equal(h_int(h_obj(json_array_get(h_items(j), 0), "last_visit"), "person_id"), 102);
    json_decref(j);
    j = h_get("/api/v1/visits/due?state=overdue", t_ga, &s);
    H_STATUS(s, 200);
    assert_null(due_row(j, 101));
    assert_non_null(due_row(j, 102));
    json_decref(j);
    /* the community's staff see both grids */
    j = h_get("/api/v1/visits/due", t_sc, &s);
    H_STATUS(s, 200);
    assert_non_null(due_row(j, 102));
    assert_non_null(due_row(j, 201));
    json_decref(j);
    /* visiting again clears it */
    visit_ok(t_ga, 102, "serious_illness", 0);
    j = h_get("/api/v1/visits/due", t_ga, &s);
    H_STATUS(s, 200);
    assert_null(due_row(j, 102));
    json_decref(j);
    /* the list of records */
    j = h_get("/api/v1/visits?person_id=102", t_ga, &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(h_items(j)), 2);
    json_decref(j);
    j = h_get("/api/v1/visits?person_id=201", t_ga, &s);
    H_STATUS(s, 200);
    assert_int_equal(json_array_size(h_items(j)), 0);
    json_decref(j);
    /* a shorter rule makes 103 (veteran, visited a day ago) due */
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "visits.rules", "value", "veteran=2"), &s);
    H_STATUS(s, 200);
    json_decref(j);
    j = h_get("/api/v1/visits/due", t_ga, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(due_row(j, 103), "state"), "due");
    json_decref(j);
    j = h_get("/api/v1/visits/rules", t_ga, &s);
    H_STATUS(s, 200);
    size_t i;
    json_t *e;
    int seen = 0;
    json_array_foreach(h_items(j), i, e)
    {
        if (strcmp(h_str(e, "tag"), "veteran") == 0) {
            assert_int_equal(h_int(e, "interval_days"), 2);
            seen++;
        }
        if (strcmp(h_str(e, "tag"), "elderly_alone") == 0) {
            assert_int_equal(h_int(e, "interval_days"), 7);
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    json_decref(j);
    j = h_post("/api/v1/settings", h_admin(),
               json_pack("{s:s, s:s}", "key", "visits.rules", "value", "student=3"), &s);
    H_STATUS(s, 422);
    h_check_error(j, "value");
    json_decref(j);
}

static void test_raise_in_same_action(void **state)
{
    (void)state;
    city();
    long s = 0;
    json_t *j = visit(t_ga,
                      json_pack("{s:I, s:s, s:[s], s:s, s:{s:{s:s, s:f, s:f}}}", "household_id",
                                (json_int_t)301, "subject_name", "李家", "tags", "low_income",
                                "findings", "楼道堆放杂物，存在消防隐患", "raise", "event",
                                "category_code", "0101", "lat", H_A_LAT, "lon", H_A_LON),
                      &s);
    H_STATUS(s, 201);
    int64_t ev = h_int(j, "event_id");
    assert_true(h_is_null(j, "service_order_id"));
    json_decref(j);
    j = h_get(h_path("/api/v1/events/%lld", (long long)ev), t_ga, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "source"), "visit");
    assert_string_equal(h_str(j, "description"), "楼道堆放杂物，存在消防隐患");
    json_decref(j);

    j = visit(t_ga,
              json_pack("{s:I, s:s, s:s, s:{s:{s:s, s:s}}}", "person_id", (json_int_t)302,
                        "subject_name", "王奶奶", "findings", "想找人帮忙买药", "raise",
                        "service_order", "category_code", "1203", "title", "代买常用药"),
              &s);
    H_STATUS(s, 201);
    int64_t order = h_int(j, "service_order_id");
    json_decref(j);
    j = h_get(h_path("/api/v1/service-orders/%lld", (long long)order), t_ga, &s);
    H_STATUS(s, 200);
    assert_string_equal(h_str(j, "status"), "asked");
    assert_int_equal(h_int(j, "community_id"), C.community);
    assert_string_equal(h_str(j, "description"), "想找人帮忙买药");
    json_decref(j);
    j = h_get(h_path("/api/v1/service-orders/%lld", (long long)order), t_sc, &s);
    H_STATUS(s, 200); /* the community publishes it like any other */
    json_decref(j);

    /* a raise that fails leaves nothing behind: no visit, no event */
    j = h_get("/api/v1/visits?person_id=303", t_ga, &s);
    size_t before = json_array_size(h_items(j));
    json_decref(j);
    j = visit(t_ga,
              json_pack("{s:I, s:s, s:s, s:{s:{s:s, s:f, s:f}}}", "person_id", (json_int_t)303,
                        "subject_name", "赵", "findings", "x", "raise", "event", "category_code",
                        "9999", "lat", H_A_LAT, "lon", H_A_LON),
              &s);
    H_STATUS(s, 422);
    h_check_error(j, "category_code");
    json_decref(j);
    j = visit(t_ga,
              json_pack("{s:I, s:s, s:s, s:{s:{s:s, s:s}}}", "person_id", (json_int_t)303,
                        "subject_name", "赵", "findings", "x", "raise", "service_order",
                        "category_code", "0101", "title", "t"),
              &s);
    H_STATUS(s, 422);
    json_decref(j);
    j = h_get("/api/v1/visits?person_id=303", t_ga, &s);
    assert_int_equal(json_array_size(h_items(j)), before);
    json_decref(j);
    /* audited */
    j = h_get("/api/v1/audit?object_type=visit", h_admin(), &s);
    H_STATUS(s, 200);
    assert_true(json_array_size(h_items(j)) >= 2);
    json_decref(j);
}

static void test_roles_and_bad_input(void **state)
{
    (void)state;
    city();
    long s = 0;
    struct {
        const char *tok;
        json_t *body;
        long want;
        const char *field;
    } cases[] = {
        {t_res, json_pack("{s:i, s:s, s:s}", "person_id", 1, "subject_name", "a", "findings", "b"),
         403, NULL},
        {t_mem, json_pack("{s:i, s:s, s:s}", "person_id", 1, "subject_name", "a", "findings", "b"),
         403, NULL},
        {t_ga, json_pack("{s:s, s:s}", "subject_name", "a", "findings", "b"), 422, "person_id"},
        {t_ga, json_pack("{s:i, s:s}", "person_id", 1, "findings", "b"), 422, "subject_name"},
        {t_ga, json_pack("{s:i, s:s}", "person_id", 1, "subject_name", "a"), 422, "findings"},
        {t_ga, json_pack("{s:i, s:s, s:s, s:[s]}", "person_id", 1, "subject_name", "a",
                         "findings", "b", "tags", "student"),
         422, "tags"},
        {t_ga, json_pack("{s:i, s:s, s:s, s:s}", "person_id", 1, "subject_name", "a", "findings",
                         "b", "at", "2099-01-01T00:00:00Z"),
         422, "at"},
        {t_ga, json_pack("{s:i, s:s, s:s, s:I}", "person_id", 1, "subject_name", "a", "findings",
                         "b", "grid_id", (json_int_t)C.grid_b),
         403, NULL},
        {t_ga, json_pack("{s:i, s:s, s:s, s:{}}", "person_id", 1, "subject_name", "a",
                         "findings", "b", "raise"),
         422, "raise"},
        {t_ga, json_pack("{s:i, s:s, s:s, s:{s:{s:s, s:f, s:f}, s:{s:s, s:s}}}", "person_id", 1,
                         "subject_name", "a", "findings", "b", "raise", "event", "category_code",
                         "0101", "lat", H_A_LAT, "lon", H_A_LON, "service_order",
                         "category_code", "1203", "title", "t"),
         422, "raise"},
        /* staff record visits in any grid of their community */
        {t_sc, json_pack("{s:i, s:s, s:s, s:I}", "person_id", 9, "subject_name", "a",
                         "findings", "b", "grid_id", (json_int_t)C.grid_b),
         201, NULL},
        /* staff must name the grid: their scope is a community */
        {t_sc, json_pack("{s:i, s:s, s:s}", "person_id", 9, "subject_name", "a", "findings", "b"),
         422, "grid_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = visit(cases[i].tok, cases[i].body, &s);
        if (s != cases[i].want)
            fail_msg("case %zu: status %ld, want %ld\n%s", i, s, cases[i].want, h_last());
        if (s >= 400)
            h_check_error(j, cases[i].field);
        json_decref(j);
    }
    assert_int_equal(s, 422);
    json_t *j = h_get("/api/v1/visits", t_mem, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_get("/api/v1/visits/due", t_res, &s);
    H_STATUS(s, 403);
    json_decref(j);
    j = h_get("/api/v1/visits/due?state=late", t_ga, &s);
    H_STATUS(s, 422);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_lists),
        cmocka_unit_test(test_raise_in_same_action),
        cmocka_unit_test(test_roles_and_bad_input),
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
