/* service.h - resident service orders (点单—下单—接单—评单, DESIGN section 6): the order's
 * plain data, its state machine as one table (state × action), who may ever take each action,
 * and the expiry rule.
 *
 * Like workflow.h for events, this answers "may action A be taken on an order in state S"
 * (else 409) and "may role R ever take action A" (else 403). Whether the actor is the asker,
 * the claimer or covers the order's community is app/'s decision with the store. No clock:
 * "now" is an argument. */
#ifndef GG_CORE_SERVICE_H
#define GG_CORE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/model.h"

#define GG_SERVICE_STATUS_MAP(XX)                                                                  \
    XX(ASKED, "asked", "待下单")                                                                   \
    XX(PUBLISHED, "published", "待接单")                                                           \
    XX(CLAIMED, "claimed", "已接单")                                                               \
    XX(COMPLETED, "completed", "待评单")                                                           \
    XX(RATED, "rated", "待评价")                                                                   \
    XX(REVIEWED, "reviewed", "已评价")                                                             \
    XX(CANCELLED, "cancelled", "已取消")                                                           \
    XX(EXPIRED, "expired", "已过期")

enum service_status {
#define XX(n, id, zh) SERVICE_STATUS_##n,
    GG_SERVICE_STATUS_MAP(XX)
#undef XX
    SERVICE_STATUS__COUNT
};

#define GG_SERVICE_ACTION_MAP(XX)                                                                  \
    XX(PUBLISH, "publish", "下单")                                                                 \
    XX(CLAIM, "claim", "接单")                                                                     \
    XX(COMPLETE, "complete", "完成")                                                               \
    XX(RATE, "rate", "评单")                                                                       \
    XX(REVIEW, "review", "评价")                                                                   \
    XX(CANCEL, "cancel", "取消")                                                                   \
    XX(ASK, "ask", "点单")                                                                         \
    XX(EXPIRE, "expire", "过期")

enum service_action {
#define XX(n, id, zh) SERVICE_ACTION_##n,
    GG_SERVICE_ACTION_MAP(XX)
#undef XX
    SERVICE_ACTION__COUNT
};
/* ASK (creating the order) and EXPIRE (the deadline passing) are not taken through
 * POST /service-orders/{id}/actions. */
#define SERVICE_ACTION__CLIENT_COUNT SERVICE_ACTION_ASK

const char *service_status_id(enum service_status s);
const char *service_status_zh(enum service_status s);
int service_status_from_id(const char *s); /* -1 when unknown */
const char *service_action_id(enum service_action a);
const char *service_action_zh(enum service_action a);
int service_action_from_id(const char *s); /* -1 when unknown */

/* Limits enforced by app/ (422 naming the field). */
#define SERVICE_MAX_TITLE 64
#define SERVICE_MAX_REWARD 1000           /* points */
#define SERVICE_MAX_DEADLINE_DAYS 365     /* publish: deadline at most this far ahead */
#define SERVICE_MAX_ATTACHMENTS 9

struct service_order {
    int64_t id;
    int64_t version; /* every write bumps it; updates are guarded by it */
    enum service_status status; /* as stored; reads return the effective status */
    char category_code[GG_CODE_SZ];
    char title[GG_NAME_SZ];
    char description[GG_DESC_SZ];
    char address[GG_ADDR_SZ];
    int64_t community_id;          /* the community the order belongs to */
    char community_path[GG_PATH_SZ];
    int64_t district_id;
    int64_t asker_id, publisher_id, claimer_id, reviewer_id;
    int reward;          /* points paid to the claimer once the asker rates */
    int64_t deadline_at; /* unclaimed after this: expired */
    int64_t asked_at, published_at, claimed_at, completed_at, rated_at, reviewed_at;
    int64_t closed_at; /* cancelled */
    int rating;        /* 1..5 by the asker, 0 before */
    char rating_comment[GG_NOTE_SZ];
    int review_rating; /* 1..5 by the street, 0 before */
    char review_comment[GG_NOTE_SZ];
    char completion_note[GG_NOTE_SZ];
    int64_t updated_at;
};

/* The status an order has at `now`: a published order whose deadline has passed is EXPIRED
 * (expiry takes effect on read, no sweep needed); every other status is as stored. */
enum service_status service_effective(enum service_status stored, int64_t deadline_at,
                                      int64_t now);

/* May `a` be applied to an order in (effective) state `from`? 0 and *to, or -GG_ECONFLICT:
 * - publish: asked → published            - claim: published → claimed
 * - complete: claimed → completed         - rate: completed → rated
 * - review: rated → reviewed              - cancel: asked|published → cancelled
 * - expire: published → expired           - ask: never (it creates the order)
 * Cancelled, expired and reviewed orders take no action. */
int service_transition(enum service_status from, enum service_action a, enum service_status *to);

/* May role r ever take action a? (403 otherwise.)
 * publish: admin, staff; claim: member; complete: member (app: the claimer);
 * rate: resident, member, grid_officer (app: the asker — a grid officer asks on a resident's
 * behalf from a visit, 走访代点单); review: admin, staff (app: street level or above);
 * cancel: admin, staff, resident, member, grid_officer (app: the last three their own order);
 * ask: resident, member (a visit's order is asked by app/visits.c); expire: no role. */
bool service_role_may(enum role r, enum service_action a);

#endif
