/* html_read.c - HTML-table backend of the table reader: the ".xls" files web
 * systems export as a web page ("导出Excel"), via libxml2's HTML push parser.
 *
 * Each top-level <table> is one sheet, named by its <caption> or "表格N"
 * (N counting tables from 1); a table inside a cell is not a sheet, its
 * text belongs to that cell. Each <tr> of the table is one row (numbered
 * from 1 within the table); <td> and <th> are cells, placed in the columns
 * left free by the rowspans above them; colspan and rowspan cover cells,
 * which stay "". Text is taken as a browser shows it: runs of whitespace
 * (and &nbsp;) become one space, trimmed at both ends; <br> (and the start
 * of a <p>, <div> or <li> inside a cell) is a line break; entities are
 * decoded by libxml2; script and style hold no text.
 *
 * Streaming: the file is read in chunks (markup.h converts it to UTF-8:
 * GBK/GB2312 by its <meta> charset or its bytes) and pushed to libxml2,
 * which cannot be suspended; the rows one chunk completes wait in a queue
 * of events (a sheet's start, a row's non-empty cells), so memory follows
 * the chunk, not the file.
 *
 * Hostile input: colspan over HTML_MAX_COLSPAN, rowspan over
 * HTML_MAX_ROWSPAN (the HTML limits), nesting deeper than HTML_MAX_DEPTH,
 * and the reader's caps on cells, rows and columns are refused with a
 * Chinese message. HTML has no entity definitions to expand.
 */
#include "io/libxml.h"
#include "io/markup.h"
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_MAX_COLSPAN 1000  /* the HTML standard's limit */
#define HTML_MAX_ROWSPAN 65534 /* the HTML standard's limit */
#define HTML_MAX_DEPTH 256     /* deepest element nesting accepted */
#define HTML_MAX_ROW 1048576L  /* Excel's last row */

typedef struct _html {
    tz__markup m;           /* the file's bytes */
    htmlParserCtxtPtr ctxt; /* the push parser */
    tz_reader *r;           /* for messages */
    tz_diags *d;            /* where callbacks report */
    int failed;             /* an error was reported; later calls fail at once */
    int depth;              /* element depth */
    int tables;             /* open <table> elements (nested ones counted) */
    int nsheets;            /* top-level tables begun */
    int sheet_out;          /* the current table's sheet event was queued */
    int in_caption;         /* inside the top-level table's <caption> */
    int skip_depth;         /* depth of an open <script> or <style>, or 0 */
    int in_tr;              /* a row of the top-level table is open */
    int in_cell;            /* a cell of that row is open */
    int space;              /* whitespace is pending in the cell text */
    long rowno;             /* number of the open row within its table */
    long cursor;            /* column the next cell of the row is looked for from */
    long col;               /* 0-based column of the open cell */
    long *spanend;          /* per column: last row a rowspan covers, or 0 */
    size_t spancap;         /* columns in spanend */
    tz_buf text;            /* text of the open cell, or of the caption */
    tz_buf caption;         /* the current table's caption */
    tz_buf rowq;            /* the open row's non-empty cells: col, length, text */
    uint32_t rowcells;      /* cells in rowq */
    size_t rowbytes;        /* text bytes in rowq */
    tz_buf q;               /* queued events */
    size_t qpos;            /* bytes of q already handed out */
    int active;             /* sheet (0-based) whose rows are handed out, -1 none */
    int legacy;             /* no sheet asked for: the first table is read */
    int qsheet;             /* sheet the last dequeued event belongs to */
    int ended;              /* the file was parsed to its end */
    tz_buf name;            /* the name handed out by the last sheet move */
} _html;

static void _html_free(void *impl)
{
    _html *h = impl;
    if (!h)
        return;
    if (h->ctxt) {
        if (h->ctxt->myDoc)
            xmlFreeDoc(h->ctxt->myDoc);
        htmlFreeParserCtxt(h->ctxt);
    }
    tz__markup_free(&h->m);
    free(h->spanend);
    tz_buf_free(&h->text);
    tz_buf_free(&h->caption);
    tz_buf_free(&h->rowq);
    tz_buf_free(&h->q);
    tz_buf_free(&h->name);
    free(h);
}

