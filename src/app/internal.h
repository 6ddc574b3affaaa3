/* internal.h - what the app/ files share: the app struct, the group-commit writer, the
 * per-thread read connections, the in-memory caches (catalog, departments, grid index). */
#ifndef GG_APP_INTERNAL_H
#define GG_APP_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "app/app.h"
#include "base/tcache.h"
#include "core/geo.h"
#include "core/routing.h"
#include "core/scope.h"

/* A unit of write work: runs on the writer thread inside a transaction (its own savepoint). */
typedef int (*write_fn)(struct app *a, struct store *s, void *ctx, struct gg_error *err);

struct write_job {
    write_fn fn;
    void *ctx;
    struct gg_error *err;
    int rc;
    bool done;
    pthread_cond_t cond; /* signalled when done: each waiter wakes alone, not all of them */
    struct write_job *next;
};

struct read_conn {
    struct store *s;
    struct read_conn *next;
};

/* the writer's counter deltas of the running group commit (stats.c) */
struct stat_delta;
struct stat_cat_delta;
struct stat_pending {
    struct stat_delta *d;
    size_t nd, capd;
    struct stat_cat_delta *c;
    size_t nc, capc;
};

struct app {
    struct app_config cfg;
    char db[1024];
    char data_dir[1100];
    uint64_t generation; /* distinguishes apps for the thread-local read connections */

    /* group-commit writer */
    struct store *writer;
    pthread_t writer_thread;
    pthread_mutex_t wmu;
    pthread_cond_t wcond;   /* jobs queued or stopping */
    struct write_job *queue_head, *queue_tail;
    bool stopping;
    bool writer_started;
    /* the syncer (backends with store log_sync): groups committed without their log synced
     * wait here, under wmu, until it has synced the log; then their jobs are answered */
    pthread_t syncer_thread;
    pthread_cond_t sycond;
    struct write_job *sync_head, *sync_tail;
    bool syncer_started, syncer_stopping;
    struct app_write_stats wstats; /* under wmu */
    struct stat_pending spend;     /* the writer's counter deltas of the running group */
    /* the counter log (stats.c), writer thread only */
    int64_t stats_fold_ms;      /* fold period; 0 = every group adds to the counters itself */
    int64_t stats_last_fold_ms; /* monotonic */
    bool stats_log_dirty;       /* records may be waiting (set at start: a previous run's) */
    bool stats_fold_wanted;     /* a stats read asked the next group to fold */

    /* read connections, one per thread, all closed at app_close */
    pthread_mutex_t rmu;
    struct read_conn *readers;

    /* caches */
    pthread_rwlock_t cache_lock;
    struct category *cats;
    size_t n_cats;
    struct route_dept *depts;
    size_t n_depts;
    bool depts_dirty;
    struct geo_index *index;
    bool index_dirty;
    struct org *orgs; /* every org node by id (ascending): names, places, routes */
    size_t n_orgs;
    bool orgs_dirty;
    struct work_calendar cal;
    struct gg_tcache *sessions;   /* token hash → struct session (auth.c), SESSION_TTL_MS */
    struct gg_tcache *user_names; /* user id → display name for timelines */

    /* overdue sweep */
    pthread_t sweep_thread;
    bool sweep_started;
    bool sweep_stopping;
    pthread_mutex_t smu;
    pthread_cond_t scond;

    /* issue 4: the webhook outbox worker (notify.c), NULL when not running */
    struct notify_worker *notify;

    /* issue 6: personal-data keys (pii.c), derived from the key file's master key */
    char key_file[1100];
    bool pii_ready;
    unsigned char pii_seal_key[32];  /* secretbox */
    unsigned char pii_blind_key[32]; /* keyed BLAKE2b of the blind index */
};

/* Runs fn as one atomic unit of work. From an ordinary thread: queued to the writer, which
 * runs several jobs in one transaction (each in a savepoint) and commits once for all of them
 * (group commit); returns after the commit. Inside a job (app_batch, or a use case calling
 * another): runs at once in a nested savepoint. */
int app_write(struct app *a, write_fn fn, void *ctx, struct gg_error *err);
/* True on the writer thread while it runs a job: reads must then use the writer store. */
bool app_in_writer(void);
/* The store to read from on this thread: the writer's inside a job, else this thread's. */
struct store *app_store_for_read(struct app *a);
/* The store to read from, or NULL with err set to "unavailable" (503); _as also fills sc with
 * the caller's role and scope for the SQL scope rule. */
struct store *app_reader(struct app *a, struct gg_error *err);
/* A list read asks the store for limit + 1 rows: trims *n to limit and says whether a next
 * page exists (its cursor is then the id of the last row kept). */
