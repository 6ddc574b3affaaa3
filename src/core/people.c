/* people.c - the pure rules of the population registry: resident id numbers (GB 11643 check
 * character, birth date, gender), phone numbers, masks, tags, household colours, house uses and
 * the role table of who may read, write and unmask. No I/O; the crypto is app/pii.c's. */
#include "core/people.h"

#include "base/buf.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

/* ---- resident id number ---- */

char resident_id_check_char(const char *first17)
{
    static const char map[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (first17[i] < '0' || first17[i] > '9')
            return 0;
        /* weight 2^(17-i) mod 11 */
        static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        sum += (first17[i] - '0') * w[i];
    }
    return map[sum % 11];
}

bool civil_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 ? leap : 0);
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

enum id_problem resident_id_validate(const char *s, size_t n)
{
    if (n != GG_ID_NUMBER_LEN)
        return ID_LENGTH;
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9')
            return ID_CHARS;
    char last = s[17] == 'x' ? 'X' : s[17];
    if (!((last >= '0' && last <= '9') || last == 'X'))
        return ID_CHARS;
    int y = digits(s + 6, 4), m = digits(s + 10, 2), d = digits(s + 12, 2);
    if (y < 1900 || y > 2099 || !civil_valid(y, m, d))
        return ID_BIRTH;
    if (resident_id_check_char(s) != last)
        return ID_CHECK_DIGIT;
    return ID_OK;
}

const char *resident_id_problem_zh(enum id_problem p)
{
    switch (p) {
    case ID_OK:
        return "";
    case ID_LENGTH:
        return "身份证号应为 18 位";
    case ID_CHARS:
        return "身份证号应为 17 位数字加 1 位数字或 X";
    case ID_BIRTH:
        return "身份证号中的出生日期无效";
    case ID_CHECK_DIGIT:
        return "身份证号校验码错误";
    }
    return "身份证号无效";
}

void resident_id_normalise(const char *s, char out[GG_ID_NUMBER_LEN + 1])
{
    memcpy(out, s, GG_ID_NUMBER_LEN);
    if (out[17] == 'x')
        out[17] = 'X';
    out[GG_ID_NUMBER_LEN] = '\0';
}

int64_t resident_id_birth_days(const char *id)
{
    return gg_days_from_civil(digits(id + 6, 4), digits(id + 10, 2), digits(id + 12, 2));
}

enum gender resident_id_gender(const char *id)
{
    return (id[16] - '0') % 2 ? GENDER_MALE : GENDER_FEMALE;
}

/* ---- gender ---- */

const char *gender_id(enum gender g)
{
    static const char *ids[] = {"unknown", "male", "female"};
    return (unsigned)g < GENDER__COUNT ? ids[g] : NULL;
}

const char *gender_zh(enum gender g)
{
    static const char *zh[] = {"未知", "男", "女"};
    return (unsigned)g < GENDER__COUNT ? zh[g] : NULL;
}

int gender_from_id(const char *s)
{
    if (!s)
        return -1;
    for (int g = 0; g < GENDER__COUNT; g++)
        if (strcmp(s, gender_id((enum gender)g)) == 0 || strcmp(s, gender_zh((enum gender)g)) == 0)
            return g;
    return -1;
}

/* ---- phone ---- */

bool phone_valid(const char *s, size_t n)
{
    if (n < 7 || n > GG_MAX_PHONE)
        return false;
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            nd++;
        else if (!(s[i] == '+' && i == 0) && !(s[i] == '-' && i > 0 && i + 1 < n))
            return false;
    }
    if (nd < 7)
        return false;
    /* a mainland mobile number: 11 digits starting with 1 */
    if (n == 11 && nd == 11 && s[0] == '1')
        return s[1] >= '3' && s[1] <= '9';
    return true;
}

/* ---- masks ---- */

void mask_id_number(const char *id, char *out, size_t sz)
{
    size_t n = strlen(id);
    if (n < 11) {
        size_t k = n < sz - 1 ? n : sz - 1;
        memset(out, '*', k);
        out[k] = '\0';
        return;
    }
    snprintf(out, sz, "%.6s********%s", id, id + n - 4);
}

void mask_phone(const char *phone, char *out, size_t sz)
{
    size_t n = strlen(phone);
    if (n < 8) {
        size_t k = n < sz - 1 ? n : sz - 1;
        memset(out, '*', k);
        if (k >= 2 && n == k)
            memcpy(out + k - 2, phone + n - 2, 2);
        out[k] = '\0';
        return;
    }
    char stars[GG_MAX_PHONE + 1];
    size_t ns = n - 7;
    if (ns < 4)
        ns = 4;
    if (ns > GG_MAX_PHONE)
        ns = GG_MAX_PHONE;
    memset(stars, '*', ns);
    stars[ns] = '\0';
    snprintf(out, sz, "%.3s%s%s", phone, stars, phone + n - 4);
}

/* ---- dates ---- */

bool date_parse(const char *s, int64_t *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1800 || !civil_valid(y, m, d))
        return false;
    *days = gg_days_from_civil(y, m, d);
    return true;
}

