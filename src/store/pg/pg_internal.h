/* pg_internal.h - shared by the PostgreSQL backend's files only: the connection struct, the
 * argument list every statement is bound with, the prepared-statement cache and small helpers
 * for reading results and translating errors. Nothing outside src/store/pg/ includes this.
 *
 * Adding an operation: write its SQL as a string literal (or a static array) next to the code,
 * fill a `struct pg_args` with pg_arg_*() and call pg_db_query() / pg_db_run() /
 * pg_db_collect(). The statement is prepared on the connection the first time it is used and
 * found again by the address of its text, so there is no statement enum to extend. */
#ifndef GG_STORE_PG_INTERNAL_H
#define GG_STORE_PG_INTERNAL_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define PG_MAX_ARGS 64
#define PG_CACHE_SZ 512 /* prepared statements per connection (open addressing, power of 2) */

/* The parameters of one statement, all sent as text (PostgreSQL parses them with the types the
 * statement infers). Text values are borrowed: keep them alive until the call returns. */
struct pg_args {
    int n;
    const char *v[PG_MAX_ARGS];
    char num[PG_MAX_ARGS][32]; /* storage for numbers converted to text */
};

struct pg_cached {
    const char *sql; /* key: the address of the statement text */
    int id;          /* prepared as "g<id>"; -1: its preparation failed in a pipeline, again */
};

/* dynamic SQL (the filter combinations of a list) prepared per connection, by text */
#define PG_DYN_SZ 32
struct pg_dyn {
    char *sql; /* a copy of the text; NULL: free slot */
    int id;    /* prepared as "d<id>" */
};

/* ---- pipeline mode (libpq) inside write transactions ----
 * Between begin and commit the connection is in pipeline mode. Statements whose results the
 * caller does not need (pg_db_send: the event row with a reserved id, timeline rows, feed
 * rows, audit rows, messages, counters, copied rows, savepoints) are sent without waiting; a
 * statement whose result is needed (pg_db_query) is sent with a sync, and its answer is read
 * together with every answer still pending. Answers that arrive meanwhile are read as they
 * come (so that neither end ever waits for the other to read). A group commit of intake
 * events so waits for the server twice: after begin and after COMMIT.
 *
 * A failed statement fails the use case that sent it when it is found while that use case's
 * savepoint is still the innermost one (the use case's next call returns the error and
 * rollback_to undoes it, as without a pipeline). Found later, after that savepoint was
 * released, it can no longer be undone alone: the whole transaction fails (every further call
 * and commit return the error, and the writer reports every use case of the group as failed).
 * Only statements that cannot fail in normal operation are sent without waiting. */
#define PG_MAX_PENDING 1024 /* answers awaited at most; then a sync drains them */
#define PG_SP_SERIALS 32    /* savepoint levels whose statements are told apart */
#define PG_MAX_IDS 512      /* event ids reserved by one transaction at most */

enum pg_pend {
    PG_PEND_PREPARE,   /* a statement being prepared (slot = its cache index) */
    PG_PEND_PLAIN,     /* a deferred statement: only its failure matters */
    PG_PEND_CHECKED,   /* a deferred guarded insert (pg_db_insert_checked's row) */
    PG_PEND_CHECKED_C, /* the same with conflict_is_error */
    PG_PEND_RESULT,    /* a statement whose result the caller reads */
    PG_PEND_TXSET,     /* begin's read of the settings (tx cache) */
    PG_PEND_TXAUDIT,   /* begin's read of the audit chain's last entry (tx cache) */
    PG_PEND_IDS,       /* event ids reserved for this transaction */
    PG_PEND_COMMIT,    /* COMMIT: its tag must say COMMIT (else the transaction had failed) */
    PG_PEND_SYNC,
};

struct pg_pending {
    unsigned char kind; /* enum pg_pend */
    int slot;           /* PG_PEND_PREPARE: cache index */
    unsigned serial;    /* the savepoint it was sent in (0: none) */
    const char *what;
};

