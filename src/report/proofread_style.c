/* proofread_style.c - the checks of how official writing states lists,
 * counts and dates: 等 after a list that names a whole known set, a phrase
 * or clause doubled within one sentence, Chinese and Arabic numerals mixed
 * for the same kind of count in one sentence, abbreviated years (18年), and
 * a bare 目前. Rules in proofread.h. */
#include "report/proofread_impl.h"
#include "report/numword.h"
#include "util/cal.h"
#include "util/num.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PR_NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PR_MAX_ITEMS 64    /* list items looked at before one 等 */
#define PR_MAX_PARTS 64    /* clauses or counts kept per sentence */
#define PR_MAX_SCAN 2048   /* bytes a list is looked for before 等 */
#define PR_CLAUSE_SCAN 240 /* bytes a date is looked for each side of 目前 (80 characters) */

#define CP_DENG 0x7B49 /* 等 */

int tzpr_sentence_end(long cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1B || cp == '!' || cp == '?' ||
           cp == ';' || cp == '\n' || cp == '\r';
}

/* 1 when cp ends a clause: a sentence end or ，,：: */
static int _clause_end(long cp)
{
    return tzpr_sentence_end(cp) || cp == 0xFF0C || cp == ',' || cp == 0xFF1A || cp == ':';
}

static long _cp_at(const tzpr_ctx *c, size_t i)
{
    long cp = 0;
    if (i < c->n)
        tzpr_u8(c->t, c->n, i, &cp);
    return cp;
}

static long _cp_before(const tzpr_ctx *c, size_t i)
{
    long cp = 0;
    if (i > 0)
        tzpr_u8(c->t, c->n, tzpr_u8_prev(c->t, i), &cp);
    return cp;
}

/* Calls fn on each non-empty sentence t[s, e) of the text, in order.
 * Returns 0, or -1 as soon as fn does (out of memory). */
static int _each_sentence(tzpr_ctx *c, int (*fn)(tzpr_ctx *, size_t, size_t))
{
    size_t s = 0;
    for (size_t i = 0; i <= c->n;) {
        long cp = '\n';
        size_t l = i < c->n ? tzpr_u8(c->t, c->n, i, &cp) : 1;
        if (i == c->n || tzpr_sentence_end(cp)) {
            if (i > s && fn(c, s, i))
                return -1;
            s = i + l;
        }
        i += l;
    }
    return 0;
}

static int _starts_any(const tzpr_ctx *c, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (tzpr_starts(c->t, c->n, i, list[k]))
            return (int)k + 1;
    return 0;
}

static int _ends_any(const tzpr_ctx *c, size_t i, const char *const *list, size_t nl)
{
    for (size_t k = 0; k < nl; k++)
        if (tzpr_ends(c->t, i, list[k]))
            return 1;
    return 0;
}

/* Adds a finding with message "“X”…" built by the caller in msg. */
static int _add(tzpr_ctx *c, tz_proofread_kind kind, size_t off, size_t len, tz_buf *msg,
                const char *sugg)
{
    if (tzpr_exempt(c, off, len))
        return 0;
    return tzpr_add(c, kind, off, len, tz_buf_str(msg), sugg);
}

/* ---- 等 after a complete list ------------------------------------------- */

typedef struct _item {
    size_t s; /* first byte of the item */
    size_t e; /* end of the item, a trailing （…） excluded */
} _item;

/* The member of st that t[s, e) is, or ends with when suffix is 1; sets
 * *ms to where the member starts. Returns the member's index or -1. */
static long _member_of(const tzpr_ctx *c, size_t s, size_t e, const tzpr_set *st, int suffix,
                       size_t *ms)
{
    for (size_t k = 0; k < st->n; k++) {
        const char *nm[2] = {st->names[k], st->shorts[k]};
        for (int j = 0; j < 2; j++) {
            size_t l = nm[j] ? strlen(nm[j]) : 0;
            if (!l || l > e - s || (!suffix && l != e - s))
                continue;
            if (memcmp(c->t + e - l, nm[j], l) == 0) {
                *ms = e - l;
                return (long)k;
            }
        }
    }
    return -1;
}

/* Collects the 、-separated items that end at e (the byte of 等), the
 * leftmost first, stopping at a clause end outside brackets. Returns the
 * number of items (0 when the list is not one, or runs longer than
 * PR_MAX_SCAN bytes or PR_MAX_ITEMS items). */
