/* api_files.c - the ledger downloads: the empty fill-in template, the
 * current filter of a ledger as .xlsx, and the failing rows of an import's
 * dry run with their reasons.
 *
 * Owns: GET /api/ledgers/{ledger}/template and /export, the xlsx answer of
 * POST /api/ledgers/{ledger}/import?dry_run=1&failed=xlsx (tz_api_failed_rows,
 * called by api_rows.c's import), their file names and the export's audit
 * entry (导出).
 *
 * Does not own: the sheet's layout (io/writer.h: frozen header, widths,
 * drop-downs; store's tz_ledger_sheet_columns), which rows a scope sees and
 * their masking (store's tz_rows_page), reading uploaded files (io/reader.h)
 * and their diagnostics (store's import).
 *
 * The writer writes files; each download is written into a private
 * temporary folder, read back and removed on every path.
 */
#include "io/reader.h"
#include "io/writer.h"
#include "report/draft.h"
#include "util/num.h"
#include "web/web_impl.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define EXPORT_PAGE 1000 /* rows read per page of an export */

/* ---- an xlsx answer ------------------------------------------------------- */

/* An xlsx being written in a private temporary folder. */
typedef struct xlsx_out {
    char dir[4096];  /* the folder, "" until made */
    char path[4200]; /* the file in it */
    tz_writer *w;    /* the open writer, or NULL */
} xlsx_out;

/* Removes the file and the folder (safe when never made). */
static void _xlsx_drop(xlsx_out *x)
{
    tz_writer_abort(x->w);
    x->w = NULL;
    if (x->dir[0]) {
        unlink(x->path);
        rmdir(x->dir);
        x->dir[0] = '\0';
    }
}

/* Opens an xlsx of the columns cols (sheet named sheet). Returns 0, or -1
 * with d filled. */
static int _xlsx_open(xlsx_out *x, const char *sheet, const tz_sheet_column *cols, size_t n,
                      unsigned flags, tz_diags *d)
{
    const char *tmp = getenv("TMPDIR");
    memset(x, 0, sizeof *x);
    snprintf(x->dir, sizeof x->dir, "%s/taizhang-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(x->dir)) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "无法创建临时文件夹 %s: %s", x->dir,
                       tz_errno_text(errno, 1));
        x->dir[0] = '\0';
        return -1;
    }
    snprintf(x->path, sizeof x->path, "%s/download.xlsx", x->dir);
    if (tz_writer_open(x->path, sheet, cols, n, flags, TZ_ENC_UTF8, &x->w, d)) {
        x->w = NULL;
        _xlsx_drop(x);
        return -1;
    }
    return 0;
}

/* Finishes the xlsx and puts its bytes into rs as the download filename.
 * Returns 0, or -1 with d filled (rs untouched). The folder is removed
 * either way. */
static int _xlsx_send(xlsx_out *x, tz_resp *rs, const char *filename, tz_diags *d)
{
    char *bytes = NULL;
    size_t len = 0;
    int rc = tz_writer_close(x->w, d);
    x->w = NULL;
    if (rc == 0)
        rc = tz_draft_read_file(x->path, &bytes, &len, d);
    _xlsx_drop(x);
    if (rc)
        return -1;
    tz_resp_clear(rs);
    rs->status = 200;
    rs->bytes = bytes;
    rs->len = len;
    rs->type = XLSX_TYPE;
    snprintf(rs->filename, sizeof rs->filename, "%s", filename);
    return 0;
}

/* ---- the template ---------------------------------------------------------- */

int tz_api_ledger_template(tz_req *rq, tz_resp *rs)
{
    xlsx_out x;
    tz_diags d = TZ_DIAGS_INIT;
    char name[300];
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l)
        return 0;
    tz_sheet_column *sc = tz_ledger_sheet_columns(l);
    snprintf(name, sizeof name, "%s-填报模板.xlsx", l->name);
    if (!sc || _xlsx_open(&x, l->name, sc, l->ncols, TZ_WRITER_NOTES_ROW, &d) ||
        _xlsx_send(&x, rs, name, &d))
        tz_resp_error(rs, 500, &d, "填报模板未能生成");
    free(sc);
    tz_diags_clear(&d);
    return 0;
}

