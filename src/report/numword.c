/* numword.c - Chinese number wording for reports (GB/T 15835-2011); rules in numword.h. */
#include "report/numword.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NW_WAN "\xe4\xb8\x87" /* 万 */
#define NW_YI "\xe4\xba\xbf"  /* 亿 */
#define NW_DUO "\xe5\xa4\x9a" /* 多 */
#define NW_YU "\xe4\xbd\x99"  /* 余 */

static const char *const _cn_digit[10] = {"零", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九"};

/* 10^e for small e, exact for 0 ≤ e ≤ 22. */
static double _p10(int e)
{
    double r = 1.0;
    if (e >= 0) {
        while (e-- > 0)
            r *= 10.0;
    } else {
        while (e++ < 0)
            r /= 10.0;
    }
    return r;
}

static uint64_t _u10(int e)
{
    uint64_t r = 1;
    while (e-- > 0)
        r *= 10;
    return r;
}

static int _ndigits(uint64_t n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static int _tzeros(uint64_t n)
{
    int z = 0;
    if (n == 0)
        return 0;
    while (n % 10 == 0) {
        n /= 10;
        z++;
    }
    return z;
}

/* Rounds a ≥ 0 times 10^d half away from zero; the tiny bias keeps values
 * such as 12.345 (stored as 12.34499…) rounding the way a reader expects. */
static uint64_t _round_scaled(double a, int d)
{
    double x = a * _p10(d);
    return (uint64_t)floor(x + 0.5 + 1e-7);
}

/* Appends n / 10^shift with `dec` decimals (dec ≤ shift; the dropped digits
 * must be zeros or are simply cut). */
static int _put_fixed(tz_buf *out, uint64_t n, int shift, int dec)
{
    if (shift < 0 || shift > 19 || dec > shift)
        return -1; /* cannot happen for the callers' ranges; keeps frac[] in bounds */
    uint64_t p = _u10(shift);
    if (tz_buf_printf(out, "%llu", (unsigned long long)(n / p)))
        return -1;
    if (dec <= 0)
        return 0;
    char frac[24];
    snprintf(frac, sizeof frac, "%0*llu", shift, (unsigned long long)(n % p));
    return tz_buf_printf(out, ".%.*s", dec, frac); /* the first dec of the shift digits */
}

/* Appends |x| rounded to at most d decimals, trailing zeros dropped unless
 * fixed, with "-" when x < 0 and it does not round to zero. */
static int _put_decimal(tz_buf *out, double x, int d, int fixed)
{
    double a = fabs(x);
    while (d > 0 && a * _p10(d) >= 9e15)
        d--;
    if (a * _p10(d) >= 9e15)
        return tz_buf_printf(out, "%s%.0f", x < 0 ? "-" : "", a);
    uint64_t n = _round_scaled(a, d);
    if (n > 0 && x < 0 && tz_buf_puts(out, "-"))
        return -1;
    int dec = fixed ? d : d - _tzeros(n);
    if (n == 0 && !fixed)
        dec = 0;
    if (dec < 0)
        dec = 0;
    return _put_fixed(out, n, d, dec);
}

int tz_numword_unit_scale(const char *unit, const char **base)
{
    int e = 0;
    const char *b = unit ? unit : "";
    if (strncmp(b, NW_WAN NW_YI, 6) == 0) {
        e = 12;
        b += 6;
    } else if (strncmp(b, NW_WAN, 3) == 0) {
        e = 4;
        b += 3;
    } else if (strncmp(b, NW_YI, 3) == 0) {
        e = 8;
        b += 3;
    }
    if (base)
        *base = b;
    return e;
}

static const char *_scale_word(int k)
{
    switch (k) {
    case 4:
        return NW_WAN;
    case 8:
        return NW_YI;
    case 12:
        return NW_WAN NW_YI;
    default:
        return "";
    }
}

static int _is_percent(const char *base)
{
    return strcmp(base, "%") == 0 || strcmp(base, "\xe2\x80\xb0") == 0 /* ‰ */
           || strcmp(base, "\xef\xbc\x85") == 0;                       /* ％ */
}

int tz_numword_amount(tz_buf *out, double v, const char *unit, unsigned flags)
{
    if (!out || !isfinite(v))
        return -1;
    const char *base;
    int su = tz_numword_unit_scale(unit, &base);
    int d = (flags & 7u) ? (int)(flags & 7u) - 1 : 2;
    double a = fabs(v);
    while (d > 0 && a * _p10(d) >= 9e15)
        d--;
    if (a * _p10(d) >= 9e15) /* beyond exact integers: no abbreviation */
        return tz_buf_printf(out, "%s%.0f%s", v < 0 ? "-" : "", a, unit ? unit : "");
    uint64_t n = _round_scaled(a, d);
    int e = su - d; /* the value is n * 10^e base units */
    int k = su;     /* decimal exponent of the unit it is written in */
    int tz = _tzeros(n);
    if (n > 0 && !(flags & TZ_NUMWORD_NOSCALE) && !_is_percent(base)) {
        int top = _ndigits(n) - 1 + e; /* exponent of the leading digit */
        if (su < 8 && top >= 8 && 8 - e - tz <= 2)
            k = 8;
        else if (su == 0 && top >= 4 && 4 - e - tz <= 2)
            k = 4;
    }
    int shift = k - e; /* ≥ d ≥ 0 since k ≥ su */
    int dec;
    if ((flags & TZ_NUMWORD_FIXED) && k == su)
        dec = d;
    else
        dec = n ? shift - tz : 0;
    if (dec < 0)
        dec = 0;
    if (n > 0 && v < 0 && tz_buf_puts(out, "-"))
        return -1;
    if (_put_fixed(out, n, shift, dec))
        return -1;
    if (tz_buf_puts(out, _scale_word(k)))
        return -1;
    return tz_buf_puts(out, base);
}

/* Appends one group 0 < x < 10000. leading: this group starts the number
 * (allows 十 for 10–19); liang: a leading 2 in the 千 or units place is 两. */
static int _cn_group(tz_buf *out, unsigned x, int leading, int liang)
{
    static const char *const place[4] = {"", "十", "百", "千"};
    const unsigned dig[4] = {x % 10, x / 10 % 10, x / 100 % 10, x / 1000 % 10};
    int started = 0, zero = 0;
    for (int p = 3; p >= 0; p--) {
        unsigned d = dig[p];
        if (d == 0) {
            if (started)
                zero = 1;
            continue;
        }
        if (zero && tz_buf_puts(out, "零"))
            return -1;
        zero = 0;
        const char *w = _cn_digit[d];
        if (p == 1 && d == 1 && leading && !started)
            w = "";
        else if (d == 2 && liang && !started && (p == 3 || p == 0))
            w = "两";
        if (tz_buf_puts(out, w) || tz_buf_puts(out, place[p]))
            return -1;
        started = 1;
    }
    return 0;
}

/* Appends 0 < x < 10^8. */
static int _cn_1e8(tz_buf *out, uint64_t x, int leading, int liang)
{
    unsigned hi = (unsigned)(x / 10000), lo = (unsigned)(x % 10000);
    if (hi) {
        if (_cn_group(out, hi, leading, liang) || tz_buf_puts(out, NW_WAN))
            return -1;
    }
    if (lo) {
        if (hi && lo < 1000 && tz_buf_puts(out, "零"))
            return -1;
        if (_cn_group(out, lo, leading && !hi, liang && !hi))
            return -1;
    }
    return 0;
}

int tz_numword_cn_int(tz_buf *out, long long n, unsigned flags)
{
    if (!out || n <= -10000000000000000LL || n >= 10000000000000000LL)
        return -1;
    uint64_t m = n < 0 ? (uint64_t)(-n) : (uint64_t)n;
    int liang = (flags & TZ_NUMWORD_LIANG) != 0;
    if (n < 0 && tz_buf_puts(out, "负"))
        return -1;
    if (m == 0)
        return tz_buf_puts(out, "零");
    uint64_t hi = m / 100000000u, lo = m % 100000000u;
    if (hi) {
        if (_cn_1e8(out, hi, 1, liang) || tz_buf_puts(out, NW_YI))
            return -1;
    }
    if (lo) {
        if (hi && lo < 10000000u && tz_buf_puts(out, "零"))
            return -1;
        if (_cn_1e8(out, lo, !hi, liang && !hi))
            return -1;
    }
    return 0;
}

int tz_numword_count(tz_buf *out, long n, const char *measure, unsigned flags)
{
    if (!out)
        return -1;
    if (!(flags & TZ_NUMWORD_ARABIC) && n >= 1 && n <= 10) {
        if (tz_numword_cn_int(out, n, TZ_NUMWORD_LIANG))
            return -1;
    } else if (tz_buf_printf(out, "%ld", n)) {
        return -1;
    }
    return tz_buf_puts(out, measure ? measure : "");
}

int tz_numword_approx(tz_buf *out, double v, const char *unit, tz_numword_approx_style style,
                      int digits)
{
    if (!out || !isfinite(v))
        return -1;
    if (style < TZ_APPROX_DUO || style > TZ_APPROX_CN_YU)
        return -1;
    if (digits <= 0)
        digits = 1;
    if (digits > 15)
        digits = 15;
    const char *base;
    int su = tz_numword_unit_scale(unit, &base);
    double V = fabs(v) * _p10(su);
    if (V < 10 || V >= 9e15)
        return tz_numword_amount(out, v, unit, 0);
    int top = 0; /* V's digits less one; 10 <= V < 9e15, so V's whole part fits */
    for (uint64_t t = 10, whole = (uint64_t)V; t <= whole; t *= 10)
        top++;
    int p = top - digits + 1; /* place of the last kept digit */
    if (p < 1)
        return tz_numword_amount(out, v, unit, 0);
    double step = _p10(p);
    uint64_t q0 = (uint64_t)floor(V / step + 1e-9);
    double T = (double)q0 * step;
    if (V - T <= 1e-9 * V)
        return tz_numword_amount(out, v, unit, 0);
    int k = 0;
    if (T >= 1e8 && p >= 6)
        k = 8;
    else if (T >= 1e4 && p >= 4)
        k = 4;
    uint64_t q = q0;
    int shift = 0; /* decimals of q in the 亿 unit ("1.2亿多") */
    if (p >= k) {
        q = q0 * _u10(p - k);
    } else {
        shift = k - p;
        while (shift > 0 && q % 10 == 0) {
            q /= 10;
            shift--;
        }
    }
    int yu = style == TZ_APPROX_YU || style == TZ_APPROX_CN_YU;
    int chinese = style == TZ_APPROX_CN_DUO || style == TZ_APPROX_CN_YU;
    /* Chinese numerals never nest the unit inside the figure: "一千零三十三万
     * 三千六百一十余万" reads as nonsense, so a figure of 万 or more in front of
     * 万 or 亿 is written in Arabic numerals ("10333610余万"). */
    if (chinese && k > 0 && shift == 0 && q >= _u10(4))
        chinese = 0;
    const char *mark = yu ? NW_YU : NW_DUO;
    if (v < 0 && tz_buf_puts(out, chinese ? "负" : "-"))
        return -1;
    if (shift > 0) {
        if (_put_fixed(out, q, shift, shift))
            return -1;
    } else if (chinese) {
        if (!(yu && q == 1 && p <= k && k > 0) &&
            tz_numword_cn_int(out, (long long)q, TZ_NUMWORD_LIANG))
            return -1;
    } else if (tz_buf_printf(out, "%llu", (unsigned long long)q)) {
        return -1;
    }
    int rc;
    if (k == 0)
        rc = tz_buf_puts(out, mark);
    else if (p <= k)
        rc = tz_buf_puts(out, _scale_word(k)) || tz_buf_puts(out, mark);
    else
        rc = tz_buf_puts(out, mark) || tz_buf_puts(out, _scale_word(k));
    if (rc)
        return -1;
    return tz_buf_puts(out, base);
}

static long _gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Decimals of a percentage: 1 when negative, at most 6. */
static int _ratio_decimals(int decimals)
{
    return decimals < 0 ? 1 : decimals > 6 ? 6 : decimals;
}

int tz_numword_percent(tz_buf *out, double ratio, int decimals)
{
    if (!out || !isfinite(ratio))
        return -1;
    decimals = _ratio_decimals(decimals);
    if (_put_decimal(out, ratio * 100.0, decimals, 0))
        return -1;
    return tz_buf_puts(out, "%");
}

int tz_numword_fraction(tz_buf *out, double num, double den)
{
    if (!out || !isfinite(num) || !isfinite(den) || den == 0)
        return -1;
    double r = num / den;
    if (!isfinite(r))
        return -1;
    if (r > 0 && r < 1) {
        long ba = 0, bb = 0;
        double best = 1.0;
        for (long b = 2; b <= 10; b++) {
            long a = (long)floor(r * (double)b + 0.5);
            if (a < 1 || a >= b || _gcd(a, b) != 1)
                continue;
            double diff = fabs(r - (double)a / (double)b);
            double tol = b <= 4 ? 0.01 : 0.002;
            if (diff <= tol + 1e-12 && diff < best - 1e-12) {
                best = diff;
                ba = a;
                bb = b;
            }
        }
        if (bb == 2)
            return tz_buf_puts(out, "一半");
        if (bb) {
            if (tz_numword_cn_int(out, bb, 0) || tz_buf_puts(out, "分之"))
                return -1;
            return tz_numword_cn_int(out, ba, 0);
        }
    } else if (r >= 1) {
        double m = floor(r + 0.5);
        if (m >= 2 && m <= 10 && fabs(r - m) <= 0.01 * m) {
            if (tz_numword_cn_int(out, (long long)m, TZ_NUMWORD_LIANG))
                return -1;
            return tz_buf_puts(out, "倍");
        }
    }
    return tz_numword_percent(out, r, 1);
}

int tz_numword_growth(tz_buf *out, double ratio, int decimals)
{
    if (!out || !isfinite(ratio))
        return -1;
    decimals = _ratio_decimals(decimals);
    if (fabs(ratio) * 100.0 * _p10(decimals) < 1.0 &&
        _round_scaled(fabs(ratio) * 100.0, decimals) == 0)
        return tz_buf_puts(out, "持平");
    if (tz_buf_puts(out, ratio > 0 ? "增长" : "下降"))
        return -1;
    return tz_numword_percent(out, fabs(ratio), decimals);
}

int tz_numword_change(tz_buf *out, double delta, const char *unit, unsigned flags)
{
    if (!out || !isfinite(delta))
        return -1;
    int d = (flags & 7u) ? (int)(flags & 7u) - 1 : 2;
    if (fabs(delta) * _p10(d) < 1.0 && _round_scaled(fabs(delta), d) == 0)
        return tz_buf_puts(out, "持平");
    if (tz_buf_puts(out, delta > 0 ? "增加" : "减少"))
        return -1;
    return tz_numword_amount(out, fabs(delta), unit, flags);
}

int tz_numword_list(tz_buf *out, const char *const *items, size_t n, int final_he)
{
    if (!out || (n && !items))
        return -1;
    size_t total = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i]) {
            total++;
            last = i;
        }
    }
    size_t written = 0;
    for (size_t i = 0; i < n; i++) {
        if (!items[i])
            continue;
        if (written) {
            const char *sep = (final_he && i == last && total >= 2) ? "和" : "、";
            if (tz_buf_puts(out, sep))
                return -1;
        }
        if (tz_buf_puts(out, items[i]))
            return -1;
        written++;
    }
    return 0;
}