/* Settings and the audit chain's last entry as this write transaction sees them: read once
 * (begin prefetches the ones every event write reads), then served from memory; settings
 * written in the transaction are kept here and written once, at commit. Only while in_tx:
 * the write lock (pg_db.c) keeps every other writer out meanwhile. */
#define PG_TXSET_N 16
#define PG_TXSET_VAL 512 /* longer values are read and written straight through */
struct pg_txset {
    char key[64];
    char value[PG_TXSET_VAL];
    bool used;
    bool present; /* the key has a row (else: known to be unset) */
    bool is_long; /* its value is not kept here: read it from the table */
    bool dirty;   /* set in this transaction, written at commit */
};
struct pg_txcache {
    bool audit_valid;
    int64_t audit_id; /* the audit table's last entry (0 = empty) */
    char audit_hash[65];
    bool complete; /* set[] holds every settings row: a key not there is unset */
    struct pg_txset set[PG_TXSET_N];
};
/* the audit chain's last entry (pg_audit.c), also read by begin */
extern const char pg_audit_last_sql[];
#define PG_SP_MAX 4 /* savepoint levels whose tx cache is kept for a rollback */

struct store_pg {
    struct store base; /* first: a struct store * is a struct store_pg * */
    PGconn *conn;
    char url[1024];
    bool in_tx;       /* between begin and commit/rollback: no reconnect in the middle */
    bool listening;   /* LISTEN gridgov_feed done on this session (feed_wait) */
    int next_id;      /* next prepared statement name */
    struct pg_cached cache[PG_CACHE_SZ];
    struct pg_dyn dyn[PG_DYN_SZ];
    unsigned dyn_next; /* the slot to reuse next: the oldest goes, as sqlite_db_prepare_cached */
    /* pipeline mode (above): answers pending[head..n_pending) still to be read */
    bool pipe;
    int head, n_pending, since_poll;
    struct pg_pending pending[PG_MAX_PENDING + 16];
    int tx_err;  /* the transaction has failed: every call returns this */
    int job_err; /* the innermost savepoint's statements failed: until rollback_to */
    unsigned next_serial;
    unsigned sp_serial[PG_SP_SERIALS];
    /* event ids reserved for this transaction (begin reserves as many as the previous one
     * inserted; a transaction that runs out reserves more, doubling), so that an event row
     * is sent without waiting for its id: ids[ids_used..ids_n) */
    int64_t ids[PG_MAX_IDS];
    int ids_n, ids_used, ids_want, inserted;
    /* gridgov copy: the table whose rows are streamed (COPY FROM STDIN), NULL when none */
    const struct store_table *copy_table;
    /* counters added in this transaction, not sent yet (pg_stats.c): stats_n rows */
    struct pg_statbuf *stats;
    int stats_n;
    /* the transaction's cache (above) and its copies at the open savepoints */
    struct pg_txcache tx;
    int sp_depth;
    struct pg_txcache sp[PG_SP_MAX];
};

static inline struct store_pg *pg_of(struct store *s)
{
    return (struct store_pg *)s;
}

static inline void pg_args_init(struct pg_args *a)
{
    a->n = 0;
}
void pg_arg_int(struct pg_args *a, int64_t v);
void pg_arg_double(struct pg_args *a, double v);
void pg_arg_text(struct pg_args *a, const char *s); /* NULL binds "" */
void pg_arg_null(struct pg_args *a);

/* Runs `sql` with `a` (NULL = no arguments) as a prepared statement cached on this connection
 * (the text must outlive the connection: a literal or a static array). On success *res holds
 * the result (caller PQclear()s it); else a negative GG_E* (native error logged with `what`):
 * unique violation → -GG_ECONFLICT, foreign key → -GG_ENOTFOUND, lost connection,
 * serialization failure or shutdown → -GG_EUNAVAILABLE, others -GG_EIO.
 * A connection lost outside a transaction is re-established first, so a server restart costs
 * only the requests that were running at that moment. */
int pg_db_query(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                const char *what);
/* The same for dynamic SQL (assembled from constant fragments; values still bound): an
 * unnamed statement, not cached. */
