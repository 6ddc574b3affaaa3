/* sqlite_notify.c - the live feed (one row per state change, its id is the SSE event id), users'
 * in-app messages, and the webhook outbox (durable: an item stays until it is delivered or
 * given up, so a restart loses nothing).
 *
 * Not here: who gets which message (app/notify.c), HTTP delivery or signing. */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

void store_outbox_items_free(struct outbox_item *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++)
        free(items[i].payload);
    free(items);
}

int sqlite_notify_feed_insert(struct store *s, struct feed_entry *f)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_FEED_INSERT,
                            "INSERT INTO feed(at, event_id, action, from_status, to_status,"
                            " actor_id, reporter_id, grid_id, assignee_org_id, org_path,"
                            " assignee_path, category)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, f->at);
    sqlite3_bind_int64(st, 2, f->event_id);
    sqlite3_bind_int(st, 3, f->action);
    sqlite3_bind_int(st, 4, f->from_status);
    sqlite3_bind_int(st, 5, f->to_status);
    sqlite3_bind_int64(st, 6, f->actor_id);
    sqlite3_bind_int64(st, 7, f->reporter_id);
    sqlite3_bind_int64(st, 8, f->grid_id);
    sqlite3_bind_int64(st, 9, f->assignee_org_id);
    sqlite_db_bind_text(st, 10, f->org_path);
    sqlite_db_bind_text(st, 11, f->assignee_path);
    sqlite_db_bind_text(st, 12, f->category);
    rc = sqlite_db_run(q, st, "feed_insert");
    if (!rc)
        f->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

int sqlite_notify_feed_newest(struct store *s, int64_t *id)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *id = 0;
    int rc = sqlite_db_stmt(q, SQ_FEED_NEWEST, "SELECT coalesce(max(id), 0) FROM feed", &st);
    return rc ? rc : sqlite_db_int64(q, st, id, "feed_newest");
}

int sqlite_notify_feed_after(struct store *s, int64_t after_id, int limit,
                             struct feed_entry **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_FEED_AFTER,
                            "SELECT id, at, event_id, action, from_status, to_status, actor_id,"
                            " reporter_id, grid_id, assignee_org_id, org_path, assignee_path,"
                            " category FROM feed WHERE id > ?1 ORDER BY id LIMIT ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 100, 1000));
    size_t cap = 0;
    struct feed_entry *arr = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite_db_grow((void **)&arr, &cap, *n, sizeof *arr)) {
            rc = SQLITE_NOMEM;
            break;
        }
        struct feed_entry *f = &arr[(*n)++];
        memset(f, 0, sizeof *f);
        f->id = sqlite3_column_int64(st, 0);
        f->at = sqlite3_column_int64(st, 1);
        f->event_id = sqlite3_column_int64(st, 2);
        f->action = sqlite3_column_int(st, 3);
        f->from_status = sqlite3_column_int(st, 4);
        f->to_status = sqlite3_column_int(st, 5);
        f->actor_id = sqlite3_column_int64(st, 6);
        f->reporter_id = sqlite3_column_int64(st, 7);
        f->grid_id = sqlite3_column_int64(st, 8);
        f->assignee_org_id = sqlite3_column_int64(st, 9);
        sqlite_db_col_text(st, 10, f->org_path, sizeof f->org_path);
        sqlite_db_col_text(st, 11, f->assignee_path, sizeof f->assignee_path);
        sqlite_db_col_text(st, 12, f->category, sizeof f->category);
    }
    if (rc == SQLITE_NOMEM) {
        rc = -GG_ENOMEM;
    } else {
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "feed_after");
    }
    sqlite_db_done(st);
    if (rc) {
        free(arr);
        *n = 0;
        return rc;
    }
    *items = arr;
    return 0;
}

int sqlite_notify_message_insert(struct store *s, struct message *m)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MSG_INSERT,
                            "INSERT INTO messages(user_id, at, kind, event_id, title, body)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, m->user_id);
    sqlite3_bind_int64(st, 2, m->at);
    sqlite_db_bind_text(st, 3, m->kind);
    sqlite3_bind_int64(st, 4, m->event_id);
    sqlite_db_bind_text(st, 5, m->title);
    sqlite_db_bind_text(st, 6, m->body);
    rc = sqlite_db_run(q, st, "message_insert");
    if (!rc)
        m->id = sqlite3_last_insert_rowid(q->db);
    return rc;
}

