/* quality.c - inputs not recorded: for each column that an indicator or a
 * rule reads and whose empty value means nothing of its own, the rows of the
 * scope where it is NULL (未记录: a file without that optional column, or a
 * cell left empty), counted: one data-quality finding per column, naming
 * what the gap affects ("3户未记录贫困户属性(影响:按贫困户属性分组的统计)").
 *
 * Which columns is read off the definitions, never listed a second time:
 * - the indicator table (indicators.c): every "alias.column" of an
 *   indicator's FROM, WHERE, value and region/unit/date/end columns (the
 *   aliases come from its FROM), and each dimension that is a plain enum
 *   column (a split by 贫困户属性 puts a household without one in no group);
 * - the rules (tzm_rule_inputs): a row rule's SQL, or the columns a coded
 *   rule names in the rule table.
 * A column whose NULL an indicator tests (IS NULL, IS NOT NULL in its FROM or
 * WHERE) or that ends an interval (end_col) means something when empty
 * (脱贫年度 empty is 未脱贫, 撤回日期 empty is 仍在岗, the 户编号 of an aid
 * input empty is 村集体) and is not reported; nor is a key column, which
 * cannot be empty. A column the ledger fills only when a condition holds
 * (its required_if or only_if, e.g. 贫困村 when 层级=村) counts the rows where
 * the condition holds.
 *
 * Counted, not listed: the finding has the count and no keys (a file
 * without the column leaves every row of it empty; the rows are found by
 * filtering the column empty). The counts come from the ledgers (one scan
 * per ledger, every column at once), or, when the summaries are current,
 * from tz_agg_null, which summary.c rebuilds with them: the counts per
 * ledger, region code, unit and column, rolled up to every region node as
 * tz_agg_hh is (a whole region reads its node's few rows).
 */
#include "metrics/metrics_impl.h"
#include "util/text.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Capacity of the use table (test_quality.c checks every ledger fits). */
#define Q_MAX_LEDGERS TZM_UNREC_MAX_LEDGERS
#define Q_MAX_COLS TZM_UNREC_MAX_COLS
/* Aliases of one SQL text. */
#define Q_MAX_ALIASES 12

/* How a column is used (bits of _use). */
enum {
    USE_IND = 1,    /* an indicator reads it */
    USE_DIM = 2,    /* an indicator splits by it (a plain enum column) */
    USE_RULE = 4,   /* a rule reads it */
    USE_MEANING = 8 /* an indicator gives its NULL a meaning */
};

static unsigned char _use[Q_MAX_LEDGERS][Q_MAX_COLS];
static pthread_once_t _use_once = PTHREAD_ONCE_INIT;
static char _layout[2048]; /* the checked columns, "ledger:col,col;…" (summary version) */

/* ---- reading SQL fragments ------------------------------------------------ */

typedef struct q_alias {
    char name[64];      /* the alias (or the ledger id itself) */
    const tz_ledger *l; /* its ledger */
} q_alias;

typedef struct q_aliases {
    q_alias v[Q_MAX_ALIASES]; /* aliases */
    size_t n;                 /* how many */
} q_aliases;

static int _ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int _ident_char(char c)
{
    return _ident_start(c) || (c >= '0' && c <= '9');
}

/* The next token of *p: an identifier, possibly qualified (a.b), copied to
 * tok; string literals and punctuation are skipped. Returns 1, or 0 at the
 * end. *qual is set to the offset of the '.' in tok, or 0. */
static int _token(const char **p, char *tok, size_t sz, size_t *qual)
{
    const char *s = *p;
    for (;;) {
        if (!*s)
            return 0;
        if (*s == '\'') {
            s = strchr(s + 1, '\'');
            if (!s)
                return 0;
            s++;
            continue;
        }
        if (_ident_start(*s) && (s == *p || !_ident_char(s[-1])))
            break;
        s++;
    }
    size_t n = 0;
    *qual = 0;
    while (_ident_char(*s) || (*s == '.' && !*qual && n > 0 && _ident_start(s[1]))) {
        if (*s == '.')
            *qual = n;
        if (n + 1 < sz)
            tok[n++] = *s;
        s++;
    }
    tok[n] = '\0';
    *p = s;
    return 1;
}

static int _keyword(const char *w)
{
    static const char *const kw[] = {"ON",    "JOIN", "LEFT",   "INNER", "WHERE", "AS",
                                     "AND",   "OR",   "CROSS",  "USING", "GROUP", "ORDER",
                                     "UNION", "NOT",  "SELECT", NULL};
    for (size_t i = 0; kw[i]; i++)
        if (!strcasecmp(w, kw[i]))
            return 1;
    return 0;
}

/* Adds the aliases of sql ("households h", "JOIN regions r") to a. */
static void _aliases_of(const char *sql, q_aliases *a)
{
    char tok[64];
    size_t qual;
    const tz_ledger *pending = NULL;
    while (sql && _token(&sql, tok, sizeof tok, &qual)) {
        if (pending && !qual && !_keyword(tok) && a->n < Q_MAX_ALIASES) {
            snprintf(a->v[a->n].name, sizeof a->v[a->n].name, "%s", tok);
            a->v[a->n++].l = pending;
        }
        pending = qual ? NULL : tz_ledger_find(tok);
        if (pending && strcmp(pending->id, tok) != 0)
            pending = NULL; /* a Chinese name is no table */
    }
}

/* The ledger of an alias in a, or the ledger whose id it is. */
static const tz_ledger *_alias_ledger(const q_aliases *a, const char *name)
{
    for (size_t i = 0; i < a->n; i++)
        if (!strcmp(a->v[i].name, name))
            return a->v[i].l;
    const tz_ledger *l = tz_ledger_find(name);
    return l && !strcmp(l->id, name) ? l : NULL;
}