int pg_db_query_once(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                     const char *what);
/* Dynamic SQL that recurs (a list's filter combinations): prepared on first use and kept by its
 * text, the PG_DYN_SZ last prepared per connection, so that PostgreSQL neither parses nor (once
 * it settles on a generic plan) plans it again; inside a transaction as pg_db_query_once. */
int pg_db_query_dyn(struct store_pg *q, const char *sql, const struct pg_args *a, PGresult **res,
                    const char *what);
/* Runs a statement that returns no rows; *changed (may be NULL) gets the affected row count. */
int pg_db_run(struct store_pg *q, const char *sql, const struct pg_args *a, int64_t *changed,
              const char *what);
/* Runs a query and copies each row with read(res, row, out, ctx) into a heap array of elem-byte
 * items (*items, *n; NULL and 0 when no rows). */
int pg_db_collect(struct store_pg *q, const char *sql, const struct pg_args *a, size_t elem,
                  void (*read)(const PGresult *res, int row, void *out, void *ctx), void *ctx,
                  void **items, size_t *n, const char *what);
/* Runs an insert guarded in SQL so that it cannot fail inside the caller's transaction, written
 * to answer one row (parent rows found, rows inserted): -GG_ENOTFOUND when the first is 0,
 * -GG_ECONFLICT when the second is 0 and conflict_is_error, else 0. */
int pg_db_insert_checked(struct store_pg *q, const char *sql, const struct pg_args *a,
                         bool conflict_is_error, const char *what);
/* Runs a simple command without parameters (transactions, schema); not prepared. */
int pg_db_exec(struct store_pg *q, const char *sql, const char *what);
/* Inside a transaction: sends a statement whose result the caller does not need and returns
 * without waiting (pipeline mode); its failure is returned by a later call (see above).
 * Outside one: pg_db_run. */
int pg_db_send(struct store_pg *q, const char *sql, const struct pg_args *a, const char *what);
/* The same for pg_db_insert_checked's guarded inserts. */
int pg_db_send_checked(struct store_pg *q, const char *sql, const struct pg_args *a,
                       bool conflict_is_error, const char *what);
/* The next event id inside a write transaction (a reserved one, reserving more when they
 * ran out): 0 and *id, or an error. */
int pg_db_event_id(struct store_pg *q, int64_t *id);
/* Several reads in one round trip: sends the n statements (outside a transaction, each with
 * its arguments) and waits once; res[i] gets each result (caller PQclear()s them all, also on
 * error, when they are NULL). A lost connection is re-established and the batch sent again
 * once, as pg_db_query does. */
int pg_db_query_many(struct store_pg *q, int n, const char *const *sql,
                     const struct pg_args *const *a, PGresult **res, const char *what);
/* Copies each row of r with read(res, row, out, ctx) into a heap array (as pg_db_collect). */
int pg_db_rows(const PGresult *r, size_t elem,
               void (*read)(const PGresult *res, int row, void *out, void *ctx), void *ctx,
               void **items, size_t *n);
/* Waits for every deferred statement (an error among them is returned) and leaves pipeline
 * mode, for code that talks to libpq directly (COPY, LISTEN). */
int pg_db_pipe_leave(struct store_pg *q);
/* Ends the COPY FROM STDIN of pg_copy_write, if one is open (abort: discarding its rows); the
 * other statements of the connection call it first. Returns the COPY's error (a constraint). */
int pg_db_copy_end(struct store_pg *q, bool abort);

int64_t pg_int(const PGresult *r, int row, int col); /* NULL → 0 */
double pg_double(const PGresult *r, int row, int col);
void pg_text(const PGresult *r, int row, int col, char *dst, size_t sz); /* NULL → "" */
bool pg_bool(const PGresult *r, int row, int col);
int pg_db_limit(int limit, int def, int max);

/* Per-area operations, assembled into the ops table in pg_db.c. */
int pg_orgs_insert(struct store *s, struct org *o, const char *boundary, struct gg_error *err);
int pg_orgs_update(struct store *s, const struct org *o, const char *boundary,
                   struct gg_error *err);
