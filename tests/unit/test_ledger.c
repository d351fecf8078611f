/* test_ledger.c - unit tests of ledger definitions, field parsers and row checks,
 * and of the SQLite store (a real database file). */
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
    assert_int_equal(tz_parse_date("2019-06-01", 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("2019/6/1", 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("2019年6月1日", 0, out, &why), 0);
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("43617", 1, out, &why), 0); /* Excel serial */
    assert_string_equal(out, "2019-06-01");
    assert_int_equal(tz_parse_date("1", 1, out, &why), 0);
    assert_string_equal(out, "1900-01-01");
    assert_int_equal(tz_parse_date("61", 1, out, &why), 0);
    assert_string_equal(out, "1900-03-01");
    assert_int_equal(tz_parse_date("2020-02-29", 0, out, &why), 0);
    assert_int_equal(tz_parse_date("2019-02-29", 0, out, &why), -1);
    assert_int_equal(tz_parse_date("43617", 0, out, &why), -1); /* text, not a serial */
    assert_int_equal(tz_parse_date("2019-13-01", 0, out, &why), -1);
    assert_int_equal(tz_parse_date("六月一日", 0, out, &why), -1);
    assert_non_null(strstr(why, "YYYY-MM-DD"));
    char m[8];
    assert_int_equal(tz_parse_month("2015-07", 0, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("2015年7月", 0, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("42186", 1, m, &why), 0);
    assert_string_equal(m, "2015-07");
    assert_int_equal(tz_parse_month("2015-13", 0, m, &why), -1);
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
    assert_int_equal(tz_parse_int("3.0", &i, &why), 0);
    assert_int_equal(i, 3);
    assert_int_equal(tz_parse_int("3.5", &i, &why), -1);
}

/* Validates one row of the culture_centers ledger given in file order. */
static int _validate_cc(const char *const *cells, tz_diags *d)
{
    const tz_ledger *l = tz_ledger_find("culture_centers");
    const char *hdr[] = {"村代码", "建成年份", "文化广场面积(平方米)", "是否达标", "奖补标准(万元)",
                         "已拨付奖补(万元)"};
    tz_header_map m;
    assert_int_equal(tz_header_match(l, hdr, 6, "cc.csv", &m, d), 0);
    tz_value vals[6];
    int n = tz_row_validate(l, &m, cells, NULL, 6, "cc.csv", 5, vals, d);
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
    const char *bad[] = {"", "20x8", "-3", "达标", "10", "4"};
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
    assert_int_equal(tz_row_validate(l, &m, poor_county, NULL, 6, "r.csv", 2, vals, &d), 1);
    assert_string_equal(vals[5].text, "纺织、食品");
    tz_values_clear(vals, 6);
    const char *village_no_flag[] = {"411628101201", "卢尧村", "411628101", "村", "", ""};
    assert_int_equal(tz_row_validate(l, &m, village_no_flag, NULL, 6, "r.csv", 3, vals, &d), 1);
    tz_values_clear(vals, 6);
    const char *industry_village[] = {"411628101201", "卢尧村", "411628101", "村", "否", "纺织"};
    assert_int_equal(tz_row_validate(l, &m, industry_village, NULL, 6, "r.csv", 4, vals, &d), 1);
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
    assert_int_equal(tz_store_prepare(s, "INSERT INTO regions (code, name, level) VALUES (?, ?, ?)",
                                      &st),
                     0);
    tz_stmt_bind_text(st, 1, "410000000000");
    tz_stmt_bind_text(st, 2, "河南省");
    tz_stmt_bind_text(st, 3, "省");
    assert_int_equal(tz_stmt_step(st), 0);
    tz_stmt_free(st);
    long long n = -1;
    const char *params[] = {"省", NULL};
    assert_int_equal(tz_store_scalar_int(s, "SELECT count(*) FROM regions WHERE level = ?", params,
                                         &n),
                     0);
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
    assert_int_equal(tz_store_exec(s, "UPDATE tz_meta SET value = '99' WHERE key = 'schema_version'"),
                     0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definitions), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_region_and_id), cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_row_checks),  cmocka_unit_test(test_header_match),
        cmocka_unit_test(test_conditions),  cmocka_unit_test(test_store_sqlite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
