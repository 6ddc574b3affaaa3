/* error.c - the error table generated from GG_ERRNO_MAP. Not for mapping native database
 * errors: each store backend translates those itself. */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int status;
} table[GG_E__COUNT] = {
    [GG_OK] = {"ok", 200},
#define XX(n, code, st) [GG_E##n] = {code, st},
    GG_ERRNO_MAP(XX)
#undef XX
};

static int norm(int code)
{
    if (code < 0)
        code = -code;
    if (code <= 0 || code >= GG_E__COUNT)
        return GG_EINTERNAL;
    return code;
}

int gg_error_set(struct gg_error *err, int code, const char *field, const char *fmt, ...)
{
    code = norm(code);
    if (err) {
        err->code = code;
        snprintf(err->field, sizeof err->field, "%s", field ? field : "");
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -code;
}

void gg_error_clear(struct gg_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *gg_error_code_name(int code)
{
    return table[norm(code)].name;
}

int gg_error_status(int code)
{
    return table[norm(code)].status;
}
