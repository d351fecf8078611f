/* xlsx_write.c - xlsx backend of the table writer, on libxlsxwriter in
 * constant-memory mode (rows stream to a temporary file, so memory stays flat
 * however many rows there are; rows must come in order, which the writer's
 * one-row-at-a-time API guarantees).
 *
 * The sheet gets a bold, shaded header row in a Chinese font, an optional
 * notes row (grey italic, wrapped), panes frozen below them, column widths
 * from the display width of the Chinese text, and a drop-down list on every
 * column that has choices. A TZ_SHEET_TEXT column is Text-formatted ("@",
 * built-in number format 49) in its <col> definition and in every cell, so
 * what a clerk types below the data stays text too; a TZ_SHEET_DATE column's
 * dates are numbers (1900 date system) formatted yyyy-mm-dd, which the
 * reader turns back into the same dates. Lists too long for Excel's 255-character inline
 * limit, or holding a comma or quote, go to a hidden sheet and are referenced
 * by range. Output is deterministic: libxlsxwriter 1.1.4 stamps every zip
 * entry 1980-01-01 00:00, and the document time is fixed here.
 *
 * libxlsxwriter 1.1.4 ignores write errors on its temporary files (rows in
 * constant-memory mode, parts before zipping) and then reports success for a
 * file whose sheet is cut off. So the row stream's error flag is checked
 * after every write, and the finished file is read back once to prove every
 * part complete before it is published.
 */
#include "io/xlsxw.h"
#include "io/libzip.h"
#include "io/writer_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Font for every cell: the default Song typeface of Chinese Windows. */
#define XLSX_FONT "宋体"
/* Light blue fill of the header row. */
#define XLSX_HEADER_FILL 0xDDEBF7
/* Grey of the notes row. */
#define XLSX_NOTE_COLOR 0x808080
/* Points per text line of the notes row, and the most lines it may take. */
#define XLSX_NOTE_LINE_HEIGHT 15.0
#define XLSX_NOTE_MAX_LINES 6
/* Name of the hidden sheet that holds long drop-down lists. */
#define XLSX_LIST_SHEET "下拉选项"
#define XLSX_LIST_SHEET_ALT "_下拉选项"
/* Excel limits: bytes we allow in an inline list (see _inline_list_ok) and
 * characters in a validation error message. */
#define XLSX_MAX_INLINE_LIST 255
#define XLSX_MAX_ERROR_MSG 255

typedef struct xlsx_out {
    lxw_workbook *wb;     /* the workbook; written to w->tmp_path on finish */
    lxw_worksheet *ws;    /* the data sheet */
    lxw_format *head_fmt; /* header row: bold, shaded, bordered, Chinese font */
    lxw_format *note_fmt; /* notes row: grey italic, wrapped */
    lxw_format *body_fmt; /* data cells and column default: Chinese font */
    lxw_format *text_fmt; /* TZ_SHEET_TEXT columns: Chinese font, Text ("@") */
    lxw_format *date_fmt; /* TZ_SHEET_DATE columns: Chinese font, yyyy-mm-dd */
} xlsx_out;

/* Excel's built-in number format "@" (Text), as Excel itself writes it. */
#define XLSX_TEXT_FORMAT_ID 49
/* The number format of a date cell. */
#define XLSX_DATE_FORMAT "yyyy-mm-dd"

/* The format of column c's cells and of its <col> definition. */
static lxw_format *_col_format(const xlsx_out *x, const tz_sheet_column *c)
{
    switch (c->format) {
    case TZ_SHEET_TEXT:
        return x->text_fmt;
    case TZ_SHEET_DATE:
        return x->date_fmt;
    default:
        return x->body_fmt;
    }
}

/* Column width in Excel units (one half-width character each) for c: the
 * widest of its header, its choices and its hint, plus room for the drop-down
 * arrow, clamped to [TZ_WRITER_MIN_WIDTH, TZ_WRITER_MAX_WIDTH]. Data rows
 * arrive after the widths are fixed, so the hint stands for them. */
