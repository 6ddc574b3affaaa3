/* party.h - the party organisation's plain data and pure rules (党建, DESIGN sections 2 and 10;
 * issue 6 item 2): the chain of party organisations (党工委/党委 — 党总支 — 党支部 — 党小组 —
 * 党员中心户) and which kind may hang under which, party members and their kinds, the three
 * levels of 包保 (三级包保), the meetings of 三会一课 with attendance, and the compliance check
 * of those meetings against their required frequencies.
 *
 * No I/O, no clock, no SQL: months and days come in as numbers (month = year * 12 + month - 1;
 * days since 1970-01-01). */
#ifndef GG_CORE_PARTY_H
#define GG_CORE_PARTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* ---- party organisation kinds, top to bottom ---- */
#define GG_PARTY_KIND_MAP(XX)                                                                      \
    XX(WORKING_COMMITTEE, "working_committee", "党工委")                                           \
    XX(COMMITTEE, "committee", "党委")                                                             \
    XX(GENERAL_BRANCH, "general_branch", "党总支")                                                 \
    XX(BRANCH, "branch", "党支部")                                                                 \
    XX(GROUP, "group", "党小组")                                                                   \
    XX(HOUSEHOLD, "party_household", "党员中心户")

enum party_kind {
#define XX(n, id, zh) PARTY_##n,
    GG_PARTY_KIND_MAP(XX)
#undef XX
    PARTY_KIND__COUNT
};
const char *party_kind_id(enum party_kind k);
const char *party_kind_zh(enum party_kind k);
int party_kind_from_id(const char *s); /* also the Chinese name; -1 when unknown */
/* May a party org of kind `child` hang under one of kind `parent`? Top-level orgs (no parent)
 * are 党工委 or 党委 only; under a parent, the child's kind must be lower down the chain (a 党委
 * may lead a 党支部 directly), except that a 党员中心户 hangs under a 党支部 or 党小组 only and
 * nothing hangs under a 党员中心户. has_parent false: parent is ignored. */
bool party_child_ok(bool has_parent, enum party_kind parent, enum party_kind child);

/* ---- party members ---- */
#define GG_MEMBER_KIND_MAP(XX)                                                                     \
    XX(REGULAR, "member", "党员")                                                                  \
    XX(CADRE, "cadre", "干部")                                                                     \
    XX(IN_SERVICE, "in_service", "在职党员")

enum member_kind {
#define XX(n, id, zh) MEMBER_##n,
    GG_MEMBER_KIND_MAP(XX)
#undef XX
    MEMBER_KIND__COUNT
};
const char *member_kind_id(enum member_kind k);
const char *member_kind_zh(enum member_kind k);
int member_kind_from_id(const char *s);

/* ---- 三级包保: the level a cover link works at ---- */
#define GG_COVER_LEVEL_MAP(XX)                                                                     \
    XX(DISTRICT, "district", "区（县）级包保")                                                     \
    XX(STREET, "street", "街道（乡镇）级包保")                                                     \
    XX(COMMUNITY, "community", "社区（村）级包保")

enum cover_level {
#define XX(n, id, zh) COVER_##n,
    GG_COVER_LEVEL_MAP(XX)
#undef XX
    COVER_LEVEL__COUNT
};
const char *cover_level_id(enum cover_level l);
const char *cover_level_zh(enum cover_level l);
int cover_level_from_id(const char *s);

/* ---- 三会一课: meeting kinds and attendance ---- */
#define GG_MEETING_KIND_MAP(XX)                                                                    \
    XX(ASSEMBLY, "branch_assembly", "支部党员大会", 3)                                             \
    XX(COMMITTEE, "committee_meeting", "支委会", 1)                                                \
    XX(GROUP, "group_meeting", "党小组会", 1)                                                      \
    XX(LECTURE, "party_lecture", "党课", 3)

enum meeting_kind {
#define XX(n, id, zh, months) MEETING_##n,
    GG_MEETING_KIND_MAP(XX)
#undef XX
    MEETING_KIND__COUNT
};
const char *meeting_kind_id(enum meeting_kind k);
const char *meeting_kind_zh(enum meeting_kind k);
int meeting_kind_from_id(const char *s);
/* The default required frequency in months: assembly 3 (quarterly), committee 1 (monthly),
 * group 1 (monthly), lecture 3 (quarterly). */
int meeting_default_months(enum meeting_kind k);

enum attendance { ATTEND_PRESENT, ATTEND_ABSENT, ATTEND_EXCUSED, ATTEND__COUNT };
const char *attendance_id(enum attendance a); /* present 出席, absent 缺席, excused 请假 */
const char *attendance_zh(enum attendance a);
int attendance_from_id(const char *s);

/* Which party orgs hold which meetings: a 党小组会 is held by a 党小组 or a 党支部 (for its
 * groups); the other three by a 党支部, 党总支 or 党委/党工委 — never by a 党员中心户. */
bool party_meeting_org_ok(enum party_kind org, enum meeting_kind m);

