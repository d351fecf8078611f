/* validate.c - field parsers and single-row checks: cell kinds, types,
 * ranges, enums (with the aliases of ledger/aliases.c), dates as people
 * write them, ID numbers, names resolved by the caller's resolver, and the
 * notes counted on the way. Header matching is ledger/header.c. */
#include "ledger/ledger_impl.h"
#include "io/reader.h"
#include "util/buf.h"
#include "util/cal.h"
#include "util/diag.h"
#include "util/num.h"
#include "util/path.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- text helpers ---------------------------------------------------- */

/* Length of leading whitespace at s: ASCII space/tab/CR/LF, U+3000, U+00A0. */
static size_t _ws_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
        return 1;
    if (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    if (u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    return 0;
}

/* Trimmed at either end of a cell besides whitespace: BOM and the
 * zero-width characters, which a clerk cannot see. */
static int _trim_invisible(long cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

/* Length of the whitespace or invisible character (_trim_invisible) ending
 * at s + n, or 0; for an invisible one, sets *inv to its code point. */
static size_t _ws_len_back(const char *s, size_t n, long *inv)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[n - 1] == ' ' || u[n - 1] == '\t' || u[n - 1] == '\r' || u[n - 1] == '\n')
        return 1;
    if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA0)
        return 2;
    if (n >= 3 && u[n - 3] == 0xE3 && u[n - 2] == 0x80 && u[n - 1] == 0x80)
        return 3;
    if (n >= 3) {
        long cp;
        if (tz_utf8_next(s + n - 3, &cp) == 3 && _trim_invisible(cp)) {
            *inv = cp;
            return 3;
        }
    }
    return 0;
}

/* Where s starts without whitespace, BOM or zero-width characters at
 * either end, its length so trimmed into *len; *inv (may be NULL) gets the
 * first invisible character trimmed, or 0. */
static const char *_trim_span(const char *s, size_t *len, long *inv)
{
    long first = 0;
    for (;;) {
        size_t k = _ws_len(s);
        long cp = 0;
        if (!k && *s && tz_utf8_next(s, &cp) == 3 && _trim_invisible(cp)) {
            k = 3;
            if (!first)
                first = cp;
        }
        if (!k)
            break;
        s += k;
    }
    size_t n = strlen(s), k;
    long cp = 0;
    while (n > 0 && (k = _ws_len_back(s, n, &cp)) > 0) {
        n -= k;
        if (cp && !first)
            first = cp;
    }
    if (inv)
        *inv = first;
    *len = n;
    return s;
}

/* Returns a trimmed copy of s; caller frees. */
static char *_trim_dup(const char *s)
{
    size_t n;
    const char *t = _trim_span(s, &n, NULL);
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, t, n);
        r[n] = '\0';
    }
    return r;
}

/* A cell's text, trimmed (_trim_span): s itself when only its start was
 * trimmed (most cells: no copy), else a copy into small (of smallsz
 * bytes) or, when longer, into *own (malloc'd; the caller frees it).
 * NULL when out of memory. */
static const char *_trimmed(const char *s, char *small, size_t smallsz, char **own, long *inv)
{
    size_t n;
    const char *t = _trim_span(s, &n, inv);
    if (!t[n])
        return t;
    char *to = n < smallsz ? small : (*own = malloc(n + 1));
    if (!to)
        return NULL;
    memcpy(to, t, n);
    to[n] = '\0';
    return to;
}

static int _all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') /* not isdigit: see _is_digit */
            return 0;
    return n > 0;
}

static int _valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2100 && tz_cal_valid(y, m, d);
}

