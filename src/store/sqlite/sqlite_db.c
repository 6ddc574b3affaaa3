/* sqlite_db.c - the SQLite connection: open with the pragmas the server relies on, the
 * prepared-statement cache, error translation, transactions, the schema, settings and online
 * backup, and the ops table that ties the backend's files together.
 *
 * Not here: the domain operations themselves (sqlite_orgs.c, sqlite_users.c, sqlite_events.c,
 * sqlite_audit.c), and nothing that chooses a backend (store.c). */
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "base/log.h"
#include "core/indicators.h"
#include "core/scope.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* issue 4: the counter columns of stat_daily, named by core/indicators.h's metric ids */
#define STAT_COLUMN_SQL(n, id) ", " id " INTEGER NOT NULL DEFAULT 0"
#define STAT_COLUMNS_SQL GG_STAT_METRIC_MAP(STAT_COLUMN_SQL)

/* ---- helpers shared by the backend ---- */

int sqlite_db_error(struct store_sqlite *q, int rc, const char *what)
{
    int ext = q && q->db ? sqlite3_extended_errcode(q->db) : rc;
    const char *msg = q && q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
    int gg;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            gg = -GG_ECONFLICT;
        else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            gg = -GG_ENOTFOUND;
        else
            gg = -GG_EIO;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        gg = -GG_EUNAVAILABLE;
        break;
    case SQLITE_NOMEM:
        gg = -GG_ENOMEM;
        break;
    default:
        gg = -GG_EIO;
    }
    if (gg == -GG_ECONFLICT || gg == -GG_ENOTFOUND)
        gg_warn("sqlite constraint op=%s rc=%d msg=\"%s\"", what, ext, msg);
    else
        gg_errlog("sqlite error op=%s rc=%d msg=\"%s\"", what, ext, msg);
    return gg;
}

int sqlite_db_prepare(struct store_sqlite *q, const char *sql, sqlite3_stmt **out)
{
    int rc = sqlite3_prepare_v3(q->db, sql, -1, 0, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return sqlite_db_error(q, rc, "prepare");
    }
    return 0;
}

int sqlite_db_prepare_cached(struct store_sqlite *q, const char *sql, sqlite3_stmt **out)
{
    for (int i = 0; i < SQ_DYN_CACHE; i++)
        if (q->dyn[i] && strcmp(sqlite3_sql(q->dyn[i]), sql) == 0) {
            *out = q->dyn[i];
            return 0;
        }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return sqlite_db_error(q, rc, "prepare");
    }
    int slot = q->dyn_next++ % SQ_DYN_CACHE; /* the oldest goes */
    sqlite3_finalize(q->dyn[slot]);
    q->dyn[slot] = st;
    *out = st;
    return 0;
}

int sqlite_db_stmt(struct store_sqlite *q, enum sq_stmt id, const char *sql, sqlite3_stmt **out)
{
    if (!q->stmts[id]) {
        int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->stmts[id], NULL);
        if (rc != SQLITE_OK) {
            q->stmts[id] = NULL;
            return sqlite_db_error(q, rc, "prepare");
        }
    }
    *out = q->stmts[id];
    return 0;
}

void sqlite_db_done(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int sqlite_db_run(struct store_sqlite *q, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    int ret = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, what);
    sqlite_db_done(st);
    return ret;
}

void sqlite_db_col_text(sqlite3_stmt *st, int col, char *dst, size_t sz)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    gg_strlcpy(dst, t ? (const char *)t : "", sz);
}

void sqlite_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

void sqlite_db_bind_subtree(sqlite3_stmt *st, int i, const char *path, char *upper)
{
    scope_upper_bound(path, upper, GG_PATH_SZ);
    sqlite_db_bind_text(st, i, path);
    sqlite_db_bind_text(st, i + 1, upper);
}

int sqlite_db_int64(struct store_sqlite *q, sqlite3_stmt *st, int64_t *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_db_grow(void **items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, ncap * elem);
    if (!p)
        return -GG_ENOMEM;
    *items = p;
    *cap = ncap;
    return 0;
}

int sqlite_db_collect(struct store_sqlite *q, sqlite3_stmt *st, size_t elem,
                      void (*read)(sqlite3_stmt *st, void *row, void *ctx), void *ctx, void **items,
                      size_t *n, const char *what)
{
    char *arr = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite_db_grow((void **)&arr, &cap, cnt, elem)) {
            rc = -GG_ENOMEM;
            goto out_free;
        }
        read(st, arr + cnt * elem, ctx);
        cnt++;
    }
    if (rc != SQLITE_DONE) {
        rc = sqlite_db_error(q, rc, what);
        goto out_free;
    }
    sqlite_db_done(st);
    *items = arr;
    *n = cnt;
    return 0;
out_free:
    sqlite_db_done(st);
    free(arr);
    return rc;
}

int sqlite_db_limit(int limit, int def, int max)
{
    if (limit <= 0)
        return def;
    return limit > max ? max : limit;
}

/* ---- transactions ---- */

static int simple(struct store *s, enum sq_stmt id, const char *sql)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, id, sql, &st);
    if (rc)
        return rc;
    return sqlite_db_run(q, st, sql);
}

static int tx_begin(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    if (!q->ckpt_tried) {
        q->ckpt_tried = true;
        q->ckpt = sqlite_ckpt_start(q->db);
    }
    sqlite_ckpt_due(q->ckpt, q->db);
    return simple(s, SQ_BEGIN, "BEGIN IMMEDIATE");
}

static int tx_commit(struct store *s)
{
    return simple(s, SQ_COMMIT, "COMMIT");
}

/* The WAL file of the writer's database, for log_sync: "<file>-wal", which exists while the
 * writer's connection is open (SQLite deletes it only when the last connection closes). The
 * folder is synced once, so that the log's name is as durable as its content. */
static int wal_open(struct store_sqlite *q)
{
    const char *path = sqlite3_db_filename(q->db, "main");
    char wal[4096], dir[4096];
    if (!path || !*path || snprintf(wal, sizeof wal, "%s-wal", path) >= (int)sizeof wal)
        return -1;
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    gg_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (!slash)
        gg_strlcpy(dir, ".", sizeof dir);
    else
        slash[slash == dir ? 1 : 0] = '\0'; /* "/x.db" is in "/" */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd)) {
        if (dfd >= 0)
            close(dfd);
        close(fd);
        return -1;
    }
    close(dfd);
    return fd;
}

/* Deferred only with the checkpointer running: SQLite's own checkpoint would run inside this
 * COMMIT and copy frames not yet synced into the database file. */
