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
            } else {
                vals[i] = (const char *)sqlite3_column_text(st, i);
            }
        }
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
    for (int i = 0; i < n; i++) {
        char ty = store_table_type(t, i);
        if (!vals[i])
            sqlite3_bind_null(st, i + 1);
        else if (ty == 'i')
            sqlite3_bind_int64(st, i + 1, strtoll(vals[i], NULL, 10));
        else if (ty == 'r')
            sqlite3_bind_double(st, i + 1, strtod(vals[i], NULL));
        else
            sqlite_db_bind_text(st, i + 1, vals[i]);
    }
    return sqlite_db_run(q, st, "copy_write");
}

int sqlite_copy_done(struct store *s)
{
    (void)s; /* INTEGER PRIMARY KEY ids continue after the largest one by themselves */
    return 0;
}