/* Reads an unsigned decimal number of 1..maxd digits at *p; advances. */
static int _num(const char **p, int maxd, int *out)
{
    int v = 0, k = 0;
    while (isdigit((unsigned char)**p) && k < maxd) {
        v = v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    if (k == 0 || isdigit((unsigned char)**p))
        return -1;
    *out = v;
    return 0;
}

/* Consumes one of the separators; returns 0 when found. */
static int _sep(const char **p, const char *const *seps)
{
    for (int i = 0; seps[i]; i++) {
        size_t n = strlen(seps[i]);
        if (!strncmp(*p, seps[i], n)) {
            *p += n;
            return 0;
        }
    }
    return -1;
}

/* A number cell's text as a spreadsheet stores it ("3", "-1.5", "1E-4"):
 * decimal digits, sign, point and exponent only (never hex, inf or nan),
 * finite. */
static int _is_number_text(const char *s, double *v)
{
    if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
        return 0;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(*v);
}

/* ---- field parsers --------------------------------------------------- */

static int _ascii_number(const char *s, char *out, size_t outsz);

/* Why a date or month with a two-digit year is refused. */
#define TWO_DIGIT_YEAR "年份只写了两位,无法确定是哪一年;请写四位年份,如2018-01-12"

/* Reads "YYYYMMDD" (8 digits; digits 6: "YYYYMM" when d is NULL) from
 * text s, ASCII or full-width digits. Returns 1 with the parts set, 0 when
 * s is not such a run of digits. */
static int _compact_date(const char *s, size_t ndig, int *y, int *m, int *d)
{
    char ascii[32];
    if (_ascii_number(s, ascii, sizeof ascii) || strlen(ascii) != ndig || !_all_digits(ascii, ndig))
        return 0;
    *y = (int)tz_num_digits(ascii, 4);
    *m = (int)tz_num_digits(ascii + 4, 2);
    if (d)
        *d = (int)tz_num_digits(ascii + 6, 2);
    return 1;
}

/* A number cell holding a date typed as digits (20190601, or 201906 for a
 * month): never an Excel serial, whose dates end at 2958465 (9999-12-31).
 * Returns 1 with the digits in out (NUL-terminated), else 0. */
static int _number_digits(double v, size_t ndig, char *out, size_t outsz)
{
    double lo = ndig == 8 ? 19000101 : 190001, hi = ndig == 8 ? 21001231 : 210012;
    if (v != floor(v) || v < lo || v > hi)
        return 0;
    snprintf(out, outsz, "%.0f", v);
    return strlen(out) == ndig;
}

static void _write_ymd(char out[11], int y, int m, int d)
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

int tz_parse_date(const char *s, int numeric, int date1904, char out[11], const char **why)
{
    static const char *const dash[] = {"-", "/", ".", "年", NULL};
    static const char *const dash2[] = {"-", "/", ".", "月", NULL};
    int y, m, d;
    double serial;
    char digits[16];
    if (numeric && _is_number_text(s, &serial)) {
        if (_number_digits(serial, 8, digits, sizeof digits))
            return tz_parse_date(digits, 0, 0, out, why);
        if (tz_cal_from_serial(serial, date1904, &y, &m, &d)) {
            *why = "不是有效的Excel日期";
            return -1;
        }
        _write_ymd(out, y, m, d);
        return 0;
    }
    const char *p = s;
    int compact = _compact_date(s, 8, &y, &m, &d);
    if (!compact) {
        if (_num(&p, 4, &y))
            goto bad;
        size_t ydig = (size_t)(p - s);
        if (_sep(&p, dash) || _num(&p, 2, &m) || _sep(&p, dash2) || _num(&p, 2, &d))
            goto bad;
        if (!strncmp(p, "日", 3))
            p += 3;
        /* allow a trailing midnight time as Excel text exports it */
        if (*p == ' ' || *p == 'T') {
            const char *t = p + 1;
            if (!strcmp(t, "00:00:00") || !strcmp(t, "00:00") || !strcmp(t, "0:00:00"))
                p = t + strlen(t);
        }
        if (*p != '\0')
            goto bad;
        if (ydig <= 2) {
            *why = TWO_DIGIT_YEAR;
            return -1;
        }
    }
    if (!_valid_ymd(y, m, d)) {
        *why = "不是有效的日期";
        return -1;
    }
    _write_ymd(out, y, m, d);
    return 0;
bad:
    *why = "日期格式应为YYYY-MM-DD(也可写作2019/6/1、2019年6月1日或20190601)";
    return -1;
}

/* "2019年6月" (a month where a date is asked): the first of that month.
 * Returns 0 with out set, -1 when s is not that. */
static int _month_as_date(const char *s, char out[11])
{
    const char *p = s;
    int y, m;
    if (_num(&p, 4, &y) || p - s != 4 || strncmp(p, "年", 3) != 0)
        return -1;
    p += 3;
    if (_num(&p, 2, &m) || strcmp(p, "月") != 0 || !_valid_ymd(y, m, 1))
        return -1;
    _write_ymd(out, y, m, 1);
    return 0;
}

int tz_parse_month(const char *s, int numeric, int date1904, char out[8], const char **why)
{
    static const char *const dash[] = {"-", "/", ".", "年", NULL};
    int y, m;
    double serial;
    char digits[16];
    if (numeric && _is_number_text(s, &serial)) {
        if (_number_digits(serial, 6, digits, sizeof digits))
            return tz_parse_month(digits, 0, 0, out, why);
        int d;
        if (tz_cal_from_serial(serial, date1904, &y, &m, &d)) {
            *why = "不是有效的Excel日期";
            return -1;
        }
        snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
        return 0;
    }
    const char *p = s;
    if (!_compact_date(s, 6, &y, &m, NULL)) {
        if (_num(&p, 4, &y))
            goto bad;
        size_t ydig = (size_t)(p - s);
        if (_sep(&p, dash) || _num(&p, 2, &m))
            goto bad;
        if (!strncmp(p, "月", 3))
            p += 3;
        if (*p == '-' || *p == '/') { /* a full date on the 1st, as Excel turns 2015-07 into */
            int d;
            p++;
            if (_num(&p, 2, &d) || d != 1 || *p)
                goto bad;
        }
        if (*p != '\0')
            goto bad;
        if (ydig <= 2) {
            *why = TWO_DIGIT_YEAR;
            return -1;
        }
    }
    if (y < 1900 || y > 2100 || m < 1 || m > 12) {
        *why = "不是有效的月份";
        return -1;
    }
    snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
    return 0;
bad:
    *why = "月份格式应为YYYY-MM";
    return -1;
}

int tz_parse_region(const char *s, char out[13], const char **why)
{
    size_t n = strlen(s);
    if (!_all_digits(s, n)) {
        *why = "区划代码只能由数字组成";
        return -1;
    }
    if (n != 6 && n != 9 && n != 12) {
        *why = "区划代码应为12位(6位或9位自动补零)";
        return -1;
    }
    memcpy(out, s, n);
    memset(out + n, '0', 12 - n);
    out[12] = '\0';
    return 0;
}

void tz_idcard_mask(const char *s, char *out, size_t outsz)
{
    if (!outsz)
        return;
    size_t n = 0, k = 0;
    int ascii = 1;
    for (; s[n]; n++) /* strlen, read so that the analyser sees the end */
        if ((unsigned char)s[n] >= 0x80)
            ascii = 0;
    for (size_t i = 0; i < n && k + 1 < outsz; i++) {
        int keep = ascii && n >= 11 && (i < 6 || i >= n - 4);
        char c = '*';
        if (keep)
            c = s[i];
        out[k++] = c;
        if (!ascii && k >= 18)
            break;
    }
    out[k] = 0;
}

char tz_idcard_check(const char *s17)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s17[i] - '0') * w[i];
    return "10X98765432"[sum % 11];
}

int tz_parse_idcard(const char *s, char out[19], const char **why)
{
    if (strlen(s) != 18) {
        *why = "身份证号应为18位";
        return -1;
    }
    if (!_all_digits(s, 17) || !(isdigit((unsigned char)s[17]) || s[17] == 'X' || s[17] == 'x')) {
        *why = "身份证号前17位应为数字,末位为数字或X";
        return -1;
    }
    int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    int m = (s[10] - '0') * 10 + (s[11] - '0');
    int d = (s[12] - '0') * 10 + (s[13] - '0');
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    if (!_valid_ymd(y, m, d) || y > tmv.tm_year + 1900) {
        *why = "出生日期无效";
        return -1;
    }
    char c = (char)toupper((unsigned char)s[17]);
    if (tz_idcard_check(s) != c) {
        *why = "校验码错误";
        return -1;
    }
    memcpy(out, s, 17);
    out[17] = c;
    out[18] = '\0';
    return 0;
}

/* Reads s as ASCII, full-width digits, signs (and U+2212), point and comma
 * turned into their ASCII forms, into out (NUL-terminated). Characters
 * outside ASCII stay as one '\x01' each, so that the grammar refuses them.
 * Returns -1 when out is too small. */
static int _ascii_number(const char *s, char *out, size_t outsz)
{
    size_t k = 0;
    while (*s) {
        long cp;
        size_t step = tz_utf8_next(s, &cp);
        char c = '\x01';
        if (cp >= 0 && cp < 0x80)
            c = (char)cp;
        else if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width digits */
            c = (char)('0' + (cp - 0xFF10));
        else if (cp >= 0xFF0B && cp <= 0xFF0E) /* full-width + , - . */
            c = "+,-."[cp - 0xFF0B];
        else if (cp == 0x2212) /* minus sign */
            c = '-';
        if (k + 1 >= outsz)
            return -1;
        out[k++] = c;
        s += step;
    }
    out[k] = '\0';
    return 0;
}

