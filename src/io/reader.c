/* reader.c - table reader front end: picks the backend by the file's content
 * and extension (sniffing the first bytes: zip, OLE2, HTML, SpreadsheetML
 * 2003), owns the shared row buffer, moves between sheets (reopening the
 * backend when rows were read before the first sheet was asked for) and
 * skips rows that hold nothing (every cell empty text; a formula without
 * result or an error value is not nothing), counting them per sheet
 * (tz_reader_blank). */
#include "io/reader.h"
#include "util/path.h"
#include "io/reader_impl.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Grows the column slots of r to at least want. Returns 0 or -1 on OOM. */
static int _row_reserve(tz_reader *r, size_t want)
{
    if (want <= r->slots)
        return 0;
    size_t nslots = r->slots ? r->slots : 16;
    while (nslots < want)
        nslots *= 2;
    char **cells = realloc(r->row.cells, nslots * sizeof *cells);
    if (!cells)
        return -1;
    r->row.cells = cells;
    unsigned char *numeric = realloc(r->row.numeric, nslots);
    if (!numeric)
        return -1;
    r->row.numeric = numeric;
    char **mem = realloc(r->cellmem, nslots * sizeof *mem);
    if (!mem)
        return -1;
    r->cellmem = mem;
    size_t *cap = realloc(r->cellcap, nslots * sizeof *cap);
    if (!cap)
        return -1;
    r->cellcap = cap;
    for (size_t i = r->slots; i < nslots; i++) {
        r->cellmem[i] = NULL;
        r->cellcap[i] = 0;
    }
    r->slots = nslots;
    return 0;
}

/* Stores len bytes at s as the text of slot i. Returns 0 or -1 on OOM. */
static int _slot_store(tz_reader *r, size_t i, const char *s, size_t len)
{
    if (len + 1 > r->cellcap[i] || !r->cellmem[i]) {
        size_t ncap = len + 1 < 16 ? 16 : len + 1;
        char *p = realloc(r->cellmem[i], ncap);
        if (!p)
            return -1;
        r->cellmem[i] = p;
        r->cellcap[i] = ncap;
    }
    if (len)
        memcpy(r->cellmem[i], s, len);
    r->cellmem[i][len] = '\0';
    r->row.cells[i] = r->cellmem[i];
    return 0;
}

void tz__row_begin(tz_reader *r, long rowno)
{
    r->row.n = 0;
    r->row.rowno = rowno;
    r->rowbytes = 0;
}

int tz__row_set(tz_reader *r, size_t col, const char *s, size_t len, int kind, tz_diags *d)
{
    long rowno = r->row.rowno;
    if (col >= TZ_READER_MAX_COLS) {
        tz_diags_error(d, r->name, rowno, NULL, NULL, "列数超过%d列(Excel的上限),无法读取",
                       TZ_READER_MAX_COLS);
        return -1;
    }
    if (len > TZ_READER_MAX_CELL) {
        tz_diags_error(d, r->name, rowno, NULL, NULL, "第%zu列的内容超过%zuKB,无法读取", col + 1,
                       TZ_READER_MAX_CELL >> 10);
        return -1;
    }
    if (len > TZ_READER_MAX_ROW - r->rowbytes) {
        tz_diags_error(d, r->name, rowno, NULL, NULL, "整行内容超过%zuMB,无法读取",
                       TZ_READER_MAX_ROW >> 20);
        return -1;
    }
    if (_row_reserve(r, col + 1))
        goto oom;
    while (r->row.n < col) {
        if (_slot_store(r, r->row.n, "", 0))
            goto oom;
        r->row.numeric[r->row.n] = TZ_CELL_TEXT;
        r->row.n++;
    }
    if (_slot_store(r, col, s, len))
        goto oom;
    r->row.numeric[col] = (unsigned char)kind;
    if (col >= r->row.n)
        r->row.n = col + 1;
    r->rowbytes += len;
    return 0;
oom:
    tz_diags_error(d, r->name, rowno, NULL, NULL, "内存不足,无法读取");
    return -1;
}

const char *tz__clip(const char *s, char *out)
{
    tz_buf b = TZ_BUF_INIT;
    if (tz_text_shown(&b, s, TZ__CLIP_CHARS) != 0)
        tz_buf_reset(&b);
    snprintf(out, TZ__CLIP_SIZE, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
    return out;
}

/* Bytes of the file's head the format is decided from. */
#define READER_SNIFF ((size_t)8 << 10)

/* 1 when the n bytes at s contain needle, ignoring ASCII case. */
static int _has(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0)
            return 1;
    return 0;
}

/* What the first bytes of a file are. */
enum { SNIFF_OTHER = 0, SNIFF_ZIP, SNIFF_OLE2, SNIFF_HTML, SNIFF_XMLSS };

/* Reads the head of path and says what it is. Returns SNIFF_*, or -1 when
 * the file cannot be read (errno set). */
static int _sniff(const char *path)
{
    char head[READER_SNIFF];
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    size_t n = fread(head, 1, sizeof head, fp);
    int err = ferror(fp);
    (void)fclose(fp); /* read only: a failed close loses nothing */
    if (err) {
        errno = EIO;
        return -1;
    }
    if (n >= 4 && (memcmp(head, "PK\x03\x04", 4) == 0 || memcmp(head, "PK\x05\x06", 4) == 0))
        return SNIFF_ZIP;
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return SNIFF_OLE2;
    size_t i = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i >= n || head[i] != '<')
        return SNIFF_OTHER;
    if (_has(head + i, n - i, "urn:schemas-microsoft-com:office:spreadsheet") &&
        _has(head + i, n - i, "<Workbook") && !_has(head + i, n - i, "<html"))
        return SNIFF_XMLSS;
    static const char *const html[] = {"<html", "<table", "<!doctype html",
                                       "<head", "<body",  "<meta"};
    for (size_t k = 0; k < sizeof html / sizeof html[0]; k++)
        if (_has(head + i, n - i, html[k]))
            return SNIFF_HTML;
    return SNIFF_OTHER;
}

