/* sqlite_events.c - events in SQLite: insert and optimistic update, reads and lists that apply
 * the caller's scope and the filters in SQL, the timeline, whistles (吹哨报到) and attachments.
 *
 * The scope rule (store.h) and the colour filter are WHERE clauses: an event outside the
 * caller's scope never leaves the database, so no C code has to remember to filter it out.
 * Not here: the state machine or deadlines (core/workflow.c, core/calendar.c), nor the decision
 * of who may act (app/). The colour of each row read is workflow_color(); the SQL colour
 * expression below must agree with it (tests/store checks both against each other). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "base/time.h"
#include "core/scope.h"
#include "core/workflow.h"

#include <stdlib.h>
#include <string.h>

/* Column order shared by reads (read_event) and writes (bind_event binds ?1..?42 in it). */
#define EVENT_COLS                                                                                 \
    "id, version, status, suspended, source, category_code, description, address, lat, lon,"       \
    " grid_id, org_path, district_id, assignee_org_id, assignee_path, level, reporter_id,"         \
    " device_id, reported_at, registered_at, dispatched_at, signed_at, handled_at, closed_at,"     \
    " accept_due_at, handle_due_at, yellow_at, suspended_at, suspended_secs, extension_hours,"     \
    " extension_count, rework_count, escalation_count, supervise_count, closing_level, rating,"    \
    " rating_comment, merged_into, updated_at, escalate_at, color_mark, recolor_at"

/* The literals in the SQL below are enum values; these keep them honest. */
_Static_assert(EVENT_STATUS_REGISTERED == 1 && EVENT_STATUS_DISPATCHED == 2 &&
                   EVENT_STATUS_IN_PROGRESS == 3 && EVENT_STATUS_HANDLED == 4 &&
                   EVENT_STATUS_CLOSED == 5 && EVENT_STATUS_REJECTED == 6 &&
                   EVENT_STATUS_MERGED == 7,
               "event status values are spelled out in SQL");
_Static_assert(COLOR_NONE == 0 && COLOR_GREEN == 1 && COLOR_YELLOW == 2 && COLOR_RED == 3,
               "colour values are spelled out in SQL");
_Static_assert(LEVEL_DISTRICT == 3, "level values are spelled out in SQL");

/* workflow_color() in SQL, against the named parameter :now. */
#define EVENT_COLOR_SQL                                                                            \
    "(CASE WHEN status IN (6, 7) THEN 0"                                                           \
    " WHEN status IN (4, 5) THEN (CASE WHEN handled_at > handle_due_at THEN 3 ELSE 1 END)"         \
    " WHEN (CASE WHEN suspended <> 0 THEN suspended_at ELSE :now END) >= handle_due_at THEN 3"     \
    " WHEN (CASE WHEN suspended <> 0 THEN suspended_at ELSE :now END) >= yellow_at THEN 2"         \
    " ELSE 1 END)"

/* The scope rule of store.h, one fragment per role family. :sp is the scope path and :su its
 * upper bound (scope_upper_bound), so each subtree test is an index range; :uid the user. */
#define SCOPE_WIDE_SQL                                                                             \
    "((org_path >= :sp AND org_path < :su) OR (assignee_path >= :sp AND assignee_path < :su))"
#define SCOPE_GRID_SQL "(org_path >= :sp AND org_path < :su)"
#define SCOPE_HANDLER_SQL                                                                          \
    "((assignee_path >= :sp AND assignee_path < :su) OR EXISTS (SELECT 1 FROM whistles w"          \
    " WHERE w.event_id = events.id AND w.dept_path >= :sp AND w.dept_path < :su))"
#define SCOPE_OWN_SQL "(reporter_id = :uid)"
/* the same rules with the path indexes disabled, for reading along the primary key */
#define SCOPE_WIDE_NOINDEX_SQL                                                                     \
    "((+org_path >= :sp AND +org_path < :su) OR (+assignee_path >= :sp AND +assignee_path < :su))"
