/* docx.c - writing a tz_doc as a GB/T 9704-2012 WordprocessingML package. */
#include "io/xlsxw.h"
#include "io/libzip.h"
#include "io/docx.h"
#include "util/path.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/tmpfile.h"
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Text area in twips. */
#define DOCX_TEXT_W (TZ_DOCX_PAGE_W - TZ_DOCX_MARGIN_LEFT - TZ_DOCX_MARGIN_RIGHT)
#define DOCX_TABLE_HALFPTS 28       /* table text, 4号 (14 pt) */
#define DOCX_TABLE_SMALL_HALFPTS 24 /* 6 columns or more, or a wide one, 小四 (12 pt) */
#define DOCX_TEXT_H (TZ_DOCX_PAGE_H - TZ_DOCX_MARGIN_TOP - TZ_DOCX_MARGIN_BOTTOM)
/* English Metric Units per twip (914400 per inch / 1440 twips per inch). */
#define DOCX_EMU_PER_TWIP 635
/* Chart height: 90 mm. */
#define DOCX_CHART_H_EMU 3240000L
/* Footer distance from the page edge: the page number line sits about 7 mm
 * under the text area (GB/T 9704-2012 7.5: "一字线上距版心下边缘7mm"); with a
 * 4号 line of about 6.4 mm the footer bottom is 35 - 7 - 3.2 ~ 25 mm. */
#define DOCX_FOOTER_DIST 1417
/* One 4号 (14 pt) character: the page number keeps one character from the edge. */
#define DOCX_FOOTER_INDENT 280
/* Fixed time of every zip entry and document property: 1980-01-01 00:00. */
#define DOCX_DOS_DATE ((0 << 9) | (1 << 5) | 1)
#define DOCX_DOS_TIME 0
#define DOCX_FIXED_W3CDTF "1980-01-01T00:00:00Z"
#define DOCX_FIXED_TIME_T ((time_t)315532800) /* 1980-01-01T00:00:00Z */

#define DOCX_NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define DOCX_NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define DOCX_NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define DOCX_NS_C "http://schemas.openxmlformats.org/drawingml/2006/chart"
#define DOCX_NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define DOCX_NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define DOCX_REL_OD "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define DOCX_CT_OD "application/vnd.openxmlformats-officedocument."
#define DOCX_XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* Fonts of the 公文 look. */
#define DOCX_F_LATIN "Times New Roman"
#define DOCX_F_TITLE "方正小标宋简体"
#define DOCX_F_BODY "仿宋_GB2312"
#define DOCX_F_H1 "黑体"
#define DOCX_F_H2 "楷体_GB2312"
#define DOCX_F_PAGENO "宋体"

/* Bar colours (distinct in greyscale print too) and the target line colour. */
static const char *const _palette[] = {"4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5",
                                       "70AD47", "264478", "9E480E", "636363", "997300"};
/* Value label colour readable inside each bar colour. */
static const char *const _label_color[] = {"FFFFFF", "FFFFFF", "000000", "000000", "FFFFFF",
                                           "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF"};
#define DOCX_TARGET_COLOR "C00000"

/* An XML part builder with a sticky error flag (util/buf.h). */
typedef tz_bufw _xw;

/* Appends n bytes of s, escaped for XML text and attribute values; tab and
 * line feed are only reached in attributes: text splits at them. */
static void _wxn(_xw *w, const char *s, size_t n)
{
    tz_bufw_xml(w, s, n, TZ_XML_ATTR);
}

static void _wx(_xw *w, const char *s)
{
    _wxn(w, s, strlen(s));
}

/* One finished part of the package. */
typedef struct _part {
    char *name; /* zip entry name */
    char *data; /* contents (malloc'd) */
    size_t len; /* bytes */
} _part;

/* The package being assembled. */
typedef struct _pkg {
    _part *parts;      /* parts in zip order */
    size_t n;          /* parts used */
    size_t cap;        /* parts allocated */
    int nbookmarks;    /* bookmark ids handed out */
    tz_diags *d;       /* where warnings go */
    const char *fname; /* basename of the output, for diagnostics */
    const char *path;  /* the output path; scratch files go beside it */
} _pkg;

/* Moves data (malloc'd, len bytes) into the package as name; frees data on failure. */
static int _pkg_add(_pkg *p, const char *name, char *data, size_t len)
{
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 16;
        _part *np = realloc(p->parts, ncap * sizeof *np);
        if (!np) {
            free(data);
            return -1;
        }
        p->parts = np;
        p->cap = ncap;
    }
    char *nm = strdup(name);
    if (!nm) {
        free(data);
        return -1;
    }
    p->parts[p->n].name = nm;
    p->parts[p->n].data = data;
    p->parts[p->n].len = len;
    p->n++;
    return 0;
}

/* Moves a finished writer into the package. */
static int _pkg_add_xw(_pkg *p, const char *name, _xw *w)
{
    if (w->err) {
        tz_buf_free(&w->b);
        return -1;
    }
    size_t len = w->b.len;
    return _pkg_add(p, name, tz_buf_take(&w->b), len);
}

static void _pkg_free(_pkg *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->parts[i].name);
        free(p->parts[i].data);
    }
    free(p->parts);
}

int tz_docx_line_pitch(void)
{
    return DOCX_TEXT_H / TZ_DOCX_LINES;
}

int tz_docx_letter_spacing(void)
{
    /* The widest whole-twip advance that fits TZ_DOCX_CHARS characters, less
     * the font size: 8845 / 28 = 315 twips, 315 - 320 = -5 (-0.25 pt). */
    return DOCX_TEXT_W / TZ_DOCX_CHARS - TZ_DOCX_BODY_HALFPTS * 10;
}

int tz_docx_char_space(void)
{
    /* Word adds charSpace/4096 pt to every character of the default size
     * (16 pt here) so that TZ_DOCX_CHARS fit the text width. */
    long num = ((long)DOCX_TEXT_W - (long)TZ_DOCX_CHARS * TZ_DOCX_BODY_HALFPTS * 10) * 4096;
    long den = (long)TZ_DOCX_CHARS * 20;
    /* floor (den > 0), so that the 28 characters always fit; num < 0 here,
     * where C's division would round up */
    return (int)((num - ((num % den) + den) % den) / den);
}

/* ---- document.xml ---------------------------------------------------- */

/* rFonts with Latin in ascii/hAnsi and the Chinese font in eastAsia. */
static void _w_fonts(_xw *w, const char *latin, const char *ea)
{
    tz_bufw_printf(w, "<w:rFonts w:ascii=\"%s\" w:hAnsi=\"%s\" w:eastAsia=\"%s\" w:cs=\"%s\"/>",
                   latin, latin, ea, latin);
}

/* Writes one run: its properties (rpr, may be NULL) and text, with "\n" as
 * a line break and "\t" as a tab. */
static void _w_run(_xw *w, const char *rpr, const char *text)
{
    tz_bufw_puts(w, "<w:r>");
    if (rpr && *rpr)
        tz_bufw_printf(w, "<w:rPr>%s</w:rPr>", rpr);
    const char *seg = text;
    for (const char *s = text;; s++) {
        if (*s == '\n' || *s == '\t' || *s == '\0') {
            if (s > seg) {
                tz_bufw_puts(w, "<w:t xml:space=\"preserve\">");
                _wxn(w, seg, (size_t)(s - seg));
                tz_bufw_puts(w, "</w:t>");
            }
            if (*s == '\0')
                break;
            tz_bufw_puts(w, *s == '\n' ? "<w:br/>" : "<w:tab/>");
            seg = s + 1;
        }
    }
    tz_bufw_puts(w, "</w:r>");
}

