/* xlsx_read.c - XLSX backend of the table reader: the first worksheet of an
 * OOXML package, via libzip + expat, one row at a time.
 *
 * Open finds the first visible worksheet through xl/workbook.xml and
 * xl/_rels/workbook.xml.rels (falling back to xl/worksheets/sheet1.xml) and
 * loads the shared-string table (capped at TZ_XLSX_MAX_SST bytes). Rows are
 * then parsed on demand: the sheet part is inflated in 64 KiB chunks and fed
 * to expat, which is suspended at every </row>, so only one row is ever
 * held. Every part is refused when its declared or actual unpacked size
 * passes TZ_XLSX_MAX_UNPACKED, or when it inflates to more bytes than the
 * zip directory declares (a zip bomb lying about its size is stopped within
 * one chunk instead of after a gigabyte). Documents with a DTD are refused
 * (OOXML has none; this shuts out entity expansion).
 *
 * Progress counts compressed bytes of the sheet: libzip does not tell how
 * far into the compressed stream it is, so the unpacked share read so far
 * is applied to the compressed size.
 */
#include "io/reader_impl.h"
#include "util/buf.h"
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define _CHUNK ((size_t)64 << 10) /* bytes inflated per read */
#define _MAX_SHEETS 256 /* sheets remembered; the first visible one is read */

static const char _MSG_CORRUPT[] = "文件已损坏或不完整,无法作为xlsx读取";

/* One <sheet> of workbook.xml, in tab order. */
typedef struct _sheet_ref {
    char *rid;    /* its relationship id (r:id) */
    char *target; /* part name resolved from workbook.xml.rels, or NULL */
    int hidden;   /* 1 when state is hidden or veryHidden */
} _sheet_ref;

/* Cell types as the t attribute gives them. */
enum { _T_NUM = 0, _T_SST, _T_STR, _T_INLINE, _T_BOOL, _T_ERR, _T_DATE };

/* State common to every expat callback context; first member of each. */
typedef struct _ctx {
    tz_reader *r;     /* the reader, for its name and row */
    tz_diags *d;      /* where callbacks report errors */
    XML_Parser xp;    /* the parser the callbacks belong to */
    const char *what; /* Chinese name of the part ("工作表") */
    int failed;       /* a callback reported an error and stopped the parser */
} _ctx;

typedef struct _xlsx _xlsx;

/* workbook.xml: the sheets in tab order. */
typedef struct _wb_ctx {
    _ctx base;          /* common state */
    _sheet_ref *sheets; /* the <sheet> elements */
    size_t n;           /* sheets kept */
    size_t cap;         /* slots allocated */
    int in_sheets;      /* inside <sheets> */
} _wb_ctx;

/* workbook.xml.rels: targets of the sheets and the shared strings. */
typedef struct _rels_ctx {
    _ctx base;      /* common state */
    _wb_ctx *wb;    /* sheets whose targets are filled in */
    char *sst_path; /* shared-strings part name, or NULL */
} _rels_ctx;

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
    _xlsx *x;       /* shared strings */
    int in_data;    /* inside <sheetData> */
    int in_row;     /* inside <row> */
    int in_c;       /* inside <c> */
    int in_v;       /* inside <v> */
    int in_is;      /* inside <is> */
    int in_t;       /* inside a <t> of <is> that counts */
    int in_rph;     /* inside <rPh> */
    int ctype;      /* _T_* of the current cell */
    size_t col;     /* 0-based column of the current cell */
    size_t nextcol; /* column of a cell without r */
    long lastrow;   /* number of the previous row (for rows without r) */
    tz_buf text;    /* text of the current cell */
    int row_ready;  /* a </row> was reached and the parser suspended */
} _sheet_ctx;