static size_t _list_items(const tzpr_ctx *c, size_t e, _item *items)
{
    _item rev[PR_MAX_ITEMS];
    size_t n = 0, i = e, end = e, depth = 0;
    int stopped = 0;
    while (i > 0 && e - i < PR_MAX_SCAN && n < PR_MAX_ITEMS && !stopped) {
        size_t q = tzpr_u8_prev(c->t, i);
        long cp = _cp_at(c, q);
        if (cp == 0xFF09 || cp == ')') {
            depth++;
        } else if ((cp == 0xFF08 || cp == '(') && depth > 0) {
            depth--;
        } else if (depth == 0 && (cp == 0x3001 || _clause_end(cp))) {
            rev[n++] = (_item){i, end};
            stopped = cp != 0x3001;
            end = q;
        }
        if (!stopped)
            i = q;
    }
    if (!stopped && i == 0 && n < PR_MAX_ITEMS) /* the list starts the text */
        rev[n++] = (_item){0, end};
    else if (!stopped)
        return 0; /* longer than we look: not a list we can judge */
    for (size_t k = 0; k < n; k++) {
        _item it = rev[n - 1 - k];
        /* a trailing （…） (a project's unit, a region's note) is dropped */
        if (it.e > it.s && (_cp_before(c, it.e) == 0xFF09 || _cp_before(c, it.e) == ')')) {
            size_t p = it.e, d = 0;
            while (p > it.s) {
                size_t q = tzpr_u8_prev(c->t, p);
                long cp = _cp_at(c, q);
                d += cp == 0xFF09 || cp == ')';
                d -= (cp == 0xFF08 || cp == '(') && d > 0;
                p = q;
                if (d == 0)
                    break;
            }
            it.e = p;
        }
        items[k] = it;
    }
    return n;
}

/* Splits items joined by 和/及/与/以及 when the whole is not a member of st. */
static size_t _split_joined(const tzpr_ctx *c, _item *items, size_t n, const tzpr_set *st)
{
    static const char *const joins[] = {"以及", "和", "及", "与"};
    for (size_t k = 0; k < n && n < PR_MAX_ITEMS; k++) {
        size_t ms;
        if (_member_of(c, items[k].s, items[k].e, st, k == 0, &ms) >= 0)
            continue;
        for (size_t p = items[k].s; p < items[k].e;) {
            int j = _starts_any(c, p, joins, PR_NELEM(joins));
            if (j && p > items[k].s) {
                size_t jl = strlen(joins[j - 1]);
                memmove(items + k + 2, items + k + 1, (n - k - 1) * sizeof *items);
                items[k + 1] = (_item){p + jl, items[k].e};
                items[k].e = p;
                n++;
                break;
            }
            long cp;
            p += tzpr_u8(c->t, c->n, p, &cp);
        }
    }
    return n;
}

/* 1 when items[0..n) name every member of st, each once; *ls is where the
 * list starts (the leftmost item may carry words before its member). */
static int _names_whole_set(const tzpr_ctx *c, const _item *items0, size_t n0, const tzpr_set *st,
                            size_t *ls)
{
    _item items[PR_MAX_ITEMS];
    size_t ms0;
    /* quick rejections: too many items, or a last item that does not end
     * with a member */
    if (n0 > st->n || _member_of(c, items0[n0 - 1].s, items0[n0 - 1].e, st, 1, &ms0) < 0)
        return 0;
    memcpy(items, items0, n0 * sizeof *items);
    size_t n = _split_joined(c, items, n0, st);
    if (n != st->n)
        return 0;
    unsigned char seen[PR_MAX_ITEMS];
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < n; k++) {
        size_t ms = items[k].s;
        long m = _member_of(c, items[k].s, items[k].e, st, k == 0, &ms);
        if (m < 0 || m >= PR_MAX_ITEMS || seen[m])
            return 0;
        seen[m] = 1;
        if (k == 0)
            *ls = ms;
    }
    return 1;
}

