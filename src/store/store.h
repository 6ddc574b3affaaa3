/* store.h - the one storage interface (STYLE.md "The storage interface").
 *
 * A `struct store` is one connection to one database. The backend is chosen by store_open()
 * from the URL: a file path is SQLite, "postgres://…" or "postgresql://…" PostgreSQL. Every
 * operation is a domain operation; values are always bound, never spliced into SQL; native
 * errors are translated here (unique violation → -GG_ECONFLICT) and never reach a client.
 *
 * Transactions are driven by app/: begin/commit/rollback, plus savepoints so that a group
 * commit can run many use cases in one transaction and undo one of them alone.
 *
 * Reads that take a `const struct store_scope *` apply the caller's role and scope in SQL
 * (events outside it are "not found" and never listed); pass NULL for system reads.
 *
 * Lists return heap arrays that the caller frees with free(). */
#ifndef GG_STORE_STORE_H
#define GG_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "core/model.h"
#include "core/party.h"
#include "core/people.h"
#include "core/points.h"
#include "core/service.h"
#include "core/visit.h"
#include "core/topic.h"
#include "core/task.h"

struct store_scope {
    enum role role;
    int64_t user_id;
    char path[GG_PATH_SZ]; /* the scope org's path */
    int64_t person_id;     /* issue 6: the user's own person record (member, resident) */
};

/* Events visible to a scope (the SQL rule every event read applies):
 * - admin, command, leader, staff: org_path or assignee_path within the scope subtree;
 * - grid_officer: org_path within the scope subtree;
 * - handler: assignee_path within the scope subtree, or whistled to a department within it;
 * - member, resident: reporter_id == user_id. */
enum store_scope_family {
    STORE_SCOPE_NONE, /* unknown roles: see nothing */
    STORE_SCOPE_WIDE,
    STORE_SCOPE_GRID,
    STORE_SCOPE_HANDLER,
    STORE_SCOPE_OWN
};
enum store_scope_family store_scope_family(enum role r);

struct event_filter {
    int status;                /* enum event_status, -1 = any */
    int color;                 /* enum color, -1 = any; computed against `now` in SQL */
    char category[GG_CODE_SZ]; /* "" = any; a 大类 code matches its 小类 (prefix) */
    int source;                /* enum event_source, -1 = any */
    char org_path[GG_PATH_SZ]; /* "" = any; location or assignee within this subtree */
    int64_t from, to;          /* reported_at in [from, to); 0 = unbounded */
    char q[GG_NAME_SZ];        /* "" = none; substring of description or address, verbatim */
    int64_t reporter_id;       /* 0 = any */
    int64_t before_id;         /* cursor: only ids < before_id; 0 = from the newest */
    int limit;                 /* 1..1000 (app/ asks for one more than it shows) */
    int64_t now;               /* for colour */
};

struct org_filter {
    int64_t parent_id;          /* 0 = any */
    int kind;                   /* enum org_kind, -1 = any */
    char scope_path[GG_PATH_SZ]; /* "" = any; only nodes within this subtree */
    int64_t after_id;           /* cursor: ids > after_id, ascending */
    int limit;
};

struct attachment {
    int64_t id;
    char sha256[65];
    int64_t size;
    char content_type[32];
    int64_t uploader_id;
    int64_t created_at;
};

struct whistle {
    int64_t event_id;
    int64_t dept_org_id;
    char dept_path[GG_PATH_SZ];
    int64_t due_at;      /* report-in deadline */
    int64_t reported_at; /* 0 until the department reports in */
};

struct audit_entry {
    int64_t id;
    int64_t at;
    int64_t actor_id; /* 0 = the system */
    char action[48];
    char object_type[32];
    int64_t object_id;
    char detail[GG_NOTE_SZ]; /* short JSON or text */
    char prev_hash[65];      /* hex SHA-256 of the previous entry, "" for the first */
    char hash[65];
};

struct audit_verify_result {
    int64_t checked;
    int64_t first_bad_id; /* 0 when the chain is intact */
    char problem[256];    /* e.g. "entry 17 was edited", "entry 9 is missing (deleted)" */
};

/* ---- issue 4: the live feed, in-app messages, the webhook outbox ---- */
/* One state change (a timeline step) as the live feed shows it; id is the SSE event id. */
struct feed_entry {
    int64_t id;
    int64_t at;
    int64_t event_id;
    int action; /* enum event_action */
    int from_status, to_status;
    int64_t actor_id;
    int64_t reporter_id;
    int64_t grid_id;
    int64_t assignee_org_id;
    char org_path[GG_PATH_SZ];
    char assignee_path[GG_PATH_SZ];
    char category[GG_CODE_SZ];
};

struct message {
    int64_t id;
    int64_t user_id;
    int64_t at;
    char kind[24]; /* assignment, overdue, supervise, whistle */
    int64_t event_id;
    char title[256];
    char body[GG_NOTE_SZ];
    int64_t read_at; /* 0 while unread */
};

struct outbox_item {
    int64_t id;
    int64_t created_at;
    int attempts;
    int64_t next_at;
    char *payload; /* heap; freed by store_outbox_items_free */
};
void store_outbox_items_free(struct outbox_item *items, size_t n);

/* issue 4: department reverse evaluation (部门反向评价) after a whistle */
struct dept_rating {
    int64_t event_id;
    int64_t dept_org_id;
    int score; /* 1..5 */
    char note[GG_NOTE_SZ];
    int64_t rater_id;
    int64_t rater_org_id; /* the whistling unit the rater speaks for */
    int64_t at;
};

/* One department's whistles (of events reported in a period) and the ratings they got. */
struct dept_stat {
    int64_t dept_org_id;
    int64_t whistles;  /* times whistled */
    int64_t reported;  /* reported in (报到) */
    int64_t on_time;   /* reported in by the whistle's due time */
    int64_t ratings;   /* reverse evaluations received */
    int64_t score_sum; /* sum of their scores */
};

/* issue 6 item 8: what participation adds to the rankings (app/stats.c sums the rows per ranked
 * unit; the rules are core/indicators.c's and docs/indicators.md's) */
