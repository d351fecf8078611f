/* names.c - names a file may write for region codes and unit names (issue 10,
 * item 5): 秦阁村, 宋河镇秦阁村 or 宋河镇/秦阁村 where a column takes a 12-digit
 * 区划代码, and 县文广旅局 where it takes a 单位名称.
 *
 * Owns: loading the regions (code, name, parent, level) and units (name,
 * region) of a database once per import into memory, with hash indexes by
 * normalised name, so that resolving one cell costs a few lookups whatever
 * the size of the province; reading data/unit_synonyms.tsv; the rules that
 * turn a written name into a code or a unit's full name, and the Chinese
 * reason when they cannot (unknown, ambiguous with its candidates, outside
 * the --region, the wrong level).
 *
 * Does not own: when names are asked for (ledger/validate.c calls
 * tz_names_resolve through tz_header_map.resolve), the import transaction
 * (ingest.c), the reference check that a kept unit name exists (ingest.c).
 */
#include "store/store.h"
#include "util/datafile.h"
#include "util/path.h"
#include "util/text.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NAMES_SYNONYMS_FILE "unit_synonyms.tsv"
#define NAMES_MAX_LISTED 8 /* candidates an ambiguous name's reason lists */

/* One region as loaded. */
typedef struct _region {
    char code[13];  /* 12-digit 区划代码 */
    char pcode[13]; /* its 上级区划代码, or "" */
    char *name;     /* the name as stored */
    char *key;      /* its normalised form (_names_norm) */
    int parent;     /* index of the parent region, or -1 */
    tz_level level; /* its level */
    int next;       /* next region with the same key's hash bucket, or -1 */
} _region;

/* One unit as loaded. */
typedef struct _unit {
    char *name;      /* 单位名称 as stored */
    char *key;       /* its normalised form */
    char region[13]; /* 所属区划代码, or "" */
    int next;        /* next unit in the same hash bucket, or -1 */
} _unit;

/* One line of data/unit_synonyms.tsv, read both ways: a clerk may write the
 * short form where the ledger keeps the full one, or the other way round. */
typedef struct _synonym {
    char *skey; /* the short form, normalised */
    char *fkey; /* the full name, normalised */
} _synonym;

struct tz_names {
    _region *regions; /* every region, sorted by code */
    size_t nregions;  /* count */
    int *rbucket;     /* hash buckets of regions by key: first index, or -1 */
    size_t nrbucket;  /* bucket count (a power of two) */
    _unit *units;     /* every unit */
    size_t nunits;    /* count */
    int *ubucket;     /* hash buckets of units by key */
    size_t nubucket;  /* bucket count (a power of two) */
    _synonym *syn;    /* unit synonyms, in file order */
    size_t nsyn;      /* count */
    char within[13];  /* the region the names are looked up inside, or "" */
    int wdigits;      /* leading digits shared by codes under within */
    tz_buf why;       /* the last reason given */
};

/* FNV-1a of a NUL-terminated string. */
static size_t _names_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* 1 for a separator a path of names may have between its parts (after
 * NFKC): whitespace of every kind, '/', '\', '、', '-', '—', '·'. */
static int _names_sep(long cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' ||
           cp == 0x3000 || cp == 0xA0 || cp == '/' || cp == '\\' || cp == 0x3001 || cp == '-' ||
           cp == 0x2014 || cp == 0x2013 || cp == 0x00B7 || cp == 0x30FB || tz_char_hidden(cp);
}

/* The normalised form of s: NFKC, with separators (_names_sep) removed.
 * Returns a malloc'd string, or NULL when s is not UTF-8 or memory ran
 * out. */
static char *_names_norm(const char *s)
{
    size_t len = 0;
    char *n = tz_text_nfkc(s, strlen(s), &len);
    if (!n)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        long cp;
        size_t k = tz_utf8_next(n + i, &cp);
        if (!_names_sep(cp)) {
            memmove(n + o, n + i, k);
            o += k;
        }
        i += k;
    }
    n[o] = '\0';
    return n;
}