/* Index of ledger l in tz_ledger_all, or -1. */
static int _ledger_index(const tz_ledger *l)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    return l && l >= all && l < all + n ? (int)(l - all) : -1;
}

/* Calls fn for each column reference (alias.column) of sql, with what
 * follows it in the text. */
typedef void (*q_ref_fn)(void *ctx, const tz_ledger *l, int col, const char *after);

static void _refs(const char *sql, const q_aliases *a, q_ref_fn fn, void *ctx)
{
    char tok[64];
    size_t qual;
    while (sql && _token(&sql, tok, sizeof tok, &qual)) {
        if (!qual)
            continue;
        tok[qual] = '\0';
        const tz_ledger *l = _alias_ledger(a, tok);
        int col = l ? tz_ledger_col(l, tok + qual + 1) : -1;
        if (col >= 0)
            fn(ctx, l, col, sql);
    }
}

/* ---- the use table ----------------------------------------------------------- */

typedef struct q_mark {
    unsigned char bits; /* USE_* to set */
    int null_tests;     /* 1: a following IS [NOT] NULL sets USE_MEANING too */
} q_mark;

static void _mark(void *ctx, const tz_ledger *l, int col, const char *after)
{
    const q_mark *m = ctx;
    int li = _ledger_index(l);
    if (li < 0 || li >= Q_MAX_LEDGERS || col >= Q_MAX_COLS)
        return;
    _use[li][col] |= m->bits;
    if (m->null_tests) {
        while (*after == ' ')
            after++;
        if (!strncasecmp(after, "IS NULL", 7) || !strncasecmp(after, "IS NOT NULL", 11))
            _use[li][col] |= USE_MEANING;
    }
}

/* The plain enum column a dimension expression is, or -1 (and *l NULL). */
static int _dim_col(const char *expr, const q_aliases *a, const tz_ledger **l)
{
    char tok[64];
    size_t qual;
    const char *p = expr;
    *l = NULL;
    if (!_token(&p, tok, sizeof tok, &qual) || !qual || *p)
        return -1;
    tok[qual] = '\0';
    const tz_ledger *dl = _alias_ledger(a, tok);
    int col = dl ? tz_ledger_col(dl, tok + qual + 1) : -1;
    if (col < 0 || dl->cols[col].type != TZ_COL_ENUM)
        return -1;
    *l = dl;
    return col;
}

/* Marks what one indicator reads. */
static void _mark_indicator(const tzm_ind_def *def)
{
    if (def->kind != TZM_IND_SQL)
        return;
    q_aliases a = {0};
    _aliases_of(def->from, &a);
    q_mark tested = {USE_IND, 1}, read = {USE_IND, 0}, ends = {USE_IND | USE_MEANING, 0};
    _refs(def->from, &a, _mark, &tested);
    _refs(def->where, &a, _mark, &tested);
    const char *plain[] = {def->value, def->region_col, def->unit_col, def->date_col};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        _refs(plain[i], &a, _mark, &read);
    _refs(def->end_col, &a, _mark, &ends);
    for (size_t i = 0; def->dims && def->dims[i].name; i++) {
        const tz_ledger *l;
        int col = _dim_col(def->dims[i].expr, &a, &l);
        int li = _ledger_index(l);
        if (col >= 0 && li >= 0 && li < Q_MAX_LEDGERS && col < Q_MAX_COLS)
            _use[li][col] |= USE_DIM;
    }
}

/* 1 when column col of ledger index li is checked for gaps. */
static int _checked(const tz_ledger *l, int li, size_t col)
{
    unsigned u = _use[li][col];
    return (u & (USE_IND | USE_DIM | USE_RULE)) && !(u & USE_MEANING) &&
           !(l->cols[col].flags & TZ_F_KEY);
}

static void _use_init(void)
{
    size_t n, nl;
    const tzm_ind_def *defs = tzm_ind_defs(&n);
    for (size_t i = 0; i < n; i++)
        _mark_indicator(&defs[i]);
    const char *summary, *reads;
    q_mark rule = {USE_RULE, 0};
    for (size_t i = 0; tzm_rule_inputs(i, &summary, &reads); i++) {
        q_aliases a = {0};
        _aliases_of(reads, &a);
        _refs(reads, &a, _mark, &rule);
    }
    const tz_ledger *all = tz_ledger_all(&nl);
    size_t len = 0;
    for (size_t li = 0; li < nl && li < Q_MAX_LEDGERS; li++) {
        const char *sep = ":";
        for (size_t c = 0; c < all[li].ncols && c < Q_MAX_COLS; c++) {
            if (!_checked(&all[li], (int)li, c))
                continue;
            if (*sep == ':' && len < sizeof _layout)
                len += (size_t)snprintf(_layout + len, sizeof _layout - len, "%s", all[li].id);
            if (len < sizeof _layout)
                len += (size_t)snprintf(_layout + len, sizeof _layout - len, "%s%s", sep,
                                        all[li].cols[c].sql);
            sep = ",";
        }
        if (*sep == ',' && len < sizeof _layout)
            len += (size_t)snprintf(_layout + len, sizeof _layout - len, ";");
    }
}

const char *tzm_unrecorded_layout(void)
{
    pthread_once(&_use_once, _use_init);
    return _layout;
}

