/* validate.c - header matching, field parsers and single-row checks. */
#include "ledger/ledger.h"
#include "io/reader.h"
#include "util/buf.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Returns a trimmed copy of s; caller frees. */
static char *_trim_dup(const char *s)
{
    size_t k;
    while ((k = _ws_len(s)) > 0)
        s += k;
    size_t n = strlen(s);
    while (n > 0) {
        if (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')
            n--;
        else if (n >= 3 && (unsigned char)s[n - 3] == 0xE3 && (unsigned char)s[n - 2] == 0x80 &&
                 (unsigned char)s[n - 1] == 0x80)
            n -= 3;
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

static int _all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return n > 0;
}

static int _days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int _valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= _days_in_month(y, m);
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

/* Excel serial (1900 date system) to y/m/d. */
static int _serial_to_ymd(double serial, int *y, int *m, int *d)
{
    if (!(serial >= 1 && serial < 2958466))
        return -1;
    long days = (long)floor(serial);
    if (days == 60) { /* Excel's fictitious 1900-02-29 */
        *y = 1900, *m = 2, *d = 29;
        return -1;
    }
    if (days > 60)
        days -= 1;
    /* days since 1899-12-31 */
    int yy = 1900;
    days -= 1;
    for (;;) {
        int ylen = ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0) ? 366 : 365;
        if (days < ylen)
            break;
        days -= ylen;
        yy++;
    }
    int mm = 1;
    while (days >= _days_in_month(yy, mm)) {
        days -= _days_in_month(yy, mm);
        mm++;
    }
    *y = yy, *m = mm, *d = (int)days + 1;
    return 0;
}

static int _is_number_text(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(*v);
}

/* ---- field parsers --------------------------------------------------- */

int tz_parse_date(const char *s, int numeric, char out[11], const char **why)
{
    static const char *const dash[] = {"-", "/", ".", "年", NULL};
    static const char *const dash2[] = {"-", "/", ".", "月", NULL};
    int y, m, d;
    double serial;
    if (numeric && _is_number_text(s, &serial)) {
        if (_serial_to_ymd(serial, &y, &m, &d)) {
            *why = "不是有效的Excel日期";
            return -1;
        }
        snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
        return 0;
    }
    const char *p = s;
    if (_num(&p, 4, &y) || _sep(&p, dash) || _num(&p, 2, &m) || _sep(&p, dash2) ||
        _num(&p, 2, &d))
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
    if (!_valid_ymd(y, m, d)) {
        *why = "不是有效的日期";
        return -1;
    }
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
    return 0;
bad:
    *why = "日期格式应为YYYY-MM-DD(也可写作2019/6/1或2019年6月1日)";
    return -1;
}

int tz_parse_month(const char *s, int numeric, char out[8], const char **why)
{
    static const char *const dash[] = {"-", "/", ".", "年", NULL};
    int y, m;
    double serial;
    if (numeric && _is_number_text(s, &serial)) {
        int d;
        if (_serial_to_ymd(serial, &y, &m, &d)) {
            *why = "不是有效的Excel日期";
            return -1;
        }
        snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
        return 0;
    }
    const char *p = s;
    if (_num(&p, 4, &y) || _sep(&p, dash) || _num(&p, 2, &m))
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
    size_t n = strlen(s), k = 0;
    int ascii = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            ascii = 0;
    for (size_t i = 0; i < n && k + 1 < outsz; i++) {
        int keep = ascii && n >= 11 && (i < 6 || i >= n - 4);
        out[k++] = keep ? s[i] : '*';
        if (!ascii && k >= 18)
            break;
    }
    out[k] = 0;
}

int tz_parse_idcard(const char *s, char out[19], const char **why)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
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
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (s[i] - '0') * w[i];
    char c = (char)toupper((unsigned char)s[17]);
    if (check[sum % 11] != c) {
        *why = "校验码错误";
        return -1;
    }
    memcpy(out, s, 17);
    out[17] = c;
    out[18] = '\0';
    return 0;
}

int tz_parse_decimal(const char *s, double *out, const char **why)
{
    char tmp[64];
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ',')
            continue; /* thousands separators as Excel formats them */
        if (k + 1 >= sizeof tmp) {
            *why = "不是有效的数字";
            return -1;
        }
        tmp[k++] = *p;
    }
    tmp[k] = '\0';
    double v;
    if (!_is_number_text(tmp, &v)) {
        *why = "不是有效的数字";
        return -1;
    }
    *out = v;
    return 0;
}

int tz_parse_int(const char *s, long long *out, const char **why)
{
    double v;
    if (tz_parse_decimal(s, &v, why))
        return -1;
    if (v != floor(v) || fabs(v) > 9e15) {
        *why = "应为整数";
        return -1;
    }
    *out = (long long)v;
    return 0;
}

