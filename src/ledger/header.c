/* header.c - header names as people write them: the normal form of a
 * header cell, the synonyms of data/header_synonyms.tsv, and matching a
 * header row to a ledger's columns (tz_header_match).
 *
 * The synonym table is loaded once, on first use, under a read-write lock
 * (the server matches headers from several threads); a failed load is
 * tried again on the next use, so that every import reports it.
 */
#include "ledger/ledger_impl.h"
#include "util/buf.h"
#include "util/datafile.h"
#include "util/hmap.h"
#include "util/text.h"
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYN_FILE "header_synonyms.tsv"
#define SYN_WHAT "列名同义词"

unsigned long long tzl_hash(const char *s, unsigned long long h)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

int tzl_is_blank(long cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

/* Copies s without the characters tzl_is_blank names (everywhere when
 * all, else only at either end; NULL reads as ""). Returns a new string or
 * NULL on OOM. */
static char *_strip(const char *s, int all)
{
    if (!s)
        s = ""; /* an absent cell strips to nothing */
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    size_t k = 0, keep = 0; /* keep: length up to the last kept non-blank */
    int started = 0;
    while (*s) {
        long cp;
        size_t step = tz_utf8_next(s, &cp);
        int blank = tzl_is_blank(cp);
        if (!blank || (!all && started)) {
            memcpy(r + k, s, step);
            k += step;
            started = 1;
            if (!blank)
                keep = k;
        }
        s += step;
    }
    r[all ? k : keep] = '\0';
    return r;
}

int tzl_norm_same(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
        if (*p <= 0x20)
            return 0; /* a blank, or a control character: the long way */
    return tz_text_nfkc_same(s, n);
}

char *tz_header_norm(const char *cell)
{
    if (!cell)
        cell = "";
    /* codes, numbers, dates, names, places: most cells of a data row */
    if (tzl_norm_same(cell))
        return strdup(cell);
    char *n = tz_text_nfkc(cell, strlen(cell), NULL);
    /* not UTF-8 (a reader never gives that): the bytes as they are */
    char *r = _strip(n ? n : cell, 1);
    free(n);
    return r;
}

/* ---- the synonym table ---------------------------------------------------- */

/* One line of the file. */
typedef struct _syn {
    char *ledger; /* ledger id, or "*" for every ledger with the column */
    char *from;   /* the written form, normalised */
    char *col;    /* the contract column name */
    long line;    /* line of the file, for messages about a later line */
    long next;    /* the next line with the same from, or -1 */
} _syn;

typedef struct _syn_table {
    _syn *v;       /* lines in file order */
    size_t n;      /* lines */
    tz_hmap *from; /* from -> the first line with it (then .next) */
} _syn_table;

static struct {
    pthread_rwlock_t lock; /* guards the table */
    int loaded;            /* 1 once a table is in place */
    _syn_table t;          /* the table */
} _syns = {.lock = PTHREAD_RWLOCK_INITIALIZER};

static void _syn_table_free(_syn_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].ledger);
        free(t->v[i].from);
        free(t->v[i].col);
    }
    free(t->v);
    tz_hmap_free(t->from);
    t->v = NULL;
    t->n = 0;
    t->from = NULL;
}

/* The first bytes of every contract name and of every synonym a table
 * loaded so far held (bits only ever set): a normalised cell whose first
 * byte is not among them names no column, and tz_header_col_normed turns
 * it away without a lookup or the synonyms' lock. Most cells of a data
 * row start with a digit; asking of each whether it repeats the header
 * had been a quarter of the reading thread's time. */
static atomic_uint _first[8];
static atomic_int _first_syn; /* 1 once a synonym table was loaded */

static void _first_add(const char *s)
{
    unsigned b = (unsigned char)*s;
    atomic_fetch_or_explicit(&_first[b >> 5], 1u << (b & 31), memory_order_relaxed);
}

static int _first_has(const char *s)
{
    unsigned b = (unsigned char)*s;
    return ((atomic_load_explicit(&_first[b >> 5], memory_order_relaxed) >> (b & 31)) & 1u) != 0;
}

/* Indexes the lines of t by their written form. Returns 0 or -1 (out of
 * memory). */
static int _syn_index(_syn_table *t)
{
    if (!(t->from = tz_hmap_new()))
        return -1;
    for (size_t i = t->n; i-- > 0;) {
        long long first;
        t->v[i].next = tz_hmap_get(t->from, t->v[i].from, &first, NULL) ? (long)first : -1;
        if (tz_hmap_put(t->from, t->v[i].from, (long long)i, NULL))
            return -1;
    }
    return 0;
}

/* 1 when some ledger has a column named name (and, when also is not NULL,
 * a column named also too). */
