/* pg_rank.c - issue 6 item 8 in PostgreSQL, the same contract as sqlite_rank.c (store.h): what
 * participation feeds into the rankings, as aggregates over a subtree (an index range on the
 * materialised path, C collation): service orders per community, 六必访 visits due and done in
 * time per grid, the 党支部 and the days they met, the key tasks with their milestones counted,
 * and the cadres (下沉干部) with their report-ins, orders, ratings and points.
 *
 * Not here: who may read a ranking, which unit a row counts for, nor how anything is scored
 * (app/stats.c, core/indicators.c, docs/indicators.md). */
#include "store/pg/pg_internal.h"

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

#define NO_INTERVAL "100000" /* days: a visit without an interval tag is never due */

static void orders_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_orders_row *o = out;
    memset(o, 0, sizeof *o);
    pg_text(r, row, 0, o->path, sizeof o->path);
    o->orders = pg_int(r, row, 1);
    o->completed = pg_int(r, row, 2);
    o->rated = pg_int(r, row, 3);
    o->rating_sum = pg_int(r, row, 4);
}

/* what became of a set of service orders: completed, completed and rated, the ratings' sum
 * (the unit ranking per community, the cadre ranking per claimer) */
#define ORDER_OUTCOMES_SQL                                                                         \
    " count(*) FILTER (WHERE completed_at <> 0) AS completed,"                                     \
    " count(*) FILTER (WHERE completed_at <> 0 AND rating > 0) AS rated,"                          \
    " coalesce(sum(rating) FILTER (WHERE completed_at <> 0 AND rating > 0), 0) AS rating_sum"

int pg_rank_orders(struct store *s, const char *path, int64_t from, int64_t to,
                   struct rank_orders_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_int(&a, SERVICE_STATUS_CANCELLED);
    return pg_db_collect(pg_of(s),
                         "SELECT community_path, count(*)," ORDER_OUTCOMES_SQL
                         " FROM service_orders"
                         " WHERE community_path >= $1 AND community_path < $2"
                         " AND published_at <> 0 AND published_at >= $3::bigint"
                         " AND published_at < $4::bigint AND status <> $5::integer"
                         " GROUP BY community_path ORDER BY community_path",
                         &a, sizeof **items, orders_row, NULL, (void **)items, n, "rank_orders");
}

static void visits_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_visits_row *v = out;
    memset(v, 0, sizeof *v);
    pg_text(r, row, 0, v->path, sizeof v->path);
    v->due = pg_int(r, row, 1);
    v->on_time = pg_int(r, row, 2);
}

/* the interval of tag bit b, bound as $p: the rule's days when the visit carries the tag */
#define TAG_DAYS(b, p)                                                                             \
    "CASE WHEN (v.tags & " #b ") <> 0 THEN $" #p "::bigint ELSE " NO_INTERVAL " END"

int pg_rank_visits(struct store *s, const char *path, const int days[VISIT_TAG__COUNT],
                   int64_t from, int64_t until, struct rank_visits_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    for (int k = 0; k < VISIT_TAG__COUNT; k++)
        pg_arg_int(&a, days[k]);
    /* a visit due in the period was made at most the longest interval before it */
    pg_arg_int(&a, from - longest(days) * 86400);
    pg_arg_int(&a, from);
    pg_arg_int(&a, until);
    /* as sqlite_rank.c: due = the visit's time + the shortest interval of its tags; in time when
     * a later visit of the same subject (by time, then id) came by then */
    /* clang-format off */
    return pg_db_collect(
        pg_of(s),
        "SELECT x.g, count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM visits w"
        " WHERE w.person_id = x.p AND w.household_id = x.h AND w.at <= x.due"
        " AND (w.at > x.at OR (w.at = x.at AND w.id > x.id))))"
        " FROM (SELECT v.id AS id, v.grid_path AS g, v.person_id AS p, v.household_id AS h,"
        " v.at AS at, v.at + 86400 * LEAST(" TAG_DAYS(1, 3) ", " TAG_DAYS(2, 4) ", "
        TAG_DAYS(4, 5) ", " TAG_DAYS(8, 6) ", " TAG_DAYS(16, 7) ", " TAG_DAYS(32, 8) ", "
        TAG_DAYS(64, 9) ", " TAG_DAYS(128, 10) ", " TAG_DAYS(256, 11) ") AS due"
        " FROM visits v WHERE v.grid_path >= $1 AND v.grid_path < $2"
        " AND v.at >= $12::bigint AND v.at < $14::bigint) x"
        " WHERE x.due >= $13::bigint AND x.due < $14::bigint"
        " GROUP BY x.g ORDER BY x.g",
        &a, sizeof **items, visits_row, NULL, (void **)items, n, "rank_visits");
    /* clang-format on */
}

