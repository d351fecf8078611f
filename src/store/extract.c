/* extract.c - reading ledgers back out: filtered selects, export to files. */
#include "io/writer.h"
#include "store/store_impl.h"
#include "util/buf.h"
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tzs_where_parse(const tz_ledger *l, const tz_filter *f, size_t nf, const char *param,
                    tzs_where *w, tz_buf *sql, int *nconds, tz_diags *d)
{
    memset(w, 0, sizeof *w);
    w->vals = calloc(nf ? nf : 1, sizeof *w->vals);
    w->cols = calloc(nf ? nf : 1, sizeof *w->cols);
    if (!w->vals || !w->cols)
        return -1;
    for (size_t k = 0; k < nf; k++) {
        int c = tz_ledger_col(l, f[k].column);
        if (c < 0) {
            tz_diags_error(d, NULL, 0, param, f[k].column, "%s台账没有这一列", l->name);
            return 1;
        }
        const char *why = NULL;
        if (tz_value_parse(&l->cols[c], f[k].value, 0, &w->vals[k], &why)) {
            tz_diags_error(d, NULL, 0, l->cols[c].name, f[k].value, "%s", why);
            return 1;
        }
        w->cols[k] = c;
        w->n = k + 1;
        tz_buf_printf(sql, "%s%s %s", (*nconds)++ ? " AND " : " WHERE ", l->cols[c].sql,
                      w->vals[k].null ? "IS NULL" : "= ?");
    }
    return 0;
}

int tzs_where_bind(const tz_ledger *l, const tzs_where *w, tz_stmt *st, int *p)
{
    for (size_t k = 0; k < w->n; k++)
        if (!w->vals[k].null && tz_stmt_bind_value(st, (*p)++, &l->cols[w->cols[k]], &w->vals[k]))
            return -1;
    return 0;
}

void tzs_where_free(tzs_where *w)
{
    if (w->vals)
        tz_values_clear(w->vals, w->n);
    free(w->vals);
    free(w->cols);
    memset(w, 0, sizeof *w);
}

/* Appends the condition of tz_ledger_select's within: each region column
 * between the prefix padded with 0s and with 9s (codes are 12 digits: the
 * column's index answers, as the metrics' region ranges do), or "1 = 0"
 * when the ledger has none. Sets lo and hi, the range bound to each. */
static void _within(const tz_ledger *l, const char *within, int nconds, tz_buf *q, char lo[13],
                    char hi[13])
{
    tz_code_bounds(within, 12, lo, hi);
    int k = 0;
    tz_buf_puts(q, nconds ? " AND (" : " WHERE (");
    for (size_t i = 0; i < l->ncols; i++)
        if (l->cols[i].type == TZ_COL_REGION)
            tz_buf_printf(q, "%s%s BETWEEN ? AND ?", k++ ? " OR " : "", l->cols[i].sql);
    tz_buf_puts(q, k ? ")" : "1 = 0)");
}

/* Builds "SELECT cols FROM t WHERE ... ORDER BY ..." and binds filters.
 * Returns 0, 1 on a bad filter (diag), -1 on a database error. */
static int _select(tz_store *s, const tz_ledger *l, const tz_filter *f, size_t nf,
                   const char *within, tz_stmt **out, tz_diags *d)
{
    tz_buf q = TZ_BUF_INIT;
    tzs_where w;
    int nconds = 0, p = 1;
    char lo[13], hi[13];
    *out = NULL;
    tz_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < l->ncols; i++)
        tz_buf_printf(&q, "%s%s", i ? ", " : "", l->cols[i].sql);
    tz_buf_printf(&q, " FROM %s", l->id);
    int rc = tzs_where_parse(l, f, nf, "--where", &w, &q, &nconds, d);
    if (rc)
        goto done;
    rc = -1;
    if (within)
        _within(l, within, nconds, &q, lo, hi);
    tz_buf_printf(&q, " ORDER BY %s", l->order_by);
    tz_stmt *st = NULL;
    if (tz_store_prepare(s, tz_buf_str(&q), &st)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", s->errmsg);
        goto done;
    }
    tzs_where_bind(l, &w, st, &p);
    for (size_t i = 0; within && i < l->ncols; i++)
        if (l->cols[i].type == TZ_COL_REGION &&
            (tz_stmt_bind_text(st, p++, lo) || tz_stmt_bind_text(st, p++, hi))) {
            tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", s->errmsg);
            tz_stmt_free(st);
            goto done;
        }
    *out = st;
    rc = 0;
done:
    tzs_where_free(&w);
    tz_buf_free(&q);
    return rc;
}

int tz_ledger_select(tz_store *s, const tz_ledger *l, const tz_filter *f, size_t nf,
                     const char *within, tz_row_cb cb, void *ctx, tz_diags *d)
{
    tz_stmt *st = NULL;
    int rc = _select(s, l, f, nf, within, &st, d);
    if (rc)
        return rc;
    char **cells = calloc(l->ncols, sizeof *cells);
    char(*bufs)[1100] = calloc(l->ncols, sizeof *bufs);
    rc = -1;
    if (!cells || !bufs)
        goto done;
    int r;
    while ((r = tz_stmt_step(st)) == 1) {
        for (size_t i = 0; i < l->ncols; i++)
            cells[i] = (char *)tz_stmt_value_text(st, (int)i, &l->cols[i], bufs[i], sizeof bufs[i]);
        if (cb(ctx, (const char *const *)cells, l->ncols))
            break;
    }
    if (r < 0) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "数据库查询失败: %s", s->errmsg);
        goto done;
    }
    rc = 0;
