/* openapi.c - GET /api/openapi.json: an OpenAPI 3.0 document generated from the route table
 * (every route with its method, summary, tag, security and {id} parameter) plus the schemas
 * of the main objects, whose enums are spelled from the model's name tables so the document
 * cannot drift from what the server accepts.
 *
 * Built once (pthread_once) and shared by reference; it describes, it does not validate. */
#include "http/http_int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "core/people.h"

/* The object schemas; enums are filled in by add_enums(). */
static const char schemas_text[] =
    "{"
    "\"Error\":{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{"
    "\"type\":\"object\",\"required\":[\"code\",\"message\",\"field\"],\"properties\":{"
    "\"code\":{\"type\":\"string\",\"example\":\"invalid\"},"
    "\"message\":{\"type\":\"string\"},"
    "\"field\":{\"type\":\"string\",\"nullable\":true}}}}},"
    "\"LoginInput\":{\"type\":\"object\",\"required\":[\"username\",\"password\"],\"properties\":{"
    "\"username\":{\"type\":\"string\",\"maxLength\":32},"
    "\"password\":{\"type\":\"string\",\"maxLength\":128}}},"
    "\"LoginResult\":{\"type\":\"object\",\"properties\":{"
    "\"token\":{\"type\":\"string\"},"
    "\"expires_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"user\":{\"$ref\":\"#/components/schemas/User\"}}},"
    "\"User\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"username\":{\"type\":\"string\"},"
    "\"role\":{\"type\":\"string\"},\"scope_org_id\":{\"type\":\"integer\"},"
    "\"person_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"display_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"disabled\":{\"type\":\"boolean\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"UserInput\":{\"type\":\"object\",\"required\":[\"username\",\"password\",\"role\","
    "\"scope_org_id\"],\"properties\":{"
    "\"username\":{\"type\":\"string\",\"maxLength\":32},"
    "\"password\":{\"type\":\"string\",\"maxLength\":128},"
    "\"role\":{\"type\":\"string\"},\"scope_org_id\":{\"type\":\"integer\"},"
    "\"person_id\":{\"type\":\"integer\"},"
    "\"display_name\":{\"type\":\"string\",\"maxLength\":64}}},"
    "\"OrgBrief\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"code\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"}}},"
    "\"Org\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"parent_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"kind\":{\"type\":\"string\"},\"code\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"households\":{\"type\":\"integer\"},"
    "\"department_kind\":{\"type\":\"string\",\"nullable\":true},"
    "\"depth\":{\"type\":\"integer\"},\"has_boundary\":{\"type\":\"boolean\"},"
    "\"path\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/OrgBrief\"}}}},"
    "\"OrgInput\":{\"type\":\"object\",\"required\":[\"parent_id\",\"kind\",\"code\",\"name\"],"
    "\"properties\":{"
    "\"parent_id\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\"},"
    "\"code\":{\"type\":\"string\",\"maxLength\":32},"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},"
    "\"boundary\":{\"type\":\"object\",\"description\":\"GeoJSON Polygon or MultiPolygon\"},"
    "\"households\":{\"type\":\"integer\",\"minimum\":0},"
    "\"department_kind\":{\"type\":\"string\",\"maxLength\":64}}},"
    "\"ImportResult\":{\"type\":\"object\",\"properties\":{"
    "\"created\":{\"type\":\"integer\"},\"updated\":{\"type\":\"integer\"},"
    "\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"index\":{\"type\":\"integer\"},\"message\":{\"type\":\"string\"}}}}}},"
    "\"Located\":{\"type\":\"object\",\"properties\":{"
    "\"grid\":{\"$ref\":\"#/components/schemas/OrgBrief\"},"
    "\"path\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/OrgBrief\"}}}},"
    "\"Category\":{\"type\":\"object\",\"required\":[\"code\",\"name\",\"kind\",\"list\","
    "\"handler_level\",\"accept_hours\",\"handle_hours\"],\"properties\":{"
    "\"code\":{\"type\":\"string\"},\"parent_code\":{\"type\":\"string\",\"nullable\":true},"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},\"kind\":{\"type\":\"string\"},"
    "\"list\":{\"type\":\"string\"},\"handler_level\":{\"type\":\"string\"},"
    "\"department_kind\":{\"type\":\"string\",\"nullable\":true},"
    "\"accept_hours\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":8760},"
    "\"handle_hours\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":8760},"
    "\"clock\":{\"type\":\"string\"},"
    "\"guidance\":{\"type\":\"string\",\"nullable\":true},"
    "\"review_on\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true}}},"
    "\"EventInput\":{\"type\":\"object\",\"required\":[\"category_code\",\"description\",\"lat\","
    "\"lon\",\"source\"],\"properties\":{"
    "\"category_code\":{\"type\":\"string\"},"
    "\"description\":{\"type\":\"string\",\"maxLength\":1000},"
    "\"lat\":{\"type\":\"number\",\"minimum\":-90,\"maximum\":90},"
    "\"lon\":{\"type\":\"number\",\"minimum\":-180,\"maximum\":180},"
    "\"address\":{\"type\":\"string\",\"maxLength\":200},"
    "\"source\":{\"type\":\"string\"},"
    "\"device_id\":{\"type\":\"string\",\"maxLength\":64},"
    "\"attachment_ids\":{\"type\":\"array\",\"maxItems\":32,\"items\":{\"type\":\"integer\"}}}},"
    "\"TimelineEntry\":{\"type\":\"object\",\"properties\":{"
    "\"seq\":{\"type\":\"integer\"},\"action\":{\"type\":\"string\"},"
    "\"actor_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"from_status\":{\"type\":\"string\"},\"to_status\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"note\":{\"type\":\"string\",\"nullable\":true}}},"
    "\"Event\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"status\":{\"type\":\"string\"},\"status_name\":{\"type\":\"string\"},"
    "\"suspended\":{\"type\":\"boolean\"},\"source\":{\"type\":\"string\"},"
    "\"category_code\":{\"type\":\"string\"},"
    "\"category_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"description\":{\"type\":\"string\"},\"address\":{\"type\":\"string\"},"
    "\"lat\":{\"type\":\"number\"},\"lon\":{\"type\":\"number\"},"
    "\"grid_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"grid_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"assignee_org_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"assignee_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"level\":{\"type\":\"string\"},"
    "\"reporter_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"device_id\":{\"type\":\"string\",\"nullable\":true},"
    "\"reported_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"registered_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"dispatched_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"signed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"handled_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"closed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"accept_due_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"handle_due_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"color\":{\"type\":\"string\"},"
    "\"rework_count\":{\"type\":\"integer\"},\"escalation_count\":{\"type\":\"integer\"},"
    "\"supervise_count\":{\"type\":\"integer\"},\"extension_count\":{\"type\":\"integer\"},"
    "\"extension_hours\":{\"type\":\"integer\"},"
    "\"closing_level\":{\"type\":\"string\",\"nullable\":true},"
    "\"rating\":{\"type\":\"string\",\"nullable\":true},"
    "\"rating_comment\":{\"type\":\"string\",\"nullable\":true},"
    "\"merged_into\":{\"type\":\"integer\",\"nullable\":true}}},"
    "\"EventView\":{\"allOf\":[{\"$ref\":\"#/components/schemas/Event\"},{\"type\":\"object\","
    "\"properties\":{"
    "\"timeline\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/TimelineEntry\"}},"
    "\"attachment_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"whistles\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"dept_org_id\":{\"type\":\"integer\"},"
    "\"due_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"reported_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}}}},"
    "\"duplicate_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"rated\":{\"type\":\"boolean\"}}}]},"
    "\"ActionInput\":{\"type\":\"object\",\"required\":[\"action\"],\"properties\":{"
    "\"action\":{\"type\":\"string\"},"
    "\"note\":{\"type\":\"string\",\"maxLength\":500},"
    "\"org_id\":{\"type\":\"integer\",\"description\":\"dispatch target\"},"
    "\"departments\":{\"type\":\"array\",\"maxItems\":64,\"items\":{\"type\":\"integer\"},"
    "\"description\":\"whistle: department org ids\"},"
    "\"rating\":{\"type\":\"string\"},"
    "\"merge_into\":{\"type\":\"integer\"},"
    "\"extend_hours\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":8760},"
    "\"version\":{\"type\":\"integer\",\"description\":\"409 when the event changed since\"}}},"
    "\"Attachment\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"sha256\":{\"type\":\"string\"},"
    "\"size\":{\"type\":\"integer\"},\"content_type\":{\"type\":\"string\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"AuditEntry\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"actor_id\":{\"type\":\"integer\",\"nullable\":true},\"action\":{\"type\":\"string\"},"
    "\"object_type\":{\"type\":\"string\"},\"object_id\":{\"type\":\"integer\"},"
    "\"detail\":{\"type\":\"string\"},"
    "\"prev_hash\":{\"type\":\"string\",\"nullable\":true},\"hash\":{\"type\":\"string\"}}},"
    "\"Health\":{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"}}},"
    /* issue 4: analysis, messages, settings (docs/indicators.md has the formulas) */
    "\"StatsSummary\":{\"type\":\"object\",\"properties\":{"
    "\"org\":{\"$ref\":\"#/components/schemas/OrgBrief\"},"
    "\"from\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"to\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"total\":{\"type\":\"integer\"},"
    "\"by_status\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
    "\"by_color\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
    "\"by_source\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
    "\"by_category\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"code\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"count\":{\"type\":\"integer\"}}}}}},"
    "\"Indicators\":{\"type\":\"object\",\"description\":\"rates 0..1, null when the "
    "denominator is 0\",\"properties\":{"
    "\"registration_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"dispatch_accuracy\":{\"type\":\"number\",\"nullable\":true},"
    "\"handling_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"on_time_handling_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"closure_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"on_time_closure_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"rework_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"extension_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"satisfaction_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"grid_resolution_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"community_resolution_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"mean_handling_hours\":{\"type\":\"number\",\"nullable\":true},"
    "\"counts\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}}}},"
    "\"TrendPoint\":{\"type\":\"object\",\"properties\":{"
    "\"bucket_start\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"reported\":{\"type\":\"integer\"},\"closed\":{\"type\":\"integer\"},"
    "\"overdue\":{\"type\":\"integer\"}}},"
    "\"Trend\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/TrendPoint\"}},"
    "\"Ranking\":{\"type\":\"object\",\"properties\":{"
    "\"parent_id\":{\"type\":\"integer\"},"
    "\"star_thresholds\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"rank\":{\"type\":\"integer\"},"
    "\"org\":{\"$ref\":\"#/components/schemas/OrgBrief\"},"
    "\"score\":{\"type\":\"number\",\"nullable\":true},"
    "\"stars\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5,\"nullable\":true},"
    "\"indicators\":{\"$ref\":\"#/components/schemas/Indicators\"},"
    "\"participation\":{\"$ref\":\"#/components/schemas/Participation\"}}}}}},"
    /* issue 6 item 8: participation in the unit ranking (docs/indicators.md) */
    "\"Participation\":{\"type\":\"object\",\"description\":\"service orders, 六必访 "
    "visits, 三会一课 meetings and key tasks of the unit's subtree in the period; a null rate "
    "drops out of the score with its weight\",\"properties\":{"
    "\"service_orders\":{\"type\":\"integer\"},\"service_completed\":{\"type\":\"integer\"},"
    "\"service_rated\":{\"type\":\"integer\"},"
    "\"service_completion_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"service_mean_rating\":{\"type\":\"number\",\"minimum\":1,\"maximum\":5,"
    "\"nullable\":true},"
    "\"visits_due\":{\"type\":\"integer\"},\"visits_on_time\":{\"type\":\"integer\"},"
    "\"visits_overdue\":{\"type\":\"integer\"},"
    "\"visit_compliance\":{\"type\":\"number\",\"nullable\":true},"
    "\"party_branches\":{\"type\":\"integer\"},\"meeting_windows\":{\"type\":\"integer\"},"
    "\"meeting_gaps\":{\"type\":\"integer\"},"
    "\"meeting_compliance\":{\"type\":\"number\",\"nullable\":true},"
    "\"tasks\":{\"type\":\"integer\"},\"tasks_blue\":{\"type\":\"integer\"},"
    "\"tasks_yellow\":{\"type\":\"integer\"},\"tasks_red\":{\"type\":\"integer\"},"
    "\"task_blue_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"task_yellow_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"task_red_rate\":{\"type\":\"number\",\"nullable\":true}}},"
    "\"Hotspots\":{\"type\":\"object\",\"properties\":{"
    "\"grids\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"code\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"count\":{\"type\":\"integer\"}}}},"
    "\"locations\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"lat\":{\"type\":\"number\"},\"lon\":{\"type\":\"number\"},"
    "\"count\":{\"type\":\"integer\"}}}},"
    "\"surges\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"grid_id\":{\"type\":\"integer\"},\"grid_name\":{\"type\":\"string\"},"
    "\"category_code\":{\"type\":\"string\"},\"category_name\":{\"type\":\"string\"},"
    "\"last_7_days\":{\"type\":\"integer\"},\"weekly_mean\":{\"type\":\"number\"},"
    "\"weekly_stddev\":{\"type\":\"number\"}}}},"
    "\"surge_window_end\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"Message\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"assignment\",\"overdue\","
    "\"supervise\",\"whistle\",\"yellow\"]},"
    "\"event_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"read_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"read\":{\"type\":\"boolean\"}}},"
    "\"SettingInput\":{\"type\":\"object\",\"required\":[\"key\"],\"properties\":{"
    "\"key\":{\"type\":\"string\",\"enum\":[\"webhook.url\",\"webhook.secret\","
    "\"stats.star_thresholds\",\"stats.property_categories\",\"stats.property_list_size\","
    "\"stats.property_rate_cap\",\"visits.rules\",\"topics.support_threshold\","
    "\"party.meeting_months\",\"task.warn_days\"]},"
    "\"value\":{\"type\":\"string\",\"maxLength\":512}}},"
    /* issue 4: department reverse evaluation, property companies and their rankings */
    "\"DepartmentRatingInput\":{\"type\":\"object\",\"required\":[\"department_id\","
    "\"score\"],\"properties\":{\"department_id\":{\"type\":\"integer\"},"
    "\"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
    "\"note\":{\"type\":\"string\",\"maxLength\":500}}},"
    "\"DepartmentRating\":{\"type\":\"object\",\"properties\":{"
    "\"event_id\":{\"type\":\"integer\"},\"department_id\":{\"type\":\"integer\"},"
    "\"score\":{\"type\":\"integer\"},\"note\":{\"type\":\"string\"},"
    "\"rater_id\":{\"type\":\"integer\"},\"rater_org_id\":{\"type\":\"integer\"},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"PropertyCompanyInput\":{\"type\":\"object\",\"properties\":{"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},"
    "\"areas\":{\"type\":\"array\",\"maxItems\":200,\"items\":{\"type\":\"object\","
    "\"required\":[\"org_id\"],\"properties\":{\"org_id\":{\"type\":\"integer\"},"
    "\"households\":{\"type\":\"integer\",\"minimum\":0}}}}}},"
    "\"PropertyCompany\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
    "\"households\":{\"type\":\"integer\"},"
    "\"areas\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"org_id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
    "\"households\":{\"type\":\"integer\"}}}},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"DepartmentRanking\":{\"type\":\"object\",\"description\":\"kind=departments\","
    "\"properties\":{\"kind\":{\"type\":\"string\"},\"parent_id\":{\"type\":\"integer\"},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"rank\":{\"type\":\"integer\"},\"org\":{\"$ref\":\"#/components/schemas/OrgBrief\"},"
    "\"score\":{\"type\":\"number\",\"nullable\":true},"
    "\"stars\":{\"type\":\"integer\",\"nullable\":true},"
    "\"whistles\":{\"type\":\"integer\"},\"reported_in\":{\"type\":\"integer\"},"
    "\"reported_on_time\":{\"type\":\"integer\"},"
    "\"on_time_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"ratings\":{\"type\":\"integer\"},"
    "\"mean_rating\":{\"type\":\"number\",\"nullable\":true}}}}}},"
    "\"PropertyRanking\":{\"type\":\"object\",\"description\":\"kind=property\","
    "\"properties\":{\"kind\":{\"type\":\"string\"},\"org_id\":{\"type\":\"integer\"},"
    "\"red_list\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"black_list\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"rank\":{\"type\":\"integer\"},\"id\":{\"type\":\"integer\"},"
    "\"name\":{\"type\":\"string\"},\"score\":{\"type\":\"number\",\"nullable\":true},"
    "\"households\":{\"type\":\"integer\"},\"complaints\":{\"type\":\"integer\"},"
    "\"complaints_per_1000_households\":{\"type\":\"number\",\"nullable\":true},"
    "\"rated\":{\"type\":\"integer\"},"
    "\"satisfaction_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"list\":{\"type\":\"string\",\"enum\":[\"red\",\"black\"],\"nullable\":true}}}}}},"
    /* issue 6 item 8: cadre evaluation (下沉干部评价) */
    "\"CadreRanking\":{\"type\":\"object\",\"description\":\"kind=cadres\","
    "\"properties\":{\"kind\":{\"type\":\"string\"},\"org_id\":{\"type\":\"integer\"},"
    "\"from\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"to\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"star_thresholds\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"rank\":{\"type\":\"integer\"},\"member_id\":{\"type\":\"integer\"},"
    "\"name\":{\"type\":\"string\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"cadre\",\"in_service\"]},"
    "\"party_org\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
    "\"name\":{\"type\":\"string\"}}},"
    "\"user_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"report_ins\":{\"type\":\"integer\"},\"orders_claimed\":{\"type\":\"integer\"},"
    "\"orders_completed\":{\"type\":\"integer\"},"
    "\"completion_rate\":{\"type\":\"number\",\"nullable\":true},"
    "\"rated\":{\"type\":\"integer\"},"
    "\"mean_rating\":{\"type\":\"number\",\"nullable\":true},"
    "\"reviewed\":{\"type\":\"integer\"},"
    "\"mean_review\":{\"type\":\"number\",\"nullable\":true},"
    "\"points\":{\"type\":\"integer\"},"
    "\"score\":{\"type\":\"number\",\"nullable\":true},"
    "\"stars\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5,\"nullable\":true}}}}}},"
    "\"AnyRanking\":{\"oneOf\":[{\"$ref\":\"#/components/schemas/Ranking\"},"
    "{\"$ref\":\"#/components/schemas/DepartmentRanking\"},"
    "{\"$ref\":\"#/components/schemas/PropertyRanking\"},"
    "{\"$ref\":\"#/components/schemas/CadreRanking\"}]},"
    /* issue 6: party organisation, key tasks */
    "\"PartyOrg\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"parent_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"working_committee\",\"committee\",\"general_branch\",\"branch\",\"group\",\"party_household\"]},"
    "\"kind_name\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"district_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"secretary_user_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"members\":{\"type\":\"integer\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"PartyOrgInput\":{\"type\":\"object\",\"required\":[\"kind\",\"name\",\"org_id\"],\"properties\":{"
    "\"parent_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"working_committee\",\"committee\",\"general_branch\",\"branch\",\"group\",\"party_household\"]},"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"secretary_user_id\":{\"type\":\"integer\"}}},"
    "\"PartyMember\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"party_org_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"member\",\"cadre\",\"in_service\"]},"
    "\"kind_name\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},"
    "\"user_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"person_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"joined_on\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"PartyMemberInput\":{\"type\":\"object\",\"required\":[\"party_org_id\",\"name\"],\"properties\":{"
    "\"party_org_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"member\",\"cadre\",\"in_service\"]},"
    "\"name\":{\"type\":\"string\"},"
    "\"user_id\":{\"type\":\"integer\"},"
    "\"person_id\":{\"type\":\"integer\"},"
    "\"joined_on\":{\"type\":\"string\",\"format\":\"date\"}}},"
    "\"ReportIn\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"member_id\":{\"type\":\"integer\"},"
    "\"member_name\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"skills\":{\"type\":\"string\"},"
    "\"available\":{\"type\":\"string\"},"
    "\"reported_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"recorded_by\":{\"type\":\"integer\",\"nullable\":true}}},"
    "\"ReportInInput\":{\"type\":\"object\",\"required\":[\"org_id\"],\"properties\":{"
    "\"member_id\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"skills\":{\"type\":\"string\",\"maxLength\":200},"
    "\"available\":{\"type\":\"string\",\"maxLength\":200}}},"
    "\"Cover\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"user_id\":{\"type\":\"integer\"},"
    "\"user_name\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"level\":{\"type\":\"string\",\"enum\":[\"district\",\"street\",\"community\"]},"
    "\"level_name\":{\"type\":\"string\"},"
    "\"duty\":{\"type\":\"string\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"CoverInput\":{\"type\":\"object\",\"required\":[\"user_id\",\"org_id\",\"level\"],\"properties\":{"
    "\"user_id\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"level\":{\"type\":\"string\",\"enum\":[\"district\",\"street\",\"community\"]},"
    "\"duty\":{\"type\":\"string\"}}},"
    "\"Attendance\":{\"type\":\"object\",\"required\":[\"member_id\",\"status\"],\"properties\":{"
    "\"member_id\":{\"type\":\"integer\"},"
    "\"status\":{\"type\":\"string\",\"enum\":[\"present\",\"absent\",\"excused\"]}}},"
    "\"AttendanceInput\":{\"type\":\"object\",\"required\":[\"attendance\"],\"properties\":{"
    "\"attendance\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Attendance\"}}}},"
    "\"Meeting\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"party_org_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"branch_assembly\",\"committee_meeting\",\"group_meeting\",\"party_lecture\"]},"
    "\"kind_name\":{\"type\":\"string\"},"
    "\"held_on\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"title\":{\"type\":\"string\"},"
    "\"present\":{\"type\":\"integer\"},"
    "\"absent\":{\"type\":\"integer\"},"
    "\"excused\":{\"type\":\"integer\"},"
    "\"minutes\":{\"type\":\"string\",\"description\":\"single reads only\"},"
    "\"attendance\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Attendance\"}},"
    "\"created_by\":{\"type\":\"integer\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"MeetingInput\":{\"type\":\"object\",\"required\":[\"party_org_id\",\"kind\",\"held_on\"],\"properties\":{"
    "\"party_org_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"branch_assembly\",\"committee_meeting\",\"group_meeting\",\"party_lecture\"]},"
    "\"held_on\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"title\":{\"type\":\"string\"},"
    "\"minutes\":{\"type\":\"string\",\"maxLength\":20000},"
    "\"attendance\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Attendance\"}}}},"
    "\"ComplianceGap\":{\"type\":\"object\",\"properties\":{"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"branch_assembly\",\"committee_meeting\",\"group_meeting\",\"party_lecture\"]},"
    "\"kind_name\":{\"type\":\"string\"},"
    "\"from\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"},"
    "\"to\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"}}},"
    "\"ComplianceBranch\":{\"type\":\"object\",\"properties\":{"
    "\"party_org_id\":{\"type\":\"integer\"},"
    "\"name\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"missing_count\":{\"type\":\"integer\"},"
    "\"missing\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/ComplianceGap\"}}}},"
    "\"Compliance\":{\"type\":\"object\",\"properties\":{"
    "\"from\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"},"
    "\"to\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"},"
    "\"required_months\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
    "\"branches_checked\":{\"type\":\"integer\"},"
    "\"non_compliant\":{\"type\":\"integer\"},"
    "\"items\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/ComplianceBranch\"}}}},"
    "\"Milestone\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"title\":{\"type\":\"string\"},"
    "\"due_on\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"done_on\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true},"
    "\"notified_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}}},"
    "\"MilestoneInput\":{\"type\":\"object\",\"required\":[\"title\",\"due_on\"],\"properties\":{"
    "\"title\":{\"type\":\"string\",\"maxLength\":100},"
    "\"due_on\":{\"type\":\"string\",\"format\":\"date\"}}},"
    "\"MilestoneDoneInput\":{\"type\":\"object\",\"properties\":{"
    "\"done_on\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"undo\":{\"type\":\"boolean\"}}},"
    "\"TaskReport\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"month\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"},"
    "\"percent\":{\"type\":\"integer\"},"
    "\"note\":{\"type\":\"string\"},"
    "\"reported_by\":{\"type\":\"integer\",\"nullable\":true},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"ProgressInput\":{\"type\":\"object\",\"required\":[\"month\",\"percent\"],\"properties\":{"
    "\"month\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}-[0-9]{2}$\"},"
    "\"percent\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100},"
    "\"note\":{\"type\":\"string\",\"maxLength\":500},"
    "\"spend\":{\"type\":\"number\"}}},"
    "\"Task\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},"
    "\"version\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"key_task\",\"livelihood\"]},"
    "\"kind_name\":{\"type\":\"string\"},"
    "\"title\":{\"type\":\"string\"},"
    "\"description\":{\"type\":\"string\",\"nullable\":true},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"org_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"leader_user_id\":{\"type\":\"integer\"},"
    "\"leader_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"budget\":{\"type\":\"number\",\"description\":\"yuan\"},"
    "\"spend\":{\"type\":\"number\"},"
    "\"progress_percent\":{\"type\":\"integer\",\"nullable\":true},"
    "\"color\":{\"type\":\"string\",\"enum\":[\"blue\",\"yellow\",\"red\"]},"
    "\"color_name\":{\"type\":\"string\"},"
    "\"color_reason\":{\"type\":\"string\"},"
    "\"milestones\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Milestone\"}},"
    "\"reports\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/TaskReport\"}},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"TaskInput\":{\"type\":\"object\",\"properties\":{"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"key_task\",\"livelihood\"]},"
    "\"title\":{\"type\":\"string\",\"maxLength\":100},"
    "\"description\":{\"type\":\"string\"},"
    "\"org_id\":{\"type\":\"integer\"},"
    "\"leader_user_id\":{\"type\":\"integer\"},"
    "\"budget\":{\"type\":\"number\"},"
    "\"spend\":{\"type\":\"number\"},"
    "\"milestones\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/MilestoneInput\"}},"
    "\"version\":{\"type\":\"integer\"}}},"
    /* issue 6: people, households, houses */
    "\"Person\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},\"org_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"household_id\":{\"type\":\"integer\",\"nullable\":true},\"name\":{\"type\":\"string\"},"
    "\"gender\":{\"type\":\"string\"},"
    "\"birth_date\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true},"
    "\"id_number\":{\"type\":\"string\",\"nullable\":true,\"example\":\"110105********1234\","
    "\"description\":\"masked unless revealed\"},"
    "\"phone\":{\"type\":\"string\",\"nullable\":true,\"example\":\"138****5678\"},"
    "\"masked\":{\"type\":\"boolean\"},"
    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"tag_names\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"party_member\":{\"type\":\"boolean\"},"
    "\"party_branch\":{\"type\":\"string\",\"nullable\":true},"
    "\"volunteer\":{\"type\":\"boolean\"},\"relation\":{\"type\":\"string\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"PersonInput\":{\"type\":\"object\",\"required\":[\"org_id\",\"name\"],\"properties\":{"
    "\"org_id\":{\"type\":\"integer\"},\"household_id\":{\"type\":\"integer\","
    "\"description\":\"0 = none\"},"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},\"gender\":{\"type\":\"string\"},"
    "\"birth_date\":{\"type\":\"string\",\"format\":\"date\"},"
    "\"id_number\":{\"type\":\"string\",\"minLength\":18,\"maxLength\":18,"
    "\"description\":\"18-digit resident id with its GB 11643 check character; a wrong one is "
    "422\"},"
    "\"phone\":{\"type\":\"string\",\"maxLength\":20},"
    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"party_member\":{\"type\":\"boolean\"},\"party_branch\":{\"type\":\"string\",\"maxLength\":64},"
    "\"volunteer\":{\"type\":\"boolean\"},\"relation\":{\"type\":\"string\",\"maxLength\":64},"
    "\"version\":{\"type\":\"integer\",\"description\":\"PATCH: 409 when the record changed\"}}},"
    "\"Household\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},\"code\":{\"type\":\"string\"},"
    "\"address\":{\"type\":\"string\",\"nullable\":true},"
    "\"building\":{\"type\":\"string\",\"nullable\":true},"
    "\"unit\":{\"type\":\"string\",\"nullable\":true},"
    "\"room\":{\"type\":\"string\",\"nullable\":true},\"color\":{\"type\":\"string\"},"
    "\"color_name\":{\"type\":\"string\"},\"house_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"members\":{\"type\":\"integer\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"HouseholdInput\":{\"type\":\"object\",\"required\":[\"org_id\",\"code\"],\"properties\":{"
    "\"org_id\":{\"type\":\"integer\"},\"code\":{\"type\":\"string\",\"maxLength\":32},"
    "\"address\":{\"type\":\"string\",\"maxLength\":200},"
    "\"building\":{\"type\":\"string\",\"maxLength\":16},"
    "\"unit\":{\"type\":\"string\",\"maxLength\":16},\"room\":{\"type\":\"string\",\"maxLength\":16},"
    "\"color\":{\"type\":\"string\"},\"house_id\":{\"type\":\"integer\"},"
    "\"version\":{\"type\":\"integer\"}}},"
    "\"House\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},\"address\":{\"type\":\"string\",\"nullable\":true},"
    "\"building\":{\"type\":\"string\",\"nullable\":true},"
    "\"unit\":{\"type\":\"string\",\"nullable\":true},"
    "\"room\":{\"type\":\"string\",\"nullable\":true},\"use\":{\"type\":\"string\"},"
    "\"use_name\":{\"type\":\"string\"},\"occupancy\":{\"type\":\"string\"},"
    "\"area\":{\"type\":\"number\",\"nullable\":true},"
    "\"owner_person_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"HouseInput\":{\"type\":\"object\",\"required\":[\"org_id\"],\"properties\":{"
    "\"org_id\":{\"type\":\"integer\"},\"address\":{\"type\":\"string\",\"maxLength\":200},"
    "\"building\":{\"type\":\"string\",\"maxLength\":16},"
    "\"unit\":{\"type\":\"string\",\"maxLength\":16},\"room\":{\"type\":\"string\",\"maxLength\":16},"
    "\"use\":{\"type\":\"string\"},\"occupancy\":{\"type\":\"string\"},"
    "\"area\":{\"type\":\"number\",\"minimum\":0},\"owner_person_id\":{\"type\":\"integer\"},"
    "\"version\":{\"type\":\"integer\"}}},"
    "\"PeopleImportResult\":{\"type\":\"object\",\"properties\":{"
    "\"rows\":{\"type\":\"integer\"},\"people_created\":{\"type\":\"integer\"},"
    "\"households_created\":{\"type\":\"integer\"},"
    "\"error_count\":{\"type\":\"integer\"},"
    "\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"row\":{\"type\":\"integer\"},\"column\":{\"type\":\"string\"},"
    "\"reason\":{\"type\":\"string\"}}}}}},"
    /* issue 6: service orders, points, the points store (docs/participation.md) */
    "\"ServiceOrderInput\":{\"type\":\"object\",\"required\":[\"category_code\",\"title\"],"
    "\"properties\":{"
    "\"category_code\":{\"type\":\"string\",\"description\":\"a 小类 of kind service\"},"
    "\"title\":{\"type\":\"string\",\"maxLength\":64},"
    "\"description\":{\"type\":\"string\",\"maxLength\":1000},"
    "\"address\":{\"type\":\"string\",\"maxLength\":200},"
    "\"community_id\":{\"type\":\"integer\"}}},"
    "\"ServiceActionInput\":{\"type\":\"object\",\"required\":[\"action\"],\"properties\":{"
    "\"action\":{\"type\":\"string\"},"
    "\"reward\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000},"
    "\"deadline_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"note\":{\"type\":\"string\",\"maxLength\":500},"
    "\"rating\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
    "\"attachment_ids\":{\"type\":\"array\",\"maxItems\":9,\"items\":{\"type\":\"integer\"}},"
    "\"expected_version\":{\"type\":\"integer\"}}},"
    "\"ServiceOrder\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"status\":{\"type\":\"string\"},\"status_name\":{\"type\":\"string\"},"
    "\"category_code\":{\"type\":\"string\"},"
    "\"category_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"title\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},"
    "\"address\":{\"type\":\"string\"},\"community_id\":{\"type\":\"integer\"},"
    "\"community_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"asker_id\":{\"type\":\"integer\"},"
    "\"publisher_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"claimer_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"reviewer_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"reward\":{\"type\":\"integer\"},"
    "\"deadline_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"asked_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"published_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"claimed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"completed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"rated_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"reviewed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"cancelled_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"rating\":{\"type\":\"integer\",\"nullable\":true},"
    "\"rating_comment\":{\"type\":\"string\",\"nullable\":true},"
    "\"review_rating\":{\"type\":\"integer\",\"nullable\":true},"
    "\"review_comment\":{\"type\":\"string\",\"nullable\":true},"
    "\"completion_note\":{\"type\":\"string\",\"nullable\":true},"
    "\"attachment_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"PointsAccount\":{\"type\":\"object\",\"properties\":{"
    "\"user_id\":{\"type\":\"integer\"},\"balance\":{\"type\":\"integer\",\"minimum\":0},"
    "\"earned\":{\"type\":\"integer\"}}},"
    "\"PointsEntry\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"user_id\":{\"type\":\"integer\"},"
    "\"amount\":{\"type\":\"integer\"},\"source\":{\"type\":\"string\"},"
    "\"source_key\":{\"type\":\"string\"},\"reason\":{\"type\":\"string\"},"
    "\"balance_after\":{\"type\":\"integer\"},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"actor_id\":{\"type\":\"integer\",\"nullable\":true}}},"
    "\"PointsAwardInput\":{\"type\":\"object\",\"required\":[\"user_id\",\"source\",\"ref\","
    "\"amount\",\"reason\"],\"properties\":{"
    "\"user_id\":{\"type\":\"integer\"},"
    "\"source\":{\"type\":\"string\",\"enum\":[\"volunteer\",\"meeting\"]},"
    "\"ref\":{\"type\":\"string\",\"maxLength\":48,\"pattern\":\"^[A-Za-z0-9_.-]+$\"},"
    "\"amount\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000},"
    "\"reason\":{\"type\":\"string\",\"maxLength\":100}}},"
    "\"Leaderboard\":{\"type\":\"object\",\"properties\":{"
    "\"community\":{\"$ref\":\"#/components/schemas/OrgBrief\"},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"rank\":{\"type\":\"integer\"},\"user_id\":{\"type\":\"integer\"},"
    "\"username\":{\"type\":\"string\"},"
    "\"display_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"earned\":{\"type\":\"integer\"},\"balance\":{\"type\":\"integer\"}}}}}},"
    "\"StoreItemInput\":{\"type\":\"object\",\"properties\":{"
    "\"community_id\":{\"type\":\"integer\",\"description\":\"required on create\"},"
    "\"name\":{\"type\":\"string\",\"maxLength\":64},"
    "\"description\":{\"type\":\"string\",\"maxLength\":500},"
    "\"price\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100000},"
    "\"stock\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":100000},"
    "\"active\":{\"type\":\"boolean\"}}},"
    "\"StoreItem\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"community_id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"},"
    "\"description\":{\"type\":\"string\"},\"price\":{\"type\":\"integer\"},"
    "\"stock\":{\"type\":\"integer\"},\"active\":{\"type\":\"boolean\"},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"RedeemInput\":{\"type\":\"object\",\"properties\":{"
    "\"quantity\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":20,\"default\":1}}},"
    "\"Redemption\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"item_id\":{\"type\":\"integer\"},"
    "\"item_name\":{\"type\":\"string\"},\"user_id\":{\"type\":\"integer\"},"
    "\"community_id\":{\"type\":\"integer\"},\"quantity\":{\"type\":\"integer\"},"
    "\"points\":{\"type\":\"integer\"},"
    "\"balance_after\":{\"type\":\"integer\",\"description\":\"POST …/redeem only\"},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"VisitInput\":{\"type\":\"object\",\"required\":[\"subject_name\",\"findings\"],"
    "\"properties\":{"
    "\"grid_id\":{\"type\":\"integer\"},\"person_id\":{\"type\":\"integer\"},"
    "\"household_id\":{\"type\":\"integer\"},"
    "\"subject_name\":{\"type\":\"string\",\"maxLength\":64},"
    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"findings\":{\"type\":\"string\",\"maxLength\":1000},"
    "\"raise\":{\"type\":\"object\",\"properties\":{"
    "\"event\":{\"type\":\"object\",\"required\":[\"category_code\",\"lat\",\"lon\"]},"
    "\"service_order\":{\"$ref\":\"#/components/schemas/ServiceOrderInput\"}}}}},"
    "\"Visit\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"grid_id\":{\"type\":\"integer\"},"
    "\"grid_name\":{\"type\":\"string\",\"nullable\":true},"
    "\"officer_id\":{\"type\":\"integer\"},"
    "\"person_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"household_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"subject_name\":{\"type\":\"string\"},"
    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"findings\":{\"type\":\"string\"},"
    "\"event_id\":{\"type\":\"integer\",\"nullable\":true},"
    "\"service_order_id\":{\"type\":\"integer\",\"nullable\":true}}},"
    "\"VisitDue\":{\"type\":\"object\",\"properties\":{"
    "\"last_visit\":{\"$ref\":\"#/components/schemas/Visit\"},"
    "\"interval_days\":{\"type\":\"integer\"},"
    "\"due_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"state\":{\"type\":\"string\",\"enum\":[\"due\",\"overdue\",\"ok\"]}}},"
    "\"VisitRule\":{\"type\":\"object\",\"properties\":{"
    "\"tag\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
    "\"interval_days\":{\"type\":\"integer\"}}},"
    /* issue 6: deliberation and disclosure */
    "\"Topic\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"version\":{\"type\":\"integer\"},"
    "\"org_id\":{\"type\":\"integer\"},\"org_name\":{\"type\":\"string\"},"
    "\"status\":{\"type\":\"string\",\"enum\":[\"proposed\",\"seconded\",\"agenda\",\"voting\","
    "\"passed\",\"failed\",\"published\",\"executing\",\"done\",\"rejected\",\"withdrawn\"]},"
    "\"status_name\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},"
    "\"body\":{\"type\":\"string\",\"nullable\":true},\"proposer_id\":{\"type\":\"integer\"},"
    "\"proposer_name\":{\"type\":\"string\"},"
    "\"threshold\":{\"type\":\"integer\"},\"supports\":{\"type\":\"integer\"},"
    "\"tally\":{\"type\":\"object\",\"nullable\":true,\"properties\":{"
    "\"attendees\":{\"type\":\"integer\"},\"for\":{\"type\":\"integer\"},"
    "\"against\":{\"type\":\"integer\"},\"abstain\":{\"type\":\"integer\"},"
    "\"passed\":{\"type\":\"boolean\",\"nullable\":true,"
    "\"description\":\"for * 2 > attendees; null while voting\"}}},"
    "\"rating\":{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\"},"
    "\"average\":{\"type\":\"number\",\"nullable\":true}}},"
    "\"meeting\":{\"type\":\"object\",\"nullable\":true,\"properties\":{"
    "\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"place\":{\"type\":\"string\",\"nullable\":true},"
    "\"attendees\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
    "\"minutes\":{\"type\":\"string\"}}},"
    "\"mine\":{\"type\":\"object\",\"properties\":{\"supported\":{\"type\":\"boolean\"},"
    "\"vote\":{\"type\":\"string\",\"nullable\":true},"
    "\"rating\":{\"type\":\"integer\",\"nullable\":true},\"attendee\":{\"type\":\"boolean\"}}},"
    "\"timeline\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"action\":{\"type\":\"string\"},"
    "\"action_name\":{\"type\":\"string\"},\"at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"actor_id\":{\"type\":\"integer\"},\"from_status\":{\"type\":\"string\"},"
    "\"to_status\":{\"type\":\"string\"},\"note\":{\"type\":\"string\",\"nullable\":true}}}},"
    "\"meeting_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"published_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
    "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"TopicInput\":{\"type\":\"object\",\"required\":[\"org_id\",\"title\"],\"properties\":{"
    "\"org_id\":{\"type\":\"integer\",\"description\":\"a community or grid\"},"
    "\"title\":{\"type\":\"string\",\"maxLength\":100},"
    "\"body\":{\"type\":\"string\",\"maxLength\":2000},"
    "\"threshold\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10000,"
    "\"description\":\"admin and staff only; default: setting topics.support_threshold\"}}},"
    "\"TopicAction\":{\"type\":\"object\",\"required\":[\"action\"],\"properties\":{"
    "\"action\":{\"type\":\"string\",\"enum\":[\"support\",\"accept\",\"reject\",\"withdraw\","
    "\"meet\",\"vote\",\"close_vote\",\"publish\",\"progress\",\"complete\",\"evaluate\"]},"
    "\"note\":{\"type\":\"string\",\"maxLength\":500},"
    "\"attendees\":{\"type\":\"array\",\"maxItems\":500,\"items\":{\"type\":\"integer\"}},"
    "\"minutes\":{\"type\":\"string\",\"maxLength\":20000},"
    "\"place\":{\"type\":\"string\",\"maxLength\":64},"
    "\"meeting_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
    "\"choice\":{\"type\":\"string\",\"enum\":[\"for\",\"against\",\"abstain\"]},"
    "\"rating\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}}},"
    "\"VoteInput\":{\"type\":\"object\",\"required\":[\"choice\"],\"properties\":{"
    "\"choice\":{\"type\":\"string\",\"enum\":[\"for\",\"against\",\"abstain\"]}}},"
    "\"RatingInput\":{\"type\":\"object\",\"required\":[\"rating\"],\"properties\":{"
    "\"rating\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
    "\"comment\":{\"type\":\"string\",\"maxLength\":500}}},"
    "\"Disclosure\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"integer\"},\"org_id\":{\"type\":\"integer\"},"
    "\"kind\":{\"type\":\"string\",\"enum\":[\"property_fee\",\"project_fund\",\"finance\","
    "\"affairs\",\"other\"]},\"kind_name\":{\"type\":\"string\"},"
    "\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"string\",\"nullable\":true},"
    "\"period\":{\"type\":\"string\",\"example\":\"2026-Q1\"},"
    "\"total\":{\"type\":\"number\",\"description\":\"yuan, the sum of the items\"},"
    "\"item_count\":{\"type\":\"integer\"},"
    "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"label\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}}}},"
    "\"author_id\":{\"type\":\"integer\"},"
    "\"published_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
    "\"DisclosureInput\":{\"type\":\"object\",\"required\":[\"org_id\",\"kind\",\"title\","
    "\"period\",\"items\"],\"properties\":{"
    "\"org_id\":{\"type\":\"integer\",\"description\":\"a street, community or grid\"},"
    "\"kind\":{\"type\":\"string\"},\"title\":{\"type\":\"string\",\"maxLength\":100},"
    "\"body\":{\"type\":\"string\",\"maxLength\":2000},"
    "\"period\":{\"type\":\"string\",\"description\":\"YYYY, YYYY-MM or YYYY-Qn\"},"
    "\"items\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":50,\"items\":{\"type\":\"object\","
    "\"required\":[\"label\",\"amount\"],\"properties\":{"
    "\"label\":{\"type\":\"string\",\"maxLength\":64},"
    "\"amount\":{\"type\":\"number\",\"description\":\"yuan, at most 2 decimals\"}}}}}},"
    "\"Board\":{\"type\":\"object\",\"properties\":{"
    "\"topics\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Topic\"}},"
    "\"disclosures\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Disclosure\"}}}}"
    "}";

