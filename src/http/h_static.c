/* http_static.c - the web console's files from the --web directory, with the single-page-app
 * fallback: a path that is not a file (and not under /api, /open311 or /assets) gets
 * index.html, so that the console's client-side routes survive a reload.
 *
 * Safety: the path is the decoded URL; any "." or ".." segment, any hidden segment (".env")
 * and any backslash are refused, and the last component is opened without following a
 * symlink, so nothing outside the directory is ever served. Caching: files under /assets/ are
 * content-hashed by the build (immutable for a year); index.html must always be revalidated. */
#include "http/http_int.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_IMMUTABLE "public, max-age=31536000, immutable"

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json; charset=utf-8"},
    {"map", "application/json; charset=utf-8"},
    {"webmanifest", "application/manifest+json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"wasm", "application/wasm"},
    {"txt", "text/plain; charset=utf-8"},
    {"xml", "application/xml"},
    {"pdf", "application/pdf"},
    {"geojson", "application/geo+json"},
};

static const char *content_type_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    }
    return "application/octet-stream";
}

/* True when every segment of the URL path is an ordinary name. */
static bool safe_path(const char *p)
{
    if (p[0] != '/' || strchr(p, '\\'))
        return false;
    while (*p) {
        p++; /* past the '/' */
        if (*p == '.')
            return false; /* ".", "..", ".hidden" */
        const char *e = strchr(p, '/');
        p = e ? e : p + strlen(p);
    }
    return true;
}

/* Opens dir + rel as a regular file; -1 when it is missing, not regular, or a symlink. */
static int open_file(const char *dir, const char *rel, struct stat *st)
{
    char full[PATH_MAX];
    int n = snprintf(full, sizeof full, "%s%s", dir, rel);
    if (n < 0 || (size_t)n >= sizeof full)
        return -1;
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

int http_static(struct req *r, struct reply *out)
{
    const char *dir = http_web_dir(r->srv);
    const char *path = r->url;
    if (!dir || !path || !safe_path(path))
        return gg_error_set(&r->err, GG_ENOTFOUND, NULL, "文件不存在");
    struct stat st;
    int fd = -1;
    bool index = strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0;
    if (!index && strlen(path) < PATH_MAX - 1)
        fd = open_file(dir, path, &st);
    const char *served = path;
    if (fd < 0) {
        /* a missing asset or file (a name with an extension) is a real 404, never the HTML
         * page; only extension-less paths are the console's client-side routes */
        const char *last = strrchr(path, '/');
        if (strncmp(path, "/assets/", 8) == 0 || (last && strchr(last, '.')))
            return gg_error_set(&r->err, GG_ENOTFOUND, NULL, "文件不存在");
        fd = open_file(dir, "/index.html", &st);
        served = "/index.html";
        index = true;
        if (fd < 0)
            return gg_error_set(&r->err, GG_ENOTFOUND, NULL, "控制台未安装");
    }
    out->status = 200;
    out->fd = fd;
    out->len = (size_t)st.st_size;
    out->content_type = content_type_of(served);
    if (index)
        out->cache_control = "no-cache";
    else if (strncmp(path, "/assets/", 8) == 0)
        out->cache_control = CACHE_IMMUTABLE;
    else
        out->cache_control = "public, max-age=3600";
    return 0;
}