int pg_orgs_get(struct store *s, int64_t id, struct org *out);
int pg_orgs_get_by_code(struct store *s, const char *code, struct org *out);
int pg_orgs_boundary(struct store *s, int64_t id, char **geojson);
int pg_orgs_list(struct store *s, const struct org_filter *f, struct org **items, size_t *n);
int pg_orgs_grids_each(struct store *s,
                       int (*fn)(void *ctx, const struct org *grid, const char *geojson),
                       void *ctx);
int pg_orgs_departments(struct store *s, struct org **items, size_t *n);
int pg_orgs_count(struct store *s, int64_t *n);

int pg_users_category_upsert(struct store *s, const struct category *c, bool *created);
int pg_users_category_get(struct store *s, const char *code, struct category *out);
int pg_users_category_list(struct store *s, struct category **items, size_t *n);
int pg_users_insert(struct store *s, struct user *u, const char *pw_hash, struct gg_error *err);
int pg_users_get(struct store *s, int64_t id, struct user *out);
int pg_users_get_by_name(struct store *s, const char *username, struct user *out,
                         char *pw_hash);
int pg_users_list(struct store *s, const char *scope_path, int64_t after_id, int limit,
                  struct user **items, size_t *n);
int pg_users_login_failure_add(struct store *s, const char *username, int64_t at);
int pg_users_login_failure_count(struct store *s, const char *username, int64_t since, int *n);
int pg_users_login_failure_clear(struct store *s, const char *username);
int pg_users_token_insert(struct store *s, const char *token_hash, int64_t user_id,
                          int64_t expires_at);
int pg_users_token_get(struct store *s, const char *token_hash, int64_t now, struct user *out,
                       int64_t *expires_at);
int pg_users_token_delete(struct store *s, const char *token_hash);

int pg_events_insert(struct store *s, struct event *e);
int pg_events_update(struct store *s, const struct event *e);
int pg_events_get(struct store *s, int64_t id, const struct store_scope *scope,
                  struct event *out);
int pg_events_list(struct store *s, const struct event_filter *f, const struct store_scope *scope,
                   struct event **items, size_t *n);
int pg_events_nearby(struct store *s, const char *category, double min_lat, double max_lat,
                     double min_lon, double max_lon, int64_t since, int64_t exclude_id, int limit,
                     struct event **items, size_t *n);
