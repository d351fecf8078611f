/* proofread.c - proofreading of official Chinese writing; rules in proofread.h. */
#include "report/proofread.h"
#include "util/path.h"
#include "report/numword.h"
#include <errno.h>
#include <expat.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define _EXCERPT_CHARS 10                   /* characters of context each side */
#define _AHEAD_CHARS 30                     /* reach of the !ahead= clause */
#define _MAX_STACK 256                      /* bracket nesting kept per line */
#define _DOCX_MAX ((zip_uint64_t)32 << 20) /* unpacked document.xml cap */
#define _FILE_MAX ((size_t)16 << 20)        /* .txt/.md size cap */
#define _REPLACEMENT "\xef\xbf\xbd"         /* U+FFFD */

/* ---- UTF-8 ------------------------------------------------------------ */

/* Decodes the code point at s[i] (i < n). Returns its byte length (≥ 1) and
 * sets *cp, or -1 for an invalid byte (then the length is 1). */
static size_t _u8(const char *str, size_t n, size_t i, long *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[i];
    if (c < 0x80) {
        *cp = (long)c;
        return 1;
    }
    size_t len;
    long v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    if (i + len > n) {
        *cp = -1;
        return 1;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = -1;
            return 1;
        }
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = -1;
        return 1;
    }
    *cp = v;
    return len;
}