static int tx_commit_nosync(struct store *s, bool *deferred)
{
    struct store_sqlite *q = sq_of(s);
    *deferred = false;
    if (atomic_load(&q->wal_fd) < 0 && q->ckpt && !q->wal_tried && sqlite_vfs_name()) {
        q->wal_tried = true;
        const char *off = getenv("GRIDGOV_SQLITE_SYNC_IN_COMMIT"); /* A/B benchmarks */
        if (!off || *off != '1')
            atomic_store(&q->wal_fd, wal_open(q));
    }
    if (atomic_load(&q->wal_fd) < 0)
        return tx_commit(s);
    sqlite_vfs_defer_syncs(true);
    int rc = tx_commit(s);
    sqlite_vfs_defer_syncs(false);
    *deferred = rc == 0;
    return rc;
}

static int log_sync(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    int fd = atomic_load(&q->wal_fd);
    if (fd < 0)
        return 0; /* every commit synced itself */
    int r;
    while ((r = fdatasync(fd)) != 0 && errno == EINTR)
        ;
    if (r) { /* the kernel may have dropped the pages and marked them clean: a later sync
              * would succeed over a hole, and a checkpoint would copy it into the database.
              * Only a restart (recovery reads the log back from the disk) is safe. */
        gg_errlog("sqlite: syncing the write-ahead log failed (%s); stopping", strerror(errno));
        abort();
    }
    return 0;
}

static int tx_rollback(struct store *s)
{
    return simple(s, SQ_ROLLBACK, "ROLLBACK");
}

static int read_begin(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    if (!sqlite3_get_autocommit(q->db)) /* a snapshot left open: never read from a stale one */
        (void)simple(s, SQ_READ_END, "COMMIT");
    return simple(s, SQ_READ_BEGIN, "BEGIN");
}

static int read_end(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    if (sqlite3_get_autocommit(q->db))
        return 0;
    int rc = simple(s, SQ_READ_END, "COMMIT");
    if (rc) { /* a statement still stepping holds the snapshot: reset them all, then close it */
        for (sqlite3_stmt *st = sqlite3_next_stmt(q->db, NULL); st; st = sqlite3_next_stmt(q->db, st))
            sqlite3_reset(st);
        rc = simple(s, SQ_READ_END, "COMMIT");
    }
    return rc;
}

static int tx_savepoint(struct store *s)
{
    return simple(s, SQ_SAVEPOINT, "SAVEPOINT sp");
}

static int tx_release(struct store *s)
{
    return simple(s, SQ_RELEASE, "RELEASE sp");
}

static int tx_rollback_to(struct store *s)
{
    int rc = simple(s, SQ_ROLLBACK_TO, "ROLLBACK TO sp");
    if (rc)
        return rc;
    return simple(s, SQ_RELEASE, "RELEASE sp");
}

/* ---- schema ---- */

/* Every row that belongs to a place carries district_id (orgs, events) so that the schema can
 * later be sharded by district. Enums are stored as their integer values. */