static void branch_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_branch_row *b = out;
    memset(b, 0, sizeof *b);
    b->id = pg_int(r, row, 0);
    pg_text(r, row, 1, b->path, sizeof b->path);
}

int pg_rank_branches(struct store *s, const char *path, struct rank_branch_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, PARTY_BRANCH);
    return pg_db_collect(pg_of(s),
                         "SELECT id, org_path FROM party_orgs"
                         " WHERE org_path >= $1 AND org_path < $2 AND kind = $3::integer"
                         " ORDER BY id",
                         &a, sizeof **items, branch_row, NULL, (void **)items, n, "rank_branches");
}

static void meeting_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_meeting_row *m = out;
    m->branch_id = pg_int(r, row, 0);
    m->kind = (int)pg_int(r, row, 1);
    m->held_days = pg_int(r, row, 2);
}

int pg_rank_meetings(struct store *s, const char *path, int64_t from_days, int64_t to_days,
                     struct rank_meeting_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, PARTY_BRANCH);
    pg_arg_int(&a, from_days);
    pg_arg_int(&a, to_days);
    /* "the branch or below it" is the range [party_path, party_path with its last '/' + 1) */
    return pg_db_collect(pg_of(s),
                         "SELECT b.id, m.kind, m.held_days FROM party_orgs b"
                         " JOIN party_meetings m ON m.party_path >= b.party_path"
                         " AND m.party_path < substr(b.party_path, 1, length(b.party_path) - 1)"
                         " || '0'"
                         " WHERE b.org_path >= $1 AND b.org_path < $2 AND b.kind = $3::integer"
                         " AND b.party_path <> '' AND m.held_days >= $4::bigint"
                         " AND m.held_days < $5::bigint"
                         " GROUP BY b.id, m.kind, m.held_days ORDER BY b.id",
                         &a, sizeof **items, meeting_row, NULL, (void **)items, n, "rank_meetings");
}

static void task_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_task_row *t = out;
    memset(t, 0, sizeof *t);
    t->id = pg_int(r, row, 0);
    pg_text(r, row, 1, t->path, sizeof t->path);
    t->milestones = pg_int(r, row, 2);
    t->done = pg_int(r, row, 3);
    t->overdue = pg_int(r, row, 4);
    t->soon = pg_int(r, row, 5);
    t->budget = pg_int(r, row, 6);
    t->spend = pg_int(r, row, 7);
    t->latest_percent = (int)pg_int(r, row, 8);
}

int pg_rank_tasks(struct store *s, const char *path, int64_t before, int64_t today, int warn_days,
                  struct rank_task_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, before);
    pg_arg_int(&a, today);
    pg_arg_int(&a, warn_days);
    return pg_db_collect(
        pg_of(s),
        "SELECT t.id, t.org_path, count(m.id),"
        " count(m.id) FILTER (WHERE m.done_days IS NOT NULL),"
        " count(m.id) FILTER (WHERE m.done_days IS NULL AND m.due_days < $4::bigint),"
        " count(m.id) FILTER (WHERE m.done_days IS NULL AND m.due_days >= $4::bigint"
        " AND m.due_days <= $4::bigint + $5::bigint),"
        " t.budget, t.spend,"
        " COALESCE((SELECT r.percent FROM task_reports r WHERE r.task_id = t.id"
        " ORDER BY r.month DESC LIMIT 1), -1)"
        " FROM tasks t LEFT JOIN task_milestones m ON m.task_id = t.id"
        " WHERE t.org_path >= $1 AND t.org_path < $2 AND t.created_at < $3::bigint"
        " GROUP BY t.id, t.org_path, t.budget, t.spend ORDER BY t.id",
        &a, sizeof **items, task_row, NULL, (void **)items, n, "rank_tasks");
}