/* 1 when code lies inside the region whose first digits leading digits are
 * those of within (no within: always). */
static int _names_inside(const tz_names *nm, const char *code)
{
    return !nm->within[0] || strncmp(code, nm->within, (size_t)nm->wdigits) == 0;
}

/* Adds one "简称<TAB>全称" line (p, its end of line still on) to nm.
 * Returns 0, 1 for a malformed line (diag added), -1 out of memory. */
static int _names_synonym_line(tz_names *nm, char *p, const char *path, long lineno, tz_diags *d)
{
    p[strcspn(p, "\r\n")] = '\0';
    char *tab = strchr(p, '\t');
    if (!tab || !tab[1] || strchr(tab + 1, '\t')) {
        tz_diags_error(d, path, lineno, NULL, p, "单位简称数据文件的一行应为“简称<TAB>全称”");
        return 1;
    }
    *tab = '\0';
    char *full = tab + 1;
    size_t e = strlen(full);
    while (e && (full[e - 1] == ' ' || full[e - 1] == '\t'))
        full[--e] = '\0';
    _synonym *ns = realloc(nm->syn, (nm->nsyn + 1) * sizeof *ns);
    if (!ns)
        return -1;
    nm->syn = ns;
    _synonym *s = &nm->syn[nm->nsyn];
    s->skey = _names_norm(p);
    s->fkey = _names_norm(full);
    if (!s->skey || !s->fkey || !*s->skey || !*s->fkey) {
        int empty = s->skey && s->fkey;
        free(s->skey);
        free(s->fkey);
        if (!empty)
            return -1;
        tz_diags_error(d, path, lineno, NULL, p, "单位简称或全称为空");
        return 1;
    }
    nm->nsyn++;
    return 0;
}

/* A tz_datafile_line_fn over _names_synonym_line: 0, -1 for a refused
 * line, 1 (stop) when memory ran out. */
static int _names_synonym_fn(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    int r = _names_synonym_line(acc, p, path, lineno, d);
    if (r < 0) {
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
        return 1;
    }
    return r ? -1 : 0;
}

/* Reads data/unit_synonyms.tsv ('#' comments and blank lines skipped).
 * Returns 0, or -1 with a diag. */
static int _names_load_synonyms(tz_names *nm, tz_diags *d)
{
    char path[PATH_MAX + 64];
    if (tz_datafile_find_what(NAMES_SYNONYMS_FILE, "单位简称", path, sizeof path, d))
        return -1;
    return tz_datafile_read(path, "单位简称", _names_synonym_fn, nm, d);
}

/* The smallest power of two at least 2n (at least 16). */
static size_t _names_buckets(size_t n)
{
    size_t b = 16;
    while (b < 2 * n)
        b <<= 1;
    return b;
}

