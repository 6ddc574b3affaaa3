/* pg_events.c - events in PostgreSQL: insert and optimistic update, reads and lists that apply
 * the caller's scope and the filters in SQL, the timeline, whistles (吹哨报到) and attachments.
 *
 * The scope rule (store.h) and the colour filter are WHERE clauses, as in the SQLite backend:
 * an event outside the caller's scope never leaves the database. The SQL colour expression
 * must agree with workflow_color() (tests/store checks both against each other).
 * Not here: the state machine or deadlines (core/), nor the decision of who may act (app/). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "base/time.h"
#include "core/scope.h"
#include "core/workflow.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(EVENT_STATUS_REGISTERED == 1 && EVENT_STATUS_DISPATCHED == 2 &&
                   EVENT_STATUS_IN_PROGRESS == 3 && EVENT_STATUS_HANDLED == 4 &&
                   EVENT_STATUS_CLOSED == 5 && EVENT_STATUS_REJECTED == 6 &&
                   EVENT_STATUS_MERGED == 7,
               "event status values are spelled out in SQL");
_Static_assert(COLOR_NONE == 0 && COLOR_GREEN == 1 && COLOR_YELLOW == 2 && COLOR_RED == 3,
               "colour values are spelled out in SQL");
_Static_assert(LEVEL_DISTRICT == 3, "level values are spelled out in SQL");

/* The scope rule of store.h. Scope parameters come first in every statement: $1 the scope path
 * and $2 its upper bound (scope_upper_bound), or $1 the user for the own-reports roles. */
#define SCOPE_WIDE_SQL                                                                             \
    "((org_path >= $1 AND org_path < $2) OR (assignee_path >= $1 AND assignee_path < $2))"
#define SCOPE_GRID_SQL "(org_path >= $1 AND org_path < $2)"
#define SCOPE_HANDLER_SQL                                                                          \
    "((assignee_path >= $1 AND assignee_path < $2) OR EXISTS (SELECT 1 FROM whistles w"            \
    " WHERE w.event_id = events.id AND w.dept_path >= $1 AND w.dept_path < $2))"
#define SCOPE_OWN_SQL "(reporter_id = $1)"

/* Adds the scope's parameters ($1, $2 or $1); upper[GG_PATH_SZ] must outlive the call. */
static void scope_args(struct pg_args *a, const struct store_scope *scope, char *upper)
{
    if (store_scope_family(scope->role) == STORE_SCOPE_OWN) {
        pg_arg_int(a, scope->user_id);
        return;
    }
    scope_upper_bound(scope->path, upper, GG_PATH_SZ);
    pg_arg_text(a, scope->path);
    pg_arg_text(a, upper);
}

void pg_events_read_row(const PGresult *r, int row, struct event *e, int64_t now)
{
    memset(e, 0, sizeof *e);
    e->id = pg_int(r, row, 0);
    e->version = pg_int(r, row, 1);
    e->status = (enum event_status)pg_int(r, row, 2);
    e->suspended = pg_int(r, row, 3) != 0;
    e->source = (enum event_source)pg_int(r, row, 4);
    pg_text(r, row, 5, e->category_code, sizeof e->category_code);
    pg_text(r, row, 6, e->description, sizeof e->description);
    pg_text(r, row, 7, e->address, sizeof e->address);
    e->lat = pg_double(r, row, 8);
    e->lon = pg_double(r, row, 9);
    e->grid_id = pg_int(r, row, 10);
    pg_text(r, row, 11, e->org_path, sizeof e->org_path);
    e->district_id = pg_int(r, row, 12);
    e->assignee_org_id = pg_int(r, row, 13);
    pg_text(r, row, 14, e->assignee_path, sizeof e->assignee_path);
    e->level = (enum level)pg_int(r, row, 15);
    e->reporter_id = pg_int(r, row, 16);
    pg_text(r, row, 17, e->device_id, sizeof e->device_id);
    e->reported_at = pg_int(r, row, 18);
    e->registered_at = pg_int(r, row, 19);
    e->dispatched_at = pg_int(r, row, 20);
    e->signed_at = pg_int(r, row, 21);
    e->handled_at = pg_int(r, row, 22);
    e->closed_at = pg_int(r, row, 23);
    e->accept_due_at = pg_int(r, row, 24);
    e->handle_due_at = pg_int(r, row, 25);
    e->yellow_at = pg_int(r, row, 26);
    e->suspended_at = pg_int(r, row, 27);
    e->suspended_secs = pg_int(r, row, 28);
    e->extension_hours = (int)pg_int(r, row, 29);
    e->extension_count = (int)pg_int(r, row, 30);
    e->rework_count = (int)pg_int(r, row, 31);
    e->escalation_count = (int)pg_int(r, row, 32);
    e->supervise_count = (int)pg_int(r, row, 33);
    e->closing_level = (enum level)pg_int(r, row, 34);
    e->rating = (enum rating)pg_int(r, row, 35);
    pg_text(r, row, 36, e->rating_comment, sizeof e->rating_comment);
    e->merged_into = pg_int(r, row, 37);
    e->updated_at = pg_int(r, row, 38);
    e->escalate_at = pg_int(r, row, 39);
    e->color_mark = (enum color)pg_int(r, row, 40);
    e->recolor_at = pg_int(r, row, 41);
    e->color = workflow_color(e->status, e->suspended, e->suspended_at, e->handle_due_at,
                              e->yellow_at, e->handled_at, now);
}

