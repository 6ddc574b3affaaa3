/* sqlite_topics.c - issue 6: deliberation topics (议事协商) and disclosures (公开栏) on SQLite.
 *
 * Reads apply the "place rule" of store.h in SQL: a row is visible when its org_path lies in
 * the caller's subtree (an index range), or, for members and residents, when it is one of the
 * places that contain them (org_path among the prefixes of the scope's path, given as a JSON
 * array to json_each). One support, vote and rating per (topic, user) is the primary key of
 * their tables: a duplicate insert is a unique violation, translated to -GG_ECONFLICT.
 *
 * Not here: who may act, the state machine, validation (app/topics.c, core/topic.c). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite3_bind_int64(st, i, v);
}

static void bind_text(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i)
        sqlite_db_bind_text(st, i, v);
}

/* ---- the place rule ---- */

#define PLACE_SQL                                                                                  \
    " AND ((org_path >= :sp AND org_path < :su)"                                                  \
    " OR (:anc = 1 AND org_path IN (SELECT value FROM json_each(:ancs))))"

/* What a bound place rule keeps alive until the statement is done. */
struct place {
    char path[GG_PATH_SZ];
    char upper[GG_PATH_SZ];
    char ancs[GG_PATH_SZ * 8]; /* JSON array of the scope path's prefixes */
    bool anc;
};

/* false when the scope sees nothing of this kind (handler) */
static bool place_of(const struct store_scope *scope, struct place *p)
{
    memset(p, 0, sizeof *p);
    memcpy(p->ancs, "[]", 3);
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
        /* "/1/5/23/" -> ["/1/","/1/5/","/1/5/23/"]: paths are digits and slashes only */
        size_t len = strlen(p->path), k = 0;
        p->ancs[k++] = '[';
        for (size_t i = 1; i < len && k + len + 4 < sizeof p->ancs; i++) {
            if (p->path[i] != '/')
                continue;
            k += (size_t)snprintf(p->ancs + k, sizeof p->ancs - k, "%s\"%.*s\"", k > 1 ? "," : "",
                                  (int)(i + 1), p->path);
        }
        p->ancs[k++] = ']';
        p->ancs[k] = '\0';
        p->anc = true;
    }
    return true;
}

static void bind_place(sqlite3_stmt *st, const struct place *p)
{
    bind_text(st, ":sp", p->path);
    bind_text(st, ":su", p->upper);
    bind_int(st, ":anc", p->anc);
    bind_text(st, ":ancs", p->ancs);
}

/* The narrower of the place's subtree and a filter's subtree, for lists: rows must satisfy
 * both, so a filter path is simply an extra range. */
#define FILTER_PATH_SQL " AND (:fp = '' OR (org_path >= :fp AND org_path < :fu))"

static void bind_filter_path(sqlite3_stmt *st, const char *fp, char *fu)
{
    if (*fp)
        scope_upper_bound(fp, fu, GG_PATH_SZ);
    else
        fu[0] = '\0';
    bind_text(st, ":fp", fp);
    bind_text(st, ":fu", fu);
}

static int step_one(struct store_sqlite *q, sqlite3_stmt *st,
                    void (*read)(sqlite3_stmt *, void *, void *), void *out, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read(st, out, NULL);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, what);
    }
    sqlite_db_done(st);
    return rc;
}

/* ---- topics ---- */

#define TOPIC_COLS                                                                                 \
    "id, version, org_id, org_path, district_id, status, title, body, proposer_id, threshold,"    \
    " supports, n_attendees, votes_for, votes_against, votes_abstain, ratings, rating_sum,"       \
    " meeting_place, meeting_at, published_at, created_at, updated_at"

static void read_topic(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct topic *t = row;
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    t->version = sqlite3_column_int64(st, 1);
    t->org_id = sqlite3_column_int64(st, 2);
    sqlite_db_col_text(st, 3, t->org_path, sizeof t->org_path);
    t->district_id = sqlite3_column_int64(st, 4);
    t->status = (enum topic_status)sqlite3_column_int(st, 5);
    sqlite_db_col_text(st, 6, t->title, sizeof t->title);
    sqlite_db_col_text(st, 7, t->body, sizeof t->body);
    t->proposer_id = sqlite3_column_int64(st, 8);
    t->threshold = sqlite3_column_int64(st, 9);
    t->supports = sqlite3_column_int64(st, 10);
    t->n_attendees = sqlite3_column_int64(st, 11);
    t->votes_for = sqlite3_column_int64(st, 12);
    t->votes_against = sqlite3_column_int64(st, 13);
    t->votes_abstain = sqlite3_column_int64(st, 14);
    t->ratings = sqlite3_column_int64(st, 15);
    t->rating_sum = sqlite3_column_int64(st, 16);
    sqlite_db_col_text(st, 17, t->meeting_place, sizeof t->meeting_place);
    t->meeting_at = sqlite3_column_int64(st, 18);
    t->published_at = sqlite3_column_int64(st, 19);
    t->created_at = sqlite3_column_int64(st, 20);
    t->updated_at = sqlite3_column_int64(st, 21);
}

