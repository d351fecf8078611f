/* copy.c - taizhang copy: every table of one database into a new one, SQLite
 * or PostgreSQL in either direction (see store.h, tz_store_copy).
 *
 * The source is read in one snapshot (a read transaction), the target
 * written in one transaction: a copy is whole or absent. Tables are found
 * in the source's catalogue, so the audit log, accounts, sessions, deadlines
 * and 上报审核 records go with the ledgers without a list here; the
 * summaries (tz_agg_*) are derived and are rebuilt by the target on first
 * use. Values keep their kind (integer, real, text, NULL); a real is read
 * exactly, not through its 15-digit text.
 */
#include "store/store_impl.h"
#include "util/buf.h"
#include "util/num.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tz_meta keys the target keeps its own of: they describe its schema or
 * its summaries, not the data */
static const char *const _own_meta[] = {"schema_version", "schema_fingerprint", "agg_version",
                                        NULL};

/* Rows between progress reports. */
#define COPY_TICK 5000
/* COPY text gathered before it is sent to a PostgreSQL target. */
#define COPY_PG_BYTES ((size_t)8 << 20)

static int _derived(const char *table)
{
    return !strncmp(table, "tz_agg_", 7);
}

/* The names one query gives (column 0 of each row), as a NULL-terminated
 * malloc'd array of malloc'd strings, with *n; a text parameter when p is
 * not NULL. Returns 0 or -1. */
static int _names(tz_store *s, const char *sql, const char *p, char ***out, size_t *n)
{
    tz_stmt *st = NULL;
    char **v = NULL;
    size_t k = 0;
    int r;
    *out = NULL;
    *n = 0;
    if (tz_store_prepare(s, sql, &st) || (p && tz_stmt_bind_text(st, 1, p)))
        goto fail;
    while ((r = tz_stmt_step(st)) == 1) {
        char **nv = realloc(v, (k + 2) * sizeof *nv);
        if (!nv)
            goto fail;
        v = nv;
        if (!(v[k] = strdup(tz_stmt_text(st, 0) ? tz_stmt_text(st, 0) : "")))
            goto fail;
        v[++k] = NULL;
    }
    if (r < 0)
        goto fail;
    tz_stmt_free(st);
    *out = v;
    *n = k;
    return 0;
fail:
    tz_stmt_free(st);
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    return -1;
}

static void _names_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static int _tables(tz_store *s, char ***out, size_t *n)
{
    return _names(s,
                  tz_store_backend(s) == TZ_BACKEND_PG
                      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                        "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
                      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite!_%' ESCAPE '!' ORDER BY name",
                  NULL, out, n);
}

static int _columns(tz_store *s, const char *table, char ***out, size_t *n)
{
    return _names(s,
                  tz_store_backend(s) == TZ_BACKEND_PG
                      ? "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                        "current_schema() AND table_name = ? ORDER BY ordinal_position"
                      : "SELECT name FROM pragma_table_info(?) ORDER BY cid",
                  table, out, n);
}

static int _has(char *const *v, const char *name)
{
    for (size_t i = 0; v && v[i]; i++)
        if (!strcmp(v[i], name))
            return 1;
    return 0;
}

/* The number of rows of table in s, or -1. */
static long long _count(tz_store *s, const char *table)
{
    tz_buf q = TZ_BUF_INIT;
    long long n = -1;
    tz_buf_printf(&q, "SELECT count(*) FROM \"%s\"", table);
    if (q.data && tz_store_scalar_int(s, tz_buf_str(&q), NULL, &n))
        n = -1;
    tz_buf_free(&q);
    return n;
}

/* Binds column i of the source row to parameter i + 1 of ins, as its
 * kind. */
static int _bind(tz_stmt *ins, tz_stmt *sel, int i)
{
    int p = i + 1;
    switch (tz_stmt_kind(sel, i)) {
    case TZ_SQL_NULL:
        return tz_stmt_bind_null(ins, p);
    case TZ_SQL_INT:
        return tz_stmt_bind_int(ins, p, tz_stmt_int(sel, i));
    case TZ_SQL_REAL:
        return tz_stmt_bind_double(ins, p, tz_stmt_real(sel, i));
    case TZ_SQL_TEXT:
        return tz_stmt_bind_text(ins, p, tz_stmt_text(sel, i));
    default:
        return -1; /* no table of Taizhang holds binary data */
    }
}

typedef struct copy_job {
    tz_store *src, *dst;
    tz_progress_cb cb;
    void *ctx;
    unsigned long long done, total; /* rows, for cb */
    long long *planned;             /* rows of each table in the snapshot (_plan) */
    tz_diags *d;
} copy_job;