/* ---- header matching -------------------------------------------------- */

int tz_header_match(const tz_ledger *l, const char *const *cells, size_t n, const char *file,
                    tz_header_map *out, tz_diags *d)
{
    int rc = 0;
    out->ncols = l->ncols;
    out->map = malloc(l->ncols * sizeof(int));
    if (!out->map) {
        tz_diags_error(d, file, 1, NULL, NULL, "内存不足");
        return -1;
    }
    for (size_t i = 0; i < l->ncols; i++)
        out->map[i] = -1;
    for (size_t j = 0; j < n; j++) {
        char *h = _trim_dup(cells[j]);
        if (!h)
            continue;
        if (!*h) {
            free(h);
            continue;
        }
        int c = -1;
        for (size_t i = 0; i < l->ncols; i++)
            if (!strcmp(l->cols[i].name, h))
                c = (int)i;
        if (c < 0) {
            tz_diags_warn(d, file, 1, h, NULL, "不是%s台账的列,已忽略", l->name);
        } else if (out->map[c] >= 0) {
            tz_diags_error(d, file, 1, h, NULL, "列名重复");
            rc = -1;
        } else {
            out->map[c] = (int)j;
        }
        free(h);
    }
    for (size_t i = 0; i < l->ncols; i++) {
        if (out->map[i] < 0) {
            tz_diags_error(d, file, 1, l->cols[i].name, NULL, "缺少此列(%s台账必须包含该列)",
                           l->name);
            rc = -1;
        }
    }
    return rc;
}

void tz_header_map_free(tz_header_map *m)
{
    if (!m)
        return;
    free(m->map);
    m->map = NULL;
}

/* ---- row validation --------------------------------------------------- */

void tz_values_clear(tz_value *vals, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(vals[i].text);
        vals[i].text = NULL;
        vals[i].null = 1;
    }
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

