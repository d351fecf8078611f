/* xls_read.c - XLS (BIFF, Excel 97-2003) backend of the table reader, via
 * FreeXL, isolated in a child process.
 *
 * FreeXL crashes on some corrupted files, reads out of bounds on others and
 * can take hundreds of megabytes for a few kilobytes of input, so it never
 * runs in the importing process: a child (util/sandbox.h) opens the file
 * under a CPU, address-space and wall-clock limit and streams every
 * worksheet's rows back over a pipe, sheet after sheet; this process only reads that pipe, one
 * row at a time, and checks every frame. A crash, a limit, a frame that
 * does not parse, or a pipe that ends without the end-of-data frame becomes
 * one error: the file is damaged, save it as .xlsx.
 *
 * The pipe carries frames: one type byte, a 4-byte little-endian payload
 * length, the payload.
 *   'N' a worksheet: u32 index (0-based), u32 worksheets in all, its name
 *                    (UTF-8); before each worksheet's 'D' (a stream may also
 *                    begin with 'D': one worksheet without a name)
 *   'D' dimensions:  u32 rows, u32 columns (of the worksheet that follows)
 *   'R' one row:     u32 row number (1-based), u32 cells, then per cell
 *                    u32 column (0-based), u8 tz_cell_kind, u32 length, text
 *                    (only rows with a non-empty cell are sent, columns rising)
 *   'E' refusal:     u32 row number (0 at open), Chinese reason (UTF-8)
 *   'Z' end of data: empty; the child exits 0 right after it
 * Until tz_reader_next_sheet is called, the first worksheet is read (FreeXL
 * does not say which sheets are hidden: every one is given as visible).
 * Numbers become text with kind TZ_CELL_NUMBER (integers without ".0");
 * dates and times come as FreeXL's text ("2019-06-01"). FreeXL reports no
 * error values (#N/A): it gives error cells as numbers or empty, so no
 * TZ_CELL_ERROR can come from an .xls.
 *
 * Limits: TZ_XLS_SECONDS (CPU seconds, and seconds this process may wait
 * for the child; default 30) and TZ_XLS_MEMORY_MB (address space of the
 * child; default 512; not applied under AddressSanitizer) in the
 * environment.
 */
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/sandbox.h"
#include <errno.h>
#include <freexl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define XLS_SECONDS_DEFAULT 30    /* CPU and wait limit of the child, seconds */
#define XLS_MEMORY_MB_DEFAULT 512 /* address-space limit of the child, MiB */
#define XLS_HDR 5                 /* frame header: type + u32 length */
#define XLS_REASON_MAX 1024       /* longest reason an 'E' frame may carry */
#define XLS_NAME_MAX 1024         /* longest sheet name an 'N' frame may carry */
#define XLS_MAX_SHEETS 65535      /* most worksheets a stream may announce */
/* longest 'R' payload: a full row of text plus 9 bytes per cell and 8 in front */
#define XLS_ROW_MAX (TZ_READER_MAX_ROW + (size_t)TZ_READER_MAX_COLS * 9 + 8)

static const char _corrupt_msg[] = "文件已损坏或格式异常,请用Excel或WPS另存为.xlsx后导入";

/* ---- the child: FreeXL ---------------------------------------------------- */

static void _put_u32(tz_buf *b, uint32_t v, int *bad)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    if (tz_buf_add(b, x, 4))
        *bad = 1;
}

/* Starts a frame of type t in b (length patched by _frame_send). */
static void _frame_begin(tz_buf *b, char t, int *bad)
{
    b->len = 0; /* keep the storage for the next frame */
    if (tz_buf_putc(b, t))
        *bad = 1;
    _put_u32(b, 0, bad);
}

/* Patches the length and writes the frame. Returns 0 or -1. */
static int _frame_send(int fd, tz_buf *b, int bad)
{
    if (bad || b->len < XLS_HDR)
        return -1;
    size_t n = b->len - XLS_HDR;
    unsigned char *p = (unsigned char *)b->data + 1;
    p[0] = (unsigned char)n;
    p[1] = (unsigned char)(n >> 8);
    p[2] = (unsigned char)(n >> 16);
    p[3] = (unsigned char)(n >> 24);
    return tz_sandbox_write_full(fd, b->data, b->len);
}