/* Index of the region with this code in the sorted array, or -1. */
static int _names_region_by_code(const tz_names *nm, const char *code)
{
    size_t lo = 0, hi = nm->nregions;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(nm->regions[mid].code, code);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* qsort order of regions: by code. */
static int _names_by_code(const void *a, const void *b)
{
    return strcmp(((const _region *)a)->code, ((const _region *)b)->code);
}

/* Indexes the regions read: sorted by code (whatever the backend's
 * collation), parents as indexes, hash chains by name in code order.
 * Returns 0 or -1 (out of memory). */
static int _names_index_regions(tz_names *nm)
{
    if (nm->nregions)
        qsort(nm->regions, nm->nregions, sizeof *nm->regions, _names_by_code);
    nm->nrbucket = _names_buckets(nm->nregions);
    nm->rbucket = malloc(nm->nrbucket * sizeof *nm->rbucket);
    if (!nm->rbucket)
        return -1;
    for (size_t i = 0; i < nm->nrbucket; i++)
        nm->rbucket[i] = -1;
    for (size_t i = nm->nregions; i-- > 0;) { /* backwards: each chain in code order */
        _region *g = &nm->regions[i];
        g->parent = g->pcode[0] ? _names_region_by_code(nm, g->pcode) : -1;
        size_t b = _names_hash(g->key) & (nm->nrbucket - 1);
        g->next = nm->rbucket[b];
        nm->rbucket[b] = (int)i;
    }
    return 0;
}

/* Reads every region, then indexes them. Returns 0 or -1 (store error or
 * out of memory, diag added). */
static int _names_load_regions(tz_names *nm, tz_store *s, tz_diags *d)
{
    tz_stmt *st = NULL;
    size_t cap = 0;
    int rc = -1;
    if (tz_store_prepare(s, "SELECT code, name, parent, level FROM regions", &st))
        goto fail_store;
    int r;
    while ((r = tz_stmt_step(st)) == 1) {
        if (nm->nregions == cap) {
            cap = cap ? 2 * cap : 256;
            _region *nr = realloc(nm->regions, cap * sizeof *nr);
            if (!nr)
                goto oom;
            nm->regions = nr;
        }
        const char *code = tz_stmt_text(st, 0), *name = tz_stmt_text(st, 1);
        const char *parent = tz_stmt_text(st, 2);
        _region *g = &nm->regions[nm->nregions++];
        memset(g, 0, sizeof *g);
        snprintf(g->code, sizeof g->code, "%s", code ? code : "");
        snprintf(g->pcode, sizeof g->pcode, "%s", parent ? parent : "");
        g->level = tz_level_parse(tz_stmt_text(st, 3));
        g->name = strdup(name ? name : "");
        g->key = g->name ? _names_norm(g->name) : NULL;
        if (!g->name || !g->key)
            goto oom;
    }
    if (r < 0)
        goto fail_store;
    if (_names_index_regions(nm))
        goto oom;
    rc = 0;
    goto done;
fail_store:
    tz_diags_error(d, NULL, 0, NULL, NULL, "读取行政区划失败:%s", tz_store_errmsg(s));
    goto done;
oom:
    tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法读取行政区划");
done:
    tz_stmt_free(st);
    return rc;
}

/* Reads every unit. Returns 0 or -1 (diag added). */
static int _names_load_units(tz_names *nm, tz_store *s, tz_diags *d)
{
    tz_stmt *st = NULL;
    size_t cap = 0;
    int rc = -1;
    if (tz_store_prepare(s, "SELECT name, region FROM units ORDER BY name", &st)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "读取责任单位失败:%s", tz_store_errmsg(s));
        goto done;
    }
    int r;
    while ((r = tz_stmt_step(st)) == 1) {
        if (nm->nunits == cap) {
            cap = cap ? 2 * cap : 64;
            _unit *nu = realloc(nm->units, cap * sizeof *nu);
            if (!nu)
                goto oom;
            nm->units = nu;
        }
        const char *name = tz_stmt_text(st, 0), *region = tz_stmt_text(st, 1);
        _unit *u = &nm->units[nm->nunits++];
        memset(u, 0, sizeof *u);
        snprintf(u->region, sizeof u->region, "%s", region ? region : "");
        u->name = strdup(name ? name : "");
        u->key = u->name ? _names_norm(u->name) : NULL;
        if (!u->name || !u->key)
            goto oom;
    }
    if (r < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "读取责任单位失败:%s", tz_store_errmsg(s));
        goto done;
    }
    nm->nubucket = _names_buckets(nm->nunits);
    nm->ubucket = malloc(nm->nubucket * sizeof *nm->ubucket);
    if (!nm->ubucket)
        goto oom;
    for (size_t i = 0; i < nm->nubucket; i++)
        nm->ubucket[i] = -1;
    for (size_t i = 0; i < nm->nunits; i++) {
        size_t b = _names_hash(nm->units[i].key) & (nm->nubucket - 1);
        nm->units[i].next = nm->ubucket[b];
        nm->ubucket[b] = (int)i;
    }
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法读取责任单位");
done:
    tz_stmt_free(st);
    return rc;
}

