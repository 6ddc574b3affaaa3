/* app.h - the use cases: the only layer that calls both core/ and store/.
 *
 * Every write use case runs as one transaction (through the group-commit writer, so concurrent
 * requests share one fsync), writes its audit entry in that transaction, and either commits
 * all of it or nothing. Reads run on a per-thread read connection.
 *
 * Every use case takes the acting user (`struct actor`, from app_auth) and enforces role and
 * scope: -GG_EFORBIDDEN for actions outside them, -GG_ENOTFOUND for single reads outside them,
 * lists filtered in SQL. Time comes in as `now` (seconds, UTC) so tests and demo data can
 * choose it. Errors fill `err` with a field and a Chinese message. */
#ifndef GG_APP_APP_H
#define GG_APP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/error.h"
#include "core/calendar.h"
#include "core/indicators.h"
#include "core/model.h"
#include "core/party.h"
#include "core/task.h"
#include "store/store.h"

struct app;

struct app_config {
    const char *db;           /* file path or postgres:// URL */
    const char *data_dir;     /* attachments live here; default: "<db>.files" beside the db */
    int read_conns;           /* read connections in the pool (default 8) */
    int token_ttl_secs;       /* default 12 h */
    int dup_radius_m;         /* duplicates: same category within this distance (default 50) */
    int dup_window_hours;     /* … and this many hours (default 72) */
    int whistle_hours;        /* departments must report in within (default 2) */
    bool sweep;               /* run the overdue sweep in the background (serve) */
    int sweep_interval_secs;  /* default 60 */
    /* issue 6: the personal-data master key (64 hex digits); default: env GRIDGOV_KEY_FILE,
     * else "<db>.key" beside the database. Created by app_init with mode 0600. */
    const char *key_file;
};

struct actor {
    int64_t user_id;
    char username[GG_MAX_USERNAME + 1];
    enum role role;
    int64_t scope_org_id;
    char scope_path[GG_PATH_SZ];
    char display_name[GG_NAME_SZ];
    int64_t person_id; /* issue 6: the account's own person record, 0 when none */
};

/* Opens the database (creating the schema if missing), loads the catalog cache, the grid index
 * and the work calendar, starts the group-commit writer. */
int app_open(const struct app_config *cfg, struct app **out, struct gg_error *err);
void app_close(struct app *a); /* NULL-safe; stops the writer and the sweep */

/* init: schema, default catalog (data/catalog.tsv), the root org "city" if missing, and the
 * `admin` account with the given password (policy-checked). Idempotent except the password. */
int app_init(struct app *a, const char *admin_password, int64_t now, struct gg_error *err);
/* Loads categories from TSV text (the format of data/catalog.tsv); all or nothing. */
int app_catalog_import_tsv(struct app *a, const struct actor *who, const char *tsv,
                           int *created, int *updated, struct gg_error *err);
/* Runs fn with every write use case it calls inside one transaction on the calling thread
 * (each use case still in its own savepoint, so a failed one undoes only itself). For bulk
 * loads (demo, gen): without it every use case commits, and waits for, its own group commit.
 * fn's non-zero return rolls the whole batch back. */
int app_batch(struct app *a, int (*fn)(struct app *a, void *ctx), void *ctx, struct gg_error *err);
const char *app_db_url(const struct app *a);

/* issue 3: copies every table of the database at from_db into the empty database at to_db
 * (any backends; the destination's schema is created), then reads the destination back and
 * compares each table's row count and SHA-256 with the source's (report->mismatches).
 * progress (may be NULL) is called every 5,000 rows (sha NULL) and at each table's end. The
 * source must be at this build's schema version and should not be written meanwhile. */
struct app_copy_table {
    const char *name;
    int64_t rows, rows_to;
    char sha_from[65], sha_to[65];
};
struct app_copy_report {
    struct app_copy_table tables[64]; /* one per store_tables entry */
    size_t n_tables;
    int mismatches;
};
int app_copy(const char *from_db, const char *to_db,
             void (*progress)(void *ctx, const char *table, int64_t rows, const char *sha),
             void *pctx, struct app_copy_report *report, struct gg_error *err);
/* Applies the pending schema migrations of the database at db (store.h migrate); *from and *to
 * get the versions before and after. Needs no running app: app_open refuses an older schema. */
int app_migrate(const char *db, int *from, int *to, struct gg_error *err);
/* 0 when this thread's database connection answers a query (for /healthz) */
int app_ping(struct app *a);

/* What the group-commit writer has done since start (for /metrics): transactions committed,
 * jobs run in them (jobs / commits = the mean group size), time spent in COMMIT. */
struct app_write_stats {
    int64_t commits;
    int64_t jobs;
    int64_t commit_ns;
    int64_t syncs;   /* log syncs of the syncer, each covering one or more commits */
    int64_t sync_ns;
    int64_t deferred_jobs; /* writes committed with their log sync left to the syncer */
    int64_t synced_jobs;   /* of those, the ones the syncer has made durable and answered */
};
void app_write_stats(struct app *a, struct app_write_stats *out);
struct store *app_read_store(struct app *a); /* this thread's read connection */
/* Brackets one request: the reads this thread makes in between share one snapshot of the
 * database (one read transaction on SQLite, opened at the first read). A write (app_write)
 * closes it first, so that what the request reads after its own write includes the write. */
void app_read_snapshot_begin(struct app *a);
void app_read_snapshot_end(struct app *a);
const struct work_calendar *app_calendar(const struct app *a);
/* The system actor (admin role, root scope) for CLI and demo use. */
void app_system_actor(struct app *a, struct actor *out);

/* ---- auth ---- */
struct login_result {
    char token[65]; /* hex, shown once */
    int64_t expires_at;
    struct user user;
};
/* -GG_EUNAUTHORIZED on a bad name or password; -GG_ERATELIMIT after 5 failures in 15 min */
int app_login(struct app *a, const char *username, const char *password, int64_t now,
              struct login_result *out, struct gg_error *err);
/* -GG_EUNAUTHORIZED when the token is unknown or expired */
int app_auth(struct app *a, const char *token, int64_t now, struct actor *out,
             struct gg_error *err);
int app_logout(struct app *a, const char *token, struct gg_error *err);

/* ---- users (admin only) ---- */
struct user_input {
    const char *username;
    const char *password;
    enum role role;
    int64_t scope_org_id;
    int64_t person_id;
    const char *display_name; /* may be NULL */
};
int app_user_create(struct app *a, const struct actor *who, const struct user_input *in,
                    int64_t now, struct user *out, struct gg_error *err);