/* Says which database failed, with its message. Returns -1. */
static int _dberr(copy_job *j, tz_store *s, const char *what, const char *table)
{
    tz_diags_error(j->d, NULL, 0, table ? "表" : NULL, table, "%s%s失败: %s",
                   s == j->src ? "源数据库" : "目标数据库", what, tz_store_errmsg(s));
    return -1;
}

/* Appends "INSERT INTO table (cols) VALUES (?, ...)" (tz_meta: replacing
 * a key the target has), or with copy "COPY table (cols) FROM STDIN". */
static void _insert_sql(const char *table, char *const *cols, size_t n, int copy, tz_buf *q)
{
    tz_buf_printf(q, "%s \"%s\" (", copy ? "COPY" : "INSERT INTO", table);
    for (size_t i = 0; i < n; i++)
        tz_buf_printf(q, "%s\"%s\"", i ? ", " : "", cols[i]);
    if (copy) {
        tz_buf_puts(q, ") FROM STDIN");
        return;
    }
    tz_buf_puts(q, ") VALUES (");
    for (size_t i = 0; i < n; i++)
        tz_buf_puts(q, i ? ", ?" : "?");
    tz_buf_puts(q, ")");
    if (!strcmp(table, "tz_meta"))
        tz_buf_puts(q, " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
}

/* Appends column i of the source row to w as a COPY field of its kind, as
 * PostgreSQL reads the parameter _bind would bind. Returns 0 or -1 (a kind
 * no table of Taizhang holds). */
static int _field(tz_bufw *w, tz_stmt *sel, int i, int last)
{
    char num[40];
    switch (tz_stmt_kind(sel, i)) {
    case TZ_SQL_NULL:
        tzs_copy_field(w, NULL, last);
        return 0;
    case TZ_SQL_INT:
        tzs_copy_field(w, tz_num_text(tz_stmt_int(sel, i), num), last);
        return 0;
    case TZ_SQL_REAL:
        snprintf(num, sizeof num, "%.17g", tz_stmt_real(sel, i));
        tzs_copy_field(w, num, last);
        return 0;
    case TZ_SQL_TEXT:
        tzs_copy_field(w, tz_stmt_text(sel, i), last);
        return 0;
    default:
        return -1;
    }
}

/* Sends the COPY text gathered in w (if any) and empties it. Returns 0 or
 * -1 with a diag. */
static int _send(copy_job *j, const char *table, const char *copy_sql, tz_bufw *w)
{
    int rc = 0;
    if (w->err) {
        tz_diags_error(j->d, NULL, 0, NULL, NULL, "内存不足");
        rc = -1;
    } else if (tzs_copy_in(j->dst, copy_sql, &w->b)) {
        rc = _dberr(j, j->dst, "写入", table);
    }
    tz_buf_reset(&w->b);
    w->err = 0;
    return rc;
}

/* Copies the rows of table (its source columns cols, n of them; planned
 * rows in the snapshot) into the target, whose copy of the table is emptied
 * first (what `init` put there is replaced by the source's); tz_meta keeps
 * the target's own keys. A PostgreSQL target takes the rows by COPY (a few
 * megabytes a round trip), tz_meta and a SQLite target an INSERT a row.
 * Returns the rows copied, or -1 with a diag. */
static long long _copy_table(copy_job *j, const char *table, char *const *cols, size_t n,
                             long long planned)
{
    int meta = !strcmp(table, "tz_meta");
    int copy = tz_store_backend(j->dst) == TZ_BACKEND_PG && !meta;
    tz_buf sel = TZ_BUF_INIT, ins = TZ_BUF_INIT, clear = TZ_BUF_INIT;
    tz_bufw w = TZ_BUFW_INIT;
    tz_stmt *st_sel = NULL, *st_ins = NULL;
    long long rows = -1, k = 0;
    tz_buf_puts(&sel, "SELECT ");
    for (size_t i = 0; i < n; i++)
        tz_buf_printf(&sel, "%s\"%s\"", i ? ", " : "", cols[i]);
    tz_buf_printf(&sel, " FROM \"%s\"", table);
    _insert_sql(table, cols, n, copy, &ins);
    if (meta) {
        tz_buf_puts(&sel, " WHERE key NOT IN (");
        for (size_t i = 0; _own_meta[i]; i++)
            tz_buf_printf(&sel, "%s'%s'", i ? ", " : "", _own_meta[i]);
        tz_buf_puts(&sel, ")");
    } else {
        tz_buf_printf(&clear, "DELETE FROM \"%s\"", table);
    }
    if (!sel.data || !ins.data || (!meta && !clear.data)) {
        tz_diags_error(j->d, NULL, 0, NULL, NULL, "内存不足");
        goto done;
    }
    if (!meta && tz_store_exec(j->dst, tz_buf_str(&clear))) {
        _dberr(j, j->dst, "清空", table);
        goto done;
    }
    if (tz_store_prepare(j->src, tz_buf_str(&sel), &st_sel)) {
        _dberr(j, j->src, "读取", table);
        goto done;
    }
    if (!copy && tz_store_prepare(j->dst, tz_buf_str(&ins), &st_ins)) {
        _dberr(j, j->dst, "写入", table);
        goto done;
    }
    int r;
    while ((r = tz_stmt_step(st_sel)) == 1) {
        if (!copy)
            tz_stmt_reset(st_ins);
        for (size_t i = 0; i < n; i++)
            if (copy ? _field(&w, st_sel, (int)i, i + 1 == n) : _bind(st_ins, st_sel, (int)i)) {
                tz_diags_error(j->d, NULL, 0, "表", table, "第%lld行第%zu列(%s)的值无法复制", k + 1,
                               i + 1, cols[i]);
                goto done;
            }
        if (copy ? (w.b.len >= COPY_PG_BYTES && _send(j, table, tz_buf_str(&ins), &w))
                 : (tz_stmt_step(st_ins) < 0 && _dberr(j, j->dst, "写入", table)))
            goto done;
        k++;
        if (j->cb && ++j->done % COPY_TICK == 0)
            j->cb(j->ctx, j->done, j->total);
    }
    if (r < 0) {
        _dberr(j, j->src, "读取", table);
        goto done;
    }
    if (copy && _send(j, table, tz_buf_str(&ins), &w))
        goto done;
    if (!meta && k != planned) { /* the snapshot counted otherwise: cannot happen */
        tz_diags_error(j->d, NULL, 0, "表", table, "读取的行数(%lld)与计数(%lld)不符", k, planned);
        goto done;
    }
    rows = k;
done:
    tz_stmt_free(st_sel);
    tz_stmt_free(st_ins);
    tz_buf_free(&sel);
    tz_buf_free(&ins);
    tz_buf_free(&clear);
    tz_buf_free(&w.b);
    return rows;
}

/* PostgreSQL: moves the sequence behind each serial column of table past
 * the largest value copied, so that the next row the target adds (an audit
 * entry) does not take a copied id. Returns 0 or -1. */
static int _sequences(copy_job *j, const char *table)
{
    if (tz_store_backend(j->dst) != TZ_BACKEND_PG)
        return 0; /* SQLite: AUTOINCREMENT follows the largest id by itself */
    char **serial = NULL;
    size_t n = 0;
    if (_names(j->dst,
               "SELECT column_name FROM information_schema.columns WHERE table_schema = "
               "current_schema() AND table_name = ? AND (column_default LIKE 'nextval(%' OR "
               "is_identity = 'YES')",
               table, &serial, &n))
        return _dberr(j, j->dst, "查询序列", table);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        tz_buf q = TZ_BUF_INIT;
        tz_buf_printf(&q,
                      "SELECT setval(pg_get_serial_sequence('\"%s\"', '%s'), COALESCE((SELECT "
                      "MAX(\"%s\") FROM \"%s\"), 0) + 1, false)",
                      table, serial[i], serial[i], table);
        long long ignored;
        if (!q.data || tz_store_scalar_int(j->dst, tz_buf_str(&q), NULL, &ignored))
            rc = _dberr(j, j->dst, "设置序列", table);
        tz_buf_free(&q);
    }
    _names_free(serial);
    return rc;
}

