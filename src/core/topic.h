/* topic.h - deliberation and disclosure (议事协商, 三会一评, 四议两公开; DESIGN section 9): the
 * topic state machine as one table (state × action), who may ever take each action, the vote
 * rule, the support threshold, and the kinds and periods of disclosures (公开).
 *
 * Scope ("is the actor a resident of the topic's place", "is the actor an attendee", "has the
 * actor supported / voted / rated already") is decided by app/ with the store; this file takes
 * counts and flags as arguments. No I/O, no clock, no SQL. */
#ifndef GG_CORE_TOPIC_H
#define GG_CORE_TOPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define GG_MAX_TITLE 100
#define GG_TITLE_SZ (GG_MAX_TITLE * 4 + 1)
#define GG_MAX_TOPIC_BODY 2000    /* a topic's description, a disclosure's body (code points) */
#define GG_TOPIC_BODY_SZ (GG_MAX_TOPIC_BODY * 4 + 1)
#define GG_MAX_MINUTES 20000      /* meeting minutes (code points) */
#define GG_MAX_ATTENDEES 500
#define GG_MAX_DISCLOSURE_ITEMS 50
#define GG_PERIOD_SZ 8 /* "2026-Q1" */
#define GG_TOPIC_THRESHOLD_MAX 10000
#define GG_TOPIC_THRESHOLD_DEFAULT 5

/* ---- states (the procedure of 四议两公开: 提议 → 附议 → 审议/列入议程 → 议事会表决 → 决议公开 →
 * 实施 → 结果公开/评议) ---- */
#define GG_TOPIC_STATUS_MAP(XX)                                                                    \
    XX(PROPOSED, "proposed", "征集附议")                                                           \
    XX(SECONDED, "seconded", "附议达标")                                                           \
    XX(AGENDA, "agenda", "已列入议程")                                                             \
    XX(VOTING, "voting", "表决中")                                                                 \
    XX(PASSED, "passed", "表决通过")                                                               \
    XX(FAILED, "failed", "表决未通过")                                                             \
    XX(PUBLISHED, "published", "决议已公开")                                                       \
    XX(EXECUTING, "executing", "实施中")                                                           \
    XX(DONE, "done", "已实施")                                                                     \
    XX(REJECTED, "rejected", "不予采纳")                                                           \
    XX(WITHDRAWN, "withdrawn", "已撤回")

enum topic_status {
#define XX(n, id, zh) TOPIC_STATUS_##n,
    GG_TOPIC_STATUS_MAP(XX)
#undef XX
    TOPIC_STATUS__COUNT
};

/* PROPOSE is the creation (a system action here: never accepted by topic_transition). */
#define GG_TOPIC_ACTION_MAP(XX)                                                                    \
    XX(SUPPORT, "support", "附议")                                                                 \
    XX(ACCEPT, "accept", "列入议程")                                                               \
    XX(REJECT, "reject", "不予采纳")                                                               \
    XX(WITHDRAW, "withdraw", "撤回")                                                               \
    XX(MEET, "meet", "召开议事会")                                                                 \
    XX(VOTE, "vote", "表决")                                                                       \
    XX(CLOSE_VOTE, "close_vote", "结束表决")                                                       \
    XX(PUBLISH, "publish", "决议公开")                                                             \
    XX(PROGRESS, "progress", "实施进展")                                                           \
    XX(COMPLETE, "complete", "实施完成")                                                           \
    XX(EVALUATE, "evaluate", "评议")                                                               \
    XX(PROPOSE, "propose", "提议")

enum topic_action {
#define XX(n, id, zh) TOPIC_ACTION_##n,
    GG_TOPIC_ACTION_MAP(XX)
#undef XX
    TOPIC_ACTION__COUNT
};

