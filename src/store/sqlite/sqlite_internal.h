/* sqlite_internal.h - shared by the SQLite backend's files only: the connection struct, the
 * prepared-statement cache and small helpers for binding, stepping and translating errors.
 * Nothing outside src/store/sqlite/ includes this. */
#ifndef GG_STORE_SQLITE_INTERNAL_H
#define GG_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* One cached statement per id; the SQL text lives next to the code that uses it. */
enum sq_stmt {
    SQ_BEGIN,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_SAVEPOINT,
    SQ_RELEASE,
    SQ_ROLLBACK_TO,
    SQ_READ_BEGIN,
    SQ_READ_END,
    SQ_SETTING_GET,
    SQ_SETTING_SET,
    SQ_ORG_INSERT,
    SQ_ORG_SET_PATH,
    SQ_ORG_UPDATE,
    SQ_ORG_GET,
    SQ_ORG_GET_BY_CODE,
    SQ_ORG_BOUNDARY,
    SQ_ORG_DEPARTMENTS,
    SQ_ORG_COUNT,
    SQ_CAT_EXISTS,
    SQ_CAT_INSERT,
    SQ_CAT_UPDATE,
    SQ_CAT_GET,
    SQ_CAT_LIST,
    SQ_USER_INSERT,
    SQ_USER_GET,
    SQ_USER_GET_BY_NAME,
    SQ_USER_LIST,
    SQ_LOGIN_FAIL_ADD,
    SQ_LOGIN_FAIL_COUNT,
    SQ_LOGIN_FAIL_CLEAR,
    SQ_TOKEN_INSERT,
    SQ_TOKEN_GET,
    SQ_TOKEN_DELETE,
    SQ_EVENT_INSERT,
    SQ_EVENT_UPDATE,
    SQ_EVENT_GET_ALL,
    SQ_EVENT_GET_WIDE,
    SQ_EVENT_GET_GRID,
    SQ_EVENT_GET_HANDLER,
    SQ_EVENT_GET_OWN,
    SQ_EVENT_NEARBY,
    SQ_EVENT_OVERDUE,
    SQ_EVENT_COUNT_STATUS,
    SQ_TIMELINE_INSERT,
    SQ_TIMELINE_LIST,
    SQ_WHISTLE_INSERT,
    SQ_WHISTLE_REPORT_IN,
    SQ_WHISTLE_LIST,
    SQ_ATT_INSERT,
    SQ_ATT_GET_BY_SHA,
    SQ_ATT_GET,
    SQ_EVENT_ATTACH,
    SQ_EVENT_ATTACHMENTS,
    SQ_ATT_EVENTS,
    SQ_AUDIT_LAST,
    SQ_AUDIT_INSERT,
    SQ_AUDIT_LIST,
    SQ_AUDIT_ALL,
    /* issue 4: counters, scans for analysis, the live feed, messages and the webhook outbox */
    SQ_STAT_ADD,
    SQ_STAT_CAT_ADD,
    SQ_STAT_SUM,
    SQ_STAT_CAT_SUM,
    SQ_STAT_SCAN,
    SQ_STAT_SCAN_PATH,
    SQ_STAT_STALE_COLORS,
    SQ_STAT_OPEN_OVERDUE,
    SQ_STAT_GRIDS,
    SQ_STAT_POINTS,
    SQ_STAT_SURGE,
    SQ_FEED_INSERT,
    SQ_FEED_AFTER,
    SQ_FEED_NEWEST,
    SQ_MSG_INSERT,
    SQ_MSG_LIST,
    SQ_MSG_READ,
    SQ_MSG_USERS,
    SQ_OUTBOX_INSERT,
    SQ_OUTBOX_DUE,
    SQ_OUTBOX_DONE,
    SQ_OUTBOX_RETRY,
    /* issue 4: colour marks, department ratings, property companies (sqlite_eval.c) */
    SQ_EVENT_RECOLOR_DUE,
    SQ_EVENT_SET_MARK,
    SQ_DEPT_RATING_INSERT,
    SQ_DEPT_RATING_LIST,
    SQ_DEPT_STATS,
    SQ_PROP_INSERT,
    SQ_PROP_UPDATE,
    SQ_PROP_GET,
    SQ_PROP_LIST,
    SQ_PROP_AREAS_DELETE,
    SQ_PROP_AREA_INSERT,
    SQ_PROP_AREAS,
    SQ_PROP_AREAS_ALL,
    SQ_PROP_COMPLAINTS,
    /* issue 6: people, households, houses */
    SQ_PERSON_INSERT,
    SQ_PERSON_UPDATE,
    SQ_PERSON_DELETE,
    SQ_PERSON_GET_SYS,
    SQ_PERSON_GET_RANGE,
    SQ_PERSON_GET_OWN,
    SQ_PERSON_LIST_RANGE,
    SQ_PERSON_LIST_OWN,
    SQ_PERSON_LIST_BY_ID,
    SQ_PERSON_LIST_BY_PHONE,
    SQ_HH_INSERT,
    SQ_HH_UPDATE,
    SQ_HH_MEMBERS,
    SQ_HH_DELETE,
    SQ_HH_GET_SYS,
    SQ_HH_GET_RANGE,
    SQ_HH_GET_OWN,
    SQ_HH_GET_CODE,
    SQ_HH_LIST_RANGE,
    SQ_HH_LIST_OWN,
    SQ_HOUSE_INSERT,
    SQ_HOUSE_UPDATE,
    SQ_HOUSE_UNLINK,
    SQ_HOUSE_DELETE,
    SQ_HOUSE_GET_SYS,
    SQ_HOUSE_GET_RANGE,
    SQ_HOUSE_GET_OWN,
    SQ_HOUSE_LIST_RANGE,
    SQ_HOUSE_LIST_OWN,
    /* issue 4: category counts per 32-day bucket (sqlite_stats.c) */
    SQ_STAT_CAT32_ADD,
    SQ_STAT_LOG_ADD,
    SQ_STAT_LOG_TAKE,
    SQ_STAT_LOG_ANY,
    /* issue 6: service orders, points, the points store */
    SQ_ORDER_INSERT,
    SQ_ORDER_UPDATE,
    SQ_ORDER_ATTACH,
    SQ_ORDER_ATTACHMENTS,
    SQ_POINTS_OPEN,
    SQ_POINTS_MOVE,
    SQ_POINTS_INSERT,
    SQ_POINTS_ACCOUNT,
    SQ_POINTS_ENTRIES,
    SQ_POINTS_BOARD,
    SQ_ITEM_INSERT,
    SQ_ITEM_UPDATE,
    SQ_ITEM_GET,
    SQ_ITEM_LIST,
    SQ_ITEM_TAKE,
    SQ_REDEEM_INSERT,
    SQ_REDEEM_LIST_USER,
    SQ_REDEEM_LIST_PATH,
    SQ_VISIT_INSERT,
    SQ_VISIT_LIST,
    SQ_VISIT_LATEST,
    /* issue 6: deliberation and disclosure */
    SQ_TOPIC_INSERT,
    SQ_TOPIC_UPDATE,
    SQ_TOPIC_GET,
    SQ_TOPIC_LIST,
    SQ_TOPIC_SUPPORT_ADD,
    SQ_TOPIC_VOTE_ADD,
    SQ_TOPIC_RATING_ADD,
    SQ_TOPIC_MEETING_SET,
    SQ_TOPIC_ATTENDEE_ADD,
    SQ_TOPIC_ATTENDEES,
    SQ_TOPIC_MINUTES,
    SQ_TOPIC_MINE,
    SQ_TOPIC_NOTE_INSERT,
    SQ_TOPIC_NOTES,
    SQ_DISC_INSERT,
    SQ_DISC_ITEM_INSERT,
    SQ_DISC_GET,
    SQ_DISC_ITEMS,
    SQ_DISC_LIST,
    /* issue 6: party organisation, key tasks */
    SQ_PARTY_ORG_INSERT,
    SQ_PARTY_ORG_SET_PATH,
    SQ_PARTY_ORG_GET,
    SQ_PARTY_ORG_LIST,
    SQ_PARTY_MEMBER_INSERT,
    SQ_PARTY_MEMBER_GET,
    SQ_PARTY_MEMBER_BY_USER,
    SQ_PARTY_MEMBER_LIST,
    SQ_REPORT_IN_INSERT,
    SQ_REPORT_IN_LIST,
    SQ_COVER_INSERT,
    SQ_COVER_DELETE,
    SQ_COVER_GET,
    SQ_COVER_LIST,
    SQ_COVER_AT,
    SQ_MEETING_INSERT,
    SQ_MEETING_GET,
    SQ_MEETING_LIST,
    SQ_ATTEND_SET,
    SQ_ATTEND_LIST,
    SQ_MEETING_FACTS,
    SQ_TASK_INSERT,
    SQ_TASK_UPDATE,
    SQ_TASK_GET,
    SQ_TASK_LIST,
    SQ_MILESTONE_INSERT,
    SQ_MILESTONE_UPDATE,
    SQ_MILESTONE_GET,
    SQ_MILESTONE_LIST,
    SQ_MILESTONE_OVERDUE,
    SQ_TASK_REPORT_INSERT,
    SQ_TASK_REPORT_LIST,
    /* issue 6 item 8: participation in the rankings (sqlite_rank.c) */
    SQ_RANK_ORDERS,
    SQ_RANK_VISITS,
    SQ_RANK_BRANCHES,
    SQ_RANK_MEETINGS,
    SQ_RANK_TASKS,
    SQ_RANK_CADRES,
    SQ__COUNT
};

