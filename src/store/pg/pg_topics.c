/* pg_topics.c - issue 6: deliberation topics (议事协商) and disclosures (公开栏) on PostgreSQL,
 * the contract of sqlite_topics.c.
 *
 * Reads apply the "place rule" of store.h in SQL: a row is visible when its org_path lies in
 * the caller's subtree (an index range), or, for members and residents, when it is one of the
 * places that contain them: org_path = ANY of the scope path's prefixes, sent as one text[]
 * parameter (SQLite passes a JSON array to json_each). One support, vote and rating per
 * (topic, user) is the primary key of their tables; the insert is guarded (ON CONFLICT DO
 * NOTHING) and a duplicate is -GG_ECONFLICT without aborting the caller's transaction.
 *
 * Not here: who may act, the state machine, validation (app/topics.c, core/topic.c). */
#include "store/pg/pg_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the place rule ---- */

/* three arguments from $n: the subtree and the array of containing places */
#define PLACE(a, b, c)                                                                             \
    " AND ((org_path >= $" a " AND org_path < $" b ") OR org_path = ANY($" c "::text[]))"

/* What a bound place rule keeps alive until the statement is done. */
struct place {
    char path[GG_PATH_SZ];
    char upper[GG_PATH_SZ];
    char ancs[GG_PATH_SZ * 8]; /* array literal of the scope path's prefixes */
};

/* false when the scope sees nothing of this kind (handler) */
static bool place_of(const struct store_scope *scope, struct place *p)
{
    memset(p, 0, sizeof *p);
    memcpy(p->ancs, "{}", 3);
    if (!scope) {
        p->upper[0] = '\x7f';
        return true;
    }
    if (scope->role == ROLE_HANDLER)
        return false;
    gg_strlcpy(p->path, scope->path, sizeof p->path);
    if (*p->path)
        scope_upper_bound(p->path, p->upper, sizeof p->upper);
    else
        p->upper[0] = '\x7f';
    if (scope->role == ROLE_MEMBER || scope->role == ROLE_RESIDENT) {
        /* "/1/5/23/" -> {/1/,/1/5/,/1/5/23/}: paths are digits and slashes only, so no element
         * needs quoting */
        size_t len = strlen(p->path), k = 0;
        p->ancs[k++] = '{';
        for (size_t i = 1; i < len && k + len + 4 < sizeof p->ancs; i++) {
            if (p->path[i] != '/')
                continue;
            k += (size_t)snprintf(p->ancs + k, sizeof p->ancs - k, "%s%.*s", k > 1 ? "," : "",
                                  (int)(i + 1), p->path);
        }
        p->ancs[k++] = '}';
        p->ancs[k] = '\0';
    }
    return true;
}

static void place_args(struct pg_args *a, const struct place *p)
{
    pg_arg_text(a, p->path);
    pg_arg_text(a, p->upper);
    pg_arg_text(a, p->ancs);
}

/* a filter's subtree as two arguments ("" = no filter) */
static void filter_args(struct pg_args *a, const char *fp, char *fu)
{
    if (*fp)
        scope_upper_bound(fp, fu, GG_PATH_SZ);
    else
        fu[0] = '\0';
    pg_arg_text(a, fp);
    pg_arg_text(a, fu);
}

#define FILTER_PATH(a, b) " AND ($" a "::text = '' OR (org_path >= $" a " AND org_path < $" b "))"

static int get_one(struct store_pg *q, const char *sql, const struct pg_args *a,
                   void (*read)(const PGresult *, int, void *, void *), void *out,
                   const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        read(r, 0, out, NULL);
    PQclear(r);
    return rc;
}

/* ---- topics ---- */

#define TOPIC_COLS                                                                                 \
    "id, version, org_id, org_path, district_id, status, title, body, proposer_id, threshold,"    \
    " supports, n_attendees, votes_for, votes_against, votes_abstain, ratings, rating_sum,"       \
    " meeting_place, meeting_at, published_at, created_at, updated_at"