/* Sends an 'E' frame with a printf-formatted reason. Returns 1 (the
 * child's exit status after a refusal). */
static int _child_refuse(int fd, tz_buf *b, unsigned rowno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int _child_refuse(int fd, tz_buf *b, unsigned rowno, const char *fmt, ...)
{
    int bad = 0;
    _frame_begin(b, 'E', &bad);
    _put_u32(b, rowno, &bad);
    va_list ap;
    va_start(ap, fmt);
    if (tz_buf_vprintf(b, fmt, ap))
        bad = 1;
    va_end(ap);
    _frame_send(fd, b, bad);
    return 1;
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

/* What the child needs: the file and its address-space limit. */
typedef struct _child_arg {
    const char *path;            /* the .xls file */
    unsigned long long as_bytes; /* the child's RLIMIT_AS (0: none) */
} _child_arg;

/* 1 when an allocation failed in the child since errno was cleared: under
 * the child's memory limit FreeXL then fails in whatever way the failure
 * leads it to ("no worksheet", "invalid record", even success with parts
 * missing), and the file is a hostile one, not what FreeXL said. */
static int _out_of_memory(const _child_arg *a)
{
    return a->as_bytes && errno == ENOMEM;
}

/* Says why FreeXL refused the file, in an 'E' frame. */
static int _child_open_error(int fd, tz_buf *b, const char *path, int rc)
{
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(magic, 1, sizeof magic, fp) : 0;
    if (fp)
        (void)fclose(fp); /* read only: a failed close loses nothing */
    if (rc == FREEXL_FILE_NOT_FOUND)
        return _child_refuse(fd, b, 0, "无法打开文件");
    if (n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0)
        return _child_refuse(fd, b, 0,
                             "文件内容是xlsx格式而扩展名是.xls,请把扩展名改为.xlsx后重试");
    if (rc == FREEXL_INSUFFICIENT_MEMORY) /* under the child's memory limit: a hostile file */
        return _child_refuse(fd, b, 0, "%s", _corrupt_msg);
    return _child_refuse(fd, b, 0, "文件已损坏或不是有效的xls文件,无法读取(FreeXL错误%d)", rc);
}

/* The text of a FreeXL cell (a number formatted into num) and its
 * tz_cell_kind, or NULL for an empty cell. */
static const char *_cell_text(const FreeXL_CellValue *v, char *num, size_t size, int *kind)
{
    *kind = TZ_CELL_TEXT;
    switch (v->type) {
    case FREEXL_CELL_INT:
        snprintf(num, size, "%d", v->value.int_value);
        *kind = TZ_CELL_NUMBER;
        return num;
    case FREEXL_CELL_DOUBLE:
        _fmt_number(v->value.double_value, num, size);
        *kind = TZ_CELL_NUMBER;
        return num;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME:
        return v->value.text_value;
    default:
        return NULL;
    }
}

/* Sends row `row` (0-based) of the selected worksheet as an 'R' frame when
 * it holds a cell. Returns 0; -1 when the pipe broke, or when a cell could
 * not be read or the row is too long (refused, with *rc set). */
static int _send_row(int fd, tz_buf *b, const void *h, unsigned row, unsigned short cols, int *rc)
{
    int bad = 0;
    _frame_begin(b, 'R', &bad);
    _put_u32(b, row + 1, &bad);
    _put_u32(b, 0, &bad); /* cell count, patched below */
    uint32_t ncells = 0;
    for (unsigned short c = 0; c < cols; c++) {
        FreeXL_CellValue v;
        int frc = freexl_get_cell_value(h, row, c, &v);
        if (frc != FREEXL_OK) {
            *rc = _child_refuse(fd, b, row + 1, "第%u列无法读取(FreeXL错误%d),文件可能已损坏",
                                (unsigned)c + 1, frc);
            return -1;
        }
        char num[64];
        int kind;
        const char *text = _cell_text(&v, num, sizeof num, &kind);
        if (!text || !text[0])
            continue;
        size_t len = strlen(text);
        _put_u32(b, c, &bad);
        if (tz_buf_putc(b, (char)kind))
            bad = 1;
        _put_u32(b, (uint32_t)len, &bad);
        if (tz_buf_add(b, text, len))
            bad = 1;
        if (bad) {
            *rc = _child_refuse(fd, b, row + 1, "整行内容超过%zuMB,无法读取",
                                TZ_READER_MAX_ROW >> 20);
            return -1;
        }
        ncells++;
    }
    if (!ncells)
        return 0;
    unsigned char *p = (unsigned char *)b->data + XLS_HDR + 4;
    p[0] = (unsigned char)ncells;
    p[1] = (unsigned char)(ncells >> 8);
    p[2] = (unsigned char)(ncells >> 16);
    p[3] = (unsigned char)(ncells >> 24);
    return _frame_send(fd, b, bad) ? -1 : 0;
}

/* Streams worksheet i of n: its 'N' and 'D' frames, then its rows. Returns
 * 0, or -1 when the pipe broke or the sheet was refused (*rc set). */
static int _send_sheet(int fd, tz_buf *b, const void *h, const _child_arg *a, unsigned i,
                       unsigned n, int *rc)
{
    int bad = 0;
    unsigned rows = 0;
    unsigned short cols = 0;
    const char *name = NULL;
    int frc = freexl_select_active_worksheet(h, (unsigned short)i);
    if (frc == FREEXL_OK)
        frc = freexl_worksheet_dimensions(h, &rows, &cols);
    if (frc == FREEXL_OK && freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK)
        name = NULL;
    if (frc != FREEXL_OK) {
        *rc = _out_of_memory(a)
                  ? _child_refuse(fd, b, 0, "%s", _corrupt_msg)
                  : _child_refuse(fd, b, 0, "无法读取第%u个工作表(FreeXL错误%d),文件可能已损坏",
                                  i + 1, frc);
        return -1;
    }
    size_t nl = name ? strnlen(name, XLS_NAME_MAX) : 0;
    _frame_begin(b, 'N', &bad);
    _put_u32(b, i, &bad);
    _put_u32(b, n, &bad);
    if (nl && tz_buf_add(b, name, nl))
        bad = 1;
    if (_frame_send(fd, b, bad))
        return -1;
    _frame_begin(b, 'D', &bad);
    _put_u32(b, rows, &bad);
    _put_u32(b, cols, &bad);
    if (_frame_send(fd, b, bad))
        return -1;
    for (unsigned row = 0; row < rows; row++)
        if (_send_row(fd, b, h, row, cols, rc))
            return -1;
    return 0;
}

/* The child: parses path with FreeXL and streams every worksheet. */
static int _xls_child(int fd, void *arg)
{
    const _child_arg *a = arg;
    const char *path = a->path;
    int rc = 1, bad = 0;
    const void *h = NULL;
    (void)bad;
    tz_buf b = TZ_BUF_INIT;
    b.max = XLS_ROW_MAX + XLS_HDR;
    errno = 0;
    int frc = freexl_open(path, &h);
    if (frc == FREEXL_OK && _out_of_memory(a)) {
        rc = _child_refuse(fd, &b, 0, "%s", _corrupt_msg);
        goto done;
    }
    if (frc != FREEXL_OK) {
        rc = _out_of_memory(a) ? _child_refuse(fd, &b, 0, "%s", _corrupt_msg)
                               : _child_open_error(fd, &b, path, frc);
        goto done;
    }
    unsigned info = 0;
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info != FREEXL_BIFF_PLAIN) {
        rc = _child_refuse(fd, &b, 0, "文件设置了密码,请在Excel中去掉密码后重试");
        goto done;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &info) != FREEXL_OK || info == 0) {
        rc = _out_of_memory(a) ? _child_refuse(fd, &b, 0, "%s", _corrupt_msg)
                               : _child_refuse(fd, &b, 0, "文件中没有工作表");
        goto done;
    }
    unsigned nsheets = info;
    for (unsigned i = 0; i < nsheets && i < XLS_MAX_SHEETS; i++)
        if (_send_sheet(fd, &b, h, a, i, nsheets, &rc))
            goto done;
    _frame_begin(&b, 'Z', &bad);
    if (_frame_send(fd, &b, bad))
        goto done;
    rc = 0;
done:
    tz_buf_free(&b);
    if (h)
        freexl_close(h);
    return rc;
}