static inline bool app_page_trim(size_t *n, int limit)
{
    if (*n <= (size_t)limit)
        return false;
    *n = (size_t)limit;
    return true;
}
struct store *app_reader_as(struct app *a, const struct actor *who, struct store_scope *sc,
                            struct gg_error *err);

void app_cache_invalidate_orgs(struct app *a);

/* The org node `id` from the org cache (reloaded after org changes), read through s when the
 * cache does not have it (a node written in the running transaction). */
int app_org_cached(struct app *a, struct store *s, int64_t id, struct org *out);

/* auth.c: a signed-in session as cached for SESSION_TTL; a user's display name (username when
 * none) from a cache, read through s on a miss, "" when unknown; app_auth_forget drops both
 * caches (after a logout or any change to an account). */
struct session {
    struct actor who;
    int64_t expires_at;
};
void app_user_name(struct app *a, struct store *s, int64_t id, char *out, size_t sz);
void app_auth_forget(struct app *a);
int app_cache_load_catalog(struct app *a, struct store *s);
/* Copies the category into *out; -GG_ENOTFOUND when unknown. */
int app_cat_find(struct app *a, const char *code, struct category *out);
/* Locates with the cached index (rebuilt first when dirty, from store s). */
int64_t app_locate_id(struct app *a, struct store *s, double lat, double lon);
/* Departments for routing (cached; reloaded when dirty from store s). Caller frees *out. */
int app_departments(struct app *a, struct store *s, struct route_dept **out, size_t *n);

int app_audit(struct store *s, const struct actor *who, int64_t now, const char *action,
              const char *object_type, int64_t object_id, const char *detail);
void app_scope_of(const struct actor *who, struct store_scope *out);
/* Checks a text field: UTF-8 (the HTTP layer checked bytes already), length in code points. */
int app_check_text(const char *s, size_t max_cp, const char *field, bool required,
                   struct gg_error *err);
/* The root of the org tree (the first node created); -GG_ENOTFOUND before init. */
int app_root_org(struct store *s, struct org *out);
/* The path of ids from the root down to (and including) the node, as orgs; heap array. */
int app_org_ancestors(struct app *a, struct store *s, const char *path, bool include_self,
                      struct org **out, size_t *n);

/* ---- issue 4 hooks (stats.c, notify.c), called by events.c inside the write job ----
 * Counters: adds facts(after) − facts(before) (before NULL for a new event) plus this write's
 * dispatch and return steps to every ancestor of the event's place. */
int app_stats_apply(struct app *a, struct store *s, const struct event *before,
                    const struct event *after, int n_dispatch, int n_return);
/* On the writer, app_stats_apply only notes the deltas; before COMMIT the group writes them,
 * summed per (org, day) and (org, day, category), as one record of the counter log or, when a
 * fold is due, into the counters with the log's records (app_stats_group_end, which says
 * which in *folded; it empties the pending deltas either way); after a COMMIT that folded,
 * app_stats_folded. A job that fails drops the deltas it noted: app_stats_mark before it,
 * app_stats_undo to the mark. */
struct stat_mark {
    size_t nd, nc;
};
struct stat_mark app_stats_mark(struct app *a);
void app_stats_undo(struct app *a, struct stat_mark m);
int app_stats_group_end(struct app *a, struct store *s, int64_t now_ms, bool *folded);
void app_stats_folded(struct app *a, int64_t now_ms);
void app_stats_pending_free(struct app *a);
/* Before reading counters: when the counter log holds records (of any server), has the
 * writer fold them, so that the reads that follow see every committed write. */
int app_stats_fold_log(struct app *a, struct gg_error *err);
/* Everything an event write triggers besides itself: counters, one live-feed row, in-app
 * messages and their webhook outbox rows. `action` is what happened (REPORT for intake). */
int app_event_changed(struct app *a, struct store *s, const struct actor *who,
                      const struct event *before, const struct event *after,
                      enum event_action action, int64_t now);
/* The layout of the counters (setting stats.version): a database whose counters have another
 * version gets them rebuilt at start (app_stats_ensure). 2: colour marks (open_* counters);
 * 3: category counts per 32-day bucket (stat_cat32). */
#define STATS_VERSION "3"
/* The yellow warning (黄灯预警) of an event that has just turned yellow: a `yellow` message to
 * the users of its assignee (and the webhook), audited. Inside the write job. */
int app_notify_yellow(struct app *a, struct store *s, const struct event *e, int64_t now);
/* The sweep's colour pass: moves the marks of the events whose colour changed by `now` (and
 * their counters) in batches, sending yellow warnings. */
int app_stats_recolor(struct app *a, int64_t now, int *changed, int *warned,
                      struct gg_error *err);

