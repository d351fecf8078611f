/* notes.c - notes: values an import reinterpreted (an alias, a name for a
 * code, a month for a date), counted per (kind, column, text as written)
 * in a hash table, kept in order of first use for the import's result.
 */
#include "ledger/ledger_impl.h"
#include <stdlib.h>
#include <string.h>

struct tz_notes {
    tz_note *v;   /* notes in order of first use */
    size_t n;     /* notes */
    size_t cap;   /* slots of v */
    size_t *slot; /* open addressing: index in v + 1, or 0 for an empty slot */
    size_t nslot; /* slots, a power of two, at least twice n */
};

tz_notes *tz_notes_new(void)
{
    tz_notes *ns = calloc(1, sizeof *ns);
    if (!ns)
        return NULL;
    ns->nslot = 64;
    ns->slot = calloc(ns->nslot, sizeof *ns->slot);
    if (!ns->slot) {
        free(ns);
        return NULL;
    }
    return ns;
}

static unsigned long long _key_hash(tz_note_kind kind, int col, const char *from)
{
    unsigned long long h = TZL_HASH_INIT;
    h = (h ^ (unsigned)kind) * 1099511628211ULL;
    h = (h ^ (unsigned)col) * 1099511628211ULL;
    return tzl_hash(from, h);
}

/* The slot holding (kind, col, from), or the empty slot where it goes. */
static size_t _find(const tz_notes *ns, tz_note_kind kind, int col, const char *from)
{
    size_t mask = ns->nslot - 1;
    size_t i = (size_t)_key_hash(kind, col, from) & mask;
    while (ns->slot[i]) {
        const tz_note *e = &ns->v[ns->slot[i] - 1];
        if (e->kind == kind && e->col == col && !strcmp(e->from, from))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

/* Doubles the slots. Returns 0 or -1 when out of memory. */
static int _grow_slots(tz_notes *ns)
{
    size_t nslot = ns->nslot * 2;
    size_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return -1;
    free(ns->slot);
    ns->slot = slot;
    ns->nslot = nslot;
    for (size_t k = 0; k < ns->n; k++) {
        const tz_note *e = &ns->v[k];
        ns->slot[_find(ns, e->kind, e->col, e->from)] = k + 1;
    }
    return 0;
}

int tz_notes_add(tz_notes *ns, tz_note_kind kind, int col, const char *from, const char *to,
                 long rowno)
{
    if (!ns)
        return 0;
    size_t i = _find(ns, kind, col, from ? from : "");
    if (ns->slot[i]) {
        ns->v[ns->slot[i] - 1].count++;
        return 0;
    }
    if ((ns->n + 1) * 2 > ns->nslot) { /* never more than half full */
        if (_grow_slots(ns))
            return -1;
        i = _find(ns, kind, col, from ? from : "");
    }
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 16;
        tz_note *v = realloc(ns->v, cap * sizeof *v);
        if (!v)
            return -1;
        ns->v = v;
        ns->cap = cap;
    }
    tz_note *e = &ns->v[ns->n];
    e->kind = kind;
    e->col = col;
    e->from = strdup(from ? from : "");
    e->to = strdup(to ? to : "");
    e->count = 1;
    e->first_row = rowno;
    if (!e->from || !e->to) {
        free(e->from);
        free(e->to);
        return -1;
    }
    ns->slot[i] = ++ns->n;
    return 0;
}

size_t tz_notes_count(const tz_notes *ns)
{
    return ns ? ns->n : 0;
}

const tz_note *tz_notes_at(const tz_notes *ns, size_t i)
{
    return ns && i < ns->n ? &ns->v[i] : NULL;
}

void tz_notes_free(tz_notes *ns)
{
    if (!ns)
        return;
    for (size_t i = 0; i < ns->n; i++) {
        free(ns->v[i].from);
        free(ns->v[i].to);
    }
    free(ns->v);
    free(ns->slot);
    free(ns);
}