static void read_topic(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct topic *t = out;
    memset(t, 0, sizeof *t);
    t->id = pg_int(r, row, 0);
    t->version = pg_int(r, row, 1);
    t->org_id = pg_int(r, row, 2);
    pg_text(r, row, 3, t->org_path, sizeof t->org_path);
    t->district_id = pg_int(r, row, 4);
    t->status = (enum topic_status)pg_int(r, row, 5);
    pg_text(r, row, 6, t->title, sizeof t->title);
    pg_text(r, row, 7, t->body, sizeof t->body);
    t->proposer_id = pg_int(r, row, 8);
    t->threshold = pg_int(r, row, 9);
    t->supports = pg_int(r, row, 10);
    t->n_attendees = pg_int(r, row, 11);
    t->votes_for = pg_int(r, row, 12);
    t->votes_against = pg_int(r, row, 13);
    t->votes_abstain = pg_int(r, row, 14);
    t->ratings = pg_int(r, row, 15);
    t->rating_sum = pg_int(r, row, 16);
    pg_text(r, row, 17, t->meeting_place, sizeof t->meeting_place);
    t->meeting_at = pg_int(r, row, 18);
    t->published_at = pg_int(r, row, 19);
    t->created_at = pg_int(r, row, 20);
    t->updated_at = pg_int(r, row, 21);
}

/* $1 status … $15 published_at, $16 updated_at (what an update writes) */
static void topic_args(struct pg_args *a, const struct topic *t)
{
    pg_arg_int(a, t->status);
    pg_arg_text(a, t->title);
    pg_arg_text(a, t->body);
    pg_arg_int(a, t->threshold);
    pg_arg_int(a, t->supports);
    pg_arg_int(a, t->n_attendees);
    pg_arg_int(a, t->votes_for);
    pg_arg_int(a, t->votes_against);
    pg_arg_int(a, t->votes_abstain);
    pg_arg_int(a, t->ratings);
    pg_arg_int(a, t->rating_sum);
    pg_arg_text(a, t->meeting_place);
    pg_arg_int(a, t->meeting_at);
    pg_arg_int(a, t->published_at);
    pg_arg_int(a, t->updated_at);
}

int pg_topics_insert(struct store *s, struct topic *t)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    topic_args(&a, t);
    pg_arg_int(&a, t->org_id);
    pg_arg_text(&a, t->org_path);
    pg_arg_int(&a, t->district_id);
    pg_arg_int(&a, t->proposer_id);
    pg_arg_int(&a, t->created_at);
    int rc = pg_db_query(
        pg_of(s),
        "INSERT INTO topics (version, status, title, body, threshold, supports, n_attendees,"
        " votes_for, votes_against, votes_abstain, ratings, rating_sum, meeting_place,"
        " meeting_at, published_at, updated_at, org_id, org_path, district_id, proposer_id,"
        " created_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
        " $15, $16, $17, $18, $19, $20) RETURNING id",
        &a, &r, "topic_insert");
    if (rc)
        return rc;
    t->id = pg_int(r, 0, 0);
    t->version = 1;
    PQclear(r);
    return 0;
}

int pg_topics_update(struct store *s, const struct topic *t)
{
    struct pg_args a;
    pg_args_init(&a);
    topic_args(&a, t);
    pg_arg_int(&a, t->id);      /* $16 */
    pg_arg_int(&a, t->version); /* $17 */
    int64_t changed = 0;
    int rc = pg_db_run(
        pg_of(s),
        "UPDATE topics SET version = $17, status = $1, title = $2, body = $3, threshold = $4,"
        " supports = $5, n_attendees = $6, votes_for = $7, votes_against = $8,"
        " votes_abstain = $9, ratings = $10, rating_sum = $11, meeting_place = $12,"
        " meeting_at = $13, published_at = $14, updated_at = $15"
        " WHERE id = $16 AND version = $17 - 1",
        &a, &changed, "topic_update");
    if (rc)
        return rc;
    return changed == 1 ? 0 : -GG_ECONFLICT;
}

int pg_topics_get(struct store *s, int64_t id, const struct store_scope *scope,
                  struct topic *out)
{
    struct place pl;
    if (!place_of(scope, &pl))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    place_args(&a, &pl);
    return get_one(pg_of(s), "SELECT " TOPIC_COLS " FROM topics WHERE id = $1" PLACE("2", "3", "4"),
                   &a, read_topic, out, "topic_get");
}

