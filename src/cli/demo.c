/* demo.c - the demo city of `gridgov demo` (and the synthetic grids of `gridgov gen`): a district
 * of 长春市 modelled on the source articles — 4 街道, 20 社区, 300 网格 of 200–400 households laid
 * out as a jittered lattice around (43.9, 125.3), the 职能部门 that the catalog's department
 * kinds route to, one account per role and scope, and about 2,000 past events.
 *
 * Everything is written through the real use cases (app_org_create, app_user_create,
 * app_event_report, app_event_act with past `now` values) inside app_batch, so timelines,
 * deadlines, colours and the audit chain are genuine. Deterministic for a seed and a "now".
 * It is not a fixture loader: it never writes SQL and never bypasses a rule; a step a use case
 * refuses is counted and reported, not forced. */
#include "cli/demo_int.h"

#include "base/buf.h"
#include "base/time.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the city's shape ---- */
#define N_STREETS 4
#define COMMS_PER_STREET 5
#define N_COMMS (N_STREETS * COMMS_PER_STREET)
#define GCOLS 5 /* grid columns per community */
#define GROWS 3 /* grid rows per community */
#define GRIDS_PER_COMM (GCOLS * GROWS)
#define N_GRIDS (N_COMMS * GRIDS_PER_COMM)
#define OFFICERS_PER_COMM 3 /* grids 1..3 of each community have their own 网格员 account */
#define N_EVENTS 2000
#define HISTORY_DAYS 90

#define CELL_DLAT 0.0025 /* about 280 m */
#define CELL_DLON 0.0032 /* about 255 m at 43.9° N */
#define CENTER_LAT 43.9
#define CENTER_LON 125.3
#define JITTER 0.10 /* lattice vertices move at most this share of a cell */

static const char *const street_names[N_STREETS] = {"红旗街道", "南湖街道", "清和街道",
                                                     "永昌街道"};
static const char *const comm_names[N_COMMS] = {
    "幸福社区", "明珠社区", "和顺社区", "曙光社区", "红光社区", /* 红旗 */
    "南湖社区", "湖光社区", "翠湖社区", "工农社区", "建设社区", /* 南湖 */
    "清和社区", "繁荣社区", "安达社区", "同心社区", "和平社区", /* 清和 */
    "永昌社区", "桂林社区", "开运社区", "延安社区", "长庆社区", /* 永昌 */
};
static const char *const roads[] = {"人民大街", "西安大路", "解放大路", "自由大路",
                                    "延安大街", "湖西路",   "工农大路", "普阳街",
                                    "开运街",   "同志街",   "建设街",   "红旗街",
                                    "南湖大路", "繁荣路",   "清华路",   "安达街"};
static const char *const estates[] = {"幸福家园", "阳光小区", "和平里",   "翠湖花园",
                                      "南湖新村", "建工小区", "银河小区", "锦绣园",
                                      "红旗小区", "福佳苑",   "朝阳新城", "铁路小区"};
#define N_ROADS (sizeof roads / sizeof roads[0])
#define N_ESTATES (sizeof estates / sizeof estates[0])

struct dept_spec {
    const char *code_suffix;
    const char *name; /* district departments: the full name; street ones: after the street */
    const char *kind; /* department_kind, as in data/catalog.tsv */
    const char *user; /* handler account */
};
static const struct dept_spec district_depts[] = {
    {"cg", "区城市管理局", "城管", "chengguan"},
    {"zj", "区住房和城乡建设局", "住建", "zhujian"},
    {"ga", "公安朝阳分局", "公安", "gongan"},
    {"sj", "区市场监督管理局", "市场监管", "shichang"},
    {"hb", "区生态环境分局", "环保", "huanbao"},
    {"sw", "区水务局", "水务", "shuiwu"},
    {"jt", "区交通运输局", "交通", "jiaotong"},
    {"yj", "区应急管理局", "应急", "yingji"},
    {"wj", "区卫生健康局", "卫健", "weijian"},
    {"mz", "区民政局", "民政", "minzheng"},
};
static const struct dept_spec street_depts[] = {
    {"pcs", "派出所", "公安", "paichusuo"},
    {"cgzd", "城管中队", "城管", "chengguan"},
};
#define N_DDEPTS (sizeof district_depts / sizeof district_depts[0])
#define N_SDEPTS (sizeof street_depts / sizeof street_depts[0])

static const char *const role_password[ROLE__COUNT] = {
    [ROLE_ADMIN] = "Guanli#2024cc",     [ROLE_COMMAND] = "Zhihui#2024cc",
    [ROLE_LEADER] = "Lingdao#2024cc",   [ROLE_STAFF] = "Gongzuo#2024cc",
    [ROLE_GRID_OFFICER] = "Wangge#2024cc", [ROLE_HANDLER] = "Chuzhi#2024cc",
    [ROLE_MEMBER] = "Dangyuan#2024cc",  [ROLE_RESIDENT] = "Jumin#2024cc",
};

/* ---- accounts ---- */

struct spec {
    struct demo_account acc;
    char display[GG_NAME_SZ];
    int64_t org_id;     /* resolved after the orgs exist */
    struct actor actor; /* filled once created */
    bool created;
};

#define MAX_SPECS 256
static struct spec specs[MAX_SPECS];
static size_t n_specs;

static void street_code(int s, char *out, size_t sz)
{
    snprintf(out, sz, "%s%03d", DEMO_DISTRICT_CODE, s + 1);
}
static void comm_code(int c, char *out, size_t sz)
{
    snprintf(out, sz, "%s%03d%03d", DEMO_DISTRICT_CODE, c / COMMS_PER_STREET + 1,
             c % COMMS_PER_STREET + 1);
}
static void grid_code(int c, int g, char *out, size_t sz)
{
    snprintf(out, sz, "%s%03d%03d%03d", DEMO_DISTRICT_CODE, c / COMMS_PER_STREET + 1,
             c % COMMS_PER_STREET + 1, g + 1);
}

static struct spec *add_spec(enum role r, const char *username, const char *code, const char *name,
                             const char *display)
{
    if (n_specs >= MAX_SPECS)
        return NULL;
    struct spec *s = &specs[n_specs++];
    memset(s, 0, sizeof *s);
    s->acc.role = r;
    gg_strlcpy(s->acc.username, username, sizeof s->acc.username);
    s->acc.password = role_password[r];
    gg_strlcpy(s->acc.scope_code, code, sizeof s->acc.scope_code);
    gg_strlcpy(s->acc.scope_name, name, sizeof s->acc.scope_name);
    gg_strlcpy(s->display, display, sizeof s->display);
    return s;
}