int pg_events_overdue(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
int pg_events_count_by_status(struct store *s, int64_t counts[EVENT_STATUS__COUNT]);
int pg_events_timeline_insert(struct store *s, const struct timeline_entry *t);
int pg_events_timeline_list(struct store *s, int64_t event_id, struct timeline_entry **items,
                            size_t *n);
int pg_events_whistle_insert(struct store *s, const struct whistle *w);
int pg_events_whistle_report_in(struct store *s, int64_t event_id, int64_t dept_org_id,
                                int64_t at);
int pg_events_whistle_list(struct store *s, int64_t event_id, struct whistle **items, size_t *n);
int pg_events_get_view(struct store *s, int64_t id, const struct store_scope *scope,
                       struct event *out, struct timeline_entry **tl, size_t *n_tl,
                       int64_t **att, size_t *n_att, struct whistle **w, size_t *n_w);
int pg_events_attachment_insert(struct store *s, struct attachment *a);
int pg_events_attachment_get(struct store *s, int64_t id, struct attachment *out);
int pg_events_attach(struct store *s, int64_t event_id, int64_t attachment_id);
int pg_events_attachments(struct store *s, int64_t event_id, int64_t **ids, size_t *n);
int pg_events_attachment_events(struct store *s, int64_t attachment_id, int64_t **ids,
                                size_t *n);
/* the event columns in read order, and the row reader (colour at `now`), for pg_stats.c */
#define PG_EVENT_COLS                                                                              \
    "id, version, status, suspended, source, category_code, description, address, lat, lon,"       \
    " grid_id, org_path, district_id, assignee_org_id, assignee_path, level, reporter_id,"         \
    " device_id, reported_at, registered_at, dispatched_at, signed_at, handled_at, closed_at,"     \
    " accept_due_at, handle_due_at, yellow_at, suspended_at, suspended_secs, extension_hours,"     \
    " extension_count, rework_count, escalation_count, supervise_count, closing_level, rating,"    \
    " rating_comment, merged_into, updated_at, escalate_at, color_mark, recolor_at"
#define PG_EVENT_NCOLS 42
void pg_events_read_row(const PGresult *r, int row, struct event *e, int64_t now);
int pg_ids_collect(struct store_pg *q, const char *sql, const struct pg_args *a, int64_t **ids,
                   size_t *n, const char *what);

int pg_audit_append(struct store *s, struct audit_entry *e);
int pg_audit_list(struct store *s, const char *object_type, int64_t object_id, int64_t after_id,
                  int limit, struct audit_entry **items, size_t *n);
int pg_audit_verify(struct store *s, struct audit_verify_result *out);

/* Inside a write transaction the counter upserts are gathered and sent as one statement per
 * table (unnest of arrays, rows with the same key summed first) just before whatever the
 * connection sends next, or at commit: a group commit's few dozen upserts cost three
 * statements; outside a transaction the same statements go at once. pg_db.c calls flush
 * (deferred sends) and drop (the transaction ended). */
int pg_stats_flush(struct store_pg *q);
void pg_stats_drop(struct store_pg *q);
int pg_stats_add(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas);
int pg_stats_log_add(struct store *s, const void *rec, size_t len);
int pg_stats_log_take(struct store *s, int (*fn)(void *ctx, const void *rec, size_t len),
                      void *ctx);
int pg_stats_log_any(struct store *s, bool *any);
int pg_stats_cat_add(struct store *s, int64_t org_id, int64_t day, const char *category,
                     int64_t n);
int pg_stats_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int64_t *counts,
                 size_t n_metrics);
int pg_stats_series(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int metric,
                    int64_t *per_day);
int pg_stats_cat_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1,
                     int (*fn)(void *ctx, const char *code, int64_t n), void *ctx);
int pg_stats_scan(struct store *s, const char *org_path, int64_t from, int64_t to, bool by_path,
                  int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return),
                  void *ctx);
int pg_stats_stale_colors(struct store *s, const char *org_path, int64_t from, int64_t to,
                          int64_t now, int64_t delta[COLOR__COUNT]);
int pg_stats_open_overdue(struct store *s, const char *org_path, int64_t due_from,
                          int64_t due_to, int (*fn)(void *ctx, int64_t day, int64_t n),
                          void *ctx);
int pg_stats_clear(struct store *s);
int pg_stats_grids(struct store *s, const char *org_path, int64_t from, int64_t to,
                   int (*fn)(void *ctx, int64_t grid_id, int64_t n), void *ctx);
int pg_stats_points(struct store *s, const char *org_path, int64_t from, int64_t to, int limit,
                    int (*fn)(void *ctx, int64_t id, double lat, double lon,
                              const char *category),
                    void *ctx);
int pg_stats_surge(struct store *s, const char *org_path, int64_t until,
                   int (*fn)(void *ctx, int64_t grid_id, const char *category, int week,
                             int64_t n),
                   void *ctx);

int pg_notify_feed_insert(struct store *s, struct feed_entry *f);
int pg_notify_feed_wait(struct store *s, int timeout_ms);
int pg_notify_feed_newest(struct store *s, int64_t *id);
int pg_notify_feed_after(struct store *s, int64_t after_id, int limit, struct feed_entry **items,
                         size_t *n);
int pg_notify_message_insert(struct store *s, struct message *m);
int pg_notify_message_list(struct store *s, int64_t user_id, bool unread_only, int64_t before_id,
                           int limit, struct message **items, size_t *n);
int pg_notify_message_read(struct store *s, int64_t user_id, int64_t id, int64_t at);
int pg_notify_users_at(struct store *s, const char *scope_path, int roles_mask, int64_t **ids,
                       size_t *n);
int pg_notify_messages_at(struct store *s, const char *scope_path, int roles_mask,
                          const struct message *m, bool want_rows, struct message **rows,
                          size_t *n);
