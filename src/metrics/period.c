/* period.c - periods (month, quarter, half year, year): parsing, wording,
 * year-on-year shifting, year-to-date windows and the latest year with data. */
#include "metrics/metrics_impl.h"
#include "util/cal.h"
#include "util/num.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const _cn_digit[] = {"零", "一", "二", "三", "四"};

/* Writes YYYY-MM-DD (fields reduced to their width). */
static void _ymd(char out[11], int y, int m, int d)
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

/* Fills start, end and label from kind, year and index. */
static void _fill(tz_period *p)
{
    int m1 = 1, m2 = 12;
    switch (p->kind) {
    case TZ_PERIOD_MONTH:
        m1 = m2 = p->index;
        snprintf(p->label, sizeof p->label, "%04d-%02d", p->year, p->index);
        break;
    case TZ_PERIOD_QUARTER:
        m1 = 3 * p->index - 2;
        m2 = 3 * p->index;
        snprintf(p->label, sizeof p->label, "%04d-Q%d", p->year, p->index);
        break;
    case TZ_PERIOD_HALF:
        m1 = p->index == 1 ? 1 : 7;
        m2 = p->index == 1 ? 6 : 12;
        snprintf(p->label, sizeof p->label, "%04d-H%d", p->year, p->index);
        break;
    case TZ_PERIOD_YEAR:
        p->index = 0;
        snprintf(p->label, sizeof p->label, "%04d", p->year);
        break;
    }
    _ymd(p->start, p->year, m1, 1);
    _ymd(p->end, p->year, m2, tz_cal_mdays(p->year, m2));
}

