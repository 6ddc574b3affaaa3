/* sqlite_rank.c - issue 6 item 8 in SQLite: what participation feeds into the rankings, as
 * aggregates over a subtree (an index range on the materialised path): service orders per
 * community, 六必访 visits due and done in time per grid, the 党支部 and the days they met, the
 * key tasks with their milestones counted, and the cadres (下沉干部) with their report-ins,
 * orders, ratings and points.
 *
 * Not here: who may read a ranking, which unit a row counts for, nor how anything is scored
 * (app/stats.c, core/indicators.c, docs/indicators.md). */
#include "store/sqlite/sqlite_internal.h"

#include "core/party.h"
#include "core/service.h"

#include <string.h>

_Static_assert(VISIT_TAG__COUNT == 9, "rank_visits spells out one interval per tag");

/* the longest interval of the rules, in days */
static int64_t longest(const int days[VISIT_TAG__COUNT])
{
    int64_t m = 0;
    for (int k = 0; k < VISIT_TAG__COUNT; k++)
        if (days[k] > m)
            m = days[k];
    return m;
}

/* A subject that carries no tag with an interval is never due: its "interval" is this many days,
 * which puts its due time past any period (until <= now). */
#define NO_INTERVAL "100000"

static void orders_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_orders_row *r = row;
    memset(r, 0, sizeof *r);
    sqlite_db_col_text(st, 0, r->path, sizeof r->path);
    r->orders = sqlite3_column_int64(st, 1);
    r->completed = sqlite3_column_int64(st, 2);
    r->rated = sqlite3_column_int64(st, 3);
    r->rating_sum = sqlite3_column_int64(st, 4);
}

/* what became of a set of service orders: completed, completed and rated, the ratings' sum
 * (the unit ranking per community, the cadre ranking per claimer) */
#define ORDER_OUTCOMES_SQL                                                                         \
    " sum(CASE WHEN completed_at <> 0 THEN 1 ELSE 0 END) AS completed,"                            \
    " sum(CASE WHEN completed_at <> 0 AND rating > 0 THEN 1 ELSE 0 END) AS rated,"                 \
    " sum(CASE WHEN completed_at <> 0 AND rating > 0 THEN rating ELSE 0 END) AS rating_sum"

int sqlite_rank_orders(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_orders_row **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_RANK_ORDERS,
                            "SELECT community_path, count(*)," ORDER_OUTCOMES_SQL
                            " FROM service_orders"
                            " WHERE community_path >= ?1 AND community_path < ?2"
                            " AND published_at <> 0 AND published_at >= ?3 AND published_at < ?4"
                            " AND status <> ?5"
                            " GROUP BY community_path ORDER BY community_path",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_int(st, 5, SERVICE_STATUS_CANCELLED);
    return sqlite_db_collect(q, st, sizeof **items, orders_row, NULL, (void **)items, n,
                             "rank_orders");
}

static void visits_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_visits_row *r = row;
    memset(r, 0, sizeof *r);
    sqlite_db_col_text(st, 0, r->path, sizeof r->path);
    r->due = sqlite3_column_int64(st, 1);
    r->on_time = sqlite3_column_int64(st, 2);
}

/* the interval of tag bit b, bound as ?p: the rule's days when the visit carries the tag */
#define TAG_DAYS(b, p) "CASE WHEN (v.tags & " #b ") <> 0 THEN ?" #p " ELSE " NO_INTERVAL " END"

