/* text.h - UTF-8 text: decoding, validation, display width, normalisation,
 * XML escaping and charset conversion, on libunistring (and iconv).
 *
 * Owns: every question about the bytes of text: is it UTF-8, which
 * character comes next, how wide it shows next to Chinese, its NFKC form,
 * its XML-escaped form, and its GB18030 <-> UTF-8 conversion. There is one
 * decoder and one width rule in the program; no other file decodes UTF-8
 * by hand.
 * Does not own: what a value means (ledger/validate.c), how a diagnostic
 * echoes it (util/diag.c), dates (util/cal.h).
 *
 * Width rule: the East Asian Width property with Ambiguous characters wide,
 * as a Chinese terminal, Excel and Word with Chinese fonts show them: CJK,
 * full-width forms and "—", "“", "…", "°", "×" count 2; ASCII counts 1;
 * combining marks, zero-width characters and controls count 0; a byte that
 * is not UTF-8 counts 1. The terminal, xlsx, docx and HTML column widths all
 * come from tz_text_width.
 */
#ifndef TZ_TEXT_H
#define TZ_TEXT_H
#include "util/buf.h"
#include <stddef.h>
#include <stdio.h>

/* ---- decoding and validation ---------------------------------------- */

/* Decodes the character that starts s[0..n). Returns its length in bytes
 * (1..4) and sets *cp, or 0 when s[0..n) does not start with a well-formed
 * character (overlong forms, surrogates, values past U+10FFFF, stray
 * continuation bytes, a sequence cut by n) or n is 0. */
size_t tz_utf8_decode(const char *s, size_t n, long *cp);

/* Decodes one character at s, a NUL-terminated string (s must not point at
 * its NUL). Returns its length and sets *cp, or returns 1 with *cp = -1 for
 * a byte that does not start a well-formed character. */
size_t tz_utf8_next(const char *s, long *cp);

/* 1 when s[0..n) is well-formed UTF-8 (u8_check), else 0. */
int tz_utf8_valid(const char *s, size_t n);

/* Length of the longest prefix of s[0..n) that is well-formed UTF-8. Sets
 * *incomplete to 1 when the bytes after it begin a character that n cut
 * off (more bytes could complete it), else 0. */
size_t tz_utf8_valid_prefix(const char *s, size_t n, int *incomplete);

/* Cuts from the end of the NUL-terminated s a character that a fixed
 * buffer cut off (what snprintf leaves when it truncates UTF-8 text);
 * returns 1 when it cut, else 0. */
int tz_utf8_trim_cut(char *s);

/* Writes code point cp as UTF-8 into out. Returns the length (1..4), or 0
 * for a surrogate, a negative value or one past U+10FFFF. */
size_t tz_utf8_encode(long cp, char out[4]);

/* Characters in the NUL-terminated s; each byte that is not UTF-8 counts
 * as one. */
size_t tz_utf8_count(const char *s);

/* 1 for a character that prints as nothing or moves the cursor: C0/C1
 * controls and DEL, soft hyphen, zero-width characters (U+200B..U+200F,
 * U+2060..U+206F), bidirectional controls, line/paragraph separators, BOM
 * (U+FEFF), interlinear annotations and tag characters. Diagnostics echo
 * them as <U+XXXX>; validation refuses them in keys and codes. */
int tz_char_hidden(long cp);

/* ---- display width (see the width rule above) ----------------------- */

/* Columns code point cp takes: 0, 1 or 2. */
int tz_char_width(long cp);

/* Columns the NUL-terminated s takes (NULL: 0). */
size_t tz_text_width(const char *s);

/* Columns s[0..n) takes. */
size_t tz_text_nwidth(const char *s, size_t n);

/* Bytes of the longest prefix of s that takes at most max_width columns,
 * never ending inside a character; its width goes to *width when not
 * NULL. */
size_t tz_text_clip(const char *s, size_t max_width, size_t *width);

