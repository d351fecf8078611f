/* markup.c - the bytes of an HTML or SpreadsheetML 2003 file on their way to
 * a parser: read in chunks, converted to UTF-8, handed over in whole markup
 * constructs (tz__feed).
 *
 * Encoding: a UTF-8 BOM means UTF-8; else the charset the file declares in
 * its first 8 KiB (XML: encoding="..." of <?xml?>; HTML: charset=... of a
 * <meta>): GB2312, GBK, GB18030 and CP936 are read as GB18030, UTF-8 as
 * UTF-8; else (none, or one not known here) the file is UTF-8 when those
 * bytes are, otherwise GB18030, as Chinese web systems write. Bytes that do
 * not fit the chosen encoding are refused, never replaced: the parser only
 * ever sees valid UTF-8, and is told so.
 */
#include "io/markup.h"
#include "util/text.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MARKUP_CHUNK ((size_t)64 << 10) /* bytes read per fread */
#define MARKUP_HEAD ((size_t)8 << 10)   /* bytes the encoding is decided from */

void tz__markup_free(tz__markup *m)
{
    if (m->fp)
        (void)fclose(m->fp); /* read only: a failed close loses nothing */
    tz_conv_free(m->conv);
    free(m->feed.buf);
    tz_buf_free(&m->dec);
    memset(m, 0, sizeof *m);
}

/* Finds name= (ASCII case ignored) in head and copies the value (quoted or
 * not) into out. Returns 1 when found. */
static int _declared(const char *head, size_t n, const char *name, char *out, size_t size)
{
    size_t k = strlen(name);
    for (size_t i = 0; i + k < n; i++) {
        if (strncasecmp(head + i, name, k) != 0)
            continue;
        size_t j = i + k;
        while (j < n && (head[j] == ' ' || head[j] == '='))
            j++;
        if (j < n && (head[j] == '"' || head[j] == '\''))
            j++;
        size_t o = 0;
        while (j < n && o + 1 < size &&
               ((head[j] >= 'A' && head[j] <= 'Z') || (head[j] >= 'a' && head[j] <= 'z') ||
                (head[j] >= '0' && head[j] <= '9') || head[j] == '-' || head[j] == '_'))
            out[o++] = head[j++];
        out[o] = '\0';
        if (o)
            return 1;
    }
    return 0;
}

/* The charset path's head (n bytes) is in: "UTF-8" or "GB18030". */
static const char *_charset(const char *head, size_t n, int html)
{
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        return "UTF-8";
    char cs[32];
    if (_declared(head, n, html ? "charset" : "encoding", cs, sizeof cs)) {
        if (strncasecmp(cs, "gb", 2) == 0 || strcasecmp(cs, "cp936") == 0 ||
            strcasecmp(cs, "x-gbk") == 0)
            return "GB18030";
        if (strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0)
            return "UTF-8";
    }
    /* the head may end inside a character: at most 3 bytes of it */
    for (size_t cut = 0; cut < 4 && cut <= n; cut++)
        if (tz_utf8_valid(head, n - cut))
            return "UTF-8";
    return "GB18030";
}

int tz__markup_open(tz_reader *r, tz__markup *m, const char *path, int html, tz_diags *d)
{
    memset(m, 0, sizeof *m);
    m->dec.max = TZ__FEED_MAX_TOKEN + 4 * MARKUP_CHUNK;
    m->fp = fopen(path, "rb");
    if (!m->fp) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法打开文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(m->fp), &st) == 0)
        r->total = (unsigned long long)st.st_size;
    if (r->total > TZ_XLSX_MAX_UNPACKED) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "文件超过%lluGB,无法读取",
                       TZ_XLSX_MAX_UNPACKED >> 30);
        return -1;
    }
    char head[MARKUP_HEAD];
    size_t n = fread(head, 1, sizeof head, m->fp);
    if (ferror(m->fp) || fseek(m->fp, 0, SEEK_SET) != 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法读取文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    m->charset = _charset(head, n, html);
    m->conv = tz_conv_open("UTF-8", m->charset);
    if (!m->conv) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "系统缺少%s编码转换,无法读取", m->charset);
        return -1;
    }
    return 0;
}

