/* ledger.c - the event ledger (台账) as XLSX (libxlsxwriter, constant-memory mode: each row goes
 * to a temporary file as soon as it is written) or CSV (UTF-8 with a byte order mark so that
 * Excel and WPS read the Chinese text), written to a file path page by page (499 events at a
 * time through app_event_list, so the caller's scope and filters apply and memory stays flat
 * however many rows there are).
 *
 * Times are shown in Beijing time (UTC+8), which is what the offices that keep the ledger read;
 * XLSX cells are real date-times with a date format. Not here: HTTP (h_export.c streams the
 * finished file), the CLI (cmd_stats.c). */
#include "app/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "base/buf.h"
#include "base/time.h"

#define PAGE 499
#define MAX_ROWS 1048000 /* one XLSX sheet holds 1,048,576 rows */
#define TZ_OFFSET (8 * 3600)
#define NAME_CACHE 4096

struct column {
    const char *title;
    double width;
};

static const struct column cols[] = {
    {"编号", 9},      {"状态", 9},      {"预警颜色", 9},  {"来源", 11},     {"事项编码", 9},
    {"事项名称", 16}, {"问题描述", 40}, {"地址", 28},     {"所属网格", 16}, {"处置单位", 18},
    {"上报时间", 18}, {"立案时间", 18}, {"派遣时间", 18}, {"处置时间", 18}, {"结案时间", 18},
    {"签收时限", 18}, {"处置时限", 18}, {"结案层级", 9},  {"返工次数", 9},  {"延期次数", 9},
    {"满意度", 9},
};
#define N_COLS (sizeof cols / sizeof cols[0])

static const char *color_zh(enum color c)
{
    switch (c) {
    case COLOR_GREEN: return "绿";
    case COLOR_YELLOW: return "黄";
    case COLOR_RED: return "红";
    default: return "";
    }
}

static const char *level_zh(enum level l)
{
    switch (l) {
    case LEVEL_GRID: return "网格";
    case LEVEL_COMMUNITY: return "社区";
    case LEVEL_STREET: return "街道";
    default: return "区/部门";
    }
}

static const char *rating_zh(enum rating r)
{
    switch (r) {
    case RATING_SATISFIED: return "满意";
    case RATING_BASIC: return "基本满意";
    case RATING_UNSATISFIED: return "不满意";
    default: return "";
    }
}

struct name_slot {
    int64_t id;
    char name[GG_NAME_SZ];
};

struct ledger {
    struct app *a;
    struct store *s;
    struct name_slot *names; /* direct-mapped cache of org names */
    /* csv */
    FILE *f;
    /* xlsx */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *fmt_date, *fmt_head;
    uint32_t row;
};

static const char *org_name_cached(struct ledger *l, int64_t id)
{
    if (!id)
        return "";
    struct name_slot *sl = &l->names[(uint64_t)id % NAME_CACHE];
    if (sl->id != id) {
        struct org o;
        sl->id = id;
        sl->name[0] = '\0';
        if (l->s->ops->org_get(l->s, id, &o) == 0)
            gg_strlcpy(sl->name, o.name, sizeof sl->name);
    }
    return sl->name;
}

