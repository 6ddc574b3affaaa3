/* workflow.h - the event state machine as one table (DESIGN section 5), who may act, and the
 * colour of an event's deadline.
 *
 * The table answers "may action A be taken on an event in state S" (else 409) and "may role R
 * ever take action A" (else 403). Scope ("is this event in the actor's subtree", "is the actor
 * the reporter / the assignee") is decided by app/ with the store; this file only takes those
 * answers as flags where a rule needs them. */
#ifndef GG_CORE_WORKFLOW_H
#define GG_CORE_WORKFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"

struct wf_transition {
    enum event_status to; /* the state after the action (== from for in-place actions) */
    bool set_suspended;   /* suspend */
    bool clear_suspended; /* resume */
    bool rework;          /* verify_fail: rework_count + 1 */
    bool closes;          /* the action closes the event (closing_level to be recorded) */
};

/* May `a` be applied to an event in state `from` (suspended / already rated as given)?
 * Returns 0 and fills *out, or -GG_ECONFLICT (409). Rules:
 * - register: reported → registered          - reject: reported|registered → rejected
 * - dispatch: registered|dispatched → dispatched (first or repeated dispatch)
 * - sign: dispatched → in_progress           - return: dispatched|in_progress → registered
 * - handle: in_progress → handled            - verify_ok: handled → closed
 * - verify_fail: handled → dispatched (rework)
 * - escalate: registered|dispatched|in_progress → registered (at the next level up)
 * - self_handle: reported|registered|dispatched|in_progress → closed (a grid officer's own
 *   patrol report is auto-dispatched to the grid and closed on the spot: 小事不出网格)
 * - supervise, whistle, report_in: any open state → same state
 * - suspend: registered|dispatched|in_progress, not suspended → same, suspended
 * - resume: suspended → same, not suspended
 * - extend: registered|dispatched|in_progress → same
 * - merge: reported|registered → merged
 * - rate: closed and not yet rated → closed
 * While suspended only resume and supervise are allowed. REPORT and AUTO_ESCALATE are system
 * actions: REPORT is never allowed here, AUTO_ESCALATE is allowed where escalate is. */
int workflow_transition(enum event_status from, bool suspended, bool rated, enum event_action a,
                        struct wf_transition *out);

/* May role r ever take action a? (403 otherwise.)
 * register/reject/merge: admin, command, staff; dispatch: admin, command, staff;
 * sign/return/handle: admin, staff, grid_officer, handler;
 * verify_ok/verify_fail: admin, command, staff, grid_officer, resident (the reporter; app checks);
 * escalate: admin, command, staff, grid_officer, handler; self_handle: admin, grid_officer;
 * supervise: admin, command, leader; whistle: admin, command, staff; report_in: handler, admin;
 * suspend/resume/extend: admin, command; rate: every role (app checks it is the reporter);
 * system actions: no role. */
bool workflow_role_may(enum role r, enum event_action a);

/* The deadline colour of an event at `now` (三色预警). Rejected/merged: COLOR_NONE. Open: red
 * when the effective now >= handle_due_at, yellow from yellow_at, green before; the effective
 * now is suspended_at while suspended. Handled/closed: red when handled after handle_due_at,
 * else green. */
enum color workflow_color(enum event_status status, bool suspended, int64_t suspended_at,
                          int64_t handle_due_at, int64_t yellow_at, int64_t handled_at,
                          int64_t now);

#endif