#define SQ_DYN_CACHE 8 /* dynamic statements (list filters) kept per connection */

struct store_sqlite {
    struct store base; /* first: a struct store * is a struct store_sqlite * */
    sqlite3 *db;
    sqlite3_stmt *stmts[SQ__COUNT];
    sqlite3_stmt *dyn[SQ_DYN_CACHE]; /* sqlite_db_prepare_cached, by SQL text */
    unsigned dyn_next;
    struct sqlite_ckpt *ckpt; /* background checkpoints, from the first write transaction */
    bool ckpt_tried;
    /* the WAL file, opened by the writer for log_sync once it defers its syncs (-1 before) */
    atomic_int wal_fd;
    bool wal_tried;
    /* issue 3: gridgov copy's insert, prepared for the table last written */
    sqlite3_stmt *copy_st;
    const struct store_table *copy_t;
};

/* sqlite_ckpt.c: checkpoints the WAL of `writer` on a thread of its own (NULL when it could
 * not start: SQLite's automatic checkpoint then stays in place). */
struct sqlite_ckpt *sqlite_ckpt_start(sqlite3 *writer);
void sqlite_ckpt_stop(struct sqlite_ckpt *c, sqlite3 *writer);
/* On the writer's thread, outside a transaction: the RESTART checkpoint that a WAL grown too
 * long asked for, if any (the next transaction then writes the log from its start). */
