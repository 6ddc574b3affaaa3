/* test_task.c - the blue/yellow/red colour rule of key tasks (蓝黄红三色管理): overdue
 * milestones are red, milestones due within the warning days or spending ahead of progress
 * yellow, everything else blue; the boundaries of each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/task.h"

#define TODAY 20000

static enum task_color color(const struct task_milestone_fact *ms, size_t n, int64_t budget,
                             int64_t spend, int pct)
{
    struct task_color_rule r;
    task_color_rule_default(&r);
    struct task_color_input in = {ms, n, budget, spend, pct};
    char why[128];
    enum task_color c = task_color_of(&in, &r, TODAY, why, sizeof why);
    assert_true(why[0] != '\0');
    return c;
}

static void test_milestones(void **state)
{
    (void)state;
    assert_int_equal(color(NULL, 0, 0, 0, -1), TASK_BLUE);
    struct task_milestone_fact far = {TODAY + 30, false};
    assert_int_equal(color(&far, 1, 0, 0, -1), TASK_BLUE);
    struct task_milestone_fact edge = {TODAY + 7, false}; /* within 7 days, inclusive */
    assert_int_equal(color(&edge, 1, 0, 0, -1), TASK_YELLOW);
    struct task_milestone_fact past8 = {TODAY + 8, false};
    assert_int_equal(color(&past8, 1, 0, 0, -1), TASK_BLUE);
    struct task_milestone_fact due_today = {TODAY, false}; /* due today is not yet overdue */
    assert_int_equal(color(&due_today, 1, 0, 0, -1), TASK_YELLOW);
    struct task_milestone_fact yesterday = {TODAY - 1, false};
    assert_int_equal(color(&yesterday, 1, 0, 0, -1), TASK_RED);
    struct task_milestone_fact done_late = {TODAY - 10, true}; /* done: no longer counts */
    assert_int_equal(color(&done_late, 1, 0, 0, -1), TASK_BLUE);
    /* red wins over yellow */
    struct task_milestone_fact both[2] = {{TODAY + 1, false}, {TODAY - 3, false}};
    assert_int_equal(color(both, 2, 0, 0, -1), TASK_RED);
}

/* issue 6 item 8: the rankings count milestones in SQL and colour tasks from the counts; the
 * two ways must agree */
static void test_counts_agree(void **state)
{
    (void)state;
    struct task_color_rule r;
    task_color_rule_default(&r);
    const struct task_milestone_fact ms[6] = {{TODAY - 5, true},  {TODAY - 1, false},
                                              {TODAY, false},     {TODAY + 7, false},
                                              {TODAY + 8, false}, {TODAY + 90, true}};
    /* every subset of the six milestones, with and without spending ahead */
    for (unsigned mask = 0; mask < 64; mask++)
        for (int spend = 0; spend < 2; spend++) {
            struct task_milestone_fact sub[6];
            size_t n = 0;
            struct task_color_counts c = {0, 0, 0, 0, 100000, spend ? 90000 : 0, -1};
            for (int i = 0; i < 6; i++) {
                if (!(mask & (1u << i)))
                    continue;
                sub[n++] = ms[i];
                if (ms[i].done)
                    c.done++;
                else if (ms[i].due_days < TODAY)
                    c.overdue++;
                else if (ms[i].due_days <= TODAY + r.warn_days)
                    c.soon++;
            }
            c.n_milestones = n;
            struct task_color_input in = {sub, n, c.budget, c.spend, -1};
            char w1[128], w2[128];
            assert_int_equal(task_color_of(&in, &r, TODAY, w1, sizeof w1),
                             task_color_of_counts(&c, &r, w2, sizeof w2));
            assert_string_equal(w1, w2);
        }
}

static void test_spend(void **state)
{
    (void)state;
    struct task_milestone_fact ms[4] = {
        {TODAY - 5, true}, {TODAY + 30, false}, {TODAY + 60, false}, {TODAY + 90, false}};
    /* 1 of 4 done = 25 % progress; spending 45 % is 20 points ahead: still blue */
    assert_int_equal(color(ms, 4, 100000, 45000, -1), TASK_BLUE);
    /* 46 % is more than 20 points ahead: yellow */
    assert_int_equal(color(ms, 4, 100000, 46000, -1), TASK_YELLOW);
    /* a monthly report of 40 % is the progress when there is one */
    assert_int_equal(color(ms, 4, 100000, 55000, 40), TASK_BLUE);
    assert_int_equal(color(ms, 4, 100000, 61000, 40), TASK_YELLOW);
    /* no budget: spending is not judged */
    assert_int_equal(color(ms, 4, 0, 99999, -1), TASK_BLUE);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(task_color_id(TASK_RED), "red");
    assert_string_equal(task_color_zh(TASK_BLUE), "蓝");
    assert_int_equal(task_kind_from_id("民生实事"), TASK_LIVELIHOOD);
    assert_int_equal(task_kind_from_id("key_task"), TASK_KEY);
    assert_int_equal(task_kind_from_id("x"), -1);
    assert_true(task_may_read(ROLE_LEADER));
    assert_false(task_may_write(ROLE_LEADER));
    assert_false(task_may_read(ROLE_RESIDENT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_milestones),
        cmocka_unit_test(test_spend),
        cmocka_unit_test(test_counts_agree),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
