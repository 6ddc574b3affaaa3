/* points.h - the points ledger's rules (积分制管理, 积分超市, DESIGN section 7): what an entry is,
 * the source key that makes one deed pay once, the amounts and limits, and what a redemption
 * costs. Pure: no I/O, no clock.
 *
 * A source key names the deed: "service_order:17" (a rated order pays its claimer),
 * "event_clue:42" (a verified resident report, 啄木鸟), "volunteer:<ref>:<user>" (volunteer
 * hours), "meeting:<ref>:<user>" (attendance), "redemption:9" (a store redemption, negative).
 * The store keeps keys unique, so a second payment for the same deed is a conflict. */
#ifndef GG_CORE_POINTS_H
#define GG_CORE_POINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define POINTS_KEY_SZ 96
#define POINTS_MAX_REASON 100        /* code points */
#define POINTS_REASON_SZ (POINTS_MAX_REASON * 4 + 1)
#define POINTS_MAX_AWARD 1000        /* one manual award (volunteer hours, meeting) */
#define POINTS_MAX_REF 48            /* the caller's reference in an award's source key */
#define POINTS_CLUE_REWARD 5         /* a verified resident report (啄木鸟) */
#define POINTS_MAX_PRICE 100000
#define POINTS_MAX_STOCK 100000
#define POINTS_MAX_QUANTITY 20       /* one redemption */

enum points_source {
    POINTS_SOURCE_SERVICE_ORDER,
    POINTS_SOURCE_EVENT_CLUE,
    POINTS_SOURCE_VOLUNTEER,
    POINTS_SOURCE_MEETING,
    POINTS_SOURCE_REDEMPTION,
    POINTS_SOURCE__COUNT
};
const char *points_source_id(enum points_source k); /* "service_order", … */
int points_source_from_id(const char *s);           /* -1 when unknown */

struct points_entry {
    int64_t id;
    int64_t user_id;
    int64_t amount; /* > 0 earned, < 0 spent */
    enum points_source source;
    char source_key[POINTS_KEY_SZ];
    char reason[POINTS_REASON_SZ];
    int64_t balance_after;
    int64_t at;
    int64_t actor_id; /* who caused it; 0 = the system */
};

struct points_account {
    int64_t user_id;
    int64_t balance; /* never negative */
    int64_t earned;  /* sum of the positive entries (the leaderboard's measure) */
};

/* The source key of an order, event or redemption id: "<source>:<id>". Returns 0, or
 * -GG_EINVAL when id <= 0 or the source needs a reference. */
int points_key_of_id(enum points_source k, int64_t id, char out[POINTS_KEY_SZ]);
/* The key of a manual award: "<source>:<ref>:<user_id>"; ref is 1..POINTS_MAX_REF characters of
 * [A-Za-z0-9_.-] (so keys cannot be forged to collide with another kind). -GG_EINVAL otherwise,
 * and for sources other than volunteer and meeting. */
int points_key_of_award(enum points_source k, const char *ref, int64_t user_id,
                        char out[POINTS_KEY_SZ]);
/* What `quantity` of an item at `price` costs; -GG_EINVAL when quantity is outside
 * 1..POINTS_MAX_QUANTITY or price outside 1..POINTS_MAX_PRICE. */
int points_cost(int64_t price, int quantity, int64_t *cost);
/* Whether a balance can pay `cost` (never below zero). */
bool points_can_pay(int64_t balance, int64_t cost);

/* ---- the points store (积分超市) ---- */
struct store_item {
    int64_t id;
    int64_t version;
    int64_t community_id;
    char community_path[GG_PATH_SZ];
    char name[GG_NAME_SZ];
    char description[GG_NOTE_SZ];
    int64_t price;
    int64_t stock;
    bool active;
    int64_t created_at, updated_at;
};

struct redemption {
    int64_t id;
    int64_t item_id;
    int64_t user_id;
    int64_t community_id;
    char community_path[GG_PATH_SZ];
    int quantity;
    int64_t points; /* what it cost */
    int64_t at;
    char item_name[GG_NAME_SZ];
};

#endif