void sqlite_ckpt_due(struct sqlite_ckpt *c, sqlite3 *writer);
/* sqlite_vfs.c: the name of the VFS that gathers WAL writes ("gridgov"), registered on first
 * use; NULL (SQLite's default) if it could not be. */
const char *sqlite_vfs_name(void);
/* While on (this thread only), a sync of a WAL file opened through that VFS writes its frames
 * but does not sync them: the caller syncs the log itself (tx_commit_nosync, log_sync). */
void sqlite_vfs_defer_syncs(bool on);

#define SQLITE_BUSY_MS 5000 /* every connection's busy timeout */

static inline struct store_sqlite *sq_of(struct store *s)
{
    return (struct store_sqlite *)s;
}

/* The cached statement `id`, prepared from `sql` on first use. Returns 0 or a GG_E*. The
 * caller resets it with sq_done() when finished. */
int sqlite_db_stmt(struct store_sqlite *q, enum sq_stmt id, const char *sql, sqlite3_stmt **out);
/* Steps st (bound) for one row and reads its first column into *out; resets st. A statement
 * that returns no row is an error (use count(*) or coalesce(max(…), 0)). */
int sqlite_db_int64(struct store_sqlite *q, sqlite3_stmt *st, int64_t *out, const char *what);
/* Prepares an uncached statement (dynamic SQL); caller finalizes. */
/* A dynamic statement kept per connection by its SQL text (the few filter combinations a
 * list sees again and again); the caller resets it with sqlite_db_done(), never finalizes. */
int sqlite_db_prepare_cached(struct store_sqlite *q, const char *sql, sqlite3_stmt **out);
int sqlite_db_prepare(struct store_sqlite *q, const char *sql, sqlite3_stmt **out);
/* Logs the native error for `rc` (with `what`) and returns the GG_E* it translates to:
 * unique/primary key → -GG_ECONFLICT, foreign key → -GG_ENOTFOUND, busy/locked →
 * -GG_EUNAVAILABLE, out of memory → -GG_ENOMEM, others -GG_EIO. */
