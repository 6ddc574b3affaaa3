/* server.c - the libmicrohttpd daemon and the life of one request: route matching, the bearer
 * token, the body (per-route size limits, media types, JSON parsing), the call into a handler,
 * the reply, a debug log line and the metrics. Also the query-string helpers that handlers use
 * and the Prometheus text of the HTTP metrics.
 *
 * What it is not: the place for policy (roles and scopes are app/'s), nor for status codes of
 * domain errors (reply.c maps every GG_E* through base/error.h). Errors found here (404, 405,
 * 401, 413, 415, 400) are GG_E* values too, so they take the same path to the client.
 *
 * Threading: MHD runs an internal thread pool (epoll on Linux) of cfg->threads workers; a
 * handler runs on its worker and may block in app/ (group commit) — app/ keeps one read
 * connection per thread, which is why the pool is fixed rather than a thread per connection. */
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

/* writes waiting for their group commit at once: the most one commit can gather */
#define WRITE_THREADS 32
#include "base/time.h"
#include "base/utf8.h"

/* A body this much larger than its limit, announced by Content-Length, is refused at once
 * (the connection then closes) rather than read and dropped. */
#define HTTP_DROP_LIMIT ((uint64_t)64 << 20)

/* Statuses counted separately in the metrics; anything else goes to the last slot. */
static const int metric_statuses[] = {200, 201, 204, 206, 301, 304, 400, 401, 403, 404,
                                      405, 409, 413, 415, 416, 422, 429, 500, 503};
#define N_STATUS (sizeof metric_statuses / sizeof metric_statuses[0] + 1)
/* Latency buckets, seconds (the histogram's "le" bounds). */
static const double metric_buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define N_BUCKETS (sizeof metric_buckets / sizeof metric_buckets[0])

/* Per route slot (the table's routes, then static and unmatched). Relaxed atomics: each
 * counter is exact, a scrape may see one request counted in one series and not yet in another. */
struct route_metrics {
    atomic_uint_fast64_t by_status[N_STATUS];
    atomic_uint_fast64_t buckets[N_BUCKETS]; /* non-cumulative; summed when rendered */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_ns;
};

struct http_server {
    struct app *app;
    struct MHD_Daemon *daemon;
    uint16_t port;
    char *web_dir;                 /* NULL when no console is served */
    struct route_metrics *metrics; /* ROUTE_SLOTS entries */
    uint64_t started_ns;
    struct offload *offload; /* writes run here (offload.c); NULL: inline */
};

const char *http_web_dir(const struct http_server *s)
{
    return s->web_dir;
}

uint16_t http_server_port(const struct http_server *s)
{
    return s ? s->port : 0;
}

/* ---- small helpers ---- */

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* "application/JSON; charset=utf-8" -> "application/json" */
static void media_type(const char *v, char *out, size_t sz)
{
    size_t n = 0;
    if (v) {
        while (*v == ' ' || *v == '\t')
            v++;
        for (; *v && *v != ';' && *v != ' ' && *v != '\t' && n + 1 < sz; v++)
            out[n++] = (char)((*v >= 'A' && *v <= 'Z') ? *v + 32 : *v);
    }
    out[n] = '\0';
}

/* Parses a whole unsigned decimal that fits in int64 and is > 0. */
static bool parse_id(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v <= 0)
        return false;
    *out = v;
    return true;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Paths that belong to the API: never answered by the console's SPA fallback. */
static bool api_path(const char *path)
{
    return starts_with(path, "/api/") || strcmp(path, "/api") == 0 ||
           starts_with(path, "/open311/") || strcmp(path, "/open311") == 0;
}

static int early(struct req *r, int code, const char *field, const char *msg)
{
    r->early_rc = gg_error_set(&r->early_err, code, field, "%s", msg);
    return r->early_rc;
}

/* ---- the request's first callback: everything that headers alone decide ---- */

