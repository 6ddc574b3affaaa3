/* pg_notify.c - the live feed (one row per state change, its id is the SSE event id), users'
 * in-app messages, and the webhook outbox, in PostgreSQL. Feed ids grow in commit order across
 * servers because write transactions take the write lock (pg_db.c); every commit that adds
 * feed rows sends NOTIFY gridgov_feed, which wakes the live-feed hub of every server at once
 * (feed_wait) instead of its polling.
 * Not here: who gets which message (app/notify.c), HTTP delivery or signing. */
#include "store/pg/pg_internal.h"

#include "base/buf.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

static int insert_id(struct store_pg *q, const char *sql, const struct pg_args *a, int64_t *id,
                     const char *what)
{
    PGresult *r = NULL;
    int rc = pg_db_query(q, sql, a, &r, what);
    if (rc)
        return rc;
    *id = pg_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_notify_feed_insert(struct store *s, struct feed_entry *f)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, f->at);
    pg_arg_int(&a, f->event_id);
    pg_arg_int(&a, f->action);
    pg_arg_int(&a, f->from_status);
    pg_arg_int(&a, f->to_status);
    pg_arg_int(&a, f->actor_id);
    pg_arg_int(&a, f->reporter_id);
    pg_arg_int(&a, f->grid_id);
    pg_arg_int(&a, f->assignee_org_id);
    pg_arg_text(&a, f->org_path);
    pg_arg_text(&a, f->assignee_path);
    pg_arg_text(&a, f->category);
    /* the notification goes out at commit; the same (channel, payload) of one transaction
     * is sent once: one per group commit */
    static const char sql[] =
        "WITH ins AS (INSERT INTO feed(at, event_id, action, from_status,"
        " to_status, actor_id, reporter_id, grid_id, assignee_org_id, org_path,"
        " assignee_path, category)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id)"
        " SELECT id, pg_notify('gridgov_feed', '') FROM ins";
    struct store_pg *q = pg_of(s);
    if (q->in_tx) { /* pipelined: the id is the server's, in commit order (store.h) */
        f->id = 0;
        return pg_db_send(q, sql, &a, "feed_insert");
    }
    return insert_id(q, sql, &a, &f->id, "feed_insert");
}

/* true when a notification was waiting (all are consumed: one wake-up covers them all) */
static bool drain(PGconn *c)
{
    bool any = false;
    PGnotify *n;
    while ((n = PQnotifies(c))) {
        any = true;
        PQfreemem(n);
    }
    return any;
}

int pg_notify_feed_wait(struct store *s, int timeout_ms)
{
    struct store_pg *q = pg_of(s);
    int rc0 = pg_db_pipe_leave(q);
    if (rc0)
        return rc0;
    if (!q->listening) {
        int rc = pg_db_exec(q, "LISTEN gridgov_feed", "feed_listen");
        if (rc)
            return rc;
        q->listening = true;
    }
    if (!PQconsumeInput(q->conn))
        return -GG_EUNAVAILABLE;
    if (drain(q->conn))
        return 1;
    struct pollfd p = {.fd = PQsocket(q->conn), .events = POLLIN};
    if (p.fd < 0)
        return -GG_EUNAVAILABLE;
    int n = poll(&p, 1, timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : -GG_EIO;
    if (n == 0)
        return 0;
    /* readable: a notification, or the end of a connection that went away */
    if (!PQconsumeInput(q->conn))
        return -GG_EUNAVAILABLE;
    return drain(q->conn) ? 1 : 0;
}

static void feed_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct feed_entry *f = out;
    memset(f, 0, sizeof *f);
    f->id = pg_int(r, row, 0);
    f->at = pg_int(r, row, 1);
    f->event_id = pg_int(r, row, 2);
    f->action = (int)pg_int(r, row, 3);
    f->from_status = (int)pg_int(r, row, 4);
    f->to_status = (int)pg_int(r, row, 5);
    f->actor_id = pg_int(r, row, 6);
    f->reporter_id = pg_int(r, row, 7);
    f->grid_id = pg_int(r, row, 8);
    f->assignee_org_id = pg_int(r, row, 9);
    pg_text(r, row, 10, f->org_path, sizeof f->org_path);
    pg_text(r, row, 11, f->assignee_path, sizeof f->assignee_path);
    pg_text(r, row, 12, f->category, sizeof f->category);
}

