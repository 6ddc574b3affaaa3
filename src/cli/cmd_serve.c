/* cmd_serve.c - `gridgov serve` and `gridgov demo`: open the application with the overdue sweep
 * on, start the HTTP server, wait for SIGINT or SIGTERM and stop both cleanly. demo first builds
 * the demo city (demo.c) when the database does not have it. The HTTP handling itself is
 * http/'s. */
#include "cli/cli.h"

#include "base/time.h"
#include "http/server.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_DEMO_DB "demo/gridgov.db"
#define DEFAULT_WEB_DIR "web/dist"
#define DEMO_ADMIN_PASSWORD "Guanli#2024cc"

void cli_block_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int cli_serve_until_signal(const struct cli_cmd *cmd, struct app *a, const char *listen,
                           int threads, const char *web_dir)
{
    struct http_config hc = {.listen = listen, .threads = threads, .web_dir = web_dir};
    struct http_server *srv = NULL;
    struct gg_error err = {0};
    int rc = http_server_start(a, &hc, &srv, &err);
    if (rc)
        return cli_fail(cmd, &err, listen);
    /* The host part of --listen, with the port actually bound (port 0 picks one). */
    char host[256] = "127.0.0.1";
    const char *colon = strrchr(listen, ':');
    if (colon && colon > listen && (size_t)(colon - listen) < sizeof host) {
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
    }
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0 || strcmp(host, "[::]") == 0)
        strcpy(host, "127.0.0.1");
    char shown[1100];
    printf("gridgov %s listening on http://%s:%u/ (database %s%s%s)\n", GG_VERSION, host,
           (unsigned)http_server_port(srv), cli_db_shown(app_db_url(a), shown, sizeof shown),
           web_dir ? ", console " : "", web_dir ? web_dir : "");
    printf("press Ctrl-C to stop\n");
    fflush(stdout);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "gridgov: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_server_stop(srv);
    return CLI_OK;
}

static bool parse_threads(const char *s, int *out)
{
    long long v = 0;
    if (!s)
        return true;
    if (!cli_parse_int(s, 1, 1024, &v))
        return false;
    *out = (int)v;
    return true;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_serve(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *listen = DEFAULT_LISTEN, *threads_s = NULL, *web = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL},
                                   {"listen", &listen, NULL},
                                   {"threads", &threads_s, NULL},
                                   {"web", &web, NULL},
                                   {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db)
        return cli_usage_error(cmd, "--db is required");
    int threads = 0; /* the server default */
    if (!parse_threads(threads_s, &threads))
        return cli_usage_error(cmd, "--threads must be a number from 1 to 1024");
    if (web && !is_dir(web)) {
        fprintf(stderr, "gridgov serve: --web %s: not a directory\n", web);
        return CLI_FAIL;
    }
    cli_block_signals();
    struct app *a = NULL;
    rc = cli_open(cmd, db, true, &a);
    if (rc)
        return rc;
    rc = cli_serve_until_signal(cmd, a, listen, threads, web);
    app_close(a);
    return rc;
}

static int make_parent_dir(const char *path)
{
    char dir[1024];
    if (strlen(path) >= sizeof dir)
        return -1;
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    }
    mkdir(dir, 0755);
    return 0;
}

int cmd_demo(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = DEFAULT_DEMO_DB, *listen = DEFAULT_LISTEN, *threads_s = NULL, *web = NULL;
    const char *seed_s = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL},         {"listen", &listen, NULL},
                                   {"threads", &threads_s, NULL}, {"web", &web, NULL},
                                   {"seed", &seed_s, NULL},   {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    int threads = 0; /* the server default */
    if (!parse_threads(threads_s, &threads))
        return cli_usage_error(cmd, "--threads must be a number from 1 to 1024");
    long long seed = 2024;
    if (seed_s && !cli_parse_int(seed_s, 0, INT64_MAX, &seed))
        return cli_usage_error(cmd, "--seed must be a non-negative integer");
    if (web && !is_dir(web)) {
        fprintf(stderr, "gridgov demo: --web %s: not a directory\n", web);
        return CLI_FAIL;
    }
    if (!web && is_dir(DEFAULT_WEB_DIR))
        web = DEFAULT_WEB_DIR;
    if (strncmp(db, "postgres", 8) != 0)
        make_parent_dir(db);

    cli_block_signals();
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    const char *admin_pw = getenv("GRIDGOV_ADMIN_PASSWORD");
    if (!admin_pw || !*admin_pw)
        admin_pw = DEMO_ADMIN_PASSWORD;
    bool admin_existed = cli_user_exists(a, "admin");
    struct gg_error err = {0};
    rc = app_init(a, admin_pw, gg_time_now(), &err);
    if (rc) {
        rc = cli_fail(cmd, &err, NULL);
        goto out;
    }
    if (!demo_present(a)) {
        fprintf(stderr, "gridgov demo: building the demo city into %s (seed %lld) …\n", db,
                seed);
        struct demo_report rep;
        rc = demo_build(a, (uint64_t)seed, gg_time_now(), &rep, &err);
        if (rc) {
            rc = cli_fail(cmd, &err, "demo city");
            goto out;
        }
        fprintf(stderr,
                "gridgov demo: %lld org nodes (%lld streets, %lld communities, %lld grids, "
                "%lld departments, %lld households), %lld accounts, %lld events in %.1f s "
                "(orgs %.1f s, accounts %.1f s, events %.1f s)\n",
                (long long)rep.n_orgs, (long long)rep.n_streets, (long long)rep.n_communities,
                (long long)rep.n_grids, (long long)rep.n_departments, (long long)rep.households,
                (long long)rep.n_users, (long long)rep.n_events,
                rep.secs_orgs + rep.secs_users + rep.secs_events + rep.secs_civic, rep.secs_orgs,
                rep.secs_users, rep.secs_events);
        fprintf(stderr,
                "gridgov demo: %lld topics, %lld disclosures, %lld party orgs, %lld party members, "
                "%lld report-ins, %lld cover links, %lld meetings, %lld key tasks in %.1f s\n",
                (long long)rep.n_topics, (long long)rep.n_disclosures, (long long)rep.n_party_orgs,
                (long long)rep.n_party_members, (long long)rep.n_report_ins,
                (long long)rep.n_covers, (long long)rep.n_meetings, (long long)rep.n_tasks,
                rep.secs_civic);
        fprintf(stderr, "gridgov demo: events by status:");
        for (int s = 0; s < EVENT_STATUS__COUNT; s++)
            fprintf(stderr, " %s %lld", event_status_id((enum event_status)s),
                    (long long)rep.by_status[s]);
        fprintf(stderr, "\n");
    }
    app_close(a);
    a = NULL;

    demo_print_accounts(admin_existed ? NULL : admin_pw);
    rc = cli_open(cmd, db, true, &a);
    if (rc)
        return rc;
    rc = cli_serve_until_signal(cmd, a, listen, threads, web);
out:
    app_close(a);
    return rc;
}
