/* proofread_words.c - the proofreading word list (data/proofread_words.tsv):
 * parsing its rows and context clauses, and the check of misused words
 * with the exemptions it lists. Format in proofread.h. */
#include "report/proofread_impl.h"
#include "util/text.h"
#include "io/textdoc.h"
#include "util/path.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the word list -------------------------------------------------------- */

enum { CL_NEXT, CL_NOT_NEXT, CL_PREV, CL_NOT_PREV, CL_NOT_AHEAD };

typedef struct _clause {
    int type;     /* CL_* */
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

char *tzpr_ndup(const char *s, size_t n)
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
    } keys[] = {{"next=", CL_NEXT},
                {"!next=", CL_NOT_NEXT},
                {"prev=", CL_PREV},
                {"!prev=", CL_NOT_PREV},
                {"!ahead=", CL_NOT_AHEAD}};
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
            if (!(c->alts[c->nalts] = tzpr_ndup(a, (size_t)(bar - a))))
                return -1;
            c->nalts++;
            a = bar + 1;
        }
    }
    return 0;
}

/* Splits a line into up to 4 tab-separated fields (the note, the fourth,
 * takes the rest of the line, tabs and all). Returns the number of fields. */
static size_t _split_fields(const char *ln, size_t ll, const char *f[4], size_t fl[4])
{
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
        if (nf == 3) {
            f[3] = ln + p;
            fl[3] = ll - p;
            nf = 4;
        }
    }
    return nf;
}

/* Appends an empty row to w. Returns it, or NULL on out-of-memory. */
static _wrow *_new_row(tz_proofread_words *w, size_t *cap)
{
    _wrow *rows = tzpr_grow(w->rows, cap, w->n, sizeof *rows);
    if (!rows)
        return NULL;
    w->rows = rows;
    _wrow *r = &w->rows[w->n++];
    memset(r, 0, sizeof *r);
    return r;
}

/* Parses one line (not empty, not a comment) of the list into a new row.
 * Returns 0, or -1 with a diag naming the line. */
static int _parse_row(tz_proofread_words *w, size_t *cap, const char *ln, size_t ll, long lineno,
                      const char *name, tz_diags *diags)
{
    static const char oom[] = "内存不足，无法读取校对词表";
    const char *f[4] = {NULL, NULL, NULL, NULL};
    size_t fl[4] = {0, 0, 0, 0};
    if (!tz_utf8_valid(ln, ll)) {
        tz_diags_error(diags, name, lineno, NULL, NULL,
                       "不是有效的UTF-8文本，请以UTF-8编码保存词表");
        return -1;
    }
    size_t nf = _split_fields(ln, ll, f, fl);
    if (nf < 2 || fl[0] == 0 || fl[1] == 0) {
        tz_diags_error(
            diags, name, lineno, NULL, NULL,
            "应为“错误写法<TAB>正确写法[<TAB>上下文条件<TAB>说明]”，缺少错误写法或正确写法");
        return -1;
    }
    if (memchr(f[0], ' ', fl[0])) {
        char *v = tzpr_ndup(f[0], fl[0]);
        tz_diags_error(diags, name, lineno, "错误写法", v, "错误写法中不能有空格");
        free(v);
        return -1;
    }
    _wrow *r = _new_row(w, cap);
    if (!r) {
        tz_diags_error(diags, name, lineno, NULL, NULL, oom);
        return -1;
    }
    r->lineno = lineno;
    r->wrong = tzpr_ndup(f[0], fl[0]);
    r->wlen = fl[0];
    r->right = tzpr_ndup(f[1], fl[1]);
    r->note = (nf > 3 && fl[3]) ? tzpr_ndup(f[3], fl[3]) : NULL;
    if (!r->wrong || !r->right || (nf > 3 && fl[3] && !r->note)) {
        tz_diags_error(diags, name, lineno, NULL, NULL, oom);
        return -1;
    }
    r->exempt = strcmp(r->wrong, r->right) == 0;
    if (nf < 3 || fl[2] == 0)
        return 0;
    const char *bad = NULL;
    size_t badlen = 0;
    int prc = _parse_context(f[2], fl[2], r, &bad, &badlen);
    if (prc < 0) {
        tz_diags_error(diags, name, lineno, NULL, NULL, oom);
    } else if (prc > 0) {
        char *v = tzpr_ndup(bad, badlen);
        tz_diags_error(diags, name, lineno, "上下文条件", v,
                       "无法识别，应为 next=、!next=、prev=、!prev= 或 !ahead= 加以“|”分隔的写法");
        free(v);
    }
    return prc ? -1 : 0;
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
        if (_parse_row(w, &cap, ln, ll, lineno, name, diags))
            goto done;
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

tz_proofread_words *tz_proofread_load_words(const char *path, tz_diags *diags)
{
    if (!path) {
        tz_diags_error(diags, NULL, 0, NULL, NULL, "没有给出校对词表的路径");
        return NULL;
    }
    char *data = NULL;
    size_t len = 0;
    if (tz_textdoc_slurp(path, &data, &len, diags))
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
        return i < n && (tzpr_u8(t, n, i, &cp), tzpr_is_digit_cp(cp));
    }
    return tzpr_starts(t, n, i, alt);
}

