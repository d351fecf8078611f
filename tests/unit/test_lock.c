/* test_lock.c - unit tests of 上报审核 locks (store/lock.c) on a real SQLite
 * file: which rows an approved submission locks, by period (date, month,
 * year) and scope (region prefix, unit; own column or through a reference),
 * and the reason given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ledger/ledger.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char _dir[64];
static tz_store *_s;

static int _setup(void **state)
{
    (void)state;
    snprintf(_dir, sizeof _dir, "/tmp/tz-lock-XXXXXX");
    if (!mkdtemp(_dir))
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/lock.db", _dir);
    tz_diags d = TZ_DIAGS_INIT;
    int r = tz_store_open(path, TZ_OPEN_CREATE | TZ_OPEN_MUST_NOT_EXIST, &_s, &d);
    tz_diags_clear(&d);
    if (r)
        return -1;
    return tz_store_exec(
        _s, "INSERT INTO regions (code, name, parent, level) VALUES "
            "('411600000000', '周口市', NULL, '市'), "
            "('411628000000', '鹿邑县', '411600000000', '县'), "
            "('411621000000', '扶沟县', '411600000000', '县'), "
            "('411628100000', '真源街道', '411628000000', '乡'), "
            "('411628101000', '生铁冢镇', '411628000000', '乡'), "
            "('411628100200', '东关村', '411628100000', '村'), "
            "('411628101201', '小李村', '411628101000', '村'), "
            "('411621100201', '城郊村', '411621000000', '村');"
            "INSERT INTO units (name, kind, region) VALUES "
            "('县商务局', '县直单位', '411628000000'), ('县文广局', '县直单位', '411628000000');"
            "INSERT INTO projects (project_id, name, county, unit) VALUES "
            "('P1', '纺织项目', '411628000000', '县商务局'), "
            "('P2', '食品项目', '411621000000', '县文广局');");
}

static int _teardown(void **state)
{
    (void)state;
    tz_store_close(_s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", _dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Each test starts with no submissions. */
static int _clean(void **state)
{
    (void)state;
    return tz_store_exec(_s, "DELETE FROM tz_submissions");
}

/* Adds a submission: kind 'region' or 'unit', its scope, digits, period
 * label and days, status and reviewer. */
static void _submission(const char *kind, const char *scope, int digits, const char *period,
                        const char *start, const char *end, const char *status)
{
    tz_stmt *st = NULL;
    assert_int_equal(tz_store_prepare(_s,
                                      "INSERT INTO tz_submissions (scope_kind, scope, digits, "
                                      "period, period_start, period_end, status, submitted_by, "
                                      "reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, '李四', '张三')",
                                      &st),
                     0);
    tz_stmt_bind_text(st, 1, kind);
    tz_stmt_bind_text(st, 2, scope);
    tz_stmt_bind_int(st, 3, digits);
    tz_stmt_bind_text(st, 4, period);
    tz_stmt_bind_text(st, 5, start);
    tz_stmt_bind_text(st, 6, end);
    tz_stmt_bind_text(st, 7, status);
    assert_int_equal(tz_stmt_step(st), 0);
    tz_stmt_free(st);
}

/* The canonical values of a row of ledger id given as header, raw value
 * pairs ending with NULL; columns not named are empty. Caller frees with
 * _vals_free. */
static tz_value *_vals(const char *id, ...)
{
    const tz_ledger *l = tz_ledger_find(id);
    assert_non_null(l);
    tz_value *v = calloc(l->ncols, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < l->ncols; i++)
        v[i].null = 1;
    va_list ap;
    va_start(ap, id);
    const char *h;
    while ((h = va_arg(ap, const char *)) != NULL) {
        const char *raw = va_arg(ap, const char *);
        int c = tz_ledger_col(l, h);
        assert_true(c >= 0);
        const char *why = NULL;
        assert_int_equal(tz_value_parse(&l->cols[c], raw, 0, &v[c], &why), 0);
    }
    va_end(ap);
    return v;
}

static void _vals_free(const char *id, tz_value *v)
{
    tz_values_clear(v, tz_ledger_find(id)->ncols);
    free(v);
}

