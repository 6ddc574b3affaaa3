/* cmd_data.c - the data-handling subcommands: backup, audit verify, import (orgs, categories)
 * and export (the event ledger, written by app/ledger.c). Each reads its file or writes its
 * output and calls one use case; validation, atomicity and the audit trail are app/'s. */
#include "cli/cli.h"

#include "base/buf.h"
#include "base/time.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_backup(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *to = NULL;
    const struct cli_opt opts[] = {
        {"db", &db, NULL}, {"to", &to, NULL}, {"out", &to, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db || !to)
        return cli_usage_error(cmd, "--db and --to are required");
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct gg_error err = {0};
    uint64_t t0 = gg_time_mono_ns();
    rc = app_backup(a, to, &err);
    if (rc)
        rc = cli_fail(cmd, &err, to);
    else
        printf("backed up %s to %s in %.2f s\n", db, to, (double)(gg_time_mono_ns() - t0) / 1e9);
    app_close(a);
    return rc;
}

int cmd_audit_verify(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL;
    const struct cli_opt opts[] = {{"db", &db, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db)
        return cli_usage_error(cmd, "--db is required");
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct audit_verify_result res = {0};
    struct gg_error err = {0};
    rc = app_audit_verify(a, &res, &err);
    if (rc) {
        rc = cli_fail(cmd, &err, db);
    } else if (res.first_bad_id) {
        fprintf(stderr, "audit chain broken at entry %lld: %s (%lld entries checked)\n",
                (long long)res.first_bad_id,
                res.problem[0] ? res.problem : "hash mismatch", (long long)res.checked);
        rc = CLI_FAIL;
    } else {
        printf("audit chain intact: %lld entries\n", (long long)res.checked);
        rc = CLI_OK;
    }
    app_close(a);
    return rc;
}

/* Reads a whole file (at most 512 MiB) into a NUL-terminated heap string. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    struct gg_buf b;
    gg_buf_init(&b, (size_t)512 << 20);
    char chunk[65536];
    size_t k;
    int rc = 0;
    while (!rc && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = gg_buf_append(&b, chunk, k);
    bool bad = rc || ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        gg_buf_release(&b);
        return NULL;
    }
    if (len)
        *len = b.len;
    char *s = gg_buf_detach(&b);
    return s ? s : calloc(1, 1);
}

static int import_args(const struct cli_cmd *cmd, int argc, char **argv, const char **db,
                       const char **file)
{
    const struct cli_opt opts[] = {{"db", db, NULL}, {NULL, NULL, NULL}};
    const char *pos[1];
    int np = 0;
    int rc = cli_parse(cmd, argc, argv, opts, pos, 1, &np);
    if (rc)
        return rc;
    if (!*db || np != 1)
        return cli_usage_error(cmd, "--db and one FILE are required");
    *file = pos[0];
    return 0;
}

int cmd_import_orgs(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *file = NULL;
    int rc = import_args(cmd, argc, argv, &db, &file);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    json_error_t je;
    json_t *fc = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
    if (!fc) {
        fprintf(stderr, "gridgov import orgs: %s:%d: %s\n", file, je.line, je.text);
        return CLI_FAIL;
    }
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc) {
        json_decref(fc);
        return rc;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    int created = 0, updated = 0;
    struct import_error *errors = NULL;
    size_t n_errors = 0;
    struct gg_error err = {0};
    rc = app_org_import(a, &sys, fc, gg_time_now(), &created, &updated, &errors, &n_errors, &err);
    if (rc) {
        for (size_t i = 0; i < n_errors; i++)
            fprintf(stderr, "%s: feature %d: %s\n", file, errors[i].index, errors[i].message);
        rc = cli_fail(cmd, &err, file);
        fprintf(stderr, "gridgov import orgs: nothing was imported\n");
    } else {
        printf("imported %s: %d created, %d updated\n", file, created, updated);
    }
    free(errors);
    json_decref(fc);
    app_close(a);
    return rc;
}

int cmd_import_categories(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *file = NULL;
    int rc = import_args(cmd, argc, argv, &db, &file);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char *tsv = slurp(file, NULL);
    if (!tsv) {
        fprintf(stderr, "gridgov import categories: %s: %s\n", file, strerror(errno));
        return CLI_FAIL;
    }
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc) {
        free(tsv);
        return rc;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    int created = 0, updated = 0;
    struct gg_error err = {0};
    rc = app_catalog_import_tsv(a, &sys, tsv, &created, &updated, &err);
    if (rc)
        rc = cli_fail(cmd, &err, file);
    else
        printf("imported %s: %d categories created, %d updated\n", file, created, updated);
    free(tsv);
    app_close(a);
    return rc;
}

static void import_progress(void *ctx, const char *phase, int64_t rows)
{
    const uint64_t *t0 = ctx;
    double secs = (double)(gg_time_mono_ns() - *t0) / 1e9;
    if (strcmp(phase, "commit") == 0)
        fprintf(stderr, "gridgov import people: %lld rows checked and written in %.1f s; "
                        "committing …\n",
                (long long)rows, secs);
    else
        fprintf(stderr, "gridgov import people: %lld rows … (%.1f s, %.0f rows/s)\n",
                (long long)rows, secs, secs > 0 ? rows / secs : 0.0);
}

int cmd_import_people(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *file = NULL;
    int rc = import_args(cmd, argc, argv, &db, &file);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    size_t len = 0;
    char *data = slurp(file, &len);
    if (!data) {
        fprintf(stderr, "gridgov import people: %s: %s\n", file, strerror(errno ? errno : EIO));
        return CLI_FAIL;
    }
    /* XLSX is a zip package: its magic bytes decide, whatever the file is called */
    enum sheet_format fmt = len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0 ? SHEET_XLSX : SHEET_CSV;
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc) {
        free(data);
        return rc;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    struct people_import_result res;
    struct gg_error err = {0};
    uint64_t t0 = gg_time_mono_ns();
    rc = app_people_import(a, &sys, fmt, data, len, gg_time_now(), import_progress, &t0, &res,
                           &err);
    double secs = (double)(gg_time_mono_ns() - t0) / 1e9;
    if (rc) {
        for (size_t i = 0; i < res.n_errors; i++)
            fprintf(stderr, "%s: row %lld, column %s: %s\n", file, (long long)res.errors[i].row,
                    res.errors[i].column[0] ? res.errors[i].column : "-", res.errors[i].reason);
        if (res.n_errors_total > (int64_t)res.n_errors)
            fprintf(stderr, "%s: … and %lld more errors\n", file,
                    (long long)(res.n_errors_total - (int64_t)res.n_errors));
        rc = cli_fail(cmd, &err, file);
        fprintf(stderr, "gridgov import people: nothing was imported\n");
    } else {
        printf("imported %s: %lld rows, %lld people and %lld households created in %.1f s\n",
               file, (long long)res.rows, (long long)res.people_created,
               (long long)res.households_created, secs);
    }
    free(res.errors);
    free(data);
    app_close(a);
    return rc;
}

