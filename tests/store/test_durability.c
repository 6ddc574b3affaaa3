/* test_durability.c - what the SQLite backend promises about commits, with its WAL-gathering
 * VFS and its background checkpointer in place: a process killed at any moment (SIGKILL, no
 * cleanup) leaves a database that passes PRAGMA integrity_check, whose audit chain is intact,
 * and that holds every transaction whose COMMIT returned; also large transactions that spill
 * the page cache mid-way and read their own frames back, and a WAL that wraps around after
 * checkpoints. Each test runs twice: with COMMIT syncing the log, and as the server's writer
 * commits (commit_nosync, then log_sync before the transaction counts as acknowledged). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "store/store.h"
#include "store/sqlite/sqlite_db.h"

#define PER_TX 40

static void paths(char dir[64], char db[128])
{
    snprintf(dir, 64, "/tmp/gg_dur_XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(db, 128, "%s/t.db", dir);
}

static void cleanup(const char *dir, const char *db)
{
    char p[160];
    unlink(db);
    snprintf(p, sizeof p, "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db);
    unlink(p);
    rmdir(dir);
}

static bool deferred; /* commit as the server's writer does: commit_nosync + log_sync */

static int commit(struct store *s)
{
    if (!deferred)
        return s->ops->commit(s);
    bool was_deferred = false;
    int rc = s->ops->commit_nosync(s, &was_deferred);
    if (!rc && !was_deferred) /* the path under test was not taken */
        return -1;
    return rc ? rc : s->ops->log_sync(s);
}

static int append_tx(struct store *s, int64_t tx, size_t detail_len)
{
    if (s->ops->begin(s))
        return -1;
    for (int i = 0; i < PER_TX; i++) {
        struct audit_entry e = {0};
        e.at = tx;
        snprintf(e.action, sizeof e.action, "test.tx%lld", (long long)tx);
        snprintf(e.object_type, sizeof e.object_type, "row");
        e.object_id = tx * PER_TX + i;
        size_t n = detail_len < sizeof e.detail - 1 ? detail_len : sizeof e.detail - 1;
        memset(e.detail, 'a' + (int)(tx % 26), n);
        if (s->ops->audit_append(s, &e)) {
            s->ops->rollback(s);
            return -1;
        }
    }
    return commit(s);
}

static void check_integrity(const char *db)
{
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

/* A writer killed mid-flight: everything acknowledged survives, nothing is torn. */
static void test_kill_keeps_acknowledged(void **st)
{
    deferred = *st != NULL;
    for (int round = 0; round < 3; round++) {
        char dir[64], db[128];
        paths(dir, db);
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            struct store *s = NULL;
            struct gg_error err = {0};
            if (store_open(db, &s, &err) || s->ops->init_schema(s, &err))
                _exit(2);
            for (int64_t tx = 1;; tx++) {
                if (append_tx(s, tx, 300))
                    _exit(3);
                if (write(fds[1], &tx, sizeof tx) != sizeof tx) /* acknowledged */
                    _exit(4);
            }
        }
        close(fds[1]);
        /* kill once it has committed a few (more each round), while it writes the next */
        int64_t acked = 0, tx;
        while (acked < 5 + 20 * round && read(fds[0], &tx, sizeof tx) == sizeof tx)
            acked = tx;
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        assert_true(WIFSIGNALED(status)); /* it was still writing, not failed */
        while (read(fds[0], &tx, sizeof tx) == sizeof tx)
            acked = tx;
        close(fds[0]);
        assert_true(acked >= 5 + 20 * round);

        check_integrity(db);
        struct store *s = NULL;
        struct gg_error err = {0};
        assert_int_equal(store_open(db, &s, &err), 0);
        struct audit_verify_result r;
        assert_int_equal(s->ops->audit_verify(s, &r), 0);
        assert_int_equal(r.first_bad_id, 0);
        /* every acknowledged transaction is there, and at most the one in flight beyond */
        assert_true(r.checked >= acked * PER_TX);
        assert_true(r.checked <= (acked + 1) * PER_TX);
        assert_int_equal(r.checked % PER_TX, 0); /* whole transactions only */
        store_close(s);
        cleanup(dir, db);
    }
}

/* Transactions far larger than the page cache spill frames to the WAL before COMMIT and read
 * them back; many of them make the checkpointer run and the WAL start over. */
static void test_big_transactions_and_wraparound(void **st)
{
    deferred = *st != NULL;
    char dir[64], db[128];
    paths(dir, db);
    struct store *s = NULL;
    struct gg_error err = {0};
    assert_int_equal(store_open(db, &s, &err), 0);
    assert_int_equal(s->ops->init_schema(s, &err), 0);
    for (int64_t tx = 1; tx <= 60; tx++)
        assert_int_equal(append_tx(s, tx, GG_NOTE_SZ), 0);
    /* one huge transaction: 2,000 wide rows in one COMMIT */
    assert_int_equal(s->ops->begin(s), 0);
    for (int i = 0; i < 2000; i++) {
        struct audit_entry e = {0};
        snprintf(e.action, sizeof e.action, "test.big");
        snprintf(e.object_type, sizeof e.object_type, "row");
        e.object_id = i;
        memset(e.detail, 'z', sizeof e.detail - 1);
        assert_int_equal(s->ops->audit_append(s, &e), 0);
    }
    assert_int_equal(commit(s), 0);
    struct audit_verify_result r;
    assert_int_equal(s->ops->audit_verify(s, &r), 0);
    assert_int_equal(r.first_bad_id, 0);
    assert_int_equal(r.checked, 60 * PER_TX + 2000);
    store_close(s);
    check_integrity(db);
    /* reopened: the same */
    assert_int_equal(store_open(db, &s, &err), 0);
    assert_int_equal(s->ops->audit_verify(s, &r), 0);
    assert_int_equal(r.checked, 60 * PER_TX + 2000);
    store_close(s);
    cleanup(dir, db);
}