int pg_topics_list(struct store *s, const struct topic_filter *f, const struct store_scope *scope,
                   struct topic **items, size_t *n)
{
    *items = NULL;
    *n = 0;
    struct place pl;
    if (!place_of(scope, &pl))
        return 0;
    struct pg_args a;
    char fu[GG_PATH_SZ];
    pg_args_init(&a);
    pg_arg_int(&a, f->before_id);
    place_args(&a, &pl);
    filter_args(&a, f->org_path, fu);
    pg_arg_int(&a, f->status);
    pg_arg_int(&a, f->board);
    pg_arg_int(&a, f->proposer_id);
    pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " TOPIC_COLS " FROM topics WHERE ($1::bigint = 0 OR id < $1)"
                         PLACE("2", "3", "4") FILTER_PATH("5", "6")
                         " AND ($7::int < 0 OR status = $7) AND ($8::int = 0 OR published_at > 0)"
                         " AND ($9::bigint = 0 OR proposer_id = $9)"
                         " ORDER BY id DESC LIMIT $10",
                         &a, sizeof **items, read_topic, NULL, (void **)items, n, "topic_list");
}

/* The per-user rows carry their topic's district_id, read in the statement: an unknown topic
 * is -GG_ENOTFOUND, a second row of the same (topic, user) -GG_ECONFLICT. */
int pg_topics_support_add(struct store *s, int64_t topic_id, int64_t user_id, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, at);
    return pg_db_insert_checked(pg_of(s),
                                "WITH t AS (SELECT district_id FROM topics WHERE id = $1),"
                                " ins AS (INSERT INTO topic_supports (topic_id, user_id,"
                                " district_id, at) SELECT $1, $2, district_id, $3 FROM t"
                                " ON CONFLICT DO NOTHING RETURNING 1)"
                                " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM ins)",
                                &a, true, "topic_support_add");
}

int pg_topics_vote_add(struct store *s, int64_t topic_id, int64_t user_id,
                       enum vote_choice choice, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, (int)choice);
    pg_arg_int(&a, at);
    return pg_db_insert_checked(pg_of(s),
                                "WITH t AS (SELECT district_id FROM topics WHERE id = $1),"
                                " ins AS (INSERT INTO topic_votes (topic_id, user_id,"
                                " district_id, choice, at) SELECT $1, $2, district_id, $3, $4"
                                " FROM t ON CONFLICT DO NOTHING RETURNING 1)"
                                " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM ins)",
                                &a, true, "topic_vote_add");
}

int pg_topics_rating_add(struct store *s, int64_t topic_id, int64_t user_id, int stars,
                         const char *comment, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, stars);
    pg_arg_text(&a, comment ? comment : "");
    pg_arg_int(&a, at);
    return pg_db_insert_checked(pg_of(s),
                                "WITH t AS (SELECT district_id FROM topics WHERE id = $1),"
                                " ins AS (INSERT INTO topic_ratings (topic_id, user_id,"
                                " district_id, stars, comment, at)"
                                " SELECT $1, $2, district_id, $3, $4, $5"
                                " FROM t ON CONFLICT DO NOTHING RETURNING 1)"
                                " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM ins)",
                                &a, true, "topic_rating_add");
}

int pg_topics_meeting_set(struct store *s, int64_t topic_id, const char *minutes,
                          const int64_t *attendees, size_t n)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    pg_arg_text(&a, minutes ? minutes : "");
    int64_t changed = 0;
    int rc = pg_db_run(q, "UPDATE topics SET minutes = $2 WHERE id = $1", &a, &changed,
                       "topic_meeting_set");
    if (rc)
        return rc;
    if (changed != 1)
        return -GG_ENOTFOUND;
    for (size_t i = 0; i < n && !rc; i++) {
        pg_args_init(&a);
        pg_arg_int(&a, topic_id);
        pg_arg_int(&a, attendees[i]);
        rc = pg_db_insert_checked(q,
                                  "WITH t AS (SELECT district_id FROM topics WHERE id = $1),"
                                  " ins AS (INSERT INTO topic_attendees (topic_id, user_id,"
                                  " district_id) SELECT $1, $2, district_id FROM t"
                                  " ON CONFLICT DO NOTHING RETURNING 1)"
                                  " SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM ins)",
                                  &a, true, "topic_attendee_add");
    }
    return rc;
}

int pg_topics_attendees(struct store *s, int64_t topic_id, int64_t **ids, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    return pg_ids_collect(pg_of(s),
                          "SELECT user_id FROM topic_attendees WHERE topic_id = $1"
                          " ORDER BY user_id",
                          &a, ids, n, "topic_attendees");
}

