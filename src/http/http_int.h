/* http_int.h - what the files of http/ share: the per-request state, the reply being built,
 * the route table's shape, the JSON codecs and the request-parsing helpers.
 *
 * Handlers take a parsed request and fill a reply; they return 0, or a negative GG_E* with
 * r->err filled, and reply.c alone turns that into a status and an error body. Nothing here
 * decides policy: roles and scopes are app/'s business. */
#ifndef GG_HTTP_INT_H
#define GG_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "base/buf.h"
#include "base/error.h"
#include "http/server.h"

#define HTTP_JSON_LIMIT ((size_t)1 << 20)    /* JSON request bodies */
#define HTTP_IMPORT_LIMIT ((size_t)32 << 20) /* POST /orgs/import: GeoJSON with boundaries */
#define HTTP_UPLOAD_LIMIT ((size_t)10 << 20) /* attachments */
#define HTTP_SHEET_LIMIT ((size_t)256 << 20) /* issue 6: POST /people/import (CSV or XLSX) */
#define HTTP_XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define HTTP_DEFAULT_LIMIT 50
#define HTTP_MAX_LIMIT 500

enum body_kind {
    BODY_NONE,   /* any body is ignored */
    BODY_JSON,   /* application/json, parsed into r->json before the handler runs */
    BODY_IMPORT, /* like BODY_JSON with the larger import limit */
    BODY_IMAGE,  /* raw image/jpeg or image/png bytes in r->body */
    BODY_SHEET,  /* issue 6: raw text/csv or XLSX bytes in r->body */
};

struct req;
struct reply;
typedef int (*handler_fn)(struct req *r, struct reply *out);

struct route {
    const char *method;  /* "GET", "POST", "PATCH" */
    const char *pattern; /* full path; a segment "{id}" matches one path segment */
    handler_fn fn;
    bool auth; /* needs a valid bearer token */
    enum body_kind body;
    const char *summary; /* for the OpenAPI document */
    const char *tag;
};

/* the route table (router.c) */
extern const struct route http_routes[];
extern const size_t http_n_routes;
/* Pseudo-route indexes for metrics, after the real ones. */
#define ROUTE_STATIC ((int)http_n_routes)
#define ROUTE_UNMATCHED ((int)http_n_routes + 1)
#define ROUTE_SLOTS (http_n_routes + 2)

enum match_result { MATCH_OK, MATCH_NOT_FOUND, MATCH_METHOD };
/* Matches method and path. On MATCH_OK *idx is the route and id_seg points into path at the
 * {id} segment (length *id_len), if the pattern has one. On MATCH_METHOD, allow[] receives the
 * methods that the path accepts ("GET, POST"). */
enum match_result router_match(const char *method, const char *path, int *idx, const char **id_seg,
                               size_t *id_len, char *allow, size_t allow_sz);

struct req {
    struct http_server *srv;
    struct app *app;
    struct MHD_Connection *conn;
    const char *method;
    const char *url;
    uint64_t t0;    /* monotonic ns at the first callback */
    int route;      /* index in http_routes, or ROUTE_STATIC / ROUTE_UNMATCHED */
    int64_t id;     /* the {id} segment, when the route has one */
    bool id_bad;    /* {id} was not a positive integer */
    char allow[64]; /* for 405 */
    enum match_result match;
    /* body */
    struct gg_buf body;
    size_t body_limit;
    bool swallow; /* an error is already known: read and drop the body */
    int early_rc; /* negative GG_E* decided before the body was read */
    struct gg_error early_err;
    char content_type[96]; /* the media type, lower-cased, parameters stripped (issue 6: the
                            * XLSX media type is 65 characters) */
    json_t *json;          /* parsed BODY_JSON body, owned */
    /* auth */
    struct actor actor;
    const char *token; /* borrowed from MHD's header table */
    int64_t now;
    struct gg_error err; /* filled by handlers on failure */
    int status;          /* the status sent, for logs and metrics */
    bool replied;        /* a reply was queued: ignore any further body */
    /* a write handled on the offload pool (offload.c) while the connection is suspended */
    struct req *next_task;
    struct reply *pending; /* the answer, ready once pending_done */
    bool pending_done;
};

struct reply {
    int status;
    json_t *json; /* owned; serialised when sent */
    void *data;   /* raw body (heap, freed with free()) when json is NULL */
    size_t len;
    const char *content_type;
    const char *cache_control;
    int fd;            /* >= 0: send this file (MHD closes it) of len bytes */
    const char *allow; /* Allow header for 405 */
    const char *disposition; /* Content-Disposition (downloads), static or owned by the req */
    void *stream;            /* issue 4: a ready struct MHD_Response * (SSE), queued as is */
};

