/* test_people_api.c - issue 6 over HTTP: people, households and houses (人、户、房). CRUD with
 * versions; id numbers validated by their check character (422); id and phone numbers masked in
 * every answer, unmasked only by a `pii` role asking for one person, and that read audited;
 * sealed at rest (the clear number is nowhere in the database files); lookup by id number;
 * the role × scope boundaries (a resident sees only itself, a community's staff never another
 * community's people); household colours; bulk import from CSV and XLSX, all or nothing with a
 * per-row report. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "app/app.h"

static struct h_city C;
static int64_t street2, community2, grid_c;
static char *staff, *staff2, *go_a, *cmd, *handler;

#define ID1 "11010519491231002X"
#define ID2 "110101199003070011"
#define ID_BAD "110101199003070012" /* ID2 with a wrong check character */

static void setup(void)
{
    if (staff)
        return;
    h_city_build(&C, "PP-");
    const char *adm = h_admin();
    street2 = h_org(adm, C.district, "street", "PP-S2", "第二街道", NULL, NULL);
    community2 = h_org(adm, street2, "community", "PP-S2C", "第二社区", NULL, NULL);
    grid_c = h_org(adm, community2, "grid", "PP-S2CG", "丙网格", NULL, NULL);
    staff = h_user_token("pp_staff", "staff", C.community, NULL);
    staff2 = h_user_token("pp_staff2", "staff", community2, NULL);
    go_a = h_user_token("pp_go_a", "grid_officer", C.grid_a, NULL);
    cmd = h_user_token("pp_cmd", "command", C.district, NULL);
    handler = h_user_token("pp_handler", "handler", C.dept_cg, NULL);
}

static json_t *person_body(int64_t org, const char *name, const char *id, const char *phone)
{
    json_t *b = json_pack("{s:I, s:s}", "org_id", (json_int_t)org, "name", name);
    if (id)
        json_object_set_new(b, "id_number", json_string(id));
    if (phone)
        json_object_set_new(b, "phone", json_string(phone));
    return b;
}

static int64_t person(const char *tok, int64_t org, const char *name, const char *id,
                      const char *phone)
{
    long st;
    json_t *j = h_post("/api/v1/people", tok, person_body(org, name, id, phone), &st);
    H_STATUS(st, 201);
    int64_t pid = h_int(j, "id");
    json_decref(j);
    return pid;
}

