/* numword.h - writing (and reading back) numbers in Chinese report prose, per GB/T 15835-2011.
 *
 * Owns: the wording of every figure a drafted report (汇报材料) prints:
 *   - amounts with units in Arabic numerals, abbreviated with 万/亿 only when
 *     the figure is round enough ("4809户", "2.5万人次", "1.2亿元");
 *   - approximations ("30多万元", "15600多场次", "万余场次", "一千多万人次");
 *   - Chinese numerals (二 vs 两) and counts with measure words ("两个乡");
 *   - fractions, multiples and percentages ("三分之一", "一半", "两倍", "33.3%");
 *   - changes ("增长10%", "减少3万元"), and lists joined with 、;
 *   - parsing such a figure back from text (tz_numword_parse), which the
 *     proofreader uses to compare a written figure with the ledgers.
 * Does not own: which figure a report prints (metrics/, report templates),
 * units of measure beyond the 万/亿 prefixes, or any text around the figure.
 *
 * Every writer appends to a tz_buf (util/buf.h) and returns 0, or -1 when
 * the argument cannot be written (NaN, infinity, division by zero, NULL
 * buffer) or the buffer ran out of memory (then tz_buf has freed itself, as
 * usual). On -1 for a bad argument nothing is appended. All text is UTF-8.
 *
 * The rules, in one place:
 *
 * Units. A unit that starts with 万 or 亿 ("万元", "万美元", "亿元", "万人次")
 * means the value is already in ten-thousands or hundred-millions of the rest
 * of the unit (the "base unit": 元, 美元, 人次). Any other unit is a base unit.
 * The units "%" and "‰" are never abbreviated.
 *
 * tz_numword_amount. The value is first rounded (half away from zero) to at
 * most D decimals in the caller's unit (D = 2 unless TZ_NUMWORD_DEC(n)), then:
 *   1. if it is ≥ 1亿 base units and is a whole multiple of 0.01亿 (at most
 *      two decimals in 亿), it is written in 亿: 120000000元 → "1.2亿元",
 *      12000万元 → "1.2亿元", 125000000 → "1.25亿";
 *   2. else a value given in 万… or 亿… units stays in that unit:
 *      2016万元 → "2016万元", 12345万元 → "12345万元" (never "1亿2345万");
 *   3. else a base-unit value ≥ 1万 that is a whole multiple of 0.01万 (100)
 *      is written in 万: 25000人次 → "2.5万人次", 10000 → "1万";
 *   4. else it is written as it is: 4809户, 10230场次, 99999999元.
 * Trailing zeros after the decimal point are dropped ("12.5万元", not
 * "12.50万元") unless TZ_NUMWORD_FIXED. Negative values get a leading "-"
 * ("-12.5万元"); use tz_numword_change for "增加/减少" wording. A value that
 * rounds to zero is "0" without a sign. TZ_NUMWORD_NOSCALE skips 1–3.
 *
 * tz_numword_approx. Keeps the first `digits` significant digits of the
 * value in base units (1 when digits ≤ 0) and truncates the rest, then adds
 * 多 or 余. With T the truncated value and 10^p the place of its last kept
 * digit: when T ≥ 1亿 and p ≥ 6 the figure is in 亿 (with up to two
 * decimals: "1.2亿多", Arabic even in the Chinese styles), else when T ≥ 1万
 * and p ≥ 4 in 万, else as it is. 多/余 goes after 万/亿 when the last kept
 * digit is the 万 (亿) digit or below ("1万余", "3万多", "1.2亿多"), before
 * it otherwise ("30多万元", "一千多万"). Examples: 32.6万元 → "30多万元"; 523 → "500多";
 * 15634 with digits 3 → "15600多"; 10230 → "1万余" (Chinese style: "万余";
 * the leading 一 is dropped only with 余); 10350000 → "1000多万"
 * (Chinese style: "一千多万"). A value whose last kept digit would be the
 * units digit or below (p < 1: 7, 9.5, 32 with digits 2), or that has
 * nothing past the kept digits (500 is not "500多"), is written exactly with
 * tz_numword_amount, in Arabic numerals even in the Chinese styles.
 *
 * tz_numword_fraction. r = num / den. For 0 < r < 1 the nearest fraction
 * a/b in lowest terms with 2 ≤ b ≤ 10 is used when it is within the
 * tolerance: 1 percentage point for b ≤ 4 (0.33 and 0.34 → "三分之一",
 * 0.32 → "32%"), 0.2 percentage point for 5 ≤ b ≤ 10 (0.2 → "五分之一",
 * 0.125 → "八分之一", 0.37 → "37%"). 1/2 is "一半". For r ≥ 1 a whole
 * multiple m with 2 ≤ m ≤ 10 within 1% of m is "两倍", "三倍" …; anything
 * else (including 0, 1 and negatives) is a percentage with one decimal.
 *
 * Chinese numerals. tz_numword_cn_int writes 0 ≤ |n| < 10^16 ("一万零五十",
 * "十五万", "一百一十"); negatives get 负. With TZ_NUMWORD_LIANG the leading
 * 2 is 两 where a measure word or 千/万/亿 follows: 2 → 两, 2000 → 两千,
 * 20000 → 两万, 2亿 → 两亿; but 20 → 二十, 200 → 二百, 12 → 十二, 22 → 二十二.
 */
#ifndef TZ_NUMWORD_H
#define TZ_NUMWORD_H
#include "util/buf.h"
#include <stddef.h>