/* ---- errors ---- */

/* Reports an error (row may be 0, value NULL) and stops the parser. */
static void _fail(_html *h, long row, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void _fail(_html *h, long row, const char *value, const char *fmt, ...)
{
    if (h->failed)
        return;
    tz_buf b = TZ_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tz_diags_error(h->d, h->r->name, row, NULL, value, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
    h->failed = 1;
    if (h->ctxt)
        xmlStopParser(h->ctxt);
}

static void _oom(_html *h)
{
    _fail(h, 0, NULL, "内存不足,无法读取");
}

/* libxml2's own messages about sloppy HTML: every exported page has some,
 * and none of them loses a cell. */
static void _quiet(void *ctx, const char *msg, ...) {}

/* ---- the event queue ---- */

static void _put_u32(_html *h, tz_buf *b, uint32_t v)
{
    unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    if (tz_buf_add(b, x, 4))
        _oom(h);
}

static uint32_t _get_u32(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

/* Queues the start of the current table's sheet, once. */
static void _sheet_out(_html *h)
{
    if (h->sheet_out)
        return;
    h->sheet_out = 1;
    tz_buf nm = TZ_BUF_INIT;
    int bad = h->caption.len ? tz_buf_add(&nm, h->caption.data, h->caption.len)
                             : tz_buf_printf(&nm, "表格%d", h->nsheets);
    if (bad || tz_buf_putc(&h->q, 'S')) {
        tz_buf_free(&nm);
        _oom(h);
        return;
    }
    _put_u32(h, &h->q, (uint32_t)nm.len);
    if (nm.len && tz_buf_add(&h->q, nm.data, nm.len))
        _oom(h);
    tz_buf_free(&nm);
}

/* ---- cell text ---- */

/* Appends n bytes to the open cell's (or caption's) text, collapsing
 * whitespace as a browser does. */
static void _chars(void *ud, const xmlChar *s, int n)
{
    _html *h = ud;
    if (h->skip_depth || h->failed || (!h->in_cell && !h->in_caption))
        return;
    tz_buf *b = &h->text;
    for (int i = 0; i < n; i++) {
        unsigned char ch = s[i];
        int ws = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
        if (ch == 0xC2 && i + 1 < n && s[i + 1] == 0xA0) { /* U+00A0, &nbsp; */
            ws = 1;
            i++;
        }
        if (ws) {
            h->space = b->len && b->data[b->len - 1] != '\n';
            continue;
        }
        if ((h->space && tz_buf_putc(b, ' ')) || tz_buf_putc(b, (char)ch)) {
            if (b->len + 2 > b->max)
                _fail(h, h->rowno, NULL, "第%ld列的内容超过%zuKB,无法读取", h->col + 1,
                      TZ_READER_MAX_CELL >> 10);
            else
                _oom(h);
            return;
        }
        h->space = 0;
    }
}

/* A line break in the open cell (<br>, or a block inside it). */
static void _newline(_html *h)
{
    if (!h->in_cell || !h->text.len || h->text.data[h->text.len - 1] == '\n')
        return;
    h->space = 0;
    if (tz_buf_putc(&h->text, '\n'))
        _oom(h);
}

/* ---- rows and cells ---- */

static void _cell_end(_html *h)
{
    if (!h->in_cell)
        return;
    h->in_cell = 0;
    h->space = 0;
    while (h->text.len && h->text.data[h->text.len - 1] == '\n')
        h->text.len--;
    if (!h->text.len)
        return;
    if (h->text.len > TZ_READER_MAX_ROW - h->rowbytes) {
        _fail(h, h->rowno, NULL, "整行内容超过%zuMB,无法读取", TZ_READER_MAX_ROW >> 20);
        return;
    }
    h->rowbytes += h->text.len;
    _put_u32(h, &h->rowq, (uint32_t)h->col);
    _put_u32(h, &h->rowq, (uint32_t)h->text.len);
    if (tz_buf_add(&h->rowq, h->text.data, h->text.len))
        _oom(h);
    h->rowcells++;
}

static void _row_end(_html *h)
{
    if (!h->in_tr)
        return;
    _cell_end(h);
    h->in_tr = 0;
    if (h->failed)
        return;
    if (tz_buf_putc(&h->q, 'R')) {
        _oom(h);
        return;
    }
    _put_u32(h, &h->q, (uint32_t)h->rowno);
    _put_u32(h, &h->q, h->rowcells);
    if (h->rowq.len && tz_buf_add(&h->q, h->rowq.data, h->rowq.len))
        _oom(h);
}

static void _row_start(_html *h)
{
    _row_end(h);
    _sheet_out(h);
    if (h->rowno >= HTML_MAX_ROW) {
        _fail(h, h->rowno, NULL, "表格超过%ld行,无法读取", HTML_MAX_ROW);
        return;
    }
    h->in_tr = 1;
    h->rowno++;
    h->cursor = 0;
    h->rowq.len = 0;
    h->rowcells = 0;
    h->rowbytes = 0;
}

/* The value of attribute name in atts as a span (absent, empty or not a
 * number: 1; 0: 1), or -1 past max. */
static long _span(const xmlChar **atts, const char *name, long max)
{
    for (size_t i = 0; atts && atts[i]; i += 2) {
        if (strcasecmp((const char *)atts[i], name) != 0 || !atts[i + 1])
            continue;
        const char *p = (const char *)atts[i + 1];
        while (*p == ' ')
            p++;
        long v = 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if ((v = v * 10 + (*p - '0')) > max)
                return -1;
        return v < 1 ? 1 : v;
    }
    return 1;
}

/* Makes spanend hold column col. Returns 0 or -1 (reported). */
static int _span_reserve(_html *h, size_t col)
{
    if (col < h->spancap)
        return 0;
    size_t ncap = h->spancap ? h->spancap : 64;
    while (ncap <= col)
        ncap *= 2;
    long *ns = realloc(h->spanend, ncap * sizeof *ns);
    if (!ns) {
        _oom(h);
        return -1;
    }
    memset(ns + h->spancap, 0, (ncap - h->spancap) * sizeof *ns);
    h->spanend = ns;
    h->spancap = ncap;
    return 0;
}

static void _cell_start(_html *h, const xmlChar **atts)
{
    if (!h->in_tr)
        _row_start(h); /* a cell straight under <table>: a row of its own */
    _cell_end(h);
    if (h->failed)
        return;
    long col = h->cursor;
    while ((size_t)col < h->spancap && h->spanend[col] >= h->rowno)
        col++;
    long cs = _span(atts, "colspan", HTML_MAX_COLSPAN),
         rs = _span(atts, "rowspan", HTML_MAX_ROWSPAN);
    if (cs < 0 || rs < 0) {
        _fail(h, h->rowno, NULL, "第%ld列的单元格合并%s超过%d,不是正常的表格,无法读取", col + 1,
              cs < 0 ? "列数(colspan)" : "行数(rowspan)",
              cs < 0 ? HTML_MAX_COLSPAN : HTML_MAX_ROWSPAN);
        return;
    }
    if (col + cs > TZ_READER_MAX_COLS) {
        _fail(h, h->rowno, NULL, "列数超过%d列(Excel的上限),无法读取", TZ_READER_MAX_COLS);
        return;
    }
    if (rs > 1) {
        if (_span_reserve(h, (size_t)(col + cs - 1)))
            return;
        for (long c = col; c < col + cs; c++)
            h->spanend[c] = h->rowno + rs - 1;
    }
    h->col = col;
    h->cursor = col + cs;
    h->in_cell = 1;
    h->space = 0;
    h->text.len = 0;
}

static void _table_start(_html *h)
{
    h->rowno = 0;
    h->sheet_out = 0;
    h->in_tr = 0;
    h->in_cell = 0;
    h->caption.len = 0;
    if (h->spancap)
        memset(h->spanend, 0, h->spancap * sizeof *h->spanend);
    h->nsheets++;
}

static void _start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
    _html *h = ud;
    if (h->failed)
        return;
    if (++h->depth > HTML_MAX_DEPTH) {
        _fail(h, 0, NULL, "HTML的元素嵌套超过%d层,文件已损坏或被篡改", HTML_MAX_DEPTH);
        return;
    }
    const char *n = (const char *)xname;
    if (h->skip_depth)
        return;
    if (strcmp(n, "script") == 0 || strcmp(n, "style") == 0) {
        h->skip_depth = h->depth;
    } else if (strcmp(n, "table") == 0) {
        if (h->tables++ == 0)
            _table_start(h);
        else
            _newline(h);
    } else if (h->tables == 1 && (strcmp(n, "td") == 0 || strcmp(n, "th") == 0)) {
        _cell_start(h, atts);
    } else if (h->tables == 1 && strcmp(n, "tr") == 0) {
        _row_start(h);
    } else if (h->tables == 1 && strcmp(n, "caption") == 0 && !h->sheet_out) {
        h->in_caption = 1;
        h->text.len = 0;
        h->space = 0;
    } else if (strcmp(n, "br") == 0 || strcmp(n, "p") == 0 || strcmp(n, "div") == 0 ||
               strcmp(n, "li") == 0 || (h->tables > 1 && strcmp(n, "tr") == 0)) {
        _newline(h);
    } else if (h->tables > 1 && (strcmp(n, "td") == 0 || strcmp(n, "th") == 0)) {
        h->space = h->text.len && h->text.data[h->text.len - 1] != '\n';
    }
}

static void _end(void *ud, const xmlChar *xname)
{
    _html *h = ud;
    int dep = h->depth--;
    if (h->failed)
        return;
    if (h->skip_depth) {
        if (dep == h->skip_depth)
            h->skip_depth = 0;
        return;
    }
    const char *n = (const char *)xname;
    if (strcmp(n, "table") == 0 && h->tables > 0) {
        if (--h->tables == 0) {
            _row_end(h);
            _sheet_out(h);
        }
    } else if (h->tables != 1) {
        return;
    } else if (strcmp(n, "td") == 0 || strcmp(n, "th") == 0) {
        _cell_end(h);
    } else if (strcmp(n, "tr") == 0) {
        _row_end(h);
    } else if (strcmp(n, "caption") == 0 && h->in_caption) {
        h->in_caption = 0;
        h->caption.len = 0;
        if (tz_buf_add(&h->caption, h->text.data ? h->text.data : "", h->text.len))
            _oom(h);
        h->text.len = 0;
    }
}

/* ---- reading ---- */

/* Parses the next chunk. Returns 0, or -1 (reported). */
static int _step(_html *h)
{
    size_t safe;
    if (tz__markup_fill(h->r, &h->m, &safe, h->d))
        return -1;
    if (safe || h->m.eof)
        (void)htmlParseChunk(h->ctxt, h->m.feed.buf, (int)safe, h->m.eof);
    /* libxml2 reports sloppy HTML as errors and goes on, as browsers do: only
     * the callbacks' own refusals stop the read */
    if (h->failed || tz__markup_consume(h->r, &h->m, safe, h->d)) {
        h->failed = 1;
        return -1;
    }
    if (h->m.eof) {
        h->ended = 1;
        _row_end(h);
        if (h->tables)
            _sheet_out(h);
        if (h->failed)
            return -1;
    }
    return 0;
}

/* Takes the next event: 'S' (name in h->name), 'R' (the row placed in
 * r->row), 0 at the end of the file, or -1 (reported). With peek_sheet,
 * an 'S' event stays queued and 'S' is returned. */
static int _event(_html *h, int peek_sheet)
{
    tz_reader *r = h->r;
    while (h->qpos == h->q.len) {
        h->q.len = h->qpos = 0;
        if (h->ended)
            return 0;
        if (_step(h))
            return -1;
    }
    const char *p = h->q.data + h->qpos;
    if (*p == 'S') {
        if (peek_sheet)
            return 'S';
        uint32_t len = _get_u32(p + 1);
        h->name.len = 0;
        if (tz_buf_add(&h->name, p + 5, len) || tz_buf_putc(&h->name, '\0')) {
            tz_diags_error(h->d, r->name, 0, NULL, NULL, "内存不足,无法读取");
            return -1;
        }
        h->qpos += 5 + len;
        h->qsheet++;
        return 'S';
    }
    uint32_t rowno = _get_u32(p + 1), n = _get_u32(p + 5);
    size_t off = h->qpos + 9;
    int mine = h->qsheet == h->active;
    if (mine)
        tz__row_begin(r, (long)rowno);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t col = _get_u32(h->q.data + off), len = _get_u32(h->q.data + off + 4);
        if (mine && tz__row_set(r, col, h->q.data + off + 8, len, TZ_CELL_TEXT, h->d))
            return -1;
        off += 8 + len;
    }
    h->qpos = off;
    return mine ? 'R' : 'r';
}

/* The one error for a file that has no table at all. */
static int _no_table(_html *h)
{
    tz_diags_error(h->d, h->r->name, 0, NULL, NULL,
                   "文件是网页(HTML)格式,但其中没有表格(<table>),无法读取,"
                   "请用Excel或WPS另存为.xlsx");
    return -1;
}

static int _html_next(tz_reader *r, tz_diags *d)
{
    _html *h = r->impl;
    if (h->failed)
        return -1;
    h->d = d;
    if (h->legacy && h->qsheet > 0)
        return 0; /* past the first table */
    for (;;) {
        int e = _event(h, !h->legacy);
        if (e < 0) {
            h->failed = 1;
            return -1;
        }
        if (e == 0)
            return h->qsheet < 0 ? _no_table(h) : 0;
        if (e == 'R')
            return 1;
        if (e == 'S' && !h->legacy)
            return 0; /* the next sheet: tz_reader_next_sheet moves there */
        if (e == 'S' && h->qsheet > 0)
            return 0; /* the first table is read when no sheet was asked for */
    }
}

static int _html_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    _html *h = r->impl;
    if (h->failed)
        return -1;
    h->d = d;
    h->legacy = 0;
    h->active = -1;
    for (;;) {
        int e = _event(h, 0);
        if (e < 0) {
            h->failed = 1;
            return -1;
        }
        if (e == 0)
            return h->qsheet < 0 ? _no_table(h) : 0;
        if (e == 'S')
            break;
    }
    h->active = h->qsheet;
    info->index = h->qsheet;
    info->name = h->name.data;
    info->hidden = 0;
    return 1;
}

static const tz_reader_ops _html_ops = {_html_next, _html_free, _html_sheet};

int tz__html_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_html_ops;
    r->encoding = "HTML(.xls)";
    _html *h = calloc(1, sizeof *h);
    if (!h) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    r->impl = h;
    h->r = r;
    h->d = d;
    h->legacy = 1;
    h->active = 0;
    h->qsheet = -1;
    h->text.max = TZ_READER_MAX_CELL + 1;
    h->caption.max = TZ_READER_MAX_CELL + 1;
    if (tz__markup_open(r, &h->m, path, 1, d) || tz_xml_load(r->name, d))
        return -1;
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = _start;
    sax.endElement = _end;
    sax.characters = _chars;
    sax.ignorableWhitespace = _chars;
    sax.cdataBlock = NULL;
    sax.error = _quiet;
    sax.warning = _quiet;
    sax.fatalError = _quiet;
    h->ctxt = htmlCreatePushParserCtxt(&sax, h, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!h->ctxt) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        return -1;
    }
    htmlCtxtUseOptions(h->ctxt, HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
    return 0;
}
