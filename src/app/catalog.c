/* catalog.c - the matter catalog (事项清单): validation, TSV import of data/catalog.tsv, and
 * `init` (schema, default catalog, root org, admin account). Not the routing rules: those are
 * core/routing.c. */
#include "app/internal.h"

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "core/password.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool code_ok(const char *code, const char *parent)
{
    size_t n = strlen(code);
    size_t want = parent && *parent ? strlen(parent) + 2 : 2;
    if (n != want)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)code[i]))
            return false;
    return !parent || !*parent || strncmp(code, parent, strlen(parent)) == 0;
}

static int validate(const struct category *c, struct gg_error *err)
{
    if (!code_ok(c->code, c->parent_code))
        return gg_error_set(err, GG_EINVAL, "code",
                            "编码应为两位数字（大类）或大类编码加两位数字（小类）");
    int rc = app_check_text(c->name, GG_MAX_NAME, "name", true, err);
    if (rc)
        return rc;
    if (c->accept_hours < 0 || c->accept_hours > 8760)
        return gg_error_set(err, GG_EINVAL, "accept_hours", "受理时限应在 0 到 8760 小时之间");
    if (c->handle_hours < 0 || c->handle_hours > 8760)
        return gg_error_set(err, GG_EINVAL, "handle_hours", "处置时限应在 0 到 8760 小时之间");
    if ((unsigned)c->kind >= CAT_KIND__COUNT)
        return gg_error_set(err, GG_EINVAL, "kind", "kind 应为 event 或 service");
    if ((unsigned)c->list >= CAT_LIST__COUNT)
        return gg_error_set(err, GG_EINVAL, "list", "list 应为 duty、assist 或 excluded");
    if ((unsigned)c->handler_level >= LEVEL__COUNT)
        return gg_error_set(err, GG_EINVAL, "handler_level", "handler_level 无效");
    if ((unsigned)c->clock >= CLOCK__COUNT)
        return gg_error_set(err, GG_EINVAL, "clock", "clock 无效");
    return 0;
}

struct put_ctx {
    const struct actor *who;
    const struct category *cats;
    size_t n;
    int64_t now;
    int created, updated;
};

static int put_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct put_ctx *p = ctx;
    for (size_t i = 0; i < p->n; i++) {
        const struct category *c = &p->cats[i];
        if (c->parent_code[0]) {
            struct category parent;
            if (s->ops->category_get(s, c->parent_code, &parent))
                return gg_error_set(err, GG_EINVAL, "parent_code", "大类 %s 不存在",
                                    c->parent_code);
        }
        bool created = false;
        int rc = s->ops->category_upsert(s, c, &created);
        if (rc)
            return gg_error_set(err, rc, "code", "无法保存事项 %s", c->code);
        if (created)
            p->created++;
        else
            p->updated++;
        char detail[128];
        snprintf(detail, sizeof detail, "{\"code\":\"%s\"}", c->code);
        rc = app_audit(s, p->who, p->now, created ? "category.create" : "category.update",
                       "category", 0, detail);
        if (rc)
            return rc;
    }
    return app_cache_load_catalog(a, s);
}

int app_category_put(struct app *a, const struct actor *who, const struct category *c,
                     int64_t now, bool *created, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以维护事项清单");
    int rc = validate(c, err);
    if (rc)
        return rc;
    struct put_ctx p = {.who = who, .cats = c, .n = 1, .now = now};
    rc = app_write(a, put_job, &p, err);
    if (rc == 0 && created)
        *created = p.created > 0;
    if (rc)
        app_cache_load_catalog(a, app_store_for_read(a));
    return rc;
}

int app_category_list(struct app *a, struct category **items, size_t *n, struct gg_error *err)
{
    pthread_rwlock_rdlock(&a->cache_lock);
    *items = malloc((a->n_cats ? a->n_cats : 1) * sizeof **items);
    if (*items) {
        memcpy(*items, a->cats, a->n_cats * sizeof **items);
        *n = a->n_cats;
    }
    pthread_rwlock_unlock(&a->cache_lock);
    return *items ? 0 : gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
}

int app_category_get(struct app *a, const char *code, struct category *out)
{
    return app_cat_find(a, code, out);
}

/* Splits one TSV line in place into at most max fields. */
static int split_tab(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *t = strchr(p, '\t');
        if (!t)
            break;
        *t = '\0';
        p = t + 1;
    }
    return n;
}

static int parse_int(const char *s, int *out)
{
    if (!*s) {
        *out = 0;
        return 0;
    }
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 100000)
        return -1;
    *out = (int)v;
    return 0;
}

