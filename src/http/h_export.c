/* h_export.c - GET /events/export?format=xlsx|csv with the filters of GET /events: the ledger is
 * written by app/ledger.c into an unlinked temporary file, which libmicrohttpd then sends from
 * the descriptor (sendfile), so neither the rows nor the file are ever held in memory. */
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/utf8.h"

static int query_enum(struct req *r, const char *name, int (*from_id)(const char *), int max,
                      int *out)
{
    const char *v = req_query(r, name);
    *out = -1;
    if (!v || !*v)
        return 0;
    int x = from_id(v);
    if (x < 0 || x >= max)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 的取值无效", name);
    *out = x;
    return 0;
}

static int query_text(struct req *r, const char *name, size_t max_cp, char *dst, size_t sz)
{
    const char *v = req_query(r, name);
    dst[0] = '\0';
    if (!v || !*v)
        return 0;
    size_t n = strlen(v);
    if (!gg_utf8_valid(v, n))
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 含有无效字符", name);
    if (gg_utf8_count(v, n) > max_cp || n >= sz)
        return gg_error_set(&r->err, GG_EINVAL, name, "参数 %s 过长", name);
    memcpy(dst, v, n + 1);
    return 0;
}

int http_events_export(struct req *r, struct reply *out)
{
    const char *format = req_query(r, "format");
    enum ledger_format fmt;
    if (format && strcmp(format, "csv") == 0)
        fmt = LEDGER_CSV;
    else if (format && strcmp(format, "xlsx") == 0)
        fmt = LEDGER_XLSX;
    else
        return gg_error_set(&r->err, GG_EINVAL, "format", "format 应为 xlsx 或 csv");
    struct event_filter f;
    memset(&f, 0, sizeof f);
    f.now = r->now;
    int rc = query_enum(r, "status", event_status_from_id, EVENT_STATUS__COUNT, &f.status);
    if (!rc)
        rc = query_enum(r, "color", color_from_id, COLOR__COUNT, &f.color);
    if (!rc)
        rc = query_enum(r, "source", source_from_id, SOURCE__COUNT, &f.source);
    if (!rc)
        rc = query_text(r, "category", GG_MAX_CODE, f.category, sizeof f.category);
    if (!rc)
        rc = query_text(r, "q", GG_MAX_NAME, f.q, sizeof f.q);
    if (rc)
        return rc;
    rc = req_query_time(r, "from", &f.from);
    if (rc >= 0)
        rc = req_query_time(r, "to", &f.to);
    if (rc >= 0)
        rc = req_query_int(r, "reporter_id", 1, INT64_MAX, &f.reporter_id);
    int64_t org_id = 0;
    if (rc >= 0)
        rc = req_query_int(r, "org_id", 1, INT64_MAX, &org_id);
    if (rc < 0)
        return rc;
    bool nothing = false;
    if (org_id) {
        struct org o;
        struct gg_error oe = {0};
        rc = app_org_get(r->app, &r->actor, org_id, &o, NULL, NULL, &oe);
        if (rc == -GG_ENOTFOUND) {
            nothing = true; /* like the list: an org the caller cannot see filters all out */
        } else if (rc) {
            r->err = oe;
            return rc;
        } else {
            memcpy(f.org_path, o.path, sizeof f.org_path);
        }
    }
    if (nothing)
        f.reporter_id = -1; /* matches no event */

    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/gridgov-ledger-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return gg_error_set(&r->err, GG_EIO, NULL, "无法创建临时文件");
    close(fd);
    int64_t rows = 0;
    rc = app_ledger_export(r->app, &r->actor, &f, fmt, path, r->now, &rows, &r->err);
    if (rc) {
        unlink(path);
        return rc;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path); /* the open descriptor keeps the data until MHD has sent it */
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return gg_error_set(&r->err, GG_EIO, NULL, "无法读取导出文件");
    }
    out->status = 200;
    out->fd = fd;
    out->len = (size_t)st.st_size;
    if (fmt == LEDGER_CSV) {
        out->content_type = "text/csv; charset=utf-8";
        out->disposition = "attachment; filename=\"events.csv\"; filename*=UTF-8''%E4%BA%8B%E4%BB%B6%E5%8F%B0%E8%B4%A6.csv";
    } else {
        out->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        out->disposition = "attachment; filename=\"events.xlsx\"; filename*=UTF-8''%E4%BA%8B%E4%BB%B6%E5%8F%B0%E8%B4%A6.xlsx";
    }
    out->cache_control = "no-store";
    return 0;
}