/* Every column after id, in PG_EVENT_COLS order, with `version` for the version. */
static void event_args(struct pg_args *a, const struct event *e, int64_t version)
{
    pg_arg_int(a, version);
    pg_arg_int(a, (int)e->status);
    pg_arg_int(a, e->suspended ? 1 : 0);
    pg_arg_int(a, (int)e->source);
    pg_arg_text(a, e->category_code);
    pg_arg_text(a, e->description);
    pg_arg_text(a, e->address);
    pg_arg_double(a, e->lat);
    pg_arg_double(a, e->lon);
    pg_arg_int(a, e->grid_id);
    pg_arg_text(a, e->org_path);
    pg_arg_int(a, e->district_id);
    pg_arg_int(a, e->assignee_org_id);
    pg_arg_text(a, e->assignee_path);
    pg_arg_int(a, (int)e->level);
    pg_arg_int(a, e->reporter_id);
    pg_arg_text(a, e->device_id);
    pg_arg_int(a, e->reported_at);
    pg_arg_int(a, e->registered_at);
    pg_arg_int(a, e->dispatched_at);
    pg_arg_int(a, e->signed_at);
    pg_arg_int(a, e->handled_at);
    pg_arg_int(a, e->closed_at);
    pg_arg_int(a, e->accept_due_at);
    pg_arg_int(a, e->handle_due_at);
    pg_arg_int(a, e->yellow_at);
    pg_arg_int(a, e->suspended_at);
    pg_arg_int(a, e->suspended_secs);
    pg_arg_int(a, e->extension_hours);
    pg_arg_int(a, e->extension_count);
    pg_arg_int(a, e->rework_count);
    pg_arg_int(a, e->escalation_count);
    pg_arg_int(a, e->supervise_count);
    pg_arg_int(a, (int)e->closing_level);
    pg_arg_int(a, (int)e->rating);
    pg_arg_text(a, e->rating_comment);
    pg_arg_int(a, e->merged_into);
    pg_arg_int(a, e->updated_at);
    pg_arg_int(a, e->escalate_at);
    pg_arg_int(a, (int)e->color_mark);
    pg_arg_int(a, e->recolor_at);
}

static void event_row(const PGresult *r, int row, void *out, void *ctx)
{
    pg_events_read_row(r, row, out, *(const int64_t *)ctx);
}

static void id_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    *(int64_t *)out = pg_int(r, row, 0);
}

int pg_ids_collect(struct store_pg *q, const char *sql, const struct pg_args *a, int64_t **ids,
                   size_t *n, const char *what)
{
    return pg_db_collect(q, sql, a, sizeof **ids, id_row, NULL, (void **)ids, n, what);
}

/* ---- events ---- */

#define INSERT_COLS                                                                                \
    "version, status, suspended, source, category_code, description,"                             \
    " address, lat, lon, grid_id, org_path, district_id, assignee_org_id, assignee_path,"          \
    " level, reporter_id, device_id, reported_at, registered_at, dispatched_at, signed_at,"        \
    " handled_at, closed_at, accept_due_at, handle_due_at, yellow_at, suspended_at,"               \
    " suspended_secs, extension_hours, extension_count, rework_count, escalation_count,"           \
    " supervise_count, closing_level, rating, rating_comment, merged_into, updated_at,"            \
    " escalate_at, color_mark, recolor_at"
#define INSERT_VALUES                                                                              \
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"                 \
    " $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34,"        \
    " $35, $36, $37, $38, $39, $40, $41"

