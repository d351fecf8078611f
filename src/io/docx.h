/* docx.h - Word (.docx) writer for report documents, laid out to GB/T 9704-2012.
 *
 * Owns: turning a tz_doc into a WordprocessingML package (libzip): styles
 * with outline levels (标题 2号 方正小标宋简体, 正文 3号 仿宋_GB2312, 一级标题
 * 黑体, 二级标题 楷体_GB2312), A4 with the 公文 margins and 22 lines x 28
 * characters a page, page numbers "— 1 —" in 4号 宋体 (odd pages right, even
 * pages left), tables with a repeated header row, native bar charts with an
 * embedded workbook (libxlsxwriter) so Word/WPS can edit their data, and
 * provenance links (hyperlinks to bookmarks). Output is deterministic: the
 * same doc gives the same bytes.
 *
 * Does not own: the document content (io/doc.h) or other formats
 * (report/render.h).
 */
#ifndef TZ_DOCX_H
#define TZ_DOCX_H
#include "io/doc.h"
#include "util/diag.h"

/* Page geometry in twips (1/20 pt; 1 mm = 56.7 twips). */
#define TZ_DOCX_PAGE_W 11906       /* A4 width, 210 mm */
#define TZ_DOCX_PAGE_H 16838       /* A4 height, 297 mm */
#define TZ_DOCX_MARGIN_TOP 2098    /* 37 mm */
#define TZ_DOCX_MARGIN_BOTTOM 1984 /* 35 mm */
#define TZ_DOCX_MARGIN_LEFT 1587   /* 28 mm */
#define TZ_DOCX_MARGIN_RIGHT 1474  /* 26 mm */
#define TZ_DOCX_LINES 22           /* lines per page */
#define TZ_DOCX_CHARS 28           /* characters per line */
#define TZ_DOCX_BODY_HALFPTS 32    /* body font size, 3号 = 16 pt */

/* Writes doc to path (created or replaced). Returns 0, or -1 with a Chinese
 * error in d (doc failed while building, out of memory, file not writable).
 * A ref naming no anchor adds a warning and is written without a link. */
int tz_docx_write(const tz_doc *doc, const char *path, tz_diags *d);

/* Layout values computed from the geometry above, exposed for tests:
 * - line pitch of the line grid, twips: floor(text height / 22) = 579;
 * - letter spacing of every style, twips: floor(text width / 28) - 320 = -5,
 *   which is what makes 28 characters a line (Word, WPS and LibreOffice);
 * - Word's charSpace for a 28-character grid, 1/4096 pt:
 *   floor((text width / 28 - 16 pt) * 4096) = -842; written in w:docGrid
 *   but not used as a character grid (see docx.c, _w_sect). */
int tz_docx_line_pitch(void);
int tz_docx_letter_spacing(void);
int tz_docx_char_space(void);

#endif
