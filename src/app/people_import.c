/* people_import.c - issue 6: bulk import of people (and the households they name) from a CSV
 * or XLSX table, all or nothing.
 *
 * The whole file is one write job: every row is checked and inserted inside one transaction,
 * each failing row adds (row, column, reason) to the report, and any error rolls the whole job
 * back, so nothing is ever half-imported. Rows go through the same validation as the API
 * (app_person_apply: id number check character, phone, dates, tags, org kind and scope), id and
 * phone numbers are sealed the same way; duplicates of an id number already registered (or
 * earlier in the file) are caught by the unique blind index. One audit entry records the
 * import.
 *
 * Columns (header row, English or Chinese names, any order): docs/participation.md. */
#include "app/internal.h"

#include "base/buf.h"
#include "base/time.h"
#include "core/scope.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col {
    C_ORG,
    C_NAME,
    C_ID,
    C_PHONE,
    C_GENDER,
    C_BIRTH,
    C_HH_CODE,
    C_HH_ADDR,
    C_BUILDING,
    C_UNIT,
    C_ROOM,
    C_HH_COLOR,
    C_RELATION,
    C_TAGS,
    C_PARTY,
    C_BRANCH,
    C_VOLUNTEER,
    C__COUNT
};

/* the column ids, the Chinese names a sheet may use, and the API field each one feeds */
static const struct {
    const char *id, *zh1, *zh2, *field;
} cols[C__COUNT] = {
    [C_ORG] = {"org_code", "组织编码", "网格编码", "org_id"},
    [C_NAME] = {"name", "姓名", NULL, "name"},
    [C_ID] = {"id_number", "身份证号", "公民身份号码", "id_number"},
    [C_PHONE] = {"phone", "电话", "手机号", "phone"},
    [C_GENDER] = {"gender", "性别", NULL, "gender"},
    [C_BIRTH] = {"birth_date", "出生日期", NULL, "birth_date"},
    [C_HH_CODE] = {"household_code", "户编号", "户号", "household_code"},
    [C_HH_ADDR] = {"address", "地址", "住址", "address"},
    [C_BUILDING] = {"building", "楼栋", NULL, "building"},
    [C_UNIT] = {"unit", "单元", NULL, "unit"},
    [C_ROOM] = {"room", "房号", "门牌号", "room"},
    [C_HH_COLOR] = {"household_color", "户颜色", "三色", "color"},
    [C_RELATION] = {"relation", "与户主关系", "关系", "relation"},
    [C_TAGS] = {"tags", "标签", "人员类别", "tags"},
    [C_PARTY] = {"party_member", "党员", "是否党员", "party_member"},
    [C_BRANCH] = {"party_branch", "党支部", "所在支部", "party_branch"},
    [C_VOLUNTEER] = {"volunteer", "志愿者", "是否志愿者", "volunteer"},
};

struct imp {
    struct app *a;
    struct store *s;
    const struct actor *who;
    int64_t now;
    struct people_import_result *res;
    void (*progress)(void *ctx, const char *phase, int64_t rows);
    void *pctx;
    bool header_done, header_bad;
    int map[SHEET_MAX_COLS];            /* file column -> enum col, -1 = none */
    char names[C__COUNT][48];           /* the header text of each column in this file */
    /* caches: rows of one grid and one household usually come together */
    char org_code[GG_CODE_SZ];
    struct org org;
    int org_rc;
    char hh_code[GG_CODE_SZ];
    int64_t hh_id;
};

static int add_error(struct imp *m, int64_t row, const char *column, const char *reason)
{
    struct people_import_result *r = m->res;
    r->n_errors_total++;
    if (r->n_errors >= PEOPLE_IMPORT_MAX_ERRORS)
        return 0;
    if (r->n_errors % 64 == 0) {
        struct row_error *e = realloc(r->errors, (r->n_errors + 64) * sizeof *e);
        if (!e)
            return -GG_ENOMEM;
        r->errors = e;
    }
    struct row_error *e = &r->errors[r->n_errors++];
    e->row = row;
    gg_strlcpy(e->column, column ? column : "", sizeof e->column);
    gg_strlcpy(e->reason, reason, sizeof e->reason);
    return 0;
}

static void trim(const char *s, const char **out, size_t *n)
{
    size_t len = strlen(s);
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    *out = s;
    *n = len;
}