/* 1 for an ASCII digit. isdigit says the same, but through a locale table
 * the analyser cannot read, so that it takes '\0' for a digit. */
static int _is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The number grammar of tz_parse_decimal on normalised ASCII text. Writes
 * the plain form (sign, digits, point, digits) into out and sets *point when
 * a decimal point was given. */
static int _number_grammar(const char *s, char *out, size_t outsz, int *point, const char **why)
{
    const char *p = s;
    size_t k = 0, ndig = 0;
    *point = 0;
    if (*p == '+' || *p == '-') {
        if (*p == '-')
            out[k++] = '-';
        p++;
        if (!*p) {
            *why = "正负号后面没有数字";
            return -1;
        }
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        *why = "不接受十六进制写法(如0x1F),请写成普通数字";
        return -1;
    }
    /* integer part: plain digits, or 1-3 digits then groups of ",ddd" */
    size_t lead = strspn(p, "0123456789");
    if (p[lead] == ',') {
        if (lead == 0 || lead > 3 || (p[0] == '0')) {
            *why = "千位分隔符位置不对(应每三位一个,如12,345.6)";
            return -1;
        }
    }
    while (_is_digit(*p) || *p == ',') {
        if (*p == ',') {
            if (strspn(p + 1, "0123456789") != 3) {
                *why = "千位分隔符位置不对(应每三位一个,如12,345.6)";
                return -1;
            }
            p++;
            continue;
        }
        if (k + 2 >= outsz) {
            *why = "数字位数过多";
            return -1;
        }
        out[k++] = *p++;
        ndig++;
    }
    if (*p == '.') {
        *point = 1;
        p++;
        if (!_is_digit(*p)) {
            *why = ndig ? "小数点后面没有数字" : "不是有效的数字";
            return -1;
        }
        out[k++] = '.';
        while (_is_digit(*p)) {
            if (k + 1 >= outsz) {
                *why = "数字位数过多";
                return -1;
            }
            out[k++] = *p++;
            ndig++;
        }
    }
    out[k] = '\0';
    if (*p == '\0' && ndig > 30) {
        *why = "数字位数过多";
        return -1;
    }
    if (*p == '\0' && ndig > 0)
        return 0;
    if (ndig > 0 && (*p == 'e' || *p == 'E'))
        *why = "不接受科学计数法(如3e0),请写成普通数字";
    else if (*p == '.')
        *why = "小数点多于一个";
    else if (*p == ',')
        *why = "逗号不能出现在小数部分";
    else if (ndig == 0 && (!strncasecmp(p, "inf", 3) || !strncasecmp(p, "nan", 3)))
        *why = "不是数字(不接受inf、nan等写法)";
    else if (ndig == 0)
        *why = "不是有效的数字";
    else
        *why = "数字前后有多余的字符(只能写数字、正负号、一个小数点和千位分隔符)";
    return -1;
}

/* Parses a number: a number cell's text (numeric) as the spreadsheet wrote
 * it, or typed text by the grammar of tz_parse_decimal. *point: the text
 * had a decimal point (typed) or a fraction (number cell). */
/* 1 when s is a plain ASCII decimal: digits, then at most one '.' with
 * digits after it (no sign, no grouping); *ni the digits before the point,
 * *nf those after it (-1 without a point). The number grammar takes such
 * text as it is. */
static int _plain_number(const char *s, int *ni, int *nf)
{
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    *ni = (int)(p - s);
    *nf = -1;
    if (*p == '.') {
        const char *f = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        *nf = (int)(p - f);
        if (!*nf)
            return 0;
    }
    return *ni > 0 && !*p;
}

/* The text tz_fmt_decimal(v, 6) gives for the value of plain number s
 * (_plain_number: ni, nf) is s's first n bytes, without formatting, when
 * the double is exact to far less than 10^-6 (integers of up to 15
 * digits; up to 9 digits with at most 6 after the point) and s has no
 * leading zero. Returns that n, or 0 when that does not hold (the caller
 * formats then). */
static size_t _plain_decimal_len(const char *s, int ni, int nf)
{
    if ((ni > 1 && s[0] == '0') || (nf < 0 ? ni > 15 : ni > 9 || nf > 6))
        return 0;
    size_t n = strlen(s);
    if (nf > 0) {
        while (s[n - 1] == '0')
            n--;
        if (s[n - 1] == '.')
            n--;
    }
    return n;
}

static int _parse_number(const char *s, int numeric, double *out, int *point, const char **why)
{
    int ni, nf;
    if (!numeric && _plain_number(s, &ni, &nf) && ni + (nf > 0 ? nf : 0) <= 30) {
        /* digits and a point (most cells): the grammar below would keep
         * them as they are */
        *out = strtod(s, NULL);
        *point = nf >= 0;
        return 0;
    }
    if (numeric) {
        if (!_is_number_text(s, out)) {
            *why = "不是有效的数字";
            return -1;
        }
        *point = *out != floor(*out);
        return 0;
    }
    size_t n = strlen(s) + 2; /* normalising never lengthens the text */
    char *ascii = malloc(n), *plain = malloc(n);
    int rc = -1;
    if (!ascii || !plain) {
        *why = "内存不足";
        goto done;
    }
    if (_ascii_number(s, ascii, n)) {
        *why = "数字位数过多";
        goto done;
    }
    if (_number_grammar(ascii, plain, n, point, why))
        goto done;
    errno = 0;
    char *end;
    double v = strtod(plain, &end);
    if (*end || errno || !isfinite(v)) {
        *why = "数字超出范围";
        goto done;
    }
    *out = v == 0 ? 0 : v; /* no -0 */
    rc = 0;
done:
    free(ascii);
    free(plain);
    return rc;
}

int tz_parse_decimal(const char *s, double *out, const char **why)
{
    int point;
    return _parse_number(s, 0, out, &point, why);
}

/* Integer from a parsed number; numeric cells may carry an integral value
 * with a fraction of zero ("3.0" as a file stores it). */
static int _to_int(double v, int point, int numeric, long long *out, const char **why)
{
    if ((point && !numeric) || v != floor(v)) {
        *why = "应为整数,不能有小数";
        return -1;
    }
    if (fabs(v) > 9e15) {
        *why = "数值过大";
        return -1;
    }
    *out = (long long)v;
    return 0;
}

int tz_parse_int(const char *s, long long *out, const char **why)
{
    double v;
    int point;
    if (_parse_number(s, 0, &v, &point, why))
        return -1;
    return _to_int(v, point, 0, out, why);
}