int sqlite_db_error(struct store_sqlite *q, int rc, const char *what);
/* Steps a statement that returns no rows to completion, then resets it. */
int sqlite_db_run(struct store_sqlite *q, sqlite3_stmt *st, const char *what);
/* Reset and clear bindings, so that no bound pointer outlives the call. */
void sqlite_db_done(sqlite3_stmt *st);
/* Copies a text column (NULL → "") into dst[sz]. */
void sqlite_db_col_text(sqlite3_stmt *st, int col, char *dst, size_t sz);
/* Binds text with SQLITE_STATIC (the caller keeps it alive until sqlite_db_done). */
void sqlite_db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Binds a subtree test "col >= ?i AND col < ?(i+1)": path to ?i and its upper bound
 * (scope_upper_bound, written into upper[GG_PATH_SZ], which must outlive the statement's use)
 * to ?(i+1). */
void sqlite_db_bind_subtree(sqlite3_stmt *st, int i, const char *path, char *upper);
/* Grows a heap array of `elem` bytes so that index `n` fits. */
int sqlite_db_grow(void **items, size_t *cap, size_t n, size_t elem);
/* Steps a bound statement to its end, reading each row with read(st, row, ctx) into a heap
 * array of elem-byte rows (*items, *n; NULL and 0 when no rows); resets the statement. */
int sqlite_db_collect(struct store_sqlite *q, sqlite3_stmt *st, size_t elem,
                      void (*read)(sqlite3_stmt *st, void *row, void *ctx), void *ctx,
                      void **items, size_t *n, const char *what);
/* Clamp a list limit to 1..max (non-positive → def). */
int sqlite_db_limit(int limit, int def, int max);

/* Per-resource operations (assembled into the ops table in sqlite_db.c). */
int sqlite_orgs_insert(struct store *s, struct org *o, const char *boundary, struct gg_error *err);
int sqlite_orgs_update(struct store *s, const struct org *o, const char *boundary,
                       struct gg_error *err);
int sqlite_orgs_get(struct store *s, int64_t id, struct org *out);
int sqlite_orgs_get_by_code(struct store *s, const char *code, struct org *out);
int sqlite_orgs_boundary(struct store *s, int64_t id, char **geojson);
int sqlite_orgs_list(struct store *s, const struct org_filter *f, struct org **items, size_t *n);
int sqlite_orgs_grids_each(struct store *s,
                           int (*fn)(void *ctx, const struct org *grid, const char *geojson),
                           void *ctx);
int sqlite_orgs_departments(struct store *s, struct org **items, size_t *n);
int sqlite_orgs_count(struct store *s, int64_t *n);

int sqlite_users_category_upsert(struct store *s, const struct category *c, bool *created);
int sqlite_users_category_get(struct store *s, const char *code, struct category *out);
int sqlite_users_category_list(struct store *s, struct category **items, size_t *n);
int sqlite_users_insert(struct store *s, struct user *u, const char *pw_hash,
                        struct gg_error *err);
int sqlite_users_get(struct store *s, int64_t id, struct user *out);
int sqlite_users_get_by_name(struct store *s, const char *username, struct user *out,
                             char *pw_hash);
int sqlite_users_list(struct store *s, const char *scope_path, int64_t after_id, int limit,
                      struct user **items, size_t *n);
int sqlite_users_login_failure_add(struct store *s, const char *username, int64_t at);
int sqlite_users_login_failure_count(struct store *s, const char *username, int64_t since,
                                     int *n);
int sqlite_users_login_failure_clear(struct store *s, const char *username);
int sqlite_users_token_insert(struct store *s, const char *token_hash, int64_t user_id,
                              int64_t expires_at);
int sqlite_users_token_get(struct store *s, const char *token_hash, int64_t now,
                           struct user *out, int64_t *expires_at);
int sqlite_users_token_delete(struct store *s, const char *token_hash);

int sqlite_events_insert(struct store *s, struct event *e);
int sqlite_events_update(struct store *s, const struct event *e);
int sqlite_events_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct event *out);
int sqlite_events_list(struct store *s, const struct event_filter *f,
                       const struct store_scope *scope, struct event **items, size_t *n);