/* A run that may link to a provenance anchor. Unresolved refs lose the link. */
static void _w_linked_run(_xw *w, const tz_doc *doc, const char *text, const char *ref, int bold)
{
    const char *rpr = bold ? "<w:b/><w:bCs/>" : "";
    if (ref && tz_doc_has_anchor(doc, ref)) {
        tz_bufw_puts(w, "<w:hyperlink w:anchor=\"");
        _wx(w, ref);
        tz_bufw_puts(w, "\" w:tooltip=\"查看数据来源\" w:history=\"1\">");
        _w_run(w,
               bold ? "<w:rStyle w:val=\"SourceLink\"/><w:b/><w:bCs/>"
                    : "<w:rStyle w:val=\"SourceLink\"/>",
               text);
        tz_bufw_puts(w, "</w:hyperlink>");
    } else {
        _w_run(w, rpr, text);
    }
}

/* A paragraph of one plain run in the given style (extra pPr may be NULL). */
static void _w_para(_xw *w, const char *style, const char *ppr, const char *text)
{
    tz_bufw_printf(w, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s</w:pPr>", style, ppr ? ppr : "");
    if (text && *text)
        _w_run(w, NULL, text);
    tz_bufw_puts(w, "</w:p>");
}

/* Column widths. A body cell of at most DOCX_CELL_WHOLE display columns (a
 * name, a number, a status) should not wrap, nor a header of at most
 * DOCX_HEAD_WHOLE (wrapping "县（区）" would start a line with "）"); longer
 * text may wrap down to that width. */
#define DOCX_CELL_WHOLE 14
#define DOCX_HEAD_WHOLE 8
#define DOCX_CELL_PAD 144 /* twips: the cell margins (57 each side), borders and slack */

/* v, or lo when below it, or hi when above it (lo <= hi). */
static size_t _clamp(size_t v, size_t lo, size_t hi)
{
    if (v < lo)
        return lo;
    return v > hi ? hi : v;
}

/* The display columns column c needs unwrapped (*want, at most 24) and at
 * the least (*need). */
static void _col_extent(const tz_doc_table *t, size_t c, long *want, long *need)
{
    size_t h = tz_text_width(t->header[c]);
    size_t w = h, body = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t k = tz_text_width(t->cells[r * t->ncols + c].text);
        w = k > w ? k : w;
        body = k > body ? k : body;
    }
    size_t head = h < DOCX_HEAD_WHOLE ? h : DOCX_HEAD_WHOLE; /* the header's unwrapped part */
    size_t n = _clamp(body > head ? body : head, 4, DOCX_CELL_WHOLE);
    *need = (long)n;
    *want = (long)_clamp(w, n, 24); /* long text wraps instead of starving the others */
}

/* Column widths in twips summing to the text width, for text of halfpts:
 * every column as wide as its content when that fits; else every column at
 * least its unwrapped need, the rest shared by how much more each wants;
 * else shares of the needs. Returns 1 when every column is as wide as its
 * content (nothing wraps but text longer than 24 columns), else 0. */
static int _col_widths(const tz_doc_table *t, int halfpts, int *out)
{
    long want[64], need[64], sw = 0, sn = 0, unit = (long)halfpts * 5; /* twips a column */
    for (size_t c = 0; c < t->ncols; c++) {
        _col_extent(t, c, &want[c], &need[c]);
        want[c] = want[c] * unit + DOCX_CELL_PAD;
        need[c] = need[c] * unit + DOCX_CELL_PAD;
        sw += want[c];
        sn += need[c];
    }
    long used = 0, total = DOCX_TEXT_W;
    for (size_t c = 0; c < t->ncols; c++) {
        long x;
        if (sw <= total)
            x = want[c] + (total - sw) * want[c] / sw;
        else if (sn <= total && sw > sn)
            x = need[c] + (total - sn) * (want[c] - need[c]) / (sw - sn);
        else
            x = total * need[c] / sn;
        out[c] = (int)(c + 1 == t->ncols ? total - used : x);
        used += x;
    }
    return sw <= total;
}

/* Longest run of rows one merged group label spans; a longer group has its
 * label again on its next row, so that the rows kept together fit a page. */
#define DOCX_GROUP_ROWS 10

/* How the first cell of each body row is written. */
enum { CELL_PLAIN = 0, CELL_RESTART = 1, CELL_CONTINUE = 2 };

/* The first-column merge of t (tz_doc_table_group_cont): merge[r], and
 * label[r] = the row holding the label of r's group (r itself outside a
 * group), written again on a long group's 11th, 21st ... row. Returns 0, or
 * -1 out of memory. */
static int _group_merges(const tz_doc_table *t, unsigned char **merge, size_t **label)
{
    *merge = calloc(t->nrows + 1, 1);
    *label = calloc(t->nrows + 1, sizeof **label);
    if (!*merge || !*label)
        return -1;
    size_t run = 0, head = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int cont = tz_doc_table_group_cont(t, r);
        if (!cont)
            head = r;
        (*label)[r] = head;
        if (!cont || ++run >= DOCX_GROUP_ROWS) { /* the label written on this row */
            run = 0;
            continue;
        }
        (*merge)[r] = CELL_CONTINUE;
        if ((*merge)[r - 1] != CELL_CONTINUE)
            (*merge)[r - 1] = CELL_RESTART;
    }
    return 0;
}

/* The table's properties and its grid. */
static void _w_tbl_pr(_xw *w, const tz_doc_table *t, const int *widths)
{
    tz_bufw_printf(w,
                   "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
                   "<w:tblBorders>",
                   DOCX_TEXT_W);
    static const char *const edges[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < 6; i++)
        tz_bufw_printf(w, "<w:%s w:val=\"single\" w:sz=\"%d\" w:space=\"0\" w:color=\"000000\"/>",
                       edges[i], i < 4 ? 8 : 4);
    tz_bufw_puts(
        w, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>"
           "<w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/>"
           "</w:tblCellMar><w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" "
           "w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr>"
           "<w:tblGrid>");
    for (size_t c = 0; c < t->ncols; c++)
        tz_bufw_printf(w, "<w:gridCol w:w=\"%d\"/>", widths[c]);
    tz_bufw_puts(w, "</w:tblGrid>");
}

/* One cell: width, vertical merge (CELL_*), its paragraph's style and
 * alignment, keep-with-next, and the text (bold in the header). */
static void _w_tc(_xw *w, const tz_doc *doc, int width, int merge, const char *style,
                  const char *jc, int keep, const tz_doc_cell *cell, const char *head)
{
    tz_bufw_printf(w,
                   "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s"
                   "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s"
                   "<w:jc w:val=\"%s\"/></w:pPr>",
                   width,
                   merge == CELL_RESTART    ? "<w:vMerge w:val=\"restart\"/>"
                   : merge == CELL_CONTINUE ? "<w:vMerge/>"
                                            : "",
                   style, keep ? "<w:keepNext/>" : "", jc);
    if (head && *head)
        _w_run(w, "<w:b/><w:bCs/>", head);
    else if (cell && *cell->text && merge != CELL_CONTINUE)
        _w_linked_run(w, doc, cell->text, cell->ref, 0);
    tz_bufw_puts(w, "</w:p></w:tc>");
}

/* The header row (repeated on every page, kept with the first body row). A
 * header wider than its column breaks before its unit ("总投资" over
 * "（亿元）", tz_doc_head_unit), not inside it. */