/* ---- row validation --------------------------------------------------- */

void tz_value_unset(tz_value *v)
{
    if (!v->lent)
        free(v->text);
    v->text = NULL;
    v->lent = 0;
    v->null = 1;
}

void tz_values_clear(tz_value *vals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        tz_value_unset(&vals[i]);
}

/* Evaluates a condition "列名=值1|值2" against the row's canonical values. */
static int _cond_holds(const tz_ledger *l, const tz_value *vals, const char *cond)
{
    const char *eq = strchr(cond, '=');
    if (!eq)
        return 0;
    char col[64];
    size_t n = (size_t)(eq - cond);
    if (n >= sizeof col)
        return 0;
    memcpy(col, cond, n);
    col[n] = '\0';
    int c = tz_ledger_col(l, col);
    if (c < 0 || vals[c].null || !vals[c].text)
        return 0;
    const char *p = eq + 1;
    size_t vlen = strlen(vals[c].text);
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t k = bar ? (size_t)(bar - p) : strlen(p);
        if (k == vlen && !strncmp(p, vals[c].text, k))
            return 1;
        p += k + (bar ? 1 : 0);
    }
    return 0;
}

/* Writes "层级为村" style wording of a condition into buf. */
static void _cond_words(const char *cond, char *buf, size_t sz)
{
    const char *eq = strchr(cond, '=');
    if (!eq) {
        snprintf(buf, sz, "%s", cond);
        return;
    }
    tz_buf b = TZ_BUF_INIT;
    tz_buf_add(&b, cond, (size_t)(eq - cond));
    tz_buf_puts(&b, "为");
    for (const char *p = eq + 1; *p; p++) {
        if (*p == '|')
            tz_buf_puts(&b, "或");
        else
            tz_buf_putc(&b, *p);
    }
    snprintf(buf, sz, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
}

/* Size of a buffer for a reason that names a value (a range, a character). */
#define WHY_SZ 256

/* Checks v against the column's range; writes the reason into whybuf. */
static int _check_range(const tz_column *c, double v, char whybuf[WHY_SZ], const char **why)
{
    if (c->min == 0 && c->max == 0)
        return 0;
    if (v >= c->min && v <= c->max)
        return 0;
    char lo[40], hi[40];
    tz_fmt_decimal(c->min, 6, lo, sizeof lo);
    tz_fmt_decimal(c->max, 6, hi, sizeof hi);
    if (v < 0 && c->min >= 0)
        snprintf(whybuf, WHY_SZ, "不能为负数(应为%s至%s)", lo, hi);
    else if (v < c->min)
        snprintf(whybuf, WHY_SZ, "不能小于%s(应为%s至%s)", lo, lo, hi);
    else
        snprintf(whybuf, WHY_SZ, "超出合理范围(应为%s至%s)", lo, hi);
    *why = whybuf;
    return -1;
}

/* 1 for a column whose values identify or classify (keys, unique columns,
 * references, codes, numbers, dates, enums, lists), 0 for free text. */
static int _is_identifier(const tz_column *c)
{
    return c->type != TZ_COL_TEXT || (c->flags & (TZ_F_KEY | TZ_F_UNIQUE)) || c->ref;
}

/* The first control or invisible character in s, or 0. */
static long _first_hidden(const char *s)
{
    while (*s) {
        if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7F) {
            s++; /* printable ASCII */
            continue;
        }
        long cp;
        size_t k = tz_utf8_next(s, &cp);
        if (cp >= 0 && tz_char_hidden(cp))
            return cp;
        s += k;
    }
    return 0;
}

/* Replaces, in free text, control characters and bidirectional controls:
 * TAB, LF, VT, FF, CR (a CR LF pair once) and the line/paragraph separators
 * by a space, the others by U+FFFD. Zero-width characters inside text are
 * kept (a zero-width joiner belongs to some characters). Returns a new
 * string (caller frees) or NULL on OOM; *n gets the number replaced and
 * *first the first one's code point. */
static char *_replace_controls(const char *s, int *n, long *first)
{
    tz_buf b = TZ_BUF_INIT;
    *n = 0;
    *first = 0;
    while (*s) {
        long cp;
        size_t k = tz_utf8_next(s, &cp);
        int ctl = cp >= 0 && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                              cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
                              (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C);
        if (!ctl) {
            tz_buf_add(&b, s, k);
        } else {
            if (!*first)
                *first = cp;
            (*n)++;
            if (cp == '\r' && s[1] == '\n')
                k = 2;
            if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x2028 || cp == 0x2029)
                tz_buf_putc(&b, ' ');
            else
                tz_buf_puts(&b, "\xEF\xBF\xBD");
        }
        s += k;
    }
    return tz_buf_take(&b);
}

/* Where the notes of one cell go (tz_header_map's notes), who they name,
 * and where its text goes. NULL where a value is parsed outside a file
 * (tz_value_parse). */
typedef struct _cellctx {
    const tz_header_map *m; /* notes and resolver */
    int col;                /* ledger column index */
    long rowno;             /* file row */
    int oom;                /* 1 when a note could not be counted */
    tz_arena *texts;        /* the values' texts (tz_row_validate_in), or NULL: malloc */
} _cellctx;

/* Sets v's text to a copy of the n bytes at s: in the caller's arena (lent)
 * or malloc'd. Returns 0, or -1 with *why when memory ran out. */
static int _set_text(_cellctx *x, tz_value *v, const char *s, size_t n, const char **why)
{
    if (x && x->texts) {
        v->text = tz_arena_dup(x->texts, s, n);
        v->lent = 1;
    } else if ((v->text = malloc(n + 1))) {
        memcpy(v->text, s, n);
        v->text[n] = '\0';
    }
    return v->text ? 0 : (*why = "内存不足", -1);
}

/* The typed parsers of _parse_cell: each reads one trimmed, non-empty cell
 * of column c into *v and returns 0, or -1 with the reason in *why (a
 * reason naming a value is written into whybuf). numeric: the file stored
 * a number. */

static int _parse_int(const tz_column *c, const char *raw, int numeric, tz_value *v, _cellctx *x,
                      const char **why, char whybuf[WHY_SZ])
{
    double dv;
    int point;
    if (_parse_number(raw, numeric, &dv, &point, why))
        return -1;
    if (_to_int(dv, point, numeric, &v->i, why) || _check_range(c, dv, whybuf, why))
        return -1;
    if (v->i < 0) {
        *why = "不能为负数";
        return -1;
    }
    if ((c->flags & TZ_F_POSITIVE) && v->i < 1) {
        *why = "至少为1";
        return -1;
    }
    v->d = (double)v->i;
    char tmp[TZ_NUM_TEXT];
    const char *t = tz_num_text(v->i, tmp);
    return _set_text(x, v, t, (size_t)(tmp + TZ_NUM_TEXT - 1 - t), why);
}