/* Start of the code point before byte i (i > 0). */
static size_t _u8_prev(const char *s, size_t i)
{
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static int _is_han(long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

static int _is_digit_cp(long cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

static int _is_latin(long cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static int _valid_utf8(const char *s, size_t n)
{
    long cp;
    for (size_t i = 0; i < n;) {
        i += _u8(s, n, i, &cp);
        if (cp < 0)
            return 0;
    }
    return 1;
}

/* Appends s[0..n) with every invalid byte replaced by U+FFFD. */
static int _put_clean(tz_buf *b, const char *s, size_t n)
{
    long cp;
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        size_t l = _u8(s, n, i, &cp);
        if (cp < 0) {
            if (tz_buf_add(b, s + run, i - run) || tz_buf_puts(b, _REPLACEMENT))
                return -1;
            run = i + l;
        }
        i += l;
    }
    return tz_buf_add(b, s + run, n - run);
}

static char *_dup_clean(const char *s, size_t n)
{
    tz_buf b = TZ_BUF_INIT;
    if (_put_clean(&b, s, n))
        return NULL;
    return tz_buf_take(&b);
}

static int _starts(const char *t, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i <= n && n - i >= l && memcmp(t + i, w, l) == 0;
}

static int _ends(const char *t, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i >= l && memcmp(t + i - l, w, l) == 0;
}

/* ---- findings ----------------------------------------------------------- */

typedef struct _span {
    size_t off; /* byte offset of an exempt text */
    size_t len; /* its byte length */
} _span;

typedef struct _ctx {
    const char *t;              /* the text */
    size_t n;                   /* its length */
    size_t *lines;              /* byte offset where each line starts */
    size_t nlines;              /* number of lines */
    tz_proofread_findings *out; /* where findings go */
    _span *ex;                  /* exempt spans from the word list */
    size_t nex;                 /* number of exempt spans */
    size_t exc;                 /* allocated exempt spans */
} _ctx;

const char *tz_proofread_kind_name(tz_proofread_kind kind)
{
    switch (kind) {
    case TZ_PROOF_WORD:
        return "错别字";
    case TZ_PROOF_REPEAT:
        return "词语重复";
    case TZ_PROOF_BRACKET:
        return "括号引号不配对";
    case TZ_PROOF_FACT:
        return "数字与台账不符";
    case TZ_PROOF_GARBLED:
        return "乱码";
    }
    return "其他";
}

static void _finding_clear(tz_proofread_finding *f)
{
    free(f->text);
    free(f->excerpt);
    free(f->message);
    free(f->suggestion);
}

void tz_proofread_findings_free(tz_proofread_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        _finding_clear(&f->items[i]);
    free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

static size_t _line_index(const _ctx *c, size_t off)
{
    size_t lo = 0, hi = c->nlines; /* lines[lo] <= off < lines[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static int _exempt(const _ctx *c, size_t off, size_t len)
{
    for (size_t i = 0; i < c->nex; i++) {
        if (off >= c->ex[i].off && off + len <= c->ex[i].off + c->ex[i].len)
            return 1;
    }
    return 0;
}

/* Adds a finding over t[off, off+len). message is copied; suggestion may be
 * NULL. Returns 0 or -1 on OOM. */
static int _add(_ctx *c, tz_proofread_kind kind, size_t off, size_t len, const char *message,
                const char *suggestion)
{
    tz_proofread_findings *o = c->out;
    if (o->n == o->cap) {
        size_t ncap = o->cap ? o->cap * 2 : 16;
        tz_proofread_finding *ni = realloc(o->items, ncap * sizeof *ni);
        if (!ni)
            return -1;
        o->items = ni;
        o->cap = ncap;
    }
    tz_proofread_finding f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    f.offset = off;
    f.len = len;
    size_t li = _line_index(c, off);
    size_t ls = c->lines[li];
    f.line = (long)li + 1;
    long col = 1, cp;
    for (size_t i = ls; i < off;) {
        i += _u8(c->t, c->n, i, &cp);
        col++;
    }
    f.column = col;
    size_t a = off;
    for (int k = 0; k < _EXCERPT_CHARS && a > ls; k++)
        a = _u8_prev(c->t, a);
    size_t b = off + len;
    for (int k = 0; k < _EXCERPT_CHARS && b < c->n && c->t[b] != '\n' && c->t[b] != '\r'; k++)
        b += _u8(c->t, c->n, b, &cp);
    f.text = _dup_clean(c->t + off, len);
    f.excerpt = _dup_clean(c->t + a, b - a);
    f.message = strdup(message);
    f.suggestion = suggestion ? strdup(suggestion) : NULL;
    if (!f.text || !f.excerpt || !f.message || (suggestion && !f.suggestion)) {
        _finding_clear(&f);
        return -1;
    }
    o->items[o->n++] = f;
    return 0;
}

/* ---- the word list -------------------------------------------------------- */

enum { _C_NEXT, _C_NOT_NEXT, _C_PREV, _C_NOT_PREV, _C_NOT_AHEAD };

typedef struct _clause {
    int type;     /* _C_* */
    char **alts;  /* alternatives; "#" is any digit */
    size_t nalts; /* number of alternatives */
} _clause;

typedef struct _wrow {
    char *wrong; /* text to find */
    size_t wlen; /* its byte length */
    char *right; /* suggestion (equal to wrong for an exemption) */
    char *note;  /* explanation, or NULL */
    _clause *cl; /* context clauses, all must hold */
    size_t ncl;  /* number of clauses */
    int exempt;  /* 1: right equals wrong, the text is correct */
    long lineno; /* line in the file, for messages */
} _wrow;

struct tz_proofread_words {
    _wrow *rows; /* rows in file order */
    size_t n;    /* number of rows */
};

static void _row_free(_wrow *r)
{
    free(r->wrong);
    free(r->right);
    free(r->note);
    for (size_t i = 0; i < r->ncl; i++) {
        for (size_t k = 0; k < r->cl[i].nalts; k++)
            free(r->cl[i].alts[k]);
        free(r->cl[i].alts);
    }
    free(r->cl);
}

void tz_proofread_words_free(tz_proofread_words *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        _row_free(&w->rows[i]);
    free(w->rows);
    free(w);
}

size_t tz_proofread_words_count(const tz_proofread_words *w)
{
    return w ? w->n : 0;
}

static char *_ndup(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

/* Parses the context column s[0..n) into r. Returns 0, 1 for a syntax error
 * (*bad points at the clause), or -1 on OOM. */
static int _parse_context(const char *s, size_t n, _wrow *r, const char **bad, size_t *badlen)
{
    static const struct {
        const char *key;
        int type;
    } keys[] = {{"next=", _C_NEXT},
                {"!next=", _C_NOT_NEXT},
                {"prev=", _C_PREV},
                {"!prev=", _C_NOT_PREV},
                {"!ahead=", _C_NOT_AHEAD}};
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t st = i;
        while (i < n && s[i] != ' ')
            i++;
        const char *cs = s + st;
        size_t cn = i - st;
        if (cn == 1 && cs[0] == '-')
            continue;
        *bad = cs;
        *badlen = cn;
        int type = -1;
        size_t kl = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            kl = strlen(keys[k].key);
            if (cn > kl && memcmp(cs, keys[k].key, kl) == 0) {
                type = keys[k].type;
                break;
            }
        }
        if (type < 0)
            return 1;
        _clause *ncl = realloc(r->cl, (r->ncl + 1) * sizeof *ncl);
        if (!ncl)
            return -1;
        r->cl = ncl;
        _clause *c = &r->cl[r->ncl++];
        memset(c, 0, sizeof *c);
        c->type = type;
        const char *a = cs + kl, *end = cs + cn;
        while (a <= end) {
            const char *bar = memchr(a, '|', (size_t)(end - a));
            if (!bar)
                bar = end;
            if (bar == a)
                return 1; /* empty alternative */
            char **na = realloc(c->alts, (c->nalts + 1) * sizeof *na);
            if (!na)
                return -1;
            c->alts = na;
            if (!(c->alts[c->nalts] = _ndup(a, (size_t)(bar - a))))
                return -1;
            c->nalts++;
            a = bar + 1;
        }
    }
    return 0;
}

tz_proofread_words *tz_proofread_parse_words(const char *text, size_t len, const char *name,
                                             tz_diags *diags)
{
    tz_proofread_words *w = calloc(1, sizeof *w);
    size_t cap = 0;
    long lineno = 0;
    int rc = -1;
    if (!w || (!text && len)) {
        tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取校对词表");
        goto done;
    }
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        const char *ln = text + i;
        size_t ll = e - i;
        i = nl ? e + 1 : len;
        lineno++;
        if (ll && ln[ll - 1] == '\r')
            ll--;
        if (ll == 0 || ln[0] == '#')
            continue;
        if (!_valid_utf8(ln, ll)) {
            tz_diags_error(diags, name, lineno, NULL, NULL,
                           "不是有效的UTF-8文本，请以UTF-8编码保存词表");
            goto done;
        }
        const char *f[4] = {NULL, NULL, NULL, NULL};
        size_t fl[4] = {0, 0, 0, 0};
        size_t nf = 0, p = 0;
        while (nf < 4) {
            const char *tab = memchr(ln + p, '\t', ll - p);
            size_t fe = tab ? (size_t)(tab - ln) : ll;
            f[nf] = ln + p;
            fl[nf] = fe - p;
            nf++;
            if (!tab)
                break;
            p = fe + 1;
            if (nf == 3) { /* the note takes the rest of the line, tabs and all */
                f[3] = ln + p;
                fl[3] = ll - p;
                nf = 4;
            }
        }
        if (nf < 2 || fl[0] == 0 || fl[1] == 0) {
            tz_diags_error(
                diags, name, lineno, NULL, NULL,
                "应为“错误写法<TAB>正确写法[<TAB>上下文条件<TAB>说明]”，缺少错误写法或正确写法");
            goto done;
        }
        if (memchr(f[0], ' ', fl[0])) {
            char *v = _ndup(f[0], fl[0]);
            tz_diags_error(diags, name, lineno, "错误写法", v, "错误写法中不能有空格");
            free(v);
            goto done;
        }
        if (w->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            _wrow *nr = realloc(w->rows, ncap * sizeof *nr);
            if (!nr) {
                tz_diags_error(diags, name, lineno, NULL, NULL, "内存不足，无法读取校对词表");
                goto done;
            }
            w->rows = nr;
            cap = ncap;
        }
        _wrow *r = &w->rows[w->n++];
        memset(r, 0, sizeof *r);
        r->lineno = lineno;
        r->wrong = _ndup(f[0], fl[0]);
        r->wlen = fl[0];
        r->right = _ndup(f[1], fl[1]);
        r->note = (nf > 3 && fl[3]) ? _ndup(f[3], fl[3]) : NULL;
        if (!r->wrong || !r->right || (nf > 3 && fl[3] && !r->note)) {
            tz_diags_error(diags, name, lineno, NULL, NULL, "内存不足，无法读取校对词表");
            goto done;
        }
        r->exempt = strcmp(r->wrong, r->right) == 0;
        if (nf > 2 && fl[2]) {
            const char *bad = NULL;
            size_t badlen = 0;
            int prc = _parse_context(f[2], fl[2], r, &bad, &badlen);
            if (prc < 0) {
                tz_diags_error(diags, name, lineno, NULL, NULL, "内存不足，无法读取校对词表");
                goto done;
            }
            if (prc > 0) {
                char *v = _ndup(bad, badlen);
                tz_diags_error(
                    diags, name, lineno, "上下文条件", v,
                    "无法识别，应为 next=、!next=、prev=、!prev= 或 !ahead= 加以“|”分隔的写法");
                free(v);
                goto done;
            }
        }
    }
    if (w->n == 0) {
        tz_diags_error(diags, name, 0, NULL, NULL, "校对词表是空的");
        goto done;
    }
    rc = 0;
done:
    if (rc) {
        tz_proofread_words_free(w);
        return NULL;
    }
    return w;
}

/* Reads a whole file into a malloc'd buffer (NUL-terminated). Returns 0 or
 * -1 with a diag. */
static int _slurp(const char *path, const char *name, char **data, size_t *len, tz_diags *diags)
{
    int rc = -1;
    tz_buf b = TZ_BUF_INIT;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        tz_diags_error(diags, name, 0, NULL, NULL, "无法打开文件：%s", tz_errno_text(errno, 0));
        goto done;
    }
    b.max = _FILE_MAX;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (tz_buf_add(&b, chunk, got)) {
            tz_diags_error(diags, name, 0, NULL, NULL, "文件超过%zu MiB或内存不足，无法读取",
                           _FILE_MAX >> 20);
            goto done;
        }
    }
    if (ferror(fp)) {
        tz_diags_error(diags, name, 0, NULL, NULL, "读取文件出错：%s", tz_errno_text(errno, 0));
        goto done;
    }
    *len = b.len;
    *data = tz_buf_take(&b);
    rc = 0;
done:
    if (fp)
        fclose(fp);
    tz_buf_free(&b);
    return rc;
}

tz_proofread_words *tz_proofread_load_words(const char *path, tz_diags *diags)
{
    if (!path) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "没有给出校对词表的路径");
        return NULL;
    }
    char *data = NULL;
    size_t len = 0;
    if (_slurp(path, tz_path_base(path), &data, &len, diags))
        return NULL;
    tz_proofread_words *w = tz_proofread_parse_words(data, len, tz_path_base(path), diags);
    free(data);
    return w;
}