static int _etc_finding(tzpr_ctx *c, const tzpr_set *st, size_t ls, size_t de, size_t dl)
{
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    tz_numword_figure fig;
    int counted = de + dl < c->n && tz_numword_parse(c->t + de + dl, c->n - de - dl, &fig) > 0;
    int rc = -1;
    if (tz_buf_printf(&msg, "“等”前已列出%s（共%zu个），列举完整时不用“等”；“等”只用于列举未尽",
                      st->name, st->n) ||
        tzpr_put_clean(&sug, c->t + ls, de - ls) || (counted && tz_buf_puts(&sug, "共")))
        goto done;
    rc = _add(c, TZ_PROOF_ETC, ls, de + dl - ls, &msg, tz_buf_str(&sug));
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}

int tzpr_check_etc(tzpr_ctx *c)
{
    if (!c->scope || c->scope->n == 0)
        return 0;
    _item items[PR_MAX_ITEMS];
    for (size_t i = 0; i < c->n;) {
        long cp;
        size_t l = tzpr_u8(c->t, c->n, i, &cp);
        if (cp != CP_DENG || i == 0 || _cp_before(c, i) == CP_DENG) {
            i += l;
            continue;
        }
        size_t dl = _cp_at(c, i + l) == CP_DENG ? 2 * l : l; /* 等等 */
        size_t n = _list_items(c, i, items);
        for (size_t k = 0; n >= 1 && k < c->scope->n; k++) {
            const tzpr_set *st = &c->scope->sets[k];
            size_t ls = 0;
            if (st->n > PR_MAX_ITEMS / 2 || !_names_whole_set(c, items, n, st, &ls))
                continue;
            if (_etc_finding(c, st, ls, i, dl))
                return -1;
            break;
        }
        i += dl;
    }
    return 0;
}

/* ---- a phrase or clause doubled in one sentence ------------------------- */

typedef struct _span {
    size_t s; /* first byte */
    size_t e; /* end */
} _span;

/* Characters before 等 that make a word of it (一等, 平等, 相等 …) and
 * after it (等于, 等待 …): not the 等 that closes a list. */
static const char *const _deng_words_before[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "同", "平", "相", "对", "高",
    "中", "上", "下", "均", "何", "特", "次", "头", "初", "优", "甲", "乙", "丙", "丁", "超"};
static const char *const _deng_words_after[] = {"于", "待", "候", "级", "同", "额", "量",
                                                "值", "次", "高", "距", "比", "分", "等"};

/* Number of CJK ideographs in t[s, e). */
static size_t _han_count(const tzpr_ctx *c, size_t s, size_t e)
{
    size_t k = 0;
    long cp;
    for (size_t i = s; i < e;) {
        i += tzpr_u8(c->t, c->n, i, &cp);
        k += tzpr_is_han(cp) != 0;
    }
    return k;
}

static int _same(const tzpr_ctx *c, _span a, _span b)
{
    return a.e - a.s == b.e - b.s && memcmp(c->t + a.s, c->t + b.s, a.e - a.s) == 0;
}

static int _repeat_finding(tzpr_ctx *c, _span again, const char *what)
{
    tz_buf msg = TZ_BUF_INIT;
    int rc = -1;
    if (tz_buf_puts(&msg, "“") || tzpr_put_clean(&msg, c->t + again.s, again.e - again.s) ||
        tz_buf_printf(&msg, "”在同一句中%s，疑为重复，请删去一处", what))
        goto done;
    rc = _add(c, TZ_PROOF_REPEAT, again.s, again.e - again.s, &msg, NULL);
done:
    tz_buf_free(&msg);
    return rc;
}

/* In the sentence t[s, e): a clause of 4+ ideographs written twice, and a
 * list closer 等XX (等项目) twice within one clause. */