static int header(struct imp *m, int64_t row, const char *const *cells, size_t n)
{
    bool seen[C__COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        m->map[i] = -1;
        const char *h;
        size_t hl;
        trim(cells[i], &h, &hl);
        if (hl == 0)
            continue;
        int found = -1;
        for (int c = 0; c < C__COUNT && found < 0; c++) {
            if ((strlen(cols[c].id) == hl && memcmp(h, cols[c].id, hl) == 0) ||
                (strlen(cols[c].zh1) == hl && memcmp(h, cols[c].zh1, hl) == 0) ||
                (cols[c].zh2 && strlen(cols[c].zh2) == hl && memcmp(h, cols[c].zh2, hl) == 0))
                found = c;
        }
        char name[48];
        snprintf(name, sizeof name, "%.*s", (int)(hl < 47 ? hl : 47), h);
        if (found < 0) {
            m->header_bad = true;
            if (add_error(m, row, name, "未知的列"))
                return -GG_ENOMEM;
            continue;
        }
        if (seen[found]) {
            m->header_bad = true;
            if (add_error(m, row, name, "列重复"))
                return -GG_ENOMEM;
            continue;
        }
        seen[found] = true;
        m->map[i] = found;
        gg_strlcpy(m->names[found], name, sizeof m->names[found]);
    }
    for (size_t i = n; i < SHEET_MAX_COLS; i++)
        m->map[i] = -1;
    const int required[] = {C_ORG, C_NAME};
    for (size_t k = 0; k < 2; k++) {
        if (!seen[required[k]]) {
            m->header_bad = true;
            char reason[96];
            snprintf(reason, sizeof reason, "缺少必需的列 %s（%s）", cols[required[k]].id,
                     cols[required[k]].zh1);
            if (add_error(m, row, cols[required[k]].id, reason))
                return -GG_ENOMEM;
        }
    }
    m->header_done = true;
    return 0;
}