int pg_topics_minutes(struct store *s, int64_t topic_id, char **minutes)
{
    struct pg_args a;
    PGresult *r = NULL;
    *minutes = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    int rc = pg_db_query(pg_of(s), "SELECT minutes FROM topics WHERE id = $1", &a, &r,
                         "topic_minutes");
    if (rc)
        return rc;
    if (PQntuples(r) == 0) {
        rc = -GG_ENOTFOUND;
    } else if (!PQgetisnull(r, 0, 0)) {
        *minutes = strdup(PQgetvalue(r, 0, 0));
        if (!*minutes)
            rc = -GG_ENOMEM;
    }
    PQclear(r);
    return rc;
}

static void read_mine(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct topic_mine *m = out;
    m->supported = pg_bool(r, row, 0);
    m->vote = PQgetisnull(r, row, 1) ? -1 : (int)pg_int(r, row, 1);
    m->rating = PQgetisnull(r, row, 2) ? 0 : (int)pg_int(r, row, 2);
    m->attendee = pg_bool(r, row, 3);
}

int pg_topics_mine(struct store *s, int64_t topic_id, int64_t user_id, struct topic_mine *out)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    pg_arg_int(&a, user_id);
    return get_one(
        pg_of(s),
        "SELECT EXISTS (SELECT 1 FROM topic_supports WHERE topic_id = $1 AND user_id = $2),"
        " (SELECT choice FROM topic_votes WHERE topic_id = $1 AND user_id = $2),"
        " (SELECT stars FROM topic_ratings WHERE topic_id = $1 AND user_id = $2),"
        " EXISTS (SELECT 1 FROM topic_attendees WHERE topic_id = $1 AND user_id = $2)",
        &a, read_mine, out, "topic_mine");
}

int pg_topics_note_insert(struct store *s, struct topic_note *nt)
{
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, nt->topic_id);
    pg_arg_int(&a, nt->at);
    pg_arg_int(&a, nt->actor_id);
    pg_arg_int(&a, (int)nt->action);
    pg_arg_int(&a, (int)nt->from_status);
    pg_arg_int(&a, (int)nt->to_status);
    pg_arg_text(&a, nt->note);
    int rc = pg_db_query(pg_of(s),
                         "INSERT INTO topic_notes (topic_id, district_id, at, actor_id, action,"
                         " from_status, to_status, note) SELECT id, district_id, $2, $3, $4, $5,"
                         " $6, $7 FROM topics WHERE id = $1 RETURNING id",
                         &a, &r, "topic_note_insert");
    if (rc)
        return rc;
    if (PQntuples(r) == 0)
        rc = -GG_ENOTFOUND;
    else
        nt->id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

static void read_note(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct topic_note *nt = out;
    memset(nt, 0, sizeof *nt);
    nt->id = pg_int(r, row, 0);
    nt->topic_id = pg_int(r, row, 1);
    nt->at = pg_int(r, row, 2);
    nt->actor_id = pg_int(r, row, 3);
    nt->action = (enum topic_action)pg_int(r, row, 4);
    nt->from_status = (enum topic_status)pg_int(r, row, 5);
    nt->to_status = (enum topic_status)pg_int(r, row, 6);
    pg_text(r, row, 7, nt->note, sizeof nt->note);
}

int pg_topics_notes(struct store *s, int64_t topic_id, struct topic_note **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, topic_id);
    return pg_db_collect(pg_of(s),
                         "SELECT id, topic_id, at, actor_id, action, from_status, to_status,"
                         " note FROM topic_notes WHERE topic_id = $1 ORDER BY id",
                         &a, sizeof **items, read_note, NULL, (void **)items, n, "topic_notes");
}

/* ---- disclosures ---- */

#define DISC_COLS                                                                                  \
    "id, org_id, org_path, district_id, kind, title, body, period, total_fen, n_items,"           \
    " author_id, published_at"