struct _xlsx {
    zip_t *zip;              /* the package */
    char *chunk;             /* inflate buffer, _CHUNK bytes */
    char *sst;               /* shared strings, each NUL-terminated, back to back */
    size_t sst_len;          /* bytes used in sst */
    size_t sst_cap;          /* bytes allocated in sst */
    size_t *sst_off;         /* offset of each string in sst */
    size_t sst_n;            /* number of strings */
    size_t sst_offcap;       /* slots allocated in sst_off */
    char *sheet_path;        /* part name of the worksheet */
    zip_file_t *zf;          /* the worksheet stream */
    XML_Parser xp;           /* the worksheet parser */
    _sheet_ctx sh;           /* the worksheet callbacks' state */
    unsigned long long size; /* declared unpacked size of the worksheet */
    int has_size;            /* the zip directory declares size */
    unsigned long long comp; /* compressed size of the worksheet */
    unsigned long long read; /* unpacked bytes of the worksheet read so far */
    int suspended;           /* the parser stopped at a </row> and must be resumed */
    int ended;               /* the last chunk of the worksheet was parsed */
    int failed;              /* an error was reported; later calls fail at once */
};

static void _xlsx_free(void *impl)
{
    _xlsx *x = impl;
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    tz_buf_free(&x->sh.text);
    if (x->zf)
        zip_fclose(x->zf);
    if (x->zip)
        zip_discard(x->zip);
    free(x->chunk);
    free(x->sst);
    free(x->sst_off);
    free(x->sheet_path);
    free(x);
}

/* ---- small helpers ---- */

/* Returns the local part of an element name ("x:row" gives "row"). */
static const char *_local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* Returns the value of the unprefixed attribute name, or NULL. */
static const char *_attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Returns the value of a prefixed attribute whose local name is local
 * (r:id under any prefix), or NULL. */
static const char *_attr_prefixed(const char **atts, const char *local)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strchr(atts[i], ':') && strcmp(_local(atts[i]), local) == 0)
            return atts[i + 1];
    return NULL;
}

/* Returns 1 when s ends with suffix. */
static int _ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Reports an error from a callback and stops the parser for good. */
static void _cb_fail(_ctx *c)
{
    c->failed = 1;
    XML_StopParser(c->xp, XML_FALSE);
}

/* OOXML never has a DTD; refusing one keeps entity tricks out. */
static void _doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                     int has_internal)
{
    _ctx *c = ud;
    tz_diags_error(c->d, c->r->name, 0, NULL, NULL, "%s含有DTD声明,不是有效的xlsx文件", c->what);
    _cb_fail(c);
}

/* Creates a parser whose user data is c. Returns NULL on OOM. */
static XML_Parser _parser_new(_ctx *c)
{
    XML_Parser xp = XML_ParserCreate("UTF-8");
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
                if (v < 0x80)
                    s[o++] = (char)v;
                else if (v < 0x800) {
                    s[o++] = (char)(0xC0 | (v >> 6));
                    s[o++] = (char)(0x80 | (v & 0x3F));
                } else {
                    s[o++] = (char)(0xE0 | (v >> 12));
                    s[o++] = (char)(0x80 | ((v >> 6) & 0x3F));
                    s[o++] = (char)(0x80 | (v & 0x3F));
                }
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
        tz_diags_error(c->d, c->r->name, c->r->row.rowno, NULL, NULL,
                       "%s中有单元格内容超过%zuKB,无法读取", c->what, TZ_READER_MAX_CELL >> 10);
        _cb_fail(c);
        return -1;
    }
    if (tz_buf_add(b, s, (size_t)n)) {
        tz_diags_error(c->d, c->r->name, 0, NULL, NULL, "内存不足,无法读取");
        _cb_fail(c);
        return -1;
    }
    return 0;
}

/* Resolves a relationship target against the folder xl/ into a part name
 * without a leading slash; handles "." and ".." segments. Returns a new
 * string or NULL on OOM. */
static char *_resolve(const char *target)
{
    tz_buf in = TZ_BUF_INIT;
    if (target[0] == '/') {
        if (tz_buf_puts(&in, target + 1))
            return NULL;
    } else if (tz_buf_puts(&in, "xl/") || tz_buf_puts(&in, target))
        return NULL;
    char *s = tz_buf_take(&in);
    if (!s)
        return NULL;
    /* Normalise segments in place: out never outruns the read position. */
    size_t o = 0;
    char *p = s;
    while (*p) {
        char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
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
            if (end)
                s[o++] = '/';
        }
        p += n + (end ? 1 : 0);
    }
    s[o] = '\0';
    return s;
}

