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

/* A new session has no prepared statements and listens to nothing. */
static void cache_clear(struct store_pg *q)
{
    memset(q->cache, 0, sizeof q->cache);
    q->next_id = 0;
    q->listening = false;
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

/* The name of sql's prepared statement on this connection, preparing it on first use. */
static int prepared(struct store_pg *q, const char *sql, char name[16], const char *what)
{
    size_t i = slot_of(sql);
    for (size_t k = 0; k < PG_CACHE_SZ; k++, i = (i + 1) & (PG_CACHE_SZ - 1)) {
        if (q->cache[i].sql == sql) {
            snprintf(name, 16, "g%d", q->cache[i].id);
            return 0;
        }
        if (!q->cache[i].sql)
            break;
    }
    if (q->cache[i].sql) /* full: cannot happen with fewer statements than slots */
        return -GG_EINTERNAL;
    int id = q->next_id++;
    snprintf(name, 16, "g%d", id);
    PGresult *r = PQprepare(q->conn, name, sql, 0, NULL);
    if (!result_ok(r)) {
        int rc = translate(q, r, what);
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

int pg_db_query(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                const char *what)
{
    for (int attempt = 0;; attempt++) {
        char name[16];
        int rc = ensure_conn(q);
        if (!rc)
            rc = prepared(q, sql, name, what);
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

int pg_db_query_once(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                     const char *what)
{
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
    int rows = PQntuples(r);
    char *arr = NULL;
    if (rows > 0) {
        arr = calloc((size_t)rows, elem);
        if (!arr) {
            PQclear(r);
            return -GG_ENOMEM;
        }
        for (int i = 0; i < rows; i++)
            read(r, i, arr + (size_t)i * elem, ctx);
    }
    PQclear(r);
    *items = arr;
    *n = (size_t)rows;
    return 0;
}

int pg_db_exec(struct store_pg *q, const char *sql, const char *what)
{
    int rc = ensure_conn(q);
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

/* ---- transactions ---- */

/* READ COMMITTED is enough: event_update's "WHERE version = v - 1" waits for a concurrent
 * writer of the same row and then re-checks against the committed version, so exactly one of
 * two racing actions matches. */
static int tx_begin(struct store *s)
{
    struct store_pg *q = pg_of(s);
    int rc = pg_db_exec(q, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")", "begin");
    if (!rc)
        q->in_tx = true;
    return rc;
}

static int tx_commit(struct store *s)
{
    struct store_pg *q = pg_of(s);
    int rc = pg_db_exec(q, "COMMIT", "commit");
    q->in_tx = false;
    return rc;
}

static int tx_rollback(struct store *s)
{
    struct store_pg *q = pg_of(s);
    q->in_tx = false;
    if (PQstatus(q->conn) != CONNECTION_OK)
        return 0; /* the server already dropped the transaction */
    return pg_db_exec(q, "ROLLBACK", "rollback");
}

static int tx_savepoint(struct store *s)
{
    return pg_db_exec(pg_of(s), "SAVEPOINT sp", "savepoint");
}

static int tx_release(struct store *s)
{
    return pg_db_exec(pg_of(s), "RELEASE SAVEPOINT sp", "release");
}

static int tx_rollback_to(struct store *s)
{
    return pg_db_exec(pg_of(s), "ROLLBACK TO SAVEPOINT sp; RELEASE SAVEPOINT sp", "rollback_to");
}

/* ---- settings ---- */

static int setting_get(struct store *s, const char *key, char **value)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, key);
    int rc = pg_db_query(q, "SELECT value FROM settings WHERE key = $1", &a, &r, "setting_get");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        *value = NULL;
    } else {
        char *v = strdup(PQgetvalue(r, 0, 0));
        if (!v)
            rc = -GG_ENOMEM;
        else
            *value = v;
    }
    PQclear(r);
    return rc;
}

static int setting_set(struct store *s, const char *key, const char *value)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, key);
    pg_arg_text(&a, value);
    return pg_db_run(pg_of(s),
                     "INSERT INTO settings(key, value) VALUES ($1, $2)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     &a, NULL, "setting_set");
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
    .stat_grids = pg_stats_grids,
    .stat_points = pg_stats_points,
    .stat_surge = pg_stats_surge,
    .feed_insert = pg_notify_feed_insert,
    .feed_after = pg_notify_feed_after,
    .feed_wait = pg_notify_feed_wait,
    .message_insert = pg_notify_message_insert,
    .message_list = pg_notify_message_list,
    .message_read = pg_notify_message_read,
    .users_at = pg_notify_users_at,
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
