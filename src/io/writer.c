/* writer.c - table writer front end: format dispatch, temporary file and
 * rename-on-close, row checks, and the helpers both formats share. */
#include "io/writer_impl.h"
#include "util/path.h"
#include "util/diag.h"
#include "util/tmpfile.h"
#include "util/buf.h"
#include "util/cal.h"
#include "util/num.h"
#include "util/text.h"
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* 1 when the NUL-terminated s is well-formed UTF-8. */
static int _valid(const char *s)
{
    return tz_utf8_valid(s, strlen(s));
}

int tz_writer__header_rows(const tz_writer *w)
{
    return (w->flags & TZ_WRITER_NOTES_ROW) ? 2 : 1;
}

char *tz_writer__printable(const char *s)
{
    tz_buf b = TZ_BUF_INIT;
    size_t n = strlen(s);
    while (n > 0) {
        long cp;
        size_t k = tz_utf8_decode(s, n, &cp);
        int rc;
        if (k == 0) {
            rc = tz_buf_printf(&b, "\\x%02X", (unsigned)(unsigned char)*s);
            k = 1;
        } else {
            rc = tz_buf_add(&b, s, k);
        }
        if (rc != 0)
            return NULL;
        s += k;
        n -= k;
    }
    return tz_buf_take(&b);
}

/* The C locale for strtod_l, made once per process. */
static locale_t c_numeric;
static pthread_once_t c_numeric_once = PTHREAD_ONCE_INIT;

static void _make_c_numeric(void)
{
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

int tz_writer__parse_number(const char *s, double *out)
{
    const char *p = s;
    int digits = 0;      /* digits in the mantissa */
    int significant = 0; /* digits from the first non-zero one to the last non-zero one */
    int pending_zeros = 0;
    if (*p == '+' || *p == '-')
        p++;
    for (int in_fraction = 0;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            if (*p == '0') {
                if (significant)
                    pending_zeros++;
            } else {
                significant += pending_zeros + 1;
                pending_zeros = 0;
            }
        } else if (*p == '.' && !in_fraction) {
            in_fraction = 1;
        } else {
            break;
        }
    }
    if (digits == 0 || significant > 15)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p != '\0')
        return 0;
    /* The syntax above is plain ASCII with '.', so parse it in the C locale
     * whatever LC_NUMERIC the program runs in. */
    pthread_once(&c_numeric_once, _make_c_numeric);
    if (!c_numeric)
        return 0;
    char *end;
    errno = 0;
    double v = strtod_l(s, &end, c_numeric);
    if (errno == ERANGE || *end != '\0' || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

int tz_writer__date_serial(const char *s, double *out)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        int digit = s[i] >= '0' && s[i] <= '9';
        if (shape[i] == 'd' ? !digit : s[i] != shape[i])
            return 0;
    }
    if (s[sizeof shape - 1] != '\0')
        return 0;
    int y = tz_num_digits(s, 4), m = tz_num_digits(s + 5, 2), d = tz_num_digits(s + 8, 2);
    if (!tz_cal_valid(y, m, d))
        return 0;
    long serial = tz_cal_to_serial(y, m, d, 0);
    if (serial < 0)
        return 0;
    *out = (double)serial;
    return 1;
}

int tz_writer__formula_lead(const char *s)
{
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

int tz_writer__numeric_text(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t int_digits = strspn(p, "0123456789"), frac_digits = 0;
    p += int_digits;
    if (*p == '.') {
        frac_digits = strspn(p + 1, "0123456789");
        p += 1 + frac_digits;
    }
    if (int_digits + frac_digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p += 1 + (p[1] == '-' || p[1] == '+');
        size_t exp_digits = strspn(p, "0123456789");
        if (exp_digits == 0)
            return 0;
        p += exp_digits;
    }
    return *p == '\0';
}

const char *tz_writer__errno_text(int err)
{
    return tz_errno_text(err, 1);
}

void tz_writer__io_error(const tz_writer *w, int err, const char *what, tz_diags *d)
{
    tz_diags_error(d, w->name, 0, NULL, NULL, "%s: %s", what, tz_writer__errno_text(err));
}

/* Picks the backend by the extension of name (case-insensitive). */
static const tz_writer_backend *_backend_for(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    if (strcasecmp(dot, ".xlsx") == 0)
        return &tz_writer__xlsx;
    if (strcasecmp(dot, ".csv") == 0)
        return &tz_writer__csv;
    return NULL;
}

/* Checks the column definitions; adds an error per bad one. Returns 0 or -1. */
static int _check_columns(const char *name, const tz_sheet_column *cols, size_t ncols, tz_diags *d)
{
    int rc = 0;
    for (size_t i = 0; i < ncols; i++) {
        const tz_sheet_column *c = &cols[i];
        if (!c->header || !*c->header) {
            tz_diags_error(d, name, 0, NULL, NULL, "第%zu列没有列名，无法导出", i + 1);
            rc = -1;
            continue;
        }
        int ok = _valid(c->header) && (!c->note || _valid(c->note));
        for (const char *const *ch = c->choices; ok && ch && *ch; ch++)
            ok = _valid(*ch);
        if (!ok) {
            char *shown = tz_writer__printable(c->header);
            tz_diags_error(d, name, 0, shown, NULL, "列定义(列名、说明或选项)不是有效的UTF-8文字");
            free(shown);
            rc = -1;
        }
    }
    return rc;
}

/* Creates the temporary file beside w->path (util/tmpfile: mode 0600 or the
 * configured group's 0640, removed on SIGINT/SIGTERM, a killed run's
 * leftover removed first) and sets w->tmp_path. Returns the open
 * descriptor, or -1 with a diag. */
static int _create_tmp(tz_writer *w, tz_diags *d)
{
    size_t dirlen = (size_t)(w->name - w->path);
    const char *why = NULL;
    int fd = tz_tmp_create(w->path, NULL, &w->tmp_path, &why);
    if (fd >= 0)
        return fd;
    if (dirlen > 0) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "无法在目录\"%.*s\"中创建文件: %s",
                       (int)(dirlen > 1 ? dirlen - 1 : dirlen), w->path, why);
    } else {
        tz_diags_error(d, w->name, 0, NULL, NULL, "无法在当前目录中创建文件: %s", why);
    }
    return -1;
}