done:
    free(cells);
    free(bufs);
    tz_stmt_free(st);
    return rc;
}

typedef struct export_ctx {
    tz_writer *w; /* open writer */
    tz_diags *d;  /* diagnostics */
    size_t rows;  /* rows written */
    int failed;   /* 1 after a write error */
} export_ctx;

static int _export_row(void *ctx, const char *const *cells, size_t n)
{
    export_ctx *e = ctx;
    (void)n;
    if (tz_writer_row(e->w, cells, e->d)) {
        e->failed = 1;
        return 1;
    }
    e->rows++;
    return 0;
}

/* Sheet columns for a ledger: headers, drop-downs, notes, widths and cell formats. */
tz_sheet_column *tz_ledger_sheet_columns(const tz_ledger *l)
{
    tz_sheet_column *sc = calloc(l->ncols, sizeof *sc);
    if (!sc)
        return NULL;
    for (size_t i = 0; i < l->ncols; i++) {
        const tz_column *c = &l->cols[i];
        sc[i].header = c->name;
        sc[i].choices = c->choices;
        sc[i].note = c->note;
        sc[i].numeric = c->type == TZ_COL_DECIMAL || c->type == TZ_COL_INT;
        sc[i].width = c->width;
        /* IDs and codes stay text in Excel; dates are date cells */
        if (c->type == TZ_COL_IDCARD || c->type == TZ_COL_REGION ||
            (c->type == TZ_COL_TEXT && ((c->flags & TZ_F_KEY) || c->ref)))
            sc[i].format = TZ_SHEET_TEXT;
        else if (c->type == TZ_COL_DATE)
            sc[i].format = TZ_SHEET_DATE;
    }
    return sc;
}

/* Who runs this export, for the audit log: the login of the process. */
static void _os_actor(char *out, size_t sz)
{
    struct passwd pw, *res = NULL;
    char buf[1024];
    if (getpwuid_r(geteuid(), &pw, buf, sizeof buf, &res) == 0 && res)
        snprintf(out, sz, "命令行(%s)", res->pw_name);
    else
        snprintf(out, sz, "命令行(uid %u)", (unsigned)geteuid());
}

/* Writes the export's audit entry in its own transaction. Returns 0 or -1. */
static int _audit_export(tz_store *s, const tz_ledger *l, const char *path, const tz_filter *f,
                         size_t nf, size_t rows)
{
    char actor[300], full[PATH_MAX];
    tz_buf det = TZ_BUF_INIT;
    _os_actor(actor, sizeof actor);
    tz_buf_printf(&det, "导出%zu行到 %s", rows, realpath(path, full) ? full : path);
    for (size_t k = 0; k < nf; k++)
        tz_buf_printf(&det, "%s%s=%s", k ? ", " : "; 筛选: ", f[k].column, f[k].value);
    int rc = -1;
    /* an import may hold the write lock for a while: wait for it (each
     * attempt waits TZ_STORE_BUSY_MS) rather than lose the export */
    for (int attempt = 0; attempt < 24 && rc; attempt++) {
        if (tz_store_begin(s)) {
            if (tz_store_errkind(s) == TZ_STORE_ERR_BUSY)
                continue;
            break;
        }
        if (tz_store_audit(s, actor, "导出", l->id, "", tz_buf_str(&det)) == 0 &&
            tz_store_commit(s) == 0)
            rc = 0;
        else if (tz_store_in_tx(s))
            tz_store_rollback(s);
        if (rc && tz_store_errkind(s) != TZ_STORE_ERR_BUSY)
            break;
    }
    tz_buf_free(&det);
    return rc;
}

int tz_export_file(tz_store *s, const tz_ledger *l, const char *path, tz_encoding enc,
                   const tz_filter *f, size_t nf, size_t *nrows, tz_diags *d)
{
    tz_sheet_column *sc = tz_ledger_sheet_columns(l);
    export_ctx e = {NULL, d, 0, 0};
    int rc = -1;
    if (!sc)
        goto done;
    /* every export of ledger data is logged (who, which ledger, how many
     * rows, to which file): a database that cannot take the entry cannot
     * be exported */
    if (tz_store_read_only(s)) {
        tz_diags_error(d, path, 0, NULL, NULL,
                       "数据库只读,无法记录导出留痕(谁导出了哪本台账),未导出;"
                       "请用有写权限的账户导出");
        goto done;
    }
    if (tz_writer_open(path, l->name, sc, l->ncols, 0, enc, &e.w, d))
        goto done;
    rc = tz_ledger_select(s, l, f, nf, NULL, _export_row, &e, d);
    if (rc || e.failed) {
        tz_writer_abort(e.w);
        e.w = NULL;
        if (!rc)
            rc = -1;
        goto done;
    }
    rc = tz_writer_close(e.w, d) ? -1 : 0;
    e.w = NULL;
    if (rc == 0 && _audit_export(s, l, path, f, nf, e.rows)) {
        /* no file leaves without its log entry */
        unlink(path);
        tz_diags_error(d, path, 0, NULL, NULL, "无法写入导出留痕记录,已删除导出的文件: %s",
                       tz_store_errmsg(s));
        rc = -1;
    }
done:
    if (nrows)
        *nrows = e.rows;
    free(sc);
    return rc;
}
