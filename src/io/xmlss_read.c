/* xmlss_read.c - SpreadsheetML 2003 ("XML 电子表格 2003") backend of the table
 * reader: the ".xls" files web systems export as XML, via expat, one row
 * at a time.
 *
 * Open runs one quick pass over the file for the worksheets' names and
 * visibility (<WorksheetOptions><Visible>SheetHidden</Visible>, which
 * comes after the rows), then streams: the parser is suspended at every
 * </Row> and at every <Worksheet>, so only one row is ever held.
 *
 * Placement: <Row ss:Index> gives the row's number (rows rise strictly),
 * <Cell ss:Index> its column (columns rise strictly); a cell without it
 * follows the previous one, past columns a ss:MergeDown above covers.
 * ss:MergeAcross and ss:MergeDown cover cells, which stay "". <Data
 * ss:Type="Number"> is a TZ_CELL_NUMBER, "Error" a TZ_CELL_ERROR,
 * "DateTime" 2019-06-01T00:00:00.000 the text 2019-06-01 (with the time when
 * it is not midnight), a formula without <Data> TZ_CELL_NOVALUE; the text of
 * a <Comment> is not a value.
 *
 * Hostile input: a DTD is refused (SpreadsheetML has none; this shuts out
 * entity expansion), nesting is capped at XMLSS_MAX_DEPTH, markup
 * constructs at TZ__FEED_MAX_TOKEN (markup.h), cells, rows and columns at
 * the reader's caps, sheets at XMLSS_MAX_SHEETS.
 */
#include "io/markup.h"
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XMLSS_NS_SEP '|'
#define XMLSS_MAX_DEPTH 256
#define XMLSS_MAX_SHEETS 4096
#define XMLSS_MAX_ROW 1048576L
#define XMLSS_MAX_NAMES ((size_t)16 << 20) /* bytes of sheet names kept */

static const char XMLSS_WHAT[] = "XML 2003表格";

/* One worksheet, from the first pass. */
typedef struct _ws {
    char *name; /* ss:Name */
    int hidden; /* 0 visible, 1 SheetHidden, 2 SheetVeryHidden */
} _ws;

typedef struct _xmlss {
    tz__markup m;      /* the file's bytes */
    XML_Parser xp;     /* the streaming parser */
    tz_reader *r;      /* for messages and the row buffer */
    tz_diags *d;       /* where callbacks report */
    _ws *ws;           /* the worksheets, in order */
    size_t nws;        /* worksheets found */
    size_t names;      /* bytes of names kept */
    int failed;        /* an error was reported; later calls fail at once */
    int depth;         /* element depth */
    int cur;           /* index of the worksheet being parsed, -1 before the first */
    int active;        /* index of the worksheet whose rows are handed out, -1 none */
    int legacy;        /* no sheet asked for: read the first visible one */
    int boundary;      /* suspended at the start of worksheet cur, not yet handed out */
    int row_ready;     /* suspended at a </Row> of the active worksheet */
    int suspended;     /* the parser must be resumed */
    int ended;         /* the last chunk was parsed */
    int in_row;        /* inside a <Row> */
    int in_cell;       /* inside a <Cell> */
    int data_depth;    /* depth of the open <Data>, or 0 */
    int comment_depth; /* depth of the open <Comment>, or 0 */
    int visible_depth; /* first pass: depth of the open <Visible>, or 0 */
    int has_data;      /* the current cell has a <Data> */
    int has_formula;   /* the current cell has ss:Formula */
    int type;          /* XMLSS_T_* of the current cell's data */
    long rowno;        /* number of the open row */
    long lastrow;      /* number of the previous row of the worksheet, or 0 */
    long col;          /* 0-based column of the current cell */
    long nextcol;      /* column the next cell without ss:Index takes */
    long *mergeend;    /* per column: last row a ss:MergeDown covers, or 0 */
    size_t mergecap;   /* columns in mergeend */
    tz_buf text;       /* text of the current cell, or of <Visible> */
} _xmlss;

