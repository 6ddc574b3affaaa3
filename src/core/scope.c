/* scope.c - subtree tests on materialised paths. */
#include "core/scope.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

bool scope_covers(const char *scope_path, const char *path)
{
    size_t n = strlen(scope_path);
    return n > 0 && strncmp(scope_path, path, n) == 0;
}

void scope_upper_bound(const char *prefix, char *upper, size_t sz)
{
    size_t n = gg_strlcpy(upper, prefix, sz);
    /* paths end in '/', and '/' + 1 == '0' sorts after it */
    if (n > 0)
        upper[n - 1] = (char)(upper[n - 1] + 1);
}

size_t scope_path_ids(const char *path, int64_t *ids, size_t max)
{
    size_t n = 0;
    const char *p = path;
    while (*p && n < max) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            break;
        ids[n++] = v;
        p = end;
    }
    return n;
}
