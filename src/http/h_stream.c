/* h_stream.c - GET /events/stream: the live feed as server-sent events.
 *
 * Each state change is a row of the feed table (written in the event write's transaction by
 * app/notify.c); its id is the SSE `id:`, so a client that reconnects with Last-Event-ID (or
 * ?last_event_id=) resumes exactly after what it saw. Every connection reads the feed at its own
 * pace through libmicrohttpd's content-reader callback, on the worker thread MHD calls it from,
 * only when its socket can take more: a slow client only delays itself. A connection with
 * nothing to send is suspended (MHD_suspend_connection); the hub thread polls the feed's newest
 * id and resumes the suspended connections when there is something new or a heartbeat (a
 * comment line, every 15 s by default) is due. On PostgreSQL the hub sleeps until a commit of
 * any server notifies it (LISTEN/NOTIFY, store feed_wait) instead of polling every 100 ms.
 *
 * Which rows a caller sees is app_feed_visible()'s rule, the same as the event reads'. */
#include "http/http_int.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/time.h"

#define SSE_BUF (128 * 1024)
#define SSE_BATCH 100
#define POLL_MS 100
#define WAIT_MS 250 /* longest wait for a notification before looking again */

struct sse_client {
    struct sse_hub *hub;
    struct MHD_Connection *conn;
    struct actor actor;
    int64_t cursor; /* the last feed id looked at (sent or not visible) */
    int64_t last_write_ms;
    bool suspended;
    size_t len, off;
    char *buf;
    struct sse_client *next;
};

struct sse_hub {
    struct app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stopping;
    int64_t newest; /* the newest feed id seen by the hub thread */
    int heartbeat_ms;
    struct sse_client *clients;
};

static struct sse_hub *g_hub;

static int64_t newest_id(struct app *a, int64_t after)
{
    for (;;) {
        struct feed_entry *items = NULL;
        size_t n = 0;
        if (app_feed_after(a, after, 1000, &items, &n) != 0 || n == 0) {
            free(items);
            return after;
        }
        after = items[n - 1].id;
        free(items);
        if (n < 1000)
            return after;
    }
}

static void *hub_main(void *arg)
{
    struct sse_hub *h = arg;
    pthread_mutex_lock(&h->mu);
    while (!h->stopping) {
        int64_t seen = h->newest;
        pthread_mutex_unlock(&h->mu);
        int64_t newest = newest_id(h->app, seen);
        int64_t now = gg_time_now_ms();
        pthread_mutex_lock(&h->mu);
        h->newest = newest;
        for (struct sse_client *c = h->clients; c; c = c->next)
            if (c->suspended &&
                (c->cursor < newest || now - c->last_write_ms >= h->heartbeat_ms)) {
                c->suspended = false;
                MHD_resume_connection(c->conn);
            }
        /* PostgreSQL: sleep until any server commits feed rows (LISTEN/NOTIFY), at most
         * WAIT_MS so that heartbeats and stopping are noticed; SQLite: poll every POLL_MS */
        int woke = -1;
        if (!h->stopping) {
            pthread_mutex_unlock(&h->mu);
            woke = app_feed_wait(h->app, WAIT_MS);
            pthread_mutex_lock(&h->mu);
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long ns = ts.tv_nsec + POLL_MS * 1000000L;
        ts.tv_sec += ns / 1000000000L;
        ts.tv_nsec = ns % 1000000000L;
        if (!h->stopping && woke < 0)
            pthread_cond_timedwait(&h->cond, &h->mu, &ts);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

int http_stream_start(struct app *a)
{
    if (g_hub)
        return 0;
    struct sse_hub *h = calloc(1, sizeof *h);
    if (!h)
        return -GG_ENOMEM;
    h->app = a;
    h->heartbeat_ms = 15000;
    const char *hb = getenv("GRIDGOV_SSE_HEARTBEAT_MS");
    if (hb && atoi(hb) >= 100 && atoi(hb) <= 600000)
        h->heartbeat_ms = atoi(hb);
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cond, NULL);
    /* from the newest row: walking a big city's feed from id 0 was ~1,000 queries at start */
    if (app_feed_newest(a, &h->newest))
        h->newest = newest_id(a, 0);
    if (pthread_create(&h->thread, NULL, hub_main, h) != 0) {
        pthread_mutex_destroy(&h->mu);
        pthread_cond_destroy(&h->cond);
        free(h);
        gg_warn("could not start the live feed");
        return -GG_EINTERNAL;
    }
    g_hub = h;
    return 0;
}

/* Ends every stream (suspended ones are resumed so that MHD can close them) and stops the hub;
 * must run before MHD_stop_daemon. */
void http_stream_stop(void)
{
    struct sse_hub *h = g_hub;
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->stopping = true;
    for (struct sse_client *c = h->clients; c; c = c->next)
        if (c->suspended) {
            c->suspended = false;
            MHD_resume_connection(c->conn);
        }
    pthread_cond_broadcast(&h->cond);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
}

/* After MHD_stop_daemon: every client has been freed by then. */
void http_stream_free(void)
{
    struct sse_hub *h = g_hub;
    if (!h)
        return;
    g_hub = NULL;
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cond);
    free(h);
}

static int append(struct sse_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int append(struct sse_client *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->buf + c->len, SSE_BUF - c->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= SSE_BUF - c->len)
        return -1;
    c->len += (size_t)n;
    return 0;
}

static void format_entry(struct sse_client *c, const struct feed_entry *f)
{
    char at[GG_RFC3339_LEN];
    gg_time_format(f->at, at);
    json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s}", "id",
                          (json_int_t)f->id, "event_id", (json_int_t)f->event_id, "action",
                          event_action_id((enum event_action)f->action), "from_status",
                          event_status_id((enum event_status)f->from_status), "to_status",
                          event_status_id((enum event_status)f->to_status), "at", at, "actor_id",
                          jid(f->actor_id), "grid_id", jid(f->grid_id), "assignee_org_id",
                          jid(f->assignee_org_id), "category_code", f->category);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (text) {
        size_t keep = c->len;
        if (append(c, "id: %lld\nevent: event\ndata: %s\n\n", (long long)f->id, text))
            c->len = keep; /* cannot happen: a batch is far below the buffer */
    }
    free(text);
}