static size_t _col_width(const tz_sheet_column *c)
{
    size_t width = tz_text_width(c->header);
    for (const char *const *ch = c->choices; ch && *ch; ch++) {
        size_t cw = tz_text_width(*ch);
        if (cw > width)
            width = cw;
    }
    if (c->width > 0 && (size_t)c->width > width)
        width = (size_t)c->width;
    width += 2;
    if (width < TZ_WRITER_MIN_WIDTH)
        width = TZ_WRITER_MIN_WIDTH;
    if (width > TZ_WRITER_MAX_WIDTH)
        width = TZ_WRITER_MAX_WIDTH;
    return width;
}

/* 1 when the choices of c can be written inline in the validation: no empty
 * item, no comma or quote (Excel's list syntax has no escape), and at most
 * 255 bytes joined with commas. Bytes, not characters: libxlsxwriter 1.1.4
 * checks Excel's 255-character limit but copies the joined list into a
 * 258-byte buffer, so a longer list of Chinese words would overflow it. */
static int _inline_list_ok(const tz_sheet_column *c)
{
    size_t bytes = 0;
    for (const char *const *ch = c->choices; *ch; ch++) {
        if (!**ch || strpbrk(*ch, ",\""))
            return 0;
        bytes += strlen(*ch) + (ch != c->choices);
    }
    return bytes <= XLSX_MAX_INLINE_LIST;
}

/* Builds the Chinese error message of a drop-down, "请从下拉列表中选择: A/B/C",
 * cut after a whole choice with "/…" when it would pass Excel's 255
 * characters. Returns the message (caller frees), or NULL when memory runs
 * out. */
static char *_choice_message(const tz_sheet_column *c)
{
    static const char prefix[] = "请从下拉列表中选择: ";
    tz_buf b = TZ_BUF_INIT;
    size_t len = tz_utf8_count(prefix);
    if (tz_buf_puts(&b, prefix) != 0)
        return NULL;
    for (const char *const *ch = c->choices; *ch; ch++) {
        size_t add = tz_utf8_count(*ch) + (ch != c->choices);
        if (len + add > XLSX_MAX_ERROR_MSG - 2) {
            if (tz_buf_puts(&b, "/…") != 0)
                return NULL;
            break;
        }
        if ((ch != c->choices && tz_buf_putc(&b, '/') != 0) || tz_buf_puts(&b, *ch) != 0)
            return NULL;
        len += add;
    }
    return tz_buf_take(&b);
}

/* Chinese reason for a libxlsxwriter error (its own English text for the
 * rare ones). */
static const char *_lxw_reason(lxw_error err)
{
    switch (err) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return "内存不足";
    case LXW_ERROR_CREATING_TMPFILE:
        return "无法创建临时文件";
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
        return "单元格文字超过Excel上限(32767个字符)";
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
        return "超出Excel工作表的行列上限";
    case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED:
        return "工作表名称超过31个字符";
    case LXW_ERROR_INVALID_SHEETNAME_CHARACTER:
        return "工作表名称不能含有 [ ] : * ? / \\";
    case LXW_ERROR_SHEETNAME_START_END_APOSTROPHE:
        return "工作表名称不能以单引号开头或结尾";
    case LXW_ERROR_SHEETNAME_ALREADY_USED:
        return "工作表名称重复";
    default:
        return lxw_strerror(err);
    }
}

/* Adds a drop-down list to column col from sheet row first (0-based) to the
 * last row. list_sheet NULL: the choices go inline. Otherwise the list is
 * the first n cells of column col of list_sheet. Returns 0, or -1 with a
 * diag. */
