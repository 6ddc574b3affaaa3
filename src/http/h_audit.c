/* h_audit.c - GET /audit?object_type=&object_id= : the trail (留痕), oldest first, paged.
 *
 * Which roles may read it is app/'s (403 from app_audit_list). Verifying the hash chain is a
 * command-line operation (`gridgov audit verify`), not an endpoint. */
#include "http/http_int.h"

#include <stdlib.h>
#include <string.h>

int http_audit_list(struct req *r, struct reply *out)
{
    const char *type = req_query(r, "object_type");
    if (type && !*type)
        type = NULL;
    if (type && strlen(type) > 31)
        return gg_error_set(&r->err, GG_EINVAL, "object_type", "object_type 过长");
    for (const char *p = type; p && *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
            return gg_error_set(&r->err, GG_EINVAL, "object_type", "object_type 无效");
    int64_t object_id = 0;
    int rc = req_query_int(r, "object_id", 1, INT64_MAX, &object_id);
    if (rc < 0)
        return rc;
    int limit;
    int64_t after;
    rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &after);
    if (rc)
        return rc;
    struct audit_entry *items = NULL;
    size_t n = 0;
    rc = app_audit_list(r->app, &r->actor, type, object_id, after, limit, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_audit(&items[i]));
    char cur[24];
    const char *next = n && n == (size_t)limit ? cursor_text(items[n - 1].id, cur) : NULL;
    free(items);
    json_t *j = json_list(a, next);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}