static void _w_head_row(_xw *w, const tz_doc *doc, const tz_doc_table *t, const int *widths,
                        const char *style, int halfpts)
{
    tz_bufw_puts(w, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (size_t c = 0; c < t->ncols; c++) {
        const char *head = t->header[c];
        size_t u = tz_doc_head_unit(head);
        long room = (long)(widths[c] - DOCX_CELL_PAD) / ((long)halfpts * 5);
        char *two = NULL;
        if (u && (long)tz_text_width(head) > room) {
            size_t n = strlen(head);
            if (!(two = malloc(n + 2))) {
                w->err = 1;
                return;
            }
            memcpy(two, head, u);
            two[u] = '\n'; /* _w_run writes it as a line break */
            memcpy(two + u + 1, head + u, n - u + 1);
        }
        _w_tc(w, doc, widths[c], CELL_PLAIN, style, "center", t->nrows > 0, NULL, two ? two : head);
        free(two);
    }
    tz_bufw_puts(w, "</w:tr>");
}

/* A table: its caption (kept with the table), a header row repeated on
 * every page, rows that never split, numbers right-aligned, and a group
 * label in the first column ("梁园区" on a group's first row, "" on the
 * next) merged down its group, whose rows are kept on one page, so that
 * the first row of every page shows its label. */
static void _w_table(_xw *w, const tz_doc *doc, const tz_doc_table *t)
{
    int widths[64];
    unsigned char *merge = NULL;
    size_t *label = NULL;
    if (_group_merges(t, &merge, &label) != 0) {
        w->err = 1;
        goto done;
    }
    /* 4号, or 小四 for six columns or more, or when only 小四 keeps every
     * cell on one line (a unit's name beside a target's) */
    int halfpts = t->ncols >= 6 ? DOCX_TABLE_SMALL_HALFPTS : DOCX_TABLE_HALFPTS;
    if (!_col_widths(t, halfpts, widths) && halfpts == DOCX_TABLE_HALFPTS) {
        int small[64];
        if (_col_widths(t, DOCX_TABLE_SMALL_HALFPTS, small)) {
            halfpts = DOCX_TABLE_SMALL_HALFPTS;
            memcpy(widths, small, sizeof small);
        }
    }
    const char *style = halfpts == DOCX_TABLE_SMALL_HALFPTS ? "TableTextSmall" : "TableText";
    if (t->caption && *t->caption)
        _w_para(w, "TableCaption", NULL, t->caption);
    _w_tbl_pr(w, t, widths);
    _w_head_row(w, doc, t, widths, style, halfpts);
    for (size_t r = 0; r < t->nrows; r++) {
        /* a row whose label goes on merged into the next is kept with it */
        int keep = merge[r + 1] == CELL_CONTINUE;
        tz_bufw_puts(w, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const tz_doc_cell *cell = &t->cells[r * t->ncols + c];
            const char *jc = t->align[c] == TZ_ALIGN_NUMBER   ? "right"
                             : t->align[c] == TZ_ALIGN_CENTER ? "center"
                                                              : "left";
            if (c == 0 && label[r] != r)
                cell = &t->cells[label[r] * t->ncols]; /* a long group's label again */
            _w_tc(w, doc, widths[c], c == 0 ? merge[r] : CELL_PLAIN, style, jc, keep, cell, NULL);
        }
        tz_bufw_puts(w, "</w:tr>");
    }
    tz_bufw_puts(w, "</w:tbl>");
done:
    free(merge);
    free(label);
}

/* A chart: its title as a caption line above it (kept with it, as in the
 * HTML), then the chart itself. */
static void _w_chart_ref(_xw *w, int n, const char *title)
{
    long cx = (long)DOCX_TEXT_W * DOCX_EMU_PER_TWIP;
    if (*title)
        _w_para(w, "TableCaption", NULL, title);
    tz_bufw_puts(w, "<w:p><w:pPr><w:pStyle w:val=\"ChartPara\"/></w:pPr><w:r><w:drawing>"
                    "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">");
    tz_bufw_printf(
        w, "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
        cx, DOCX_CHART_H_EMU);
    tz_bufw_printf(w, "<wp:docPr id=\"%d\" name=\"图表 %d\" descr=\"", n, n);
    _wx(w, title);
    tz_bufw_printf(
        w,
        "\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"" DOCX_NS_C "\">"
        "<c:chart r:id=\"rIdChart%d\"/></a:graphicData></a:graphic></wp:inline></w:drawing>"
        "</w:r></w:p>",
        n);
}

/* The 附件说明 (GB/T 9704-2012 7.3.4) when the doc has an appendix: a blank
 * line under the body, then "附件：<title>" two characters in; with several
 * appendices "附件：1．<title>", each further "<n>．<title>" on a line of its
 * own under the first item. */
static void _w_appendix_note(_xw *w, const tz_doc *doc)
{
    size_t n = tz_doc_appendix_count(doc);
    _w_para(w, "Body", NULL, NULL);
    for (size_t k = 0; k < n; k++) {
        char no[24];
        tz_doc_appendix_no(doc, k, no, sizeof no);
        if (k == 0)
            tz_bufw_puts(w, "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr>");
        else /* the Body indent (two characters) and the label's width */
            tz_bufw_printf(w,
                           "<w:p><w:pPr><w:pStyle w:val=\"Body\"/><w:ind w:firstLineChars=\"%d\" "
                           "w:firstLine=\"%d\"/></w:pPr>",
                           (2 + TZ_DOC_APPENDIX_NOTE_CHARS) * 100,
                           (2 + TZ_DOC_APPENDIX_NOTE_CHARS) * TZ_DOCX_BODY_HALFPTS * 10);
        if (k == 0)
            _w_run(w, NULL, TZ_DOC_APPENDIX_NOTE);
        if (*no) {
            char item[32];
            snprintf(item, sizeof item, "%s．", no);
            _w_run(w, NULL, item);
        }
        const char *title = tz_doc_appendix_title(doc, k);
        if (title && *title)
            _w_run(w, NULL, title);
        tz_bufw_puts(w, "</w:p>");
    }
}

/* The 落款 (GB/T 9704-2012 7.3.5.1): a blank line, the signer and under it
 * the date, right-aligned with the indents of tz_doc_close_indents, all
 * three kept together. */
static void _w_close(_xw *w, const tz_doc_block *b)
{
    tz_doc_close_lines l;
    tz_doc_close_lines_of(b, &l);
    /* a half-character: half of (3号 + the letter spacing), in twips */
    int half = (TZ_DOCX_BODY_HALFPTS * 10 + tz_docx_letter_spacing()) / 2;
    _w_para(w, "Body", "<w:keepNext/>", NULL);
    /* no extra space between the digits and 年月日, so the widths add up */
    const char *ppr = "<w:pPr><w:pStyle w:val=\"Body\"/>%s<w:autoSpaceDE w:val=\"0\"/>"
                      "<w:autoSpaceDN w:val=\"0\"/><w:ind w:right=\"%d\" "
                      "w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr>";
    tz_bufw_puts(w, "<w:p>");
    tz_bufw_printf(w, ppr, "<w:keepNext/>", l.signer_right * half);
    _w_run(w, NULL, b->text);
    tz_bufw_puts(w, "</w:p><w:p>");
    tz_bufw_printf(w, ppr, "", l.date_right * half);
    _w_run(w, NULL, l.date);
    tz_bufw_puts(w, "</w:p>");
}

/* 1 for an ASCII letter or digit. */
static int _ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* An appendix entry's text, with the line breaks of GB/T 15834 in
 * LibreOffice too: in a list of ledger keys ("411628001201、411628001209")
 * LibreOffice finds no break after the 、 and cuts a key instead, putting
 * the 、 at the start of a line; a zero-width space after a 、 between two
 * ASCII letters or digits gives it the break (Word breaks there anyway). */
static void _w_entry_text(_xw *w, const char *text)
{
    static const char sep[] = "、";
    tz_buf b = TZ_BUF_INIT;
    int rc = 0;
    for (const char *s = text; *s && rc == 0;) {
        const char *hit = strstr(s, sep);
        size_t n = hit ? (size_t)(hit - s) + strlen(sep) : strlen(s);
        rc = tz_buf_add(&b, s, n);
        if (rc == 0 && hit && hit > text && _ascii_alnum(hit[-1]) && _ascii_alnum(s[n]))
            rc = tz_buf_puts(&b, "\xE2\x80\x8B"); /* U+200B */
        s += n;
    }
    if (rc != 0)
        w->err = 1;
    else if (b.len)
        _w_run(w, NULL, tz_buf_str(&b));
    tz_buf_free(&b);
}

/* Section properties. The grid: 22 lines come from the line grid (linePitch);
 * 28 characters come from the letter spacing of every style (see
 * tz_docx_letter_spacing), not from a character grid. LibreOffice lays a
 * full-width glyph wider than the grid cell over two cells, so the usual
 * type="linesAndChars" with a negative charSpace gives 14 characters a line
 * there; letter spacing gives 28 in Word, WPS and LibreOffice alike. charSpace
 * is still written, so that switching the grid type in Word's page setup
 * keeps 28 characters. */
static void _w_sect(_xw *w)
{
    tz_bufw_printf(
        w,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>"
        "<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"
        "<w:pgSz w:w=\"%d\" w:h=\"%d\"/>"
        "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\" w:header=\"851\" "
        "w:footer=\"%d\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:cols w:space=\"425\"/>"
        "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\" w:charSpace=\"%d\"/></w:sectPr>",
        TZ_DOCX_PAGE_W, TZ_DOCX_PAGE_H, TZ_DOCX_MARGIN_TOP, TZ_DOCX_MARGIN_RIGHT,
        TZ_DOCX_MARGIN_BOTTOM, TZ_DOCX_MARGIN_LEFT, DOCX_FOOTER_DIST, tz_docx_line_pitch(),
        tz_docx_char_space());
}

/* Builds word/document.xml. Charts are numbered in order, from 1. */
static int _document_xml(_pkg *p, const tz_doc *doc)
{
    _xw w = TZ_BUFW_INIT;
    int nchart = 0;
    size_t nappendix = 0;
    tz_bufw_puts(&w, DOCX_XML_DECL "<w:document xmlns:w=\"" DOCX_NS_W "\" xmlns:r=\"" DOCX_NS_R
                                   "\" xmlns:wp=\"" DOCX_NS_WP "\" xmlns:a=\"" DOCX_NS_A
                                   "\" xmlns:c=\"" DOCX_NS_C "\"><w:body>");
    _w_para(&w, "Title", NULL, doc->title);
    if (doc->subtitle && *doc->subtitle)
        _w_para(&w, "Subtitle", NULL, doc->subtitle);
    _w_para(&w, "Normal", NULL, NULL); /* the blank line under the title (GB/T 9704 7.3.3) */
    for (size_t i = 0; i < doc->n; i++) {
        const tz_doc_block *b = &doc->blocks[i];
        if (tz_doc_appendix_note_at(doc, i))
            _w_appendix_note(&w, doc);
        switch (b->kind) {
        case TZ_DOC_HEADING:
            _w_para(&w, b->level == 1 ? "Heading1" : "Heading2", NULL, b->text);
            break;
        case TZ_DOC_PARA:
            tz_bufw_puts(&w, "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr>");
            for (size_t r = 0; r < b->nruns; r++)
                _w_linked_run(&w, doc, b->runs[r].text, b->runs[r].ref, b->runs[r].bold);
            tz_bufw_puts(&w, "</w:p>");
            break;
        case TZ_DOC_TABLE: {
            _w_table(&w, doc, b->table);
            /* Word needs a paragraph between two tables and at the end of the body. */
            const tz_doc_block *next = i + 1 < doc->n ? &doc->blocks[i + 1] : NULL;
            if (!next ||
                (next->kind == TZ_DOC_TABLE && !(next->table->caption && *next->table->caption)))
                _w_para(&w, "TableText", NULL, NULL);
            break;
        }
        case TZ_DOC_CHART:
            nchart++;
            _w_chart_ref(&w, nchart, b->chart->title);
            break;
        case TZ_DOC_PAGE_BREAK:
            tz_bufw_puts(&w, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
            break;
        case TZ_DOC_APPENDIX: {
            char no[24], label[40];
            tz_doc_appendix_no(doc, nappendix++, no, sizeof no);
            snprintf(label, sizeof label, "附件%s", no);
            _w_para(&w, "AppendixLabel", "<w:pageBreakBefore/>", label);
            if (b->text && *b->text)
                _w_para(&w, "AppendixTitle", NULL, b->text);
            break;
        }
        case TZ_DOC_ANCHOR: {
            int id = p->nbookmarks++;
            tz_bufw_puts(&w, "<w:p><w:pPr><w:pStyle w:val=\"SourceEntry\"/></w:pPr>");
            tz_bufw_printf(&w, "<w:bookmarkStart w:id=\"%d\" w:name=\"", id);
            _wx(&w, b->id);
            tz_bufw_puts(&w, "\"/>");
            if (*b->text)
                _w_entry_text(&w, b->text);
            tz_bufw_printf(&w, "<w:bookmarkEnd w:id=\"%d\"/></w:p>", id);
            break;
        }
        case TZ_DOC_CLOSE:
            _w_close(&w, b);
            break;
        }
    }
    _w_sect(&w);
    tz_bufw_puts(&w, "</w:body></w:document>");
    return _pkg_add_xw(p, "word/document.xml", &w);
}

/* ---- styles, settings, fonts, footers -------------------------------- */

/* One paragraph style. ppr and rpr are inner XML (may be ""). */
static void _w_pstyle(_xw *w, const char *id, const char *name, const char *based, int qformat,
                      const char *ppr, const char *rpr)
{
    tz_bufw_printf(w, "<w:style w:type=\"paragraph\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>", id,
                   name);
    if (based)
        tz_bufw_printf(w, "<w:basedOn w:val=\"%s\"/>", based);
    tz_bufw_puts(w, "<w:next w:val=\"Body\"/>");
    if (qformat)
        tz_bufw_puts(w, "<w:qFormat/>");
    tz_bufw_printf(w, "<w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>", ppr, rpr);
}

/* rPr text of a font at a size in half-points. */
static char *_rpr(const char *latin, const char *ea, int halfpts)
{
    _xw w = TZ_BUFW_INIT;
    _w_fonts(&w, latin, ea);
    tz_bufw_printf(&w, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", halfpts, halfpts);
    if (w.err) {
        tz_buf_free(&w.b);
        return NULL;
    }
    return tz_buf_take(&w.b);
}

/* word/styles.xml: the document defaults and the paragraph, table and
 * character styles, in the order Word lists them. Long because it is the
 * style sheet itself, written straight through; each style is a few lines. */
static int _styles_xml(_pkg *p)
{
    _xw w = TZ_BUFW_INIT;
    char *body = _rpr(DOCX_F_LATIN, DOCX_F_BODY, 32);
    char *title = _rpr(DOCX_F_LATIN, DOCX_F_TITLE, 44);
    char *sub = _rpr(DOCX_F_LATIN, DOCX_F_H2, 32);
    char *h1 = _rpr(DOCX_F_H1, DOCX_F_H1, 32);
    char *h2 = _rpr(DOCX_F_H2, DOCX_F_H2, 32);
    char *table = _rpr(DOCX_F_LATIN, DOCX_F_BODY, DOCX_TABLE_HALFPTS);
    char *small = _rpr(DOCX_F_LATIN, DOCX_F_BODY, DOCX_TABLE_SMALL_HALFPTS);
    char *cap = _rpr(DOCX_F_H1, DOCX_F_H1, 28);
    char *src = _rpr(DOCX_F_LATIN, DOCX_F_BODY, 28);
    char *foot = _rpr(DOCX_F_PAGENO, DOCX_F_PAGENO, 28);
    int rc = -1;
    if (!body || !title || !sub || !h1 || !h2 || !table || !small || !cap || !src || !foot)
        goto done;
    /* Body indent: two characters (firstLineChars), with the twips value for
     * readers that ignore character units. */
    const char *indent = "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>";
    const char *noindent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    tz_bufw_puts(&w, DOCX_XML_DECL "<w:styles xmlns:w=\"" DOCX_NS_W
                                   "\"><w:docDefaults><w:rPrDefault><w:rPr>");
    _w_fonts(&w, DOCX_F_LATIN, DOCX_F_BODY);
    tz_bufw_printf(&w,
                   "<w:spacing w:val=\"%d\"/><w:kern w:val=\"2\"/><w:sz w:val=\"%d\"/>"
                   "<w:szCs w:val=\"%d\"/>",
                   tz_docx_letter_spacing(), TZ_DOCX_BODY_HALFPTS, TZ_DOCX_BODY_HALFPTS);
    tz_bufw_puts(&w, "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>"
                     "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/>"
                     "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"both\"/></w:pPr>"
                     "</w:pPrDefault></w:docDefaults>");
    tz_bufw_puts(
        &w, "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
            "<w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:jc w:val=\"both\"/></w:pPr><w:rPr>");
    tz_bufw_puts(&w, body);
    tz_bufw_puts(&w, "</w:rPr></w:style>");
    tz_bufw_puts(
        &w, "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
            "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/>"
            "</w:style>");
    tz_bufw_puts(
        &w, "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
            "<w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" "
            "w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" "
            "w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" "
            "w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>");
    _w_pstyle(&w, "Title", "Title", "Normal", 1, "<w:jc w:val=\"center\"/>", title);
    _w_pstyle(&w, "Subtitle", "Subtitle", "Normal", 1, "<w:jc w:val=\"center\"/>", sub);
    _xw ppr = TZ_BUFW_INIT;
    tz_bufw_printf(&ppr, "<w:keepNext/>%s<w:outlineLvl w:val=\"0\"/>", indent);
    _xw ppr2 = TZ_BUFW_INIT;
    tz_bufw_printf(&ppr2, "<w:keepNext/>%s<w:outlineLvl w:val=\"1\"/>", indent);
    if (ppr.err || ppr2.err) {
        tz_buf_free(&ppr.b);
        tz_buf_free(&ppr2.b);
        goto done;
    }
    _w_pstyle(&w, "Heading1", "heading 1", "Normal", 1, tz_buf_str(&ppr.b), h1);
    _w_pstyle(&w, "Heading2", "heading 2", "Normal", 1, tz_buf_str(&ppr2.b), h2);
    tz_buf_free(&ppr.b);
    tz_buf_free(&ppr2.b);
    _w_pstyle(&w, "Body", "Body Text", "Normal", 1, indent, body);
    /* Tables, captions and charts leave the line grid so that smaller text
     * and pictures keep their natural height. */
    _w_pstyle(&w, "TableText", "表格文字", "Normal", 0,
              "<w:snapToGrid w:val=\"0\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
              "<w:jc w:val=\"center\"/>",
              table);
    _w_pstyle(&w, "TableTextSmall", "表格文字（小）", "TableText", 0,
              "<w:snapToGrid w:val=\"0\"/><w:jc w:val=\"center\"/>", small);
    _w_pstyle(&w, "TableCaption", "caption", "Normal", 1,
              "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"120\" "
              "w:after=\"120\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
              "<w:jc w:val=\"center\"/>",
              cap);
    _w_pstyle(&w, "ChartPara", "图表", "Normal", 0,
              "<w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"120\" w:after=\"120\"/>"
              "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
              body);
    _w_pstyle(&w, "AppendixLabel", "附件标识", "Normal", 1, noindent, h1);
    _w_pstyle(&w, "AppendixTitle", "附件标题", "Normal", 1,
              "<w:spacing w:after=\"579\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>",
              title);
    _w_pstyle(
        &w, "SourceEntry", "数据来源条目", "Normal", 0,
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:after=\"60\"/>"
        "<w:ind w:left=\"0\" w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
        src);
    _w_pstyle(&w, "Footer", "footer", "Normal", 0,
              "<w:snapToGrid w:val=\"0\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>", foot);
    /* Provenance links look like the text around them (a printed 公文 has no
     * blue underlines); Word still follows them with Ctrl+click. */
    tz_bufw_puts(&w, "<w:style w:type=\"character\" w:customStyle=\"1\" w:styleId=\"SourceLink\">"
                     "<w:name w:val=\"数据来源链接\"/><w:basedOn w:val=\"DefaultParagraphFont\"/>"
                     "<w:rPr/></w:style>");
    tz_bufw_puts(&w, "</w:styles>");
    rc = _pkg_add_xw(p, "word/styles.xml", &w);
done:
    tz_buf_free(&w.b);
    free(body);
    free(title);
    free(sub);
    free(h1);
    free(h2);
    free(table);
    free(small);
    free(cap);
    free(src);
    free(foot);
    return rc;
}

static int _settings_xml(_pkg *p)
{
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, DOCX_XML_DECL
                 "<w:settings xmlns:w=\"" DOCX_NS_W "\"><w:zoom w:percent=\"100\"/>"
                 "<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>"
                 "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
                 "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/>"
                 "<w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/>"
                 "<w:adjustLineHeightInTable/><w:useFELayout/>"
                 "<w:compatSetting w:name=\"compatibilityMode\" "
                 "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
                 "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"
                 "<w:decimalSymbol w:val=\".\"/><w:listSeparator w:val=\",\"/></w:settings>");
    return _pkg_add_xw(p, "word/settings.xml", &w);
}

static int _font_table_xml(_pkg *p)
{
    /* name, alternative name, panose, charset, family, pitch */
    static const char *const fonts[][6] = {
        {DOCX_F_LATIN, NULL, "02020603050405020304", "00", "roman", "variable"},
        {DOCX_F_BODY, "仿宋", "02010609030101010101", "86", "modern", "fixed"},
        {DOCX_F_TITLE, "方正小标宋_GBK", "02000000000000000000", "86", "script", "variable"},
        {DOCX_F_H1, "SimHei", "02010609060101010101", "86", "modern", "fixed"},
        {DOCX_F_H2, "楷体", "02010609030101010101", "86", "modern", "fixed"},
        {DOCX_F_PAGENO, "SimSun", "02010600030101010101", "86", "auto", "variable"},
    };
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, DOCX_XML_DECL "<w:fonts xmlns:w=\"" DOCX_NS_W "\">");
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        tz_bufw_printf(&w, "<w:font w:name=\"%s\">", fonts[i][0]);
        if (fonts[i][1])
            tz_bufw_printf(&w, "<w:altName w:val=\"%s\"/>", fonts[i][1]);
        tz_bufw_printf(&w,
                       "<w:panose1 w:val=\"%s\"/><w:charset w:val=\"%s\"/><w:family w:val=\"%s\"/>"
                       "<w:pitch w:val=\"%s\"/></w:font>",
                       fonts[i][2], fonts[i][3], fonts[i][4], fonts[i][5]);
    }
    tz_bufw_puts(&w, "</w:fonts>");
    return _pkg_add_xw(p, "word/fontTable.xml", &w);
}

/* Footer with "— PAGE —"; odd pages on the right, even pages on the left,
 * one character in from the edge (GB/T 9704-2012 7.5). */
static int _footer_xml(_pkg *p, const char *name, int odd)
{
    _xw w = TZ_BUFW_INIT;
    const char *rpr =
        "<w:rFonts w:ascii=\"" DOCX_F_PAGENO "\" w:hAnsi=\"" DOCX_F_PAGENO
        "\" w:eastAsia=\"" DOCX_F_PAGENO "\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>";
    tz_bufw_puts(&w, DOCX_XML_DECL "<w:ftr xmlns:w=\"" DOCX_NS_W "\" xmlns:r=\"" DOCX_NS_R "\">");
    tz_bufw_printf(
        &w,
        "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:ind w:%s=\"%d\"/><w:jc w:val=\"%s\"/>"
        "</w:pPr>",
        odd ? "right" : "left", DOCX_FOOTER_INDENT, odd ? "right" : "left");
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:t xml:space=\"preserve\">— </w:t></w:r>", rpr);
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>", rpr);
    tz_bufw_printf(
        &w, "<w:r><w:rPr>%s</w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
        rpr);
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r>", rpr);
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:t>1</w:t></w:r>", rpr);
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r>", rpr);
    tz_bufw_printf(&w, "<w:r><w:rPr>%s</w:rPr><w:t xml:space=\"preserve\"> —</w:t></w:r>", rpr);
    tz_bufw_puts(&w, "</w:p></w:ftr>");
    return _pkg_add_xw(p, name, &w);
}