static int _add_dropdown(tz_writer *w, xlsx_out *x, size_t col, lxw_row_t first,
                         const char *list_sheet, size_t n, tz_diags *d)
{
    const tz_sheet_column *c = &w->cols[col];
    int rc = -1;
    char *msg = _choice_message(c);
    tz_buf formula = TZ_BUF_INIT;
    lxw_data_validation dv = {0};
    if (!msg)
        goto nomem;
    dv.error_title = "输入值无效";
    dv.error_message = msg;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    if (!list_sheet) {
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = (char **)c->choices;
    } else {
        char range[LXW_MAX_CELL_RANGE_LENGTH];
        lxw_rowcol_to_range_abs(range, 0, (lxw_col_t)col, (lxw_row_t)(n - 1), (lxw_col_t)col);
        if (tz_buf_printf(&formula, "'%s'!%s", list_sheet, range) != 0)
            goto nomem;
        /* libxlsxwriter 1.1.4 copies a LIST_FORMULA's formula twice and
         * leaks the first copy. A CUSTOM_FORMULA is copied once and written
         * the same way but for its type, so it goes in as custom and the
         * stored copy is turned into a list below. */
        dv.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
        dv.value_formula = (char *)tz_buf_str(&formula);
    }
    lxw_error err = worksheet_data_validation_range(x->ws, first, (lxw_col_t)col, LXW_ROW_MAX - 1,
                                                    (lxw_col_t)col, &dv);
    if (err != LXW_NO_ERROR) {
        tz_diags_error(d, w->name, 0, c->header, NULL, "无法设置下拉列表: %s", _lxw_reason(err));
        goto done;
    }
    if (list_sheet) {
        lxw_data_val_obj *stored = NULL, *it;
        STAILQ_FOREACH(it, x->ws->data_validations, list_pointers)
        stored = it;
        if (stored)
            stored->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    }
    rc = 0;
    goto done;
nomem:
    tz_diags_error(d, w->name, 0, c->header, NULL, "内存不足，无法设置下拉列表");
done:
    free(msg);
    tz_buf_free(&formula);
    return rc;
}

/* Writes the choices of every column that cannot take an inline list into
 * a hidden sheet (column i holds column i's choices) and points those
 * columns' drop-downs at it; the other columns get inline lists. first is
 * the first data row (0-based). Returns 0, or -1 with a diag. */
static int _add_dropdowns(tz_writer *w, xlsx_out *x, const char *sheet, lxw_row_t first,
                          tz_diags *d)
{
    size_t longest = 0;
    for (size_t i = 0; i < w->ncols; i++) {
        const tz_sheet_column *c = &w->cols[i];
        if (!c->choices || !c->choices[0])
            continue;
        if (_inline_list_ok(c)) {
            if (_add_dropdown(w, x, i, first, NULL, 0, d) != 0)
                return -1;
            continue;
        }
        size_t n = 0;
        while (c->choices[n])
            n++;
        if (n > longest)
            longest = n;
    }
    if (longest == 0)
        return 0;
    if (longest > LXW_ROW_MAX) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "下拉选项超过Excel的行数上限");
        return -1;
    }
    const char *name =
        (sheet && strcmp(sheet, XLSX_LIST_SHEET) == 0) ? XLSX_LIST_SHEET_ALT : XLSX_LIST_SHEET;
    lxw_worksheet *ls = workbook_add_worksheet(x->wb, name);
    if (!ls) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "无法创建下拉选项工作表");
        return -1;
    }
    worksheet_hide(ls);
    /* Constant-memory mode: fill the list sheet row by row. */
    for (size_t r = 0; r < longest; r++) {
        for (size_t i = 0; i < w->ncols; i++) {
            const tz_sheet_column *c = &w->cols[i];
            if (!c->choices || !c->choices[0] || _inline_list_ok(c))
                continue;
            size_t n = 0;
            while (n <= r && c->choices[n])
                n++;
            if (n <= r)
                continue;
            lxw_error err =
                worksheet_write_string(ls, (lxw_row_t)r, (lxw_col_t)i, c->choices[r], NULL);
            if (err != LXW_NO_ERROR) {
                tz_diags_error(d, w->name, 0, c->header, c->choices[r], "无法写入下拉选项: %s",
                               _lxw_reason(err));
                return -1;
            }
        }
    }
    for (size_t i = 0; i < w->ncols; i++) {
        const tz_sheet_column *c = &w->cols[i];
        if (!c->choices || !c->choices[0] || _inline_list_ok(c))
            continue;
        size_t n = 0;
        while (c->choices[n])
            n++;
        if (_add_dropdown(w, x, i, first, name, n, d) != 0)
            return -1;
    }
    return 0;
}

