/* arena.c - tz_arena: strings in chunks, freed together (see arena.h). */
#include "util/arena.h"
#include <stdlib.h>
#include <string.h>

struct tz_arena_chunk {
    tz_arena_chunk *next; /* the chunk filled before (or the next spare) */
    size_t used, cap;     /* bytes used and available in data */
    char data[];
};

char *tz_arena_dup(tz_arena *a, const char *s, size_t n)
{
    size_t len = n + 1;
    tz_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < len) {
        if (len <= TZ_ARENA_CHUNK && a->spare) {
            c = a->spare;
            a->spare = c->next;
        } else {
            size_t cap = len > TZ_ARENA_CHUNK ? len : TZ_ARENA_CHUNK;
            if (!(c = malloc(sizeof *c + cap)))
                return NULL;
            c->cap = cap;
        }
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    char *out = c->data + c->used;
    memcpy(out, s, n);
    out[n] = '\0';
    c->used += len;
    return out;
}

void tz_arena_reset(tz_arena *a)
{
    tz_arena_chunk *c = a->head;
    while (c) {
        tz_arena_chunk *next = c->next;
        if (c->cap == TZ_ARENA_CHUNK) {
            c->next = a->spare;
            a->spare = c;
        } else {
            free(c);
        }
        c = next;
    }
    a->head = NULL;
}

void tz_arena_free(tz_arena *a)
{
    tz_arena_reset(a);
    tz_arena_chunk *c = a->spare;
    while (c) {
        tz_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->spare = NULL;
}
