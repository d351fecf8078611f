/* doc.h - tz_doc: the document model of a drafted report (汇报材料).
 *
 * Owns: an in-memory, renderer-neutral document: a title, an optional
 * subtitle line, and a flat list of blocks (headings, paragraphs made of
 * runs, tables, bar charts, page breaks, the 落款 (signature and date), the
 * appendix start and provenance anchors). Every string handed in is copied (the doc owns it), cleaned to
 * valid UTF-8 (bad bytes become U+FFFD, control characters other than tab
 * and newline are dropped), so renderers can trust the text.
 *
 * Does not own: wording or numbers (the drafter), layout or file formats
 * (io/docx.h, report/render.h). It lives in io/, below both: report/ builds
 * it, io/docx.c and report/render.c read it. Renderers read the structs below directly;
 * only the functions here build them.
 *
 * Building: every call returns 0, or -1 on out-of-memory or misuse (e.g. a
 * run outside a paragraph, a bad anchor id, a row with the table closed).
 * The first failure also sticks in doc->failed / doc->error, so a drafter
 * may make many calls and check tz_doc_error() once at the end; renderers
 * refuse a failed doc.
 */
#ifndef TZ_DOC_H
#define TZ_DOC_H
#include <stddef.h>

/* Longest accepted anchor/reference id (Word bookmark names allow 40). */
#define TZ_DOC_ID_MAX 40

typedef enum tz_doc_kind {
    TZ_DOC_HEADING = 0,    /* "一、…" (level 1, 黑体) or "（一）…" (level 2, 楷体) */
    TZ_DOC_PARA = 1,       /* body paragraph of runs, first line indented two characters */
    TZ_DOC_TABLE = 2,      /* captioned table with a header row */
    TZ_DOC_CHART = 3,      /* clustered bar chart, optional target series */
    TZ_DOC_PAGE_BREAK = 4, /* start a new page */
    TZ_DOC_APPENDIX = 5,   /* new page, the label "附件" and the appendix title */
    TZ_DOC_ANCHOR = 6,     /* provenance entry (link target) with an id and one line of text */
    TZ_DOC_CLOSE = 7       /* 落款: signer (text) and 成文日期 (date), GB/T 9704 7.3.5 */
} tz_doc_kind;

/* Per-column hints of a table. */
typedef enum tz_doc_align {
    TZ_ALIGN_TEXT = 0,   /* text: left-aligned */
    TZ_ALIGN_NUMBER = 1, /* numbers: right-aligned (md, html and docx alike) */
    TZ_ALIGN_CENTER = 2  /* short text shown centred (e.g. 是/否, dates) */
} tz_doc_align;

/* How a chart series is drawn. */
typedef enum tz_doc_series_kind {
    TZ_SERIES_BAR = 0,   /* one bar per category, clustered with the other bar series */
    TZ_SERIES_TARGET = 1 /* a target: drawn as a line with markers over the bars */
} tz_doc_series_kind;

typedef struct tz_doc_span { /* one run of a paragraph */
    char *text;              /* UTF-8 text; "\n" is a line break */
    char *ref;               /* id of the provenance anchor this run links to, or NULL */
    int bold;                /* 1: bold */
} tz_doc_span;

typedef struct tz_doc_cell {
    char *text; /* UTF-8 cell text, never NULL ("" when empty) */
    char *ref;  /* id of the provenance anchor the cell links to, or NULL */
} tz_doc_cell;

typedef struct tz_doc_table {
    char *caption;       /* caption shown above the table, or NULL */
    size_t ncols;        /* number of columns (>= 1) */
    char **header;       /* ncols header cells */
    tz_doc_align *align; /* ncols alignment hints */
    size_t nrows;        /* number of body rows */
    size_t caprows;      /* rows allocated */
    tz_doc_cell *cells;  /* nrows * ncols body cells, row-major */
} tz_doc_table;

typedef struct tz_doc_series {
    char *name;              /* legend name */
    tz_doc_series_kind kind; /* bar or target line */
    double *values;          /* ncats values; NaN marks a missing value */
} tz_doc_series;

typedef struct tz_doc_chart {
    char *title;           /* chart title: a caption line above the chart in every format */
    char *unit;            /* value unit shown on the axis ("户", "万元"), or NULL */
    size_t ncats;          /* number of categories (>= 1) */
    char **cats;           /* ncats category labels */
    size_t nseries;        /* number of series */
    tz_doc_series *series; /* the series, in legend order */
    int stacked;           /* 1: the bar series are stacked in one bar per category */
} tz_doc_chart;