/* ---- the parent: reading the pipe ----------------------------------------- */

typedef struct _xls {
    tz_sandbox *sb;     /* the child, or NULL */
    unsigned rows;      /* rows in the current worksheet (from its 'D' frame) */
    unsigned sheet;     /* index of the current worksheet */
    unsigned nsheets;   /* worksheets in all (1 when the stream names none) */
    char *name;         /* the current worksheet's name */
    int pending;        /* an 'N' frame of the next worksheet was read, its 'D' not yet */
    int by_sheet;       /* tz_reader_next_sheet was called */
    int given;          /* the current worksheet was handed out by a sheet move */
    long last;          /* row number of the last 'R' frame (rows rise strictly) */
    unsigned char *buf; /* payload of the current frame */
    size_t cap;         /* bytes allocated in buf */
    int ended;          /* 1 after the 'Z' frame and a clean exit */
} _xls;

static void _xls_free(void *impl)
{
    _xls *x = impl;
    if (!x)
        return;
    tz_sandbox_free(x->sb); /* kills the child when reading stopped early */
    free(x->name);
    free(x->buf);
    free(x);
}

static uint32_t _get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The one error for a child that crashed, hit a limit, or sent garbage. */
static int _corrupt(tz_reader *r, tz_diags *d)
{
    _xls *x = r->impl;
    if (x->sb)
        tz_sandbox_finish(x->sb, NULL); /* reap now; the reason is the same for every end */
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s", _corrupt_msg);
    return -1;
}

