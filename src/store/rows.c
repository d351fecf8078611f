/* rows.c - a ledger's rows one at a time, for the HTTP API: a page of them
 * inside an access scope (filters, free text, given keys, one sort column), one row by
 * its key, and adding, changing or deleting one row. A write runs the
 * checks an imported row runs (ingest.c's, through store_impl.h), the row's
 * version (a stale one is a conflict), the scope and the 审核 locks of the
 * row before and after, in one transaction with its audit entry.
 */
#include "store/store_impl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_ROWS_LIMIT_DEFAULT 100 /* rows of a page when none is asked for */
#define TZ_ROWS_LIMIT_MAX 1000    /* most rows of one page */
#define TZ_ROWS_KEY_SLASHES 16    /* most '/' in a text key worth trying splits of */

/* ---- a page ------------------------------------------------------------- */

/* The columns of a row as read back: each column, then tz_version. */
static void _cols_sql(const tz_ledger *l, tz_buf *q)
{
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(q, "%st.%s", i ? ", " : "", l->cols[i].sql);
    tz_buf_puts(q, ", t.tz_version");
}

/* 1 when column c is stored as text and may be searched by free text (an
 * ID number only when it is shown in full: a masked one must not be found
 * by guessing its digits). */
static int _searchable(const tz_column *c, int unmask)
{
    switch (c->type) {
    case TZ_COL_INT:
    case TZ_COL_DECIMAL:
    case TZ_COL_BOOL:
    case TZ_COL_YEAR:
        return 0;
    case TZ_COL_IDCARD:
        return unmask;
    default:
        return 1;
    }
}

/* "%text%" with LIKE's wildcards and the escape character escaped. Caller
 * frees; NULL when out of memory. */
static char *_like_pattern(const char *text)
{
    tz_buf b = TZ_BUF_INIT;
    tz_buf_putc(&b, '%');
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            tz_buf_putc(&b, '\\');
        tz_buf_putc(&b, *p);
    }
    tz_buf_putc(&b, '%');
    return b.data ? tz_buf_take(&b) : NULL;
}

/* Appends the free-text condition: some searchable column contains the
 * pattern (bound *nbind times). */
static void _q_sql(const tz_ledger *l, int unmask, tz_buf *sql, int *nbind)
{
    *nbind = 0;
    tz_buf_putc(sql, '(');
    for (size_t i = 0; i < l->ncols; i++)
        if (_searchable(&l->cols[i], unmask))
            tz_buf_printf(sql, "%st.%s LIKE ? ESCAPE '\\'", (*nbind)++ ? " OR " : "",
                          l->cols[i].sql);
    tz_buf_puts(sql, *nbind ? ")" : "1 = 0)");
}

/* Appends " ORDER BY ...": the sort column (ascending, or descending after
 * a '-'; empty values last on both backends) and then the key, or the
 * ledger's own order. Returns 0, or 1 for an unknown column, or an ID
 * number that is shown masked (diag naming sort). */
static int _order_sql(const tz_ledger *l, const char *sort, int unmask, tz_buf *sql, tz_diags *d)
{
    if (!sort || !*sort) {
        tz_buf_printf(sql, " ORDER BY %s", l->order_by);
        return 0;
    }
    int desc = sort[0] == '-';
    int c = tz_ledger_col(l, sort + desc);
    if (c < 0) {
        tz_diags_error(d, NULL, 0, "sort", sort, "%s台账没有这一列,无法按它排序", l->name);
        return 1;
    }
    if (l->cols[c].type == TZ_COL_IDCARD && !unmask) {
        /* the order of masked numbers would tell their hidden digits */
        tz_diags_error(d, NULL, 0, "sort", sort, "当前账户只能看到部分身份证号,不能按身份证号排序");
        return 1;
    }
    const char *col = l->cols[c].sql;
    tz_buf_puts(sql, " ORDER BY ");
    if (!(l->cols[c].flags & (TZ_F_KEY | TZ_F_REQUIRED)))
        tz_buf_printf(sql, "(t.%s IS NULL), ", col);
    tz_buf_printf(sql, "t.%s %s", col, desc ? "DESC" : "ASC");
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++)
        if (keys[k] != c)
            tz_buf_printf(sql, ", t.%s", l->cols[keys[k]].sql);
    return 0;
}

/* Appends the keys condition: the row's text key (key columns joined by
 * '/') is one of the n bound keys. */
static void _keys_sql(const tz_ledger *l, size_t n, tz_buf *sql)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    tz_buf_putc(sql, '(');
    for (size_t k = 0; k < nk; k++)
        tz_buf_printf(sql, "%st.%s", k ? " || '/' || " : "", l->cols[keys[k]].sql);
    tz_buf_puts(sql, ") IN (");
    for (size_t i = 0; i < n; i++)
        tz_buf_puts(sql, i ? ", ?" : "?");
    tz_buf_putc(sql, ')');
}