int tz__markup_rewind(tz_reader *r, tz__markup *m, tz_diags *d)
{
    if (fseek(m->fp, 0, SEEK_SET) != 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法读取文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    clearerr(m->fp);
    tz_conv_reset(m->conv);
    m->feed.len = 0;
    m->feed.state = 0;
    m->feed.run = 0;
    m->feed.start = 0;
    m->rawlen = 0;
    m->eof = 0;
    m->bom_checked = 0;
    return 0;
}

/* Reports bytes that are not text in m->charset. */
static void _bad_bytes(tz_reader *r, const tz__markup *m, const unsigned char *p, size_t n,
                       tz_diags *d)
{
    tz_buf hex = TZ_BUF_INIT;
    for (size_t i = 0; i < n && i < 4; i++)
        tz_buf_printf(&hex, "%s%02X", i ? " " : "", p[i]);
    tz_diags_error(d, r->name, 0, NULL, NULL,
                   "文件中有不是%s编码的字节(%s),无法读取,请用Excel或WPS另存为.xlsx", m->charset,
                   tz_buf_str(&hex));
    tz_buf_free(&hex);
}

/* Appends the decoded UTF-8 in m->dec to the feed. Returns 0 or -1 (OOM). */
static int _to_feed(tz_reader *r, tz__markup *m, tz_diags *d)
{
    tz__feed *f = &m->feed;
    if (f->cap - f->len < m->dec.len) {
        size_t ncap = f->cap ? f->cap * 2 : MARKUP_CHUNK * 2;
        if (ncap < f->len + m->dec.len)
            ncap = f->len + m->dec.len;
        char *nb = realloc(f->buf, ncap);
        if (!nb) {
            tz_diags_error(d, r->name, 0, NULL, NULL, "内存不足,无法读取");
            return -1;
        }
        f->buf = nb;
        f->cap = ncap;
    }
    size_t from = f->len;
    if (m->dec.len && m->dec.data)
        memcpy(f->buf + f->len, m->dec.data, m->dec.len);
    f->len += m->dec.len;
    m->dec.len = 0;
    tz__feed_scan(f, from);
    return 0;
}

int tz__markup_fill(tz_reader *r, tz__markup *m, size_t *safe, tz_diags *d)
{
    size_t n = fread(m->raw + m->rawlen, 1, sizeof m->raw - m->rawlen, m->fp);
    if (n == 0 && ferror(m->fp)) {
        tz_diags_error(d, r->name, 0, NULL, NULL, "无法读取文件: %s", tz_errno_text(errno, 0));
        return -1;
    }
    r->done += n;
    m->rawlen += n;
    if (n == 0)
        m->eof = 1;
    const char *in = (const char *)m->raw;
    size_t len = m->rawlen;
    if (!m->bom_checked && (len >= 3 || m->eof)) {
        m->bom_checked = 1;
        if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
            in += 3;
            len -= 3;
        }
    }
    if (!m->bom_checked) { /* fewer than 3 bytes so far: wait for more */
        *safe = 0;
        return 0;
    }
    size_t used = 0;
    int cr = tz_conv_run(m->conv, in, len, &m->dec, &used);
    if (cr < 0) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件中有超过%zuMB的标记没有结束,文件已损坏或被篡改,已拒绝读取",
                       TZ__FEED_MAX_TOKEN >> 20);
        return -1;
    }
    if (cr == TZ_CONV_INVALID || (cr == TZ_CONV_INCOMPLETE && m->eof)) {
        _bad_bytes(r, m, (const unsigned char *)in + used, len - used, d);
        return -1;
    }
    memmove(m->raw, in + used, len - used);
    m->rawlen = len - used;
    if (memchr(m->dec.data ? m->dec.data : "", '\0', m->dec.len)) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件中有空字符(NUL),不是文本文件,请用Excel或WPS另存为.xlsx");
        return -1;
    }
    if (_to_feed(r, m, d))
        return -1;
    *safe = tz__feed_safe(&m->feed, m->eof);
    return 0;
}

int tz__markup_consume(tz_reader *r, tz__markup *m, size_t used, tz_diags *d)
{
    tz__feed *f = &m->feed;
    if (used) {
        memmove(f->buf, f->buf + used, f->len - used);
        f->len -= used;
        f->start -= f->start >= used ? used : f->start;
    }
    if (f->len > TZ__FEED_MAX_TOKEN) {
        tz_diags_error(d, r->name, 0, NULL, NULL,
                       "文件中有超过%zuMB的标记没有结束,文件已损坏或被篡改,已拒绝读取",
                       TZ__FEED_MAX_TOKEN >> 20);
        return -1;
    }
    return 0;
}