int sqlite_events_nearby(struct store *s, const char *category, double min_lat, double max_lat,
                         double min_lon, double max_lon, int64_t since, int64_t exclude_id,
                         int limit, struct event **items, size_t *n);
int sqlite_events_overdue(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
int sqlite_events_count_by_status(struct store *s, int64_t counts[EVENT_STATUS__COUNT]);
int sqlite_events_timeline_insert(struct store *s, const struct timeline_entry *t);
int sqlite_events_timeline_list(struct store *s, int64_t event_id, struct timeline_entry **items,
                                size_t *n);
int sqlite_events_whistle_insert(struct store *s, const struct whistle *w);
int sqlite_events_whistle_report_in(struct store *s, int64_t event_id, int64_t dept_org_id,
                                    int64_t at);
int sqlite_events_whistle_list(struct store *s, int64_t event_id, struct whistle **items,
                               size_t *n);
int sqlite_events_attachment_insert(struct store *s, struct attachment *a);
int sqlite_events_attachment_get(struct store *s, int64_t id, struct attachment *out);
int sqlite_events_attach(struct store *s, int64_t event_id, int64_t attachment_id);
int sqlite_events_attachments(struct store *s, int64_t event_id, int64_t **ids, size_t *n);
int sqlite_events_attachment_events(struct store *s, int64_t attachment_id, int64_t **ids,
                                    size_t *n);

int sqlite_audit_append(struct store *s, struct audit_entry *e);
int sqlite_audit_list(struct store *s, const char *object_type, int64_t object_id,
                      int64_t after_id, int limit, struct audit_entry **items, size_t *n);
int sqlite_audit_verify(struct store *s, struct audit_verify_result *out);

/* issue 4 (sqlite_stats.c, sqlite_notify.c; the row reader of sqlite_events.c) */
extern const char sqlite_events_cols[];
void sqlite_events_read_row(sqlite3_stmt *st, struct event *e);
int sqlite_stats_add(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas);
int sqlite_stats_cat_add(struct store *s, int64_t org_id, int64_t day, const char *category,
                         int64_t n);
int sqlite_stats_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int64_t *counts,
                     size_t n_metrics);
int sqlite_stats_series(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int metric,
                        int64_t *per_day);
int sqlite_stats_cat_sum(struct store *s, int64_t org_id, int64_t day0, int64_t day1,
                         int (*fn)(void *ctx, const char *code, int64_t n), void *ctx);
int sqlite_stats_scan(struct store *s, const char *org_path, int64_t from, int64_t to,
                      bool by_path,
                      int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return),
                      void *ctx);
int sqlite_stats_stale_colors(struct store *s, const char *org_path, int64_t from, int64_t to,
                              int64_t now, int64_t delta[COLOR__COUNT]);
int sqlite_stats_open_overdue(struct store *s, const char *org_path, int64_t due_from,
                              int64_t due_to, int (*fn)(void *ctx, int64_t day, int64_t n),
                              void *ctx);
int sqlite_stats_clear(struct store *s);
int sqlite_stats_log_add(struct store *s, const void *rec, size_t len);
int sqlite_stats_log_take(struct store *s, int (*fn)(void *ctx, const void *rec, size_t len),
                          void *ctx);
int sqlite_stats_log_any(struct store *s, bool *any);
int sqlite_stats_grids(struct store *s, const char *org_path, int64_t from, int64_t to,
                       int (*fn)(void *ctx, int64_t grid_id, int64_t n), void *ctx);
int sqlite_stats_points(struct store *s, const char *org_path, int64_t from, int64_t to, int limit,
                        int (*fn)(void *ctx, int64_t id, double lat, double lon,
                                  const char *category),
                        void *ctx);
int sqlite_stats_surge(struct store *s, const char *org_path, int64_t until,
                       int (*fn)(void *ctx, int64_t grid_id, const char *category, int week,
                                 int64_t n),
                       void *ctx);
int sqlite_notify_feed_insert(struct store *s, struct feed_entry *f);
int sqlite_notify_feed_newest(struct store *s, int64_t *id);
int sqlite_notify_feed_after(struct store *s, int64_t after_id, int limit,
                             struct feed_entry **items, size_t *n);
int sqlite_notify_message_insert(struct store *s, struct message *m);
int sqlite_notify_message_list(struct store *s, int64_t user_id, bool unread_only,
                               int64_t before_id, int limit, struct message **items, size_t *n);