/* ---- charts ------------------------------------------------------------ */

/* A number as text for the chart caches: shortest round-tripping form. */
static void _num(double v, char *out, size_t n)
{
    snprintf(out, n, "%.15g", v);
}

/* A rich-text title (chart or axis) in the given font and size (1/100 pt). */
static void _w_ctitle(_xw *w, const char *text, const char *font, int sz, int rotate)
{
    tz_bufw_puts(w, "<c:title><c:tx><c:rich>");
    tz_bufw_puts(w, rotate ? "<a:bodyPr rot=\"-5400000\" vert=\"horz\"/>" : "<a:bodyPr/>");
    tz_bufw_printf(
        w,
        "<a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"%d\" b=\"0\"><a:latin typeface=\"%s\"/>"
        "<a:ea typeface=\"%s\"/></a:defRPr></a:pPr><a:r><a:rPr lang=\"zh-CN\" altLang=\"en-US\" "
        "sz=\"%d\" b=\"0\"><a:latin typeface=\"%s\"/><a:ea typeface=\"%s\"/></a:rPr><a:t>",
        sz, font, font, sz, font, font);
    _wx(w, text);
    tz_bufw_puts(w, "</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>");
}

/* One series: name, categories and values with references into Sheet1.
 * Value labels go inside the bars (inside 1: a target line is drawn over
 * them, or the bars are stacked) or above them; a zero gets no label (the
 * empty third section of the format), a missing value neither bar nor
 * label. */