static int _sentence_repeats(tzpr_ctx *c, size_t s, size_t e)
{
    _span cl[PR_MAX_PARTS], deng[PR_MAX_PARTS];
    size_t ncl = 0, nd = 0, cs = s, depth = 0, dclause = 0;
    size_t dcl[PR_MAX_PARTS]; /* the clause number of each 等XX */
    for (size_t i = s; i <= e;) {
        long cp = i < e ? _cp_at(c, i) : '\n';
        size_t l = i < e ? tzpr_u8(c->t, c->n, i, &cp) : 1;
        if (cp == 0xFF08 || cp == '(')
            depth++;
        else if ((cp == 0xFF09 || cp == ')') && depth)
            depth--;
        if (i == e || (depth == 0 && _clause_end(cp))) {
            _span sp = {cs, i};
            if (_han_count(c, cs, i) >= 4) {
                for (size_t k = 0; k < ncl; k++)
                    if (_same(c, cl[k], sp)) {
                        if (_repeat_finding(c, sp, "出现了两遍"))
                            return -1;
                        break;
                    }
                if (ncl < PR_MAX_PARTS)
                    cl[ncl++] = sp;
            }
            cs = i + l;
            dclause++;
        } else if (cp == CP_DENG && i > s &&
                   !_ends_any(c, i, _deng_words_before, PR_NELEM(_deng_words_before)) &&
                   !_starts_any(c, i + l, _deng_words_after, PR_NELEM(_deng_words_after))) {
            long a = _cp_at(c, i + l), b = 0;
            size_t al = 0;
            if (tzpr_is_han(a)) {
                al = tzpr_u8(c->t, c->n, i + l, &a);
                b = _cp_at(c, i + l + al);
            }
            if (tzpr_is_han(a) && tzpr_is_han(b)) {
                long bb;
                _span sp = {i, i + l + al + tzpr_u8(c->t, c->n, i + l + al, &bb)};
                for (size_t k = 0; k < nd; k++)
                    if (dcl[k] == dclause && _same(c, deng[k], sp)) {
                        if (_repeat_finding(c, sp, "出现了两次"))
                            return -1;
                        break;
                    }
                if (nd < PR_MAX_PARTS) {
                    dcl[nd] = dclause;
                    deng[nd++] = sp;
                }
            }
        }
        i += l;
    }
    return 0;
}

int tzpr_check_sentence_repeats(tzpr_ctx *c)
{
    return _each_sentence(c, _sentence_repeats);
}

/* ---- mixed numerals for one kind of count ------------------------------- */

/* Measure words a count is made of (longest first where one starts
 * another). 期, 批, 类, 级, 号, 是 are not: 一期, 一批, 一类 name a phase, a
 * group, a kind. */
static const char *const _measures[] = {
    "人次", "场次", "户次", "平方米", "个", "户", "人", "名", "家", "项", "场", "次", "所", "座",
    "条",   "件",   "位",   "台",     "辆", "套", "处", "篇", "张", "栋", "元", "吨", "亩", "公里"};
/* Before a Chinese numeral these make it part of a word, an ordinal or a
 * pronoun's article (哪一个, 另一个, 这两个: not counted). */
static const char *const _numeral_words_before[] = {
    "第", "初", "周", "星期", "礼拜", "之", "统", "唯", "同", "单", "逐", "万",
    "其", "划", "专", "合",   "不",   "哪", "这", "那", "某", "另", "任", "每"};

typedef struct _count {
    size_t off;   /* where the figure starts */
    size_t len;   /* figure and measure */
    size_t flen;  /* the figure alone */
    int measure;  /* index in _measures */
    int chinese;  /* 1: Chinese numerals */
    double value; /* the figure's value, 万/亿 applied */
} _count;

static int _figure_cp(long cp)
{
    static const long cn[] = {0x96F6, 0x3007, 0x4E00, 0x4E8C, 0x4E24, 0x4E09, 0x56DB, 0x4E94,
                              0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343};
    if (tzpr_is_digit_cp(cp) || cp == '.' || cp == 0xFF0E)
        return 1;
    for (size_t k = 0; k < PR_NELEM(cn); k++)
        if (cn[k] == cp)
            return 1;
    return 0;
}

/* Reads a count starting at i: a figure and a measure word right after it.
 * Returns 1 with *ct filled when it is a count the rule is about, else 0. */
static int _count_at(const tzpr_ctx *c, size_t i, _count *ct)
{
    long cp = _cp_at(c, i), prev = _cp_before(c, i);
    if (!_figure_cp(cp) || cp == '.' || cp == 0xFF0E || _figure_cp(prev) || tzpr_is_latin(prev) ||
        prev == 0x4E07 || prev == 0x4EBF)
        return 0;
    tz_numword_figure fig;
    size_t fl = tz_numword_parse(c->t + i, c->n - i, &fig);
    if (!fl)
        return 0;
    int m = _starts_any(c, i + fl, _measures, PR_NELEM(_measures));
    if (!m)
        return 0;
    memset(ct, 0, sizeof *ct);
    ct->off = i;
    ct->flen = fl;
    ct->len = fl + strlen(_measures[m - 1]);
    ct->measure = m - 1;
    ct->chinese = fig.chinese;
    ct->value = fig.value;
    if (!fig.chinese)
        return 1;
    /* Chinese numerals the standard allows: an approximation (三四个,
     * 十多个), 一 as an article (一个项目, 一次性), a figure of 百/千/万
     * alone (百家, 千人), a numeral inside a word (第一个, 唯一一个) */
    long after = _cp_at(c, i + ct->len);
    if (fig.approx || (fig.value == 1 && tzpr_is_han(after)) || cp == 0x767E || cp == 0x5343 ||
        _ends_any(c, i, _numeral_words_before, PR_NELEM(_numeral_words_before)) ||
        _figure_cp(_cp_at(c, i + fl)))
        return 0;
    return 1;
}

