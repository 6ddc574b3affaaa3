/* auth.c - accounts and sessions: argon2id password hashes (libsodium), random tokens stored
 * only as their SHA-256, expiry, lockout after 5 failures in 15 minutes, and user creation by
 * the administrator. Not the role rules of events: those are core/workflow.c. */
#include "app/internal.h"

#include "base/buf.h"
#include "core/password.h"
#include "core/scope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOCKOUT_FAILURES 5
#define LOCKOUT_WINDOW (15 * 60)

int app_hash_password(const char *pw, char out[256])
{
    if (sodium_init() < 0)
        return -GG_EINTERNAL;
    /* crypto_pwhash_STRBYTES is 128 */
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE / 2) != 0)
        return -GG_ENOMEM;
    return 0;
}

static void token_hash(const char *token, char hex[65])
{
    store_sha256_hex(token, strlen(token), hex);
}

static void actor_from_user(const struct user *u, struct actor *out)
{
    memset(out, 0, sizeof *out);
    out->user_id = u->id;
    gg_strlcpy(out->username, u->username, sizeof out->username);
    out->role = u->role;
    out->scope_org_id = u->scope_org_id;
    gg_strlcpy(out->scope_path, u->scope_path, sizeof out->scope_path);
    gg_strlcpy(out->display_name, u->display_name, sizeof out->display_name);
    out->person_id = u->person_id;
}

struct fail_ctx {
    const char *username;
    int64_t now;
};

static int fail_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct fail_ctx *c = ctx;
    int rc = s->ops->login_failure_add(s, c->username, c->now);
    if (rc)
        return rc;
    char detail[128];
    snprintf(detail, sizeof detail, "{\"username_len\":%zu}", strlen(c->username));
    return app_audit(s, NULL, c->now, "auth.login_failed", "user", 0, detail);
}

struct login_ctx {
    const struct user *u;
    const char *hash;
    int64_t now, expires;
};

static int login_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct login_ctx *c = ctx;
    int rc = s->ops->login_failure_clear(s, c->u->username);
    if (!rc)
        rc = s->ops->token_insert(s, c->hash, c->u->id, c->expires);
    if (!rc) {
        struct actor who;
        actor_from_user(c->u, &who);
        rc = app_audit(s, &who, c->now, "auth.login", "user", c->u->id, NULL);
    }
    return rc;
}

int app_login(struct app *a, const char *username, const char *password, int64_t now,
              struct login_result *out, struct gg_error *err)
{
    if (!username || !*username || strlen(username) > GG_MAX_USERNAME)
        return gg_error_set(err, GG_EUNAUTHORIZED, "username", "用户名或密码错误");
    if (!password || strlen(password) > GG_MAX_PASSWORD)
        return gg_error_set(err, GG_EUNAUTHORIZED, "password", "用户名或密码错误");
    struct store *s = app_read_store(a);
    if (!s)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    int fails = 0;
    int rc = s->ops->login_failure_count(s, username, now - LOCKOUT_WINDOW, &fails);
    if (rc)
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    if (fails >= LOCKOUT_FAILURES)
        return gg_error_set(err, GG_ERATELIMIT, NULL,
                            "连续 %d 次登录失败，账号已锁定 15 分钟，请稍后再试", fails);
    struct user u;
    char hash[256] = "";
    rc = s->ops->user_get_by_name(s, username, &u, hash);
    bool ok = rc == 0 && !u.disabled &&
              crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    if (!ok) {
        struct fail_ctx fc = {username, now};
        app_write(a, fail_job, &fc, NULL);
        return gg_error_set(err, GG_EUNAUTHORIZED, NULL, "用户名或密码错误");
    }
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out->token, sizeof out->token, raw, sizeof raw);
    char th[65];
    token_hash(out->token, th);
    out->expires_at = now + a->cfg.token_ttl_secs;
    out->user = u;
    struct login_ctx lc = {&u, th, now, out->expires_at};
    return app_write(a, login_job, &lc, err);
}

int app_auth(struct app *a, const char *token, int64_t now, struct actor *out,
             struct gg_error *err)
{
    if (!token || strlen(token) != 64)
        return gg_error_set(err, GG_EUNAUTHORIZED, NULL, "请先登录");
    struct store *s = app_read_store(a);
    if (!s)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    char th[65];
    token_hash(token, th);
    struct session ss;
    if (gg_tcache_get(a->sessions, th, 64, &ss) && now < ss.expires_at) {
        *out = ss.who;
        return 0;
    }
    uint64_t gen = gg_tcache_gen(a->sessions);
    struct user u;
    int rc = s->ops->token_get(s, th, now, &u, &ss.expires_at);
    if (rc == -GG_ENOTFOUND || (rc == 0 && u.disabled))
        return gg_error_set(err, GG_EUNAUTHORIZED, NULL, "登录已失效，请重新登录");
    if (rc)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    actor_from_user(&u, out);
    ss.who = *out;
    gg_tcache_put(a->sessions, th, 64, &ss, gen);
    return 0;
}