struct rank_orders_row { /* per community */
    char path[GG_PATH_SZ];
    int64_t orders, completed, rated, rating_sum;
};
struct rank_visits_row { /* per grid */
    char path[GG_PATH_SZ];
    int64_t due, on_time;
};
struct rank_branch_row { /* a 党支部 and the org node it leads */
    int64_t id;
    char path[GG_PATH_SZ];
};
struct rank_meeting_row { /* a day a branch (or a group under it) held a meeting of a kind */
    int64_t branch_id;
    int kind; /* enum meeting_kind */
    int64_t held_days;
};
struct rank_task_row { /* one task and its milestones counted against `today` */
    int64_t id;
    char path[GG_PATH_SZ];
    int64_t milestones, done, overdue, soon;
    int64_t budget, spend;
    int latest_percent; /* -1 without a monthly report */
};
struct rank_cadre_row { /* 下沉干部: a cadre or in-service member and their deeds */
    int64_t member_id;
    char name[GG_NAME_SZ];
    int kind; /* enum member_kind */
    int64_t party_org_id, user_id;
    char party_org_name[GG_NAME_SZ];
    int64_t report_ins, claimed, completed, rated, rating_sum, reviewed, review_sum, points;
};

/* issue 4: property companies (物业企业) and the areas (communities, grids) they serve */
struct property_company {
    int64_t id;
    char name[GG_NAME_SZ];
    int64_t created_at, updated_at;
};

struct property_area {
    int64_t company_id;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    int households; /* households served in that area */
};

/* ---- issue 6: people, households, houses ----
 * Reads apply the scope in SQL: admin, command, leader, staff, grid_officer see rows whose
 * org_path lies in their subtree; member and resident see only their own person record
 * (scope->person_id) and its household; handler sees nothing. Lists ascend by id. */
struct person_filter {
    char org_path[GG_PATH_SZ]; /* "" = any; within this subtree */
    int64_t household_id;      /* 0 = any */
    uint32_t tags;             /* 0 = any; else rows with at least one of these tags */
    int party_member;          /* -1 = any, 0, 1 */
    int volunteer;             /* -1 = any, 0, 1 */
    char q[GG_NAME_SZ];        /* "" = any; substring of the name, verbatim */
    bool by_id_blind, by_phone_blind; /* exact lookup by blind index */
    uint8_t id_blind[GG_BLIND_SZ], phone_blind[GG_BLIND_SZ];
    int64_t after_id;          /* cursor */
    int limit;                 /* 1..1000 */
};
struct household_filter {
    char org_path[GG_PATH_SZ];
    int color;          /* -1 = any */
    char code[GG_CODE_SZ]; /* "" = any */
    int64_t after_id;
    int limit;
};
struct house_filter {
    char org_path[GG_PATH_SZ];
    int use; /* -1 = any */
    int64_t after_id;
    int limit;
};

/* ---- issue 6: service orders, points ---- */
/* Service orders visible to a scope (the SQL rule every order read applies):
 * - admin, command, leader, staff: community_path within the scope subtree;
 * - member: orders it asked or claimed, and published (not expired) orders whose community lies
 *   within its scope subtree (a member's scope org is the community it reported to, 双报到);
 * - resident: orders it asked; grid_officer, handler: orders it asked (none in practice). */
struct service_filter {
    int status;                /* enum service_status (effective), -1 = any */
    char category[GG_CODE_SZ]; /* "" = any; a 大类 code matches its 小类 */
    char org_path[GG_PATH_SZ]; /* "" = any; the order's community within this subtree */
    int64_t asker_id;          /* 0 = any */
    int64_t claimer_id;        /* 0 = any */
    int64_t before_id;         /* cursor: ids < before_id; 0 = from the newest */
    int limit;                 /* 1..1000 */
    int64_t now;               /* for the effective status (expiry) */
};

/* A leaderboard row: the account with its owner's name. */
struct points_rank {
    struct points_account acct;
    char username[GG_MAX_USERNAME + 1];
    char display_name[GG_NAME_SZ];
};

/* ---- issue 6: deliberation and disclosure (议事协商, 公开栏; sqlite_topics.c) ----
 * A topic and a disclosure belong to a place (org_path, district_id). Reads apply the "place
 * rule" in SQL: admin, command, leader, staff, grid_officer see rows whose org_path lies in
 * their subtree; member and resident see rows in their subtree and rows of the places that
 * contain them (their community's and their grid's: org_path a prefix of the scope's path);
 * handler sees nothing. */
struct topic {
    int64_t id;
    int64_t version;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    enum topic_status status;
    char title[GG_TITLE_SZ];
    char body[GG_TOPIC_BODY_SZ];
    int64_t proposer_id; /* user */
    int64_t threshold;   /* supports needed to second it (附议门槛), fixed when proposed */
    int64_t supports;
    int64_t n_attendees; /* of the meeting; the majority is counted against them */
    int64_t votes_for, votes_against, votes_abstain;
    int64_t ratings, rating_sum; /* 评议: count and sum of 1..5 */
    char meeting_place[GG_NAME_SZ];
    int64_t meeting_at;   /* when the 议事会 met, 0 before */
    int64_t published_at; /* 决议公开, 0 before */
    int64_t created_at, updated_at;
};
struct topic_filter {
    char org_path[GG_PATH_SZ]; /* "" = any; within this subtree */
    int status;                /* enum topic_status, -1 = any */
    bool board;                /* only published, executing, done (the public board) */
    int64_t proposer_id;       /* 0 = any */
    int64_t before_id;         /* cursor: ids < before_id, newest first; 0 = from the newest */
    int limit;                 /* 1..1000 */
};
/* one step of a topic's timeline: transitions, supports, votes (without the choice: the
 * ballot is secret), progress notes, evaluations */
struct topic_note {
    int64_t id;
    int64_t topic_id;
    int64_t at;
    int64_t actor_id;
    enum topic_action action;
    enum topic_status from_status, to_status;
    char note[GG_NOTE_SZ];
};
/* what one user did on a topic */
struct topic_mine {
    bool supported;
    int vote;   /* enum vote_choice, -1 = none */
    int rating; /* 1..5, 0 = none */
    bool attendee;
};
struct disclosure_item {
    char label[GG_NAME_SZ];
    int64_t amount_fen; /* 分 */
};
struct disclosure {
    int64_t id;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    enum disclosure_kind kind;
    char title[GG_TITLE_SZ];
    char body[GG_TOPIC_BODY_SZ];
    char period[GG_PERIOD_SZ];
    int64_t total_fen; /* the sum of the items */
    int n_items;
    int64_t author_id;
    int64_t published_at;
};
struct disclosure_filter {
    char org_path[GG_PATH_SZ];
    int kind;                  /* -1 = any */
    char period[GG_PERIOD_SZ]; /* "" = any; exact */
    int64_t before_id;
    int limit;
};