static int check_auth(struct req *r)
{
    const char *h = header(r->conn, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || !*h)
        return early(r, GG_EUNAUTHORIZED, NULL, "缺少 Authorization: Bearer 令牌，请先登录");
    while (*h == ' ')
        h++;
    if (strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
        return early(r, GG_EUNAUTHORIZED, NULL, "Authorization 应为 Bearer 令牌");
    h += 7;
    while (*h == ' ' || *h == '\t')
        h++;
    r->token = h;
    int rc = app_auth(r->app, h, r->now, &r->actor, &r->early_err);
    if (rc)
        r->early_rc = rc;
    return rc;
}

/* Content-Type against the route's body kind; limits by kind. */
static int check_body_headers(struct req *r, const struct route *rt)
{
    const char *ct = header(r->conn, MHD_HTTP_HEADER_CONTENT_TYPE);
    media_type(ct, r->content_type, sizeof r->content_type);
    const char *cl = header(r->conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = header(r->conn, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    bool has_body = (cl && strcmp(cl, "0") != 0) || te;
    switch (rt->body) {
    case BODY_NONE:
        r->swallow = true;
        return 0;
    case BODY_JSON:
    case BODY_IMPORT:
        r->body_limit = rt->body == BODY_IMPORT ? HTTP_IMPORT_LIMIT : HTTP_JSON_LIMIT;
        if ((has_body || r->content_type[0]) && strcmp(r->content_type, "application/json") != 0 &&
            strcmp(r->content_type, "application/geo+json") != 0)
            return early(r, GG_EMEDIATYPE, NULL, "请求体应为 application/json");
        break;
    case BODY_IMAGE:
        r->body_limit = HTTP_UPLOAD_LIMIT;
        if (strcmp(r->content_type, "image/jpeg") != 0 && strcmp(r->content_type, "image/png"))
            return early(r, GG_EMEDIATYPE, NULL, "图片应为 image/jpeg 或 image/png");
        break;
    case BODY_SHEET:
        r->body_limit = HTTP_SHEET_LIMIT;
        if (strcmp(r->content_type, "text/csv") != 0 && strcmp(r->content_type, HTTP_XLSX_TYPE))
            return early(r, GG_EMEDIATYPE, NULL, "请求体应为 text/csv 或 XLSX (" HTTP_XLSX_TYPE ")");
        break;
    }
    if (cl) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(cl, &end, 10);
        if (errno == 0 && *end == '\0' && n > r->body_limit) {
            r->early_rc = gg_error_set(&r->early_err, GG_ETOOLARGE, NULL,
                                       "请求体过大（上限 %zu 字节）", r->body_limit);
            return r->early_rc;
        }
    }
    gg_buf_init(&r->body, r->body_limit);
    return 0;
}

static void req_begin(struct http_server *s, struct req *r, struct MHD_Connection *conn,
                      const char *url, const char *method)
{
    r->srv = s;
    r->app = s->app;
    r->conn = conn;
    r->method = method;
    r->url = url;
    r->t0 = gg_time_mono_ns();
    r->now = gg_time_now();
    r->route = ROUTE_UNMATCHED;
    r->swallow = true; /* until a route says it wants the body */

    const char *seg = NULL;
    size_t seg_len = 0;
    int idx = -1;
    r->match = router_match(method, url, &idx, &seg, &seg_len, r->allow, sizeof r->allow);
    if (r->match == MATCH_METHOD) {
        early(r, GG_EMETHOD, NULL, "该路径不支持此请求方法");
        return;
    }
    if (r->match == MATCH_NOT_FOUND) {
        bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        if (get && s->web_dir && !api_path(url)) {
            r->route = ROUTE_STATIC;
            return;
        }
        early(r, GG_ENOTFOUND, NULL, "没有这个接口");
        return;
    }
    r->route = idx;
    const struct route *rt = &http_routes[idx];
    if (rt->auth && check_auth(r))
        return;
    if (seg) {
        r->id_bad = !parse_id(seg, seg_len, &r->id);
        if (r->id_bad) {
            early(r, GG_ENOTFOUND, NULL, "对象不存在");
            return;
        }
    }
    r->swallow = false;
    if (check_body_headers(r, rt))
        r->swallow = true;
}

/* The body has arrived: parse it for JSON routes. */
static int take_body(struct req *r)
{
    const struct route *rt = &http_routes[r->route];
    if (rt->body != BODY_JSON && rt->body != BODY_IMPORT)
        return 0;
    if (r->body.len == 0)
        return gg_error_set(&r->err, GG_EMALFORMED, NULL, "缺少 JSON 请求体");
    json_error_t je;
    r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!r->json)
        return gg_error_set(&r->err, GG_EMALFORMED, NULL, "JSON 格式错误（第 %d 行第 %d 列）：%s",
                            je.line, je.column, je.text);
    if (!json_is_object(r->json))
        return gg_error_set(&r->err, GG_EMALFORMED, NULL, "请求体应为 JSON 对象");
    return 0;
}

/* The answer to a request whose body has arrived (or that failed early). */
static void compute(struct req *r, struct reply *out)
{
    int rc = r->early_rc;
    const struct gg_error *err = &r->early_err;
    if (!rc) {
        err = &r->err;
        if (r->route == ROUTE_STATIC) {
            rc = http_static(r, out);
        } else {
            rc = take_body(r);
            app_read_snapshot_begin(r->app);
            if (!rc)
                rc = http_routes[r->route].fn(r, out);
            app_read_snapshot_end(r->app);
        }
    }
    if (rc) {
        if (rc == -GG_EMETHOD)
            out->allow = r->allow;
        reply_error(out, rc, err);
    }
    gg_buf_release(&r->body);
}

static enum MHD_Result deliver(struct req *r, struct reply *out)
{
    int ret = reply_send(r, out);
    reply_release(out);
    r->replied = true;
    return ret == MHD_YES ? MHD_YES : MHD_NO;
}

/* On an offload thread: the answer, then the connection back to libmicrohttpd, which calls
 * on_request again to send it. r may be gone once resumed: nothing touches it after. */
static void run_offloaded(struct req *r)
{
    compute(r, r->pending);
    struct MHD_Connection *conn = r->conn;
    r->pending_done = true;
    MHD_resume_connection(conn);
}

static void suspend(struct req *r)
{
    MHD_suspend_connection(r->conn);
}

/* Writes wait for their group commit, a ledger export takes seconds: both run on the offload
 * pool so that the few HTTP threads keep serving their other connections meanwhile. */
static bool offloaded(const struct req *r)
{
    if (r->early_rc || r->route < 0 || r->route >= (int)http_n_routes)
        return false;
    return (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) ||
           http_routes[r->route].fn == http_events_export;
}

static enum MHD_Result finish(struct req *r)
{
    if (r->srv->offload && offloaded(r)) {
        r->pending = malloc(sizeof *r->pending);
        if (r->pending) {
            reply_init(r->pending);
            if (offload_submit(r->srv->offload, r, suspend))
                return MHD_YES;
            free(r->pending);
            r->pending = NULL;
        }
    }
    struct reply out;
    reply_init(&out);
    compute(r, &out);
    return deliver(r, &out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        req_begin(s, r, conn, url, method);
        if (r->early_rc) {
            /* A client waiting for "100 Continue", or announcing a body far beyond any limit,
             * gets its answer now (MHD then closes the connection); others have their body
             * read and dropped so that the connection stays usable. */
            const char *expect = header(conn, MHD_HTTP_HEADER_EXPECT);
            const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
            bool huge = cl && strtoull(cl, NULL, 10) > HTTP_DROP_LIMIT;
            if ((expect && strcasecmp(expect, "100-continue") == 0) || huge)
                return finish(r);
        }
        return MHD_YES;
    }
    if (r->pending) { /* resumed: the offloaded answer is ready */
        if (!r->pending_done)
            return MHD_YES;
        struct reply *out = r->pending;
        r->pending = NULL;
        enum MHD_Result ret = deliver(r, out);
        free(out);
        return ret;
    }
    if (r->replied) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->swallow && gg_buf_append(&r->body, upload_data, *upload_data_size)) {
            gg_buf_release(&r->body);
            r->swallow = true;
            if (!r->early_rc)
                r->early_rc = gg_error_set(&r->early_err, GG_ETOOLARGE, NULL,
                                           "请求体过大（上限 %zu 字节）", r->body_limit);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return finish(r);
}

/* ---- metrics ---- */

static size_t status_slot(int status)
{
    for (size_t i = 0; i < N_STATUS - 1; i++)
        if (metric_statuses[i] == status)
            return i;
    return N_STATUS - 1;
}

static void account(struct http_server *s, const struct req *r)
{
    if (!s->metrics || r->status == 0 || r->route < 0 || (size_t)r->route >= ROUTE_SLOTS)
        return;
    uint64_t ns = gg_time_mono_ns() - r->t0;
    struct route_metrics *m = &s->metrics[r->route];
    atomic_fetch_add_explicit(&m->by_status[status_slot(r->status)], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->sum_ns, ns, memory_order_relaxed);
    double secs = (double)ns / 1e9;
    for (size_t i = 0; i < N_BUCKETS; i++) {
        if (secs <= metric_buckets[i]) {
            atomic_fetch_add_explicit(&m->buckets[i], 1, memory_order_relaxed);
            break;
        }
    }
}

static const char *slot_route(size_t i)
{
    if (i < http_n_routes)
        return http_routes[i].pattern;
    return i == (size_t)ROUTE_STATIC ? "static" : "unmatched";
}

static const char *slot_method(size_t i)
{
    if (i < http_n_routes)
        return http_routes[i].method;
    return i == (size_t)ROUTE_STATIC ? "GET" : "any";
}

int metrics_render(struct http_server *s, struct gg_buf *out)
{
    int rc = 0;
    rc |= gg_buf_puts(out, "# HELP gridgov_http_requests_total HTTP requests answered, by route "
                           "pattern and status.\n"
                           "# TYPE gridgov_http_requests_total counter\n");
    for (size_t i = 0; i < ROUTE_SLOTS; i++) {
        struct route_metrics *m = &s->metrics[i];
        for (size_t k = 0; k < N_STATUS; k++) {
            uint64_t v = atomic_load_explicit(&m->by_status[k], memory_order_relaxed);
            if (!v)
                continue;
            char st[8];
            if (k < N_STATUS - 1)
                snprintf(st, sizeof st, "%d", metric_statuses[k]);
            else
                snprintf(st, sizeof st, "other");
            rc |= gg_buf_printf(out,
                                "gridgov_http_requests_total{method=\"%s\",route=\"%s\","
                                "status=\"%s\"} %llu\n",
                                slot_method(i), slot_route(i), st, (unsigned long long)v);
        }
    }
    rc |= gg_buf_puts(out, "# HELP gridgov_http_request_duration_seconds Time from the first "
                           "byte of a request to its answer being queued.\n"
                           "# TYPE gridgov_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < ROUTE_SLOTS; i++) {
        struct route_metrics *m = &s->metrics[i];
        uint64_t count = atomic_load_explicit(&m->count, memory_order_relaxed);
        if (!count)
            continue;
        uint64_t cum = 0;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cum += atomic_load_explicit(&m->buckets[b], memory_order_relaxed);
            rc |= gg_buf_printf(out,
                                "gridgov_http_request_duration_seconds_bucket{method=\"%s\","
                                "route=\"%s\",le=\"%g\"} %llu\n",
                                slot_method(i), slot_route(i), metric_buckets[b],
                                (unsigned long long)cum);
        }
        uint64_t sum = atomic_load_explicit(&m->sum_ns, memory_order_relaxed);
        rc |= gg_buf_printf(out,
                            "gridgov_http_request_duration_seconds_bucket{method=\"%s\","
                            "route=\"%s\",le=\"+Inf\"} %llu\n"
                            "gridgov_http_request_duration_seconds_sum{method=\"%s\","
                            "route=\"%s\"} %.9f\n"
                            "gridgov_http_request_duration_seconds_count{method=\"%s\","
                            "route=\"%s\"} %llu\n",
                            slot_method(i), slot_route(i), (unsigned long long)count,
                            slot_method(i), slot_route(i), (double)sum / 1e9, slot_method(i),
                            slot_route(i), (unsigned long long)count);
    }
    rc |= gg_buf_printf(out,
                        "# HELP gridgov_uptime_seconds Seconds since the HTTP server started.\n"
                        "# TYPE gridgov_uptime_seconds gauge\n"
                        "gridgov_uptime_seconds %.3f\n",
                        (double)(gg_time_mono_ns() - s->started_ns) / 1e9);
    return rc ? -GG_ETOOLARGE : 0;
}