/* ---- the word check ------------------------------------------------------- */

static int _alt_at(const char *t, size_t n, size_t i, const char *alt)
{
    if (strcmp(alt, "#") == 0) {
        long cp;
        return i < n && (_u8(t, n, i, &cp), _is_digit_cp(cp));
    }
    return _starts(t, n, i, alt);
}

static int _alt_before(const char *t, size_t n, size_t i, const char *alt)
{
    if (strcmp(alt, "#") == 0) {
        long cp;
        return i > 0 && (_u8(t, n, _u8_prev(t, i), &cp), _is_digit_cp(cp));
    }
    return _ends(t, i, alt);
}

static int _is_sentence_end(long cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '!' || cp == '?' ||
           cp == ';' || cp == '\n';
}

static int _clauses_hold(const _wrow *r, const char *t, size_t n, size_t off)
{
    size_t end = off + r->wlen;
    for (size_t i = 0; i < r->ncl; i++) {
        const _clause *c = &r->cl[i];
        int any = 0;
        if (c->type == _C_NOT_AHEAD) {
            size_t p = end;
            long cp;
            for (int k = 0; k < _AHEAD_CHARS && p < n && !any; k++) {
                size_t l = _u8(t, n, p, &cp);
                if (_is_sentence_end(cp))
                    break;
                for (size_t a = 0; a < c->nalts && !any; a++)
                    any = _alt_at(t, n, p, c->alts[a]);
                p += l;
            }
            if (any)
                return 0;
            continue;
        }
        for (size_t a = 0; a < c->nalts && !any; a++) {
            if (c->type == _C_NEXT || c->type == _C_NOT_NEXT)
                any = _alt_at(t, n, end, c->alts[a]);
            else
                any = _alt_before(t, n, off, c->alts[a]);
        }
        int want = c->type == _C_NEXT || c->type == _C_PREV;
        if (any != want)
            return 0;
    }
    return 1;
}

static int _collect_exempt(_ctx *c, const tz_proofread_words *w)
{
    for (size_t i = 0; w && i < w->n; i++) {
        const _wrow *r = &w->rows[i];
        if (!r->exempt)
            continue;
        for (size_t p = 0; p + r->wlen <= c->n;) {
            const char *hit = memmem(c->t + p, c->n - p, r->wrong, r->wlen);
            if (!hit)
                break;
            size_t off = (size_t)(hit - c->t);
            if (_clauses_hold(r, c->t, c->n, off)) {
                if (c->nex == c->exc) {
                    size_t ncap = c->exc ? c->exc * 2 : 16;
                    _span *ns = realloc(c->ex, ncap * sizeof *ns);
                    if (!ns)
                        return -1;
                    c->ex = ns;
                    c->exc = ncap;
                }
                c->ex[c->nex].off = off;
                c->ex[c->nex].len = r->wlen;
                c->nex++;
            }
            p = off + 1;
        }
    }
    return 0;
}

static int _check_words(_ctx *c, const tz_proofread_words *w)
{
    tz_buf msg = TZ_BUF_INIT;
    int rc = -1;
    for (size_t i = 0; i < w->n; i++) {
        const _wrow *r = &w->rows[i];
        if (r->exempt)
            continue;
        for (size_t p = 0; p + r->wlen <= c->n;) {
            const char *hit = memmem(c->t + p, c->n - p, r->wrong, r->wlen);
            if (!hit)
                break;
            size_t off = (size_t)(hit - c->t);
            p = off + r->wlen;
            if (!_clauses_hold(r, c->t, c->n, off) || _exempt(c, off, r->wlen))
                continue;
            tz_buf_reset(&msg);
            if (tz_buf_printf(&msg, "“%s”应为“%s”", r->wrong, r->right) ||
                (r->note && tz_buf_printf(&msg, "（%s）", r->note)))
                goto done;
            if (_add(c, TZ_PROOF_WORD, off, r->wlen, tz_buf_str(&msg), r->right))
                goto done;
        }
    }
    rc = 0;
done:
    tz_buf_free(&msg);
    return rc;
}

/* ---- doubled words -------------------------------------------------------- */