int sqlite_notify_message_list(struct store *s, int64_t user_id, bool unread_only,
                               int64_t before_id, int limit, struct message **items, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_MSG_LIST,
                            "SELECT id, user_id, at, kind, event_id, title, body, read_at"
                            " FROM messages WHERE user_id = ?1 AND (?2 = 0 OR read_at = 0)"
                            " AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int(st, 2, unread_only ? 1 : 0);
    sqlite3_bind_int64(st, 3, before_id);
    sqlite3_bind_int(st, 4, sqlite_db_limit(limit, 50, 1000));
    size_t cap = 0;
    struct message *arr = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite_db_grow((void **)&arr, &cap, *n, sizeof *arr)) {
            rc = SQLITE_NOMEM;
            break;
        }
        struct message *m = &arr[(*n)++];
        memset(m, 0, sizeof *m);
        m->id = sqlite3_column_int64(st, 0);
        m->user_id = sqlite3_column_int64(st, 1);
        m->at = sqlite3_column_int64(st, 2);
        sqlite_db_col_text(st, 3, m->kind, sizeof m->kind);
        m->event_id = sqlite3_column_int64(st, 4);
        sqlite_db_col_text(st, 5, m->title, sizeof m->title);
        sqlite_db_col_text(st, 6, m->body, sizeof m->body);
        m->read_at = sqlite3_column_int64(st, 7);
    }
    if (rc == SQLITE_NOMEM)
        rc = -GG_ENOMEM;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "message_list");
    sqlite_db_done(st);
    if (rc) {
        free(arr);
        *n = 0;
        return rc;
    }
    *items = arr;
    return 0;
}

int sqlite_notify_message_read(struct store *s, int64_t user_id, int64_t id, int64_t at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_MSG_READ,
                            "UPDATE messages SET read_at = CASE WHEN read_at = 0 THEN ?3"
                            " ELSE read_at END WHERE id = ?1 AND user_id = ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, at);
    rc = sqlite_db_run(q, st, "message_read");
    if (!rc && sqlite3_changes(q->db) == 0)
        rc = -GG_ENOTFOUND;
    return rc;
}

int sqlite_notify_users_at(struct store *s, const char *scope_path, int roles_mask,
                           int64_t **ids, size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *ids = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_MSG_USERS,
                            "SELECT id FROM users WHERE scope_path = ?1 AND disabled = 0"
                            " AND ((1 << role) & ?2) <> 0 ORDER BY id LIMIT 200",
                            &st);
    if (rc)
        return rc;
    sqlite_db_bind_text(st, 1, scope_path);
    sqlite3_bind_int(st, 2, roles_mask);
    size_t cap = 0;
    int64_t *arr = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite_db_grow((void **)&arr, &cap, *n, sizeof *arr)) {
            rc = SQLITE_NOMEM;
            break;
        }
        arr[(*n)++] = sqlite3_column_int64(st, 0);
    }
    if (rc == SQLITE_NOMEM)
        rc = -GG_ENOMEM;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "users_at");
    sqlite_db_done(st);
    if (rc) {
        free(arr);
        *n = 0;
        return rc;
    }
    *ids = arr;
    return 0;
}

int sqlite_notify_outbox_insert(struct store *s, const char *payload, int64_t at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_OUTBOX_INSERT,
                            "INSERT INTO outbox(created_at, payload, attempts, next_at)"
                            " VALUES (?1, ?2, 0, ?1)",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, at);
    sqlite_db_bind_text(st, 2, payload);
    return sqlite_db_run(q, st, "outbox_insert");
}

int sqlite_notify_outbox_due(struct store *s, int64_t now, int limit, struct outbox_item **items,
                             size_t *n)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    *items = NULL;
    *n = 0;
    int rc = sqlite_db_stmt(q, SQ_OUTBOX_DUE,
                            "SELECT id, created_at, attempts, next_at, payload FROM outbox"
                            " WHERE delivered_at = 0 AND next_at <= ?1 ORDER BY id LIMIT ?2",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, sqlite_db_limit(limit, 20, 200));
    size_t cap = 0;
    struct outbox_item *arr = NULL;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite_db_grow((void **)&arr, &cap, *n, sizeof *arr)) {
            rc = SQLITE_NOMEM;
            break;
        }
        struct outbox_item *o = &arr[*n];
        memset(o, 0, sizeof *o);
        o->id = sqlite3_column_int64(st, 0);
        o->created_at = sqlite3_column_int64(st, 1);
        o->attempts = sqlite3_column_int(st, 2);
        o->next_at = sqlite3_column_int64(st, 3);
        const unsigned char *p = sqlite3_column_text(st, 4);
        o->payload = strdup(p ? (const char *)p : "");
        if (!o->payload) {
            rc = SQLITE_NOMEM;
            break;
        }
        (*n)++;
    }
    if (rc == SQLITE_NOMEM)
        rc = -GG_ENOMEM;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "outbox_due");
    sqlite_db_done(st);
    if (rc) {
        store_outbox_items_free(arr, *n);
        *n = 0;
        return rc;
    }
    *items = arr;
    return 0;
}

int sqlite_notify_outbox_done(struct store *s, int64_t id, int64_t at)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_OUTBOX_DONE,
                            "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1"
                            " WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    return sqlite_db_run(q, st, "outbox_done");
}

int sqlite_notify_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at,
                               const char *last_error)
{
    struct store_sqlite *q = sq_of(s);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_stmt(q, SQ_OUTBOX_RETRY,
                            "UPDATE outbox SET attempts = ?2, next_at = ?3, last_error = ?4"
                            " WHERE id = ?1",
                            &st);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, attempts);
    sqlite3_bind_int64(st, 3, next_at);
    sqlite_db_bind_text(st, 4, last_error);
    return sqlite_db_run(q, st, "outbox_retry");
}
