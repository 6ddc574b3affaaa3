/* harness.c - the API tests' fixture: starts the real server in-process with a fresh database,
 * and speaks HTTP to it with libcurl. It is test code only: it never reaches into the server's
 * internals beyond the public app.h / server.h entry points. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "harness.h"

#include <curl/curl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "base/error.h"
#include "base/time.h"
#include "http/server.h"
#include "../pg/testdb.h"

static struct app *g_app;
static struct http_server *g_srv;
static uint16_t g_port;
static char g_dir[256];
static char g_pg_name[64]; /* the test's PostgreSQL database when GRIDGOV_TEST_PG is set */
static char *g_admin_token;
static int64_t g_root;

static __thread char t_last[8192];

uint16_t h_port(void)
{
    return g_port;
}

struct app *h_app(void)
{
    return g_app;
}
const char *h_admin(void)
{
    return g_admin_token;
}
int64_t h_root_id(void)
{
    return g_root;
}
const char *h_last(void)
{
    return t_last;
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

int h_start(void **state)
{
    (void)state;
    struct gg_error err = {0};
    char db[600];
    if (curl_global_init(CURL_GLOBAL_ALL) != 0) {
        fprintf(stderr, "curl_global_init failed\n");
        return -1;
    }
    snprintf(g_dir, sizeof g_dir, "%s/gg-http-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(g_dir)) {
        perror("mkdtemp");
        return -1;
    }
    char files[300];
    snprintf(db, sizeof db, "%s/t.db", g_dir);
    snprintf(files, sizeof files, "%s/files", g_dir);
    /* the same tests on PostgreSQL: a fresh database of their own on the server named */
    if (testdb_server() && testdb_create("gg_http", db, sizeof db, g_pg_name))
        return -1;
    struct app_config cfg = {.db = db, .data_dir = files};
    int rc = app_open(&cfg, &g_app, &err);
    if (rc) {
        fprintf(stderr, "app_open: %d %s %s\n", rc, err.field, err.message);
        return -1;
    }
    rc = app_init(g_app, H_ADMIN_PASSWORD, gg_time_now(), &err);
    if (rc) {
        fprintf(stderr, "app_init: %d %s %s\n", rc, err.field, err.message);
        return -1;
    }
    struct http_config hc = {.listen = "127.0.0.1:0", .threads = 4};
    rc = http_server_start(g_app, &hc, &g_srv, &err);
    if (rc) {
        fprintf(stderr, "http_server_start: %d %s %s\n", rc, err.field, err.message);
        return -1;
    }
    g_port = http_server_port(g_srv);
    if (g_port == 0) {
        fprintf(stderr, "http_server_port: 0\n");
        return -1;
    }
    g_admin_token = h_login("admin", H_ADMIN_PASSWORD);
    if (!g_admin_token) {
        fprintf(stderr, "admin login failed: %s\n", t_last);
        return -1;
    }
    long st = 0;
    json_t *me = h_get("/api/v1/me", g_admin_token, &st);
    json_t *u = me ? json_object_get(me, "user") : NULL;
    json_t *src = (u && json_is_object(u)) ? u : me;
    json_t *scope = src ? json_object_get(src, "scope_org_id") : NULL;
    if (st != 200 || !json_is_integer(scope)) {
        fprintf(stderr, "GET /me did not give scope_org_id: %s\n", t_last);
        json_decref(me);
        return -1;
    }
    g_root = json_integer_value(scope);
    json_decref(me);
    return 0;
}

int h_stop(void **state)
{
    (void)state;
    http_server_stop(g_srv);
    g_srv = NULL;
    app_close(g_app);
    g_app = NULL;
    free(g_admin_token);
    g_admin_token = NULL;
    testdb_drop(g_pg_name);
    g_pg_name[0] = 0;
    if (g_dir[0])
        nftw(g_dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    g_dir[0] = 0;
    curl_global_cleanup();
    return 0;
}

/* ---- requests ---- */

struct sink {
    char *p;
    size_t n, cap;
};

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t add = size * nmemb;
    if (s->n + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->n + add + 1)
            cap *= 2;
        char *np = realloc(s->p, cap);
        if (!np)
            return 0;
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->n, ptr, add);
    s->n += add;
    s->p[s->n] = 0;
    return add;
}