/* Creates the cell formats. Returns 0, or -1 when memory runs out. */
static int _add_formats(xlsx_out *x)
{
    x->head_fmt = workbook_add_format(x->wb);
    x->note_fmt = workbook_add_format(x->wb);
    x->body_fmt = workbook_add_format(x->wb);
    x->text_fmt = workbook_add_format(x->wb);
    x->date_fmt = workbook_add_format(x->wb);
    if (!x->head_fmt || !x->note_fmt || !x->body_fmt || !x->text_fmt || !x->date_fmt)
        return -1;
    format_set_font_name(x->head_fmt, XLSX_FONT);
    format_set_bold(x->head_fmt);
    format_set_pattern(x->head_fmt, LXW_PATTERN_SOLID);
    format_set_bg_color(x->head_fmt, XLSX_HEADER_FILL);
    format_set_border(x->head_fmt, LXW_BORDER_THIN);
    format_set_align(x->head_fmt, LXW_ALIGN_CENTER);
    format_set_align(x->head_fmt, LXW_ALIGN_VERTICAL_CENTER);
    format_set_font_name(x->note_fmt, XLSX_FONT);
    format_set_italic(x->note_fmt);
    format_set_font_color(x->note_fmt, XLSX_NOTE_COLOR);
    format_set_text_wrap(x->note_fmt);
    format_set_align(x->note_fmt, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_name(x->body_fmt, XLSX_FONT);
    format_set_font_name(x->text_fmt, XLSX_FONT);
    format_set_num_format_index(x->text_fmt, XLSX_TEXT_FORMAT_ID);
    format_set_font_name(x->date_fmt, XLSX_FONT);
    format_set_num_format(x->date_fmt, XLSX_DATE_FORMAT);
    return 0;
}

/* Writes the notes row (sheet row 2) and sets its height to fit the longest
 * wrapped note. Returns 0, or -1 with a diag. */
static int _write_notes(tz_writer *w, xlsx_out *x, tz_diags *d)
{
    size_t lines = 1;
    for (size_t i = 0; i < w->ncols; i++) {
        const char *note = w->cols[i].note;
        size_t per_line = _col_width(&w->cols[i]) - 1;
        size_t nl = note ? (tz_text_width(note) + per_line - 1) / per_line : 1;
        if (nl > lines)
            lines = nl;
    }
    if (lines > XLSX_NOTE_MAX_LINES)
        lines = XLSX_NOTE_MAX_LINES;
    lxw_error err = LXW_NO_ERROR;
    if (lines > 1)
        err = worksheet_set_row(x->ws, 1, XLSX_NOTE_LINE_HEIGHT * (double)lines, NULL);
    for (size_t i = 0; i < w->ncols && err == LXW_NO_ERROR; i++) {
        const char *note = w->cols[i].note;
        if (note && *note)
            err = worksheet_write_string(x->ws, 1, (lxw_col_t)i, note, x->note_fmt);
        else
            err = worksheet_write_blank(x->ws, 1, (lxw_col_t)i, x->note_fmt);
    }
    if (err != LXW_NO_ERROR) {
        tz_diags_error(d, w->name, 2, NULL, NULL, "无法写入说明行: %s", _lxw_reason(err));
        return -1;
    }
    return 0;
}

static void _xlsx_free(xlsx_out *x)
{
    if (!x)
        return;
    /* lxw_workbook_free() of libxlsxwriter 1.1.4 leaves the constant-memory
     * row files of a workbook that was never closed open; close them here. */
    if (x->wb) {
        lxw_worksheet *ws;
        LXW_FOREACH_WORKSHEET(ws, x->wb)
        {
            if (ws->optimize_tmpfile) {
                if (ws->file == ws->optimize_tmpfile)
                    ws->file = NULL;
                /* a scratch file of an abandoned workbook: nothing to lose */
                (void)fclose(ws->optimize_tmpfile);
                ws->optimize_tmpfile = NULL;
            }
        }
    }
    lxw_workbook_free(x->wb);
    free(x);
}

static int _xlsx_start(tz_writer *w, int fd, const char *sheet, tz_diags *d)
{
    int rc = -1;
    xlsx_out *x = NULL;
    lxw_error err;
    /* libxlsxwriter opens the file by name when it finishes; our descriptor
     * only reserved the name. */
    close(fd);
    if (w->ncols > LXW_COL_MAX) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "列数(%zu)超过Excel上限%d", w->ncols,
                       LXW_COL_MAX);
        goto done;
    }
    if (tz_zip_load(w->name, d) || tz_lxw_load(w->name, d))
        goto done;
    x = calloc(1, sizeof *x);
    lxw_workbook_options opt = {
        .constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    if (!x || !(x->wb = workbook_new_opt(w->tmp_path, &opt)))
        goto nomem;
    lxw_doc_properties props = {0};
    props.created = TZ_WRITER_FIXED_TIME;
    if (workbook_set_properties(x->wb, &props) != LXW_NO_ERROR)
        goto nomem;
    if (sheet && (err = workbook_validate_sheet_name(x->wb, sheet)) != LXW_NO_ERROR) {
        tz_diags_error(d, w->name, 0, NULL, sheet, "工作表名称无效: %s", _lxw_reason(err));
        goto done;
    }
    x->ws = workbook_add_worksheet(x->wb, sheet);
    if (!x->ws) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "无法创建工作表(内存或临时文件不足)");
        goto done;
    }
    if (_add_formats(x) != 0)
        goto nomem;
    for (size_t i = 0; i < w->ncols; i++) {
        err = worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
                                   (double)_col_width(&w->cols[i]), _col_format(x, &w->cols[i]));
        if (err != LXW_NO_ERROR) {
            tz_diags_error(d, w->name, 0, w->cols[i].header, NULL, "无法设置列宽: %s",
                           _lxw_reason(err));
            goto done;
        }
    }
    for (size_t i = 0; i < w->ncols; i++) {
        err = worksheet_write_string(x->ws, 0, (lxw_col_t)i, w->cols[i].header, x->head_fmt);
        if (err != LXW_NO_ERROR) {
            tz_diags_error(d, w->name, 1, w->cols[i].header, NULL, "无法写入表头: %s",
                           _lxw_reason(err));
            goto done;
        }
    }
    if ((w->flags & TZ_WRITER_NOTES_ROW) && _write_notes(w, x, d) != 0)
        goto done;
    int header_rows = tz_writer__header_rows(w);
    worksheet_freeze_panes(x->ws, (lxw_row_t)header_rows, 0);
    if (_add_dropdowns(w, x, sheet, (lxw_row_t)header_rows, d) != 0)
        goto done;
    w->impl = x;
    x = NULL;
    rc = 0;
    goto done;
