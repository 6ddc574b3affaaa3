/* sqlite_eval.c - the rest of issue 4 in SQLite: the sweep's list of events whose colour mark
 * is due to change and the mark's own update, the department reverse evaluation (ratings given
 * after a whistle, and per-department sums of whistles, report-ins and ratings) and property
 * companies with the areas they serve and the complaint counts of an area.
 *
 * Not here: who may rate or manage a company, nor how a ranking is scored (app/evaluate.c,
 * core/indicators.c). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- colour marks ---- */

static void id_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

int sqlite_eval_recolor_due(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_RECOLOR_DUE,
                            "SELECT id FROM events WHERE recolor_at <> 0 AND recolor_at <= ?1"
                            " ORDER BY recolor_at LIMIT ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 200, 10000));
    return sqlite_db_collect(q, st, sizeof **ids, id_row, NULL, (void **)ids, n, "recolor_due");
}

int sqlite_eval_set_mark(struct store *s, int64_t id, int color_mark, int64_t recolor_at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_EVENT_SET_MARK,
                            "UPDATE events SET color_mark = ?2, recolor_at = ?3 WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, color_mark);
    sqlite3_bind_int64(st, 3, recolor_at);
    rc = sqlite_db_run(q, st, "set_mark");
    if (!rc && sqlite3_changes(q->db) == 0)
        rc = -GG_ENOTFOUND;
    return rc;
}

/* ---- department reverse evaluation ---- */

int sqlite_eval_dept_rating_insert(struct store *s, const struct dept_rating *r)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_DEPT_RATING_INSERT,
                            "INSERT INTO dept_ratings(event_id, dept_org_id, score, note, rater_id,"
                            " rater_org_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, r->event_id);
    sqlite3_bind_int64(st, 2, r->dept_org_id);
    sqlite3_bind_int(st, 3, r->score);
    sqlite_db_bind_text(st, 4, r->note);
    sqlite3_bind_int64(st, 5, r->rater_id);
    sqlite3_bind_int64(st, 6, r->rater_org_id);
    sqlite3_bind_int64(st, 7, r->at);
    return sqlite_db_run(q, st, "dept_rating_insert");
}

static void rating_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct dept_rating *r = row;
    memset(r, 0, sizeof *r);
    r->event_id = sqlite3_column_int64(st, 0);
    r->dept_org_id = sqlite3_column_int64(st, 1);
    r->score = sqlite3_column_int(st, 2);
    sqlite_db_col_text(st, 3, r->note, sizeof r->note);
    r->rater_id = sqlite3_column_int64(st, 4);
    r->rater_org_id = sqlite3_column_int64(st, 5);
    r->at = sqlite3_column_int64(st, 6);
}

int sqlite_eval_dept_rating_list(struct store *s, int64_t event_id, struct dept_rating **items,
                                 size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_DEPT_RATING_LIST,
                            "SELECT event_id, dept_org_id, score, note, rater_id, rater_org_id, at"
                            " FROM dept_ratings WHERE event_id = ?1 ORDER BY dept_org_id",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, event_id);
    return sqlite_db_collect(q, st, sizeof **items, rating_row, NULL, (void **)items, n,
                             "dept_rating_list");
}

static void dept_stat_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct dept_stat *d = row;
    d->dept_org_id = sqlite3_column_int64(st, 0);
    d->whistles = sqlite3_column_int64(st, 1);
    d->reported = sqlite3_column_int64(st, 2);
    d->on_time = sqlite3_column_int64(st, 3);
    d->ratings = sqlite3_column_int64(st, 4);
    d->score_sum = sqlite3_column_int64(st, 5);
}

int sqlite_eval_dept_stats(struct store *s, const char *dept_path, int64_t from, int64_t to,
                           struct dept_stat **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_DEPT_STATS,
                            "SELECT w.dept_org_id, count(*), sum(w.reported_at <> 0),"
                            " sum(w.reported_at <> 0 AND w.reported_at <= w.due_at),"
                            " count(r.score), coalesce(sum(r.score), 0)"
                            " FROM whistles w JOIN events e ON e.id = w.event_id"
                            " LEFT JOIN dept_ratings r ON r.event_id = w.event_id"
                            " AND r.dept_org_id = w.dept_org_id"
                            " WHERE w.dept_path >= ?1 AND w.dept_path < ?2"
                            " AND e.reported_at >= ?3 AND e.reported_at < ?4"
                            " GROUP BY w.dept_org_id ORDER BY w.dept_org_id",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_stats_bind_subtree(st, 1, dept_path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    return sqlite_db_collect(q, st, sizeof **items, dept_stat_row, NULL, (void **)items, n,
                             "dept_stats");
}

/* ---- property companies ---- */

int sqlite_eval_property_insert(struct store *s, struct property_company *c)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PROP_INSERT,
                            "INSERT INTO property_companies(name, created_at, updated_at)"
                            " VALUES (?1, ?2, ?3)",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, c->name);
    sqlite3_bind_int64(st, 2, c->created_at);
    sqlite3_bind_int64(st, 3, c->updated_at);
    rc = sqlite_db_run(q, st, "property_insert");
    if (!rc)
        c->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

int sqlite_eval_property_update(struct store *s, const struct property_company *c)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PROP_UPDATE,
                            "UPDATE property_companies SET name = ?2, updated_at = ?3 WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, c->id);
    sqlite_db_bind_text(st, 2, c->name);
    sqlite3_bind_int64(st, 3, c->updated_at);
    rc = sqlite_db_run(q, st, "property_update");
    if (!rc && sqlite3_changes(q->db) == 0)
        rc = -GG_ENOTFOUND;
    return rc;
}