static int _alt_before(const char *t, size_t n, size_t i, const char *alt)
{
    if (strcmp(alt, "#") == 0) {
        long cp;
        return i > 0 && (tzpr_u8(t, n, tzpr_u8_prev(t, i), &cp), tzpr_is_digit_cp(cp));
    }
    return tzpr_ends(t, i, alt);
}

static int _clauses_hold(const _wrow *r, const char *t, size_t n, size_t off)
{
    size_t end = off + r->wlen;
    for (size_t i = 0; i < r->ncl; i++) {
        const _clause *c = &r->cl[i];
        int any = 0;
        if (c->type == CL_NOT_AHEAD) {
            size_t p = end;
            long cp;
            for (int k = 0; k < PR_AHEAD_CHARS && p < n && !any; k++) {
                size_t l = tzpr_u8(t, n, p, &cp);
                if (tzpr_sentence_end(cp))
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
            if (c->type == CL_NEXT || c->type == CL_NOT_NEXT)
                any = _alt_at(t, n, end, c->alts[a]);
            else
                any = _alt_before(t, n, off, c->alts[a]);
        }
        int want = c->type == CL_NEXT || c->type == CL_PREV;
        if (any != want)
            return 0;
    }
    return 1;
}

/* Calls fn for every place where a row of w (exemptions when exempt is 1,
 * corrections when 0) occurs in the text with its context clauses holding.
 * An exemption's hits may overlap, a correction's do not. Returns 0, or
 * the first non-zero value of fn. */
static int _each_hit(tzpr_ctx *c, const tz_proofread_words *w, int exempt,
                     int (*fn)(tzpr_ctx *c, const _wrow *r, size_t off, tz_buf *msg), tz_buf *msg)
{
    for (size_t i = 0; w && i < w->n; i++) {
        const _wrow *r = &w->rows[i];
        if (r->exempt != exempt)
            continue;
        for (size_t p = 0; p + r->wlen <= c->n;) {
            const char *hit = memmem(c->t + p, c->n - p, r->wrong, r->wlen);
            if (!hit)
                break;
            size_t off = (size_t)(hit - c->t);
            p = off + (exempt ? 1 : r->wlen);
            int rc = _clauses_hold(r, c->t, c->n, off) ? fn(c, r, off, msg) : 0;
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int _keep_exempt(tzpr_ctx *c, const _wrow *r, size_t off, tz_buf *msg)
{
    (void)msg;
    tzpr_span *ex = tzpr_grow(c->ex, &c->exc, c->nex, sizeof *ex);
    if (!ex)
        return -1;
    c->ex = ex;
    c->ex[c->nex].off = off;
    c->ex[c->nex].len = r->wlen;
    c->nex++;
    return 0;
}

int tzpr_collect_exempt(tzpr_ctx *c, const tz_proofread_words *w)
{
    return _each_hit(c, w, 1, _keep_exempt, NULL);
}

static int _add_word(tzpr_ctx *c, const _wrow *r, size_t off, tz_buf *msg)
{
    if (tzpr_exempt(c, off, r->wlen))
        return 0;
    tz_buf_reset(msg);
    if (tz_buf_printf(msg, "“%s”应为“%s”", r->wrong, r->right) ||
        (r->note && tz_buf_printf(msg, "（%s）", r->note)))
        return -1;
    return tzpr_add(c, TZ_PROOF_WORD, off, r->wlen, tz_buf_str(msg), r->right);
}

int tzpr_check_words(tzpr_ctx *c, const tz_proofread_words *w)
{
    tz_buf msg = TZ_BUF_INIT;
    int rc = _each_hit(c, w, 0, _add_word, &msg);
    tz_buf_free(&msg);
    return rc;
}
