/* attach.c - photos attached to events: checked by their magic bytes, stored once per content
 * (the file name is the SHA-256) under the data directory beside the database, and readable
 * only by the uploader or by someone who can see an event that uses them. */
#include "app/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"

#define MAX_ATTACHMENT ((size_t)10 << 20)

static bool magic_ok(const unsigned char *p, size_t n, const char *type)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (strcmp(type, "image/png") == 0)
        return n >= 8 && memcmp(p, png, 8) == 0;
    if (strcmp(type, "image/jpeg") == 0)
        return n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff;
    return false;
}

static void file_path(const struct app *a, const char *sha, char *out, size_t sz)
{
    snprintf(out, sz, "%s/%.2s/%s", a->data_dir, sha, sha);
}

/* Writes the file atomically (temporary name, fsync, rename); an existing file is kept. */
static int write_file(const struct app *a, const char *sha, const void *data, size_t len)
{
    char dir[1200], path[1300], tmp[1400];
    snprintf(dir, sizeof dir, "%s/%.2s", a->data_dir, sha);
    file_path(a, sha, path, sizeof path);
    if (access(path, F_OK) == 0)
        return 0;
    if (mkdir(a->data_dir, 0750) && errno != EEXIST)
        return -GG_EIO;
    if (mkdir(dir, 0750) && errno != EEXIST)
        return -GG_EIO;
    snprintf(tmp, sizeof tmp, "%s.%d.%lx.tmp", path, (int)getpid(), (unsigned long)pthread_self());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return -GG_EIO;
    const unsigned char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return -GG_EIO;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) || close(fd)) {
        unlink(tmp);
        return -GG_EIO;
    }
    if (rename(tmp, path)) {
        unlink(tmp);
        return -GG_EIO;
    }
    return 0;
}

struct put_ctx {
    const struct actor *who;
    struct attachment *out;
};

static int put_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct put_ctx *c = p;
    int rc = s->ops->attachment_insert(s, c->out);
    if (rc)
        return rc;
    char detail[128];
    snprintf(detail, sizeof detail, "{\"sha256\":\"%.16s…\",\"size\":%lld}", c->out->sha256,
             (long long)c->out->size);
    return app_audit(s, c->who, c->out->created_at, "attachment.upload", "attachment",
                     c->out->id, detail);
}

int app_attachment_put(struct app *a, const struct actor *who, const void *data, size_t len,
                       const char *content_type, int64_t now, struct attachment *out,
                       struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!content_type ||
        (strcmp(content_type, "image/jpeg") != 0 && strcmp(content_type, "image/png") != 0))
        return gg_error_set(err, GG_EMEDIATYPE, NULL, "只接受 JPEG 或 PNG 图片");
    if (len == 0)
        return gg_error_set(err, GG_EINVAL, "body", "图片为空");
    if (len > MAX_ATTACHMENT)
        return gg_error_set(err, GG_ETOOLARGE, "body", "图片不能超过 10 MiB");
    if (!magic_ok(data, len, content_type))
        return gg_error_set(err, GG_EINVAL, "body", "文件内容与类型 %s 不符", content_type);
    store_sha256_hex(data, len, out->sha256);
    out->size = (int64_t)len;
    gg_strlcpy(out->content_type, content_type, sizeof out->content_type);
    out->uploader_id = who->user_id;
    out->created_at = now;
    /* the file first: a row never points at a missing file; an orphan file is harmless */
    int rc = write_file(a, out->sha256, data, len);
    if (rc)
        return gg_error_set(err, GG_EIO, NULL, "保存图片失败");
    struct put_ctx c = {who, out};
    return app_write(a, put_job, &c, err);
}

static int read_all(const char *path, size_t expect, void **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -GG_EIO;
    unsigned char *buf = malloc(expect ? expect : 1);
    if (!buf) {
        close(fd);
        return -GG_ENOMEM;
    }
    size_t got = 0;
    while (got < expect) {
        ssize_t r = read(fd, buf + got, expect - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != expect) {
        free(buf);
        return -GG_EIO;
    }
    *data = buf;
    *len = got;
    return 0;
}

int app_attachment_get(struct app *a, const struct actor *who, int64_t id, struct attachment *meta,
                       void **data, size_t *len, struct gg_error *err)
{
    *data = NULL;
    *len = 0;
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->attachment_get(s, id, meta);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "附件不存在");
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取附件失败");
    bool ok = meta->uploader_id == who->user_id || who->role == ROLE_ADMIN;
    if (!ok) {
        int64_t *ids = NULL;
        size_t n = 0;
        rc = s->ops->attachment_events(s, id, &ids, &n);
        struct store_scope sc;
        app_scope_of(who, &sc);
        for (size_t i = 0; !rc && !ok && i < n; i++) {
            struct event e;
            int r2 = s->ops->event_get(s, ids[i], &sc, &e);
            if (r2 == 0)
                ok = true;
            else if (r2 != -GG_ENOTFOUND)
                rc = r2;
        }
        free(ids);
        if (rc)
            return gg_error_set(err, -rc, NULL, "读取附件失败");
    }
    if (!ok)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "附件不存在");
    char path[1300];
    file_path(a, meta->sha256, path, sizeof path);
    rc = read_all(path, (size_t)meta->size, data, len);
    if (rc) {
        gg_errlog("attachment %lld: file %s unreadable", (long long)id, path);
        return gg_error_set(err, GG_EIO, NULL, "附件文件丢失");
    }
    return 0;
}