int tzm_unrecorded_checked(const tz_ledger *l, int col)
{
    int li = _ledger_index(l);
    pthread_once(&_use_once, _use_init);
    if (li < 0 || li >= Q_MAX_LEDGERS || col < 0 || col >= Q_MAX_COLS || (size_t)col >= l->ncols)
        return 0;
    return _checked(l, li, (size_t)col);
}

/* ---- counting the gaps ---------------------------------------------------- */

/* The SQL pieces of one ledger's gaps (alias x; the referenced ledger of its
 * region v, of its unit w). */
typedef struct q_ledger_sql {
    tz_buf from;          /* FROM clause */
    tz_buf counts;        /* per checked column: SUM(CASE WHEN <empty> THEN 1 ELSE 0 END) */
    tz_buf any;           /* the condition: some checked column empty */
    char region[80];      /* region code expression, or "" */
    char unit[80];        /* unit name expression, or "" */
    tz_level level;       /* level of the region codes (TZ_LEVEL_NONE: any) */
    int cols[Q_MAX_COLS]; /* the checked columns, in ledger order */
    size_t ncols;         /* how many */
} q_ledger_sql;

static void _ledger_sql_free(q_ledger_sql *q)
{
    tz_buf_free(&q->from);
    tz_buf_free(&q->counts);
    tz_buf_free(&q->any);
}

/* Writes the expression of link k (own column, or via's column through a
 * LEFT JOIN aliased jalias; an inner JOIN when inner: a condition on the
 * expression keeps only the rows that have it anyway, and the join can then
 * start from the referenced ledger's index) to out, adding the join to from. */
static void _link_expr(const tz_ledger *l, const tz_row_link *k, const char *jalias, int inner,
                       tz_buf *from, char *out, size_t sz, tz_level *level)
{
    out[0] = '\0';
    int c = k->col ? tz_ledger_col(l, k->col) : -1;
    if (c < 0)
        return;
    const tz_column *col = &l->cols[c];
    if (level)
        *level = col->ref_level ? tz_level_parse(col->ref_level) : TZ_LEVEL_NONE;
    if (!k->via) {
        snprintf(out, sz, "x.%s", col->sql);
        return;
    }
    const tz_ledger *v = tz_ledger_find(k->via);
    int key[4];
    int vc = v ? tz_ledger_col(v, k->via_col) : -1;
    if (vc < 0 || tz_ledger_keys(v, key) != 1)
        return;
    tz_buf_printf(from, " %sJOIN %s %s ON %s.%s = x.%s", inner ? "" : "LEFT ", v->id, jalias,
                  jalias, v->cols[key[0]].sql, col->sql);
    snprintf(out, sz, "%s.%s", jalias, v->cols[vc].sql);
    if (level)
        *level = v->cols[vc].ref_level ? tz_level_parse(v->cols[vc].ref_level) : TZ_LEVEL_NONE;
}

/* Appends the condition under which column c of l must hold a value: its
 * required_if (else only_if) "列名=值|值", as " AND x.col IN (...)". */
static void _fill_condition(const tz_ledger *l, const tz_column *c, tz_buf *sql)
{
    const char *cond = c->required_if ? c->required_if : c->only_if;
    const char *eq = cond ? strchr(cond, '=') : NULL;
    if (!eq)
        return;
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - cond), cond);
    int cc = tz_ledger_col(l, name);
    if (cc < 0)
        return;
    const tz_column *on = &l->cols[cc];
    tz_buf_printf(sql, " AND x.%s IN (", on->sql);
    for (const char *v = eq + 1, *bar; *v; v = bar ? bar + 1 : v + strlen(v)) {
        bar = strchr(v, '|');
        int len = bar ? (int)(bar - v) : (int)strlen(v);
        if (v != eq + 1)
            tz_buf_puts(sql, ", ");
        if (on->type == TZ_COL_BOOL) {
            tz_buf_puts(sql, len == 3 && !strncmp(v, "是", 3) ? "1" : "0");
            continue;
        }
        /* values of the ledger table (data, no user input) as literals */
        tz_buf_putc(sql, '\'');
        for (int i = 0; i < len; i++) {
            if (v[i] == '\'')
                tz_buf_putc(sql, '\'');
            tz_buf_putc(sql, v[i]);
        }
        tz_buf_putc(sql, '\'');
        if (!bar)
            break;
    }
    tz_buf_puts(sql, ")");
}

/* Builds the pieces for ledger l (index li); inner: only rows with a region
 * are wanted. Returns the number of checked columns (0: nothing to count). */
static size_t _ledger_sql(const tz_ledger *l, int li, int inner, q_ledger_sql *q)
{
    memset(q, 0, sizeof *q);
    tz_buf_printf(&q->from, "%s x", l->id);
    q->level = TZ_LEVEL_NONE;
    _link_expr(l, &l->region, "v", inner, &q->from, q->region, sizeof q->region, &q->level);
    if (l->unit.col && l->region.via && l->unit.via && !strcmp(l->region.via, l->unit.via) &&
        !strcmp(l->region.col, l->unit.col)) {
        const tz_ledger *v = tz_ledger_find(l->unit.via);
        int vc = v ? tz_ledger_col(v, l->unit.via_col) : -1;
        if (vc >= 0)
            snprintf(q->unit, sizeof q->unit, "v.%s", v->cols[vc].sql);
    } else {
        _link_expr(l, &l->unit, "w", 0, &q->from, q->unit, sizeof q->unit, NULL);
    }
    for (size_t c = 0; c < l->ncols && c < Q_MAX_COLS; c++) {
        if (!_checked(l, li, c))
            continue;
        tz_buf cond = TZ_BUF_INIT;
        tz_buf_printf(&cond, "x.%s IS NULL", l->cols[c].sql);
        _fill_condition(l, &l->cols[c], &cond);
        tz_buf_printf(&q->counts, "%sSUM(CASE WHEN %s THEN 1 ELSE 0 END)", q->ncols ? ", " : "",
                      tz_buf_str(&cond));
        tz_buf_printf(&q->any, "%s(%s)", q->ncols ? " OR " : "", tz_buf_str(&cond));
        tz_buf_free(&cond);
        q->cols[q->ncols++] = (int)c;
    }
    return q->ncols;
}