/* 1 when the len bytes at s are valid UTF-8 without NUL, else 0. */
static int _utf8_ok(const unsigned char *s, size_t len)
{
    return !memchr(s, 0, len) && tz_utf8_valid((const char *)s, len);
}

/* Reads the next frame: its type in *type and its payload in x->buf (*len
 * bytes). Returns 0, or -1 when the pipe ended or broke, the wait ran out,
 * or the length passes max. */
static int _frame_read(_xls *x, char *type, size_t *len, size_t max)
{
    unsigned char h[XLS_HDR];
    if (tz_sandbox_read_full(x->sb, h, sizeof h))
        return -1;
    size_t n = _get_u32(h + 1);
    if (n > max)
        return -1;
    if (n > x->cap) {
        unsigned char *nb = realloc(x->buf, n);
        if (!nb)
            return -1;
        x->buf = nb;
        x->cap = n;
    }
    if (n && tz_sandbox_read_full(x->sb, x->buf, n))
        return -1;
    *type = (char)h[0];
    *len = n;
    return 0;
}

/* An 'E' frame: the child's own refusal, passed on with its row. */
static int _refusal(tz_reader *r, const unsigned char *p, size_t len, tz_diags *d)
{
    _xls *x = r->impl;
    if (len < 5 || len - 4 > XLS_REASON_MAX || !_utf8_ok(p + 4, len - 4))
        return _corrupt(r, d);
    uint32_t rowno = _get_u32(p);
    tz_sandbox_finish(x->sb, NULL);
    tz_diags_error(d, r->name, (long)rowno, NULL, NULL, "%.*s", (int)(len - 4),
                   (const char *)p + 4);
    return -1;
}

/* Places the cells of an 'R' payload into r->row. Returns 1, 0 when the
 * payload does not parse (garbage), or -1 when tz__row_set refused a cell
 * (error in d). */