/* 是/否, true/false, 1/0, yes/no, y/n, √; "" = no. -1 when none of these. */
static int parse_bool(const char *s)
{
    static const char *yes[] = {"是", "true", "1", "yes", "y", "Y", "TRUE", "√"};
    static const char *no[] = {"否", "false", "0", "no", "n", "N", "FALSE", ""};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0)
            return 1;
        if (strcmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, or a spreadsheet's day number (1900 date system) */
static bool birth_text(const char *s, char out[11])
{
    size_t n = strlen(s);
    if (n == 10 && (s[4] == '/' || s[4] == '.') && s[7] == s[4]) {
        snprintf(out, 11, "%.4s-%.2s-%.2s", s, s + 5, s + 8);
        return true;
    }
    if (n >= 1 && n <= 6 && strspn(s, "0123456789") == n) {
        int64_t serial = atoll(s);
        if (serial < 1 || serial > 100000)
            return false;
        date_format(serial - 25569, out); /* day 25569 = 1970-01-01 */
        return true;
    }
    gg_strlcpy(out, s, 11);
    return n == 10;
}

static const char *colname(const struct imp *m, enum col c)
{
    return m->names[c][0] ? m->names[c] : cols[c].id;
}

/* The column an app error's field names. */
static const char *column_of_field(const struct imp *m, const char *field)
{
    for (int c = 0; c < C__COUNT; c++)
        if (field && strcmp(field, cols[c].field) == 0)
            return colname(m, (enum col)c);
    return field && *field ? field : "";
}

static int row_fail(struct imp *m, int64_t row, const char *column, const char *reason)
{
    return add_error(m, row, column, reason);
}

static int find_org(struct imp *m, const char *code, struct gg_error *err)
{
    if (strcmp(code, m->org_code) != 0 || m->org_rc) {
        gg_strlcpy(m->org_code, code, sizeof m->org_code);
        m->org_rc = m->s->ops->org_get_by_code(m->s, code, &m->org);
    }
    if (m->org_rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_EINVAL, "org_id", "组织编码 %s 不存在", code);
    if (m->org_rc)
        return gg_error_set(err, m->org_rc, NULL, "数据库暂不可用");
    return 0;
}

/* The household a row names: the cached one, an existing one in scope, or a new one. */
static int find_household(struct imp *m, const char *const *v, struct gg_error *err)
{
    const char *code = v[C_HH_CODE];
    if (m->hh_id && strcmp(code, m->hh_code) == 0)
        return 0;
    struct household h;
    int rc = m->s->ops->household_get_by_code(m->s, code, &h);
    if (rc == 0) {
        if (!scope_covers(m->who->scope_path, h.org_path))
            return gg_error_set(err, GG_EINVAL, "household_code", "户编号 %s 属于管辖范围外的户",
                                code);
    } else if (rc == -GG_ENOTFOUND) {
        int color = *v[C_HH_COLOR] ? hh_color_from_id(v[C_HH_COLOR]) : HH_GREEN;
        if (color < 0)
            return gg_error_set(err, GG_EINVAL, "color", "户颜色应为 绿/黄/红 或 green/yellow/red");
        struct household_input in = {.org_id = m->org.id,
                                     .code = code,
                                     .address = v[C_HH_ADDR],
                                     .building = v[C_BUILDING],
                                     .unit = v[C_UNIT],
                                     .room = v[C_ROOM],
                                     .color = color,
                                     .house_id = 0};
        rc = app_household_insert(m->s, m->who, &in, m->now, false, &h, err);
        if (rc == -GG_EINVAL && strcmp(err->field, "code") == 0)
            gg_strlcpy(err->field, "household_code", sizeof err->field);
        if (rc)
            return rc;
        m->res->households_created++;
    } else {
        return gg_error_set(err, rc, NULL, "数据库暂不可用");
    }
    gg_strlcpy(m->hh_code, code, sizeof m->hh_code);
    m->hh_id = h.id;
    return 0;
}

static bool fatal(int rc)
{
    return rc == -GG_ENOMEM || rc == -GG_EIO || rc == -GG_EUNAVAILABLE || rc == -GG_EINTERNAL;
}

static int on_row(void *ctx, int64_t row, const char *const *cells, size_t n)
{
    struct imp *m = ctx;
    if (!m->header_done)
        return header(m, row, cells, n);
    if (m->header_bad)
        return 0; /* the header's errors say it all */
    struct people_import_result *res = m->res;
    if (++res->rows > PEOPLE_IMPORT_MAX_ROWS) {
        char reason[80];
        snprintf(reason, sizeof reason, "一次最多导入 %d 行", PEOPLE_IMPORT_MAX_ROWS);
        add_error(m, row, "", reason);
        return -GG_ETOOLARGE;
    }
    if (m->progress && res->rows % 50000 == 0)
        m->progress(m->pctx, "import", res->rows);
    const char *v[C__COUNT];
    for (int c = 0; c < C__COUNT; c++)
        v[c] = "";
    for (size_t i = 0; i < n; i++)
        if (m->map[i] >= 0)
            v[m->map[i]] = cells[i];

    struct gg_error err = {0};
    struct person_input in = {.household_id = -1, .gender = -1, .party_member = -1,
                              .volunteer = -1};
    char birth[11];
    int rc = 0;
    /* the columns app_person_apply does not read as they come */
    if (!*v[C_ORG])
        return row_fail(m, row, colname(m, C_ORG), "组织编码不能为空");
    rc = find_org(m, v[C_ORG], &err);
    if (!rc && *v[C_GENDER] && (in.gender = gender_from_id(v[C_GENDER])) < 0)
        rc = gg_error_set(&err, GG_EINVAL, "gender", "性别应为 男/女");
    if (!rc && *v[C_BIRTH] && !birth_text(v[C_BIRTH], birth))
        rc = gg_error_set(&err, GG_EINVAL, "birth_date", "出生日期应为 YYYY-MM-DD");
    if (!rc && *v[C_TAGS]) {
        size_t at = 0, len = 0;
        if (person_tags_parse(v[C_TAGS], strlen(v[C_TAGS]), &in.tags, &at, &len))
            rc = gg_error_set(&err, GG_EINVAL, "tags", "未知的标签 %.*s", (int)(len < 40 ? len : 40),
                              v[C_TAGS] + at);
        in.set_tags = true;
    }
    if (!rc && (in.party_member = parse_bool(v[C_PARTY])) < 0)
        rc = gg_error_set(&err, GG_EINVAL, "party_member", "党员应为 是/否");
    if (!rc && (in.volunteer = parse_bool(v[C_VOLUNTEER])) < 0)
        rc = gg_error_set(&err, GG_EINVAL, "volunteer", "志愿者应为 是/否");
    if (!rc && *v[C_HH_CODE]) {
        rc = find_household(m, v, &err);
        in.household_id = m->hh_id;
    } else if (!rc) {
        in.household_id = 0;
    }
    if (rc) {
        if (fatal(rc))
            return rc;
        return row_fail(m, row, column_of_field(m, err.field), err.message);
    }
    in.org_id = m->org.id;
    in.name = v[C_NAME];
    in.id_number = *v[C_ID] ? v[C_ID] : NULL;
    in.phone = *v[C_PHONE] ? v[C_PHONE] : NULL;
    in.birth_date = *v[C_BIRTH] ? birth : NULL;
    in.party_branch = v[C_BRANCH];
    in.relation = v[C_RELATION];
    struct person p;
    memset(&p, 0, sizeof p);
    rc = app_person_apply(m->a, m->s, m->who, &in, true, &p, NULL, &err);
    if (!rc) {
        p.created_at = p.updated_at = m->now;
        rc = m->s->ops->person_insert(m->s, &p);
        if (rc == -GG_ECONFLICT)
            rc = gg_error_set(&err, GG_ECONFLICT, "id_number", "该身份证号已登记（或在文件中重复）");
    }
    if (rc) {
        if (fatal(rc))
            return rc;
        return row_fail(m, row, column_of_field(m, err.field), err.message);
    }
    res->people_created++;
    return 0;
}

struct import_job {
    struct imp m;
    enum sheet_format fmt;
    const void *data;
    size_t len;
};

static int import_job(struct app *a, struct store *s, void *ctx, struct gg_error *err)
{
    (void)a;
    struct import_job *j = ctx;
    j->m.s = s;
    int rc = j->fmt == SHEET_CSV ? sheet_read_csv(j->data, j->len, on_row, &j->m, err)
                                 : sheet_read_xlsx(j->data, j->len, on_row, &j->m, err);
    struct people_import_result *res = j->m.res;
    if (rc == -GG_ETOOLARGE)
        return gg_error_set(err, GG_EINVAL, "file", "一次最多导入 %d 行，未导入任何数据",
                            PEOPLE_IMPORT_MAX_ROWS);
    if (rc) {
        if (!err->code)
            gg_error_set(err, -rc, "file", "导入失败");
        return rc;
    }
    if (!j->m.header_done)
        return gg_error_set(err, GG_EINVAL, "file", "文件是空的：第一行应为列名");
    if (res->n_errors_total)
        return gg_error_set(err, GG_EINVAL, "file", "%lld 处错误，未导入任何数据",
                            (long long)res->n_errors_total);
    if (res->rows == 0)
        return gg_error_set(err, GG_EINVAL, "file", "文件中没有数据行");
    if (j->m.progress)
        j->m.progress(j->m.pctx, "commit", res->rows);
    char detail[200];
    snprintf(detail, sizeof detail,
             "{\"rows\":%lld,\"people_created\":%lld,\"households_created\":%lld,\"format\":\"%s\"}",
             (long long)res->rows, (long long)res->people_created,
             (long long)res->households_created, j->fmt == SHEET_CSV ? "csv" : "xlsx");
    return app_audit(s, j->m.who, j->m.now, "people.import", "person", 0, detail);
}

int app_people_import(struct app *a, const struct actor *who, enum sheet_format fmt,
                      const void *data, size_t len, int64_t now,
                      void (*progress)(void *ctx, const char *phase, int64_t rows), void *pctx,
                      struct people_import_result *out, struct gg_error *err)
{
    memset(out, 0, sizeof *out);
    if (!people_may_write(who->role))
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "%s 不能导入人口信息", role_zh(who->role));
    int rc = app_pii_require(a, err);
    if (rc)
        return rc;
    if (len == 0)
        return gg_error_set(err, GG_EINVAL, "file", "文件是空的");
    struct import_job j = {.fmt = fmt, .data = data, .len = len};
    j.m.a = a;
    j.m.who = who;
    j.m.now = now;
    j.m.res = out;
    j.m.progress = progress;
    j.m.pctx = pctx;
    rc = app_write(a, import_job, &j, err);
    if (rc) {
        out->people_created = 0;
        out->households_created = 0;
    }
    return rc;
}
