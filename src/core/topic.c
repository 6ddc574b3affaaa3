/* topic.c - the deliberation topic state machine (DESIGN section 9) as data: one table of
 * state × action giving the state after it, one table of action × role, the vote rule, and the
 * small validators of disclosures (kinds, periods, amounts).
 *
 * It is not where scope is checked (is the actor a resident of the topic's place, an attendee,
 * the proposer): app/ decides that with the store. */
#include "core/topic.h"

#include <math.h>
#include <string.h>

#include "base/error.h"

static const char *const status_ids[] = {
#define XX(n, id, zh) id,
    GG_TOPIC_STATUS_MAP(XX)
#undef XX
};
static const char *const status_zh[] = {
#define XX(n, id, zh) zh,
    GG_TOPIC_STATUS_MAP(XX)
#undef XX
};
static const char *const action_ids[] = {
#define XX(n, id, zh) id,
    GG_TOPIC_ACTION_MAP(XX)
#undef XX
};
static const char *const action_zh[] = {
#define XX(n, id, zh) zh,
    GG_TOPIC_ACTION_MAP(XX)
#undef XX
};
static const char *const kind_ids[] = {
#define XX(n, id, zh) id,
    GG_DISCLOSURE_KIND_MAP(XX)
#undef XX
};
static const char *const kind_zh[] = {
#define XX(n, id, zh) zh,
    GG_DISCLOSURE_KIND_MAP(XX)
#undef XX
};
static const char *const choice_ids[VOTE__COUNT] = {"for", "against", "abstain"};
static const char *const choice_zh[VOTE__COUNT] = {"赞成", "反对", "弃权"};

static int lookup(const char *const *tab, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(tab[i], s) == 0)
            return i;
    return -1;
}

const char *topic_status_id(enum topic_status s)
{
    return (unsigned)s < TOPIC_STATUS__COUNT ? status_ids[s] : "?";
}
const char *topic_status_zh(enum topic_status s)
{
    return (unsigned)s < TOPIC_STATUS__COUNT ? status_zh[s] : "?";
}
int topic_status_from_id(const char *s)
{
    return lookup(status_ids, TOPIC_STATUS__COUNT, s);
}
const char *topic_action_id(enum topic_action a)
{
    return (unsigned)a < TOPIC_ACTION__COUNT ? action_ids[a] : "?";
}
const char *topic_action_zh(enum topic_action a)
{
    return (unsigned)a < TOPIC_ACTION__COUNT ? action_zh[a] : "?";
}
int topic_action_from_id(const char *s)
{
    return lookup(action_ids, TOPIC_ACTION_PROPOSE, s); /* PROPOSE is last and not a client's */
}
const char *vote_choice_id(enum vote_choice c)
{
    return (unsigned)c < VOTE__COUNT ? choice_ids[c] : "?";
}
const char *vote_choice_zh(enum vote_choice c)
{
    return (unsigned)c < VOTE__COUNT ? choice_zh[c] : "?";
}
int vote_choice_from_id(const char *s)
{
    return lookup(choice_ids, VOTE__COUNT, s);
}
const char *disclosure_kind_id(enum disclosure_kind k)
{
    return (unsigned)k < DISCLOSURE_KIND__COUNT ? kind_ids[k] : "?";
}
const char *disclosure_kind_zh(enum disclosure_kind k)
{
    return (unsigned)k < DISCLOSURE_KIND__COUNT ? kind_zh[k] : "?";
}
int disclosure_kind_from_id(const char *s)
{
    return lookup(kind_ids, DISCLOSURE_KIND__COUNT, s);
}

/* A cell: allowed, and the state after the action. Some actions have two outcomes, chosen by
 * a guard: F_SECOND (support: seconded once the threshold is reached) and F_TALLY (close_vote:
 * passed or failed). Cells left out are zero: not allowed (409). */
enum { F_SECOND = 1u << 0, F_TALLY = 1u << 1 };

struct cell {
    bool ok;
    enum topic_status to;
    unsigned flags;
};

#define GO(state, fl) {true, TOPIC_STATUS_##state, (fl)}
#define A(name) [TOPIC_ACTION_##name]
#define S(name) [TOPIC_STATUS_##name]