int tz_names_open(tz_store *s, const char *within, tz_names **out, tz_diags *d)
{
    *out = NULL;
    tz_names *nm = calloc(1, sizeof *nm);
    if (!nm) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        return -1;
    }
    int rc = -1;
    if (within && *within) {
        snprintf(nm->within, sizeof nm->within, "%s", within);
        nm->wdigits = tz_code_digits(nm->within);
    }
    if (_names_load_regions(nm, s, d) || _names_load_units(nm, s, d) || _names_load_synonyms(nm, d))
        goto done;
    if (nm->within[0]) {
        int w = _names_region_by_code(nm, nm->within);
        if (w >= 0 && nm->regions[w].level != TZ_LEVEL_NONE)
            nm->wdigits = tz_level_digits(nm->regions[w].level);
    }
    *out = nm;
    nm = NULL;
    rc = 0;
done:
    tz_names_free(nm);
    return rc;
}

void tz_names_free(tz_names *nm)
{
    if (!nm)
        return;
    for (size_t i = 0; i < nm->nregions; i++) {
        free(nm->regions[i].name);
        free(nm->regions[i].key);
    }
    for (size_t i = 0; i < nm->nunits; i++) {
        free(nm->units[i].name);
        free(nm->units[i].key);
    }
    for (size_t i = 0; i < nm->nsyn; i++) {
        free(nm->syn[i].skey);
        free(nm->syn[i].fkey);
    }
    free(nm->regions);
    free(nm->rbucket);
    free(nm->units);
    free(nm->ubucket);
    free(nm->syn);
    tz_buf_free(&nm->why);
    free(nm);
}

/* ---- regions ------------------------------------------------------------ */

/* 1 when the written prefix p[0..n) is made of names of g's ancestors, the
 * nearest last, each ancestor at most once and any of them left out
 * (宋河镇 for 秦阁村, 唐河县宋河镇, 唐河县). */
static int _names_prefix_ok(const tz_names *nm, const _region *g, const char *p, size_t n)
{
    int depth = 0; /* a parent loop in broken data cannot hold the walk */
    for (int a = g->parent; n && a >= 0 && depth < 16; a = nm->regions[a].parent, depth++) {
        size_t k = strlen(nm->regions[a].key);
        if (k && k <= n && memcmp(p + n - k, nm->regions[a].key, k) == 0)
            n -= k;
    }
    return n == 0;
}

/* Candidates found for one written name. */
typedef struct _found {
    int idx[NAMES_MAX_LISTED + 1]; /* the first candidates (indexes into regions) */
    size_t n;                      /* candidates in all */
} _found;

/* Adds region i to f (a region matches one suffix only: its own name). */
static void _names_found_add(_found *f, int i)
{
    if (f->n < NAMES_MAX_LISTED + 1)
        f->idx[f->n] = i;
    f->n++;
}

/* Looks the normalised written key up: each suffix of it that starts a
 * character is a region's name, the rest its ancestors' names. Counts
 * into all every such region, into right those of level lv (TZ_LEVEL_NONE:
 * any), and into in those that are also inside within. */
static void _names_regions_find(const tz_names *nm, const char *key, tz_level lv, _found *all,
                                _found *right, _found *in)
{
    memset(all, 0, sizeof *all);
    memset(right, 0, sizeof *right);
    memset(in, 0, sizeof *in);
    size_t len = nm->nregions ? strlen(key) : 0;
    for (size_t k = 0; k < len;) {
        const char *suffix = key + k;
        size_t b = _names_hash(suffix) & (nm->nrbucket - 1);
        for (int i = nm->rbucket[b]; i >= 0; i = nm->regions[i].next) {
            const _region *g = &nm->regions[i];
            if (strcmp(g->key, suffix) != 0 || !_names_prefix_ok(nm, g, key, k))
                continue;
            _names_found_add(all, i);
            if (lv != TZ_LEVEL_NONE && g->level != lv)
                continue;
            _names_found_add(right, i);
            if (_names_inside(nm, g->code))
                _names_found_add(in, i);
        }
        long cp;
        k += tz_utf8_next(key + k, &cp);
    }
}

