/* test_misc.c - attachments, audit, operations endpoints and the HTTP edges over real HTTP
 * (API.md conventions, POST/GET /attachments, GET /audit, /healthz, /metrics,
 * /api/openapi.json): bodies that are malformed, of the wrong type, too large or too long. */
#include "harness.h"
#include "../pg/testdb.h"

#include "http/http_int.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct h_city C;
static char *t_r1, *t_r2, *t_go_a, *t_go_b, *t_cmd;

static void city(void)
{
    if (C.district)
        return;
    h_city_build(&C, "MS");
    t_r1 = h_user_token("ms_r1", "resident", C.community, NULL);
    t_r2 = h_user_token("ms_r2", "resident", C.community, NULL);
    t_go_a = h_user_token("ms_go_a", "grid_officer", C.grid_a, NULL);
    t_go_b = h_user_token("ms_go_b", "grid_officer", C.grid_b, NULL);
    t_cmd = h_user_token("ms_cmd", "command", C.district, NULL);
}

static int teardown(void **state)
{
    free(t_r1);
    free(t_r2);
    free(t_go_a);
    free(t_go_b);
    free(t_cmd);
    return h_stop(state);
}

/* an error answer: status `want` (or `alt` when alt != 0) and the error shape */
static void raw_error(const char *method, const char *path, const char *tok, const char *ct,
                      const void *body, size_t len, long want, long alt, const char *field)
{
    struct h_resp r;
    if (h_raw(method, path, tok, ct, body, len, &r) != 0)
        fail_msg("transport error\n%s", h_last());
    if (r.status != want && (alt == 0 || r.status != alt))
        fail_msg("status %ld, want %ld%s\n%s", r.status, want, alt ? " (or the alternative)" : "",
                 h_last());
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    h_check_error(j, field);
    json_decref(j);
    h_resp_release(&r);
}

/* ---- attachments ---- */

