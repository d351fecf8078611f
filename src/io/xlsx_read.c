/* xlsx_read.c - XLSX backend of the table reader: the worksheets of an
 * OOXML package, via libzip + expat, one row at a time.
 *
 * Open refuses a package whose zip directory names one part twice (also
 * when the names differ only in case, "\\" for "/", "%41" for "A", or "."
 * and ".." segments), then follows the relationships exactly as Excel does:
 * _rels/.rels gives the workbook part (officeDocument), the workbook's own
 * relationship part gives its worksheets and shared strings, relative
 * targets are resolved against the source part's folder and names are
 * matched with their exact case. The first visible worksheet of the tab
 * order is read (the first worksheet when all are hidden) unless the caller
 * moves through every worksheet (tz_reader_next_sheet: tab order, hidden
 * and veryHidden ones included and flagged); a missing
 * relationship or part is an error, never a guess. workbookPr date1904 is
 * handed out with every row.
 *
 * Rows are parsed on demand: the sheet part is inflated in 64 KiB chunks;
 * the rows of <sheetData> are read one at a time by the worksheet scanner
 * (xlsx_scan.c) while they keep to its subset of XML, and everything else
 * by expat, suspended at every </row> (_scan_begin, _scan_step say how the
 * two hand over), so only one row is ever held. Cell and row references are checked (A1..XFD1048576, rows and
 * cells strictly in order, a cell in its own row); anything else refuses
 * the file instead of shifting a value. A formula without a cached result
 * comes out as TZ_CELL_NOVALUE, an error value (t="e") as TZ_CELL_ERROR.
 *
 * Hostile input: every part is refused when its declared or actual
 * unpacked size passes TZ_XLSX_MAX_UNPACKED, or when it inflates to more
 * bytes than the zip directory declares; only stored and deflated parts
 * are read; documents with a DTD are refused (OOXML has none; this shuts
 * out entity expansion); nesting is capped at XLSX_MAX_DEPTH and attributes
 * per element at XLSX_MAX_ATTS. The bytes are scanned before expat sees them: a
 * markup construct (tag, comment, processing instruction, reference) is
 * handed over only once it is whole, and refused past XLSX_MAX_TOKEN bytes, as
 * expat 2.5 re-scans an unfinished token on every chunk, which is quadratic
 * in the token's length.
 *
 * Progress counts compressed bytes of the sheet: libzip does not tell how
 * far into the compressed stream it is, so the unpacked share read so far
 * is applied to the compressed size.
 */
#include "io/libzip.h"
#include "io/reader_impl.h"
#include "util/buf.h"
#include "util/text.h"
#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XLSX_CHUNK ((size_t)64 << 10)     /* bytes inflated per read */
#define XLSX_PUMP_MIN ((size_t)4 << 20)   /* a part this large is inflated on its own thread */
#define XLSX_MAX_TOKEN TZ__FEED_MAX_TOKEN /* longest markup construct handed to expat */
#define XLSX_MAX_META ((size_t)16 << 20)  /* bytes of relationships and sheet names kept */
#define XLSX_MAX_ATTS 256                 /* most attributes one element may have */
#define XLSX_MAX_DEPTH 256                /* deepest element nesting accepted */
#define XLSX_MAX_ROW 1048576L             /* Excel's last row */
#define XLSX_MAX_COL 16384L               /* Excel's last column, XFD */
#define XLSX_NS_SEP '|'                   /* expat: namespace URI and local name */
#define XLSX_MAX_PROLOG ((size_t)1 << 20) /* worksheet bytes before <sheetData> the scanner waits */
#define XLSX_MAX_NS ((size_t)4 << 10)     /* bytes of prefixes bound at <sheetData> it takes */
#define XLSX_SCAN_MAX_ITEM ((size_t)256 << 10) /* longest row it reads again as bytes arrive */

static const char XLSX_MSG_CORRUPT[] = "文件已损坏或不完整,无法作为xlsx读取";
static const char XLSX_MSG_RESAVE[] = "请用Excel或WPS另存后再导入";
/* r:id under the transitional and the strict namespace */
static const char XLSX_RID_T[] =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships|id";
static const char XLSX_RID_S[] = "http://purl.oclc.org/ooxml/officeDocument/relationships|id";

/* Relationship types the reader follows. */
enum { XLSX_R_OTHER = 0, XLSX_R_OFFICEDOC, XLSX_R_WORKSHEET, XLSX_R_SST };

/* One relationship of a .rels part. */
typedef struct _rel {
    char *id;     /* its Id */
    char *target; /* part name resolved against the source folder; NULL when external */
    int type;     /* XLSX_R_* */
} _rel;

/* One <sheet> of workbook.xml, in tab order. */
typedef struct _sheet_ref {
    char *name; /* the tab's name ("" when absent) */
    char *rid;  /* its relationship id (r:id) */
    int hidden; /* 0 visible, 1 state="hidden", 2 state="veryHidden" */
} _sheet_ref;

/* One worksheet the reader can read, in tab order. */
typedef struct _ws {
    int index;               /* position among the workbook's <sheet>s */
    char *name;              /* the tab's name */
    char *path;              /* part name of the worksheet */
    int hidden;              /* as _sheet_ref.hidden */
    unsigned long long comp; /* compressed size of the part (0 when unknown) */
} _ws;

/* Cell types as the t attribute gives them. */
enum {
    XLSX_T_NUM = 0,
    XLSX_T_SST,
    XLSX_T_STR,
    XLSX_T_INLINE,
    XLSX_T_BOOL,
    XLSX_T_ERR,
    XLSX_T_DATE
};

/* State common to every expat callback context; first member of each. */
typedef struct _ctx {
    tz_reader *r;     /* the reader, for its name and row */
    tz_diags *d;      /* where callbacks report errors */
    XML_Parser xp;    /* the parser the callbacks belong to */
    const char *what; /* Chinese name of the part ("工作表") */
    int failed;       /* a callback reported an error and stopped the parser */
    int depth;        /* elements open */
    size_t kept;      /* bytes of strings kept from the part (capped at XLSX_MAX_META) */
} _ctx;

typedef struct _xlsx _xlsx;

/* A .rels part: its relationships. */
typedef struct _rels_ctx {
    _ctx base;       /* common state */
    const char *dir; /* folder of the source part ("" or "xl/") */
    _rel *v;         /* relationships in document order, then sorted by id */
    size_t n;        /* relationships kept */
    size_t cap;      /* slots allocated */
} _rels_ctx;

/* workbook.xml: the sheets in tab order and the date system. */
typedef struct _wb_ctx {
    _ctx base;          /* common state */
    _sheet_ref *sheets; /* the <sheet> elements */
    size_t n;           /* sheets kept */
    size_t cap;         /* slots allocated */
    int in_sheets;      /* inside <sheets> */
    int date1904;       /* workbookPr date1904 is true */
    int seen_pr;        /* a <workbookPr> was met */
} _wb_ctx;

/* sharedStrings.xml: one string per <si>. */
typedef struct _sst_ctx {
    _ctx base;  /* common state */
    _xlsx *x;   /* receives the strings */
    int in_si;  /* inside <si> */
    int in_t;   /* inside a <t> that counts (not phonetic) */
    int in_rph; /* inside <rPh> (phonetic guide, skipped) */
    tz_buf cur; /* text of the current <si> */
} _sst_ctx;

/* The worksheet being streamed. */
typedef struct _sheet_ctx {
    _ctx base;      /* common state */
    _xlsx *x;       /* shared strings, sheet name */
    int data_depth; /* depth of the open <sheetData>, or 0 */
    int seen_data;  /* a <sheetData> was met */
    int row_depth;  /* depth of the open <row>, or 0 */
    int c_depth;    /* depth of the open <c>, or 0 */
    int in_v;       /* inside <v> */
    int in_is;      /* inside <is> */
    int in_t;       /* inside a <t> of <is> that counts */
    int in_rph;     /* inside <rPh> */
    int has_f;      /* the current cell has a formula (<f>) */
    int has_v;      /* the current cell has a <v> */
    int ctype;      /* XLSX_T_* of the current cell */
    long col;       /* 0-based column of the current cell */
    long lastcol;   /* column of the previous cell of the row, or -1 */
    long rowno;     /* number of the open row */
    long lastrow;   /* number of the previous row, or 0 */
    tz_buf text;    /* text of the current cell */
    int row_ready;  /* a </row> was reached (and expat suspended, when it reads) */
    int probe;      /* expat stops at <sheetData>, where the scanner may take over */
    int scanning;   /* the scanner, not expat, dispatches the callbacks */
} _sheet_ctx;

/* Who reads the worksheet now. */
enum {
    XLSX_M_EXPAT = 0, /* expat, to the end of the part */
    XLSX_M_PROBE,     /* expat, up to <sheetData>; the bytes it was given are kept */
    XLSX_M_SCAN       /* the scanner (xlsx_scan.c), from x->pos */
};

/* Where the byte scanner is: the markup construct being read. */
enum {
    XLSX_S_TEXT = 0, /* character data: may be handed over at any byte */
    XLSX_S_LT,       /* after '<' */
    XLSX_S_TAG,      /* in a tag, outside quotes */
    XLSX_S_DQ,       /* in a "quoted" attribute value */
    XLSX_S_SQ,       /* in a 'quoted' attribute value */
    XLSX_S_BANG,     /* after "<!" */
    XLSX_S_DASH,     /* after "<!-" */
    XLSX_S_COMMENT,  /* in a comment */
    XLSX_S_CDOPEN,   /* matching "[CDATA[" */
    XLSX_S_CDATA,    /* in a CDATA section */
    XLSX_S_PI,       /* in a processing instruction */
    XLSX_S_REF       /* in an entity or character reference */
};

