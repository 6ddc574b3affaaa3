/* pg_visits.c - issue 6: home visit records (走访, 六必访) within an org subtree, and the
 * latest visit of each subject for the due lists, on PostgreSQL (as sqlite_visits.c).
 *
 * Not here: intervals and due states (core/visit.c), who may record or read (app/visits.c). */
#include "store/pg/pg_internal.h"

#include "core/scope.h"

#include <string.h>

#define VISIT_COLS                                                                                 \
    "id, grid_id, grid_path, officer_id, person_id, household_id, subject_name, tags, at,"       \
    " findings, event_id, order_id, created_at"

static void read_visit(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct visit *v = out;
    memset(v, 0, sizeof *v);
    v->id = pg_int(r, row, 0);
    v->grid_id = pg_int(r, row, 1);
    pg_text(r, row, 2, v->grid_path, sizeof v->grid_path);
    v->officer_id = pg_int(r, row, 3);
    v->person_id = pg_int(r, row, 4);
    v->household_id = pg_int(r, row, 5);
    pg_text(r, row, 6, v->subject_name, sizeof v->subject_name);
    v->tags = (unsigned)pg_int(r, row, 7);
    v->at = pg_int(r, row, 8);
    pg_text(r, row, 9, v->findings, sizeof v->findings);
    v->event_id = pg_int(r, row, 10);
    v->order_id = pg_int(r, row, 11);
    v->created_at = pg_int(r, row, 12);
}

int pg_visits_insert(struct store *s, struct visit *v)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, v->grid_id);
    pg_arg_text(&a, v->grid_path);
    pg_arg_int(&a, v->officer_id);
    pg_arg_int(&a, v->person_id);
    pg_arg_int(&a, v->household_id);
    pg_arg_text(&a, v->subject_name);
    pg_arg_int(&a, (int64_t)v->tags);
    pg_arg_int(&a, v->at);
    pg_arg_text(&a, v->findings);
    pg_arg_int(&a, v->event_id);
    pg_arg_int(&a, v->order_id);
    pg_arg_int(&a, v->created_at);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO visits(grid_id, grid_path, officer_id, person_id,"
                         " household_id, subject_name, tags, at, findings, event_id, order_id,"
                         " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                         " RETURNING id",
                         &a, &r, "visit_insert");
    if (rc)
        return rc;
    v->id = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_visits_list(struct store *s, const char *path, int64_t person_id, int64_t household_id,
                   int64_t before_id, int limit, struct visit **items, size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    scope_upper_bound(path, upper, sizeof upper);
    pg_arg_text(&a, path);
    pg_arg_text(&a, upper);
    pg_arg_int(&a, person_id);
    pg_arg_int(&a, household_id);
    pg_arg_int(&a, before_id);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " VISIT_COLS " FROM visits"
                         " WHERE grid_path >= $1 AND grid_path < $2"
                         " AND ($3::bigint = 0 OR person_id = $3)"
                         " AND ($4::bigint = 0 OR household_id = $4)"
                         " AND ($5::bigint = 0 OR id < $5) ORDER BY id DESC LIMIT $6",
                         &a, sizeof **items, read_visit, NULL, (void **)items, n, "visit_list");
}

int pg_visits_latest(struct store *s, const char *path, int limit, struct visit **items,
                     size_t *n)
{
    struct pg_args a;
    char upper[GG_PATH_SZ];
    pg_args_init(&a);
    scope_upper_bound(path, upper, sizeof upper);
    pg_arg_text(&a, path);
    pg_arg_text(&a, upper);
    pg_arg_int(&a, pg_db_limit(limit, 1000, 10000));
    /* the latest per subject: no later visit (by time, then id) of the same subject; ties of
     * `at` in the order broken by id so that both backends answer the same list */
    return pg_db_collect(pg_of(s),
                         "SELECT " VISIT_COLS " FROM visits v"
                         " WHERE grid_path >= $1 AND grid_path < $2 AND NOT EXISTS ("
                         " SELECT 1 FROM visits w WHERE w.person_id = v.person_id"
                         " AND w.household_id = v.household_id"
                         " AND (w.at > v.at OR (w.at = v.at AND w.id > v.id)))"
                         " ORDER BY at, id LIMIT $3",
                         &a, sizeof **items, read_visit, NULL, (void **)items, n,
                         "visit_latest");
}
