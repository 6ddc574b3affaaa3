/* notify.c - what an event write triggers besides itself (DESIGN section 12): the counters
 * (stats.c), one row of the live feed, in-app messages to the users who must act, and for each
 * message a webhook outbox row, all in the write's own transaction; then the outbox worker
 * that delivers those rows as signed JSON (HMAC-SHA256), retrying with backoff. Also the few
 * settings an operator may change over the API.
 *
 * Not here: HTTP (the worker speaks to the configured URL with libcurl, nothing else), nor the
 * SSE connections (http/h_stream.c reads the feed table). */
#include "app/internal.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"
#include "core/indicators.h"
#include "core/scope.h"

#define ROLE_BIT(r) (1 << (r))
#define STAFF_ROLES                                                                                \
    (ROLE_BIT(ROLE_COMMAND) | ROLE_BIT(ROLE_LEADER) | ROLE_BIT(ROLE_STAFF) |                      \
     ROLE_BIT(ROLE_GRID_OFFICER) | ROLE_BIT(ROLE_HANDLER))
#define OUTBOX_MAX_ATTEMPTS 20
#define OUTBOX_MAX_BACKOFF 3600

/* ---- messages of one write ---- */

static int webhook_url(struct store *s, char **url)
{
    *url = NULL;
    int rc = s->ops->setting_get(s, "webhook.url", url);
    if (!rc && *url && !**url) {
        free(*url);
        *url = NULL;
    }
    return rc;
}

/* the webhook outbox row of a stored message */
static int outbox_message(struct store *s, const struct message *m)
{
    char at[GG_RFC3339_LEN];
    gg_time_format(m->at, at);
    json_t *j = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)m->id, "kind",
                          m->kind, "user_id", (json_int_t)m->user_id, "event_id",
                          (json_int_t)m->event_id, "title", m->title, "body", m->body, "at", at);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text)
        return -GG_ENOMEM;
    int rc = s->ops->outbox_insert(s, text, m->at);
    free(text);
    return rc;
}

static int send_message(struct store *s, struct message *m, bool outbox)
{
    int rc = s->ops->message_insert(s, m);
    if (rc || !outbox)
        return rc;
    return outbox_message(s, m);
}

/* the message of `kind` about event e (user_id left 0) */
static void event_message(struct app *a, const char *kind, const struct event *e,
                          const char *title, int64_t now, struct message *m)
{
    struct category cat;
    const char *cname = app_cat_find(a, e->category_code, &cat) == 0 ? cat.name : e->category_code;
    memset(m, 0, sizeof *m);
    m->at = now;
    gg_strlcpy(m->kind, kind, sizeof m->kind);
    m->event_id = e->id;
    char t[sizeof m->title + 64];
    snprintf(t, sizeof t, "%s：事件 #%lld（%s）", title, (long long)e->id, cname);
    gg_strlcpy(m->title, t, sizeof m->title);
    gg_strlcpy(m->body, e->description, sizeof m->body);
}

/* one message of `kind` about event e to each of the users ids[0..n) */
static int notify_users(struct app *a, struct store *s, const int64_t *ids, size_t n,
                        const char *kind, const struct event *e, const char *title, int64_t now,
                        bool outbox)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        struct message m;
        event_message(a, kind, e, title, now, &m);
        m.user_id = ids[i];
        rc = send_message(s, &m, outbox);
    }
    return rc;
}

/* one message of `kind` to every user scoped exactly at `path` with a role in `roles`: one
 * statement where the store has messages_at (PostgreSQL, which then need not wait for it
 * unless a webhook wants the ids) */
static int notify_at(struct app *a, struct store *s, const char *path, int roles, const char *kind,
                     const struct event *e, const char *title, int64_t now, bool outbox)
{
    if (!path || !*path)
        return 0;
    int rc;
    if (s->ops->messages_at) {
        struct message m, *rows = NULL;
        size_t n = 0;
        event_message(a, kind, e, title, now, &m);
        rc = s->ops->messages_at(s, path, roles, &m, outbox, &rows, &n);
        for (size_t i = 0; !rc && i < n; i++)
            rc = outbox_message(s, &rows[i]);
        free(rows);
        return rc;
    }
    int64_t *ids = NULL;
    size_t n = 0;
    rc = s->ops->users_at(s, path, roles, &ids, &n);
    if (!rc)
        rc = notify_users(a, s, ids, n, kind, e, title, now, outbox);
    free(ids);
    return rc;
}

/* issue 6: one message to one user (key-task overdue milestones), with its webhook row when a
 * webhook is configured */