static int _check_repeats(_ctx *c)
{
    int rc = -1;
    long *cps = NULL;
    size_t *offs = NULL;
    size_t cap = 0;
    tz_buf msg = TZ_BUF_INIT;
    for (size_t li = 0; li < c->nlines; li++) {
        size_t ls = c->lines[li];
        size_t le = li + 1 < c->nlines ? c->lines[li + 1] : c->n;
        size_t m = 0;
        long cp;
        for (size_t i = ls; i < le;) {
            if (m + 1 >= cap) {
                size_t ncap = cap ? cap * 2 : 256;
                long *nc = realloc(cps, ncap * sizeof *nc);
                if (!nc)
                    goto done;
                cps = nc;
                size_t *no = realloc(offs, ncap * sizeof *no);
                if (!no)
                    goto done;
                offs = no;
                cap = ncap;
            }
            size_t l = _u8(c->t, c->n, i, &cp);
            cps[m] = cp;
            offs[m] = i;
            m++;
            i += l;
        }
        if (m + 1 > cap)
            continue; /* empty line with nothing allocated yet */
        offs[m] = le;
        for (size_t i = 0; i < m;) {
            size_t found = 0;
            if (_is_han(cps[i]) && cps[i] != 0x4E00 /* 一 */) {
                for (size_t L = 2; L <= 6 && i + 2 * L <= m && !found; L++) {
                    int ok = 1, same = 1;
                    for (size_t k = 0; k < 2 * L && ok; k++)
                        ok = _is_han(cps[i + k]);
                    for (size_t k = 0; k < L && ok; k++) {
                        ok = cps[i + k] == cps[i + L + k];
                        if (cps[i + k] != cps[i])
                            same = 0;
                    }
                    if (!ok || same)
                        continue;
                    size_t off = offs[i], len = offs[i + 2 * L] - off;
                    if (_exempt(c, off, len))
                        continue;
                    size_t ulen = offs[i + L] - off;
                    tz_buf_reset(&msg);
                    if (tz_buf_puts(&msg, "“") || tz_buf_add(&msg, c->t + off, ulen) ||
                        tz_buf_puts(&msg, "”连写了两遍，疑为多打"))
                        goto done;
                    char *sugg = _ndup(c->t + off, ulen);
                    if (!sugg)
                        goto done;
                    int arc = _add(c, TZ_PROOF_REPEAT, off, len, tz_buf_str(&msg), sugg);
                    free(sugg);
                    if (arc)
                        goto done;
                    found = 2 * L;
                }
            }
            i += found ? found : 1;
        }
    }
    rc = 0;
done:
    free(cps);
    free(offs);
    tz_buf_free(&msg);
    return rc;
}

/* ---- brackets and quotes ---------------------------------------------------- */

typedef struct _bracket {
    long open;  /* opening code point */
    long close; /* closing code point */
    int family; /* brackets of one family pair with each other */
} _bracket;

static const _bracket _brackets[] = {
    {0xFF08, 0xFF09, 1},                       /* （） */
    {'(', ')', 1},        {0xFF3B, 0xFF3D, 2}, /* ［］ */
    {'[', ']', 2},        {0x3010, 0x3011, 3}, /* 【】 */
    {0x300A, 0x300B, 4},                       /* 《》 */
    {0x3008, 0x3009, 5},                       /* 〈〉 */
    {0x3014, 0x3015, 6},                       /* 〔〕 */
    {0xFF5B, 0xFF5D, 7},                       /* ｛｝ */
    {'{', '}', 7},        {0x201C, 0x201D, 8}, /* “” */
    {0x2018, 0x2019, 9},                       /* ‘’ */
    {0x300C, 0x300D, 10},                      /* 「」 */
    {0x300E, 0x300F, 11},                      /* 『』 */
};

typedef struct _open {
    int family; /* family of the opener */
    size_t off; /* its byte offset */
    size_t len; /* its byte length */
    long close; /* the closer that would match it */
} _open;

/* Appends the UTF-8 encoding of cp. Returns 0 or -1 on OOM. */
static int _put_cp(tz_buf *b, long cp)
{
    char u[4];
    size_t l;
    if (cp < 0x80) {
        u[0] = (char)cp;
        l = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        l = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        l = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        l = 4;
    }
    return tz_buf_add(b, u, l);
}

