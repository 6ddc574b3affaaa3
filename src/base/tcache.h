/* tcache.h - a small fixed-size cache of copies with a time to live, safe across threads.
 *
 * Direct-mapped: each key hashes to one slot and a newer entry simply replaces an older one, so
 * memory is fixed at creation and a lookup is one hash, one lock and one copy. Used by app/ for
 * what every request reads and rarely changes (sessions, display names); a miss only means a
 * trip to the database. Keys are at most GG_TCACHE_KEY bytes. */
#ifndef GG_BASE_TCACHE_H
#define GG_BASE_TCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GG_TCACHE_KEY 64

struct gg_tcache;

/* slots: rounded up to a power of two; ttl_ms: how long an entry is served after put. */
struct gg_tcache *gg_tcache_new(size_t slots, size_t value_size, int64_t ttl_ms);
void gg_tcache_free(struct gg_tcache *c);
/* Copies the live value for key into out and returns true; false when absent or expired. */
bool gg_tcache_get(struct gg_tcache *c, const void *key, size_t klen, void *out);
/* The cache's generation: take it before reading the value from its source, and pass it to put,
 * so that a value read before a clear() is never stored after it. */
uint64_t gg_tcache_gen(struct gg_tcache *c);
void gg_tcache_put(struct gg_tcache *c, const void *key, size_t klen, const void *value,
                   uint64_t gen);
void gg_tcache_del(struct gg_tcache *c, const void *key, size_t klen);
/* Forgets every entry: nothing put before the call, or read from its source before it, is
 * served afterwards. */
void gg_tcache_clear(struct gg_tcache *c);

#endif