static int _numeral_finding(tzpr_ctx *c, const _count *cn, const _count *ar)
{
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    int rc = -1;
    if (tz_buf_puts(&msg, "同一句中“") || tzpr_put_clean(&msg, c->t + cn->off, cn->len) ||
        tz_buf_puts(&msg, "”用汉字、“") || tzpr_put_clean(&msg, c->t + ar->off, ar->len) ||
        tz_buf_puts(&msg, "”用阿拉伯数字，同类计数的数字用法应一致（GB/T 15835）"))
        goto done;
    int ok = isfinite(cn->value) && cn->value == floor(cn->value) && fabs(cn->value) < 1e15;
    if (ok && (tz_buf_printf(&sug, "%.0f", cn->value) ||
               tzpr_put_clean(&sug, c->t + cn->off + cn->flen, cn->len - cn->flen)))
        goto done;
    rc = _add(c, TZ_PROOF_NUMERAL, cn->off, cn->len, &msg, ok ? tz_buf_str(&sug) : NULL);
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}

static int _sentence_numerals(tzpr_ctx *c, size_t s, size_t e)
{
    _count ct[PR_MAX_PARTS];
    size_t n = 0;
    for (size_t i = s; i < e && n < PR_MAX_PARTS;) {
        long cp;
        size_t l = tzpr_u8(c->t, c->n, i, &cp);
        if (_count_at(c, i, &ct[n]) && !tzpr_exempt(c, ct[n].off, ct[n].len)) {
            i += ct[n].len;
            n++;
            continue;
        }
        i += l;
    }
    for (size_t k = 0; k < n; k++) {
        if (!ct[k].chinese)
            continue;
        for (size_t j = 0; j < n; j++)
            if (!ct[j].chinese && ct[j].measure == ct[k].measure) {
                if (_numeral_finding(c, &ct[k], &ct[j]))
                    return -1;
                break;
            }
    }
    return 0;
}

int tzpr_check_numerals(tzpr_ctx *c)
{
    return _each_sentence(c, _sentence_numerals);
}

/* ---- abbreviated years -------------------------------------------------- */

/* After "NN年": words that make it a year (18年底), not a duration. */
static const char *const _year_after[] = {"底",     "末",     "初",       "度",     "上半年",
                                          "下半年", "第",     "前三季度", "一季度", "二季度",
                                          "三季度", "四季度", "全年",     "以来"};
/* Before a lone "NN年": words that make it a point in time (于18年). */
static const char *const _year_before[] = {"于", "在", "截至", "截止", "从", "自", "到", "至"};
/* Before "NN年": words that make it a duration (近18年, 分别为10、20年). */
static const char *const _duration_before[] = {"近", "多", "几", "每", "这", "了", "过", "用",
                                               "满", "达", "为", "约", "共", "第", "前", "后"};
/* After "NN年" after a time word: a duration after all (到18年来). */
static const char *const _duration_after[] = {"来",   "间", "内", "多", "左右", "以上", "以下",
                                              "以内", "之", "后", "前", "时间", "期间"};
/* After "NN年": no year at all (80、90年代, 12年级, 18年龄). */
static const char *const _not_year_after[] = {"代", "级", "龄", "限", "薪", "鉴", "华", "轮"};

/* Reads 2 digits at i (not part of a longer number). Returns their value,
 * or -1; *e is the end. */