int sqlite_notify_message_read(struct store *s, int64_t user_id, int64_t id, int64_t at);
int sqlite_notify_users_at(struct store *s, const char *scope_path, int roles_mask,
                           int64_t **ids, size_t *n);
int sqlite_notify_outbox_insert(struct store *s, const char *payload, int64_t at);
int sqlite_notify_outbox_due(struct store *s, int64_t now, int limit, struct outbox_item **items,
                             size_t *n);
int sqlite_notify_outbox_done(struct store *s, int64_t id, int64_t at);
int sqlite_notify_outbox_retry(struct store *s, int64_t id, int attempts, int64_t next_at,
                               const char *last_error);
int sqlite_eval_recolor_due(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
int sqlite_eval_set_mark(struct store *s, int64_t id, int color_mark, int64_t recolor_at);
int sqlite_eval_dept_rating_insert(struct store *s, const struct dept_rating *r);
int sqlite_eval_dept_rating_list(struct store *s, int64_t event_id, struct dept_rating **items,
                                 size_t *n);
int sqlite_eval_dept_stats(struct store *s, const char *dept_path, int64_t from, int64_t to,
                           struct dept_stat **items, size_t *n);
int sqlite_eval_property_insert(struct store *s, struct property_company *c);
int sqlite_eval_property_update(struct store *s, const struct property_company *c);
int sqlite_eval_property_get(struct store *s, int64_t id, struct property_company *out);
int sqlite_eval_property_list(struct store *s, struct property_company **items, size_t *n);
int sqlite_eval_property_areas_set(struct store *s, int64_t company_id,
                                   const struct property_area *areas, size_t n);
int sqlite_eval_property_areas(struct store *s, int64_t company_id, struct property_area **items,
                               size_t *n);
int sqlite_eval_property_complaints(struct store *s, const char *path, int64_t from, int64_t to,
                                    const char (*codes)[GG_CODE_SZ], size_t n_codes,
                                    int64_t *events, int64_t *rated, int64_t *satisfied);
/* binds ?i/?i+1 as the subtree range of path ("" = everything); upper[GG_PATH_SZ] must outlive
 * the statement's use */
void sqlite_stats_bind_subtree(sqlite3_stmt *st, int i, const char *path, char *upper);

/* issue 6 (sqlite_people.c) */
int sqlite_people_person_insert(struct store *s, struct person *p);
int sqlite_people_person_update(struct store *s, const struct person *p);
int sqlite_people_person_delete(struct store *s, int64_t id);
int sqlite_people_person_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct person *out);
int sqlite_people_person_list(struct store *s, const struct person_filter *f,
                              const struct store_scope *scope, struct person **items, size_t *n);
int sqlite_people_household_insert(struct store *s, struct household *h);
int sqlite_people_household_update(struct store *s, const struct household *h);
int sqlite_people_household_delete(struct store *s, int64_t id);
int sqlite_people_household_get(struct store *s, int64_t id, const struct store_scope *scope,
                                struct household *out);
int sqlite_people_household_get_by_code(struct store *s, const char *code, struct household *out);
int sqlite_people_household_list(struct store *s, const struct household_filter *f,
                                 const struct store_scope *scope, struct household **items,
                                 size_t *n);
int sqlite_people_house_insert(struct store *s, struct house *h);
int sqlite_people_house_update(struct store *s, const struct house *h);
int sqlite_people_house_delete(struct store *s, int64_t id);
int sqlite_people_house_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct house *out);
int sqlite_people_house_list(struct store *s, const struct house_filter *f,
                             const struct store_scope *scope, struct house **items, size_t *n);
/* issue 6 (sqlite_orders.c) */
int sqlite_orders_insert(struct store *s, struct service_order *o);
int sqlite_orders_update(struct store *s, const struct service_order *o);
int sqlite_orders_get(struct store *s, int64_t id, const struct store_scope *scope, int64_t now,
                      struct service_order *out);
int sqlite_orders_list(struct store *s, const struct service_filter *f,
                       const struct store_scope *scope, struct service_order **items, size_t *n);