/* Bytes of one part on their way to expat: whole markup constructs only. */
typedef tz__feed _feed;

struct _xlsx {
    zip_t *zip;                      /* the package */
    char *sst;                       /* shared strings, each NUL-terminated, back to back */
    size_t sst_len;                  /* bytes used in sst */
    size_t sst_cap;                  /* bytes allocated in sst */
    size_t *sst_off;                 /* offset of each string in sst */
    size_t sst_n;                    /* number of strings */
    size_t sst_offcap;               /* slots allocated in sst_off */
    _ws *ws;                         /* the worksheets, in tab order */
    size_t nws;                      /* worksheets in ws */
    size_t pick;                     /* the first visible one (read unless sheets are asked for) */
    long cur;                        /* the worksheet open now (index into ws), -1 none */
    int by_sheet;                    /* tz_reader_next_sheet was called */
    unsigned long long base;         /* compressed bytes of the worksheets before cur */
    const char *sheet_path;          /* part name of the worksheet open now */
    char sheet_label[TZ__CLIP_SIZE]; /* its tab name clipped for messages */
    zip_file_t *zf;                  /* the worksheet stream */
    tz__pump *pump;                  /* inflating zf on its own thread (a large one), or NULL */
    XML_Parser xp;                   /* the worksheet parser */
    _sheet_ctx sh;                   /* the worksheet callbacks' state */
    _feed feed;                      /* the worksheet's bytes on their way to expat */
    unsigned long long size;         /* declared unpacked size of the worksheet */
    int has_size;                    /* the zip directory declares size */
    unsigned long long comp;         /* compressed size of the worksheet */
    unsigned long long read;         /* unpacked bytes of the worksheet read so far */
    int suspended;                   /* the parser stopped at a </row> and must be resumed */
    int eof;                         /* the worksheet stream has no more bytes */
    int ended;                       /* expat was given the last of the worksheet */
    int failed;                      /* an error was reported; later calls fail at once */
    int mode;                        /* XLSX_M_* */
    unsigned long long fed_base;     /* offset in the part of feed.buf[0] (XLSX_M_PROBE) */
    tz_buf prolog;                   /* the bytes expat was given (XLSX_M_PROBE) */
    tz_buf ns;                       /* prefixes bound at <sheetData>, NUL-terminated */
    size_t pos;                      /* where the scanner goes on in feed.buf (XLSX_M_SCAN) */
    long lines;                      /* line feeds the scanner took from expat's view */
    tz__xscan sc;                    /* the scanner's callbacks and scratch */
};

static void _xlsx_free(void *impl)
{
    _xlsx *x = impl;
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    tz_buf_free(&x->sh.text);
    tz_buf_free(&x->prolog);
    tz_buf_free(&x->ns);
    tz__pump_stop(x->pump);
    if (x->zf)
        zip_fclose(x->zf);
    if (x->zip)
        zip_discard(x->zip);
    free(x->feed.buf);
    free(x->sst);
    free(x->sst_off);
    for (size_t i = 0; i < x->nws; i++) {
        free(x->ws[i].name);
        free(x->ws[i].path);
    }
    free(x->ws);
    free(x);
}

/* ---- small helpers ---- */

/* Returns the local part of an element name ("uri|row" gives "row"). */
static const char *_local(const char *name)
{
    const char *sep = strrchr(name, XLSX_NS_SEP);
    return sep ? sep + 1 : name;
}

/* Returns the value of the unprefixed attribute name, or NULL. */
static const char *_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Returns the value of the relationship id attribute (r:id in the
 * relationships namespace, transitional or strict), or NULL. */
static const char *_attr_rid(const char **atts)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], XLSX_RID_T) == 0 || strcmp(atts[i], XLSX_RID_S) == 0)
            return atts[i + 1];
    return NULL;
}

/* Returns 1 when s ends with suffix. */
static int _ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Clips s for a message into out (TZ__CLIP_SIZE bytes). */
static const char *_clip(const char *s, char *out)
{
    return tz__clip(s, out);
}

/* Reports an error from a callback and stops the parser for good. */
static void _cb_fail(_ctx *c)
{
    c->failed = 1;
    XML_StopParser(c->xp, XML_FALSE);
}

/* Reports an error (row, value may be 0/NULL; value is clipped) from a
 * callback and stops the parser. */
