/* xls_read.c - XLS (BIFF, Excel 97-2003) backend of the table reader, via
 * FreeXL: the first worksheet, row by row. FreeXL parses the whole workbook
 * at open (an .xls is at most 65536 rows), so rows are then read from its
 * cell table. Numbers become text with the numeric flag (integers without
 * ".0"); dates and times come as FreeXL's text ("2019-06-01").
 */
#include "io/reader_impl.h"
#include <freexl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct _xls {
    const void *h;       /* FreeXL handle, or NULL */
    unsigned rows;       /* rows in the first worksheet */
    unsigned short cols; /* columns in the first worksheet */
    unsigned next;       /* 0-based index of the next row to read */
} _xls;

static void _xls_free(void *impl)
{
    _xls *x = impl;
    if (!x)
        return;
    if (x->h)
        freexl_close(x->h);
    free(x);
}

/* Formats a number the way Excel shows it in General format: integers
 * without a fraction, others with up to 15 significant digits. */
static void _fmt_number(double v, char *out, size_t size)
{
    if (v == 0)
        snprintf(out, size, "0"); /* also turns -0 into 0 */
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, size, "%.0f", v);
    else
        snprintf(out, size, "%.15g", v);
}

static int _xls_next(tz_reader *r, tz_diags *d)
{
    _xls *x = r->impl;
    if (x->next >= x->rows)
        return 0;
    unsigned row = x->next++;
    tz__row_begin(r, (long)row + 1);
    for (unsigned short c = 0; c < x->cols; c++) {
        FreeXL_CellValue v;
        int rc = freexl_get_cell_value(x->h, row, c, &v);
        if (rc != FREEXL_OK) {
            tz_diags_error(d, r->name, (long)row + 1, NULL, NULL,
                           "第%u列无法读取(FreeXL错误%d),文件可能已损坏", (unsigned)c + 1, rc);
            return -1;
        }
        char num[64];
        const char *text = NULL;
        int numeric = 0;
        switch (v.type) {
        case FREEXL_CELL_INT:
            snprintf(num, sizeof num, "%d", v.value.int_value);
            text = num;
            numeric = 1;
            break;
        case FREEXL_CELL_DOUBLE:
            _fmt_number(v.value.double_value, num, sizeof num);
            text = num;
            numeric = 1;
            break;
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
            text = v.value.text_value;
            break;
        default:
            break;
        }
        if (text && text[0] && tz__row_set(r, c, text, strlen(text), numeric, d))
            return -1;
    }
    r->done = x->rows ? r->total * x->next / x->rows : r->total;
    return 1;
}

static const tz_reader_ops _xls_ops = {_xls_next, _xls_free};

/* Explains why FreeXL refused the file. */
static void _open_error(tz_reader *r, const char *path, int rc, tz_diags *d)
{
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(magic, 1, sizeof magic, fp) : 0;
    if (fp)
        fclose(fp);
    if (rc == FREEXL_FILE_NOT_FOUND)
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法打开文件");
    else if (n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0)
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件内容是xlsx格式而扩展名是.xls,请把扩展名改为.xlsx后重试");
    else if (rc == FREEXL_INSUFFICIENT_MEMORY)
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
    else
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件已损坏或不是有效的xls文件,无法读取(FreeXL错误%d)", rc);
}

int tz__xls_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_xls_ops;
    r->encoding = "xls";
    _xls *x = calloc(1, sizeof *x);
    if (!x) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    r->impl = x;
    struct stat st;
    if (stat(path, &st) == 0)
        r->total = (unsigned long long)st.st_size;
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    x->h = h;
    if (rc != FREEXL_OK) {
        _open_error(r, path, rc, d);
        return -1;
    }
    unsigned info = 0;
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info != FREEXL_BIFF_PLAIN) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "文件设置了密码,请在Excel中去掉密码后重试");
        return -1;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK || info == 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "文件中没有工作表");
        return -1;
    }
    rc = freexl_select_active_worksheet(h, 0);
    if (rc == FREEXL_OK)
        rc = freexl_worksheet_dimensions(h, &x->rows, &x->cols);
    if (rc != FREEXL_OK) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "无法读取第一个工作表(FreeXL错误%d),文件可能已损坏", rc);
        return -1;
    }
    return 0;
}