int app_user_list(struct app *a, const struct actor *who, int64_t after_id, int limit,
                  struct user **items, size_t *n, struct gg_error *err);

/* ---- orgs ---- */
struct org_input {
    int64_t parent_id;
    enum org_kind kind;
    const char *code;
    const char *name;
    const json_t *boundary; /* GeoJSON Polygon/MultiPolygon geometry or NULL */
    int households;         /* -1 = unset */
    const char *department_kind; /* may be NULL */
};
/* Refuses invalid parent/child kinds (422 field "kind"), duplicate code (409), boundary on a
 * non-grid or invalid geometry (422 field "boundary"); admin only; updates the grid index. */
int app_org_create(struct app *a, const struct actor *who, const struct org_input *in,
                   int64_t now, struct org *out, struct gg_error *err);
/* PATCH: only the non-NULL / non-negative fields of `in` change (parent and kind never do). */
int app_org_update(struct app *a, const struct actor *who, int64_t id, const struct org_input *in,
                   int64_t now, struct org *out, struct gg_error *err);
/* Reads within the actor's scope, or an ancestor of it (for the path); else -GG_ENOTFOUND.
 * *path (heap, caller frees) gets the ancestors root first, the node itself excluded. */
int app_org_get(struct app *a, const struct actor *who, int64_t id, struct org *out,
                struct org **path, size_t *n_path, struct gg_error *err);
int app_org_boundary(struct app *a, const struct actor *who, int64_t id, char **geojson,
                     struct gg_error *err);
/* Every grid with a boundary within the actor's scope (and within parent_id's subtree when it is
 * not 0) as one GeoJSON FeatureCollection text (heap, *len bytes): the map's single request. */
int app_org_boundaries(struct app *a, const struct actor *who, int64_t parent_id, char **out,
                       size_t *len, struct gg_error *err);
int app_org_list(struct app *a, const struct actor *who, const struct org_filter *f,
                 struct org **items, size_t *n, struct gg_error *err);
struct import_error {
    int index;
    char message[256];
};
/* GeoJSON FeatureCollection; properties code, name, kind, parent_code, households. Existing
 * codes are updated, new ones created (parents may come earlier in the same file). All or
 * nothing: on any error nothing is written and errors lists every bad feature. */
int app_org_import(struct app *a, const struct actor *who, const json_t *collection, int64_t now,
                   int *created, int *updated, struct import_error **errors, size_t *n_errors,
                   struct gg_error *err);
/* The deepest grid containing the point; -GG_ENOTFOUND when none. path as in app_org_get. */
int app_locate(struct app *a, double lat, double lon, struct org *grid, struct org **path,
               size_t *n_path, struct gg_error *err);

/* ---- catalog ---- */
int app_category_list(struct app *a, struct category **items, size_t *n, struct gg_error *err);
int app_category_get(struct app *a, const char *code, struct category *out);
/* admin only; creates or replaces by code; validates every field */
int app_category_put(struct app *a, const struct actor *who, const struct category *c,
                     int64_t now, bool *created, struct gg_error *err);

/* ---- events ---- */
struct event_input {
    const char *category_code;
    const char *description;
    double lat, lon;
    const char *address;   /* may be NULL */
    enum event_source source;
    const char *device_id; /* sensors; may be NULL */
    const int64_t *attachment_ids;
    size_t n_attachments;
};
struct event_view {
    struct event ev;
    char category_name[GG_NAME_SZ];
    char grid_name[GG_NAME_SZ];
    char assignee_name[GG_NAME_SZ];
    struct timeline_entry *timeline; /* heap, may be NULL */
    size_t n_timeline;
    char (*timeline_actor_names)[GG_NAME_SZ]; /* heap, parallel to timeline; "" = the system */
    char (*timeline_org_names)[GG_NAME_SZ];   /* heap, parallel to timeline */
    int64_t *attachment_ids; /* heap */
    size_t n_attachments;
    struct whistle *whistles; /* heap */
    size_t n_whistles;
    int64_t *duplicate_ids; /* open events this one may duplicate (offered for merging) */
    size_t n_duplicates;
    bool rated;
};
void app_event_view_release(struct event_view *v);
/* The name of an org node, from a cache reloaded after org changes; "" when unknown. */
void app_org_name(struct app *a, int64_t id, char *out, size_t sz);

/* Intake: validates, locates, routes (auto-dispatch), sets deadlines, finds duplicates, writes
 * the event, its timeline and audit in one transaction. Excluded matters: -GG_EINVAL with the
 * guidance as message and field "category_code". Sources: residents may only use app; sensor
 * needs device_id. */
int app_event_report(struct app *a, const struct actor *who, const struct event_input *in,
                     int64_t now, struct event_view *out, struct gg_error *err);
int app_event_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                  struct event_view *out, struct gg_error *err);
/* f->now is set by the caller; scope applied in SQL; *next_cursor 0 when no more */
int app_event_list(struct app *a, const struct actor *who, struct event_filter *f,
                   struct event **items, size_t *n, int64_t *next_cursor, struct gg_error *err);

struct action_input {
    enum event_action action;
    const char *note;        /* may be NULL */
    int64_t org_id;          /* dispatch target (0 = auto-route) */
    const int64_t *departments; /* whistle */
    size_t n_departments;
    enum rating rating;      /* rate */
    int extend_hours;        /* extend (default: the category's handle hours) */
    int64_t merge_into;      /* merge */
    int64_t expected_version; /* 0 = don't check; else 409 when the event changed */
};
/* 403 when the role may never take the action or the event is outside what the actor may act
 * on; 404 when the actor cannot see the event; 409 when the state does not allow it or another
 * action won a race (version check). out may be NULL when no view is wanted. */
int app_event_act(struct app *a, const struct actor *who, int64_t id, const struct action_input *in,
                  int64_t now, struct event_view *out, struct gg_error *err);
/* The overdue sweep: escalates each red event one level up (AUTO_ESCALATE in the timeline).
 * Returns how many were escalated. */
int app_sweep(struct app *a, int64_t now, int *escalated, struct gg_error *err);
int app_event_counts(struct app *a, int64_t counts[EVENT_STATUS__COUNT]);

/* ---- attachments ---- */
/* Checks the magic bytes against content_type (image/jpeg, image/png), size <= 10 MiB, stores
 * the file content-addressed under data_dir. */
