/* fuzz_numword.c - libFuzzer harness for number wording (report/numword.h).
 *
 * Input layout (short inputs are padded with zeros):
 *   byte 0        which writer: amount, approx, cn_int, count, fraction,
 *                 percent, growth, change, list, unit_scale
 *   bytes 1-8     a double (any bit pattern: NaN, infinities, subnormals)
 *   bytes 9-16    a second double, or a long long
 *   byte 17       flags (only the bits numword.h defines)
 *   byte 18       approximation style (low 2 bits) and digits / decimals
 *                 (signed, from the whole byte)
 *   byte 19       unit: one of a table of real units, or (255) the text
 *   bytes 20-     text: a unit, list items split at TAB, and, as it is,
 *                 the input of tz_numword_parse (an exact-size buffer
 *                 without a NUL, as the proofreader passes it)
 *
 * Besides memory safety it checks what numword.h promises: a writer that
 * fails appends nothing, a figure read back is no longer than its text and
 * lo ≤ value ≤ hi, and, for the table units, what a writer wrote reads
 * back with tz_numword_parse to a range that holds the value written
 * (amount, approximation, Chinese numerals, counts).
 */
#include "report/numword.h"
#include "util/buf.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HDR_SIZE = 20 };

static const char *const _units[] = {"",     "元",     "万元", "亿元", "万美元", "美元", "户",
                                     "人次", "万人次", "个",   "场次", "%",      "‰",    "平方米"};
#define NUNITS (sizeof _units / sizeof _units[0])

static void _broken(const char *what, double v, const char *text)
{
    fprintf(stderr, "tz-fuzz: numword promise broken: %s (value %.17g, text \"%s\")\n", what, v,
            text ? text : "");
    abort();
}

/* The parse promises: len within n, lo ≤ value ≤ hi when something was read. */
static void _check_parse(const char *s, size_t n, tz_numword_figure *fig)
{
    size_t k = tz_numword_parse(s, n, fig);
    if (k > n || k != fig->len)
        _broken("tz_numword_parse read past its text or misreports len", (double)k, NULL);
    if (k && !(fig->lo <= fig->value && fig->value <= fig->hi))
        _broken("tz_numword_parse range does not hold its value", fig->value, NULL);
}

/* Reads back what a writer wrote and checks that its range holds want
 * (in base units). The text is copied to an exact-size buffer. */
