/* pg_audit.c - the append-only, hash-chained audit log (留痕) in PostgreSQL: append, list with a
 * cursor, and verification of the whole chain. The chain, the recorded head ('audit_head' in
 * settings) and what each catches are those of the SQLite backend (sqlite_audit.c): ids are
 * last + 1 so that the hashed text includes them and a gap shows a deleted row.
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
#define AUDIT_HEAD_KEY "audit_head"
#define CANON_SZ (sizeof(((struct audit_entry *)0)->detail) + 512)

/* Copies the row into *e; false when a text column does not fit its field (only a write that
 * bypassed audit_append can do that; verify reports it as an edit). */
static bool read_audit(const PGresult *r, int row, struct audit_entry *e)
{
    static const struct {
        int col;
        size_t off, sz;
    } texts[] = {
        {3, offsetof(struct audit_entry, action), sizeof(((struct audit_entry *)0)->action)},
        {4, offsetof(struct audit_entry, object_type),
         sizeof(((struct audit_entry *)0)->object_type)},
        {6, offsetof(struct audit_entry, detail), sizeof(((struct audit_entry *)0)->detail)},
        {7, offsetof(struct audit_entry, prev_hash), sizeof(((struct audit_entry *)0)->prev_hash)},
        {8, offsetof(struct audit_entry, hash), sizeof(((struct audit_entry *)0)->hash)},
    };
    bool fits = true;
    memset(e, 0, sizeof *e);
    e->id = pg_int(r, row, 0);
    e->at = pg_int(r, row, 1);
    e->actor_id = pg_int(r, row, 2);
    e->object_id = pg_int(r, row, 5);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pg_text(r, row, texts[i].col, (char *)e + texts[i].off, texts[i].sz);
        if ((size_t)PQgetlength(r, row, texts[i].col) >= texts[i].sz)
            fits = false;
    }
    return fits;
}

static void entry_hash(const struct audit_entry *e, char hex[65])
{
    char canon[CANON_SZ];
    size_t len = store_audit_canonical(e, canon, sizeof canon);
    store_sha256_hex(canon, len, hex);
}

static int last_entry(struct store_pg *q, int64_t *id, char hash[65])
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", NULL, &r,
                         "audit_last");
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

/* *count = -1 when there is no usable head. */
static int read_head(struct store *s, int64_t *count, char hash[65])
{
    char *head = NULL;
    long long c = -1;
    int rc = s->ops->setting_get(s, AUDIT_HEAD_KEY, &head);
    if (rc)
        return rc;
    *count = -1;
    hash[0] = '\0';
    if (head && sscanf(head, "%lld %64s", &c, hash) == 2 && c >= 0)
        *count = c;
    else
        hash[0] = '\0';
    free(head);
    return 0;
}

int pg_audit_append(struct store *s, struct audit_entry *e)
{
    struct store_pg *q = pg_of(s);
    struct audit_entry x = *e;
    char head[96], head_hash[65];
    int64_t last = 0, head_count = 0;
    int rc = last_entry(q, &last, x.prev_hash);
    if (!rc)
        rc = read_head(s, &head_count, head_hash);
    if (rc)
        return rc;
    if (head_count > last) {
        last = head_count;
        memcpy(x.prev_hash, head_hash, sizeof x.prev_hash);
    }
    x.id = last + 1;
    entry_hash(&x, x.hash);

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
    rc = pg_db_run(q, "INSERT INTO audit(" AUDIT_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                   &a, NULL, "audit_insert");
    if (rc)
        return rc;
    snprintf(head, sizeof head, "%" PRId64 " %s", x.id, x.hash);
    rc = s->ops->setting_set(s, AUDIT_HEAD_KEY, head);
    if (rc)
        return rc;
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

static void bad(struct audit_verify_result *out, int64_t id, const char *what)
{
    out->first_bad_id = id;
    snprintf(out->problem, sizeof out->problem, "entry %" PRId64 " %s", id, what);
}

static int check_head(struct store *s, int64_t count, const char *last_hash,
                      struct audit_verify_result *out)
{
    int64_t head_count;
    char head_hash[65];
    int rc = read_head(s, &head_count, head_hash);
    if (rc)
        return rc;
    if (head_count < 0) {
        if (count > 0)
            bad(out, 1, "is not recorded in the audit head");
    } else if (head_count > count) {
        bad(out, count + 1, "is missing (deleted)");
    } else if (head_count < count) {
        bad(out, head_count + 1, "was not written through the audit log");
    } else if (count > 0 && strcmp(head_hash, last_hash) != 0) {
        bad(out, count, "was edited");
    }
    return 0;
}

/* Walks the log in pages of 10,000 rows (a long log must not be held in memory at once). */
int pg_audit_verify(struct store *s, struct audit_verify_result *out)
{
    struct store_pg *q = pg_of(s);
    struct audit_entry e;
    char prev_hash[65] = "";
    char hash[65];
    int64_t expect = 1, after = 0;
    int rc = 0;
    bool done = false;

    memset(out, 0, sizeof *out);
    while (!done && !out->first_bad_id) {
        struct pg_args a;
        PGresult *r = NULL;
        pg_args_init(&a);
        pg_arg_int(&a, after);
        rc = pg_db_query(q, "SELECT " AUDIT_COLS " FROM audit WHERE id > $1 ORDER BY id LIMIT 10000",
                         &a, &r, "audit_verify");
        if (rc)
            return rc;
        int rows = PQntuples(r);
        done = rows < 10000;
        for (int i = 0; i < rows; i++) {
            bool fits = read_audit(r, i, &e);
            out->checked++;
            after = e.id;
            if (e.id != expect) {
                bad(out, expect, "is missing (deleted)");
                break;
            }
            if (strcmp(e.prev_hash, prev_hash) != 0) {
                char what[64];
                snprintf(what, sizeof what, "does not follow entry %" PRId64, e.id - 1);
                bad(out, e.id, what);
                break;
            }
            entry_hash(&e, hash);
            if (!fits || strcmp(hash, e.hash) != 0) {
                bad(out, e.id, "was edited");
                break;
            }
            memcpy(prev_hash, e.hash, sizeof prev_hash);
            expect++;
        }
        PQclear(r);
    }
    if (out->first_bad_id)
        return 0;
    return check_head(s, expect - 1, prev_hash, out);
}