/* Checks limit and offset. Returns 0, or 1 with a diag naming the one
 * that is wrong. */
static int _page_bounds(const tz_rows_query *q, long *limit, tz_diags *d)
{
    char v[32];
    *limit = q->limit ? q->limit : TZ_ROWS_LIMIT_DEFAULT;
    if (*limit < 1 || *limit > TZ_ROWS_LIMIT_MAX) {
        snprintf(v, sizeof v, "%ld", q->limit);
        tz_diags_error(d, NULL, 0, "limit", v, "每页行数应在1到%d之间", TZ_ROWS_LIMIT_MAX);
        return 1;
    }
    if (q->offset < 0) {
        snprintf(v, sizeof v, "%ld", q->offset);
        tz_diags_error(d, NULL, 0, "offset", v, "跳过的行数不能为负数");
        return 1;
    }
    if (q->nkeys > TZ_ROWS_LIMIT_MAX) {
        snprintf(v, sizeof v, "%zu", q->nkeys);
        tz_diags_error(d, NULL, 0, "key", v, "一次最多按%d个编号查询", TZ_ROWS_LIMIT_MAX);
        return 1;
    }
    return 0;
}

/* A page whose scope holds more rows than this reads them in its order
 * instead of through the scope's index (tzs_access_sql's scan): the index
 * would fetch and sort every one of them for the 100 shown. */
#define TZ_ROWS_SCAN_OVER 2000

/* The conditions of a page query, shared by its count and its rows. */
typedef struct page_where {
    tz_buf sql;              /* " WHERE ..." */
    tz_buf scan;             /* the same, the scope written for a scan in key order */
    tz_buf scope;            /* " WHERE <the scope alone>", through its index */
    tzs_where w;             /* parsed filters */
    char *pattern;           /* the free text as a LIKE pattern, or NULL */
    int npattern;            /* times pattern is bound */
    const char *const *keys; /* the text keys asked for, or NULL */
    size_t nkeys;            /* their number */
} page_where;

/* Builds the conditions: filters, scope, free text. Returns 0, 1 when a
 * filter is wrong (diag), -1 when out of memory. */
static int _page_where(const tz_ledger *l, const tz_rows_query *q, page_where *pw, tz_diags *d)
{
    int n = 0;
    int rc = tzs_where_parse(l, q->f, q->nf, "where", &pw->w, &pw->sql, &n, d);
    if (rc)
        return rc;
    tz_buf_puts(&pw->scan, tz_buf_str(&pw->sql));
    for (size_t k = 0; k < pw->w.n && !q->unmask; k++)
        if (l->cols[pw->w.cols[k]].type == TZ_COL_IDCARD) {
            /* a count of matching rows would tell whether a guessed number is right */
            tz_diags_error(d, NULL, 0, "where", l->cols[pw->w.cols[k]].name,
                           "当前账户只能看到部分身份证号,不能按身份证号筛选");
            return 1;
        }
    tz_buf_puts(&pw->sql, n ? " AND " : " WHERE ");
    tz_buf_puts(&pw->scan, n ? " AND " : " WHERE ");
    tz_buf_puts(&pw->scope, " WHERE ");
    if (tzs_access_sql(l, q->access, "t", 1, 0, &pw->sql) ||
        tzs_access_sql(l, q->access, "t", 1, 1, &pw->scan) ||
        tzs_access_sql(l, q->access, "t", 1, 0, &pw->scope))
        return -1;
    if (q->q && *q->q) {
        if (!(pw->pattern = _like_pattern(q->q)))
            return -1;
        tz_buf_puts(&pw->sql, " AND ");
        _q_sql(l, q->unmask, &pw->sql, &pw->npattern);
        tz_buf_puts(&pw->scan, " AND ");
        _q_sql(l, q->unmask, &pw->scan, &pw->npattern);
    }
    if (q->nkeys) {
        pw->keys = q->keys;
        pw->nkeys = q->nkeys;
        tz_buf_puts(&pw->sql, " AND ");
        _keys_sql(l, q->nkeys, &pw->sql);
        tz_buf_puts(&pw->scan, " AND ");
        _keys_sql(l, q->nkeys, &pw->scan);
    }
    return pw->sql.data && pw->scan.data && pw->scope.data ? 0 : -1;
}