/* tz_lock_row for the row, the reason into why. */
static int _locked(const char *id, tz_value *v, char *why, size_t sz)
{
    return tz_lock_row(_s, tz_ledger_find(id), v, why, sz);
}

static tz_value *_input(const char *date, const char *village, const char *unit)
{
    return _vals("aid_inputs", "投入编号", "T1", "日期", date, "村代码", village, "帮扶单位", unit,
                 NULL);
}

static void test_nothing_approved(void **state)
{
    (void)state;
    const tz_ledger *l = tz_ledger_find("aid_inputs");
    assert_int_equal(tz_lock_possible(_s, l), 0);
    _submission("region", "411628000000", 6, "2024-03", "2024-03-01", "2024-03-31", "submitted");
    _submission("region", "411628100000", 9, "2024-03", "2024-03-01", "2024-03-31", "returned");
    _submission("region", "411628101000", 9, "2024-03", "2024-03-01", "2024-03-31", "reopened");
    assert_int_equal(tz_lock_possible(_s, l), 0);
    tz_value *v = _input("2024-03-15", "411628100200", "县商务局");
    char why[256] = "x";
    assert_int_equal(_locked("aid_inputs", v, why, sizeof why), 0);
    assert_string_equal(why, "");
    _vals_free("aid_inputs", v);
}

static void test_region_date(void **state)
{
    (void)state;
    _submission("region", "411628000000", 6, "2024-03", "2024-03-01", "2024-03-31", "approved");
    assert_int_equal(tz_lock_possible(_s, tz_ledger_find("aid_inputs")), 1);
    /* a ledger without a period column is never locked */
    assert_int_equal(tz_lock_possible(_s, tz_ledger_find("regions")), 0);
    char why[256];
    tz_value *in = _input("2024-03-15", "411628100200", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(鹿邑县 2024-03,审核人 张三)");
    _vals_free("aid_inputs", in);
    /* the first and the last day are inside; the days around are not */
    const char *days[][2] = {{"2024-03-01", "1"},
                             {"2024-03-31", "1"},
                             {"2024-02-29", "0"},
                             {"2024-04-01", "0"},
                             {"2023-03-15", "0"}};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        in = _input(days[i][0], "411628101201", "县文广局");
        assert_int_equal(_locked("aid_inputs", in, why, sizeof why), days[i][1][0] - '0');
        _vals_free("aid_inputs", in);
    }
    /* another county's village is outside the scope */
    in = _input("2024-03-15", "411621100201", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 0);
    _vals_free("aid_inputs", in);
    /* an empty date is never locked */
    in = _vals("cultural_events", "地点区划代码", "411628100200", NULL);
    assert_int_equal(_locked("cultural_events", in, why, sizeof why), 0);
    _vals_free("cultural_events", in);
    /* the reason may be left out */
    in = _input("2024-03-15", "411628100200", "县商务局");
    assert_int_equal(tz_lock_row(_s, tz_ledger_find("aid_inputs"), in, NULL, 0), 1);
    _vals_free("aid_inputs", in);
}