int app_attachment_put(struct app *a, const struct actor *who, const void *data, size_t len,
                       const char *content_type, int64_t now, struct attachment *out,
                       struct gg_error *err);
/* The uploader, or anyone who can see an event that references it; else -GG_ENOTFOUND.
 * *data is heap (caller frees). */
int app_attachment_get(struct app *a, const struct actor *who, int64_t id, struct attachment *meta,
                       void **data, size_t *len, struct gg_error *err);

/* ---- audit ---- */
/* admin, command and leader; others -GG_EFORBIDDEN */
int app_audit_list(struct app *a, const struct actor *who, const char *object_type,
                   int64_t object_id, int64_t after_id, int limit, struct audit_entry **items,
                   size_t *n, struct gg_error *err);
int app_audit_verify(struct app *a, struct audit_verify_result *out, struct gg_error *err);
int app_backup(struct app *a, const char *path, struct gg_error *err);

/* ---- issue 4: analysis (stats.c), messages and webhook (notify.c), ledger (ledger.c) ----
 * Stats: org_id 0 = the caller's scope org; an org outside the caller's subtree is
 * -GG_ENOTFOUND; handler, member and resident get -GG_EFORBIDDEN. Periods are [from, to) in
 * seconds, 0 = unbounded; events count where they happened (their grid) and in the period they
 * were reported in (docs/indicators.md). */
struct stats_cat_count {
    char code[GG_CODE_SZ];
    char name[GG_NAME_SZ];
    int64_t count;
};
struct stats_summary {
    struct org org;
    int64_t total;
    int64_t by_status[EVENT_STATUS__COUNT];
    int64_t by_color[COLOR__COUNT];
    int64_t by_source[SOURCE__COUNT];
    struct stats_cat_count *by_category; /* heap, largest first */
    size_t n_categories;
};
int app_stats_summary(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                      int64_t to, int64_t now, struct stats_summary *out, struct gg_error *err);
void app_stats_summary_release(struct stats_summary *s);

struct stats_indicators {
    struct org org;
    int64_t counts[STAT__COUNT];
    struct indicators ind;
};
int app_stats_indicators(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                         int64_t to, struct stats_indicators *out, struct gg_error *err);

struct trend_point {
    int64_t bucket_start;
    int64_t reported, closed, overdue;
};
/* from and to required; buckets are whole UTC days (weeks from Monday); at most 731 days */
int app_stats_trend(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                    int64_t to, bool weekly, int64_t now, struct trend_point **items, size_t *n,
                    struct gg_error *err);

struct ranking_item {
    struct org org;
    int rank;
    bool has_score; /* false when no indicator of the score is defined */
    double score;   /* 0..100 */
    int stars;      /* 1..5, 0 without a score */
    struct indicators ind;
    int64_t counts[STAT__COUNT];
    /* issue 6 item 8: service orders, visits, meetings and tasks of the unit's subtree */
    struct participation_counts pc;
    struct participation part;
};
/* the children of parent_id (not departments, buildings, units), best first; `now` dates the
 * participation indicators (visits due before now, task colours today, whole months ended) */
int app_stats_ranking(struct app *a, const struct actor *who, int64_t parent_id, int64_t from,
                      int64_t to, int64_t now, struct ranking_item **items, size_t *n,
                      struct gg_error *err);

/* issue 6 item 8: cadre evaluation (下沉干部评价): the cadres and in-service party members who
 * reported in (双报到) to communities of org_id's subtree (0 = the caller's scope), scored over
 * the period (core cadre_score), best first. Readers: admin, command, leader, staff (else
 * -GG_EFORBIDDEN); an org outside the caller's subtree is -GG_ENOTFOUND. */
struct cadre_rank_item {
    struct rank_cadre_row c;
    int rank;
    bool has_score;
    double score; /* 0..100 */
    int stars;    /* 1..5, 0 without a score */
};
int app_stats_cadres(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                     int64_t to, struct cadre_rank_item **items, size_t *n, struct gg_error *err);
/* star thresholds from the setting stats.star_thresholds (default "60,70,80,90") */
int app_stats_thresholds(struct app *a, double t[4]);

struct hotspot_grid {
    int64_t grid_id;
    char code[GG_CODE_SZ];
    char name[GG_NAME_SZ];
    int64_t count;
};
struct hotspot_place {
    double lat, lon; /* the first event of the cluster */
    int64_t count;
};
struct surge_warning {
    int64_t grid_id;
    char grid_name[GG_NAME_SZ];
    char category[GG_CODE_SZ];
    char category_name[GG_NAME_SZ];
    int64_t last7;
    double mean, stddev;
};
struct stats_hotspots {
    struct hotspot_grid *grids;
    size_t n_grids;
    struct hotspot_place *places; /* at least 2 events within 50 m */
    size_t n_places;
    struct surge_warning *surges;
    size_t n_surges;
    int64_t surge_until; /* the end of the 7-day window */
};
int app_stats_hotspots(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                       int64_t to, int64_t now, struct stats_hotspots *out, struct gg_error *err);
void app_stats_hotspots_release(struct stats_hotspots *h);
/* Recomputes every counter from the events in one transaction (`gridgov stats rebuild`). */
int app_stats_rebuild(struct app *a, int64_t now, int64_t *events, struct gg_error *err);
/* Moves every colour mark whose moment has passed to its colour at `now`, as the sweep does
 * 100,000 at a time (`gridgov gen` settles a generated city so that a server started on it does
 * not spend its first minutes recolouring). *changed counts the events moved. */
int app_stats_settle(struct app *a, int64_t now, long long *changed, struct gg_error *err);
/* Rebuilds when the database has never had counters (a database from before issue 4). */
int app_stats_ensure(struct app *a, int64_t now, struct gg_error *err);

/* The event ledger (台账) of the events the caller may list, with the list filters (f->limit,
 * f->before_id ignored), written to `path`: XLSX (constant memory) or CSV (UTF-8 with BOM).
 * Audited as events.export. On failure the file is removed. */
enum ledger_format { LEDGER_CSV, LEDGER_XLSX };
int app_ledger_export(struct app *a, const struct actor *who, const struct event_filter *f,
                      enum ledger_format fmt, const char *path, int64_t now, int64_t *rows,
                      struct gg_error *err);

/* In-app messages of the calling user, newest first; *next_cursor 0 when no more. */
int app_message_list(struct app *a, const struct actor *who, bool unread_only, int64_t before_id,
                     int limit, struct message **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err);