static void read_disclosure(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct disclosure *d = out;
    memset(d, 0, sizeof *d);
    d->id = pg_int(r, row, 0);
    d->org_id = pg_int(r, row, 1);
    pg_text(r, row, 2, d->org_path, sizeof d->org_path);
    d->district_id = pg_int(r, row, 3);
    d->kind = (enum disclosure_kind)pg_int(r, row, 4);
    pg_text(r, row, 5, d->title, sizeof d->title);
    pg_text(r, row, 6, d->body, sizeof d->body);
    pg_text(r, row, 7, d->period, sizeof d->period);
    d->total_fen = pg_int(r, row, 8);
    d->n_items = (int)pg_int(r, row, 9);
    d->author_id = pg_int(r, row, 10);
    d->published_at = pg_int(r, row, 11);
}

int pg_topics_disclosure_insert(struct store *s, struct disclosure *d,
                                const struct disclosure_item *items, size_t n)
{
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    PGresult *r = NULL;
    pg_args_init(&a);
    pg_arg_int(&a, d->org_id);
    pg_arg_text(&a, d->org_path);
    pg_arg_int(&a, d->district_id);
    pg_arg_int(&a, d->kind);
    pg_arg_text(&a, d->title);
    pg_arg_text(&a, d->body);
    pg_arg_text(&a, d->period);
    pg_arg_int(&a, d->total_fen);
    pg_arg_int(&a, (int64_t)n);
    pg_arg_int(&a, d->author_id);
    pg_arg_int(&a, d->published_at);
    int rc = pg_db_query(q,
                         "INSERT INTO disclosures (org_id, org_path, district_id, kind, title,"
                         " body, period, total_fen, n_items, author_id, published_at)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                         &a, &r, "disclosure_insert");
    if (rc)
        return rc;
    d->id = pg_int(r, 0, 0);
    d->n_items = (int)n;
    PQclear(r);
    for (size_t i = 0; i < n && !rc; i++) {
        pg_args_init(&a);
        pg_arg_int(&a, d->id);
        pg_arg_int(&a, (int64_t)i + 1);
        pg_arg_int(&a, d->district_id);
        pg_arg_text(&a, items[i].label);
        pg_arg_int(&a, items[i].amount_fen);
        rc = pg_db_run(q,
                       "INSERT INTO disclosure_items (disclosure_id, seq, district_id, label,"
                       " amount_fen) VALUES ($1, $2, $3, $4, $5)",
                       &a, NULL, "disclosure_item_insert");
    }
    return rc;
}

int pg_topics_disclosure_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct disclosure *out)
{
    struct place pl;
    if (!place_of(scope, &pl))
        return -GG_ENOTFOUND;
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    place_args(&a, &pl);
    return get_one(pg_of(s),
                   "SELECT " DISC_COLS " FROM disclosures WHERE id = $1" PLACE("2", "3", "4"), &a,
                   read_disclosure, out, "disclosure_get");
}

static void read_item(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct disclosure_item *it = out;
    memset(it, 0, sizeof *it);
    pg_text(r, row, 0, it->label, sizeof it->label);
    it->amount_fen = pg_int(r, row, 1);
}

int pg_topics_disclosure_items(struct store *s, int64_t id, struct disclosure_item **items,
                               size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    return pg_db_collect(pg_of(s),
                         "SELECT label, amount_fen FROM disclosure_items"
                         " WHERE disclosure_id = $1 ORDER BY seq",
                         &a, sizeof **items, read_item, NULL, (void **)items, n,
                         "disclosure_items");
}

int pg_topics_disclosure_list(struct store *s, const struct disclosure_filter *f,
                              const struct store_scope *scope, struct disclosure **items,
                              size_t *n)
{
    *items = NULL;
    *n = 0;
    struct place pl;
    if (!place_of(scope, &pl))
        return 0;
    struct pg_args a;
    char fu[GG_PATH_SZ];
    pg_args_init(&a);
    pg_arg_int(&a, f->before_id);
    place_args(&a, &pl);
    filter_args(&a, f->org_path, fu);
    pg_arg_int(&a, f->kind);
    pg_arg_text(&a, f->period);
    pg_arg_int(&a, pg_db_limit(f->limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT " DISC_COLS " FROM disclosures WHERE ($1::bigint = 0 OR id < $1)"
                         PLACE("2", "3", "4") FILTER_PATH("5", "6")
                         " AND ($7::int < 0 OR kind = $7) AND ($8::text = '' OR period = $8)"
                         " ORDER BY id DESC LIMIT $9",
                         &a, sizeof **items, read_disclosure, NULL, (void **)items, n,
                         "disclosure_list");
}