struct store;

/* issue 3: one table of the schema as `gridgov copy` moves it: its columns (the same on both
 * backends), their types ('i' integer, 'r' real, 't' text, 'T' text or
 * NULL, 'b' bytes as lowercase hex; NULL = all 'i')
 * and a total order of its rows (order_pg when PostgreSQL needs another spelling of it). */
struct store_table {
    const char *name;
    const char *cols;
    const char *types;
    const char *order;
    const char *order_pg;
};
/* Every table with data, parents before children; the schema bookkeeping (schema_migrations)
 * is not among them. */
extern const struct store_table store_tables[];
extern const size_t store_n_tables;
/* the number of columns of t, and the type of column i */
int store_table_ncols(const struct store_table *t);
char store_table_type(const struct store_table *t, int i);

struct store_ops {
    const char *name; /* "sqlite", "postgres" */
    void (*close)(struct store *s);
    /* A database without a gridgov schema gets the whole schema; one at this build's version
     * is left alone; an older or newer one is -GG_EUNAVAILABLE with err saying which and what
     * to run (`gridgov migrate`). */
    int (*init_schema)(struct store *s, struct gg_error *err);
    /* *have: the database's schema version (0 = none yet); *want: this build's */
    int (*schema_version)(struct store *s, int *have, int *want);
    /* Applies every pending forward-only step, each in its own transaction, recorded in the
     * table schema_migrations; *from and *to (may be NULL) get the versions before and after.
     * Safe to run from two processes at once: each step is applied once. */
    int (*migrate)(struct store *s, int *from, int *to, struct gg_error *err);

    int (*begin)(struct store *s);     /* BEGIN IMMEDIATE for SQLite */
    int (*commit)(struct store *s);
    /* The group-commit writer's commit with the log's sync left to log_sync, which may run on
     * another thread while this connection goes on with the next transaction: the commit is
     * visible at once and durable once a later log_sync returns 0, so its writers are answered
     * only then; *deferred false when it committed with the sync after all (SQLite without
     * its checkpointer or its VFS, GRIDGOV_SQLITE_SYNC_IN_COMMIT=1): nothing for log_sync to
     * do. SQLite: the WAL written, fdatasync() later; a failed fdatasync() ends the process
     * (as PostgreSQL's PANIC: the log may have lost pages that the kernel now calls clean).
     * NULL for backends whose commit syncs (PostgreSQL). */
    int (*commit_nosync)(struct store *s, bool *deferred);
    int (*log_sync)(struct store *s);
    int (*rollback)(struct store *s);
    int (*savepoint)(struct store *s);          /* nested: SAVEPOINT sp */
    int (*release)(struct store *s);            /* RELEASE sp */
    int (*rollback_to)(struct store *s);        /* ROLLBACK TO sp; RELEASE sp */
    /* One read snapshot for the reads of a request on a read connection (app_read_snapshot_*):
     * SQLite opens a deferred transaction, so the request's statements share one snapshot and
     * one WAL read lock instead of taking them each; read_end closes it. PostgreSQL: no-ops
     * (each statement its own snapshot, no extra round trips). */
    int (*read_begin)(struct store *s);
    int (*read_end)(struct store *s);

    /* orgs. insert fills id, path, depth, district_id from the parent (which must exist, else
     * -GG_ENOTFOUND); a duplicate code is -GG_ECONFLICT. boundary is GeoJSON text or NULL. */
    int (*org_insert)(struct store *s, struct org *o, const char *boundary, struct gg_error *err);
    /* updates code, name, households, department_kind, and the boundary when non-NULL */
    int (*org_update)(struct store *s, const struct org *o, const char *boundary,
                      struct gg_error *err);
    int (*org_get)(struct store *s, int64_t id, struct org *out);
    int (*org_get_by_code)(struct store *s, const char *code, struct org *out);
    /* *geojson is heap (caller frees), NULL when the node has no boundary */
    int (*org_boundary)(struct store *s, int64_t id, char **geojson);
    int (*org_list)(struct store *s, const struct org_filter *f, struct org **items, size_t *n);
    /* calls fn for every grid that has a boundary; stops early when fn returns non-zero and
     * returns that value */
    int (*org_grids_each)(struct store *s,
                          int (*fn)(void *ctx, const struct org *grid, const char *geojson),
                          void *ctx);
    int (*org_departments)(struct store *s, struct org **items, size_t *n);
    int (*org_count)(struct store *s, int64_t *n);

    /* catalog */
    int (*category_upsert)(struct store *s, const struct category *c, bool *created);
    int (*category_get)(struct store *s, const char *code, struct category *out);
    int (*category_list)(struct store *s, struct category **items, size_t *n);

    /* users, sessions, lockout */
    int (*user_insert)(struct store *s, struct user *u, const char *pw_hash,
                       struct gg_error *err); /* fills id; duplicate username -GG_ECONFLICT */
    int (*user_get)(struct store *s, int64_t id, struct user *out);
    /* pw_hash[256] receives the stored hash (may be NULL) */
    int (*user_get_by_name)(struct store *s, const char *username, struct user *out,
                            char *pw_hash);
    int (*user_list)(struct store *s, const char *scope_path, int64_t after_id, int limit,
                     struct user **items, size_t *n);
    int (*login_failure_add)(struct store *s, const char *username, int64_t at);
    int (*login_failure_count)(struct store *s, const char *username, int64_t since, int *n);
    int (*login_failure_clear)(struct store *s, const char *username);
    int (*token_insert)(struct store *s, const char *token_hash, int64_t user_id,
                        int64_t expires_at);
    /* -GG_ENOTFOUND when unknown or expired at `now`; fills the user */
    int (*token_get)(struct store *s, const char *token_hash, int64_t now, struct user *out,
                     int64_t *expires_at);
    int (*token_delete)(struct store *s, const char *token_hash);