/* Marks one of the caller's messages read; -GG_ENOTFOUND for anyone else's. */
int app_message_read(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err);
/* ---- issue 4: department reverse evaluation (部门反向评价) and property companies
 * (物业企业, 红黑榜); app/evaluate.c, the rankings in app/stats.c ---- */
struct dept_rating_input {
    int64_t dept_org_id;
    int score;        /* 1..5 */
    const char *note; /* may be NULL; at most GG_MAX_NOTE code points */
};
/* A whistling unit rates a department that reported in, once per (event, department): the
 * caller is staff or leader scoped at the unit (street, community …) that whistled, the event
 * is closed and visible to it (else 404), the department was whistled and reported in (422);
 * a second rating is 409. Audited. */
int app_dept_rate(struct app *a, const struct actor *who, int64_t event_id,
                  const struct dept_rating_input *in, int64_t now, struct dept_rating *out,
                  struct gg_error *err);
/* The ratings of an event visible to the caller; *items heap. */
int app_dept_ratings(struct app *a, const struct actor *who, int64_t event_id,
                     struct dept_rating **items, size_t *n, struct gg_error *err);

struct dept_rank_item {
    struct org org;
    int rank;
    struct dept_stat st; /* whistles, report-ins, ratings of events reported in the period */
    bool has_score;
    double score; /* 0..100 (core dept_score) */
    int stars;    /* 1..5, 0 without a score */
};
/* The departments within parent_id's subtree (0 = the caller's scope), best first. */
int app_stats_departments(struct app *a, const struct actor *who, int64_t parent_id,
                          int64_t from, int64_t to, struct dept_rank_item **items, size_t *n,
                          struct gg_error *err);

struct property_area_input {
    int64_t org_id;
    int households; /* < 0: the org's own household count */
};
struct property_input {
    const char *name; /* NULL on update: unchanged */
    const struct property_area_input *areas;
    size_t n_areas;
    bool set_areas; /* update: replace the areas */
};
struct property_view {
    struct property_company c;
    struct property_area *areas; /* heap; only the areas within the caller's scope */
    size_t n_areas;
    int64_t households;          /* of those areas */
};
void app_property_view_release(struct property_view *v);
/* Create / change a property company (admin, command, staff). Areas are communities or grids
 * within the caller's scope, at most 200, none inside another of the same company; an area
 * served by another company is 409; a duplicate name 409. Changing a company needs every one of
 * its areas within the caller's scope (else 404). Audited. */
int app_property_create(struct app *a, const struct actor *who, const struct property_input *in,
                        int64_t now, struct property_view *out, struct gg_error *err);
int app_property_update(struct app *a, const struct actor *who, int64_t id,
                        const struct property_input *in, int64_t now, struct property_view *out,
                        struct gg_error *err);
/* Companies with at least one area within the caller's scope (roles that may analyse). */
int app_property_get(struct app *a, const struct actor *who, int64_t id,
                     struct property_view *out, struct gg_error *err);
int app_property_list(struct app *a, const struct actor *who, struct property_view **items,
                      size_t *n, struct gg_error *err);

struct property_rank_item {
    struct property_company c;
    int rank;
    int64_t households, complaints, rated, satisfied;
    bool has_rate;
    double rate; /* complaints per 1,000 households */
    bool has_score;
    double score; /* 0..100 (core property_score) */
    int list;     /* 1 red list (红榜), -1 black list (黑榜), 0 neither */
};
/* Companies serving areas within org_id's subtree (0 = the caller's scope), counted over their
 * areas there, best first; the first N are the red list, the last N the black list (settings
 * stats.property_list_size, stats.property_rate_cap, stats.property_categories). */
int app_stats_property(struct app *a, const struct actor *who, int64_t org_id, int64_t from,
                       int64_t to, struct property_rank_item **items, size_t *n,
                       struct gg_error *err);

/* Operator settings (admin only): webhook.url, webhook.secret, stats.star_thresholds. */
bool app_setting_known(const char *key);
int app_setting_put(struct app *a, const struct actor *who, const char *key, const char *value,
                    int64_t now, struct gg_error *err);
int app_setting_get(struct app *a, const struct actor *who, const char *key, char **value,
                    struct gg_error *err);
/* The webhook worker: delivers outbox rows to webhook.url (POST, JSON, header
 * "X-Gridgov-Signature: sha256=<hex HMAC-SHA256 of the body keyed by webhook.secret>"),
 * retrying with backoff 1 s, 2 s, 4 s … ≤ 1 h, giving up after 20 attempts. Started and
 * stopped by the HTTP server. app_webhook_run delivers what is due once (tests, CLI). */
/* Whether a live-feed row is within what the actor may see (the event-read scope rule; for
 * handlers the assignee only, whistles are not followed). */
bool app_feed_visible(const struct actor *who, const struct feed_entry *f);
/* Feed rows with id > after_id, ascending, at most limit (≤ 1000); *items heap. */
/* the live feed's newest id (0 when empty) */
int app_feed_newest(struct app *a, int64_t *id);
int app_feed_after(struct app *a, int64_t after_id, int limit, struct feed_entry **items,
                   size_t *n);
/* issue 3: waits up to timeout_ms for new feed rows from any server (this thread's connection):
 * 1 when there are, 0 on timeout; negative when the backend cannot notify (SQLite) or on an
 * error, and the caller polls app_feed_after instead. */
int app_feed_wait(struct app *a, int timeout_ms);
int app_notify_start(struct app *a);
void app_notify_stop(struct app *a);
int app_webhook_run(struct app *a, int64_t now);
void app_webhook_sign(const char *secret, const void *body, size_t len, char hex[65]);

/* ---- issue 6: people, households, houses (people.c), bulk import (people_import.c) ----
 * Who: read admin, command, leader, staff, grid_officer within their subtree (member and
 * resident: their own record and household, read only); write admin, staff, grid_officer
 * (core/people.h). Each row belongs to a community, grid, building or unit inside the writer's
 * scope (else 403 field org_id). Id and phone numbers are masked in every answer; a role with
 * `pii` may ask for one person unmasked (reveal), which is audited as person.reveal. */
