/* fuzz_value.c - libFuzzer harness for value parsing (ledger/ledger.h):
 * tz_parse_date, tz_parse_month, tz_parse_region, tz_parse_idcard,
 * tz_parse_decimal, tz_parse_int, tz_idcard_mask, tz_value_parse on every
 * column of every ledger, and tz_row_validate on whole rows.
 *
 * Input: byte 0 picks the mode, bytes 1-3 are parameters, the rest is text
 * (copied into an exact-size NUL-terminated buffer, so ASan sees any read
 * past its end):
 *   mode % 3 == 0  every field parser on the text (numeric flag: byte 1 & 1),
 *                  and tz_idcard_mask into a buffer of byte 2 bytes;
 *   mode % 3 == 1  tz_value_parse for column (bytes 1-2) of all columns of
 *                  all ledgers, cell kind byte 3 % 4;
 *   mode % 3 == 2  tz_row_validate for ledger byte 1, the text split at TAB
 *                  into cells (cell i is ledger column i), cell kinds from
 *                  bytes 2-3 (two bits per cell, repeating).
 *
 * Besides memory safety, each accepted value is checked against what
 * ledger.h promises: dates are real YYYY-MM-DD dates, months YYYY-MM, region
 * codes 12 digits, ID numbers 18 characters with a right check digit, masks
 * hide the middle of an ID, every refusal has a reason, numbers are finite.
 * Two checks follow issue 7 point 4 (the number grammar) and fail on code
 * that accepts hexadecimal, exponents or misplaced thousands separators;
 * TZ_FUZZ_LAX=1 in the environment turns those two off, to look for other
 * faults while they are being fixed.
 */
#include "io/reader.h"
#include "ledger/ledger.h"
#include "util/diag.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

static int _lax = -1; /* 1 when TZ_FUZZ_LAX=1: skip the number-grammar checks */

static void _broken(const char *what, const char *input)
{
    fprintf(stderr, "tz-fuzz: value promise broken: %s (input \"%s\")\n", what, input);
    abort();
}