enum { XMLSS_T_STRING = 0, XMLSS_T_NUMBER, XMLSS_T_DATETIME, XMLSS_T_BOOL, XMLSS_T_ERROR };

static void _xmlss_free(void *impl)
{
    _xmlss *x = impl;
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    tz__markup_free(&x->m);
    for (size_t i = 0; i < x->nws; i++)
        free(x->ws[i].name);
    free(x->ws);
    free(x->mergeend);
    tz_buf_free(&x->text);
    free(x);
}

/* ---- helpers ---- */

static const char *_local(const char *name)
{
    const char *sep = strrchr(name, XMLSS_NS_SEP);
    return sep ? sep + 1 : name;
}

/* The value of the attribute whose local name is name (any namespace). */
static const char *_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(_local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Reports an error (row may be 0, value NULL) and stops the parser. */
static void _fail(_xmlss *x, long row, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void _fail(_xmlss *x, long row, const char *value, const char *fmt, ...)
{
    if (x->failed)
        return;
    tz_buf b = TZ_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tz_diags_error(x->d, x->r->name, row, NULL, value, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
    x->failed = 1;
    XML_StopParser(x->xp, XML_FALSE);
}

/* A whole number in [lo, hi] from s, or -1. */
static long _num(const char *s, long lo, long hi)
{
    if (!s)
        return -1;
    long v = 0;
    const char *p = s;
    while (*p == ' ')
        p++;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (*p - '0');
        if (v > hi)
            return -1;
    }
    while (*p == ' ')
        p++;
    return *p || v < lo ? -1 : v;
}

/* The worksheet label for messages: its name, clipped. */
static const char *_sheet_label(const _xmlss *x, char *out)
{
    const char *n = x->cur >= 0 && (size_t)x->cur < x->nws ? x->ws[x->cur].name : "";
    return tz__clip(n, out);
}

static void _doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                     int has_internal)
{
    _fail(ud, 0, NULL, "%s含有DTD声明,文件已损坏或被篡改,请用Excel或WPS另存为.xlsx", XMLSS_WHAT);
}

/* Counts one more element level. Returns 0, or -1 after refusing nesting
 * deeper than any real file has. */
static int _enter(_xmlss *x)
{
    if (++x->depth > XMLSS_MAX_DEPTH) {
        _fail(x, 0, NULL, "%s的XML嵌套超过%d层,文件已损坏或被篡改", XMLSS_WHAT, XMLSS_MAX_DEPTH);
        return -1;
    }
    return 0;
}

/* Appends character data to x->text, capped at one cell. */
static void _text(void *ud, const XML_Char *s, int len)
{
    _xmlss *x = ud;
    if (!x->data_depth && !x->visible_depth)
        return;
    if (x->text.len + (size_t)len > TZ_READER_MAX_CELL) {
        _fail(x, x->rowno, NULL, "第%ld列的内容超过%zuKB,无法读取", x->col + 1,
              TZ_READER_MAX_CELL >> 10);
        return;
    }
    if (tz_buf_add(&x->text, s, (size_t)len))
        _fail(x, 0, NULL, "内存不足,无法读取");
}

/* Creates a parser for x with the given handlers. Returns NULL on OOM. */
static XML_Parser _parser(_xmlss *x, XML_StartElementHandler start, XML_EndElementHandler end)
{
    XML_Parser xp = XML_ParserCreateNS("UTF-8", XMLSS_NS_SEP); /* markup.c gives UTF-8 */
    if (!xp)
        return NULL;
    XML_SetUserData(xp, x);
    XML_SetStartDoctypeDeclHandler(xp, _doctype);
    XML_SetElementHandler(xp, start, end);
    XML_SetCharacterDataHandler(xp, _text);
    return xp;
}

/* ---- the first pass: worksheet names and visibility ---- */

static void _scan_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _xmlss *x = ud;
    if (_enter(x))
        return;
    const char *ln = _local(name);
    if (strcmp(ln, "Worksheet") == 0) {
        if (x->nws >= XMLSS_MAX_SHEETS) {
            _fail(x, 0, NULL, "%s中的工作表超过%d个,无法读取", XMLSS_WHAT, XMLSS_MAX_SHEETS);
            return;
        }
        const char *n = _attr(atts, "Name");
        n = n ? n : "";
        x->names += strlen(n) + sizeof(_ws);
        _ws *nw = x->names > XMLSS_MAX_NAMES ? NULL : realloc(x->ws, (x->nws + 1) * sizeof *nw);
        if (!nw) {
            _fail(x, 0, NULL, "%s的工作表名过多或内存不足,无法读取", XMLSS_WHAT);
            return;
        }
        x->ws = nw;
        x->ws[x->nws].hidden = 0;
        if (!(x->ws[x->nws].name = strdup(n))) {
            _fail(x, 0, NULL, "内存不足,无法读取");
            return;
        }
        const char *h = _attr(atts, "Hidden");
        if (h && strcmp(h, "1") == 0)
            x->ws[x->nws].hidden = 1;
        x->nws++;
    } else if (strcmp(ln, "Visible") == 0 && x->nws) {
        x->visible_depth = x->depth;
        x->text.len = 0;
    }
}