/* ---- parsing ---------------------------------------------------------- */

/* Returns the value 0–9 of an Arabic digit (ASCII or full-width) at s[0..n)
 * and its byte length in *w, or -1. */
static int _arabic_digit(const char *s, size_t n, size_t *w)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 1 && u[0] >= '0' && u[0] <= '9') {
        *w = 1;
        return u[0] - '0';
    }
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
        *w = 3;
        return u[2] - 0x90;
    }
    return -1;
}

static int _at(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    return n >= l && memcmp(s, w, l) == 0;
}

/* Chinese numeral tokens. */
enum { TOK_NONE, TOK_DIGIT, TOK_ZERO, TOK_UNIT, TOK_WAN, TOK_YI, TOK_APPROX };

static int _cn_token(const char *s, size_t n, int *val, size_t *w)
{
    static const struct {
        const char *t;
        int kind;
        int val;
    } tok[] = {
        {"零", TOK_ZERO, 0},  {"〇", TOK_ZERO, 0},     {"一", TOK_DIGIT, 1},   {"二", TOK_DIGIT, 2},
        {"两", TOK_DIGIT, 2}, {"三", TOK_DIGIT, 3},    {"四", TOK_DIGIT, 4},   {"五", TOK_DIGIT, 5},
        {"六", TOK_DIGIT, 6}, {"七", TOK_DIGIT, 7},    {"八", TOK_DIGIT, 8},   {"九", TOK_DIGIT, 9},
        {"十", TOK_UNIT, 10}, {"百", TOK_UNIT, 100},   {"千", TOK_UNIT, 1000}, {NW_WAN, TOK_WAN, 0},
        {NW_YI, TOK_YI, 0},   {NW_DUO, TOK_APPROX, 0}, {NW_YU, TOK_APPROX, 0},
    };
    for (size_t i = 0; i < sizeof tok / sizeof tok[0]; i++) {
        if (_at(s, n, tok[i].t)) {
            *val = tok[i].val;
            *w = strlen(tok[i].t);
            return tok[i].kind;
        }
    }
    return TOK_NONE;
}