/* ---- reading parts ---- */

/* Reports the package as corrupt. */
static void _corrupt(tz_reader *r, tz_diags *d)
{
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s", _MSG_CORRUPT);
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

/* Opens the part named name for reading after checking its declared size.
 * Returns 1 with *zf (and *st) set, 0 when the part does not exist, or -1
 * with an error added to d. */
static int _part_open(tz_reader *r, _xlsx *x, const char *name, const char *what, zip_file_t **zf,
                      zip_stat_t *st, tz_diags *d)
{
    *zf = NULL;
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
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
    *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!*zf) {
        _corrupt(r, d);
        return -1;
    }
    return 1;
}

/* Reports an expat error of part (named name) with its line. */
static void _xml_error(tz_reader *r, XML_Parser xp, const char *what, const char *name, tz_diags *d)
{
    tz_diags_error(d, r->name, 0, NULL, NULL, "%s(%s)第%lu行XML格式错误: %s,文件已损坏", what, name,
                   (unsigned long)XML_GetCurrentLineNumber(xp),
                   XML_ErrorString(XML_GetErrorCode(xp)));
}

/* Parses the whole part name with xp (whose user data is c). Returns 1 when
 * parsed, 0 when the part does not exist, -1 with an error added to d. */
static int _parse_part(tz_reader *r, _xlsx *x, const char *name, _ctx *c, tz_diags *d)
{
    zip_file_t *zf = NULL;
    zip_stat_t st;
    int rc = _part_open(r, x, name, c->what, &zf, &st, d);
    if (rc <= 0)
        return rc;
    rc = -1;
    unsigned long long total = 0;
    for (;;) {
        zip_int64_t n = zip_fread(zf, x->chunk, _CHUNK);
        if (n < 0) {
            _corrupt(r, d);
            goto done;
        }
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
        if (XML_Parse(c->xp, x->chunk, (int)n, final) != XML_STATUS_OK) {
            if (!c->failed)
                _xml_error(r, c->xp, c->what, name, d);
            goto done;
        }
        if (c->failed)
            goto done;
        if (final)
            break;
    }
    rc = 1;
done:
    zip_fclose(zf);
    return rc;
}

/* ---- workbook.xml ---- */

static void _wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _wb_ctx *w = ud;
    const char *ln = _local(name);
    if (strcmp(ln, "sheets") == 0) {
        w->in_sheets = 1;
        return;
    }
    if (!w->in_sheets || strcmp(ln, "sheet") != 0 || w->n >= _MAX_SHEETS)
        return;
    const char *rid = _attr_prefixed(atts, "id");
    const char *state = _attr(atts, "state");
    if (!rid)
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
    s->target = NULL;
    s->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
    if (!s->rid)
        goto oom;
    w->n++;
    return;
oom:
    tz_diags_error(w->base.d, w->base.r->name, 0, NULL, NULL, "内存不足,无法读取");
    _cb_fail(&w->base);
}

static void _wb_end(void *ud, const XML_Char *name)
{
    _wb_ctx *w = ud;
    if (strcmp(_local(name), "sheets") == 0)
        w->in_sheets = 0;
}

/* ---- workbook.xml.rels ---- */

