/* task.c - the key tasks' pure rules (task.h): kind and colour names, the blue/yellow/red
 * colour rule, who may read and write.
 *
 * Not here: storage, the overdue sweep that messages leaders (app/tasks.c). */
#include "core/task.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_ids[] = {"key_task", "livelihood"};
static const char *const kind_zh[] = {"重点任务", "民生实事"};
static const char *const color_ids[] = {"blue", "yellow", "red"};
static const char *const color_zh[] = {"蓝", "黄", "红"};

const char *task_kind_id(enum task_kind k) { return k < TASK_KIND__COUNT ? kind_ids[k] : ""; }
const char *task_kind_zh(enum task_kind k) { return k < TASK_KIND__COUNT ? kind_zh[k] : ""; }

int task_kind_from_id(const char *s)
{
    for (int i = 0; s && i < TASK_KIND__COUNT; i++)
        if (strcmp(s, kind_ids[i]) == 0 || strcmp(s, kind_zh[i]) == 0)
            return i;
    return -1;
}

const char *task_color_id(enum task_color c) { return c < TASK_COLOR__COUNT ? color_ids[c] : ""; }
const char *task_color_zh(enum task_color c) { return c < TASK_COLOR__COUNT ? color_zh[c] : ""; }

void task_color_rule_default(struct task_color_rule *out)
{
    out->warn_days = 7;
    out->spend_margin = 0.2;
}

enum task_color task_color_of(const struct task_color_input *in, const struct task_color_rule *rule,
                              int64_t today, char *why, size_t why_sz)
{
    struct task_color_counts c = {in->n_milestones,  0, 0, 0, in->budget, in->spend,
                                  in->latest_percent};
    for (size_t i = 0; i < in->n_milestones; i++) {
        const struct task_milestone_fact *m = &in->milestones[i];
        if (m->done)
            c.done++;
        else if (m->due_days < today)
            c.overdue++;
        else if (m->due_days - today <= rule->warn_days)
            c.soon++;
    }
    return task_color_of_counts(&c, rule, why, why_sz);
}

enum task_color task_color_of_counts(const struct task_color_counts *in,
                                     const struct task_color_rule *rule, char *why, size_t why_sz)
{
    size_t overdue = in->overdue, soon = in->soon, done = in->done;
    if (overdue) {
        if (why)
            snprintf(why, why_sz, "有 %zu 个节点已逾期", overdue);
        return TASK_RED;
    }
    if (soon) {
        if (why)
            snprintf(why, why_sz, "有 %zu 个节点将在 %d 天内到期", soon, rule->warn_days);
        return TASK_YELLOW;
    }
    if (in->budget > 0) {
        double progress = in->latest_percent >= 0 ? in->latest_percent / 100.0
                          : in->n_milestones     ? (double)done / (double)in->n_milestones
                                                 : 0.0;
        double spent = (double)in->spend / (double)in->budget;
        /* a hair of tolerance so that 0.2 exactly is not a lag by rounding */
        if (spent - progress > rule->spend_margin + 1e-9) {
            if (why)
                snprintf(why, why_sz, "资金支出 %.0f%% 超前于进度 %.0f%%", spent * 100,
                         progress * 100);
            return TASK_YELLOW;
        }
    }
    if (why)
        snprintf(why, why_sz, "%s", in->n_milestones && done == in->n_milestones ? "节点全部完成"
                                                                                 : "正常推进");
    return TASK_BLUE;
}

bool task_may_read(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_COMMAND || r == ROLE_LEADER || r == ROLE_STAFF;
}

bool task_may_write(enum role r)
{
    return r == ROLE_ADMIN || r == ROLE_STAFF;
}