static void _free(tz_writer *w)
{
    if (!w)
        return;
    free(w->tmp_path);
    free(w->path);
    free(w);
}

int tz_writer_open(const char *path, const char *sheet, const tz_sheet_column *cols, size_t ncols,
                   unsigned flags, tz_encoding enc, tz_writer **out, tz_diags *d)
{
    int rc = -1;
    tz_writer *w = NULL;
    if (out)
        *out = NULL;
    if (!path || !*path || !out) {
        tz_diags_error(d, NULL, 0, NULL, NULL, "未给出导出文件名");
        return -1;
    }
    const char *name = tz_path_base(path);
    if (!*name) {
        tz_diags_error(d, path, 0, NULL, NULL, "导出路径缺少文件名");
        return -1;
    }
    const tz_writer_backend *be = _backend_for(name);
    if (!be) {
        tz_diags_error(d, name, 0, NULL, NULL, "不支持的导出格式，文件名须以 .xlsx 或 .csv 结尾");
        return -1;
    }
    if (!cols || ncols == 0) {
        tz_diags_error(d, name, 0, NULL, NULL, "没有要导出的列");
        return -1;
    }
    if (_check_columns(name, cols, ncols, d) != 0)
        return -1;
    if (enc != TZ_ENC_UTF8 && enc != TZ_ENC_GB18030) {
        tz_diags_error(d, name, 0, NULL, NULL, "不支持的文字编码(%d)", (int)enc);
        return -1;
    }

    w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        tz_diags_error(d, name, 0, NULL, NULL, "内存不足，无法导出");
        goto done;
    }
    w->name = w->path + (name - path);
    w->be = be;
    w->cols = cols;
    w->ncols = ncols;
    w->flags = flags;
    w->enc = enc;
    w->next_row = tz_writer__header_rows(w) + 1;

    int fd = _create_tmp(w, d);
    if (fd < 0)
        goto done;
    if (be->start(w, fd, sheet, d) != 0) {
        tz_tmp_discard(w->tmp_path);
        goto done;
    }
    *out = w;
    w = NULL;
    rc = 0;
done:
    _free(w);
    return rc;
}

int tz_writer_row(tz_writer *w, const char *const *cells, tz_diags *d)
{
    if (!w)
        return -1;
    /* After an I/O error the file is lost; the error was reported once. */
    if (w->io_failed) {
        w->next_row++;
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; cells && i < w->ncols; i++) {
        if (cells[i] && !_valid(cells[i])) {
            char *shown = tz_writer__printable(cells[i]);
            tz_diags_error(d, w->name, w->next_row, w->cols[i].header, shown,
                           "不是有效的UTF-8文字，无法写出");
            free(shown);
            rc = -1;
        } else if (cells[i] && *cells[i] && w->cols[i].numeric &&
                   !tz_writer__numeric_text(cells[i])) {
            /* A numeric column is written unguarded (a CSV "-5" must stay a
             * number), so it may hold nothing but a number. */
            tz_diags_error(d, w->name, w->next_row, w->cols[i].header, cells[i],
                           "数值列的内容不是数字，拒绝导出(请检查数据库中这一行)");
            rc = -1;
        }
    }
    if (rc == 0)
        rc = w->be->row(w, cells, d);
    if (rc != 0)
        w->failed = 1;
    w->next_row++;
    return rc;
}

int tz_writer_close(tz_writer *w, tz_diags *d)
{
    int rc = -1;
    if (!w)
        return 0;
    if (w->failed) {
        w->be->discard(w);
        tz_diags_error(d, w->name, 0, NULL, NULL, "因上述错误，文件未生成");
        goto done;
    }
    if (w->be->finish(w, d) != 0)
        goto done;
    const char *why = NULL;
    if (tz_tmp_publish(w->tmp_path, w->path, &why) != 0) {
        tz_diags_error(d, w->name, 0, NULL, NULL, "无法保存文件: %s", why);
        goto done;
    }
    rc = 0;
done:
    if (rc != 0)
        tz_tmp_discard(w->tmp_path);
    _free(w);
    return rc;
}

void tz_writer_abort(tz_writer *w)
{
    if (!w)
        return;
    w->be->discard(w);
    tz_tmp_discard(w->tmp_path);
    _free(w);
}
