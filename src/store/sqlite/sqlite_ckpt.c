/* sqlite_ckpt.c - WAL checkpoints off the writer's path.
 *
 * By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1,000 pages: that
 * writer then copies the pages into the database file and syncs it before its caller gets the
 * answer. Under intake that was 11 % of the single writer's time. A connection that writes in
 * transactions (the first BEGIN IMMEDIATE) hands this to a checkpointer thread with its own
 * connection: the WAL hook only signals it, and it runs PASSIVE checkpoints (the same kind the
 * automatic one runs: it never blocks readers or the writer) while the writer goes on. */
#include "store/sqlite/sqlite_internal.h"

#include "base/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CKPT_PAGES 1000 /* SQLite's default automatic checkpoint threshold */

struct sqlite_ckpt {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool wanted, stopping;
    sqlite3 *db; /* the checkpointer's own connection */
};

static void *ckpt_main(void *arg)
{
    struct sqlite_ckpt *c = arg;
    pthread_setname_np(pthread_self(), "gg-checkpoint");
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->wanted && !c->stopping)
            pthread_cond_wait(&c->cond, &c->mu);
        if (c->stopping)
            break;
        c->wanted = false;
        pthread_mutex_unlock(&c->mu);
        int log = 0, done = 0;
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            gg_warn("wal checkpoint failed msg=\"%s\"", sqlite3_errmsg(c->db));
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static int on_wal(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    struct sqlite_ckpt *c = ctx;
    if (pages >= CKPT_PAGES) {
        pthread_mutex_lock(&c->mu);
        c->wanted = true;
        pthread_cond_signal(&c->cond);
        pthread_mutex_unlock(&c->mu);
    }
    return SQLITE_OK;
}

struct sqlite_ckpt *sqlite_ckpt_start(sqlite3 *writer)
{
    const char *path = sqlite3_db_filename(writer, "main");
    if (!path || !*path) /* in-memory or temporary: nothing to checkpoint */
        return NULL;
    struct sqlite_ckpt *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close_v2(c->db);
        free(c);
        return NULL; /* the writer keeps SQLite's automatic checkpoints */
    }
    sqlite3_busy_timeout(c->db, 1000);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cond, NULL);
    if (pthread_create(&c->thread, NULL, ckpt_main, c)) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cond);
        sqlite3_close_v2(c->db);
        free(c);
        return NULL;
    }
    sqlite3_wal_hook(writer, on_wal, c); /* replaces the automatic checkpoint */
    return c;
}

void sqlite_ckpt_stop(struct sqlite_ckpt *c, sqlite3 *writer)
{
    if (!c)
        return;
    sqlite3_wal_hook(writer, NULL, NULL);
    pthread_mutex_lock(&c->mu);
    c->stopping = true;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    sqlite3_close_v2(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cond);
    free(c);
}