static void _w_cser(_xw *w, const tz_doc_chart *c, size_t si, size_t idx, int inside)
{
    const tz_doc_series *s = &c->series[si];
    char col[8], num[40];
    tz_col_letters(si + 1, col);
    tz_bufw_printf(w, "<c:ser><c:idx val=\"%zu\"/><c:order val=\"%zu\"/>", idx, idx);
    tz_bufw_printf(w,
                   "<c:tx><c:strRef><c:f>Sheet1!$%s$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
                   "<c:pt idx=\"0\"><c:v>",
                   col);
    _wx(w, s->name);
    tz_bufw_puts(w, "</c:v></c:pt></c:strCache></c:strRef></c:tx>");
    if (s->kind == TZ_SERIES_BAR) {
        size_t pi = idx % (sizeof _palette / sizeof _palette[0]);
        tz_bufw_printf(w,
                       "<c:spPr><a:solidFill><a:srgbClr val=\"%s\"/></a:solidFill></c:spPr>"
                       "<c:invertIfNegative val=\"0\"/>",
                       _palette[pi]);
        /* Value labels on the bars; inside the bar tops when a target line
         * is drawn over them, so that its markers do not cover the labels. */
        tz_bufw_printf(
            w,
            "<c:dLbls><c:numFmt formatCode=\"General;-General;;\" sourceLinked=\"0\"/>"
            "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
            "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\">"
            "<a:solidFill><a:srgbClr val=\"%s\"/></a:solidFill></a:defRPr></a:pPr>"
            "<a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr><c:dLblPos val=\"%s\"/>"
            "<c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>"
            "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/>"
            "<c:showBubbleSize val=\"0\"/></c:dLbls>",
            inside ? _label_color[pi] : "000000",
            c->stacked ? "ctr"
            : inside   ? "inEnd"
                       : "outEnd");
    } else {
        tz_bufw_puts(
            w,
            "<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"" DOCX_TARGET_COLOR
            "\"/></a:solidFill><a:prstDash val=\"dash\"/><a:round/></a:ln></c:spPr>"
            "<c:marker><c:symbol val=\"diamond\"/><c:size val=\"7\"/><c:spPr><a:solidFill>"
            "<a:srgbClr val=\"" DOCX_TARGET_COLOR "\"/></a:solidFill><a:ln><a:solidFill>"
            "<a:srgbClr val=\"" DOCX_TARGET_COLOR "\"/></a:solidFill></a:ln></c:spPr></c:marker>");
    }
    tz_bufw_printf(
        w, "<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$%zu</c:f><c:strCache><c:ptCount val=\"%zu\"/>",
        c->ncats + 1, c->ncats);
    for (size_t k = 0; k < c->ncats; k++) {
        tz_bufw_printf(w, "<c:pt idx=\"%zu\"><c:v>", k);
        _wx(w, c->cats[k]);
        tz_bufw_puts(w, "</c:v></c:pt>");
    }
    tz_bufw_printf(
        w,
        "</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$%s$2:$%s$%zu</c:f>"
        "<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"%zu\"/>",
        col, col, c->ncats + 1, c->ncats);
    for (size_t k = 0; k < c->ncats; k++) {
        if (isnan(s->values[k]))
            continue;
        _num(s->values[k], num, sizeof num);
        tz_bufw_printf(w, "<c:pt idx=\"%zu\"><c:v>%s</c:v></c:pt>", k, num);
    }
    tz_bufw_puts(w, "</c:numCache></c:numRef></c:val>");
    if (s->kind == TZ_SERIES_TARGET)
        tz_bufw_puts(w, "<c:smooth val=\"0\"/>");
    tz_bufw_puts(w, "</c:ser>");
}