static void _rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _rels_ctx *rc = ud;
    if (strcmp(_local(name), "Relationship") != 0)
        return;
    const char *id = _attr(atts, "Id");
    const char *type = _attr(atts, "Type");
    const char *target = _attr(atts, "Target");
    const char *mode = _attr(atts, "TargetMode");
    if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
        return;
    char **slot = NULL;
    if (_ends_with(type, "/worksheet")) {
        for (size_t i = 0; i < rc->wb->n; i++) {
            if (strcmp(rc->wb->sheets[i].rid, id) == 0 && !rc->wb->sheets[i].target) {
                slot = &rc->wb->sheets[i].target;
                break;
            }
        }
    } else if (_ends_with(type, "/sharedStrings") && !rc->sst_path)
        slot = &rc->sst_path;
    if (!slot)
        return;
    *slot = _resolve(target);
    if (!*slot) {
        tz_diags_error(rc->base.d, rc->base.r->name, 0, NULL, NULL, "内存不足,无法读取");
        _cb_fail(&rc->base);
    }
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
                tz_diags_error(s->base.d, s->base.r->name, 0, NULL, NULL,
                               "共享字符串表超过%zuMB,无法读取", TZ_XLSX_MAX_SST >> 20);
            else
                tz_diags_error(s->base.d, s->base.r->name, 0, NULL, NULL, "内存不足,无法读取");
            _cb_fail(&s->base);
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

/* Returns the 0-based column of a cell reference like "C5", or -1. */
static long _ref_col(const char *ref)
{
    long col = 0;
    int k = 0;
    for (; *ref; ref++, k++) {
        char ch = *ref;
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            break;
        if (k == 3)
            return -1;
        col = col * 26 + (ch - 'A' + 1);
    }
    return k ? col - 1 : -1;
}

/* Returns the row number in the r attribute of a <row>, or -1. */
static long _row_num(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return -1;
    return v;
}

static void _sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _sheet_ctx *s = ud;
    const char *ln = _local(name);
    if (!s->in_data) {
        if (strcmp(ln, "sheetData") == 0)
            s->in_data = 1;
        return;
    }
    if (strcmp(ln, "row") == 0) {
        const char *rv = _attr(atts, "r");
        long no = rv ? _row_num(rv) : -1;
        if (no < 0)
            no = s->lastrow + 1;
        s->lastrow = no;
        s->in_row = 1;
        s->nextcol = 0;
        tz__row_begin(s->base.r, no);
    } else if (strcmp(ln, "c") == 0 && s->in_row) {
        const char *ref = _attr(atts, "r");
        const char *t = _attr(atts, "t");
        long col = ref ? _ref_col(ref) : -1;
        s->col = col >= 0 ? (size_t)col : s->nextcol;
        s->nextcol = s->col + 1;
        s->in_c = 1;
        s->text.len = 0;
        if (!t || strcmp(t, "n") == 0)
            s->ctype = _T_NUM;
        else if (strcmp(t, "s") == 0)
            s->ctype = _T_SST;
        else if (strcmp(t, "inlineStr") == 0)
            s->ctype = _T_INLINE;
        else if (strcmp(t, "b") == 0)
            s->ctype = _T_BOOL;
        else if (strcmp(t, "e") == 0)
            s->ctype = _T_ERR;
        else if (strcmp(t, "d") == 0)
            s->ctype = _T_DATE;
        else
            s->ctype = _T_STR;
    } else if (!s->in_c)
        return;
    else if (strcmp(ln, "v") == 0)
        s->in_v = 1;
    else if (strcmp(ln, "is") == 0)
        s->in_is = 1;
    else if (strcmp(ln, "rPh") == 0)
        s->in_rph = 1;
    else if (strcmp(ln, "t") == 0 && s->in_is && !s->in_rph)
        s->in_t = 1;
}

/* Places the finished cell into the row. */
static void _sh_cell(_sheet_ctx *s)
{
    tz_reader *r = s->base.r;
    char *text = s->text.data;
    size_t len = s->text.len;
    int numeric = 0;
    if (len == 0)
        return; /* an empty cell: the gap filler gives "" */
    switch (s->ctype) {
    case _T_SST: {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(text, &end, 10);
        if (errno || end == text || *end || text[0] == '-' || i >= s->x->sst_n) {
            tz_diags_error(s->base.d, r->name, r->row.rowno, NULL, text,
                           "第%zu列引用的共享字符串不存在,文件已损坏", s->col + 1);
            _cb_fail(&s->base);
            return;
        }
        size_t off = s->x->sst_off[i];
        size_t next = i + 1 < s->x->sst_n ? s->x->sst_off[i + 1] : s->x->sst_len;
        if (tz__row_set(r, s->col, s->x->sst + off, next - off - 1, 0, s->base.d))
            _cb_fail(&s->base);
        return;
    }
    case _T_INLINE:
    case _T_STR:
        len = _unescape(text, len);
        break;
    case _T_NUM:
    case _T_BOOL:
        numeric = 1;
        break;
    default:
        break;
    }
    if (tz__row_set(r, s->col, text, len, numeric, s->base.d))
        _cb_fail(&s->base);
}