/* Binds the conditions from parameter *p on. Returns 0 or -1. */
static int _page_bind(const tz_ledger *l, const page_where *pw, tz_stmt *st, int *p)
{
    if (tzs_where_bind(l, &pw->w, st, p))
        return -1;
    for (int i = 0; i < pw->npattern; i++)
        if (tz_stmt_bind_text(st, (*p)++, pw->pattern))
            return -1;
    for (size_t i = 0; i < pw->nkeys; i++)
        if (tz_stmt_bind_text(st, (*p)++, pw->keys[i]))
            return -1;
    return 0;
}

/* Calls cb with the current row of st (columns, then tz_version): ID
 * numbers masked unless unmask. Returns cb's answer. */
static int _emit(const tz_ledger *l, tz_stmt *st, int unmask, char **cells, char (*bufs)[1100],
                 tz_vrow_cb cb, void *ctx)
{
    for (size_t i = 0; i < l->ncols; i++) {
        cells[i] = (char *)tz_stmt_value_text(st, (int)i, &l->cols[i], bufs[i], sizeof bufs[i]);
        if (l->cols[i].type == TZ_COL_IDCARD && !unmask && *cells[i]) {
            char masked[64];
            tz_idcard_mask(cells[i], masked, sizeof masked);
            snprintf(bufs[i], sizeof bufs[i], "%s", masked);
            cells[i] = bufs[i];
        }
    }
    return cb(ctx, (const char *const *)cells, l->ncols, tz_stmt_int(st, (int)l->ncols));
}

/* Runs the rows query of a page and hands each row to cb. Returns 0 or
 * -1 (diag). */
static int _page_rows(tz_store *s, const tz_ledger *l, const tz_rows_query *q, long limit,
                      const tz_buf *where, const page_where *pw, const tz_buf *order, tz_vrow_cb cb,
                      void *ctx, tz_diags *d)
{
    tz_buf sql = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    char **cells = calloc(l->ncols, sizeof *cells);
    char(*bufs)[1100] = calloc(l->ncols, sizeof *bufs);
    int rc = -1, p = 1, r = 0;
    tz_buf_puts(&sql, "SELECT ");
    _cols_sql(l, &sql);
    tz_buf_printf(&sql, " FROM %s t%s%s LIMIT ? OFFSET ?", l->id, tz_buf_str(where),
                  tz_buf_str(order));
    if (!cells || !bufs || !sql.data || tz_store_prepare(s, tz_buf_str(&sql), &st) ||
        _page_bind(l, pw, st, &p) || tz_stmt_bind_int(st, p, limit) ||
        tz_stmt_bind_int(st, p + 1, q->offset))
        goto done;
    while ((r = tz_stmt_step(st)) == 1)
        if (_emit(l, st, q->unmask, cells, bufs, cb, ctx))
            break;
    if (r >= 0)
        rc = 0;
done:
    if (rc)
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
    tz_stmt_free(st);
    tz_buf_free(&sql);
    free(cells);
    free(bufs);
    return rc;
}

/* The number of rows of l under where (pw's values bound, when pw is
 * given) into *out. Returns 0 or -1 (diag). */
static int _count(tz_store *s, const tz_ledger *l, const tz_buf *where, const page_where *pw,
                  long long *out, tz_diags *d)
{
    tz_buf sql = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    int p = 1, rc = -1;
    tz_buf_printf(&sql, "SELECT COUNT(*) FROM %s t%s", l->id, tz_buf_str(where));
    if (sql.data && tz_store_prepare(s, tz_buf_str(&sql), &st) == 0 &&
        (!pw || _page_bind(l, pw, st, &p) == 0) && tz_stmt_step(st) == 1) {
        *out = tz_stmt_int(st, 0);
        rc = 0;
    } else {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
    }
    tz_stmt_free(st);
    tz_buf_free(&sql);
    return rc;
}

int tz_rows_page(tz_store *s, const tz_ledger *l, const tz_rows_query *q, long long *total,
                 tz_vrow_cb cb, void *ctx, tz_diags *d)
{
    page_where pw;
    tz_buf order = TZ_BUF_INIT;
    long limit;
    long long in_scope = -1;
    memset(&pw, 0, sizeof pw);
    *total = 0;
    int rc = _page_bounds(q, &limit, d);
    if (!rc)
        rc = _page_where(l, q, &pw, d);
    if (!rc)
        rc = _order_sql(l, q->sort, q->unmask, &order, d);
    if (rc)
        goto done;
    /* the scope's size first (its index alone answers): a large scope is
     * read in the page's order, a small one through its index */
    rc = -1;
    if (q->access && _count(s, l, &pw.scope, NULL, &in_scope, d))
        goto done;
    const tz_buf *where = in_scope > TZ_ROWS_SCAN_OVER ? &pw.scan : &pw.sql;
    if (in_scope >= 0 && pw.w.n == 0 && !(q->q && *q->q) && !q->nkeys)
        *total = in_scope;
    else if (_count(s, l, where, &pw, total, d))
        goto done;
    rc = _page_rows(s, l, q, limit, where, &pw, &order, cb, ctx, d);
done:
    tz_buf_free(&order);
    tz_buf_free(&pw.sql);
    tz_buf_free(&pw.scan);
    tz_buf_free(&pw.scope);
    tzs_where_free(&pw.w);
    free(pw.pattern);
    return rc;
}

