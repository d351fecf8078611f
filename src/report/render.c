/* render.c - Markdown and HTML (with inline SVG charts) renderers of tz_doc. */
#include "report/render.h"
#include "util/path.h"
#include "util/tmpfile.h"
#include "util/text.h"
#include "io/docx.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

/* An output builder with a sticky error flag (util/buf.h); the finished
 * text is appended to the caller's buffer by _finish. */
typedef tz_bufw _ow;

/* Appends what w built to out; returns 0, or -1 when anything failed. */
static int _finish(_ow *w, tz_buf *out)
{
    int rc = w->err || tz_buf_add(out, w->b.data ? w->b.data : "", w->b.len) != 0 ? -1 : 0;
    tz_buf_free(&w->b);
    return rc;
}

/* Formats a value for people: up to two decimals, trailing zeros dropped
 * (tz_fmt_decimal); NaN (a missing value) gives "". */
static void _fmt_num(double v, char *out, size_t n)
{
    if (isnan(v))
        snprintf(out, n, "%s", "");
    else
        tz_fmt_decimal(v, 2, out, n);
}

/* ---- Markdown -------------------------------------------------------- */

/* 1 when a code point is whitespace or punctuation for CommonMark's
 * emphasis flanking rules (ASCII punctuation, general and CJK punctuation,
 * full-width forms). */