static void test_crud_and_masks(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *b = person_body(C.grid_a, "张秀英", ID1, "13812345678");
    json_object_set_new(b, "tags", json_pack("[s, s]", "elderly_alone", "低保"));
    json_t *j = h_post("/api/v1/people", staff, b, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    assert_string_equal(h_str(j, "id_number"), "110105********002X");
    assert_string_equal(h_str(j, "phone"), "138****5678");
    assert_true(json_is_true(json_object_get(j, "masked")));
    /* birth date and gender come from the id number */
    assert_string_equal(h_str(j, "birth_date"), "1949-12-31");
    assert_string_equal(h_str(j, "gender"), "female");
    assert_int_equal(json_array_size(h_obj(j, "tags")), 2);
    json_decref(j);

    /* a plain read is masked, even for a role with pii */
    j = h_get(h_path("/api/v1/people/%lld", (long long)id), staff, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "id_number"), "110105********002X");
    json_decref(j);
    /* reveal: clear numbers, and the read is in the audit trail */
    j = h_get(h_path("/api/v1/people/%lld?reveal=true", (long long)id), staff, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "id_number"), ID1);
    assert_string_equal(h_str(j, "phone"), "13812345678");
    assert_true(json_is_false(json_object_get(j, "masked")));
    json_decref(j);
    j = h_get(h_path("/api/v1/audit?object_type=person&object_id=%lld", (long long)id), h_admin(),
              &st);
    H_STATUS(st, 200);
    bool revealed = false;
    json_t *it;
    size_t i;
    json_array_foreach(h_items(j), i, it) revealed |= strcmp(h_str(it, "action"), "person.reveal") == 0;
    assert_true(revealed);
    /* no audit entry carries the clear number */
    char *dump = json_dumps(j, 0);
    assert_null(strstr(dump, ID1));
    free(dump);
    json_decref(j);
    /* command reads but may not unmask */
    j = h_get(h_path("/api/v1/people/%lld?reveal=true", (long long)id), cmd, &st);
    H_STATUS(st, 403);
    h_check_error(j, "reveal");
    json_decref(j);

    /* PATCH with the version; a stale version is 409 */
    j = h_patch(h_path("/api/v1/people/%lld", (long long)id), staff,
                json_pack("{s:s, s:i}", "name", "张秀英2", "version", 1), &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "version"), 2);
    assert_string_equal(h_str(j, "id_number"), "110105********002X"); /* kept */
    json_decref(j);
    j = h_patch(h_path("/api/v1/people/%lld", (long long)id), staff,
                json_pack("{s:s, s:i}", "name", "x", "version", 1), &st);
    H_STATUS(st, 409);
    json_decref(j);
    /* exact lookup by id number through the blind index */
    j = h_get("/api/v1/people?id_number=" ID1, go_a, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    json_decref(j);
    j = h_get("/api/v1/people?phone=13812345678&tag=elderly_alone", staff, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, id));
    json_decref(j);
    j = h_get("/api/v1/people?tag=veteran", staff, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, id));
    json_decref(j);

    /* sealed at rest: the clear numbers are in none of the database's files */
    const char *db = app_db_url(h_app());
    const char *suffix[] = {"", "-wal"};
    for (int k = 0; k < 2; k++) {
        char path[1100];
        snprintf(path, sizeof path, "%s%s", db, suffix[k]);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        size_t cap = 1 << 20, len = 0, got;
        char *buf = malloc(cap);
        while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
            len += got;
            if (len == cap)
                buf = realloc(buf, cap *= 2);
        }
        fclose(f);
        assert_null(memmem(buf, len, ID1, 18));
        assert_null(memmem(buf, len, "13812345678", 11));
        free(buf);
    }

    /* DELETE, then it is gone */
    j = h_req("DELETE", h_path("/api/v1/people/%lld", (long long)id), staff, NULL, NULL, 0, &st);
    H_STATUS(st, 204);
    json_decref(j);
    j = h_get(h_path("/api/v1/people/%lld", (long long)id), staff, &st);
    H_STATUS(st, 404);
    json_decref(j);
}

static void test_bad_input(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/people", staff, person_body(C.grid_a, "李", ID_BAD, NULL), &st);
    H_STATUS(st, 422);
    h_check_error(j, "id_number");
    assert_non_null(strstr(json_string_value(json_object_get(h_obj(j, "error"), "message")),
                           "校验码"));
    json_decref(j);
    j = h_post("/api/v1/people", staff, person_body(C.grid_a, "李", "1101011990030700", NULL), &st);
    H_STATUS(st, 422);
    h_check_error(j, "id_number");
    json_decref(j);
    j = h_post("/api/v1/people", staff, person_body(C.grid_a, "李", NULL, "12-abc"), &st);
    H_STATUS(st, 422);
    h_check_error(j, "phone");
    json_decref(j);
    json_t *b = person_body(C.grid_a, "李", ID2, NULL);
    json_object_set_new(b, "birth_date", json_string("1991-01-01"));
    j = h_post("/api/v1/people", staff, b, &st);
    H_STATUS(st, 422);
    h_check_error(j, "birth_date");
    json_decref(j);
    b = person_body(C.grid_a, "李", NULL, NULL);
    json_object_set_new(b, "tags", json_pack("[s]", "pirate"));
    j = h_post("/api/v1/people", staff, b, &st);
    H_STATUS(st, 422);
    h_check_error(j, "tags");
    json_decref(j);
    char longname[300];
    memset(longname, 'a', 65);
    longname[65] = '\0';
    j = h_post("/api/v1/people", staff, person_body(C.grid_a, longname, NULL, NULL), &st);
    H_STATUS(st, 422);
    h_check_error(j, "name");
    json_decref(j);
    /* a person hangs on a community, grid, building or unit */
    j = h_post("/api/v1/people", h_admin(), person_body(C.street, "李", NULL, NULL), &st);
    H_STATUS(st, 422);
    h_check_error(j, "org_id");
    json_decref(j);
    /* the same id number twice */
    person(staff, C.grid_a, "李四", ID2, NULL);
    j = h_post("/api/v1/people", staff, person_body(C.grid_b, "李四二", ID2, NULL), &st);
    H_STATUS(st, 409);
    h_check_error(j, "id_number");
    json_decref(j);
}