int sqlite_rank_visits(struct store *s, const char *path, const int days[VISIT_TAG__COUNT],
                       int64_t from, int64_t until, struct rank_visits_row **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    /* each visit's subject falls due again at the visit's time + the shortest interval of the
     * tags it carried (core visit_interval_days); it was visited in time when a later visit of
     * the same subject (by time, then id) happened by then */
    /* clang-format off */
    int rc = sqlite_db_stmt(
        q, SQ_RANK_VISITS,
        "SELECT x.g, count(*), sum(EXISTS (SELECT 1 FROM visits w"
        " WHERE w.person_id = x.p AND w.household_id = x.h AND w.at <= x.due"
        " AND (w.at > x.at OR (w.at = x.at AND w.id > x.id))))"
        " FROM (SELECT v.id AS id, v.grid_path AS g, v.person_id AS p, v.household_id AS h,"
        " v.at AS at, v.at + 86400 * min(" TAG_DAYS(1, 3) ", " TAG_DAYS(2, 4) ", "
        TAG_DAYS(4, 5) ", " TAG_DAYS(8, 6) ", " TAG_DAYS(16, 7) ", " TAG_DAYS(32, 8) ", "
        TAG_DAYS(64, 9) ", " TAG_DAYS(128, 10) ", " TAG_DAYS(256, 11) ") AS due"
        " FROM visits v WHERE v.grid_path >= ?1 AND v.grid_path < ?2"
        " AND v.at >= ?12 AND v.at < ?14) x"
        " WHERE x.due >= ?13 AND x.due < ?14"
        " GROUP BY x.g ORDER BY x.g",
        &st);
    /* clang-format on */
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    for (int k = 0; k < VISIT_TAG__COUNT; k++)
        sqlite3_bind_int(st, 3 + k, days[k]);
    /* a visit due in the period was made at most the longest interval before it */
    sqlite3_bind_int64(st, 12, from - longest(days) * 86400);
    sqlite3_bind_int64(st, 13, from);
    sqlite3_bind_int64(st, 14, until);
    return sqlite_db_collect(q, st, sizeof **items, visits_row, NULL, (void **)items, n,
                             "rank_visits");
}

static void branch_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_branch_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    sqlite_db_col_text(st, 1, r->path, sizeof r->path);
}

int sqlite_rank_branches(struct store *s, const char *path, struct rank_branch_row **items,
                         size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_RANK_BRANCHES,
                            "SELECT id, org_path FROM party_orgs"
                            " WHERE org_path >= ?1 AND org_path < ?2 AND kind = ?3 ORDER BY id",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int(st, 3, PARTY_BRANCH);
    return sqlite_db_collect(q, st, sizeof **items, branch_row, NULL, (void **)items, n,
                             "rank_branches");
}

static void meeting_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_meeting_row *r = row;
    r->branch_id = sqlite3_column_int64(st, 0);
    r->kind = sqlite3_column_int(st, 1);
    r->held_days = sqlite3_column_int64(st, 2);
}

int sqlite_rank_meetings(struct store *s, const char *path, int64_t from_days, int64_t to_days,
                         struct rank_meeting_row **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    /* "the branch or below it" is the range [party_path, party_path with its last '/' + 1);
     * CROSS JOIN keeps the branches of the subtree outermost (each an index range of meetings)
     * whatever the planner guesses without statistics */
    int rc = sqlite_db_stmt(q, SQ_RANK_MEETINGS,
                            "SELECT b.id, m.kind, m.held_days FROM party_orgs b"
                            " CROSS JOIN party_meetings m WHERE m.party_path >= b.party_path"
                            " AND m.party_path < substr(b.party_path, 1, length(b.party_path) - 1)"
                            " || '0'"
                            " AND b.org_path >= ?1 AND b.org_path < ?2 AND b.kind = ?3"
                            " AND b.party_path <> '' AND m.held_days >= ?4 AND m.held_days < ?5"
                            " GROUP BY b.id, m.kind, m.held_days ORDER BY b.id",
                            &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int(st, 3, PARTY_BRANCH);
    sqlite3_bind_int64(st, 4, from_days);
    sqlite3_bind_int64(st, 5, to_days);
    return sqlite_db_collect(q, st, sizeof **items, meeting_row, NULL, (void **)items, n,
                             "rank_meetings");
}

static void task_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_task_row *r = row;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    sqlite_db_col_text(st, 1, r->path, sizeof r->path);
    r->milestones = sqlite3_column_int64(st, 2);
    r->done = sqlite3_column_int64(st, 3);
    r->overdue = sqlite3_column_int64(st, 4);
    r->soon = sqlite3_column_int64(st, 5);
    r->budget = sqlite3_column_int64(st, 6);
    r->spend = sqlite3_column_int64(st, 7);
    r->latest_percent = sqlite3_column_int(st, 8);
}