static int _md_punct(unsigned c)
{
    if (c <= 0x20)
        return 1;
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    return (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
           (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0xA0;
}

enum {
    MD_PARA = 0, /* paragraph text: "\n" is a hard line break */
    MD_LINE = 1, /* one-line context (heading, list item): "\n" becomes a space */
    MD_CELL = 2  /* table cell: "\n" becomes <br>, "|" escaped */
};

/* Appends text escaped for Markdown. at_start: the text begins a line. */
static void _md_text(_ow *w, const char *s, int mode, int at_start)
{
    int line_start = at_start;
    while (*s && !w->err) {
        if (line_start) {
            /* Leading blanks would make an indented code block; drop them. */
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s == '-' || *s == '+' || *s == '=') {
                tz_bufw_puts(w, "\\");
            } else if (*s >= '0' && *s <= '9') {
                size_t k = 0;
                while (s[k] >= '0' && s[k] <= '9' && k < 10)
                    k++;
                if (s[k] == '.' || s[k] == ')') {
                    tz_bufw_add(w, s, k);
                    tz_bufw_puts(w, "\\");
                    s += k;
                }
            }
            line_start = 0;
            if (!*s)
                break;
        }
        char c = *s;
        if (c == '\n') {
            tz_bufw_puts(w, mode == MD_PARA ? "\\\n" : mode == MD_CELL ? "<br>" : " ");
            line_start = mode == MD_PARA;
        } else if (c == '\t') {
            tz_bufw_puts(w, " ");
        } else if (strchr("\\`*_[]<>|~&#!", c)) {
            char esc[3] = {'\\', c, '\0'};
            tz_bufw_puts(w, esc);
        } else {
            tz_bufw_add(w, s, 1);
        }
        s++;
    }
}

/* One run: bold as **…** where CommonMark's flanking rules accept it, else
 * <strong>; a resolved ref as a link to the anchor, with the bold inside the
 * link text ([**4809户**](#f1)), where the brackets make the markers flank. */
static void _md_run(_ow *w, const tz_doc *doc, const tz_doc_span *r, int at_start)
{
    int link = r->ref && tz_doc_has_anchor(doc, r->ref);
    const char *open = "", *close = "";
    if (r->bold && *r->text) {
        long c1, cl;
        const char *last = r->text + strlen(r->text);
        do
            last--;
        while (last > r->text && (*(const unsigned char *)last & 0xC0) == 0x80);
        tz_utf8_next(r->text, &c1);
        tz_utf8_next(last, &cl);
        int strong = link ? (c1 <= 0x20 || cl <= 0x20)
                          : (_md_punct((unsigned)c1) || _md_punct((unsigned)cl));
        open = strong ? "<strong>" : "**";
        close = strong ? "</strong>" : "**";
    }
    if (link)
        tz_bufw_puts(w, "[");
    tz_bufw_puts(w, open);
    _md_text(w, r->text, MD_PARA, at_start && !*open && !link);
    tz_bufw_puts(w, close);
    if (link)
        tz_bufw_printf(w, "](#%s)", r->ref);
}

/* One cell of a Markdown table row: " text |". */
static void _md_cell(_ow *w, const char *text)
{
    tz_bufw_puts(w, " ");
    _md_text(w, text, MD_CELL, 0);
    tz_bufw_puts(w, " |");
}

static void _md_table(_ow *w, const tz_doc *doc, const tz_doc_table *t)
{
    if (t->caption && *t->caption) {
        tz_bufw_puts(w, "**");
        _md_text(w, t->caption, MD_LINE, 0);
        tz_bufw_puts(w, "**\n\n");
    }
    tz_bufw_puts(w, "|");
    for (size_t c = 0; c < t->ncols; c++) {
        _md_cell(w, t->header[c]);
    }
    tz_bufw_puts(w, "\n|");
    for (size_t c = 0; c < t->ncols; c++)
        tz_bufw_puts(w, t->align[c] == TZ_ALIGN_NUMBER   ? " ---: |"
                        : t->align[c] == TZ_ALIGN_CENTER ? " :---: |"
                                                         : " --- |");
    tz_bufw_puts(w, "\n");
    for (size_t r = 0; r < t->nrows; r++) {
        tz_bufw_puts(w, "|");
        for (size_t c = 0; c < t->ncols; c++) {
            const tz_doc_cell *cell = &t->cells[r * t->ncols + c];
            int link = cell->ref && tz_doc_has_anchor(doc, cell->ref) && *cell->text;
            tz_bufw_puts(w, link ? " [" : " ");
            _md_text(w, cell->text, MD_CELL, 0);
            if (link)
                tz_bufw_printf(w, "](#%s)", cell->ref);
            tz_bufw_puts(w, " |");
        }
        tz_bufw_puts(w, "\n");
    }
    tz_bufw_puts(w, "\n");
}

static void _md_chart(_ow *w, const tz_doc_chart *c)
{
    char num[64];
    tz_bufw_puts(w, "**");
    _md_text(w, c->title, MD_LINE, 0);
    tz_bufw_puts(w, "**");
    if (c->unit && *c->unit) {
        tz_bufw_puts(w, "（单位：");
        _md_text(w, c->unit, MD_LINE, 0);
        tz_bufw_puts(w, "）");
    }
    tz_bufw_puts(w, "\n\n| 类别 |");
    for (size_t s = 0; s < c->nseries; s++) {
        _md_cell(w, c->series[s].name);
    }
    tz_bufw_puts(w, "\n| --- |");
    for (size_t s = 0; s < c->nseries; s++)
        tz_bufw_puts(w, " ---: |");
    tz_bufw_puts(w, "\n");
    for (size_t k = 0; k < c->ncats; k++) {
        tz_bufw_puts(w, "|");
        _md_cell(w, c->cats[k]);
        for (size_t s = 0; s < c->nseries; s++) {
            _fmt_num(c->series[s].values[k], num, sizeof num);
            tz_bufw_printf(w, " %s |", num);
        }
        tz_bufw_puts(w, "\n");
    }
    tz_bufw_puts(w, "\n");
}

/* The 附件说明 ("附件：数据来源") when the doc has an appendix; with
 * several, "附件：1．…" and each further item on a line of its own, aligned
 * under the first (full-width spaces). */
static void _md_appendix_note(_ow *w, const tz_doc *doc)
{
    size_t n = tz_doc_appendix_count(doc);
    for (size_t k = 0; k < n; k++) {
        char no[24];
        tz_doc_appendix_no(doc, k, no, sizeof no);
        if (k == 0)
            tz_bufw_puts(w, TZ_DOC_APPENDIX_NOTE);
        else
            for (int c = 0; c < TZ_DOC_APPENDIX_NOTE_CHARS; c++)
                tz_bufw_puts(w, "　");
        if (*no)
            tz_bufw_printf(w, "%s．", no);
        _md_text(w, tz_doc_appendix_title(doc, k), MD_LINE, 0);
        tz_bufw_puts(w, k + 1 < n ? "\\\n" : "\n\n");
    }
}

/* The 落款: the signer and the date on two lines (Markdown cannot align
 * them right). */
static void _md_close(_ow *w, const tz_doc_block *b)
{
    tz_doc_close_lines l;
    tz_doc_close_lines_of(b, &l);
    _md_text(w, b->text, MD_LINE, 1);
    tz_bufw_printf(w, "\\\n%s\n\n", l.date);
}

int tz_render_md(const tz_doc *doc, tz_buf *out)
{
    _ow w = TZ_BUFW_INIT;
    size_t nappendix = 0;
    if (!doc || doc->failed || doc->open)
        return -1;
    tz_bufw_puts(&w, "# ");
    _md_text(&w, doc->title, MD_LINE, 0);
    tz_bufw_puts(&w, "\n\n");
    if (doc->subtitle && *doc->subtitle) {
        _md_text(&w, doc->subtitle, MD_PARA, 1);
        tz_bufw_puts(&w, "\n\n");
    }
    for (size_t i = 0; i < doc->n; i++) {
        const tz_doc_block *b = &doc->blocks[i];
        if (tz_doc_appendix_note_at(doc, i))
            _md_appendix_note(&w, doc);
        switch (b->kind) {
        case TZ_DOC_HEADING:
            tz_bufw_puts(&w, b->level == 1 ? "## " : "### ");
            _md_text(&w, b->text, MD_LINE, 0);
            tz_bufw_puts(&w, "\n\n");
            break;
        case TZ_DOC_PARA: {
            int at_start = 1; /* nothing written yet on the paragraph's first line */
            for (size_t r = 0; r < b->nruns; r++) {
                _md_run(&w, doc, &b->runs[r], at_start);
                at_start = at_start && !*b->runs[r].text;
            }
            tz_bufw_puts(&w, "\n\n");
            break;
        }
        case TZ_DOC_TABLE:
            _md_table(&w, doc, b->table);
            break;
        case TZ_DOC_CHART:
            _md_chart(&w, b->chart);
            break;
        case TZ_DOC_PAGE_BREAK:
            tz_bufw_puts(&w, "---\n\n");
            break;
        case TZ_DOC_APPENDIX: {
            char no[24];
            tz_doc_appendix_no(doc, nappendix++, no, sizeof no);
            tz_bufw_printf(&w, "---\n\n**附件%s**\n\n", no);
            if (b->text && *b->text) {
                tz_bufw_puts(&w, "## ");
                _md_text(&w, b->text, MD_LINE, 0);
                tz_bufw_puts(&w, "\n\n");
            }
            break;
        }
        case TZ_DOC_ANCHOR:
            tz_bufw_printf(&w, "- <a id=\"%s\"></a>", b->id);
            _md_text(&w, b->text, MD_LINE, 0);
            tz_bufw_puts(&w, "\n");
            if (i + 1 == doc->n || doc->blocks[i + 1].kind != TZ_DOC_ANCHOR)
                tz_bufw_puts(&w, "\n");
            break;
        case TZ_DOC_CLOSE:
            _md_close(&w, b);
            break;
        }
    }
    return _finish(&w, out);
}

/* ---- HTML ------------------------------------------------------------ */

/* Appends s escaped for HTML text and attributes (util/text); each "\n"
 * becomes <br/> with br, else a space. */
static void _hx(_ow *w, const char *s, int br)
{
    while (!w->err) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        tz_bufw_xml(w, s, n, 0);
        if (!nl)
            break;
        tz_bufw_puts(w, br ? "<br/>" : " ");
        s = nl + 1;
    }
}

