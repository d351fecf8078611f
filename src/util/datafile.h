/* datafile.h - the data files kept in data/ (yearly poverty lines, village
 * exit thresholds, header synonyms, value aliases): where they are found
 * and how their lines are read.
 *
 * Owns: the search path of a data file and walking a tab-separated file
 * line by line, with Chinese errors naming the file and line.
 * Does not own: what a line means (each table parses its own lines:
 * metrics/datafiles.c, ledger/header.c, ledger/aliases.c) or when a table
 * is loaded (each keeps its own lock and loads once).
 */
#ifndef TZ_DATAFILE_H
#define TZ_DATAFILE_H
#include "util/diag.h"
#include <stddef.h>

/* Longest line a data file may have, in bytes (a longer one is refused). */
#define TZ_DATAFILE_LINE_MAX 4096

/* Finds data file `file` (a bare name, "poverty_lines.tsv") in the default
 * places: $TAIZHANG_HOME/data, next to the binary (../data from build/ or
 * bin/), the installed share dir (../share/taizhang/data), then ./data.
 * Returns 0 with the path in out (sz bytes), or -1 with a diag naming the
 * file when none is readable. */
int tz_datafile_find(const char *file, char *out, size_t sz, tz_diags *d);

/* The same, with what the file holds ("贫困线") named in the message. */
int tz_datafile_find_what(const char *file, const char *what, char *out, size_t sz, tz_diags *d);

/* Called by tz_datafile_read for each line that is neither blank nor a '#'
 * comment: p is the line without leading blanks and without its line end
 * (CR/LF). Returns 0 to go on, -1 for a refused line (the reader goes on,
 * and fails at the end), 1 to stop and fail (too many lines). */
typedef int (*tz_datafile_line_fn)(void *acc, char *p, const char *path, long lineno, tz_diags *d);

/* Calls fn for each line of path that is neither blank nor a '#' comment
 * (a UTF-8 BOM before the first line is skipped). what names the file's
 * content in messages ("贫困线"). Returns 0, or -1 (with a diag) when the
 * file cannot be opened or read to its end, a line is not UTF-8 or is
 * longer than TZ_DATAFILE_LINE_MAX, or fn refused a line. */
int tz_datafile_read(const char *path, const char *what, tz_datafile_line_fn fn, void *acc,
                     tz_diags *d);

/* Splits line p in place at TABs into at most max fields (the last field
 * keeps any further TABs), each with blanks trimmed at both ends. Returns
 * the number of fields. */
size_t tz_datafile_fields(char *p, char **fields, size_t max);

#endif
