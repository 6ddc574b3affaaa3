/* sheet.c - issue 6: reading tables for bulk imports, row by row: CSV (RFC 4180, UTF-8, an
 * optional BOM, CRLF or LF) and XLSX (the first worksheet; libzip opens the package from
 * memory and expat parses its XML as a stream, so a million-row sheet costs memory only for
 * its shared strings).
 *
 * Why libzip + expat: Debian bookworm packages no XLSX reader library for C (libxlsxwriter only
 * writes, libxlsxio is not packaged); libzip and expat are both maintained, packaged, and
 * enough for the two files of a workbook we need (sharedStrings.xml, the first sheet).
 *
 * Each row reaches the callback as NUL-terminated cells (empty cells are ""), with its row
 * number as a spreadsheet shows it (1 = the first line). Not here: what the columns mean
 * (people_import.c). */
#include "app/internal.h"

#include "base/buf.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_CELL 4096       /* bytes of one cell */
#define MAX_SHARED (8u << 20) /* shared strings of one workbook */

/* ---- one row being built: cells as offsets into a text buffer ---- */

struct row_buf {
    char *text;
    size_t len, cap;
    size_t offs[SHEET_MAX_COLS];
    size_t n; /* cells so far */
    const char *ptrs[SHEET_MAX_COLS];
};

/* room for `more` bytes after len */
static int rb_reserve(struct row_buf *rb, size_t more)
{
    size_t nc = rb->cap ? rb->cap : 1024;
    while (rb->len + more > nc)
        nc *= 2;
    if (nc == rb->cap)
        return 0;
    char *t = realloc(rb->text, nc);
    if (!t)
        return -GG_ENOMEM;
    rb->text = t;
    rb->cap = nc;
    return 0;
}

static int rb_put(struct row_buf *rb, size_t col, const char *s, size_t n)
{
    if (col >= SHEET_MAX_COLS)
        return -GG_EINVAL;
    /* pad skipped columns with empty cells */
    while (rb->n <= col) {
        if (rb_reserve(rb, 1))
            return -GG_ENOMEM;
        rb->offs[rb->n++] = rb->len;
        rb->text[rb->len++] = '\0';
    }
    if (n == 0)
        return 0;
    /* the cell's text replaces its empty placeholder, which is the last one written */
    if (col != rb->n - 1)
        return -GG_EINVAL; /* cells go left to right */
    rb->len = rb->offs[col];
    if (rb_reserve(rb, n + 1))
        return -GG_ENOMEM;
    memcpy(rb->text + rb->len, s, n);
    rb->len += n;
    rb->text[rb->len++] = '\0';
    return 0;
}

static int rb_emit(struct row_buf *rb, int64_t row, sheet_row_fn fn, void *ctx)
{
    for (size_t i = 0; i < rb->n; i++)
        rb->ptrs[i] = rb->text + rb->offs[i];
    int rc = fn(ctx, row, rb->ptrs, rb->n);
    rb->n = 0;
    rb->len = 0;
    return rc;
}

/* ---- CSV ---- */

