/* text.c - UTF-8 decoding, width, NFKC, XML escaping and charset
 * conversion (see text.h), on libunistring and iconv. */
#include "util/text.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>
#include <uniwidth.h>

/* libunistring counts East Asian Ambiguous characters wide only for a CJK
 * encoding name; GBK is the one a Chinese Windows terminal uses. */
#define TEXT_WIDTH_ENCODING "GBK"

size_t tz_utf8_decode(const char *s, size_t n, long *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    ucs4_t u;
    int k = u8_mbtoucr(&u, (const uint8_t *)s, n);
    if (k <= 0)
        return 0;
    *cp = (long)u;
    return (size_t)k;
}

size_t tz_utf8_next(const char *s, long *cp)
{
    unsigned char c = (unsigned char)*s;
    if (c && c < 0x80) { /* ASCII: most of a cell's characters */
        *cp = c;
        return 1;
    }
    size_t k = tz_utf8_decode(s, strnlen(s, 4), cp);
    if (k == 0) {
        *cp = -1;
        return 1;
    }
    return k;
}

int tz_utf8_valid(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

size_t tz_utf8_valid_prefix(const char *s, size_t n, int *incomplete)
{
    const uint8_t *bad = u8_check((const uint8_t *)s, n);
    *incomplete = 0;
    if (!bad)
        return n;
    size_t ok = (size_t)((const char *)bad - s);
    ucs4_t u;
    *incomplete = u8_mbtoucr(&u, bad, n - ok) == -2;
    return ok;
}

int tz_utf8_trim_cut(char *s)
{
    size_t n = strlen(s);
    int incomplete = 0;
    size_t ok = tz_utf8_valid_prefix(s, n, &incomplete);
    if (!incomplete || n - ok > 3)
        return 0;
    s[ok] = '\0';
    return 1;
}

size_t tz_utf8_encode(long cp, char out[4])
{
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    int k = u8_uctomb((uint8_t *)out, (ucs4_t)cp, 4);
    return k > 0 ? (size_t)k : 0;
}

size_t tz_utf8_count(const char *s)
{
    size_t n = 0;
    long cp;
    while (*s) {
        s += tz_utf8_next(s, &cp);
        n++;
    }
    return n;
}

int tz_char_hidden(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || cp == 0x180E ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
           (cp >= 0xE0000 && cp <= 0xE007F);
}

int tz_char_width(long cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return 1;
    if (cp < 0 || cp > 0x10FFFF)
        return 1;
    int w = uc_width((ucs4_t)cp, TEXT_WIDTH_ENCODING);
    return w < 0 ? 0 : w;
}

size_t tz_text_nwidth(const char *s, size_t n)
{
    size_t w = 0;
    while (n > 0) {
        long cp;
        size_t k = tz_utf8_decode(s, n, &cp);
        if (k == 0) {
            k = 1;
            w += 1;
        } else {
            w += (size_t)tz_char_width(cp);
        }
        s += k;
        n -= k;
    }
    return w;
}

size_t tz_text_width(const char *s)
{
    return s ? tz_text_nwidth(s, strlen(s)) : 0;
}

size_t tz_text_clip(const char *s, size_t max_width, size_t *width)
{
    size_t w = 0, i = 0, n = strlen(s);
    while (i < n) {
        long cp;
        size_t k = tz_utf8_decode(s + i, n - i, &cp);
        size_t cw = k ? (size_t)tz_char_width(cp) : 1;
        if (!k)
            k = 1;
        if (w + cw > max_width)
            break;
        w += cw;
        i += k;
    }
    if (width)
        *width = w;
    return i;
}

int tz_text_pad(tz_buf *b, const char *s, size_t width)
{
    if (!s)
        s = "";
    if (tz_buf_puts(b, s))
        return -1;
    for (size_t w = tz_text_width(s); w < width; w++)
        if (tz_buf_putc(b, ' '))
            return -1;
    return 0;
}

int tz_text_fpad(FILE *fp, const char *s, size_t width)
{
    if (!s)
        s = "";
    if (fputs(s, fp) == EOF)
        return -1;
    for (size_t w = tz_text_width(s); w < width; w++)
        if (putc(' ', fp) == EOF)
            return -1;
    return 0;
}

int tz_text_nfkc_same(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xE3 || c > 0xE9 || n - i < 3 || ((unsigned char)s[i + 1] & 0xC0) != 0x80 ||
            ((unsigned char)s[i + 2] & 0xC0) != 0x80)
            return 0;
        long cp = ((long)(c & 0x0F) << 12) | ((long)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        if (!((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)))
            return 0;
        i += 3;
    }
    return 1;
}