static void bind_topic(sqlite3_stmt *st, const struct topic *t)
{
    bind_int(st, ":id", t->id);
    bind_int(st, ":version", t->version);
    bind_int(st, ":org_id", t->org_id);
    bind_text(st, ":org_path", t->org_path);
    bind_int(st, ":district_id", t->district_id);
    bind_int(st, ":status", t->status);
    bind_text(st, ":title", t->title);
    bind_text(st, ":body", t->body);
    bind_int(st, ":proposer_id", t->proposer_id);
    bind_int(st, ":threshold", t->threshold);
    bind_int(st, ":supports", t->supports);
    bind_int(st, ":n_attendees", t->n_attendees);
    bind_int(st, ":votes_for", t->votes_for);
    bind_int(st, ":votes_against", t->votes_against);
    bind_int(st, ":votes_abstain", t->votes_abstain);
    bind_int(st, ":ratings", t->ratings);
    bind_int(st, ":rating_sum", t->rating_sum);
    bind_text(st, ":meeting_place", t->meeting_place);
    bind_int(st, ":meeting_at", t->meeting_at);
    bind_int(st, ":published_at", t->published_at);
    bind_int(st, ":created_at", t->created_at);
    bind_int(st, ":updated_at", t->updated_at);
}

int sqlite_topics_insert(struct store *s, struct topic *t)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_TOPIC_INSERT,
        "INSERT INTO topics (version, org_id, org_path, district_id, status, title, body,"
        " proposer_id, threshold, supports, n_attendees, votes_for, votes_against, votes_abstain,"
        " ratings, rating_sum, meeting_place, meeting_at, published_at, created_at, updated_at)"
        " VALUES (1, :org_id, :org_path, :district_id, :status, :title, :body, :proposer_id,"
        " :threshold, :supports, :n_attendees, :votes_for, :votes_against, :votes_abstain,"
        " :ratings, :rating_sum, :meeting_place, :meeting_at, :published_at, :created_at,"
        " :updated_at)",
        &st);
    if (rc)
        return rc;
    bind_topic(st, t);
    rc = sqlite_db_run(q, st, "topic_insert");
    if (rc)
        return rc;
    t->id = sqlite3_last_insert_rowid(q->db);
    t->version = 1;
    return 0;
}

int sqlite_topics_update(struct store *s, const struct topic *t)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_TOPIC_UPDATE,
        "UPDATE topics SET version = :version, status = :status, title = :title, body = :body,"
        " threshold = :threshold, supports = :supports, n_attendees = :n_attendees,"
        " votes_for = :votes_for, votes_against = :votes_against,"
        " votes_abstain = :votes_abstain, ratings = :ratings, rating_sum = :rating_sum,"
        " meeting_place = :meeting_place, meeting_at = :meeting_at,"
        " published_at = :published_at, updated_at = :updated_at"
        " WHERE id = :id AND version = :version - 1",
        &st);
    if (rc)
        return rc;
    bind_topic(st, t);
    rc = sqlite_db_run(q, st, "topic_update");
    if (rc)
        return rc;
    return sqlite3_changes(q->db) == 1 ? 0 : -GG_ECONFLICT;
}

int sqlite_topics_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct topic *out)
{
    struct store_sqlite *q = sq_of(s);
    struct place pl;
    if (!place_of(scope, &pl))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOPIC_GET,
                            "SELECT " TOPIC_COLS " FROM topics WHERE id = :id" PLACE_SQL, &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    bind_place(st, &pl);
    return step_one(q, st, read_topic, out, "topic_get");
}