nomem:
    tz_diags_error(d, w->name, 0, NULL, NULL, "内存不足，无法导出");
done:
    _xlsx_free(x);
    return rc;
}

static int _xlsx_row(tz_writer *w, const char *const *cells, tz_diags *d)
{
    xlsx_out *x = w->impl;
    int rc = 0;
    if (w->next_row > LXW_ROW_MAX) {
        tz_diags_error(d, w->name, w->next_row, NULL, NULL, "超过Excel工作表最多%d行的上限",
                       LXW_ROW_MAX);
        w->io_failed = 1;
        return -1;
    }
    lxw_row_t r = (lxw_row_t)(w->next_row - 1);
    for (size_t i = 0; cells && i < w->ncols; i++) {
        const tz_sheet_column *c = &w->cols[i];
        const char *s = cells[i];
        double v;
        lxw_error err;
        if (!s || !*s)
            continue;
        if (c->format == TZ_SHEET_DATE && tz_writer__date_serial(s, &v))
            err = worksheet_write_number(x->ws, r, (lxw_col_t)i, v, x->date_fmt);
        else if (c->numeric && c->format != TZ_SHEET_TEXT && tz_writer__parse_number(s, &v))
            err = worksheet_write_number(x->ws, r, (lxw_col_t)i, v, x->body_fmt);
        else if (c->format == TZ_SHEET_TEXT)
            err = worksheet_write_string(x->ws, r, (lxw_col_t)i, s, x->text_fmt);
        else
            err = worksheet_write_string(x->ws, r, (lxw_col_t)i, s, x->body_fmt);
        if (err != LXW_NO_ERROR) {
            tz_diags_error(d, w->name, w->next_row, w->cols[i].header, s, "无法写入: %s",
                           _lxw_reason(err));
            rc = -1;
        }
        /* Writing a cell may flush the previous row to the temporary file. */
        if (x->ws->optimize_tmpfile && ferror(x->ws->optimize_tmpfile)) {
            tz_writer__io_error(w, errno, "写入临时文件失败", d);
            w->io_failed = 1;
            return -1;
        }
    }
    return rc;
}