void date_format(int64_t days, char out[11])
{
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    y = y < 0 ? 0 : y % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

/* ---- tags ---- */

static const char *const tag_ids[] = {
#define XX(n, id, zh) id,
    GG_PERSON_TAG_MAP(XX)
#undef XX
};
static const char *const tag_zh[] = {
#define XX(n, id, zh) zh,
    GG_PERSON_TAG_MAP(XX)
#undef XX
};

const char *person_tag_id(enum person_tag t)
{
    return (unsigned)t < TAG__COUNT ? tag_ids[t] : NULL;
}

const char *person_tag_zh(enum person_tag t)
{
    return (unsigned)t < TAG__COUNT ? tag_zh[t] : NULL;
}

static bool same(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && memcmp(a, b, an) == 0;
}

int person_tag_from_text(const char *s, size_t n)
{
    for (int t = 0; t < TAG__COUNT; t++) {
        const char *zh = tag_zh[t];
        if (same(s, n, tag_ids[t], strlen(tag_ids[t])) || same(s, n, zh, strlen(zh)))
            return t;
        const char *slash = strchr(zh, '/');
        if (slash && (same(s, n, zh, (size_t)(slash - zh)) ||
                      same(s, n, slash + 1, strlen(slash + 1))))
            return t;
    }
    return -1;
}

/* Length of a separator at s (0 when none): ASCII , ; | space tab, or 、，； (3 bytes each). */
static size_t sep_len(const char *s, size_t left)
{
    if (*s == ',' || *s == ';' || *s == '|' || *s == ' ' || *s == '\t')
        return 1;
    if (left >= 3 && (memcmp(s, "\xe3\x80\x81", 3) == 0 || memcmp(s, "\xef\xbc\x8c", 3) == 0 ||
                      memcmp(s, "\xef\xbc\x9b", 3) == 0))
        return 3;
    return 0;
}

int person_tags_parse(const char *s, size_t n, uint32_t *mask, size_t *bad_at, size_t *bad_len)
{
    uint32_t m = 0;
    size_t i = 0;
    while (i < n) {
        size_t k = sep_len(s + i, n - i);
        if (k) {
            i += k;
            continue;
        }
        size_t j = i;
        while (j < n && !sep_len(s + j, n - j))
            j++;
        int t = person_tag_from_text(s + i, j - i);
        if (t < 0) {
            *bad_at = i;
            *bad_len = j - i;
            return -1;
        }
        m |= 1u << t;
        i = j;
    }
    *mask = m;
    return 0;
}

/* ---- household colour, house use, occupancy ---- */

const char *hh_color_id(enum hh_color c)
{
    static const char *ids[] = {"green", "yellow", "red"};
    return (unsigned)c < HH_COLOR__COUNT ? ids[c] : NULL;
}

const char *hh_color_zh(enum hh_color c)
{
    static const char *zh[] = {"放心户", "关注户", "重点户"};
    return (unsigned)c < HH_COLOR__COUNT ? zh[c] : NULL;
}

int hh_color_from_id(const char *s)
{
    if (!s)
        return -1;
    static const char *short_zh[] = {"绿", "黄", "红"};
    static const char *colour_zh[] = {"绿色", "黄色", "红色"};
    for (int c = 0; c < HH_COLOR__COUNT; c++)
        if (strcmp(s, hh_color_id((enum hh_color)c)) == 0 ||
            strcmp(s, hh_color_zh((enum hh_color)c)) == 0 || strcmp(s, short_zh[c]) == 0 ||
            strcmp(s, colour_zh[c]) == 0)
            return c;
    return -1;
}

const char *house_use_id(enum house_use u)
{
    static const char *ids[] = {"residential", "commercial", "vacant"};
    return (unsigned)u < HOUSE_USE__COUNT ? ids[u] : NULL;
}

const char *house_use_zh(enum house_use u)
{
    static const char *zh[] = {"住宅", "商用", "空置"};
    return (unsigned)u < HOUSE_USE__COUNT ? zh[u] : NULL;
}

int house_use_from_id(const char *s)
{
    if (!s)
        return -1;
    for (int u = 0; u < HOUSE_USE__COUNT; u++)
        if (strcmp(s, house_use_id((enum house_use)u)) == 0 ||
            strcmp(s, house_use_zh((enum house_use)u)) == 0)
            return u;
    return -1;
}

const char *occupancy_id(enum occupancy o)
{
    static const char *ids[] = {"owner", "tenant", "none"};
    return (unsigned)o < OCC__COUNT ? ids[o] : NULL;
}

const char *occupancy_zh(enum occupancy o)
{
    static const char *zh[] = {"自住", "租住", "无人居住"};
    return (unsigned)o < OCC__COUNT ? zh[o] : NULL;
}

int occupancy_from_id(const char *s)
{
    if (!s)
        return -1;
    for (int o = 0; o < OCC__COUNT; o++)
        if (strcmp(s, occupancy_id((enum occupancy)o)) == 0 ||
            strcmp(s, occupancy_zh((enum occupancy)o)) == 0)
            return o;
    return -1;
}

/* ---- roles ---- */

bool people_may_read(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF ||
           r == ROLE_GRID_OFFICER;
}

bool people_may_write(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF || r == ROLE_GRID_OFFICER;
}

bool people_has_pii(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF || r == ROLE_GRID_OFFICER;
}

bool people_org_kind_ok(enum org_kind k)
{
    return k == ORG_COMMUNITY || k == ORG_GRID || k == ORG_BUILDING || k == ORG_UNIT;
}