static void _read_back(const tz_buf *b, double want, const char *what)
{
    if (!b->data || !b->len)
        _broken("a writer succeeded but wrote nothing", want, NULL);
    char *copy = malloc(b->len);
    if (!copy)
        return;
    memcpy(copy, b->data, b->len);
    tz_numword_figure fig;
    _check_parse(copy, b->len, &fig);
    free(copy);
    double tol = 1e-9 * fabs(want) + 1e-9;
    if (!fig.len || want < fig.lo - tol || want > fig.hi + tol) {
        fprintf(stderr, "tz-fuzz: %s: \"%s\" reads back as [%.17g, %.17g] (len %zu)\n", what,
                b->data, fig.lo, fig.hi, fig.len);
        _broken("a written figure does not read back to its value", want, b->data);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t hdr[HDR_SIZE] = {0};
    memcpy(hdr, data, size < HDR_SIZE ? size : HDR_SIZE);
    size_t tn = size > HDR_SIZE ? size - HDR_SIZE : 0;
    const uint8_t *tp = data + (size > HDR_SIZE ? HDR_SIZE : size);

    /* tz_numword_parse on the raw text, without a NUL after it. */
    char *raw = malloc(tn ? tn : 1);
    if (!raw)
        return 0;
    memcpy(raw, tp, tn);
    tz_numword_figure fig;
    _check_parse(raw, tn, &fig);
    free(raw);

    char *text = malloc(tn + 1);
    if (!text)
        return 0;
    memcpy(text, tp, tn);
    text[tn] = '\0';

    double v, v2;
    long long ll;
    memcpy(&v, hdr + 1, sizeof v);
    memcpy(&v2, hdr + 9, sizeof v2);
    memcpy(&ll, hdr + 9, sizeof ll);
    unsigned flags = hdr[17] & (7u | TZ_NUMWORD_NOSCALE | TZ_NUMWORD_FIXED | TZ_NUMWORD_LIANG |
                                TZ_NUMWORD_ARABIC);
    int style = hdr[18] & 3;
    int small = (int8_t)hdr[18];
    int table = hdr[19] != 255;
    const char *unit = table ? _units[hdr[19] % NUNITS] : text;
    const char *base = NULL;
    int su = tz_numword_unit_scale(unit, &base);
    double inbase = v * pow(10, su);
    /* The read-back checks need a value the writers write without exponent
     * and a unit that does not start with a digit or numeral. */
    int checkable = table && isfinite(v) && v >= 0 && inbase < 1e15;

    tz_buf b = TZ_BUF_INIT;
    b.max = 1 << 16;
    int rc = 0;
    switch (hdr[0] % 10) {
    case 0:
        rc = tz_numword_amount(&b, v, unit, flags);
        if (rc == 0 && checkable) {
            /* the value as rounded to its decimals is what the text holds */
            int d = (flags & 7u) ? (int)(flags & 7u) - 1 : 2;
            double tol = 0.5 * pow(10, su - d) * 1.000001;
            tz_numword_figure f2;
            char *copy = malloc(b.len ? b.len : 1);
            if (!copy)
                break;
            memcpy(copy, b.data ? b.data : "", b.len);
            _check_parse(copy, b.len, &f2);
            free(copy);
            if (!f2.len || inbase < f2.lo - tol - 1e-9 * inbase ||
                inbase > f2.hi + tol + 1e-9 * inbase)
                _broken("an amount does not read back to its value", v, tz_buf_str(&b));
        }
        break;
    case 1:
        rc = tz_numword_approx(&b, v, unit, (tz_numword_approx_style)style, small);
        if (rc == 0 && checkable)
            _read_back(&b, inbase, "approx");
        break;
    case 2:
        rc = tz_numword_cn_int(&b, ll, flags);
        if (rc == 0 && ll >= 0 && ll < 1000000000000000LL)
            _read_back(&b, (double)ll, "cn_int");
        break;
    case 3:
        rc = tz_numword_count(&b, (long)ll, table ? unit : text, flags);
        /* a measure word in 万/亿 ("万人次") would read as a scale */
        if (rc == 0 && table && su == 0 && ll >= 0 && ll < 1000000000000000LL)
            _read_back(&b, (double)ll, "count");
        break;
    case 4:
        rc = tz_numword_fraction(&b, v, v2);
        break;
    case 5:
        rc = tz_numword_percent(&b, v, small);
        break;
    case 6:
        rc = tz_numword_growth(&b, v, small);
        break;
    case 7:
        rc = tz_numword_change(&b, v, unit, flags);
        break;
    case 8: {
        size_t n = 1;
        for (char *p = text; *p; p++)
            n += *p == '\t';
        const char **items = calloc(n, sizeof *items);
        if (!items)
            break;
        size_t k = 0;
        items[k++] = text;
        for (char *p = text; *p; p++) {
            if (*p == '\t') {
                *p = '\0';
                items[k] = (hdr[17] & 1) && k % 3 == 2 ? NULL : p + 1;
                k++;
            }
        }
        rc = tz_numword_list(&b, items, n, hdr[18] & 1);
        free(items);
        break;
    }
    default:
        /* 万亿 is 12 (numword.c), though numword.h names only 0, 4 and 8 */
        if ((su != 0 && su != 4 && su != 8 && su != 12) || !base)
            _broken("tz_numword_unit_scale gave an unknown scale or no base", su, unit);
        if (unit && (base < unit || base > unit + strlen(unit)))
            _broken("tz_numword_unit_scale base does not point into the unit", su, unit);
        break;
    }
    if (rc != 0 && rc != -1)
        _broken("a writer returned something other than 0 or -1", v, NULL);
    tz_buf_free(&b);
    free(text);
    return 0;
}
