/* app.c - opening and closing the application, the group-commit writer, per-thread read
 * connections, caches, init and catalog import. Use cases live in their own files (auth.c,
 * orgs.c, events.c, attach.c, audit.c); this file holds only the plumbing they share. */
#include "app/internal.h"

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "base/utf8.h"
#include "core/password.h"

#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_GROUP 512 /* jobs committed together at most */
#define STATS_FOLD_MS 1000 /* the counter log is folded about once a second */

static atomic_uint_fast64_t next_generation = 1;
static __thread struct app *tl_writer_app;  /* set on the writer thread while it runs jobs */
static __thread uint64_t tl_read_gen;
static __thread struct store *tl_read_store;
static __thread bool tl_snap_wanted;       /* inside app_read_snapshot_begin/end */
static __thread struct store *tl_snap_store; /* the read connection holding the snapshot */

bool app_in_writer(void)
{
    return tl_writer_app != NULL;
}

/* ---- the writer ---- */

static void run_job(struct app *a, struct store *s, struct write_job *j)
{
    int rc = s->ops->savepoint(s);
    if (rc) {
        j->rc = gg_error_set(j->err, rc, NULL, "数据库繁忙，请稍后重试");
        return;
    }
    struct stat_mark mark = app_stats_mark(a);
    j->rc = j->fn(a, s, j->ctx, j->err);
    /* release can fail too: PostgreSQL answers a use case's pipelined statements there */
    if (!j->rc && (rc = s->ops->release(s)) != 0)
        j->rc = gg_error_set(j->err, -rc, NULL, "数据库写入失败，请稍后重试");
    if (j->rc) {
        s->ops->rollback_to(s);
        app_stats_undo(a, mark); /* its counter deltas go with it */
    }
}

/* Under wmu: tells the jobs of a group how it ended (rc: its commit or log sync). */
static void answer(struct write_job *batch, int rc)
{
    for (struct write_job *j = batch, *nx; j; j = nx) {
        nx = j->next;
        if (rc && j->rc == 0)
            j->rc = gg_error_set(j->err, GG_EUNAVAILABLE, NULL, "数据库写入失败，请稍后重试");
        j->done = true;
        pthread_cond_signal(&j->cond);
    }
}

/* One group commit: the jobs (none for the stop's last fold), the group's counters (stats.c),
 * COMMIT — its log's sync left to the syncer when `nosync` (*deferred says whether it was).
 * *commit_ns is the time of the COMMIT itself. */
static int commit_group(struct app *a, struct store *s, struct write_job *batch, bool nosync,
                        bool *deferred, int64_t *commit_ns)
{
    *deferred = false;
    *commit_ns = 0;
    int rc = s->ops->begin(s);
    if (rc)
        return rc;
    for (struct write_job *j = batch; j; j = j->next)
        run_job(a, s, j);
    int64_t now_ms = (int64_t)(gg_time_mono_ns() / 1000000);
    bool folded = false;
    rc = app_stats_group_end(a, s, now_ms, &folded);
    int64_t t0 = (int64_t)gg_time_mono_ns();
    if (rc == 0 && nosync)
        rc = s->ops->commit_nosync(s, deferred);
    else if (rc == 0)
        rc = s->ops->commit(s);
    *commit_ns = (int64_t)gg_time_mono_ns() - t0;
    if (rc)
        s->ops->rollback(s);
    else if (folded)
        app_stats_folded(a, now_ms);
    return rc;
}

