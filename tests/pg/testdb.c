/* testdb.c - see testdb.h. Talks to the server with libpq directly: it is test code, the
 * product's SQL stays in src/store. */
#include "testdb.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *testdb_server(void)
{
    const char *s = getenv("GRIDGOV_TEST_PG");
    return s && *s ? s : NULL;
}

int testdb_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: connect: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "testdb: %s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

static void admin_url(char *out, size_t sz)
{
    snprintf(out, sz, "%s/postgres", testdb_server());
}

int testdb_create(const char *prefix, char *url, size_t sz, char name[64])
{
    static int counter;
    char admin[512], sql[160];
    if (!testdb_server())
        return -1;
    snprintf(name, 64, "%s_%d_%d", prefix, (int)getpid(), ++counter);
    admin_url(admin, sizeof admin);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    if (testdb_exec(admin, sql))
        return -1;
    snprintf(url, sz, "%s/%s", testdb_server(), name);
    return 0;
}

void testdb_drop(const char *name)
{
    char admin[512], sql[160];
    if (!testdb_server() || !name[0])
        return;
    admin_url(admin, sizeof admin);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    testdb_exec(admin, sql);
}
