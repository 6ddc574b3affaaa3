/* visit.c - visit rules (tag → interval) and the due/overdue rule for home visits (六必访).
 * Not here: who visits whom or where visits are stored (app/visits.c, the store). */
#include "core/visit.h"
#include "base/error.h"
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

#define ID_ONLY(n, id, days, zh) id,
#define ZH_ONLY(n, id, days, zh) zh,
#define DAYS_ONLY(n, id, days, zh) days,
static const char *const tag_ids[] = {GG_VISIT_TAG_MAP(ID_ONLY)};
static const char *const tag_zhs[] = {GG_VISIT_TAG_MAP(ZH_ONLY)};
static const int tag_days[] = {GG_VISIT_TAG_MAP(DAYS_ONLY)};

const char *visit_tag_id(enum visit_tag t)
{
    return (unsigned)t < VISIT_TAG__COUNT ? tag_ids[t] : "";
}

const char *visit_tag_zh(enum visit_tag t)
{
    return (unsigned)t < VISIT_TAG__COUNT ? tag_zhs[t] : "";
}

int visit_tag_from_id(const char *s)
{
    return model_name_lookup(tag_ids, VISIT_TAG__COUNT, s);
}

void visit_rules_default(struct visit_rules *r)
{
    memcpy(r->days, tag_days, sizeof r->days);
}

static const char *skip_spaces(const char *p)
{
    while (*p == ' ')
        p++;
    return p;
}

int visit_rules_parse(const char *text, struct visit_rules *out)
{
    struct visit_rules r;
    visit_rules_default(&r);
    const char *p = text ? text : "";
    while (*(p = skip_spaces(p))) {
        const char *eq = strchr(p, '=');
        if (!eq)
            return -GG_EINVAL;
        char tag[32];
        size_t n = (size_t)(eq - p);
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n == 0 || n >= sizeof tag)
            return -GG_EINVAL;
        memcpy(tag, p, n);
        tag[n] = '\0';
        int t = visit_tag_from_id(tag);
        if (t < 0)
            return -GG_EINVAL;
        char *end;
        long d = strtol(skip_spaces(eq + 1), &end, 10);
        if (end == skip_spaces(eq + 1) || d < 1 || d > VISIT_MAX_INTERVAL_DAYS)
            return -GG_EINVAL;
        p = skip_spaces(end);
        if (*p == ',')
            p++;
        else if (*p)
            return -GG_EINVAL;
        r.days[t] = (int)d;
    }
    *out = r;
    return 0;
}

int visit_interval_days(const struct visit_rules *r, unsigned tags)
{
    int best = 0;
    for (int t = 0; t < VISIT_TAG__COUNT; t++)
        if ((tags >> t) & 1u && r->days[t] > 0 && (best == 0 || r->days[t] < best))
            best = r->days[t];
    return best;
}

const char *visit_state_id(enum visit_state s)
{
    static const char *const ids[] = {"ok", "due", "overdue"};
    return (unsigned)s < VISIT_STATE__COUNT ? ids[s] : "";
}

enum visit_state visit_state_at(int64_t last_at, int interval_days, int64_t now, int64_t *due_at)
{
    if (interval_days <= 0) {
        *due_at = 0;
        return VISIT_STATE_OK;
    }
    *due_at = last_at + (int64_t)interval_days * 86400;
    int window = interval_days < VISIT_DUE_WINDOW_DAYS ? interval_days : VISIT_DUE_WINDOW_DAYS;
    if (now > *due_at)
        return VISIT_STATE_OVERDUE;
    if (now >= *due_at - (int64_t)window * 86400)
        return VISIT_STATE_DUE;
    return VISIT_STATE_OK;
}
