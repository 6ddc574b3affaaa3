/* pg_copy.c - whole tables in and out as canonical text, for `gridgov copy` between backends
 * (store.h copy_read / copy_write / copy_done). Reads stream row by row (libpq single-row
 * mode), so a table of millions of events is never held in memory at once.
 * Not here: ordering the tables, transactions, checksums or progress (app/copy.c). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "base/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 64
#define MAX_TABLES 64

/* One insert text per table, built once: its address keys the prepared-statement cache. */
static char *insert_sql[MAX_TABLES];
static pthread_once_t insert_once = PTHREAD_ONCE_INIT;

static void build_inserts(void)
{
    for (size_t k = 0; k < store_n_tables && k < MAX_TABLES; k++) {
        const struct store_table *t = &store_tables[k];
        struct gg_buf b;
        gg_buf_init(&b, 4096);
        int rc = gg_buf_printf(&b, "INSERT INTO %s(%s) VALUES ($1", t->name, t->cols);
        for (int i = 2; !rc && i <= store_table_ncols(t); i++)
            rc = gg_buf_printf(&b, ", $%d", i);
        if (!rc)
            rc = gg_buf_puts(&b, ")");
        insert_sql[k] = rc ? NULL : gg_buf_detach(&b);
        gg_buf_release(&b);
    }
}

int pg_copy_read(struct store *s, const struct store_table *t,
                 int (*row)(void *ctx, const char *const *vals), void *ctx)
{
    struct store_pg *q = pg_of(s);
    int n = store_table_ncols(t);
    if (n > MAX_COLS)
        return -GG_EINTERNAL;
    char sql[2048];
    /* names from store.c's constant table, never input; no values to bind */
    snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name,
             t->order_pg ? t->order_pg : t->order);
    int rc0 = pg_db_pipe_leave(q);
    if (rc0)
        return rc0;
    if (!PQsendQuery(q->conn, sql) || !PQsetSingleRowMode(q->conn)) {
        gg_errlog("postgres copy_read failed msg=\"%s\"", PQerrorMessage(q->conn));
        return -GG_EUNAVAILABLE;
    }
    const char *vals[MAX_COLS];
    char nums[MAX_COLS][32];
    int rc = 0;
    PGresult *r;
    /* every result is consumed, also after an error or an early stop, so that the
     * connection is ready for the next statement */
    while ((r = PQgetResult(q->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE && !rc) {
            for (int i = 0; i < n; i++) {
                if (PQgetisnull(r, 0, i)) {
                    vals[i] = NULL;
                } else if (store_table_type(t, i) == 'b') {
                    const char *v = PQgetvalue(r, 0, i); /* "\\x" + hex: the hex alone */
                    vals[i] = v[0] == '\\' && v[1] == 'x' ? v + 2 : v;
                } else if (store_table_type(t, i) == 'r') {
                    snprintf(nums[i], sizeof nums[i], "%.17g", strtod(PQgetvalue(r, 0, i), NULL));
                    vals[i] = nums[i];
                } else {
                    vals[i] = PQgetvalue(r, 0, i);
                }
            }
            rc = row(ctx, vals);
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !rc) {
            gg_errlog("postgres copy_read failed table=%s msg=\"%s\"", t->name,
                      PQresultErrorMessage(r));
            rc = -GG_EIO;
        }
        PQclear(r);
    }
    return rc;
}

/* vals[i] as a field of COPY's text format (tab between fields, \N for NULL, backslash
 * escapes), bytea as "\\x" + hex */
static int copy_line(struct gg_buf *b, const struct store_table *t, const char *const *vals)
{
    int rc = 0;
    for (int i = 0; !rc && i < store_table_ncols(t); i++) {
        if (i)
            rc = gg_buf_append(b, "\t", 1);
        if (rc)
            break;
        const char *v = vals[i];
        if (!v) {
            rc = gg_buf_puts(b, "\\N");
            continue;
        }
        if (store_table_type(t, i) == 'b')
            rc = gg_buf_puts(b, "\\\\x");
        const char *run = v;
        for (const char *p = v; !rc && *p; p++) {
            const char *esc = *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n"
                              : *p == '\r' ? "\\r" : NULL;
            if (!esc)
                continue;
            rc = gg_buf_append(b, run, (size_t)(p - run));
            if (!rc)
                rc = gg_buf_puts(b, esc);
            run = p + 1;
        }
        if (!rc)
            rc = gg_buf_puts(b, run);
    }
    if (!rc)
        rc = gg_buf_append(b, "\n", 1);
    return rc;
}

