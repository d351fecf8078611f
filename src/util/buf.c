/* buf.c - growable, capped byte buffer. */
#include "util/buf.h"
#include "util/text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tz_buf_add(tz_buf *b, const void *p, size_t n)
{
    size_t max = b->max ? b->max : TZ_BUF_DEFAULT_MAX;
    if (n > max || b->len > max - n) {
        tz_buf_reset(b);
        return -1;
    }
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 64;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *nd = realloc(b->data, ncap);
        if (!nd) {
            tz_buf_reset(b);
            return -1;
        }
        b->data = nd;
        b->cap = ncap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int tz_buf_puts(tz_buf *b, const char *s)
{
    return tz_buf_add(b, s, strlen(s));
}

int tz_buf_putc(tz_buf *b, char c)
{
    return tz_buf_add(b, &c, 1);
}

int tz_buf_vprintf(tz_buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return tz_buf_add(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big) {
        tz_buf_reset(b);
        return -1;
    }
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    int rc = tz_buf_add(b, big, (size_t)n);
    free(big);
    return rc;
}

int tz_buf_printf(tz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tz_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int tz_buf_xml(tz_buf *b, const char *s)
{
    return tz_xml_escape(b, s, strlen(s), 0);
}

char *tz_buf_take(tz_buf *b)
{
    char *d = b->data;
    if (!d)
        d = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

const char *tz_buf_str(const tz_buf *b)
{
    return b->data ? b->data : "";
}

void tz_buf_reset(tz_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void tz_buf_free(tz_buf *b)
{
    tz_buf_reset(b);
}

const char *tz_fmt_decimal(double v, int decimals, char *buf, size_t sz)
{
    if (!isfinite(v)) {
        snprintf(buf, sz, "—");
        return buf;
    }
    snprintf(buf, sz, "%.*f", decimals, v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (!strcmp(buf, "-0"))
        snprintf(buf, sz, "0");
    return buf;
}

void tz_bufw_puts(tz_bufw *w, const char *s)
{
    if (!w->err && tz_buf_puts(&w->b, s) != 0)
        w->err = 1;
}

void tz_bufw_add(tz_bufw *w, const void *p, size_t n)
{
    if (!w->err && tz_buf_add(&w->b, p, n) != 0)
        w->err = 1;
}

void tz_bufw_printf(tz_bufw *w, const char *fmt, ...)
{
    va_list ap;
    if (w->err)
        return;
    va_start(ap, fmt);
    if (tz_buf_vprintf(&w->b, fmt, ap) != 0)
        w->err = 1;
    va_end(ap);
}

void tz_bufw_xml(tz_bufw *w, const char *s, size_t n, int flags)
{
    if (!w->err && tz_xml_escape(&w->b, s, n, flags) != 0)
        w->err = 1;
}

void tz_buf_clear(tz_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}