#define SCOPE_GRID_NOINDEX_SQL "(+org_path >= :sp AND +org_path < :su)"

/* "/1/5/23/" has depth 3 */
static int path_depth(const char *p)
{
    int d = -1;
    for (; *p; p++)
        d += *p == '/';
    return d;
}

static const char *family_sql(enum store_scope_family f)
{
    switch (f) {
    case STORE_SCOPE_WIDE:
        return SCOPE_WIDE_SQL;
    case STORE_SCOPE_GRID:
        return SCOPE_GRID_SQL;
    case STORE_SCOPE_HANDLER:
        return SCOPE_HANDLER_SQL;
    case STORE_SCOPE_OWN:
        return SCOPE_OWN_SQL;
    default:
        return "0";
    }
}

/* Binding by name skips parameters the statement does not use, so callers may bind the whole
 * set whatever clauses they put in. */
static void bind_int_named(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

static void bind_text_named(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite_db_bind_text(st, i, v);
}

/* upper[GG_PATH_SZ] must stay alive until the statement is done. */
static void bind_scope(sqlite3_stmt *st, const struct store_scope *scope, char *upper)
{
    scope_upper_bound(scope->path, upper, GG_PATH_SZ);
    bind_text_named(st, ":sp", scope->path);
    bind_text_named(st, ":su", upper);
    bind_int_named(st, ":uid", scope->user_id);
}

static void read_event(sqlite3_stmt *st, struct event *e, int64_t now)
{
    memset(e, 0, sizeof *e);
    e->id = sqlite3_column_int64(st, 0);
    e->version = sqlite3_column_int64(st, 1);
    e->status = (enum event_status)sqlite3_column_int(st, 2);
    e->suspended = sqlite3_column_int(st, 3) != 0;
    e->source = (enum event_source)sqlite3_column_int(st, 4);
    sqlite_db_col_text(st, 5, e->category_code, sizeof e->category_code);
    sqlite_db_col_text(st, 6, e->description, sizeof e->description);
    sqlite_db_col_text(st, 7, e->address, sizeof e->address);
    e->lat = sqlite3_column_double(st, 8);
    e->lon = sqlite3_column_double(st, 9);
    e->grid_id = sqlite3_column_int64(st, 10);
    sqlite_db_col_text(st, 11, e->org_path, sizeof e->org_path);
    e->district_id = sqlite3_column_int64(st, 12);
    e->assignee_org_id = sqlite3_column_int64(st, 13);
    sqlite_db_col_text(st, 14, e->assignee_path, sizeof e->assignee_path);
    e->level = (enum level)sqlite3_column_int(st, 15);
    e->reporter_id = sqlite3_column_int64(st, 16);
    sqlite_db_col_text(st, 17, e->device_id, sizeof e->device_id);
    e->reported_at = sqlite3_column_int64(st, 18);
    e->registered_at = sqlite3_column_int64(st, 19);
    e->dispatched_at = sqlite3_column_int64(st, 20);
    e->signed_at = sqlite3_column_int64(st, 21);
    e->handled_at = sqlite3_column_int64(st, 22);
    e->closed_at = sqlite3_column_int64(st, 23);
    e->accept_due_at = sqlite3_column_int64(st, 24);
    e->handle_due_at = sqlite3_column_int64(st, 25);
    e->yellow_at = sqlite3_column_int64(st, 26);
    e->suspended_at = sqlite3_column_int64(st, 27);
    e->suspended_secs = sqlite3_column_int64(st, 28);
    e->extension_hours = sqlite3_column_int(st, 29);
    e->extension_count = sqlite3_column_int(st, 30);
    e->rework_count = sqlite3_column_int(st, 31);
    e->escalation_count = sqlite3_column_int(st, 32);
    e->supervise_count = sqlite3_column_int(st, 33);
    e->closing_level = (enum level)sqlite3_column_int(st, 34);
    e->rating = (enum rating)sqlite3_column_int(st, 35);
    sqlite_db_col_text(st, 36, e->rating_comment, sizeof e->rating_comment);
    e->merged_into = sqlite3_column_int64(st, 37);
    e->updated_at = sqlite3_column_int64(st, 38);
    e->escalate_at = sqlite3_column_int64(st, 39);
    e->color_mark = (enum color)sqlite3_column_int(st, 40);
    e->recolor_at = sqlite3_column_int64(st, 41);
    e->color = workflow_color(e->status, e->suspended, e->suspended_at, e->handle_due_at,
                              e->yellow_at, e->handled_at, now);
}

/* Binds every column in EVENT_COLS order to ?1..?42, with `version` for ?2. */
static void bind_event(sqlite3_stmt *st, const struct event *e, int64_t version)
{
    sqlite3_bind_int64(st, 1, e->id);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_int(st, 3, (int)e->status);
    sqlite3_bind_int(st, 4, e->suspended ? 1 : 0);
    sqlite3_bind_int(st, 5, (int)e->source);
    sqlite_db_bind_text(st, 6, e->category_code);
    sqlite_db_bind_text(st, 7, e->description);
    sqlite_db_bind_text(st, 8, e->address);
    sqlite3_bind_double(st, 9, e->lat);
    sqlite3_bind_double(st, 10, e->lon);
    sqlite3_bind_int64(st, 11, e->grid_id);
    sqlite_db_bind_text(st, 12, e->org_path);
    sqlite3_bind_int64(st, 13, e->district_id);
    sqlite3_bind_int64(st, 14, e->assignee_org_id);
    sqlite_db_bind_text(st, 15, e->assignee_path);
    sqlite3_bind_int(st, 16, (int)e->level);
    sqlite3_bind_int64(st, 17, e->reporter_id);
    sqlite_db_bind_text(st, 18, e->device_id);
    sqlite3_bind_int64(st, 19, e->reported_at);
    sqlite3_bind_int64(st, 20, e->registered_at);
    sqlite3_bind_int64(st, 21, e->dispatched_at);
    sqlite3_bind_int64(st, 22, e->signed_at);
    sqlite3_bind_int64(st, 23, e->handled_at);
    sqlite3_bind_int64(st, 24, e->closed_at);
    sqlite3_bind_int64(st, 25, e->accept_due_at);
    sqlite3_bind_int64(st, 26, e->handle_due_at);
    sqlite3_bind_int64(st, 27, e->yellow_at);
    sqlite3_bind_int64(st, 28, e->suspended_at);
    sqlite3_bind_int64(st, 29, e->suspended_secs);
    sqlite3_bind_int(st, 30, e->extension_hours);
    sqlite3_bind_int(st, 31, e->extension_count);
    sqlite3_bind_int(st, 32, e->rework_count);
    sqlite3_bind_int(st, 33, e->escalation_count);
    sqlite3_bind_int(st, 34, e->supervise_count);
    sqlite3_bind_int(st, 35, (int)e->closing_level);
    sqlite3_bind_int(st, 36, (int)e->rating);
    sqlite_db_bind_text(st, 37, e->rating_comment);
    sqlite3_bind_int64(st, 38, e->merged_into);
    sqlite3_bind_int64(st, 39, e->updated_at);
    sqlite3_bind_int64(st, 40, e->escalate_at);
    sqlite3_bind_int(st, 41, (int)e->color_mark);
    sqlite3_bind_int64(st, 42, e->recolor_at);
}

static void event_row(sqlite3_stmt *st, void *row, void *ctx)
{
    read_event(st, row, *(const int64_t *)ctx);
}

/* Collects every row of a bound statement into a heap array, colouring at `now`. */
static int many_events(struct store_sqlite *q, sqlite3_stmt *st, int64_t now, struct event **items,
                       size_t *n, const char *what)
{
    return sqlite_db_collect(q, st, sizeof **items, event_row, &now, (void **)items, n, what);
}

static void id_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

/* Collects the first column of every row as ids. */
static int many_ids(struct store_sqlite *q, sqlite3_stmt *st, int64_t **ids, size_t *n,
                    const char *what)
{
    return sqlite_db_collect(q, st, sizeof **ids, id_row, NULL, (void **)ids, n, what);
}

/* ---- events ---- */

int sqlite_events_insert(struct store *s, struct event *e)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    /* ?1 (the id) is not used: SQLite assigns it */
    int rc = sqlite_db_stmt(
        q, SQ_EVENT_INSERT,
        "INSERT INTO events(version, status, suspended, source, category_code, description,"
        " address, lat, lon, grid_id, org_path, district_id, assignee_org_id, assignee_path,"
        " level, reporter_id, device_id, reported_at, registered_at, dispatched_at, signed_at,"
        " handled_at, closed_at, accept_due_at, handle_due_at, yellow_at, suspended_at,"
        " suspended_secs, extension_hours, extension_count, rework_count, escalation_count,"
        " supervise_count, closing_level, rating, rating_comment, merged_into, updated_at, "
        "escalate_at, color_mark, recolor_at)"
        " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35,"
        " ?36, ?37, ?38, ?39, ?40, ?41, ?42)",
        &st);
    if (rc)
        return rc;
    bind_event(st, e, 1);
    rc = sqlite_db_run(q, st, "event_insert");
    if (rc)
        return rc;
    e->id = sqlite3_last_insert_rowid(q->db);
    e->version = 1;
    return 0;
}