/* 1 for the Chinese numerals 一 to 十. */
static int _cn_ordinal(long cp)
{
    static const long cn[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                              0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
    for (size_t k = 0; k < sizeof cn / sizeof cn[0]; k++)
        if (cn[k] == cp)
            return 1;
    return 0;
}

/* 1 when t[ls, pos) is only blanks plus one ordinal token: 1–3 digits, one
 * Latin letter or 1–3 Chinese numerals ("1）", "a)", "十二）"). */
static int _list_marker(const char *t, size_t n, size_t ls, size_t pos)
{
    size_t i = ls, ndig = 0, nlat = 0, ncn = 0;
    long cp;
    while (i < pos && (t[i] == ' ' || t[i] == '\t'))
        i++;
    while (i < pos) {
        size_t l = _u8(t, n, i, &cp);
        if (_is_digit_cp(cp))
            ndig++;
        else if (_is_latin(cp))
            nlat++;
        else if (_cn_ordinal(cp))
            ncn++;
        else
            return 0;
        i += l;
    }
    int kinds = (ndig > 0) + (nlat > 0) + (ncn > 0);
    return kinds == 1 && ndig <= 3 && nlat <= 1 && ncn <= 3;
}

/* Adds a bracket finding: an opener `have` whose `want` never comes
 * (unclosed), or a closer `have` with no `want` before it. */
static int _bracket_finding(_ctx *c, size_t off, size_t len, long have, long want, int unclosed)
{
    tz_buf msg = TZ_BUF_INIT;
    int rc = -1;
    if (tz_buf_puts(&msg, "“") || _put_cp(&msg, have) ||
        tz_buf_puts(&msg, unclosed ? "”在本段没有对应的“" : "”在本段前面没有对应的“") ||
        _put_cp(&msg, want) || tz_buf_puts(&msg, "”"))
        goto done;
    rc = _add(c, TZ_PROOF_BRACKET, off, len, tz_buf_str(&msg), NULL);
done:
    tz_buf_free(&msg);
    return rc;
}

static long _open_of(long close)
{
    for (size_t i = 0; i < sizeof _brackets / sizeof _brackets[0]; i++)
        if (_brackets[i].close == close)
            return _brackets[i].open;
    return 0;
}

static int _check_brackets(_ctx *c)
{
    _open stack[_MAX_STACK];
    for (size_t li = 0; li < c->nlines; li++) {
        size_t ls = c->lines[li];
        size_t le = li + 1 < c->nlines ? c->lines[li + 1] : c->n;
        size_t depth = 0, dropped = 0;
        long prev = 0, cp;
        for (size_t i = ls; i < le;) {
            size_t l = _u8(c->t, c->n, i, &cp);
            const _bracket *bk = NULL;
            int is_open = 0;
            for (size_t k = 0; k < sizeof _brackets / sizeof _brackets[0]; k++) {
                if (_brackets[k].open == cp) {
                    bk = &_brackets[k];
                    is_open = 1;
                    break;
                }
                if (_brackets[k].close == cp) {
                    bk = &_brackets[k];
                    break;
                }
            }
            if (bk && is_open) {
                if (depth < _MAX_STACK)
                    stack[depth++] = (_open){bk->family, i, l, bk->close};
                else
                    dropped++;
            } else if (bk) {
                long next = 0;
                if (i + l < c->n)
                    _u8(c->t, c->n, i + l, &next);
                int apostrophe = cp == 0x2019 && _is_latin(prev) && _is_latin(next);
                size_t k = depth;
                while (k > 0 && stack[k - 1].family != bk->family)
                    k--;
                if (dropped && k == 0) {
                    dropped--; /* closes an opener we could not keep */
                } else if (k > 0) {
                    for (size_t j = depth; j > k; j--) {
                        _open *o = &stack[j - 1];
                        long ocp;
                        _u8(c->t, c->n, o->off, &ocp);
                        if (_bracket_finding(c, o->off, o->len, ocp, o->close, 1))
                            return -1;
                    }
                    depth = k - 1;
                } else if (!apostrophe &&
                           !((cp == ')' || cp == 0xFF09) && _list_marker(c->t, c->n, ls, i))) {
                    if (_bracket_finding(c, i, l, cp, _open_of(cp), 0))
                        return -1;
                }
            }
            prev = cp;
            i += l;
        }
        for (size_t j = 0; j < depth; j++) {
            long ocp;
            _u8(c->t, c->n, stack[j].off, &ocp);
            if (_bracket_finding(c, stack[j].off, stack[j].len, ocp, stack[j].close, 1))
                return -1;
        }
    }
    return 0;
}

/* ---- garbled text ------------------------------------------------------------ */

static int _check_garbled(_ctx *c)
{
    static const char kun[] = "锟斤拷";
    size_t kl = strlen(kun);
    long cp;
    for (size_t i = 0; i < c->n;) {
        size_t l = _u8(c->t, c->n, i, &cp);
        const char *msg = NULL;
        size_t st = i, e = i + l;
        if (cp < 0) {
            while (e < c->n && (_u8(c->t, c->n, e, &cp), cp < 0))
                e++;
            msg = "出现无效的UTF-8字节，文件编码可能不对或已损坏";
        } else if (cp == 0xFFFD) {
            while (e < c->n && _starts(c->t, c->n, e, _REPLACEMENT))
                e += 3;
            msg = "出现乱码字符“" _REPLACEMENT "”，原文在转码时丢失了字符，请对照原稿补正";
        } else if (_starts(c->t, c->n, i, kun)) {
            e = i + kl;
            while (_starts(c->t, c->n, e, kun))
                e += kl;
            msg = "出现“锟斤拷”，这是典型的转码乱码，请对照原稿补正";
        }
        if (msg) {
            if (_add(c, TZ_PROOF_GARBLED, st, e - st, msg, NULL))
                return -1;
            i = e;
        } else {
            i += l;
        }
    }
    return 0;
}

/* ---- facts ------------------------------------------------------------------- */

static const char *const _partial_markers[] = {
    "其中", "每", "各", "有的", "部分", "其余", "剩余", "还有", "尚有", "另有", "新", "已", "又"};
static const char *const _before_figure[] = {"第",   "近",   "约", "超过", "不到", "不足",
                                             "将近", "大约", "逾", "近乎", "约为"};
static const char *const _after_unit[] = {"以上", "以下", "以内", "左右", "上下"};
static const char *const _label_negations[] = {"非", "未", "不", "无"};
static const char *const _gap_stop[] = {"非", "未", "不", "无", "以", "和", "与",
                                        "及", "或", "左", "上", "下", "多", "余"};
static const char *const _connectors[] = {
    "共计", "共有", "合计", "总计", "总数为", "总数达", "总数", "数量为", "数量", "数为", "达到",
    "共",   "数",   "为",   "达",   "有",     "计",     "是",   "：",     ":",    ""};

#define _NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int _ends_any(const char *t, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (_ends(t, i, list[k]))
            return 1;
    return 0;
}

static int _starts_any(const char *t, size_t n, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (_starts(t, n, i, list[k]))
            return 1;
    return 0;
}

static int _is_clause_break(long cp)
{
    return cp == 0xFF0C || cp == ',' || cp == 0xFF1B || cp == ';' || cp == 0x3002 || cp == 0xFF1A ||
           cp == ':' || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == '\n';
}

/* Markers of "what remains": not partial for a label that itself counts
 * what is not yet done ("还有21个行政村未建设或不达标"). */
static const char *const _remaining_markers[] = {"还有", "尚有", "剩余", "其余"};

/* 1 when the clause before byte p holds a partial marker (label: the fact's
 * label, to tell a count of what remains from a part). */
static int _partial_clause(const char *t, size_t n, size_t p, const char *label)
{
    int remaining_label = label && strstr(label, "未") != NULL;
    size_t s = p;
    long cp;
    while (s > 0) {
        size_t q = _u8_prev(t, s);
        _u8(t, n, q, &cp);
        if (_is_clause_break(cp))
            break;
        s = q;
    }
    for (size_t k = 0; k < _NELEM(_partial_markers); k++) {
        const char *m = _partial_markers[k];
        if (remaining_label && _ends_any(m, strlen(m), _remaining_markers,
                                         _NELEM(_remaining_markers)))
            continue;
        if (memmem(t + s, p - s, m, strlen(m)))
            return 1;
    }
    return 0;
}