    /* events. insert fills id and sets version = 1. update succeeds only when the stored
     * version equals e->version - 1 (the caller bumps it first), else -GG_ECONFLICT. */
    int (*event_insert)(struct store *s, struct event *e);
    int (*event_update)(struct store *s, const struct event *e);
    int (*event_get)(struct store *s, int64_t id, const struct store_scope *scope,
                     struct event *out);
    /* newest first (id descending); *n <= f->limit */
    int (*event_list)(struct store *s, const struct event_filter *f,
                      const struct store_scope *scope, struct event **items, size_t *n);
    /* open events (not closed/rejected/merged) of `category` reported at or after `since`,
     * with lat/lon inside the box, excluding exclude_id; at most `limit` */
    int (*event_nearby)(struct store *s, const char *category, double min_lat, double max_lat,
                        double min_lon, double max_lon, int64_t since, int64_t exclude_id,
                        int limit, struct event **items, size_t *n);
    /* ids of registered/dispatched/in_progress events, not suspended, escalate_at <= now and
     * level < LEVEL_DISTRICT; at most `limit` */
    int (*event_overdue)(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
    int (*event_count_by_status)(struct store *s, int64_t counts[EVENT_STATUS__COUNT]);
    int (*timeline_insert)(struct store *s, const struct timeline_entry *t);
    int (*timeline_list)(struct store *s, int64_t event_id, struct timeline_entry **items,
                         size_t *n);
    /* whistle: insert a (event, department) pair, -GG_ECONFLICT if already there */
    int (*whistle_insert)(struct store *s, const struct whistle *w);
    /* marks reported_at for the department pair; -GG_ENOTFOUND when no such pair */
    int (*whistle_report_in)(struct store *s, int64_t event_id, int64_t dept_org_id, int64_t at);
    int (*whistle_list)(struct store *s, int64_t event_id, struct whistle **items, size_t *n);
    /* issue 3, optional (NULL: the caller makes the four reads): event_get, and when found the
     * event's timeline_list, event_attachments and whistle_list, in one round trip
     * (PostgreSQL: one pipeline). The lists are heap, as from those ops. */
    int (*event_get_view)(struct store *s, int64_t id, const struct store_scope *scope,
                          struct event *out, struct timeline_entry **tl, size_t *n_tl,
                          int64_t **att, size_t *n_att, struct whistle **w, size_t *n_w);

    /* attachments: one row per (sha256, uploader); the same bytes uploaded again by the same user
     * return the existing row. The file itself is stored once per sha256 by app/. */
    int (*attachment_insert)(struct store *s, struct attachment *a);
    int (*attachment_get)(struct store *s, int64_t id, struct attachment *out);
    int (*event_attach)(struct store *s, int64_t event_id, int64_t attachment_id);
    int (*event_attachments)(struct store *s, int64_t event_id, int64_t **ids, size_t *n);
    /* events that reference an attachment */
    int (*attachment_events)(struct store *s, int64_t attachment_id, int64_t **ids, size_t *n);

    /* audit: append computes prev_hash and hash (SHA-256 over prev_hash and the entry's
     * canonical text) and fills id; must be called inside the write transaction. */
    int (*audit_append)(struct store *s, struct audit_entry *e);
    int (*audit_list)(struct store *s, const char *object_type, int64_t object_id,
                      int64_t after_id, int limit, struct audit_entry **items, size_t *n);
    int (*audit_verify)(struct store *s, struct audit_verify_result *out);

    /* consistent copy of the whole database to `path` while others may write */
    int (*backup)(struct store *s, const char *path, struct gg_error *err);
    /* key/value settings (schema version, work calendar, …); *value heap, NULL if unset */
    int (*setting_get)(struct store *s, const char *key, char **value);
    int (*setting_set)(struct store *s, const char *key, const char *value);

    /* ---- issue 4: analysis counters (app/stats.c) ----
     * stat_daily(org_id, day) += deltas[0..STAT__COUNT) (core/indicators.h); org_id is each
     * ancestor of the event's place and day a UTC day number. Inside the write transaction. */
    int (*stat_add)(struct store *s, int64_t org_id, int64_t day, const int64_t *deltas);
    int (*stat_cat_add)(struct store *s, int64_t org_id, int64_t day, const char *category,
                        int64_t n);
    /* counts[0..n_metrics) = sums over days [day0, day1) of the org's counters */
    int (*stat_sum)(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int64_t *counts,
                    size_t n_metrics);
    /* per_day[0..day1-day0) = the metric's counter on each day */
    int (*stat_series)(struct store *s, int64_t org_id, int64_t day0, int64_t day1, int metric,
                       int64_t *per_day);
    int (*stat_cat_sum)(struct store *s, int64_t org_id, int64_t day0, int64_t day1,
                        int (*fn)(void *ctx, const char *code, int64_t n), void *ctx);
    /* every event located in the subtree (org_path prefix; "" = all) and reported in
     * [from, to), with its counts of dispatch and return steps; by_path: ordered by org_path
     * (each subtree one run, for the rebuild), else by time */
    int (*stat_scan)(struct store *s, const char *org_path, int64_t from, int64_t to,
                     bool by_path, int (*fn)(void *ctx, const struct event *e, int n_dispatch, int n_return),
                     void *ctx);
    /* open, not suspended events of the subtree reported in [from, to) whose colour mark is
     * stale at `now` (recolor_at in (0, now]): delta[c] = (events of colour c at now) − (events
     * marked c), so that the OPEN_* counters plus delta are the colours at `now` */
    int (*stat_stale_colors)(struct store *s, const char *org_path, int64_t from, int64_t to,
                             int64_t now, int64_t delta[COLOR__COUNT]);
    /* registered, open, not suspended events whose handle deadline is in [due_from, due_to),
     * by UTC day of that deadline */
    int (*stat_open_overdue)(struct store *s, const char *org_path, int64_t due_from,
                             int64_t due_to, int (*fn)(void *ctx, int64_t day, int64_t n),
                             void *ctx);
    int (*stat_clear)(struct store *s); /* empties the counters and their log (rebuild) */
    /* the counter log (app/stats.c): a group commit's counter deltas as one record
     * (core/statlog.h), written in its transaction and added to the counters later */
    int (*stat_log_add)(struct store *s, const void *rec, size_t len);
    /* removes every record of the log, passing each to fn (in a write transaction; a record
     * appended meanwhile by another server is either passed on and removed, or left) */
    int (*stat_log_take)(struct store *s, int (*fn)(void *ctx, const void *rec, size_t len),
                         void *ctx);
    int (*stat_log_any)(struct store *s, bool *any); /* is a record waiting? */
    /* events per grid of the subtree reported in [from, to) */
    int (*stat_grids)(struct store *s, const char *org_path, int64_t from, int64_t to,
                      int (*fn)(void *ctx, int64_t grid_id, int64_t n), void *ctx);
    /* locations of events of the subtree reported in [from, to), at most `limit` */
    int (*stat_points)(struct store *s, const char *org_path, int64_t from, int64_t to, int limit,
                       int (*fn)(void *ctx, int64_t id, double lat, double lon,
                                 const char *category),
                       void *ctx);
    /* counts per (grid, category, week) of the 63 days before `until`: week 0 = the last 7
     * days, 1..8 the trailing weeks */
    int (*stat_surge)(struct store *s, const char *org_path, int64_t until,
                      int (*fn)(void *ctx, int64_t grid_id, const char *category, int week,
                                int64_t n),
                      void *ctx);

    /* ---- issue 4: live feed, messages, webhook outbox (app/notify.c) ---- */
    /* fills id; PostgreSQL inside a transaction sends the row without waiting (pipeline mode)
     * and leaves id 0: the server numbers the rows in commit order */
    int (*feed_insert)(struct store *s, struct feed_entry *f);
    /* issue 3: waits up to timeout_ms for a feed row committed by any connection (any server)
     * after this connection started listening (its first call): 1 when one was, 0 on
     * timeout, negative on error. NULL when the backend cannot notify (SQLite: poll
     * feed_after instead). PostgreSQL: LISTEN/NOTIFY, one notification per commit. */
    int (*feed_wait)(struct store *s, int timeout_ms);
    /* the newest entry's id, 0 when the feed is empty */
    int (*feed_newest)(struct store *s, int64_t *id);
    /* entries with id > after_id, ascending, at most limit */
    int (*feed_after)(struct store *s, int64_t after_id, int limit, struct feed_entry **items,
                      size_t *n);
    int (*message_insert)(struct store *s, struct message *m); /* fills id */
    /* a user's messages, newest first, ids < before_id (0 = from the newest) */
    int (*message_list)(struct store *s, int64_t user_id, bool unread_only, int64_t before_id,
                        int limit, struct message **items, size_t *n);
    /* -GG_ENOTFOUND unless the message is the user's; reading twice keeps the first time */
    int (*message_read)(struct store *s, int64_t user_id, int64_t id, int64_t at);
    /* enabled users whose scope org is exactly scope_path and whose role bit is in roles_mask */
    int (*users_at)(struct store *s, const char *scope_path, int roles_mask, int64_t **ids,
                    size_t *n);
    /* issue 3, optional (NULL: users_at, then message_insert for each user): message m (its
     * at, kind, event_id, title and body) to each user users_at lists, in one statement. With
     * want_rows *rows gets the messages written (heap, id and user_id filled, ascending ids);
     * without, nothing is read back (PostgreSQL sends it without waiting, pipeline mode). */
    int (*messages_at)(struct store *s, const char *scope_path, int roles_mask,
                       const struct message *m, bool want_rows, struct message **rows,
                       size_t *n);
    int (*outbox_insert)(struct store *s, const char *payload, int64_t at);
    /* undelivered items with next_at <= now, oldest first */
    int (*outbox_due)(struct store *s, int64_t now, int limit, struct outbox_item **items,
                      size_t *n);
    int (*outbox_done)(struct store *s, int64_t id, int64_t at);
    int (*outbox_retry)(struct store *s, int64_t id, int attempts, int64_t next_at,
                        const char *last_error);

    /* ---- issue 4: colour marks (app/stats.c), department ratings, property companies ---- */
    /* ids of events whose colour mark is due to change (recolor_at in (0, now]), earliest
     * first, at most limit */
    int (*event_recolor_due)(struct store *s, int64_t now, int limit, int64_t **ids, size_t *n);
    /* stores a new mark without bumping the version (derived data, not an edit of the event);
     * -GG_ENOTFOUND when no such event */
    int (*event_set_mark)(struct store *s, int64_t id, int color_mark, int64_t recolor_at);
    /* one rating per (event, department): -GG_ECONFLICT when already rated */
    int (*dept_rating_insert)(struct store *s, const struct dept_rating *r);
    int (*dept_rating_list)(struct store *s, int64_t event_id, struct dept_rating **items,
                            size_t *n);
    /* per department within the subtree dept_path ("" = all): its whistles of events reported
     * in [from, to) and their ratings; departments never whistled are absent */
    int (*dept_stats)(struct store *s, const char *dept_path, int64_t from, int64_t to,
                      struct dept_stat **items, size_t *n);
    /* insert fills id; a duplicate name is -GG_ECONFLICT */
    int (*property_insert)(struct store *s, struct property_company *c);
    int (*property_update)(struct store *s, const struct property_company *c);
    int (*property_get)(struct store *s, int64_t id, struct property_company *out);
    /* every company, by id */
    int (*property_list)(struct store *s, struct property_company **items, size_t *n);
    /* replaces the company's areas; an org already served by another company is
     * -GG_ECONFLICT */
    int (*property_areas_set)(struct store *s, int64_t company_id,
                              const struct property_area *areas, size_t n);
    /* the areas of one company (0 = of every company), by company then org */
    int (*property_areas)(struct store *s, int64_t company_id, struct property_area **items,
                          size_t *n);
    /* events located in the subtree `path`, reported in [from, to), neither rejected nor
     * merged, whose category is one of codes[n_codes]: how many, how many rated, how many
     * rated satisfied or basic */
    int (*property_complaints)(struct store *s, const char *path, int64_t from, int64_t to,
                               const char (*codes)[GG_CODE_SZ], size_t n_codes, int64_t *events,
                               int64_t *rated, int64_t *satisfied);
    /* ---- issue 6 item 8: participation in the rankings (sqlite_rank.c, pg_rank.c) ----
     * Aggregates over the subtree `path` (an index range), one row per community, grid, task
     * or cadre; app/stats.c attributes them to the ranked units. */
    /* service orders of communities within path published in [from, to), not cancelled: how
     * many, completed (completed_at set), rated by the asker, the sum of those ratings; per
     * community_path */
    int (*rank_orders)(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_orders_row **items, size_t *n);
    /* 六必访 per grid within path: the visits whose subject was next due (the visit's time + the
     * shortest interval of its tags, days[tag] for each tag bit set; tags without an interval
     * never fall due) in [from, until), and of those, how many the subject got a later visit
     * (by time, then id) by the due time */
    int (*rank_visits)(struct store *s, const char *path, const int days[VISIT_TAG__COUNT],
                       int64_t from, int64_t until, struct rank_visits_row **items, size_t *n);
    /* the 党支部 (kind branch) whose org node lies within path, by id */
    int (*rank_branches)(struct store *s, const char *path, struct rank_branch_row **items,
                         size_t *n);
    /* for those branches, the distinct (kind, day) of the meetings held in [from, to) days by
     * the branch or a party org below it */
    int (*rank_meetings)(struct store *s, const char *path, int64_t from_days, int64_t to_days,
                         struct rank_meeting_row **items, size_t *n);
    /* tasks whose owner unit lies within path, created before `before`, with their milestones
     * counted: all, done, not done and due before today, not done and due in
     * [today, today + warn_days]; and the latest monthly report's percent */
    int (*rank_tasks)(struct store *s, const char *path, int64_t before, int64_t today,
                      int warn_days, struct rank_task_row **items, size_t *n);
    /* party members of kind cadre or in_service with report-ins (made before `to`) to
     * communities within path, by member id, with their party org's name: how many such
     * report-ins; the service orders of
     * communities within path they claimed in [from, to) (their account's user id), of those
     * completed, rated by the asker (count, sum), reviewed by the street (count, sum); the
     * points their account earned in [from, to) (positive ledger entries) */
    int (*rank_cadres)(struct store *s, const char *path, int64_t from, int64_t to,
                       struct rank_cadre_row **items, size_t *n);
    /* ---- issue 6: people, households, houses (sqlite_people.c) ----
     * insert fills id and sets version = 1; a second row with the same id-number blind index
     * (or household code) is -GG_ECONFLICT. update succeeds only when the stored version equals
     * version - 1 (the caller bumps it), else -GG_ECONFLICT; -GG_ENOTFOUND when the row is
     * gone. get and list apply the scope (NULL = system read). */
    int (*person_insert)(struct store *s, struct person *p);
    int (*person_update)(struct store *s, const struct person *p);
    int (*person_delete)(struct store *s, int64_t id);
    int (*person_get)(struct store *s, int64_t id, const struct store_scope *scope,
                      struct person *out);
    int (*person_list)(struct store *s, const struct person_filter *f,
                       const struct store_scope *scope, struct person **items, size_t *n);
    int (*household_insert)(struct store *s, struct household *h);
    int (*household_update)(struct store *s, const struct household *h);
    /* -GG_ECONFLICT while people still belong to it */
    int (*household_delete)(struct store *s, int64_t id);
    int (*household_get)(struct store *s, int64_t id, const struct store_scope *scope,
                         struct household *out);
    int (*household_get_by_code)(struct store *s, const char *code, struct household *out);
    int (*household_list)(struct store *s, const struct household_filter *f,
                          const struct store_scope *scope, struct household **items, size_t *n);
    int (*house_insert)(struct store *s, struct house *h);
    int (*house_update)(struct store *s, const struct house *h);
    int (*house_delete)(struct store *s, int64_t id);
    int (*house_get)(struct store *s, int64_t id, const struct store_scope *scope,
                     struct house *out);
    int (*house_list)(struct store *s, const struct house_filter *f,
                      const struct store_scope *scope, struct house **items, size_t *n);
    /* ---- issue 6: service orders, points (app/service.c, app/points.c) ----
     * order_insert fills id and sets version = 1; order_update succeeds only when the stored
     * version equals o->version - 1 (the caller bumps it first), else -GG_ECONFLICT. Reads
     * return the effective status at `now` (service_effective: a published order past its
     * deadline reads as expired). */
    int (*order_insert)(struct store *s, struct service_order *o);
    int (*order_update)(struct store *s, const struct service_order *o);
    /* scope NULL = system read; -GG_ENOTFOUND when unknown or outside the scope */
    int (*order_get)(struct store *s, int64_t id, const struct store_scope *scope, int64_t now,
                     struct service_order *out);
    /* newest first; *n <= f->limit */
    int (*order_list)(struct store *s, const struct service_filter *f,
                      const struct store_scope *scope, struct service_order **items, size_t *n);
    int (*order_attach)(struct store *s, int64_t order_id, int64_t attachment_id);
    int (*order_attachments)(struct store *s, int64_t order_id, int64_t **ids, size_t *n);
    /* Posts one ledger entry and moves the user's account by e->amount in one step: a
     * source_key already used is -GG_ECONFLICT; an amount that would take the balance below
     * zero is -GG_EINVAL; in both cases nothing changes. Fills id and balance_after. */
    int (*points_post)(struct store *s, struct points_entry *e);
    /* the user's account; zeros when it has never had an entry */
    int (*points_account)(struct store *s, int64_t user_id, struct points_account *out);
    /* the user's entries, newest first, ids < before_id (0 = from the newest) */
    int (*points_entries)(struct store *s, int64_t user_id, int64_t before_id, int limit,
                          struct points_entry **items, size_t *n);
    /* accounts of the users whose scope org lies within `path`, most earned first */
    int (*points_leaderboard)(struct store *s, const char *path, int limit,
                              struct points_rank **items, size_t *n);
    /* the points store (积分超市): insert fills id, version = 1; update is version-guarded */
    int (*item_insert)(struct store *s, struct store_item *it);
    int (*item_update)(struct store *s, const struct store_item *it);
    int (*item_get)(struct store *s, int64_t id, struct store_item *out);
    /* items whose community lies within scope_path, or whose community contains scope_path
     * (the residents and members of that community); ascending ids > after_id */
    int (*item_list)(struct store *s, const char *scope_path, bool active_only, int64_t after_id,
                     int limit, struct store_item **items, size_t *n);
    /* stock -= quantity when the item is active and has that much, else -GG_ECONFLICT */
    int (*item_take)(struct store *s, int64_t id, int quantity, int64_t now);
    int (*redemption_insert)(struct store *s, struct redemption *r); /* fills id */
    /* user_id != 0: that user's; else those whose community lies within path. Newest first. */
    int (*redemption_list)(struct store *s, int64_t user_id, const char *path, int64_t before_id,
                           int limit, struct redemption **items, size_t *n);
    /* home visits (走访, app/visits.c): insert fills id */
    int (*visit_insert)(struct store *s, struct visit *v);
    /* visits whose grid lies within path, newest first; person_id / household_id 0 = any */
    int (*visit_list)(struct store *s, const char *path, int64_t person_id, int64_t household_id,
                      int64_t before_id, int limit, struct visit **items, size_t *n);
    /* the latest visit of each subject (person, household) whose grid lies within path */
    int (*visit_latest)(struct store *s, const char *path, int limit, struct visit **items,
                        size_t *n);
    /* ---- issue 6: deliberation and disclosure (sqlite_topics.c) ----
     * topic_insert fills id and sets version = 1; topic_update succeeds only when the stored
     * version equals t->version - 1 (the caller bumps it), else -GG_ECONFLICT. get and list
     * apply the place rule above (NULL scope = system read); lists are newest first. */
    int (*topic_insert)(struct store *s, struct topic *t);
    int (*topic_update)(struct store *s, const struct topic *t);
    int (*topic_get)(struct store *s, int64_t id, const struct store_scope *scope,
                     struct topic *out);
    int (*topic_list)(struct store *s, const struct topic_filter *f,
                      const struct store_scope *scope, struct topic **items, size_t *n);
    /* one support / vote / rating per (topic, user): a second is -GG_ECONFLICT, whatever the
     * interleaving (a unique index decides) */
    int (*topic_support_add)(struct store *s, int64_t topic_id, int64_t user_id, int64_t at);
    int (*topic_vote_add)(struct store *s, int64_t topic_id, int64_t user_id,
                          enum vote_choice choice, int64_t at);
    int (*topic_rating_add)(struct store *s, int64_t topic_id, int64_t user_id, int stars,
                            const char *comment, int64_t at);
    /* the meeting: minutes and the attendees (user ids, distinct); once per topic */
    int (*topic_meeting_set)(struct store *s, int64_t topic_id, const char *minutes,
                             const int64_t *attendees, size_t n);
    int (*topic_attendees)(struct store *s, int64_t topic_id, int64_t **ids, size_t *n);
    /* *minutes heap (caller frees), NULL before the meeting */
    int (*topic_minutes)(struct store *s, int64_t topic_id, char **minutes);
    int (*topic_mine)(struct store *s, int64_t topic_id, int64_t user_id, struct topic_mine *out);
    int (*topic_note_insert)(struct store *s, struct topic_note *n); /* fills id */
    int (*topic_notes)(struct store *s, int64_t topic_id, struct topic_note **items, size_t *n);
    /* disclosures: insert fills id (items are written with it); get applies the place rule */
    int (*disclosure_insert)(struct store *s, struct disclosure *d,
                             const struct disclosure_item *items, size_t n);
    int (*disclosure_get)(struct store *s, int64_t id, const struct store_scope *scope,
                          struct disclosure *out);
    int (*disclosure_items)(struct store *s, int64_t id, struct disclosure_item **items,
                            size_t *n);
    int (*disclosure_list)(struct store *s, const struct disclosure_filter *f,
                           const struct store_scope *scope, struct disclosure **items,
                           size_t *n);
    /* ---- issue 3: whole-database copy between backends (gridgov copy, app/copy.c) ----
     * copy_read calls row(ctx, vals) for every row of t in t's order, vals[i] the canonical
     * text of column i (integers in decimal, reals as %.17g, NULL pointer for SQL NULL), the
     * same text on both backends; stops at row's non-zero return. copy_write inserts one row
     * (inside the caller's transaction). copy_done brings id generators past the copied ids. */
    int (*copy_read)(struct store *s, const struct store_table *t,
                     int (*row)(void *ctx, const char *const *vals), void *ctx);
    int (*copy_write)(struct store *s, const struct store_table *t, const char *const *vals);
    int (*copy_done)(struct store *s);

    /* ---- issue 6: party organisation, key tasks (sqlite_party.c) ----
     * Reads with a scope show rows whose org_path lies in the scope's subtree to the roles of
     * party_may_read (tasks: task_may_read, plus the task's own leader_user_id); everyone else
     * sees nothing; NULL = system read. Lists ascend by id after `after_id`, at most `limit`
     * (1..1000); `org_path` filters narrow the subtree ("" = the whole scope). Inserts fill id;
     * duplicates named below are -GG_ECONFLICT. Every row carries the district_id of its place
     * (children rows copy their parent's). */
    /* fills id and party_path (parent's path + id; the parent must exist, else -GG_ENOTFOUND) */
    int (*party_org_insert)(struct store *s, struct party_org *p);
    int (*party_org_get)(struct store *s, int64_t id, const struct store_scope *scope,
                         struct party_org *out);
    /* kind -1 = any; parent_id 0 = any */
    int (*party_org_list)(struct store *s, const char *org_path, int kind, int64_t parent_id,
                          const struct store_scope *scope, int64_t after_id, int limit,
                          struct party_org **items, size_t *n);
    /* a second member with the same user_id or person_id (> 0) is -GG_ECONFLICT */
    int (*party_member_insert)(struct store *s, struct party_member *m);
    int (*party_member_get)(struct store *s, int64_t id, const struct store_scope *scope,
                            struct party_member *out);
    int (*party_member_by_user)(struct store *s, int64_t user_id, struct party_member *out);
    /* party_path "" = any; else members of that party org and below */
    int (*party_member_list)(struct store *s, const char *party_path,
                             const struct store_scope *scope, int64_t after_id, int limit,
                             struct party_member **items, size_t *n);
    /* 双报到: one row per (member, community), a second is -GG_ECONFLICT */
    int (*report_in_insert)(struct store *s, struct report_in *r);
    /* member_id 0 = any; scope NULL with member_id = a member's own list */
    int (*report_in_list)(struct store *s, const char *org_path, int64_t member_id,
                          const struct store_scope *scope, int64_t after_id, int limit,
                          struct report_in **items, size_t *n);
    /* 三级包保: one row per (user, org node), a second is -GG_ECONFLICT */
    int (*cover_insert)(struct store *s, struct cover *c);
    int (*cover_delete)(struct store *s, int64_t id);
    int (*cover_get)(struct store *s, int64_t id, const struct store_scope *scope,
                     struct cover *out);
    int (*cover_list)(struct store *s, const char *org_path, int64_t user_id,
                      const struct store_scope *scope, int64_t after_id, int limit,
                      struct cover **items, size_t *n);
    /* the links on the node of `path` and on each of its ancestors, nearest node first, then
     * by level and id (system read: who escalations and supervision reach) */
    int (*cover_for_path)(struct store *s, const char *path, struct cover **items, size_t *n);
    /* 三会一课. insert takes m->minutes (may be NULL); get fills out->minutes (heap) */
    int (*meeting_insert)(struct store *s, struct party_meeting *m);
    int (*meeting_get)(struct store *s, int64_t id, const struct store_scope *scope,
                       struct party_meeting *out);
    /* party_path "" = any (else that org and below); kind -1 = any; held in [from, to) days,
     * 0 = unbounded */
    int (*meeting_list)(struct store *s, const char *party_path, int kind, int64_t from_days,
                        int64_t to_days, const struct store_scope *scope, int64_t after_id,
                        int limit, struct party_meeting **items, size_t *n);
    /* sets (or replaces) one member's attendance */
    int (*attendance_set)(struct store *s, int64_t meeting_id, int64_t member_id,
                          enum attendance status);
    int (*attendance_list)(struct store *s, int64_t meeting_id,
                           struct meeting_attendance **items, size_t *n);
    /* fn(kind, held_days) for each meeting held in [from, to) days by the party org of
     * party_path or any org below it */
    int (*meeting_facts)(struct store *s, const char *party_path, int64_t from_days,
                         int64_t to_days, int (*fn)(void *ctx, int kind, int64_t held_days),
                         void *ctx);
    /* key tasks. insert sets version 1; update needs the stored version == t->version - 1 */
    int (*task_insert)(struct store *s, struct task *t);
    int (*task_update)(struct store *s, const struct task *t);
    int (*task_get)(struct store *s, int64_t id, const struct store_scope *scope,
                    struct task *out);
    /* leader_id 0 = any */
    int (*task_list)(struct store *s, const char *org_path, int64_t leader_id,
                     const struct store_scope *scope, int64_t after_id, int limit,
                     struct task **items, size_t *n);
    int (*milestone_insert)(struct store *s, struct task_milestone *m);
    int (*milestone_update)(struct store *s, const struct task_milestone *m);
    int (*milestone_get)(struct store *s, int64_t id, struct task_milestone *out);
    int (*milestone_list)(struct store *s, int64_t task_id, struct task_milestone **items,
                          size_t *n); /* by due day */
    /* milestones not done, due before `today` and never notified; at most limit */
    int (*milestone_overdue)(struct store *s, int64_t today, int limit,
                             struct task_milestone **items, size_t *n);
    /* one report per (task, month), a second is -GG_ECONFLICT */
    int (*task_report_insert)(struct store *s, struct task_report *r);
    int (*task_report_list)(struct store *s, int64_t task_id, struct task_report **items,
                            size_t *n); /* by month */
};

struct store {
    const struct store_ops *ops;
};

/* Opens a connection. url: a file path (SQLite; created if missing) or postgres://… .
 * Returns 0 and *out, or a negative GG_E* with err filled. */
int store_open(const char *url, struct store **out, struct gg_error *err);
static inline void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}
/* ---- shared by the backends' implementations (store.c), not called by app/ ---- */

