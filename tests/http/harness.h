/* harness.h - the API tests' fixture: the real server, in-process, on an ephemeral port, with a
 * fresh database in a fresh temporary directory, and small libcurl helpers to talk to it.
 *
 * One server per test file: h_start() / h_stop() are cmocka group setup / teardown, so tests in a
 * file share the database and must use distinct codes and names. Helpers fail the current test
 * (cmocka's fail_msg) when a setup request does not answer as expected, printing the request and
 * the answer, so a broken precondition is told apart from a broken assertion. */
#ifndef GG_TESTS_HTTP_HARNESS_H
#define GG_TESTS_HTTP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#define H_ADMIN_PASSWORD "Chief#2026pass"
#define H_PASSWORD "Grid#2026pass" /* the password of every user the helpers create */

/* cmocka group setup / teardown */
int h_start(void **state);
int h_stop(void **state);

uint16_t h_port(void);
const char *h_admin(void);     /* the admin's token (logged in by h_start) */
int64_t h_root_id(void);
/* the in-process app, for what has no endpoint (the overdue sweep) */
struct app;
struct app *h_app(void);       /* the root org created by app_init (admin's scope) */

/* A raw answer; body is NUL-terminated heap (h_resp_release frees it). */
struct h_resp {
    long status;
    char *body;
    size_t len;
    char content_type[128];
};
void h_resp_release(struct h_resp *r);

/* One request. body may be NULL (no body); content_type NULL means none sent. Returns 0, or -1
 * on a transport error (connection refused, timeout). extra_header may be NULL. */
int h_raw(const char *method, const char *path, const char *token, const char *content_type,
          const void *body, size_t len, struct h_resp *out);
/* Like h_raw; returns the parsed JSON body (caller json_decref) or NULL when it is not JSON;
 * *status gets the HTTP status (0 on a transport error). */
json_t *h_req(const char *method, const char *path, const char *token, const char *content_type,
              const void *body, size_t body_len, long *status);
/* Convenience: GET; POST/PATCH of a JSON value (`body` is stolen, may be NULL for no body). */
json_t *h_get(const char *path, const char *token, long *status);
json_t *h_post(const char *path, const char *token, json_t *body, long *status);
json_t *h_patch(const char *path, const char *token, json_t *body, long *status);
/* printf-style path */
const char *h_path(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last request and answer of this thread, for failure messages. */
const char *h_last(void);

/* Fails the test (with the last request and answer) unless status == want. */
#define H_STATUS(st, want)                                                                         \
    do {                                                                                           \
        long h_st_ = (st);                                                                         \
        long h_want_ = (want);                                                                     \
        if (h_st_ != h_want_)                                                                      \
            fail_msg("status %ld, want %ld\n%s", h_st_, h_want_, h_last());                        \
    } while (0)

/* Checks the error shape {"error":{"code","message","field"}}; field NULL = don't check it,
 * "" = must be null/absent/empty. */
void h_check_error(json_t *j, const char *field);

/* JSON accessors that fail the test when the member is missing or of another type.
 * Dotted paths are not supported: one level at a time. */
int64_t h_int(json_t *o, const char *key);
const char *h_str(json_t *o, const char *key);
json_t *h_obj(json_t *o, const char *key);   /* object or array member */
bool h_is_null(json_t *o, const char *key);  /* missing or null */

/* ---- setup helpers (fail the test on an unexpected answer) ---- */
/* returns the token (heap, caller frees) or NULL when the login did not give 200 */
char *h_login(const char *username, const char *password);
/* POST /orgs; boundary is a GeoJSON geometry text or NULL; department_kind may be NULL */
int64_t h_org(const char *token, int64_t parent_id, const char *kind, const char *code,
              const char *name, const char *boundary, const char *department_kind);
/* A GeoJSON Polygon text for the rectangle lon0..lon1 × lat0..lat1 (static buffer per thread,
 * valid until the next call) */
const char *h_rect(double lon0, double lat0, double lon1, double lat1);
/* POST /users with H_PASSWORD; returns the user id */
int64_t h_user(const char *username, const char *role, int64_t scope_org_id);
/* h_user + h_login: returns the token (heap) */
char *h_user_token(const char *username, const char *role, int64_t scope_org_id,
                   int64_t *user_id);
/* POST /events; returns the created event (caller json_decref); fails unless 201 */
json_t *h_event(const char *token, const char *category, double lat, double lon,
                const char *source, const char *description);
int64_t h_event_id(const char *token, const char *category, double lat, double lon,
                   const char *source, const char *description);
/* POST /events/{id}/actions {action, note?}; returns the answer (caller json_decref) */
json_t *h_act(const char *token, int64_t id, const char *action, long *status);
/* like h_act with extra fields merged into the body (stolen) */
json_t *h_act_with(const char *token, int64_t id, const char *action, json_t *extra,
                   long *status);
/* GET /events/{id} and return .status (heap string copy in a per-thread buffer) */
const char *h_event_status(const char *token, int64_t id);

/* ---- a small standard city for the tests ----
 * district D (root child) > street S > community C > grids A and B (two side-by-side squares);
 * departments 城管 and 公安 under D. Grid A = lon 116.30..116.31, lat 39.90..39.91;
 * grid B = lon 116.31..116.32, lat 39.90..39.91. Codes start with `prefix`. */
struct h_city {
    int64_t district, street, community, grid_a, grid_b, dept_cg, dept_ga;
};
void h_city_build(struct h_city *c, const char *prefix);
#define H_A_LAT 39.905
#define H_A_LON 116.305
#define H_B_LAT 39.905
#define H_B_LON 116.315

/* items of a list answer {"items": [...]}; fails the test when missing */
json_t *h_items(json_t *list);
/* true when the list answer holds an item with this id */
bool h_list_has(json_t *list, int64_t id);

#endif
