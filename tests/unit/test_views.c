/* test_views.c - unit tests of web/views: the scope and its wrong values,
 * check, indicator, ledgers, diagnostics and import results as JSON, on a
 * real SQLite database loaded from examples/ through the normal import (as
 * `taizhang demo` does), once for the whole group. Each figure is checked
 * against the metrics call behind it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "metrics/metrics.h"
#include "store/store.h"
#include "web/views.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- fixture: the demo database ------------------------------------------ */

typedef struct fx {
    char dir[64]; /* temp directory */
    char db[128]; /* database path */
    tz_store *s;  /* open store */
} fx;

/* examples/, templates/ and data/ live under TAIZHANG_HOME (tests/run.sh),
 * else the current directory (the repository root). */
static const char *_home(void)
{
    const char *home = getenv("TAIZHANG_HOME");
    return home && *home ? home : ".";
}

/* Imports every examples/<folder>/<ledger>.csv in ledger order. */
static int _load_demo(tz_store *s)
{
    static const char *const folders[] = {"county", "city"};
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    int files = 0;
    for (size_t f = 0; f < 2; f++) {
        for (size_t i = 0; i < n; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/examples/%s/%s.csv", _home(), folders[f], all[i].id);
            if (access(path, R_OK) != 0)
                continue;
            tz_import_opts o = {.actor = "test"};
            tz_import_result r;
            tz_diags d = TZ_DIAGS_INIT;
            int rc = tz_import_file(s, &all[i], path, &o, &r, &d);
            tz_import_result_free(&r);
            if (rc)
                tz_diags_print(&d, stderr);
            tz_diags_clear(&d);
            if (rc)
                return -1;
            files++;
        }
    }
    return files > 10 ? 0 : -1;
}

/* Loads a data file of data/ with load; 0 or -1. */
static int _data_file(const char *name, int (*load)(const char *, tz_diags *))
{
    char path[1024];
    tz_diags d = TZ_DIAGS_INIT;
    snprintf(path, sizeof path, "%s/data/%s", _home(), name);
    int rc = load(path, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    return rc;
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    tz_diags d = TZ_DIAGS_INIT;
    if (!f)
        return -1;
    *state = f;
    snprintf(f->dir, sizeof f->dir, "/tmp/tz-views-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/demo.db", f->dir);
    int rc = tz_store_open(f->db, TZ_OPEN_CREATE, &f->s, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    if (rc || _load_demo(f->s) || _data_file("poverty_lines.tsv", tz_poverty_lines_load) ||
        _data_file("village_exit_thresholds.tsv", tz_exit_thresholds_load))
        return -1;
    rc = tz_metrics_refresh(f->s, &d);
    tz_diags_clear(&d);
    return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char p[160];
    if (!f)
        return 0;
    tz_store_close(f->s);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Resolves a scope; fails the test unless it resolves. */
static void scope(tz_store *s, const char *region, const char *unit, const char *period,
                  tz_view_scope *o)
{
    tz_diags d = TZ_DIAGS_INIT;
    int rc = tz_view_scope_resolve(s, region, unit, period, o, &d);
    if (rc)
        tz_diags_print(&d, stderr);
    tz_diags_clear(&d);
    assert_int_equal(rc, 0);
}

/* The value of a JSON number (integer or real); NAN for null. */
static double num(const json_t *j)
{
    assert_non_null(j);
    return json_is_null(j) ? NAN : json_number_value(j);
}

/* ---- scope ------------------------------------------------------------------ */

/* Asserts that resolving gives 1 with one error naming field. */
static void wrong(tz_store *s, const char *region, const char *unit, const char *period,
                  const char *field)
{
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    assert_int_equal(tz_view_scope_resolve(s, region, unit, period, &o, &d), 1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.items[0].column, field);
    tz_diags_clear(&d);
}

static void test_scope(void **state)
{
    fx *f = *state;
    tz_view_scope o;
    scope(f->s, "鹿邑县", "县文化广电旅游局", "2019", &o);
    assert_string_equal(o.sc.region, "411628000000");
    assert_string_equal(o.region_name, "鹿邑县");
    assert_ptr_equal(o.sc.unit, o.unit);
    assert_string_equal(o.sc.unit, "县文化广电旅游局");
    assert_string_equal(o.p.label, "2019");
    assert_int_equal(o.period_default, 0);
    json_t *j = tz_view_scope_json(&o);
    assert_string_equal(json_string_value(json_object_get(j, "region_name")), "鹿邑县");
    json_decref(j);

    scope(f->s, NULL, NULL, NULL, &o); /* every region, the latest year */
    assert_null(o.sc.region);
    assert_null(o.sc.unit);
    assert_int_equal(o.period_default, 1);
    tz_period latest;
    assert_int_equal(tz_period_latest(f->s, &latest), 1);
    assert_string_equal(o.p.label, latest.label);

    wrong(f->s, "没有这个县", NULL, "2019", "区划");
    wrong(f->s, "4116", NULL, "2019", "区划");
    wrong(f->s, NULL, "没有这个单位", "2019", "单位");
    wrong(f->s, NULL, NULL, "2015-13", "期间");
}

/* ---- check ------------------------------------------------------------------ */

static void test_check(void **state)
{
    fx *f = *state;
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    json_t *j = NULL;
    int failed = -1;
    scope(f->s, "411400", NULL, "2015-H1", &o);
    assert_int_equal(tz_view_check(f->s, &o, &j, &failed, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "scope"), "region")),
                        "411400000000");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "period"), "end")),
                        "2015-06-30");

    /* the summary counts what the arrays hold */
    json_t *targets = json_object_get(j, "targets"), *sum = json_object_get(j, "summary");
    size_t i, met = 0, not_met = 0;
    json_t *e;
    assert_true(json_array_size(targets) > 0);
    json_array_foreach(targets, i, e)
    {
        const char *st = json_string_value(json_object_get(e, "status"));
        met += !strcmp(st, tz_status_word(TZ_STATUS_MET));
        not_met += !strcmp(st, tz_status_word(TZ_STATUS_NOT_MET));
    }
    assert_int_equal(json_integer_value(json_object_get(sum, "targets")), json_array_size(targets));
    assert_int_equal(json_integer_value(json_object_get(sum, "met")), met);
    assert_int_equal(json_integer_value(json_object_get(sum, "not_met")), not_met);
    size_t nf = json_array_size(json_object_get(j, "findings"));
    assert_int_equal(failed, not_met > 0 || nf > 0);
    assert_int_equal(json_is_true(json_object_get(sum, "failed")), failed);

    /* each key figure is the indicator's value for the scope */
    json_t *figures = json_object_get(j, "figures");
    assert_true(json_array_size(figures) > 0);
    json_array_foreach(figures, i, e)
    {
        tz_mode mode;
        double v;
        assert_int_equal(tz_mode_parse(json_string_value(json_object_get(e, "mode")), &mode), 0);
        assert_int_equal(tz_indicator_eval(f->s, json_string_value(json_object_get(e, "indicator")),
                                           &o.sc, &o.p, mode, &v, &d),
                         0);
        assert_true(fabs(num(json_object_get(e, "value")) - v) < 1e-6);
    }
    json_decref(j);
    tz_diags_clear(&d);
}