static int _parse_decimal(const tz_column *c, const char *raw, int numeric, tz_value *v,
                          _cellctx *x, const char **why, char whybuf[WHY_SZ])
{
    int point;
    if (_parse_number(raw, numeric, &v->d, &point, why))
        return -1;
    if (_check_range(c, v->d, whybuf, why))
        return -1;
    if (v->d < 0) {
        *why = "金额和数量不能为负数";
        return -1;
    }
    int ni, nf;
    size_t n;
    if (_plain_number(raw, &ni, &nf) && (n = _plain_decimal_len(raw, ni, nf)))
        return _set_text(x, v, raw, n, why);
    char num[64];
    const char *t = tz_fmt_decimal(v->d, 6, num, sizeof num);
    return _set_text(x, v, t, strlen(t), why);
}

/* A year number (2019, 2019年, full-width digits), or a number cell. */
static int _parse_year(const tz_column *c, const char *raw, int numeric, tz_value *v, _cellctx *x,
                       const char **why, char whybuf[WHY_SZ])
{
    size_t n = strlen(raw);
    double dv;
    if (n == 4 && _all_digits(raw, 4)) {
        dv = tz_num_digits(raw, 4); /* 2019: most cells */
    } else if (numeric && _is_number_text(raw, &dv)) {
        if (dv != floor(dv)) {
            *why = "年度应为四位数字,如2019";
            return -1;
        }
    } else {
        if (n >= 3 + 1 && !strcmp(raw + n - 3, "年"))
            n -= 3;
        char y[32];
        if (n >= sizeof y) {
            *why = "年度应为四位数字,如2019";
            return -1;
        }
        memcpy(y, raw, n);
        y[n] = '\0';
        char ascii[32];
        if (_ascii_number(y, ascii, sizeof ascii) || strlen(ascii) != 4 || !_all_digits(ascii, 4)) {
            *why = "年度应为四位数字,如2019";
            return -1;
        }
        dv = tz_num_digits(ascii, 4);
    }
    double lo = c->min || c->max ? c->min : 1949, hi = c->min || c->max ? c->max : 2100;
    if (dv < lo || dv > hi) {
        snprintf(whybuf, WHY_SZ, "年度超出范围(%.0f-%.0f)", lo, hi);
        *why = whybuf;
        return -1;
    }
    v->i = (long long)dv;
    v->d = dv;
    char tmp[TZ_NUM_TEXT];
    const char *t = tz_num_text(v->i, tmp);
    return _set_text(x, v, t, (size_t)(tmp + TZ_NUM_TEXT - 1 - t), why);
}

/* Counts one note of the cell, when the caller keeps notes. */
static void _note(_cellctx *x, tz_note_kind kind, const char *from, const char *to)
{
    if (x && x->m && x->m->notes && tz_notes_add(x->m->notes, kind, x->col, from, to, x->rowno))
        x->oom = 1;
}

/* Why a number cell cannot hold an ID number (issue 10). */
#define ID_NUMBER_CELL                                                                                                                    \
    "该列在Excel中是数字格式,身份证号只保留了15位有效数字,后3位已丢失;请将该列设为文本格式后重新" \
    "填写"

/* One value of an enum, 是/否 or list column: as written, its NFKC form,
 * or the standard value of an alias (data/value_aliases.tsv, counted as a
 * note). Writes the accepted value into out. Returns 0, or -1 with *why
 * (the caller adds the allowed values). */
static int _choice_value(const tz_column *c, const char *raw, char *out, size_t outsz, _cellctx *x,
                         const char **why)
{
    if (tzl_choice_ok(c, raw)) {
        snprintf(out, outsz, "%s", raw);
        return 0;
    }
    char *n = tzl_nfkc_trim(raw);
    int rc = -1;
    *why = c->type == TZ_COL_BOOL ? "应填\"是\"或\"否\"" : "不是允许的取值";
    if (n && tzl_choice_ok(c, n)) {
        snprintf(out, outsz, "%s", n);
        rc = 0;
    } else if (n && strlen(n) < outsz) {
        int a = tzl_alias(c, n, out, outsz, why);
        if (a == 0)
            _note(x, TZ_NOTE_ALIAS, raw, out);
        rc = a == 0 ? 0 : -1;
    }
    free(n);
    return rc;
}

/* An enum or 是/否 cell (v->i: the choice's index; 是 1, 否 0). */
static int _parse_choice(const tz_column *c, const char *raw, tz_value *v, _cellctx *x,
                         const char **why)
{
    /* a cell written as one of the choices (the usual case) is taken as
     * it is: no normal form, no copy through a buffer */
    char val[256];
    const char *t = raw;
    if (!tzl_choice_ok(c, raw)) {
        if (_choice_value(c, raw, val, sizeof val, x, why))
            return -1;
        t = val;
    }
    v->i = c->type == TZ_COL_BOOL ? !strcmp(t, "是") : 0;
    for (int i = 0; c->type == TZ_COL_ENUM && c->choices && c->choices[i]; i++)
        if (!strcmp(c->choices[i], t)) {
            v->i = i;
            break;
        }
    return _set_text(x, v, t, strlen(t), why);
}

/* One element of a list, trimmed and, when the column lists its choices,
 * one of them (through an alias too). Appends it to b. */
static int _list_item(const tz_column *c, const char *p, size_t k, tz_buf *b, _cellctx *x,
                      const char **why, char whybuf[WHY_SZ])
{
    char *part = malloc(k + 1);
    if (!part) {
        *why = "内存不足";
        return -1;
    }
    memcpy(part, p, k);
    part[k] = '\0';
    char *t = _trim_dup(part);
    free(part);
    int rc = -1;
    char val[256];
    if (!t || !*t) {
        *why = "多个值之间用、分隔,不能有空项";
    } else if (c->choices && _choice_value(c, t, val, sizeof val, x, why)) {
        snprintf(whybuf, WHY_SZ, "“%.60s”不是允许的取值", t);
        *why = whybuf;
    } else {
        if (b->len)
            tz_buf_puts(b, "、");
        tz_buf_puts(b, c->choices ? val : t);
        rc = 0;
    }
    free(t);
    return rc;
}