/* ---- text keys ------------------------------------------------------------ */

/* A text key split at chosen '/'s: the key columns' canonical values. */
typedef struct key_try {
    const tz_ledger *l;                /* the ledger */
    const char *key;                   /* the text key */
    int keys[4];                       /* key column indexes */
    size_t nk;                         /* number of key columns */
    size_t slash[TZ_ROWS_KEY_SLASHES]; /* byte offsets of the key's '/'s */
    size_t nslash;                     /* how many */
    size_t pick[3];                    /* the '/'s that split it now (nk - 1 of them) */
    int started;                       /* 0 before the first split */
} key_try;

/* Sets up the splits of key. Returns 0, or 1 when it cannot name a row of
 * l (too few or too many '/'). */
static int _key_start(key_try *t, const tz_ledger *l, const char *key)
{
    memset(t, 0, sizeof *t);
    t->l = l;
    t->key = key;
    t->nk = tz_ledger_keys(l, t->keys);
    for (size_t i = 0; key[i]; i++)
        if (key[i] == '/') {
            if (t->nslash == TZ_ROWS_KEY_SLASHES)
                return 1;
            t->slash[t->nslash++] = i;
        }
    return t->nk == 0 || t->nslash + 1 < t->nk;
}

/* The next choice of nk - 1 '/'s (combinations in order). Returns 1, or 0
 * when there is none left. */
static int _key_next_pick(key_try *t)
{
    size_t r = t->nk - 1;
    if (!t->started) {
        t->started = 1;
        for (size_t i = 0; i < r; i++)
            t->pick[i] = i;
        return 1;
    }
    for (size_t i = r; i-- > 0;)
        if (t->pick[i] < t->nslash - r + i) {
            t->pick[i]++;
            for (size_t j = i + 1; j < r; j++)
                t->pick[j] = t->pick[j - 1] + 1;
            return 1;
        }
    return 0;
}

/* The next split of the key whose parts all parse as their columns' values
 * into vals (ncols slots; key slots filled, the rest null). Returns 1, or
 * 0 when there is none left. */
static int _key_next(key_try *t, tz_value *vals)
{
    const tz_ledger *l = t->l;
    while (_key_next_pick(t)) {
        tz_values_clear(vals, l->ncols);
        int ok = 1;
        size_t from = 0;
        for (size_t k = 0; k < t->nk && ok; k++) {
            size_t to = k + 1 < t->nk ? t->slash[t->pick[k]] : strlen(t->key);
            char *part = strndup(t->key + from, to - from);
            const char *why = NULL;
            tz_value *v = &vals[t->keys[k]];
            ok = part && tz_value_parse(&l->cols[t->keys[k]], part, 0, v, &why) == 0 && !v->null;
            free(part);
            from = to + 1;
        }
        if (ok)
            return 1;
    }
    tz_values_clear(vals, l->ncols);
    return 0;
}

/* Finds the stored row a text key names into g (g->found). Returns 0 or
 * -1 on a database failure. */
static int _find_key(tzs_ingest *g, const char *key, tz_value *vals)
{
    key_try t;
    if (_key_start(&t, g->l, key))
        return 0;
    while (_key_next(&t, vals)) {
        if (tzs_load_stored(g, vals))
            return -1;
        if (g->found)
            return 0;
    }
    return 0;
}

/* ---- one row -------------------------------------------------------------- */

/* Zeroes g and sets what every one-row call (get, put, delete) sets. */
static void _one_init(tzs_ingest *g, tz_store *s, const tz_ledger *l, const tz_access *a,
                      tz_diags *d)
{
    memset(g, 0, sizeof *g);
    g->s = s;
    g->l = l;
    g->d = d;
    g->access = a;
}

/* Hands the row loaded in g to cb (ID numbers masked unless unmask). */
static void _emit_loaded(const tzs_ingest *g, int unmask, tz_vrow_cb cb, void *ctx)
{
    const tz_ledger *l = g->l;
    const char **cells = calloc(l->ncols, sizeof *cells);
    char(*masked)[64] = calloc(l->ncols, sizeof *masked);
    if (!cb || !cells || !masked)
        goto done;
    for (size_t i = 0; i < l->ncols; i++) {
        cells[i] = g->old_text[i];
        if (l->cols[i].type == TZ_COL_IDCARD && !unmask && *cells[i]) {
            tz_idcard_mask(cells[i], masked[i], sizeof masked[i]);
            cells[i] = masked[i];
        }
    }
    cb(ctx, cells, l->ncols, g->old_version);
done:
    free(cells);
    free(masked);
}