static void *writer_main(void *arg)
{
    struct app *a = arg;
    struct store *s = a->writer;
    tl_writer_app = a;
    pthread_setname_np(pthread_self(), "gg-writer");
    pthread_mutex_lock(&a->wmu);
    for (;;) {
        while (!a->queue_head && !a->stopping)
            pthread_cond_wait(&a->wcond, &a->wmu);
        if (!a->queue_head && a->stopping)
            break;
        struct write_job *batch = a->queue_head;
        struct write_job *last = batch;
        int n = 1;
        while (last->next && n < MAX_GROUP) {
            last = last->next;
            n++;
        }
        a->queue_head = last->next;
        if (!a->queue_head)
            a->queue_tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&a->wmu);

        bool deferred = false; /* committed, the log's sync left to the syncer */
        int64_t commit_ns = 0;
        int rc = commit_group(a, s, batch, a->syncer_started, &deferred, &commit_ns);
        pthread_mutex_lock(&a->wmu);
        a->wstats.commits += rc == 0;
        a->wstats.jobs += rc == 0 ? n : 0;
        a->wstats.commit_ns += commit_ns;
        if (rc == 0 && deferred) { /* answered once the log is synced */
            a->wstats.deferred_jobs += n;
            if (a->sync_tail)
                a->sync_tail->next = batch;
            else
                a->sync_head = batch;
            a->sync_tail = last;
            pthread_cond_signal(&a->sycond);
        } else {
            answer(batch, rc);
        }
    }
    pthread_mutex_unlock(&a->wmu);
    if (a->stats_log_dirty) { /* a clean stop leaves no counter-log record behind */
        bool deferred;
        int64_t commit_ns;
        a->stats_fold_wanted = true;
        commit_group(a, s, NULL, false, &deferred, &commit_ns);
    }
    tl_writer_app = NULL;
    return NULL;
}

/* The syncer: while the writer runs the next group, makes the groups it committed durable
 * with one log sync for all that are waiting, then answers their jobs. A write is thus
 * answered only once durable, as with a synced COMMIT, but the writer never waits for the
 * disk; what it committed is visible to reads in the meantime. */
static void *syncer_main(void *arg)
{
    struct app *a = arg;
    pthread_setname_np(pthread_self(), "gg-syncer");
    pthread_mutex_lock(&a->wmu);
    for (;;) {
        while (!a->sync_head && !a->syncer_stopping)
            pthread_cond_wait(&a->sycond, &a->wmu);
        if (!a->sync_head)
            break;
        struct write_job *batch = a->sync_head;
        a->sync_head = a->sync_tail = NULL;
        pthread_mutex_unlock(&a->wmu);
        int64_t t0 = (int64_t)gg_time_mono_ns();
        int rc = a->writer->ops->log_sync(a->writer);
        int64_t t1 = (int64_t)gg_time_mono_ns();
        pthread_mutex_lock(&a->wmu);
        a->wstats.syncs++;
        a->wstats.sync_ns += t1 - t0;
        for (struct write_job *j = batch; j; j = j->next)
            a->wstats.synced_jobs++;
        answer(batch, rc);
    }
    pthread_mutex_unlock(&a->wmu);
    return NULL;
}

static void snapshot_close(void)
{
    if (tl_snap_store) {
        if (tl_snap_store->ops->read_end(tl_snap_store))
            gg_warn("read snapshot: could not close it");
        tl_snap_store = NULL;
    }
}

void app_read_snapshot_begin(struct app *a)
{
    (void)a;
    snapshot_close();
    tl_snap_wanted = true;
}

void app_read_snapshot_end(struct app *a)
{
    (void)a;
    tl_snap_wanted = false;
    snapshot_close();
}

int app_write(struct app *a, write_fn fn, void *ctx, struct gg_error *err)
{
    snapshot_close(); /* the reads after this write see it */
    if (tl_writer_app == a) {
        struct write_job j = {.fn = fn, .ctx = ctx, .err = err};
        run_job(a, a->writer, &j);
        return j.rc;
    }
    struct write_job j = {.fn = fn, .ctx = ctx, .err = err};
    pthread_cond_init(&j.cond, NULL);
    pthread_mutex_lock(&a->wmu);
    if (a->stopping) {
        pthread_mutex_unlock(&a->wmu);
        pthread_cond_destroy(&j.cond);
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "服务正在关闭");
    }
    if (a->queue_tail)
        a->queue_tail->next = &j;
    else
        a->queue_head = &j;
    a->queue_tail = &j;
    pthread_cond_signal(&a->wcond);
    while (!j.done)
        pthread_cond_wait(&j.cond, &a->wmu);
    pthread_mutex_unlock(&a->wmu);
    pthread_cond_destroy(&j.cond);
    return j.rc;
}

