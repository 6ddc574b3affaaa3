/* h_ops.c - what operators and integrators read outside /api/v1: GET /healthz, GET /metrics
 * (Prometheus text) and GET /api/openapi.json (built from the route table by openapi.c).
 *
 * Not the metrics bookkeeping itself: server.c counts requests and renders their series. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

int http_healthz(struct req *r, struct reply *out)
{
    if (app_ping(r->app) != 0)
        return gg_error_set(&r->err, GG_EUNAVAILABLE, NULL, "数据库无响应");
    char *body = strdup("ok\n");
    if (!body)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_text(out, 200, "text/plain; charset=utf-8", body, 3);
    out->cache_control = "no-store";
    return 0;
}

int http_metrics(struct req *r, struct reply *out)
{
    struct gg_buf b;
    gg_buf_init(&b, (size_t)8 << 20);
    int rc = metrics_render(r->srv, &b);
    int64_t counts[EVENT_STATUS__COUNT];
    memset(counts, 0, sizeof counts);
    bool have_counts = rc == 0 && app_event_counts(r->app, counts) == 0;
    if (have_counts) {
        rc = gg_buf_puts(&b, "# HELP gridgov_events Events by workflow status.\n"
                             "# TYPE gridgov_events gauge\n");
        for (int i = 0; !rc && i < EVENT_STATUS__COUNT; i++)
            rc = gg_buf_printf(&b, "gridgov_events{status=\"%s\"} %lld\n",
                               event_status_id((enum event_status)i), (long long)counts[i]);
    }
    if (!rc)
        rc = gg_buf_printf(&b,
                           "# HELP gridgov_database_up Whether the event counts could be read.\n"
                           "# TYPE gridgov_database_up gauge\n"
                           "gridgov_database_up %d\n",
                           have_counts ? 1 : 0);
    struct app_write_stats ws;
    app_write_stats(r->app, &ws);
    if (!rc)
        rc = gg_buf_printf(
            &b,
            "# HELP gridgov_write_commits_total Transactions committed by the group-commit writer.\n"
            "# TYPE gridgov_write_commits_total counter\n"
            "gridgov_write_commits_total %lld\n"
            "# HELP gridgov_write_jobs_total Writes committed (jobs / commits = mean group size).\n"
            "# TYPE gridgov_write_jobs_total counter\n"
            "gridgov_write_jobs_total %lld\n"
            "# HELP gridgov_write_commit_seconds_total Time the writer spent in COMMIT (with "
            "the log's sync where the syncer does not take it).\n"
            "# TYPE gridgov_write_commit_seconds_total counter\n"
            "gridgov_write_commit_seconds_total %.6f\n"
            "# HELP gridgov_write_syncs_total Log syncs of the syncer (SQLite), each making "
            "every commit before it durable.\n"
            "# TYPE gridgov_write_syncs_total counter\n"
            "gridgov_write_syncs_total %lld\n"
            "# HELP gridgov_write_sync_seconds_total Time the syncer spent syncing the log.\n"
            "# TYPE gridgov_write_sync_seconds_total counter\n"
            "gridgov_write_sync_seconds_total %.6f\n",
            (long long)ws.commits, (long long)ws.jobs, ws.commit_ns / 1e9, (long long)ws.syncs,
            ws.sync_ns / 1e9);
    if (rc) {
        gg_buf_release(&b);
        return gg_error_set(&r->err, rc, NULL, "cannot render metrics");
    }
    size_t len = b.len;
    char *text = gg_buf_detach(&b);
    reply_text(out, 200, "text/plain; version=0.0.4; charset=utf-8", text, text ? len : 0);
    out->cache_control = "no-store";
    return 0;
}

int http_openapi(struct req *r, struct reply *out)
{
    json_t *doc = openapi_document();
    if (!doc)
        return gg_error_set(&r->err, GG_EINTERNAL, NULL, "OpenAPI 文档生成失败");
    reply_json(out, 200, doc);
    out->cache_control = "no-cache";
    return 0;
}