int sqlite_events_update(struct store *s, const struct event *e)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_EVENT_UPDATE,
        "UPDATE events SET version = ?2, status = ?3, suspended = ?4, source = ?5,"
        " category_code = ?6, description = ?7, address = ?8, lat = ?9, lon = ?10,"
        " grid_id = ?11, org_path = ?12, district_id = ?13, assignee_org_id = ?14,"
        " assignee_path = ?15, level = ?16, reporter_id = ?17, device_id = ?18,"
        " reported_at = ?19, registered_at = ?20, dispatched_at = ?21, signed_at = ?22,"
        " handled_at = ?23, closed_at = ?24, accept_due_at = ?25, handle_due_at = ?26,"
        " yellow_at = ?27, suspended_at = ?28, suspended_secs = ?29, extension_hours = ?30,"
        " extension_count = ?31, rework_count = ?32, escalation_count = ?33,"
        " supervise_count = ?34, closing_level = ?35, rating = ?36, rating_comment = ?37,"
        " merged_into = ?38, updated_at = ?39, escalate_at = ?40, color_mark = ?41,"
        " recolor_at = ?42 WHERE id = ?1 AND version = ?2 - 1",
        &st);
    if (rc)
        return rc;
    bind_event(st, e, e->version);
    rc = sqlite_db_run(q, st, "event_update");
    if (rc)
        return rc;
    if (sqlite3_changes(q->db) > 0)
        return 0;
    /* nothing matched: either the event is gone or someone else wrote first */
    struct event cur;
    rc = sqlite_events_get(s, e->id, NULL, &cur);
    return rc == 0 ? -GG_ECONFLICT : rc;
}

