/* xlsx_scan.c - the worksheet scanner: the rows of <sheetData> read without
 * expat, in a strict subset of XML (reader_impl.h says which).
 *
 * Expat was two thirds of reading an xlsx, most of it on work a worksheet
 * written by Excel, WPS or libxlsxwriter never needs: namespace expansion of
 * every name, attribute-value normalisation, entity tables. The scanner
 * reads one item (the text before it and one element with its subtree) at a
 * time, checks every byte the way expat would (names, quoting, references,
 * UTF-8 and the characters XML allows, tags that match, no "]]>" in text)
 * and dispatches the same callbacks. It never decides a question expat
 * would answer differently: whatever it does not take (a comment, a
 * namespace declaration, a prefixed element, a reference in an attribute,
 * a carriage return, a construct that is not well-formed) makes it give up
 * before the item, and expat parses on from that byte (xlsx_read.c), so a
 * broken file is refused by expat with expat's message.
 */
#include "io/reader_impl.h"
#include "util/text.h"
#include <string.h>

int tz__xlsx_scan = 1;

/* Continue: the construct was read. */
#define XS_OK (-1)

/* Byte classes. */
enum {
    C_TEXT = 1,   /* ASCII taken as it is in character data and attribute values */
    C_NSTART = 2, /* may start a name */
    C_NAME = 4,   /* may continue a name */
    C_SPACE = 8   /* space, tab or line feed between a tag's parts */
};

/* The class of each byte; built on first use (plain data afterwards). */
static unsigned char _cls[256];

static void _classes(void)
{
    if (_cls['a'])
        return;
    for (int c = 0x20; c < 0x7f; c++)
        _cls[c] = C_TEXT;
    _cls['<'] = _cls['&'] = _cls['>'] = 0; /* each needs a look */
    for (int c = 'a'; c <= 'z'; c++)
        _cls[c] |= C_NSTART | C_NAME;
    for (int c = 'A'; c <= 'Z'; c++)
        _cls[c] |= C_NSTART | C_NAME;
    for (int c = '0'; c <= '9'; c++)
        _cls[c] |= C_NAME;
    _cls['_'] |= C_NSTART | C_NAME;
    _cls['-'] |= C_NAME;
    _cls['.'] |= C_NAME;
    _cls[' '] |= C_SPACE;
    _cls['\t'] = C_SPACE;
    _cls['\n'] = C_SPACE;
}

/* Checks the non-ASCII character at p (end bounds it). Returns its length,
 * 0 when it is not well-formed UTF-8 or not a character XML allows (BAIL),
 * or -1 when end may have cut it (MORE). */
static int _wide(const char *p, const char *end)
{
    long cp;
    size_t k = tz_utf8_decode(p, (size_t)(end - p), &cp);
    if (k == 0)
        return end - p < 4 ? -1 : 0;
    return cp == 0xFFFE || cp == 0xFFFF ? 0 : (int)k;
}