/* The account table: a pure function of the name tables, so it can be printed without a db. */
static void specs_build(void)
{
    if (n_specs)
        return;
    char u[64], code[64], name[512], disp[1024];
    add_spec(ROLE_COMMAND, "zhihui01", DEMO_DISTRICT_CODE, "朝阳区", "指挥中心坐席一");
    add_spec(ROLE_COMMAND, "zhihui02", DEMO_DISTRICT_CODE, "朝阳区", "指挥中心坐席二");
    add_spec(ROLE_LEADER, "lingdao_qu", DEMO_DISTRICT_CODE, "朝阳区", "区级包保领导");
    for (int s = 0; s < N_STREETS; s++) {
        snprintf(u, sizeof u, "lingdao_jd%d", s + 1);
        street_code(s, code, sizeof code);
        snprintf(disp, sizeof disp, "%s包保领导", street_names[s]);
        add_spec(ROLE_LEADER, u, code, street_names[s], disp);
    }
    for (int s = 0; s < N_STREETS; s++) {
        snprintf(u, sizeof u, "jiedao%d", s + 1);
        street_code(s, code, sizeof code);
        snprintf(disp, sizeof disp, "%s工作人员", street_names[s]);
        add_spec(ROLE_STAFF, u, code, street_names[s], disp);
    }
    for (int c = 0; c < N_COMMS; c++) {
        snprintf(u, sizeof u, "shequ%02d%02d", c / COMMS_PER_STREET + 1, c % COMMS_PER_STREET + 1);
        comm_code(c, code, sizeof code);
        snprintf(disp, sizeof disp, "%s社区专干", comm_names[c]);
        add_spec(ROLE_STAFF, u, code, comm_names[c], disp);
    }
    for (int c = 0; c < N_COMMS; c++) {
        for (int g = 0; g < OFFICERS_PER_COMM; g++) {
            snprintf(u, sizeof u, "wgy%02d%02d%02d", c / COMMS_PER_STREET + 1,
                     c % COMMS_PER_STREET + 1, g + 1);
            grid_code(c, g, code, sizeof code);
            snprintf(name, sizeof name, "%s第%d网格", comm_names[c], g + 1);
            snprintf(disp, sizeof disp, "%s网格员", name);
            add_spec(ROLE_GRID_OFFICER, u, code, name, disp);
        }
    }
    for (size_t d = 0; d < N_DDEPTS; d++) {
        snprintf(code, sizeof code, "%s-%s", DEMO_DISTRICT_CODE, district_depts[d].code_suffix);
        snprintf(disp, sizeof disp, "%s处置人员", district_depts[d].name);
        add_spec(ROLE_HANDLER, district_depts[d].user, code, district_depts[d].name, disp);
    }
    for (int s = 0; s < N_STREETS; s++) {
        for (size_t d = 0; d < N_SDEPTS; d++) {
            char sc[32];
            street_code(s, sc, sizeof sc);
            snprintf(code, sizeof code, "%s-%s", sc, street_depts[d].code_suffix);
            snprintf(u, sizeof u, "%s%d", street_depts[d].user, s + 1);
            snprintf(name, sizeof name, "%s%s", street_names[s], street_depts[d].name);
            snprintf(disp, sizeof disp, "%s处置人员", name);
            add_spec(ROLE_HANDLER, u, code, name, disp);
        }
    }
    for (int c = 0; c < N_COMMS; c++) {
        snprintf(u, sizeof u, "dangyuan%02d", c + 1);
        comm_code(c, code, sizeof code);
        snprintf(disp, sizeof disp, "%s在职党员", comm_names[c]);
        add_spec(ROLE_MEMBER, u, code, comm_names[c], disp);
    }
    for (int c = 0; c < N_COMMS; c++) {
        snprintf(u, sizeof u, "jumin%02d", c + 1);
        comm_code(c, code, sizeof code);
        snprintf(disp, sizeof disp, "%s居民", comm_names[c]);
        add_spec(ROLE_RESIDENT, u, code, comm_names[c], disp);
    }
}

void demo_print_accounts(const char *admin_password)
{
    specs_build();
    printf("\n演示账号 demo accounts (role, username, password, scope):\n");
    printf("  %-13s %-14s %-16s %s\n", "admin", "admin",
           admin_password ? admin_password : "(unchanged)", "长春市 (全部)");
    for (int r = ROLE_COMMAND; r < ROLE__COUNT; r++) {
        int shown = 0, total = 0;
        const char *last = NULL;
        for (size_t i = 0; i < n_specs; i++) {
            if (specs[i].acc.role != (enum role)r)
                continue;
            total++;
            last = specs[i].acc.username;
            if (shown < 5) {
                printf("  %-13s %-14s %-16s %s %s\n", role_id((enum role)r),
                       specs[i].acc.username, specs[i].acc.password, specs[i].acc.scope_code,
                       specs[i].acc.scope_name);
                shown++;
            }
        }
        if (total > shown)
            printf("  %-13s … %d more, up to %s, same password\n", role_id((enum role)r),
                   total - shown, last);
    }
    printf("\n");
    fflush(stdout);
}

/* ---- orgs ---- */

struct city {
    int64_t root_id, district_id;
    int64_t street_ids[N_STREETS];
    int64_t comm_ids[N_COMMS];
    int64_t grid_ids[N_GRIDS];
    int64_t ddept_ids[N_DDEPTS];
    int64_t sdept_ids[N_STREETS][N_SDEPTS];
    int households;
    int n_orgs;
};

/* A deterministic value in [-1, 1) for lattice vertex (i, j), component k. */
static double vjit(uint64_t seed, int i, int j, int k)
{
    struct cli_rng r;
    cli_rng_seed(&r, seed * 1000003u + (uint64_t)i * 7919u + (uint64_t)j * 104729u + (uint64_t)k);
    return cli_rng_unit(&r) * 2.0 - 1.0;
}

struct lattice {
    double lat0, lon0; /* south-west corner */
    double dlat, dlon;
    uint64_t seed;
};

static void corner(const struct lattice *L, int i, int j, double *lon, double *lat)
{
    *lon = L->lon0 + (i + JITTER * vjit(L->seed, i, j, 0)) * L->dlon;
    *lat = L->lat0 + (j + JITTER * vjit(L->seed, i, j, 1)) * L->dlat;
}

static json_t *pt(double lon, double lat)
{
    /* 6 decimals: about 0.1 m, and the same text for both cells that share a vertex */
    double x = round(lon * 1e6) / 1e6, y = round(lat * 1e6) / 1e6;
    return json_pack("[f,f]", x, y);
}

/* The boundary of lattice cell (i, j): 8 vertices, shared exactly with the neighbours, so the
 * cells tile the plane without overlapping. */
static json_t *cell_polygon(const struct lattice *L, int i, int j)
{
    double x[8], y[8];
    corner(L, i, j, &x[0], &y[0]);
    corner(L, i + 1, j, &x[2], &y[2]);
    corner(L, i + 1, j + 1, &x[4], &y[4]);
    corner(L, i, j + 1, &x[6], &y[6]);
    /* edge midpoints move across their edge only; keyed by the edge so neighbours agree */
    x[1] = L->lon0 + (i + 0.5) * L->dlon;
    y[1] = L->lat0 + (j + JITTER * vjit(L->seed, i, j, 2)) * L->dlat;
    x[3] = L->lon0 + (i + 1 + JITTER * vjit(L->seed, i + 1, j, 3)) * L->dlon;
    y[3] = L->lat0 + (j + 0.5) * L->dlat;
    x[5] = L->lon0 + (i + 0.5) * L->dlon;
    y[5] = L->lat0 + (j + 1 + JITTER * vjit(L->seed, i, j + 1, 2)) * L->dlat;
    x[7] = L->lon0 + (i + JITTER * vjit(L->seed, i, j, 3)) * L->dlon;
    y[7] = L->lat0 + (j + 0.5) * L->dlat;
    json_t *ring = json_array();
    for (int k = 0; k < 8; k++)
        json_array_append_new(ring, pt(x[k], y[k]));
    json_array_append_new(ring, pt(x[0], y[0]));
    return json_pack("{s:s,s:[o]}", "type", "Polygon", "coordinates", ring);
}

/* A point well inside cell (i, j): within the middle 60 % (the jitter moves edges by 10 %). */
static void cell_point(const struct lattice *L, int i, int j, struct cli_rng *r, double *lat,
                       double *lon)
{
    *lon = L->lon0 + (i + 0.2 + 0.6 * cli_rng_unit(r)) * L->dlon;
    *lat = L->lat0 + (j + 0.2 + 0.6 * cli_rng_unit(r)) * L->dlat;
}

static const struct lattice *demo_lattice(uint64_t seed)
{
    static struct lattice L;
    L.dlat = CELL_DLAT;
    L.dlon = CELL_DLON;
    L.lat0 = CENTER_LAT - GROWS * COMMS_PER_STREET * CELL_DLAT / 2;
    L.lon0 = CENTER_LON - GCOLS * N_STREETS * CELL_DLON / 2;
    L.seed = seed;
    return &L;
}

/* lattice cell of grid g (0-based) of community c */
static void grid_cell(int c, int g, int *i, int *j)
{
    *i = (c / COMMS_PER_STREET) * GCOLS + g % GCOLS;
    *j = (c % COMMS_PER_STREET) * GROWS + g / GCOLS;
}

struct org_ctx {
    struct app *a;
    struct city *city;
    const struct actor *sys;
    uint64_t seed;
    int64_t now;
    struct gg_error *err;
};

static int mk(struct org_ctx *c, int64_t parent, enum org_kind kind, const char *code,
              const char *name, json_t *boundary, int households, const char *dept_kind,
              int64_t *id)
{
    struct org_input in = {.parent_id = parent,
                           .kind = kind,
                           .code = code,
                           .name = name,
                           .boundary = boundary,
                           .households = households,
                           .department_kind = dept_kind};
    struct org o;
    int rc = app_org_create(c->a, c->sys, &in, c->now, &o, c->err);
    json_decref(boundary);
    if (rc)
        return rc;
    *id = o.id;
    c->city->n_orgs++;
    return 0;
}