char *tz_text_nfkc(const char *s, size_t n, size_t *len)
{
    if (tz_text_nfkc_same(s, n)) {
        char *same = malloc(n + 1);
        if (!same)
            return NULL;
        memcpy(same, s, n);
        same[n] = '\0';
        if (len)
            *len = n;
        return same;
    }
    if (!tz_utf8_valid(s, n))
        return NULL;
    size_t m = 0;
    uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, NULL, &m);
    if (!r && n > 0)
        return NULL;
    char *out = realloc(r, m + 1);
    if (!out) {
        free(r);
        return NULL;
    }
    out[m] = '\0';
    if (len)
        *len = m;
    return out;
}

int tz_xml_escape(tz_buf *b, const char *s, size_t n, int flags)
{
    const char *run = s;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        case '\t':
        case '\n':
        case '\r':
            rep = (flags & TZ_XML_ATTR) ? " " : NULL;
            break;
        default:
            break;
        }
        if (rep) {
            if (tz_buf_add(b, run, (size_t)(s + i - run)) || tz_buf_puts(b, rep))
                return -1;
            run = s + i + 1;
        }
    }
    return tz_buf_add(b, run, (size_t)(s + n - run));
}

struct tz_conv {
    iconv_t cd; /* the open iconv descriptor */
};

tz_conv *tz_conv_open(const char *to, const char *from)
{
    tz_conv *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->cd = iconv_open(to, from);
    if (c->cd == (iconv_t)-1) {
        int e = errno;
        free(c);
        errno = e;
        return NULL;
    }
    return c;
}

int tz_conv_run(tz_conv *c, const char *in, size_t n, tz_buf *out, size_t *used)
{
    char *ip = (char *)in;
    size_t inleft = n;
    char chunk[4096];
    int rc = TZ_CONV_OK;
    for (;;) {
        char *op = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(c->cd, &ip, &inleft, &op, &oleft);
        int e = errno;
        if (tz_buf_add(out, chunk, sizeof chunk - oleft))
            return -1;
        if (r != (size_t)-1)
            break;
        if (e == E2BIG)
            continue;
        rc = e == EINVAL ? TZ_CONV_INCOMPLETE : TZ_CONV_INVALID;
        break;
    }
    *used = n - inleft;
    return rc;
}

void tz_conv_reset(tz_conv *c)
{
    iconv(c->cd, NULL, NULL, NULL, NULL);
}

void tz_conv_free(tz_conv *c)
{
    if (!c)
        return;
    iconv_close(c->cd);
    free(c);
}

int tz_gb18030_to_utf8(const char *s, size_t n, tz_buf *out, size_t *bad_off)
{
    tz_conv *c = tz_conv_open("UTF-8", "GB18030");
    if (!c)
        return -1;
    size_t used = 0;
    int rc = tz_conv_run(c, s, n, out, &used);
    tz_conv_free(c);
    if (rc > 0) {
        if (bad_off)
            *bad_off = used;
        return 1;
    }
    return rc;
}

char *tz_col_letters(size_t col, char out[8])
{
    char tmp[7];
    size_t n = 0;
    for (size_t c = col + 1; c > 0 && n < sizeof tmp; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return out;
}