#define CSS_FONT_BODY                                                                              \
    "\"仿宋_GB2312\", \"仿宋\", FangSong, STFangsong, \"Noto Serif CJK SC\", serif"
#define CSS_FONT_TITLE                                                                             \
    "\"方正小标宋简体\", \"方正小标宋_GBK\", \"华文中宋\", STZhongsong, \"Noto Serif CJK SC\", serif"
#define CSS_FONT_HEI "\"黑体\", SimHei, \"Noto Sans CJK SC\", sans-serif"
#define CSS_FONT_KAI "\"楷体_GB2312\", \"楷体\", KaiTi, STKaiti, \"AR PL UKai CN\", serif"

/* Print-friendly CSS imitating GB/T 9704-2012: A4, the 公文 margins, 3号
 * 仿宋 body on a 28.95 pt line (22 lines per page), 2号 小标宋 title. */
static const char _css[] =
    "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }\n"
    "html { background: #eee; }\n"
    "body { margin: 0; }\n"
    ".doc { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 16px auto;"
    " padding: 37mm 26mm 35mm 28mm; background: #fff; color: #000; font-family: " CSS_FONT_BODY
    "; font-size: 16pt; line-height: 28.95pt; text-align: justify; }\n"
    ".doc header { margin-bottom: 28.95pt; }\n"
    "h1.title, h2.appendix-title { font-family: " CSS_FONT_TITLE
    "; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0; }\n"
    "p.subtitle { font-family: " CSS_FONT_KAI "; text-align: center; text-indent: 0; margin: 0; }\n"
    "h2 { font-family: " CSS_FONT_HEI "; font-size: 16pt; font-weight: normal; margin: 0;"
    " text-indent: 2em; }\n"
    "h3 { font-family: " CSS_FONT_KAI "; font-size: 16pt; font-weight: normal; margin: 0;"
    " text-indent: 2em; }\n"
    "p { margin: 0; text-indent: 2em; }\n"
    "figure { margin: 10pt 0; text-indent: 0; }\n"
    "figure.chart { break-inside: avoid; }\n"
    "figcaption { font-family: " CSS_FONT_HEI "; font-size: 14pt; text-align: center;"
    " line-height: 1.6; }\n"
    "table { width: 100%; border-collapse: collapse; font-size: 14pt; line-height: 1.5; }\n"
    "th, td { border: 1px solid #000; padding: 2pt 4pt; text-align: left; vertical-align: middle; }\n"
    "th { font-weight: bold; text-align: center; }\n"
    "th .unit { white-space: nowrap; }\n"
    "td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
    "td.c { text-align: center; }\n"
    "thead { display: table-header-group; }\n"
    "tr { break-inside: avoid; }\n"
    "figure.chart svg { display: block; width: 100%; height: auto; }\n"
    "a.ref { color: inherit; text-decoration: underline dotted #888; }\n"
    "a.ref:hover, ul.sources li:target { background: #fff3c4; }\n"
    ".appendix-label { font-family: " CSS_FONT_HEI "; text-indent: 0; break-before: page; }\n"
    "h2.appendix-title { text-indent: 0; margin-bottom: 28.95pt; }\n"
    "p.appendix-note { margin-top: 28.95pt; }\n"
    ".close { margin-top: 28.95pt; break-inside: avoid; }\n"
    ".close p { text-indent: 0; text-align: right; }\n"
    "ul.sources { list-style: none; margin: 0; padding: 0; font-size: 14pt; line-height: 1.6;"
    " text-align: left; }\n"
    ".page-break { break-after: page; }\n"
    "@media screen { .page-break, .appendix-label { border-top: 1px dashed #bbb; }"
    " .page-break { margin: 16pt 0; } .appendix-label { margin-top: 16pt; padding-top: 16pt; } }\n"
    /* a screen narrower than the A4 sheet (a phone): the text fills it */
    "@media screen and (max-width: 210mm) { .doc { width: auto; min-height: 0; margin: 0;"
    " padding: 24px 16px; font-size: 13pt; line-height: 1.8; }"
    " h1.title, h2.appendix-title { font-size: 17pt; } h2, h3 { font-size: 13pt; }"
    " table, ul.sources { font-size: 11pt; }"
    " figcaption { font-size: 12pt; } th, td { padding: 2pt 2pt; } }\n"
    "@media print { html { background: none; } .doc { width: auto; min-height: 0; margin: 0;"
    " padding: 0; } a.ref { text-decoration: none; } }\n";

