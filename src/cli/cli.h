/* cli.h - what the subcommand files of the gridgov command line share: the option parser, the
 * exit codes, opening the application, serving until a signal, and the demo city builder.
 * Each subcommand lives in its own file and is listed once in main.c's table. */
#ifndef GG_CLI_CLI_H
#define GG_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#ifndef GG_VERSION
#define GG_VERSION "0.1.0"
#endif

/* Exit codes: 0 success, 1 the command failed, 2 the command line was wrong. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* One option of a subcommand. Options take a value (`--db PATH` or `--db=PATH`) unless `flag`
 * is set, in which case they are booleans. Values are borrowed from argv. */
struct cli_opt {
    const char *name; /* without the leading "--" */
    const char **value;
    bool *flag;
};

struct cli_cmd {
    const char *name;
    const char *sub; /* second word ("add" of "user add"), NULL when none */
    int (*run)(const struct cli_cmd *cmd, int argc, char **argv);
    const char *usage;   /* the synopsis line(s) after "usage: " */
    const char *summary; /* one line for the command list */
};

/* Parses argv (the arguments after the command words) against opts; positional arguments go
 * to pos[max_pos]. "--help"/"-h" prints the usage to stdout and returns -1 (the caller exits
 * 0). An unknown option, a missing value or too many positional arguments print one line and
 * the usage to stderr and return CLI_USAGE. */
int cli_parse(const struct cli_cmd *cmd, int argc, char **argv, const struct cli_opt *opts,
              const char **pos, int max_pos, int *n_pos);
/* Prints "usage: …" for cmd to stderr and returns CLI_USAGE. */
int cli_usage_error(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "gridgov <cmd>: <message>" (with the error's field when set) to stderr, returns
 * CLI_FAIL. */
int cli_fail(const struct cli_cmd *cmd, const struct gg_error *err, const char *what);
/* Parses a non-negative decimal integer option; false when malformed or out of range. */
bool cli_parse_int(const char *s, long long min, long long max, long long *out);
/* "gridgov user add" etc. for messages */
const char *cli_cmd_title(const struct cli_cmd *cmd, char *buf, size_t sz);

/* Opens the application on `db` (sweep as asked); on failure prints the error and returns
 * CLI_FAIL. */
int cli_open(const struct cli_cmd *cmd, const char *db, bool sweep, struct app **out);
/* db as it may be printed: a postgres:// URL's password replaced by "***" (into buf[sz] when
 * needed; otherwise db itself is returned). */
const char *cli_db_shown(const char *db, char *buf, size_t sz);
/* A random password that passes the policy (16 characters), into out[17]. */
void cli_random_password(char out[17]);
/* True when the database already holds an account named `username`. */
bool cli_user_exists(struct app *a, const char *username);

/* Starts the HTTP server on `a`, prints the URL on stdout, waits for SIGINT or SIGTERM, stops
 * the server. The caller has blocked those signals (cli_block_signals) before app_open so that
 * no other thread takes them. Returns an exit code. */
int cli_serve_until_signal(const struct cli_cmd *cmd, struct app *a, const char *listen,
                           int threads, const char *web_dir);
void cli_block_signals(void);

/* ---- the demo city (demo.c) ---- */
struct demo_account {
    enum role role;
    char username[GG_MAX_USERNAME + 1];
    const char *password; /* static */
    char scope_code[GG_CODE_SZ];
    char scope_name[GG_NAME_SZ];
};

struct demo_report {
    int64_t n_orgs, n_streets, n_communities, n_grids, n_departments, households;
    int64_t n_users;
    int64_t n_events;
    int64_t n_failed_steps; /* workflow steps the use cases refused (reported on stderr) */
    int64_t by_status[EVENT_STATUS__COUNT];
    /* issue 6: 议事协商 and 公开栏, 党组织 with members, 双报到, 三级包保, 三会一课, 重点任务 */
    int64_t n_topics, n_disclosures, n_party_orgs, n_party_members, n_report_ins, n_covers;
    int64_t n_meetings, n_tasks;
    double secs_orgs, secs_users, secs_events, secs_civic;
};

/* The district code the demo city uses: its presence means the demo data is there. */
#define DEMO_DISTRICT_CODE "220104"

/* True when the demo district already exists in the database. */
bool demo_present(struct app *a);
/* Builds the demo city into an initialised database (app_init done): district, streets,
 * communities, grids with boundaries, departments, one account per role and scope, about
 * 2,000 past events driven through the real use cases, and the issue 6 data (people, service
 * orders, points, visits, topics, disclosures, the party organisation, key tasks). Deterministic
 * for a given seed and "now". Progress goes to stderr. */
int demo_build(struct app *a, uint64_t seed, int64_t now, struct demo_report *rep,
               struct gg_error *err);
/* The demo accounts (static table built on first call), for printing. admin_password is what
 * to show for `admin` (NULL: "(unchanged)"). */
void demo_print_accounts(const char *admin_password);

/* Adds a synthetic district of n_grids grids (25 per community, 8 communities per street) with
 * lattice boundaries beside the demo city, for benchmarks; *created gets the grid count. */
int demo_build_grids(struct app *a, int n_grids, uint64_t seed, int64_t now, int *created,
                     struct gg_error *err);

/* A small deterministic PRNG (splitmix64 + xorshift) shared by demo and gen. */
struct cli_rng {
    uint64_t s;
};
void cli_rng_seed(struct cli_rng *r, uint64_t seed);
uint64_t cli_rng_next(struct cli_rng *r);
/* uniform in [0, n) ; n > 0 */
uint32_t cli_rng_below(struct cli_rng *r, uint32_t n);
/* uniform in [0, 1) */
double cli_rng_unit(struct cli_rng *r);

/* ---- subcommands ---- */
int cmd_init(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_user_add(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_serve(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_demo(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_gen(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_backup(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_audit_verify(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_migrate(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_copy(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_import_orgs(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_import_categories(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_import_people(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_export_events(const struct cli_cmd *cmd, int argc, char **argv);
int cmd_stats_rebuild(const struct cli_cmd *cmd, int argc, char **argv); /* cmd_stats.c */

#endif