static int build_orgs(struct app *a, void *ctx)
{
    struct org_ctx *c = ctx;
    struct city *city = c->city;
    const struct lattice *L = demo_lattice(c->seed);
    struct cli_rng r;
    cli_rng_seed(&r, c->seed ^ 0x0a11ce);
    char code[64], name[GG_NAME_SZ];
    int rc = mk(c, city->root_id, ORG_DISTRICT, DEMO_DISTRICT_CODE, "朝阳区", NULL, -1, NULL,
                &city->district_id);
    for (size_t d = 0; !rc && d < N_DDEPTS; d++) {
        snprintf(code, sizeof code, "%s-%s", DEMO_DISTRICT_CODE, district_depts[d].code_suffix);
        rc = mk(c, city->district_id, ORG_DEPARTMENT, code, district_depts[d].name, NULL, -1,
                district_depts[d].kind, &city->ddept_ids[d]);
    }
    for (int s = 0; !rc && s < N_STREETS; s++) {
        street_code(s, code, sizeof code);
        rc = mk(c, city->district_id, ORG_STREET, code, street_names[s], NULL, -1, NULL,
                &city->street_ids[s]);
        char sc[32];
        street_code(s, sc, sizeof sc);
        for (size_t d = 0; !rc && d < N_SDEPTS; d++) {
            snprintf(code, sizeof code, "%s-%s", sc, street_depts[d].code_suffix);
            snprintf(name, sizeof name, "%s%s", street_names[s], street_depts[d].name);
            rc = mk(c, city->street_ids[s], ORG_DEPARTMENT, code, name, NULL, -1,
                    street_depts[d].kind, &city->sdept_ids[s][d]);
        }
    }
    for (int cm = 0; !rc && cm < N_COMMS; cm++) {
        comm_code(cm, code, sizeof code);
        rc = mk(c, city->street_ids[cm / COMMS_PER_STREET], ORG_COMMUNITY, code, comm_names[cm],
                NULL, -1, NULL, &city->comm_ids[cm]);
        for (int g = 0; !rc && g < GRIDS_PER_COMM; g++) {
            int i, j;
            grid_cell(cm, g, &i, &j);
            grid_code(cm, g, code, sizeof code);
            snprintf(name, sizeof name, "%s第%d网格", comm_names[cm], g + 1);
            int hh = 200 + (int)cli_rng_below(&r, 201);
            rc = mk(c, city->comm_ids[cm], ORG_GRID, code, name, cell_polygon(L, i, j), hh, NULL,
                    &city->grid_ids[cm * GRIDS_PER_COMM + g]);
            city->households += rc ? 0 : hh;
        }
    }
    return rc;
}

/* ---- accounts, created in parallel (argon2id hashing dominates) ---- */

struct user_pool {
    struct app *a;
    const struct actor *sys;
    int64_t now;
    pthread_mutex_t mu;
    size_t next;
    int rc;
    struct gg_error err;
};

static void actor_of(const struct user *u, struct actor *out)
{
    memset(out, 0, sizeof *out);
    out->user_id = u->id;
    gg_strlcpy(out->username, u->username, sizeof out->username);
    out->role = u->role;
    out->scope_org_id = u->scope_org_id;
    gg_strlcpy(out->scope_path, u->scope_path, sizeof out->scope_path);
}

static void *user_worker(void *arg)
{
    struct user_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        bool stop = p->rc != 0;
        pthread_mutex_unlock(&p->mu);
        if (stop || i >= n_specs)
            return NULL;
        struct spec *s = &specs[i];
        struct user_input in = {.username = s->acc.username,
                                .password = s->acc.password,
                                .role = s->acc.role,
                                .scope_org_id = s->org_id,
                                .display_name = s->display};
        struct user u;
        struct gg_error e = {0};
        int rc = app_user_create(p->a, p->sys, &in, p->now, &u, &e);
        if (rc) {
            pthread_mutex_lock(&p->mu);
            if (!p->rc) {
                p->rc = rc;
                p->err = e;
                char msg[512];
                snprintf(msg, sizeof msg, "%s: %s", s->acc.username, e.message);
                gg_strlcpy(p->err.message, msg, sizeof p->err.message);
            }
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        actor_of(&u, &s->actor);
        s->created = true;
    }
}

static int create_users(struct app *a, const struct actor *sys, int64_t now,
                        struct gg_error *err)
{
    struct user_pool p = {.a = a, .sys = sys, .now = now};
    pthread_mutex_init(&p.mu, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (int)ncpu;
    pthread_t th[8];
    int started = 0;
    for (int t = 0; t < nt; t++)
        if (pthread_create(&th[t], NULL, user_worker, &p) == 0)
            started++;
    if (!started)
        user_worker(&p);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&p.mu);
    if (p.rc) {
        if (err)
            *err = p.err;
        return p.rc;
    }
    return 0;
}

/* ---- events ---- */

struct phrase {
    const char *code;
    const char *text;
};
/* What a resident or a 网格员 would write, per 小类; others get a generic sentence. */
static const struct phrase phrases[] = {
    {"0101", "小区门口垃圾桶旁有暴露垃圾堆放，气味较大，影响居民出行"},
    {"0102", "楼后空地积存建筑垃圾和渣土，已堆放多日无人清运"},
    {"0103", "路面有大量落叶和泥土，道路不洁"},
    {"0105", "绿地内有塑料袋、饮料瓶等杂物，绿地脏乱"},
    {"0106", "单元门口堆放废弃沙发和旧家具，占用通道"},
    {"0108", "有人在空地焚烧垃圾树叶，烟雾较大"},
    {"0109", "临街饭店油烟直排，楼上住户反映窗户无法打开"},
    {"0201", "楼道和电线杆上张贴大量非法小广告"},
    {"0202", "商户在人行道护栏上违规悬挂横幅"},
    {"0204", "商户在人行道摆放广告牌，占用盲道"},
    {"0301", "工地夜间施工噪声扰民，居民无法休息"},
    {"0302", "工地未覆盖防尘网，扬尘严重"},
    {"0304", "一楼住户私自扩建院落，疑似违章搭建"},
    {"0401", "楼道内堆放杂物，堵塞通道"},
    {"0402", "临街商铺在门外摆放货物经营"},
    {"0403", "早市商贩占用道路经营，影响车辆通行"},
    {"0405", "小区出入口机动车乱停放，影响消防车通行"},
    {"0406", "共享单车在路口大量堆积，乱停乱放"},
    {"0407", "夜间露天烧烤，油烟和噪声扰民"},
    {"0408", "在行道树之间拉绳晾晒衣物"},
    {"0505", "雨后路段积水较深，行人和车辆通行困难"},
    {"0602", "大风过后树木倒伏，压在人行道上"},
    {"0604", "绿化带杂草丛生，需要清理"},
    {"0701", "人行道井盖缺失，存在安全隐患，已临时摆放警示物"},
    {"0702", "井盖破损松动，车辆经过响声较大"},
    {"0703", "小区主干道路灯不亮，夜间出行不便"},
    {"0704", "道路出现坑槽，路面破损"},
    {"0707", "垃圾桶破损，垃圾外溢"},
    {"0708", "雨水篦子被杂物堵塞，下雨时排水不畅"},
    {"0801", "楼上楼下因漏水问题发生邻里纠纷，请求社区调解"},
    {"0802", "居民反映家庭矛盾激化，需网格员上门调解"},
    {"0803", "业主与物业公司因收费问题产生纠纷"},
    {"0804", "务工人员反映被拖欠工资"},
    {"0901", "楼道照明损坏且单元门禁失灵，存在治安隐患"},
    {"0904", "桥下发现流浪乞讨人员，需要救助"},
    {"0906", "出租屋人员流动频繁，未登记"},
    {"1001", "消防通道被私家车和杂物堵塞"},
    {"1002", "居民从楼上私拉电线给电动车飞线充电"},
    {"1003", "老旧楼房外墙开裂，存在险情"},
    {"1004", "餐馆液化气罐摆放不规范，存在燃气使用隐患"},
    {"1005", "流动摊点售卖无标识食品"},
    {"1006", "单元电梯故障停运，老人上下楼困难"},
    {"1007", "楼顶广告牌松动，存在高空坠物隐患"},
    {"1101", "独居老人生活困难，申请救助"},
    {"1102", "高龄老人希望获得助餐、助浴等养老服务"},
    {"1103", "失业居民咨询就业岗位和技能培训"},
    {"1105", "楼栋突然停水，未接到通知"},
    {"1106", "家中暖气不热，室温偏低"},
    {"1107", "楼下商铺音响声音过大，噪声扰民"},
    {"1108", "小区物业服务不到位，楼道长期无人打扫"},
};
#define N_PHRASES (sizeof phrases / sizeof phrases[0])

static const char *phrase_for(const char *code)
{
    for (size_t i = 0; i < N_PHRASES; i++)
        if (strcmp(phrases[i].code, code) == 0)
            return phrases[i].text;
    return NULL;
}

