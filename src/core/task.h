/* task.h - key tasks and projects (重点任务, 民生实事; DESIGN section 10, issue 6 item 7): their
 * plain data and the blue/yellow/red colour rule (蓝黄红三色管理).
 *
 * No I/O, no clock: "today" comes in as a day number (days since 1970-01-01, UTC). */
#ifndef GG_CORE_TASK_H
#define GG_CORE_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

enum task_kind { TASK_KEY, TASK_LIVELIHOOD, TASK_KIND__COUNT };
const char *task_kind_id(enum task_kind k); /* key_task 重点任务, livelihood 民生实事 */
const char *task_kind_zh(enum task_kind k);
int task_kind_from_id(const char *s);

enum task_color { TASK_BLUE, TASK_YELLOW, TASK_RED, TASK_COLOR__COUNT };
const char *task_color_id(enum task_color c); /* blue 蓝, yellow 黄, red 红 */
const char *task_color_zh(enum task_color c);

/* ---- the colour rule ----
 * With today = d:
 * - red (严重滞后): a milestone not done whose due day is before d (overdue);
 * - yellow (滞后预警): otherwise, a milestone not done due within `warn_days` days (due day in
 *   [d, d + warn_days]), or spending ahead of progress: budget > 0 and
 *   spend / budget − progress > `spend_margin`, where progress is the percent of the latest
 *   monthly report / 100 when there is one, else the share of milestones done (0 without
 *   milestones);
 * - blue (正常推进): everything else, and always when every milestone is done and nothing is
 *   spent beyond the budget's share.
 * Defaults: warn_days 7, spend_margin 0.2 (twenty percentage points). */
struct task_milestone_fact {
    int64_t due_days;
    bool done;
};
struct task_color_rule {
    int warn_days;
    double spend_margin;
};
struct task_color_input {
    const struct task_milestone_fact *milestones;
    size_t n_milestones;
    int64_t budget, spend; /* in fen (分), ≥ 0 */
    int latest_percent;     /* 0..100, or -1 without a monthly report */
};
/* why: a short Chinese reason for the colour (e.g. "有 1 个节点已逾期"), may be NULL */
enum task_color task_color_of(const struct task_color_input *in, const struct task_color_rule *rule,
                              int64_t today, char *why, size_t why_sz);
/* The same rule from the milestones counted (as the ranking reads them from SQL, one row per
 * task): n milestones, of which `done`, `overdue` (not done, due before today) and `soon` (not
 * done, due within warn_days of today); task_color_of counts and calls this. */
struct task_color_counts {
    size_t n_milestones, done, overdue, soon;
    int64_t budget, spend; /* fen */
    int latest_percent;    /* 0..100, or -1 without a monthly report */
};
enum task_color task_color_of_counts(const struct task_color_counts *c,
                                     const struct task_color_rule *rule, char *why, size_t why_sz);
void task_color_rule_default(struct task_color_rule *out);

/* Who: read admin, command, leader, staff in their subtree (and the responsible leader, who
 * is a leader); write (create, change, milestones, reports): admin and staff in their subtree,
 * and the task's own responsible leader for milestones done and progress reports. */
bool task_may_read(enum role r);
bool task_may_write(enum role r);

#define GG_MAX_TASK_TITLE 100
#define GG_TASK_TITLE_SZ (GG_MAX_TASK_TITLE * 4 + 1)
#define TASK_MAX_MILESTONES 50
#define TASK_MAX_BUDGET_FEN ((int64_t)1e15) /* ten trillion yuan: anything above is a typo */

struct task {
    int64_t id;
    int64_t version;
    enum task_kind kind;
    char title[GG_TASK_TITLE_SZ];
    char description[GG_DESC_SZ];
    int64_t org_id; /* owner unit (责任单位) */
    char org_path[GG_PATH_SZ];
    int64_t district_id;
    int64_t leader_user_id; /* 领题领导 */
    int64_t budget, spend;  /* fen */
    int latest_percent;     /* -1 without reports (filled on reads) */
    int64_t created_by;
    int64_t created_at, updated_at;
};

struct task_milestone {
    int64_t id;
    int64_t task_id;
    char title[GG_TASK_TITLE_SZ];
    int64_t due_days;
    int64_t done_days; /* INT64_MIN while not done */
    int64_t notified_at; /* when the leader was told it is overdue, 0 = not yet */
};
#define TASK_NOT_DONE INT64_MIN

struct task_report { /* 月度进展 */
    int64_t id;
    int64_t task_id;
    int month; /* year * 12 + month - 1 */
    int percent;
    char note[GG_NOTE_SZ];
    int64_t reported_by;
    int64_t at;
};

#endif
