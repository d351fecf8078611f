/* proofread_html.c - the text of an .html report to proofread (a drafted
 * report saved as a web page, then edited): one line per block element
 * (p, h1–h6, li, tr, div, caption, figcaption, blockquote, pre, br …), the
 * text as a browser shows it. Whitespace runs become one space between
 * ASCII characters and nothing next to a Chinese one (a line break in the
 * source between 梁园区、 and 睢阳区 is not a character of the text);
 * script, style and the head hold no text; table cells are separated by a
 * tab. libxml2's HTML parser (no network, no entities to expand) reads the
 * file; the tree is walked without recursion, so nesting depth cannot
 * exhaust the stack. Encoding: UTF-8 when the bytes are UTF-8, else what the
 * file's <meta> says, else GB18030 (with a warning), as for a .txt. */
#include "report/proofread_impl.h"
#include "io/libxml.h"
#include "io/textdoc.h"
#include "util/text.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct _htext {
    tz_buf *out; /* the text so far */
    int space;   /* whitespace is pending */
    long last;   /* last code point written on the line, 0 at a line start */
} _htext;

static int _is_block(const char *n)
{
    static const char *const blocks[] = {
        "p",          "div",   "li",      "tr",      "h1",     "h2",      "h3",
        "h4",         "h5",    "h6",      "br",      "table",  "caption", "figcaption",
        "blockquote", "pre",   "section", "article", "header", "footer",  "ul",
        "ol",         "title", "hr",      "dt",      "dd",     "figure",  "aside"};
    for (size_t k = 0; k < sizeof blocks / sizeof blocks[0]; k++)
        if (strcasecmp(n, blocks[k]) == 0)
            return 1;
    return 0;
}

static int _is_skipped(const char *n)
{
    return strcasecmp(n, "script") == 0 || strcasecmp(n, "style") == 0 ||
           strcasecmp(n, "head") == 0 || strcasecmp(n, "template") == 0;
}

static int _newline(_htext *h)
{
    h->space = 0;
    if (h->last == 0)
        return 0;
    h->last = 0;
    return tz_buf_puts(h->out, "\n");
}

static int _ws(long cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0;
}

/* Appends the text s (UTF-8) with whitespace handled as the file says. */
static int _text(_htext *h, const char *s)
{
    size_t n = strlen(s);
    long cp;
    for (size_t i = 0; i < n;) {
        size_t l = tzpr_u8(s, n, i, &cp);
        if (_ws(cp)) {
            h->space = 1;
        } else {
            if (h->space && h->last && h->last < 0x80 && cp < 0x80 && tz_buf_puts(h->out, " "))
                return -1;
            h->space = 0;
            if (tz_buf_add(h->out, s + i, l))
                return -1;
            h->last = cp;
        }
        i += l;
    }
    return 0;
}

/* Called on entering (enter 1) or leaving an element. */
static int _element(_htext *h, const xmlNode *nd, int enter)
{
    const char *name = (const char *)nd->name;
    if (_is_block(name))
        return _newline(h);
    if (enter && (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) && h->last) {
        h->space = 0;
        h->last = '\t';
        return tz_buf_puts(h->out, "\t");
    }
    return 0;
}

/* Walks the tree under root in document order. Returns 0 or -1 (out of
 * memory). */
static int _walk(_htext *h, xmlNode *root)
{
    xmlNode *nd = root;
    for (;;) {
        int descend = 0;
        if (nd->type == XML_ELEMENT_NODE && !_is_skipped((const char *)nd->name)) {
            if (_element(h, nd, 1))
                return -1;
            descend = nd->children != NULL;
        } else if ((nd->type == XML_TEXT_NODE || nd->type == XML_CDATA_SECTION_NODE) &&
                   nd->content && _text(h, (const char *)nd->content)) {
            return -1;
        }
        if (descend) {
            nd = nd->children;
            continue;
        }
        while (nd != root && !nd->next) { /* leave the elements that end here */
            nd = nd->parent;
            if (nd->type == XML_ELEMENT_NODE && _element(h, nd, 0))
                return -1;
        }
        if (nd == root)
            return 0;
        nd = nd->next;
    }
}

/* Parses n bytes of HTML (at most TZ_TEXTDOC_FILE_MAX, times 2 after a
 * conversion, so the length fits an int) in enc, or as the file declares
 * when enc is NULL. */
static htmlDocPtr _parse(const char *s, size_t n, const char *enc)
{
    return htmlReadMemory(s, (int)n, NULL, enc,
                          HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                              HTML_PARSE_NOBLANKS);
}

/* Reparses a file that is not UTF-8 and declares no charset as GB18030, as
 * tz_textdoc_read reads a .txt (libxml2 would take it for Latin-1 and every
 * Chinese character would be lost to the checks). Returns 0 with *doc
 * replaced, or -1 with a diag naming the file. */
static int _reparse_gb18030(const char *path, const char *s, size_t n, htmlDocPtr *doc,
                            tz_diags *diags)
{
    tz_buf u = TZ_BUF_INIT;
    size_t bad = 0;
    int rc = -1, gb = tz_gb18030_to_utf8(s, n, &u, &bad);
    if (gb < 0) {
        tz_diags_error(diags, path, 0, NULL, NULL,
                       "内存不足或系统缺少GB18030编码转换，无法读取网页文件");
        goto done;
    }
    if (gb > 0) {
        tz_diags_error(
            diags, path, 0, NULL, NULL,
            "网页文件第%zu字节起既不是UTF-8也不是GB18030(GBK)编码，文件中也没有声明字符集"
            "（<meta charset>），无法校对；请把网页另存为UTF-8编码后再校对",
            bad + 1);
        goto done;
    }
    tz_diags_warn(diags, path, 0, NULL, NULL,
                  "网页文件不是UTF-8编码，也没有声明字符集，已按GB18030(GBK)读取");
    xmlFreeDoc(*doc);
    *doc = _parse(u.data ? u.data : "", u.len, "UTF-8");
    rc = 0;
done:
    tz_buf_free(&u);
    return rc;
}

int tzpr_html_text(const char *path, tz_buf *out, tz_diags *diags)
{
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    htmlDocPtr doc = NULL;
    if (tz_xml_load(path, diags) || tz_textdoc_slurp(path, &data, &len, diags))
        return -1;
    size_t skip = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    const char *s = data + skip;
    size_t n = len - skip;
    int utf8 = tz_utf8_valid(s, n);
    doc = _parse(s, n, utf8 ? "UTF-8" : NULL);
    if (doc && !utf8 && !doc->encoding && _reparse_gb18030(path, s, n, &doc, diags))
        goto done;
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        tz_diags_error(diags, path, 0, NULL, NULL, "不是可以读取的网页（HTML）文件");
        goto done;
    }
    _htext h = {out, 0, 0};
    if (_walk(&h, root) || (h.last && tz_buf_puts(out, "\n"))) {
        tz_diags_error(diags, path, 0, NULL, NULL, "内存不足，无法读取网页文件");
        goto done;
    }
    rc = 0;
done:
    xmlFreeDoc(doc);
    free(data);
    return rc;
}
