/* audit.c - reading and verifying the hash-chained audit trail, and backups. The trail itself
 * is written by every use case through app_audit() inside its own transaction. */
#include "app/internal.h"

#include <string.h>

static bool may_read_audit(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER;
}

int app_audit_list(struct app *a, const struct actor *who, const char *object_type,
                   int64_t object_id, int64_t after_id, int limit, struct audit_entry **items,
                   size_t *n, struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    if (!may_read_audit(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "无权查看审计记录");
    if (object_type && strlen(object_type) >= sizeof((struct audit_entry *)0)->object_type)
        return gg_error_set(err, GG_EINVAL, "object_type", "object_type 过长");
    if (limit < 1 || limit > 500)
        return gg_error_set(err, GG_EINVAL, "limit", "limit 应在 1 到 500 之间");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->audit_list(s, object_type && *object_type ? object_type : NULL, object_id,
                                after_id, limit, items, n);
    if (rc)
        return gg_error_set(err, -rc, NULL, "读取审计记录失败");
    return 0;
}

int app_audit_verify(struct app *a, struct audit_verify_result *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->audit_verify(s, out);
    if (rc)
        return gg_error_set(err, -rc, NULL, "校验审计链失败");
    return 0;
}

int app_backup(struct app *a, const char *path, struct gg_error *err)
{
    if (!path || !*path)
        return gg_error_set(err, GG_EINVAL, "to", "请指定备份文件");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    return s->ops->backup(s, path, err);
}