static int _cache_error(tz_store *s, tz_diags *d)
{
    tz_diags_error(d, NULL, 0, NULL, NULL, "无法更新规则缓存表: %s", tz_store_errmsg(s));
    return -1;
}

/* Where _cache_ledger's rows go: a village gap row of tz_agg_null (ledger,
 * region or NULL, unit or NULL, column, count). Returns 0 or -1 with a diag. */
typedef int (*gap_sink)(void *ctx, const tz_ledger *l, const char *region, const char *unit,
                        const char *col, long long n, tz_diags *d);

/* gap_sink: the row inserted through the prepared insert ctx (on s). */
typedef struct gap_ins {
    tz_store *s;
    tz_stmt *ins;
} gap_ins;

static int _gap_insert(void *ctx, const tz_ledger *l, const char *region, const char *unit,
                       const char *col, long long n, tz_diags *d)
{
    gap_ins *g = ctx;
    if (tz_stmt_reset(g->ins) || tz_stmt_bind_text(g->ins, 1, l->id) ||
        (region ? tz_stmt_bind_text(g->ins, 2, region) : tz_stmt_bind_null(g->ins, 2)) ||
        (unit ? tz_stmt_bind_text(g->ins, 3, unit) : tz_stmt_bind_null(g->ins, 3)) ||
        tz_stmt_bind_text(g->ins, 4, col) || tz_stmt_bind_int(g->ins, 5, n) ||
        tz_stmt_step(g->ins) < 0)
        return _cache_error(g->s, d);
    return 0;
}

/* A village gap row read ahead (tzm_gaps_read), written later. */
typedef struct gap_row {
    const tz_ledger *l;
    char *region, *unit; /* NULL: SQL NULL */
    const char *col;     /* the column's SQL name (the ledger definition's) */
    long long n;
} gap_row;

struct tzm_gaps {
    gap_row *v;
    size_t n, cap;
};

static char *_dup_or_null(const char *t, int *oom)
{
    char *c = t ? strdup(t) : NULL;
    if (t && !c)
        *oom = 1;
    return c;
}

/* gap_sink: the row kept in the tzm_gaps ctx. */
static int _gap_keep(void *ctx, const tz_ledger *l, const char *region, const char *unit,
                     const char *col, long long n, tz_diags *d)
{
    tzm_gaps *g = ctx;
    int oom = 0;
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 256;
        gap_row *nv = realloc(g->v, ncap * sizeof *nv);
        if (!nv)
            oom = 1;
        else {
            g->v = nv;
            g->cap = ncap;
        }
    }
    if (!oom) {
        gap_row *r = &g->v[g->n];
        r->l = l;
        r->col = col;
        r->n = n;
        r->region = _dup_or_null(region, &oom);
        r->unit = _dup_or_null(unit, &oom);
        if (oom) {
            free(r->region);
            free(r->unit);
        } else {
            g->n++;
        }
    }
    if (oom)
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法更新规则缓存表");
    return oom ? -1 : 0;
}

void tzm_gaps_free(tzm_gaps *g)
{
    for (size_t i = 0; g && i < g->n; i++) {
        free(g->v[i].region);
        free(g->v[i].unit);
    }
    if (g)
        free(g->v);
    free(g);
}

/* Counts the gaps of ledger l (index li) on s and gives each row to sink:
 * one scan, grouped by region and unit, one row per column with gaps; with
 * `touched` (a condition on tz_agg_touched), only the rows of those
 * villages (the ledger must have a region). Returns 0 or -1 with a diag. */
static int _cache_ledger(tz_store *s, const tz_ledger *l, int li, gap_sink sink, void *ctx,
                         const char *touched, tz_diags *d)
{
    q_ledger_sql q;
    tz_buf sql = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    int rc = 0, r;
    if (!_ledger_sql(l, li, touched != NULL, &q))
        goto done;
    rc = -1;
    /* grouped by `col || ''` (the same text, NULL stays NULL), not by the
     * column: grouping by an indexed column lets SQLite walk that index and
     * fetch the rows out of table order (see summary.c) */
    char gregion[sizeof q.region + 8] = "NULL", gunit[sizeof q.unit + 8] = "NULL";
    if (q.region[0])
        snprintf(gregion, sizeof gregion, "%s || ''", q.region);
    if (q.unit[0])
        snprintf(gunit, sizeof gunit, "%s || ''", q.unit);
    tz_buf_printf(&sql, "SELECT %s, %s, %s FROM %s WHERE (%s)", gregion, gunit,
                  tz_buf_str(&q.counts), tz_buf_str(&q.from), tz_buf_str(&q.any));
    /* following changes: only the touched villages (the rows of none change
     * only with a write whose village is unknown, which the summaries
     * rebuild in full: store/touched.c) */
    if (touched)
        tz_buf_printf(&sql, " AND %s IN (SELECT village FROM tz_agg_touched WHERE %s)", q.region,
                      touched);
    if (q.region[0] || q.unit[0])
        tz_buf_printf(&sql, " GROUP BY %s%s%s", q.region[0] ? gregion : "",
                      q.region[0] && q.unit[0] ? ", " : "", q.unit[0] ? gunit : "");
    if (!sql.data) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法更新规则缓存表");
        goto done;
    }
    if (tz_store_prepare(s, tz_buf_str(&sql), &st)) {
        _cache_error(s, d);
        goto done;
    }
    double t0 = tzm_q_now();
    while ((r = tz_stmt_step(st)) == 1) {
        for (size_t i = 0; i < q.ncols; i++) {
            long long n = tz_stmt_int(st, 2 + (int)i);
            if (n <= 0)
                continue;
            const char *region = tz_stmt_text(st, 0), *unit = tz_stmt_text(st, 1);
            if (sink(ctx, l, region, unit, l->cols[q.cols[i]].sql, n, d))
                goto done;
        }
    }
    if (r < 0) {
        _cache_error(s, d);
        goto done;
    }
    if (getenv("TZ_METRICS_TRACE"))
        fprintf(stderr, "[metrics] %8.2f ms  %s\n", tzm_q_now() - t0, tz_buf_str(&sql));
    rc = 0;
