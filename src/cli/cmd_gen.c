/* cmd_gen.c - `gridgov gen`: synthetic data for benchmarks. --grids N adds a synthetic district
 * of N grids (demo.c's lattice); --events N reports N events at random points of the existing
 * grids through app_event_report, 5,000 per app_batch transaction, with a progress line on
 * stderr. It does not drive events further than intake: that is the demo's job. */
#include "cli/cli.h"

#include "base/buf.h"
#include "base/time.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 500
#define SPREAD_DAYS 30

struct gpoint {
    double lat, lon;            /* the mean of the boundary's vertices */
    double vlat[8], vlon[8];    /* up to 8 vertices, to aim points inside */
    int n_v;
};

struct gen_ctx {
    struct actor who;
    struct gpoint *grids;
    size_t n_grids;
    struct category *cats;
    size_t n_cats;
    struct cli_rng r;
    int64_t now;
    long long total, done, failed;
    char last_error[256];
};

static const char *const texts[] = {
    "巡查发现%s，已拍照取证，请尽快处置", "居民来电反映%s，请核实处理",
    "走访中群众反映%s问题", "物联感知设备报警：%s", "窗口接到群众反映%s"};

static int load_grid(struct app *a, const struct actor *who, const struct org *o,
                     struct gpoint *out)
{
    char *text = NULL;
    if (app_org_boundary(a, who, o->id, &text, NULL) || !text)
        return -1;
    json_error_t je;
    json_t *g = json_loads(text, 0, &je);
    free(text);
    if (!g)
        return -1;
    const char *type = json_string_value(json_object_get(g, "type"));
    json_t *coords = json_object_get(g, "coordinates");
    json_t *ring = NULL;
    if (type && strcmp(type, "Polygon") == 0)
        ring = json_array_get(coords, 0);
    else if (type && strcmp(type, "MultiPolygon") == 0)
        ring = json_array_get(json_array_get(coords, 0), 0);
    size_t n = json_array_size(ring);
    int rc = -1;
    if (n >= 4) {
        memset(out, 0, sizeof *out);
        size_t step = (n - 1 + 7) / 8; /* sample at most 8 vertices */
        for (size_t i = 0; i + 1 < n && out->n_v < 8; i += step) {
            json_t *p = json_array_get(ring, i);
            out->vlon[out->n_v] = json_number_value(json_array_get(p, 0));
            out->vlat[out->n_v] = json_number_value(json_array_get(p, 1));
            out->lon += out->vlon[out->n_v];
            out->lat += out->vlat[out->n_v];
            out->n_v++;
        }
        out->lon /= out->n_v;
        out->lat /= out->n_v;
        rc = 0;
    }
    json_decref(g);
    return rc;
}

static int gen_chunk(struct app *a, void *ctx)
{
    struct gen_ctx *c = ctx;
    long long end = c->done + CHUNK;
    if (end > c->total)
        end = c->total;
    for (; c->done < end; c->done++) {
        const struct gpoint *gp = &c->grids[cli_rng_below(&c->r, (uint32_t)c->n_grids)];
        /* towards a vertex, at most 60 % of the way: inside any cell that is star-shaped
         * around the mean of its vertices, as lattice cells are */
        int v = (int)cli_rng_below(&c->r, (uint32_t)gp->n_v);
        double t = 0.6 * cli_rng_unit(&c->r);
        double lat = gp->lat + t * (gp->vlat[v] - gp->lat);
        double lon = gp->lon + t * (gp->vlon[v] - gp->lon);
        const struct category *cat = &c->cats[cli_rng_below(&c->r, (uint32_t)c->n_cats)];
        uint32_t sx = cli_rng_below(&c->r, 100);
        enum event_source src = sx < 50   ? SOURCE_PATROL
                                : sx < 75 ? SOURCE_HOTLINE
                                : sx < 85 ? SOURCE_VISIT
                                : sx < 95 ? SOURCE_SENSOR
                                          : SOURCE_WALKIN;
        char desc[512], device[32];
        snprintf(desc, sizeof desc, texts[src == SOURCE_PATROL    ? 0
                                         : src == SOURCE_HOTLINE ? 1
                                         : src == SOURCE_VISIT   ? 2
                                         : src == SOURCE_SENSOR  ? 3
                                                                 : 4],
                 cat->name);
        snprintf(device, sizeof device, "IOT-GEN-%06u", cli_rng_below(&c->r, 100000));
        struct event_input in = {.category_code = cat->code,
                                 .description = desc,
                                 .lat = lat,
                                 .lon = lon,
                                 .source = src,
                                 .device_id = src == SOURCE_SENSOR ? device : NULL};
        int64_t at = c->now - (int64_t)(cli_rng_unit(&c->r) * SPREAD_DAYS * 86400.0);
        struct event_view view;
        memset(&view, 0, sizeof view);
        struct gg_error e = {0};
        if (app_event_report(a, &c->who, &in, at, &view, &e)) {
            c->failed++;
            snprintf(c->last_error, sizeof c->last_error, "%s", e.message);
        }
        app_event_view_release(&view);
    }
    return 0;
}