typedef struct tz_doc_block {
    tz_doc_kind kind;    /* what the block is */
    int level;           /* heading level (1 or 2); 0 for other kinds */
    char *text;          /* heading text, appendix title, anchor line or signer; else NULL */
    char *id;            /* anchor id (TZ_DOC_ANCHOR); else NULL */
    char *date;          /* 成文日期 "YYYY-MM-DD" (TZ_DOC_CLOSE); else NULL */
    size_t nruns;        /* paragraph runs used */
    size_t capruns;      /* paragraph runs allocated */
    tz_doc_span *runs;   /* paragraph runs (TZ_DOC_PARA) */
    tz_doc_table *table; /* the table (TZ_DOC_TABLE) */
    tz_doc_chart *chart; /* the chart (TZ_DOC_CHART) */
} tz_doc_block;

typedef struct tz_doc {
    char *title;          /* report title (2号 小标宋 in docx) */
    char *subtitle;       /* one centred line under the title (unit, period, date), or NULL */
    size_t n;             /* blocks used */
    size_t cap;           /* blocks allocated */
    tz_doc_block *blocks; /* the body, in reading order */
    int open;             /* kind + 1 of the block still being built (para/table/chart), or 0 */
    int failed;           /* 1 after the first failed call */
    int after_close; /* 1 from the 落款 until an appendix starts: only an appendix may follow */
    char error[160]; /* Chinese reason of the first failure ("" when none) */
} tz_doc;

/* Creates an empty doc with the given title (copied). Returns NULL on
 * out-of-memory. Free with tz_doc_free(). */
tz_doc *tz_doc_new(const char *title);
void tz_doc_free(tz_doc *doc); /* safe on NULL */

/* The first failure's Chinese reason, or NULL when every call succeeded. */
const char *tz_doc_error(const tz_doc *doc);

/* Sets (replaces) the line under the title, e.g. "鹿邑县文化广电旅游局  2019年12月". */
int tz_doc_subtitle(tz_doc *doc, const char *text);

/* Adds a heading; level 1 ("一、…") or 2 ("（一）…"). The text carries its own
 * numbering. */
int tz_doc_heading(tz_doc *doc, int level, const char *text);

/* Paragraphs: begin, add runs, end. ref (may be NULL) is the id of a
 * provenance anchor (tz_doc_anchor) the run links to. */
int tz_doc_para_begin(tz_doc *doc);
int tz_doc_run(tz_doc *doc, const char *text, const char *ref);
int tz_doc_run_bold(tz_doc *doc, const char *text, const char *ref);
int tz_doc_para_end(tz_doc *doc);
/* A paragraph of one plain run, in one call. */
int tz_doc_para(tz_doc *doc, const char *text);

/* Tables: begin with the caption (may be NULL), ncols >= 1 header cells and
 * per-column alignment hints (align may be NULL: all text); then rows of
 * ncols cells (a NULL cell is empty) with optional per-cell refs (refs may be
 * NULL, or hold NULLs); then end. */
int tz_doc_table_begin(tz_doc *doc, const char *caption, size_t ncols, const char *const *header,
                       const tz_doc_align *align);
int tz_doc_table_row(tz_doc *doc, const char *const *cells, const char *const *refs);
int tz_doc_table_end(tz_doc *doc);

/* Charts: begin with the title, the value unit (may be NULL) and ncats >= 1
 * category labels; add one or more series of ncats values each (NaN is a
 * missing value); then end. At least one series must be TZ_SERIES_BAR. */
int tz_doc_chart_begin(tz_doc *doc, const char *title, const char *unit, size_t ncats,
                       const char *const *cats);
int tz_doc_chart_series(tz_doc *doc, const char *name, tz_doc_series_kind kind,
                        const double *values);
int tz_doc_chart_end(tz_doc *doc);
/* Stacks the bar series of the chart being built (between begin and end):
 * one bar per category, the series one on top of the other. */
int tz_doc_chart_stack(tz_doc *doc);

/* Starts a new page. */
int tz_doc_page_break(tz_doc *doc);

/* Starts an appendix (附件) on a new page: its label, then title (may be
 * NULL) centred. A doc may have several, numbered in the order they start
 * (GB/T 9704-2012 7.3.4, 8.1): the label is "附件" when the doc has one,
 * "附件1", "附件2", … when it has more. Blocks after it belong to it, up to
 * the next appendix. After the 落款 an appendix is the only block that may
 * start (a heading, paragraph, table, chart or page break there is refused). */
