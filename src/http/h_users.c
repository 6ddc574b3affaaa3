/* h_users.c - POST /users and GET /users.
 *
 * Decodes and bounds the fields; who may create or list accounts, and in which scope, is
 * app/'s decision (403 from app_user_create / app_user_list). */
#include "http/http_int.h"

#include <stdlib.h>

int http_users_create(struct req *r, struct reply *out)
{
    json_t *b = req_body(r);
    struct user_input in = {0};
    int role = 0;
    int64_t scope = 0, person = 0;
    int rc = jin_str(b, "username", true, GG_MAX_USERNAME, &in.username, &r->err);
    if (!rc)
        rc = jin_str(b, "password", true, GG_MAX_PASSWORD, &in.password, &r->err);
    if (!rc)
        rc = jin_enum(b, "role", true, role_from_id, ROLE__COUNT, &role, &r->err);
    if (!rc)
        rc = jin_int(b, "scope_org_id", true, 1, INT64_MAX, &scope, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_int(b, "person_id", false, 1, INT64_MAX, &person, &r->err);
    if (rc < 0)
        return rc;
    rc = jin_str(b, "display_name", false, GG_MAX_NAME, &in.display_name, &r->err);
    if (rc < 0)
        return rc;
    in.role = (enum role)role;
    in.scope_org_id = scope;
    in.person_id = person;
    struct user u;
    rc = app_user_create(r->app, &r->actor, &in, r->now, &u, &r->err);
    if (rc)
        return rc;
    json_t *j = json_user(&u);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 201, j);
    return 0;
}

int http_users_list(struct req *r, struct reply *out)
{
    int limit;
    int64_t after;
    int rc = req_limit(r, &limit);
    if (!rc)
        rc = req_cursor(r, &after);
    if (rc)
        return rc;
    struct user *items = NULL;
    size_t n = 0;
    rc = app_user_list(r->app, &r->actor, after, limit, &items, &n, &r->err);
    if (rc)
        return rc;
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_user(&items[i]));
    char cur[24];
    const char *next = n == (size_t)limit && n ? cursor_text(items[n - 1].id, cur) : NULL;
    free(items);
    json_t *j = json_list(a, next);
    if (!j)
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    reply_json(out, 200, j);
    return 0;
}
