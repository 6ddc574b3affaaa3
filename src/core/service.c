/* service.c - the service-order state machine (DESIGN section 6) as data: one table of
 * state × action giving the state after it, one table of action × role, and the expiry rule.
 *
 * Not here: whether the actor is the asker or the claimer, or covers the order's community
 * (app/service.c with the store), nor points (points.c). */
#include "core/service.h"
#include "base/error.h"

#define ID_ONLY(n, id, zh) id,
#define ZH_ONLY(n, id, zh) zh,
static const char *const status_ids[] = {GG_SERVICE_STATUS_MAP(ID_ONLY)};
static const char *const status_zh[] = {GG_SERVICE_STATUS_MAP(ZH_ONLY)};
static const char *const action_ids[] = {GG_SERVICE_ACTION_MAP(ID_ONLY)};
static const char *const action_zh[] = {GG_SERVICE_ACTION_MAP(ZH_ONLY)};

const char *service_status_id(enum service_status s)
{
    return (unsigned)s < SERVICE_STATUS__COUNT ? status_ids[s] : "";
}

const char *service_status_zh(enum service_status s)
{
    return (unsigned)s < SERVICE_STATUS__COUNT ? status_zh[s] : "";
}

int service_status_from_id(const char *s)
{
    return model_name_lookup(status_ids, SERVICE_STATUS__COUNT, s);
}

const char *service_action_id(enum service_action a)
{
    return (unsigned)a < SERVICE_ACTION__COUNT ? action_ids[a] : "";
}

const char *service_action_zh(enum service_action a)
{
    return (unsigned)a < SERVICE_ACTION__COUNT ? action_zh[a] : "";
}

int service_action_from_id(const char *s)
{
    return model_name_lookup(action_ids, SERVICE_ACTION__COUNT, s);
}

enum service_status service_effective(enum service_status stored, int64_t deadline_at,
                                      int64_t now)
{
    if (stored == SERVICE_STATUS_PUBLISHED && deadline_at > 0 && now >= deadline_at)
        return SERVICE_STATUS_EXPIRED;
    return stored;
}

#define S(x) [SERVICE_STATUS_##x]
#define A(x) [SERVICE_ACTION_##x]
/* 1 + the state after the action; 0 = not allowed (so that the zero cells mean "no") */
#define TO(x) (1 + SERVICE_STATUS_##x)

/* The whole state machine. */
static const unsigned char table[SERVICE_STATUS__COUNT][SERVICE_ACTION__COUNT] = {
    S(ASKED) = {A(PUBLISH) = TO(PUBLISHED), A(CANCEL) = TO(CANCELLED)},
    S(PUBLISHED) = {A(CLAIM) = TO(CLAIMED), A(CANCEL) = TO(CANCELLED), A(EXPIRE) = TO(EXPIRED)},
    S(CLAIMED) = {A(COMPLETE) = TO(COMPLETED)},
    S(COMPLETED) = {A(RATE) = TO(RATED)},
    S(RATED) = {A(REVIEW) = TO(REVIEWED)},
};

int service_transition(enum service_status from, enum service_action a, enum service_status *to)
{
    if ((unsigned)from >= SERVICE_STATUS__COUNT || (unsigned)a >= SERVICE_ACTION__COUNT)
        return -GG_ECONFLICT;
    unsigned char c = table[from][a];
    if (!c)
        return -GG_ECONFLICT;
    *to = (enum service_status)(c - 1);
    return 0;
}

#define R(name) (1u << ROLE_##name)

static const unsigned action_roles[SERVICE_ACTION__COUNT] = {
    A(PUBLISH) = R(ADMIN) | R(STAFF),
    A(CLAIM) = R(MEMBER),
    A(COMPLETE) = R(MEMBER),
    A(RATE) = R(RESIDENT) | R(MEMBER) | R(GRID_OFFICER),
    A(REVIEW) = R(ADMIN) | R(STAFF),
    A(CANCEL) = R(ADMIN) | R(STAFF) | R(RESIDENT) | R(MEMBER) | R(GRID_OFFICER),
    A(ASK) = R(RESIDENT) | R(MEMBER),
    A(EXPIRE) = 0,
};

bool service_role_may(enum role r, enum service_action a)
{
    if ((unsigned)r >= ROLE__COUNT || (unsigned)a >= SERVICE_ACTION__COUNT)
        return false;
    return (action_roles[a] & (1u << r)) != 0;
}