/* The WAL does not grow without end under a steady stream of commits: the checkpointer copies
 * frames into the database file while the writer goes on, and past GRIDGOV_WAL_RESTART_PAGES
 * frames the writer restarts the log (once, the checkpointer's connection did nothing at all
 * and a 1,000,000-event gen left a 52 GB WAL beside a database file of 0.5 MB). */
static void test_wal_bounded(void **st)
{
    deferred = *st != NULL;
    setenv("GRIDGOV_WAL_RESTART_PAGES", "2000", 1); /* 8 MiB */
    char dir[64], db[128], wal[160];
    paths(dir, db);
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct store *s = NULL;
    struct gg_error err = {0};
    assert_int_equal(store_open(db, &s, &err), 0);
    assert_int_equal(s->ops->init_schema(s, &err), 0);
    struct stat db0, w;
    assert_int_equal(stat(db, &db0), 0);
    long real0, def0, hdr0, real1, def1, hdr1;
    sqlite_vfs_wal_syncs(&real0, &def0, &hdr0);
    off_t wal_max = 0;
    const int64_t n_tx = 500; /* 500 x 40 rows of 2 KB: 40 MB of rows */
    for (int64_t tx = 1; tx <= n_tx; tx++) {
        assert_int_equal(append_tx(s, tx, GG_NOTE_SZ), 0);
        assert_int_equal(stat(wal, &w), 0);
        if (w.st_size > wal_max)
            wal_max = w.st_size;
    }
    struct stat db1;
    assert_int_equal(stat(db, &db1), 0);
    sqlite_vfs_wal_syncs(&real1, &def1, &hdr1);
    if (deferred) { /* the log started over several times (40 MB through a WAL under 24 MB):
                     * each new header synced at once, every other commit's sync deferred */
        assert_true(hdr1 - hdr0 >= 2);
        assert_true(def1 - def0 >= n_tx - (hdr1 - hdr0));
    } else {
        assert_int_equal(def1 - def0 + hdr1 - hdr0, 0);
    }
    if (wal_max > 24 << 20 || db1.st_size < db0.st_size + (20 << 20))
        fail_msg("WAL grew to %lld bytes; database file %lld -> %lld bytes", (long long)wal_max,
                 (long long)db0.st_size, (long long)db1.st_size);
    struct audit_verify_result r;
    assert_int_equal(s->ops->audit_verify(s, &r), 0);
    assert_int_equal(r.first_bad_id, 0);
    assert_int_equal(r.checked, n_tx * PER_TX);
    store_close(s);
    unsetenv("GRIDGOV_WAL_RESTART_PAGES");
    check_integrity(db);
    cleanup(dir, db);
}

/* A reader that keeps its snapshot (an export, a backup) pins the WAL: the writer's RESTART
 * cannot finish. Writes go on regardless (each RESTART waits 50 ms for readers, then is not
 * tried again for a second; it once waited 5 s after every commit), and once the reader has
 * gone the log starts over again. */
static void test_reader_pins_wal(void **st)
{
    deferred = *st != NULL;
    setenv("GRIDGOV_WAL_RESTART_PAGES", "1000", 1);
    char dir[64], db[128];
    paths(dir, db);
    struct store *s = NULL, *r = NULL;
    struct gg_error err = {0};
    assert_int_equal(store_open(db, &s, &err), 0);
    assert_int_equal(s->ops->init_schema(s, &err), 0);
    assert_int_equal(append_tx(s, 1, GG_NOTE_SZ), 0);
    assert_int_equal(store_open(db, &r, &err), 0);
    struct audit_verify_result v;
    assert_int_equal(r->ops->read_begin(r), 0);
    assert_int_equal(r->ops->audit_verify(r, &v), 0); /* holds its snapshot from here */
    int64_t tx = 2;
    for (; tx <= 200; tx++) /* ~30 times the threshold */
        assert_int_equal(append_tx(s, tx, GG_NOTE_SZ), 0);
    assert_int_equal(r->ops->read_end(r), 0);
    long real0, def0, hdr0, real1, def1, hdr1;
    sqlite_vfs_wal_syncs(&real0, &def0, &hdr0);
    sleep(1); /* past the retry pause */
    for (; tx <= 260; tx++)
        assert_int_equal(append_tx(s, tx, GG_NOTE_SZ), 0);
    sqlite_vfs_wal_syncs(&real1, &def1, &hdr1);
    if (deferred) /* started over: a new header, synced at once */
        assert_true(hdr1 - hdr0 >= 1);
    assert_int_equal(s->ops->audit_verify(s, &v), 0);
    assert_int_equal(v.first_bad_id, 0);
    assert_int_equal(v.checked, 260 * PER_TX);
    store_close(r);
    store_close(s);
    unsetenv("GRIDGOV_WAL_RESTART_PAGES");
    check_integrity(db);
    cleanup(dir, db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_keeps_acknowledged),
        cmocka_unit_test(test_big_transactions_and_wraparound),
        cmocka_unit_test_prestate(test_kill_keeps_acknowledged, (void *)"deferred"),
        cmocka_unit_test_prestate(test_big_transactions_and_wraparound, (void *)"deferred"),
        cmocka_unit_test(test_wal_bounded),
        cmocka_unit_test_prestate(test_wal_bounded, (void *)"deferred"),
        cmocka_unit_test(test_reader_pins_wal),
        cmocka_unit_test_prestate(test_reader_pins_wal, (void *)"deferred"),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
