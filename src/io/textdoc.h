/* textdoc.h - reading the text of a document a person wrote, to proofread
 * it: .docx, .txt and .md.
 *
 * Owns: the file formats (a .docx's word/document.xml paragraphs, UTF-8 or
 * GB18030 plain text, Markdown's fenced code blocks) and their size caps.
 * Does not own: what is done with the text (report/proofread.h), or writing
 * documents (io/docx.h).
 */
#ifndef TZ_TEXTDOC_H
#define TZ_TEXTDOC_H
#include "util/buf.h"
#include "util/diag.h"
#include <stddef.h>

#define TZ_TEXTDOC_FILE_MAX ((size_t)16 << 20) /* .txt/.md (and word list) size cap */

/* Reads a whole file of at most TZ_TEXTDOC_FILE_MAX bytes into a malloc'd,
 * NUL-terminated *data (the caller frees it); *len gets its length.
 * Returns 0, or -1 with a Chinese diag naming the file. */
int tz_textdoc_slurp(const char *path, char **data, size_t *len, tz_diags *diags);

/* Appends the paragraph text of a .docx (word/document.xml) to out: one
 * line per <w:p>, <w:t> text, <w:tab/> as a tab, <w:br/> and <w:cr/> as a
 * space; deleted text and mc:Fallback copies are skipped. Returns 0, or -1
 * with a Chinese diag naming the file (not a zip, no document.xml, broken
 * XML, a DTD, larger than 32 MiB unpacked). */
int tz_textdoc_docx(const char *path, tz_buf *out, tz_diags *diags);

/* Reads the text of path by its extension: .docx, .md/.markdown or .txt
 * (UTF-8 with or without BOM; GB18030 is detected and converted with a
 * warning). In .md, fenced code blocks are blanked (lines kept). Appends
 * the text to out. Returns 0, or -1 with a diag (an unsupported type too). */
int tz_textdoc_read(const char *path, tz_buf *out, tz_diags *diags);

#endif
