/* test_auth.c - login, lockout, tokens, logout, /me and user administration over real HTTP
 * (API.md "Auth", "POST /users"; DESIGN section 1). Tests share one database: every test uses
 * its own username prefix. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* /me and POST /users may answer {user:{…}} or the user itself */
static json_t *user_of(json_t *j)
{
    json_t *u = j ? json_object_get(j, "user") : NULL;
    return json_is_object(u) ? u : j;
}

static json_t *login_raw(const char *username, const char *password, long *st)
{
    return h_post("/api/v1/auth/login", NULL,
                  json_pack("{s:s, s:s}", "username", username, "password", password), st);
}

static void test_login_ok(void **state)
{
    (void)state;
    int64_t id = h_user("au_ok", "staff", h_root_id());
    long st = 0;
    json_t *j = login_raw("au_ok", H_PASSWORD, &st);
    H_STATUS(st, 200);
    const char *tok = h_str(j, "token");
    assert_true(strlen(tok) >= 16);
    const char *exp = h_str(j, "expires_at");
    /* RFC 3339 in UTC: 2026-11-22T08:00:00Z */
    assert_int_equal(strlen(exp), 20);
    assert_int_equal(exp[10], 'T');
    assert_int_equal(exp[19], 'Z');
    json_t *u = h_obj(j, "user");
    assert_int_equal(h_int(u, "id"), id);
    assert_string_equal(h_str(u, "username"), "au_ok");
    assert_string_equal(h_str(u, "role"), "staff");
    assert_int_equal(h_int(u, "scope_org_id"), h_root_id());
    assert_null(json_object_get(u, "password"));
    assert_null(json_object_get(u, "password_hash"));
    /* the token works */
    long st2 = 0;
    json_t *me = h_get("/api/v1/me", tok, &st2);
    H_STATUS(st2, 200);
    assert_string_equal(h_str(user_of(me), "username"), "au_ok");
    json_decref(me);
    json_decref(j);
}

