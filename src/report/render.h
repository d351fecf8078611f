/* render.h - Markdown and HTML renderers of a report document, and the
 * format switch that writes a report file by extension.
 *
 * Owns: turning a tz_doc into Markdown (CommonMark + GFM pipe tables; charts
 * as a table of their series) and into one standalone UTF-8 HTML page with a
 * print-friendly CSS imitating the 公文 look (仿宋 body, 黑体/楷体 headings,
 * A4 width), tables, charts as inline SVG bar charts (no script), and
 * provenance runs as <a class="ref" href="#id"> links to <li id="id">
 * entries. Every piece of text is escaped. Output is deterministic.
 *
 * Does not own: the document content (io/doc.h) or Word output
 * (io/docx.h, which tz_render_file calls for .docx).
 */
#ifndef TZ_RENDER_H
#define TZ_RENDER_H
#include "io/doc.h"
#include "util/buf.h"
#include "util/diag.h"

/* Appends the Markdown of doc to out. Returns 0, or -1 when doc failed or is
 * unfinished (out untouched) or memory or out's cap ran out (out emptied, as
 * tz_buf does). Refs naming no anchor are written as plain text. */
int tz_render_md(const tz_doc *doc, tz_buf *out);

/* Appends the complete HTML page of doc to out. Returns 0 or -1 as above. */
int tz_render_html(const tz_doc *doc, tz_buf *out);

/* Writes the attributes (each " name=\"value\"", escaped) of the element
 * a run or cell linked to ref becomes, into attrs; returns 1 to make it one
 * (<a class="tz-fig"…>text</a>), 0 to leave the text plain. */
typedef int (*tz_render_ref_fn)(void *ctx, const char *ref, tz_buf *attrs);
/* Appends the page's <article class="doc">…</article> alone (no <html>,
 * <style> or script: for a web page to show), each run or cell with a ref
 * made an element by fn. Returns 0 or -1 as tz_render_html. */
int tz_render_html_article(const tz_doc *doc, tz_render_ref_fn fn, void *ctx, tz_buf *out);

/* Writes doc to path in the format its extension names (case-insensitive):
 * .docx (io/docx.h), .md / .markdown, .html / .htm. Returns 0, or -1 with a
 * Chinese error in d (unknown extension, unfinished doc, file not writable).
 * A ref naming no anchor adds a warning and is written as plain text. */
int tz_render_file(const tz_doc *doc, const char *path, tz_diags *d);

#endif
