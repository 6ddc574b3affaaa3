/* pg_eval.c - the rest of issue 4 in PostgreSQL, as sqlite_eval.c: the sweep's list of events
 * whose colour mark is due to change and the mark's own update, the department reverse
 * evaluation (ratings given after a whistle, and per-department sums of whistles, report-ins
 * and ratings) and property companies with the areas they serve and the complaint counts of an
 * area.
 *
 * A failed statement aborts the caller's transaction, so duplicates and missing parents are
 * found inside the statement (ON CONFLICT DO NOTHING, EXISTS) and answered as -GG_ECONFLICT or
 * -GG_ENOTFOUND instead of being raised by a constraint.
 * Not here: who may rate or manage a company, nor how a ranking is scored (app/evaluate.c,
 * core/indicators.c). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(EVENT_STATUS_REJECTED == 6 && EVENT_STATUS_MERGED == 7 &&
                   RATING_SATISFIED == 1 && RATING_BASIC == 2,
               "status and rating values are spelled out in SQL");

/* ---- colour marks ---- */

int pg_eval_recolor_due(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, now);
    pg_arg_int(&a, pg_db_limit(limit, 200, 10000));
    return pg_ids_collect(pg_of(s),
                          "SELECT id FROM events WHERE recolor_at <> 0 AND recolor_at <= $1"
                          " ORDER BY recolor_at LIMIT $2",
                          &a, ids, n, "recolor_due");
}

int pg_eval_set_mark(struct store *s, int64_t id, int color_mark, int64_t recolor_at)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, color_mark);
    pg_arg_int(&a, recolor_at);
    int rc = pg_db_run(pg_of(s), "UPDATE events SET color_mark = $2, recolor_at = $3 WHERE id = $1",
                       &a, &changed, "set_mark");
    if (!rc && changed == 0)
        rc = -GG_ENOTFOUND;
    return rc;
}

/* ---- department reverse evaluation ---- */

int pg_eval_dept_rating_insert(struct store *s, const struct dept_rating *r)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    pg_arg_int(&a, r->event_id);
    pg_arg_int(&a, r->dept_org_id);
    pg_arg_int(&a, r->score);
    pg_arg_text(&a, r->note);
    pg_arg_int(&a, r->rater_id);
    pg_arg_int(&a, r->rater_org_id);
    pg_arg_int(&a, r->at);
    int rc = pg_db_run(pg_of(s),
                       "INSERT INTO dept_ratings(event_id, dept_org_id, score, note, rater_id,"
                       " rater_org_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                       " ON CONFLICT DO NOTHING",
                       &a, &changed, "dept_rating_insert");
    if (!rc && changed == 0)
        rc = -GG_ECONFLICT;
    return rc;
}

static void rating_row(const PGresult *res, int row, void *out, void *ctx)
{
    (void)ctx;
    struct dept_rating *r = out;
    memset(r, 0, sizeof *r);
    r->event_id = pg_int(res, row, 0);
    r->dept_org_id = pg_int(res, row, 1);
    r->score = (int)pg_int(res, row, 2);
    pg_text(res, row, 3, r->note, sizeof r->note);
    r->rater_id = pg_int(res, row, 4);
    r->rater_org_id = pg_int(res, row, 5);
    r->at = pg_int(res, row, 6);
}

int pg_eval_dept_rating_list(struct store *s, int64_t event_id, struct dept_rating **items,
                             size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, event_id);
    return pg_db_collect(pg_of(s),
                         "SELECT event_id, dept_org_id, score, note, rater_id, rater_org_id, at"
                         " FROM dept_ratings WHERE event_id = $1 ORDER BY dept_org_id",
                         &a, sizeof **items, rating_row, NULL, (void **)items, n,
                         "dept_rating_list");
}