/* 1 when cp is a character XML 1.0 allows. */
static int _xml_char(long cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* Decodes the reference at p ('&'): a predefined entity or a character
 * reference. Returns XS_OK with its UTF-8 in out (*outn bytes) and *pp past
 * it, or MORE / BAIL. */
static int _ref(const char **pp, const char *end, char out[4], size_t *outn)
{
    const char *p = *pp + 1, *semi = NULL;
    for (const char *q = p; q < end && q < p + 10; q++)
        if (*q == ';') {
            semi = q;
            break;
        }
    if (!semi)
        return end - p < 10 ? TZ__XSCAN_MORE : TZ__XSCAN_BAIL;
    size_t n = (size_t)(semi - p);
    static const struct {
        const char *name;
        char ch;
    } ent[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof ent / sizeof ent[0]; i++)
        if (strlen(ent[i].name) == n && memcmp(p, ent[i].name, n) == 0) {
            out[0] = ent[i].ch;
            *outn = 1;
            *pp = semi + 1;
            return XS_OK;
        }
    if (n < 2 || p[0] != '#')
        return TZ__XSCAN_BAIL;
    int hex = p[1] == 'x';
    const char *q = p + 1 + hex;
    if (q == semi)
        return TZ__XSCAN_BAIL;
    long v = 0;
    for (; q < semi; q++) {
        int d;
        if (*q >= '0' && *q <= '9')
            d = *q - '0';
        else if (hex && (*q | 0x20) >= 'a' && (*q | 0x20) <= 'f')
            d = (*q | 0x20) - 'a' + 10;
        else
            return TZ__XSCAN_BAIL;
        v = v * (hex ? 16 : 10) + d;
        if (v > 0x10FFFF)
            return TZ__XSCAN_BAIL;
    }
    if (!_xml_char(v))
        return TZ__XSCAN_BAIL;
    *outn = tz_utf8_encode(v, out);
    *pp = semi + 1;
    return XS_OK;
}

/* Dispatches the text p[0..n), if any. */
static void _emit(tz__xscan *sc, const char *p, size_t n)
{
    if (n)
        sc->text(sc->ud, p, (int)n);
}

/* Reads character data from *pp up to the next '<', dispatching it; buf is
 * where the part's bytes begin (for the "]]>" test), *nl counts line feeds.
 * Returns XS_OK with *pp at the '<', or MORE / BAIL. */
static int _text(tz__xscan *sc, const char *buf, const char **pp, const char *end, long *nl)
{
    const char *p = *pp, *run = p;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (_cls[c] & C_TEXT) {
            p++;
            continue;
        }
        if (c == '<')
            break;
        if (c == '\n' || c == '\t') {
            *nl += c == '\n';
            p++;
        } else if (c == '>') {
            if (p - buf >= 2 && p[-1] == ']' && p[-2] == ']')
                return TZ__XSCAN_BAIL; /* "]]>" outside CDATA: expat refuses it */
            p++;
        } else if (c == '&') {
            char out[4];
            size_t outn;
            _emit(sc, run, (size_t)(p - run));
            int rc = _ref(&p, end, out, &outn);
            if (rc != XS_OK)
                return rc;
            _emit(sc, out, outn);
            run = p;
        } else if (c < 0x80) {
            return TZ__XSCAN_BAIL; /* control characters, carriage returns */
        } else {
            int k = _wide(p, end);
            if (k <= 0)
                return k < 0 ? TZ__XSCAN_MORE : TZ__XSCAN_BAIL;
            p += k;
        }
    }
    _emit(sc, run, (size_t)(p - run));
    if (p == end)
        return TZ__XSCAN_MORE;
    *pp = p;
    return XS_OK;
}

/* Length of the name at p ([A-Za-z_][A-Za-z0-9_.-]*), 0 when none starts
 * there. */
static size_t _name(const char *p, const char *end)
{
    if (p == end || !(_cls[(unsigned char)*p] & C_NSTART))
        return 0;
    const char *q = p + 1;
    while (q < end && (_cls[(unsigned char)*q] & C_NAME))
        q++;
    return (size_t)(q - p);
}

/* Skips spaces at *pp, counting line feeds. Returns XS_OK (*had set when
 * there was one), MORE at the end, BAIL at a carriage return. */
static int _space(const char **pp, const char *end, long *nl, int *had)
{
    const char *p = *pp;
    while (p < end && (_cls[(unsigned char)*p] & C_SPACE)) {
        *nl += *p == '\n';
        p++;
    }
    *had = p != *pp;
    *pp = p;
    if (p == end)
        return TZ__XSCAN_MORE;
    return *p == '\r' ? TZ__XSCAN_BAIL : XS_OK;
}

/* 1 when the n bytes at p name a prefix bound where the scan began. */
static int _bound(const tz__xscan *sc, const char *p, size_t n)
{
    if (n == 3 && memcmp(p, "xml", 3) == 0)
        return 1;
    for (size_t i = 0; i < sc->prefixes_len;) {
        size_t k = strlen(sc->prefixes + i);
        if (k == n && memcmp(sc->prefixes + i, p, n) == 0)
            return 1;
        i += k + 1;
    }
    return 0;
}

/* Appends the n bytes at p and a NUL to sc->tag at *used. Returns the
 * offset they start at, or -1 when the tag is too large (BAIL). */
