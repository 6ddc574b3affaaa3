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
    bool nothing = false;
    int rc = http_event_filter(r, &f, &nothing);
    if (rc)
        return rc;
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