done:
    tz_stmt_free(st);
    tz_buf_free(&sql);
    _ledger_sql_free(&q);
    return rc;
}

/* Adds the region nodes of tz_agg_null, rolled up from the codes as
 * tz_agg_hh is (summary.c), for every ledger (only NULL) or one; the whole
 * database ('', 0) has the rows without a region too. Returns 0 or -1. */
static int _null_roll_up(tz_store *s, const char *only)
{
    char which[96] = "";
    if (only)
        snprintf(which, sizeof which, " AND ledger = '%s'", only); /* a ledger id: no quote */
    for (int lv = TZ_LEVEL_TOWNSHIP; lv >= TZ_LEVEL_PROVINCE; lv--) {
        int digits = tz_level_digits((tz_level)lv);
        char sql[640], node[64];
        tzm_prefix_sql("region", digits, 0, node, sizeof node);
        snprintf(sql, sizeof sql,
                 "INSERT INTO tz_agg_null (ledger, digits, region, unit, col, n) SELECT ledger, "
                 "%d, %s, unit, col, SUM(n) FROM tz_agg_null WHERE digits = 12 AND region IS NOT "
                 "NULL%s GROUP BY ledger, %s, unit, col",
                 digits, node, which, node);
        if (tz_store_exec(s, sql))
            return -1;
    }
    char sql[320];
    snprintf(sql, sizeof sql,
             "INSERT INTO tz_agg_null (ledger, digits, region, unit, col, n) SELECT ledger, 0, "
             "'', unit, col, SUM(n) FROM tz_agg_null WHERE digits = 12%s GROUP BY ledger, unit, "
             "col",
             which);
    return tz_store_exec(s, sql) ? -1 : 0;
}

/* The condition on a gap row whose region is not a 12-digit code: not 12
 * characters long, or any of them not a digit (written outside taizhang);
 * NULL when it has no region. tz_agg_null_odd is keyed by (ledger, this,
 * digits, region), so asking whether a ledger's village rows have any is
 * one seek (SQLite prefers tz_agg_null_ix, which covers the query, over an
 * index that does not: this one covers it too). *yes: its true value. */
static const char *_odd_region(tz_store *s, const char **yes)
{
    int pg = tz_store_backend(s) == TZ_BACKEND_PG;
    if (yes)
        *yes = pg ? "true" : "1";
    return pg ? "(length(region) <> 12 OR region ~ '[^0-9]')"
              : "(length(region) <> 12 OR region GLOB '*[^0-9]*')";
}

/* Rolls up again the region nodes of ledger id that are ancestors of the
 * villages of tz_agg_touched satisfying `touched`, each level from the one
 * below it (a node's children only, where _null_roll_up reads every
 * village of the ledger five times: 370 ms at 10 000 000 households), and
 * the whole database from the provinces and the rows of no region. A
 * node's children are the rows between its code's prefix padded with 0s
 * and with 9s, an index range. The sums are the same as _null_roll_up's
 * when every region code of the ledger's village rows is 12 digits; one
 * that is not (written outside taizhang: _odd_region) maps to its
 * ancestors differently by prefix, or lies outside those ranges, so then
 * every node is rolled up from the villages as before. Returns 0 or -1. */