static int _parse_cell(const tz_column *c, const char *raw, int numeric, tz_value *v,
                       const char **why)
{
    char tmp[20];
    v->null = 0;
    switch (c->type) {
    case TZ_COL_TEXT:
        if (strlen(raw) > 1000) {
            *why = "内容过长(超过1000字节)";
            return -1;
        }
        /* '= '+ '- '@ is how our CSV export keeps a formula-looking text
         * from being run by Excel; the apostrophe is not part of the value */
        if (raw[0] == '\'' && strchr("=+-@", raw[1]) && raw[1])
            raw++;
        v->text = strdup(raw);
        return v->text ? 0 : (*why = "内存不足", -1);
    case TZ_COL_INT:
        if (tz_parse_int(raw, &v->i, why))
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
        snprintf(tmp, sizeof tmp, "%lld", v->i);
        v->text = strdup(tmp);
        return 0;
    case TZ_COL_DECIMAL: {
        if (tz_parse_decimal(raw, &v->d, why))
            return -1;
        if (v->d < 0) {
            *why = "金额和数量不能为负数";
            return -1;
        }
        char num[64];
        v->text = strdup(tz_fmt_decimal(v->d, 6, num, sizeof num));
        return 0;
    }
    case TZ_COL_BOOL:
        if (!strcmp(raw, "是"))
            v->i = 1;
        else if (!strcmp(raw, "否"))
            v->i = 0;
        else {
            *why = "应填\"是\"或\"否\"";
            return -1;
        }
        v->text = strdup(raw);
        return 0;
    case TZ_COL_DATE:
        if (tz_parse_date(raw, numeric, tmp, why))
            return -1;
        v->text = strdup(tmp);
        return 0;
    case TZ_COL_MONTH:
        if (tz_parse_month(raw, numeric, tmp, why))
            return -1;
        v->text = strdup(tmp);
        return 0;
    case TZ_COL_YEAR: {
        char y[16];
        size_t n = strlen(raw);
        if (n >= 3 + 4 && !strcmp(raw + n - 3, "年"))
            n -= 3;
        if (n != 4 || !_all_digits(raw, 4)) {
            double dv;
            if (!(numeric && _is_number_text(raw, &dv) && dv >= 1900 && dv <= 2100 &&
                  dv == floor(dv))) {
                *why = "年度应为四位数字,如2019";
                return -1;
            }
            v->i = (long long)dv;
        } else {
            memcpy(y, raw, 4);
            y[4] = '\0';
            v->i = atoi(y);
        }
        if (v->i < 1900 || v->i > 2100) {
            *why = "年度超出范围(1900-2100)";
            return -1;
        }
        v->d = (double)v->i;
        snprintf(tmp, sizeof tmp, "%lld", v->i);
        v->text = strdup(tmp);
        return 0;
    }
    case TZ_COL_REGION:
        if (tz_parse_region(raw, tmp, why))
            return -1;
        v->text = strdup(tmp);
        return 0;
    case TZ_COL_ENUM:
        for (int i = 0; c->choices[i]; i++) {
            if (!strcmp(c->choices[i], raw)) {
                v->i = i;
                v->text = strdup(raw);
                return 0;
            }
        }
        *why = "不是允许的取值";
        return -1;
    case TZ_COL_IDCARD:
        if (tz_parse_idcard(raw, tmp, why))
            return -1;
        v->text = strdup(tmp);
        return 0;
    case TZ_COL_LIST: {
        tz_buf b = TZ_BUF_INIT;
        const char *p = raw;
        while (*p) {
            const char *sep = strstr(p, "、");
            size_t k = sep ? (size_t)(sep - p) : strlen(p);
            char *part = malloc(k + 1);
            if (!part)
                break;
            memcpy(part, p, k);
            part[k] = '\0';
            char *t = _trim_dup(part);
            free(part);
            if (!t || !*t) {
                free(t);
                tz_buf_free(&b);
                *why = "多个值之间用、分隔,不能有空项";
                return -1;
            }
            if (b.len)
                tz_buf_puts(&b, "、");
            tz_buf_puts(&b, t);
            free(t);
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
        v->text = tz_buf_take(&b);
        return 0;
    }
    }
    *why = "未知类型";
    return -1;
}

int tz_value_parse(const tz_column *c, const char *raw, int numeric, tz_value *out,
                   const char **why)
{
    memset(out, 0, sizeof *out);
    out->null = 1;
    char *t = _trim_dup(raw ? raw : "");
    if (!t) {
        *why = "内存不足";
        return -1;
    }
    int rc = 0;
    if (*t) {
        rc = _parse_cell(c, t, numeric, out, why);
        if (rc) {
            free(out->text);
            out->text = NULL;
            out->null = 1;
        }
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
    int pc = -1, lc = tz_ledger_col(l, "level"), kc = -1;
    for (size_t i = 0; i < l->ncols; i++) {
        if (l->cols[i].flags & TZ_F_PARENT)
            pc = (int)i;
        if ((l->cols[i].flags & TZ_F_KEY) && l->cols[i].type == TZ_COL_REGION && kc < 0)
            kc = (int)i;
    }
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

int tz_row_validate(const tz_ledger *l, const tz_header_map *m, const char *const *cells,
                    const unsigned char *numeric, size_t ncells, const char *file, long rowno,
                    tz_value *vals, tz_diags *d)
{
    int nerr = 0;
    for (size_t i = 0; i < l->ncols; i++) {
        vals[i].null = 1;
        vals[i].text = NULL;
        vals[i].i = 0;
        vals[i].d = 0;
    }
    /* pass 1: types */
    for (size_t i = 0; i < l->ncols; i++) {
        const tz_column *c = &l->cols[i];
        int fi = m->map[i];
        const char *raw = (fi >= 0 && (size_t)fi < ncells) ? cells[fi] : "";
        char *t = _trim_dup(raw ? raw : "");
        if (!t) {
            tz_diags_error(d, file, rowno, c->name, NULL, "内存不足");
            return ++nerr;
        }
        if (!*t) {
            free(t);
            if (c->flags & (TZ_F_REQUIRED | TZ_F_KEY)) {
                tz_diags_error(d, file, rowno, c->name, NULL, "不能为空");
                nerr++;
            }
            continue;
        }
        const char *why = NULL;
        int isnum = numeric && fi >= 0 && (size_t)fi < ncells ? numeric[fi] == TZ_CELL_NUMBER : 0;
        if (_parse_cell(c, t, isnum, &vals[i], &why)) {
            if (c->type == TZ_COL_ENUM) {
                char choices[512];
                _choices_words(c, choices, sizeof choices);
                tz_diags_error(d, file, rowno, c->name, t, "%s,应为: %s", why, choices);
            } else {
                tz_diags_error(d, file, rowno, c->name, t, "%s", why);
            }
            vals[i].null = 1;
            nerr++;
        } else if (!vals[i].text) {
            tz_diags_error(d, file, rowno, c->name, NULL, "内存不足");
            vals[i].null = 1;
            nerr++;
        }
        free(t);
    }
    /* pass 2: conditional presence */
    for (size_t i = 0; i < l->ncols; i++) {
        const tz_column *c = &l->cols[i];
        char words[128];
        if (c->only_if && !vals[i].null && !_cond_holds(l, vals, c->only_if)) {
            _cond_words(c->only_if, words, sizeof words);
            tz_diags_error(d, file, rowno, c->name, vals[i].text, "仅当%s时填写", words);
            nerr++;
        }
        if (c->required_if && vals[i].null && _cond_holds(l, vals, c->required_if)) {
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