/* What the route table does not say: bodies, answers and query parameters per operation. */
struct op_doc {
    const char *method, *pattern;
    const char *request;  /* schema name of a JSON body, or NULL */
    const char *response; /* schema name; NULL = no JSON body */
    bool list;            /* answer is {items:[response], next_cursor} */
    int status;           /* success status */
    const char *query;    /* "name:type,name:type" (type: integer, string, number, date-time) */
};

static const struct op_doc ops[] = {
    {"POST", "/api/v1/auth/login", "LoginInput", "LoginResult", false, 200, NULL},
    {"POST", "/api/v1/auth/logout", NULL, NULL, false, 204, NULL},
    {"GET", "/api/v1/me", NULL, "User", false, 200, NULL},
    {"POST", "/api/v1/users", "UserInput", "User", false, 201, NULL},
    {"GET", "/api/v1/users", NULL, "User", true, 200, "limit:integer,cursor:string"},
    {"POST", "/api/v1/orgs/import", NULL, "ImportResult", false, 200, NULL},
    {"POST", "/api/v1/orgs", "OrgInput", "Org", false, 201, NULL},
    {"GET", "/api/v1/orgs", NULL, "Org", true, 200,
     "parent_id:integer,kind:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/orgs/{id}", NULL, "Org", false, 200, NULL},
    {"PATCH", "/api/v1/orgs/{id}", "OrgInput", "Org", false, 200, NULL},
    {"GET", "/api/v1/orgs/{id}/boundary", NULL, NULL, false, 200, NULL},
    {"GET", "/api/v1/locate", NULL, "Located", false, 200, "lat:number,lon:number"},
    {"GET", "/api/v1/categories", NULL, "Category", true, 200, "kind:string,list:string"},
    {"POST", "/api/v1/categories", "Category", "Category", false, 201, NULL},
    {"POST", "/api/v1/events", "EventInput", "EventView", false, 201, NULL},
    {"GET", "/api/v1/events", NULL, "Event", true, 200,
     "status:string,color:string,category:string,org_id:integer,source:string,"
     "from:date-time,to:date-time,q:string,reporter_id:integer,limit:integer,cursor:string"},
    {"GET", "/api/v1/events/{id}", NULL, "EventView", false, 200, NULL},
    {"POST", "/api/v1/events/{id}/actions", "ActionInput", "EventView", false, 200, NULL},
    {"POST", "/api/v1/attachments", NULL, "Attachment", false, 201, NULL},
    {"GET", "/api/v1/attachments/{id}", NULL, NULL, false, 200, NULL},
    {"GET", "/api/v1/audit", NULL, "AuditEntry", true, 200,
     "object_type:string,object_id:integer,limit:integer,cursor:string"},
    {"GET", "/api/v1/stats/summary", NULL, "StatsSummary", false, 200,
     "org_id:integer,from:date-time,to:date-time"},
    {"GET", "/api/v1/stats/indicators", NULL, "Indicators", false, 200,
     "org_id:integer,from:date-time,to:date-time"},
    {"GET", "/api/v1/stats/trend", NULL, "Trend", false, 200,
     "org_id:integer,from:date-time,to:date-time,bucket:string"},
    {"GET", "/api/v1/stats/ranking", NULL, "AnyRanking", false, 200,
     "kind:string,parent_id:integer,org_id:integer,period:string,from:date-time,to:date-time"},
    {"POST", "/api/v1/events/{id}/department_ratings", "DepartmentRatingInput",
     "DepartmentRating", false, 201, NULL},
    {"GET", "/api/v1/events/{id}/department_ratings", NULL, "DepartmentRating", true, 200, NULL},
    {"POST", "/api/v1/property_companies", "PropertyCompanyInput", "PropertyCompany", false, 201,
     NULL},
    {"GET", "/api/v1/property_companies", NULL, "PropertyCompany", true, 200, NULL},
    {"GET", "/api/v1/property_companies/{id}", NULL, "PropertyCompany", false, 200, NULL},
    {"PATCH", "/api/v1/property_companies/{id}", "PropertyCompanyInput", "PropertyCompany", false,
     200, NULL},
    {"GET", "/api/v1/stats/hotspots", NULL, "Hotspots", false, 200,
     "org_id:integer,from:date-time,to:date-time"},
    {"GET", "/api/v1/events/export", NULL, NULL, false, 200,
     "format:string,status:string,color:string,category:string,org_id:integer,source:string,"
     "from:date-time,to:date-time,q:string,reporter_id:integer"},
    {"GET", "/api/v1/events/stream", NULL, NULL, false, 200, "last_event_id:integer"},
    {"GET", "/api/v1/messages", NULL, "Message", true, 200,
     "unread:string,limit:integer,cursor:string"},
    {"POST", "/api/v1/messages/{id}/read", NULL, NULL, false, 200, NULL},
    {"POST", "/api/v1/settings", "SettingInput", NULL, false, 200, NULL},
    /* issue 6 */
    {"POST", "/api/v1/people/import", NULL, "PeopleImportResult", false, 200, NULL},
    {"POST", "/api/v1/people", "PersonInput", "Person", false, 201, NULL},
    {"GET", "/api/v1/people", NULL, "Person", true, 200,
     "org_id:integer,household_id:integer,tag:string,party_member:boolean,volunteer:boolean,"
     "q:string,id_number:string,phone:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/people/{id}", NULL, "Person", false, 200, "reveal:boolean"},
    {"PATCH", "/api/v1/people/{id}", "PersonInput", "Person", false, 200, NULL},
    {"DELETE", "/api/v1/people/{id}", NULL, NULL, false, 204, NULL},
    {"POST", "/api/v1/households", "HouseholdInput", "Household", false, 201, NULL},
    {"GET", "/api/v1/households", NULL, "Household", true, 200,
     "org_id:integer,color:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/households/{id}", NULL, "Household", false, 200, NULL},
    {"PATCH", "/api/v1/households/{id}", "HouseholdInput", "Household", false, 200, NULL},
    {"DELETE", "/api/v1/households/{id}", NULL, NULL, false, 204, NULL},
    {"POST", "/api/v1/houses", "HouseInput", "House", false, 201, NULL},
    {"GET", "/api/v1/houses", NULL, "House", true, 200,
     "org_id:integer,use:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/houses/{id}", NULL, "House", false, 200, NULL},
    {"PATCH", "/api/v1/houses/{id}", "HouseInput", "House", false, 200, NULL},
    {"DELETE", "/api/v1/houses/{id}", NULL, NULL, false, 204, NULL},
    {"POST", "/api/v1/service-orders", "ServiceOrderInput", "ServiceOrder", false, 201, NULL},
    {"GET", "/api/v1/service-orders", NULL, "ServiceOrder", true, 200,
     "status:string,category:string,org_id:integer,mine:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/service-orders/{id}", NULL, "ServiceOrder", false, 200, NULL},
    {"POST", "/api/v1/service-orders/{id}/actions", "ServiceActionInput", "ServiceOrder", false,
     200, NULL},
    {"GET", "/api/v1/points/me", NULL, "PointsAccount", false, 200, NULL},
    {"GET", "/api/v1/points/statement", NULL, "PointsEntry", true, 200,
     "user_id:integer,limit:integer,cursor:string"},
    {"POST", "/api/v1/points/awards", "PointsAwardInput", "PointsEntry", false, 201, NULL},
    {"GET", "/api/v1/points/leaderboard", NULL, "Leaderboard", false, 200,
     "org_id:integer,limit:integer"},
    {"POST", "/api/v1/store/items", "StoreItemInput", "StoreItem", false, 201, NULL},
    {"GET", "/api/v1/store/items", NULL, "StoreItem", true, 200,
     "all:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/store/items/{id}", NULL, "StoreItem", false, 200, NULL},
    {"PATCH", "/api/v1/store/items/{id}", "StoreItemInput", "StoreItem", false, 200, NULL},
    {"POST", "/api/v1/store/items/{id}/redeem", "RedeemInput", "Redemption", false, 201, NULL},
    {"GET", "/api/v1/redemptions", NULL, "Redemption", true, 200, "limit:integer,cursor:string"},
    {"POST", "/api/v1/visits", "VisitInput", "Visit", false, 201, NULL},
    {"GET", "/api/v1/visits", NULL, "Visit", true, 200,
     "person_id:integer,household_id:integer,limit:integer,cursor:string"},
    {"GET", "/api/v1/visits/due", NULL, "VisitDue", true, 200, "state:string"},
    {"GET", "/api/v1/visits/rules", NULL, "VisitRule", true, 200, NULL},
    /* issue 6: deliberation and disclosure */
    {"POST", "/api/v1/topics", "TopicInput", "Topic", false, 201, NULL},
    {"GET", "/api/v1/topics", NULL, "Topic", true, 200,
     "org_id:integer,status:string,board:boolean,mine:boolean,limit:integer,cursor:string"},
    {"GET", "/api/v1/topics/{id}", NULL, "Topic", false, 200, NULL},
    {"POST", "/api/v1/topics/{id}/actions", "TopicAction", "Topic", false, 200, NULL},
    {"POST", "/api/v1/topics/{id}/supports", NULL, "Topic", false, 200, NULL},
    {"POST", "/api/v1/topics/{id}/votes", "VoteInput", "Topic", false, 200, NULL},
    {"POST", "/api/v1/topics/{id}/ratings", "RatingInput", "Topic", false, 200, NULL},
    {"POST", "/api/v1/disclosures", "DisclosureInput", "Disclosure", false, 201, NULL},
    {"GET", "/api/v1/disclosures", NULL, "Disclosure", true, 200,
     "org_id:integer,kind:string,period:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/disclosures/{id}", NULL, "Disclosure", false, 200, NULL},
    {"GET", "/api/v1/board", NULL, "Board", false, 200, "org_id:integer,limit:integer"},
    /* issue 6: party organisation, key tasks */
    {"POST", "/api/v1/party/orgs", "PartyOrgInput", "PartyOrg", false, 201, NULL},
    {"GET", "/api/v1/party/orgs", NULL, "PartyOrg", true, 200,
     "org_id:integer,kind:string,parent_id:integer,limit:integer,cursor:string"},
    {"GET", "/api/v1/party/orgs/{id}", NULL, "PartyOrg", false, 200, NULL},
    {"POST", "/api/v1/party/members", "PartyMemberInput", "PartyMember", false, 201, NULL},
    {"GET", "/api/v1/party/members", NULL, "PartyMember", true, 200,
     "party_org_id:integer,limit:integer,cursor:string"},
    {"GET", "/api/v1/party/members/{id}", NULL, "PartyMember", false, 200, NULL},
    {"POST", "/api/v1/party/report-ins", "ReportInInput", "ReportIn", false, 201, NULL},
    {"GET", "/api/v1/party/report-ins", NULL, "ReportIn", true, 200,
     "org_id:integer,member_id:integer,limit:integer,cursor:string"},
    {"POST", "/api/v1/party/covers", "CoverInput", "Cover", false, 201, NULL},
    {"GET", "/api/v1/party/covers", NULL, "Cover", true, 200,
     "org_id:integer,user_id:integer,limit:integer,cursor:string"},
    {"DELETE", "/api/v1/party/covers/{id}", NULL, NULL, false, 204, NULL},
    {"GET", "/api/v1/orgs/{id}/covers", NULL, "Cover", true, 200, NULL},
    {"POST", "/api/v1/party/meetings", "MeetingInput", "Meeting", false, 201, NULL},
    {"GET", "/api/v1/party/meetings", NULL, "Meeting", true, 200,
     "party_org_id:integer,kind:string,from:string,to:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/party/meetings/{id}", NULL, "Meeting", false, 200, NULL},
    {"POST", "/api/v1/party/meetings/{id}/attendance", "AttendanceInput", "Meeting", false, 200,
     NULL},
    {"GET", "/api/v1/party/compliance", NULL, "Compliance", false, 200,
     "org_id:integer,from:string,to:string,intervals:string"},
    {"POST", "/api/v1/tasks", "TaskInput", "Task", false, 201, NULL},
    {"GET", "/api/v1/tasks", NULL, "Task", true, 200,
     "org_id:integer,leader_user_id:integer,color:string,limit:integer,cursor:string"},
    {"GET", "/api/v1/tasks/{id}", NULL, "Task", false, 200, NULL},
    {"PATCH", "/api/v1/tasks/{id}", "TaskInput", "Task", false, 200, NULL},
    {"POST", "/api/v1/tasks/{id}/milestones", "MilestoneInput", "Task", false, 201, NULL},
    {"POST", "/api/v1/tasks/{id}/progress", "ProgressInput", "Task", false, 201, NULL},
    {"POST", "/api/v1/task-milestones/{id}/done", "MilestoneDoneInput", "Task", false, 200, NULL},
    {"GET", "/healthz", NULL, "Health", false, 200, NULL},
    {"GET", "/metrics", NULL, NULL, false, 200, NULL},
    {"GET", "/api/openapi.json", NULL, NULL, false, 200, NULL},
};