static int _row_parse(tz_reader *r, const unsigned char *p, size_t len, tz_diags *d)
{
    _xls *x = r->impl;
    if (len < 8)
        return 0;
    uint32_t rowno = _get_u32(p), ncells = _get_u32(p + 4);
    if (rowno == 0 || rowno > x->rows || (long)rowno <= x->last || ncells == 0)
        return 0;
    x->last = (long)rowno;
    tz__row_begin(r, (long)rowno);
    size_t off = 8;
    long prev = -1;
    for (uint32_t i = 0; i < ncells; i++) {
        if (len - off < 9)
            return 0;
        uint32_t col = _get_u32(p + off), tlen = _get_u32(p + off + 5);
        unsigned kind = p[off + 4];
        off += 9;
        if ((long)col <= prev || col >= TZ_READER_MAX_COLS ||
            (kind != TZ_CELL_TEXT && kind != TZ_CELL_NUMBER) || tlen == 0 || tlen > len - off ||
            memchr(p + off, '\0', tlen))
            return 0;
        prev = (long)col;
        if (tz__row_set(r, col, (const char *)p + off, tlen, (int)kind, d))
            return -1;
        off += tlen;
    }
    if (off != len)
        return 0;
    unsigned long long per = r->total / x->nsheets;
    r->done = per * x->sheet + (x->rows ? per * rowno / x->rows : per);
    return 1;
}

/* An 'N' frame: the next worksheet's index, count and name. Returns 0, or
 * -1 when it does not parse. */
static int _sheet_parse(_xls *x, const unsigned char *p, size_t len)
{
    if (len < 8 || len - 8 > XLS_NAME_MAX || !_utf8_ok(p + 8, len - 8))
        return -1;
    uint32_t idx = _get_u32(p), n = _get_u32(p + 4);
    int first = x->name == NULL && !x->pending;
    if (n == 0 || n > XLS_MAX_SHEETS || idx >= n || (first ? idx != 0 : idx != x->sheet + 1) ||
        (!first && n != x->nsheets))
        return -1;
    char *nm = strndup((const char *)p + 8, len - 8);
    if (!nm)
        return -1;
    free(x->name);
    x->name = nm;
    x->sheet = idx;
    x->nsheets = n;
    x->pending = 1;
    return 0;
}

/* Reads the 'D' frame of a worksheet (after its 'N'). Returns 0, or -1
 * with the error added to d. */
static int _dims(tz_reader *r, tz_diags *d)
{
    _xls *x = r->impl;
    char type;
    size_t len;
    if (_frame_read(x, &type, &len, XLS_REASON_MAX + 4))
        return _corrupt(r, d);
    if (type == 'E')
        return _refusal(r, x->buf, len, d);
    if (type != 'D' || len != 8)
        return _corrupt(r, d);
    x->rows = _get_u32(x->buf);
    if (x->rows > 65536) /* BIFF8 holds at most 65536 rows */
        return _corrupt(r, d);
    x->pending = 0;
    x->last = 0;
    return 0;
}

/* Reads the next frame of the current worksheet: 1 with a row in r->row,
 * 0 at its end (the next worksheet's 'N' read: x->pending; or the end of
 * data: x->ended), -1 with an error added to d. */
static int _frame_next(tz_reader *r, tz_diags *d)
{
    _xls *x = r->impl;
    if (x->ended || x->pending)
        return 0;
    char type;
    size_t len;
    if (_frame_read(x, &type, &len, XLS_ROW_MAX))
        return _corrupt(r, d);
    if (type == 'R') {
        int pr = _row_parse(r, x->buf, len, d);
        return pr == 0 ? _corrupt(r, d) : pr;
    }
    if (type == 'E')
        return _refusal(r, x->buf, len, d);
    if (type == 'N')
        return _sheet_parse(x, x->buf, len) ? _corrupt(r, d) : 0;
    if (type != 'Z' || len != 0)
        return _corrupt(r, d);
    /* end of data: it counts only when the child then exits cleanly */
    if (tz_sandbox_finish(x->sb, NULL) != TZ_SANDBOX_OK)
        return _corrupt(r, d);
    x->ended = 1;
    r->done = r->total;
    return 0;
}