/* Flags for tz_numword_amount, tz_numword_change and tz_numword_cn_int. */
enum {
    TZ_NUMWORD_NOSCALE = 1 << 4, /* never abbreviate with 万/亿 nor upgrade 万→亿 */
    TZ_NUMWORD_FIXED = 1 << 5,   /* keep trailing zeros: exactly D decimals ("12.50万元") */
    TZ_NUMWORD_LIANG = 1 << 6,   /* cn_int: 两 for a leading 2 before a measure or 千/万/亿 */
    TZ_NUMWORD_ARABIC = 1 << 7   /* count: Arabic numerals even for 1–10 */
};
/* At most n decimals (0 ≤ n ≤ 6) instead of the default 2; or-ed into flags. */
#define TZ_NUMWORD_DEC(n) ((unsigned)(((n) < 0 ? 0 : (n) > 6 ? 6 : (n)) + 1))

/* Styles of approximation. */
typedef enum tz_numword_approx_style {
    TZ_APPROX_DUO = 0,    /* Arabic + 多: "30多万元", "500多场次" */
    TZ_APPROX_YU = 1,     /* Arabic + 余: "1万余场次", "15600余场次" */
    TZ_APPROX_CN_DUO = 2, /* Chinese numerals + 多: "一千多万人次", "三十多万元" */
    TZ_APPROX_CN_YU = 3   /* Chinese numerals + 余: "万余场次", "两千余户" */
} tz_numword_approx_style;

/* Appends v with its unit (unit may be NULL or ""): "4809户", "1.2亿元".
 * flags: TZ_NUMWORD_DEC(n), TZ_NUMWORD_NOSCALE, TZ_NUMWORD_FIXED. */
int tz_numword_amount(tz_buf *out, double v, const char *unit, unsigned flags);

/* Appends an approximation of v with its unit: "30多万元", "万余场次".
 * digits: significant digits kept (≤ 0 means 1). See the rules above. */
int tz_numword_approx(tz_buf *out, double v, const char *unit, tz_numword_approx_style style,
                      int digits);

/* Appends n in Chinese numerals: "一万零五十". flags: TZ_NUMWORD_LIANG.
 * Fails (-1) when |n| ≥ 10^16. */
int tz_numword_cn_int(tz_buf *out, long long n, unsigned flags);

/* Appends a count with its measure word (measure may be NULL or "").
 * 1–10 in Chinese numerals with 两 ("两个乡", "十个", "一场"), unless
 * TZ_NUMWORD_ARABIC; other counts in Arabic numerals ("11个", "0个", "-3个"). */
int tz_numword_count(tz_buf *out, long n, const char *measure, unsigned flags);

/* Appends num/den as "三分之一", "一半", "两倍" or "33.3%" (rules above).
 * Fails (-1) when den is 0 or either value is not finite. */
int tz_numword_fraction(tz_buf *out, double num, double den);

/* Appends ratio as a percentage with at most `decimals` decimals (< 0: 1),
 * trailing zeros dropped: 0.3333 → "33.3%", 1 → "100%", -0.05 → "-5%". */
int tz_numword_percent(tz_buf *out, double ratio, int decimals);

/* Appends a year-on-year change given as a ratio: 0.1 → "增长10%",
 * -0.052 → "下降5.2%", and "持平" when it rounds to 0 at `decimals` (< 0: 1). */
int tz_numword_growth(tz_buf *out, double ratio, int decimals);

/* Appends a change of an amount: "增加12万元", "减少3543户", or "持平" when
 * it rounds to 0. The magnitude is written by tz_numword_amount(flags). */
int tz_numword_change(tz_buf *out, double delta, const char *unit, unsigned flags);

/* Appends items joined with 、 ("夏邑县、虞城县、睢县"); with final_he the
 * last two are joined with 和 ("夏邑县、虞城县和睢县"). NULL items are
 * skipped; n = 0 appends nothing. */
int tz_numword_list(tz_buf *out, const char *const *items, size_t n, int final_he);

/* A figure read back from text by tz_numword_parse. */
typedef struct tz_numword_figure {
    double value; /* the figure as written, 万/亿 applied: "30多万" → 300000 */
    double lo;    /* smallest true value the wording allows */
    double hi;    /* largest true value the wording allows (a closed bound) */
    int approx;   /* 1 when the figure carries 多 or 余 */
    int chinese;  /* 1 when written in Chinese numerals ("一千多万"), 0 for Arabic */
    size_t len;   /* bytes of text the figure takes, 万/亿/多/余 included */
} tz_numword_figure;

/* Reads one figure at the start of s (n bytes; s need not be NUL-terminated):
 * Arabic digits (ASCII or full-width, optional thousands commas and decimals)
 * or Chinese numerals (零〇一二两三四五六七八九十百千), followed by optional
 * 多/余 and 万/亿 in either order ("30多万", "1万余", "万余", "一千多万",
 * "2.5万"). Stops before the unit. The range [lo, hi] is: for 多/余, from the
 * figure up to one step of its last non-zero digit ("30多" → [30, 40],
 * "15600多" → [15600, 15700], "万余" → [10000, 20000]); for an exact Arabic
 * figure, ± half a unit of its last written digit ("105" → [104.5, 105.5],
 * "1.2亿" → [1.15亿, 1.25亿]); for an exact Chinese figure, ± half a unit
 * of its last non-zero digit ("一千万" → [500万, 1500万]).
 * Returns the bytes consumed (fig->len), or 0 when no figure starts at s
 * (a lone 万 or 亿 not followed by 多/余, as in 万一, is not a figure). */
size_t tz_numword_parse(const char *s, size_t n, tz_numword_figure *fig);

/* Splits a unit into its scale and base unit: "万元" → 4 and "元",
 * "亿美元" → 8 and "美元", "个" → 0 and "个". *base points into unit.
 * Returns the decimal exponent of the scale (0, 4 or 8). unit may be NULL. */
int tz_numword_unit_scale(const char *unit, const char **base);

#endif