static const struct op_doc *doc_of(const struct route *rt)
{
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].method, rt->method) == 0 && strcmp(ops[i].pattern, rt->pattern) == 0)
            return &ops[i];
    return NULL;
}

static json_t *ref(const char *schema)
{
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", schema);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *error_response(const char *desc)
{
    return json_pack("{s:s, s:{s:{s:o}}}", "description", desc, "content", "application/json",
                     "schema", ref("Error"));
}

/* "GET" "/api/v1/events/{id}/actions" -> "post_events_id_actions" */
static void operation_id(const struct route *rt, char *out, size_t sz)
{
    size_t n = 0;
    for (const char *m = rt->method; *m && n + 1 < sz; m++)
        out[n++] = (char)(*m + ('a' - 'A'));
    const char *p = rt->pattern;
    if (strncmp(p, "/api/v1", 7) == 0)
        p += 7;
    for (; *p && n + 1 < sz; p++) {
        char c = *p;
        if (c == '{' || c == '}')
            continue;
        out[n++] = (c == '/' || c == '.' || c == '-') ? '_' : c;
    }
    out[n] = '\0';
}

static json_t *parameters(const struct route *rt, const struct op_doc *d)
{
    json_t *a = json_array();
    if (strstr(rt->pattern, "{id}"))
        json_array_append_new(a,
                              json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id", "in", "path",
                                        "required", 1, "schema", "type", "integer", "minimum", 1));
    if (d && d->query) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", d->query);
        char *save = NULL;
        for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
            char *colon = strchr(item, ':');
            if (!colon)
                continue;
            *colon = '\0';
            const char *type = colon + 1;
            json_t *schema = strcmp(type, "date-time") == 0
                                 ? json_pack("{s:s, s:s}", "type", "string", "format", "date-time")
                                 : json_pack("{s:s}", "type", type);
            json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:o}", "name", item, "in", "query",
                                               "required", 0, "schema", schema));
        }
    }
    return a;
}

