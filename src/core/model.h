/* model.h - the domain's plain data: roles, org kinds, catalog entries, users, events.
 *
 * Structs here are plain values with fixed-size text fields, so they can be filled by the store,
 * copied and freed without ownership puzzles. Text limits (in bytes, NUL included) are generous
 * for the code-point limits that app/ enforces on input (see GG_MAX_* below). */
#ifndef GG_CORE_MODEL_H
#define GG_CORE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Input limits in Unicode code points, enforced by app/ with a 422 naming the field. */
#define GG_MAX_NAME 64
#define GG_MAX_CODE 32
#define GG_MAX_DESCRIPTION 1000
#define GG_MAX_ADDRESS 200
#define GG_MAX_NOTE 500
#define GG_MAX_USERNAME 32
#define GG_MAX_PASSWORD 128

#define GG_NAME_SZ (GG_MAX_NAME * 4 + 1)
#define GG_CODE_SZ (GG_MAX_CODE + 1) /* codes are ASCII */
#define GG_PATH_SZ 256               /* "/1/5/23/" materialised ancestor path */
#define GG_DESC_SZ (GG_MAX_DESCRIPTION * 4 + 1)
#define GG_ADDR_SZ (GG_MAX_ADDRESS * 4 + 1)
#define GG_NOTE_SZ (GG_MAX_NOTE * 4 + 1)

/* ---- roles (DESIGN section 1) ---- */
#define GG_ROLE_MAP(XX)                                                                            \
    XX(ADMIN, "admin", "系统管理员")                                                               \
    XX(COMMAND, "command", "指挥中心坐席")                                                         \
    XX(LEADER, "leader", "领导/包保干部")                                                          \
    XX(STAFF, "staff", "街道/社区工作人员")                                                        \
    XX(GRID_OFFICER, "grid_officer", "网格员")                                                     \
    XX(HANDLER, "handler", "职能部门处置人员")                                                     \
    XX(MEMBER, "member", "党员/志愿者")                                                            \
    XX(RESIDENT, "resident", "居民")

enum role {
#define XX(n, id, zh) ROLE_##n,
    GG_ROLE_MAP(XX)
#undef XX
    ROLE__COUNT
};

/* ---- org kinds (DESIGN section 2), top to bottom; department is off the main chain ---- */
#define GG_ORG_KIND_MAP(XX)                                                                        \
    XX(CITY, "city", "市")                                                                         \
    XX(DISTRICT, "district", "区/县")                                                              \
    XX(STREET, "street", "街道/乡镇")                                                              \
    XX(COMMUNITY, "community", "社区/村")                                                          \
    XX(GRID, "grid", "网格")                                                                       \
    XX(BUILDING, "building", "楼栋")                                                               \
    XX(UNIT, "unit", "单元")                                                                       \
    XX(DEPARTMENT, "department", "职能部门")

enum org_kind {
#define XX(n, id, zh) ORG_##n,
    GG_ORG_KIND_MAP(XX)
#undef XX
    ORG_KIND__COUNT
};

/* ---- catalog (DESIGN section 4) ---- */
enum cat_kind { CAT_KIND_EVENT, CAT_KIND_SERVICE, CAT_KIND__COUNT };
enum cat_list { CAT_LIST_DUTY, CAT_LIST_ASSIST, CAT_LIST_EXCLUDED, CAT_LIST__COUNT };
/* The level that handles a matter. LEVEL_DISTRICT means "a department node covering it". */
enum level { LEVEL_GRID, LEVEL_COMMUNITY, LEVEL_STREET, LEVEL_DISTRICT, LEVEL__COUNT };
enum clock_kind { CLOCK_CONTINUOUS, CLOCK_WORK_HOURS, CLOCK_WORK_DAYS, CLOCK__COUNT };

/* ---- events (DESIGN section 5) ---- */
#define GG_EVENT_STATUS_MAP(XX)                                                                    \
    XX(REPORTED, "reported", "待受理")                                                             \
    XX(REGISTERED, "registered", "已立案")                                                         \
    XX(DISPATCHED, "dispatched", "已派遣")                                                         \
    XX(IN_PROGRESS, "in_progress", "处置中")                                                       \
    XX(HANDLED, "handled", "待核查")                                                               \
    XX(CLOSED, "closed", "已结案")                                                                 \
    XX(REJECTED, "rejected", "不予立案")                                                           \
    XX(MERGED, "merged", "已合并")