static void _cb_error(_ctx *c, long row, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void _cb_error(_ctx *c, long row, const char *value, const char *fmt, ...)
{
    tz_buf b = TZ_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tz_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tz_diags_error(c->d, c->r->name, row, NULL, value, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
    _cb_fail(c);
}

static void _cb_oom(_ctx *c)
{
    _cb_error(c, 0, NULL, "内存不足,无法读取");
}

/* Counts n more bytes kept from the part. Returns 0, or -1 after reporting
 * a part that asks to keep too much. */
static int _keep(_ctx *c, size_t n)
{
    c->kept += n;
    if (c->kept > XLSX_MAX_META) {
        _cb_error(c, 0, NULL, "%s过大(超过%zuMB),文件可能被篡改,%s", c->what, XLSX_MAX_META >> 20,
                  XLSX_MSG_RESAVE);
        return -1;
    }
    return 0;
}

/* Opens one element level with attributes atts. Returns 0, or -1 after
 * reporting nesting deeper, or more attributes on one element, than any real
 * xlsx has (each costs expat time; a flood of them would stall the read). */
static int _enter(_ctx *c, const XML_Char **atts)
{
    if (++c->depth > XLSX_MAX_DEPTH) {
        _cb_error(c, 0, NULL, "%s的XML嵌套超过%d层,文件已损坏或被篡改", c->what, XLSX_MAX_DEPTH);
        return -1;
    }
    size_t n = 0;
    while (n <= 2 * (size_t)XLSX_MAX_ATTS && atts[n])
        n += 2;
    if (n > 2 * (size_t)XLSX_MAX_ATTS) {
        _cb_error(c, 0, NULL, "%s中有元素的属性超过%d个,文件已损坏或被篡改", c->what,
                  XLSX_MAX_ATTS);
        return -1;
    }
    return 0;
}

/* OOXML never has a DTD; refusing one keeps entity tricks out. */
static void _doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                     int has_internal)
{
    _ctx *c = ud;
    _cb_error(c, 0, NULL, "%s含有DTD声明,不是有效的xlsx文件", c->what);
}

/* Creates a namespace-aware parser whose user data is c. Returns NULL on
 * OOM. */
static XML_Parser _parser_new(_ctx *c)
{
    XML_Parser xp = XML_ParserCreateNS("UTF-8", XLSX_NS_SEP);
    if (!xp)
        return NULL;
    XML_SetUserData(xp, c);
    XML_SetStartDoctypeDeclHandler(xp, _doctype);
    c->xp = xp;
    return xp;
}

/* Decodes OOXML _xHHHH_ escapes in s[0..n) in place (an escape never
 * grows); NUL and surrogates stay escaped. Returns the new length. */
static size_t _unescape(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
            unsigned v = 0;
            int ok = 1;
            for (size_t k = 2; k < 6; k++) {
                char h = s[i + k];
                v <<= 4;
                if (h >= '0' && h <= '9')
                    v |= (unsigned)(h - '0');
                else if (h >= 'a' && h <= 'f')
                    v |= (unsigned)(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    v |= (unsigned)(h - 'A' + 10);
                else
                    ok = 0;
            }
            if (ok && v != 0 && (v < 0xD800 || v > 0xDFFF)) {
                o += tz_utf8_encode((long)v, s + o); /* at most 3 bytes for 7 read */
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* Appends n bytes of character data to b, capped at one cell. Returns 0, or
 * -1 after reporting through c. */
static int _text_add(_ctx *c, tz_buf *b, const char *s, int n)
{
    if (b->len + (size_t)n > TZ_READER_MAX_CELL) {
        _cb_error(c, c->r->row.rowno, NULL, "%s中有单元格内容超过%zuKB,无法读取", c->what,
                  TZ_READER_MAX_CELL >> 10);
        return -1;
    }
    if (tz_buf_add(b, s, (size_t)n)) {
        _cb_oom(c);
        return -1;
    }
    return 0;
}

/* Normalises the path s in place: empty and "." segments dropped, ".."
 * removes the segment before it (never above the root), as RFC 3986 does. */
static void _dot_segments(char *s)
{
    size_t o = 0;
    char *p = s;
    while (*p) {
        size_t n = 0; /* the segment's length, up to a '/' or the end */
        while (p[n] && p[n] != '/')
            n++;
        int slash = p[n] == '/';
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* skip empty and "." segments */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && s[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
            while (o > 0 && s[o - 1] != '/')
                o--;
        } else {
            memmove(s + o, p, n);
            o += n;
            if (slash)
                s[o++] = '/';
        }
        p += n + (slash ? 1 : 0);
    }
    s[o] = '\0';
}

/* Resolves a relationship target against dir (the source part's folder,
 * "" for the package root, else ending in '/') into a part name without a
 * leading slash: "/x" is absolute, anything else relative. Returns a new
 * string or NULL on OOM. */
static char *_resolve(const char *dir, const char *target)
{
    tz_buf in = TZ_BUF_INIT;
    if (target[0] == '/') {
        if (tz_buf_puts(&in, target + 1))
            return NULL;
    } else if (tz_buf_puts(&in, dir) || tz_buf_puts(&in, target))
        return NULL;
    char *s = tz_buf_take(&in);
    if (s)
        _dot_segments(s);
    return s;
}

/* ---- feeding expat whole constructs ---- */

/* Advances the scanner of f over buf[from..len); f->start follows the
 * beginning of the construct that is still open. One switch over the
 * states, each a few lines: it stays one function so the whole state
 * machine can be read (and checked) in one place. Shared with the HTML and
 * SpreadsheetML backends (reader_impl.h). */
void tz__feed_scan(_feed *f, size_t from)
{
    static const char cdata[] = "[CDATA[";
    for (size_t i = from; i < f->len; i++) {
        char ch = f->buf[i];
        switch (f->state) {
        case XLSX_S_TEXT:
            if (ch == '<' || ch == '&') {
                f->state = ch == '<' ? XLSX_S_LT : XLSX_S_REF;
                f->start = i;
            }
            break;
        case XLSX_S_REF:
            if (ch == ';')
                f->state = XLSX_S_TEXT;
            else if (ch == '<') {
                f->state = XLSX_S_LT;
                f->start = i;
            }
            break;
        case XLSX_S_LT:
            if (ch == '!')
                f->state = XLSX_S_BANG;
            else if (ch == '?') {
                f->state = XLSX_S_PI;
                f->run = 0;
            } else
                f->state = ch == '>'    ? XLSX_S_TEXT
                           : ch == '"'  ? XLSX_S_DQ
                           : ch == '\'' ? XLSX_S_SQ
                                        : XLSX_S_TAG;
            break;
        case XLSX_S_TAG:
            if (ch == '>')
                f->state = XLSX_S_TEXT;
            else if (ch == '"')
                f->state = XLSX_S_DQ;
            else if (ch == '\'')
                f->state = XLSX_S_SQ;
            break;
        case XLSX_S_DQ:
            if (ch == '"')
                f->state = XLSX_S_TAG;
            break;
        case XLSX_S_SQ:
            if (ch == '\'')
                f->state = XLSX_S_TAG;
            break;
        case XLSX_S_BANG:
            if (ch == '-')
                f->state = XLSX_S_DASH;
            else if (ch == '[') {
                f->state = XLSX_S_CDOPEN;
                f->run = 1;
            } else
                f->state = ch == '>' ? XLSX_S_TEXT : XLSX_S_TAG;
            break;
        case XLSX_S_DASH:
            f->run = 0;
            f->state = ch == '-' ? XLSX_S_COMMENT : ch == '>' ? XLSX_S_TEXT : XLSX_S_TAG;
            break;
        case XLSX_S_COMMENT:
            if (ch == '>' && f->run >= 2)
                f->state = XLSX_S_TEXT;
            f->run = ch == '-' ? f->run + 1 : 0;
            break;
        case XLSX_S_CDOPEN:
            if (ch == cdata[f->run]) {
                if (++f->run == (int)sizeof cdata - 1) {
                    f->state = XLSX_S_CDATA;
                    f->run = 0;
                }
            } else
                f->state = ch == '>' ? XLSX_S_TEXT : XLSX_S_TAG;
            break;
        case XLSX_S_CDATA:
            if (ch == '>' && f->run >= 2)
                f->state = XLSX_S_TEXT;
            f->run = ch == ']' ? f->run + 1 : 0;
            break;
        case XLSX_S_PI:
            if (ch == '>' && f->run)
                f->state = XLSX_S_TEXT;
            f->run = ch == '?';
            break;
        default:
            break;
        }
    }
}

size_t tz__feed_safe(const _feed *f, int eof)
{
    return eof || f->state == XLSX_S_TEXT ? f->len : f->start;
}

/* Reads the next chunk of zf (through pump when not NULL) behind the bytes
 * f holds. Returns the bytes read (0 at the end of the part) or -1
 * (corrupt; reported). Unless scan is
 * 0 (the worksheet scanner reads them), the new bytes go through the
 * construct scanner, and *safe gets how many bytes at f->buf may go to
 * expat now: everything at the end of the part, else everything before a
 * construct still open. */
static zip_int64_t _feed_read(tz_reader *r, _feed *f, zip_file_t *zf, tz__pump *pump, size_t *safe,
                              int scan, tz_diags *d)
{
    if (f->cap - f->len < XLSX_CHUNK) {
        size_t ncap = f->cap ? f->cap * 2 : XLSX_CHUNK * 2;
        if (ncap < f->len + XLSX_CHUNK)
            ncap = f->len + XLSX_CHUNK;
        char *nb = realloc(f->buf, ncap);
        if (!nb) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
            return -1;
        }
        f->buf = nb;
        f->cap = ncap;
    }
    zip_int64_t n =
        pump ? tz__pump_read(pump, f->buf + f->len) : zip_fread(zf, f->buf + f->len, XLSX_CHUNK);
    if (n < 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "%s", XLSX_MSG_CORRUPT);
        return -1;
    }
    size_t from = f->len;
    f->len += (size_t)n;
    if (scan)
        tz__feed_scan(f, from);
    *safe = tz__feed_safe(f, n == 0);
    return n;
}

/* Drops the first used bytes of f (expat has them). Returns 0, or -1 after
 * reporting a construct longer than XLSX_MAX_TOKEN. */
static int _feed_consume(tz_reader *r, _feed *f, size_t used, const char *what, tz_diags *d)
{
    if (used) {
        memmove(f->buf, f->buf + used, f->len - used);
        f->len -= used;
        f->start -= f->start >= used ? used : f->start;
    }
    if (f->len > XLSX_MAX_TOKEN) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "%s中有超过%zuMB的XML标记没有结束,文件已损坏或被篡改,已拒绝读取", what,
                       XLSX_MAX_TOKEN >> 20);
        return -1;
    }
    return 0;
}

/* ---- reading parts ---- */

/* Reports the package as corrupt. */
static void _corrupt(tz_reader *r, tz_diags *d)
{
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s", XLSX_MSG_CORRUPT);
}

/* Reports a part that unpacks past the limit. */
static void _bomb(tz_reader *r, const char *what, tz_diags *d)
{
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s解压后超过%lluGB,疑似压缩炸弹,已拒绝读取", what,
                   TZ_XLSX_MAX_UNPACKED >> 30);
}

/* Reports a part that unpacks to more than its declared size. */
static void _liar(tz_reader *r, const char *what, tz_diags *d)
{
    tz_diags_error(d, r->name, 0, NULL, NULL,
                   "%s解压后的大小超过文件目录中声明的大小,文件已损坏或是压缩炸弹,已拒绝读取",
                   what);
}

/* Opens the part named exactly name for reading after checking its
 * declared size and compression. Returns 1 with *zf (and *st) set, 0 when
 * the part does not exist, or -1 with an error added to d. */
static int _part_open(tz_reader *r, _xlsx *x, const char *name, const char *what, zip_file_t **zf,
                      zip_stat_t *st, tz_diags *d)
{
    *zf = NULL;
    zip_int64_t idx = zip_name_locate(x->zip, name, 0);
    if (idx < 0)
        return 0;
    zip_stat_init(st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, st) != 0) {
        _corrupt(r, d);
        return -1;
    }
    if ((st->valid & ZIP_STAT_SIZE) && st->size > TZ_XLSX_MAX_UNPACKED) {
        _bomb(r, what, d);
        return -1;
    }
    if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "文件已加密,请在Excel中去掉密码后重试");
        return -1;
    }
    if ((st->valid & ZIP_STAT_COMP_METHOD) && st->comp_method != ZIP_CM_STORE &&
        st->comp_method != ZIP_CM_DEFLATE) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "%s使用了Excel不用的压缩方式(%d),无法读取,%s",
                       what, (int)st->comp_method, XLSX_MSG_RESAVE);
        return -1;
    }
    *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!*zf) {
        _corrupt(r, d);
        return -1;
    }
    return 1;
}

/* Reports an expat error of part (named name) with its line; lines is the
 * line feeds of the part expat was not given (the worksheet scanner took
 * them). */
static void _xml_error(tz_reader *r, XML_Parser xp, const char *what, const char *name, long lines,
                       tz_diags *d)
{
    char v[TZ__CLIP_SIZE];
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s(%s)第%lu行XML格式错误: %s,文件已损坏", what,
                   _clip(name, v),
                   (unsigned long)XML_GetCurrentLineNumber(xp) + (unsigned long)lines,
                   XML_ErrorString(XML_GetErrorCode(xp)));
}

/* Parses the whole part name with c->xp. Returns 1 when parsed, 0 when the
 * part does not exist, -1 with an error added to d. */
static int _parse_part(tz_reader *r, _xlsx *x, const char *name, _ctx *c, tz_diags *d)
{
    zip_file_t *zf = NULL;
    zip_stat_t st;
    _feed f;
    memset(&f, 0, sizeof f);
    int rc = _part_open(r, x, name, c->what, &zf, &st, d);
    if (rc <= 0)
        return rc;
    rc = -1;
    /* a large part (a big workbook's shared strings) is inflated on a
     * thread of its own while expat parses */
    tz__pump *pump = (st.valid & ZIP_STAT_SIZE) && st.size >= XLSX_PUMP_MIN
                         ? tz__pump_start(zf, XLSX_CHUNK)
                         : NULL;
    unsigned long long total = 0;
    for (;;) {
        size_t safe;
        zip_int64_t n = _feed_read(r, &f, zf, pump, &safe, 1, d);
        if (n < 0)
            goto done;
        total += (unsigned long long)n;
        if (total > TZ_XLSX_MAX_UNPACKED) {
            _bomb(r, c->what, d);
            goto done;
        }
        if ((st.valid & ZIP_STAT_SIZE) && total > st.size) {
            _liar(r, c->what, d);
            goto done;
        }
        int final = n == 0;
        if ((safe || final) && XML_Parse(c->xp, f.buf, (int)safe, final) != XML_STATUS_OK) {
            if (!c->failed)
                _xml_error(r, c->xp, c->what, name, 0, d);
            goto done;
        }
        if (c->failed || _feed_consume(r, &f, safe, c->what, d))
            goto done;
        if (final)
            break;
    }
    rc = 1;
done:
    tz__pump_stop(pump); /* before zf closes: the thread reads it */
    free(f.buf);
    zip_fclose(zf);
    return rc;
}