static int _some_ledger_has(const char *name, const char *also)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++)
        if (tz_ledger_col(&all[i], name) >= 0 && (!also || tz_ledger_col(&all[i], also) >= 0))
            return 1;
    return 0;
}

/* Checks a parsed line against the ledgers and the lines before it.
 * Returns 0, or -1 with a diag. */
static int _syn_check(const _syn_table *t, const char *ledger, const char *from, const char *col,
                      const char *path, long lineno, tz_diags *d)
{
    const tz_ledger *l = strcmp(ledger, "*") ? tz_ledger_find(ledger) : NULL;
    if (l && tz_ledger_col(l, from) >= 0) {
        tz_diags_error(d, path, lineno, "写法", from, "这本身就是%s台账的列名,不必写同义词",
                       l->name);
        return -1;
    }
    if (l ? tz_ledger_col(l, col) < 0 : !_some_ledger_has(col, NULL)) {
        tz_diags_error(d, path, lineno, "标准列名", col, "%s没有这一列(应与台账的列名完全一致)",
                       l ? l->name : "任何台账都");
        return -1;
    }
    for (size_t i = 0; i < t->n; i++) {
        const _syn *e = &t->v[i];
        if (strcmp(e->from, from) != 0 || !strcmp(e->col, col))
            continue;
        /* one written form naming two columns of one ledger */
        int same_ledger = !strcmp(e->ledger, ledger);
        int clash = same_ledger || (!strcmp(e->ledger, "*") && !l && _some_ledger_has(col, e->col));
        if (clash) {
            tz_diags_error(d, path, lineno, "写法", from, "第%ld行已把它对应到“%s”列", e->line,
                           e->col);
            return -1;
        }
    }
    return 0;
}

/* tz_datafile_read callback: one "台账id或*<TAB>写法<TAB>标准列名" line. */
static int _syn_line(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    _syn_table *t = acc;
    char *f[4];
    if (tz_datafile_fields(p, f, 4) != 3 || !*f[0] || !*f[1] || !*f[2]) {
        tz_diags_error(d, path, lineno, NULL, p, "格式应为 台账id或*<TAB>写法<TAB>标准列名");
        return -1;
    }
    const tz_ledger *l = strcmp(f[0], "*") != 0 ? tz_ledger_find(f[0]) : NULL;
    if (strcmp(f[0], "*") != 0 && !l) {
        tz_diags_error(d, path, lineno, "台账", f[0], "没有这个台账(写台账id,如households,或*)");
        return -1;
    }
    char *from = tz_header_norm(f[1]);
    int rc = -1;
    if (!from) {
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
        return 1;
    }
    if (!*from) {
        tz_diags_error(d, path, lineno, "写法", f[1], "写法不能为空");
        goto done;
    }
    const char *ledger = l ? l->id : "*";
    if (_syn_check(t, ledger, from, f[2], path, lineno, d))
        goto done;
    _syn *v = realloc(t->v, (t->n + 1) * sizeof *v);
    if (!v) {
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
        rc = 1;
        goto done;
    }
    t->v = v;
    _syn *e = &v[t->n];
    e->ledger = strdup(ledger);
    e->col = strdup(f[2]);
    e->from = from;
    e->line = lineno;
    from = NULL;
    t->n++;
    if (!e->ledger || !e->col) {
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
        rc = 1;
        goto done;
    }
    rc = 0;
done:
    free(from);
    return rc;
}

/* Reads the file at path and puts its table in place. Call with the write
 * lock held. Returns 0 or -1 (the table in place is kept). */
static int _syn_load_locked(const char *path, tz_diags *d)
{
    _syn_table t = {NULL, 0, NULL};
    if (tz_datafile_read(path, SYN_WHAT, _syn_line, &t, d)) {
        _syn_table_free(&t);
        return -1;
    }
    if (_syn_index(&t)) {
        tz_diags_error(d, path, 0, NULL, NULL, "内存不足");
        _syn_table_free(&t);
        return -1;
    }
    for (size_t i = 0; i < t.n; i++)
        _first_add(t.v[i].from);
    atomic_store_explicit(&_first_syn, 1, memory_order_release);
    _syn_table_free(&_syns.t);
    _syns.t = t;
    _syns.loaded = 1;
    return 0;
}

int tz_header_synonyms_load(const char *path, tz_diags *d)
{
    pthread_rwlock_wrlock(&_syns.lock);
    int rc = _syn_load_locked(path, d);
    pthread_rwlock_unlock(&_syns.lock);
    return rc;
}

/* Takes the read lock with a table in place: loads the default file first
 * when none is. Returns 0 (read lock held: release it), or -1 with a diag
 * (no lock held). */