static void _w_axes(_xw *w, const tz_doc_chart *c)
{
    tz_bufw_puts(
        w,
        "<c:catAx><c:axId val=\"50010001\"/><c:scaling><c:orientation val=\"minMax\"/>"
        "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" "
        "sourceLinked=\"1\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>"
        "<c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"50010002\"/><c:crosses val=\"autoZero\"/>"
        "<c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/>"
        "<c:noMultiLvlLbl val=\"0\"/></c:catAx>");
    tz_bufw_puts(
        w, "<c:valAx><c:axId val=\"50010002\"/><c:scaling><c:orientation val=\"minMax\"/>"
           "</c:scaling><c:delete val=\"0\"/><c:axPos val=\"l\"/><c:majorGridlines><c:spPr><a:ln "
           "w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr>"
           "</c:majorGridlines>");
    if (c->unit && *c->unit) {
        _xw t = TZ_BUFW_INIT;
        tz_bufw_puts(&t, "单位：");
        tz_bufw_puts(&t, c->unit);
        if (t.err)
            w->err = 1;
        else
            _w_ctitle(w, tz_buf_str(&t.b), DOCX_F_BODY, 1000, 1);
        tz_buf_free(&t.b);
    }
    tz_bufw_puts(
        w, "<c:numFmt formatCode=\"General\" sourceLinked=\"1\"/><c:majorTickMark val=\"out\"/>"
           "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/>"
           "<c:crossAx val=\"50010001\"/><c:crosses val=\"autoZero\"/>"
           "<c:crossBetween val=\"between\"/></c:valAx>");
}

/* Builds word/charts/chartN.xml. */
static int _chart_xml(_pkg *p, const tz_doc_chart *c, int n)
{
    _xw w = TZ_BUFW_INIT;
    char name[64];
    size_t idx = 0, ntarget = 0;
    tz_bufw_puts(&w, DOCX_XML_DECL "<c:chartSpace xmlns:c=\"" DOCX_NS_C "\" xmlns:a=\"" DOCX_NS_A
                                   "\" xmlns:r=\"" DOCX_NS_R
                                   "\"><c:date1904 val=\"0\"/><c:lang val=\"zh-CN\"/>"
                                   "<c:roundedCorners val=\"0\"/><c:chart>");
    /* no title inside: the caption line above the chart carries it (_w_chart_ref) */
    tz_bufw_printf(&w,
                   "<c:autoTitleDeleted val=\"1\"/><c:plotArea><c:layout/><c:barChart>"
                   "<c:barDir val=\"col\"/><c:grouping val=\"%s\"/><c:varyColors val=\"0\"/>",
                   c->stacked ? "stacked" : "clustered");
    for (size_t i = 0; i < c->nseries; i++)
        ntarget += c->series[i].kind == TZ_SERIES_TARGET;
    for (size_t i = 0; i < c->nseries; i++)
        if (c->series[i].kind == TZ_SERIES_BAR)
            _w_cser(&w, c, i, idx++, ntarget > 0 || c->stacked);
    tz_bufw_printf(&w,
                   "<c:gapWidth val=\"80\"/><c:overlap val=\"%d\"/><c:axId val=\"50010001\"/>"
                   "<c:axId val=\"50010002\"/></c:barChart>",
                   c->stacked ? 100 : -10);
    if (ntarget) {
        tz_bufw_puts(&w, "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>");
        for (size_t i = 0; i < c->nseries; i++)
            if (c->series[i].kind == TZ_SERIES_TARGET)
                _w_cser(&w, c, i, idx++, 0);
        tz_bufw_puts(&w, "<c:marker val=\"1\"/><c:axId val=\"50010001\"/><c:axId val=\"50010002\"/>"
                         "</c:lineChart>");
    }
    _w_axes(&w, c);
    tz_bufw_puts(&w,
                 "</c:plotArea><c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>"
                 "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
                 "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>");
    tz_bufw_puts(&w, "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1050\">"
                     "<a:latin typeface=\"" DOCX_F_LATIN "\"/><a:ea typeface=\"" DOCX_F_BODY
                     "\"/></a:defRPr>"
                     "</a:pPr><a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
                     "<c:externalData r:id=\"rId1\"><c:autoUpdate val=\"0\"/></c:externalData>"
                     "</c:chartSpace>");
    snprintf(name, sizeof name, "word/charts/chart%d.xml", n);
    return _pkg_add_xw(p, name, &w);
}