/* ---- duplicate part names ---- */

/* One zip entry under its normalised name. */
typedef struct _entry {
    char *norm;       /* normalised name */
    zip_uint64_t idx; /* index in the zip directory */
} _entry;

static int _entry_cmp(const void *a, const void *b)
{
    return strcmp(((const _entry *)a)->norm, ((const _entry *)b)->norm);
}

static int _hexval(char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    if (h >= 'A' && h <= 'F')
        return h - 'A' + 10;
    return -1;
}

/* Returns the name under which any reader could take the entry name:
 * '\' as '/', %XX decoded, ASCII lower case, "." and ".." segments and a
 * leading "/" resolved. A new string, or NULL on OOM. */
static char *_norm_name(const char *name)
{
    size_t n = strlen(name);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (ch == '%' && i + 2 < n && _hexval(name[i + 1]) >= 0 && _hexval(name[i + 2]) >= 0) {
            ch = (char)(_hexval(name[i + 1]) << 4 | _hexval(name[i + 2]));
            i += 2;
        }
        if (ch == '\\')
            ch = '/';
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        s[o++] = ch;
    }
    s[o] = '\0';
    _dot_segments(s);
    return s;
}

/* Refuses a package whose directory names one part twice, also under
 * another spelling of the same name. Returns 0 or -1 with an error. */
static int _check_names(tz_reader *r, _xlsx *x, tz_diags *d)
{
    int rc = -1;
    zip_int64_t n = zip_get_num_entries(x->zip, 0);
    _entry *v = NULL;
    size_t got = 0;
    if (n < 0) {
        _corrupt(r, d);
        return -1;
    }
    if (n == 0)
        return 0;
    v = calloc((size_t)n, sizeof *v);
    if (!v)
        goto oom;
    for (zip_uint64_t i = 0; i < (zip_uint64_t)n; i++) {
        const char *name = zip_get_name(x->zip, i, 0);
        if (!name) {
            _corrupt(r, d);
            goto done;
        }
        v[got].idx = i;
        if (!(v[got].norm = _norm_name(name)))
            goto oom;
        got++;
    }
    qsort(v, got, sizeof *v, _entry_cmp);
    for (size_t i = 1; i < got; i++) {
        if (strcmp(v[i - 1].norm, v[i].norm) == 0) {
            char a[TZ__CLIP_SIZE], b[TZ__CLIP_SIZE];
            zip_uint64_t i1 = v[i - 1].idx < v[i].idx ? v[i - 1].idx : v[i].idx;
            zip_uint64_t i2 = v[i - 1].idx < v[i].idx ? v[i].idx : v[i - 1].idx;
            tz_diags_error(d, r->name, 0, NULL, NULL,
                           "文件中有重复的部件(\"%s\"与\"%s\"),可能被篡改,%s",
                           _clip(zip_get_name(x->zip, i1, 0), a),
                           _clip(zip_get_name(x->zip, i2, 0), b), XLSX_MSG_RESAVE);
            goto done;
        }
    }
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
done:
    for (size_t i = 0; i < got; i++)
        free(v[i].norm);
    free(v);
    return rc;
}

/* ---- .rels parts ---- */

static void _rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _rels_ctx *rc = ud;
    if (_enter(&rc->base, atts) || strcmp(_local(name), "Relationship") != 0)
        return;
    const char *id = _attr(atts, "Id");
    const char *type = _attr(atts, "Type");
    const char *target = _attr(atts, "Target");
    const char *mode = _attr(atts, "TargetMode");
    if (!id || !type || !target) {
        _cb_error(&rc->base, 0, NULL, "%s中有缺少Id、Type或Target的关系,文件已损坏,%s",
                  rc->base.what, XLSX_MSG_RESAVE);
        return;
    }
    if (_keep(&rc->base, sizeof(_rel) + strlen(id) + strlen(target) + 2))
        return;
    if (rc->n == rc->cap) {
        size_t ncap = rc->cap ? rc->cap * 2 : 16;
        _rel *nv = realloc(rc->v, ncap * sizeof *nv);
        if (!nv)
            goto oom;
        rc->v = nv;
        rc->cap = ncap;
    }
    _rel *rel = &rc->v[rc->n];
    rel->type = _ends_with(type, "/officeDocument")  ? XLSX_R_OFFICEDOC
                : _ends_with(type, "/worksheet")     ? XLSX_R_WORKSHEET
                : _ends_with(type, "/sharedStrings") ? XLSX_R_SST
                                                     : XLSX_R_OTHER;
    rel->target = NULL;
    rel->id = strdup(id);
    if (!rel->id)
        goto oom;
    if (!(mode && strcmp(mode, "External") == 0) && !(rel->target = _resolve(rc->dir, target))) {
        free(rel->id);
        goto oom;
    }
    rc->n++;
    return;
oom:
    _cb_oom(&rc->base);
}

static void _any_end(void *ud, const XML_Char *name)
{
    _ctx *c = ud;
    c->depth--;
}

static int _rel_cmp(const void *a, const void *b)
{
    return strcmp(((const _rel *)a)->id, ((const _rel *)b)->id);
}

static void _rels_fini(_rels_ctx *rc)
{
    for (size_t i = 0; i < rc->n; i++) {
        free(rc->v[i].id);
        free(rc->v[i].target);
    }
    free(rc->v);
    if (rc->base.xp)
        XML_ParserFree(rc->base.xp);
}

/* Reads the relationship part name whose source folder is dir into rc
 * (memset to 0 by the caller). Returns 0, or -1 with an error (a missing
 * part is one). */
static int _rels_load(tz_reader *r, _xlsx *x, _rels_ctx *rc, const char *name, const char *dir,
                      const char *what, tz_diags *d)
{
    rc->base = (_ctx){r, d, NULL, what, 0, 0, 0};
    rc->dir = dir;
    if (!_parser_new(&rc->base)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    XML_SetElementHandler(rc->base.xp, _rels_start, _any_end);
    int got = _parse_part(r, x, name, &rc->base, d);
    if (got < 0)
        return -1;
    if (got == 0) {
        char v[TZ__CLIP_SIZE];
        tz_diags_error(d, r->name, 0, NULL, NULL, "找不到%s(%s),不是完整的xlsx文件,%s", what,
                       _clip(name, v), XLSX_MSG_RESAVE);
        return -1;
    }
    if (rc->n)
        qsort(rc->v, rc->n, sizeof *rc->v, _rel_cmp);
    for (size_t i = 1; i < rc->n; i++) {
        if (strcmp(rc->v[i - 1].id, rc->v[i].id) == 0) {
            char v[TZ__CLIP_SIZE];
            tz_diags_error(d, r->name, 0, NULL, NULL,
                           "%s中关系编号\"%s\"出现了两次,无法确定指向哪个部件,可能被篡改,%s", what,
                           _clip(rc->v[i].id, v), XLSX_MSG_RESAVE);
            return -1;
        }
    }
    return 0;
}

/* Returns the only relationship of type in rc, or NULL after reporting
 * none (when required) or several. *err is set on error. */
static const _rel *_rels_only(tz_reader *r, const _rels_ctx *rc, int type, int required,
                              const char *thing, int *err, tz_diags *d)
{
    const _rel *hit = NULL;
    *err = 0;
    for (size_t i = 0; i < rc->n; i++) {
        if (rc->v[i].type != type)
            continue;
        if (hit) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "%s中有多个%s,无法确定读哪一个,可能被篡改,%s",
                           rc->base.what, thing, XLSX_MSG_RESAVE);
            *err = 1;
            return NULL;
        }
        hit = &rc->v[i];
    }
    if (!hit && required) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "%s中没有%s,不是有效的xlsx文件,%s", rc->base.what,
                       thing, XLSX_MSG_RESAVE);
        *err = 1;
    } else if (hit && !hit->target) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "%s中的%s指向外部文件,无法读取,%s", rc->base.what,
                       thing, XLSX_MSG_RESAVE);
        *err = 1;
        return NULL;
    }
    return hit;
}

/* ---- workbook.xml ---- */

static void _wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _wb_ctx *w = ud;
    if (_enter(&w->base, atts))
        return;
    const char *ln = _local(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *v = _attr(atts, "date1904");
        if (w->seen_pr) {
            _cb_error(&w->base, 0, NULL, "工作簿目录中有多个workbookPr,文件可能被篡改,%s",
                      XLSX_MSG_RESAVE);
            return;
        }
        w->seen_pr = 1;
        if (!v || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
            w->date1904 = 0;
        else if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
            w->date1904 = 1;
        else
            _cb_error(&w->base, 0, v, "工作簿的日期系统设置(date1904)无法识别,%s", XLSX_MSG_RESAVE);
        return;
    }
    if (strcmp(ln, "sheets") == 0) {
        w->in_sheets = 1;
        return;
    }
    if (!w->in_sheets || strcmp(ln, "sheet") != 0)
        return;
    const char *rid = _attr_rid(atts);
    const char *sname = _attr(atts, "name");
    const char *state = _attr(atts, "state");
    if (!sname)
        sname = "";
    if (!rid) {
        _cb_error(&w->base, 0, sname, "工作簿目录中这个工作表没有关系编号(r:id),文件已损坏,%s",
                  XLSX_MSG_RESAVE);
        return;
    }
    if (_keep(&w->base, sizeof(_sheet_ref) + strlen(rid) + strlen(sname) + 2))
        return;
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 8;
        _sheet_ref *ns = realloc(w->sheets, ncap * sizeof *ns);
        if (!ns)
            goto oom;
        w->sheets = ns;
        w->cap = ncap;
    }
    _sheet_ref *s = &w->sheets[w->n];
    s->rid = strdup(rid);
    s->name = strdup(sname);
    s->hidden = !state                             ? 0
                : strcmp(state, "veryHidden") == 0 ? 2
                : strcmp(state, "hidden") == 0     ? 1
                                                   : 0;
    if (!s->rid || !s->name) {
        free(s->rid);
        free(s->name);
        goto oom;
    }
    w->n++;
    return;