static int _syn_ready(tz_diags *d)
{
    pthread_rwlock_rdlock(&_syns.lock);
    if (_syns.loaded)
        return 0;
    pthread_rwlock_unlock(&_syns.lock);
    pthread_rwlock_wrlock(&_syns.lock);
    int rc = 0;
    if (!_syns.loaded) {
        char path[PATH_MAX + 64];
        rc = tz_datafile_find_what(SYN_FILE, SYN_WHAT, path, sizeof path, d);
        if (rc == 0)
            rc = _syn_load_locked(path, d);
    }
    pthread_rwlock_unlock(&_syns.lock);
    if (rc)
        return -1;
    pthread_rwlock_rdlock(&_syns.lock);
    return 0;
}

/* The column of l the normalised header h names through a synonym, or -1.
 * Call with the read lock held. */
static int _syn_col_locked(const tz_ledger *l, const char *h)
{
    int star = -1;
    long long first;
    if (!tz_hmap_get(_syns.t.from, h, &first, NULL))
        return -1;
    for (long i = (long)first; i >= 0; i = _syns.t.v[i].next) {
        const _syn *e = &_syns.t.v[i];
        int c = tz_ledger_col(l, e->col);
        if (c < 0)
            continue;
        if (!strcmp(e->ledger, l->id))
            return c;
        if (!strcmp(e->ledger, "*") && star < 0)
            star = c;
    }
    return star;
}

/* Every ledger's contract column names, to turn away most cells with one
 * lookup (NULL when out of memory: then every ledger is asked). */
static tz_hmap *_names;
static pthread_once_t _names_once = PTHREAD_ONCE_INIT;

static void _names_build(void)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    tz_hmap *m = tz_hmap_new();
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < all[i].ncols; c++)
            _first_add(all[i].cols[c].name);
    for (size_t i = 0; m && i < n; i++)
        for (size_t c = 0; m && c < all[i].ncols; c++)
            if (tz_hmap_put(m, all[i].cols[c].name, 1, NULL)) {
                tz_hmap_free(m);
                m = NULL;
            }
    _names = m;
}

/* 0 when h is no ledger's column name, else 1 (maybe one). */
static int _maybe_name(const char *h)
{
    pthread_once(&_names_once, _names_build);
    return !_names || tz_hmap_get(_names, h, NULL, NULL);
}

/* The column the normalised text h names, by contract name or (syn_ok:
 * the synonym table is loaded and read-locked) through a synonym, with
 * *syn 1 for the latter; -1 when none. */
static int _normed_col(const tz_ledger *l, const char *h, int syn_ok, int *syn)
{
    *syn = 0;
    if (!*h)
        return -1;
    /* every contract name is its own normal form (test_ledger_values) */
    int c = _maybe_name(h) ? tz_ledger_col(l, h) : -1;
    if (c >= 0 && strcmp(l->cols[c].name, h) != 0)
        c = -1; /* an SQL name ("hh_id") is not a header */
    if (c < 0 && syn_ok) {
        c = _syn_col_locked(l, h);
        *syn = 1;
    }
    return c;
}

/* tz_header_col_how with the synonym table's state: syn_ok 0 when it could
 * not be loaded (only exact and normalised names then). */
static int _header_col(const tz_ledger *l, const char *cell, int syn_ok, tz_header_how *how)
{
    char *h = tz_header_norm(cell);
    int c = -1, syn = 0;
    tz_header_how hw = TZ_HOW_EXACT;
    if (h)
        c = _normed_col(l, h, syn_ok, &syn);
    if (c >= 0 && syn) {
        hw = TZ_HOW_SYNONYM;
    } else if (c >= 0) {
        char *t = _strip(cell, 0);
        hw = t && !strcmp(t, l->cols[c].name) ? TZ_HOW_EXACT : TZ_HOW_NORM;
        free(t);
    }
    free(h);
    if (how)
        *how = hw;
    return c;
}

int tz_header_col_how(const tz_ledger *l, const char *cell, tz_header_how *how)
{
    tz_diags quiet = TZ_DIAGS_INIT;
    int syn_ok = _syn_ready(&quiet) == 0;
    tz_diags_clear(&quiet);
    int c = _header_col(l, cell, syn_ok, how);
    if (syn_ok)
        pthread_rwlock_unlock(&_syns.lock);
    return c;
}

int tz_header_col(const tz_ledger *l, const char *cell)
{
    return tz_header_col_how(l, cell, NULL);
}

int tz_header_col_normed(const tz_ledger *l, const char *h)
{
    pthread_once(&_names_once, _names_build);
    if (!*h || (atomic_load_explicit(&_first_syn, memory_order_acquire) && !_first_has(h)))
        return -1;
    tz_diags quiet = TZ_DIAGS_INIT;
    int syn_ok = _syn_ready(&quiet) == 0, syn;
    tz_diags_clear(&quiet);
    int c = _normed_col(l, h, syn_ok, &syn);
    if (syn_ok)
        pthread_rwlock_unlock(&_syns.lock);
    return c;
}