/* ---- MHD callbacks ---- */

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct req *r = *con_cls;
    if (!r)
        return;
    account(s, r);
    /* the decoded path may hold control bytes: never let them into a log line */
    char path[200];
    size_t n = 0;
    for (const char *p = r->url ? r->url : ""; *p && n + 1 < sizeof path; p++)
        path[n++] = ((unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ') ? '?' : *p;
    path[n] = '\0';
    gg_log(GG_LOG_DEBUG, "http method=%s path=%s route=%s status=%d us=%llu%s", r->method, path,
           slot_route((size_t)r->route), r->status,
           (unsigned long long)((gg_time_mono_ns() - r->t0) / 1000),
           toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    json_decref(r->json);
    gg_buf_release(&r->body);
    if (r->pending) { /* answered but never sent (the server stopped) */
        reply_release(r->pending);
        free(r->pending);
    }
    free(r);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    gg_warn("mhd %s", line);
}

/* ---- listen address ---- */

/* "127.0.0.1:8080", "[::1]:8080", ":8080" (all interfaces), "localhost:0" */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len, bool *v6,
                        struct gg_error *err)
{
    if (!listen || !*listen)
        listen = "127.0.0.1:8080";
    char host[256];
    const char *port;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':' || (size_t)(close - listen - 1) >= sizeof host)
            return gg_error_set(err, GG_EINVAL, "listen", "监听地址格式应为 [IPv6]:端口");
        memcpy(host, listen + 1, (size_t)(close - listen - 1));
        host[close - listen - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            return gg_error_set(err, GG_EINVAL, "listen", "监听地址格式应为 主机:端口");
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port = colon + 1;
    }
    char *end;
    errno = 0;
    long p = strtol(port, &end, 10);
    if (!*port || *end || errno || p < 0 || p > 65535)
        return gg_error_set(err, GG_EINVAL, "listen", "端口应为 0 到 65535");
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    int g = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (g || !res)
        return gg_error_set(err, GG_EINVAL, "listen", "无法解析监听地址 %s：%s", host,
                            gai_strerror(g));
    /* prefer IPv4 when a name resolves to both */
    struct addrinfo *pick = res;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
        if (ai->ai_family == AF_INET) {
            pick = ai;
            break;
        }
    memcpy(ss, pick->ai_addr, pick->ai_addrlen);
    *len = pick->ai_addrlen;
    *v6 = pick->ai_family == AF_INET6;
    freeaddrinfo(res);
    return 0;
}