static void progress(long long done, long long total, uint64_t t0, bool final)
{
    double secs = (double)(gg_time_mono_ns() - t0) / 1e9;
    double rate = secs > 0 ? (double)done / secs : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\rgridgov gen: %lld/%lld events  %.0f/s  %s %.0fs   ", done, total, rate,
            final ? "took" : "ETA", final ? secs : eta);
    if (final)
        fprintf(stderr, "\n");
    fflush(stderr);
}

int cmd_gen(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *events_s = NULL, *grids_s = NULL, *residents_s = NULL;
    const char *seed_s = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL},
                                   {"events", &events_s, NULL},
                                   {"grids", &grids_s, NULL},
                                   {"residents", &residents_s, NULL},
                                   {"seed", &seed_s, NULL},
                                   {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    long long n_events = 0, n_grids = 0, n_residents = 0, seed = 1;
    if (!db)
        return cli_usage_error(cmd, "--db is required");
    if (events_s && !cli_parse_int(events_s, 0, 1000000000LL, &n_events))
        return cli_usage_error(cmd, "--events must be a number from 0 to 1000000000");
    if (grids_s && !cli_parse_int(grids_s, 0, 100000, &n_grids))
        return cli_usage_error(cmd, "--grids must be a number from 0 to 100000");
    if (residents_s && !cli_parse_int(residents_s, 0, 100000000LL, &n_residents))
        return cli_usage_error(cmd, "--residents must be a non-negative number");
    if (seed_s && !cli_parse_int(seed_s, 0, INT64_MAX, &seed))
        return cli_usage_error(cmd, "--seed must be a non-negative integer");
    if (!events_s && !grids_s && !residents_s)
        return cli_usage_error(cmd, "nothing to generate: give --events, --grids or --residents");
    if (n_residents > 0) {
        fprintf(stderr, "gridgov gen: --residents: the population registry (people) is not "
                        "available in this build\n");
        return CLI_FAIL;
    }

    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct gen_ctx c = {0};
    struct org *orgs = NULL;
    struct gg_error err = {0};
    int64_t now = gg_time_now();
    app_system_actor(a, &c.who);
    if (c.who.scope_org_id == 0) {
        char shown[1100];
        fprintf(stderr, "gridgov gen: %s is not initialised (run gridgov init first)\n",
                cli_db_shown(db, shown, sizeof shown));
        rc = CLI_FAIL;
        goto out;
    }
    if (n_grids > 0) {
        uint64_t t0 = gg_time_mono_ns();
        int created = 0;
        rc = demo_build_grids(a, (int)n_grids, (uint64_t)seed, now, &created, &err);
        if (rc) {
            rc = cli_fail(cmd, &err, "grids");
            goto out;
        }
        fprintf(stderr, "gridgov gen: %d grids in %.1f s\n", created,
                (double)(gg_time_mono_ns() - t0) / 1e9);
    }
    if (n_events == 0) {
        rc = CLI_OK;
        goto out;
    }
    /* the admin account reports, so that every event has a real reporter */
    struct user *users = NULL;
    size_t nu = 0;
    if (app_user_list(a, &c.who, 0, 500, &users, &nu, NULL) == 0) {
        for (size_t i = 0; i < nu; i++) {
            if (strcmp(users[i].username, "admin") == 0) {
                c.who.user_id = users[i].id;
                gg_strlcpy(c.who.username, users[i].username, sizeof c.who.username);
                break;
            }
        }
    }
    free(users);

    /* the grids and a few vertices of each */
    int64_t after = 0;
    for (;;) {
        struct org_filter f = {.kind = ORG_GRID, .after_id = after, .limit = 500};
        size_t n = 0;
        free(orgs);
        orgs = NULL;
        if (app_org_list(a, &c.who, &f, &orgs, &n, &err)) {
            rc = cli_fail(cmd, &err, "grids");
            goto out;
        }
        if (n == 0)
            break;
        struct gpoint *ng = realloc(c.grids, (c.n_grids + n) * sizeof *ng);
        if (!ng) {
            fprintf(stderr, "gridgov gen: out of memory\n");
            rc = CLI_FAIL;
            goto out;
        }
        c.grids = ng;
        for (size_t i = 0; i < n; i++)
            if (orgs[i].has_boundary && load_grid(a, &c.who, &orgs[i], &c.grids[c.n_grids]) == 0)
                c.n_grids++;
        after = orgs[n - 1].id;
        if (n < 500)
            break;
    }
    if (c.n_grids == 0) {
        fprintf(stderr, "gridgov gen: %s has no grids with boundaries: import orgs, run demo, or "
                        "add --grids N\n",
                db);
        rc = CLI_FAIL;
        goto out;
    }
    struct category *all = NULL;
    size_t n_all = 0;
    if (app_category_list(a, &all, &n_all, &err)) {
        rc = cli_fail(cmd, &err, "catalog");
        goto out;
    }
    c.cats = calloc(n_all ? n_all : 1, sizeof *c.cats);
    for (size_t i = 0; c.cats && i < n_all; i++)
        if (strlen(all[i].code) == 4 && all[i].kind == CAT_KIND_EVENT &&
            all[i].list != CAT_LIST_EXCLUDED)
            c.cats[c.n_cats++] = all[i];
    free(all);
    if (c.n_cats == 0) {
        fprintf(stderr, "gridgov gen: the catalog has no event categories\n");
        rc = CLI_FAIL;
        goto out;
    }

    cli_rng_seed(&c.r, (uint64_t)seed);
    c.now = now;
    c.total = n_events;
    uint64_t t0 = gg_time_mono_ns();
    while (c.done < c.total) {
        rc = app_batch(a, gen_chunk, &c, &err);
        if (rc) {
            fprintf(stderr, "\n");
            rc = cli_fail(cmd, &err, "events");
            goto out;
        }
        progress(c.done, c.total, t0, false);
        if (c.failed == c.done) {
            fprintf(stderr, "\ngridgov gen: every event was refused: %s\n", c.last_error);
            rc = CLI_FAIL;
            goto out;
        }
    }
    progress(c.done, c.total, t0, true);
    printf("generated %lld events into %zu grids", c.done - c.failed, c.n_grids);
    if (c.failed)
        printf(" (%lld refused; last: %s)", c.failed, c.last_error);
    printf("\n");
    /* the events were reported at past moments: bring their colours to today */
    long long recoloured = 0;
    if (app_stats_settle(a, gg_time_now(), &recoloured, &err)) {
        rc = cli_fail(cmd, &err, "events");
        goto out;
    }
    if (recoloured)
        printf("colours brought to today: %lld events\n", recoloured);
    rc = c.failed ? CLI_FAIL : CLI_OK;
out:
    free(orgs);
    free(c.grids);
    free(c.cats);
    app_close(a);
    return rc;
}
