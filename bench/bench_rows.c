/* bench_rows.c - times the HTTP API's row reads (store/rows.c) in process on
 * a large county: a page of households in a county's, a township's and a
 * village's scope, a deep page, a sort, free text, a filter, one row by its
 * key, and one change written (version checked, audited) and changed back.
 * Built and run by bench_rows.sh against build/libtz.a; measures only.
 *
 * Usage: bench_rows DB RUNS
 * Prints one line per case: name, median milliseconds, rows, total.
 */
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int _count(void *ctx, const char *const *cells, size_t n, long long version)
{
    (void)cells;
    (void)n;
    (void)version;
    (*(long *)ctx)++;
    return 0;
}

static double _now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int _cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The first value of a one-column query, into out. */
static void _first(tz_store *s, const char *sql, char *out, size_t sz)
{
    tz_stmt *st = NULL;
    out[0] = '\0';
    if (tz_store_prepare(s, sql, &st) == 0 && tz_stmt_step(st) == 1 && tz_stmt_text(st, 0))
        snprintf(out, sz, "%s", tz_stmt_text(st, 0));
    tz_stmt_free(st);
}

/* Times one page query RUNS times; prints the median. */
static void _page(tz_store *s, const char *name, const tz_rows_query *q, int runs)
{
    const tz_ledger *l = tz_ledger_find("households");
    double *t = calloc((size_t)runs, sizeof *t);
    long rows = 0;
    long long total = 0;
    for (int i = 0; t && i < runs; i++) {
        tz_diags d = TZ_DIAGS_INIT;
        rows = 0;
        double a = _now_ms();
        if (tz_rows_page(s, l, q, &total, _count, &rows, &d) != 0) {
            tz_diags_print(&d, stderr);
            exit(1);
        }
        t[i] = _now_ms() - a;
        tz_diags_clear(&d);
    }
    qsort(t, (size_t)runs, sizeof *t, _cmp);
    printf("%s\t%.2f\t%ld\t%lld\n", name, t[runs / 2], rows, total);
    free(t);
}

/* Times reading one row by key, and one change written and changed back. */
static void _one(tz_store *s, const char *key, int runs)
{
    const tz_ledger *l = tz_ledger_find("households");
    double *g = calloc((size_t)runs, sizeof *g), *w = calloc((size_t)runs, sizeof *w);
    long rows = 0;
    long long version = 0;
    char ver[160];
    snprintf(ver, sizeof ver, "SELECT tz_version FROM households WHERE hh_id = '%s'", key);
    tz_store_scalar_int(s, ver, NULL, &version);
    for (int i = 0; g && w && i < runs; i++) {
        tz_diags d = TZ_DIAGS_INIT;
        double a = _now_ms();
        tz_row_status st = tz_row_get(s, l, key, NULL, 0, _count, &rows, &d);
        if (st != TZ_ROW_OK) {
            fprintf(stderr, "tz_row_get %s: %d\n", key, (int)st);
            tz_diags_print(&d, stderr);
            exit(1);
        }
        g[i] = _now_ms() - a;
        const char *h[] = {"户编号", "帮扶责任人"};
        const char *v[] = {key, i % 2 ? "基准甲" : "基准乙"};
        a = _now_ms();
        st = tz_row_put(s, l, h, v, 2, version, NULL, "bench", &version, NULL, NULL, &d);
        if (st != TZ_ROW_OK) {
            fprintf(stderr, "tz_row_put %s: %d\n", key, (int)st);
            tz_diags_print(&d, stderr);
            exit(1);
        }
        w[i] = _now_ms() - a;
        tz_diags_clear(&d);
    }
    qsort(g, (size_t)runs, sizeof *g, _cmp);
    qsort(w, (size_t)runs, sizeof *w, _cmp);
    printf("tz_row_get 一户\t%.2f\t1\t1\n", g[runs / 2]);
    printf("tz_row_put 改一户(事务+留痕)\t%.2f\t1\t1\n", w[runs / 2]);
    free(g);
    free(w);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int runs = atoi(argv[2]); // NOLINT(cert-err34-c): a benchmark's own argument
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    if (runs < 1 || tz_store_open(argv[1], 0, &s, &d)) {
        tz_diags_print(&d, stderr);
        return 3;
    }
    char town[16], village[16], key[64];
    _first(s, "SELECT code FROM regions WHERE level = '乡' ORDER BY code", town, sizeof town);
    _first(s, "SELECT code FROM regions WHERE level = '村' ORDER BY code", village, sizeof village);
    _first(s, "SELECT hh_id FROM households ORDER BY hh_id", key, sizeof key);
    tz_access county = {.region = "411628000000", .digits = 6};
    tz_access tw = {.digits = 9}, vl = {.digits = 12};
    snprintf(tw.region, sizeof tw.region, "%s", town);
    snprintf(vl.region, sizeof vl.region, "%s", village);
    tz_filter f[] = {{"所在村代码", village}};
    tz_rows_query q_county = {.limit = 100, .access = &county};
    tz_rows_query q_town = {.limit = 100, .access = &tw};
    tz_rows_query q_village = {.limit = 100, .access = &vl};
    tz_rows_query q_deep = {.limit = 100, .offset = 150000, .access = &county};
    tz_rows_query q_sort = {.limit = 100, .sort = "-人均纯收入(元)", .access = &county};
    tz_rows_query q_text = {.limit = 100, .q = "王建", .access = &county};
    tz_rows_query q_where = {.limit = 100, .f = f, .nf = 1, .access = &county};
    _page(s, "县级范围 第1页(100行)", &q_county, runs);
    _page(s, "乡级范围 第1页", &q_town, runs);
    _page(s, "村级范围 第1页", &q_village, runs);
    _page(s, "县级范围 第1501页(offset 150000)", &q_deep, runs);
    _page(s, "县级范围 按人均纯收入倒序", &q_sort, runs);
    _page(s, "县级范围 全文搜索\"王建\"", &q_text, runs);
    _page(s, "县级范围 where 所在村代码", &q_where, runs);
    _one(s, key, runs);
    tz_store_close(s);
    return 0;
}