static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS settings ("
    " key TEXT PRIMARY KEY, value TEXT NOT NULL);"

    "CREATE TABLE IF NOT EXISTS orgs ("
    " id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL,"
    " code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, path TEXT NOT NULL, depth INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, households INTEGER NOT NULL DEFAULT 0,"
    " department_kind TEXT NOT NULL DEFAULT '', boundary TEXT,"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS orgs_path ON orgs(path);"
    "CREATE INDEX IF NOT EXISTS orgs_parent ON orgs(parent_id);"
    "CREATE INDEX IF NOT EXISTS orgs_kind ON orgs(kind);"

    "CREATE TABLE IF NOT EXISTS categories ("
    " code TEXT PRIMARY KEY, parent_code TEXT NOT NULL DEFAULT '', name TEXT NOT NULL,"
    " kind INTEGER NOT NULL, list INTEGER NOT NULL, handler_level INTEGER NOT NULL,"
    " department_kind TEXT NOT NULL DEFAULT '', accept_hours INTEGER NOT NULL,"
    " handle_hours INTEGER NOT NULL, clock INTEGER NOT NULL, guidance TEXT NOT NULL DEFAULT '',"
    " review_on INTEGER NOT NULL DEFAULT 0);"

    "CREATE TABLE IF NOT EXISTS users ("
    " id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, pw_hash TEXT NOT NULL DEFAULT '',"
    " role INTEGER NOT NULL, scope_org_id INTEGER NOT NULL DEFAULT 0,"
    " scope_path TEXT NOT NULL DEFAULT '', person_id INTEGER NOT NULL DEFAULT 0,"
    " display_name TEXT NOT NULL DEFAULT '', disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS users_scope ON users(scope_path);"

    "CREATE TABLE IF NOT EXISTS login_failures (username TEXT NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS login_failures_user ON login_failures(username, at);"

    "CREATE TABLE IF NOT EXISTS tokens ("
    " hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " expires_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tokens_user ON tokens(user_id);"

    "CREATE TABLE IF NOT EXISTS events ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, status INTEGER NOT NULL,"
    " suspended INTEGER NOT NULL DEFAULT 0, source INTEGER NOT NULL,"
    " category_code TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " address TEXT NOT NULL DEFAULT '', lat REAL NOT NULL DEFAULT 0, lon REAL NOT NULL DEFAULT 0,"
    " grid_id INTEGER NOT NULL DEFAULT 0, org_path TEXT NOT NULL DEFAULT '',"
    " district_id INTEGER NOT NULL DEFAULT 0, assignee_org_id INTEGER NOT NULL DEFAULT 0,"
    " assignee_path TEXT NOT NULL DEFAULT '', level INTEGER NOT NULL DEFAULT 0,"
    " reporter_id INTEGER NOT NULL DEFAULT 0, device_id TEXT NOT NULL DEFAULT '',"
    " reported_at INTEGER NOT NULL DEFAULT 0, registered_at INTEGER NOT NULL DEFAULT 0,"
    " dispatched_at INTEGER NOT NULL DEFAULT 0, signed_at INTEGER NOT NULL DEFAULT 0,"
    " handled_at INTEGER NOT NULL DEFAULT 0, closed_at INTEGER NOT NULL DEFAULT 0,"
    " accept_due_at INTEGER NOT NULL DEFAULT 0, handle_due_at INTEGER NOT NULL DEFAULT 0,"
    " yellow_at INTEGER NOT NULL DEFAULT 0, suspended_at INTEGER NOT NULL DEFAULT 0,"
    " suspended_secs INTEGER NOT NULL DEFAULT 0, extension_hours INTEGER NOT NULL DEFAULT 0,"
    " extension_count INTEGER NOT NULL DEFAULT 0, rework_count INTEGER NOT NULL DEFAULT 0,"
    " escalation_count INTEGER NOT NULL DEFAULT 0, supervise_count INTEGER NOT NULL DEFAULT 0,"
    " closing_level INTEGER NOT NULL DEFAULT 0, rating INTEGER NOT NULL DEFAULT 0,"
    " rating_comment TEXT NOT NULL DEFAULT '', merged_into INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER NOT NULL DEFAULT 0, escalate_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS events_escalate ON events(escalate_at) WHERE status IN (1, 2, 3);"
    "CREATE INDEX IF NOT EXISTS events_org_path ON events(org_path);"
    "CREATE INDEX IF NOT EXISTS events_assignee_path ON events(assignee_path);"
    "CREATE INDEX IF NOT EXISTS events_status ON events(status);"
    "CREATE INDEX IF NOT EXISTS events_category ON events(category_code, reported_at);"
    "CREATE INDEX IF NOT EXISTS events_reporter ON events(reporter_id);"
    "CREATE INDEX IF NOT EXISTS events_reported_at ON events(reported_at);"
    "CREATE INDEX IF NOT EXISTS events_district ON events(district_id);"

    "CREATE TABLE IF NOT EXISTS timeline ("
    " event_id INTEGER NOT NULL REFERENCES events(id), seq INTEGER NOT NULL,"
    " action INTEGER NOT NULL, actor_id INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL,"
    " from_status INTEGER NOT NULL, to_status INTEGER NOT NULL,"
    " org_id INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY (event_id, seq));"

    "CREATE TABLE IF NOT EXISTS whistles ("
    " event_id INTEGER NOT NULL REFERENCES events(id), dept_org_id INTEGER NOT NULL,"
    " dept_path TEXT NOT NULL, due_at INTEGER NOT NULL DEFAULT 0,"
    " reported_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (event_id, dept_org_id));"
    "CREATE INDEX IF NOT EXISTS whistles_dept_path ON whistles(dept_path);"

    "CREATE TABLE IF NOT EXISTS attachments ("
    " id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
    " content_type TEXT NOT NULL DEFAULT '', uploader_id INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0);"

    "CREATE UNIQUE INDEX IF NOT EXISTS attachments_sha_uploader ON attachments(sha256, "
    "uploader_id);"
    "CREATE TABLE IF NOT EXISTS event_attachments ("
    " event_id INTEGER NOT NULL REFERENCES events(id),"
    " attachment_id INTEGER NOT NULL REFERENCES attachments(id),"
    " PRIMARY KEY (event_id, attachment_id));"
    "CREATE INDEX IF NOT EXISTS event_attachments_att ON event_attachments(attachment_id);"

    "CREATE TABLE IF NOT EXISTS audit ("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor_id INTEGER NOT NULL DEFAULT 0,"
    " action TEXT NOT NULL, object_type TEXT NOT NULL, object_id INTEGER NOT NULL DEFAULT 0,"
    " detail TEXT NOT NULL DEFAULT '', prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_object ON audit(object_type, object_id);"

    /* issue 4: analysis counters kept in each event write's transaction (app/stats.c): one
     * row per (ancestor org, UTC day, metric of core/indicators.h) and per category */
    "CREATE TABLE IF NOT EXISTS stat_daily ("
    " org_id INTEGER NOT NULL, day INTEGER NOT NULL" STAT_COLUMNS_SQL ","
    " PRIMARY KEY (org_id, day)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS stat_cat ("
    " org_id INTEGER NOT NULL, day INTEGER NOT NULL, category TEXT NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (org_id, day, category)) WITHOUT ROWID;"
    /* colours of open events move with time: counted at query time from this index */
    "CREATE INDEX IF NOT EXISTS events_open_color ON events(org_path, reported_at, yellow_at,"
    " handle_due_at) WHERE status < 4 AND suspended = 0;"
    "CREATE INDEX IF NOT EXISTS events_open_due ON events(handle_due_at)"
    " WHERE status IN (1, 2, 3) AND suspended = 0;"
    /* the live feed: one row per state change; its id is the SSE event id (rows are never
     * deleted, so INTEGER PRIMARY KEY ids only grow) */
    "CREATE TABLE IF NOT EXISTS feed ("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, event_id INTEGER NOT NULL,"
    " action INTEGER NOT NULL, from_status INTEGER NOT NULL, to_status INTEGER NOT NULL,"
    " actor_id INTEGER NOT NULL DEFAULT 0, reporter_id INTEGER NOT NULL DEFAULT 0,"
    " grid_id INTEGER NOT NULL DEFAULT 0, assignee_org_id INTEGER NOT NULL DEFAULT 0,"
    " org_path TEXT NOT NULL DEFAULT '', assignee_path TEXT NOT NULL DEFAULT '',"
    " category TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS messages ("
    " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, at INTEGER NOT NULL,"
    " kind TEXT NOT NULL, event_id INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL,"
    " body TEXT NOT NULL DEFAULT '', read_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS messages_user ON messages(user_id, id);"
    /* the webhook outbox: delivered_at 0 = pending, > 0 delivered, < 0 given up */
    "CREATE TABLE IF NOT EXISTS outbox ("
    " id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, payload TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0,"
    " delivered_at INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(next_at) WHERE delivered_at = 0;";

/* issue 3: the schema as forward-only migration steps. Step 1 is the schema above; each later
 * step is applied by `gridgov migrate` in its own transaction and recorded in
 * schema_migrations and in the settings key 'schema_version'. */
static const char step2_sql[] =
    "CREATE INDEX IF NOT EXISTS events_district_time ON events(district_id, reported_at);";

/* step 3: the write-path indexes of the intake work, and the participation tables of issue 6 */
static const char step3_sql[] =
    /* write-path indexes (issue 2): the duplicate search reads open events of a category in a
     * band of latitude; the sweep only what it may still escalate; nothing read events by
     * district alone or by (category, reported_at) */
    "CREATE INDEX IF NOT EXISTS events_open_near ON events(category_code, lat)"
    " WHERE status NOT IN (5, 6, 7);"
    "DROP INDEX IF EXISTS events_district;"
    "DROP INDEX IF EXISTS events_category;"
    "DROP INDEX IF EXISTS events_escalate;"
    "CREATE INDEX IF NOT EXISTS events_escalate_open ON events(escalate_at)"
    " WHERE status IN (1, 2, 3) AND suspended = 0 AND level < 3;"

    /* issue 6: the population registry (人、户、房). Id and phone numbers are stored sealed
     * (nonce + MAC + ciphertext) with a keyed hash beside them for exact lookups; lists read
     * along (org_path, id) so that a scope is an index range */
    "CREATE TABLE IF NOT EXISTS people ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, household_id INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL,"
    " gender INTEGER NOT NULL DEFAULT 0, birth_days INTEGER, id_sealed BLOB, id_blind BLOB,"
    " phone_sealed BLOB, phone_blind BLOB, tags INTEGER NOT NULL DEFAULT 0,"
    " party_member INTEGER NOT NULL DEFAULT 0, party_branch TEXT NOT NULL DEFAULT '',"
    " volunteer INTEGER NOT NULL DEFAULT 0, relation TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS people_org_path ON people(org_path, id);"
    "CREATE UNIQUE INDEX IF NOT EXISTS people_id_blind ON people(id_blind)"
    " WHERE id_blind IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS people_phone_blind ON people(phone_blind)"
    " WHERE phone_blind IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS people_household ON people(household_id);"
    "CREATE TABLE IF NOT EXISTS households ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, code TEXT NOT NULL UNIQUE, address TEXT NOT NULL DEFAULT '',"
    " building TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT '',"
    " room TEXT NOT NULL DEFAULT '', color INTEGER NOT NULL DEFAULT 0,"
    " house_id INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS households_org_path ON households(org_path, id);"
    "CREATE INDEX IF NOT EXISTS households_house ON households(house_id);"
    "CREATE TABLE IF NOT EXISTS houses ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, address TEXT NOT NULL DEFAULT '',"
    " building TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT '',"
    " room TEXT NOT NULL DEFAULT '', use INTEGER NOT NULL DEFAULT 0,"
    " occupancy INTEGER NOT NULL DEFAULT 0, area REAL NOT NULL DEFAULT 0,"
    " owner_person_id INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS houses_org_path ON houses(org_path, id);"
    /* issue 6: service orders (点单—下单—接单—评单), the points ledger and store (积分超市) */
    "CREATE TABLE IF NOT EXISTS service_orders ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, status INTEGER NOT NULL,"
    " category_code TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " address TEXT NOT NULL DEFAULT '', community_id INTEGER NOT NULL,"
    " community_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " asker_id INTEGER NOT NULL, publisher_id INTEGER NOT NULL DEFAULT 0,"
    " claimer_id INTEGER NOT NULL DEFAULT 0, reviewer_id INTEGER NOT NULL DEFAULT 0,"
    " reward INTEGER NOT NULL DEFAULT 0 CHECK (reward >= 0),"
    " deadline_at INTEGER NOT NULL DEFAULT 0, asked_at INTEGER NOT NULL DEFAULT 0,"
    " published_at INTEGER NOT NULL DEFAULT 0, claimed_at INTEGER NOT NULL DEFAULT 0,"
    " completed_at INTEGER NOT NULL DEFAULT 0, rated_at INTEGER NOT NULL DEFAULT 0,"
    " reviewed_at INTEGER NOT NULL DEFAULT 0, closed_at INTEGER NOT NULL DEFAULT 0,"
    " rating INTEGER NOT NULL DEFAULT 0, rating_comment TEXT NOT NULL DEFAULT '',"
    " review_rating INTEGER NOT NULL DEFAULT 0, review_comment TEXT NOT NULL DEFAULT '',"
    " completion_note TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS service_orders_path ON service_orders(community_path);"
    "CREATE INDEX IF NOT EXISTS service_orders_asker ON service_orders(asker_id);"
    "CREATE INDEX IF NOT EXISTS service_orders_claimer ON service_orders(claimer_id);"
    "CREATE TABLE IF NOT EXISTS service_order_attachments ("
    " order_id INTEGER NOT NULL REFERENCES service_orders(id),"
    " attachment_id INTEGER NOT NULL REFERENCES attachments(id),"
    " PRIMARY KEY (order_id, attachment_id));"
    /* one row per deed: the UNIQUE source_key is what makes a deed pay once */
    "CREATE TABLE IF NOT EXISTS points_ledger ("
    " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, amount INTEGER NOT NULL,"
    " source INTEGER NOT NULL, source_key TEXT NOT NULL UNIQUE, reason TEXT NOT NULL DEFAULT '',"
    " balance_after INTEGER NOT NULL, at INTEGER NOT NULL, actor_id INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS points_ledger_user ON points_ledger(user_id, id);"
    "CREATE TABLE IF NOT EXISTS points_accounts ("
    " user_id INTEGER PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),"
    " earned INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS store_items ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, community_id INTEGER NOT NULL,"
    " community_path TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
    " price INTEGER NOT NULL CHECK (price > 0), stock INTEGER NOT NULL CHECK (stock >= 0),"
    " active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS store_items_path ON store_items(community_path);"
    "CREATE TABLE IF NOT EXISTS redemptions ("
    " id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES store_items(id),"
    " user_id INTEGER NOT NULL, community_id INTEGER NOT NULL, community_path TEXT NOT NULL,"
    " quantity INTEGER NOT NULL, points INTEGER NOT NULL, at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS redemptions_user ON redemptions(user_id, id);"
    "CREATE INDEX IF NOT EXISTS redemptions_path ON redemptions(community_path);"
    /* home visits (走访, 六必访): subjects are registry ids, tags a bit set (core/visit.h) */
    "CREATE TABLE IF NOT EXISTS visits ("
    " id INTEGER PRIMARY KEY, grid_id INTEGER NOT NULL, grid_path TEXT NOT NULL,"
    " officer_id INTEGER NOT NULL, person_id INTEGER NOT NULL DEFAULT 0,"
    " household_id INTEGER NOT NULL DEFAULT 0, subject_name TEXT NOT NULL DEFAULT '',"
    " tags INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL, findings TEXT NOT NULL DEFAULT '',"
    " event_id INTEGER NOT NULL DEFAULT 0, order_id INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS visits_path ON visits(grid_path);"
    "CREATE INDEX IF NOT EXISTS visits_subject ON visits(person_id, household_id, at);"

    /* issue 6: deliberation and disclosure (议事协商, 公开栏). Topics and disclosures belong to a
     * place (org_path, district_id); the per-user rows (supports, votes, ratings, attendees)
     * have (topic, user) as primary key, so that one user counts once whatever the
     * interleaving; each child row repeats its topic's district_id (sharding by district) */
    "CREATE TABLE IF NOT EXISTS topics ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL,"
    " title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '', proposer_id INTEGER NOT NULL,"
    " threshold INTEGER NOT NULL, supports INTEGER NOT NULL DEFAULT 0,"
    " n_attendees INTEGER NOT NULL DEFAULT 0, votes_for INTEGER NOT NULL DEFAULT 0,"
    " votes_against INTEGER NOT NULL DEFAULT 0, votes_abstain INTEGER NOT NULL DEFAULT 0,"
    " ratings INTEGER NOT NULL DEFAULT 0, rating_sum INTEGER NOT NULL DEFAULT 0,"
    " meeting_place TEXT NOT NULL DEFAULT '', meeting_at INTEGER NOT NULL DEFAULT 0,"
    " minutes TEXT, published_at INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS topics_org_path ON topics(org_path, id);"
    "CREATE TABLE IF NOT EXISTS topic_supports ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id), user_id INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL,"
    " PRIMARY KEY (topic_id, user_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS topic_attendees ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id), user_id INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (topic_id, user_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS topic_votes ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id), user_id INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, choice INTEGER NOT NULL, at INTEGER NOT NULL,"
    " PRIMARY KEY (topic_id, user_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS topic_ratings ("
    " topic_id INTEGER NOT NULL REFERENCES topics(id), user_id INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, stars INTEGER NOT NULL,"
    " comment TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL,"
    " PRIMARY KEY (topic_id, user_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS topic_notes ("
    " id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL REFERENCES topics(id),"
    " district_id INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL, actor_id INTEGER NOT NULL,"
    " action INTEGER NOT NULL, from_status INTEGER NOT NULL, to_status INTEGER NOT NULL,"
    " note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS topic_notes_topic ON topic_notes(topic_id, id);"
    "CREATE TABLE IF NOT EXISTS disclosures ("
    " id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, org_path TEXT NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL, title TEXT NOT NULL,"
    " body TEXT NOT NULL DEFAULT '', period TEXT NOT NULL, total_fen INTEGER NOT NULL,"
    " n_items INTEGER NOT NULL, author_id INTEGER NOT NULL, published_at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS disclosures_org_path ON disclosures(org_path, id);"
    "CREATE TABLE IF NOT EXISTS disclosure_items ("
    " disclosure_id INTEGER NOT NULL REFERENCES disclosures(id), seq INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, label TEXT NOT NULL, amount_fen INTEGER NOT NULL,"
    " PRIMARY KEY (disclosure_id, seq)) WITHOUT ROWID;";

/* step 4: party organisation and key tasks (issue 6) */
static const char step4_sql[] =
    /* issue 6: party organisation (党组织, 党员, 双报到, 三级包保, 三会一课) and key tasks
     * (重点任务). Rows are placed by the org node they belong to (org_path, district_id);
     * party orgs also form their own tree (party_path) */
    "CREATE TABLE IF NOT EXISTS party_orgs ("
    " id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL,"
    " name TEXT NOT NULL, party_path TEXT NOT NULL DEFAULT '', org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " secretary_user_id INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS party_orgs_org_path ON party_orgs(org_path);"
    "CREATE INDEX IF NOT EXISTS party_orgs_party_path ON party_orgs(party_path);"
    "CREATE TABLE IF NOT EXISTS party_members ("
    " id INTEGER PRIMARY KEY, party_org_id INTEGER NOT NULL, party_path TEXT NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL,"
    " name TEXT NOT NULL, user_id INTEGER NOT NULL DEFAULT 0,"
    " person_id INTEGER NOT NULL DEFAULT 0, joined_days INTEGER,"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE UNIQUE INDEX IF NOT EXISTS party_members_user ON party_members(user_id)"
    " WHERE user_id > 0;"
    "CREATE UNIQUE INDEX IF NOT EXISTS party_members_person ON party_members(person_id)"
    " WHERE person_id > 0;"
    "CREATE INDEX IF NOT EXISTS party_members_party_path ON party_members(party_path);"
    "CREATE INDEX IF NOT EXISTS party_members_org_path ON party_members(org_path);"
    "CREATE TABLE IF NOT EXISTS report_ins ("
    " id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " skills TEXT NOT NULL DEFAULT '', available TEXT NOT NULL DEFAULT '',"
    " at INTEGER NOT NULL, recorded_by INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (member_id, org_id));"
    "CREATE INDEX IF NOT EXISTS report_ins_org_path ON report_ins(org_path);"
    "CREATE TABLE IF NOT EXISTS party_covers ("
    " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0, level INTEGER NOT NULL,"
    " duty TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (user_id, org_id));"
    "CREATE INDEX IF NOT EXISTS party_covers_org_path ON party_covers(org_path);"
    "CREATE TABLE IF NOT EXISTS party_meetings ("
    " id INTEGER PRIMARY KEY, party_org_id INTEGER NOT NULL, party_path TEXT NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0, kind INTEGER NOT NULL,"
    " held_days INTEGER NOT NULL, title TEXT NOT NULL DEFAULT '',"
    " minutes TEXT NOT NULL DEFAULT '', created_by INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS party_meetings_party ON party_meetings(party_path, held_days);"
    "CREATE INDEX IF NOT EXISTS party_meetings_org_path ON party_meetings(org_path);"
    "CREATE TABLE IF NOT EXISTS party_attendance ("
    " meeting_id INTEGER NOT NULL, member_id INTEGER NOT NULL, status INTEGER NOT NULL,"
    " district_id INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (meeting_id, member_id));"
    "CREATE TABLE IF NOT EXISTS tasks ("
    " id INTEGER PRIMARY KEY, version INTEGER NOT NULL, kind INTEGER NOT NULL,"
    " title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', org_id INTEGER NOT NULL,"
    " org_path TEXT NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " leader_user_id INTEGER NOT NULL DEFAULT 0, budget INTEGER NOT NULL DEFAULT 0,"
    " spend INTEGER NOT NULL DEFAULT 0, created_by INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS tasks_org_path ON tasks(org_path);"
    "CREATE INDEX IF NOT EXISTS tasks_leader ON tasks(leader_user_id);"
    "CREATE TABLE IF NOT EXISTS task_milestones ("
    " id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " title TEXT NOT NULL, due_days INTEGER NOT NULL, done_days INTEGER,"
    " notified_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS task_milestones_task ON task_milestones(task_id, due_days);"
    "CREATE INDEX IF NOT EXISTS task_milestones_open ON task_milestones(due_days)"
    " WHERE done_days IS NULL AND notified_at = 0;"
    "CREATE TABLE IF NOT EXISTS task_reports ("
    " id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL, district_id INTEGER NOT NULL DEFAULT 0,"
    " month INTEGER NOT NULL, percent INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " reported_by INTEGER NOT NULL DEFAULT 0, at INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (task_id, month));";