int sqlite_topics_list(struct store *s, const struct topic_filter *f,
                       const struct store_scope *scope, struct topic **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct place pl;
    if (!place_of(scope, &pl))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_TOPIC_LIST,
        "SELECT " TOPIC_COLS " FROM topics WHERE (:before = 0 OR id < :before)" PLACE_SQL
            FILTER_PATH_SQL " AND (:status < 0 OR status = :status)"
            " AND (:board = 0 OR published_at > 0)"
            " AND (:proposer = 0 OR proposer_id = :proposer)"
            " ORDER BY id DESC LIMIT :limit",
        &st);
    if (rc)
        return rc;
    char fu[GG_PATH_SZ];
    bind_place(st, &pl);
    bind_filter_path(st, f->org_path, fu);
    bind_int(st, ":before", f->before_id);
    bind_int(st, ":status", f->status);
    bind_int(st, ":board", f->board);
    bind_int(st, ":proposer", f->proposer_id);
    bind_int(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_topic, NULL, (void **)items, n,
                             "topic_list");
}

static int add_row(struct store *s, enum sq_stmt id, const char *sql, int64_t topic_id,
                   int64_t user_id, int64_t v, const char *text, int64_t at, const char *what)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, id, sql, &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    bind_int(st, ":uid", user_id);
    bind_int(st, ":v", v);
    bind_text(st, ":text", text ? text : "");
    bind_int(st, ":at", at);
    return sqlite_db_run(q, st, what);
}

#define DISTRICT_OF_TOPIC "(SELECT district_id FROM topics WHERE id = :tid)"

int sqlite_topics_support_add(struct store *s, int64_t topic_id, int64_t user_id, int64_t at)
{
    return add_row(s, SQ_TOPIC_SUPPORT_ADD,
                   "INSERT INTO topic_supports (topic_id, user_id, district_id, at)"
                   " VALUES (:tid, :uid, " DISTRICT_OF_TOPIC ", :at)",
                   topic_id, user_id, 0, NULL, at, "topic_support_add");
}

int sqlite_topics_vote_add(struct store *s, int64_t topic_id, int64_t user_id,
                           enum vote_choice choice, int64_t at)
{
    return add_row(s, SQ_TOPIC_VOTE_ADD,
                   "INSERT INTO topic_votes (topic_id, user_id, district_id, choice, at)"
                   " VALUES (:tid, :uid, " DISTRICT_OF_TOPIC ", :v, :at)",
                   topic_id, user_id, choice, NULL, at, "topic_vote_add");
}

int sqlite_topics_rating_add(struct store *s, int64_t topic_id, int64_t user_id, int stars,
                             const char *comment, int64_t at)
{
    return add_row(s, SQ_TOPIC_RATING_ADD,
                   "INSERT INTO topic_ratings (topic_id, user_id, district_id, stars, comment, at)"
                   " VALUES (:tid, :uid, " DISTRICT_OF_TOPIC ", :v, :text, :at)",
                   topic_id, user_id, stars, comment, at, "topic_rating_add");
}

int sqlite_topics_meeting_set(struct store *s, int64_t topic_id, const char *minutes,
                              const int64_t *attendees, size_t n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOPIC_MEETING_SET,
                            "UPDATE topics SET minutes = :text WHERE id = :tid", &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    bind_text(st, ":text", minutes ? minutes : "");
    rc = sqlite_db_run(q, st, "topic_meeting_set");
    if (rc)
        return rc;
    if (sqlite3_changes(q->db) != 1)
        return -GG_ENOTFOUND;
    for (size_t i = 0; i < n && !rc; i++)
        rc = add_row(s, SQ_TOPIC_ATTENDEE_ADD,
                     "INSERT INTO topic_attendees (topic_id, user_id, district_id)"
                     " VALUES (:tid, :uid, " DISTRICT_OF_TOPIC ")",
                     topic_id, attendees[i], 0, NULL, 0, "topic_attendee_add");
    return rc;
}

static void read_id(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    *(int64_t *)row = sqlite3_column_int64(st, 0);
}

int sqlite_topics_attendees(struct store *s, int64_t topic_id, int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOPIC_ATTENDEES,
                            "SELECT user_id FROM topic_attendees WHERE topic_id = :tid"
                            " ORDER BY user_id",
                            &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    return sqlite_db_collect(q, st, sizeof **ids, read_id, NULL, (void **)ids, n,
                             "topic_attendees");
}

