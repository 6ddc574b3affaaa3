/* routing.c - where a new event goes (派单自动流转) and where an escalation goes: pure functions
 * of the category, the ids above the located grid and the departments that could cover it.
 *
 * It does not locate the point (geo.c), load the departments or the category (app/ with the
 * store), or decide whether the actor may escalate (workflow.c): it only picks the target. */
#include "core/routing.h"
#include "base/error.h"

#include <string.h>

static bool on_path(const struct route_path *p, int64_t id)
{
    return id != 0 && (id == p->grid_id || id == p->community_id || id == p->street_id ||
                       id == p->district_id);
}

/* The id of the nearest department of `kind` whose parent is on the path, 0 when none. */
static int64_t nearest_dept(const char *kind, const struct route_path *p,
                            const struct route_dept *depts, size_t n_depts)
{
    const struct route_dept *best = NULL;
    for (size_t i = 0; i < n_depts; i++) {
        const struct route_dept *d = &depts[i];
        if (d->id == 0 || strcmp(d->department_kind, kind) != 0 || !on_path(p, d->parent_id))
            continue;
        if (!best || d->parent_depth > best->parent_depth)
            best = d;
    }
    return best ? best->id : 0;
}

static int64_t path_id(const struct route_path *p, enum level l)
{
    switch (l) {
    case LEVEL_GRID:
        return p->grid_id;
    case LEVEL_COMMUNITY:
        return p->community_id;
    case LEVEL_STREET:
        return p->street_id;
    case LEVEL_DISTRICT:
        return p->district_id;
    default:
        return 0;
    }
}

void routing_decide(const struct category *cat, enum event_source source,
                    const struct route_path *path, const struct route_dept *depts,
                    size_t n_depts, struct route_result *out)
{
    static const struct route_path none;
    const struct route_path *p = path ? path : &none;

    out->rejected = cat->list == CAT_LIST_EXCLUDED;
    out->auto_register = source != SOURCE_APP;
    out->assignee_org_id = 0;
    out->level = LEVEL_DISTRICT;
    if (out->rejected)
        return;

    if (cat->department_kind[0] != '\0') {
        int64_t id = nearest_dept(cat->department_kind, p, depts, n_depts);
        if (id != 0) {
            out->assignee_org_id = id;
            out->level = LEVEL_DISTRICT;
            return;
        }
    }

    int64_t id = path_id(p, cat->handler_level);
    if (id != 0) {
        out->assignee_org_id = id;
        out->level = cat->handler_level;
    }
}

int routing_escalate(enum level from, const struct route_path *path, int64_t *org_id,
                     enum level *to)
{
    if ((unsigned)from >= LEVEL_DISTRICT || !path)
        return -GG_ECONFLICT;
    for (int l = (int)from + 1; l < LEVEL__COUNT; l++) {
        int64_t id = path_id(path, (enum level)l);
        if (id != 0) {
            *org_id = id;
            *to = (enum level)l;
            return 0;
        }
    }
    return -GG_ECONFLICT;
}
