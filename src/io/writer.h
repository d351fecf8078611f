/* writer.h - table writer for ledger export and templates (.xlsx, .csv).
 *
 * Owns: writing a header row and data rows to .xlsx (libxlsxwriter, with a
 * frozen header, column widths that fit Chinese text, drop-down list
 * validation on enum columns, Text-formatted ID/code columns and real date
 * cells) or .csv (UTF-8 with BOM, or GB18030), and the
 * optional notes row of a fill-in template. Output is deterministic: the same
 * rows give the same bytes (fixed document times). The file is written
 * under a temporary name beside it and renamed into place when complete
 * (util/tmpfile.h: mode 0600, or 0640 for the group in TZ_FILE_GROUP; the
 * temporary file is removed on SIGINT/SIGTERM, and a killed run's leftover
 * at the next export to the same file).
 *
 * Does not own: which columns a ledger has (ledger/) or reading files back.
 */
#ifndef TZ_WRITER_H
#define TZ_WRITER_H
#include "util/diag.h"
#include <stddef.h>

typedef enum tz_encoding { TZ_ENC_UTF8 = 0, TZ_ENC_GB18030 = 1 } tz_encoding;

/* How an xlsx column's cells are formatted (a CSV is plain text whatever it
 * says). */
typedef enum tz_sheet_format {
    TZ_SHEET_GENERAL = 0, /* Excel's General format (a typed number becomes a number) */
    TZ_SHEET_TEXT = 1,    /* Text ("@") for the whole column, rows below the data
                           * included: an ID or code a clerk types later stays text
                           * (an 18-digit ID would lose its last 3 digits as a number) */
    TZ_SHEET_DATE = 2     /* a "YYYY-MM-DD" cell is written as a date (its serial in
                           * the 1900 date system, format yyyy-mm-dd), so Excel's date
                           * filters work; other text is written as text */
} tz_sheet_format;

typedef struct tz_sheet_column {
    const char *header;         /* Chinese header text */
    const char *const *choices; /* NULL-terminated allowed values for a drop-down, or NULL */
    const char *note;           /* one-line fill-in note for the template notes row, or NULL */
    int numeric;                /* 1: cells are plain numbers ("-12.5"; anything else is
                                 * refused), written as xlsx numbers; 0: text, which a
                                 * CSV guards against formula injection */
    int width;                  /* display width hint in half-width chars (0: from header) */
    tz_sheet_format format;     /* xlsx cell format of the column (0: General) */
} tz_sheet_column;

enum {
    TZ_WRITER_NOTES_ROW = 1 /* write a second row with each column's note (templates) */
};

typedef struct tz_writer tz_writer;

/* Opens path for writing; the format follows the extension (.xlsx or .csv).
 * sheet is the worksheet name (xlsx only). enc applies to .csv only. The
 * column array must outlive the writer. Returns 0, or -1 with a diag. */
int tz_writer_open(const char *path, const char *sheet, const tz_sheet_column *cols, size_t ncols,
                   unsigned flags, tz_encoding enc, tz_writer **out, tz_diags *d);

/* Writes one data row of ncols cells; a NULL cell is written empty. In a
 * .csv, a text cell starting with =, +, -, @, TAB or CR is written behind an
 * apostrophe ('=…) so that no spreadsheet runs it as a formula; xlsx text
 * cells are string cells, which are never evaluated, and are written as
 * they are. Returns 0, or -1 with a diag (I/O error, text not
 * representable, a numeric column's cell not a plain number). */
int tz_writer_row(tz_writer *w, const char *const *cells, tz_diags *d);

/* Finishes the file and frees w (even on failure). Returns 0 or -1 with a
 * diag. Safe on NULL. */
int tz_writer_close(tz_writer *w, tz_diags *d);

/* Frees w without finishing (the partial file is removed). Safe on NULL. */
void tz_writer_abort(tz_writer *w);

#endif