/* Reads every part of the finished file at path to its end and checks that
 * it is whole: each part's last non-blank byte closes a tag, and each sheet
 * ends with </worksheet>. Returns 1 when complete, 0 when not. */
static int _verify_parts(const char *path)
{
    int zerr = 0, ok = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    zip_file_t *zf = NULL;
    char chunk[64 * 1024];
    if (!za)
        return 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        char tail[16];
        size_t ntail = 0;
        zip_int64_t got;
        if (!name || !(zf = zip_fopen_index(za, (zip_uint64_t)i, 0)))
            goto done;
        while ((got = zip_fread(zf, chunk, sizeof chunk)) > 0) {
            size_t keep = (size_t)got < sizeof tail ? (size_t)got : sizeof tail;
            if (ntail + keep > sizeof tail) {
                size_t drop = ntail + keep - sizeof tail;
                memmove(tail, tail + drop, ntail - drop);
                ntail -= drop;
            }
            memcpy(tail + ntail, chunk + got - keep, keep);
            ntail += keep;
        }
        zip_fclose(zf);
        zf = NULL;
        if (got < 0)
            goto done;
        static const char space[4] = {' ', '\r', '\n', '\t'}; /* no NUL: it is no space */
        while (ntail > 0 && memchr(space, tail[ntail - 1], sizeof space))
            ntail--;
        if (ntail == 0 || tail[ntail - 1] != '>')
            goto done;
        static const char end[] = "</worksheet>";
        if (strncmp(name, "xl/worksheets/sheet", 19) == 0 &&
            (ntail < sizeof end - 1 ||
             memcmp(tail + ntail - (sizeof end - 1), end, sizeof end - 1) != 0))
            goto done;
    }
    ok = n > 0;
done:
    if (zf)
        zip_fclose(zf);
    zip_discard(za);
    return ok;
}

/* Flushes path to disk so that the rename publishes complete contents.
 * Returns 0 or an errno value. */
static int _sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = fsync(fd) != 0 ? errno : 0;
    close(fd);
    return err;
}

static int _xlsx_finish(tz_writer *w, tz_diags *d)
{
    xlsx_out *x = w->impl;
    w->impl = NULL;
    errno = 0;
    lxw_error err = workbook_close(x->wb); /* frees the workbook, also on failure */
    int e = errno;
    free(x);
    if (err != LXW_NO_ERROR) {
        if (e != 0)
            tz_writer__io_error(w, e, "生成xlsx文件失败", d);
        else
            tz_diags_error(d, w->name, 0, NULL, NULL, "生成xlsx文件失败: %s", _lxw_reason(err));
        return -1;
    }
    if (!_verify_parts(w->tmp_path)) {
        tz_diags_error(d, w->name, 0, NULL, NULL,
                       "生成xlsx文件失败: 内容不完整，可能是临时目录的磁盘空间不足");
        return -1;
    }
    if ((e = _sync_path(w->tmp_path)) != 0) {
        tz_writer__io_error(w, e, "写入文件失败", d);
        return -1;
    }
    return 0;
}

static void _xlsx_discard(tz_writer *w)
{
    _xlsx_free(w->impl);
    w->impl = NULL;
}

const tz_writer_backend tz_writer__xlsx = {
    "xlsx", _xlsx_start, _xlsx_row, _xlsx_finish, _xlsx_discard,
};