/* One cached statement per role family. The colour is computed at the wall clock: get has no
 * `now` argument (store.h), and colour is a display value, never a stored one. */
int sqlite_events_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct event *out)
{
    struct store_sqlite *q = sq_of(s);
    char upper[GG_PATH_SZ];
    sqlite3_stmt *st = NULL;
    int rc;
    enum store_scope_family fam = scope ? store_scope_family(scope->role) : STORE_SCOPE_NONE;

#define GET_SQL(cond) "SELECT " EVENT_COLS " FROM events WHERE id = :id" cond
    if (!scope)
        rc = sqlite_db_stmt(q, SQ_EVENT_GET_ALL, GET_SQL(""), &st);
    else if (fam == STORE_SCOPE_WIDE)
        rc = sqlite_db_stmt(q, SQ_EVENT_GET_WIDE, GET_SQL(" AND " SCOPE_WIDE_SQL), &st);
    else if (fam == STORE_SCOPE_GRID)
        rc = sqlite_db_stmt(q, SQ_EVENT_GET_GRID, GET_SQL(" AND " SCOPE_GRID_SQL), &st);
    else if (fam == STORE_SCOPE_HANDLER)
        rc = sqlite_db_stmt(q, SQ_EVENT_GET_HANDLER, GET_SQL(" AND " SCOPE_HANDLER_SQL), &st);
    else if (fam == STORE_SCOPE_OWN)
        rc = sqlite_db_stmt(q, SQ_EVENT_GET_OWN, GET_SQL(" AND " SCOPE_OWN_SQL), &st);
    else
        return -GG_ENOTFOUND;
#undef GET_SQL
    if (rc)
        return rc;
    bind_int_named(st, ":id", id);
    if (scope)
        bind_scope(st, scope, upper);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_event(st, out, gg_time_now());
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "event_get");
    }
    sqlite_db_done(st);
    return rc;
}