static void test_scope(void **state)
{
    (void)state;
    setup();
    long st;
    int64_t pa = person(go_a, C.grid_a, "网格甲居民", NULL, "13900001111");
    int64_t pc = person(staff2, grid_c, "丙网格居民", NULL, NULL);
    /* a grid officer writes only in its grid */
    json_t *j = h_post("/api/v1/people", go_a, person_body(C.grid_b, "乙", NULL, NULL), &st);
    H_STATUS(st, 403);
    json_decref(j);
    /* another community's staff: 404 and not listed; cannot change it either */
    j = h_get(h_path("/api/v1/people/%lld", (long long)pa), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get("/api/v1/people?limit=500", staff2, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, pa));
    assert_true(h_list_has(j, pc));
    json_decref(j);
    j = h_patch(h_path("/api/v1/people/%lld", (long long)pa), staff2,
                json_pack("{s:s}", "name", "x"), &st);
    H_STATUS(st, 404);
    json_decref(j);
    /* command reads the district, masked, and may not write */
    j = h_get(h_path("/api/v1/people/%lld", (long long)pa), cmd, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "phone"), "139****1111");
    json_decref(j);
    j = h_post("/api/v1/people", cmd, person_body(C.grid_a, "x", NULL, NULL), &st);
    H_STATUS(st, 403);
    json_decref(j);
    /* a handler sees no people */
    j = h_get("/api/v1/people", handler, &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = h_get(h_path("/api/v1/people/%lld", (long long)pa), handler, &st);
    H_STATUS(st, 404);
    json_decref(j);
    /* a resident linked to its person record sees itself and nobody else */
    j = h_post("/api/v1/users", h_admin(),
               json_pack("{s:s, s:s, s:s, s:I, s:I}", "username", "pp_res", "password",
                         H_PASSWORD, "role", "resident", "scope_org_id", (json_int_t)C.grid_a,
                         "person_id", (json_int_t)pa),
               &st);
    H_STATUS(st, 201);
    json_decref(j);
    char *res = h_login("pp_res", H_PASSWORD);
    j = h_get(h_path("/api/v1/people/%lld", (long long)pa), res, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "phone"), "139****1111");
    json_decref(j);
    j = h_get("/api/v1/people", res, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    assert_true(h_list_has(j, pa));
    json_decref(j);
    int64_t other = person(go_a, C.grid_a, "邻居", NULL, NULL);
    j = h_get(h_path("/api/v1/people/%lld", (long long)other), res, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_get(h_path("/api/v1/people/%lld?reveal=true", (long long)pa), res, &st);
    H_STATUS(st, 403);
    json_decref(j);
    j = h_patch(h_path("/api/v1/people/%lld", (long long)pa), res,
                json_pack("{s:s}", "name", "x"), &st);
    H_STATUS(st, 403);
    json_decref(j);
    free(res);
}

static void test_households_and_houses(void **state)
{
    (void)state;
    setup();
    long st;
    json_t *j = h_post("/api/v1/houses", staff,
                       json_pack("{s:I, s:s, s:s, s:s, s:s, s:f}", "org_id", (json_int_t)C.grid_a,
                                 "building", "3", "unit", "2", "room", "301", "use", "residential",
                                 "area", 86.5),
                       &st);
    H_STATUS(st, 201);
    int64_t house = h_int(j, "id");
    json_decref(j);
    j = h_post("/api/v1/households", staff,
               json_pack("{s:I, s:s, s:s, s:s, s:I}", "org_id", (json_int_t)C.grid_a, "code",
                         "PP-H1", "address", "幸福路 1 号", "color", "yellow", "house_id",
                         (json_int_t)house),
               &st);
    H_STATUS(st, 201);
    int64_t hh = h_int(j, "id");
    assert_string_equal(h_str(j, "color"), "yellow");
    assert_string_equal(h_str(j, "color_name"), "关注户");
    json_decref(j);
    j = h_post("/api/v1/households", staff,
               json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)C.grid_a, "code", "PP-H1",
                         "color", "red"),
               &st);
    H_STATUS(st, 409);
    json_decref(j);
    j = h_post("/api/v1/households", staff,
               json_pack("{s:I, s:s, s:s}", "org_id", (json_int_t)C.grid_a, "code", "PP-H2",
                         "color", "blue"),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "color");
    json_decref(j);
    json_t *b = person_body(C.grid_a, "户主", NULL, NULL);
    json_object_set_new(b, "household_id", json_integer(hh));
    j = h_post("/api/v1/people", staff, b, &st);
    H_STATUS(st, 201);
    int64_t member = h_int(j, "id");
    json_decref(j);
    j = h_get(h_path("/api/v1/households/%lld", (long long)hh), go_a, &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "members"), 1);
    json_decref(j);
    /* 三色: the colour changes and filters the list */
    j = h_patch(h_path("/api/v1/households/%lld", (long long)hh), go_a,
                json_pack("{s:s}", "color", "red"), &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(j, "color"), "red");
    json_decref(j);
    j = h_get("/api/v1/households?color=red", staff, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, hh));
    json_decref(j);
    j = h_get("/api/v1/households?color=green", staff, &st);
    H_STATUS(st, 200);
    assert_false(h_list_has(j, hh));
    json_decref(j);
    /* not visible to another community; not deletable while people live in it */
    j = h_get(h_path("/api/v1/households/%lld", (long long)hh), staff2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    j = h_req("DELETE", h_path("/api/v1/households/%lld", (long long)hh), staff, NULL, NULL, 0,
              &st);
    H_STATUS(st, 409);
    json_decref(j);
    j = h_req("DELETE", h_path("/api/v1/people/%lld", (long long)member), staff, NULL, NULL, 0,
              &st);
    H_STATUS(st, 204);
    json_decref(j);
    j = h_req("DELETE", h_path("/api/v1/households/%lld", (long long)hh), staff, NULL, NULL, 0,
              &st);
    H_STATUS(st, 204);
    json_decref(j);
    j = h_get("/api/v1/houses?use=residential", go_a, &st);
    H_STATUS(st, 200);
    assert_true(h_list_has(j, house));
    json_decref(j);
}

