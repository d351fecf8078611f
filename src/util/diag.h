/* diag.h - user-facing diagnostics: Chinese messages with their location.
 *
 * Owns: collecting errors and warnings that a user reads ("households.xlsx
 * 第12行 户主身份证号 \"4116...\": 校验码错误"), capping their number and
 * printing them. Modules never print to stderr themselves; they add to a
 * tz_diags the caller passed in, and the CLI (or web) decides how to show it.
 */
#ifndef TZ_DIAG_H
#define TZ_DIAG_H
#include "util/buf.h"
#include "util/text.h" /* tz_utf8_next, tz_char_hidden: moved there */
#include <stddef.h>
#include <stdio.h>

typedef enum tz_severity { TZ_ERROR = 0, TZ_WARNING = 1 } tz_severity;

typedef struct tz_diag {
    tz_severity sev; /* error (refuses the data) or warning (reported only) */
    char *file;      /* file name as the user gave it (basename), or NULL */
    long row;        /* 1-based spreadsheet row (header is row 1), or 0 */
    char *column;    /* column header or field name, or NULL */
    char *value;     /* offending value as read, or NULL */
    char *reason;    /* Chinese explanation */
} tz_diag;

typedef struct tz_diags {
    tz_diag *items;   /* kept diagnostics, in the order added */
    size_t n;         /* number kept */
    size_t cap;       /* allocated slots */
    size_t limit;     /* keep at most this many errors (0: 200), and a quarter as many warnings */
    size_t nerrors;   /* errors added, including those past the limit */
    size_t nwarnings; /* warnings added, including those past the limit */
} tz_diags;

#define TZ_DIAGS_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, 0, 0, 0                                                                        \
    }

/* Adds one diagnostic. file/column/value may be NULL; row may be 0.
 * The reason is a printf format. Never fails visibly: on OOM the entry is
 * counted but not kept. The value and column are kept in their display form
 * (tz_diag_echo: ID numbers masked, invisible characters shown, at most
 * TZ_DIAG_ECHO_CHARS characters); ID numbers in the reason are masked too. */
void tz_diags_add(tz_diags *d, tz_severity sev, const char *file, long row, const char *column,
                  const char *value, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
#define tz_diags_error(d, file, row, col, val, ...)                                                \
    tz_diags_add((d), TZ_ERROR, (file), (row), (col), (val), __VA_ARGS__)
#define tz_diags_warn(d, file, row, col, val, ...)                                                 \
    tz_diags_add((d), TZ_WARNING, (file), (row), (col), (val), __VA_ARGS__)

/* Characters of a value that a diagnostic echoes before "…(共N字)". */
#define TZ_DIAG_ECHO_CHARS 40

/* Appends the display form of UTF-8 text s to b: control and invisible
 * characters (tz_char_hidden) as <U+XXXX>, bytes that are not UTF-8 as
 * <0xNN>; with max_chars > 0, only the first max_chars characters, then
 * "…(共N字)" with N the characters of all of s. Returns 0, or -1 when b hit
 * its cap or memory ran out. */
int tz_text_shown(tz_buf *b, const char *s, size_t max_chars);

/* The display form of a value echoed in a message: every ID-number-shaped
 * run masked (tz_diag_mask_ids), control and invisible characters written as
 * <U+XXXX>, and past TZ_DIAG_ECHO_CHARS characters cut (never inside a
 * UTF-8 character) and followed by "…(共N字)", N counting the characters of
 * the whole value. Returns a new string the caller frees, or NULL on OOM. */
char *tz_diag_echo(const char *value);

/* Masks, in place, every run that looks like an 18-character 身份证号
 * (17 ASCII digits then a digit or X, not part of a longer run of ASCII
 * letters and digits): the first 6 and last 4 characters stay, the 8 birth
 * date digits become '*' ("411628********123X", as tz_idcard_mask). */
void tz_diag_mask_ids(char *s);

/* Formats one diagnostic as a single line (no newline); caller frees. */
char *tz_diag_format(const tz_diag *g);
/* Prints every kept diagnostic, one per line, then "另有N条错误未列出" when
 * some were dropped. */
void tz_diags_print(const tz_diags *d, FILE *fp);
void tz_diags_clear(tz_diags *d); /* frees all entries; d stays usable */
/* Moves the kept entries from[a..b) to the end of to, in order, counted
 * and capped as tz_diags_add counts and caps them; the moved slots of from
 * are left empty (clear from once done with it). */
void tz_diags_take(tz_diags *to, tz_diags *from, size_t a, size_t b);
/* Chinese reason for an errno value met while reading (writing=0) or
 * writing (writing=1) a file. Never NULL. */
const char *tz_errno_text(int err, int writing);

#endif