int pg_notify_feed_newest(struct store *s, int64_t *id)
{
    PGresult *r = NULL;
    *id = 0;
    int rc = pg_db_query(pg_of(s), "SELECT coalesce(max(id), 0) FROM feed", NULL, &r,
                         "feed_newest");
    if (!rc)
        *id = pg_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_notify_feed_after(struct store *s, int64_t after_id, int limit, struct feed_entry **items,
                         size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, after_id);
    pg_arg_int(&a, pg_db_limit(limit, 100, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT id, at, event_id, action, from_status, to_status, actor_id,"
                         " reporter_id, grid_id, assignee_org_id, org_path, assignee_path,"
                         " category FROM feed WHERE id > $1 ORDER BY id LIMIT $2",
                         &a, sizeof **items, feed_row, NULL, (void **)items, n, "feed_after");
}

int pg_notify_message_insert(struct store *s, struct message *m)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, m->user_id);
    pg_arg_int(&a, m->at);
    pg_arg_text(&a, m->kind);
    pg_arg_int(&a, m->event_id);
    pg_arg_text(&a, m->title);
    pg_arg_text(&a, m->body);
    return insert_id(pg_of(s),
                     "INSERT INTO messages(user_id, at, kind, event_id, title, body)"
                     " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                     &a, &m->id, "message_insert");
}

static void message_row(const PGresult *r, int row, void *out, void *ctx)
{
    (void)ctx;
    struct message *m = out;
    memset(m, 0, sizeof *m);
    m->id = pg_int(r, row, 0);
    m->user_id = pg_int(r, row, 1);
    m->at = pg_int(r, row, 2);
    pg_text(r, row, 3, m->kind, sizeof m->kind);
    m->event_id = pg_int(r, row, 4);
    pg_text(r, row, 5, m->title, sizeof m->title);
    pg_text(r, row, 6, m->body, sizeof m->body);
    m->read_at = pg_int(r, row, 7);
}

int pg_notify_message_list(struct store *s, int64_t user_id, bool unread_only, int64_t before_id,
                           int limit, struct message **items, size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, unread_only ? 1 : 0);
    pg_arg_int(&a, before_id);
    pg_arg_int(&a, pg_db_limit(limit, 50, 1000));
    return pg_db_collect(pg_of(s),
                         "SELECT id, user_id, at, kind, event_id, title, body, read_at"
                         " FROM messages WHERE user_id = $1 AND ($2::int = 0 OR read_at = 0)"
                         " AND ($3::bigint = 0 OR id < $3) ORDER BY id DESC LIMIT $4",
                         &a, sizeof **items, message_row, NULL, (void **)items, n,
                         "message_list");
}

int pg_notify_message_read(struct store *s, int64_t user_id, int64_t id, int64_t at)
{
    struct pg_args a;
    int64_t changed = 0;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, user_id);
    pg_arg_int(&a, at);
    int rc = pg_db_run(pg_of(s),
                       "UPDATE messages SET read_at = CASE WHEN read_at = 0 THEN $3"
                       " ELSE read_at END WHERE id = $1 AND user_id = $2",
                       &a, &changed, "message_read");
    if (!rc && changed == 0)
        rc = -GG_ENOTFOUND;
    return rc;
}

int pg_notify_users_at(struct store *s, const char *scope_path, int roles_mask, int64_t **ids,
                       size_t *n)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_text(&a, scope_path);
    pg_arg_int(&a, roles_mask);
    return pg_ids_collect(pg_of(s),
                          "SELECT id FROM users WHERE scope_path = $1 AND disabled = 0"
                          " AND ((1 << role) & $2::int) <> 0 ORDER BY id LIMIT 200",
                          &a, ids, n, "users_at");
}

static void message_row(const PGresult *r, int row, void *out, void *ctx);