int pg_notify_outbox_insert(struct store *s, const char *payload, int64_t at);
int pg_notify_outbox_due(struct store *s, int64_t now, int limit, struct outbox_item **items,
                         size_t *n);
int pg_notify_outbox_done(struct store *s, int64_t id, int64_t at);
int pg_notify_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at,
                           const char *last_error);

/* issue 4: colour marks, department ratings, property companies (pg_eval.c) */
int pg_eval_recolor_due(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
int pg_eval_set_mark(struct store *s, int64_t id, int color_mark, int64_t recolor_at);
int pg_eval_dept_rating_insert(struct store *s, const struct dept_rating *r);
int pg_eval_dept_rating_list(struct store *s, int64_t event_id, struct dept_rating **items,
                             size_t *n);
int pg_eval_dept_stats(struct store *s, const char *dept_path, int64_t from, int64_t to,
                       struct dept_stat **items, size_t *n);
int pg_eval_property_insert(struct store *s, struct property_company *c);
int pg_eval_property_update(struct store *s, const struct property_company *c);
int pg_eval_property_get(struct store *s, int64_t id, struct property_company *out);
int pg_eval_property_list(struct store *s, struct property_company **items, size_t *n);
int pg_eval_property_areas_set(struct store *s, int64_t company_id,
                               const struct property_area *areas, size_t n);
int pg_eval_property_areas(struct store *s, int64_t company_id, struct property_area **items,
                           size_t *n);
int pg_eval_property_complaints(struct store *s, const char *path, int64_t from, int64_t to,
                                const char (*codes)[GG_CODE_SZ], size_t n_codes,
                                int64_t *events, int64_t *rated, int64_t *satisfied);
/* adds the subtree range of path ("" = everything) as two arguments; upper[GG_PATH_SZ] must
 * outlive the call (pg_stats.c) */
void pg_stats_subtree_args(struct pg_args *a, const char *path, char *upper);

/* issue 6 (pg_people.c, pg_orders.c, pg_visits.c, pg_topics.c) */
int pg_people_person_insert(struct store *s, struct person *p);
int pg_people_person_update(struct store *s, const struct person *p);
int pg_people_person_delete(struct store *s, int64_t id);
int pg_people_person_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct person *out);
int pg_people_person_list(struct store *s, const struct person_filter *f,
                              const struct store_scope *scope, struct person **items, size_t *n);
int pg_people_household_insert(struct store *s, struct household *h);
int pg_people_household_update(struct store *s, const struct household *h);
int pg_people_household_delete(struct store *s, int64_t id);
int pg_people_household_get(struct store *s, int64_t id, const struct store_scope *scope,
                                struct household *out);
int pg_people_household_get_by_code(struct store *s, const char *code, struct household *out);
int pg_people_household_list(struct store *s, const struct household_filter *f,
                                 const struct store_scope *scope, struct household **items,
                                 size_t *n);
int pg_people_house_insert(struct store *s, struct house *h);
int pg_people_house_update(struct store *s, const struct house *h);
int pg_people_house_delete(struct store *s, int64_t id);
int pg_people_house_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct house *out);
int pg_people_house_list(struct store *s, const struct house_filter *f,
                             const struct store_scope *scope, struct house **items, size_t *n);
int pg_orders_insert(struct store *s, struct service_order *o);
int pg_orders_update(struct store *s, const struct service_order *o);
int pg_orders_get(struct store *s, int64_t id, const struct store_scope *scope, int64_t now,
                      struct service_order *out);
int pg_orders_list(struct store *s, const struct service_filter *f,
                       const struct store_scope *scope, struct service_order **items, size_t *n);
int pg_orders_attach(struct store *s, int64_t order_id, int64_t attachment_id);
int pg_orders_attachments(struct store *s, int64_t order_id, int64_t **ids, size_t *n);
int pg_orders_points_post(struct store *s, struct points_entry *e);
int pg_orders_points_account(struct store *s, int64_t user_id, struct points_account *out);
int pg_orders_points_entries(struct store *s, int64_t user_id, int64_t before_id, int limit,
                                 struct points_entry **items, size_t *n);
