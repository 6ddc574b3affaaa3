/* visit.h - home visits (走访, 敲门行动, 六必访, DESIGN section 8): the rules that map the tags of
 * the groups that must be visited to visit intervals, and when a subject (a person or household)
 * is next due. Pure: the last visit and "now" come in as arguments.
 *
 * Rules are text "tag=days,tag=days" (the setting visits.rules); tags not named there keep
 * their default interval. A subject carrying several tags is visited at the shortest interval. */
#ifndef GG_CORE_VISIT_H
#define GG_CORE_VISIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* XX(name, id, default interval in days, zh) — the tags of DESIGN section 3 */
#define GG_VISIT_TAG_MAP(XX)                                                                       \
    XX(ELDERLY_ALONE, "elderly_alone", 7, "独居/孤寡老人")                                          \
    XX(DISABLED, "disabled", 30, "残疾人")                                                         \
    XX(LOW_INCOME, "low_income", 30, "低保/困难户")                                                \
    XX(SERIOUS_ILLNESS, "serious_illness", 30, "重大疾病")                                         \
    XX(UNEMPLOYED, "unemployed", 30, "下岗失业")                                                   \
    XX(CORRECTIONS, "corrections", 14, "刑释解教/社区矫正")                                        \
    XX(LEFT_BEHIND_CHILD, "left_behind_child", 14, "留守儿童")                                     \
    XX(VETERAN, "veteran", 90, "退役军人")                                                         \
    XX(KEY_PERSON, "key_person", 7, "重点人员")

enum visit_tag {
#define XX(n, id, days, zh) VISIT_TAG_##n,
    GG_VISIT_TAG_MAP(XX)
#undef XX
    VISIT_TAG__COUNT
};
const char *visit_tag_id(enum visit_tag t);
const char *visit_tag_zh(enum visit_tag t);
int visit_tag_from_id(const char *s); /* -1 when unknown */

#define VISIT_MAX_INTERVAL_DAYS 365

/* Interval in days per tag. */
struct visit_rules {
    int days[VISIT_TAG__COUNT];
};
void visit_rules_default(struct visit_rules *r);
/* Starts from the defaults and applies "tag=days,…" (spaces allowed around items). Returns 0,
 * or -GG_EINVAL for an unknown tag, days outside 1..VISIT_MAX_INTERVAL_DAYS or bad syntax; *r
 * is written only on success. NULL or "" = the defaults. */
int visit_rules_parse(const char *text, struct visit_rules *r);

/* The interval for a subject with these tags (bit i = enum visit_tag i): the shortest of its
 * tags', 0 when none of them must be visited. */
int visit_interval_days(const struct visit_rules *r, unsigned tags);

enum visit_state { VISIT_STATE_OK, VISIT_STATE_DUE, VISIT_STATE_OVERDUE, VISIT_STATE__COUNT };
const char *visit_state_id(enum visit_state s); /* "ok", "due", "overdue" */

/* When the next visit is due (last_at + interval) and the state at `now`: overdue after the
 * due time, due within the last VISIT_DUE_WINDOW_DAYS before it (or the interval, when
 * shorter), ok before. interval_days <= 0: never due (ok, *due_at = 0). */
#define VISIT_DUE_WINDOW_DAYS 2
enum visit_state visit_state_at(int64_t last_at, int interval_days, int64_t now, int64_t *due_at);

/* A visit record (走访记录): who visited which subject (a person and/or household of the
 * registry, by id), where, when, the tags the subject carried then, the findings, and what the
 * visit raised in the same action. */
#define VISIT_MAX_FINDINGS GG_MAX_DESCRIPTION
struct visit {
    int64_t id;
    int64_t grid_id;
    char grid_path[GG_PATH_SZ];
    int64_t officer_id;
    int64_t person_id;    /* 0 when the visit is to a household */
    int64_t household_id; /* 0 when the visit is to a person only */
    char subject_name[GG_NAME_SZ];
    unsigned tags; /* bit i = enum visit_tag i */
    int64_t at;
    char findings[GG_DESC_SZ];
    int64_t event_id; /* raised event, 0 = none */
    int64_t order_id; /* raised service order, 0 = none */
    int64_t created_at;
};

#endif