static int _null_roll_up_touched(tz_store *s, const char *id, const char *touched)
{
    char sql[1400];
    long long odd = 0;
    const char *yes;
    const char *oddx = _odd_region(s, &yes);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM (SELECT 1 FROM tz_agg_null WHERE ledger = '%s' AND %s = %s AND "
             "digits = 12 LIMIT 1) x",
             id, oddx, yes);
    if (tz_store_scalar_int(s, sql, NULL, &odd))
        return -1;
    if (odd) {
        snprintf(sql, sizeof sql, "DELETE FROM tz_agg_null WHERE ledger = '%s' AND digits <> 12",
                 id);
        return tz_store_exec(s, sql) || _null_roll_up(s, id) ? -1 : 0;
    }
    int below = 12;
    for (int lv = TZ_LEVEL_TOWNSHIP; lv >= TZ_LEVEL_PROVINCE; lv--) {
        int digits = tz_level_digits((tz_level)lv);
        char node[64], last[64], anc[224];
        tzm_prefix_sql("village", digits, 0, node, sizeof node);
        tzm_prefix_sql("village", digits, 1, last, sizeof last);
        snprintf(anc, sizeof anc, "(SELECT DISTINCT %s FROM tz_agg_touched WHERE %s)", node,
                 touched);
        snprintf(sql, sizeof sql,
                 "DELETE FROM tz_agg_null WHERE ledger = '%s' AND digits = %d AND region IN %s;"
                 "INSERT INTO tz_agg_null (ledger, digits, region, unit, col, n) SELECT z.ledger, "
                 "%d, a.node, z.unit, z.col, SUM(z.n) FROM (SELECT DISTINCT %s AS node, %s AS hi "
                 "FROM tz_agg_touched WHERE %s AND village <> '') a JOIN tz_agg_null z ON "
                 "z.ledger = '%s' AND z.digits = %d AND z.region BETWEEN a.node AND a.hi GROUP BY "
                 "z.ledger, a.node, z.unit, z.col",
                 id, digits, anc, digits, node, last, touched, id, below);
        if (tz_store_exec(s, sql))
            return -1;
        below = digits;
    }
    /* two seeks of tz_agg_null_ix (an OR of both read every row of the ledger) */
    snprintf(sql, sizeof sql,
             "DELETE FROM tz_agg_null WHERE ledger = '%s' AND digits = 0;"
             "INSERT INTO tz_agg_null (ledger, digits, region, unit, col, n) SELECT ledger, 0, "
             "'', unit, col, SUM(n) FROM (SELECT ledger, unit, col, n FROM tz_agg_null WHERE "
             "ledger = '%s' AND digits = %d UNION ALL SELECT ledger, unit, col, n FROM "
             "tz_agg_null WHERE ledger = '%s' AND digits = 12 AND region IS NULL) x GROUP BY "
             "ledger, unit, col",
             id, id, below, id);
    return tz_store_exec(s, sql) ? -1 : 0;
}

static int _null_insert(tz_store *s, tz_stmt **ins)
{
    return tz_store_prepare(s,
                            "INSERT INTO tz_agg_null (ledger, digits, region, unit, col, n) "
                            "VALUES (?, 12, ?, ?, ?, ?)",
                            ins);
}

int tzm_gaps_read(tz_store *r, tzm_gaps **out, tz_diags *d)
{
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    tzm_gaps *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法更新规则缓存表");
        return -1;
    }
    pthread_once(&_use_once, _use_init);
    for (size_t li = 0; li < nl && li < Q_MAX_LEDGERS; li++)
        if (_cache_ledger(r, &all[li], (int)li, _gap_keep, g, NULL, d)) {
            tzm_gaps_free(g);
            return -1;
        }
    *out = g;
    return 0;
}

int tzm_unrecorded_cache(tz_store *s, const tzm_gaps *pre, tz_diags *d)
{
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    tz_stmt *ins = NULL;
    int rc = -1;
    pthread_once(&_use_once, _use_init);
    if (tz_store_exec(s, "DROP TABLE IF EXISTS tz_agg_null; CREATE TABLE tz_agg_null (ledger "
                         "TEXT NOT NULL, digits INTEGER NOT NULL, region TEXT, unit TEXT, col "
                         "TEXT NOT NULL, n BIGINT NOT NULL)") ||
        _null_insert(s, &ins))
        return _cache_error(s, d);
    gap_ins gi = {s, ins};
    for (size_t i = 0; pre && i < pre->n; i++)
        if (_gap_insert(&gi, pre->v[i].l, pre->v[i].region, pre->v[i].unit, pre->v[i].col,
                        pre->v[i].n, d))
            goto done;
    for (size_t li = 0; !pre && li < nl && li < Q_MAX_LEDGERS; li++)
        if (_cache_ledger(s, &all[li], (int)li, _gap_insert, &gi, NULL, d))
            goto done;
    char odd[256];
    snprintf(odd, sizeof odd,
             "CREATE INDEX tz_agg_null_odd ON tz_agg_null (ledger, %s, digits, region)",
             _odd_region(s, NULL));
    if (_null_roll_up(s, NULL) ||
        tz_store_exec(s, "CREATE INDEX tz_agg_null_ix ON tz_agg_null (ledger, digits, region)") ||
        tz_store_exec(s, odd)) {
        _cache_error(s, d);
        goto done;
    }
    rc = 0;
done:
    tz_stmt_free(ins);
    return rc;
}

/* 1 when the gaps of l depend on the rows of ledger id: l itself, or one
 * whose region or unit is read through it. */
static int _placed_through(const tz_ledger *l, const char *id)
{
    return !strcmp(l->id, id) || (l->region.via && !strcmp(l->region.via, id)) ||
           (l->unit.via && !strcmp(l->unit.via, id));
}

/* 1 when the gaps of l are counted by the village of a household: the
 * households ledger itself, or one whose region is its household's. */
static int _by_household_village(const tz_ledger *l, const char *unused)
{
    (void)unused;
    if (!strcmp(l->id, "households"))
        return 1;
    return l->region.via && !strcmp(l->region.via, "households");
}

/* Counts again the gaps of every ledger pick(l, id) selects: with touched
 * (a condition on tz_agg_touched) those of the touched villages and their
 * ancestors' nodes, without it the whole ledger. Returns 0 or -1 (a diag). */
