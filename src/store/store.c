/* store.c - picks a backend from the URL and holds what every backend shares: the canonical
 * text of an audit entry and its SHA-256. Not a backend itself, and no SQL here. */
#include "store/store.h"
#include "store/pg/pg_db.h"
#include "store/sqlite/sqlite_db.h"

#include "base/log.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int store_open(const char *url, struct store **out, struct gg_error *err)
{
    if (!url || !*url)
        return gg_error_set(err, GG_EINVAL, "database", "no database given");
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return pg_db_open(url, out, err);
    return sqlite_db_open(url, out, err);
}

size_t store_audit_canonical(const struct audit_entry *e, char *out, size_t sz)
{
    if (sz == 0)
        return 0;
    int n = snprintf(out, sz, "%lld|%lld|%lld|%s|%s|%lld|%s|%s", (long long)e->id,
                     (long long)e->at, (long long)e->actor_id, e->action, e->object_type,
                     (long long)e->object_id, e->detail, e->prev_hash);
    if (n < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)n < sz ? (size_t)n : sz - 1;
}

/* crypto_hash_sha256 does not depend on it, but libsodium asks for sodium_init() before use;
 * a failure there (no entropy source) cannot affect hashing, so it is only logged. */
static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static void sodium_start(void)
{
    if (sodium_init() < 0)
        gg_warn("sodium_init failed");
}

void store_sha256_hex(const void *data, size_t n, char hex[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    pthread_once(&sodium_once, sodium_start);
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(hex, 65, h, sizeof h);
}