int app_message_send(struct store *s, struct message *m)
{
    char *url = NULL;
    int rc = webhook_url(s, &url);
    bool outbox = url != NULL;
    free(url);
    return rc ? rc : send_message(s, m, outbox);
}

/* issue 6: escalation and supervision also reach the cadres who cover (三级包保) the node the
 * event is now assigned to: the links of the nearest node that has any (store
 * cover_for_path: nearest first) */
static int notify_covers(struct app *a, struct store *s, const struct event *e, const char *kind,
                         const char *title, int64_t now, bool outbox)
{
    if (!e->assignee_path[0])
        return 0;
    struct cover *cv = NULL;
    size_t n = 0, k = 0;
    int rc = s->ops->cover_for_path(s, e->assignee_path, &cv, &n);
    int64_t *ids = rc || !n ? NULL : malloc(n * sizeof *ids);
    if (!rc && n && !ids)
        rc = -GG_ENOMEM;
    for (size_t i = 0; !rc && i < n && strcmp(cv[i].org_path, cv[0].org_path) == 0; i++)
        ids[k++] = cv[i].user_id;
    char t[64];
    snprintf(t, sizeof t, "%s（包保）", title);
    if (!rc)
        rc = notify_users(a, s, ids, k, kind, e, t, now, outbox);
    free(ids);
    free(cv);
    return rc;
}

int app_event_changed(struct app *a, struct store *s, const struct actor *who,
                      const struct event *before, const struct event *after,
                      enum event_action action, int64_t now)
{
    bool auto_dispatch = (action == EVENT_ACTION_REPORT || action == EVENT_ACTION_REGISTER) &&
                         after->status == EVENT_STATUS_DISPATCHED;
    int n_dispatch = (action == EVENT_ACTION_DISPATCH || auto_dispatch) ? 1 : 0;
    int n_return = action == EVENT_ACTION_RETURN ? 1 : 0;
    int rc = app_stats_apply(a, s, before, after, n_dispatch, n_return);
    if (rc)
        return rc;

    struct feed_entry f;
    memset(&f, 0, sizeof f);
    f.at = now;
    f.event_id = after->id;
    f.action = (int)action;
    f.from_status = before ? (int)before->status : (int)EVENT_STATUS_REPORTED;
    f.to_status = (int)after->status;
    f.actor_id = who ? who->user_id : 0;
    f.reporter_id = after->reporter_id;
    f.grid_id = after->grid_id;
    f.assignee_org_id = after->assignee_org_id;
    gg_strlcpy(f.org_path, after->org_path, sizeof f.org_path);
    gg_strlcpy(f.assignee_path, after->assignee_path, sizeof f.assignee_path);
    gg_strlcpy(f.category, after->category_code, sizeof f.category);
    rc = s->ops->feed_insert(s, &f);
    if (rc)
        return rc;

    char *url = NULL;
    rc = webhook_url(s, &url);
    if (rc)
        return rc;
    bool outbox = url != NULL;
    free(url);
    /* a write that finds the event past its yellow moment warns, as the sweep would have */
    if (before && before->color_mark != COLOR_YELLOW && after->color_mark == COLOR_YELLOW &&
        stat_color_moves(after)) {
        rc = app_notify_yellow(a, s, after, now);
        if (rc)
            return rc;
    }
    bool reassigned = after->assignee_org_id &&
                      (!before || before->assignee_org_id != after->assignee_org_id);
    switch (action) {
    case EVENT_ACTION_AUTO_ESCALATE:
        rc = notify_at(a, s, after->assignee_path, STAFF_ROLES, "overdue", after, "超期上报", now,
                       outbox);
        if (!rc)
            rc = notify_covers(a, s, after, "overdue", "超期上报", now, outbox);
        break;
    case EVENT_ACTION_SUPERVISE:
        rc = notify_at(a, s, after->assignee_path, STAFF_ROLES, "supervise", after, "督办", now,
                       outbox);
        if (!rc)
            rc = notify_covers(a, s, after, "supervise", "督办", now, outbox);
        break;
    case EVENT_ACTION_WHISTLE: {
        struct whistle *w = NULL;
        size_t n = 0;
        rc = s->ops->whistle_list(s, after->id, &w, &n);
        int64_t due = now + (int64_t)a->cfg.whistle_hours * 3600;
        for (size_t i = 0; !rc && i < n; i++)
            if (!w[i].reported_at && w[i].due_at == due) /* whistled by this action */
                rc = notify_at(a, s, w[i].dept_path, STAFF_ROLES, "whistle", after, "吹哨报到",
                               now, outbox);
        free(w);
        break;
    }
    default:
        if (reassigned && after->status != EVENT_STATUS_CLOSED)
            rc = notify_at(a, s, after->assignee_path, STAFF_ROLES, "assignment", after, "新派单",
                           now, outbox);
        break;
    }
    return rc;
}

