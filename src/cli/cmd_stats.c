/* cmd_stats.c - `gridgov stats rebuild --db DB`: recomputes the analysis counters from the
 * events in one transaction (app_stats_rebuild). Run it after restoring events from elsewhere
 * or to check a database: the counters kept incrementally must equal what it writes. */
#include "cli/cli.h"

#include "base/time.h"

#include <stdio.h>

int cmd_stats_rebuild(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db)
        return cli_usage_error(cmd, "--db is required");
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct gg_error err = {0};
    int64_t events = 0;
    uint64_t t0 = gg_time_mono_ns();
    rc = app_stats_rebuild(a, gg_time_now(), &events, &err);
    if (rc) {
        rc = cli_fail(cmd, &err, "stats");
    } else {
        fprintf(stderr, "rebuilt the counters of %lld events in %.2f s\n", (long long)events,
                (double)(gg_time_mono_ns() - t0) / 1e9);
        rc = CLI_OK;
    }
    app_close(a);
    return rc;
}