/* ---- frequencies ----
 * Intervals in months per meeting kind; each must divide 12 (1, 2, 3, 4, 6, 12) or be 0 (not
 * required). Parses "3,1,1,3" (the order of enum meeting_kind); false when malformed. */
bool party_intervals_parse(const char *s, int out[MEETING_KIND__COUNT]);
void party_intervals_default(int out[MEETING_KIND__COUNT]);

/* ---- months: "YYYY-MM" <-> year * 12 + month - 1 ---- */
bool party_month_parse(const char *s, int *month);
void party_month_format(int month, char out[8]);
int party_month_of_day(int64_t days); /* the month a day (since 1970-01-01) falls in */

/* ---- the compliance check ----
 * The rule: for each meeting kind with an interval of k months, the calendar is cut into
 * windows of k months aligned on January (k = 3: Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec). Every
 * window that lies wholly inside the checked period [month_from, month_to) must hold at least
 * one meeting of that kind; a window that does not is a gap. Windows cut by the period's ends
 * are not judged (a quarter is not missed in its second month). Meetings outside the period
 * count for nothing. */
struct meeting_fact {
    enum meeting_kind kind;
    int month;
};
struct meeting_gap {
    enum meeting_kind kind;
    int month_from, month_to; /* the window [from, to) that had no meeting */
};
/* Fills gaps[0..max) and *n_gaps with every gap (kinds in enum order, windows ascending);
 * *n_total counts them all even past max. Returns 0, or -1 when the period is empty or an
 * interval is invalid. */
int party_compliance(const int intervals[MEETING_KIND__COUNT], int month_from, int month_to,
                     const struct meeting_fact *facts, size_t n_facts, struct meeting_gap *gaps,
                     size_t max_gaps, size_t *n_gaps, size_t *n_total);

/* How many windows party_compliance judges over [month_from, month_to) with these intervals
 * (every kind, every window wholly inside the period); the compliance of a branch is
 * (windows − gaps) / windows. -1 when the period is empty or an interval is invalid. */
int party_compliance_windows(const int intervals[MEETING_KIND__COUNT], int month_from,
                             int month_to);

/* ---- who may do what (DESIGN section 1) ----
 * read party orgs, members, covers, meetings and compliance: admin, command, leader, staff in
 * their subtree; write them: admin and staff in their subtree. A member reports in (双报到) for
 * themselves; staff and admin record report-ins for the members of their subtree. */
bool party_may_read(enum role r);
bool party_may_write(enum role r);
/* May a user of this role be the cadre of a cover link? Not residents or handlers. */
bool party_may_cover(enum role r);

/* ---- records ---- */
#define GG_MAX_MINUTES 20000 /* code points of meeting minutes */
#define GG_MAX_SKILLS 200
#define GG_SKILLS_SZ (GG_MAX_SKILLS * 4 + 1)

struct party_org {
    int64_t id;
    int64_t parent_id; /* 0 = top level */
    enum party_kind kind;
    char name[GG_NAME_SZ];
    char party_path[GG_PATH_SZ]; /* "/id/…/" of party org ids, this one included */
    int64_t org_id;              /* the org node it leads (its place and scope) */
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    int64_t secretary_user_id; /* 书记, 0 = none */
    int members;               /* filled on reads: members of this org alone */
    int64_t created_at;
};

struct party_member {
    int64_t id;
    int64_t party_org_id;
    char party_path[GG_PATH_SZ];
    char org_path[GG_PATH_SZ]; /* of the party org's org node */
    int64_t district_id;
    enum member_kind kind;
    char name[GG_NAME_SZ];
    int64_t user_id;   /* the member's account, 0 = none */
    int64_t person_id; /* the population record, 0 = none */
    int64_t joined_days; /* 入党日期, INT64_MIN = unknown */
    int64_t created_at;
};

struct report_in { /* 双报到 */
    int64_t id;
    int64_t member_id;
    char member_name[GG_NAME_SZ]; /* filled on reads */
    int64_t org_id;               /* the community reported to */
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    char skills[GG_SKILLS_SZ];    /* 服务意愿: 特长 */
    char available[GG_SKILLS_SZ]; /* 可服务时间 */
    int64_t at;
    int64_t recorded_by;
};

struct cover { /* 三级包保 */
    int64_t id;
    int64_t user_id;
    char user_name[GG_NAME_SZ]; /* filled on reads */
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    enum cover_level level;
    char duty[GG_NAME_SZ]; /* e.g. 包保责任 */
    int64_t created_at;
};

struct party_meeting {
    int64_t id;
    int64_t party_org_id;
    char party_path[GG_PATH_SZ];
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    enum meeting_kind kind;
    int64_t held_days; /* the day it was held */
    char title[GG_NAME_SZ];
    char *minutes; /* heap on reads of one meeting (free()), NULL in lists */
    int64_t created_by;
    int64_t created_at;
    int present, absent, excused; /* filled on reads */
};

struct meeting_attendance {
    int64_t member_id;
    char member_name[GG_NAME_SZ]; /* filled on reads */
    enum attendance status;
};

#endif