/* Checks that the target has every table and column of the source it will
 * copy into, and counts the rows to copy. Returns 0 or -1 with a diag. */
static int _plan(copy_job *j, char *const *tables, tz_copy_result *res)
{
    char **dst_tables = NULL;
    size_t ndst;
    if (_tables(j->dst, &dst_tables, &ndst))
        return _dberr(j, j->dst, "读取表目录", NULL);
    int rc = 0;
    for (size_t t = 0; tables[t] && rc == 0; t++) {
        tz_copy_table *ct = &res->v[t];
        if (!(ct->name = strdup(tables[t]))) {
            tz_diags_error(j->d, NULL, 0, NULL, NULL, "内存不足");
            rc = -1;
            break;
        }
        res->n = t + 1;
        ct->derived = _derived(tables[t]);
        if (ct->derived)
            continue;
        if (!_has(dst_tables, tables[t])) {
            tz_diags_error(j->d, NULL, 0, "表", tables[t],
                           "目标数据库没有这张表(源数据库来自另一个版本的taizhang?),未做任何改动");
            rc = -1;
            break;
        }
        char **sc = NULL, **dc = NULL;
        size_t nsc, ndc;
        if (_columns(j->src, tables[t], &sc, &nsc) || _columns(j->dst, tables[t], &dc, &ndc)) {
            rc = _dberr(j, sc ? j->dst : j->src, "读取列", tables[t]);
        } else {
            for (size_t i = 0; i < nsc && rc == 0; i++)
                if (!_has(dc, sc[i])) {
                    tz_diags_error(j->d, NULL, 0, "表", tables[t],
                                   "目标数据库的这张表没有“%s”列,复制会丢失它,未做任何改动", sc[i]);
                    rc = -1;
                }
            long long c = _count(j->src, tables[t]);
            if (c < 0)
                rc = _dberr(j, j->src, "计数", tables[t]);
            else
                j->total += (unsigned long long)(j->planned[t] = c);
        }
        _names_free(sc);
        _names_free(dc);
    }
    _names_free(dst_tables);
    return rc;
}