/* How runs and cells with a ref become links: to the page's anchors (fn
 * NULL), or elements whose attributes the caller writes
 * (tz_render_html_article). */
typedef struct _html_refs {
    tz_render_ref_fn fn; /* the caller's attributes, or NULL */
    void *ctx;           /* passed to fn */
} _html_refs;

static void _html_run(_ow *w, const tz_doc *doc, const _html_refs *rf, const char *text,
                      const char *ref, int bold)
{
    tz_buf attrs = TZ_BUF_INIT;
    int fig = ref && rf->fn && rf->fn(rf->ctx, ref, &attrs) == 1;
    int link = !fig && ref && !rf->fn && tz_doc_has_anchor(doc, ref);
    if (bold)
        tz_bufw_puts(w, "<strong>");
    if (fig)
        tz_bufw_printf(w, "<a class=\"tz-fig\"%s>", tz_buf_str(&attrs));
    if (link)
        tz_bufw_printf(w, "<a class=\"ref\" href=\"#%s\">", ref);
    _hx(w, text, 1);
    if (link || fig)
        tz_bufw_puts(w, "</a>");
    if (bold)
        tz_bufw_puts(w, "</strong>");
    tz_buf_free(&attrs);
}

static void _html_table(_ow *w, const tz_doc *doc, const _html_refs *rf, const tz_doc_table *t)
{
    tz_bufw_puts(w, "<figure class=\"table\">\n");
    if (t->caption && *t->caption) {
        tz_bufw_puts(w, "<figcaption>");
        _hx(w, t->caption, 1);
        tz_bufw_puts(w, "</figcaption>\n");
    }
    tz_bufw_puts(w, "<table>\n<thead><tr>");
    for (size_t c = 0; c < t->ncols; c++) {
        /* a unit "（亿元）" kept whole: a header that wraps breaks before it */
        size_t u = tz_doc_head_unit(t->header[c]);
        tz_bufw_puts(w, "<th scope=\"col\">");
        if (u) {
            tz_bufw_xml(w, t->header[c], u, 0);
            tz_bufw_puts(w, "<span class=\"unit\">");
        }
        _hx(w, t->header[c] + u, 1);
        tz_bufw_puts(w, u ? "</span></th>" : "</th>");
    }
    tz_bufw_puts(w, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->nrows; r++) {
        tz_bufw_puts(w, "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const tz_doc_cell *cell = &t->cells[r * t->ncols + c];
            tz_bufw_puts(w, t->align[c] == TZ_ALIGN_NUMBER   ? "<td class=\"num\">"
                            : t->align[c] == TZ_ALIGN_CENTER ? "<td class=\"c\">"
                                                             : "<td>");
            _html_run(w, doc, rf, cell->text, cell->ref, 0);
            tz_bufw_puts(w, "</td>");
        }
        tz_bufw_puts(w, "</tr>\n");
    }
    tz_bufw_puts(w, "</tbody>\n</table>\n</figure>\n");
}

#define CHART_NCOLORS 10 /* bar colours, reused in turn beyond ten bar series */
static const char *const _colors[CHART_NCOLORS] = {"#4472C4", "#ED7D31", "#A5A5A5", "#FFC000",
                                                   "#5B9BD5", "#70AD47", "#264478", "#9E480E",
                                                   "#636363", "#997300"};
/* Value label colour readable on each bar colour. */
static const char *const _label_colors[CHART_NCOLORS] = {"#fff", "#fff", "#000", "#000", "#fff",
                                                         "#fff", "#fff", "#fff", "#fff", "#fff"};
#define CHART_TARGET "#C00000"