static const struct cell table[TOPIC_STATUS__COUNT][TOPIC_ACTION__COUNT] = {
    S(PROPOSED) = {
        A(SUPPORT) = GO(PROPOSED, F_SECOND),
        A(REJECT) = GO(REJECTED, 0),
        A(WITHDRAW) = GO(WITHDRAWN, 0),
    },
    S(SECONDED) = {
        A(SUPPORT) = GO(SECONDED, 0),
        A(ACCEPT) = GO(AGENDA, 0),
        A(REJECT) = GO(REJECTED, 0),
        A(WITHDRAW) = GO(WITHDRAWN, 0),
    },
    S(AGENDA) = {
        A(REJECT) = GO(REJECTED, 0),
        A(MEET) = GO(VOTING, 0),
    },
    S(VOTING) = {
        A(VOTE) = GO(VOTING, 0),
        A(CLOSE_VOTE) = GO(FAILED, F_TALLY),
    },
    S(PASSED) = {
        A(PUBLISH) = GO(PUBLISHED, 0),
    },
    S(PUBLISHED) = {
        A(PROGRESS) = GO(EXECUTING, 0),
    },
    S(EXECUTING) = {
        A(PROGRESS) = GO(EXECUTING, 0),
        A(COMPLETE) = GO(DONE, 0),
    },
    S(DONE) = {
        A(EVALUATE) = GO(DONE, 0),
    },
};

int topic_transition(enum topic_status from, enum topic_action a, int64_t supports_after,
                     int64_t threshold, bool passes, enum topic_status *to)
{
    if ((unsigned)from >= TOPIC_STATUS__COUNT || (unsigned)a >= TOPIC_ACTION__COUNT)
        return -GG_ECONFLICT;
    const struct cell *c = &table[from][a];
    if (!c->ok)
        return -GG_ECONFLICT;
    enum topic_status t = c->to;
    if ((c->flags & F_SECOND) && supports_after >= threshold)
        t = TOPIC_STATUS_SECONDED;
    if (c->flags & F_TALLY)
        t = passes ? TOPIC_STATUS_PASSED : TOPIC_STATUS_FAILED;
    *to = t;
    return 0;
}

#define R(name) (1u << ROLE_##name)
#define EVERY_ROLE ((1u << ROLE__COUNT) - 1)
#define PROPOSERS (R(ADMIN) | R(STAFF) | R(GRID_OFFICER) | R(MEMBER) | R(RESIDENT))

static const unsigned action_roles[TOPIC_ACTION__COUNT] = {
    A(SUPPORT) = R(RESIDENT) | R(MEMBER),
    A(ACCEPT) = R(ADMIN) | R(STAFF) | R(LEADER),
    A(REJECT) = R(ADMIN) | R(STAFF) | R(LEADER),
    A(WITHDRAW) = PROPOSERS,
    A(MEET) = R(ADMIN) | R(STAFF),
    A(VOTE) = EVERY_ROLE,
    A(CLOSE_VOTE) = R(ADMIN) | R(STAFF),
    A(PUBLISH) = R(ADMIN) | R(STAFF),
    A(PROGRESS) = R(ADMIN) | R(STAFF),
    A(COMPLETE) = R(ADMIN) | R(STAFF),
    A(EVALUATE) = R(RESIDENT) | R(MEMBER),
    A(PROPOSE) = PROPOSERS,
};

bool topic_role_may(enum role r, enum topic_action a)
{
    if ((unsigned)r >= ROLE__COUNT || (unsigned)a >= TOPIC_ACTION__COUNT)
        return false;
    return (action_roles[a] & (1u << r)) != 0;
}

bool topic_vote_passes(int64_t votes_for, int64_t n_attendees)
{
    return n_attendees > 0 && votes_for > 0 && votes_for * 2 > n_attendees;
}

bool topic_rating_valid(int64_t stars)
{
    return stars >= 1 && stars <= 5;
}

bool topic_org_kind_ok(enum org_kind k)
{
    return k == ORG_COMMUNITY || k == ORG_GRID;
}

bool disclosure_org_kind_ok(enum org_kind k)
{
    return k == ORG_STREET || k == ORG_COMMUNITY || k == ORG_GRID;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool disclosure_period_valid(const char *s, size_t n)
{
    if (!s || n < 4 || !digits(s, 4) || s[0] != '2' || s[1] != '0')
        return false;
    if (n == 4)
        return true;
    if (n != 7 || s[4] != '-')
        return false;
    if (s[5] == 'Q')
        return s[6] >= '1' && s[6] <= '4';
    if (!digits(s + 5, 2))
        return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
}

bool disclosure_amount_fen(double yuan, int64_t *fen)
{
    if (!isfinite(yuan) || fabs(yuan) >= 1e12)
        return false;
    double f = yuan * 100.0;
    double r = nearbyint(f);
    if (fabs(f - r) > 1e-6 * (fabs(f) > 1 ? fabs(f) : 1))
        return false; /* more than 2 decimals */
    *fen = (int64_t)r;
    return true;
}