static int64_t count_people(const char *tok, int64_t org)
{
    long st;
    json_t *j = h_get(h_path("/api/v1/people?org_id=%lld&limit=500", (long long)org), tok, &st);
    H_STATUS(st, 200);
    int64_t n = (int64_t)json_array_size(h_items(j));
    json_decref(j);
    return n;
}

static void test_import_csv(void **state)
{
    (void)state;
    setup();
    long st;
    /* one bad check character in row 3 and an unknown org in row 4: nothing is imported */
    const char *bad = "\xef\xbb\xbforg_code,姓名,身份证号,手机号,户编号,三色,标签\n"
                      "PP-S2CG,甲,320106198511051235,13800000001,PP-IH1,黄,独居\n"
                      "PP-S2CG,乙," ID_BAD ",,PP-IH1,,\n"
                      "PP-NONE,丙,,,,,\n"
                      "PP-S2CG,\"丁, 有逗号\",,,PP-IH2,紫,\n";
    json_t *j = h_req("POST", "/api/v1/people/import", staff2, "text/csv", bad, strlen(bad), &st);
    H_STATUS(st, 422);
    h_check_error(j, NULL);
    json_t *errs = h_obj(j, "errors");
    assert_int_equal(json_array_size(errs), 3);
    assert_int_equal(h_int(json_array_get(errs, 0), "row"), 3);
    assert_string_equal(h_str(json_array_get(errs, 0), "column"), "身份证号");
    assert_int_equal(h_int(json_array_get(errs, 1), "row"), 4);
    assert_string_equal(h_str(json_array_get(errs, 1), "column"), "org_code");
    assert_int_equal(h_int(json_array_get(errs, 2), "row"), 5);
    assert_string_equal(h_str(json_array_get(errs, 2), "column"), "三色");
    json_decref(j);
    int64_t before = count_people(staff2, grid_c);
    assert_int_equal(before, 1); /* test_scope's 丙网格居民 only: row 2 was rolled back */

    const char *good = "org_code,姓名,身份证号,手机号,户编号,三色,标签,党员\r\n"
                       "PP-S2CG,甲,320106198511051235,13800000001,PP-IH1,黄,独居,是\r\n"
                       "PP-S2CG,\"丁, 有逗号\",,,PP-IH1,,,否\r\n";
    j = h_req("POST", "/api/v1/people/import", staff2, "text/csv", good, strlen(good), &st);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "people_created"), 2);
    assert_int_equal(h_int(j, "households_created"), 1);
    json_decref(j);
    assert_int_equal(count_people(staff2, grid_c), before + 2);
    /* staff of another community cannot import into this one */
    j = h_req("POST", "/api/v1/people/import", staff, "text/csv", good, strlen(good), &st);
    H_STATUS(st, 422);
    json_decref(j);
    /* wrong content type */
    j = h_req("POST", "/api/v1/people/import", staff2, "application/json", "{}", 2, &st);
    H_STATUS(st, 415);
    json_decref(j);
    /* a header without the required columns */
    j = h_req("POST", "/api/v1/people/import", staff2, "text/csv", "foo\n1\n", 6, &st);
    H_STATUS(st, 422);
    assert_true(json_array_size(h_obj(j, "errors")) >= 2);
    json_decref(j);
}

