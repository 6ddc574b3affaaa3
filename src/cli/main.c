/* main.c - the gridgov command line: one table of subcommands (API.md "Command line") and the
 * dispatch to them. Each subcommand parses its own options and lives in its own file; this file
 * only finds it, and prints the overall help and version. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cli_cmd commands[] = {
    {"init", NULL, cmd_init, "gridgov init --db DB [--admin-password P]",
     "create the schema, the default catalog and the `admin` account"},
    {"serve", NULL, cmd_serve,
     "gridgov serve --db DB [--listen 127.0.0.1:8080] [--threads N] [--web DIR]",
     "serve the API and the web console until SIGINT or SIGTERM"},
    {"demo", NULL, cmd_demo,
     "gridgov demo [--db demo/gridgov.db] [--listen 127.0.0.1:8080] [--threads N] [--web DIR] "
     "[--seed S]",
     "init + a synthetic demo city (if missing) + serve"},
    {"gen", NULL, cmd_gen,
     "gridgov gen --db DB [--grids N] [--residents N] --events N [--seed S]",
     "synthetic data for benchmarks (grids into a new district, events into existing grids)"},
    {"import", "orgs", cmd_import_orgs, "gridgov import orgs --db DB FILE.geojson",
     "import org nodes and grid boundaries (GeoJSON FeatureCollection; all or nothing)"},
    {"import", "categories", cmd_import_categories, "gridgov import categories --db DB FILE.tsv",
     "import matter categories (the TSV format of data/catalog.tsv; all or nothing)"},
    {"import", "people", cmd_import_people, "gridgov import people --db DB FILE.csv|FILE.xlsx",
     "import people and their households (CSV or XLSX; all or nothing, per-row error report)"},
    {"export", "events", cmd_export_events,
     "gridgov export events --db DB --format csv|xlsx --out FILE",
     "export the event ledger (台账)"},
    {"stats", "rebuild", cmd_stats_rebuild, "gridgov stats rebuild --db DB",
     "recompute the analysis counters from the events"},
    {"backup", NULL, cmd_backup, "gridgov backup --db DB --to FILE",
     "consistent copy of the database while it may be in use"},
    {"audit", "verify", cmd_audit_verify, "gridgov audit verify --db DB",
     "check the hash chain of the audit log (exit 1 when broken)"},
    {"user", "add", cmd_user_add,
     "gridgov user add --db DB --username U --role ROLE --scope ORG_CODE [--password P] "
     "[--display-name NAME]",
     "create an account (roles: admin command leader staff grid_officer handler member "
     "resident)"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *f)
{
    fprintf(f, "gridgov %s - grid-based grassroots governance server (网格化基层治理平台)\n\n",
            GG_VERSION);
    fprintf(f, "usage: gridgov COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char title[64];
        snprintf(title, sizeof title, "%s%s%s", commands[i].name, commands[i].sub ? " " : "",
                 commands[i].sub ? commands[i].sub : "");
        fprintf(f, "  %-19s %s\n", title, commands[i].summary);
    }
    fprintf(f, "\nDB is a file path (SQLite). `gridgov COMMAND --help` shows a command's options.\n"
               "Other options: --help, --version.\n");
}

static bool is_help(const char *s)
{
    return strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0 || strcmp(s, "help") == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (is_help(name)) {
        print_help(stdout);
        return CLI_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 ||
        strcmp(name, "version") == 0) {
        printf("gridgov %s\n", GG_VERSION);
        return CLI_OK;
    }
    bool known_name = false;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const struct cli_cmd *c = &commands[i];
        if (strcmp(c->name, name) != 0)
            continue;
        known_name = true;
        if (!c->sub)
            return c->run(c, argc - 2, argv + 2);
        if (argc >= 3 && strcmp(argv[2], c->sub) == 0)
            return c->run(c, argc - 3, argv + 3);
    }
    if (known_name) {
        /* a command with subcommands: list them */
        bool help = argc >= 3 && is_help(argv[2]);
        FILE *f = help ? stdout : stderr;
        if (!help)
            fprintf(stderr, "gridgov %s: %s%s\n", name,
                    argc >= 3 ? "unknown subcommand " : "missing subcommand",
                    argc >= 3 ? argv[2] : "");
        fprintf(f, "usage:\n");
        for (size_t i = 0; i < N_COMMANDS; i++)
            if (strcmp(commands[i].name, name) == 0)
                fprintf(f, "  %s\n", commands[i].usage);
        return help ? CLI_OK : CLI_USAGE;
    }
    fprintf(stderr, "gridgov: unknown command '%s'\n\n", name);
    print_help(stderr);
    return CLI_USAGE;
}
