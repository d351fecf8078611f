/* arena.h - tz_arena: strings copied into large chunks and freed together.
 *
 * Owns: many short strings that live and die at once (a hash map's keys,
 * the values of a batch of imported rows), without a malloc and a free
 * each. Does not own: what the strings mean.
 *
 * A tz_arena starts zeroed (TZ_ARENA_INIT or memset). A copy stays where it
 * is until tz_arena_reset or tz_arena_free; nothing frees one copy alone.
 */
#ifndef TZ_ARENA_H
#define TZ_ARENA_H
#include <stddef.h>

#define TZ_ARENA_CHUNK ((size_t)1 << 16) /* chunk size (a longer string gets its own) */

typedef struct tz_arena_chunk tz_arena_chunk;
typedef struct tz_arena {
    tz_arena_chunk *head;  /* the chunk being filled, then those filled before */
    tz_arena_chunk *spare; /* emptied chunks kept by tz_arena_reset for reuse */
} tz_arena;
#define TZ_ARENA_INIT                                                                              \
    {                                                                                              \
        NULL, NULL                                                                                 \
    }

/* A NUL-terminated copy of the n bytes at s, or NULL when out of memory. */
char *tz_arena_dup(tz_arena *a, const char *s, size_t n);
/* Empties a: every copy is gone; chunks of the usual size are kept for the
 * next copies, longer ones freed. */
void tz_arena_reset(tz_arena *a);
/* Frees every chunk; a is empty and usable again. Safe on a zeroed arena. */
void tz_arena_free(tz_arena *a);

#endif