struct batch_ctx {
    int (*fn)(struct app *a, void *ctx);
    void *ctx;
};

static int batch_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    struct batch_ctx *b = ctx;
    int rc = b->fn(a, b->ctx);
    if (rc && err && !err->code)
        gg_error_set(err, rc, NULL, "批量写入失败");
    return rc;
}

void app_write_stats(struct app *a, struct app_write_stats *out)
{
    pthread_mutex_lock(&a->wmu);
    *out = a->wstats;
    pthread_mutex_unlock(&a->wmu);
}

int app_batch(struct app *a, int (*fn)(struct app *a, void *ctx), void *ctx, struct gg_error *err)
{
    struct batch_ctx b = {fn, ctx};
    return app_write(a, batch_job, &b, err);
}

/* ---- reads ---- */

static struct store *in_snapshot(struct store *s)
{
    if (tl_snap_wanted && !tl_snap_store && s->ops->read_begin(s) == 0)
        tl_snap_store = s;
    return s;
}

struct store *app_read_store(struct app *a)
{
    if (tl_read_gen == a->generation && tl_read_store)
        return in_snapshot(tl_read_store);
    struct store *s = NULL;
    struct gg_error err = {0};
    if (store_open(a->db, &s, &err)) {
        gg_errlog("read connection: %s", err.message);
        return NULL;
    }
    struct read_conn *rc = calloc(1, sizeof *rc);
    if (!rc) {
        store_close(s);
        return NULL;
    }
    rc->s = s;
    pthread_mutex_lock(&a->rmu);
    rc->next = a->readers;
    a->readers = rc;
    pthread_mutex_unlock(&a->rmu);
    tl_read_gen = a->generation;
    tl_read_store = s;
    return in_snapshot(s);
}

struct store *app_store_for_read(struct app *a)
{
    return tl_writer_app == a ? a->writer : app_read_store(a);
}

struct store *app_reader(struct app *a, struct gg_error *err)
{
    struct store *s = app_store_for_read(a);
    if (!s)
        gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    return s;
}

struct store *app_reader_as(struct app *a, const struct actor *who, struct store_scope *sc,
                            struct gg_error *err)
{
    app_scope_of(who, sc);
    return app_reader(a, err);
}

/* ---- caches ---- */

int app_cache_load_catalog(struct app *a, struct store *s)
{
    struct category *cats = NULL;
    size_t n = 0;
    int rc = s->ops->category_list(s, &cats, &n);
    if (rc)
        return rc;
    pthread_rwlock_wrlock(&a->cache_lock);
    free(a->cats);
    a->cats = cats;
    a->n_cats = n;
    pthread_rwlock_unlock(&a->cache_lock);
    return 0;
}

int app_cat_find(struct app *a, const char *code, struct category *out)
{
    int rc = -GG_ENOTFOUND;
    pthread_rwlock_rdlock(&a->cache_lock);
    for (size_t i = 0; i < a->n_cats; i++) {
        if (strcmp(a->cats[i].code, code) == 0) {
            *out = a->cats[i];
            rc = 0;
            break;
        }
    }
    pthread_rwlock_unlock(&a->cache_lock);
    return rc;
}

static int by_id(const void *x, const void *y)
{
    int64_t a = ((const struct org *)x)->id, b = ((const struct org *)y)->id;
    return a < b ? -1 : a > b;
}

static int load_orgs(struct app *a, struct store *s)
{
    struct org *v = NULL;
    size_t n = 0, cap = 0;
    struct org_filter f = {.kind = -1, .limit = 1000};
    for (;;) {
        struct org *items = NULL;
        size_t k = 0;
        int rc = s->ops->org_list(s, &f, &items, &k);
        if (rc) {
            free(v);
            return rc;
        }
        if (n + k > cap) {
            cap = (n + k) * 2;
            struct org *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                free(items);
                free(v);
                return -GG_ENOMEM;
            }
            v = nv;
        }
        memcpy(v + n, items, k * sizeof *items);
        n += k;
        f.after_id = k ? items[k - 1].id : 0;
        free(items);
        if (k < 1000)
            break;
    }
    free(a->orgs);
    a->orgs = v;
    a->n_orgs = n;
    a->orgs_dirty = false;
    return 0;
}