/* ---- jw.c: JSON text written straight into a buffer (sticky error in rc) ---- */
struct jw {
    struct gg_buf b;
    int rc;
};
void jw_init(struct jw *w);
void jw_release(struct jw *w);
void jw_raw(struct jw *w, const char *s, size_t n); /* verbatim */
#define jw_lit(w, s) jw_raw((w), "" s "", sizeof(s) - 1) /* string literals only */
void jw_int(struct jw *w, int64_t v);
void jw_real(struct jw *w, double v);
void jw_strn(struct jw *w, const char *s, size_t n); /* a JSON string of valid UTF-8 */
void jw_str(struct jw *w, const char *s);
void jw_str_or_null(struct jw *w, const char *s); /* null when NULL or "" */
void jw_id(struct jw *w, int64_t id);             /* null when 0 */
void jw_time(struct jw *w, int64_t t);            /* RFC 3339, null when 0 */
void jw_bool(struct jw *w, bool v);
/* the bytes json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) would give */
void jw_json(struct jw *w, const json_t *j);
/* hands the text to the reply as its JSON body (releases w); 500 when a write failed */
int jw_reply(struct req *r, struct reply *out, int status, struct jw *w);

/* ---- reply.c: the only place that maps errors to statuses ---- */
void reply_init(struct reply *out);
void reply_release(struct reply *out);
void reply_json(struct reply *out, int status, json_t *j); /* takes ownership of j */
void reply_text(struct reply *out, int status, const char *content_type, char *heap, size_t n);
/* issue 6: a JSON answer (j NULL → -GG_ENOMEM), and a list answer {items, next_cursor} (next 0
 * → null); both take ownership of the JSON */
int reply_object(struct req *r, struct reply *out, int status, json_t *j);
int reply_items(struct req *r, struct reply *out, json_t *items, int64_t next);
/* Builds {"error":{code,message,field}} from rc and err (err may be NULL or empty). */
json_t *reply_error_body(int rc, const struct gg_error *err);
void reply_error(struct reply *out, int rc, const struct gg_error *err);
int reply_status_of(int rc);
/* Serialises and queues the reply; returns MHD's result. */
int reply_send(struct req *r, struct reply *out);

/* ---- json.c: encoders ---- */
json_t *jtime(int64_t t);            /* RFC 3339 or null when 0 */
json_t *jid(int64_t id);             /* integer or null when 0 */
json_t *jstr_or_null(const char *s); /* null when "" */
void jset(json_t *o, const char *k, json_t *v); /* o[k] = v, null when v is NULL (takes v) */
json_t *jdate(int64_t days); /* "YYYY-MM-DD" of days since 1970-01-01, null for INT64_MIN */
/* an event object {id, …, merged_into} (jw_event) and the view with its timeline, attachments,
 * whistles and duplicates (jw_event_view) */
void jw_event(struct jw *w, const struct event *e, const char *category_name,
              const char *grid_name, const char *assignee_name);
void jw_event_view(struct jw *w, const struct event_view *v);
json_t *json_org(const struct org *o);
json_t *json_org_brief(const struct org *o); /* {id, code, name, kind} */
json_t *json_org_path(const struct org *path, size_t n);
json_t *json_user(const struct user *u);
json_t *json_category(const struct category *c);
json_t *json_attachment(const struct attachment *a);
json_t *json_audit(const struct audit_entry *e);
json_t *json_list(json_t *items, const char *next_cursor); /* takes items; cursor may be NULL */

/* ---- json.c: request body fields. A JSON null counts as absent. Each returns 0, 1 when
 * absent and not required, or -GG_EINVAL with err naming the field. Strings are borrowed from
 * the json object and checked for NUL bytes and the code-point limit (0 = no limit). */
int jin_str(json_t *o, const char *field, bool required, size_t max_cp, const char **out,
            struct gg_error *err);
int jin_int(json_t *o, const char *field, bool required, int64_t min, int64_t max, int64_t *out,
            struct gg_error *err);
int jin_num(json_t *o, const char *field, bool required, double min, double max, double *out,
            struct gg_error *err);
/* an enum spelled by its id; from_id returns -1 when unknown; values >= max are refused */
int jin_enum(json_t *o, const char *field, bool required, int (*from_id)(const char *), int max,
             int *out, struct gg_error *err);
int jin_bool(json_t *o, const char *field, bool required, bool *out, struct gg_error *err);
/* an array of positive integer ids; *out heap (caller frees), NULL when empty */
int jin_ids(json_t *o, const char *field, bool required, int64_t **out, size_t *n,
            struct gg_error *err);
