/* pg_db.c - the PostgreSQL connection: connect (and reconnect after a server restart), the
 * prepared-statement cache keyed by statement text, argument lists, error translation,
 * transactions, settings, and the ops table that ties the backend's files together.
 *
 * Not here: the schema and its migrations (pg_schema.c), the domain operations (pg_orgs.c,
 * pg_users.c, pg_events.c, pg_audit.c, pg_stats.c, pg_notify.c), nor choosing a backend
 * (store.c). */
#include "store/pg/pg_db.h"
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "base/log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write transactions of every gridgov server on one database take this advisory lock first, so
 * they commit one after another: the audit chain (id = last + 1) and the feed ids (the SSE
 * cursor) then grow in commit order across servers. Each transaction is a group commit of up
 * to 512 use cases, so the lock is taken once per group, not once per request. */
#define PG_WRITE_LOCK "4242001"

/* ---- arguments ---- */

void pg_arg_int(struct pg_args *a, int64_t v)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    snprintf(a->num[a->n], sizeof a->num[0], "%" PRId64, v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

void pg_arg_double(struct pg_args *a, double v)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    snprintf(a->num[a->n], sizeof a->num[0], "%.17g", v);
    a->v[a->n] = a->num[a->n];
    a->n++;
}

void pg_arg_text(struct pg_args *a, const char *s)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    a->v[a->n++] = s ? s : "";
}

void pg_arg_null(struct pg_args *a)
{
    if (a->n >= PG_MAX_ARGS)
        return;
    a->v[a->n++] = NULL;
}

/* ---- results ---- */

int64_t pg_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

double pg_double(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    return strtod(PQgetvalue(r, row, col), NULL);
}

void pg_text(const PGresult *r, int row, int col, char *dst, size_t sz)
{
    gg_strlcpy(dst, PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col), sz);
}

bool pg_bool(const PGresult *r, int row, int col)
{
    const char *v = PQgetvalue(r, row, col);
    return v && v[0] == 't';
}

int pg_db_limit(int limit, int def, int max)
{
    if (limit <= 0)
        return def;
    return limit > max ? max : limit;
}

/* ---- errors ---- */

/* The first line of a libpq message, without "FATAL:  " noise, into out[sz]. */
static void first_line(const char *msg, char *out, size_t sz)
{
    if (!msg)
        msg = "";
    size_t n = strcspn(msg, "\n");
    if (n >= sz)
        n = sz - 1;
    memcpy(out, msg, n);
    out[n] = '\0';
}

static int translate(struct store_pg *q, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char msg[300];
    first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(q->conn), msg, sizeof msg);
    int gg;
    if (!state || PQstatus(q->conn) == CONNECTION_BAD)
        gg = -GG_EUNAVAILABLE;
    else if (strcmp(state, "23505") == 0)
        gg = -GG_ECONFLICT;
    else if (strcmp(state, "23503") == 0)
        gg = -GG_ENOTFOUND;
    else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
             strcmp(state, "55P03") == 0 || strncmp(state, "08", 2) == 0 ||
             strncmp(state, "57P", 3) == 0 || strncmp(state, "53", 2) == 0)
        gg = -GG_EUNAVAILABLE;
    else
        gg = -GG_EIO;
    if (gg == -GG_ECONFLICT || gg == -GG_ENOTFOUND)
        gg_warn("postgres constraint op=%s state=%s msg=\"%s\"", what, state ? state : "", msg);
    else
        gg_errlog("postgres error op=%s state=%s msg=\"%s\"", what, state ? state : "", msg);
    return gg;
}

/* ---- connection ---- */

static void on_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" and the like: not worth a log line */
}

static void tx_cache_reset(struct store_pg *q)
{
    memset(&q->tx, 0, sizeof q->tx);
    q->sp_depth = 0;
}

/* A new session has no prepared statements, listens to nothing and has nothing in flight. */
static void dyn_clear(struct store_pg *q)
{
    for (int i = 0; i < PG_DYN_SZ; i++)
        free(q->dyn[i].sql);
    memset(q->dyn, 0, sizeof q->dyn);
}

static void cache_clear(struct store_pg *q)
{
    dyn_clear(q);
    memset(q->cache, 0, sizeof q->cache);
    q->next_id = 0;
    q->listening = false;
    q->pipe = false;
    q->head = q->n_pending = 0;
}

static int session_setup(struct store_pg *q)
{
    PQsetNoticeProcessor(q->conn, on_notice, NULL);
    /* UTC timestamps and plain text; nothing in gridgov depends on the server's locale */
    PGresult *r = PQexec(q->conn, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    return ok ? 0 : -GG_EUNAVAILABLE;
}

static PGconn *connect_url(const char *url)
{
    /* defaults first: whatever the URL says wins (expand_dbname) */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"10", "gridgov", url, NULL};
    return PQconnectdbParams(keys, vals, 1);
}

/* Re-establishes a lost connection when no transaction is open (a restarted server): the
 * session's prepared statements are gone with it. */
static int ensure_conn(struct store_pg *q)
{
    if (PQstatus(q->conn) == CONNECTION_OK)
        return 0;
    if (q->in_tx)
        return -GG_EUNAVAILABLE;
    PQreset(q->conn);
    cache_clear(q);
    q->copy_table = NULL;
    if (PQpipelineStatus(q->conn) != PQ_PIPELINE_OFF)
        PQexitPipelineMode(q->conn);
    if (PQstatus(q->conn) != CONNECTION_OK || session_setup(q)) {
        char msg[300];
        first_line(PQerrorMessage(q->conn), msg, sizeof msg);
        gg_errlog("postgres reconnect failed msg=\"%s\"", msg);
        return -GG_EUNAVAILABLE;
    }
    gg_info("postgres connection re-established");
    return 0;
}