/* ---- start / stop ---- */

int http_server_start(struct app *app, const struct http_config *cfg, struct http_server **out,
                      struct gg_error *err)
{
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    bool v6 = false;
    int rc = parse_listen(cfg->listen, &ss, &sl, &v6, err);
    if (rc)
        return rc;
    struct http_server *s = calloc(1, sizeof *s);
    if (!s)
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    s->app = app;
    s->started_ns = gg_time_mono_ns();
    s->metrics = calloc(ROUTE_SLOTS, sizeof *s->metrics);
    if (!s->metrics) {
        rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    if (cfg->web_dir && *cfg->web_dir) {
        char real[PATH_MAX];
        struct stat st;
        if (!realpath(cfg->web_dir, real) || stat(real, &st) || !S_ISDIR(st.st_mode)) {
            rc = gg_error_set(err, GG_EINVAL, "web_dir", "控制台目录 %s 不存在", cfg->web_dir);
            goto fail;
        }
        s->web_dir = strdup(real);
        if (!s->web_dir) {
            rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
            goto fail;
        }
    }
    /* Few HTTP threads: a read never waits (writes and exports are offloaded), and with many
     * threads each one serves one connection and sleeps between requests (measured on 2 cores,
     * GET /events/{id}: 4 threads used ~25 % less CPU per request than 32). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads
                       : cpus >= 8      ? 16
                       : cpus >= 2      ? 2 * (unsigned)cpus
                                        : 4;
    /* ALLOW_SUSPEND_RESUME: the live feed parks idle streams (h_stream.c) */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (v6)
        flags |= MHD_USE_IPv6;
    if (threads > 1)
        flags |= MHD_USE_TURBO;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &ss},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s},
        {MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, 4096, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    /* the logger first, so that MHD never prints on its own */
    s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
                                 on_mhd_log, NULL, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s->daemon) {
        rc = gg_error_set(err, GG_EIO, "listen", "无法在 %s 上监听（端口被占用或无权限）",
                          cfg->listen ? cfg->listen : "127.0.0.1:8080");
        goto fail;
    }
    /* issue 4: counters of a database from before them, the live feed, the webhook worker */
    struct gg_error serr = {0};
    if (app_stats_ensure(app, gg_time_now(), &serr))
        gg_warn("stats: %s", serr.message);
    http_stream_start(app);
    app_notify_start(app);
    s->offload = offload_start(threads > WRITE_THREADS ? (int)threads : WRITE_THREADS, run_offloaded);
    if (!s->offload)
        gg_warn("http: no offload threads; writes run on the server threads");
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    if (!s->port) {
        if (ss.ss_family == AF_INET)
            s->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else
            s->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    gg_info("http listening on %s port=%u threads=%u web=%s", cfg->listen ? cfg->listen : "",
            (unsigned)s->port, threads, s->web_dir ? s->web_dir : "-");
    *out = s;
    return 0;
fail:
    free(s->web_dir);
    free(s->metrics);
    free(s);
    return rc;
}

