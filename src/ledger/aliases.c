/* aliases.c - values as people write them: the aliases of
 * data/value_aliases.tsv (因病致贫 → 因病, √ → 是), one hash table loaded
 * once, on first use, under a read-write lock (the server validates rows
 * from several threads); a failed load is tried again on the next use.
 *
 * A line is "列名或*<TAB>写法<TAB>标准值": the column's Chinese header (every
 * ledger's column of that name) or * (every enum or 是/否 column that
 * accepts the standard value). The written form is compared after NFKC
 * and trimming. A line is checked when the file is read: the column exists
 * and takes enumerated values, the standard value is one it accepts, the
 * written form is not itself accepted there, and no written form is given
 * twice for one column.
 */
#include "ledger/ledger_impl.h"
#include "util/datafile.h"
#include "util/text.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIAS_FILE "value_aliases.tsv"
#define ALIAS_WHAT "取值别名"

/* One line of the file. */
typedef struct _alias {
    char *col;  /* the column's Chinese header, or "*" */
    char *from; /* the written form, NFKC and trimmed */
    char *to;   /* the standard value */
    long line;  /* line of the file */
} _alias;

typedef struct _alias_table {
    _alias *v;    /* lines in file order */
    size_t n;     /* lines */
    size_t *slot; /* open addressing over (col, from): index in v + 1, or 0 */
    size_t nslot; /* slots, a power of two, more than twice n (0: none yet) */
} _alias_table;

static struct {
    pthread_rwlock_t lock; /* guards the table */
    int loaded;            /* 1 once a table is in place */
    _alias_table t;        /* the table */
} _aliases = {.lock = PTHREAD_RWLOCK_INITIALIZER};

static void _table_free(_alias_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].col);
        free(t->v[i].from);
        free(t->v[i].to);
    }
    free(t->v);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

static size_t _slot_of(const _alias_table *t, const char *col, const char *from)
{
    size_t mask = t->nslot - 1;
    size_t i = (size_t)tzl_hash(from, tzl_hash(col, TZL_HASH_INIT) ^ 0x1F) & mask;
    while (t->slot[i]) {
        const _alias *e = &t->v[t->slot[i] - 1];
        if (!strcmp(e->col, col) && !strcmp(e->from, from))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

/* The line for (col, from), or NULL. */
static const _alias *_lookup(const _alias_table *t, const char *col, const char *from)
{
    if (!t->nslot)
        return NULL;
    size_t i = _slot_of(t, col, from);
    return t->slot[i] ? &t->v[t->slot[i] - 1] : NULL;
}

/* Makes room for one more line in the slots. Returns 0 or -1 (OOM). */
static int _reserve(_alias_table *t)
{
    if (t->nslot && (t->n + 1) * 2 < t->nslot)
        return 0;
    size_t nslot = t->nslot ? t->nslot * 2 : 256;
    size_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return -1;
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    for (size_t k = 0; k < t->n; k++)
        t->slot[_slot_of(t, t->v[k].col, t->v[k].from)] = k + 1;
    return 0;
}

int tzl_choice_ok(const tz_column *c, const char *v)
{
    if (c->type == TZ_COL_BOOL && !c->choices)
        return !strcmp(v, "是") || !strcmp(v, "否");
    if (!c->choices)
        return c->type == TZ_COL_LIST;
    for (int i = 0; c->choices[i]; i++)
        if (!strcmp(c->choices[i], v))
            return 1;
    return 0;
}

/* 1 for a column whose values an alias may stand for. */
static int _takes_choices(const tz_column *c)
{
    return c->type == TZ_COL_ENUM || c->type == TZ_COL_BOOL ||
           (c->type == TZ_COL_LIST && c->choices);
}

/* How the columns named col (every such column when col is "*") take v:
 * sets *cols to the number of columns that take choices, *accept to the
 * number of those accepting v. */
static void _columns_taking(const char *col, const char *v, int *cols, int *accept)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    *cols = *accept = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < all[i].ncols; k++) {
            const tz_column *c = &all[i].cols[k];
            if (!_takes_choices(c) || (strcmp(col, "*") != 0 && strcmp(c->name, col) != 0))
                continue;
            (*cols)++;
            *accept += tzl_choice_ok(c, v);
        }
}

/* The NFKC form of s, trimmed at both ends (tzl_is_blank); NULL on OOM
 * or when s is not UTF-8. */
char *tzl_nfkc_trim(const char *s)
{
    char *n = tz_text_nfkc(s, strlen(s), NULL);
    if (!n)
        return NULL;
    const char *p = n, *end = n; /* end: after the last character kept */
    int started = 0;
    for (const char *q = n; *q;) {
        long cp;
        size_t k = tz_utf8_next(q, &cp);
        if (!tzl_is_blank(cp)) {
            if (!started)
                p = q;
            started = 1;
            end = q + k;
        }
        q += k;
    }
    size_t len = started ? (size_t)(end - p) : 0;
    memmove(n, p, len);
    n[len] = '\0';
    return n;
}

/* Checks a parsed line against the ledgers and the lines before it.
 * Returns 0, or -1 with a diag. */