static void _sh_end(void *ud, const XML_Char *name)
{
    _sheet_ctx *s = ud;
    if (!s->in_data)
        return;
    const char *ln = _local(name);
    if (strcmp(ln, "sheetData") == 0)
        s->in_data = 0;
    else if (strcmp(ln, "row") == 0 && s->in_row) {
        s->in_row = 0;
        s->row_ready = 1;
        XML_StopParser(s->base.xp, XML_TRUE);
    } else if (strcmp(ln, "c") == 0 && s->in_c) {
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
        _sh_cell(s);
    } else if (strcmp(ln, "v") == 0)
        s->in_v = 0;
    else if (strcmp(ln, "is") == 0)
        s->in_is = 0;
    else if (strcmp(ln, "rPh") == 0)
        s->in_rph = 0;
    else if (strcmp(ln, "t") == 0)
        s->in_t = 0;
}

static void _sh_text(void *ud, const XML_Char *txt, int len)
{
    _sheet_ctx *s = ud;
    if (s->in_v || s->in_t)
        _text_add(&s->base, &s->text, txt, len);
}

/* ---- open ---- */

/* Reads workbook.xml and its rels: sets x->sheet_path and *sst_path (which
 * may stay NULL). Returns 0 or -1 with an error added to d. */
static int _find_sheet(tz_reader *r, _xlsx *x, char **sst_path, tz_diags *d)
{
    int rc = -1;
    _wb_ctx wb;
    _rels_ctx rels;
    memset(&wb, 0, sizeof wb);
    memset(&rels, 0, sizeof rels);
    *sst_path = NULL;
    wb.base = (_ctx){r, d, NULL, "工作簿目录", 0};
    rels.base = (_ctx){r, d, NULL, "工作簿关系表", 0};
    rels.wb = &wb;
    if (!_parser_new(&wb.base) || !_parser_new(&rels.base))
        goto oom;
    XML_SetElementHandler(wb.base.xp, _wb_start, _wb_end);
    XML_SetElementHandler(rels.base.xp, _rels_start, NULL);
    int got = _parse_part(r, x, "xl/workbook.xml", &wb.base, d);
    if (got < 0)
        goto done;
    if (got > 0 && _parse_part(r, x, "xl/_rels/workbook.xml.rels", &rels.base, d) < 0)
        goto done;
    const char *pick = NULL;
    for (size_t i = 0; i < wb.n && !pick; i++)
        if (wb.sheets[i].target && !wb.sheets[i].hidden)
            pick = wb.sheets[i].target;
    for (size_t i = 0; i < wb.n && !pick; i++)
        if (wb.sheets[i].target)
            pick = wb.sheets[i].target;
    x->sheet_path = strdup(pick ? pick : "xl/worksheets/sheet1.xml");
    if (!x->sheet_path)
        goto oom;
    *sst_path = rels.sst_path;
    rels.sst_path = NULL;
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
done:
    for (size_t i = 0; i < wb.n; i++) {
        free(wb.sheets[i].rid);
        free(wb.sheets[i].target);
    }
    free(wb.sheets);
    free(rels.sst_path);
    if (wb.base.xp)
        XML_ParserFree(wb.base.xp);
    if (rels.base.xp)
        XML_ParserFree(rels.base.xp);
    return rc;
}

/* Loads the shared strings from path (or xl/sharedStrings.xml when NULL);
 * a missing part leaves the table empty. Returns 0 or -1. */