tz_row_status tz_row_get(tz_store *s, const tz_ledger *l, const char *key, const tz_access *a,
                         int unmask, tz_vrow_cb cb, void *ctx, tz_diags *d)
{
    tzs_ingest g;
    _one_init(&g, s, l, a, d);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    tz_row_status st = TZ_ROW_ERROR;
    if (!vals || tzs_select_init(&g)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        goto done;
    }
    if (_find_key(&g, key, vals))
        goto done;
    st = TZ_ROW_NOT_FOUND;
    if (!g.found)
        goto done;
    const char *col;
    char val[300];
    int in = tzs_access_row(s, l, a, 1, tzs_old(&g), g.st_via, &col, val, sizeof val);
    if (in < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        st = TZ_ROW_ERROR;
        goto done;
    }
    if (in != 1)
        goto done; /* out of scope: as if there were no such row */
    _emit_loaded(&g, unmask, cb, ctx);
    st = TZ_ROW_OK;
done:
    if (vals)
        tz_values_clear(vals, l->ncols);
    free(vals);
    tzs_ingest_free(&g);
    return st;
}

/* Locks the stored row with the key of vals until the transaction ends
 * (PostgreSQL: a second writer waits here and then reads the row it left;
 * SQLite's writers are one at a time already). Returns 0 or -1. */
static int _lock_key(tzs_ingest *g, const tz_value *vals)
{
    if (tz_store_backend(g->s) != TZ_BACKEND_PG)
        return 0;
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    tz_buf_printf(&q, "SELECT 1 FROM %s WHERE ", l->id);
    tzs_key_where(l, &q);
    tz_buf_puts(&q, " FOR UPDATE");
    int rc = -1;
    if (q.data && tz_store_prepare(g->s, tz_buf_str(&q), &st) == 0) {
        rc = tzs_key_bind(l, st, 1, vals) || tz_stmt_step(st) < 0 ? -1 : 0;
    }
    tz_stmt_free(st);
    tz_buf_free(&q);
    return rc;
}

/* Begins the write transaction of one row and prepares g. Returns 0, or
 * -1 with a diag (*in_tx says whether the transaction was begun). */
static int _begin_one(tzs_ingest *g, int *in_tx)
{
    if (tz_store_read_only(g->s)) {
        tz_diags_error(g->d, NULL, 0, NULL, NULL,
                       "数据库文件只读(没有写权限,或所在文件夹、磁盘只读),无法保存");
        return -1;
    }
    if (tz_store_begin(g->s)) {
        tzs_fatal(g, "开始数据库事务");
        return -1;
    }
    *in_tx = 1;
    g->no_defer = 1;
    if (tzs_ingest_init(g) || tz_store_audit_ready(g->s) ||
        (g->access && tzs_access_name(g->s, g->access, g->scope_name, sizeof g->scope_name))) {
        tzs_fatal(g, "数据库准备");
        return -1;
    }
    return 0;
}

/* The scope and lock checks of one row of values, as a status: FORBIDDEN
 * outside the scope, LOCKED in an approved period, ERROR on a database
 * failure, OK (diag added unless OK). which names the row in the diag. */
static tz_row_status _guard(tzs_ingest *g, const tz_value *vals, const char *which, int locks)
{
    size_t before = g->d->nerrors;
    if (tzs_check_scope_row(g, 0, vals, which))
        return g->fatal ? TZ_ROW_ERROR : TZ_ROW_FORBIDDEN;
    if (locks && tzs_check_lock_row(g, 0, vals, which))
        return g->fatal ? TZ_ROW_ERROR : TZ_ROW_LOCKED;
    return g->d->nerrors > before ? TZ_ROW_ERROR : TZ_ROW_OK;
}

/* The cells of the row as it will be: the values given (by header), else
 * the stored ones when changing, else empty. Returns 0, or TZ_ROW_INVALID
 * for an unknown or repeated header (diag). */
static tz_row_status _merge(const tzs_ingest *g, const char *const *headers,
                            const char *const *values, size_t n, const char **cells)
{
    const tz_ledger *l = g->l;
    for (size_t i = 0; i < l->ncols; i++)
        cells[i] = NULL;
    for (size_t j = 0; j < n; j++) {
        int c = tz_ledger_col(l, headers[j]);
        if (c < 0) {
            tz_diags_error(g->d, NULL, 0, headers[j], values[j], "%s台账没有这一列", l->name);
            return TZ_ROW_INVALID;
        }
        if (cells[c]) {
            tz_diags_error(g->d, NULL, 0, l->cols[c].name, values[j], "这一列给了两次");
            return TZ_ROW_INVALID;
        }
        cells[c] = values[j] ? values[j] : "";
    }
    for (size_t i = 0; i < l->ncols; i++)
        if (!cells[i])
            cells[i] = g->found ? g->old_text[i] : "";
    return TZ_ROW_OK;
}