int app_catalog_import_tsv(struct app *a, const struct actor *who, const char *tsv,
                           int *created, int *updated, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以导入事项清单");
    char *copy = strdup(tsv);
    if (!copy)
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    size_t cap = 64, n = 0;
    struct category *cats = malloc(cap * sizeof *cats);
    int rc = cats ? 0 : -GG_ENOMEM;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line && !rc; line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (lineno == 1 || len == 0 || line[0] == '#')
            continue; /* header, blank, comment */
        char *f[11];
        int nf = split_tab(line, f, 11);
        if (nf < 10) {
            rc = gg_error_set(err, GG_EINVAL, "line", "第 %d 行：应有至少 10 列", lineno);
            break;
        }
        if (n == cap) {
            cap *= 2;
            struct category *nc = realloc(cats, cap * sizeof *cats);
            if (!nc) {
                rc = -GG_ENOMEM;
                break;
            }
            cats = nc;
        }
        struct category *c = &cats[n];
        memset(c, 0, sizeof *c);
        gg_strlcpy(c->code, f[0], sizeof c->code);
        gg_strlcpy(c->parent_code, f[1], sizeof c->parent_code);
        gg_strlcpy(c->name, f[2], sizeof c->name);
        int kind = cat_kind_from_id(f[3]), list = cat_list_from_id(f[4]);
        int lvl = level_from_id(f[5][0] ? f[5] : "community");
        int clk = clock_from_id(f[9][0] ? f[9] : "continuous");
        gg_strlcpy(c->department_kind, f[6], sizeof c->department_kind);
        if (nf > 10)
            gg_strlcpy(c->guidance, f[10], sizeof c->guidance);
        if (kind < 0 || list < 0 || lvl < 0 || clk < 0 || parse_int(f[7], &c->accept_hours) ||
            parse_int(f[8], &c->handle_hours)) {
            rc = gg_error_set(err, GG_EINVAL, "line", "第 %d 行：字段取值无效", lineno);
            break;
        }
        c->kind = kind;
        c->list = list;
        c->handler_level = lvl;
        c->clock = clk;
        if (validate(c, err)) {
            char msg[200];
            gg_strlcpy(msg, err ? err->message : "", sizeof msg);
            rc = gg_error_set(err, GG_EINVAL, "line", "第 %d 行：%s", lineno, msg);
            break;
        }
        n++;
    }
    free(copy);
    if (!rc) {
        struct put_ctx p = {.who = who, .cats = cats, .n = n, .now = gg_time_now()};
        rc = app_write(a, put_job, &p, err);
        if (!rc) {
            if (created)
                *created = p.created;
            if (updated)
                *updated = p.updated;
        } else {
            app_cache_load_catalog(a, app_store_for_read(a));
        }
    }
    free(cats);
    return rc;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct gg_buf b;
    gg_buf_init(&b, 16 << 20);
    char chunk[8192];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (gg_buf_append(&b, chunk, k))
            break;
    fclose(f);
    return gg_buf_detach(&b);
}

/* The default catalog: $GRIDGOV_CATALOG, else data/catalog.tsv in the source tree. */
static char *default_catalog(void)
{
    const char *env = getenv("GRIDGOV_CATALOG");
    if (env && *env)
        return read_file(env);
    char *t = read_file("data/catalog.tsv");
    if (t)
        return t;
    return read_file(GG_SOURCE_DIR "/data/catalog.tsv");
}

struct init_ctx {
    const char *hash;
    int64_t now;
    bool admin_exists;
};

static int init_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct init_ctx *c = ctx;
    struct org root = {0};
    int rc = app_root_org(s, &root);
    if (rc == -GG_ENOTFOUND) {
        root.kind = ORG_CITY;
        gg_strlcpy(root.code, "220100", sizeof root.code);
        gg_strlcpy(root.name, "长春市", sizeof root.name);
        root.households = -1;
        root.created_at = root.updated_at = c->now;
        rc = s->ops->org_insert(s, &root, NULL, err);
        if (!rc)
            rc = app_audit(s, NULL, c->now, "org.create", "org", root.id, "{\"init\":true}");
        /* a new deployment has no events: its (empty) counters are exact from the start, and
         * every write keeps them so; no rebuild is needed when a server first starts */
        if (!rc)
            rc = s->ops->setting_set(s, "stats.version", STATS_VERSION);
    }
    if (rc)
        return rc;
    struct user u = {0};
    char hash[256];
    if (s->ops->user_get_by_name(s, "admin", &u, hash) == 0) {
        c->admin_exists = true;
        return 0;
    }
    memset(&u, 0, sizeof u);
    gg_strlcpy(u.username, "admin", sizeof u.username);
    gg_strlcpy(u.display_name, "系统管理员", sizeof u.display_name);
    u.role = ROLE_ADMIN;
    u.scope_org_id = root.id;
    gg_strlcpy(u.scope_path, root.path, sizeof u.scope_path);
    u.created_at = c->now;
    rc = s->ops->user_insert(s, &u, c->hash, err);
    if (rc)
        return rc;
    return app_audit(s, NULL, c->now, "user.create", "user", u.id, "{\"username\":\"admin\"}");
}

int app_hash_password(const char *pw, char out[256]);

int app_init(struct app *a, const char *admin_password, int64_t now, struct gg_error *err)
{
    char msg[200];
    if (password_check(admin_password, "admin", msg, sizeof msg))
        return gg_error_set(err, GG_EINVAL, "password", "%s", msg);
    char hash[256];
    if (app_hash_password(admin_password, hash))
        return gg_error_set(err, GG_ENOMEM, NULL, "cannot hash the password");
    struct init_ctx c = {.hash = hash, .now = now};
    int rc = app_write(a, init_job, &c, err);
    if (rc)
        return rc;
    /* issue 6: the personal-data key file, made once */
    rc = app_pii_create_key(a, err);
    if (rc)
        return rc;
    if (a->n_cats == 0) {
        char *tsv = default_catalog();
        if (!tsv)
            return gg_error_set(err, GG_EIO, NULL, "找不到默认事项清单 data/catalog.tsv");
        struct actor sys;
        app_system_actor(a, &sys);
        rc = app_catalog_import_tsv(a, &sys, tsv, NULL, NULL, err);
        free(tsv);
    }
    return rc;
}
