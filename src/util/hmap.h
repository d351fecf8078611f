/* hmap.h - tz_hmap: a string-keyed open-addressing hash map.
 *
 * Owns: looking up many short keys fast in memory (an import's keys seen,
 * stored keys, 身份证号 → key, region code → level). Does not own: what the
 * keys mean.
 *
 * Each entry maps a NUL-terminated key to an integer and, optionally, a
 * string; both strings are copied into the map's own arena (freed with the
 * map, not on delete or replace: a map lives for one job), unless the
 * string is lent (tz_hmap_put_lent). Linear probing
 * with backward-shift deletion, so there are no tombstones.
 */
#ifndef TZ_HMAP_H
#define TZ_HMAP_H
#include <stddef.h>

typedef struct tz_hmap tz_hmap;

/* A new empty map, or NULL when out of memory. */
tz_hmap *tz_hmap_new(void);
/* Makes room for n entries in all (a hint: the map grows past it too), so
 * that filling it rehashes nothing. Returns 0, or -1 when out of memory
 * (the map unchanged and usable). */
int tz_hmap_reserve(tz_hmap *m, size_t n);
/* Frees the map and every string it copied; safe on NULL. */
void tz_hmap_free(tz_hmap *m);
/* Looks key up. Returns 1 found (*ival and *sval set when not NULL; *sval
 * is NULL when the entry has no string, and stays valid until the map is
 * freed), 0 absent. */
int tz_hmap_get(const tz_hmap *m, const char *key, long long *ival, const char **sval);
/* Sets key to ival and sval (copied; NULL for none), replacing what it
 * had. Returns 0, or -1 when out of memory (the map unchanged). */
int tz_hmap_put(tz_hmap *m, const char *key, long long ival, const char *sval);
/* As tz_hmap_put, but sval is kept as given, not copied: it must stay
 * valid as long as m (a key of another map freed after m, say: an import's
 * 身份证号 → key map points at the keys its map of keys holds, instead of
 * a second copy of each). A later tz_hmap_put of the same key with an
 * equal string keeps the lent pointer, which lives as long as m. */
int tz_hmap_put_lent(tz_hmap *m, const char *key, long long ival, const char *sval);
/* The map's own copy of key, valid until the map is freed, or NULL when
 * key is absent. */
const char *tz_hmap_key(const tz_hmap *m, const char *key);
/* Asks the processor to fetch the slot where key's lookup starts, for a
 * tz_hmap_get or tz_hmap_put of it a little later (a map of a million keys
 * misses the cache on every lookup). Changes nothing. */
void tz_hmap_prefetch(const tz_hmap *m, const char *key);
/* Removes key. Returns 1 removed, 0 absent. */
int tz_hmap_del(tz_hmap *m, const char *key);
/* The number of entries (0 for NULL). */
size_t tz_hmap_count(const tz_hmap *m);
/* Calls fn with each entry, in no particular order, until it returns
 * non-zero; returns that value, or 0. fn must not change m. m may be NULL. */
int tz_hmap_each(const tz_hmap *m,
                 int (*fn)(void *ctx, const char *key, long long ival, const char *sval),
                 void *ctx);

#endif
