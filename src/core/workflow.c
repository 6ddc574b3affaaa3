/* workflow.c - the event state machine (DESIGN section 5) as data: one table of state × action
 * giving the state after the action and its side effects, one table of action × role saying who
 * may ever take it, and the deadline colour (三色预警).
 *
 * It is not where scope is checked (is the event in the actor's subtree, is the actor the
 * reporter or the assignee): app/ decides that with the store. Nor does it compute deadlines
 * (calendar.c) or touch the clock: "now" is an argument. */
#include "core/workflow.h"
#include "base/error.h"

/* Flags of a table cell. The first four become the wf_transition booleans; the rest are guards. */
enum {
    F_SUSPEND = 1u << 0,  /* sets suspended */
    F_RESUME = 1u << 1,   /* clears suspended */
    F_REWORK = 1u << 2,   /* rework_count + 1 */
    F_CLOSES = 1u << 3,   /* closes the event */
    F_IF_SUSP = 1u << 4,  /* only while suspended (resume) */
    F_ANY_SUSP = 1u << 5, /* allowed whether suspended or not (supervise) */
    F_UNRATED = 1u << 6,  /* only when not yet rated (rate) */
};

struct cell {
    bool ok;
    enum event_status to;
    unsigned flags;
};

/* An allowed cell: to-state and flags. Cells left out are zero: not allowed (409). */
#define GO(state, fl) {true, EVENT_STATUS_##state, (fl)}
#define A(name) [EVENT_ACTION_##name]
#define S(name) [EVENT_STATUS_##name]

/* The whole state machine. REPORT is absent everywhere (intake creates the event);
 * AUTO_ESCALATE sits exactly where ESCALATE does. */
static const struct cell table[EVENT_STATUS__COUNT][EVENT_ACTION__COUNT] = {
    S(REPORTED) = {
        A(REGISTER) = GO(REGISTERED, 0),
        A(REJECT) = GO(REJECTED, 0),
        A(SELF_HANDLE) = GO(CLOSED, F_CLOSES),
        A(SUPERVISE) = GO(REPORTED, F_ANY_SUSP),
        A(WHISTLE) = GO(REPORTED, 0),
        A(REPORT_IN) = GO(REPORTED, 0),
        A(RESUME) = GO(REPORTED, F_RESUME | F_IF_SUSP),
        A(MERGE) = GO(MERGED, 0),
    },
    S(REGISTERED) = {
        A(REJECT) = GO(REJECTED, 0),
        A(DISPATCH) = GO(DISPATCHED, 0),
        A(ESCALATE) = GO(REGISTERED, 0),
        A(AUTO_ESCALATE) = GO(REGISTERED, 0),
        A(SELF_HANDLE) = GO(CLOSED, F_CLOSES),
        A(SUPERVISE) = GO(REGISTERED, F_ANY_SUSP),
        A(WHISTLE) = GO(REGISTERED, 0),
        A(REPORT_IN) = GO(REGISTERED, 0),
        A(SUSPEND) = GO(REGISTERED, F_SUSPEND),
        A(RESUME) = GO(REGISTERED, F_RESUME | F_IF_SUSP),
        A(EXTEND) = GO(REGISTERED, 0),
        A(MERGE) = GO(MERGED, 0),
    },
    S(DISPATCHED) = {
        A(DISPATCH) = GO(DISPATCHED, 0),
        A(SIGN) = GO(IN_PROGRESS, 0),
        A(RETURN) = GO(REGISTERED, 0),
        A(SELF_HANDLE) = GO(CLOSED, F_CLOSES),
        A(ESCALATE) = GO(REGISTERED, 0),
        A(AUTO_ESCALATE) = GO(REGISTERED, 0),
        A(SUPERVISE) = GO(DISPATCHED, F_ANY_SUSP),
        A(WHISTLE) = GO(DISPATCHED, 0),
        A(REPORT_IN) = GO(DISPATCHED, 0),
        A(SUSPEND) = GO(DISPATCHED, F_SUSPEND),
        A(RESUME) = GO(DISPATCHED, F_RESUME | F_IF_SUSP),
        A(EXTEND) = GO(DISPATCHED, 0),
    },
    S(IN_PROGRESS) = {
        A(RETURN) = GO(REGISTERED, 0),
        A(HANDLE) = GO(HANDLED, 0),
        A(SELF_HANDLE) = GO(CLOSED, F_CLOSES),
        A(ESCALATE) = GO(REGISTERED, 0),
        A(AUTO_ESCALATE) = GO(REGISTERED, 0),
        A(SUPERVISE) = GO(IN_PROGRESS, F_ANY_SUSP),
        A(WHISTLE) = GO(IN_PROGRESS, 0),
        A(REPORT_IN) = GO(IN_PROGRESS, 0),
        A(SUSPEND) = GO(IN_PROGRESS, F_SUSPEND),
        A(RESUME) = GO(IN_PROGRESS, F_RESUME | F_IF_SUSP),
        A(EXTEND) = GO(IN_PROGRESS, 0),
    },
    S(HANDLED) = {
        A(VERIFY_OK) = GO(CLOSED, F_CLOSES),
        A(VERIFY_FAIL) = GO(DISPATCHED, F_REWORK),
        A(SUPERVISE) = GO(HANDLED, F_ANY_SUSP),
        A(WHISTLE) = GO(HANDLED, 0),
        A(REPORT_IN) = GO(HANDLED, 0),
        A(RESUME) = GO(HANDLED, F_RESUME | F_IF_SUSP),
    },
    S(CLOSED) = {
        A(RESUME) = GO(CLOSED, F_RESUME | F_IF_SUSP),
        A(RATE) = GO(CLOSED, F_UNRATED),
    },
    S(REJECTED) = {
        A(RESUME) = GO(REJECTED, F_RESUME | F_IF_SUSP),
    },
    S(MERGED) = {
        A(RESUME) = GO(MERGED, F_RESUME | F_IF_SUSP),
    },
};