oom:
    _cb_oom(&w->base);
}

static void _wb_end(void *ud, const XML_Char *name)
{
    _wb_ctx *w = ud;
    w->base.depth--;
    if (strcmp(_local(name), "sheets") == 0)
        w->in_sheets = 0;
}

/* ---- sharedStrings.xml ---- */

/* Appends the string s[0..n) to the table. Returns 0 or -1 (over the cap or
 * out of memory; *over tells which). */
static int _sst_push(_xlsx *x, const char *s, size_t n, int *over)
{
    *over = 0;
    if (x->sst_n == x->sst_offcap) {
        size_t ncap = x->sst_offcap ? x->sst_offcap * 2 : 256;
        if (x->sst_cap + ncap * sizeof(size_t) > TZ_XLSX_MAX_SST) {
            *over = 1;
            return -1;
        }
        size_t *no = realloc(x->sst_off, ncap * sizeof *no);
        if (!no)
            return -1;
        x->sst_off = no;
        x->sst_offcap = ncap;
    }
    if (x->sst_len + n + 1 > x->sst_cap) {
        size_t ncap = x->sst_cap ? x->sst_cap : 4096;
        while (ncap < x->sst_len + n + 1)
            ncap *= 2;
        size_t limit = TZ_XLSX_MAX_SST - x->sst_offcap * sizeof(size_t);
        if (ncap > limit)
            ncap = limit;
        if (ncap < x->sst_len + n + 1) {
            *over = 1;
            return -1;
        }
        char *ns = realloc(x->sst, ncap);
        if (!ns)
            return -1;
        x->sst = ns;
        x->sst_cap = ncap;
    }
    x->sst_off[x->sst_n++] = x->sst_len;
    memcpy(x->sst + x->sst_len, s, n);
    x->sst_len += n;
    x->sst[x->sst_len++] = '\0';
    return 0;
}

static void _sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _sst_ctx *s = ud;
    if (_enter(&s->base, atts))
        return;
    const char *ln = _local(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = 1;
        s->cur.len = 0;
    } else if (strcmp(ln, "rPh") == 0)
        s->in_rph = 1;
    else if (strcmp(ln, "t") == 0 && s->in_si && !s->in_rph)
        s->in_t = 1;
}

static void _sst_end(void *ud, const XML_Char *name)
{
    _sst_ctx *s = ud;
    s->base.depth--;
    const char *ln = _local(name);
    if (strcmp(ln, "t") == 0)
        s->in_t = 0;
    else if (strcmp(ln, "rPh") == 0)
        s->in_rph = 0;
    else if (strcmp(ln, "si") == 0 && s->in_si) {
        s->in_si = 0;
        size_t n = s->cur.len ? _unescape(s->cur.data, s->cur.len) : 0;
        int over;
        if (_sst_push(s->x, tz_buf_str(&s->cur), n, &over)) {
            if (over)
                _cb_error(&s->base, 0, NULL, "共享字符串表超过%zuMB,无法读取",
                          TZ_XLSX_MAX_SST >> 20);
            else
                _cb_oom(&s->base);
        }
        s->cur.len = 0;
    }
}

static void _sst_text(void *ud, const XML_Char *txt, int len)
{
    _sst_ctx *s = ud;
    if (s->in_t)
        _text_add(&s->base, &s->cur, txt, len);
}

/* ---- the worksheet ---- */

/* Parses a row number: 1 to 1048576, digits only, no leading zero.
 * Returns it, or -1. */
static long _parse_rownum(const char *s)
{
    if (*s < '1' || *s > '9')
        return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > XLSX_MAX_ROW)
            return -1;
    }
    return v;
}

/* Parses a cell reference "C5" (column letters A..XFD in either case, then
 * a row number as _parse_rownum takes it). Returns 0 with *col (0-based)
 * and *row set, or -1. */
static int _parse_ref(const char *ref, long *col, long *row)
{
    long c = 0;
    int k = 0;
    for (; k < 3; k++) {
        char ch = ref[k];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            break;
        c = c * 26 + (ch - 'A' + 1);
    }
    if (k == 0 || c > XLSX_MAX_COL)
        return -1;
    long rw = _parse_rownum(ref + k);
    if (rw < 0)
        return -1;
    *col = c - 1;
    *row = rw;
    return 0;
}

/* Writes the reference of 0-based column col in row into buf (16 bytes). */
static const char *_ref_name(long col, long row, char *buf)
{
    char letters[8];
    snprintf(buf, 16, "%.3s%ld", tz_col_letters(col < 0 ? 0 : (size_t)col, letters), row);
    return buf;
}

/* Reports a broken sheet structure (an element where it cannot be). */
static void _sh_misplaced(_sheet_ctx *s, const char *ln)
{
    char v[TZ__CLIP_SIZE];
    _cb_error(&s->base, s->row_depth ? s->rowno : 0, NULL,
              "工作表\"%s\"的结构错误: <%s>出现在不该出现的位置,文件已损坏或被篡改,%s",
              s->x->sheet_label, _clip(ln, v), XLSX_MSG_RESAVE);
}

/* Starts a <row>. Returns 0 or -1 (reported). */
static int _sh_row(_sheet_ctx *s, const char **atts)
{
    const char *sheet = s->x->sheet_label;
    const char *rv = _attr(atts, "r");
    long no;
    if (rv) {
        no = _parse_rownum(rv);
        if (no < 0) {
            _cb_error(&s->base, 0, rv,
                      "工作表\"%s\"的行号超出Excel的范围或无法识别(应为1到1048576),"
                      "文件可能被篡改,已拒绝导入",
                      sheet);
            return -1;
        }
        if (no <= s->lastrow) {
            _cb_error(&s->base, no, NULL,
                      "工作表\"%s\"的第%ld行出现在第%ld行之后(行的顺序颠倒或重复),"
                      "文件可能被篡改,已拒绝导入",
                      sheet, no, s->lastrow);
            return -1;
        }
    } else {
        no = s->lastrow + 1;
        if (no > XLSX_MAX_ROW) {
            _cb_error(&s->base, 0, NULL,
                      "工作表\"%s\"的行超出了Excel的最后一行1048576,文件可能被篡改,已拒绝导入",
                      sheet);
            return -1;
        }
    }
    s->lastrow = s->rowno = no;
    s->lastcol = -1;
    tz__row_begin(s->base.r, no);
    return 0;
}

/* Starts a <c>. Returns 0 or -1 (reported). */
static int _sh_cell_start(_sheet_ctx *s, const char **atts)
{
    char here[16];
    const char *sheet = s->x->sheet_label;
    const char *ref = NULL, *t = NULL; /* r and t, in one pass: this runs for every cell */
    for (size_t i = 0; atts[i]; i += 2)
        if ((atts[i][0] == 'r' || atts[i][0] == 't') && !atts[i][1])
            *(atts[i][0] == 'r' ? &ref : &t) = atts[i + 1];
    long col;
    if (ref) {
        long rw;
        if (_parse_ref(ref, &col, &rw)) {
            _cb_error(&s->base, s->rowno, ref,
                      "工作表\"%s\"的单元格引用超出Excel的范围或无法识别"
                      "(列最多到XFD,行最多到1048576),文件可能被篡改,已拒绝导入",
                      sheet);
            return -1;
        }
        if (rw != s->rowno) {
            _cb_error(&s->base, s->rowno, ref,
                      "工作表\"%s\"的这个单元格不属于它所在的第%ld行,文件可能被篡改,已拒绝导入",
                      sheet, s->rowno);
            return -1;
        }
        if (col <= s->lastcol) {
            char prev[16];
            _cb_error(&s->base, s->rowno, ref,
                      "工作表\"%s\"的单元格排在同一行的%s之后(顺序颠倒或重复),"
                      "文件可能被篡改,已拒绝导入",
                      sheet, _ref_name(s->lastcol, s->rowno, prev));
            return -1;
        }
    } else {
        col = s->lastcol + 1;
        if (col >= XLSX_MAX_COL) {
            _cb_error(&s->base, s->rowno, NULL,
                      "工作表\"%s\"第%ld行的单元格超出了Excel的最后一列XFD,文件可能被篡改,"
                      "已拒绝导入",
                      sheet, s->rowno);
            return -1;
        }
    }
    s->col = s->lastcol = col;
    s->in_v = s->in_is = s->in_t = s->in_rph = s->has_f = s->has_v = 0;
    s->text.len = 0;
    if (!t || strcmp(t, "n") == 0)
        s->ctype = XLSX_T_NUM;
    else if (strcmp(t, "s") == 0)
        s->ctype = XLSX_T_SST;
    else if (strcmp(t, "str") == 0)
        s->ctype = XLSX_T_STR;
    else if (strcmp(t, "inlineStr") == 0)
        s->ctype = XLSX_T_INLINE;
    else if (strcmp(t, "b") == 0)
        s->ctype = XLSX_T_BOOL;
    else if (strcmp(t, "e") == 0)
        s->ctype = XLSX_T_ERR;
    else if (strcmp(t, "d") == 0)
        s->ctype = XLSX_T_DATE;
    else {
        _cb_error(&s->base, s->rowno, t, "工作表\"%s\"单元格%s的类型无法识别,文件已损坏或被篡改,%s",
                  sheet, _ref_name(col, s->rowno, here), XLSX_MSG_RESAVE);
        return -1;
    }
    return 0;
}

