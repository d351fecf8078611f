/* reader.h - streaming table reader for ledger files (.csv, .xlsx, .xls).
 *
 * Owns: turning a file into rows of UTF-8 text cells, one row at a time, with
 * memory that stays flat as the file grows. CSV: RFC 4180 quoting, UTF-8 with
 * or without BOM, or GB18030/GBK (detected). XLSX: the first visible
 * worksheet, via libzip + expat, found through the package relationships
 * exactly as Excel finds it; shared strings resolved; every cell with its
 * tz_cell_kind (numbers kept as their text, so date serials can be
 * recognised) and the workbook's date system; every sheet in workbook order
 * on request (tz_reader_next_sheet). XLS: via FreeXL. ".xls" files that web
 * systems export: HTML tables (libxml2) and SpreadsheetML 2003 XML (expat).
 * Refuses broken, hostile or ambiguous files with a Chinese diagnostic:
 * truncated zip, a part that unpacks past TZ_XLSX_MAX_UNPACKED bytes, a part
 * named twice in the zip, a missing relationship or part, a cell reference
 * outside A1:XFD1048576, cells or rows out of order. Values quoted in
 * diagnostics are clipped to about 40 characters.
 *
 * Does not own: headers, types, validation (ledger/), or writing (writer.h).
 */
#ifndef TZ_READER_H
#define TZ_READER_H
#include "util/diag.h"
#include <stddef.h>

/* Largest number of bytes any one xlsx part may unpack to (1 GiB). */
#define TZ_XLSX_MAX_UNPACKED ((unsigned long long)1 << 30)

/* What the source file stored in a cell. Validation (ledger/) refuses the
 * last two kinds with the cell's location; the text of a TZ_CELL_ERROR cell
 * is the error value as Excel shows it ("#N/A"), that of a TZ_CELL_NOVALUE
 * cell is "". A string formula whose saved result is "" (t="str" with an
 * empty <v>) did compute: it is an empty TZ_CELL_TEXT cell. */
typedef enum tz_cell_kind {
    TZ_CELL_TEXT = 0,   /* text (every CSV cell) */
    TZ_CELL_NUMBER = 1, /* a number (xlsx/xls), kept as its text */
    TZ_CELL_ERROR = 2,  /* an error value (xlsx t="e"): #N/A, #REF!, ... */
    TZ_CELL_NOVALUE = 3 /* a formula whose result was never computed or saved */
} tz_cell_kind;

typedef struct tz_row {
    long rowno;   /* 1-based row number as the user sees it (header row is 1) */
    size_t n;     /* number of cells (trailing empty cells may be absent) */
    char **cells; /* UTF-8 text of each cell, never NULL ("" when empty) */
    unsigned char
        *numeric; /* per cell: a tz_cell_kind (TZ_CELL_NUMBER when the source stored a number) */
    int date1904; /* 1 when the workbook counts date serials from 1904-01-01 (xlsx date1904) */
} tz_row;

typedef struct tz_reader tz_reader;

typedef struct tz_sheet_info {
    int index;        /* 0-based position in the workbook, hidden sheets counted */
    const char *name; /* the sheet's name as the workbook gives it; CSV: "";
                         HTML: the <caption> or "表格N"; valid until the next call */
    int hidden;       /* 0 visible, 1 hidden, 2 very hidden (xlsx veryHidden) */
} tz_sheet_info;

/* Opens path (.csv, .xlsx or .xls, case-insensitive). The content decides
 * the backend, not only the extension: a zip is read as xlsx, an OLE2 file
 * by FreeXL (an .xlsx one as xlsx, which explains a password), and an .xls
 * or .xlsx that is text as HTML tables or SpreadsheetML 2003 XML, as web
 * systems export them; any other .xls is refused ("无法识别的文件格式").
 * Diagnostics name the file by its basename. Returns 0, or -1 with an error
 * added to d (file missing, unknown format, corrupt file). */
int tz_reader_open(const char *path, tz_reader **out, tz_diags *d);

/* Moves to the next sheet of the workbook, hidden ones included, in workbook
 * order: the first call moves to the first sheet. Returns 1 with *info
 * filled, 0 when there is no further sheet, -1 with an error added to d.
 * After it, tz_reader_next reads that sheet's rows from its first row, and
 * tz_reader_blank counts that sheet's blank rows only. A CSV file has one
 * sheet. A caller that never calls it reads the first visible sheet, as
 * before. */
int tz_reader_next_sheet(tz_reader *r, tz_sheet_info *info, tz_diags *d);

/* Reads the next row that holds something: a non-empty cell, or a cell of
 * kind TZ_CELL_ERROR or TZ_CELL_NOVALUE (a row of formulas without results
 * is not an empty row). Returns 1 and
 * sets *row (valid until the next call or free), 0 at the end of the data,
 * or -1 on a broken file with an error added to d. */
int tz_reader_next(tz_reader *r, const tz_row **row, tz_diags *d);

/* Bytes of input consumed so far and in all (compressed bytes for xlsx), for
 * progress display. */
void tz_reader_progress(const tz_reader *r, unsigned long long *done, unsigned long long *total);

/* Name of the detected text encoding ("UTF-8", "UTF-8 BOM", "GB18030"), or
 * the format name for the others ("xlsx", "xls", "HTML(.xls)",
 * "XML 2003(.xls)"). */
const char *tz_reader_encoding(const tz_reader *r);
/* Rows tz_reader_next skipped so far because every cell was empty (in the
 * current sheet, once tz_reader_next_sheet was called). */
size_t tz_reader_blank(const tz_reader *r);

/* The basename used in diagnostics. */
const char *tz_reader_name(const tz_reader *r);

void tz_reader_free(tz_reader *r); /* safe on NULL */

#endif