/* Appends s (NULL: "") to b, then spaces up to width columns (none when s
 * is wider). Returns 0 or -1 (b hit its cap or memory ran out). */
int tz_text_pad(tz_buf *b, const char *s, size_t width);

/* Writes s (NULL: "") to fp, then spaces up to width columns: a terminal
 * table cell. Returns 0 or -1 on a write error. */
int tz_text_fpad(FILE *fp, const char *s, size_t width);

/* ---- normalisation --------------------------------------------------- */

/* The NFKC form of the UTF-8 text s[0..n) (full-width digits and letters
 * become ASCII, the ideographic space U+3000 a space, compatibility
 * ideographs their unified form). Returns a new NUL-terminated string the
 * caller frees, its length in *len when len is not NULL; NULL when s is not
 * UTF-8 or memory ran out. */
char *tz_text_nfkc(const char *s, size_t n, size_t *len);

/* 1 when s[0..n) is well-formed UTF-8 that NFKC leaves as it is because
 * every character is ASCII or a CJK Unified Ideograph (U+3400-U+4DBF,
 * U+4E00-U+9FFF): none of those decomposes, combines or is a combining
 * mark, which is most of a ledger's cells (names, places, numbers, dates).
 * 0 otherwise, which does not say the text would change. */
int tz_text_nfkc_same(const char *s, size_t n);

/* ---- XML / HTML escaping -------------------------------------------- */

enum {
    TZ_XML_ATTR = 1, /* also write tab, CR and LF as a space (an attribute value) */
};

/* Appends s[0..n) to b with &, <, >, " and ' escaped (&amp; &lt; &gt;
 * &quot; &apos;), valid in XML and HTML text and attribute values. flags:
 * TZ_XML_ATTR or 0. Returns 0 or -1 (b hit its cap or memory ran out). */
int tz_xml_escape(tz_buf *b, const char *s, size_t n, int flags);

/* ---- charset conversion (iconv) -------------------------------------- */

typedef struct tz_conv tz_conv; /* a converter between two charsets */

/* Opens a converter from charset `from` to charset `to` (iconv names:
 * "UTF-8", "GB18030"). Returns NULL when the system cannot convert between
 * them (errno set) or memory ran out. */
tz_conv *tz_conv_open(const char *to, const char *from);

enum {
    TZ_CONV_OK = 0,         /* all of the input was converted */
    TZ_CONV_INCOMPLETE = 1, /* the input ends inside a character */
    TZ_CONV_INVALID = 2,    /* a byte sequence is not text in `from`, or has no form in `to` */
};

/* Converts in[0..n), appending the result to out, and keeps the
 * converter's shift state for the next call. Returns TZ_CONV_OK,
 * TZ_CONV_INCOMPLETE or TZ_CONV_INVALID, with the bytes of in consumed in
 * *used (the offending or unfinished bytes begin at in + *used); -1 when
 * out hit its cap or memory ran out. */
int tz_conv_run(tz_conv *c, const char *in, size_t n, tz_buf *out, size_t *used);

/* Forgets any shift state (before converting an unrelated piece of text). */
void tz_conv_reset(tz_conv *c);

void tz_conv_free(tz_conv *c); /* safe on NULL */

/* Converts the whole GB18030 (or GBK, GB2312) text s[0..n) to UTF-8,
 * appending to out. Returns 0; 1 when s is not GB18030 (a byte sequence
 * is invalid, or s ends inside a character), with its offset in *bad_off
 * when not NULL; -1 when memory ran out or the system has no GB18030
 * converter. */
int tz_gb18030_to_utf8(const char *s, size_t n, tz_buf *out, size_t *bad_off);

/* The spreadsheet letters of 0-based column col (0 → "A", 26 → "AA") into
 * out (8 bytes: up to 7 letters). Returns out. */
char *tz_col_letters(size_t col, char out[8]);

#endif