/* Appends g's path of names from the top ("河南省/周口市/鹿邑县/真源街道/秦阁村"). */
static void _names_path(tz_names *nm, int g)
{
    int chain[16];
    int n = 0;
    for (int a = g; a >= 0 && n < 16; a = nm->regions[a].parent)
        chain[n++] = a;
    while (n--)
        (void)tz_buf_printf(&nm->why, "%s%s", nm->regions[chain[n]].name, n ? "/" : "");
}

/* The reason for a name with several candidates, each 名称(代码,路径). */
static void _names_why_ambiguous(tz_names *nm, const char *raw, const _found *f)
{
    (void)tz_buf_printf(&nm->why, "名称“%s”对应%zu个区划,无法确定是哪一个:", raw, f->n);
    size_t j = 0;
    for (; j < f->n && j < NAMES_MAX_LISTED; j++) {
        const _region *g = &nm->regions[f->idx[j]];
        (void)tz_buf_printf(&nm->why, "%s%s(%s,", j ? "、" : "", g->name, g->code);
        _names_path(nm, f->idx[j]);
        (void)tz_buf_puts(&nm->why, ")");
    }
    if (f->n > j)
        (void)tz_buf_printf(&nm->why, "等%zu个", f->n);
    (void)tz_buf_puts(&nm->why, ";请写上上级名称(如“乡镇名/村名”)或直接填写12位区划代码");
}

/* Resolves a region name for column c. See tz_names_resolve. */
static int _names_region(tz_names *nm, const tz_column *c, const char *raw, char *out, size_t outsz)
{
    char *key = _names_norm(raw);
    if (!key) {
        (void)tz_buf_puts(&nm->why, "名称不是有效的文字(编码错误)或内存不足");
        return -1;
    }
    tz_level lv = c->ref_level ? tz_level_parse(c->ref_level) : TZ_LEVEL_NONE;
    _found all, right, in;
    _names_regions_find(nm, key, lv, &all, &right, &in);
    free(key);
    int rc = -1;
    if (in.n == 1) {
        const _region *g = &nm->regions[in.idx[0]];
        if (outsz <= strlen(g->code)) {
            (void)tz_buf_puts(&nm->why, "区划代码太长");
            return -1;
        }
        memcpy(out, g->code, strlen(g->code) + 1);
        rc = 0;
    } else if (in.n > 1) {
        _names_why_ambiguous(nm, raw, &in);
    } else if (right.n) {
        (void)tz_buf_printf(&nm->why, "“%s”不在本次导入的区划范围(%s", raw, nm->within);
        int w = _names_region_by_code(nm, nm->within);
        if (w >= 0)
            (void)tz_buf_printf(&nm->why, " %s", nm->regions[w].name);
        (void)tz_buf_puts(&nm->why, ")之内");
    } else if (all.n) {
        const _region *g = &nm->regions[all.idx[0]];
        (void)tz_buf_printf(&nm->why, "“%s”是%s级区划(%s),此列需要%s级区划", raw,
                            tz_level_word(g->level), g->code, c->ref_level);
    } else {
        (void)tz_buf_printf(
            &nm->why, "行政区划台账中没有名为“%s”的区划;请核对名称,或直接填写12位区划代码", raw);
    }
    return rc;
}

/* ---- units -------------------------------------------------------------- */

/* 1 when unit u may be meant inside within: its region and within lie one
 * inside the other (a county's import may name the city's units). */
static int _names_unit_near(const tz_names *nm, const _unit *u)
{
    if (!nm->within[0] || !u->region[0])
        return 1;
    int ud = tz_code_digits(u->region);
    size_t n = (size_t)(ud < nm->wdigits ? ud : nm->wdigits);
    return strncmp(u->region, nm->within, n) == 0;
}