int tz_store_copy(tz_store *src, tz_store *dst, const char *actor, tz_progress_cb cb, void *ctx,
                  tz_copy_result *res, tz_diags *d)
{
    copy_job j = {.src = src, .dst = dst, .cb = cb, .ctx = ctx, .d = d};
    char **tables = NULL;
    size_t nt = 0;
    int rc = -1, src_tx = 0, dst_tx = 0;
    memset(res, 0, sizeof *res);
    /* one snapshot of the source for the catalogue, the counts and the rows */
    if ((src_tx = tz_store_read_begin(src)) < 0) {
        src_tx = 0;
        _dberr(&j, src, "开始读取", NULL);
        goto done;
    }
    if (_tables(src, &tables, &nt)) {
        _dberr(&j, src, "读取表目录", NULL);
        goto done;
    }
    if (!(res->v = calloc(nt ? nt : 1, sizeof *res->v)) ||
        !(j.planned = calloc(nt ? nt : 1, sizeof *j.planned))) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "内存不足");
        goto done;
    }
    if (nt == 0 || !_has(tables, "tz_meta")) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "源数据库不是台账数据库(没有tz_meta表)");
        goto done;
    }
    if (_plan(&j, tables, res))
        goto done;
    if (tz_store_begin(dst)) {
        _dberr(&j, dst, "开始写入", NULL);
        goto done;
    }
    dst_tx = 1;
    for (size_t t = 0; t < res->n; t++) {
        tz_copy_table *ct = &res->v[t];
        if (ct->derived || !ct->name) /* _plan named every table up to res->n */
            continue;
        char **cols = NULL;
        size_t nc;
        if (_columns(src, ct->name, &cols, &nc)) {
            _dberr(&j, src, "读取列", ct->name);
            goto done;
        }
        const tz_ledger *l = tz_ledger_find(ct->name);
        /* a ledger's per-row data version triggers: one bump instead */
        int paused = l && !tzs_dv_pause(dst, l);
        ct->rows = _copy_table(&j, ct->name, cols, nc, j.planned[t]);
        _names_free(cols);
        if (ct->rows < 0)
            goto done;
        if (paused && tzs_dv_resume(dst, l, 1)) {
            _dberr(&j, dst, "写入", ct->name);
            goto done;
        }
        if (_sequences(&j, ct->name))
            goto done;
        long long have = strcmp(ct->name, "tz_meta") ? _count(dst, ct->name) : ct->rows;
        if (have != ct->rows) {
            tz_diags_error(d, NULL, 0, "表", ct->name, "复制后目标数据库有%lld行,源数据库有%lld行",
                           have, ct->rows);
            goto done;
        }
        res->rows += ct->rows;
    }
    size_t copied = 0;
    for (size_t t = 0; t < res->n; t++)
        copied += !res->v[t].derived;
    tz_buf det = TZ_BUF_INIT;
    tz_buf_printf(&det, "从%s数据库复制%zu张表,共%lld行", src->ops->name, copied, res->rows);
    int arc = !det.data || tz_store_audit(dst, actor, "复制数据库", NULL, "", tz_buf_str(&det));
    tz_buf_free(&det);
    if (arc) {
        _dberr(&j, dst, "写入留痕记录", NULL);
        goto done;
    }
    if (tz_store_commit(dst)) {
        dst_tx = 0;
        _dberr(&j, dst, "提交", NULL);
        goto done;
    }
    dst_tx = 0;
    if (cb)
        cb(ctx, j.total, j.total);
    rc = 0;
done:
    if (dst_tx)
        tz_store_rollback(dst);
    if (src_tx == 1)
        tz_store_read_end(src);
    _names_free(tables);
    free(j.planned);
    return rc;
}

void tz_copy_result_free(tz_copy_result *r)
{
    for (size_t i = 0; r && r->v && i < r->n; i++)
        free(r->v[i].name);
    if (r) {
        free(r->v);
        r->v = NULL;
        r->n = 0;
    }
}