static int _recount(tz_store *s, int (*pick)(const tz_ledger *, const char *), const char *id,
                    const char *touched, tz_diags *d)
{
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    tz_stmt *ins = NULL;
    int rc = -1;
    pthread_once(&_use_once, _use_init);
    if (_null_insert(s, &ins))
        return _cache_error(s, d);
    for (size_t li = 0; li < nl && li < Q_MAX_LEDGERS; li++) {
        const tz_ledger *l = &all[li];
        if (!pick(l, id))
            continue;
        char sql[320];
        if (touched)
            snprintf(sql, sizeof sql,
                     "DELETE FROM tz_agg_null WHERE ledger = '%s' AND digits = 12 AND region IN "
                     "(SELECT village FROM tz_agg_touched WHERE %s)",
                     l->id, touched);
        else
            snprintf(sql, sizeof sql, "DELETE FROM tz_agg_null WHERE ledger = '%s'", l->id);
        if (tz_store_exec(s, sql)) {
            _cache_error(s, d);
            goto done;
        }
        gap_ins gi = {s, ins};
        if (_cache_ledger(s, l, (int)li, _gap_insert, &gi, touched, d))
            goto done;
        if (touched ? _null_roll_up_touched(s, l->id, touched) : _null_roll_up(s, l->id)) {
            _cache_error(s, d);
            goto done;
        }
    }
    rc = 0;
done:
    tz_stmt_free(ins);
    return rc;
}

int tzm_unrecorded_ledger(tz_store *s, const char *id, tz_diags *d)
{
    return _recount(s, _placed_through, id, NULL, d);
}

int tzm_unrecorded_follow(tz_store *s, const char *touched, tz_diags *d)
{
    return _recount(s, _by_household_village, NULL, touched, d);
}

/* ---- the findings ------------------------------------------------------------ */