/* Reads a whole file into memory. Returns 0 or -1 (errno set). */
static int _slurp(const char *path, char **out, size_t *len)
{
    int rc = -1;
    tz_buf b = TZ_BUF_INIT;
    char chunk[8192];
    size_t k;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if (tz_buf_add(&b, chunk, k) != 0)
            goto done;
    if (ferror(fp))
        goto done;
    *len = b.len;
    *out = tz_buf_take(&b);
    rc = *out ? 0 : -1;
done:
    tz_buf_free(&b);
    (void)fclose(fp); /* read only: a failed close loses nothing */
    return rc;
}

/* Writes the chart's data to an xlsx (libxlsxwriter, fixed creation time, so
 * the bytes are deterministic) and adds it as
 * word/embeddings/Microsoft_Excel_WorksheetN.xlsx. */
static int _chart_workbook(_pkg *p, const tz_doc_chart *c, int n)
{
    int rc = -1;
    char *path = NULL;
    char name[80];
    lxw_workbook *wb = NULL;
    lxw_error err = LXW_NO_ERROR;
    const char *why = "内存不足或临时文件不可读写";
    char *data = NULL;
    size_t len = 0;
    /* A scratch file beside the output (util/tmpfile: mode 0600, removed
     * on SIGINT/SIGTERM and after a killed run); libxlsxwriter writes it by
     * name, so the descriptor only reserves it. */
    snprintf(name, sizeof name, "chart%d", n);
    int fd = tz_tmp_create(p->path, name, &path, &why);
    if (fd < 0) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "无法创建临时文件以保存图表数据：%s", why);
        return -1;
    }
    close(fd);
    lxw_workbook_options opt = {0};
    wb = workbook_new_opt(path, &opt);
    if (!wb)
        goto done;
    lxw_doc_properties props = {0};
    props.created = DOCX_FIXED_TIME_T; /* fixed, so the xlsx bytes are deterministic */
    workbook_set_properties(wb, &props);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    if (!ws)
        goto done;
    worksheet_set_column(ws, 0, 0, 16, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)c->nseries, 12, NULL);
    err = worksheet_write_string(ws, 0, 0, "类别", NULL);
    for (size_t s = 0; s < c->nseries && !err; s++)
        err = worksheet_write_string(ws, 0, (lxw_col_t)(s + 1), c->series[s].name, NULL);
    for (size_t k = 0; k < c->ncats && !err; k++) {
        err = worksheet_write_string(ws, (lxw_row_t)(k + 1), 0, c->cats[k], NULL);
        for (size_t s = 0; s < c->nseries && !err; s++)
            if (!isnan(c->series[s].values[k]))
                err = worksheet_write_number(ws, (lxw_row_t)(k + 1), (lxw_col_t)(s + 1),
                                             c->series[s].values[k], NULL);
    }
    lxw_error cerr = workbook_close(wb);
    wb = NULL;
    if (err == LXW_NO_ERROR)
        err = cerr;
    if (err != LXW_NO_ERROR) {
        why = lxw_strerror(err);
        goto done;
    }
    if (_slurp(path, &data, &len) != 0)
        goto done;
    snprintf(name, sizeof name, "word/embeddings/Microsoft_Excel_Worksheet%d.xlsx", n);
    rc = _pkg_add(p, name, data, len); /* takes data, even on failure */
done:
    if (rc != 0)
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "生成第%d个图表“%s”的数据表失败：%s", n,
                       c->title, why);
    if (wb)
        workbook_close(wb);
    tz_tmp_discard(path);
    free(path);
    return rc;
}

static int _chart_rels(_pkg *p, int n)
{
    _xw w = TZ_BUFW_INIT;
    char name[80];
    tz_bufw_printf(&w,
                   DOCX_XML_DECL
                   "<Relationships xmlns=\"" DOCX_NS_PKG_REL "\"><Relationship Id=\"rId1\" "
                   "Type=\"" DOCX_REL_OD "package\" "
                   "Target=\"../embeddings/Microsoft_Excel_Worksheet%d.xlsx\"/></Relationships>",
                   n);
    snprintf(name, sizeof name, "word/charts/_rels/chart%d.xml.rels", n);
    return _pkg_add_xw(p, name, &w);
}

/* ---- package plumbing ------------------------------------------------- */

static int _content_types(_pkg *p, int ncharts)
{
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, DOCX_XML_DECL
                 "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                 "<Default Extension=\"rels\" "
                 "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                 "<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    if (ncharts)
        tz_bufw_puts(&w, "<Default Extension=\"xlsx\" ContentType=\"" DOCX_CT_OD
                         "spreadsheetml.sheet\"/>");
    tz_bufw_puts(&w, "<Override PartName=\"/word/document.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.document.main+xml\"/>"
                     "<Override PartName=\"/word/styles.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.styles+xml\"/>"
                     "<Override PartName=\"/word/settings.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.settings+xml\"/>"
                     "<Override PartName=\"/word/fontTable.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.fontTable+xml\"/>"
                     "<Override PartName=\"/word/footer1.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.footer+xml\"/>"
                     "<Override PartName=\"/word/footer2.xml\" ContentType=\"" DOCX_CT_OD
                     "wordprocessingml.footer+xml\"/>");
    for (int i = 1; i <= ncharts; i++)
        tz_bufw_printf(&w,
                       "<Override PartName=\"/word/charts/chart%d.xml\" ContentType=\"" DOCX_CT_OD
                       "drawingml.chart+xml\"/>",
                       i);
    tz_bufw_puts(&w, "<Override PartName=\"/docProps/core.xml\" "
                     "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                     "<Override PartName=\"/docProps/app.xml\" ContentType=\"" DOCX_CT_OD
                     "extended-properties+xml\"/></Types>");
    return _pkg_add_xw(p, "[Content_Types].xml", &w);
}

static int _root_rels(_pkg *p)
{
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, DOCX_XML_DECL
                 "<Relationships xmlns=\"" DOCX_NS_PKG_REL "\">"
                 "<Relationship Id=\"rId1\" Type=\"" DOCX_REL_OD "officeDocument\" "
                 "Target=\"word/document.xml\"/>"
                 "<Relationship Id=\"rId2\" "
                 "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/"
                 "metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                 "<Relationship Id=\"rId3\" Type=\"" DOCX_REL_OD "extended-properties\" "
                 "Target=\"docProps/app.xml\"/></Relationships>");
    return _pkg_add_xw(p, "_rels/.rels", &w);
}

