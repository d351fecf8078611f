/* hmap.c - tz_hmap: string-keyed open-addressing hash map (see hmap.h). */
#include "util/hmap.h"
#include "util/arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HMAP_HUGE ((size_t)2 << 20) /* a slot array this size or more is mapped on its own */

typedef struct hmap_slot {
    const char *key;  /* in the arena; NULL when the slot is free */
    const char *sval; /* in the arena, or NULL */
    long long ival;   /* the integer value */
    uint64_t hash;    /* hash of key */
} hmap_slot;

struct tz_hmap {
    hmap_slot *slots; /* cap slots */
    size_t cap;       /* a power of two */
    size_t n;         /* entries */
    tz_arena arena;   /* the keys and strings */
};

/* cap zeroed slots. An array of HMAP_HUGE bytes or more (an import's maps
 * of 100 000 keys and up) is mapped on its own, aligned and marked for
 * transparent huge pages where the kernel offers them: filling such an
 * array faulted in one 4 KiB page per few keys, and page faults were 8%
 * of an import. NULL when out of memory. */
static hmap_slot *_slots_new(size_t cap)
{
    size_t bytes = cap * sizeof(hmap_slot);
    if (bytes < HMAP_HUGE)
        return calloc(cap, sizeof(hmap_slot));
    size_t span = bytes + HMAP_HUGE;
    char *p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    uintptr_t at = ((uintptr_t)p + HMAP_HUGE - 1) & ~(uintptr_t)(HMAP_HUGE - 1);
    char *a = (char *)at;
    /* the unaligned head and the tail past the array go back */
    if (a > p)
        munmap(p, (size_t)(a - p));
    if ((size_t)(a - p) + bytes < span)
        munmap(a + bytes, span - (size_t)(a - p) - bytes);
#ifdef MADV_HUGEPAGE
    (void)madvise(a, bytes, MADV_HUGEPAGE); /* a hint: refused is fine */
#endif
    return (hmap_slot *)a;
}

/* Frees an array _slots_new(cap) gave. */
static void _slots_free(hmap_slot *s, size_t cap)
{
    size_t bytes = cap * sizeof(hmap_slot);
    if (bytes < HMAP_HUGE)
        free(s);
    else if (s)
        munmap(s, bytes);
}

static uint64_t _hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    h ^= h >> 29; /* spread the high bits into the low ones the mask keeps */
    return h;
}

/* Copies s into the arena. Returns the copy, or NULL when out of memory. */
static const char *_intern(tz_hmap *m, const char *s)
{
    return tz_arena_dup(&m->arena, s, strlen(s));
}

tz_hmap *tz_hmap_new(void)
{
    tz_hmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    if (!(m->slots = _slots_new(m->cap))) {
        free(m);
        return NULL;
    }
    return m;
}

void tz_hmap_free(tz_hmap *m)
{
    if (!m)
        return;
    tz_arena_free(&m->arena);
    _slots_free(m->slots, m->cap);
    free(m);
}

/* The slot holding key (its hash h), or the free slot where it would go. */
static size_t _find(const tz_hmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->slots[i].key && (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
        i = (i + 1) & mask;
    return i;
}

/* Moves the entries into ncap slots (a power of two, room for them all).
 * Returns 0 or -1 when out of memory (unchanged). */
static int _resize(tz_hmap *m, size_t ncap)
{
    hmap_slot *ns = _slots_new(ncap);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = (size_t)m->slots[i].hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    _slots_free(m->slots, m->cap);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

/* Doubles the table. Returns 0 or -1 when out of memory (unchanged). */
static int _grow(tz_hmap *m)
{
    return _resize(m, m->cap * 2);
}

int tz_hmap_get(const tz_hmap *m, const char *key, long long *ival, const char **sval)
{
    size_t i = _find(m, key, _hash(key));
    if (!m->slots[i].key)
        return 0;
    if (ival)
        *ival = m->slots[i].ival;
    if (sval)
        *sval = m->slots[i].sval;
    return 1;
}

void tz_hmap_prefetch(const tz_hmap *m, const char *key)
{
    __builtin_prefetch(&m->slots[(size_t)_hash(key) & (m->cap - 1)]);
}

/* Whether n entries fit in cap slots: at most three quarters full. Half
 * full (fewer probes for an absent key) measured no faster for an import
 * of 100 000 households and takes up to twice the slots. */
static int _fits(size_t n, size_t cap)
{
    return n * 4 <= cap * 3;
}

int tz_hmap_reserve(tz_hmap *m, size_t n)
{
    size_t ncap = m->cap;
    while (!_fits(n, ncap)) {
        if (ncap > SIZE_MAX / 2 / sizeof(hmap_slot))
            return -1;
        ncap *= 2;
    }
    /* one move to the final size, not one per doubling */
    return ncap == m->cap ? 0 : _resize(m, ncap);
}

/* tz_hmap_put and tz_hmap_put_lent: sval copied unless lend. */
static int _put(tz_hmap *m, const char *key, long long ival, const char *sval, int lend)
{
    uint64_t h = _hash(key);
    if (!_fits(m->n + 1, m->cap) && _grow(m))
        return -1;
    size_t i = _find(m, key, h);
    const char *sv = NULL;
    if (sval && lend) {
        sv = sval;
    } else if (sval) {
        const char *have = m->slots[i].key ? m->slots[i].sval : NULL;
        sv = have && !strcmp(have, sval) ? have : _intern(m, sval);
        if (!sv)
            return -1;
    }
    if (!m->slots[i].key) {
        const char *k = _intern(m, key);
        if (!k)
            return -1;
        m->slots[i].key = k;
        m->slots[i].hash = h;
        m->n++;
    }
    m->slots[i].ival = ival;
    m->slots[i].sval = sv;
    return 0;
}

int tz_hmap_put(tz_hmap *m, const char *key, long long ival, const char *sval)
{
    return _put(m, key, ival, sval, 0);
}

int tz_hmap_put_lent(tz_hmap *m, const char *key, long long ival, const char *sval)
{
    return _put(m, key, ival, sval, 1);
}

const char *tz_hmap_key(const tz_hmap *m, const char *key)
{
    return m->slots[_find(m, key, _hash(key))].key;
}

int tz_hmap_del(tz_hmap *m, const char *key)
{
    size_t mask = m->cap - 1, i = _find(m, key, _hash(key));
    if (!m->slots[i].key)
        return 0;
    /* backward shift: pull each later entry of the run into the hole when
     * its home slot does not lie (cyclically) between the hole and it */
    size_t j = i;
    for (;;) {
        j = (j + 1) & mask;
        if (!m->slots[j].key)
            break;
        size_t home = (size_t)m->slots[j].hash & mask;
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        m->slots[i] = m->slots[j];
        i = j;
    }
    m->slots[i] = (hmap_slot){0};
    m->n--;
    return 1;
}

size_t tz_hmap_count(const tz_hmap *m)
{
    return m ? m->n : 0;
}

int tz_hmap_each(const tz_hmap *m,
                 int (*fn)(void *ctx, const char *key, long long ival, const char *sval), void *ctx)
{
    for (size_t i = 0; m && i < m->cap; i++)
        if (m->slots[i].key) {
            int r = fn(ctx, m->slots[i].key, m->slots[i].ival, m->slots[i].sval);
            if (r)
                return r;
        }
    return 0;
}