/* The worksheet elements the callbacks tell apart. */
enum {
    XLSX_E_OTHER = 0,
    XLSX_E_SHEETDATA,
    XLSX_E_ROW,
    XLSX_E_C,
    XLSX_E_V,
    XLSX_E_F,
    XLSX_E_IS,
    XLSX_E_T,
    XLSX_E_RPH
};

/* Which of them the element named name is (its local name decides; the
 * scanner hands local names already, expat "uri|local"). */
static int _sh_elem(const _sheet_ctx *s, const char *name)
{
    const char *ln = s->scanning ? name : _local(name);
    switch (ln[0]) {
    case 'c':
        return ln[1] ? XLSX_E_OTHER : XLSX_E_C;
    case 'v':
        return ln[1] ? XLSX_E_OTHER : XLSX_E_V;
    case 't':
        return ln[1] ? XLSX_E_OTHER : XLSX_E_T;
    case 'f':
        return ln[1] ? XLSX_E_OTHER : XLSX_E_F;
    case 'i':
        return strcmp(ln, "is") == 0 ? XLSX_E_IS : XLSX_E_OTHER;
    case 'r':
        return strcmp(ln, "row") == 0   ? XLSX_E_ROW
               : strcmp(ln, "rPh") == 0 ? XLSX_E_RPH
                                        : XLSX_E_OTHER;
    case 's':
        return strcmp(ln, "sheetData") == 0 ? XLSX_E_SHEETDATA : XLSX_E_OTHER;
    default:
        return XLSX_E_OTHER;
    }
}

static void _sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _sheet_ctx *s = ud;
    if (_enter(&s->base, atts))
        return;
    int dep = s->base.depth;
    int e = _sh_elem(s, name);
    if (!s->data_depth) {
        if (e == XLSX_E_SHEETDATA) {
            if (s->seen_data) {
                _sh_misplaced(s, _local(name));
                return;
            }
            s->seen_data = 1;
            s->data_depth = dep;
            if (s->probe) /* the rows may be the scanner's (_scan_begin) */
                XML_StopParser(s->base.xp, XML_TRUE);
        }
        return;
    }
    if (dep == s->data_depth + 1) {
        if (e != XLSX_E_ROW) {
            _sh_misplaced(s, _local(name));
            return;
        }
        if (_sh_row(s, atts) == 0)
            s->row_depth = dep;
        return;
    }
    if (e == XLSX_E_ROW || e == XLSX_E_SHEETDATA) {
        _sh_misplaced(s, _local(name));
        return;
    }
    if (e == XLSX_E_C) {
        if (dep != s->row_depth + 1) {
            _sh_misplaced(s, _local(name));
            return;
        }
        if (_sh_cell_start(s, atts) == 0)
            s->c_depth = dep;
        return;
    }
    if (!s->c_depth)
        return; /* extLst and the like inside a row */
    if (dep == s->c_depth + 1) {
        if (e == XLSX_E_V) {
            if (s->has_v) {
                char here[16];
                _cb_error(&s->base, s->rowno, NULL,
                          "工作表\"%s\"单元格%s有多个值,文件已损坏或被篡改,%s", s->x->sheet_label,
                          _ref_name(s->col, s->rowno, here), XLSX_MSG_RESAVE);
                return;
            }
            s->in_v = s->has_v = 1;
        } else if (e == XLSX_E_F)
            s->has_f = 1;
        else if (e == XLSX_E_IS)
            s->in_is = 1;
    } else if (s->in_is) {
        if (e == XLSX_E_RPH)
            s->in_rph = 1;
        else if (e == XLSX_E_T && !s->in_rph)
            s->in_t = 1;
    }
}

/* Places the finished cell into the row with its kind. */
static void _sh_cell(_sheet_ctx *s)
{
    tz_reader *r = s->base.r;
    char *text = s->text.data;
    size_t len = s->text.len;
    int kind = TZ_CELL_TEXT;
    if (len == 0) {
        /* A formula whose result was never saved. A string formula with an
         * (empty) <v> did compute "", which is an empty cell. */
        if (s->has_f && !(s->ctype == XLSX_T_STR && s->has_v)) {
            if (tz__row_set(r, (size_t)s->col, "", 0, TZ_CELL_NOVALUE, s->base.d))
                _cb_fail(&s->base);
        }
        return; /* an empty cell: the gap filler gives "" */
    }
    switch (s->ctype) {
    case XLSX_T_SST: {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(text, &end, 10);
        if (errno || end == text || *end || text[0] == '-' || i >= s->x->sst_n) {
            _cb_error(&s->base, r->row.rowno, text, "第%ld列引用的共享字符串不存在,文件已损坏",
                      s->col + 1);
            return;
        }
        size_t off = s->x->sst_off[i];
        size_t next = i + 1 < s->x->sst_n ? s->x->sst_off[i + 1] : s->x->sst_len;
        if (tz__row_set(r, (size_t)s->col, s->x->sst + off, next - off - 1, TZ_CELL_TEXT,
                        s->base.d))
            _cb_fail(&s->base);
        return;
    }
    case XLSX_T_INLINE:
    case XLSX_T_STR:
        len = _unescape(text, len);
        break;
    case XLSX_T_NUM:
    case XLSX_T_BOOL:
        kind = TZ_CELL_NUMBER;
        break;
    case XLSX_T_ERR:
        kind = TZ_CELL_ERROR;
        break;
    default:
        break;
    }
    if (tz__row_set(r, (size_t)s->col, text, len, kind, s->base.d))
        _cb_fail(&s->base);
}

static void _sh_end(void *ud, const XML_Char *name)
{
    _sheet_ctx *s = ud;
    int dep = s->base.depth--;
    if (!s->data_depth)
        return;
    if (dep == s->data_depth) {
        s->data_depth = 0;
        return;
    }
    if (dep == s->row_depth) {
        s->row_depth = 0;
        s->row_ready = 1;
        if (!s->scanning)
            XML_StopParser(s->base.xp, XML_TRUE);
        return;
    }
    if (dep == s->c_depth) {
        s->c_depth = 0;
        s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        _sh_cell(s);
        return;
    }
    switch (_sh_elem(s, name)) {
    case XLSX_E_V:
        s->in_v = 0;
        break;
    case XLSX_E_IS:
        s->in_is = 0;
        break;
    case XLSX_E_RPH:
        s->in_rph = 0;
        break;
    case XLSX_E_T:
        s->in_t = 0;
        break;
    default:
        break;
    }
}

static void _sh_text(void *ud, const XML_Char *txt, int len)
{
    _sheet_ctx *s = ud;
    if (!s->c_depth)
        return;
    if (s->ctype == XLSX_T_INLINE ? s->in_t : s->in_v)
        _text_add(&s->base, &s->text, txt, len);
}

/* ---- open ---- */

/* Returns the relationship part of the part name ("xl/workbook.xml" gives
 * "xl/_rels/workbook.xml.rels") and sets *dir to the part's folder ("xl/").
 * Both new strings; NULL on OOM (then *dir is NULL too). */
static char *_rels_name(const char *name, char **dir)
{
    const char *slash = strrchr(name, '/');
    size_t dl = slash ? (size_t)(slash - name) + 1 : 0;
    tz_buf b = TZ_BUF_INIT;
    *dir = strndup(name, dl);
    if (!*dir || tz_buf_add(&b, name, dl) || tz_buf_puts(&b, "_rels/") ||
        tz_buf_puts(&b, name + dl) || tz_buf_puts(&b, ".rels")) {
        free(*dir);
        *dir = NULL;
        tz_buf_free(&b);
        return NULL;
    }
    return tz_buf_take(&b);
}

/* Collects the workbook's worksheets in tab order into x->ws and picks the
 * first visible one (else the first) as x->pick. Returns 0, or -1 with an
 * error added to d (a sheet without relationship, an external sheet, no
 * worksheet at all). Chart and dialog sheets hold no rows and are left out;
 * index still counts them. */
static int _collect_sheets(tz_reader *r, _xlsx *x, const _wb_ctx *wb, const _rels_ctx *wbr,
                           tz_diags *d)
{
    char v[TZ__CLIP_SIZE];
    int picked = 0;
    if (wb->n && !(x->ws = calloc(wb->n, sizeof *x->ws))) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    for (size_t i = 0; i < wb->n; i++) {
        _rel key = {wb->sheets[i].rid, NULL, 0};
        const _rel *rel = wbr->n ? bsearch(&key, wbr->v, wbr->n, sizeof *wbr->v, _rel_cmp) : NULL;
        if (!rel) {
            char w[TZ__CLIP_SIZE];
            tz_diags_error(d, r->name, 0, NULL, NULL,
                           "工作表\"%s\"的关系编号\"%s\"在工作簿关系表中找不到,文件已损坏,%s",
                           _clip(wb->sheets[i].name, v), _clip(wb->sheets[i].rid, w),
                           XLSX_MSG_RESAVE);
            return -1;
        }
        if (rel->type != XLSX_R_WORKSHEET)
            continue; /* a chart sheet or dialog sheet holds no rows */
        if (!rel->target) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "工作表\"%s\"指向外部文件,无法读取,%s",
                           _clip(wb->sheets[i].name, v), XLSX_MSG_RESAVE);
            return -1;
        }
        _ws *w = &x->ws[x->nws];
        w->index = (int)i;
        w->hidden = wb->sheets[i].hidden;
        if (!(w->name = strdup(wb->sheets[i].name)) || !(w->path = strdup(rel->target))) {
            free(w->name);
            tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
            return -1;
        }
        zip_stat_t st;
        zip_int64_t idx = zip_name_locate(x->zip, w->path, 0);
        zip_stat_init(&st);
        if (idx >= 0 && zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 &&
            (st.valid & ZIP_STAT_COMP_SIZE))
            w->comp = st.comp_size;
        if (!picked && !w->hidden) {
            x->pick = x->nws;
            picked = 1;
        }
        x->nws++;
    }
    if (!x->nws) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "工作簿中没有工作表,无法读取");
        return -1;
    }
    return 0;
}

