/* tcache.c - see tcache.h. One mutex per 64 slots keeps contention low without a lock per
 * slot; clear() bumps a generation instead of touching every slot. */
#include "base/tcache.h"

#include "base/time.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define STRIPE 64

struct slot {
    unsigned char key[GG_TCACHE_KEY];
    size_t klen; /* 0 = empty */
    uint64_t gen;
    uint64_t expires_ns;
};

struct gg_tcache {
    size_t mask;
    size_t value_size;
    uint64_t ttl_ns;
    atomic_uint_fast64_t gen;
    struct slot *slots;
    unsigned char *values; /* value_size bytes per slot */
    pthread_mutex_t *locks; /* one per STRIPE slots */
    size_t n_locks;
};

struct gg_tcache *gg_tcache_new(size_t slots, size_t value_size, int64_t ttl_ms)
{
    size_t n = STRIPE;
    while (n < slots)
        n <<= 1;
    struct gg_tcache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->mask = n - 1;
    c->value_size = value_size;
    c->ttl_ns = (uint64_t)(ttl_ms > 0 ? ttl_ms : 0) * 1000000u;
    atomic_init(&c->gen, 1);
    c->slots = calloc(n, sizeof *c->slots);
    c->values = calloc(n, value_size ? value_size : 1);
    c->n_locks = n / STRIPE;
    c->locks = calloc(c->n_locks, sizeof *c->locks);
    if (!c->slots || !c->values || !c->locks) {
        free(c->slots);
        free(c->values);
        free(c->locks);
        free(c);
        return NULL;
    }
    for (size_t i = 0; i < c->n_locks; i++)
        pthread_mutex_init(&c->locks[i], NULL);
    return c;
}

void gg_tcache_free(struct gg_tcache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_locks; i++)
        pthread_mutex_destroy(&c->locks[i]);
    free(c->slots);
    free(c->values);
    free(c->locks);
    free(c);
}

static size_t slot_of(const struct gg_tcache *c, const void *key, size_t klen)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    const unsigned char *p = key;
    for (size_t i = 0; i < klen; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return (size_t)(h ^ (h >> 29)) & c->mask;
}

/* Locks the slot of key and returns it (its index in *idx), or NULL for an unusable key. */
static struct slot *lock_slot(struct gg_tcache *c, const void *key, size_t klen, size_t *idx)
{
    if (!c || klen == 0 || klen > GG_TCACHE_KEY)
        return NULL;
    *idx = slot_of(c, key, klen);
    pthread_mutex_lock(&c->locks[*idx / STRIPE]);
    return &c->slots[*idx];
}

static void unlock_slot(struct gg_tcache *c, size_t idx)
{
    pthread_mutex_unlock(&c->locks[idx / STRIPE]);
}

static bool same_key(const struct slot *s, const void *key, size_t klen)
{
    return s->klen == klen && memcmp(s->key, key, klen) == 0;
}

bool gg_tcache_get(struct gg_tcache *c, const void *key, size_t klen, void *out)
{
    size_t i;
    uint64_t now = gg_time_mono_ns();
    struct slot *s = lock_slot(c, key, klen, &i);
    if (!s)
        return false;
    bool hit = same_key(s, key, klen) && s->gen == atomic_load(&c->gen) && now < s->expires_ns;
    if (hit)
        memcpy(out, c->values + i * c->value_size, c->value_size);
    unlock_slot(c, i);
    return hit;
}

uint64_t gg_tcache_gen(struct gg_tcache *c)
{
    return c ? atomic_load(&c->gen) : 0;
}

void gg_tcache_put(struct gg_tcache *c, const void *key, size_t klen, const void *value,
                   uint64_t gen)
{
    size_t i;
    struct slot *s = lock_slot(c, key, klen, &i);
    if (!s)
        return;
    if (gen == atomic_load(&c->gen)) { /* else cleared since the value was read */
        memcpy(s->key, key, klen);
        s->klen = klen;
        s->gen = gen;
        s->expires_ns = gg_time_mono_ns() + c->ttl_ns;
        memcpy(c->values + i * c->value_size, value, c->value_size);
    }
    unlock_slot(c, i);
}

void gg_tcache_del(struct gg_tcache *c, const void *key, size_t klen)
{
    size_t i;
    struct slot *s = lock_slot(c, key, klen, &i);
    if (!s)
        return;
    if (same_key(s, key, klen))
        s->klen = 0;
    unlock_slot(c, i);
}

void gg_tcache_clear(struct gg_tcache *c)
{
    if (c)
        atomic_fetch_add(&c->gen, 1);
}
