/* dupes.c - the duplicate-person table: one scan of household rows, each
 * filed by the hash of its person (户主姓名 + birth date, from the ID
 * number) into one of 256 partitions; then each partition's persons are
 * counted by an open-addressing table that fits in cache, and the persons
 * seen in a second village go into a small set. A sort of the whole
 * ledger in SQL is several times slower. The household_duplicate rule (rules.c) and its cache
 * (summary.c) read the candidates back and re-check them exactly.
 */
#include "metrics/metrics_impl.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A row's person and village, as the scan files it by partition. */
struct tzm_pv {
    uint64_t hash;    /* hash of name|birth, never 0 */
    uint64_t village; /* village code, as a number */
};

/* One partition: the rows whose person hash has these top bits. */
struct tzm_part {
    struct tzm_pv *v;
    size_t n, cap;
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

/* Partitions by the hash's top bits. The rows are filed by partition as
 * they come (sequential writes to 256 arrays); each partition is then
 * judged by a table that fits in the processor's cache. One table for the
 * whole scan had cost a cache miss a row: at 10 000 000 households its
 * slots alone were 400 MiB and the scan's adds took 5 s of 10. */
#define DUPES_PARTS 256
#define DUPES_SHIFT 56

/* First size of the row arrays and of a partition: small, because a
 * scope's scan (a county of a province: about a thousand rows) would
 * otherwise touch fresh pages per row; a whole ledger's grows by doubling. */
#define DUPES_FIRST 1024

/* Makes room for one more row and one more entry of partition p. Returns
 * 0 or -1 (out of memory). */
static int _room(tzm_dupes *x, size_t p)
{
    if (!x->parts && !(x->parts = calloc(DUPES_PARTS, sizeof *x->parts)))
        return -1;
    struct tzm_part *pt = &x->parts[p];
    if (pt->n == pt->cap) {
        size_t ncap = pt->cap ? pt->cap * 2 : 16;
        struct tzm_pv *nv = realloc(pt->v, ncap * sizeof *nv);
        if (!nv)
            return -1;
        pt->v = nv;
        pt->cap = ncap;
    }
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
    char birth[9] = "";
    size_t off = x->arena.len;
    /* digits 7-14 (no printf: a row each, 10 000 000 at a province) */
    if (strlen(id_number) >= 14) {
        memcpy(birth, id_number + 6, 8);
        birth[8] = '\0';
    }
    uint64_t h = _person_hash(name, birth);
    size_t p = (size_t)(h >> DUPES_SHIFT);
    if (_room(x, p) || off > UINT32_MAX - 256 || tz_buf_add(&x->arena, hh, strlen(hh) + 1)) {
        x->oom = 1;
        return -1;
    }
    x->rhash[x->nrows] = h;
    x->rhh[x->nrows++] = (uint32_t)off;
    struct tzm_part *pt = &x->parts[p];
    pt->v[pt->n].hash = h;
    pt->v[pt->n++].village = strtoull(village, NULL, 10);
    return 0;
}

/* A person in a table: a partition's while it is judged, or the set of
 * the persons seen in two villages. */
struct tzm_person {
    uint64_t hash;    /* 0: free */
    uint64_t village; /* village code of the person's first row */
    int put;          /* a partition's: 1 once in the set */
};

/* The slot of hash h in a table of cap (a power of two): h's, or the empty
 * one where it goes. */
static struct tzm_person *_person(struct tzm_person *t, size_t cap, uint64_t h)
{
    size_t j = (size_t)h & (cap - 1);
    while (t[j].hash && t[j].hash != h)
        j = (j + 1) & (cap - 1);
    return &t[j];
}

/* Adds hash h to the set of persons seen in two villages. Returns 0 or -1
 * (out of memory). */
static int _dup_put(tzm_dupes *x, uint64_t h)
{
    if ((x->ndup + 1) * 2 > x->dcap) {
        size_t ncap = x->dcap ? x->dcap * 2 : 64;
        struct tzm_person *nd = calloc(ncap, sizeof *nd);
        if (!nd)
            return -1;
        for (size_t i = 0; i < x->dcap; i++)
            if (x->dups[i].hash)
                *_person(nd, ncap, x->dups[i].hash) = x->dups[i];
        free(x->dups);
        x->dups = nd;
        x->dcap = ncap;
    }
    struct tzm_person *e = _person(x->dups, x->dcap, h);
    if (!e->hash) {
        e->hash = h;
        x->ndup++;
    }
    return 0;
}

/* Judges one partition with table t (room for twice its rows): a person
 * whose rows name two villages goes into the set. Returns 0 or -1 (out of
 * memory). */
static int _judge(tzm_dupes *x, const struct tzm_part *pt, struct tzm_person *t)
{
    size_t cap = 16;
    while (cap < pt->n * 2)
        cap *= 2;
    memset(t, 0, cap * sizeof *t);
    int rc = 0;
    for (size_t i = 0; i < pt->n && !rc; i++) {
        struct tzm_person *e = _person(t, cap, pt->v[i].hash);
        if (!e->hash) {
            e->hash = pt->v[i].hash;
            e->village = pt->v[i].village;
        } else if (e->village != pt->v[i].village && !e->put) {
            e->put = 1;
            rc = _dup_put(x, e->hash);
        }
    }
    return rc;
}

/* After the last add: finds the persons seen in two villages, partition by
 * partition, and frees the partitions. Returns 0 or -1 (out of memory). */
static int _finish(tzm_dupes *x)
{
    size_t most = 0, cap = 16;
    for (size_t p = 0; x->parts && p < DUPES_PARTS; p++)
        most = x->parts[p].n > most ? x->parts[p].n : most;
    while (cap < most * 2)
        cap *= 2;
    struct tzm_person *t = malloc(cap * sizeof *t);
    int rc = t ? 0 : -1;
    for (size_t p = 0; x->parts && p < DUPES_PARTS; p++) {
        if (!rc && x->parts[p].n)
            rc = _judge(x, &x->parts[p], t);
        free(x->parts[p].v);
    }
    free(t);
    free(x->parts);
    x->parts = NULL;
    return rc;
}

int tzm_dupes_is_dup(const tzm_dupes *x, size_t row)
{
    return x->ndup && _person(x->dups, x->dcap, x->rhash[row])->hash != 0;
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
    if (tzm_q_run(s, q, NULL, 1, _row, x, d) == 0) {
        if (_finish(x) == 0)
            return 0;
        x->oom = 1;
    }
    /* a database error has its diag from tzm_q_run */
    if (x->oom)
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法检查重复录入");
    return -1;
}

void tzm_dupes_free(tzm_dupes *x)
{
    if (!x)
        return;
    for (size_t p = 0; x->parts && p < DUPES_PARTS; p++)
        free(x->parts[p].v);
    free(x->parts);
    free(x->dups);
    free(x->rhash);
    free(x->rhh);
    tz_buf_free(&x->arena);
}