/* ---- matching a header row -------------------------------------------------- */

/* Reports a cell matched other than exactly. */
static void _report_how(const tz_ledger *l, int c, tz_header_how how, const char *shown,
                        const char *file, long rowno, tz_diags *d)
{
    if (how == TZ_HOW_NORM)
        tz_diags_warn(d, file, rowno, shown, NULL,
                      "按“%s”列读取(表头的全角/半角字符或空格、换行与标准列名不同)",
                      l->cols[c].name);
    else if (how == TZ_HOW_SYNONYM)
        tz_diags_warn(d, file, rowno, shown, NULL,
                      "按“%s”列读取(同义列名,见data/header_synonyms.tsv)", l->cols[c].name);
}

/* Puts file cell j, naming column c in the way how, into the map; an
 * exact name wins over another way (the other cell is ignored, said),
 * two of the same way are an error. Returns 0 or -1. */
static int _place(const tz_ledger *l, tz_header_map *out, int c, tz_header_how how, size_t j,
                  const char *const *cells, const char *file, long rowno, tz_diags *d)
{
    char *shown = _strip(cells[j], 0);
    int rc = 0;
    if (out->map[c] < 0) {
        out->map[c] = (int)j;
        out->how[c] = (unsigned char)how;
    } else if (out->how[c] == TZ_HOW_EXACT && how != TZ_HOW_EXACT) {
        tz_diags_warn(d, file, rowno, shown, NULL, "已有“%s”列,此列忽略", l->cols[c].name);
    } else if (how == TZ_HOW_EXACT && out->how[c] != TZ_HOW_EXACT) {
        char *other = _strip(cells[out->map[c]], 0);
        tz_diags_warn(d, file, rowno, other, NULL, "已有“%s”列,此列忽略", l->cols[c].name);
        free(other);
        out->map[c] = (int)j;
        out->how[c] = TZ_HOW_EXACT;
    } else {
        char *other = _strip(cells[out->map[c]], 0);
        if (other && shown && strcmp(other, shown) != 0)
            tz_diags_error(d, file, rowno, shown, NULL, "与“%s”列都对应“%s”列,请只保留一列", other,
                           l->cols[c].name);
        else
            tz_diags_error(d, file, rowno, shown, NULL, "列名重复");
        free(other);
        rc = -1;
    }
    free(shown);
    return rc;
}

int tz_header_match_at(const tz_ledger *l, const char *const *cells, size_t n, const char *file,
                       long rowno, tz_header_map *out, tz_diags *d)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    out->ncols = l->ncols;
    out->map = malloc(l->ncols * sizeof(int));
    out->how = calloc(l->ncols ? l->ncols : 1, 1);
    if (!out->map || !out->how) {
        tz_diags_error(d, file, rowno, NULL, NULL, "内存不足");
        return -1;
    }
    for (size_t i = 0; i < l->ncols; i++)
        out->map[i] = -1;
    int syn_ok = _syn_ready(d) == 0;
    if (!syn_ok)
        rc = -1; /* reported by _syn_ready: the data file is part of the program */
    for (size_t j = 0; j < n; j++) {
        tz_header_how how;
        int c = _header_col(l, cells[j] ? cells[j] : "", syn_ok, &how);
        if (c >= 0) {
            if (_place(l, out, c, how, j, cells, file, rowno, d))
                rc = -1;
            continue;
        }
        char *h = _strip(cells[j] ? cells[j] : "", 0);
        if (h && *h)
            tz_diags_warn(d, file, rowno, h, NULL, "不是%s台账的列,已忽略", l->name);
        free(h);
    }
    if (syn_ok)
        pthread_rwlock_unlock(&_syns.lock);
    for (size_t i = 0; i < l->ncols; i++) {
        if (out->map[i] >= 0 && out->how[i] != TZ_HOW_EXACT) {
            char *shown = _strip(cells[out->map[i]], 0);
            _report_how(l, (int)i, (tz_header_how)out->how[i], shown, file, rowno, d);
            free(shown);
        }
        if (out->map[i] < 0 && (l->cols[i].flags & TZ_F_INFILE)) {
            tz_diags_error(d, file, rowno, l->cols[i].name, NULL, "缺少此列(%s台账必须包含该列)",
                           l->name);
            rc = -1;
        }
    }
    return rc;
}

int tz_header_match(const tz_ledger *l, const char *const *cells, size_t n, const char *file,
                    tz_header_map *out, tz_diags *d)
{
    return tz_header_match_at(l, cells, n, file, 1, out, d);
}

void tz_header_map_free(tz_header_map *m)
{
    if (!m)
        return;
    free(m->map);
    free(m->how);
    m->map = NULL;
    m->how = NULL;
}