int sheet_read_csv(const char *data, size_t len, sheet_row_fn fn, void *ctx, struct gg_error *err)
{
    struct row_buf rb = {0};
    struct gg_buf cell;
    gg_buf_init(&cell, MAX_CELL + 1);
    size_t i = 0;
    int64_t row = 1;
    int rc = 0;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && !rc) {
        /* one record */
        size_t col = 0;
        for (;;) {
            cell.len = 0;
            if (i < len && data[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        rc = gg_error_set(err, GG_EINVAL, "file", "第 %lld 行：引号没有闭合",
                                          (long long)row);
                        goto out;
                    }
                    if (data[i] == '"') {
                        if (i + 1 < len && data[i + 1] == '"') {
                            rc = gg_buf_append(&cell, "\"", 1);
                            i += 2;
                        } else {
                            i++;
                            break;
                        }
                    } else {
                        size_t j = i;
                        while (j < len && data[j] != '"')
                            j++;
                        rc = gg_buf_append(&cell, data + i, j - i);
                        i = j;
                    }
                    if (rc) {
                        rc = gg_error_set(err, GG_EINVAL, "file", "第 %lld 行：单元格超过 %d 字节",
                                          (long long)row, MAX_CELL);
                        goto out;
                    }
                }
                /* after the closing quote: a separator or the end of the record */
                if (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
                    rc = gg_error_set(err, GG_EINVAL, "file", "第 %lld 行：引号之后应为逗号或换行",
                                      (long long)row);
                    goto out;
                }
            } else {
                size_t j = i;
                while (j < len && data[j] != ',' && data[j] != '\n' && data[j] != '\r')
                    j++;
                if (j - i > MAX_CELL) {
                    rc = gg_error_set(err, GG_EINVAL, "file", "第 %lld 行：单元格超过 %d 字节",
                                      (long long)row, MAX_CELL);
                    goto out;
                }
                rc = gg_buf_append(&cell, data + i, j - i);
                i = j;
            }
            if (!rc)
                rc = rb_put(&rb, col, cell.data ? cell.data : "", cell.len);
            if (rc) {
                rc = gg_error_set(err, rc == -GG_ENOMEM ? GG_ENOMEM : GG_EINVAL, "file",
                                  "第 %lld 行：列数超过 %d", (long long)row, SHEET_MAX_COLS);
                goto out;
            }
            col++;
            if (i < len && data[i] == ',') {
                i++;
                continue;
            }
            break;
        }
        if (i < len && data[i] == '\r')
            i++;
        if (i < len && data[i] == '\n')
            i++;
        /* a record of one empty cell is a blank line: skipped, but it still counts */
        bool blank = rb.n == 1 && rb.text[rb.offs[0]] == '\0';
        if (blank) {
            rb.n = 0;
            rb.len = 0;
        } else {
            rc = rb_emit(&rb, row, fn, ctx);
        }
        row++;
    }
out:
    gg_buf_release(&cell);
    free(rb.text);
    return rc;
}

/* ---- XLSX ---- */

/* Streams one member of the package through an expat parser; -GG_ENOTFOUND when missing. */
static int parse_member(zip_t *z, const char *name, XML_Parser p)
{
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return -GG_ENOTFOUND;
    char buf[65536];
    int rc = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, sizeof buf);
        if (n < 0) {
            rc = -GG_EINVAL;
            break;
        }
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            rc = XML_GetErrorCode(p) == XML_ERROR_ABORTED ? -GG_ECONFLICT : -GG_EINVAL;
            break;
        }
        if (n == 0)
            break;
    }
    zip_fclose(f);
    return rc;
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* the local part of a possibly prefixed element name ("x:row" -> "row") */
static const char *local(const char *name)
{
    const char *c = strchr(name, ':');
    return c ? c + 1 : name;
}

/* workbook.xml: the first <sheet r:id="…">; rels: its Target */
struct wb_ctx {
    char rid[64];
    char target[256];
    const char *want_rid;
};

static void XMLCALL wb_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    struct wb_ctx *c = u;
    const char *ln = local(name);
    if (!c->want_rid && !c->rid[0] && strcmp(ln, "sheet") == 0) {
        for (size_t i = 0; atts[i]; i += 2)
            if (strcmp(local(atts[i]), "id") == 0 && strchr(atts[i], ':'))
                gg_strlcpy(c->rid, atts[i + 1], sizeof c->rid);
    } else if (c->want_rid && !c->target[0] && strcmp(ln, "Relationship") == 0) {
        const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
        if (id && t && strcmp(id, c->want_rid) == 0) {
            if (t[0] == '/')
                gg_strlcpy(c->target, t + 1, sizeof c->target);
            else
                snprintf(c->target, sizeof c->target, "xl/%s", t);
        }
    }
}

static void first_sheet(zip_t *z, char *out, size_t sz)
{
    gg_strlcpy(out, "xl/worksheets/sheet1.xml", sz);
    struct wb_ctx c = {0};
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p)
        return;
    XML_SetUserData(p, &c);
    XML_SetStartElementHandler(p, wb_start);
    int rc = parse_member(z, "xl/workbook.xml", p);
    XML_ParserFree(p);
    if (rc || !c.rid[0])
        return;
    c.want_rid = c.rid;
    p = XML_ParserCreate("UTF-8");
    if (!p)
        return;
    XML_SetUserData(p, &c);
    XML_SetStartElementHandler(p, wb_start);
    rc = parse_member(z, "xl/_rels/workbook.xml.rels", p);
    XML_ParserFree(p);
    if (!rc && c.target[0])
        gg_strlcpy(out, c.target, sz);
}

/* sharedStrings.xml: each <si> is the text of its <t> elements (rich runs concatenated,
 * phonetic runs <rPh> left out) */