struct person_input {
    int64_t org_id;           /* 0 = unchanged (required on create) */
    int64_t household_id;     /* -1 = unchanged, 0 = none */
    const char *name;         /* NULL = unchanged */
    int gender;               /* -1 = unchanged (from the id number when set on create) */
    const char *birth_date;   /* "YYYY-MM-DD", "" clears, NULL unchanged */
    const char *id_number;    /* 18 digits with its check character; "" clears */
    const char *phone;        /* "" clears */
    bool set_tags;
    uint32_t tags;
    int party_member, volunteer; /* -1 = unchanged */
    const char *party_branch, *relation;
    int64_t version;          /* 0 = don't check; else 409 when the record changed */
};
/* What an answer carries: the record with id_number and phone masked (or clear when revealed),
 * and the name of its org node. */
struct person_view {
    struct person p;
    bool revealed;
    char org_name[GG_NAME_SZ];
};
int app_person_create(struct app *a, const struct actor *who, const struct person_input *in,
                      int64_t now, struct person_view *out, struct gg_error *err);
int app_person_update(struct app *a, const struct actor *who, int64_t id,
                      const struct person_input *in, int64_t now, struct person_view *out,
                      struct gg_error *err);
int app_person_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                      struct gg_error *err);
/* reveal: unmasked id and phone numbers; -GG_EFORBIDDEN without `pii`; audited */
int app_person_get(struct app *a, const struct actor *who, int64_t id, bool reveal, int64_t now,
                   struct person_view *out, struct gg_error *err);
struct person_query {
    int64_t org_id;        /* 0 = the caller's scope */
    int64_t household_id;
    uint32_t tags;
    int party_member, volunteer; /* -1 = any */
    const char *q;         /* name substring */
    const char *id_number; /* exact, via the blind index; validated (422) */
    const char *phone;     /* exact, via the blind index */
    int64_t after_id;
    int limit;
};
/* masked always; *next_cursor 0 when no more; *items heap */
int app_person_list(struct app *a, const struct actor *who, const struct person_query *q,
                    struct person_view **items, size_t *n, int64_t *next_cursor,
                    struct gg_error *err);

struct household_input {
    int64_t org_id;      /* 0 = unchanged */
    const char *code;    /* 户编号; required on create */
    const char *address, *building, *unit, *room;
    int color;           /* -1 = unchanged (green on create) */
    int64_t house_id;    /* -1 = unchanged, 0 = none */
    int64_t version;
};
int app_household_create(struct app *a, const struct actor *who, const struct household_input *in,
                         int64_t now, struct household *out, struct gg_error *err);
int app_household_update(struct app *a, const struct actor *who, int64_t id,
                         const struct household_input *in, int64_t now, struct household *out,
                         struct gg_error *err);
/* 409 while people belong to it */
int app_household_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                         struct gg_error *err);
int app_household_get(struct app *a, const struct actor *who, int64_t id, struct household *out,
                      struct gg_error *err);
int app_household_list(struct app *a, const struct actor *who, int64_t org_id, int color,
                       int64_t after_id, int limit, struct household **items, size_t *n,
                       int64_t *next_cursor, struct gg_error *err);

struct house_input {
    int64_t org_id;
    const char *address, *building, *unit, *room;
    int use, occupancy;      /* -1 = unchanged */
    double area;             /* < 0 = unchanged */
    int64_t owner_person_id; /* -1 = unchanged, 0 = none */
    int64_t version;
};
int app_house_create(struct app *a, const struct actor *who, const struct house_input *in,
                     int64_t now, struct house *out, struct gg_error *err);
int app_house_update(struct app *a, const struct actor *who, int64_t id,
                     const struct house_input *in, int64_t now, struct house *out,
                     struct gg_error *err);
int app_house_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err);
int app_house_get(struct app *a, const struct actor *who, int64_t id, struct house *out,
                  struct gg_error *err);
int app_house_list(struct app *a, const struct actor *who, int64_t org_id, int use,
                   int64_t after_id, int limit, struct house **items, size_t *n,
                   int64_t *next_cursor, struct gg_error *err);

/* Bulk import of people (and the households they name) from CSV (UTF-8, optional BOM) or
 * XLSX (the first sheet), header row first; columns in docs/participation.md. All or nothing:
 * every row is checked first; on any error nothing is written, -GG_EINVAL, and *errors lists
 * them (row = line of the sheet, 1 = header; at most PEOPLE_IMPORT_MAX_ERRORS kept,
 * *n_errors_total counts all). progress (may be NULL) is called every 50,000 rows. */
enum sheet_format { SHEET_CSV, SHEET_XLSX };
#define PEOPLE_IMPORT_MAX_ERRORS 1000
#define PEOPLE_IMPORT_MAX_ROWS 2000000
struct row_error {
    int64_t row;
    char column[48];
    char reason[200];
};
struct people_import_result {
    int64_t rows;
    int64_t people_created;
    int64_t households_created;
    struct row_error *errors; /* heap, caller frees */
    size_t n_errors;
    int64_t n_errors_total;
};
int app_people_import(struct app *a, const struct actor *who, enum sheet_format fmt,
                      const void *data, size_t len, int64_t now,
                      void (*progress)(void *ctx, const char *phase, int64_t rows), void *pctx,
                      struct people_import_result *out, struct gg_error *err);
/* ---- issue 6: service orders (service.c), points and the points store (points.c) ----
 * Service orders (点单—下单—接单—评单, docs/participation.md): a resident or member asks in
 * its community; staff covering the community publish with a reward and a deadline; a member
 * whose scope (the community it reported to, 双报到) covers it claims — of concurrent claims
 * exactly one wins, the others are 409; the claimer completes; the asker rates 1–5, which pays
 * the claimer the reward (once: source key service_order:<id>); staff at street level or above
 * review. An unclaimed order past its deadline reads and acts as expired. Every write is
 * audited (service_order.<action>). */
struct service_view {
    struct service_order o;
    char category_name[GG_NAME_SZ];
    char community_name[GG_NAME_SZ];
    int64_t *attachment_ids; /* heap: the completion photos */
    size_t n_attachments;
};
void app_service_view_release(struct service_view *v);

struct service_ask_input {
    const char *category_code; /* a 小类 of kind service (微心愿, 红色代办, 跑腿, 帮扶) */
    const char *title;
    const char *description; /* may be NULL */
    const char *address;     /* may be NULL */
    int64_t community_id;    /* 0 = the community of the asker's scope */
};
int app_service_ask(struct app *a, const struct actor *who, const struct service_ask_input *in,
                    int64_t now, struct service_view *out, struct gg_error *err);
int app_service_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                    struct service_view *out, struct gg_error *err);
/* f->now set by the caller; scope in SQL; *next_cursor 0 when no more */
int app_service_list(struct app *a, const struct actor *who, struct service_filter *f,
                     struct service_order **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err);