/* Validates cells into vals as import does: values, row checks,
 * references, uniqueness. Returns TZ_ROW_OK, TZ_ROW_INVALID (diags name
 * the columns) or TZ_ROW_ERROR. */
static tz_row_status _validate(tzs_ingest *g, const char **cells, tz_value *vals)
{
    const tz_ledger *l = g->l;
    tz_header_map m = {.map = calloc(l->ncols, sizeof(int)), .ncols = l->ncols};
    if (!m.map)
        return TZ_ROW_ERROR;
    for (size_t i = 0; i < l->ncols; i++)
        m.map[i] = (int)i;
    int bad = tz_row_validate(l, &m, cells, NULL, l->ncols, NULL, 0, 0, vals, g->d);
    free(m.map);
    bad += tzs_check_refs(g, 0, vals);
    if (g->fatal)
        return TZ_ROW_ERROR;
    return bad ? TZ_ROW_INVALID : TZ_ROW_OK;
}

/* The stored row against the version the change was read at: a new row
 * (version 0) whose key exists, or a stale version, is a conflict. */
static tz_row_status _version_check(const tzs_ingest *g, long long version)
{
    if (version == 0)
        return g->found ? TZ_ROW_CONFLICT : TZ_ROW_OK;
    if (!g->found)
        return TZ_ROW_NOT_FOUND;
    return g->old_version == version ? TZ_ROW_OK : TZ_ROW_CONFLICT;
}

/* The key of the row given, parsed from its cells: the stored row is
 * looked up by it before the whole row is checked. Returns 0, or 1 when a
 * key value is missing or wrong (the full check reports it). */
static int _given_key(const tz_ledger *l, const char *const *headers, const char *const *values,
                      size_t n, tz_value *vals)
{
    int keys[4];
    size_t nk = tz_ledger_keys(l, keys);
    for (size_t k = 0; k < nk; k++) {
        const tz_column *c = &l->cols[keys[k]];
        const char *raw = NULL;
        for (size_t j = 0; j < n; j++)
            if (tz_ledger_col(l, headers[j]) == keys[k])
                raw = values[j];
        const char *why = NULL;
        if (!raw || tz_value_parse(c, raw, 0, &vals[keys[k]], &why) || vals[keys[k]].null)
            return 1;
    }
    return 0;
}

/* Part two of a write: with the stored row loaded and the version
 * checked, builds and checks the new row, then writes it. */
static tz_row_status _put_checked(tzs_ingest *g, const char *const *headers,
                                  const char *const *values, size_t n, const char *actor,
                                  long long *new_version, tz_value *vals)
{
    const tz_ledger *l = g->l;
    const char **cells = calloc(l->ncols, sizeof *cells);
    tz_buf key = TZ_BUF_INIT, detail = TZ_BUF_INIT;
    tz_row_status st = TZ_ROW_ERROR;
    if (!cells)
        goto done;
    if ((st = _merge(g, headers, values, n, cells)) != TZ_ROW_OK)
        goto done;
    tz_values_clear(vals, l->ncols);
    if ((st = _validate(g, cells, vals)) != TZ_ROW_OK)
        goto done;
    if ((st = _guard(g, vals, "", 0)) != TZ_ROW_OK)
        goto done;
    int change = tzs_diff(g, vals, &detail);
    st = TZ_ROW_ERROR;
    if (change < 0)
        goto done;
    *new_version = g->old_version;
    st = TZ_ROW_OK;
    if (change == 0)
        goto done; /* unchanged: nothing written, nothing locked */
    if ((g->found && (st = _guard(g, tzs_old(g), "已存的这一行", 1)) != TZ_ROW_OK) ||
        (st = _guard(g, vals, "", 1)) != TZ_ROW_OK)
        goto done;
    tzs_key_text(l, vals, &key);
    int w = tzs_write_row(g, 0, vals, actor, tz_buf_str(&key), &detail, change,
                          g->found ? g->old_version : 0, new_version);
    st = w < 0 ? TZ_ROW_ERROR : w ? TZ_ROW_CONFLICT : TZ_ROW_OK;
done:
    free(cells);
    tz_buf_free(&key);
    tz_buf_free(&detail);
    return st;
}

