/* reader.h - streaming table reader for ledger files (.csv, .xlsx, .xls).
 *
 * Owns: turning a file into rows of UTF-8 text cells, one row at a time, with
 * memory that stays flat as the file grows. CSV: RFC 4180 quoting, UTF-8 with
 * or without BOM, or GB18030/GBK (detected). XLSX: the first visible
 * worksheet, via libzip + expat, found through the package relationships
 * exactly as Excel finds it; shared strings resolved; every cell with its
 * tz_cell_kind (numbers kept as their text, so date serials can be
 * recognised) and the workbook's date system. XLS: via FreeXL.
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

/* Opens path; the format follows the extension (.csv, .xlsx, .xls; case-
 * insensitive). Diagnostics name the file by its basename. Returns 0, or -1
 * with an error added to d (file missing, unknown format, corrupt file). */
int tz_reader_open(const char *path, tz_reader **out, tz_diags *d);

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
 * the format name for binary formats ("xlsx", "xls"). */
const char *tz_reader_encoding(const tz_reader *r);
/* Rows tz_reader_next skipped so far because every cell was empty. */
size_t tz_reader_blank(const tz_reader *r);

/* The basename used in diagnostics. */
const char *tz_reader_name(const tz_reader *r);

void tz_reader_free(tz_reader *r); /* safe on NULL */

#endif
