/* proofread_checks.c - the checks that need no data: doubled words,
 * brackets and quotes that do not pair, and garbled text. Rules in
 * proofread.h. */
#include "report/proofread_impl.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- doubled words -------------------------------------------------------- */

int tzpr_check_repeats(tzpr_ctx *c)
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
            size_t l = tzpr_u8(c->t, c->n, i, &cp);
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
            if (tzpr_is_han(cps[i]) && cps[i] != 0x4E00 /* 一 */) {
                for (size_t L = 2; L <= 12 && i + 2 * L <= m && !found; L++) {
                    int ok = 1, same = 1;
                    for (size_t k = 0; k < 2 * L && ok; k++)
                        ok = tzpr_is_han(cps[i + k]);
                    for (size_t k = 0; k < L && ok; k++) {
                        ok = cps[i + k] == cps[i + L + k];
                        if (cps[i + k] != cps[i])
                            same = 0;
                    }
                    if (!ok || same)
                        continue;
                    size_t off = offs[i], len = offs[i + 2 * L] - off;
                    if (tzpr_exempt(c, off, len))
                        continue;
                    size_t ulen = offs[i + L] - off;
                    tz_buf_reset(&msg);
                    if (tz_buf_puts(&msg, "“") || tz_buf_add(&msg, c->t + off, ulen) ||
                        tz_buf_puts(&msg, "”连写了两遍，疑为多打"))
                        goto done;
                    char *sugg = tzpr_ndup(c->t + off, ulen);
                    if (!sugg)
                        goto done;
                    int arc = tzpr_add(c, TZ_PROOF_REPEAT, off, len, tz_buf_str(&msg), sugg);
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

/* Appends the UTF-8 encoding of cp (util/text). Returns 0 or -1 on OOM. */
static int _put_cp(tz_buf *b, long cp)
{
    char u[4];
    return tz_buf_add(b, u, tz_utf8_encode(cp, u));
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
        size_t l = tzpr_u8(t, n, i, &cp);
        if (tzpr_is_digit_cp(cp))
            ndig++;
        else if (tzpr_is_latin(cp))
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
static int _bracket_finding(tzpr_ctx *c, size_t off, size_t len, long have, long want, int unclosed)
{
    tz_buf msg = TZ_BUF_INIT;
    int rc = -1;
    if (tz_buf_puts(&msg, "“") || _put_cp(&msg, have) ||
        tz_buf_puts(&msg, unclosed ? "”在本段没有对应的“" : "”在本段前面没有对应的“") ||
        _put_cp(&msg, want) || tz_buf_puts(&msg, "”"))
        goto done;
    rc = tzpr_add(c, TZ_PROOF_BRACKET, off, len, tz_buf_str(&msg), NULL);
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

int tzpr_check_brackets(tzpr_ctx *c)
{
    _open stack[PR_MAX_STACK];
    for (size_t li = 0; li < c->nlines; li++) {
        size_t ls = c->lines[li];
        size_t le = li + 1 < c->nlines ? c->lines[li + 1] : c->n;
        size_t depth = 0, dropped = 0;
        long prev = 0, cp;
        for (size_t i = ls; i < le;) {
            size_t l = tzpr_u8(c->t, c->n, i, &cp);
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
                if (depth < PR_MAX_STACK)
                    stack[depth++] = (_open){bk->family, i, l, bk->close};
                else
                    dropped++;
            } else if (bk) {
                long next = 0;
                if (i + l < c->n)
                    tzpr_u8(c->t, c->n, i + l, &next);
                int apostrophe = cp == 0x2019 && tzpr_is_latin(prev) && tzpr_is_latin(next);
                size_t k = depth;
                while (k > 0 && stack[k - 1].family != bk->family)
                    k--;
                if (dropped && k == 0) {
                    dropped--; /* closes an opener we could not keep */
                } else if (k > 0) {
                    for (size_t j = depth; j > k; j--) {
                        _open *o = &stack[j - 1];
                        long ocp;
                        tzpr_u8(c->t, c->n, o->off, &ocp);
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
            tzpr_u8(c->t, c->n, stack[j].off, &ocp);
            if (_bracket_finding(c, stack[j].off, stack[j].len, ocp, stack[j].close, 1))
                return -1;
        }
    }
    return 0;
}

/* ---- garbled text ------------------------------------------------------------ */

int tzpr_check_garbled(tzpr_ctx *c)
{
    static const char kun[] = "锟斤拷";
    size_t kl = strlen(kun);
    long cp;
    for (size_t i = 0; i < c->n;) {
        size_t l = tzpr_u8(c->t, c->n, i, &cp);
        const char *msg = NULL;
        size_t st = i, e = i + l;
        if (cp < 0) {
            while (e < c->n && (tzpr_u8(c->t, c->n, e, &cp), cp < 0))
                e++;
            msg = "出现无效的UTF-8字节，文件编码可能不对或已损坏";
        } else if (cp == 0xFFFD) {
            while (e < c->n && tzpr_starts(c->t, c->n, e, PR_REPLACEMENT))
                e += 3;
            msg = "出现乱码字符“" PR_REPLACEMENT "”，原文在转码时丢失了字符，请对照原稿补正";
        } else if (tzpr_starts(c->t, c->n, i, kun)) {
            e = i + kl;
            while (tzpr_starts(c->t, c->n, e, kun))
                e += kl;
            msg = "出现“锟斤拷”，这是典型的转码乱码，请对照原稿补正";
        }
        if (msg) {
            if (tzpr_add(c, TZ_PROOF_GARBLED, st, e - st, msg, NULL))
                return -1;
            i = e;
        } else {
            i += l;
        }
    }
    return 0;
}