tz_row_status tz_row_put(tz_store *s, const tz_ledger *l, const char *const *headers,
                         const char *const *values, size_t n, long long version, const tz_access *a,
                         const char *actor, long long *new_version, tz_vrow_cb cb, void *ctx,
                         tz_diags *d)
{
    tzs_ingest g;
    _one_init(&g, s, l, a, d);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    tz_row_status st = TZ_ROW_ERROR;
    int in_tx = 0;
    *new_version = 0;
    if (!vals || _begin_one(&g, &in_tx))
        goto done;
    if (_given_key(l, headers, values, n, vals)) {
        /* no usable key: the whole row's check says what is wrong */
        const char **cells = calloc(l->ncols, sizeof *cells);
        st = !cells ? TZ_ROW_ERROR : _merge(&g, headers, values, n, cells);
        if (st == TZ_ROW_OK) {
            tz_values_clear(vals, l->ncols);
            st = _validate(&g, cells, vals);
        }
        free(cells);
        st = st == TZ_ROW_OK ? TZ_ROW_INVALID : st;
        goto done;
    }
    if (_lock_key(&g, vals) || tzs_load_stored(&g, vals)) {
        tzs_fatal(&g, "读取已存数据");
        goto done;
    }
    /* the row as stored must be the caller's before anything is said about it */
    if (g.found && (st = _guard(&g, tzs_old(&g), "已存的这一行", 0)) != TZ_ROW_OK)
        goto done;
    if ((st = _version_check(&g, version)) != TZ_ROW_OK) {
        if (st == TZ_ROW_CONFLICT)
            _emit_loaded(&g, 1, cb, ctx);
        goto done;
    }
    st = _put_checked(&g, headers, values, n, actor, new_version, vals);
    if (st == TZ_ROW_CONFLICT && tzs_load_stored(&g, vals) == 0 && g.found)
        _emit_loaded(&g, 1, cb, ctx);
    if (st != TZ_ROW_OK)
        goto done;
    if (tz_touched_flush(s, g.touched) || tz_store_commit(s)) {
        tzs_fatal(&g, "提交数据库事务");
        st = TZ_ROW_ERROR;
        goto done;
    }
    in_tx = 0;
done:
    if (in_tx)
        tz_store_rollback(s); /* refused, or unchanged: nothing to keep */
    if (st != TZ_ROW_OK && st != TZ_ROW_CONFLICT)
        *new_version = 0;
    if (vals)
        tz_values_clear(vals, l->ncols);
    free(vals);
    tzs_ingest_free(&g);
    return st;
}

/* ---- delete --------------------------------------------------------------- */

/* Rows of other ledgers (or of l itself) that reference the stored row in
 * g: one diag per referencing column naming the ledger and the count.
 * Returns the number of diags, or -1 on a database error. */
static int _referenced(tzs_ingest *g)
{
    const tz_ledger *l = g->l;
    int keys[4], nerr = 0;
    if (tz_ledger_keys(l, keys) != 1)
        return 0; /* references name a ledger by a single-column key */
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < all[i].ncols; c++) {
            if (!all[i].cols[c].ref || strcmp(all[i].cols[c].ref, l->id) != 0)
                continue;
            tz_buf q = TZ_BUF_INIT;
            tz_buf_printf(&q, "SELECT COUNT(*) FROM %s WHERE %s = ?", all[i].id,
                          all[i].cols[c].sql);
            const char *params[] = {g->old_text[keys[0]], NULL};
            long long cnt = 0;
            int r = q.data ? tz_store_scalar_int(g->s, tz_buf_str(&q), params, &cnt) : -1;
            tz_buf_free(&q);
            if (r)
                return -1;
            if (cnt > 0) {
                tz_diags_error(g->d, NULL, 0, l->cols[keys[0]].name, g->old_text[keys[0]],
                               "被%s台账的%lld行(%s列)引用,不能删除;请先删除或改掉那些行",
                               all[i].name, cnt, all[i].cols[c].name);
                nerr++;
            }
        }
    return nerr;
}

/* The audit detail of a deleted row: its non-empty columns ("列: 值",
 * ID numbers in their audit form). Returns 0 or -1. */
static int _deleted_detail(tzs_ingest *g, tz_buf *detail)
{
    const tz_ledger *l = g->l;
    for (size_t i = 0; i < l->ncols; i++) {
        const char *v = g->old_text[i];
        char aud[96];
        if (!v || !*v)
            continue;
        if (l->cols[i].type == TZ_COL_IDCARD) {
            if (tz_store_audit_id(g->s, v, aud, sizeof aud))
                return -1;
            v = aud;
        }
        tz_buf_printf(detail, "%s%s: %s", detail->len ? "; " : "", l->cols[i].name, v);
    }
    return 0;
}