int cmd_export_events(const struct cli_cmd *cmd, int argc, char **argv)
{
    const char *db = NULL, *format = "csv", *out = NULL;
    const struct cli_opt opts[] = {
        {"db", &db, NULL}, {"format", &format, NULL}, {"out", &out, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(cmd, argc, argv, opts, NULL, 0, NULL);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    if (!db || !out)
        return cli_usage_error(cmd, "--db and --out are required");
    enum ledger_format fmt;
    if (strcmp(format, "csv") == 0)
        fmt = LEDGER_CSV;
    else if (strcmp(format, "xlsx") == 0)
        fmt = LEDGER_XLSX;
    else
        return cli_usage_error(cmd, "--format must be csv or xlsx");
    struct app *a = NULL;
    rc = cli_open(cmd, db, false, &a);
    if (rc)
        return rc;
    struct actor sys;
    app_system_actor(a, &sys);
    /* the ledger (台账) itself is app/ledger.c's: Chinese headers, dates, BOM for CSV */
    struct event_filter flt = {.status = -1, .color = -1, .source = -1};
    struct gg_error err = {0};
    int64_t rows = 0;
    rc = app_ledger_export(a, &sys, &flt, fmt, strcmp(out, "-") == 0 ? "/dev/stdout" : out,
                           gg_time_now(), &rows, &err);
    if (rc) {
        rc = cli_fail(cmd, &err, out);
    } else {
        fprintf(stderr, "exported %lld events to %s\n", (long long)rows, out);
        rc = CLI_OK;
    }
    app_close(a);
    return rc;
}
