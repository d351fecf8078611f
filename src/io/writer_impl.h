/* writer_impl.h - internals shared by the table writer's files (not public).
 *
 * Owns: the tz_writer struct, the per-format backend table (xlsx_write.c,
 * csv_write.c) and the helpers both formats use: display width of Chinese
 * text, UTF-8 checks, number recognition and Chinese I/O error messages.
 *
 * Does not own: the temporary-file and rename protocol (writer.c, on
 * util/tmpfile.h) or the public API (writer.h). Names here are tz_writer__ (double underscore):
 * visible across the module's files and to its unit test, nobody else.
 */
#ifndef TZ_WRITER_IMPL_H
#define TZ_WRITER_IMPL_H
#include "io/writer.h"
#include <stddef.h>

/* Largest column width written to an xlsx sheet, in half-width characters. */
#define TZ_WRITER_MAX_WIDTH 40
/* Smallest column width written to an xlsx sheet (Excel's default is 8.43). */
#define TZ_WRITER_MIN_WIDTH 8
/* Document creation time written into every xlsx (2000-01-01T00:00:00Z), so
 * that the same rows always give the same bytes. */
#define TZ_WRITER_FIXED_TIME 946684800

typedef struct tz_writer_backend {
    const char *format; /* file format name for messages ("xlsx", "csv") */
    /* Prepares the backend on the freshly created temporary file w->tmp_path,
     * whose descriptor fd it owns and closes (also on failure), and writes
     * the header (and notes) rows. Returns 0, or -1 with a diag; on failure
     * w->impl is left NULL. */
    int (*start)(tz_writer *w, int fd, const char *sheet, tz_diags *d);
    /* Writes one data row at sheet row w->next_row (cells already checked to
     * be NULL or valid UTF-8). Returns 0, or -1 with a diag. Sets w->io_failed
     * on an I/O error that makes the file unusable. */
    int (*row)(tz_writer *w, const char *const *cells, tz_diags *d);
    /* Completes w->tmp_path and frees w->impl (also on failure). Returns 0,
     * or -1 with a diag. */
    int (*finish)(tz_writer *w, tz_diags *d);
    /* Frees w->impl without completing the file. Safe when w->impl is NULL. */
    void (*discard)(tz_writer *w);
} tz_writer_backend;

struct tz_writer {
    const tz_writer_backend *be; /* format backend chosen by the extension */
    char *path;                  /* final path, as the caller gave it (owned copy) */
    char *tmp_path;   /* temporary file beside path (util/tmpfile), renamed onto it on close */
    const char *name; /* basename of path for diagnostics (points into path) */
    const tz_sheet_column *cols; /* column definitions (caller's array, outlives w) */
    size_t ncols;                /* number of columns */
    unsigned flags;              /* TZ_WRITER_* flags given to open */
    tz_encoding enc;             /* CSV text encoding */
    long next_row;               /* 1-based sheet row the next data row goes to */
    int failed;                  /* 1 after any row error: close will not publish the file */
    int io_failed;               /* 1 after an I/O error: later rows fail without new diags */
    void *impl;                  /* backend state, owned by the backend */
};

extern const tz_writer_backend tz_writer__xlsx;
extern const tz_writer_backend tz_writer__csv;

/* Number of header rows above the data: 1, or 2 with TZ_WRITER_NOTES_ROW. */
int tz_writer__header_rows(const tz_writer *w);

/* A printable copy of s for a diagnostic: invalid UTF-8 bytes become \xNN.
 * Caller frees; NULL when memory runs out. */
char *tz_writer__printable(const char *s);

/* 1 and *out set when the whole of s is a plain decimal number (optional
 * sign, digits with an optional fraction, optional exponent; no spaces, hex,
 * inf or nan) that is finite and has at most 15 significant digits, so that
 * storing it as a double loses nothing; else 0. Locale-independent. */
int tz_writer__parse_number(const char *s, double *out);

/* 1 and *out set when the whole of s is a date written YYYY-MM-DD (as the
 * ledgers store dates) that Excel can show: its serial in the 1900 date
 * system (1900-03-01 is 61: Excel counts a 1900-02-29); else 0 (other text,
 * an impossible date, a date before 1900-01-01). */
int tz_writer__date_serial(const char *s, double *out);

/* 1 when text s starts with a character that a spreadsheet program takes as
 * the start of a formula, or a control that hides it: '=', '+', '-', '@',
 * TAB or CR. Such text is written to CSV behind an apostrophe. */
int tz_writer__formula_lead(const char *s);

/* 1 when the whole of s is written like a number: an optional sign, digits
 * with at most one '.', and an optional exponent ("-12.5", "+7", ".5",
 * "1e3"); no spaces, separators, hex, inf or nan. Unlike
 * tz_writer__parse_number there is no limit on the digits. Such text is
 * inert in every spreadsheet program, so a numeric column's cells must be
 * like this (tz_writer_row refuses anything else) and go out unguarded. */
int tz_writer__numeric_text(const char *s);

/* Adds an error naming w's file: "<what>: <Chinese reason for err>". */
void tz_writer__io_error(const tz_writer *w, int err, const char *what, tz_diags *d);

/* Chinese text for an errno value (never NULL, static storage). */
const char *tz_writer__errno_text(int err);

#endif