static void add(struct gg_buf *b, int *rc, const char *sql)
{
    if (!*rc)
        *rc = gg_buf_puts(b, sql);
}

/* Dynamic SQL: the clauses depend on which filters are set, but every value is a named
 * parameter and the text is assembled only from the constant fragments above. */
int sqlite_events_list(struct store *s, const struct event_filter *f,
                       const struct store_scope *scope, struct event **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    char scope_upper[GG_PATH_SZ], org_upper[GG_PATH_SZ], cat_upper[GG_CODE_SZ];
    struct gg_buf sql;
    sqlite3_stmt *st = NULL;
    int rc = 0;

    /* Plan: lists are newest first. A narrow place (a street, community or grid: path depth 3
     * and more) is found through its path index and sorted; anything wider is read backwards
     * along the primary key until the page is full, with every other index disabled ("+col"),
     * since sorting most of the table for 50 rows is what made wide lists slow. */
    bool by_filter = f->org_path[0] && path_depth(f->org_path) >= 3;
    bool by_scope = !by_filter && scope && path_depth(scope->path) >= 3 &&
                    (store_scope_family(scope->role) == STORE_SCOPE_WIDE ||
                     store_scope_family(scope->role) == STORE_SCOPE_GRID);
    gg_buf_init(&sql, 8192);
    add(&sql, &rc, "SELECT " EVENT_COLS " FROM events WHERE 1");
    if (scope) {
        add(&sql, &rc, " AND ");
        enum store_scope_family fam = store_scope_family(scope->role);
        if (fam == STORE_SCOPE_WIDE && !by_scope)
            add(&sql, &rc, SCOPE_WIDE_NOINDEX_SQL);
        else if (fam == STORE_SCOPE_GRID && !by_scope)
            add(&sql, &rc, SCOPE_GRID_NOINDEX_SQL);
        else
            add(&sql, &rc, family_sql(fam));
    }
    if (f->status >= 0)
        add(&sql, &rc, " AND +status = :status");
    if (f->color >= 0)
        add(&sql, &rc, " AND " EVENT_COLOR_SQL " = :color");
    if (f->category[0])
        add(&sql, &rc, " AND +category_code >= :cat AND +category_code < :catu");
    if (f->source >= 0)
        add(&sql, &rc, " AND +source = :source");
    if (f->org_path[0])
        add(&sql, &rc,
            by_filter ? " AND ((org_path >= :op AND org_path < :opu)"
                        " OR (assignee_path >= :op AND assignee_path < :opu))"
                      : " AND ((+org_path >= :op AND +org_path < :opu)"
                        " OR (+assignee_path >= :op AND +assignee_path < :opu))");
    if (f->from)
        add(&sql, &rc, " AND +reported_at >= :from");
    if (f->to)
        add(&sql, &rc, " AND +reported_at < :to");
    if (f->q[0])
        add(&sql, &rc, " AND (instr(description, :q) > 0 OR instr(address, :q) > 0)");
    if (f->reporter_id)
        add(&sql, &rc, " AND +reporter_id = :reporter");
    if (f->before_id)
        add(&sql, &rc, " AND id < :before");
    add(&sql, &rc, " ORDER BY id DESC LIMIT :limit");
    if (rc)
        goto out_release;

    rc = sqlite_db_prepare_cached(q, sql.data, &st);
    if (rc)
        goto out_release;
    if (scope)
        bind_scope(st, scope, scope_upper);
    scope_upper_bound(f->category, cat_upper, sizeof cat_upper);
    scope_upper_bound(f->org_path, org_upper, sizeof org_upper);
    bind_int_named(st, ":status", f->status);
    bind_int_named(st, ":color", f->color);
    bind_int_named(st, ":now", f->now);
    bind_text_named(st, ":cat", f->category);
    bind_text_named(st, ":catu", cat_upper);
    bind_int_named(st, ":source", f->source);
    bind_text_named(st, ":op", f->org_path);
    bind_text_named(st, ":opu", org_upper);
    bind_int_named(st, ":from", f->from);
    bind_int_named(st, ":to", f->to);
    bind_text_named(st, ":q", f->q);
    bind_int_named(st, ":reporter", f->reporter_id);
    bind_int_named(st, ":before", f->before_id);
    bind_int_named(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    rc = many_events(q, st, f->now, items, n, "event_list"); /* resets st */
out_release:
    gg_buf_release(&sql);
    return rc;
}

int sqlite_events_nearby(struct store *s, const char *category, double min_lat, double max_lat,
                         double min_lon, double max_lon, int64_t since, int64_t exclude_id,
                         int limit, struct event **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_NEARBY,
                            "SELECT " EVENT_COLS " FROM events"
                            " WHERE category_code = ?1 AND reported_at >= ?2"
                            " AND status NOT IN (5, 6, 7)"
                            " AND lat BETWEEN ?3 AND ?4 AND lon BETWEEN ?5 AND ?6"
                            " AND id <> ?7 ORDER BY id DESC LIMIT ?8",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, category);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_double(st, 3, min_lat);
    sqlite3_bind_double(st, 4, max_lat);
    sqlite3_bind_double(st, 5, min_lon);
    sqlite3_bind_double(st, 6, max_lon);
    sqlite3_bind_int64(st, 7, exclude_id);
    sqlite3_bind_int(st, 8, sqlite_db_limit(limit, 20, 500));
    return many_events(q, st, gg_time_now(), items, n, "event_nearby");
}

