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
#include "util/hmap.h"
#include <stdlib.h>
#include <string.h>

/* Beyond this many 户户通 keys the villages are not looked up: the write
 * is large enough that a full rebuild costs about the same. */
#define TOUCH_MAX_KEYS 5000

struct tz_touched {
    long long from_dv; /* data version before the first write */
    int all;           /* 1: villages unknown (summaries rebuilt in full) */
    tz_hmap *villages; /* the villages written, or NULL before the first */
    tz_hmap *tv_keys;  /* 户编号 of 户户通 rows: villages looked up at the flush */
};

/* Adds s to the set *m (made at first use). Returns 0 or -1 (out of memory). */
static int _set_add(tz_hmap **m, const char *s)
{
    if (!*m && !(*m = tz_hmap_new()))
        return -1;
    return tz_hmap_put(*m, s, 0, NULL);
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
        if (!hh || tz_hmap_count(t->tv_keys) >= TOUCH_MAX_KEYS) {
            t->all = 1;
            return 0;
        }
        return _set_add(&t->tv_keys, hh);
    }
    t->all = 1; /* the summaries of other ledgers are rebuilt in full */
    return 0;
}

/* Where the 户户通 keys' villages are looked up. */
typedef struct tv_look {
    tz_touched *t;
    tz_stmt *st;
} tv_look;

/* tz_hmap_each: adds the village of one 户户通 key. Returns 0, or -1. */
static int _tv_village(void *ctx, const char *hh, long long ival, const char *sval)
{
    (void)ival;
    (void)sval;
    tv_look *lk = ctx;
    tz_stmt_reset(lk->st);
    if (tz_stmt_bind_text(lk->st, 1, hh))
        return -1;
    int r = tz_stmt_step(lk->st);
    if (r < 0)
        return -1;
    /* an install of no registered household is in no summary but the gap counts */
    if (_add_village(lk->t, r == 1 ? tz_stmt_text(lk->st, 0) : NULL))
        return -1;
    return lk->t->all; /* unknown now: stop */
}

/* Adds the villages of the 户户通 keys (households as written now: an
 * install moves with its household only through a households write, which
 * records both villages). Returns 0 or -1. */
static int _tv_villages(tz_store *s, tz_touched *t)
{
    tv_look lk = {t, NULL};
    if (!tz_hmap_count(t->tv_keys))
        return 0;
    if (tz_store_prepare(s, "SELECT village FROM households WHERE hh_id = ?", &lk.st))
        return -1;
    int rc = tz_hmap_each(t->tv_keys, _tv_village, &lk) < 0 ? -1 : 0;
    tz_stmt_free(lk.st);
    return rc;
}

/* One touched village's record. */
typedef struct touch_rec {
    long long from_dv, to_dv;
    tz_stmt *st;
} touch_rec;

/* tz_hmap_each: records one village. Returns 0, or -1. */
static int _record(void *ctx, const char *village, long long ival, const char *sval)
{
    (void)ival;
    (void)sval;
    touch_rec *r = ctx;
    tz_stmt_reset(r->st);
    return tz_stmt_bind_int(r->st, 1, r->from_dv) || tz_stmt_bind_int(r->st, 2, r->to_dv) ||
                   tz_stmt_bind_text(r->st, 3, village) || tz_stmt_step(r->st) < 0
               ? -1
               : 0;
}

int tz_touched_flush(tz_store *s, tz_touched *t)
{
    if (!t || t->all)
        return 0; /* nothing written, or a gap: the summaries are rebuilt in full */
    if (_tv_villages(s, t))
        return -1;
    if (t->all)
        return 0;
    touch_rec rec = {t->from_dv, 0, NULL};
    if (tz_store_scalar_int(s, "SELECT value FROM tz_meta WHERE key = 'data_version'", NULL,
                            &rec.to_dv))
        return -1;
    if (tz_store_exec(s, "CREATE TABLE IF NOT EXISTS tz_agg_touched (from_dv BIGINT NOT NULL, "
                         "to_dv BIGINT NOT NULL, village TEXT NOT NULL)") ||
        tz_store_prepare(s, "INSERT INTO tz_agg_touched (from_dv, to_dv, village) VALUES (?, ?, ?)",
                         &rec.st))
        return -1;
    int rc = tz_hmap_each(t->villages, _record, &rec) ? -1 : 0;
    tz_stmt_free(rec.st);
    return rc;
}

void tz_touched_free(tz_touched *t)
{
    if (!t)
        return;
    tz_hmap_free(t->villages);
    tz_hmap_free(t->tv_keys);
    free(t);
}