/* Inside a write transaction the id is one reserved by the transaction (pg_db_event_id) and
 * the row is sent without waiting (pipeline mode); outside one the server numbers it. */
int pg_events_insert(struct store *s, struct event *e)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    event_args(&a, e, 1);
    if (q->in_tx) {
        int64_t id = 0;
        int rc = pg_db_event_id(q, &id);
        if (rc)
            return rc;
        pg_arg_int(&a, id);
        rc = pg_db_send(q,
                        "INSERT INTO events(" INSERT_COLS ", id) VALUES (" INSERT_VALUES ", $42)",
                        &a, "event_insert");
        if (rc)
            return rc;
        e->id = id;
        e->version = 1;
        return 0;
    }
    PGresult *r = NULL;
    int rc = pg_db_query(q,
                         "INSERT INTO events(" INSERT_COLS ") VALUES (" INSERT_VALUES ")"
                         " RETURNING id",
                         &a, &r, "event_insert");
    if (rc)
        return rc;
    e->id = pg_int(r, 0, 0);
    e->version = 1;
    PQclear(r);
    return 0;
}

/* Exactly one of two racing updates of one event matches: the second waits for the first's
 * row lock and then re-evaluates "version = $1 - 1" against the committed row. */
int pg_events_update(struct store *s, const struct event *e)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    event_args(&a, e, e->version);
    pg_arg_int(&a, e->id);
    int rc = pg_db_run(
        pg_of(s),
        "UPDATE events SET version = $1, status = $2, suspended = $3, source = $4,"
        " category_code = $5, description = $6, address = $7, lat = $8, lon = $9,"
        " grid_id = $10, org_path = $11, district_id = $12, assignee_org_id = $13,"
        " assignee_path = $14, level = $15, reporter_id = $16, device_id = $17,"
        " reported_at = $18, registered_at = $19, dispatched_at = $20, signed_at = $21,"
        " handled_at = $22, closed_at = $23, accept_due_at = $24, handle_due_at = $25,"
        " yellow_at = $26, suspended_at = $27, suspended_secs = $28, extension_hours = $29,"
        " extension_count = $30, rework_count = $31, escalation_count = $32,"
        " supervise_count = $33, closing_level = $34, rating = $35, rating_comment = $36,"
        " merged_into = $37, updated_at = $38, escalate_at = $39, color_mark = $40,"
        " recolor_at = $41 WHERE id = $42 AND version = $1::bigint - 1",
        &a, &changed, "event_update");
    if (rc)
        return rc;
    if (changed > 0)
        return 0;
    /* nothing matched: either the event is gone or someone else wrote first */
    struct event cur;
    rc = pg_events_get(s, e->id, NULL, &cur);
    return rc == 0 ? -GG_ECONFLICT : rc;
}

/* A read by id: the event's columns, and for the view (GET /events/{id}) its timeline,
 * attachments and whistles as three JSON arrays of arrays beside them, so that the whole
 * event is one statement. */
#define VIEW_LISTS                                                                                 \
    ", (SELECT json_agg(json_build_array(seq, action, actor_id, at, from_status, to_status,"      \
    " org_id, note) ORDER BY seq) FROM timeline WHERE event_id = events.id),"                     \
    " (SELECT json_agg(attachment_id ORDER BY attachment_id) FROM event_attachments"              \
    " WHERE event_id = events.id),"                                                               \
    " (SELECT json_agg(json_build_array(dept_org_id, dept_path, due_at, reported_at)"             \
    " ORDER BY ord) FROM whistles WHERE event_id = events.id)"

/* The statement of a read by id under `scope` with its arguments (the id last); NULL when
 * the scope sees nothing. upper[GG_PATH_SZ] must outlive the call. */
static const char *get_sql(const struct store_scope *scope, int64_t id, bool view,
                           struct pg_args *a, char *upper)
{
    enum store_scope_family fam = scope ? store_scope_family(scope->role) : STORE_SCOPE_NONE;
    int k;
    if (!scope)
        k = 0;
    else if (fam == STORE_SCOPE_WIDE)
        k = 1;
    else if (fam == STORE_SCOPE_GRID)
        k = 2;
    else if (fam == STORE_SCOPE_HANDLER)
        k = 3;
    else if (fam == STORE_SCOPE_OWN)
        k = 4;
    else
        return NULL;
#define GET_SQL(lists, idp, cond) "SELECT " PG_EVENT_COLS lists " FROM events WHERE id = " idp cond
#define GET_ALL(lists)                                                                             \
    {                                                                                              \
        GET_SQL(lists, "$1", ""), GET_SQL(lists, "$3", " AND " SCOPE_WIDE_SQL),                    \
            GET_SQL(lists, "$3", " AND " SCOPE_GRID_SQL),                                          \
            GET_SQL(lists, "$3", " AND " SCOPE_HANDLER_SQL),                                       \
            GET_SQL(lists, "$2", " AND " SCOPE_OWN_SQL)                                            \
    }
    static const char *const sqls[2][5] = {GET_ALL(""), GET_ALL(VIEW_LISTS)};
#undef GET_ALL
#undef GET_SQL
    pg_args_init(a);
    if (scope)
        scope_args(a, scope, upper);
    pg_arg_int(a, id);
    return sqls[view][k];
}