/* Most overdue first, so that a sweep with a small limit handles the oldest deadlines. */
int sqlite_events_overdue(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_OVERDUE,
                            /* without ANALYZE data the planner prefers events_status,
                             * which visits every open event */
                            "SELECT id FROM events INDEXED BY events_escalate_open"
                            " WHERE status IN (1, 2, 3) AND suspended = 0"
                            " AND escalate_at <= ?1 AND level < 3"
                            " ORDER BY escalate_at, id LIMIT ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 100, 10000));
    return many_ids(q, st, ids, n, "event_overdue");
}

int sqlite_events_count_by_status(struct store *s, int64_t counts[EVENT_STATUS__COUNT])
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_COUNT_STATUS,
                            "SELECT status, count(*) FROM events GROUP BY status", &st);
    if (rc)
        return rc;
    memset(counts, 0, EVENT_STATUS__COUNT * sizeof counts[0]);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int status = sqlite3_column_int(st, 0);
        if (status >= 0 && status < EVENT_STATUS__COUNT)
            counts[status] = sqlite3_column_int64(st, 1);
    }
    rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "event_count_by_status");
    sqlite_db_done(st);
    return rc;
}

/* ---- timeline ---- */

/* A repeated (event_id, seq) is -GG_ECONFLICT; an unknown event -GG_ENOTFOUND. */
int sqlite_events_timeline_insert(struct store *s, const struct timeline_entry *t)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TIMELINE_INSERT,
                            "INSERT INTO timeline(event_id, seq, action, actor_id, at,"
                            " from_status, to_status, org_id, note)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, t->event_id);
    sqlite3_bind_int(st, 2, t->seq);
    sqlite3_bind_int(st, 3, (int)t->action);
    sqlite3_bind_int64(st, 4, t->actor_id);
    sqlite3_bind_int64(st, 5, t->at);
    sqlite3_bind_int(st, 6, (int)t->from_status);
    sqlite3_bind_int(st, 7, (int)t->to_status);
    sqlite3_bind_int64(st, 8, t->org_id);
    sqlite_db_bind_text(st, 9, t->note);
    return sqlite_db_run(q, st, "timeline_insert");
}

