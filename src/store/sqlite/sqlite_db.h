/* sqlite_db.h - the SQLite backend's one public entry point, used by store_open(). */
#ifndef GG_STORE_SQLITE_DB_H
#define GG_STORE_SQLITE_DB_H

#include "store/store.h"

/* Opens (creating if missing) the SQLite database file at `path` with the connection settings
 * the server relies on (WAL, synchronous=FULL, foreign keys, busy timeout). One connection is
 * used by one thread at a time; open one per thread. Returns 0 and *out, or a negative GG_E*
 * with err filled (the native message is logged, not put in err). */
int sqlite_db_open(const char *path, struct store **out, struct gg_error *err);
/* Syncs of WAL files through the gridgov VFS since the process started: left to the caller's
 * log_sync (deferred), made although deferring because a new WAL header was written (header),
 * and made outside a deferring commit (real). For the tests. */
void sqlite_vfs_wal_syncs(long *real, long *deferred, long *header);

#endif