static bool sensor_category(const char *code)
{
    return strcmp(code, "0505") == 0 || strcmp(code, "0701") == 0 || strcmp(code, "0702") == 0 ||
           strcmp(code, "1006") == 0 || strcmp(code, "0708") == 0 || strcmp(code, "1105") == 0;
}

struct ev_plan {
    int64_t at;
    int comm, grid; /* grid index within the community */
};

static int cmp_plan(const void *x, const void *y)
{
    const struct ev_plan *p = x, *q = y;
    return p->at < q->at ? -1 : p->at > q->at;
}

struct gen {
    struct app *a;
    struct city *city;
    struct cli_rng r;
    int64_t now;
    const struct category *cats; /* event categories, weighted by repetition */
    size_t n_cats;
    struct ev_plan *plan;
    size_t n_plan, next;
    struct actor admin;
    struct spec **by_org;                /* org id -> the account scoped there */
    int64_t max_org_id;
    int64_t last_open[N_COMMS]; /* for merges: an open event of the community */
    int64_t failed;
    int logged;
};

static const struct actor *spec_actor(struct gen *g, int64_t org_id)
{
    if (org_id <= 0 || org_id > g->max_org_id || !g->by_org[org_id] || !g->by_org[org_id]->created)
        return NULL;
    return &g->by_org[org_id]->actor;
}

static const struct actor *find_role(enum role r, int nth)
{
    for (size_t i = 0; i < n_specs; i++)
        if (specs[i].acc.role == r && specs[i].created && nth-- == 0)
            return &specs[i].actor;
    return NULL;
}

/* The account that acts for the org that must act now: its handler, 网格员 or staff; else the
 * community's or street's staff above it; else NULL. */
static const struct actor *actor_for_org(struct gen *g, int64_t org_id, int comm)
{
    const struct actor *x = spec_actor(g, org_id);
    if (x)
        return x;
    if (org_id == 0)
        return NULL;
    for (int gi = 0; gi < GRIDS_PER_COMM; gi++)
        if (g->city->grid_ids[comm * GRIDS_PER_COMM + gi] == org_id)
            return spec_actor(g, g->city->comm_ids[comm]);
    return NULL;
}

/* Applies one action; when the chosen actor is refused for role or scope, the system
 * administrator does it (counted as a failure only if that is refused too). */
static int act(struct gen *g, const struct actor *who, struct event *ev, enum event_action action,
               const struct action_input *extra, int64_t t)
{
    struct action_input in = {0};
    if (extra)
        in = *extra;
    in.action = action;
    struct event_view v;
    memset(&v, 0, sizeof v);
    struct gg_error e = {0};
    int rc = -GG_EFORBIDDEN;
    if (who)
        rc = app_event_act(g->a, who, ev->id, &in, t, &v, &e);
    if (rc == -GG_EFORBIDDEN || rc == -GG_ENOTFOUND) {
        app_event_view_release(&v);
        memset(&v, 0, sizeof v);
        gg_error_clear(&e);
        rc = app_event_act(g->a, &g->admin, ev->id, &in, t, &v, &e);
    }
    if (rc == 0) {
        *ev = v.ev;
    } else {
        g->failed++;
        if (g->logged++ < 5)
            fprintf(stderr, "gridgov demo: event %lld: %s refused: %s\n", (long long)ev->id,
                    event_action_id(action), e.message);
    }
    app_event_view_release(&v);
    return rc;
}

/* t plus a random delay in [lo, hi] seconds; 0 once that would reach "now" (the event then
 * stays where it is: recent events are still open, as in life). */
static int64_t later(struct gen *g, int64_t t, int64_t lo, int64_t hi)
{
    if (t == 0)
        return 0;
    int64_t x = t + lo + (int64_t)(cli_rng_unit(&g->r) * (double)(hi - lo));
    return x < g->now - 60 ? x : 0;
}

static void address_for(struct gen *g, int comm, char *out, size_t sz)
{
    if (cli_rng_below(&g->r, 3) == 0)
        snprintf(out, sz, "长春市朝阳区%s%s%s%u号", street_names[comm / COMMS_PER_STREET],
                 comm_names[comm], roads[cli_rng_below(&g->r, N_ROADS)],
                 1 + cli_rng_below(&g->r, 2000));
    else
        snprintf(out, sz, "长春市朝阳区%s%s%s%u栋%u单元", street_names[comm / COMMS_PER_STREET],
                 comm_names[comm], estates[cli_rng_below(&g->r, N_ESTATES)],
                 1 + cli_rng_below(&g->r, 30), 1 + cli_rng_below(&g->r, 6));
}

enum goal { GOAL_CLOSED, GOAL_HANDLED, GOAL_IN_PROGRESS, GOAL_DISPATCHED, GOAL_REGISTERED,
            GOAL_REPORTED, GOAL_REJECTED, GOAL_MERGED, GOAL_SELF };

static enum goal pick_goal(struct gen *g, enum event_source src, bool officer)
{
    uint32_t x = cli_rng_below(&g->r, 1000);
    if (x < 40)
        return GOAL_REJECTED;
    if (x < 60)
        return src == SOURCE_APP || src == SOURCE_HOTLINE ? GOAL_MERGED : GOAL_REJECTED;
    if (x < 200 && officer && (src == SOURCE_PATROL || src == SOURCE_VISIT))
        return GOAL_SELF;
    if (x < 230)
        return src == SOURCE_APP ? GOAL_REPORTED : GOAL_REGISTERED;
    if (x < 300)
        return GOAL_DISPATCHED;
    if (x < 380)
        return GOAL_IN_PROGRESS;
    if (x < 440)
        return GOAL_HANDLED;
    return GOAL_CLOSED;
}