/* step 5 (issue 4): colour marks on events (moved by the sweep, so that the summary needs no
 * scan of open events): open events start green and due for a recolour at their yellow moment
 * (the sweep and the summary's stale-mark correction put them right); stat_daily gains the
 * open_* colour counters and is rebuilt (stats.version is dropped, so the next start recounts
 * through app_stats_ensure); category counts per 32-day bucket; department ratings; property
 * companies and their areas */
static const char step5_sql[] =
    "ALTER TABLE events ADD COLUMN color_mark INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE events ADD COLUMN recolor_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE events SET color_mark = 1, recolor_at = CASE WHEN suspended = 0 THEN yellow_at"
    " ELSE 0 END WHERE status < 4;"
    "DROP TABLE IF EXISTS stat_daily;"
    "CREATE TABLE stat_daily ("
    " org_id INTEGER NOT NULL, day INTEGER NOT NULL" STAT_COLUMNS_SQL ","
    " PRIMARY KEY (org_id, day)) WITHOUT ROWID;"
    "DELETE FROM settings WHERE key = 'stats.version';"
    /* the same per 32-day bucket (b = day / 32), so that a long period sums a few rows per
     * category instead of one per day (stat_cat_sum) */
    "CREATE TABLE IF NOT EXISTS stat_cat32 ("
    " org_id INTEGER NOT NULL, b INTEGER NOT NULL, category TEXT NOT NULL,"
    " n INTEGER NOT NULL, PRIMARY KEY (org_id, b, category)) WITHOUT ROWID;"
    /* department reverse evaluation: one rating per (event, department) */
    "CREATE TABLE IF NOT EXISTS dept_ratings ("
    " event_id INTEGER NOT NULL, dept_org_id INTEGER NOT NULL, score INTEGER NOT NULL,"
    " note TEXT NOT NULL DEFAULT '', rater_id INTEGER NOT NULL, rater_org_id INTEGER NOT NULL,"
    " at INTEGER NOT NULL, PRIMARY KEY (event_id, dept_org_id)) WITHOUT ROWID;"
    /* property companies and the areas they serve: an area has at most one company */
    "CREATE TABLE IF NOT EXISTS property_companies ("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " created_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS property_areas ("
    " org_id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES property_companies(id),"
    " org_path TEXT NOT NULL, households INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS property_areas_company ON property_areas(company_id);"
    "DROP INDEX IF EXISTS events_open_color;"
    /* the sweep's work list: open events whose colour mark changes at recolor_at; it also covers
     * the summary's stale-mark correction (stat_stale_colors), which reads no table row */
    "DROP INDEX IF EXISTS events_recolor;"
    "CREATE INDEX IF NOT EXISTS events_recolor_cover ON events(recolor_at, color_mark, org_path,"
    " reported_at, yellow_at, handle_due_at) WHERE recolor_at <> 0;";

