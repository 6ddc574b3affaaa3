/* router.c - the one static route table and its matcher.
 *
 * A pattern is a full path whose segments are literals or "{id}". Matching walks the table in
 * order: the first route whose path and method match wins, so literal routes that overlap an
 * {id} route (POST /orgs/import against /orgs/{id}) come first. A path that matches some route
 * but not its method is a 405 with the allowed methods. The table also feeds the OpenAPI
 * document and the per-route metrics; it holds no policy beyond "needs a token". */
#include "http/http_int.h"

#include <stdio.h>
#include <string.h>

#define V1 "/api/v1"

const struct route http_routes[] = {
    {"POST", V1 "/auth/login", http_login, false, BODY_JSON, "Log in; returns a bearer token",
     "auth"},
    {"POST", V1 "/auth/logout", http_logout, true, BODY_NONE, "Revoke the current token", "auth"},
    {"GET", V1 "/me", http_me, true, BODY_NONE, "The calling user", "auth"},
    {"POST", V1 "/users", http_users_create, true, BODY_JSON, "Create a user (admin)", "users"},
    {"GET", V1 "/users", http_users_list, true, BODY_NONE, "List users (admin)", "users"},
    {"POST", V1 "/orgs/import", http_orgs_import, true, BODY_IMPORT,
     "Import org nodes from a GeoJSON FeatureCollection, all or nothing", "orgs"},
    {"POST", V1 "/orgs", http_orgs_create, true, BODY_JSON, "Create an org node", "orgs"},
    {"GET", V1 "/orgs", http_orgs_list, true, BODY_NONE, "List org nodes", "orgs"},
    {"GET", V1 "/orgs/boundaries", http_orgs_boundaries, true, BODY_NONE,
     "The grids' boundaries within the caller's scope as one GeoJSON FeatureCollection", "orgs"},
    {"GET", V1 "/orgs/{id}", http_orgs_get, true, BODY_NONE, "An org node with its ancestors",
     "orgs"},
    {"PATCH", V1 "/orgs/{id}", http_orgs_update, true, BODY_JSON, "Change an org node", "orgs"},
    {"GET", V1 "/orgs/{id}/boundary", http_orgs_boundary, true, BODY_NONE,
     "A grid's boundary as a GeoJSON geometry", "orgs"},
    {"GET", V1 "/locate", http_locate, true, BODY_NONE, "The grid containing a point", "orgs"},
    {"GET", V1 "/categories", http_categories_list, true, BODY_NONE, "The matter catalog",
     "categories"},
    {"POST", V1 "/categories", http_categories_put, true, BODY_JSON,
     "Create or replace a category (admin)", "categories"},
    {"POST", V1 "/events", http_events_create, true, BODY_JSON, "Report an event", "events"},
    {"GET", V1 "/events", http_events_list, true, BODY_NONE, "List events, newest first", "events"},
    {"GET", V1 "/events/export", http_events_export, true, BODY_NONE,
     "The event ledger (台账) as XLSX or CSV, with the filters of GET /events", "events"},
    {"GET", V1 "/events/stream", http_events_stream, true, BODY_NONE,
     "Server-sent events: one per state change in scope; Last-Event-ID resumes", "events"},
    {"GET", V1 "/events/{id}", http_events_get, true, BODY_NONE, "An event with its timeline",
     "events"},
    {"POST", V1 "/events/{id}/actions", http_events_act, true, BODY_JSON, "Apply a workflow action",
     "events"},
    {"POST", V1 "/attachments", http_attachments_create, true, BODY_IMAGE,
     "Upload a photo (image/jpeg or image/png)", "attachments"},
    {"GET", V1 "/attachments/{id}", http_attachments_get, true, BODY_NONE, "Download a photo",
     "attachments"},
    {"GET", V1 "/audit", http_audit_list, true, BODY_NONE, "Audit trail entries", "audit"},
    /* issue 4: analysis, messages, operator settings */
    {"GET", V1 "/stats/summary", http_stats_summary, true, BODY_NONE,
     "Counts by status, colour, source and category for an org subtree and period", "stats"},
    {"GET", V1 "/stats/indicators", http_stats_indicators, true, BODY_NONE,
     "Assessment indicators (rates 0..1, null when the denominator is 0)", "stats"},
    {"GET", V1 "/stats/trend", http_stats_trend, true, BODY_NONE,
     "Reported, closed and overdue per day or week", "stats"},
    {"GET", V1 "/stats/ranking", http_stats_ranking, true, BODY_NONE,
     "Children of a node ranked by weighted score, with stars 1-5; kind=departments: the "
     "department reverse evaluation; kind=property: the property companies' red/black list",
     "stats"},
    {"GET", V1 "/stats/hotspots", http_stats_hotspots, true, BODY_NONE,
     "Grids and repeated locations with most events; surge warnings", "stats"},
    {"GET", V1 "/messages", http_messages_list, true, BODY_NONE,
     "The caller's in-app messages, newest first", "messages"},
    {"POST", V1 "/messages/{id}/read", http_messages_read, true, BODY_NONE,
     "Mark one of the caller's messages read", "messages"},
    {"POST", V1 "/events/{id}/department_ratings", http_dept_ratings_create, true, BODY_JSON,
     "Rate a department that reported in after a whistle (the whistling unit, once)", "stats"},
    {"GET", V1 "/events/{id}/department_ratings", http_dept_ratings_list, true, BODY_NONE,
     "The department ratings of an event", "stats"},
    {"POST", V1 "/property_companies", http_property_create, true, BODY_JSON,
     "Create a property company with the communities and grids it serves", "stats"},
    {"GET", V1 "/property_companies", http_property_list, true, BODY_NONE,
     "Property companies serving areas in the caller's scope", "stats"},
    {"GET", V1 "/property_companies/{id}", http_property_get, true, BODY_NONE,
     "A property company with its areas", "stats"},
    {"PATCH", V1 "/property_companies/{id}", http_property_update, true, BODY_JSON,
     "Rename a property company or replace its areas", "stats"},
    {"POST", V1 "/settings", http_settings_put, true, BODY_JSON,
     "Set an operator setting (admin): webhook.url, webhook.secret, stats.star_thresholds, "
     "stats.property_categories, stats.property_list_size, stats.property_rate_cap, visits.rules",
     "settings"},
    /* issue 6: people, households, houses (人、户、房) */
    {"POST", V1 "/people/import", http_people_import, true, BODY_SHEET,
     "Import people (and the households they name) from CSV or XLSX, all or nothing", "people"},
    {"POST", V1 "/people", http_people_create, true, BODY_JSON, "Register a person", "people"},
    {"GET", V1 "/people", http_people_list, true, BODY_NONE,
     "List people in scope (id and phone numbers masked)", "people"},
    {"GET", V1 "/people/{id}", http_people_get, true, BODY_NONE,
     "A person; ?reveal=true unmasks for roles with pii (audited)", "people"},
    {"PATCH", V1 "/people/{id}", http_people_update, true, BODY_JSON, "Change a person", "people"},
    {"DELETE", V1 "/people/{id}", http_people_delete, true, BODY_NONE, "Remove a person",
     "people"},
    {"POST", V1 "/households", http_households_create, true, BODY_JSON, "Register a household",
     "people"},
    {"GET", V1 "/households", http_households_list, true, BODY_NONE, "List households in scope",
     "people"},
    {"GET", V1 "/households/{id}", http_households_get, true, BODY_NONE, "A household",
     "people"},
    {"PATCH", V1 "/households/{id}", http_households_update, true, BODY_JSON,
     "Change a household (colour 三色)", "people"},
    {"DELETE", V1 "/households/{id}", http_households_delete, true, BODY_NONE,
     "Remove an empty household", "people"},
    {"POST", V1 "/houses", http_houses_create, true, BODY_JSON, "Register a house", "people"},
    {"GET", V1 "/houses", http_houses_list, true, BODY_NONE, "List houses in scope", "people"},
    {"GET", V1 "/houses/{id}", http_houses_get, true, BODY_NONE, "A house", "people"},
    {"PATCH", V1 "/houses/{id}", http_houses_update, true, BODY_JSON, "Change a house", "people"},
    {"DELETE", V1 "/houses/{id}", http_houses_delete, true, BODY_NONE, "Remove a house",
     "people"},
    /* issue 6: service orders (点单—下单—接单—评单), points, the points store (积分超市) */
    {"POST", V1 "/service-orders", http_service_create, true, BODY_JSON,
     "Ask for a service (点单): a resident or member", "service-orders"},
    {"GET", V1 "/service-orders", http_service_list, true, BODY_NONE,
     "Service orders visible to the caller, newest first", "service-orders"},
    {"GET", V1 "/service-orders/{id}", http_service_get, true, BODY_NONE,
     "A service order with its completion photos", "service-orders"},
    {"POST", V1 "/service-orders/{id}/actions", http_service_act, true, BODY_JSON,
     "publish, claim, complete, rate, review or cancel a service order", "service-orders"},
    {"GET", V1 "/points/me", http_points_me, true, BODY_NONE, "The caller's points account",
     "points"},
    {"GET", V1 "/points/statement", http_points_statement, true, BODY_NONE,
     "A points statement (the caller's, or a user's within the caller's scope)", "points"},
    {"POST", V1 "/points/awards", http_points_award, true, BODY_JSON,
     "Award points for volunteer hours or meeting attendance (staff)", "points"},
    {"GET", V1 "/points/leaderboard", http_points_leaderboard, true, BODY_NONE,
     "A community's users by points earned", "points"},
    {"POST", V1 "/store/items", http_store_items_create, true, BODY_JSON,
     "Add an item to a community's points store (staff)", "store"},
    {"GET", V1 "/store/items", http_store_items_list, true, BODY_NONE,
     "Points-store items visible to the caller", "store"},
    {"GET", V1 "/store/items/{id}", http_store_items_get, true, BODY_NONE, "A points-store item",
     "store"},
    {"PATCH", V1 "/store/items/{id}", http_store_items_update, true, BODY_JSON,
     "Change an item's name, price, stock or availability (staff)", "store"},
    {"POST", V1 "/store/items/{id}/redeem", http_store_redeem, true, BODY_JSON,
     "Redeem points for an item: stock and points move together", "store"},
    {"GET", V1 "/redemptions", http_redemptions_list, true, BODY_NONE,
     "Redemptions: one's own, or those of the caller's scope (staff)", "store"},
    {"POST", V1 "/visits", http_visits_create, true, BODY_JSON,
     "Record a home visit (走访); it may raise an event or a service order", "visits"},
    {"GET", V1 "/visits", http_visits_list, true, BODY_NONE, "Visit records in scope", "visits"},
    {"GET", V1 "/visits/due", http_visits_due, true, BODY_NONE,
     "Subjects due or overdue for a visit (六必访)", "visits"},
    {"GET", V1 "/visits/rules", http_visits_rules, true, BODY_NONE,
     "Visit intervals per tag", "visits"},
    /* issue 6: deliberation and disclosure (议事协商, 公开栏) */
    {"POST", V1 "/topics", http_topics_create, true, BODY_JSON,
     "Propose a topic (提议) in a community or grid", "topics"},
    {"GET", V1 "/topics", http_topics_list, true, BODY_NONE, "List topics of the caller's place",
     "topics"},
    {"GET", V1 "/topics/{id}", http_topics_get, true, BODY_NONE,
     "A topic with its meeting, tally, timeline and what the caller did", "topics"},
    {"POST", V1 "/topics/{id}/actions", http_topics_act, true, BODY_JSON,
     "Act on a topic: support, accept, reject, withdraw, meet, vote, close_vote, publish, "
     "progress, complete, evaluate",
     "topics"},
    {"POST", V1 "/topics/{id}/supports", http_topics_support, true, BODY_NONE,
     "Support a topic (附议), once per resident", "topics"},
    {"POST", V1 "/topics/{id}/votes", http_topics_vote, true, BODY_JSON,
     "Vote on the resolution (for/against/abstain), once per attendee", "topics"},
    {"POST", V1 "/topics/{id}/ratings", http_topics_rate, true, BODY_JSON,
     "Evaluate a completed topic (评议, 1-5), once per resident", "topics"},
    {"POST", V1 "/disclosures", http_disclosures_create, true, BODY_JSON,
     "Publish a disclosure (公开: property fees, project funds)", "board"},
    {"GET", V1 "/disclosures", http_disclosures_list, true, BODY_NONE,
     "List disclosures of the caller's place", "board"},
    {"GET", V1 "/disclosures/{id}", http_disclosures_get, true, BODY_NONE,
     "A disclosure with its items", "board"},
    {"GET", V1 "/board", http_board, true, BODY_NONE,
     "The public board: newest resolutions and disclosures of the caller's place", "board"},
    /* issue 6: party organisation (党组织, 双报到, 三级包保, 三会一课) and key tasks (重点任务) */
    {"POST", V1 "/party/orgs", http_party_orgs_create, true, BODY_JSON,
     "Create a party organisation (党工委 … 党员中心户) linked to an org node", "party"},
    {"GET", V1 "/party/orgs", http_party_orgs_list, true, BODY_NONE,
     "List party organisations in scope", "party"},
    {"GET", V1 "/party/orgs/{id}", http_party_orgs_get, true, BODY_NONE,
     "A party organisation", "party"},
    {"POST", V1 "/party/members", http_party_members_create, true, BODY_JSON,
     "Register a party member, cadre or in-service member", "party"},
    {"GET", V1 "/party/members", http_party_members_list, true, BODY_NONE,
     "List party members in scope", "party"},
    {"GET", V1 "/party/members/{id}", http_party_members_get, true, BODY_NONE, "A party member",
     "party"},
    {"POST", V1 "/party/report-ins", http_report_ins_create, true, BODY_JSON,
     "Report in to a community (双报到) with service willingness", "party"},
    {"GET", V1 "/party/report-ins", http_report_ins_list, true, BODY_NONE,
     "List report-ins (members: their own)", "party"},
    {"POST", V1 "/party/covers", http_covers_create, true, BODY_JSON,
     "Attach a cadre to a node at one of three levels (三级包保)", "party"},
    {"GET", V1 "/party/covers", http_covers_list, true, BODY_NONE, "List cover links in scope",
     "party"},
    {"DELETE", V1 "/party/covers/{id}", http_covers_delete, true, BODY_NONE,
     "Remove a cover link", "party"},
    {"GET", V1 "/orgs/{id}/covers", http_orgs_covers, true, BODY_NONE,
     "Who covers a node: the cover links on it and its ancestors, nearest first", "party"},
    {"POST", V1 "/party/meetings", http_meetings_create, true, BODY_JSON,
     "Record a meeting of 三会一课 with attendance and minutes", "party"},
    {"GET", V1 "/party/meetings", http_meetings_list, true, BODY_NONE,
     "List meetings in scope", "party"},
    {"GET", V1 "/party/meetings/{id}", http_meetings_get, true, BODY_NONE,
     "A meeting with its minutes and attendance", "party"},
    {"POST", V1 "/party/meetings/{id}/attendance", http_meetings_attendance, true, BODY_JSON,
     "Set the attendance of members (present, absent, excused)", "party"},
    {"GET", V1 "/party/compliance", http_party_compliance, true, BODY_NONE,
     "三会一课 compliance: the branches with missing meetings in a period", "party"},
    {"POST", V1 "/tasks", http_tasks_create, true, BODY_JSON,
     "Create a key task or project (重点任务, 民生实事) with milestones", "tasks"},
    {"GET", V1 "/tasks", http_tasks_list, true, BODY_NONE,
     "List key tasks in scope with their colour (blue, yellow, red)", "tasks"},
    {"GET", V1 "/tasks/{id}", http_tasks_get, true, BODY_NONE,
     "A key task with milestones, monthly reports and colour", "tasks"},
    {"PATCH", V1 "/tasks/{id}", http_tasks_update, true, BODY_JSON,
     "Change a key task (title, owner unit, leader, budget, spend)", "tasks"},
    {"POST", V1 "/tasks/{id}/milestones", http_tasks_milestone_add, true, BODY_JSON,
     "Add a milestone", "tasks"},
    {"POST", V1 "/tasks/{id}/progress", http_tasks_progress, true, BODY_JSON,
     "File the monthly progress report (one per month)", "tasks"},
    {"POST", V1 "/task-milestones/{id}/done", http_milestones_done, true, BODY_JSON,
     "Mark a milestone done (or undo)", "tasks"},
    {"GET", "/healthz", http_healthz, false, BODY_NONE, "Liveness: the database answers", "ops"},
    {"GET", "/metrics", http_metrics, false, BODY_NONE, "Prometheus metrics", "ops"},
    {"GET", "/api/openapi.json", http_openapi, false, BODY_NONE, "This document", "ops"},
};
const size_t http_n_routes = sizeof http_routes / sizeof http_routes[0];