int tz_doc_appendix(tz_doc *doc, const char *title);

/* Adds the 落款 (GB/T 9704-2012 7.3.5): the signer (署名, a unit or region
 * name, not empty) and the 成文日期 date as "YYYY-MM-DD" (a calendar date),
 * which renderers write "2019年12月31日". At most one a doc, after the body
 * and before every appendix; renderers put the 附件说明 (7.3.4) before it
 * when the doc has an appendix. */
int tz_doc_close(tz_doc *doc, const char *signer, const char *date);

/* How many appendices the doc has. */
size_t tz_doc_appendix_count(const tz_doc *doc);

/* The title of the doc's appendix k (from 0, in order; "" when it has
 * none), or NULL when the doc has no appendix k. */
const char *tz_doc_appendix_title(const tz_doc *doc, size_t k);

/* The number of appendix k as printed (GB/T 9704-2012 7.3.4): "" when the
 * doc has one appendix, else "1", "2", … The label is "附件" followed by it,
 * an item of the 附件说明 "<number>．<title>" ("附件：1．…"; the title alone
 * when the number is ""). */
void tz_doc_appendix_no(const tz_doc *doc, size_t k, char *out, size_t n);

/* The 落款 block of the doc, or NULL. */
const tz_doc_block *tz_doc_close_block(const tz_doc *doc);

/* The right indents, in half-character widths (an ASCII character is one,
 * a Chinese one two), of the signer and the date lines of a 落款 (GB/T
 * 9704-2012 7.3.5.1): the signer two characters from the right edge, the
 * date starting two characters right of the signer's start; when the date
 * is the longer, the date two characters from the edge and the signer
 * further left. */
void tz_doc_close_indents(const char *signer, const char *date_words, int *signer_right,
                          int *date_right);

/* The 落款 as renderers lay it out: the date in words and the right
 * indents of its two lines, in half-character widths. */
typedef struct tz_doc_close_lines {
    char date[40];    /* "2019年12月31日" (tz_doc_date_words) */
    int signer_right; /* right indent of the signer line (tz_doc_close_indents) */
    int date_right;   /* right indent of the date line */
} tz_doc_close_lines;

/* The lines of 落款 block b (TZ_DOC_CLOSE, as tz_doc_close made it). */
void tz_doc_close_lines_of(const tz_doc_block *b, tz_doc_close_lines *out);

/* The label of the 附件说明, followed by its first item; the items after it
 * start on lines of their own, aligned under the first item (indented by
 * the label's width, TZ_DOC_APPENDIX_NOTE_CHARS characters). */
#define TZ_DOC_APPENDIX_NOTE "附件："
#define TZ_DOC_APPENDIX_NOTE_CHARS 3

/* 1 when the 附件说明 line goes just before block i of doc: before the 落款
 * when the doc has an appendix, else before the first appendix when the doc
 * has no 落款; 0 for every other block. */
int tz_doc_appendix_note_at(const tz_doc *doc, size_t i);

/* Writes an ISO date "YYYY-MM-DD" as 成文日期 words, "2019年12月31日" (no
 * leading zeros, GB/T 9704-2012 7.3.5). Returns 0, or -1 when iso is not a
 * calendar date (out gets ""). */
int tz_doc_date_words(const char *iso, char *out, size_t n);

/* Where the unit of table header head starts: the byte offset of its last
 * "（" when head ends with "）" and has text before it ("总投资（亿元）"
 * gives 9); 0 when it has no such unit or has a line break of its own.
 * Renderers keep the unit whole: a header that wraps breaks before it. */
size_t tz_doc_head_unit(const char *head);

/* 1 when body row r of t continues the row group above it: its first cell
 * is empty, another of its cells is not, and the row above starts or
 * continues a group (a first cell "梁园区" on a group's first row, "" on the
 * next ones). Renderers merge or repeat such labels. */
int tz_doc_table_group_cont(const tz_doc_table *t, size_t r);

/* Adds a provenance entry: one line of text that runs and cells with
 * ref == id link to. id: 1 to TZ_DOC_ID_MAX ASCII letters, digits or '_',
 * starting with a letter, unique in the doc. */
int tz_doc_anchor(tz_doc *doc, const char *id, const char *text);

/* The first ref (of a run or cell) that names no anchor in the doc, or NULL
 * when every ref resolves. Renderers warn about it and drop the link. */
const char *tz_doc_dangling_ref(const tz_doc *doc);

/* 1 when some anchor in the doc has this id. */
int tz_doc_has_anchor(const tz_doc *doc, const char *id);

#endif
