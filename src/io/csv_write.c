/* csv_write.c - CSV backend of the table writer: RFC 4180 quoting, CRLF line
 * ends, UTF-8 with a BOM (what Excel needs to show Chinese) or GB18030 via
 * util/text's converter. */
#include "io/writer_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* stdio buffer for the output file. */
#define CSV_IOBUF ((size_t)64 * 1024)

typedef struct csv_out {
    FILE *fp;      /* the temporary file */
    tz_conv *conv; /* UTF-8 to GB18030 converter, or NULL for UTF-8 output */
    tz_buf line;   /* the current line in UTF-8 (one field while converting) */
    tz_buf out;    /* the current line in the output encoding */
} csv_out;

static void _csv_free(csv_out *c)
{
    if (!c)
        return;
    if (c->fp) /* still open only when the file is abandoned (_csv_finish closes it) */
        (void)fclose(c->fp);
    tz_conv_free(c->conv);
    tz_buf_free(&c->line);
    tz_buf_free(&c->out);
    free(c);
}

/* Appends s to b as one CSV field: quoted, with quotes doubled, when it holds
 * a comma, quote, CR or LF. A text field (numeric 0) that starts with a
 * character a spreadsheet reads as the start of a formula or a control
 * (=, +, -, @, TAB, CR) gets a leading apostrophe, so that Excel, WPS and
 * LibreOffice show it as text and never run it ("-2+3+cmd|' /C calc'!A0" is
 * a formula to Excel); the importer drops the apostrophe again. A numeric
 * field was checked to be a plain number by tz_writer_row and is written as
 * it is, so "-5" stays a negative number. */
static int _quote(tz_buf *b, const char *s, int numeric)
{
    if (!s || !*s)
        return 0;
    int guard = !numeric && tz_writer__formula_lead(s);
    if (!strpbrk(s, ",\"\r\n"))
        return (guard && tz_buf_putc(b, '\'') != 0) ? -1 : tz_buf_puts(b, s);
    if (tz_buf_putc(b, '"') != 0 || (guard && tz_buf_putc(b, '\'') != 0))
        return -1;
    for (const char *q; (q = strchr(s, '"')); s = q + 1)
        if (tz_buf_add(b, s, (size_t)(q - s + 1)) != 0 || tz_buf_putc(b, '"') != 0)
            return -1;
    if (tz_buf_puts(b, s) != 0 || tz_buf_putc(b, '"') != 0)
        return -1;
    return 0;
}

/* Converts the UTF-8 text of c->line to GB18030 and appends it to c->out.
 * Returns 0; 1 with *bad_cp set when a character has no GB18030 form; -1 when
 * memory runs out. */
static int _convert(csv_out *c, unsigned long *bad_cp)
{
    const char *in = c->line.data ? c->line.data : "";
    size_t used = 0;
    tz_conv_reset(c->conv);
    int r = tz_conv_run(c->conv, in, c->line.len, &c->out, &used);
    if (r <= 0)
        return r;
    long cp = 0;
    *bad_cp = tz_utf8_decode(in + used, c->line.len - used, &cp) ? (unsigned long)cp : 0;
    return 1;
}

/* Builds one CSV line from n texts (NULL: empty) into c->out, converting each
 * field to GB18030 when asked. data 1: the texts are a data row, whose
 * numeric columns hold checked numbers; 0: header or notes, all text.
 * Reports every field that cannot be converted at sheet row rowno. Returns
 * 0, or -1 with a diag. */
static int _build_line(tz_writer *w, csv_out *c, const char *const *texts, size_t n, int data,
                       long rowno, tz_diags *d)
{
    int rc = 0;
    tz_buf_reset(&c->out);
    for (size_t i = 0; i < n; i++) {
        const char *s = texts ? texts[i] : NULL;
        if (i > 0 && tz_buf_putc(&c->out, ',') != 0)
            goto nomem;
        int numeric = data && w->cols[i].numeric;
        if (!c->conv) {
            if (_quote(&c->out, s, numeric) != 0)
                goto nomem;
            continue;
        }
        tz_buf_reset(&c->line);
        if (_quote(&c->line, s, numeric) != 0)
            goto nomem;
        unsigned long bad_cp = 0;
        int conv = _convert(c, &bad_cp);
        if (conv < 0)
            goto nomem;
        if (conv > 0) {
            tz_diags_error(d, w->name, rowno, w->cols[i].header, s,
                           "含有无法用GB18030编码表示的字符(U+%04lX)，请改用UTF-8导出", bad_cp);
            rc = -1;
        }
    }
    if (rc == 0 && tz_buf_add(&c->out, "\r\n", 2) != 0)
        goto nomem;
    return rc;
nomem:
    tz_diags_error(d, w->name, rowno, NULL, NULL, "内存不足，无法写出这一行");
    return -1;
}