void h_resp_release(struct h_resp *r)
{
    if (!r)
        return;
    free(r->body);
    r->body = NULL;
    r->len = 0;
}

static void note_last(const char *method, const char *path, const void *body, size_t len,
                      const struct h_resp *r)
{
    int n = snprintf(t_last, sizeof t_last, "  request: %s %s", method, path);
    if (body && len) {
        size_t show = len < 600 ? len : 600;
        bool text = true;
        for (size_t i = 0; i < show; i++)
            if (((const unsigned char *)body)[i] < 0x09)
                text = false;
        if (text && n > 0 && (size_t)n < sizeof t_last)
            n += snprintf(t_last + n, sizeof t_last - n, "\n  body: %.*s%s", (int)show,
                          (const char *)body, len > show ? "…" : "");
        else if (n > 0 && (size_t)n < sizeof t_last)
            n += snprintf(t_last + n, sizeof t_last - n, "\n  body: <%zu bytes>", len);
    }
    if (n > 0 && (size_t)n < sizeof t_last) {
        if (!r)
            snprintf(t_last + n, sizeof t_last - n, "\n  answer: <transport error>");
        else
            snprintf(t_last + n, sizeof t_last - n, "\n  answer: %ld %s\n  %.*s%s", r->status,
                     r->content_type, (int)(r->len < 1500 ? r->len : 1500),
                     r->body ? r->body : "", r->len > 1500 ? "…" : "");
    }
}

int h_raw(const char *method, const char *path, const char *token, const char *content_type,
          const void *body, size_t len, struct h_resp *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char url[2048];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", (unsigned)g_port, path);
    struct curl_slist *hs = NULL;
    char hb[600];
    if (token) {
        snprintf(hb, sizeof hb, "Authorization: Bearer %s", token);
        hs = curl_slist_append(hs, hb);
    }
    if (content_type) {
        snprintf(hb, sizeof hb, "Content-Type: %s", content_type);
        hs = curl_slist_append(hs, hb);
    } else if (body) {
        hs = curl_slist_append(hs, "Content-Type:"); /* send none */
    }
    hs = curl_slist_append(hs, "Expect:");
    struct sink s = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    CURLcode cc = curl_easy_perform(c);
    int rc = 0;
    if (cc != CURLE_OK) {
        rc = -1;
        free(s.p);
        s.p = NULL;
        s.n = 0;
        /* A server may answer early (413) and close; curl then reports a send error after
         * having received the status: keep what was received. */
        long st = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
        if (st > 0) {
            out->status = st;
            rc = 0;
        }
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    }
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        snprintf(out->content_type, sizeof out->content_type, "%s", ct);
    out->body = s.p ? s.p : calloc(1, 1);
    out->len = s.n;
    note_last(method, path, body, len, rc ? NULL : out);
    curl_slist_free_all(hs);
    curl_easy_cleanup(c);
    return rc;
}

json_t *h_req(const char *method, const char *path, const char *token, const char *content_type,
              const void *body, size_t body_len, long *status)
{
    struct h_resp r;
    if (h_raw(method, path, token, content_type, body, body_len, &r) != 0) {
        if (status)
            *status = 0;
        h_resp_release(&r);
        return NULL;
    }
    if (status)
        *status = r.status;
    json_t *j = r.len ? json_loadb(r.body, r.len, 0, NULL) : NULL;
    h_resp_release(&r);
    return j;
}

json_t *h_get(const char *path, const char *token, long *status)
{
    return h_req("GET", path, token, NULL, NULL, 0, status);
}

static json_t *send_json(const char *method, const char *path, const char *token, json_t *body,
                         long *status)
{
    char *txt = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    json_t *j = h_req(method, path, token, txt ? "application/json" : NULL, txt,
                      txt ? strlen(txt) : 0, status);
    free(txt);
    return j;
}

json_t *h_post(const char *path, const char *token, json_t *body, long *status)
{
    return send_json("POST", path, token, body, status);
}