static bool result_ok(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* FNV-1a of the pointer: statement texts are static, so their addresses are stable keys. */
static size_t slot_of(const char *sql)
{
    uint64_t h = 1469598103934665603ULL;
    uintptr_t p = (uintptr_t)sql;
    for (size_t i = 0; i < sizeof p; i++) {
        h ^= (p >> (8 * i)) & 0xff;
        h *= 1099511628211ULL;
    }
    return (size_t)h & (PG_CACHE_SZ - 1);
}

/* sql's slot in the statement cache: its own, or the free one where it goes. */
static int cache_slot(struct store_pg *q, const char *sql, size_t *slot)
{
    size_t i = slot_of(sql);
    for (size_t k = 0; k < PG_CACHE_SZ; k++, i = (i + 1) & (PG_CACHE_SZ - 1)) {
        if (q->cache[i].sql == sql || !q->cache[i].sql) {
            *slot = i;
            return 0;
        }
    }
    return -GG_EINTERNAL; /* full: cannot happen with fewer statements than slots */
}

/* The name of sql's prepared statement on this connection, preparing it on first use. */
static int prepared(struct store_pg *q, const char *sql, char name[16], const char *what)
{
    size_t i;
    int rc = cache_slot(q, sql, &i);
    if (rc)
        return rc;
    if (q->cache[i].sql == sql && q->cache[i].id >= 0) {
        snprintf(name, 16, "g%d", q->cache[i].id);
        return 0;
    }
    int id = q->next_id++;
    snprintf(name, 16, "g%d", id);
    PGresult *r = PQprepare(q->conn, name, sql, 0, NULL);
    if (!result_ok(r)) {
        rc = translate(q, r, what);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    q->cache[i].sql = sql;
    q->cache[i].id = id;
    return 0;
}

static int finish(struct store_pg *q, PGresult *r, PGresult **res, const char *what)
{
    if (!result_ok(r)) {
        int rc = translate(q, r, what);
        PQclear(r);
        return rc;
    }
    *res = r;
    return 0;
}

/* A connection that was idle across a server restart still looks fine until it is used: the
 * first statement fails with the connection marked bad. Outside a transaction that statement
 * is run again once on a new connection, so that each thread's connection does not have to
 * fail one request of its own after the restart. Inside a transaction the failure stands (the
 * transaction is gone with the old connection) and app/ reports it as unavailable. */
static bool retry(struct store_pg *q, const PGresult *r, int attempt)
{
    return attempt == 0 && !result_ok(r) && !q->in_tx && PQstatus(q->conn) == CONNECTION_BAD;
}

/* ---- pipeline mode (pg_internal.h) ---- */

/* the savepoint statements are sent in now (0: none) */
static unsigned cur_serial(const struct store_pg *q)
{
    if (!q->in_tx || q->sp_depth == 0)
        return 0;
    return q->sp_serial[(q->sp_depth < PG_SP_SERIALS ? q->sp_depth : PG_SP_SERIALS) - 1];
}

static void pend(struct store_pg *q, enum pg_pend kind, int slot, const char *what)
{
    struct pg_pending *p = &q->pending[q->n_pending++];
    p->kind = (unsigned char)kind;
    p->slot = slot;
    p->serial = cur_serial(q);
    p->what = what;
}

/* libpq could not queue or send a message: the connection is gone */
static int send_failed(struct store_pg *q, const char *what)
{
    char msg[300];
    first_line(PQerrorMessage(q->conn), msg, sizeof msg);
    gg_errlog("postgres send failed op=%s msg=\"%s\"", what, msg);
    if (q->in_tx && !q->tx_err)
        q->tx_err = -GG_EUNAVAILABLE;
    return -GG_EUNAVAILABLE;
}

int pg_db_copy_end(struct store_pg *q, bool abort)
{
    if (!q->copy_table)
        return 0;
    const char *what = q->copy_table->name;
    q->copy_table = NULL;
    int rc = 0;
    if (PQputCopyEnd(q->conn, abort ? "gridgov copy stopped" : NULL) != 1)
        return send_failed(q, what);
    PGresult *r;
    while ((r = PQgetResult(q->conn))) {
        if (!rc && !abort && !result_ok(r))
            rc = translate(q, r, what);
        PQclear(r);
    }
    if (rc && q->in_tx && !q->tx_err)
        q->tx_err = rc;
    return rc;
}

static int pipe_enter(struct store_pg *q)
{
    int rc = pg_db_copy_end(q, false);
    if (rc)
        return rc;
    if (q->pipe)
        return 0;
    if (PQstatus(q->conn) != CONNECTION_OK || PQenterPipelineMode(q->conn) != 1)
        return send_failed(q, "pipeline");
    q->pipe = true;
    q->head = q->n_pending = q->since_poll = 0;
    return 0;
}

/* every settings row, the short values with them (PG_TXSET_VAL), one row more than fits */
static const char txset_sql[] = "SELECT key, CASE WHEN octet_length(value) < 512 THEN value END,"
                                " octet_length(value) < 512 FROM settings ORDER BY key LIMIT 17";
_Static_assert(PG_TXSET_VAL == 512 && PG_TXSET_N == 16, "txset_sql spells the sizes out");
static const char set_sql[] = "INSERT INTO settings(key, value) VALUES ($1, $2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
/* under the write lock, so a transaction's ids follow those of the one before it */
static const char ids_sql[] = "SELECT nextval(pg_get_serial_sequence('events', 'id'))"
                              " FROM generate_series(1, $1)";

static void txset_read(struct store_pg *q, const PGresult *r)
{
    int n = PQntuples(r);
    memset(q->tx.set, 0, sizeof q->tx.set);
    q->tx.complete = n <= PG_TXSET_N;
    for (int i = 0; i < n && i < PG_TXSET_N; i++) {
        struct pg_txset *e = &q->tx.set[i];
        const char *key = PQgetvalue(r, i, 0);
        if (strlen(key) >= sizeof e->key) {
            q->tx.complete = false;
            continue;
        }
        e->used = true;
        e->present = true;
        gg_strlcpy(e->key, key, sizeof e->key);
        e->is_long = !pg_bool(r, i, 2);
        if (!e->is_long)
            gg_strlcpy(e->value, PQgetvalue(r, i, 1), sizeof e->value);
    }
}

static void txaudit_read(struct store_pg *q, const PGresult *r)
{
    q->tx.audit_valid = true;
    q->tx.audit_id = PQntuples(r) ? pg_int(r, 0, 0) : 0;
    if (PQntuples(r))
        pg_text(r, 0, 1, q->tx.audit_hash, sizeof q->tx.audit_hash);
    else
        q->tx.audit_hash[0] = '\0';
}

static void ids_read(struct store_pg *q, const PGresult *r)
{
    int n = PQntuples(r);
    q->ids_n = q->ids_used = 0;
    for (int i = 0; i < n && i < PG_MAX_IDS; i++)
        q->ids[q->ids_n++] = pg_int(r, i, 0);
}

/* What an answer that came back without an error still says. */
static int pend_check(struct store_pg *q, const struct pg_pending *p, const PGresult *r)
{
    switch ((enum pg_pend)p->kind) {
    case PG_PEND_CHECKED:
    case PG_PEND_CHECKED_C:
        if (PQntuples(r) < 1 || pg_int(r, 0, 0) == 0)
            return -GG_ENOTFOUND;
        if (p->kind == PG_PEND_CHECKED_C && pg_int(r, 0, 1) == 0)
            return -GG_ECONFLICT;
        return 0;
    case PG_PEND_COMMIT:
        /* a transaction that had failed ends with ROLLBACK, without an error */
        if (strcmp(PQcmdStatus((PGresult *)r), "COMMIT") != 0) {
            gg_errlog("postgres commit rolled back op=%s", p->what);
            return -GG_EUNAVAILABLE;
        }
        return 0;
    case PG_PEND_TXSET:
        txset_read(q, r);
        return 0;
    case PG_PEND_TXAUDIT:
        txaudit_read(q, r);
        return 0;
    case PG_PEND_IDS:
        ids_read(q, r);
        return 0;
    default:
        return 0;
    }
}

/* A statement of the transaction failed (pg_internal.h): its use case's, or everyone's. */
static void pend_failed(struct store_pg *q, const struct pg_pending *p, int e)
{
    if (!q->in_tx)
        return;
    if (p->serial && p->serial == cur_serial(q)) {
        if (!q->job_err)
            q->job_err = e;
    } else if (!q->tx_err) {
        q->tx_err = e;
        gg_errlog("postgres write transaction failed by an earlier statement op=%s", p->what);
    }
}

/* Reads the answer of pending[head] (its result, then the NULL that ends a statement's
 * answers; a sync has no NULL). res/k: where a PG_PEND_RESULT's result goes. Returns its
 * error; *gone when the connection is. */
static int read_one(struct store_pg *q, PGresult **res, int nres, int *k, bool *gone)
{
    const struct pg_pending *p = &q->pending[q->head++];
    PGresult *r = PQgetResult(q->conn);
    if (!r) { /* no answer at all */
        *gone = true;
        return translate(q, NULL, p->what);
    }
    ExecStatusType st = PQresultStatus(r);
    if (p->kind == PG_PEND_SYNC) {
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            return 0;
        gg_errlog("postgres pipeline out of step status=%s", PQresStatus(st));
        *gone = true;
        return -GG_EIO;
    }
    int e = 0;
    if (st == PGRES_PIPELINE_ABORTED)
        e = -GG_EIO; /* skipped after an earlier failure, which is the one reported */
    else if (!result_ok(r))
        e = translate(q, r, p->what);
    else
        e = pend_check(q, p, r);
    if (p->kind == PG_PEND_PREPARE && e)
        q->cache[p->slot].id = -1; /* not prepared: prepare it again when next used */
    if (p->kind == PG_PEND_RESULT && *k < nres) {
        if (!e) {
            res[*k] = r;
            r = NULL;
        }
        (*k)++;
    }
    PQclear(r);
    if (e && st != PGRES_PIPELINE_ABORTED)
        pend_failed(q, p, e);
    if (PQstatus(q->conn) == CONNECTION_BAD) {
        *gone = true;
        return e ? e : -GG_EUNAVAILABLE;
    }
    for (int extra = 0; extra < 8 && (r = PQgetResult(q->conn)); extra++)
        PQclear(r);
    return e;
}

/* The connection broke with answers pending: none will come. */
static void pipe_gone(struct store_pg *q)
{
    q->head = q->n_pending = 0;
    if (q->in_tx && !q->tx_err)
        q->tx_err = -GG_EUNAVAILABLE;
}

/* Sends a sync and reads every answer still pending, in order, up to it; res[0..nres) get the
 * results of the PG_PEND_RESULT statements (NULL for one that failed). Returns the first
 * error: a later statement of the same batch was skipped by the server, so the first one is
 * the cause. */
static int pipe_sync(struct store_pg *q, PGresult **res, int nres)
{
    int rc = 0, k = 0;
    bool gone = false;
    if (q->stats_n) /* gathered counters go first */
        rc = pg_stats_flush(q);
    if (PQpipelineSync(q->conn) != 1) {
        pipe_gone(q);
        return send_failed(q, "sync");
    }
    pend(q, PG_PEND_SYNC, 0, "sync");
    while (q->head < q->n_pending && !gone) {
        int e = read_one(q, res, nres, &k, &gone);
        if (e && !rc)
            rc = e;
    }
    if (gone)
        pipe_gone(q);
    q->head = q->n_pending = 0;
    return rc;
}

/* Reads the answers that have already arrived, without waiting for more. */
static void pipe_poll(struct store_pg *q)
{
    q->since_poll = 0;
    if (q->head == q->n_pending)
        return;
    if (PQflush(q->conn) < 0 || !PQconsumeInput(q->conn)) {
        pipe_gone(q);
        return;
    }
    bool gone = false;
    int k = 0;
    while (q->head < q->n_pending && !gone && !PQisBusy(q->conn))
        read_one(q, NULL, 0, &k, &gone);
    if (gone)
        pipe_gone(q);
}

/* the error a call inside a failed transaction, or a failed use case, returns at once */
static int pipe_failed(const struct store_pg *q)
{
    if (!q->in_tx)
        return 0;
    return q->tx_err ? q->tx_err : q->job_err;
}

/* Queues sql (prepared on this connection, preparing it first when new, unless !prepare: the
 * transaction commands, sent unnamed) without waiting for its answer. */
static int pipe_send(struct store_pg *q, const char *sql, const struct pg_args *a, bool prepare,
                     enum pg_pend kind, const char *what)
{
    int rc = pipe_failed(q);
    if (rc)
        return rc;
    if (q->stats_n && (rc = pg_stats_flush(q))) /* gathered counters go first */
        return rc;
    if (q->n_pending >= PG_MAX_PENDING) {
        if (q->head > 0) { /* room at the front */
            memmove(q->pending, q->pending + q->head,
                    (size_t)(q->n_pending - q->head) * sizeof q->pending[0]);
            q->n_pending -= q->head;
            q->head = 0;
        }
        if (q->n_pending >= PG_MAX_PENDING && (rc = pipe_sync(q, NULL, 0)))
            return rc;
        if ((rc = pipe_failed(q)))
            return rc;
    }
    int n = a ? a->n : 0;
    const char *const *v = a ? a->v : NULL;
    if (!prepare) {
        if (PQsendQueryParams(q->conn, sql, n, NULL, v, NULL, NULL, 0) != 1)
            return send_failed(q, what);
        pend(q, kind, 0, what);
    } else {
        size_t i;
        char name[16];
        if ((rc = cache_slot(q, sql, &i)))
            return rc;
        if (q->cache[i].sql != sql || q->cache[i].id < 0) {
            int id = q->next_id++;
            snprintf(name, sizeof name, "g%d", id);
            if (PQsendPrepare(q->conn, name, sql, 0, NULL) != 1)
                return send_failed(q, what);
            q->cache[i].sql = sql;
            q->cache[i].id = id;
            pend(q, PG_PEND_PREPARE, (int)i, what);
        }
        snprintf(name, sizeof name, "g%d", q->cache[i].id);
        if (PQsendQueryPrepared(q->conn, name, n, v, NULL, NULL, 0) != 1)
            return send_failed(q, what);
        pend(q, kind, 0, what);
    }
    /* every few statements: ask the server to send what it has, and read what came */
    if (++q->since_poll >= 32 && kind != PG_PEND_RESULT) {
        if (PQsendFlushRequest(q->conn) != 1)
            return send_failed(q, what);
        pipe_poll(q);
    }
    return 0;
}

/* A statement whose result is wanted, inside the pipeline: everything before it is answered
 * in the same round trip. */
static int pipe_query(struct store_pg *q, const char *sql, const struct pg_args *a, bool prepare,
                      PGresult **res, const char *what)
{
    PGresult *r = NULL;
    int rc = pipe_send(q, sql, a, prepare, PG_PEND_RESULT, what);
    if (rc)
        return rc;
    rc = pipe_sync(q, &r, 1);
    if (!rc && !r)
        rc = -GG_EIO;
    if (rc) {
        PQclear(r);
        return rc;
    }
    *res = r;
    return 0;
}

int pg_db_pipe_leave(struct store_pg *q)
{
    if (q->stats_n && q->in_tx && !q->tx_err) { /* gathered counters go first */
        int rc = pipe_enter(q);
        if (!rc)
            rc = pg_stats_flush(q);
        if (rc)
            return rc;
    }
    if (!q->pipe)
        return pg_db_copy_end(q, false);
    int rc = q->head < q->n_pending ? pipe_sync(q, NULL, 0) : 0;
    if (PQexitPipelineMode(q->conn) != 1 && PQstatus(q->conn) == CONNECTION_OK) {
        gg_errlog("postgres cannot leave pipeline mode msg=\"%s\"", PQerrorMessage(q->conn));
        if (!rc)
            rc = -GG_EIO;
    }
    q->pipe = false;
    q->head = q->n_pending = 0;
    if (!rc)
        rc = pipe_failed(q);
    return rc;
}

int pg_db_send(struct store_pg *q, const char *sql, const struct pg_args *a, const char *what)
{
    if (!q->in_tx)
        return pg_db_run(q, sql, a, NULL, what);
    int rc = pipe_enter(q);
    return rc ? rc : pipe_send(q, sql, a, true, PG_PEND_PLAIN, what);
}

int pg_db_send_checked(struct store_pg *q, const char *sql, const struct pg_args *a,
                       bool conflict_is_error, const char *what)
{
    if (!q->in_tx)
        return pg_db_insert_checked(q, sql, a, conflict_is_error, what);
    int rc = pipe_enter(q);
    return rc ? rc
              : pipe_send(q, sql, a, true, conflict_is_error ? PG_PEND_CHECKED_C : PG_PEND_CHECKED,
                          what);
}

int pg_db_event_id(struct store_pg *q, int64_t *id)
{
    if (q->ids_used >= q->ids_n) {
        /* ran out: as many again as this transaction has inserted so far */
        struct pg_args a;
        PGresult *r = NULL;
        pg_args_init(&a);
        pg_arg_int(&a, q->inserted < 1 ? 1 : q->inserted > PG_MAX_IDS ? PG_MAX_IDS : q->inserted);
        int rc = pg_db_query(q, ids_sql, &a, &r, "event_ids");
        if (rc)
            return rc;
        ids_read(q, r);
        PQclear(r);
        if (q->ids_n == 0)
            return -GG_EIO;
    }
    *id = q->ids[q->ids_used++];
    q->inserted++;
    return 0;
}

int pg_db_query_many(struct store_pg *q, int n, const char *const *sql,
                     const struct pg_args *const *a, PGresult **res, const char *what)
{
    for (int attempt = 0;; attempt++) {
        for (int i = 0; i < n; i++)
            res[i] = NULL;
        int rc = q->in_tx ? pipe_failed(q) : ensure_conn(q);
        if (!rc)
            rc = pg_db_copy_end(q, false);
        if (rc)
            return rc;
        bool was_pipe = q->pipe;
        rc = pipe_enter(q);
        for (int i = 0; !rc && i < n; i++)
            rc = pipe_send(q, sql[i], a[i], true, PG_PEND_RESULT, what);
        if (!rc || q->head < q->n_pending) {
            int rs = pipe_sync(q, res, n);
            if (!rc)
                rc = rs;
        }
        if (!was_pipe && q->pipe && PQstatus(q->conn) == CONNECTION_OK) {
            PQexitPipelineMode(q->conn);
            q->pipe = false;
        }
        if (rc) {
            for (int i = 0; i < n; i++) {
                PQclear(res[i]);
                res[i] = NULL;
            }
            if (attempt == 0 && !q->in_tx && PQstatus(q->conn) == CONNECTION_BAD)
                continue;
        }
        return rc;
    }
}

int pg_db_rows(const PGresult *r, size_t elem,
               void (*read)(const PGresult *res, int row, void *out, void *ctx), void *ctx,
               void **items, size_t *n)
{
    int rows = PQntuples(r);
    char *arr = NULL;
    *items = NULL;
    *n = 0;
    if (rows > 0) {
        arr = calloc((size_t)rows, elem);
        if (!arr)
            return -GG_ENOMEM;
        for (int i = 0; i < rows; i++)
            read(r, i, arr + (size_t)i * elem, ctx);
    }
    *items = arr;
    *n = (size_t)rows;
    return 0;
}

/* ---- statements ---- */

/* Prepares sql on this session with `prep` (once) and runs it; a connection lost outside a
 * transaction is re-established and the statement run again once. */
static int run_prepared(struct store_pg *q,
                        int (*prep)(struct store_pg *, const char *, char[16], const char *),
                        const char *sql, const struct pg_args *a, PGresult **res,
                        const char *what)
{
    for (int attempt = 0;; attempt++) {
        char name[16];
        int rc = ensure_conn(q);
        if (!rc)
            rc = prep(q, sql, name, what);
        if (rc == -GG_EUNAVAILABLE && attempt == 0 && !q->in_tx &&
            PQstatus(q->conn) == CONNECTION_BAD)
            continue;
        if (rc)
            return rc;
        PGresult *r =
            PQexecPrepared(q->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0);
        if (retry(q, r, attempt)) {
            PQclear(r);
            continue;
        }
        return finish(q, r, res, what);
    }
}

static int dyn_prepared(struct store_pg *q, const char *sql, char name[16], const char *what);

/* Before a query: a COPY in progress ends; in a transaction, gathered counters go first. */
static int query_prologue(struct store_pg *q)
{
    int rc = pg_db_copy_end(q, false);
    if (!rc && q->in_tx && q->stats_n)
        rc = pipe_enter(q);
    return rc;
}

int pg_db_query(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                const char *what)
{
    int rc0 = query_prologue(q);
    if (rc0)
        return rc0;
    if (q->pipe)
        return pipe_query(q, sql, a, true, res, what);
    return run_prepared(q, prepared, sql, a, res, what);
}

int pg_db_query_once(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                     const char *what)
{
    int rc0 = query_prologue(q);
    if (rc0)
        return rc0;
    if (q->pipe)
        return pipe_query(q, sql, a, false, res, what);
    for (int attempt = 0;; attempt++) {
        int rc = ensure_conn(q);
        if (rc)
            return rc;
        PGresult *r =
            PQexecParams(q->conn, sql, a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
        if (retry(q, r, attempt)) {
            PQclear(r);
            continue;
        }
        return finish(q, r, res, what);
    }
}

/* sql's statement in the dynamic cache, prepared on this session (name "d<id>") */
static int dyn_prepared(struct store_pg *q, const char *sql, char name[16], const char *what)
{
    for (int i = 0; i < PG_DYN_SZ; i++)
        if (q->dyn[i].sql && strcmp(q->dyn[i].sql, sql) == 0) {
            snprintf(name, 16, "d%d", q->dyn[i].id);
            return 0;
        }
    struct pg_dyn *d = &q->dyn[q->dyn_next++ % PG_DYN_SZ];
    if (d->sql) { /* the oldest goes */
        char dealloc[40];
        snprintf(dealloc, sizeof dealloc, "DEALLOCATE d%d", d->id);
        PQclear(PQexec(q->conn, dealloc));
        free(d->sql);
        d->sql = NULL;
    }
    char *copy = strdup(sql);
    if (!copy)
        return -GG_ENOMEM;
    int id = q->next_id++;
    snprintf(name, 16, "d%d", id);
    PGresult *r = PQprepare(q->conn, name, sql, 0, NULL);
    if (!result_ok(r)) {
        int rc = translate(q, r, what);
        PQclear(r);
        free(copy);
        return rc;
    }
    PQclear(r);
    *d = (struct pg_dyn){.sql = copy, .id = id};
    return 0;
}

int pg_db_query_dyn(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                    const char *what)
{
    if (q->in_tx || q->pipe || q->copy_table)
        return pg_db_query_once(q, sql, a, res, what);
    return run_prepared(q, dyn_prepared, sql, a, res, what);
}

int pg_db_run(struct store_pg *q, const char *sql, const struct pg_args *a, int64_t *changed,
              const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

int pg_db_insert_checked(struct store_pg *q, const char *sql, const struct pg_args *a,
                         bool conflict_is_error, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (pg_int(r, 0, 0) == 0)
        rc = -GG_ENOTFOUND;
    else if (conflict_is_error && pg_int(r, 0, 1) == 0)
        rc = -GG_ECONFLICT;
    PQclear(r);
    return rc;
}

int pg_db_collect(struct store_pg *q, const char *sql, const struct pg_args *a, size_t elem,
                  void (*read)(const PGresult *res, int row, void *out, void *ctx), void *ctx,
                  void **items, size_t *n, const char *what)
{
    PGresult *r = NULL;
    *items = NULL;
    *n = 0;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    rc = pg_db_rows(r, elem, read, ctx, items, n);
    PQclear(r);
    return rc;
}

int pg_db_exec(struct store_pg *q, const char *sql, const char *what)
{
    int rc = pg_db_copy_end(q, false);
    if (!rc)
        rc = pg_db_pipe_leave(q); /* PQexec is not allowed in pipeline mode */
    if (!rc)
        rc = ensure_conn(q);
    if (rc)
        return rc;
    PGresult *r = PQexec(q->conn, sql);
    if (retry(q, r, 0)) {
        PQclear(r);
        rc = ensure_conn(q);
        if (rc)
            return rc;
        r = PQexec(q->conn, sql);
    }
    if (!result_ok(r)) {
        rc = translate(q, r, what);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    return 0;
}

/* ---- the transaction's settings cache (pg_internal.h) ---- */

static struct pg_txset *txset_find(struct store_pg *q, const char *key)
{
    for (int i = 0; i < PG_TXSET_N; i++)
        if (q->tx.set[i].used && strcmp(q->tx.set[i].key, key) == 0)
            return &q->tx.set[i];
    return NULL;
}

/* a free entry for key, or a clean one given up for it; NULL when every entry is dirty */
static struct pg_txset *txset_add(struct store_pg *q, const char *key)
{
    if (strlen(key) >= sizeof q->tx.set[0].key)
        return NULL;
    struct pg_txset *e = NULL;
    for (int i = 0; i < PG_TXSET_N && !e; i++)
        if (!q->tx.set[i].used)
            e = &q->tx.set[i];
    for (int i = 0; i < PG_TXSET_N && !e; i++)
        if (!q->tx.set[i].dirty) {
            e = &q->tx.set[i];
            q->tx.complete = false; /* a row it knew is no longer there */
        }
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    e->used = true;
    gg_strlcpy(e->key, key, sizeof e->key);
    return e;
}

/* Sends the settings written in this transaction (deferred, before whatever comes next). */
static int txset_flush(struct store_pg *q)
{
    int rc = 0;
    for (int i = 0; !rc && i < PG_TXSET_N; i++) {
        struct pg_txset *e = &q->tx.set[i];
        if (!e->used || !e->dirty)
            continue;
        struct pg_args a;
        pg_args_init(&a);
        pg_arg_text(&a, e->key);
        pg_arg_text(&a, e->value);
        rc = pipe_send(q, set_sql, &a, true, PG_PEND_PLAIN, "setting_set");
        e->dirty = false;
    }
    return rc;
}

/* ---- transactions ---- */

static void tx_end(struct store_pg *q)
{
    pg_stats_drop(q);
    q->in_tx = false;
    tx_cache_reset(q);
    q->tx_err = q->job_err = 0;
    /* the next transaction reserves as many event ids as this one used */
    q->ids_want = q->inserted > PG_MAX_IDS ? PG_MAX_IDS : q->inserted;
    q->ids_n = q->ids_used = q->inserted = 0;
}

/* Ends an open transaction that could not go on (on a connection that still works). */
static void tx_abandon(struct store_pg *q)
{
    tx_end(q);
    pg_db_pipe_leave(q); /* its errors are the transaction's, already reported */
    if (PQstatus(q->conn) == CONNECTION_OK) {
        PGresult *r = PQexec(q->conn, "ROLLBACK");
        PQclear(r);
    }
}

/* READ COMMITTED is enough: event_update's "WHERE version = v - 1" waits for a concurrent
 * writer of the same row and then re-checks against the committed version, so exactly one of
 * two racing actions matches. One round trip: BEGIN, the write lock, and, under the lock, the
 * reads that the transaction's writes would otherwise wait for one by one (settings, the
 * audit chain's last entry, event ids); the connection then stays in pipeline mode until
 * commit. */
static int tx_begin(struct store *s)
{
    struct store_pg *q = pg_of(s);
    for (int attempt = 0;; attempt++) {
        int rc = pg_db_pipe_leave(q);
        if (!rc)
            rc = ensure_conn(q);
        if (rc)
            return rc;
        int want = q->ids_want;
        tx_cache_reset(q);
        q->tx_err = q->job_err = 0;
        q->ids_n = q->ids_used = q->inserted = 0;
        rc = pipe_enter(q);
        if (!rc)
            rc = pipe_send(q, "BEGIN", NULL, false, PG_PEND_PLAIN, "begin");
        if (!rc)
            rc = pipe_send(q, "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")", NULL, true,
                           PG_PEND_PLAIN, "begin");
        if (!rc)
            rc = pipe_send(q, txset_sql, NULL, true, PG_PEND_TXSET, "begin");
        if (!rc)
            rc = pipe_send(q, pg_audit_last_sql, NULL, true, PG_PEND_TXAUDIT, "begin");
        if (!rc && want > 0) {
            struct pg_args a;
            pg_args_init(&a);
            pg_arg_int(&a, want);
            rc = pipe_send(q, ids_sql, &a, true, PG_PEND_IDS, "begin");
        }
        if (!rc || q->head < q->n_pending) {
            int rs = pipe_sync(q, NULL, 0);
            if (!rc)
                rc = rs;
        }
        if (!rc) {
            q->in_tx = true;
            return 0;
        }
        /* a connection that died while idle (a server restart): once more on a new one */
        bool again = attempt == 0 && PQstatus(q->conn) == CONNECTION_BAD;
        tx_abandon(q);
        if (!again)
            return rc;
    }
}

static int tx_commit(struct store *s)
{
    struct store_pg *q = pg_of(s);
    int rc = pipe_enter(q); /* also ends a COPY */
    if (!rc)
        rc = txset_flush(q);
    if (!rc)
        rc = pipe_send(q, "COMMIT", NULL, false, PG_PEND_COMMIT, "commit");
    if (!rc || q->head < q->n_pending) {
        int rs = pipe_sync(q, NULL, 0);
        if (!rc)
            rc = rs;
    }
    if (!rc)
        rc = pipe_failed(q);
    int rl = pg_db_pipe_leave(q);
    if (!rc)
        rc = rl;
    tx_end(q);
    return rc;
}

static int tx_rollback(struct store *s)
{
    struct store_pg *q = pg_of(s);
    tx_end(q);
    if (PQstatus(q->conn) == CONNECTION_OK)
        pg_db_copy_end(q, true);
    q->copy_table = NULL;
    if (PQstatus(q->conn) != CONNECTION_OK) {
        q->head = q->n_pending = 0;
        return 0; /* the server already dropped the transaction */
    }
    pg_db_pipe_leave(q); /* the answers of a failed transaction: already reported */
    return pg_db_exec(q, "ROLLBACK", "rollback");
}

/* Savepoints nest (a use case inside the group commit, an import's row inside it); the tx
 * cache is kept at each level so that a rollback to it also forgets what the cache learned
 * after it. Deeper than PG_SP_MAX the cache is written out and emptied instead. */
static int tx_savepoint(struct store *s)
{
    struct store_pg *q = pg_of(s);
    if (!q->in_tx)
        return pg_db_exec(q, "SAVEPOINT sp", "savepoint");
    int rc = pipe_enter(q);
    if (!rc)
        rc = pipe_failed(q);
    if (!rc && q->sp_depth >= PG_SP_MAX) {
        rc = txset_flush(q);
        memset(&q->tx, 0, sizeof q->tx);
    } else if (!rc) {
        q->sp[q->sp_depth] = q->tx;
    }
    if (rc)
        return rc;
    /* the statement belongs to the level it opens: its failure is that level's */
    if (q->sp_depth < PG_SP_SERIALS)
        q->sp_serial[q->sp_depth] = ++q->next_serial;
    q->sp_depth++;
    rc = pipe_send(q, "SAVEPOINT sp", NULL, false, PG_PEND_PLAIN, "savepoint");
    if (rc)
        q->sp_depth--;
    return rc;
}

/* The end of a use case, without waiting: its statements are answered later (pg_internal.h).
 * A failure found before is returned here, and the caller rolls back to the savepoint. */
static int tx_release(struct store *s)
{
    struct store_pg *q = pg_of(s);
    if (!q->in_tx)
        return pg_db_exec(q, "RELEASE SAVEPOINT sp", "release");
    int rc = pipe_enter(q);
    if (!rc)
        rc = pipe_send(q, "RELEASE SAVEPOINT sp", NULL, false, PG_PEND_PLAIN, "release");
    if (!rc && q->sp_depth > 0)
        q->sp_depth--; /* else the savepoint is still there, for the caller's rollback_to */
    /* hand the use case to the server now (libpq would keep it until its buffer fills): it
     * works on this one while the writer prepares the next */
    if (!rc && q->sp_depth == 0 && PQflush(q->conn) < 0)
        rc = send_failed(q, "release");
    return rc;
}

static int tx_rollback_to(struct store *s)
{
    struct store_pg *q = pg_of(s);
    if (!q->in_tx)
        return pg_db_exec(q, "ROLLBACK TO SAVEPOINT sp; RELEASE SAVEPOINT sp", "rollback_to");
    if (q->tx_err)
        return q->tx_err;
    int rc = pipe_enter(q);
    pg_stats_drop(q); /* gathered in the level rolled back (earlier ones went out before it) */
    /* the failed use case's own answers first: after an error the server skips everything up
     * to the next sync, so the rollback must come after one */
    if (!rc && q->head < q->n_pending)
        pipe_sync(q, NULL, 0);
    if (!rc && q->tx_err)
        rc = q->tx_err;
    q->job_err = 0;
    if (!rc)
        rc = pipe_send(q, "ROLLBACK TO SAVEPOINT sp", NULL, false, PG_PEND_PLAIN, "rollback_to");
    if (!rc)
        rc = pipe_send(q, "RELEASE SAVEPOINT sp", NULL, false, PG_PEND_PLAIN, "rollback_to");
    if (!rc || q->head < q->n_pending) {
        int rs = pipe_sync(q, NULL, 0);
        if (!rc)
            rc = rs;
    }
    if (q->sp_depth > 0) {
        q->sp_depth--;
        if (q->sp_depth < PG_SP_MAX)
            q->tx = q->sp[q->sp_depth];
        else
            memset(&q->tx, 0, sizeof q->tx);
    }
    if (rc && !q->tx_err)
        q->tx_err = rc; /* not even the rollback worked: the transaction cannot go on */
    q->job_err = 0;
    return rc;
}

/* ---- settings ---- */

static int dup_value(const char *v, char **value)
{
    *value = NULL;
    if (!v)
        return 0;
    *value = strdup(v);
    return *value ? 0 : -GG_ENOMEM;
}

static int setting_get(struct store *s, const char *key, char **value)
{
    struct store_pg *q = pg_of(s);
    struct pg_txset *e = q->in_tx ? txset_find(q, key) : NULL;
    if (e && !e->is_long)
        return dup_value(e->present ? e->value : NULL, value);
    if (q->in_tx && !e && q->tx.complete) {
        *value = NULL;
        return 0;
    }
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, key);
    int rc = pg_db_query(q, "SELECT value FROM settings WHERE key = $1", &a, &r, "setting_get");
    if (rc)
        return rc;
    const char *v = PQntuples(r) ? PQgetvalue(r, 0, 0) : NULL;
    rc = dup_value(v, value);
    if (!rc && q->in_tx && !e && (!v || strlen(v) < PG_TXSET_VAL) && (e = txset_add(q, key))) {
        e->present = v != NULL;
        if (v)
            gg_strlcpy(e->value, v, sizeof e->value);
    }
    PQclear(r);
    return rc;
}

static int setting_set(struct store *s, const char *key, const char *value)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    if (!value)
        value = "";
    if (q->in_tx) {
        struct pg_txset *e = txset_find(q, key);
        if (strlen(value) < PG_TXSET_VAL) {
            if (!e)
                e = txset_add(q, key);
            if (e) { /* written at commit */
                gg_strlcpy(e->value, value, sizeof e->value);
                e->present = true;
                e->is_long = false;
                e->dirty = true;
                return 0;
            }
            q->tx.complete = false;
        } else if (e) {
            e->present = true;
            e->is_long = true;
            e->dirty = false;
        } else {
            q->tx.complete = false;
        }
    }
    pg_args_init(&a);
    pg_arg_text(&a, key);
    pg_arg_text(&a, value);
    return pg_db_send(q, set_sql, &a, "setting_set");
}

/* A PostgreSQL database is backed up by the server's own tools (docs/operations.md). */
static int backup(struct store *s, const char *path, struct gg_error *err)
{
    (void)s;
    (void)path;
    return gg_error_set(err, GG_EINVAL, "db",
                        "PostgreSQL databases are backed up with pg_dump -Fc (docs/operations.md)");
}

/* ---- open / close ---- */

static void db_close(struct store *s)
{
    struct store_pg *q = pg_of(s);
    PQfinish(q->conn);
    dyn_clear(q);
    free(q->stats);
    free(q);
}

/* each statement reads its own snapshot: no BEGIN/COMMIT round trips around a request's reads */
static int read_nop(struct store *s)
{
    (void)s;
    return 0;
}

static const struct store_ops pg_ops = {
    .name = "postgres",
    .close = db_close,
    .init_schema = store_init_schema,
    .schema_version = pg_schema_version,
    .migrate = pg_schema_migrate,
    .begin = tx_begin,
    .commit = tx_commit,
    .rollback = tx_rollback,
    .savepoint = tx_savepoint,
    .read_begin = read_nop,
    .read_end = read_nop,
    .release = tx_release,
    .rollback_to = tx_rollback_to,
    .org_insert = pg_orgs_insert,
    .org_update = pg_orgs_update,
    .org_get = pg_orgs_get,
    .org_get_by_code = pg_orgs_get_by_code,
    .org_boundary = pg_orgs_boundary,
    .org_list = pg_orgs_list,
    .org_grids_each = pg_orgs_grids_each,
    .org_departments = pg_orgs_departments,
    .org_count = pg_orgs_count,
    .category_upsert = pg_users_category_upsert,
    .category_get = pg_users_category_get,
    .category_list = pg_users_category_list,
    .user_insert = pg_users_insert,
    .user_get = pg_users_get,
    .user_get_by_name = pg_users_get_by_name,
    .user_list = pg_users_list,
    .login_failure_add = pg_users_login_failure_add,
    .login_failure_count = pg_users_login_failure_count,
    .login_failure_clear = pg_users_login_failure_clear,
    .token_insert = pg_users_token_insert,
    .token_get = pg_users_token_get,
    .token_delete = pg_users_token_delete,
    .event_insert = pg_events_insert,
    .event_update = pg_events_update,
    .event_get = pg_events_get,
    .event_list = pg_events_list,
    .event_nearby = pg_events_nearby,
    .event_overdue = pg_events_overdue,
    .event_count_by_status = pg_events_count_by_status,
    .timeline_insert = pg_events_timeline_insert,
    .timeline_list = pg_events_timeline_list,
    .whistle_insert = pg_events_whistle_insert,
    .whistle_report_in = pg_events_whistle_report_in,
    .whistle_list = pg_events_whistle_list,
    .event_get_view = pg_events_get_view,
    .attachment_insert = pg_events_attachment_insert,
    .attachment_get = pg_events_attachment_get,
    .event_attach = pg_events_attach,
    .event_attachments = pg_events_attachments,
    .attachment_events = pg_events_attachment_events,
    .audit_append = pg_audit_append,
    .audit_list = pg_audit_list,
    .audit_verify = pg_audit_verify,
    .backup = backup,
    .setting_get = setting_get,
    .setting_set = setting_set,
    .stat_add = pg_stats_add,
    .stat_cat_add = pg_stats_cat_add,
    .stat_sum = pg_stats_sum,
    .stat_series = pg_stats_series,
    .stat_cat_sum = pg_stats_cat_sum,
    .stat_scan = pg_stats_scan,
    .stat_stale_colors = pg_stats_stale_colors,
    .stat_open_overdue = pg_stats_open_overdue,
    .stat_clear = pg_stats_clear,
    .stat_log_add = pg_stats_log_add,
    .stat_log_take = pg_stats_log_take,
    .stat_log_any = pg_stats_log_any,
    .stat_grids = pg_stats_grids,
    .stat_points = pg_stats_points,
    .stat_surge = pg_stats_surge,
    .feed_insert = pg_notify_feed_insert,
    .feed_newest = pg_notify_feed_newest,
    .feed_after = pg_notify_feed_after,
    .feed_wait = pg_notify_feed_wait,
    .message_insert = pg_notify_message_insert,
    .message_list = pg_notify_message_list,
    .message_read = pg_notify_message_read,
    .users_at = pg_notify_users_at,
    .messages_at = pg_notify_messages_at,
    .outbox_insert = pg_notify_outbox_insert,
    .outbox_due = pg_notify_outbox_due,
    .outbox_done = pg_notify_outbox_done,
    .outbox_retry = pg_notify_outbox_retry,
    /* issue 4 */
    .event_recolor_due = pg_eval_recolor_due,
    .event_set_mark = pg_eval_set_mark,
    .dept_rating_insert = pg_eval_dept_rating_insert,
    .dept_rating_list = pg_eval_dept_rating_list,
    .dept_stats = pg_eval_dept_stats,
    .property_insert = pg_eval_property_insert,
    .property_update = pg_eval_property_update,
    .property_get = pg_eval_property_get,
    .property_list = pg_eval_property_list,
    .property_areas_set = pg_eval_property_areas_set,
    .property_areas = pg_eval_property_areas,
    .property_complaints = pg_eval_property_complaints,
    /* issue 6 */
    .person_insert = pg_people_person_insert,
    .person_update = pg_people_person_update,
    .person_delete = pg_people_person_delete,
    .person_get = pg_people_person_get,
    .person_list = pg_people_person_list,
    .household_insert = pg_people_household_insert,
    .household_update = pg_people_household_update,
    .household_delete = pg_people_household_delete,
    .household_get = pg_people_household_get,
    .household_get_by_code = pg_people_household_get_by_code,
    .household_list = pg_people_household_list,
    .house_insert = pg_people_house_insert,
    .house_update = pg_people_house_update,
    .house_delete = pg_people_house_delete,
    .house_get = pg_people_house_get,
    .house_list = pg_people_house_list,
    .order_insert = pg_orders_insert,
    .order_update = pg_orders_update,
    .order_get = pg_orders_get,
    .order_list = pg_orders_list,
    .order_attach = pg_orders_attach,
    .order_attachments = pg_orders_attachments,
    .points_post = pg_orders_points_post,
    .points_account = pg_orders_points_account,
    .points_entries = pg_orders_points_entries,
    .points_leaderboard = pg_orders_points_leaderboard,
    .item_insert = pg_orders_item_insert,
    .item_update = pg_orders_item_update,
    .item_get = pg_orders_item_get,
    .item_list = pg_orders_item_list,
    .item_take = pg_orders_item_take,
    .redemption_insert = pg_orders_redemption_insert,
    .redemption_list = pg_orders_redemption_list,
    .visit_insert = pg_visits_insert,
    .visit_list = pg_visits_list,
    .visit_latest = pg_visits_latest,
    .topic_insert = pg_topics_insert,
    .topic_update = pg_topics_update,
    .topic_get = pg_topics_get,
    .topic_list = pg_topics_list,
    .topic_support_add = pg_topics_support_add,
    .topic_vote_add = pg_topics_vote_add,
    .topic_rating_add = pg_topics_rating_add,
    .topic_meeting_set = pg_topics_meeting_set,
    .topic_attendees = pg_topics_attendees,
    .topic_minutes = pg_topics_minutes,
    .topic_mine = pg_topics_mine,
    .topic_note_insert = pg_topics_note_insert,
    .topic_notes = pg_topics_notes,
    .disclosure_insert = pg_topics_disclosure_insert,
    .disclosure_get = pg_topics_disclosure_get,
    .disclosure_items = pg_topics_disclosure_items,
    .disclosure_list = pg_topics_disclosure_list,
    .copy_read = pg_copy_read,
    .copy_write = pg_copy_write,
    .copy_done = pg_copy_done,
    .party_org_insert = pg_party_org_insert,
    .party_org_get = pg_party_org_get,
    .party_org_list = pg_party_org_list,
    .party_member_insert = pg_party_member_insert,
    .party_member_get = pg_party_member_get,
    .party_member_by_user = pg_party_member_by_user,
    .party_member_list = pg_party_member_list,
    .report_in_insert = pg_party_report_in_insert,
    .report_in_list = pg_party_report_in_list,
    .cover_insert = pg_party_cover_insert,
    .cover_delete = pg_party_cover_delete,
    .cover_get = pg_party_cover_get,
    .cover_list = pg_party_cover_list,
    .cover_for_path = pg_party_cover_for_path,
    .meeting_insert = pg_party_meeting_insert,
    .meeting_get = pg_party_meeting_get,
    .meeting_list = pg_party_meeting_list,
    .attendance_set = pg_party_attendance_set,
    .attendance_list = pg_party_attendance_list,
    .meeting_facts = pg_party_meeting_facts,
    .task_insert = pg_party_task_insert,
    .task_update = pg_party_task_update,
    .task_get = pg_party_task_get,
    .task_list = pg_party_task_list,
    .milestone_insert = pg_party_milestone_insert,
    .milestone_update = pg_party_milestone_update,
    .milestone_get = pg_party_milestone_get,
    .milestone_list = pg_party_milestone_list,
    .milestone_overdue = pg_party_milestone_overdue,
    .task_report_insert = pg_party_task_report_insert,
    .task_report_list = pg_party_task_report_list,
    /* issue 6 item 8: participation in the rankings */
    .rank_orders = pg_rank_orders,
    .rank_visits = pg_rank_visits,
    .rank_branches = pg_rank_branches,
    .rank_meetings = pg_rank_meetings,
    .rank_tasks = pg_rank_tasks,
    .rank_cadres = pg_rank_cadres,
};

/* "host:port" of a connection attempt, for messages that must not echo a password. */
static void where(PGconn *c, char *out, size_t sz)
{
    const char *h = c ? PQhost(c) : NULL;
    const char *p = c ? PQport(c) : NULL;
    const char *d = c ? PQdb(c) : NULL;
    snprintf(out, sz, "%s:%s/%s", h && *h ? h : "localhost", p && *p ? p : "5432",
             d && *d ? d : "");
}

int pg_db_open(const char *url, struct store **out, struct gg_error *err)
{
    struct store_pg *q = calloc(1, sizeof *q);
    if (!q)
        return gg_error_set(err, GG_ENOMEM, "", "out of memory");
    q->base.ops = &pg_ops;
    gg_strlcpy(q->url, url, sizeof q->url);
    q->conn = connect_url(url);
    if (!q->conn) {
        free(q);
        return gg_error_set(err, GG_ENOMEM, "", "out of memory");
    }
    if (PQstatus(q->conn) != CONNECTION_OK) {
        /* one line for the operator: where, and libpq's reason (refused, bad password, no such
         * database …) without its hints on further lines */
        char at[200], msg[200];
        const char *m = PQerrorMessage(q->conn);
        const char *why = strstr(m, "failed: ");
        why = why ? why + 8 : m;
        if (strncmp(why, "FATAL:", 6) == 0)
            why += 6 + strspn(why + 6, " ");
        first_line(why, msg, sizeof msg);
        where(q->conn, at, sizeof at);
        /* no log line here: the caller reports err (the CLI prints it as its one line) */
        int rc = gg_error_set(err, GG_EUNAVAILABLE, "", "cannot connect to PostgreSQL at %s: %s",
                              at, msg);
        PQfinish(q->conn);
        free(q);
        return rc;
    }
    if (session_setup(q)) {
        PQfinish(q->conn);
        free(q);
        return gg_error_set(err, GG_EUNAVAILABLE, "", "cannot set up the PostgreSQL session");
    }
    *out = &q->base;
    return 0;
}
