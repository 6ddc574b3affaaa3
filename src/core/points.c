/* points.c - the points ledger's pure rules: source keys, costs, and that a balance never goes
 * below zero. Storage and transactions are app/points.c's and the store's. */
#include "core/points.h"
#include "base/error.h"

#include <stdio.h>
#include <string.h>

static const char *const source_ids[POINTS_SOURCE__COUNT] = {
    [POINTS_SOURCE_SERVICE_ORDER] = "service_order", [POINTS_SOURCE_EVENT_CLUE] = "event_clue",
    [POINTS_SOURCE_VOLUNTEER] = "volunteer",         [POINTS_SOURCE_MEETING] = "meeting",
    [POINTS_SOURCE_REDEMPTION] = "redemption",
};

const char *points_source_id(enum points_source k)
{
    return (unsigned)k < POINTS_SOURCE__COUNT ? source_ids[k] : "";
}

int points_source_from_id(const char *s)
{
    return model_name_lookup(source_ids, POINTS_SOURCE__COUNT, s);
}

int points_key_of_id(enum points_source k, int64_t id, char out[POINTS_KEY_SZ])
{
    if (id <= 0 || (k != POINTS_SOURCE_SERVICE_ORDER && k != POINTS_SOURCE_EVENT_CLUE &&
                    k != POINTS_SOURCE_REDEMPTION))
        return -GG_EINVAL;
    snprintf(out, POINTS_KEY_SZ, "%s:%lld", source_ids[k], (long long)id);
    return 0;
}

static bool ref_ok(const char *ref)
{
    size_t n = ref ? strlen(ref) : 0;
    if (n < 1 || n > POINTS_MAX_REF)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = ref[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

int points_key_of_award(enum points_source k, const char *ref, int64_t user_id,
                        char out[POINTS_KEY_SZ])
{
    if ((k != POINTS_SOURCE_VOLUNTEER && k != POINTS_SOURCE_MEETING) || user_id <= 0 ||
        !ref_ok(ref))
        return -GG_EINVAL;
    snprintf(out, POINTS_KEY_SZ, "%s:%s:%lld", source_ids[k], ref, (long long)user_id);
    return 0;
}

int points_cost(int64_t price, int quantity, int64_t *cost)
{
    if (quantity < 1 || quantity > POINTS_MAX_QUANTITY || price < 1 || price > POINTS_MAX_PRICE)
        return -GG_EINVAL;
    *cost = price * quantity; /* ≤ 2,000,000: no overflow */
    return 0;
}

bool points_can_pay(int64_t balance, int64_t cost)
{
    return cost >= 0 && balance >= cost;
}