static long _keep(tz__xscan *sc, size_t *used, const char *p, size_t n)
{
    if (n + 1 > sizeof sc->tag - *used)
        return -1;
    long at = (long)*used;
    memcpy(sc->tag + *used, p, n);
    sc->tag[*used + n] = '\0';
    *used += n + 1;
    return at;
}

/* Reads an attribute value at *pp (at its quote); the bytes between the
 * quotes come back in *v, *vn. Returns XS_OK, MORE or BAIL. */
static int _value(const char **pp, const char *end, const char **v, size_t *vn)
{
    const char *p = *pp;
    if (p == end)
        return TZ__XSCAN_MORE;
    char q = *p;
    if (q != '"' && q != '\'')
        return TZ__XSCAN_BAIL;
    const char *s = ++p;
    while (p < end && *p != q) {
        unsigned char c = (unsigned char)*p;
        if ((_cls[c] & C_TEXT) || c == '>') {
            p++;
            continue;
        }
        if (c < 0x80)
            return TZ__XSCAN_BAIL; /* '<', a reference, a tab or line break (normalised) */
        int k = _wide(p, end);
        if (k <= 0)
            return k < 0 ? TZ__XSCAN_MORE : TZ__XSCAN_BAIL;
        p += k;
    }
    if (p == end)
        return TZ__XSCAN_MORE;
    *v = s;
    *vn = (size_t)(p - s);
    *pp = p + 1;
    return XS_OK;
}

/* Reads one attribute's name at *pp into sc->tag as attribute k, checking
 * it against those before it. Returns XS_OK, MORE or BAIL. */
static int _attr_name(tz__xscan *sc, const char **pp, const char *end, size_t k, size_t *used,
                      long *off)
{
    const char *p = *pp;
    size_t n = _name(p, end), local = 0;
    if (p + n == end)
        return TZ__XSCAN_MORE;
    if (n == 0)
        return TZ__XSCAN_BAIL;
    if (p[n] == ':') { /* prefix:local, the prefix bound before <sheetData> */
        local = _name(p + n + 1, end);
        if (p + n + 1 + local >= end)
            return TZ__XSCAN_MORE;
        if (local == 0 || p[n + 1 + local] == ':' || !_bound(sc, p, n))
            return TZ__XSCAN_BAIL;
    }
    if (n >= 5 && memcmp(p, "xmlns", 5) == 0 && (n == 5 || local))
        return TZ__XSCAN_BAIL; /* a namespace declaration: expat's to resolve */
    size_t full = local ? n + 1 + local : n;
    for (size_t i = 0; i < k; i++) {
        const char *o = sc->atts[2 * i];
        size_t on = sc->att_len[i], ol = sc->att_local[i]; /* ol: where o's local part starts */
        if ((on == full && memcmp(o, p, full) == 0) ||
            (local && ol && on - ol == local && memcmp(o + ol, p + n + 1, local) == 0))
            return TZ__XSCAN_BAIL; /* the same attribute twice (expat: an error) */
    }
    *off = _keep(sc, used, p, full);
    if (*off < 0)
        return TZ__XSCAN_BAIL;
    sc->atts[2 * k] = sc->tag + *off;
    sc->att_len[k] = (unsigned short)full; /* full < the tag's room, 16 KiB */
    sc->att_local[k] = (unsigned short)(local ? n + 1 : 0);
    *pp = p + full;
    return XS_OK;
}

/* Reads the attributes of a start tag and its end ("/>" sets *empty) from
 * *pp, keeping them in sc->tag after the name (*used bytes so far).
 * Returns XS_OK, MORE or BAIL. */