/* An XLSX written by libxlsxwriter (shared strings), with `broken` adding a bad row. */
static char *xlsx(bool broken, size_t *len)
{
    char path[] = "/tmp/gg_people_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "人员");
    const char *head[] = {"org_code", "name", "id_number", "phone", "household_code", "tags"};
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    worksheet_write_string(ws, 1, 0, "PP-GA", NULL);
    worksheet_write_string(ws, 1, 1, "表格甲", NULL);
    worksheet_write_string(ws, 1, 2, "440304200002291236", NULL);
    worksheet_write_number(ws, 1, 3, 13700001234, NULL); /* a number cell */
    worksheet_write_string(ws, 1, 4, "PP-XH1", NULL);
    worksheet_write_string(ws, 1, 5, "veteran、残疾", NULL);
    worksheet_write_string(ws, 2, 0, "PP-GA", NULL);
    worksheet_write_string(ws, 2, 1, "表格乙", NULL); /* sparse row: no id, no phone */
    worksheet_write_string(ws, 2, 4, "PP-XH1", NULL);
    if (broken) {
        worksheet_write_string(ws, 4, 0, "PP-GA", NULL);
        worksheet_write_string(ws, 4, 1, "坏行", NULL);
        worksheet_write_string(ws, 4, 2, "44030420000229123X", NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc(*len);
    assert_int_equal(fread(d, 1, *len, f), *len);
    fclose(f);
    unlink(path);
    return d;
}

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static void test_import_xlsx(void **state)
{
    (void)state;
    setup();
    long st;
    size_t len;
    int64_t before = count_people(go_a, C.grid_a);
    char *d = xlsx(true, &len);
    json_t *j = h_req("POST", "/api/v1/people/import", go_a, XLSX_TYPE, d, len, &st);
    free(d);
    H_STATUS(st, 422);
    json_t *errs = h_obj(j, "errors");
    assert_int_equal(json_array_size(errs), 1);
    assert_int_equal(h_int(json_array_get(errs, 0), "row"), 5); /* the sheet's row number */
    assert_string_equal(h_str(json_array_get(errs, 0), "column"), "id_number");
    json_decref(j);
    assert_int_equal(count_people(go_a, C.grid_a), before);

    d = xlsx(false, &len);
    j = h_req("POST", "/api/v1/people/import", go_a, XLSX_TYPE, d, len, &st);
    free(d);
    H_STATUS(st, 200);
    assert_int_equal(h_int(j, "people_created"), 2);
    json_decref(j);
    j = h_get("/api/v1/people?id_number=440304200002291236&tag=veteran", go_a, &st);
    H_STATUS(st, 200);
    assert_int_equal(json_array_size(h_items(j)), 1);
    json_t *p = json_array_get(h_items(j), 0);
    assert_string_equal(h_str(p, "phone"), "137****1234");
    assert_string_equal(h_str(p, "gender"), "male");
    json_decref(j);
    /* junk that is not a zip */
    j = h_req("POST", "/api/v1/people/import", go_a, XLSX_TYPE, "PK\x03\x04junk", 8, &st);
    H_STATUS(st, 422);
    h_check_error(j, "file");
    json_decref(j);
}

static int teardown(void **state)
{
    free(staff);
    free(staff2);
    free(go_a);
    free(cmd);
    free(handler);
    return h_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crud_and_masks), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_scope),          cmocka_unit_test(test_households_and_houses),
        cmocka_unit_test(test_import_csv),     cmocka_unit_test(test_import_xlsx),
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