/* ---- the export -------------------------------------------------------------- */

/* Rows going into an export. */
typedef struct export_ctx {
    xlsx_out *x;    /* the file */
    tz_diags *d;    /* why a row failed */
    size_t rows;    /* rows written */
    size_t in_page; /* rows of the current page */
    int failed;     /* 1 after a write error */
} export_ctx;

static int _export_row(void *ctx, const char *const *cells, size_t n, long long version)
{
    export_ctx *e = ctx;
    (void)n;
    (void)version;
    e->in_page++;
    if (tz_writer_row(e->x->w, cells, e->d)) {
        e->failed = 1;
        return 1;
    }
    e->rows++;
    return 0;
}

/* Today as YYYY-MM-DD (local time) into out. */
static void _today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0)
        snprintf(out, 11, "%s", "0000-00-00");
}

/* Writes every row of the query q (its scope, filters, search, order and
 * masking) page by page into e. Returns 0, 1 when the query is wrong (diag
 * naming the parameter), -1 on a failure. */
static int _export_rows(tz_store *s, const tz_ledger *l, tz_rows_query *q, export_ctx *e)
{
    long long total = 0;
    for (q->offset = 0;; q->offset += EXPORT_PAGE) {
        e->in_page = 0;
        int r = tz_rows_page(s, l, q, &total, _export_row, e, e->d);
        if (r || e->failed)
            return r ? r : -1;
        if (e->in_page < EXPORT_PAGE || q->offset + EXPORT_PAGE >= total)
            return 0;
    }
}

/* Records the export (who, ledger, rows, filter) in the audit log. Returns
 * 0 or -1: no file leaves without its entry. */
static int _export_audit(tz_req *rq, const tz_ledger *l, const tz_where_args *w,
                         const tz_rows_query *q, size_t rows, const char *name)
{
    tz_buf det = TZ_BUF_INIT;
    tz_buf_printf(&det, "导出%zu行(网页下载 %s)", rows, name);
    for (size_t k = 0; k < w->n; k++)
        tz_buf_printf(&det, "%s%s=%s", k ? ", " : "; 筛选: ", w->f[k].column, w->f[k].value);
    if (q->q)
        tz_buf_printf(&det, "; 搜索: %s", q->q);
    if (q->sort)
        tz_buf_printf(&det, "; 排序: %s", q->sort);
    int rc = -1;
    if (det.data && tz_store_begin(rq->s) == 0) {
        if (tz_store_audit(rq->s, rq->sess->acct.name, "导出", l->id, "", tz_buf_str(&det)) == 0 &&
            tz_store_commit(rq->s) == 0)
            rc = 0;
        else if (tz_store_in_tx(rq->s))
            tz_store_rollback(rq->s);
    }
    tz_buf_free(&det);
    return rc;
}

int tz_api_ledger_export(tz_req *rq, tz_resp *rs)
{
    tz_where_args w;
    xlsx_out x;
    tz_diags d = TZ_DIAGS_INIT;
    char name[300], today[11];
    tz_sheet_column *sc = NULL;
    memset(&w, 0, sizeof w);
    memset(&x, 0, sizeof x);
    if (tz_req_allow(rq, rs, TZ_PERM_READ))
        return 0;
    const tz_ledger *l = tz_req_ledger(rq, rs, rq->arg[0]);
    if (!l || tz_req_where(rq, rs, l, &w))
        goto done;
    tz_rows_query q = {.f = w.f,
                       .nf = w.n,
                       .q = tz_req_query(rq, "q"),
                       .sort = tz_req_query(rq, "sort"),
                       .limit = EXPORT_PAGE,
                       .access = &rq->sess->acct.access,
                       .unmask = tz_role_can(rq->sess->acct.role, TZ_PERM_UNMASK)};
    export_ctx e = {&x, &d, 0, 0, 0};
    _today(today);
    snprintf(name, sizeof name, "%s-%s.xlsx", l->name, today);
    if (!(sc = tz_ledger_sheet_columns(l)) || _xlsx_open(&x, l->name, sc, l->ncols, 0, &d)) {
        tz_resp_error(rs, 500, &d, "导出文件未能生成");
        goto done;
    }
    int r = _export_rows(rq->s, l, &q, &e);
    if (r) {
        tz_resp_error(rs, r > 0 ? 400 : 500, &d, r > 0 ? "查询参数有误" : "导出失败");
        goto done;
    }
    if (_export_audit(rq, l, &w, &q, e.rows, name)) {
        tz_resp_error(rs, 500, NULL, "无法写入导出留痕记录,未导出: %s", tz_store_errmsg(rq->s));
        goto done;
    }
    if (_xlsx_send(&x, rs, name, &d))
        tz_resp_error(rs, 500, &d, "导出文件未能生成");
done:
    _xlsx_drop(&x);
    free(sc);
    tz_where_args_free(&w);
    tz_diags_clear(&d);
    return 0;
}

