/* sqlite_ckpt.c - WAL checkpoints off the writer's path.
 *
 * By default SQLite checkpoints inside the COMMIT that pushes the WAL past 1,000 pages: that
 * writer then copies the pages into the database file and syncs it before its caller gets the
 * answer. Under intake that was 11 % of the single writer's time. A connection that writes in
 * transactions (the first BEGIN IMMEDIATE) hands this to a checkpointer thread with its own
 * connection: the WAL hook only signals it, and it runs PASSIVE checkpoints (the same kind the
 * automatic one runs: it never blocks readers or the writer) while the writer goes on, once
 * the WAL holds half of CKPT_RESTART_PAGES frames: fewer, larger passes write each hot page
 * (the counters of a district, the tails of the indexes) once per pass instead of once every
 * 1,000 frames, and the disk's bandwidth is what intake runs out of first. */
#include "store/sqlite/sqlite_internal.h"

#include "base/log.h"
#include "base/time.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CKPT_PAGES 1000 /* SQLite's default automatic checkpoint threshold: the least allowed */
/* A PASSIVE checkpoint never waits, so under a steady stream of commits it never catches up
 * with the last frame, and only a checkpoint that did lets the next writer start the WAL over:
 * the log would grow without end (52 GB in a 1,000,000-event gen). Past this many frames the
 * writer itself runs a RESTART checkpoint before its next transaction (sqlite_ckpt_due). */
/* 512 MiB of 4 KiB pages (GRIDGOV_WAL_RESTART_PAGES): each pass then writes a hot leaf once
 * for eight times as many commits as with 64 MiB, and intake on a 1,000,000-event city went
 * from ~4,200 to ~5,400 events/s (docs/benchmarks.md); reads while the log is long pay for its
 * larger index (~15 %), and recovery after a crash reads up to this much log. */
#define CKPT_RESTART_PAGES 131072
#define RESTART_WAIT_MS 50                  /* for readers to leave the log */
#define RESTART_RETRY_NS 1000000000LL       /* after readers kept a RESTART from finishing */

struct sqlite_ckpt {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    /* held while a checkpoint runs: two at once make the second fail at once with
     * SQLITE_BUSY, without waiting in the busy handler */
    pthread_mutex_t run_mu;
    bool wanted, stopping;
    sqlite3 *db; /* the checkpointer's own connection */
    int restart_pages, ckpt_pages;
    /* the writer's own (on_wal runs on its thread, inside its COMMIT) */
    bool restart;        /* a RESTART checkpoint is due (sqlite_ckpt_due) */
    int next_pass;       /* the WAL size at which to start the next PASSIVE pass */
    int last_pages;      /* the WAL size at the previous commit: smaller now = started over */
    int64_t retry_at_ns; /* after a RESTART that readers kept from finishing */
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
        pthread_mutex_lock(&c->run_mu);
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        pthread_mutex_unlock(&c->run_mu);
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
    if (pages >= c->restart_pages && (int64_t)gg_time_mono_ns() >= c->retry_at_ns)
        c->restart = true; /* not here: inside a COMMIT whose log sync may be deferred */
    if (pages < c->last_pages) /* the log started over */
        c->next_pass = c->ckpt_pages;
    c->last_pages = pages;
    if (pages >= c->next_pass) { /* one pass per ckpt_pages new frames, not one per commit */
        c->next_pass = pages + c->ckpt_pages;
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
    const char *rp = getenv("GRIDGOV_WAL_RESTART_PAGES");
    c->restart_pages = rp && atoi(rp) >= CKPT_PAGES ? atoi(rp) : CKPT_RESTART_PAGES;
    c->ckpt_pages = c->restart_pages / 2;
    c->next_pass = c->ckpt_pages;
    /* a connection opens the WAL at its first read: before that, a checkpoint through it does
     * nothing at all (log and done -1), and the WAL of the writer would grow without end. Its
     * checkpoints sync the log before they copy it (the frames the writer's syncer has not
     * synced yet among them) only at a synchronous level above OFF: FULL, said outright. */
    sqlite3_stmt *st = NULL;
    bool wal = sqlite3_exec(c->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) == SQLITE_OK &&
               sqlite3_prepare_v2(c->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
               sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
               strcmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
    sqlite3_finalize(st);
    if (!wal) {
        sqlite3_close_v2(c->db);
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->run_mu, NULL);
    pthread_cond_init(&c->cond, NULL);
    if (pthread_create(&c->thread, NULL, ckpt_main, c)) {
        pthread_mutex_destroy(&c->mu);
        pthread_mutex_destroy(&c->run_mu);
        pthread_cond_destroy(&c->cond);
        sqlite3_close_v2(c->db);
        free(c);
        return NULL;
    }
    sqlite3_wal_hook(writer, on_wal, c); /* replaces the automatic checkpoint */
    return c;
}

void sqlite_ckpt_due(struct sqlite_ckpt *c, sqlite3 *writer)
{
    if (!c || !c->restart)
        return;
    if (pthread_mutex_trylock(&c->run_mu))
        return; /* a PASSIVE pass is running: the writer does not wait for it, it tries again */
    c->restart = false;
    int log = 0, done = 0;
    int64_t t0 = (int64_t)gg_time_mono_ns();
    /* RESTART waits in the busy handler until every reader has left the log: briefly only,
     * since a long reader (an export, a backup) would hold up every write */
    sqlite3_busy_timeout(writer, RESTART_WAIT_MS);
    int rc = sqlite3_wal_checkpoint_v2(writer, NULL, SQLITE_CHECKPOINT_RESTART, &log, &done);
    sqlite3_busy_timeout(writer, SQLITE_BUSY_MS);
    pthread_mutex_unlock(&c->run_mu);
    int64_t t1 = (int64_t)gg_time_mono_ns();
    if (rc != SQLITE_OK) { /* the WAL grows past the threshold meanwhile; tried again later */
        c->retry_at_ns = t1 + RESTART_RETRY_NS;
        gg_warn("wal restart checkpoint: %s (a reader still uses the log); again in 1 s",
                sqlite3_errmsg(writer));
    } else {
        gg_log(GG_LOG_DEBUG, "wal restart checkpoint frames=%d copied=%d ms=%.1f", log, done,
               (t1 - t0) / 1e6);
    }
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
    pthread_mutex_destroy(&c->run_mu);
    pthread_cond_destroy(&c->cond);
    free(c);
}