int sqlite_topics_minutes(struct store *s, int64_t topic_id, char **minutes)
{
    struct store_sqlite *q = sq_of(s);
    *minutes = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOPIC_MINUTES, "SELECT minutes FROM topics WHERE id = :tid",
                            &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *m = sqlite3_column_text(st, 0);
        rc = 0;
        if (m) {
            *minutes = strdup((const char *)m);
            if (!*minutes)
                rc = -GG_ENOMEM;
        }
    } else if (rc == SQLITE_DONE) {
        rc = -GG_ENOTFOUND;
    } else {
        rc = sqlite_db_error(q, rc, "topic_minutes");
    }
    sqlite_db_done(st);
    return rc;
}

static void read_mine(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct topic_mine *m = row;
    m->supported = sqlite3_column_int(st, 0) != 0;
    m->vote = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
    m->rating = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 2);
    m->attendee = sqlite3_column_int(st, 3) != 0;
}

int sqlite_topics_mine(struct store *s, int64_t topic_id, int64_t user_id,
                       struct topic_mine *out)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_TOPIC_MINE,
        "SELECT EXISTS (SELECT 1 FROM topic_supports WHERE topic_id = :tid AND user_id = :uid),"
        " (SELECT choice FROM topic_votes WHERE topic_id = :tid AND user_id = :uid),"
        " (SELECT stars FROM topic_ratings WHERE topic_id = :tid AND user_id = :uid),"
        " EXISTS (SELECT 1 FROM topic_attendees WHERE topic_id = :tid AND user_id = :uid)",
        &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    bind_int(st, ":uid", user_id);
    return step_one(q, st, read_mine, out, "topic_mine");
}

int sqlite_topics_note_insert(struct store *s, struct topic_note *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_TOPIC_NOTE_INSERT,
        "INSERT INTO topic_notes (topic_id, district_id, at, actor_id, action, from_status,"
        " to_status, note) VALUES (:tid, " DISTRICT_OF_TOPIC ", :at, :actor, :action, :from,"
        " :to, :note)",
        &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", n->topic_id);
    bind_int(st, ":at", n->at);
    bind_int(st, ":actor", n->actor_id);
    bind_int(st, ":action", n->action);
    bind_int(st, ":from", n->from_status);
    bind_int(st, ":to", n->to_status);
    bind_text(st, ":note", n->note);
    rc = sqlite_db_run(q, st, "topic_note_insert");
    if (!rc)
        n->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

static void read_note(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct topic_note *n = row;
    memset(n, 0, sizeof *n);
    n->id = sqlite3_column_int64(st, 0);
    n->topic_id = sqlite3_column_int64(st, 1);
    n->at = sqlite3_column_int64(st, 2);
    n->actor_id = sqlite3_column_int64(st, 3);
    n->action = (enum topic_action)sqlite3_column_int(st, 4);
    n->from_status = (enum topic_status)sqlite3_column_int(st, 5);
    n->to_status = (enum topic_status)sqlite3_column_int(st, 6);
    sqlite_db_col_text(st, 7, n->note, sizeof n->note);
}

int sqlite_topics_notes(struct store *s, int64_t topic_id, struct topic_note **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_TOPIC_NOTES,
                            "SELECT id, topic_id, at, actor_id, action, from_status, to_status,"
                            " note FROM topic_notes WHERE topic_id = :tid ORDER BY id",
                            &st);
    if (rc)
        return rc;
    bind_int(st, ":tid", topic_id);
    return sqlite_db_collect(q, st, sizeof **items, read_note, NULL, (void **)items, n,
                             "topic_notes");
}

/* ---- disclosures ---- */

#define DISC_COLS                                                                                  \
    "id, org_id, org_path, district_id, kind, title, body, period, total_fen, n_items,"           \
    " author_id, published_at"

static void read_disclosure(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct disclosure *d = row;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    d->org_id = sqlite3_column_int64(st, 1);
    sqlite_db_col_text(st, 2, d->org_path, sizeof d->org_path);
    d->district_id = sqlite3_column_int64(st, 3);
    d->kind = (enum disclosure_kind)sqlite3_column_int(st, 4);
    sqlite_db_col_text(st, 5, d->title, sizeof d->title);
    sqlite_db_col_text(st, 6, d->body, sizeof d->body);
    sqlite_db_col_text(st, 7, d->period, sizeof d->period);
    d->total_fen = sqlite3_column_int64(st, 8);
    d->n_items = sqlite3_column_int(st, 9);
    d->author_id = sqlite3_column_int64(st, 10);
    d->published_at = sqlite3_column_int64(st, 11);
}