int pg_orders_points_leaderboard(struct store *s, const char *path, int limit,
                                     struct points_rank **items, size_t *n);
int pg_orders_item_insert(struct store *s, struct store_item *it);
int pg_orders_item_update(struct store *s, const struct store_item *it);
int pg_orders_item_get(struct store *s, int64_t id, struct store_item *out);
int pg_orders_item_list(struct store *s, const char *scope_path, bool active_only,
                            int64_t after_id, int limit, struct store_item **items, size_t *n);
int pg_orders_item_take(struct store *s, int64_t id, int quantity, int64_t now);
int pg_orders_redemption_insert(struct store *s, struct redemption *r);
int pg_orders_redemption_list(struct store *s, int64_t user_id, const char *path,
                                  int64_t before_id, int limit, struct redemption **items,
                                  size_t *n);
int pg_visits_insert(struct store *s, struct visit *v);
int pg_visits_list(struct store *s, const char *path, int64_t person_id, int64_t household_id,
                       int64_t before_id, int limit, struct visit **items, size_t *n);
int pg_visits_latest(struct store *s, const char *path, int limit, struct visit **items,
                         size_t *n);
int pg_topics_insert(struct store *s, struct topic *t);
int pg_topics_update(struct store *s, const struct topic *t);
int pg_topics_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct topic *out);
int pg_topics_list(struct store *s, const struct topic_filter *f,
                       const struct store_scope *scope, struct topic **items, size_t *n);
int pg_topics_support_add(struct store *s, int64_t topic_id, int64_t user_id, int64_t at);
int pg_topics_vote_add(struct store *s, int64_t topic_id, int64_t user_id,
                           enum vote_choice choice, int64_t at);
int pg_topics_rating_add(struct store *s, int64_t topic_id, int64_t user_id, int stars,
                             const char *comment, int64_t at);
int pg_topics_meeting_set(struct store *s, int64_t topic_id, const char *minutes,
                              const int64_t *attendees, size_t n);
int pg_topics_attendees(struct store *s, int64_t topic_id, int64_t **ids, size_t *n);
int pg_topics_minutes(struct store *s, int64_t topic_id, char **minutes);
int pg_topics_mine(struct store *s, int64_t topic_id, int64_t user_id,
                       struct topic_mine *out);
int pg_topics_note_insert(struct store *s, struct topic_note *n);
int pg_topics_notes(struct store *s, int64_t topic_id, struct topic_note **items, size_t *n);
int pg_topics_disclosure_insert(struct store *s, struct disclosure *d,
                                    const struct disclosure_item *items, size_t n);
int pg_topics_disclosure_get(struct store *s, int64_t id, const struct store_scope *scope,
                                 struct disclosure *out);
int pg_topics_disclosure_items(struct store *s, int64_t id, struct disclosure_item **items,
                                   size_t *n);
int pg_topics_disclosure_list(struct store *s, const struct disclosure_filter *f,
                                  const struct store_scope *scope, struct disclosure **items,
                                  size_t *n);

/* issue 6: party organisation, key tasks (pg_party.c) */
int pg_party_org_insert(struct store *s, struct party_org *p);
int pg_party_org_get(struct store *s, int64_t id, const struct store_scope *scope,
                     struct party_org *out);
int pg_party_org_list(struct store *s, const char *org_path, int kind, int64_t parent_id,
                      const struct store_scope *scope, int64_t after_id, int limit,
                      struct party_org **items, size_t *n);
int pg_party_member_insert(struct store *s, struct party_member *m);
int pg_party_member_get(struct store *s, int64_t id, const struct store_scope *scope,
                        struct party_member *out);
int pg_party_member_by_user(struct store *s, int64_t user_id, struct party_member *out);
int pg_party_member_list(struct store *s, const char *party_path,
                         const struct store_scope *scope, int64_t after_id, int limit,
                         struct party_member **items, size_t *n);