struct service_action_input {
    enum service_action action;
    int reward;          /* publish: 0..SERVICE_MAX_REWARD */
    int64_t deadline_at; /* publish: after now, within SERVICE_MAX_DEADLINE_DAYS */
    const char *note;    /* complete: the note; rate/review: the comment; cancel: the reason */
    int rating;          /* rate, review: 1..5 */
    const int64_t *attachment_ids; /* complete: the caller's own uploads */
    size_t n_attachments;
    int64_t expected_version; /* 0 = don't check */
};
/* 403 when the role may never take the action or the actor is not the one it belongs to; 404
 * when the actor cannot see the order; 409 when the state does not allow it (expired included)
 * or another action won a race. */
int app_service_act(struct app *a, const struct actor *who, int64_t id,
                    const struct service_action_input *in, int64_t now, struct service_view *out,
                    struct gg_error *err);

/* Points: the caller's own account and statement; staff, command, leader and admin may read
 * those of users whose scope lies within theirs (others: 404). user_id 0 = the caller. */
int app_points_account(struct app *a, const struct actor *who, int64_t user_id,
                       struct points_account *out, struct gg_error *err);
int app_points_statement(struct app *a, const struct actor *who, int64_t user_id,
                         int64_t before_id, int limit, struct points_entry **items, size_t *n,
                         int64_t *next_cursor, struct gg_error *err);
struct points_award_input {
    int64_t user_id;
    enum points_source source; /* volunteer or meeting */
    const char *ref;           /* the deed: an activity or meeting reference, [A-Za-z0-9_.-] */
    int amount;                /* 1..POINTS_MAX_AWARD */
    const char *reason;
};
/* staff and admin, for users within their scope; the same (source, ref, user) twice is 409 */
int app_points_award(struct app *a, const struct actor *who, const struct points_award_input *in,
                     int64_t now, struct points_entry *out, struct gg_error *err);
/* the users of a community (org_id 0: the caller's community) by points earned */
int app_points_leaderboard(struct app *a, const struct actor *who, int64_t org_id, int limit,
                           struct org *community, struct points_rank **items, size_t *n,
                           struct gg_error *err);

/* The points store (积分超市): staff covering the community (and admin) manage its items;
 * everyone whose scope lies in or over the community sees them; the community's residents and
 * members redeem. */
struct store_item_input {
    int64_t community_id;    /* create only */
    const char *name;        /* NULL = unchanged (update) */
    const char *description; /* NULL = unchanged */
    int64_t price;           /* -1 = unchanged */
    int64_t stock;           /* -1 = unchanged */
    int active;              /* -1 = unchanged, 0, 1 */
};
int app_store_item_create(struct app *a, const struct actor *who,
                          const struct store_item_input *in, int64_t now, struct store_item *out,
                          struct gg_error *err);
int app_store_item_update(struct app *a, const struct actor *who, int64_t id,
                          const struct store_item_input *in, int64_t now, struct store_item *out,
                          struct gg_error *err);
int app_store_item_get(struct app *a, const struct actor *who, int64_t id, struct store_item *out,
                       struct gg_error *err);
int app_store_item_list(struct app *a, const struct actor *who, bool active_only,
                        int64_t after_id, int limit, struct store_item **items, size_t *n,
                        struct gg_error *err);
/* One transaction: stock and points both move or neither. 409 when the stock is short or the
 * balance cannot pay; of concurrent redemptions of the last item one wins. */
int app_store_redeem(struct app *a, const struct actor *who, int64_t item_id, int quantity,
                     int64_t now, struct redemption *out, int64_t *balance_after,
                     struct gg_error *err);
/* residents and members: their own; staff, command, leader, admin: their scope's */
int app_redemption_list(struct app *a, const struct actor *who, int64_t before_id, int limit,
                        struct redemption **items, size_t *n, int64_t *next_cursor,
                        struct gg_error *err);

/* ---- issue 6: home visits (走访, 敲门行动, 六必访; visits.c) ----
 * Grid officers (and staff, admin) record visits to people and households of their grids; a
 * visit can raise an event (source visit) or a service order on the resident's behalf in the
 * same transaction. Each officer's due list: the latest visit of every subject in its scope
 * with the interval of the subject's tags (rules: setting visits.rules over the defaults of
 * core/visit.h) and its state. */
struct visit_raise_event {
    const char *category_code;
    const char *description; /* NULL = the findings */
    double lat, lon;
};
struct visit_input {
    int64_t grid_id;      /* 0 = the officer's own grid */
    int64_t person_id;    /* at least one of person_id, household_id */
    int64_t household_id;
    const char *subject_name;
    unsigned tags;        /* bit i = enum visit_tag i */
    int64_t at;           /* 0 = now; not in the future, at most a year ago */
    const char *findings;
    const struct visit_raise_event *event;         /* NULL = none */
    const struct service_ask_input *service_order; /* NULL = none (community: the grid's) */
};
int app_visit_record(struct app *a, const struct actor *who, const struct visit_input *in,
                     int64_t now, struct visit *out, struct gg_error *err);
/* visits within the caller's scope, newest first; handler, member, resident: 403 */
int app_visit_list(struct app *a, const struct actor *who, int64_t person_id,
                   int64_t household_id, int64_t before_id, int limit, struct visit **items,
                   size_t *n, int64_t *next_cursor, struct gg_error *err);
struct visit_due {
    struct visit last;
    int interval_days;
    int64_t due_at;
    enum visit_state state;
};
/* state -1 = due and overdue; else only that state. Most urgent (earliest due) first. */
int app_visit_due(struct app *a, const struct actor *who, int state, int64_t now,
                  struct visit_due **items, size_t *n, struct gg_error *err);
/* the rules in force (setting visits.rules over the defaults) */
int app_visit_rules(struct app *a, struct visit_rules *out);

/* ---- issue 6: deliberation and disclosure (topics.c; DESIGN section 9) ----
 * A topic (议题) is proposed in a community or a grid: by staff, grid officers and admins in
 * their subtree, by residents and members in a place that contains their own scope. Residents
 * and members of that place support it (附议, once each) until the threshold seconds it; the
 * party organisation (admin, staff, leader) takes it onto the agenda or rejects it; staff hold
 * the meeting (attendees and minutes), each attendee votes once, staff close the vote (passed
 * with a strict majority of the attendees), publish the resolution on the board, note its
 * progress and complete it; residents of the place evaluate it (评议, 1–5 once each).
 * Errors: 403 for a role that may never take the action or an actor outside the place, 404 for
 * a topic the actor cannot see, 409 for an action the state does not allow and for a second
 * support / vote / rating, 422 for bad input. Every write is one transaction with a timeline
 * step and an audit entry (topic.<action>). */