static json_t *operation(const struct route *rt)
{
    const struct op_doc *d = doc_of(rt);
    char opid[128];
    operation_id(rt, opid, sizeof opid);
    json_t *op = json_pack("{s:s, s:s, s:[s]}", "summary", rt->summary, "operationId", opid, "tags",
                           rt->tag);
    if (!op)
        return NULL;
    json_t *params = parameters(rt, d);
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);
    if (rt->auth)
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearerAuth"));
    else
        json_object_set_new(op, "security", json_array());
    if (rt->body == BODY_JSON || rt->body == BODY_IMPORT) {
        json_t *schema = d && d->request ? ref(d->request) : json_pack("{s:s}", "type", "object");
        json_object_set_new(
            op, "requestBody",
            json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                      rt->body == BODY_IMPORT ? "application/geo+json" : "application/json",
                      "schema", schema));
        if (rt->body == BODY_IMPORT) {
            json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
            json_object_set_new(content, "application/json",
                                json_pack("{s:{s:s}}", "schema", "type", "object"));
        }
    } else if (rt->body == BODY_SHEET) {
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}, s:{s:{s:s, s:s}}}}", "required", 1,
                                      "content", "text/csv", "schema", "type", "string",
                                      HTTP_XLSX_TYPE, "schema", "type", "string", "format",
                                      "binary"));
    } else if (rt->body == BODY_IMAGE) {
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}}}", "required",
                                      1, "content", "image/jpeg", "schema", "type", "string",
                                      "format", "binary", "image/png", "schema", "type", "string",
                                      "format", "binary"));
    }
    int status = d ? d->status : 200;
    json_t *ok = json_pack("{s:s}", "description", "success");
    if (d && d->response) {
        json_t *schema =
            d->list ? json_pack("{s:s, s:{s:{s:s, s:o}, s:{s:s, s:b}}}", "type", "object",
                                "properties", "items", "type", "array", "items", ref(d->response),
                                "next_cursor", "type", "string", "nullable", 1)
                    : ref(d->response);
        json_object_set_new(ok, "content",
                            json_pack("{s:{s:o}}", "application/json", "schema", schema));
    } else if (strcmp(rt->pattern, "/api/v1/attachments/{id}") == 0) {
        json_object_set_new(ok, "content",
                            json_pack("{s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}}", "image/jpeg",
                                      "schema", "type", "string", "format", "binary", "image/png",
                                      "schema", "type", "string", "format", "binary"));
    } else if (strcmp(rt->pattern, "/metrics") == 0) {
        json_object_set_new(ok, "content",
                            json_pack("{s:{s:{s:s}}}", "text/plain", "schema", "type", "string"));
    } else if (strcmp(rt->pattern, "/api/openapi.json") == 0 || strstr(rt->pattern, "boundary")) {
        json_object_set_new(
            ok, "content",
            json_pack("{s:{s:{s:s}}}", "application/json", "schema", "type", "object"));
    }
    char st[8];
    snprintf(st, sizeof st, "%d", status);
    json_t *responses = json_object();
    json_object_set_new(responses, st, ok);
    if (rt->body != BODY_NONE) {
        json_object_set_new(responses, "400", error_response("malformed request"));
        json_object_set_new(responses, "413", error_response("body too large"));
        json_object_set_new(responses, "415", error_response("unsupported content type"));
    }
    if (rt->auth) {
        json_object_set_new(responses, "401", error_response("no or expired token"));
        json_object_set_new(responses, "403", error_response("outside the caller's role or scope"));
    }
    if (strstr(rt->pattern, "{id}") || strstr(rt->pattern, "locate"))
        json_object_set_new(responses, "404", error_response("not found"));
    if (strcmp(rt->method, "GET") != 0)
        json_object_set_new(responses, "409", error_response("not allowed now, or a duplicate"));
    json_object_set_new(responses, "422", error_response("well-formed but invalid"));
    if (strstr(rt->pattern, "login"))
        json_object_set_new(responses, "429", error_response("too many failed logins"));
    json_object_set_new(op, "responses", responses);
    return op;
}

