/* routing.h - auto-dispatch (派单自动流转) and escalation targets: pure functions of the category,
 * the grid's ancestry and the departments that cover it. */
#ifndef GG_CORE_ROUTING_H
#define GG_CORE_ROUTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* The org ids above a located point; 0 where unknown (e.g. a point outside every grid has only
 * the root's district). */
struct route_path {
    int64_t grid_id;
    int64_t community_id;
    int64_t street_id;
    int64_t district_id;
};

/* A department node that may handle matters: it covers the subtree of its parent. */
struct route_dept {
    int64_t id;
    char department_kind[GG_NAME_SZ];
    int64_t parent_id;
    int parent_depth; /* the deeper the parent, the nearer the department */
};

struct route_result {
    bool rejected;        /* excluded matter (负面清单): refuse with the catalog's guidance */
    bool auto_register;   /* the source registers at once (all but resident app reports) */
    int64_t assignee_org_id; /* 0: the command-centre queue */
    enum level level;
};

/* Decides where a new event goes:
 * - list excluded → rejected.
 * - category has a department_kind → the covering department of that kind whose parent is
 *   an ancestor of the grid (one of path's ids), the deepest such parent winning; level DISTRICT.
 *   If none covers it, fall through to the handler level.
 * - handler_level grid/community/street/district → that id from path (level set accordingly).
 * - the chosen id is 0 → assignee 0 (command centre queue), level DISTRICT.
 * auto_register is false only for SOURCE_APP. */
void routing_decide(const struct category *cat, enum event_source source,
                    const struct route_path *path, const struct route_dept *depts,
                    size_t n_depts, struct route_result *out);

/* The next level up from `from` for escalation (grid → community → street → district) and its
 * org id from path (skipping levels whose id is 0). Returns 0, or -GG_ECONFLICT when there is
 * no higher level. */
int routing_escalate(enum level from, const struct route_path *path, int64_t *org_id,
                     enum level *to);

#endif