/* One event from intake to its goal, each step by the account whose job it is. */
static void one_event(struct gen *g, const struct ev_plan *p)
{
    struct city *city = g->city;
    int64_t grid_id = city->grid_ids[p->comm * GRIDS_PER_COMM + p->grid];
    const struct actor *officer = spec_actor(g, grid_id);
    const struct actor *cstaff = spec_actor(g, city->comm_ids[p->comm]);
    const struct actor *resident = find_role(ROLE_RESIDENT, p->comm);
    const struct actor *command = find_role(ROLE_COMMAND, (int)cli_rng_below(&g->r, 2));
    const struct actor *leader = cli_rng_below(&g->r, 2)
                                     ? find_role(ROLE_LEADER, 0)
                                     : find_role(ROLE_LEADER, 1 + p->comm / COMMS_PER_STREET);

    const struct category *cat = &g->cats[cli_rng_below(&g->r, (uint32_t)g->n_cats)];
    uint32_t sx = cli_rng_below(&g->r, 100);
    enum event_source src = sx < 40   ? SOURCE_PATROL
                            : sx < 65 ? SOURCE_APP
                            : sx < 80 ? SOURCE_HOTLINE
                            : sx < 85 ? SOURCE_SENSOR
                            : sx < 95 ? SOURCE_VISIT
                                      : SOURCE_WALKIN;
    if (src == SOURCE_SENSOR && !sensor_category(cat->code))
        src = SOURCE_PATROL;
    const struct actor *reporter;
    switch (src) {
    case SOURCE_PATROL:
    case SOURCE_VISIT:
        reporter = officer ? officer : cstaff;
        break;
    case SOURCE_APP:
        reporter = resident;
        break;
    case SOURCE_WALKIN:
        reporter = cstaff;
        break;
    default:
        reporter = command;
        break;
    }
    if (!reporter)
        reporter = &g->admin;

    int i, j;
    grid_cell(p->comm, p->grid, &i, &j);
    double lat, lon;
    cell_point(demo_lattice(0), i, j, &g->r, &lat, &lon);
    char addr[GG_ADDR_SZ], desc[GG_DESC_SZ], device[32];
    address_for(g, p->comm, addr, sizeof addr);
    const char *ph = phrase_for(cat->code);
    if (ph)
        snprintf(desc, sizeof desc, "%s", ph);
    else
        snprintf(desc, sizeof desc, "发现%s问题，请相关单位尽快处置", cat->name);
    snprintf(device, sizeof device, "IOT-CY-%05u", 1 + cli_rng_below(&g->r, 400));
    struct event_input in = {.category_code = cat->code,
                             .description = desc,
                             .lat = lat,
                             .lon = lon,
                             .address = addr,
                             .source = src,
                             .device_id = src == SOURCE_SENSOR ? device : NULL};
    struct event_view v;
    memset(&v, 0, sizeof v);
    struct gg_error e = {0};
    int rc = app_event_report(g->a, reporter, &in, p->at, &v, &e);
    if (rc == -GG_EFORBIDDEN) {
        app_event_view_release(&v);
        memset(&v, 0, sizeof v);
        gg_error_clear(&e);
        reporter = &g->admin;
        if (src == SOURCE_APP)
            in.source = src = SOURCE_HOTLINE;
        rc = app_event_report(g->a, reporter, &in, p->at, &v, &e);
    }
    if (rc) {
        g->failed++;
        if (g->logged++ < 5)
            fprintf(stderr, "gridgov demo: report %s refused: %s\n", cat->code, e.message);
        app_event_view_release(&v);
        return;
    }
    struct event ev = v.ev;
    app_event_view_release(&v);

    enum goal goal = pick_goal(g, src, officer != NULL);
    int64_t t = p->at;
    bool reworked = false, escalated = false, returned = false, supervised = false;
    bool extended = false, whistled = false;
    struct action_input x = {0};
    for (int steps = 0; steps < 16; steps++) {
        if (goal == GOAL_SELF && event_status_open(ev.status)) {
            t = later(g, t, 600, 4 * 3600);
            if (t)
                act(g, officer, &ev, EVENT_ACTION_SELF_HANDLE, NULL, t);
            break;
        }
        switch (ev.status) {
        case EVENT_STATUS_REPORTED:
            if (goal == GOAL_REPORTED)
                goto done;
            t = later(g, t, 300, 3 * 3600);
            if (!t)
                goto done;
            if (goal == GOAL_REJECTED) {
                x.note = "经核实不属于受理范围，不予立案";
                act(g, command, &ev, EVENT_ACTION_REJECT, &x, t);
                goto done;
            }
            if (goal == GOAL_MERGED && g->last_open[p->comm] &&
                g->last_open[p->comm] != ev.id) {
                x.merge_into = g->last_open[p->comm];
                x.note = "重复上报，合并至原案卷";
                if (act(g, command, &ev, EVENT_ACTION_MERGE, &x, t) == 0)
                    goto done;
                x.merge_into = 0;
            }
            if (act(g, command, &ev, EVENT_ACTION_REGISTER, NULL, t))
                goto done;
            break;
        case EVENT_STATUS_REGISTERED:
            if (goal == GOAL_REGISTERED || ev.suspended)
                goto done;
            t = later(g, t, 120, 2 * 3600);
            if (!t)
                goto done;
            if (goal == GOAL_REJECTED) {
                x.note = "属于负面清单事项，已告知通过法定途径解决";
                act(g, command, &ev, EVENT_ACTION_REJECT, &x, t);
                goto done;
            }
            x.org_id = 0;
            x.note = "按事项清单派遣";
            if (act(g, command, &ev, EVENT_ACTION_DISPATCH, &x, t) ||
                ev.status != EVENT_STATUS_DISPATCHED || ev.assignee_org_id == 0) {
                if (ev.status != EVENT_STATUS_REGISTERED)
                    break;
                x.org_id = city->comm_ids[p->comm];
                x.note = "派遣至属地社区";
                if (act(g, command, &ev, EVENT_ACTION_DISPATCH, &x, t))
                    goto done;
            }
            x.org_id = 0;
            break;
        case EVENT_STATUS_DISPATCHED: {
            if (goal == GOAL_DISPATCHED || ev.suspended)
                goto done;
            const struct actor *h = actor_for_org(g, ev.assignee_org_id, p->comm);
            t = later(g, t, 600, 6 * 3600);
            if (!t)
                goto done;
            if (!returned && ev.level == LEVEL_DISTRICT && cli_rng_below(&g->r, 100) < 4) {
                returned = true;
                x.note = "经核实不属于本部门职责，申请回退";
                act(g, h, &ev, EVENT_ACTION_RETURN, &x, t);
                break;
            }
            if (!escalated && ev.level == LEVEL_GRID && cli_rng_below(&g->r, 100) < 6) {
                escalated = true;
                x.note = "网格内无法解决，上报社区";
                act(g, h ? h : officer, &ev, EVENT_ACTION_ESCALATE, &x, t);
                break;
            }
            x.note = "已签收";
            if (act(g, h, &ev, EVENT_ACTION_SIGN, &x, t))
                goto done;
            break;
        }
        case EVENT_STATUS_IN_PROGRESS: {
            const struct actor *h = actor_for_org(g, ev.assignee_org_id, p->comm);
            if (!supervised && cli_rng_below(&g->r, 100) < 10) {
                supervised = true;
                int64_t ts = later(g, t, 3600, 24 * 3600);
                if (ts) {
                    t = ts;
                    x.note = "请加快办理进度，按期办结";
                    act(g, leader, &ev, EVENT_ACTION_SUPERVISE, &x, t);
                }
            }
            if (!whistled && cli_rng_below(&g->r, 100) < 3) {
                /* 吹哨报到: the street summons two departments, each reports in */
                whistled = true;
                int64_t tw = later(g, t, 600, 6 * 3600);
                size_t d1 = cli_rng_below(&g->r, N_DDEPTS), d2 = (d1 + 1) % N_DDEPTS;
                int64_t depts[2] = {city->ddept_ids[d1], city->ddept_ids[d2]};
                const struct actor *street_staff =
                    spec_actor(g, city->street_ids[p->comm / COMMS_PER_STREET]);
                x.departments = depts;
                x.n_departments = 2;
                x.note = "街道吹哨，请相关部门到场报到";
                if (tw && act(g, street_staff, &ev, EVENT_ACTION_WHISTLE, &x, tw) == 0) {
                    t = tw;
                    x.departments = NULL;
                    x.n_departments = 0;
                    x.note = "已到场报到";
                    for (int k = 0; k < 2; k++) {
                        int64_t tr = later(g, t, 600, 2 * 3600);
                        x.org_id = depts[k];
                        if (tr)
                            act(g, spec_actor(g, depts[k]), &ev, EVENT_ACTION_REPORT_IN, &x, tr);
                    }
                    x.org_id = 0;
                }
                x.departments = NULL;
                x.n_departments = 0;
            }
            if (!extended && cli_rng_below(&g->r, 100) < 5) {
                extended = true;
                int64_t te = later(g, t, 1800, 12 * 3600);
                if (te) {
                    t = te;
                    x.note = "需协调多个单位，同意延期";
                    x.extend_hours = 24;
                    act(g, command, &ev, EVENT_ACTION_EXTEND, &x, t);
                    x.extend_hours = 0;
                }
            }
            if (goal == GOAL_IN_PROGRESS) {
                if (cli_rng_below(&g->r, 100) < 15) {
                    int64_t tsu = later(g, t, 3600, 24 * 3600);
                    if (tsu) {
                        x.note = "涉及历史遗留问题，挂账办理";
                        act(g, command, &ev, EVENT_ACTION_SUSPEND, &x, tsu);
                    }
                }
                goto done;
            }
            /* most are handled in time; one in six drags past its deadline */
            int64_t hi = cli_rng_below(&g->r, 6) == 0 ? 5 * 86400 : 20 * 3600;
            t = later(g, t, 1800, hi);
            if (!t)
                goto done;
            x.note = "已处置完毕，现场已恢复";
            if (act(g, h, &ev, EVENT_ACTION_HANDLE, &x, t))
                goto done;
            break;
        }
        case EVENT_STATUS_HANDLED: {
            if (goal == GOAL_HANDLED)
                goto done;
            t = later(g, t, 1800, 24 * 3600);
            if (!t)
                goto done;
            const struct actor *verifier = officer ? officer : cstaff ? cstaff : command;
            if (!reworked && cli_rng_below(&g->r, 100) < 7) {
                reworked = true;
                x.note = "现场核查未整改到位，返工";
                act(g, verifier, &ev, EVENT_ACTION_VERIFY_FAIL, &x, t);
                break;
            }
            x.note = "现场核查已整改到位，同意结案";
            if (act(g, verifier, &ev, EVENT_ACTION_VERIFY_OK, &x, t))
                goto done;
            break;
        }
        case EVENT_STATUS_CLOSED:
            if (ev.reporter_id && reporter->role == ROLE_RESIDENT &&
                cli_rng_below(&g->r, 100) < 80) {
                t = later(g, t, 3600, 3 * 86400);
                if (!t)
                    goto done;
                uint32_t q = cli_rng_below(&g->r, 100);
                x.rating = q < 75 ? RATING_SATISFIED : q < 93 ? RATING_BASIC : RATING_UNSATISFIED;
                x.note = q < 75 ? "处理及时，非常满意" : q < 93 ? "问题基本解决" : "处理太慢";
                act(g, reporter, &ev, EVENT_ACTION_RATE, &x, t);
            }
            goto done;
        default:
            goto done;
        }
    }
done:
    /* an event that stays open is what later duplicates of the community merge into */
    if (event_status_open(ev.status) && !ev.suspended)
        g->last_open[p->comm] = ev.id;
}

