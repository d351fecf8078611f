/* ledger_impl.h - what the files of the ledger module share and nobody
 * else calls: text hashing, blanks, and the value-alias look-up.
 * Prefix tzl_.
 */
#ifndef TZ_LEDGER_IMPL_H
#define TZ_LEDGER_IMPL_H
#include "ledger/ledger.h"
#include <stddef.h>

/* FNV-1a of s, continued from h (start with TZL_HASH_INIT). */
#define TZL_HASH_INIT 1469598103934665603ULL
unsigned long long tzl_hash(const char *s, unsigned long long h);

/* 1 for a character tz_header_norm removes: whitespace of every kind
 * (ASCII blanks and line breaks, U+0085, U+00A0, U+1680, U+2000..U+200A,
 * U+2028, U+2029, U+202F, U+205F, U+3000) and zero-width characters
 * (U+200B..U+200D, U+2060, U+FEFF). */
int tzl_is_blank(long cp);

/* 1 when tz_header_norm(s) is s itself: printable ASCII without a blank
 * and CJK ideographs only (tz_text_nfkc_same), which no normalising or
 * stripping changes; 0 when it may differ. */
int tzl_norm_same(const char *s);

/* The NFKC form of s, trimmed at both ends (tzl_is_blank). Returns a new
 * string, or NULL when out of memory or s is not UTF-8. */
char *tzl_nfkc_trim(const char *s);

/* 1 when value v is one column c accepts as it is (an ENUM or BOOL choice;
 * for a LIST with choices, one of them; a LIST without: any). */
int tzl_choice_ok(const tz_column *c, const char *v);

/* The standard value an alias of data/value_aliases.tsv gives for the
 * written value v (NFKC, trimmed) in column c: a line for c's name first,
 * then a "*" line, each only when c accepts the standard value. Returns 0
 * with it copied into out (outsz bytes), 1 when there is none, -1 when the
 * aliases cannot be loaded (*why says so). */
int tzl_alias(const tz_column *c, const char *v, char *out, size_t outsz, const char **why);

#endif