int app_notify_yellow(struct app *a, struct store *s, const struct event *e, int64_t now)
{
    char *url = NULL;
    int rc = webhook_url(s, &url);
    if (rc)
        return rc;
    bool outbox = url != NULL;
    free(url);
    rc = notify_at(a, s, e->assignee_path, STAFF_ROLES, "yellow", e, "黄灯预警", now, outbox);
    if (rc)
        return rc;
    char detail[96];
    char due[GG_RFC3339_LEN];
    gg_time_format(e->handle_due_at, due);
    snprintf(detail, sizeof detail, "{\"handle_due_at\":\"%s\"}", due);
    return app_audit(s, NULL, now, "event.yellow_warning", "event", e->id, detail);
}

/* The scope rule of store.h, applied to a feed row. */
bool app_feed_visible(const struct actor *who, const struct feed_entry *f)
{
    switch (who->role) {
    case ROLE_ADMIN:
    case ROLE_COMMAND:
    case ROLE_LEADER:
    case ROLE_STAFF:
        return scope_covers(who->scope_path, f->org_path) ||
               scope_covers(who->scope_path, f->assignee_path);
    case ROLE_GRID_OFFICER:
        return scope_covers(who->scope_path, f->org_path);
    case ROLE_HANDLER:
        return scope_covers(who->scope_path, f->assignee_path);
    case ROLE_MEMBER:
    case ROLE_RESIDENT:
        return f->reporter_id == who->user_id;
    default:
        return false;
    }
}

int app_feed_after(struct app *a, int64_t after_id, int limit, struct feed_entry **items,
                   size_t *n)
{
    *items = NULL;
    *n = 0;
    struct store *s = app_store_for_read(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    return s->ops->feed_after(s, after_id, limit, items, n);
}

int app_feed_newest(struct app *a, int64_t *id)
{
    *id = 0;
    struct store *s = app_store_for_read(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    return s->ops->feed_newest(s, id);
}

int app_feed_wait(struct app *a, int timeout_ms)
{
    struct store *s = app_store_for_read(a);
    if (!s)
        return -GG_EUNAVAILABLE;
    if (!s->ops->feed_wait)
        return -GG_EINVAL;
    return s->ops->feed_wait(s, timeout_ms);
}

/* ---- messages: reads and mark read ---- */

int app_message_list(struct app *a, const struct actor *who, bool unread_only, int64_t before_id,
                     int limit, struct message **items, size_t *n, int64_t *next_cursor,
                     struct gg_error *err)
{
    *items = NULL;
    *n = 0;
    *next_cursor = 0;
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->message_list(s, who->user_id, unread_only, before_id, limit + 1, items, n);
    if (rc)
        return gg_error_set(err, rc, NULL, "读取消息失败");
    if (app_page_trim(n, limit))
        *next_cursor = (*items)[*n - 1].id;
    return 0;
}

struct read_ctx {
    const struct actor *who;
    int64_t id, now;
};

static int read_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct read_ctx *c = p;
    int rc = s->ops->message_read(s, c->who->user_id, c->id, c->now);
    if (rc == -GG_ENOTFOUND)
        return gg_error_set(err, GG_ENOTFOUND, NULL, "消息不存在");
    if (rc)
        return rc;
    return app_audit(s, c->who, c->now, "message.read", "message", c->id, "");
}

int app_message_read(struct app *a, const struct actor *who, int64_t id, int64_t now,
                     struct gg_error *err)
{
    struct read_ctx c = {who, id, now};
    return app_write(a, read_job, &c, err);
}

/* ---- settings an operator may change ---- */

static const char *const setting_keys[] = {
    "webhook.url",           "webhook.secret",           "stats.star_thresholds",
    "stats.property_categories", "stats.property_list_size", "stats.property_rate_cap",
    "visits.rules", /* issue 6: visits.c */
    "topics.support_threshold", /* issue 6 */
    "party.meeting_months", "task.warn_days"};

bool app_setting_known(const char *key)
{
    for (size_t i = 0; i < sizeof setting_keys / sizeof setting_keys[0]; i++)
        if (strcmp(key, setting_keys[i]) == 0)
            return true;
    return false;
}

struct setting_ctx {
    const struct actor *who;
    const char *key, *value;
    int64_t now;
};

static int setting_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct setting_ctx *c = p;
    int rc = s->ops->setting_set(s, c->key, c->value);
    if (rc)
        return rc;
    char detail[128];
    /* the secret itself never enters the audit log */
    snprintf(detail, sizeof detail, "{\"key\":\"%s\"}", c->key);
    return app_audit(s, c->who, c->now, "setting.set", "setting", 0, detail);
}

