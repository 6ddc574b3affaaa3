/* jw.c - JSON text written straight into a buffer.
 *
 * Every answer used to be a json_t tree turned into text by json_dumps. Measured with perf on
 * GET /events?limit=50, jansson's dump was 37 % of the server's time (it decodes every string
 * character by character to escape it) and building and freeing the 50 event objects (a hash
 * insertion per field) another 35 %. jw_json writes the same bytes as
 * json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) (tests/unit/test_jw.c compares them),
 * copying runs of plain bytes at once; hot answers (events) skip the tree altogether and write
 * their fields with the jw_* calls below.
 *
 * Errors are sticky: the first failed append (out of memory, over the cap) sets w->rc and
 * later calls do nothing; the caller checks w->rc once at the end. */
#include "http/http_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

void jw_init(struct jw *w)
{
    gg_buf_init(&w->b, 0);
    w->rc = 0;
}

void jw_release(struct jw *w)
{
    gg_buf_release(&w->b);
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
    if (!w->rc && n)
        w->rc = gg_buf_append(&w->b, s, n);
}

void jw_int(struct jw *w, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    jw_raw(w, p, (size_t)(tmp + sizeof tmp - p));
}

/* jansson's real: "%.12g", then ".0" when it reads as an integer, and an exponent without '+'
 * or leading zeros ("1e+20" → "1e20", "1e-05" → "1e-5"). */
void jw_real(struct jw *w, double v)
{
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, "%.12g", v);
    if (n < 0 || (size_t)n >= sizeof tmp - 3) {
        w->rc = w->rc ? w->rc : -GG_EINTERNAL;
        return;
    }
    char *e = strchr(tmp, 'e');
    if (!e && !strchr(tmp, '.')) {
        memcpy(tmp + n, ".0", 3);
        n += 2;
    } else if (e) {
        char *src = e + 1, *dst = e + 1;
        if (*src == '+')
            src++;
        else if (*src == '-')
            *dst++ = *src++;
        while (*src == '0' && src[1])
            src++;
        memmove(dst, src, strlen(src) + 1);
        n = (int)strlen(tmp);
    }
    jw_raw(w, tmp, (size_t)n);
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    jw_raw(w, "\"", 1);
    size_t run = 0; /* bytes of s[i - run, i) waiting to be copied */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            run++;
            continue;
        }
        jw_raw(w, s + i - run, run);
        run = 0;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t k = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        jw_raw(w, esc, k);
    }
    jw_raw(w, s + n - run, run);
    jw_raw(w, "\"", 1);
}

void jw_str(struct jw *w, const char *s)
{
    jw_strn(w, s, strlen(s));
}

void jw_str_or_null(struct jw *w, const char *s)
{
    if (s && s[0])
        jw_str(w, s);
    else
        jw_lit(w, "null");
}

void jw_id(struct jw *w, int64_t id)
{
    if (id)
        jw_int(w, id);
    else
        jw_lit(w, "null");
}

void jw_time(struct jw *w, int64_t t)
{
    if (!t) {
        jw_lit(w, "null");
        return;
    }
    char buf[GG_RFC3339_LEN + 2];
    buf[0] = '"';
    gg_time_format(t, buf + 1);
    size_t n = strlen(buf);
    buf[n] = '"';
    jw_raw(w, buf, n + 1);
}

void jw_bool(struct jw *w, bool v)
{
    if (v)
        jw_lit(w, "true");
    else
        jw_lit(w, "false");
}

void jw_json(struct jw *w, const json_t *j)
{
    if (w->rc)
        return;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *v;
        bool first = true;
        jw_raw(w, "{", 1);
        json_object_foreach((json_t *)j, k, v) {
            if (!first)
                jw_raw(w, ",", 1);
            first = false;
            jw_str(w, k);
            jw_raw(w, ":", 1);
            jw_json(w, v);
        }
        jw_raw(w, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *v;
        jw_raw(w, "[", 1);
        json_array_foreach(j, i, v) {
            if (i)
                jw_raw(w, ",", 1);
            jw_json(w, v);
        }
        jw_raw(w, "]", 1);
        break;
    }
    case JSON_STRING: jw_strn(w, json_string_value(j), json_string_length(j)); break;
    case JSON_INTEGER: jw_int(w, (int64_t)json_integer_value(j)); break;
    case JSON_REAL: jw_real(w, json_real_value(j)); break;
    case JSON_TRUE: jw_lit(w, "true"); break;
    case JSON_FALSE: jw_lit(w, "false"); break;
    case JSON_NULL: jw_lit(w, "null"); break;
    }
}

int jw_reply(struct req *r, struct reply *out, int status, struct jw *w)
{
    if (w->rc) {
        jw_release(w);
        return gg_error_set(&r->err, GG_ENOMEM, NULL, "out of memory");
    }
    size_t n = w->b.len;
    reply_text(out, status, "application/json; charset=utf-8", gg_buf_detach(&w->b), n);
    return 0;
}