/* A "nice" axis step (1, 2 or 5 times a power of ten) for the span. */
static double _nice_step(double span)
{
    double raw = span / 5;
    double mag = pow(10, floor(log10(raw)));
    double norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/* Where bar series s starts in category k of a stacked chart: the sum of
 * the values of the same sign of the bar series before it. */
static double _stack_base(const tz_doc_chart *c, size_t s, size_t k, double v)
{
    double base = 0;
    for (size_t i = 0; i < s; i++) {
        double u = c->series[i].values[k];
        if (c->series[i].kind == TZ_SERIES_BAR && !isnan(u) && (u < 0) == (v < 0))
            base += u;
    }
    return base;
}

/* The geometry of one chart, computed from its data. */
typedef struct chart_geom {
    double width, height;  /* the SVG's size */
    double x0, x1, y0, y1; /* the plot area */
    double bot, top, step; /* value axis: lowest and highest grid line, their distance */
    double band;           /* width of one category */
    double group;          /* width of a category's cluster of bars */
    double bw;             /* width of one bar */
    size_t nbars;          /* bar series */
    int labels;            /* 1: value labels on the bars */
    int inside;            /* 1: value labels inside the bar tops (a target line covers them) */
} chart_geom;

/* The y coordinate of a value. */
static double _chart_y(const chart_geom *g, double v)
{
    return g->y1 - (v - g->bot) / (g->top - g->bot) * (g->y1 - g->y0);
}

/* The x coordinate of the middle of category k. */
static double _chart_mid(const chart_geom *g, size_t k)
{
    return g->x0 + g->band * ((double)k + 0.5);
}

static void _chart_geom(const tz_doc_chart *c, chart_geom *g)
{
    double vmin = 0, vmax = 0;
    *g = (chart_geom){.width = 640, .height = 380, .x0 = 64, .x1 = 628, .y0 = 28, .y1 = 300};
    for (size_t s = 0; s < c->nseries; s++) {
        g->nbars += c->series[s].kind == TZ_SERIES_BAR;
        for (size_t k = 0; k < c->ncats; k++) {
            double v = c->series[s].values[k];
            if (isnan(v))
                continue;
            if (c->stacked && c->series[s].kind == TZ_SERIES_BAR) /* the stack's end */
                v += _stack_base(c, s, k, v);
            vmin = v < vmin ? v : vmin;
            vmax = v > vmax ? v : vmax;
        }
    }
    if (vmax - vmin <= 0)
        vmax = vmin + 1;
    /* Headroom above the tallest bar for its value label. */
    vmax += (vmax - vmin) * 0.08;
    g->step = _nice_step(vmax - vmin);
    g->top = ceil(vmax / g->step - 1e-9) * g->step;
    g->bot = floor(vmin / g->step + 1e-9) * g->step;
    if (g->top - g->bot <= 0)
        g->top = g->bot + g->step;
    g->band = (g->x1 - g->x0) / (double)c->ncats;
    g->group = g->band * 0.72;
    size_t across = c->stacked ? 1 : g->nbars; /* bars side by side in a category */
    g->bw = across ? g->group / (double)across : g->group;
    if (g->bw > 64) {
        g->bw = 64;
        g->group = g->bw * (double)across;
    }
    g->labels = c->ncats * across <= 24;
    g->inside = g->nbars < c->nseries || c->stacked;
}

/* The opening of the SVG, its title and unit, the grid and the value axis. */
static void _chart_axis(_ow *w, const tz_doc_chart *c, const chart_geom *g, int nchart)
{
    char a[64];
    tz_bufw_puts(w, "<figure class=\"chart\">\n<figcaption>");
    _hx(w, c->title, 1);
    tz_bufw_puts(w, "</figcaption>\n");
    tz_bufw_printf(
        w,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
        "role=\"img\" aria-labelledby=\"chart%d-title\" font-size=\"14\" font-family=\"inherit\">\n",
        g->width, g->height, nchart);
    tz_bufw_printf(w, "<title id=\"chart%d-title\">", nchart);
    _hx(w, c->title, 0);
    tz_bufw_puts(w, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    if (c->unit && *c->unit) {
        tz_bufw_printf(w, "<text x=\"%.1f\" y=\"16\" font-size=\"13\">单位：", g->x0 - 56);
        _hx(w, c->unit, 0);
        tz_bufw_puts(w, "</text>\n");
    }
    for (int i = 0; i <= 1000; i++) {
        double v = g->bot + i * g->step;
        if (v > g->top + g->step * 1e-6)
            break;
        double y = _chart_y(g, v);
        _fmt_num(fabs(v) < g->step * 1e-9 ? 0 : v, a, sizeof a);
        tz_bufw_printf(w,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
                       "font-size=\"13\">%s</text>\n",
                       g->x0, y, g->x1, y, fabs(v) < g->step * 1e-9 ? "#000" : "#ddd", g->x0 - 6,
                       y + 4, a);
    }
    tz_bufw_printf(w, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>\n",
                   g->x0, g->y0, g->x0, g->y1);
}

/* The bar series, clustered (or stacked) per category, with their value
 * labels; a missing value has no bar, a zero no label. */
static void _chart_bars(_ow *w, const tz_doc_chart *c, const chart_geom *g)
{
    char a[64];
    size_t bi = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        const tz_doc_series *sr = &c->series[s];
        if (sr->kind != TZ_SERIES_BAR)
            continue;
        tz_bufw_printf(w, "<g fill=\"%s\">\n", _colors[bi % CHART_NCOLORS]);
        for (size_t k = 0; k < c->ncats; k++) {
            double v = sr->values[k];
            if (isnan(v))
                continue;
            double base = c->stacked ? _stack_base(c, s, k, v) : 0;
            double x = g->x0 + g->band * (double)k + (g->band - g->group) / 2 +
                       (c->stacked ? 0 : g->bw * (double)bi);
            double ya = _chart_y(g, base + v), yz = _chart_y(g, base > g->bot ? base : g->bot);
            double yt = ya < yz ? ya : yz, h = fabs(yz - ya);
            _fmt_num(v, a, sizeof a);
            tz_bufw_printf(w, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                           x, yt, g->bw * 0.92, h);
            _hx(w, sr->name, 0);
            tz_bufw_puts(w, " ");
            _hx(w, c->cats[k], 0);
            tz_bufw_printf(w, ": %s</title></rect>\n", a);
            if (!g->labels || v == 0)
                continue;
            if (c->stacked && h >= 16)
                tz_bufw_printf(
                    w,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                    "fill=\"%s\">%s</text>\n",
                    x + g->bw * 0.46, yt + h / 2 + 4, _label_colors[bi % CHART_NCOLORS], a);
            else if (!c->stacked && g->inside && h >= 20)
                tz_bufw_printf(
                    w,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                    "fill=\"%s\">%s</text>\n",
                    x + g->bw * 0.46, v >= 0 ? ya + 16 : ya - 8, _label_colors[bi % CHART_NCOLORS],
                    a);
            else if (!c->stacked)
                tz_bufw_printf(
                    w,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                    "fill=\"#000\">%s</text>\n",
                    x + g->bw * 0.46, v >= 0 ? ya - 3 : ya + 11, a);
        }
        tz_bufw_puts(w, "</g>\n");
        bi++;
    }
}

/* The target series: dashed lines (broken where a value is missing) with a
 * diamond on each value. */
static void _chart_targets(_ow *w, const tz_doc_chart *c, const chart_geom *g)
{
    char a[64];
    for (size_t s = 0; s < c->nseries; s++) {
        const tz_doc_series *sr = &c->series[s];
        if (sr->kind != TZ_SERIES_TARGET)
            continue;
        tz_bufw_puts(w, "<g stroke=\"" CHART_TARGET "\" fill=\"" CHART_TARGET "\">\n");
        int open = 0;
        for (size_t k = 0; k < c->ncats; k++) {
            double v = sr->values[k];
            if (isnan(v)) {
                if (open)
                    tz_bufw_puts(w, "\"/>\n");
                open = 0;
                continue;
            }
            tz_bufw_printf(w, "%s%.1f,%.1f",
                           open ? " "
                                : "<polyline fill=\"none\" stroke-width=\"2\" "
                                  "stroke-dasharray=\"6 4\" points=\"",
                           _chart_mid(g, k), _chart_y(g, v));
            open = 1;
        }
        if (open)
            tz_bufw_puts(w, "\"/>\n");
        for (size_t k = 0; k < c->ncats; k++) {
            double v = sr->values[k];
            if (isnan(v))
                continue;
            double cx = _chart_mid(g, k), cy = _chart_y(g, v);
            _fmt_num(v, a, sizeof a);
            tz_bufw_printf(w, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"><title>", cx,
                           cy - 5, cx + 5, cy, cx, cy + 5, cx - 5, cy);
            _hx(w, sr->name, 0);
            tz_bufw_puts(w, " ");
            _hx(w, c->cats[k], 0);
            tz_bufw_printf(w, ": %s</title></path>\n", a);
        }
        tz_bufw_puts(w, "</g>\n");
    }
}

/* The category labels under the plot and the legend, centred below them. */
static void _chart_legend(_ow *w, const tz_doc_chart *c, const chart_geom *g)
{
    char a[64], b[64];
    int catfont = c->ncats > 8 ? 11 : 14;
    for (size_t k = 0; k < c->ncats; k++) {
        tz_bufw_printf(w, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%d\">",
                       _chart_mid(g, k), g->y1 + 18, catfont);
        _hx(w, c->cats[k], 0);
        tz_bufw_puts(w, "</text>\n");
    }
    double total = 0;
    for (size_t s = 0; s < c->nseries; s++)
        total += 22 + (double)tz_text_width(c->series[s].name) * 7.5 + 16;
    double lx = (g->width - total) / 2;
    if (lx < 4)
        lx = 4;
    double ly = g->height - 24;
    size_t bi = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        const tz_doc_series *sr = &c->series[s];
        if (sr->kind == TZ_SERIES_BAR) {
            tz_bufw_printf(w,
                           "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>",
                           lx, ly - 9, _colors[bi % CHART_NCOLORS]);
            bi++;
        } else {
            snprintf(a, sizeof a, "%.1f", lx);
            snprintf(b, sizeof b, "%.1f", lx + 16);
            tz_bufw_printf(
                w,
                "<line x1=\"%s\" y1=\"%.1f\" x2=\"%s\" y2=\"%.1f\" stroke=\"" CHART_TARGET
                "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>",
                a, ly - 4, b, ly - 4);
        }
        tz_bufw_printf(w, "<text x=\"%.1f\" y=\"%.1f\">", lx + 20, ly);
        _hx(w, sr->name, 0);
        tz_bufw_puts(w, "</text>\n");
        lx += 22 + (double)tz_text_width(sr->name) * 7.5 + 16;
    }
}