static void cadre_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct rank_cadre_row *c = out;
    memset(c, 0, sizeof *c);
    c->member_id = pg_int(r, row, 0);
    pg_text(r, row, 1, c->name, sizeof c->name);
    c->kind = (int)pg_int(r, row, 2);
    c->party_org_id = pg_int(r, row, 3);
    c->user_id = pg_int(r, row, 4);
    c->report_ins = pg_int(r, row, 5);
    pg_text(r, row, 6, c->party_org_name, sizeof c->party_org_name);
    c->claimed = pg_int(r, row, 7);
    c->completed = pg_int(r, row, 8);
    c->rated = pg_int(r, row, 9);
    c->rating_sum = pg_int(r, row, 10);
    c->reviewed = pg_int(r, row, 11);
    c->review_sum = pg_int(r, row, 12);
    c->points = pg_int(r, row, 13);
}

int pg_rank_cadres(struct store *s, const char *path, int64_t from, int64_t to,
                   struct rank_cadre_row **items, size_t *n)
{
    char upper[GG_PATH_SZ];
    struct pg_args a;
    pg_args_init(&a);
    pg_stats_subtree_args(&a, path, upper);
    pg_arg_int(&a, from);
    pg_arg_int(&a, to);
    pg_arg_int(&a, MEMBER_CADRE);
    pg_arg_int(&a, MEMBER_IN_SERVICE);
    return pg_db_collect(
        pg_of(s),
        "SELECT c.id, c.name, c.kind, c.party_org_id, c.user_id, c.n, c.po_name,"
        " coalesce(o.claimed, 0), coalesce(o.completed, 0), coalesce(o.rated, 0),"
        " coalesce(o.rating_sum, 0), coalesce(o.reviewed, 0), coalesce(o.review_sum, 0),"
        " (SELECT coalesce(sum(p.amount), 0) FROM points_ledger p WHERE c.user_id > 0"
        " AND p.user_id = c.user_id AND p.amount > 0 AND p.at >= $3::bigint"
        " AND p.at < $4::bigint)"
        " FROM (SELECT m.id AS id, m.name AS name, m.kind AS kind,"
        " m.party_org_id AS party_org_id, m.user_id AS user_id, count(*) AS n,"
        " coalesce(po.name, '') AS po_name"
        " FROM party_members m JOIN report_ins r ON r.member_id = m.id"
        " LEFT JOIN party_orgs po ON po.id = m.party_org_id"
        " WHERE r.org_path >= $1 AND r.org_path < $2 AND r.at < $4::bigint"
        " AND m.kind IN ($5::integer, $6::integer)"
        " GROUP BY m.id, m.name, m.kind, m.party_org_id, m.user_id, po.name) c"
        " LEFT JOIN (SELECT claimer_id, count(*) AS claimed," ORDER_OUTCOMES_SQL ","
        " count(*) FILTER (WHERE review_rating > 0) AS reviewed,"
        " coalesce(sum(review_rating) FILTER (WHERE review_rating > 0), 0) AS review_sum"
        " FROM service_orders WHERE community_path >= $1 AND community_path < $2"
        " AND claimer_id > 0 AND claimed_at <> 0 AND claimed_at >= $3::bigint"
        " AND claimed_at < $4::bigint"
        " GROUP BY claimer_id) o ON c.user_id > 0 AND o.claimer_id = c.user_id"
        " ORDER BY c.id",
        &a, sizeof **items, cadre_row, NULL, (void **)items, n, "rank_cadres");
}