/* Looks `id` up in the org cache (reloading it first when dirty) and copies what `fn` wants
 * under the read lock. Returns false when the node is not cached. */
static bool org_cached(struct app *a, int64_t id, void (*fn)(const struct org *o, void *ctx),
                       void *ctx)
{
    pthread_rwlock_rdlock(&a->cache_lock);
    if (a->orgs_dirty) {
        pthread_rwlock_unlock(&a->cache_lock);
        pthread_rwlock_wrlock(&a->cache_lock);
        struct store *s = app_store_for_read(a);
        if (a->orgs_dirty && s && load_orgs(a, s) != 0)
            gg_warn("org cache: could not load");
    }
    struct org key = {.id = id};
    const struct org *hit = a->orgs ? bsearch(&key, a->orgs, a->n_orgs, sizeof key, by_id) : NULL;
    if (hit)
        fn(hit, ctx);
    pthread_rwlock_unlock(&a->cache_lock);
    return hit != NULL;
}

struct name_out {
    char *out;
    size_t sz;
};

static void copy_name(const struct org *o, void *ctx)
{
    struct name_out *n = ctx;
    gg_strlcpy(n->out, o->name, n->sz);
}

void app_org_name(struct app *a, int64_t id, char *out, size_t sz)
{
    out[0] = '\0';
    struct name_out n = {out, sz};
    if (id)
        org_cached(a, id, copy_name, &n);
}

static void copy_org(const struct org *o, void *ctx)
{
    *(struct org *)ctx = *o;
}

int app_org_cached(struct app *a, struct store *s, int64_t id, struct org *out)
{
    if (id > 0 && org_cached(a, id, copy_org, out))
        return 0;
    return s->ops->org_get(s, id, out);
}

void app_cache_invalidate_orgs(struct app *a)
{
    pthread_rwlock_wrlock(&a->cache_lock);
    a->index_dirty = true;
    a->depts_dirty = true;
    a->orgs_dirty = true;
    pthread_rwlock_unlock(&a->cache_lock);
}

struct index_build {
    struct geo_index *ix;
    int failed;
};

int app_geojson_to_shape(const char *text, struct geo_shape *out, struct gg_error *err);

static int add_grid(void *ctx, const struct org *g, const char *geojson)
{
    struct index_build *b = ctx;
    struct geo_shape shape = {0};
    if (app_geojson_to_shape(geojson, &shape, NULL)) {
        gg_warn("grid %lld has an unreadable boundary; skipped", (long long)g->id);
        return 0;
    }
    if (geo_index_add(b->ix, g->id, g->depth, &shape)) {
        geo_shape_release(&shape);
        b->failed = 1;
        return -GG_ENOMEM;
    }
    return 0;
}

static int rebuild_index(struct app *a, struct store *s)
{
    struct index_build b = {geo_index_new(), 0};
    if (!b.ix)
        return -GG_ENOMEM;
    int rc = s->ops->org_grids_each(s, add_grid, &b);
    if (!rc)
        rc = geo_index_build(b.ix);
    if (rc) {
        geo_index_free(b.ix);
        return rc;
    }
    geo_index_free(a->index);
    a->index = b.ix;
    a->index_dirty = false;
    return 0;
}

int64_t app_locate_id(struct app *a, struct store *s, double lat, double lon)
{
    pthread_rwlock_rdlock(&a->cache_lock);
    if (a->index_dirty || !a->index) {
        pthread_rwlock_unlock(&a->cache_lock);
        pthread_rwlock_wrlock(&a->cache_lock);
        if (a->index_dirty || !a->index)
            rebuild_index(a, s);
        pthread_rwlock_unlock(&a->cache_lock);
        pthread_rwlock_rdlock(&a->cache_lock);
    }
    int64_t id = a->index ? geo_index_locate(a->index, lat, lon) : 0;
    pthread_rwlock_unlock(&a->cache_lock);
    return id;
}