/* Several values joined with 、, each trimmed, none empty. */
static int _parse_list(const tz_column *c, const char *raw, tz_value *v, _cellctx *x,
                       const char **why, char whybuf[WHY_SZ])
{
    tz_buf b = TZ_BUF_INIT;
    const char *p = raw;
    while (*p) {
        const char *sep = strstr(p, "、");
        size_t k = sep ? (size_t)(sep - p) : strlen(p);
        if (_list_item(c, p, k, &b, x, why, whybuf)) {
            tz_buf_free(&b);
            return -1;
        }
        p += k + (sep ? strlen("、") : 0);
        if (sep && !*p) {
            tz_buf_free(&b);
            *why = "多个值之间用、分隔,不能有空项";
            return -1;
        }
    }
    if (b.len > 1000) {
        tz_buf_free(&b);
        *why = "内容过长(超过1000字节)";
        return -1;
    }
    int rc = _set_text(x, v, tz_buf_str(&b), b.len, why);
    tz_buf_free(&b);
    return rc;
}

/* The date, month, code and ID columns of _parse_cell. */
static int _parse_dated(const tz_column *c, const char *raw, int numeric, int date1904, tz_value *v,
                        _cellctx *x, const char **why)
{
    char tmp[20], ascii[32];
    switch (c->type) {
    case TZ_COL_DATE:
        if (tz_parse_date(raw, numeric, date1904, tmp, why)) {
            if (numeric || _month_as_date(raw, tmp))
                return -1;
            _note(x, TZ_NOTE_MONTH_DAY, raw, tmp);
        }
        break;
    case TZ_COL_MONTH:
        if (tz_parse_month(raw, numeric, date1904, tmp, why))
            return -1;
        break;
    case TZ_COL_REGION:
        /* full-width digits are the same code */
        if (!_ascii_number(raw, ascii, sizeof ascii) && _all_digits(ascii, strlen(ascii)))
            raw = ascii;
        if (tz_parse_region(raw, tmp, why))
            return -1;
        break;
    default: /* TZ_COL_IDCARD */
        if (numeric) {
            *why = ID_NUMBER_CELL;
            return -1;
        }
        if (tz_parse_idcard(raw, tmp, why))
            return -1;
        break;
    }
    return _set_text(x, v, tmp, strlen(tmp), why);
}

/* Parses one trimmed, non-empty cell. numeric: the file stored a number.
 * A reason naming a value is written into whybuf; notes go to x (may be
 * NULL). */
static int _parse_cell(const tz_column *c, const char *raw, int numeric, int date1904, tz_value *v,
                       _cellctx *x, const char **why, char whybuf[WHY_SZ])
{
    v->null = 0;
    if (_is_identifier(c)) {
        long cp = _first_hidden(raw);
        if (cp) {
            snprintf(whybuf, WHY_SZ, "含有不可见字符(U+%04lX),请删除后再导入", (unsigned long)cp);
            *why = whybuf;
            return -1;
        }
    }
    switch (c->type) {
    case TZ_COL_TEXT:
        if (strlen(raw) > 1000) {
            *why = "内容过长(超过1000字节)";
            return -1;
        }
        return _set_text(x, v, raw, strlen(raw), why);
    case TZ_COL_INT:
        return _parse_int(c, raw, numeric, v, x, why, whybuf);
    case TZ_COL_DECIMAL:
        return _parse_decimal(c, raw, numeric, v, x, why, whybuf);
    case TZ_COL_BOOL:
    case TZ_COL_ENUM:
        return _parse_choice(c, raw, v, x, why);
    case TZ_COL_DATE:
    case TZ_COL_MONTH:
    case TZ_COL_REGION:
    case TZ_COL_IDCARD:
        return _parse_dated(c, raw, numeric, date1904, v, x, why);
    case TZ_COL_YEAR:
        return _parse_year(c, raw, numeric, v, x, why, whybuf);
    case TZ_COL_LIST:
        return _parse_list(c, raw, v, x, why, whybuf);
    }
    *why = "未知类型";
    return -1;
}

int tz_value_parse(const tz_column *c, const char *raw, int numeric, tz_value *out,
                   const char **why)
{
    static _Thread_local char whybuf[WHY_SZ];
    memset(out, 0, sizeof *out);
    out->null = 1;
    char *t = _trim_dup(raw ? raw : "");
    if (!t) {
        *why = "内存不足";
        return -1;
    }
    int rc = 0;
    if (*t) {
        rc = _parse_cell(c, t, numeric, 0, out, NULL, why, whybuf);
        if (rc)
            tz_value_unset(out);
    }
    free(t);
    return rc;
}

static void _choices_words(const tz_column *c, char *buf, size_t sz)
{
    tz_buf b = TZ_BUF_INIT;
    for (int i = 0; c->choices && c->choices[i]; i++)
        tz_buf_printf(&b, "%s%s", i ? "/" : "", c->choices[i]);
    snprintf(buf, sz, "%s", tz_buf_str(&b));
    tz_buf_free(&b);
}

static int _cmp_values(const tz_column *c, const tz_value *a, const tz_value *b)
{
    if (c->type == TZ_COL_DECIMAL || c->type == TZ_COL_INT || c->type == TZ_COL_YEAR)
        return (a->d > b->d) - (a->d < b->d);
    return strcmp(a->text, b->text);
}

/* Significant digits of a 统计用区划代码 at each level (省 2 ... 村 12). */
static const int _sig_digits[] = {2, 4, 6, 9, 12};

/* In a ledger with a parent column (regions): the code must end in zeros
 * past its level's digits, and start with its parent's digits, because every
 * roll-up selects a region's descendants by code range. */
static int _check_region_code(const tz_ledger *l, const tz_value *vals, const char *file,
                              long rowno, tz_diags *d)
{
    int pc = -1, lc = -1, kc = -1;
    for (size_t i = 0; i < l->ncols; i++) {
        if (l->cols[i].flags & TZ_F_PARENT)
            pc = (int)i;
        if ((l->cols[i].flags & TZ_F_KEY) && l->cols[i].type == TZ_COL_REGION && kc < 0)
            kc = (int)i;
    }
    if (pc >= 0)
        lc = tz_ledger_col(l, "level");
    if (pc < 0 || lc < 0 || kc < 0 || vals[lc].null || vals[kc].null)
        return 0;
    tz_level lv = tz_level_parse(vals[lc].text);
    if (lv == TZ_LEVEL_NONE)
        return 0;
    const char *code = vals[kc].text;
    int sig = _sig_digits[lv], nerr = 0;
    for (int i = sig; i < 12; i++) {
        if (code[i] != '0') {
            tz_diags_error(d, file, rowno, l->cols[kc].name, code,
                           "与层级不符:%s级区划代码第%d位以后应全为0", tz_level_word(lv), sig + 1);
            nerr++;
            break;
        }
    }
    if (lv > TZ_LEVEL_PROVINCE && !vals[pc].null) {
        int psig = _sig_digits[lv - 1];
        if (strncmp(code, vals[pc].text, (size_t)psig) != 0) {
            tz_diags_error(d, file, rowno, l->cols[pc].name, vals[pc].text,
                           "与区划代码%s不一致:%s级代码的前%d位应与上级代码相同", code,
                           tz_level_word(lv), psig);
            nerr++;
        }
    }
    return nerr;
}

