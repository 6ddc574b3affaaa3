/* testdb.h - fresh PostgreSQL databases for the tests that run on both backends. When the
 * environment names a server (GRIDGOV_TEST_PG=postgres://user:pw@host:port, no database; CTest
 * sets it for the *_pg entries, tests/pg/cluster.sh starts the server), each test gets a new
 * database of its own and drops it afterwards; otherwise the tests use SQLite files. */
#ifndef GG_TESTS_PG_TESTDB_H
#define GG_TESTS_PG_TESTDB_H

#include <stdbool.h>
#include <stddef.h>

/* The server's base URL, or NULL when the tests run on SQLite. */
const char *testdb_server(void);
/* Creates a new empty database; url[sz] gets its postgres:// URL, name[64] its name.
 * Returns 0, or -1 (message on stderr). */
int testdb_create(const char *prefix, char *url, size_t sz, char name[64]);
/* Drops the database (ends its remaining sessions first). */
void testdb_drop(const char *name);
/* Runs SQL on the database at url, as an intruder with direct access would. 0 on success. */
int testdb_exec(const char *url, const char *sql);

#endif