static int _attrs(tz__xscan *sc, const char **pp, const char *end, size_t *used, int *empty,
                  long *nl)
{
    const char *p = *pp;
    size_t k = 0;
    for (;;) {
        int had, rc = _space(&p, end, nl, &had);
        if (rc != XS_OK)
            return rc;
        if (*p == '>' || *p == '/') {
            if (*p == '/' && p + 1 == end)
                return TZ__XSCAN_MORE;
            if (*p == '/' && p[1] != '>')
                return TZ__XSCAN_BAIL;
            *empty = *p == '/';
            *pp = p + 1 + *empty;
            sc->atts[2 * k] = NULL;
            return XS_OK;
        }
        if (!had || k == TZ__XSCAN_MAX_ATTS)
            return TZ__XSCAN_BAIL;
        long off;
        if ((rc = _attr_name(sc, &p, end, k, used, &off)) != XS_OK)
            return rc;
        if ((rc = _space(&p, end, nl, &had)) != XS_OK)
            return rc;
        if (*p != '=')
            return TZ__XSCAN_BAIL;
        p++;
        if ((rc = _space(&p, end, nl, &had)) != XS_OK)
            return rc;
        const char *v;
        size_t vn;
        if ((rc = _value(&p, end, &v, &vn)) != XS_OK)
            return rc;
        if ((off = _keep(sc, used, v, vn)) < 0)
            return TZ__XSCAN_BAIL;
        sc->atts[2 * k + 1] = sc->tag + off;
        k++;
        if (p == end)
            return TZ__XSCAN_MORE;
        if (!(_cls[(unsigned char)*p] & C_SPACE) && *p != '>' && *p != '/')
            return TZ__XSCAN_BAIL; /* attributes must be apart */
    }
}

/* Reads the end tag at *pp ("</"), which must close the element named
 * open[0..n). Returns XS_OK with *pp past it, MORE or BAIL. */
static int _end_tag(const char **pp, const char *end, const char *open, size_t n, long *nl)
{
    const char *p = *pp + 2;
    size_t k = _name(p, end);
    if (p + k == end)
        return TZ__XSCAN_MORE;
    if (k != n || memcmp(p, open, n) != 0)
        return TZ__XSCAN_BAIL; /* mismatched, or prefixed: expat's to judge */
    p += k;
    int had, rc = _space(&p, end, nl, &had);
    if (rc != XS_OK)
        return rc;
    if (*p != '>')
        return TZ__XSCAN_BAIL;
    *pp = p + 1;
    return XS_OK;
}

int tz__xscan_item(tz__xscan *sc, const char *buf, size_t len, size_t *pos)
{
    _classes();
    const char *p = buf + *pos, *end = buf + len;
    const char *open[TZ__XSCAN_MAX_DEPTH]; /* names of the open elements, in buf */
    size_t openn[TZ__XSCAN_MAX_DEPTH];
    int depth = 0;
    long nl = 0;
    for (;;) {
        int rc = _text(sc, buf, &p, end, &nl);
        if (rc != XS_OK)
            return rc;
        if (end - p < 2)
            return TZ__XSCAN_MORE;
        if (p[1] == '/') {
            if (depth == 0) {
                *pos = (size_t)(p - buf);
                sc->lines += nl;
                return TZ__XSCAN_END;
            }
            depth--;
            if ((rc = _end_tag(&p, end, open[depth], openn[depth], &nl)) != XS_OK)
                return rc;
            size_t used = 0;
            if (_keep(sc, &used, open[depth], openn[depth]) < 0)
                return TZ__XSCAN_BAIL;
            sc->end(sc->ud, sc->tag);
        } else {
            const char *name = p + 1;
            size_t n = _name(name, end), used = 0;
            int empty = 0;
            if (name + n == end)
                return TZ__XSCAN_MORE;
            if (n == 0 || name[n] == ':' || depth == TZ__XSCAN_MAX_DEPTH ||
                _keep(sc, &used, name, n) < 0)
                return TZ__XSCAN_BAIL; /* "<!", "<?", a prefixed element, very deep or long */
            const char *q = name + n;
            if ((rc = _attrs(sc, &q, end, &used, &empty, &nl)) != XS_OK)
                return rc;
            p = q;
            sc->start(sc->ud, sc->tag, sc->atts);
            if (*sc->stop)
                return TZ__XSCAN_STOP;
            if (empty) {
                sc->end(sc->ud, sc->tag);
            } else {
                open[depth] = name;
                openn[depth++] = n;
            }
        }
        if (*sc->stop)
            return TZ__XSCAN_STOP;
        if (depth == 0) {
            *pos = (size_t)(p - buf);
            sc->lines += nl;
            return TZ__XSCAN_ITEM;
        }
    }
}