/* Follows the relationships from _rels/.rels to the workbook, its
 * worksheets and its shared strings: sets x->ws, x->pick, *sst_path (NULL
 * when the workbook has none) and r->row.date1904. Returns 0 or -1 with an
 * error added to d. */
static int _find_parts(tz_reader *r, _xlsx *x, char **sst_path, tz_diags *d)
{
    int rc = -1, err;
    _rels_ctx pkg, wbr;
    _wb_ctx wb;
    char *wb_rels = NULL, *wb_dir = NULL;
    char v[TZ__CLIP_SIZE];
    memset(&pkg, 0, sizeof pkg);
    memset(&wbr, 0, sizeof wbr);
    memset(&wb, 0, sizeof wb);
    *sst_path = NULL;
    if (_rels_load(r, x, &pkg, "_rels/.rels", "", "包关系表", d))
        goto done;
    const _rel *doc =
        _rels_only(r, &pkg, XLSX_R_OFFICEDOC, 1, "工作簿关系(officeDocument)", &err, d);
    if (!doc)
        goto done;
    wb.base = (_ctx){r, d, NULL, "工作簿目录", 0, 0, 0};
    if (!_parser_new(&wb.base))
        goto oom;
    XML_SetElementHandler(wb.base.xp, _wb_start, _wb_end);
    int got = _parse_part(r, x, doc->target, &wb.base, d);
    if (got < 0)
        goto done;
    if (got == 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "找不到包关系表指向的工作簿(%s),文件已损坏,%s",
                       _clip(doc->target, v), XLSX_MSG_RESAVE);
        goto done;
    }
    if (!(wb_rels = _rels_name(doc->target, &wb_dir)))
        goto oom;
    if (_rels_load(r, x, &wbr, wb_rels, wb_dir, "工作簿关系表", d))
        goto done;
    if (_collect_sheets(r, x, &wb, &wbr, d))
        goto done;
    const _rel *sst = _rels_only(r, &wbr, XLSX_R_SST, 0, "共享字符串表", &err, d);
    if (err)
        goto done;
    if (sst && !(*sst_path = strdup(sst->target)))
        goto oom;
    r->row.date1904 = wb.date1904;
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
done:
    for (size_t i = 0; i < wb.n; i++) {
        free(wb.sheets[i].rid);
        free(wb.sheets[i].name);
    }
    free(wb.sheets);
    if (wb.base.xp)
        XML_ParserFree(wb.base.xp);
    _rels_fini(&pkg);
    _rels_fini(&wbr);
    free(wb_rels);
    free(wb_dir);
    return rc;
}

/* Loads the shared strings from the part path. Returns 0 or -1 (a missing
 * part is an error: the workbook names it). */
static int _load_sst(tz_reader *r, _xlsx *x, const char *path, tz_diags *d)
{
    _sst_ctx s = {.base = {r, d, NULL, "共享字符串表", 0, 0, 0}, .x = x};
    s.cur.max = TZ_READER_MAX_CELL + 1;
    if (!_parser_new(&s.base)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    XML_SetElementHandler(s.base.xp, _sst_start, _sst_end);
    XML_SetCharacterDataHandler(s.base.xp, _sst_text);
    int rc = _parse_part(r, x, path, &s.base, d);
    XML_ParserFree(s.base.xp);
    tz_buf_free(&s.cur);
    if (rc == 0) {
        char v[TZ__CLIP_SIZE];
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "找不到工作簿关系表指向的共享字符串表(%s),"
                       "文件已损坏,%s",
                       _clip(path, v), XLSX_MSG_RESAVE);
    }
    return rc <= 0 ? -1 : 0;
}

/* Explains why zip_open refused the file, by its first bytes. */
static void _open_error(tz_reader *r, const char *path, int zerr, tz_diags *d)
{
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(magic, 1, sizeof magic, fp) : 0;
    if (fp)
        (void)fclose(fp); /* read only: a failed close loses nothing */
    if (zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ || zerr == ZIP_ER_MEMORY) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法打开文件(%s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
    } else if (n == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0)
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件不是xlsx格式(可能设置了打开密码,或是改了扩展名的xls文件),"
                       "请在Excel中去掉密码并另存为xlsx后重试");
    else
        _corrupt(r, d);
}

/* Closes the worksheet open now, if any, and forgets its parser state. */
static void _sheet_close(_xlsx *x)
{
    if (x->xp)
        XML_ParserFree(x->xp);
    x->xp = NULL;
    tz__pump_stop(x->pump); /* before zf closes: the thread reads it */
    x->pump = NULL;
    if (x->zf)
        zip_fclose(x->zf);
    x->zf = NULL;
    tz_buf_free(&x->sh.text);
    memset(&x->sh, 0, sizeof x->sh);
    x->feed.len = 0;
    x->feed.state = 0;
    x->feed.run = 0;
    x->feed.start = 0;
    x->size = x->comp = x->read = 0;
    x->has_size = x->suspended = x->eof = x->ended = 0;
    x->mode = XLSX_M_EXPAT;
    x->fed_base = 0;
    tz_buf_free(&x->prolog);
    tz_buf_free(&x->ns);
    x->pos = 0;
    x->lines = 0;
    x->cur = -1;
}

/* Opens worksheet i of x->ws for streaming. Returns 0, or -1 with an error
 * added to d. */
static void _ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri);
static void _ns_end(void *ud, const XML_Char *prefix);

/* Makes the worksheet's parser in x->xp: x->sh set afresh (its text buffer
 * kept), the worksheet callbacks, and with ns the namespace declarations
 * kept in x->ns. Returns 0, or -1 with an error added to d (x->xp NULL). */
static int _sheet_parser(tz_reader *r, _xlsx *x, int ns, tz_diags *d)
{
    tz_buf text = x->sh.text;
    x->sh = (_sheet_ctx){.base = {r, d, NULL, "工作表", 0, 0, 0}, .x = x, .text = text};
    x->sh.text.max = TZ_READER_MAX_CELL + 1;
    x->xp = _parser_new(&x->sh.base);
    if (!x->xp) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    XML_SetElementHandler(x->xp, _sh_start, _sh_end);
    XML_SetCharacterDataHandler(x->xp, _sh_text);
    if (ns)
        XML_SetNamespaceDeclHandler(x->xp, _ns_start, _ns_end);
    return 0;
}

static int _sheet_open(tz_reader *r, _xlsx *x, size_t i, tz_diags *d)
{
    _sheet_close(x);
    x->cur = (long)i;
    x->sheet_path = x->ws[i].path;
    _clip(x->ws[i].name, x->sheet_label);
    zip_stat_t st;
    int got = _part_open(r, x, x->sheet_path, "工作表", &x->zf, &st, d);
    if (got < 0)
        return -1;
    if (got == 0) {
        char v[TZ__CLIP_SIZE];
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "找不到工作簿关系表指向的工作表(%s),文件已损坏,%s", _clip(x->sheet_path, v),
                       XLSX_MSG_RESAVE);
        return -1;
    }
    x->has_size = (st.valid & ZIP_STAT_SIZE) != 0;
    x->size = x->has_size ? st.size : 0;
    x->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (_sheet_parser(r, x, 0, d))
        return -1;
    if (tz__xlsx_scan) {
        x->mode = XLSX_M_PROBE;
        x->sh.probe = 1;
        x->prolog.max = XLSX_MAX_PROLOG;
        x->ns.max = XLSX_MAX_NS;
    }
    return 0;
}

/* Moves to the next worksheet in tab order (the first on the first call). */
static int _xlsx_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d)
{
    _xlsx *x = r->impl;
    if (x->failed)
        return -1;
    size_t next = 0;
    if (!x->by_sheet) {
        x->by_sheet = 1;
        x->base = 0;
        r->total = 0;
        for (size_t i = 0; i < x->nws; i++)
            r->total += x->ws[i].comp;
    } else {
        next = x->cur < 0 ? x->nws : (size_t)x->cur + 1;
        if (x->cur >= 0)
            x->base += x->ws[x->cur].comp;
        r->done = x->base;
    }
    if (next >= x->nws) {
        _sheet_close(x);
        r->done = r->total;
        return 0;
    }
    if (_sheet_open(r, x, next, d)) {
        x->failed = 1;
        return -1;
    }
    info->index = x->ws[next].index;
    info->name = x->ws[next].name;
    info->hidden = x->ws[next].hidden;
    return 1;
}

static int _xlsx_next(tz_reader *r, tz_diags *d);
static const tz_reader_ops _xlsx_ops = {_xlsx_next, _xlsx_free, _xlsx_sheet};

