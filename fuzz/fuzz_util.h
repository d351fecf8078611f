/* fuzz_util.h - helpers shared by the libFuzzer harnesses in fuzz/.
 *
 * Owns: the per-process scratch directory the reader harnesses write each
 * input into (the table reader takes a path, not a buffer), and reading a
 * file to its end through the public reader API while checking what
 * reader.h promises about every row.
 *
 * Does not own: any library code. A harness that finds a broken promise
 * calls abort(), so libFuzzer records the input as a crash.
 *
 * Each harness is one .c file that includes this header; the helpers are
 * static, so every harness gets its own copy.
 */
#ifndef TZ_FUZZ_UTIL_H
#define TZ_FUZZ_UTIL_H
#include "io/reader.h"
#include "util/diag.h"
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The scratch directory of this process ("" until _scratch_init ran). */
static char _scratch_dir[PATH_MAX];

/* Removes the scratch directory and whatever input file is left in it. */
static void _scratch_cleanup(void)
{
    if (!_scratch_dir[0])
        return;
    static const char *const names[] = {"in.csv", "in.xlsx", "in.xls"};
    char path[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", _scratch_dir, names[i]);
        unlink(path);
    }
    rmdir(_scratch_dir);
    _scratch_dir[0] = '\0';
}

/* Creates the per-process scratch directory under $TMPDIR (or /tmp) once;
 * it is removed at exit. Aborts when it cannot be made: a harness that
 * cannot write its input tests nothing. */
static void _scratch_init(void)
{
    if (_scratch_dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    snprintf(_scratch_dir, sizeof _scratch_dir, "%s/tz-fuzz-XXXXXX", tmp);
    if (!mkdtemp(_scratch_dir)) {
        perror("tz-fuzz: mkdtemp");
        abort();
    }
    atexit(_scratch_cleanup);
}

/* Writes n bytes at p to <scratch>/in<ext> (ext is ".csv", ".xlsx" or
 * ".xls") and returns the path in a static buffer. Aborts on a write error. */
static const char *_scratch_write(const char *ext, const uint8_t *p, size_t n)
{
    static char path[PATH_MAX + 16];
    _scratch_init();
    snprintf(path, sizeof path, "%s/in%s", _scratch_dir, ext);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror("tz-fuzz: open");
        abort();
    }
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, p + off, n - off);
        if (w <= 0) {
            perror("tz-fuzz: write");
            abort();
        }
        off += (size_t)w;
    }
    close(fd);
    return path;
}

/* Aborts with a message: a promise of reader.h was broken. */
static void _broken(const char *what)
{
    fprintf(stderr, "tz-fuzz: reader promise broken: %s\n", what);
    abort();
}

/* Opens path with the table reader and reads every row, touching every cell
 * so that ASan sees any bad pointer, and checks reader.h's promises: cells
 * never NULL and NUL-terminated, kinds in range, row numbers positive and
 * rising (strictly when rising is 1: CSV rows count records; an xlsx
 * may number its rows in any order), at least one non-empty cell per row,
 * every error explained in a diagnostic, progress within bounds. Every
 * diagnostic is formatted, as the CLI would print it. */
/* Reads the rows of r's current sheet with the checks above. Returns the
 * last tz_reader_next result. */
static int _read_rows(tz_reader *r, tz_diags *d, int rising)
{
    long last = 0;
    const tz_row *row = NULL;
    int rc;
    volatile size_t sink = 0;
    while ((rc = tz_reader_next(r, &row, d)) == 1) {
        if (!row || row->rowno <= 0)
            _broken("no row, or a row number below 1");
        if (rising && row->rowno <= last)
            _broken("row numbers not rising");
        last = row->rowno;
        int nonempty = 0;
        for (size_t i = 0; i < row->n; i++) {
            if (!row->cells[i])
                _broken("NULL cell");
            if (row->numeric[i] > TZ_CELL_NOVALUE)
                _broken("cell kind out of range");
            size_t len = strlen(row->cells[i]);
            sink += len;
            nonempty |= len > 0 || row->numeric[i] >= TZ_CELL_ERROR;
        }
        if (!nonempty)
            _broken("row with only empty cells handed out");
        unsigned long long done = 0, total = 0;
        tz_reader_progress(r, &done, &total);
        if (done > total)
            _broken("progress past the total");
    }
    if (rc < 0 && d->nerrors == 0)
        _broken("read failed without an error");
    if (rc != -1 && rc != 0)
        _broken("tz_reader_next returned something other than -1, 0 or 1");
    (void)sink;
    return rc;
}

/* Formats every diagnostic of d (as the CLI would print it), frees r and d. */
static void _finish(tz_reader *r, tz_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (!d->items[i].reason)
            _broken("diagnostic without a reason");
        free(tz_diag_format(&d->items[i]));
    }
    tz_reader_free(r);
    tz_diags_clear(d);
}

/* Opens path; returns the reader, or NULL after checking the failure. */
static tz_reader *_open_checked(const char *path, tz_diags *d)
{
    tz_reader *r = NULL;
    if (tz_reader_open(path, &r, d) != 0) {
        if (r)
            _broken("open failed but handed out a reader");
        if (d->nerrors == 0)
            _broken("open failed without an error");
        return NULL;
    }
    if (!tz_reader_name(r) || !tz_reader_encoding(r))
        _broken("NULL name or encoding");
    return r;
}

/* Opens path with the table reader and reads every row of the first
 * visible sheet, touching every cell so that ASan sees any bad pointer, and
 * checks reader.h's promises: cells never NULL and NUL-terminated, kinds in
 * range, row numbers positive and rising (strictly when rising is 1: CSV
 * rows count records; an xlsx may number its rows in any order), at least
 * one non-empty cell per row, every error explained in a diagnostic,
 * progress within bounds. Every diagnostic is formatted, as the CLI would
 * print it. */
__attribute__((unused)) static void _read_all(const char *path, int rising)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r = _open_checked(path, &d);
    if (r)
        (void)_read_rows(r, &d, rising);
    _finish(r, &d);
}

/* As _read_all, over every sheet (tz_reader_next_sheet): sheet indexes
 * rise, names are never NULL, hidden is 0, 1 or 2. */
__attribute__((unused)) static void _read_sheets(const char *path, int rising)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_reader *r = _open_checked(path, &d);
    int rc = 0, last = -1;
    tz_sheet_info si;
    while (r && (rc = tz_reader_next_sheet(r, &si, &d)) == 1) {
        if (si.index <= last || !si.name || si.hidden < 0 || si.hidden > 2)
            _broken("sheet index not rising, NULL name or hidden out of range");
        last = si.index;
        if (_read_rows(r, &d, rising) < 0)
            break;
    }
    if (r && rc < 0 && d.nerrors == 0)
        _broken("sheet move failed without an error");
    _finish(r, &d);
}

#endif