/* The colour is computed at the wall clock: get has no `now` argument (store.h). */
int pg_events_get(struct store *s, int64_t id, const struct store_scope *scope,
                  struct event *out)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    const char *sql = get_sql(scope, id, false, &a, upper);
    if (!sql)
        return -GG_ENOTFOUND;
    PGresult *r = NULL;
    int rc = pg_db_query(pg_of(s), sql, &a, &r, "event_get");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        pg_events_read_row(r, 0, out, gg_time_now());
    PQclear(r);
    return rc;
}

/* Appends "$<n>" for a new argument. */
static void param(struct gg_buf *b, int *rc, struct pg_args *a)
{
    if (!*rc)
        *rc = gg_buf_printf(b, "$%d", a->n);
}

static void add(struct gg_buf *b, int *rc, const char *sql)
{
    if (!*rc)
        *rc = gg_buf_puts(b, sql);
}

/* Dynamic SQL: the clauses depend on which filters are set, but every value is a bound
 * parameter and the text is assembled only from constant fragments. */
int pg_events_list(struct store *s, const struct event_filter *f, const struct store_scope *scope,
                   struct event **items, size_t *n)
{
    char scope_upper[GG_PATH_SZ], org_upper[GG_PATH_SZ], cat_upper[GG_CODE_SZ];
    char now_ref[16] = "";
    struct gg_buf sql;
    struct pg_args a;
    int rc = 0;
    PGresult *r = NULL;