int sqlite_rank_tasks(struct store *s, const char *path, int64_t before, int64_t today,
                      int warn_days, struct rank_task_row **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(
        q, SQ_RANK_TASKS,
        "SELECT t.id, t.org_path, count(m.id),"
        " sum(CASE WHEN m.id IS NOT NULL AND m.done_days IS NOT NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN m.id IS NOT NULL AND m.done_days IS NULL AND m.due_days < ?4"
        " THEN 1 ELSE 0 END),"
        " sum(CASE WHEN m.id IS NOT NULL AND m.done_days IS NULL AND m.due_days >= ?4"
        " AND m.due_days <= ?4 + ?5 THEN 1 ELSE 0 END),"
        " t.budget, t.spend,"
        " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"
        " ORDER BY r.month DESC LIMIT 1), -1)"
        " FROM tasks t LEFT JOIN task_milestones m ON m.task_id = t.id"
        " WHERE t.org_path >= ?1 AND t.org_path < ?2 AND t.created_at < ?3"
        " GROUP BY t.id, t.org_path, t.budget, t.spend ORDER BY t.id",
        &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int64(st, 3, before);
    sqlite3_bind_int64(st, 4, today);
    sqlite3_bind_int(st, 5, warn_days);
    return sqlite_db_collect(q, st, sizeof **items, task_row, NULL, (void **)items, n,
                             "rank_tasks");
}

static void cadre_row(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct rank_cadre_row *r = row;
    memset(r, 0, sizeof *r);
    r->member_id = sqlite3_column_int64(st, 0);
    sqlite_db_col_text(st, 1, r->name, sizeof r->name);
    r->kind = sqlite3_column_int(st, 2);
    r->party_org_id = sqlite3_column_int64(st, 3);
    r->user_id = sqlite3_column_int64(st, 4);
    r->report_ins = sqlite3_column_int64(st, 5);
    sqlite_db_col_text(st, 6, r->party_org_name, sizeof r->party_org_name);
    r->claimed = sqlite3_column_int64(st, 7);
    r->completed = sqlite3_column_int64(st, 8);
    r->rated = sqlite3_column_int64(st, 9);
    r->rating_sum = sqlite3_column_int64(st, 10);
    r->reviewed = sqlite3_column_int64(st, 11);
    r->review_sum = sqlite3_column_int64(st, 12);
    r->points = sqlite3_column_int64(st, 13);
}

int sqlite_rank_cadres(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_cadre_row **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(
        q, SQ_RANK_CADRES,
        "SELECT c.id, c.name, c.kind, c.party_org_id, c.user_id, c.n, c.po_name,"
        " coalesce(o.claimed, 0), coalesce(o.completed, 0), coalesce(o.rated, 0),"
        " coalesce(o.rating_sum, 0), coalesce(o.reviewed, 0), coalesce(o.review_sum, 0),"
        " (SELECT coalesce(sum(p.amount), 0) FROM points_ledger p WHERE c.user_id > 0"
        " AND p.user_id = c.user_id AND p.amount > 0 AND p.at >= ?3 AND p.at < ?4)"
        " FROM (SELECT m.id AS id, m.name AS name, m.kind AS kind,"
        " m.party_org_id AS party_org_id, m.user_id AS user_id, count(*) AS n,"
        " coalesce(po.name, '') AS po_name"
        " FROM party_members m JOIN report_ins r ON r.member_id = m.id"
        " LEFT JOIN party_orgs po ON po.id = m.party_org_id"
        " WHERE r.org_path >= ?1 AND r.org_path < ?2 AND r.at < ?4 AND m.kind IN (?5, ?6)"
        " GROUP BY m.id, m.name, m.kind, m.party_org_id, m.user_id, po.name) c"
        " LEFT JOIN (SELECT claimer_id, count(*) AS claimed," ORDER_OUTCOMES_SQL ","
        " sum(CASE WHEN review_rating > 0 THEN 1 ELSE 0 END) AS reviewed,"
        " sum(CASE WHEN review_rating > 0 THEN review_rating ELSE 0 END) AS review_sum"
        " FROM service_orders WHERE community_path >= ?1 AND community_path < ?2"
        " AND claimer_id > 0 AND claimed_at <> 0 AND claimed_at >= ?3 AND claimed_at < ?4"
        " GROUP BY claimer_id) o ON c.user_id > 0 AND o.claimer_id = c.user_id"
        " ORDER BY c.id",
        &st);
    if (rc)
        return rc;
    char upper[GG_PATH_SZ];
    sqlite_db_bind_subtree(st, 1, path, upper);
    sqlite3_bind_int64(st, 3, from);
    sqlite3_bind_int64(st, 4, to);
    sqlite3_bind_int(st, 5, MEMBER_CADRE);
    sqlite3_bind_int(st, 6, MEMBER_IN_SERVICE);
    return sqlite_db_collect(q, st, sizeof **items, cadre_row, NULL, (void **)items, n,
                             "rank_cadres");
}