/* ---- indicator -------------------------------------------------------------- */

static int count_row(void *ctx, const char *ledger, const char *key)
{
    (*(size_t *)ctx)++;
    return 0;
}

static void test_indicator(void **state)
{
    fx *f = *state;
    static const char name[] = "合同外资(万美元)";
    tz_view_scope o;
    tz_diags d = TZ_DIAGS_INIT;
    json_t *j = NULL;
    double v;
    size_t rows = 0;
    scope(f->s, "411400", NULL, "2015-H1", &o);
    assert_int_equal(tz_indicator_eval(f->s, name, &o.sc, &o.p, TZ_MODE_PERIOD, &v, &d), 0);
    assert_true(v > 0);
    assert_int_equal(
        tz_indicator_explain(f->s, name, &o.sc, &o.p, TZ_MODE_PERIOD, count_row, &rows, &d), 0);

    assert_int_equal(tz_view_indicator(f->s, name, &o, NULL, "招商方式", 1, &j, &d), 0);
    assert_string_equal(json_string_value(json_object_get(j, "indicator")), name);
    assert_string_equal(json_string_value(json_object_get(j, "mode")), "period");
    assert_string_equal(json_string_value(json_object_get(j, "by")), "channel");
    assert_true(fabs(num(json_object_get(j, "value")) - v) < 1e-6);
    assert_int_equal(json_array_size(json_object_get(j, "rows")), rows);
    double total = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(j, "groups"), i, e) total +=
        num(json_object_get(e, "value"));
    assert_true(fabs(total - v) < 1e-6);
    json_decref(j);

    /* 累计 is the Chinese name of todate; no split, no rows without explain */
    assert_int_equal(tz_view_indicator(f->s, name, &o, "累计", NULL, 0, &j, &d), 0);
    assert_string_equal(json_string_value(json_object_get(j, "mode")), "todate");
    assert_null(json_object_get(j, "rows"));
    assert_null(json_object_get(j, "groups"));
    json_decref(j);
    assert_int_equal(d.nerrors, 0);

    /* a wrong parameter names its field */
    static const char *const asks[][3] = {
        {"没有这个指标", NULL, NULL}, {name, "nosuch", NULL}, {name, NULL, "nosuch"}};
    static const char *const fields[] = {"指标", "口径", "分组"};
    for (int k = 0; k < 3; k++) {
        j = NULL;
        assert_int_equal(tz_view_indicator(f->s, asks[k][0], &o, asks[k][1], asks[k][2], 0, &j, &d),
                         1);
        assert_null(j);
        assert_int_equal(d.nerrors, 1);
        assert_string_equal(d.items[0].column, fields[k]);
        tz_diags_clear(&d);
    }
}