    *items = NULL;
    *n = 0;
    pg_args_init(&a);
    gg_buf_init(&sql, 8192);
    add(&sql, &rc, "SELECT " PG_EVENT_COLS " FROM events WHERE true");
    if (scope) {
        enum store_scope_family fam = store_scope_family(scope->role);
        add(&sql, &rc, " AND ");
        add(&sql, &rc,
            fam == STORE_SCOPE_WIDE      ? SCOPE_WIDE_SQL
            : fam == STORE_SCOPE_GRID    ? SCOPE_GRID_SQL
            : fam == STORE_SCOPE_HANDLER ? SCOPE_HANDLER_SQL
            : fam == STORE_SCOPE_OWN     ? SCOPE_OWN_SQL
                                 : "false");
        if (fam != STORE_SCOPE_NONE)
            scope_args(&a, scope, scope_upper);
    }
    if (f->status >= 0) {
        pg_arg_int(&a, f->status);
        add(&sql, &rc, " AND status = ");
        param(&sql, &rc, &a);
    }
    if (f->color >= 0) {
        pg_arg_int(&a, f->now);
        snprintf(now_ref, sizeof now_ref, "$%d::bigint", a.n);
        pg_arg_int(&a, f->color);
        if (!rc)
            rc = gg_buf_printf(&sql,
                               " AND (CASE WHEN status IN (6, 7) THEN 0"
                               " WHEN status IN (4, 5) THEN"
                               " (CASE WHEN handled_at > handle_due_at THEN 3 ELSE 1 END)"
                               " WHEN (CASE WHEN suspended <> 0 THEN suspended_at ELSE %s END)"
                               " >= handle_due_at THEN 3"
                               " WHEN (CASE WHEN suspended <> 0 THEN suspended_at ELSE %s END)"
                               " >= yellow_at THEN 2 ELSE 1 END) = $%d",
                               now_ref, now_ref, a.n);
    }
    if (f->category[0]) {
        scope_upper_bound(f->category, cat_upper, sizeof cat_upper);
        pg_arg_text(&a, f->category);
        add(&sql, &rc, " AND category_code >= ");
        param(&sql, &rc, &a);
        pg_arg_text(&a, cat_upper);
        add(&sql, &rc, " AND category_code < ");
        param(&sql, &rc, &a);
    }
    if (f->source >= 0) {
        pg_arg_int(&a, f->source);
        add(&sql, &rc, " AND source = ");
        param(&sql, &rc, &a);
    }
    if (f->org_path[0]) {
        scope_upper_bound(f->org_path, org_upper, sizeof org_upper);
        pg_arg_text(&a, f->org_path);
        pg_arg_text(&a, org_upper);
        if (!rc)
            rc = gg_buf_printf(&sql,
                               " AND ((org_path >= $%d AND org_path < $%d)"
                               " OR (assignee_path >= $%d AND assignee_path < $%d))",
                               a.n - 1, a.n, a.n - 1, a.n);
    }
    if (f->from) {
        pg_arg_int(&a, f->from);
        add(&sql, &rc, " AND reported_at >= ");
        param(&sql, &rc, &a);
    }
    if (f->to) {
        pg_arg_int(&a, f->to);
        add(&sql, &rc, " AND reported_at < ");
        param(&sql, &rc, &a);
    }
    if (f->q[0]) {
        pg_arg_text(&a, f->q);
        if (!rc)
            rc = gg_buf_printf(&sql,
                               " AND (strpos(description, $%d) > 0 OR strpos(address, $%d) > 0)",
                               a.n, a.n);
    }
    if (f->reporter_id) {
        pg_arg_int(&a, f->reporter_id);
        add(&sql, &rc, " AND reporter_id = ");
        param(&sql, &rc, &a);
    }
    if (f->before_id) {
        pg_arg_int(&a, f->before_id);
        add(&sql, &rc, " AND id < ");
        param(&sql, &rc, &a);
    }
    pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    add(&sql, &rc, " ORDER BY id DESC LIMIT ");
    param(&sql, &rc, &a);
    if (rc)
        goto out_release;
    rc = pg_db_query_dyn(pg_of(s), sql.data, &a, &r, "event_list");
    if (rc)
        goto out_release;
    int rows = PQntuples(r);
    if (rows > 0) {
        struct event *arr = calloc((size_t)rows, sizeof *arr);
        if (!arr) {
            rc = -GG_ENOMEM;
        } else {
            for (int i = 0; i < rows; i++)
                pg_events_read_row(r, i, &arr[i], f->now);
            *items = arr;
            *n = (size_t)rows;
        }
    }
    PQclear(r);
out_release:
    gg_buf_release(&sql);
    return rc;
}

int pg_events_nearby(struct store *s, const char *category, double min_lat, double max_lat,
                     double min_lon, double max_lon, int64_t since, int64_t exclude_id, int limit,
                     struct event **items, size_t *n)
{
    struct pg_args a;
    int64_t now = gg_time_now();
    pg_args_init(&a);
    pg_arg_text(&a, category);
    pg_arg_int(&a, since);
    pg_arg_double(&a, min_lat);
    pg_arg_double(&a, max_lat);
    pg_arg_double(&a, min_lon);
    pg_arg_double(&a, max_lon);
    pg_arg_int(&a, exclude_id);
    pg_arg_int(&a, pg_db_limit(limit, 20, 500));
    return pg_db_collect(pg_of(s),
                         "SELECT " PG_EVENT_COLS " FROM events"
                         " WHERE category_code = $1 AND reported_at >= $2"
                         " AND status NOT IN (5, 6, 7)"
                         " AND lat BETWEEN $3 AND $4 AND lon BETWEEN $5 AND $6"
                         " AND id <> $7 ORDER BY id DESC LIMIT $8",
                         &a, sizeof **items, event_row, &now, (void **)items, n, "event_nearby");
}

/* Most overdue first, so that a sweep with a small limit handles the oldest deadlines. */
int pg_events_overdue(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, now);
    pg_arg_int(&a, pg_db_limit(limit, 100, 10000));
    return pg_ids_collect(pg_of(s),
                          "SELECT id FROM events WHERE status IN (1, 2, 3) AND suspended = 0"
                          " AND escalate_at <= $1 AND level < 3"
                          " ORDER BY escalate_at, id LIMIT $2",
                          &a, ids, n, "event_overdue");
}

int pg_events_count_by_status(struct store *s, int64_t counts[EVENT_STATUS__COUNT])
{
    PGresult *r = NULL;
    int rc = pg_db_query(pg_of(s), "SELECT status, count(*) FROM events GROUP BY status", NULL,
                         &r, "event_count_by_status");
    if (rc)
        return rc;
    memset(counts, 0, EVENT_STATUS__COUNT * sizeof counts[0]);
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t status = pg_int(r, i, 0);
        if (status >= 0 && status < EVENT_STATUS__COUNT)
            counts[status] = pg_int(r, i, 1);
    }
    PQclear(r);
    return 0;
}

