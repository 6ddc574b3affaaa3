/* sqlite_visits.c - issue 6: home visit records (走访, 六必访) within an org subtree, and the
 * latest visit of each subject for the due lists.
 *
 * Not here: intervals and due states (core/visit.c), who may record or read (app/visits.c). */
#include "store/sqlite/sqlite_internal.h"

#include "core/scope.h"

#include <string.h>

#define VISIT_COLS                                                                                 \
    "id, grid_id, grid_path, officer_id, person_id, household_id, subject_name, tags, at,"       \
    " findings, event_id, order_id, created_at"

static void read_visit(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct visit *v = row;
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    v->grid_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, v->grid_path, sizeof v->grid_path);
    v->officer_id = sqlite3_column_int64(st, 3);
    v->person_id = sqlite3_column_int64(st, 4);
    v->household_id = sqlite3_column_int64(st, 5);
    sqlite_db_col_text(st, 6, v->subject_name, sizeof v->subject_name);
    v->tags = (unsigned)sqlite3_column_int64(st, 7);
    v->at = sqlite3_column_int64(st, 8);
    sqlite_db_col_text(st, 9, v->findings, sizeof v->findings);
    v->event_id = sqlite3_column_int64(st, 10);
    v->order_id = sqlite3_column_int64(st, 11);
    v->created_at = sqlite3_column_int64(st, 12);
}

int sqlite_visits_insert(struct store *s, struct visit *v)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_VISIT_INSERT,
                            "INSERT INTO visits(grid_id, grid_path, officer_id, person_id,"
                            " household_id, subject_name, tags, at, findings, event_id, order_id,"
                            " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, v->grid_id);
    sqlite_db_bind_text(st, 2, v->grid_path);
    sqlite3_bind_int64(st, 3, v->officer_id);
    sqlite3_bind_int64(st, 4, v->person_id);
    sqlite3_bind_int64(st, 5, v->household_id);
    sqlite_db_bind_text(st, 6, v->subject_name);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)v->tags);
    sqlite3_bind_int64(st, 8, v->at);
    sqlite_db_bind_text(st, 9, v->findings);
    sqlite3_bind_int64(st, 10, v->event_id);
    sqlite3_bind_int64(st, 11, v->order_id);
    sqlite3_bind_int64(st, 12, v->created_at);
    rc = sqlite_db_run(q, st, "visit_insert");
    if (!rc)
        v->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

int sqlite_visits_list(struct store *s, const char *path, int64_t person_id, int64_t household_id,
                       int64_t before_id, int limit, struct visit **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_VISIT_LIST,
                            "SELECT " VISIT_COLS " FROM visits"
                            " WHERE grid_path >= ?1 AND grid_path < ?2"
                            " AND (?3 = 0 OR person_id = ?3) AND (?4 = 0 OR household_id = ?4)"
                            " AND (?5 = 0 OR id < ?5) ORDER BY id DESC LIMIT ?6",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int64(st, 3, person_id);
    sqlite3_bind_int64(st, 4, household_id);
    sqlite3_bind_int64(st, 5, before_id);
    sqlite3_bind_int(st, 6, sqlite_db_limit(limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_visit, NULL, (void **)items, n,
                             "visit_list");
}

int sqlite_visits_latest(struct store *s, const char *path, int limit, struct visit **items,
                         size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    char upper[GG_PATH_SZ];
    *items = NULL;
    *n = 0;
    /* the latest per subject: no later visit (by time, then id) of the same subject */
    int rc = sqlite_db_stmt(q, SQ_VISIT_LATEST,
                            "SELECT " VISIT_COLS " FROM visits v"
                            " WHERE grid_path >= ?1 AND grid_path < ?2 AND NOT EXISTS ("
                            " SELECT 1 FROM visits w WHERE w.person_id = v.person_id"
                            " AND w.household_id = v.household_id"
                            " AND (w.at > v.at OR (w.at = v.at AND w.id > v.id)))"
                            " ORDER BY at LIMIT ?3",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int(st, 3, sqlite_db_limit(limit, 1000, 10000));
    return sqlite_db_collect(q, st, sizeof **items, read_visit, NULL, (void **)items, n,
                             "visit_latest");
}