static int _load_sst(tz_reader *r, _xlsx *x, const char *path, tz_diags *d)
{
    _sst_ctx s;
    memset(&s, 0, sizeof s);
    s.base = (_ctx){r, d, NULL, "共享字符串表", 0};
    s.x = x;
    s.cur.max = TZ_READER_MAX_CELL + 1;
    if (!_parser_new(&s.base)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
        return -1;
    }
    XML_SetElementHandler(s.base.xp, _sst_start, _sst_end);
    XML_SetCharacterDataHandler(s.base.xp, _sst_text);
    int rc = _parse_part(r, x, path ? path : "xl/sharedStrings.xml", &s.base, d);
    XML_ParserFree(s.base.xp);
    tz_buf_free(&s.cur);
    return rc < 0 ? -1 : 0;
}

/* Explains why zip_open refused the file, by its first bytes. */
static void _open_error(tz_reader *r, const char *path, int zerr, tz_diags *d)
{
    unsigned char magic[4] = {0};
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(magic, 1, sizeof magic, fp) : 0;
    if (fp)
        fclose(fp);
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

static int _xlsx_next(tz_reader *r, tz_diags *d);
static const tz_reader_ops _xlsx_ops = {_xlsx_next, _xlsx_free};

int tz__xlsx_open(tz_reader *r, const char *path, tz_diags *d)
{
    r->ops = &_xlsx_ops;
    r->encoding = "xlsx";
    char *sst_path = NULL;
    int rc = -1;
    _xlsx *x = calloc(1, sizeof *x);
    if (!x)
        goto oom;
    r->impl = x;
    x->chunk = malloc(_CHUNK);
    if (!x->chunk)
        goto oom;
    int zerr = 0;
    x->zip = zip_open(path, ZIP_RDONLY, &zerr);
    if (!x->zip) {
        _open_error(r, path, zerr, d);
        goto done;
    }
    if (_find_sheet(r, x, &sst_path, d) || _load_sst(r, x, sst_path, d))
        goto done;
    zip_stat_t st;
    int got = _part_open(r, x, x->sheet_path, "工作表", &x->zf, &st, d);
    if (got < 0)
        goto done;
    if (got == 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "找不到工作表(%s),文件已损坏", x->sheet_path);
        goto done;
    }
    x->has_size = (st.valid & ZIP_STAT_SIZE) != 0;
    x->size = x->has_size ? st.size : 0;
    x->comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    r->total = x->comp;
    x->sh.base = (_ctx){r, d, NULL, "工作表", 0};
    x->sh.x = x;
    x->sh.text.max = TZ_READER_MAX_CELL + 1;
    if (!_parser_new(&x->sh.base))
        goto oom;
    x->xp = x->sh.base.xp;
    XML_SetElementHandler(x->xp, _sh_start, _sh_end);
    XML_SetCharacterDataHandler(x->xp, _sh_text);
    rc = 0;
    goto done;
oom:
    tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法打开文件");
done:
    free(sst_path);
    return rc;
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
    zip_int64_t n = zip_fread(x->zf, x->chunk, _CHUNK);
    if (n < 0) {
        _corrupt(r, d);
        return -1;
    }
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
        r->done = x->read >= x->size ? x->comp : x->comp * x->read / x->size;
    int final = n == 0;
    if (final) {
        x->ended = 1;
        r->done = x->comp;
    }
    return XML_Parse(x->xp, x->chunk, (int)n, final);
}

static int _xlsx_next(tz_reader *r, tz_diags *d)
{
    _xlsx *x = r->impl;
    if (x->failed)
        return -1;
    x->sh.base.d = d;
    x->sh.row_ready = 0;
    for (;;) {
        if (!x->suspended && x->ended)
            return 0;
        int st = _sheet_step(r, x, d);
        if (st < 0 || x->sh.base.failed)
            goto fail;
        if (st == XML_STATUS_ERROR) {
            _xml_error(r, x->xp, "工作表", x->sheet_path, d);
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