/* Adds a trailing digit that has no place of its own: after 零 or at the
 * start it is units ("一百零五"), otherwise one place below the last unit
 * ("一千五" = 1500, "两万五" = 25000). */
/* The state of reading a figure in Chinese numerals. */
typedef struct cn_state {
    double acc;      /* finished 万/亿 levels */
    double section;  /* the group below the next 万/亿 */
    int pending;     /* a digit waiting for its place, or -1 */
    double lastunit; /* place of the last 十/百/千/万/亿 seen (1: none) */
    int zero_since;  /* 零 seen since lastunit */
    double step;     /* place of the last non-zero digit, levels applied */
    int have;        /* 1 once a numeral was read */
    int approx;      /* 1 after 多/余 */
    int wan_seen;    /* 万 seen in the current 亿 level */
    int yi_seen;     /* 亿 seen */
} cn_state;

/* Gives the pending digit its place. */
static void _cn_flush(cn_state *st)
{
    if (st->pending < 0)
        return;
    double pv = (st->zero_since || st->lastunit == 1) ? 1 : st->lastunit / 10;
    st->section += st->pending * pv;
    if (st->pending > 0)
        st->step = pv;
    st->pending = -1;
}

/* Reads 万 or 亿 (k); rest is the text after it. Returns 0, or -1 when it
 * makes no figure. */