/* ---- the failing rows of an import ------------------------------------------ */

/* The reasons of the errors of row rowno of the sheet the import named
 * `file` in d, joined by ";" ("户主身份证号: 校验码错误;家庭人口: …"),
 * appended to b. Returns how many there are. */
static size_t _row_reasons(const tz_diags *d, const char *file, long rowno, tz_buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        const tz_diag *g = &d->items[i];
        if (g->sev != TZ_ERROR || g->row != rowno || !g->file || strcmp(g->file, file) != 0)
            continue;
        tz_buf_printf(b, "%s%s%s%s", n++ ? ";" : "", g->column ? g->column : "",
                      g->column ? ": " : "", g->reason ? g->reason : "");
    }
    return n;
}

/* 1 when some error of d names a data row: a row under a sheet's header. */
static int _has_row_errors(const tz_diags *d, const tz_import_result *res)
{
    for (size_t i = 0; i < d->n; i++) {
        const tz_diag *g = &d->items[i];
        int header = 0;
        for (size_t k = 0; k < res->nsheets; k++)
            header |= g->row > 0 && (size_t)g->row >= res->sheets[k].header_row &&
                      (size_t)g->row < res->sheets[k].header_row + res->sheets[k].header_rows;
        if (g->sev == TZ_ERROR && g->row > 0 && !header)
            return 1;
    }
    return 0;
}

/* The widest row of any sheet of the file at path (cells), or -1 when it
 * cannot be read (d). */
static long _widest(const char *path, tz_diags *d)
{
    tz_reader *rd = NULL;
    const tz_row *row;
    tz_sheet_info info;
    long most = 0;
    int r = 0, s;
    if (tz_reader_open(path, &rd, d))
        return -1;
    while (r >= 0 && (s = tz_reader_next_sheet(rd, &info, d)) == 1)
        while ((r = tz_reader_next(rd, &row, d)) == 1)
            if ((long)row->n > most)
                most = (long)row->n;
    tz_reader_free(rd);
    return r < 0 || s < 0 ? -1 : most;
}

/* Frees what _failed_columns made (ncols copied headers); sc may be NULL. */
static void _failed_columns_free(tz_sheet_column *sc, size_t ncols)
{
    for (size_t i = 0; sc && i < ncols; i++)
        free((char *)sc[i].header);
    free(sc);
}

/* The header the import found (the first sheet read's, as one row) padded
 * to ncols, after a 工作表 column when the file has several sheets, plus
 * 错误原因, as sheet columns (text: the cells are written as read). NULL
 * when out of memory. */
static tz_sheet_column *_failed_columns(const tz_import_result *res, size_t lead, size_t ncols)
{
    const tz_import_sheet *first = NULL;
    for (size_t i = 0; i < res->nsheets && !first; i++)
        if (res->sheets[i].nheader)
            first = &res->sheets[i];
    tz_sheet_column *sc = calloc(lead + ncols + 1, sizeof *sc);
    for (size_t i = 0; sc && i < lead + ncols; i++) {
        const char *h = i < lead                             ? "工作表"
                        : first && i - lead < first->nheader ? first->header[i - lead]
                                                             : "";
        if (!(sc[i].header = strdup(h))) {
            _failed_columns_free(sc, i);
            return NULL;
        }
    }
    if (sc) {
        sc[lead + ncols].header = "错误原因";
        sc[lead + ncols].width = 60;
    }
    return sc;
}