int app_departments(struct app *a, struct store *s, struct route_dept **out, size_t *n)
{
    pthread_rwlock_wrlock(&a->cache_lock);
    int rc = 0;
    if (a->depts_dirty) {
        struct org *orgs = NULL;
        size_t no = 0;
        rc = s->ops->org_departments(s, &orgs, &no);
        if (!rc) {
            struct route_dept *d = calloc(no ? no : 1, sizeof *d);
            if (!d) {
                rc = -GG_ENOMEM;
            } else {
                for (size_t i = 0; i < no; i++) {
                    d[i].id = orgs[i].id;
                    d[i].parent_id = orgs[i].parent_id;
                    d[i].parent_depth = orgs[i].depth - 1;
                    gg_strlcpy(d[i].department_kind, orgs[i].department_kind,
                               sizeof d[i].department_kind);
                }
                free(a->depts);
                a->depts = d;
                a->n_depts = no;
                a->depts_dirty = false;
            }
            free(orgs);
        }
    }
    if (!rc) {
        *out = malloc((a->n_depts ? a->n_depts : 1) * sizeof **out);
        if (!*out) {
            rc = -GG_ENOMEM;
        } else {
            memcpy(*out, a->depts, a->n_depts * sizeof **out);
            *n = a->n_depts;
        }
    }
    pthread_rwlock_unlock(&a->cache_lock);
    return rc;
}

/* ---- shared helpers ---- */

int app_audit(struct store *s, const struct actor *who, int64_t now, const char *action,
              const char *object_type, int64_t object_id, const char *detail)
{
    struct audit_entry e = {0};
    e.at = now;
    e.actor_id = who ? who->user_id : 0;
    gg_strlcpy(e.action, action, sizeof e.action);
    gg_strlcpy(e.object_type, object_type, sizeof e.object_type);
    e.object_id = object_id;
    gg_strlcpy(e.detail, detail ? detail : "", sizeof e.detail);
    return s->ops->audit_append(s, &e);
}

void app_scope_of(const struct actor *who, struct store_scope *out)
{
    memset(out, 0, sizeof *out);
    out->role = who->role;
    out->user_id = who->user_id;
    out->person_id = who->person_id;
    gg_strlcpy(out->path, who->scope_path, sizeof out->path);
}

int app_check_text(const char *s, size_t max_cp, const char *field, bool required,
                   struct gg_error *err)
{
    if (!s || !*s) {
        if (required)
            return gg_error_set(err, GG_EINVAL, field, "%s 不能为空", field);
        return 0;
    }
    size_t n = strlen(s);
    if (!gg_utf8_valid(s, n))
        return gg_error_set(err, GG_EMALFORMED, field, "%s 不是有效的 UTF-8 文本", field);
    if (gg_utf8_count(s, n) > max_cp)
        return gg_error_set(err, GG_EINVAL, field, "%s 超过 %zu 个字符", field, max_cp);
    return 0;
}

int app_org_ancestors(struct app *a, struct store *s, const char *path, bool include_self,
                      struct org **out, size_t *n)
{
    int64_t ids[32];
    size_t k = scope_path_ids(path, ids, 32);
    if (!include_self && k > 0)
        k--;
    *out = NULL;
    *n = 0;
    if (k == 0)
        return 0;
    struct org *v = calloc(k, sizeof *v);
    if (!v)
        return -GG_ENOMEM;
    for (size_t i = 0; i < k; i++) {
        int rc = app_org_cached(a, s, ids[i], &v[i]);
        if (rc) {
            free(v);
            return rc;
        }
    }
    *out = v;
    *n = k;
    return 0;
}

int app_ping(struct app *a)
{
    struct store *s = app_read_store(a);
    char *v = NULL;
    if (!s || s->ops->setting_get(s, "schema_version", &v) != 0)
        return -GG_EUNAVAILABLE;
    free(v);
    return 0;
}

int app_migrate(const char *db, int *from, int *to, struct gg_error *err)
{
    struct store *s = NULL;
    int rc = store_open(db, &s, err);
    if (rc)
        return rc;
    rc = s->ops->migrate(s, from, to, err);
    store_close(s);
    return rc;
}

