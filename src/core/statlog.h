/* statlog.h - the counter log's record: the counter deltas of one group commit (app/stats.c),
 * written as one row of stat_log in that commit and added to the counters later, by a fold.
 *
 * A record is compact because a group's deltas are sparse: of a daily row's STAT__COUNT
 * metrics an event moves a handful. Layout: byte 1, STAT__COUNT, then varints (zigzag for
 * signed values): the number of daily rows and per row org_id, day, the number of non-zero
 * metrics and per metric its index and delta; then the number of category rows and per row
 * org_id, day, the code's length, the code's bytes and n. Decoding checks every length, index
 * and code, and that the record ends exactly where its bytes do. Pure: no I/O. */
#ifndef GG_CORE_STATLOG_H
#define GG_CORE_STATLOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/indicators.h"
#include "core/model.h"

/* stat_daily(org_id, day) += v */
struct stat_delta {
    int64_t org_id, day;
    int64_t v[STAT__COUNT];
};

/* stat_cat(org_id, day, code) += n */
struct stat_cat_delta {
    int64_t org_id, day;
    char code[GG_CODE_SZ];
    int64_t n;
};

/* the largest record of nd daily and nc category rows */
size_t statlog_bound(size_t nd, size_t nc);

/* Writes the record into out[0..cap); returns its length, 0 when cap is too small. */
size_t statlog_encode(const struct stat_delta *d, size_t nd, const struct stat_cat_delta *c,
                      size_t nc, unsigned char *out, size_t cap);

/* Calls on_daily / on_cat for every row of the record, in order; stops at the first non-zero
 * return and returns it. A malformed record returns -GG_EINVAL (rows before the fault may have
 * been passed on: decode into something the caller can drop). */
int statlog_decode(const unsigned char *in, size_t len,
                   int (*on_daily)(void *ctx, const struct stat_delta *d),
                   int (*on_cat)(void *ctx, const struct stat_cat_delta *c), void *ctx);

#endif
