/* dupes.c - the duplicate-person table: one scan of household rows into an
 * open-addressing hash table keyed by 户主姓名 + birth date (from the ID
 * number), remembering for each person the first village seen and whether
 * a second village turned up. A sort of the whole ledger in SQL is several
 * times slower. The household_duplicate rule (rules.c) and its cache
 * (summary.c) read the candidates back and re-check them exactly.
 */
#include "metrics/metrics_impl.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One person of the table. */
struct tzm_person {
    uint64_t hash;    /* hash of name|birth, 0 = empty slot */
    uint64_t village; /* village code of the first row seen, as a number */
    uint32_t dup;     /* 1 once seen in a second village */
};

uint64_t tzm_fnv(uint64_t h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* The key hash of a person, never 0 (0 marks an empty slot). */
static uint64_t _person_hash(const char *name, const char *birth)
{
    uint64_t h = tzm_fnv(tzm_fnv(tzm_fnv(TZM_FNV_INIT, name), "|"), birth);
    return h ? h : 1;
}

/* First size of the slots and of the rows: small, because a scope's scan
 * (a county of a province: about a thousand rows) would otherwise touch a
 * fresh page of a large zeroed table per row; a whole ledger's scan grows
 * by doubling. */
#define DUPES_FIRST 1024

/* Doubles the slots (DUPES_FIRST at first). Returns 0 or -1 (out of memory). */
static int _grow(tzm_dupes *x)
{
    size_t ncap = x->cap ? x->cap * 2 : DUPES_FIRST;
    struct tzm_person *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < x->cap; i++) {
        if (!x->slots[i].hash)
            continue;
        size_t j = (size_t)x->slots[i].hash & (ncap - 1);
        while (ns[j].hash)
            j = (j + 1) & (ncap - 1);
        ns[j] = x->slots[i];
    }
    free(x->slots);
    x->slots = ns;
    x->cap = ncap;
    return 0;
}

/* The slot of hash h: the person's, or the empty one where it goes. */
static struct tzm_person *_slot(const tzm_dupes *x, uint64_t h)
{
    size_t j = (size_t)h & (x->cap - 1);
    while (x->slots[j].hash && x->slots[j].hash != h)
        j = (j + 1) & (x->cap - 1);
    return &x->slots[j];
}

/* Makes room for one more row. Returns 0 or -1 (out of memory). */
static int _room(tzm_dupes *x)
{
    if ((x->used + 1) * 2 > x->cap && _grow(x))
        return -1;
    if (x->nrows < x->rcap)
        return 0;
    size_t ncap = x->rcap ? x->rcap * 2 : DUPES_FIRST;
    uint64_t *nh = realloc(x->rhash, ncap * sizeof *nh);
    if (!nh)
        return -1;
    x->rhash = nh;
    uint32_t *no = realloc(x->rhh, ncap * sizeof *no);
    if (!no)
        return -1;
    x->rhh = no;
    x->rcap = ncap;
    return 0;
}

int tzm_dupes_add(tzm_dupes *x, const char *name, const char *id_number, const char *village,
                  const char *hh)
{
    char birth[9];
    size_t off = x->arena.len;
    if (_room(x) || off > UINT32_MAX - 256 || tz_buf_add(&x->arena, hh, strlen(hh) + 1)) {
        x->oom = 1;
        return -1;
    }
    snprintf(birth, sizeof birth, "%s", strlen(id_number) >= 14 ? id_number + 6 : "");
    uint64_t h = _person_hash(name, birth);
    uint64_t code = strtoull(village, NULL, 10);
    x->rhash[x->nrows] = h;
    x->rhh[x->nrows++] = (uint32_t)off;
    struct tzm_person *e = _slot(x, h);
    if (!e->hash) {
        e->hash = h;
        e->village = code;
        x->used++;
    } else if (e->village != code) {
        e->dup = 1;
    }
    return 0;
}

int tzm_dupes_is_dup(const tzm_dupes *x, size_t row)
{
    return _slot(x, x->rhash[row])->dup != 0;
}

const char *tzm_dupes_hh(const tzm_dupes *x, size_t row)
{
    return x->arena.data + x->rhh[row];
}

/* tzm_q_run callback: adds a (name, id number, village, 户编号) row. */
static int _row(tz_stmt *st, void *acc)
{
    const char *cell[4];
    for (int i = 0; i < 4; i++)
        cell[i] = tz_stmt_text(st, i) ? tz_stmt_text(st, i) : "";
    return tzm_dupes_add(acc, cell[0], cell[1], cell[2], cell[3]) ? -1 : 0;
}

int tzm_dupes_scan(tz_store *s, tzm_query *q, tzm_dupes *x, tz_diags *d)
{
    if (tzm_q_run(s, q, NULL, 1, _row, x, d) == 0)
        return 0;
    /* a database error has its diag from tzm_q_run */
    if (x->oom)
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法检查重复录入");
    return -1;
}

void tzm_dupes_free(tzm_dupes *x)
{
    if (!x)
        return;
    free(x->slots);
    free(x->rhash);
    free(x->rhh);
    tz_buf_free(&x->arena);
}