static void set_enum(json_t *schemas, const char *schema, const char *prop,
                     const char *(*name)(int), int count)
{
    json_t *s = json_object_get(schemas, schema);
    json_t *props = json_object_get(s, "properties");
    if (!props) { /* allOf */
        json_t *all = json_object_get(s, "allOf");
        props = json_object_get(json_array_get(all, 1), "properties");
    }
    json_t *p = json_object_get(props, prop);
    if (!p)
        return;
    json_t *e = json_array();
    for (int i = 0; i < count; i++) {
        const char *n = name(i);
        if (n)
            json_array_append_new(e, json_string(n));
    }
    json_object_set_new(p, "enum", e);
}

/* adaptors from the typed name tables to one shape */
static const char *n_role(int i)
{
    return role_id((enum role)i);
}
static const char *n_kind(int i)
{
    return org_kind_id((enum org_kind)i);
}
static const char *n_cat_kind(int i)
{
    return cat_kind_id((enum cat_kind)i);
}
static const char *n_list(int i)
{
    return cat_list_id((enum cat_list)i);
}
static const char *n_level(int i)
{
    return level_id((enum level)i);
}
static const char *n_clock(int i)
{
    return clock_id((enum clock_kind)i);
}
static const char *n_status(int i)
{
    return event_status_id((enum event_status)i);
}
static const char *n_action(int i)
{
    return event_action_id((enum event_action)i);
}
static const char *n_source(int i)
{
    return source_id((enum event_source)i);
}
static const char *n_color(int i)
{
    return color_id((enum color)i);
}
static const char *n_rating(int i)
{
    return rating_id((enum rating)i);
}