/* How a count of a ledger's rows is said ("3户", "2个项目"). */
static const char *_noun(const tz_ledger *l)
{
    static const struct {
        const char *id, *noun;
    } nouns[] = {
        {"households", "户"},
        {"regions", "个区划"},
        {"units", "个单位"},
        {"culture_centers", "个文化服务中心"},
        {"tv_installs", "条户户通安装记录"},
        {"aid_villages", "条帮扶村记录"},
        {"aid_cadres", "名驻村干部"},
        {"aid_inputs", "条帮扶投入"},
        {"cultural_events", "条文化活动记录"},
        {"projects", "个项目"},
        {"project_funds", "条资金到位记录"},
        {"targets", "条目标任务"},
        {"populations", "条户籍人口记录"},
    };
    for (size_t i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
        if (!strcmp(nouns[i].id, l->id))
            return nouns[i].noun;
    return "条记录";
}

/* Restricts q to the scope on a region code expression (codes of level lv)
 * and a unit name expression ("" when the ledger has none), as tzm_q_scope
 * does for an indicator. Returns 0 when the scope holds none of the rows. */
static int _scope(tzm_query *q, tz_level lv, const char *region, const char *unit,
                  const tzm_scope_rt *rt)
{
    if (rt->has_region) {
        if (!*region)
            return 0;
        tzm_q_range(q, region, lv, &rt->range);
    }
    if (!rt->unit)
        return 1;
    if (*unit) {
        tz_buf_printf(&q->sql, " AND %s = ", unit);
        tzm_q_text(q, rt->unit);
    } else if (rt->has_unit_region && *region) {
        tzm_q_range(q, region, lv, &rt->urange);
    } else {
        return 0;
    }
    return 1;
}

/* The counts of one ledger's gaps in a scope. */
typedef struct q_counts {
    const tz_ledger *l;      /* the ledger */
    const q_ledger_sql *ls;  /* its pieces (checked columns) */
    long long n[Q_MAX_COLS]; /* per checked column: rows without a value */
} q_counts;

/* tzm_q_run callback of the ledger read: one row of counts. */
static int _count_row(tz_stmt *st, void *acc)
{
    q_counts *c = acc;
    for (size_t i = 0; i < c->ls->ncols; i++)
        c->n[i] += tz_stmt_int(st, (int)i);
    return 0;
}

/* tzm_q_run callback of the summary read: (column, count) rows. */
static int _count_col(tz_stmt *st, void *acc)
{
    q_counts *c = acc;
    const char *col = tz_stmt_text(st, 0);
    for (size_t i = 0; col && i < c->ls->ncols; i++)
        if (!strcmp(c->l->cols[c->ls->cols[i]].sql, col))
            c->n[i] += tz_stmt_int(st, 1);
    return 0;
}

/* Counts the gaps of ledger l (index li) in the scope, from tz_agg_null when
 * rt->agg, else from the ledger. Returns 0 or -1 with a diag. */
static int _count(tz_store *s, const tzm_scope_rt *rt, const tz_ledger *l, int li, q_ledger_sql *ls,
                  q_counts *c, tz_diags *d)
{
    tzm_query q;
    int in_scope;
    memset(c, 0, sizeof *c);
    c->l = l;
    c->ls = ls;
    if (!_ledger_sql(l, li, 0, ls))
        return 0;
    tzm_q_init(&q);
    if (rt->agg) {
        char node[13];
        int digits;
        tz_buf_puts(&q.sql, "SELECT z.col, SUM(z.n) FROM tz_agg_null z WHERE z.ledger = ");
        tzm_q_text(&q, l->id);
        if (!rt->unit && tzm_agg_node(rt, node, &digits) == 1 && (!digits || ls->region[0])) {
            /* a whole region (or everything): its node's few rows */
            tz_buf_puts(&q.sql, " AND z.digits = ");
            tzm_q_int(&q, digits);
            tz_buf_puts(&q.sql, " AND z.region = ");
            tzm_q_text(&q, node);
            in_scope = 1;
        } else {
            tz_buf_puts(&q.sql, " AND z.digits = 12");
            in_scope = _scope(&q, ls->level, ls->region[0] ? "z.region" : "",
                              ls->unit[0] ? "z.unit" : "", rt);
        }
        tz_buf_puts(&q.sql, " GROUP BY z.col");
    } else {
        tz_buf_printf(&q.sql, "SELECT %s FROM %s WHERE (%s)", tz_buf_str(&ls->counts),
                      tz_buf_str(&ls->from), tz_buf_str(&ls->any));
        in_scope = _scope(&q, ls->level, ls->region, ls->unit, rt);
    }
    if (!in_scope) {
        tzm_q_free(&q);
        return 0;
    }
    return tzm_q_run(s, &q, NULL, 1, rt->agg ? _count_col : _count_row, c, d);
}

/* tzm_ind_def reading of one column: sets *hit when l.col is referenced. */
typedef struct q_find {
    const tz_ledger *l; /* the ledger */
    int col;            /* the column */
    int hit;            /* 1 once found */
} q_find;

static void _find(void *ctx, const tz_ledger *l, int col, const char *after)
{
    q_find *f = ctx;
    (void)after;
    if (l == f->l && col == f->col)
        f->hit = 1;
}

/* 1 when indicator def reads l.col (a composite: when one of its parts does). */
static int _reads(const tzm_ind_def *def, const tz_ledger *l, int col, int depth)
{
    if (!def || depth > 4)
        return 0;
    if (def->kind != TZM_IND_SQL)
        return _reads(tzm_ind_def_find(def->a), l, col, depth + 1) ||
               _reads(tzm_ind_def_find(def->b), l, col, depth + 1);
    q_aliases a = {0};
    q_find f = {l, col, 0};
    _aliases_of(def->from, &a);
    const char *frags[] = {def->from,     def->where,    def->value,  def->region_col,
                           def->unit_col, def->date_col, def->end_col};
    for (size_t i = 0; i < sizeof frags / sizeof frags[0] && !f.hit; i++)
        _refs(frags[i], &a, _find, &f);
    return f.hit;
}

/* Appends what a gap in l.col affects: the indicators that read it (the
 * first three, then 等N项指标), the splits by it, the rules that read it. */
static void _impact(const tz_ledger *l, int col, tz_buf *out)
{
    size_t n, nind = 0, nrule = 0;
    const tzm_ind_def *defs = tzm_ind_defs(&n);
    const char *dim = NULL, *summary, *reads;
    for (size_t i = 0; i < n; i++) {
        if (_reads(&defs[i], l, col, 0)) {
            if (nind < 3)
                tz_buf_printf(out, "%s%s", nind ? "、" : "", defs[i].pub.name);
            nind++;
        }
        q_aliases a = {0};
        _aliases_of(defs[i].from, &a);
        for (size_t k = 0; defs[i].dims && defs[i].dims[k].name && !dim; k++) {
            const tz_ledger *dl;
            if (_dim_col(defs[i].dims[k].expr, &a, &dl) == col && dl == l)
                dim = defs[i].dims[k].label;
        }
    }
    if (nind > 3)
        tz_buf_printf(out, "等%zu项指标", nind);
    if (dim)
        tz_buf_printf(out, "%s按%s分组的统计", nind ? ";" : "", dim);
    for (size_t i = 0; tzm_rule_inputs(i, &summary, &reads); i++) {
        q_aliases a = {0};
        q_find f = {l, col, 0};
        _aliases_of(reads, &a);
        _refs(reads, &a, _find, &f);
        if (!f.hit)
            continue;
        if (nrule == 0)
            tz_buf_printf(out, "%s规则“%s”", nind || dim ? ";" : "", summary);
        nrule++;
    }
    if (nrule > 1)
        tz_buf_printf(out, "等%zu条规则", nrule);
}

/* Adds the finding of n rows of l without column col. Returns 0 or -1 (out
 * of memory). */
static int _finding(const tz_ledger *l, int col, long long n, const char *where,
                    tzm_finding_add_fn add, void *ctx)
{
    tz_buf impact = TZ_BUF_INIT;
    _impact(l, col, &impact);
    tz_finding *e = add(ctx);
    if (!e) {
        tz_buf_free(&impact);
        return -1;
    }
    e->count = (long)n;
    snprintf(e->ledger, sizeof e->ledger, "%s", l->id);
    int len = snprintf(e->message, sizeof e->message, "%s%s%lld%s未记录%s(影响:%s)", where,
                       *where ? "有" : "", n, _noun(l), l->cols[col].name, tz_buf_str(&impact));
    if (len >= (int)sizeof e->message) {
        /* cut after the last whole character, and say so */
        int cut;
        size_t keep = tz_utf8_valid_prefix(e->message, sizeof e->message - 5, &cut);
        snprintf(e->message + keep, sizeof e->message - keep, "…)");
    }
    tz_buf_free(&impact);
    return 0;
}

int tzm_unrecorded_check(tz_store *s, const tzm_scope_rt *rt, const char *where,
                         tzm_finding_add_fn add, void *ctx, tz_diags *d)
{
    size_t nl;
    const tz_ledger *all = tz_ledger_all(&nl);
    pthread_once(&_use_once, _use_init);
    for (size_t li = 0; li < nl && li < Q_MAX_LEDGERS; li++) {
        q_ledger_sql ls;
        q_counts c;
        int rc = _count(s, rt, &all[li], (int)li, &ls, &c, d);
        for (size_t i = 0; rc == 0 && i < ls.ncols; i++)
            if (c.n[i] > 0 && _finding(&all[li], ls.cols[i], c.n[i], where, add, ctx)) {
                tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足,无法列出未记录的数据");
                rc = -1;
            }
        _ledger_sql_free(&ls);
        if (rc)
            return -1;
    }
    return 0;
}
