/* demo_civic.c - the civic life of the demo city (issue 6): deliberation topics in every state
 * and disclosures on the public board (议事协商, 公开栏); the party organisation chain 街道党工委
 * → 社区党总支 → 党支部 → 党小组 (and a 党员中心户), beside it the 区直机关党委 with a branch per
 * department, whose cadres and in-service members report in to the communities (双报到) — a
 * 党委, like a 党工委, stands at the top of its chain (core/party.h: party_child_ok); 三级包保
 * cover links; a year of 三会一课 meetings, held in full by most branches and with gaps by some, so
 * that the compliance check shows both; and key tasks with milestones in each colour (蓝黄红三色).
 *
 * As in demo.c, everything goes through the use cases, each step by the account whose job it
 * is (street staff set up the community 党委, community staff their branches, members and
 * meetings, leaders report the progress of their tasks), deterministic for a "now"; a refused
 * step is counted and reported, never forced. The party and task steps run in one app_batch
 * (one transaction, about 1,500 writes); topics go one use case at a time because their
 * answers are read back through the read connection. */
#include "cli/demo_int.h"

#include "base/buf.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */

static int64_t today_days(int64_t now)
{
    return now / 86400;
}

/* "YYYY-MM-DD" of a day number */
static void day_text(int64_t days, char out[11])
{
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* month number (year * 12 + month - 1) of a day, and the day number of a month's day */
static int month_of(int64_t days)
{
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    return y * 12 + m - 1;
}
static int64_t day_in_month(int month, int mday)
{
    return gg_days_from_civil(month / 12, month % 12 + 1, mday);
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
                                       "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
static const char *const given[] = {
    "秀英", "桂兰", "建华", "志刚", "玉珍", "淑华", "国强", "丽娟", "海燕", "振东", "红梅", "德明",
    "晓峰", "立新", "文静", "春生", "雪梅", "宏伟", "凤霞", "长青", "玉兰", "永胜", "淑芬", "明远",
    "庆丰", "金凤", "保国", "春华", "树林", "亚楠", "卫东", "丽华", "志远", "秀梅", "建军", "慧敏"};
#define N_SURNAMES (sizeof surnames / sizeof surnames[0])
#define N_GIVEN (sizeof given / sizeof given[0])

static void person_name(struct cli_rng *r, char *out, size_t sz)
{
    snprintf(out, sz, "%s%s", surnames[cli_rng_below(r, N_SURNAMES)],
             given[cli_rng_below(r, N_GIVEN)]);
}

static const char *const cn_ordinal[] = {"一", "二", "三", "四"};

struct ctx {
    struct app *a;
    const struct demo_civic_city *c;
    int64_t now, today;
    int cur_month; /* the month of today */
    struct cli_rng r;
    struct demo_civic_report *rep;
};

static int64_t failed(struct ctx *x, int rc, const char *what, struct gg_error *e)
{
    int64_t f = demo_count_failed(rc, what, e);
    x->rep->failed += f;
    gg_error_clear(e);
    return f;
}

/* ---- 议事协商 · 公开栏 ---- */

enum stop {
    ST_PROPOSED,
    ST_SECONDED,
    ST_AGENDA,
    ST_VOTING,
    ST_FAILED,
    ST_PUBLISHED,
    ST_EXECUTING,
    ST_DONE,
    ST_REJECTED
};

struct topic_plan {
    const char *title, *body;
    enum stop stop;
    int days_ago; /* proposed then; each later step a day or two after */
    bool by_resident;
    const char *minutes, *progress, *reject;
};

/* oldest first, so that the ids follow the days */
static const struct topic_plan xf_topics[] = {
    {"小区增设电动车集中充电棚",
     "电动车在楼道充电存在火灾隐患，建议在3号楼北侧空地建设集中充电棚，统一管理。", ST_DONE, 75,
     false, "议定在3号楼北侧建设充电棚，设充电口40个，由物业负责日常管理，收费标准公示后执行。",
     "充电棚已完成基础施工，正在安装充电设备。", NULL},
    {"老旧小区加装电梯意愿征集",
     "幸福家园1至4栋为六层无电梯住宅，老年人上下楼困难，建议开展加装电梯意愿征集。", ST_EXECUTING,
     60, false, "议定先在1栋2单元试点加装电梯，由社区协助办理审批，费用按楼层分摊。",
     "已完成1栋2单元住户签字确认，设计方案报街道审核。", NULL},
    {"规范小区停车秩序、施划停车位",
     "晚间小区内乱停车堵塞消防通道，建议利用空地施划停车位并实行车辆登记。", ST_PUBLISHED, 45,
     false, "议定施划停车位60个，外来车辆登记入内，消防通道设禁停标识。", NULL, NULL},
    {"广场舞活动时间和音量约定", "建议广场舞活动时间调整为晚上7点至8点半，音量控制在60分贝以下。",
     ST_FAILED, 30, false, "讨论了广场舞活动时间和音量，多数参会人员认为应先与舞蹈队协商。", NULL,
     NULL},
    {"在小区绿地内饲养家禽", "部分居民希望在小区绿地内划出区域饲养鸡鸭。", ST_REJECTED, 25, true,
     NULL, NULL, "违反《长春市物业管理条例》和小区管理规约，且影响环境卫生，不予采纳。"},
    {"楼道堆物清理公约", "部分楼道长期堆放杂物，建议制定楼道堆物清理公约，由楼长牵头每月检查。",
     ST_VOTING, 20, false,
     "讨论了《楼道堆物清理公约》草案，拟每月最后一个周六集中清理，请参会人员表决。", NULL, NULL},
    {"设立社区“共享工具屋”", "居民家中维修工具不全，建议在党群服务站设立共享工具屋，登记借用。",
     ST_AGENDA, 14, false, NULL, NULL, NULL},
    {"小区东门增设快递柜", "快递堆放在门卫室不便领取，建议在东门增设智能快递柜。", ST_SECONDED, 9,
     false, NULL, NULL, NULL},
    {"楼道安装声控灯", "2栋1单元楼道灯损坏多年，晚上出行不便，希望统一更换为声控灯。", ST_PROPOSED,
     3, true, NULL, NULL, NULL},
};

struct topic_people {
    const struct actor *staff, *resident, *member, *street;
    const char *place; /* where the 议事会 meets */
};
struct tstep {
    const struct actor *who;
    struct topic_act_input in;
};

static int64_t topic_run(struct ctx *x, const struct topic_people *p, int64_t org_id,
                         const struct topic_plan *tp)
{
    struct gg_error e = {0};
    int64_t t = x->now - (int64_t)tp->days_ago * 86400 + 9 * 3600;
    const int64_t step = 36 * 3600;
    /* staff set a threshold the community's demo accounts can reach; residents' proposals
     * take the configured one */
    struct topic_input in = {.org_id = org_id,
                             .title = tp->title,
                             .body = tp->body,
                             .threshold = tp->by_resident ? 0 : 2};
    struct topic_view v;
    memset(&v, 0, sizeof v);
    int rc = app_topic_create(x->a, tp->by_resident ? p->resident : p->staff, &in, t, &v, &e);
    if (failed(x, rc, "topic", &e))
        return 0;
    int64_t id = v.t.id;
    app_topic_view_release(&v);
    x->rep->topics++;
    if (tp->stop == ST_PROPOSED)
        return id;
    struct tstep steps[16];
    int n = 0;
    if (tp->stop == ST_REJECTED) {
        steps[n++] = (struct tstep){
            p->staff, {.action = TOPIC_ACTION_REJECT, .note = tp->reject, .choice = -1}};
    } else {
        steps[n++] = (struct tstep){p->resident, {.action = TOPIC_ACTION_SUPPORT, .choice = -1}};
        steps[n++] = (struct tstep){p->member, {.action = TOPIC_ACTION_SUPPORT, .choice = -1}};
    }
    static int64_t attendees[4];
    attendees[0] = p->staff->user_id;
    attendees[1] = p->street->user_id;
    attendees[2] = p->resident->user_id;
    attendees[3] = p->member->user_id;
    if (tp->stop >= ST_AGENDA && tp->stop != ST_REJECTED) {
        steps[n++] = (struct tstep){p->street,
                                    {.action = TOPIC_ACTION_ACCEPT,
                                     .choice = -1,
                                     .note = "符合议事范围，列入居民议事会议程"}};
    }
    if (tp->stop >= ST_VOTING && tp->stop != ST_REJECTED) {
        steps[n++] = (struct tstep){p->staff,
                                    {.action = TOPIC_ACTION_MEET,
                                     .choice = -1,
                                     .attendees = attendees,
                                     .n_attendees = 4,
                                     .minutes = tp->minutes,
                                     .place = p->place}};
        bool fail = tp->stop == ST_FAILED;
        steps[n++] = (struct tstep){
            p->staff, {.action = TOPIC_ACTION_VOTE, .choice = fail ? VOTE_ABSTAIN : VOTE_FOR}};
        steps[n++] = (struct tstep){
            p->street, {.action = TOPIC_ACTION_VOTE, .choice = fail ? VOTE_AGAINST : VOTE_FOR}};
        /* the one left voting waits for jumin01 and dangyuan01 to vote in the console */
        if (tp->stop != ST_VOTING) {
            steps[n++] = (struct tstep){
                p->resident,
                {.action = TOPIC_ACTION_VOTE, .choice = fail ? VOTE_AGAINST : VOTE_FOR}};
            steps[n++] =
                (struct tstep){p->member, {.action = TOPIC_ACTION_VOTE, .choice = VOTE_FOR}};
            steps[n++] =
                (struct tstep){p->staff, {.action = TOPIC_ACTION_CLOSE_VOTE, .choice = -1}};
        }
    }
    if (tp->stop >= ST_PUBLISHED && tp->stop <= ST_DONE)
        steps[n++] = (struct tstep){p->staff,
                                    {.action = TOPIC_ACTION_PUBLISH,
                                     .choice = -1,
                                     .note = "决议已在小区公开栏和居民微信群公示"}};
    if (tp->stop >= ST_EXECUTING && tp->stop <= ST_DONE)
        steps[n++] = (struct tstep){
            p->staff, {.action = TOPIC_ACTION_PROGRESS, .choice = -1, .note = tp->progress}};
    if (tp->stop == ST_DONE) {
        steps[n++] = (struct tstep){
            p->staff, {.action = TOPIC_ACTION_COMPLETE, .choice = -1, .note = "已建成投入使用"}};
        steps[n++] = (struct tstep){p->resident,
                                    {.action = TOPIC_ACTION_EVALUATE,
                                     .choice = -1,
                                     .rating = 5,
                                     .note = "充电方便多了，楼道也安全了"}};
        steps[n++] = (struct tstep){p->member,
                                    {.action = TOPIC_ACTION_EVALUATE,
                                     .choice = -1,
                                     .rating = 4,
                                     .note = "建议再增加几个快充口"}};
    }
    for (int i = 0; i < n; i++) {
        t += step;
        if (t > x->now - 600)
            t = x->now - 600;
        rc = app_topic_act(x->a, steps[i].who, id, &steps[i].in, t, NULL, &e);
        if (failed(x, rc, "topic action", &e))
            break;
    }
    return id;
}

static void demo_topics(struct ctx *x)
{
    struct topic_people p = {demo_user_actor("shequ0101"), demo_user_actor("jumin01"),
                             demo_user_actor("dangyuan01"), demo_user_actor("jiedao1"),
                             "幸福社区党群服务站“朝阳25℃”议事厅"};
    if (!p.staff || !p.resident || !p.member || !p.street) {
        x->rep->failed++;
        return;
    }
    for (size_t i = 0; i < sizeof xf_topics / sizeof xf_topics[0]; i++)
        topic_run(x, &p, x->c->comm_ids[0], &xf_topics[i]);

    /* a topic in two more communities, so the street and the district see more than one place */
    for (int k = 1; k <= 2; k++) {
        char su[16], ru[16], mu[16];
        snprintf(su, sizeof su, "shequ01%02d", k + 1);
        snprintf(ru, sizeof ru, "jumin%02d", k + 1);
        snprintf(mu, sizeof mu, "dangyuan%02d", k + 1);
        char place[GG_NAME_SZ];
        snprintf(place, sizeof place, "%s党群服务站", x->c->comm_names[k]);
        struct topic_people o = {demo_user_actor(su), demo_user_actor(ru), demo_user_actor(mu),
                                 p.street, place};
        if (!o.staff || !o.resident || !o.member)
            continue;
        static const struct topic_plan more[] = {
            {"社区敬老幸福食堂开设早餐", "幸福食堂目前只供应午餐，建议增加早餐，方便独居老人。",
             ST_PUBLISHED, 35, false, "议定自下月起试供早餐，价格按成本核定，高龄老人享受补贴。",
             NULL, NULL},
            {"背街小巷增设路灯", "社区西侧背街小巷夜间照明不足，建议增设路灯。", ST_SECONDED, 8,
             false, NULL, NULL, NULL},
        };
        topic_run(x, &o, x->c->comm_ids[k], &more[k - 1]);
    }

    /* the public board: disclosures of the community and of the street */
    int y, m, d;
    gg_civil_from_days(x->today, &y, &m, &d);
    int qn = (m - 1) / 3; /* the quarter before this one */
    int qy = qn == 0 ? y - 1 : y, qq = qn == 0 ? 4 : qn;
    char period_q[16], period_m[16], period_y[16], title[160];
    snprintf(period_q, sizeof period_q, "%04u-Q%u", (unsigned)qy % 10000u, (unsigned)qq % 10u);
    int pm = month_of(x->today) - 1;
    snprintf(period_m, sizeof period_m, "%04u-%02u", (unsigned)(pm / 12) % 10000u,
             (unsigned)(pm % 12 + 1) % 100u);
    snprintf(period_y, sizeof period_y, "%04u", (unsigned)y % 10000u);
    /* the same periods as people write them in a title */
    char said_q[64], said_m[32], said_y[16];
    snprintf(said_q, sizeof said_q, "%04u年第%s季度", (unsigned)qy % 10000u,
             cn_ordinal[(qq - 1) & 3]);
    snprintf(said_m, sizeof said_m, "%04u年%u月", (unsigned)(pm / 12) % 10000u,
             (unsigned)(pm % 12 + 1) % 100u);
    snprintf(said_y, sizeof said_y, "%04u年", (unsigned)y % 10000u);
    struct disclosure_item_input fee[] = {
        {"物业服务费收入", 186420.00},   {"停车管理费收入", 23600.00}, {"保洁人员工资", -72000.00},
        {"秩序维护人员工资", -64800.00}, {"公共设施维修", -18350.50},  {"绿化养护", -9600.00},
        {"公共区域水电费", -12480.30},
    };
    struct disclosure_item_input fund[] = {
        {"区级财政补助资金", 1600000.00},
        {"街道配套资金", 400000.00},
        {"外墙保温工程（已支付）", -980000.00},
        {"供热管网改造（已支付）", -470000.00},
    };
    struct disclosure_item_input fin[] = {
        {"社区党组织服务群众经费", 200000.00},
        {"“我为群众办实事”项目支出", -86500.00},
        {"敬老幸福食堂运营补贴", -42000.00},
        {"社区慈善基金拨付", -15000.00},
    };
    struct {
        const struct actor *who;
        int64_t org_id;
        int kind;
        const char *title_pre, *said, *title_post, *period, *body;
        const struct disclosure_item_input *items;
        size_t n;
        int days_ago;
    } ds[] = {
        {p.staff, x->c->comm_ids[0], DISCLOSURE_PROPERTY_FEE, "幸福家园", said_q,
         "物业服务费收支公开", period_q,
         "幸福家园物业服务中心按季度公开物业服务费收支，接受业主监督。", fee,
         sizeof fee / sizeof fee[0], 20},
        {p.staff, x->c->comm_ids[0], DISCLOSURE_PROJECT_FUND,
         "幸福家园老旧小区改造项目资金使用情况（", said_y, "）", period_y,
         "老旧小区改造项目资金专款专用，按工程进度拨付。", fund, sizeof fund / sizeof fund[0], 12},
        {p.street, x->c->street_ids[0], DISCLOSURE_FINANCE, "红旗街道社区服务经费使用情况（",
         said_m, "）", period_m, NULL, fin, sizeof fin / sizeof fin[0], 6},
    };
    for (size_t i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        snprintf(title, sizeof title, "%s%s%s", ds[i].title_pre, ds[i].said, ds[i].title_post);
        struct disclosure_input in = {.org_id = ds[i].org_id,
                                      .kind = ds[i].kind,
                                      .title = title,
                                      .body = ds[i].body,
                                      .period = ds[i].period,
                                      .items = ds[i].items,
                                      .n_items = ds[i].n};
        struct disclosure out;
        struct gg_error e = {0};
        int rc = app_disclosure_create(x->a, ds[i].who, &in,
                                       x->now - (int64_t)ds[i].days_ago * 86400, &out, &e);
        if (!failed(x, rc, "disclosure", &e))
            x->rep->disclosures++;
    }
}

/* ---- the party organisation ---- */

#define MAX_BR_MEMBERS 16
enum profile { PROFILE_FULL, PROFILE_GAPS, PROFILE_POOR };

struct branch {
    int64_t id;
    int64_t groups[2]; /* 0 = none (机关 branches) */
    int64_t members[MAX_BR_MEMBERS];
    int group_of[MAX_BR_MEMBERS]; /* -1 = the branch itself (its 支委) */
    int n_members;
    enum profile profile;
    const struct actor *writer;
    char name[GG_NAME_SZ];
};

#define MAX_BRANCHES 48
struct party_plan {
    struct branch br[MAX_BRANCHES];
    int n_br;
};

static int64_t porg(struct ctx *x, const struct actor *who, int64_t parent, int kind,
                    const char *name, int64_t org_id, int64_t secretary)
{
    struct party_org_input in = {.parent_id = parent,
                                 .kind = kind,
                                 .name = name,
                                 .org_id = org_id,
                                 .secretary_user_id = secretary};
    struct party_org o;
    struct gg_error e = {0};
    int rc = app_party_org_create(x->a, who, &in, x->now - 400 * 86400LL, &o, &e);
    if (failed(x, rc, "party org", &e))
        return 0;
    x->rep->party_orgs++;
    return o.id;
}

static int64_t pmember(struct ctx *x, const struct actor *who, int64_t party_org_id, int kind,
                       const char *name, int64_t user_id, int64_t person_id)
{
    char joined[11];
    day_text(x->today - 365 * (3 + (int64_t)cli_rng_below(&x->r, 40)) -
                 (int64_t)cli_rng_below(&x->r, 365),
             joined);
    struct party_member_input in = {.party_org_id = party_org_id,
                                    .kind = kind,
                                    .name = name,
                                    .user_id = user_id,
                                    .person_id = person_id,
                                    .joined_on = joined};
    struct party_member m;
    struct gg_error e = {0};
    int rc = app_party_member_create(x->a, who, &in, x->now - 380 * 86400LL, &m, &e);
    if (failed(x, rc, "party member", &e))
        return 0;
    x->rep->members++;
    return m.id;
}

static void add_member(struct branch *b, int64_t id, int group)
{
    if (id && b->n_members < MAX_BR_MEMBERS) {
        b->members[b->n_members] = id;
        b->group_of[b->n_members++] = group;
    }
}

static const char *const skills[] = {"政策宣讲",         "法律咨询",     "医疗义诊、测血压",
                                     "家电维修",         "义务理发",     "心理疏导",
                                     "助老助残",         "环境整治",     "文艺演出",
                                     "中小学生课业辅导", "矛盾纠纷调解", "教老人使用智能手机"};
static const char *const availability[] = {"周末全天", "工作日晚上",
                                           "周六上午", "每月第一个周日",
                                           "节假日",   "周三下午（单位志愿服务时间）"};
#define N_SKILLS (sizeof skills / sizeof skills[0])
#define N_AVAIL (sizeof availability / sizeof availability[0])

static void report_in(struct ctx *x, const struct actor *who, int64_t member_id, int64_t comm,
                      int days_ago)
{
    char sk[256];
    size_t i = cli_rng_below(&x->r, N_SKILLS), j = (i + 1 + cli_rng_below(&x->r, 4)) % N_SKILLS;
    snprintf(sk, sizeof sk, "%s、%s", skills[i], skills[j]);
    struct report_in_input in = {.member_id = member_id,
                                 .org_id = comm,
                                 .skills = sk,
                                 .available = availability[cli_rng_below(&x->r, N_AVAIL)]};
    struct report_in out;
    struct gg_error e = {0};
    int rc = app_report_in_create(x->a, who, &in, x->now - (int64_t)days_ago * 86400, &out, &e);
    if (!failed(x, rc, "report-in", &e))
        x->rep->report_ins++;
}

static void cover(struct ctx *x, const struct actor *who, const struct actor *cadre, int64_t org_id,
                  int level, const char *duty)
{
    if (!cadre)
        return;
    struct cover_input in = {
        .user_id = cadre->user_id, .org_id = org_id, .level = level, .duty = duty};
    struct cover out;
    struct gg_error e = {0};
    int rc = app_cover_create(x->a, who, &in, x->now - 300 * 86400LL, &out, &e);
    if (!failed(x, rc, "cover", &e))
        x->rep->covers++;
}

/* 街道党工委 → 社区党总支 → 党支部 (one or two per community) → 党小组 (one per grid), the
 * 区直机关党委 with a branch per department, members, report-ins and cover links */
static void party_setup(struct ctx *x, struct party_plan *pl)
{
    const struct demo_civic_city *c = x->c;
    const struct actor *admin = c->admin;
    char name[GG_NAME_SZ], u[32];
    int64_t *street_wc = calloc((size_t)c->n_streets, sizeof *street_wc);
    if (!street_wc)
        return;
    for (int s = 0; s < c->n_streets; s++) {
        snprintf(u, sizeof u, "jiedao%d", s + 1);
        const struct actor *st = demo_user_actor(u);
        snprintf(name, sizeof name, "中共%s工作委员会", c->street_names[s]);
        street_wc[s] = st ? porg(x, st, 0, PARTY_WORKING_COMMITTEE, name, c->street_ids[s], 0) : 0;
    }
    for (int cm = 0; cm < c->n_comms; cm++) {
        int s = cm / c->comms_per_street;
        snprintf(u, sizeof u, "jiedao%d", s + 1);
        const struct actor *st = demo_user_actor(u);
        snprintf(u, sizeof u, "shequ%02d%02d", s + 1, cm % c->comms_per_street + 1);
        const struct actor *cs = demo_user_actor(u);
        if (!st || !cs || !street_wc[s]) {
            x->rep->failed++;
            continue;
        }
        snprintf(name, sizeof name, "中共%s总支部委员会", c->comm_names[cm]);
        int64_t top =
            porg(x, st, street_wc[s], PARTY_GENERAL_BRANCH, name, c->comm_ids[cm], cs->user_id);
        if (!top)
            continue;
        int n_branches = cm % 2 == 0 ? 2 : 1;
        for (int k = 0; k < n_branches && pl->n_br < MAX_BRANCHES; k++) {
            struct branch *b = &pl->br[pl->n_br];
            memset(b, 0, sizeof *b);
            snprintf(b->name, sizeof b->name, "%s第%s党支部", c->comm_names[cm], cn_ordinal[k]);
            b->id = porg(x, cs, top, PARTY_BRANCH, b->name, c->comm_ids[cm], 0);
            if (!b->id)
                continue;
            int bi = pl->n_br++;
            b->profile = bi % 5 == 1 ? PROFILE_GAPS : bi % 5 == 4 ? PROFILE_POOR : PROFILE_FULL;
            b->writer = cs;
            /* the 支委: 书记, 组织委员, 宣传委员 */
            for (int i = 0; i < 3; i++) {
                char nm[GG_NAME_SZ];
                person_name(&x->r, nm, sizeof nm);
                add_member(b, pmember(x, cs, b->id, MEMBER_REGULAR, nm, 0, 0), -1);
            }
            for (int g = 0; g < 2; g++) {
                int gi = k * 2 + g; /* grid index within the community */
                snprintf(name, sizeof name, "%s第%d网格党小组", c->comm_names[cm], gi + 1);
                b->groups[g] = porg(x, cs, b->id, PARTY_GROUP, name,
                                    c->grid_ids[cm * c->grids_per_comm + gi], 0);
                if (!b->groups[g])
                    continue;
                for (int i = 0; i < 4; i++) {
                    char nm[GG_NAME_SZ];
                    person_name(&x->r, nm, sizeof nm);
                    add_member(b, pmember(x, cs, b->groups[g], MEMBER_REGULAR, nm, 0, 0), g);
                }
                /* 幸福社区第1网格: the party members of the people register, and a 党员中心户 */
                if (cm == 0 && gi == 0) {
                    for (size_t i = 0; i < c->n_party_people; i++)
                        add_member(b,
                                   pmember(x, cs, b->groups[g], MEMBER_REGULAR,
                                           i == 0 ? "赵志强" : "刘明", 0, c->party_people[i]),
                                   g);
                    porg(x, cs, b->groups[g], PARTY_HOUSEHOLD, "赵志强党员中心户", c->grid_ids[0],
                         0);
                }
            }
        }
    }

    /* 区直机关党委 (a 党委 stands at the top, like a 党工委): a branch per department; cadres
     * report in to the communities, and the demo member accounts dangyuanNN are its in-service
     * members (dangyuan01 has not reported in yet: the phone page shows how) */
    int64_t wc = porg(x, admin, 0, PARTY_COMMITTEE, "中共朝阳区直属机关委员会", c->district_id, 0);
    static const char *const dept_users[] = {"chengguan", "zhujian", "minzheng", "weijian"};
    int n_jg = (int)(sizeof dept_users / sizeof dept_users[0]);
    int member_no = 1;
    for (int k = 0; wc && k < n_jg && pl->n_br < MAX_BRANCHES; k++) {
        int d = -1;
        for (int i = 0; i < c->n_ddepts; i++)
            if (strcmp(c->ddept_users[i], dept_users[k]) == 0)
                d = i;
        if (d < 0)
            continue;
        struct branch *b = &pl->br[pl->n_br];
        memset(b, 0, sizeof *b);
        snprintf(b->name, sizeof b->name, "%s机关党支部", c->ddept_names[d]);
        b->id = porg(x, admin, wc, PARTY_BRANCH, b->name, c->ddept_ids[d], 0);
        if (!b->id)
            continue;
        b->profile = k == 2 ? PROFILE_GAPS : k == 3 ? PROFILE_POOR : PROFILE_FULL;
        b->writer = admin;
        pl->n_br++;
        /* cadres (下沉干部), each reporting in to a community of the district */
        for (int i = 0; i < 3; i++) {
            char nm[GG_NAME_SZ];
            person_name(&x->r, nm, sizeof nm);
            int64_t id = pmember(x, admin, b->id, MEMBER_CADRE, nm, 0, 0);
            add_member(b, id, -1);
            if (id)
                report_in(x, admin, id, c->comm_ids[(k * 5 + i * 7) % c->n_comms],
                          200 - k * 30 - i * 11);
        }
        /* the member accounts of five communities */
        for (int i = 0; i < 5 && member_no <= c->n_comms; i++, member_no++) {
            snprintf(u, sizeof u, "dangyuan%02d", member_no);
            const struct actor *m = demo_user_actor(u);
            if (!m)
                continue;
            char nm[GG_NAME_SZ];
            person_name(&x->r, nm, sizeof nm);
            int64_t id = pmember(x, admin, b->id, MEMBER_IN_SERVICE, nm, m->user_id, 0);
            add_member(b, id, -1);
            if (id && member_no > 1)
                report_in(x, m, 0, m->scope_org_id, 150 - member_no * 5);
        }
    }
    free(street_wc);

    /* 三级包保: district leaders cover the streets, street leaders their communities, community
     * staff their first three grids */
    const struct actor *lq = demo_user_actor("lingdao_qu");
    for (int s = 0; s < c->n_streets; s++) {
        snprintf(name, sizeof name, "包保%s，牵头协调重点难点问题", c->street_names[s]);
        cover(x, admin, lq, c->street_ids[s], COVER_DISTRICT, name);
        snprintf(u, sizeof u, "lingdao_jd%d", s + 1);
        const struct actor *ls = demo_user_actor(u);
        snprintf(u, sizeof u, "jiedao%d", s + 1);
        const struct actor *st = demo_user_actor(u);
        for (int k = 0; st && k < c->comms_per_street; k++) {
            int cm = s * c->comms_per_street + k;
            snprintf(name, sizeof name, "包保%s，每月到社区走访调研不少于一次", c->comm_names[cm]);
            cover(x, st, ls, c->comm_ids[cm], COVER_STREET, name);
            snprintf(u, sizeof u, "shequ%02d%02d", s + 1, k + 1);
            const struct actor *cs = demo_user_actor(u);
            for (int g = 0; cs && g < 3; g++) {
                snprintf(name, sizeof name, "包保%s第%d网格（小区）", c->comm_names[cm], g + 1);
                cover(x, cs, cs, c->grid_ids[cm * c->grids_per_comm + g], COVER_COMMUNITY, name);
            }
        }
    }
}

/* ---- 三会一课 ---- */

static const char *const assembly_titles[] = {
    "学习贯彻党的二十届三中全会精神", "党员积分评定和民主评议党员", "发展党员和预备党员转正",
    "半年工作总结暨“我为群众办实事”推进会"};
static const char *const lecture_titles[] = {
    "书记讲党课：用心做有温度的党建", "党课：党建引领基层治理“五化赋能”",
    "党课：党员中心户“六大员”职责", "党课：践行全过程人民民主，做好四议两公开"};

static void meeting(struct ctx *x, const struct branch *b, int64_t party_org_id, int kind,
                    int month, int mday, int group)
{
    int64_t day = day_in_month(month, mday);
    if (day >= x->today)
        return;
    char held[11], title[GG_NAME_SZ], minutes[512];
    day_text(day, held);
    int mo = month % 12 + 1;
    switch (kind) {
    case MEETING_ASSEMBLY:
        snprintf(title, sizeof title, "%s", assembly_titles[(month / 3) % 4]);
        break;
    case MEETING_COMMITTEE:
        snprintf(title, sizeof title, "%d月支委会：研究部署党建和网格服务工作", mo);
        break;
    case MEETING_GROUP:
        snprintf(title, sizeof title, "%d月党小组会：议一议楼栋微治理", mo);
        break;
    default:
        snprintf(title, sizeof title, "%s", lecture_titles[(month / 3) % 4]);
        break;
    }
    struct meeting_attendance att[MAX_BR_MEMBERS];
    size_t n = 0;
    int present = 0;
    for (int i = 0; i < b->n_members; i++) {
        bool in = kind == MEETING_COMMITTEE ? b->group_of[i] < 0
                  : kind == MEETING_GROUP   ? (group < 0 || b->group_of[i] == group)
                                            : true;
        if (!in)
            continue;
        uint32_t r = cli_rng_below(&x->r, 100);
        att[n].member_id = b->members[i];
        att[n].status = r < 86 ? ATTEND_PRESENT : r < 94 ? ATTEND_EXCUSED : ATTEND_ABSENT;
        present += att[n].status == ATTEND_PRESENT;
        n++;
    }
    snprintf(
        minutes, sizeof minutes,
        "应到%zu人，实到%d人。会议由支部书记主持，%s；与会党员结合网格服务和“双报到”工作作了发言，"
        "明确了下一步分工和完成时限。",
        n, present,
        kind == MEETING_LECTURE    ? "书记围绕党建引领基层治理讲授党课"
        : kind == MEETING_ASSEMBLY ? "传达学习了上级有关文件精神，通报了支部工作"
        : kind == MEETING_COMMITTEE ? "支委会研究了本月党员活动、入户走访和服务订单安排"
                                    : "党小组围绕楼栋堆物清理、独居老人关爱等事项开展讨论");
    struct meeting_input in = {.party_org_id = party_org_id,
                               .kind = kind,
                               .held_on = held,
                               .title = title,
                               .minutes = minutes,
                               .attendance = att,
                               .n_attendance = n};
    struct party_meeting out;
    struct gg_error e = {0};
    int rc = app_meeting_create(x->a, b->writer, &in, day * 86400 + 15 * 3600, &out, &e);
    if (!failed(x, rc, "meeting", &e))
        x->rep->meetings++;
}

/* The last twelve months: full branches hold every meeting the default frequencies ask for
 * (支委会 and 党小组会 monthly, 支部党员大会 and 党课 each quarter); the others skip some
 * (gaps: two 支委会, one 党小组会, one 党课) or most (poor). */
static void party_meetings(struct ctx *x, const struct party_plan *pl)
{
    for (int bi = 0; bi < pl->n_br; bi++) {
        const struct branch *b = &pl->br[bi];
        for (int k = 12; k >= 1; k--) {
            int m = x->cur_month - k;
            int base = 4 + (bi * 5 + k * 3) % 18; /* a day of the month in 4..21 */
            bool committee = true, group = true, assembly = m % 3 == 0, lecture = m % 3 == 1;
            if (b->profile == PROFILE_GAPS) {
                committee = k != 2 && k != 5;
                group = k != 4;
                lecture = lecture && !(k >= 4 && k <= 6);
            } else if (b->profile == PROFILE_POOR) {
                committee = k % 3 == 0;
                group = k == 12 || k == 6;
                assembly = false;
                lecture = lecture && k > 9;
            }
            if (committee)
                meeting(x, b, b->id, MEETING_COMMITTEE, m, base, -1);
            if (group) {
                int g = k % 2;
                if (b->groups[g])
                    meeting(x, b, b->groups[g], MEETING_GROUP, m, base + 2, g);
                else
                    meeting(x, b, b->id, MEETING_GROUP, m, base + 2, -1);
            }
            if (assembly)
                meeting(x, b, b->id, MEETING_ASSEMBLY, m, base + 4, -1);
            if (lecture)
                meeting(x, b, b->id, MEETING_LECTURE, m, base + 5, -1);
        }
    }
}

/* ---- 重点任务 · 民生实事 ---- */

struct ms_plan {
    const char *title;
    int due;  /* days from today */
    int done; /* days from today when done (≤ 0), or 1 = not done */
};
struct task_plan {
    const char *creator, *leader;
    int where; /* ≥ 0 a community index, -1 - s street s, -100 the district */
    int kind;
    const char *title, *desc;
    double budget, spend;
    struct ms_plan ms[4];
    int reports[3]; /* percent of the last three months, 0 = none */
};

static const struct task_plan tasks[] = {
    {"jiedao1",
     "lingdao_jd1",
     0,
     TASK_KEY,
     "幸福家园老旧小区改造",
     "外墙保温、供热管网和雨污分流改造，同步施划停车位、补齐绿化，惠及居民 1,260 户。",
     3200000,
     1450000,
     {{"完成入户调查和改造方案", -120, -125},
      {"外墙保温和供热管网改造", -12, 1},
      {"停车位施划和绿化补植", 45, 1}},
     {30, 42, 48}},
    {"jiedao1",
     "lingdao_jd1",
     1,
     TASK_LIVELIHOOD,
     "明珠社区敬老幸福食堂建设",
     "利用社区闲置用房建设敬老幸福食堂，为辖区高龄、独居老人提供助餐服务。",
     800000,
     310000,
     {{"选址和设计方案", -60, -63}, {"装修施工和设备采购", 5, 1}, {"试运营", 35, 1}},
     {25, 40, 55}},
    {"jiedao1",
     "lingdao_jd1",
     -1,
     TASK_KEY,
     "“朝阳25℃”党群服务阵地提档升级",
     "街道、社区、网格三级党群服务阵地统一标识、统一功能分区，打造“一核多点”阵地体系。",
     500000,
     420000,
     {{"完成阵地布局规划", -90, -92}, {"街道党群服务中心改造", 60, 1}},
     {30, 38, 45}},
    {"jiedao2",
     "lingdao_jd2",
     -2,
     TASK_LIVELIHOOD,
     "南湖街道背街小巷照明改造",
     "对辖区 12 条背街小巷照明设施摸排改造，新装和更换路灯 180 盏。",
     260000,
     110000,
     {{"照明设施摸排", -45, -47}, {"路灯安装", 25, 1}, {"竣工验收", 50, 1}},
     {20, 35, 50}},
    {"admin",
     "lingdao_qu",
     -100,
     TASK_KEY,
     "党建、公安、综治、城管网格“一张网”融合",
     "推进警地融合，把社区内党建、公安、综治、城管等网格合成“一张网”，统一编码和网格员配置。",
     150000,
     140000,
     {{"网格边界统一划分", -150, -152},
      {"网格员统一配置和培训", -60, -66},
      {"一张网运行评估", -10, -12}},
     {80, 95, 100}},
    {"admin",
     "lingdao_qu",
     -100,
     TASK_KEY,
     "数字化基层治理指挥中心试点",
     "建设“一个中心+三个平台+N个系统”，打通事件接入、派单处置、分析研判全流程。",
     2600000,
     1900000,
     {{"指挥中心场地改造", -80, -85}, {"平台联调上线", -5, 1}, {"试运行总结", 40, 1}},
     {50, 62, 70}},
    {"jiedao3",
     "lingdao_jd3",
     -3,
     TASK_KEY,
     "新就业群体“巷新力”志愿服务队组建",
     "组织快递员、外卖送餐员等新就业群体组建志愿服务队，参与网格巡查和邻里互助。",
     60000,
     18000,
     {{"招募队员 100 名", -30, -33}, {"开展首批服务活动", 30, 1}},
     {20, 30, 40}},
    {"jiedao4",
     "lingdao_jd4",
     -4,
     TASK_LIVELIHOOD,
     "永昌街道社区慈善基金设立",
     "联合辖区企业设立社区慈善基金，用于困难群众临时救助和微心愿认领。",
     300000,
     90000,
     {{"基金章程和管理办法", -20, -21}, {"首期资金募集", 3, 1}},
     {10, 20, 30}},
    {"shequ0101",
     "shequ0101",
     0,
     TASK_KEY,
     "幸福社区“幸福小区”创建",
     "对标市级“幸福小区”标准，完善小区党支部、业委会、物业“三方联动”机制。",
     120000,
     40000,
     {{"成立小区党支部和议事会", -50, -55},
      {"三方联动机制运行", 40, 1},
      {"申报市级幸福小区", 90, 1}},
     {30, 40, 50}},
};

static int64_t where_org(const struct demo_civic_city *c, int where)
{
    if (where >= 0)
        return c->comm_ids[where];
    if (where == -100)
        return c->district_id;
    return c->street_ids[-where - 1];
}

static void demo_tasks(struct ctx *x)
{
    struct gg_error e = {0};
    for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++) {
        const struct task_plan *tp = &tasks[i];
        const struct actor *creator =
            strcmp(tp->creator, "admin") == 0 ? x->c->admin : demo_user_actor(tp->creator);
        const struct actor *leader = demo_user_actor(tp->leader);
        if (!creator || !leader) {
            x->rep->failed++;
            continue;
        }
        struct milestone_input ms[4];
        char due[4][11];
        size_t n = 0;
        for (; n < 4 && tp->ms[n].title; n++) {
            day_text(x->today + tp->ms[n].due, due[n]);
            ms[n].title = tp->ms[n].title;
            ms[n].due_on = due[n];
        }
        struct task_input in = {.kind = tp->kind,
                                .title = tp->title,
                                .description = tp->desc,
                                .org_id = where_org(x->c, tp->where),
                                .leader_user_id = leader->user_id,
                                .budget = (int64_t)(tp->budget * 100),
                                .spend = 0,
                                .milestones = ms,
                                .n_milestones = n};
        struct task_view v;
        memset(&v, 0, sizeof v);
        int rc = app_task_create(x->a, creator, &in, x->now - 160 * 86400LL, &v, &e);
        if (failed(x, rc, "task", &e))
            continue;
        x->rep->tasks++;
        int64_t id = v.t.id, mids[4] = {0};
        for (size_t k = 0; k < n; k++)
            for (size_t j = 0; j < v.n_milestones; j++)
                if (strcmp(v.milestones[j].title, tp->ms[k].title) == 0)
                    mids[k] = v.milestones[j].id;
        app_task_view_release(&v);
        /* milestones done by the leader */
        for (size_t k = 0; k < n; k++) {
            if (tp->ms[k].done > 0 || !mids[k])
                continue;
            char done[11];
            day_text(x->today + tp->ms[k].done, done);
            rc = app_task_milestone_done(x->a, leader, mids[k], done,
                                         x->now + (int64_t)tp->ms[k].done * 86400, NULL, &e);
            failed(x, rc, "milestone done", &e);
        }
        /* 月度进展: the last three months, the spend to date growing with them */
        for (int k = 0; k < 3; k++) {
            if (!tp->reports[k])
                continue;
            int month = x->cur_month - 3 + k;
            int64_t spend = (int64_t)(tp->spend * 100) * (k + 1) / 3;
            char note[256];
            snprintf(note, sizeof note, "%d月：按计划推进，完成%d%%；%s", month % 12 + 1,
                     tp->reports[k],
                     k == 2 ? "下月重点抓好节点任务落实" : "已召开推进会协调解决存在问题");
            rc = app_task_report(x->a, leader, id, month, tp->reports[k], note, spend,
                                 day_in_month(month, 28) * 86400 + 10 * 3600, NULL, &e);
            failed(x, rc, "task progress", &e);
        }
    }
}

/* ---- all of it ---- */

struct batch {
    struct ctx *x;
    struct party_plan *pl;
};

static int civic_batch(struct app *a, void *arg)
{
    (void)a;
    struct batch *b = arg;
    party_setup(b->x, b->pl);
    party_meetings(b->x, b->pl);
    demo_tasks(b->x);
    return 0;
}

void demo_civic(struct app *a, const struct demo_civic_city *c, int64_t now,
                struct demo_civic_report *rep)
{
    uint64_t t0 = gg_time_mono_ns();
    memset(rep, 0, sizeof *rep);
    struct ctx x = {.a = a, .c = c, .now = now, .today = today_days(now), .rep = rep};
    x.cur_month = month_of(x.today);
    cli_rng_seed(&x.r, 0x9a27b1u);
    demo_topics(&x);
    struct party_plan *pl = calloc(1, sizeof *pl);
    if (!pl) {
        rep->failed++;
        return;
    }
    struct batch b = {&x, pl};
    struct gg_error err = {0};
    if (app_batch(a, civic_batch, &b, &err)) {
        fprintf(stderr, "gridgov demo: party and key tasks: %s\n", err.message);
        rep->failed++;
    }
    free(pl);
    rep->secs = (double)(gg_time_mono_ns() - t0) / 1e9;
}