const char *app_db_url(const struct app *a)
{
    return a->db;
}

const struct work_calendar *app_calendar(const struct app *a)
{
    return &a->cal;
}

int app_root_org(struct store *s, struct org *out)
{
    struct org_filter f = {.kind = -1, .limit = 1};
    struct org *items = NULL;
    size_t n = 0;
    int rc = s->ops->org_list(s, &f, &items, &n);
    if (rc == 0 && n == 0)
        rc = -GG_ENOTFOUND;
    if (rc == 0)
        *out = items[0];
    free(items);
    return rc;
}

void app_system_actor(struct app *a, struct actor *out)
{
    memset(out, 0, sizeof *out);
    out->user_id = 0;
    gg_strlcpy(out->username, "system", sizeof out->username);
    out->role = ROLE_ADMIN;
    struct org root;
    struct store *s = app_store_for_read(a);
    if (s && app_root_org(s, &root) == 0) {
        out->scope_org_id = root.id;
        gg_strlcpy(out->scope_path, root.path, sizeof out->scope_path);
    } else {
        gg_strlcpy(out->scope_path, "/", sizeof out->scope_path);
    }
}

/* ---- open / close ---- */

void app_sweep_start(struct app *a);
void app_sweep_stop(struct app *a);

int app_open(const struct app_config *cfg, struct app **out, struct gg_error *err)
{
    struct app *a = calloc(1, sizeof *a);
    if (!a)
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    a->cfg = *cfg;
    if (!a->cfg.read_conns)
        a->cfg.read_conns = 8;
    if (!a->cfg.token_ttl_secs)
        a->cfg.token_ttl_secs = 12 * 3600;
    if (!a->cfg.dup_radius_m)
        a->cfg.dup_radius_m = 50;
    if (!a->cfg.dup_window_hours)
        a->cfg.dup_window_hours = 72;
    if (!a->cfg.whistle_hours)
        a->cfg.whistle_hours = 2;
    if (!a->cfg.sweep_interval_secs)
        a->cfg.sweep_interval_secs = 60;
    gg_strlcpy(a->db, cfg->db ? cfg->db : "gridgov.db", sizeof a->db);
    bool is_pg = strncmp(a->db, "postgres", 8) == 0;
    const char *files_env = getenv("GRIDGOV_FILES");
    if (cfg->data_dir)
        gg_strlcpy(a->data_dir, cfg->data_dir, sizeof a->data_dir);
    else if (files_env && *files_env)
        gg_strlcpy(a->data_dir, files_env, sizeof a->data_dir);
    else if (is_pg) /* a URL is no place for files: they go beside the working directory */
        gg_strlcpy(a->data_dir, "gridgov.files", sizeof a->data_dir);
    else
        snprintf(a->data_dir, sizeof a->data_dir, "%s.files", a->db);
    a->cfg.db = a->db;
    a->cfg.data_dir = a->data_dir;
    int rc = 0;
    const char *kf = cfg->key_file ? cfg->key_file : getenv("GRIDGOV_KEY_FILE");
    if (kf && *kf)
        gg_strlcpy(a->key_file, kf, sizeof a->key_file);
    else if (snprintf(a->key_file, sizeof a->key_file, "%s.key",
                      /* not "<url>.key": beside the files folder, which every server shares */
                      is_pg ? a->data_dir : a->db) >= (int)sizeof a->key_file)
        a->key_file[0] = '\0'; /* too long a name: no key, as without a key file */
    a->cfg.key_file = a->key_file;
    a->generation = atomic_fetch_add(&next_generation, 1);
    pthread_mutex_init(&a->wmu, NULL);
    pthread_cond_init(&a->wcond, NULL);
    pthread_cond_init(&a->sycond, NULL);
    pthread_mutex_init(&a->rmu, NULL);
    pthread_rwlock_init(&a->cache_lock, NULL);
    pthread_mutex_init(&a->smu, NULL);
    pthread_cond_init(&a->scond, NULL);
    a->index_dirty = true;
    a->depts_dirty = true;
    a->orgs_dirty = true;
    calendar_init_default(&a->cal);
    /* sessions are re-read from the database at least every 5 s, so that a logout or a
     * disabled account on another server sharing the database takes effect within that time;
     * a logout on this server takes effect at once */
    a->sessions = gg_tcache_new(4096, sizeof(struct session), 5000);
    a->user_names = gg_tcache_new(4096, GG_NAME_SZ, 60000);
    if (!a->sessions || !a->user_names) {
        rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
        goto fail;
    }

    rc = store_open(a->db, &a->writer, err);
    if (rc)
        goto fail;
    rc = a->writer->ops->init_schema(a->writer, err);
    if (rc)
        goto fail;
    rc = app_cache_load_catalog(a, a->writer);
    if (rc) {
        gg_error_set(err, rc, NULL, "cannot read the catalog");
        goto fail;
    }
    rc = app_pii_load(a, err);
    if (rc)
        goto fail;
    /* with PostgreSQL the folder is made on the first upload (attach.c), so that commands
     * that never store a photo leave no folder behind */
    if ((!is_pg || cfg->data_dir) && mkdir(a->data_dir, 0750) && errno != EEXIST) {
        rc = gg_error_set(err, GG_EIO, NULL, "cannot create %s", a->data_dir);
        goto fail;
    }
    if (a->writer->ops->commit_nosync && a->writer->ops->log_sync) {
        if (pthread_create(&a->syncer_thread, NULL, syncer_main, a)) {
            rc = gg_error_set(err, GG_EINTERNAL, NULL, "cannot start the syncer thread");
            goto fail;
        }
        a->syncer_started = true;
    }
    /* the counter log's fold period (stats.c); records a previous run left fold first */
    const char *fold_env = getenv("GRIDGOV_STATS_FOLD_MS");
    a->stats_fold_ms = fold_env && *fold_env ? strtoll(fold_env, NULL, 10) : STATS_FOLD_MS;
    a->stats_log_dirty = true;
    if (pthread_create(&a->writer_thread, NULL, writer_main, a)) {
        rc = gg_error_set(err, GG_EINTERNAL, NULL, "cannot start the writer thread");
        goto fail;
    }
    a->writer_started = true;
    if (a->cfg.sweep)
        app_sweep_start(a);
    *out = a;
    return 0;
fail:
    app_close(a);
    return rc;
}