/* Writes c->out to the file. Returns 0, or -1 with a diag and w->io_failed. */
static int _put_line(tz_writer *w, csv_out *c, tz_diags *d)
{
    if (c->out.len > 0 && fwrite(c->out.data, 1, c->out.len, c->fp) != c->out.len) {
        tz_writer__io_error(w, errno, "写入文件失败", d);
        w->io_failed = 1;
        return -1;
    }
    return 0;
}

static int _csv_start(tz_writer *w, int fd, const char *sheet, tz_diags *d)
{
    int rc = -1;
    csv_out *c = calloc(1, sizeof *c);
    const char **texts = NULL;
    if (!c) {
        close(fd);
        tz_diags_error(d, w->name, 0, NULL, NULL, "内存不足，无法导出");
        goto done;
    }
    c->fp = fdopen(fd, "wb");
    if (!c->fp) {
        tz_writer__io_error(w, errno, "无法创建文件", d);
        close(fd);
        goto done;
    }
    /* a refused buffer size leaves stdio's default: slower, not wrong */
    (void)setvbuf(c->fp, NULL, _IOFBF, CSV_IOBUF);
    if (w->enc == TZ_ENC_GB18030) {
        c->conv = tz_conv_open("GB18030", "UTF-8");
        if (!c->conv) {
            tz_diags_error(d, w->name, 0, NULL, NULL, "系统不支持GB18030编码转换，请改用UTF-8导出");
            goto done;
        }
    } else {
        tz_buf_reset(&c->out);
        if (tz_buf_add(&c->out, "\xEF\xBB\xBF", 3) != 0 || _put_line(w, c, d) != 0)
            goto done;
    }
    texts = calloc(w->ncols, sizeof *texts);
    if (!texts) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "内存不足，无法导出");
        goto done;
    }
    for (size_t i = 0; i < w->ncols; i++)
        texts[i] = w->cols[i].header;
    if (_build_line(w, c, texts, w->ncols, 0, 1, d) != 0 || _put_line(w, c, d) != 0)
        goto done;
    if (w->flags & TZ_WRITER_NOTES_ROW) {
        for (size_t i = 0; i < w->ncols; i++)
            texts[i] = w->cols[i].note;
        if (_build_line(w, c, texts, w->ncols, 0, 2, d) != 0 || _put_line(w, c, d) != 0)
            goto done;
    }
    w->impl = c;
    c = NULL;
    rc = 0;
done:
    free(texts);
    _csv_free(c);
    return rc;
}

static int _csv_row(tz_writer *w, const char *const *cells, tz_diags *d)
{
    csv_out *c = w->impl;
    if (_build_line(w, c, cells, w->ncols, 1, w->next_row, d) != 0)
        return -1;
    return _put_line(w, c, d);
}

static int _csv_finish(tz_writer *w, tz_diags *d)
{
    csv_out *c = w->impl;
    int rc = -1;
    w->impl = NULL;
    if (fflush(c->fp) != 0 || fsync(fileno(c->fp)) != 0) {
        tz_writer__io_error(w, errno, "写入文件失败", d);
        goto done;
    }
    FILE *fp = c->fp;
    c->fp = NULL;
    if (fclose(fp) != 0) {
        tz_writer__io_error(w, errno, "写入文件失败", d);
        goto done;
    }
    rc = 0;
done:
    _csv_free(c);
    return rc;
}

static void _csv_discard(tz_writer *w)
{
    _csv_free(w->impl);
    w->impl = NULL;
}

const tz_writer_backend tz_writer__csv = {
    "csv", _csv_start, _csv_row, _csv_finish, _csv_discard,
};