/* Keeps what the import record of a row about to be deleted says of it
 * (tz_import_gone): its 新增 entry stays in the history (tz_audit_history).
 * Returns 0 or -1. */
static int _keep_import(tzs_ingest *g, const tz_value *vals, const char *key)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    tz_buf_printf(&q,
                  "INSERT INTO tz_import_gone (import_id, line, ledger, row_key) SELECT tz_import, "
                  "tz_line, ?, ? FROM %s WHERE tz_import IS NOT NULL AND ",
                  l->id);
    tzs_key_where(l, &q);
    int rc = !q.data || tz_store_prepare(g->s, tz_buf_str(&q), &st) ||
             tz_stmt_bind_text(st, 1, l->id) || tz_stmt_bind_text(st, 2, key) ||
             tzs_key_bind(l, st, 3, vals) || tz_stmt_step(st) < 0;
    tz_stmt_free(st);
    tz_buf_free(&q);
    return rc ? -1 : 0;
}

/* Deletes the stored row in g and writes its audit entry. Returns 0 or -1
 * (fatal). */
static int _delete_loaded(tzs_ingest *g, const tz_value *vals, const char *actor)
{
    const tz_ledger *l = g->l;
    tz_buf q = TZ_BUF_INIT, detail = TZ_BUF_INIT, key = TZ_BUF_INIT;
    tz_stmt *st = NULL;
    int rc = -1;
    tz_buf_printf(&q, "DELETE FROM %s WHERE ", l->id);
    tzs_key_where(l, &q);
    if (!q.data || tz_store_prepare(g->s, tz_buf_str(&q), &st))
        goto done;
    tzs_key_text(l, vals, &key);
    if (!key.data || _keep_import(g, vals, tz_buf_str(&key)) || tzs_key_bind(l, st, 1, vals) ||
        tz_stmt_step(st) < 0 || _deleted_detail(g, &detail) ||
        tz_store_audit(g->s, actor, "删除", l->id, tz_buf_str(&key), tz_buf_str(&detail)))
        goto done;
    rc = 0;
done:
    if (rc)
        tzs_fatal(g, "删除");
    tz_stmt_free(st);
    tz_buf_free(&q);
    tz_buf_free(&detail);
    tz_buf_free(&key);
    return rc;
}

/* Part two of a delete, the row found: version, scope, locks, references,
 * then the delete. */
static tz_row_status _delete_checked(tzs_ingest *g, tz_value *vals, long long version,
                                     const char *actor)
{
    tz_row_status st;
    if (_lock_key(g, vals) || tzs_load_stored(g, vals)) {
        tzs_fatal(g, "读取已存数据");
        return TZ_ROW_ERROR;
    }
    if (!g->found)
        return TZ_ROW_NOT_FOUND;
    if ((st = _guard(g, tzs_old(g), "", 1)) != TZ_ROW_OK)
        return st;
    if (version > 0 && g->old_version != version) {
        tz_diags_error(g->d, NULL, 0, NULL, NULL, "该行已被他人修改(当前版本%lld),请刷新后再删除",
                       g->old_version);
        return TZ_ROW_CONFLICT;
    }
    int refs = _referenced(g);
    if (refs < 0) {
        tzs_fatal(g, "数据库查询");
        return TZ_ROW_ERROR;
    }
    if (refs)
        return TZ_ROW_INVALID;
    return _delete_loaded(g, vals, actor) ? TZ_ROW_ERROR : TZ_ROW_OK;
}

tz_row_status tz_row_delete(tz_store *s, const tz_ledger *l, const char *key, long long version,
                            const tz_access *a, const char *actor, tz_diags *d)
{
    tzs_ingest g;
    _one_init(&g, s, l, a, d);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    tz_row_status st = TZ_ROW_ERROR;
    int in_tx = 0;
    if (!vals || _begin_one(&g, &in_tx))
        goto done;
    if (_find_key(&g, key, vals))
        goto done;
    if (g.found && tz_touched_row(s, &g.touched, l, tzs_old(&g), NULL)) {
        tzs_fatal(&g, "写入数据库");
        st = TZ_ROW_ERROR;
        goto done;
    }
    st = !g.found ? TZ_ROW_NOT_FOUND : _delete_checked(&g, vals, version, actor);
    if (st != TZ_ROW_OK)
        goto done;
    if (tz_touched_flush(s, g.touched) || tz_store_commit(s)) {
        tzs_fatal(&g, "提交数据库事务");
        st = TZ_ROW_ERROR;
        goto done;
    }
    in_tx = 0;
done:
    if (in_tx)
        tz_store_rollback(s);
    if (vals)
        tz_values_clear(vals, l->ncols);
    free(vals);
    tzs_ingest_free(&g);
    return st;
}