/* Writes the rows of the current sheet of rd that have errors in d under
 * `file` (the sheet's cells as read after its name when lead, then the
 * reasons) to x. Returns 0 or -1 (d2). */
static int _failed_write(tz_reader *rd, const tz_diags *d, const char *file, const char *sheet,
                         size_t lead, size_t ncols, xlsx_out *x, tz_diags *d2)
{
    const tz_row *row;
    const char **cells = calloc(lead + ncols + 1, sizeof *cells);
    tz_buf why = TZ_BUF_INIT;
    int r = 0, rc = cells ? 0 : -1;
    while (rc == 0 && (r = tz_reader_next(rd, &row, d2)) == 1) {
        tz_buf_reset(&why);
        if (_row_reasons(d, file, row->rowno, &why) == 0)
            continue;
        if (lead)
            cells[0] = sheet;
        for (size_t i = 0; i < ncols; i++)
            cells[lead + i] = i < row->n ? row->cells[i] : "";
        cells[lead + ncols] = tz_buf_str(&why);
        rc = tz_writer_row(x->w, cells, d2);
    }
    if (rc == 0 && r < 0)
        rc = -1;
    free(cells);
    tz_buf_free(&why);
    return rc;
}

/* Writes every sheet's failing rows; each sheet's diagnostics name it as
 * the import did ("名册.xlsx[宋河镇]" when there are several). Returns 0 or
 * -1 (d2). */
static int _failed_sheets(tz_reader *rd, const tz_diags *d, const char *name, size_t lead,
                          size_t ncols, xlsx_out *x, tz_diags *d2)
{
    tz_sheet_info info;
    int s;
    char file[600];
    while ((s = tz_reader_next_sheet(rd, &info, d2)) == 1) {
        if (lead)
            snprintf(file, sizeof file, "%s[%s]", name, info.name);
        else
            snprintf(file, sizeof file, "%s", name);
        if (_failed_write(rd, d, file, info.name, lead, ncols, x, d2))
            return -1;
    }
    return s < 0 ? -1 : 0;
}

int tz_api_failed_rows(tz_resp *rs, const char *path, const char *name, const tz_import_result *res,
                       const tz_diags *d)
{
    tz_reader *rd = NULL;
    xlsx_out x;
    tz_diags d2 = TZ_DIAGS_INIT;
    tz_sheet_column *sc = NULL;
    char out[300];
    int rc = 1;
    long ncols = 0;
    size_t lead = res->nsheets > 1;
    memset(&x, 0, sizeof x);
    if (!_has_row_errors(d, res))
        return 1;
    ncols = _widest(path, &d2);
    if (ncols < 0 || tz_reader_open(path, &rd, &d2)) {
        tz_resp_error(rs, 500, &d2, "无法重新读取上传的文件");
        rc = 0;
        goto done;
    }
    const char *dot = strrchr(name, '.');
    snprintf(out, sizeof out, "%.*s-错误行.xlsx", (int)(dot ? dot - name : (long)strlen(name)),
             name);
    sc = _failed_columns(res, lead, (size_t)ncols);
    if (!sc || _xlsx_open(&x, "错误行", sc, lead + (size_t)ncols + 1, 0, &d2) ||
        _failed_sheets(rd, d, name, lead, (size_t)ncols, &x, &d2) || _xlsx_send(&x, rs, out, &d2))
        tz_resp_error(rs, 500, &d2, "错误行文件未能生成");
    rc = 0;
done:
    _xlsx_drop(&x);
    tz_reader_free(rd);
    _failed_columns_free(sc, ncols > 0 ? lead + (size_t)ncols : 0);
    tz_diags_clear(&d2);
    return rc;
}
