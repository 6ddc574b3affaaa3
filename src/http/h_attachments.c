/* h_attachments.c - POST /attachments (raw image/jpeg or image/png body) and
 * GET /attachments/{id} (the image, with its own Content-Type).
 *
 * server.c has already checked the media type and the 10 MiB limit; the magic bytes, storage
 * and who may read a photo are app/'s. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

int http_attachments_create(struct req *r, struct reply *out)
{
    if (r->body.len == 0)
        return gg_error_set(&r->err, GG_EINVAL, "body", "图片内容为空");
    struct attachment a;
    memset(&a, 0, sizeof a);
    int rc = app_attachment_put(r->app, &r->actor, r->body.data, r->body.len, r->content_type,
                                r->now, &a, &r->err);
    if (rc)
        return rc;
    json_t *j = json_attachment(&a);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 201, j);
    return 0;
}

int http_attachments_get(struct req *r, struct reply *out)
{
    struct attachment meta;
    memset(&meta, 0, sizeof meta);
    void *data = NULL;
    size_t len = 0;
    int rc = app_attachment_get(r->app, &r->actor, r->id, &meta, &data, &len, &r->err);
    if (rc)
        return rc;
    /* a static string: the reply outlives meta */
    const char *ct = "application/octet-stream";
    if (strcmp(meta.content_type, "image/jpeg") == 0)
        ct = "image/jpeg";
    else if (strcmp(meta.content_type, "image/png") == 0)
        ct = "image/png";
    reply_text(out, 200, ct, data, len);
    /* content-addressed, never changes; scope-checked, so private */
    out->cache_control = "private, max-age=31536000, immutable";
    return 0;
}