static int _cn_level(cn_state *st, int k, const char *rest, size_t restn)
{
    if (!st->have) {
        int v2;
        size_t w2;
        if (_cn_token(rest, restn, &v2, &w2) != TOK_APPROX)
            return -1; /* 万一, 万达: not a figure */
        st->section = 1;
        st->step = 1;
        st->have = 1;
    }
    _cn_flush(st);
    if (k == TOK_WAN) {
        if (st->wan_seen || st->section <= 0)
            return -1;
        st->acc += st->section * 1e4;
        st->step *= 1e4;
        st->wan_seen = 1;
        st->lastunit = 1e4;
    } else {
        if (st->yi_seen || st->acc + st->section <= 0)
            return -1;
        st->acc = (st->acc + st->section) * 1e8;
        st->step *= 1e8;
        st->yi_seen = 1;
        st->wan_seen = 0;
        st->lastunit = 1e8;
    }
    st->section = 0;
    st->zero_since = 0;
    return 0;
}

/* Reads one token (k, its value val; rest is the text after it). Returns
 * 0, or -1 when the text makes no figure. */
static int _cn_step(cn_state *st, int k, int val, const char *rest, size_t restn)
{
    if (st->approx && k != TOK_WAN && k != TOK_YI)
        return -1;
    if (k == TOK_ZERO) {
        if (st->pending >= 0)
            return -1;
        st->zero_since = 1;
    } else if (k == TOK_DIGIT) {
        if (st->pending >= 0)
            return -1; /* "三五个": two digits without a place */
        st->pending = val;
    } else if (k == TOK_UNIT) {
        if (st->pending < 0 && val != 10)
            return -1; /* 百姓, 千万 (as an adverb) */
        if (st->lastunit > 1 && st->lastunit < 1e4 && val >= st->lastunit)
            return -1; /* "一千一千", "二十百" */
        double mult = st->pending >= 0 ? st->pending : 1;
        st->section += mult * val;
        st->step = val;
        st->pending = -1;
        st->lastunit = val;
        st->zero_since = 0;
    } else if (k == TOK_APPROX) {
        if (!st->have)
            return -1;
        _cn_flush(st);
        st->approx = 1;
        return 0;
    } else {
        return _cn_level(st, k, rest, restn);
    }
    st->have = 1;
    return 0;
}