static void csv_field(FILE *f, const char *s, bool last)
{
    /* a leading = + - @ would be a formula to a spreadsheet: quote it as text */
    bool quote = strpbrk(s, ",\"\r\n") != NULL || (*s && strchr("=+-@", *s));
    if (quote) {
        fputc('"', f);
        if (*s && strchr("=+-@", *s))
            fputc('\'', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputc(last ? '\n' : ',', f);
}

static void local_text(int64_t t, char out[24])
{
    out[0] = '\0';
    if (!t)
        return;
    int64_t lt = t + TZ_OFFSET;
    int64_t days = lt / 86400, secs = lt % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    snprintf(out, 24, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}

static void write_cell_text(struct ledger *l, uint16_t col, const char *s)
{
    if (l->f)
        csv_field(l->f, s, col == N_COLS - 1);
    else
        worksheet_write_string(l->ws, l->row, col, s, NULL);
}

static void write_cell_int(struct ledger *l, uint16_t col, int64_t v)
{
    if (l->f) {
        char b[24];
        snprintf(b, sizeof b, "%lld", (long long)v);
        csv_field(l->f, b, col == N_COLS - 1);
    } else {
        worksheet_write_number(l->ws, l->row, col, (double)v, NULL);
    }
}

static void write_cell_time(struct ledger *l, uint16_t col, int64_t t)
{
    if (l->f) {
        char b[24];
        local_text(t, b);
        csv_field(l->f, b, col == N_COLS - 1);
        return;
    }
    if (!t)
        return;
    int64_t lt = t + TZ_OFFSET;
    int64_t days = lt / 86400, secs = lt % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    lxw_datetime dt;
    gg_civil_from_days(days, &dt.year, &dt.month, &dt.day);
    dt.hour = (int)(secs / 3600);
    dt.min = (int)(secs / 60 % 60);
    dt.sec = (double)(secs % 60);
    if (dt.year < 1900 || dt.year > 9999)
        return;
    worksheet_write_datetime(l->ws, l->row, col, &dt, l->fmt_date);
}

static void write_row(struct ledger *l, const struct event *e)
{
    struct category c;
    const char *cname = app_cat_find(l->a, e->category_code, &c) == 0 ? c.name : "";
    uint16_t k = 0;
    write_cell_int(l, k++, e->id);
    write_cell_text(l, k++, event_status_zh(e->status));
    write_cell_text(l, k++, color_zh(e->color));
    write_cell_text(l, k++, source_zh(e->source));
    write_cell_text(l, k++, e->category_code);
    write_cell_text(l, k++, cname);
    write_cell_text(l, k++, e->description);
    write_cell_text(l, k++, e->address);
    write_cell_text(l, k++, org_name_cached(l, e->grid_id));
    write_cell_text(l, k++, e->assignee_org_id ? org_name_cached(l, e->assignee_org_id)
                                               : "指挥中心");
    write_cell_time(l, k++, e->reported_at);
    write_cell_time(l, k++, e->registered_at);
    write_cell_time(l, k++, e->dispatched_at);
    write_cell_time(l, k++, e->handled_at);
    write_cell_time(l, k++, e->closed_at);
    write_cell_time(l, k++, e->accept_due_at);
    write_cell_time(l, k++, e->handle_due_at);
    write_cell_text(l, k++, e->status == EVENT_STATUS_CLOSED ? level_zh(e->closing_level) : "");
    write_cell_int(l, k++, e->rework_count);
    write_cell_int(l, k++, e->extension_count);
    write_cell_text(l, k++, rating_zh(e->rating));
    l->row++;
}

static int open_ledger(struct ledger *l, enum ledger_format fmt, const char *path,
                       struct gg_error *err)
{
    if (fmt == LEDGER_CSV) {
        l->f = fopen(path, "w");
        if (!l->f)
            return gg_error_set(err, GG_EIO, "out", "无法写入 %s：%s", path, strerror(errno));
        fputs("\xEF\xBB\xBF", l->f);
        for (size_t i = 0; i < N_COLS; i++)
            csv_field(l->f, cols[i].title, i == N_COLS - 1);
        return 0;
    }
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
    l->wb = workbook_new_opt(path, &opt);
    if (!l->wb)
        return gg_error_set(err, GG_EIO, "out", "无法创建 %s", path);
    l->ws = workbook_add_worksheet(l->wb, "事件台账");
    l->fmt_date = workbook_add_format(l->wb);
    l->fmt_head = workbook_add_format(l->wb);
    if (!l->ws || !l->fmt_date || !l->fmt_head)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    format_set_num_format(l->fmt_date, "yyyy-mm-dd hh:mm:ss");
    format_set_bold(l->fmt_head);
    format_set_bg_color(l->fmt_head, 0xDDEBF7);
    format_set_border(l->fmt_head, LXW_BORDER_THIN);
    for (uint16_t i = 0; i < N_COLS; i++)
        worksheet_set_column(l->ws, i, i, cols[i].width, NULL);
    worksheet_freeze_panes(l->ws, 1, 0);
    for (uint16_t i = 0; i < N_COLS; i++)
        worksheet_write_string(l->ws, 0, i, cols[i].title, l->fmt_head);
    l->row = 1;
    return 0;
}

static int close_ledger(struct ledger *l, struct gg_error *err)
{
    int rc = 0;
    if (l->f) {
        bool bad = ferror(l->f) != 0;
        if (fclose(l->f) != 0 || bad)
            rc = gg_error_set(err, GG_EIO, "out", "写入台账失败");
        l->f = NULL;
    }
    if (l->wb) {
        if (l->row > 1)
            worksheet_autofilter(l->ws, 0, 0, l->row - 1, N_COLS - 1);
        lxw_error e = workbook_close(l->wb);
        l->wb = NULL;
        if (e != LXW_NO_ERROR && !rc)
            rc = gg_error_set(err, GG_EIO, "out", "写入台账失败：%s", lxw_strerror(e));
    }
    return rc;
}

struct export_audit {
    const struct actor *who;
    int64_t rows, now;
    enum ledger_format fmt;
};

static int audit_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct export_audit *x = p;
    char detail[96];
    snprintf(detail, sizeof detail, "{\"format\":\"%s\",\"rows\":%lld}",
             x->fmt == LEDGER_CSV ? "csv" : "xlsx", (long long)x->rows);
    return app_audit(s, x->who->user_id ? x->who : NULL, x->now, "events.export", "event", 0,
                     detail);
}

int app_ledger_export(struct app *a, const struct actor *who, const struct event_filter *filter,
                      enum ledger_format fmt, const char *path, int64_t now, int64_t *rows,
                      struct gg_error *err)
{
    *rows = 0;
    struct ledger l;
    memset(&l, 0, sizeof l);
    l.a = a;
    l.s = app_store_for_read(a);
    if (!l.s)
        return gg_error_set(err, GG_EUNAVAILABLE, NULL, "数据库暂不可用");
    l.names = calloc(NAME_CACHE, sizeof *l.names);
    if (!l.names)
        return gg_error_set(err, GG_ENOMEM, NULL, "内存不足");
    struct event_filter f = *filter;
    f.limit = PAGE;
    f.before_id = 0;
    f.now = now;
    int rc = open_ledger(&l, fmt, path, err);
    while (!rc) {
        struct event *items = NULL;
        size_t n = 0;
        int64_t next = 0;
        rc = app_event_list(a, who, &f, &items, &n, &next, err);
        for (size_t i = 0; !rc && i < n && *rows < MAX_ROWS; i++) {
            write_row(&l, &items[i]);
            (*rows)++;
        }
        free(items);
        if (rc || !next || n == 0 || *rows >= MAX_ROWS)
            break;
        f.before_id = next;
    }
    int crc = close_ledger(&l, err);
    free(l.names);
    if (!rc)
        rc = crc;
    if (rc) {
        remove(path);
        return rc;
    }
    struct export_audit x = {who, *rows, now, fmt};
    return app_write(a, audit_job, &x, err);
}