int tz__xlsx_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_xlsx_ops;
    r->encoding = "xlsx";
    char *sst_path = NULL;
    int rc = -1;
    _xlsx *x = calloc(1, sizeof *x);
    if (!x) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
        goto done;
    }
    r->impl = x;
    x->cur = -1;
    if (tz_zip_load(r->name, d))
        goto done;
    int zerr = 0;
    x->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x->zip) {
        _open_error(r, path, zerr, d);
        goto done;
    }
    if (_check_names(r, x, d) || _find_parts(r, x, &sst_path, d) ||
        (sst_path && _load_sst(r, x, sst_path, d)) || _sheet_open(r, x, x->pick, d))
        goto done;
    r->total = x->comp;
    rc = 0;
done:
    free(sst_path);
    return rc;
}

/* Inflates the next chunk of the worksheet into x->feed (through the
 * construct scanner unless the worksheet scanner reads it), with the bomb
 * and size checks and progress; sets x->eof at its end. Returns 0, or -1
 * with an error added to d. */
static int _sheet_read(tz_reader *r, _xlsx *x, tz_diags *d)
{
    /* a large worksheet is inflated on a thread of its own while this one
     * scans and checks (without one, it is read here as a small one is);
     * started at its first read, so that a sheet opened and never read (the
     * first visible one, when the caller then reads sheet by sheet) starts
     * none */
    if (!x->read && !x->pump && x->size >= XLSX_PUMP_MIN)
        x->pump = tz__pump_start(x->zf, XLSX_CHUNK);
    size_t safe;
    zip_int64_t n = _feed_read(r, &x->feed, x->zf, x->pump, &safe, x->mode != XLSX_M_SCAN, d);
    if (n < 0)
        return -1;
    x->read += (unsigned long long)n;
    if (x->read > TZ_XLSX_MAX_UNPACKED) {
        _bomb(r, "工作表", d);
        return -1;
    }
    if (x->has_size && x->read > x->size) {
        _liar(r, "工作表", d);
        return -1;
    }
    if (x->size)
        r->done = x->base + (x->read >= x->size ? x->comp : x->comp * x->read / x->size);
    if (n == 0) {
        x->eof = 1;
        r->done = x->base + x->comp;
    }
    return 0;
}

/* ---- the worksheet scanner's turn ---- */

/* Namespace declarations while expat reads up to <sheetData>: x->ns keeps
 * the prefixes in scope, innermost last. */
static void _ns_start(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
    _sheet_ctx *s = ud;
    if (prefix && tz_buf_add(&s->x->ns, prefix, strlen(prefix) + 1))
        s->x->ns.max = 1; /* too many to keep: the scanner stays out */
}

static void _ns_end(void *ud, const XML_Char *prefix)
{
    tz_buf *ns = &((_sheet_ctx *)ud)->x->ns;
    if (!prefix || ns->max == 1 || ns->len == 0)
        return;
    size_t k = ns->len - 1; /* the NUL ending the innermost prefix */
    while (k > 0 && ns->data[k - 1])
        k--;
    ns->len = k;
}

/* Hands the worksheet back to expat at x->pos (the scanner met the end of
 * <sheetData>, or something it does not take): the bytes before it leave
 * the buffer (_feed_consume), and the construct scanner reads the rest
 * again from the start of a construct. Returns 0, or -1 with an error
 * added to d. */
static int _scan_end(tz_reader *r, _xlsx *x, tz_diags *d)
{
    _feed *f = &x->feed;
    if (_feed_consume(r, f, x->pos, "工作表", d))
        return -1;
    f->state = XLSX_S_TEXT;
    f->run = 0;
    f->start = 0;
    tz__feed_scan(f, 0);
    x->lines = x->sc.lines;
    x->pos = 0;
    x->ended = 0; /* expat has yet to see the end of the part */
    x->sh.scanning = 0;
    x->mode = XLSX_M_EXPAT;
    return 0;
}

/* Expat stopped at the start tag of <sheetData>, in the safe bytes at
 * x->feed.buf: from the byte after it the scanner reads the rows. A new
 * parser is given the part's bytes up to there again (it resumes after
 * the rows, or where the scanner gives up: a suspended one could only
 * resume inside its buffer) and the old one is dropped. Returns 1 when the
 * new parser took over (the scanner reads unless it cannot), 0 when the
 * position cannot be told (expat reads on, still suspended), -1 with an
 * error added to d. */
static int _scan_begin(tz_reader *r, _xlsx *x, size_t safe, tz_diags *d)
{
    /* suspended, expat tells where it will resume: the byte after the tag
     * (while an event is under way it tells where that event began) */
    XML_Index at = XML_GetCurrentByteIndex(x->xp);
    int cnt = XML_GetCurrentByteCount(x->xp);
    unsigned long long off = at > 0 && cnt >= 0 ? (unsigned long long)at + (unsigned)cnt : 0;
    x->sh.probe = 0;
    x->mode = XLSX_M_EXPAT;
    if (off <= x->fed_base || off - x->fed_base > safe || off > x->prolog.len ||
        x->prolog.data[off - 1] != '>')
        return 0;
    XML_Parser old = x->xp;
    _sheet_ctx *s = &x->sh;
    int made = _sheet_parser(r, x, 1, d);
    XML_ParserFree(old);
    if (made)
        return -1;
    if (XML_Parse(x->xp, x->prolog.data, (int)off, 0) != XML_STATUS_OK || s->base.failed ||
        s->lastrow) {
        /* the same bytes parsed once already, and no row among them */
        if (!s->base.failed)
            _corrupt(r, d);
        return -1;
    }
    tz_buf_free(&x->prolog);
    if (_feed_consume(r, &x->feed, (size_t)(off - x->fed_base), "工作表", d))
        return -1;
    if (!s->data_depth || x->ns.max == 1)
        return 1; /* expat reads on from the byte after <sheetData ...> */
    x->mode = XLSX_M_SCAN;
    s->scanning = 1;
    x->pos = 0;
    x->sc.ud = s;
    x->sc.start = _sh_start;
    x->sc.end = _sh_end;
    x->sc.text = _sh_text;
    x->sc.stop = &s->base.failed;
    x->sc.prefixes = x->ns.data;
    x->sc.prefixes_len = x->ns.len;
    x->sc.lines = 0;
    return 1;
}

/* The scanner reads one item at x->pos. Returns 1 with a row, 0 to go on
 * (x->mode may now be expat's), -1 with an error added to d. */
static int _scan_step(tz_reader *r, _xlsx *x, tz_diags *d)
{
    _sheet_ctx before = x->sh;
    size_t pos = x->pos;
    int rc = tz__xscan_item(&x->sc, x->feed.buf, x->feed.len, &pos);
    if (rc == TZ__XSCAN_ITEM) {
        x->pos = pos;
        r->scanned += (size_t)x->sh.row_ready;
        return x->sh.row_ready;
    }
    if (rc == TZ__XSCAN_STOP)
        return -1;
    if (rc == TZ__XSCAN_END) {
        x->pos = pos;
        return _scan_end(r, x, d);
    }
    /* nothing taken: the callbacks' state as it was before the item */
    tz_buf text = x->sh.text;
    x->sh = before;
    x->sh.text = text;
    if (rc == TZ__XSCAN_MORE && !x->eof && x->feed.len - x->pos <= XLSX_SCAN_MAX_ITEM) {
        if (_feed_consume(r, &x->feed, x->pos, "工作表", d))
            return -1;
        x->pos = 0;
        return _sheet_read(r, x, d);
    }
    return _scan_end(r, x, d); /* cut by the end of the part, too long, or not the scanner's */
}

/* Inflates and parses the next chunk of the worksheet, or resumes the
 * parser where it stopped. Returns the expat status, or -1 with an error
 * added to d. */
static int _sheet_step(tz_reader *r, _xlsx *x, tz_diags *d)
{
    if (x->suspended) {
        x->suspended = 0;
        return XML_ResumeParser(x->xp);
    }
    if (!x->eof && _sheet_read(r, x, d))
        return -1;
    size_t safe = tz__feed_safe(&x->feed, x->eof);
    int final = x->eof;
    if (final)
        x->ended = 1;
    if (x->mode == XLSX_M_PROBE && tz_buf_add(&x->prolog, x->feed.buf, safe)) {
        x->mode = XLSX_M_EXPAT; /* no <sheetData> in the first XLSX_MAX_PROLOG bytes */
        x->sh.probe = 0;
        tz_buf_free(&x->prolog);
    }
    int st = XML_STATUS_OK;
    if (safe || final)
        st = XML_Parse(x->xp, x->feed.buf, (int)safe, final);
    if (st == XML_STATUS_SUSPENDED && x->mode == XLSX_M_PROBE) {
        int k = _scan_begin(r, x, safe, d);
        if (k)
            return k < 0 ? -1 : XML_STATUS_OK;
    }
    if (_feed_consume(r, &x->feed, safe, "工作表", d))
        return -1;
    x->fed_base += safe;
    return st;
}

static int _xlsx_next(tz_reader *r, tz_diags *d)
{
    _xlsx *x = r->impl;
    if (x->failed)
        return -1;
    if (x->cur < 0)
        return 0; /* past the last sheet */
    x->sh.base.d = d;
    x->sh.row_ready = 0;
    for (;;) {
        if (x->mode == XLSX_M_SCAN) {
            int got = _scan_step(r, x, d);
            if (got < 0 || x->sh.base.failed)
                goto fail;
            if (got)
                return 1;
            continue;
        }
        if (!x->suspended && x->ended)
            return 0;
        int st = _sheet_step(r, x, d);
        if (st < 0 || x->sh.base.failed)
            goto fail;
        if (st == XML_STATUS_ERROR) {
            _xml_error(r, x->xp, "工作表", x->sheet_path, x->lines, d);
            goto fail;
        }
        if (st == XML_STATUS_SUSPENDED)
            x->suspended = 1;
        if (x->sh.row_ready)
            return 1;
    }
fail:
    x->failed = 1;
    return -1;
}
