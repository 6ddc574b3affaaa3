/* sqlite_audit.c - the append-only, hash-chained audit log (留痕) in SQLite: append, list with a
 * cursor, and verification of the whole chain.
 *
 * Each entry's hash is SHA-256 over its canonical text (store_audit_canonical(), which includes
 * the id and the previous entry's hash), so editing any row breaks its own hash and editing then
 * re-hashing it breaks the next row's link. Ids are chosen here as last id + 1 (not by SQLite's
 * rowid allocation) so that the hashed text can include them and a gap means a deleted row.
 *
 * The chain alone cannot show that its tail was cut off: deleting the last rows leaves a shorter
 * chain that is still valid. So every append also records the head, "<count> <last hash>", in
 * the settings key 'audit_head' (in the same transaction); verify compares the chain with it,
 * and append continues from the head when it is ahead of the table, so a cut tail stays a
 * visible gap. Those rules are shared with the PostgreSQL backend (store.c, store_audit_*). That catches a truncated or re-written tail made with plain SQL; an intruder who
 * also rewrites 'audit_head' is caught only by an anchor kept outside the database (e.g. the
 * head published periodically), which is beyond this file.
 * Not here: deciding what is audited (app/). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_COLS "id, at, actor_id, action, object_type, object_id, detail, prev_hash, hash"

/* Copies the row into *e. Returns false when a text column does not fit its field, which only
 * a write that bypassed audit_append can produce (verify reports it as an edit rather than
 * hashing a truncated copy that might match). */
static bool read_audit(sqlite3_stmt *st, struct audit_entry *e)
{
    bool fits = true;
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->at = sqlite3_column_int64(st, 1);
    e->actor_id = sqlite3_column_int64(st, 2);
    e->object_id = sqlite3_column_int64(st, 5);
    for (size_t i = 0; i < STORE_AUDIT_N_TEXTS; i++) {
        const struct store_audit_text *t = &store_audit_texts[i];
        sqlite_db_col_text(st, t->col, (char *)e + t->off, t->sz);
        if ((size_t)sqlite3_column_bytes(st, t->col) >= t->sz)
            fits = false;
    }
    return fits;
}

/* Reads the last entry's id and hash; *id = 0 and hash "" when the log is empty. */
static int last_entry(struct store_sqlite *q, int64_t *id, char hash[65])
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_AUDIT_LAST, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
                            &st);
    if (rc)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite_db_col_text(st, 1, hash, 65);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        *id = 0;
        hash[0] = '\0';
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, "audit_last");
    }
    sqlite_db_done(st);
    return rc;
}

/* The new entry continues from the recorded head when it is ahead of the table (rows at the
 * tail were deleted), so that the deletion stays visible as a gap instead of being papered
 * over by reusing the ids. */
int sqlite_audit_append(struct store *s, struct audit_entry *e)
{
    struct store_sqlite *q = sq_of(s);
    struct audit_entry x = *e;
    int64_t last = 0;
    sqlite3_stmt *st = NULL;
    int rc = last_entry(q, &last, x.prev_hash);
    if (!rc)
        rc = store_audit_seal(s, last, &x);
    if (rc)
        return rc;

    rc = sqlite_db_stmt(q, SQ_AUDIT_INSERT,
                        "INSERT INTO audit(" AUDIT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                        " ?9)",
                        &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, x.id);
    sqlite3_bind_int64(st, 2, x.at);
    sqlite3_bind_int64(st, 3, x.actor_id);
    sqlite_db_bind_text(st, 4, x.action);
    sqlite_db_bind_text(st, 5, x.object_type);
    sqlite3_bind_int64(st, 6, x.object_id);
    sqlite_db_bind_text(st, 7, x.detail);
    sqlite_db_bind_text(st, 8, x.prev_hash);
    sqlite_db_bind_text(st, 9, x.hash);
    rc = sqlite_db_run(q, st, "audit_insert");
    if (!rc)
        rc = store_audit_head_set(s, &x);
    if (rc)
        return rc;
    *e = x;
    return 0;
}

static void audit_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    read_audit(st, row);
}

static int audit_rows(struct store_sqlite *q, sqlite3_stmt *st, struct audit_entry **items,
                      size_t *n)
{
    return sqlite_db_collect(q, st, sizeof **items, audit_row, NULL, (void **)items, n,
                             "audit_list");
}

/* object_type NULL or "" and object_id 0 mean "any". The unfiltered walk is the cached
 * statement; a filtered one is prepared so that it can use the (object_type, object_id) index. */
int sqlite_audit_list(struct store *s, const char *object_type, int64_t object_id, int64_t after_id,
                      int limit, struct audit_entry **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    bool by_type = object_type && object_type[0];
    bool by_id = object_id != 0;
    sqlite3_stmt *st = NULL;
    int rc;
    if (!by_type && !by_id) {
        rc = sqlite_db_stmt(q, SQ_AUDIT_LIST,
                            "SELECT " AUDIT_COLS " FROM audit WHERE id > ?1 ORDER BY id LIMIT ?2",
                            &st);
        if (rc)
            return rc;
        sqlite3_bind_int64(st, 1, after_id);
        sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 100, 1000));
        return audit_rows(q, st, items, n);
    }
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT " AUDIT_COLS " FROM audit WHERE id > ?1%s%s ORDER BY id LIMIT ?2",
             by_type ? " AND object_type = ?3" : "", by_id ? " AND object_id = ?4" : "");
    rc = sqlite_db_prepare(q, sql, &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 100, 1000));
    if (by_type)
        sqlite_db_bind_text(st, 3, object_type);
    if (by_id)
        sqlite3_bind_int64(st, 4, object_id);
    rc = audit_rows(q, st, items, n);
    sqlite3_finalize(st);
    return rc;
}

/* Walks every row in id order. The first problem found is reported; checked counts the rows
 * read up to and including the bad one (all of them when the chain is intact). */
int sqlite_audit_verify(struct store *s, struct audit_verify_result *out)
{
    struct store_sqlite *q = sq_of(s);
    struct store_audit_walk w;
    struct audit_entry e;
    sqlite3_stmt *st = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    store_audit_walk_init(&w);
    rc = sqlite_db_stmt(q, SQ_AUDIT_ALL, "SELECT " AUDIT_COLS " FROM audit ORDER BY id", &st);
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bool fits = read_audit(st, &e);
        if (!store_audit_walk_step(&w, &e, fits, out))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        rc = sqlite_db_error(q, rc, "audit_verify");
    else
        rc = 0;
    sqlite_db_done(st);
    if (rc || out->first_bad_id)
        return rc;
    return store_audit_walk_end(s, &w, out);
}
