/* reader_impl.h - internals shared by the table reader's format backends.
 *
 * Owns: the tz_reader object itself, the row buffer every backend fills
 * (cells placed by column, gaps filled with "", size caps), and the entry
 * points of the CSV, XLSX and XLS backends. Only src/io/reader.c,
 * src/io/csv_read.c, src/io/xlsx_read.c, src/io/xls_read.c and the reader's
 * unit tests (test_reader.c, test_xls_read.c) include it.
 *
 * Does not own: choosing a backend (reader.c) or what the cells mean.
 */
#ifndef TZ_READER_IMPL_H
#define TZ_READER_IMPL_H
#include "io/reader.h"
#include "util/diag.h"
#include <stddef.h>

/* Most columns a row may have (Excel's limit, column XFD). */
#define TZ_READER_MAX_COLS 16384
/* Most bytes of text one cell may hold (Excel allows 32767 characters). */
#define TZ_READER_MAX_CELL ((size_t)1 << 20)
/* Most bytes of text one row may hold in all. */
#define TZ_READER_MAX_ROW ((size_t)64 << 20)
/* Most bytes the xlsx shared-string table may take in memory. */
#define TZ_XLSX_MAX_SST ((size_t)256 << 20)

/* One format backend. */
typedef struct tz_reader_ops {
    /* Reads the next row (empty ones included) into r->row: 1 with a row,
     * 0 at the end, -1 with an error added to d. */
    int (*next)(tz_reader *r, tz_diags *d);
    /* Frees the backend state r->impl; safe when it is NULL. */
    void (*free)(void *impl);
    /* Moves to the next sheet (the first one on the first call, made only
     * on a backend that has handed out no row yet): 1 with *info filled, 0
     * when there is none, -1 with an error added to d. Until it is called,
     * next reads the first visible sheet. */
    int (*sheet)(tz_reader *r, tz_sheet_info *info, tz_diags *d);
} tz_reader_ops;

struct tz_reader {
    char *name;               /* basename of the file, used in diagnostics */
    const char *encoding;     /* static: "UTF-8", "UTF-8 BOM", "GB18030", "xlsx", "xls" */
    tz_row row;               /* the row handed out; cells point into cellmem */
    char **cellmem;           /* per column slot: reusable writable text storage */
    size_t *cellcap;          /* per column slot: bytes allocated in cellmem[i] */
    size_t slots;             /* column slots allocated in the four arrays */
    size_t rowbytes;          /* text bytes placed in the current row */
    unsigned long long done;  /* progress: input bytes consumed so far */
    unsigned long long total; /* progress: input bytes in all */
    size_t blank;             /* rows skipped because every cell was empty */
    long last_rowno;          /* the sheet's row read last (rows skipped in between are blank) */
    const tz_reader_ops *ops; /* the format backend */
    void *impl;               /* backend state, owned, freed by ops->free */
    char *path;               /* the file as opened, for reopening at the first sheet */
    int (*open_fn)(tz_reader *, const char *, tz_diags *); /* the backend's opener */
    int started; /* next has been called on the backend as it is */
    int sheets;  /* tz_reader_next_sheet has been called */
};

/* Empties r->row (n = 0) and sets its number; storage is kept for reuse. */
void tz__row_begin(tz_reader *r, long rowno);

/* Sets cell col (0-based) of r->row to the len bytes at s (need not be
 * NUL-terminated) with its tz_cell_kind. Cells between the last one and col
 * become "". A cell already set is replaced. Returns 0, or -1 with an error
 * naming r->row.rowno added to d (too many columns, cell or row too large,
 * out of memory). */
int tz__row_set(tz_reader *r, size_t col, const char *s, size_t len, int kind, tz_diags *d);

/* Bytes tz__clip may write, NUL included (40 characters of up to 8 bytes
 * each in their display form, and the count). */
#define TZ__CLIP_SIZE 512
/* Characters of a value tz__clip keeps. */
#define TZ__CLIP_CHARS 40

/* Writes into out (at least TZ__CLIP_SIZE bytes) text s as it may appear
 * inside a message's reason: its display form (tz_text_shown: at most
 * TZ__CLIP_CHARS characters, then "…(共N字)"; control and invisible
 * characters as <U+XXXX>, bytes that are not UTF-8 as <0xNN>). Returns out.
 * Never fails. A value passed as a diagnostic's value needs no clipping: the
 * diagnostics module does it. */
const char *tz__clip(const char *s, char *out);

/* Backends: each opens path (already checked to be a readable regular
 * file), sets r->ops, r->impl, r->encoding and r->total, and returns 0; or
 * returns -1 with an error added to d, leaving r->impl NULL or freeable by
 * r->ops->free. */
int tz__csv_open(tz_reader *r, const char *path, tz_diags *d);
int tz__xlsx_open(tz_reader *r, const char *path, tz_diags *d);
int tz__xls_open(tz_reader *r, const char *path, tz_diags *d);
int tz__html_open(tz_reader *r, const char *path, tz_diags *d);
int tz__xmlss_open(tz_reader *r, const char *path, tz_diags *d);
/* For tests of the xls pipe protocol (tests/unit/test_xls_read.c): like
 * tz__xls_open, but the child runs child(fd, arg), which writes frames to
 * fd, instead of FreeXL (limits: 10 CPU seconds, 10 seconds of waiting). */
int tz__xls_open_child(tz_reader *r, int (*child)(int fd, void *arg), void *arg, tz_diags *d);

/* ---- feeding an XML or HTML parser whole markup constructs ----
 * expat 2.5 (and libxml2's push parser) re-scan an unfinished token on every
 * chunk, which is quadratic in the token's length: the bytes are scanned
 * first and a construct (tag, comment, processing instruction, reference) is
 * handed over only once it is whole (xlsx_read.c owns the scanner). */

/* Longest markup construct handed to a parser. */
#define TZ__FEED_MAX_TOKEN ((size_t)8 << 20)

typedef struct tz__feed {
    char *buf;    /* held bytes: an unfinished construct, then newly read ones */
    size_t len;   /* bytes held */
    size_t cap;   /* bytes allocated */
    int state;    /* scanner state at buf[len] (0: character data) */
    int run;      /* dashes, brackets or "[CDATA[" letters matched so far */
    size_t start; /* offset in buf where the unfinished construct began */
} tz__feed;

/* Advances the scanner of f over buf[from..len). */
void tz__feed_scan(tz__feed *f, size_t from);
/* Bytes at f->buf that may go to the parser now: all of them at the end of
 * the input (eof), else those before a construct still open. */
size_t tz__feed_safe(const tz__feed *f, int eof);

#endif