json_t *h_patch(const char *path, const char *token, json_t *body, long *status)
{
    return send_json("PATCH", path, token, body, status);
}

const char *h_path(const char *fmt, ...)
{
    static __thread char bufs[4][1024];
    static __thread int next;
    char *b = bufs[next++ & 3];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof bufs[0], fmt, ap);
    va_end(ap);
    return b;
}

/* ---- JSON checks ---- */

void h_check_error(json_t *j, const char *field)
{
    if (!j)
        fail_msg("error body is not JSON\n%s", t_last);
    json_t *e = json_object_get(j, "error");
    if (!json_is_object(e))
        fail_msg("no \"error\" object\n%s", t_last);
    json_t *code = json_object_get(e, "code");
    json_t *msg = json_object_get(e, "message");
    if (!json_is_string(code) || json_string_length(code) == 0)
        fail_msg("error.code missing\n%s", t_last);
    if (!json_is_string(msg))
        fail_msg("error.message missing\n%s", t_last);
    json_t *f = json_object_get(e, "field");
    if (f && !json_is_null(f) && !json_is_string(f))
        fail_msg("error.field is neither string nor null\n%s", t_last);
    if (!field)
        return;
    if (field[0] == 0) {
        if (f && json_is_string(f) && json_string_length(f) > 0)
            fail_msg("error.field should be null, is %s\n%s", json_string_value(f), t_last);
        return;
    }
    if (!json_is_string(f) || strcmp(json_string_value(f), field) != 0)
        fail_msg("error.field should be \"%s\"\n%s", field, t_last);
}

int64_t h_int(json_t *o, const char *key)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer\n%s", key, t_last);
    return json_integer_value(v);
}

const char *h_str(json_t *o, const char *key)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    if (!json_is_string(v))
        fail_msg("\"%s\" is not a string\n%s", key, t_last);
    return json_string_value(v);
}

json_t *h_obj(json_t *o, const char *key)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    if (!json_is_object(v) && !json_is_array(v))
        fail_msg("\"%s\" is not an object or array\n%s", key, t_last);
    return v;
}

bool h_is_null(json_t *o, const char *key)
{
    json_t *v = o ? json_object_get(o, key) : NULL;
    return !v || json_is_null(v);
}

json_t *h_items(json_t *list)
{
    json_t *it = list ? json_object_get(list, "items") : NULL;
    if (!json_is_array(it))
        fail_msg("no \"items\" array\n%s", t_last);
    return it;
}

bool h_list_has(json_t *list, int64_t id)
{
    json_t *it = h_items(list);
    size_t i;
    json_t *v;
    json_array_foreach(it, i, v)
    {
        json_t *jid = json_object_get(v, "id");
        if (json_is_integer(jid) && json_integer_value(jid) == id)
            return true;
    }
    return false;
}

/* ---- setup helpers ---- */

char *h_login(const char *username, const char *password)
{
    long st = 0;
    json_t *j = h_post("/api/v1/auth/login", NULL,
                       json_pack("{s:s, s:s}", "username", username, "password", password), &st);
    char *tok = NULL;
    json_t *t = j ? json_object_get(j, "token") : NULL;
    if (st == 200 && json_is_string(t))
        tok = strdup(json_string_value(t));
    json_decref(j);
    return tok;
}

int64_t h_org(const char *token, int64_t parent_id, const char *kind, const char *code,
              const char *name, const char *boundary, const char *department_kind)
{
    json_t *b = json_pack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)parent_id, "kind", kind,
                          "code", code, "name", name);
    if (boundary) {
        json_t *g = json_loads(boundary, 0, NULL);
        if (!g)
            fail_msg("bad boundary text in the test: %s", boundary);
        json_object_set_new(b, "boundary", g);
    }
    if (department_kind)
        json_object_set_new(b, "department_kind", json_string(department_kind));
    long st = 0;
    json_t *j = h_post("/api/v1/orgs", token, b, &st);
    H_STATUS(st, 201);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