int app_setting_put(struct app *a, const struct actor *who, const char *key, const char *value,
                    int64_t now, struct gg_error *err)
{
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "仅系统管理员可修改配置");
    if (!key || !app_setting_known(key))
        return gg_error_set(err, GG_EINVAL, "key", "未知的配置项");
    int rc = app_check_text(value, 512, "value", false, err);
    if (rc)
        return rc;
    value = value ? value : "";
    if (strcmp(key, "webhook.url") == 0 && *value && strncmp(value, "http://", 7) != 0 &&
        strncmp(value, "https://", 8) != 0)
        return gg_error_set(err, GG_EINVAL, "value", "webhook 地址应以 http:// 或 https:// 开头");
    double t[4];
    if (strcmp(key, "stats.star_thresholds") == 0 && ranking_parse_thresholds(value, t))
        return gg_error_set(err, GG_EINVAL, "value", "星级阈值应为四个递增的 0–100 数字，如 60,70,80,90");
    if (strcmp(key, "stats.property_list_size") == 0 || strcmp(key, "stats.property_rate_cap") == 0) {
        char *end = NULL;
        double v = strtod(value, &end);
        bool size = strcmp(key, "stats.property_list_size") == 0;
        if (!*value || *end || v <= 0 || v > (size ? 100 : 1000) || (size && v != (int)v))
            return gg_error_set(err, GG_EINVAL, "value",
                                size ? "红黑榜名额应为 1 到 100 的整数"
                                     : "投诉率上限应为 0 到 1000 之间的正数（每千户）");
    }
    if (strcmp(key, "stats.property_categories") == 0) {
        for (const char *p = value; *p; p++)
            if (!((*p >= '0' && *p <= '9') || *p == ',' || *p == ' '))
                return gg_error_set(err, GG_EINVAL, "value", "物业相关事项应为逗号分隔的分类代码");
    }
    struct visit_rules vr;
    if (strcmp(key, "visits.rules") == 0 && visit_rules_parse(value, &vr))
        return gg_error_set(err, GG_EINVAL, "value",
                            "走访规则应为“标签=天数”，以逗号分隔，如 elderly_alone=7,serious_illness=30");
    if (strcmp(key, "topics.support_threshold") == 0 && *value) {
        char *end = NULL;
        long v = strtol(value, &end, 10);
        if (*end || v < 1 || v > GG_TOPIC_THRESHOLD_MAX)
            return gg_error_set(err, GG_EINVAL, "value", "附议门槛应为 1 到 %d 的整数",
                                GG_TOPIC_THRESHOLD_MAX);
    }
    int iv[MEETING_KIND__COUNT];
    if (strcmp(key, "party.meeting_months") == 0 && *value && !party_intervals_parse(value, iv))
        return gg_error_set(err, GG_EINVAL, "value", "三会一课频次应为四个整月数（1、2、3、4、6、12 或 0），如 3,1,1,3");
    char *end = NULL;
    long wd = strtol(value, &end, 10);
    if (strcmp(key, "task.warn_days") == 0 && *value && (*end || wd < 0 || wd > 365))
        return gg_error_set(err, GG_EINVAL, "value", "预警天数应为 0 到 365 的整数");
    struct setting_ctx c = {who, key, value, now};
    return app_write(a, setting_job, &c, err);
}

int app_setting_get(struct app *a, const struct actor *who, const char *key, char **value,
                    struct gg_error *err)
{
    *value = NULL;
    if (who->role != ROLE_ADMIN)
        return gg_error_set(err, GG_EFORBIDDEN, NULL, "仅系统管理员可查看配置");
    if (!key || !app_setting_known(key))
        return gg_error_set(err, GG_EINVAL, "key", "未知的配置项");
    struct store *s = app_reader(a, err);
    if (!s)
        return -GG_EUNAVAILABLE;
    int rc = s->ops->setting_get(s, key, value);
    return rc ? gg_error_set(err, rc, NULL, "数据库暂不可用") : 0;
}

/* ---- the outbox worker ---- */

struct notify_worker {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stopping;
    int interval_ms;
};

void app_webhook_sign(const char *secret, const void *body, size_t len, char hex[65])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, body, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
}

static size_t discard(char *p, size_t sz, size_t n, void *u)
{
    (void)p;
    (void)u;
    return sz * n;
}

