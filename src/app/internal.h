/* internal.h - what the app/ files share: the app struct, the group-commit writer, the
 * per-thread read connections, the in-memory caches (catalog, departments, grid index). */
#ifndef GG_APP_INTERNAL_H
#define GG_APP_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "app/app.h"
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

struct org_name {
    int64_t id;
    char name[GG_NAME_SZ];
};

struct read_conn {
    struct store *s;
    struct read_conn *next;
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
    struct org_name *names; /* every org's name by id (ascending), for lists and timelines */
    size_t n_names;
    bool names_dirty;
    struct work_calendar cal;

    /* overdue sweep */
    pthread_t sweep_thread;
    bool sweep_started;
    bool sweep_stopping;
    pthread_mutex_t smu;
    pthread_cond_t scond;

    /* issue 4: the webhook outbox worker (notify.c), NULL when not running */
    struct notify_worker *notify;
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

void app_cache_invalidate_orgs(struct app *a);
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
int app_org_ancestors(struct store *s, const char *path, bool include_self, struct org **out,
                      size_t *n);

/* ---- issue 4 hooks (stats.c, notify.c), called by events.c inside the write job ----
 * Counters: adds facts(after) − facts(before) (before NULL for a new event) plus this write's
 * dispatch and return steps to every ancestor of the event's place. */
int app_stats_apply(struct store *s, const struct event *before, const struct event *after,
                    int n_dispatch, int n_return);
/* Everything an event write triggers besides itself: counters, one live-feed row, in-app
 * messages and their webhook outbox rows. `action` is what happened (REPORT for intake). */
int app_event_changed(struct app *a, struct store *s, const struct actor *who,
                      const struct event *before, const struct event *after,
                      enum event_action action, int64_t now);
/* The yellow warning (黄灯预警) of an event that has just turned yellow: a `yellow` message to
 * the users of its assignee (and the webhook), audited. Inside the write job. */
int app_notify_yellow(struct app *a, struct store *s, const struct event *e, int64_t now);
/* The sweep's colour pass: moves the marks of the events whose colour changed by `now` (and
 * their counters) in batches, sending yellow warnings. */
int app_stats_recolor(struct app *a, int64_t now, int *changed, int *warned,
                      struct gg_error *err);

#endif