struct sst {
    char *text; /* every string, NUL-terminated, one after another */
    size_t len, cap;
    size_t *offs;
    size_t n, ncap;
    int in_si, in_t, in_rph;
    size_t cur_len; /* bytes of the current <si> */
    bool failed;
};

static int sst_append(struct sst *s, const char *d, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 65536;
        while (s->len + n + 1 > nc)
            nc *= 2;
        if (nc > (size_t)1 << 30)
            return -1;
        char *t = realloc(s->text, nc);
        if (!t)
            return -1;
        s->text = t;
        s->cap = nc;
    }
    memcpy(s->text + s->len, d, n);
    s->len += n;
    return 0;
}

static void XMLCALL sst_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    struct sst *s = u;
    const char *ln = local(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = 1;
        s->cur_len = 0;
        if (s->n == s->ncap) {
            size_t nc = s->ncap ? s->ncap * 2 : 4096;
            size_t *o = nc <= MAX_SHARED ? realloc(s->offs, nc * sizeof *o) : NULL;
            if (!o) {
                s->failed = true;
                return;
            }
            s->offs = o;
            s->ncap = nc;
        }
        s->offs[s->n] = s->len;
    } else if (strcmp(ln, "rPh") == 0) {
        s->in_rph = 1;
    } else if (strcmp(ln, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
}

static void XMLCALL sst_end(void *u, const XML_Char *name)
{
    struct sst *s = u;
    const char *ln = local(name);
    if (strcmp(ln, "si") == 0 && s->in_si) {
        s->in_si = 0;
        if (!s->failed && sst_append(s, "", 1) == 0)
            s->n++;
        else
            s->failed = true;
    } else if (strcmp(ln, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(ln, "t") == 0) {
        s->in_t = 0;
    }
}

static void XMLCALL sst_text(void *u, const XML_Char *d, int n)
{
    struct sst *s = u;
    if (!s->in_t || s->failed)
        return;
    if (s->cur_len + (size_t)n > MAX_CELL || sst_append(s, d, (size_t)n)) {
        s->failed = true;
        return;
    }
    s->cur_len += (size_t)n;
}

/* the worksheet */
struct ws {
    struct sst *sst;
    struct row_buf rb;
    sheet_row_fn fn;
    void *ctx;
    XML_Parser p;
    int64_t row;       /* the current <row>'s number */
    int64_t next_row;  /* for rows without r="" */
    size_t col;        /* the current cell's column */
    char type[12];     /* the current cell's t="" */
    int in_v, in_t, in_is, in_c;
    struct gg_buf val; /* the current cell's text */
    int rc;
    char problem[160];
};

/* "BC12" -> column 54 (0-based); -1 when malformed */
static long col_of(const char *ref)
{
    long c = 0;
    size_t k = 0;
    for (; ref[k] >= 'A' && ref[k] <= 'Z'; k++) {
        c = c * 26 + (ref[k] - 'A' + 1);
        if (c > 16384)
            return -1;
    }
    return k ? c - 1 : -1;
}

static void ws_fail(struct ws *w, int rc, const char *msg)
{
    if (!w->rc) {
        w->rc = rc;
        snprintf(w->problem, sizeof w->problem, "%s", msg);
    }
    XML_StopParser(w->p, XML_FALSE);
}

static void XMLCALL ws_start(void *u, const XML_Char *name, const XML_Char **atts)
{
    struct ws *w = u;
    const char *ln = local(name);
    if (strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        w->row = r ? atoll(r) : w->next_row;
        if (w->row < 1)
            w->row = w->next_row;
        w->next_row = w->row + 1;
        w->rb.n = 0;
        w->rb.len = 0;
    } else if (strcmp(ln, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long c = r ? col_of(r) : (long)w->rb.n;
        if (c < 0 || c >= SHEET_MAX_COLS) {
            ws_fail(w, -GG_EINVAL, "列数超过上限");
            return;
        }
        w->col = (size_t)c;
        gg_strlcpy(w->type, t ? t : "n", sizeof w->type);
        w->in_c = 1;
        w->val.len = 0;
    } else if (w->in_c && strcmp(ln, "v") == 0) {
        w->in_v = 1;
    } else if (w->in_c && strcmp(ln, "is") == 0) {
        w->in_is = 1;
    } else if (w->in_is && strcmp(ln, "t") == 0) {
        w->in_t = 1;
    }
}

static void XMLCALL ws_end(void *u, const XML_Char *name)
{
    struct ws *w = u;
    const char *ln = local(name);
    if (strcmp(ln, "v") == 0) {
        w->in_v = 0;
    } else if (strcmp(ln, "t") == 0) {
        w->in_t = 0;
    } else if (strcmp(ln, "is") == 0) {
        w->in_is = 0;
    } else if (strcmp(ln, "c") == 0 && w->in_c) {
        w->in_c = 0;
        const char *text = w->val.data ? w->val.data : "";
        size_t n = w->val.len;
        if (strcmp(w->type, "s") == 0 && n) {
            char *end;
            unsigned long k = strtoul(text, &end, 10);
            if (*end || k >= w->sst->n) {
                ws_fail(w, -GG_EINVAL, "共享字符串索引无效");
                return;
            }
            text = w->sst->text + w->sst->offs[k];
            n = strlen(text);
        }
        if (n && w->col < w->rb.n) {
            ws_fail(w, -GG_EINVAL, "单元格顺序错误");
            return;
        }
        int rc = rb_put(&w->rb, w->col, text, n);
        if (rc)
            ws_fail(w, rc, "单元格无法读取");
    } else if (strcmp(ln, "row") == 0) {
        bool blank = true;
        for (size_t i = 0; i < w->rb.n && blank; i++)
            blank = w->rb.text[w->rb.offs[i]] == '\0';
        if (blank) {
            w->rb.n = 0;
            w->rb.len = 0;
            return;
        }
        int rc = rb_emit(&w->rb, w->row, w->fn, w->ctx);
        if (rc) {
            w->rc = rc;
            XML_StopParser(w->p, XML_FALSE);
        }
    }
}

static void XMLCALL ws_text(void *u, const XML_Char *d, int n)
{
    struct ws *w = u;
    if (!(w->in_v || w->in_t))
        return;
    if (gg_buf_append(&w->val, d, (size_t)n))
        ws_fail(w, -GG_EINVAL, "单元格超过 4096 字节");
}

int sheet_read_xlsx(const void *data, size_t len, sheet_row_fn fn, void *ctx,
                    struct gg_error *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return gg_error_set(err, GG_EINVAL, "file", "不是有效的 XLSX 文件（无法解压）");
    }
    zip_error_fini(&ze);
    int rc = 0;
    struct sst sst = {0};
    struct ws w = {.sst = &sst, .fn = fn, .ctx = ctx, .next_row = 1};
    gg_buf_init(&w.val, MAX_CELL + 1);
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) {
        rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
        goto out;
    }
    XML_SetUserData(p, &sst);
    XML_SetElementHandler(p, sst_start, sst_end);
    XML_SetCharacterDataHandler(p, sst_text);
    rc = parse_member(z, "xl/sharedStrings.xml", p);
    XML_ParserFree(p);
    if (rc == -GG_ENOTFOUND) /* a workbook of numbers and inline strings has none */
        rc = 0;
    if (rc || sst.failed) {
        rc = gg_error_set(err, GG_EINVAL, "file", "XLSX 的共享字符串无法读取");
        goto out;
    }
    char sheet[256];
    first_sheet(z, sheet, sizeof sheet);
    w.p = XML_ParserCreate("UTF-8");
    if (!w.p) {
        rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
        goto out;
    }
    XML_SetUserData(w.p, &w);
    XML_SetElementHandler(w.p, ws_start, ws_end);
    XML_SetCharacterDataHandler(w.p, ws_text);
    rc = parse_member(z, sheet, w.p);
    XML_ParserFree(w.p);
    if (w.rc && !w.problem[0]) {
        rc = w.rc; /* the callback stopped: its error is already in err */
    } else if (w.rc) {
        rc = gg_error_set(err, w.rc == -GG_ENOMEM ? GG_ENOMEM : GG_EINVAL, "file",
                          "XLSX 第 %lld 行：%s", (long long)w.row, w.problem);
    } else if (rc == -GG_ENOTFOUND) {
        rc = gg_error_set(err, GG_EINVAL, "file", "XLSX 中没有工作表");
    } else if (rc) {
        rc = gg_error_set(err, GG_EINVAL, "file", "XLSX 工作表无法解析（第 %lld 行附近）",
                          (long long)w.row);
    }
out:
    zip_discard(z);
    gg_buf_release(&w.val);
    free(w.rb.text);
    free(sst.text);
    free(sst.offs);
    return rc;
}
