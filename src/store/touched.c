/* touched.c - the villages a write touched, recorded for the summaries.
 *
 * Owns: the in-memory set of villages whose household or 户户通 rows one
 * import or row edit writes (tz_touched_row, called once per written row,
 * no statement), and writing it once, inside the writer's transaction, to
 * tz_agg_touched (tz_touched_flush) with the data versions before and after
 * the write. metrics/summary.c reads it back and re-derives only those
 * villages' summary rows when the records cover every change since the
 * summaries were built; a change they do not cover (another ledger, a row
 * without a village, a writer outside taizhang) leaves a gap in the chain of
 * data versions, and the summaries are rebuilt in full.
 *
 * Does not own: the summaries (metrics/summary.c), the write itself
 * (ingest.c, rows.c).
 */
#include "store/store.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many 户户通 keys the villages are not looked up: the write
 * is large enough that a full rebuild costs about the same. */
#define TOUCH_MAX_KEYS 5000

/* A set of strings (open addressing, power-of-two capacity). */
typedef struct touch_set {
    char **slot;
    size_t cap, used;
} touch_set;

struct tz_touched {
    long long from_dv; /* data version before the first write */
    int all;           /* 1: villages unknown (summaries rebuilt in full) */
    touch_set villages;
    touch_set tv_keys; /* 户编号 of 户户通 rows: villages looked up at the flush */
};

static uint64_t _hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

static void _set_free(touch_set *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slot[i]);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

/* Adds s (copied) unless present. Returns 0 or -1 (out of memory). */
static int _set_add(touch_set *t, const char *s)
{
    if ((t->used + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        char **ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i])
                continue;
            size_t j = (size_t)_hash(t->slot[i]) & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    size_t j = (size_t)_hash(s) & (t->cap - 1);
    while (t->slot[j]) {
        if (!strcmp(t->slot[j], s))
            return 0;
        j = (j + 1) & (t->cap - 1);
    }
    if (!(t->slot[j] = strdup(s)))
        return -1;
    t->used++;
    return 0;
}

/* The text of column `sql` of l in vals, or NULL (no such column, or empty). */
static const char *_col(const tz_ledger *l, const tz_value *vals, const char *sql)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (!strcmp(l->cols[i].sql, sql))
            return vals[i].null ? NULL : vals[i].text;
    return NULL;
}

/* The stored text of column `sql` of l, or NULL. */
static const char *_old_col(const tz_ledger *l, char *const *old_text, const char *sql)
{
    for (size_t i = 0; i < l->ncols; i++)
        if (!strcmp(l->cols[i].sql, sql))
            return old_text[i];
    return NULL;
}

/* Adds the village of one households row; none makes the set unknown. */
static int _add_village(tz_touched *t, const char *v)
{
    if (!v || !*v) {
        t->all = 1;
        return 0;
    }
    return _set_add(&t->villages, v);
}

int tz_touched_row(tz_store *s, tz_touched **tp, const tz_ledger *l, const tz_value *vals,
                   char *const *old_text)
{
    tz_touched *t = *tp;
    if (!t) {
        if (!(t = calloc(1, sizeof *t)))
            return -1;
        *tp = t;
        if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL,
                                &t->from_dv))
            return -1;
    }
    if (t->all)
        return 0;
    if (!strcmp(l->id, "households")) {
        if (_add_village(t, _col(l, vals, "village")) ||
            (old_text && _add_village(t, _old_col(l, old_text, "village"))))
            return -1;
        return 0;
    }
    if (!strcmp(l->id, "tv_installs")) {
        const char *hh = _col(l, vals, "hh_id");
        if (!hh || t->tv_keys.used >= TOUCH_MAX_KEYS) {
            t->all = 1;
            return 0;
        }
        return _set_add(&t->tv_keys, hh);
    }
    t->all = 1; /* the summaries of other ledgers are rebuilt in full */
    return 0;
}

/* Adds the villages of the 户户通 keys (households as written now: an
 * install moves with its household only through a households write, which
 * records both villages). Returns 0 or -1. */
static int _tv_villages(tz_store *s, tz_touched *t)
{
    tz_stmt *st = NULL;
    int rc = -1;
    if (!t->tv_keys.used)
        return 0;
    if (tz_store_prepare(s, "SELECT village FROM households WHERE hh_id = ?", &st))
        return -1;
    for (size_t i = 0; i < t->tv_keys.cap && !t->all; i++) {
        if (!t->tv_keys.slot[i])
            continue;
        tz_stmt_reset(st);
        if (tz_stmt_bind_text(st, 1, t->tv_keys.slot[i]))
            goto done;
        int r = tz_stmt_step(st);
        if (r < 0)
            goto done;
        /* an install of no registered household is in no summary but the gap counts */
        if (_add_village(t, r == 1 ? tz_stmt_text(st, 0) : NULL))
            goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    return rc;
}

int tz_touched_flush(tz_store *s, tz_touched *t)
{
    tz_stmt *st = NULL;
    long long to_dv = 0;
    int rc = -1;
    if (!t || t->all)
        return 0; /* nothing written, or a gap: the summaries are rebuilt in full */
    if (_tv_villages(s, t))
        return -1;
    if (t->all)
        return 0;
    if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL,
                            &to_dv))
        return -1;
    if (tz_store_exec(s, "CREATE TABLE IF NOT EXISTS tz_agg_touched (from_dv BIGINT NOT NULL, "
                         "to_dv BIGINT NOT NULL, village TEXT NOT NULL)") ||
        tz_store_prepare(s, "INSERT INTO tz_agg_touched (from_dv, to_dv, village) VALUES (?, ?, ?)",
                         &st))
        return -1;
    for (size_t i = 0; i < t->villages.cap; i++) {
        if (!t->villages.slot[i])
            continue;
        tz_stmt_reset(st);
        if (tz_stmt_bind_int(st, 1, t->from_dv) || tz_stmt_bind_int(st, 2, to_dv) ||
            tz_stmt_bind_text(st, 3, t->villages.slot[i]) || tz_stmt_step(st) < 0)
            goto done;
    }
    rc = 0;
done:
    tz_stmt_free(st);
    return rc;
}

void tz_touched_free(tz_touched *t)
{
    if (!t)
        return;
    _set_free(&t->villages);
    _set_free(&t->tv_keys);
    free(t);
}
