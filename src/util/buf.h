/* buf.h - tz_buf: a growable byte buffer with a hard size cap.
 *
 * Owns: building strings and files in memory (CSV lines, XML parts, HTTP
 * bodies). Does not own: encoding, escaping policy beyond the XML helper.
 *
 * A tz_buf starts zeroed (TZ_BUF_INIT or memset). Every append returns 0 on
 * success or -1 when memory runs out or the cap would be passed; on failure
 * the buffer frees itself (like curl's dynbuf), so the caller only checks rc.
 * tz_buf_take() hands the NUL-terminated data to the caller, who frees it.
 */
#ifndef TZ_BUF_H
#define TZ_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct tz_buf {
    char *data; /* NUL-terminated contents, or NULL when empty */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard cap on len; 0 means TZ_BUF_DEFAULT_MAX */
} tz_buf;

#define TZ_BUF_DEFAULT_MAX ((size_t)1 << 30)
#define TZ_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

int tz_buf_add(tz_buf *b, const void *p, size_t n);
int tz_buf_puts(tz_buf *b, const char *s);
int tz_buf_putc(tz_buf *b, char c);
int tz_buf_printf(tz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tz_buf_vprintf(tz_buf *b, const char *fmt, va_list ap);
/* Appends s with &, <, >, " and ' escaped for XML text or attributes. */
int tz_buf_xml(tz_buf *b, const char *s);
/* Returns the contents (never NULL: "" when empty) and resets b; caller frees. */
char *tz_buf_take(tz_buf *b);
/* Returns the contents as a C string without giving them away ("" when empty). */
const char *tz_buf_str(const tz_buf *b);
/* Writes v with at most `decimals` decimals and no trailing zeros ("30",
 * "12.5", never "-0"), or "—" when v is not finite. Returns buf. */
const char *tz_fmt_decimal(double v, int decimals, char *buf, size_t sz);
void tz_buf_reset(tz_buf *b); /* frees the contents; b stays usable */
void tz_buf_clear(tz_buf *b); /* empties b ("" when read), keeping its memory for reuse */
void tz_buf_free(tz_buf *b);  /* same as reset; safe on NULL */

/* tz_bufw: a builder that writes many pieces and checks once, at the end
 * (XML parts, Markdown, HTML). After the first failed append every later
 * one is skipped and err stays 1; the buffer then holds nothing useful. */
typedef struct tz_bufw {
    tz_buf b; /* the text built so far */
    int err;  /* 1 after the first failed append */
} tz_bufw;
#define TZ_BUFW_INIT                                                                               \
    {                                                                                              \
        TZ_BUF_INIT, 0                                                                             \
    }

void tz_bufw_puts(tz_bufw *w, const char *s);
void tz_bufw_add(tz_bufw *w, const void *p, size_t n);
void tz_bufw_printf(tz_bufw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends n bytes of s escaped for XML (tz_xml_escape's flags, util/text.h). */
void tz_bufw_xml(tz_bufw *w, const char *s, size_t n, int flags);

#endif