/* Reads a run of ASCII digits; returns the count read. */
static int _digits(const char **s, int *v)
{
    int n = 0;
    *v = 0;
    while (**s >= '0' && **s <= '9' && n < 6) {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

static int _eat(const char **s, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(*s, word, n) != 0)
        return 0;
    *s += n;
    return 1;
}

/* A quarter number written 1-4, 一-四 or 第…季度 forms. */
static int _quarter_word(const char **s)
{
    const char *start = *s; /* put back when no 季度 follows: "2024年1月" is a month */
    _eat(s, "第");
    int v = 0;
    if (**s >= '1' && **s <= '4') {
        v = **s - '0';
        (*s)++;
    } else {
        for (int i = 1; i <= 4; i++)
            if (_eat(s, _cn_digit[i])) {
                v = i;
                break;
            }
    }
    if (!v || !_eat(s, "季度")) {
        *s = start;
        return 0;
    }
    return v;
}

/* "Q3" or "H1" after the year: the letter at *s, then one digit 1..max and
 * nothing more. Returns 0 with p's kind and index set, or -1. */
static int _numbered(const char **s, int max, tz_period_kind kind, tz_period *p)
{
    int v;
    (*s)++;
    if (_digits(s, &v) != 1 || v < 1 || v > max || **s)
        return -1;
    p->kind = kind;
    p->index = v;
    return 0;
}

/* The part after the year ("Q3", "H1", "07"; with cn, also "上半年",
 * "第三季度", "7月"). Returns 0 with p's kind and index set, or -1 with *why. */
static int _parse_part(const char *s, int cn, tz_period *p, const char *bad, const char **why)
{
    if (*s == 'Q' || *s == 'q') {
        if (_numbered(&s, 4, TZ_PERIOD_QUARTER, p)) {
            *why = "季度应为 Q1 至 Q4";
            return -1;
        }
    } else if (*s == 'H' || *s == 'h') {
        if (_numbered(&s, 2, TZ_PERIOD_HALF, p)) {
            *why = "半年应为 H1(上半年)或 H2(下半年)";
            return -1;
        }
    } else if (cn && _eat(&s, "上半年")) {
        p->kind = TZ_PERIOD_HALF;
        p->index = 1;
    } else if (cn && _eat(&s, "下半年")) {
        p->kind = TZ_PERIOD_HALF;
        p->index = 2;
    } else if (cn && (p->index = _quarter_word(&s)) > 0) {
        p->kind = TZ_PERIOD_QUARTER;
    } else if (cn && strstr(s, "季度")) {
        *why = "季度应为第一季度至第四季度(或 Q1 至 Q4)";
        return -1;
    } else {
        int m;
        int nd = _digits(&s, &m);
        if (nd < 1 || nd > 2 || m < 1 || m > 12) {
            *why = "月份应为 1 至 12";
            return -1;
        }
        if (cn && !_eat(&s, "月")) {
            *why = bad;
            return -1;
        }
        p->kind = TZ_PERIOD_MONTH;
        p->index = m;
    }
    if (*s) {
        *why = bad;
        return -1;
    }
    return 0;
}

int tz_period_parse(const char *s, tz_period *p, const char **why)
{
    static const char *const bad = "期间格式应为 2015、2015-07、2015-Q3 或 2015-H1"
                                   "(也可写 2015年7月、2015年第三季度、2015年上半年)";
    memset(p, 0, sizeof *p);
    if (!s) {
        *why = bad;
        return -1;
    }
    while (*s == ' ')
        s++;
    int year;
    if (_digits(&s, &year) != 4 || year < 1949 || year > 2100) {
        *why = bad;
        return -1;
    }
    p->year = year;
    p->kind = TZ_PERIOD_YEAR;
    int cn = _eat(&s, "年");
    if (!cn && (*s == '-' || *s == '/')) {
        s++;
        if (*s == '\0') { /* "2015-" */
            *why = bad;
            return -1;
        }
    } else if (!cn && *s != '\0') { /* "2015 x", "2015x" */
        *why = bad;
        return -1;
    }
    if (!(*s == '\0' || (cn && _eat(&s, "全年") && *s == '\0')) && _parse_part(s, cn, p, bad, why))
        return -1;
    _fill(p);
    return 0;
}

/* Shifts a YYYY-MM-DD date one year back (29 February becomes the 28th). */
/* The fields of a YYYY-MM-DD date this file wrote (_ymd). */
static void _split_ymd(const char *s, int *y, int *m, int *d)
{
    *y = tz_num_digits(s, 4);
    *m = tz_num_digits(s + 5, 2);
    *d = tz_num_digits(s + 8, 2);
}

static void _shift_date(const char *in, char out[11])
{
    int y, m, d;
    _split_ymd(in, &y, &m, &d);
    y--;
    if (m == 2 && d == 29 && !tz_cal_leap(y))
        d = 28;
    if (m == 2 && d == 28 && tz_cal_leap(y) && tz_cal_mdays(y + 1, 2) == 28)
        d = 29; /* a month end stays a month end */
    _ymd(out, y, m, d);
}

void tz_period_prev_year(const tz_period *p, tz_period *out)
{
    tz_period t = *p;
    t.year = p->year - 1;
    _shift_date(p->start, t.start);
    _shift_date(p->end, t.end);
    /* labels start with the year: "2015-H1", "2015-01~07" */
    char y[8];
    snprintf(y, sizeof y, "%04d", t.year % 10000);
    if (strlen(t.label) >= 4)
        memcpy(t.label, y, 4);
    *out = t;
}

const char *tz_period_words(const tz_period *p, char *buf, size_t sz)
{
    switch (p->kind) {
    case TZ_PERIOD_MONTH:
        snprintf(buf, sz, "%d年%d月", p->year, p->index);
        break;
    case TZ_PERIOD_QUARTER:
        snprintf(buf, sz, "%d年第%s季度", p->year, _cn_digit[p->index & 3 ? p->index : 4]);
        break;
    case TZ_PERIOD_HALF:
        snprintf(buf, sz, "%d年%s", p->year, p->index == 1 ? "上半年" : "下半年");
        break;
    default:
        snprintf(buf, sz, "%d年", p->year);
        break;
    }
    return buf;
}

void tzm_period_ytd(const tz_period *p, tz_period *out)
{
    *out = *p;
    _ymd(out->start, p->year, 1, 1);
    if (!strcmp(p->start, out->start))
        return; /* already starts in January */
    int m = tz_num_digits(p->end + 5, 2);
    snprintf(out->label, sizeof out->label, "%04d-01~%02d", p->year % 10000, m % 100);
}

int tzm_period_last_year(const tz_period *p)
{
    return tz_num_digits(p->end, 4) - (strcmp(p->end + 4, "-12-31") != 0 ? 1 : 0);
}

const char *tzm_period_basis(const tz_period *p, char *buf, size_t sz)
{
    int y, m1, d1, y2, m2, d2;
    _split_ymd(p->start, &y, &m1, &d1);
    _split_ymd(p->end, &y2, &m2, &d2);
    int month_end = d2 == tz_cal_mdays(y2, m2);
    if (y == y2 && m1 == 1 && d1 == 1 && month_end) {
        if (m2 == 12)
            snprintf(buf, sz, "%d年全年", y);
        else if (m2 == 6)
            snprintf(buf, sz, "%d年上半年", y);
        else if (m2 == 3)
            snprintf(buf, sz, "%d年第一季度", y);
        else if (m2 == 1)
            snprintf(buf, sz, "%d年1月", y);
        else
            snprintf(buf, sz, "%d年1月至%d月累计", y, m2);
        return buf;
    }
    if (y == y2 && d1 == 1 && month_end) {
        tz_period t;
        const char *why;
        char lbl[16];
        snprintf(lbl, sizeof lbl, "%.15s", p->label);
        if (!tz_period_parse(lbl, &t, &why) && !strcmp(t.start, p->start) && !strcmp(t.end, p->end))
            return tz_period_words(&t, buf, sz);
        if (m1 == m2)
            snprintf(buf, sz, "%d年%d月", y, m1);
        else
            snprintf(buf, sz, "%d年%d月至%d月", y, m1, m2);
        return buf;
    }
    snprintf(buf, sz, "%s至%s", p->start, p->end);
    return buf;
}

/* The latest year found in one column (text dates or integer years). */
static int _max_year(tz_store *s, const char *sql, int *best)
{
    tz_stmt *st = NULL;
    if (tz_store_prepare(s, sql, &st))
        return -1;
    int r = tz_stmt_step(st);
    if (r == 1 && !tz_stmt_is_null(st, 0)) {
        int y = (int)strtol(tz_stmt_text(st, 0), NULL, 10);
        if (y > *best && y <= 2100)
            *best = y;
    }
    tz_stmt_free(st);
    return r < 0 ? -1 : 0;
}

/* The ledgers' date columns that date the data: those of the indicators
 * marked .year_source (indicators.c), each (ledger, column) once, written
 * as "SELECT MAX(column) FROM ledger" into sql[]. Returns the count. */
static size_t _year_sources(char sql[][96], size_t max)
{
    size_t n = 0, ndefs;
    const tzm_ind_def *defs = tzm_ind_defs(&ndefs);
    for (size_t i = 0; i < ndefs; i++) {
        if (!defs[i].year_source || !defs[i].date_col)
            continue;
        const char *dot = strchr(defs[i].date_col, '.');
        char one[96];
        snprintf(one, sizeof one, "SELECT MAX(%s) FROM %s", dot ? dot + 1 : defs[i].date_col,
                 defs[i].pub.ledger);
        size_t k = 0;
        while (k < n && strcmp(sql[k], one) != 0)
            k++;
        if (k == n && n < max)
            snprintf(sql[n++], sizeof sql[0], "%s", one);
    }
    return n;
}

int tz_period_latest(tz_store *s, tz_period *p)
{
    char sql[32][96];
    size_t n = _year_sources(sql, 32);
    int best = 0;
    /* the targets ledger dates the work too, though no indicator reads it */
    if (_max_year(s, "SELECT MAX(year) FROM targets", &best))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (_max_year(s, sql[i], &best))
            return -1;
    if (best < 1949)
        return 0;
    memset(p, 0, sizeof *p);
    p->kind = TZ_PERIOD_YEAR;
    p->year = best;
    _fill(p);
    return 1;
}

/* tzm_q_run callback: the year of the row's first column into acc (int *,
 * the latest so far) when it is later. */
static int _row_year(tz_stmt *st, void *acc)
{
    int *best = acc;
    if (!tz_stmt_is_null(st, 0)) {
        int y = (int)strtol(tz_stmt_text(st, 0), NULL, 10);
        if (y > *best && y <= 2100)
            *best = y;
    }
    return 1;
}

/* 1 when an earlier definition than defs[i] reads the same year source. */
static int _seen_source(const tzm_ind_def *defs, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (defs[j].year_source && defs[j].date_col && !strcmp(defs[j].from, defs[i].from) &&
            !strcmp(defs[j].date_col, defs[i].date_col))
            return 1;
    return 0;
}

/* The latest year of the scope's rows in the year sources and the targets
 * ledger, into *best. Returns 0 or -1 (diag). */
static int _scoped_years(tz_store *s, const tzm_scope_rt *rt, int *best, tz_diags *d)
{
    size_t ndefs;
    const tzm_ind_def *defs = tzm_ind_defs(&ndefs);
    tzm_query q;
    for (size_t i = 0; i < ndefs; i++) {
        const tzm_ind_def *def = &defs[i];
        if (!def->year_source || !def->date_col || strstr(def->from, "{date}") ||
            _seen_source(defs, i))
            continue;
        tzm_q_init(&q);
        tz_buf_printf(&q.sql, "SELECT MAX(%s) FROM %s WHERE 1 = 1", def->date_col, def->from);
        if (!tzm_q_scope(&q, def, rt)) { /* its rows say nothing about the unit */
            tzm_q_free(&q);
            continue;
        }
        if (tzm_q_run(s, &q, NULL, 0, _row_year, best, d))
            return -1;
    }
    /* the targets of the units in the scope (a unit's region lies in it) */
    tzm_q_init(&q);
    tz_buf_puts(&q.sql, "SELECT MAX(t.year) FROM targets t JOIN units u ON u.name = t.unit "
                        "WHERE 1 = 1");
    if (rt->has_region)
        tzm_q_region(&q, "u.region", rt->range.lo, rt->range.hi);
    if (rt->unit) {
        tz_buf_puts(&q.sql, " AND t.unit = ");
        tzm_q_text(&q, rt->unit);
    }
    return tzm_q_run(s, &q, NULL, 0, _row_year, best, d);
}

int tz_period_latest_in(tz_store *s, const tz_scope *sc, tz_period *p, tz_diags *d)
{
    tzm_scope_rt rt;
    int best = 0;
    if (sc && (sc->region || sc->unit)) {
        if (tzm_scope_resolve(s, sc, &rt, d) || _scoped_years(s, &rt, &best, d))
            return -1;
    }
    if (best < 1949) {
        int r = tz_period_latest(s, p);
        if (r < 0)
            tz_diags_error(d, NULL, 0, "期间", NULL, "数据库查询失败: %s", tz_store_errmsg(s));
        return r;
    }
    memset(p, 0, sizeof *p);
    p->kind = TZ_PERIOD_YEAR;
    p->year = best;
    _fill(p);
    return 1;
}