static int _two_digits(const tzpr_ctx *c, size_t i, size_t *e)
{
    long a, b, d;
    if (i >= c->n || _figure_cp(_cp_before(c, i)) || tzpr_is_latin(_cp_before(c, i)))
        return -1;
    size_t la = tzpr_u8(c->t, c->n, i, &a);
    if (!tzpr_is_digit_cp(a) || i + la >= c->n)
        return -1;
    size_t lb = tzpr_u8(c->t, c->n, i + la, &b);
    if (!tzpr_is_digit_cp(b))
        return -1;
    d = _cp_at(c, i + la + lb);
    if (tzpr_is_digit_cp(d) || d == '.' || d == 0xFF0E)
        return -1;
    *e = i + la + lb;
    long va = a >= 0xFF10 ? a - 0xFF10 : a - '0', vb = b >= 0xFF10 ? b - 0xFF10 : b - '0';
    return (int)(va * 10 + vb);
}

/* The full year of a two-digit one: in the century that puts it no more
 * than 10 years after the text's date's year (2029 without a date: 2039). */
static int _full_year(const tzpr_ctx *c, int yy)
{
    int ref = 2039;
    if (c->scope && c->scope->asof[0]) {
        char *end = NULL;
        long y = strtol(c->scope->asof, &end, 10);
        if (end && *end == '-' && y > 0 && y < 10000)
            ref = (int)y + 10;
    }
    int y = ref - ref % 100 + yy;
    return y > ref ? y - 100 : y;
}

/* Adds a finding over the years t[s, e) ("18、19年"); the suggestion
 * writes each in full and keeps what stands between them. */
static int _year_finding(tzpr_ctx *c, size_t s, size_t e)
{
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    int rc = -1;
    for (size_t i = s; i < e;) {
        size_t ye;
        int yy = _two_digits(c, i, &ye);
        long cp;
        size_t l = yy >= 0 ? ye - i : tzpr_u8(c->t, c->n, i, &cp);
        if (yy >= 0 ? tz_buf_printf(&sug, "%d", _full_year(c, yy)) : tz_buf_add(&sug, c->t + i, l))
            goto done;
        i += l;
    }
    if (tz_buf_puts(&msg, "年份“") || tzpr_put_clean(&msg, c->t + s, e - s) ||
        tz_buf_printf(&msg, "”是简写，公文中年份应写全（GB/T 15835），写作“%s”", tz_buf_str(&sug)))
        goto done;
    rc = _add(c, TZ_PROOF_YEAR, s, e - s, &msg, tz_buf_str(&sug));
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}

int tzpr_check_years(tzpr_ctx *c)
{
    static const char *const seps[] = {"、", "至", "到", "-", "—", "～", "~"};
    for (size_t i = 0; i < c->n;) {
        size_t e;
        int v = _two_digits(c, i, &e);
        if (v < 0) {
            long cp;
            i += tzpr_u8(c->t, c->n, i, &cp);
            continue;
        }
        size_t ny = 1, p = e;
        for (int k; ny < 8 && (k = _starts_any(c, p, seps, PR_NELEM(seps)));) {
            size_t q = p + strlen(seps[k - 1]);
            if (_two_digits(c, q, &e) < 0)
                break;
            ny++;
            p = e;
        }
        if (!tzpr_starts(c->t, c->n, p, "年")) {
            i = p;
            continue;
        }
        size_t ye = p + strlen("年");
        int is_year = 0;
        if (!_ends_any(c, i, _duration_before, PR_NELEM(_duration_before)) &&
            !_starts_any(c, ye, _not_year_after, PR_NELEM(_not_year_after))) {
            is_year = ny > 1 || _starts_any(c, ye, _year_after, PR_NELEM(_year_after)) ||
                      (_ends_any(c, i, _year_before, PR_NELEM(_year_before)) &&
                       !_starts_any(c, ye, _duration_after, PR_NELEM(_duration_after)));
            if (ny == 1 && tzpr_starts(c->t, c->n, ye, "以来"))
                is_year = _ends_any(c, i, _year_before, PR_NELEM(_year_before));
        }
        if (is_year && _year_finding(c, i, ye))
            return -1;
        i = ye;
    }
    return 0;
}

/* ---- a bare 目前 ----------------------------------------------------------- */