static const char *n_gender(int i)
{
    return gender_id((enum gender)i);
}
static const char *n_hh_color(int i)
{
    return hh_color_id((enum hh_color)i);
}
static const char *n_use(int i)
{
    return house_use_id((enum house_use)i);
}
static const char *n_occupancy(int i)
{
    return occupancy_id((enum occupancy)i);
}
static const char *n_service_status(int i)
{
    return service_status_id((enum service_status)i);
}
static const char *n_service_action(int i)
{
    return service_action_id((enum service_action)i);
}
static const char *n_points_source(int i)
{
    return points_source_id((enum points_source)i);
}

static void add_enums(json_t *s)
{
    set_enum(s, "User", "role", n_role, ROLE__COUNT);
    set_enum(s, "UserInput", "role", n_role, ROLE__COUNT);
    set_enum(s, "Org", "kind", n_kind, ORG_KIND__COUNT);
    set_enum(s, "OrgInput", "kind", n_kind, ORG_KIND__COUNT);
    set_enum(s, "OrgBrief", "kind", n_kind, ORG_KIND__COUNT);
    set_enum(s, "Category", "kind", n_cat_kind, CAT_KIND__COUNT);
    set_enum(s, "Category", "list", n_list, CAT_LIST__COUNT);
    set_enum(s, "Category", "handler_level", n_level, LEVEL__COUNT);
    set_enum(s, "Category", "clock", n_clock, CLOCK__COUNT);
    set_enum(s, "Event", "status", n_status, EVENT_STATUS__COUNT);
    set_enum(s, "Event", "source", n_source, SOURCE__COUNT);
    set_enum(s, "Event", "color", n_color, COLOR__COUNT);
    set_enum(s, "Event", "level", n_level, LEVEL__COUNT);
    set_enum(s, "Event", "closing_level", n_level, LEVEL__COUNT);
    set_enum(s, "Event", "rating", n_rating, RATING__COUNT);
    set_enum(s, "EventInput", "source", n_source, SOURCE__COUNT);
    set_enum(s, "TimelineEntry", "action", n_action, EVENT_ACTION__COUNT);
    set_enum(s, "TimelineEntry", "from_status", n_status, EVENT_STATUS__COUNT);
    set_enum(s, "TimelineEntry", "to_status", n_status, EVENT_STATUS__COUNT);
    set_enum(s, "ActionInput", "action", n_action, EVENT_ACTION__CLIENT_COUNT);
    set_enum(s, "ActionInput", "rating", n_rating, RATING__COUNT);
    /* issue 6 */
    set_enum(s, "Person", "gender", n_gender, GENDER__COUNT);
    set_enum(s, "PersonInput", "gender", n_gender, GENDER__COUNT);
    set_enum(s, "Household", "color", n_hh_color, HH_COLOR__COUNT);
    set_enum(s, "HouseholdInput", "color", n_hh_color, HH_COLOR__COUNT);
    set_enum(s, "House", "use", n_use, HOUSE_USE__COUNT);
    set_enum(s, "HouseInput", "use", n_use, HOUSE_USE__COUNT);
    set_enum(s, "House", "occupancy", n_occupancy, OCC__COUNT);
    set_enum(s, "HouseInput", "occupancy", n_occupancy, OCC__COUNT);
    const char *tagged[] = {"Person", "PersonInput"};
    for (size_t i = 0; i < 2; i++) {
        json_t *items = json_object_get(
            json_object_get(json_object_get(json_object_get(s, tagged[i]), "properties"), "tags"),
            "items");
        json_t *e = json_array();
        for (int t = 0; t < TAG__COUNT; t++)
            json_array_append_new(e, json_string(person_tag_id((enum person_tag)t)));
        json_object_set_new(items, "enum", e);
    }
    set_enum(s, "ServiceOrder", "status", n_service_status, SERVICE_STATUS__COUNT);
    set_enum(s, "ServiceActionInput", "action", n_service_action, SERVICE_ACTION__CLIENT_COUNT);
    set_enum(s, "PointsEntry", "source", n_points_source, POINTS_SOURCE__COUNT);
}

