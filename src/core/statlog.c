/* statlog.c - the counter log's record (statlog.h): encoding and checked decoding.
 * Not here: where records are kept (store/) or when they are folded (app/stats.c). */
#include "core/statlog.h"

#include <stdbool.h>
#include <string.h>

#include "base/error.h"

#define STATLOG_FORMAT 1
#define VARINT_MAX 10 /* bytes of a 64-bit varint */

size_t statlog_bound(size_t nd, size_t nc)
{
    return 2 + VARINT_MAX * 2 + nd * VARINT_MAX * (3 + 2 * (size_t)STAT__COUNT) +
           nc * (VARINT_MAX * 4 + GG_CODE_SZ);
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

struct out {
    unsigned char *p;
    size_t n, cap;
};

static void put(struct out *o, uint64_t v)
{
    do {
        unsigned char b = v & 0x7f;
        v >>= 7;
        if (o->n < o->cap)
            o->p[o->n] = (unsigned char)(b | (v ? 0x80 : 0));
        o->n++;
    } while (v);
}

size_t statlog_encode(const struct stat_delta *d, size_t nd, const struct stat_cat_delta *c,
                      size_t nc, unsigned char *out, size_t cap)
{
    struct out o = {out, 0, cap};
    put(&o, STATLOG_FORMAT);
    put(&o, STAT__COUNT);
    put(&o, nd);
    for (size_t i = 0; i < nd; i++) {
        put(&o, zigzag(d[i].org_id));
        put(&o, zigzag(d[i].day));
        uint64_t k = 0;
        for (int m = 0; m < STAT__COUNT; m++)
            k += d[i].v[m] != 0;
        put(&o, k);
        for (int m = 0; m < STAT__COUNT; m++)
            if (d[i].v[m]) {
                put(&o, (uint64_t)m);
                put(&o, zigzag(d[i].v[m]));
            }
    }
    put(&o, nc);
    for (size_t i = 0; i < nc; i++) {
        size_t len = strnlen(c[i].code, GG_CODE_SZ - 1);
        put(&o, zigzag(c[i].org_id));
        put(&o, zigzag(c[i].day));
        put(&o, len);
        for (size_t j = 0; j < len; j++)
            put(&o, (unsigned char)c[i].code[j] & 0x7f); /* codes are ASCII */
        put(&o, zigzag(c[i].n));
    }
    return o.n <= cap ? o.n : 0;
}

struct in {
    const unsigned char *p;
    size_t n, len;
    bool bad;
};

static uint64_t get(struct in *in)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (in->n >= in->len)
            break;
        unsigned char b = in->p[in->n++];
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    in->bad = true;
    return 0;
}

int statlog_decode(const unsigned char *in_p, size_t len,
                   int (*on_daily)(void *ctx, const struct stat_delta *d),
                   int (*on_cat)(void *ctx, const struct stat_cat_delta *c), void *ctx)
{
    struct in in = {in_p, 0, len, false};
    if (get(&in) != STATLOG_FORMAT || get(&in) != STAT__COUNT || in.bad)
        return -GG_EINVAL;
    uint64_t nd = get(&in);
    for (uint64_t i = 0; i < nd && !in.bad; i++) {
        struct stat_delta d;
        memset(&d, 0, sizeof d);
        d.org_id = unzigzag(get(&in));
        d.day = unzigzag(get(&in));
        uint64_t k = get(&in);
        if (k > STAT__COUNT)
            return -GG_EINVAL;
        for (uint64_t j = 0; j < k && !in.bad; j++) {
            uint64_t m = get(&in);
            if (m >= STAT__COUNT)
                return -GG_EINVAL;
            d.v[m] += unzigzag(get(&in));
        }
        if (in.bad)
            break;
        int rc = on_daily(ctx, &d);
        if (rc)
            return rc;
    }
    uint64_t nc = in.bad ? 0 : get(&in);
    for (uint64_t i = 0; i < nc && !in.bad; i++) {
        struct stat_cat_delta c;
        memset(&c, 0, sizeof c);
        c.org_id = unzigzag(get(&in));
        c.day = unzigzag(get(&in));
        uint64_t n = get(&in);
        if (n == 0 || n >= GG_CODE_SZ)
            return -GG_EINVAL;
        for (uint64_t j = 0; j < n; j++) {
            uint64_t ch = get(&in);
            if (ch < 0x21 || ch > 0x7e)
                return -GG_EINVAL;
            c.code[j] = (char)ch;
        }
        c.n = unzigzag(get(&in));
        if (in.bad)
            break;
        int rc = on_cat(ctx, &c);
        if (rc)
            return rc;
    }
    return in.bad || in.n != in.len ? -GG_EINVAL : 0;
}