#define EVENTS_PER_BATCH 250

static int events_batch(struct app *a, void *ctx)
{
    struct gen *g = ctx;
    size_t end = g->next + EVENTS_PER_BATCH;
    if (end > g->n_plan)
        end = g->n_plan;
    for (; g->next < end; g->next++)
        one_event(g, &g->plan[g->next]);
    return 0;
}

static int org_batch(struct app *a, void *ctx)
{
    return build_orgs(a, ctx);
}

bool demo_present(struct app *a)
{
    struct actor sys;
    app_system_actor(a, &sys);
    struct org_filter f = {.kind = ORG_DISTRICT, .limit = 500};
    struct org *items = NULL;
    size_t n = 0;
    bool found = false;
    if (app_org_list(a, &sys, &f, &items, &n, NULL) == 0)
        for (size_t i = 0; i < n && !found; i++)
            found = strcmp(items[i].code, DEMO_DISTRICT_CODE) == 0;
    free(items);
    return found;
}

static double since(uint64_t t0)
{
    return (double)(gg_time_mono_ns() - t0) / 1e9;
}

static int find_admin(struct app *a, const struct actor *sys, struct actor *out)
{
    struct user *items = NULL;
    size_t n = 0;
    int rc = app_user_list(a, sys, 0, 500, &items, &n, NULL);
    if (rc)
        return rc;
    rc = -GG_ENOTFOUND;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].username, "admin") == 0) {
            actor_of(&items[i], out);
            rc = 0;
            break;
        }
    }
    free(items);
    return rc;
}

/* ---- issue 6: people, service orders, points and visits of 幸福社区 ----
 *
 * A small register in 幸福社区第1网格 (the grid of wgy010101, where the console's phone pages and
 * the e2e tests look): households in the three colours, a few people with tags, two houses;
 * visits that make a due list (one overdue, two due soon); service orders of jumin01 in every
 * state, claimed by dangyuan01; store items, awards and a redemption. All through the use
 * cases with their real rules; a refused step is counted like the events' ones. */

const struct actor *demo_user_actor(const char *username)
{
    for (size_t i = 0; i < n_specs; i++)
        if (specs[i].created && strcmp(specs[i].acc.username, username) == 0)
            return &specs[i].actor;
    return NULL;
}

/* an 18-digit id number of the demo district with its right check character */
static void demo_id_number(const char *birth, int seq, char out[19])
{
    char first[18];
    snprintf(first, sizeof first, "%s%s%03d", DEMO_DISTRICT_CODE, birth, seq % 1000);
    snprintf(out, 19, "%s%c", first, resident_id_check_char(first));
}

struct demo_person {
    const char *name, *birth;
    int seq;             /* odd = male */
    const char *phone;
    int household;       /* index into the households below */
    const char *relation;
    uint32_t tags;
    int party, volunteer;
    int visit_days_ago;  /* 0 = not visited */
    const char *findings;
};

int64_t demo_count_failed(int rc, const char *what, struct gg_error *e)
{
    if (!rc)
        return 0;
    fprintf(stderr, "gridgov demo: %s refused: %s\n", what, e->message);
    return 1;
}