int sqlite_topics_disclosure_insert(struct store *s, struct disclosure *d,
                                    const struct disclosure_item *items, size_t n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_DISC_INSERT,
        "INSERT INTO disclosures (org_id, org_path, district_id, kind, title, body, period,"
        " total_fen, n_items, author_id, published_at) VALUES (:org_id, :org_path, :district_id,"
        " :kind, :title, :body, :period, :total, :n_items, :author, :at)",
        &st);
    if (rc)
        return rc;
    bind_int(st, ":org_id", d->org_id);
    bind_text(st, ":org_path", d->org_path);
    bind_int(st, ":district_id", d->district_id);
    bind_int(st, ":kind", d->kind);
    bind_text(st, ":title", d->title);
    bind_text(st, ":body", d->body);
    bind_text(st, ":period", d->period);
    bind_int(st, ":total", d->total_fen);
    bind_int(st, ":n_items", (int64_t)n);
    bind_int(st, ":author", d->author_id);
    bind_int(st, ":at", d->published_at);
    rc = sqlite_db_run(q, st, "disclosure_insert");
    if (rc)
        return rc;
    d->id = sqlite3_last_insert_rowid(q->db);
    d->n_items = (int)n;
    for (size_t i = 0; i < n && !rc; i++) {
        rc = sqlite_db_stmt(q, SQ_DISC_ITEM_INSERT,
                            "INSERT INTO disclosure_items (disclosure_id, seq, district_id, label,"
                            " amount_fen) VALUES (:id, :seq, :district_id, :label, :amount)",
                            &st);
        if (rc)
            break;
        bind_int(st, ":id", d->id);
        bind_int(st, ":seq", (int64_t)i + 1);
        bind_int(st, ":district_id", d->district_id);
        bind_text(st, ":label", items[i].label);
        bind_int(st, ":amount", items[i].amount_fen);
        rc = sqlite_db_run(q, st, "disclosure_item_insert");
    }
    return rc;
}

int sqlite_topics_disclosure_get(struct store *s, int64_t id, const struct store_scope *scope,
                                 struct disclosure *out)
{
    struct store_sqlite *q = sq_of(s);
    struct place pl;
    if (!place_of(scope, &pl))
        return -GG_ENOTFOUND;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_DISC_GET,
                            "SELECT " DISC_COLS " FROM disclosures WHERE id = :id" PLACE_SQL, &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    bind_place(st, &pl);
    return step_one(q, st, read_disclosure, out, "disclosure_get");
}

static void read_item(sqlite3_stmt *st, void *row, void *ctx)
{
    (void)ctx;
    struct disclosure_item *it = row;
    memset(it, 0, sizeof *it);
    sqlite_db_col_text(st, 0, it->label, sizeof it->label);
    it->amount_fen = sqlite3_column_int64(st, 1);
}

int sqlite_topics_disclosure_items(struct store *s, int64_t id, struct disclosure_item **items,
                                   size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_DISC_ITEMS,
                            "SELECT label, amount_fen FROM disclosure_items"
                            " WHERE disclosure_id = :id ORDER BY seq",
                            &st);
    if (rc)
        return rc;
    bind_int(st, ":id", id);
    return sqlite_db_collect(q, st, sizeof **items, read_item, NULL, (void **)items, n,
                             "disclosure_items");
}

int sqlite_topics_disclosure_list(struct store *s, const struct disclosure_filter *f,
                                  const struct store_scope *scope, struct disclosure **items,
                                  size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    *items = NULL;
    *n = 0;
    struct place pl;
    if (!place_of(scope, &pl))
        return 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(
        q, SQ_DISC_LIST,
        "SELECT " DISC_COLS " FROM disclosures WHERE (:before = 0 OR id < :before)" PLACE_SQL
            FILTER_PATH_SQL " AND (:kind < 0 OR kind = :kind)"
            " AND (:period = '' OR period = :period) ORDER BY id DESC LIMIT :limit",
        &st);
    if (rc)
        return rc;
    char fu[GG_PATH_SZ];
    bind_place(st, &pl);
    bind_filter_path(st, f->org_path, fu);
    bind_int(st, ":before", f->before_id);
    bind_int(st, ":kind", f->kind);
    bind_text(st, ":period", f->period);
    bind_int(st, ":limit", sqlite_db_limit(f->limit, 50, 1000));
    return sqlite_db_collect(q, st, sizeof **items, read_disclosure, NULL, (void **)items, n,
                             "disclosure_list");
}
