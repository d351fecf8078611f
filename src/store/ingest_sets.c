/* ingest_sets.c - the import's in-memory sets: the keys seen in the file,
 * the stored keys, the values of unique columns and the keys (with levels)
 * of referenced ledgers, loaded once per import inside its write
 * transaction and kept up to date as rows are written, so that no row
 * needs a SELECT to be checked.
 *
 * A set is made only where its text is exactly what the per-row SELECT
 * compared: columns stored as TEXT (codes, IDs, names, dates), a single
 * key for uniqueness and references. Anything else keeps the statements
 * of ingest.c (tzs_ingest_init), which rows.c's one-row writes use too.
 */
#include "store/store_impl.h"
#include "util/buf.h"
#include <stdlib.h>
#include <string.h>

/* Whether column c is stored as TEXT: its stored text is its canonical
 * text, byte for byte. */
static int _text_stored(const tz_column *c)
{
    return !strcmp(tzs_sqltype(TZ_BACKEND_SQLITE, c->type), "TEXT");
}

/* Runs sql (no parameters) and puts every result row into a new map *out:
 * the key is columns [0, nkey) joined by '/'; with want_sval the string
 * value is column nkey (lend's own copy of it when lend has it: see
 * _load_unique); with level_col the integer value is tz_level_parse of column
 * nkey, else TZ_LEVEL_NONE. Returns 0 or -1. */
static int _load(tz_store *s, const char *sql, int nkey, int want_sval, int level_col,
                 const tz_hmap *lend, tz_hmap **out)
{
    tz_stmt *st = NULL;
    tz_buf k = TZ_BUF_INIT;
    int rc = -1, r;
    if (!(*out = tz_hmap_new()) || tz_store_prepare(s, sql, &st))
        goto done;
    while ((r = tz_stmt_step(st)) == 1) {
        tz_buf_reset(&k);
        for (int i = 0; i < nkey; i++) {
            const char *t = tz_stmt_text(st, i);
            if ((i && tz_buf_putc(&k, '/')) || tz_buf_puts(&k, t ? t : ""))
                goto done; /* out of memory: no key may stand for another */
        }
        long long iv = level_col ? (long long)tz_level_parse(tz_stmt_text(st, nkey))
                                 : (long long)TZ_LEVEL_NONE;
        const char *sv = want_sval ? tz_stmt_text(st, nkey) : NULL;
        const char *lent = sv && lend ? tz_hmap_key(lend, sv) : NULL;
        if (!k.data && tz_buf_puts(&k, ""))
            goto done;
        if (lent ? tz_hmap_put_lent(*out, tz_buf_str(&k), iv, lent)
                 : tz_hmap_put(*out, tz_buf_str(&k), iv, sv))
            goto done;
    }
    rc = r < 0 ? -1 : 0;
done:
    tz_stmt_free(st);
    tz_buf_free(&k);
    return rc;
}

/* _load gives a key without a level column TZ_LEVEL_NONE, which is what the
 * map of keys says for a key stored and not yet seen in the file */
_Static_assert(TZ_LEVEL_NONE == -1, "tzs_key_ival(0, 1) is -1");

/* The stored keys of g->l, when every key column is stored as TEXT (each
 * with tzs_key_ival(0, 1)). */
static int _load_stored(tzs_ingest *g, tz_buf *q)
{
    const tz_ledger *l = g->l;
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        if (!_text_stored(&l->cols[keys[k]]))
            return 0;
    tz_buf_reset(q);
    tz_buf_puts(q, "SELECT ");
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(q, "%s%s", k ? ", " : "", l->cols[keys[k]].sql);
    tz_buf_printf(q, " FROM %s", l->id);
    return q->data ? _load(g->s, tz_buf_str(q), (int)nk, 0, 0, NULL, &g->stored) : -1;
}

/* Unique column i: its stored values, each with the key of its row: the
 * map of keys' own copy of it (the unique maps are freed before it:
 * ingest.c), not a second one (about 190 MB at 10 000 000 households). */
static int _load_unique(tzs_ingest *g, size_t i, tz_buf *q)
{
    const tz_ledger *l = g->l;
    int keys[4];
    if (tz_ledger_keys(l, keys) != 1 || !_text_stored(&l->cols[keys[0]]) ||
        !_text_stored(&l->cols[i]))
        return 0;
    tz_buf_reset(q);
    tz_buf_printf(q, "SELECT %s, %s FROM %s WHERE %s IS NOT NULL", l->cols[i].sql,
                  l->cols[keys[0]].sql, l->id, l->cols[i].sql);
    return q->data ? _load(g->s, tz_buf_str(q), 1, 1, 0, g->stored, &g->uniq[i]) : -1;
}

/* Reference column i: the referenced ledger's keys with their levels;
 * shared with an earlier column naming the same ledger. */
static int _load_ref(tzs_ingest *g, size_t i, tz_buf *q)
{
    const tz_column *c = &g->l->cols[i];
    for (size_t j = 0; j < i; j++)
        if (g->refs[j] && !strcmp(g->l->cols[j].ref, c->ref)) {
            g->refs[i] = g->refs[j];
            return 0;
        }
    const tz_ledger *r = tz_ledger_find(c->ref);
    int rk[4];
    if (!r || tz_ledger_keys(r, rk) != 1 || !_text_stored(&r->cols[rk[0]]))
        return 0;
    int lv = tz_ledger_col(r, "level");
    tz_buf_reset(q);
    tz_buf_printf(q, "SELECT %s%s FROM %s", r->cols[rk[0]].sql, lv >= 0 ? ", level" : "", r->id);
    return q->data ? _load(g->s, tz_buf_str(q), 1, 0, lv >= 0, NULL, &g->refs[i]) : -1;
}

