/* common.c - the pieces every subcommand uses: option parsing, one-line error reports, opening
 * the application, random passwords and the deterministic generator of demo and gen.
 * No subcommand logic lives here. */
#include "cli/cli.h"

#include "core/password.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_cmd_title(const struct cli_cmd *cmd, char *buf, size_t sz)
{
    snprintf(buf, sz, "gridgov %s%s%s", cmd->name, cmd->sub ? " " : "", cmd->sub ? cmd->sub : "");
    return buf;
}

int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
{
    char title[64];
    fprintf(stderr, "%s: ", cli_cmd_title(cmd, title, sizeof title));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", cmd->usage);
    return CLI_USAGE;
}

int cli_fail(const struct cli_cmd *cmd, const struct gg_error *err, const char *what)
{
    char title[64];
    cli_cmd_title(cmd, title, sizeof title);
    const char *msg = err && err->message[0] ? err->message : "failed";
    if (err && err->field[0])
        fprintf(stderr, "%s: %s%s%s: %s\n", title, what ? what : "", what ? ": " : "",
                err->field, msg);
    else
        fprintf(stderr, "%s: %s%s%s\n", title, what ? what : "", what ? ": " : "", msg);
    return CLI_FAIL;
}

static const struct cli_opt *find_opt(const struct cli_opt *opts, const char *name, size_t len)
{
    for (const struct cli_opt *o = opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const struct cli_opt *opts,
              const char **pos, int max_pos, int *n_pos)
{
    int np = 0;
    bool only_pos = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_pos && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            printf("usage: %s\n", cmd->usage);
            return -1;
        }
        if (!only_pos && strcmp(arg, "--") == 0) {
            only_pos = true;
            continue;
        }
        if (only_pos || arg[0] != '-' || arg[1] == '\0') {
            if (np >= max_pos)
                return cli_usage_error(cmd, "unexpected argument '%s'", arg);
            pos[np++] = arg;
            continue;
        }
        if (arg[1] != '-')
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct cli_opt *o = find_opt(opts, name, len);
        if (!o)
            return cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
        if (o->flag) {
            if (eq)
                return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
            *o->flag = true;
            continue;
        }
        if (eq) {
            *o->value = eq + 1;
        } else {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "option '--%s' needs a value", o->name);
            *o->value = argv[++i];
        }
    }
    if (n_pos)
        *n_pos = np;
    return 0;
}

bool cli_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s)
        return false;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int cli_open(const struct cli_cmd *cmd, const char *db, bool sweep, struct app **out)
{
    struct app_config cfg = {.db = db, .sweep = sweep};
    struct gg_error err = {0};
    int rc = app_open(&cfg, out, &err);
    /* a postgres:// URL may hold a password: the message names host, port and database */
    if (rc)
        return cli_fail(cmd, &err, strncmp(db, "postgres", 8) == 0 ? NULL : db);
    return 0;
}

const char *cli_db_shown(const char *db, char *buf, size_t sz)
{
    /* postgres://user:secret@host/… → postgres://user:***@host/… */
    const char *scheme = strstr(db, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (strncmp(db, "postgres", 8) != 0 || !at || !colon || colon > at)
        return db;
    snprintf(buf, sz, "%.*s:***%s", (int)(colon - db), db, at);
    return buf;
}

void cli_random_password(char out[17])
{
    static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    if (sodium_init() < 0)
        abort(); /* libsodium cannot start: nothing else of the program would work either */
    for (;;) {
        for (int i = 0; i < 16; i++)
            out[i] = alnum[randombytes_uniform(sizeof alnum - 1)];
        out[16] = '\0';
        char msg[200];
        if (password_check(out, "admin", msg, sizeof msg) == 0)
            return;
    }
}

bool cli_user_exists(struct app *a, const char *username)
{
    struct actor sys;
    app_system_actor(a, &sys);
    int64_t after = 0;
    for (;;) {
        struct user *items = NULL;
        size_t n = 0;
        if (app_user_list(a, &sys, after, 500, &items, &n, NULL) || n == 0) {
            free(items);
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(items[i].username, username) == 0) {
                free(items);
                return true;
            }
        }
        after = items[n - 1].id;
        free(items);
        if (n < 500)
            return false;
    }
}

/* ---- the generator: splitmix64, good enough for synthetic data and fully deterministic ---- */

void cli_rng_seed(struct cli_rng *r, uint64_t seed)
{
    r->s = seed ^ 0x9e3779b97f4a7c15ull;
}

uint64_t cli_rng_next(struct cli_rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t cli_rng_below(struct cli_rng *r, uint32_t n)
{
    return (uint32_t)((cli_rng_next(r) >> 32) * (uint64_t)n >> 32);
}

double cli_rng_unit(struct cli_rng *r)
{
    return (double)(cli_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
