/* cmd_init.c - `gridgov init` (schema, default catalog, the `admin` account) and
 * `gridgov user add` (one account, created by the system administrator). The rules themselves
 * (password policy, roles, scopes) are app_init's and app_user_create's; this file only reads
 * the command line and reports. */
#include "cli/cli.h"

#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_init(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *password = NULL;
    const struct cli_opt opts[] = {
        {"db", &db, NULL}, {"admin-password", &password, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db)
        return cli_usage_error(cmd, "--db is required");
    if (!password || !*password)
        password = getenv("GRIDGOV_ADMIN_PASSWORD");
    if (password && !*password)
        password = NULL;

    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    bool existed = cli_user_exists(a, "admin");
    char shown[1100];
    char generated[17] = "";
    if (!password) {
        cli_random_password(generated);
        password = generated;
    }
    struct gg_error err = {0};
    rc = app_init(a, password, gg_time_now(), &err);
    if (rc) {
        rc = cli_fail(cmd, &err, NULL);
        goto out;
    }
    if (existed) {
        printf("%s is initialised; the admin account already exists and keeps its password\n",
               cli_db_shown(db, shown, sizeof shown));
    } else if (generated[0]) {
        printf("initialised %s\n", cli_db_shown(db, shown, sizeof shown));
        printf("admin password (shown once, change it after the first login): %s\n", generated);
    } else {
        printf("initialised %s; account `admin` created\n", cli_db_shown(db, shown, sizeof shown));
    }
    rc = CLI_OK;
out:
    app_close(a);
    return rc;
}

/* Finds an org node by its code on this thread's read connection. */
static int org_by_code(struct app *a, const char *code, struct org *out)
{
    struct store *s = app_read_store(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    return s->ops->org_get_by_code(s, code, out);
}

int cmd_user_add(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *username = NULL, *role_s = NULL, *scope = NULL, *password = NULL;
    const char *display = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL},
                                   {"username", &username, NULL},
                                   {"role", &role_s, NULL},
                                   {"scope", &scope, NULL},
                                   {"password", &password, NULL},
                                   {"display-name", &display, NULL},
                                   {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db || !username || !role_s || !scope)
        return cli_usage_error(cmd, "--db, --username, --role and --scope are required");
    int role = role_from_id(role_s);
    if (role < 0)
        return cli_usage_error(cmd, "unknown role '%s'", role_s);

    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct org o;
    if (org_by_code(a, scope, &o)) {
        struct gg_error e = {0};
        gg_error_set(&e, GG_ENOTFOUND, "scope", "no org node with code '%s'", scope);
        rc = cli_fail(cmd, &e, NULL);
        goto out;
    }
    char generated[17] = "";
    if (!password || !*password) {
        cli_random_password(generated);
        password = generated;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    struct user_input in = {.username = username,
                            .password = password,
                            .role = (enum role)role,
                            .scope_org_id = o.id,
                            .display_name = display};
    struct user u;
    struct gg_error err = {0};
    rc = app_user_create(a, &sys, &in, gg_time_now(), &u, &err);
    if (rc) {
        rc = cli_fail(cmd, &err, username);
        goto out;
    }
    printf("created user %s (id %lld, role %s, scope %s %s)\n", u.username, (long long)u.id,
           role_id(u.role), o.code, o.name);
    if (generated[0])
        printf("password (shown once): %s\n", generated);
    rc = CLI_OK;
out:
    app_close(a);
    return rc;
}