static int _digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int _num2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* 1 when s is a real calendar date "YYYY-MM-DD". */
static int _real_date(const char *s)
{
    static const int dm[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || !_digits(s, 4) || s[4] != '-' || !_digits(s + 5, 2) || s[7] != '-' ||
        !_digits(s + 8, 2))
        return 0;
    int y = _num2(s) * 100 + _num2(s + 2), m = _num2(s + 5), d = _num2(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > dm[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* 1 when s is "YYYY-MM" with a month 01-12. */
static int _real_month(const char *s)
{
    return strlen(s) == 7 && _digits(s, 4) && s[4] == '-' && _digits(s + 5, 2) &&
           _num2(s + 5) >= 1 && _num2(s + 5) <= 12;
}

/* 1 when s is 18 characters, 17 digits and a right GB 11643 check digit. */
static int _real_idcard(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    if (strlen(s) != 18 || !_digits(s, 17))
        return 0;
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * w[i];
    return "10X98765432"[sum % 11] == s[17];
}

/* Issue 7 point 4: an accepted number has no ASCII letters (0x1F, 0x1p4,
 * 3e0, inf, nan) and every ASCII comma is followed by exactly three digits.
 * The grammar holds for the text as the parser reads it, its NFKC form: a
 * full-width digit is a digit there ("12,５34.6" is 12534.6). */
static void _check_number_text(const char *raw)
{
    if (_lax)
        return;
    size_t n = 0;
    char *s = (char *)u8_normalize(UNINORM_NFKC, (const uint8_t *)raw, strlen(raw) + 1, NULL, &n);
    if (!s)
        return; /* not UTF-8: nothing the parser would have accepted as such */
    for (const char *p = s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            _broken("a number with letters was accepted", raw);
        if (*p == ',' && !(_digits(p + 1, 3) && strlen(p + 1) >= 3 && !_digits(p + 4, 1)))
            _broken("a thousands separator outside a group of three was accepted", raw);
    }
    free(s);
}

static void _field_parsers(const char *s, int numeric, int date1904, size_t masksz)
{
    const char *why = NULL;
    char date[11], month[8], region[13], id[19];
    if (tz_parse_date(s, numeric, date1904, date, &why) == 0) {
        if (!_real_date(date))
            _broken("tz_parse_date gave no real date", s);
    } else if (!why)
        _broken("tz_parse_date refused without a reason", s);
    why = NULL;
    if (tz_parse_month(s, numeric, date1904, month, &why) == 0) {
        if (!_real_month(month))
            _broken("tz_parse_month gave no real month", s);
    } else if (!why)
        _broken("tz_parse_month refused without a reason", s);
    why = NULL;
    if (tz_parse_region(s, region, &why) == 0) {
        if (strlen(region) != 12 || !_digits(region, 12))
            _broken("tz_parse_region gave no 12-digit code", s);
    } else if (!why)
        _broken("tz_parse_region refused without a reason", s);
    why = NULL;
    if (tz_parse_idcard(s, id, &why) == 0) {
        if (!_real_idcard(id))
            _broken("tz_parse_idcard accepted a wrong ID number", s);
    } else if (!why)
        _broken("tz_parse_idcard refused without a reason", s);
    why = NULL;
    double dv;
    if (tz_parse_decimal(s, &dv, &why) == 0) {
        if (!isfinite(dv))
            _broken("tz_parse_decimal gave a number that is not finite", s);
        _check_number_text(s);
    } else if (!why)
        _broken("tz_parse_decimal refused without a reason", s);
    why = NULL;
    long long iv;
    if (tz_parse_int(s, &iv, &why) == 0)
        _check_number_text(s);
    else if (!why)
        _broken("tz_parse_int refused without a reason", s);

    /* The mask: NUL-terminated within masksz, and an ASCII ID keeps at most
     * its first 6 and last 4 characters. */
    char *mask = malloc(masksz ? masksz : 1);
    if (!mask)
        return;
    tz_idcard_mask(s, mask, masksz);
    if (masksz) {
        size_t ml = strnlen(mask, masksz);
        if (ml == masksz)
            _broken("tz_idcard_mask wrote no NUL within the buffer", s);
        size_t n = strlen(s);
        for (size_t i = 6; n >= 11 && i + 4 < n && i < ml; i++)
            if (mask[i] != '*')
                _broken("tz_idcard_mask shows the middle of an ID number", s);
    }
    free(mask);
}

/* Checks an accepted value of column c, read from text s of cell kind kind,
 * against its type. A spreadsheet's number cell may be written in exponent
 * form ("1E-4" in the xlsx XML): only typed text must follow the grammar. */
static void _check_value(const tz_column *c, const tz_value *v, const char *s, int kind)
{
    if (v->null)
        return;
    if (!v->text)
        _broken("a value that is not null has no text", s);
    switch (c->type) {
    case TZ_COL_DATE:
        if (!_real_date(v->text))
            _broken("a date column holds no real date", s);
        break;
    case TZ_COL_MONTH:
        if (!_real_month(v->text))
            _broken("a month column holds no real month", s);
        break;
    case TZ_COL_YEAR:
        if (strlen(v->text) != 4 || !_digits(v->text, 4) || v->i < 1900 || v->i > 2100)
            _broken("a year column holds no year 1900-2100", s);
        break;
    case TZ_COL_REGION:
        if (strlen(v->text) != 12 || !_digits(v->text, 12))
            _broken("a region column holds no 12-digit code", s);
        break;
    case TZ_COL_IDCARD:
        if (!_real_idcard(v->text))
            _broken("an ID column holds a wrong ID number", s);
        break;
    case TZ_COL_BOOL:
        if (strcmp(v->text, "是") && strcmp(v->text, "否"))
            _broken("a yes/no column holds something else", s);
        break;
    case TZ_COL_ENUM: {
        int found = 0;
        for (int i = 0; c->choices && c->choices[i]; i++)
            found |= !strcmp(c->choices[i], v->text);
        if (!found)
            _broken("an enum column holds a word not in its list", s);
        break;
    }
    case TZ_COL_INT:
    case TZ_COL_DECIMAL:
        if (!isfinite(v->d) || v->d < 0)
            _broken("a number column holds a negative or infinite number", s);
        if (kind != TZ_CELL_NUMBER)
            _check_number_text(s);
        break;
    default:
        break;
    }
}

/* Column k of all columns of all ledgers, counted in ledger order. */
static const tz_column *_column(size_t k)
{
    size_t nl = 0, total = 0;
    const tz_ledger *all = tz_ledger_all(&nl);
    for (size_t i = 0; i < nl; i++)
        total += all[i].ncols;
    k %= total;
    for (size_t i = 0; i < nl; i++) {
        if (k < all[i].ncols)
            return &all[i].cols[k];
        k -= all[i].ncols;
    }
    return NULL;
}

static void _value_parse(const char *s, size_t colsel, int kind)
{
    const tz_column *c = _column(colsel);
    tz_value v;
    const char *why = NULL;
    /* tz_value_parse takes "a spreadsheet number cell" (1) or text (0) */
    if (tz_value_parse(c, s, kind == TZ_CELL_NUMBER, &v, &why) == 0)
        _check_value(c, &v, s, kind);
    else if (!why)
        _broken("tz_value_parse refused without a reason", s);
    free(v.text);
}

/* Splits text at TAB into cells and validates them as one row of ledger
 * lsel & 0xFF (cell i is column i), with the tz_row_validate flags in
 * lsel >> 8. text is modified. */
static void _row_validate(char *text, unsigned lsel, unsigned kinds)
{
    size_t nl = 0;
    const tz_ledger *all = tz_ledger_all(&nl);
    const tz_ledger *l = &all[(lsel & 0xFFu) % nl];
    size_t ncells = 1;
    for (char *p = text; *p; p++)
        ncells += *p == '\t';
    const char **cells = calloc(ncells, sizeof *cells);
    unsigned char *numeric = calloc(ncells, 1);
    int *map = calloc(l->ncols, sizeof *map);
    tz_value *vals = calloc(l->ncols, sizeof *vals);
    if (!cells || !numeric || !map || !vals)
        goto done;
    size_t k = 0;
    cells[k++] = text;
    for (char *p = text; *p; p++) {
        if (*p == '\t') {
            *p = '\0';
            cells[k++] = p + 1;
        }
    }
    for (size_t i = 0; i < ncells; i++)
        numeric[i] = (unsigned char)((kinds >> (2 * (i % 8))) & 3u);
    for (size_t i = 0; i < l->ncols; i++)
        map[i] = (int)i;
    tz_header_map m = {.map = map, .ncols = l->ncols};
    tz_diags d = TZ_DIAGS_INIT;
    int nerr =
        tz_row_validate(l, &m, cells, numeric, ncells, "fuzz.csv", 2, lsel >> 8 & 3u, vals, &d);
    if (nerr < 0 || (size_t)nerr > d.nerrors)
        _broken("tz_row_validate counted errors it did not report", l->id);
    if (nerr == 0) {
        for (size_t i = 0; i < l->ncols; i++)
            _check_value(&l->cols[i], &vals[i], i < ncells ? cells[i] : "",
                         i < ncells ? numeric[i] : 0);
    }
    for (size_t i = 0; i < d.n; i++)
        free(tz_diag_format(&d.items[i]));
    tz_values_clear(vals, l->ncols);
    tz_diags_clear(&d);
done:
    free(cells);
    free(numeric);
    free(map);
    free(vals);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (_lax < 0) {
        const char *e = getenv("TZ_FUZZ_LAX");
        _lax = e && !strcmp(e, "1");
    }
    if (size < 4)
        return 0;
    char *s = malloc(size - 4 + 1);
    if (!s)
        return 0;
    memcpy(s, data + 4, size - 4);
    s[size - 4] = '\0';
    switch (data[0] % 3) {
    case 0:
        _field_parsers(s, data[1] & 1, (data[1] >> 1) & 1, data[2]);
        break;
    case 1:
        _value_parse(s, (size_t)data[1] << 8 | data[2], data[3] % 4);
        break;
    default:
        _row_validate(s, (unsigned)data[1] | (unsigned)(data[0] >> 2 & 3) << 8,
                      (unsigned)data[2] << 8 | data[3]);
        break;
    }
    free(s);
    return 0;
}