/* ---- timeline ---- */

/* A repeated (event_id, seq) is -GG_ECONFLICT, an unknown event -GG_ENOTFOUND, both decided
 * without a failing statement (which would abort the caller's transaction). */
int pg_events_timeline_insert(struct store *s, const struct timeline_entry *t)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, t->event_id);
    pg_arg_int(&a, t->seq);
    pg_arg_int(&a, (int)t->action);
    pg_arg_int(&a, t->actor_id);
    pg_arg_int(&a, t->at);
    pg_arg_int(&a, (int)t->from_status);
    pg_arg_int(&a, (int)t->to_status);
    pg_arg_int(&a, t->org_id);
    pg_arg_text(&a, t->note);
    return pg_db_send_checked(pg_of(s),
                                "WITH e AS (SELECT id FROM events WHERE id = $1),"
                                " ins AS (INSERT INTO timeline(event_id, seq, action, actor_id,"
                                " at, from_status, to_status, org_id, note)"
                                " SELECT id, $2, $3, $4, $5, $6, $7, $8, $9 FROM e"
                                " ON CONFLICT DO NOTHING RETURNING 1)"
                                " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM ins)",
                                &a, true, "timeline_insert");
}

static void timeline_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct timeline_entry *t = out;
    memset(t, 0, sizeof *t);
    t->event_id = pg_int(r, row, 0);
    t->seq = (int)pg_int(r, row, 1);
    t->action = (enum event_action)pg_int(r, row, 2);
    t->actor_id = pg_int(r, row, 3);
    t->at = pg_int(r, row, 4);
    t->from_status = (enum event_status)pg_int(r, row, 5);
    t->to_status = (enum event_status)pg_int(r, row, 6);
    t->org_id = pg_int(r, row, 7);
    pg_text(r, row, 8, t->note, sizeof t->note);
}

static const char timeline_sql[] =
    "SELECT event_id, seq, action, actor_id, at, from_status, to_status,"
    " org_id, note FROM timeline WHERE event_id = $1 ORDER BY seq";

int pg_events_timeline_list(struct store *s, int64_t event_id, struct timeline_entry **items,
                            size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    return pg_db_collect(pg_of(s), timeline_sql, &a, sizeof **items, timeline_row, NULL,
                         (void **)items, n, "timeline_list");
}

/* ---- whistles (吹哨报到) ---- */

int pg_events_whistle_insert(struct store *s, const struct whistle *w)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    pg_arg_int(&a, w->event_id);
    pg_arg_int(&a, w->dept_org_id);
    pg_arg_text(&a, w->dept_path);
    pg_arg_int(&a, w->due_at);
    pg_arg_int(&a, w->reported_at);
    int rc = pg_db_run(pg_of(s),
                       "INSERT INTO whistles(event_id, dept_org_id, dept_path, due_at,"
                       " reported_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                       &a, &changed, "whistle_insert");
    if (rc)
        return rc;
    return changed > 0 ? 0 : -GG_ECONFLICT;
}

int pg_events_whistle_report_in(struct store *s, int64_t event_id, int64_t dept_org_id,
                                int64_t at)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    pg_arg_int(&a, dept_org_id);
    pg_arg_int(&a, at);
    int rc = pg_db_run(pg_of(s),
                       "UPDATE whistles SET reported_at = $3"
                       " WHERE event_id = $1 AND dept_org_id = $2",
                       &a, &changed, "whistle_report_in");
    if (rc)
        return rc;
    return changed > 0 ? 0 : -GG_ENOTFOUND;
}

static void whistle_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct whistle *w = out;
    memset(w, 0, sizeof *w);
    w->event_id = pg_int(r, row, 0);
    w->dept_org_id = pg_int(r, row, 1);
    pg_text(r, row, 2, w->dept_path, sizeof w->dept_path);
    w->due_at = pg_int(r, row, 3);
    w->reported_at = pg_int(r, row, 4);
}

/* In the order the departments were whistled. */
static const char whistles_sql[] = "SELECT event_id, dept_org_id, dept_path, due_at, reported_at"
                                   " FROM whistles WHERE event_id = $1 ORDER BY ord";

int pg_events_whistle_list(struct store *s, int64_t event_id, struct whistle **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    return pg_db_collect(pg_of(s), whistles_sql, &a, sizeof **items, whistle_row, NULL,
                         (void **)items, n, "whistle_list");
}