/* Stored rows per row of the file past which loading the sets costs more
 * than a few indexed SELECTs per row (measured at 100 000 households: about
 * 5 us a stored row to load, 30-40 us a file row to ask). */
#define SETS_STORED_PER_ROW 8
/* A file that may hold this many rows always gets the sets. */
#define SETS_ALWAYS_ROWS 4096

/* 1 when the file is small beside the table: a correction of a few rows
 * into a large ledger asks the database row by row (as one-row writes do)
 * instead of loading every stored key first. Counts at most what it needs
 * to know. Returns 1, 0, or -1 on a database error. */
static int _few_rows(tzs_ingest *g, tz_buf *q)
{
    if (g->expect_rows < 0 || g->expect_rows >= SETS_ALWAYS_ROWS)
        return 0;
    long long cap = g->expect_rows * SETS_STORED_PER_ROW + 1, n = 0;
    tz_buf_reset(q);
    tz_buf_printf(q, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %lld) t", g->l->id, cap);
    if (!q->data || tz_store_scalar_int(g->s, tz_buf_str(q), NULL, &n))
        return -1;
    return n >= cap;
}

int tzs_ingest_load_sets(tzs_ingest *g)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    int rc = -1, few;
    /* arrays of map pointers: one pointer's size per column is meant */
    g->uniq = calloc(l->ncols, sizeof *g->uniq); // NOLINT(bugprone-sizeof-expression)
    g->refs = calloc(l->ncols, sizeof *g->refs); // NOLINT(bugprone-sizeof-expression)
    if (!g->uniq || !g->refs || !(g->seen = tz_hmap_new()) || (few = _few_rows(g, &q)) < 0)
        goto done;
    if (few) {
        rc = 0; /* every map but the file's own keys stays NULL: the SELECTs answer */
        goto done;
    }
    if (_load_stored(g, &q))
        goto done;
    if (g->stored) {
        /* one map for the keys stored and those the file has had */
        tz_hmap_free(g->seen);
        g->seen = g->stored;
    }
    for (size_t i = 0; i < l->ncols; i++) {
        if ((l->cols[i].flags & TZ_F_UNIQUE) && _load_unique(g, i, &q))
            goto done;
        if (l->cols[i].ref && _load_ref(g, i, &q))
            goto done;
    }
    /* room for the file's rows: tzs_sets_expect, once the import has read
     * enough of the file to tell how many it holds */
    rc = 0;
done:
    tz_buf_free(&q);
    return rc;
}

void tzs_sets_expect(tzs_ingest *g, size_t more)
{
    (void)tz_hmap_reserve(g->seen, tz_hmap_count(g->seen) + more);
    for (size_t i = 0; g->uniq && i < g->l->ncols; i++)
        if (g->uniq[i])
            (void)tz_hmap_reserve(g->uniq[i], tz_hmap_count(g->uniq[i]) + more);
}

void tzs_sets_prefetch(tzs_ingest *g, const tz_value *vals)
{
    const tz_ledger *l = g->l;
    if (!g->seen)
        return;
    tz_buf_clear(&g->ahead);
    tzs_key_text(l, vals, &g->ahead);
    const char *key = tz_buf_str(&g->ahead);
    tz_hmap_prefetch(g->seen, key); /* also the map of stored keys, when there is one */
    for (size_t i = 0; g->uniq && i < l->ncols; i++)
        if (g->uniq[i] && !vals[i].null)
            tz_hmap_prefetch(g->uniq[i], vals[i].text);
}

int tzs_sets_written(tzs_ingest *g, const char *key, const tz_value *vals)
{
    const tz_ledger *l = g->l;
    int rc = -1;
    if (g->stored) {
        long long v = 0;
        long row = tz_hmap_get(g->stored, key, &v, NULL) ? tzs_key_row(v) : 0;
        if (tz_hmap_put(g->stored, key, tzs_key_ival(row, 1), NULL))
            goto done;
    }
    /* the key as the map of keys holds it (see _load_unique) */
    const char *lent = g->uniq && g->stored ? tz_hmap_key(g->stored, key) : NULL;
    for (size_t i = 0; g->uniq && i < l->ncols; i++) {
        if (!g->uniq[i])
            continue;
        const char *was = g->found ? g->old_text[i] : "";
        const char *now = vals[i].null ? NULL : vals[i].text;
        /* the schema's UNIQUE index keeps a value on one stored row: the old
         * value is this row's to let go */
        if (*was && (!now || strcmp(was, now) != 0))
            tz_hmap_del(g->uniq[i], was);
        if (now && (lent ? tz_hmap_put_lent(g->uniq[i], now, 0, lent)
                         : tz_hmap_put(g->uniq[i], now, 0, key)))
            goto done;
    }
    /* a ledger referencing itself (a region's 上级): later rows see this one */
    for (size_t i = 0; g->refs && i < l->ncols; i++) {
        if (!g->refs[i] || strcmp(l->cols[i].ref, l->id) != 0)
            continue;
        long long lv = g->level_col >= 0 ? (long long)tz_level_parse(vals[g->level_col].text)
                                         : (long long)TZ_LEVEL_NONE;
        if (tz_hmap_put(g->refs[i], key, lv, NULL))
            goto done;
    }
    rc = 0;
done:
    if (rc)
        tzs_fatal(g, "内存分配");
    return rc;
}
