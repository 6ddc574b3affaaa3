/* error.h - the one list of error kinds, their API codes and HTTP statuses.
 *
 * Functions return 0 or a negative GG_E* value and may fill an optional struct gg_error with the
 * offending field and a human message. http/reply.c is the only place that maps these to
 * statuses, via gg_error_status(). */
#ifndef GG_BASE_ERROR_H
#define GG_BASE_ERROR_H

#include <stddef.h>

/* XX(name, api code, http status) */
#define GG_ERRNO_MAP(XX)                                                                           \
    XX(MALFORMED, "malformed", 400)                                                                \
    XX(UNAUTHORIZED, "unauthorized", 401)                                                          \
    XX(FORBIDDEN, "forbidden", 403)                                                                \
    XX(NOTFOUND, "not_found", 404)                                                                 \
    XX(METHOD, "method_not_allowed", 405)                                                          \
    XX(CONFLICT, "conflict", 409)                                                                  \
    XX(TOOLARGE, "too_large", 413)                                                                 \
    XX(MEDIATYPE, "unsupported_media_type", 415)                                                   \
    XX(INVAL, "invalid", 422)                                                                    \
    XX(RATELIMIT, "rate_limited", 429)                                                             \
    XX(INTERNAL, "internal", 500)                                                                  \
    XX(UNAVAILABLE, "unavailable", 503)                                                            \
    XX(NOMEM, "out_of_memory", 500)                                                                \
    XX(IO, "io_error", 500)

enum gg_errno {
    GG_OK = 0,
#define XX(name, code, status) GG_E##name,
    GG_ERRNO_MAP(XX)
#undef XX
    GG_E__COUNT
};
/* Functions return -GG_Exxx; the enum values are positive so that negation reads naturally. */

struct gg_error {
    int code;          /* a positive enum gg_errno, 0 when unset */
    char field[64];    /* the offending input field, "" when none */
    char message[256]; /* human text, already safe to show to a client */
};

/* Fills err (if not NULL) and returns -code, so callers can write
 * `return gg_error_set(err, GG_EINVAL, "lat", "latitude out of range");` */
int gg_error_set(struct gg_error *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void gg_error_clear(struct gg_error *err);
const char *gg_error_code_name(int code);   /* "invalid", … ; code may be negative */
int gg_error_status(int code);              /* HTTP status; code may be negative */

#endif