/* One forward-only schema step of a backend. */
struct store_migration {
    int version;
    const char *name;
    const char *sql;
};
/* The migration driver: reads the version (ops->schema_version), refuses a newer database, and
 * calls apply(s, step, now) for each pending step in order (apply runs it in its own
 * transaction and records it). *from and *to may be NULL. */
int store_migrate_steps(struct store *s, const struct store_migration *steps, int n_steps,
                        int (*apply)(struct store *s, const struct store_migration *m,
                                     int64_t now),
                        int *from, int *to, struct gg_error *err);
/* init_schema of every backend (store_ops.init_schema), in terms of schema_version/migrate. */
int store_init_schema(struct store *s, struct gg_error *err);

/* The audit chain's rules, shared by the backends (the SQL to read and write rows is theirs).
 * store_audit_seal: given the last row's id (0 when none) and x->prev_hash set to its hash,
 * continues from the recorded head when rows were cut off the tail, then sets x->id and
 * x->hash. store_audit_head_set records x as the head (same transaction as the row). */
int store_audit_seal(struct store *s, int64_t last_id, struct audit_entry *x);
int store_audit_head_set(struct store *s, const struct audit_entry *x);
/* The text columns of an audit row read in the order "id, at, actor_id, action, object_type,
 * object_id, detail, prev_hash, hash": column, offset and size in struct audit_entry. A value
 * that does not fit its field can only come from a write that bypassed audit_append;
 * verification reports it as an edit rather than hashing a truncated copy. */
struct store_audit_text {
    int col;
    size_t off, sz;
};
#define STORE_AUDIT_N_TEXTS 5
extern const struct store_audit_text store_audit_texts[STORE_AUDIT_N_TEXTS];
/* Verification walks the rows in id order through a walk: step() returns false at the first
 * bad row (out filled); end() compares the chain with the recorded head. */
struct store_audit_walk {
    int64_t expect;     /* the id the next row must have */
    char prev_hash[65]; /* the hash the next row must point at */
};
void store_audit_walk_init(struct store_audit_walk *w);
bool store_audit_walk_step(struct store_audit_walk *w, const struct audit_entry *e, bool fits,
                           struct audit_verify_result *out);
int store_audit_walk_end(struct store *s, const struct store_audit_walk *w,
                         struct audit_verify_result *out);

/* The canonical text that an audit entry's hash covers (shared by all backends):
 * "id|at|actor_id|action|object_type|object_id|detail|prev_hash". Returns bytes written. */
size_t store_audit_canonical(const struct audit_entry *e, char *out, size_t sz);
/* hex SHA-256 of data into hex[65] */
void store_sha256_hex(const void *data, size_t n, char hex[65]);

#endif
