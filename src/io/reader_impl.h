/* reader_impl.h - internals shared by the table reader's format backends.
 *
 * Owns: the tz_reader object itself, the row buffer every backend fills
 * (cells placed by column, gaps filled with "", size caps), and the entry
 * points of the CSV, XLSX and XLS backends, and the worksheet scanner the
 * XLSX backend uses. Only the backends in src/io/, the reader's unit tests
 * (test_reader.c, test_xls_read.c) and the xlsx_parts fuzz harness include
 * it.
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
    size_t scanned;           /* rows the xlsx worksheet scanner read (xlsx_scan.c), for tests */
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

/* ---- a zip part inflated on a thread of its own (zip_pump.c) ---- */
struct zip_file;
typedef struct tz__pump tz__pump;
/* Starts a thread reading zf (libzip loaded) chunk bytes at a time, up to
 * four chunks ahead. zf is the thread's alone until tz__pump_stop. NULL
 * when no thread or memory could be had (the caller reads zf itself). */
tz__pump *tz__pump_start(struct zip_file *zf, size_t chunk);
/* Copies the next chunk into dst (chunk bytes of room). Returns its bytes,
 * 0 at the end of the part, or -1 when zf could not be read (corrupt);
 * after the end or an error every later call says it again. */
long long tz__pump_read(tz__pump *p, void *dst);
/* Stops the thread and frees p (zf stays the caller's, to close); safe on
 * NULL. */
void tz__pump_stop(tz__pump *p);

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

/* ---- the worksheet scanner (xlsx_scan.c) ----
 * Rows of a worksheet's <sheetData> are read without expat when they keep
 * to a strict subset of XML: unprefixed element names, attributes without
 * namespace declarations (a prefix must be bound where <sheetData> is),
 * values without references, tabs or line breaks, text in well-formed
 * UTF-8 with the five predefined and numeric references, no comment,
 * processing instruction or CDATA, no carriage return. Inside that subset
 * it hands the callbacks exactly the events expat would; at anything
 * outside it, it gives up before taking the item, and expat reads on from
 * there (xlsx_read.c). */

/* What tz__xscan_item found. */
enum {
    TZ__XSCAN_ITEM = 0, /* one element (and the text before it) dispatched and taken */
    TZ__XSCAN_END,      /* an end tag closing the scanned level: *pos at its '<' */
    TZ__XSCAN_MORE,     /* the bytes end inside the item: nothing taken */
    TZ__XSCAN_BAIL,     /* a construct outside the subset, or not well-formed: nothing taken */
    TZ__XSCAN_STOP      /* a callback set *stop */
};

/* Most bytes of names and attribute values one tag may have for the scanner. */
#define TZ__XSCAN_TAG_BYTES ((size_t)16 << 10)
/* Most attributes of one tag, and elements open inside one item. */
#define TZ__XSCAN_MAX_ATTS 32
#define TZ__XSCAN_MAX_DEPTH 32

/* The scanner's callbacks and its scratch; the caller fills the first six
 * members. */
typedef struct tz__xscan {
    void *ud;                                                     /* handed to each callback */
    void (*start)(void *ud, const char *name, const char **atts); /* as expat's, unprefixed names */
    void (*end)(void *ud, const char *name);                      /* as expat's */
    void (*text)(void *ud, const char *s, int len);               /* decoded character data */
    const int *stop;               /* nonzero once a callback wants no more events */
    const char *prefixes;          /* bound attribute prefixes, each NUL-terminated, back to back */
    size_t prefixes_len;           /* bytes at prefixes */
    long lines;                    /* line feeds inside the items taken so far */
    char tag[TZ__XSCAN_TAG_BYTES]; /* the tag's name and attributes, NUL-terminated */
    const char *atts[2 * TZ__XSCAN_MAX_ATTS + 1]; /* pointers into tag, NULL-terminated */
    unsigned short att_len[TZ__XSCAN_MAX_ATTS];   /* bytes of each attribute's name */
    unsigned short att_local[TZ__XSCAN_MAX_ATTS]; /* where its local part starts, 0: no prefix */
} tz__xscan;

/* Scans buf[*pos..len): character data, then one element with everything in
 * it, dispatching each event as it is read. Returns TZ__XSCAN_ITEM with *pos
 * past the element; TZ__XSCAN_END when an end tag comes first (*pos at it,
 * the text before it dispatched); otherwise *pos is left alone and the
 * events dispatched so far must be undone by the caller. */
int tz__xscan_item(tz__xscan *sc, const char *buf, size_t len, size_t *pos);

/* 0 reads worksheets with expat alone (tests compare the two); default 1. */
extern int tz__xlsx_scan;

#endif