/* party_people[2] gets the person ids of the register's party members (0 when refused) */
static int64_t demo_participation(struct app *a, const struct city *city, int64_t now,
                                  int64_t party_people[2])
{
    const struct actor *officer = demo_user_actor("wgy010101");
    const struct actor *staff = demo_user_actor("shequ0101");
    const struct actor *street = demo_user_actor("jiedao1");
    const struct actor *member = demo_user_actor("dangyuan01");
    const struct actor *resident = demo_user_actor("jumin01");
    if (!officer || !staff || !street || !member || !resident)
        return 1;
    int64_t failed = 0, grid = city->grid_ids[0], comm = city->comm_ids[0];
    size_t n_party = 0;
    struct gg_error e = {0};
    int rc;

    /* houses and households (三色) */
    static const struct {
        const char *code, *building, *unit, *room;
        int color;
        int use, occupancy;
        double area;
    } hh[] = {
        {"XF-01-0101", "1栋", "1单元", "101", HH_RED, 0, 0, 62.5},
        {"XF-01-0302", "1栋", "1单元", "302", HH_YELLOW, 0, 1, 78.0},
        {"XF-01-0501", "1栋", "2单元", "501", HH_GREEN, 0, 0, 95.3},
        {"XF-02-0201", "2栋", "1单元", "201", HH_GREEN, 0, 0, 88.0},
    };
    int64_t hh_ids[4] = {0};
    for (size_t i = 0; i < 4; i++) {
        char addr[128];
        snprintf(addr, sizeof addr, "幸福家园%s%s%s室", hh[i].building, hh[i].unit, hh[i].room);
        struct house hs;
        struct house_input hin = {.org_id = grid, .address = addr, .building = hh[i].building,
                                  .unit = hh[i].unit, .room = hh[i].room, .use = hh[i].use,
                                  .occupancy = hh[i].occupancy, .area = hh[i].area,
                                  .owner_person_id = -1};
        rc = app_house_create(a, officer, &hin, now - 20 * 86400LL, &hs, &e);
        failed += demo_count_failed(rc, "house", &e);
        struct household h;
        struct household_input in = {.org_id = grid, .code = hh[i].code, .address = addr,
                                     .building = hh[i].building, .unit = hh[i].unit,
                                     .room = hh[i].room, .color = hh[i].color,
                                     .house_id = rc ? -1 : hs.id};
        rc = app_household_create(a, officer, &in, now - 20 * 86400LL, &h, &e);
        failed += demo_count_failed(rc, "household", &e);
        hh_ids[i] = rc ? 0 : h.id;
    }

    /* people; visits make the due list: elderly_alone every 7 days (8 days ago: overdue),
     * key_person 7 (6 days ago: due), low_income 30 (29 days ago: due), veteran 90 (ok) */
    static const struct demo_person people[] = {
        {"王秀兰", "19430312", 22, "13904310101", 0, "户主", 1u << TAG_ELDERLY_ALONE, 0, 0, 8,
         "老人独居，身体尚可，冬季取暖正常；反映楼道灯不亮"},
        {"李建国", "19560918", 31, "13904310102", 1, "户主", 1u << TAG_LOW_INCOME | 1u << TAG_DISABLED,
         0, 0, 29, "低保金按时发放，腿脚不便，需要代购生活用品"},
        {"张桂芝", "19600421", 42, "13904310103", 1, "配偶", 1u << TAG_LOW_INCOME, 0, 0, 0, NULL},
        {"赵志强", "19510707", 53, "13904310104", 2, "户主", 1u << TAG_VETERAN, 1, 0, 10,
         "退役军人，身体健康，愿意参加志愿服务"},
        {"刘明", "19880103", 65, "13904310105", 2, "子女", 0, 1, 1, 0, NULL},
        {"陈浩", "19790515", 77, "13904310106", 3, "户主", 1u << TAG_KEY_PERSON, 0, 0, 6,
         "情绪稳定，近期在找工作"},
        {"陈小雨", "20140826", 84, NULL, 3, "子女", 1u << TAG_LEFT_BEHIND_CHILD, 0, 0, 0, NULL},
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        const struct demo_person *d = &people[i];
        char idn[19];
        demo_id_number(d->birth, d->seq, idn);
        struct person_input in = {.org_id = grid, .household_id = hh_ids[d->household],
                                  .name = d->name, .gender = -1, .id_number = idn,
                                  .phone = d->phone, .set_tags = true, .tags = d->tags,
                                  .party_member = d->party, .volunteer = d->volunteer,
                                  .party_branch = d->party ? "幸福社区第一党支部" : NULL,
                                  .relation = d->relation};
        struct person_view v;
        rc = app_person_create(a, officer, &in, now - 20 * 86400LL, &v, &e);
        failed += demo_count_failed(rc, "person", &e);
        if (!rc && d->party && n_party < 2)
            party_people[n_party++] = v.p.id;
        if (rc || !d->visit_days_ago)
            continue;
        struct visit_input vin = {.person_id = v.p.id, .household_id = hh_ids[d->household],
                                  .subject_name = d->name, .tags = d->tags,
                                  .at = now - d->visit_days_ago * 86400LL - 3600,
                                  .findings = d->findings};
        struct visit vis;
        rc = app_visit_record(a, officer, &vin, now, &vis, &e);
        failed += demo_count_failed(rc, "visit", &e);
    }

    /* service orders of jumin01, one per state; dangyuan01 claims */
    static const struct {
        const char *cat, *title, *desc;
        int upto; /* how far it goes: 0 asked, 1 published, 2 claimed, 3 completed, 4 rated,
                   * 5 reviewed, -1 cancelled */
        int reward;
    } orders[] = {
        {"1203", "帮忙代买降压药", "家里老人的降压药快吃完了，想请人帮忙去药店代买", 0, 0},
        {"1201", "想要一台旧收音机", "老伴爱听评书，家里收音机坏了，希望有人捐一台旧的", 1, 20},
        {"1204", "陪同老人去医院复查", "下周三上午去省医院复查，需要有人陪同", 2, 30},
        {"1202", "代办老年人优待证", "腿脚不便，想请党员帮忙到街道代办老年人优待证", 3, 20},
        {"1203", "帮忙取快递", "快递放在小区东门驿站，较重，希望有人帮忙送上楼", 4, 10},
        {"1204", "清理楼道杂物", "楼道堆放的旧家具需要搬走", 5, 40},
        {"1201", "想学用智能手机", "想学会用手机视频通话", -1, 0},
    };
    for (size_t i = 0; i < sizeof orders / sizeof orders[0]; i++) {
        int64_t t = now - (int64_t)(7 - i) * 86400LL;
        struct service_ask_input ask = {.category_code = orders[i].cat,
                                        .title = orders[i].title,
                                        .description = orders[i].desc,
                                        .address = "幸福家园1栋"};
        struct service_view v = {0};
        rc = app_service_ask(a, resident, &ask, t, &v, &e);
        failed += demo_count_failed(rc, "service order", &e);
        if (rc)
            continue;
        int64_t id = v.o.id;
        app_service_view_release(&v);
        struct {
            const struct actor *who;
            struct service_action_input in;
        } steps[] = {
            {staff, {.action = SERVICE_ACTION_PUBLISH, .reward = orders[i].reward,
                     .deadline_at = now + 7 * 86400LL}},
            {member, {.action = SERVICE_ACTION_CLAIM}},
            {member, {.action = SERVICE_ACTION_COMPLETE, .note = "已上门办理完毕"}},
            {resident, {.action = SERVICE_ACTION_RATE, .rating = 5, .note = "党员同志很热心，谢谢"}},
            {street, {.action = SERVICE_ACTION_REVIEW, .rating = 5, .note = "服务及时"}},
        };
        if (orders[i].upto < 0) {
            struct service_action_input c = {.action = SERVICE_ACTION_CANCEL, .note = "已学会"};
            rc = app_service_act(a, resident, id, &c, t + 3600, &v, &e);
            failed += demo_count_failed(rc, "service cancel", &e);
            if (!rc)
                app_service_view_release(&v);
            continue;
        }
        for (int s = 0; s < orders[i].upto; s++) {
            rc = app_service_act(a, steps[s].who, id, &steps[s].in, t + (s + 1) * 3600LL, &v, &e);
            failed += demo_count_failed(rc, "service action", &e);
            if (rc)
                break;
            app_service_view_release(&v);
        }
    }

    /* points: awards, store items, a redemption */
    struct points_entry pe;
    struct points_award_input aw[] = {
        {member->user_id, POINTS_SOURCE_VOLUNTEER, "xf-clean-2024", 30, "参加社区环境整治志愿服务"},
        {resident->user_id, POINTS_SOURCE_MEETING, "xf-yishi-01", 10, "参加居民议事会"},
        {resident->user_id, POINTS_SOURCE_VOLUNTEER, "xf-clean-2024", 30,
         "参加社区环境整治志愿服务"},
    };
    for (size_t i = 0; i < sizeof aw / sizeof aw[0]; i++) {
        rc = app_points_award(a, staff, &aw[i], now - 5 * 86400LL, &pe, &e);
        failed += demo_count_failed(rc, "points award", &e);
    }
    static const struct {
        const char *name, *desc;
        int price, stock;
    } items[] = {
        {"洗衣液 2kg", "社区服务站领取", 30, 20},
        {"东北大米 5kg", "社区服务站领取", 80, 10},
        {"理发券", "社区便民理发点使用", 15, 50},
        {"保温杯", "印有“幸福社区”字样", 40, 8},
    };
    int64_t item_ids[4] = {0};
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        struct store_item it;
        struct store_item_input in = {.community_id = comm, .name = items[i].name,
                                      .description = items[i].desc, .price = items[i].price,
                                      .stock = items[i].stock, .active = 1};
        rc = app_store_item_create(a, staff, &in, now - 10 * 86400LL, &it, &e);
        failed += demo_count_failed(rc, "store item", &e);
        item_ids[i] = rc ? 0 : it.id;
    }
    if (item_ids[2]) { /* a 理发券 */
        struct redemption rd;
        int64_t bal;
        rc = app_store_redeem(a, resident, item_ids[2], 1, now - 2 * 86400LL, &rd, &bal, &e);
        failed += demo_count_failed(rc, "redemption", &e);
    }
    return failed;
}

int demo_build(struct app *a, uint64_t seed, int64_t now, struct demo_report *rep,
               struct gg_error *err)
{
    memset(rep, 0, sizeof *rep);
    specs_build();
    struct actor sys;
    app_system_actor(a, &sys);
    if (sys.scope_org_id == 0)
        return gg_error_set(err, GG_EINVAL, NULL, "the database is not initialised (run init)");
    struct city *city = calloc(1, sizeof *city);
    struct gen g = {0};
    if (!city)
        return gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
    city->root_id = sys.scope_org_id;
    int rc;

    /* 1. the org tree, one transaction */
    uint64_t t0 = gg_time_mono_ns();
    struct org_ctx oc = {a, city, &sys, seed, now - (HISTORY_DAYS + 1) * 86400LL, err};
    rc = app_batch(a, org_batch, &oc, err);
    if (rc)
        goto out;
    rep->secs_orgs = since(t0);
    rep->n_orgs = city->n_orgs;
    rep->n_streets = N_STREETS;
    rep->n_communities = N_COMMS;
    rep->n_grids = N_GRIDS;
    rep->n_departments = N_DDEPTS + N_STREETS * N_SDEPTS;
    rep->households = city->households;

    /* 2. accounts: resolve scope codes to ids, then create them in parallel */
    t0 = gg_time_mono_ns();
    g.max_org_id = 0;
    struct store *s = app_read_store(a);
    for (size_t i = 0; i < n_specs; i++) {
        struct org o;
        if (!s || s->ops->org_get_by_code(s, specs[i].acc.scope_code, &o)) {
            rc = gg_error_set(err, GG_ENOTFOUND, "scope", "demo org %s is missing",
                              specs[i].acc.scope_code);
            goto out;
        }
        specs[i].org_id = o.id;
        if (o.id > g.max_org_id)
            g.max_org_id = o.id;
    }
    rc = create_users(a, &sys, now - HISTORY_DAYS * 86400LL, err);
    if (rc)
        goto out;
    rep->n_users = (int64_t)n_specs + 1;
    rep->secs_users = since(t0);