struct topic_input {
    int64_t org_id;
    const char *title, *body;
    int64_t threshold; /* 0 = the setting topics.support_threshold (default 5); admin, staff */
};
struct topic_act_input {
    int action;              /* enum topic_action */
    const char *note;        /* a note on the timeline; required by progress */
    const int64_t *attendees; /* meet: user ids, distinct, 1..GG_MAX_ATTENDEES */
    size_t n_attendees;
    const char *minutes;     /* meet: required, up to GG_MAX_MINUTES code points */
    const char *place;       /* meet: optional */
    int64_t meeting_at;      /* meet: 0 = now */
    int choice;              /* vote: enum vote_choice, -1 = absent */
    int64_t rating;          /* evaluate: 1..5, 0 = absent */
};
struct topic_view {
    struct topic t;
    char org_name[GG_NAME_SZ];
    char proposer_name[GG_NAME_SZ];
    struct topic_mine mine;     /* what the caller did */
    struct topic_note *notes;   /* heap: the timeline */
    size_t n_notes;
    int64_t *attendees;         /* heap */
    size_t n_attendees;
    char *minutes;              /* heap, NULL before the meeting */
};
void app_topic_view_release(struct topic_view *v);
int app_topic_create(struct app *a, const struct actor *who, const struct topic_input *in,
                     int64_t now, struct topic_view *out, struct gg_error *err);
int app_topic_act(struct app *a, const struct actor *who, int64_t id,
                  const struct topic_act_input *in, int64_t now, struct topic_view *out,
                  struct gg_error *err);
int app_topic_get(struct app *a, const struct actor *who, int64_t id, struct topic_view *out,
                  struct gg_error *err);
struct topic_query {
    int64_t org_id; /* 0 = the whole scope */
    int status;     /* -1 = any */
    bool board;     /* published, executing, done only */
    bool mine;      /* proposed by the caller */
    int64_t before_id;
    int limit;
};
int app_topic_list(struct app *a, const struct actor *who, const struct topic_query *q,
                   struct topic **items, size_t *n, int64_t *next_cursor, struct gg_error *err);

/* Disclosures (公开栏: property service fees, project funds, …) are published by admin and
 * staff on a street, community or grid in their subtree, and read by everyone of the place
 * (the place rule of store.h). Amounts are yuan with at most 2 decimals. */
struct disclosure_item_input {
    const char *label;
    double amount;
};
struct disclosure_input {
    int64_t org_id;
    int kind; /* enum disclosure_kind */
    const char *title, *body, *period;
    const struct disclosure_item_input *items;
    size_t n_items;
};
int app_disclosure_create(struct app *a, const struct actor *who,
                          const struct disclosure_input *in, int64_t now, struct disclosure *out,
                          struct gg_error *err);
/* *items heap (caller frees) */
int app_disclosure_get(struct app *a, const struct actor *who, int64_t id, struct disclosure *out,
                       struct disclosure_item **items, size_t *n, struct gg_error *err);
struct disclosure_query {
    int64_t org_id;
    int kind; /* -1 = any */
    const char *period;
    int64_t before_id;
    int limit;
};
int app_disclosure_list(struct app *a, const struct actor *who, const struct disclosure_query *q,
                        struct disclosure **items, size_t *n, int64_t *next_cursor,
                        struct gg_error *err);

/* ---- issue 6: party organisation (party.c): 党组织, 党员, 双报到, 三级包保, 三会一课 ----
 * Who (core/party.h): read admin, command, leader, staff in their subtree; write admin and
 * staff in their subtree (the org node a row belongs to must lie in the writer's scope, else
 * 403 field org_id); a member reports in (双报到) for themselves, to a community in their own
 * scope. Every write is one transaction with its audit entry. Lists: *next_cursor 0 when no
 * more; *items heap (free()). */
struct party_org_input {
    int64_t parent_id; /* 0 = top level (党工委 / 党委 only) */
    int kind;          /* enum party_kind */
    const char *name;
    int64_t org_id;            /* the org node it leads */
    int64_t secretary_user_id; /* 0 = none */
};
int app_party_org_create(struct app *a, const struct actor *who, const struct party_org_input *in,
                         int64_t now, struct party_org *out, struct gg_error *err);
int app_party_org_get(struct app *a, const struct actor *who, int64_t id, struct party_org *out,
                      struct gg_error *err);
/* org_id 0 = the caller's scope; kind -1 = any; parent_id 0 = any */
int app_party_org_list(struct app *a, const struct actor *who, int64_t org_id, int kind,
                       int64_t parent_id, int64_t after_id, int limit, struct party_org **items,
                       size_t *n, int64_t *next_cursor, struct gg_error *err);

struct party_member_input {
    int64_t party_org_id;
    int kind; /* enum member_kind */
    const char *name;
    int64_t user_id, person_id; /* 0 = none; at most one member per account and per person */
    const char *joined_on;      /* "YYYY-MM-DD" or NULL */
};
int app_party_member_create(struct app *a, const struct actor *who,
                            const struct party_member_input *in, int64_t now,
                            struct party_member *out, struct gg_error *err);
int app_party_member_get(struct app *a, const struct actor *who, int64_t id,
                         struct party_member *out, struct gg_error *err);
/* party_org_id 0 = all in scope; else members of that party org and the orgs below it */
int app_party_member_list(struct app *a, const struct actor *who, int64_t party_org_id,
                          int64_t after_id, int limit, struct party_member **items, size_t *n,
                          int64_t *next_cursor, struct gg_error *err);

struct report_in_input {
    int64_t member_id; /* 0 = the caller's own member record (a member reporting in) */
    int64_t org_id;    /* the community */
    const char *skills, *available;
};
/* 409 when the member has already reported to that community */
int app_report_in_create(struct app *a, const struct actor *who, const struct report_in_input *in,
                         int64_t now, struct report_in *out, struct gg_error *err);
/* members see their own report-ins only */
int app_report_in_list(struct app *a, const struct actor *who, int64_t org_id, int64_t member_id,
                       int64_t after_id, int limit, struct report_in **items, size_t *n,
                       int64_t *next_cursor, struct gg_error *err);