/* step 6 (issue 6 item 8): the 六必访 compliance of the rankings reads the visits of a subtree
 * in a time window (store rank_visits) from this index alone */
static const char step6_sql[] =
    "CREATE INDEX IF NOT EXISTS visits_rank ON visits(grid_path, at, tags, person_id,"
    " household_id);";

/* step 7: the counter log (app/stats.c): each group commit writes its counter deltas as one
 * record here, a fold adds them to the counters about once a second (so an event's intake
 * writes one appended row, not a leaf of every counter table per ancestor) */
static const char step7_sql[] =
    "CREATE TABLE IF NOT EXISTS stat_log (id INTEGER PRIMARY KEY, d BLOB NOT NULL);";

static const struct store_migration steps[] = {
    {1, "initial schema", schema_sql},
    {2, "events by district and time", step2_sql},
    {3, "intake indexes; people, service orders, points, visits, topics (issue 6)", step3_sql},
    {4, "party organisation, key tasks (issue 6)", step4_sql},
    {5, "colour marks, counters by 32 days, department ratings, property companies (issue 4)",
     step5_sql},
    {6, "visits by place and time for the rankings (issue 6)", step6_sql},
    {7, "the counter log", step7_sql},
};
#define N_STEPS ((int)(sizeof steps / sizeof steps[0]))