/* copies a string field into a fixed buffer, checking code points and the byte size */
int jin_copy(json_t *o, const char *field, bool required, size_t max_cp, char *dst, size_t dst_sz,
             struct gg_error *err);

/* ---- query parameters (server.c) ---- */
const char *req_query(struct req *r, const char *name); /* NULL or "" when absent */
/* Integers: 1 when absent, 0 when parsed, -GG_EINVAL (field = name) when bad or out of range */
int req_query_int(struct req *r, const char *name, int64_t min, int64_t max, int64_t *out);
int req_query_time(struct req *r, const char *name, int64_t *out);
/* limit: default HTTP_DEFAULT_LIMIT, 1..HTTP_MAX_LIMIT, else 422 */
int req_limit(struct req *r, int *out);
/* cursor: an opaque positive decimal; absent -> 0; bad -> 400 field "cursor" */
int req_cursor(struct req *r, int64_t *out);
/* "123" into buf for next_cursor; returns NULL when id is 0 */
const char *cursor_text(int64_t id, char buf[24]);
/* a request's JSON body object (BODY_JSON routes: never NULL) */
static inline json_t *req_body(struct req *r)
{
    return r->json;
}

/* ---- server.c: metrics ---- */
int metrics_render(struct http_server *s, struct gg_buf *out);
const char *http_web_dir(const struct http_server *s);

/* ---- handlers ---- */
int http_login(struct req *r, struct reply *out);
int http_logout(struct req *r, struct reply *out);
int http_me(struct req *r, struct reply *out);
int http_users_create(struct req *r, struct reply *out);
int http_users_list(struct req *r, struct reply *out);
int http_orgs_create(struct req *r, struct reply *out);
int http_orgs_get(struct req *r, struct reply *out);
int http_orgs_list(struct req *r, struct reply *out);
int http_orgs_update(struct req *r, struct reply *out);
int http_orgs_import(struct req *r, struct reply *out);
int http_orgs_boundary(struct req *r, struct reply *out);
int http_orgs_boundaries(struct req *r, struct reply *out);
/* The filters of GET /events (and of the export) from the query string; *nothing when an org_id
 * outside the caller's scope must filter everything out. */
int http_event_filter(struct req *r, struct event_filter *f, bool *nothing);
int http_locate(struct req *r, struct reply *out);
int http_categories_list(struct req *r, struct reply *out);
int http_categories_put(struct req *r, struct reply *out);
int http_events_create(struct req *r, struct reply *out);
int http_events_get(struct req *r, struct reply *out);
int http_events_list(struct req *r, struct reply *out);
int http_events_act(struct req *r, struct reply *out);
int http_attachments_create(struct req *r, struct reply *out);
int http_attachments_get(struct req *r, struct reply *out);
int http_audit_list(struct req *r, struct reply *out);
int http_healthz(struct req *r, struct reply *out);
int http_metrics(struct req *r, struct reply *out);
int http_openapi(struct req *r, struct reply *out);
/* offload.c: a pool of threads for writing requests. submit calls suspend(r) and queues r;
 * false when the pool is stopping (handle it inline then). stop runs what is queued first. */
struct offload;
struct offload *offload_start(int threads, void (*run)(struct req *r));
bool offload_submit(struct offload *o, struct req *r, void (*suspend)(struct req *r));
void offload_stop(struct offload *o);

/* issue 4 (h_stats.c, h_export.c, h_stream.c) */
int http_stats_summary(struct req *r, struct reply *out);
int http_stats_indicators(struct req *r, struct reply *out);
int http_stats_trend(struct req *r, struct reply *out);
int http_stats_ranking(struct req *r, struct reply *out);
int http_stats_hotspots(struct req *r, struct reply *out);
int http_messages_list(struct req *r, struct reply *out);
int http_messages_read(struct req *r, struct reply *out);
int http_settings_put(struct req *r, struct reply *out);
int http_events_export(struct req *r, struct reply *out);
int http_events_stream(struct req *r, struct reply *out);
int http_dept_ratings_create(struct req *r, struct reply *out);
int http_dept_ratings_list(struct req *r, struct reply *out);
int http_property_create(struct req *r, struct reply *out);
int http_property_update(struct req *r, struct reply *out);
int http_property_get(struct req *r, struct reply *out);
int http_property_list(struct req *r, struct reply *out);
/* GET /stats/ranking?kind=departments|property, after its query was decoded */
int http_ranking_departments(struct req *r, struct reply *out, int64_t parent_id, int64_t from,
                             int64_t to);
int http_ranking_property(struct req *r, struct reply *out, int64_t org_id, int64_t from,
                          int64_t to);