static void company_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct property_company *c = row;
    memset(c, 0, sizeof *c);
    c->id = sqlite3_column_int64(st, 0);
    sqlite_db_col_text(st, 1, c->name, sizeof c->name);
    c->created_at = sqlite3_column_int64(st, 2);
    c->updated_at = sqlite3_column_int64(st, 3);
}

int sqlite_eval_property_get(struct store *s, int64_t id, struct property_company *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PROP_GET,
                            "SELECT id, name, created_at, updated_at FROM property_companies"
                            " WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        company_row(st, out, NULL);
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? -GG_ENOTFOUND : sqlite_db_error(q, rc, "property_get");
    }
    sqlite_db_done(st);
    return rc;
}

int sqlite_eval_property_list(struct store *s, struct property_company **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PROP_LIST,
                            "SELECT id, name, created_at, updated_at FROM property_companies"
                            " ORDER BY id LIMIT 100000",
                            &st);
    if (rc)
        return rc;
    return sqlite_db_collect(q, st, sizeof **items, company_row, NULL, (void **)items, n,
                             "property_list");
}

int sqlite_eval_property_areas_set(struct store *s, int64_t company_id,
                                   const struct property_area *areas, size_t n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_PROP_AREAS_DELETE,
                            "DELETE FROM property_areas WHERE company_id = ?1", &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, company_id);
    rc = sqlite_db_run(q, st, "property_areas_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = sqlite_db_stmt(q, SQ_PROP_AREA_INSERT,
                            "INSERT INTO property_areas(org_id, company_id, org_path, households)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            &st);
        if (rc)
            break;
        sqlite3_bind_int64(st, 1, areas[i].org_id);
        sqlite3_bind_int64(st, 2, company_id);
        sqlite_db_bind_text(st, 3, areas[i].org_path);
        sqlite3_bind_int(st, 4, areas[i].households);
        rc = sqlite_db_run(q, st, "property_area_insert");
    }
    return rc;
}

static void area_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct property_area *a = row;
    memset(a, 0, sizeof *a);
    a->company_id = sqlite3_column_int64(st, 0);
    a->org_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, a->org_path, sizeof a->org_path);
    a->households = sqlite3_column_int(st, 3);
}

int sqlite_eval_property_areas(struct store *s, int64_t company_id, struct property_area **items,
                               size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = company_id
                 ? sqlite_db_stmt(q, SQ_PROP_AREAS,
                                  "SELECT company_id, org_id, org_path, households"
                                  " FROM property_areas WHERE company_id = ?1 ORDER BY org_id",
                                  &st)
                 : sqlite_db_stmt(q, SQ_PROP_AREAS_ALL,
                                  "SELECT company_id, org_id, org_path, households"
                                  " FROM property_areas ORDER BY company_id, org_id",
                                  &st);
    if (rc)
        return rc;
    if (company_id)
        sqlite3_bind_int64(st, 1, company_id);
    return sqlite_db_collect(q, st, sizeof **items, area_row, NULL, (void **)items, n,
                             "property_areas");
}

int sqlite_eval_property_complaints(struct store *s, const char *path, int64_t from, int64_t to,
                                    const char (*codes)[GG_CODE_SZ], size_t n_codes,
                                    int64_t *events, int64_t *rated, int64_t *satisfied)
{
    struct store_sqlite *q = sq_of(s);
    *events = *rated = *satisfied = 0;
    if (!n_codes)
        return 0;
    /* the codes travel as one bound JSON array (json_each), never spliced into the SQL; a
     * catalog code is letters and digits, anything else is dropped here */
    struct gg_buf b;
    gg_buf_init(&b, (size_t)GG_CODE_SZ * (n_codes + 1) * 2 + 8);
    int rc = gg_buf_puts(&b, "[");
    for (size_t i = 0; !rc && i < n_codes; i++) {
        rc = gg_buf_puts(&b, i ? ",\"" : "\"");
        for (const char *p = codes[i]; !rc && *p; p++)
            if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                rc = gg_buf_append(&b, p, 1);
        if (!rc)
            rc = gg_buf_puts(&b, "\"");
    }
    if (!rc)
        rc = gg_buf_puts(&b, "]");
    sqlite3_stmt *st = NULL;
    if (!rc)
        rc = sqlite_db_stmt(q, SQ_PROP_COMPLAINTS,
                            "SELECT count(*), coalesce(sum(rating <> 0), 0),"
                            " coalesce(sum(rating IN (1, 2)), 0) FROM events"
                            " WHERE org_path >= ?1 AND org_path < ?2"
                            " AND reported_at >= ?3 AND reported_at < ?4 AND status NOT IN (6, 7)"
                            " AND category_code IN (SELECT value FROM json_each(?5))",
                            &st);
    if (rc) {
        gg_buf_release(&b);
        return rc;
    }
    char upper[GG_PATH_SZ];
    sqlite_stats_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_text(st, 5, b.data, (int)b.len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *events = sqlite3_column_int64(st, 0);
        *rated = sqlite3_column_int64(st, 1);
        *satisfied = sqlite3_column_int64(st, 2);
        rc = 0;
    } else {
        rc = sqlite_db_error(q, rc, "property_complaints");
    }
    sqlite_db_done(st);
    gg_buf_release(&b);
    return rc;
}
