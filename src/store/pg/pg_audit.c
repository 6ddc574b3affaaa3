/* pg_audit.c - the append-only, hash-chained audit log (留痕) in PostgreSQL: append, list with a
 * cursor, and verification of the whole chain. The chain's rules (ids last + 1, the recorded
 * head, what verification catches) are shared with the SQLite backend: store.c, store_audit_*.
 * Appends of several servers are serialised by the write lock every write transaction takes
 * (pg_db.c), so two of them never pick the same id.
 * Not here: deciding what is audited (app/). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_COLS "id, at, actor_id, action, object_type, object_id, detail, prev_hash, hash"

/* Copies the row into *e; false when a text column does not fit its field (only a write that
 * bypassed audit_append can do that; verify reports it as an edit). */
static bool read_audit(const PGresult *r, int row, struct audit_entry *e)
{
    bool fits = true;
    memset(e, 0, sizeof *e);
    e->id = pg_int(r, row, 0);
    e->at = pg_int(r, row, 1);
    e->actor_id = pg_int(r, row, 2);
    e->object_id = pg_int(r, row, 5);
    for (size_t i = 0; i < STORE_AUDIT_N_TEXTS; i++) {
        const struct store_audit_text *t = &store_audit_texts[i];
        pg_text(r, row, t->col, (char *)e + t->off, t->sz);
        if ((size_t)PQgetlength(r, row, t->col) >= t->sz)
            fits = false;
    }
    return fits;
}

const char pg_audit_last_sql[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";

/* The table's last entry: inside a write transaction from its cache (read by begin, moved on
 * by each append), else from the table. */
static int last_entry(struct store_pg *q, int64_t *id, char hash[65])
{
    if (q->in_tx && q->tx.audit_valid) {
        *id = q->tx.audit_id;
        memcpy(hash, q->tx.audit_hash, 65);
        return 0;
    }
    PGresult *r = NULL;
    int rc = pg_db_query(q, pg_audit_last_sql, NULL, &r, "audit_last");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        *id = 0;
        hash[0] = '\0';
    } else {
        *id = pg_int(r, 0, 0);
        pg_text(r, 0, 1, hash, 65);
    }
    PQclear(r);
    return 0;
}

/* Inside a write transaction nothing here waits for the server: the last entry and the
 * recorded head come from the transaction's cache (pg_db.c), the row is sent in the pipeline
 * and the head is written once, at commit. */
int pg_audit_append(struct store *s, struct audit_entry *e)
{
    struct store_pg *q = pg_of(s);
    struct audit_entry x = *e;
    int64_t last = 0;
    int rc = last_entry(q, &last, x.prev_hash);
    if (!rc)
        rc = store_audit_seal(s, last, &x);
    if (rc)
        return rc;

    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, x.id);
    pg_arg_int(&a, x.at);
    pg_arg_int(&a, x.actor_id);
    pg_arg_text(&a, x.action);
    pg_arg_text(&a, x.object_type);
    pg_arg_int(&a, x.object_id);
    pg_arg_text(&a, x.detail);
    pg_arg_text(&a, x.prev_hash);
    pg_arg_text(&a, x.hash);
    rc = pg_db_send(q,
                    "INSERT INTO audit(" AUDIT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &a, "audit_insert");
    if (!rc)
        rc = store_audit_head_set(s, &x);
    if (rc)
        return rc;
    if (q->in_tx) {
        q->tx.audit_valid = true;
        q->tx.audit_id = x.id;
        memcpy(q->tx.audit_hash, x.hash, sizeof q->tx.audit_hash);
    }
    *e = x;
    return 0;
}

static void audit_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    read_audit(r, row, out);
}

/* object_type NULL or "" and object_id 0 mean "any". */
int pg_audit_list(struct store *s, const char *object_type, int64_t object_id, int64_t after_id,
                  int limit, struct audit_entry **items, size_t *n)
{
    bool by_type = object_type && object_type[0];
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, pg_db_limit(limit, 100, 1000));
    if (by_type)
        pg_arg_text(&a, object_type);
    else
        pg_arg_null(&a);
    if (object_id)
        pg_arg_int(&a, object_id);
    else
        pg_arg_null(&a);
    return pg_db_collect(pg_of(s),
                         "SELECT " AUDIT_COLS " FROM audit WHERE id > $1"
                         " AND ($3::text IS NULL OR object_type = $3)"
                         " AND ($4::bigint IS NULL OR object_id = $4)"
                         " ORDER BY id LIMIT $2",
                         &a, sizeof **items, audit_row, NULL, (void **)items, n, "audit_list");
}

/* Walks the log in pages of 10,000 rows (a long log must not be held in memory at once). */
int pg_audit_verify(struct store *s, struct audit_verify_result *out)
{
    struct store_pg *q = pg_of(s);
    struct store_audit_walk w;
    struct audit_entry e;
    int64_t after = 0;
    bool done = false;

    memset(out, 0, sizeof *out);
    store_audit_walk_init(&w);
    while (!done && !out->first_bad_id) {
        struct pg_args a;
        PGresult *r = NULL;
        pg_args_init(&a);
        pg_arg_int(&a, after);
        int rc = pg_db_query(q,
                             "SELECT " AUDIT_COLS " FROM audit WHERE id > $1 ORDER BY id"
                             " LIMIT 10000",
                             &a, &r, "audit_verify");
        if (rc)
            return rc;
        int rows = PQntuples(r);
        done = rows < 10000;
        for (int i = 0; i < rows; i++) {
            bool fits = read_audit(r, i, &e);
            after = e.id;
            if (!store_audit_walk_step(&w, &e, fits, out))
                break;
        }
        PQclear(r);
    }
    if (out->first_bad_id)
        return 0;
    return store_audit_walk_end(s, &w, out);
}