/* Chooses r->open_fn for path (named base) by its extension and content
 * (.csv: always CSV; .xls and .xlsx: by content).
 * Returns 0, or -1 with an error added to d. */
static int _choose(tz_reader *r, const char *path, const char *base, tz_diags *d)
{
    int csv = tz_path_has_ext(base, ".csv"), xlsx = tz_path_has_ext(base, ".xlsx");
    if (csv) { /* the CSV backend explains a binary file behind the extension */
        r->open_fn = tz__csv_open;
        return 0;
    }
    int kind = _sniff(path);
    if (kind < 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法读取文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    /* an OLE2 .xlsx is encrypted, and any other .xlsx is a broken package:
     * the xlsx backend says which */
    if (kind == SNIFF_ZIP || (xlsx && kind != SNIFF_HTML && kind != SNIFF_XMLSS))
        r->open_fn = tz__xlsx_open;
    else if (kind == SNIFF_OLE2)
        r->open_fn = tz__xls_open;
    else if (kind == SNIFF_HTML)
        r->open_fn = tz__html_open;
    else if (kind == SNIFF_XMLSS)
        r->open_fn = tz__xmlss_open;
    else {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法识别的文件格式,请用Excel或WPS另存为.xlsx");
        return -1;
    }
    return 0;
}

int tz_reader_open(const char *path, tz_reader **out, tz_diags *d)
{
    int rc = -1;
    *out = NULL;
    const char *base = tz_path_base(path);
    tz_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->name = strdup(base)) || !(r->path = strdup(path))) {
        tz_diags_error(d, base, 0, NULL, NULL, "内存不足,无法打开文件");
        goto done;
    }
    if (!tz_path_has_ext(base, ".csv") && !tz_path_has_ext(base, ".xlsx") &&
        !tz_path_has_ext(base, ".xls")) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "不支持的文件格式,只能读取.csv、.xlsx或.xls文件");
        goto done;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            tz_diags_error(d, r->name, 0, NULL, NULL, "文件不存在");
        else
            tz_diags_error(d, r->name, 0, NULL, NULL, "无法访问文件: %s", tz_errno_text(errno, 0));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "不是普通文件,无法读取");
        goto done;
    }
    if (access(path, R_OK) != 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "没有读取该文件的权限");
        goto done;
    }
    if (_choose(r, path, base, d) || r->open_fn(r, path, d) != 0)
        goto done;
    *out = r;
    r = NULL;
    rc = 0;
done:
    tz_reader_free(r);
    return rc;
}

/* Reopens r's backend from the start of the file (rows were read before the
 * first sheet was asked for). Returns 0, or -1 with an error added to d. */
static int _reopen(tz_reader *r, tz_diags *d)
{
    if (r->ops)
        r->ops->free(r->impl);
    r->ops = NULL;
    r->impl = NULL;
    r->done = 0;
    r->started = 0;
    return r->open_fn(r, r->path, d);
}

int tz_reader_next_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    memset(info, 0, sizeof *info);
    info->name = "";
    if (!r->sheets && r->started && _reopen(r, d))
        return -1;
    if (!r->ops)
        return -1; /* a reopen failed before: reported then */
    r->sheets = 1;
    r->blank = 0;
    r->last_rowno = 0;
    r->row.n = 0;
    return r->ops->sheet(r, info, d);
}

int tz_reader_next(tz_reader *r, const tz_row **row, tz_diags *d)
{
    *row = NULL;
    if (!r->ops)
        return -1; /* a reopen failed: reported then */
    r->started = 1;
    for (;;) {
        int rc = r->ops->next(r, d);
        if (rc <= 0)
            return rc;
        /* a workbook leaves empty rows out: the gap is blank rows */
        if (r->row.rowno > r->last_rowno + 1)
            r->blank += (size_t)(r->row.rowno - r->last_rowno - 1);
        r->last_rowno = r->row.rowno;
        for (size_t i = 0; i < r->row.n; i++) {
            if (r->row.cells[i][0] != '\0' || r->row.numeric[i] == TZ_CELL_ERROR ||
                r->row.numeric[i] == TZ_CELL_NOVALUE) {
                *row = &r->row;
                return 1;
            }
        }
        r->blank++;
    }
}

size_t tz_reader_blank(const tz_reader *r)
{
    return r->blank;
}

void tz_reader_progress(const tz_reader *r, unsigned long long *done, unsigned long long *total)
{
    *done = r->done < r->total ? r->done : r->total;
    *total = r->total;
}

const char *tz_reader_encoding(const tz_reader *r)
{
    return r->encoding ? r->encoding : "";
}

const char *tz_reader_name(const tz_reader *r)
{
    return r->name;
}

void tz_reader_free(tz_reader *r)
{
    if (!r)
        return;
    if (r->ops)
        r->ops->free(r->impl);
    for (size_t i = 0; i < r->slots; i++)
        free(r->cellmem[i]);
    free(r->cellmem);
    free(r->cellcap);
    free(r->row.cells);
    free(r->row.numeric);
    free(r->name);
    free(r->path);
    free(r);
}