/* Inside copy's transaction the rows are streamed with COPY FROM STDIN, one COPY per table and
 * transaction (pg_db_copy_end ends it at commit); outside one, one INSERT each. */
int pg_copy_write(struct store *s, const struct store_table *t, const char *const *vals)
{
    struct store_pg *q = pg_of(s);
    if (q->in_tx) {
        int rc = 0;
        if (q->copy_table != t) {
            rc = pg_db_copy_end(q, false);
            if (!rc)
                rc = pg_db_pipe_leave(q);
            if (rc)
                return rc;
            char sql[2048];
            /* names from store.c's constant table, never input */
            snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", t->name, t->cols);
            PGresult *r = PQexec(q->conn, sql);
            if (PQresultStatus(r) != PGRES_COPY_IN) {
                gg_errlog("postgres copy_write failed table=%s msg=\"%s\"", t->name,
                          PQresultErrorMessage(r));
                rc = PQstatus(q->conn) == CONNECTION_BAD ? -GG_EUNAVAILABLE : -GG_EIO;
                PQclear(r);
                if (!q->tx_err)
                    q->tx_err = rc;
                return rc;
            }
            PQclear(r);
            q->copy_table = t;
        }
        struct gg_buf b;
        gg_buf_init(&b, 0);
        rc = copy_line(&b, t, vals);
        if (!rc && PQputCopyData(q->conn, b.data, (int)b.len) != 1) {
            gg_errlog("postgres copy_write failed table=%s msg=\"%s\"", t->name,
                      PQerrorMessage(q->conn));
            rc = -GG_EUNAVAILABLE;
        }
        gg_buf_release(&b);
        return rc;
    }
    pthread_once(&insert_once, build_inserts);
    size_t k = (size_t)(t - store_tables);
    if (k >= store_n_tables || k >= MAX_TABLES || !insert_sql[k])
        return -GG_EINTERNAL;
    struct pg_args a;
    char hex[4][2 * 256 + 3]; /* 'b' values with BYTEA's "\\x" prefix */
    int nb = 0;
    pg_args_init(&a);
    for (int i = 0; i < store_table_ncols(t); i++) {
        if (vals[i] && store_table_type(t, i) == 'b') {
            if (nb == 4 || strlen(vals[i]) > 2 * 256)
                return -GG_EINVAL;
            snprintf(hex[nb], sizeof hex[nb], "\\x%s", vals[i]);
            pg_arg_text(&a, hex[nb++]);
        } else if (vals[i])
            pg_arg_text(&a, vals[i]);
        else
            pg_arg_null(&a);
    }
    return pg_db_run(pg_of(s), insert_sql[k], &a, NULL, "copy_write");
}

/* Copied rows carry their ids: the identity sequences continue after the largest. */
int pg_copy_done(struct store *s)
{
#define SETVAL(t)                                                                                  \
    "SELECT setval(pg_get_serial_sequence('" t "', 'id'),"                                         \
    " greatest((SELECT max(id) FROM " t "), 1));"
    return pg_db_exec(pg_of(s),
                      SETVAL("orgs") SETVAL("users") SETVAL("events") SETVAL("attachments")
                          SETVAL("feed") SETVAL("messages") SETVAL("outbox")
                          SETVAL("people") SETVAL("households") SETVAL("houses")
                              SETVAL("service_orders") SETVAL("points_ledger")
                                  SETVAL("store_items") SETVAL("redemptions") SETVAL("visits")
                                      SETVAL("topics") SETVAL("topic_notes")
                                          SETVAL("disclosures") SETVAL("property_companies") SETVAL("party_orgs")
                                              SETVAL("party_members") SETVAL("report_ins")
                                                  SETVAL("party_covers")
                                                      SETVAL("party_meetings") SETVAL("tasks")
                                                          SETVAL("task_milestones")
                                                              SETVAL("task_reports")
                                                                  SETVAL("stat_log"),
                      "copy_done");
#undef SETVAL
}
