/* sqlite_copy.c - whole tables in and out as canonical text, for `gridgov copy` between
 * backends (store.h copy_read / copy_write). The table list and column types are store.c's.
 * Not here: ordering the tables, transactions, checksums or progress (app/copy.c). */
#include "store/sqlite/sqlite_internal.h"

#include "base/buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 64
#define MAX_BYTES 256 /* the largest 'b' value (sealed numbers are at most 64 bytes) */

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int sqlite_copy_read(struct store *s, const struct store_table *t,
                     int (*row)(void *ctx, const char *const *vals), void *ctx)
{
    struct store_sqlite *q = sq_of(s);
    int n = store_table_ncols(t);
    if (n > MAX_COLS)
        return -GG_EINTERNAL;
    char sql[2048];
    /* names from store.c's constant table, never input */
    snprintf(sql, sizeof sql, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
    sqlite3_stmt *st = NULL;
    int rc = sqlite_db_prepare(q, sql, &st);
    if (rc)
        return rc;
    const char *vals[MAX_COLS];
    char nums[MAX_COLS][32];
    static _Thread_local char hex[MAX_COLS][2 * MAX_BYTES + 1];
    int frc = 0;
    while (!frc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < n; i++) {
            char ty = store_table_type(t, i);
            if (sqlite3_column_type(st, i) == SQLITE_NULL) {
                vals[i] = NULL;
            } else if (ty == 'i') {
                snprintf(nums[i], sizeof nums[i], "%" PRId64,
                         (int64_t)sqlite3_column_int64(st, i));
                vals[i] = nums[i];
            } else if (ty == 'r') {
                snprintf(nums[i], sizeof nums[i], "%.17g", sqlite3_column_double(st, i));
                vals[i] = nums[i];
            } else if (ty == 'b') {
                const unsigned char *p = sqlite3_column_blob(st, i);
                int len = sqlite3_column_bytes(st, i);
                if (len > MAX_BYTES) {
                    frc = -GG_EINTERNAL;
                    break;
                }
                for (int k = 0; k < len; k++)
                    snprintf(hex[i] + 2 * k, 3, "%02x", p[k]);
                hex[i][2 * len] = '\0';
                vals[i] = hex[i];
            } else {
                vals[i] = (const char *)sqlite3_column_text(st, i);
            }
        }
        if (!frc)
            frc = row(ctx, vals);
    }
    if (frc)
        rc = frc;
    else
        rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(q, rc, "copy_read");
    sqlite3_finalize(st);
    return rc;
}

/* The insert of the table last written is kept prepared: copies write table after table. */
int sqlite_copy_write(struct store *s, const struct store_table *t, const char *const *vals)
{
    struct store_sqlite *q = sq_of(s);
    int n = store_table_ncols(t);
    int rc;
    if (q->copy_t != t) {
        struct gg_buf sql;
        gg_buf_init(&sql, 4096);
        rc = gg_buf_printf(&sql, "INSERT INTO %s(%s) VALUES (?1", t->name, t->cols);
        for (int i = 2; !rc && i <= n; i++)
            rc = gg_buf_printf(&sql, ", ?%d", i);
        if (!rc)
            rc = gg_buf_puts(&sql, ")");
        sqlite3_finalize(q->copy_st);
        q->copy_st = NULL;
        q->copy_t = NULL;
        if (!rc)
            rc = sqlite_db_prepare(q, sql.data, &q->copy_st);
        gg_buf_release(&sql);
        if (rc)
            return rc;
        q->copy_t = t;
    }
    sqlite3_stmt *st = q->copy_st;
    unsigned char bytes[MAX_COLS][MAX_BYTES];
    for (int i = 0; i < n; i++) {
        char ty = store_table_type(t, i);
        if (!vals[i])
            sqlite3_bind_null(st, i + 1);
        else if (ty == 'i')
            sqlite3_bind_int64(st, i + 1, strtoll(vals[i], NULL, 10));
        else if (ty == 'r')
            sqlite3_bind_double(st, i + 1, strtod(vals[i], NULL));
        else if (ty == 'b') {
            size_t len = strlen(vals[i]) / 2;
            if (len > MAX_BYTES)
                return -GG_EINVAL;
            for (size_t k = 0; k < len; k++) {
                int hi = nibble(vals[i][2 * k]), lo = nibble(vals[i][2 * k + 1]);
                if (hi < 0 || lo < 0)
                    return -GG_EINVAL;
                bytes[i][k] = (unsigned char)(hi << 4 | lo);
            }
            sqlite3_bind_blob(st, i + 1, bytes[i], (int)len, SQLITE_TRANSIENT);
        } else
            sqlite_db_bind_text(st, i + 1, vals[i]);
    }
    return sqlite_db_run(q, st, "copy_write");
}

int sqlite_copy_done(struct store *s)
{
    (void)s; /* INTEGER PRIMARY KEY ids continue after the largest one by themselves */
    return 0;
}