static int _alias_check(const _alias_table *t, const char *col, const char *from, const char *to,
                        const char *path, long lineno, tz_diags *d)
{
    int cols, accept;
    _columns_taking(col, to, &cols, &accept);
    if (!cols) {
        tz_diags_error(d, path, lineno, "列名", col,
                       "没有这个取值列(应为台账中枚举、是/否或多值列的列名,或*)");
        return -1;
    }
    if (!accept) {
        tz_diags_error(d, path, lineno, "标准值", to, "不是%s%s列允许的取值",
                       strcmp(col, "*") ? col : "任何", strcmp(col, "*") ? "" : "枚举或是/否");
        return -1;
    }
    if (strcmp(col, "*") != 0) {
        _columns_taking(col, from, &cols, &accept);
        if (accept) {
            tz_diags_error(d, path, lineno, "写法", from, "这本身就是%s列允许的取值,不必写别名",
                           col);
            return -1;
        }
    }
    const _alias *e = _lookup(t, col, from);
    if (e) {
        tz_diags_error(d, path, lineno, "写法", from, "第%ld行已给出它的标准值“%s”", e->line,
                       e->to);
        return -1;
    }
    return 0;
}

/* Appends a checked line. Returns 0 or 1 (out of memory: stop). */
static int _alias_add(_alias_table *t, const char *col, char *from, const char *to, long lineno)
{
    if (_reserve(t))
        return 1;
    _alias *v = realloc(t->v, (t->n + 1) * sizeof *v);
    if (!v)
        return 1;
    t->v = v;
    _alias *e = &v[t->n];
    e->col = strdup(col);
    e->to = strdup(to);
    e->from = from;
    e->line = lineno;
    if (!e->col || !e->to) {
        free(e->col);
        free(e->to);
        return 1;
    }
    t->slot[_slot_of(t, col, from)] = ++t->n;
    return 0;
}

/* tz_datafile_read callback: one "列名或*<TAB>写法<TAB>标准值" line. */
static int _alias_line(void *acc, char *p, const char *path, long lineno, tz_diags *d)
{
    _alias_table *t = acc;
    char *f[4];
    if (tz_datafile_fields(p, f, 4) != 3 || !*f[0] || !*f[1] || !*f[2]) {
        tz_diags_error(d, path, lineno, NULL, p, "格式应为 列名或*<TAB>写法<TAB>标准值");
        return -1;
    }
    char *from = tzl_nfkc_trim(f[1]);
    if (!from) {
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
        return 1;
    }
    int rc = -1;
    if (!*from)
        tz_diags_error(d, path, lineno, "写法", f[1], "写法不能为空");
    else if (!_alias_check(t, f[0], from, f[2], path, lineno, d))
        rc = _alias_add(t, f[0], from, f[2], lineno);
    if (rc == 0)
        return 0; /* from is the table's now */
    if (rc > 0)
        tz_diags_error(d, path, lineno, NULL, NULL, "内存不足");
    free(from);
    return rc;
}

/* Reads the file at path and puts its table in place. Call with the write
 * lock held. Returns 0 or -1 (the table in place is kept). */
static int _load_locked(const char *path, tz_diags *d)
{
    _alias_table t;
    memset(&t, 0, sizeof t);
    if (tz_datafile_read(path, ALIAS_WHAT, _alias_line, &t, d)) {
        _table_free(&t);
        return -1;
    }
    _table_free(&_aliases.t);
    _aliases.t = t;
    _aliases.loaded = 1;
    return 0;
}

int tz_value_aliases_load(const char *path, tz_diags *d)
{
    pthread_rwlock_wrlock(&_aliases.lock);
    int rc = _load_locked(path, d);
    pthread_rwlock_unlock(&_aliases.lock);
    return rc;
}

/* Takes the read lock with a table in place, loading the default file
 * first when none is. Returns 0 (read lock held), or -1 (no lock held). */
static int _ready(tz_diags *d)
{
    pthread_rwlock_rdlock(&_aliases.lock);
    if (_aliases.loaded)
        return 0;
    pthread_rwlock_unlock(&_aliases.lock);
    pthread_rwlock_wrlock(&_aliases.lock);
    int rc = 0;
    if (!_aliases.loaded) {
        char path[PATH_MAX + 64];
        rc = tz_datafile_find_what(ALIAS_FILE, ALIAS_WHAT, path, sizeof path, d);
        if (rc == 0)
            rc = _load_locked(path, d);
    }
    pthread_rwlock_unlock(&_aliases.lock);
    if (rc)
        return -1;
    pthread_rwlock_rdlock(&_aliases.lock);
    return 0;
}

int tzl_alias(const tz_column *c, const char *v, char *out, size_t outsz, const char **why)
{
    tz_diags quiet = TZ_DIAGS_INIT;
    int ok = _ready(&quiet) == 0;
    tz_diags_clear(&quiet);
    if (!ok) {
        *why = "取值别名数据文件data/value_aliases.tsv无法读取(可设置环境变量TAIZHANG_HOME)";
        return -1;
    }
    int rc = 1;
    const _alias *e = _lookup(&_aliases.t, c->name, v);
    if (!e || !tzl_choice_ok(c, e->to))
        e = _lookup(&_aliases.t, "*", v);
    if (e && tzl_choice_ok(c, e->to)) {
        snprintf(out, outsz, "%s", e->to);
        rc = 0;
    }
    pthread_rwlock_unlock(&_aliases.lock);
    return rc;
}