/* Writes the chart as an inline SVG: value axis with grid lines, clustered
 * bars with value labels, target series as dashed lines with diamonds, and a
 * legend. All geometry is computed from the data, so output is stable. */
static void _html_chart(_ow *w, const tz_doc_chart *c, int nchart)
{
    chart_geom g;
    _chart_geom(c, &g);
    _chart_axis(w, c, &g, nchart);
    _chart_bars(w, c, &g);
    _chart_targets(w, c, &g);
    _chart_legend(w, c, &g);
    tz_bufw_puts(w, "</svg>\n</figure>\n");
}

/* The 附件说明 when the doc has an appendix (GB/T 9704-2012 7.3.4): one
 * paragraph, each item after the first on a line of its own under the first. */
static void _html_appendix_note(_ow *w, const tz_doc *doc)
{
    size_t n = tz_doc_appendix_count(doc);
    tz_bufw_puts(w, "<p class=\"appendix-note\">" TZ_DOC_APPENDIX_NOTE);
    for (size_t k = 0; k < n; k++) {
        char no[24];
        tz_doc_appendix_no(doc, k, no, sizeof no);
        if (k)
            tz_bufw_printf(w, "<br><span class=\"appendix-item\" style=\"padding-left: %dem\">",
                           TZ_DOC_APPENDIX_NOTE_CHARS);
        if (*no)
            tz_bufw_printf(w, "%s．", no);
        _hx(w, tz_doc_appendix_title(doc, k), 1);
        if (k)
            tz_bufw_puts(w, "</span>");
    }
    tz_bufw_puts(w, "</p>\n");
}