static void dept_stat_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct dept_stat *d = out;
    d->dept_org_id = pg_int(r, row, 0);
    d->whistles = pg_int(r, row, 1);
    d->reported = pg_int(r, row, 2);
    d->on_time = pg_int(r, row, 3);
    d->ratings = pg_int(r, row, 4);
    d->score_sum = pg_int(r, row, 5);
}

int pg_eval_dept_stats(struct store *s, const char *dept_path, int64_t from, int64_t to,
                       struct dept_stat **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, dept_path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    return pg_db_collect(pg_of(s),
                         "SELECT w.dept_org_id, count(*),"
                         " count(*) FILTER (WHERE w.reported_at <> 0),"
                         " count(*) FILTER (WHERE w.reported_at <> 0"
                         " AND w.reported_at <= w.due_at),"
                         " count(r.score), coalesce(sum(r.score), 0)"
                         " FROM whistles w JOIN events e ON e.id = w.event_id"
                         " LEFT JOIN dept_ratings r ON r.event_id = w.event_id"
                         " AND r.dept_org_id = w.dept_org_id"
                         " WHERE w.dept_path >= $1 AND w.dept_path < $2"
                         " AND e.reported_at >= $3 AND e.reported_at < $4"
                         " GROUP BY w.dept_org_id ORDER BY w.dept_org_id",
                         &a, sizeof **items, dept_stat_row, NULL, (void **)items, n,
                         "dept_stats");
}

/* ---- property companies ---- */

int pg_eval_property_insert(struct store *s, struct property_company *c)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_text(&a, c->name);
    pg_arg_int(&a, c->created_at);
    pg_arg_int(&a, c->updated_at);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO property_companies(name, created_at, updated_at)"
                         " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
                         &a, &r, "property_insert");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ECONFLICT; /* the name is taken */
    else
        c->id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

/* No such company is -GG_ENOTFOUND; a name another company has is -GG_ECONFLICT (tested in the
 * statement: the unique index would abort the transaction). */
int pg_eval_property_update(struct store *s, const struct property_company *c)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, c->id);
    pg_arg_text(&a, c->name);
    pg_arg_int(&a, c->updated_at);
    return pg_db_insert_checked(pg_of(s),
                                "WITH t AS (SELECT 1 FROM property_companies WHERE id = $1),"
                                " u AS (UPDATE property_companies SET name = $2, updated_at = $3"
                                " WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM property_companies"
                                " WHERE name = $2 AND id <> $1) RETURNING 1)"
                                " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM u)",
                                &a, true, "property_update");
}

#define COMPANY_COLS "id, name, created_at, updated_at"

static void company_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct property_company *c = out;
    memset(c, 0, sizeof *c);
    c->id = pg_int(r, row, 0);
    pg_text(r, row, 1, c->name, sizeof c->name);
    c->created_at = pg_int(r, row, 2);
    c->updated_at = pg_int(r, row, 3);
}

int pg_eval_property_get(struct store *s, int64_t id, struct property_company *out)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    int rc = pg_db_query(pg_of(s), "SELECT " COMPANY_COLS " FROM property_companies WHERE id = $1",
                         &a, &r, "property_get");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        company_row(r, 0, out, NULL);
    PQclear(r);
    return rc;
}

int pg_eval_property_list(struct store *s, struct property_company **items, size_t *n)
{
    return pg_db_collect(pg_of(s),
                         "SELECT " COMPANY_COLS " FROM property_companies ORDER BY id"
                         " LIMIT 100000",
                         NULL, sizeof **items, company_row, NULL, (void **)items, n,
                         "property_list");
}

/* An org another company serves (or listed twice) is -GG_ECONFLICT and an unknown company
 * -GG_ENOTFOUND, both found in the statement; the caller's transaction undoes the rows
 * already written. */