/* ---- attachments (content-addressed by SHA-256) ---- */

#define ATT_COLS "id, sha256, size, content_type, uploader_id, created_at"

static int one_attachment(struct store_pg *q, const char *sql, const struct pg_args *a,
                          struct attachment *out, const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = -GG_ENOTFOUND;
    } else {
        memset(out, 0, sizeof *out);
        out->id = pg_int(r, 0, 0);
        pg_text(r, 0, 1, out->sha256, sizeof out->sha256);
        out->size = pg_int(r, 0, 2);
        pg_text(r, 0, 3, out->content_type, sizeof out->content_type);
        out->uploader_id = pg_int(r, 0, 4);
        out->created_at = pg_int(r, 0, 5);
    }
    PQclear(r);
    return rc;
}

/* Insert-or-ignore on (sha256, uploader), then read the row back: *a becomes the stored row. */
int pg_events_attachment_insert(struct store *s, struct attachment *at)
{
    struct store_pg *q = pg_of(s);
    char sha[sizeof at->sha256];
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, at->sha256);
    pg_arg_int(&a, at->size);
    pg_arg_text(&a, at->content_type);
    pg_arg_int(&a, at->uploader_id);
    pg_arg_int(&a, at->created_at);
    int rc = pg_db_run(q,
                       "INSERT INTO attachments(sha256, size, content_type, uploader_id,"
                       " created_at) VALUES ($1, $2, $3, $4, $5)"
                       " ON CONFLICT (sha256, uploader_id) DO NOTHING",
                       &a, NULL, "attachment_insert");
    if (rc)
        return rc;
    gg_strlcpy(sha, at->sha256, sizeof sha);
    pg_args_init(&a);
    pg_arg_text(&a, sha);
    pg_arg_int(&a, at->uploader_id);
    return one_attachment(q,
                          "SELECT " ATT_COLS " FROM attachments"
                          " WHERE sha256 = $1 AND uploader_id = $2",
                          &a, at, "attachment_get_by_sha");
}

int pg_events_attachment_get(struct store *s, int64_t id, struct attachment *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    return one_attachment(pg_of(s), "SELECT " ATT_COLS " FROM attachments WHERE id = $1", &a, out,
                          "attachment_get");
}

/* Attaching twice is a no-op; an unknown event or attachment is -GG_ENOTFOUND (checked in the
 * statement, so that it does not abort the caller's transaction). */
int pg_events_attach(struct store *s, int64_t event_id, int64_t attachment_id)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    pg_arg_int(&a, attachment_id);
    return pg_db_send_checked(pg_of(s),
                                "WITH ok AS (SELECT 1 WHERE EXISTS (SELECT 1 FROM events"
                                " WHERE id = $1) AND EXISTS (SELECT 1 FROM attachments"
                                " WHERE id = $2)),"
                                " ins AS (INSERT INTO event_attachments(event_id, attachment_id)"
                                " SELECT $1, $2 FROM ok ON CONFLICT DO NOTHING RETURNING 1)"
                                " SELECT (SELECT count(*) FROM ok), (SELECT count(*) FROM ins)",
                                &a, false, "event_attach");
}

static const char attachments_sql[] =
    "SELECT attachment_id FROM event_attachments WHERE event_id = $1 ORDER BY attachment_id";

int pg_events_attachments(struct store *s, int64_t event_id, int64_t **ids, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    return pg_ids_collect(pg_of(s), attachments_sql, &a, ids, n, "event_attachments");
}

int pg_events_attachment_events(struct store *s, int64_t attachment_id, int64_t **ids,
                                size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, attachment_id);
    return pg_ids_collect(pg_of(s),
                          "SELECT event_id FROM event_attachments WHERE attachment_id = $1"
                          " ORDER BY event_id",
                          &a, ids, n, "attachment_events");
}

/* ---- the whole of one event (issue 3: GET /events/{id} in one statement) ---- */

/* One list of the view: column col of r is NULL (no rows) or a JSON array whose elements
 * read() turns into items of elem bytes; -GG_EINTERNAL on anything else. */