static void _scan_end(void *ud, const XML_Char *name)
{
    _xmlss *x = ud;
    if (x->visible_depth && x->depth == x->visible_depth) {
        x->visible_depth = 0;
        const char *v = tz_buf_str(&x->text);
        if (strstr(v, "SheetVeryHidden"))
            x->ws[x->nws - 1].hidden = 2;
        else if (strstr(v, "SheetHidden"))
            x->ws[x->nws - 1].hidden = 1;
        x->text.len = 0;
    }
    x->depth--;
}

/* Reports an expat error of the file with its line. */
static void _xml_error(_xmlss *x)
{
    if (x->failed)
        return;
    tz_diags_error(x->d, x->r->name, 0, NULL, NULL, "%s第%lu行XML格式错误: %s,文件已损坏",
                   XMLSS_WHAT, (unsigned long)XML_GetCurrentLineNumber(x->xp),
                   XML_ErrorString(XML_GetErrorCode(x->xp)));
    x->failed = 1;
}

/* Reads and parses the next chunk, or resumes the parser. Returns the expat
 * status, or -1 with an error added to x->d. */
static int _step(_xmlss *x)
{
    if (x->suspended) {
        x->suspended = 0;
        return XML_ResumeParser(x->xp);
    }
    size_t safe;
    if (tz__markup_fill(x->r, &x->m, &safe, x->d))
        return -1;
    if (x->m.eof)
        x->ended = 1;
    int st = XML_STATUS_OK;
    if (safe || x->m.eof)
        st = XML_Parse(x->xp, x->m.feed.buf, (int)safe, x->m.eof);
    if (tz__markup_consume(x->r, &x->m, safe, x->d))
        return -1;
    return st;
}