/* Excel's error values; a cell showing one is an error in every column,
 * whether the file stored it as an error (xlsx t="e") or as text. */
static const char *const _excel_errors[] = {"#N/A",      "#REF!",  "#VALUE!",   "#DIV/0!",
                                            "#NAME?",    "#NULL!", "#NUM!",     "#GETTING_DATA",
                                            "#SPILL!",   "#CALC!", "#FIELD!",   "#BLOCKED!",
                                            "#CONNECT!", "#BUSY!", "#UNKNOWN!", NULL};

static int _is_excel_error(const char *t)
{
    if (*t != '#')
        return 0; /* every one begins with # (most cells: one test) */
    for (int i = 0; _excel_errors[i]; i++)
        if (!strcasecmp(t, _excel_errors[i]))
            return 1;
    return 0;
}

unsigned tz_row_flags(const char *path, int date1904)
{
    unsigned f = date1904 ? TZ_ROW_DATE1904 : 0;
    /* the reader's own test (io/reader.c), so the flag names its format */
    if (path && tz_path_has_ext(tz_path_base(path), ".csv"))
        f |= TZ_ROW_CSV;
    return f;
}

/* What the file stored, before looking at the text: a formula without a
 * result, or an Excel error value, is refused. Returns 1 with the error
 * added to d, else 0. */
static int _stored_kind_error(const tz_column *c, const char *raw, int kind, const char *file,
                              long rowno, tz_diags *d)
{
    if (kind == TZ_CELL_NOVALUE) {
        tz_diags_error(d, file, rowno, c->name, NULL,
                       "公式没有计算结果,请在Excel或WPS中打开并保存后再导入");
        return 1;
    }
    if (kind == TZ_CELL_ERROR) {
        if (raw && _is_excel_error(raw))
            tz_diags_error(d, file, rowno, c->name, NULL, "单元格是Excel错误值%s,请改正后再导入",
                           raw);
        else
            tz_diags_error(d, file, rowno, c->name, raw, "单元格是Excel错误值,请改正后再导入");
        return 1;
    }
    return 0;
}

/* '= '+ '- '@ is how a CSV export keeps a formula-looking text from being
 * run by Excel: the apostrophe is not part of the value. Call it for CSV
 * files only (TZ_ROW_CSV); in a spreadsheet the apostrophe is what the
 * clerk typed. Takes the trimmed text t of a cell of column c and returns
 * it, or where it starts without the apostrophe and the whitespace after
 * it (its end was trimmed already: what follows the apostrophe is not
 * all whitespace, or t would have ended there). */
static const char *_drop_csv_guard(const tz_column *c, const char *t)
{
    if ((c->type != TZ_COL_TEXT && c->type != TZ_COL_LIST) || t[0] != '\'' || !t[1] ||
        !strchr("=+-@\t\r", t[1]))
        return t;
    size_t n;
    return _trim_span(t + 1, &n, NULL);
}

/* Asks the caller's resolver (m->resolve) about a name written where
 * column ci takes a region code (a value that is not all digits) or
 * another ledger's key (any value). Returns 0 with *t replaced by the
 * answer (counted as a note) or kept, or -1 with the error added. */
static int _resolve_name(const tz_ledger *l, int ci, _cellctx *x, const char **t, char **own,
                         const char *file, long rowno, tz_diags *d)
{
    const tz_column *c = &l->cols[ci];
    const tz_header_map *m = x->m;
    if (!m || !m->resolve)
        return 0;
    if (c->type == TZ_COL_REGION) {
        char ascii[64];
        if (!_ascii_number(*t, ascii, sizeof ascii) && _all_digits(ascii, strlen(ascii)))
            return 0;
    } else if (!c->ref) {
        return 0;
    }
    /* a control or invisible character is that cell's error (_cleaned),
     * not an unknown name */
    for (const char *p = *t; *p;) {
        long cp;
        size_t k = tz_utf8_next(p, &cp);
        if (k == 0 || tz_char_hidden(cp))
            return 0;
        p += k;
    }
    char out[512];
    const char *why = NULL;
    out[0] = '\0';
    int r = m->resolve(m->resolve_ctx, l, ci, *t, out, sizeof out, &why);
    out[sizeof out - 1] = '\0';
    if (r < 0) {
        tz_diags_error(d, file, rowno, c->name, *t, "%s", why ? why : "无法识别这个名称");
        return -1;
    }
    if (r > 0)
        return 0;
    _note(x, TZ_NOTE_NAME, *t, out);
    char *u = strdup(out);
    if (!u) {
        tz_diags_error(d, file, rowno, c->name, NULL, "内存不足");
        return -1;
    }
    free(*own);
    *t = *own = u;
    return 0;
}

/* Adds the error of a cell _parse_cell refused: an enum's reason lists
 * the allowed values. */
static void _cell_error(const tz_column *c, const char *shown, const char *why, const char *file,
                        long rowno, tz_diags *d)
{
    if (c->type == TZ_COL_ENUM || (c->type == TZ_COL_LIST && c->choices)) {
        char choices[512];
        _choices_words(c, choices, sizeof choices);
        tz_diags_error(d, file, rowno, c->name, shown, "%s,应为: %s", why, choices);
    } else {
        tz_diags_error(d, file, rowno, c->name, shown, "%s", why);
    }
}

/* The cell's text with control characters replaced in free text (with a
 * warning): t itself, or a new string into *clean. Returns NULL on OOM
 * (error added). */
/* 0 when s surely holds none of the characters _replace_controls replaces:
 * no C0 control or DEL, and no lead byte of the C1 controls (C2), U+061C
 * (D8) or the U+2028-U+2069 ones (E2). Chinese text and ASCII pass. */
static int _may_have_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || *p == 0xC2 || *p == 0xD8 || *p == 0xE2)
            return 1;
    return 0;
}

