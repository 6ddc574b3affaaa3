/* store.c - picks a backend from the URL and holds what every backend shares: the migration
 * driver, the audit chain's rules (sealing an entry, the recorded head, verification) and the
 * canonical text of an audit entry and its SHA-256. Not a backend itself, and no SQL here. */
#include "store/store.h"
#include "store/pg/pg_db.h"
#include "store/sqlite/sqlite_db.h"

#include "base/log.h"
#include "core/indicators.h"

#include <inttypes.h>
#include <stddef.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int store_open(const char *url, struct store **out, struct gg_error *err)
{
    if (!url || !*url)
        return gg_error_set(err, GG_EINVAL, "database", "no database given");
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return pg_db_open(url, out, err);
    return sqlite_db_open(url, out, err);
}

size_t store_audit_canonical(const struct audit_entry *e, char *out, size_t sz)
{
    if (sz == 0)
        return 0;
    int n = snprintf(out, sz, "%lld|%lld|%lld|%s|%s|%lld|%s|%s", (long long)e->id,
                     (long long)e->at, (long long)e->actor_id, e->action, e->object_type,
                     (long long)e->object_id, e->detail, e->prev_hash);
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n < sz ? (size_t)n : sz - 1;
}

/* crypto_hash_sha256 does not depend on it, but libsodium asks for sodium_init() before use;
 * a failure there (no entropy source) cannot affect hashing, so it is only logged. */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static void sodium_start(void)
{
    if (sodium_init() < 0)
        gg_warn("sodium_init failed");
}