static json_t *build(void)
{
    json_error_t je;
    json_t *schemas = json_loads(schemas_text, 0, &je);
    if (!schemas) {
        gg_errlog("openapi schemas: %s at %d:%d", je.text, je.line, je.column);
        return NULL;
    }
    add_enums(schemas);
    json_t *paths = json_object();
    json_t *tags = json_array();
    for (size_t i = 0; i < http_n_routes; i++) {
        const struct route *rt = &http_routes[i];
        json_t *item = json_object_get(paths, rt->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, rt->pattern, item);
        }
        char m[8];
        size_t k = 0;
        for (; rt->method[k] && k + 1 < sizeof m; k++)
            m[k] = (char)(rt->method[k] + ('a' - 'A'));
        m[k] = '\0';
        json_object_set_new(item, m, operation(rt));
        bool seen = false;
        size_t t;
        json_t *v;
        json_array_foreach(tags, t, v)
        {
            if (strcmp(json_string_value(json_object_get(v, "name")), rt->tag) == 0)
                seen = true;
        }
        if (!seen)
            json_array_append_new(tags, json_pack("{s:s}", "name", rt->tag));
    }
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:o, s:{s:o, s:{s:{s:s, s:s}}}}",
                     "openapi", "3.0.3", "info", "title", "gridgov API", "version", "1",
                     "description",
                     "Grid-based grassroots governance (网格化基层治理). Errors are always "
                     "{\"error\": {\"code\", \"message\", \"field\"}}; lists are {\"items\", "
                     "\"next_cursor\"}; timestamps RFC 3339 UTC.",
                     "servers", "url", "/", "tags", tags, "paths", paths, "components", "schemas",
                     schemas, "securitySchemes", "bearerAuth", "type", "http", "scheme", "bearer");
}

static json_t *the_doc;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_doc(void)
{
    the_doc = build();
}

json_t *openapi_document(void)
{
    pthread_once(&once, init_doc);
    return the_doc ? json_incref(the_doc) : NULL;
}
