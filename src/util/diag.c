/* diag.c - collecting and printing user-facing diagnostics. */
#include "util/diag.h"
#include "util/buf.h"
#include "util/text.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char *_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int _is_alnum_ascii(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void tz_diag_mask_ids(char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    size_t i = 0;
    while (i < n) {
        if (!_is_alnum_ascii(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && _is_alnum_ascii(s[j]))
            j++;
        /* s[i..j) is a maximal run of ASCII letters and digits */
        if (j - i == 18) {
            int shaped =
                s[i + 17] == 'X' || s[i + 17] == 'x' || (s[i + 17] >= '0' && s[i + 17] <= '9');
            for (size_t k = i; k < i + 17 && shaped; k++)
                shaped = s[k] >= '0' && s[k] <= '9';
            if (shaped)
                memset(s + i + 6, '*', 8);
        }
        i = j;
    }
}

int tz_text_shown(tz_buf *b, const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t nchars = 0;
    int rc = 0;
    while (*p) {
        long cp;
        size_t k = tz_utf8_next((const char *)p, &cp);
        if (!max_chars || nchars < max_chars) {
            if (cp < 0)
                rc |= tz_buf_printf(b, "<0x%02X>", *p);
            else if (tz_char_hidden(cp))
                rc |= tz_buf_printf(b, "<U+%04lX>", (unsigned long)cp);
            else
                rc |= tz_buf_add(b, p, k);
        }
        nchars++;
        p += k;
    }
    if (max_chars && nchars > max_chars)
        rc |= tz_buf_printf(b, "…(共%zu字)", nchars);
    return rc ? -1 : 0;
}

char *tz_diag_echo(const char *value)
{
    if (!value)
        return NULL;
    char *masked = strdup(value);
    if (!masked)
        return NULL;
    tz_diag_mask_ids(masked);
    tz_buf b = TZ_BUF_INIT;
    int rc = tz_text_shown(&b, masked, TZ_DIAG_ECHO_CHARS);
    free(masked);
    if (rc) {
        tz_buf_free(&b);
        return NULL;
    }
    return tz_buf_take(&b);
}

/* Whether d, keeping kept entries of severity sev, keeps no more of them:
 * at most d->limit errors (0: 200) and a quarter as many warnings. */
static int _full(const tz_diags *d, tz_severity sev, size_t kept)
{
    size_t limit = d->limit ? d->limit : 200;
    return kept >= (sev == TZ_ERROR ? limit : limit / 4 + 1);
}

void tz_diags_add(tz_diags *d, tz_severity sev, const char *file, long row, const char *column,
                  const char *value, const char *fmt, ...)
{
    size_t kept_same = 0; /* errors and warnings are capped separately */
    for (size_t i = 0; i < d->n; i++)
        kept_same += d->items[i].sev == sev;
    if (sev == TZ_ERROR)
        d->nerrors++;
    else
        d->nwarnings++;
    if (_full(d, sev, kept_same))
        return;
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        tz_diag *ni = realloc(d->items, ncap * sizeof *ni);
        if (!ni)
            return;
        d->items = ni;
        d->cap = ncap;
    }
    tz_buf reason = TZ_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tz_buf_vprintf(&reason, fmt, ap);
    va_end(ap);
    tz_diag *g = &d->items[d->n++];
    g->sev = sev;
    g->file = _dup(file);
    g->row = row;
    g->column = tz_diag_echo(column);
    g->value = tz_diag_echo(value);
    g->reason = tz_buf_take(&reason);
    tz_diag_mask_ids(g->reason);
}

char *tz_diag_format(const tz_diag *g)
{
    tz_buf b = TZ_BUF_INIT;
    if (g->sev == TZ_WARNING)
        tz_buf_puts(&b, "提示: ");
    if (g->file)
        tz_buf_puts(&b, g->file);
    if (g->row > 0)
        tz_buf_printf(&b, "%s第%ld行", b.len ? " " : "", g->row);
    if (g->column)
        tz_buf_printf(&b, "%s%s", b.len ? " " : "", g->column);
    if (g->value)
        tz_buf_printf(&b, "%s\"%s\"", b.len ? " " : "", g->value);
    tz_buf_printf(&b, "%s%s", b.len ? ": " : "", g->reason ? g->reason : "");
    return tz_buf_take(&b);
}

void tz_diags_print(const tz_diags *d, FILE *fp)
{
    for (size_t i = 0; i < d->n; i++) {
        char *line = tz_diag_format(&d->items[i]);
        fprintf(fp, "%s\n", line);
        free(line);
    }
    size_t kept_err = 0, kept_warn = 0;
    for (size_t i = 0; i < d->n; i++)
        d->items[i].sev == TZ_ERROR ? kept_err++ : kept_warn++;
    if (d->nerrors > kept_err)
        fprintf(fp, "另有%zu条错误未列出\n", d->nerrors - kept_err);
    if (d->nwarnings > kept_warn)
        fprintf(fp, "另有%zu条提示未列出\n", d->nwarnings - kept_warn);
}

/* Frees the strings of g and empties it. */
static void _diag_free(tz_diag *g)
{
    free(g->file);
    free(g->column);
    free(g->value);
    free(g->reason);
    *g = (tz_diag){0};
}

void tz_diags_take(tz_diags *to, tz_diags *from, size_t a, size_t b)
{
    size_t kept[2] = {0, 0};
    for (size_t i = 0; i < to->n; i++)
        kept[to->items[i].sev == TZ_ERROR ? 0 : 1]++;
    for (size_t i = a; i < b && i < from->n; i++) {
        tz_diag *g = &from->items[i];
        int err = g->sev == TZ_ERROR;
        if (err)
            to->nerrors++;
        else
            to->nwarnings++;
        if (_full(to, g->sev, kept[err ? 0 : 1])) {
            _diag_free(g);
            continue;
        }
        if (to->n == to->cap) {
            size_t ncap = to->cap ? to->cap * 2 : 16;
            tz_diag *ni = realloc(to->items, ncap * sizeof *ni);
            if (!ni) {
                _diag_free(g); /* counted, not kept: as tz_diags_add */
                continue;
            }
            to->items = ni;
            to->cap = ncap;
        }
        to->items[to->n++] = *g;
        kept[err ? 0 : 1]++;
        *g = (tz_diag){0};
    }
}

void tz_diags_clear(tz_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        _diag_free(&d->items[i]);
    free(d->items);
    d->items = NULL;
    d->n = d->cap = 0;
    d->nerrors = d->nwarnings = 0;
}

const char *tz_errno_text(int err, int writing)
{
    switch (err) {
    case ENOENT:
        return writing ? "所在目录不存在" : "文件不存在";
    case EACCES:
    case EPERM:
        return writing ? "没有写入权限" : "没有读取权限";
    case ENOSPC:
        return "磁盘空间不足";
    case EDQUOT:
        return "超出磁盘配额";
    case EFBIG:
        return "文件超过系统允许的大小";
    case EROFS:
        return "磁盘为只读，不能写入";
    case ENAMETOOLONG:
        return "文件名过长";
    case EISDIR:
        return "已有同名的文件夹";
    case ENOTDIR:
        return "路径中有一段不是文件夹";
    case EIO:
        return "磁盘读写出错";
    case ENOMEM:
        return "内存不足";
    case EMFILE:
    case ENFILE:
        return "打开的文件过多";
    case 0:
        return writing ? "写入失败" : "读取失败";
    default:
        return writing ? "写入失败(系统错误)" : "读取失败(系统错误)";
    }
}