/* Code points that can be part of a figure, for scanning backwards. */
static int _figure_cp(long cp)
{
    static const long cn[] = {0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB,
                              0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E,
                              0x5343, 0x4E07, 0x4EBF, 0x591A, 0x4F59};
    if (_is_digit_cp(cp) || cp == '.' || cp == 0xFF0E)
        return 1;
    for (size_t k = 0; k < _NELEM(cn); k++)
        if (cn[k] == cp)
            return 1;
    return 0;
}

/* Finds the figure that ends exactly at fe. Returns its start or (size_t)-1. */
static size_t _figure_before(const char *t, size_t n, size_t fe, tz_numword_figure *fig)
{
    size_t s = fe;
    long cp;
    for (int k = 0; k < 24 && s > 0; k++) {
        size_t q = _u8_prev(t, s);
        _u8(t, n, q, &cp);
        if (!_figure_cp(cp))
            break;
        s = q;
    }
    for (int tries = 0; tries < 2 && s < fe; tries++) {
        if (tz_numword_parse(t + s, fe - s, fig) == fe - s)
            return s;
        /* skip leading 万/亿/多/余/零 that belong to the words before */
        size_t q = s;
        while (q < fe) {
            size_t l = _u8(t, n, q, &cp);
            if (_is_digit_cp(cp) || (cp != 0x4E07 && cp != 0x4EBF && cp != 0x591A && cp != 0x4F59 &&
                                     cp != 0x96F6 && cp != '.'))
                break;
            q += l;
        }
        if (q == s)
            break;
        s = q;
    }
    return (size_t)-1;
}

static int _fact_finding(_ctx *c, const tz_proofread_fact *fact, size_t off, size_t len)
{
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    int rc = -1;
    if (tz_numword_amount(&sug, fact->value, fact->unit, 0))
        goto done;
    if (tz_buf_printf(&msg, "台账中“%s”为%s，此处写作“", fact->label, tz_buf_str(&sug)) ||
        _put_clean(&msg, c->t + off, len) || tz_buf_puts(&msg, "”，两者不符"))
        goto done;
    rc = _add(c, TZ_PROOF_FACT, off, len, tz_buf_str(&msg), tz_buf_str(&sug));
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}

static int _fact_disagrees(const tz_numword_figure *fig, double fv)
{
    double eps = 1e-9 * (fabs(fv) > 1 ? fabs(fv) : 1);
    return fv < fig->lo - eps || fv > fig->hi + eps;
}

static int _lone_yi(const tz_numword_figure *fig)
{
    return fig->chinese && !fig->approx && fig->len == 3 && fig->value == 1;
}

static int _check_fact(_ctx *c, const tz_proofread_fact *fact)
{
    const char *t = c->t;
    size_t n = c->n;
    if (!fact->label || !fact->label[0] || !isfinite(fact->value))
        return 0;
    const char *base;
    int su = tz_numword_unit_scale(fact->unit, &base);
    size_t bl = strlen(base), ll = strlen(fact->label);
    if (bl == 0)
        return 0;
    double fv = fact->value * pow(10, su);
    for (size_t p = 0; p + ll <= n;) {
        const char *hit = memmem(t + p, n - p, fact->label, ll);
        if (!hit)
            break;
        size_t ls = (size_t)(hit - t), le = ls + ll;
        p = ls + 1;
        if (_ends_any(t, ls, _label_negations, _NELEM(_label_negations)))
            continue;
        tz_numword_figure fig;
        /* B: LABEL [connector] FIGURE UNIT */
        for (size_t k = 0; k < _NELEM(_connectors); k++) {
            if (!_starts(t, n, le, _connectors[k]))
                continue;
            size_t fs = le + strlen(_connectors[k]);
            size_t fl = tz_numword_parse(t + fs, n - fs, &fig);
            if (!fl || !_starts(t, n, fs + fl, base))
                continue;
            size_t ue = fs + fl + bl;
            if (_lone_yi(&fig) || _starts_any(t, n, ue, _after_unit, _NELEM(_after_unit)) ||
                _partial_clause(t, n, ls, fact->label))
                break;
            if (_fact_disagrees(&fig, fv) && _fact_finding(c, fact, fs, ue - fs))
                return -1;
            break;
        }
        /* A: FIGURE UNIT [0-2 characters] LABEL */
        size_t ue = ls;
        long cp;
        for (int g = 0; g <= 2; g++) {
            if (g > 0) {
                if (ue == 0)
                    break;
                size_t q = _u8_prev(t, ue);
                _u8(t, n, q, &cp);
                if (!_is_han(cp) || _starts_any(t, n, q, _gap_stop, _NELEM(_gap_stop)))
                    break;
                ue = q;
            }
            if (!_ends(t, ue, base))
                continue;
            size_t fe = ue - bl;
            size_t fs = _figure_before(t, n, fe, &fig);
            if (fs == (size_t)-1)
                continue;
            if (!_lone_yi(&fig) && !_ends_any(t, fs, _before_figure, _NELEM(_before_figure)) &&
                !_partial_clause(t, n, fs, fact->label) && _fact_disagrees(&fig, fv) &&
                _fact_finding(c, fact, fs, ue - fs))
                return -1;
            break;
        }
    }
    return 0;
}

/* ---- driver --------------------------------------------------------------------- */

static int _cmp_finding(const void *a, const void *b)
{
    const tz_proofread_finding *x = a, *y = b;
    if (x->offset != y->offset)
        return x->offset < y->offset ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return 0;
}

/* Sorts out->items[first..] and drops duplicates (same kind and offset) and
 * word findings inside a longer word finding. */
static void _sort_dedupe(tz_proofread_findings *o, size_t first)
{
    size_t m = o->n - first;
    if (m == 0)
        return;
    tz_proofread_finding *it = o->items + first;
    qsort(it, m, sizeof *it, _cmp_finding);
    size_t w = 0;
    for (size_t i = 0; i < m; i++) {
        int drop = 0;
        /* sorted by offset: a duplicate or a containing word finding is among
         * the last few kept (words are short) */
        for (size_t j = w; j > 0 && w - j < 64 && !drop; j--) {
            const tz_proofread_finding *k = &it[j - 1];
            if (k->kind != it[i].kind)
                continue;
            if (k->offset == it[i].offset)
                drop = 1;
            else if (k->kind == TZ_PROOF_WORD && it[i].offset >= k->offset &&
                     it[i].offset + it[i].len <= k->offset + k->len)
                drop = 1;
        }
        if (drop)
            _finding_clear(&it[i]);
        else
            it[w++] = it[i];
    }
    o->n = first + w;
}

