/* test_ledger.c - unit tests of ledger definitions, field parsers and row checks,
 * and of the SQLite store (a real database file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "io/reader.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_definitions(void **state)
{
    (void)state;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    assert_int_equal(n, 13); /* the contract's twelve + populations */
    assert_ptr_equal(tz_ledger_find("households"), tz_ledger_find("建档立卡贫困户"));
    assert_null(tz_ledger_find("nothing"));
    for (size_t i = 0; i < n; i++) {
        int keys[4];
        assert_true(tz_ledger_keys(&all[i], keys) >= 1);
        for (size_t c = 0; c < all[i].ncols; c++) {
            /* designated rows: a forgotten field is zero, so the ones every
             * column needs are checked here */
            const tz_column *col = &all[i].cols[c];
            if (!col->name || !col->sql || col->width <= 0)
                fail_msg("%s: column %zu lacks its name, SQL name or width", all[i].id, c);
            if (col->type != TZ_COL_INT && col->type != TZ_COL_DECIMAL &&
                col->type != TZ_COL_YEAR && (col->min != 0 || col->max != 0))
                fail_msg("%s.%s: a range on a column that is not a number", all[i].id, col->name);
            if (all[i].cols[c].type == TZ_COL_ENUM)
                assert_non_null(all[i].cols[c].choices);
            if (all[i].cols[c].ref)
                assert_non_null(tz_ledger_find(all[i].cols[c].ref));
        }
        for (size_t k = 0; k < all[i].nchecks; k++) {
            assert_true(tz_ledger_col(&all[i], all[i].checks[k].left) >= 0);
            assert_true(tz_ledger_col(&all[i], all[i].checks[k].right) >= 0);
        }
    }
    const tz_ledger *p = tz_ledger_find("projects");
    assert_int_equal(p->ncols, 15);
    assert_string_equal(p->cols[0].name, "项目编号");
    assert_string_equal(p->cols[14].name, "招商方式");
    assert_int_equal(tz_level_parse("乡"), TZ_LEVEL_TOWNSHIP);
    assert_string_equal(tz_level_word(TZ_LEVEL_VILLAGE), "村");
}