/* The 落款 (GB/T 9704-2012 7.3.5.1), right-aligned as in the .docx. */
static void _html_close(_ow *w, const tz_doc_block *b)
{
    tz_doc_close_lines l;
    tz_doc_close_lines_of(b, &l);
    tz_bufw_printf(w, "<div class=\"close\">\n<p class=\"signer\" style=\"padding-right: %.1fem\">",
                   l.signer_right / 2.0);
    _hx(w, b->text, 0);
    tz_bufw_printf(w, "</p>\n<p class=\"date\" style=\"padding-right: %.1fem\">%s</p>\n</div>\n",
                   l.date_right / 2.0, l.date);
}

/* The <article class="doc"> of doc: title, subtitle and every block. */
static void _html_article(_ow *w, const tz_doc *doc, const _html_refs *rf)
{
    int nchart = 0;
    size_t nappendix = 0;
    tz_bufw_puts(w, "<article class=\"doc\">\n<header>\n<h1 class=\"title\">");
    _hx(w, doc->title, 1);
    tz_bufw_puts(w, "</h1>\n");
    if (doc->subtitle && *doc->subtitle) {
        tz_bufw_puts(w, "<p class=\"subtitle\">");
        _hx(w, doc->subtitle, 1);
        tz_bufw_puts(w, "</p>\n");
    }
    tz_bufw_puts(w, "</header>\n");
    for (size_t i = 0; i < doc->n; i++) {
        const tz_doc_block *b = &doc->blocks[i];
        if (tz_doc_appendix_note_at(doc, i))
            _html_appendix_note(w, doc);
        switch (b->kind) {
        case TZ_DOC_HEADING:
            tz_bufw_puts(w, b->level == 1 ? "<h2>" : "<h3>");
            _hx(w, b->text, 1);
            tz_bufw_puts(w, b->level == 1 ? "</h2>\n" : "</h3>\n");
            break;
        case TZ_DOC_PARA:
            tz_bufw_puts(w, "<p>");
            for (size_t r = 0; r < b->nruns; r++)
                _html_run(w, doc, rf, b->runs[r].text, b->runs[r].ref, b->runs[r].bold);
            tz_bufw_puts(w, "</p>\n");
            break;
        case TZ_DOC_TABLE:
            _html_table(w, doc, rf, b->table);
            break;
        case TZ_DOC_CHART:
            _html_chart(w, b->chart, ++nchart);
            break;
        case TZ_DOC_PAGE_BREAK:
            tz_bufw_puts(w, "<div class=\"page-break\"></div>\n");
            break;
        case TZ_DOC_APPENDIX: {
            char no[24];
            tz_doc_appendix_no(doc, nappendix++, no, sizeof no);
            tz_bufw_printf(w, "<p class=\"appendix-label\">附件%s</p>\n", no);
            if (b->text && *b->text) {
                tz_bufw_puts(w, "<h2 class=\"appendix-title\">");
                _hx(w, b->text, 1);
                tz_bufw_puts(w, "</h2>\n");
            }
            break;
        }
        case TZ_DOC_ANCHOR:
            if (i == 0 || doc->blocks[i - 1].kind != TZ_DOC_ANCHOR)
                tz_bufw_puts(w, "<ul class=\"sources\">\n");
            tz_bufw_printf(w, "<li id=\"%s\">", b->id);
            _hx(w, b->text, 1);
            tz_bufw_puts(w, "</li>\n");
            if (i + 1 == doc->n || doc->blocks[i + 1].kind != TZ_DOC_ANCHOR)
                tz_bufw_puts(w, "</ul>\n");
            break;
        case TZ_DOC_CLOSE:
            _html_close(w, b);
            break;
        }
    }
    tz_bufw_puts(w, "</article>\n");
}

