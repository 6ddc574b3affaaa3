/* h_auth.c - POST /auth/login, POST /auth/logout, GET /me.
 *
 * Turns the login body into app_login and the result into {token, expires_at, user}; the
 * lockout (429) and the password check are app/'s. Not the token check of other requests:
 * server.c does that once per request through app_auth. */
#include "http/http_int.h"

#include <string.h>

static json_t *user_brief(int64_t id, const char *username, enum role role, int64_t scope)
{
    json_t *u = json_object();
    if (!u)
        return NULL;
    json_object_set_new(u, "id", json_integer(id));
    json_object_set_new(u, "username", json_string(username));
    json_object_set_new(u, "role", json_string(role_id(role) ? role_id(role) : ""));
    json_object_set_new(u, "role_name", json_string(role_zh(role) ? role_zh(role) : ""));
    json_object_set_new(u, "scope_org_id", jid(scope));
    return u;
}

int http_login(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    const char *username, *password;
    int rc = jin_str(b, "username", true, 256, &username, &r->err);
    if (rc)
        return rc;
    rc = jin_str(b, "password", true, 1024, &password, &r->err);
    if (rc)
        return rc;
    struct login_result res;
    memset(&res, 0, sizeof res);
    rc = app_login(r->app, username, password, r->now, &res, &r->err);
    if (rc)
        return rc;
    json_t *u = json_user(&res.user);
    json_t *j = json_pack("{s:s, s:o, s:o}", "token", res.token, "expires_at",
                          jtime(res.expires_at), "user", u ? u : json_null());
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}

int http_logout(struct req *r, struct reply *out)
{
    int rc = app_logout(r->app, r->token, &r->err);
    if (rc)
        return rc;
    out->status = 204;
    return 0;
}

int http_me(struct req *r, struct reply *out)
{
    const struct actor *a = &r->actor;
    json_t *j = user_brief(a->user_id, a->username, a->role, a->scope_org_id);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    json_object_set_new(j, "display_name", jstr_or_null(a->display_name));
    reply_json(out, 200, j);
    return 0;
}