enum event_status {
#define XX(n, id, zh) EVENT_STATUS_##n,
    GG_EVENT_STATUS_MAP(XX)
#undef XX
    EVENT_STATUS__COUNT
};

#define GG_EVENT_ACTION_MAP(XX)                                                                    \
    XX(REGISTER, "register", "受理立案")                                                           \
    XX(REJECT, "reject", "不予立案")                                                               \
    XX(DISPATCH, "dispatch", "派遣")                                                               \
    XX(SIGN, "sign", "签收")                                                                       \
    XX(RETURN, "return", "回退")                                                                   \
    XX(HANDLE, "handle", "处置反馈")                                                               \
    XX(VERIFY_OK, "verify_ok", "核查通过")                                                         \
    XX(VERIFY_FAIL, "verify_fail", "核查不通过")                                                   \
    XX(ESCALATE, "escalate", "上报上级")                                                           \
    XX(SELF_HANDLE, "self_handle", "自行处置")                                                     \
    XX(SUPERVISE, "supervise", "督办")                                                             \
    XX(WHISTLE, "whistle", "吹哨")                                                                 \
    XX(REPORT_IN, "report_in", "报到")                                                             \
    XX(SUSPEND, "suspend", "挂账")                                                                 \
    XX(RESUME, "resume", "恢复")                                                                   \
    XX(EXTEND, "extend", "延期")                                                                   \
    XX(MERGE, "merge", "合并")                                                                     \
    XX(RATE, "rate", "评价")                                                                       \
    XX(REPORT, "report", "上报")                                                                   \
    XX(AUTO_ESCALATE, "auto_escalate", "超期自动上报")

enum event_action {
#define XX(n, id, zh) EVENT_ACTION_##n,
    GG_EVENT_ACTION_MAP(XX)
#undef XX
    EVENT_ACTION__COUNT
};
/* REPORT and AUTO_ESCALATE are system actions (intake, the overdue sweep): they appear in the
 * timeline but are not accepted from POST /events/{id}/actions. */
#define EVENT_ACTION__CLIENT_COUNT EVENT_ACTION_REPORT

enum event_source {
    SOURCE_APP,
    SOURCE_PATROL,
    SOURCE_SENSOR,
    SOURCE_HOTLINE,
    SOURCE_VISIT,
    SOURCE_WALKIN,
    SOURCE__COUNT
};
enum color { COLOR_NONE, COLOR_GREEN, COLOR_YELLOW, COLOR_RED, COLOR__COUNT };
enum rating { RATING_NONE, RATING_SATISFIED, RATING_BASIC, RATING_UNSATISFIED, RATING__COUNT };

/* Name tables: ids are the API/DB spellings, zh the user-facing Chinese. Lookups by id return
 * -1 when unknown. */
const char *role_id(enum role r);
const char *role_zh(enum role r);
int role_from_id(const char *s);
const char *org_kind_id(enum org_kind k);
const char *org_kind_zh(enum org_kind k);
int org_kind_from_id(const char *s);
const char *cat_kind_id(enum cat_kind k);
int cat_kind_from_id(const char *s);
const char *cat_list_id(enum cat_list l);
int cat_list_from_id(const char *s);
const char *level_id(enum level l);
int level_from_id(const char *s);
const char *clock_id(enum clock_kind c);
int clock_from_id(const char *s);
const char *event_status_id(enum event_status s);
const char *event_status_zh(enum event_status s);
int event_status_from_id(const char *s);
const char *event_action_id(enum event_action a);
const char *event_action_zh(enum event_action a);
int event_action_from_id(const char *s);
const char *source_id(enum event_source s);
const char *source_zh(enum event_source s);
int source_from_id(const char *s);
const char *color_id(enum color c); /* COLOR_NONE -> "none" */
int color_from_id(const char *s);
const char *rating_id(enum rating r); /* RATING_NONE -> NULL */
int rating_from_id(const char *s);
/* The index of s in ids[0..n) (NULL entries skipped), -1 when absent or s is NULL: the lookup
 * behind every *_from_id, shared with the other name tables of core/. */