int tz_render_html(const tz_doc *doc, tz_buf *out)
{
    _ow w = TZ_BUFW_INIT;
    if (!doc || doc->failed || doc->open)
        return -1;
    tz_bufw_puts(&w, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                     "<meta name=\"generator\" content=\"Taizhang\"/>\n<title>");
    _hx(&w, doc->title, 0);
    tz_bufw_puts(&w, "</title>\n<style>\n");
    tz_bufw_puts(&w, _css);
    tz_bufw_puts(&w, "</style>\n</head>\n<body>\n");
    _html_article(&w, doc, &(_html_refs){NULL, NULL});
    tz_bufw_puts(&w, "</body>\n</html>\n");
    return _finish(&w, out);
}

int tz_render_html_article(const tz_doc *doc, tz_render_ref_fn fn, void *ctx, tz_buf *out)
{
    _ow w = TZ_BUFW_INIT;
    if (!doc || doc->failed || doc->open || !fn)
        return -1;
    _html_article(&w, doc, &(_html_refs){fn, ctx});
    return _finish(&w, out);
}

/* ---- files ------------------------------------------------------------ */

int tz_render_file(const tz_doc *doc, const char *path, tz_diags *d)
{
    int rc = -1;
    tz_buf b = TZ_BUF_INIT;
    FILE *fp = NULL;
    char *tmp = NULL;
    const char *fname = tz_path_base(path);
    int md = tz_path_has_ext(path, ".md") || tz_path_has_ext(path, ".markdown");
    int html = tz_path_has_ext(path, ".html") || tz_path_has_ext(path, ".htm");
    if (tz_path_has_ext(path, ".docx"))
        return tz_docx_write(doc, path, d);
    if (!md && !html) {
        const char *dot = strrchr(fname, '.');
        tz_diags_error(d, fname, 0, NULL, dot ? dot : "",
                       "不支持的报告格式，请使用 .docx、.md 或 .html 作为文件扩展名");
        return -1;
    }
    if (!doc || doc->failed || doc->open) {
        tz_diags_error(d, fname, 0, NULL, NULL, "报告文档不完整，无法生成报告文件：%s",
                       !doc          ? "文档未创建"
                       : doc->failed ? doc->error
                                     : "有未结束的段落、表格或图表");
        return -1;
    }
    const char *dangling = tz_doc_dangling_ref(doc);
    if (dangling)
        tz_diags_warn(d, fname, 0, NULL, dangling,
                      "报告引用的数据来源编号在附件中不存在，已按普通文字输出");
    if ((md ? tz_render_md(doc, &b) : tz_render_html(doc, &b)) != 0) {
        tz_diags_error(d, fname, 0, NULL, NULL, "内存不足，无法生成报告文件");
        goto done;
    }
    /* write beside the target and rename over it, so a failed write never
     * leaves half a report or destroys the previous one (util/tmpfile: mode
     * 0600, removed on SIGINT/SIGTERM and after a killed run) */
    const char *why = NULL;
    int fd = tz_tmp_create(path, NULL, &tmp, &why);
    if (fd < 0) {
        tz_diags_error(d, fname, 0, NULL, NULL, "无法创建报告文件：%s", why);
        goto done;
    }
    fp = fdopen(fd, "wb");
    if (!fp) {
        tz_diags_error(d, fname, 0, NULL, NULL, "无法创建报告文件：%s", tz_errno_text(errno, 1));
        close(fd);
        goto done;
    }
    if (fwrite(tz_buf_str(&b), 1, b.len, fp) != b.len || fflush(fp) != 0 ||
        fsync(fileno(fp)) != 0) {
        tz_diags_error(d, fname, 0, NULL, NULL, "写入报告文件失败：%s", tz_errno_text(errno, 1));
        goto done;
    }
    rc = 0;
done:
    if (fp && fclose(fp) != 0 && rc == 0) {
        tz_diags_error(d, fname, 0, NULL, NULL, "写入报告文件失败：%s", tz_errno_text(errno, 1));
        rc = -1;
    }
    if (tmp && rc == 0 && tz_tmp_publish(tmp, path, &why) != 0) {
        tz_diags_error(d, fname, 0, NULL, NULL, "写入报告文件失败：%s", why);
        rc = -1;
    }
    if (rc != 0)
        tz_tmp_discard(tmp);
    free(tmp);
    tz_buf_free(&b);
    return rc;
}