/* ---- ledgers, numbers, diagnostics, import --------------------------------- */

static void test_ledgers(void **state)
{
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    json_t *j = tz_view_ledgers(NULL);
    assert_int_equal(json_array_size(j), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(j, i), "id")),
                            all[i].id);
    json_decref(j);

    const tz_ledger *hh = tz_ledger_find("households");
    j = tz_view_ledgers(hh);
    assert_int_equal(json_array_size(j), 1);
    json_t *l = json_array_get(j, 0), *cols = json_object_get(l, "columns");
    assert_string_equal(json_string_value(json_object_get(l, "name")), hh->name);
    assert_int_equal(json_array_size(cols), hh->ncols);
    int c = tz_ledger_col(hh, "户主身份证号");
    assert_true(c >= 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, c), "type")),
                        "身份证号");
    c = tz_ledger_col(hh, "户编号");
    assert_true(json_is_true(json_object_get(json_array_get(cols, c), "key")));
    json_decref(j);
}

static void test_num_and_dump(void **state)
{
    json_t *a = json_array();
    json_array_append_new(a, tz_view_num(NAN));
    json_array_append_new(a, tz_view_num(INFINITY));
    json_array_append_new(a, tz_view_num(3.0));
    json_array_append_new(a, tz_view_num(1.23456789));
    assert_true(json_is_null(json_array_get(a, 0)));
    assert_true(json_is_null(json_array_get(a, 1)));
    assert_true(json_is_integer(json_array_get(a, 2)));
    assert_true(json_is_real(json_array_get(a, 3)));
    char *text = tz_view_dump(a);
    assert_string_equal(text, "[\n  null,\n  null,\n  3,\n  1.234568\n]\n");
    free(text);
    json_decref(a);
}

static void test_diags_and_import(void **state)
{
    tz_diags d = TZ_DIAGS_INIT;
    tz_diags_error(&d, "hh.csv", 3, "户主身份证号", "411628197001010012", "校验码错误");
    tz_diags_warn(&d, NULL, 0, NULL, NULL, "已忽略");
    json_t *j = tz_view_diags(&d);
    assert_int_equal(json_array_size(j), 2);
    json_t *e = json_array_get(j, 0);
    assert_string_equal(json_string_value(json_object_get(e, "level")), "error");
    assert_string_equal(json_string_value(json_object_get(e, "file")), "hh.csv");
    assert_int_equal(json_integer_value(json_object_get(e, "row")), 3);
    assert_string_equal(json_string_value(json_object_get(e, "column")), "户主身份证号");
    /* an ID number is never shown whole */
    assert_string_equal(json_string_value(json_object_get(e, "value")), "411628********0012");
    e = json_array_get(j, 1);
    assert_string_equal(json_string_value(json_object_get(e, "level")), "warning");
    assert_true(json_is_null(json_object_get(e, "row")));
    assert_true(json_is_null(json_object_get(e, "file")));
    json_decref(j);

    const tz_ledger *hh = tz_ledger_find("households");
    j = tz_view_import(hh, "hh.csv", 1, 1, NULL, &d);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "refused");
    assert_true(json_is_true(json_object_get(j, "dry_run")));
    assert_int_equal(json_array_size(json_object_get(j, "errors")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "error_count")), 1);
    assert_true(json_is_null(json_object_get(j, "encoding")));
    json_decref(j);

    tz_import_result r = {.rows = 10, .inserted = 4, .updated = 3, .encoding = "UTF-8"};
    tz_diags_clear(&d);
    j = tz_view_import(hh, "hh.csv", 0, 0, &r, &d);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "accepted");
    assert_int_equal(json_integer_value(json_object_get(j, "unchanged")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "ledger")), "households");
    json_decref(j);
    tz_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope),        cmocka_unit_test(test_check),
        cmocka_unit_test(test_indicator),    cmocka_unit_test(test_ledgers),
        cmocka_unit_test(test_num_and_dump), cmocka_unit_test(test_diags_and_import),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