static void timeline_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct timeline_entry *t = row;
    memset(t, 0, sizeof *t);
    t->event_id = sqlite3_column_int64(st, 0);
    t->seq = sqlite3_column_int(st, 1);
    t->action = (enum event_action)sqlite3_column_int(st, 2);
    t->actor_id = sqlite3_column_int64(st, 3);
    t->at = sqlite3_column_int64(st, 4);
    t->from_status = (enum event_status)sqlite3_column_int(st, 5);
    t->to_status = (enum event_status)sqlite3_column_int(st, 6);
    t->org_id = sqlite3_column_int64(st, 7);
    sqlite_db_col_text(st, 8, t->note, sizeof t->note);
}

int sqlite_events_timeline_list(struct store *s, int64_t event_id, struct timeline_entry **items,
                                size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TIMELINE_LIST,
                            "SELECT event_id, seq, action, actor_id, at, from_status, to_status,"
                            " org_id, note FROM timeline WHERE event_id = ?1 ORDER BY seq",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    return sqlite_db_collect(q, st, sizeof **items, timeline_row, NULL, (void **)items, n,
                             "timeline_list");
}

/* ---- whistles (吹哨报到) ---- */

int sqlite_events_whistle_insert(struct store *s, const struct whistle *w)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_WHISTLE_INSERT,
                            "INSERT INTO whistles(event_id, dept_org_id, dept_path, due_at,"
                            " reported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, w->event_id);
    sqlite3_bind_int64(st, 2, w->dept_org_id);
    sqlite_db_bind_text(st, 3, w->dept_path);
    sqlite3_bind_int64(st, 4, w->due_at);
    sqlite3_bind_int64(st, 5, w->reported_at);
    return sqlite_db_run(q, st, "whistle_insert");
}

int sqlite_events_whistle_report_in(struct store *s, int64_t event_id, int64_t dept_org_id,
                                    int64_t at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_WHISTLE_REPORT_IN,
                            "UPDATE whistles SET reported_at = ?3"
                            " WHERE event_id = ?1 AND dept_org_id = ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    sqlite3_bind_int64(st, 2, dept_org_id);
    sqlite3_bind_int64(st, 3, at);
    rc = sqlite_db_run(q, st, "whistle_report_in");
    if (rc)
        return rc;
    return sqlite3_changes(q->db) > 0 ? 0 : -GG_ENOTFOUND;
}

/* In the order the departments were whistled. */
static void whistle_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct whistle *w = row;
    memset(w, 0, sizeof *w);
    w->event_id = sqlite3_column_int64(st, 0);
    w->dept_org_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, w->dept_path, sizeof w->dept_path);
    w->due_at = sqlite3_column_int64(st, 3);
    w->reported_at = sqlite3_column_int64(st, 4);
}

int sqlite_events_whistle_list(struct store *s, int64_t event_id, struct whistle **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_WHISTLE_LIST,
                            "SELECT event_id, dept_org_id, dept_path, due_at, reported_at"
                            " FROM whistles WHERE event_id = ?1 ORDER BY rowid",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    return sqlite_db_collect(q, st, sizeof **items, whistle_row, NULL, (void **)items, n,
                             "whistle_list");
}