const char *topic_status_id(enum topic_status s);
const char *topic_status_zh(enum topic_status s);
int topic_status_from_id(const char *s); /* -1 when unknown */
const char *topic_action_id(enum topic_action a);
const char *topic_action_zh(enum topic_action a);
/* client actions only (PROPOSE is refused): -1 when unknown */
int topic_action_from_id(const char *s);

/* May `a` be taken on a topic in state `from`? Returns 0 and *to (the state after it), or
 * -GG_ECONFLICT (409). The whole table:
 * - support: proposed → proposed, or → seconded once the supports reach the threshold
 *   (supports_after >= threshold); seconded → seconded (late supports still count)
 * - accept: seconded → agenda                 - reject: proposed|seconded|agenda → rejected
 * - withdraw: proposed|seconded → withdrawn   - meet: agenda → voting (attendees and minutes)
 * - vote: voting → voting                     - close_vote: voting → passed | failed (passed
 *                                               when topic_vote_passes)
 * - publish: passed → published (决议公开 on the public board; a failed resolution ends the
 *   topic, visible in its list with the tally)
 * - progress: published|executing → executing - complete: executing → done
 * - evaluate: done → done
 * passes/supports_after/threshold are only read by the actions they concern. */
int topic_transition(enum topic_status from, enum topic_action a, int64_t supports_after,
                     int64_t threshold, bool passes, enum topic_status *to);

/* May role r ever take action a? (403 otherwise.)
 * support, evaluate: resident, member (app checks they live in the topic's place);
 * accept, reject: admin, staff, leader (the party organisation: 党组织审议);
 * meet, close_vote, publish, progress, complete: admin, staff;
 * withdraw: every role that may propose (app checks it is the proposer);
 * vote: every role (app checks the voter is an attendee);
 * propose (topic_role_may_propose): admin, staff, grid_officer, member, resident. */
bool topic_role_may(enum role r, enum topic_action a);

/* A resolution passes with a strict majority of the attendees (not of the votes cast):
 * votes_for * 2 > n_attendees. n_attendees 0 never passes. */
bool topic_vote_passes(int64_t votes_for, int64_t n_attendees);

/* vote choices */
enum vote_choice { VOTE_FOR, VOTE_AGAINST, VOTE_ABSTAIN, VOTE__COUNT };
const char *vote_choice_id(enum vote_choice c); /* "for", "against", "abstain" */
const char *vote_choice_zh(enum vote_choice c);
int vote_choice_from_id(const char *s);

/* ratings of 评议: 1..5 */
bool topic_rating_valid(int64_t stars);

/* Topics hang on a community or a grid (nested grids included). */
bool topic_org_kind_ok(enum org_kind k);

/* ---- disclosures (公开栏) ---- */
#define GG_DISCLOSURE_KIND_MAP(XX)                                                                 \
    XX(PROPERTY_FEE, "property_fee", "物业服务费")                                                 \
    XX(PROJECT_FUND, "project_fund", "项目资金")                                                   \
    XX(FINANCE, "finance", "居（村）务财务")                                                       \
    XX(AFFAIRS, "affairs", "居（村）务事项")                                                       \
    XX(OTHER, "other", "其他")

enum disclosure_kind {
#define XX(n, id, zh) DISCLOSURE_##n,
    GG_DISCLOSURE_KIND_MAP(XX)
#undef XX
    DISCLOSURE_KIND__COUNT
};
const char *disclosure_kind_id(enum disclosure_kind k);
const char *disclosure_kind_zh(enum disclosure_kind k);
int disclosure_kind_from_id(const char *s);
/* Disclosures hang on a street, a community or a grid. */
bool disclosure_org_kind_ok(enum org_kind k);
/* A period is "YYYY", "YYYY-MM" (month 01..12) or "YYYY-Qn" (n 1..4), years 2000..2099. */
bool disclosure_period_valid(const char *s, size_t n);
/* An amount in yuan, at most 2 decimals and |amount| < 1e12, as fen (分). false when it is not. */
bool disclosure_amount_fen(double yuan, int64_t *fen);

#endif