static int logout_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    return s->ops->token_delete(s, ctx);
}

int app_logout(struct app *a, const char *token, struct gg_error *err)
{
    if (!token)
        return gg_error_set(err, GG_EUNAUTHORIZED, NULL, "请先登录");
    char th[65];
    token_hash(token, th);
    int rc = app_write(a, logout_job, th, err);
    app_auth_forget(a);
    return rc;
}

void app_auth_forget(struct app *a)
{
    gg_tcache_clear(a->sessions);
    gg_tcache_clear(a->user_names);
}

void app_user_name(struct app *a, struct store *s, int64_t id, char *out, size_t sz)
{
    char name[GG_NAME_SZ];
    out[0] = '\0';
    if (gg_tcache_get(a->user_names, &id, sizeof id, name)) {
        gg_strlcpy(out, name, sz);
        return;
    }
    uint64_t gen = gg_tcache_gen(a->user_names);
    struct user u;
    if (s->ops->user_get(s, id, &u) != 0)
        return;
    gg_strlcpy(name, u.display_name[0] ? u.display_name : u.username, sizeof name);
    gg_tcache_put(a->user_names, &id, sizeof id, name, gen);
    gg_strlcpy(out, name, sz);
}

struct user_ctx {
    const struct actor *who;
    struct user *u;
    const char *hash;
    int64_t now;
};

static int user_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct user_ctx *c = ctx;
    struct org scope;
    int rc = s->ops->org_get(s, c->u->scope_org_id, &scope);
    if (rc)
        return gg_error_set(err, GG_EINVAL, "scope_org_id", "所属组织不存在");
    if (!scope_covers(c->who->scope_path, scope.path))
        return gg_error_set(err, GG_EFORBIDDEN, "scope_org_id", "不能在管辖范围以外创建账号");
    gg_strlcpy(c->u->scope_path, scope.path, sizeof c->u->scope_path);
    rc = s->ops->user_insert(s, c->u, c->hash, err);
    if (rc == -GG_ECONFLICT)
        return gg_error_set(err, GG_ECONFLICT, "username", "用户名已存在");
    if (rc)
        return rc;
    char detail[160];
    snprintf(detail, sizeof detail, "{\"username\":\"%s\",\"role\":\"%s\",\"scope_org_id\":%lld}",
             c->u->username, role_id(c->u->role), (long long)c->u->scope_org_id);
    return app_audit(s, c->who, c->now, "user.create", "user", c->u->id, detail);
}

static bool username_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > GG_MAX_USERNAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.'))
            return false;
    }
    return true;
}

int app_user_create(struct app *a, const struct actor *who, const struct user_input *in,
                    int64_t now, struct user *out, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以创建账号");
    if (!in->username || !username_ok(in->username))
        return gg_error_set(err, GG_EINVAL, "username",
                            "用户名为 2 到 32 位字母、数字、下划线、点或连字符");
    if ((unsigned)in->role >= ROLE__COUNT)
        return gg_error_set(err, GG_EINVAL, "role", "角色无效");
    if (!in->password)
        return gg_error_set(err, GG_EINVAL, "password", "password 不能为空");
    char msg[200];
    if (password_check(in->password, in->username, msg, sizeof msg))
        return gg_error_set(err, GG_EINVAL, "password", "%s", msg);
    int rc = app_check_text(in->display_name, GG_MAX_NAME, "display_name", false, err);
    if (rc)
        return rc;
    char hash[256];
    if (app_hash_password(in->password, hash))
        return gg_error_set(err, GG_ENOMEM, NULL, "cannot hash the password");
    struct user u = {0};
    gg_strlcpy(u.username, in->username, sizeof u.username);
    u.role = in->role;
    u.scope_org_id = in->scope_org_id;
    u.person_id = in->person_id;
    gg_strlcpy(u.display_name, in->display_name ? in->display_name : "", sizeof u.display_name);
    u.created_at = now;
    struct user_ctx c = {who, &u, hash, now};
    rc = app_write(a, user_job, &c, err);
    if (!rc && out)
        *out = u;
    return rc;
}

int app_user_list(struct app *a, const struct actor *who, int64_t after_id, int limit,
                  struct user **items, size_t *n, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "只有系统管理员可以查看账号");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->user_list(s, who->scope_path, after_id, limit, items, n);
    return rc ? gg_error_set(err, rc, NULL, "数据库暂不可用") : 0;
}