    /* 3. events, in order of their report time, a few hundred per transaction */
    t0 = gg_time_mono_ns();
    g.a = a;
    g.city = city;
    g.now = now;
    cli_rng_seed(&g.r, seed);
    if (find_admin(a, &sys, &g.admin))
        g.admin = sys;
    g.by_org = calloc((size_t)g.max_org_id + 1, sizeof *g.by_org);
    struct category *all = NULL;
    size_t n_all = 0;
    rc = app_category_list(a, &all, &n_all, err);
    if (rc || !g.by_org)
        goto out_events;
    for (size_t i = 0; i < n_specs; i++)
        if (!g.by_org[specs[i].org_id])
            g.by_org[specs[i].org_id] = &specs[i];
    /* everyday grid matters weigh three times as much as the rest */
    struct category *cats = calloc(n_all * 3 + 1, sizeof *cats);
    size_t nc = 0;
    for (size_t i = 0; cats && i < n_all; i++) {
        const struct category *c = &all[i];
        if (strlen(c->code) != 4 || c->kind != CAT_KIND_EVENT || c->list == CAT_LIST_EXCLUDED)
            continue;
        int w = c->handler_level == LEVEL_GRID ? 3 : 1;
        while (w--)
            cats[nc++] = *c;
    }
    if (!nc) {
        free(cats);
        rc = gg_error_set(err, GG_EINVAL, NULL, "the catalog has no event categories");
        goto out_events;
    }
    g.cats = cats;
    g.n_cats = nc;
    g.plan = calloc(N_EVENTS, sizeof *g.plan);
    if (!g.plan) {
        free(cats);
        rc = gg_error_set(err, GG_ENOMEM, NULL, "out of memory");
        goto out_events;
    }
    for (size_t i = 0; i < N_EVENTS; i++) {
        /* a little busier in recent weeks, as reporting habits grow */
        double u = cli_rng_unit(&g.r);
        double age = (1.0 - sqrt(u)) * HISTORY_DAYS * 86400.0;
        g.plan[i].at = now - 600 - (int64_t)age;
        g.plan[i].comm = (int)cli_rng_below(&g.r, N_COMMS);
        g.plan[i].grid = (int)cli_rng_below(&g.r, GRIDS_PER_COMM);
    }
    qsort(g.plan, N_EVENTS, sizeof *g.plan, cmp_plan);
    g.n_plan = N_EVENTS;
    while (g.next < g.n_plan) {
        rc = app_batch(a, events_batch, &g, err);
        if (rc)
            break;
        fprintf(stderr, "\rgridgov demo: events %zu/%zu", g.next, g.n_plan);
    }
    fprintf(stderr, "\n");
    free(cats);
    free(g.plan);
    if (rc)
        goto out_events;
    rep->n_events = N_EVENTS;
    int64_t party_people[2] = {0, 0};
    g.failed += demo_participation(a, city, now, party_people);
    rep->secs_events = since(t0);

    /* 4. topics, disclosures, the party organisation and key tasks */
    const char *ddept_names[N_DDEPTS], *ddept_users[N_DDEPTS];
    for (size_t d = 0; d < N_DDEPTS; d++) {
        ddept_names[d] = district_depts[d].name;
        ddept_users[d] = district_depts[d].user;
    }
    struct demo_civic_city cc = {.district_id = city->district_id,
                                 .street_ids = city->street_ids,
                                 .street_names = street_names,
                                 .n_streets = N_STREETS,
                                 .comm_ids = city->comm_ids,
                                 .comm_names = comm_names,
                                 .n_comms = N_COMMS,
                                 .comms_per_street = COMMS_PER_STREET,
                                 .grid_ids = city->grid_ids,
                                 .grids_per_comm = GRIDS_PER_COMM,
                                 .ddept_ids = city->ddept_ids,
                                 .ddept_names = ddept_names,
                                 .ddept_users = ddept_users,
                                 .n_ddepts = (int)N_DDEPTS,
                                 .admin = &g.admin,
                                 .party_people = party_people,
                                 .n_party_people = (size_t)(party_people[0] != 0) +
                                                   (size_t)(party_people[1] != 0)};
    struct demo_civic_report cr;
    demo_civic(a, &cc, now, &cr);
    g.failed += cr.failed;
    rep->n_topics = cr.topics;
    rep->n_disclosures = cr.disclosures;
    rep->n_party_orgs = cr.party_orgs;
    rep->n_party_members = cr.members;
    rep->n_report_ins = cr.report_ins;
    rep->n_covers = cr.covers;
    rep->n_meetings = cr.meetings;
    rep->n_tasks = cr.tasks;
    rep->secs_civic = cr.secs;
    rep->n_failed_steps = g.failed;
    app_event_counts(a, rep->by_status);
    if (g.failed)
        fprintf(stderr, "gridgov demo: %lld workflow steps were refused by the use cases\n",
                (long long)g.failed);
out_events:
    free(all);
    free(g.by_org);
out:
    free(city);
    return rc;
}

/* ---- synthetic grids for `gridgov gen --grids N` ---- */

#define BENCH_COLS 5  /* grids per community: 5 x 5 */
#define BENCH_ROWS 5
#define BENCH_COMMS 8 /* communities per street, stacked north-south */

struct bench_ctx {
    const struct actor *sys;
    int64_t root_id;
    int n_grids, created;
    uint64_t seed;
    int64_t now;
    char district_code[GG_CODE_SZ];
    struct gg_error *err;
};

static int bench_mk(struct app *a, struct bench_ctx *c, int64_t parent, enum org_kind kind,
                    const char *code, const char *name, json_t *boundary, int households,
                    int64_t *id)
{
    struct org_input in = {.parent_id = parent,
                           .kind = kind,
                           .code = code,
                           .name = name,
                           .boundary = boundary,
                           .households = households};
    struct org o;
    int rc = app_org_create(a, c->sys, &in, c->now, &o, c->err);
    json_decref(boundary);
    if (!rc)
        *id = o.id;
    return rc;
}

static int bench_batch(struct app *a, void *ctx)
{
    struct bench_ctx *c = ctx;
    struct lattice L = {.dlat = CELL_DLAT, .dlon = CELL_DLON, .seed = c->seed};
    /* east of the demo city, so the two never overlap */
    L.lat0 = CENTER_LAT - BENCH_ROWS * BENCH_COMMS * CELL_DLAT / 2;
    L.lon0 = CENTER_LON + 0.1 + (c->district_code[5] - '0') * 1.0;
    struct cli_rng r;
    cli_rng_seed(&r, c->seed);
    int64_t district = 0, street = 0, comm = 0;
    char code[64], name[GG_NAME_SZ];
    int rc = bench_mk(a, c, c->root_id, ORG_DISTRICT, c->district_code, "基准测试区", NULL, -1,
                      &district);
    int per_comm = BENCH_COLS * BENCH_ROWS, per_street = per_comm * BENCH_COMMS;
    for (int k = 0; !rc && k < c->n_grids; k++) {
        int st = k / per_street, cm = (k % per_street) / per_comm, gi = k % per_comm;
        if (k % per_street == 0) {
            snprintf(code, sizeof code, "%s%03d", c->district_code, st + 1);
            snprintf(name, sizeof name, "基准第%d街道", st + 1);
            rc = bench_mk(a, c, district, ORG_STREET, code, name, NULL, -1, &street);
        }
        if (!rc && k % per_comm == 0) {
            snprintf(code, sizeof code, "%s%03d%03d", c->district_code, st + 1, cm + 1);
            snprintf(name, sizeof name, "基准第%d街道第%d社区", st + 1, cm + 1);
            rc = bench_mk(a, c, street, ORG_COMMUNITY, code, name, NULL, -1, &comm);
        }
        if (rc)
            break;
        int i = st * BENCH_COLS + gi % BENCH_COLS, j = cm * BENCH_ROWS + gi / BENCH_COLS;
        snprintf(code, sizeof code, "%s%03d%03d%03d", c->district_code, st + 1, cm + 1, gi + 1);
        snprintf(name, sizeof name, "基准第%d街道第%d社区第%d网格", st + 1, cm + 1, gi + 1);
        int64_t id;
        rc = bench_mk(a, c, comm, ORG_GRID, code, name, cell_polygon(&L, i, j),
                      200 + (int)cli_rng_below(&r, 201), &id);
        if (!rc)
            c->created++;
    }
    return rc;
}

static int per_street_max(void)
{
    return BENCH_COLS * BENCH_ROWS * BENCH_COMMS;
}

int demo_build_grids(struct app *a, int n_grids, uint64_t seed, int64_t now, int *created,
                     struct gg_error *err)
{
    struct actor sys;
    app_system_actor(a, &sys);
    if (sys.scope_org_id == 0)
        return gg_error_set(err, GG_EINVAL, NULL, "the database is not initialised (run init)");
    if (n_grids > 999 * per_street_max())
        return gg_error_set(err, GG_EINVAL, "grids", "at most %d grids", 999 * per_street_max());
    struct bench_ctx c = {.sys = &sys, .root_id = sys.scope_org_id, .n_grids = n_grids,
                          .seed = seed, .now = now, .err = err};
    /* the first free district code 999901, 999902, … */
    struct store *s = app_read_store(a);
    for (int k = 1; k <= 9; k++) {
        struct org o;
        snprintf(c.district_code, sizeof c.district_code, "99990%d", k);
        if (!s || s->ops->org_get_by_code(s, c.district_code, &o) != 0)
            break;
        if (k == 9)
            return gg_error_set(err, GG_ECONFLICT, "grids", "too many benchmark districts");
    }
    int rc = app_batch(a, bench_batch, &c, err);
    *created = rc ? 0 : c.created;
    return rc;
}