struct cover_input {
    int64_t user_id, org_id;
    int level; /* enum cover_level */
    const char *duty;
};
/* 409 when the user already covers that node */
int app_cover_create(struct app *a, const struct actor *who, const struct cover_input *in,
                     int64_t now, struct cover *out, struct gg_error *err);
int app_cover_delete(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err);
int app_cover_list(struct app *a, const struct actor *who, int64_t org_id, int64_t user_id,
                   int64_t after_id, int limit, struct cover **items, size_t *n,
                   int64_t *next_cursor, struct gg_error *err);
/* "Who covers node X": the cover links on the node and on each of its ancestors, nearest
 * first (what escalation and supervision messages reach). who NULL = a system lookup; else
 * the node must be visible to the caller (404) and the role one of party_may_read. */
int app_covers_of(struct app *a, const struct actor *who, int64_t org_id, struct cover **items,
                  size_t *n, struct gg_error *err);

struct meeting_input {
    int64_t party_org_id;
    int kind;            /* enum meeting_kind */
    const char *held_on; /* "YYYY-MM-DD" */
    const char *title, *minutes; /* minutes ≤ GG_MAX_MINUTES code points */
    const struct meeting_attendance *attendance; /* member_id + status */
    size_t n_attendance;
};
int app_meeting_create(struct app *a, const struct actor *who, const struct meeting_input *in,
                       int64_t now, struct party_meeting *out, struct gg_error *err);
/* out->minutes heap (free()); *attendance heap */
int app_meeting_get(struct app *a, const struct actor *who, int64_t id, struct party_meeting *out,
                    struct meeting_attendance **attendance, size_t *n_attendance,
                    struct gg_error *err);
/* sets the attendance of the listed members (others unchanged); each must belong to the
 * meeting's party org or an org below it (422 field attendance) */
int app_meeting_attendance(struct app *a, const struct actor *who, int64_t id,
                           const struct meeting_attendance *items, size_t n, int64_t now,
                           struct gg_error *err);
int app_meeting_list(struct app *a, const struct actor *who, int64_t party_org_id, int kind,
                     int64_t from_days, int64_t to_days, int64_t after_id, int limit,
                     struct party_meeting **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err);

/* The 三会一课 compliance check: every 党支部 in the subtree of org_id (0 = the caller's
 * scope) against the required frequencies (setting party.meeting_months, "3,1,1,3" months for
 * 支部党员大会, 支委会, 党小组会, 党课 by default; a request may pass its own) over the months
 * [month_from, month_to) (at most 60). Meetings of the branch and of the groups under it count
 * (core/party.h: party_compliance). */
#define COMPLIANCE_MAX_GAPS 64
struct compliance_branch {
    struct party_org org;
    struct meeting_gap gaps[COMPLIANCE_MAX_GAPS];
    size_t n_gaps;
    size_t n_total;
};
struct compliance_result {
    int intervals[MEETING_KIND__COUNT];
    int64_t branches_checked;
    struct compliance_branch *items; /* heap: only the branches with missing meetings */
    size_t n;
};
/* intervals NULL = the configured ones */
int app_party_compliance(struct app *a, const struct actor *who, int64_t org_id, int month_from,
                         int month_to, const int *intervals, struct compliance_result *out,
                         struct gg_error *err);

/* ---- issue 6: key tasks and projects (tasks.c): 重点任务, 民生实事, 领题, 蓝黄红 ----
 * Who (core/task.h): read admin, command, leader, staff in their subtree and the task's own
 * leader; write admin and staff in their subtree; the responsible leader may also mark
 * milestones done and file monthly progress. Money in fen (分). The colour is computed on
 * every read (core/task.h: task_color_of; setting task.warn_days, default 7). */
struct milestone_input {
    const char *title;
    const char *due_on; /* "YYYY-MM-DD" */
};
struct task_input {
    int kind; /* enum task_kind; -1 = unchanged (key_task on create) */
    const char *title, *description; /* NULL = unchanged */
    int64_t org_id;                  /* owner unit; 0 = unchanged */
    int64_t leader_user_id;          /* 0 = unchanged */
    int64_t budget, spend;           /* -1 = unchanged */
    const struct milestone_input *milestones; /* create only */
    size_t n_milestones;
    int64_t version; /* 0 = don't check */
};
struct task_view {
    struct task t;
    enum task_color color;
    char color_reason[128];
    char org_name[GG_NAME_SZ];
    char leader_name[GG_NAME_SZ];
    struct task_milestone *milestones; /* heap */
    size_t n_milestones;
    struct task_report *reports; /* heap; NULL in lists */
    size_t n_reports;
};
void app_task_view_release(struct task_view *v);
int app_task_create(struct app *a, const struct actor *who, const struct task_input *in,
                    int64_t now, struct task_view *out, struct gg_error *err);
int app_task_update(struct app *a, const struct actor *who, int64_t id,
                    const struct task_input *in, int64_t now, struct task_view *out,
                    struct gg_error *err);
int app_task_get(struct app *a, const struct actor *who, int64_t id, int64_t now,
                 struct task_view *out, struct gg_error *err);
/* color -1 = any (filtered after computing); *items heap, each released with
 * app_task_view_release, then free() */
int app_task_list(struct app *a, const struct actor *who, int64_t org_id, int64_t leader_id,
                  int color, int64_t after_id, int limit, int64_t now, struct task_view **items,
                  size_t *n, int64_t *next_cursor, struct gg_error *err);
int app_task_milestone_add(struct app *a, const struct actor *who, int64_t task_id,
                           const struct milestone_input *in, int64_t now, struct task_view *out,
                           struct gg_error *err);
/* done_on NULL = today; "" = not done again */
int app_task_milestone_done(struct app *a, const struct actor *who, int64_t milestone_id,
                            const char *done_on, int64_t now, struct task_view *out,
                            struct gg_error *err);
/* one report per month (409 for a second); spend ≥ 0 also sets the spend to date */
int app_task_report(struct app *a, const struct actor *who, int64_t task_id, int month,
                    int percent, const char *note, int64_t spend, int64_t now,
                    struct task_view *out, struct gg_error *err);
/* The overdue sweep of milestones: each milestone not done and due before today that was
 * never reported gets one in-app message (kind task_overdue, and its webhook row) to the
 * task's leader, and is marked notified. Run by the background sweep and by tests. */
int app_task_sweep(struct app *a, int64_t now, int *notified, struct gg_error *err);

#endif
