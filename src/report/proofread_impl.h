/* proofread_impl.h - internal to the proofreader: the state of one run
 * and the helpers its files share. proofread.c owns the run, the findings
 * and the UTF-8 helpers; proofread_words.c the word list and its check;
 * proofread_checks.c doubled words, brackets and garbled text;
 * proofread_facts.c figures against the ledgers; proofread_out.c the
 * output. Nothing here is part of the public API (report/proofread.h).
 */
#ifndef TZ_PROOFREAD_IMPL_H
#define TZ_PROOFREAD_IMPL_H
#include "report/proofread.h"
#include "util/buf.h"
#include <stddef.h>

#define PR_EXCERPT_CHARS 10           /* characters of context each side */
#define PR_AHEAD_CHARS 30             /* reach of the !ahead= clause */
#define PR_MAX_STACK 256              /* bracket nesting kept per line */
#define PR_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

typedef struct tzpr_span {
    size_t off; /* byte offset of an exempt text */
    size_t len; /* its byte length */
} tzpr_span;

/* A complete set (proofread_scope.c). */
typedef struct tzpr_set {
    char *name;    /* what it is: "商丘市所辖9个县（市、区）" */
    char **names;  /* its members' names */
    char **shorts; /* each member's short form (民权), or NULL */
    size_t n;      /* number of members */
} tzpr_set;

struct tz_proofread_scope {
    tzpr_set *sets; /* complete sets */
    size_t n;       /* number of sets */
    size_t cap;     /* allocated */
    char asof[11];  /* the date the text speaks of, YYYY-MM-DD, or "" */
};

typedef struct tzpr_ctx {
    const char *t;                   /* the text */
    size_t n;                        /* its length */
    size_t *lines;                   /* byte offset where each line starts */
    size_t nlines;                   /* number of lines */
    tz_proofread_findings *out;      /* where findings go */
    tzpr_span *ex;                   /* exempt spans from the word list */
    size_t nex;                      /* number of exempt spans */
    size_t exc;                      /* allocated exempt spans */
    const tz_proofread_scope *scope; /* complete sets and date, or NULL */
    size_t col_line;                 /* cache of the last column computed: its line, */
    size_t col_off;                  /* its byte offset */
    long col;                        /* and its column (0: none yet) */
} tzpr_ctx;

/* ---- UTF-8 (proofread.c) ---- */

/* Decodes the code point at s[i] (i < n) with util/text. Returns its byte
 * length (>= 1) and sets *cp, or -1 for an invalid byte (then the length
 * is 1). */
size_t tzpr_u8(const char *str, size_t n, size_t i, long *cp);
/* Start of the code point before byte i (i > 0). */
size_t tzpr_u8_prev(const char *s, size_t i);
/* 1 when cp is a CJK ideograph, an ASCII or full-width digit, a Latin letter. */
int tzpr_is_han(long cp);
int tzpr_is_digit_cp(long cp);
int tzpr_is_latin(long cp);
/* Appends s[0..n) with every invalid byte replaced by U+FFFD. Returns 0 or -1. */
int tzpr_put_clean(tz_buf *b, const char *s, size_t n);
/* A malloc'd copy of s[0..n) cleaned as tzpr_put_clean, or NULL. */
char *tzpr_dup_clean(const char *s, size_t n);
/* 1 when t[i..n) starts with w; 1 when t[0..i) ends with w. */
int tzpr_starts(const char *t, size_t n, size_t i, const char *w);
int tzpr_ends(const char *t, size_t i, const char *w);

/* ---- findings (proofread.c) ---- */

/* Makes room for item n of items, an array of *cap elements of size bytes
 * (doubling, 16 at first). Returns the array, moved perhaps, or NULL on
 * out-of-memory (items unchanged and still the caller's). */
void *tzpr_grow(void *items, size_t *cap, size_t n, size_t size);

/* Adds a finding over t[off, off+len). message is copied; suggestion may be
 * NULL. Returns 0 or -1 on OOM. */
int tzpr_add(tzpr_ctx *c, tz_proofread_kind kind, size_t off, size_t len, const char *message,
             const char *suggestion);
/* 1 when t[off, off+len) lies in a span the word list exempts. */
int tzpr_exempt(const tzpr_ctx *c, size_t off, size_t len);
/* Frees a finding's strings. */
void tzpr_finding_clear(tz_proofread_finding *f);

/* ---- the checks; each returns 0 or -1 on out-of-memory ---- */

/* The exempt spans of the word list (proofread_words.c). */
int tzpr_collect_exempt(tzpr_ctx *c, const tz_proofread_words *w);
/* Misused words (proofread_words.c). */
int tzpr_check_words(tzpr_ctx *c, const tz_proofread_words *w);
/* A malloc'd NUL-terminated copy of s[0..n), or NULL (proofread_words.c). */
char *tzpr_ndup(const char *s, size_t n);
/* Doubled words, brackets and quotes, garbled text (proofread_checks.c). */
int tzpr_check_repeats(tzpr_ctx *c);
int tzpr_check_brackets(tzpr_ctx *c);
int tzpr_check_garbled(tzpr_ctx *c);
/* 等 after a complete list, a phrase or clause doubled in a sentence, mixed
 * numerals, abbreviated years, a bare 目前 (proofread_style.c). */
int tzpr_check_etc(tzpr_ctx *c);
int tzpr_check_sentence_repeats(tzpr_ctx *c);
int tzpr_check_numerals(tzpr_ctx *c);
int tzpr_check_years(tzpr_ctx *c);
int tzpr_check_vague_date(tzpr_ctx *c);
/* 1 when cp ends a sentence: 。！？；!?; or a line break. */
int tzpr_sentence_end(long cp);
/* Appends the text of the .html file at path, one line per block element
 * (proofread_html.c). Returns 0, or -1 with a diag naming the file. */
int tzpr_html_text(const char *path, tz_buf *out, tz_diags *diags);
/* Figures that contradict a fact (proofread_facts.c). */
int tzpr_check_fact(tzpr_ctx *c, const tz_proofread_fact *fact);

#endif