static int setting_get(struct store *s, const char *key, char **value);
static int setting_set(struct store *s, const char *key, const char *value);

static int exec_sql(struct store_sqlite *q, const char *sql, const char *what)
{
    char *msg = NULL;
    int rc = sqlite3_exec(q->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        gg_errlog("sqlite %s failed msg=\"%s\"", what, msg ? msg : "");
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite3_free(msg);
    return rc;
}

/* The version recorded in settings; 0 when the file has no gridgov schema yet. */
static int schema_version(struct store *s, int *have, int *want)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *want = steps[N_STEPS - 1].version;
    *have = 0;
    int rc = sqlite_db_prepare(
        q, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'", &st);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    bool exists = rc == SQLITE_ROW;
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "schema_version");
    sqlite3_finalize(st);
    if (rc || !exists)
        return rc;
    char *v = NULL;
    rc = setting_get(s, "schema_version", &v);
    if (!rc)
        *have = v ? atoi(v) : 0;
    free(v);
    return rc;
}

/* One step in one write transaction; a step another process applied meanwhile is skipped. */
static int apply_step(struct store *s, const struct store_migration *step, int64_t now)
{
    struct store_sqlite *q = sq_of(s);
    int have = 0, want = 0;
    int rc = exec_sql(q, "BEGIN IMMEDIATE", "migrate");
    if (rc)
        return rc;
    rc = schema_version(s, &have, &want);
    if (rc || have >= step->version)
        goto out;
    rc = exec_sql(q, step->sql, step->name);
    if (rc)
        goto out;
    sqlite3_stmt *st = NULL;
    rc = sqlite_db_prepare(q,
                           "INSERT INTO schema_migrations(version, name, applied_at)"
                           " VALUES (?1, ?2, ?3)",
                           &st);
    if (rc)
        goto out;
    sqlite3_bind_int(st, 1, step->version);
    sqlite_db_bind_text(st, 2, step->name);
    sqlite3_bind_int64(st, 3, now);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sqlite_db_error(q, SQLITE_ERROR, "migrate_record");
    sqlite3_finalize(st);
    if (rc)
        goto out;
    char ver[16];
    snprintf(ver, sizeof ver, "%d", step->version);
    rc = setting_set(s, "schema_version", ver);
out:
    if (rc) {
        exec_sql(q, "ROLLBACK", "migrate_rollback");
        return rc;
    }
    rc = exec_sql(q, "COMMIT", "migrate_commit");
    if (!rc)
        gg_info("sqlite schema migrated to version %d (%s)", step->version, step->name);
    return rc;
}

static int migrate(struct store *s, int *from, int *to, struct gg_error *err)
{
    int rc = exec_sql(sq_of(s),
                      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                      " name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
                      "migrate");
    if (rc)
        return gg_error_set(err, rc, "", "cannot create the migrations table");
    return store_migrate_steps(s, steps, N_STEPS, apply_step, from, to, err);
}

/* ---- settings ---- */

static int setting_get(struct store *s, const char *key, char **value)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_SETTING_GET, "SELECT value FROM settings WHERE key = ?1", &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        char *v = strdup(t ? (const char *)t : "");
        rc = v ? 0 : -GG_ENOMEM;
        if (v)
            *value = v;
    } else if (rc == SQLITE_DONE) {
        *value = NULL;
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, "setting_get");
    }
    sqlite_db_done(st);
    return rc;
}

static int setting_set(struct store *s, const char *key, const char *value)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_SETTING_SET,
                            "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, key);
    sqlite_db_bind_text(st, 2, value);
    return sqlite_db_run(q, st, "setting_set");
}

/* ---- backup ---- */

/* One sqlite3_backup_step(-1) copies every page under one read transaction, so the copy is a
 * consistent snapshot; in WAL mode writers on other connections are not blocked meanwhile. */