void http_server_stop(struct http_server *s)
{
    if (!s)
        return;
    http_stream_stop(); /* issue 4: ends the live streams first */
    offload_stop(s->offload); /* answers what it holds and resumes those connections */
    if (s->daemon)
        MHD_stop_daemon(s->daemon);
    http_stream_free();
    app_notify_stop(s->app);
    free(s->web_dir);
    free(s->metrics);
    free(s);
}

/* ---- query parameters ---- */

const char *req_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out)
{
    const char *v = req_query(r, name);
    if (!v || !*v)
        return 1;
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || *end || end == v)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 应为整数", name);
    if (x < min || x > max)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 超出范围", name);
    *out = x;
    return 0;
}

int req_query_time(struct req *r, const char *name, int64_t *out)
{
    const char *v = req_query(r, name);
    if (!v || !*v)
        return 1;
    if (strlen(v) > 40 || gg_time_parse(v, out))
        return gg_error_set(&r->err, GG_EINVAL, name,
                            "参数 %s 应为 RFC 3339 时间（如 2026-11-22T08:00:00Z）或日期", name);
    return 0;
}

int req_limit(struct req *r, int *out)
{
    int64_t v = HTTP_DEFAULT_LIMIT;
    const char *s = req_query(r, "limit");
    if (s && *s) {
        char *end;
        errno = 0;
        long long x = strtoll(s, &end, 10);
        if (errno || *end || end == s || x < 1 || x > HTTP_MAX_LIMIT)
            return gg_error_set(&r->err, GG_EINVAL, "limit", "limit 应为 1 到 %d 的整数",
                                HTTP_MAX_LIMIT);
        v = x;
    }
    *out = (int)v;
    return 0;
}

int req_cursor(struct req *r, int64_t *out)
{
    const char *s = req_query(r, "cursor");
    *out = 0;
    if (!s || !*s)
        return 0;
    if (!parse_id(s, strlen(s), out))
        return gg_error_set(&r->err, GG_EMALFORMED, "cursor", "cursor 无效");
    return 0;
}

const char *cursor_text(int64_t id, char buf[24])
{
    if (id <= 0)
        return NULL;
    snprintf(buf, 24, "%lld", (long long)id);
    return buf;
}