int tz_proofread_text(const char *text, size_t len, const tz_proofread_opts *opts,
                      tz_proofread_findings *out, tz_diags *diags)
{
    static const tz_proofread_opts none = {NULL, NULL, 0, 0};
    int rc = -1;
    _ctx c;
    memset(&c, 0, sizeof c);
    if (!out || (!text && len)) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "校对参数有误：没有文本或结果位置");
        return -1;
    }
    if (!opts)
        opts = &none;
    unsigned checks = opts->checks ? opts->checks : ~0u;
    size_t first = out->n;
    c.t = text ? text : "";
    c.n = len;
    c.out = out;
    size_t ncap = 64;
    c.lines = malloc(ncap * sizeof *c.lines);
    if (!c.lines)
        goto oom;
    c.lines[c.nlines++] = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' && i + 1 < len) {
            if (c.nlines == ncap) {
                ncap *= 2;
                size_t *nl = realloc(c.lines, ncap * sizeof *nl);
                if (!nl)
                    goto oom;
                c.lines = nl;
            }
            c.lines[c.nlines++] = i + 1;
        }
    }
    if (_collect_exempt(&c, opts->words))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_WORD)) && opts->words && _check_words(&c, opts->words))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_REPEAT)) && _check_repeats(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_BRACKET)) && _check_brackets(&c))
        goto oom;
    if (checks & TZ_PROOF_CHECK(TZ_PROOF_FACT)) {
        for (size_t i = 0; i < opts->nfacts && opts->facts; i++)
            if (_check_fact(&c, &opts->facts[i]))
                goto oom;
    }
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_GARBLED)) && _check_garbled(&c))
        goto oom;
    _sort_dedupe(out, first);
    rc = 0;
    goto done;
oom:
    tz_diags_error(diags, NULL, 0, NULL, NULL, "内存不足，校对没有完成");
done:
    free(c.lines);
    free(c.ex);
    return rc;
}

/* ---- reading documents -------------------------------------------------------- */

#define _W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define _W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define _MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

typedef struct _docx {
    tz_buf *out;  /* where the text goes */
    XML_Parser p; /* the parser, to stop it */
    int in_t;     /* inside <w:t> */
    int in_r;     /* depth of <w:r> */
    int skip;     /* depth inside an element whose text is skipped */
    int failed;   /* 1: out of memory; 2: a DTD was found */
} _docx;

/* Returns the local name when the expat name "ns local" is in the w:
 * namespace, else NULL. */
static const char *_w_local(const char *name)
{
    const char *sp = strchr(name, ' ');
    if (!sp)
        return NULL;
    size_t nl = (size_t)(sp - name);
    if ((nl == strlen(_W_NS) && memcmp(name, _W_NS, nl) == 0) ||
        (nl == strlen(_W_NS_STRICT) && memcmp(name, _W_NS_STRICT, nl) == 0))
        return sp + 1;
    return NULL;
}

static void _docx_put(_docx *d, const char *s, size_t n)
{
    if (!d->failed && tz_buf_add(d->out, s, n)) {
        d->failed = 1;
        XML_StopParser(d->p, XML_FALSE);
    }
}

static void XMLCALL _docx_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    _docx *d = ud;
    (void)atts;
    if (d->skip) {
        d->skip++;
        return;
    }
    size_t ml = strlen(_MC_NS);
    if (strncmp(name, _MC_NS, ml) == 0 && strcmp(name + ml, " Fallback") == 0) {
        d->skip = 1;
        return;
    }
    const char *l = _w_local(name);
    if (!l)
        return;
    if (strcmp(l, "t") == 0)
        d->in_t = 1;
    else if (strcmp(l, "r") == 0)
        d->in_r++;
    else if (d->in_r && strcmp(l, "tab") == 0)
        _docx_put(d, "\t", 1);
    else if (d->in_r && (strcmp(l, "br") == 0 || strcmp(l, "cr") == 0))
        _docx_put(d, " ", 1);
    else if (d->in_r && strcmp(l, "noBreakHyphen") == 0)
        _docx_put(d, "-", 1);
}

static void XMLCALL _docx_end(void *ud, const XML_Char *name)
{
    _docx *d = ud;
    if (d->skip) {
        d->skip--;
        return;
    }
    const char *l = _w_local(name);
    if (!l)
        return;
    if (strcmp(l, "t") == 0)
        d->in_t = 0;
    else if (strcmp(l, "r") == 0 && d->in_r > 0)
        d->in_r--;
    else if (strcmp(l, "p") == 0)
        _docx_put(d, "\n", 1);
}

static void XMLCALL _docx_chars(void *ud, const XML_Char *s, int len)
{
    _docx *d = ud;
    if (d->in_t && !d->skip && len > 0)
        _docx_put(d, s, (size_t)len);
}

static void XMLCALL _docx_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                                  const XML_Char *pubid, int has_internal)
{
    _docx *d = ud;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal;
    d->failed = 2;
    XML_StopParser(d->p, XML_FALSE);
}

int tz_proofread_docx_text(const char *path, tz_buf *out, tz_diags *diags)
{
    int rc = -1, zerr = 0;
    zip_t *za = NULL;
    zip_file_t *zf = NULL;
    XML_Parser p = NULL;
    const char *name = path ? tz_path_base(path) : NULL;
    if (!path || !out) {
        tz_diags_error(diags, name, 0, NULL, NULL, "读取Word文档的参数有误");
        return -1;
    }
    za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        tz_diags_error(diags, name, 0, NULL, NULL, "无法作为.docx打开（不是有效的zip文件）：%s",
                       zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto done;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za, "word/document.xml", 0, &st) != 0) {
        tz_diags_error(diags, name, 0, NULL, NULL, "不是Word文档：缺少word/document.xml");
        goto done;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > _DOCX_MAX) {
        tz_diags_error(diags, name, 0, NULL, NULL, "word/document.xml解压后超过32 MiB，拒绝读取");
        goto done;
    }
    zf = zip_fopen(za, "word/document.xml", 0);
    if (!zf) {
        tz_diags_error(diags, name, 0, NULL, NULL, "无法读取word/document.xml：%s",
                       zip_strerror(za));
        goto done;
    }
    p = XML_ParserCreateNS(NULL, ' ');
    if (!p) {
        tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法解析Word文档");
        goto done;
    }
    _docx d = {out, p, 0, 0, 0, 0};
    XML_SetUserData(p, &d);
    XML_SetElementHandler(p, _docx_start, _docx_end);
    XML_SetCharacterDataHandler(p, _docx_chars);
    XML_SetStartDoctypeDeclHandler(p, _docx_doctype);
    char chunk[65536];
    zip_uint64_t total = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, chunk, sizeof chunk);
        if (got < 0) {
            tz_diags_error(diags, name, 0, NULL, NULL, "word/document.xml已损坏，无法解压：%s",
                           zip_file_strerror(zf));
            goto done;
        }
        total += (zip_uint64_t)got;
        if (total > _DOCX_MAX) {
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "word/document.xml解压后超过32 MiB，拒绝读取");
            goto done;
        }
        if (XML_Parse(p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
            if (d.failed == 1)
                tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取Word文档的文字");
            else if (d.failed == 2)
                tz_diags_error(diags, name, 0, NULL, NULL,
                               "word/document.xml含有DTD声明，出于安全原因拒绝读取");
            else
                tz_diags_error(diags, name, (long)XML_GetCurrentLineNumber(p), NULL, NULL,
                               "word/document.xml的XML格式错误：%s",
                               XML_ErrorString(XML_GetErrorCode(p)));
            goto done;
        }
        if (got == 0)
            break;
    }
    rc = 0;