static int backup(struct store *s, const char *path, struct gg_error *err)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3 *dst = NULL;
    sqlite3_backup *b = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        gg_errlog("sqlite backup open failed path=%s msg=\"%s\"", path,
                  dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
        rc = gg_error_set(err, GG_EIO, "path", "cannot create the backup file");
        goto out_close;
    }
    sqlite3_busy_timeout(dst, 5000);
    b = sqlite3_backup_init(dst, "main", q->db, "main");
    if (!b) {
        gg_errlog("sqlite backup init failed msg=\"%s\"", sqlite3_errmsg(dst));
        rc = gg_error_set(err, GG_EIO, "path", "cannot start the backup");
        goto out_close;
    }
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    int frc = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE || frc != SQLITE_OK) {
        gg_errlog("sqlite backup failed rc=%d msg=\"%s\"", rc, sqlite3_errmsg(dst));
        rc = gg_error_set(err, GG_EIO, "path", "the backup did not complete");
        goto out_close;
    }
    rc = 0;
out_close:
    sqlite3_close_v2(dst);
    return rc;
}

/* ---- open / close ---- */

static void db_close(struct store *s)
{
    struct store_sqlite *q = sq_of(s);
    sqlite_ckpt_stop(q->ckpt, q->db);
    if (atomic_load(&q->wal_fd) >= 0)
        close(atomic_load(&q->wal_fd));
    for (int i = 0; i < SQ__COUNT; i++)
        sqlite3_finalize(q->stmts[i]);
    for (int i = 0; i < SQ_DYN_CACHE; i++)
        sqlite3_finalize(q->dyn[i]);
    sqlite3_finalize(q->copy_st);
    sqlite3_close_v2(q->db);
    free(q);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = db_close,
    .init_schema = store_init_schema,
    .schema_version = schema_version,
    .migrate = migrate,
    .begin = tx_begin,
    .commit = tx_commit,
    .commit_nosync = tx_commit_nosync,
    .log_sync = log_sync,
    .rollback = tx_rollback,
    .savepoint = tx_savepoint,
    .read_begin = read_begin,
    .read_end = read_end,
    .release = tx_release,
    .rollback_to = tx_rollback_to,
    .org_insert = sqlite_orgs_insert,
    .org_update = sqlite_orgs_update,
    .org_get = sqlite_orgs_get,
    .org_get_by_code = sqlite_orgs_get_by_code,
    .org_boundary = sqlite_orgs_boundary,
    .org_list = sqlite_orgs_list,
    .org_grids_each = sqlite_orgs_grids_each,
    .org_departments = sqlite_orgs_departments,
    .org_count = sqlite_orgs_count,
    .category_upsert = sqlite_users_category_upsert,
    .category_get = sqlite_users_category_get,
    .category_list = sqlite_users_category_list,
    .user_insert = sqlite_users_insert,
    .user_get = sqlite_users_get,
    .user_get_by_name = sqlite_users_get_by_name,
    .user_list = sqlite_users_list,
    .login_failure_add = sqlite_users_login_failure_add,
    .login_failure_count = sqlite_users_login_failure_count,
    .login_failure_clear = sqlite_users_login_failure_clear,
    .token_insert = sqlite_users_token_insert,
    .token_get = sqlite_users_token_get,
    .token_delete = sqlite_users_token_delete,
    .event_insert = sqlite_events_insert,
    .event_update = sqlite_events_update,
    .event_get = sqlite_events_get,
    .event_list = sqlite_events_list,
    .event_nearby = sqlite_events_nearby,
    .event_overdue = sqlite_events_overdue,
    .event_count_by_status = sqlite_events_count_by_status,
    .timeline_insert = sqlite_events_timeline_insert,
    .timeline_list = sqlite_events_timeline_list,
    .whistle_insert = sqlite_events_whistle_insert,
    .whistle_report_in = sqlite_events_whistle_report_in,
    .whistle_list = sqlite_events_whistle_list,
    .attachment_insert = sqlite_events_attachment_insert,
    .attachment_get = sqlite_events_attachment_get,
    .event_attach = sqlite_events_attach,
    .event_attachments = sqlite_events_attachments,
    .attachment_events = sqlite_events_attachment_events,
    .audit_append = sqlite_audit_append,
    .audit_list = sqlite_audit_list,
    .audit_verify = sqlite_audit_verify,
    .backup = backup,
    .setting_get = setting_get,
    .setting_set = setting_set,
    /* issue 4 */
    .stat_add = sqlite_stats_add,
    .stat_cat_add = sqlite_stats_cat_add,
    .stat_sum = sqlite_stats_sum,
    .stat_series = sqlite_stats_series,
    .stat_cat_sum = sqlite_stats_cat_sum,
    .stat_scan = sqlite_stats_scan,
    .stat_stale_colors = sqlite_stats_stale_colors,
    .stat_open_overdue = sqlite_stats_open_overdue,
    .stat_clear = sqlite_stats_clear,
    .stat_log_add = sqlite_stats_log_add,
    .stat_log_take = sqlite_stats_log_take,
    .stat_log_any = sqlite_stats_log_any,
    .stat_grids = sqlite_stats_grids,
    .stat_points = sqlite_stats_points,
    .stat_surge = sqlite_stats_surge,
    .feed_insert = sqlite_notify_feed_insert,
    .feed_newest = sqlite_notify_feed_newest,
    .feed_after = sqlite_notify_feed_after,
    .message_insert = sqlite_notify_message_insert,
    .message_list = sqlite_notify_message_list,
    .message_read = sqlite_notify_message_read,
    .users_at = sqlite_notify_users_at,
    .outbox_insert = sqlite_notify_outbox_insert,
    .outbox_due = sqlite_notify_outbox_due,
    .outbox_done = sqlite_notify_outbox_done,
    .outbox_retry = sqlite_notify_outbox_retry,
    .event_recolor_due = sqlite_eval_recolor_due,
    .event_set_mark = sqlite_eval_set_mark,
    .dept_rating_insert = sqlite_eval_dept_rating_insert,
    .dept_rating_list = sqlite_eval_dept_rating_list,
    .dept_stats = sqlite_eval_dept_stats,
    .property_insert = sqlite_eval_property_insert,
    .property_update = sqlite_eval_property_update,
    .property_get = sqlite_eval_property_get,
    .property_list = sqlite_eval_property_list,
    .property_areas_set = sqlite_eval_property_areas_set,
    .property_areas = sqlite_eval_property_areas,
    .property_complaints = sqlite_eval_property_complaints,
    /* issue 6 */
    .person_insert = sqlite_people_person_insert,
    .person_update = sqlite_people_person_update,
    .person_delete = sqlite_people_person_delete,
    .person_get = sqlite_people_person_get,
    .person_list = sqlite_people_person_list,
    .household_insert = sqlite_people_household_insert,
    .household_update = sqlite_people_household_update,
    .household_delete = sqlite_people_household_delete,
    .household_get = sqlite_people_household_get,
    .household_get_by_code = sqlite_people_household_get_by_code,
    .household_list = sqlite_people_household_list,
    .house_insert = sqlite_people_house_insert,
    .house_update = sqlite_people_house_update,
    .house_delete = sqlite_people_house_delete,
    .house_get = sqlite_people_house_get,
    .house_list = sqlite_people_house_list,
    .order_insert = sqlite_orders_insert,
    .order_update = sqlite_orders_update,
    .order_get = sqlite_orders_get,
    .order_list = sqlite_orders_list,
    .order_attach = sqlite_orders_attach,
    .order_attachments = sqlite_orders_attachments,
    .points_post = sqlite_orders_points_post,
    .points_account = sqlite_orders_points_account,
    .points_entries = sqlite_orders_points_entries,
    .points_leaderboard = sqlite_orders_points_leaderboard,
    .item_insert = sqlite_orders_item_insert,
    .item_update = sqlite_orders_item_update,
    .item_get = sqlite_orders_item_get,
    .item_list = sqlite_orders_item_list,
    .item_take = sqlite_orders_item_take,
    .redemption_insert = sqlite_orders_redemption_insert,
    .redemption_list = sqlite_orders_redemption_list,
    .visit_insert = sqlite_visits_insert,
    .visit_list = sqlite_visits_list,
    .visit_latest = sqlite_visits_latest,
    /* issue 6: deliberation and disclosure */
    .topic_insert = sqlite_topics_insert,
    .topic_update = sqlite_topics_update,
    .topic_get = sqlite_topics_get,
    .topic_list = sqlite_topics_list,
    .topic_support_add = sqlite_topics_support_add,
    .topic_vote_add = sqlite_topics_vote_add,
    .topic_rating_add = sqlite_topics_rating_add,
    .topic_meeting_set = sqlite_topics_meeting_set,
    .topic_attendees = sqlite_topics_attendees,
    .topic_minutes = sqlite_topics_minutes,
    .topic_mine = sqlite_topics_mine,
    .topic_note_insert = sqlite_topics_note_insert,
    .topic_notes = sqlite_topics_notes,
    .disclosure_insert = sqlite_topics_disclosure_insert,
    .disclosure_get = sqlite_topics_disclosure_get,
    .disclosure_items = sqlite_topics_disclosure_items,
    .disclosure_list = sqlite_topics_disclosure_list,
    .copy_read = sqlite_copy_read,
    .copy_write = sqlite_copy_write,
    .copy_done = sqlite_copy_done,
    /* issue 6: party organisation, key tasks */
    .party_org_insert = sqlite_party_org_insert,
    .party_org_get = sqlite_party_org_get,
    .party_org_list = sqlite_party_org_list,
    .party_member_insert = sqlite_party_member_insert,
    .party_member_get = sqlite_party_member_get,
    .party_member_by_user = sqlite_party_member_by_user,
    .party_member_list = sqlite_party_member_list,
    .report_in_insert = sqlite_party_report_in_insert,
    .report_in_list = sqlite_party_report_in_list,
    .cover_insert = sqlite_party_cover_insert,
    .cover_delete = sqlite_party_cover_delete,
    .cover_get = sqlite_party_cover_get,
    .cover_list = sqlite_party_cover_list,
    .cover_for_path = sqlite_party_cover_for_path,
    .meeting_insert = sqlite_party_meeting_insert,
    .meeting_get = sqlite_party_meeting_get,
    .meeting_list = sqlite_party_meeting_list,
    .attendance_set = sqlite_party_attendance_set,
    .attendance_list = sqlite_party_attendance_list,
    .meeting_facts = sqlite_party_meeting_facts,
    .task_insert = sqlite_party_task_insert,
    .task_update = sqlite_party_task_update,
    .task_get = sqlite_party_task_get,
    .task_list = sqlite_party_task_list,
    .milestone_insert = sqlite_party_milestone_insert,
    .milestone_update = sqlite_party_milestone_update,
    .milestone_get = sqlite_party_milestone_get,
    .milestone_list = sqlite_party_milestone_list,
    .milestone_overdue = sqlite_party_milestone_overdue,
    .task_report_insert = sqlite_party_task_report_insert,
    .task_report_list = sqlite_party_task_report_list,
    /* issue 6 item 8: participation in the rankings */
    .rank_orders = sqlite_rank_orders,
    .rank_visits = sqlite_rank_visits,
    .rank_branches = sqlite_rank_branches,
    .rank_meetings = sqlite_rank_meetings,
    .rank_tasks = sqlite_rank_tasks,
    .rank_cadres = sqlite_rank_cadres,
};