/* Index of the unit whose normalised name is key, or -1. */
static int _names_unit_exact(const tz_names *nm, const char *key)
{
    size_t b = _names_hash(key) & (nm->nubucket - 1);
    for (int i = nm->ubucket[b]; i >= 0; i = nm->units[i].next)
        if (strcmp(nm->units[i].key, key) == 0)
            return i;
    return -1;
}

/* The last character of the NUL-terminated s (non-empty), or -1. */
static long _names_last(const char *s)
{
    long cp = -1;
    while (*s)
        s += tz_utf8_next(s, &cp);
    return cp;
}

/* 1 when w (normalised, 2 characters or more) abbreviates name: the same
 * first and last character, every character of w in name in order. The
 * earliest match of each character is as good as any, so one pass finds
 * whether the characters are there in order. */
static int _names_abbreviates(const char *w, const char *name)
{
    long a, b;
    size_t wk = tz_utf8_next(w, &a), nk = tz_utf8_next(name, &b);
    if (a != b || !w[wk] || _names_last(w) != _names_last(name))
        return 0;
    const char *p = name + nk;
    for (const char *q = w + wk; *q;) {
        long cq, cp = -1;
        q += tz_utf8_next(q, &cq);
        while (*p && cp != cq)
            p += tz_utf8_next(p, &cp);
        if (cp != cq)
            return 0;
    }
    return 1;
}

/* Resolves a unit name. See tz_names_resolve. */
static int _names_unit(tz_names *nm, const char *raw, char *out, size_t outsz)
{
    char *key = _names_norm(raw);
    if (!key || !*key) {
        free(key);
        return 1;
    }
    const char *full = NULL;
    int i = _names_unit_exact(nm, key);
    if (i >= 0) {
        full = nm->units[i].name;
    } else {
        /* the first line of the file whose other form is a unit */
        for (size_t j = 0; j < nm->nsyn && !full; j++) {
            const _synonym *y = &nm->syn[j];
            const char *other = strcmp(y->skey, key) == 0   ? y->fkey
                                : strcmp(y->fkey, key) == 0 ? y->skey
                                                            : NULL;
            int fi = other ? _names_unit_exact(nm, other) : -1;
            if (fi >= 0 && _names_unit_near(nm, &nm->units[fi]))
                full = nm->units[fi].name;
        }
    }
    for (size_t j = 0; j < nm->nunits && !full; j++) {
        const _unit *u = &nm->units[j];
        if (!_names_unit_near(nm, u) || !_names_abbreviates(key, u->key))
            continue;
        for (size_t k = j + 1; k < nm->nunits && u; k++)
            if (_names_unit_near(nm, &nm->units[k]) && _names_abbreviates(key, nm->units[k].key))
                u = NULL; /* two units fit: keep it as written */
        if (!u)
            break;
        full = u->name;
    }
    free(key);
    if (!full || strcmp(full, raw) == 0 || strlen(full) >= outsz)
        return 1;
    memcpy(out, full, strlen(full) + 1);
    return 0;
}

int tz_names_resolve(void *ctx, const tz_ledger *l, int col, const char *raw, char *out,
                     size_t outsz, const char **why)
{
    tz_names *nm = ctx;
    *why = "";
    if (!nm)
        return 1;
    tz_buf_reset(&nm->why);
    if (!l || col < 0 || (size_t)col >= l->ncols || !raw)
        return 1;
    const tz_column *c = &l->cols[col];
    int rc = 1;
    /* a region's own 区划代码 (no ref) is the code being defined: never a name */
    if (c->ref && strcmp(c->ref, "regions") == 0)
        rc = _names_region(nm, c, raw, out, outsz);
    else if (c->ref && strcmp(c->ref, "units") == 0)
        rc = _names_unit(nm, raw, out, outsz);
    if (rc < 0)
        *why = nm->why.data ? nm->why.data : "内存不足";
    return rc;
}