/* Does path match pattern? Sets the {id} segment when there is one. */
static bool path_match(const char *pat, const char *path, const char **id_seg, size_t *id_len)
{
    *id_seg = NULL;
    *id_len = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return false;
        pat++;
        path++;
        const char *pe = strchr(pat, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        const char *se = strchr(path, '/');
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl == 4 && memcmp(pat, "{id}", 4) == 0) {
            if (sl == 0)
                return false;
            *id_seg = path;
            *id_len = sl;
        } else if (pl != sl || memcmp(pat, path, pl) != 0) {
            return false;
        }
        pat += pl;
        path += sl;
    }
    return *pat == '\0' && *path == '\0';
}

enum match_result router_match(const char *method, const char *path, int *idx, const char **id_seg,
                               size_t *id_len, char *allow, size_t allow_sz)
{
    /* HEAD is GET without the body (MHD drops it) */
    if (strcmp(method, "HEAD") == 0)
        method = "GET";
    /* a trailing slash is tolerated: "/api/v1/events/" is "/api/v1/events" */
    char tmp[512];
    const char *orig = path;
    size_t pl = strlen(path);
    if (pl > 1 && path[pl - 1] == '/' && pl < sizeof tmp) {
        memcpy(tmp, path, pl - 1);
        tmp[pl - 1] = '\0';
        path = tmp;
    }
    bool seen = false;
    if (allow_sz)
        allow[0] = '\0';
    for (size_t i = 0; i < http_n_routes; i++) {
        const char *seg;
        size_t len;
        if (!path_match(http_routes[i].pattern, path, &seg, &len))
            continue;
        if (strcmp(http_routes[i].method, method) == 0) {
            *idx = (int)i;
            /* seg points into tmp when the slash was stripped: re-point into the caller's
             * path, which has the same prefix */
            *id_seg = (seg && path == tmp) ? orig + (seg - tmp) : seg;
            *id_len = len;
            return MATCH_OK;
        }
        if (allow_sz && !strstr(allow, http_routes[i].method)) {
            size_t al = strlen(allow);
            int n =
                snprintf(allow + al, allow_sz - al, "%s%s", al ? ", " : "", http_routes[i].method);
            (void)n;
        }
        seen = true;
    }
    return seen ? MATCH_METHOD : MATCH_NOT_FOUND;
}