int sqlite_orders_attach(struct store *s, int64_t order_id, int64_t attachment_id);
int sqlite_orders_attachments(struct store *s, int64_t order_id, int64_t **ids, size_t *n);
int sqlite_orders_points_post(struct store *s, struct points_entry *e);
int sqlite_orders_points_account(struct store *s, int64_t user_id, struct points_account *out);
int sqlite_orders_points_entries(struct store *s, int64_t user_id, int64_t before_id, int limit,
                                 struct points_entry **items, size_t *n);
int sqlite_orders_points_leaderboard(struct store *s, const char *path, int limit,
                                     struct points_rank **items, size_t *n);
int sqlite_orders_item_insert(struct store *s, struct store_item *it);
int sqlite_orders_item_update(struct store *s, const struct store_item *it);
int sqlite_orders_item_get(struct store *s, int64_t id, struct store_item *out);
int sqlite_orders_item_list(struct store *s, const char *scope_path, bool active_only,
                            int64_t after_id, int limit, struct store_item **items, size_t *n);
int sqlite_orders_item_take(struct store *s, int64_t id, int quantity, int64_t now);
int sqlite_orders_redemption_insert(struct store *s, struct redemption *r);
int sqlite_orders_redemption_list(struct store *s, int64_t user_id, const char *path,
                                  int64_t before_id, int limit, struct redemption **items,
                                  size_t *n);
/* issue 6 item 8 (sqlite_rank.c) */
int sqlite_rank_orders(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_orders_row **items, size_t *n);
int sqlite_rank_visits(struct store *s, const char *path, const int days[VISIT_TAG__COUNT],
                       int64_t from, int64_t until, struct rank_visits_row **items, size_t *n);
int sqlite_rank_branches(struct store *s, const char *path, struct rank_branch_row **items,
                         size_t *n);
int sqlite_rank_meetings(struct store *s, const char *path, int64_t from_days, int64_t to_days,
                         struct rank_meeting_row **items, size_t *n);
int sqlite_rank_tasks(struct store *s, const char *path, int64_t before, int64_t today,
                      int warn_days, struct rank_task_row **items, size_t *n);
int sqlite_rank_cadres(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_cadre_row **items, size_t *n);
/* issue 6 (sqlite_visits.c) */
int sqlite_visits_insert(struct store *s, struct visit *v);
int sqlite_visits_list(struct store *s, const char *path, int64_t person_id, int64_t household_id,
                       int64_t before_id, int limit, struct visit **items, size_t *n);
int sqlite_visits_latest(struct store *s, const char *path, int limit, struct visit **items,
                         size_t *n);

/* issue 6: deliberation and disclosure (sqlite_topics.c) */
int sqlite_topics_insert(struct store *s, struct topic *t);
int sqlite_topics_update(struct store *s, const struct topic *t);
int sqlite_topics_get(struct store *s, int64_t id, const struct store_scope *scope,
                      struct topic *out);
int sqlite_topics_list(struct store *s, const struct topic_filter *f,
                       const struct store_scope *scope, struct topic **items, size_t *n);
int sqlite_topics_support_add(struct store *s, int64_t topic_id, int64_t user_id, int64_t at);
int sqlite_topics_vote_add(struct store *s, int64_t topic_id, int64_t user_id,
                           enum vote_choice choice, int64_t at);
int sqlite_topics_rating_add(struct store *s, int64_t topic_id, int64_t user_id, int stars,
                             const char *comment, int64_t at);
int sqlite_topics_meeting_set(struct store *s, int64_t topic_id, const char *minutes,
                              const int64_t *attendees, size_t n);
int sqlite_topics_attendees(struct store *s, int64_t topic_id, int64_t **ids, size_t *n);
int sqlite_topics_minutes(struct store *s, int64_t topic_id, char **minutes);
int sqlite_topics_mine(struct store *s, int64_t topic_id, int64_t user_id,
                       struct topic_mine *out);
int sqlite_topics_note_insert(struct store *s, struct topic_note *n);
int sqlite_topics_notes(struct store *s, int64_t topic_id, struct topic_note **items, size_t *n);
int sqlite_topics_disclosure_insert(struct store *s, struct disclosure *d,
                                    const struct disclosure_item *items, size_t n);
int sqlite_topics_disclosure_get(struct store *s, int64_t id, const struct store_scope *scope,
                                 struct disclosure *out);
int sqlite_topics_disclosure_items(struct store *s, int64_t id, struct disclosure_item **items,
                                   size_t *n);