static void test_dates(void **state)
{
    (void)state;
    char out[11];
    const char *why;
    assert_int_equal(tz_parse_date("2019-06-01", 0, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("2019/6/1", 0, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("2019年6月1日", 0, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("43617", 1, 0, out, &why), 0); /* Excel serial */
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("1", 1, 0, out, &why), 0);
    assert_string_equal(out, "1900-01-01");
    assert_int_equal(tz_parse_date("61", 1, 0, out, &why), 0);
    assert_string_equal(out, "1900-03-01");
    assert_int_equal(tz_parse_date("2020-02-29", 0, 0, out, &why), 0);
    assert_int_equal(tz_parse_date("2019-02-29", 0, 0, out, &why), -1);
    assert_int_equal(tz_parse_date("43617", 0, 0, out, &why), -1); /* text, not a serial */
    assert_int_equal(tz_parse_date("2019-13-01", 0, 0, out, &why), -1);
    assert_int_equal(tz_parse_date("六月一日", 0, 0, out, &why), -1);
    assert_non_null(strstr(why, "YYYY-MM-DD"));
    char m[8];
    assert_int_equal(tz_parse_month("2015-07", 0, 0, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("2015年7月", 0, 0, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("42186", 1, 0, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("2015-13", 0, 0, m, &why), -1);
}

/* issue 7 point 5: a workbook in the 1904 date system counts serials from
 * 1904-01-01, 1462 days later than the 1900 system */
static void test_dates_1904(void **state)
{
    (void)state;
    char out[11], m[8];
    const char *why;
    assert_int_equal(tz_parse_date("43617", 1, 1, out, &why), 0);
    assert_string_equal(out, "2023-06-02");
    assert_int_equal(tz_parse_date("43617", 1, 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("0", 1, 1, out, &why), 0);
    assert_string_equal(out, "1904-01-01");
    assert_int_equal(tz_parse_date("0", 1, 0, out, &why), -1);
    assert_int_equal(tz_parse_date("-1", 1, 1, out, &why), -1);
    /* typed dates do not depend on the workbook's date system */
    assert_int_equal(tz_parse_date("2019-06-01", 0, 1, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_month("42186", 1, 1, m, &why), 0);
    assert_string_equal(m, "2019-07");
    /* and through a row: a 1904 workbook's 落地日期 */
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *l = tz_ledger_find("tv_installs");
    const char *hdr[] = {"户编号", "安装日期", "安装单位", "状态"};
    const char *row[] = {"H1", "43617", "", "正常"};
    const unsigned char kinds[] = {TZ_CELL_TEXT, TZ_CELL_NUMBER, TZ_CELL_TEXT, TZ_CELL_TEXT};
    tz_header_map hm;
    tz_value vals[4];
    assert_int_equal(tz_header_match(l, hdr, 4, "t.xlsx", &hm, &d), 0);
    assert_int_equal(tz_row_validate(l, &hm, row, kinds, 4, "t.xlsx", 2, TZ_ROW_DATE1904, vals, &d),
                     0);
    assert_string_equal(vals[1].text, "2023-06-02");
    tz_values_clear(vals, 4);
    assert_int_equal(tz_row_validate(l, &hm, row, kinds, 4, "t.xlsx", 2, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "2019-06-01");
    tz_values_clear(vals, 4);
    assert_int_equal(tz_row_flags("a/b.xlsx", 1), TZ_ROW_DATE1904);
    assert_int_equal(tz_row_flags("a/b.CSV", 0), TZ_ROW_CSV);
    tz_header_map_free(&hm);
    tz_diags_clear(&d);
}

static void test_region_and_id(void **state)
{
    (void)state;
    char code[13], id[19];
    const char *why;
    assert_int_equal(tz_parse_region("411628", code, &why), 0);
    assert_string_equal(code, "411628000000");
    assert_int_equal(tz_parse_region("411628101", code, &why), 0);
    assert_string_equal(code, "411628101000");
    assert_int_equal(tz_parse_region("4116281", code, &why), -1);
    assert_int_equal(tz_parse_region("41162A", code, &why), -1);
    /* 11010519491231002X is the GB 11643 standard's own example */
    assert_int_equal(tz_parse_idcard("11010519491231002X", id, &why), 0);
    assert_int_equal(tz_parse_idcard("11010519491231002x", id, &why), 0);
    assert_string_equal(id, "11010519491231002X");
    assert_int_equal(tz_parse_idcard("110105194912310021", id, &why), -1);
    assert_string_equal(why, "校验码错误");
    assert_int_equal(tz_parse_idcard("11010519491331002X", id, &why), -1);
    assert_string_equal(why, "出生日期无效");
    assert_int_equal(tz_parse_idcard("1101051949123100", id, &why), -1);
    assert_int_equal(tz_parse_idcard("1101051949123A002X", id, &why), -1);
}

static void test_numbers(void **state)
{
    (void)state;
    double d;
    long long i;
    const char *why;
    assert_int_equal(tz_parse_decimal("1,234.5", &d, &why), 0);
    assert_true(d == 1234.5);
    assert_int_equal(tz_parse_decimal("abc", &d, &why), -1);
    /* an integer column refuses a typed decimal point, even ".0" */
    assert_int_equal(tz_parse_int("3", &i, &why), 0);
    assert_int_equal(i, 3);
    assert_int_equal(tz_parse_int("3.0", &i, &why), -1);
    assert_non_null(strstr(why, "整数"));
    assert_int_equal(tz_parse_int("3.5", &i, &why), -1);
}

/* issue 7 point 4: the number grammar */
static void test_number_grammar(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        double v;
    } good[] = {
        {"0", 0},
        {"12", 12},
        {"-12", -12},
        {"+12", 12},
        {"12.5", 12.5},
        {".5", 0.5},
        {"12,345.6", 12345.6},
        {"1,234,567", 1234567},
        {"999,999", 999999},
        {"-1,000", -1000},
        {"-0", 0},
        /* full-width digits, sign, point and comma */
        {"\xEF\xBC\x91\xEF\xBC\x92", 12},
        {"\xEF\xBC\x8D\xEF\xBC\x93\xEF\xBC\x8E\xEF\xBC\x95", -3.5},
        {"\xEF\xBC\x91\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90", 1000},
    };
    static const struct {
        const char *s;
        const char *why; /* part of the reason */
    } bad[] = {
        {"3,5", "千位分隔符"},
        {"1,0.5", "千位分隔符"},
        {"1234,567", "千位分隔符"},
        {"1,2345", "千位分隔符"},
        {",123", "千位分隔符"},
        {"0,123", "千位分隔符"},
        {"1.234,5", "小数部分"},
        {"0x1F", "十六进制"},
        {"0x1p4", "十六进制"},
        {"3e0", "科学计数法"},
        {"1E5", "科学计数法"},
        {"inf", "inf"},
        {"-inf", "inf"},
        {"nan", "nan"},
        {"NaN", "nan"},
        {"-", "没有数字"},
        {"+", "没有数字"},
        {".", "不是有效的数字"},
        {"5.", "小数点后面"},
        {"1.2.3", "小数点多于一个"},
        {"12abc", "多余的字符"},
        {"abc", "不是有效的数字"},
        {"3元", "多余的字符"},
        {"1 000", "多余的字符"},
        {"--3", "不是有效的数字"},
        {"", "不是有效的数字"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
         "0123456789",
         "位数过多"},
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        double d = -99;
        const char *why = NULL;
        int rc = tz_parse_decimal(good[k].s, &d, &why);
        if (rc != 0 || d != good[k].v)
            fail_msg("\"%s\": rc %d value %g (%s)", good[k].s, rc, d, why ? why : "");
    }
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        double d;
        const char *why = NULL;
        if (tz_parse_decimal(bad[k].s, &d, &why) != -1)
            fail_msg("\"%s\" accepted as %g", bad[k].s, d);
        if (!why || !strstr(why, bad[k].why))
            fail_msg("\"%s\": reason \"%s\", expected \"%s\"", bad[k].s, why ? why : "",
                     bad[k].why);
    }
}

/* issue 7 point 4: each numeric column has a range in the ledger table,
 * refused with the range in the reason; a number cell's integral value is an
 * integer */
static void test_ranges(void **state)
{
    (void)state;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < all[i].ncols; c++) {
            const tz_column *col = &all[i].cols[c];
            int num =
                col->type == TZ_COL_INT || col->type == TZ_COL_DECIMAL || col->type == TZ_COL_YEAR;
            if (num && !(col->max > col->min))
                fail_msg("%s.%s has no range", all[i].id, col->name);
            if (num && col->type == TZ_COL_YEAR && (col->min != 1949 || col->max != 2100))
                fail_msg("%s.%s: years are 1949-2100", all[i].id, col->name);
        }
    const tz_ledger *hh = tz_ledger_find("households");
    const tz_column *members = &hh->cols[tz_ledger_col(hh, "家庭人口")];
    tz_value v;
    const char *why;
    assert_int_equal(tz_value_parse(members, "30", 0, &v, &why), 0);
    assert_int_equal(v.i, 30);
    free(v.text);
    assert_int_equal(tz_value_parse(members, "9000000000000000", 0, &v, &why), -1);
    assert_string_equal(why, "超出合理范围(应为1至30)");
    assert_null(v.text);
    assert_int_equal(tz_value_parse(members, "31", 0, &v, &why), -1);
    assert_string_equal(why, "超出合理范围(应为1至30)");
    assert_int_equal(tz_value_parse(members, "0", 0, &v, &why), -1);
    assert_string_equal(why, "不能小于1(应为1至30)");
    assert_int_equal(tz_value_parse(members, "-2", 0, &v, &why), -1);
    assert_non_null(strstr(why, "不能为负数"));
    assert_int_equal(tz_value_parse(members, "3.0", 0, &v, &why), -1); /* typed */
    assert_int_equal(tz_value_parse(members, "3.0", 1, &v, &why), 0);  /* a number cell */
    assert_int_equal(v.i, 3);
    free(v.text);
    assert_int_equal(tz_value_parse(members, "2.9999999999999996", 1, &v, &why), -1);
    assert_int_equal(tz_value_parse(members, "3E0", 1, &v, &why), 0); /* as a file stores it */
    free(v.text);
    assert_int_equal(tz_value_parse(members, "0x3", 1, &v, &why), -1);
    assert_int_equal(tz_value_parse(members, "\xEF\xBC\x93", 0, &v, &why), 0);
    assert_int_equal(v.i, 3);
    free(v.text);
    const tz_ledger *ev = tz_ledger_find("cultural_events");
    const tz_column *shows = &ev->cols[tz_ledger_col(ev, "场次")];
    assert_int_equal(tz_value_parse(shows, "9999", 0, &v, &why), 0);
    free(v.text);
    assert_int_equal(tz_value_parse(shows, "10000", 0, &v, &why), -1);
    assert_string_equal(why, "超出合理范围(应为0至9999)");
    assert_int_equal(tz_value_parse(shows, "0", 0, &v, &why), 0);
    free(v.text);
    const tz_column *income = &hh->cols[tz_ledger_col(hh, "人均纯收入(元)")];
    assert_int_equal(tz_value_parse(income, "6,491.5", 0, &v, &why), 0);
    assert_string_equal(v.text, "6491.5");
    free(v.text);
    assert_int_equal(tz_value_parse(income, "1e308", 1, &v, &why), -1);
    assert_non_null(strstr(why, "超出合理范围"));
    const tz_column *year = &hh->cols[tz_ledger_col(hh, "识别年度")];
    assert_int_equal(tz_value_parse(year, "1948", 0, &v, &why), -1);
    assert_string_equal(why, "年度超出范围(1949-2100)");
    assert_int_equal(
        tz_value_parse(year, "\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x99年", 0, &v, &why), 0);
    assert_string_equal(v.text, "2019");
    free(v.text);
    assert_int_equal(tz_value_parse(year, "2019", 1, &v, &why), 0);
    free(v.text);
    assert_int_equal(tz_value_parse(year, "2019.5", 1, &v, &why), -1);
}

/* Validates one row of the culture_centers ledger given in file order. */
static int _validate_cc(const char *const *cells, tz_diags *d)
{
    const tz_ledger *l = tz_ledger_find("culture_centers");
    const char *hdr[] = {"村代码",   "建成年份",       "文化广场面积(平方米)",
                         "是否达标", "奖补标准(万元)", "已拨付奖补(万元)"};
    tz_header_map m;
    assert_int_equal(tz_header_match(l, hdr, 6, "cc.csv", &m, d), 0);
    tz_value vals[6];
    int n = tz_row_validate(l, &m, cells, NULL, 6, "cc.csv", 5, 0, vals, d);
    tz_values_clear(vals, 6);
    tz_header_map_free(&m);
    return n;
}

static void test_row_checks(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const char *good[] = {"411628101201", "2018年", "1,200", "是", "10", "4"};
    assert_int_equal(_validate_cc(good, &d), 0);
    const char *over[] = {"411628101201", "2018", "1200", "是", "10", "12"};
    assert_int_equal(_validate_cc(over, &d), 1);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "cc.csv 第5行 已拨付奖补(万元) \"12\": "
                              "已拨付奖补不能超过奖补标准(奖补标准(万元)为10)");
    free(line);
    tz_diags_clear(&d);
    const char *bad[] = {"", "20x8", "-3", "待定", "10", "4"};
    assert_int_equal(_validate_cc(bad, &d), 4);
    tz_diags_clear(&d);
}

static void test_header_match(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *l = tz_ledger_find("units");
    const char *reordered[] = {"所属区划代码", " 单位名称 ", "备注", "单位类型"};
    tz_header_map m;
    assert_int_equal(tz_header_match(l, reordered, 4, "u.csv", &m, &d), 0);
    assert_int_equal(m.map[0], 1);
    assert_int_equal(m.map[1], 3);
    assert_int_equal(m.map[2], 0);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(d.nwarnings, 1); /* 备注 reported and ignored */
    tz_header_map_free(&m);
    tz_diags_clear(&d);
    const char *missing[] = {"单位名称", "单位名称"};
    assert_int_equal(tz_header_match(l, missing, 2, "u.csv", &m, &d), -1);
    assert_int_equal(d.nerrors, 3); /* duplicate + two missing */
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

static void test_conditions(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    const tz_ledger *l = tz_ledger_find("regions");
    const char *hdr[] = {"区划代码", "名称", "上级区划代码", "层级", "贫困村", "主导产业"};
    tz_header_map m;
    tz_value vals[6];
    assert_int_equal(tz_header_match(l, hdr, 6, "r.csv", &m, &d), 0);
    const char *poor_county[] = {"411628", "鹿邑县", "411600", "县", "是", "纺织、 食品"};
    assert_int_equal(tz_row_validate(l, &m, poor_county, NULL, 6, "r.csv", 2, 0, vals, &d), 1);
    assert_string_equal(vals[5].text, "纺织、食品");
    tz_values_clear(vals, 6);
    const char *village_no_flag[] = {"411628101201", "卢尧村", "411628101", "村", "", ""};
    assert_int_equal(tz_row_validate(l, &m, village_no_flag, NULL, 6, "r.csv", 3, 0, vals, &d), 1);
    tz_values_clear(vals, 6);
    const char *industry_village[] = {"411628101201", "卢尧村", "411628101", "村", "否", "纺织"};
    assert_int_equal(tz_row_validate(l, &m, industry_village, NULL, 6, "r.csv", 4, 0, vals, &d), 1);
    tz_values_clear(vals, 6);
    assert_non_null(strstr(d.items[0].reason, "仅当层级为县时填写") ? d.items[0].reason
                                                                    : d.items[0].reason);
    tz_header_map_free(&m);
    tz_diags_clear(&d);
}

static void test_store_sqlite(void **state)
{
    (void)state;
    char path[] = "/tmp/tz-unit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    tz_diags d = TZ_DIAGS_INIT;
    tz_store *s = NULL;
    assert_int_equal(tz_store_open(path, 0, &s, &d), -1); /* must exist without CREATE */
    assert_int_equal(d.nerrors, 1);
    tz_diags_clear(&d);
    assert_int_equal(tz_store_open(path, TZ_OPEN_CREATE, &s, &d), 0);
    assert_int_equal(tz_store_version(s), TZ_SCHEMA_VERSION);
    tz_stmt *st = NULL;
    assert_int_equal(
        tz_store_prepare(s, "INSERT INTO regions (code, name, level) VALUES (?, ?, ?)", &st), 0);
    tz_stmt_bind_text(st, 1, "410000000000");
    tz_stmt_bind_text(st, 2, "河南省");
    tz_stmt_bind_text(st, 3, "省");
    assert_int_equal(tz_stmt_step(st), 0);
    tz_stmt_free(st);
    long long n = -1;
    const char *params[] = {"省", NULL};
    assert_int_equal(
        tz_store_scalar_int(s, "SELECT count(*) FROM regions WHERE level = ?", params, &n), 0);
    assert_int_equal(n, 1);
    /* rollback really undoes */
    assert_int_equal(tz_store_begin(s), 0);
    assert_int_equal(tz_store_exec(s, "DELETE FROM regions"), 0);
    assert_int_equal(tz_store_rollback(s), 0);
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM regions", NULL, &n), 0);
    assert_int_equal(n, 1);
    tz_store_close(s);
    /* reopening migrates nothing and keeps the data */
    assert_int_equal(tz_store_open(path, 0, &s, &d), 0);
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM regions", NULL, &n), 0);
    assert_int_equal(n, 1);
    /* a ledger added by a newer build appears in an older database */
    assert_int_equal(tz_store_exec(s, "DROP TABLE populations; UPDATE tz_meta SET value = "
                                      "'older' WHERE key = 'schema_fingerprint'"),
                     0);
    tz_store_close(s);
    assert_int_equal(tz_store_open(path, 0, &s, &d), 0);
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM populations", NULL, &n), 0);
    assert_int_equal(n, 0);
    /* a database from a newer version is refused */
    assert_int_equal(
        tz_store_exec(s, "UPDATE tz_meta SET value = '99' WHERE key = 'schema_version'"), 0);
    tz_store_close(s);
    assert_int_equal(tz_store_open(path, 0, &s, &d), -1);
    assert_non_null(strstr(d.items[0].reason, "更新版本"));
    tz_diags_clear(&d);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

/* Validates one row of the households ledger (all 15 columns, in order)
 * with the given cell kinds (NULL: all text) and flags. */
static int _validate_hh(const char *const *cells, const unsigned char *kinds, unsigned flags,
                        tz_value vals[15], tz_diags *d)
{
    const tz_ledger *l = tz_ledger_find("households");
    const char *hdr[15];
    for (size_t i = 0; i < 15; i++)
        hdr[i] = l->cols[i].name;
    tz_header_map m;
    assert_int_equal(tz_header_match(l, hdr, 15, "hh.xlsx", &m, d), 0);
    int n = tz_row_validate(l, &m, cells, kinds, 15, "hh.xlsx", 7, flags, vals, d);
    tz_header_map_free(&m);
    return n;
}

/* A good households row to vary; 11010519491231002X is GB 11643's example. */
#define HH_ROW(hh, name, id, members, income, helper)                                              \
    {                                                                                              \
        (hh), (name), (id), "411628101201", (members), "一般贫困户", "因病", "2015", "", (income), \
            "是", "是", "是", "是", (helper)                                                       \
    }

/* issue 7 points 2 and 3: a formula without a result and Excel's error
 * values are cell errors, in every column */
static void test_cell_kinds(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    tz_value vals[15];
    const char *row[] = HH_ROW("H1", "张三", "11010519491231002X", "3", "", "");
    unsigned char kinds[15];
    memset(kinds, TZ_CELL_TEXT, sizeof kinds);
    assert_int_equal(_validate_hh(row, kinds, 0, vals, &d), 0);
    tz_values_clear(vals, 15);
    /* an optional column (人均纯收入) whose formula has no cached value: an
     * error, not an empty value that would overwrite the stored one */
    kinds[9] = TZ_CELL_NOVALUE;
    assert_int_equal(_validate_hh(row, kinds, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "hh.xlsx 第7行 人均纯收入(元): "
                              "公式没有计算结果,请在Excel或WPS中打开并保存后再导入");
    free(line);
    tz_diags_clear(&d);
    /* an error cell (t="e") */
    kinds[9] = TZ_CELL_TEXT;
    kinds[1] = TZ_CELL_ERROR;
    const char *err_row[] = HH_ROW("H1", "#N/A", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(err_row, kinds, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[0].reason, "单元格是Excel错误值#N/A,请改正后再导入");
    tz_diags_clear(&d);
    /* the same error values typed as text, in text, number and enum columns */
    static const char *const errs[] = {"#N/A",   "#REF!",  "#VALUE!", "#DIV/0!",
                                       "#NAME?", "#NULL!", "#NUM!",   "#GETTING_DATA"};
    for (size_t k = 0; k < sizeof errs / sizeof errs[0]; k++) {
        const char *text_row[] =
            HH_ROW("H1", errs[k], "11010519491231002X", errs[k], errs[k], errs[k]);
        assert_int_equal(_validate_hh(text_row, NULL, 0, vals, &d), 4);
        tz_values_clear(vals, 15);
        char want[128];
        snprintf(want, sizeof want, "单元格是Excel错误值%s,请改正后再导入", errs[k]);
        for (size_t j = 0; j < 4; j++)
            assert_string_equal(d.items[j].reason, want);
        tz_diags_clear(&d);
    }
    const char *padded[] = HH_ROW("H1", "  #DIV/0! ", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(padded, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    tz_diags_clear(&d);
}

/* issue 7 point 7: invisible characters */
static void test_invisible(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    tz_value vals[15];
    /* a BOM before a key: the same household as TEST0000, with a warning */
    const char *bom[] = HH_ROW("\xEF\xBB\xBFTEST0000", "张三", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(bom, NULL, 0, vals, &d), 0);
    assert_string_equal(vals[0].text, "TEST0000");
    tz_values_clear(vals, 15);
    assert_int_equal(d.nwarnings, 1);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "提示: hh.xlsx 第7行 户编号 \"<U+FEFF>TEST0000\": "
                              "首尾的不可见字符(U+FEFF)已去掉");
    free(line);
    tz_diags_clear(&d);
    /* zero-width at the end, and a word joiner */
    const char *zw[] =
        HH_ROW("TEST0000\xE2\x80\x8B\xE2\x81\xA0", "张三", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(zw, NULL, 0, vals, &d), 0);
    assert_string_equal(vals[0].text, "TEST0000");
    tz_values_clear(vals, 15);
    assert_int_equal(d.nwarnings, 1);
    tz_diags_clear(&d);
    /* inside a key, an ID number, a code or a number: refused */
    const char *inside[] = HH_ROW("TEST\xE2\x80\x8B"
                                  "0000",
                                  "张三",
                                  "110105194912\xEF\xBB\xBF"
                                  "31002X",
                                  "3\x07", "", "");
    assert_int_equal(_validate_hh(inside, NULL, 0, vals, &d), 3);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[0].reason, "含有不可见字符(U+200B),请删除后再导入");
    assert_string_equal(d.items[1].reason, "含有不可见字符(U+FEFF),请删除后再导入");
    assert_string_equal(d.items[2].reason, "含有不可见字符(U+0007),请删除后再导入");
    assert_string_equal(d.items[0].value, "TEST<U+200B>0000");
    tz_diags_clear(&d);
    const char *tab_key[] = HH_ROW("TEST\t0000", "张三", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(tab_key, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    tz_diags_clear(&d);
    /* in free text, control characters are replaced, with a warning */
    const char *ctl[] = HH_ROW("H1", "张\x1b[2J三", "11010519491231002X", "3", "", "李\r\n四\t");
    assert_int_equal(_validate_hh(ctl, NULL, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "张\xEF\xBF\xBD[2J三");
    assert_string_equal(vals[14].text, "李 四");
    tz_values_clear(vals, 15);
    assert_int_equal(d.nwarnings, 2);
    assert_non_null(strstr(d.items[0].reason, "U+001B"));
    assert_string_equal(d.items[0].value, "张<U+001B>[2J三");
    tz_diags_clear(&d);
    /* a right-to-left override in a name is replaced too */
    const char *rlo[] = HH_ROW("H1", "张\xE2\x80\xAE三", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(rlo, NULL, 0, vals, &d), 0);
    assert_string_equal(vals[1].text, "张\xEF\xBF\xBD三");
    tz_values_clear(vals, 15);
    assert_int_equal(d.nwarnings, 1);
    tz_diags_clear(&d);
    /* a cell of nothing but a BOM is empty */
    const char *only[] = HH_ROW("H1", "\xEF\xBB\xBF", "11010519491231002X", "3", "", "");
    assert_int_equal(_validate_hh(only, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[d.n - 1].reason, "不能为空");
    tz_diags_clear(&d);
}

/* issue 7 point 13: the CSV export's apostrophe guard is dropped on import
 * of a CSV file only */
static void test_csv_apostrophe(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    tz_value vals[15];
    const char *row[] = HH_ROW("H1", "'=张三", "11010519491231002X", "3", "", "'-2+3");
    assert_int_equal(_validate_hh(row, NULL, TZ_ROW_CSV, vals, &d), 0);
    assert_string_equal(vals[1].text, "=张三");
    assert_string_equal(vals[14].text, "-2+3");
    tz_values_clear(vals, 15);
    assert_int_equal(_validate_hh(row, NULL, 0, vals, &d), 0); /* xlsx: what was typed */
    assert_string_equal(vals[1].text, "'=张三");
    assert_string_equal(vals[14].text, "'-2+3");
    tz_values_clear(vals, 15);
    const char *plain[] = HH_ROW("H1", "'张三", "11010519491231002X", "3", "", "'\t@x");
    assert_int_equal(_validate_hh(plain, NULL, TZ_ROW_CSV, vals, &d), 0);
    assert_string_equal(vals[1].text, "'张三");
    assert_string_equal(vals[14].text, "@x");
    tz_values_clear(vals, 15);
    /* issue 8: a formula-looking text keeps its apostrophe from a workbook */
    const char *formula[] = HH_ROW("H1", "张三", "11010519491231002X", "3", "", "'=1+1");
    assert_int_equal(_validate_hh(formula, NULL, tz_row_flags("in/台账.xlsx", 0), vals, &d), 0);
    assert_string_equal(vals[14].text, "'=1+1");
    tz_values_clear(vals, 15);
    assert_int_equal(_validate_hh(formula, NULL, tz_row_flags("in/台账.xls", 1), vals, &d), 0);
    assert_string_equal(vals[14].text, "'=1+1");
    tz_values_clear(vals, 15);
    assert_int_equal(_validate_hh(formula, NULL, tz_row_flags("in/台账.CSV", 0), vals, &d), 0);
    assert_string_equal(vals[14].text, "=1+1");
    tz_values_clear(vals, 15);
    assert_int_equal(tz_row_flags("a.csv.xlsx", 1), TZ_ROW_DATE1904);
    assert_int_equal(tz_row_flags("dir.csv/a.xlsx", 0), 0);
    assert_int_equal(tz_row_flags(NULL, 0), 0);
    assert_int_equal(d.nerrors + d.nwarnings, 0);
    tz_diags_clear(&d);
}

/* issue 7 point 14: an ID number is never echoed in full */
static void test_idcard_echo(void **state)
{
    (void)state;
    tz_diags d = TZ_DIAGS_INIT;
    tz_value vals[15];
    const char *bad_check[] = HH_ROW("H1", "张三", "110105194912310021", "3", "", "");
    assert_int_equal(_validate_hh(bad_check, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    char *line = tz_diag_format(&d.items[0]);
    assert_string_equal(line, "hh.xlsx 第7行 户主身份证号 \"110105********0021\": 校验码错误");
    free(line);
    tz_diags_clear(&d);
    /* wrong length: still masked */
    const char *short_id[] = HH_ROW("H1", "张三", "11010519491231002", "3", "", "");
    assert_int_equal(_validate_hh(short_id, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[0].value, "110105*******1002");
    tz_diags_clear(&d);
    /* an ID number typed into another column is masked by the diagnostics */
    const char *in_key[] = HH_ROW("H1", "张三", "11010519491231002X", "11010519491231002X", "", "");
    assert_int_equal(_validate_hh(in_key, NULL, 0, vals, &d), 1);
    tz_values_clear(vals, 15);
    assert_string_equal(d.items[0].value, "110105********002X");
    tz_diags_clear(&d);
}

/* Every scope and lock link names real columns: a region link ends in a
 * region column, a unit link in a text column, a via link follows a column
 * that references that ledger's one-column key, the period column is dated. */
static void _check_link(const tz_ledger *l, const tz_row_link *k, tz_coltype want)
{
    if (!k->col)
        return;
    int c = tz_ledger_col(l, k->col);
    assert_true(c >= 0);
    const tz_ledger *at = l;
    int end = c;
    if (k->via) {
        assert_string_equal(l->cols[c].ref, k->via);
        at = tz_ledger_find(k->via);
        assert_non_null(at);
        int keys[4];
        assert_int_equal(tz_ledger_keys(at, keys), 1);
        end = tz_ledger_col(at, k->via_col);
        assert_true(end >= 0);
    }
    if (want == TZ_COL_REGION)
        assert_int_equal(at->cols[end].type, TZ_COL_REGION);
    else
        assert_int_equal(at->cols[end].type, TZ_COL_TEXT);
}

static void test_row_links(void **state)
{
    (void)state;
    size_t n;
    const tz_ledger *all = tz_ledger_all(&n);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(all[i].region.col); /* every ledger is placed in the tree */
        _check_link(&all[i], &all[i].region, TZ_COL_REGION);
        _check_link(&all[i], &all[i].unit, TZ_COL_TEXT);
        if (all[i].period_col) {
            int c = tz_ledger_col(&all[i], all[i].period_col);
            assert_true(c >= 0);
            tz_coltype t = all[i].cols[c].type;
            assert_true(t == TZ_COL_DATE || t == TZ_COL_MONTH || t == TZ_COL_YEAR);
        }
    }
}

static void test_level_digits(void **state)
{
    (void)state;
    assert_int_equal(tz_level_digits(TZ_LEVEL_PROVINCE), 2);
    assert_int_equal(tz_level_digits(TZ_LEVEL_CITY), 4);
    assert_int_equal(tz_level_digits(TZ_LEVEL_COUNTY), 6);
    assert_int_equal(tz_level_digits(TZ_LEVEL_TOWNSHIP), 9);
    assert_int_equal(tz_level_digits(TZ_LEVEL_VILLAGE), 12);
    assert_int_equal(tz_level_digits(TZ_LEVEL_NONE), 12);
    assert_int_equal(tz_code_digits("410000000000"), 2);
    assert_int_equal(tz_code_digits("411400000000"), 4);
    assert_int_equal(tz_code_digits("411628000000"), 6);
    assert_int_equal(tz_code_digits("411628101000"), 9);
    assert_int_equal(tz_code_digits("411628101201"), 12);
    assert_int_equal(tz_code_digits("411628"), 12); /* not a 12-digit code */
    char lo[13], hi[13];
    tz_code_bounds("411628000000", 6, lo, hi);
    assert_string_equal(lo, "411628000000");
    assert_string_equal(hi, "411628999999");
    tz_code_bounds("4116281", 12, lo, hi); /* a prefix: as long as it is */
    assert_string_equal(lo, "411628100000");
    assert_string_equal(hi, "411628199999");
    tz_code_bounds("41", 6, NULL, hi); /* shorter than digits: no garbage */
    assert_string_equal(hi, "419999999999");
    tz_code_bounds("", 0, lo, hi);
    assert_string_equal(lo + 9, "000");
    assert_string_equal(hi + 9, "999");
    tz_code_bounds("4116281012019", 12, lo, NULL); /* longer: 12 at most */
    assert_string_equal(lo, "411628101201");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definitions),   cmocka_unit_test(test_dates),
        cmocka_unit_test(test_region_and_id), cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_row_checks),    cmocka_unit_test(test_header_match),
        cmocka_unit_test(test_conditions),    cmocka_unit_test(test_store_sqlite),
        cmocka_unit_test(test_dates_1904),    cmocka_unit_test(test_number_grammar),
        cmocka_unit_test(test_ranges),        cmocka_unit_test(test_cell_kinds),
        cmocka_unit_test(test_invisible),     cmocka_unit_test(test_csv_apostrophe),
        cmocka_unit_test(test_idcard_echo),   cmocka_unit_test(test_row_links),
        cmocka_unit_test(test_level_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
