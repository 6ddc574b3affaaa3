/* party.c - the party organisation's pure rules (party.h): names of kinds, the chain rule,
 * meeting frequencies and the 三会一课 compliance check.
 *
 * Not here: storage, scope checks against the org tree, the clock (app/party.c). */
#include "core/party.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/time.h"

static const char *const pk_ids[] = {
#define XX(n, id, zh) id,
    GG_PARTY_KIND_MAP(XX)
#undef XX
};
static const char *const pk_zh[] = {
#define XX(n, id, zh) zh,
    GG_PARTY_KIND_MAP(XX)
#undef XX
};
static const char *const mk_ids[] = {
#define XX(n, id, zh) id,
    GG_MEMBER_KIND_MAP(XX)
#undef XX
};
static const char *const mk_zh[] = {
#define XX(n, id, zh) zh,
    GG_MEMBER_KIND_MAP(XX)
#undef XX
};
static const char *const cl_ids[] = {
#define XX(n, id, zh) id,
    GG_COVER_LEVEL_MAP(XX)
#undef XX
};
static const char *const cl_zh[] = {
#define XX(n, id, zh) zh,
    GG_COVER_LEVEL_MAP(XX)
#undef XX
};
static const char *const mt_ids[] = {
#define XX(n, id, zh, m) id,
    GG_MEETING_KIND_MAP(XX)
#undef XX
};
static const char *const mt_zh[] = {
#define XX(n, id, zh, m) zh,
    GG_MEETING_KIND_MAP(XX)
#undef XX
};
static const int mt_months[] = {
#define XX(n, id, zh, m) m,
    GG_MEETING_KIND_MAP(XX)
#undef XX
};
static const char *const at_ids[] = {"present", "absent", "excused"};
static const char *const at_zh[] = {"出席", "缺席", "请假"};

static const char *name_of(const char *const *t, int n, int i)
{
    return i >= 0 && i < n ? t[i] : "";
}

/* index of s in ids or zh (zh may be NULL); -1 when absent */
static int find(const char *const *ids, const char *const *zh, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, ids[i]) == 0 || (zh && strcmp(s, zh[i]) == 0))
            return i;
    return -1;
}

const char *party_kind_id(enum party_kind k) { return name_of(pk_ids, PARTY_KIND__COUNT, k); }
const char *party_kind_zh(enum party_kind k) { return name_of(pk_zh, PARTY_KIND__COUNT, k); }
int party_kind_from_id(const char *s) { return find(pk_ids, pk_zh, PARTY_KIND__COUNT, s); }
const char *member_kind_id(enum member_kind k) { return name_of(mk_ids, MEMBER_KIND__COUNT, k); }
const char *member_kind_zh(enum member_kind k) { return name_of(mk_zh, MEMBER_KIND__COUNT, k); }
int member_kind_from_id(const char *s) { return find(mk_ids, mk_zh, MEMBER_KIND__COUNT, s); }
const char *cover_level_id(enum cover_level l) { return name_of(cl_ids, COVER_LEVEL__COUNT, l); }
const char *cover_level_zh(enum cover_level l) { return name_of(cl_zh, COVER_LEVEL__COUNT, l); }
int cover_level_from_id(const char *s) { return find(cl_ids, cl_zh, COVER_LEVEL__COUNT, s); }
const char *meeting_kind_id(enum meeting_kind k) { return name_of(mt_ids, MEETING_KIND__COUNT, k); }
const char *meeting_kind_zh(enum meeting_kind k) { return name_of(mt_zh, MEETING_KIND__COUNT, k); }
int meeting_kind_from_id(const char *s) { return find(mt_ids, mt_zh, MEETING_KIND__COUNT, s); }
const char *attendance_id(enum attendance a) { return name_of(at_ids, ATTEND__COUNT, a); }
const char *attendance_zh(enum attendance a) { return name_of(at_zh, ATTEND__COUNT, a); }
int attendance_from_id(const char *s) { return find(at_ids, at_zh, ATTEND__COUNT, s); }

int meeting_default_months(enum meeting_kind k)
{
    return k < MEETING_KIND__COUNT ? mt_months[k] : 0;
}

bool party_child_ok(bool has_parent, enum party_kind parent, enum party_kind child)
{
    if (child >= PARTY_KIND__COUNT)
        return false;
    if (!has_parent)
        return child == PARTY_WORKING_COMMITTEE || child == PARTY_COMMITTEE;
    if (parent >= PARTY_KIND__COUNT || parent == PARTY_HOUSEHOLD)
        return false;
    if (child == PARTY_HOUSEHOLD)
        return parent == PARTY_BRANCH || parent == PARTY_GROUP;
    /* 党工委 and 党委 are peers at the top: neither hangs under the other */
    if (child == PARTY_COMMITTEE || child == PARTY_WORKING_COMMITTEE)
        return false;
    return child > parent;
}