static unsigned char *png(size_t len)
{
    static const unsigned char sig[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
                                        0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    unsigned char *b = malloc(len);
    assert_non_null(b);
    for (size_t i = 0; i < len; i++)
        b[i] = (unsigned char)(i * 7 + 3);
    memcpy(b, sig, len < sizeof sig ? len : sizeof sig);
    return b;
}

static unsigned char *jpeg(size_t len)
{
    static const unsigned char sig[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J',
                                        'F',  'I',  'F',  0x00, 0x01, 0x01};
    unsigned char *b = malloc(len);
    assert_non_null(b);
    for (size_t i = 0; i < len; i++)
        b[i] = (unsigned char)(i * 13 + 1);
    memcpy(b, sig, sizeof sig);
    b[len - 2] = 0xff;
    b[len - 1] = 0xd9;
    return b;
}

static void hex_sha256(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    for (size_t i = 0; i < sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* uploads; returns the id (fails unless 201 with the documented fields) */
static int64_t upload(const char *tok, const void *data, size_t len, const char *ct)
{
    long st = 0;
    json_t *j = h_req("POST", "/api/v1/attachments", tok, ct, data, len, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    char want[65];
    hex_sha256(data, len, want);
    assert_string_equal(h_str(j, "sha256"), want);
    assert_int_equal(h_int(j, "size"), (int64_t)len);
    assert_string_equal(h_str(j, "content_type"), ct);
    json_decref(j);
    return id;
}

static void download_equals(const char *tok, int64_t id, const void *data, size_t len,
                            const char *ct)
{
    struct h_resp r;
    assert_int_equal(
        h_raw("GET", h_path("/api/v1/attachments/%lld", (long long)id), tok, NULL, NULL, 0, &r), 0);
    if (r.status != 200)
        fail_msg("status %ld, want 200\n%s", r.status, h_last());
    assert_true(strncmp(r.content_type, ct, strlen(ct)) == 0);
    assert_int_equal(r.len, len);
    assert_memory_equal(r.body, data, len);
    h_resp_release(&r);
}

static void test_attachments_png_jpeg(void **state)
{
    (void)state;
    city();
    unsigned char *p = png(300);
    unsigned char *q = jpeg(500);
    int64_t pid = upload(t_r1, p, 300, "image/png");
    int64_t jid = upload(t_r1, q, 500, "image/jpeg");
    assert_true(pid != jid);
    download_equals(t_r1, pid, p, 300, "image/png");
    download_equals(t_r1, jid, q, 500, "image/jpeg");
    free(p);
    free(q);
}

static void test_attachments_wrong_magic(void **state)
{
    (void)state;
    city();
    unsigned char *p = png(200);
    unsigned char *q = jpeg(200);
    /* the bytes do not match the declared type */
    raw_error("POST", "/api/v1/attachments", t_r1, "image/jpeg", p, 200, 415, 422, NULL);
    raw_error("POST", "/api/v1/attachments", t_r1, "image/png", q, 200, 415, 422, NULL);
    static const char text[] = "GIF89a this is not a PNG at all, nor a JPEG";
    raw_error("POST", "/api/v1/attachments", t_r1, "image/png", text, sizeof text - 1, 415, 422,
              NULL);
    /* types that are not accepted at all */
    raw_error("POST", "/api/v1/attachments", t_r1, "image/gif", text, sizeof text - 1, 415, 0,
              NULL);
    raw_error("POST", "/api/v1/attachments", t_r1, "text/plain", p, 200, 415, 0, NULL);
    raw_error("POST", "/api/v1/attachments", t_r1, "application/json", "{}", 2, 415, 0, NULL);
    /* an empty body */
    raw_error("POST", "/api/v1/attachments", t_r1, "image/png", "", 0, 422, 415, NULL);
    /* no token */
    raw_error("POST", "/api/v1/attachments", NULL, "image/png", p, 200, 401, 0, NULL);
    free(p);
    free(q);
}

static void test_attachments_size(void **state)
{
    (void)state;
    city();
    const size_t mib10 = (size_t)10 << 20;
    unsigned char *p = png(mib10 + 1);
    upload(t_r1, p, mib10, "image/png"); /* exactly 10 MiB: accepted */
    raw_error("POST", "/api/v1/attachments", t_r1, "image/png", p, mib10 + 1, 413, 0, NULL);
    free(p);
    p = png((size_t)12 << 20);
    raw_error("POST", "/api/v1/attachments", t_r1, "image/png", p, (size_t)12 << 20, 413, 0, NULL);
    free(p);
}

static void test_attachments_scope(void **state)
{
    (void)state;
    city();
    unsigned char *p = png(400);
    p[100] = 0x42; /* not the same bytes as other tests' uploads */
    int64_t id = upload(t_r1, p, 400, "image/png");
    long st = 0;
    /* nobody else reads it while it belongs to no visible event */
    const char *others[] = {t_r2, t_go_a, t_go_b};
    for (size_t i = 0; i < 3; i++) {
        json_t *j = h_get(h_path("/api/v1/attachments/%lld", (long long)id), others[i], &st);
        H_STATUS(st, 404);
        h_check_error(j, NULL);
        json_decref(j);
    }
    json_t *j = h_get("/api/v1/attachments/987654321", t_r1, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* someone else cannot attach it to their own report */
    json_t *b = json_pack("{s:s, s:s, s:f, s:f, s:s, s:[I]}", "category_code", "0101",
                          "description", "MS-AT 借用别人的照片", "lat", H_A_LAT, "lon", H_A_LON,
                          "source", "app", "attachment_ids", (json_int_t)id);
    j = h_post("/api/v1/events", t_r2, b, &st);
    if (st != 404 && st != 422 && st != 403)
        fail_msg("status %ld, want 404, 422 or 403\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get(h_path("/api/v1/attachments/%lld", (long long)id), t_r2, &st);
    H_STATUS(st, 404);
    json_decref(j);
    /* linked to the uploader's report in grid A: grid A's officer reads it, grid B's not */
    b = json_pack("{s:s, s:s, s:f, s:f, s:s, s:[I]}", "category_code", "0101", "description",
                  "MS-AT 带照片", "lat", H_A_LAT, "lon", H_A_LON, "source", "app", "attachment_ids",
                  (json_int_t)id);
    j = h_post("/api/v1/events", t_r1, b, &st);
    H_STATUS(st, 201);
    int64_t ev = h_int(j, "id");
    json_decref(j);
    j = h_get(h_path("/api/v1/events/%lld", (long long)ev), t_go_a, &st);
    H_STATUS(st, 200);
    json_t *ids = h_obj(j, "attachment_ids");
    assert_int_equal(json_array_size(ids), 1);
    assert_int_equal(json_integer_value(json_array_get(ids, 0)), id);
    json_decref(j);
    download_equals(t_go_a, id, p, 400, "image/png");
    download_equals(t_cmd, id, p, 400, "image/png");
    j = h_get(h_path("/api/v1/attachments/%lld", (long long)id), t_go_b, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    j = h_get(h_path("/api/v1/attachments/%lld", (long long)id), t_r2, &st);
    H_STATUS(st, 404);
    h_check_error(j, NULL);
    json_decref(j);
    /* an attachment id that does not exist cannot be linked */
    b = json_pack("{s:s, s:s, s:f, s:f, s:s, s:[I]}", "category_code", "0101", "description",
                  "MS-AT 不存在的照片", "lat", H_A_LAT, "lon", H_A_LON, "source", "app",
                  "attachment_ids", (json_int_t)987654321);
    j = h_post("/api/v1/events", t_r1, b, &st);
    if (st != 404 && st != 422)
        fail_msg("status %ld, want 404 or 422\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
    free(p);
}

static void test_attachments_same_bytes_two_users(void **state)
{
    (void)state;
    city();
    /* the same photo uploaded by two residents: each reads their own upload */
    unsigned char *p = png(777);
    p[200] = 0x77;
    int64_t a = upload(t_r1, p, 777, "image/png");
    int64_t b = upload(t_r2, p, 777, "image/png");
    download_equals(t_r1, a, p, 777, "image/png");
    download_equals(t_r2, b, p, 777, "image/png");
    free(p);
}

/* ---- audit ---- */

static void test_audit(void **state)
{
    (void)state;
    city();
    int64_t org = h_org(h_admin(), C.community, "grid", "MS-AUD-G", "审计网格",
                        h_rect(118.50, 41.00, 118.51, 41.01), NULL);
    long st = 0;
    json_t *l = h_get(h_path("/api/v1/audit?object_type=org&object_id=%lld", (long long)org),
                      h_admin(), &st);
    H_STATUS(st, 200);
    json_t *items = h_items(l);
    assert_true(json_array_size(items) >= 1);
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v)
    {
        assert_string_equal(h_str(v, "object_type"), "org");
        assert_int_equal(h_int(v, "object_id"), org);
        (void)h_str(v, "action");
        (void)h_str(v, "at");
        (void)h_str(v, "hash");
    }
    json_decref(l);

    /* an event's report and action leave entries too */
    int64_t ev = h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "MS-AUD 审计事件");
    json_t *a = h_act(t_cmd, ev, "register", &st);
    H_STATUS(st, 200);
    json_decref(a);
    l = h_get(h_path("/api/v1/audit?object_type=event&object_id=%lld", (long long)ev), h_admin(),
              &st);
    H_STATUS(st, 200);
    assert_true(json_array_size(h_items(l)) >= 2);
    json_decref(l);
    /* the trail is hash-chained: each entry's prev_hash is the hash of the entry before */
    l = h_get("/api/v1/audit?limit=500", h_admin(), &st);
    H_STATUS(st, 200);
    items = h_items(l);
    size_t n = json_array_size(items);
    assert_true(n >= 3);
    int pairs = 0;
    for (size_t x = 0; x < n; x++) {
        json_t *ex = json_array_get(items, x);
        for (size_t y = 0; y < n; y++) {
            json_t *ey = json_array_get(items, y);
            if (h_int(ey, "id") != h_int(ex, "id") + 1)
                continue;
            if (h_is_null(ey, "prev_hash") ||
                strcmp(h_str(ey, "prev_hash"), h_str(ex, "hash")) != 0)
                fail_msg("audit %lld: prev_hash is not the hash of %lld\n%s",
                         (long long)h_int(ey, "id"), (long long)h_int(ex, "id"), h_last());
            pairs++;
        }
    }
    assert_true(pairs >= 2);
    json_decref(l);
    /* unfiltered, for the command centre */
    l = h_get("/api/v1/audit", t_cmd, &st);
    H_STATUS(st, 200);
    assert_true(json_array_size(h_items(l)) >= 1);
    json_decref(l);

    /* roles without the audit trail */
    const char *roles[] = {"resident", "grid_officer", "staff", "handler", "member"};
    for (size_t k = 0; k < 5; k++) {
        char name[32];
        snprintf(name, sizeof name, "ms_aud_%zu", k);
        char *tok = h_user_token(name, roles[k], C.community, NULL);
        json_t *j = h_get("/api/v1/audit", tok, &st);
        H_STATUS(st, 403);
        h_check_error(j, NULL);
        json_decref(j);
        j = h_get(h_path("/api/v1/audit?object_type=org&object_id=%lld", (long long)org), tok, &st);
        H_STATUS(st, 403);
        h_check_error(j, NULL);
        json_decref(j);
        free(tok);
    }
    json_t *j = h_get("/api/v1/audit", NULL, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
}

/* ---- operations ---- */

static void test_healthz(void **state)
{
    (void)state;
    struct h_resp r;
    assert_int_equal(h_raw("GET", "/healthz", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    /* API.md: 200 `ok`. The plain text "ok", or a JSON {"status": "ok"} */
    bool ok = (r.len == 2 || (r.len == 3 && r.body[2] == '\n')) && memcmp(r.body, "ok", 2) == 0;
    if (!ok) {
        json_t *j = json_loadb(r.body, r.len, 0, NULL);
        json_t *s = j ? json_object_get(j, "status") : NULL;
        ok = json_is_string(s) && strcmp(json_string_value(s), "ok") == 0;
        json_decref(j);
    }
    if (!ok)
        fail_msg("/healthz body is neither \"ok\" nor {\"status\":\"ok\"}\n%s", h_last());
    h_resp_release(&r);
    /* no token needed, and the API's auth does not apply */
    assert_int_equal(h_raw("GET", "/healthz", "bogus-token", NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    h_resp_release(&r);
}

/* the sum of the samples of every metric whose name contains `name_part` and whose line
 * contains `label` (may be NULL) */
static double metric_sum(const char *text, const char *name_part, const char *label, int *lines)
{
    double sum = 0;
    *lines = 0;
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char line[1024];
        if (n < sizeof line && n > 0 && p[0] != '#') {
            memcpy(line, p, n);
            line[n] = 0;
            char *sp = strrchr(line, ' ');
            char *brace = strchr(line, '{');
            size_t name_len = brace ? (size_t)(brace - line) : (sp ? (size_t)(sp - line) : n);
            char name[256];
            if (name_len < sizeof name && sp) {
                memcpy(name, line, name_len);
                name[name_len] = 0;
                if (strstr(name, name_part) && (!label || strstr(line, label))) {
                    sum += strtod(sp + 1, NULL);
                    (*lines)++;
                }
            }
        }
        p += n;
        if (*p == '\n')
            p++;
    }
    return sum;
}

static char *metrics_text(void)
{
    struct h_resp r;
    assert_int_equal(h_raw("GET", "/metrics", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(strncmp(r.content_type, "text/plain", 10) == 0);
    char *t = r.body;
    r.body = NULL;
    return t;
}

static void test_metrics(void **state)
{
    (void)state;
    city();
    char *m = metrics_text();
    if (!strstr(m, "# TYPE"))
        fail_msg("no # TYPE line in /metrics:\n%.2000s", m);
    int lines = 0;
    double req0 = metric_sum(m, "request", NULL, &lines);
    if (lines == 0)
        fail_msg("no request counter in /metrics:\n%.2000s", m);
    int ev_lines = 0;
    double rep0 = metric_sum(m, "event", "\"reported\"", &ev_lines);
    if (ev_lines == 0)
        fail_msg("no events-by-status metric with status \"reported\":\n%.2000s", m);
    free(m);
    /* ten requests and one more reported event */
    for (int i = 0; i < 10; i++) {
        long st = 0;
        json_decref(h_get("/api/v1/me", t_r1, &st));
        H_STATUS(st, 200);
    }
    h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "MS-MET 指标");
    m = metrics_text();
    double req1 = metric_sum(m, "request", NULL, &lines);
    double rep1 = metric_sum(m, "event", "\"reported\"", &ev_lines);
    if (req1 < req0 + 11)
        fail_msg("request counters went from %g to %g after 11 requests:\n%.2000s", req0, req1, m);
    if (rep1 < rep0 + 1)
        fail_msg("reported events went from %g to %g after one report:\n%.2000s", rep0, rep1, m);
    /* the group commit: the report was committed; on SQLite its log synced by the syncer
     * (one sync may cover several commits, never the other way round) */
    double commits = metric_sum(m, "gridgov_write_commits_total", NULL, &lines);
    double syncs = metric_sum(m, "gridgov_write_syncs_total", NULL, &lines);
    if (commits < 1 || syncs > commits || (!testdb_server() && syncs < 1))
        fail_msg("commits %g, log syncs %g after a report:\n%.2000s", commits, syncs, m);
    free(m);
    /* a write is answered only after its log sync: once this thread's writes have returned,
     * every deferred one has been synced (none is waiting for the syncer) */
    for (int i = 0; i < 5; i++) {
        h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "MS-MET 同步");
        struct app_write_stats ws;
        app_write_stats(h_app(), &ws);
        if (ws.synced_jobs != ws.deferred_jobs || (!testdb_server() && ws.synced_jobs < 1))
            fail_msg("report %d answered with %lld of %lld deferred writes synced", i,
                     (long long)ws.synced_jobs, (long long)ws.deferred_jobs);
    }
}

static void test_openapi(void **state)
{
    (void)state;
    struct h_resp r;
    assert_int_equal(h_raw("GET", "/api/openapi.json", NULL, NULL, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(strncmp(r.content_type, "application/json", 16) == 0);
    json_error_t je;
    json_t *j = json_loadb(r.body, r.len, 0, &je);
    if (!j)
        fail_msg("not JSON: %s at %d", je.text, je.position);
    h_resp_release(&r);
    const char *ver = h_str(j, "openapi");
    assert_true(strncmp(ver, "3.", 2) == 0);
    (void)h_str(h_obj(j, "info"), "title");
    json_t *paths = h_obj(j, "paths");
    json_t *events = json_object_get(paths, "/api/v1/events");
    if (!events)
        events = json_object_get(paths, "/events");
    if (!json_is_object(events))
        fail_msg("paths has no /events");
    assert_non_null(json_object_get(events, "get"));
    assert_non_null(json_object_get(events, "post"));
    json_t *acts = json_object_get(paths, "/api/v1/events/{id}/actions");
    if (!acts)
        acts = json_object_get(paths, "/events/{id}/actions");
    assert_true(json_is_object(acts));
    json_t *login = json_object_get(paths, "/api/v1/auth/login");
    if (!login)
        login = json_object_get(paths, "/auth/login");
    assert_true(json_is_object(login));
    json_decref(j);
}

/* ---- HTTP edges ---- */

static void test_malformed_json(void **state)
{
    (void)state;
    city();
    static const char *bad[] = {"{\"category_code\": ", "not json", "{\"a\":1}}", "{'a':1}", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        raw_error("POST", "/api/v1/events", t_r1, "application/json", bad[i], strlen(bad[i]), 400,
                  0, NULL);
    raw_error("POST", "/api/v1/auth/login", NULL, "application/json", "{\"username\":", 12, 400, 0,
              NULL);
    /* well-formed JSON that is not an object */
    raw_error("POST", "/api/v1/events", t_r1, "application/json", "[1,2]", 5, 400, 422, NULL);
    raw_error("POST", "/api/v1/events", t_r1, "application/json", "\"x\"", 3, 400, 422, NULL);
    /* invalid UTF-8 inside a string */
    static const char inv[] = "{\"category_code\":\"0101\",\"description\":\"\xff\xfe\","
                              "\"lat\":39.905,\"lon\":116.305,\"source\":\"app\"}";
    raw_error("POST", "/api/v1/events", t_r1, "application/json", inv, sizeof inv - 1, 400, 422,
              NULL);
    /* a NUL inside a string */
    static const char nul[] = "{\"category_code\":\"0101\",\"description\":\"a\\u0000b\","
                              "\"lat\":39.905,\"lon\":116.305,\"source\":\"app\"}";
    raw_error("POST", "/api/v1/events", t_r1, "application/json", nul, sizeof nul - 1, 422, 400,
              NULL);
    /* wrong JSON types for fields */
    long st = 0;
    json_t *j = h_post("/api/v1/events", t_r1,
                       json_pack("{s:i, s:s, s:f, s:f, s:s}", "category_code", 101, "description",
                                 "MS-TY", "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
                       &st);
    H_STATUS(st, 422);
    h_check_error(j, "category_code");
    json_decref(j);
}

static void test_content_type(void **state)
{
    (void)state;
    city();
    char body[256];
    snprintf(body, sizeof body,
             "{\"category_code\":\"0101\",\"description\":\"MS-CT 类型\",\"lat\":%.3f,"
             "\"lon\":%.3f,\"source\":\"app\"}",
             H_A_LAT, H_A_LON);
    raw_error("POST", "/api/v1/events", t_r1, "text/plain", body, strlen(body), 415, 0, NULL);
    raw_error("POST", "/api/v1/events", t_r1, "application/x-www-form-urlencoded", body,
              strlen(body), 415, 0, NULL);
    raw_error("POST", "/api/v1/events", t_r1, NULL, body, strlen(body), 415, 0, NULL);
    raw_error("POST", "/api/v1/auth/login", NULL, "text/plain",
              "{\"username\":\"admin\",\"password\":\"x\"}", 35, 415, 0, NULL);
    /* a charset parameter is fine */
    long st = 0;
    json_t *j = h_req("POST", "/api/v1/events", t_r1, "application/json; charset=utf-8", body,
                      strlen(body), &st);
    H_STATUS(st, 201);
    json_decref(j);
    j = h_req("POST", "/api/v1/events", t_r1, "Application/JSON", body, strlen(body), &st);
    H_STATUS(st, 201);
    json_decref(j);
}

static void test_unknown_path_and_method(void **state)
{
    (void)state;
    city();
    raw_error("GET", "/api/v1/nope", t_r1, NULL, NULL, 0, 404, 0, NULL);
    raw_error("GET", "/api/v2/events", t_r1, NULL, NULL, 0, 404, 0, NULL);
    raw_error("GET", "/api/v1/events/1/nope", t_r1, NULL, NULL, 0, 404, 0, NULL);
    raw_error("GET", "/api/v1/nope", NULL, NULL, NULL, 0, 404, 401, NULL);
    raw_error("DELETE", "/api/v1/events", t_r1, NULL, NULL, 0, 405, 0, NULL);
    raw_error("PUT", "/api/v1/me", t_r1, NULL, NULL, 0, 405, 0, NULL);
    raw_error("DELETE", "/api/v1/orgs/1", h_admin(), NULL, NULL, 0, 405, 0, NULL);
    raw_error("GET", "/api/v1/auth/login", NULL, NULL, NULL, 0, 405, 0, NULL);
    raw_error("PATCH", "/api/v1/events/1/actions", t_r1, "application/json", "{}", 2, 405, 0, NULL);
    /* an id that is not a number */
    struct h_resp r;
    assert_int_equal(h_raw("GET", "/api/v1/events/abc", t_r1, NULL, NULL, 0, &r), 0);
    if (r.status != 404 && r.status != 400 && r.status != 422)
        fail_msg("status %ld, want 404, 400 or 422\n%s", r.status, h_last());
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    h_check_error(j, NULL);
    json_decref(j);
    h_resp_release(&r);
}

static void test_huge_body(void **state)
{
    (void)state;
    city();
    size_t n = (size_t)2 << 20;
    char *body = malloc(n + 200);
    assert_non_null(body);
    int k = snprintf(body, 200,
                     "{\"category_code\":\"0101\",\"lat\":39.905,\"lon\":116.305,\"source\":"
                     "\"app\",\"description\":\"");
    memset(body + k, 'a', n);
    memcpy(body + k + n, "\"}", 3);
    raw_error("POST", "/api/v1/events", t_r1, "application/json", body, strlen(body), 413, 0, NULL);
    raw_error("POST", "/api/v1/auth/login", NULL, "application/json", body, strlen(body), 413, 0,
              NULL);
    free(body);
}

static char *repeat(const char *unit, size_t times)
{
    size_t u = strlen(unit);
    char *s = malloc(u * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    s[u * times] = 0;
    return s;
}

static void test_overlong_strings(void **state)
{
    (void)state;
    city();
    long st = 0;
    /* description: 1000 code points at most, counted as characters, not bytes */
    char *d = repeat("垃", 1000);
    json_t *j = h_post("/api/v1/events", t_r1,
                       json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", "0101",
                                 "description", d, "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
                       &st);
    H_STATUS(st, 201);
    assert_int_equal(strlen(h_str(j, "description")), 3000);
    json_decref(j);
    free(d);
    d = repeat("a", 1001);
    j = h_post("/api/v1/events", t_r1,
               json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", "0101", "description", d,
                         "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "description");
    json_decref(j);
    free(d);
    /* address: 200 */
    d = repeat("路", 201);
    j = h_post("/api/v1/events", t_r1,
               json_pack("{s:s, s:s, s:s, s:f, s:f, s:s}", "category_code", "0101", "description",
                         "MS-LONG", "address", d, "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "address");
    json_decref(j);
    free(d);
    /* device_id */
    d = repeat("D", 200);
    j = h_post("/api/v1/events", t_cmd,
               json_pack("{s:s, s:s, s:s, s:f, s:f, s:s}", "category_code", "0101", "description",
                         "MS-LONG", "device_id", d, "lat", H_A_LAT, "lon", H_A_LON, "source",
                         "sensor"),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "device_id");
    json_decref(j);
    free(d);
    /* category_code */
    d = repeat("0", 100);
    j = h_post("/api/v1/events", t_r1,
               json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", d, "description", "MS-LONG",
                         "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "category_code");
    json_decref(j);
    free(d);
    /* org name: 64 */
    d = repeat("名", 65);
    j = h_post("/api/v1/orgs", h_admin(),
               json_pack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)C.district, "kind",
                         "street", "code", "MS-LONGNAME", "name", d),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "name");
    json_decref(j);
    free(d);
    d = repeat("名", 64);
    h_org(h_admin(), C.district, "street", "MS-LONGNAME", d, NULL, NULL);
    free(d);
    /* username: 32 */
    d = repeat("u", 33);
    j = h_post("/api/v1/users", h_admin(),
               json_pack("{s:s, s:s, s:s, s:I}", "username", d, "password", H_PASSWORD, "role",
                         "staff", "scope_org_id", (json_int_t)C.community),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "username");
    json_decref(j);
    free(d);
    /* an action's note: 500 */
    int64_t ev = h_event_id(t_r1, "0101", H_A_LAT, H_A_LON, "app", "MS-LONG 备注");
    d = repeat("注", 501);
    j = h_act_with(t_cmd, ev, "register", json_pack("{s:s}", "note", d), &st);
    H_STATUS(st, 422);
    h_check_error(j, "note");
    json_decref(j);
    free(d);
    /* nothing happened to the event */
    long st2 = 0;
    j = h_get(h_path("/api/v1/events/%lld", (long long)ev), t_cmd, &st2);
    H_STATUS(st2, 200);
    assert_string_equal(h_str(j, "status"), "reported");
    json_decref(j);
    d = repeat("注", 500);
    j = h_act_with(t_cmd, ev, "register", json_pack("{s:s}", "note", d), &st);
    H_STATUS(st, 200);
    json_decref(j);
    free(d);
}

/* ---- jw.c: the fast JSON writer gives json_dumps' bytes ---- */

static void jw_same(json_t *j)
{
    char *want = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
    assert_non_null(want);
    struct jw w;
    jw_init(&w);
    jw_json(&w, j);
    assert_int_equal(w.rc, 0);
    if (strlen(want) != w.b.len || memcmp(want, w.b.data, w.b.len) != 0)
        fail_msg("jw_json differs from json_dumps:\n want %s\n got  %s", want, w.b.data);
    jw_release(&w);
    free(want);
    json_decref(j);
}

static void test_jw_matches_jansson(void **state)
{
    (void)state;
    /* every ASCII byte, escapes, Chinese, an embedded NUL */
    char all[128];
    for (int c = 1; c < 128; c++)
        all[c - 1] = (char)c;
    all[127] = '\0';
    jw_same(json_pack("{s:s, s:s, s:s}", "ascii", all, "zh", "网格员“张三”\\上报/处置\t完成",
                      "key\"with\\escapes\n", "v"));
    jw_same(json_pack("[s%, s, s]", "a\0b", (size_t)3, "", "\x7f"));
    /* integers and reals of every magnitude, integral reals, exponents */
    json_t *a = json_array();
    const double reals[] = {0.0,    -0.0,    1.0,        44.0,        43.851919569517,
                            126.4011071586, -126.4,  0.1,  1e-5,   1e-10, 1.5e-7,
                            123456789012.0, 1234567890123.0, 1e15,  1e20, 1.25e100,
                            -3.75e-300, 2.5,  1.0 / 3.0, 6.02214076e23, 99.99};
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        json_array_append_new(a, json_real(reals[i]));
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 2000; i++) { /* xorshift: random bit patterns that are finite doubles */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        memcpy(&d, &x, sizeof d);
        if (isfinite(d))
            json_array_append_new(a, json_real(d));
        json_array_append_new(a, json_real((double)(int64_t)(x % 2000000001) / 1e6));
        json_array_append_new(a, json_integer((json_int_t)x));
    }
    json_array_append_new(a, json_integer(INT64_MIN));
    json_array_append_new(a, json_integer(INT64_MAX));
    json_array_append_new(a, json_integer(0));
    jw_same(a);
    /* nesting, empty containers, literals, insertion order of keys */
    jw_same(json_pack("{s:{}, s:[], s:[{s:b, s:b, s:n}], s:{s:{s:[i, [i]]}}, s:i, s:s}", "e", "a",
                      "l", "t", 1, "f", 0, "n", "deep", "x", "y", 1, 2, "z", 3, "b", "last"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attachments_png_jpeg),
        cmocka_unit_test(test_attachments_wrong_magic),
        cmocka_unit_test(test_attachments_size),
        cmocka_unit_test(test_attachments_scope),
        cmocka_unit_test(test_attachments_same_bytes_two_users),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_content_type),
        cmocka_unit_test(test_unknown_path_and_method),
        cmocka_unit_test(test_huge_body),
        cmocka_unit_test(test_overlong_strings),
        cmocka_unit_test(test_jw_matches_jansson),
    };
    return cmocka_run_group_tests(tests, h_start, teardown);
}
