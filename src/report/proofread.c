/* proofread.c - one proofreading run: the text's lines, the findings with
 * their line, column and excerpt, the order of the checks, and the UTF-8
 * helpers the checks share. Rules in proofread.h; the checks are in
 * proofread_words.c, proofread_checks.c and proofread_facts.c. */
#include "report/proofread_impl.h"
#include "io/textdoc.h"
#include "util/path.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------ */

/* The decoder is util/text's; this adapter gives the checks' convention: a
 * byte that does not start a well-formed character is one byte, cp -1. */
size_t tzpr_u8(const char *str, size_t n, size_t i, long *cp)
{
    size_t len = tz_utf8_decode(str + i, n - i, cp);
    if (len)
        return len;
    *cp = -1;
    return 1;
}

/* Start of the code point before byte i (i > 0). */
size_t tzpr_u8_prev(const char *s, size_t i)
{
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

int tzpr_is_han(long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

int tzpr_is_digit_cp(long cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

int tzpr_is_latin(long cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* Appends s[0..n) with every invalid byte replaced by U+FFFD. */
int tzpr_put_clean(tz_buf *b, const char *s, size_t n)
{
    long cp;
    size_t run = 0;
    for (size_t i = 0; i < n;) {
        size_t l = tzpr_u8(s, n, i, &cp);
        if (cp < 0) {
            if (tz_buf_add(b, s + run, i - run) || tz_buf_puts(b, PR_REPLACEMENT))
                return -1;
            run = i + l;
        }
        i += l;
    }
    return tz_buf_add(b, s + run, n - run);
}

char *tzpr_dup_clean(const char *s, size_t n)
{
    tz_buf b = TZ_BUF_INIT;
    if (tzpr_put_clean(&b, s, n))
        return NULL;
    return tz_buf_take(&b);
}

int tzpr_starts(const char *t, size_t n, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i <= n && n - i >= l && memcmp(t + i, w, l) == 0;
}

int tzpr_ends(const char *t, size_t i, const char *w)
{
    size_t l = strlen(w);
    return i >= l && memcmp(t + i - l, w, l) == 0;
}

/* ---- findings ----------------------------------------------------------- */

void tzpr_finding_clear(tz_proofread_finding *f)
{
    free(f->text);
    free(f->excerpt);
    free(f->message);
    free(f->suggestion);
}

static size_t _line_index(const tzpr_ctx *c, size_t off)
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

int tzpr_exempt(const tzpr_ctx *c, size_t off, size_t len)
{
    for (size_t i = 0; i < c->nex; i++) {
        if (off >= c->ex[i].off && off + len <= c->ex[i].off + c->ex[i].len)
            return 1;
    }
    return 0;
}

void *tzpr_grow(void *items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *ni = realloc(items, ncap * size);
    if (ni)
        *cap = ncap;
    return ni;
}

/* Adds a finding over t[off, off+len). message is copied; suggestion may be
 * NULL. Returns 0 or -1 on OOM. */
int tzpr_add(tzpr_ctx *c, tz_proofread_kind kind, size_t off, size_t len, const char *message,
             const char *suggestion)
{
    tz_proofread_findings *o = c->out;
    tz_proofread_finding *items = tzpr_grow(o->items, &o->cap, o->n, sizeof *items);
    if (!items)
        return -1;
    o->items = items;
    tz_proofread_finding f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    f.offset = off;
    f.len = len;
    size_t li = _line_index(c, off);
    size_t ls = c->lines[li];
    f.line = (long)li + 1;
    /* the column counts code points from the line start; findings mostly
     * come in text order, so count on from the last one on the same line
     * (many findings on one long line stay linear) */
    long col = 1, cp;
    size_t from = ls;
    if (c->col && c->col_line == li && c->col_off <= off) {
        from = c->col_off;
        col = c->col;
    }
    for (size_t i = from; i < off;) {
        i += tzpr_u8(c->t, c->n, i, &cp);
        col++;
    }
    f.column = col;
    c->col_line = li;
    c->col_off = off;
    c->col = col;
    size_t a = off;
    for (int k = 0; k < PR_EXCERPT_CHARS && a > ls; k++)
        a = tzpr_u8_prev(c->t, a);
    size_t b = off + len;
    for (int k = 0; k < PR_EXCERPT_CHARS && b < c->n && c->t[b] != '\n' && c->t[b] != '\r'; k++)
        b += tzpr_u8(c->t, c->n, b, &cp);
    f.text = tzpr_dup_clean(c->t + off, len);
    f.excerpt = tzpr_dup_clean(c->t + a, b - a);
    f.message = strdup(message);
    f.suggestion = suggestion ? strdup(suggestion) : NULL;
    if (!f.text || !f.excerpt || !f.message || (suggestion && !f.suggestion)) {
        tzpr_finding_clear(&f);
        return -1;
    }
    o->items[o->n++] = f;
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
            if (k->offset == it[i].offset ||
                (k->kind == TZ_PROOF_WORD && it[i].offset >= k->offset &&
                 it[i].offset + it[i].len <= k->offset + k->len))
                drop = 1;
        }
        if (drop)
            tzpr_finding_clear(&it[i]);
        else
            it[w++] = it[i];
    }
    o->n = first + w;
}

int tz_proofread_text(const char *text, size_t len, const tz_proofread_opts *opts,
                      tz_proofread_findings *out, tz_diags *diags)
{
    static const tz_proofread_opts none = {NULL, NULL, 0, 0, NULL};
    int rc = -1;
    tzpr_ctx c;
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
    c.scope = opts->scope;
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
    if (tzpr_collect_exempt(&c, opts->words))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_WORD)) && opts->words &&
        tzpr_check_words(&c, opts->words))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_REPEAT)) && tzpr_check_repeats(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_BRACKET)) && tzpr_check_brackets(&c))
        goto oom;
    if (checks & TZ_PROOF_CHECK(TZ_PROOF_FACT)) {
        for (size_t i = 0; i < opts->nfacts && opts->facts; i++)
            if (tzpr_check_fact(&c, &opts->facts[i]))
                goto oom;
    }
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_GARBLED)) && tzpr_check_garbled(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_REPEAT)) && tzpr_check_sentence_repeats(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_ETC)) && tzpr_check_etc(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_NUMERAL)) && tzpr_check_numerals(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_YEAR)) && tzpr_check_years(&c))
        goto oom;
    if ((checks & TZ_PROOF_CHECK(TZ_PROOF_DATE)) && tzpr_check_vague_date(&c))
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

int tz_proofread_file(const char *path, const tz_proofread_opts *opts, tz_proofread_findings *out,
                      tz_buf *text_out, tz_diags *diags)
{
    tz_buf local = TZ_BUF_INIT;
    tz_buf *b = text_out ? text_out : &local;
    size_t start = b->len;
    int html = tz_path_has_ext(path, ".html") || tz_path_has_ext(path, ".htm");
    int rc = html ? tzpr_html_text(path, b, diags) : tz_textdoc_read(path, b, diags);
    if (rc == 0)
        rc = tz_proofread_text(tz_buf_str(b) + start, b->len - start, opts, out, diags);
    tz_buf_free(&local);
    return rc;
}