const char *h_rect(double lon0, double lat0, double lon1, double lat1)
{
    static __thread char b[512];
    snprintf(b, sizeof b,
             "{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],"
             "[%.6f,%.6f],[%.6f,%.6f]]]}",
             lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
    return b;
}

int64_t h_user(const char *username, const char *role, int64_t scope_org_id)
{
    long st = 0;
    json_t *j = h_post("/api/v1/users", g_admin_token,
                       json_pack("{s:s, s:s, s:s, s:I}", "username", username, "password",
                                 H_PASSWORD, "role", role, "scope_org_id",
                                 (json_int_t)scope_org_id),
                       &st);
    H_STATUS(st, 201);
    json_t *u = json_object_get(j, "user");
    int64_t id = h_int(json_is_object(u) ? u : j, "id");
    json_decref(j);
    return id;
}

char *h_user_token(const char *username, const char *role, int64_t scope_org_id,
                   int64_t *user_id)
{
    int64_t id = h_user(username, role, scope_org_id);
    if (user_id)
        *user_id = id;
    char *tok = h_login(username, H_PASSWORD);
    if (!tok)
        fail_msg("login of %s failed\n%s", username, t_last);
    return tok;
}

json_t *h_event(const char *token, const char *category, double lat, double lon,
                const char *source, const char *description)
{
    long st = 0;
    json_t *j = h_post("/api/v1/events", token,
                       json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", category,
                                 "description", description, "lat", lat, "lon", lon, "source",
                                 source),
                       &st);
    H_STATUS(st, 201);
    (void)h_int(j, "id");
    return j;
}

int64_t h_event_id(const char *token, const char *category, double lat, double lon,
                   const char *source, const char *description)
{
    json_t *j = h_event(token, category, lat, lon, source, description);
    int64_t id = h_int(j, "id");
    json_decref(j);
    return id;
}

json_t *h_act_with(const char *token, int64_t id, const char *action, json_t *extra,
                   long *status)
{
    json_t *b = extra ? extra : json_object();
    json_object_set_new(b, "action", json_string(action));
    return h_post(h_path("/api/v1/events/%lld/actions", (long long)id), token, b, status);
}

json_t *h_act(const char *token, int64_t id, const char *action, long *status)
{
    return h_act_with(token, id, action, NULL, status);
}

const char *h_event_status(const char *token, int64_t id)
{
    static __thread char b[64];
    long st = 0;
    json_t *j = h_get(h_path("/api/v1/events/%lld", (long long)id), token, &st);
    H_STATUS(st, 200);
    snprintf(b, sizeof b, "%s", h_str(j, "status"));
    json_decref(j);
    return b;
}

void h_city_build(struct h_city *c, const char *p)
{
    char code[64], name[64];
    const char *tok = g_admin_token;
    snprintf(code, sizeof code, "%sD", p);
    snprintf(name, sizeof name, "%s区", p);
    c->district = h_org(tok, g_root, "district", code, name, NULL, NULL);
    snprintf(code, sizeof code, "%sS", p);
    snprintf(name, sizeof name, "%s街道", p);
    c->street = h_org(tok, c->district, "street", code, name, NULL, NULL);
    snprintf(code, sizeof code, "%sC", p);
    snprintf(name, sizeof name, "%s社区", p);
    c->community = h_org(tok, c->street, "community", code, name, NULL, NULL);
    snprintf(code, sizeof code, "%sGA", p);
    snprintf(name, sizeof name, "%s第一网格", p);
    c->grid_a = h_org(tok, c->community, "grid", code, name, h_rect(116.30, 39.90, 116.31, 39.91),
                      NULL);
    snprintf(code, sizeof code, "%sGB", p);
    snprintf(name, sizeof name, "%s第二网格", p);
    c->grid_b = h_org(tok, c->community, "grid", code, name, h_rect(116.31, 39.90, 116.32, 39.91),
                      NULL);
    snprintf(code, sizeof code, "%sCG", p);
    snprintf(name, sizeof name, "%s城管局", p);
    c->dept_cg = h_org(tok, c->district, "department", code, name, NULL, "城管");
    snprintf(code, sizeof code, "%sGAJ", p);
    snprintf(name, sizeof name, "%s公安分局", p);
    c->dept_ga = h_org(tok, c->district, "department", code, name, NULL, "公安");
}