static const char *_cleaned(const tz_column *c, const char *t, char **clean, const char *file,
                            long rowno, tz_diags *d)
{
    if (_is_identifier(c) || !_may_have_controls(t))
        return t;
    int nrep;
    long first;
    *clean = _replace_controls(t, &nrep, &first);
    if (!*clean) {
        tz_diags_error(d, file, rowno, c->name, NULL, "内存不足");
        return NULL;
    }
    if (nrep)
        tz_diags_warn(d, file, rowno, c->name, t,
                      "含有%d个控制字符(如U+%04lX),已替换为空格或\"\xEF\xBF\xBD\"", nrep,
                      (unsigned long)first);
    return *clean;
}

/* Checks and parses the cell of column ci into *v (pass 1 of
 * tz_row_validate). Returns the number of errors added (0 or 1). */
static int _validate_cell(const tz_ledger *l, int ci, _cellctx *x, const char *raw, int kind,
                          unsigned flags, const char *file, long rowno, tz_value *v, tz_diags *d)
{
    const tz_column *c = &l->cols[ci];
    char whybuf[WHY_SZ];
    const char *why = NULL, *text, *t;
    char small[256], *own = NULL, *clean = NULL;
    int nerr = 1;
    long inv = 0;

    if (_stored_kind_error(c, raw, kind, file, rowno, d))
        return 1;
    t = _trimmed(raw ? raw : "", small, sizeof small, &own, &inv);
    if (t && (flags & TZ_ROW_CSV))
        t = _drop_csv_guard(c, t);
    if (!t) {
        free(own); /* NULL: only a failed copy gives no text */
        tz_diags_error(d, file, rowno, c->name, NULL, "内存不足");
        return 1;
    }
    if (_is_excel_error(t)) {
        tz_diags_error(d, file, rowno, c->name, NULL, "单元格是Excel错误值%s,请改正后再导入", t);
        goto done;
    }
    /* an ID number is never echoed in full (个人信息保护法) */
    char masked[64];
    if (inv) {
        if (c->type == TZ_COL_IDCARD)
            tz_idcard_mask(t, masked, sizeof masked);
        tz_diags_warn(d, file, rowno, c->name, c->type == TZ_COL_IDCARD ? masked : raw,
                      "首尾的不可见字符(U+%04lX)已去掉", (unsigned long)inv);
    }
    if (!*t) {
        nerr = (c->flags & (TZ_F_REQUIRED | TZ_F_KEY)) != 0;
        if (nerr)
            tz_diags_error(d, file, rowno, c->name, NULL, "不能为空");
        goto done;
    }
    if (_resolve_name(l, ci, x, &t, &own, file, rowno, d) ||
        !(text = _cleaned(c, t, &clean, file, rowno, d)))
        goto done;
    if (_parse_cell(c, text, kind == TZ_CELL_NUMBER, (flags & TZ_ROW_DATE1904) != 0, v, x, &why,
                    whybuf)) {
        if (c->type == TZ_COL_IDCARD)
            tz_idcard_mask(t, masked, sizeof masked);
        _cell_error(c, c->type == TZ_COL_IDCARD ? masked : t, why, file, rowno, d);
        tz_value_unset(v);
        goto done;
    }
    nerr = 0;
done:
    free(own);
    free(clean);
    return nerr;
}

/* 1 when cond ("列名=值1|值2") names a column the file does not have. */
static int _cond_absent(const tz_ledger *l, const tz_header_map *m, const char *cond)
{
    char col[64];
    const char *eq = strchr(cond, '=');
    size_t n = eq ? (size_t)(eq - cond) : 0;
    if (!eq || n >= sizeof col)
        return 0;
    memcpy(col, cond, n);
    col[n] = '\0';
    int c = tz_ledger_col(l, col);
    return c >= 0 && m->map[c] < 0;
}

int tz_row_validate(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                    const unsigned char *kinds, size_t ncells, const char *file, long rowno,
                    unsigned flags, tz_value *vals, tz_diags *d)
{
    return tz_row_validate_in(l, m, cells, kinds, ncells, file, rowno, flags, vals, NULL, d);
}

int tz_row_validate_in(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                       const unsigned char *kinds, size_t ncells, const char *file, long rowno,
                       unsigned flags, tz_value *vals, tz_arena *texts, tz_diags *d)
{
    int nerr = 0;
    for (size_t i = 0; i < l->ncols; i++) {
        vals[i].null = 1;
        vals[i].lent = 0;
        vals[i].text = NULL;
        vals[i].i = 0;
        vals[i].d = 0;
    }
    /* pass 1: cell kinds, characters, types and ranges; a column the file
     * does not have is null ("not recorded") */
    for (size_t i = 0; i < l->ncols; i++) {
        int fi = m->map[i];
        if (fi < 0)
            continue;
        int have = (size_t)fi < ncells;
        const char *raw = have && cells[fi] ? cells[fi] : "";
        int kind = have && kinds ? kinds[fi] : TZ_CELL_TEXT;
        _cellctx x = {m, (int)i, rowno, 0, texts};
        nerr += _validate_cell(l, (int)i, &x, raw, kind, flags, file, rowno, &vals[i], d);
        if (x.oom) {
            tz_diags_error(d, file, rowno, l->cols[i].name, NULL, "内存不足");
            nerr++;
        }
    }
    /* pass 2: conditional presence */
    for (size_t i = 0; i < l->ncols; i++) {
        const tz_column *c = &l->cols[i];
        char words[128];
        if (c->only_if && !vals[i].null && !_cond_absent(l, m, c->only_if) &&
            !_cond_holds(l, vals, c->only_if)) {
            _cond_words(c->only_if, words, sizeof words);
            tz_diags_error(d, file, rowno, c->name, vals[i].text, "仅当%s时填写", words);
            nerr++;
        }
        if (c->required_if && vals[i].null && m->map[i] >= 0 &&
            _cond_holds(l, vals, c->required_if)) {
            _cond_words(c->required_if, words, sizeof words);
            tz_diags_error(d, file, rowno, c->name, NULL, "%s时必须填写", words);
            nerr++;
        }
    }
    /* pass 3: cross-column checks */
    for (size_t k = 0; k < l->nchecks; k++) {
        const tz_rowcheck *rc = &l->checks[k];
        int a = tz_ledger_col(l, rc->left), b = tz_ledger_col(l, rc->right);
        if (a < 0 || b < 0 || vals[a].null || vals[b].null)
            continue;
        int cmp = _cmp_values(&l->cols[a], &vals[a], &vals[b]);
        int ok = rc->op == TZ_CMP_LE ? cmp <= 0 : cmp >= 0;
        if (!ok) {
            tz_diags_error(d, file, rowno, rc->left, vals[a].text, "%s(%s为%s)", rc->reason,
                           rc->right, vals[b].text);
            nerr++;
        }
    }
    nerr += _check_region_code(l, vals, file, rowno, d);
    return nerr;
}
