/* copy.c - moving a whole deployment from one database to another (SQLite → PostgreSQL and
 * back): `gridgov copy --from DB --to DB`. Every table of store.c's list is read in its order
 * from the source and written to the empty destination in transactions of 5,000 rows, while a
 * SHA-256 over the rows' canonical text is kept; then the destination is read back and each
 * table's row count and checksum must equal the source's. Ids are kept, so the audit chain
 * verifies on the destination as it did on the source.
 *
 * Not here: the SQL (sqlite_copy.c, pg_copy.c), nor photos (files: copy the folder, see
 * docs/operations.md). Run it with the servers stopped: rows written meanwhile would make the
 * checksums differ (and are reported so). */
#include "app/internal.h"

#include "base/buf.h"
#include "base/log.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY_BATCH 5000

struct table_sum {
    int64_t rows;
    crypto_hash_sha256_state h;
};

struct copy_ctx {
    const struct store_table *t;
    int n;
    struct store *to; /* NULL when only summing */
    struct table_sum sum;
    int64_t since_commit;
    void (*progress)(void *pctx, const char *table, int64_t rows, const char *sha);
    void *pctx;
};

/* the row's canonical text into the checksum: values separated by 0x1f, NULL as 0x00 */
static void sum_row(struct table_sum *s, int n, const char *const *vals)
{
    static const unsigned char sep = 0x1f, nul = 0x00, end = 0x1e;
    for (int i = 0; i < n; i++) {
        if (i)
            crypto_hash_sha256_update(&s->h, &sep, 1);
        if (vals[i])
            crypto_hash_sha256_update(&s->h, (const unsigned char *)vals[i], strlen(vals[i]));
        else
            crypto_hash_sha256_update(&s->h, &nul, 1);
    }
    crypto_hash_sha256_update(&s->h, &end, 1);
    s->rows++;
}

static void sum_hex(struct table_sum *s, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&s->h, d);
    sodium_bin2hex(hex, 65, d, sizeof d);
}

static int on_row(void *p, const char *const *vals)
{
    struct copy_ctx *c = p;
    sum_row(&c->sum, c->n, vals);
    if (!c->to)
        return 0;
    struct store *to = c->to;
    int rc;
    /* the destination's own schema_version row is already there: settings are upserts */
    if (strcmp(c->t->name, "settings") == 0)
        rc = to->ops->setting_set(to, vals[0], vals[1] ? vals[1] : "");
    else
        rc = to->ops->copy_write(to, c->t, vals);
    if (rc)
        return rc;
    if (++c->since_commit >= COPY_BATCH) {
        c->since_commit = 0;
        rc = to->ops->commit(to);
        if (!rc)
            rc = to->ops->begin(to);
        if (c->progress)
            c->progress(c->pctx, c->t->name, c->sum.rows, NULL);
    }
    return rc;
}

static int copy_table(struct store *from, struct store *to, const struct store_table *t,
                      struct copy_ctx *c)
{
    struct copy_ctx keep = *c;
    memset(c, 0, sizeof *c);
    c->progress = keep.progress;
    c->pctx = keep.pctx;
    c->t = t;
    c->n = store_table_ncols(t);
    c->to = to;
    crypto_hash_sha256_init(&c->sum.h);
    int rc = to->ops->begin(to);
    if (rc)
        return rc;
    rc = from->ops->copy_read(from, t, on_row, c);
    if (rc) {
        to->ops->rollback(to);
        return rc;
    }
    return to->ops->commit(to);
}

static int sum_table(struct store *s, const struct store_table *t, int64_t *rows, char hex[65])
{
    struct copy_ctx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.n = store_table_ncols(t);
    crypto_hash_sha256_init(&c.sum.h);
    int rc = s->ops->copy_read(s, t, on_row, &c);
    if (rc)
        return rc;
    *rows = c.sum.rows;
    sum_hex(&c.sum, hex);
    return 0;
}

int app_copy(const char *from_db, const char *to_db,
             void (*progress)(void *ctx, const char *table, int64_t rows, const char *sha),
             void *pctx, struct app_copy_report *rep, struct gg_error *err)
{
    struct store *from = NULL, *to = NULL;
    int have = 0, want = 0;
    int64_t n = 0;
    memset(rep, 0, sizeof *rep);
    if (sodium_init() < 0)
        return gg_error_set(err, GG_EINTERNAL, NULL, "libsodium cannot start");
    if (strcmp(from_db, to_db) == 0)
        return gg_error_set(err, GG_EINVAL, "to", "source and destination are the same");
    int rc = store_open(from_db, &from, err);
    if (rc)
        return rc;
    rc = from->ops->schema_version(from, &have, &want);
    if (rc) {
        gg_error_set(err, rc, "from", "cannot read the source's schema version");
        goto out;
    }
    if (have != want) {
        rc = gg_error_set(err, GG_EINVAL, "from",
                          "the source's schema is version %d, this gridgov's %d: %s", have, want,
                          have < want ? "run `gridgov migrate` on it first" : "use a newer gridgov");
        goto out;
    }
    rc = store_open(to_db, &to, err);
    if (rc)
        goto out;
    rc = to->ops->init_schema(to, err);
    if (rc)
        goto out;
    rc = to->ops->org_count(to, &n);
    if (!rc && n == 0) {
        struct user *u = NULL;
        size_t nu = 0;
        rc = to->ops->user_list(to, NULL, 0, 1, &u, &nu);
        free(u);
        n = (int64_t)nu;
    }
    if (rc) {
        gg_error_set(err, rc, "to", "cannot read the destination");
        goto out;
    }
    if (n) {
        rc = gg_error_set(err, GG_ECONFLICT, "to",
                          "the destination already holds data: copy into an empty database");
        goto out;
    }
    struct copy_ctx c = {.progress = progress, .pctx = pctx};
    if (store_n_tables > sizeof rep->tables / sizeof rep->tables[0]) {
        rc = gg_error_set(err, GG_EINTERNAL, NULL, "too many tables for the copy report");
        goto out;
    }
    for (size_t i = 0; i < store_n_tables; i++) {
        const struct store_table *t = &store_tables[i];
        rc = copy_table(from, to, t, &c);
        if (rc) {
            gg_error_set(err, rc, NULL, "copying table %s failed", t->name);
            goto out;
        }
        struct app_copy_table *r = &rep->tables[rep->n_tables++];
        r->name = t->name;
        r->rows = c.sum.rows;
        sum_hex(&c.sum, r->sha_from);
        if (progress)
            progress(pctx, t->name, r->rows, r->sha_from);
    }
    rc = to->ops->copy_done(to);
    if (rc) {
        gg_error_set(err, rc, NULL, "cannot advance the destination's id sequences");
        goto out;
    }
    /* verification: the destination read back, table by table */
    for (size_t i = 0; i < rep->n_tables; i++) {
        struct app_copy_table *r = &rep->tables[i];
        rc = sum_table(to, &store_tables[i], &r->rows_to, r->sha_to);
        if (rc) {
            gg_error_set(err, rc, NULL, "cannot read back table %s", r->name);
            goto out;
        }
        if (r->rows_to != r->rows || strcmp(r->sha_to, r->sha_from) != 0)
            rep->mismatches++;
    }
out:
    store_close(to);
    store_close(from);
    return rc;
}