/* users_at's users and message_insert's row, in one statement */
int pg_notify_messages_at(struct store *s, const char *scope_path, int roles_mask,
                          const struct message *m, bool want_rows, struct message **rows,
                          size_t *n)
{
    static const char sql[] =
        "INSERT INTO messages(user_id, at, kind, event_id, title, body)"
        " SELECT id, $3, $4, $5, $6, $7 FROM users WHERE scope_path = $1 AND disabled = 0"
        " AND ((1 << role) & $2::int) <> 0 ORDER BY id LIMIT 200"
        " RETURNING id, user_id, at, kind, event_id, title, body, read_at";
    struct store_pg *q = pg_of(s);
    struct pg_args a;
    *rows = NULL;
    *n = 0;
    pg_args_init(&a);
    pg_arg_text(&a, scope_path);
    pg_arg_int(&a, roles_mask);
    pg_arg_int(&a, m->at);
    pg_arg_text(&a, m->kind);
    pg_arg_int(&a, m->event_id);
    pg_arg_text(&a, m->title);
    pg_arg_text(&a, m->body);
    if (!want_rows)
        return pg_db_send(q, sql, &a, "messages_at");
    int rc = pg_db_collect(q, sql, &a, sizeof **rows, message_row, NULL, (void **)rows, n,
                           "messages_at");
    for (size_t i = 1; !rc && i < *n; i++) /* ascending ids, as one insert per user gave */
        for (size_t j = i; j > 0 && (*rows)[j - 1].id > (*rows)[j].id; j--) {
            struct message t = (*rows)[j];
            (*rows)[j] = (*rows)[j - 1];
            (*rows)[j - 1] = t;
        }
    return rc;
}

int pg_notify_outbox_insert(struct store *s, const char *payload, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, at);
    pg_arg_text(&a, payload);
    return pg_db_run(pg_of(s),
                     "INSERT INTO outbox(created_at, payload, attempts, next_at)"
                     " VALUES ($1, $2, 0, $1)",
                     &a, NULL, "outbox_insert");
}

int pg_notify_outbox_due(struct store *s, int64_t now, int limit, struct outbox_item **items,
                         size_t *n)
{
    struct pg_args a;
    PGresult *r = NULL;
    *items = NULL;
    *n = 0;
    pg_args_init(&a);
    pg_arg_int(&a, now);
    pg_arg_int(&a, pg_db_limit(limit, 20, 200));
    int rc = pg_db_query(pg_of(s),
                         "SELECT id, created_at, attempts, next_at, payload FROM outbox"
                         " WHERE delivered_at = 0 AND next_at <= $1 ORDER BY id LIMIT $2",
                         &a, &r, "outbox_due");
    if (rc)
        return rc;
    int rows = PQntuples(r);
    struct outbox_item *arr = rows ? calloc((size_t)rows, sizeof *arr) : NULL;
    if (rows && !arr)
        rc = -GG_ENOMEM;
    for (int i = 0; !rc && i < rows; i++) {
        arr[i].id = pg_int(r, i, 0);
        arr[i].created_at = pg_int(r, i, 1);
        arr[i].attempts = (int)pg_int(r, i, 2);
        arr[i].next_at = pg_int(r, i, 3);
        arr[i].payload = strdup(PQgetvalue(r, i, 4));
        if (!arr[i].payload)
            rc = -GG_ENOMEM;
    }
    PQclear(r);
    if (rc) {
        store_outbox_items_free(arr, (size_t)rows);
        return rc;
    }
    *items = arr;
    *n = (size_t)rows;
    return 0;
}

int pg_notify_outbox_done(struct store *s, int64_t id, int64_t at)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, at);
    return pg_db_run(pg_of(s),
                     "UPDATE outbox SET delivered_at = $2, attempts = attempts + 1 WHERE id = $1",
                     &a, NULL, "outbox_done");
}

int pg_notify_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at,
                           const char *last_error)
{
    struct pg_args a;
    pg_args_init(&a);
    pg_arg_int(&a, id);
    pg_arg_int(&a, attempts);
    pg_arg_int(&a, next_at);
    pg_arg_text(&a, last_error);
    return pg_db_run(pg_of(s),
                     "UPDATE outbox SET attempts = $2, next_at = $3, last_error = $4 WHERE id = $1",
                     &a, NULL, "outbox_retry");
}