int workflow_transition(enum event_status from, bool suspended, bool rated, enum event_action a,
                        struct wf_transition *out)
{
    if ((unsigned)from >= EVENT_STATUS__COUNT || (unsigned)a >= EVENT_ACTION__COUNT)
        return -GG_ECONFLICT;
    const struct cell *c = &table[from][a];
    if (!c->ok)
        return -GG_ECONFLICT;
    if (c->flags & F_IF_SUSP) {
        if (!suspended)
            return -GG_ECONFLICT;
    } else if (suspended && !(c->flags & F_ANY_SUSP)) {
        return -GG_ECONFLICT;
    }
    if ((c->flags & F_UNRATED) && rated)
        return -GG_ECONFLICT;
    out->to = c->to;
    out->set_suspended = (c->flags & F_SUSPEND) != 0;
    out->clear_suspended = (c->flags & F_RESUME) != 0;
    out->rework = (c->flags & F_REWORK) != 0;
    out->closes = (c->flags & F_CLOSES) != 0;
    return 0;
}

#define R(name) (1u << ROLE_##name)
#define EVERY_ROLE ((1u << ROLE__COUNT) - 1)

/* action × role: the roles that may ever take each action. System actions have none. */
static const unsigned action_roles[EVENT_ACTION__COUNT] = {
    A(REGISTER) = R(ADMIN) | R(COMMAND) | R(STAFF),
    A(REJECT) = R(ADMIN) | R(COMMAND) | R(STAFF),
    A(MERGE) = R(ADMIN) | R(COMMAND) | R(STAFF),
    A(DISPATCH) = R(ADMIN) | R(COMMAND) | R(STAFF),
    A(SIGN) = R(ADMIN) | R(STAFF) | R(GRID_OFFICER) | R(HANDLER),
    A(RETURN) = R(ADMIN) | R(STAFF) | R(GRID_OFFICER) | R(HANDLER),
    A(HANDLE) = R(ADMIN) | R(STAFF) | R(GRID_OFFICER) | R(HANDLER),
    A(VERIFY_OK) = R(ADMIN) | R(COMMAND) | R(STAFF) | R(GRID_OFFICER) | R(RESIDENT),
    A(VERIFY_FAIL) = R(ADMIN) | R(COMMAND) | R(STAFF) | R(GRID_OFFICER) | R(RESIDENT),
    A(ESCALATE) = R(ADMIN) | R(COMMAND) | R(STAFF) | R(GRID_OFFICER) | R(HANDLER),
    A(SELF_HANDLE) = R(ADMIN) | R(GRID_OFFICER),
    A(SUPERVISE) = R(ADMIN) | R(COMMAND) | R(LEADER),
    A(WHISTLE) = R(ADMIN) | R(COMMAND) | R(STAFF),
    A(REPORT_IN) = R(HANDLER) | R(ADMIN),
    A(SUSPEND) = R(ADMIN) | R(COMMAND),
    A(RESUME) = R(ADMIN) | R(COMMAND),
    A(EXTEND) = R(ADMIN) | R(COMMAND),
    A(RATE) = EVERY_ROLE,
    A(REPORT) = 0,
    A(AUTO_ESCALATE) = 0,
};

bool workflow_role_may(enum role r, enum event_action a)
{
    if ((unsigned)r >= ROLE__COUNT || (unsigned)a >= EVENT_ACTION__COUNT)
        return false;
    return (action_roles[a] & (1u << r)) != 0;
}

enum color workflow_color(enum event_status status, bool suspended, int64_t suspended_at,
                          int64_t handle_due_at, int64_t yellow_at, int64_t handled_at,
                          int64_t now)
{
    switch (status) {
    case EVENT_STATUS_REJECTED:
    case EVENT_STATUS_MERGED:
        return COLOR_NONE;
    case EVENT_STATUS_HANDLED:
    case EVENT_STATUS_CLOSED:
        return handled_at > handle_due_at ? COLOR_RED : COLOR_GREEN;
    default:
        break;
    }
    int64_t t = suspended ? suspended_at : now;
    if (t >= handle_due_at)
        return COLOR_RED;
    if (t >= yellow_at)
        return COLOR_YELLOW;
    return COLOR_GREEN;
}