/* POSTs one payload; 0 on a 2xx answer, else -1 with why[] filled */
static int deliver(const char *url, const char *secret, const struct outbox_item *it, char *why,
                   size_t why_sz)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, why_sz, "curl init failed");
        return -1;
    }
    char sig[128], hex[65], idh[64];
    app_webhook_sign(secret, it->payload, strlen(it->payload), hex);
    snprintf(sig, sizeof sig, "X-Gridgov-Signature: sha256=%s", hex);
    snprintf(idh, sizeof idh, "X-Gridgov-Delivery: %lld", (long long)it->id);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    h = curl_slist_append(h, sig);
    h = curl_slist_append(h, idh);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, it->payload);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (cc != CURLE_OK) {
        snprintf(why, why_sz, "%s", curl_easy_strerror(cc));
        return -1;
    }
    if (status < 200 || status > 299) {
        snprintf(why, why_sz, "HTTP %ld", status);
        return -1;
    }
    return 0;
}

struct outcome_ctx {
    const struct outbox_item *it;
    bool ok;
    const char *why;
    int64_t now;
};

static int outcome_job(struct app *a, struct store *s, void *p, struct gg_error *err)
{
    struct outcome_ctx *c = p;
    int attempts = c->it->attempts + 1;
    int rc;
    const char *what;
    if (c->ok) {
        rc = s->ops->outbox_done(s, c->it->id, c->now);
        what = "webhook.delivered";
    } else if (attempts >= OUTBOX_MAX_ATTEMPTS) {
        rc = s->ops->outbox_done(s, c->it->id, -c->now); /* given up */
        what = "webhook.abandoned";
    } else {
        /* 1 s, 2 s, 4 s … capped at an hour */
        int64_t backoff = attempts >= 13 ? OUTBOX_MAX_BACKOFF : (int64_t)1 << (attempts - 1);
        if (backoff > OUTBOX_MAX_BACKOFF)
            backoff = OUTBOX_MAX_BACKOFF;
        rc = s->ops->outbox_retry(s, c->it->id, attempts, c->now + backoff, c->why);
        return rc; /* a retry is bookkeeping, not an audited write */
    }
    if (rc)
        return rc;
    char detail[64];
    snprintf(detail, sizeof detail, "{\"attempts\":%d}", attempts);
    return app_audit(s, NULL, c->now, what, "outbox", c->it->id, detail);
}

/* Delivers what is due now; returns how many were delivered. */
int app_webhook_run(struct app *a, int64_t now)
{
    struct store *s = app_store_for_read(a);
    if (!s)
        return 0;
    char *url = NULL, *secret = NULL;
    if (webhook_url(s, &url) || !url) {
        free(url);
        return 0;
    }
    s->ops->setting_get(s, "webhook.secret", &secret);
    struct outbox_item *items = NULL;
    size_t n = 0;
    int delivered = 0;
    if (s->ops->outbox_due(s, now, 50, &items, &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char why[256] = "";
            bool ok = deliver(url, secret ? secret : "", &items[i], why, sizeof why) == 0;
            struct outcome_ctx c = {&items[i], ok, why, now};
            struct gg_error err = {0};
            if (app_write(a, outcome_job, &c, &err))
                gg_warn("webhook: outbox %lld: %s", (long long)items[i].id, err.message);
            else if (ok)
                delivered++;
            if (!ok)
                gg_info("webhook: outbox %lld attempt %d failed: %s", (long long)items[i].id,
                        items[i].attempts + 1, why);
        }
    }
    store_outbox_items_free(items, n);
    free(url);
    free(secret);
    return delivered;
}

static void *worker_main(void *arg)
{
    struct app *a = arg;
    struct notify_worker *w = a->notify;
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->mu);
        app_webhook_run(a, gg_time_now());
        pthread_mutex_lock(&w->mu);
        if (w->stopping)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t ns = ts.tv_nsec + (int64_t)w->interval_ms * 1000000;
        ts.tv_sec += ns / 1000000000;
        ts.tv_nsec = ns % 1000000000;
        pthread_cond_timedwait(&w->cond, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int app_notify_start(struct app *a)
{
    if (a->notify)
        return 0;
    struct notify_worker *w = calloc(1, sizeof *w);
    if (!w)
        return -GG_ENOMEM;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->interval_ms = 500;
    a->notify = w;
    if (pthread_create(&w->thread, NULL, worker_main, a) != 0) {
        a->notify = NULL;
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cond);
        free(w);
        gg_warn("could not start the webhook worker");
        return -GG_EINTERNAL;
    }
    return 0;
}

void app_notify_stop(struct app *a)
{
    struct notify_worker *w = a ? a->notify : NULL;
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cond);
    free(w);
    a->notify = NULL;
}
