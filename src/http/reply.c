/* reply.c - building and sending responses; the only place that turns an error into an HTTP
 * status (through gg_error_status, generated from the one error table in base/error.h) and into
 * the error body {"error": {"code", "message", "field"}}.
 *
 * Not the place for deciding *which* error a request deserves: handlers and app/ do that. */
#include "http/http_int.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

void reply_init(struct reply *out)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
}

void reply_release(struct reply *out)
{
    json_decref(out->json);
    free(out->data);
    if (out->fd >= 0)
        close(out->fd);
    if (out->stream)
        MHD_destroy_response(out->stream);
    reply_init(out);
}

void reply_json(struct reply *out, int status, json_t *j)
{
    json_decref(out->json);
    out->json = j;
    out->status = status;
}

int reply_object(struct req *r, struct reply *out, int status, json_t *j)
{
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, status, j);
    return 0;
}

int reply_items(struct req *r, struct reply *out, json_t *items, int64_t next)
{
    char cur[24];
    json_t *j = items ? json_list(items, cursor_text(next, cur)) : NULL;
    return reply_object(r, out, 200, j);
}

void reply_text(struct reply *out, int status, const char *content_type, char *heap, size_t n)
{
    free(out->data);
    out->data = heap;
    out->len = n;
    out->status = status;
    out->content_type = content_type;
}

int reply_status_of(int rc)
{
    return gg_error_status(rc);
}

static const char *default_message(int status)
{
    switch (status) {
    case 400:
        return "请求格式错误";
    case 401:
        return "未登录或登录已过期";
    case 403:
        return "无权执行此操作";
    case 404:
        return "对象不存在";
    case 405:
        return "不支持的请求方法";
    case 409:
        return "当前状态不允许此操作";
    case 413:
        return "请求体过大";
    case 415:
        return "不支持的内容类型";
    case 422:
        return "请求内容无效";
    case 429:
        return "请求过于频繁";
    case 503:
        return "服务暂不可用";
    default:
        return "服务器内部错误";
    }
}

json_t *reply_error_body(int rc, const struct gg_error *err)
{
    int status = gg_error_status(rc);
    const char *msg = (err && err->message[0]) ? err->message : default_message(status);
    json_t *field = (err && err->field[0]) ? json_string(err->field) : json_null();
    return json_pack("{s:{s:s, s:s, s:o}}", "error", "code", gg_error_code_name(rc), "message", msg,
                     "field", field);
}

void reply_error(struct reply *out, int rc, const struct gg_error *err)
{
    if (rc == 0)
        rc = -GG_EINTERNAL;
    int status = gg_error_status(rc);
    if (status >= 500)
        gg_errlog("http error code=%s message=\"%s\"", gg_error_code_name(rc),
                  err ? err->message : "");
    /* keep a 405's Allow header, drop everything else */
    const char *allow = out->allow;
    reply_release(out);
    out->allow = allow;
    reply_json(out, status, reply_error_body(rc, err));
}

int reply_send(struct req *r, struct reply *out)
{
    struct MHD_Response *resp = NULL;
    const char *ctype = out->content_type;
    if (out->stream) { /* issue 4: the live feed builds its own callback response */
        resp = out->stream;
        out->stream = NULL;
    } else if (out->fd >= 0) {
        resp = MHD_create_response_from_fd((uint64_t)out->len, out->fd);
        if (!resp)
            close(out->fd); /* MHD owns the fd only once the response exists */
        out->fd = -1;
    } else if (out->json) {
        struct jw w;
        jw_init(&w);
        jw_json(&w, out->json);
        size_t n = w.b.len;
        char *s = w.rc ? NULL : gg_buf_detach(&w.b);
        jw_release(&w);
        if (s) {
            resp = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
            if (!resp)
                free(s);
        }
        if (!ctype)
            ctype = "application/json; charset=utf-8";
    } else {
        resp = MHD_create_response_from_buffer(out->len, out->data ? out->data : (void *)"",
                                               out->data ? MHD_RESPMEM_MUST_FREE
                                                         : MHD_RESPMEM_PERSISTENT);
        if (resp)
            out->data = NULL; /* MHD frees it */
    }
    if (!resp) {
        static const char oom[] =
            "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\",\"field\":null}}";
        resp = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
        if (!resp)
            return MHD_NO;
        out->status = 500;
        ctype = "application/json; charset=utf-8";
    }
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    if (out->cache_control)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, out->cache_control);
    if (out->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, out->allow);
    if (out->disposition)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, out->disposition);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (out->status == 0)
        out->status = 200;
    r->status = out->status;
    int ret = MHD_queue_response(r->conn, (unsigned)out->status, resp);
    MHD_destroy_response(resp);
    return ret;
}