static int _document_rels(_pkg *p, int ncharts)
{
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w,
                 DOCX_XML_DECL "<Relationships xmlns=\"" DOCX_NS_PKG_REL "\">"
                               "<Relationship Id=\"rIdStyles\" Type=\"" DOCX_REL_OD "styles\" "
                               "Target=\"styles.xml\"/>"
                               "<Relationship Id=\"rIdSettings\" Type=\"" DOCX_REL_OD "settings\" "
                               "Target=\"settings.xml\"/>"
                               "<Relationship Id=\"rIdFonts\" Type=\"" DOCX_REL_OD "fontTable\" "
                               "Target=\"fontTable.xml\"/>"
                               "<Relationship Id=\"rIdFooterOdd\" Type=\"" DOCX_REL_OD "footer\" "
                               "Target=\"footer1.xml\"/>"
                               "<Relationship Id=\"rIdFooterEven\" Type=\"" DOCX_REL_OD "footer\" "
                               "Target=\"footer2.xml\"/>");
    for (int i = 1; i <= ncharts; i++)
        tz_bufw_printf(&w,
                       "<Relationship Id=\"rIdChart%d\" Type=\"" DOCX_REL_OD "chart\" "
                       "Target=\"charts/chart%d.xml\"/>",
                       i, i);
    tz_bufw_puts(&w, "</Relationships>");
    return _pkg_add_xw(p, "word/_rels/document.xml.rels", &w);
}

static int _doc_props(_pkg *p, const tz_doc *doc)
{
    _xw w = TZ_BUFW_INIT;
    tz_bufw_puts(&w, DOCX_XML_DECL
                 "<cp:coreProperties "
                 "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
                 "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                 "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
                 "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
                 "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    _wx(&w, doc->title);
    tz_bufw_puts(
        &w, "</dc:title><dc:creator>台账系统</dc:creator>"
            "<cp:lastModifiedBy>台账系统</cp:lastModifiedBy>"
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" DOCX_FIXED_W3CDTF "</dcterms:created>"
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">" DOCX_FIXED_W3CDTF "</dcterms:modified>"
            "</cp:coreProperties>");
    if (_pkg_add_xw(p, "docProps/core.xml", &w) != 0)
        return -1;
    _xw a = TZ_BUFW_INIT;
    tz_bufw_puts(&a, DOCX_XML_DECL
                 "<Properties "
                 "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                 "extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/"
                 "officeDocument/2006/docPropsVTypes\"><Template>Normal.dotm</Template>"
                 "<Application>Taizhang</Application><DocSecurity>0</DocSecurity>"
                 "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
                 "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
                 "</Properties>");
    return _pkg_add_xw(p, "docProps/app.xml", &a);
}

/* Writes the bytes of the finished zip in src to fd. Returns 0, or -1 with
 * errno set (0 for a libzip read error). */
static int _copy_source(zip_source_t *src, int fd)
{
    char chunk[64 * 1024];
    zip_int64_t got;
    errno = 0;
    if (zip_source_open(src) != 0)
        return -1;
    while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0) {
        for (zip_int64_t off = 0; off < got;) {
            ssize_t k = write(fd, chunk + off, (size_t)(got - off));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                zip_source_close(src);
                return -1;
            }
            off += k;
        }
    }
    zip_source_close(src);
    return got < 0 ? -1 : 0;
}

/* Builds the zip of the parts in memory with fixed entry times, then writes
 * it to a temporary file beside path (util/tmpfile: mode 0600, removed on
 * SIGINT/SIGTERM and after a killed run) and renames that onto path, so
 * that the previous file stays whole until the new one is complete. */
static int _zip_write(_pkg *p, const char *path)
{
    int rc = -1;
    zip_error_t ze;
    zip_t *za = NULL;
    char *tmp = NULL;
    int fd = -1;
    const char *why = NULL;
    zip_error_init(&ze);
    zip_source_t *zsrc = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!zsrc || !(za = zip_open_from_source(zsrc, ZIP_TRUNCATE, &ze))) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "无法创建Word文件：%s",
                       zip_error_strerror(&ze));
        goto done;
    }
    zip_source_keep(zsrc); /* still ours after zip_close */
    for (size_t i = 0; i < p->n; i++) {
        zip_source_t *src = zip_source_buffer(za, p->parts[i].data, p->parts[i].len, 1);
        if (!src)
            goto fail;
        p->parts[i].data = NULL; /* libzip frees it from now on */
        zip_int64_t idx = zip_file_add(za, p->parts[i].name, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            zip_source_free(src);
            goto fail;
        }
        if (zip_file_set_dostime(za, (zip_uint64_t)idx, DOCX_DOS_TIME, DOCX_DOS_DATE, 0) != 0)
            goto fail;
        /* The embedded workbook is already compressed. */
        int store = strstr(p->parts[i].name, ".xlsx") != NULL;
        if (zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                     store ? 0 : 6) != 0)
            goto fail;
    }
    if (zip_close(za) != 0)
        goto fail;
    za = NULL;
    if ((fd = tz_tmp_create(path, NULL, &tmp, &why)) < 0) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "无法创建Word文件：%s", why);
        goto done;
    }
    if (_copy_source(zsrc, fd) != 0 || fsync(fd) != 0) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "写入Word文件失败：%s",
                       tz_errno_text(errno, 1));
        goto done;
    }
    int cerr = close(fd);
    fd = -1;
    if (cerr != 0) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "写入Word文件失败：%s",
                       tz_errno_text(errno, 1));
        goto done;
    }
    if (tz_tmp_publish(tmp, path, &why) != 0) {
        tz_diags_error(p->d, p->fname, 0, NULL, NULL, "写入Word文件失败：%s", why);
        goto done;
    }
    rc = 0;
    goto done;
fail:
    tz_diags_error(p->d, p->fname, 0, NULL, NULL, "写入Word文件失败：%s", zip_strerror(za));
done:
    if (za)
        zip_discard(za);
    if (fd >= 0)
        close(fd);
    if (rc != 0)
        tz_tmp_discard(tmp);
    free(tmp);
    zip_source_free(zsrc);
    zip_error_fini(&ze);
    return rc;
}

int tz_docx_write(const tz_doc *doc, const char *path, tz_diags *d)
{
    int rc = -1;
    _pkg p;
    memset(&p, 0, sizeof p);
    p.d = d;
    p.fname = tz_path_base(path);
    p.path = path;
    if (!doc || doc->failed || doc->open) {
        tz_diags_error(d, p.fname, 0, NULL, NULL, "报告文档不完整，无法生成Word文件：%s",
                       !doc          ? "文档未创建"
                       : doc->failed ? doc->error
                                     : "有未结束的段落、表格或图表");
        return -1;
    }
    if (tz_zip_load(p.fname, d) || tz_lxw_load(p.fname, d))
        return -1;
    const char *dangling = tz_doc_dangling_ref(doc);
    if (dangling)
        tz_diags_warn(d, p.fname, 0, NULL, dangling,
                      "报告引用的数据来源编号在附件中不存在，已按普通文字输出");
    int ncharts = 0;
    for (size_t i = 0; i < doc->n; i++)
        ncharts += doc->blocks[i].kind == TZ_DOC_CHART;
    if (_content_types(&p, ncharts) != 0 || _root_rels(&p) != 0 || _doc_props(&p, doc) != 0 ||
        _document_xml(&p, doc) != 0 || _styles_xml(&p) != 0 || _settings_xml(&p) != 0 ||
        _font_table_xml(&p) != 0 || _footer_xml(&p, "word/footer1.xml", 1) != 0 ||
        _footer_xml(&p, "word/footer2.xml", 0) != 0 || _document_rels(&p, ncharts) != 0)
        goto oom;
    int n = 0;
    for (size_t i = 0; i < doc->n; i++) {
        if (doc->blocks[i].kind != TZ_DOC_CHART)
            continue;
        n++;
        if (_chart_xml(&p, doc->blocks[i].chart, n) != 0 || _chart_rels(&p, n) != 0)
            goto oom;
        if (_chart_workbook(&p, doc->blocks[i].chart, n) != 0)
            goto done;
    }
    rc = _zip_write(&p, path);
    goto done;
oom:
    tz_diags_error(d, p.fname, 0, NULL, NULL, "内存不足，无法生成Word文件");
done:
    _pkg_free(&p);
    return rc;
}