int pg_eval_property_areas_set(struct store *s, int64_t company_id,
                               const struct property_area *areas, size_t n)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, company_id);
    int rc = pg_db_run(q, "DELETE FROM property_areas WHERE company_id = $1", &a, NULL,
                       "property_areas_delete");
    for (size_t i = 0; !rc && i < n; i++) {
        pg_args_init(&a);
        pg_arg_int(&a, areas[i].org_id);
        pg_arg_int(&a, company_id);
        pg_arg_text(&a, areas[i].org_path);
        pg_arg_int(&a, areas[i].households);
        rc = pg_db_insert_checked(
            q,
            "WITH p AS (SELECT 1 FROM property_companies WHERE id = $2::bigint),"
            " ins AS (INSERT INTO property_areas(org_id, company_id, org_path, households)"
            " SELECT $1::bigint, $2::bigint, $3::text, $4::integer FROM p"
            " ON CONFLICT DO NOTHING RETURNING 1)"
            " SELECT (SELECT count(*) FROM p), (SELECT count(*) FROM ins)",
            &a, true, "property_area_insert");
    }
    return rc;
}

static void area_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct property_area *p = out;
    memset(p, 0, sizeof *p);
    p->company_id = pg_int(r, row, 0);
    p->org_id = pg_int(r, row, 1);
    pg_text(r, row, 2, p->org_path, sizeof p->org_path);
    p->households = (int)pg_int(r, row, 3);
}

int pg_eval_property_areas(struct store *s, int64_t company_id, struct property_area **items,
                           size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    if (company_id) {
        pg_arg_int(&a, company_id);
        return pg_db_collect(pg_of(s),
                             "SELECT company_id, org_id, org_path, households"
                             " FROM property_areas WHERE company_id = $1 ORDER BY org_id",
                             &a, sizeof **items, area_row, NULL, (void **)items, n,
                             "property_areas");
    }
    return pg_db_collect(pg_of(s),
                         "SELECT company_id, org_id, org_path, households"
                         " FROM property_areas ORDER BY company_id, org_id",
                         NULL, sizeof **items, area_row, NULL, (void **)items, n,
                         "property_areas");
}

int pg_eval_property_complaints(struct store *s, const char *path, int64_t from, int64_t to,
                                const char (*codes)[GG_CODE_SZ], size_t n_codes,
                                int64_t *events, int64_t *rated, int64_t *satisfied)
{
    *events = *rated = *satisfied = 0;
    if (!n_codes)
        return 0;
    /* the codes travel as one bound text[] literal, never spliced into the SQL; a catalog code
     * is letters and digits, anything else is dropped here (so no element needs quoting) */
    struct gg_buf b;
    gg_buf_init(&b, (size_t)GG_CODE_SZ * (n_codes + 1) * 2 + 8);
    int rc = gg_buf_puts(&b, "{");
    for (size_t i = 0; !rc && i < n_codes; i++) {
        rc = gg_buf_puts(&b, i ? ",\"" : "\"");
        for (const char *p = codes[i]; !rc && *p; p++)
            if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                rc = gg_buf_append(&b, p, 1);
        if (!rc)
            rc = gg_buf_puts(&b, "\"");
    }
    if (!rc)
        rc = gg_buf_puts(&b, "}");
    if (rc) {
        gg_buf_release(&b);
        return rc;
    }
    char upper[GG_PATH_SZ];
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_text(&a, b.data);
    rc = pg_db_query(pg_of(s),
                     "SELECT count(*), count(*) FILTER (WHERE rating <> 0),"
                     " count(*) FILTER (WHERE rating IN (1, 2)) FROM events"
                     " WHERE org_path >= $1 AND org_path < $2"
                     " AND reported_at >= $3 AND reported_at < $4 AND status NOT IN (6, 7)"
                     " AND category_code = ANY ($5::text[])",
                     &a, &r, "property_complaints");
    gg_buf_release(&b);
    if (rc)
        return rc;
    *events = pg_int(r, 0, 0);
    *rated = pg_int(r, 0, 1);
    *satisfied = pg_int(r, 0, 2);
    PQclear(r);
    return 0;
}