static size_t _parse_cn(const char *s, size_t n, tz_numword_figure *fig)
{
    size_t i = 0;
    cn_state st = {.pending = -1, .lastunit = 1, .step = 1};
    while (i < n) {
        int val;
        size_t w;
        int k = _cn_token(s + i, n - i, &val, &w);
        if (k == TOK_NONE)
            break;
        if (i >= 128)
            return 0; /* longer than any figure cn_int writes (96 bytes) */
        if (_cn_step(&st, k, val, s + i + w, n - i - w))
            return 0;
        i += w;
    }
    if (!st.have)
        return 0;
    _cn_flush(&st);
    double value = st.acc + st.section;
    fig->value = value;
    fig->approx = st.approx;
    fig->chinese = 1;
    if (st.approx) {
        fig->lo = value;
        fig->hi = value + st.step;
    } else {
        fig->lo = value - st.step / 2;
        fig->hi = value + st.step / 2;
    }
    fig->len = i;
    return i;
}

size_t tz_numword_parse(const char *s, size_t n, tz_numword_figure *fig)
{
    tz_numword_figure tmp;
    if (!fig)
        fig = &tmp;
    memset(fig, 0, sizeof *fig);
    if (!s)
        return 0;
    size_t w, i = 0;
    if (_arabic_digit(s, n, &w) < 0)
        return _parse_cn(s, n, fig);
    char digs[48];
    size_t nd = 0;
    int ndec = 0, in_dec = 0;
    while (i < n) {
        int d = _arabic_digit(s + i, n - i, &w);
        if (d >= 0) {
            if (nd + 1 >= sizeof digs)
                return 0; /* far too long to be a figure in prose */
            digs[nd++] = (char)('0' + d);
            if (in_dec)
                ndec++;
            i += w;
            continue;
        }
        size_t pw = _at(s + i, n - i, ".") ? 1 : _at(s + i, n - i, "．") ? 3 : 0;
        if (!in_dec && pw && _arabic_digit(s + i + pw, n - i - pw, &w) >= 0) {
            in_dec = 1;
            i += pw;
            continue;
        }
        break;
    }
    digs[nd] = '\0';
    double value = 0;
    for (size_t j = 0; j < nd; j++)
        value = value * 10 + (digs[j] - '0');
    value /= _p10(ndec);
    int lastnz = 0; /* exponent of the last non-zero digit */
    for (size_t j = nd; j-- > 0;) {
        if (digs[j] != '0') {
            lastnz = (int)(nd - 1 - j) - ndec;
            break;
        }
    }
    double step = _p10(lastnz), half = _p10(-ndec) / 2;
    double scale = 1;
    int approx = 0, scaled = 0;
    for (int round = 0; round < 2; round++) {
        if (!approx && (_at(s + i, n - i, NW_DUO) || _at(s + i, n - i, NW_YU))) {
            approx = 1;
            i += 3;
        }
        if (!scaled && _at(s + i, n - i, NW_WAN NW_YI)) {
            scale = 1e12;
            scaled = 1;
            i += 6;
        } else if (!scaled && _at(s + i, n - i, NW_WAN)) {
            scale = 1e4;
            scaled = 1;
            i += 3;
        } else if (!scaled && _at(s + i, n - i, NW_YI)) {
            scale = 1e8;
            scaled = 1;
            i += 3;
        }
    }
    fig->value = value * scale;
    fig->approx = approx;
    fig->chinese = 0;
    if (approx) {
        fig->lo = fig->value;
        fig->hi = fig->value + step * scale;
    } else {
        fig->lo = fig->value - half * scale;
        fig->hi = fig->value + half * scale;
    }
    fig->len = i;
    return i;
}
