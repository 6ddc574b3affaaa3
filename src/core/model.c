/* model.c - name tables for the domain enums (API spellings and Chinese labels). */
#include "core/model.h"

#include <stddef.h>
#include <string.h>

int model_name_lookup(const char *const *ids, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (ids[i] && strcmp(ids[i], s) == 0)
            return i;
    return -1;
}

#define NAME_TABLE(MAP, prefix, N)                                                                 \
    static const char *const prefix##_ids[N] = {MAP(ID_ONLY)};                                     \
    static const char *const prefix##_zhs[N] = {MAP(ZH_ONLY)};
#define ID_ONLY(n, id, zh) id,
#define ZH_ONLY(n, id, zh) zh,

NAME_TABLE(GG_ROLE_MAP, role, ROLE__COUNT)
NAME_TABLE(GG_ORG_KIND_MAP, kind, ORG_KIND__COUNT)
NAME_TABLE(GG_EVENT_STATUS_MAP, status, EVENT_STATUS__COUNT)
NAME_TABLE(GG_EVENT_ACTION_MAP, action, EVENT_ACTION__COUNT)

static const char *const cat_kind_ids[] = {"event", "service"};
static const char *const cat_list_ids[] = {"duty", "assist", "excluded"};
static const char *const level_ids[] = {"grid", "community", "street", "district"};
static const char *const clock_ids[] = {"continuous", "work_hours", "work_days"};
static const char *const source_ids[] = {"app", "patrol", "sensor", "hotline", "visit", "walkin"};
static const char *const source_zhs[] = {"居民随手拍", "网格员巡查", "物联感知",
                                         "12345热线", "走访发现", "窗口受理"};
static const char *const color_ids[] = {"none", "green", "yellow", "red"};
static const char *const rating_ids[] = {NULL, "satisfied", "basic", "unsatisfied"};

#define SAFE(tbl, v, n) ((unsigned)(v) < (unsigned)(n) ? tbl[v] : "unknown")

const char *role_id(enum role r) { return SAFE(role_ids, r, ROLE__COUNT); }
const char *role_zh(enum role r) { return SAFE(role_zhs, r, ROLE__COUNT); }
int role_from_id(const char *s) { return model_name_lookup(role_ids, ROLE__COUNT, s); }
const char *org_kind_id(enum org_kind k) { return SAFE(kind_ids, k, ORG_KIND__COUNT); }
const char *org_kind_zh(enum org_kind k) { return SAFE(kind_zhs, k, ORG_KIND__COUNT); }
int org_kind_from_id(const char *s) { return model_name_lookup(kind_ids, ORG_KIND__COUNT, s); }
const char *cat_kind_id(enum cat_kind k) { return SAFE(cat_kind_ids, k, CAT_KIND__COUNT); }
int cat_kind_from_id(const char *s) { return model_name_lookup(cat_kind_ids, CAT_KIND__COUNT, s); }
const char *cat_list_id(enum cat_list l) { return SAFE(cat_list_ids, l, CAT_LIST__COUNT); }
int cat_list_from_id(const char *s) { return model_name_lookup(cat_list_ids, CAT_LIST__COUNT, s); }
const char *level_id(enum level l) { return SAFE(level_ids, l, LEVEL__COUNT); }
int level_from_id(const char *s) { return model_name_lookup(level_ids, LEVEL__COUNT, s); }
const char *clock_id(enum clock_kind c) { return SAFE(clock_ids, c, CLOCK__COUNT); }
int clock_from_id(const char *s) { return model_name_lookup(clock_ids, CLOCK__COUNT, s); }
const char *event_status_id(enum event_status s) { return SAFE(status_ids, s, EVENT_STATUS__COUNT); }
const char *event_status_zh(enum event_status s) { return SAFE(status_zhs, s, EVENT_STATUS__COUNT); }
int event_status_from_id(const char *s) { return model_name_lookup(status_ids, EVENT_STATUS__COUNT, s); }
const char *event_action_id(enum event_action a) { return SAFE(action_ids, a, EVENT_ACTION__COUNT); }
const char *event_action_zh(enum event_action a) { return SAFE(action_zhs, a, EVENT_ACTION__COUNT); }
int event_action_from_id(const char *s) { return model_name_lookup(action_ids, EVENT_ACTION__COUNT, s); }
const char *source_id(enum event_source s) { return SAFE(source_ids, s, SOURCE__COUNT); }
const char *source_zh(enum event_source s) { return SAFE(source_zhs, s, SOURCE__COUNT); }
int source_from_id(const char *s) { return model_name_lookup(source_ids, SOURCE__COUNT, s); }
const char *color_id(enum color c) { return SAFE(color_ids, c, COLOR__COUNT); }
int color_from_id(const char *s) { return model_name_lookup(color_ids, COLOR__COUNT, s); }

const char *rating_id(enum rating r)
{
    return (unsigned)r < RATING__COUNT ? rating_ids[r] : NULL;
}

int rating_from_id(const char *s)
{
    int r = model_name_lookup(rating_ids, RATING__COUNT, s);
    return r == RATING_NONE ? -1 : r;
}

bool event_status_open(enum event_status s)
{
    return s != EVENT_STATUS_CLOSED && s != EVENT_STATUS_REJECTED && s != EVENT_STATUS_MERGED;
}

enum level level_of_kind(enum org_kind k)
{
    switch (k) {
    case ORG_COMMUNITY:
        return LEVEL_COMMUNITY;
    case ORG_STREET:
        return LEVEL_STREET;
    case ORG_CITY:
    case ORG_DISTRICT:
    case ORG_DEPARTMENT:
        return LEVEL_DISTRICT;
    default:
        return LEVEL_GRID;
    }
}