/* ---- issue 6: personal data at rest (pii.c) ----
 * load: reads the key file when it exists (a missing file is not an error: pii_ready stays
 * false); create_key: makes it (0600) when missing, at init; require: -GG_EUNAVAILABLE
 * without a key. seal: ciphertext and blind index of text ("" = no value); open: decrypts into
 * out[sz]. kind is 'i' for id numbers, 'p' for phone numbers. */
int app_pii_load(struct app *a, struct gg_error *err);
int app_pii_create_key(struct app *a, struct gg_error *err);
int app_pii_require(struct app *a, struct gg_error *err);
int app_pii_seal(struct app *a, char kind, const char *text, struct sealed *out);
int app_pii_open(struct app *a, const struct sealed *in, char *out, size_t sz);
void app_pii_blind(struct app *a, char kind, const char *text, size_t n,
                   uint8_t out[GG_BLIND_SZ]);
/* ---- issue 6: shared by people.c and people_import.c ---- */
struct gg_buf;
/* Validates and normalises an id number (422 field id_number with the reason). */
int app_person_validate_id(const char *id, char norm[GG_ID_NUMBER_LEN + 1], struct gg_error *err);
/* Applies and validates a person input onto p (create: p zeroed, org_id required), sealing id
 * and phone numbers; fields (may be NULL) collects the names of what changed. */
int app_person_apply(struct app *a, struct store *s, const struct actor *who,
                     const struct person_input *in, bool create, struct person *p,
                     struct gg_buf *fields, struct gg_error *err);
/* Inserts a household (validated; audited when `audit`: the import audits itself once)
 * inside the caller's write job. */
int app_household_insert(struct store *s, const struct actor *who,
                         const struct household_input *in, int64_t now, bool audit,
                         struct household *h, struct gg_error *err);
/* ---- issue 6: tables for bulk imports (sheet.c) ----
 * Calls fn for each non-blank row with its row number (1 = the first line) and its cells
 * (NUL-terminated, "" when empty, at most SHEET_MAX_COLS); fn's non-zero return stops the read
 * and is returned. A malformed file is -GG_EINVAL with err naming the row. */
#define SHEET_MAX_COLS 64
typedef int (*sheet_row_fn)(void *ctx, int64_t row, const char *const *cells, size_t n_cells);
int sheet_read_csv(const char *data, size_t len, sheet_row_fn fn, void *ctx, struct gg_error *err);
int sheet_read_xlsx(const void *data, size_t len, sheet_row_fn fn, void *ctx,
                    struct gg_error *err);
/* ---- issue 6 ----
 * The community an org path lies in (the node itself when it is one); -GG_ENOTFOUND above or
 * beside the community level (service.c). */
int app_community_of(struct app *a, struct store *s, const char *path, struct org *out);
/* app_service_ask without the role check: a grid officer asks on a resident's behalf from a
 * visit (visits.c). */
int app_service_ask_for(struct app *a, const struct actor *who, const struct service_ask_input *in,
                        int64_t now, struct service_view *out, struct gg_error *err);
/* (points.c), inside a write job:
 * Posts a ledger entry (amount > 0 earns, < 0 spends) and audits it as points.credit /
 * points.debit. A used source key is -GG_ECONFLICT; a balance that cannot pay -GG_EINVAL. */
int app_points_post(struct store *s, const struct actor *who, int64_t user_id, int64_t amount,
                    enum points_source source, const char *key, const char *reason, int64_t now,
                    struct points_entry *out);
/* The 啄木鸟 clue reward, called by events.c when an event write is done: a resident's or
 * member's own report (source app) that has just closed pays its reporter POINTS_CLUE_REWARD,
 * once (source key event_clue:<id>). Never fails the event write for a reward already paid. */
int app_points_event_closed(struct app *a, struct store *s, const struct event *before,
                            const struct event *after, int64_t now);

/* ---- issue 6: party organisation, key tasks ----
 * notify.c: inserts one in-app message (and its webhook outbox row when a webhook is set)
 * inside the caller's write job; fills m->id. */
int app_message_send(struct store *s, struct message *m);
/* people.c: the org filter of a list: the path of an org the caller can see (its subtree is
 * then intersected with the scope in SQL), "" for org_id 0; 404 otherwise. */
int app_org_filter_path(struct app *a, const struct actor *who, int64_t org_id, char *path,
                        struct gg_error *err);

/* ---- issue 6 item 8: the settings the rankings share with the workflows they read ----
 * tasks.c: the colour rule with the setting task.warn_days; party.c: the 三会一课 frequencies,
 * the setting party.meeting_months or the defaults. */
void app_task_color_rule(struct store *s, struct task_color_rule *r);
void app_meeting_intervals(struct store *s, int out[MEETING_KIND__COUNT]);

#endif
