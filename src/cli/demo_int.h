/* demo_int.h - what demo.c shares with demo_civic.c: the demo city's ids and names, the demo
 * accounts by username, and the count of refused steps. Internal to the demo builder. */
#ifndef GG_CLI_DEMO_INT_H
#define GG_CLI_DEMO_INT_H

#include "cli/cli.h"

/* The account of the demo table named `username` once it exists, else NULL. */
const struct actor *demo_user_actor(const char *username);
/* 0 when rc is 0; else prints "gridgov demo: <what> refused: <message>" and returns 1. */
int64_t demo_count_failed(int rc, const char *what, struct gg_error *e);

struct demo_civic_city {
    int64_t district_id;
    const int64_t *street_ids; /* n_streets */
    const char *const *street_names;
    int n_streets;
    const int64_t *comm_ids; /* n_comms, street s owns comms_per_street from s * that */
    const char *const *comm_names;
    int n_comms, comms_per_street;
    const int64_t *grid_ids; /* grids_per_comm per community, in order */
    int grids_per_comm;
    const int64_t *ddept_ids; /* the district's departments */
    const char *const *ddept_names;
    const char *const *ddept_users; /* their handler accounts, to find a department by kind */
    int n_ddepts;
    const struct actor *admin;
    const int64_t *party_people; /* person ids of the party members of 幸福社区第1网格 */
    size_t n_party_people;
};

struct demo_civic_report {
    int64_t topics, disclosures, party_orgs, members, report_ins, covers, meetings, tasks;
    int64_t failed;
    double secs;
};

/* Topics and disclosures (议事协商, 公开栏), the party organisation with its members, report-ins,
 * cover links and a year of meetings, and key tasks (demo_civic.c). */
void demo_civic(struct app *a, const struct demo_civic_city *c, int64_t now,
                struct demo_civic_report *rep);

#endif