int pg_party_report_in_insert(struct store *s, struct report_in *r);
int pg_party_report_in_list(struct store *s, const char *org_path, int64_t member_id,
                            const struct store_scope *scope, int64_t after_id, int limit,
                            struct report_in **items, size_t *n);
int pg_party_cover_insert(struct store *s, struct cover *c);
int pg_party_cover_delete(struct store *s, int64_t id);
int pg_party_cover_get(struct store *s, int64_t id, const struct store_scope *scope,
                       struct cover *out);
int pg_party_cover_list(struct store *s, const char *org_path, int64_t user_id,
                        const struct store_scope *scope, int64_t after_id, int limit,
                        struct cover **items, size_t *n);
int pg_party_cover_for_path(struct store *s, const char *path, struct cover **items, size_t *n);
int pg_party_meeting_insert(struct store *s, struct party_meeting *m);
int pg_party_meeting_get(struct store *s, int64_t id, const struct store_scope *scope,
                         struct party_meeting *out);
int pg_party_meeting_list(struct store *s, const char *party_path, int kind, int64_t from_days,
                          int64_t to_days, const struct store_scope *scope, int64_t after_id,
                          int limit, struct party_meeting **items, size_t *n);
int pg_party_attendance_set(struct store *s, int64_t meeting_id, int64_t member_id,
                            enum attendance status);
int pg_party_attendance_list(struct store *s, int64_t meeting_id,
                             struct meeting_attendance **items, size_t *n);
int pg_party_meeting_facts(struct store *s, const char *party_path, int64_t from_days,
                           int64_t to_days, int (*fn)(void *ctx, int kind, int64_t held_days),
                           void *ctx);
int pg_party_task_insert(struct store *s, struct task *t);
int pg_party_task_update(struct store *s, const struct task *t);
int pg_party_task_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct task *out);
int pg_party_task_list(struct store *s, const char *org_path, int64_t leader_id,
                       const struct store_scope *scope, int64_t after_id, int limit,
                       struct task **items, size_t *n);
int pg_party_milestone_insert(struct store *s, struct task_milestone *m);
int pg_party_milestone_update(struct store *s, const struct task_milestone *m);
int pg_party_milestone_get(struct store *s, int64_t id, struct task_milestone *out);
int pg_party_milestone_list(struct store *s, int64_t task_id, struct task_milestone **items,
                            size_t *n);
int pg_party_milestone_overdue(struct store *s, int64_t today, int limit,
                               struct task_milestone **items, size_t *n);
int pg_party_task_report_insert(struct store *s, struct task_report *r);
int pg_party_task_report_list(struct store *s, int64_t task_id, struct task_report **items,
                              size_t *n);

/* issue 6 item 8: participation in the rankings (pg_rank.c) */
int pg_rank_orders(struct store *s, const char *path, int64_t from, int64_t to,
                   struct rank_orders_row **items, size_t *n);
int pg_rank_visits(struct store *s, const char *path, const int days[VISIT_TAG__COUNT],
                   int64_t from, int64_t until, struct rank_visits_row **items, size_t *n);
int pg_rank_branches(struct store *s, const char *path, struct rank_branch_row **items, size_t *n);
int pg_rank_meetings(struct store *s, const char *path, int64_t from_days, int64_t to_days,
                     struct rank_meeting_row **items, size_t *n);
int pg_rank_tasks(struct store *s, const char *path, int64_t before, int64_t today, int warn_days,
                  struct rank_task_row **items, size_t *n);
int pg_rank_cadres(struct store *s, const char *path, int64_t from, int64_t to,
                   struct rank_cadre_row **items, size_t *n);

/* issue 3: gridgov copy (pg_copy.c) */
int pg_copy_read(struct store *s, const struct store_table *t,
                 int (*row)(void *ctx, const char *const *vals), void *ctx);
int pg_copy_write(struct store *s, const struct store_table *t, const char *const *vals);
int pg_copy_done(struct store *s);

/* The schema steps (pg_schema.c): schema_version and migrate of the ops table. */
int pg_schema_version(struct store *s, int *have, int *want);
int pg_schema_migrate(struct store *s, int *from, int *to, struct gg_error *err);

#endif