/* "截至2015年6月底" for 2015-06-30, "截至2015年底", "截至2015年6月15日". */
static int _asof_words(tz_buf *b, const char *asof)
{
    if (strlen(asof) < 10 || asof[4] != '-' || asof[7] != '-')
        return -1;
    int y = tz_num_digits(asof, 4), m = tz_num_digits(asof + 5, 2), d = tz_num_digits(asof + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return -1;
    if (!tz_cal_valid(y, m, d))
        return -1;
    if (m == 12 && d == 31)
        return tz_buf_printf(b, "截至%d年底", y);
    if (d == tz_cal_mdays(y, m))
        return tz_buf_printf(b, "截至%d年%d月底", y, m);
    return tz_buf_printf(b, "截至%d年%d月%d日", y, m, d);
}

/* 1 when the clause around t[off, off+len) names a date (a 4-digit year
 * followed by 年, or 截至/截止), or the clause before it, in the same
 * sentence, starts with 截至/截止 ("截至2019年底，目前…"). */
static int _clause_has_date(const tzpr_ctx *c, size_t off, size_t len)
{
    size_t s = off, e = off + len;
    while (s > 0 && off - s < PR_CLAUSE_SCAN && !_clause_end(_cp_before(c, s)))
        s = tzpr_u8_prev(c->t, s);
    if (s > 0 && !tzpr_sentence_end(_cp_before(c, s))) {
        size_t ps = tzpr_u8_prev(c->t, s);
        while (ps > 0 && s - ps < PR_CLAUSE_SCAN && !_clause_end(_cp_before(c, ps)))
            ps = tzpr_u8_prev(c->t, ps);
        if (tzpr_starts(c->t, c->n, ps, "截至") || tzpr_starts(c->t, c->n, ps, "截止"))
            return 1;
    }
    long cp;
    while (e < c->n && e - off < PR_CLAUSE_SCAN && !_clause_end(_cp_at(c, e)))
        e += tzpr_u8(c->t, c->n, e, &cp);
    int digits = 0;
    for (size_t i = s; i < e;) {
        size_t l = tzpr_u8(c->t, c->n, i, &cp);
        if (tzpr_is_digit_cp(cp)) {
            digits++;
        } else {
            if (digits >= 4 && tzpr_starts(c->t, c->n, i, "年"))
                return 1;
            digits = 0;
        }
        if (tzpr_starts(c->t, c->n, i, "截至") || tzpr_starts(c->t, c->n, i, "截止"))
            return 1;
        i += l;
    }
    return 0;
}

int tzpr_check_vague_date(tzpr_ctx *c)
{
    static const char word[] = "目前";
    static const char *const before[] = {"截至", "截止", "到", "至", "直到"};
    /* X目 words: 项目前期 and 节目前 hold no 目前 */
    static const char *const words[] = {"项", "节", "题", "栏", "科", "数", "条", "名", "面",
                                        "书", "细", "盲", "剧", "曲", "账", "帐", "耳", "纲",
                                        "要", "类", "品", "头", "醒", "夺", "注", "瞩", "侧",
                                        "满", "刮", "悦", "眉", "触", "举", "纵", "价", "篇"};
    size_t wl = strlen(word);
    tz_buf msg = TZ_BUF_INIT, sug = TZ_BUF_INIT;
    int rc = -1;
    for (size_t p = 0; p + wl <= c->n;) {
        const char *hit = memmem(c->t + p, c->n - p, word, wl);
        if (!hit)
            break;
        size_t off = (size_t)(hit - c->t);
        p = off + wl;
        if (_ends_any(c, off, before, PR_NELEM(before)) ||
            _ends_any(c, off, words, PR_NELEM(words)) || _clause_has_date(c, off, wl))
            continue;
        tz_buf_reset(&msg);
        tz_buf_reset(&sug);
        int dated = c->scope && c->scope->asof[0];
        if (dated && _asof_words(&sug, c->scope->asof))
            dated = 0;
        if (dated ? tz_buf_printf(&msg, "“目前”没有写明是何时的情况，应写明截至日期“%s”",
                                  tz_buf_str(&sug))
                  : tz_buf_puts(&msg,
                                "“目前”没有写明是何时的情况，应写明截至日期（如“截至2019年底”）"))
            goto done;
        if (_add(c, TZ_PROOF_DATE, off, wl, &msg, dated ? tz_buf_str(&sug) : NULL))
            goto done;
    }
    rc = 0;
done:
    tz_buf_free(&msg);
    tz_buf_free(&sug);
    return rc;
}