done:
    if (p)
        XML_ParserFree(p);
    if (zf)
        zip_fclose(zf);
    if (za)
        zip_discard(za);
    return rc;
}

/* Converts GB18030 to UTF-8. Returns 0 with the text in out, or -1 when the
 * input is not valid GB18030 either. */
static int _from_gb18030(const char *s, size_t n, tz_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return -1;
    int rc = -1;
    char *in = (char *)s;
    size_t inleft = n;
    char chunk[4096];
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        if (tz_buf_add(out, chunk, sizeof chunk - oleft))
            goto done;
        if (r == (size_t)-1 && errno != E2BIG)
            goto done;
    }
    rc = 0;
done:
    iconv_close(cd);
    return rc;
}

/* Blanks the lines of fenced code blocks (``` or ~~~) in markdown, keeping
 * the newlines so line numbers stay true. */
static void _blank_fences(char *s, size_t n)
{
    int in = 0;
    for (size_t i = 0; i < n;) {
        char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        size_t k = i;
        while (k < e && (s[k] == ' ' || s[k] == '\t'))
            k++;
        int fence = e - k >= 3 && (memcmp(s + k, "```", 3) == 0 || memcmp(s + k, "~~~", 3) == 0);
        if (fence || in) {
            for (size_t j = i; j < e; j++)
                s[j] = ' ';
        }
        if (fence)
            in = !in;
        i = e + 1;
    }
}

int tz_proofread_read_file(const char *path, tz_buf *out, tz_diags *diags)
{
    if (!path || !out) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "读取文件的参数有误");
        return -1;
    }
    const char *name = tz_path_base(path);
    if (tz_path_has_ext(path, ".docx"))
        return tz_proofread_docx_text(path, out, diags);
    int md = tz_path_has_ext(path, ".md") || tz_path_has_ext(path, ".markdown");
    if (!md && !tz_path_has_ext(path, ".txt")) {
        if (tz_path_has_ext(path, ".doc") || tz_path_has_ext(path, ".wps"))
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "不支持旧版Word/WPS格式，请另存为.docx后再校对");
        else
            tz_diags_error(diags, name, 0, NULL, NULL,
                           "不支持的文件类型，只能校对.docx、.md和.txt文件");
        return -1;
    }
    char *data = NULL;
    size_t len = 0;
    int rc = -1;
    if (_slurp(path, name, &data, &len, diags))
        return -1;
    char *s = data;
    if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
        s += 3;
        len -= 3;
    }
    if (md)
        _blank_fences(s, len);
    if (!_valid_utf8(s, len)) {
        tz_buf conv = TZ_BUF_INIT;
        if (_from_gb18030(s, len, &conv) == 0) {
            tz_diags_warn(diags, name, 0, NULL, NULL, "文件不是UTF-8编码，已按GB18030(GBK)读取");
            rc = tz_buf_add(out, conv.data ? conv.data : "", conv.len);
            tz_buf_free(&conv);
            if (rc)
                tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取文件");
            goto done;
        }
        tz_buf_free(&conv);
    }
    rc = tz_buf_add(out, s, len);
    if (rc)
        tz_diags_error(diags, name, 0, NULL, NULL, "内存不足，无法读取文件");
done:
    free(data);
    return rc;
}

int tz_proofread_file(const char *path, const tz_proofread_opts *opts, tz_proofread_findings *out,
                      tz_buf *text_out, tz_diags *diags)
{
    tz_buf local = TZ_BUF_INIT;
    tz_buf *b = text_out ? text_out : &local;
    size_t start = b->len;
    int rc = tz_proofread_read_file(path, b, diags);
    if (rc == 0)
        rc = tz_proofread_text(tz_buf_str(b) + start, b->len - start, opts, out, diags);
    tz_buf_free(&local);
    return rc;
}

/* ---- output ------------------------------------------------------------------------ */

int tz_proofread_format(const tz_proofread_finding *f, tz_buf *out)
{
    if (!f || !out)
        return -1;
    if (tz_buf_printf(out, "第%ld行第%ld字 %s “%s”：%s", f->line, f->column,
                      tz_proofread_kind_name(f->kind), f->text ? f->text : "",
                      f->message ? f->message : ""))
        return -1;
    if (f->suggestion && tz_buf_printf(out, "，建议改为“%s”", f->suggestion))
        return -1;
    return tz_buf_printf(out, "。上下文：%s", f->excerpt ? f->excerpt : "");
}

void tz_proofread_to_diags(const tz_proofread_findings *f, const char *file, tz_diags *diags)
{
    for (size_t i = 0; f && diags && i < f->n; i++) {
        const tz_proofread_finding *g = &f->items[i];
        if (g->suggestion)
            tz_diags_warn(diags, file, g->line, tz_proofread_kind_name(g->kind), g->text,
                          "第%ld字，%s，建议改为“%s”（上下文：%s）", g->column, g->message,
                          g->suggestion, g->excerpt);
        else
            tz_diags_warn(diags, file, g->line, tz_proofread_kind_name(g->kind), g->text,
                          "第%ld字，%s（上下文：%s）", g->column, g->message, g->excerpt);
    }
}
