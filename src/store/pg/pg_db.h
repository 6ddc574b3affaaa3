/* pg_db.h - the PostgreSQL backend's one public entry point, used by store_open(). */
#ifndef GG_STORE_PG_DB_H
#define GG_STORE_PG_DB_H

#include "store/store.h"

/* Connects to the database named by a postgres:// or postgresql:// URL (libpq syntax: user,
 * password, host, port, database and ?options such as sslmode). One connection is used by one
 * thread at a time; open one per thread. A connection lost while idle (a server restart) is
 * re-established on the next call. Returns 0 and *out, or a negative GG_E* with err holding
 * one line for the operator (where, and why: refused, bad password, no such database); the
 * URL's password is never repeated. */
int pg_db_open(const char *url, struct store **out, struct gg_error *err);

#endif