static void test_township_prefix(void **state)
{
    (void)state;
    _submission("region", "411628100000", 9, "2024-Q1", "2024-01-01", "2024-03-31", "approved");
    char why[256];
    tz_value *in = _input("2024-02-10", "411628100200", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(真源街道 2024-Q1,审核人 张三)");
    _vals_free("aid_inputs", in);
    /* the neighbouring township shares the county's six digits, not nine */
    in = _input("2024-02-10", "411628101201", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 0);
    _vals_free("aid_inputs", in);
    /* locked twice over: the older approval is named */
    _submission("region", "411628000000", 6, "2024-Q1", "2024-01-01", "2024-03-31", "approved");
    in = _input("2024-02-10", "411628100200", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(真源街道 2024-Q1,审核人 张三)");
    _vals_free("aid_inputs", in);
    in = _input("2024-02-10", "411628101201", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(鹿邑县 2024-Q1,审核人 张三)");
    _vals_free("aid_inputs", in);
}

/* 资金到位 is dated by month and placed through its project (所在县区代码,
 * 责任单位 of projects). */
static void test_month_through_reference(void **state)
{
    (void)state;
    _submission("region", "411628000000", 6, "2024-03", "2024-03-01", "2024-03-31", "approved");
    char why[256];
    tz_value *f = _vals("project_funds", "项目编号", "P1", "月份", "2024-03", NULL);
    assert_int_equal(_locked("project_funds", f, why, sizeof why), 1);
    _vals_free("project_funds", f);
    /* P2 lies in 扶沟县 */
    f = _vals("project_funds", "项目编号", "P2", "月份", "2024-03", NULL);
    assert_int_equal(_locked("project_funds", f, why, sizeof why), 0);
    _vals_free("project_funds", f);
    /* a project not stored has no place */
    f = _vals("project_funds", "项目编号", "P9", "月份", "2024-03", NULL);
    assert_int_equal(_locked("project_funds", f, why, sizeof why), 0);
    _vals_free("project_funds", f);
    /* a month only partly inside a period is not locked by it */
    _clean(NULL);
    _submission("region", "411628000000", 6, "2024-03-x", "2024-03-01", "2024-03-30", "approved");
    f = _vals("project_funds", "项目编号", "P1", "月份", "2024-03", NULL);
    assert_int_equal(_locked("project_funds", f, why, sizeof why), 0);
    _vals_free("project_funds", f);
}

static void test_unit_scope(void **state)
{
    (void)state;
    _submission("unit", "县文广局", 0, "2024-03", "2024-03-01", "2024-03-31", "approved");
    char why[256];
    /* own column: 帮扶投入's 帮扶单位 */
    tz_value *in = _input("2024-03-15", "411628100200", "县文广局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(县文广局 2024-03,审核人 张三)");
    _vals_free("aid_inputs", in);
    in = _input("2024-03-15", "411628100200", "县商务局");
    assert_int_equal(_locked("aid_inputs", in, why, sizeof why), 0);
    _vals_free("aid_inputs", in);
    /* through the project: P2's 责任单位 is 县文广局 */
    tz_value *f = _vals("project_funds", "项目编号", "P2", "月份", "2024-03", NULL);
    assert_int_equal(_locked("project_funds", f, why, sizeof why), 1);
    _vals_free("project_funds", f);
    /* a ledger without a unit (文化活动) is not in a unit's scope */
    tz_value *e =
        _vals("cultural_events", "日期", "2024-03-02", "地点区划代码", "411628100200", NULL);
    assert_int_equal(_locked("cultural_events", e, why, sizeof why), 0);
    _vals_free("cultural_events", e);
}

/* A year-dated row (户籍人口's 年度) is locked by its whole year only. */
static void test_year(void **state)
{
    (void)state;
    _submission("region", "411628000000", 6, "2024-12", "2024-12-01", "2024-12-31", "approved");
    char why[256];
    tz_value *p = _vals("populations", "村代码", "411628100200", "年度", "2024", NULL);
    assert_int_equal(_locked("populations", p, why, sizeof why), 0);
    _submission("region", "411628000000", 6, "2024", "2024-01-01", "2024-12-31", "approved");
    assert_int_equal(_locked("populations", p, why, sizeof why), 1);
    assert_string_equal(why, "该期间数据已审核锁定(鹿邑县 2024,审核人 张三)");
    _vals_free("populations", p);
    p = _vals("populations", "村代码", "411628100200", "年度", "2023", NULL);
    assert_int_equal(_locked("populations", p, why, sizeof why), 0);
    _vals_free("populations", p);
}

/* Every ledger's period column exists and is a date, month or year. */
static void test_period_columns(void **state)
{
    (void)state;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (!all[i].period_col)
            continue;
        int c = tz_ledger_col(&all[i], all[i].period_col);
        assert_true(c >= 0);
        tz_coltype t = all[i].cols[c].type;
        assert_true(t == TZ_COL_DATE || t == TZ_COL_MONTH || t == TZ_COL_YEAR);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_nothing_approved, _clean),
        cmocka_unit_test_setup(test_region_date, _clean),
        cmocka_unit_test_setup(test_township_prefix, _clean),
        cmocka_unit_test_setup(test_month_through_reference, _clean),
        cmocka_unit_test_setup(test_unit_scope, _clean),
        cmocka_unit_test_setup(test_year, _clean),
        cmocka_unit_test(test_period_columns),
    };
    return cmocka_run_group_tests(tests, _setup, _teardown);
}