/* issue 6 (h_people.c) */
int http_people_create(struct req *r, struct reply *out);
int http_people_list(struct req *r, struct reply *out);
int http_people_get(struct req *r, struct reply *out);
int http_people_update(struct req *r, struct reply *out);
int http_people_delete(struct req *r, struct reply *out);
int http_people_import(struct req *r, struct reply *out);
int http_households_create(struct req *r, struct reply *out);
int http_households_list(struct req *r, struct reply *out);
int http_households_get(struct req *r, struct reply *out);
int http_households_update(struct req *r, struct reply *out);
int http_households_delete(struct req *r, struct reply *out);
int http_houses_create(struct req *r, struct reply *out);
int http_houses_list(struct req *r, struct reply *out);
int http_houses_get(struct req *r, struct reply *out);
int http_houses_update(struct req *r, struct reply *out);
int http_houses_delete(struct req *r, struct reply *out);
/* issue 6: deliberation and disclosure (h_topics.c) */
int http_topics_create(struct req *r, struct reply *out);
int http_topics_list(struct req *r, struct reply *out);
int http_topics_get(struct req *r, struct reply *out);
int http_topics_act(struct req *r, struct reply *out);
int http_topics_support(struct req *r, struct reply *out);
int http_topics_vote(struct req *r, struct reply *out);
int http_topics_rate(struct req *r, struct reply *out);
int http_disclosures_create(struct req *r, struct reply *out);
int http_disclosures_list(struct req *r, struct reply *out);
int http_disclosures_get(struct req *r, struct reply *out);
int http_board(struct req *r, struct reply *out);
/* issue 6: party organisation and key tasks (h_party.c) */
int http_party_orgs_create(struct req *r, struct reply *out);
int http_party_orgs_list(struct req *r, struct reply *out);
int http_party_orgs_get(struct req *r, struct reply *out);
int http_party_members_create(struct req *r, struct reply *out);
int http_party_members_list(struct req *r, struct reply *out);
int http_party_members_get(struct req *r, struct reply *out);
int http_report_ins_create(struct req *r, struct reply *out);
int http_report_ins_list(struct req *r, struct reply *out);
int http_covers_create(struct req *r, struct reply *out);
int http_covers_list(struct req *r, struct reply *out);
int http_covers_delete(struct req *r, struct reply *out);
int http_orgs_covers(struct req *r, struct reply *out);
int http_meetings_create(struct req *r, struct reply *out);
int http_meetings_list(struct req *r, struct reply *out);
int http_meetings_get(struct req *r, struct reply *out);
int http_meetings_attendance(struct req *r, struct reply *out);
int http_party_compliance(struct req *r, struct reply *out);
int http_tasks_create(struct req *r, struct reply *out);
int http_tasks_list(struct req *r, struct reply *out);
int http_tasks_get(struct req *r, struct reply *out);
int http_tasks_update(struct req *r, struct reply *out);
int http_tasks_milestone_add(struct req *r, struct reply *out);
int http_tasks_progress(struct req *r, struct reply *out);
int http_milestones_done(struct req *r, struct reply *out);
/* the live feed's hub (h_stream.c): started with the server; stop before MHD_stop_daemon (it
 * ends every stream), free after it */
int http_stream_start(struct app *a);
void http_stream_stop(void);
void http_stream_free(void);
/* issue 6 (h_service.c, h_points.c): service orders, points, the points store */
int http_service_create(struct req *r, struct reply *out);
int http_service_list(struct req *r, struct reply *out);
int http_service_get(struct req *r, struct reply *out);
int http_service_act(struct req *r, struct reply *out);
int http_points_me(struct req *r, struct reply *out);
int http_points_statement(struct req *r, struct reply *out);
int http_points_award(struct req *r, struct reply *out);
int http_points_leaderboard(struct req *r, struct reply *out);
int http_store_items_create(struct req *r, struct reply *out);
int http_store_items_list(struct req *r, struct reply *out);
int http_store_items_get(struct req *r, struct reply *out);
int http_store_items_update(struct req *r, struct reply *out);
int http_store_redeem(struct req *r, struct reply *out);
int http_redemptions_list(struct req *r, struct reply *out);
int http_visits_create(struct req *r, struct reply *out);
int http_visits_list(struct req *r, struct reply *out);
int http_visits_due(struct req *r, struct reply *out);
int http_visits_rules(struct req *r, struct reply *out);
/* serves a file of the web console (or index.html); 404 when none */
int http_static(struct req *r, struct reply *out);

/* openapi.c: the document, built once (caller owns the returned reference) */
json_t *openapi_document(void);

#endif