/* Runs the first pass over the whole file. Returns 0 or -1 (reported). */
static int _first_pass(_xmlss *x)
{
    if (!(x->xp = _parser(x, _scan_start, _scan_end))) {
        tz_diags_error(x->d, x->r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    while (!x->ended) {
        int st = _step(x);
        if (st < 0 || x->failed)
            return -1;
        if (st == XML_STATUS_ERROR) {
            _xml_error(x);
            return -1;
        }
    }
    XML_ParserFree(x->xp);
    x->xp = NULL;
    if (!x->nws) {
        tz_diags_error(x->d, x->r->name, 0, NULL, NULL, "%s中没有工作表(Worksheet),无法读取",
                       XMLSS_WHAT);
        return -1;
    }
    x->ended = 0;
    x->depth = 0;
    x->r->done = 0;
    return tz__markup_rewind(x->r, &x->m, x->d);
}

/* ---- the streaming pass ---- */

/* 1 when rows of the worksheet being parsed are handed out. */
static int _reading(const _xmlss *x)
{
    return x->cur >= 0 && x->cur == x->active;
}

/* Makes mergeend hold column col. Returns 0 or -1 (reported). */
static int _merge_reserve(_xmlss *x, size_t col)
{
    if (col < x->mergecap)
        return 0;
    size_t ncap = x->mergecap ? x->mergecap : 64;
    while (ncap <= col)
        ncap *= 2;
    long *nm = realloc(x->mergeend, ncap * sizeof *nm);
    if (!nm) {
        _fail(x, 0, NULL, "内存不足,无法读取");
        return -1;
    }
    memset(nm + x->mergecap, 0, (ncap - x->mergecap) * sizeof *nm);
    x->mergeend = nm;
    x->mergecap = ncap;
    return 0;
}

static void _row_start(_xmlss *x, const char **atts)
{
    char v[TZ__CLIP_SIZE];
    const char *idx = _attr(atts, "Index");
    long no = idx ? _num(idx, 1, XMLSS_MAX_ROW) : x->lastrow + 1;
    if (no < 0 || no > XMLSS_MAX_ROW) {
        _fail(x, x->lastrow + 1, idx, "工作表\"%s\"的行号(ss:Index)无效或超过%ld行,文件已损坏",
              _sheet_label(x, v), XMLSS_MAX_ROW);
        return;
    }
    if (no <= x->lastrow) {
        _fail(x, no, NULL, "工作表\"%s\"的第%ld行出现在第%ld行之后,文件已损坏", _sheet_label(x, v),
              no, x->lastrow);
        return;
    }
    x->in_row = 1;
    x->rowno = no;
    x->lastrow = no;
    x->nextcol = 0;
    if (_reading(x))
        tz__row_begin(x->r, no);
}

static void _cell_start(_xmlss *x, const char **atts)
{
    char v[TZ__CLIP_SIZE];
    const char *idx = _attr(atts, "Index");
    long col;
    if (idx) {
        col = _num(idx, 1, TZ_READER_MAX_COLS);
        if (col < 0) {
            _fail(x, x->rowno, idx, "工作表\"%s\"第%ld行的列号(ss:Index)无效或超过%d列",
                  _sheet_label(x, v), x->rowno, TZ_READER_MAX_COLS);
            return;
        }
        col--;
        if (col < x->nextcol) {
            _fail(x, x->rowno, idx, "工作表\"%s\"第%ld行的单元格列号没有递增,文件已损坏",
                  _sheet_label(x, v), x->rowno);
            return;
        }
    } else {
        col = x->nextcol;
        while ((size_t)col < x->mergecap && x->mergeend[col] >= x->rowno)
            col++;
    }
    const char *ma = _attr(atts, "MergeAcross"), *md = _attr(atts, "MergeDown");
    long across = ma ? _num(ma, 0, TZ_READER_MAX_COLS) : 0;
    long down = md ? _num(md, 0, XMLSS_MAX_ROW) : 0;
    if (across < 0 || down < 0 || col + across >= TZ_READER_MAX_COLS ||
        x->rowno + down > XMLSS_MAX_ROW) {
        _fail(x, x->rowno, ma && across < 0 ? ma : md,
              "工作表\"%s\"第%ld行的合并单元格(ss:MergeAcross/ss:MergeDown)超出%d列或%ld行",
              _sheet_label(x, v), x->rowno, TZ_READER_MAX_COLS, XMLSS_MAX_ROW);
        return;
    }
    if (col >= TZ_READER_MAX_COLS) {
        _fail(x, x->rowno, NULL, "列数超过%d列(Excel的上限),无法读取", TZ_READER_MAX_COLS);
        return;
    }
    if (down > 0) {
        if (_merge_reserve(x, (size_t)(col + across)))
            return;
        for (long c = col; c <= col + across; c++)
            x->mergeend[c] = x->rowno + down;
    }
    x->col = col;
    x->nextcol = col + across + 1;
    x->in_cell = 1;
    x->has_data = 0;
    x->has_formula = _attr(atts, "Formula") != NULL;
    x->text.len = 0;
}

/* The text of a DateTime value: "2019-06-01T00:00:00.000" gives
 * "2019-06-01", another time "2019-06-01 08:30:00". Rewrites x->text. */
static void _datetime(_xmlss *x)
{
    char *s = x->text.data;
    size_t n = x->text.len;
    char *t = memchr(s, 'T', n);
    if (!t)
        return;
    size_t date = (size_t)(t - s);
    const char *tm = t + 1;
    size_t tl = n - date - 1;
    size_t keep = tl;
    if (keep > 8)
        keep = 8; /* hh:mm:ss, without fractions */
    int midnight = 1;
    for (size_t i = 0; i < tl; i++)
        if (tm[i] >= '1' && tm[i] <= '9')
            midnight = 0;
    if (midnight) {
        x->text.len = date;
    } else {
        *t = ' ';
        x->text.len = date + 1 + keep;
    }
    x->text.data[x->text.len] = '\0';
}

static void _cell_end(_xmlss *x)
{
    x->in_cell = 0;
    if (!_reading(x))
        return;
    int kind = TZ_CELL_TEXT;
    if (!x->has_data) {
        if (x->has_formula && tz__row_set(x->r, (size_t)x->col, "", 0, TZ_CELL_NOVALUE, x->d)) {
            x->failed = 1; /* tz__row_set reported it */
            XML_StopParser(x->xp, XML_FALSE);
        }
        return;
    }
    if (x->type == XMLSS_T_NUMBER || x->type == XMLSS_T_BOOL)
        kind = TZ_CELL_NUMBER;
    else if (x->type == XMLSS_T_ERROR)
        kind = TZ_CELL_ERROR;
    else if (x->type == XMLSS_T_DATETIME)
        _datetime(x);
    if ((x->text.len || kind == TZ_CELL_ERROR) &&
        tz__row_set(x->r, (size_t)x->col, x->text.len ? x->text.data : "", x->text.len, kind,
                    x->d)) {
        x->failed = 1; /* tz__row_set reported it */
        XML_StopParser(x->xp, XML_FALSE);
    }
}

static void _data_start(_xmlss *x, const char **atts)
{
    if (x->comment_depth || !x->in_cell || x->data_depth)
        return; /* a comment's text, or markup inside <Data>: not a new value */
    const char *t = _attr(atts, "Type");
    x->type = !t                           ? XMLSS_T_STRING
              : strcmp(t, "Number") == 0   ? XMLSS_T_NUMBER
              : strcmp(t, "DateTime") == 0 ? XMLSS_T_DATETIME
              : strcmp(t, "Boolean") == 0  ? XMLSS_T_BOOL
              : strcmp(t, "Error") == 0    ? XMLSS_T_ERROR
                                           : XMLSS_T_STRING;
    x->data_depth = x->depth;
    x->has_data = 1;
    x->text.len = 0;
}

static void _sheet_begin(_xmlss *x)
{
    x->cur++;
    x->lastrow = 0;
    x->in_row = 0;
    if (x->mergecap)
        memset(x->mergeend, 0, x->mergecap * sizeof *x->mergeend);
    if ((size_t)x->cur >= x->nws) { /* the first pass saw fewer: the file changed */
        _fail(x, 0, NULL, "%s在读取过程中被修改,请重新导入", XMLSS_WHAT);
        return;
    }
    x->boundary = 1;
    XML_StopParser(x->xp, XML_TRUE);
}

static void _start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _xmlss *x = ud;
    if (_enter(x))
        return;
    const char *ln = _local(name);
    if (strcmp(ln, "Worksheet") == 0)
        _sheet_begin(x);
    else if (x->cur < 0)
        return;
    else if (strcmp(ln, "Row") == 0)
        _row_start(x, atts);
    else if (strcmp(ln, "Cell") == 0 && x->in_row)
        _cell_start(x, atts);
    else if (strcmp(ln, "Comment") == 0 && !x->comment_depth)
        x->comment_depth = x->depth;
    else if (strcmp(ln, "Data") == 0)
        _data_start(x, atts);
}

static void _end(void *ud, const XML_Char *name)
{
    _xmlss *x = ud;
    int dep = x->depth--;
    if (x->data_depth == dep) {
        x->data_depth = 0;
        return;
    }
    if (x->comment_depth == dep) {
        x->comment_depth = 0;
        return;
    }
    const char *ln = _local(name);
    if (x->in_cell && strcmp(ln, "Cell") == 0)
        _cell_end(x);
    else if (x->in_row && strcmp(ln, "Row") == 0) {
        x->in_row = 0;
        if (_reading(x) && !x->failed) {
            x->row_ready = 1;
            XML_StopParser(x->xp, XML_TRUE);
        }
    }
}

/* Parses on until a row of the active worksheet is ready (1), the start of
 * another worksheet is reached (2), or the file ends (0); -1 on an error. */
static int _advance(_xmlss *x)
{
    x->row_ready = 0;
    for (;;) {
        if (x->boundary)
            return 2;
        if (!x->suspended && x->ended)
            return 0;
        int st = _step(x);
        if (st < 0 || x->failed)
            goto fail;
        if (st == XML_STATUS_ERROR) {
            _xml_error(x);
            goto fail;
        }
        if (st == XML_STATUS_SUSPENDED)
            x->suspended = 1;
        if (x->row_ready)
            return 1;
    }
fail:
    x->failed = 1;
    return -1;
}

static int _xmlss_next(tz_reader *r, tz_diags *d)
{
    _xmlss *x = r->impl;
    if (x->failed)
        return -1;
    x->d = d;
    for (;;) {
        int a = _advance(x);
        if (a != 2)
            return a;
        /* the first visible worksheet is read when no sheet was asked for */
        if (!x->legacy || x->cur > x->active)
            return 0;
        x->boundary = 0;
    }
}

static int _xmlss_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    _xmlss *x = r->impl;
    if (x->failed)
        return -1;
    x->d = d;
    x->legacy = 0;
    x->active = -1;
    for (;;) {
        int a = _advance(x);
        if (a <= 0)
            return a;
        if (a == 2)
            break;
    }
    x->boundary = 0;
    x->active = x->cur;
    info->index = x->cur;
    info->name = x->ws[x->cur].name;
    info->hidden = x->ws[x->cur].hidden;
    return 1;
}

static const tz_reader_ops _xmlss_ops = {_xmlss_next, _xmlss_free, _xmlss_sheet};

int tz__xmlss_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_xmlss_ops;
    r->encoding = "XML 2003(.xls)";
    _xmlss *x = calloc(1, sizeof *x);
    if (!x) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    r->impl = x;
    x->r = r;
    x->d = d;
    x->cur = -1;
    x->legacy = 1;
    x->text.max = TZ_READER_MAX_CELL + 1;
    if (tz__markup_open(r, &x->m, path, 0, d) || _first_pass(x))
        return -1;
    x->active = 0;
    for (size_t i = 0; i < x->nws; i++)
        if (!x->ws[i].hidden) {
            x->active = (int)i;
            break;
        }
    x->cur = -1;
    x->depth = 0;
    x->visible_depth = 0;
    if (!(x->xp = _parser(x, _start, _end))) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    return 0;
}