static void test_login_bad_password(void **state)
{
    (void)state;
    h_user("au_badpw", "staff", h_root_id());
    long st = 0;
    json_t *j = login_raw("au_badpw", "Wrong#2026pass", &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    assert_null(json_object_get(j, "token"));
    json_decref(j);
}

static void test_login_unknown_user(void **state)
{
    (void)state;
    long st = 0;
    json_t *j = login_raw("au_nobody_here", H_PASSWORD, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    assert_null(json_object_get(j, "token"));
    json_decref(j);
}

static void test_login_missing_fields(void **state)
{
    (void)state;
    long st = 0;
    json_t *j = h_post("/api/v1/auth/login", NULL, json_pack("{s:s}", "username", "admin"), &st);
    /* a missing password is a well-formed but invalid request (422) or a failed login (401) */
    if (st != 422 && st != 401)
        fail_msg("status %ld, want 422 or 401\n%s", st, h_last());
    h_check_error(j, NULL);
    json_decref(j);
}

static void test_lockout(void **state)
{
    (void)state;
    h_user("au_lock", "staff", h_root_id());
    h_user("au_lock_other", "staff", h_root_id());
    long st = 0;
    for (int i = 0; i < 5; i++) {
        json_t *j = login_raw("au_lock", "Wrong#2026pass", &st);
        H_STATUS(st, 401);
        h_check_error(j, NULL);
        json_decref(j);
    }
    /* the sixth attempt, even with the right password, is refused: locked for 15 minutes */
    json_t *j = login_raw("au_lock", H_PASSWORD, &st);
    H_STATUS(st, 429);
    h_check_error(j, NULL);
    assert_null(json_object_get(j, "token"));
    json_decref(j);
    j = login_raw("au_lock", "Wrong#2026pass", &st);
    H_STATUS(st, 429);
    h_check_error(j, NULL);
    json_decref(j);
    /* another account is not affected */
    char *tok = h_login("au_lock_other", H_PASSWORD);
    if (!tok)
        fail_msg("another user is locked too\n%s", h_last());
    free(tok);
}

static void test_lockout_counts_only_failures(void **state)
{
    (void)state;
    h_user("au_lock4", "staff", h_root_id());
    long st = 0;
    for (int i = 0; i < 4; i++) {
        json_t *j = login_raw("au_lock4", "Wrong#2026pass", &st);
        H_STATUS(st, 401);
        json_decref(j);
    }
    /* four failures: not locked yet */
    char *tok = h_login("au_lock4", H_PASSWORD);
    if (!tok)
        fail_msg("locked after only 4 failures\n%s", h_last());
    free(tok);
}

static void test_token_required(void **state)
{
    (void)state;
    const char *paths[] = {"/api/v1/me", "/api/v1/events", "/api/v1/users", "/api/v1/orgs",
                           "/api/v1/audit"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        long st = 0;
        json_t *j = h_get(paths[i], NULL, &st);
        H_STATUS(st, 401);
        h_check_error(j, NULL);
        json_decref(j);
        j = h_get(paths[i], "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                  &st);
        H_STATUS(st, 401);
        h_check_error(j, NULL);
        json_decref(j);
        j = h_get(paths[i], "x", &st);
        H_STATUS(st, 401);
        h_check_error(j, NULL);
        json_decref(j);
    }
    /* a write without a token */
    long st = 0;
    json_t *j =
        h_post("/api/v1/events", NULL,
               json_pack("{s:s, s:s, s:f, s:f, s:s}", "category_code", "0101", "description",
                         "no token", "lat", H_A_LAT, "lon", H_A_LON, "source", "app"),
               &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
}

static void test_logout(void **state)
{
    (void)state;
    h_user("au_logout", "staff", h_root_id());
    char *tok = h_login("au_logout", H_PASSWORD);
    assert_non_null(tok);
    char *tok2 = h_login("au_logout", H_PASSWORD);
    assert_non_null(tok2);
    assert_string_not_equal(tok, tok2);
    long st = 0;
    json_t *j = h_get("/api/v1/me", tok, &st);
    H_STATUS(st, 200);
    json_decref(j);
    j = h_post("/api/v1/auth/logout", tok, NULL, &st);
    if (st != 200 && st != 204)
        fail_msg("logout: status %ld, want 200 or 204\n%s", st, h_last());
    json_decref(j);
    j = h_get("/api/v1/me", tok, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
    /* logging out again with the dead token: 401 */
    j = h_post("/api/v1/auth/logout", tok, NULL, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
    /* the other session of the same user lives on */
    j = h_get("/api/v1/me", tok2, &st);
    H_STATUS(st, 200);
    json_decref(j);
    /* logout needs a token */
    j = h_post("/api/v1/auth/logout", NULL, NULL, &st);
    H_STATUS(st, 401);
    h_check_error(j, NULL);
    json_decref(j);
    free(tok);
    free(tok2);
}

static void test_me(void **state)
{
    (void)state;
    int64_t d = h_org(h_admin(), h_root_id(), "district", "AU-D1", "认证测试区", NULL, NULL);
    int64_t uid = 0;
    char *tok = h_user_token("au_me", "leader", d, &uid);
    long st = 0;
    json_t *j = h_get("/api/v1/me", tok, &st);
    H_STATUS(st, 200);
    json_t *u = user_of(j);
    assert_int_equal(h_int(u, "id"), uid);
    assert_string_equal(h_str(u, "username"), "au_me");
    assert_string_equal(h_str(u, "role"), "leader");
    assert_int_equal(h_int(u, "scope_org_id"), d);
    assert_null(json_object_get(u, "password"));
    assert_null(json_object_get(u, "password_hash"));
    json_decref(j);
    free(tok);
}

static void test_users_every_role(void **state)
{
    (void)state;
    static const char *roles[] = {"admin",        "command", "leader", "staff",
                                  "grid_officer", "handler", "member", "resident"};
    for (size_t i = 0; i < 8; i++) {
        char name[32];
        snprintf(name, sizeof name, "au_role_%zu", i);
        long st = 0;
        json_t *j =
            h_post("/api/v1/users", h_admin(),
                   json_pack("{s:s, s:s, s:s, s:I}", "username", name, "password", H_PASSWORD,
                             "role", roles[i], "scope_org_id", (json_int_t)h_root_id()),
                   &st);
        H_STATUS(st, 201);
        json_t *u = user_of(j);
        int64_t id = h_int(u, "id");
        assert_true(id > 0);
        assert_string_equal(h_str(u, "username"), name);
        assert_string_equal(h_str(u, "role"), roles[i]);
        assert_int_equal(h_int(u, "scope_org_id"), h_root_id());
        assert_null(json_object_get(u, "password"));
        assert_null(json_object_get(u, "password_hash"));
        json_decref(j);
        char *tok = h_login(name, H_PASSWORD);
        if (!tok)
            fail_msg("login as %s (%s) failed\n%s", name, roles[i], h_last());
        j = h_get("/api/v1/me", tok, &st);
        H_STATUS(st, 200);
        assert_string_equal(h_str(user_of(j), "role"), roles[i]);
        assert_int_equal(h_int(user_of(j), "id"), id);
        json_decref(j);
        free(tok);
    }
    /* the admin's list holds them */
    long st = 0;
    json_t *l = h_get("/api/v1/users?limit=500", h_admin(), &st);
    H_STATUS(st, 200);
    json_t *items = h_items(l);
    int found = 0;
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v)
    {
        json_t *n = json_object_get(v, "username");
        if (json_is_string(n) && strncmp(json_string_value(n), "au_role_", 8) == 0)
            found++;
        assert_null(json_object_get(v, "password_hash"));
    }
    assert_int_equal(found, 8);
    json_decref(l);
}

static void test_users_admin_only(void **state)
{
    (void)state;
    static const char *roles[] = {"command", "leader", "staff",   "grid_officer",
                                  "handler", "member", "resident"};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "au_na_%zu", i);
        char *tok = h_user_token(name, roles[i], h_root_id(), NULL);
        long st = 0;
        char victim[32];
        snprintf(victim, sizeof victim, "au_na_victim_%zu", i);
        json_t *j =
            h_post("/api/v1/users", tok,
                   json_pack("{s:s, s:s, s:s, s:I}", "username", victim, "password", H_PASSWORD,
                             "role", "admin", "scope_org_id", (json_int_t)h_root_id()),
                   &st);
        H_STATUS(st, 403);
        h_check_error(j, NULL);
        json_decref(j);
        /* nothing was created: the victim cannot log in */
        json_t *lj = login_raw(victim, H_PASSWORD, &st);
        H_STATUS(st, 401);
        json_decref(lj);
        j = h_get("/api/v1/users", tok, &st);
        H_STATUS(st, 403);
        h_check_error(j, NULL);
        json_decref(j);
        free(tok);
    }
}

static void test_users_weak_password(void **state)
{
    (void)state;
    static const char *weak[] = {"short1", "abcdefghijkl", "123456789012", "au_weakuser2026x"};
    for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
        long st = 0;
        json_t *j =
            h_post("/api/v1/users", h_admin(),
                   json_pack("{s:s, s:s, s:s, s:I}", "username", "au_weakuser", "password", weak[i],
                             "role", "staff", "scope_org_id", (json_int_t)h_root_id()),
                   &st);
        H_STATUS(st, 422);
        h_check_error(j, "password");
        json_decref(j);
    }
    /* none of them created the account */
    long st = 0;
    json_t *j = login_raw("au_weakuser", "short1", &st);
    H_STATUS(st, 401);
    json_decref(j);
}

static void test_users_duplicate(void **state)
{
    (void)state;
    h_user("au_dup", "staff", h_root_id());
    long st = 0;
    json_t *j =
        h_post("/api/v1/users", h_admin(),
               json_pack("{s:s, s:s, s:s, s:I}", "username", "au_dup", "password", "Other#2026pass",
                         "role", "resident", "scope_org_id", (json_int_t)h_root_id()),
               &st);
    H_STATUS(st, 409);
    h_check_error(j, NULL);
    json_decref(j);
    /* the first account's password still works, the second's does not */
    char *tok = h_login("au_dup", H_PASSWORD);
    assert_non_null(tok);
    j = h_get("/api/v1/me", tok, &st);
    H_STATUS(st, 200);
    assert_string_equal(h_str(user_of(j), "role"), "staff");
    json_decref(j);
    free(tok);
    j = login_raw("au_dup", "Other#2026pass", &st);
    H_STATUS(st, 401);
    json_decref(j);
}

static void test_users_bad_role(void **state)
{
    (void)state;
    static const char *bad[] = {"superuser", "", "Admin", "网格员"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long st = 0;
        json_t *j =
            h_post("/api/v1/users", h_admin(),
                   json_pack("{s:s, s:s, s:s, s:I}", "username", "au_badrole", "password",
                             H_PASSWORD, "role", bad[i], "scope_org_id", (json_int_t)h_root_id()),
                   &st);
        H_STATUS(st, 422);
        h_check_error(j, "role");
        json_decref(j);
    }
    long st = 0;
    json_t *j = login_raw("au_badrole", H_PASSWORD, &st);
    H_STATUS(st, 401);
    json_decref(j);
}

static void test_users_bad_scope_and_username(void **state)
{
    (void)state;
    long st = 0;
    json_t *j =
        h_post("/api/v1/users", h_admin(),
               json_pack("{s:s, s:s, s:s, s:I}", "username", "au_noscope", "password", H_PASSWORD,
                         "role", "staff", "scope_org_id", (json_int_t)987654321),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "scope_org_id");
    json_decref(j);
    j = h_post("/api/v1/users", h_admin(),
               json_pack("{s:s, s:s, s:s, s:I}", "username", "", "password", H_PASSWORD, "role",
                         "staff", "scope_org_id", (json_int_t)h_root_id()),
               &st);
    H_STATUS(st, 422);
    h_check_error(j, "username");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_ok),
        cmocka_unit_test(test_login_bad_password),
        cmocka_unit_test(test_login_unknown_user),
        cmocka_unit_test(test_login_missing_fields),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_lockout_counts_only_failures),
        cmocka_unit_test(test_token_required),
        cmocka_unit_test(test_logout),
        cmocka_unit_test(test_me),
        cmocka_unit_test(test_users_every_role),
        cmocka_unit_test(test_users_admin_only),
        cmocka_unit_test(test_users_weak_password),
        cmocka_unit_test(test_users_duplicate),
        cmocka_unit_test(test_users_bad_role),
        cmocka_unit_test(test_users_bad_scope_and_username),
    };
    return cmocka_run_group_tests(tests, h_start, h_stop);
}