static int json_list(const PGresult *r, int col, size_t elem,
                     bool (*read)(const json_t *j, void *out), void **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    if (PQgetisnull(r, 0, col))
        return 0;
    json_t *arr = json_loadb(PQgetvalue(r, 0, col), (size_t)PQgetlength(r, 0, col), 0, NULL);
    size_t len = json_array_size(arr);
    int rc = json_is_array(arr) ? 0 : -GG_EINTERNAL;
    char *out = !rc && len ? calloc(len, elem) : NULL;
    if (!rc && len && !out)
        rc = -GG_ENOMEM;
    for (size_t i = 0; !rc && i < len; i++)
        if (!read(json_array_get(arr, i), out + i * elem))
            rc = -GG_EINTERNAL;
    json_decref(arr);
    if (rc) {
        free(out);
        return rc;
    }
    *items = out;
    *n = len;
    return 0;
}

static bool json_ints(const json_t *j, size_t n, int64_t *v)
{
    if (!json_is_array(j) || json_array_size(j) < n)
        return false;
    for (size_t i = 0; i < n; i++) {
        const json_t *x = json_array_get(j, i);
        if (!json_is_integer(x) && !json_is_null(x))
            return false;
        v[i] = json_integer_value(x); /* null → 0, as pg_int */
    }
    return true;
}

/* Text at index i of j: "" for null, false for anything but a string. */
static bool json_text(const json_t *j, size_t i, char *dst, size_t sz)
{
    const json_t *x = json_array_get(j, i);
    if (json_is_null(x)) {
        dst[0] = '\0';
        return true;
    }
    if (!json_is_string(x))
        return false;
    gg_strlcpy(dst, json_string_value(x), sz);
    return true;
}

/* [seq, action, actor_id, at, from_status, to_status, org_id, note] */
static bool timeline_json(const json_t *j, void *out)
{
    struct timeline_entry *t = out;
    int64_t v[7];
    if (!json_ints(j, 7, v) || json_array_size(j) != 8 || !json_text(j, 7, t->note, sizeof t->note))
        return false;
    t->seq = (int)v[0];
    t->action = (enum event_action)v[1];
    t->actor_id = v[2];
    t->at = v[3];
    t->from_status = (enum event_status)v[4];
    t->to_status = (enum event_status)v[5];
    t->org_id = v[6];
    return true;
}

static bool id_json(const json_t *j, void *out)
{
    *(int64_t *)out = json_integer_value(j);
    return json_is_integer(j);
}

/* [dept_org_id, dept_path, due_at, reported_at] */
static bool whistle_json(const json_t *j, void *out)
{
    struct whistle *w = out;
    if (!json_is_array(j) || json_array_size(j) != 4 ||
        !json_text(j, 1, w->dept_path, sizeof w->dept_path))
        return false;
    const json_t *x[3] = {json_array_get(j, 0), json_array_get(j, 2), json_array_get(j, 3)};
    int64_t *dst[3] = {&w->dept_org_id, &w->due_at, &w->reported_at};
    for (int i = 0; i < 3; i++) {
        if (!json_is_integer(x[i]) && !json_is_null(x[i]))
            return false;
        *dst[i] = json_integer_value(x[i]);
    }
    return true;
}

/* The event under the caller's scope with its three lists (VIEW_LISTS), one round trip. */
int pg_events_get_view(struct store *s, int64_t id, const struct store_scope *scope,
                       struct event *out, struct timeline_entry **tl, size_t *n_tl,
                       int64_t **att, size_t *n_att, struct whistle **w, size_t *n_w)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    *tl = NULL;
    *att = NULL;
    *w = NULL;
    *n_tl = *n_att = *n_w = 0;
    const char *sql = get_sql(scope, id, true, &a, upper);
    if (!sql)
        return -GG_ENOTFOUND;
    PGresult *r = NULL;
    int rc = pg_db_query(pg_of(s), sql, &a, &r, "event_get_view");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    if (!rc) {
        pg_events_read_row(r, 0, out, gg_time_now());
        rc = json_list(r, PG_EVENT_NCOLS, sizeof **tl, timeline_json, (void **)tl, n_tl);
    }
    if (!rc)
        rc = json_list(r, PG_EVENT_NCOLS + 1, sizeof **att, id_json, (void **)att, n_att);
    if (!rc)
        rc = json_list(r, PG_EVENT_NCOLS + 2, sizeof **w, whistle_json, (void **)w, n_w);
    PQclear(r);
    if (rc) {
        free(*tl);
        free(*att);
        free(*w);
        *tl = NULL;
        *att = NULL;
        *w = NULL;
        *n_tl = *n_att = *n_w = 0;
    }
    for (size_t i = 0; i < *n_tl; i++)
        (*tl)[i].event_id = id;
    for (size_t i = 0; i < *n_w; i++)
        (*w)[i].event_id = id;
    return rc;
}