/* ---- attachments (content-addressed by SHA-256) ---- */

#define ATT_COLS "id, sha256, size, content_type, uploader_id, created_at"

static int one_attachment(struct store_sqlite *q, sqlite3_stmt *st, struct attachment *out,
                          const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->id = sqlite3_column_int64(st, 0);
        sqlite_db_col_text(st, 1, out->sha256, sizeof out->sha256);
        out->size = sqlite3_column_int64(st, 2);
        sqlite_db_col_text(st, 3, out->content_type, sizeof out->content_type);
        out->uploader_id = sqlite3_column_int64(st, 4);
        out->created_at = sqlite3_column_int64(st, 5);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

/* Insert-or-ignore on the sha256 key, then read the row back: *a becomes the stored row,
 * whether it was just written or was already there (the first uploader and size stay). */
int sqlite_events_attachment_insert(struct store *s, struct attachment *a)
{
    struct store_sqlite *q = sq_of(s);
    char sha[sizeof a->sha256];
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ATT_INSERT,
                            "INSERT INTO attachments(sha256, size, content_type, uploader_id,"
                            " created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                            " ON CONFLICT(sha256, uploader_id) DO NOTHING",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, a->sha256);
    sqlite3_bind_int64(st, 2, a->size);
    sqlite_db_bind_text(st, 3, a->content_type);
    sqlite3_bind_int64(st, 4, a->uploader_id);
    sqlite3_bind_int64(st, 5, a->created_at);
    rc = sqlite_db_run(q, st, "attachment_insert");
    if (rc)
        return rc;
    rc = sqlite_db_stmt(q, SQ_ATT_GET_BY_SHA,
                        "SELECT " ATT_COLS " FROM attachments"
                        " WHERE sha256 = ?1 AND uploader_id = ?2",
                        &st);
    if (rc)
        return rc;
    /* a copy: one_attachment() overwrites *a while the bound text is still in use */
    gg_strlcpy(sha, a->sha256, sizeof sha);
    sqlite_db_bind_text(st, 1, sha);
    sqlite3_bind_int64(st, 2, a->uploader_id);
    return one_attachment(q, st, a, "attachment_get_by_sha");
}

int sqlite_events_attachment_get(struct store *s, int64_t id, struct attachment *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite_db_stmt(q, SQ_ATT_GET, "SELECT " ATT_COLS " FROM attachments WHERE id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return one_attachment(q, st, out, "attachment_get");
}

/* Attaching twice is a no-op; an unknown event or attachment is -GG_ENOTFOUND. */
int sqlite_events_attach(struct store *s, int64_t event_id, int64_t attachment_id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_ATTACH,
                            "INSERT INTO event_attachments(event_id, attachment_id)"
                            " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    sqlite3_bind_int64(st, 2, attachment_id);
    return sqlite_db_run(q, st, "event_attach");
}

int sqlite_events_attachments(struct store *s, int64_t event_id, int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_ATTACHMENTS,
                            "SELECT attachment_id FROM event_attachments WHERE event_id = ?1"
                            " ORDER BY attachment_id",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    return many_ids(q, st, ids, n, "event_attachments");
}

int sqlite_events_attachment_events(struct store *s, int64_t attachment_id, int64_t **ids,
                                    size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_ATT_EVENTS,
                            "SELECT event_id FROM event_attachments WHERE attachment_id = ?1"
                            " ORDER BY event_id",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, attachment_id);
    return many_ids(q, st, ids, n, "attachment_events");
}

/* ---- issue 4: the stats scan (sqlite_stats.c) reads whole event rows the same way ---- */
const char sqlite_events_cols[] = EVENT_COLS;

void sqlite_events_read_row(sqlite3_stmt *st, struct event *e)
{
    read_event(st, e, 0);
}