static int _xls_next(tz_reader *r, tz_diags *d)
{
    _xls *x = r->impl;
    if (x->by_sheet && !x->given)
        return 0;
    int rc = _frame_next(r, d);
    if (rc == 0 && x->pending && !x->by_sheet)
        r->done = r->total; /* the first worksheet is read when no sheet was asked for */
    return rc;
}

/* Moves to the next worksheet: the first (already announced at open) on
 * the first call; later ones after skipping what is left of the current. */
static int _xls_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    _xls *x = r->impl;
    if (!x->by_sheet) {
        x->by_sheet = 1;
    } else {
        int rc;
        while ((rc = _frame_next(r, d)) == 1)
            ;
        if (rc < 0)
            return -1;
        if (x->ended)
            return 0;
        if (_dims(r, d))
            return -1;
    }
    x->given = 1;
    info->index = (int)x->sheet;
    info->name = x->name ? x->name : "";
    info->hidden = 0;
    return 1;
}

static const tz_reader_ops _xls_ops = {_xls_next, _xls_free, _xls_sheet};

/* Starts child(fd, arg) under lim as r's xls child and reads its first
 * frame. Returns 0 or -1 (error in d). */
static int _start(tz_reader *r, const tz_sandbox_limits *lim, tz_sandbox_fn child, void *arg,
                  tz_diags *d)
{
    r->ops = &_xls_ops;
    r->encoding = "xls";
    _xls *x = calloc(1, sizeof *x);
    if (!x) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    r->impl = x;
    x->nsheets = 1;
    if (tz_sandbox_start(lim, child, arg, &x->sb)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法启动读取xls文件的子进程:%s",
                       tz_errno_text(errno, 0));
        return -1;
    }
    char type;
    size_t len;
    if (_frame_read(x, &type, &len, XLS_REASON_MAX + 4))
        return _corrupt(r, d);
    if (type == 'E')
        return _refusal(r, x->buf, len, d);
    if (type == 'N') { /* the first worksheet's name, then its dimensions */
        if (_sheet_parse(x, x->buf, len))
            return _corrupt(r, d);
        return _dims(r, d);
    }
    if (type != 'D' || len != 8)
        return _corrupt(r, d);
    x->rows = _get_u32(x->buf);
    if (x->rows > 65536) /* BIFF8 holds at most 65536 rows */
        return _corrupt(r, d);
    return 0;
}

int tz__xls_open_child(tz_reader *r, int (*child)(int fd, void *arg), void *arg, tz_diags *d)
{
    tz_sandbox_limits lim = {10, 0, 10};
    return _start(r, &lim, child, arg, d);
}

int tz__xls_open(tz_reader *r, const char *path, tz_diags *d)
{
    struct stat st;
    if (stat(path, &st) == 0)
        r->total = (unsigned long long)st.st_size;
    long long secs = tz_sandbox_env_limit("TZ_XLS_SECONDS", XLS_SECONDS_DEFAULT, 1, 3600);
    long long mb = tz_sandbox_env_limit("TZ_XLS_MEMORY_MB", XLS_MEMORY_MB_DEFAULT, 128, 65536);
    if (secs < 0 || mb < 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "环境变量%s的值无效,应为%s之间的整数",
                       secs < 0 ? "TZ_XLS_SECONDS" : "TZ_XLS_MEMORY_MB",
                       secs < 0 ? "1到3600" : "128到65536");
        return -1;
    }
    tz_sandbox_limits lim = {(unsigned)secs, (unsigned long long)mb << 20, (unsigned)secs};
    _child_arg arg = {path, lim.as_bytes}; /* the child gets its own copy at fork */
    return _start(r, &lim, _xls_child, &arg, d);
}