int sqlite_topics_disclosure_list(struct store *s, const struct disclosure_filter *f,
                                  const struct store_scope *scope, struct disclosure **items,
                                  size_t *n);
/* issue 3: sqlite_copy.c */
int sqlite_copy_read(struct store *s, const struct store_table *t,
                     int (*row)(void *ctx, const char *const *vals), void *ctx);
int sqlite_copy_write(struct store *s, const struct store_table *t, const char *const *vals);
int sqlite_copy_done(struct store *s);


/* issue 6: party organisation, key tasks (sqlite_party.c) */
int sqlite_party_org_insert(struct store *s, struct party_org *p);
int sqlite_party_org_get(struct store *s, int64_t id, const struct store_scope *scope,
                         struct party_org *out);
int sqlite_party_org_list(struct store *s, const char *org_path, int kind, int64_t parent_id,
                          const struct store_scope *scope, int64_t after_id, int limit,
                          struct party_org **items, size_t *n);
int sqlite_party_member_insert(struct store *s, struct party_member *m);
int sqlite_party_member_get(struct store *s, int64_t id, const struct store_scope *scope,
                            struct party_member *out);
int sqlite_party_member_by_user(struct store *s, int64_t user_id, struct party_member *out);
int sqlite_party_member_list(struct store *s, const char *party_path,
                             const struct store_scope *scope, int64_t after_id, int limit,
                             struct party_member **items, size_t *n);
int sqlite_party_report_in_insert(struct store *s, struct report_in *r);
int sqlite_party_report_in_list(struct store *s, const char *org_path, int64_t member_id,
                                const struct store_scope *scope, int64_t after_id, int limit,
                                struct report_in **items, size_t *n);
int sqlite_party_cover_insert(struct store *s, struct cover *c);
int sqlite_party_cover_delete(struct store *s, int64_t id);
int sqlite_party_cover_get(struct store *s, int64_t id, const struct store_scope *scope,
                           struct cover *out);
int sqlite_party_cover_list(struct store *s, const char *org_path, int64_t user_id,
                            const struct store_scope *scope, int64_t after_id, int limit,
                            struct cover **items, size_t *n);
int sqlite_party_cover_for_path(struct store *s, const char *path, struct cover **items,
                                size_t *n);
int sqlite_party_meeting_insert(struct store *s, struct party_meeting *m);
int sqlite_party_meeting_get(struct store *s, int64_t id, const struct store_scope *scope,
                             struct party_meeting *out);
int sqlite_party_meeting_list(struct store *s, const char *party_path, int kind,
                              int64_t from_days, int64_t to_days, const struct store_scope *scope,
                              int64_t after_id, int limit, struct party_meeting **items,
                              size_t *n);
int sqlite_party_attendance_set(struct store *s, int64_t meeting_id, int64_t member_id,
                                enum attendance status);
int sqlite_party_attendance_list(struct store *s, int64_t meeting_id,
                                 struct meeting_attendance **items, size_t *n);
int sqlite_party_meeting_facts(struct store *s, const char *party_path, int64_t from_days,
                               int64_t to_days, int (*fn)(void *ctx, int kind, int64_t held_days),
                               void *ctx);
int sqlite_party_task_insert(struct store *s, struct task *t);
int sqlite_party_task_update(struct store *s, const struct task *t);
int sqlite_party_task_get(struct store *s, int64_t id, const struct store_scope *scope,
                          struct task *out);
int sqlite_party_task_list(struct store *s, const char *org_path, int64_t leader_id,
                           const struct store_scope *scope, int64_t after_id, int limit,
                           struct task **items, size_t *n);
int sqlite_party_milestone_insert(struct store *s, struct task_milestone *m);
int sqlite_party_milestone_update(struct store *s, const struct task_milestone *m);
int sqlite_party_milestone_get(struct store *s, int64_t id, struct task_milestone *out);
int sqlite_party_milestone_list(struct store *s, int64_t task_id, struct task_milestone **items,
                                size_t *n);
int sqlite_party_milestone_overdue(struct store *s, int64_t today, int limit,
                                   struct task_milestone **items, size_t *n);
int sqlite_party_task_report_insert(struct store *s, struct task_report *r);
int sqlite_party_task_report_list(struct store *s, int64_t task_id, struct task_report **items,
                                  size_t *n);

#endif