int model_name_lookup(const char *const *ids, int n, const char *s);
/* True for states in which the event is still being worked on (not closed/rejected/merged). */
bool event_status_open(enum event_status s);
/* The level an org kind stands for in escalation: grid→GRID, community→COMMUNITY, street→STREET,
 * district/city/department→DISTRICT; building/unit count as GRID. */
enum level level_of_kind(enum org_kind k);

/* ---- records ---- */
struct org {
    int64_t id;
    int64_t parent_id; /* 0 for a root */
    enum org_kind kind;
    char code[GG_CODE_SZ];
    char name[GG_NAME_SZ];
    char path[GG_PATH_SZ]; /* "/root/…/id/" of ids, this node included */
    int depth;             /* root = 0 */
    int64_t district_id;   /* nearest district ancestor (or self), 0 when none */
    int households;
    char department_kind[GG_NAME_SZ]; /* departments only, e.g. "城管" */
    bool has_boundary;
    int64_t created_at, updated_at;
};

struct category {
    char code[GG_CODE_SZ]; /* 大类 2 digits, 小类 4 digits (大类 + 2) */
    char parent_code[GG_CODE_SZ];
    char name[GG_NAME_SZ];
    enum cat_kind kind;
    enum cat_list list;
    enum level handler_level;
    char department_kind[GG_NAME_SZ]; /* "" unless a department handles it */
    int accept_hours;
    int handle_hours;
    enum clock_kind clock;
    char guidance[GG_NOTE_SZ]; /* shown when an excluded matter is refused */
    int64_t review_on;         /* date of the next half-yearly review, 0 when unset */
};

struct user {
    int64_t id;
    char username[GG_MAX_USERNAME + 1];
    enum role role;
    int64_t scope_org_id;
    char scope_path[GG_PATH_SZ];
    int64_t person_id;
    char display_name[GG_NAME_SZ];
    bool disabled;
    int64_t created_at;
};

struct event {
    int64_t id;
    int64_t version; /* optimistic concurrency: every write bumps it */
    enum event_status status;
    bool suspended;
    enum event_source source;
    char category_code[GG_CODE_SZ];
    char description[GG_DESC_SZ];
    char address[GG_ADDR_SZ];
    double lat, lon;
    int64_t grid_id;             /* 0 when outside every grid */
    char org_path[GG_PATH_SZ];   /* path of the grid, or of the root when outside every grid */
    int64_t district_id;
    int64_t assignee_org_id;     /* who must act now; 0 = the command centre queue */
    char assignee_path[GG_PATH_SZ];
    enum level level;            /* level currently responsible */
    int64_t reporter_id;
    char device_id[65];
    int64_t reported_at, registered_at, dispatched_at, signed_at, handled_at, closed_at;
    int64_t accept_due_at; /* by when it must be registered (reported) or signed (dispatched) */
    int64_t handle_due_at; /* by when it must be handled (the 限时办结 deadline) */
    int64_t yellow_at;     /* when the deadline colour turns yellow (80 % of the time spent) */
    int64_t escalate_at;   /* when the overdue sweep next escalates it (handle_due_at, then a
                            * fresh period for each level it is escalated to) */
    int64_t suspended_at;     /* when the current suspension began, 0 when not suspended */
    int64_t suspended_secs;   /* total suspended wall-clock seconds so far */
    int extension_hours;      /* total hours granted by extend */
    int extension_count;
    int rework_count;
    int escalation_count;
    int supervise_count;
    enum level closing_level; /* meaningful once closed */
    enum rating rating;
    char rating_comment[GG_NOTE_SZ];
    int64_t merged_into;
    int64_t updated_at;
    enum color color;         /* computed at read time from the deadlines and "now" */
    /* issue 4: the colour the statistics counters hold for an open, not suspended event (its
     * "mark", set by each write and moved by the sweep; core/indicators.h stat_color_mark) and when
     * it next changes (0 = not while the event stays as it is) */
    enum color color_mark;
    int64_t recolor_at;
};

struct timeline_entry {
    int64_t event_id;
    int seq;
    enum event_action action;
    int64_t actor_id;
    int64_t at;
    enum event_status from_status, to_status;
    int64_t org_id; /* the org the action targeted (dispatch target, escalation level…) */
    char note[GG_NOTE_SZ];
};

#endif