bool party_meeting_org_ok(enum party_kind org, enum meeting_kind m)
{
    if (org >= PARTY_KIND__COUNT || m >= MEETING_KIND__COUNT || org == PARTY_HOUSEHOLD)
        return false;
    if (m == MEETING_GROUP)
        return org == PARTY_GROUP || org == PARTY_BRANCH;
    return org != PARTY_GROUP;
}

bool party_may_read(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF;
}

bool party_may_write(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF;
}

bool party_may_cover(enum role r)
{
    return r != ROLE_RESIDENT && r != ROLE_HANDLER && r < ROLE__COUNT;
}

/* ---- frequencies ---- */

static bool interval_ok(int k)
{
    return k == 0 || (k > 0 && k <= 12 && 12 % k == 0);
}

void party_intervals_default(int out[MEETING_KIND__COUNT])
{
    for (int k = 0; k < MEETING_KIND__COUNT; k++)
        out[k] = mt_months[k];
}

bool party_intervals_parse(const char *s, int out[MEETING_KIND__COUNT])
{
    int v[MEETING_KIND__COUNT];
    const char *p = s;
    if (!s)
        return false;
    for (int k = 0; k < MEETING_KIND__COUNT; k++) {
        if (*p < '0' || *p > '9')
            return false;
        int n = 0;
        while (*p >= '0' && *p <= '9' && n <= 12)
            n = n * 10 + (*p++ - '0');
        if (!interval_ok(n))
            return false;
        v[k] = n;
        if (k + 1 < MEETING_KIND__COUNT) {
            if (*p != ',')
                return false;
            p++;
        }
    }
    if (*p)
        return false;
    memcpy(out, v, sizeof v);
    return true;
}

/* ---- months ---- */

bool party_month_parse(const char *s, int *month)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1900 || y > 2099 || m < 1 || m > 12)
        return false;
    *month = y * 12 + m - 1;
    return true;
}

void party_month_format(int month, char out[8])
{
    if (month < 0 || month >= 10000 * 12)
        month = 0;
    int y = month / 12, m = month % 12 + 1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '\0';
}

int party_month_of_day(int64_t days)
{
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    return y * 12 + m - 1;
}

/* ---- compliance ---- */

/* the first window starting at or after month_from, aligned on January */
static int first_window(int month_from, int len)
{
    return month_from + (len - month_from % len) % len;
}

int party_compliance_windows(const int intervals[MEETING_KIND__COUNT], int month_from, int month_to)
{
    if (month_from < 0 || month_to <= month_from)
        return -1;
    int n = 0;
    for (int k = 0; k < MEETING_KIND__COUNT; k++) {
        if (!interval_ok(intervals[k]))
            return -1;
        int len = intervals[k];
        if (!len)
            continue;
        for (int w = first_window(month_from, len); w + len <= month_to; w += len)
            n++;
    }
    return n;
}

int party_compliance(const int intervals[MEETING_KIND__COUNT], int month_from, int month_to,
                     const struct meeting_fact *facts, size_t n_facts, struct meeting_gap *gaps,
                     size_t max_gaps, size_t *n_gaps, size_t *n_total)
{
    *n_gaps = 0;
    *n_total = 0;
    if (month_from < 0 || month_to <= month_from)
        return -1;
    for (int k = 0; k < MEETING_KIND__COUNT; k++)
        if (!interval_ok(intervals[k]))
            return -1;
    for (int k = 0; k < MEETING_KIND__COUNT; k++) {
        int len = intervals[k];
        if (!len)
            continue;
        for (int w = first_window(month_from, len); w + len <= month_to; w += len) {
            bool held = false;
            for (size_t i = 0; i < n_facts && !held; i++)
                held = facts[i].kind == (enum meeting_kind)k && facts[i].month >= w &&
                       facts[i].month < w + len;
            if (held)
                continue;
            if (*n_gaps < max_gaps) {
                gaps[*n_gaps].kind = (enum meeting_kind)k;
                gaps[*n_gaps].month_from = w;
                gaps[*n_gaps].month_to = w + len;
                (*n_gaps)++;
            }
            (*n_total)++;
        }
    }
    return 0;
}