/* Fills the buffer with the next visible entries; false when there were none left. */
static bool load(struct sse_client *c)
{
    struct feed_entry *items = NULL;
    size_t n = 0;
    if (app_feed_after(c->hub->app, c->cursor, SSE_BATCH, &items, &n) != 0) {
        free(items);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        c->cursor = items[i].id;
        if (app_feed_visible(&c->actor, &items[i]))
            format_entry(c, &items[i]);
    }
    free(items);
    return n > 0;
}

static ssize_t reader(void *cls, uint64_t pos, char *out, size_t max)
{
    (void)pos;
    struct sse_client *c = cls;
    struct sse_hub *h = c->hub;
    for (;;) {
        if (c->off < c->len) {
            size_t n = c->len - c->off;
            if (n > max)
                n = max;
            memcpy(out, c->buf + c->off, n);
            c->off += n;
            c->last_write_ms = gg_time_now_ms();
            return (ssize_t)n;
        }
        c->off = c->len = 0;
        pthread_mutex_lock(&h->mu);
        bool stopping = h->stopping;
        pthread_mutex_unlock(&h->mu);
        if (stopping)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (load(c))
            continue; /* something was read, maybe nothing visible: look again */
        if (gg_time_now_ms() - c->last_write_ms >= h->heartbeat_ms) {
            append(c, ": heartbeat\n\n");
            continue;
        }
        pthread_mutex_lock(&h->mu);
        if (h->stopping) {
            pthread_mutex_unlock(&h->mu);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (h->newest > c->cursor) {
            pthread_mutex_unlock(&h->mu);
            continue;
        }
        /* suspend and resume both happen under the hub lock, so a resume never meets a
         * connection that is not suspended */
        c->suspended = true;
        MHD_suspend_connection(c->conn);
        pthread_mutex_unlock(&h->mu);
        return 0;
    }
}

static void client_free(void *cls)
{
    struct sse_client *c = cls;
    struct sse_hub *h = c->hub;
    pthread_mutex_lock(&h->mu);
    for (struct sse_client **p = &h->clients; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    pthread_mutex_unlock(&h->mu);
    free(c->buf);
    free(c);
}

static bool parse_last_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18)
        return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

int http_events_stream(struct req *r, struct reply *out)
{
    struct sse_hub *h = g_hub;
    if (!h)
        return gg_error_set(&r->err, GG_EUNAVAILABLE, NULL, "实时推送未启动");
    int64_t cursor = 0;
    const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
    if (last && *last) {
        if (!parse_last_id(last, &cursor))
            return gg_error_set(&r->err, GG_EMALFORMED, "Last-Event-ID", "Last-Event-ID 无效");
    } else {
        const char *q = req_query(r, "last_event_id");
        if (q && *q) {
            if (!parse_last_id(q, &cursor))
                return gg_error_set(&r->err, GG_EINVAL, "last_event_id", "last_event_id 无效");
        } else {
            pthread_mutex_lock(&h->mu);
            cursor = h->newest; /* only what happens from now on */
            pthread_mutex_unlock(&h->mu);
        }
    }
    struct sse_client *c = calloc(1, sizeof *c);
    char *buf = malloc(SSE_BUF);
    if (!c || !buf) {
        free(c);
        free(buf);
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    }
    c->hub = h;
    c->conn = r->conn;
    c->actor = r->actor;
    c->cursor = cursor;
    c->buf = buf;
    c->last_write_ms = gg_time_now_ms();
    append(c, "retry: 3000\n\n");
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, reader, c, client_free);
    if (!resp) {
        free(buf);
        free(c);
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    }
    pthread_mutex_lock(&h->mu);
    c->next = h->clients;
    h->clients = c;
    pthread_mutex_unlock(&h->mu);
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    out->stream = resp;
    out->status = 200;
    out->content_type = "text/event-stream; charset=utf-8";
    out->cache_control = "no-cache";
    return 0;
}