static const char pragmas[] = "PRAGMA journal_mode=WAL;"
                              "PRAGMA synchronous=FULL;"
                              "PRAGMA foreign_keys=ON;"
                              "PRAGMA cache_size=-16384;" /* 16 MiB */
                              /* no mmap: a file growing under intake made every read
                               * connection remap it, page faults and TLB flushes */
                              "PRAGMA mmap_size=0;"
                              "PRAGMA temp_store=MEMORY;";

static int64_t slow_sql_ns;

static int on_profile(unsigned type, void *ctx, void *p, void *x)
{
    (void)ctx;
    int64_t ns = *(const sqlite3_int64 *)x;
    if (type == SQLITE_TRACE_PROFILE && ns >= slow_sql_ns) {
        char *sql = sqlite3_expanded_sql((sqlite3_stmt *)p);
        gg_warn("slow sql ms=%.1f sql=\"%.300s\"", ns / 1e6,
                sql ? sql : sqlite3_sql((sqlite3_stmt *)p));
        sqlite3_free(sql);
    }
    return 0;
}

int sqlite_db_open(const char *path, struct store **out, struct gg_error *err)
{
    struct store_sqlite *q = calloc(1, sizeof *q);
    if (!q)
        return gg_error_set(err, GG_ENOMEM, "", "out of memory");
    q->base.ops = &sqlite_ops;
    atomic_init(&q->wal_fd, -1);
    int rc = sqlite3_open_v2(
        path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
        sqlite_vfs_name());
    if (rc != SQLITE_OK) {
        gg_errlog("sqlite open failed path=%s msg=\"%s\"", path,
                  q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
        rc = gg_error_set(err, rc == SQLITE_NOMEM ? GG_ENOMEM : GG_EUNAVAILABLE, "",
                          "cannot open the database");
        goto out_free;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, SQLITE_BUSY_MS);
    /* slow-statement log for operators: GRIDGOV_SLOW_SQL_MS=N logs statements taking >= N ms */
    const char *slow = getenv("GRIDGOV_SLOW_SQL_MS");
    if (slow && *slow) {
        slow_sql_ns = (int64_t)atoll(slow) * 1000000;
        sqlite3_trace_v2(q->db, SQLITE_TRACE_PROFILE, on_profile, NULL);
    }
    char *msg = NULL;
    rc = sqlite3_exec(q->db, pragmas, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        gg_errlog("sqlite pragmas failed path=%s msg=\"%s\"", path, msg ? msg : "");
        sqlite3_free(msg);
        rc = gg_error_set(err, GG_EUNAVAILABLE, "", "cannot open the database");
        goto out_free;
    }
    *out = &q->base;
    return 0;
out_free:
    sqlite3_close_v2(q->db);
    free(q);
    return rc;
}