void app_close(struct app *a)
{
    if (!a)
        return;
    app_sweep_stop(a);
    if (a->writer_started) {
        pthread_mutex_lock(&a->wmu);
        a->stopping = true;
        pthread_cond_broadcast(&a->wcond);
        pthread_mutex_unlock(&a->wmu);
        pthread_join(a->writer_thread, NULL);
    }
    if (a->syncer_started) { /* after the writer: it answers the writer's last groups */
        pthread_mutex_lock(&a->wmu);
        a->syncer_stopping = true;
        pthread_cond_broadcast(&a->sycond);
        pthread_mutex_unlock(&a->wmu);
        pthread_join(a->syncer_thread, NULL);
    }
    store_close(a->writer);
    app_stats_pending_free(a);
    for (struct read_conn *r = a->readers, *nx; r; r = nx) {
        nx = r->next;
        store_close(r->s);
        free(r);
    }
    if (tl_read_gen == a->generation) {
        tl_read_gen = 0;
        tl_read_store = NULL;
        tl_snap_store = NULL;
    }
    geo_index_free(a->index);
    free(a->cats);
    free(a->depts);
    free(a->orgs);
    gg_tcache_free(a->sessions);
    gg_tcache_free(a->user_names);
    sodium_memzero(a->pii_seal_key, sizeof a->pii_seal_key);
    sodium_memzero(a->pii_blind_key, sizeof a->pii_blind_key);
    pthread_mutex_destroy(&a->wmu);
    pthread_cond_destroy(&a->wcond);
    pthread_cond_destroy(&a->sycond);
    pthread_mutex_destroy(&a->rmu);
    pthread_rwlock_destroy(&a->cache_lock);
    pthread_mutex_destroy(&a->smu);
    pthread_cond_destroy(&a->scond);
    free(a);
}