void store_sha256_hex(const void *data, size_t n, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    pthread_once(&sodium_once, sodium_start);
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* ---- the scope rule's role families (store.h) ---- */

enum store_scope_family store_scope_family(enum role r)
{
    switch (r) {
    case ROLE_ADMIN:
    case ROLE_COMMAND:
    case ROLE_LEADER:
    case ROLE_STAFF:
        return STORE_SCOPE_WIDE;
    case ROLE_GRID_OFFICER:
        return STORE_SCOPE_GRID;
    case ROLE_HANDLER:
        return STORE_SCOPE_HANDLER;
    case ROLE_MEMBER:
    case ROLE_RESIDENT:
        return STORE_SCOPE_OWN;
    default:
        return STORE_SCOPE_NONE;
    }
}

/* ---- schema migrations ---- */

int store_migrate_steps(struct store *s, const struct store_migration *steps, int n_steps,
                        int (*apply)(struct store *s, const struct store_migration *m,
                                     int64_t now),
                        int *from, int *to, struct gg_error *err)
{
    int have = 0, want = 0;
    int rc = s->ops->schema_version(s, &have, &want);
    if (rc)
        return gg_error_set(err, rc, "", "cannot read the schema version");
    if (from)
        *from = have;
    if (have > want)
        return gg_error_set(err, GG_EUNAVAILABLE, "",
                            "the database schema is version %d, newer than this gridgov (%d)",
                            have, want);
    int64_t now = (int64_t)time(NULL);
    for (int i = 0; i < n_steps; i++) {
        if (steps[i].version <= have)
            continue;
        rc = apply(s, &steps[i], now);
        if (rc)
            return gg_error_set(err, rc, "", "migration to version %d (%s) failed",
                                steps[i].version, steps[i].name);
        have = steps[i].version;
    }
    if (to)
        *to = have;
    return 0;
}

/* A new database gets every step; one at this build's version is left alone; an older one is
 * refused until `gridgov migrate` has run, so that a server never runs on a schema it does
 * not know. */
int store_init_schema(struct store *s, struct gg_error *err)
{
    int have = 0, want = 0;
    int rc = s->ops->schema_version(s, &have, &want);
    if (rc)
        return gg_error_set(err, rc, "", "cannot read the schema version");
    if (have == 0)
        return s->ops->migrate(s, NULL, NULL, err);
    if (have < want)
        return gg_error_set(err, GG_EUNAVAILABLE, "",
                            "the database schema is version %d, this gridgov needs %d:"
                            " run `gridgov migrate --db …` first",
                            have, want);
    if (have > want)
        return gg_error_set(err, GG_EUNAVAILABLE, "",
                            "the database schema is version %d, newer than this gridgov (%d)",
                            have, want);
    return 0;
}

/* ---- the audit chain ----
 * Each entry's hash is SHA-256 over its canonical text (which includes its id and the previous
 * entry's hash). The chain alone cannot show that its tail was cut off, so every append also
 * records the head, "<count> <last hash>", in the settings key 'audit_head' in the same
 * transaction; verification compares the chain with it, and an append continues from the head
 * when it is ahead of the table, so that a cut tail stays a visible gap. */

#define AUDIT_HEAD_KEY "audit_head"
#define FIELD(f) offsetof(struct audit_entry, f), sizeof(((struct audit_entry *)0)->f)

const struct store_audit_text store_audit_texts[STORE_AUDIT_N_TEXTS] = {
    {3, FIELD(action)}, {4, FIELD(object_type)}, {6, FIELD(detail)},
    {7, FIELD(prev_hash)}, {8, FIELD(hash)},
};
#define CANON_SZ (sizeof(((struct audit_entry *)0)->detail) + 512)

static void entry_hash(const struct audit_entry *e, char hex[65])
{
    char canon[CANON_SZ];
    size_t len = store_audit_canonical(e, canon, sizeof canon);
    store_sha256_hex(canon, len, hex);
}

/* *count = -1 when there is no usable head. */
static int read_head(struct store *s, int64_t *count, char hash[65])
{
    char *head = NULL;
    long long c = -1;
    int rc = s->ops->setting_get(s, AUDIT_HEAD_KEY, &head);
    if (rc)
        return rc;
    *count = -1;
    hash[0] = '\0';
    if (head && sscanf(head, "%lld %64s", &c, hash) == 2 && c >= 0)
        *count = c;
    else
        hash[0] = '\0';
    free(head);
    return 0;
}

int store_audit_seal(struct store *s, int64_t last_id, struct audit_entry *x)
{
    char head_hash[65];
    int64_t head_count = 0;
    int rc = read_head(s, &head_count, head_hash);
    if (rc)
        return rc;
    if (head_count > last_id) {
        last_id = head_count;
        memcpy(x->prev_hash, head_hash, sizeof x->prev_hash);
    }
    x->id = last_id + 1;
    entry_hash(x, x->hash);
    return 0;
}

/* in an intact log ids are contiguous from 1, so the last id is also the count */
int store_audit_head_set(struct store *s, const struct audit_entry *x)
{
    char head[96];
    snprintf(head, sizeof head, "%" PRId64 " %s", x->id, x->hash);
    return s->ops->setting_set(s, AUDIT_HEAD_KEY, head);
}

static void bad(struct audit_verify_result *out, int64_t id, const char *what)
{
    out->first_bad_id = id;
    snprintf(out->problem, sizeof out->problem, "entry %" PRId64 " %s", id, what);
}

void store_audit_walk_init(struct store_audit_walk *w)
{
    w->expect = 1;
    w->prev_hash[0] = '\0';
}

bool store_audit_walk_step(struct store_audit_walk *w, const struct audit_entry *e, bool fits,
                           struct audit_verify_result *out)
{
    char hash[65];
    out->checked++;
    if (e->id != w->expect) {
        bad(out, w->expect, "is missing (deleted)");
        return false;
    }
    if (strcmp(e->prev_hash, w->prev_hash) != 0) {
        char what[64];
        snprintf(what, sizeof what, "does not follow entry %" PRId64, e->id - 1);
        bad(out, e->id, what);
        return false;
    }
    entry_hash(e, hash);
    if (!fits || strcmp(hash, e->hash) != 0) {
        bad(out, e->id, "was edited");
        return false;
    }
    memcpy(w->prev_hash, e->hash, sizeof w->prev_hash);
    w->expect++;
    return true;
}

int store_audit_walk_end(struct store *s, const struct store_audit_walk *w,
                         struct audit_verify_result *out)
{
    int64_t head_count, count = w->expect - 1;
    char head_hash[65];
    int rc = read_head(s, &head_count, head_hash);
    if (rc)
        return rc;
    if (head_count < 0) {
        /* no usable head: only an empty log is consistent with that */
        if (count > 0)
            bad(out, 1, "is not recorded in the audit head");
    } else if (head_count > count) {
        bad(out, count + 1, "is missing (deleted)");
    } else if (head_count < count) {
        bad(out, head_count + 1, "was not written through the audit log");
    } else if (count > 0 && strcmp(head_hash, w->prev_hash) != 0) {
        bad(out, count, "was edited");
    }
    return 0;
}

/* ---- the tables as `gridgov copy` moves them ---- */

#define STAT_COL(n, id) ", " id
#define EVENT_TYPES "iiiiitttrritiitiit" "iiiiiiiiiiiiiiiiii" "tiii" "ii"

const struct store_table store_tables[] = {
    {"settings", "key, value", "tt", "key", NULL},
    {"orgs",
     "id, parent_id, kind, code, name, path, depth, district_id, households, department_kind,"
     " boundary, created_at, updated_at",
     "iiitttiiitTii", "id", NULL},
    {"categories",
     "code, parent_code, name, kind, list, handler_level, department_kind, accept_hours,"
     " handle_hours, clock, guidance, review_on",
     "tttiiitiiiti", "code", NULL},
    {"users",
     "id, username, pw_hash, role, scope_org_id, scope_path, person_id, display_name, disabled,"
     " created_at",
     "ittiititii", "id", NULL},
    {"login_failures", "username, at", "ti", "username, at", NULL},
    {"tokens", "hash, user_id, expires_at", "tii", "hash", NULL},
    {"events",
     "id, version, status, suspended, source, category_code, description, address, lat, lon,"
     " grid_id, org_path, district_id, assignee_org_id, assignee_path, level, reporter_id,"
     " device_id, reported_at, registered_at, dispatched_at, signed_at, handled_at, closed_at,"
     " accept_due_at, handle_due_at, yellow_at, suspended_at, suspended_secs, extension_hours,"
     " extension_count, rework_count, escalation_count, supervise_count, closing_level, rating,"
     " rating_comment, merged_into, updated_at, escalate_at, color_mark, recolor_at",
     EVENT_TYPES, "id", NULL},
    {"timeline", "event_id, seq, action, actor_id, at, from_status, to_status, org_id, note",
     "iiiiiiiit", "event_id, seq", NULL},
    /* in the order the departments were whistled: SQLite's rowid, PostgreSQL's ord */
    {"whistles", "event_id, dept_org_id, dept_path, due_at, reported_at", "iitii",
     "event_id, rowid", "event_id, ord"},
    {"attachments", "id, sha256, size, content_type, uploader_id, created_at", "ititii", "id",
     NULL},
    {"event_attachments", "event_id, attachment_id", "ii", "event_id, attachment_id", NULL},
    {"audit", "id, at, actor_id, action, object_type, object_id, detail, prev_hash, hash",
     "iiittittt", "id", NULL},
    {"stat_daily", "org_id, day" GG_STAT_METRIC_MAP(STAT_COL), NULL, "org_id, day", NULL},
    {"stat_cat", "org_id, day, category, n", "iiti", "org_id, day, category", NULL},
    /* issue 4: category counts per 32-day bucket */
    {"stat_cat32", "org_id, b, category, n", "iiti", "org_id, b, category", NULL},
    /* the counter log: records not yet folded into the counters */
    {"stat_log", "id, d", "ib", "id", NULL},
    {"feed",
     "id, at, event_id, action, from_status, to_status, actor_id, reporter_id, grid_id,"
     " assignee_org_id, org_path, assignee_path, category",
     "iiiiiiiiiittt", "id", NULL},
    {"messages", "id, user_id, at, kind, event_id, title, body, read_at", "iiititti", "id", NULL},
    {"outbox", "id, created_at, payload, attempts, next_at, delivered_at, last_error", "iitiiit",
     "id", NULL},
    /* issue 6: the registry, service orders and points, visits, deliberation; sealed id and
     * phone numbers ('b') travel as lowercase hex */
    {"people",
     "id, version, org_id, org_path, household_id, name, gender, birth_days, id_sealed,"
     " id_blind, phone_sealed, phone_blind, tags, party_member, party_branch, volunteer,"
     " relation, created_at, updated_at",
     "iiitititbbbbiititii", "id", NULL},
    {"households",
     "id, version, org_id, org_path, code, address, building, unit, room, color, house_id,"
     " created_at, updated_at",
     "iiittttttiiii", "id", NULL},
    {"houses",
     "id, version, org_id, org_path, address, building, unit, room, use, occupancy, area,"
     " owner_person_id, created_at, updated_at",
     "iiitttttiiriii", "id", NULL},
    {"service_orders",
     "id, version, status, category_code, title, description, address, community_id,"
     " community_path, district_id, asker_id, publisher_id, claimer_id, reviewer_id, reward,"
     " deadline_at, asked_at, published_at, claimed_at, completed_at, rated_at, reviewed_at,"
     " closed_at, rating, rating_comment, review_rating, review_comment, completion_note,"
     " updated_at",
     "iiitttt" "it" "iiiiii" "iiiiiiii" "it" "it" "t" "i", "id", NULL},
    {"service_order_attachments", "order_id, attachment_id", "ii", "order_id, attachment_id",
     NULL},
    {"points_ledger",
     "id, user_id, amount, source, source_key, reason, balance_after, at, actor_id",
     "iiiittiii", "id", NULL},
    {"points_accounts", "user_id, balance, earned", "iii", "user_id", NULL},
    {"store_items",
     "id, version, community_id, community_path, name, description, price, stock, active,"
     " created_at, updated_at",
     "iiitttiiiii", "id", NULL},
    {"redemptions", "id, item_id, user_id, community_id, community_path, quantity, points, at",
     "iiiitiii", "id", NULL},
    {"visits",
     "id, grid_id, grid_path, officer_id, person_id, household_id, subject_name, tags, at,"
     " findings, event_id, order_id, created_at",
     "iitiiitiitiii", "id", NULL},
    {"topics",
     "id, version, org_id, org_path, district_id, status, title, body, proposer_id, threshold,"
     " supports, n_attendees, votes_for, votes_against, votes_abstain, ratings, rating_sum,"
     " meeting_place, meeting_at, minutes, published_at, created_at, updated_at",
     "iiitiitt" "iiiiiiiii" "t" "i" "T" "iii", "id", NULL},
    {"topic_supports", "topic_id, user_id, district_id, at", "iiii", "topic_id, user_id", NULL},
    {"topic_attendees", "topic_id, user_id, district_id", "iii", "topic_id, user_id", NULL},
    {"topic_votes", "topic_id, user_id, district_id, choice, at", "iiiii", "topic_id, user_id",
     NULL},
    {"topic_ratings", "topic_id, user_id, district_id, stars, comment, at", "iiiiti",
     "topic_id, user_id", NULL},
    {"topic_notes",
     "id, topic_id, district_id, at, actor_id, action, from_status, to_status, note",
     "iiiiiiiit", "id", NULL},
    {"disclosures",
     "id, org_id, org_path, district_id, kind, title, body, period, total_fen, n_items,"
     " author_id, published_at",
     "iitiitttiiii", "id", NULL},
    {"disclosure_items", "disclosure_id, seq, district_id, label, amount_fen", "iiiti",
     "disclosure_id, seq", NULL},
    /* issue 4: department ratings, property companies and their areas */
    {"dept_ratings", "event_id, dept_org_id, score, note, rater_id, rater_org_id, at", "iiitiii",
     "event_id, dept_org_id", NULL},
    {"property_companies", "id, name, created_at, updated_at", "itii", "id", NULL},
    {"property_areas", "org_id, company_id, org_path, households", "iiti", "org_id", NULL},
    /* issue 6: party organisation (schema step 4) and key tasks */
    {"party_orgs",
     "id, parent_id, kind, name, party_path, org_id, org_path, district_id, secretary_user_id,"
     " created_at",
     "iiittitiii", "id", NULL},
    {"party_members",
     "id, party_org_id, party_path, org_path, district_id, kind, name, user_id, person_id,"
     " joined_days, created_at",
     "iittiitiiii", "id", NULL},
    {"report_ins",
     "id, member_id, org_id, org_path, district_id, skills, available, at, recorded_by",
     "iiitittii", "id", NULL},
    {"party_covers", "id, user_id, org_id, org_path, district_id, level, duty, created_at",
     "iiitiiti", "id", NULL},
    {"party_meetings",
     "id, party_org_id, party_path, org_path, district_id, kind, held_days, title, minutes,"
     " created_by, created_at",
     "iittiiittii", "id", NULL},
    {"party_attendance", "meeting_id, member_id, status, district_id", "iiii",
     "meeting_id, member_id", NULL},
    {"tasks",
     "id, version, kind, title, description, org_id, org_path, district_id, leader_user_id,"
     " budget, spend, created_by, created_at, updated_at",
     "iiittitiiiiiii", "id", NULL},
    {"task_milestones", "id, task_id, district_id, title, due_days, done_days, notified_at",
     "iiitiii", "id", NULL},
    {"task_reports", "id, task_id, district_id, month, percent, note, reported_by, at",
     "iiiiitii", "id", NULL},
};
const size_t store_n_tables = sizeof store_tables / sizeof store_tables[0];

int store_table_ncols(const struct store_table *t)
{
    int n = 1;
    for (const char *c = t->cols; *c; c++)
        n += *c == ',';
    return n;
}

char store_table_type(const struct store_table *t, int i)
{
    return t->types ? t->types[i] : 'i';
}
