/* draft_num.c - the numbers written in a draft's text, read back for the
 * drafter's provenance checks: the first figure of a fig()/calc() text
 * ("105个", "1.2亿元", "30多万元", "两个乡", "三分之一", "64.5%", "2.9倍")
 * and whether a value is that figure as written (report/numword.h's
 * rounding and 多/余 ranges). */
#include "report/draft_impl.h"
#include "report/numword.h"
#include "util/text.h"
#include <math.h>
#include <string.h>

int tzd_cell_number(const char *text)
{
    const char *s = text ? text : "";
    while (*s == ' ')
        s++;
    if (*s == '-' || *s == '+')
        s++;
    tz_numword_figure f;
    size_t k = tz_numword_parse(s, strlen(s), &f);
    if (!k || f.chinese)
        return 0;
    const char *rest = s + k;
    static const char *const dates[] = {"年", "月", "日", "-", "/", "."};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (!strncmp(rest, dates[i], strlen(dates[i])))
            return 0;          /* a date or a year ("2018年"), not a figure */
    return strlen(rest) <= 12; /* a number with at most a short unit ("户", "万美元") */
}

/* "X分之Y" at s: 1 with n filled (a fraction's tolerance, as
 * tz_numword_fraction chooses it), else 0. */
static int _fraction(const char *s, size_t off, tzd_textnum *n)
{
    static const char half[] = "一半";
    if (!strncmp(s, half, strlen(half))) {
        *n = (tzd_textnum){.lo = 0.49,
                           .hi = 0.51,
                           .scale = 1,
                           .fraction = 1,
                           .off = off,
                           .len = strlen(half),
                           .unit = s + strlen(half)};
        return 1;
    }
    tz_numword_figure den, num;
    size_t a = tz_numword_parse(s, strlen(s), &den);
    static const char of[] = "分之";
    if (!a || den.approx || strncmp(s + a, of, strlen(of)) != 0 || den.value < 2)
        return 0;
    const char *t = s + a + strlen(of);
    size_t b = tz_numword_parse(t, strlen(t), &num);
    if (!b || num.approx)
        return 0;
    double r = num.value / den.value, tol = den.value <= 4 ? 0.01 : 0.002;
    *n = (tzd_textnum){.lo = r - tol,
                       .hi = r + tol,
                       .scale = 1,
                       .fraction = 1,
                       .off = off,
                       .len = (size_t)(t + b - s),
                       .unit = t + b};
    return 1;
}

/* 1 when the figure at text + off is written as a negative: "-3.01",
 * "负3", "下降5.2%", "减少3万元" (numword's growth() and change()). */
static int _negative(const char *text, size_t off)
{
    static const char *const signs[] = {"-", "－", "负", "下降", "减少"};
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++) {
        size_t n = strlen(signs[i]);
        if (off >= n && !strncmp(text + off - n, signs[i], n))
            return 1;
    }
    return 0;
}

int tzd_text_number(const char *text, tzd_textnum *out)
{
    size_t len = text ? strlen(text) : 0;
    long cp;
    for (size_t i = 0; i < len; i += tz_utf8_next(text + i, &cp)) {
        const char *s = text + i;
        if (_fraction(s, i, out))
            return 1;
        tz_numword_figure f;
        size_t k = tz_numword_parse(s, len - i, &f);
        if (!k)
            continue;
        double scale = 1;
        const char *wan = strstr(s, "万"), *yi = strstr(s, "亿");
        if (yi && yi < s + k)
            scale = 1e8;
        else if (wan && wan < s + k)
            scale = 1e4;
        *out = (tzd_textnum){
            .lo = f.lo, .hi = f.hi, .scale = scale, .off = i, .len = k, .unit = s + k};
        if (_negative(text, i)) {
            out->lo = -f.hi;
            out->hi = -f.lo;
        }
        if (!strncmp(out->unit, "%", 1) || !strncmp(out->unit, "％", strlen("％")))
            out->percent = 1;
        return 1;
    }
    return 0;
}

/* 1 when x lies in [lo, hi], give or take the float noise of x. */
static int _within(double x, double lo, double hi)
{
    double eps = 1e-9 * (fabs(x) > 1 ? fabs(x) : 1);
    return isfinite(x) && x >= lo - eps && x <= hi + eps;
}

int tzd_number_matches(const tzd_textnum *n, double v, const char *unit)
{
    int unit_pct = unit && (!strcmp(unit, "%") || !strcmp(unit, "％"));
    if (n->fraction)
        return _within(unit_pct ? v / 100 : v, n->lo, n->hi);
    if (n->percent)
        return _within(unit_pct ? v : v * 100, n->lo, n->hi);
    const char *base = NULL;
    int e = tz_numword_unit_scale(unit, &base);
    /* a bare number with no 万/亿 and no unit word is in the indicator's unit
     * (a table column headed "总投资（亿元）") */
    if (n->scale == 1 && n->unit && !n->unit[0])
        e = 0;
    return _within(v * pow(10, e), n->lo, n->hi);
}
